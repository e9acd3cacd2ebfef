/*
 * drivers/test/test-storage-vol.c - storage volume entries of the test
 * driver: lookups, create (from XML or as a clone, copying the bytes),
 * delete, wipe, resize and facts.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/test/test-ops.h"
#include "drivers/test/test-storage.h"
#include "api/error-private.h"

#define EVIRT_LOG_CATEGORY "evirt.test.storage"
#include "api/log-private.h"

static void free_vol(void *p, int n)
{
    (void)n;
    evirt_storage_vol_unref(p);
}

static void return_vol(evirt_op *op, evirt_conn *c, test_storage_pool *pool,
                       test_storage_vol *vol)
{
    evirt_storage_vol *h = test_storage_vol_handle(c, pool, vol);
    if (!h)
        test_fail_oom(op);
    else
        evirt_op_return_ptr(op, h, 0, free_vol);
}

/*
 * The active pool named pool_name and its volume name, as libvirt's
 * test driver finds them: NO_STORAGE_POOL, OPERATION_INVALID (pool not
 * active), NO_STORAGE_VOL.
 */
static test_storage_vol *find_vol(evirt_op *op, evirt_conn *c,
                                  const char *pool_name, const char *name,
                                  test_storage_pool **poolp)
{
    test_storage_pool *pool = test_storage_find_pool(test_state_of(c),
                                                     pool_name ? pool_name : "");
    if (!pool) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_POOL,
                      "no storage pool with matching name '%s'",
                      pool_name ? pool_name : "");
        return NULL;
    }
    if (!pool->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "storage pool '%s' is not active", pool->def->name);
        return NULL;
    }
    test_storage_vol *vol = test_storage_pool_find_vol(pool, name);
    if (!vol) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_VOL,
                      "no storage vol with matching name '%s'", name);
        return NULL;
    }
    if (poolp)
        *poolp = pool;
    return vol;
}

static test_storage_vol *vol_of(evirt_op *op, evirt_storage_vol *v,
                                test_storage_pool **poolp)
{
    return find_vol(op, v->h.conn, v->h.extra2, v->h.name, poolp);
}

/* Fails op with SYSTEM_ERROR for a backing file failure (errno). */
static void fail_io(evirt_op *op, const char *what, const char *name)
{
    int e = errno;
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_SYSTEM_ERROR,
                  "cannot %s volume '%s': %s", what, name, strerror(e));
}

/* The volume type libvirt's test driver reports for a pool type. */
static int vol_type_for_pool(const char *type)
{
    static const char *const network[] = {
        "sheepdog", "iscsi-direct", "gluster", "rbd", NULL
    };
    static const char *const block[] = {
        "logical", "disk", "mpath", "iscsi", "scsi", "zfs", NULL
    };
    for (size_t i = 0; network[i]; i++)
        if (strcmp(type, network[i]) == 0)
            return EVIRT_STORAGE_VOL_NETWORK;
    for (size_t i = 0; block[i]; i++)
        if (strcmp(type, block[i]) == 0)
            return EVIRT_STORAGE_VOL_BLOCK;
    return EVIRT_STORAGE_VOL_FILE; /* dir, fs, netfs, vstorage */
}

/* --------------------------------------------------------------- lookups */

void test_storage_vol_lookup_by_name(evirt_op *op, evirt_storage_pool *p,
                                     const char *name)
{
    test_storage_pool *pool;
    test_storage_vol *vol = find_vol(op, p->h.conn, p->h.name, name, &pool);
    if (vol)
        return_vol(op, p->h.conn, pool, vol);
}

/* Looks through the active pools for a volume whose key (or path) is s. */
static void lookup_host_wide(evirt_op *op, evirt_conn *c, const char *s,
                             bool by_path)
{
    test_storage *stor = test_state_of(c)->storage;
    for (size_t i = 0; stor && i < stor->npools; i++) {
        test_storage_pool *pool = stor->pools[i];
        if (!pool->active)
            continue;
        for (size_t j = 0; j < pool->nvols; j++) {
            const evirt_storage_vol_def *def = pool->vols[j]->def;
            const char *v = by_path ? def->target.path : def->key;
            if (v && strcmp(v, s) == 0) {
                return_vol(op, c, pool, pool->vols[j]);
                return;
            }
        }
    }
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_VOL,
                  "no storage vol with matching %s '%s'",
                  by_path ? "path" : "key", s);
}

