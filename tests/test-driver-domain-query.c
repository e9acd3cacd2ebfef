/*
 * tests/test-driver-domain-query.c - the test driver's domain lookups,
 * lists, facts and definition operations (define, undefine, create from
 * XML) with their events, against test:///default and a config file.
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
#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static const char new_xml[] =
    "<domain type='test'>"
    "  <name>extra</name>"
    "  <uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "  <memory>131072</memory>"
    "  <vcpu>3</vcpu>"
    "  <os><type>hvm</type></os>"
    "  <devices>"
    "    <interface type='network'><source network='default'/></interface>"
    "    <interface type='network'><source network='default'/>"
    "      <target dev='testnet0'/></interface>"
    "  </devices>"
    "</domain>";

/* ------------------------------------------------------------- helpers */

typedef struct {
    char name[64];
    int event, detail;
} seen_event;

static seen_event events[32];
static int nevents;

static void on_lifecycle(evirt_conn *conn, evirt_domain *dom, int event,
                         int detail, void *opaque)
{
    (void)conn; (void)opaque;
    if (nevents < 32) {
        snprintf(events[nevents].name, sizeof(events[nevents].name), "%s",
                 evirt_domain_get_name(dom));
        events[nevents].event = event;
        events[nevents].detail = detail;
        nevents++;
    }
}

