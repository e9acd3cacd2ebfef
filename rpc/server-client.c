/*
 * rpc/server-client.c - one client connection of the RPC server: reading
 * packets, dispatching CALLs, queueing replies, keepalive.
 *
 * Lifetime: a client is referenced by its open connection, by each call
 * not yet answered, and by itself while one of its loop callbacks runs.
 * Closing drops the connection's reference; the struct (and the program
 * layer's data) goes when the last call is answered.
 *
 * Back-pressure, as libvirtd: the socket is not read while the client has
 * max_client_requests calls unanswered or while its write queue is over
 * max_write_queue.  Reads are sized to the current packet, so no bytes of
 * a later packet are ever held while reading is paused.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#define EVIRT_LOG_CATEGORY "evirt.rpc.server"
#include "api/log-private.h"
#include "api/error-private.h"
#include "rpc/server-private.h"

/* Packets handled per wake-up before other clients get their turn. */
#define PACKETS_PER_WAKEUP 32

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
    evirt_rpc_reader_clear(&c->reader);
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

/* Takes ownership of data (malloc'ed). */
static int
client_queue(evirt_rpc_server_client *c, char *data, size_t len)
{
    server_out *o;

    if (c->closed || c->closing) {
        free(data);
        return -1;
    }
    size_t off = 0;
    if (!c->out_head) {
        /* Nothing queued: send now rather than wait for a writable event
         * (a watch update and a loop pass per reply).  Errors are left to
         * the queued path, which reports them from the writable event. */
        ssize_t n;
        do {
            n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        } while (n < 0 && errno == EINTR);
        if (n > 0)
            off = (size_t)n;
        if (off == len) {
            free(data);
            return 0;
        }
    }
    if (!(o = calloc(1, sizeof(*o)))) {
        free(data);
        evirt_rpc_server_client_close_now_(c, "out of memory queueing a packet");
        return -1;
    }
    o->data = data;
    o->len = len;
    o->off = off;
    if (c->out_tail)
        c->out_tail->next = o;
    else
        c->out_head = o;
    c->out_tail = o;
    c->out_bytes += len - off;
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

/* Writes what the socket takes.  0, or -1 when the client was closed. */
static int
client_flush(evirt_rpc_server_client *c)
{
    while (c->out_head) {
        server_out *o = c->out_head;
        ssize_t n = send(c->fd, o->data + o->off, o->len - o->off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            char reason[128];
            snprintf(reason, sizeof(reason), "write failed: %s", strerror(errno));
            evirt_rpc_server_client_close_now_(c, reason);
            return -1;
        }
        o->off += (size_t)n;
        c->out_bytes -= (size_t)n;
        if (o->off < o->len)
            return 0;
        c->out_head = o->next;
        if (!c->out_head)
            c->out_tail = NULL;
        free(o->data);
        free(o);
    }
    if (c->closing) {
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

static void
client_update_events(evirt_rpc_server_client *c)
{
    int ev = 0;

    if (c->closed)
        return;
    if (client_may_read(c))
        ev |= EVIRT_EVENT_READABLE;
    if (c->out_head)
        ev |= EVIRT_EVENT_WRITABLE;
    if (ev != c->events) {
        c->events = ev;
        evirt_loop_update_watch(c->srv->loop, c->watch, ev);
    }
}

/*
 * Reads once, at most up to the end of the current packet.  Returns 1 if
 * a packet was completed and handled, 0 when the socket has nothing more,
 * -1 when the client was closed.
 */
static int
client_read_once(evirt_rpc_server_client *c)
{
    char chunk[65536];
    size_t room;
    ssize_t n;

    if (c->want == 0)
        room = 4 - c->have;
    else
        room = c->want - c->have;
    if (room > sizeof(chunk))
        room = sizeof(chunk);

    n = recv(c->fd, chunk, room, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        char reason[128];
        snprintf(reason, sizeof(reason), "read failed: %s", strerror(errno));
        evirt_rpc_server_client_close_now_(c, reason);
        return -1;
    }
    if (n == 0) {
        evirt_rpc_server_client_close_now_(c, c->have ? "EOF in the middle of a packet"
                                                      : NULL);
        return -1;
    }

    if (c->want == 0) {
        memcpy(c->lenword + c->have, chunk, (size_t)n);
        if (c->have + (size_t)n == 4) {
            uint32_t len = (uint32_t)c->lenword[0] << 24 |
                           (uint32_t)c->lenword[1] << 16 |
                           (uint32_t)c->lenword[2] << 8 | c->lenword[3];
            if (len > c->srv->limits.max_message) {
                char reason[128];
                snprintf(reason, sizeof(reason),
                         "packet length %u over the limit of %zu", len,
                         c->srv->limits.max_message);
                evirt_rpc_server_client_close_now_(c, reason);
                return -1;
            }
            c->want = len;
        }
    }

    size_t used = 0;
    evirt_error err = { 0 };
    int rc = evirt_rpc_reader_feed(&c->reader, chunk, (size_t)n, &used, &err);
    c->have += (size_t)n;
    if (rc < 0) {
        char reason[256];
        snprintf(reason, sizeof(reason), "bad packet: %s",
                 err.message ? err.message : "?");
        evirt_error_reset(&err);
        evirt_rpc_server_client_close_now_(c, reason);
        return -1;
    }
    if (rc == 0)
        return c->want && c->have >= c->want ? -1 : 1; /* cannot happen / more */

    /* Whole packet: hand it over, then forget it. */
    dispatch_packet(c, c->reader.buf.data, c->reader.buf.len);
    evirt_rpc_reader_next(&c->reader);
    c->have = 0;
    c->want = 0;
    return c->closed ? -1 : 1;
}

static void
client_event(int watch, int fd, int events, void *opaque)
{
    evirt_rpc_server_client *c = opaque;

    if (c->closed)
        return;
    client_ref(c);
    if (events & EVIRT_EVENT_WRITABLE) {
        if (client_flush(c) < 0)
            goto out;
    }
    if (events & (EVIRT_EVENT_READABLE | EVIRT_EVENT_HANGUP | EVIRT_EVENT_ERROR)) {
        int packets = 0;
        while (client_may_read(c) && packets < PACKETS_PER_WAKEUP) {
            int rc = client_read_once(c);
            if (rc <= 0)
                break;
            packets++;
        }
        if (c->closed)
            goto out;
        /* Hang-up while we are not reading (busy client): the socket will
         * be read again later and the EOF seen then.  Errors likewise. */
    }
    if (c->out_head && client_flush(c) < 0)
        goto out;
    client_update_events(c);
 out:
    client_unref(c);
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
    evirt_rpc_reader_init(&c->reader);
    c->events = EVIRT_EVENT_READABLE;
    c->watch = evirt_loop_add_watch(s->loop, fd, c->events, client_event, c,
                                    NULL);
    if (c->watch < 0) {
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
    evirt_loop_remove_watch(s->loop, c->watch);
    c->watch = -1;
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

    if (c->closed || c->closing)
        return -1;
    return client_send(c, &hdr, proc_xdr, payload, NULL);
}
