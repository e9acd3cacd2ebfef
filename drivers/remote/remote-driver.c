/*
 * drivers/remote/remote-driver.c - the remote driver's table: which URIs it
 * takes, the hooks the generated stubs need, connection death and close.
 *
 * The operations themselves are the generated stubs
 * (drivers/remote/remote-stubs.c); only what libvirt's client answers
 * without asking the daemon is written here (alive, encrypted, URI).
 */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define EVIRT_LOG_CATEGORY "evirt.remote"
#include "api/error-private.h"
#include "api/log-private.h"
#include "drivers/remote/remote-private.h"
#include "drivers/remote/remote-stubs.h"
#include "loop/loop-private.h"
#include "rpc/remote-xdr.h"

/*
 * Hypervisor schemes a libvirt daemon serves.  A URI of one of them with
 * neither transport nor host ("qemu:///system") goes to the local
 * daemon's UNIX socket, as with libvirt, unless an earlier driver in the
 * registry took it.
 */
static const char *const daemon_schemes[] = {
    "qemu", "lxc", "xen", "libxl", "vbox", "bhyve", "ch", "vz", "openvz",
    "uml", "vmware", "network", "nodedev", "storage", "interface", "secret",
    "nwfilter", NULL
};

/* Set by a daemon: see remote-private.h. */
static atomic_int in_daemon;

void evirt_remote_driver_set_in_daemon(int on)
{
    atomic_store(&in_daemon, on != 0);
}

static int remote_claims(const evirt_uri *uri)
{
    if (atomic_load(&in_daemon))
        return uri->server != NULL;
    if (uri->transport || uri->server || strcmp(uri->driver, "remote") == 0)
        return 1;
    for (int i = 0; daemon_schemes[i]; i++)
        if (strcmp(uri->driver, daemon_schemes[i]) == 0)
            return 1;
    return 0;
}

evirt_rpc_client *evirt_remote_conn_client(evirt_conn *conn)
{
    remote_priv *priv = conn ? conn->driver_data : NULL;
    if (!priv || priv->dead || !evirt_rpc_client_is_alive(priv->client))
        return NULL;
    return priv->client;
}

bool_t remote_xdr_empty(XDR *xdrs, void *p)
{
    (void)xdrs;
    (void)p;
    return TRUE;
}

/* ------------------------------------------------------- freeing later */

/*
 * A client to free from a clean stack.  The timer's free function owns
 * the record: it runs after the timer fired and was removed, or when the
 * loop is freed first (an application may close a connection and free its
 * loop at once) - then it frees the client itself, and the daemon takes
 * the EOF as a close.
 */
typedef struct later_free {
    evirt_loop *loop;
    evirt_rpc_client *client;   /* NULL once freed */
    int timer;
    int freeing;
    int *done;      /* set to 1 when the client is freed, for a close that waits */
} later_free;

static void later_free_client(later_free *lf)
{
    evirt_rpc_client *client = lf->client;
    lf->freeing = 1;
    lf->client = NULL;
    if (lf->done)
        *lf->done = 1;
    evirt_rpc_client_free(client);
}

static void later_free_fire(int timer, void *opaque)
{
    later_free *lf = opaque;
    (void)timer;
    if (lf->client)
        later_free_client(lf);
    evirt_loop_remove_timeout(lf->loop, lf->timer);     /* lf goes in later_free_ff */
}

static void later_free_ff(void *opaque)
{
    later_free *lf = opaque;
    if (lf->client)
        later_free_client(lf);
    free(lf);
}

/* The CONNECT_CLOSE reply (or any failure of it): let go now. */
static void later_free_now(void *opaque, evirt_error *err)
{
    later_free *lf = opaque;
    (void)err;
    if (!lf->freeing)
        evirt_loop_update_timeout(lf->loop, lf->timer, 0);
}

static void later_free_closed(void *opaque, int reason, const evirt_error *err)
{
    (void)reason;
    later_free_now(opaque, (evirt_error *)err);
}

/* How long a closing connection waits for the daemon's CONNECT_CLOSE reply
 * before the socket is simply dropped (the daemon takes EOF as a close). */
#define CLOSE_GRACE_MS 2000

static later_free *later_free_new(evirt_loop *loop, evirt_rpc_client *client, int ms)
{
    later_free *lf = calloc(1, sizeof(*lf));
    if (!lf)
        return NULL;
    lf->loop = loop;
    lf->client = client;
    lf->timer = evirt_loop_add_timeout(loop, ms, later_free_fire, lf, later_free_ff);
    if (lf->timer < 0) {
        free(lf);
        return NULL;
    }
    return lf;
}

void remote_client_free_later(evirt_loop *loop, evirt_rpc_client *client)
{
    if (!later_free_new(loop, client, 0))
        EVIRT_ERROR("cannot schedule freeing an RPC client: leaking it");
}

