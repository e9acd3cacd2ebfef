/*
 * rpc/transport-resolve.c - host names resolved off the loop.
 *
 * libc's getaddrinfo() blocks for as long as DNS takes (seconds, or the
 * resolver's full timeout for an unreachable server), and a GUI's main
 * loop must not wait for it.  An address literal is converted on the spot
 * (AI_NUMERICHOST never blocks); a name is looked up by a short-lived
 * detached thread, whose answer comes back to the loop through
 * evirt_loop_invoke().  Meanwhile the transport stays CONNECTING without
 * an fd: writes are queued as for a connect in progress.
 *
 * Lifetime.  The job is shared by the thread and the transport.  The
 * transport may be freed first (the open was cancelled or timed out):
 * it clears job->t under the job's lock, and whichever side then sees
 * the job abandoned -- the thread before delivering, or the delivered
 * function on the loop -- frees it.  The loop outlives its transports,
 * so a queued delivery always finds it.
 */
#include <config.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rpc/transport-private.h"
#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.rpc.transport"

struct transport_resolve {
    pthread_mutex_t lock;
    evirt_transport *t;         /* NULL once the transport is gone */
    evirt_loop *loop;
    char *host, *service;
    struct addrinfo *res;
    int rc;
    int undelivered;            /* the invoke failed: the transport frees it */
};

static void
job_free(transport_resolve *job)
{
    if (job->res)
        freeaddrinfo(job->res);
    pthread_mutex_destroy(&job->lock);
    free(job->host);
    free(job->service);
    free(job);
}

static void
set_lookup_error(evirt_error *err, const char *host, const char *service, int rc)
{
    evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                    "Cannot resolve host '%s' service '%s': %s", host, service,
                    gai_strerror(rc));
}

static void
hints_init(struct addrinfo *hints, int flags)
{
    memset(hints, 0, sizeof(*hints));
    hints->ai_family = AF_UNSPEC;
    hints->ai_socktype = SOCK_STREAM;
    hints->ai_flags = flags;
}

/* On the loop: the answer, for a transport that may be gone. */
static void
resolved(void *opaque)
{
    transport_resolve *job = opaque;
    evirt_transport *t;
    evirt_error err = { 0 };

    pthread_mutex_lock(&job->lock);
    t = job->t;
    pthread_mutex_unlock(&job->lock);
    if (!t) {
        job_free(job);
        return;
    }
    t->resolve = NULL;
    if (job->rc != 0) {
        set_lookup_error(&err, job->host, job->service, job->rc);
    } else {
        t->ai_list = t->ai_next = job->res;
        job->res = NULL;
        EVIRT_DEBUG("transport %p: resolved %s", (void *)t, job->host);
    }
    job_free(job);
    transport_resolved(t, err.code ? &err : NULL);
    evirt_error_reset(&err);
}

static void *
resolve_thread(void *opaque)
{
    transport_resolve *job = opaque;
    struct addrinfo hints, *res = NULL;
    int rc;

    hints_init(&hints, AI_ADDRCONFIG);
    rc = getaddrinfo(job->host, job->service, &hints, &res);
    pthread_mutex_lock(&job->lock);
    if (!job->t) {
        pthread_mutex_unlock(&job->lock);
        if (res)
            freeaddrinfo(res);
        job_free(job);
        return NULL;
    }
    job->rc = rc;
    job->res = rc == 0 ? res : NULL;
    if (evirt_loop_invoke(job->loop, resolved, job) < 0) {
        /* Out of memory: the open stays pending until its own timeout or
         * cancel; the job is freed with the transport. */
        EVIRT_ERROR("cannot deliver the address of '%s' to the loop", job->host);
        job->undelivered = 1;
    }
    pthread_mutex_unlock(&job->lock);
    return NULL;
}

int
transport_resolve_start(evirt_transport *t, const char *host,
                        const char *service, evirt_error *err)
{
    struct addrinfo hints;
    transport_resolve *job;
    int rc;

    /* An address literal: no lookup, no thread. */
    hints_init(&hints, AI_NUMERICHOST);
    rc = getaddrinfo(host, service, &hints, &t->ai_list);
    if (rc == 0) {
        t->ai_next = t->ai_list;
        return 1;
    }
    t->ai_list = NULL;
    if (rc != EAI_NONAME) {
        set_lookup_error(err, host, service, rc);
        return -1;
    }

    if (!(job = calloc(1, sizeof(*job))) ||
        !(job->host = strdup(host)) || !(job->service = strdup(service))) {
        if (job) {
            free(job->host);
            free(job);
        }
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    pthread_mutex_init(&job->lock, NULL);
    job->t = t;
    job->loop = t->loop;

    rc = transport_thread_start(resolve_thread, job);
    if (rc != 0) {
        job_free(job);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot start a thread to resolve '%s': %s", host,
                        strerror(rc));
        return -1;
    }
    t->resolve = job;
    EVIRT_DEBUG("transport %p: resolving %s off the loop", (void *)t, host);
    return 0;
}

void
transport_resolve_abandon(evirt_transport *t)
{
    transport_resolve *job = t->resolve;

    if (!job)
        return;
    t->resolve = NULL;
    /* The thread or the queued delivery frees it, seeing t gone. */
    pthread_mutex_lock(&job->lock);
    job->t = NULL;
    if (job->undelivered) {
        pthread_mutex_unlock(&job->lock);
        job_free(job);
        return;
    }
    pthread_mutex_unlock(&job->lock);
}
