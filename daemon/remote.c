/*
 * daemon/remote.c - the hand-written part of evirtd's remote program: the
 * connection's own procedures (open, close, features, auth list, URI,
 * close callback) and the per-client state the generated handlers use.
 *
 * Every client opens its own evirt_conn (with its own read-only flag).
 * test:///default is still one host for all of them, as with libvirtd:
 * the test driver's shared mode, switched on at registration, attaches
 * every such connection to one state (drivers/test/test-driver.h).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#define EVIRT_LOG_CATEGORY "evirt.daemon.remote"
#include "api/log-private.h"
#include "api/error-private.h"
#include "daemon/remote.h"
#include "daemon/remote-dispatch.h"
#include "daemon/remote-events.h"
#include "drivers/test/test-driver.h"
#include "drivers/remote/remote-private.h"

enum {
    PROC_CONNECT_OPEN = 1,
    PROC_CONNECT_CLOSE = 2,
    PROC_CONNECT_SUPPORTS_FEATURE = 60,
    PROC_AUTH_LIST = 66,
    PROC_CONNECT_GET_URI = 110,
    PROC_CONNECT_REGISTER_CLOSE_CALLBACK = 360,
    PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK = 361,
    PROC_CONNECT_EVENT_CONNECTION_CLOSED = 362,
};

enum {
    FEATURE_REMOTE = 2,
    FEATURE_FD_PASSING = 8,
    FEATURE_TYPED_PARAM_STRING = 9,
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
};

typedef struct evirtd_client {
    evirt_conn *conn;
    int opening;               /* a CONNECT_OPEN is in progress */
    int close_cb_registered;   /* client asked for 362 messages */
    int conn_close_cb;         /* we registered conn_closed_cb on conn */
    evirt_rpc_server_client *rpc;
    evirtd_events *events;     /* event registrations (remote-events.c) */
    void *dispatch_data;
    void (*dispatch_free)(void *);
} evirtd_client;

static evirt_loop *daemon_loop;
/* Static, so calls still being answered during shutdown can use it. */
#define MAX_REMOTE_PROCS 1024
static evirt_rpc_proc merged_procs[MAX_REMOTE_PROCS];
static size_t merged_nprocs;

/* ---- per-client state --------------------------------------------------- */

static void
conn_closed_cb(evirt_conn *conn, int reason, void *opaque)
{
    evirtd_client *cl = opaque;
    int32_t r = reason;

    if (!cl->close_cb_registered || !cl->rpc)
        return;
    evirt_rpc_server_client_send_message(cl->rpc, EVIRTD_REMOTE_PROGRAM,
                                         EVIRTD_REMOTE_VERSION,
                                         PROC_CONNECT_EVENT_CONNECTION_CLOSED, 1,
                                         (xdrproc_t)xdr_int, &r);
}

/* Lets go of the client's hypervisor connection, if any. */
static void
client_drop_conn(evirtd_client *cl)
{
    if (!cl->conn)
        return;
    if (cl->conn_close_cb)
        evirt_conn_unregister_close_callback(cl->conn, conn_closed_cb);
    evirt_conn_close(cl->conn);
    cl->conn_close_cb = 0;
    cl->conn = NULL;
}

static void
client_free(void *opaque)
{
    evirtd_client *cl = opaque;

    if (cl->dispatch_free)
        cl->dispatch_free(cl->dispatch_data);
    evirtd_events_free(cl->events);    /* while the connection is held */
    cl->events = NULL;
    cl->rpc = NULL;
    client_drop_conn(cl);
    free(cl);
}

/* The daemon's state for an RPC client, made on first use; NULL: no memory. */
static evirtd_client *
client_get(evirt_rpc_server_client *c)
{
    evirtd_client *cl = evirt_rpc_server_client_get_data(c);

    if (cl)
        return cl;
    if (!(cl = calloc(1, sizeof(*cl))))
        return NULL;
    cl->rpc = c;
    evirt_rpc_server_client_set_data(c, cl, client_free);
    return cl;
}

evirtd_events **
evirtd_client_events_slot(evirt_rpc_server_client *client)
{
    evirtd_client *cl = client_get(client);
    return cl ? &cl->events : NULL;
}

