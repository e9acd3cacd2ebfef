/*
 * rpc/server-client.c - one client connection of the RPC server: reading
 * packets, dispatching CALLs, queueing replies, keepalive.
 *
 * Lifetime: a client is referenced by its open connection, by each call
 * not yet answered, and by itself while one of its loop callbacks runs.
 * Closing drops the connection's reference; the struct (and the program
 * layer's data) goes when the last call is answered.
 *
 * Back-pressure, as libvirtd: no packet is dispatched while the client has
 * max_client_requests calls unanswered or while its write queue is over
 * max_write_queue.  Reads take up to 64 KiB, so later packets may sit in
 * the input buffer meanwhile; the socket is not read again until the
 * buffer has no whole packet left and dispatching is allowed.
 *
 * Syscalls per packet matter (most of the daemon's time is in the kernel):
 * one recv serves many packets, and the replies produced while handling
 * one wake-up go out together in one sendmsg at its end.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define EVIRT_LOG_CATEGORY "evirt.rpc.server"
#include "api/log-private.h"
#include "api/error-private.h"
#include "rpc/server-private.h"

/* Packets handled per wake-up before other clients get their turn. */
#define PACKETS_PER_WAKEUP 32
/* Bytes asked of each recv (more when a bigger packet is under way). */
#define READ_CHUNK 65536
/* Packets gathered into one sendmsg. */
#define WRITE_IOV 64

struct evirt_rpc_call {
    evirt_rpc_server_client *client;
    evirt_rpc_header hdr;
    const evirt_rpc_proc *proc;
    void *args;
    int refs;           /* unanswered + handler running */
    int answered;
};

static void client_update_events(evirt_rpc_server_client *c);

static void
client_ref(evirt_rpc_server_client *c)
{
    c->refs++;
}

static void
client_unref(evirt_rpc_server_client *c)
{
    if (--c->refs > 0)
        return;
    if (c->data_free)
        c->data_free(c->data);
    free(c->ibuf);
    free(c);
}

/* ---- writing ------------------------------------------------------------ */

static void
out_free_all(evirt_rpc_server_client *c)
{
    server_out *o = c->out_head;

    while (o) {
        server_out *next = o->next;
        free(o->data);
        free(o);
        o = next;
    }
    c->out_head = c->out_tail = NULL;
    c->out_bytes = 0;
}

static int flush_some(evirt_rpc_server_client *c);

/*
 * Takes ownership of data (malloc'ed).  Replies are gathered rather than
 * sent one by one: inside the client's own callback they go at its end;
 * elsewhere (ops completing on the loop, usually many in one pass) they
 * wait for the resume timer while other calls of this client are still
 * unanswered, and go at once with the last one, so a lone call is
 * answered without delay.
 */
static int
client_queue(evirt_rpc_server_client *c, char *data, size_t len)
{
    server_out *o;

    if (c->closed || c->closing) {
        free(data);
        return -1;
    }
    if (!(o = calloc(1, sizeof(*o)))) {
        free(data);
        evirt_rpc_server_client_close_now_(c, "out of memory queueing a packet");
        return -1;
    }
    o->data = data;
    o->len = len;
    if (c->out_tail)
        c->out_tail->next = o;
    else
        c->out_head = o;
    c->out_tail = o;
    c->out_bytes += len;
    if (c->in_event)
        return 0;
    if (c->nrequests > 0 && c->out_bytes < c->srv->limits.max_write_queue) {
        c->flush_pending = 1;
    } else {
        /* Errors are left to the writable event, which reports them (the
         * caller may not expect the client closed under it). */
        c->flush_pending = 0;
        flush_some(c);
    }
    client_update_events(c);
    return 0;
}

/* Encodes and queues one packet.  0 or -1 (error logged). */
static int
client_send(evirt_rpc_server_client *c, const evirt_rpc_header *hdr,
            xdrproc_t proc, const void *payload, const evirt_error *e)
{
    evirt_rpc_buf buf = { 0 };
    evirt_error err = { 0 };
    size_t len;
    char *data;
    int rc;

    if (c->closed || c->closing)
        return -1;
    if (e)
        rc = evirt_rpc_message_encode_error(&buf, hdr, e, &err);
    else
        rc = evirt_rpc_message_encode(&buf, hdr, proc, payload, &err);
    if (rc < 0) {
        EVIRT_WARN("client %llu: cannot encode packet prog=0x%x proc=%d: %s",
                   c->id, hdr->prog, hdr->proc,
                   err.message ? err.message : "?");
        evirt_error_reset(&err);
        evirt_rpc_buf_clear(&buf);
        return -1;
    }
    data = evirt_rpc_buf_steal(&buf, &len);
    return client_queue(c, data, len);
}

