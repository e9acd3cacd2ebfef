/*
 * api/events.c - event callbacks of domains, networks and storage pools:
 * registration, and delivery on the loop in the order the driver emitted
 * the events.
 *
 * The three families share everything but the handle a callback gets and
 * the events they know, so one registry holds them all, keyed by
 * (family, event id).
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

typedef void (*generic_cb)(evirt_conn *conn, void *obj, void *opaque);
typedef void (*lifecycle_cb)(evirt_conn *conn, void *obj, int event, int detail,
                             void *opaque);

typedef struct event_cb {
    int id;
    int family;
    int event_id;
    int any_object;
    unsigned char uuid[16];
    generic_cb cb;
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

/* What each family knows: its events, and which of them carry an
 * (event, detail) pair. */
static int family_knows(int family, int event_id)
{
    switch (family) {
    case EVIRT_EVENT_FAMILY_DOMAIN:
        return event_id == EVIRT_DOMAIN_EVENT_ID_LIFECYCLE ||
               event_id == EVIRT_DOMAIN_EVENT_ID_REBOOT;
    case EVIRT_EVENT_FAMILY_NETWORK:
        return event_id == EVIRT_NETWORK_EVENT_ID_LIFECYCLE;
    case EVIRT_EVENT_FAMILY_STORAGE_POOL:
        return event_id == EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE ||
               event_id == EVIRT_STORAGE_POOL_EVENT_ID_REFRESH;
    }
    return 0;
}

static int is_lifecycle(int family, int event_id)
{
    /* Every family numbers its lifecycle event 0. */
    (void)family;
    return event_id == 0;
}

static const char *family_name(int family)
{
    static const char *const names[] = {"domain", "network", "storage pool"};
    return names[family];
}

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

static int count_for(evirt_event_registry *reg, int family, int event_id)
{
    int n = 0;
    for (event_cb *e = reg->head; e; e = e->next)
        if (!e->removed && e->family == family && e->event_id == event_id)
            n++;
    return n;
}

/* ----------------------------------------------------------- delivery */

struct pending_event {
    evirt_conn *conn;
    int family;
    char *name;
    unsigned char uuid[16];
    int id; /* domains only */
    int event_id;
    int a, b;
};

static void *make_handle(struct pending_event *ev)
{
    switch (ev->family) {
    case EVIRT_EVENT_FAMILY_DOMAIN:
        return evirt_domain_new_handle(ev->conn, ev->name, ev->uuid, ev->id);
    case EVIRT_EVENT_FAMILY_NETWORK:
        return evirt_network_new_handle(ev->conn, ev->name, ev->uuid, NULL, NULL);
    default:
        return evirt_storage_pool_new_handle(ev->conn, ev->name, ev->uuid, NULL, NULL);
    }
}

static void drop_handle(int family, void *obj)
{
    switch (family) {
    case EVIRT_EVENT_FAMILY_DOMAIN:
        evirt_domain_unref(obj);
        break;
    case EVIRT_EVENT_FAMILY_NETWORK:
        evirt_network_unref(obj);
        break;
    default:
        evirt_storage_pool_unref(obj);
    }
}

static void deliver(void *opaque)
{
    struct pending_event *ev = opaque;
    evirt_conn *conn = ev->conn;
    void *obj = make_handle(ev);

    if (obj && conn->events) {
        for (event_cb *e = conn->events->head; e; e = e->next) {
            if (e->removed || e->family != ev->family || e->event_id != ev->event_id)
                continue;
            if (!e->any_object && memcmp(e->uuid, ev->uuid, 16) != 0)
                continue;
            if (is_lifecycle(ev->family, ev->event_id))
                ((lifecycle_cb)(void (*)(void))e->cb)(conn, obj, ev->a, ev->b, e->opaque);
            else
                e->cb(conn, obj, e->opaque);
        }
    } else if (!obj) {
        EVIRT_ERROR("out of memory: %s event for %s lost", family_name(ev->family),
                    ev->name);
    }
    if (obj)
        drop_handle(ev->family, obj);
    free(ev->name);
    free(ev);
    evirt_conn_close(conn);
}

