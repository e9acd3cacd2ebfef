/*
 * tests/test-rpc-server.c - the RPC server core against raw sockets.
 *
 * A server runs on a loop in a thread, listening on a UNIX socket in a
 * private temporary folder.  The test speaks bytes: the handshake replies
 * must equal libvirtd's (rpc-captures/01, 15, 18), bad input must get
 * libvirtd's error reply or a closed connection, the reason must be
 * logged, and a well-behaved client must still be served afterwards.
 *
 * The program registered here mimics the remote program's first calls
 * (AUTH_LIST, SUPPORTS_FEATURE, CONNECT_OPEN, CONNECT_CLOSE) with
 * hand-written XDR, so the server core is tested without the daemon.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <cmocka.h>

#include <evirt/loop.h>
#include <evirt/log.h>
#include "rpc/server.h"
#include "rpc/message.h"
#include "tests/rpc-raw.h"

#define REMOTE_PROG 0x20008086u

/* ---- a small program ---------------------------------------------------- */

typedef struct { char *name; uint32_t flags; } open_args;
typedef struct { uint32_t n; int32_t *types; } auth_list_ret;
typedef struct { int32_t v; } int_box;

static bool_t
xdr_open_args(XDR *x, open_args *a)
{
    uint32_t present = a->name != NULL;
    if (!xdr_u_int(x, &present))
        return FALSE;
    if (present && !xdr_string(x, &a->name, 4194304))
        return FALSE;
    return xdr_u_int(x, &a->flags);
}

static bool_t
xdr_auth_list_ret(XDR *x, auth_list_ret *r)
{
    return xdr_array(x, (char **)&r->types, &r->n, 20, sizeof(int32_t),
                     (xdrproc_t)xdr_int);
}

static bool_t
xdr_int_box(XDR *x, int_box *b)
{
    return xdr_int(x, &b->v);
}

static void
h_auth_list(evirt_rpc_call *call, void *args)
{
    int32_t none = 0;
    auth_list_ret r = { 1, &none };
    evirt_rpc_call_reply(call, &r);
}

static void
h_feature(evirt_rpc_call *call, void *args)
{
    int_box *a = args;
    int_box r = { a->v == 10 || a->v == 14 || a->v == 15 };
    evirt_rpc_call_reply(call, &r);
}

static void
h_open(evirt_rpc_call *call, void *args)
{
    evirt_rpc_call_reply(call, NULL);
}

static void
h_close(evirt_rpc_call *call, void *args)
{
    evirt_rpc_server_client *c = evirt_rpc_call_client(call);
    evirt_rpc_call_reply(call, NULL);
    evirt_rpc_server_client_close(c);
}

/* Calls of proc 9001 are held until released from the test thread. */
#define MAX_HELD 16
static evirt_rpc_call *held[MAX_HELD];
static int nheld;

static void
h_hold(evirt_rpc_call *call, void *args)
{
    assert_true(nheld < MAX_HELD);
    held[nheld++] = call;
}

/* Proc 9002 answers an error with a driver-like evirt_error. */
static void
h_fail(evirt_rpc_call *call, void *args)
{
    evirt_error e = { .code = 42, .domain = 12, .level = 2,
                      .message = (char *)"Domain not found", .int1 = -1, .int2 = -1 };
    evirt_rpc_call_reply_error(call, &e);
}

/* Proc 9003 switches server keepalive on, as the daemon does on feature 10. */
static void
h_keepalive(evirt_rpc_call *call, void *args)
{
    evirt_rpc_server_client_start_keepalive(evirt_rpc_call_client(call));
    evirt_rpc_call_reply(call, NULL);
}

/* Proc 9004 sends its argument's count of 1 KiB messages (as events
 * are sent) before its reply; the reply's int is how many were taken. */
#define BLOB_SIZE 1024

static bool_t
xdr_blob(XDR *x, char *blob)
{
    return xdr_opaque(x, blob, BLOB_SIZE);
}

static void
h_flood(evirt_rpc_call *call, void *args)
{
    evirt_rpc_server_client *c = evirt_rpc_call_client(call);
    static char blob[BLOB_SIZE];
    int_box r = { 0 };

    while (r.v < ((int_box *)args)->v &&
           evirt_rpc_server_client_send_message(c, REMOTE_PROG, 1, 9004, 0,
                                                (xdrproc_t)xdr_blob, blob) == 0)
        r.v++;
    evirt_rpc_call_reply(call, &r);
}