/* Writes what the socket takes, several packets per sendmsg.  0 when all
 * was written or the socket is full, else an errno. */
static int
flush_some(evirt_rpc_server_client *c)
{
    while (c->out_head) {
        struct iovec iov[WRITE_IOV];
        struct msghdr mh = { 0 };
        size_t total = 0;
        int niov = 0;
        server_out *o;
        ssize_t n;

        for (o = c->out_head; o && niov < WRITE_IOV; o = o->next) {
            iov[niov].iov_base = o->data + o->off;
            iov[niov].iov_len = o->len - o->off;
            total += o->len - o->off;
            niov++;
        }
        mh.msg_iov = iov;
        mh.msg_iovlen = (size_t)niov;
        n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            return errno;
        }
        size_t left = (size_t)n;
        c->out_bytes -= left;
        while (left > 0) {
            o = c->out_head;
            if (left < o->len - o->off) {
                o->off += left;
                break;
            }
            left -= o->len - o->off;
            c->out_head = o->next;
            if (!c->out_head)
                c->out_tail = NULL;
            free(o->data);
            free(o);
        }
        if ((size_t)n < total)
            return 0;   /* the socket is full */
    }
    return 0;
}

/* Writes what the socket takes.  0, or -1 when the client was closed. */
static int
client_flush(evirt_rpc_server_client *c)
{
    int errnum;

    c->flush_pending = 0;
    if ((errnum = flush_some(c)) != 0) {
        char reason[128];
        snprintf(reason, sizeof(reason), "write failed: %s", strerror(errnum));
        evirt_rpc_server_client_close_now_(c, reason);
        return -1;
    }
    if (!c->out_head && c->closing) {
        evirt_rpc_server_client_close_now_(c, NULL);
        return -1;
    }
    return 0;
}

/* ---- errors libvirtd sends itself --------------------------------------- */

/* An RPC-level error as libvirtd raises it: code 39, domain 7, the detail
 * alone as message (clients test its "unknown procedure" prefix). */
static void
rpc_error(evirt_error *e, const char *fmt, ...)
{
    va_list ap;
    char *detail = NULL;

    evirt_error_reset(e);
    va_start(ap, fmt);
    if (vasprintf(&detail, fmt, ap) < 0)
        detail = NULL;
    va_end(ap);
    e->code = EVIRT_ERR_RPC;
    e->domain = EVIRT_FROM_RPC;
    e->level = EVIRT_ERR_ERROR;
    e->message = detail;
    e->str1 = strdup("%s");
    e->str2 = detail ? strdup(detail) : NULL;
    e->int1 = -1;
    e->int2 = -1;
}

static void
send_error_reply(evirt_rpc_server_client *c, const evirt_rpc_header *call,
                 const evirt_error *e)
{
    evirt_rpc_header hdr = *call;

    hdr.type = EVIRT_RPC_REPLY;
    hdr.status = EVIRT_RPC_STATUS_ERROR;
    client_send(c, &hdr, NULL, NULL, e);
}

/* ---- calls -------------------------------------------------------------- */

static void
call_unref(evirt_rpc_call *call)
{
    evirt_rpc_server_client *c = call->client;

    if (--call->refs > 0)
        return;
    if (call->args) {
        xdr_free(call->proc->args_proc, call->args);
        free(call->args);
    }
    free(call);
    client_unref(c);
}

/* Marks call answered; returns 0 if the answer should be sent. */
static int
call_answer(evirt_rpc_call *call)
{
    evirt_rpc_server_client *c = call->client;

    if (call->answered) {
        EVIRT_ERROR("client %llu: call serial %u proc %d answered twice",
                    c->id, call->hdr.serial, call->hdr.proc);
        return -1;
    }
    call->answered = 1;
    c->nrequests--;
    if (c->closed)
        return -1;
    return 0;
}

