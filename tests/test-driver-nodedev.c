/*
 * tests/test-driver-nodedev.c - node devices of the test driver:
 * test:///default's device tree (names, parents, capabilities, XML as
 * libvirt's test driver gives them), capability filters of the three list
 * calls, vHBA create/destroy, and PCI detach/reattach/reset on devices
 * from a config file, with every refusal; sync API and one async path.
 */
#include <config.h>

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "tests/test-uri-helper.h"

#define DATA TEST_DATA_DIR "/testdriver/"

/* `virsh -c test:///default nodedev-dumpxml NAME` with libvirt 9.0. */
static const char computer_xml[] =
    "<device>\n"
    "  <name>computer</name>\n"
    "  <capability type='system'>\n"
    "    <hardware>\n"
    "      <vendor>Libvirt</vendor>\n"
    "      <version>Test driver</version>\n"
    "      <serial>123456</serial>\n"
    "      <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
    "    </hardware>\n"
    "    <firmware>\n"
    "      <vendor>Libvirt</vendor>\n"
    "      <version>Test Driver</version>\n"
    "      <release_date>01/22/2007</release_date>\n"
    "    </firmware>\n"
    "  </capability>\n"
    "</device>\n";

static const char scsi_host1_xml[] =
    "<device>\n"
    "  <name>scsi_host1</name>\n"
    "  <parent>computer</parent>\n"
    "  <capability type='scsi_host'>\n"
    "    <host>1</host>\n"
    "    <unique_id>0</unique_id>\n"
    "    <capability type='fc_host'>\n"
    "      <wwnn>2000000012341234</wwnn>\n"
    "      <wwpn>1000000012341234</wwpn>\n"
    "      <fabric_wwn>2000000043214321</fabric_wwn>\n"
    "    </capability>\n"
    "    <capability type='vport_ops'>\n"
    "      <max_vports>0</max_vports>\n"
    "      <vports>0</vports>\n"
    "    </capability>\n"
    "  </capability>\n"
    "</device>\n";

static const char scsi_host2_xml[] =
    "<device>\n"
    "  <name>scsi_host2</name>\n"
    "  <parent>computer</parent>\n"
    "  <capability type='scsi_host'>\n"
    "    <host>2</host>\n"
    "    <unique_id>1</unique_id>\n"
    "    <capability type='fc_host'>\n"
    "      <wwnn>2000000056785678</wwnn>\n"
    "      <wwpn>1000000056785678</wwpn>\n"
    "      <fabric_wwn>2000000087658765</fabric_wwn>\n"
    "    </capability>\n"
    "    <capability type='vport_ops'>\n"
    "      <max_vports>0</max_vports>\n"
    "      <vports>0</vports>\n"
    "    </capability>\n"
    "  </capability>\n"
    "</device>\n";

static const char scsi_host11_xml[] =
    "<device>\n"
    "  <name>scsi_host11</name>\n"
    "  <parent>scsi_host1</parent>\n"
    "  <capability type='scsi_host'>\n"
    "    <host>11</host>\n"
    "    <unique_id>10</unique_id>\n"
    "    <capability type='fc_host'>\n"
    "      <wwnn>2000000034563456</wwnn>\n"
    "      <wwpn>1000000034563456</wwpn>\n"
    "      <fabric_wwn>2000000043214321</fabric_wwn>\n"
    "    </capability>\n"
    "  </capability>\n"
    "</device>\n";

/* A vHBA request as `virsh nodedev-create` users write them. */
static const char vhba_req[] =
    "<device>"
    "  <parent>scsi_host1</parent>"
    "  <capability type='scsi_host'>"
    "    <capability type='fc_host'>"
    "      <wwnn>2001001b32a9da4e</wwnn>"
    "      <wwpn>2101001b32a9da4e</wwpn>"
    "    </capability>"
    "  </capability>"
    "</device>";

