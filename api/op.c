/*
 * api/op.c - the life of an op: completion, delivery, timeout, cancel,
 * and the waiting that the sync layer does.
 *
 * States: PENDING (the driver works on it) -> COMPLETED (result or error
 * set, delivery queued on the loop) -> DELIVERED (the callback returned).
 * Completion always goes through evirt_loop_invoke, which is what makes
 * "never called from inside _async" true even for answers known at once.
 */
#include <config.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVIRT_LOG_CATEGORY "evirt.op"
#include "api/driver.h"
#include "api/error-private.h"
#include "api/log-private.h"
#include "loop/loop-private.h"

enum { OP_PENDING, OP_COMPLETED, OP_DELIVERED };

struct evirt_op {
    atomic_int refs;
    atomic_int state;
    evirt_loop *loop;
    evirt_conn *conn;          /* a reference; NULL for open before it has one */
    const char *name;
    evirt_callback cb;
    void *opaque;

    void *args;
    void (*args_free)(void *);

    evirt_error err;
    int failed;
    int finished;              /* _finish was called */
    evirt_op_result res;

    int timer;                 /* loop timeout id, 0 for none */
    int timeout_ms;
    void (*cancel_hook)(evirt_op *, void *);
    void *cancel_data;

    /* Membership of conn's list of ops the driver is working on. */
    int listed;
    evirt_op *prev, *next;
};

/* One lock and condition for every cross-thread sync wait: waits are rare
 * and short, and this keeps the op small. */
static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;

evirt_op *evirt_op_new(evirt_conn *conn, evirt_loop *loop, const char *name,
                       evirt_callback cb, void *opaque)
{
    evirt_op *op = calloc(1, sizeof(*op));
    if (!op)
        return NULL;
    atomic_init(&op->refs, 1); /* the library's, dropped after delivery */
    atomic_init(&op->state, OP_PENDING);
    op->conn = conn ? evirt_conn_ref(conn) : NULL;
    op->loop = conn ? conn->loop : loop;
    op->name = name;
    op->cb = cb;
    op->opaque = opaque;
    op->timeout_ms = conn ? conn->op_timeout_ms : -1;
    return op;
}

evirt_op *evirt_op_ref(evirt_op *op)
{
    if (op)
        atomic_fetch_add(&op->refs, 1);
    return op;
}

void evirt_op_unref(evirt_op *op)
{
    if (!op || atomic_fetch_sub(&op->refs, 1) != 1)
        return;
    if (op->args_free)
        op->args_free(op->args);
    if (op->res.p && op->res.p_free)
        op->res.p_free(op->res.p, op->res.n);
    evirt_error_reset(&op->err);
    if (op->conn)
        evirt_conn_close(op->conn);
    free(op);
}

void evirt_op_set_args(evirt_op *op, void *args, void (*args_free)(void *))
{
    op->args = args;
    op->args_free = args_free;
}

void *evirt_op_get_args(evirt_op *op) { return op->args; }
evirt_conn *evirt_op_get_conn(evirt_op *op) { return op->conn; }
evirt_loop *evirt_op_get_loop(evirt_op *op) { return op->loop; }
const char *evirt_op_get_name(evirt_op *op) { return op->name; }

const evirt_error *evirt_op_error(evirt_op *op)
{
    if (!op || !op->failed || atomic_load(&op->state) == OP_PENDING)
        return NULL;
    return &op->err;
}

int evirt_op_is_done(evirt_op *op)
{
    return atomic_load(&op->state) != OP_PENDING;
}

/* ------------------------------------------------------------ delivery */

static void op_deliver(void *opaque)
{
    evirt_op *op = opaque;

    if (op->cb)
        op->cb(op, op->opaque);
    pthread_mutex_lock(&wait_lock);
    atomic_store(&op->state, OP_DELIVERED);
    pthread_cond_broadcast(&wait_cond);
    pthread_mutex_unlock(&wait_lock);
    evirt_op_unref(op);
}

static void op_unlist(evirt_op *op)
{
    if (!op->listed)
        return;
    evirt_conn *conn = op->conn;
    if (op->prev)
        op->prev->next = op->next;
    else
        conn->pending_head = op->next;
    if (op->next)
        op->next->prev = op->prev;
    op->prev = op->next = NULL;
    op->listed = 0;
}

