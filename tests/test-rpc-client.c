/*
 * tests/test-rpc-client.c - the RPC client core against a small fake
 * server written here: pipelining, errors, cancel, limits, peer death,
 * keepalive, and the unix / tcp / command / wrapped transports.
 *
 * The test program is its own "command" server: run with --serve-stdio it
 * answers CALLs of proc 1 on stdin/stdout with arg + 1.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "rpc/client.h"
#include "rpc/transport-private.h"
#include "api/error-private.h"

#define PROG 0x12345678u
#define VERS 1u
#define NCALLS 1000

static char *self_path;

/* ---- the fake server --------------------------------------------------- */

typedef struct fake_server {
    evirt_transport *t;
    evirt_rpc_reader r;
    evirt_rpc_header calls[NCALLS + 10];
    u_int args[NCALLS + 10];
    size_t ncalls;
    int pings, pongs;
    int answer_pings;
    int closed;
} fake_server;

static void
fs_on_data(void *opaque, const char *data, size_t len)
{
    fake_server *fs = opaque;
    evirt_error err = { 0 };
    evirt_rpc_header hdr;
    size_t used;

    while (len > 0) {
        int rc = evirt_rpc_reader_feed(&fs->r, data, len, &used, &err);

        data += used;
        len -= used;
        assert_int_not_equal(rc, -1);
        if (rc == 0)
            break;
        assert_int_equal(evirt_rpc_message_decode_header(fs->r.buf.data,
                                                         fs->r.buf.len, &hdr,
                                                         &err), 0);
        if (hdr.prog == EVIRT_RPC_KEEPALIVE_PROGRAM) {
            if (hdr.proc == EVIRT_RPC_KEEPALIVE_PING) {
                fs->pings++;
                if (fs->answer_pings) {
                    evirt_rpc_buf b = { 0 };

                    hdr.proc = EVIRT_RPC_KEEPALIVE_PONG;
                    evirt_rpc_message_encode(&b, &hdr, NULL, NULL, &err);
                    evirt_transport_write(fs->t, b.data, b.len);
                    evirt_rpc_buf_clear(&b);
                }
            } else {
                fs->pongs++;
            }
        } else if (hdr.type == EVIRT_RPC_CALL) {
            u_int arg = 0;

            assert_true(fs->ncalls < NCALLS + 10);
            evirt_rpc_message_decode_payload(
                evirt_rpc_message_payload(fs->r.buf.data),
                evirt_rpc_message_payload_len(fs->r.buf.len),
                (xdrproc_t)xdr_u_int, &arg, &err);
            fs->calls[fs->ncalls] = hdr;
            fs->args[fs->ncalls++] = arg;
        }
        evirt_rpc_reader_next(&fs->r);
    }
    evirt_error_reset(&err);
}

static void
fs_on_closed(void *opaque, int reason, const evirt_error *err)
{
    fake_server *fs = opaque;

    (void)reason;
    (void)err;
    fs->closed = 1;
}

static void
fs_attach(fake_server *fs, evirt_transport *t)
{
    static const evirt_transport_callbacks cbs = {
        .on_data = fs_on_data,
        .on_closed = fs_on_closed,
    };

    memset(fs, 0, sizeof(*fs));
    fs->t = t;
    fs->answer_pings = 1;
    evirt_rpc_reader_init(&fs->r);
    evirt_transport_set_callbacks(t, &cbs, fs);
}

static void
fs_free(fake_server *fs)
{
    evirt_transport_free(fs->t);
    fs->t = NULL;
    evirt_rpc_reader_clear(&fs->r);
}

static void
fs_reply(fake_server *fs, size_t i, u_int value)
{
    evirt_rpc_header hdr = fs->calls[i];
    evirt_rpc_buf b = { 0 };
    evirt_error err = { 0 };

    hdr.type = EVIRT_RPC_REPLY;
    assert_int_equal(evirt_rpc_message_encode(&b, &hdr, (xdrproc_t)xdr_u_int,
                                              &value, &err), 0);
    assert_int_not_equal(evirt_transport_write(fs->t, b.data, b.len), -1);
    evirt_rpc_buf_clear(&b);
}

