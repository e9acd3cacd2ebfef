/*
 * tests/test-driver-interface.c - host interfaces of the test driver:
 * test:///default's eth1, lookups, lists, define/undefine, up/down, XML,
 * change transactions (begin/commit/rollback restoring exactly) and every
 * refusal, through the sync API and one async path; and interfaces loaded
 * from a config file.
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

/* What libvirt's test driver answers for `virsh iface-dumpxml eth1`. */
static const char eth1_xml[] =
    "<interface type='ethernet' name='eth1'>\n"
    "  <start mode='onboot'/>\n"
    "  <mtu size='1492'/>\n"
    "  <protocol family='ipv4'>\n"
    "    <ip address='192.168.0.5' prefix='24'/>\n"
    "    <route gateway='192.168.0.1'/>\n"
    "  </protocol>\n"
    "  <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "</interface>\n";

static const char eth2_xml[] =
    "<interface type='ethernet' name='eth2'>\n"
    "  <start mode='hotplug'/>\n"
    "  <mac address='52:54:00:00:00:02'/>\n"
    "</interface>\n";

static const char vlan_xml[] =
    "<interface type='vlan' name='eth2.42'>\n"
    "  <start mode='onboot'/>\n"
    "  <protocol family='ipv4'>\n"
    "    <dhcp/>\n"
    "  </protocol>\n"
    "  <vlan tag='42'>\n"
    "    <interface name='eth2'/>\n"
    "  </vlan>\n"
    "</interface>\n";

/* ------------------------------------------------------------- helpers */

static int open_default(void **state)
{
    evirt_conn *c = evirt_conn_open(test_uri("test:///default"));
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

static int count_all(evirt_conn *c, unsigned int flags)
{
    evirt_interface **list = NULL;
    int n = evirt_conn_list_all_interfaces(c, flags, &list);
    if (n >= 0)
        evirt_interface_list_free(list, n);
    return n;
}

/* Asserts the names a list call gives, in order ("" for none). */
static void assert_names(char **names, int n, const char *expect)
{
    char joined[512] = "";
    for (int i = 0; i < n; i++) {
        strcat(joined, i ? "," : "");
        strcat(joined, names[i]);
    }
    assert_string_equal(joined, expect);
    evirt_string_list_free(names, n);
}

static void assert_active_names(evirt_conn *c, const char *expect)
{
    char **names = NULL;
    int n = evirt_conn_list_interfaces(c, &names);
    assert_true(n >= 0);
    assert_int_equal(evirt_conn_num_of_interfaces(c), n);
    assert_names(names, n, expect);
}

static void assert_defined_names(evirt_conn *c, const char *expect)
{
    char **names = NULL;
    int n = evirt_conn_list_defined_interfaces(c, &names);
    assert_true(n >= 0);
    assert_int_equal(evirt_conn_num_of_defined_interfaces(c), n);
    assert_names(names, n, expect);
}

static char *xml_of(evirt_conn *c, const char *name)
{
    evirt_interface *i = evirt_interface_lookup_by_name(c, name);
    assert_non_null(i);
    char *xml = evirt_interface_get_xml_desc(i, 0);
    assert_non_null(xml);
    evirt_interface_unref(i);
    return xml;
}

static int is_active(evirt_conn *c, const char *name)
{
    evirt_interface *i = evirt_interface_lookup_by_name(c, name);
    assert_non_null(i);
    int r = evirt_interface_is_active(i);
    evirt_interface_unref(i);
    return r;
}

/* Everything a user can see of the interfaces: "name:state:xml;..." in
 * list order. */
static char *snapshot(evirt_conn *c)
{
    evirt_interface **list = NULL;
    int n = evirt_conn_list_all_interfaces(c, 0, &list);
    assert_true(n >= 0);
    size_t cap = 1, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    for (int i = 0; i < n; i++) {
        char *xml = evirt_interface_get_xml_desc(list[i], 0);
        assert_non_null(xml);
        int active = evirt_interface_is_active(list[i]);
        assert_true(active >= 0);
        const char *mac = evirt_interface_get_mac_string(list[i]);
        size_t need = strlen(evirt_interface_get_name(list[i])) + strlen(mac) +
                      strlen(xml) + 16;
        out = realloc(out, cap + need);
        assert_non_null(out);
        cap += need;
        len += (size_t)snprintf(out + len, cap - len, "%s:%s:%d:%s;",
                                evirt_interface_get_name(list[i]), mac, active,
                                xml);
        free(xml);
    }
    evirt_interface_list_free(list, n);
    return out;
}

static evirt_interface *define(evirt_conn *c, const char *xml)
{
    evirt_interface *i = evirt_interface_define_xml(c, xml, 0);
    assert_non_null(i);
    return i;
}

/* ------------------------------------------------------------ defaults */

static void test_default_state(void **state)
{
    evirt_conn *c = *state;
    assert_active_names(c, "eth1");
    assert_defined_names(c, "");
    assert_int_equal(count_all(c, 0), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_INTERFACES_ACTIVE), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_INTERFACES_INACTIVE), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_INTERFACES_ACTIVE |
                                  EVIRT_CONNECT_LIST_INTERFACES_INACTIVE), 1);
    assert_int_equal(count_all(c, 4), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x4)");

    char *xml = xml_of(c, "eth1");
    assert_string_equal(xml, eth1_xml);
    free(xml);
    assert_int_equal(is_active(c, "eth1"), 1);

    evirt_interface *i = evirt_interface_lookup_by_name(c, "eth1");
    assert_string_equal(evirt_interface_get_name(i), "eth1");
    assert_string_equal(evirt_interface_get_mac_string(i), "aa:bb:cc:dd:ee:ff");
    /* INACTIVE asks for the configuration: the same document here. */
    xml = evirt_interface_get_xml_desc(i, EVIRT_INTERFACE_XML_INACTIVE);
    assert_non_null(xml);
    assert_string_equal(xml, eth1_xml);
    free(xml);
    assert_null(evirt_interface_get_xml_desc(i, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x2)");
    evirt_interface_unref(i);
}

