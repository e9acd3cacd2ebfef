/*
 * api/events.c - domain event callbacks: registration, and delivery on
 * the loop in the order the driver emitted the events.
 *
 * Everything here runs on the connection's loop thread.  Deregistering
 * only marks the entry; a purge queued on the loop unlinks it and runs its
 * free function, so deregistering from inside a callback is safe.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#define EVIRT_LOG_CATEGORY "evirt.events"
#include "api/api-support.h"
#include "api/driver.h"
#include "api/events.h"
#include "api/log-private.h"

typedef struct event_cb {
    int id;
    int event_id;
    int any_domain;
    unsigned char uuid[16];
    evirt_domain_event_generic_cb cb;
    void *opaque;
    evirt_free_cb ff;
    int removed;
    struct event_cb *next;
} event_cb;

struct evirt_event_registry {
    event_cb *head;
    int next_id;
    int purge_queued;
};

evirt_event_registry *evirt_event_registry_new(void)
{
    evirt_event_registry *reg = calloc(1, sizeof(*reg));
    if (reg)
        reg->next_id = 1;
    return reg;
}

void evirt_event_registry_free(evirt_event_registry *reg)
{
    if (!reg)
        return;
    while (reg->head) {
        event_cb *e = reg->head;
        reg->head = e->next;
        if (e->ff)
            e->ff(e->opaque);
        free(e);
    }
    free(reg);
}

static int count_for(evirt_event_registry *reg, int event_id)
{
    int n = 0;
    for (event_cb *e = reg->head; e; e = e->next)
        if (!e->removed && e->event_id == event_id)
            n++;
    return n;
}

/* ----------------------------------------------------------- delivery */

struct pending_event {
    evirt_conn *conn;
    char *name;
    unsigned char uuid[16];
    int id;
    int event_id;
    int a, b;
};

static void deliver(void *opaque)
{
    struct pending_event *ev = opaque;
    evirt_conn *conn = ev->conn;
    evirt_domain *dom = evirt_domain_new_handle(conn, ev->name, ev->uuid, ev->id);

    if (dom && conn->events) {
        for (event_cb *e = conn->events->head; e; e = e->next) {
            if (e->removed || e->event_id != ev->event_id)
                continue;
            if (!e->any_domain && memcmp(e->uuid, ev->uuid, 16) != 0)
                continue;
            if (ev->event_id == EVIRT_DOMAIN_EVENT_ID_LIFECYCLE)
                ((evirt_domain_event_lifecycle_cb)(void (*)(void))e->cb)(
                    conn, dom, ev->a, ev->b, e->opaque);
            else
                e->cb(conn, dom, e->opaque);
        }
    }
    evirt_domain_unref(dom);
    free(ev->name);
    free(ev);
    evirt_conn_close(conn);
}

void evirt_conn_emit_domain_event(evirt_conn *conn, const char *name,
                                  const unsigned char *uuid, int id,
                                  int event_id, int a, int b)
{
    /* Nobody listens: skip the allocation (the common case for agents
     * that only watch some events). */
    if (!conn->events || count_for(conn->events, event_id) == 0)
        return;
    struct pending_event *ev = calloc(1, sizeof(*ev));
    if (!ev || !(ev->name = strdup(name))) {
        free(ev);
        EVIRT_ERROR("out of memory: domain event for %s lost", name);
        return;
    }
    ev->conn = evirt_conn_ref(conn);
    memcpy(ev->uuid, uuid, 16);
    ev->id = id;
    ev->event_id = event_id;
    ev->a = a;
    ev->b = b;
    if (evirt_loop_invoke(conn->loop, deliver, ev) < 0) {
        EVIRT_ERROR("cannot queue domain event for %s", name);
        free(ev->name);
        free(ev);
        evirt_conn_close(conn);
    }
}

/* ------------------------------------------------------- registration */

struct register_args {
    evirt_conn *conn;
    event_cb *entry; /* owned until linked into the registry */
    int linked;
};

static void register_args_free(void *p)
{
    struct register_args *a = p;
    if (a->entry && !a->linked) {
        if (a->entry->ff)
            a->entry->ff(a->entry->opaque);
        free(a->entry);
    }
    evirt_conn_close(a->conn);
    free(a);
}