/* Opens test:///default with a lifecycle callback counting into events[]. */
static int open_default(void **state)
{
    evirt_conn *c = evirt_conn_open(test_uri("test:///default"));
    assert_non_null(c);
    nevents = 0;
    assert_true(evirt_conn_domain_event_register_any(
                    c, NULL, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
                    EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, NULL) > 0);
    *state = c;
    return 0;
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

static void assert_event(int i, const char *name, int event, int detail)
{
    if (i >= nevents)
        fail_msg("event %d missing (%d seen)", i, nevents);
    assert_string_equal(events[i].name, name);
    assert_int_equal(events[i].event, event);
    assert_int_equal(events[i].detail, detail);
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
    evirt_domain **list = NULL;
    int n = evirt_conn_list_all_domains(c, flags, &list);
    if (n >= 0)
        evirt_domain_list_free(list, n);
    return n;
}

/* ------------------------------------------------------ default domain */

static void test_lookups(void **state)
{
    evirt_conn *c = *state;
    evirt_domain *d = evirt_domain_lookup_by_name(c, "test");
    assert_non_null(d);
    assert_int_equal(evirt_domain_get_id(d), 1);
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    assert_int_equal(evirt_domain_get_uuid_string(d, uuid), 0);
    assert_string_equal(uuid, TEST_UUID);
    evirt_domain_unref(d);

    d = evirt_domain_lookup_by_id(c, 1);
    assert_non_null(d);
    assert_string_equal(evirt_domain_get_name(d), "test");
    unsigned char raw[16];
    evirt_domain_get_uuid(d, raw);
    evirt_domain_unref(d);
    d = evirt_domain_lookup_by_uuid(c, raw);
    assert_non_null(d);
    assert_string_equal(evirt_domain_get_name(d), "test");
    evirt_domain_unref(d);
    d = evirt_domain_lookup_by_uuid_string(c, TEST_UUID);
    assert_non_null(d);
    evirt_domain_unref(d);

    assert_null(evirt_domain_lookup_by_name(c, "nope"));
    assert_last_error(EVIRT_ERR_NO_DOMAIN, EVIRT_FROM_TEST, "'nope'");
    assert_null(evirt_domain_lookup_by_id(c, 7));
    assert_last_error(EVIRT_ERR_NO_DOMAIN, EVIRT_FROM_TEST, "7");
    assert_null(evirt_domain_lookup_by_uuid_string(
        c, "11111111-f6a4-8304-79aa-97f2502e193f"));
    assert_last_error(EVIRT_ERR_NO_DOMAIN, EVIRT_FROM_TEST, NULL);
    assert_null(evirt_domain_lookup_by_uuid_string(c, "zz"));
    assert_last_error(EVIRT_ERR_INVALID_ARG, -1, NULL);
}

static void test_facts(void **state)
{
    evirt_conn *c = *state;
    evirt_domain *d = evirt_domain_lookup_by_name(c, "test");
    assert_non_null(d);

    evirt_domain_info info;
    assert_int_equal(evirt_domain_get_info(d, &info), 0);
    assert_int_equal(info.state, EVIRT_DOMAIN_RUNNING);
    assert_int_equal(info.max_mem, 8388608);
    assert_int_equal(info.memory, 2097152);
    assert_int_equal(info.nr_virt_cpu, 2);
    assert_true(info.cpu_time > 0);

    evirt_domain_state_info st;
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_RUNNING);
    assert_int_equal(st.reason, EVIRT_DOMAIN_RUNNING_UNKNOWN);
    assert_int_equal(evirt_domain_get_state(d, 1, &st), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");

    char *s = evirt_domain_get_os_type(d);
    assert_string_equal(s, "linux");
    free(s);
    s = evirt_domain_get_hostname(d, 0);
    assert_string_equal(s, "testhost");
    free(s);
    evirt_domain_time t;
    assert_int_equal(evirt_domain_get_time(d, 0, &t), 0);
    assert_int_equal(t.seconds, 627319920);
    assert_int_equal(t.nseconds, 0);

    unsigned long mem = 0;
    assert_int_equal(evirt_domain_get_max_memory(d, &mem), 0);
    assert_int_equal(mem, 8388608);
    assert_int_equal(evirt_domain_get_max_vcpus(d), 2);
    assert_int_equal(evirt_domain_has_current_snapshot(d, 0), 0);
    assert_int_equal(evirt_domain_has_managed_save_image(d, 0), 0);
    assert_int_equal(evirt_domain_is_active(d), 1);
    assert_int_equal(evirt_domain_is_persistent(d), 1);
    assert_int_equal(evirt_domain_is_updated(d), 0);
    assert_int_equal(evirt_domain_get_autostart(d), 0);
    evirt_domain_unref(d);
}

static void test_xml_desc(void **state)
{
    evirt_conn *c = *state;
    evirt_domain *d = evirt_domain_lookup_by_name(c, "test");
    char *xml = evirt_domain_get_xml_desc(d, 0);
    assert_non_null(xml);
    static const char *const expect[] = {
        "<domain type='test' id='1'>",
        "<name>test</name>",
        "<uuid>" TEST_UUID "</uuid>",
        "<memory unit='KiB'>8388608</memory>",
        "<currentMemory unit='KiB'>2097152</currentMemory>",
        "<type arch='i686'>hvm</type>",
        "<source file='/guest/diskimage1'/>",
        "<mac address='aa:bb:cc:dd:ee:ff'/>",
        "<target dev='testnet0'/>",
        "<memballoon model='virtio'>",
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        if (!strstr(xml, expect[i]))
            fail_msg("XML lacks %s:\n%s", expect[i], xml);
    free(xml);
    xml = evirt_domain_get_xml_desc(d, EVIRT_DOMAIN_XML_INACTIVE |
                                       EVIRT_DOMAIN_XML_SECURE);
    assert_non_null(strstr(xml, "<domain type='test'>"));
    free(xml);
    assert_null(evirt_domain_get_xml_desc(d, 64));
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");
    evirt_domain_unref(d);
}

static void test_lists(void **state)
{
    evirt_conn *c = *state;
    int *ids = NULL;
    assert_int_equal(evirt_conn_list_domains(c, &ids), 1);
    assert_int_equal(ids[0], 1);
    free(ids);
    char **names = NULL;
    assert_int_equal(evirt_conn_list_defined_domains(c, &names), 0);
    evirt_string_list_free(names, 0);
    assert_int_equal(evirt_conn_num_of_domains(c), 1);
    assert_int_equal(evirt_conn_num_of_defined_domains(c), 0);

    evirt_domain *d = evirt_domain_define_xml(c, new_xml);
    assert_non_null(d);
    assert_int_equal(evirt_domain_get_id(d), -1);
    evirt_domain_unref(d);
    assert_int_equal(evirt_conn_num_of_defined_domains(c), 1);
    assert_int_equal(evirt_conn_list_defined_domains(c, &names), 1);
    assert_string_equal(names[0], "extra");
    evirt_string_list_free(names, 1);

    evirt_domain **all = NULL;
    int n = evirt_conn_list_all_domains(c, 0, &all);
    assert_int_equal(n, 2);
    assert_string_equal(evirt_domain_get_name(all[0]), "test");
    assert_int_equal(evirt_domain_get_id(all[0]), 1);
    assert_string_equal(evirt_domain_get_name(all[1]), "extra");
    evirt_domain_list_free(all, n);

    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_INACTIVE), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE |
                                  EVIRT_CONNECT_LIST_DOMAINS_INACTIVE), 2);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_PERSISTENT), 2);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_TRANSIENT), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_RUNNING), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_SHUTOFF), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_PAUSED |
                                  EVIRT_CONNECT_LIST_DOMAINS_OTHER), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_MANAGEDSAVE), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE), 2);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_AUTOSTART), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_NO_AUTOSTART), 2);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_NO_SNAPSHOT), 2);
    /* Groups combine with AND. */
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE |
                                  EVIRT_CONNECT_LIST_DOMAINS_SHUTOFF), 0);
    assert_int_equal(count_all(c, 1u << 20), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");
}