static void test_lookups(void **state)
{
    evirt_conn *c = *state;
    /* MACs match whatever their case. */
    const char *macs[] = { "aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF",
                           "Aa:bB:cc:DD:ee:Ff" };
    for (size_t k = 0; k < 3; k++) {
        evirt_interface *i = evirt_interface_lookup_by_mac_string(c, macs[k]);
        assert_non_null(i);
        assert_string_equal(evirt_interface_get_name(i), "eth1");
        assert_string_equal(evirt_interface_get_mac_string(i),
                            "aa:bb:cc:dd:ee:ff");
        evirt_interface_unref(i);
    }
    assert_null(evirt_interface_lookup_by_mac_string(c, "aa:bb:cc:dd:ee:fe"));
    assert_last_error(EVIRT_ERR_NO_INTERFACE,
                      "no interface with matching mac 'aa:bb:cc:dd:ee:fe'");
    assert_int_equal(evirt_last_error()->domain, EVIRT_FROM_TEST);
    assert_null(evirt_interface_lookup_by_name(c, "eth9"));
    assert_last_error(EVIRT_ERR_NO_INTERFACE,
                      "no interface with matching name 'eth9'");

    /* Two interfaces with one MAC: the lookup cannot choose. */
    evirt_interface *dup = define(c,
        "<interface type='ethernet' name='dup'>"
        "<mac address='AA:BB:CC:DD:EE:FF'/></interface>");
    assert_null(evirt_interface_lookup_by_mac_string(c, "aa:bb:cc:dd:ee:ff"));
    assert_last_error(EVIRT_ERR_MULTIPLE_INTERFACES, "aa:bb:cc:dd:ee:ff");
    assert_int_equal(evirt_interface_undefine(dup), 0);
    evirt_interface_unref(dup);
    evirt_interface *i = evirt_interface_lookup_by_mac_string(c, "AA:bb:cc:dd:ee:ff");
    assert_non_null(i);
    assert_string_equal(evirt_interface_get_name(i), "eth1");
    evirt_interface_unref(i);

    /* An interface without a MAC has "" as libvirt's handles do, and MAC
     * lookups find only interfaces that have one. */
    evirt_interface *nomac = define(c, "<interface type='bridge' name='br9'>"
                                       "<bridge/></interface>");
    assert_string_equal(evirt_interface_get_mac_string(nomac), "");
    assert_null(evirt_interface_lookup_by_mac_string(c, ""));
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    evirt_interface_unref(nomac);
}

