/*
 * tests/test-driver-storage.c - storage pools and volumes of the test
 * driver: test:///default's pool, every pool and volume operation with
 * its events and refusals (error code, nothing changed, no event), real
 * volume content (clone copies bytes, wipe zeroes them, resize moves the
 * end), and pools and volumes loaded from a config file.
 *
 * Each test has its own loop and test:///default connection; the sync
 * API iterates that loop, and so does wait_events().
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "drivers/test/test-storage.h"
#include "tests/test-uri-helper.h"

#define DATA TEST_DATA_DIR "/testdriver/"
#define DEFAULT_UUID "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"
#define GiB (1024ULL * 1024 * 1024)
#define MiB (1024ULL * 1024)

/* pool-dumpxml default-pool, as libvirt's test driver writes it. */
static const char default_pool_xml[] =
    "<pool type='dir'>\n"
    "  <name>default-pool</name>\n"
    "  <uuid>" DEFAULT_UUID "</uuid>\n"
    "  <capacity unit='bytes'>107374182400</capacity>\n"
    "  <allocation unit='bytes'>0</allocation>\n"
    "  <available unit='bytes'>107374182400</available>\n"
    "  <source>\n"
    "  </source>\n"
    "  <target>\n"
    "    <path>/default-pool</path>\n"
    "  </target>\n"
    "</pool>\n";

static const char dir_pool_xml[] =
    "<pool type='dir'>"
    "  <name>p2</name>"
    "  <uuid>33333333-cccc-4ccc-8ccc-333333333333</uuid>"
    "  <target><path>/p2</path></target>"
    "</pool>";

static const char netfs_pool_xml[] =
    "<pool type='netfs'>"
    "  <name>nfs</name>"
    "  <source><host name='nfs.example'/><dir path='/export'/></source>"
    "  <target><path>/mnt/nfs</path></target>"
    "</pool>";

static const char logical_pool_xml[] =
    "<pool type='logical'>"
    "  <name>vgt</name>"
    "  <source><device path='/dev/sdz1'/></source>"
    "</pool>";

static const char vol_xml[] =
    "<volume><name>v1</name>"
    "<capacity unit='MiB'>10</capacity>"
    "<allocation unit='KiB'>512</allocation></volume>";

/* vol-dumpxml of v1 in default-pool, as libvirt writes it. */
static const char vol_dump[] =
    "<volume type='file'>\n"
    "  <name>v1</name>\n"
    "  <key>/default-pool/v1</key>\n"
    "  <capacity unit='bytes'>10485760</capacity>\n"
    "  <allocation unit='bytes'>524288</allocation>\n"
    "  <target>\n"
    "    <path>/default-pool/v1</path>\n"
    "    <format type='raw'/>\n"
    "  </target>\n"
    "</volume>\n";

/* libvirt's answer to find-storage-pool-sources logical. */
static const char logical_sources[] =
    "<sources>\n"
    "  <source>\n"
    "    <device path='/dev/sda20'/>\n"
    "    <name>testvg1</name>\n"
    "    <format type='lvm2'/>\n"
    "  </source>\n"
    "  <source>\n"
    "    <device path='/dev/sda21'/>\n"
    "    <name>testvg2</name>\n"
    "    <format type='lvm2'/>\n"
    "  </source>\n"
    "</sources>\n";

static const char netfs_sources[] =
    "<sources>\n"
    "  <source>\n"
    "    <host name='nfs.example'/>\n"
    "    <dir path='/testshare'/>\n"
    "    <format type='nfs'/>\n"
    "  </source>\n"
    "</sources>\n";

/* ------------------------------------------------------------- fixture */

#define MAX_EVENTS 32

typedef struct event_rec {
    int event_id;
    int event, detail;
    char pool[64];
} event_rec;

typedef struct fixture {
    evirt_loop *loop;
    evirt_conn *conn;
    int cb_lifecycle, cb_refresh;
    event_rec events[MAX_EVENTS];
    int nevents;
} fixture;

static void record(fixture *f, int event_id, evirt_storage_pool *pool,
                   int event, int detail)
{
    if (f->nevents >= MAX_EVENTS)
        return;
    event_rec *r = &f->events[f->nevents++];
    r->event_id = event_id;
    r->event = event;
    r->detail = detail;
    snprintf(r->pool, sizeof(r->pool), "%s", evirt_storage_pool_get_name(pool));
}

static void on_lifecycle(evirt_conn *conn, evirt_storage_pool *pool, int event,
                         int detail, void *opaque)
{
    (void)conn;
    record(opaque, EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE, pool, event, detail);
}

static void on_refresh(evirt_conn *conn, evirt_storage_pool *pool, void *opaque)
{
    (void)conn;
    record(opaque, EVIRT_STORAGE_POOL_EVENT_ID_REFRESH, pool, -1, -1);
}

static void flag_timer(int timer, void *opaque)
{
    (void)timer;
    *(int *)opaque = 1;
}

/* Iterates the loop for about ms milliseconds. */
static void spin(fixture *f, int ms)
{
    int fired = 0;
    int t = evirt_loop_add_timeout(f->loop, ms, flag_timer, &fired, NULL);
    assert_true(t > 0);
    while (!fired)
        evirt_loop_run_once(f->loop);
    evirt_loop_remove_timeout(f->loop, t);
}

/* Iterates the loop until n events in all were delivered (or 2 s). */
static void wait_events(fixture *f, int n)
{
    for (int i = 0; i < 200 && f->nevents < n; i++)
        spin(f, 10);
    assert_int_equal(f->nevents, n);
}

/* Lets anything queued be delivered, then checks nothing new came. */
static void assert_no_new_events(fixture *f, int n)
{
    spin(f, 20);
    assert_int_equal(f->nevents, n);
}

static void assert_event(fixture *f, int i, const char *pool, int event)
{
    assert_true(i < f->nevents);
    assert_string_equal(f->events[i].pool, pool);
    if (event < 0) {
        assert_int_equal(f->events[i].event_id,
                         EVIRT_STORAGE_POOL_EVENT_ID_REFRESH);
    } else {
        assert_int_equal(f->events[i].event_id,
                         EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE);
        assert_int_equal(f->events[i].event, event);
        assert_int_equal(f->events[i].detail, 0);
    }
}

static void assert_last_error(int code, const char *what)
{
    const evirt_error *err = evirt_last_error();
    assert_non_null(err);
    assert_int_equal(err->code, code);
    assert_non_null(err->message);
    if (what && !strstr(err->message, what))
        fail_msg("\"%s\" does not say \"%s\"", err->message, what);
}

static fixture *fixture_open(const char *uri)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->loop = evirt_loop_new(NULL);
    assert_non_null(f->loop);
    f->conn = evirt_conn_open_on(f->loop, test_uri(uri), NULL, 0);
    if (!f->conn) {
        evirt_loop_free(f->loop);
        free(f);
        return NULL;
    }
    f->cb_lifecycle = evirt_conn_storage_pool_event_register_any(
        f->conn, NULL, EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE,
        EVIRT_STORAGE_POOL_EVENT_CALLBACK(on_lifecycle), f, NULL);
    assert_true(f->cb_lifecycle > 0);
    f->cb_refresh = evirt_conn_storage_pool_event_register_any(
        f->conn, NULL, EVIRT_STORAGE_POOL_EVENT_ID_REFRESH,
        EVIRT_STORAGE_POOL_EVENT_CALLBACK(on_refresh), f, NULL);
    assert_true(f->cb_refresh > 0);
    return f;
}

