/*
 * tests/test-driver-network.c - the test driver's virtual networks:
 * lookups, lists and their filters, the lifecycle (define, create-xml,
 * create, destroy, undefine) with its events, autostart, bridge names,
 * XML descriptions, fake DHCP leases, and networks of a config file.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "tests/test-uri-helper.h"

#define DATA TEST_DATA_DIR "/testdriver/"
#define DEFAULT_UUID "dd8fe884-6c02-601e-7551-cca97df1c5df"
#define LAN_UUID "0a0b0c0d-1111-2222-3333-444455556666"

/* What `virsh -c test:///default net-dumpxml default` prints. */
static const char default_xml[] =
    "<network>\n"
    "  <name>default</name>\n"
    "  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
    "  <forward mode='nat'/>\n"
    "  <bridge name='virbr0' stp='on' delay='0'/>\n"
    "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.122.2' end='192.168.122.254'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "</network>\n";

/* An isolated network without a bridge name. */
static const char extra_xml[] =
    "<network>"
    "  <name>extra</name>"
    "  <uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "  <ip address='10.0.0.1' prefix='24'>"
    "    <dhcp>"
    "      <range start='10.0.0.2' end='10.0.0.9'/>"
    "      <host mac='52:54:00:00:00:01' name='h1' ip='10.0.0.5'/>"
    "    </dhcp>"
    "  </ip>"
    "</network>";

/* ------------------------------------------------------------- helpers */

typedef struct {
    char name[64];
    int event, detail;
} seen_event;

static seen_event events[32];
static int nevents;

static void on_lifecycle(evirt_conn *conn, evirt_network *net, int event,
                         int detail, void *opaque)
{
    (void)conn;
    int *count = opaque;
    if (count)
        (*count)++;
    if (!count && nevents < 32) {
        snprintf(events[nevents].name, sizeof(events[nevents].name), "%s",
                 evirt_network_get_name(net));
        events[nevents].event = event;
        events[nevents].detail = detail;
        nevents++;
    }
}

static int open_uri(void **state, const char *uri)
{
    evirt_conn *c = evirt_conn_open(test_uri(uri));
    assert_non_null(c);
    nevents = 0;
    assert_true(evirt_conn_network_event_register_any(
                    c, NULL, EVIRT_NETWORK_EVENT_ID_LIFECYCLE,
                    EVIRT_NETWORK_EVENT_CALLBACK(on_lifecycle), NULL, NULL) > 0);
    *state = c;
    return 0;
}

static int open_default(void **state)
{
    return open_uri(state, "test:///default");
}

static int open_config(void **state)
{
    return open_uri(state, "test://" DATA "networks.xml");
}

static int close_conn(void **state)
{
    evirt_conn_close(*state);
    return 0;
}

/* Lets queued events through: they are delivered before a later op. */
static void flush(evirt_conn *c)
{
    assert_int_equal(evirt_conn_is_alive(c), 1);
}

static void assert_event(int i, const char *name, int event)
{
    if (i >= nevents)
        fail_msg("event %d missing (%d seen)", i, nevents);
    assert_string_equal(events[i].name, name);
    assert_int_equal(events[i].event, event);
    assert_int_equal(events[i].detail, 0);
}

static void assert_last_error(int code, int domain, const char *needle)
{
    const evirt_error *e = evirt_last_error();
    assert_non_null(e);
    assert_int_equal(e->code, code);
    if (domain >= 0)
        assert_int_equal(e->domain, domain);
    if (needle && (!e->message || !strstr(e->message, needle)))
        fail_msg("error '%s' does not mention '%s'", e->message, needle);
}

static int count_all(evirt_conn *c, unsigned int flags)
{
    evirt_network **list = NULL;
    int n = evirt_conn_list_all_networks(c, flags, &list);
    if (n >= 0)
        evirt_network_list_free(list, n);
    return n;
}

/* The only network list_all gives for flags, by name ("" for none). */
static void assert_only(evirt_conn *c, unsigned int flags, const char *name)
{
    evirt_network **list = NULL;
    int n = evirt_conn_list_all_networks(c, flags, &list);
    assert_int_equal(n, name[0] ? 1 : 0);
    if (n == 1)
        assert_string_equal(evirt_network_get_name(list[0]), name);
    evirt_network_list_free(list, n);
}

