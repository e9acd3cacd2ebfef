/*
 * api/error-private.h - raising errors inside evirt.
 */
#ifndef EVIRT_ERROR_PRIVATE_H
#define EVIRT_ERROR_PRIVATE_H

#include <stdarg.h>
#include <evirt/error.h>

/*
 * Fills err (resetting what it held) with level ERROR, the given domain
 * and code, and a message "<text of the code>: <formatted detail>" (or
 * just the text of the code when fmt is NULL).  str1 holds the code's
 * text, str2 the detail, as libvirt fills them.  Never fails: on
 * allocation failure the message is a static text for EVIRT_ERR_NO_MEMORY.
 */
void evirt_error_set(evirt_error *err, int domain, int code,
                     const char *fmt, ...) EVIRT_PRINTF(4, 5);
void evirt_error_setv(evirt_error *err, int domain, int code,
                      const char *fmt, va_list ap) EVIRT_PRINTF(4, 0);

/* Moves src into dst (dst reset first, src left zeroed). */
void evirt_error_move(evirt_error *dst, evirt_error *src);

/*
 * Records err as this thread's last error (a copy) and calls the
 * process-wide handler.  err == NULL or err->code == 0 resets it.
 */
void evirt_error_set_last(const evirt_error *err);

/* Raises a sync-layer error directly into the thread's last error. */
void evirt_error_report(int domain, int code, const char *fmt, ...)
    EVIRT_PRINTF(3, 4);

#endif