/* Moves the op to COMPLETED and queues its delivery; -1 if it was not
 * pending any more (someone else completed it first). */
static int op_complete(evirt_op *op)
{
    int expected = OP_PENDING;
    if (!atomic_compare_exchange_strong(&op->state, &expected, OP_COMPLETED))
        return -1;
    if (op->timer > 0) {
        evirt_loop_remove_timeout(op->loop, op->timer);
        op->timer = 0;
    }
    op_unlist(op);
    if (op->failed)
        EVIRT_DEBUG("op %s failed: %s", op->name, op->err.message);
    if (evirt_loop_invoke(op->loop, op_deliver, op) < 0)
        EVIRT_ERROR("cannot queue completion of op %s", op->name);
    return 0;
}

void evirt_op_return_void(evirt_op *op)
{
    op_complete(op);
}

void evirt_op_return_int(evirt_op *op, long long value)
{
    if (atomic_load(&op->state) != OP_PENDING)
        return;
    op->res.i = value;
    op_complete(op);
}

void evirt_op_return_uint(evirt_op *op, unsigned long long value)
{
    if (atomic_load(&op->state) != OP_PENDING)
        return;
    op->res.u = value;
    op_complete(op);
}

void evirt_op_return_ptr(evirt_op *op, void *p, int n, evirt_op_result_free_fn p_free)
{
    if (atomic_load(&op->state) != OP_PENDING) {
        if (p && p_free)
            p_free(p, n);
        return;
    }
    op->res.p = p;
    op->res.n = n;
    op->res.p_free = p_free;
    op_complete(op);
}

static void free_plain(void *p, int n)
{
    (void)n;
    free(p);
}

void evirt_op_return_string(evirt_op *op, char *s)
{
    if (!s) {
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
        return;
    }
    evirt_op_return_ptr(op, s, 0, free_plain);
}

void evirt_op_return_struct(evirt_op *op, const void *data, size_t len)
{
    void *copy = malloc(len ? len : 1);
    if (!copy) {
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
        return;
    }
    memcpy(copy, data, len);
    evirt_op_return_ptr(op, copy, 0, free_plain);
}

void evirt_op_fail_error(evirt_op *op, evirt_error *err)
{
    if (atomic_load(&op->state) != OP_PENDING) {
        evirt_error_reset(err);
        return;
    }
    evirt_error_move(&op->err, err);
    op->failed = 1;
    op_complete(op);
}

void evirt_op_fail(evirt_op *op, int domain, int code, const char *fmt, ...)
{
    if (atomic_load(&op->state) != OP_PENDING)
        return;
    va_list ap;
    va_start(ap, fmt);
    evirt_error_setv(&op->err, domain, code, fmt, ap);
    va_end(ap);
    op->failed = 1;
    op_complete(op);
}

/* ----------------------------------------------------- timeout, cancel */

static void op_stop_driver(evirt_op *op)
{
    void (*hook)(evirt_op *, void *) = op->cancel_hook;
    op->cancel_hook = NULL;
    if (hook)
        hook(op, op->cancel_data);
}

static void op_timeout_fired(int timer, void *opaque)
{
    evirt_op *op = opaque;
    (void)timer;
    op_stop_driver(op);
    evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_OPERATION_TIMEOUT,
                  "%s did not complete within %d ms", op->name, op->timeout_ms);
}

void evirt_op_set_timeout(evirt_op *op, int ms)
{
    if (!op || atomic_load(&op->state) != OP_PENDING)
        return;
    if (op->timer > 0) {
        evirt_loop_remove_timeout(op->loop, op->timer);
        op->timer = 0;
    }
    op->timeout_ms = ms;
    if (ms >= 0) {
        op->timer = evirt_loop_add_timeout(op->loop, ms, op_timeout_fired, op, NULL);
        if (op->timer < 0)
            op->timer = 0;
    }
}

void evirt_op_cancel(evirt_op *op)
{
    if (!op || atomic_load(&op->state) != OP_PENDING)
        return;
    op_stop_driver(op);
    evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_OPERATION_ABORTED,
                  "%s was cancelled", op->name);
}

void evirt_op_set_cancel_hook(evirt_op *op, void (*hook)(evirt_op *op, void *data),
                              void *data)
{
    op->cancel_hook = hook;
    op->cancel_data = data;
}