void *
evirtd_client_dispatch_data(evirt_rpc_server_client *client)
{
    evirtd_client *cl = evirt_rpc_server_client_get_data(client);
    return cl ? cl->dispatch_data : NULL;
}

void
evirtd_client_set_dispatch_data(evirt_rpc_server_client *client, void *data,
                                void (*free_fn)(void *))
{
    evirtd_client *cl = client_get(client);
    if (!cl) {
        if (free_fn)
            free_fn(data);
        return;
    }
    if (cl->dispatch_free && cl->dispatch_data != data)
        cl->dispatch_free(cl->dispatch_data);
    cl->dispatch_data = data;
    cl->dispatch_free = free_fn;
}

static void
reply_rpc_error(evirt_rpc_call *call, int code, const char *msg)
{
    evirt_error e = { 0 };
    evirt_error_set(&e, EVIRT_FROM_RPC, code, "%s", msg);
    evirt_rpc_call_reply_error(call, &e);
    evirt_error_reset(&e);
}

static void
reply_oom(evirt_rpc_call *call)
{
    evirt_error e = { 0 };
    evirt_error_set(&e, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
    evirt_rpc_call_reply_error(call, &e);
    evirt_error_reset(&e);
}

evirt_conn *
evirt_daemon_call_conn(evirt_rpc_call *call)
{
    evirtd_client *cl = evirt_rpc_server_client_get_data(evirt_rpc_call_client(call));

    return cl ? cl->conn : NULL;
}

/* The client's connection, or NULL after answering libvirtd's error. */
static evirt_conn *
call_conn(evirt_rpc_call *call)
{
    evirt_conn *conn = evirt_daemon_call_conn(call);

    if (!conn)
        reply_rpc_error(call, EVIRT_ERR_INTERNAL_ERROR,
                        "hypervisor connection not open");
    return conn;
}

/* ---- XDR of the hand-written procedures ----------------------------------- */

/* Same layout as rpcgen makes: an optional string is a pointer to a string. */
typedef struct { char **name; uint32_t flags; } open_args;
typedef struct { int32_t feature; } feature_args;
typedef struct { int32_t supported; } feature_ret;
typedef struct { uint32_t ntypes; int32_t *types; } auth_list_ret;
typedef struct { char *uri; } uri_ret;

static bool_t
xdr_open_args(XDR *x, open_args *a)
{
    return xdr_pointer(x, (char **)&a->name, sizeof(char *),
                       (xdrproc_t)xdr_wrapstring) &&
           xdr_u_int(x, &a->flags);
}

static bool_t
xdr_feature_args(XDR *x, feature_args *a)
{
    return xdr_int(x, &a->feature);
}

static bool_t
xdr_feature_ret(XDR *x, feature_ret *r)
{
    return xdr_int(x, &r->supported);
}

static bool_t
xdr_auth_list_ret(XDR *x, auth_list_ret *r)
{
    return xdr_array(x, (char **)&r->types, &r->ntypes, 20, sizeof(int32_t),
                     (xdrproc_t)xdr_int);
}

static bool_t
xdr_uri_ret(XDR *x, uri_ret *r)
{
    return xdr_string(x, &r->uri, 4194304);
}

/* ---- CONNECT_OPEN ------------------------------------------------------- */

static void
finish_open(evirt_rpc_call *call, evirt_conn *conn, const evirt_error *err)
{
    evirtd_client *cl = evirt_rpc_server_client_get_data(evirt_rpc_call_client(call));

    cl->opening = 0;
    if (!conn) {
        evirt_rpc_call_reply_error(call, err);
        return;
    }
    cl->conn = conn;
    EVIRT_DEBUG("client %llu: connection %p open",
                evirt_rpc_server_client_id(evirt_rpc_call_client(call)),
                (void *)conn);
    if (evirt_conn_register_close_callback(conn, conn_closed_cb, cl, NULL) == 0)
        cl->conn_close_cb = 1;
    evirt_rpc_call_reply(call, NULL);
}

static void
open_done(evirt_op *op, void *opaque)
{
    evirt_rpc_call *call = opaque;
    evirt_conn *conn = evirt_conn_open_finish(op);

    finish_open(call, conn, evirt_op_error(op));
}

static void
h_connect_open(evirt_rpc_call *call, void *args)
{
    open_args *a = args;
    evirt_rpc_server_client *c = evirt_rpc_call_client(call);
    evirtd_client *cl = client_get(c);
    const char *uri = a->name && *a->name && **a->name ? *a->name : NULL;
    unsigned int flags = 0;

    if (!cl) {
        reply_oom(call);
        return;
    }
    if (cl->conn || cl->opening) {
        /* libvirtd drops the open connection too (rpc-facts 1.8). */
        client_drop_conn(cl);
        reply_rpc_error(call, EVIRT_ERR_INTERNAL_ERROR, "connection already open");
        return;
    }
    if ((a->flags & EVIRT_CONNECT_RO) || evirt_rpc_server_client_is_read_only(c))
        flags |= EVIRT_CONNECT_RO;
    EVIRT_DEBUG("client %llu opens %s%s", evirt_rpc_server_client_id(c),
                uri ? uri : "(default)", flags & EVIRT_CONNECT_RO ? " read-only" : "");
    cl->opening = 1;

    if (!evirt_conn_open_async(daemon_loop, uri, NULL, flags, open_done, call)) {
        cl->opening = 0;
        reply_oom(call);
    }
}

/* ---- the other hand-written procedures ---------------------------------- */

static void
h_connect_close(evirt_rpc_call *call, void *args)
{
    evirt_rpc_server_client *c = evirt_rpc_call_client(call);
    evirtd_client *cl = evirt_rpc_server_client_get_data(c);

    if (cl) {
        /* Registrations go with the connection they were made on. */
        if (cl->dispatch_free)
            cl->dispatch_free(cl->dispatch_data);
        cl->dispatch_free = NULL;
        cl->dispatch_data = NULL;
        evirtd_events_free(cl->events);
        cl->events = NULL;
        client_drop_conn(cl);
    }
    evirt_rpc_call_reply(call, NULL);
    evirt_rpc_server_client_close(c);   /* after the reply, as libvirtd */
}

static void
h_auth_list(evirt_rpc_call *call, void *args)
{
    int32_t none = 0;
    auth_list_ret r = { 1, &none };

    evirt_rpc_call_reply(call, &r);
}

static void
h_supports_feature(evirt_rpc_call *call, void *args)
{
    feature_args *a = args;
    evirt_rpc_server_client *c = evirt_rpc_call_client(call);
    feature_ret r = { 0 };

    if (a->feature == FEATURE_PROGRAM_KEEPALIVE) {
        /* Answerable before CONNECT_OPEN; asking switches pings on. */
        evirt_rpc_server_client_start_keepalive(c);
        r.supported = 1;
        evirt_rpc_call_reply(call, &r);
        return;
    }
    if (!call_conn(call))
        return;
    switch (a->feature) {
    case FEATURE_TYPED_PARAM_STRING:
    case FEATURE_REMOTE_CLOSE_CALLBACK:
    case FEATURE_REMOTE_EVENT_CALLBACK:     /* remote-events.c */
        r.supported = 1;
        break;
    case FEATURE_REMOTE:        /* libvirtd itself says no */
    case FEATURE_FD_PASSING:    /* no fd passing yet */
    default:                    /* migration features: no migration yet */
        r.supported = 0;
        break;
    }
    evirt_rpc_call_reply(call, &r);
}

static void
get_uri_done(evirt_op *op, void *opaque)
{
    evirt_rpc_call *call = opaque;
    uri_ret r = { evirt_conn_get_uri_finish(op) };

    if (!r.uri)
        evirt_rpc_call_reply_error(call, evirt_op_error(op));
    else
        evirt_rpc_call_reply(call, &r);
    free(r.uri);
}

static void
h_connect_get_uri(evirt_rpc_call *call, void *args)
{
    evirt_conn *conn = call_conn(call);

    if (!conn)
        return;
    if (!evirt_conn_get_uri_async(conn, get_uri_done, call))
        reply_oom(call);
}

static void
h_register_close_callback(evirt_rpc_call *call, void *args)
{
    evirtd_client *cl;

    if (!call_conn(call))
        return;
    cl = evirt_rpc_server_client_get_data(evirt_rpc_call_client(call));
    cl->close_cb_registered = 1;
    evirt_rpc_call_reply(call, NULL);
}

static void
h_unregister_close_callback(evirt_rpc_call *call, void *args)
{
    evirtd_client *cl;

    if (!call_conn(call))
        return;
    cl = evirt_rpc_server_client_get_data(evirt_rpc_call_client(call));
    cl->close_cb_registered = 0;
    evirt_rpc_call_reply(call, NULL);
}

static const evirt_rpc_proc handwritten[] = {
    { PROC_CONNECT_OPEN, (xdrproc_t)xdr_open_args, sizeof(open_args), NULL, 0,
      h_connect_open, EVIRT_RPC_PROC_HIGH_PRIORITY },
    { PROC_CONNECT_CLOSE, NULL, 0, NULL, 0, h_connect_close,
      EVIRT_RPC_PROC_HIGH_PRIORITY },
    { PROC_CONNECT_SUPPORTS_FEATURE, (xdrproc_t)xdr_feature_args,
      sizeof(feature_args), (xdrproc_t)xdr_feature_ret, sizeof(feature_ret),
      h_supports_feature, EVIRT_RPC_PROC_HIGH_PRIORITY },
    { PROC_AUTH_LIST, NULL, 0, (xdrproc_t)xdr_auth_list_ret,
      sizeof(auth_list_ret), h_auth_list, EVIRT_RPC_PROC_HIGH_PRIORITY },
    { PROC_CONNECT_GET_URI, NULL, 0, (xdrproc_t)xdr_uri_ret, sizeof(uri_ret),
      h_connect_get_uri, EVIRT_RPC_PROC_HIGH_PRIORITY },
    { PROC_CONNECT_REGISTER_CLOSE_CALLBACK, NULL, 0, NULL, 0,
      h_register_close_callback, EVIRT_RPC_PROC_HIGH_PRIORITY },
    { PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, NULL, 0, NULL, 0,
      h_unregister_close_callback, EVIRT_RPC_PROC_HIGH_PRIORITY },
};

static int
merged_has(size_t n, int proc)
{
    for (size_t i = 0; i < n; i++)
        if (merged_procs[i].proc == proc)
            return 1;
    return 0;
}

static int
proc_cmp(const void *a, const void *b)
{
    const evirt_rpc_proc *pa = a, *pb = b;
    return (pa->proc > pb->proc) - (pa->proc < pb->proc);
}

int
evirtd_remote_register(evirt_rpc_server *srv, evirt_loop *loop)
{
    size_t ngen = evirt_remote_dispatch_nprocs;
    size_t nhand = sizeof(handwritten) / sizeof(handwritten[0]);
    size_t n = 0;

    daemon_loop = loop;
    /* One test:///default for every client, as libvirtd has. */
    evirt_test_driver_set_shared(1);
    /* A client's URI must not make the daemon connect to itself or to the
     * local libvirtd: only URIs naming another host go remote. */
    evirt_remote_driver_set_in_daemon(1);
    if (ngen + nhand + evirtd_event_nprocs > MAX_REMOTE_PROCS) {
        EVIRT_ERROR("remote program: %zu procedures, more than %d",
                    ngen + nhand + evirtd_event_nprocs, MAX_REMOTE_PROCS);
        return -1;
    }
    /* Hand-written first: they win over a generated entry. */
    for (size_t i = 0; i < nhand; i++)
        merged_procs[n++] = handwritten[i];
    for (size_t i = 0; i < evirtd_event_nprocs; i++)
        if (!merged_has(n, evirtd_event_procs[i].proc))
            merged_procs[n++] = evirtd_event_procs[i];
    for (size_t i = 0; i < ngen; i++)
        if (!merged_has(n, evirt_remote_dispatch_procs[i].proc))
            merged_procs[n++] = evirt_remote_dispatch_procs[i];
    qsort(merged_procs, n, sizeof(*merged_procs), proc_cmp);
    merged_nprocs = n;
    EVIRT_DEBUG("remote program: %zu procedures (%zu generated)", n, ngen);
    return evirt_rpc_server_add_program(srv, EVIRTD_REMOTE_PROGRAM,
                                        EVIRTD_REMOTE_VERSION, merged_procs,
                                        merged_nprocs);
}

void
evirtd_remote_shutdown(void)
{
    /* Clients' connections go with their clients (evirt_rpc_server_free);
     * nothing of the daemon's own is left to release. */
}