/*
 * Whether closing may iterate the loop until the daemon has answered
 * CONNECT_CLOSE.  Only for connections on the default loop (the sync API's:
 * a program that never runs a loop itself) when no thread iterates it and
 * we are not inside one of its callbacks.  There, nothing else would ever
 * send the queued CONNECT_CLOSE: the daemon would keep the connection (and
 * a shared test:///default with it) until the process exits, and the
 * client would never be freed.  libvirt's virConnectClose waits for the
 * reply the same way.  A loop the application runs delivers it by itself,
 * and closing there never blocks.
 */
static int close_may_wait(evirt_loop *loop)
{
    return evirt_loop_is_default(loop) && !evirt_loop_in_dispatch(loop) &&
           !evirt_loop_is_running_elsewhere(loop) &&
           !evirt_loop_runner_waiting(loop);
}

/*
 * Sends CONNECT_CLOSE and lets the client go once the daemon answered,
 * closed the socket, or CLOSE_GRACE_MS passed.  Nothing waits for it,
 * except a sync program's close (close_may_wait).
 */
static void close_client(evirt_loop *loop, evirt_rpc_client *client)
{
    evirt_rpc_client_set_message_handler(client, EVIRT_REMOTE_PROGRAM, NULL, NULL);
    if (!evirt_rpc_client_is_alive(client)) {
        evirt_rpc_client_set_close_cb(client, NULL, NULL);
        remote_client_free_later(loop, client);
        return;
    }
    later_free *lf = later_free_new(loop, client, CLOSE_GRACE_MS);
    if (!lf) {
        evirt_rpc_client_set_close_cb(client, NULL, NULL);
        remote_client_free_later(loop, client);
        return;
    }
    evirt_rpc_client_set_close_cb(client, later_free_closed, lf);
    if (evirt_rpc_client_call(client, EVIRT_REMOTE_PROGRAM,
                              EVIRT_REMOTE_PROTOCOL_VERSION,
                              EVIRT_REMOTE_PROC_CONNECT_CLOSE,
                              (xdrproc_t)remote_xdr_empty, NULL, (xdrproc_t)remote_xdr_empty, NULL,
                              later_free_now, lf, NULL) < 0)
        evirt_loop_update_timeout(loop, lf->timer, 0);
    if (close_may_wait(loop)) {
        int done = 0;
        lf->done = &done;
        while (!done)
            if (evirt_loop_run_once(loop) < 0)
                break;
        if (!done)
            lf->done = NULL;    /* freed later, by whoever runs the loop */
    }
}

static void remote_close(evirt_conn *conn)
{
    remote_priv *priv = conn->driver_data;
    if (!priv)
        return;
    EVIRT_DEBUG("closing the connection to %s", conn->uri);
    conn->driver_data = NULL;
    remote_events_clear(priv);
    close_client(conn->loop, priv->client);
    free(priv);
}

/* ----------------------------------------------------------- death */

void remote_conn_died(remote_priv *priv, int reason, const evirt_error *err)
{
    evirt_conn *conn = priv->conn;
    if (priv->dead)
        return;
    priv->dead = 1;
    EVIRT_DEBUG("connection to %s died (reason %d): %s", conn->uri, reason,
                err && err->message ? err->message : "closed");
    /* Hold the connection: the close callback may drop the last reference. */
    evirt_conn_ref(conn);
    if (err && err->code)
        evirt_op_fail_all(conn, err->domain, err->code,
                          err->message ? err->message : "connection closed");
    else
        evirt_op_fail_all(conn, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                          "client socket is closed");
    /* A close message from the server leaves the socket up: drop it. */
    if (evirt_rpc_client_is_alive(priv->client))
        evirt_rpc_client_close(priv->client);
    evirt_conn_notify_closed(conn, reason);
    evirt_conn_close(conn);
}

/* ------------------------------------------------ locally answered ops */

static void remote_conn_is_alive(evirt_op *op, evirt_conn *c)
{
    evirt_op_return_int(op, evirt_remote_conn_client(c) != NULL);
}

/* Encrypted only when TLS carries the bytes (SASL layers come later). */
static void remote_conn_is_encrypted(evirt_op *op, evirt_conn *c)
{
    remote_priv *priv = c->driver_data;
    evirt_op_return_int(op, priv && priv->tls);
}

/* The URI as the application gave it, as libvirt's client answers. */
static void remote_conn_get_uri(evirt_op *op, evirt_conn *c)
{
    char *s = strdup(c->uri);
    if (s)
        evirt_op_return_string(op, s);
    else
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
}

/* ------------------------------------------------------------ table */

static evirt_driver remote_driver = {
    .name = "remote",
    .claims = remote_claims,
    .open = remote_open,
    .close = remote_close,
    .event_register = remote_event_register,
    .event_unregister = remote_event_unregister,
};

static pthread_once_t fill_once = PTHREAD_ONCE_INIT;

static void fill_table(void)
{
    evirt_remote_stubs_fill(&remote_driver.ops);
    remote_driver.ops.conn_is_alive = remote_conn_is_alive;
    remote_driver.ops.conn_is_encrypted = remote_conn_is_encrypted;
    remote_driver.ops.conn_get_uri = remote_conn_get_uri;
}

const evirt_driver *evirt_remote_driver_get(void)
{
    pthread_once(&fill_once, fill_table);
    return &remote_driver;
}