static void
fs_send_message(fake_server *fs, unsigned prog, int proc)
{
    evirt_rpc_header hdr = { prog, 1, proc, EVIRT_RPC_MESSAGE, 0, 0 };
    evirt_rpc_buf b = { 0 };
    evirt_error err = { 0 };

    assert_int_equal(evirt_rpc_message_encode(&b, &hdr, NULL, NULL, &err), 0);
    evirt_transport_write(fs->t, b.data, b.len);
    evirt_rpc_buf_clear(&b);
}

/* Sends hdr with these payload bytes as they are (len 0: none). */
static void
fs_send_raw(fake_server *fs, const evirt_rpc_header *hdr, const void *bytes,
            size_t len)
{
    evirt_rpc_buf b = { 0 };
    evirt_error err = { 0 };
    char *pkt;

    assert_int_equal(evirt_rpc_message_encode(&b, hdr, NULL, NULL, &err), 0);
    pkt = malloc(b.len + len);
    assert_non_null(pkt);
    memcpy(pkt, b.data, b.len);
    if (len)
        memcpy(pkt + b.len, bytes, len);
    pkt[0] = (char)((b.len + len) >> 24);
    pkt[1] = (char)((b.len + len) >> 16);
    pkt[2] = (char)((b.len + len) >> 8);
    pkt[3] = (char)(b.len + len);
    evirt_transport_write(fs->t, pkt, b.len + len);
    free(pkt);
    evirt_rpc_buf_clear(&b);
}

/* ---- harness ------------------------------------------------------- */

typedef struct fixture {
    evirt_loop *loop;
    int tick;
    evirt_rpc_client *c;
    fake_server fs;
    int close_calls;
    int close_reason;
    evirt_error close_err;
    int done_at_close;
} fixture;

static fixture *F;

static void
tick_cb(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
run_for(fixture *f, double ms)
{
    double end = now_ms() + ms;

    while (now_ms() < end)
        assert_int_equal(evirt_loop_run_once(f->loop), 0);
    return 0;
}

#define RUN_WHILE(f, cond, ms) \
    do { \
        double end_ = now_ms() + (ms); \
        while ((cond) && now_ms() < end_) \
            assert_int_equal(evirt_loop_run_once((f)->loop), 0); \
    } while (0)

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    f->loop = evirt_loop_new(NULL);
    assert_non_null(f->loop);
    /* keeps run_once from sleeping forever when a test waits in vain */
    f->tick = evirt_loop_add_timeout(f->loop, 5, tick_cb, NULL, NULL);
    F = f;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    evirt_rpc_client_free(f->c);
    fs_free(&f->fs);
    evirt_loop_remove_timeout(f->loop, f->tick);
    evirt_loop_free(f->loop);
    evirt_error_reset(&f->close_err);
    free(f);
    return 0;
}

static void
on_close(void *opaque, int reason, const evirt_error *err)
{
    fixture *f = opaque;

    f->close_calls++;
    f->close_reason = reason;
    if (err)
        evirt_error_copy(&f->close_err, err);
}

/* A client and a fake server joined by a socketpair. */
static void
connect_pair(fixture *f)
{
    evirt_error err = { 0 };
    evirt_transport *ct, *st;
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ct = evirt_transport_new_fd(f->loop, sv[0], &err);
    st = evirt_transport_new_fd(f->loop, sv[1], &err);
    assert_non_null(ct);
    assert_non_null(st);
    fs_attach(&f->fs, st);
    f->c = evirt_rpc_client_new(f->loop, ct);
    assert_non_null(f->c);
    evirt_rpc_client_set_close_cb(f->c, on_close, f);
}

typedef struct result {
    int calls;          /* how often done ran: must end at 1 */
    int order;          /* completion rank */
    evirt_error err;
    u_int ret;
    size_t pending_seen;
} result;

static int completions;

static void
on_done(void *opaque, evirt_error *err)
{
    result *r = opaque;

    r->calls++;
    r->order = completions++;
    r->pending_seen = evirt_rpc_client_pending(F->c);
    if (err)
        evirt_error_move(&r->err, err);
}

static uint32_t
call(fixture *f, u_int arg, result *r)
{
    uint32_t serial = 0;

    assert_int_equal(evirt_rpc_client_call(f->c, PROG, VERS, 1,
                                           (xdrproc_t)xdr_u_int, &arg,
                                           (xdrproc_t)xdr_u_int, &r->ret,
                                           on_done, r, &serial), 0);
    return serial;
}

/* ---- tests ------------------------------------------------------------ */

