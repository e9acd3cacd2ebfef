/*
 * drivers/remote/remote-events.c - events from the daemon.
 *
 * The API layer asks the driver once per (family, event id) when its
 * first callback comes and when its last one goes; this file turns that
 * into the callback-form registrations of libvirt's protocol (one server
 * registration for all objects; the API layer filters per object), and
 * turns the event MESSAGEs back into evirt_conn_emit_event().
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#define EVIRT_LOG_CATEGORY "evirt.remote"
#include "api/error-private.h"
#include "api/log-private.h"
#include "drivers/remote/remote-private.h"
#include "drivers/remote/remote-stubs.h"
#include "rpc/remote-xdr.h"

/* The register / deregister procedures of a family. */
static int register_proc(int family)
{
    switch (family) {
    case EVIRT_EVENT_FAMILY_DOMAIN:
        return EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY;
    case EVIRT_EVENT_FAMILY_NETWORK:
        return EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY;
    case EVIRT_EVENT_FAMILY_STORAGE_POOL:
        return EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY;
    }
    return -1;
}

static int deregister_proc(int family)
{
    switch (family) {
    case EVIRT_EVENT_FAMILY_DOMAIN:
        return EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY;
    case EVIRT_EVENT_FAMILY_NETWORK:
        return EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY;
    case EVIRT_EVENT_FAMILY_STORAGE_POOL:
        return EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY;
    }
    return -1;
}

static void unlink_reg(remote_priv *priv, remote_event_reg *reg)
{
    for (remote_event_reg **pp = &priv->regs; *pp; pp = &(*pp)->next) {
        if (*pp == reg) {
            *pp = reg->next;
            free(reg);
            return;
        }
    }
}

void remote_events_clear(remote_priv *priv)
{
    while (priv->regs) {
        remote_event_reg *r = priv->regs;
        priv->regs = r->next;
        free(r);
    }
}

static void deregister_done(void *opaque, evirt_error *err)
{
    (void)opaque;
    if (err)
        EVIRT_DEBUG("event deregistration failed: %s",
                    err->message ? err->message : "?");
}

/* Fire and forget: registrations die with the connection anyway. */
static void send_deregister(remote_priv *priv, int family, int callback_id)
{
    evirt_remote_connect_event_deregister_any_args a = { .callbackID = callback_id };
    if (!evirt_rpc_client_is_alive(priv->client))
        return;
    evirt_rpc_client_call(priv->client, EVIRT_REMOTE_PROGRAM,
                          EVIRT_REMOTE_PROTOCOL_VERSION, deregister_proc(family),
                          (xdrproc_t)xdr_evirt_remote_connect_event_deregister_any_args,
                          &a, (xdrproc_t)remote_xdr_empty, NULL, deregister_done,
                          NULL, NULL);
}

/* --------------------------------------------------------- register */

typedef struct register_ctx {
    evirt_op *op;            /* holds the connection, so priv stays */
    remote_priv *priv;
    remote_event_reg *reg;
    uint32_t serial;
    evirt_remote_connect_event_register_any_ret ret;
} register_ctx;

static void register_done(void *opaque, evirt_error *err)
{
    register_ctx *ctx = opaque;
    remote_priv *priv = ctx->priv;
    remote_event_reg *reg = ctx->reg;

    evirt_op_set_cancel_hook(ctx->op, NULL, NULL);
    if (err) {
        unlink_reg(priv, reg);
        evirt_op_fail_error(ctx->op, err);
    } else {
        reg->callback_id = ctx->ret.callbackID;
        EVIRT_DEBUG("server callback %d for family %d event %d", reg->callback_id,
                    reg->family, reg->event_id);
        if (reg->unwanted) {
            send_deregister(priv, reg->family, reg->callback_id);
            unlink_reg(priv, reg);
        }
        evirt_op_return_void(ctx->op);
    }
    evirt_op_unref(ctx->op);
    free(ctx);
}

static void register_cancel(evirt_op *op, void *data)
{
    register_ctx *ctx = data;
    (void)op;
    evirt_rpc_client_cancel(ctx->priv->client, ctx->serial);
}

