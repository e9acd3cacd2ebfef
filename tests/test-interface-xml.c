/*
 * tests/test-interface-xml.c - the host interface XML model: libvirt's
 * output survives a round trip byte for byte, inputs are written the way
 * libvirt writes them, unknown parts are kept, and bad documents give
 * libvirt's error codes.
 *
 * tests/data/interface-xml/NAME.libvirt.xml is what libvirt 9.0's test
 * driver printed for NAME.xml (eth1 is `virsh -c test:///default
 * iface-dumpxml eth1`).
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

#include "conf/interface_conf.h"
#include "tests/xml-test-util.h"

static char *
read_data(const char *name)
{
    return xml_test_read("interface-xml", name, "");
}

static evirt_interface_def *
parse_ok(const char *xml)
{
    evirt_error err = { 0 };
    evirt_interface_def *def = evirt_interface_def_parse_string(xml, 0, &err);
    if (!def)
        fail_msg("parse failed: %s\n%s", err.message, xml);
    assert_int_equal(err.code, 0);
    return def;
}

static const char *const samples[] = {
    "eth1", "guide-ethernet", "guide-bridge", "guide-bond", "guide-vlan",
    "ipv6-link", "bridge-nested", "bond-miimon",
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* What libvirt prints, read back and written again, is the same text. */
static void
test_libvirt_output_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSAMPLES; i++) {
        char file[256];
        snprintf(file, sizeof(file), "%s.libvirt.xml", samples[i]);
        char *xml = read_data(file);
        evirt_interface_def *def = parse_ok(xml);
        char *out = evirt_interface_def_format(def, 0);
        assert_text(out, xml, file);
        free(out);
        out = evirt_interface_def_format(def, EVIRT_INTERFACE_DEF_FORMAT_INACTIVE);
        assert_text(out, xml, file);
        free(out);
        evirt_interface_def_free(def);
        free(xml);
    }
}

/* Any input is written as libvirt writes it: order, quotes, the elements
 * libvirt drops for that type or place (mac of a vlan, mtu of a member,
 * arpmon next to miimon, prefix 0). */
static void
test_inputs_written_like_libvirt(void **state)
{
    (void)state;
    for (size_t i = 1; i < NSAMPLES; i++) {
        char file[256];
        snprintf(file, sizeof(file), "%s.xml", samples[i]);
        char *in = read_data(file);
        snprintf(file, sizeof(file), "%s.libvirt.xml", samples[i]);
        char *want = read_data(file);
        evirt_interface_def *def = parse_ok(in);
        char *out = evirt_interface_def_format(def, 0);
        assert_text(out, want, samples[i]);
        free(out);
        evirt_interface_def_free(def);
        free(in);
        free(want);
    }
}

