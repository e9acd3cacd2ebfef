/*
 * tests/test-nodedev-xml.c - the node device XML model: libvirt's output
 * survives a round trip byte for byte, the fields hold what drivers need,
 * unknown parts are kept, and bad documents give libvirt's error codes.
 *
 * tests/data/nodedev-xml/ holds what libvirt 9.0's test driver printed:
 * its default devices (computer, scsi_host1/2/11) and, loaded from a test
 * driver config, one device of each capability type.
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

#include "conf/nodedev_conf.h"
#include "tests/xml-test-util.h"

static char *
read_data(const char *name)
{
    return xml_test_read("nodedev-xml", name, ".xml");
}

static evirt_nodedev_def *
parse_ok(const char *xml)
{
    evirt_error err = { 0 };
    evirt_nodedev_def *def = evirt_nodedev_def_parse_string(xml, 0, &err);
    if (!def)
        fail_msg("parse failed: %s\n%s", err.message, xml);
    assert_int_equal(err.code, 0);
    return def;
}

static evirt_nodedev_def *
parse_data(const char *name)
{
    char *xml = read_data(name);
    evirt_nodedev_def *def = parse_ok(xml);
    free(xml);
    return def;
}

static const char *const samples[] = {
    "computer", "scsi_host1", "scsi_host2", "scsi_host11",
    "pci_0000_00_1f_1", "usb_1_5_3", "usb_usb1", "net_eth0", "scsi_0_0_0_0",
    "scsi_target0_0_0", "storage_sda", "storage_cd", "mdev_i915",
    "drm_renderD128",
};

static void
test_libvirt_output_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        char *xml = read_data(samples[i]);
        evirt_nodedev_def *def = parse_ok(xml);
        char *out = evirt_nodedev_def_format(def, 0);
        assert_text(out, xml, samples[i]);
        free(out);
        /* and so does a copy */
        evirt_nodedev_def *copy = evirt_nodedev_def_copy(def);
        assert_non_null(copy);
        out = evirt_nodedev_def_format(copy, 0);
        assert_text(out, xml, samples[i]);
        free(out);
        evirt_nodedev_def_free(copy);
        evirt_nodedev_def_free(def);
        free(xml);
    }
}

