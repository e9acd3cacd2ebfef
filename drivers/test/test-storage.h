/*
 * drivers/test/test-storage.h - storage pools and volumes of the test
 * driver: their in-memory state, the driver entries, the default pool of
 * test:///default and the config loader's <pool> handler.
 *
 * State: a test_storage (test_state->storage) owns its pools in the
 * order they were added; a pool owns its defs and volumes; a volume owns
 * its def and its backing.  Everything runs on the connection's loop
 * thread, nothing is locked.  Pointers the find functions return are
 * borrowed: valid until the pool or volume is removed.
 *
 * Sizes: every pool has libvirt's test driver capacity (100 GiB); its
 * allocation is the sum of its volumes' allocations and available is
 * capacity - allocation (0 when over-committed).  A volume's allocation
 * is the one of its XML (its capacity when the XML gives none), changed
 * by resize with ALLOCATE; it is NOT measured from the backing file, so
 * that the numbers are the same on every host and file system.
 *
 * Volume content: each volume holds real bytes in a sparse backing file
 * (created in $TMPDIR, or /tmp, and unlinked at once, so nothing is left
 * behind even after a crash).  The backing is made the first time it is
 * needed (test_storage_vol_fd); until then the volume reads as zeros.
 * Its size follows the capacity; a host file system that cannot hold a
 * file that large leaves it shorter, and bytes past its end read as
 * zeros.
 *
 * Behaviour follows libvirt's test driver (states, events, error codes
 * and messages); where that driver has no entry (wipe, resize) or an
 * obvious slip, the real storage driver's rules are used instead.
 */
#ifndef EVIRT_TEST_STORAGE_H
#define EVIRT_TEST_STORAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers/test/test-state.h"
#include "conf/storage_conf.h"

/* Capacity of every pool, as libvirt's test driver reports it. */
#define TEST_STORAGE_POOL_CAPACITY (100ULL * 1024 * 1024 * 1024)

typedef struct test_storage_vol {
    /* name, key (= target.path) and target.path always set */
    evirt_storage_vol_def *def;
    int fd;                /* sparse backing, -1 until first needed */
} test_storage_vol;

typedef struct test_storage_pool {
    /* The definition in force (the running one while active); its
     * capacity/allocation/available are kept up to date. */
    evirt_storage_pool_def *def;
    /* The next-start definition of an active pool redefined while
     * running, else NULL; becomes def when the pool stops. */
    evirt_storage_pool_def *new_def;
    bool active;
    bool persistent;       /* defined (a transient pool goes at destroy) */
    bool autostart;
    bool built;            /* built since defined / last deleted */
    test_storage_vol **vols; /* in creation order */
    size_t nvols, avols;
} test_storage_pool;

struct test_storage {
    test_storage_pool **pools; /* in the order they were added */
    size_t npools, apools;
};

/* --------------------------------------------------------- the state */

/* Frees the storage state (pools, volumes, backings); NULL is fine. */
void test_storage_free(test_storage *stor);

/* The storage state of st, made empty on first use; NULL when out of
 * memory. */
test_storage *test_storage_of(test_state *st);

/* Lookups; NULL when nothing matches. */
test_storage_pool *test_storage_find_pool(test_state *st, const char *name);
test_storage_pool *test_storage_find_pool_uuid(test_state *st,
                                               const unsigned char *uuid);
test_storage_vol *test_storage_pool_find_vol(test_storage_pool *pool,
                                             const char *name);

/*
 * The volume a handle names (its pool by name, then the volume by name),
 * whether or not the pool is active; NULL when either is gone.  For
 * other parts of the driver (the streams of volume upload/download).
 */
test_storage_vol *test_storage_vol_from_handle(evirt_storage_vol *v);