static const evirt_rpc_proc test_procs[] = {
    { 1, (xdrproc_t)xdr_open_args, sizeof(open_args), NULL, 0, h_open, 0 },
    { 2, NULL, 0, NULL, 0, h_close, 0 },
    { 60, (xdrproc_t)xdr_int_box, sizeof(int_box), (xdrproc_t)xdr_int_box,
      sizeof(int_box), h_feature, 0 },
    { 66, NULL, 0, (xdrproc_t)xdr_auth_list_ret, sizeof(auth_list_ret),
      h_auth_list, 0 },
    { 9001, NULL, 0, NULL, 0, h_hold, 0 },
    { 9002, NULL, 0, NULL, 0, h_fail, 0 },
    { 9003, NULL, 0, NULL, 0, h_keepalive, 0 },
    { 9004, (xdrproc_t)xdr_int_box, sizeof(int_box), (xdrproc_t)xdr_int_box,
      sizeof(int_box), h_flood, 0 },
};

/* ---- fixture: a server on a loop thread --------------------------------- */

typedef struct {
    char dir[64];
    char path[128];
    char logpath[128];
    evirt_loop *loop;
    evirt_rpc_server *srv;
    pthread_t thread;
} fixture;

static fixture *
fixture_start(const evirt_rpc_server_limits *limits)
{
    fixture *f = calloc(1, sizeof(*f));
    evirt_error err = { 0 };
    char outputs[200];

    assert_non_null(f);
    strcpy(f->dir, "/tmp/test-rpc-server-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/libvirt-sock", f->dir);
    snprintf(f->logpath, sizeof(f->logpath), "%s/log", f->dir);
    snprintf(outputs, sizeof(outputs), "3:file:%s", f->logpath);
    assert_int_equal(evirt_log_set_outputs(outputs), 0);

    f->loop = evirt_loop_new(NULL);
    assert_non_null(f->loop);
    f->srv = evirt_rpc_server_new(f->loop, limits);
    assert_non_null(f->srv);
    assert_int_equal(evirt_rpc_server_add_program(f->srv, REMOTE_PROG, 1, test_procs,
                                                  sizeof(test_procs) / sizeof(test_procs[0])),
                     0);
    assert_int_equal(evirt_rpc_server_add_program(f->srv, REMOTE_PROG, 1, test_procs, 1),
                     -1);
    assert_int_equal(evirt_rpc_server_add_unix(f->srv, f->path, 0700, (gid_t)-1, 0,
                                               &err), 0);
    nheld = 0;
    f->thread = rpc_raw_run_loop(f->loop);
    return f;
}

static void
fixture_stop(fixture *f)
{
    struct stat st;

    rpc_raw_stop_loop(f->loop, f->thread);
    /* Held calls still answerable after the server is gone: dropped. */
    evirt_rpc_server_free(f->srv);
    for (int i = 0; i < nheld; i++)
        evirt_rpc_call_reply(held[i], NULL);
    nheld = 0;
    evirt_loop_free(f->loop);
    assert_int_equal(stat(f->path, &st), -1); /* the socket file is gone */
    unlink(f->logpath);
    rmdir(f->dir);
    evirt_log_set_outputs("3:stderr");
    free(f);
}

/* Runs fn on the loop thread and waits for it. */
typedef struct { void (*fn)(void *); void *arg; sem_t done; } sync_call;

static void
sync_trampoline(void *opaque)
{
    sync_call *sc = opaque;
    sc->fn(sc->arg);
    sem_post(&sc->done);
}

static void
on_loop(fixture *f, void (*fn)(void *), void *arg)
{
    sync_call sc = { fn, arg };
    sem_init(&sc.done, 0, 0);
    assert_int_equal(evirt_loop_invoke(f->loop, sync_trampoline, &sc), 0);
    sem_wait(&sc.done);
    sem_destroy(&sc.done);
}

typedef struct { fixture *f; size_t n; } count_arg;

static void
count_fn(void *opaque)
{
    count_arg *a = opaque;
    a->n = evirt_rpc_server_client_count(a->f->srv);
}