static char *xml_of(evirt_network *net, unsigned int flags)
{
    char *xml = evirt_network_get_xml_desc(net, flags);
    assert_non_null(xml);
    return xml;
}

static void assert_xml_has(evirt_network *net, unsigned int flags,
                           const char *needle)
{
    char *xml = xml_of(net, flags);
    if (!strstr(xml, needle))
        fail_msg("XML does not have '%s':\n%s", needle, xml);
    free(xml);
}

static void assert_bridge(evirt_network *net, const char *want)
{
    char *br = evirt_network_get_bridge_name(net);
    assert_non_null(br);
    assert_string_equal(br, want);
    free(br);
}

/* Network count (active + inactive) as the connection says. */
static int total(evirt_conn *c)
{
    return evirt_conn_num_of_networks(c) + evirt_conn_num_of_defined_networks(c);
}

/* --------------------------------------------------- default network */

static void test_lookups(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_lookup_by_name(c, "default");
    assert_non_null(n);
    assert_string_equal(evirt_network_get_name(n), "default");
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    assert_int_equal(evirt_network_get_uuid_string(n, uuid), 0);
    assert_string_equal(uuid, DEFAULT_UUID);
    unsigned char raw[16];
    assert_int_equal(evirt_network_get_uuid(n, raw), 0);
    evirt_network_unref(n);

    n = evirt_network_lookup_by_uuid(c, raw);
    assert_non_null(n);
    assert_string_equal(evirt_network_get_name(n), "default");
    evirt_network_unref(n);
    n = evirt_network_lookup_by_uuid_string(c, DEFAULT_UUID);
    assert_non_null(n);
    assert_string_equal(evirt_network_get_name(n), "default");
    evirt_network_unref(n);

    assert_null(evirt_network_lookup_by_name(c, "nope"));
    assert_last_error(EVIRT_ERR_NO_NETWORK, EVIRT_FROM_TEST,
                      "no network with matching name 'nope'");
    raw[0] ^= 0xff;
    assert_null(evirt_network_lookup_by_uuid(c, raw));
    assert_last_error(EVIRT_ERR_NO_NETWORK, EVIRT_FROM_TEST,
                      "no network with matching uuid '22");
    assert_null(evirt_network_lookup_by_uuid_string(
        c, "11111111-2222-3333-4444-555555555555"));
    assert_last_error(EVIRT_ERR_NO_NETWORK, EVIRT_FROM_TEST,
                      "'11111111-2222-3333-4444-555555555555'");
    assert_null(evirt_network_lookup_by_uuid_string(c, "not-a-uuid"));
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_NETWORK, "not-a-uuid");
}

static void test_default_facts(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_lookup_by_name(c, "default");
    assert_non_null(n);
    /* As `virsh net-info default`. */
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_int_equal(evirt_network_get_autostart(n), 0);
    assert_bridge(n, "virbr0");

    char *xml = xml_of(n, 0);
    assert_string_equal(xml, default_xml);
    free(xml);
    /* Nothing waits for the next start: the inactive XML is the same. */
    xml = xml_of(n, EVIRT_NETWORK_XML_INACTIVE);
    assert_string_equal(xml, default_xml);
    free(xml);
    assert_null(evirt_network_get_xml_desc(n, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, -1, "unsupported flags (0x2)");

    /* No <host> entries in its <dhcp>: no leases. */
    evirt_network_dhcp_lease *leases = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, NULL, 0, &leases), 0);
    free(leases);
    evirt_network_unref(n);
}

static void test_lists(void **state)
{
    evirt_conn *c = *state;
    char **names = NULL;
    assert_int_equal(evirt_conn_list_networks(c, &names), 1);
    assert_string_equal(names[0], "default");
    evirt_string_list_free(names, 1);
    names = NULL;
    assert_int_equal(evirt_conn_list_defined_networks(c, &names), 0);
    evirt_string_list_free(names, 0);
    assert_int_equal(evirt_conn_num_of_networks(c), 1);
    assert_int_equal(evirt_conn_num_of_defined_networks(c), 0);

    assert_only(c, 0, "default");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE, "default");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_INACTIVE, "");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_PERSISTENT, "default");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT, "");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_AUTOSTART, "");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_NO_AUTOSTART, "default");
    assert_int_equal(count_all(c, 0x40), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, -1, "unsupported flags (0x40)");
}

