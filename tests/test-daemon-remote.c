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
#include "tests/rpc-raw.h"
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
    f->thread = rpc_raw_run_loop(f->loop);
    return f;
}

static void
fixture_stop(fixture *f)
{
    rpc_raw_stop_loop(f->loop, f->thread);
    evirt_rpc_server_free(f->srv);
    evirtd_remote_shutdown();
    evirt_loop_free(f->loop);
    rmdir(f->dir);
    free(f);
}


static const char open_default[] =
    "00000038200080860000000100000001000000000000000200000000"
    "000000010000000f746573743a2f2f2f64656661756c740000000000";

static void
feature(int fd, uint32_t serial, int32_t feat, int32_t want)
{
    unsigned char a[4], want_hex[80];
    rpc_raw_put32(a, (uint32_t)feat);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, serial, 0, a, 4);
    snprintf((char *)want_hex, sizeof(want_hex),
             "0000002020008086000000010000003c00000001%08x00000000%08x",
             serial, (uint32_t)want);
    rpc_raw_expect_hex(fd, (const char *)want_hex);
}

/* virsh's handshake, then libvirtd's answers around CONNECT_OPEN. */
static void
test_handshake(void **state)
{
    fixture *f = fixture_start();
    int fd = rpc_raw_connect(f->path);

    rpc_raw_send_hex(fd, "0000001c200080860000000100000042000000000000000000000000");
    rpc_raw_expect_hex(fd, "000000242000808600000001000000420000000100000000000000000000000100000000");
    feature(fd, 1, 10, 1);
    /* before CONNECT_OPEN only feature 10 is answerable */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, 7, 0, "\0\0\0\x0e", 4);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 60, 7, 1, 7,
                 "internal error: hypervisor connection not open");
    /* so is the generated dispatch (GET_TYPE = 3) */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 3, 0, 8, 0, NULL, 0);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 3, 8, 1, 7,
                 "internal error: hypervisor connection not open");
    rpc_raw_send_hex(fd, open_default);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
    feature(fd, 4, 15, 1);
    feature(fd, 5, 2, 0);
    feature(fd, 6, 999, 0);
    /* REGISTER_CLOSE_CALLBACK (360) */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 360, 0, 9, 0, NULL, 0);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000168000000010000000900000000");
    /* CONNECT_GET_URI (110) */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 110, 0, 10, 0, NULL, 0);
    rpc_raw_expect_hex(fd, "000000302000808600000001" "0000006e" "00000001" "0000000a" "00000000"
                   "0000000f746573743a2f2f2f64656661756c7400");
    /* a second CONNECT_OPEN fails and drops the open connection */
    rpc_raw_send_hex(fd, open_default);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 1, 2, 1, 7, "internal error: connection already open");
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 60, 0, 11, 0, "\0\0\0\x0f", 4);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 60, 11, 1, 7,
                 "internal error: hypervisor connection not open");
    rpc_raw_send_hex(fd, open_default);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
    /* CONNECT_CLOSE: the reply, then the daemon closes the socket */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 2, 0, 12, 0, NULL, 0);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000002000000010000000c00000000");
    rpc_raw_expect_closed(fd);
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
        rpc_raw_put32(buf + n, 0);
        n += 4;
    }
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, proc, 0, serial, 0, buf, n);
}

static void
open_client(fixture *f, int fd)
{
    rpc_raw_send_hex(fd, open_default);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");
}

/* test:///default is one instance for every client while any uses it. */
static void
test_shared_default_and_read_only(void **state)
{
    fixture *f = fixture_start();
    int a = rpc_raw_connect(f->path);
    int b = rpc_raw_connect(f->path);
    int ro = rpc_raw_connect(f->path_ro);

    open_client(f, a);
    open_client(f, b);
    open_client(f, ro);     /* flags 0, but on the read-only socket */

    /* DOMAIN_SUSPEND (34) on the read-only socket is refused */
    send_dom_call(ro, 34, 3, 0);
    {
        size_t len;
        unsigned char *p = rpc_raw_recv_packet(ro, &len);
        assert_non_null(p);
        assert_int_equal(rpc_raw_get32(p + 24), 1);     /* status ERROR */
        free(p);
    }
    /* a suspends... */
    send_dom_call(a, 34, 3, 0);
    rpc_raw_expect_hex(a, "0000001c200080860000000100000022000000010000000300000000");
    send_dom_call(a, 212, 5, 1);
    rpc_raw_expect_hex(a, "00000024200080860000000100000" "0d4" "00000001000000050000000000000003" "00000001");
    /* ...b sees it paused: DOMAIN_GET_STATE (212) -> state 3 */
    send_dom_call(b, 212, 4, 1);
    rpc_raw_expect_hex(b, "00000024200080860000000100000" "0d4" "00000001000000040000000000000003" "00000001");
    /* ...and so does the read-only client: one host for everybody */
    send_dom_call(ro, 212, 4, 1);
    rpc_raw_expect_hex(ro, "00000024200080860000000100000" "0d4" "00000001000000040000000000000003" "00000001");
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
    int fd = rpc_raw_connect(f->path);

    /* CONNECT_OPEN whose name is one byte over the 4 MiB string limit. */
    size_t slen = 4194304 + 1, plen = 4 + 4 + ((slen + 3) & ~(size_t)3) + 4;
    unsigned char *big = calloc(1, plen);
    assert_non_null(big);
    rpc_raw_put32(big, 1);                 /* name present */
    rpc_raw_put32(big + 4, (uint32_t)slen);
    memset(big + 8, 'a', slen);
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 1, 0, 1, 0, big, plen);
    free(big);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 1, 1, EVIRT_ERR_RPC, EVIRT_FROM_RPC,
                 "Unable to decode message payload");

    /* The same connection still opens and serves calls. */
    rpc_raw_send_hex(fd, open_default);
    rpc_raw_expect_hex(fd, "0000001c200080860000000100000001000000010000000200000000");

    /* NODE_GET_FREE_PAGES with 1025 page sizes: the list limit is 1024. */
    size_t n = 1025;
    size_t alen = 4 + 4 * n + 4 + 4 + 4;
    unsigned char *args = calloc(1, alen);
    assert_non_null(args);
    rpc_raw_put32(args, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        rpc_raw_put32(args + 4 + 4 * i, 4);
    rpc_raw_put32(args + 4 + 4 * n + 4, 1); /* cellCount */
    rpc_raw_send_packet(fd, REMOTE_PROG, 1, 340, 0, 3, 0, args, alen);
    free(args);
    rpc_raw_expect_error(fd, 0, REMOTE_PROG, 1, 340, 3, EVIRT_ERR_RPC, EVIRT_FROM_RPC,
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
