/*
 * rpc/client.h - the client side of libvirt's RPC over one transport.
 *
 * Protocol-agnostic: callers give program/version/procedure numbers and
 * XDR routines.  Calls are pipelined (any number in flight) and matched
 * to replies by serial, whatever order the replies come in.  Serials
 * start at 0 and grow by one per call, as libvirt's do.
 *
 * Guarantees: every call's done callback runs exactly once, on the loop's
 * thread, never from inside the function that submitted or cancelled it --
 * on success, server error, cancel, connection death, or client free (in
 * the last case from inside evirt_rpc_client_free()).
 *
 * Threads: everything here on the loop's thread.
 */
#ifndef EVIRT_RPC_CLIENT_H
#define EVIRT_RPC_CLIENT_H

#include <stdint.h>
#include <rpc/message.h>
#include <rpc/transport.h>

typedef struct evirt_rpc_client evirt_rpc_client;

/* Why the connection closed (libvirt's virConnectCloseReason numbers). */
typedef enum {
    EVIRT_RPC_CLOSE_ERROR     = 0, /* I/O or protocol error */
    EVIRT_RPC_CLOSE_EOF       = 1, /* the server closed it */
    EVIRT_RPC_CLOSE_KEEPALIVE = 2, /* the server stopped answering */
    EVIRT_RPC_CLOSE_CLIENT    = 3, /* evirt_rpc_client_close() */
} evirt_rpc_close_reason;

/*
 * A call finished.  err is NULL on success (ret filled).  Otherwise err
 * holds the server's error (code, domain, message... as sent) or a local
 * one; it is valid during the call and the callback may take it with
 * evirt_error_move(); the client resets it afterwards.  On failure ret
 * holds nothing to free (scalars in it may have been written).
 */
typedef void (*evirt_rpc_done_cb)(void *opaque, evirt_error *err);

/* A MESSAGE packet (an event) of a program with a handler. */
typedef void (*evirt_rpc_message_cb)(void *opaque, const evirt_rpc_header *hdr,
                                     const char *payload, size_t len);

/* The connection closed; err says why (NULL for CLIENT). */
typedef void (*evirt_rpc_close_cb)(void *opaque, int reason,
                                   const evirt_error *err);

/*
 * Takes ownership of t (also when it fails: NULL only on out of memory,
 * t freed).  t may still be connecting; calls queue until it is up.
 */
evirt_rpc_client *evirt_rpc_client_new(evirt_loop *loop, evirt_transport *t);

/*
 * Closes and frees.  Pending calls complete with EVIRT_ERR_OPERATION_ABORTED
 * from inside this function; the close callback is not called.  NULL ok.
 * Not from inside one of this client's callbacks.
 */
void evirt_rpc_client_free(evirt_rpc_client *c);

/*
 * Sends a CALL.  args are encoded with args_proc now (they may be freed
 * when this returns); ret (caller-allocated, zeroed, alive until done) is
 * filled by ret_proc on success and the caller xdr_free()s it.
 * *serial_out (may be NULL) receives the call's serial for cancel.
 * There is no send-side limit: packets wait in the transport's queue
 * (evirt_transport_queued() on evirt_rpc_client_transport() tells how
 * much).  Returns 0; done will be called.  Returns -1 only when done is NULL or
 * memory runs out (done will not be called).  A dead connection or args
 * that cannot be encoded are reported through done.
 *
 * Errors through done: the server's (as sent, see
 * evirt_rpc_error_decode() for the one rewrite); EVIRT_ERR_RPC "Unable to
 * decode message payload"; after the connection died, the error that
 * killed it (every pending call gets it, all at once), or for calls made
 * later EVIRT_ERR_INTERNAL_ERROR "client socket is closed";
 * EVIRT_ERR_OPERATION_ABORTED after cancel.
 */
int evirt_rpc_client_call(evirt_rpc_client *c, unsigned prog, unsigned vers,
                          int proc, xdrproc_t args_proc, const void *args,
                          xdrproc_t ret_proc, void *ret,
                          evirt_rpc_done_cb done, void *opaque,
                          uint32_t *serial_out);

/*
 * Cancels a pending call: done(EVIRT_ERR_OPERATION_ABORTED) runs on the
 * next loop iteration, ret is never touched again, and the reply, when it
 * comes, is read and dropped.  Unknown or finished serial: nothing.
 */
void evirt_rpc_client_cancel(evirt_rpc_client *c, uint32_t serial);

/*
 * Routes MESSAGE packets of program prog (any version) to fn; NULL fn
 * removes it.  Messages of programs without a handler are dropped
 * (logged).  Keepalive is handled internally.  0, or -1 (no memory).
 */
int evirt_rpc_client_set_message_handler(evirt_rpc_client *c, unsigned prog,
                                         evirt_rpc_message_cb fn, void *opaque);

/* Routes STREAM and STREAM_HOLE packets (any program) to fn. */
void evirt_rpc_client_set_stream_handler(evirt_rpc_client *c,
                                         evirt_rpc_message_cb fn, void *opaque);

/*
 * Sends any packet as is (stream data, MESSAGE): hdr + payload via proc.
 * 0, or -1 with err set (closed, or payload not encodable).
 */
int evirt_rpc_client_send(evirt_rpc_client *c, const evirt_rpc_header *hdr,
                          xdrproc_t proc, const void *payload, evirt_error *err);

/* Called once when the connection closes for any reason but free. */
void evirt_rpc_client_set_close_cb(evirt_rpc_client *c, evirt_rpc_close_cb fn,
                                   void *opaque);

/*
 * Keepalive (program 0x6b656570).  PINGs from the server are always
 * answered with PONG.  With interval_ms > 0 the client also sends a PING
 * whenever nothing was received for interval_ms, and declares the
 * connection dead (reason KEEPALIVE) when count PINGs in a row get no
 * traffic back (about interval_ms * (count + 1) of silence).
 * interval_ms <= 0 stops it.  libvirt's API speaks seconds: callers
 * multiply.  0, or -1 (loop refused a timer).
 */
int evirt_rpc_client_set_keepalive(evirt_rpc_client *c, int interval_ms,
                                   unsigned count);

/* Nonzero while the connection is usable. */
int evirt_rpc_client_is_alive(const evirt_rpc_client *c);
/* Number of calls waiting for a reply (cancelled ones not counted). */
size_t evirt_rpc_client_pending(const evirt_rpc_client *c);

/*
 * Closes the connection now: pending calls fail with
 * EVIRT_ERR_OPERATION_ABORTED and the close callback gets CLIENT, both on
 * the next loop iteration.  The client stays valid until freed.
 */
void evirt_rpc_client_close(evirt_rpc_client *c);

/* The transport (owned by the client), e.g. to check is_local. */
evirt_transport *evirt_rpc_client_transport(evirt_rpc_client *c);

#endif
