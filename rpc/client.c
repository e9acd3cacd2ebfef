/*
 * rpc/client.c - pipelined calls over one transport, matched by serial;
 * events, streams and keepalive multiplexed on the same connection.
 *
 * Completions found while handling received data run right there (we are
 * in a loop callback).  Completions born inside the user's own calls
 * (cancel, encode failure, call on a dead connection, close) go through
 * a 0 ms timer so that no callback runs inside the function that caused
 * it.
 *
 * Errors when the connection dies (chosen to match what libvirt's client
 * reports, so applications see familiar codes):
 *   EOF        EVIRT_ERR_SYSTEM_ERROR "End of file while reading data"
 *   I/O error  EVIRT_ERR_SYSTEM_ERROR with the errno text (from transport)
 *   protocol   EVIRT_ERR_RPC (bad length word, undecodable header)
 *   keepalive  EVIRT_ERR_INTERNAL_ERROR "connection closed due to
 *              keepalive timeout"
 * all in domain EVIRT_FROM_RPC.  Calls made after that get
 * EVIRT_ERR_INTERNAL_ERROR "client socket is closed".
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/client.h"
#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.rpc.client"

#define NBUCKETS 256

typedef struct rpc_call {
    struct rpc_call *tnext;     /* chain in the serial table */
    struct rpc_call *qnext;     /* notify queue */
    int in_table;
    int in_queue;
    uint32_t serial;
    unsigned prog, vers;
    int proc;
    xdrproc_t ret_proc;
    void *ret;
    evirt_rpc_done_cb done;
    void *opaque;
    int cancelled;              /* done queued; a reply is dropped */
    evirt_error err;
} rpc_call;

typedef struct msg_handler {
    struct msg_handler *next;
    unsigned prog;
    evirt_rpc_message_cb fn;
    void *opaque;
} msg_handler;

struct evirt_rpc_client {
    evirt_loop *loop;
    evirt_transport *t;
    evirt_rpc_reader reader;
    uint32_t next_serial;

    rpc_call *table[NBUCKETS];
    size_t npending;            /* in table, not cancelled */
    rpc_call *qhead, *qtail;    /* completions waiting for the timer */
    int notify_timer;

    msg_handler *handlers;
    evirt_rpc_message_cb stream_fn;
    void *stream_opaque;

    evirt_rpc_close_cb close_fn;
    void *close_opaque;
    int dead;
    int close_pending;          /* close callback still to be called */
    int close_reason;
    evirt_error close_err;

    int ka_timer;
    int ka_interval;
    unsigned ka_count;
    unsigned ka_unanswered;
    int ka_heard;               /* something arrived since the last tick */

    int depth;                  /* inside one of our callbacks */
    int freed;
};

static void conn_die(evirt_rpc_client *c, int reason, const evirt_error *err);

/* ---- lifetime guard ---------------------------------------------------- */

static void client_dispose(evirt_rpc_client *c);

static void
enter(evirt_rpc_client *c)
{
    c->depth++;
}

static int
leave(evirt_rpc_client *c)
{
    int gone = c->freed;

    if (--c->depth == 0 && c->freed)
        client_dispose(c);
    return gone;
}

/* ---- the call table ------------------------------------------------- */

static rpc_call **
bucket(evirt_rpc_client *c, uint32_t serial)
{
    return &c->table[serial % NBUCKETS];
}

static rpc_call *
table_find(evirt_rpc_client *c, uint32_t serial)
{
    rpc_call *call;

    for (call = *bucket(c, serial); call; call = call->tnext)
        if (call->serial == serial)
            return call;
    return NULL;
}

static void
table_add(evirt_rpc_client *c, rpc_call *call)
{
    rpc_call **b = bucket(c, call->serial);

    call->tnext = *b;
    *b = call;
    call->in_table = 1;
    c->npending++;
}

static void
table_remove(evirt_rpc_client *c, rpc_call *call)
{
    rpc_call **pp;

    for (pp = bucket(c, call->serial); *pp; pp = &(*pp)->tnext) {
        if (*pp == call) {
            *pp = call->tnext;
            call->tnext = NULL;
            call->in_table = 0;
            if (!call->cancelled)
                c->npending--;
            return;
        }
    }
}

static void
call_maybe_free(rpc_call *call)
{
    if (call->in_table || call->in_queue)
        return;
    evirt_error_reset(&call->err);
    free(call);
}

/* ---- completions ----------------------------------------------------- */

