/*
 * api/conn.c - opening, referencing and closing connections.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#define EVIRT_LOG_CATEGORY "evirt.conn"
#include "api/driver.h"
#include "api/events.h"
#include "api/error-private.h"
#include "api/log-private.h"
#include "loop/loop-private.h"

struct open_args {
    char *uri;
    evirt_uri *parsed;
    evirt_auth *auth;
    evirt_conn *conn; /* handed to the caller by _finish */
};

static void open_args_free(void *p)
{
    struct open_args *a = p;
    free(a->uri);
    evirt_uri_free(a->parsed);
    if (a->conn)
        evirt_conn_close(a->conn);
    free(a);
}

static void open_dispatch(evirt_op *op)
{
    struct open_args *a = evirt_op_get_args(op);
    EVIRT_DEBUG("opening %s with the %s driver", a->uri, a->conn->driver->name);
    a->conn->driver->open(op, a->conn, a->parsed, a->auth);
}

static const char *default_uri(void)
{
    const char *env = getenv("EVIRT_DEFAULT_URI");
    return env && *env ? env : "test:///default";
}

static evirt_op *open_start(evirt_loop *loop, const char *uri, evirt_auth *auth,
                            unsigned int flags, evirt_callback cb, void *opaque,
                            int hold)
{
    if (!loop && !(loop = evirt_loop_default())) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INTERNAL_ERROR,
                           "cannot create the default loop");
        return NULL;
    }
    evirt_op *op = evirt_op_new(NULL, loop, "conn_open", cb, opaque);
    struct open_args *a = calloc(1, sizeof(*a));
    if (!op || !a || !(a->uri = strdup(uri ? uri : default_uri()))) {
        if (a)
            free(a);
        if (op)
            evirt_op_unref(op);
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    if (hold)
        evirt_op_ref(op);
    a->auth = auth;
    evirt_op_set_args(op, a, open_args_free);

    evirt_error err = {0};
    if (evirt_uri_parse(a->uri, &a->parsed, &err) < 0) {
        evirt_op_fail_error(op, &err);
        return op;
    }
    const evirt_driver *drv = evirt_driver_find(a->parsed);
    if (!drv) {
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_CONNECT,
                      "%s", a->uri);
        return op;
    }
    evirt_conn *conn = calloc(1, sizeof(*conn));
    if (!conn || !(conn->uri = strdup(a->uri)) ||
        !(conn->events = evirt_event_registry_new())) {
        if (conn)
            free(conn->uri);
        free(conn);
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
        return op;
    }
    atomic_init(&conn->refs, 1);
    conn->loop = loop;
    conn->flags = flags;
    conn->op_timeout_ms = -1;
    conn->driver = drv;
    a->conn = conn;
    evirt_op_start(op, open_dispatch);
    return op;
}

evirt_op *evirt_conn_open_async(evirt_loop *loop, const char *uri, evirt_auth *auth,
                                unsigned int flags, evirt_callback cb, void *opaque)
{
    return open_start(loop, uri, auth, flags, cb, opaque, 0);
}

evirt_conn *evirt_conn_open_finish(evirt_op *op)
{
    evirt_op_result *res;
    if (evirt_op_take_result(op, &res) < 0)
        return NULL;
    struct open_args *a = evirt_op_get_args(op);
    evirt_conn *conn = a->conn;
    a->conn = NULL;
    return conn;
}

evirt_conn *evirt_conn_open_on(evirt_loop *loop, const char *uri, evirt_auth *auth,
                               unsigned int flags)
{
    evirt_op *op = open_start(loop, uri, auth, flags, NULL, NULL, 1);
    if (!op)
        return NULL;
    evirt_op_sync_wait(op);
    evirt_conn *conn = evirt_conn_open_finish(op);
    evirt_op_sync_end(op);
    return conn;
}

evirt_conn *evirt_conn_open(const char *uri)
{
    return evirt_conn_open_on(NULL, uri, NULL, 0);
}

evirt_conn *evirt_conn_open_read_only(const char *uri)
{
    return evirt_conn_open_on(NULL, uri, NULL, EVIRT_CONNECT_RO);
}

evirt_conn *evirt_conn_open_auth(const char *uri, evirt_auth *auth, unsigned int flags)
{
    return evirt_conn_open_on(NULL, uri, auth, flags);
}

evirt_conn *evirt_conn_ref(evirt_conn *conn)
{
    if (conn)
        atomic_fetch_add(&conn->refs, 1);
    return conn;
}

static void conn_free(void *opaque)
{
    evirt_conn *conn = opaque;
    EVIRT_DEBUG("freeing connection to %s", conn->uri);
    if (conn->driver_data && conn->driver->close)
        conn->driver->close(conn);
    conn->closed = 1;
    evirt_event_registry_free(conn->events);
    if (conn->close_ff)
        conn->close_ff(conn->close_opaque);
    free(conn->uri);
    free(conn);
}

int evirt_conn_close(evirt_conn *conn)
{
    if (!conn)
        return -1;
    int left = atomic_fetch_sub(&conn->refs, 1) - 1;
    if (left > 0)
        return left;
    /* The driver's state lives on the loop thread: let go of it there. */
    if (evirt_loop_is_running_elsewhere(conn->loop) &&
        evirt_loop_invoke(conn->loop, conn_free, conn) == 0)
        return 0;
    conn_free(conn);
    return 0;
}

evirt_loop *evirt_conn_get_loop(evirt_conn *conn)
{
    return conn ? conn->loop : NULL;
}

int evirt_conn_is_read_only(evirt_conn *conn)
{
    return conn && (conn->flags & EVIRT_CONNECT_RO);
}

void evirt_conn_set_op_timeout(evirt_conn *conn, int ms)
{
    if (conn)
        conn->op_timeout_ms = ms < 0 ? -1 : ms;
}

int evirt_conn_register_close_callback(evirt_conn *conn, evirt_conn_close_cb cb,
                                       void *opaque, evirt_free_cb ff)
{
    if (!conn || !cb) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                           "a connection and a callback are required");
        return -1;
    }
    if (conn->close_ff)
        conn->close_ff(conn->close_opaque);
    conn->close_cb = cb;
    conn->close_opaque = opaque;
    conn->close_ff = ff;
    return 0;
}

int evirt_conn_unregister_close_callback(evirt_conn *conn, evirt_conn_close_cb cb)
{
    if (!conn || !cb || conn->close_cb != cb) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                           "this close callback is not registered");
        return -1;
    }
    if (conn->close_ff)
        conn->close_ff(conn->close_opaque);
    conn->close_cb = NULL;
    conn->close_opaque = NULL;
    conn->close_ff = NULL;
    return 0;
}

void evirt_conn_notify_closed(evirt_conn *conn, int reason)
{
    if (conn->closed)
        return; /* once */
    conn->closed = 1;
    if (conn->close_cb)
        conn->close_cb(conn, reason, conn->close_opaque);
}