void remote_event_register(evirt_op *op, evirt_conn *conn, int family, int event_id)
{
    remote_priv *priv = conn->driver_data;
    int proc = register_proc(family);

    if (!priv || !evirt_remote_conn_client(conn)) {
        evirt_op_fail(op, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                      "client socket is closed");
        return;
    }
    if (proc < 0) {
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_SUPPORT,
                      "events of family %d are not supported", family);
        return;
    }
    if (!priv->callback_events) {
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_SUPPORT,
                      "the server does not support callback-based event "
                      "registration");
        return;
    }

    register_ctx *ctx = calloc(1, sizeof(*ctx));
    remote_event_reg *reg = calloc(1, sizeof(*reg));
    if (!ctx || !reg) {
        free(ctx);
        free(reg);
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
        return;
    }
    reg->family = family;
    reg->event_id = event_id;
    reg->callback_id = -1;
    reg->next = priv->regs;
    priv->regs = reg;
    ctx->op = evirt_op_ref(op);
    ctx->priv = priv;
    ctx->reg = reg;

    /* The three args structs share one layout: event id, absent object. */
    evirt_remote_connect_domain_event_callback_register_any_args dargs = {
        .eventID = event_id, .dom = NULL };
    evirt_remote_connect_network_event_register_any_args nargs = {
        .eventID = event_id, .net = NULL };
    evirt_remote_connect_storage_pool_event_register_any_args pargs = {
        .eventID = event_id, .pool = NULL };
    xdrproc_t args_proc;
    const void *args;
    switch (family) {
    case EVIRT_EVENT_FAMILY_DOMAIN:
        args_proc = (xdrproc_t)xdr_evirt_remote_connect_domain_event_callback_register_any_args;
        args = &dargs;
        break;
    case EVIRT_EVENT_FAMILY_NETWORK:
        args_proc = (xdrproc_t)xdr_evirt_remote_connect_network_event_register_any_args;
        args = &nargs;
        break;
    default:
        args_proc = (xdrproc_t)xdr_evirt_remote_connect_storage_pool_event_register_any_args;
        args = &pargs;
        break;
    }
    if (evirt_rpc_client_call(priv->client, EVIRT_REMOTE_PROGRAM,
                              EVIRT_REMOTE_PROTOCOL_VERSION, proc, args_proc, args,
                              (xdrproc_t)xdr_evirt_remote_connect_event_register_any_ret,
                              &ctx->ret, register_done, ctx, &ctx->serial) < 0) {
        unlink_reg(priv, reg);
        evirt_op_unref(ctx->op);
        free(ctx);
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
        return;
    }
    evirt_op_set_cancel_hook(op, register_cancel, ctx);
}

void remote_event_unregister(evirt_conn *conn, int family, int event_id)
{
    remote_priv *priv = conn->driver_data;
    if (!priv)
        return;
    for (remote_event_reg *r = priv->regs; r; r = r->next) {
        if (r->family != family || r->event_id != event_id || r->unwanted)
            continue;
        if (r->callback_id < 0) {
            r->unwanted = 1; /* still registering: undo when it answers */
        } else {
            send_deregister(priv, family, r->callback_id);
            unlink_reg(priv, r);
        }
        return;
    }
}

/* ---------------------------------------------------------- messages */

/* The registration a callback id belongs to, if it is still wanted. */
static remote_event_reg *find_reg(remote_priv *priv, int callback_id)
{
    for (remote_event_reg *r = priv->regs; r; r = r->next)
        if (r->callback_id == callback_id && !r->unwanted)
            return r;
    return NULL;
}

static void emit(remote_priv *priv, int callback_id, int family, int event_id,
                 const char *name, const char *uuid, int id, int a, int b)
{
    remote_event_reg *r = find_reg(priv, callback_id);
    if (!r || r->family != family || r->event_id != event_id) {
        EVIRT_DEBUG("dropping event for unknown callback %d", callback_id);
        return;
    }
    evirt_conn_emit_event(priv->conn, family, name, (const unsigned char *)uuid, id,
                          event_id, a, b);
}

/* Decodes payload with proc into msg; 0, or -1 (logged). */
static int decode(const char *payload, size_t len, xdrproc_t proc, void *msg,
                  int num)
{
    XDR xdr;
    xdrmem_create(&xdr, (char *)payload, (u_int)len, XDR_DECODE);
    int ok = proc(&xdr, msg);
    xdr_destroy(&xdr);
    if (!ok) {
        EVIRT_WARN("cannot decode event message %d: dropped", num);
        xdr_free(proc, msg);
        return -1;
    }
    return 0;
}

