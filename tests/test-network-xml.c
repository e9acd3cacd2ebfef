/*
 * tests/test-network-xml.c - the network XML model: reading, writing,
 * round trips, what drivers ask of it, and errors.
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
#include "conf/network_conf.h"
#include "tests/xml-test-util.h"

static char *
read_data(const char *name)
{
    return xml_test_read("network-xml", name, "");
}

static evirt_network_def *
parse_ok(const char *xml)
{
    evirt_error err = { 0 };
    evirt_network_def *def = evirt_network_def_parse_string(xml, 0, &err);
    if (!def)
        fail_msg("parse failed: %s\n%s", err.message, xml);
    assert_int_equal(err.code, 0);
    return def;
}

static char *
format_ok(const evirt_network_def *def, unsigned int flags)
{
    char *out = evirt_network_def_format(def, flags);
    assert_non_null(out);
    return out;
}

/* Output of format, read again and formatted: the same text. */
static void
assert_stable(const char *out)
{
    evirt_network_def *again = parse_ok(out);
    char *out2 = format_ok(again, 0);
    assert_string_equal(out, out2);
    free(out2);
    evirt_network_def_free(again);
}

/* libvirt's test driver prints its 'default' network exactly so. */
static void
test_default_network_exact(void **state)
{
    char *xml = read_data("test-default.xml");
    evirt_network_def *def = parse_ok(xml);

    assert_string_equal(def->name, "default");
    char uuid[37];
    evirt_uuid_format(def->uuid, uuid);
    assert_string_equal(uuid, "dd8fe884-6c02-601e-7551-cca97df1c5df");
    assert_int_equal(def->forward_mode, EVIRT_NETWORK_FORWARD_NAT);
    assert_int_equal(def->ninterfaces, 0);
    assert_null(evirt_network_def_forward_dev(def));
    assert_string_equal(evirt_network_def_bridge_name(def), "virbr0");
    assert_true(def->stp);
    assert_int_equal(def->delay, 0);
    assert_false(def->has_mac);
    assert_int_equal(def->nips, 1);
    assert_string_equal(def->ips[0].netmask, "255.255.255.0");
    assert_int_equal(def->ips[0].prefix, 0);
    assert_int_equal(def->ips[0].nranges, 1);
    assert_string_equal(def->ips[0].ranges[0].start, "192.168.122.2");
    assert_string_equal(def->ips[0].ranges[0].end, "192.168.122.254");

    const char *addr = NULL;
    unsigned int prefix = 0;
    assert_int_equal(evirt_network_def_ipv4_address(def, &addr, &prefix), 0);
    assert_string_equal(addr, "192.168.122.1");
    assert_int_equal(prefix, 24);
    assert_int_equal(evirt_network_def_ndhcp_hosts(def), 0);
    assert_null(evirt_network_def_dhcp_host(def, 0));

    char *out = format_ok(def, 0);
    assert_string_equal(out, xml);
    free(out);
    out = format_ok(def, EVIRT_NETWORK_DEF_FORMAT_INACTIVE);
    assert_string_equal(out, xml);
    free(out);

    evirt_network_def_free(def);
    free(xml);
}

/* Everything libvirt writes plus unknown elements everywhere: written
 * back byte for byte (the file is in libvirt's canonical form). */