static void register_dispatch(evirt_op *op)
{
    struct register_args *a = evirt_op_get_args(op);
    evirt_conn *conn = a->conn;
    evirt_event_registry *reg = conn->events;
    event_cb *e = a->entry;

    int first = count_for(reg, e->event_id) == 0;
    e->id = reg->next_id++;
    e->next = reg->head;
    reg->head = e;
    a->linked = 1;
    if (first && conn->driver->domain_event_register)
        conn->driver->domain_event_register(op, conn, e->event_id);
    else
        evirt_op_return_void(op);
}

static evirt_op *register_start(evirt_conn *conn, evirt_domain *dom, int event_id,
                                evirt_domain_event_generic_cb cb, void *opaque,
                                evirt_free_cb ff, evirt_callback done,
                                void *done_opaque, int hold)
{
    if (!conn) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_CONN,
                           "evirt_conn_domain_event_register_any: conn is NULL");
        return NULL;
    }
    evirt_op *op = evirt_api_op_begin(conn, "domain_event_register_any", 0, done,
                                      done_opaque, hold);
    if (!op)
        return NULL;
    struct register_args *a = calloc(1, sizeof(*a));
    event_cb *e = calloc(1, sizeof(*e));
    if (!a || !e) {
        free(a);
        free(e);
        evirt_api_fail_oom(op);
        return op;
    }
    a->conn = evirt_conn_ref(conn);
    a->entry = e;
    e->event_id = event_id;
    e->any_domain = dom == NULL;
    if (dom)
        memcpy(e->uuid, dom->uuid, 16);
    e->cb = cb;
    e->opaque = opaque;
    e->ff = ff;
    evirt_op_set_args(op, a, register_args_free);
    if (!cb)
        evirt_api_fail_arg(op, "evirt_conn_domain_event_register_any: callback is NULL");
    else if (event_id != EVIRT_DOMAIN_EVENT_ID_LIFECYCLE &&
             event_id != EVIRT_DOMAIN_EVENT_ID_REBOOT)
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                      "domain event id %d is not supported", event_id);
    evirt_api_op_dispatch(op, register_dispatch);
    return op;
}

evirt_op *evirt_conn_domain_event_register_any_async(
    evirt_conn *conn, evirt_domain *dom, int event_id,
    evirt_domain_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque)
{
    return register_start(conn, dom, event_id, cb, opaque, ff, done, done_opaque, 0);
}

int evirt_conn_domain_event_register_any_finish(evirt_op *op)
{
    evirt_op_result *res;
    if (evirt_op_take_result(op, &res) < 0)
        return -1;
    struct register_args *a = evirt_op_get_args(op);
    return a->entry->id;
}

int evirt_conn_domain_event_register_any(evirt_conn *conn, evirt_domain *dom,
                                         int event_id,
                                         evirt_domain_event_generic_cb cb,
                                         void *opaque, evirt_free_cb ff)
{
    evirt_op *op = register_start(conn, dom, event_id, cb, opaque, ff, NULL, NULL, 1);
    if (!op)
        return -1;
    evirt_op_sync_wait(op);
    int ret = evirt_conn_domain_event_register_any_finish(op);
    evirt_op_sync_end(op);
    return ret;
}

static void purge(void *opaque)
{
    evirt_conn *conn = opaque;
    evirt_event_registry *reg = conn->events;
    reg->purge_queued = 0;
    for (event_cb **pp = &reg->head; *pp;) {
        event_cb *e = *pp;
        if (!e->removed) {
            pp = &e->next;
            continue;
        }
        *pp = e->next;
        if (e->ff)
            e->ff(e->opaque);
        free(e);
    }
    evirt_conn_close(conn);
}

int evirt_conn_domain_event_deregister_any(evirt_conn *conn, int callback_id)
{
    if (!conn) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_CONN,
                           "evirt_conn_domain_event_deregister_any: conn is NULL");
        return -1;
    }
    evirt_event_registry *reg = conn->events;
    event_cb *e = reg->head;
    while (e && (e->id != callback_id || e->removed))
        e = e->next;
    if (!e) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                           "no domain event callback with id %d", callback_id);
        return -1;
    }
    e->removed = 1;
    if (count_for(reg, e->event_id) == 0 && conn->driver->domain_event_unregister)
        conn->driver->domain_event_unregister(conn, e->event_id);
    if (!reg->purge_queued &&
        evirt_loop_invoke(conn->loop, purge, evirt_conn_ref(conn)) == 0)
        reg->purge_queued = 1;
    return 0;
}
