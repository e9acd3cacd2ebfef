/*
 * daemon/remote-events.c - event registration procedures of evirtd and the
 * forwarding of events to its clients (see daemon/remote-events.h).
 *
 * Each wire registration is one evirt registration on the client's
 * connection (shared connections included: every client gets its own
 * callbacks).  Lifetime of a registration (ev_reg):
 *  - the client's list owns it while the client wants it (owner set);
 *  - once handed to evirt, only evirt's free callback (reg_ff) frees it:
 *    after a deregistration, or when a failed registration is dropped;
 *  - when the client lets go (deregister, CONNECT_CLOSE, disconnect) it
 *    is unlinked and owner becomes NULL at once, so an event that is
 *    still delivered finds no client and is dropped.  A registration
 *    still in flight then is deregistered as soon as evirt completes it.
 * Event ids libvirt knows but evirt does not emit are "dormant": listed,
 * answered, never fired, freed by the list itself.
 */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define EVIRT_LOG_CATEGORY "evirt.daemon.events"
#include "api/log-private.h"
#include "api/error-private.h"
#include "rpc/remote-conv.h"
#include "daemon/remote.h"
#include "daemon/remote-dispatch.h"
#include "daemon/remote-events.h"

/* Procedure numbers the .x file has no name for. */
enum {
    PROC_DOMAIN_EVENT_REBOOT = 169,          /* legacy reboot message */
};

/* libvirt 9.0's event id ranges (VIR_*_EVENT_ID_LAST). */
enum {
    DOMAIN_EVENT_ID_LAST = 27,
    DOMAIN_EVENT_ID_LEGACY_LAST = 16,        /* legacy form: IDs 0-15 only */
    NETWORK_EVENT_ID_LAST = 1,
    STORAGE_POOL_EVENT_ID_LAST = 2,
};

enum { FAMILY_DOMAIN, FAMILY_NETWORK, FAMILY_POOL };

/* How the registration call is answered. */
enum {
    ANSWER_CALLBACK_ID,     /* callback forms: (callbackID) */
    ANSWER_VOID,            /* legacy 167 */
    ANSWER_REGISTERED,      /* legacy 105: (cb_registered), left 0 as libvirtd does */
};

typedef struct ev_reg ev_reg;

struct evirtd_events {
    evirt_rpc_server_client *rpc;
    ev_reg *head;
    int next_id;            /* wire callbackIDs: 0, 1, ... */
};

struct ev_reg {
    ev_reg *next;
    evirtd_events *owner;   /* NULL: the client let go, events are dropped */
    evirt_conn *conn;       /* borrowed: held by the client or by the op */
    int family;
    int event_id;
    int legacy;
    int wire_id;
    int evirt_id;           /* > 0 once evirt registered it */
    int pending;            /* the evirt registration op is running */
    int dormant;            /* evirt never emits it: no evirt registration */
    int answer;
    evirt_rpc_call *call;   /* while pending */
};

static const char *const family_names[] = { "domain", "network", "storage pool" };

/* ---- helpers ------------------------------------------------------------ */

static void reply_error(evirt_rpc_call *call, int code, const char *fmt, ...)
    EVIRT_PRINTF(3, 4);

static void
reply_error(evirt_rpc_call *call, int code, const char *fmt, ...)
{
    evirt_error e = { 0 };
    va_list ap;

    va_start(ap, fmt);
    evirt_error_setv(&e, EVIRT_FROM_RPC, code, fmt, ap);
    va_end(ap);
    evirt_rpc_call_reply_error(call, &e);
    evirt_error_reset(&e);
}

/* The client's connection, or NULL after answering as libvirtd does. */
static evirt_conn *
call_conn(evirt_rpc_call *call)
{
    evirt_conn *conn = evirt_daemon_call_conn(call);

    if (!conn)
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "hypervisor connection not open");
    return conn;
}

/* The calling client's registrations, made on first use; NULL: no memory
 * (the call has been answered). */