void test_storage_vol_lookup_by_key(evirt_op *op, evirt_conn *c,
                                    const char *key)
{
    lookup_host_wide(op, c, key, false);
}

void test_storage_vol_lookup_by_path(evirt_op *op, evirt_conn *c,
                                     const char *path)
{
    lookup_host_wide(op, c, path, true);
}

/* ---------------------------------------------------------------- create */

/*
 * Parses xml for pool and checks it fits: a new name (STORAGE_VOL_EXIST)
 * and room for its allocation (INTERNAL_ERROR, as libvirt's test
 * driver).  The def, or NULL with op failed.
 */
static evirt_storage_vol_def *parse_new_vol(evirt_op *op,
                                            test_storage_pool *pool,
                                            const char *xml,
                                            unsigned int parse_flags)
{
    evirt_error err = { 0 };
    evirt_storage_vol_def *def =
        evirt_storage_vol_def_parse_string(xml, pool->def, parse_flags, &err);
    if (!def) {
        evirt_op_fail_error(op, &err);
        return NULL;
    }
    if (test_storage_pool_find_vol(pool, def->name)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_STORAGE_VOL_EXIST, "'%s'",
                      def->name);
        evirt_storage_vol_def_free(def);
        return NULL;
    }
    return def;
}

static bool fits(evirt_op *op, test_storage_pool *pool,
                 const evirt_storage_vol_def *def)
{
    if (pool->def->allocation + def->allocation > pool->def->capacity ||
        def->allocation > pool->def->capacity) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                      "Not enough free space in pool for volume '%s'",
                      def->name);
        return false;
    }
    return true;
}

/* Adds def (taken) to pool with libvirt's path and key; NULL with op
 * failed. */
static test_storage_vol *add_new_vol(evirt_op *op, test_storage_pool *pool,
                                     evirt_storage_vol_def *def)
{
    test_storage_vol *vol = NULL;
    if (test_storage_vol_prepare(pool, def, false) < 0 ||
        !(vol = test_storage_pool_add_vol(pool, def))) {
        evirt_storage_vol_def_free(def);
        test_fail_oom(op);
    }
    return vol;
}

void test_storage_vol_create_xml(evirt_op *op, evirt_storage_pool *p,
                                 const char *xml, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_VOL_CREATE_PREALLOC_METADATA |
                                EVIRT_STORAGE_VOL_CREATE_VALIDATE);
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 1);
    if (!pool)
        return;
    evirt_storage_vol_def *def = parse_new_vol(op, pool, xml, 0);
    if (!def)
        return;
    if (!fits(op, pool, def)) {
        evirt_storage_vol_def_free(def);
        return;
    }
    test_storage_vol *vol = add_new_vol(op, pool, def);
    if (vol)
        return_vol(op, p->h.conn, pool, vol);
}

void test_storage_vol_create_xml_from(evirt_op *op, evirt_storage_pool *p,
                                      const char *xml,
                                      evirt_storage_vol *clonevol,
                                      unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_VOL_CREATE_PREALLOC_METADATA |
                                EVIRT_STORAGE_VOL_CREATE_REFLINK |
                                EVIRT_STORAGE_VOL_CREATE_VALIDATE);
    test_storage_pool *pool = test_storage_pool_from_handle(op, p, false, 1);
    if (!pool)
        return;
    /* A clone's XML may leave the capacity out: it is the source's. */
    evirt_storage_vol_def *def =
        parse_new_vol(op, pool, xml, EVIRT_STORAGE_VOL_PARSE_NO_CAPACITY);
    if (!def)
        return;
    /* The source may be in another (active) pool, as with libvirt's
     * storage driver. */
    test_storage_vol *src = vol_of(op, clonevol, NULL);
    if (!src) {
        evirt_storage_vol_def_free(def);
        return;
    }
    if (def->capacity < src->def->capacity)
        def->capacity = src->def->capacity;
    if (!def->has_allocation)
        def->allocation = def->capacity;
    if (!fits(op, pool, def)) {
        evirt_storage_vol_def_free(def);
        return;
    }
    test_storage_vol *vol = add_new_vol(op, pool, def);
    if (!vol)
        return;
    if (test_storage_vol_copy(vol, src) < 0) {
        fail_io(op, "copy into", vol->def->name);
        test_storage_pool_remove_vol(pool, vol);
        return;
    }
    return_vol(op, p->h.conn, pool, vol);
}

/* ----------------------------------------------------- delete, wipe, size */

