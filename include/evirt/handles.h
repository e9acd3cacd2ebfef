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

EVIRT_END_DECLS

#endif
