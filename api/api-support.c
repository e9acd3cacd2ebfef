/*
 * api/api-support.c - checks shared by every generated operation.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "api/api-support.h"
#include "api/driver.h"

evirt_op *evirt_api_op_begin(evirt_conn *conn, const char *name, int family_domain,
                             int rw, evirt_callback cb, void *opaque, int hold)
{
    evirt_op *op = evirt_op_new(conn, NULL, name, cb, opaque);
    if (!op) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    if (hold)
        evirt_op_ref(op);
    if (rw && (conn->flags & EVIRT_CONNECT_RO))
        evirt_op_fail(op, family_domain, EVIRT_ERR_OPERATION_DENIED,
                      "read only access prevents evirt_%s", name);
    return op;
}

void evirt_api_op_dispatch(evirt_op *op, evirt_op_dispatch_fn dispatch)
{
    if (evirt_op_is_done(op))
        return;
    evirt_conn *conn = evirt_op_get_conn(op);
    if (conn->closed) {
        evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_CONNECT,
                      "the connection to %s is closed", conn->uri);
        return;
    }
    evirt_op_start(op, dispatch);
}

void evirt_api_fail_no_support(evirt_op *op)
{
    evirt_conn *conn = evirt_op_get_conn(op);
    evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_SUPPORT,
                  "%s is not supported by the %s driver", evirt_op_get_name(op),
                  conn->driver->name);
}

void evirt_api_fail_oom(evirt_op *op)
{
    evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_NO_MEMORY, NULL);
}

void evirt_api_fail_arg(evirt_op *op, const char *msg)
{
    evirt_op_fail(op, EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG, "%s", msg);
}

void *evirt_api_dup(const void *p, size_t len)
{
    void *copy = malloc(len ? len : 1);
    if (copy)
        memcpy(copy, p, len);
    return copy;
}

evirt_typed_param *evirt_typed_params_copy(const evirt_typed_param *params, int n)
{
    evirt_typed_param *copy = calloc((size_t)n, sizeof(*copy));
    if (!copy)
        return NULL;
    for (int i = 0; i < n; i++) {
        copy[i] = params[i];
        if (params[i].type == EVIRT_TYPED_PARAM_STRING) {
            copy[i].value.s = params[i].value.s ? strdup(params[i].value.s) : NULL;
            if (params[i].value.s && !copy[i].value.s) {
                copy[i].type = EVIRT_TYPED_PARAM_INT;
                evirt_typed_params_free(copy, n);
                return NULL;
            }
        }
    }
    return copy;
}

void evirt_typed_params_free(evirt_typed_param *params, int n)
{
    if (!params)
        return;
    for (int i = 0; i < n; i++)
        if (params[i].type == EVIRT_TYPED_PARAM_STRING)
            free(params[i].value.s);
    free(params);
}

void evirt_string_list_free(char **list, int n)
{
    if (!list)
        return;
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}
