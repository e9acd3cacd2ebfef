/*
 * tests/test-daemon-remote.c - evirtd's hand-written remote procedures
 * (daemon/remote.c) with the generated dispatch, on a real server and
 * the test driver, spoken to in raw bytes: virsh's handshake as captured
 * from libvirtd (rpc-captures/01, 15, 18), libvirtd's answers to a second
 * CONNECT_OPEN and to calls before it, test:///default shared between
 * clients, and read-only sockets forcing read-only connections.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "rpc/server.h"
#include "rpc/message.h"
#include "daemon/remote.h"

#define REMOTE_PROG 0x20008086u

typedef struct {
    char dir[64];
    char path[128];
    char path_ro[128];
    evirt_loop *loop;
    evirt_rpc_server *srv;
    pthread_t thread;
} fixture;

static void *
loop_thread(void *opaque)
{
    fixture *f = opaque;
    evirt_loop_run(f->loop);
    return NULL;
}

static fixture *
fixture_start(void)
{
    fixture *f = calloc(1, sizeof(*f));
    evirt_error err = { 0 };

    assert_non_null(f);
    strcpy(f->dir, "/tmp/test-daemon-remote-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/libvirt-sock", f->dir);
    snprintf(f->path_ro, sizeof(f->path_ro), "%s/libvirt-sock-ro", f->dir);
    f->loop = evirt_loop_new(NULL);
    f->srv = evirt_rpc_server_new(f->loop, NULL);
    assert_int_equal(evirtd_remote_register(f->srv, f->loop), 0);
    assert_int_equal(evirt_rpc_server_add_unix(f->srv, f->path, 0700, (gid_t)-1, 0, &err), 0);
    assert_int_equal(evirt_rpc_server_add_unix(f->srv, f->path_ro, 0777, (gid_t)-1, 1, &err), 0);
    assert_int_equal(pthread_create(&f->thread, NULL, loop_thread, f), 0);
    return f;
}

static void
fixture_stop(fixture *f)
{
    evirt_loop_quit(f->loop);
    pthread_join(f->thread, NULL);
    evirt_rpc_server_free(f->srv);
    evirtd_remote_shutdown();
    evirt_loop_free(f->loop);
    rmdir(f->dir);
    free(f);
}

static int
raw_connect_path(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct timeval tv = { 5, 0 };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    strcpy(sa.sun_path, path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

/* ---- raw client helpers ------------------------------------------------- */

