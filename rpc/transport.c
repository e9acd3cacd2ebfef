/*
 * rpc/transport.c - the byte-stream machinery shared by every transport
 * kind: fd watch, write queue with water marks, deferred notifications,
 * safe freeing from callbacks, and the filter wrapper (TLS/SASL seam).
 * How sockets get connected is in transport-socket.c (names looked up
 * in transport-resolve.c), how a command's child is collected in
 * transport-reap.c.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rpc/transport-private.h"
#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.rpc.transport"

#define READ_CHUNK 65536
#define WRITE_IOV 64
#define DEFAULT_HIGH (1024 * 1024)
#define DEFAULT_LOW  (256 * 1024)

static void kick_cb(int timer, void *opaque);
static int write_queue(evirt_transport *t);
static void watch_cb(int watch, int fd, int events, void *opaque);

/* ---- lifetime -------------------------------------------------------- */

evirt_transport *
transport_alloc(evirt_loop *loop, evirt_error *err)
{
    evirt_transport *t = calloc(1, sizeof(*t));

    if (!t) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    t->loop = loop;
    t->state = T_CONNECTING;
    t->fd = -1;
    t->watch = -1;
    t->high = DEFAULT_HIGH;
    t->low = DEFAULT_LOW;
    t->kick = evirt_loop_add_timeout(loop, -1, kick_cb, t, NULL);
    if (t->kick < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "the event loop refused a timer");
        free(t);
        return NULL;
    }
    return t;
}

static void
queue_drop(evirt_transport *t)
{
    transport_chunk *c, *next;

    for (c = t->qhead; c; c = next) {
        next = c->next;
        free(c->data);
        free(c);
    }
    t->qhead = t->qtail = NULL;
    t->queued = 0;
}

/* Lets go of the fd, the queue and the inner transport; idempotent. */
static void
release(evirt_transport *t)
{
    if (t->watch > 0)
        evirt_loop_remove_watch(t->loop, t->watch);
    t->watch = -1;
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
    queue_drop(t);
    if (t->inner) {
        evirt_transport *inner = t->inner;

        t->inner = NULL;
        evirt_transport_free(inner);
    }
}

int
transport_thread_start(void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    sigset_t all, old;
    pthread_t tid;
    int rc;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&tid, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void
transport_dispose(evirt_transport *t)
{
    release(t);
    if (t->filter && t->filter->free)
        t->filter->free(t->fdata);
    t->filter = NULL;
    if (t->kick > 0)
        evirt_loop_remove_timeout(t->loop, t->kick);
    if (t->pid > 0)
        transport_reap_child(t->pid);
    transport_resolve_abandon(t);
    if (t->ai_list)
        freeaddrinfo(t->ai_list);
    free(t->peer_desc);
    evirt_error_reset(&t->pending_err);
    free(t);
}

static void
enter(evirt_transport *t)
{
    t->depth++;
}

/* Returns nonzero when t was freed meanwhile: do not touch it again. */
static int
leave(evirt_transport *t)
{
    int gone = t->freed;

    if (--t->depth == 0 && t->freed)
        transport_dispose(t);
    return gone;
}

void
evirt_transport_free(evirt_transport *t)
{
    if (!t)
        return;
    memset(&t->cbs, 0, sizeof(t->cbs));
    /* Bytes held back for coalescing would have been sent by now without
     * it: try once, quietly. */
    if (t->flush_deferred && t->state == T_OPEN && t->fd >= 0)
        write_queue(t);
    t->flush_deferred = 0;
    t->state = T_CLOSED;
    release(t);
    if (t->depth > 0)
        t->freed = 1;
    else
        transport_dispose(t);
}

static void
schedule(evirt_transport *t)
{
    evirt_loop_update_timeout(t->loop, t->kick, 0);
}

/* The stream is over: tell the user once.  Call inside enter/leave. */
static void
die(evirt_transport *t, int reason, const evirt_error *err)
{
    if (t->state == T_CLOSED)
        return;
    t->state = T_CLOSED;
    release(t);
    if (reason == EVIRT_TRANSPORT_ERROR && err)
        EVIRT_DEBUG("transport %p closed: %s", (void *)t,
                    err->message ? err->message : "?");
    if (t->cbs.on_closed)
        t->cbs.on_closed(t->opaque, reason, err);
}

/* Connecting failed: on_connected(err) then on_closed(ERROR). */
static void
fail_connect(evirt_transport *t, const evirt_error *err)
{
    if (t->cbs.on_connected)
        t->cbs.on_connected(t->opaque, err);
    if (!t->freed)
        die(t, EVIRT_TRANSPORT_ERROR, err);
}

static void
die_errno(evirt_transport *t, int errnum, const char *what)
{
    evirt_error err = { 0 };

    evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR, "%s: %s",
                    what, strerror(errnum));
    die(t, EVIRT_TRANSPORT_ERROR, &err);
    evirt_error_reset(&err);
}