void evirt_conn_emit_event(evirt_conn *conn, int family, const char *name,
                           const unsigned char *uuid, int id, int event_id,
                           int a, int b)
{
    /* Nobody listens: skip the allocation (the common case for agents
     * that only watch some events). */
    if (!conn->events || count_for(conn->events, family, event_id) == 0)
        return;
    struct pending_event *ev = calloc(1, sizeof(*ev));
    if (!ev || !(ev->name = strdup(name))) {
        free(ev);
        EVIRT_ERROR("out of memory: %s event for %s lost", family_name(family), name);
        return;
    }
    ev->conn = evirt_conn_ref(conn);
    ev->family = family;
    memcpy(ev->uuid, uuid, 16);
    ev->id = id;
    ev->event_id = event_id;
    ev->a = a;
    ev->b = b;
    if (evirt_loop_invoke(conn->loop, deliver, ev) < 0) {
        EVIRT_ERROR("cannot queue %s event for %s", family_name(family), name);
        free(ev->name);
        free(ev);
        evirt_conn_close(conn);
    }
}

void evirt_conn_emit_domain_event(evirt_conn *conn, const char *name,
                                  const unsigned char *uuid, int id,
                                  int event_id, int a, int b)
{
    evirt_conn_emit_event(conn, EVIRT_EVENT_FAMILY_DOMAIN, name, uuid, id,
                          event_id, a, b);
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

/*
 * The driver is asked (the remote driver registers with the server) in an
 * op of its own, so that a refusal can take the registration back out
 * before the caller hears of it: a registration that failed must not
 * stay, or later ones for the same event would never reach the driver.
 */
static void unlink_entry(evirt_event_registry *reg, event_cb *e)
{
    for (event_cb **pp = &reg->head; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            return;
        }
    }
}

static void driver_register_done(evirt_op *inner, void *opaque)
{
    evirt_op *outer = opaque;
    struct register_args *a = evirt_op_get_args(outer);
    const evirt_error *err = evirt_op_error(inner);

    if (err) {
        unlink_entry(a->conn->events, a->entry);
        a->linked = 0; /* register_args_free frees it and runs its ff */
        evirt_error copy = {0};
        evirt_error_copy(&copy, err);
        evirt_op_fail_error(outer, &copy);
    } else {
        evirt_op_return_void(outer);
    }
    evirt_op_unref(outer);
}

static void driver_register_dispatch(evirt_op *inner)
{
    evirt_op *outer = evirt_op_get_args(inner);
    struct register_args *a = evirt_op_get_args(outer);
    a->conn->driver->event_register(inner, a->conn, a->entry->family,
                                    a->entry->event_id);
}

static void register_dispatch(evirt_op *op)
{
    struct register_args *a = evirt_op_get_args(op);
    evirt_conn *conn = a->conn;
    evirt_event_registry *reg = conn->events;
    event_cb *e = a->entry;

    int first = count_for(reg, e->family, e->event_id) == 0;
    e->id = reg->next_id++;
    e->next = reg->head;
    reg->head = e;
    a->linked = 1;
    if (!first || !conn->driver->event_register) {
        evirt_op_return_void(op);
        return;
    }
    evirt_op *inner = evirt_op_new(conn, NULL, "event_register", driver_register_done,
                                   evirt_op_ref(op));
    if (!inner) {
        unlink_entry(reg, e);
        a->linked = 0;
        evirt_op_unref(op);
        evirt_api_fail_oom(op);
        return;
    }
    evirt_op_set_args(inner, op, NULL);
    evirt_op_start(inner, driver_register_dispatch);
}

/* uuid: the object's, or NULL for every object of the family. */
static evirt_op *register_start(evirt_conn *conn, int family,
                                const unsigned char *uuid, int event_id,
                                generic_cb cb, void *opaque, evirt_free_cb ff,
                                evirt_callback done, void *done_opaque, int hold)
{
    if (!conn) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_CONN,
                           "event registration: conn is NULL");
        return NULL;
    }
    evirt_op *op = evirt_api_op_begin(conn, "event_register_any", EVIRT_FROM_NONE, 0, done,
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
    e->family = family;
    e->event_id = event_id;
    e->any_object = uuid == NULL;
    if (uuid)
        memcpy(e->uuid, uuid, 16);
    e->cb = cb;
    e->opaque = opaque;
    e->ff = ff;
    evirt_op_set_args(op, a, register_args_free);
    if (!cb)
        evirt_api_fail_arg(op, "event registration: callback is NULL");
    else if (!family_knows(family, event_id))
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                      "%s event id %d is not supported", family_name(family), event_id);
    evirt_api_op_dispatch(op, register_dispatch);
    return op;
}

static int register_finish(evirt_op *op)
{
    evirt_op_result *res;
    if (evirt_op_take_result(op, &res) < 0)
        return -1;
    struct register_args *a = evirt_op_get_args(op);
    return a->entry->id;
}

