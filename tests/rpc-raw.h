/*
 * tests/rpc-raw.h - a byte-level RPC client for tests that check the
 * server's exact wire answers (test-rpc-server, test-daemon-remote,
 * test-daemon-events).  Every helper fails the running cmocka test
 * itself instead of returning an error, except where noted.
 *
 * Packets are libvirt's: a 4-byte length then a 24-byte header (prog,
 * vers, proc, type, serial, status), big-endian.
 */
#ifndef EVIRT_TESTS_RPC_RAW_H
#define EVIRT_TESTS_RPC_RAW_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <evirt/loop.h>

/* Starts a thread that runs loop (the test server's) until it quits. */
pthread_t rpc_raw_run_loop(evirt_loop *loop);

/* Quits loop and waits for the thread rpc_raw_run_loop() started. */
void rpc_raw_stop_loop(evirt_loop *loop, pthread_t thread);

/* A connected UNIX stream socket to path with a 5 s receive timeout. */
int rpc_raw_connect(const char *path);

void rpc_raw_send_all(int fd, const void *data, size_t len);

/* Sends the bytes spelled by hex digits; spaces are skipped. */
void rpc_raw_send_hex(int fd, const char *hex);

void rpc_raw_put32(unsigned char *p, uint32_t v);
uint32_t rpc_raw_get32(const unsigned char *p);

/* Sends a packet with the given header and raw payload. */
void rpc_raw_send_packet(int fd, uint32_t prog, uint32_t vers, int32_t proc,
                         int32_t type, uint32_t serial, int32_t status,
                         const void *payload, size_t plen);

/* Returns 0, or -1 on EOF/error (no assertion). */
int rpc_raw_recv_exact(int fd, void *buf, size_t len);

/* One packet in a malloc'ed buffer the caller frees; NULL on EOF/error. */
unsigned char *rpc_raw_recv_packet(int fd, size_t *len);

/* The next packet, as lowercase hex, equals hex. */
void rpc_raw_expect_hex(int fd, const char *hex);

/* The peer closed: EOF or reset, within the receive timeout. */
void rpc_raw_expect_closed(int fd);

/* Nothing arrives within ms. */
void rpc_raw_expect_silence(int fd, int ms);

/* The next packet is an error REPLY with this header and error code,
 * domain, level 2 and message; want_len (when not 0) is its length. */
void rpc_raw_expect_error(int fd, size_t want_len, uint32_t prog, uint32_t vers,
                          int32_t proc, uint32_t serial, int code, int domain,
                          const char *message);

#endif /* EVIRT_TESTS_RPC_RAW_H */