/* Every filter against a mix: default (active, persistent), extra
 * (inactive, persistent, autostart), temp (active, transient). */
static void test_list_filters(void **state)
{
    evirt_conn *c = *state;
    evirt_network *extra = evirt_network_define_xml(c, extra_xml);
    assert_non_null(extra);
    assert_int_equal(evirt_network_set_autostart(extra, 1), 0);
    evirt_network *temp = evirt_network_create_xml(
        c, "<network><name>temp</name></network>");
    assert_non_null(temp);

    assert_int_equal(count_all(c, 0), 3);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE), 2);
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_INACTIVE, "extra");
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE |
                                  EVIRT_CONNECT_LIST_NETWORKS_INACTIVE), 3);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_NETWORKS_PERSISTENT), 2);
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT, "temp");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_AUTOSTART, "extra");
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_NETWORKS_NO_AUTOSTART), 2);
    /* Groups combine with AND. */
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE |
                   EVIRT_CONNECT_LIST_NETWORKS_PERSISTENT, "default");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE |
                   EVIRT_CONNECT_LIST_NETWORKS_NO_AUTOSTART |
                   EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT, "temp");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE |
                   EVIRT_CONNECT_LIST_NETWORKS_AUTOSTART, "");

    char **names = NULL;
    assert_int_equal(evirt_conn_list_networks(c, &names), 2);
    assert_string_equal(names[0], "default");
    assert_string_equal(names[1], "temp");
    evirt_string_list_free(names, 2);
    names = NULL;
    assert_int_equal(evirt_conn_list_defined_networks(c, &names), 1);
    assert_string_equal(names[0], "extra");
    evirt_string_list_free(names, 1);
    assert_int_equal(evirt_conn_num_of_networks(c), 2);
    assert_int_equal(evirt_conn_num_of_defined_networks(c), 1);

    evirt_network_unref(extra);
    evirt_network_unref(temp);
}

/* ------------------------------------------------------------ lifecycle */

