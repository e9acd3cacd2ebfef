/*
 * evirt/conn.h - connections.
 *
 * A connection is opened on a URI ("test:///default",
 * "qemu+ssh://root@host/system", ...) on a loop.  It is reference
 * counted: every object and every pending op holds a reference, so the
 * driver lets go of it when the application's last reference and the
 * last object are gone.
 */
#ifndef EVIRT_CONN_H
#define EVIRT_CONN_H

#include <evirt/common.h>
#include <evirt/types.h>
#include <evirt/loop.h>
#include <evirt/op.h>

EVIRT_BEGIN_DECLS

/* Credentials asked by open_auth (libvirt's virConnectCredential). */
typedef struct evirt_credential {
    int type;               /* evirt_connect_credential_type */
    const char *prompt;
    const char *challenge;
    const char *defresult;
    char *result;           /* malloc'd by the callback; evirt frees it */
    unsigned int resultlen;
} evirt_credential;

/* Fills each cred's result; returns 0, or -1 to refuse. */
typedef int (*evirt_auth_cb)(evirt_credential *cred, unsigned int ncred,
                             void *cbdata);

typedef struct evirt_auth {
    const int *credtype;    /* the evirt_connect_credential_type it handles */
    unsigned int ncredtype;
    evirt_auth_cb cb;
    void *cbdata;
} evirt_auth;

/*
 * Opens uri on loop (NULL: the default loop; a NULL uri means
 * "test:///default" when EVIRT_DEFAULT_URI is unset).  flags: 
 * EVIRT_CONNECT_RO for a read-only connection.  auth may be NULL; it is
 * used during the open only.  evirt_conn_open_finish() returns the new
 * connection (the caller owns one reference) or NULL.
 * Errors: EVIRT_ERR_NO_CONNECT (no driver claims the URI; the message
 * names it), EVIRT_ERR_INVALID_ARG (a URI that does not parse), and the
 * driver's own.
 */
EVIRT_API evirt_op *evirt_conn_open_async(evirt_loop *loop, const char *uri,
                                          evirt_auth *auth, unsigned int flags,
                                          evirt_callback cb, void *opaque);
EVIRT_API evirt_conn *evirt_conn_open_finish(evirt_op *op);

/*
 * Sync forms on the default loop, as libvirt's virConnectOpen* do.
 * Remote connections on the default loop do not ask the server for
 * keepalive pings: a sync-only program may leave the loop idle for a long
 * time, and unanswered pings would make the server drop the connection.
 * Open on a loop you run (evirt_conn_open_on, evirt_conn_open_async) to
 * have keepalive detect dead peers.
 */
EVIRT_API evirt_conn *evirt_conn_open(const char *uri);
EVIRT_API evirt_conn *evirt_conn_open_read_only(const char *uri);
EVIRT_API evirt_conn *evirt_conn_open_auth(const char *uri, evirt_auth *auth,
                                           unsigned int flags);
/* Sync open on a given loop. */
EVIRT_API evirt_conn *evirt_conn_open_on(evirt_loop *loop, const char *uri,
                                         evirt_auth *auth, unsigned int flags);

/*
 * Drops the caller's reference.  Returns the references left (objects
 * and ops still holding the connection), 0 when the connection is gone,
 * -1 for a NULL conn.  Pending ops complete normally.
 */
EVIRT_API int evirt_conn_close(evirt_conn *conn);
EVIRT_API evirt_conn *evirt_conn_ref(evirt_conn *conn);

/* The loop the connection runs on. */
EVIRT_API evirt_loop *evirt_conn_get_loop(evirt_conn *conn);
/* Nonzero for a read-only connection. */
EVIRT_API int evirt_conn_is_read_only(evirt_conn *conn);

/*
 * Default timeout of ops started on this connection from now on, in ms;
 * -1 (the default) for none.
 */
EVIRT_API void evirt_conn_set_op_timeout(evirt_conn *conn, int ms);

/*
 * Called once, on the loop, when the connection ends for a reason other
 * than the application's close: reason is an evirt_connect_close_reason.
 * One callback per connection; registering replaces the previous one
 * (whose ff runs).  ff(opaque) runs when the callback is replaced,
 * unregistered, or the connection is freed.
 */
typedef void (*evirt_conn_close_cb)(evirt_conn *conn, int reason, void *opaque);
EVIRT_API int evirt_conn_register_close_callback(evirt_conn *conn,
                                                 evirt_conn_close_cb cb,
                                                 void *opaque, evirt_free_cb ff);
EVIRT_API int evirt_conn_unregister_close_callback(evirt_conn *conn,
                                                   evirt_conn_close_cb cb);

EVIRT_END_DECLS

#endif
