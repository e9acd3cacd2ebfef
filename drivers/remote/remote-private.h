/*
 * drivers/remote/remote-private.h - what the remote driver's files share:
 * the per-connection state, the URI-to-transport rules and the event glue.
 *
 * The driver reaches a libvirt daemon (libvirtd, virtqemud, evirtd...) over
 * libvirt's RPC.  Every function here runs on the connection's loop thread.
 */
#ifndef EVIRT_REMOTE_PRIVATE_H
#define EVIRT_REMOTE_PRIVATE_H

#include "api/driver.h"
#include "rpc/client.h"

/* How the bytes travel (the "+transport" of the URI). */
typedef enum {
    REMOTE_TRANSPORT_UNIX,
    REMOTE_TRANSPORT_TCP,
    REMOTE_TRANSPORT_TLS,
    REMOTE_TRANSPORT_SSH,
    REMOTE_TRANSPORT_EXT,
    REMOTE_TRANSPORT_LIBSSH,   /* libssh / libssh2: not built in */
} remote_transport_kind;

/* Everything the URI says about reaching the daemon. */
typedef struct remote_target {
    remote_transport_kind kind;
    char *name;        /* the URI sent in CONNECT_OPEN ("" = daemon's default) */
    char *socket;      /* unix: the socket path; ssh: the far socket */
    char *host;        /* tcp/tls/ssh */
    char *port;        /* tcp/tls/ssh, as a service string; NULL = default */
    char *user;        /* ssh */
    char *command;     /* ext: the program; ssh: the ssh binary */
    char *netcat;      /* ssh: the far netcat, NULL = auto */
    char *keyfile;     /* ssh */
    char *auth;        /* "sasl[.MECH]", "polkit" or NULL */
    int no_tty;
    int no_verify;
    int read_only;
} remote_target;

/* One server-side event registration (one per family/event id). */
typedef struct remote_event_reg {
    int family;
    int event_id;
    int callback_id;   /* the server's, -1 while the register call runs */
    int unwanted;      /* deregister as soon as the register call answers */
    struct remote_event_reg *next;
} remote_event_reg;

/* conn->driver_data of an open remote connection. */
typedef struct remote_priv {
    evirt_conn *conn;
    evirt_rpc_client *client;
    int dead;              /* the RPC connection is gone */
    int callback_events;   /* feature 14: callback-form events */
    int close_callback;    /* feature 15: server tells us it closed */
    int keepalive;         /* feature 10 and our pings are on */
    int tls;               /* the stream is encrypted (TLS) */
    remote_event_reg *regs;
} remote_priv;

/* libvirt's keepalive defaults (interval in seconds, count). */
#define REMOTE_KEEPALIVE_INTERVAL 5
#define REMOTE_KEEPALIVE_COUNT    5

/* remote-open.c */
int remote_target_from_uri(const evirt_uri *uri, unsigned int flags,
                           remote_target *t, evirt_error *err);
void remote_target_clear(remote_target *t);
/* argv for the ssh command transport (NULL-terminated, free with
 * remote_argv_free), or NULL on OOM. */
char **remote_ssh_argv(const remote_target *t);
void remote_argv_free(char **argv);
void remote_open(evirt_op *op, evirt_conn *conn, const evirt_uri *uri,
                 evirt_auth *auth);

/*
 * For evirtd (call once at start): inside a daemon the remote driver only
 * takes URIs naming another host, so a client cannot make the daemon
 * connect to itself (or to the local libvirtd) through a unix socket.
 */
void evirt_remote_driver_set_in_daemon(int on);

/* remote-driver.c: the driver (its table filled on first use). */
const evirt_driver *evirt_remote_driver_get(void);
/* An empty XDR body. */
bool_t remote_xdr_empty(XDR *xdrs, void *p);
/* remote-driver.c: the connection died (fails ops, fires the close cb). */
void remote_conn_died(remote_priv *priv, int reason, const evirt_error *err);
/* Frees a client later, from a clean stack (never inside its callbacks). */
void remote_client_free_later(evirt_loop *loop, evirt_rpc_client *client);

/* remote-events.c */
void remote_event_register(evirt_op *op, evirt_conn *conn, int family, int event_id);
void remote_event_unregister(evirt_conn *conn, int family, int event_id);
void remote_events_message(void *opaque, const evirt_rpc_header *hdr,
                           const char *payload, size_t len);
void remote_events_clear(remote_priv *priv);

#endif