static void test_define_start_stop_undefine(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_define_xml(c, extra_xml);
    assert_non_null(n);
    assert_string_equal(evirt_network_get_name(n), "extra");
    assert_int_equal(evirt_network_is_active(n), 0);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_int_equal(evirt_network_get_autostart(n), 0);
    /* No bridge named: the lowest virbrN default does not use. */
    assert_bridge(n, "virbr1");
    assert_xml_has(n, 0, "<bridge name='virbr1'");
    /* Inactive: no leases. */
    evirt_network_dhcp_lease *leases = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, NULL, 0, &leases), 0);
    free(leases);

    assert_int_equal(evirt_network_set_autostart(n, 1), 0);
    assert_int_equal(evirt_network_get_autostart(n), 1);
    assert_int_equal(evirt_network_set_autostart(n, 0), 0);
    assert_int_equal(evirt_network_get_autostart(n), 0);

    assert_int_equal(evirt_network_create(n), 0);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_create(n), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_TEST,
                      "network 'extra' is already running");

    assert_int_equal(evirt_network_destroy(n), 0);
    assert_int_equal(evirt_network_is_active(n), 0);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_int_equal(evirt_network_destroy(n), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_TEST,
                      "network 'extra' is not active");

    assert_int_equal(evirt_network_undefine(n), 0);
    assert_null(evirt_network_lookup_by_name(c, "extra"));
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    /* The handle outlives the network; using it says so. */
    assert_int_equal(evirt_network_is_active(n), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, EVIRT_FROM_TEST,
                      "no network with matching uuid "
                      "'11111111-2222-3333-4444-555555555555' (extra)");
    assert_int_equal(evirt_network_undefine(n), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_int_equal(evirt_network_create(n), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_null(evirt_network_get_bridge_name(n));
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_null(evirt_network_get_xml_desc(n, 0));
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_int_equal(evirt_network_get_autostart(n), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_int_equal(evirt_network_set_autostart(n, 1), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_int_equal(evirt_network_is_persistent(n), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_int_equal(evirt_network_destroy(n), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    assert_int_equal(evirt_network_get_dhcp_leases(n, NULL, 0, &leases), -1);
    assert_last_error(EVIRT_ERR_NO_NETWORK, -1, NULL);
    evirt_network_unref(n);

    flush(c);
    assert_int_equal(nevents, 4);
    assert_event(0, "extra", EVIRT_NETWORK_EVENT_DEFINED);
    assert_event(1, "extra", EVIRT_NETWORK_EVENT_STARTED);
    assert_event(2, "extra", EVIRT_NETWORK_EVENT_STOPPED);
    assert_event(3, "extra", EVIRT_NETWORK_EVENT_UNDEFINED);
}

static void test_transient(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_create_xml(c, extra_xml);
    assert_non_null(n);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_is_persistent(n), 0);
    assert_int_equal(evirt_network_get_autostart(n), 0);
    assert_bridge(n, "virbr1");
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT, "extra");

    assert_int_equal(evirt_network_set_autostart(n, 1), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_TEST,
                      "transient network 'extra'");
    assert_int_equal(evirt_network_get_autostart(n), 0);
    assert_int_equal(evirt_network_undefine(n), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_TEST,
                      "cannot undefine transient network 'extra'");
    assert_int_equal(evirt_network_is_active(n), 1);

    /* Stopping a transient network makes it disappear. */
    assert_int_equal(evirt_network_destroy(n), 0);
    assert_null(evirt_network_lookup_by_name(c, "extra"));
    assert_last_error(EVIRT_ERR_NO_NETWORK, EVIRT_FROM_TEST, "'extra'");
    assert_int_equal(total(c), 1);
    evirt_network_unref(n);

    flush(c);
    assert_int_equal(nevents, 2);
    assert_event(0, "extra", EVIRT_NETWORK_EVENT_STARTED);
    assert_event(1, "extra", EVIRT_NETWORK_EVENT_STOPPED);
}

/* Redefining a running network: the new definition waits for the next
 * start, as the inactive XML shows. */
static void test_redefine_active(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_define_xml(
        c, "<network><name>default</name><uuid>" DEFAULT_UUID "</uuid>"
           "<bridge name='virbr9'/></network>");
    assert_non_null(n);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_bridge(n, "virbr0");
    char *xml = xml_of(n, 0);
    assert_string_equal(xml, default_xml);
    free(xml);
    assert_xml_has(n, EVIRT_NETWORK_XML_INACTIVE, "<bridge name='virbr9'");
    xml = xml_of(n, EVIRT_NETWORK_XML_INACTIVE);
    assert_null(strstr(xml, "<forward"));
    free(xml);

    /* Redefining again replaces the waiting definition. */
    evirt_network *again = evirt_network_define_xml(
        c, "<network><name>default</name><uuid>" DEFAULT_UUID "</uuid>"
           "<bridge name='virbr8'/></network>");
    assert_non_null(again);
    evirt_network_unref(again);
    assert_xml_has(n, EVIRT_NETWORK_XML_INACTIVE, "<bridge name='virbr8'");

    assert_int_equal(evirt_network_destroy(n), 0);
    assert_bridge(n, "virbr8");
    xml = xml_of(n, 0);
    char *inactive = xml_of(n, EVIRT_NETWORK_XML_INACTIVE);
    assert_string_equal(xml, inactive);
    free(xml);
    free(inactive);
    assert_int_equal(evirt_network_create(n), 0);
    assert_bridge(n, "virbr8");

    /* Inactive redefinition replaces the definition at once. */
    assert_int_equal(evirt_network_destroy(n), 0);
    again = evirt_network_define_xml(
        c, "<network><name>default</name><uuid>" DEFAULT_UUID "</uuid>"
           "<bridge name='virbr7'/></network>");
    assert_non_null(again);
    evirt_network_unref(again);
    assert_bridge(n, "virbr7");
    assert_int_equal(evirt_network_is_active(n), 0);
    evirt_network_unref(n);

    flush(c);
    assert_int_equal(nevents, 6);
    assert_event(0, "default", EVIRT_NETWORK_EVENT_DEFINED);
    assert_event(1, "default", EVIRT_NETWORK_EVENT_DEFINED);
    assert_event(2, "default", EVIRT_NETWORK_EVENT_STOPPED);
    assert_event(3, "default", EVIRT_NETWORK_EVENT_STARTED);
    assert_event(4, "default", EVIRT_NETWORK_EVENT_STOPPED);
    assert_event(5, "default", EVIRT_NETWORK_EVENT_DEFINED);
}

/* Undefining a running network leaves it running, as a transient one. */
static void test_undefine_active(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_lookup_by_name(c, "default");
    assert_non_null(n);
    assert_int_equal(evirt_network_set_autostart(n, 1), 0);
    assert_int_equal(evirt_network_undefine(n), 0);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_is_persistent(n), 0);
    assert_int_equal(evirt_network_get_autostart(n), 0);
    assert_only(c, EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT, "default");
    assert_int_equal(evirt_network_undefine(n), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, -1, "transient");

    /* Defining it again makes it persistent again, still running. */
    evirt_network *again = evirt_network_define_xml(c, default_xml);
    assert_non_null(again);
    evirt_network_unref(again);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_undefine(n), 0);

    assert_int_equal(evirt_network_destroy(n), 0);
    assert_int_equal(total(c), 0);
    assert_null(evirt_network_lookup_by_uuid_string(c, DEFAULT_UUID));
    evirt_network_unref(n);

    flush(c);
    assert_int_equal(nevents, 4);
    assert_event(0, "default", EVIRT_NETWORK_EVENT_UNDEFINED);
    assert_event(1, "default", EVIRT_NETWORK_EVENT_DEFINED);
    assert_event(2, "default", EVIRT_NETWORK_EVENT_UNDEFINED);
    assert_event(3, "default", EVIRT_NETWORK_EVENT_STOPPED);
}

/* A transient network given a persistent definition keeps running and
 * runs the new definition from its next start. */
static void test_define_transient(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_create_xml(c, extra_xml);
    assert_non_null(n);
    evirt_network *p = evirt_network_define_xml(
        c, "<network><name>extra</name>"
           "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
           "<bridge name='virbr4'/></network>");
    assert_non_null(p);
    evirt_network_unref(p);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_bridge(n, "virbr1");
    assert_int_equal(evirt_network_destroy(n), 0);
    assert_int_equal(evirt_network_is_active(n), 0);
    assert_bridge(n, "virbr4");
    evirt_network_unref(n);

    flush(c);
    assert_int_equal(nevents, 3);
    assert_event(0, "extra", EVIRT_NETWORK_EVENT_STARTED);
    assert_event(1, "extra", EVIRT_NETWORK_EVENT_DEFINED);
    assert_event(2, "extra", EVIRT_NETWORK_EVENT_STOPPED);
}

/* create-xml of a defined, inactive network runs that XML once. */
static void test_create_xml_defined(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_lookup_by_name(c, "default");
    assert_non_null(n);
    assert_int_equal(evirt_network_destroy(n), 0);
    evirt_network *run = evirt_network_create_xml(
        c, "<network><name>default</name><uuid>" DEFAULT_UUID "</uuid>"
           "<bridge name='virbr3'/></network>");
    assert_non_null(run);
    evirt_network_unref(run);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_is_persistent(n), 1);
    assert_bridge(n, "virbr3");
    char *xml = xml_of(n, EVIRT_NETWORK_XML_INACTIVE);
    assert_string_equal(xml, default_xml);
    free(xml);
    assert_int_equal(evirt_network_destroy(n), 0);
    xml = xml_of(n, 0);
    assert_string_equal(xml, default_xml);
    free(xml);
    evirt_network_unref(n);

    flush(c);
    assert_int_equal(nevents, 3);
    assert_event(0, "default", EVIRT_NETWORK_EVENT_STOPPED);
    assert_event(1, "default", EVIRT_NETWORK_EVENT_STARTED);
    assert_event(2, "default", EVIRT_NETWORK_EVENT_STOPPED);
}

