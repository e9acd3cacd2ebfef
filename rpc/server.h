/*
 * rpc/server.h - the server side of libvirt's RPC protocol.
 *
 * A server owns listeners (UNIX and TCP sockets) and the clients accepted
 * on them, all on one evirt_loop.  Programs (remote, qemu, ...) are tables
 * of procedures registered with evirt_rpc_server_add_program(); for each
 * CALL the server decodes the arguments with the procedure's XDR routine
 * and calls its handler on the loop's thread.  The handler answers at once
 * or later with evirt_rpc_call_reply() / evirt_rpc_call_reply_error().
 *
 * What the server itself takes care of, as libvirtd does:
 *  - framing, the size limit (a length word over the limit closes the
 *    connection before anything is allocated),
 *  - unknown program / version / procedure, a CALL with status != OK and
 *    undecodable arguments: an error reply (code 39 RPC, domain 7 RPC),
 *  - REPLY / MESSAGE / STREAM packets a client should not send: dropped,
 *  - keepalive (program 0x6b656570): PINGs answered at any time; server
 *    pings once evirt_rpc_server_client_start_keepalive() was called,
 *  - limits: max clients (extra connections are closed at once), max calls
 *    in flight per client (the server stops reading that client until one
 *    completes), a bounded write queue (stops reading while it is full).
 *
 * Threads: every function here must be called on the loop's thread, except
 * where a function says otherwise.  The server creates no threads.
 */
#ifndef EVIRT_RPC_SERVER_H
#define EVIRT_RPC_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <rpc/rpc.h>            /* xdrproc_t (libtirpc) */
#include <evirt/loop.h>
#include <evirt/error.h>

typedef struct evirt_rpc_server evirt_rpc_server;
typedef struct evirt_rpc_server_client evirt_rpc_server_client;
typedef struct evirt_rpc_call evirt_rpc_call;

typedef struct evirt_rpc_server_limits {
    /* Clients connected at once; one more is accepted and closed at once. */
    unsigned int max_clients;
    /* CALLs being handled per client before the server stops reading it. */
    unsigned int max_client_requests;
    /* Largest packet accepted, length word included (libvirt: 16 MiB + 4). */
    size_t max_message;
    /* Bytes queued for one client before the server stops reading it. */
    size_t max_write_queue;
    /* Bytes queued for one client past which a message the server sends
     * on its own (an event) drops the client instead of growing its queue:
     * a client that stopped reading must not hold the daemon's memory.
     * Replies never count against it (reading stops first). */
    size_t max_event_backlog;
    /* Seconds of silence before a PING; <= 0: never ping (still answer). */
    int keepalive_interval;
    /* Unanswered PINGs after which the client is dropped. */
    unsigned int keepalive_count;
} evirt_rpc_server_limits;

/* libvirtd's defaults: 5000 clients, 5 requests, 16 MiB + 4, 5 s, 5;
 * write queue 4 MiB and event backlog 64 MiB (libvirtd has no such caps). */
void evirt_rpc_server_limits_init(evirt_rpc_server_limits *limits);

/* Flags of evirt_rpc_proc. */
enum {
    /* Cheap call that must never wait behind slow ones (informational for
     * now: every handler runs on the loop and must not block anyway). */
    EVIRT_RPC_PROC_HIGH_PRIORITY = 1 << 0,
};

/*
 * One procedure of a program.  args_size / ret_size are the sizes of the
 * rpcgen structs (0 with xdr_void).  The server hands the handler a zeroed
 * buffer of args_size bytes filled by args_proc; it stays valid until the
 * call has been answered AND the handler has returned, then the server
 * xdr_free()s and frees it.  Answering from inside the handler is fine.
 */
typedef struct evirt_rpc_proc {
    int proc;
    xdrproc_t args_proc;
    size_t args_size;
    xdrproc_t ret_proc;
    size_t ret_size;
    void (*handler)(evirt_rpc_call *call, void *args);
    unsigned int flags;
} evirt_rpc_proc;

/*
 * A server on loop.  limits NULL: libvirtd's defaults.  The loop must
 * outlive the server.  Returns NULL on allocation failure.
 */
evirt_rpc_server *evirt_rpc_server_new(evirt_loop *loop,
                                       const evirt_rpc_server_limits *limits);

/*
 * Closes every listener and client and frees the server.  Calls still
 * being handled stay valid: their replies are dropped, and each client
 * (with its data, see set_data) is freed once its last call is answered.
 */
void evirt_rpc_server_free(evirt_rpc_server *s);

/*
 * Registers a program.  procs (sorted or not, procedure numbers unique) is
 * NOT copied: it must stay valid as long as the server (a static table).
 * Returns 0, or -1 when (prog, vers) is already registered.
 */
int evirt_rpc_server_add_program(evirt_rpc_server *s, unsigned int prog,
                                 unsigned int vers,
                                 const evirt_rpc_proc *procs, size_t nprocs);

/*
 * Listens on a UNIX stream socket at path: a stale socket file is
 * unlinked first (a path in use by a live server is an error), then the
 * socket is chmod'ed to mode and chown'ed to group (gid (gid_t)-1: left
 * as is).  Clients accepted on a read_only listener are read-only
 * (evirt_rpc_server_client_is_read_only).  The file is unlinked when the
 * server is freed.  Returns 0, or -1 with err filled (err may be NULL).
 */
