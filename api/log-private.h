/*
 * api/log-private.h - how evirt's own code logs.
 *
 * Each file defines EVIRT_LOG_CATEGORY (a dotted name such as
 * "evirt.loop" or "evirt.test.domain") before using the macros; filters
 * match categories by substring, as libvirt's do.
 */
#ifndef EVIRT_LOG_PRIVATE_H
#define EVIRT_LOG_PRIVATE_H

#include <evirt/log.h>

/* Nonzero when a message of this priority and category would be output. */
int evirt_log_enabled(int priority, const char *category);

void evirt_log_message(int priority, const char *category, const char *func,
                       int line, const char *fmt, ...) EVIRT_PRINTF(5, 6);

#define EVIRT_LOG_(prio, ...) \
    do { \
        if (evirt_log_enabled((prio), EVIRT_LOG_CATEGORY)) \
            evirt_log_message((prio), EVIRT_LOG_CATEGORY, __func__, __LINE__, \
                              __VA_ARGS__); \
    } while (0)

#define EVIRT_DEBUG(...) EVIRT_LOG_(EVIRT_LOG_DEBUG, __VA_ARGS__)
#define EVIRT_INFO(...)  EVIRT_LOG_(EVIRT_LOG_INFO, __VA_ARGS__)
#define EVIRT_WARN(...)  EVIRT_LOG_(EVIRT_LOG_WARN, __VA_ARGS__)
#define EVIRT_ERROR(...) EVIRT_LOG_(EVIRT_LOG_ERROR, __VA_ARGS__)

#endif
