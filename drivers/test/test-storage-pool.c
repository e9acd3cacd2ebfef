/*
 * drivers/test/test-storage-pool.c - storage pool entries of the test
 * driver: lookups, lists, source discovery, define / create / build /
 * start / stop / delete / undefine / refresh with their events, facts.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "drivers/test/test-ops.h"
#include "drivers/test/test-storage.h"
#include "api/error-private.h"

#define EVIRT_LOG_CATEGORY "evirt.test.storage"
#include "api/log-private.h"

/* Every list-all filter libvirt defines (bits 0..19). */
#define POOL_FILTERS_ALL 0xfffffu

/* Pool types in the order of their list-all flags (DIR = 1 << 6...). */
static const char *const pool_type_flags[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "scsi", "mpath", "rbd",
    "sheepdog", "gluster", "zfs", "vstorage", "iscsi-direct",
};

#define CREATE_BUILD_FLAGS (EVIRT_STORAGE_POOL_CREATE_WITH_BUILD | \
                            EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE | \
                            EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)

static void free_strings(void *p, int n)
{
    evirt_string_list_free(p, n);
}

static void free_pool(void *p, int n)
{
    (void)n;
    evirt_storage_pool_unref(p);
}

static void free_pools(void *p, int n)
{
    evirt_storage_pool_list_free(p, n);
}

static void free_vols(void *p, int n)
{
    evirt_storage_vol_list_free(p, n);
}

static void return_pool(evirt_op *op, evirt_conn *c, test_storage_pool *pool)
{
    evirt_storage_pool *h = test_storage_pool_handle(c, pool);
    if (!h)
        test_fail_oom(op);
    else
        evirt_op_return_ptr(op, h, 0, free_pool);
}

/* Fails op with INVALID_ARG when both "overwrite" and "no overwrite"
 * are asked (libvirt refuses the pair). */
static bool exclusive_ok(evirt_op *op, unsigned int flags, unsigned int a,
                         unsigned int b)
{
    if ((flags & a) && (flags & b)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "flags 0x%x and 0x%x are mutually exclusive", a, b);
        return false;
    }
    return true;
}

/* --------------------------------------------------------------- lookups */

void test_storage_pool_lookup_by_name(evirt_op *op, evirt_conn *c,
                                      const char *name)
{
    test_storage_pool *pool = test_storage_find_pool(test_state_of(c), name);
    if (!pool) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_POOL,
                      "no storage pool with matching name '%s'", name);
        return;
    }
    return_pool(op, c, pool);
}

void test_storage_pool_lookup_by_uuid(evirt_op *op, evirt_conn *c,
                                      const unsigned char *uuid)
{
    test_storage_pool *pool = test_storage_find_pool_uuid(test_state_of(c), uuid);
    if (!pool) {
        char s[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(uuid, s);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_POOL,
                      "no storage pool with matching uuid '%s'", s);
        return;
    }
    return_pool(op, c, pool);
}

void test_storage_pool_lookup_by_uuid_string(evirt_op *op, evirt_conn *c,
                                             const char *uuid)
{
    unsigned char raw[16];
    if (evirt_uuid_parse(uuid, raw) < 0) {
        evirt_op_fail(op, EVIRT_FROM_STORAGE, EVIRT_ERR_INVALID_ARG,
                      "invalid UUID '%s'", uuid);
        return;
    }
    test_storage_pool_lookup_by_uuid(op, c, raw);
}

void test_storage_pool_lookup_by_volume(evirt_op *op, evirt_storage_vol *v)
{
    const char *name = v->h.extra2 ? v->h.extra2 : "";
    test_storage_pool_lookup_by_name(op, v->h.conn, name);
}

/* ------------------------------------------------------------------ lists */