/* -------------------------------------------------- define / undefine */

static void test_define_undefine(void **state)
{
    evirt_conn *c = *state;
    evirt_domain *d = evirt_domain_define_xml(c, new_xml);
    assert_non_null(d);
    assert_int_equal(evirt_domain_is_active(d), 0);
    assert_int_equal(evirt_domain_is_persistent(d), 1);
    evirt_domain_state_info st;
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_SHUTOFF);
    assert_null(evirt_domain_get_hostname(d, 0));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_DOMAIN, "not running");
    evirt_domain_time t;
    assert_int_equal(evirt_domain_get_time(d, 0, &t), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_DOMAIN, "not running");

    /* Interfaces got the free testnetN names. */
    char *xml = evirt_domain_get_xml_desc(d, 0);
    assert_non_null(strstr(xml, "<target dev='testnet1'/>"));
    assert_non_null(strstr(xml, "<target dev='testnet0'/>"));
    assert_non_null(strstr(xml, "<domain type='test'>"));
    free(xml);

    /* Redefining the same domain updates it. */
    char *bigger = strdup(new_xml);
    memcpy(strstr(bigger, "131072"), "262144", 6);
    evirt_domain *d2 = evirt_domain_define_xml_flags(c, bigger,
                                                     EVIRT_DOMAIN_DEFINE_VALIDATE);
    assert_non_null(d2);
    unsigned long mem;
    assert_int_equal(evirt_domain_get_max_memory(d, &mem), 0);
    assert_int_equal(mem, 262144);
    evirt_domain_unref(d2);

    /* Same name, another UUID; same UUID, another name: refused. */
    char *other = strdup(new_xml);
    memcpy(strstr(other, "11111111"), "99999999", 8);
    assert_null(evirt_domain_define_xml(c, other));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_DOMAIN,
                      "domain 'extra' already exists with uuid "
                      "11111111-2222-3333-4444-555555555555");
    memcpy(strstr(bigger, "<name>extra"), "<name>other", 11);
    assert_null(evirt_domain_define_xml(c, bigger));
    assert_last_error(EVIRT_ERR_OPERATION_FAILED, EVIRT_FROM_DOMAIN,
                      "domain 'extra' is already defined with uuid "
                      "11111111-2222-3333-4444-555555555555");
    free(other);
    free(bigger);

    assert_null(evirt_domain_define_xml(c, "<domain type='test'><name>x</name"));
    assert_last_error(EVIRT_ERR_XML_DETAIL, -1, NULL);
    assert_null(evirt_domain_define_xml_flags(c, new_xml, 2));
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");

    assert_int_equal(evirt_domain_undefine_flags(d, 4), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");
    assert_int_equal(evirt_domain_undefine_flags(
                         d, EVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE |
                            EVIRT_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA), 0);
    assert_null(evirt_domain_lookup_by_name(c, "extra"));
    /* The handle now names nothing. */
    assert_int_equal(evirt_domain_is_active(d), -1);
    assert_last_error(EVIRT_ERR_NO_DOMAIN, EVIRT_FROM_TEST,
                      "no domain with matching uuid "
                      "'11111111-2222-3333-4444-555555555555' (extra)");
    assert_int_equal(evirt_domain_undefine(d), -1);
    evirt_domain_unref(d);

    flush(c);
    assert_int_equal(nevents, 3);
    assert_event(0, "extra", EVIRT_DOMAIN_EVENT_DEFINED,
                 EVIRT_DOMAIN_EVENT_DEFINED_ADDED);
    assert_event(1, "extra", EVIRT_DOMAIN_EVENT_DEFINED,
                 EVIRT_DOMAIN_EVENT_DEFINED_UPDATED);
    assert_event(2, "extra", EVIRT_DOMAIN_EVENT_UNDEFINED,
                 EVIRT_DOMAIN_EVENT_UNDEFINED_REMOVED);
}