static size_t
client_count(fixture *f)
{
    count_arg a = { f, 0 };
    on_loop(f, count_fn, &a);
    return a.n;
}

/* Waits until the server counts n clients (closing is asynchronous). */
static void
wait_client_count(fixture *f, size_t n)
{
    for (int i = 0; i < 500 && client_count(f) != n; i++)
        usleep(10000);
    assert_int_equal(client_count(f), n);
}

static void
release_fn(void *opaque)
{
    (void)opaque;
    assert_true(nheld > 0);
    evirt_rpc_call *c = held[0];
    memmove(held, held + 1, (size_t)(nheld - 1) * sizeof(held[0]));
    nheld--;
    evirt_rpc_call_reply(c, NULL);
}

/* A well-behaved call on a fresh connection: SUPPORTS_FEATURE(10) -> 1. */
static void
good_client_works(fixture *f)
{
    int fd = rpc_raw_connect(f->path);
    rpc_raw_send_hex(fd, "0000002020008086000000010000003c0000000000000001000000000000000a");
    rpc_raw_expect_hex(fd, "0000002020008086000000010000003c00000001000000010000000000000001");
    close(fd);
}

static int
log_contains(fixture *f, const char *needle)
{
    for (int i = 0; i < 200; i++) {
        FILE *fp = fopen(f->logpath, "r");
        char line[1024];
        int found = 0;
        if (fp) {
            while (!found && fgets(line, sizeof(line), fp))
                found = strstr(line, needle) != NULL;
            fclose(fp);
        }
        if (found)
            return 1;
        usleep(10000);
    }
    return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* virsh's first three calls, byte for byte (rpc-captures/18 and 01). */
static void
test_handshake_bytes(void **state)
{
    fixture *f = fixture_start(NULL);
    int fd = rpc_raw_connect(f->path);

    /* AUTH_LIST serial 0 -> [NONE] */
    rpc_raw_send_hex(fd, "0000001c200080860000000100000042000000000000000000000000");
    rpc_raw_expect_hex(fd, "000000242000808600000001000000420000000100000000000000000000000100000000");
    /* SUPPORTS_FEATURE(10) serial 1 -> 1 */
    rpc_raw_send_hex(fd, "0000002020008086000000010000003c0000000000000001000000000000000a");
    rpc_raw_expect_hex(fd, "0000002020008086000000010000003c00000001000000010000000000000001");
    /* CONNECT_OPEN("test:///default", 0) serial 2 -> () */
    rpc_raw_send_hex(fd, "00000038200080860000000100000001000000000000000200000000"
                 "000000010000000f746573743a2f2f2f64656661756c7400"
                 "00000000");
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
    /* keepalive PING -> PONG (rpc-captures/18) */
    rpc_raw_send_hex(fd, "0000001c6b6565700000000100000001000000020000000000000000");
    rpc_raw_expect_hex(fd, "0000001c6b6565700000000100000002000000020000000000000000");
    /* a driver error passes through with code, domain and message */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9002, 0, 7, 0, NULL, 0);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 9002, 7, 42, 12, "Domain not found");
    /* CONNECT_CLOSE: reply, then the server closes */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 2, 0, 9, 0, NULL, 0);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000002000000010000000900000000");
    rpc_raw_expect_closed(fd);
    close(fd);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/* rpc-facts 1.8: errors with libvirtd's codes, messages and lengths. */