static void list_names(evirt_op *op, evirt_conn *c, bool active)
{
    test_storage *stor = test_storage_of(test_state_of(c));
    if (!stor) {
        test_fail_oom(op);
        return;
    }
    char **names = calloc(stor->npools + 1, sizeof(*names));
    if (!names) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < stor->npools; i++) {
        if (stor->pools[i]->active != active)
            continue;
        if (!(names[n] = strdup(stor->pools[i]->def->name))) {
            evirt_string_list_free(names, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, names, n, free_strings);
}

void test_conn_list_storage_pools(evirt_op *op, evirt_conn *c)
{
    list_names(op, c, true);
}

void test_conn_list_defined_storage_pools(evirt_op *op, evirt_conn *c)
{
    list_names(op, c, false);
}

static int count_pools(evirt_conn *c, bool active)
{
    test_storage *stor = test_state_of(c)->storage;
    int n = 0;
    for (size_t i = 0; stor && i < stor->npools; i++)
        if (stor->pools[i]->active == active)
            n++;
    return n;
}

void test_conn_num_of_storage_pools(evirt_op *op, evirt_conn *c)
{
    evirt_op_return_int(op, count_pools(c, true));
}

void test_conn_num_of_defined_storage_pools(evirt_op *op, evirt_conn *c)
{
    evirt_op_return_int(op, count_pools(c, false));
}

/* True when one of the flags of a group is set and the pool matches none. */
static bool filtered_out(unsigned int flags, unsigned int yes, unsigned int no,
                         bool has)
{
    if (!(flags & (yes | no)))
        return false;
    return !((flags & yes) && has) && !((flags & no) && !has);
}

static bool list_all_match(const test_storage_pool *pool, unsigned int flags)
{
    if (filtered_out(flags, EVIRT_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
                     EVIRT_CONNECT_LIST_STORAGE_POOLS_INACTIVE, pool->active) ||
        filtered_out(flags, EVIRT_CONNECT_LIST_STORAGE_POOLS_PERSISTENT,
                     EVIRT_CONNECT_LIST_STORAGE_POOLS_TRANSIENT,
                     pool->persistent) ||
        filtered_out(flags, EVIRT_CONNECT_LIST_STORAGE_POOLS_AUTOSTART,
                     EVIRT_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART,
                     pool->persistent && pool->autostart))
        return false;
    unsigned int types = 0;
    for (size_t i = 0; i < sizeof(pool_type_flags) / sizeof(pool_type_flags[0]); i++)
        types |= EVIRT_CONNECT_LIST_STORAGE_POOLS_DIR << i;
    if (!(flags & types))
        return true;
    for (size_t i = 0; i < sizeof(pool_type_flags) / sizeof(pool_type_flags[0]); i++)
        if ((flags & (EVIRT_CONNECT_LIST_STORAGE_POOLS_DIR << i)) &&
            strcmp(pool->def->type, pool_type_flags[i]) == 0)
            return true;
    return false;
}

void test_conn_list_all_storage_pools(evirt_op *op, evirt_conn *c,
                                      unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, POOL_FILTERS_ALL);
    test_storage *stor = test_storage_of(test_state_of(c));
    evirt_storage_pool **list = stor ? calloc(stor->npools + 1, sizeof(*list))
                                     : NULL;
    if (!list) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < stor->npools; i++) {
        if (!list_all_match(stor->pools[i], flags))
            continue;
        if (!(list[n] = test_storage_pool_handle(c, stor->pools[i]))) {
            evirt_storage_pool_list_free(list, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, list, n, free_pools);
}

/* ------------------------------------------------------- source discovery */

/*
 * The fixed answers of libvirt's test driver: two LVM volume groups, and
 * one NFS export on the host the specification names.
 */
static char *logical_sources(void)
{
    evirt_storage_pool_device devs[2] = {
        { .path = (char *)"/dev/sda20" }, { .path = (char *)"/dev/sda21" },
    };
    evirt_storage_pool_source srcs[2] = {
        { .devices = &devs[0], .ndevices = 1, .name = (char *)"testvg1",
          .format = (char *)"lvm2" },
        { .devices = &devs[1], .ndevices = 1, .name = (char *)"testvg2",
          .format = (char *)"lvm2" },
    };
    return evirt_storage_pool_sources_format("logical", srcs, 2);
}

static char *netfs_sources(const char *host)
{
    evirt_storage_pool_host h = { .name = (char *)host };
    evirt_storage_pool_source src = {
        .hosts = &h, .nhosts = 1, .dir = (char *)"/testshare",
        .format = (char *)"nfs",
    };
    return evirt_storage_pool_sources_format("netfs", &src, 1);
}

void test_conn_find_storage_pool_sources(evirt_op *op, evirt_conn *c,
                                         const char *type, const char *spec,
                                         unsigned int flags)
{
    (void)c;
    TEST_CHECK_FLAGS(op, flags, 0);
    bool logical = strcmp(type, "logical") == 0;
    bool netfs = strcmp(type, "netfs") == 0;
    if (!logical && !netfs) {
        /* libvirt's test driver says "unknown storage pool type" for
         * "dir" (a slip in its type check); every type it cannot
         * discover gets this answer here. */
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_SUPPORT,
                      "pool type '%s' does not support source discovery", type);
        return;
    }
    evirt_storage_pool_source *src = NULL;
    if (spec) {
        evirt_error err = { 0 };
        if (!(src = evirt_storage_pool_source_parse_string(spec, type, &err))) {
            evirt_op_fail_error(op, &err);
            return;
        }
    }
    char *out;
    if (logical) {
        out = logical_sources();
    } else {
        if (!src || src->nhosts < 1 || !src->hosts[0].name) {
            evirt_storage_pool_source_free(src);
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                          "hostname must be specified for netfs sources");
            return;
        }
        out = netfs_sources(src->hosts[0].name);
    }
    evirt_storage_pool_source_free(src);
    if (!out)
        test_fail_oom(op);
    else
        evirt_op_return_string(op, out);
}