static const char scsi_host12_xml[] =
    "<device>\n"
    "  <name>scsi_host12</name>\n"
    "  <parent>scsi_host1</parent>\n"
    "  <capability type='scsi_host'>\n"
    "    <host>12</host>\n"
    "    <unique_id>11</unique_id>\n"
    "    <capability type='fc_host'>\n"
    "      <wwnn>2001001b32a9da4e</wwnn>\n"
    "      <wwpn>2101001b32a9da4e</wwpn>\n"
    "      <fabric_wwn>2000000043214321</fabric_wwn>\n"
    "    </capability>\n"
    "  </capability>\n"
    "</device>\n";

/* ------------------------------------------------------------- helpers */

static int open_default(void **state)
{
    evirt_conn *c = evirt_conn_open(test_uri("test:///default"));
    assert_non_null(c);
    *state = c;
    return 0;
}

static int open_config(void **state)
{
    evirt_conn *c = evirt_conn_open(test_uri("test://" DATA "ifdev.xml"));
    assert_non_null(c);
    *state = c;
    return 0;
}

static int close_conn(void **state)
{
    evirt_conn_close(*state);
    return 0;
}

static void assert_last_error(int code, const char *needle)
{
    const evirt_error *e = evirt_last_error();
    assert_non_null(e);
    assert_int_equal(e->code, code);
    if (needle && (!e->message || !strstr(e->message, needle)))
        fail_msg("error '%s' does not mention '%s'", e->message, needle);
}

static void assert_names(char **names, int n, const char *expect)
{
    char joined[1024] = "";
    for (int i = 0; i < n; i++) {
        strcat(joined, i ? "," : "");
        strcat(joined, names[i]);
    }
    assert_string_equal(joined, expect);
    evirt_string_list_free(names, n);
}

/* list_devices(cap) gives expect, and num_of_devices agrees. */
static void assert_devices(evirt_conn *c, const char *cap, const char *expect)
{
    char **names = NULL;
    int n = evirt_nodedev_list_devices(c, cap, 0, &names);
    assert_true(n >= 0);
    assert_int_equal(evirt_nodedev_num_of_devices(c, cap, 0), n);
    assert_names(names, n, expect);
}

/* list_all(flags) gives expect. */
static void assert_all(evirt_conn *c, unsigned int flags, const char *expect)
{
    evirt_nodedev **list = NULL;
    int n = evirt_conn_list_all_nodedevs(c, flags, &list);
    assert_true(n >= 0);
    char joined[1024] = "";
    for (int i = 0; i < n; i++) {
        strcat(joined, i ? "," : "");
        strcat(joined, evirt_nodedev_get_name(list[i]));
    }
    evirt_nodedev_list_free(list, n);
    assert_string_equal(joined, expect);
}

static evirt_nodedev *lookup(evirt_conn *c, const char *name)
{
    evirt_nodedev *d = evirt_nodedev_lookup_by_name(c, name);
    assert_non_null(d);
    assert_string_equal(evirt_nodedev_get_name(d), name);
    return d;
}

static void assert_xml(evirt_conn *c, const char *name, const char *expect)
{
    evirt_nodedev *d = lookup(c, name);
    char *xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_non_null(xml);
    assert_string_equal(xml, expect);
    free(xml);
    evirt_nodedev_unref(d);
}

static char *xml_of(evirt_conn *c, const char *name)
{
    evirt_nodedev *d = lookup(c, name);
    char *xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_non_null(xml);
    evirt_nodedev_unref(d);
    return xml;
}

static void assert_parent(evirt_conn *c, const char *name, const char *parent)
{
    evirt_nodedev *d = lookup(c, name);
    char *p = evirt_nodedev_get_parent(d);
    if (parent) {
        assert_non_null(p);
        assert_string_equal(p, parent);
    } else {
        /* The root: NULL, and no error. */
        assert_null(p);
        assert_null(evirt_last_error());
    }
    free(p);
    evirt_nodedev_unref(d);
}

static void assert_caps(evirt_conn *c, const char *name, const char *expect)
{
    evirt_nodedev *d = lookup(c, name);
    char **names = NULL;
    int n = evirt_nodedev_list_caps(d, &names);
    assert_true(n >= 0);
    assert_int_equal(evirt_nodedev_num_of_caps(d), n);
    assert_names(names, n, expect);
    evirt_nodedev_unref(d);
}

/* -------------------------------------------------------- default tree */