static void
test_rich_round_trip(void **state)
{
    char *xml = read_data("rich.xml");
    evirt_network_def *def = parse_ok(xml);

    assert_true(def->ipv6);
    assert_int_equal(def->forward_mode, EVIRT_NETWORK_FORWARD_NAT);
    assert_string_equal(evirt_network_def_forward_dev(def), "eth0");
    assert_string_equal(def->bridge_name, "br7");
    assert_false(def->stp);
    assert_int_equal(def->delay, 5);
    assert_string_equal(def->mac_table_manager, "kernel");
    assert_int_equal(def->mtu, 9000);
    assert_true(def->has_mac);
    char mac[18];
    evirt_mac_format(def->mac, mac);
    assert_string_equal(mac, "52:54:00:12:34:56");
    assert_string_equal(def->domain_name, "example.org");

    assert_true(def->has_dns);
    assert_int_equal(def->ndns_hosts, 2);
    assert_string_equal(def->dns_hosts[0].ip, "192.168.7.10");
    assert_int_equal(def->dns_hosts[0].nhostnames, 2);
    assert_string_equal(def->dns_hosts[0].hostnames[1], "www");
    assert_string_equal(def->dns_hosts[1].ip, "2001:db8:ca2:2::10");

    assert_int_equal(def->nips, 2);
    assert_false(def->ips[0].ipv6);
    assert_int_equal(def->ips[0].prefix, 24);
    assert_int_equal(def->ips[0].nranges, 2);
    assert_true(def->ips[1].ipv6);
    assert_string_equal(def->ips[1].family, "ipv6");
    assert_int_equal(evirt_network_ip_prefix(&def->ips[1]), 64);

    /* DHCP hosts across every <ip>, in order */
    assert_int_equal(evirt_network_def_ndhcp_hosts(def), 4);
    const evirt_network_dhcp_host *h = evirt_network_def_dhcp_host(def, 0);
    assert_string_equal(h->mac, "52:54:00:aa:bb:cc");
    assert_string_equal(h->name, "web");
    assert_string_equal(h->ip, "192.168.7.10");
    h = evirt_network_def_dhcp_host(def, 2);
    assert_null(h->mac);
    assert_string_equal(h->name, "printer");
    h = evirt_network_def_dhcp_host(def, 3);
    assert_string_equal(h->id, "0:3:0:1:0:16:3e:11:22:33");
    assert_string_equal(h->ip, "2001:db8:ca2:2::10");
    assert_null(evirt_network_def_dhcp_host(def, 4));
    /* MAC lookups ignore case and leading zeros */
    h = evirt_network_def_find_dhcp_host(def, "52:54:00:aa:bb:dd");
    assert_non_null(h);
    assert_string_equal(h->ip, "192.168.7.11");
    assert_ptr_equal(evirt_network_def_find_dhcp_host(def, "52:54:0:AA:BB:CC"),
                     evirt_network_def_dhcp_host(def, 0));
    assert_null(evirt_network_def_find_dhcp_host(def, "52:54:00:00:00:00"));
    assert_null(evirt_network_def_find_dhcp_host(def, "garbage"));

    char *out = format_ok(def, 0);
    assert_string_equal(out, xml);
    free(out);
    evirt_network_def_free(def);
    free(xml);
}

/* Input in any order comes out in libvirt's order; unknown elements stay
 * after the known element they followed; addresses become canonical. */
static void
test_canonical_order(void **state)
{
    evirt_network_def *def = parse_ok(
        "<network>\n"
        "  <x-first/>\n"
        "  <ip family='ipv6' address='FD00:0:0::0001' prefix='64'/>\n"
        "  <portgroup name='pg'/>\n"
        "  <ip address='10.0.0.1' prefix='8'><dhcp>"
        "<host name='h' ip='10.0.0.5'/><x-dhcp/><range start='10.0.0.2' end='10.0.0.9'/>"
        "</dhcp><tftp root='/t'/></ip>\n"
        "  <name>ord</name>\n"
        "  <x-after-name>t<b>x</b></x-after-name>\n"
        "  <route address='10.9.0.0' prefix='16' gateway='10.0.0.254'/>\n"
        "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
        "  <forward mode='route'/>\n"
        "</network>\n");
    char *out = format_ok(def, 0);
    assert_string_equal(out,
        "<network>\n"
        "  <x-first/>\n"
        "  <name>ord</name>\n"
        "  <x-after-name>t<b>x</b></x-after-name>\n"
        "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
        "  <forward mode='route'/>\n"
        "  <bridge stp='on' delay='0'/>\n"
        "  <ip family='ipv6' address='fd00::1' prefix='64'>\n"
        "  </ip>\n"
        "  <ip address='10.0.0.1' prefix='8'>\n"
        "    <tftp root='/t'/>\n"
        "    <dhcp>\n"
        "      <range start='10.0.0.2' end='10.0.0.9'/>\n"
        "      <host name='h' ip='10.0.0.5'/>\n"
        "      <x-dhcp/>\n"
        "    </dhcp>\n"
        "  </ip>\n"
        "  <route address='10.9.0.0' prefix='16' gateway='10.0.0.254'/>\n"
        "  <portgroup name='pg'/>\n"
        "</network>\n");
    assert_stable(out);
    free(out);
    evirt_network_def_free(def);

    /* kept elements go where libvirt 9 writes them */
    def = parse_ok(
        "<network><name>vv</name><uuid>9bc41992-cb9b-453d-893a-f087f7018eca</uuid>"
        "<portgroup name='p'/><virtualport type='openvswitch'/>"
        "<port isolated='yes'/><bandwidth><inbound average='1'/></bandwidth>"
        "<vlan trunk='yes'><tag id='42'/></vlan><dns><txt name='a' value='b'/></dns>"
        "<bridge name='b'/><forward mode='bridge'/></network>");
    out = format_ok(def, 0);
    assert_string_equal(out,
        "<network>\n"
        "  <name>vv</name>\n"
        "  <uuid>9bc41992-cb9b-453d-893a-f087f7018eca</uuid>\n"
        "  <forward mode='bridge'/>\n"
        "  <bridge name='b'/>\n"
        "  <dns>\n"
        "    <txt name='a' value='b'/>\n"
        "  </dns>\n"
        "  <vlan trunk='yes'>\n"
        "    <tag id='42'/>\n"
        "  </vlan>\n"
        "  <bandwidth>\n"
        "    <inbound average='1'/>\n"
        "  </bandwidth>\n"
        "  <port isolated='yes'/>\n"
        "  <virtualport type='openvswitch'/>\n"
        "  <portgroup name='p'/>\n"
        "</network>\n");
    free(out);
    evirt_network_def_free(def);
}