void
evirt_rpc_call_reply(evirt_rpc_call *call, const void *ret)
{
    evirt_rpc_server_client *c = call->client;
    evirt_rpc_header hdr = call->hdr;

    if (call_answer(call) == 0) {
        hdr.type = EVIRT_RPC_REPLY;
        hdr.status = EVIRT_RPC_STATUS_OK;
        if (client_send(c, &hdr, call->proc->ret_proc, ret, NULL) < 0 &&
            !c->closed && !c->closing) {
            evirt_error e = { 0 };
            rpc_error(&e, "Unable to encode message payload");
            send_error_reply(c, &call->hdr, &e);
            evirt_error_reset(&e);
        }
        client_update_events(c);
    }
    call_unref(call);
}

void
evirt_rpc_call_reply_error(evirt_rpc_call *call, const evirt_error *err)
{
    evirt_rpc_server_client *c = call->client;

    if (call_answer(call) == 0) {
        if (err && err->code != 0) {
            send_error_reply(c, &call->hdr, err);
        } else {
            evirt_error e = { 0 };
            e.code = EVIRT_ERR_INTERNAL_ERROR;
            e.domain = EVIRT_FROM_RPC;
            e.level = EVIRT_ERR_ERROR;
            e.message = (char *)"Library function returned error but did not set virError";
            e.int1 = e.int2 = -1;
            send_error_reply(c, &call->hdr, &e);
        }
        client_update_events(c);
    }
    call_unref(call);
}

evirt_rpc_server_client *
evirt_rpc_call_client(evirt_rpc_call *call)
{
    return call->client;
}

unsigned int evirt_rpc_call_program(evirt_rpc_call *call) { return call->hdr.prog; }
unsigned int evirt_rpc_call_version(evirt_rpc_call *call) { return call->hdr.vers; }
int evirt_rpc_call_procedure(evirt_rpc_call *call) { return call->hdr.proc; }
uint32_t evirt_rpc_call_serial(evirt_rpc_call *call) { return call->hdr.serial; }

/* ---- dispatch ----------------------------------------------------------- */

/* Procedures without arguments (xdr_void has no pointer parameter). */
static bool_t
xdr_nothing(XDR *xdrs, void *p)
{
    (void)xdrs;
    (void)p;
    return TRUE;
}

static void
dispatch_keepalive(evirt_rpc_server_client *c, const evirt_rpc_header *hdr)
{
    if (hdr->type != EVIRT_RPC_MESSAGE || hdr->vers != EVIRT_RPC_KEEPALIVE_VERSION) {
        EVIRT_DEBUG("client %llu: keepalive packet type %d vers %u dropped",
                    c->id, hdr->type, hdr->vers);
        return;
    }
    if (hdr->proc == EVIRT_RPC_KEEPALIVE_PING) {
        evirt_rpc_header pong = {
            .prog = EVIRT_RPC_KEEPALIVE_PROGRAM,
            .vers = EVIRT_RPC_KEEPALIVE_VERSION,
            .proc = EVIRT_RPC_KEEPALIVE_PONG,
            .type = EVIRT_RPC_MESSAGE,
            .serial = 0,
            .status = EVIRT_RPC_STATUS_OK,
        };
        client_send(c, &pong, NULL, NULL, NULL);
    }
    /* A PONG needs nothing: every packet already counted as a sign of life. */
}