/* --------------------------------------------------- define / undefine */

static void test_define(void **state)
{
    evirt_conn *c = *state;
    evirt_interface *i = define(c, eth2_xml);
    assert_string_equal(evirt_interface_get_name(i), "eth2");
    assert_string_equal(evirt_interface_get_mac_string(i), "52:54:00:00:00:02");
    /* New definitions are down. */
    assert_int_equal(evirt_interface_is_active(i), 0);
    assert_active_names(c, "eth1");
    assert_defined_names(c, "eth2");
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_INTERFACES_INACTIVE), 1);
    assert_int_equal(count_all(c, 0), 2);
    char *xml = evirt_interface_get_xml_desc(i, 0);
    assert_string_equal(xml, eth2_xml);
    free(xml);

    evirt_interface *v = evirt_interface_define_xml(c, vlan_xml,
                                                    EVIRT_INTERFACE_DEFINE_VALIDATE);
    assert_non_null(v);
    assert_string_equal(evirt_interface_get_mac_string(v), "");
    xml = evirt_interface_get_xml_desc(v, 0);
    assert_string_equal(xml, vlan_xml);
    free(xml);
    assert_defined_names(c, "eth2,eth2.42");
    evirt_interface_unref(v);

    /* Redefining an active interface replaces its definition and keeps it
     * up (libvirt's test driver does the same). */
    static const char eth1_new[] =
        "<interface type='ethernet' name='eth1'>\n"
        "  <start mode='none'/>\n"
        "  <mtu size='9000'/>\n"
        "  <mac address='aa:bb:cc:dd:ee:00'/>\n"
        "</interface>\n";
    evirt_interface *e = define(c, eth1_new);
    assert_string_equal(evirt_interface_get_mac_string(e), "aa:bb:cc:dd:ee:00");
    assert_int_equal(evirt_interface_is_active(e), 1);
    xml = evirt_interface_get_xml_desc(e, 0);
    assert_string_equal(xml, eth1_new);
    free(xml);
    assert_active_names(c, "eth1");
    assert_null(evirt_interface_lookup_by_mac_string(c, "aa:bb:cc:dd:ee:ff"));
    evirt_interface_unref(e);

    /* A redefinition of an inactive interface keeps it down. */
    evirt_interface *again = define(c, eth2_xml);
    assert_int_equal(evirt_interface_is_active(again), 0);
    assert_defined_names(c, "eth2,eth2.42");
    evirt_interface_unref(again);
    evirt_interface_unref(i);
}