/* ---- fd kinds ------------------------------------------------------- */

static void
update_watch(evirt_transport *t)
{
    int events = 0;

    if (t->watch <= 0)
        return;
    if (t->state == T_CONNECTING)
        events = EVIRT_EVENT_WRITABLE;
    else if (t->state == T_OPEN)
        events = (t->paused ? 0 : EVIRT_EVENT_READABLE) |
                 (t->qhead && !t->flush_deferred ? EVIRT_EVENT_WRITABLE : 0);
    if (events != t->watch_events) {
        t->watch_events = events;
        evirt_loop_update_watch(t->loop, t->watch, events);
    }
}

int
transport_attach_fd(evirt_transport *t, int fd, int connecting, evirt_error *err)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot make socket non-blocking: %s", strerror(errno));
        return -1;
    }
    if (t->watch > 0)
        evirt_loop_remove_watch(t->loop, t->watch);
    t->fd = fd;
    t->state = connecting ? T_CONNECTING : T_OPEN;
    t->watch_events = connecting ? EVIRT_EVENT_WRITABLE : EVIRT_EVENT_READABLE;
    t->watch = evirt_loop_add_watch(t->loop, fd, t->watch_events, watch_cb, t,
                                    NULL);
    if (t->watch < 0) {
        t->fd = -1;     /* the caller still owns fd */
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "the event loop refused an fd watch");
        return -1;
    }
    if (!connecting) {
        t->pending_connected = 1;
        schedule(t);
    }
    return 0;
}

static void
connect_ready(evirt_transport *t)
{
    int soerr = 0, connecting = 0;
    socklen_t sl = sizeof(soerr);
    evirt_error err = { 0 };

    if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
        soerr = errno;
    if (soerr == EINPROGRESS || soerr == EINTR)
        return;
    if (soerr == 0) {
        t->state = T_OPEN;
        update_watch(t);
        EVIRT_DEBUG("transport %p connected to %s", (void *)t,
                    t->peer_desc ? t->peer_desc : "peer");
        if (t->cbs.on_connected)
            t->cbs.on_connected(t->opaque, NULL);
        return;
    }
    EVIRT_DEBUG("connect to %s failed: %s", t->peer_desc ? t->peer_desc : "peer",
                strerror(soerr));
    if (t->ai_list) {
        /* tcp: move on to the next address */
        evirt_loop_remove_watch(t->loop, t->watch);
        t->watch = -1;
        close(t->fd);
        t->fd = -1;
        if (transport_tcp_try_next(t, &connecting, &err) == 0)
            return;
    } else {
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "Failed to connect socket to '%s': %s",
                        t->peer_desc ? t->peer_desc : "?", strerror(soerr));
    }
    fail_connect(t, &err);
    evirt_error_reset(&err);
}