static void
dispatch_call(evirt_rpc_server_client *c, const evirt_rpc_header *hdr,
              const char *payload, size_t plen)
{
    const server_program *prog;
    const evirt_rpc_proc *proc;
    evirt_rpc_call *call;
    evirt_error e = { 0 };

    if (hdr->status != EVIRT_RPC_STATUS_OK) {
        rpc_error(&e, "Unexpected message status %d", hdr->status);
        goto error;
    }
    prog = evirt_rpc_server_find_program_(c->srv, hdr->prog, hdr->vers);
    if (!prog) {
        rpc_error(&e, "Cannot find program %u version %u", hdr->prog, hdr->vers);
        goto error;
    }
    proc = evirt_rpc_server_find_proc_(prog, hdr->proc);
    if (!proc || !proc->handler) {
        rpc_error(&e, "unknown procedure: %d", hdr->proc);
        goto error;
    }
    if (!(call = calloc(1, sizeof(*call))))
        goto oom;
    if (proc->args_size && !(call->args = calloc(1, proc->args_size))) {
        free(call);
        goto oom;
    }
    if (evirt_rpc_message_decode_payload(payload, plen,
                                         proc->args_proc ? proc->args_proc
                                                         : (xdrproc_t)xdr_nothing,
                                         call->args, &e) < 0) {
        free(call->args);
        free(call);
        EVIRT_DEBUG("client %llu: undecodable args for proc %d serial %u",
                    c->id, hdr->proc, hdr->serial);
        rpc_error(&e, "Unable to decode message payload");
        goto error;
    }
    call->client = c;
    call->hdr = *hdr;
    call->proc = proc;
    call->refs = 2;     /* the answer to come + the handler below */
    client_ref(c);
    c->nrequests++;
    proc->handler(call, call->args);
    call_unref(call);
    return;

 oom:
    evirt_error_set(&e, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
 error:
    EVIRT_DEBUG("client %llu: error reply for prog 0x%x vers %u proc %d serial %u: %s",
                c->id, hdr->prog, hdr->vers, hdr->proc, hdr->serial,
                e.message ? e.message : "?");
    send_error_reply(c, hdr, &e);
    evirt_error_reset(&e);
}

static void
dispatch_packet(evirt_rpc_server_client *c, const char *packet, size_t len)
{
    evirt_rpc_header hdr;
    evirt_error err = { 0 };

    if (evirt_rpc_message_decode_header(packet, len, &hdr, &err) < 0) {
        char reason[256];
        snprintf(reason, sizeof(reason), "undecodable header: %s",
                 err.message ? err.message : "?");
        evirt_error_reset(&err);
        evirt_rpc_server_client_close_now_(c, reason);
        return;
    }
    c->ka_heard = 1;

    const char *payload = evirt_rpc_message_payload(packet);
    size_t plen = evirt_rpc_message_payload_len(len);

    if (hdr.prog == EVIRT_RPC_KEEPALIVE_PROGRAM) {
        dispatch_keepalive(c, &hdr);
        return;
    }
    switch (hdr.type) {
    case EVIRT_RPC_CALL:
        dispatch_call(c, &hdr, payload, plen);
        break;
    case EVIRT_RPC_CALL_WITH_FDS: {
        /* No fd passing yet: the fds (if any) are not received. */
        evirt_error e = { 0 };
        rpc_error(&e, "Unexpected message type %d", hdr.type);
        send_error_reply(c, &hdr, &e);
        evirt_error_reset(&e);
        break;
    }
    default:
        /* libvirtd drops REPLY / MESSAGE / STREAM packets it has no use for. */
        EVIRT_DEBUG("client %llu: dropped packet type %d prog 0x%x proc %d",
                    c->id, hdr.type, hdr.prog, hdr.proc);
        break;
    }
}

/* ---- reading ------------------------------------------------------------ */

static int
client_may_read(evirt_rpc_server_client *c)
{
    const evirt_rpc_server_limits *l;

    if (c->closed || c->closing || !c->srv)
        return 0;
    l = &c->srv->limits;
    return c->nrequests < l->max_client_requests &&
           c->out_bytes < l->max_write_queue;
}

static uint32_t
get_be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
           (uint32_t)u[2] << 8 | u[3];
}

/* Whether the input buffer holds a whole packet not dispatched yet.  Its
 * length word was checked when it came in (else the client is closed). */
static int
client_has_packet(evirt_rpc_server_client *c)
{
    size_t avail = c->ilen - c->ioff;

    return avail >= 4 && avail >= get_be32(c->ibuf + c->ioff);
}

static void
client_update_events(evirt_rpc_server_client *c)
{
    int ev = 0, resume = 0;

    /* Inside its own callback, which calls this once at its end. */
    if (c->closed || c->in_event)
        return;
    if (client_may_read(c)) {
        if (client_has_packet(c))
            resume = 1;     /* the socket may have nothing to wake us */
        else
            ev |= EVIRT_EVENT_READABLE;
    }
    if (c->out_head) {
        if (c->flush_pending)
            resume = 1;     /* the timer writes, then asks for WRITABLE */
        else
            ev |= EVIRT_EVENT_WRITABLE;
    }
    if (c->overflowed)
        resume = 1;         /* the timer closes it */
    if (ev != c->events) {
        c->events = ev;
        evirt_loop_update_watch(c->srv->loop, c->watch, ev);
    }
    if (resume != c->resume_armed) {
        c->resume_armed = resume;
        evirt_loop_update_timeout(c->srv->loop, c->resume_timer, resume ? 0 : -1);
    }
}

