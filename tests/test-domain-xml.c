/*
 * tests/test-domain-xml.c - the domain XML model: reading, writing,
 * round trips, defaults, units and errors.
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
#include "tests/xml-test-util.h"

static char *
read_data(const char *name)
{
    return xml_test_read("domain-xml", name, "");
}

static evirt_domain_def *
parse_ok(const char *xml, unsigned int flags)
{
    evirt_error err = { 0 };
    evirt_domain_def *def = evirt_domain_def_parse_string(xml, flags, &err);
    if (!def)
        fail_msg("parse failed: %s", err.message);
    assert_int_equal(err.code, 0);
    return def;
}

/* Parses, formats, parses the output and formats again: both outputs
 * must be the same text.  Returns the first output. */
static char *
round_trip(const char *xml, unsigned int fmt_flags)
{
    evirt_domain_def *a = parse_ok(xml, 0);
    char *out1 = evirt_domain_def_format(a, fmt_flags);
    assert_non_null(out1);
    evirt_domain_def *b = parse_ok(out1, 0);
    char *out2 = evirt_domain_def_format(b, fmt_flags);
    assert_non_null(out2);
    assert_string_equal(out1, out2);
    evirt_domain_def_free(a);
    evirt_domain_def_free(b);
    free(out2);
    return out1;
}