static void
test_pipelining_reverse_order(void **state)
{
    fixture *f = *state;
    result *res = calloc(NCALLS, sizeof(*res));
    size_t i;

    connect_pair(f);
    completions = 0;
    for (i = 0; i < NCALLS; i++)
        assert_int_equal(call(f, (u_int)i, &res[i]), i);  /* serials 0.. */
    assert_int_equal(evirt_rpc_client_pending(f->c), NCALLS);
    RUN_WHILE(f, f->fs.ncalls < NCALLS, 5000);
    assert_int_equal(f->fs.ncalls, NCALLS);
    for (i = 0; i < NCALLS; i++)
        assert_int_equal(f->fs.args[i], i);
    for (i = NCALLS; i-- > 0;)
        fs_reply(&f->fs, i, f->fs.args[i] * 3 + 1);
    RUN_WHILE(f, completions < NCALLS, 5000);
    for (i = 0; i < NCALLS; i++) {
        assert_int_equal(res[i].calls, 1);
        assert_int_equal(res[i].err.code, 0);
        assert_int_equal(res[i].ret, i * 3 + 1);
        assert_int_equal(res[i].order, NCALLS - 1 - i);
    }
    assert_int_equal(evirt_rpc_client_pending(f->c), 0);
    assert_true(evirt_rpc_client_is_alive(f->c));
    free(res);
}

static void
test_error_reply_mapped(void **state)
{
    fixture *f = *state;
    evirt_error e = { .code = 42, .domain = 12, .level = 2,
                      .message = (char *)"Domain not found: no domain with matching name 'x'",
                      .str1 = (char *)"Domain not found: %s", .int1 = -1, .int2 = -1 };
    evirt_rpc_buf b = { 0 };
    evirt_error err = { 0 };
    evirt_rpc_header hdr;
    result r = { 0 };

    connect_pair(f);
    call(f, 7, &r);
    RUN_WHILE(f, f->fs.ncalls < 1, 2000);
    hdr = f->fs.calls[0];
    hdr.type = EVIRT_RPC_REPLY;
    assert_int_equal(evirt_rpc_message_encode_error(&b, &hdr, &e, &err), 0);
    evirt_transport_write(f->fs.t, b.data, b.len);
    evirt_rpc_buf_clear(&b);
    RUN_WHILE(f, r.calls == 0, 2000);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, 42);
    assert_int_equal(r.err.domain, 12);
    assert_int_equal(r.err.level, 2);
    assert_string_equal(r.err.message, e.message);
    assert_string_equal(r.err.str1, e.str1);
    assert_int_equal(r.err.int1, -1);
    assert_true(evirt_rpc_client_is_alive(f->c));
    evirt_error_reset(&r.err);
}

static void
test_cancel_then_late_reply_dropped(void **state)
{
    fixture *f = *state;
    result a = { .ret = 0xdead }, b = { 0 };
    uint32_t sa;

    connect_pair(f);
    sa = call(f, 1, &a);
    call(f, 2, &b);
    RUN_WHILE(f, f->fs.ncalls < 2, 2000);
    evirt_rpc_client_cancel(f->c, sa);
    assert_int_equal(a.calls, 0);           /* never from inside cancel */
    assert_int_equal(evirt_rpc_client_pending(f->c), 1);
    RUN_WHILE(f, a.calls == 0, 2000);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.err.code, EVIRT_ERR_OPERATION_ABORTED);
    /* the late reply arrives before the other one: dropped quietly */
    fs_reply(&f->fs, 0, 100);
    fs_reply(&f->fs, 1, 200);
    RUN_WHILE(f, b.calls == 0, 2000);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.ret, 200);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.ret, 0xdead);        /* never written after cancel */
    assert_true(evirt_rpc_client_is_alive(f->c));
    evirt_error_reset(&a.err);
}

static void
test_length_over_limit_closes(void **state)
{
    fixture *f = *state;
    /* 16 MiB + 5: one byte more than libvirt allows */
    static const char word[4] = { 0x01, 0x00, 0x00, 0x05 };
    result r = { 0 };

    connect_pair(f);
    call(f, 1, &r);
    RUN_WHILE(f, f->fs.ncalls < 1, 2000);
    evirt_transport_write(f->fs.t, word, 4);
    RUN_WHILE(f, f->close_calls == 0, 2000);
    assert_int_equal(f->close_calls, 1);
    assert_int_equal(f->close_reason, EVIRT_RPC_CLOSE_ERROR);
    assert_int_equal(f->close_err.code, EVIRT_ERR_RPC);
    assert_non_null(strstr(f->close_err.message, "too large"));
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, EVIRT_ERR_RPC);
    assert_false(evirt_rpc_client_is_alive(f->c));
    RUN_WHILE(f, !f->fs.closed, 2000);
    assert_true(f->fs.closed);              /* the client hung up */
    evirt_error_reset(&r.err);
}