/* Runs one completion now.  ret has nothing to free on failure. */
static void
complete(evirt_rpc_client *c, rpc_call *call, evirt_error *err)
{
    (void)c;
    call->done(call->opaque, err);
    if (err)
        evirt_error_reset(err);
}

static void
queue_completion(evirt_rpc_client *c, rpc_call *call)
{
    call->qnext = NULL;
    call->in_queue = 1;
    if (c->qtail)
        c->qtail->qnext = call;
    else
        c->qhead = call;
    c->qtail = call;
    evirt_loop_update_timeout(c->loop, c->notify_timer, 0);
}

/* Delivers queued completions, then a pending close notification. */
static void
run_notifications(evirt_rpc_client *c)
{
    rpc_call *call;

    while (!c->freed && (call = c->qhead)) {
        c->qhead = call->qnext;
        if (!c->qhead)
            c->qtail = NULL;
        call->in_queue = 0;
        complete(c, call, call->err.code ? &call->err : NULL);
        call_maybe_free(call);
    }
    if (!c->freed && c->close_pending) {
        evirt_error err = { 0 };
        int reason = c->close_reason;

        c->close_pending = 0;
        evirt_error_move(&err, &c->close_err);
        if (c->close_fn)
            c->close_fn(c->close_opaque, reason,
                        reason == EVIRT_RPC_CLOSE_CLIENT ? NULL : &err);
        evirt_error_reset(&err);
    }
}

static void
notify_cb(int timer, void *opaque)
{
    evirt_rpc_client *c = opaque;

    (void)timer;
    evirt_loop_update_timeout(c->loop, c->notify_timer, -1);
    enter(c);
    run_notifications(c);
    leave(c);
}

/* ---- sending --------------------------------------------------------- */

/* later: more packets are expected soon (see evirt_transport_write_owned_later). */
static int
send_packet(evirt_rpc_client *c, const evirt_rpc_header *hdr, xdrproc_t proc,
            const void *payload, int later, evirt_error *err)
{
    evirt_rpc_buf buf = { 0 };
    size_t len;
    char *data;
    int rc;

    if (c->dead || !c->t) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "client socket is closed");
        return -1;
    }
    if (evirt_rpc_message_encode(&buf, hdr, proc, payload, err) < 0) {
        evirt_rpc_buf_clear(&buf);
        return -1;
    }
    data = evirt_rpc_buf_steal(&buf, &len);
    rc = later ? evirt_transport_write_owned_later(c->t, data, len)
               : evirt_transport_write_owned(c->t, data, len);
    if (rc < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "client socket is closed");
        return -1;
    }
    return 0;
}

static void
send_keepalive(evirt_rpc_client *c, int proc)
{
    evirt_rpc_header hdr = {
        .prog = EVIRT_RPC_KEEPALIVE_PROGRAM,
        .vers = EVIRT_RPC_KEEPALIVE_VERSION,
        .proc = proc,
        .type = EVIRT_RPC_MESSAGE,
        .serial = 0,
        .status = EVIRT_RPC_STATUS_OK,
    };
    evirt_error err = { 0 };

    if (send_packet(c, &hdr, NULL, NULL, 0, &err) < 0)
        EVIRT_DEBUG("cannot send keepalive %s: %s",
                    proc == EVIRT_RPC_KEEPALIVE_PING ? "PING" : "PONG",
                    err.message ? err.message : "?");
    evirt_error_reset(&err);
}

int
evirt_rpc_client_call(evirt_rpc_client *c, unsigned prog, unsigned vers,
                      int proc, xdrproc_t args_proc, const void *args,
                      xdrproc_t ret_proc, void *ret,
                      evirt_rpc_done_cb done, void *opaque,
                      uint32_t *serial_out)
{
    evirt_rpc_header hdr;
    rpc_call *call;

    if (!c || !done || c->freed)
        return -1;
    if (!(call = calloc(1, sizeof(*call))))
        return -1;
    call->serial = c->next_serial++;
    call->prog = prog;
    call->vers = vers;
    call->proc = proc;
    call->ret_proc = ret_proc;
    call->ret = ret;
    call->done = done;
    call->opaque = opaque;
    if (serial_out)
        *serial_out = call->serial;

    hdr.prog = prog;
    hdr.vers = vers;
    hdr.proc = proc;
    hdr.type = EVIRT_RPC_CALL;
    hdr.serial = call->serial;
    hdr.status = EVIRT_RPC_STATUS_OK;
    /* With calls in flight, this one is likely issued among many (a
     * window refilled from completions): written together with them. */
    if (send_packet(c, &hdr, args_proc, args, c->npending > 0, &call->err) < 0) {
        EVIRT_DEBUG("call %u (prog %#x proc %d) failed before sending: %s",
                    call->serial, prog, proc,
                    call->err.message ? call->err.message : "?");
        queue_completion(c, call);
        return 0;
    }
    table_add(c, call);
    EVIRT_DEBUG("call %u sent (prog %#x vers %u proc %d), %zu in flight",
                call->serial, prog, vers, proc, c->npending);
    return 0;
}