/* libvirt's test driver prints its default domain exactly so. */
static void
test_default_domain_exact(void **state)
{
    char *xml = read_data("test-default.xml");
    evirt_domain_def *def = parse_ok(xml, 0);

    assert_string_equal(def->type, "test");
    assert_int_equal(def->id, 1);
    assert_string_equal(def->name, "test");
    char uuid[37];
    evirt_uuid_format(def->uuid, uuid);
    assert_string_equal(uuid, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    assert_int_equal(def->memory_kib, 8388608);
    assert_int_equal(def->current_memory_kib, 2097152);
    assert_int_equal(def->vcpus, 2);
    assert_int_equal(def->vcpus_current, 2);
    assert_string_equal(def->os.type, "hvm");
    assert_string_equal(def->os.arch, "i686");
    assert_int_equal(def->os.nboot_devs, 1);
    assert_string_equal(def->os.boot_devs[0], "hd");
    assert_int_equal(def->ndisks, 1);
    assert_string_equal(def->disks[0].source_path, "/guest/diskimage1");
    assert_ptr_equal(evirt_domain_def_find_disk(def, "vda"), &def->disks[0]);
    assert_int_equal(def->nnets, 1);
    assert_ptr_equal(evirt_domain_def_find_net(def, "testnet0"), &def->nets[0]);
    char mac[18];
    evirt_mac_format(def->nets[0].mac, mac);
    assert_string_equal(mac, "aa:bb:cc:dd:ee:ff");
    assert_string_equal(def->nets[0].source, "default");

    char *out = evirt_domain_def_format(def, 0);
    assert_string_equal(out, xml);
    free(out);

    /* INACTIVE leaves the id out and nothing else */
    out = evirt_domain_def_format(def, EVIRT_DOMAIN_DEF_FORMAT_INACTIVE);
    assert_non_null(strstr(out, "<domain type='test'>\n"));
    assert_null(strstr(out, "id="));
    assert_string_equal(out + strlen("<domain type='test'>"),
                        xml + strlen("<domain type='test' id='1'>"));
    free(out);

    /* parsing as inactive ignores the id */
    evirt_domain_def *inactive = parse_ok(xml, EVIRT_DOMAIN_DEF_PARSE_INACTIVE);
    assert_int_equal(inactive->id, -1);
    evirt_domain_def_free(inactive);

    evirt_domain_def_free(def);
    free(xml);
}

static void
test_rich_round_trip(void **state)
{
    char *xml = read_data("rich.xml");
    evirt_domain_def *def = parse_ok(xml, 0);

    assert_string_equal(def->type, "kvm");
    assert_int_equal(def->id, 7);
    assert_string_equal(def->title, "A rich guest");
    assert_string_equal(def->description, "Exercises & preserves \"everything\"");
    assert_int_equal(def->memory_kib, 2 * 1024 * 1024);
    assert_int_equal(def->current_memory_kib, 1024 * 1024);
    assert_int_equal(def->vcpus, 4);
    assert_int_equal(def->vcpus_current, 2);
    assert_string_equal(def->vcpu_cpuset, "0-3");
    assert_string_equal(def->os.machine, "pc-q35-7.2");
    assert_string_equal(def->os.loader, "/usr/share/OVMF/OVMF_CODE.fd");
    assert_int_equal(def->os.nboot_devs, 2);
    assert_string_equal(def->os.boot_devs[0], "cdrom");
    assert_string_equal(def->os.boot_devs[1], "hd");
    assert_true(evirt_domain_def_has_feature(def, "acpi"));
    assert_true(evirt_domain_def_has_feature(def, "hyperv"));
    assert_false(evirt_domain_def_has_feature(def, "pae"));
    assert_string_equal(def->clock_offset, "localtime");
    assert_string_equal(def->on_crash, "coredump-restart");
    assert_string_equal(def->emulator, "/usr/bin/qemu-system-x86_64");

    assert_int_equal(def->ndisks, 3);
    assert_string_equal(def->disks[0].driver_type, "qcow2");
    assert_string_equal(def->disks[0].target_bus, "virtio");
    assert_string_equal(def->disks[1].device, "cdrom");
    assert_null(def->disks[1].source_path);
    assert_true(def->disks[1].readonly);
    assert_string_equal(def->disks[2].type, "network");
    assert_null(def->disks[2].source_path);
    assert_true(def->disks[2].shareable);

    assert_int_equal(def->nnets, 3);
    char mac[18];
    evirt_mac_format(def->nets[0].mac, mac);
    assert_string_equal(mac, "52:54:00:ab:cd:01");
    assert_string_equal(def->nets[0].target_dev, "vnet3");
    assert_string_equal(def->nets[0].model_type, "virtio");
    assert_string_equal(def->nets[1].source, "br0");
    assert_int_equal(def->nets[1].mac[0], 0x52);
    assert_int_equal(def->nets[1].mac[1], 0x54);
    assert_int_equal(def->nets[1].mac[2], 0x00);
    assert_int_equal(def->nserials, 2);
    assert_int_equal(def->serials[1].target_port, 1);
    assert_string_equal(def->serials[0].target_type, "isa-serial");
    assert_int_equal(def->nconsoles, 1);
    assert_int_equal(def->ninputs, 2);
    assert_string_equal(def->inputs[0].bus, "usb");
    assert_int_equal(def->ngraphics, 1);
    assert_int_equal(def->graphics[0].port, -1);
    assert_int_equal(def->graphics[0].autoport, 1);
    assert_string_equal(def->graphics[0].passwd, "s3cr<t");
    assert_int_equal(def->nhostdevs, 1);
    assert_int_equal(def->hostdevs[0].managed, 1);
    evirt_domain_def_free(def);

    char *out = round_trip(xml, EVIRT_DOMAIN_DEF_FORMAT_SECURE);
    /* the known parts, written the libvirt way */
    assert_true(strncmp(out, "<domain type='kvm' id='7'>\n  <name>rich</name>\n"
                        "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
                        "  <title>A rich guest</title>\n", 115) == 0);
    assert_contains(out, "  <memory unit='KiB'>2097152</memory>\n"
                         "  <currentMemory unit='KiB'>1048576</currentMemory>\n"
                         "  <vcpu placement='static' cpuset='0-3' current='2'>4</vcpu>\n");
    assert_contains(out, "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"
                         "    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>\n"
                         "    <nvram>/var/lib/libvirt/qemu/nvram/rich_VARS.fd</nvram>\n"
                         "    <boot dev='cdrom'/>\n    <boot dev='hd'/>\n"
                         "    <bootmenu enable='yes' timeout='3000'/>\n  </os>\n");
    assert_contains(out, "  <features>\n    <acpi/>\n    <apic/>\n"
                         "    <hyperv mode='custom'>\n      <relaxed state='on'/>\n"
                         "    </hyperv>\n  </features>\n"
                         "  <cpu mode='host-passthrough' check='none'/>\n");
    assert_contains(out, "  <clock offset='localtime'>\n"
                         "    <timer name='rtc' tickpolicy='catchup'/>\n");
    /* unknown top-level elements stay where they were */
    assert_contains(out, "  <metadata>\n    <app1:foo xmlns:app1='http://app1.org/app1/'>fooish</app1:foo>\n  </metadata>\n  <memory");
    assert_contains(out, "  <on_crash>coredump-restart</on_crash>\n  <pm>\n");
    assert_contains(out, "  </devices>\n  <seclabel type='dynamic' model='selinux' relabel='yes'/>\n"
                         "  <qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
                         "    <qemu:arg value='-newarg'/>\n  </qemu:commandline>\n</domain>\n");
    /* unknown devices and unknown parts of known devices too */
    assert_contains(out, "      <driver name='qemu' type='qcow2' cache='none'/>\n"
                         "      <source file='/var/lib/libvirt/images/rich.qcow2'/>\n"
                         "      <target dev='vda' bus='virtio'/>\n"
                         "      <boot order='1'/>\n      <address type='pci'");
    assert_contains(out, "      <source protocol='rbd' name='pool/image'>\n"
                         "        <host name='mon1.example.org' port='6789'/>\n");
    assert_contains(out, "    </disk>\n    <controller type='usb' index='0' model='qemu-xhci'/>\n"
                         "    <interface type='network'>\n");
    assert_contains(out, "      <mac address='52:54:00:ab:cd:01'/>\n"
                         "      <source network='default' portgroup='web'/>\n"
                         "      <target dev='vnet3'/>\n      <model type='virtio'/>\n");
    assert_contains(out, "    <interface type='user'>\n      <mac address='52:54:00:");
    assert_contains(out, "    <serial type='file'>\n      <source path='/tmp/serial.log'/>\n"
                         "      <target port='1'/>\n    </serial>\n");
    assert_contains(out, "    </console>\n    <channel type='unix'>\n");
    assert_contains(out, "    <input type='keyboard' bus='ps2'/>\n");
    assert_contains(out, "    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' "
                         "keymap='en-us' passwd='s3cr&lt;t' sharePolicy='ignore'>\n"
                         "      <listen type='address' address='127.0.0.1'/>\n");
    assert_contains(out, "    </graphics>\n    <video>\n");
    assert_contains(out, "      <source>\n        <address domain='0x0000' bus='0x06' "
                         "slot='0x02' function='0x0'/>\n      </source>\n");
    assert_contains(out, "    </hostdev>\n    <frobnicator level='11'>\n      <knob/>\n"
                         "    </frobnicator>\n    <memballoon model='virtio'/>\n  </devices>\n");
    free(out);

    /* without SECURE the password is not shown */
    out = round_trip(xml, 0);
    assert_null(strstr(out, "passwd"));
    assert_contains(out, "keymap='en-us' sharePolicy='ignore'>");
    free(out);
    free(xml);
}

static const char minimal[] =
    "<domain type='test'>\n"
    "  <name>factsdom</name>\n"
    "  <memory unit='KiB'>65536</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type arch='x86_64'>hvm</type></os>\n"
    "</domain>\n";

static void
test_defaults(void **state)
{
    evirt_domain_def *a = parse_ok(minimal, 0);
    evirt_domain_def *b = parse_ok(minimal, 0);
    char uuid[37];
    evirt_uuid_format(a->uuid, uuid);
    /* a random version 4 UUID, different each time */
    assert_int_equal(strlen(uuid), 36);
    assert_int_equal(uuid[14], '4');
    assert_true(strchr("89ab", uuid[19]) != NULL);
    assert_memory_not_equal(a->uuid, b->uuid, 16);
    assert_int_equal(a->id, -1);
    assert_int_equal(a->current_memory_kib, 65536);

    char *out = evirt_domain_def_format(a, 0);
    char expect[1024];
    snprintf(expect, sizeof(expect),
             "<domain type='test'>\n"
             "  <name>factsdom</name>\n"
             "  <uuid>%s</uuid>\n"
             "  <memory unit='KiB'>65536</memory>\n"
             "  <currentMemory unit='KiB'>65536</currentMemory>\n"
             "  <vcpu placement='static'>1</vcpu>\n"
             "  <os>\n"
             "    <type arch='x86_64'>hvm</type>\n"
             "    <boot dev='hd'/>\n"
             "  </os>\n"
             "  <clock offset='utc'/>\n"
             "  <on_poweroff>destroy</on_poweroff>\n"
             "  <on_reboot>restart</on_reboot>\n"
             "  <on_crash>destroy</on_crash>\n"
             "  <devices>\n"
             "  </devices>\n"
             "</domain>\n", uuid);
    assert_string_equal(out, expect);
    free(out);
    evirt_domain_def_free(a);
    evirt_domain_def_free(b);
}

static void
test_copy(void **state)
{
    char *xml = read_data("rich.xml");
    evirt_domain_def *def = parse_ok(xml, 0);
    evirt_domain_def *copy = evirt_domain_def_copy(def);
    assert_non_null(copy);
    assert_int_equal(copy->id, 7);
    assert_memory_equal(copy->uuid, def->uuid, 16);
    assert_memory_equal(copy->nets[1].mac, def->nets[1].mac, 6);
    char *a = evirt_domain_def_format(def, EVIRT_DOMAIN_DEF_FORMAT_SECURE);
    char *b = evirt_domain_def_format(copy, EVIRT_DOMAIN_DEF_FORMAT_SECURE);
    assert_string_equal(a, b);
    /* independent: changing the copy leaves the original alone */
    free(copy->name);
    copy->name = strdup("other");
    copy->memory_kib = 1;
    assert_string_equal(def->name, "rich");
    free(a);
    free(b);
    evirt_domain_def_free(copy);
    evirt_domain_def_free(def);
    free(xml);
}

static void
test_changed_fields_are_written(void **state)
{
    char *xml = read_data("test-default.xml");
    evirt_domain_def *def = parse_ok(xml, 0);
    free(def->disks[0].source_path);
    def->disks[0].source_path = strdup("/new/path.img");
    free(def->nets[0].target_dev);
    def->nets[0].target_dev = strdup("vnet9");
    def->id = 42;
    def->vcpus_current = 1;
    char *out = evirt_domain_def_format(def, 0);
    assert_contains(out, "<domain type='test' id='42'>");
    assert_contains(out, "<vcpu placement='static' current='1'>2</vcpu>");
    assert_contains(out, "<source file='/new/path.img'/>");
    assert_contains(out, "<target dev='vnet9'/>");
    assert_null(strstr(out, "diskimage1"));
    assert_null(strstr(out, "testnet0"));
    free(out);
    evirt_domain_def_free(def);
    free(xml);
}

static void
test_uuid(void **state)
{
    unsigned char u[16], v[16];
    char buf[37];
    assert_int_equal(evirt_uuid_parse("6695eb01-f6a4-8304-79aa-97f2502e193f", u), 0);
    assert_int_equal(evirt_uuid_parse("6695EB01F6A4830479AA97F2502E193F", v), 0);
    assert_memory_equal(u, v, 16);
    assert_int_equal(evirt_uuid_parse("  6695eb01-f6a4-8304-79aa-97f2502e193f\n", v), 0);
    assert_memory_equal(u, v, 16);
    evirt_uuid_format(u, buf);
    assert_string_equal(buf, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    assert_int_equal(evirt_uuid_parse("6695eb01-f6a4-8304-79aa-97f2502e193", u), -1);
    assert_int_equal(evirt_uuid_parse("6695eb01-f6a4-8304-79aa-97f2502e193f0", u), -1);
    assert_int_equal(evirt_uuid_parse("6695eb01-f6a4-8304-79aa-97f2502e193g", u), -1);
    assert_int_equal(evirt_uuid_parse("6-695eb01f6a4830479aa97f2502e193f", u), -1);
    assert_int_equal(evirt_uuid_parse("", u), -1);
    assert_int_equal(evirt_uuid_generate(u), 0);
    assert_int_equal(u[6] >> 4, 4);
    assert_int_equal(u[8] & 0xc0, 0x80);

    unsigned char mac[6];
    assert_int_equal(evirt_mac_parse("AA:b:cc:dd:ee:0f", mac), 0);
    evirt_mac_format(mac, buf);
    assert_string_equal(buf, "aa:0b:cc:dd:ee:0f");
    assert_int_equal(evirt_mac_parse("aa:bb:cc:dd:ee", mac), -1);
    assert_int_equal(evirt_mac_parse("aa:bb:cc:dd:ee:ff:00", mac), -1);
    evirt_mac_generate(mac);
    assert_int_equal(mac[0], 0x52);
    assert_int_equal(mac[1], 0x54);
    assert_int_equal(mac[2], 0x00);
}

static void
test_units(void **state)
{
    static const struct {
        const char *value, *unit;
        unsigned long long kib;
    } ok[] = {
        { "65536", NULL, 65536 },
        { "65536", "", 65536 },
        { "2048", "b", 2 },
        { "2049", "bytes", 3 },       /* rounds up to whole KiB */
        { "1", "b", 1 },
        { "0", "KiB", 0 },
        { "7", "k", 7 },
        { "7", "KiB", 7 },
        { "1024", "KB", 1000 },
        { "1", "M", 1024 },
        { "1", "MiB", 1024 },
        { "1", "MB", 977 },           /* 1000000 / 1024, rounded up */
        { "2", "G", 2097152 },
        { "2", "GiB", 2097152 },
        { "1", "GB", 976563 },
        { "1", "T", 1073741824ULL },
        { "1", "TiB", 1073741824ULL },
        { "1", "TB", 976562500ULL },
        { "1", "gib", 1048576 },      /* case does not matter */
        { " 12 ", "KiB", 12 },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        evirt_error err = { 0 };
        unsigned long long kib = 12345;
        if (evirt_parse_scaled_kib(ok[i].value, ok[i].unit, &kib, &err) < 0)
            fail_msg("%s %s: %s", ok[i].value, ok[i].unit, err.message);
        if (kib != ok[i].kib)
            fail_msg("%s %s: %llu, expected %llu", ok[i].value, ok[i].unit,
                     kib, ok[i].kib);
    }

    static const struct {
        const char *value, *unit;
        int code;
    } bad[] = {
        { "abc", NULL, EVIRT_ERR_XML_ERROR },
        { "-5", NULL, EVIRT_ERR_XML_ERROR },
        { "", NULL, EVIRT_ERR_XML_ERROR },
        { "1.5", "G", EVIRT_ERR_XML_ERROR },
        { "1", "X", EVIRT_ERR_INVALID_ARG },
        { "1", "KBB", EVIRT_ERR_INVALID_ARG },
        { "1", "Kb ", EVIRT_ERR_INVALID_ARG },
        { "20000000", "TiB", EVIRT_ERR_OVERFLOW },
        { "99999999999999999999999", NULL, EVIRT_ERR_OVERFLOW },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        evirt_error err = { 0 };
        unsigned long long kib;
        assert_int_equal(evirt_parse_scaled_kib(bad[i].value, bad[i].unit,
                                                &kib, &err), -1);
        if (err.code != bad[i].code)
            fail_msg("'%s' '%s': code %d, expected %d", bad[i].value,
                     bad[i].unit ? bad[i].unit : "", err.code, bad[i].code);
        assert_non_null(err.message);
        evirt_error_reset(&err);
    }
}

static void
check_bad(const bad_case *c)
{
    evirt_error err = { 0 };
    evirt_domain_def *def = evirt_domain_def_parse_string(c->xml, 0, &err);
    check_refused(c, def != NULL, &err);
}

static void
test_malformed(void **state)
{
    static const bad_case cases[] = {
        { "<domain type='test'>\n  <name>x</name>\n  <memory>10\n</domain>\n",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_DOMAIN,
          "(domain_definition):4: Opening and ending tag mismatch: memory line 3 and domain" },
        { "<domain type='test'>\n  <name>x</name>\n",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_DOMAIN,
          "(domain_definition):3: " },
        { "", EVIRT_ERR_XML_DETAIL, EVIRT_FROM_DOMAIN, "(domain_definition):" },
        { "<domain type='test'>\n<name a='1' a='2'>x</name></domain>",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_DOMAIN,
          "(domain_definition):2: Attribute a redefined" },
        { "<domain type='test'>\n\n\n<name>&undefined;</name></domain>",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_DOMAIN,
          "(domain_definition):4: Entity 'undefined' not defined" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);

    /* libvirt shows the line and where in it */
    evirt_error err = { 0 };
    assert_null(evirt_domain_def_parse_string(cases[0].xml, 0, &err));
    assert_non_null(strstr(err.message, "\n</domain>\n---------^"));
    evirt_error_reset(&err);
}

#define DOM(body) "<domain type='test'>\n" body "</domain>\n"
#define OS "<os><type>hvm</type></os>\n"
#define MEM "<memory>1024</memory>\n"

static void
test_invalid(void **state)
{
    static const bad_case cases[] = {
        { "<dom type='test'><name>a</name></dom>",
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_XML,
          "expecting root element of 'domain', not 'dom'" },
        { DOM(MEM OS), EVIRT_ERR_NO_NAME, EVIRT_FROM_DOMAIN,
          "missing name information" },
        { DOM("<name></name>\n" MEM OS), EVIRT_ERR_NO_NAME, EVIRT_FROM_DOMAIN,
          "missing name information" },
        { "<domain><name>a</name>" MEM OS "</domain>",
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN, "missing domain type attribute" },
        { "<domain type='bogus'><name>a</name>" MEM OS "</domain>",
          EVIRT_ERR_CONFIG_UNSUPPORTED, EVIRT_FROM_DOMAIN,
          "invalid domain type bogus" },
        { DOM("<name>a/b</name>\n" MEM OS), EVIRT_ERR_XML_ERROR,
          EVIRT_FROM_DOMAIN, "name a/b cannot contain '/'" },
        { DOM("<name>a</name>\n<uuid>zzz</uuid>\n" MEM OS), EVIRT_ERR_XML_ERROR,
          EVIRT_FROM_DOMAIN, "malformed uuid element 'zzz' (line 3)" },
        { DOM("<name>a</name>\n<memory>abc</memory>\n" OS), EVIRT_ERR_XML_ERROR,
          EVIRT_FROM_DOMAIN, "invalid value 'abc' for memory (line 3)" },
        { DOM("<name>a</name>\n" MEM "<currentMemory>-5</currentMemory>\n" OS),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN,
          "invalid value '-5' for currentMemory (line 4)" },
        { DOM("<name>a</name>\n<memory unit='X'>1</memory>\n" OS),
          EVIRT_ERR_INVALID_ARG, EVIRT_FROM_DOMAIN, "unknown suffix 'X'" },
        { DOM("<name>a</name>\n" OS), EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN,
          "Memory size must be specified" },
        { DOM("<name>a</name>\n" MEM "<vcpu>0</vcpu>\n" OS), EVIRT_ERR_XML_ERROR,
          EVIRT_FROM_DOMAIN, "at least one vcpu, <vcpu> is 0 (line 4)" },
        { DOM("<name>a</name>\n" MEM "<vcpu>x</vcpu>\n" OS), EVIRT_ERR_XML_ERROR,
          EVIRT_FROM_DOMAIN, "maximum vcpus count must be an integer, not 'x' (line 4)" },
        { DOM("<name>a</name>\n" MEM "<vcpu current='3'>2</vcpu>\n" OS),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN, "current vcpus '3'" },
        { DOM("<name>a</name>\n" MEM), EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN,
          "an os <type> must be specified" },
        { DOM("<name>a</name>\n" MEM "<os><boot dev='hd'/></os>\n"),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN, "an os <type> must be specified" },
        { DOM("<name>a</name>\n" MEM "<os>\n<type>hvm</type>\n<boot dev='floppy'/></os>\n"),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN,
          "invalid value 'floppy' for boot dev (line 6)" },
        { DOM("<name>a</name>\n" MEM OS "<on_crash>explode</on_crash>\n"),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN,
          "invalid value 'explode' for on_crash (line 5)" },
        { DOM("<name>a</name>\n" MEM OS "<devices>\n<disk type='file'><source file='/x'/></disk>\n</devices>\n"),
          EVIRT_ERR_NO_TARGET, EVIRT_FROM_DOMAIN, "(line 6)" },
        { DOM("<name>a</name>\n" MEM OS "<devices>\n<interface type='network'>\n<mac address='zz:00'/></interface>\n</devices>\n"),
          EVIRT_ERR_INVALID_MAC, EVIRT_FROM_DOMAIN,
          "unable to parse mac address 'zz:00' (line 7)" },
        { DOM("<name>a</name>\n" MEM OS "<devices>\n<graphics type='vnc' port='99999'/>\n</devices>\n"),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN,
          "invalid value '99999' for graphics port (line 6)" },
        { DOM("<name>a</name>\n<title>two\nlines</title>\n" MEM OS),
          EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN, "title can't contain newlines" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);

    evirt_error err = { 0 };
    assert_null(evirt_domain_def_parse_string(NULL, 0, &err));
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    /* err may be NULL */
    assert_null(evirt_domain_def_parse_string("<x/>", 0, NULL));
    assert_null(evirt_domain_def_parse_string("<x", 0, NULL));
}

/* Known elements that repeat: the first one counts, as in libvirt;
 * external entities are never fetched. */
static void
test_oddities(void **state)
{
    evirt_domain_def *def = parse_ok(
        DOM("<name>first</name>\n<name>second</name>\n" MEM OS
            "<currentMemory>4096</currentMemory>\n"), 0);
    assert_string_equal(def->name, "first");
    /* currentMemory above memory is capped, like libvirt */
    assert_int_equal(def->current_memory_kib, 1024);
    char *out = evirt_domain_def_format(def, 0);
    assert_null(strstr(out, "second"));
    free(out);
    evirt_domain_def_free(def);

    def = parse_ok(
        "<!DOCTYPE domain [<!ENTITY ext SYSTEM 'http://127.0.0.1:1/x'>]>\n"
        DOM("<name>n</name>\n" MEM OS "<description>&ext;</description>\n"), 0);
    assert_string_equal(def->name, "n");
    evirt_domain_def_free(def);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_domain_exact),
        cmocka_unit_test(test_rich_round_trip),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_changed_fields_are_written),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_oddities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
