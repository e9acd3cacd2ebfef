/*
 * tests/test-storage-xml.c - the storage pool and volume XML models:
 * byte-exact output against libvirt's, per-type defaults and checks,
 * preserved unknown XML, units and errors.
 *
 * tests/data/storage-xml/X.in.xml -> X.out.xml pairs: X.out.xml is what
 * libvirt 9.0's test driver printed after defining X.in.xml.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/domain_conf.h"
#include "conf/storage_conf.h"
#include "tests/xml-test-util.h"

static char *
read_data(const char *name)
{
    return xml_test_read("storage-xml", name, "");
}

static evirt_storage_pool_def *
pool_ok(const char *xml)
{
    evirt_error err = { 0 };
    evirt_storage_pool_def *def = evirt_storage_pool_def_parse_string(xml, 0, &err);
    if (!def)
        fail_msg("pool parse failed: %s\n%s", err.message, xml);
    assert_int_equal(err.code, 0);
    return def;
}

static evirt_storage_vol_def *
vol_ok(const char *xml, const evirt_storage_pool_def *pool, unsigned int flags)
{
    evirt_error err = { 0 };
    evirt_storage_vol_def *def =
        evirt_storage_vol_def_parse_string(xml, pool, flags, &err);
    if (!def)
        fail_msg("volume parse failed: %s\n%s", err.message, xml);
    assert_int_equal(err.code, 0);
    return def;
}

/* Formats def, checks it against want, and checks that reading the
 * output back gives the same output again. */
static void
assert_pool_formats(const evirt_storage_pool_def *def, const char *want)
{
    char *out = evirt_storage_pool_def_format(def, 0);
    assert_non_null(out);
    assert_string_equal(out, want);
    evirt_storage_pool_def *again = pool_ok(out);
    char *out2 = evirt_storage_pool_def_format(again, 0);
    assert_string_equal(out2, want);
    /* INACTIVE changes nothing at this level */
    char *out3 = evirt_storage_pool_def_format(def, EVIRT_STORAGE_POOL_FORMAT_INACTIVE);
    assert_string_equal(out3, want);
    free(out);
    free(out2);
    free(out3);
    evirt_storage_pool_def_free(again);
}

static void
assert_vol_formats(const evirt_storage_pool_def *pool,
                   const evirt_storage_vol_def *def, const char *want)
{
    char *out = evirt_storage_vol_def_format(pool, def, 0);
    assert_non_null(out);
    assert_string_equal(out, want);
    evirt_storage_vol_def *again = vol_ok(out, pool, 0);
    char *out2 = evirt_storage_vol_def_format(pool, again, 0);
    assert_string_equal(out2, want);
    free(out);
    free(out2);
    evirt_storage_vol_def_free(again);
}

/* ---- libvirt's own output ---- */

static void
test_default_pool_exact(void **state)
{
    (void)state;
    char *xml = read_data("default-pool.xml");
    evirt_storage_pool_def *def = pool_ok(xml);
    assert_string_equal(def->type, "dir");
    assert_string_equal(def->name, "default-pool");
    char uuid[37];
    evirt_uuid_format(def->uuid, uuid);
    assert_string_equal(uuid, "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
    assert_int_equal(def->capacity, 107374182400ULL);
    assert_int_equal(def->allocation, 0);
    assert_int_equal(def->available, 107374182400ULL);
    assert_string_equal(def->target.path, "/default-pool");
    assert_int_equal(def->target.perms.mode, -1);
    assert_null(def->source.format);
    assert_pool_formats(def, xml);
    evirt_storage_pool_def_free(def);
    free(xml);
}

static void
test_default_volume_exact(void **state)
{
    (void)state;
    char *pxml = read_data("default-pool.xml");
    char *xml = read_data("default-pool-vol.xml");
    evirt_storage_pool_def *pool = pool_ok(pxml);
    evirt_storage_vol_def *def = vol_ok(xml, pool, 0);
    assert_string_equal(def->type, "file");
    assert_string_equal(def->name, "v1");
    assert_string_equal(def->key, "/default-pool/v1");
    assert_int_equal(def->capacity, 10485760);
    assert_int_equal(def->allocation, 10485760);
    assert_string_equal(def->target.path, "/default-pool/v1");
    assert_string_equal(def->target.format, "raw");
    assert_false(def->has_backing);
    assert_vol_formats(pool, def, xml);
    evirt_storage_vol_def_free(def);
    evirt_storage_pool_def_free(pool);
    free(pxml);
    free(xml);
}

/* What libvirt printed for each input (unordered attributes, odd
 * paths, defaults left out). */
static void
test_pool_parity(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "netfs", "logical", "iscsi", "scsi", "scsi-legacy", "rbd", "gluster",
        "disk", "zfs", "features", NULL
    };
    for (int i = 0; cases[i]; i++) {
        char in[64], out[64];
        snprintf(in, sizeof(in), "pool-%s.in.xml", cases[i]);
        snprintf(out, sizeof(out), "pool-%s.out.xml", cases[i]);
        char *xml = read_data(in);
        char *want = read_data(out);
        evirt_storage_pool_def *def = pool_ok(xml);
        assert_pool_formats(def, want);
        evirt_storage_pool_def_free(def);
        free(xml);
        free(want);
    }
}

