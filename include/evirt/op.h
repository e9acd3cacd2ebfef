/*
 * evirt/op.h - operations: every evirt call is a request that completes
 * later, through a callback on the connection's loop.
 *
 * Each operation X comes as three functions (see evirt/api.h, generated):
 *
 *   evirt_op *evirt_X_async(obj, args..., evirt_callback cb, void *opaque);
 *   int       evirt_X_finish(evirt_op *op, results...);
 *   ...       evirt_X(obj, args..., results...);     (sync, blocks)
 *
 * The guarantees, for every op:
 *  - cb is called exactly once: on success, error, timeout, cancellation,
 *    and when the connection dies or is closed.
 *  - cb is never called from inside the _async call that started the op,
 *    even when the answer is known at once: it runs on a later iteration
 *    of the loop, on the loop's thread.
 *  - Inside cb, evirt_X_finish(op, ...) takes the result (0 or a value on
 *    success, -1 or NULL on error, with evirt_op_error(op) telling why).
 *    _finish may be called once; results it returns belong to the caller.
 *  - The op is freed when cb returns, unless the caller took a reference
 *    with evirt_op_ref() (then _finish may be called later, on any thread).
 *  - The evirt_op * returned by _async stays valid until cb returns; use
 *    it for evirt_op_cancel() and evirt_op_set_timeout().  _async returns
 *    NULL only when memory runs out.
 *
 * _async may be called from any thread: when another thread iterates the
 * loop, the request is handed to it with evirt_loop_invoke().  Cancel and
 * set_timeout must be called on the loop's thread (or from inside cb).
 */
#ifndef EVIRT_OP_H
#define EVIRT_OP_H

#include <evirt/common.h>
#include <evirt/error.h>

EVIRT_BEGIN_DECLS

typedef struct evirt_op evirt_op;

/* The one callback type of every op. */
typedef void (*evirt_callback)(evirt_op *op, void *opaque);

/*
 * The error the op completed with, or NULL when it succeeded or has not
 * completed.  Owned by the op.
 */
EVIRT_API const evirt_error *evirt_op_error(evirt_op *op);

/* Nonzero once the op has completed (its callback ran or is queued). */
EVIRT_API int evirt_op_is_done(evirt_op *op);

/*
 * Fails the op with EVIRT_ERR_OPERATION_ABORTED now (the callback runs on
 * the next iteration); a late answer from the driver is dropped.  No
 * effect on a completed op.  Cancelling does not undo what the driver has
 * already done.
 */
EVIRT_API void evirt_op_cancel(evirt_op *op);

/*
 * Fails the op with EVIRT_ERR_OPERATION_TIMEOUT if it has not completed in
 * ms milliseconds from now; ms < 0 removes the timeout.  The connection
 * stays usable.  evirt_conn_set_op_timeout() sets a default for new ops.
 */
EVIRT_API void evirt_op_set_timeout(evirt_op *op, int ms);

/* Keeps the op alive after its callback returns; pair with evirt_op_unref. */
EVIRT_API evirt_op *evirt_op_ref(evirt_op *op);
EVIRT_API void evirt_op_unref(evirt_op *op);

/*
 * Blocks until op completes: on the loop's thread (or when no thread runs
 * the loop) by iterating the loop, elsewhere by waiting for the loop
 * thread.  The caller must hold a reference (evirt_op_ref) taken before
 * the callback could run.  Returns 0, or -1 when waiting would deadlock
 * (called from inside a callback of this loop).
 */
EVIRT_API int evirt_op_wait(evirt_op *op);

EVIRT_END_DECLS

#endif