/* -------------------------------------------------------- define, create */

void test_storage_pool_define_xml(evirt_op *op, evirt_conn *c, const char *xml,
                                  unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_POOL_DEFINE_VALIDATE);
    test_state *st = test_state_of(c);
    evirt_error err = { 0 };
    evirt_storage_pool_def *def = evirt_storage_pool_def_parse_string(
        xml, (flags & EVIRT_STORAGE_POOL_DEFINE_VALIDATE)
                 ? EVIRT_STORAGE_POOL_PARSE_VALIDATE : 0, &err);
    test_storage_pool *pool = NULL;
    if (!def || test_storage_check_duplicate(st, def, false, &pool, &err) < 0) {
        evirt_storage_pool_def_free(def);
        evirt_op_fail_error(op, &err);
        return;
    }
    if (pool) {
        /* A redefinition: the running pool keeps its definition until
         * it stops. */
        if (pool->active) {
            evirt_storage_pool_def_free(pool->new_def);
            pool->new_def = def;
        } else {
            evirt_storage_pool_def_free(pool->def);
            pool->def = def;
        }
        test_storage_pool_update_sizes(pool);
    } else if (!(pool = test_storage_add_pool(st, def))) {
        evirt_storage_pool_def_free(def);
        test_fail_oom(op);
        return;
    }
    pool->persistent = true;
    test_storage_emit(st, def, EVIRT_STORAGE_POOL_EVENT_DEFINED);
    return_pool(op, c, pool);
}

void test_storage_pool_create_xml(evirt_op *op, evirt_conn *c, const char *xml,
                                  unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, CREATE_BUILD_FLAGS);
    if (!exclusive_ok(op, flags, EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE,
                      EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE))
        return;
    test_state *st = test_state_of(c);
    evirt_error err = { 0 };
    evirt_storage_pool_def *def = evirt_storage_pool_def_parse_string(xml, 0, &err);
    test_storage_pool *pool = NULL;
    if (!def || test_storage_check_duplicate(st, def, true, &pool, &err) < 0) {
        evirt_storage_pool_def_free(def);
        evirt_op_fail_error(op, &err);
        return;
    }
    if (pool) {
        /* The defined (inactive) pool runs with this definition; its
         * own comes back when it stops. */
        evirt_storage_pool_def_free(pool->new_def);
        pool->new_def = pool->def;
        pool->def = def;
        test_storage_pool_update_sizes(pool);
    } else if (!(pool = test_storage_add_pool(st, def))) {
        evirt_storage_pool_def_free(def);
        test_fail_oom(op);
        return;
    }
    if (flags & CREATE_BUILD_FLAGS)
        pool->built = true;
    pool->active = true;
    test_storage_emit(st, pool->def, EVIRT_STORAGE_POOL_EVENT_STARTED);
    return_pool(op, c, pool);
}

/* -------------------------------------------------------------- lifecycle */

void test_storage_pool_build(evirt_op *op, evirt_storage_pool *p,
                             unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_POOL_BUILD_OVERWRITE |
                                EVIRT_STORAGE_POOL_BUILD_NO_OVERWRITE);
    if (!exclusive_ok(op, flags, EVIRT_STORAGE_POOL_BUILD_OVERWRITE,
                      EVIRT_STORAGE_POOL_BUILD_NO_OVERWRITE))
        return;
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 0);
    if (!pool)
        return;
    pool->built = true;
    test_storage_emit(test_state_of(p->h.conn), pool->def,
                      EVIRT_STORAGE_POOL_EVENT_CREATED);
    evirt_op_return_void(op);
}

void test_storage_pool_create(evirt_op *op, evirt_storage_pool *p,
                              unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, CREATE_BUILD_FLAGS);
    if (!exclusive_ok(op, flags, EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE,
                      EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE))
        return;
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 0);
    if (!pool)
        return;
    if (flags & CREATE_BUILD_FLAGS)
        pool->built = true;
    pool->active = true;
    test_storage_emit(test_state_of(p->h.conn), pool->def,
                      EVIRT_STORAGE_POOL_EVENT_STARTED);
    evirt_op_return_void(op);
}

void test_storage_pool_destroy(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 1);
    if (!pool)
        return;
    test_state *st = test_state_of(p->h.conn);
    test_storage_emit(st, pool->def, EVIRT_STORAGE_POOL_EVENT_STOPPED);
    pool->active = false;
    if (!pool->persistent) {
        test_storage_remove_pool(st, pool);
    } else if (pool->new_def) {
        evirt_storage_pool_def_free(pool->def);
        pool->def = pool->new_def;
        pool->new_def = NULL;
        test_storage_pool_update_sizes(pool);
    }
    evirt_op_return_void(op);
}