static void
test_error_replies(void **state)
{
    fixture *f = fixture_start(NULL);
    int fd = rpc_raw_connect(f->path);
    unsigned char junk[8] = { 0, 0, 0, 1, 0, 0, 0, 0x40 }; /* string of 64, absent */

    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9999, 0, 3, 0, NULL, 0);
    rpc_raw_expect_error(fd, 136, REMOTE_PROG, 1, 9999, 3, 39, 7, "unknown procedure: 9999");
    rpc_raw_send_packet(fd, 0x12345678, 1, 1, 0, 4, 0, NULL, 0);
    rpc_raw_expect_error(fd, 168, 0x12345678, 1, 1, 4, 39, 7,
                 "Cannot find program 305419896 version 1");
    rpc_raw_send_packet(fd, REMOTE_PROG, 2, 66, 0, 5, 0, NULL, 0);
    rpc_raw_expect_error(fd, 168, REMOTE_PROG, 2, 66, 5, 39, 7,
                 "Cannot find program 536903814 version 2");
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, 16, 1, "\0\0\0\x0a", 4);
    rpc_raw_expect_error(fd, 144, REMOTE_PROG, 1, 60, 16, 39, 7, "Unexpected message status 1");
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 1, 0, 14, 0, junk, sizeof(junk));
    rpc_raw_expect_error(fd, 152, REMOTE_PROG, 1, 1, 14, 39, 7, "Unable to decode message payload");
    /* trailing junk after the arguments is accepted, as libvirtd does */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, 15, 0,
                "\0\0\0\x0e" "abcdefgh", 12);
    rpc_raw_expect_hex(fd, "0000002020008086000000010000003c00000001000000" "0f" "0000000000000001");

    /* REPLY and MESSAGE packets from a client are dropped silently; the
     * connection keeps working and the next answer is the next call's. */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 1, 20, 0, "\0\0\0\x0a", 4);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 2, 21, 0, "\0\0\0\x0a", 4);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 3, 22, 2, "data", 4);
    rpc_raw_expect_silence(fd, 200);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, 23, 0, "\0\0\0\x0e", 4);
    rpc_raw_expect_hex(fd, "0000002020008086000000010000003c0000000100000017000000000000000" "1");
    close(fd);
    good_client_works(f);
    fixture_stop(f);
}

/* Bad length words close the connection, are logged, and hurt nobody else. */
static void
test_bad_lengths(void **state)
{
    evirt_rpc_server_limits l;
    evirt_rpc_server_limits_init(&l);
    l.max_message = 65536 + 4;
    fixture *f = fixture_start(&l);
    int keeper = rpc_raw_connect(f->path);   /* a good client that stays connected */
    const struct { const char *hex; const char *log; } cases[] = {
        { "00000000", "below the minimum" },
        { "00000003", "below the minimum" },
        { "00000014" "2000808600000001000000010000", "below the minimum" },
        { "01000005", "over the limit" },            /* > 16 MiB + 4 */
        { "00010005", "over the limit" },            /* > configured 64 KiB + 4 */
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int fd = rpc_raw_connect(f->path);
        rpc_raw_send_hex(fd, cases[i].hex);
        rpc_raw_expect_closed(fd);
        close(fd);
        assert_true(log_contains(f, cases[i].log));
        /* the kept client is still served, on its existing connection */
        rpc_raw_send_hex(keeper, "0000002020008086000000010000003c0000000000000001000000000000000a");
        rpc_raw_expect_hex(keeper, "0000002020008086000000010000003c00000001000000010000000000000001");
        good_client_works(f);
    }
    /* exactly at the limit is fine (an undecodable call: error reply) */
    {
        int fd = rpc_raw_connect(f->path);
        size_t plen = 65536 - 24;
        char *payload = calloc(1, plen);
        rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9999, 0, 1, 0, payload, plen);
        free(payload);
        rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 9999, 1, 39, 7, "unknown procedure: 9999");
        close(fd);
    }
    close(keeper);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/* Half a packet then gone, and idle clients: freed / harmless. */
