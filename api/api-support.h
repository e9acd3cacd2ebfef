/*
 * api/api-support.h - the small helpers the generated api/api-gen.c calls,
 * so that the generated code stays a plain list of per-op shapes.
 */
#ifndef EVIRT_API_SUPPORT_H
#define EVIRT_API_SUPPORT_H

#include <stddef.h>
#include "api/op-private.h"
#include "api/error-private.h"

/*
 * A new op on conn for the operation name; hold adds the sync layer's
 * reference.  A mutating op (rw) on a read-only connection is failed at
 * once with EVIRT_ERR_OPERATION_DENIED in family_domain (the error domain
 * of the operation's object family, as libvirt reports it), naming the
 * public function; its callback still runs later.
 */
evirt_op *evirt_api_op_begin(evirt_conn *conn, const char *name, int family_domain,
                             int rw, evirt_callback cb, void *opaque, int hold);
/* Starts dispatch unless the op has already failed. */
void evirt_api_op_dispatch(evirt_op *op, evirt_op_dispatch_fn dispatch);
void evirt_api_fail_no_support(evirt_op *op);
void evirt_api_fail_oom(evirt_op *op);
void evirt_api_fail_arg(evirt_op *op, const char *msg);
void *evirt_api_dup(const void *p, size_t len);
evirt_typed_param *evirt_typed_params_copy(const evirt_typed_param *params, int n);

#endif