static void fixture_close(fixture *f)
{
    evirt_conn_storage_pool_event_deregister_any(f->conn, f->cb_lifecycle);
    evirt_conn_storage_pool_event_deregister_any(f->conn, f->cb_refresh);
    evirt_conn_close(f->conn);
    spin(f, 20);
    evirt_loop_free(f->loop);
    free(f);
}

static int setup(void **state)
{
    *state = fixture_open("test:///default");
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_close(*state);
    return 0;
}

static int count_pools(evirt_conn *c, unsigned int flags)
{
    evirt_storage_pool **list = NULL;
    int n = evirt_conn_list_all_storage_pools(c, flags, &list);
    if (n >= 0)
        evirt_storage_pool_list_free(list, n);
    return n;
}

static evirt_storage_pool *default_pool(fixture *f)
{
    evirt_storage_pool *p = evirt_storage_pool_lookup_by_name(f->conn,
                                                              "default-pool");
    assert_non_null(p);
    return p;
}

static void assert_pool_info(evirt_storage_pool *p, int state,
                             unsigned long long alloc)
{
    evirt_storage_pool_info info;
    assert_int_equal(evirt_storage_pool_get_info(p, &info), 0);
    assert_int_equal(info.state, state);
    assert_int_equal(info.capacity, 100 * GiB);
    assert_int_equal(info.allocation, alloc);
    assert_int_equal(info.available, 100 * GiB - alloc);
}

/*
 * The backing of a volume, through the in-process driver's helper.  Over
 * the wire the backing lives inside evirtd and evirt has no call to read
 * or write a volume's bytes yet (no upload/download streams), so there it
 * is -1 and the byte-level checks below do nothing: the API-level checks
 * around them (sizes, allocations, events, errors) still run.
 */
static int vol_fd(evirt_storage_vol *v)
{
    if (test_over_wire())
        return -1;
    test_storage_vol *vol = test_storage_vol_from_handle(v);
    assert_non_null(vol);
    int fd = test_storage_vol_fd(vol);
    assert_true(fd >= 0);
    return fd;
}

static void write_at(int fd, const void *buf, size_t len, off_t off)
{
    if (fd < 0)
        return;     /* over the wire: see vol_fd */
    assert_int_equal(pwrite(fd, buf, len, off), (ssize_t)len);
}

static void assert_bytes(int fd, off_t off, const void *want, size_t len)
{
    char buf[256];
    if (fd < 0)
        return;     /* over the wire: see vol_fd */
    assert_true(len <= sizeof(buf));
    assert_int_equal(pread(fd, buf, len, off), (ssize_t)len);
    assert_memory_equal(buf, want, len);
}

static void assert_zeros(int fd, off_t off, size_t len)
{
    char zero[256] = { 0 };
    assert_bytes(fd, off, zero, len);
}

/* The backing file's size; stored bytes (st_blocks) at most max_stored
 * when nonzero. */
static void assert_backing(int fd, off_t size, unsigned long long max_stored)
{
    struct stat sb;
    if (fd < 0)
        return;     /* over the wire: see vol_fd */
    assert_int_equal(fstat(fd, &sb), 0);
    assert_int_equal(sb.st_size, size);
    if (max_stored)
        assert_true((unsigned long long)sb.st_blocks * 512 < max_stored);
}

/* ------------------------------------------------------------ default */

static void test_default_pool(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = default_pool(f);
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    assert_int_equal(evirt_storage_pool_get_uuid_string(p, uuid), 0);
    assert_string_equal(uuid, DEFAULT_UUID);

    evirt_storage_pool *q = evirt_storage_pool_lookup_by_uuid_string(f->conn,
                                                                     DEFAULT_UUID);
    assert_non_null(q);
    assert_string_equal(evirt_storage_pool_get_name(q), "default-pool");
    unsigned char raw[16];
    assert_int_equal(evirt_storage_pool_get_uuid(q, raw), 0);
    evirt_storage_pool_unref(q);
    q = evirt_storage_pool_lookup_by_uuid(f->conn, raw);
    assert_non_null(q);
    evirt_storage_pool_unref(q);

    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 0);
    assert_int_equal(evirt_storage_pool_is_active(p), 1);
    assert_int_equal(evirt_storage_pool_is_persistent(p), 1);
    assert_int_equal(evirt_storage_pool_get_autostart(p), 0);
    char *xml = evirt_storage_pool_get_xml_desc(p, 0);
    assert_non_null(xml);
    assert_string_equal(xml, default_pool_xml);
    free(xml);

    assert_int_equal(evirt_conn_num_of_storage_pools(f->conn), 1);
    assert_int_equal(evirt_conn_num_of_defined_storage_pools(f->conn), 0);
    char **names = NULL;
    assert_int_equal(evirt_conn_list_storage_pools(f->conn, &names), 1);
    assert_string_equal(names[0], "default-pool");
    evirt_string_list_free(names, 1);
    assert_int_equal(evirt_conn_list_defined_storage_pools(f->conn, &names), 0);
    evirt_string_list_free(names, 0);

    /* libvirt's default pool has no volumes. */
    assert_int_equal(evirt_storage_pool_num_of_volumes(p), 0);
    assert_int_equal(evirt_storage_pool_list_volumes(p, &names), 0);
    evirt_string_list_free(names, 0);
    evirt_storage_vol **vols = NULL;
    assert_int_equal(evirt_storage_pool_list_all_volumes(p, 0, &vols), 0);
    evirt_storage_vol_list_free(vols, 0);

    assert_int_equal(evirt_storage_pool_set_autostart(p, 1), 0);
    assert_int_equal(evirt_storage_pool_get_autostart(p), 1);
    assert_int_equal(count_pools(f->conn, EVIRT_CONNECT_LIST_STORAGE_POOLS_AUTOSTART), 1);
    evirt_storage_pool_unref(p);
    assert_no_new_events(f, 0);
}