/* Refusals: the error libvirt gives, nothing changed, no event. */
static void test_refusals(void **state)
{
    evirt_conn *c = *state;
    /* The name of a network with another UUID. */
    const char *same_name =
        "<network><name>default</name>"
        "<uuid>11111111-2222-3333-4444-555555555555</uuid></network>";
    assert_null(evirt_network_define_xml(c, same_name));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_NETWORK,
                      "network 'default' already exists with uuid " DEFAULT_UUID);
    assert_null(evirt_network_create_xml(c, same_name));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_NETWORK,
                      "already exists");
    /* The UUID of a network with another name. */
    const char *same_uuid =
        "<network><name>other</name><uuid>" DEFAULT_UUID "</uuid></network>";
    assert_null(evirt_network_define_xml(c, same_uuid));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_NETWORK,
                      "network 'default' is already defined with uuid "
                      DEFAULT_UUID);
    assert_null(evirt_network_create_xml(c, same_uuid));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_NETWORK,
                      "is already defined");
    /* Starting what already runs. */
    assert_null(evirt_network_create_xml(c, default_xml));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_NETWORK,
                      "network is already active as 'default'");
    /* A bridge another network has. */
    const char *same_bridge =
        "<network><name>br</name><bridge name='virbr0'/></network>";
    assert_null(evirt_network_define_xml(c, same_bridge));
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR, EVIRT_FROM_NETWORK,
                      "bridge name 'virbr0' already in use");
    assert_null(evirt_network_create_xml(c, same_bridge));
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR, EVIRT_FROM_NETWORK, "virbr0");
    /* Bad XML. */
    assert_null(evirt_network_define_xml(c, "<network><name>x</name>"));
    assert_last_error(EVIRT_ERR_XML_DETAIL, EVIRT_FROM_NETWORK, NULL);
    assert_null(evirt_network_create_xml(c, "<domain/>"));
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_XML_ERROR);
    assert_null(evirt_network_define_xml(c, "<network/>"));
    assert_last_error(EVIRT_ERR_NO_NAME, EVIRT_FROM_NETWORK, NULL);
    assert_null(evirt_network_define_xml(
        c, "<network><name>x</name><forward mode='bogus'/></network>"));
    assert_last_error(EVIRT_ERR_CONFIG_UNSUPPORTED, EVIRT_FROM_NETWORK, "bogus");

    /* Nothing changed. */
    assert_int_equal(total(c), 1);
    evirt_network *n = evirt_network_lookup_by_name(c, "default");
    assert_non_null(n);
    char *xml = xml_of(n, EVIRT_NETWORK_XML_INACTIVE);
    assert_string_equal(xml, default_xml);
    free(xml);
    evirt_network_unref(n);
    flush(c);
    assert_int_equal(nevents, 0);
}