void
transport_resolved(evirt_transport *t, const evirt_error *err)
{
    evirt_error cerr = { 0 };
    int connecting = 0;

    enter(t);
    if (t->state != T_CONNECTING) {
        /* closed meanwhile: nothing to connect */
    } else if (err) {
        fail_connect(t, err);
    } else if (transport_tcp_try_next(t, &connecting, &cerr) < 0) {
        fail_connect(t, &cerr);
    }
    evirt_error_reset(&cerr);
    leave(t);
}

/* Writes what the socket takes, up to WRITE_IOV chunks per sendmsg.
 * 0 when all was written or the socket is full, else an errno. */
static int
write_queue(evirt_transport *t)
{
    while (t->qhead) {
        struct iovec iov[WRITE_IOV];
        struct msghdr mh = { 0 };
        transport_chunk *c;
        size_t total = 0, left;
        int niov = 0;
        ssize_t n;

        for (c = t->qhead; c && niov < WRITE_IOV; c = c->next) {
            iov[niov].iov_base = c->data + c->off;
            iov[niov].iov_len = c->len - c->off;
            total += c->len - c->off;
            niov++;
        }
        mh.msg_iov = iov;
        mh.msg_iovlen = (size_t)niov;
        n = sendmsg(t->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return errno;
        }
        t->queued -= (size_t)n;
        for (left = (size_t)n; left > 0; ) {
            c = t->qhead;
            if (left < c->len - c->off) {
                c->off += left;
                break;
            }
            left -= c->len - c->off;
            t->qhead = c->next;
            if (!t->qhead)
                t->qtail = NULL;
            free(c->data);
            free(c);
        }
        if ((size_t)n < total)
            break;      /* the socket is full */
    }
    return 0;
}

/* Writes the queue.  Call inside enter/leave. */
static void
flush(evirt_transport *t)
{
    int errnum;

    t->flush_deferred = 0;
    if (t->state != T_OPEN)
        return;
    if ((errnum = write_queue(t)) != 0) {
        die_errno(t, errnum, "Cannot write data");
        return;
    }
    update_watch(t);
    if (t->above_high && t->queued <= t->low) {
        t->above_high = 0;
        if (t->cbs.on_drain)
            t->cbs.on_drain(t->opaque);
        if (t->freed || t->state != T_OPEN)
            return;
    }
    if (!t->qhead && t->close_when_flushed)
        die(t, EVIRT_TRANSPORT_FLUSHED, NULL);
}

static void
do_read(evirt_transport *t)
{
    char buf[READ_CHUNK];
    ssize_t n;

    for (;;) {
        n = recv(t->fd, buf, sizeof(buf), 0);
        if (n >= 0 || errno != EINTR)
            break;
    }
    if (n > 0) {
        if (t->cbs.on_data)
            t->cbs.on_data(t->opaque, buf, (size_t)n);
    } else if (n == 0) {
        EVIRT_DEBUG("transport %p: end of file from %s", (void *)t,
                    t->peer_desc ? t->peer_desc : "peer");
        die(t, EVIRT_TRANSPORT_EOF, NULL);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        die_errno(t, errno, "Cannot recv data");
    }
}

static void
watch_cb(int watch, int fd, int events, void *opaque)
{
    evirt_transport *t = opaque;

    (void)watch;
    (void)fd;
    enter(t);
    if (t->state == T_CONNECTING) {
        connect_ready(t);
    } else if (t->state == T_OPEN) {
        if (events & EVIRT_EVENT_WRITABLE)
            flush(t);
        if (!t->freed && t->state == T_OPEN && !t->paused &&
            (events & (EVIRT_EVENT_READABLE | EVIRT_EVENT_HANGUP |
                       EVIRT_EVENT_ERROR)))
            do_read(t);
    }
    leave(t);
}

/* ---- deferred notifications ----------------------------------------- */

static int filter_start(evirt_transport *w);