/* A server that answers nonsense: each bad reply fails only its own call
 * with a clear error (or is dropped when it matches no call), the
 * connection keeps serving, and a packet shorter than a header ends it
 * with every call still pending failed. */
static void
test_hostile_replies(void **state)
{
    fixture *f = *state;
    result r[7] = { { 0 } };
    static const char junk[3] = { 0x7f, 0x00, 0x01 };
    static const char short_packet[20] = { 0x00, 0x00, 0x00, 0x14 };
    evirt_rpc_header h;

    connect_pair(f);
    for (int i = 0; i < 7; i++)
        call(f, (u_int)i, &r[i]);
    RUN_WHILE(f, f->fs.ncalls < 7, 2000);
    assert_int_equal(f->fs.ncalls, 7);

    h = f->fs.calls[0];
    h.type = EVIRT_RPC_REPLY;
    h.serial = 999999;                      /* nobody asked */
    fs_send_raw(&f->fs, &h, NULL, 0);
    h.serial = f->fs.calls[0].serial;       /* OK, but no u_int in it */
    fs_send_raw(&f->fs, &h, NULL, 0);
    h = f->fs.calls[1];
    h.type = EVIRT_RPC_REPLY;
    h.proc = 77;                            /* another procedure */
    fs_send_raw(&f->fs, &h, NULL, 0);
    h = f->fs.calls[2];
    h.type = EVIRT_RPC_REPLY;
    h.status = 7;                           /* no such status */
    fs_send_raw(&f->fs, &h, NULL, 0);
    h = f->fs.calls[3];
    h.type = EVIRT_RPC_REPLY;
    h.status = EVIRT_RPC_STATUS_ERROR;      /* an error nobody can read */
    fs_send_raw(&f->fs, &h, junk, sizeof(junk));
    fs_reply(&f->fs, 4, 4242);              /* and a good one */
    RUN_WHILE(f, r[4].calls == 0, 2000);

    for (int i = 0; i < 4; i++) {
        assert_int_equal(r[i].calls, 1);
        assert_int_not_equal(r[i].err.code, 0);
        assert_non_null(r[i].err.message);
    }
    assert_int_equal(r[0].err.code, EVIRT_ERR_RPC);
    assert_non_null(strstr(r[0].err.message, "Unable to decode"));
    assert_non_null(strstr(r[1].err.message, "Unexpected procedure"));
    assert_non_null(strstr(r[2].err.message, "Unexpected message status"));
    assert_int_equal(r[4].calls, 1);
    assert_int_equal(r[4].err.code, 0);
    assert_int_equal(r[4].ret, 4242);
    assert_true(evirt_rpc_client_is_alive(f->c));
    assert_int_equal(f->close_calls, 0);
    assert_int_equal(r[5].calls, 0);        /* the stray reply took nothing */

    evirt_transport_write(f->fs.t, short_packet, sizeof(short_packet));
    RUN_WHILE(f, f->close_calls == 0, 2000);
    assert_int_equal(f->close_calls, 1);
    assert_int_equal(f->close_reason, EVIRT_RPC_CLOSE_ERROR);
    assert_false(evirt_rpc_client_is_alive(f->c));
    for (int i = 5; i < 7; i++) {
        assert_int_equal(r[i].calls, 1);
        assert_int_not_equal(r[i].err.code, 0);
    }
    for (int i = 0; i < 7; i++)
        evirt_error_reset(&r[i].err);
}

static void
on_close_count_done(void *opaque, int reason, const evirt_error *err)
{
    fixture *f = opaque;

    f->done_at_close = completions;
    on_close(opaque, reason, err);
}