/* A non-libvirt bridge (forward mode bridge) may be shared; a network
 * without any bridge cannot name one. */
static void test_bridge_modes(void **state)
{
    evirt_conn *c = *state;
    evirt_network *host = evirt_network_define_xml(
        c, "<network><name>host</name><forward mode='bridge'/>"
           "<bridge name='virbr0'/></network>");
    assert_non_null(host);
    assert_bridge(host, "virbr0");
    /* virbr0 is taken (twice): the lowest free ones come next. */
    evirt_network *iso = evirt_network_define_xml(
        c, "<network><name>iso2</name></network>");
    assert_non_null(iso);
    assert_bridge(iso, "virbr1");
    evirt_network *iso3 = evirt_network_define_xml(
        c, "<network><name>iso3</name></network>");
    assert_non_null(iso3);
    assert_bridge(iso3, "virbr2");

    evirt_network *pt = evirt_network_define_xml(
        c, "<network><name>pt</name><forward mode='passthrough'>"
           "<interface dev='eth1'/></forward></network>");
    assert_non_null(pt);
    assert_null(evirt_network_get_bridge_name(pt));
    assert_last_error(EVIRT_ERR_INTERNAL_ERROR, EVIRT_FROM_TEST,
                      "network 'pt' does not have a bridge name");
    evirt_network_unref(host);
    evirt_network_unref(iso);
    evirt_network_unref(iso3);
    evirt_network_unref(pt);
}

/* Events for one network only, and deregistration. */
static void test_event_filter(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_define_xml(c, extra_xml);
    assert_non_null(n);
    int mine = 0;
    int id = evirt_conn_network_event_register_any(
        c, n, EVIRT_NETWORK_EVENT_ID_LIFECYCLE,
        EVIRT_NETWORK_EVENT_CALLBACK(on_lifecycle), &mine, NULL);
    assert_true(id > 0);
    evirt_network *def = evirt_network_lookup_by_name(c, "default");
    assert_int_equal(evirt_network_destroy(def), 0);
    assert_int_equal(evirt_network_create(n), 0);
    flush(c);
    assert_int_equal(mine, 1);
    assert_int_equal(nevents, 3);
    assert_event(1, "default", EVIRT_NETWORK_EVENT_STOPPED);
    assert_event(2, "extra", EVIRT_NETWORK_EVENT_STARTED);
    assert_int_equal(evirt_conn_network_event_deregister_any(c, id), 0);
    assert_int_equal(evirt_network_destroy(n), 0);
    flush(c);
    assert_int_equal(mine, 1);
    assert_int_equal(nevents, 4);
    evirt_network_unref(def);
    evirt_network_unref(n);
}

