/*
 * api/object-private.h - the insides of connections and handles.
 */
#ifndef EVIRT_OBJECT_PRIVATE_H
#define EVIRT_OBJECT_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <evirt/conn.h>
#include <evirt/domain.h>

typedef struct evirt_driver evirt_driver;
typedef struct evirt_event_registry evirt_event_registry;
typedef struct evirt_op_list evirt_op_list;

struct evirt_conn {
    atomic_int refs;
    evirt_loop *loop;
    char *uri;                 /* as opened, canonical */
    unsigned int flags;        /* evirt_connect_flags */
    int op_timeout_ms;         /* -1: none */
    const evirt_driver *driver;
    void *driver_data;         /* the driver's per-connection state */
    int closed;                /* the driver has let go (or died) */

    /* Ops in flight, so a dying connection can fail them all. */
    struct evirt_op *pending_head;

    evirt_event_registry *events;

    evirt_conn_close_cb close_cb;
    void *close_opaque;
    evirt_free_cb close_ff;
};

struct evirt_domain {
    atomic_int refs;
    evirt_conn *conn;
    char *name;
    unsigned char uuid[16];
    int id;
};

/* A new handle holding a reference on conn; NULL on OOM. */
evirt_domain *evirt_domain_new_handle(evirt_conn *conn, const char *name,
                                      const unsigned char *uuid, int id);

/* Fires the close callback once with reason (driver side, on the loop). */
void evirt_conn_notify_closed(evirt_conn *conn, int reason);

#endif