static void
test_peer_vanishes_fails_all(void **state)
{
    fixture *f = *state;
    result r[5] = { { 0 } };
    result late = { 0 };
    int i;

    connect_pair(f);
    evirt_rpc_client_set_close_cb(f->c, on_close_count_done, f);
    completions = 0;
    for (i = 0; i < 5; i++)
        call(f, (u_int)i, &r[i]);
    RUN_WHILE(f, f->fs.ncalls < 5, 2000);
    fs_reply(&f->fs, 2, 9);                 /* one answered before death */
    RUN_WHILE(f, r[2].calls == 0, 2000);
    fs_free(&f->fs);
    RUN_WHILE(f, f->close_calls == 0, 2000);
    assert_int_equal(f->close_calls, 1);
    assert_int_equal(f->close_reason, EVIRT_RPC_CLOSE_EOF);
    assert_int_equal(f->done_at_close, 5);  /* every call failed first */
    for (i = 0; i < 5; i++) {
        assert_int_equal(r[i].calls, 1);
        if (i == 2) {
            assert_int_equal(r[i].err.code, 0);
            continue;
        }
        assert_int_equal(r[i].err.code, EVIRT_ERR_SYSTEM_ERROR);
        assert_non_null(strstr(r[i].err.message, "End of file"));
        assert_int_equal(r[i].pending_seen, 0); /* all at once */
        evirt_error_reset(&r[i].err);
    }
    /* later calls fail through done too, never inside the call */
    call(f, 1, &late);
    assert_int_equal(late.calls, 0);
    RUN_WHILE(f, late.calls == 0, 2000);
    assert_int_equal(late.err.code, EVIRT_ERR_INTERNAL_ERROR);
    assert_int_equal(f->close_calls, 1);
    evirt_error_reset(&late.err);
}

static int events_seen, event_proc;

static void
on_event(void *opaque, const evirt_rpc_header *hdr, const char *payload, size_t len)
{
    (void)opaque;
    (void)payload;
    (void)len;
    events_seen++;
    event_proc = hdr->proc;
}

static void
test_keepalive_ping_answered_and_events(void **state)
{
    fixture *f = *state;

    connect_pair(f);
    events_seen = 0;
    assert_int_equal(evirt_rpc_client_set_message_handler(f->c, PROG, on_event,
                                                          NULL), 0);
    fs_send_message(&f->fs, EVIRT_RPC_KEEPALIVE_PROGRAM, EVIRT_RPC_KEEPALIVE_PING);
    fs_send_message(&f->fs, PROG, 318);
    fs_send_message(&f->fs, PROG + 1, 5);   /* no handler: dropped */
    RUN_WHILE(f, f->fs.pongs == 0 || events_seen == 0, 2000);
    assert_int_equal(f->fs.pongs, 1);
    assert_int_equal(events_seen, 1);
    assert_int_equal(event_proc, 318);
    run_for(f, 20);
    assert_int_equal(events_seen, 1);
    assert_true(evirt_rpc_client_is_alive(f->c));
}

static void
test_keepalive_live_peer_survives(void **state)
{
    fixture *f = *state;

    connect_pair(f);
    assert_int_equal(evirt_rpc_client_set_keepalive(f->c, 10, 2), 0);
    run_for(f, 200);
    assert_true(f->fs.pings >= 3);
    assert_true(evirt_rpc_client_is_alive(f->c));
    assert_int_equal(f->close_calls, 0);
}

static void
test_keepalive_dead_peer_detected(void **state)
{
    fixture *f = *state;
    result r = { 0 };

    connect_pair(f);
    f->fs.answer_pings = 0;
    call(f, 1, &r);
    assert_int_equal(evirt_rpc_client_set_keepalive(f->c, 10, 3), 0);
    RUN_WHILE(f, f->close_calls == 0, 3000);
    assert_int_equal(f->close_calls, 1);
    assert_int_equal(f->close_reason, EVIRT_RPC_CLOSE_KEEPALIVE);
    assert_int_equal(f->fs.pings, 3);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, EVIRT_ERR_INTERNAL_ERROR);
    assert_non_null(strstr(r.err.message, "keepalive"));
    evirt_error_reset(&r.err);
}

/* ---- transports ------------------------------------------------------- */

typedef struct acceptor {
    fixture *f;
    int lfd;
    int watch;
} acceptor;

