/*
 * evirt/handles.h - handles of networks, storage pools and volumes, host
 * interfaces and node devices.
 *
 * Like evirt_domain, each is the identity of an object (libvirt's: a
 * network and a pool by name and UUID, a volume by pool, name and key, an
 * interface by name and MAC, a node device by name) plus a reference on
 * its connection.  The object's state is asked with ops (evirt/api.h).
 * Handles are reference counted; ref and unref are thread-safe.  The
 * strings returned are owned by the handle and live as long as it does.
 */
#ifndef EVIRT_HANDLES_H
#define EVIRT_HANDLES_H

#include <evirt/common.h>
#include <evirt/types.h>
#include <evirt/loop.h>
#include <evirt/op.h>

EVIRT_BEGIN_DECLS

EVIRT_API evirt_network *evirt_network_ref(evirt_network *net);
EVIRT_API void evirt_network_unref(evirt_network *net);
EVIRT_API void evirt_network_list_free(evirt_network **nets, int n);
EVIRT_API evirt_conn *evirt_network_get_conn(evirt_network *net);
EVIRT_API const char *evirt_network_get_name(evirt_network *net);
EVIRT_API int evirt_network_get_uuid(evirt_network *net, unsigned char *uuid);
EVIRT_API int evirt_network_get_uuid_string(evirt_network *net, char *buf);

EVIRT_API evirt_storage_pool *evirt_storage_pool_ref(evirt_storage_pool *pool);
EVIRT_API void evirt_storage_pool_unref(evirt_storage_pool *pool);
EVIRT_API void evirt_storage_pool_list_free(evirt_storage_pool **pools, int n);
EVIRT_API evirt_conn *evirt_storage_pool_get_conn(evirt_storage_pool *pool);
EVIRT_API const char *evirt_storage_pool_get_name(evirt_storage_pool *pool);
EVIRT_API int evirt_storage_pool_get_uuid(evirt_storage_pool *pool, unsigned char *uuid);
EVIRT_API int evirt_storage_pool_get_uuid_string(evirt_storage_pool *pool, char *buf);

EVIRT_API evirt_storage_vol *evirt_storage_vol_ref(evirt_storage_vol *vol);
EVIRT_API void evirt_storage_vol_unref(evirt_storage_vol *vol);
EVIRT_API void evirt_storage_vol_list_free(evirt_storage_vol **vols, int n);
EVIRT_API evirt_conn *evirt_storage_vol_get_conn(evirt_storage_vol *vol);
EVIRT_API const char *evirt_storage_vol_get_name(evirt_storage_vol *vol);
/* The volume's key (unique on the host, often its path). */
EVIRT_API const char *evirt_storage_vol_get_key(evirt_storage_vol *vol);
/* The name of the pool the volume is in. */
EVIRT_API const char *evirt_storage_vol_get_pool_name(evirt_storage_vol *vol);

EVIRT_API evirt_interface *evirt_interface_ref(evirt_interface *iface);
EVIRT_API void evirt_interface_unref(evirt_interface *iface);
EVIRT_API void evirt_interface_list_free(evirt_interface **ifaces, int n);
EVIRT_API evirt_conn *evirt_interface_get_conn(evirt_interface *iface);
EVIRT_API const char *evirt_interface_get_name(evirt_interface *iface);
EVIRT_API const char *evirt_interface_get_mac_string(evirt_interface *iface);

EVIRT_API evirt_nodedev *evirt_nodedev_ref(evirt_nodedev *dev);
EVIRT_API void evirt_nodedev_unref(evirt_nodedev *dev);
EVIRT_API void evirt_nodedev_list_free(evirt_nodedev **devs, int n);
EVIRT_API evirt_conn *evirt_nodedev_get_conn(evirt_nodedev *dev);
EVIRT_API const char *evirt_nodedev_get_name(evirt_nodedev *dev);

/*
 * Network and storage pool events, as evirt/domain.h has for domains: the
 * same registration contract (in force before the op completes, delivered
 * on the loop in order, ff(opaque) after deregistration).  Lifecycle
 * callbacks (event id 0 of both families) get an event and a detail:
 * evirt_network_event_lifecycle_type, evirt_storage_pool_event_lifecycle_type.
 * EVIRT_STORAGE_POOL_EVENT_ID_REFRESH uses the generic callback.  The
 * handle a callback gets is borrowed.  net / pool NULL: every object.
 */
typedef void (*evirt_network_event_generic_cb)(evirt_conn *conn,
                                               evirt_network *net, void *opaque);
typedef void (*evirt_network_event_lifecycle_cb)(evirt_conn *conn,
                                                 evirt_network *net, int event,
                                                 int detail, void *opaque);
typedef void (*evirt_storage_pool_event_generic_cb)(evirt_conn *conn,
                                                    evirt_storage_pool *pool,
                                                    void *opaque);
typedef void (*evirt_storage_pool_event_lifecycle_cb)(evirt_conn *conn,
                                                      evirt_storage_pool *pool,
                                                      int event, int detail,
                                                      void *opaque);
#define EVIRT_NETWORK_EVENT_CALLBACK(cb) \
    ((evirt_network_event_generic_cb)(void (*)(void))(cb))
#define EVIRT_STORAGE_POOL_EVENT_CALLBACK(cb) \
    ((evirt_storage_pool_event_generic_cb)(void (*)(void))(cb))

EVIRT_API evirt_op *evirt_conn_network_event_register_any_async(
    evirt_conn *conn, evirt_network *net, int event_id,
    evirt_network_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque);
EVIRT_API int evirt_conn_network_event_register_any_finish(evirt_op *op);
EVIRT_API int evirt_conn_network_event_register_any(
    evirt_conn *conn, evirt_network *net, int event_id,
    evirt_network_event_generic_cb cb, void *opaque, evirt_free_cb ff);
EVIRT_API int evirt_conn_network_event_deregister_any(evirt_conn *conn,
                                                      int callback_id);

EVIRT_API evirt_op *evirt_conn_storage_pool_event_register_any_async(
    evirt_conn *conn, evirt_storage_pool *pool, int event_id,
    evirt_storage_pool_event_generic_cb cb, void *opaque, evirt_free_cb ff,
    evirt_callback done, void *done_opaque);
EVIRT_API int evirt_conn_storage_pool_event_register_any_finish(evirt_op *op);
EVIRT_API int evirt_conn_storage_pool_event_register_any(
    evirt_conn *conn, evirt_storage_pool *pool, int event_id,
    evirt_storage_pool_event_generic_cb cb, void *opaque, evirt_free_cb ff);
EVIRT_API int evirt_conn_storage_pool_event_deregister_any(evirt_conn *conn,
                                                           int callback_id);

EVIRT_END_DECLS

#endif