static evirtd_events *
call_events(evirt_rpc_call *call)
{
    evirt_rpc_server_client *c = evirt_rpc_call_client(call);
    evirtd_events **slot = evirtd_client_events_slot(c);

    if (slot && !*slot && (*slot = calloc(1, sizeof(**slot))))
        (*slot)->rpc = c;
    if (!slot || !*slot) {
        reply_error(call, EVIRT_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    return *slot;
}

static void
reg_ff(void *opaque)
{
    free(opaque);
}

static void
send_event(ev_reg *reg, int proc, xdrproc_t proc_xdr, const void *msg)
{
    if (evirt_rpc_server_client_send_message(reg->owner->rpc, EVIRTD_REMOTE_PROGRAM,
                                             EVIRTD_REMOTE_VERSION, proc, 1,
                                             proc_xdr, msg) < 0)
        EVIRT_DEBUG("client %llu: %s event %d (proc %d) not sent",
                    evirt_rpc_server_client_id(reg->owner->rpc),
                    family_names[reg->family], reg->event_id, proc);
}

/* ---- forwarding --------------------------------------------------------- */

static void
dom_lifecycle_cb(evirt_conn *conn, evirt_domain *dom, int event, int detail,
                 void *opaque)
{
    ev_reg *reg = opaque;
    (void)conn;

    if (!reg->owner)
        return;
    if (reg->legacy) {
        evirt_remote_domain_event_lifecycle_msg m = { .event = event, .detail = detail };
        evirt_remote_dom_out(&m.dom, dom, 0);
        send_event(reg, EVIRT_REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                   (xdrproc_t)xdr_evirt_remote_domain_event_lifecycle_msg, &m);
    } else {
        evirt_remote_domain_event_callback_lifecycle_msg m = {
            .callbackID = reg->wire_id, .event = event, .detail = detail,
        };
        evirt_remote_dom_out(&m.dom, dom, 0);
        send_event(reg, EVIRT_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                   (xdrproc_t)xdr_evirt_remote_domain_event_callback_lifecycle_msg, &m);
    }
}

static void
dom_reboot_cb(evirt_conn *conn, evirt_domain *dom, void *opaque)
{
    ev_reg *reg = opaque;
    (void)conn;

    if (!reg->owner)
        return;
    if (reg->legacy) {
        evirt_remote_dom w;
        evirt_remote_dom_out(&w, dom, 0);
        send_event(reg, PROC_DOMAIN_EVENT_REBOOT, (xdrproc_t)xdr_evirt_remote_dom, &w);
    } else {
        evirt_remote_domain_event_callback_reboot_msg m = { .callbackID = reg->wire_id };
        evirt_remote_dom_out(&m.dom, dom, 0);
        send_event(reg, EVIRT_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                   (xdrproc_t)xdr_evirt_remote_domain_event_callback_reboot_msg, &m);
    }
}

static void
net_lifecycle_cb(evirt_conn *conn, evirt_network *net, int event, int detail,
                 void *opaque)
{
    ev_reg *reg = opaque;
    evirt_remote_network_event_lifecycle_msg m = {
        .callbackID = reg->wire_id, .event = event, .detail = detail,
    };
    (void)conn;

    if (!reg->owner)
        return;
    evirt_remote_net_out(&m.net, net, 0);
    send_event(reg, EVIRT_REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
               (xdrproc_t)xdr_evirt_remote_network_event_lifecycle_msg, &m);
}

static void
pool_lifecycle_cb(evirt_conn *conn, evirt_storage_pool *pool, int event,
                  int detail, void *opaque)
{
    ev_reg *reg = opaque;
    evirt_remote_storage_pool_event_lifecycle_msg m = {
        .callbackID = reg->wire_id, .event = event, .detail = detail,
    };
    (void)conn;

    if (!reg->owner)
        return;
    evirt_remote_pool_out(&m.pool, pool, 0);
    send_event(reg, EVIRT_REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE,
               (xdrproc_t)xdr_evirt_remote_storage_pool_event_lifecycle_msg, &m);
}

static void
pool_refresh_cb(evirt_conn *conn, evirt_storage_pool *pool, void *opaque)
{
    ev_reg *reg = opaque;
    evirt_remote_storage_pool_event_refresh_msg m = { .callbackID = reg->wire_id };
    (void)conn;

    if (!reg->owner)
        return;
    evirt_remote_pool_out(&m.pool, pool, 0);
    send_event(reg, EVIRT_REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH,
               (xdrproc_t)xdr_evirt_remote_storage_pool_event_refresh_msg, &m);
}

/* Whether evirt emits (family, event_id), i.e. we have a forwarder. */
static int
forwardable(int family, int event_id)
{
    switch (family) {
    case FAMILY_DOMAIN:
        return event_id == EVIRT_DOMAIN_EVENT_ID_LIFECYCLE ||
               event_id == EVIRT_DOMAIN_EVENT_ID_REBOOT;
    case FAMILY_NETWORK:
        return event_id == EVIRT_NETWORK_EVENT_ID_LIFECYCLE;
    default:
        return event_id == EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE ||
               event_id == EVIRT_STORAGE_POOL_EVENT_ID_REFRESH;
    }
}

/* ---- registration lifetime ------------------------------------------- */

static void
evirt_deregister(ev_reg *reg)
{
    int rc;

    switch (reg->family) {
    case FAMILY_DOMAIN:
        rc = evirt_conn_domain_event_deregister_any(reg->conn, reg->evirt_id);
        break;
    case FAMILY_NETWORK:
        rc = evirt_conn_network_event_deregister_any(reg->conn, reg->evirt_id);
        break;
    default:
        rc = evirt_conn_storage_pool_event_deregister_any(reg->conn, reg->evirt_id);
        break;
    }
    if (rc < 0)
        EVIRT_WARN("cannot deregister %s event callback %d",
                   family_names[reg->family], reg->evirt_id);
}

static void
reg_unlink(evirtd_events *ev, ev_reg *reg)
{
    for (ev_reg **pp = &ev->head; *pp; pp = &(*pp)->next) {
        if (*pp == reg) {
            *pp = reg->next;
            break;
        }
    }
    reg->next = NULL;
    reg->owner = NULL;
}

/* The client lets go of reg: unlinks it and undoes what can be undone now. */
static void
reg_remove(evirtd_events *ev, ev_reg *reg)
{
    reg_unlink(ev, reg);
    if (reg->dormant)
        free(reg);
    else if (!reg->pending)
        evirt_deregister(reg);      /* reg_ff frees it later */
    /* pending: register_done deregisters it */
}

void
evirtd_events_free(evirtd_events *ev)
{
    if (!ev)
        return;
    while (ev->head)
        reg_remove(ev, ev->head);
    free(ev);
}

static void
answer(evirt_rpc_call *call, int kind, int wire_id)
{
    if (kind == ANSWER_CALLBACK_ID) {
        evirt_remote_connect_event_register_any_ret r = { wire_id };
        evirt_rpc_call_reply(call, &r);
    } else if (kind == ANSWER_REGISTERED) {
        evirt_remote_connect_domain_event_register_ret r = { 0 };
        evirt_rpc_call_reply(call, &r);
    } else {
        evirt_rpc_call_reply(call, NULL);
    }
}

static void
register_done(evirt_op *op, void *opaque)
{
    ev_reg *reg = opaque;
    evirt_rpc_call *call = reg->call;
    int id;

    switch (reg->family) {
    case FAMILY_DOMAIN:
        id = evirt_conn_domain_event_register_any_finish(op);
        break;
    case FAMILY_NETWORK:
        id = evirt_conn_network_event_register_any_finish(op);
        break;
    default:
        id = evirt_conn_storage_pool_event_register_any_finish(op);
        break;
    }
    reg->call = NULL;
    reg->pending = 0;
    if (id < 0) {
        /* evirt frees reg (reg_ff) with the op. */
        if (reg->owner)
            reg_unlink(reg->owner, reg);
        evirt_rpc_call_reply_error(call, evirt_op_error(op));
        return;
    }
    reg->evirt_id = id;
    if (!reg->owner)
        evirt_deregister(reg);      /* the client let go meanwhile */
    else
        EVIRT_DEBUG("client %llu: %s event %d%s -> callback %d (evirt %d)",
                    evirt_rpc_server_client_id(reg->owner->rpc),
                    family_names[reg->family], reg->event_id,
                    reg->legacy ? " (legacy)" : "", reg->wire_id, id);
    /* Nothing of reg is used after this: the answer may free the client. */
    answer(call, reg->answer, reg->wire_id);
}

/*
 * Registers (family, event_id) for the calling client; obj is the
 * object filter (a borrowed handle, NULL for every object).  Answers the
 * call now or when evirt completes.
 */
static void
register_start(evirt_rpc_call *call, evirt_conn *conn, int family, int event_id,
               void *obj, int legacy, int answer_kind)
{
    evirtd_events *ev = call_events(call);
    ev_reg *reg;
    evirt_op *op = NULL;

    if (!ev)
        return;
    if (!(reg = calloc(1, sizeof(*reg)))) {
        reply_error(call, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    reg->owner = ev;
    reg->conn = conn;
    reg->family = family;
    reg->event_id = event_id;
    reg->legacy = legacy;
    reg->wire_id = ev->next_id++;
    reg->answer = answer_kind;

    if (!forwardable(family, event_id)) {
        /* libvirt knows it, evirt never raises it: accept, never fire. */
        reg->dormant = 1;
        reg->next = ev->head;
        ev->head = reg;
        EVIRT_DEBUG("%s event %d: never raised here, callback %d stays silent",
                    family_names[family], event_id, reg->wire_id);
        answer(call, answer_kind, reg->wire_id);
        return;
    }

    reg->pending = 1;
    reg->call = call;
    switch (family) {
    case FAMILY_DOMAIN:
        op = evirt_conn_domain_event_register_any_async(
            conn, obj, event_id,
            event_id == EVIRT_DOMAIN_EVENT_ID_LIFECYCLE
                ? EVIRT_DOMAIN_EVENT_CALLBACK(dom_lifecycle_cb)
                : EVIRT_DOMAIN_EVENT_CALLBACK(dom_reboot_cb),
            reg, reg_ff, register_done, reg);
        break;
    case FAMILY_NETWORK:
        op = evirt_conn_network_event_register_any_async(
            conn, obj, event_id, EVIRT_NETWORK_EVENT_CALLBACK(net_lifecycle_cb),
            reg, reg_ff, register_done, reg);
        break;
    default:
        op = evirt_conn_storage_pool_event_register_any_async(
            conn, obj, event_id,
            event_id == EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE
                ? EVIRT_STORAGE_POOL_EVENT_CALLBACK(pool_lifecycle_cb)
                : EVIRT_STORAGE_POOL_EVENT_CALLBACK(pool_refresh_cb),
            reg, reg_ff, register_done, reg);
        break;
    }
    if (!op) {
        free(reg);
        reply_error(call, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    reg->next = ev->head;
    ev->head = reg;
}

/* The client's registration to drop, or NULL. */
static ev_reg *
find_reg(evirt_rpc_call *call, int family, int legacy, int wire_id, int event_id)
{
    evirtd_events **slot = evirtd_client_events_slot(evirt_rpc_call_client(call));
    ev_reg *found = NULL;

    if (!slot || !*slot)
        return NULL;
    /* Oldest first, as libvirtd picks the first legacy match. */
    for (ev_reg *r = (*slot)->head; r; r = r->next) {
        if (r->family != family || r->legacy != legacy)
            continue;
        if (legacy ? r->event_id == event_id : r->wire_id == wire_id)
            found = r;
    }
    return found;
}

/* ---- callback-form procedures ----------------------------------------- */

static void
h_domain_callback_register(evirt_rpc_call *call, void *argp)
{
    evirt_remote_connect_domain_event_callback_register_any_args *a = argp;
    evirt_conn *conn = call_conn(call);
    evirt_domain *dom = NULL;

    if (!conn)
        return;
    if (a->eventID < 0 || a->eventID >= DOMAIN_EVENT_ID_LAST) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "unsupported event ID %d", a->eventID);
        return;
    }
    if (a->dom && !(dom = evirt_remote_dom_in(conn, a->dom))) {
        reply_error(call, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    register_start(call, conn, FAMILY_DOMAIN, a->eventID, dom, 0, ANSWER_CALLBACK_ID);
    evirt_domain_unref(dom);
}

static void
h_network_register(evirt_rpc_call *call, void *argp)
{
    evirt_remote_connect_network_event_register_any_args *a = argp;
    evirt_conn *conn = call_conn(call);
    evirt_network *net = NULL;

    if (!conn)
        return;
    if (a->eventID < 0 || a->eventID >= NETWORK_EVENT_ID_LAST) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "unsupported network event ID %d",
                    a->eventID);
        return;
    }
    if (a->net && !(net = evirt_remote_net_in(conn, a->net))) {
        reply_error(call, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    register_start(call, conn, FAMILY_NETWORK, a->eventID, net, 0, ANSWER_CALLBACK_ID);
    evirt_network_unref(net);
}

static void
h_pool_register(evirt_rpc_call *call, void *argp)
{
    evirt_remote_connect_storage_pool_event_register_any_args *a = argp;
    evirt_conn *conn = call_conn(call);
    evirt_storage_pool *pool = NULL;

    if (!conn)
        return;
    if (a->eventID < 0 || a->eventID >= STORAGE_POOL_EVENT_ID_LAST) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR,
                    "unsupported storage pool event ID %d", a->eventID);
        return;
    }
    if (a->pool && !(pool = evirt_remote_pool_in(conn, a->pool))) {
        reply_error(call, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    register_start(call, conn, FAMILY_POOL, a->eventID, pool, 0, ANSWER_CALLBACK_ID);
    evirt_storage_pool_unref(pool);
}

static void
callback_deregister(evirt_rpc_call *call, void *argp, int family)
{
    evirt_remote_connect_event_deregister_any_args *a = argp;
    ev_reg *reg;

    if (!call_conn(call))
        return;
    if (!(reg = find_reg(call, family, 0, a->callbackID, -1))) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR,
                    "%s event callback %d not registered",
                    family_names[family], a->callbackID);
        return;
    }
    reg_remove(reg->owner, reg);
    evirt_rpc_call_reply(call, NULL);
}

static void
h_domain_callback_deregister(evirt_rpc_call *call, void *argp)
{
    callback_deregister(call, argp, FAMILY_DOMAIN);
}

static void
h_network_deregister(evirt_rpc_call *call, void *argp)
{
    callback_deregister(call, argp, FAMILY_NETWORK);
}

static void
h_pool_deregister(evirt_rpc_call *call, void *argp)
{
    callback_deregister(call, argp, FAMILY_POOL);
}

/* ---- legacy domain procedures (clients that saw feature 14 = 0) ------- */

static void
h_legacy_register(evirt_rpc_call *call, void *argp)
{
    evirt_conn *conn = call_conn(call);
    (void)argp;

    if (conn)
        register_start(call, conn, FAMILY_DOMAIN, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
                       NULL, 1, ANSWER_REGISTERED);
}

static void
h_legacy_deregister(evirt_rpc_call *call, void *argp)
{
    evirt_remote_connect_domain_event_register_ret r = { 0 };
    ev_reg *reg;
    (void)argp;

    if (!call_conn(call))
        return;
    if (!(reg = find_reg(call, FAMILY_DOMAIN, 1, -1, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE))) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "domain event %d not registered",
                    EVIRT_DOMAIN_EVENT_ID_LIFECYCLE);
        return;
    }
    reg_remove(reg->owner, reg);
    evirt_rpc_call_reply(call, &r);
}

static void
h_legacy_register_any(evirt_rpc_call *call, void *argp)
{
    evirt_remote_connect_domain_event_register_any_args *a = argp;
    evirt_conn *conn = call_conn(call);

    if (!conn)
        return;
    if (a->eventID < 0 || a->eventID >= DOMAIN_EVENT_ID_LEGACY_LAST) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "unsupported event ID %d", a->eventID);
        return;
    }
    register_start(call, conn, FAMILY_DOMAIN, a->eventID, NULL, 1, ANSWER_VOID);
}

