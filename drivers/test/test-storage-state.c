/*
 * drivers/test/test-storage-state.c - the test driver's storage state:
 * pools and volumes in memory, volume backings, the checks and helpers
 * the pool and volume entries share.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/test/test-storage.h"
#include "api/error-private.h"

#define EVIRT_LOG_CATEGORY "evirt.test.storage"
#include "api/log-private.h"

/* ------------------------------------------------------------ freeing */

static void vol_free(test_storage_vol *vol)
{
    if (!vol)
        return;
    if (vol->fd >= 0)
        close(vol->fd);
    evirt_storage_vol_def_free(vol->def);
    free(vol);
}

static void pool_free(test_storage_pool *pool)
{
    if (!pool)
        return;
    for (size_t i = 0; i < pool->nvols; i++)
        vol_free(pool->vols[i]);
    free(pool->vols);
    evirt_storage_pool_def_free(pool->def);
    evirt_storage_pool_def_free(pool->new_def);
    free(pool);
}

void test_storage_free(test_storage *stor)
{
    if (!stor)
        return;
    for (size_t i = 0; i < stor->npools; i++)
        pool_free(stor->pools[i]);
    free(stor->pools);
    free(stor);
}

test_storage *test_storage_of(test_state *st)
{
    if (!st->storage)
        st->storage = calloc(1, sizeof(*st->storage));
    return st->storage;
}

/* ------------------------------------------------------------ lookups */

test_storage_pool *test_storage_find_pool(test_state *st, const char *name)
{
    test_storage *stor = st->storage;
    for (size_t i = 0; stor && i < stor->npools; i++)
        if (strcmp(stor->pools[i]->def->name, name) == 0)
            return stor->pools[i];
    return NULL;
}

test_storage_pool *test_storage_find_pool_uuid(test_state *st,
                                               const unsigned char *uuid)
{
    test_storage *stor = st->storage;
    for (size_t i = 0; stor && i < stor->npools; i++)
        if (memcmp(stor->pools[i]->def->uuid, uuid, 16) == 0)
            return stor->pools[i];
    return NULL;
}

test_storage_vol *test_storage_pool_find_vol(test_storage_pool *pool,
                                             const char *name)
{
    for (size_t i = 0; i < pool->nvols; i++)
        if (strcmp(pool->vols[i]->def->name, name) == 0)
            return pool->vols[i];
    return NULL;
}

test_storage_vol *test_storage_vol_from_handle(evirt_storage_vol *v)
{
    test_state *st = test_state_of(v->h.conn);
    test_storage_pool *pool = v->h.extra2 ? test_storage_find_pool(st, v->h.extra2)
                                          : NULL;
    return pool ? test_storage_pool_find_vol(pool, v->h.name) : NULL;
}

test_storage_pool *test_storage_pool_from_handle(evirt_op *op,
                                                 evirt_storage_pool *p,
                                                 bool by_uuid, int want_active)
{
    test_state *st = test_state_of(p->h.conn);
    test_storage_pool *pool;
    if (by_uuid) {
        pool = test_storage_find_pool_uuid(st, p->h.uuid);
        if (!pool) {
            char uuid[EVIRT_UUID_STRING_BUFLEN];
            evirt_uuid_format(p->h.uuid, uuid);
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_POOL,
                          "no storage pool with matching uuid '%s'", uuid);
            return NULL;
        }
    } else {
        pool = test_storage_find_pool(st, p->h.name);
        if (!pool) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_STORAGE_POOL,
                          "no storage pool with matching name '%s'", p->h.name);
            return NULL;
        }
    }
    if (want_active == 1 && !pool->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "storage pool '%s' is not active", pool->def->name);
        return NULL;
    }
    if (want_active == 0 && pool->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "storage pool '%s' is active", pool->def->name);
        return NULL;
    }
    return pool;
}

/* ------------------------------------------------ handles and events */

evirt_storage_pool *test_storage_pool_handle(evirt_conn *c,
                                             test_storage_pool *pool)
{
    return evirt_storage_pool_new_handle(c, pool->def->name, pool->def->uuid,
                                         NULL, NULL);
}