static void test_default_tree(void **state)
{
    evirt_conn *c = *state;
    assert_devices(c, NULL, "computer,scsi_host1,scsi_host2,scsi_host11");
    assert_xml(c, "computer", computer_xml);
    assert_xml(c, "scsi_host1", scsi_host1_xml);
    assert_xml(c, "scsi_host2", scsi_host2_xml);
    assert_xml(c, "scsi_host11", scsi_host11_xml);

    assert_parent(c, "computer", NULL);
    assert_parent(c, "scsi_host1", "computer");
    assert_parent(c, "scsi_host2", "computer");
    assert_parent(c, "scsi_host11", "scsi_host1");

    assert_caps(c, "computer", "system");
    assert_caps(c, "scsi_host1", "scsi_host");
    assert_caps(c, "scsi_host11", "scsi_host");

    assert_null(evirt_nodedev_lookup_by_name(c, "pci_0000_00_00_0"));
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE,
                      "no node device with matching name 'pci_0000_00_00_0'");
    assert_int_equal(evirt_last_error()->domain, EVIRT_FROM_TEST);

    evirt_nodedev *d = lookup(c, "computer");
    assert_null(evirt_nodedev_get_xml_desc(d, 1));
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x1)");
    evirt_nodedev_unref(d);
}

static void test_cap_filters(void **state)
{
    evirt_conn *c = *state;
    assert_devices(c, "system", "computer");
    assert_devices(c, "scsi_host", "scsi_host1,scsi_host2,scsi_host11");
    /* Nested capabilities count, as in libvirt's filter. */
    assert_devices(c, "fc_host", "scsi_host1,scsi_host2,scsi_host11");
    assert_devices(c, "vports", "scsi_host1,scsi_host2");
    assert_devices(c, "pci", "");
    assert_devices(c, "no_such_cap", "");

    assert_int_equal(evirt_nodedev_num_of_devices(c, NULL, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x1)");
    char **names = NULL;
    assert_int_equal(evirt_nodedev_list_devices(c, "pci", 2, &names), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x2)");

    assert_all(c, 0, "computer,scsi_host1,scsi_host2,scsi_host11");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM, "computer");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST,
               "scsi_host1,scsi_host2,scsi_host11");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST,
               "scsi_host1,scsi_host2,scsi_host11");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS,
               "scsi_host1,scsi_host2");
    /* Several capability flags: any of them. */
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM |
                  EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS,
               "computer,scsi_host1,scsi_host2");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV |
                  EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_NET, "");
    /* Every device here exists: all active, none inactive. */
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_ACTIVE,
               "computer,scsi_host1,scsi_host2,scsi_host11");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_INACTIVE, "");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_ACTIVE |
                  EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS,
               "scsi_host1,scsi_host2");

    evirt_nodedev **list = NULL;
    assert_int_equal(evirt_conn_list_all_nodedevs(c, 1u << 22, &list), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x400000)");
}

/* ------------------------------------------------------ vHBA creation */

static void test_create_destroy_vhba(void **state)
{
    evirt_conn *c = *state;
    evirt_nodedev *d = evirt_nodedev_create_xml(c, vhba_req, 0);
    assert_non_null(d);
    assert_string_equal(evirt_nodedev_get_name(d), "scsi_host12");
    char *xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_string_equal(xml, scsi_host12_xml);
    free(xml);
    assert_parent(c, "scsi_host12", "scsi_host1");
    assert_caps(c, "scsi_host12", "scsi_host");
    assert_devices(c, NULL, "computer,scsi_host1,scsi_host2,scsi_host11,scsi_host12");
    assert_devices(c, "fc_host", "scsi_host1,scsi_host2,scsi_host11,scsi_host12");
    /* A vHBA cannot carry vHBAs. */
    assert_devices(c, "vports", "scsi_host1,scsi_host2");

    /* The same WWNs twice: refused, nothing added. */
    assert_null(evirt_nodedev_create_xml(c, vhba_req, 0));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "scsi_host12");
    assert_int_equal(evirt_nodedev_num_of_devices(c, NULL, 0), 5);

    assert_int_equal(evirt_nodedev_destroy(d), 0);
    assert_devices(c, NULL, "computer,scsi_host1,scsi_host2,scsi_host11");
    assert_null(evirt_nodedev_lookup_by_name(c, "scsi_host12"));
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    /* The handle outlives the device. */
    assert_int_equal(evirt_nodedev_destroy(d), -1);
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE,
                      "no node device with matching name 'scsi_host12'");
    assert_null(evirt_nodedev_get_xml_desc(d, 0));
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    assert_null(evirt_nodedev_get_parent(d));
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    assert_int_equal(evirt_nodedev_num_of_caps(d), -1);
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    char **names = NULL;
    assert_int_equal(evirt_nodedev_list_caps(d, &names), -1);
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    evirt_nodedev_unref(d);

    /* Once gone, the same WWNs can be used again. */
    d = evirt_nodedev_create_xml(c, vhba_req, EVIRT_NODE_DEVICE_CREATE_XML_VALIDATE);
    assert_non_null(d);
    assert_string_equal(evirt_nodedev_get_name(d), "scsi_host12");
    evirt_nodedev_unref(d);
}