static void
test_vanishing_and_idle_clients(void **state)
{
    fixture *f = fixture_start(NULL);
    int idle[100];

    for (int i = 0; i < 3; i++) {
        int fd = rpc_raw_connect(f->path);
        rpc_raw_send_hex(fd, "00000100200080860000000100000001");  /* 256 announced, 16 sent */
        close(fd);
        fd = rpc_raw_connect(f->path);
        rpc_raw_send_hex(fd, "0000");                              /* half a length word */
        close(fd);
    }
    wait_client_count(f, 0);
    assert_true(log_contains(f, "EOF in the middle of a packet"));

    for (int i = 0; i < 100; i++)
        idle[i] = rpc_raw_connect(f->path);
    wait_client_count(f, 100);
    good_client_works(f);
    for (int i = 0; i < 100; i++)
        close(idle[i]);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/* max_clients: one more connection is closed at once. */
static void
test_max_clients(void **state)
{
    evirt_rpc_server_limits l;
    evirt_rpc_server_limits_init(&l);
    l.max_clients = 3;
    fixture *f = fixture_start(&l);
    int fds[3];

    for (int i = 0; i < 3; i++)
        fds[i] = rpc_raw_connect(f->path);
    wait_client_count(f, 3);
    int extra = rpc_raw_connect(f->path);
    rpc_raw_expect_closed(extra);
    close(extra);
    assert_true(log_contains(f, "too many clients"));
    close(fds[0]);
    wait_client_count(f, 2);
    good_client_works(f);
    close(fds[1]);
    close(fds[2]);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/* max_client_requests: the server stops reading until a call completes. */
static void
test_max_requests(void **state)
{
    evirt_rpc_server_limits l;
    evirt_rpc_server_limits_init(&l);
    l.max_client_requests = 2;
    fixture *f = fixture_start(&l);
    int fd = rpc_raw_connect(f->path);

    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9001, 0, 1, 0, NULL, 0);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9001, 0, 2, 0, NULL, 0);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, 3, 0, "\0\0\0\x0a", 4);
    /* The feature call sits unread behind two unanswered calls... */
    rpc_raw_expect_silence(fd, 300);
    /* ...other clients are not affected... */
    good_client_works(f);
    /* ...and once one completes, it is read and answered. */
    on_loop(f, release_fn, NULL);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100002329000000010000000100000000");
    rpc_raw_expect_hex(fd, "0000002020008086000000010000003c00000001000000030000000000000001");
    on_loop(f, release_fn, NULL);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100002329000000010000000200000000");
    close(fd);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/*
 * Many calls in one write against a low max_client_requests: the server
 * buffers what it may not dispatch yet, and every call is answered, in
 * order, with nothing lost between the buffered packets and the socket.
 */
static void
test_burst_in_one_write(void **state)
{
    enum { N = 50 };
    evirt_rpc_server_limits l;
    evirt_rpc_server_limits_init(&l);
    l.max_client_requests = 2;
    fixture *f = fixture_start(&l);
    int fd = rpc_raw_connect(f->path);
    unsigned char burst[2 * 28 + N * 32];
    unsigned char *p = burst;

    /* Two calls the test holds unanswered fill the client's slots... */
    for (int i = 0; i < 2; i++, p += 28) {
        rpc_raw_put32(p, 28);
        rpc_raw_put32(p + 4, REMOTE_PROG);
        rpc_raw_put32(p + 8, 1);
        rpc_raw_put32(p + 12, 9001);            /* held by the test */
        rpc_raw_put32(p + 16, 0);
        rpc_raw_put32(p + 20, (uint32_t)i + 1);
        rpc_raw_put32(p + 24, 0);
    }
    /* ...and N more calls arrive in the same write. */
    for (int i = 0; i < N; i++, p += 32) {
        rpc_raw_put32(p, 32);
        rpc_raw_put32(p + 4, REMOTE_PROG);
        rpc_raw_put32(p + 8, 1);
        rpc_raw_put32(p + 12, 60);              /* SUPPORTS_FEATURE */
        rpc_raw_put32(p + 16, 0);
        rpc_raw_put32(p + 20, (uint32_t)i + 3);
        rpc_raw_put32(p + 24, 0);
        rpc_raw_put32(p + 28, 10);
    }
    rpc_raw_send_all(fd, burst, sizeof(burst));
    /* Nothing is dispatched past the limit while both are held. */
    rpc_raw_expect_silence(fd, 300);
    /* One slot frees: the held call's answer, then every buffered call,
     * in order (the socket has nothing new to wake the server). */
    on_loop(f, release_fn, NULL);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100002329000000010000000100000000");
    for (int i = 0; i < N; i++) {
        char want[80];
        snprintf(want, sizeof(want),
                 "0000002020008086000000010000003c00000001%08x0000000000000001",
                 (unsigned)i + 3);
        rpc_raw_expect_hex(fd, want);
    }
    on_loop(f, release_fn, NULL);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100002329000000010000000200000000");
    good_client_works(f);
    close(fd);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/* A client that disconnects with calls in flight: answers are dropped. */
static void
test_vanish_with_calls_in_flight(void **state)
{
    fixture *f = fixture_start(NULL);
    int fd = rpc_raw_connect(f->path);

    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9001, 0, 1, 0, NULL, 0);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 9001, 0, 2, 0, NULL, 0);
    for (int i = 0; i < 200 && nheld < 2; i++)
        usleep(10000);
    close(fd);
    wait_client_count(f, 0);
    on_loop(f, release_fn, NULL);   /* answered after the client left */
    good_client_works(f);
    fixture_stop(f);                /* the other one: after the server left */
}