static void
test_pool_fields(void **state)
{
    (void)state;
    char *xml = read_data("pool-netfs.in.xml");
    evirt_storage_pool_def *def = pool_ok(xml);
    assert_int_equal(def->source.nhosts, 1);
    assert_string_equal(def->source.hosts[0].name, "nfs.example.com");
    assert_int_equal(def->source.hosts[0].port, 2049);
    assert_string_equal(def->source.dir, "/export/images");
    assert_string_equal(def->source.format, "nfs");
    assert_string_equal(def->target.path, "/var/lib/nfs1");
    assert_int_equal(def->target.perms.mode, 0711);
    assert_int_equal(def->target.perms.owner, 107);
    assert_int_equal(def->target.perms.group, 36);
    assert_string_equal(def->target.perms.label, "system_u:object_r:virt_image_t:s0");
    evirt_storage_pool_def_free(def);
    free(xml);

    /* logical: pool name from the source name, target path from it */
    xml = read_data("pool-logical.in.xml");
    def = pool_ok(xml);
    assert_string_equal(def->name, "vg0");
    assert_string_equal(def->source.name, "vg0");
    assert_string_equal(def->source.format, "lvm2");
    assert_int_equal(def->source.ndevices, 2);
    assert_string_equal(def->source.devices[1].path, "/dev/sdc1");
    assert_string_equal(def->source.devices[1].part_separator, "no");
    assert_string_equal(def->target.path, "/dev/vg0");
    evirt_storage_pool_def_free(def);
    free(xml);

    /* sheepdog: source name from the pool name; no target */
    def = pool_ok("<pool type='sheepdog'><name>sh</name>"
                  "<source><host name='h' port='7000'/></source></pool>");
    assert_string_equal(def->source.name, "sh");
    assert_null(def->target.path);
    char *out = evirt_storage_pool_def_format(def, 0);
    assert_contains(out, "    <name>sh</name>\n  </source>\n</pool>\n");
    assert_null(strstr(out, "<target>"));
    free(out);
    evirt_storage_pool_def_free(def);

    xml = read_data("pool-scsi-legacy.in.xml");
    def = pool_ok(xml);
    assert_string_equal(def->source.adapter_type, "scsi_host");
    assert_string_equal(def->source.adapter_name, "host0");
    evirt_storage_pool_def_free(def);
    free(xml);

    /* a uuid is generated when absent, a different one each time */
    evirt_storage_pool_def *a = pool_ok("<pool type='dir'><name>a</name>"
                                        "<target><path>/a</path></target></pool>");
    evirt_storage_pool_def *b = pool_ok("<pool type='dir'><name>a</name>"
                                        "<target><path>/a</path></target></pool>");
    assert_memory_not_equal(a->uuid, b->uuid, 16);
    assert_int_equal(a->uuid[6] >> 4, 4);
    evirt_storage_pool_def_free(a);
    evirt_storage_pool_def_free(b);
}

