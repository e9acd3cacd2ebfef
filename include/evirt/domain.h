/*
 * evirt/domain.h - domain handles and domain events.
 *
 * An evirt_domain is a handle: the identity of a domain (name, UUID, id
 * at the time the handle was made) plus a reference on its connection.
 * The domain's live state is asked with ops (evirt_domain_get_info_async
 * and the others in evirt/api.h).  Handles are reference counted and
 * thread-safe to ref/unref.
 */
#ifndef EVIRT_DOMAIN_H
#define EVIRT_DOMAIN_H

#include <evirt/common.h>
#include <evirt/types.h>
#include <evirt/loop.h>
#include <evirt/op.h>

EVIRT_BEGIN_DECLS

EVIRT_API evirt_domain *evirt_domain_ref(evirt_domain *dom);
/* Drops a reference; frees the handle with the last one.  NULL is ignored. */
EVIRT_API void evirt_domain_unref(evirt_domain *dom);
/* Unrefs n handles and frees the array (a list from list_all_domains). */
EVIRT_API void evirt_domain_list_free(evirt_domain **doms, int n);

/* The connection of the handle (no new reference). */
EVIRT_API evirt_conn *evirt_domain_get_conn(evirt_domain *dom);
/* The name, owned by the handle. */
EVIRT_API const char *evirt_domain_get_name(evirt_domain *dom);
/* The id when the handle was made: -1 when the domain was inactive. */
EVIRT_API int evirt_domain_get_id(evirt_domain *dom);
/* Copies the 16-byte UUID into uuid. 0 / -1. */
EVIRT_API int evirt_domain_get_uuid(evirt_domain *dom, unsigned char *uuid);
/* Writes the UUID as text into buf (EVIRT_UUID_STRING_BUFLEN bytes). */
EVIRT_API int evirt_domain_get_uuid_string(evirt_domain *dom, char *buf);

/*
 * Domain events.  A callback gets the domain's handle (borrowed: ref it
 * to keep it) and, for EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, the event
 * (evirt_domain_event_type) and its detail; cast the callback as libvirt's
 * users do with VIR_DOMAIN_EVENT_CALLBACK.
 */
typedef void (*evirt_domain_event_generic_cb)(evirt_conn *conn,
                                              evirt_domain *dom, void *opaque);
typedef void (*evirt_domain_event_lifecycle_cb)(evirt_conn *conn,
                                                evirt_domain *dom, int event,
                                                int detail, void *opaque);
#define EVIRT_DOMAIN_EVENT_CALLBACK(cb) \
    ((evirt_domain_event_generic_cb)(void (*)(void))(cb))

/*
 * Registers cb for event_id (evirt_domain_event_id) of dom, or of every
 * domain when dom is NULL.  Events arrive on the connection's loop, in the
 * order they happened, until the callback is deregistered or the
 * connection is freed; then ff(opaque) runs.  The registration is in force
 * before the op completes (no event that happens after the call is lost).
 * evirt_conn_domain_event_register_any_finish() returns the callback id
 * (> 0) or -1.  Errors: EVIRT_ERR_INVALID_ARG for an unknown event_id.
 */
EVIRT_API evirt_op *evirt_conn_domain_event_register_any_async(
    evirt_conn *conn, evirt_domain *dom, int event_id,
    evirt_domain_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque);
EVIRT_API int evirt_conn_domain_event_register_any_finish(evirt_op *op);
EVIRT_API int evirt_conn_domain_event_register_any(
    evirt_conn *conn, evirt_domain *dom, int event_id,
    evirt_domain_event_generic_cb cb, void *opaque, evirt_free_cb ff);

/*
 * Deregisters a callback by id.  No event reaches it after this call
 * returns (even ones already queued).  0, or -1 for an unknown id
 * (EVIRT_ERR_INVALID_ARG).  Sync only: it never needs to wait.
 */
EVIRT_API int evirt_conn_domain_event_deregister_any(evirt_conn *conn,
                                                     int callback_id);

EVIRT_END_DECLS

#endif