static void
assert_caps(const evirt_nodedev_def *def, const char *const *want, int n)
{
    char **names = NULL;
    assert_int_equal(evirt_nodedev_def_cap_names(def, &names), n);
    for (int i = 0; i < n; i++)
        assert_string_equal(names[i], want[i]);
    assert_null(names[n]);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void
test_fields(void **state)
{
    (void)state;
    evirt_nodedev_def *def = parse_data("computer");
    assert_string_equal(def->name, "computer");
    assert_null(def->parent);
    assert_null(def->path);
    assert_int_equal(def->ncaps, 1);
    assert_caps(def, (const char *const[]){ "system" }, 1);
    assert_true(evirt_nodedev_def_has_cap(def, "system"));
    assert_false(evirt_nodedev_def_has_cap(def, "pci"));
    evirt_nodedev_def_free(def);

    def = parse_data("scsi_host1");
    assert_string_equal(def->parent, "computer");
    assert_string_equal(def->caps[0].type, "scsi_host");
    assert_int_equal(def->caps[0].u.scsi_host.host, 1);
    assert_caps(def, (const char *const[]){ "scsi_host" }, 1);
    /* the list filter sees the nested capabilities */
    assert_true(evirt_nodedev_def_has_cap(def, "fc_host"));
    assert_true(evirt_nodedev_def_has_cap(def, "vports"));
    assert_false(evirt_nodedev_def_has_cap(def, "vport_ops"));
    evirt_nodedev_def_free(def);

    def = parse_data("scsi_host11");
    assert_string_equal(def->parent, "scsi_host1");
    assert_true(evirt_nodedev_def_has_cap(def, "fc_host"));
    assert_false(evirt_nodedev_def_has_cap(def, "vports"));
    evirt_nodedev_def_free(def);

    def = parse_data("pci_0000_00_1f_1");
    assert_string_equal(def->path, "/sys/devices/pci0000:00/0000:00:1f.1");
    evirt_nodedev_cap *c = &def->caps[0];
    assert_int_equal(c->u.pci.domain, 0);
    assert_int_equal(c->u.pci.bus, 0);
    assert_int_equal(c->u.pci.slot, 31);
    assert_int_equal(c->u.pci.function, 1);
    assert_int_equal(c->u.pci.product.id, 0x24cb);
    assert_string_equal(c->u.pci.product.name, "82801DB (ICH4) IDE Controller");
    assert_int_equal(c->u.pci.vendor.id, 0x8086);
    assert_string_equal(c->u.pci.vendor.name, "Intel Corporation");
    assert_true(evirt_nodedev_def_has_cap(def, "pci"));
    evirt_nodedev_def_free(def);

    def = parse_data("usb_1_5_3");
    c = &def->caps[0];
    assert_int_equal(c->u.usb_dev.bus, 1);
    assert_int_equal(c->u.usb_dev.device, 4);
    assert_int_equal(c->u.usb_dev.product.id, 0x6001);
    assert_null(c->u.usb_dev.product.name);
    assert_int_equal(c->u.usb_dev.vendor.id, 0x0403);
    evirt_nodedev_def_free(def);

    def = parse_data("net_eth0");
    c = &def->caps[0];
    assert_string_equal(c->u.net.ifname, "eth0");
    assert_string_equal(c->u.net.address, "00:13:02:b9:f9:d3");
    assert_string_equal(c->u.net.link_state, "up");
    assert_int_equal(c->u.net.link_speed, 1000);
    evirt_nodedev_def_free(def);

    def = parse_data("scsi_0_0_0_0");
    c = &def->caps[0];
    assert_int_equal(c->u.scsi.lun, 0);
    assert_string_equal(c->u.scsi.type, "disk");
    evirt_nodedev_def_free(def);

    def = parse_data("storage_cd");
    assert_string_equal(def->caps[0].u.storage.block, "/dev/sr0");
    evirt_nodedev_def_free(def);

    def = parse_data("mdev_i915");
    assert_string_equal(def->parent, "pci_0000_00_1f_1");
    assert_string_equal(def->caps[0].u.mdev.type_id, "i915-GVTg_V5_8");
    evirt_nodedev_def_free(def);

    def = parse_data("drm_renderD128");
    assert_caps(def, (const char *const[]){ "drm" }, 1);
    assert_true(evirt_nodedev_def_has_cap(def, "drm"));
    evirt_nodedev_def_free(def);
}

/* A device as a real host shows it: driver, devnodes, several caps, and
 * parts nobody models yet. */
static void
test_host_device_kept(void **state)
{
    (void)state;
    static const char xml[] =
        "<device>\n"
        "  <name>net_enp0s31f6_8c_16_45_01_02_03</name>\n"
        "  <path>/sys/devices/pci0000:00/0000:00:1f.6/net/enp0s31f6</path>\n"
        "  <devnode type='dev'>/dev/x</devnode>\n"
        "  <devnode type='link'>/dev/y</devnode>\n"
        "  <parent>pci_0000_00_1f_6</parent>\n"
        "  <driver>\n"
        "    <name>e1000e</name>\n"
        "    <flavour>fast</flavour>\n"
        "  </driver>\n"
        "  <capability type='net'>\n"
        "    <interface>enp0s31f6</interface>\n"
        "    <address>8c:16:45:01:02:03</address>\n"
        "    <link speed='1000' state='up'/>\n"
        "    <feature name='rx'/>\n"
        "    <capability type='80203'/>\n"
        "  </capability>\n"
        "  <capability type='ccw' extra='1'>\n"
        "    <cssid>0xfe</cssid>\n"
        "  </capability>\n"
        "  <x-note>kept</x-note>\n"
        "</device>\n";
    evirt_nodedev_def *def = parse_ok(xml);
    assert_string_equal(def->driver, "e1000e");
    assert_int_equal(def->ncaps, 2);
    assert_caps(def, (const char *const[]){ "net", "ccw" }, 2);
    char *out = evirt_nodedev_def_format(def, 0);
    assert_text(out, xml, "host device");
    free(out);

    /* changed fields are written, the rest stays */
    free(def->caps[0].u.net.ifname);
    def->caps[0].u.net.ifname = strdup("eth9");
    def->caps[0].u.net.link_speed = 0;
    free(def->driver);
    def->driver = NULL;
    out = evirt_nodedev_def_format(def, 0);
    assert_non_null(strstr(out, "  <parent>pci_0000_00_1f_6</parent>\n  <capability type='net'>\n"
                                "    <interface>eth9</interface>\n"
                                "    <address>8c:16:45:01:02:03</address>\n"
                                "    <link state='up'/>\n"));
    assert_null(strstr(out, "driver"));
    free(out);
    evirt_nodedev_def_free(def);
}

/* libvirt writes a nameless USB id with a blank before "/>", a PCI one
 * without; ids are hex, written 0x%04x. */
static void
test_id_quirks(void **state)
{
    (void)state;
    evirt_nodedev_def *def = parse_ok(
        "<device><name>u</name><capability type='usb_device'><bus>1</bus>"
        "<device>2</device><product id='1'>P &amp; Q</product><vendor id='0xAbC'/>"
        "</capability><capability type='pci'><domain>0</domain><bus>3</bus>"
        "<slot>4</slot><function>5</function><product id='0x10'/>"
        "<vendor id='0x20'/></capability></device>");
    char *out = evirt_nodedev_def_format(def, 0);
    assert_text(out,
        "<device>\n"
        "  <name>u</name>\n"
        "  <capability type='usb_device'>\n"
        "    <bus>1</bus>\n"
        "    <device>2</device>\n"
        "    <product id='0x0001'>P &amp; Q</product>\n"
        "    <vendor id='0x0abc' />\n"
        "  </capability>\n"
        "  <capability type='pci'>\n"
        "    <domain>0</domain>\n"
        "    <bus>3</bus>\n"
        "    <slot>4</slot>\n"
        "    <function>5</function>\n"
        "    <product id='0x0010'/>\n"
        "    <vendor id='0x0020'/>\n"
        "  </capability>\n"
        "</device>\n", "ids");
    free(out);
    evirt_nodedev_def_free(def);
}

static void
test_built_in_code(void **state)
{
    (void)state;
    evirt_nodedev_def *def = calloc(1, sizeof(*def));
    def->name = strdup("scsi_0_0_0_1");
    def->parent = strdup("computer");
    def->caps = calloc(1, sizeof(*def->caps));
    def->ncaps = 1;
    def->caps[0].type = strdup("scsi");
    def->caps[0].u.scsi.lun = 1;
    char *out = evirt_nodedev_def_format(def, 0);
    assert_text(out,
        "<device>\n"
        "  <name>scsi_0_0_0_1</name>\n"
        "  <parent>computer</parent>\n"
        "  <capability type='scsi'>\n"
        "    <host>0</host>\n"
        "    <bus>0</bus>\n"
        "    <target>0</target>\n"
        "    <lun>1</lun>\n"
        "  </capability>\n"
        "</device>\n", "built in code");
    free(out);
    evirt_nodedev_def_free(def);
}

static void
check_bad(const bad_case *c)
{
    evirt_error err = { 0 };
    evirt_nodedev_def *def = evirt_nodedev_def_parse_string(c->xml, 0, &err);
    check_refused(c, def != NULL, &err);
}

#define DEV(caps) "<device>\n<name>x</name>\n" caps "</device>\n"
#define PCI(body) DEV("<capability type='pci'>\n" body "</capability>\n")
#define PCI_ADDR "<domain>0</domain><bus>0</bus><slot>1</slot><function>0</function>\n"

static void
test_invalid(void **state)
{
    (void)state;
    enum { I = EVIRT_ERR_INTERNAL_ERROR, X = EVIRT_ERR_XML_ERROR,
           FN = EVIRT_FROM_NODEDEV, FX = EVIRT_FROM_XML };
    static const bad_case cases[] = {
        { "<device>\n<name>x</name>\n<capability type='system'>\n</device>\n",
          EVIRT_ERR_XML_DETAIL, FN,
          "(device_definition):4: Opening and ending tag mismatch: capability line 3 and device" },
        { "", EVIRT_ERR_XML_DETAIL, FN, "(device_definition):" },
        { "<dev><name>x</name></dev>", X, FX, "expecting root element of 'device', not 'dev'" },
        { "<device><parent>computer</parent><capability type='system'/></device>",
          EVIRT_ERR_NO_NAME, FN, "missing name information" },
        { "<device><name></name><capability type='system'/></device>",
          EVIRT_ERR_NO_NAME, FN, "missing name information" },
        { DEV(""), I, FN, "no device capabilities for 'x'" },
        { DEV("<capability/>\n"), X, FX,
          "Missing required attribute 'type' in element 'capability' (line 3)" },
        { PCI("<bus>0</bus><slot>1</slot><function>0</function>\n"), I, FN,
          "no PCI domain ID supplied for 'x' (line 3)" },
        { PCI("<domain>0</domain>\n<bus>zz</bus><slot>1</slot><function>0</function>\n"), I, FN,
          "invalid PCI bus ID supplied for 'x' (line 5)" },
        { PCI("<domain>0x10</domain><bus>0</bus><slot>1</slot><function>0</function>\n"), I, FN,
          "invalid PCI domain ID supplied for 'x'" },
        { PCI("<domain>0</domain><bus>0</bus><slot>-1</slot><function>0</function>\n"), I, FN,
          "invalid PCI slot ID supplied for 'x'" },
        { PCI("<domain>0</domain><bus>0</bus><slot>1</slot>\n"), I, FN,
          "no PCI function ID supplied for 'x'" },
        { PCI(PCI_ADDR "<vendor id='0x2'/>\n"), I, FN, "no PCI product ID supplied for 'x'" },
        { PCI(PCI_ADDR "<product id='zz'/><vendor id='0x2'/>\n"), I, FN,
          "invalid PCI product ID supplied for 'x' (line 5)" },
        { PCI(PCI_ADDR "<product id='0x1'/><vendor/>\n"), I, FN,
          "no PCI vendor ID supplied for 'x'" },
        { DEV("<capability type='usb_device'><device>1</device><product id='0x1'/><vendor id='0x2'/></capability>\n"),
          I, FN, "no USB bus number supplied for 'x'" },
        { DEV("<capability type='usb_device'><bus>1</bus><device>q</device><product id='0x1'/><vendor id='0x2'/></capability>\n"),
          I, FN, "invalid USB device number supplied for 'x'" },
        { DEV("<capability type='usb_device'><bus>1</bus><device>1</device><product id='0x1'/><vendor id='0xfffffffff'/></capability>\n"),
          I, FN, "invalid USB vendor ID supplied for 'x'" },
        { DEV("<capability type='net'><address>zz</address></capability>\n"),
          I, FN, "no network interface supplied for 'x'" },
        { DEV("<capability type='net'><interface>e</interface>\n<link state='weird'/></capability>\n"),
          X, FX, "Invalid value for attribute 'state' in element 'link': 'weird' (line 4)" },
        { DEV("<capability type='net'><interface>e</interface><link speed='x'/></capability>\n"),
          X, FX, "Invalid value for attribute 'speed' in element 'link': 'x'. Expected non-negative integer value" },
        { DEV("<capability type='scsi_host'></capability>\n"), I, FN,
          "no SCSI host ID supplied for 'x'" },
        { DEV("<capability type='scsi_host'><host>x</host></capability>\n"), I, FN,
          "invalid SCSI host ID supplied for 'x'" },
        { DEV("<capability type='scsi'><host>0</host><bus>0</bus><target>0</target></capability>\n"),
          I, FN, "no SCSI LUN ID supplied for 'x'" },
        { DEV("<capability type='storage'><bus>ata</bus></capability>\n"), I, FN,
          "no block device path supplied for 'x'" },
        { DEV("<capability type='mdev'><uuid>d069d019-36ea-4111-8f0a-8c9a70e21366</uuid></capability>\n"),
          EVIRT_ERR_CONFIG_UNSUPPORTED, FN, "missing type id attribute for 'x'" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);

    evirt_error err = { 0 };
    assert_null(evirt_nodedev_def_parse_string(cases[0].xml, 0, &err));
    assert_non_null(strstr(err.message, "\n</device>\n"));
    evirt_error_reset(&err);
    assert_null(evirt_nodedev_def_parse_string(NULL, 0, &err));
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    assert_null(evirt_nodedev_def_parse_string("<x/>", 0, NULL));
    assert_null(evirt_nodedev_def_parse_string("<x", 0, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libvirt_output_round_trip),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_host_device_kept),
        cmocka_unit_test(test_id_quirks),
        cmocka_unit_test(test_built_in_code),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