static __attribute__((unused)) int
raw_connect(fixture *f)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct timeval tv = { 5, 0 };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    strcpy(sa.sun_path, f->path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

static void
send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

static void
send_hex(int fd, const char *hex)
{
    unsigned char buf[512];
    size_t n = 0;

    for (; hex[0] && hex[1]; hex += 2) {
        if (hex[0] == ' ') {
            hex--;
            continue;
        }
        unsigned int b;
        sscanf(hex, "%2x", &b);
        buf[n++] = (unsigned char)b;
    }
    send_all(fd, buf, n);
}

static void
put32(unsigned char *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint32_t
get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Sends a packet with the given header and raw payload. */
static void
send_packet(int fd, uint32_t prog, uint32_t vers, int32_t proc, int32_t type,
            uint32_t serial, int32_t status, const void *payload, size_t plen)
{
    unsigned char *buf = malloc(28 + plen);
    assert_non_null(buf);
    put32(buf, (uint32_t)(28 + plen));
    put32(buf + 4, prog);
    put32(buf + 8, vers);
    put32(buf + 12, (uint32_t)proc);
    put32(buf + 16, (uint32_t)type);
    put32(buf + 20, serial);
    put32(buf + 24, (uint32_t)status);
    if (plen)
        memcpy(buf + 28, payload, plen);
    send_all(fd, buf, 28 + plen);
    free(buf);
}

static int
recv_exact(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len) {
        ssize_t n = recv(fd, p, len, 0);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads one packet into a malloc'ed buffer; NULL on EOF/error. */
static unsigned char *
recv_packet(int fd, size_t *len)
{
    unsigned char lw[4];
    if (recv_exact(fd, lw, 4) < 0)
        return NULL;
    uint32_t l = get32(lw);
    assert_true(l >= 28 && l < 1000000);
    unsigned char *buf = malloc(l);
    assert_non_null(buf);
    memcpy(buf, lw, 4);
    if (recv_exact(fd, buf + 4, l - 4) < 0) {
        free(buf);
        return NULL;
    }
    *len = l;
    return buf;
}

static void
expect_hex(int fd, const char *hex)
{
    size_t len;
    unsigned char *p = recv_packet(fd, &len);
    char got[1024] = "";

    assert_non_null(p);
    for (size_t i = 0; i < len && i * 2 + 2 < sizeof(got); i++)
        sprintf(got + i * 2, "%02x", p[i]);
    free(p);
    assert_string_equal(got, hex);
}

/* The peer closed: EOF or reset, within the receive timeout. */
static void
expect_closed(int fd)
{
    char b[64];
    ssize_t n;
    do {
        n = recv(fd, b, sizeof(b), 0);
    } while (n > 0);
    assert_true(n == 0 || errno == ECONNRESET);
}

/* Nothing arrives within ms. */
static __attribute__((unused)) void
expect_silence(int fd, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    assert_int_equal(poll(&p, 1, ms), 0);
}

/* Receives an error reply and checks its header and error fields. */
static void
expect_error(int fd, size_t want_len, uint32_t prog, uint32_t vers, int32_t proc,
             uint32_t serial, int code, int domain, const char *message)
{
    size_t len;
    unsigned char *p = recv_packet(fd, &len);
    evirt_error e = { 0 };

    assert_non_null(p);
    assert_int_equal(get32(p + 4), prog);
    assert_int_equal(get32(p + 8), vers);
    assert_int_equal((int32_t)get32(p + 12), proc);
    assert_int_equal(get32(p + 16), 1);  /* REPLY */
    assert_int_equal(get32(p + 20), serial);
    assert_int_equal(get32(p + 24), 1);  /* ERROR */
    XDR x;
    xdrmem_create(&x, (char *)p + 28, (u_int)(len - 28), XDR_DECODE);
    assert_true(evirt_rpc_xdr_error(&x, &e));
    xdr_destroy(&x);
    assert_int_equal(e.code, code);
    assert_int_equal(e.domain, domain);
    assert_int_equal(e.level, 2);
    assert_string_equal(e.message, message);
    if (want_len)
        assert_int_equal(len, want_len);
    evirt_error_reset(&e);
    free(p);
}


static const char open_default[] =
    "00000038200080860000000100000001000000000000000200000000"
    "000000010000000f746573743a2f2f2f64656661756c740000000000";

static void
feature(int fd, uint32_t serial, int32_t feat, int32_t want)
{
    unsigned char a[4], want_hex[80];
    put32(a, (uint32_t)feat);
    send_packet(fd, REMOTE_PROG, 1, 60, 0, serial, 0, a, 4);
    snprintf((char *)want_hex, sizeof(want_hex),
             "0000002020008086000000010000003c00000001%08x00000000%08x",
             serial, (uint32_t)want);
    expect_hex(fd, (const char *)want_hex);
}

/* virsh's handshake, then libvirtd's answers around CONNECT_OPEN. */
static void
test_handshake(void **state)
{
    fixture *f = fixture_start();
    int fd = raw_connect_path(f->path);

    send_hex(fd, "0000001c200080860000000100000042000000000000000000000000");
    expect_hex(fd, "000000242000808600000001000000420000000100000000000000000000000100000000");
    feature(fd, 1, 10, 1);
    /* before CONNECT_OPEN only feature 10 is answerable */
    send_packet(fd, REMOTE_PROG, 1, 60, 0, 7, 0, "\0\0\0\x0e", 4);
    expect_error(fd, 0, REMOTE_PROG, 1, 60, 7, 1, 7,
                 "internal error: hypervisor connection not open");
    /* so is the generated dispatch (GET_TYPE = 3) */
    send_packet(fd, REMOTE_PROG, 1, 3, 0, 8, 0, NULL, 0);
    expect_error(fd, 0, REMOTE_PROG, 1, 3, 8, 1, 7,
                 "internal error: hypervisor connection not open");
    send_hex(fd, open_default);
    expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
    feature(fd, 4, 15, 1);
    feature(fd, 5, 2, 0);
    feature(fd, 6, 999, 0);
    /* REGISTER_CLOSE_CALLBACK (360) */
    send_packet(fd, REMOTE_PROG, 1, 360, 0, 9, 0, NULL, 0);
    expect_hex(fd, "0000001c200080860000000100000168000000010000000900000000");
    /* CONNECT_GET_URI (110) */
    send_packet(fd, REMOTE_PROG, 1, 110, 0, 10, 0, NULL, 0);
    expect_hex(fd, "000000302000808600000001" "0000006e" "00000001" "0000000a" "00000000"
                   "0000000f746573743a2f2f2f64656661756c7400");
    /* a second CONNECT_OPEN fails and drops the open connection */
    send_hex(fd, open_default);
    expect_error(fd, 0, REMOTE_PROG, 1, 1, 2, 1, 7, "internal error: connection already open");
    send_packet(fd, REMOTE_PROG, 1, 60, 0, 11, 0, "\0\0\0\x0f", 4);
    expect_error(fd, 0, REMOTE_PROG, 1, 60, 11, 1, 7,
                 "internal error: hypervisor connection not open");
    send_hex(fd, open_default);
    expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
    /* CONNECT_CLOSE: the reply, then the daemon closes the socket */
    send_packet(fd, REMOTE_PROG, 1, 2, 0, 12, 0, NULL, 0);
    expect_hex(fd, "0000001c200080860000000100000002000000010000000c00000000");
    expect_closed(fd);
    close(fd);
    fixture_stop(f);
}

/* Dom "test" of test:///default, as the wire carries it. */
static const char dom_test[] =
    "00000004" "74657374" "6695eb01f6a4830479aa97f2502e193f" "00000001";

static void
send_dom_call(int fd, int32_t proc, uint32_t serial, int with_flags)
{
    unsigned char buf[64];
    size_t n = 0;
    for (const char *h = dom_test; *h; h += 2) {
        unsigned int b;
        sscanf(h, "%2x", &b);
        buf[n++] = (unsigned char)b;
    }
    if (with_flags) {
        put32(buf + n, 0);
        n += 4;
    }
    send_packet(fd, REMOTE_PROG, 1, proc, 0, serial, 0, buf, n);
}

static void
open_client(fixture *f, int fd)
{
    send_hex(fd, open_default);
    expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
}

/* test:///default is one instance for every client while any uses it. */
static void
test_shared_default_and_read_only(void **state)
{
    fixture *f = fixture_start();
    int a = raw_connect_path(f->path);
    int b = raw_connect_path(f->path);
    int ro = raw_connect_path(f->path_ro);

    open_client(f, a);
    open_client(f, b);
    open_client(f, ro);     /* flags 0, but on the read-only socket */

    /* DOMAIN_SUSPEND (34) on the read-only socket is refused */
    send_dom_call(ro, 34, 3, 0);
    {
        size_t len;
        unsigned char *p = recv_packet(ro, &len);
        assert_non_null(p);
        assert_int_equal(get32(p + 24), 1);     /* status ERROR */
        free(p);
    }
    /* a suspends... */
    send_dom_call(a, 34, 3, 0);
    expect_hex(a, "0000001c200080860000000100000022000000010000000300000000");
    send_dom_call(a, 212, 5, 1);
    expect_hex(a, "00000024200080860000000100000" "0d4" "00000001000000050000000000000003" "00000001");
    /* ...b sees it paused: DOMAIN_GET_STATE (212) -> state 3 */
    send_dom_call(b, 212, 4, 1);
    expect_hex(b, "00000024200080860000000100000" "0d4" "00000001000000040000000000000003" "00000001");
    /* ...and so does the read-only client: one host for everybody */
    send_dom_call(ro, 212, 4, 1);
    expect_hex(ro, "00000024200080860000000100000" "0d4" "00000001000000040000000000000003" "00000001");
    close(a);
    close(b);
    close(ro);
    fixture_stop(f);
}

/*
 * Arguments over the protocol's limits are undecodable, as libvirtd sees
 * them: an error reply for that call, and the connection (and its open
 * hypervisor connection) keeps working.
 */
static void
test_over_limit_arguments(void **state)
{
    (void)state;
    fixture *f = fixture_start();
    int fd = raw_connect_path(f->path);

    /* CONNECT_OPEN whose name is one byte over the 4 MiB string limit. */
    size_t slen = 4194304 + 1, plen = 4 + 4 + ((slen + 3) & ~(size_t)3) + 4;
    unsigned char *big = calloc(1, plen);
    assert_non_null(big);
    put32(big, 1);                 /* name present */
    put32(big + 4, (uint32_t)slen);
    memset(big + 8, 'a', slen);
    send_packet(fd, REMOTE_PROG, 1, 1, 0, 1, 0, big, plen);
    free(big);
    expect_error(fd, 0, REMOTE_PROG, 1, 1, 1, EVIRT_ERR_RPC, EVIRT_FROM_RPC,
                 "Unable to decode message payload");

    /* The same connection still opens and serves calls. */
    send_hex(fd, open_default);
    expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");

    /* NODE_GET_FREE_PAGES with 1025 page sizes: the list limit is 1024. */
    size_t n = 1025;
    size_t alen = 4 + 4 * n + 4 + 4 + 4;
    unsigned char *args = calloc(1, alen);
    assert_non_null(args);
    put32(args, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        put32(args + 4 + 4 * i, 4);
    put32(args + 4 + 4 * n + 4, 1); /* cellCount */
    send_packet(fd, REMOTE_PROG, 1, 340, 0, 3, 0, args, alen);
    free(args);
    expect_error(fd, 0, REMOTE_PROG, 1, 340, 3, EVIRT_ERR_RPC, EVIRT_FROM_RPC,
                 "Unable to decode message payload");

    /* And a good call after both: feature 14 is answered. */
    feature(fd, 4, 14, 1);
    close(fd);
    fixture_stop(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_shared_default_and_read_only),
        cmocka_unit_test(test_over_limit_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
