/*
 * evirt/error.h - errors.
 *
 * Codes, domains and levels carry libvirt's numbers: they cross the wire
 * and applications compare them with libvirt's.
 *
 * Async operations report their error in the op (evirt_op_error()); the
 * sync API also keeps a copy per thread (evirt_last_error()) and passes it
 * to the process-wide handler, as libvirt's users expect.
 */
#ifndef EVIRT_ERROR_H
#define EVIRT_ERROR_H

#include <evirt/common.h>

EVIRT_BEGIN_DECLS

typedef enum {
    EVIRT_ERR_NONE    = 0,
    EVIRT_ERR_WARNING = 1,
    EVIRT_ERR_ERROR   = 2,
} evirt_error_level;

/* Error domains: where an error came from (libvirt's virErrorDomain numbers). */
typedef enum {
    EVIRT_FROM_NONE = 0,
#include <evirt/error-domains.h>
} evirt_error_domain;

/* Error codes (libvirt's virErrorNumber numbers). */
typedef enum {
    EVIRT_ERR_OK = 0,
#include <evirt/error-codes.h>
} evirt_error_code;

/*
 * An error.  message and str1..3 are owned by the struct: free them with
 * evirt_error_reset().
 */
typedef struct evirt_error {
    int code;      /* evirt_error_code */
    int domain;    /* evirt_error_domain */
    char *message; /* human-readable, complete */
    int level;     /* evirt_error_level */
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
} evirt_error;

/* The last error of a sync call on this thread, or NULL.  Owned by evirt. */
EVIRT_API const evirt_error *evirt_last_error(void);
/* Forgets this thread's last error. */
EVIRT_API void evirt_reset_last_error(void);
/* Deep-copies src into dst (dst's old contents are not freed). 0 or -1. */
EVIRT_API int evirt_error_copy(evirt_error *dst, const evirt_error *src);
/* Frees what err holds and zeroes it; err itself is not freed. */
EVIRT_API void evirt_error_reset(evirt_error *err);
/* A short English text for a code ("Domain not found", ...). Never NULL. */
EVIRT_API const char *evirt_error_code_name(int code);

/*
 * Process-wide handler, called on the failing thread for every error a
 * sync call raises (async errors are values in their op and reach no
 * handler).  NULL restores the default, which logs the error at priority
 * "error" (category evirt.error).
 */
typedef void (*evirt_error_func)(void *userdata, const evirt_error *err);
EVIRT_API void evirt_set_error_func(void *userdata, evirt_error_func handler);

EVIRT_END_DECLS

#endif