static void
on_accept(int watch, int fd, int events, void *opaque)
{
    acceptor *a = opaque;
    evirt_error err = { 0 };
    int cfd = accept(fd, NULL, NULL);

    (void)watch;
    (void)events;
    assert_true(cfd >= 0);
    fs_attach(&a->f->fs, evirt_transport_new_fd(a->f->loop, cfd, &err));
    assert_non_null(a->f->fs.t);
}

/* One call through whatever transport the client has; the fake server
 * arrives through the acceptor. */
static void
roundtrip(fixture *f, acceptor *a, evirt_transport *ct)
{
    result r = { 0 };

    f->c = evirt_rpc_client_new(f->loop, ct);
    call(f, 41, &r);                        /* queued while connecting */
    if (a) {
        a->watch = evirt_loop_add_watch(f->loop, a->lfd, EVIRT_EVENT_READABLE,
                                        on_accept, a, NULL);
        RUN_WHILE(f, !f->fs.t, 2000);
        assert_non_null(f->fs.t);
        evirt_loop_remove_watch(f->loop, a->watch);
    }
    RUN_WHILE(f, f->fs.ncalls < 1, 2000);
    assert_int_equal(f->fs.args[0], 41);
    fs_reply(&f->fs, 0, 42);
    RUN_WHILE(f, r.calls == 0, 2000);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, 0);
    assert_int_equal(r.ret, 42);
}