/* Checks the length word at the head of the input buffer (4 bytes are
 * there): our own limit first, then the protocol's.  Returns the packet
 * length, or 0 when the client was closed. */
static size_t
client_check_length(evirt_rpc_server_client *c)
{
    uint32_t len = get_be32(c->ibuf + c->ioff);
    evirt_error err = { 0 };
    char reason[256];

    if (len > c->srv->limits.max_message) {
        snprintf(reason, sizeof(reason), "packet length %u over the limit of %zu",
                 len, c->srv->limits.max_message);
        evirt_rpc_server_client_close_now_(c, reason);
        return 0;
    }
    if (evirt_rpc_message_check_length(len, &err) < 0) {
        snprintf(reason, sizeof(reason), "bad packet: %s",
                 err.message ? err.message : "?");
        evirt_error_reset(&err);
        evirt_rpc_server_client_close_now_(c, reason);
        return 0;
    }
    return len;
}

/*
 * One recv into the input buffer, made room for first: at least
 * READ_CHUNK, or the whole current packet (len, 0 if unknown yet) whose
 * length was checked.  Returns 1 if the recv filled all the room (more may
 * be waiting), 2 if it took less (the socket is drained for now), 0 when
 * the socket has nothing, -1 when the client was closed.
 */
static int
client_recv(evirt_rpc_server_client *c, size_t len)
{
    size_t want = len > READ_CHUNK ? len : READ_CHUNK;
    size_t room;
    ssize_t n;

    if (c->ioff > 0) {
        memmove(c->ibuf, c->ibuf + c->ioff, c->ilen - c->ioff);
        c->ilen -= c->ioff;
        c->ioff = 0;
    }
    if (!c->ibuf && c->srv->spare_ibuf && want == READ_CHUNK) {
        c->ibuf = c->srv->spare_ibuf;
        c->icap = READ_CHUNK;
        c->srv->spare_ibuf = NULL;
    }
    if (c->icap < want) {
        char *nb = realloc(c->ibuf, want);

        if (!nb) {
            evirt_rpc_server_client_close_now_(c, "out of memory reading a packet");
            return -1;
        }
        c->ibuf = nb;
        c->icap = want;
    }
    room = c->icap - c->ilen;
    n = recv(c->fd, c->ibuf + c->ilen, room, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        char reason[128];
        snprintf(reason, sizeof(reason), "read failed: %s", strerror(errno));
        evirt_rpc_server_client_close_now_(c, reason);
        return -1;
    }
    if (n == 0) {
        evirt_rpc_server_client_close_now_(c, c->ilen ? "EOF in the middle of a packet"
                                                      : NULL);
        return -1;
    }
    c->ilen += (size_t)n;
    return (size_t)n == room ? 1 : 2;
}

/*
 * Dispatches the buffered packets while allowed, reading the socket when
 * they run out (if may_recv).  At most PACKETS_PER_WAKEUP packets, so other
 * clients get their turn.  0, or -1 when the client was closed.
 */
static int
client_process(evirt_rpc_server_client *c, int may_recv)
{
    int packets = 0;

    while (packets < PACKETS_PER_WAKEUP && client_may_read(c)) {
        size_t avail = c->ilen - c->ioff;
        size_t len = 0;

        if (avail >= 4) {
            if (!(len = client_check_length(c)))
                return -1;
            if (avail >= len) {
                const char *packet = c->ibuf + c->ioff;

                /* The buffer stays put while the packet is handled: it is
                 * only moved or grown by client_recv. */
                c->ioff += len;
                dispatch_packet(c, packet, len);
                if (c->closed)
                    return -1;
                packets++;
                continue;
            }
        }
        if (!may_recv)
            break;
        int rc = client_recv(c, len);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        if (rc == 2)
            may_recv = 0;   /* drained: a recv now would only say EAGAIN */
    }
    if (c->ibuf && c->ioff == c->ilen) {
        /* Idle clients hold no buffer; one of READ_CHUNK goes back to the
         * server for the next read (a bigger one, grown for a big packet,
         * is freed). */
        if (!c->srv->spare_ibuf && c->icap == READ_CHUNK) {
            c->srv->spare_ibuf = c->ibuf;
        } else {
            free(c->ibuf);
        }
        c->ibuf = NULL;
        c->icap = c->ioff = c->ilen = 0;
    }
    return 0;
}

