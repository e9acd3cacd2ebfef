/*
 * rpc/transport-reap.c - the child of a command transport (ssh, nc, an
 * ext command), reaped without blocking the loop.
 *
 * When the transport goes, its socket is closed first, so a well-behaved
 * child exits at once on EOF.  One that does not gets SIGTERM after 50 ms
 * and SIGKILL after half a second -- waits the loop's thread must not
 * make (a GUI closing an ssh connection would freeze for them).  The
 * child is collected on the spot when it is already gone, else by a
 * short-lived detached thread that owns nothing but the pid.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "rpc/transport-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.rpc.transport"

/* Nonzero once pid is collected (or is not our child any more). */
static int
reaped(pid_t pid)
{
    int status;
    pid_t r;

    do {
        r = waitpid(pid, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    return r != 0;
}

/* Polls every 10 ms: 5 times, then SIGTERM and 50 times, then SIGKILL. */
static void
reap_escalating(pid_t pid)
{
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    int i, status;

    for (i = 0; i < 5; i++) {
        if (reaped(pid))
            return;
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGTERM);
    for (i = 0; i < 50; i++) {
        if (reaped(pid))
            return;
        nanosleep(&ts, NULL);
    }
    EVIRT_WARN("command %ld ignored SIGTERM, killing it", (long)pid);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

static void *
reap_thread(void *opaque)
{
    reap_escalating((pid_t)(intptr_t)opaque);
    return NULL;
}

void
transport_reap_child(pid_t pid)
{
    int rc;

    if (reaped(pid))
        return;
    rc = transport_thread_start(reap_thread, (void *)(intptr_t)pid);
    if (rc != 0) {
        EVIRT_WARN("no thread to reap command %ld (%s): waiting for it here",
                   (long)pid, strerror(rc));
        reap_escalating(pid);
    }
}