static bool all_hex(const char *s, size_t len)
{
    if (strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Text between <tag> and </tag> in xml (static buffer). */
static const char *elem(const char *xml, const char *tag)
{
    static char out[128];
    char open[64], close[64];
    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    const char *a = strstr(xml, open);
    assert_non_null(a);
    a += strlen(open);
    const char *b = strstr(a, close);
    assert_non_null(b);
    snprintf(out, sizeof(out), "%.*s", (int)(b - a), a);
    return out;
}

static void test_create_parents(void **state)
{
    evirt_conn *c = *state;
    /* No parent: the first vport capable HBA; WWNs made up when absent. */
    evirt_nodedev *d = evirt_nodedev_create_xml(c,
        "<device><capability type='scsi_host'>"
        "<capability type='fc_host'/></capability></device>", 0);
    assert_non_null(d);
    assert_string_equal(evirt_nodedev_get_name(d), "scsi_host12");
    char *xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_true(all_hex(elem(xml, "wwnn"), 16));
    assert_true(all_hex(elem(xml, "wwpn"), 16));
    assert_string_not_equal(elem(xml, "wwnn"), "2000000012341234");
    assert_string_equal(elem(xml, "host"), "12");
    free(xml);
    assert_parent(c, "scsi_host12", "scsi_host1");
    evirt_nodedev_unref(d);

    /* Parent by its WWNs: scsi_host2; numbering goes on past 12. */
    d = evirt_nodedev_create_xml(c,
        "<device><parent wwnn='2000000056785678' wwpn='1000000056785678'/>"
        "<capability type='scsi_host'><capability type='fc_host'>"
        "<wwnn>0x2001001b32a9da4f</wwnn><wwpn>2101001b32a9da4f</wwpn>"
        "</capability></capability></device>", 0);
    assert_non_null(d);
    assert_string_equal(evirt_nodedev_get_name(d), "scsi_host13");
    assert_parent(c, "scsi_host13", "scsi_host2");
    xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_string_equal(elem(xml, "fabric_wwn"), "2000000087658765");
    assert_string_equal(elem(xml, "unique_id"), "12");
    free(xml);
    evirt_nodedev_unref(d);

    /* Parent by fabric: scsi_host1's fabric. */
    d = evirt_nodedev_create_xml(c,
        "<device><parent fabric_wwn='2000000043214321'/>"
        "<capability type='scsi_host'><capability type='fc_host'>"
        "<wwnn>2001001b32a9da50</wwnn><wwpn>2101001b32a9da50</wwpn>"
        "</capability></capability></device>", 0);
    assert_non_null(d);
    assert_string_equal(evirt_nodedev_get_name(d), "scsi_host14");
    assert_parent(c, "scsi_host14", "scsi_host1");
    evirt_nodedev_unref(d);
    assert_int_equal(evirt_nodedev_num_of_devices(c, "scsi_host", 0), 6);
}

static void test_create_errors(void **state)
{
    evirt_conn *c = *state;
    static const struct {
        const char *xml;
        int code;
        const char *needle;
    } bad[] = {
        { "<device><parent>scsi_host1</parent>", EVIRT_ERR_XML_DETAIL,
          "(device_definition):1:" },
        { "<network/>", EVIRT_ERR_XML_ERROR, NULL },
        /* No capability at all. */
        { "<device><parent>scsi_host1</parent></device>",
          EVIRT_ERR_INTERNAL_ERROR, NULL },
        { "<device><parent>scsi_host1</parent>"
          "<capability type='scsi_host'/></device>",
          EVIRT_ERR_INTERNAL_ERROR, "not a fibre channel HBA" },
        { "<device><parent>computer</parent><capability type='scsi_host'>"
          "<capability type='fc_host'/></capability></device>",
          EVIRT_ERR_INTERNAL_ERROR, "not capable of vport operations" },
        { "<device><parent>scsi_host11</parent><capability type='scsi_host'>"
          "<capability type='fc_host'/></capability></device>",
          EVIRT_ERR_INTERNAL_ERROR, "scsi_host11 is not capable" },
        { "<device><parent>nope</parent><capability type='scsi_host'>"
          "<capability type='fc_host'/></capability></device>",
          EVIRT_ERR_INTERNAL_ERROR, "Could not find parent device for 'new device'" },
        { "<device><parent wwnn='1' wwpn='2'/><capability type='scsi_host'>"
          "<capability type='fc_host'/></capability></device>",
          EVIRT_ERR_INTERNAL_ERROR, "Could not find parent device" },
        { "<device><parent>scsi_host1</parent><capability type='scsi_host'>"
          "<capability type='fc_host'><wwnn>xyz</wwnn></capability>"
          "</capability></device>",
          EVIRT_ERR_XML_ERROR, "Malformed wwn: xyz" },
        { "<device><parent>scsi_host1</parent><capability type='scsi_host'>"
          "<capability type='fc_host'><wwnn>2000000012341234</wwnn>"
          "<wwpn>1000000012341234</wwpn></capability></capability></device>",
          EVIRT_ERR_OPERATION_INVALID, "already exists: 'scsi_host1'" },
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        assert_null(evirt_nodedev_create_xml(c, bad[k].xml, 0));
        assert_last_error(bad[k].code, bad[k].needle);
    }
    assert_null(evirt_nodedev_create_xml(c, vhba_req, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x2)");
    /* Nothing was added. */
    assert_devices(c, NULL, "computer,scsi_host1,scsi_host2,scsi_host11");

    /* Without any vport capable HBA there is nowhere to create one. */
    evirt_conn *cfg = evirt_conn_open(test_uri("test://" DATA "ifdev.xml"));
    assert_non_null(cfg);
    assert_null(evirt_nodedev_create_xml(cfg,
        "<device><capability type='scsi_host'><capability type='fc_host'/>"
        "</capability></device>", 0));
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR,
                      "Could not find any vport capable device");
    evirt_conn_close(cfg);
}

static void test_destroy_errors(void **state)
{
    evirt_conn *c = *state;
    evirt_nodedev *d = lookup(c, "computer");
    assert_int_equal(evirt_nodedev_destroy(d), -1);
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR, "not a fibre channel HBA");
    evirt_nodedev_unref(d);
    /* A physical HBA is not removable. */
    d = lookup(c, "scsi_host1");
    assert_int_equal(evirt_nodedev_destroy(d), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "not a vHBA");
    evirt_nodedev_unref(d);
    assert_devices(c, NULL, "computer,scsi_host1,scsi_host2,scsi_host11");

    /* libvirt's own vHBA on scsi_host1 is one. */
    d = lookup(c, "scsi_host11");
    assert_int_equal(evirt_nodedev_destroy(d), 0);
    evirt_nodedev_unref(d);
    assert_devices(c, NULL, "computer,scsi_host1,scsi_host2");
}

/* ------------------------------------------------ PCI (config devices) */

static void test_config_tree(void **state)
{
    evirt_conn *c = *state;
    assert_devices(c, NULL, "computer,pci_0000_00_19_0,pci_0000_00_1f_1,"
                            "net_eth0_52_54_00_12_34_56,usb_1_5_3,scsi_host0");
    assert_devices(c, "pci", "pci_0000_00_19_0,pci_0000_00_1f_1");
    assert_devices(c, "net", "net_eth0_52_54_00_12_34_56");
    assert_devices(c, "usb_device", "usb_1_5_3");
    assert_devices(c, "fc_host", "");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV |
                  EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_NET,
               "pci_0000_00_19_0,pci_0000_00_1f_1,net_eth0_52_54_00_12_34_56");
    assert_all(c, EVIRT_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV, "usb_1_5_3");
    assert_parent(c, "net_eth0_52_54_00_12_34_56", "pci_0000_00_19_0");
    assert_parent(c, "computer", NULL);
    assert_caps(c, "pci_0000_00_19_0", "pci");
    /* The device from a file next to the config, as written. */
    assert_xml(c, "pci_0000_00_19_0",
               "<device>\n"
               "  <name>pci_0000_00_19_0</name>\n"
               "  <parent>computer</parent>\n"
               "  <driver>\n"
               "    <name>e1000e</name>\n"
               "  </driver>\n"
               "  <capability type='pci'>\n"
               "    <domain>0</domain>\n"
               "    <bus>0</bus>\n"
               "    <slot>25</slot>\n"
               "    <function>0</function>\n"
               "    <product id='0x1502'>82579LM Gigabit Network Connection</product>\n"
               "    <vendor id='0x8086'>Intel Corporation</vendor>\n"
               "  </capability>\n"
               "</device>\n");
}