/*
 * The volume's backing file, created (sparse, capacity bytes) on first
 * use.  The fd stays owned by the volume and is closed when the volume
 * is deleted or the connection closes: dup() it to keep it longer.  It
 * is opened read-write, O_CLOEXEC, blocking (a regular file).  Use
 * pread/pwrite: its file offset is shared and moved by clones.  Reads
 * past its end (a file system that could not hold the whole capacity)
 * mean zeros.  -1 with errno set when the file cannot be made.
 */
int test_storage_vol_fd(test_storage_vol *vol);

/* Recomputes pool's allocation and available from its volumes. */
void test_storage_pool_update_sizes(test_storage_pool *pool);

/* ------------------------------------------------------- loading */

/* test:///default's pool "default-pool" (dir, /default-pool, active,
 * persistent, no volumes): 0, or -1 with err set. */
int test_storage_default_load(test_state *st, evirt_error *err);

/*
 * The config loader's <pool> element (inline, or file='x.xml' resolved
 * against dir when relative; NULL dir = current folder), with nested
 * <volume> elements (inline or file=; with <pool file=>, both those in
 * the file's <pool> and those nested in the config's element -- libvirt
 * reads only the former).  The pool is added active and persistent;
 * volumes without a target path get <pool path>/<name>, and a key equal
 * to their path.  docname names the config in messages.
 * 0, or -1 with err set (the state may keep what was added before).
 */
int test_storage_config_pool(test_state *st, struct _xmlNode *node,
                             const char *docname, const char *dir,
                             evirt_error *err);

/* --------------------------------------------- test-storage-pool.c */

void test_storage_pool_lookup_by_name(evirt_op *op, evirt_conn *c,
                                      const char *name);
void test_storage_pool_lookup_by_uuid(evirt_op *op, evirt_conn *c,
                                      const unsigned char *uuid);
void test_storage_pool_lookup_by_uuid_string(evirt_op *op, evirt_conn *c,
                                             const char *uuid);
void test_storage_pool_lookup_by_volume(evirt_op *op, evirt_storage_vol *v);
void test_conn_list_storage_pools(evirt_op *op, evirt_conn *c);
void test_conn_list_defined_storage_pools(evirt_op *op, evirt_conn *c);
void test_conn_list_all_storage_pools(evirt_op *op, evirt_conn *c,
                                      unsigned int flags);
void test_conn_num_of_storage_pools(evirt_op *op, evirt_conn *c);
void test_conn_num_of_defined_storage_pools(evirt_op *op, evirt_conn *c);
void test_conn_find_storage_pool_sources(evirt_op *op, evirt_conn *c,
                                         const char *type, const char *spec,
                                         unsigned int flags);
void test_storage_pool_define_xml(evirt_op *op, evirt_conn *c, const char *xml,
                                  unsigned int flags);
void test_storage_pool_create_xml(evirt_op *op, evirt_conn *c, const char *xml,
                                  unsigned int flags);
void test_storage_pool_build(evirt_op *op, evirt_storage_pool *p,
                             unsigned int flags);
void test_storage_pool_create(evirt_op *op, evirt_storage_pool *p,
                              unsigned int flags);