void test_storage_vol_delete(evirt_op *op, evirt_storage_vol *v,
                             unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_VOL_DELETE_ZEROED |
                                EVIRT_STORAGE_VOL_DELETE_WITH_SNAPSHOTS);
    test_storage_pool *pool;
    test_storage_vol *vol = vol_of(op, v, &pool);
    if (!vol)
        return;
    test_storage_pool_remove_vol(pool, vol);
    evirt_op_return_void(op);
}

void test_storage_vol_wipe(evirt_op *op, evirt_storage_vol *v,
                           unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_storage_vol *vol = vol_of(op, v, NULL);
    if (!vol)
        return;
    if (test_storage_vol_zero(vol) < 0) {
        fail_io(op, "wipe", vol->def->name);
        return;
    }
    evirt_op_return_void(op);
}

void test_storage_vol_resize(evirt_op *op, evirt_storage_vol *v,
                             unsigned long long capacity, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_STORAGE_VOL_RESIZE_ALLOCATE |
                                EVIRT_STORAGE_VOL_RESIZE_DELTA |
                                EVIRT_STORAGE_VOL_RESIZE_SHRINK);
    test_storage_pool *pool;
    test_storage_vol *vol = vol_of(op, v, &pool);
    if (!vol)
        return;
    evirt_storage_vol_def *def = vol->def;
    unsigned long long target = capacity;
    if (flags & EVIRT_STORAGE_VOL_RESIZE_DELTA) {
        if (flags & EVIRT_STORAGE_VOL_RESIZE_SHRINK) {
            target = def->capacity - (capacity < def->capacity ? capacity
                                                               : def->capacity);
        } else if (capacity > (unsigned long long)INT64_MAX - def->capacity) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OVERFLOW,
                          "volume '%s' cannot grow past %lld bytes",
                          def->name, (long long)INT64_MAX);
            return;
        } else {
            target = def->capacity + capacity;
        }
    }
    if (target > (unsigned long long)INT64_MAX) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OVERFLOW,
                      "volume '%s' cannot grow past %lld bytes", def->name,
                      (long long)INT64_MAX);
        return;
    }
    if (target < def->allocation) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "can't shrink capacity below existing allocation");
        return;
    }
    if (target < def->capacity && !(flags & EVIRT_STORAGE_VOL_RESIZE_SHRINK)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "Can't shrink capacity below current capacity unless "
                      "shrink flag explicitly specified");
        return;
    }
    unsigned long long delta = 0;
    if (flags & EVIRT_STORAGE_VOL_RESIZE_ALLOCATE)
        delta = target - def->allocation;
    if (delta > pool->def->available) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_FAILED,
                      "Not enough space left in storage pool");
        return;
    }
    unsigned long long old = def->capacity;
    def->capacity = target;
    if (test_storage_vol_sync_size(vol) < 0) {
        def->capacity = old;
        fail_io(op, "resize", def->name);
        test_storage_vol_sync_size(vol);
        return;
    }
    if (flags & EVIRT_STORAGE_VOL_RESIZE_ALLOCATE)
        def->allocation = target;
    test_storage_pool_update_sizes(pool);
    evirt_op_return_void(op);
}

/* ------------------------------------------------------------------ facts */

void test_storage_vol_get_info(evirt_op *op, evirt_storage_vol *v)
{
    test_storage_pool *pool;
    test_storage_vol *vol = vol_of(op, v, &pool);
    if (!vol)
        return;
    evirt_storage_vol_info info = {
        .type = vol_type_for_pool(pool->def->type),
        .capacity = vol->def->capacity,
        .allocation = vol->def->allocation,
    };
    evirt_op_return_struct(op, &info, sizeof(info));
}

void test_storage_vol_get_path(evirt_op *op, evirt_storage_vol *v)
{
    test_storage_vol *vol = vol_of(op, v, NULL);
    if (!vol)
        return;
    char *path = strdup(vol->def->target.path);
    if (!path)
        test_fail_oom(op);
    else
        evirt_op_return_string(op, path);
}

void test_storage_vol_get_xml_desc(evirt_op *op, evirt_storage_vol *v,
                                   unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_storage_pool *pool;
    test_storage_vol *vol = vol_of(op, v, &pool);
    if (!vol)
        return;
    char *xml = evirt_storage_vol_def_format(pool->def, vol->def, 0);
    if (!xml)
        test_fail_oom(op);
    else
        evirt_op_return_string(op, xml);
}