/* The Application Development Guide's examples, field by field. */
static void
test_guide_examples(void **state)
{
    (void)state;
    char *xml = read_data("guide-ethernet.xml");
    evirt_interface_def *def = parse_ok(xml);
    assert_int_equal(def->type, EVIRT_INTERFACE_TYPE_ETHERNET);
    assert_string_equal(def->name, "eth0");
    assert_int_equal(def->start_mode, EVIRT_INTERFACE_START_ONBOOT);
    assert_string_equal(def->mac, "aa:bb:cc:dd:ee:ff");
    assert_int_equal(def->mtu, 0);
    assert_int_equal(def->nprotocols, 1);
    assert_string_equal(def->protocols[0].family, "ipv4");
    assert_true(def->protocols[0].dhcp);
    assert_int_equal(def->protocols[0].dhcp_peerdns, -1);
    assert_int_equal(def->protocols[0].nips, 0);
    assert_int_equal(def->nmembers, 0);
    evirt_interface_def_free(def);
    free(xml);

    xml = read_data("guide-bridge.xml");
    def = parse_ok(xml);
    assert_int_equal(def->type, EVIRT_INTERFACE_TYPE_BRIDGE);
    assert_string_equal(def->name, "br0");
    assert_int_equal(def->mtu, 1500);
    assert_int_equal(def->bridge_stp, 0);
    assert_string_equal(def->bridge_delay, "0.01");
    assert_int_equal(def->nmembers, 2);
    assert_int_equal(def->members[0]->type, EVIRT_INTERFACE_TYPE_ETHERNET);
    assert_string_equal(def->members[0]->name, "eth0");
    assert_string_equal(def->members[0]->mac, "ab:bb:cc:dd:ee:ff");
    assert_string_equal(def->members[1]->name, "eth1");
    assert_null(def->members[1]->mac);
    evirt_interface_def_free(def);
    free(xml);

    xml = read_data("guide-bond.xml");
    def = parse_ok(xml);
    assert_int_equal(def->type, EVIRT_INTERFACE_TYPE_BOND);
    assert_string_equal(def->bond_mode, "active-backup");
    assert_non_null(def->bond_monitor);
    assert_int_equal(def->nmembers, 2);
    assert_string_equal(def->members[0]->name, "eth1");
    assert_string_equal(def->members[1]->name, "eth2");
    assert_string_equal(def->members[1]->mac, "ab:bb:cc:dd:ee:fa");
    assert_int_equal(def->protocols[0].nips, 1);
    assert_string_equal(def->protocols[0].ips[0].address, "192.168.50.7");
    assert_int_equal(def->protocols[0].ips[0].prefix, 24);
    assert_string_equal(def->protocols[0].gateway, "192.168.50.1");
    evirt_interface_def_free(def);
    free(xml);

    xml = read_data("guide-vlan.xml");
    def = parse_ok(xml);
    assert_int_equal(def->type, EVIRT_INTERFACE_TYPE_VLAN);
    assert_string_equal(def->name, "eth0.42");
    assert_string_equal(def->vlan_tag, "42");
    assert_string_equal(def->vlan_parent, "eth0");
    assert_int_equal(def->protocols[0].dhcp_peerdns, 0);
    evirt_interface_def_free(def);
    free(xml);

    xml = read_data("ipv6-link.xml");
    def = parse_ok(xml);
    assert_int_equal(def->start_mode, EVIRT_INTERFACE_START_HOTPLUG);
    assert_string_equal(def->link_state, "up");
    assert_int_equal(def->link_speed, 1000);
    assert_true(def->protocols[0].autoconf);
    assert_int_equal(def->protocols[0].nips, 2);
    assert_int_equal(def->protocols[0].ips[0].prefix, 0);
    evirt_interface_def_free(def);
    free(xml);
}

/* What the model does not know stays, next to the element it followed;
 * attributes too. */
static void
test_unknown_kept(void **state)
{
    (void)state;
    static const char in[] =
        "<interface type='bridge' name='br5' owner='me'>\n"
        "  <x-first/>\n"
        "  <start mode='onboot'/>\n"
        "  <note lang='en'>keep &amp; me</note>\n"
        "  <protocol family='ipv4' scope='global'>\n"
        "    <dhcp/>\n"
        "    <lease time='3600'/>\n"
        "  </protocol>\n"
        "  <bridge stp='on' vlan_filtering='1'>\n"
        "    <fdb max='10'/>\n"
        "    <interface type='ethernet' name='eth0'>\n"
        "      <mac address='52:54:00:aa:bb:cc'/>\n"
        "      <offload tso='off'/>\n"
        "    </interface>\n"
        "  </bridge>\n"
        "  <tail/>\n"
        "</interface>\n";
    evirt_interface_def *def = parse_ok(in);
    char *out = evirt_interface_def_format(def, 0);
    assert_text(out,
        "<interface type='bridge' name='br5' owner='me'>\n"
        "  <x-first/>\n"
        "  <start mode='onboot'/>\n"
        "  <note lang='en'>keep &amp; me</note>\n"
        "  <protocol family='ipv4' scope='global'>\n"
        "    <dhcp/>\n"
        "    <lease time='3600'/>\n"
        "  </protocol>\n"
        "  <bridge stp='on' vlan_filtering='1'>\n"
        "    <fdb max='10'/>\n"
        "    <interface type='ethernet' name='eth0'>\n"
        "      <mac address='52:54:00:aa:bb:cc'/>\n"
        "      <offload tso='off'/>\n"
        "    </interface>\n"
        "  </bridge>\n"
        "  <tail/>\n"
        "</interface>\n", "unknown parts");
    free(out);
    evirt_interface_def_free(def);
}