static void
kick_cb(int timer, void *opaque)
{
    evirt_transport *t = opaque;

    (void)timer;
    evirt_loop_update_timeout(t->loop, t->kick, -1);
    enter(t);
    /* (flush clears flush_deferred first: an on_drain writing again
     * re-arms it and this timer.) */
    if (t->flush_deferred && t->state == T_OPEN && !t->inner && t->fd >= 0)
        flush(t);
    if (t->filter && t->inner && !t->filter_ready && t->state == T_CONNECTING &&
        evirt_transport_is_open(t->inner) && !t->pending_close)
        filter_start(t);
    if (!t->freed && t->pending_connected && t->state == T_OPEN) {
        t->pending_connected = 0;
        if (t->cbs.on_connected)
            t->cbs.on_connected(t->opaque, NULL);
    }
    if (!t->freed && t->pending_close) {
        int reason = t->pending_close;
        evirt_error err = { 0 };

        t->pending_close = 0;
        evirt_error_move(&err, &t->pending_err);
        die(t, reason, reason == EVIRT_TRANSPORT_ERROR ? &err : NULL);
        evirt_error_reset(&err);
    }
    if (!t->freed && t->state == T_OPEN && t->close_when_flushed &&
        evirt_transport_queued(t) == 0 && !t->inner)
        die(t, EVIRT_TRANSPORT_FLUSHED, NULL);
    leave(t);
}

/* Closes with reason on the next iteration (for failures found in the
 * user's own calls, where no callback may run). */
static void
close_later(evirt_transport *t, int reason, const evirt_error *err)
{
    if (t->state == T_CLOSED || t->pending_close)
        return;
    t->pending_close = reason;
    if (err)
        evirt_error_copy(&t->pending_err, err);
    schedule(t);
}

/* ---- public operations ---------------------------------------------- */

evirt_transport *
evirt_transport_new_fd(evirt_loop *loop, int fd, evirt_error *err)
{
    evirt_transport *t = transport_alloc(loop, err);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);

    if (!t)
        return NULL;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
        ss.ss_family == AF_UNIX)
        t->local = 1;
    if (transport_attach_fd(t, fd, 0, err) < 0) {
        transport_dispose(t);
        return NULL;
    }
    return t;
}

void
evirt_transport_set_callbacks(evirt_transport *t,
                              const evirt_transport_callbacks *cbs, void *opaque)
{
    if (cbs)
        t->cbs = *cbs;
    else
        memset(&t->cbs, 0, sizeof(t->cbs));
    t->opaque = opaque;
}

static int
over_high(evirt_transport *t)
{
    if (evirt_transport_queued(t) > t->high) {
        t->above_high = 1;
        return 1;
    }
    return 0;
}

static int write_owned(evirt_transport *t, void *data, size_t len, int later);

int
evirt_transport_write_owned(evirt_transport *t, void *data, size_t len)
{
    return write_owned(t, data, len, 0);
}

int
evirt_transport_write_owned_later(evirt_transport *t, void *data, size_t len)
{
    return write_owned(t, data, len, 1);
}

static int
write_owned(evirt_transport *t, void *data, size_t len, int later)
{
    transport_chunk *c;

    if (t->state == T_CLOSED || t->freed || t->close_when_flushed ||
        t->pending_close) {
        free(data);
        return -1;
    }
    if (len == 0) {
        free(data);
        return over_high(t);
    }
    if (t->inner && t->filter_ready) {
        int rc = t->filter->encode(t, t->fdata, data, len);

        free(data);
        if (rc < 0) {
            evirt_error err = { 0 };

            evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                            "transport filter failed to encode data");
            close_later(t, EVIRT_TRANSPORT_ERROR, &err);
            evirt_error_reset(&err);
            return -1;
        }
        return over_high(t);
    }
    size_t off = 0;
    if (later && !t->inner && t->state == T_OPEN && t->fd >= 0 &&
        (!t->qhead || t->flush_deferred)) {
        /* Held for the kick timer, which writes all of this iteration's
         * packets at once.  (Behind a queue that already waits for the
         * writable event, the watch writes it anyway.) */
        if (!t->flush_deferred) {
            t->flush_deferred = 1;
            schedule(t);
        }
    } else if (!t->inner && t->state == T_OPEN && !t->qhead && t->fd >= 0) {
        /* Nothing queued: send now.  Waiting for the writable event first
         * costs a watch update and a loop pass on every call; only what
         * the socket does not take is queued. */
        ssize_t n;
        do {
            n = send(t->fd, data, len, MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            evirt_error err = { 0 };

            evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                            "Cannot write data: %s", strerror(errno));
            free(data);
            close_later(t, EVIRT_TRANSPORT_ERROR, &err);
            evirt_error_reset(&err);
            return -1;
        }
        if (n > 0)
            off = (size_t)n;
        if (off == len) {
            free(data);
            return over_high(t);
        }
    }
    if (!(c = calloc(1, sizeof(*c)))) {
        free(data);
        return -1;
    }
    c->data = data;
    c->len = len;
    c->off = off;
    if (t->qtail)
        t->qtail->next = c;
    else
        t->qhead = c;
    t->qtail = c;
    t->queued += len - off;
    if (!t->inner)
        update_watch(t);
    return over_high(t);
}