void
evirt_rpc_client_cancel(evirt_rpc_client *c, uint32_t serial)
{
    rpc_call *call = table_find(c, serial);

    if (!call || call->cancelled)
        return;
    call->cancelled = 1;
    c->npending--;
    evirt_error_set(&call->err, EVIRT_FROM_RPC, EVIRT_ERR_OPERATION_ABORTED,
                    "call %u cancelled", serial);
    queue_completion(c, call);
}

int
evirt_rpc_client_send(evirt_rpc_client *c, const evirt_rpc_header *hdr,
                      xdrproc_t proc, const void *payload, evirt_error *err)
{
    return send_packet(c, hdr, proc, payload, 0, err);
}

/* ---- receiving ------------------------------------------------------ */

static void
handle_reply(evirt_rpc_client *c, const evirt_rpc_header *hdr,
             const char *payload, size_t len)
{
    rpc_call *call = table_find(c, hdr->serial);
    evirt_error err = { 0 };

    if (!call || call->prog != hdr->prog || call->vers != hdr->vers) {
        /* libvirt's client drops the connection here; a stray reply does
         * no harm to the others, so we only log it. */
        EVIRT_WARN("dropping reply with unknown serial %u (prog %#x vers %u)",
                   hdr->serial, hdr->prog, hdr->vers);
        return;
    }
    table_remove(c, call);
    if (call->cancelled) {
        EVIRT_DEBUG("dropping late reply to cancelled call %u", hdr->serial);
        call_maybe_free(call);
        return;
    }
    if (hdr->proc != call->proc) {
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "Unexpected procedure %d in reply to call %u of procedure %d",
                        hdr->proc, hdr->serial, call->proc);
    } else if (hdr->type == EVIRT_RPC_REPLY_WITH_FDS) {
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "file descriptor passing is not supported");
    } else if (hdr->status == EVIRT_RPC_STATUS_OK) {
        if (call->ret_proc &&
            evirt_rpc_message_decode_payload(payload, len, call->ret_proc,
                                             call->ret, &err) < 0)
            EVIRT_DEBUG("reply %u: undecodable payload", hdr->serial);
    } else if (hdr->status == EVIRT_RPC_STATUS_ERROR) {
        evirt_rpc_error_decode(payload, len, &err);
    } else {
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_RPC,
                        "Unexpected message status %d", hdr->status);
    }
    complete(c, call, err.code ? &err : NULL);
    evirt_error_reset(&err);
    call_maybe_free(call);
}

static void
handle_packet(evirt_rpc_client *c, const evirt_rpc_header *hdr,
              const char *payload, size_t len)
{
    msg_handler *h;

    c->ka_heard = 1;
    c->ka_unanswered = 0;
    switch (hdr->type) {
    case EVIRT_RPC_REPLY:
    case EVIRT_RPC_REPLY_WITH_FDS:
        handle_reply(c, hdr, payload, len);
        return;
    case EVIRT_RPC_MESSAGE:
        if (hdr->prog == EVIRT_RPC_KEEPALIVE_PROGRAM) {
            if (hdr->proc == EVIRT_RPC_KEEPALIVE_PING) {
                EVIRT_DEBUG("keepalive PING received, answering PONG");
                send_keepalive(c, EVIRT_RPC_KEEPALIVE_PONG);
            }
            return;
        }
        for (h = c->handlers; h; h = h->next) {
            if (h->prog == hdr->prog) {
                h->fn(h->opaque, hdr, payload, len);
                return;
            }
        }
        EVIRT_DEBUG("dropping message prog %#x proc %d: no handler",
                    hdr->prog, hdr->proc);
        return;
    case EVIRT_RPC_STREAM:
    case EVIRT_RPC_STREAM_HOLE:
        if (c->stream_fn)
            c->stream_fn(c->stream_opaque, hdr, payload, len);
        else
            EVIRT_DEBUG("dropping stream packet serial %u: no handler",
                        hdr->serial);
        return;
    default:
        EVIRT_WARN("dropping packet of unexpected type %d from server",
                   hdr->type);
        return;
    }
}

