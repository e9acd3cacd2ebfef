/*
 * rpc/transport-private.h - what the transport files share.
 */
#ifndef EVIRT_RPC_TRANSPORT_PRIVATE_H
#define EVIRT_RPC_TRANSPORT_PRIVATE_H

#include <sys/types.h>
#include "rpc/transport.h"

struct addrinfo;
typedef struct transport_resolve transport_resolve;

typedef enum {
    T_CONNECTING,
    T_OPEN,
    T_CLOSED,
} transport_state;

typedef struct transport_chunk {
    struct transport_chunk *next;
    char *data;
    size_t len;
    size_t off;
} transport_chunk;

struct evirt_transport {
    evirt_loop *loop;
    transport_state state;
    evirt_transport_callbacks cbs;
    void *opaque;

    /* Lifetime: callbacks may free us; the free is finished when the
     * outermost dispatch returns. */
    int depth;
    int freed;

    /* Deferred notifications, delivered by a 0 ms timer. */
    int kick;
    int pending_connected;
    int pending_close;             /* a reason, or 0 */
    evirt_error pending_err;

    /* Socket kinds. */
    int fd;
    int watch;
    int watch_events;
    int local;
    int paused;
    struct addrinfo *ai_list;      /* tcp: what getaddrinfo gave */
    struct addrinfo *ai_next;      /* tcp: the next address to try */
    transport_resolve *resolve;    /* tcp: a name lookup in progress */
    char *peer_desc;               /* for messages: path or host:port */
    pid_t pid;                     /* command: the child, or 0 */

    /* Output queue (for a wrapper: user bytes held until the filter is
     * ready). */
    transport_chunk *qhead, *qtail;
    size_t queued;
    size_t high, low;
    int above_high;
    int close_when_flushed;
    int flush_deferred;            /* the kick timer writes the queue */

    /* Wrapper kind. */
    evirt_transport *inner;
    const evirt_transport_filter *filter;
    void *fdata;
    int filter_ready;
};

/* transport.c */
evirt_transport *transport_alloc(evirt_loop *loop, evirt_error *err);
int transport_attach_fd(evirt_transport *t, int fd, int connecting,
                        evirt_error *err);
void transport_dispose(evirt_transport *t);
/* tcp: the next address; -1 when none is left (err set). */
int transport_tcp_try_next(evirt_transport *t, int *connecting, evirt_error *err);
/* tcp, on the loop: the lookup ended (err: it failed); connects or fails. */
void transport_resolved(evirt_transport *t, const evirt_error *err);

/* transport-resolve.c: fills t->ai_list at once for an address literal
 * (returns 1), or starts a lookup off the loop that ends in
 * transport_resolved() (returns 0); -1 with err set. */
int transport_resolve_start(evirt_transport *t, const char *host,
                            const char *service, evirt_error *err);
/* From transport_dispose: a lookup still running is forgotten. */
void transport_resolve_abandon(evirt_transport *t);

/* transport.c: runs fn(arg) on a detached thread that takes no signals
 * (they stay the application's), for the few libc calls that can only
 * block.  0, or an errno from pthread_create. */
int transport_thread_start(void *(*fn)(void *), void *arg);

/* transport-reap.c: collects a command transport's child (its socket is
 * closed), escalating to SIGTERM and SIGKILL, without blocking the caller. */
void transport_reap_child(pid_t pid);

#endif
