/*
 * api/handles.c - the handles other than domains.  They differ only in
 * which identity fields they fill, so one layout and one set of functions,
 * stamped per type, serves them all.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/driver.h"
#include "api/error-private.h"
#include "api/handles-private.h"

static void format_uuid(const unsigned char *u, char *buf)
{
    snprintf(buf, EVIRT_UUID_STRING_BUFLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
             u[11], u[12], u[13], u[14], u[15]);
}

static int handle_init(evirt_handle *h, evirt_conn *conn, const char *name,
                       const unsigned char *uuid, const char *extra1,
                       const char *extra2)
{
    atomic_init(&h->refs, 1);
    h->name = strdup(name);
    h->extra1 = extra1 ? strdup(extra1) : NULL;
    h->extra2 = extra2 ? strdup(extra2) : NULL;
    if (!h->name || (extra1 && !h->extra1) || (extra2 && !h->extra2)) {
        free(h->name);
        free(h->extra1);
        free(h->extra2);
        return -1;
    }
    if (uuid)
        memcpy(h->uuid, uuid, 16);
    h->conn = evirt_conn_ref(conn);
    return 0;
}

static int handle_unref(evirt_handle *h)
{
    if (!h || atomic_fetch_sub(&h->refs, 1) != 1)
        return 0;
    evirt_conn *conn = h->conn;
    free(h->name);
    free(h->extra1);
    free(h->extra2);
    evirt_conn_close(conn);
    return 1;
}

static int handle_uuid(evirt_handle *h, unsigned char *uuid)
{
    if (!h || !uuid) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                           "a handle and a buffer are required");
        return -1;
    }
    memcpy(uuid, h->uuid, 16);
    return 0;
}

static int handle_uuid_string(evirt_handle *h, char *buf)
{
    if (!h || !buf) {
        evirt_error_report(EVIRT_FROM_NONE, EVIRT_ERR_INVALID_ARG,
                           "a handle and a buffer are required");
        return -1;
    }
    format_uuid(h->uuid, buf);
    return 0;
}

/* ref, unref, list_free, get_conn and get_name of one handle type. */
#define HANDLE_COMMON(type)                                                  \
    evirt_##type *evirt_##type##_ref(evirt_##type *obj)                      \
    {                                                                        \
        if (obj)                                                             \
            atomic_fetch_add(&obj->h.refs, 1);                               \
        return obj;                                                          \
    }                                                                        \
    void evirt_##type##_unref(evirt_##type *obj)                             \
    {                                                                        \
        if (obj && handle_unref(&obj->h))                                    \
            free(obj);                                                       \
    }                                                                        \
    void evirt_##type##_list_free(evirt_##type **objs, int n)                \
    {                                                                        \
        if (!objs)                                                           \
            return;                                                          \
        for (int i = 0; i < n; i++)                                          \
            evirt_##type##_unref(objs[i]);                                   \
        free(objs);                                                          \
    }                                                                        \
    evirt_conn *evirt_##type##_get_conn(evirt_##type *obj)                   \
    {                                                                        \
        return obj ? obj->h.conn : NULL;                                     \
    }                                                                        \
    const char *evirt_##type##_get_name(evirt_##type *obj)                   \
    {                                                                        \
        return obj ? obj->h.name : NULL;                                     \
    }                                                                        \
    evirt_##type *evirt_##type##_new_handle(evirt_conn *conn, const char *name, \
                                            const unsigned char *uuid,       \
                                            const char *extra1,              \
                                            const char *extra2)              \
    {                                                                        \
        evirt_##type *obj = calloc(1, sizeof(*obj));                         \
        if (obj && handle_init(&obj->h, conn, name, uuid, extra1, extra2) < 0) { \
            free(obj);                                                       \
            obj = NULL;                                                      \
        }                                                                    \
        return obj;                                                          \
    }

#define HANDLE_UUID(type)                                                    \
    int evirt_##type##_get_uuid(evirt_##type *obj, unsigned char *uuid)      \
    {                                                                        \
        return handle_uuid(obj ? &obj->h : NULL, uuid);                      \
    }                                                                        \
    int evirt_##type##_get_uuid_string(evirt_##type *obj, char *buf)         \
    {                                                                        \
        return handle_uuid_string(obj ? &obj->h : NULL, buf);                \
    }

HANDLE_COMMON(network)
HANDLE_UUID(network)
HANDLE_COMMON(storage_pool)
HANDLE_UUID(storage_pool)
HANDLE_COMMON(storage_vol)
HANDLE_COMMON(interface)
HANDLE_COMMON(nodedev)

const char *evirt_storage_vol_get_key(evirt_storage_vol *vol)
{
    return vol ? vol->h.extra1 : NULL;
}

const char *evirt_storage_vol_get_pool_name(evirt_storage_vol *vol)
{
    return vol ? vol->h.extra2 : NULL;
}

const char *evirt_interface_get_mac_string(evirt_interface *iface)
{
    return iface ? iface->h.extra1 : NULL;
}