/* What libvirt fills in or leaves out for a minimal document. */
static void
test_defaults(void **state)
{
    evirt_network_def *def = parse_ok("<network><name>iso</name></network>");
    assert_int_equal(def->forward_mode, EVIRT_NETWORK_FORWARD_NONE);
    assert_null(evirt_network_def_bridge_name(def));
    assert_null(evirt_network_def_ipv4(def));
    assert_int_equal(evirt_network_def_ipv4_address(def, NULL, NULL), -1);
    /* a random version 4 uuid */
    assert_int_equal(def->uuid[6] >> 4, 4);
    char uuid[37];
    evirt_uuid_format(def->uuid, uuid);
    char *out = format_ok(def, 0);
    char expect[256];
    snprintf(expect, sizeof(expect),
             "<network>\n  <name>iso</name>\n  <uuid>%s</uuid>\n"
             "  <bridge stp='on' delay='0'/>\n</network>\n", uuid);
    assert_string_equal(out, expect);
    free(out);
    evirt_network_def_free(def);

    /* two parses give two uuids */
    evirt_network_def *a = parse_ok("<network><name>a</name></network>");
    evirt_network_def *b = parse_ok("<network><name>a</name></network>");
    assert_memory_not_equal(a->uuid, b->uuid, 16);
    evirt_network_def_free(a);
    evirt_network_def_free(b);

    /* <forward> without mode is nat; mode='none' means isolated;
     * an empty <dhcp/>, ipv6='no' and mtu 0 are not written */
    def = parse_ok("<network ipv6='no'><name>n</name><forward/><mtu size='0'/>"
                   "<ip address='10.1.1.1' prefix='24'><dhcp/></ip></network>");
    assert_int_equal(def->forward_mode, EVIRT_NETWORK_FORWARD_NAT);
    assert_true(def->ips[0].has_dhcp);
    out = format_ok(def, 0);
    assert_contains(out, "<network>\n");
    assert_contains(out, "  <forward mode='nat'/>\n");
    assert_contains(out, "  <ip address='10.1.1.1' prefix='24'>\n  </ip>\n");
    assert_null(strstr(out, "dhcp"));
    assert_null(strstr(out, "mtu"));
    free(out);
    evirt_network_def_free(def);

    def = parse_ok("<network><name>n</name><forward mode='none'/></network>");
    assert_int_equal(def->forward_mode, EVIRT_NETWORK_FORWARD_NONE);
    out = format_ok(def, 0);
    assert_null(strstr(out, "forward"));
    free(out);
    evirt_network_def_free(def);

    /* bridge mode: only the name, no stp/delay */
    def = parse_ok("<network><name>b</name><forward mode='bridge'/>"
                   "<bridge name='br0'/></network>");
    out = format_ok(def, 0);
    assert_contains(out, "  <forward mode='bridge'/>\n  <bridge name='br0'/>\n");
    free(out);
    evirt_network_def_free(def);
}