evirt_storage_vol *test_storage_vol_handle(evirt_conn *c,
                                           test_storage_pool *pool,
                                           test_storage_vol *vol)
{
    return evirt_storage_vol_new_handle(c, vol->def->name, NULL, vol->def->key,
                                        pool->def->name);
}

void test_storage_emit(test_state *st, const evirt_storage_pool_def *def,
                       int event)
{
    if (event < 0)
        test_state_emit_event(st, EVIRT_EVENT_FAMILY_STORAGE_POOL,
                              def->name, def->uuid, -1,
                              EVIRT_STORAGE_POOL_EVENT_ID_REFRESH, 0, 0);
    else
        test_state_emit_event(st, EVIRT_EVENT_FAMILY_STORAGE_POOL,
                              def->name, def->uuid, -1,
                              EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE, event, 0);
}

/* ---------------------------------------------------- pools and sizes */

static void set_sizes(evirt_storage_pool_def *def, unsigned long long alloc)
{
    if (!def)
        return;
    def->capacity = TEST_STORAGE_POOL_CAPACITY;
    def->allocation = alloc;
    def->available = alloc < def->capacity ? def->capacity - alloc : 0;
}

void test_storage_pool_update_sizes(test_storage_pool *pool)
{
    unsigned long long alloc = 0;
    for (size_t i = 0; i < pool->nvols; i++)
        alloc += pool->vols[i]->def->allocation;
    set_sizes(pool->def, alloc);
    set_sizes(pool->new_def, alloc);
}

test_storage_pool *test_storage_add_pool(test_state *st,
                                         evirt_storage_pool_def *def)
{
    test_storage *stor = test_storage_of(st);
    if (!stor)
        return NULL;
    if (stor->npools == stor->apools) {
        size_t n = stor->apools ? stor->apools * 2 : 4;
        test_storage_pool **p = realloc(stor->pools, n * sizeof(*p));
        if (!p)
            return NULL;
        stor->pools = p;
        stor->apools = n;
    }
    test_storage_pool *pool = calloc(1, sizeof(*pool));
    if (!pool)
        return NULL;
    pool->def = def;
    test_storage_pool_update_sizes(pool);
    stor->pools[stor->npools++] = pool;
    return pool;
}

void test_storage_remove_pool(test_state *st, test_storage_pool *pool)
{
    test_storage *stor = st->storage;
    for (size_t i = 0; stor && i < stor->npools; i++) {
        if (stor->pools[i] != pool)
            continue;
        memmove(&stor->pools[i], &stor->pools[i + 1],
                (stor->npools - i - 1) * sizeof(*stor->pools));
        stor->npools--;
        pool_free(pool);
        return;
    }
}

/* ---------------------------------------------------- duplicate checks */

static bool same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool same_single_host(const evirt_storage_pool_def *a,
                             const evirt_storage_pool_def *b)
{
    if (a->source.nhosts < 1 || b->source.nhosts < 1)
        return false;
    if (b->source.hosts[0].port &&
        a->source.hosts[0].port != b->source.hosts[0].port)
        return false;
    return same_str(a->source.hosts[0].name, b->source.hosts[0].name);
}

static bool shares_device(const evirt_storage_pool_def *a,
                          const evirt_storage_pool_def *b)
{
    for (size_t i = 0; i < a->source.ndevices; i++)
        for (size_t j = 0; j < b->source.ndevices; j++)
            if (same_str(a->source.devices[i].path, b->source.devices[j].path))
                return true;
    return false;
}

static bool is_type(const evirt_storage_pool_def *def, const char *type)
{
    return strcmp(def->type, type) == 0;
}

static bool is_device_type(const evirt_storage_pool_def *def)
{
    return is_type(def, "iscsi") || is_type(def, "fs") ||
           is_type(def, "logical") || is_type(def, "disk") ||
           is_type(def, "zfs");
}

/* True when other (another pool) already uses def's storage, by the
 * rules libvirt applies per pool type. */