/* Server keepalive: a silent client gets PINGs, then is dropped; one
 * that answers stays. */
static void
test_keepalive(void **state)
{
    evirt_rpc_server_limits l;
    evirt_rpc_server_limits_init(&l);
    l.keepalive_interval = 1;
    l.keepalive_count = 1;
    fixture *f = fixture_start(&l);
    int quiet = rpc_raw_connect(f->path);
    int alive = rpc_raw_connect(f->path);
    int never = rpc_raw_connect(f->path);    /* never asked: never pinged */
    const char *ping = "0000001c6b6565700000000100000001000000020000000000000000";
    const char *pong = "0000001c6b6565700000000100000002000000020000000000000000";

    rpc_raw_send_packet(quiet, REMOTE_PROG, 1, 9003, 0, 1, 0, NULL, 0);
    rpc_raw_expect_hex(quiet, "0000001c20008086000000010000232b000000010000000100000000");
    rpc_raw_send_packet(alive, REMOTE_PROG, 1, 9003, 0, 1, 0, NULL, 0);
    rpc_raw_expect_hex(alive, "0000001c20008086000000010000232b000000010000000100000000");

    for (int i = 0; i < 3; i++) {
        rpc_raw_expect_hex(alive, ping);
        rpc_raw_send_hex(alive, pong);
    }
    /* quiet got one PING (never answered), then was dropped */
    rpc_raw_expect_hex(quiet, ping);
    rpc_raw_expect_closed(quiet);
    close(quiet);
    assert_true(log_contains(f, "no keepalive response"));
    rpc_raw_expect_silence(never, 10);
    good_client_works(f);
    close(alive);
    close(never);
    wait_client_count(f, 0);
    fixture_stop(f);
}

/* A client that stops reading while messages keep coming is dropped once
 * max_event_backlog bytes wait for it, with a logged reason; a client
 * that reads gets every message; the server's memory stays bounded. */
static void
test_event_backlog(void **state)
{
    evirt_rpc_server_limits l;
    evirt_rpc_server_limits_init(&l);
    l.max_event_backlog = 256 * 1024;
    fixture *f = fixture_start(&l);
    int reader = rpc_raw_connect(f->path);
    int stuck = rpc_raw_connect(f->path);
    unsigned char arg[4];
    size_t len;

    /* 100 KiB of messages to a client that reads them all */
    rpc_raw_put32(arg, 100);
    rpc_raw_send_packet(reader, REMOTE_PROG, 1, 9004, 0, 1, 0, arg, 4);
    for (int i = 0; i < 100; i++) {
        unsigned char *p = rpc_raw_recv_packet(reader, &len);
        assert_int_equal(len, 28 + BLOB_SIZE);
        assert_int_equal(rpc_raw_get32(p + 12), 9004);  /* proc */
        assert_int_equal(rpc_raw_get32(p + 16), 2);     /* MESSAGE */
        free(p);
    }
    rpc_raw_expect_hex(reader, "0000002020008086000000010000232c00000001000000010000000000000064");

    /* 64 MiB asked of one that never reads: the socket's buffers fill,
     * then the backlog, then the server stops and drops it */
    rpc_raw_put32(arg, 65536);
    rpc_raw_send_packet(stuck, REMOTE_PROG, 1, 9004, 0, 1, 0, arg, 4);
    assert_true(log_contains(f, "not reading: "));
    wait_client_count(f, 1);
    rpc_raw_expect_closed(stuck);
    close(stuck);

    good_client_works(f);
    close(reader);
    wait_client_count(f, 0);
    fixture_stop(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_bytes),
        cmocka_unit_test(test_error_replies),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_vanishing_and_idle_clients),
        cmocka_unit_test(test_max_clients),
        cmocka_unit_test(test_max_requests),
        cmocka_unit_test(test_burst_in_one_write),
        cmocka_unit_test(test_vanish_with_calls_in_flight),
        cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_event_backlog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