void test_storage_pool_delete(evirt_op *op, evirt_storage_pool *p,
                              unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_POOL_DELETE_ZEROED);
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 0);
    if (!pool)
        return;
    /* As libvirt's test driver: the pool's storage is "deleted" but its
     * volumes are kept, so they are back when it starts again. */
    pool->built = false;
    test_storage_emit(test_state_of(p->h.conn), pool->def,
                      EVIRT_STORAGE_POOL_EVENT_DELETED);
    evirt_op_return_void(op);
}

void test_storage_pool_undefine(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 0);
    if (!pool)
        return;
    test_state *st = test_state_of(p->h.conn);
    test_storage_emit(st, pool->def, EVIRT_STORAGE_POOL_EVENT_UNDEFINED);
    test_storage_remove_pool(st, pool);
    evirt_op_return_void(op);
}

void test_storage_pool_refresh(evirt_op *op, evirt_storage_pool *p,
                               unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 1);
    if (!pool)
        return;
    test_storage_pool_update_sizes(pool);
    test_storage_emit(test_state_of(p->h.conn), pool->def, -1);
    evirt_op_return_void(op);
}

/* ------------------------------------------------------------------ facts */

void test_storage_pool_get_info(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, -1);
    if (!pool)
        return;
    evirt_storage_pool_info info = {
        .state = pool->active ? EVIRT_STORAGE_POOL_RUNNING
                              : EVIRT_STORAGE_POOL_INACTIVE,
        .capacity = pool->def->capacity,
        .allocation = pool->def->allocation,
        .available = pool->def->available,
    };
    evirt_op_return_struct(op, &info, sizeof(info));
}

void test_storage_pool_get_autostart(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, -1);
    if (pool)
        evirt_op_return_int(op, pool->persistent && pool->autostart);
}

void test_storage_pool_set_autostart(evirt_op *op, evirt_storage_pool *p,
                                     int autostart)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, -1);
    if (!pool)
        return;
    if (!pool->persistent) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "pool has no config file");
        return;
    }
    pool->autostart = autostart != 0;
    evirt_op_return_void(op);
}

void test_storage_pool_is_active(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, true, -1);
    if (pool)
        evirt_op_return_int(op, pool->active);
}

void test_storage_pool_is_persistent(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, true, -1);
    if (pool)
        evirt_op_return_int(op, pool->persistent);
}

void test_storage_pool_get_xml_desc(evirt_op *op, evirt_storage_pool *p,
                                    unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_XML_INACTIVE);
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, -1);
    if (!pool)
        return;
    const evirt_storage_pool_def *def =
        (flags & EVIRT_STORAGE_XML_INACTIVE) && pool->new_def ? pool->new_def
                                                               : pool->def;
    char *xml = evirt_storage_pool_def_format(def, 0);
    if (!xml)
        test_fail_oom(op);
    else
        evirt_op_return_string(op, xml);
}

/* ---------------------------------------------------------------- volumes */

void test_storage_pool_num_of_volumes(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 1);
    if (pool)
        evirt_op_return_int(op, (long long)pool->nvols);
}

void test_storage_pool_list_volumes(evirt_op *op, evirt_storage_pool *p)
{
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 1);
    if (!pool)
        return;
    char **names = calloc(pool->nvols + 1, sizeof(*names));
    if (!names) {
        test_fail_oom(op);
        return;
    }
    for (size_t i = 0; i < pool->nvols; i++) {
        if (!(names[i] = strdup(pool->vols[i]->def->name))) {
            evirt_string_list_free(names, (int)i);
            test_fail_oom(op);
            return;
        }
    }
    evirt_op_return_ptr(op, names, (int)pool->nvols, free_strings);
}

void test_storage_pool_list_all_volumes(evirt_op *op, evirt_storage_pool *p,
                                        unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, true, -1);
    if (!pool)
        return;
    if (!pool->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "storage pool is not active");
        return;
    }
    evirt_storage_vol **list = calloc(pool->nvols + 1, sizeof(*list));
    if (!list) {
        test_fail_oom(op);
        return;
    }
    for (size_t i = 0; i < pool->nvols; i++) {
        if (!(list[i] = test_storage_vol_handle(p->h.conn, pool, pool->vols[i]))) {
            evirt_storage_vol_list_free(list, (int)i);
            test_fail_oom(op);
            return;
        }
    }
    evirt_op_return_ptr(op, list, (int)pool->nvols, free_vols);
}