static void test_define_errors(void **state)
{
    evirt_conn *c = *state;
    char *before = snapshot(c);
    static const struct {
        const char *xml;
        int code;
        const char *needle;
    } bad[] = {
        { "<interface type='ethernet' name='x'>", EVIRT_ERR_XML_DETAIL,
          "(interface_definition):1:" },
        { "<network><name>x</name></network>", EVIRT_ERR_XML_ERROR, NULL },
        { "<interface type='ethernet'/>", EVIRT_ERR_XML_ERROR, NULL },
        { "<interface type='token-ring' name='x'/>", EVIRT_ERR_XML_ERROR, NULL },
        { "<interface type='bridge' name='x'/>", EVIRT_ERR_XML_ERROR, NULL },
        { "<interface type='vlan' name='x'><vlan/></interface>",
          EVIRT_ERR_XML_ERROR, NULL },
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        assert_null(evirt_interface_define_xml(c, bad[k].xml, 0));
        assert_last_error(bad[k].code, bad[k].needle);
    }
    assert_null(evirt_interface_define_xml(c, eth2_xml, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x2)");
    /* Failures change nothing. */
    char *after = snapshot(c);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_undefine(void **state)
{
    evirt_conn *c = *state;
    evirt_interface *i = define(c, eth2_xml);
    assert_int_equal(evirt_interface_undefine(i), 0);
    assert_defined_names(c, "");
    assert_int_equal(count_all(c, 0), 1);

    /* The handle outlives the interface; every call on it says so. */
    assert_int_equal(evirt_interface_undefine(i), -1);
    assert_last_error(EVIRT_ERR_NO_INTERFACE, "no interface with matching name 'eth2'");
    assert_int_equal(evirt_interface_is_active(i), -1);
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    assert_null(evirt_interface_get_xml_desc(i, 0));
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    assert_int_equal(evirt_interface_create(i, 0), -1);
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    assert_int_equal(evirt_interface_destroy(i, 0), -1);
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    assert_null(evirt_interface_lookup_by_name(c, "eth2"));
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    evirt_interface_unref(i);

    /* libvirt's test driver undefines an active interface too. */
    evirt_interface *e = evirt_interface_lookup_by_name(c, "eth1");
    assert_int_equal(evirt_interface_undefine(e), 0);
    assert_active_names(c, "");
    assert_int_equal(count_all(c, 0), 0);
    assert_null(evirt_interface_lookup_by_mac_string(c, "aa:bb:cc:dd:ee:ff"));
    assert_last_error(EVIRT_ERR_NO_INTERFACE, NULL);
    evirt_interface_unref(e);
}

/* ------------------------------------------------------- up and down */

static void test_create_destroy(void **state)
{
    evirt_conn *c = *state;
    evirt_interface *i = define(c, eth2_xml);
    assert_int_equal(evirt_interface_create(i, 0), 0);
    assert_int_equal(evirt_interface_is_active(i), 1);
    assert_active_names(c, "eth1,eth2");
    assert_defined_names(c, "");
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_INTERFACES_ACTIVE), 2);

    assert_int_equal(evirt_interface_create(i, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_int_equal(evirt_last_error()->domain, EVIRT_FROM_TEST);
    assert_int_equal(evirt_interface_is_active(i), 1);

    assert_int_equal(evirt_interface_destroy(i, 0), 0);
    assert_int_equal(evirt_interface_is_active(i), 0);
    assert_active_names(c, "eth1");
    assert_defined_names(c, "eth2");
    assert_int_equal(evirt_interface_destroy(i, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_int_equal(evirt_interface_is_active(i), 0);

    assert_int_equal(evirt_interface_create(i, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x1)");
    assert_int_equal(evirt_interface_is_active(i), 0);
    evirt_interface *e = evirt_interface_lookup_by_name(c, "eth1");
    assert_int_equal(evirt_interface_destroy(e, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x1)");
    assert_int_equal(evirt_interface_is_active(e), 1);

    /* eth1 can go down and come back. */
    assert_int_equal(evirt_interface_destroy(e, 0), 0);
    assert_active_names(c, "");
    assert_defined_names(c, "eth1,eth2");
    assert_int_equal(evirt_interface_create(e, 0), 0);
    assert_active_names(c, "eth1");
    evirt_interface_unref(e);
    evirt_interface_unref(i);
}

/* -------------------------------------------------------- transactions */

/* Changes every part of the configuration: definitions, states, order. */
static void change_everything(evirt_conn *c)
{
    evirt_interface *e = evirt_interface_lookup_by_name(c, "eth1");
    assert_int_equal(evirt_interface_destroy(e, 0), 0);
    assert_int_equal(evirt_interface_undefine(e), 0);
    evirt_interface_unref(e);
    evirt_interface *i = define(c, vlan_xml);
    assert_int_equal(evirt_interface_create(i, 0), 0);
    evirt_interface_unref(i);
    i = define(c,
        "<interface type='ethernet' name='eth1'><mac address='00:00:00:00:00:01'/>"
        "</interface>");
    evirt_interface_unref(i);
    i = define(c, "<interface type='ethernet' name='eth2'><mtu size='1400'/>"
                  "</interface>");
    assert_int_equal(evirt_interface_create(i, 0), 0);
    evirt_interface_unref(i);
}

static void test_rollback_restores_exactly(void **state)
{
    evirt_conn *c = *state;
    /* A richer starting point: two interfaces, one down, and order. */
    evirt_interface *i = define(c, eth2_xml);
    evirt_interface_unref(i);
    i = define(c, "<interface type='bridge' name='br0'><start mode='onboot'/>"
                  "<bridge stp='on' delay='2'><interface type='ethernet' "
                  "name='eth3'><mac address='52:54:00:00:00:03'/></interface>"
                  "</bridge></interface>");
    assert_int_equal(evirt_interface_create(i, 0), 0);
    evirt_interface_unref(i);

    char *before = snapshot(c);
    assert_int_equal(evirt_interface_change_begin(c, 0), 0);
    change_everything(c);
    char *during = snapshot(c);
    assert_string_not_equal(before, during);
    /* eth2 was redefined in place; eth1 came back at the end. */
    assert_active_names(c, "eth2,br0,eth2.42");
    assert_defined_names(c, "eth1");

    assert_int_equal(evirt_interface_change_rollback(c, 0), 0);
    char *after = snapshot(c);
    assert_string_equal(before, after);
    assert_active_names(c, "eth1,br0");
    assert_defined_names(c, "eth2");
    char *xml = xml_of(c, "eth1");
    assert_string_equal(xml, eth1_xml);
    free(xml);
    i = evirt_interface_lookup_by_mac_string(c, "aa:bb:cc:dd:ee:ff");
    assert_non_null(i);
    evirt_interface_unref(i);

    /* The transaction is over: nothing left to commit or roll back. */
    assert_int_equal(evirt_interface_change_rollback(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID,
                      "no transaction running, nothing to rollback.");
    assert_int_equal(evirt_interface_change_commit(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID,
                      "no transaction running, nothing to be committed.");

    /* A second transaction starts from the state now. */
    assert_int_equal(evirt_interface_change_begin(c, 0), 0);
    i = evirt_interface_lookup_by_name(c, "br0");
    assert_int_equal(evirt_interface_undefine(i), 0);
    evirt_interface_unref(i);
    assert_int_equal(evirt_interface_change_rollback(c, 0), 0);
    char *again = snapshot(c);
    assert_string_equal(before, again);

    free(before);
    free(during);
    free(after);
    free(again);
}

static void test_commit_keeps_changes(void **state)
{
    evirt_conn *c = *state;
    assert_int_equal(evirt_interface_change_begin(c, 0), 0);
    change_everything(c);
    char *during = snapshot(c);
    assert_int_equal(evirt_interface_change_commit(c, 0), 0);
    char *after = snapshot(c);
    assert_string_equal(during, after);
    assert_int_equal(evirt_interface_change_rollback(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, "nothing to rollback");
    char *still = snapshot(c);
    assert_string_equal(during, still);
    free(during);
    free(after);
    free(still);
}

static void test_transaction_errors(void **state)
{
    evirt_conn *c = *state;
    assert_int_equal(evirt_interface_change_commit(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID,
                      "no transaction running, nothing to be committed.");
    assert_int_equal(evirt_last_error()->domain, EVIRT_FROM_TEST);
    assert_int_equal(evirt_interface_change_rollback(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID,
                      "no transaction running, nothing to rollback.");
    assert_int_equal(evirt_interface_change_begin(c, 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x1)");
    /* The refused begin started nothing. */
    assert_int_equal(evirt_interface_change_commit(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);

    char *before = snapshot(c);
    assert_int_equal(evirt_interface_change_begin(c, 0), 0);
    evirt_interface *i = define(c, eth2_xml);
    evirt_interface_unref(i);
    assert_int_equal(evirt_interface_change_begin(c, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID,
                      "there is another transaction running.");
    assert_int_equal(evirt_interface_change_commit(c, 2), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x2)");
    assert_int_equal(evirt_interface_change_rollback(c, 2), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, "unsupported flags (0x2)");
    /* The second begin did not replace the first snapshot. */
    assert_int_equal(evirt_interface_change_rollback(c, 0), 0);
    char *after = snapshot(c);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* Closing with a transaction open frees its snapshot (ASan checks). */
    assert_int_equal(evirt_interface_change_begin(c, 0), 0);
}

/* Each connection to test:///default has its own interfaces. */
static void test_connections_independent(void **state)
{
    evirt_conn *c = *state;
    evirt_interface *e = evirt_interface_lookup_by_name(c, "eth1");
    assert_int_equal(evirt_interface_undefine(e), 0);
    evirt_interface_unref(e);
    assert_int_equal(evirt_interface_change_begin(c, 0), 0);

    evirt_conn *other = evirt_conn_open(test_uri("test:///default"));
    assert_non_null(other);
    assert_active_names(other, "eth1");
    /* ... and its own transaction. */
    assert_int_equal(evirt_interface_change_commit(other, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, NULL);
    evirt_conn_close(other);
    /* The snapshot was taken after eth1 went away. */
    assert_int_equal(evirt_interface_change_rollback(c, 0), 0);
    assert_active_names(c, "");
}

/* ------------------------------------------------------------- async */

typedef struct done {
    int calls;
    int ret;
    int code;
} done;

static void begin_done(evirt_op *op, void *opaque)
{
    done *d = opaque;
    d->calls++;
    d->ret = evirt_interface_change_begin_finish(op);
    d->code = d->ret < 0 ? evirt_op_error(op)->code : 0;
}

static void rollback_done(evirt_op *op, void *opaque)
{
    done *d = opaque;
    d->calls++;
    d->ret = evirt_interface_change_rollback_finish(op);
    d->code = d->ret < 0 ? evirt_op_error(op)->code : 0;
}

static void lookup_done(evirt_op *op, void *opaque)
{
    done *d = opaque;
    d->calls++;
    evirt_interface *i = evirt_interface_lookup_by_mac_string_finish(op);
    d->ret = i ? 0 : -1;
    d->code = i ? 0 : evirt_op_error(op)->code;
    if (i) {
        assert_string_equal(evirt_interface_get_name(i), "eth1");
        evirt_interface_unref(i);
    }
}

static void run_until(evirt_loop *loop, done *d)
{
    for (int k = 0; k < 1000 && !d->calls; k++)
        evirt_loop_run_once(loop);
    assert_int_equal(d->calls, 1);
}

static void test_async(void **state)
{
    (void)state;
    evirt_loop *loop = evirt_loop_new(NULL);
    assert_non_null(loop);
    evirt_conn *c = evirt_conn_open_on(loop, test_uri("test:///default"), NULL, 0);
    assert_non_null(c);

    done a = { 0 };
    assert_non_null(evirt_interface_change_begin_async(c, 0, begin_done, &a));
    /* Never from inside the call that started it. */
    assert_int_equal(a.calls, 0);
    run_until(loop, &a);
    assert_int_equal(a.ret, 0);

    done b = { 0 };
    assert_non_null(evirt_interface_change_begin_async(c, 0, begin_done, &b));
    run_until(loop, &b);
    assert_int_equal(b.ret, -1);
    assert_int_equal(b.code, EVIRT_ERR_OPERATION_INVALID);

    evirt_interface *e = evirt_interface_lookup_by_name(c, "eth1");
    assert_int_equal(evirt_interface_destroy(e, 0), 0);
    evirt_interface_unref(e);

    done r = { 0 };
    assert_non_null(evirt_interface_change_rollback_async(c, 0, rollback_done, &r));
    assert_int_equal(r.calls, 0);
    run_until(loop, &r);
    assert_int_equal(r.ret, 0);
    assert_active_names(c, "eth1");

    done l = { 0 };
    assert_non_null(evirt_interface_lookup_by_mac_string_async(
                        c, "AA:BB:CC:DD:EE:FF", lookup_done, &l));
    run_until(loop, &l);
    assert_int_equal(l.ret, 0);
    done m = { 0 };
    assert_non_null(evirt_interface_lookup_by_mac_string_async(
                        c, "00:00:00:00:00:00", lookup_done, &m));
    run_until(loop, &m);
    assert_int_equal(m.code, EVIRT_ERR_NO_INTERFACE);

    evirt_conn_close(c);
    evirt_loop_free(loop);
}

/* --------------------------------------------------------- config file */

static void test_config(void **state)
{
    (void)state;
    evirt_conn *c = evirt_conn_open(test_uri("test://" DATA "ifdev.xml"));
    assert_non_null(c);
    /* Loaded interfaces are up, in file order. */
    assert_active_names(c, "eth0,br0");
    assert_defined_names(c, "");
    char *xml = xml_of(c, "eth0");
    assert_string_equal(xml,
                        "<interface type='ethernet' name='eth0'>\n"
                        "  <start mode='onboot'/>\n"
                        "  <mac address='52:54:00:12:34:56'/>\n"
                        "</interface>\n");
    free(xml);
    evirt_interface *i = evirt_interface_lookup_by_mac_string(c, "52:54:00:12:34:56");
    assert_non_null(i);
    assert_string_equal(evirt_interface_get_name(i), "eth0");
    evirt_interface_unref(i);
    /* A bridge's member is not a host interface of its own. */
    assert_null(evirt_interface_lookup_by_name(c, "eth1"));
    assert_null(evirt_interface_lookup_by_mac_string(c, "52:54:00:ab:cd:ef"));

    /* br0 came from a file next to the config, written as libvirt does. */
    xml = xml_of(c, "br0");
    assert_string_equal(xml,
                        "<interface type='bridge' name='br0'>\n"
                        "  <start mode='onboot'/>\n"
                        "  <mtu size='1500'/>\n"
                        "  <protocol family='ipv4'>\n"
                        "    <dhcp/>\n"
                        "  </protocol>\n"
                        "  <bridge stp='off' delay='0.01'>\n"
                        "    <interface type='ethernet' name='eth1'>\n"
                        "      <mac address='52:54:00:ab:cd:ef'/>\n"
                        "    </interface>\n"
                        "  </bridge>\n"
                        "</interface>\n");
    free(xml);
    evirt_conn_close(c);
}

static void test_config_errors(void **state)
{
    (void)state;
    assert_null(evirt_conn_open(test_uri("test://" DATA "bad-iface.xml")));
    assert_last_error(EVIRT_ERR_XML_ERROR, DATA "bad-iface.xml");
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
        cmocka_unit_test_setup_teardown(test_default_state, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_lookups, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_define, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_define_errors, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_undefine, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_create_destroy, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_rollback_restores_exactly, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_commit_keeps_changes, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_transaction_errors, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_connections_independent, open_default,
                                        close_conn),
        cmocka_unit_test(test_async),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