void test_storage_pool_destroy(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_delete(evirt_op *op, evirt_storage_pool *p,
                              unsigned int flags);
void test_storage_pool_undefine(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_refresh(evirt_op *op, evirt_storage_pool *p,
                               unsigned int flags);
void test_storage_pool_get_info(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_get_autostart(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_set_autostart(evirt_op *op, evirt_storage_pool *p,
                                     int autostart);
void test_storage_pool_is_active(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_is_persistent(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_get_xml_desc(evirt_op *op, evirt_storage_pool *p,
                                    unsigned int flags);
void test_storage_pool_num_of_volumes(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_list_volumes(evirt_op *op, evirt_storage_pool *p);
void test_storage_pool_list_all_volumes(evirt_op *op, evirt_storage_pool *p,
                                        unsigned int flags);

/* ---------------------------------------------- test-storage-vol.c */

void test_storage_vol_lookup_by_name(evirt_op *op, evirt_storage_pool *p,
                                     const char *name);
void test_storage_vol_lookup_by_key(evirt_op *op, evirt_conn *c,
                                    const char *key);
void test_storage_vol_lookup_by_path(evirt_op *op, evirt_conn *c,
                                     const char *path);
void test_storage_vol_create_xml(evirt_op *op, evirt_storage_pool *p,
                                 const char *xml, unsigned int flags);
void test_storage_vol_create_xml_from(evirt_op *op, evirt_storage_pool *p,
                                      const char *xml,
                                      evirt_storage_vol *clonevol,
                                      unsigned int flags);
void test_storage_vol_delete(evirt_op *op, evirt_storage_vol *v,
                             unsigned int flags);
void test_storage_vol_wipe(evirt_op *op, evirt_storage_vol *v,
                           unsigned int flags);
void test_storage_vol_resize(evirt_op *op, evirt_storage_vol *v,
                             unsigned long long capacity, unsigned int flags);
void test_storage_vol_get_info(evirt_op *op, evirt_storage_vol *v);
void test_storage_vol_get_path(evirt_op *op, evirt_storage_vol *v);
void test_storage_vol_get_xml_desc(evirt_op *op, evirt_storage_vol *v,
                                   unsigned int flags);

/* ----------------------------------- helpers shared by the entries */

/*
 * The pool a handle names, found by name (by_uuid: by uuid, as libvirt
 * does for is_active, is_persistent and list_all_volumes).  Fails op
 * with NO_STORAGE_POOL and returns NULL when it is gone; with
 * want_active 1 / 0 it also fails with OPERATION_INVALID "storage pool
 * 'X' is not active" / "... is active" (-1: either state).
 */
test_storage_pool *test_storage_pool_from_handle(evirt_op *op,
                                                 evirt_storage_pool *p,
                                                 bool by_uuid, int want_active);

/* Emits a storage pool lifecycle event (detail 0), or REFRESH when
 * event is -1. */
void test_storage_emit(test_state *st, const evirt_storage_pool_def *def,
                       int event);

/* A new handle (a reference the caller owns); NULL when out of memory. */
evirt_storage_pool *test_storage_pool_handle(evirt_conn *c,
                                             test_storage_pool *pool);
evirt_storage_vol *test_storage_vol_handle(evirt_conn *c,
                                           test_storage_pool *pool,
                                           test_storage_vol *vol);

/*
 * Adds a new pool made of def (taken on success), inactive, not
 * persistent, capacity set; the caller checked for clashes.  NULL when
 * out of memory (def left to the caller).
 */
test_storage_pool *test_storage_add_pool(test_state *st,
                                         evirt_storage_pool_def *def);
/* Removes pool from the state and frees it with its volumes. */
void test_storage_remove_pool(test_state *st, test_storage_pool *pool);

/*
 * libvirt's checks before adding or redefining def: a pool with def's
 * uuid but another name, or def's name but another uuid: OPERATION_FAILED;
 * another pool using the same source (same dir target path, same netfs
 * host and dir, a shared device...): OPERATION_FAILED "Storage source
 * conflict with pool: 'X'"; check_active and the same pool is active:
 * OPERATION_INVALID "pool is already active as 'X'".  Returns -1 with err
 * set, else 0 and *existing = the pool with the same name and uuid (or
 * NULL).
 */
int test_storage_check_duplicate(test_state *st,
                                 const evirt_storage_pool_def *def,
                                 bool check_active,
                                 test_storage_pool **existing,
                                 evirt_error *err);

/*
 * Prepares a parsed volume def for pool: path = <pool target path>/<name>
 * (or <pool name>/<name> for pools without a target path) unless keep_path
 * and one is set, key = path.  0, or -1 when out of memory.
 */
int test_storage_vol_prepare(const test_storage_pool *pool,
                             evirt_storage_vol_def *def, bool keep_path);

/* Adds a volume made of def (taken on success) to pool, updating the
 * pool's sizes.  NULL when out of memory (def left to the caller). */
test_storage_vol *test_storage_pool_add_vol(test_storage_pool *pool,
                                            evirt_storage_vol_def *def);
/* Removes vol from pool, frees it (closing its backing), updates sizes. */
void test_storage_pool_remove_vol(test_storage_pool *pool,
                                  test_storage_vol *vol);

/*
 * Copies src's bytes into dst's backing (dst's first capacity bytes;
 * the rest of dst reads as zeros).  Holes stay holes where the file
 * system reports them.  0, or -1 with errno set.
 */
int test_storage_vol_copy(test_storage_vol *dst, test_storage_vol *src);

/* Makes every byte of vol zero (keeps its size and allocation). */
int test_storage_vol_zero(test_storage_vol *vol);

/* Sets the backing's size to vol's capacity (if it has a backing). */
int test_storage_vol_sync_size(test_storage_vol *vol);

/*
 * The driver table's designated initializers for the entries above, for
 * test-driver.c: `.ops = { ..., TEST_STORAGE_OPS }`.
 */
#define TEST_STORAGE_OPS \
    .storage_pool_lookup_by_name = test_storage_pool_lookup_by_name, \
    .storage_pool_lookup_by_uuid = test_storage_pool_lookup_by_uuid, \
    .storage_pool_lookup_by_uuid_string = test_storage_pool_lookup_by_uuid_string, \
    .storage_pool_lookup_by_volume = test_storage_pool_lookup_by_volume, \
    .conn_list_storage_pools = test_conn_list_storage_pools, \
    .conn_list_defined_storage_pools = test_conn_list_defined_storage_pools, \
    .conn_list_all_storage_pools = test_conn_list_all_storage_pools, \
    .conn_num_of_storage_pools = test_conn_num_of_storage_pools, \
    .conn_num_of_defined_storage_pools = test_conn_num_of_defined_storage_pools, \
    .conn_find_storage_pool_sources = test_conn_find_storage_pool_sources, \
    .storage_pool_define_xml = test_storage_pool_define_xml, \
    .storage_pool_create_xml = test_storage_pool_create_xml, \
    .storage_pool_build = test_storage_pool_build, \
    .storage_pool_create = test_storage_pool_create, \
    .storage_pool_destroy = test_storage_pool_destroy, \
    .storage_pool_delete = test_storage_pool_delete, \
    .storage_pool_undefine = test_storage_pool_undefine, \
    .storage_pool_refresh = test_storage_pool_refresh, \
    .storage_pool_get_info = test_storage_pool_get_info, \
    .storage_pool_get_autostart = test_storage_pool_get_autostart, \
    .storage_pool_set_autostart = test_storage_pool_set_autostart, \
    .storage_pool_is_active = test_storage_pool_is_active, \
    .storage_pool_is_persistent = test_storage_pool_is_persistent, \
    .storage_pool_get_xml_desc = test_storage_pool_get_xml_desc, \
    .storage_pool_num_of_volumes = test_storage_pool_num_of_volumes, \
    .storage_pool_list_volumes = test_storage_pool_list_volumes, \
    .storage_pool_list_all_volumes = test_storage_pool_list_all_volumes, \
    .storage_vol_lookup_by_name = test_storage_vol_lookup_by_name, \
    .storage_vol_lookup_by_key = test_storage_vol_lookup_by_key, \
    .storage_vol_lookup_by_path = test_storage_vol_lookup_by_path, \
    .storage_vol_create_xml = test_storage_vol_create_xml, \
    .storage_vol_create_xml_from = test_storage_vol_create_xml_from, \
    .storage_vol_delete = test_storage_vol_delete, \
    .storage_vol_wipe = test_storage_vol_wipe, \
    .storage_vol_resize = test_storage_vol_resize, \
    .storage_vol_get_info = test_storage_vol_get_info, \
    .storage_vol_get_path = test_storage_vol_get_path, \
    .storage_vol_get_xml_desc = test_storage_vol_get_xml_desc,

#endif