static void
test_copy_and_changes(void **state)
{
    (void)state;
    char *xml = read_data("guide-bond.xml");
    evirt_interface_def *def = parse_ok(xml);
    evirt_interface_def *copy = evirt_interface_def_copy(def);
    assert_non_null(copy);
    char *a = evirt_interface_def_format(def, 0);
    char *b = evirt_interface_def_format(copy, 0);
    assert_string_equal(a, b);
    free(b);

    /* independent, and changed fields are what gets written */
    free(copy->members[0]->name);
    copy->members[0]->name = strdup("eth7");
    free(copy->bond_mode);
    copy->bond_mode = strdup("broadcast");
    copy->mtu = 9000;
    copy->start_mode = EVIRT_INTERFACE_START_UNSPECIFIED;
    assert_string_equal(def->members[0]->name, "eth1");
    b = evirt_interface_def_format(copy, 0);
    assert_non_null(strstr(b, "<interface type='bond' name='bond0'>\n  <mtu size='9000'/>\n"));
    assert_non_null(strstr(b, "<bond mode='broadcast'>"));
    assert_non_null(strstr(b, "name='eth7'"));
    assert_null(strstr(b, "<start"));
    free(a);
    free(b);
    evirt_interface_def_free(copy);
    evirt_interface_def_free(def);
    free(xml);
}

/* A def made in code (no original XML) is written too. */
static void
test_built_in_code(void **state)
{
    (void)state;
    evirt_interface_def *def = calloc(1, sizeof(*def));
    def->type = EVIRT_INTERFACE_TYPE_VLAN;
    def->name = strdup("eth3.7");
    def->start_mode = EVIRT_INTERFACE_START_NONE;
    def->vlan_tag = strdup("7");
    def->vlan_parent = strdup("eth3");
    def->bridge_stp = -1;
    def->protocols = calloc(1, sizeof(*def->protocols));
    def->nprotocols = 1;
    def->protocols[0].family = strdup("ipv4");
    def->protocols[0].dhcp_peerdns = -1;
    def->protocols[0].ips = calloc(1, sizeof(evirt_interface_ip));
    def->protocols[0].nips = 1;
    def->protocols[0].ips[0].address = strdup("10.1.2.3");
    def->protocols[0].ips[0].prefix = 16;
    char *out = evirt_interface_def_format(def, 0);
    assert_text(out,
        "<interface type='vlan' name='eth3.7'>\n"
        "  <start mode='none'/>\n"
        "  <protocol family='ipv4'>\n"
        "    <ip address='10.1.2.3' prefix='16'/>\n"
        "  </protocol>\n"
        "  <vlan tag='7'>\n"
        "    <interface name='eth3'/>\n"
        "  </vlan>\n"
        "</interface>\n", "built in code");
    evirt_interface_def *back = parse_ok(out);
    assert_string_equal(back->vlan_parent, "eth3");
    evirt_interface_def_free(back);
    free(out);
    evirt_interface_def_free(def);

    assert_string_equal(evirt_interface_type_to_string(EVIRT_INTERFACE_TYPE_BOND), "bond");
    assert_null(evirt_interface_type_to_string(9));
    assert_null(evirt_interface_start_mode_to_string(EVIRT_INTERFACE_START_UNSPECIFIED));
    assert_string_equal(evirt_interface_start_mode_to_string(EVIRT_INTERFACE_START_HOTPLUG),
                        "hotplug");
}

static void
check_bad(const bad_case *c)
{
    evirt_error err = { 0 };
    evirt_interface_def *def = evirt_interface_def_parse_string(c->xml, 0, &err);
    check_refused(c, def != NULL, &err);
}

