/*
 * tools/vsh-strings.c - the words virsh prints for domain states, their
 * reasons and lifecycle events, so evirt's output reads the same.
 */
#include <config.h>

#include "tools/vsh.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(table, i) \
    ((i) >= 0 && (size_t)(i) < N_ELEMS(table) ? (table)[i] : "unknown")

static const char *const states[] = {
    [EVIRT_DOMAIN_NOSTATE] = "no state",
    [EVIRT_DOMAIN_RUNNING] = "running",
    [EVIRT_DOMAIN_BLOCKED] = "idle",
    [EVIRT_DOMAIN_PAUSED] = "paused",
    [EVIRT_DOMAIN_SHUTDOWN] = "in shutdown",
    [EVIRT_DOMAIN_SHUTOFF] = "shut off",
    [EVIRT_DOMAIN_CRASHED] = "crashed",
    [EVIRT_DOMAIN_PMSUSPENDED] = "pmsuspended",
};

static const char *const running_reasons[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot",
    "unpaused", "migration canceled", "save canceled", "event wakeup",
    "crashed", "post-copy", "post-copy failed",
};

static const char *const paused_reasons[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error",
    "watchdog", "from snapshot", "shutting down", "creating snapshot",
    "crashed", "starting up", "post-copy", "post-copy failed",
};

static const char *const shutdown_reasons[] = { "unknown", "user" };

static const char *const shutoff_reasons[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved",
    "failed", "from snapshot", "daemon",
};

static const char *const crashed_reasons[] = { "unknown", "panicked" };

const char *vsh_state_str(int state)
{
    return state >= 0 && (size_t)state < N_ELEMS(states) ? states[state]
                                                          : "no state";
}

const char *vsh_state_reason_str(int state, int reason)
{
    switch (state) {
    case EVIRT_DOMAIN_RUNNING:  return PICK(running_reasons, reason);
    case EVIRT_DOMAIN_PAUSED:   return PICK(paused_reasons, reason);
    case EVIRT_DOMAIN_SHUTDOWN: return PICK(shutdown_reasons, reason);
    case EVIRT_DOMAIN_SHUTOFF:  return PICK(shutoff_reasons, reason);
    case EVIRT_DOMAIN_CRASHED:  return PICK(crashed_reasons, reason);
    default:                    return "unknown";
    }
}

static const char *const events[] = {
    [EVIRT_DOMAIN_EVENT_DEFINED] = "Defined",
    [EVIRT_DOMAIN_EVENT_UNDEFINED] = "Undefined",
    [EVIRT_DOMAIN_EVENT_STARTED] = "Started",
    [EVIRT_DOMAIN_EVENT_SUSPENDED] = "Suspended",
    [EVIRT_DOMAIN_EVENT_RESUMED] = "Resumed",
    [EVIRT_DOMAIN_EVENT_STOPPED] = "Stopped",
    [EVIRT_DOMAIN_EVENT_SHUTDOWN] = "Shutdown",
    [EVIRT_DOMAIN_EVENT_PMSUSPENDED] = "PMSuspended",
    [EVIRT_DOMAIN_EVENT_CRASHED] = "Crashed",
};

static const char *const defined_details[] = {
    "Added", "Updated", "Renamed", "Snapshot",
};
static const char *const undefined_details[] = { "Removed", "Renamed" };
static const char *const started_details[] = {
    "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup",
};
static const char *const suspended_details[] = {
    "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
    "API error", "Post-copy", "Post-copy Error",
};
static const char *const resumed_details[] = {
    "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
};
static const char *const stopped_details[] = {
    "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
    "Snapshot",
};
static const char *const shutdown_details[] = {
    "Finished", "Finished after guest request", "Finished after host request",
};
static const char *const pmsuspended_details[] = { "Memory", "Disk" };
static const char *const crashed_details[] = { "Panicked", "Crashloaded" };

const char *vsh_event_str(int event)
{
    return PICK(events, event);
}

const char *vsh_event_detail_str(int event, int detail)
{
    switch (event) {
    case EVIRT_DOMAIN_EVENT_DEFINED:     return PICK(defined_details, detail);
    case EVIRT_DOMAIN_EVENT_UNDEFINED:   return PICK(undefined_details, detail);
    case EVIRT_DOMAIN_EVENT_STARTED:     return PICK(started_details, detail);
    case EVIRT_DOMAIN_EVENT_SUSPENDED:   return PICK(suspended_details, detail);
    case EVIRT_DOMAIN_EVENT_RESUMED:     return PICK(resumed_details, detail);
    case EVIRT_DOMAIN_EVENT_STOPPED:     return PICK(stopped_details, detail);
    case EVIRT_DOMAIN_EVENT_SHUTDOWN:    return PICK(shutdown_details, detail);
    case EVIRT_DOMAIN_EVENT_PMSUSPENDED: return PICK(pmsuspended_details, detail);
    case EVIRT_DOMAIN_EVENT_CRASHED:     return PICK(crashed_details, detail);
    default:                             return "unknown";
    }
}
