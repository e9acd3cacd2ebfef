/*
 * tests/rpc-raw.c - the byte-level RPC client shared by the server and
 * daemon tests (see rpc-raw.h).
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

#include <evirt/error.h>
#include "rpc/message.h"
#include "tests/rpc-raw.h"

static void *
loop_thread(void *opaque)
{
    evirt_loop_run(opaque);
    return NULL;
}

pthread_t
rpc_raw_run_loop(evirt_loop *loop)
{
    pthread_t thread;

    assert_int_equal(pthread_create(&thread, NULL, loop_thread, loop), 0);
    return thread;
}

void
rpc_raw_stop_loop(evirt_loop *loop, pthread_t thread)
{
    evirt_loop_quit(loop);
    pthread_join(thread, NULL);
}

int
rpc_raw_connect(const char *path)
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

void
rpc_raw_send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

void
rpc_raw_send_hex(int fd, const char *hex)
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
    rpc_raw_send_all(fd, buf, n);
}

void
rpc_raw_put32(unsigned char *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

uint32_t
rpc_raw_get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void
rpc_raw_send_packet(int fd, uint32_t prog, uint32_t vers, int32_t proc,
                    int32_t type, uint32_t serial, int32_t status,
                    const void *payload, size_t plen)
{
    unsigned char *buf = malloc(28 + plen);
    assert_non_null(buf);
    rpc_raw_put32(buf, (uint32_t)(28 + plen));
    rpc_raw_put32(buf + 4, prog);
    rpc_raw_put32(buf + 8, vers);
    rpc_raw_put32(buf + 12, (uint32_t)proc);
    rpc_raw_put32(buf + 16, (uint32_t)type);
    rpc_raw_put32(buf + 20, serial);
    rpc_raw_put32(buf + 24, (uint32_t)status);
    if (plen)
        memcpy(buf + 28, payload, plen);
    rpc_raw_send_all(fd, buf, 28 + plen);
    free(buf);
}

int
rpc_raw_recv_exact(int fd, void *buf, size_t len)
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

unsigned char *
rpc_raw_recv_packet(int fd, size_t *len)
{
    unsigned char lw[4];
    if (rpc_raw_recv_exact(fd, lw, 4) < 0)
        return NULL;
    uint32_t l = rpc_raw_get32(lw);
    assert_true(l >= 28 && l < 1000000);
    unsigned char *buf = malloc(l);
    assert_non_null(buf);
    memcpy(buf, lw, 4);
    if (rpc_raw_recv_exact(fd, buf + 4, l - 4) < 0) {
        free(buf);
        return NULL;
    }
    *len = l;
    return buf;
}

void
rpc_raw_expect_hex(int fd, const char *hex)
{
    size_t len;
    unsigned char *p = rpc_raw_recv_packet(fd, &len);
    char got[1024] = "";

    assert_non_null(p);
    for (size_t i = 0; i < len && i * 2 + 2 < sizeof(got); i++)
        sprintf(got + i * 2, "%02x", p[i]);
    free(p);
    assert_string_equal(got, hex);
}

void
rpc_raw_expect_closed(int fd)
{
    char b[64];
    ssize_t n;
    do {
        n = recv(fd, b, sizeof(b), 0);
    } while (n > 0);
    assert_true(n == 0 || errno == ECONNRESET);
}

void
rpc_raw_expect_silence(int fd, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    assert_int_equal(poll(&p, 1, ms), 0);
}

void
rpc_raw_expect_error(int fd, size_t want_len, uint32_t prog, uint32_t vers,
                     int32_t proc, uint32_t serial, int code, int domain,
                     const char *message)
{
    size_t len;
    unsigned char *p = rpc_raw_recv_packet(fd, &len);
    evirt_error e = { 0 };

    assert_non_null(p);
    assert_int_equal(rpc_raw_get32(p + 4), prog);
    assert_int_equal(rpc_raw_get32(p + 8), vers);
    assert_int_equal((int32_t)rpc_raw_get32(p + 12), proc);
    assert_int_equal(rpc_raw_get32(p + 16), 1);  /* REPLY */
    assert_int_equal(rpc_raw_get32(p + 20), serial);
    assert_int_equal(rpc_raw_get32(p + 24), 1);  /* ERROR */
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