void remote_events_message(void *opaque, const evirt_rpc_header *hdr,
                           const char *payload, size_t len)
{
    remote_priv *priv = opaque;
    if (priv->conn->driver_data != priv)
        return; /* still opening: nobody can have registered */

    switch (hdr->proc) {
    case EVIRT_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        evirt_remote_domain_event_callback_lifecycle_msg m = { 0 };
        xdrproc_t p = (xdrproc_t)xdr_evirt_remote_domain_event_callback_lifecycle_msg;
        if (decode(payload, len, p, &m, hdr->proc) < 0)
            return;
        emit(priv, m.callbackID, EVIRT_EVENT_FAMILY_DOMAIN,
             EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, m.dom.name, m.dom.uuid, m.dom.id,
             m.event, m.detail);
        xdr_free(p, (char *)&m);
        return;
    }
    case EVIRT_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT: {
        evirt_remote_domain_event_callback_reboot_msg m = { 0 };
        xdrproc_t p = (xdrproc_t)xdr_evirt_remote_domain_event_callback_reboot_msg;
        if (decode(payload, len, p, &m, hdr->proc) < 0)
            return;
        emit(priv, m.callbackID, EVIRT_EVENT_FAMILY_DOMAIN,
             EVIRT_DOMAIN_EVENT_ID_REBOOT, m.dom.name, m.dom.uuid, m.dom.id, 0, 0);
        xdr_free(p, (char *)&m);
        return;
    }
    case EVIRT_REMOTE_PROC_NETWORK_EVENT_LIFECYCLE: {
        evirt_remote_network_event_lifecycle_msg m = { 0 };
        xdrproc_t p = (xdrproc_t)xdr_evirt_remote_network_event_lifecycle_msg;
        if (decode(payload, len, p, &m, hdr->proc) < 0)
            return;
        emit(priv, m.callbackID, EVIRT_EVENT_FAMILY_NETWORK,
             EVIRT_NETWORK_EVENT_ID_LIFECYCLE, m.net.name, m.net.uuid, -1,
             m.event, m.detail);
        xdr_free(p, (char *)&m);
        return;
    }
    case EVIRT_REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE: {
        evirt_remote_storage_pool_event_lifecycle_msg m = { 0 };
        xdrproc_t p = (xdrproc_t)xdr_evirt_remote_storage_pool_event_lifecycle_msg;
        if (decode(payload, len, p, &m, hdr->proc) < 0)
            return;
        emit(priv, m.callbackID, EVIRT_EVENT_FAMILY_STORAGE_POOL,
             EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE, m.pool.name, m.pool.uuid, -1,
             m.event, m.detail);
        xdr_free(p, (char *)&m);
        return;
    }
    case EVIRT_REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH: {
        evirt_remote_storage_pool_event_refresh_msg m = { 0 };
        xdrproc_t p = (xdrproc_t)xdr_evirt_remote_storage_pool_event_refresh_msg;
        if (decode(payload, len, p, &m, hdr->proc) < 0)
            return;
        emit(priv, m.callbackID, EVIRT_EVENT_FAMILY_STORAGE_POOL,
             EVIRT_STORAGE_POOL_EVENT_ID_REFRESH, m.pool.name, m.pool.uuid, -1, 0, 0);
        xdr_free(p, (char *)&m);
        return;
    }
    case EVIRT_REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED: {
        evirt_remote_connect_event_connection_closed_msg m = { 0 };
        xdrproc_t p = (xdrproc_t)xdr_evirt_remote_connect_event_connection_closed_msg;
        if (decode(payload, len, p, &m, hdr->proc) < 0)
            return;
        /* The daemon's hypervisor connection is gone: ours is useless. */
        evirt_error err = { 0 };
        evirt_error_set(&err, EVIRT_FROM_REMOTE, EVIRT_ERR_INTERNAL_ERROR,
                        "the server closed its hypervisor connection (reason %d)",
                        m.reason);
        remote_conn_died(priv, m.reason, &err);
        evirt_error_reset(&err);
        return;
    }
    default:
        EVIRT_DEBUG("ignoring message procedure %d", hdr->proc);
    }
}