/* forward dev= names the first interface, as libvirt reads it; runtime
 * connection counts are left out with INACTIVE. */
static void
test_forward_interfaces(void **state)
{
    evirt_network_def *def = parse_ok(
        "<network connections='3'><name>pt</name>"
        "<forward mode='passthrough'><interface dev='eth3' connections='2'/>"
        "<interface dev='eth4'/></forward></network>");
    assert_int_equal(def->forward_mode, EVIRT_NETWORK_FORWARD_PASSTHROUGH);
    assert_int_equal(def->connections, 3);
    assert_int_equal(def->ninterfaces, 2);
    assert_int_equal(def->interfaces[0].connections, 2);
    assert_string_equal(evirt_network_def_forward_dev(def), "eth3");
    char *out = format_ok(def, 0);
    assert_contains(out, "<network connections='3'>\n");
    assert_contains(out,
        "  <forward dev='eth3' mode='passthrough'>\n"
        "    <interface dev='eth3' connections='2'/>\n"
        "    <interface dev='eth4'/>\n"
        "  </forward>\n");
    assert_stable(out);
    free(out);
    out = format_ok(def, EVIRT_NETWORK_DEF_FORMAT_INACTIVE);
    assert_contains(out, "<network>\n");
    assert_null(strstr(out, "connections"));
    free(out);
    evirt_network_def_free(def);

    def = parse_ok("<network><name>r</name><forward mode='route' dev='eth1'/>"
                   "<ip address='10.0.0.1' netmask='255.255.0.0'/></network>");
    assert_int_equal(def->ninterfaces, 1);
    out = format_ok(def, 0);
    assert_contains(out,
        "  <forward dev='eth1' mode='route'>\n"
        "    <interface dev='eth1'/>\n"
        "  </forward>\n");
    free(out);
    evirt_network_def_free(def);
}

/* A driver changes the struct; the output follows it. */
static void
test_changed_fields_are_written(void **state)
{
    char *xml = read_data("test-default.xml");
    evirt_network_def *def = parse_ok(xml);

    free(def->bridge_name);
    def->bridge_name = strdup("virbr5");
    def->stp = false;
    def->has_mac = true;
    evirt_mac_parse("52:54:00:0a:0b:0c", def->mac);
    evirt_network_ip_def *ip = &def->ips[0];
    ip->hosts = calloc(1, sizeof(*ip->hosts));
    ip->nhosts = 1;
    ip->hosts[0].mac = strdup("52:54:00:01:02:03");
    ip->hosts[0].ip = strdup("192.168.122.50");

    char *out = format_ok(def, 0);
    assert_contains(out, "  <bridge name='virbr5' stp='off' delay='0'/>\n"
                         "  <mac address='52:54:00:0a:0b:0c'/>\n");
    assert_contains(out,
        "      <range start='192.168.122.2' end='192.168.122.254'/>\n"
        "      <host mac='52:54:00:01:02:03' ip='192.168.122.50'/>\n");
    assert_stable(out);
    free(out);

    /* dropping the forward makes it isolated */
    def->forward_mode = EVIRT_NETWORK_FORWARD_NONE;
    out = format_ok(def, 0);
    assert_null(strstr(out, "<forward"));
    free(out);

    evirt_network_def_free(def);
    free(xml);
}

static void
test_copy(void **state)
{
    char *xml = read_data("rich.xml");
    evirt_network_def *def = parse_ok(xml);
    evirt_network_def *copy = evirt_network_def_copy(def);
    assert_non_null(copy);
    assert_ptr_not_equal(copy->ips, def->ips);
    assert_memory_equal(copy->uuid, def->uuid, 16);
    evirt_network_def_free(def);
    /* the copy owns everything it holds */
    char *out = format_ok(copy, 0);
    assert_string_equal(out, xml);
    free(out);
    evirt_network_def_free(copy);
    free(xml);
    evirt_network_def_free(NULL);
}