static void
h_legacy_deregister_any(evirt_rpc_call *call, void *argp)
{
    evirt_remote_connect_domain_event_register_any_args *a = argp;
    ev_reg *reg;

    if (!call_conn(call))
        return;
    if (a->eventID < 0 || a->eventID >= DOMAIN_EVENT_ID_LEGACY_LAST) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "unsupported event ID %d", a->eventID);
        return;
    }
    if (!(reg = find_reg(call, FAMILY_DOMAIN, 1, -1, a->eventID))) {
        reply_error(call, EVIRT_ERR_INTERNAL_ERROR, "domain event %d not registered",
                    a->eventID);
        return;
    }
    reg_remove(reg->owner, reg);
    evirt_rpc_call_reply(call, NULL);
}

/* ---- the table ---------------------------------------------------------- */

#define XDR(name) ((xdrproc_t)xdr_evirt_remote_##name)

const evirt_rpc_proc evirtd_event_procs[] = {
    { EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, NULL, 0,
      XDR(connect_domain_event_register_ret),
      sizeof(evirt_remote_connect_domain_event_register_ret), h_legacy_register, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, NULL, 0,
      XDR(connect_domain_event_register_ret),
      sizeof(evirt_remote_connect_domain_event_register_ret), h_legacy_deregister, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY,
      XDR(connect_domain_event_register_any_args),
      sizeof(evirt_remote_connect_domain_event_register_any_args), NULL, 0,
      h_legacy_register_any, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY,
      XDR(connect_domain_event_register_any_args),
      sizeof(evirt_remote_connect_domain_event_register_any_args), NULL, 0,
      h_legacy_deregister_any, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
      XDR(connect_network_event_register_any_args),
      sizeof(evirt_remote_connect_network_event_register_any_args),
      XDR(connect_event_register_any_ret),
      sizeof(evirt_remote_connect_event_register_any_ret), h_network_register, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY,
      XDR(connect_event_deregister_any_args),
      sizeof(evirt_remote_connect_event_deregister_any_args), NULL, 0,
      h_network_deregister, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      XDR(connect_domain_event_callback_register_any_args),
      sizeof(evirt_remote_connect_domain_event_callback_register_any_args),
      XDR(connect_event_register_any_ret),
      sizeof(evirt_remote_connect_event_register_any_ret),
      h_domain_callback_register, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
      XDR(connect_event_deregister_any_args),
      sizeof(evirt_remote_connect_event_deregister_any_args), NULL, 0,
      h_domain_callback_deregister, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
      XDR(connect_storage_pool_event_register_any_args),
      sizeof(evirt_remote_connect_storage_pool_event_register_any_args),
      XDR(connect_event_register_any_ret),
      sizeof(evirt_remote_connect_event_register_any_ret), h_pool_register, 0 },
    { EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY,
      XDR(connect_event_deregister_any_args),
      sizeof(evirt_remote_connect_event_deregister_any_args), NULL, 0,
      h_pool_deregister, 0 },
};

const size_t evirtd_event_nprocs = sizeof(evirtd_event_procs) / sizeof(evirtd_event_procs[0]);