static void test_define_running(void **state)
{
    evirt_conn *c = *state;
    /* Redefining the running persistent "test": the change waits for the
     * next boot. */
    evirt_domain *d = evirt_domain_lookup_by_name(c, "test");
    char *xml = evirt_domain_get_xml_desc(d, EVIRT_DOMAIN_XML_INACTIVE);
    char *p = strstr(xml, "<vcpu placement='static'>2</vcpu>");
    if (!p)
        p = strstr(xml, "<vcpu>2</vcpu>");
    assert_non_null(p);
    *strchr(p, '2') = '4';
    evirt_domain *d2 = evirt_domain_define_xml(c, xml);
    free(xml);
    assert_non_null(d2);
    assert_int_equal(evirt_domain_get_id(d2), 1);
    evirt_domain_unref(d2);
    assert_int_equal(evirt_domain_is_updated(d), 1);
    assert_int_equal(evirt_domain_get_max_vcpus(d), 2);
    xml = evirt_domain_get_xml_desc(d, EVIRT_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(xml, ">4</vcpu>"));
    free(xml);
    xml = evirt_domain_get_xml_desc(d, 0);
    assert_non_null(strstr(xml, ">2</vcpu>"));
    free(xml);

    /* Undefining it leaves it running, transient. */
    assert_int_equal(evirt_domain_undefine(d), 0);
    assert_int_equal(evirt_domain_is_active(d), 1);
    assert_int_equal(evirt_domain_is_persistent(d), 0);
    assert_int_equal(evirt_domain_is_updated(d), 0);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_TRANSIENT), 1);
    assert_int_equal(evirt_domain_undefine(d), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_TEST, "transient");

    /* Defining a running transient domain makes it persistent again. */
    xml = evirt_domain_get_xml_desc(d, 0);
    d2 = evirt_domain_define_xml(c, xml);
    free(xml);
    assert_non_null(d2);
    evirt_domain_unref(d2);
    assert_int_equal(evirt_domain_is_persistent(d), 1);
    assert_int_equal(evirt_domain_is_active(d), 1);
    assert_int_equal(evirt_domain_is_updated(d), 1);
    evirt_domain_unref(d);

    flush(c);
    assert_int_equal(nevents, 3);
    assert_event(0, "test", EVIRT_DOMAIN_EVENT_DEFINED,
                 EVIRT_DOMAIN_EVENT_DEFINED_UPDATED);
    assert_event(1, "test", EVIRT_DOMAIN_EVENT_UNDEFINED,
                 EVIRT_DOMAIN_EVENT_UNDEFINED_REMOVED);
    assert_event(2, "test", EVIRT_DOMAIN_EVENT_DEFINED,
                 EVIRT_DOMAIN_EVENT_DEFINED_ADDED);
}