static void test_lookup_failures(void **state)
{
    fixture *f = *state;
    assert_null(evirt_storage_pool_lookup_by_name(f->conn, "nope"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, "'nope'");
    assert_int_equal(evirt_last_error()->domain, EVIRT_FROM_TEST);
    assert_null(evirt_storage_pool_lookup_by_uuid_string(
        f->conn, "00000000-0000-0000-0000-000000000001"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL,
                      "00000000-0000-0000-0000-000000000001");
    assert_null(evirt_storage_pool_lookup_by_uuid_string(f->conn, "not-a-uuid"));
    assert_last_error(EVIRT_ERR_INVALID_ARG, "not-a-uuid");
    unsigned char raw[16] = { 1 };
    assert_null(evirt_storage_pool_lookup_by_uuid(f->conn, raw));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);

    assert_null(evirt_storage_vol_lookup_by_key(f->conn, "/default-pool/x"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, "key '/default-pool/x'");
    assert_null(evirt_storage_vol_lookup_by_path(f->conn, "/default-pool/x"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, "path '/default-pool/x'");
    evirt_storage_pool *p = default_pool(f);
    assert_null(evirt_storage_vol_lookup_by_name(p, "x"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, "name 'x'");

    /* Unknown flags are refused by every entry that takes flags. */
    assert_int_equal(count_pools(f->conn, 1u << 20), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags");
    assert_int_equal(evirt_storage_pool_refresh(p, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_null(evirt_storage_pool_get_xml_desc(p, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    evirt_storage_vol **vols = NULL;
    assert_int_equal(evirt_storage_pool_list_all_volumes(p, 1, &vols), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_null(evirt_storage_vol_create_xml(p, vol_xml, 8));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    evirt_storage_pool_unref(p);
    assert_no_new_events(f, 0);
}

/* ---------------------------------------------------------- lifecycle */

static void test_pool_lifecycle(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = evirt_storage_pool_define_xml(f->conn, dir_pool_xml, 0);
    assert_non_null(p);
    wait_events(f, 1);
    assert_event(f, 0, "p2", EVIRT_STORAGE_POOL_EVENT_DEFINED);
    assert_int_equal(evirt_storage_pool_is_active(p), 0);
    assert_int_equal(evirt_storage_pool_is_persistent(p), 1);
    assert_pool_info(p, EVIRT_STORAGE_POOL_INACTIVE, 0);
    assert_int_equal(evirt_conn_num_of_defined_storage_pools(f->conn), 1);
    char **names = NULL;
    assert_int_equal(evirt_conn_list_defined_storage_pools(f->conn, &names), 1);
    assert_string_equal(names[0], "p2");
    evirt_string_list_free(names, 1);

    /* Inactive: no volume operations. */
    assert_int_equal(evirt_storage_pool_num_of_volumes(p), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "storage pool 'p2' is not active");
    assert_int_equal(evirt_storage_pool_list_volumes(p, &names), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    evirt_storage_vol **vols = NULL;
    assert_int_equal(evirt_storage_pool_list_all_volumes(p, 0, &vols), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "not active");
    assert_null(evirt_storage_vol_create_xml(p, vol_xml, 0));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_null(evirt_storage_vol_lookup_by_name(p, "v1"));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_int_equal(evirt_storage_pool_destroy(p), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "not active");
    assert_int_equal(evirt_storage_pool_refresh(p, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_no_new_events(f, 1);

    assert_int_equal(evirt_storage_pool_build(p, 0), 0);
    wait_events(f, 2);
    assert_event(f, 1, "p2", EVIRT_STORAGE_POOL_EVENT_CREATED);
    assert_int_equal(evirt_storage_pool_build(p, EVIRT_STORAGE_POOL_BUILD_OVERWRITE |
                                                 EVIRT_STORAGE_POOL_BUILD_NO_OVERWRITE), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);

    assert_int_equal(evirt_storage_pool_create(p, 0), 0);
    wait_events(f, 3);
    assert_event(f, 2, "p2", EVIRT_STORAGE_POOL_EVENT_STARTED);
    assert_int_equal(evirt_storage_pool_is_active(p), 1);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 0);
    assert_int_equal(evirt_conn_num_of_storage_pools(f->conn), 2);

    /* Active: no build, start, delete or undefine. */
    assert_int_equal(evirt_storage_pool_build(p, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "storage pool 'p2' is active");
    assert_int_equal(evirt_storage_pool_create(p, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_int_equal(evirt_storage_pool_delete(p, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_int_equal(evirt_storage_pool_undefine(p), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_no_new_events(f, 3);

    assert_int_equal(evirt_storage_pool_refresh(p, 0), 0);
    wait_events(f, 4);
    assert_event(f, 3, "p2", -1);

    /* Volumes outlive a stop/start, as in libvirt's test driver. */
    evirt_storage_vol *v = evirt_storage_vol_create_xml(p, vol_xml, 0);
    assert_non_null(v);
    evirt_storage_vol_unref(v);

    assert_int_equal(evirt_storage_pool_destroy(p), 0);
    wait_events(f, 5);
    assert_event(f, 4, "p2", EVIRT_STORAGE_POOL_EVENT_STOPPED);
    assert_int_equal(evirt_storage_pool_is_active(p), 0);
    /* A stopped pool's volumes are not found host-wide. */
    assert_null(evirt_storage_vol_lookup_by_path(f->conn, "/p2/v1"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);

    assert_int_equal(evirt_storage_pool_delete(p, 0), 0);
    wait_events(f, 6);
    assert_event(f, 5, "p2", EVIRT_STORAGE_POOL_EVENT_DELETED);
    assert_int_equal(evirt_storage_pool_delete(p, 4), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);

    assert_int_equal(evirt_storage_pool_create(p, 0), 0);
    wait_events(f, 7);
    assert_int_equal(evirt_storage_pool_num_of_volumes(p), 1);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 512 * 1024);
    assert_int_equal(evirt_storage_pool_destroy(p), 0);
    wait_events(f, 8);

    assert_int_equal(evirt_storage_pool_undefine(p), 0);
    wait_events(f, 9);
    assert_event(f, 8, "p2", EVIRT_STORAGE_POOL_EVENT_UNDEFINED);

    /* Gone: every entry says so. */
    assert_int_equal(evirt_storage_pool_is_active(p), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, "33333333-cccc-4ccc-8ccc-333333333333");
    assert_int_equal(evirt_storage_pool_is_persistent(p), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    evirt_storage_pool_info info;
    assert_int_equal(evirt_storage_pool_get_info(p, &info), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, "'p2'");
    assert_int_equal(evirt_storage_pool_create(p, 0), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    assert_int_equal(evirt_storage_pool_undefine(p), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    assert_int_equal(evirt_storage_pool_get_autostart(p), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    assert_null(evirt_storage_pool_get_xml_desc(p, 0));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    assert_int_equal(evirt_conn_num_of_defined_storage_pools(f->conn), 0);
    assert_no_new_events(f, 9);
    evirt_storage_pool_unref(p);
}

static void test_transient_pool(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = evirt_storage_pool_create_xml(f->conn, logical_pool_xml, 0);
    assert_non_null(p);
    wait_events(f, 1);
    assert_event(f, 0, "vgt", EVIRT_STORAGE_POOL_EVENT_STARTED);
    assert_int_equal(evirt_storage_pool_is_active(p), 1);
    assert_int_equal(evirt_storage_pool_is_persistent(p), 0);
    assert_int_equal(evirt_storage_pool_get_autostart(p), 0);
    assert_int_equal(evirt_storage_pool_set_autostart(p, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "pool has no config file");

    /* The parser's defaults for a logical pool show in its XML. */
    char *xml = evirt_storage_pool_get_xml_desc(p, 0);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<name>vgt</name>\n    <format type='lvm2'/>"));
    assert_non_null(strstr(xml, "<path>/dev/vgt</path>"));
    free(xml);

    /* Again while it runs: refused. */
    assert_null(evirt_storage_pool_create_xml(f->conn, logical_pool_xml, 0));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, NULL);

    /* Volumes of a logical pool are block volumes under /dev/<vg>. */
    evirt_storage_vol *v = evirt_storage_vol_create_xml(p, vol_xml, 0);
    assert_non_null(v);
    evirt_storage_vol_info vi;
    assert_int_equal(evirt_storage_vol_get_info(v, &vi), 0);
    assert_int_equal(vi.type, EVIRT_STORAGE_VOL_BLOCK);
    assert_string_equal(evirt_storage_vol_get_key(v), "/dev/vgt/v1");
    evirt_storage_vol_unref(v);

    assert_int_equal(evirt_storage_pool_destroy(p), 0);
    wait_events(f, 2);
    assert_event(f, 1, "vgt", EVIRT_STORAGE_POOL_EVENT_STOPPED);
    /* A transient pool is gone once stopped. */
    assert_null(evirt_storage_pool_lookup_by_name(f->conn, "vgt"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    assert_int_equal(evirt_conn_num_of_defined_storage_pools(f->conn), 0);
    evirt_storage_pool_unref(p);

    /* Defining a running transient pool makes it persistent; the new
     * definition waits for the next start. */
    p = evirt_storage_pool_create_xml(f->conn, dir_pool_xml, 0);
    assert_non_null(p);
    wait_events(f, 3);
    static const char redefined[] =
        "<pool type='dir'>"
        "  <name>p2</name>"
        "  <uuid>33333333-cccc-4ccc-8ccc-333333333333</uuid>"
        "  <target><path>/p2-next</path></target>"
        "</pool>";
    evirt_storage_pool *q = evirt_storage_pool_define_xml(f->conn, redefined, 0);
    assert_non_null(q);
    evirt_storage_pool_unref(q);
    wait_events(f, 4);
    assert_event(f, 3, "p2", EVIRT_STORAGE_POOL_EVENT_DEFINED);
    assert_int_equal(evirt_storage_pool_is_persistent(p), 1);
    xml = evirt_storage_pool_get_xml_desc(p, 0);
    assert_non_null(strstr(xml, "<path>/p2</path>"));
    free(xml);
    xml = evirt_storage_pool_get_xml_desc(p, EVIRT_STORAGE_XML_INACTIVE);
    assert_non_null(strstr(xml, "<path>/p2-next</path>"));
    free(xml);
    assert_int_equal(evirt_storage_pool_destroy(p), 0);
    xml = evirt_storage_pool_get_xml_desc(p, 0);
    assert_non_null(strstr(xml, "<path>/p2-next</path>"));
    free(xml);
    assert_int_equal(evirt_storage_pool_is_active(p), 0);

    /* create-xml of a defined, inactive pool starts it and keeps it
     * persistent. */
    q = evirt_storage_pool_create_xml(f->conn, dir_pool_xml, 0);
    assert_non_null(q);
    assert_int_equal(evirt_storage_pool_is_active(p), 1);
    assert_int_equal(evirt_storage_pool_is_persistent(p), 1);
    assert_int_equal(evirt_storage_pool_destroy(q), 0);
    evirt_storage_pool_unref(q);
    assert_int_equal(evirt_storage_pool_is_persistent(p), 1);
    xml = evirt_storage_pool_get_xml_desc(p, 0);
    assert_non_null(strstr(xml, "<path>/p2-next</path>"));
    free(xml);
    evirt_storage_pool_unref(p);
}

static void test_define_refusals(void **state)
{
    fixture *f = *state;
    /* Same name, another uuid. */
    static const char same_name[] =
        "<pool type='dir'><name>default-pool</name>"
        "<uuid>44444444-dddd-4ddd-8ddd-444444444444</uuid>"
        "<target><path>/elsewhere</path></target></pool>";
    assert_null(evirt_storage_pool_define_xml(f->conn, same_name, 0));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED,
                      "pool 'default-pool' already exists with uuid " DEFAULT_UUID);
    /* Same uuid, another name. */
    static const char same_uuid[] =
        "<pool type='dir'><name>other</name>"
        "<uuid>" DEFAULT_UUID "</uuid>"
        "<target><path>/elsewhere</path></target></pool>";
    assert_null(evirt_storage_pool_define_xml(f->conn, same_uuid, 0));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, "is already defined with uuid");
    /* The same directory as another pool. */
    static const char same_dir[] =
        "<pool type='dir'><name>other</name>"
        "<target><path>/default-pool/</path></target></pool>";
    assert_null(evirt_storage_pool_define_xml(f->conn, same_dir, 0));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED,
                      "Storage source conflict with pool: 'default-pool'");
    assert_null(evirt_storage_pool_create_xml(f->conn, same_dir, 0));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, "Storage source conflict");
    /* The running pool again through create-xml. */
    static const char again[] =
        "<pool type='dir'><name>default-pool</name>"
        "<uuid>" DEFAULT_UUID "</uuid>"
        "<target><path>/default-pool</path></target></pool>";
    assert_null(evirt_storage_pool_create_xml(f->conn, again, 0));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID,
                      "pool is already active as 'default-pool'");
    /* Broken documents. */
    assert_null(evirt_storage_pool_define_xml(f->conn, "<pool", 0));
    assert_last_error(EVIRT_ERR_XML_DETAIL, NULL);
    assert_null(evirt_storage_pool_define_xml(f->conn, "<pool type='dir'/>", 0));
    assert_last_error(EVIRT_ERR_XML_ERROR, NULL);
    assert_null(evirt_storage_pool_define_xml(f->conn, "<pool type='nope'><name>x</name></pool>", 0));
    assert_last_error(EVIRT_ERR_XML_ERROR, NULL);
    assert_null(evirt_storage_pool_create_xml(f->conn, "<domain/>", 0));
    assert_last_error(EVIRT_ERR_XML_ERROR, NULL);
    assert_null(evirt_storage_pool_define_xml(f->conn, dir_pool_xml, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_null(evirt_storage_pool_create_xml(f->conn, dir_pool_xml, 8));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_null(evirt_storage_pool_create_xml(
        f->conn, dir_pool_xml, EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
                               EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE));
    assert_last_error(EVIRT_ERR_INVALID_ARG, "mutually exclusive");

    /* Nothing changed, nothing announced. */
    assert_int_equal(count_pools(f->conn, 0), 1);
    assert_no_new_events(f, 0);

    /* Redefining an inactive pool replaces its definition. */
    evirt_storage_pool *p = evirt_storage_pool_define_xml(
        f->conn, dir_pool_xml, EVIRT_STORAGE_POOL_DEFINE_VALIDATE);
    assert_non_null(p);
    static const char redefined[] =
        "<pool type='dir'><name>p2</name>"
        "<uuid>33333333-cccc-4ccc-8ccc-333333333333</uuid>"
        "<target><path>/p2-moved</path></target></pool>";
    evirt_storage_pool *q = evirt_storage_pool_define_xml(f->conn, redefined, 0);
    assert_non_null(q);
    char *xml = evirt_storage_pool_get_xml_desc(p, 0);
    assert_non_null(strstr(xml, "/p2-moved"));
    free(xml);
    wait_events(f, 2);
    assert_event(f, 0, "p2", EVIRT_STORAGE_POOL_EVENT_DEFINED);
    assert_event(f, 1, "p2", EVIRT_STORAGE_POOL_EVENT_DEFINED);
    assert_int_equal(count_pools(f->conn, 0), 2);
    evirt_storage_pool_unref(q);
    evirt_storage_pool_unref(p);
}

static void test_list_all_filters(void **state)
{
    fixture *f = *state;
    /* default-pool: active persistent dir (autostart after below);
     * p2: inactive persistent dir; nfs: inactive persistent netfs;
     * vgt: active transient logical. */
    evirt_storage_pool *p2 = evirt_storage_pool_define_xml(f->conn, dir_pool_xml, 0);
    evirt_storage_pool *nfs = evirt_storage_pool_define_xml(f->conn, netfs_pool_xml, 0);
    evirt_storage_pool *vgt = evirt_storage_pool_create_xml(f->conn, logical_pool_xml, 0);
    assert_non_null(p2);
    assert_non_null(nfs);
    assert_non_null(vgt);
    evirt_storage_pool *def = default_pool(f);
    assert_int_equal(evirt_storage_pool_set_autostart(def, 1), 0);
    assert_int_equal(evirt_storage_pool_set_autostart(nfs, 1), 0);
    assert_int_equal(evirt_storage_pool_set_autostart(nfs, 0), 0);

    static const struct {
        unsigned int flags;
        int n;
    } cases[] = {
        { 0, 4 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_ACTIVE, 2 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_INACTIVE, 2 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_ACTIVE |
          EVIRT_CONNECT_LIST_STORAGE_POOLS_INACTIVE, 4 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_PERSISTENT, 3 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, 1 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_AUTOSTART, 1 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, 3 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_DIR, 2 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_NETFS, 1 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_LOGICAL, 1 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_DIR |
          EVIRT_CONNECT_LIST_STORAGE_POOLS_LOGICAL, 3 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_FS, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_DISK, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_ISCSI, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_SCSI, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_MPATH, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_RBD, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_GLUSTER, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_ZFS, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_VSTORAGE, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT, 0 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_ACTIVE |
          EVIRT_CONNECT_LIST_STORAGE_POOLS_DIR, 1 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_INACTIVE |
          EVIRT_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART |
          EVIRT_CONNECT_LIST_STORAGE_POOLS_NETFS, 1 },
        { EVIRT_CONNECT_LIST_STORAGE_POOLS_TRANSIENT |
          EVIRT_CONNECT_LIST_STORAGE_POOLS_AUTOSTART, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = count_pools(f->conn, cases[i].flags);
        if (n != cases[i].n)
            fail_msg("flags 0x%x: %d pools, want %d", cases[i].flags, n,
                     cases[i].n);
    }

    /* The handles name the pools. */
    evirt_storage_pool **list = NULL;
    int n = evirt_conn_list_all_storage_pools(
        f->conn, EVIRT_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, &list);
    assert_int_equal(n, 1);
    assert_string_equal(evirt_storage_pool_get_name(list[0]), "vgt");
    evirt_storage_pool_list_free(list, n);

    evirt_storage_pool_unref(def);
    evirt_storage_pool_unref(p2);
    evirt_storage_pool_unref(nfs);
    evirt_storage_pool_unref(vgt);
}

static void test_find_sources(void **state)
{
    fixture *f = *state;
    char *s = evirt_conn_find_storage_pool_sources(f->conn, "logical", NULL, 0);
    assert_non_null(s);
    assert_string_equal(s, logical_sources);
    free(s);
    s = evirt_conn_find_storage_pool_sources(
        f->conn, "netfs", "<source><host name='nfs.example'/></source>", 0);
    assert_non_null(s);
    assert_string_equal(s, netfs_sources);
    free(s);

    assert_null(evirt_conn_find_storage_pool_sources(f->conn, "netfs", NULL, 0));
    assert_last_error(EVIRT_ERR_INVALID_ARG,
                      "hostname must be specified for netfs sources");
    assert_null(evirt_conn_find_storage_pool_sources(f->conn, "iscsi", NULL, 0));
    assert_last_error(EVIRT_ERR_NO_SUPPORT,
                      "pool type 'iscsi' does not support source discovery");
    assert_null(evirt_conn_find_storage_pool_sources(f->conn, "foo", NULL, 0));
    assert_last_error(EVIRT_ERR_NO_SUPPORT, "'foo'");
    assert_null(evirt_conn_find_storage_pool_sources(f->conn, "netfs", "<source", 0));
    assert_last_error(EVIRT_ERR_XML_DETAIL, NULL);
    assert_null(evirt_conn_find_storage_pool_sources(f->conn, "logical", NULL, 1));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
}

/* ------------------------------------------------------------ volumes */

static void test_volumes(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = default_pool(f);
    evirt_storage_vol *v = evirt_storage_vol_create_xml(p, vol_xml, 0);
    assert_non_null(v);
    assert_string_equal(evirt_storage_vol_get_name(v), "v1");
    assert_string_equal(evirt_storage_vol_get_key(v), "/default-pool/v1");
    assert_string_equal(evirt_storage_vol_get_pool_name(v), "default-pool");
    char *path = evirt_storage_vol_get_path(v);
    assert_string_equal(path, "/default-pool/v1");
    free(path);
    evirt_storage_vol_info vi;
    assert_int_equal(evirt_storage_vol_get_info(v, &vi), 0);
    assert_int_equal(vi.type, EVIRT_STORAGE_VOL_FILE);
    assert_int_equal(vi.capacity, 10 * MiB);
    assert_int_equal(vi.allocation, 512 * 1024);
    char *xml = evirt_storage_vol_get_xml_desc(v, 0);
    assert_non_null(xml);
    assert_string_equal(xml, vol_dump);
    free(xml);
    assert_null(evirt_storage_vol_get_xml_desc(v, 1));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 512 * 1024);

    /* Without <allocation>, the volume is fully allocated. */
    evirt_storage_vol *w = evirt_storage_vol_create_xml(
        p, "<volume><name>w</name><capacity unit='KiB'>4</capacity></volume>", 0);
    assert_non_null(w);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 512 * 1024 + 4096);

    /* Lookups. */
    evirt_storage_vol *x = evirt_storage_vol_lookup_by_name(p, "v1");
    assert_non_null(x);
    assert_string_equal(evirt_storage_vol_get_key(x), "/default-pool/v1");
    evirt_storage_vol_unref(x);
    x = evirt_storage_vol_lookup_by_key(f->conn, "/default-pool/w");
    assert_non_null(x);
    assert_string_equal(evirt_storage_vol_get_name(x), "w");
    evirt_storage_vol_unref(x);
    x = evirt_storage_vol_lookup_by_path(f->conn, "/default-pool/v1");
    assert_non_null(x);
    assert_string_equal(evirt_storage_vol_get_name(x), "v1");
    evirt_storage_pool *q = evirt_storage_pool_lookup_by_volume(x);
    assert_non_null(q);
    assert_string_equal(evirt_storage_pool_get_name(q), "default-pool");
    evirt_storage_pool_unref(q);
    evirt_storage_vol_unref(x);

    assert_int_equal(evirt_storage_pool_num_of_volumes(p), 2);
    char **names = NULL;
    assert_int_equal(evirt_storage_pool_list_volumes(p, &names), 2);
    assert_string_equal(names[0], "v1");
    assert_string_equal(names[1], "w");
    evirt_string_list_free(names, 2);
    evirt_storage_vol **vols = NULL;
    assert_int_equal(evirt_storage_pool_list_all_volumes(p, 0, &vols), 2);
    assert_string_equal(evirt_storage_vol_get_key(vols[1]), "/default-pool/w");
    evirt_storage_vol_list_free(vols, 2);

    /* Refusals: the name is taken, the pool is too small, bad XML. */
    assert_null(evirt_storage_vol_create_xml(p, vol_xml, 0));
    assert_last_error(EVIRT_ERR_STORAGE_VOL_EXIST, "'v1'");
    assert_null(evirt_storage_vol_create_xml(
        p, "<volume><name>big</name><capacity unit='TiB'>1</capacity></volume>", 0));
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR,
                      "Not enough free space in pool for volume 'big'");
    assert_null(evirt_storage_vol_create_xml(
        p, "<volume><name>nocap</name></volume>", 0));
    assert_last_error(EVIRT_ERR_XML_ERROR, NULL);
    assert_null(evirt_storage_vol_create_xml(p, "<volume>", 0));
    assert_last_error(EVIRT_ERR_XML_DETAIL, NULL);
    assert_null(evirt_storage_vol_create_xml(
        p, "<volume><name>u</name><capacity unit='parsecs'>1</capacity></volume>", 0));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    /* A sparse volume bigger than the pool is fine. */
    x = evirt_storage_vol_create_xml(
        p, "<volume><name>sparse</name><capacity unit='TiB'>1</capacity>"
           "<allocation>0</allocation></volume>", 0);
    assert_non_null(x);
    assert_int_equal(evirt_storage_vol_delete(x, 0), 0);
    evirt_storage_vol_unref(x);
    assert_int_equal(evirt_storage_pool_num_of_volumes(p), 2);

    /* Delete. */
    assert_int_equal(evirt_storage_vol_delete(w, 4), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_int_equal(evirt_storage_vol_delete(w, EVIRT_STORAGE_VOL_DELETE_ZEROED), 0);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 512 * 1024);
    assert_int_equal(evirt_storage_vol_delete(w, 0), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, "'w'");
    assert_int_equal(evirt_storage_vol_get_info(w, &vi), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);
    assert_null(evirt_storage_vol_get_path(w));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);
    assert_null(evirt_storage_vol_get_xml_desc(w, 0));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);
    assert_int_equal(evirt_storage_vol_wipe(w, 0), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);
    assert_int_equal(evirt_storage_vol_resize(w, 1, 0), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);
    assert_null(evirt_storage_vol_lookup_by_key(f->conn, "/default-pool/w"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, NULL);
    evirt_storage_vol_unref(w);

    /* Volumes of a pool that is gone. */
    evirt_storage_pool *tp = evirt_storage_pool_create_xml(f->conn, dir_pool_xml, 0);
    assert_non_null(tp);
    evirt_storage_vol *tv = evirt_storage_vol_create_xml(tp, vol_xml, 0);
    assert_non_null(tv);
    assert_string_equal(evirt_storage_vol_get_key(tv), "/p2/v1");
    assert_int_equal(evirt_storage_pool_destroy(tp), 0);
    assert_int_equal(evirt_storage_vol_get_info(tv, &vi), -1);
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, "'p2'");
    assert_null(evirt_storage_pool_lookup_by_volume(tv));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    assert_null(evirt_storage_vol_lookup_by_name(tp, "v1"));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);
    evirt_storage_vol_unref(tv);
    evirt_storage_pool_unref(tp);

    evirt_storage_vol_unref(v);
    evirt_storage_pool_unref(p);
    /* Volume operations emit no pool events. */
    wait_events(f, 2);
    assert_event(f, 0, "p2", EVIRT_STORAGE_POOL_EVENT_STARTED);
    assert_event(f, 1, "p2", EVIRT_STORAGE_POOL_EVENT_STOPPED);
}

static void test_clone_content(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = default_pool(f);
    evirt_storage_vol *v = evirt_storage_vol_create_xml(p, vol_xml, 0);
    assert_non_null(v);

    /* A volume nobody wrote reads as zeros, at its full size. */
    int fd = vol_fd(v);
    assert_backing(fd, 10 * MiB, 0);
    assert_zeros(fd, 0, 256);
    assert_zeros(fd, 10 * MiB - 256, 256);

    static const char head[] = "evirt volume head";
    static const char mid[] = "bytes in the middle of the volume";
    static const char tail[] = "the very end";
    write_at(fd, head, sizeof(head), 0);
    write_at(fd, mid, sizeof(mid), 5 * MiB + 3);
    write_at(fd, tail, sizeof(tail), 10 * MiB - sizeof(tail));

    /* The clone's XML as virsh vol-clone makes it (no key, new name). */
    static const char clone_xml[] =
        "<volume><name>v1-clone</name>"
        "<capacity unit='bytes'>10485760</capacity>"
        "<allocation unit='bytes'>524288</allocation></volume>";
    evirt_storage_vol *c = evirt_storage_vol_create_xml_from(p, clone_xml, v, 0);
    assert_non_null(c);
    assert_string_equal(evirt_storage_vol_get_key(c), "/default-pool/v1-clone");
    int cfd = vol_fd(c);
    if (cfd >= 0)
        assert_true(cfd != fd);
    assert_bytes(cfd, 0, head, sizeof(head));
    assert_bytes(cfd, 5 * MiB + 3, mid, sizeof(mid));
    assert_bytes(cfd, 10 * MiB - sizeof(tail), tail, sizeof(tail));
    assert_zeros(cfd, 2 * MiB, 256);
    /* Holes stay holes: far less than 10 MiB is stored. */
    assert_backing(cfd, 10 * MiB, 2 * MiB);

    /* The copy is independent of its source. */
    write_at(fd, "X", 1, 0);
    assert_bytes(cfd, 0, "e", 1);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 2 * 512 * 1024);

    /* Without capacity the clone is as large as its source, and fully
     * allocated unless told; it may go to another pool. */
    evirt_storage_pool *p2 = evirt_storage_pool_create_xml(f->conn, dir_pool_xml, 0);
    assert_non_null(p2);
    evirt_storage_vol *c2 = evirt_storage_vol_create_xml_from(
        p2, "<volume><name>copy</name></volume>", v, 0);
    assert_non_null(c2);
    evirt_storage_vol_info vi;
    assert_int_equal(evirt_storage_vol_get_info(c2, &vi), 0);
    assert_int_equal(vi.capacity, 10 * MiB);
    assert_int_equal(vi.allocation, 10 * MiB);
    int c2fd = vol_fd(c2);
    assert_bytes(c2fd, 0, "Xvirt", 5);
    assert_bytes(c2fd, 10 * MiB - sizeof(tail), tail, sizeof(tail));

    /* A clone of a volume never written is all zeros. */
    evirt_storage_vol *blank = evirt_storage_vol_create_xml(
        p, "<volume><name>blank</name><capacity>4096</capacity></volume>", 0);
    assert_non_null(blank);
    evirt_storage_vol *c3 = evirt_storage_vol_create_xml_from(
        p, "<volume><name>blank2</name></volume>", blank, 0);
    assert_non_null(c3);
    assert_zeros(vol_fd(c3), 0, 256);

    /* Refusals. */
    assert_null(evirt_storage_vol_create_xml_from(p, clone_xml, v, 0));
    assert_last_error(EVIRT_ERR_STORAGE_VOL_EXIST, "'v1-clone'");
    assert_int_equal(evirt_storage_vol_delete(blank, 0), 0);
    assert_null(evirt_storage_vol_create_xml_from(
        p, "<volume><name>blank3</name></volume>", blank, 0));
    assert_last_error(EVIRT_ERR_NO_STORAGE_VOL, "'blank'");
    assert_null(evirt_storage_vol_create_xml_from(
        p, "<volume><name>huge</name><capacity unit='TiB'>1</capacity></volume>",
        v, 0));
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR, "Not enough free space");
    assert_null(evirt_storage_vol_create_xml_from(p, clone_xml, v, 16));
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_int_equal(evirt_storage_pool_destroy(p2), 0);
    assert_null(evirt_storage_vol_create_xml_from(
        p, "<volume><name>from-stopped</name></volume>", c2, 0));
    assert_last_error(EVIRT_ERR_NO_STORAGE_POOL, NULL);

    evirt_storage_vol_unref(c3);
    evirt_storage_vol_unref(blank);
    evirt_storage_vol_unref(c2);
    evirt_storage_pool_unref(p2);
    evirt_storage_vol_unref(c);
    evirt_storage_vol_unref(v);
    evirt_storage_pool_unref(p);
}

static void test_wipe(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = default_pool(f);
    evirt_storage_vol *v = evirt_storage_vol_create_xml(p, vol_xml, 0);
    assert_non_null(v);
    int fd = vol_fd(v);
    write_at(fd, "data", 4, 0);
    write_at(fd, "more", 4, 7 * MiB);
    assert_int_equal(evirt_storage_vol_wipe(v, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    assert_bytes(fd, 0, "data", 4);

    assert_int_equal(evirt_storage_vol_wipe(v, 0), 0);
    assert_int_equal(vol_fd(v), fd);
    assert_zeros(fd, 0, 256);
    assert_zeros(fd, 7 * MiB, 256);
    assert_backing(fd, 10 * MiB, 0);
    evirt_storage_vol_info vi;
    assert_int_equal(evirt_storage_vol_get_info(v, &vi), 0);
    assert_int_equal(vi.capacity, 10 * MiB);
    assert_int_equal(vi.allocation, 512 * 1024);

    /* A volume without a backing yet wipes too. */
    evirt_storage_vol *w = evirt_storage_vol_create_xml(
        p, "<volume><name>w</name><capacity>1024</capacity></volume>", 0);
    assert_non_null(w);
    assert_int_equal(evirt_storage_vol_wipe(w, 0), 0);
    evirt_storage_vol_unref(w);
    evirt_storage_vol_unref(v);
    evirt_storage_pool_unref(p);
}

static void assert_vol_sizes(evirt_storage_vol *v, unsigned long long cap,
                             unsigned long long alloc)
{
    evirt_storage_vol_info vi;
    assert_int_equal(evirt_storage_vol_get_info(v, &vi), 0);
    assert_int_equal(vi.capacity, cap);
    assert_int_equal(vi.allocation, alloc);
}

static void test_resize(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = default_pool(f);
    evirt_storage_vol *v = evirt_storage_vol_create_xml(p, vol_xml, 0);
    assert_non_null(v);
    int fd = vol_fd(v);
    write_at(fd, "keep", 4, 0);
    write_at(fd, "lost", 4, 9 * MiB);

    /* Grow. */
    assert_int_equal(evirt_storage_vol_resize(v, 20 * MiB, 0), 0);
    assert_vol_sizes(v, 20 * MiB, 512 * 1024);
    assert_backing(fd, 20 * MiB, 0);
    assert_zeros(fd, 15 * MiB, 256);

    /* Shrinking needs the flag; never below the allocation. */
    assert_int_equal(evirt_storage_vol_resize(v, 8 * MiB, 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "shrink flag");
    assert_vol_sizes(v, 20 * MiB, 512 * 1024);
    assert_int_equal(evirt_storage_vol_resize(v, 1024,
                                              EVIRT_STORAGE_VOL_RESIZE_SHRINK), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "below existing allocation");
    assert_int_equal(evirt_storage_vol_resize(v, 8 * MiB,
                                              EVIRT_STORAGE_VOL_RESIZE_SHRINK), 0);
    assert_vol_sizes(v, 8 * MiB, 512 * 1024);
    assert_backing(fd, 8 * MiB, 0);
    assert_bytes(fd, 0, "keep", 4);
    /* Bytes past a shrink are gone for good. */
    assert_int_equal(evirt_storage_vol_resize(v, 10 * MiB, 0), 0);
    assert_zeros(fd, 9 * MiB, 4);

    /* Delta. */
    assert_int_equal(evirt_storage_vol_resize(v, 2 * MiB,
                                              EVIRT_STORAGE_VOL_RESIZE_DELTA), 0);
    assert_vol_sizes(v, 12 * MiB, 512 * 1024);
    assert_int_equal(evirt_storage_vol_resize(v, 4 * MiB,
                                              EVIRT_STORAGE_VOL_RESIZE_DELTA), 0);
    assert_vol_sizes(v, 16 * MiB, 512 * 1024);
    assert_int_equal(evirt_storage_vol_resize(v, 6 * MiB,
                                              EVIRT_STORAGE_VOL_RESIZE_DELTA |
                                              EVIRT_STORAGE_VOL_RESIZE_SHRINK), 0);
    assert_vol_sizes(v, 10 * MiB, 512 * 1024);
    assert_int_equal(evirt_storage_vol_resize(v, 1ULL << 62,
                                              EVIRT_STORAGE_VOL_RESIZE_DELTA), 0);
    assert_int_equal(evirt_storage_vol_resize(v, 1ULL << 62,
                                              EVIRT_STORAGE_VOL_RESIZE_DELTA), -1);
    assert_last_error(EVIRT_ERR_OVERFLOW, NULL);
    assert_int_equal(evirt_storage_vol_resize(v, 10 * MiB,
                                              EVIRT_STORAGE_VOL_RESIZE_SHRINK), 0);

    /* Allocate: the allocation follows, and so does the pool's. */
    assert_int_equal(evirt_storage_vol_resize(v, 30 * MiB,
                                              EVIRT_STORAGE_VOL_RESIZE_ALLOCATE), 0);
    assert_vol_sizes(v, 30 * MiB, 30 * MiB);
    assert_pool_info(p, EVIRT_STORAGE_POOL_RUNNING, 30 * MiB);
    assert_int_equal(evirt_storage_vol_resize(v, 200 * GiB,
                                              EVIRT_STORAGE_VOL_RESIZE_ALLOCATE), -1);
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, "Not enough space left");
    assert_vol_sizes(v, 30 * MiB, 30 * MiB);
    /* Without ALLOCATE a sparse grow past the pool is fine. */
    assert_int_equal(evirt_storage_vol_resize(v, 200 * GiB, 0), 0);
    assert_vol_sizes(v, 200 * GiB, 30 * MiB);

    assert_int_equal(evirt_storage_vol_resize(v, 1, 8), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, NULL);
    evirt_storage_vol_unref(v);
    evirt_storage_pool_unref(p);
}

/* ---------------------------------------------------------- async path */

typedef struct async_done {
    int calls;
    evirt_storage_vol *vol;
    int code;
} async_done;

static void create_done(evirt_op *op, void *opaque)
{
    async_done *a = opaque;
    a->calls++;
    a->vol = evirt_storage_vol_create_xml_finish(op);
    a->code = a->vol ? 0 : evirt_op_error(op)->code;
}

static void test_async(void **state)
{
    fixture *f = *state;
    evirt_storage_pool *p = default_pool(f);
    async_done a = { 0 };
    assert_non_null(evirt_storage_vol_create_xml_async(p, vol_xml, 0,
                                                       create_done, &a));
    /* Never from inside the call that started it. */
    assert_int_equal(a.calls, 0);
    for (int i = 0; i < 100 && !a.calls; i++)
        spin(f, 5);
    assert_int_equal(a.calls, 1);
    assert_non_null(a.vol);
    assert_string_equal(evirt_storage_vol_get_name(a.vol), "v1");
    evirt_storage_vol_unref(a.vol);

    async_done b = { 0 };
    assert_non_null(evirt_storage_vol_create_xml_async(p, vol_xml, 0,
                                                       create_done, &b));
    for (int i = 0; i < 100 && !b.calls; i++)
        spin(f, 5);
    assert_int_equal(b.calls, 1);
    assert_null(b.vol);
    assert_int_equal(b.code, EVIRT_ERR_STORAGE_VOL_EXIST);
    evirt_storage_pool_unref(p);
}

/* ------------------------------------------------------------ config */

static void test_config(void **state)
{
    (void)state;
    fixture *f = fixture_open("test://" DATA "storage.xml");
    assert_non_null(f);
    assert_int_equal(evirt_conn_num_of_storage_pools(f->conn), 2);
    assert_int_equal(evirt_conn_num_of_defined_storage_pools(f->conn), 0);

    evirt_storage_pool *a = evirt_storage_pool_lookup_by_name(f->conn, "pool-a");
    assert_non_null(a);
    assert_int_equal(evirt_storage_pool_is_persistent(a), 1);
    /* 64 KiB + 1 MiB + 8 KiB (a3 has no allocation: fully allocated). */
    assert_pool_info(a, EVIRT_STORAGE_POOL_RUNNING, 64 * 1024 + MiB + 8192);
    char **names = NULL;
    assert_int_equal(evirt_storage_pool_list_volumes(a, &names), 3);
    assert_string_equal(names[0], "a1.img");
    assert_string_equal(names[1], "a2.qcow2");
    assert_string_equal(names[2], "a3.img");
    evirt_string_list_free(names, 3);

    evirt_storage_vol *v = evirt_storage_vol_lookup_by_name(a, "a2.qcow2");
    assert_non_null(v);
    char *xml = evirt_storage_vol_get_xml_desc(v, 0);
    assert_string_equal(xml,
        "<volume type='file'>\n"
        "  <name>a2.qcow2</name>\n"
        "  <key>/var/lib/pool-a/a2.qcow2</key>\n"
        "  <capacity unit='bytes'>2147483648</capacity>\n"
        "  <allocation unit='bytes'>1048576</allocation>\n"
        "  <target>\n"
        "    <path>/var/lib/pool-a/a2.qcow2</path>\n"
        "    <format type='qcow2'/>\n"
        "  </target>\n"
        "</volume>\n");
    free(xml);
    evirt_storage_vol_unref(v);
    /* A path given in the config is kept, and is the key. */
    v = evirt_storage_vol_lookup_by_path(f->conn, "/elsewhere/a3.img");
    assert_non_null(v);
    assert_string_equal(evirt_storage_vol_get_key(v), "/elsewhere/a3.img");
    evirt_storage_vol_unref(v);

    /* The logical pool from a file, its volume from inside that file and
     * the one nested in the config's element. */
    evirt_storage_pool *vg = evirt_storage_pool_lookup_by_uuid_string(
        f->conn, "22222222-bbbb-4bbb-8bbb-222222222222");
    assert_non_null(vg);
    assert_string_equal(evirt_storage_pool_get_name(vg), "vg0");
    assert_pool_info(vg, EVIRT_STORAGE_POOL_RUNNING, 512 * MiB);
    v = evirt_storage_vol_lookup_by_key(f->conn, "/dev/vg0/lv1");
    assert_non_null(v);
    evirt_storage_vol_info vi;
    assert_int_equal(evirt_storage_vol_get_info(v, &vi), 0);
    assert_int_equal(vi.type, EVIRT_STORAGE_VOL_BLOCK);
    assert_int_equal(vi.capacity, 512 * MiB);
    evirt_storage_vol_unref(v);
    v = evirt_storage_vol_lookup_by_name(vg, "lv2");
    assert_non_null(v);
    evirt_storage_vol_unref(v);

    /* A config connection has no default pool. */
    assert_null(evirt_storage_pool_lookup_by_name(f->conn, "default-pool"));
    evirt_storage_pool_unref(vg);
    evirt_storage_pool_unref(a);
    assert_no_new_events(f, 0);
    fixture_close(f);
}

static void test_config_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int code;
        const char *what;
    } cases[] = {
        { "bad-storage-vol.xml", EVIRT_ERR_XML_ERROR, NULL },
        { "bad-storage-dupvol.xml", EVIRT_ERR_STORAGE_VOL_EXIST, "'v'" },
        { "bad-storage-volfile.xml", EVIRT_ERR_XML_ERROR, "no-such-volume.xml" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        evirt_loop *loop = evirt_loop_new(NULL);
        assert_non_null(loop);
        char uri[512];
        snprintf(uri, sizeof(uri), "test://%s%s", DATA, cases[i].file);
        evirt_conn *c = evirt_conn_open_on(loop, test_uri(uri), NULL, 0);
        if (c)
            fail_msg("%s opened", cases[i].file);
        assert_last_error(cases[i].code, cases[i].what);
        evirt_loop_free(loop);
    }
}

/* Refusals are expected here; keep them out of the test output. */
static void quiet(void *userdata, const evirt_error *err)
{
    (void)userdata;
    (void)err;
}

int main(void)
{
    evirt_set_error_func(NULL, quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_pool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transient_pool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_all_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_volumes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clone_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_async, setup, teardown),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
