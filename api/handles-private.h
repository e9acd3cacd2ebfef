/*
 * api/handles-private.h - the layout of the non-domain handles, and how
 * drivers make them.
 */
#ifndef EVIRT_HANDLES_PRIVATE_H
#define EVIRT_HANDLES_PRIVATE_H

#include <stdatomic.h>
#include <evirt/conn.h>
#include <evirt/handles.h>

typedef struct evirt_handle {
    atomic_int refs;
    evirt_conn *conn;
    char *name;
    unsigned char uuid[16]; /* networks and pools */
    char *extra1;           /* volume: key; interface: MAC */
    char *extra2;           /* volume: pool name */
} evirt_handle;

struct evirt_network { evirt_handle h; };
struct evirt_storage_pool { evirt_handle h; };
struct evirt_storage_vol { evirt_handle h; };
struct evirt_interface { evirt_handle h; };
struct evirt_nodedev { evirt_handle h; };

/* New handles holding a reference on conn; NULL on OOM.  Arguments a
 * type does not use are NULL. */
evirt_network *evirt_network_new_handle(evirt_conn *conn, const char *name,
                                        const unsigned char *uuid,
                                        const char *unused1, const char *unused2);
evirt_storage_pool *evirt_storage_pool_new_handle(evirt_conn *conn, const char *name,
                                                  const unsigned char *uuid,
                                                  const char *unused1,
                                                  const char *unused2);
evirt_storage_vol *evirt_storage_vol_new_handle(evirt_conn *conn, const char *name,
                                                const unsigned char *unused,
                                                const char *key, const char *pool);
evirt_interface *evirt_interface_new_handle(evirt_conn *conn, const char *name,
                                            const unsigned char *unused,
                                            const char *mac, const char *unused2);
evirt_nodedev *evirt_nodedev_new_handle(evirt_conn *conn, const char *name,
                                        const unsigned char *unused,
                                        const char *unused1, const char *unused2);

#endif