static void
test_malformed(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        { "<interface type='ethernet' name='a'>\n  <mtu size='1'>\n</interface>\n",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_INTERFACE,
          "(interface_definition):3: Opening and ending tag mismatch: mtu line 2 and interface" },
        { "<interface type='ethernet'\n name='a'",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_INTERFACE, "(interface_definition):2: " },
        { "", EVIRT_ERR_XML_DETAIL, EVIRT_FROM_INTERFACE, "(interface_definition):" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);
    evirt_error err = { 0 };
    assert_null(evirt_interface_def_parse_string(cases[0].xml, 0, &err));
    assert_non_null(strstr(err.message, "\n</interface>\n"));
    evirt_error_reset(&err);
}

#define ETH(body) "<interface type='ethernet' name='a'>\n" body "</interface>\n"
#define BOND(body) "<interface type='bond' name='a'>\n" body "</interface>\n"

static void
test_invalid(void **state)
{
    (void)state;
    enum { X = EVIRT_ERR_XML_ERROR, FI = EVIRT_FROM_INTERFACE, FX = EVIRT_FROM_XML };
    static const bad_case cases[] = {
        { "<iface type='ethernet' name='a'/>", X, FX,
          "expecting root element of 'interface', not 'iface'" },
        { "<interface name='a'/>", X, FX,
          "Missing required attribute 'type' in element 'interface' (line 1)" },
        { "<interface type='wifi' name='a'/>", X, FX,
          "Invalid value for attribute 'type' in element 'interface': 'wifi'" },
        { "<interface type='ethernet'/>", X, FI, "interface has no name (line 1)" },
        { ETH("<start mode='sometimes'/>\n"), X, FI,
          "unknown interface startmode sometimes (line 2)" },
        { ETH("<start mode=''/>\n"), X, FI, "unknown interface startmode" },
        { ETH("\n<mtu size='big'/>\n"), X, FI, "interface mtu value is improper (line 3)" },
        { ETH("<mtu size='-1'/>\n"), X, FI, "interface mtu value is improper" },
        { ETH("<protocol family='ipx'/>\n"), X, FI, "unsupported protocol family 'ipx' (line 2)" },
        { ETH("<protocol/>\n"), X, FI, "protocol misses the family attribute" },
        { ETH("<protocol family='ipv4'>\n<ip address='1.2.3.4' prefix='x'/></protocol>\n"),
          X, FX, "Invalid value for attribute 'prefix' in element 'ip': 'x'. Expected integer value (line 3)" },
        { ETH("<protocol family='ipv4'><dhcp peerdns='maybe'/></protocol>\n"),
          X, FX, "Invalid value for attribute 'peerdns' in element 'dhcp': 'maybe'" },
        { ETH("<link state='sideways'/>\n"), X, FX,
          "Invalid value for attribute 'state' in element 'link': 'sideways'" },
        { ETH("<link speed='fast'/>\n"), X, FX,
          "Invalid value for attribute 'speed' in element 'link': 'fast'. Expected non-negative integer value" },
        { "<interface type='bridge' name='a'>\n</interface>", X, FI,
          "bridge interface misses the bridge element (line 1)" },
        { "<interface type='bridge' name='a'>\n<bridge>\n<interface name='x'/></bridge></interface>",
          X, FX, "Missing required attribute 'type' in element 'interface' (line 3)" },
        { "<interface type='bridge' name='a'>\n<bridge><interface type='ethernet'/></bridge></interface>",
          X, FI, "interface has no name (line 2)" },
        { "<interface type='bridge' name='a'>\n<bridge><interface type='bridge' name='b'><bridge/></interface></bridge></interface>",
          X, FI, "interface has unsupported type 'bridge'" },
        { BOND(""), X, FI, "bond interface misses the bond element" },
        { BOND("<bond mode='fast'/>\n"), X, FI, "unknown bonding mode fast (line 2)" },
        { BOND("<bond><miimon/></bond>\n"), X, FI, "bond interface miimon freq missing or invalid" },
        { BOND("<bond><miimon freq='x'/></bond>\n"), X, FI, "bond interface miimon freq missing or invalid" },
        { BOND("<bond><miimon freq='1' updelay='y'/></bond>\n"), X, FI, "bond interface miimon updelay invalid" },
        { BOND("<bond><miimon freq='1' carrier='x'/></bond>\n"), X, FI, "unknown mii bonding carrier x" },
        { BOND("<bond><arpmon interval='1'/></bond>\n"), X, FI, "bond interface arpmon target missing" },
        { BOND("<bond><arpmon target='1.2.3.4'/></bond>\n"), X, FI, "bond interface arpmon interval missing or invalid" },
        { BOND("<bond><arpmon interval='1' target='1.2.3.4' validate='x'/></bond>\n"),
          X, FI, "unknown arp bonding validate x" },
        { BOND("<bond><interface type='vlan' name='x.1'><vlan tag='1'><interface name='x'/></vlan></interface></bond>\n"),
          X, FI, "interface has unsupported type 'vlan'" },
        { "<interface type='vlan' name='a'>\n</interface>", X, FI, "vlan interface misses the vlan element" },
        { "<interface type='vlan' name='a'>\n<vlan><interface name='eth0'/></vlan></interface>",
          X, FI, "vlan interface misses the tag attribute (line 2)" },
        { "<interface type='vlan' name='a'>\n<vlan tag='4'/></interface>",
          X, FI, "vlan interface misses name attribute" },
        { "<interface type='vlan' name='a'>\n<vlan tag='4'>\n<interface/></vlan></interface>",
          X, FI, "vlan interface misses name attribute (line 3)" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);

    evirt_error err = { 0 };
    assert_null(evirt_interface_def_parse_string(NULL, 0, &err));
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    assert_null(evirt_interface_def_parse_string("<x/>", 0, NULL));
    assert_null(evirt_interface_def_parse_string("<x", 0, NULL));
}

/* What libvirt accepts without complaint is accepted here too. */
static void
test_lenient_like_libvirt(void **state)
{
    (void)state;
    evirt_interface_def *def = parse_ok(ETH("<mtu/>\n<mtu size='0'/>\n<start/>\n<mac/>\n"
                                            "<protocol family='ipv4'><ip prefix='3'/><route/></protocol>\n"));
    char *out = evirt_interface_def_format(def, 0);
    assert_text(out, "<interface type='ethernet' name='a'>\n"
                     "  <protocol family='ipv4'>\n  </protocol>\n"
                     "</interface>\n", "lenient");
    free(out);
    evirt_interface_def_free(def);

    def = parse_ok("<interface type='bridge' name='a'><bridge stp='maybe' delay='abc'/></interface>");
    assert_int_equal(def->bridge_stp, -1);
    out = evirt_interface_def_format(def, 0);
    assert_text(out, "<interface type='bridge' name='a'>\n"
                     "  <bridge delay='abc'>\n  </bridge>\n"
                     "</interface>\n", "bridge");
    free(out);
    evirt_interface_def_free(def);

    /* special characters are escaped (libvirt would write them raw) */
    def = parse_ok("<interface type='ethernet' name='f&amp;g'><mac address='a&lt;b'/></interface>");
    assert_string_equal(def->name, "f&g");
    out = evirt_interface_def_format(def, 0);
    assert_text(out, "<interface type='ethernet' name='f&amp;g'>\n"
                     "  <mac address='a&lt;b'/>\n"
                     "</interface>\n", "escaping");
    free(out);
    evirt_interface_def_free(def);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libvirt_output_round_trip),
        cmocka_unit_test(test_inputs_written_like_libvirt),
        cmocka_unit_test(test_guide_examples),
        cmocka_unit_test(test_unknown_kept),
        cmocka_unit_test(test_copy_and_changes),
        cmocka_unit_test(test_built_in_code),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_lenient_like_libvirt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
