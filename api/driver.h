/*
 * api/driver.h - what a hypervisor driver is: a table of async entries.
 *
 * Each entry gets the op and its arguments, and completes the op with
 * evirt_op_return_* / evirt_op_fail (api/op-private.h) -- at once or
 * later, never by returning a result.  Entries run on the connection's
 * loop thread and must never block it.  An entry left NULL makes its
 * operation fail with EVIRT_ERR_NO_SUPPORT.  The API layer has already
 * checked the arguments it can (non-NULL strings, read-only rights).
 */
#ifndef EVIRT_DRIVER_H
#define EVIRT_DRIVER_H

#include <evirt/evirt.h>
#include "api/op-private.h"
#include "api/object-private.h"
#include "api/handles-private.h"
#include "api/uri.h"
#include "api/events.h"

/* The per-operation entries, generated from api/evirt.api. */
#include "api/driver-gen.h"

struct evirt_driver {
    const char *name;

    /*
     * Nonzero when this driver opens uri (the first driver in the
     * registry that claims a URI opens it).
     */
    int (*claims)(const evirt_uri *uri);

    /*
     * Opens conn (whose uri, flags and loop are set) and completes op
     * with evirt_op_return_void or an error; conn->driver_data is the
     * driver's.  auth is valid until the op completes.
     */
    void (*open)(evirt_op *op, evirt_conn *conn, const evirt_uri *uri,
                 evirt_auth *auth);

    /* Lets go of the connection; called once, on the loop, when its last
     * reference is gone.  Must not block. */
    void (*close)(evirt_conn *conn);

    /*
     * Optional: the first callback for (family, event_id) was registered
     * on conn (the remote driver asks the server for the events), or the
     * last one went away.  register completes op; unregister is fire and
     * forget.  family is an EVIRT_EVENT_FAMILY_* of api/events.h.
     */
    void (*event_register)(evirt_op *op, evirt_conn *conn, int family, int event_id);
    void (*event_unregister)(evirt_conn *conn, int family, int event_id);

    evirt_driver_ops ops;
};

/* Adds a driver to the registry (in order; later ones are asked last). */
int evirt_driver_register(const evirt_driver *drv);
/* The first registered driver that claims uri, or NULL. */
const evirt_driver *evirt_driver_find(const evirt_uri *uri);

/*
 * Emits a domain event on conn (driver side).  Delivery to the matching
 * callbacks happens on a later iteration, in emission order.
 * For LIFECYCLE, a = event, b = detail; for REBOOT both are unused.
 */
void evirt_conn_emit_domain_event(evirt_conn *conn, const char *name,
                                  const unsigned char *uuid, int id,
                                  int event_id, int a, int b);
/* The same for any family (EVIRT_EVENT_FAMILY_*); id is used by domains. */
void evirt_conn_emit_event(evirt_conn *conn, int family, const char *name,
                           const unsigned char *uuid, int id, int event_id,
                           int a, int b);

#endif