static void test_detach_reattach(void **state)
{
    evirt_conn *c = *state;
    char *orig = xml_of(c, "pci_0000_00_19_0");
    evirt_nodedev *d = lookup(c, "pci_0000_00_19_0");

    assert_int_equal(evirt_nodedev_detach_flags(d, NULL, 0), 0);
    char *xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_non_null(strstr(xml, "<driver>\n    <name>vfio-pci</name>\n  </driver>"));
    assert_null(strstr(xml, "e1000e"));
    free(xml);
    /* Still listed, with the same capabilities. */
    assert_devices(c, "pci", "pci_0000_00_19_0,pci_0000_00_1f_1");
    /* Detaching again is fine and changes nothing. */
    assert_int_equal(evirt_nodedev_detach_flags(d, "vfio", 0), 0);
    xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_non_null(strstr(xml, "vfio-pci"));
    free(xml);
    /* Reset works whether detached or not. */
    assert_int_equal(evirt_nodedev_reset(d), 0);

    assert_int_equal(evirt_nodedev_reattach(d), 0);
    xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_string_equal(xml, orig);
    free(xml);
    /* Reattaching a device bound to its host driver is fine too. */
    assert_int_equal(evirt_nodedev_reattach(d), 0);
    xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_string_equal(xml, orig);
    free(xml);
    assert_int_equal(evirt_nodedev_reset(d), 0);
    free(orig);
    evirt_nodedev_unref(d);

    /* A device without a host driver gets none back. */
    orig = xml_of(c, "pci_0000_00_1f_1");
    assert_null(strstr(orig, "<driver>"));
    d = lookup(c, "pci_0000_00_1f_1");
    assert_int_equal(evirt_nodedev_detach_flags(d, "vfio", 0), 0);
    xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_non_null(strstr(xml, "vfio-pci"));
    free(xml);
    assert_int_equal(evirt_nodedev_reattach(d), 0);
    xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_string_equal(xml, orig);
    free(xml);
    free(orig);
    evirt_nodedev_unref(d);
}