void evirt_op_fail_all(evirt_conn *conn, int domain, int code, const char *msg)
{
    while (conn->pending_head) {
        evirt_op *op = conn->pending_head;
        op_stop_driver(op);
        /* evirt_op_fail unlists it, so the loop moves on. */
        evirt_op_fail(op, domain, code, "%s", msg);
        if (conn->pending_head == op)
            op_unlist(op); /* it had completed already */
    }
}

/* ------------------------------------------------------------- start */

struct start_ctx {
    evirt_op *op;
    evirt_op_dispatch_fn dispatch;
};

static void op_dispatch_now(evirt_op *op, evirt_op_dispatch_fn dispatch)
{
    if (atomic_load(&op->state) != OP_PENDING)
        return;
    if (op->timeout_ms >= 0 && op->timer == 0)
        evirt_op_set_timeout(op, op->timeout_ms);
    if (op->conn) {
        op->next = op->conn->pending_head;
        if (op->next)
            op->next->prev = op;
        op->conn->pending_head = op;
        op->listed = 1;
    }
    dispatch(op);
}

static void op_dispatch_invoked(void *opaque)
{
    struct start_ctx *ctx = opaque;
    evirt_op *op = ctx->op;
    op_dispatch_now(op, ctx->dispatch);
    free(ctx);
    evirt_op_unref(op);
}

void evirt_op_start(evirt_op *op, evirt_op_dispatch_fn dispatch)
{
    int how = evirt_loop_enter(op->loop);
    if (how) {
        op_dispatch_now(op, dispatch);
        evirt_loop_leave(op->loop, how);
        return;
    }
    /* Another thread iterates the loop: drivers only run there. */
    struct start_ctx *ctx = malloc(sizeof(*ctx));
    if (!ctx) {
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
        return;
    }
    ctx->op = evirt_op_ref(op);
    ctx->dispatch = dispatch;
    if (evirt_loop_invoke(op->loop, op_dispatch_invoked, ctx) < 0) {
        free(ctx);
        evirt_op_unref(op);
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_INTERNAL_ERROR,
                      "cannot hand %s to the loop thread", op->name);
    }
}

/* ------------------------------------------------------------ finish */

int evirt_op_take_result(evirt_op *op, evirt_op_result **res)
{
    if (!op)
        return -1;
    if (atomic_load(&op->state) == OP_PENDING) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_OPERATION_INVALID,
                           "%s: _finish called before the op completed", op->name);
        return -1;
    }
    if (op->finished) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_OPERATION_INVALID,
                           "%s: _finish called twice", op->name);
        return -1;
    }
    op->finished = 1;
    if (op->failed)
        return -1;
    *res = &op->res;
    return 0;
}

/* ------------------------------------------------------------- sync */

int evirt_op_wait(evirt_op *op)
{
    evirt_loop *loop = op->loop;

    while (atomic_load(&op->state) != OP_DELIVERED) {
        if (evirt_loop_is_running_elsewhere(loop) || evirt_loop_runner_waiting(loop)) {
            /* Wait for the loop thread; look again now and then in case
             * it stops iterating and we must take over. */
            pthread_mutex_lock(&wait_lock);
            if (atomic_load(&op->state) != OP_DELIVERED) {
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += 50 * 1000 * 1000;
                if (ts.tv_nsec >= 1000000000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000L;
                }
                pthread_cond_timedwait(&wait_cond, &wait_lock, &ts);
            }
            pthread_mutex_unlock(&wait_lock);
            continue;
        }
        if (evirt_loop_in_dispatch(loop))
            return -1;
        if (evirt_loop_run_once(loop) < 0 && !evirt_loop_is_running_elsewhere(loop))
            return -1;
    }
    return 0;
}

int evirt_op_sync_wait(evirt_op *op)
{
    if (evirt_op_wait(op) == 0)
        return 0;
    /* Iterating here would re-enter the loop from its own callback. */
    op_stop_driver(op);
    evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_OPERATION_INVALID,
                  "sync call %s made inside a callback of its own loop would "
                  "deadlock: use the _async form there", op->name);
    return -1;
}

void evirt_op_sync_end(evirt_op *op)
{
    evirt_error_set_last(op->failed ? &op->err : NULL);
    evirt_op_unref(op);
}