int
evirt_transport_write(evirt_transport *t, const void *data, size_t len)
{
    void *copy = malloc(len ? len : 1);

    if (!copy)
        return -1;
    memcpy(copy, data, len);
    return evirt_transport_write_owned(t, copy, len);
}

size_t
evirt_transport_queued(const evirt_transport *t)
{
    return t->queued + (t->inner ? evirt_transport_queued(t->inner) : 0);
}

void
evirt_transport_set_water_marks(evirt_transport *t, size_t high, size_t low)
{
    t->high = high;
    t->low = low < high ? low : high;
    if (t->inner)
        evirt_transport_set_water_marks(t->inner, high, low);
}

void
evirt_transport_pause_reading(evirt_transport *t, int paused)
{
    if (t->inner) {
        evirt_transport_pause_reading(t->inner, paused);
        return;
    }
    t->paused = paused != 0;
    update_watch(t);
}

int
evirt_transport_is_open(const evirt_transport *t)
{
    return t && t->state == T_OPEN && !t->freed;
}

int
evirt_transport_fd(const evirt_transport *t)
{
    if (t->inner)
        return evirt_transport_fd(t->inner);
    return t->fd;
}

int
evirt_transport_is_local(const evirt_transport *t)
{
    if (t->inner)
        return evirt_transport_is_local(t->inner);
    return t->local;
}

void
evirt_transport_close_when_flushed(evirt_transport *t)
{
    if (t->state == T_CLOSED || t->close_when_flushed)
        return;
    t->close_when_flushed = 1;
    if (t->inner) {
        /* user bytes still held for the filter go first */
        evirt_transport_close_when_flushed(t->inner);
        return;
    }
    t->paused = 1;
    update_watch(t);
    schedule(t);
}

/* ---- the filter wrapper --------------------------------------------- */

static int
filter_start(evirt_transport *w)
{
    evirt_error err = { 0 };

    w->filter_ready = 0;
    if (w->filter->start && w->filter->start(w, w->fdata) < 0) {
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "transport filter failed to start");
        fail_connect(w, &err);
        evirt_error_reset(&err);
        return -1;
    }
    if (!w->filter->start)
        evirt_transport_filter_ready(w);
    return 0;
}

static void
w_on_connected(void *opaque, const evirt_error *err)
{
    evirt_transport *w = opaque;

    enter(w);
    if (err) {
        if (w->cbs.on_connected)
            w->cbs.on_connected(w->opaque, err);
    } else {
        filter_start(w);
    }
    leave(w);
}

static void
w_on_data(void *opaque, const char *data, size_t len)
{
    evirt_transport *w = opaque;
    evirt_error err = { 0 };

    enter(w);
    if (w->state != T_CLOSED &&
        w->filter->decode(w, w->fdata, data, len) < 0 && !w->freed) {
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "transport filter failed to decode data");
        if (w->state == T_CONNECTING)
            fail_connect(w, &err);
        else
            die(w, EVIRT_TRANSPORT_ERROR, &err);
        evirt_error_reset(&err);
    }
    leave(w);
}