static void test_pci_errors(void **state)
{
    evirt_conn *c = *state;
    char *orig = xml_of(c, "pci_0000_00_19_0");
    evirt_nodedev *d = lookup(c, "pci_0000_00_19_0");
    assert_int_equal(evirt_nodedev_detach_flags(d, "kvm", 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unknown driver name 'kvm'");
    assert_int_equal(evirt_nodedev_detach_flags(d, NULL, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x1)");
    char *xml = evirt_nodedev_get_xml_desc(d, 0);
    assert_string_equal(xml, orig);
    free(xml);
    free(orig);
    evirt_nodedev_unref(d);

    /* Only PCI devices can be detached, reattached or reset. */
    const char *others[] = { "computer", "net_eth0_52_54_00_12_34_56",
                             "usb_1_5_3", "scsi_host0" };
    for (size_t k = 0; k < 4; k++) {
        d = lookup(c, others[k]);
        orig = evirt_nodedev_get_xml_desc(d, 0);
        assert_int_equal(evirt_nodedev_detach_flags(d, NULL, 0), -1);
        assert_last_error(EVIRT_ERR_INVALID_ARG, "is not a PCI device");
        assert_int_equal(evirt_nodedev_reattach(d), -1);
        assert_last_error(EVIRT_ERR_INVALID_ARG, "is not a PCI device");
        assert_int_equal(evirt_nodedev_reset(d), -1);
        assert_last_error(EVIRT_ERR_INVALID_ARG, "is not a PCI device");
        xml = evirt_nodedev_get_xml_desc(d, 0);
        assert_string_equal(xml, orig);
        free(xml);
        free(orig);
        evirt_nodedev_unref(d);
    }

    /* A device that went away (here: a vHBA) answers NO_NODE_DEVICE. */
    evirt_conn *def = evirt_conn_open(test_uri("test:///default"));
    assert_non_null(def);
    d = lookup(def, "scsi_host11");
    assert_int_equal(evirt_nodedev_destroy(d), 0);
    assert_int_equal(evirt_nodedev_detach_flags(d, NULL, 0), -1);
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    assert_int_equal(evirt_nodedev_reattach(d), -1);
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    assert_int_equal(evirt_nodedev_reset(d), -1);
    assert_last_error(EVIRT_ERR_NO_NODE_DEVICE, NULL);
    evirt_nodedev_unref(d);
    evirt_conn_close(def);
}

static void test_config_errors(void **state)
{
    (void)state;
    assert_null(evirt_conn_open(test_uri("test://" DATA "bad-device.xml")));
    assert_last_error(EVIRT_ERR_NO_NAME, DATA "bad-device.xml");
    assert_null(evirt_conn_open(test_uri("test://" DATA "bad-device-file.xml")));
    assert_last_error(EVIRT_ERR_XML_ERROR, "expecting root element of 'device'");
}

/* ------------------------------------------------------------- async */

typedef struct done {
    int calls;
    char name[64];
    int code;
} done;

static void create_done(evirt_op *op, void *opaque)
{
    done *d = opaque;
    d->calls++;
    evirt_nodedev *dev = evirt_nodedev_create_xml_finish(op);
    if (dev) {
        snprintf(d->name, sizeof(d->name), "%s", evirt_nodedev_get_name(dev));
        evirt_nodedev_unref(dev);
    } else {
        d->code = evirt_op_error(op)->code;
    }
}

static void test_async(void **state)
{
    (void)state;
    evirt_loop *loop = evirt_loop_new(NULL);
    assert_non_null(loop);
    evirt_conn *c = evirt_conn_open_on(loop, test_uri("test:///default"), NULL, 0);
    assert_non_null(c);

    done a = { 0 };
    assert_non_null(evirt_nodedev_create_xml_async(c, vhba_req, 0, create_done, &a));
    assert_int_equal(a.calls, 0);
    for (int k = 0; k < 1000 && !a.calls; k++)
        evirt_loop_run_once(loop);
    assert_int_equal(a.calls, 1);
    assert_string_equal(a.name, "scsi_host12");

    done b = { 0 };
    assert_non_null(evirt_nodedev_create_xml_async(c, vhba_req, 0, create_done, &b));
    for (int k = 0; k < 1000 && !b.calls; k++)
        evirt_loop_run_once(loop);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.code, EVIRT_ERR_OPERATION_INVALID);

    evirt_conn_close(c);
    evirt_loop_free(loop);
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
        cmocka_unit_test_setup_teardown(test_default_tree, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_cap_filters, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_create_destroy_vhba, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_create_parents, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_create_errors, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_destroy_errors, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_config_tree, open_config, close_conn),
        cmocka_unit_test_setup_teardown(test_detach_reattach, open_config, close_conn),
        cmocka_unit_test_setup_teardown(test_pci_errors, open_config, close_conn),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_async),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