static void test_read_only(void **state)
{
    (void)state;
    evirt_conn *ro = evirt_conn_open_read_only(test_uri("test:///default"));
    assert_non_null(ro);
    evirt_network *n = evirt_network_lookup_by_name(ro, "default");
    assert_non_null(n);
    assert_int_equal(evirt_network_is_active(n), 1);
    assert_int_equal(evirt_network_destroy(n), -1);
    assert_last_error(EVIRT_ERR_OPERATION_DENIED, -1, NULL);
    assert_null(evirt_network_define_xml(ro, extra_xml));
    assert_last_error(EVIRT_ERR_OPERATION_DENIED, -1, NULL);
    assert_int_equal(evirt_network_is_active(n), 1);
    evirt_network_unref(n);
    evirt_conn_close(ro);
}

/* Each connection to test:///default starts from the same state. */
static void test_fresh_state(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_lookup_by_name(c, "default");
    assert_int_equal(evirt_network_destroy(n), 0);
    assert_int_equal(evirt_network_undefine(n), 0);
    evirt_network_unref(n);
    assert_int_equal(total(c), 0);

    evirt_conn *other = evirt_conn_open(test_uri("test:///default"));
    assert_non_null(other);
    assert_int_equal(evirt_conn_num_of_networks(other), 1);
    evirt_conn_close(other);
}

/* ---------------------------------------------------------------- async */

typedef struct {
    int calls;
    evirt_network *net;
    int code;
} async_done;

static void create_done(evirt_op *op, void *opaque)
{
    async_done *a = opaque;
    a->calls++;
    a->net = evirt_network_create_xml_finish(op);
    a->code = a->net ? 0 : evirt_op_error(op)->code;
}

static void test_async(void **state)
{
    evirt_conn *c = *state;
    evirt_loop *loop = evirt_conn_get_loop(c);
    async_done a = { 0 };
    assert_non_null(evirt_network_create_xml_async(c, extra_xml, create_done, &a));
    /* Never from inside the call that started it. */
    assert_int_equal(a.calls, 0);
    for (int i = 0; i < 100 && (!a.calls || nevents < 1); i++)
        evirt_loop_run_once(loop);
    assert_int_equal(a.calls, 1);
    assert_non_null(a.net);
    assert_string_equal(evirt_network_get_name(a.net), "extra");
    assert_int_equal(nevents, 1);
    assert_event(0, "extra", EVIRT_NETWORK_EVENT_STARTED);

    async_done b = { 0 };
    assert_non_null(evirt_network_create_xml_async(c, extra_xml, create_done, &b));
    for (int i = 0; i < 100 && !b.calls; i++)
        evirt_loop_run_once(loop);
    assert_int_equal(b.calls, 1);
    assert_null(b.net);
    assert_int_equal(b.code, EVIRT_ERR_OPERATION_INVALID);
    evirt_network_unref(a.net);
}

/* ------------------------------------------------------------ DHCP leases */

