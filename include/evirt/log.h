/*
 * evirt/log.h - logging, configured as libvirt's is.
 *
 * On first use evirt reads EVIRT_DEBUG (a priority, 1-4), EVIRT_LOG_FILTERS
 * ("1:remote 4:rpc": priority:category-substring, space separated) and
 * EVIRT_LOG_OUTPUTS ("3:stderr 1:file:/path 2:syslog:ident 1:journald").
 * A message is output when its priority is at least the first matching
 * filter's (or the default priority when no filter matches) and at least
 * the output's.  Every line carries time, priority, category, function and
 * line.  Default: priority 3 (warning), output "3:stderr".
 */
#ifndef EVIRT_LOG_H
#define EVIRT_LOG_H

#include <evirt/common.h>

EVIRT_BEGIN_DECLS

typedef enum {
    EVIRT_LOG_DEBUG = 1,
    EVIRT_LOG_INFO  = 2,
    EVIRT_LOG_WARN  = 3,
    EVIRT_LOG_ERROR = 4,
} evirt_log_priority;

/* Each returns 0, or -1 (with evirt_last_error set) on a syntax error,
 * leaving the previous setting in force.  Thread-safe. */
EVIRT_API int evirt_log_set_default_priority(int priority);
EVIRT_API int evirt_log_set_filters(const char *filters);
EVIRT_API int evirt_log_set_outputs(const char *outputs);
/* Re-reads the three environment variables. */
EVIRT_API int evirt_log_setup_from_env(void);

EVIRT_END_DECLS

#endif