static void
t_on_data(void *opaque, const char *data, size_t len)
{
    evirt_rpc_client *c = opaque;
    evirt_error err = { 0 };
    evirt_rpc_header hdr;
    size_t used;
    int rc;

    enter(c);
    while (len > 0 && !c->freed && !c->dead) {
        rc = evirt_rpc_reader_feed(&c->reader, data, len, &used, &err);
        data += used;
        len -= used;
        if (rc < 0) {
            EVIRT_WARN("closing connection: %s", err.message ? err.message : "?");
            conn_die(c, EVIRT_RPC_CLOSE_ERROR, &err);
            break;
        }
        if (rc == 0)
            break;
        if (evirt_rpc_message_decode_header(c->reader.buf.data,
                                            c->reader.buf.len, &hdr, &err) < 0) {
            conn_die(c, EVIRT_RPC_CLOSE_ERROR, &err);
            break;
        }
        handle_packet(c, &hdr, evirt_rpc_message_payload(c->reader.buf.data),
                      evirt_rpc_message_payload_len(c->reader.buf.len));
        if (!c->freed)
            evirt_rpc_reader_next(&c->reader);
    }
    evirt_error_reset(&err);
    leave(c);
}

static void
t_on_connected(void *opaque, const evirt_error *err)
{
    evirt_rpc_client *c = opaque;

    if (!err)
        EVIRT_DEBUG("client %p: transport connected", (void *)c);
    /* a failure is followed by on_closed, which fails the calls */
}

static void
t_on_closed(void *opaque, int reason, const evirt_error *err)
{
    evirt_rpc_client *c = opaque;
    evirt_error e = { 0 };

    enter(c);
    if (reason == EVIRT_TRANSPORT_EOF || !err) {
        evirt_error_set(&e, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "End of file while reading data: %s", strerror(EIO));
        conn_die(c, EVIRT_RPC_CLOSE_EOF, &e);
    } else {
        conn_die(c, EVIRT_RPC_CLOSE_ERROR, err);
    }
    evirt_error_reset(&e);
    leave(c);
}

/* ---- death ----------------------------------------------------------- */

/* The connection is gone: every pending call fails with err, then the
 * close callback runs.  Inside a loop callback all of it runs now;
 * otherwise on the next iteration. */
static void
conn_die(evirt_rpc_client *c, int reason, const evirt_error *err)
{
    size_t i, n = 0;

    if (c->dead)
        return;
    c->dead = 1;
    if (c->ka_timer > 0) {
        evirt_loop_remove_timeout(c->loop, c->ka_timer);
        c->ka_timer = -1;
    }
    if (c->t) {
        evirt_transport *t = c->t;

        c->t = NULL;
        evirt_transport_free(t);
    }
    for (i = 0; i < NBUCKETS; i++) {
        rpc_call *call;

        while ((call = c->table[i])) {
            table_remove(c, call);
            if (call->cancelled) {
                call_maybe_free(call);
                continue;
            }
            if (reason == EVIRT_RPC_CLOSE_CLIENT)
                evirt_error_set(&call->err, EVIRT_FROM_RPC,
                                EVIRT_ERR_OPERATION_ABORTED,
                                "connection closed by the client");
            else
                evirt_error_copy(&call->err, err);
            queue_completion(c, call);
            n++;
        }
    }
    EVIRT_DEBUG("client %p: connection dead (reason %d), failing %zu calls",
                (void *)c, reason, n);
    c->close_pending = 1;
    c->close_reason = reason;
    if (err)
        evirt_error_copy(&c->close_err, err);
    if (c->depth > 0)
        run_notifications(c);
}

void
evirt_rpc_client_close(evirt_rpc_client *c)
{
    if (!c || c->dead)
        return;
    conn_die(c, EVIRT_RPC_CLOSE_CLIENT, NULL);
    evirt_loop_update_timeout(c->loop, c->notify_timer, 0);
}

/* ---- keepalive ------------------------------------------------------- */

static void
ka_tick(int timer, void *opaque)
{
    evirt_rpc_client *c = opaque;
    evirt_error err = { 0 };

    (void)timer;
    if (c->dead)
        return;
    if (c->ka_heard) {
        c->ka_heard = 0;
        c->ka_unanswered = 0;
        return;
    }
    if (c->ka_unanswered >= c->ka_count) {
        EVIRT_WARN("no response from server after %u keepalive messages in "
                   "%d ms", c->ka_unanswered, c->ka_interval * (int)(c->ka_count + 1));
        enter(c);
        evirt_error_set(&err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "connection closed due to keepalive timeout");
        conn_die(c, EVIRT_RPC_CLOSE_KEEPALIVE, &err);
        evirt_error_reset(&err);
        leave(c);
        return;
    }
    c->ka_unanswered++;
    EVIRT_DEBUG("sending keepalive PING %u/%u", c->ka_unanswered, c->ka_count);
    send_keepalive(c, EVIRT_RPC_KEEPALIVE_PING);
}