static void
test_unix_transport(void **state)
{
    fixture *f = *state;
    char dir[] = "/tmp/evirt-rpc-XXXXXX", path[128];
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    evirt_error err = { 0 };
    acceptor a = { f, -1, -1 };

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/sock", dir);
    /* nothing listening yet: a clear error at once */
    assert_null(evirt_transport_new_unix(f->loop, path, &err));
    assert_int_equal(err.code, EVIRT_ERR_SYSTEM_ERROR);
    assert_non_null(strstr(err.message, path));
    evirt_error_reset(&err);

    a.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(sun.sun_path, path);
    assert_int_equal(bind(a.lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
    assert_int_equal(listen(a.lfd, 4), 0);
    roundtrip(f, &a, evirt_transport_new_unix(f->loop, path, &err));
    assert_true(evirt_transport_is_local(evirt_rpc_client_transport(f->c)));
    close(a.lfd);
    unlink(path);
    rmdir(dir);
}

static void
tcp_roundtrip(fixture *f, int family, const char *host)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    evirt_error err = { 0 };
    acceptor a = { f, -1, -1 };
    char port[16];
    int one = 1;

    memset(&ss, 0, sizeof(ss));
    ss.ss_family = (sa_family_t)family;
    if (family == AF_INET)
        ((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else
        ((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
    a.lfd = socket(family, SOCK_STREAM, 0);
    if (a.lfd < 0 || bind(a.lfd, (struct sockaddr *)&ss,
                          family == AF_INET ? sizeof(struct sockaddr_in)
                                            : sizeof(struct sockaddr_in6)) < 0) {
        if (a.lfd >= 0)
            close(a.lfd);
        print_message("skipping %s: no loopback for this family\n", host);
        return;
    }
    setsockopt(a.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    assert_int_equal(listen(a.lfd, 4), 0);
    assert_int_equal(getsockname(a.lfd, (struct sockaddr *)&ss, &sl), 0);
    snprintf(port, sizeof(port), "%u",
             ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                     : ((struct sockaddr_in6 *)&ss)->sin6_port));
    roundtrip(f, &a, evirt_transport_new_tcp(f->loop, host, port, &err));
    assert_false(evirt_transport_is_local(evirt_rpc_client_transport(f->c)));
    close(a.lfd);
}

static void
test_tcp_transport_ipv4(void **state)
{
    tcp_roundtrip(*state, AF_INET, "127.0.0.1");
}

static void
test_tcp_transport_ipv6(void **state)
{
    tcp_roundtrip(*state, AF_INET6, "::1");
}

/* A name, not an address: looked up off the loop ("localhost" comes from
 * /etc/hosts, so nothing leaves the machine), the call queued meanwhile. */
static void
test_tcp_transport_by_name(void **state)
{
    tcp_roundtrip(*state, AF_INET, "localhost");
}

/* Transports freed while their lookups run: the answers find nobody and
 * are dropped, on the loop or in the thread (ASan sees the rest). */
static void
test_tcp_freed_while_resolving(void **state)
{
    fixture *f = *state;
    evirt_error err = { 0 };

    for (int i = 0; i < 20; i++) {
        evirt_transport *t = evirt_transport_new_tcp(f->loop, "localhost", "1", &err);
        assert_non_null(t);
        if (i % 2)
            usleep(2000);   /* some answers are queued before the free */
        evirt_transport_free(t);
    }
    /* the fixture's tick keeps run_for's passes short */
    run_for(f, 500);
}

static void
test_tcp_refused(void **state)
{
    fixture *f = *state;
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t sl = sizeof(sin);
    evirt_error err = { 0 };
    evirt_transport *t;
    result r = { 0 };
    char port[16];
    int fd;

    /* a port nobody listens on: bind, learn it, close */
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    getsockname(fd, (struct sockaddr *)&sin, &sl);
    close(fd);
    snprintf(port, sizeof(port), "%u", ntohs(sin.sin_port));
    t = evirt_transport_new_tcp(f->loop, "127.0.0.1", port, &err);
    if (!t) {                               /* refused at once: also fine */
        assert_int_equal(err.code, EVIRT_ERR_SYSTEM_ERROR);
        evirt_error_reset(&err);
        return;
    }
    f->c = evirt_rpc_client_new(f->loop, t);
    evirt_rpc_client_set_close_cb(f->c, on_close, f);
    call(f, 1, &r);
    RUN_WHILE(f, r.calls == 0, 2000);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, EVIRT_ERR_SYSTEM_ERROR);
    assert_int_equal(f->close_reason, EVIRT_RPC_CLOSE_ERROR);
    evirt_error_reset(&r.err);
}

static void
test_command_transport(void **state)
{
    fixture *f = *state;
    const char *argv[] = { self_path, "--serve-stdio", NULL };
    evirt_error err = { 0 };
    result r = { 0 };
    evirt_transport *t;

    t = evirt_transport_new_command(f->loop, argv, &err);
    assert_non_null(t);
    f->c = evirt_rpc_client_new(f->loop, t);
    evirt_rpc_client_set_close_cb(f->c, on_close, f);
    call(f, 99, &r);
    RUN_WHILE(f, r.calls == 0, 5000);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, 0);
    assert_int_equal(r.ret, 100);

    /* a command that cannot be run */
    argv[0] = "/nonexistent/evirt-helper";
    assert_null(evirt_transport_new_command(f->loop, argv, &err));
    assert_int_equal(err.code, EVIRT_ERR_SYSTEM_ERROR);
    evirt_error_reset(&err);
}

/* 1 while /proc/PID exists: running, or a zombie nobody collected. */
static int
proc_exists(pid_t pid)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
    return access(path, F_OK) == 0;
}

/* A child that ignores EOF and SIGTERM: freeing its transport returns at
 * once (the child still runs), and the child is still killed and
 * collected, off the loop. */
static void
test_command_child_reaped_off_loop(void **state)
{
    fixture *f = *state;
    const char *argv[] = { "/bin/sh", "-c", "trap '' TERM; exec sleep 30", NULL };
    evirt_error err = { 0 };
    evirt_transport *t;
    pid_t pid;

    t = evirt_transport_new_command(f->loop, argv, &err);
    assert_non_null(t);
    pid = t->pid;
    assert_true(pid > 0);
    run_for(f, 50);                         /* the shell is now sleep */
    evirt_transport_free(t);
    /* a blocking reaper would have returned only after its SIGKILL */
    assert_true(proc_exists(pid));
    for (int i = 0; i < 500 && proc_exists(pid); i++)
        usleep(10000);
    assert_false(proc_exists(pid));         /* killed and collected */
}

/* The wrapping seam: an XOR "cipher" with a one-byte handshake on both
 * ends.  If either side skipped the filter nothing would decode. */
typedef struct xor_state {
    int got_hello;
} xor_state;

static int
xor_start(evirt_transport *w, void *fdata)
{
    (void)fdata;
    return evirt_transport_filter_down(w, "H", 1);
}

static int
xor_code(evirt_transport *w, void *fdata, const char *data, size_t len, int up)
{
    xor_state *x = fdata;
    char *tmp = malloc(len);
    size_t i, skip = 0;

    if (up && !x->got_hello) {
        if (data[0] != 'H') {
            free(tmp);
            return -1;
        }
        x->got_hello = 1;
        skip = 1;
        evirt_transport_filter_ready(w);
    }
    for (i = skip; i < len; i++)
        tmp[i - skip] = (char)(data[i] ^ 0x5a);
    if (up)
        evirt_transport_filter_up(w, tmp, len - skip);
    else
        evirt_transport_filter_down(w, tmp, len);
    free(tmp);
    return 0;
}

static int
xor_encode(evirt_transport *w, void *fdata, const char *data, size_t len)
{
    return xor_code(w, fdata, data, len, 0);
}

static int
xor_decode(evirt_transport *w, void *fdata, const char *data, size_t len)
{
    return xor_code(w, fdata, data, len, 1);
}

static const evirt_transport_filter xor_filter = {
    .start = xor_start, .encode = xor_encode, .decode = xor_decode,
    .free = free,
};

static void
test_wrapped_transport(void **state)
{
    fixture *f = *state;
    evirt_error err = { 0 };
    evirt_transport *ct, *st;
    result r = { 0 };
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ct = evirt_transport_new_wrap(evirt_transport_new_fd(f->loop, sv[0], &err),
                                  &xor_filter, calloc(1, sizeof(xor_state)), &err);
    st = evirt_transport_new_wrap(evirt_transport_new_fd(f->loop, sv[1], &err),
                                  &xor_filter, calloc(1, sizeof(xor_state)), &err);
    assert_non_null(ct);
    assert_non_null(st);
    fs_attach(&f->fs, st);
    f->c = evirt_rpc_client_new(f->loop, ct);
    call(f, 5, &r);                         /* held until the handshake */
    RUN_WHILE(f, f->fs.ncalls < 1, 2000);
    assert_int_equal(f->fs.args[0], 5);
    fs_reply(&f->fs, 0, 6);
    RUN_WHILE(f, r.calls == 0, 2000);
    assert_int_equal(r.err.code, 0);
    assert_int_equal(r.ret, 6);
}

static void
test_free_completes_pending(void **state)
{
    fixture *f = *state;
    result r = { 0 };

    connect_pair(f);
    call(f, 1, &r);
    evirt_rpc_client_free(f->c);
    f->c = NULL;
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.err.code, EVIRT_ERR_OPERATION_ABORTED);
    assert_int_equal(f->close_calls, 0);
    evirt_error_reset(&r.err);
}

/* ---- the stdio server for the command transport ---------------------- */

static int
read_full(int fd, char *buf, size_t len)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = read(fd, buf + off, len - off);

        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

static int
serve_stdio(void)
{
    char buf[4096];
    evirt_error err = { 0 };

    for (;;) {
        evirt_rpc_header hdr;
        evirt_rpc_buf out = { 0 };
        uint32_t len;
        u_int arg = 0;

        if (read_full(0, buf, 4) < 0)
            return 0;
        len = ((uint32_t)(unsigned char)buf[0] << 24) |
              ((uint32_t)(unsigned char)buf[1] << 16) |
              ((uint32_t)(unsigned char)buf[2] << 8) | (unsigned char)buf[3];
        if (len < 28 || len > sizeof(buf) || read_full(0, buf + 4, len - 4) < 0)
            return 1;
        if (evirt_rpc_message_decode_header(buf, len, &hdr, &err) < 0)
            return 1;
        if (hdr.type != EVIRT_RPC_CALL)
            continue;
        evirt_rpc_message_decode_payload(evirt_rpc_message_payload(buf),
                                         evirt_rpc_message_payload_len(len),
                                         (xdrproc_t)xdr_u_int, &arg, &err);
        arg++;
        hdr.type = EVIRT_RPC_REPLY;
        evirt_rpc_message_encode(&out, &hdr, (xdrproc_t)xdr_u_int, &arg, &err);
        if (write(1, out.data, out.len) != (ssize_t)out.len)
            return 1;
        evirt_rpc_buf_clear(&out);
    }
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pipelining_reverse_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_reply_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_then_late_reply_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_length_over_limit_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_replies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_vanishes_fails_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_ping_answered_and_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_live_peer_survives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_dead_peer_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unix_transport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_transport_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_transport_ipv6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_transport_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_freed_while_resolving, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_transport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_child_reaped_off_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrapped_transport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_completes_pending, setup, teardown),
    };
    int rc;

    if (argc > 1 && strcmp(argv[1], "--serve-stdio") == 0)
        return serve_stdio();
    self_path = realpath("/proc/self/exe", NULL);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(self_path);
    return rc;
}