static void
client_run(evirt_rpc_server_client *c, int events)
{
    if (c->closed)
        return;
    client_ref(c);
    c->in_event = 1;
    c->flush_pending = 0;   /* whatever is queued goes at the end */
    if (events & EVIRT_EVENT_WRITABLE) {
        if (client_flush(c) < 0)
            goto out;
    }
    /* A resume (events 0) dispatches what is buffered; the socket is left
     * to the readable event. */
    if (events == 0 ||
        (events & (EVIRT_EVENT_READABLE | EVIRT_EVENT_HANGUP | EVIRT_EVENT_ERROR))) {
        if (client_process(c, events != 0) < 0)
            goto out;
        /* Hang-up while we are not reading (busy client): the socket will
         * be read again later and the EOF seen then.  Errors likewise. */
    }
    if (c->out_head && client_flush(c) < 0)
        goto out;
    c->in_event = 0;
    client_update_events(c);
 out:
    c->in_event = 0;
    client_unref(c);
}

static void
client_event(int watch, int fd, int events, void *opaque)
{
    (void)watch;
    (void)fd;
    client_run(opaque, events);
}

static void
client_resume(int timer, void *opaque)
{
    evirt_rpc_server_client *c = opaque;

    (void)timer;
    if (c->closed)
        return;
    if (c->overflowed) {
        char reason[160];
        snprintf(reason, sizeof(reason),
                 "not reading: %zu bytes of messages queued (limit %zu)",
                 c->out_bytes, c->srv->limits.max_event_backlog);
        client_ref(c);
        evirt_rpc_server_client_close_now_(c, reason);
        client_unref(c);
        return;
    }
    /* One-shot: client_update_events re-arms it if still needed. */
    c->resume_armed = 0;
    evirt_loop_update_timeout(c->srv->loop, c->resume_timer, -1);
    client_run(c, 0);
}

/* ---- keepalive ---------------------------------------------------------- */

static void
keepalive_tick(int timer, void *opaque)
{
    evirt_rpc_server_client *c = opaque;
    unsigned int count;

    if (c->closed || !c->srv)
        return;
    if (c->ka_heard) {
        c->ka_heard = 0;
        c->ka_unanswered = 0;
        return;
    }
    count = c->srv->limits.keepalive_count;
    if (c->ka_unanswered >= count) {
        char reason[128];
        snprintf(reason, sizeof(reason),
                 "no keepalive response in %u intervals of %d s", count + 1,
                 c->srv->limits.keepalive_interval);
        client_ref(c);
        evirt_rpc_server_client_close_now_(c, reason);
        client_unref(c);
        return;
    }
    evirt_rpc_header ping = {
        .prog = EVIRT_RPC_KEEPALIVE_PROGRAM,
        .vers = EVIRT_RPC_KEEPALIVE_VERSION,
        .proc = EVIRT_RPC_KEEPALIVE_PING,
        .type = EVIRT_RPC_MESSAGE,
        .serial = 0,
        .status = EVIRT_RPC_STATUS_OK,
    };
    c->ka_unanswered++;
    client_send(c, &ping, NULL, NULL, NULL);
}

void
evirt_rpc_server_client_start_keepalive(evirt_rpc_server_client *c)
{
    int ms;

    if (c->closed || !c->srv || c->ka_timer > 0 ||
        c->srv->limits.keepalive_interval <= 0)
        return;
    ms = c->srv->limits.keepalive_interval * 1000;
    c->ka_heard = 0;
    c->ka_unanswered = 0;
    c->ka_timer = evirt_loop_add_timeout(c->srv->loop, ms, keepalive_tick, c, NULL);
    if (c->ka_timer < 0) {
        EVIRT_WARN("client %llu: cannot start keepalive", c->id);
        c->ka_timer = 0;
    }
}

/* ---- lifetime ----------------------------------------------------------- */