int
evirt_rpc_client_set_keepalive(evirt_rpc_client *c, int interval_ms,
                               unsigned count)
{
    if (c->dead)
        return -1;
    if (interval_ms <= 0) {
        if (c->ka_timer > 0)
            evirt_loop_remove_timeout(c->loop, c->ka_timer);
        c->ka_timer = -1;
        c->ka_interval = 0;
        return 0;
    }
    c->ka_interval = interval_ms;
    c->ka_count = count;
    c->ka_unanswered = 0;
    c->ka_heard = 0;
    if (c->ka_timer > 0) {
        evirt_loop_update_timeout(c->loop, c->ka_timer, interval_ms);
        return 0;
    }
    c->ka_timer = evirt_loop_add_timeout(c->loop, interval_ms, ka_tick, c, NULL);
    return c->ka_timer > 0 ? 0 : -1;
}

/* ---- the rest of the API --------------------------------------------- */

evirt_rpc_client *
evirt_rpc_client_new(evirt_loop *loop, evirt_transport *t)
{
    static const evirt_transport_callbacks cbs = {
        .on_connected = t_on_connected,
        .on_data = t_on_data,
        .on_closed = t_on_closed,
    };
    evirt_rpc_client *c = calloc(1, sizeof(*c));

    if (!c) {
        evirt_transport_free(t);
        return NULL;
    }
    c->loop = loop;
    c->t = t;
    c->ka_timer = -1;
    evirt_rpc_reader_init(&c->reader);
    c->notify_timer = evirt_loop_add_timeout(loop, -1, notify_cb, c, NULL);
    if (c->notify_timer < 0) {
        evirt_transport_free(t);
        free(c);
        return NULL;
    }
    evirt_transport_set_callbacks(t, &cbs, c);
    return c;
}

static void
client_dispose(evirt_rpc_client *c)
{
    msg_handler *h;

    evirt_loop_remove_timeout(c->loop, c->notify_timer);
    while ((h = c->handlers)) {
        c->handlers = h->next;
        free(h);
    }
    evirt_rpc_reader_clear(&c->reader);
    evirt_error_reset(&c->close_err);
    free(c);
}

void
evirt_rpc_client_free(evirt_rpc_client *c)
{
    if (!c || c->freed)
        return;
    c->close_fn = NULL;
    if (!c->dead) {
        conn_die(c, EVIRT_RPC_CLOSE_CLIENT, NULL);
    }
    /* every pending completion runs now: exactly once, even on free */
    c->depth++;
    run_notifications(c);
    c->depth--;
    c->freed = 1;
    if (c->depth == 0)
        client_dispose(c);
}

int
evirt_rpc_client_set_message_handler(evirt_rpc_client *c, unsigned prog,
                                     evirt_rpc_message_cb fn, void *opaque)
{
    msg_handler **pp, *h;

    for (pp = &c->handlers; *pp; pp = &(*pp)->next) {
        if ((*pp)->prog == prog) {
            h = *pp;
            if (!fn) {
                *pp = h->next;
                free(h);
            } else {
                h->fn = fn;
                h->opaque = opaque;
            }
            return 0;
        }
    }
    if (!fn)
        return 0;
    if (!(h = calloc(1, sizeof(*h))))
        return -1;
    h->prog = prog;
    h->fn = fn;
    h->opaque = opaque;
    h->next = c->handlers;
    c->handlers = h;
    return 0;
}

void
evirt_rpc_client_set_stream_handler(evirt_rpc_client *c, evirt_rpc_message_cb fn,
                                    void *opaque)
{
    c->stream_fn = fn;
    c->stream_opaque = opaque;
}

void
evirt_rpc_client_set_close_cb(evirt_rpc_client *c, evirt_rpc_close_cb fn,
                              void *opaque)
{
    c->close_fn = fn;
    c->close_opaque = opaque;
}

int
evirt_rpc_client_is_alive(const evirt_rpc_client *c)
{
    return c && !c->dead && !c->freed;
}

size_t
evirt_rpc_client_pending(const evirt_rpc_client *c)
{
    return c->npending;
}

evirt_transport *
evirt_rpc_client_transport(evirt_rpc_client *c)
{
    return c->t;
}
