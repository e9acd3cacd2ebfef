/*
 * rpc/server-private.h - what server.c (listeners) and server-client.c
 * (one connection: reading, dispatch, writing, keepalive) share.
 */
#ifndef EVIRT_RPC_SERVER_PRIVATE_H
#define EVIRT_RPC_SERVER_PRIVATE_H

#include "rpc/server.h"
#include "rpc/message.h"

typedef struct server_program {
    unsigned int prog;
    unsigned int vers;
    const evirt_rpc_proc *procs;
    size_t nprocs;
    int sorted;          /* procs sorted by number: binary search */
} server_program;

typedef struct server_listener {
    struct server_listener *next;
    evirt_rpc_server *srv;
    int fd;
    int watch;
    int read_only;
    char *unix_path;     /* unlinked when the server goes */
} server_listener;

struct evirt_rpc_server {
    evirt_loop *loop;
    evirt_rpc_server_limits limits;
    server_program *programs;
    size_t nprograms;
    server_listener *listeners;
    evirt_rpc_server_client *clients;  /* open clients, doubly linked */
    size_t nclients;
    unsigned long long next_client_id;
    /* One input buffer of READ_CHUNK bytes kept back from a client that
     * emptied its own, for the next client that reads: a busy client then
     * reads without a malloc/free per call, and idle clients still hold
     * no buffer (all reads happen on the loop's thread). */
    char *spare_ibuf;
};

/* One packet waiting to be written. */
typedef struct server_out {
    struct server_out *next;
    char *data;
    size_t len;
    size_t off;          /* already written */
} server_out;

struct evirt_rpc_server_client {
    evirt_rpc_server *srv;           /* NULL once closed */
    evirt_rpc_server_client *prev, *next;
    unsigned long long id;
    int refs;            /* the open connection + each call + running callbacks */
    int fd;
    int watch;
    int events;          /* what the watch asks for now */
    int read_only;
    int closed;
    int closing;         /* close once the write queue is empty */

    /* Reading: bytes received but not yet dispatched, ibuf[ioff..ilen).
     * Allocated while it holds something (idle clients keep none).  A
     * length word is checked against our limit before the buffer is
     * grown to hold its packet. */
    char *ibuf;
    size_t icap, ioff, ilen;
    int resume_timer;    /* 0-ms timer: dispatch buffered packets */
    int resume_armed;
    int in_event;        /* in a loop callback: replies are coalesced */
    int flush_pending;   /* replies held for the resume timer's flush */
    int overflowed;      /* over max_event_backlog: the resume timer closes it */

    server_out *out_head, *out_tail;
    size_t out_bytes;

    unsigned int nrequests;          /* calls handled but not answered */

    void *data;
    void (*data_free)(void *);
    void (*close_cb)(evirt_rpc_server_client *, void *);
    void *close_opaque;

    int ka_timer;                    /* 0 = keepalive off */
    int ka_heard;                    /* a packet came since the last tick */
    unsigned int ka_unanswered;      /* PINGs sent into silence */
};

/* server-client.c */
evirt_rpc_server_client *evirt_rpc_server_client_new_(evirt_rpc_server *s,
                                                      int fd, int read_only);
/* Closes the connection now (reason logged); the struct lives on while
 * calls are outstanding. */
void evirt_rpc_server_client_close_now_(evirt_rpc_server_client *c,
                                        const char *reason);

/* server.c */
const server_program *evirt_rpc_server_find_program_(evirt_rpc_server *s,
                                                     unsigned int prog,
                                                     unsigned int vers);
const evirt_rpc_proc *evirt_rpc_server_find_proc_(const server_program *p,
                                                  int proc);

#endif