static bool source_conflict(const evirt_storage_pool_def *other,
                            const evirt_storage_pool_def *def)
{
    bool same_type = strcmp(other->type, def->type) == 0;
    if (is_type(other, "dir"))
        return same_type && same_str(other->target.path, def->target.path);
    if (is_type(other, "netfs"))
        return same_type && same_str(other->source.dir, def->source.dir) &&
               same_single_host(other, def);
    if (is_type(other, "gluster"))
        return same_type && same_str(other->source.name, def->source.name) &&
               ((!other->source.dir && !def->source.dir) ||
                same_str(other->source.dir, def->source.dir)) &&
               same_single_host(other, def);
    if (is_type(other, "sheepdog"))
        return same_type && same_single_host(other, def);
    if (is_type(other, "mpath"))
        return same_type; /* one multipath pool per host */
    if (is_type(other, "vstorage"))
        return same_type && same_str(other->source.name, def->source.name);
    if (is_type(other, "scsi"))
        return same_type && same_str(other->source.adapter_name,
                                     def->source.adapter_name);
    if (is_device_type(other) && is_device_type(def)) {
        /* iSCSI pools only clash with iSCSI pools. */
        if (is_type(other, "iscsi") != is_type(def, "iscsi"))
            return false;
        return shares_device(other, def);
    }
    return false;
}

int test_storage_check_duplicate(test_state *st,
                                 const evirt_storage_pool_def *def,
                                 bool check_active,
                                 test_storage_pool **existing,
                                 evirt_error *err)
{
    *existing = NULL;
    test_storage *stor = st->storage;
    for (size_t i = 0; stor && i < stor->npools; i++) {
        const evirt_storage_pool_def *other = stor->pools[i]->def;
        if (strcmp(other->name, def->name) == 0)
            continue; /* a redefinition does not clash with itself */
        if (source_conflict(other, def)) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_FAILED,
                            "Storage source conflict with pool: '%s'",
                            other->name);
            return -1;
        }
    }
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    test_storage_pool *pool = test_storage_find_pool_uuid(st, def->uuid);
    if (pool) {
        if (strcmp(pool->def->name, def->name) != 0) {
            evirt_uuid_format(pool->def->uuid, uuid);
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_FAILED,
                            "pool '%s' is already defined with uuid %s",
                            pool->def->name, uuid);
            return -1;
        }
        if (check_active && pool->active) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                            "pool is already active as '%s'", pool->def->name);
            return -1;
        }
        *existing = pool;
        return 0;
    }
    pool = test_storage_find_pool(st, def->name);
    if (pool) {
        evirt_uuid_format(pool->def->uuid, uuid);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_FAILED,
                        "pool '%s' already exists with uuid %s", def->name, uuid);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ volumes */

int test_storage_vol_prepare(const test_storage_pool *pool,
                             evirt_storage_vol_def *def, bool keep_path)
{
    if (!keep_path || !def->target.path) {
        /* Network pools have no target path: their volumes are named
         * <pool>/<volume>, as rbd's and gluster's are. */
        const char *base = pool->def->target.path ? pool->def->target.path
                                                  : pool->def->name;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", base, def->name) < 0)
            return -1;
        free(def->target.path);
        def->target.path = path;
    }
    if (!keep_path || !def->key) {
        char *key = strdup(def->target.path);
        if (!key)
            return -1;
        free(def->key);
        def->key = key;
    }
    return 0;
}

test_storage_vol *test_storage_pool_add_vol(test_storage_pool *pool,
                                            evirt_storage_vol_def *def)
{
    if (pool->nvols == pool->avols) {
        size_t n = pool->avols ? pool->avols * 2 : 8;
        test_storage_vol **p = realloc(pool->vols, n * sizeof(*p));
        if (!p)
            return NULL;
        pool->vols = p;
        pool->avols = n;
    }
    test_storage_vol *vol = calloc(1, sizeof(*vol));
    if (!vol)
        return NULL;
    vol->def = def;
    vol->fd = -1;
    pool->vols[pool->nvols++] = vol;
    test_storage_pool_update_sizes(pool);
    return vol;
}

void test_storage_pool_remove_vol(test_storage_pool *pool,
                                  test_storage_vol *vol)
{
    for (size_t i = 0; i < pool->nvols; i++) {
        if (pool->vols[i] != vol)
            continue;
        memmove(&pool->vols[i], &pool->vols[i + 1],
                (pool->nvols - i - 1) * sizeof(*pool->vols));
        pool->nvols--;
        vol_free(vol);
        test_storage_pool_update_sizes(pool);
        return;
    }
}

