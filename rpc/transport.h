/*
 * rpc/transport.h - a non-blocking byte stream on an evirt_loop.
 *
 * Kinds: UNIX socket, TCP (IPv4/IPv6), a spawned command talking over a
 * socketpair (ext, ssh), an already connected fd (accepted sockets,
 * tests), and a wrapper that filters another transport's bytes (the seam
 * for TLS and SASL).
 *
 * Every constructor returns at once; connecting completes on the loop and
 * is reported through on_connected (never from inside the constructor).
 * Writes made before that are queued.  All callbacks run on the loop's
 * thread; every function here must be called there too.
 *
 * Freeing a transport from inside one of its own callbacks is allowed.
 */
#ifndef EVIRT_RPC_TRANSPORT_H
#define EVIRT_RPC_TRANSPORT_H

#include <stddef.h>
#include <evirt/error.h>
#include <evirt/loop.h>

typedef struct evirt_transport evirt_transport;

/* Why a transport went away on its own. */
typedef enum {
    EVIRT_TRANSPORT_EOF   = 1, /* the peer closed its end */
    EVIRT_TRANSPORT_ERROR = 2, /* I/O or connect error, or a filter failed */
    EVIRT_TRANSPORT_FLUSHED = 3, /* evirt_transport_close_when_flushed() done */
} evirt_transport_close_reason;

typedef struct evirt_transport_callbacks {
    /* Connection established (err NULL) or failed (err set; on_closed
     * follows with ERROR).  May be NULL. */
    void (*on_connected)(void *opaque, const evirt_error *err);
    /* Bytes arrived.  They are only valid during the call. */
    void (*on_data)(void *opaque, const char *data, size_t len);
    /* The write queue fell to the low-water mark after having passed the
     * high-water mark.  May be NULL. */
    void (*on_drain)(void *opaque);
    /* The stream ended (not called for evirt_transport_free()).  err is
     * NULL for EOF and FLUSHED.  No callback follows this one. */
    void (*on_closed)(void *opaque, int reason, const evirt_error *err);
} evirt_transport_callbacks;

/*
 * Constructors.  Return NULL with err set when the connection cannot even
 * be started (bad address, socket() failure, fork failure...).
 */
evirt_transport *evirt_transport_new_unix(evirt_loop *loop, const char *path,
                                          evirt_error *err);
/*
 * host/service resolved with getaddrinfo() here, BLOCKING, once; each
 * address (IPv6 and IPv4) is then tried in turn, non-blocking.
 */
evirt_transport *evirt_transport_new_tcp(evirt_loop *loop, const char *host,
                                         const char *service, evirt_error *err);
/*
 * Runs argv[0] (PATH searched) with argv, its stdin and stdout joined to
 * one end of a socketpair; stderr is inherited.  On free the child gets
 * SIGTERM (then SIGKILL if it lingers) and is reaped.
 */
evirt_transport *evirt_transport_new_command(evirt_loop *loop,
                                             const char *const *argv,
                                             evirt_error *err);
/* Takes ownership of a connected stream socket (made non-blocking). */
evirt_transport *evirt_transport_new_fd(evirt_loop *loop, int fd, evirt_error *err);

/*
 * A filter between a wrapper and the transport under it.  The wrapper
 * owns the inner transport.  The filter moves bytes with
 * evirt_transport_filter_up() (decoded data for the wrapper's user) and
 * evirt_transport_filter_down() (encoded data for the inner transport);
 * it calls evirt_transport_filter_ready() once its handshake is done
 * (before that the wrapper queues user writes), or
 * evirt_transport_filter_fail() to kill the stream.
 */
typedef struct evirt_transport_filter {
    /* The inner transport is connected: start the handshake.  0 or -1. */
    int  (*start)(evirt_transport *wrapper, void *fdata);
    /* Bytes from the user, to encode and send down.  0 or -1. */
    int  (*encode)(evirt_transport *wrapper, void *fdata, const char *data, size_t len);
    /* Bytes from below, to decode and pass up.  0 or -1. */
    int  (*decode)(evirt_transport *wrapper, void *fdata, const char *data, size_t len);
    /* Releases fdata. May be NULL. */
    void (*free)(void *fdata);
} evirt_transport_filter;

evirt_transport *evirt_transport_new_wrap(evirt_transport *inner,
                                          const evirt_transport_filter *filter,
                                          void *fdata, evirt_error *err);
void evirt_transport_filter_up(evirt_transport *wrapper, const char *data, size_t len);
int  evirt_transport_filter_down(evirt_transport *wrapper, const char *data, size_t len);
void evirt_transport_filter_ready(evirt_transport *wrapper);
void evirt_transport_filter_fail(evirt_transport *wrapper, const evirt_error *err);

/* Sets the callbacks (copied).  Call before the loop runs again. */
void evirt_transport_set_callbacks(evirt_transport *t,
                                   const evirt_transport_callbacks *cbs,
                                   void *opaque);

/*
 * Queues bytes for sending (copied).  Returns 1 when the queue is above
 * the high-water mark after this write (the caller should hold back until
 * on_drain), 0 otherwise, -1 when the transport is closed.
 */
int evirt_transport_write(evirt_transport *t, const void *data, size_t len);
/* Same, taking ownership of data (malloc'ed; freed once written). */
int evirt_transport_write_owned(evirt_transport *t, void *data, size_t len);
/*
 * Same as _write_owned, for a caller that knows more writes follow soon
 * (say, a call issued while others are in flight): the bytes are held
 * until the next loop iteration and go out together with the other
 * writes made before it, in one syscall.  Loop thread only.
 */
int evirt_transport_write_owned_later(evirt_transport *t, void *data, size_t len);
/* Bytes queued and not yet handed to the kernel. */
size_t evirt_transport_queued(const evirt_transport *t);
/* Default high 1 MiB, low 256 KiB. */
void evirt_transport_set_water_marks(evirt_transport *t, size_t high, size_t low);

/* Stops (1) or resumes (0) reading: the peer feels TCP back-pressure. */
void evirt_transport_pause_reading(evirt_transport *t, int paused);

/* Nonzero once connected and until closed. */
int evirt_transport_is_open(const evirt_transport *t);
/* The socket fd (of the innermost transport), or -1. Still owned by t. */
int evirt_transport_fd(const evirt_transport *t);
/* Nonzero for UNIX sockets and socketpairs (no network in between). */
int evirt_transport_is_local(const evirt_transport *t);

/* Sends what is queued, then closes; on_closed(FLUSHED) follows. */
void evirt_transport_close_when_flushed(evirt_transport *t);
/* Closes at once, drops the queue; no further callbacks. NULL ok. */
void evirt_transport_free(evirt_transport *t);

#endif