evirt_rpc_server_client *
evirt_rpc_server_client_new_(evirt_rpc_server *s, int fd, int read_only)
{
    evirt_rpc_server_client *c = calloc(1, sizeof(*c));

    if (!c) {
        close(fd);
        return NULL;
    }
    c->srv = s;
    c->fd = fd;
    c->read_only = read_only;
    c->id = ++s->next_client_id;
    /* Only the open connection: once the watch is removed its callback is
     * never called again, so it needs no reference (and the client can be
     * freed at once, not at some later loop iteration). */
    c->refs = 1;
    c->events = EVIRT_EVENT_READABLE;
    c->resume_timer = evirt_loop_add_timeout(s->loop, -1, client_resume, c, NULL);
    if (c->resume_timer < 0) {
        close(fd);
        free(c);
        return NULL;
    }
    c->watch = evirt_loop_add_watch(s->loop, fd, c->events, client_event, c,
                                    NULL);
    if (c->watch < 0) {
        evirt_loop_remove_timeout(s->loop, c->resume_timer);
        close(fd);
        free(c);
        return NULL;
    }
    c->next = s->clients;
    if (s->clients)
        s->clients->prev = c;
    s->clients = c;
    s->nclients++;
    EVIRT_DEBUG("client %llu: connected (fd %d%s)", c->id, fd,
                read_only ? ", read-only" : "");
    return c;
}

void
evirt_rpc_server_client_close_now_(evirt_rpc_server_client *c,
                                   const char *reason)
{
    evirt_rpc_server *s = c->srv;

    if (c->closed)
        return;
    c->closed = 1;
    if (reason)
        EVIRT_WARN("client %llu: closing connection: %s", c->id, reason);
    else
        EVIRT_DEBUG("client %llu: connection closed", c->id);

    if (c->ka_timer > 0)
        evirt_loop_remove_timeout(s->loop, c->ka_timer);
    c->ka_timer = 0;
    evirt_loop_remove_timeout(s->loop, c->resume_timer);
    c->resume_timer = -1;
    c->resume_armed = 0;
    evirt_loop_remove_watch(s->loop, c->watch);
    c->watch = -1;
    /* Replies held back for coalescing would have been sent by now
     * without it (say, the answers before a bad packet): try once. */
    if (c->in_event || c->flush_pending)
        flush_some(c);
    close(c->fd);
    c->fd = -1;
    out_free_all(c);

    if (c->prev)
        c->prev->next = c->next;
    else
        s->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    s->nclients--;

    client_ref(c);
    if (c->close_cb)
        c->close_cb(c, c->close_opaque);
    c->srv = NULL;
    c->refs--;          /* the open connection's; ours keeps c alive */
    client_unref(c);
}

void
evirt_rpc_server_client_close(evirt_rpc_server_client *c)
{
    if (c->closed || c->closing)
        return;
    c->closing = 1;
    if (!c->out_head) {
        evirt_rpc_server_client_close_now_(c, NULL);
        return;
    }
    client_update_events(c);
}

/* ---- accessors ---------------------------------------------------------- */

void *
evirt_rpc_server_client_get_data(evirt_rpc_server_client *c)
{
    return c->data;
}

void
evirt_rpc_server_client_set_data(evirt_rpc_server_client *c, void *data,
                                 void (*free_fn)(void *))
{
    void *old = c->data;
    void (*old_free)(void *) = c->data_free;

    c->data = data;
    c->data_free = free_fn;
    if (old_free && old != data)
        old_free(old);
}

int
evirt_rpc_server_client_is_read_only(evirt_rpc_server_client *c)
{
    return c->read_only;
}

int
evirt_rpc_server_client_is_closed(evirt_rpc_server_client *c)
{
    return c->closed || c->closing;
}

unsigned long long
evirt_rpc_server_client_id(evirt_rpc_server_client *c)
{
    return c->id;
}

void
evirt_rpc_server_client_set_close_cb(evirt_rpc_server_client *c,
                                     void (*cb)(evirt_rpc_server_client *, void *),
                                     void *opaque)
{
    c->close_cb = cb;
    c->close_opaque = opaque;
}

int
evirt_rpc_server_client_send_message(evirt_rpc_server_client *c,
                                     unsigned int prog, unsigned int vers,
                                     int proc, uint32_t serial,
                                     xdrproc_t proc_xdr, const void *payload)
{
    evirt_rpc_header hdr = {
        .prog = prog, .vers = vers, .proc = proc,
        .type = EVIRT_RPC_MESSAGE, .serial = serial,
        .status = EVIRT_RPC_STATUS_OK,
    };

    if (c->closed || c->closing || c->overflowed)
        return -1;
    if (c->out_bytes >= c->srv->limits.max_event_backlog) {
        /* Closed from the resume timer, not here: the sender may be in
         * the middle of a walk over the clients or its registrations. */
        c->overflowed = 1;
        client_update_events(c);
        return -1;
    }
    return client_send(c, &hdr, proc_xdr, payload, NULL);
}