static void test_create_xml(void **state)
{
    evirt_conn *c = *state;
    evirt_domain *d = evirt_domain_create_xml(c, new_xml, 0);
    assert_non_null(d);
    assert_int_equal(evirt_domain_get_id(d), 2);
    assert_int_equal(evirt_domain_is_active(d), 1);
    assert_int_equal(evirt_domain_is_persistent(d), 0);
    evirt_domain_state_info st;
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_RUNNING);
    assert_int_equal(st.reason, EVIRT_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(evirt_conn_num_of_domains(c), 2);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_TRANSIENT), 1);
    evirt_domain *byid = evirt_domain_lookup_by_id(c, 2);
    assert_string_equal(evirt_domain_get_name(byid), "extra");
    evirt_domain_unref(byid);

    /* Running already: refused. */
    assert_null(evirt_domain_create_xml(c, new_xml, 0));
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_DOMAIN,
                      "already active");
    evirt_domain_unref(d);

    /* Paused start. */
    char *paused = strdup(new_xml);
    memcpy(strstr(paused, "<name>extra"), "<name>third", 11);
    memcpy(strstr(paused, "11111111"), "33333333", 8);
    d = evirt_domain_create_xml(c, paused, EVIRT_DOMAIN_START_PAUSED);
    free(paused);
    assert_non_null(d);
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_PAUSED);
    assert_int_equal(st.reason, EVIRT_DOMAIN_PAUSED_USER);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_PAUSED), 1);
    assert_int_equal(evirt_domain_get_id(d), 3);
    evirt_domain_time t;
    assert_int_equal(evirt_domain_get_time(d, 0, &t), -1);
    evirt_domain_unref(d);

    assert_null(evirt_domain_create_xml(c, "<domain", 0));
    assert_last_error(EVIRT_ERR_XML_DETAIL, -1, NULL);
    assert_null(evirt_domain_create_xml(c, new_xml, 1u << 7));
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");

    flush(c);
    assert_int_equal(nevents, 3);
    assert_event(0, "extra", EVIRT_DOMAIN_EVENT_STARTED,
                 EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(1, "third", EVIRT_DOMAIN_EVENT_STARTED,
                 EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(2, "third", EVIRT_DOMAIN_EVENT_SUSPENDED,
                 EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);

    /* Each test:///default connection starts from a fresh state. */
    evirt_conn *c2 = evirt_conn_open(test_uri("test:///default"));
    assert_int_equal(evirt_conn_num_of_domains(c2), 1);
    assert_null(evirt_domain_lookup_by_name(c2, "extra"));
    evirt_conn_close(c2);
}

static void test_create_defined(void **state)
{
    evirt_conn *c = *state;
    evirt_domain *d = evirt_domain_define_xml(c, new_xml);
    assert_non_null(d);
    evirt_domain_unref(d);
    /* Creating over a defined, inactive domain runs it; it stays
     * persistent and keeps its config as the next-boot definition. */
    char *changed = strdup(new_xml);
    memcpy(strstr(changed, "131072"), "262144", 6);
    d = evirt_domain_create_xml(c, changed, 0);
    free(changed);
    assert_non_null(d);
    assert_int_equal(evirt_domain_is_active(d), 1);
    assert_int_equal(evirt_domain_is_persistent(d), 1);
    unsigned long mem;
    assert_int_equal(evirt_domain_get_max_memory(d, &mem), 0);
    assert_int_equal(mem, 262144);
    char *xml = evirt_domain_get_xml_desc(d, EVIRT_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(xml, "131072"));
    free(xml);
    evirt_domain_unref(d);
}

/* ---------------------------------------------------------- config file */

static void test_config_domains(void **state)
{
    (void)state;
    evirt_conn *c = evirt_conn_open(test_uri("test://" DATA "node.xml"));
    assert_non_null(c);
    assert_int_equal(count_all(c, 0), 4);
    assert_int_equal(evirt_conn_num_of_domains(c), 2);
    assert_int_equal(evirt_conn_num_of_defined_domains(c), 2);

    evirt_domain *d = evirt_domain_lookup_by_name(c, "fv0");
    assert_non_null(d);
    assert_int_equal(evirt_domain_get_id(d), 1);
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    evirt_domain_get_uuid_string(d, uuid);
    assert_string_equal(uuid, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    evirt_domain_state_info st;
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_RUNNING);
    assert_int_equal(st.reason, 0);
    assert_int_equal(evirt_domain_get_max_vcpus(d), 3);
    char *xml = evirt_domain_get_xml_desc(d, 0);
    assert_non_null(strstr(xml, "<target dev='testnet0'/>"));
    assert_null(strstr(xml, "runstate"));
    free(xml);
    evirt_domain_unref(d);

    d = evirt_domain_lookup_by_name(c, "paused");
    assert_int_equal(evirt_domain_get_id(d), 2);
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_PAUSED);
    assert_int_equal(evirt_domain_is_persistent(d), 0);
    evirt_domain_unref(d);

    d = evirt_domain_lookup_by_name(c, "inline");
    assert_int_equal(evirt_domain_get_id(d), -1);
    assert_int_equal(evirt_domain_is_active(d), 0);
    assert_int_equal(evirt_domain_is_persistent(d), 1);
    xml = evirt_domain_get_xml_desc(d, 0);
    assert_null(strstr(xml, "test:"));
    free(xml);
    evirt_domain_unref(d);

    d = evirt_domain_lookup_by_name(c, "saved");
    assert_int_equal(evirt_domain_has_managed_save_image(d, 0), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_MANAGEDSAVE), 1);
    assert_int_equal(evirt_domain_undefine(d), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID, EVIRT_FROM_TEST,
                      "managed save image exists");
    assert_int_equal(evirt_domain_undefine_flags(
                         d, EVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE), 0);
    evirt_domain_unref(d);
    assert_int_equal(count_all(c, 0), 3);

    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_TRANSIENT), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_PAUSED), 1);
    assert_int_equal(count_all(c, EVIRT_CONNECT_LIST_DOMAINS_RUNNING |
                                  EVIRT_CONNECT_LIST_DOMAINS_PAUSED), 2);
    /* The next started domain gets the next id. */
    char *other = strdup(new_xml);
    d = evirt_domain_create_xml(c, other, 0);
    free(other);
    assert_int_equal(evirt_domain_get_id(d), 3);
    evirt_domain_unref(d);
    evirt_conn_close(c);
}

/* Expected errors are asserted, not logged. */
static void quiet(void *userdata, const evirt_error *err)
{
    (void)userdata; (void)err;
}

int main(void)
{
    evirt_set_error_func(NULL, quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lookups, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_facts, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_xml_desc, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_lists, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_define_undefine, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_define_running, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_create_xml, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_create_defined, open_default,
                                        close_conn),
        cmocka_unit_test(test_config_domains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