static void
test_addresses(void **state)
{
    evirt_network_def *def = parse_ok(
        "<network><name>a</name>"
        "<ip address='172.16.1.1'/>"
        "<ip address='192.168.3.1'/>"
        "<ip address='10.2.3.4'/>"
        "<ip address='10.2.3.4' netmask='255.255.240.0'/>"
        "<ip address='10.2.3.4' prefix='20'/>"
        "<ip family='ipv6' address='2001:db8::1'/>"
        "</network>");
    assert_int_equal(evirt_network_ip_prefix(&def->ips[0]), 16);
    assert_int_equal(evirt_network_ip_prefix(&def->ips[1]), 24);
    assert_int_equal(evirt_network_ip_prefix(&def->ips[2]), 8);
    assert_int_equal(evirt_network_ip_prefix(&def->ips[3]), 20);
    assert_int_equal(evirt_network_ip_prefix(&def->ips[4]), 20);
    assert_int_equal(evirt_network_ip_prefix(&def->ips[5]), 64);
    assert_int_equal(evirt_network_ip_prefix(NULL), -1);
    /* the first IPv4 one */
    assert_ptr_equal(evirt_network_def_ipv4(def), &def->ips[0]);

    assert_true(evirt_network_ip_contains(&def->ips[3], "10.2.15.255"));
    assert_false(evirt_network_ip_contains(&def->ips[3], "10.2.16.0"));
    assert_true(evirt_network_ip_contains(&def->ips[5], "2001:db8::ffff:1"));
    assert_false(evirt_network_ip_contains(&def->ips[5], "2001:db9::1"));
    assert_false(evirt_network_ip_contains(&def->ips[5], "10.2.3.4"));
    assert_false(evirt_network_ip_contains(&def->ips[3], "nonsense"));
    evirt_network_def_free(def);

    /* a range may touch both ends of the network */
    def = parse_ok("<network><name>e</name><ip address='10.0.0.1' prefix='30'>"
                   "<dhcp><range start='10.0.0.0' end='10.0.0.3'/></dhcp></ip>"
                   "</network>");
    evirt_network_def_free(def);

    assert_string_equal(evirt_network_forward_mode_to_string(
                            EVIRT_NETWORK_FORWARD_HOSTDEV), "hostdev");
    assert_null(evirt_network_forward_mode_to_string(EVIRT_NETWORK_FORWARD_LAST));
    assert_int_equal(evirt_network_forward_mode_from_string("open"),
                     EVIRT_NETWORK_FORWARD_OPEN);
    assert_int_equal(evirt_network_forward_mode_from_string("warp"), -1);
}

static void
check_bad(const bad_case *c)
{
    evirt_error err = { 0 };
    evirt_network_def *def = evirt_network_def_parse_string(c->xml, 0, &err);
    check_refused(c, def != NULL, &err);
}