static void
w_on_drain(void *opaque)
{
    evirt_transport *w = opaque;

    enter(w);
    if (w->above_high && evirt_transport_queued(w) <= w->low) {
        w->above_high = 0;
        if (w->cbs.on_drain)
            w->cbs.on_drain(w->opaque);
    }
    leave(w);
}

static void
w_on_closed(void *opaque, int reason, const evirt_error *err)
{
    evirt_transport *w = opaque;

    enter(w);
    if (w->state == T_CONNECTING && reason != EVIRT_TRANSPORT_FLUSHED &&
        w->filter_ready == 0 && w->cbs.on_connected && err == NULL) {
        /* EOF during the handshake is a failed connect too */
        evirt_error e = { 0 };

        evirt_error_set(&e, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "End of file during the transport handshake");
        fail_connect(w, &e);
        evirt_error_reset(&e);
    } else {
        die(w, reason, err);
    }
    leave(w);
}

evirt_transport *
evirt_transport_new_wrap(evirt_transport *inner, const evirt_transport_filter *filter,
                         void *fdata, evirt_error *err)
{
    static const evirt_transport_callbacks inner_cbs = {
        .on_connected = w_on_connected,
        .on_data = w_on_data,
        .on_drain = w_on_drain,
        .on_closed = w_on_closed,
    };
    evirt_transport *w;

    if (!filter || !filter->encode || !filter->decode || inner->state == T_CLOSED) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "cannot wrap this transport");
        return NULL;
    }
    if (!(w = transport_alloc(inner->loop, err)))
        return NULL;
    w->inner = inner;
    w->filter = filter;
    w->fdata = fdata;
    evirt_transport_set_callbacks(inner, &inner_cbs, w);
    /* A connected inner: kick_cb starts the filter.  Otherwise
     * w_on_connected will, when the inner reports. */
    if (inner->state == T_OPEN && !inner->pending_connected)
        schedule(w);
    return w;
}

void
evirt_transport_filter_up(evirt_transport *w, const char *data, size_t len)
{
    if (w->freed || w->state == T_CLOSED || !w->cbs.on_data)
        return;
    w->cbs.on_data(w->opaque, data, len);
}

int
evirt_transport_filter_down(evirt_transport *w, const char *data, size_t len)
{
    if (!w->inner)
        return -1;
    return evirt_transport_write(w->inner, data, len) < 0 ? -1 : 0;
}

void
evirt_transport_filter_ready(evirt_transport *w)
{
    transport_chunk *c;

    if (w->filter_ready || w->state != T_CONNECTING)
        return;
    w->filter_ready = 1;
    w->state = T_OPEN;
    /* what the user wrote during the handshake, in order */
    while ((c = w->qhead)) {
        w->qhead = c->next;
        w->queued -= c->len;
        if (w->filter->encode(w, w->fdata, c->data, c->len) < 0) {
            evirt_error err = { 0 };

            evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                            "transport filter failed to encode data");
            close_later(w, EVIRT_TRANSPORT_ERROR, &err);
            evirt_error_reset(&err);
        }
        free(c->data);
        free(c);
    }
    w->qtail = NULL;
    w->pending_connected = 1;
    schedule(w);
}

void
evirt_transport_filter_fail(evirt_transport *w, const evirt_error *err)
{
    evirt_error e = { 0 };

    if (!err) {
        evirt_error_set(&e, EVIRT_FROM_RPC, EVIRT_ERR_RPC, "transport filter failed");
        err = &e;
    }
    if (w->depth > 0) {
        if (w->state == T_CONNECTING)
            fail_connect(w, err);
        else
            die(w, EVIRT_TRANSPORT_ERROR, err);
    } else {
        close_later(w, EVIRT_TRANSPORT_ERROR, err);
    }
    evirt_error_reset(&e);
}
