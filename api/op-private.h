/*
 * api/op-private.h - ops as the API layer and the drivers see them.
 *
 * Life of an op:
 *   the generated _async makes it (evirt_op_new), stores its arguments,
 *   and starts it (evirt_op_start): the dispatch function runs on the
 *   loop's thread and calls the driver's entry.  The driver completes the
 *   op exactly once with evirt_op_return_* or evirt_op_fail, at once or
 *   later; either way the callback runs on a later loop iteration.
 *   Timeouts, cancellation and connection death complete it first; a
 *   driver's later completion is then dropped.
 *
 * Rule for drivers: the entry borrows the op.  A driver that completes it
 * after the entry returns takes a reference (evirt_op_ref) and drops it
 * after completing.
 */
#ifndef EVIRT_OP_PRIVATE_H
#define EVIRT_OP_PRIVATE_H

#include <stddef.h>
#include <evirt/conn.h>
#include <evirt/op.h>

typedef void (*evirt_op_dispatch_fn)(evirt_op *op);
typedef void (*evirt_op_result_free_fn)(void *p, int n);

/* What an op completed with; the _finish functions read it. */
typedef struct evirt_op_result {
    long long i;
    unsigned long long u;
    void *p;                       /* string, object, struct or array */
    int n;                         /* count of an array */
    evirt_op_result_free_fn p_free; /* frees p when nobody took it */
} evirt_op_result;

/*
 * A new op on conn's loop (conn may be NULL for open, then loop is used).
 * Holds a reference on conn.  name is a static string for logs.
 */
evirt_op *evirt_op_new(evirt_conn *conn, evirt_loop *loop, const char *name,
                       evirt_callback cb, void *opaque);

/* The arguments of the op: owned by it, freed with args_free. */
void evirt_op_set_args(evirt_op *op, void *args, void (*args_free)(void *));
void *evirt_op_get_args(evirt_op *op);
evirt_conn *evirt_op_get_conn(evirt_op *op);
evirt_loop *evirt_op_get_loop(evirt_op *op);
const char *evirt_op_get_name(evirt_op *op);

/*
 * Runs dispatch(op) on the loop's thread: at once when called there (or
 * when no thread iterates the loop), else through evirt_loop_invoke.
 * Applies the connection's default timeout.
 */
void evirt_op_start(evirt_op *op, evirt_op_dispatch_fn dispatch);

/* Completion, for drivers.  Each is ignored on a completed op (and frees
 * what it was given). */
void evirt_op_return_void(evirt_op *op);
void evirt_op_return_int(evirt_op *op, long long value);
void evirt_op_return_uint(evirt_op *op, unsigned long long value);
/* Takes ownership of s (malloc'd). */
void evirt_op_return_string(evirt_op *op, char *s);
/* Copies len bytes of data. */
void evirt_op_return_struct(evirt_op *op, const void *data, size_t len);
/* Takes ownership of p (and of n items in it), freed with p_free if the
 * result is never taken. */
void evirt_op_return_ptr(evirt_op *op, void *p, int n,
                         evirt_op_result_free_fn p_free);
void evirt_op_fail(evirt_op *op, int domain, int code, const char *fmt, ...)
    EVIRT_PRINTF(4, 5);
/* Fails with err, moving its contents out. */
void evirt_op_fail_error(evirt_op *op, evirt_error *err);

/*
 * Called (on the loop) when the op is cancelled, times out or the
 * connection fails it, so the driver can stop its work (the remote driver
 * forgets the serial).  One hook per op.
 */
void evirt_op_set_cancel_hook(evirt_op *op, void (*hook)(evirt_op *op, void *data),
                              void *data);

/*
 * For _finish: -1 when the op failed (or _finish was already called or
 * the op has not completed; then op's error says so), else 0 and *res
 * points at the result, which the caller may take (set p to NULL).
 */
int evirt_op_take_result(evirt_op *op, evirt_op_result **res);

/* Sync layer: waits for op (held by the caller), then records the op's
 * error as the thread's last error.  Returns 0 when it completed. */
int evirt_op_sync_wait(evirt_op *op);
/* After _finish: sets (or resets) the thread's last error from op and
 * drops the caller's reference. */
void evirt_op_sync_end(evirt_op *op);

/* Fails every pending op of conn with err (the connection died). */
void evirt_op_fail_all(evirt_conn *conn, int domain, int code, const char *msg);

#endif