static void
test_malformed(void **state)
{
    static const bad_case cases[] = {
        { "<network>\n  <name>x</name>\n  <bridge name='a'>\n</network>\n",
          EVIRT_ERR_XML_DETAIL, EVIRT_FROM_NETWORK,
          "(network_definition):4: Opening and ending tag mismatch: bridge line 3 and network" },
        { "<network>\n  <name>x</name>\n", EVIRT_ERR_XML_DETAIL,
          EVIRT_FROM_NETWORK, "(network_definition):3: " },
        { "", EVIRT_ERR_XML_DETAIL, EVIRT_FROM_NETWORK, "(network_definition):" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);

    evirt_error err = { 0 };
    assert_null(evirt_network_def_parse_string(NULL, 0, &err));
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    assert_null(evirt_network_def_parse_string("<x", 0, NULL));
    assert_null(evirt_network_def_parse_string("<x/>", 0, NULL));
}

#define NET(body) "<network>\n<name>n</name>\n" body "</network>\n"
#define IP24 "<ip address='10.1.1.1' prefix='24'>\n"

static void
test_invalid(void **state)
{
    const int X = EVIRT_ERR_XML_ERROR, U = EVIRT_ERR_CONFIG_UNSUPPORTED,
              F = EVIRT_FROM_NETWORK;
    const bad_case cases[] = {
        { "<net><name>n</name></net>", X, EVIRT_FROM_XML,
          "expecting root element of 'network', not 'net'" },
        { "<network><bridge name='b'/></network>", EVIRT_ERR_NO_NAME, F,
          "missing name information" },
        { "<network><name></name></network>", EVIRT_ERR_NO_NAME, F,
          "missing name information" },
        { "<network><name>a/b</name></network>", X, F, "cannot contain '/'" },
        { NET("<uuid>zzz</uuid>\n"), X, F, "malformed uuid element 'zzz' (line 3)" },
        { NET("<forward mode='warp'/>\n"), U, F,
          "unknown forwarding type 'warp' (line 3)" },
        { NET("<forward mode='bridge'>\n<nat/></forward>\n"), X, F,
          "<nat> is only allowed in <forward mode='nat'>, not 'bridge' (line 4)" },
        { NET("<forward mode='passthrough' dev='eth0'>\n<interface dev='eth1'/>"
              "</forward>\n"), X, F,
          "<forward dev='eth0'> must match the first <interface dev='eth1'/> (line 3)" },
        { NET("<forward mode='passthrough'>\n<interface/></forward>\n"), X, F,
          "missing dev in <forward><interface> (line 4)" },
        { NET("<forward mode='nat'/>\n"), X, F,
          "nat forwarding requested, but no IP address provided for network 'n' (line 3)" },
        { NET("<forward mode='route'/>\n"), X, F, "route forwarding requested" },
        { NET("<forward mode='bridge'/>\n<bridge name='b' stp='off'/>\n"), X, F,
          "not in bridge (network 'n') (line 4)" },
        { NET("<forward mode='bridge'><interface dev='eth0'/></forward>\n"
              "<bridge name='br0'/>\n"), X, F, "not both" },
        { NET("<forward mode='bridge'/>\n<bridge name='b'/>\n<mtu size='9000'/>\n"),
          X, F, "mtu size is only allowed in open, route, nat and isolated mode, "
                "not in bridge (network 'n') (line 5)" },
        { NET("<bridge name='b' stp='maybe'/>\n"), X, F,
          "invalid bridge stp value 'maybe', expected 'on' or 'off' (line 3)" },
        { NET("<bridge name='b' delay='-1'/>\n"), X, F,
          "invalid bridge delay '-1' (line 3)" },
        { NET("<mtu size='abc'/>\n"), X, F, "invalid mtu size 'abc' (line 3)" },
        { NET("<mac address='01:00:00:00:00:01'/>\n"), X, F,
          "bridge mac address '01:00:00:00:00:01' is multicast (line 3)" },
        { NET("<mac address='52:54'/>\n"), X, F,
          "invalid bridge mac address '52:54' (line 3)" },
        { NET("<ipv6/>\n<ip address='300.1.1.1' netmask='255.255.255.0'/>\n"), X, F,
          "invalid address '300.1.1.1' (line 4)" },
        { NET("<ip prefix='24'/>\n"), X, F,
          "missing required address attribute in <ip> (line 3)" },
        { NET("<ip address='10.1.1.1' netmask='255.0.255.0'/>\n"), X, F,
          "invalid netmask '255.0.255.0' (line 3)" },
        { NET("<ip address='10.1.1.1' netmask='x'/>\n"), X, F,
          "invalid netmask 'x' (line 3)" },
        { NET("<ip address='10.1.1.1' prefix='33'/>\n"), U, F,
          "invalid IPv4 prefix '33' (line 3)" },
        { NET("<ip family='ipv6' address='fd00::1' prefix='129'/>\n"), U, F,
          "invalid IPv6 prefix '129'" },
        { NET("<ip address='10.1.1.1' prefix='x'/>\n"), X, F,
          "invalid prefix 'x' (line 3)" },
        { NET("<ip address='10.1.1.1' prefix='24' netmask='255.255.255.0'/>\n"), U, F,
          "cannot have both a prefix and a netmask (line 3)" },
        { NET("<ip family='ipv6' address='fd00::1' netmask='255.255.255.0'/>\n"), U, F,
          "netmask not allowed for IPv6 address 'fd00::1'" },
        { NET("<ip family='ipv5' address='10.1.1.1'/>\n"), X, F,
          "unrecognized ip family 'ipv5' (line 3)" },
        { NET("<ip family='ipv6' address='10.1.1.1' prefix='24'/>\n"), U, F,
          "family 'ipv6' specified for an IPv4 address '10.1.1.1' (line 3)" },
        { NET("<ip address='fd00::1' prefix='64'/>\n"), U, F,
          "no family specified for non-IPv4 address 'fd00::1'" },
        { NET(IP24 "<dhcp>\n<range start='10.1.2.1' end='10.1.2.5'/>\n</dhcp></ip>\n"),
          X, F, "dhcp range 10.1.2.1 - 10.1.2.5 is not entirely within network "
                "10.1.1.1/24 (line 5)" },
        { NET(IP24 "<dhcp>\n<range start='10.1.1.9' end='10.1.1.5'/>\n</dhcp></ip>\n"),
          X, F, "dhcp range 10.1.1.9 - 10.1.1.5 is reversed (line 5)" },
        { NET(IP24 "<dhcp>\n<range start='10.1.1.9'/>\n</dhcp></ip>\n"),
          X, F, "a dhcp <range> needs start and end (line 5)" },
        { NET(IP24 "<dhcp>\n<range start='10.1.1.x' end='10.1.1.5'/>\n</dhcp></ip>\n"),
          X, F, "invalid dhcp range start '10.1.1.x' (line 5)" },
        { NET(IP24 "<dhcp>\n<range start='fd00::1' end='fd00::5'/>\n</dhcp></ip>\n"),
          X, F, "is not of the family of 10.1.1.1" },
        { NET(IP24 "<dhcp>\n<host mac='zz' ip='10.1.1.5'/>\n</dhcp></ip>\n"),
          X, F, "cannot parse dhcp host MAC address 'zz' (line 5)" },
        { NET(IP24 "<dhcp>\n<host mac='03:00:00:00:00:01' ip='10.1.1.5'/>\n</dhcp></ip>\n"),
          X, F, "is multicast (line 5)" },
        { NET(IP24 "<dhcp>\n<host ip='10.1.1.5'/>\n</dhcp></ip>\n"),
          X, F, "a dhcp <host> needs a mac, id or name attribute (line 5)" },
        { NET(IP24 "<dhcp>\n<host mac='52:54:00:00:00:01'/>\n</dhcp></ip>\n"),
          X, F, "missing ip address in dhcp <host> (line 5)" },
        { NET(IP24 "<dhcp>\n<host name='9x' ip='10.1.1.5'/>\n</dhcp></ip>\n"),
          X, F, "dhcp host name '9x' must start with a letter" },
        { NET("<dns>\n<host ip='10.1.1.5'/>\n</dns>\n"), X, F,
          "missing <hostname> in <dns><host ip='10.1.1.5'> (line 4)" },
        { NET("<dns>\n<host><hostname>a</hostname></host>\n</dns>\n"), X, F,
          "missing ip address in <dns><host> (line 4)" },
        { "<network connections='-2'><name>n</name></network>", X, F,
          "invalid connections count '-2'" },
        { "<network ipv6='maybe'><name>n</name></network>", X, F,
          "invalid ipv6 setting 'maybe'" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_bad(&cases[i]);
}

/* Repeated single elements: the first one counts, as in libvirt. */
static void
test_oddities(void **state)
{
    evirt_network_def *def = parse_ok(
        "<network><name>first</name><name>second</name>"
        "<bridge name='brfirst'/><bridge name='brsecond'/></network>");
    assert_string_equal(def->name, "first");
    assert_string_equal(def->bridge_name, "brfirst");
    char *out = format_ok(def, 0);
    assert_null(strstr(out, "second"));
    assert_null(strstr(out, "brsecond"));
    free(out);
    evirt_network_def_free(def);

    /* escaping in names and preserved text */
    def = parse_ok("<network><name>a&amp;b'c</name>"
                   "<description>x &lt; y</description></network>");
    out = format_ok(def, 0);
    assert_contains(out, "<name>a&amp;b&apos;c</name>\n");
    assert_contains(out, "<description>x &lt; y</description>\n");
    assert_stable(out);
    free(out);
    evirt_network_def_free(def);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_network_exact),
        cmocka_unit_test(test_rich_round_trip),
        cmocka_unit_test(test_canonical_order),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_forward_interfaces),
        cmocka_unit_test(test_changed_fields_are_written),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_oddities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