static int register_sync(evirt_conn *conn, int family, const unsigned char *uuid,
                         int event_id, generic_cb cb, void *opaque, evirt_free_cb ff)
{
    evirt_op *op = register_start(conn, family, uuid, event_id, cb, opaque, ff,
                                  NULL, NULL, 1);
    if (!op)
        return -1;
    evirt_op_sync_wait(op);
    int ret = register_finish(op);
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

static int deregister(evirt_conn *conn, int family, int callback_id)
{
    if (!conn) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_CONN,
                           "event deregistration: conn is NULL");
        return -1;
    }
    evirt_event_registry *reg = conn->events;
    event_cb *e = reg->head;
    while (e && (e->id != callback_id || e->removed || e->family != family))
        e = e->next;
    if (!e) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                           "no %s event callback with id %d", family_name(family),
                           callback_id);
        return -1;
    }
    e->removed = 1;
    if (count_for(reg, family, e->event_id) == 0 && conn->driver->event_unregister)
        conn->driver->event_unregister(conn, family, e->event_id);
    if (!reg->purge_queued) {
        evirt_conn_ref(conn);
        if (evirt_loop_invoke(conn->loop, purge, conn) == 0)
            reg->purge_queued = 1;
        else
            evirt_conn_close(conn);
    }
    return 0;
}

/* ------------------------------------------------- the public functions */

#define GENERIC(cb) ((generic_cb)(void (*)(void))(cb))

evirt_op *evirt_conn_domain_event_register_any_async(
    evirt_conn *conn, evirt_domain *dom, int event_id,
    evirt_domain_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque)
{
    return register_start(conn, EVIRT_EVENT_FAMILY_DOMAIN, dom ? dom->uuid : NULL,
                          event_id, GENERIC(cb), opaque, ff, done, done_opaque, 0);
}

int evirt_conn_domain_event_register_any_finish(evirt_op *op)
{
    return register_finish(op);
}

int evirt_conn_domain_event_register_any(evirt_conn *conn, evirt_domain *dom,
                                         int event_id,
                                         evirt_domain_event_generic_cb cb,
                                         void *opaque, evirt_free_cb ff)
{
    return register_sync(conn, EVIRT_EVENT_FAMILY_DOMAIN, dom ? dom->uuid : NULL,
                         event_id, GENERIC(cb), opaque, ff);
}

int evirt_conn_domain_event_deregister_any(evirt_conn *conn, int callback_id)
{
    return deregister(conn, EVIRT_EVENT_FAMILY_DOMAIN, callback_id);
}

evirt_op *evirt_conn_network_event_register_any_async(
    evirt_conn *conn, evirt_network *net, int event_id,
    evirt_network_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque)
{
    return register_start(conn, EVIRT_EVENT_FAMILY_NETWORK, net ? net->h.uuid : NULL,
                          event_id, GENERIC(cb), opaque, ff, done, done_opaque, 0);
}

int evirt_conn_network_event_register_any_finish(evirt_op *op)
{
    return register_finish(op);
}

int evirt_conn_network_event_register_any(evirt_conn *conn, evirt_network *net,
                                          int event_id,
                                          evirt_network_event_generic_cb cb,
                                          void *opaque, evirt_free_cb ff)
{
    return register_sync(conn, EVIRT_EVENT_FAMILY_NETWORK, net ? net->h.uuid : NULL,
                         event_id, GENERIC(cb), opaque, ff);
}

int evirt_conn_network_event_deregister_any(evirt_conn *conn, int callback_id)
{
    return deregister(conn, EVIRT_EVENT_FAMILY_NETWORK, callback_id);
}

evirt_op *evirt_conn_storage_pool_event_register_any_async(
    evirt_conn *conn, evirt_storage_pool *pool, int event_id,
    evirt_storage_pool_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque)
{
    return register_start(conn, EVIRT_EVENT_FAMILY_STORAGE_POOL,
                          pool ? pool->h.uuid : NULL, event_id, GENERIC(cb), opaque,
                          ff, done, done_opaque, 0);
}

int evirt_conn_storage_pool_event_register_any_finish(evirt_op *op)
{
    return register_finish(op);
}

int evirt_conn_storage_pool_event_register_any(evirt_conn *conn,
                                               evirt_storage_pool *pool,
                                               int event_id,
                                               evirt_storage_pool_event_generic_cb cb,
                                               void *opaque, evirt_free_cb ff)
{
    return register_sync(conn, EVIRT_EVENT_FAMILY_STORAGE_POOL,
                         pool ? pool->h.uuid : NULL, event_id, GENERIC(cb), opaque, ff);
}

int evirt_conn_storage_pool_event_deregister_any(evirt_conn *conn, int callback_id)
{
    return deregister(conn, EVIRT_EVENT_FAMILY_STORAGE_POOL, callback_id);
}