/* ------------------------------------------------------------ backings */

int test_storage_vol_sync_size(test_storage_vol *vol)
{
    if (vol->fd < 0)
        return 0;
    if (ftruncate(vol->fd, (off_t)vol->def->capacity) == 0)
        return 0;
    if (errno == EFBIG || errno == EINVAL) {
        /* Larger than this file system allows: the tail reads as zeros
         * (see test-storage.h). */
        EVIRT_DEBUG("backing of '%s' kept short of %llu bytes",
                    vol->def->name, vol->def->capacity);
        return 0;
    }
    return -1;
}

int test_storage_vol_fd(test_storage_vol *vol)
{
    if (vol->fd >= 0)
        return vol->fd;
    const char *dir = getenv("TMPDIR");
    if (!dir || !dir[0])
        dir = "/tmp";
    char *name = NULL;
    if (asprintf(&name, "%s/evirt-vol-XXXXXX", dir) < 0) {
        errno = ENOMEM;
        return -1;
    }
    int fd = mkostemp(name, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        EVIRT_WARN("cannot create a backing file in %s: %s", dir, strerror(e));
        free(name);
        errno = e;
        return -1;
    }
    /* Unlinked at once: the file lives exactly as long as the fd. */
    unlink(name);
    free(name);
    vol->fd = fd;
    if (test_storage_vol_sync_size(vol) < 0) {
        int e = errno;
        close(fd);
        vol->fd = -1;
        errno = e;
        return -1;
    }
    return fd;
}

int test_storage_vol_zero(test_storage_vol *vol)
{
    if (vol->fd < 0)
        return 0; /* no backing yet: reads as zeros already */
    if (ftruncate(vol->fd, 0) < 0)
        return -1;
    return test_storage_vol_sync_size(vol);
}

static bool all_zero(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i])
            return false;
    return true;
}

/* Copies [from, to) of in to the same offsets of out, leaving zero
 * blocks unwritten (out reads as zeros there already). */
static int copy_range(int in, int out, off_t from, off_t to, char *buf,
                      size_t bufsize)
{
    while (from < to) {
        size_t want = (size_t)(to - from) < bufsize ? (size_t)(to - from) : bufsize;
        ssize_t got = pread(in, buf, want, from);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        if (!all_zero(buf, (size_t)got)) {
            for (ssize_t done = 0; done < got;) {
                ssize_t w = pwrite(out, buf + done, (size_t)(got - done),
                                   from + done);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w < 0)
                    return -1;
                done += w;
            }
        }
        from += got;
    }
    return 0;
}

int test_storage_vol_copy(test_storage_vol *dst, test_storage_vol *src)
{
    if (test_storage_vol_zero(dst) < 0)
        return -1;
    if (src->fd < 0)
        return 0; /* the source is all zeros */
    int out = test_storage_vol_fd(dst);
    if (out < 0)
        return -1;
    struct stat sb;
    if (fstat(src->fd, &sb) < 0)
        return -1;
    off_t end = sb.st_size;
    if ((unsigned long long)end > dst->def->capacity)
        end = (off_t)dst->def->capacity;

    enum { BUFSIZE = 64 * 1024 };
    char *buf = malloc(BUFSIZE);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    int ret = 0;
    off_t pos = 0;
    while (pos < end) {
        /* Only the data segments are read; holes stay holes.  lseek
         * moves src's file offset, which nobody relies on (the fd is
         * used with pread/pwrite only). */
        off_t data = lseek(src->fd, pos, SEEK_DATA);
        if (data < 0 && errno == ENXIO)
            break; /* nothing but a hole up to the end */
        if (data < 0)
            data = pos; /* no SEEK_DATA here: copy everything */
        if (data >= end)
            break;
        off_t hole = lseek(src->fd, data, SEEK_HOLE);
        if (hole < 0 || hole > end)
            hole = end;
        if (copy_range(src->fd, out, data, hole, buf, BUFSIZE) < 0) {
            ret = -1;
            break;
        }
        pos = hole;
    }
    int e = errno;
    free(buf);
    errno = e;
    return ret;
}