static void
test_volume_parity(void **state)
{
    (void)state;
    static const struct { const char *vol, *pool; } cases[] = {
        { "qcow2", "default-pool.xml" },
        { "disk", "pool-disk.in.xml" },
        { "logical", "pool-logical.in.xml" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char in[64], out[64];
        snprintf(in, sizeof(in), "vol-%s.in.xml", cases[i].vol);
        snprintf(out, sizeof(out), "vol-%s.out.xml", cases[i].vol);
        char *pxml = read_data(cases[i].pool);
        char *xml = read_data(in);
        char *want = read_data(out);
        evirt_storage_pool_def *pool = pool_ok(pxml);
        evirt_storage_vol_def *def = vol_ok(xml, pool, 0);
        assert_vol_formats(pool, def, want);
        evirt_storage_vol_def_free(def);
        evirt_storage_pool_def_free(pool);
        free(pxml);
        free(xml);
        free(want);
    }
}

static void
test_volume_fields(void **state)
{
    (void)state;
    char *xml = read_data("vol-qcow2.in.xml");
    evirt_storage_vol_def *def = vol_ok(xml, NULL, 0);
    assert_string_equal(def->type, "block");
    assert_int_equal(def->capacity, 1099511627776ULL);
    assert_int_equal(def->allocation, 2000);
    assert_true(def->has_allocation);
    assert_string_equal(def->target.format, "qcow2");
    assert_int_equal(def->target.perms.mode, 0644);
    assert_string_equal(def->target.compat, "1.1");
    assert_true(def->target.nocow);
    assert_int_equal(def->target.cluster_size, 65536);
    assert_true(def->has_backing);
    assert_string_equal(def->backing.path, "/default-pool/base.img");
    assert_string_equal(def->backing.format, "raw");
    assert_int_equal(def->backing.perms.mode, 0600);
    evirt_storage_vol_def_free(def);
    free(xml);

    /* <features> without <compat> means compat 1.1 */
    def = vol_ok("<volume><name>f</name><capacity>1</capacity><target>"
                 "<format type='qcow2'/><features/></target></volume>", NULL, 0);
    assert_string_equal(def->target.compat, "1.1");
    evirt_storage_vol_def_free(def);

    /* pools without volume formats ignore and never write one */
    evirt_storage_pool_def *iscsi = pool_ok(
        "<pool type='iscsi'><name>i</name><source><host name='h'/>"
        "<device path='iqn.x'/></source><target><path>/dev/disk/by-path</path>"
        "</target></pool>");
    def = vol_ok("<volume><name>lun</name><capacity>1</capacity><target>"
                 "<format type='whatever'/></target></volume>", iscsi, 0);
    assert_null(def->target.format);
    char *out = evirt_storage_vol_def_format(iscsi, def, 0);
    assert_null(strstr(out, "<format"));
    free(out);
    evirt_storage_vol_def_free(def);
    evirt_storage_pool_def_free(iscsi);
}

static void
test_volume_capacity_flags(void **state)
{
    (void)state;
    const char *nocap = "<volume><name>c</name></volume>";
    const char *backed = "<volume><name>c</name><backingStore>"
                         "<path>/b</path></backingStore></volume>";
    evirt_error err = { 0 };
    assert_null(evirt_storage_vol_def_parse_string(
        nocap, NULL, EVIRT_STORAGE_VOL_PARSE_OPT_CAPACITY, &err));
    assert_int_equal(err.code, EVIRT_ERR_XML_ERROR);
    evirt_error_reset(&err);

    evirt_storage_vol_def *def =
        vol_ok(nocap, NULL, EVIRT_STORAGE_VOL_PARSE_NO_CAPACITY);
    assert_int_equal(def->capacity, 0);
    evirt_storage_vol_def_free(def);
    def = vol_ok(backed, NULL, EVIRT_STORAGE_VOL_PARSE_OPT_CAPACITY);
    assert_true(def->has_backing);
    evirt_storage_vol_def_free(def);
}

/* ---- preserved XML ---- */

static void
test_pool_unknown_preserved(void **state)
{
    (void)state;
    const char *in =
        "<pool type='netfs'>\n"
        "  <x-first a='1'/>\n"
        "  <name>n</name>\n"
        "  <uuid>2f3e1c9a-5b7d-4e8f-9a0b-1c2d3e4f5a6b</uuid>\n"
        "  <x-after-uuid><deep>text &amp; more</deep></x-after-uuid>\n"
        "  <source>\n"
        "    <x-src-first/>\n"
        "    <dir path='/e'/>\n"
        "    <x-after-dir b='2'/>\n"
        "    <host name='h'/>\n"
        "  </source>\n"
        "  <target>\n"
        "    <path>/mnt</path>\n"
        "    <x-after-path/>\n"
        "  </target>\n"
        "  <x-last/>\n"
        "</pool>\n";
    const char *want =
        "<pool type='netfs'>\n"
        "  <x-first a='1'/>\n"
        "  <name>n</name>\n"
        "  <uuid>2f3e1c9a-5b7d-4e8f-9a0b-1c2d3e4f5a6b</uuid>\n"
        "  <x-after-uuid>\n"
        "    <deep>text &amp; more</deep>\n"
        "  </x-after-uuid>\n"
        "  <capacity unit='bytes'>0</capacity>\n"
        "  <allocation unit='bytes'>0</allocation>\n"
        "  <available unit='bytes'>0</available>\n"
        "  <source>\n"
        "    <x-src-first/>\n"
        "    <host name='h'/>\n"
        "    <dir path='/e'/>\n"
        "    <x-after-dir b='2'/>\n"
        "    <format type='auto'/>\n"
        "  </source>\n"
        "  <target>\n"
        "    <path>/mnt</path>\n"
        "    <x-after-path/>\n"
        "  </target>\n"
        "  <x-last/>\n"
        "</pool>\n";
    evirt_storage_pool_def *def = pool_ok(in);
    assert_pool_formats(def, want);

    /* a copy is independent and formats the same */
    evirt_storage_pool_def *copy = evirt_storage_pool_def_copy(def);
    assert_non_null(copy);
    free(copy->name);
    copy->name = strdup("renamed");
    copy->source.hosts[0].port = 111;
    char *out = evirt_storage_pool_def_format(def, 0);
    assert_string_equal(out, want);
    free(out);
    out = evirt_storage_pool_def_format(copy, 0);
    assert_contains(out, "<name>renamed</name>");
    assert_contains(out, "<host name='h' port='111'/>");
    assert_contains(out, "<x-after-dir b='2'/>");
    free(out);
    evirt_storage_pool_def_free(copy);
    evirt_storage_pool_def_free(def);
}

static void
test_volume_unknown_preserved(void **state)
{
    (void)state;
    const char *in =
        "<volume>\n"
        "  <name>v</name>\n"
        "  <x-after-name/>\n"
        "  <source><device path='/dev/sda'><extent start='0' end='10'/></device></source>\n"
        "  <capacity>5</capacity>\n"
        "  <target>\n"
        "    <x-tgt-first/>\n"
        "    <timestamps><atime>1.5</atime></timestamps>\n"
        "    <path>/p</path>\n"
        "    <encryption format='luks'><secret type='passphrase' uuid='u'/></encryption>\n"
        "  </target>\n"
        "  <x-last/>\n"
        "</volume>\n";
    const char *want =
        "<volume type='file'>\n"
        "  <name>v</name>\n"
        "  <x-after-name/>\n"
        "  <source>\n"
        "    <device path='/dev/sda'>\n"
        "      <extent start='0' end='10'/>\n"
        "    </device>\n"
        "  </source>\n"
        "  <capacity unit='bytes'>5</capacity>\n"
        "  <allocation unit='bytes'>5</allocation>\n"
        "  <target>\n"
        "    <x-tgt-first/>\n"
        "    <path>/p</path>\n"
        "    <format type='raw'/>\n"
        "    <timestamps>\n"
        "      <atime>1.5</atime>\n"
        "    </timestamps>\n"
        "    <encryption format='luks'>\n"
        "      <secret type='passphrase' uuid='u'/>\n"
        "    </encryption>\n"
        "  </target>\n"
        "  <x-last/>\n"
        "</volume>\n";
    evirt_storage_vol_def *def = vol_ok(in, NULL, 0);
    assert_vol_formats(NULL, def, want);

    evirt_storage_vol_def *copy = evirt_storage_vol_def_copy(def);
    assert_non_null(copy);
    char *a = evirt_storage_vol_def_format(NULL, copy, 0);
    assert_string_equal(a, want);
    free(a);
    evirt_storage_vol_def_free(copy);
    evirt_storage_vol_def_free(def);
}

/* A def a driver fills in code, with no XML behind it. */
static void
test_built_in_code(void **state)
{
    (void)state;
    evirt_storage_vol_def *v = calloc(1, sizeof(*v));
    v->type = strdup("file");
    v->name = strdup("new<&>");
    v->capacity = 1024;
    v->allocation = 512;
    v->target.path = strdup("/pool/new");
    v->target.perms = (evirt_storage_perms){ .mode = 0600, .owner = -1,
                                             .group = 0 };
    v->backing.perms = (evirt_storage_perms){ -1, -1, -1, NULL };
    char *out = evirt_storage_vol_def_format(NULL, v, 0);
    assert_string_equal(out,
        "<volume type='file'>\n"
        "  <name>new&lt;&amp;&gt;</name>\n"
        "  <capacity unit='bytes'>1024</capacity>\n"
        "  <allocation unit='bytes'>512</allocation>\n"
        "  <target>\n"
        "    <path>/pool/new</path>\n"
        "    <format type='raw'/>\n"
        "    <permissions>\n"
        "      <mode>0600</mode>\n"
        "      <group>0</group>\n"
        "    </permissions>\n"
        "  </target>\n"
        "</volume>\n");
    free(out);
    evirt_storage_vol_def_free(v);

    evirt_storage_pool_def *p = calloc(1, sizeof(*p));
    p->type = strdup("bogus");
    assert_null(evirt_storage_pool_def_format(p, 0));
    evirt_storage_pool_def_free(p);
}

/* ---- find-storage-pool-sources ---- */

static void
test_sources(void **state)
{
    (void)state;
    /* libvirt's test driver answers a logical query so */
    evirt_storage_pool_source srcs[2] = { { 0 } };
    evirt_storage_pool_device d1 = { (char *)"/dev/sda20", NULL };
    evirt_storage_pool_device d2 = { (char *)"/dev/sda21", NULL };
    srcs[0].devices = &d1; srcs[0].ndevices = 1;
    srcs[0].name = (char *)"testvg1"; srcs[0].format = (char *)"lvm2";
    srcs[1].devices = &d2; srcs[1].ndevices = 1;
    srcs[1].name = (char *)"testvg2"; srcs[1].format = (char *)"lvm2";
    char *out = evirt_storage_pool_sources_format("logical", srcs, 2);
    assert_string_equal(out,
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
        "</sources>\n");
    free(out);

    /* and a netfs query from its source specification */
    evirt_error err = { 0 };
    evirt_storage_pool_source *spec = evirt_storage_pool_source_parse_string(
        "<source><host name='localhost'/></source>", "netfs", &err);
    assert_non_null(spec);
    assert_string_equal(spec->hosts[0].name, "localhost");
    spec->dir = strdup("/testshare");
    spec->format = strdup("nfs");
    out = evirt_storage_pool_sources_format("netfs", spec, 1);
    assert_string_equal(out,
        "<sources>\n"
        "  <source>\n"
        "    <host name='localhost'/>\n"
        "    <dir path='/testshare'/>\n"
        "    <format type='nfs'/>\n"
        "  </source>\n"
        "</sources>\n");
    free(out);
    evirt_storage_pool_source_free(spec);

    assert_null(evirt_storage_pool_sources_format("nope", NULL, 0));
    assert_null(evirt_storage_pool_source_parse_string("<source>", "netfs", &err));
    assert_int_equal(err.code, EVIRT_ERR_XML_DETAIL);
    assert_contains(err.message, "(storage_source_specification):1:");
    evirt_error_reset(&err);
    assert_null(evirt_storage_pool_source_parse_string("<src/>", "netfs", &err));
    assert_int_equal(err.code, EVIRT_ERR_XML_ERROR);
    evirt_error_reset(&err);
}

/* ---- units ---- */

static void
test_units(void **state)
{
    (void)state;
    static const struct {
        const char *unit;
        unsigned long long scale;
    } units[] = {
        { NULL, 1 }, { "", 1 }, { "b", 1 }, { "byte", 1 }, { "bytes", 1 },
        { "KB", 1000ULL }, { "K", 1024ULL }, { "KiB", 1024ULL },
        { "k", 1024ULL }, { "kib", 1024ULL }, { "kb", 1000ULL },
        { "MB", 1000000ULL }, { "M", 1048576ULL }, { "MiB", 1048576ULL },
        { "GB", 1000000000ULL }, { "G", 1073741824ULL }, { "GiB", 1073741824ULL },
        { "TB", 1000000000000ULL }, { "T", 1099511627776ULL },
        { "TiB", 1099511627776ULL },
        { "PB", 1000000000000000ULL }, { "P", 1125899906842624ULL },
        { "PiB", 1125899906842624ULL },
        { "EB", 1000000000000000000ULL }, { "E", 1152921504606846976ULL },
        { "EiB", 1152921504606846976ULL },
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        unsigned long long v = 0;
        evirt_error err = { 0 };
        assert_int_equal(evirt_parse_scaled_bytes("3", units[i].unit, &v, &err), 0);
        assert_true(v == 3 * units[i].scale);
        /* and through a volume document */
        char xml[256];
        snprintf(xml, sizeof(xml),
                 "<volume><name>u</name><capacity%s%s%s>7</capacity></volume>",
                 units[i].unit ? " unit='" : "",
                 units[i].unit ? units[i].unit : "",
                 units[i].unit ? "'" : "");
        evirt_storage_vol_def *def = vol_ok(xml, NULL, 0);
        assert_true(def->capacity == 7 * units[i].scale);
        evirt_storage_vol_def_free(def);
    }

    unsigned long long v = 0;
    evirt_error err = { 0 };
    assert_int_equal(evirt_parse_scaled_bytes(" 12", "KiB", &v, &err), 0);
    assert_int_equal(v, 12288);
    /* the largest size a file can have, and one byte more */
    assert_int_equal(evirt_parse_scaled_bytes("9223372036854775807", NULL, &v,
                                              &err), 0);
    assert_true(v == 9223372036854775807ULL);
    assert_int_equal(evirt_parse_scaled_bytes("9223372036854775808", NULL, &v,
                                              &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_OVERFLOW);
    evirt_error_reset(&err);
    assert_int_equal(evirt_parse_scaled_bytes("8", "EiB", &v, &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_OVERFLOW);
    assert_contains(err.message, "value too large: 8EiB");
    evirt_error_reset(&err);
    assert_int_equal(evirt_parse_scaled_bytes("7", "EiB", &v, &err), 0);

    static const char *const bad_values[] = {
        "-1", "", " ", "1 ", "1.5", "0x10", "abc", "99999999999999999999", NULL
    };
    for (int i = 0; bad_values[i]; i++) {
        assert_int_equal(evirt_parse_scaled_bytes(bad_values[i], NULL, &v, &err), -1);
        assert_int_equal(err.code, EVIRT_ERR_XML_ERROR);
        assert_int_equal(err.domain, EVIRT_FROM_STORAGE);
        evirt_error_reset(&err);
    }
    static const char *const bad_units[] = {
        "XB", "KIBB", "Kb2", "bit", "iB", "Ki", NULL
    };
    for (int i = 0; bad_units[i]; i++) {
        assert_int_equal(evirt_parse_scaled_bytes("1", bad_units[i], &v, &err), -1);
        assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
        evirt_error_reset(&err);
    }
}

/* ---- errors ---- */

static void
check_pool_error(const bad_case *c)
{
    evirt_error err = { 0 };
    evirt_storage_pool_def *def = evirt_storage_pool_def_parse_string(c->xml, 0, &err);
    check_refused(c, def != NULL, &err);
}

static void
check_vol_error(const bad_case *c, const evirt_storage_pool_def *pool)
{
    evirt_error err = { 0 };
    evirt_storage_vol_def *def =
        evirt_storage_vol_def_parse_string(c->xml, pool, 0, &err);
    check_refused(c, def != NULL, &err);
}

#define XE EVIRT_ERR_XML_ERROR
#define ST EVIRT_FROM_STORAGE
#define TGT "<target><path>/x</path></target>"

static void
test_pool_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        { "<pool type='dir'>\n<name>a</name><target></pool>",
          EVIRT_ERR_XML_DETAIL, ST,
          "(storage_pool_definition):2: Opening and ending tag mismatch" },
        { "", EVIRT_ERR_XML_DETAIL, ST, "(storage_pool_definition)" },
        { "<volume type='dir'><name>a</name></volume>", XE, EVIRT_FROM_XML,
          "expecting root element of 'pool', not 'volume'" },
        { "<pool><name>a</name>" TGT "</pool>", XE, EVIRT_FROM_XML,
          "missing required attribute 'type' in element 'pool' (line 1)" },
        { "<pool type='foo'><name>a</name>" TGT "</pool>", XE, EVIRT_FROM_XML,
          "invalid value for attribute 'type' in element 'pool': 'foo'" },
        { "<pool type='dir'>\n" TGT "</pool>", XE, ST,
          "missing pool source name element (line 1)" },
        { "<pool type='dir'><name></name>" TGT "</pool>", XE, ST,
          "missing pool source name element" },
        { "<pool type='dir'><name>a/b</name>" TGT "</pool>", XE, ST,
          "name a/b cannot contain '/'" },
        { "<pool type='dir'><name>a</name>\n<uuid>zz</uuid>" TGT "</pool>", XE, ST,
          "malformed uuid element (line 2)" },
        { "<pool type='dir'><name>a</name></pool>", XE, ST,
          "missing storage pool target path" },
        { "<pool type='dir'><name>a</name>\n<target>\n</target></pool>", XE, ST,
          "missing storage pool target path (line 2)" },
        { "<pool type='dir'><name>a</name><target><path>/x</path><permissions>"
          "\n<mode>999</mode></permissions></target></pool>", XE, ST,
          "malformed octal mode (line 2)" },
        { "<pool type='dir'><name>a</name><target><path>/x</path><permissions>"
          "<mode>01777</mode></permissions></target></pool>", XE, ST,
          "malformed octal mode" },
        { "<pool type='dir'><name>a</name><target><path>/x</path><permissions>"
          "<owner>bob</owner></permissions></target></pool>", XE, ST,
          "malformed owner element" },
        { "<pool type='dir'><name>a</name><target><path>/x</path><permissions>"
          "<group>-2</group></permissions></target></pool>", XE, ST,
          "malformed group element" },
        { "<pool type='netfs'><name>n</name><source><dir path='/e'/></source>"
          TGT "</pool>", XE, ST, "missing storage pool source host name" },
        { "<pool type='netfs'><name>n</name><source><host name='h'/></source>"
          TGT "</pool>", XE, ST, "missing storage pool source path" },
        { "<pool type='netfs'><name>n</name><source><host/><dir path='/e'/>"
          "</source>" TGT "</pool>", XE, ST, "missing storage pool host name" },
        { "<pool type='netfs'><name>n</name><source><host name='h' port='x'/>"
          "<dir path='/e'/></source>" TGT "</pool>", XE, ST, "'port'" },
        { "<pool type='netfs'><name>n</name><source><host name='h'/>"
          "<dir path='/e'/><protocol ver='v3'/></source>" TGT "</pool>", XE, ST,
          "storage pool protocol ver 'v3' is malformed" },
        { "<pool type='fs'><name>f</name>" TGT "</pool>", XE, ST,
          "missing storage pool source device name" },
        { "<pool type='fs'><name>f</name><source><device/></source>" TGT "</pool>",
          XE, ST, "missing storage pool source device path" },
        { "<pool type='fs'><name>f</name><source><device path='/d'/>"
          "<format type='bogus'/></source>" TGT "</pool>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "unknown pool format type bogus" },
        { "<pool type='scsi'><name>s</name>" TGT "</pool>", XE, ST,
          "missing storage pool source adapter" },
        { "<pool type='scsi'><name>s</name><source><adapter type='fc_host' "
          "wwnn='20000000c9831b4b'/></source>" TGT "</pool>", XE, ST,
          "'wwnn' and 'wwpn' must be given" },
        { "<pool type='scsi'><name>s</name><source><adapter type='fc_host' "
          "wwnn='2000' wwpn='10000000c9831b4b'/></source>" TGT "</pool>", XE, ST,
          "malformed wwn: 2000" },
        { "<pool type='scsi'><name>s</name><source><adapter wwnn='1'/></source>"
          TGT "</pool>", XE, ST, "requires the adapter 'type'" },
        { "<pool type='rbd'><name>r</name><source><host name='h'/></source></pool>",
          XE, ST, "element 'name' is mandatory for RBD pool" },
        { "<pool type='iscsi'><name>i</name><source><host name='h'/>"
          "<device path='iqn.x'/><auth username='u'/></source>" TGT "</pool>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "storage pool missing auth type" },
        { "<pool type='iscsi-direct'><name>i</name><source><host name='h'/>"
          "<device path='iqn.x'/></source></pool>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "missing initiator IQN" },
        { "<pool type='rbd'><name>r</name><features><cow state='yes'/></features>"
          "<source><name>x</name><host name='h'/></source></pool>",
          EVIRT_ERR_NO_SUPPORT, ST, "cow feature may only be used" },
        { "<pool type='dir'><name>a</name><refresh><volume allocation='all'/>"
          "</refresh>" TGT "</pool>", EVIRT_ERR_CONFIG_UNSUPPORTED, ST,
          "unknown storage pool volume refresh allocation type all" },
        { "<pool type='dir'><name>a</name>\n<capacity unit='XB'>1</capacity>"
          TGT "</pool>", EVIRT_ERR_INVALID_ARG, ST,
          "unknown suffix 'XB' in <capacity> (line 2)" },
        { "<pool type='dir'><name>a</name><available>-5</available>" TGT "</pool>",
          XE, ST, "invalid size '-5' in <available>" },
        { "<pool type='dir'><name>a</name><allocation unit='EiB'>9</allocation>"
          TGT "</pool>", EVIRT_ERR_OVERFLOW, ST, "value too large" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_pool_error(&cases[i]);
}

static void
test_volume_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        { "<volume><name>c</name><capacity>5</capacity>",
          EVIRT_ERR_XML_DETAIL, ST,
          "(storage_volume_definition):1: Premature end of data in tag volume" },
        { "<pool><name>c</name></pool>", XE, EVIRT_FROM_XML,
          "expecting root element of 'volume', not 'pool'" },
        { "<volume>\n<capacity>1</capacity></volume>", XE, ST,
          "missing volume name element (line 1)" },
        { "<volume><name>c</name></volume>", XE, ST, "missing capacity element" },
        { "<volume><name>c</name><capacity></capacity></volume>", XE, ST,
          "missing capacity element" },
        { "<volume><name>c</name>\n<capacity unit='XB'>1</capacity></volume>",
          EVIRT_ERR_INVALID_ARG, ST, "unknown suffix 'XB' in <capacity> (line 2)" },
        { "<volume><name>c</name>\n<capacity>-1</capacity></volume>", XE, ST,
          "malformed capacity element: <capacity> '-1' (line 2)" },
        { "<volume><name>c</name><capacity> 5 </capacity></volume>", XE, ST,
          "malformed capacity element" },
        { "<volume><name>c</name><capacity>99999999999999999999</capacity></volume>",
          XE, ST, "malformed capacity element" },
        { "<volume><name>c</name><capacity unit='EiB'>8</capacity></volume>",
          EVIRT_ERR_OVERFLOW, ST, "value too large: 8EiB" },
        { "<volume><name>c</name><capacity>1</capacity>\n<allocation>x</allocation>"
          "</volume>", XE, ST, "malformed capacity element: <allocation> 'x' (line 2)" },
        { "<volume type='zz'><name>c</name><capacity>5</capacity></volume>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "unknown volume type 'zz'" },
        { "<volume><name>c</name><capacity>5</capacity><target>"
          "<format type='none'/></target></volume>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "unknown volume format type none" },
        { "<volume><name>c</name><capacity>5</capacity><backingStore>"
          "<path>/b</path><format type='vhdx2'/></backingStore></volume>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "unknown volume format type vhdx2" },
        { "<volume><name>c</name><capacity>5</capacity><target>"
          "<permissions><mode>8</mode></permissions></target></volume>",
          XE, ST, "malformed octal mode" },
        { "<volume><name>c</name><capacity>5</capacity><target>"
          "<compat>1.1.1</compat></target></volume>", XE, ST,
          "forbidden characters in 'compat' attribute" },
        { "<volume><name>c</name><capacity>5</capacity><target>"
          "<features><fast/></features></target></volume>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "unsupported feature fast" },
        { "<volume><name>c</name><capacity>5</capacity><target>"
          "<clusterSize unit='q'>64</clusterSize></target></volume>",
          EVIRT_ERR_INVALID_ARG, ST, "unknown suffix 'q' in <clusterSize>" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_vol_error(&cases[i], NULL);

    /* a disk pool has its own volume formats */
    evirt_storage_pool_def *disk = pool_ok(
        "<pool type='disk'><name>d</name><source><device path='/dev/sdb'/>"
        "</source><target><path>/dev</path></target></pool>");
    bad_case qcow = {
        "<volume><name>p</name><capacity>5</capacity><target>"
        "<format type='qcow2'/></target></volume>",
        EVIRT_ERR_CONFIG_UNSUPPORTED, ST, "unknown volume format type qcow2"
    };
    check_vol_error(&qcow, disk);
    evirt_storage_vol_def *def = vol_ok("<volume><name>p</name><capacity>5"
                                        "</capacity></volume>", disk, 0);
    assert_string_equal(def->target.format, "none");
    evirt_storage_vol_def_free(def);
    evirt_storage_pool_def_free(disk);

    evirt_error err = { 0 };
    assert_null(evirt_storage_vol_def_parse_string(NULL, NULL, 0, &err));
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    assert_null(evirt_storage_pool_def_parse_string(NULL, 0, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_pool_exact),
        cmocka_unit_test(test_default_volume_exact),
        cmocka_unit_test(test_pool_parity),
        cmocka_unit_test(test_pool_fields),
        cmocka_unit_test(test_volume_parity),
        cmocka_unit_test(test_volume_fields),
        cmocka_unit_test(test_volume_capacity_flags),
        cmocka_unit_test(test_pool_unknown_preserved),
        cmocka_unit_test(test_volume_unknown_preserved),
        cmocka_unit_test(test_built_in_code),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_pool_errors),
        cmocka_unit_test(test_volume_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