int evirt_rpc_server_add_unix(evirt_rpc_server *s, const char *path,
                              mode_t mode, gid_t group, int read_only,
                              evirt_error *err);

/*
 * Listens on TCP: addr NULL or "" means every address (IPv6 and IPv4),
 * otherwise a numeric or resolvable address; every address it resolves
 * to gets a listener.  service is a port number ("16509").  port_out, if
 * not NULL, gets the bound port (useful with service "0").  Returns 0, or
 * -1 with err filled.
 */
int evirt_rpc_server_add_tcp(evirt_rpc_server *s, const char *addr,
                             const char *service, int read_only,
                             int *port_out, evirt_error *err);

/*
 * Serves an already connected stream socket (socketpair, socket
 * activation, tests).  The server takes the fd (closes it on failure too).
 * Returns the client (owned by the server) or NULL.
 */
evirt_rpc_server_client *evirt_rpc_server_add_client_fd(evirt_rpc_server *s,
                                                        int fd, int read_only);

/* Clients currently connected. */
size_t evirt_rpc_server_client_count(evirt_rpc_server *s);

/* ---- calls ---------------------------------------------------------- */

/*
 * Answers call with ret encoded by the procedure's ret_proc (ret NULL is
 * fine with xdr_void).  ret stays the caller's (the server only reads it).
 * Exactly one of reply / reply_error per call; afterwards call is gone
 * (except inside the handler that still runs: it may not touch call after
 * answering).  If the client went away meanwhile, the answer is dropped.
 * An encoding failure sends the RPC error libvirtd sends instead.
 */
void evirt_rpc_call_reply(evirt_rpc_call *call, const void *ret);

/*
 * Answers call with a REPLY/ERROR carrying err (libvirt's error struct).
 * err NULL or err->code 0 sends libvirtd's "Library function returned
 * error but did not set virError" (code 1, domain 7).
 */
void evirt_rpc_call_reply_error(evirt_rpc_call *call, const evirt_error *err);

/* The client that made the call (valid until the call is answered). */
evirt_rpc_server_client *evirt_rpc_call_client(evirt_rpc_call *call);
/* Header fields of the call. */
unsigned int evirt_rpc_call_program(evirt_rpc_call *call);
unsigned int evirt_rpc_call_version(evirt_rpc_call *call);
int evirt_rpc_call_procedure(evirt_rpc_call *call);
uint32_t evirt_rpc_call_serial(evirt_rpc_call *call);

/* ---- clients -------------------------------------------------------- */

/*
 * Per-client data for the program layer (the daemon keeps its connection
 * here).  set_data replaces the previous data (calling its free_fn).
 * free_fn runs when the client is freed: after the socket closed AND every
 * call of the client has been answered.  get_data returns NULL if unset.
 */
void *evirt_rpc_server_client_get_data(evirt_rpc_server_client *client);
void evirt_rpc_server_client_set_data(evirt_rpc_server_client *client,
                                      void *data, void (*free_fn)(void *));

/* Nonzero for a client accepted on a read-only listener. */
int evirt_rpc_server_client_is_read_only(evirt_rpc_server_client *client);

/* Nonzero once the connection is closed (sends are dropped then). */
int evirt_rpc_server_client_is_closed(evirt_rpc_server_client *client);

/* A small unique id for logs (1, 2, ...). */
unsigned long long evirt_rpc_server_client_id(evirt_rpc_server_client *client);

/*
 * Called once when the client's connection closes (EOF, error, limit,
 * keepalive timeout, server free, or evirt_rpc_server_client_close), before
 * its calls are answered.  One callback per client; NULL unsets.
 */
void evirt_rpc_server_client_set_close_cb(evirt_rpc_server_client *client,
                                          void (*cb)(evirt_rpc_server_client *client,
                                                     void *opaque),
                                          void *opaque);

/*
 * Closes the connection once what is already queued (e.g. the reply of
 * CONNECT_CLOSE, sent just before) has been written.  Nothing more is read.
 */
void evirt_rpc_server_client_close(evirt_rpc_server_client *client);

/*
 * Sends a MESSAGE (events): header (prog, vers, proc, MESSAGE, serial,
 * OK) and payload encoded by proc_xdr.  libvirtd uses serial 1 for events.
 * Returns 0, or -1 (client closed, encoding failure, too big).
 */
int evirt_rpc_server_client_send_message(evirt_rpc_server_client *client,
                                         unsigned int prog, unsigned int vers,
                                         int proc, uint32_t serial,
                                         xdrproc_t proc_xdr,
                                         const void *payload);

/*
 * Starts server-side keepalive for this client (the daemon calls it when
 * the client asked CONNECT_SUPPORTS_FEATURE(10)): after interval seconds
 * without any packet from the client a PING is sent, after count more
 * silent intervals the client is dropped.  No-op when the server's
 * keepalive_interval <= 0 or already started.
 */
void evirt_rpc_server_client_start_keepalive(evirt_rpc_server_client *client);

#endif