static void test_leases(void **state)
{
    evirt_conn *c = *state;
    evirt_network *n = evirt_network_lookup_by_name(c, "lan");
    assert_non_null(n);
    evirt_network_dhcp_lease *l = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, NULL, 0, &l), 3);
    assert_string_equal(l[0].iface, "virbr0");
    assert_int_equal(l[0].type, EVIRT_IP_ADDR_TYPE_IPV4);
    assert_string_equal(l[0].mac, "52:54:00:aa:00:01");
    assert_string_equal(l[0].ipaddr, "10.10.0.10");
    assert_int_equal(l[0].prefix, 24);
    assert_string_equal(l[0].hostname, "web");
    assert_string_equal(l[0].clientid, "");
    assert_string_equal(l[0].iaid, "");
    assert_true(l[0].expirytime > 1700000000LL);
    assert_string_equal(l[1].hostname, "db");
    assert_string_equal(l[1].mac, "52:54:00:aa:00:02"); /* as dnsmasq says */
    assert_string_equal(l[1].ipaddr, "10.10.0.11");
    assert_int_equal(l[1].expirytime, l[0].expirytime);
    assert_int_equal(l[2].type, EVIRT_IP_ADDR_TYPE_IPV6);
    assert_string_equal(l[2].ipaddr, "fd00:10::20");
    assert_int_equal(l[2].prefix, 64);
    assert_string_equal(l[2].mac, "");
    assert_string_equal(l[2].hostname, "v6host");
    assert_string_equal(l[2].clientid, "0:3:0:1:0:16:3e:11:22:33");
    free(l);

    /* By MAC, whatever its case. */
    l = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, "52:54:00:aa:00:02", 0, &l), 1);
    assert_string_equal(l[0].hostname, "db");
    free(l);
    l = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, "52:54:00:AA:00:01", 0, &l), 1);
    assert_string_equal(l[0].hostname, "web");
    free(l);
    l = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, "52:54:00:aa:00:09", 0, &l), 0);
    free(l);

    l = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, "52:54:00:aa:00", 0, &l), -1);
    assert_last_error(EVIRT_ERR_INVALID_MAC, EVIRT_FROM_TEST, "52:54:00:aa:00");
    assert_int_equal(evirt_network_get_dhcp_leases(n, NULL, 1, &l), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, -1, "unsupported flags (0x1)");

    /* A stopped network serves none. */
    assert_int_equal(evirt_network_destroy(n), 0);
    l = NULL;
    assert_int_equal(evirt_network_get_dhcp_leases(n, NULL, 0, &l), 0);
    free(l);
    evirt_network_unref(n);
}

/* ---------------------------------------------------------- config file */

static void test_config(void **state)
{
    evirt_conn *c = *state;
    /* Both networks (one inline, one file=) loaded active, persistent. */
    assert_int_equal(evirt_conn_num_of_networks(c), 2);
    assert_int_equal(evirt_conn_num_of_defined_networks(c), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_NETWORKS_PERSISTENT |
                                  EVIRT_CONNECT_LIST_NETWORKS_NO_AUTOSTART), 2);
    evirt_network *lan = evirt_network_lookup_by_uuid_string(c, LAN_UUID);
    assert_non_null(lan);
    assert_string_equal(evirt_network_get_name(lan), "lan");
    assert_xml_has(lan, 0, "<forward mode='route'/>");
    assert_xml_has(lan, 0, "<host id='0:3:0:1:0:16:3e:11:22:33'");
    evirt_network *iso = evirt_network_lookup_by_name(c, "isolated");
    assert_non_null(iso);
    assert_int_equal(evirt_network_is_active(iso), 1);
    assert_int_equal(evirt_network_is_persistent(iso), 1);
    /* lan has virbr0: isolated gets the next one. */
    assert_bridge(iso, "virbr1");
    assert_xml_has(iso, 0, "<ip address='192.168.50.1' netmask='255.255.255.0'");
    evirt_network_unref(lan);
    evirt_network_unref(iso);
    flush(c);
    assert_int_equal(nevents, 0);
}

static void test_config_errors(void **state)
{
    (void)state;
    assert_null(evirt_conn_open(test_uri("test://" DATA "bad-network-dup.xml")));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_NETWORK,
                      "network 'twice' already exists with uuid "
                      "0a0b0c0d-0000-0000-0000-000000000001");
    const evirt_error *e = evirt_last_error();
    if (!strstr(e->message, "bad-network-dup.xml"))
        fail_msg("'%s' does not name the file", e->message);
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
        cmocka_unit_test_setup_teardown(test_lookups, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_default_facts, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_lists, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_list_filters, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_define_start_stop_undefine,
                                        open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_transient, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_redefine_active, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_undefine_active, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_define_transient, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_create_xml_defined, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_refusals, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_bridge_modes, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_event_filter, open_default, close_conn),
        cmocka_unit_test(test_read_only),
        cmocka_unit_test_setup_teardown(test_fresh_state, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_async, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_leases, open_config, close_conn),
        cmocka_unit_test_setup_teardown(test_config, open_config, close_conn),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
