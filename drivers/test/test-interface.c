/*
 * drivers/test/test-interface.c - host interfaces of the test driver.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/test/test-interface.h"
#include "drivers/test/test-ops.h"
#include "api/error-private.h"
#include "api/handles-private.h"

#include "conf/interface_conf.h"

#define EVIRT_LOG_CATEGORY "evirt.test.interface"
#include "api/log-private.h"

typedef struct test_iface {
    evirt_interface_def *def;
    bool active;
} test_iface;

struct test_interfaces {
    test_iface *list;        /* in definition order */
    size_t n, cap;
    bool transaction;        /* between change_begin and commit/rollback */
    test_iface *saved;       /* the snapshot change_begin took */
    size_t nsaved;
};

/* libvirt's test:///default interface. */
static const char test_default_eth1[] =
    "<interface type='ethernet' name='eth1'>"
    "  <start mode='onboot'/>"
    "  <mac address='aa:bb:cc:dd:ee:ff'/>"
    "  <mtu size='1492'/>"
    "  <protocol family='ipv4'>"
    "    <ip address='192.168.0.5' prefix='24'/>"
    "    <route gateway='192.168.0.1'/>"
    "  </protocol>"
    "</interface>";

/* ---------------------------------------------------------------- state */

static void iface_array_free(test_iface *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        evirt_interface_def_free(list[i].def);
    free(list);
}

void test_interfaces_free(test_interfaces *ifs)
{
    if (!ifs)
        return;
    iface_array_free(ifs->list, ifs->n);
    iface_array_free(ifs->saved, ifs->nsaved);
    free(ifs);
}

/* The state's interfaces, made on first use; NULL when out of memory. */
static test_interfaces *ifaces_get(test_state *st)
{
    if (!st->ifaces)
        st->ifaces = calloc(1, sizeof(*st->ifaces));
    return st->ifaces;
}

static size_t ifaces_count(const test_state *st)
{
    return st->ifaces ? st->ifaces->n : 0;
}

static test_iface *iface_find(test_state *st, const char *name)
{
    for (size_t i = 0; i < ifaces_count(st); i++)
        if (strcmp(st->ifaces->list[i].def->name, name) == 0)
            return &st->ifaces->list[i];
    return NULL;
}

/*
 * Stores def (taken) as the definition of its name: replaces the old one
 * (state kept) or appends a new interface with the given state.  Returns
 * the entry, or NULL when out of memory (def left to the caller).
 */
static test_iface *iface_assign(test_state *st, evirt_interface_def *def,
                                bool active)
{
    test_iface *it = iface_find(st, def->name);
    if (it) {
        evirt_interface_def_free(it->def);
        it->def = def;
        return it;
    }
    test_interfaces *ifs = ifaces_get(st);
    if (!ifs)
        return NULL;
    if (ifs->n == ifs->cap) {
        size_t ncap = ifs->cap ? ifs->cap * 2 : 4;
        test_iface *p = realloc(ifs->list, ncap * sizeof(*p));
        if (!p)
            return NULL;
        ifs->list = p;
        ifs->cap = ncap;
    }
    it = &ifs->list[ifs->n++];
    it->def = def;
    it->active = active;
    return it;
}

int test_interfaces_load_xml(test_state *st, const char *xml, const char *where,
                             evirt_error *err)
{
    evirt_interface_def *def = evirt_interface_def_parse_string(xml, 0, err);
    if (!def) {
        if (err && err->code) {
            char *detail = strdup(err->str2 ? err->str2
                                  : err->message ? err->message : "");
            int domain = err->domain, code = err->code;
            evirt_error_set(err, domain, code, "%s: %s", where,
                            detail ? detail : "");
            free(detail);
        }
        return -1;
    }
    test_iface *it = iface_assign(st, def, true);
    if (!it) {
        evirt_interface_def_free(def);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    /* Loaded interfaces are up, like libvirt's (even on redefinition). */
    it->active = true;
    return 0;
}

int test_interfaces_load_default(test_state *st, evirt_error *err)
{
    return test_interfaces_load_xml(st, test_default_eth1, "(test driver)", err);
}

/* ------------------------------------------------------------- helpers */

static void free_strings(void *p, int n)
{
    evirt_string_list_free(p, n);
}

static void free_handle(void *p, int n)
{
    (void)n;
    evirt_interface_unref(p);
}

static void free_handles(void *p, int n)
{
    evirt_interface_list_free(p, n);
}

/* libvirt's handles carry "" for an interface without a MAC. */
static evirt_interface *iface_handle(evirt_conn *c, const test_iface *it)
{
    return evirt_interface_new_handle(c, it->def->name, NULL,
                                      it->def->mac ? it->def->mac : "", NULL);
}

static void return_handle(evirt_op *op, evirt_conn *c, const test_iface *it)
{
    evirt_interface *h = iface_handle(c, it);
    if (!h)
        test_fail_oom(op);
    else
        evirt_op_return_ptr(op, h, 0, free_handle);
}

static void fail_no_iface(evirt_op *op, const char *name)
{
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_INTERFACE,
                  "no interface with matching name '%s'", name);
}

/* The interface a handle names (by name), or NULL with op failed. */
static test_iface *iface_from_handle(evirt_op *op, evirt_interface *i)
{
    test_iface *it = iface_find(test_state_of(i->h.conn), i->h.name);
    if (!it)
        fail_no_iface(op, i->h.name);
    return it;
}

/* ------------------------------------------------------------- lookups */

void test_interface_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name)
{
    test_iface *it = iface_find(test_state_of(c), name);
    if (!it) {
        fail_no_iface(op, name);
        return;
    }
    return_handle(op, c, it);
}

void test_interface_lookup_by_mac_string(evirt_op *op, evirt_conn *c,
                                         const char *mac)
{
    test_state *st = test_state_of(c);
    test_iface *found = NULL;
    int matches = 0;
    for (size_t i = 0; i < ifaces_count(st); i++) {
        test_iface *it = &st->ifaces->list[i];
        if (it->def->mac && strcasecmp(it->def->mac, mac) == 0) {
            found = it;
            matches++;
        }
    }
    if (matches == 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_INTERFACE,
                      "no interface with matching mac '%s'", mac);
        return;
    }
    if (matches > 1) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_MULTIPLE_INTERFACES,
                      "multiple matching interfaces found: %d interfaces "
                      "have MAC address '%s'", matches, mac);
        return;
    }
    return_handle(op, c, found);
}

/* --------------------------------------------------------------- lists */

static int count_active(test_state *st, bool active)
{
    int n = 0;
    for (size_t i = 0; i < ifaces_count(st); i++)
        n += st->ifaces->list[i].active == active;
    return n;
}

static void list_names(evirt_op *op, evirt_conn *c, bool active)
{
    test_state *st = test_state_of(c);
    char **names = calloc(ifaces_count(st) + 1, sizeof(*names));
    if (!names) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < ifaces_count(st); i++) {
        test_iface *it = &st->ifaces->list[i];
        if (it->active != active)
            continue;
        if (!(names[n] = strdup(it->def->name))) {
            evirt_string_list_free(names, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, names, n, free_strings);
}

void test_conn_list_interfaces(evirt_op *op, evirt_conn *c)
{
    list_names(op, c, true);
}

void test_conn_list_defined_interfaces(evirt_op *op, evirt_conn *c)
{
    list_names(op, c, false);
}

void test_conn_num_of_interfaces(evirt_op *op, evirt_conn *c)
{
    evirt_op_return_int(op, count_active(test_state_of(c), true));
}

void test_conn_num_of_defined_interfaces(evirt_op *op, evirt_conn *c)
{
    evirt_op_return_int(op, count_active(test_state_of(c), false));
}

void test_conn_list_all_interfaces(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    const unsigned int both = EVIRT_CONNECT_LIST_INTERFACES_ACTIVE |
                              EVIRT_CONNECT_LIST_INTERFACES_INACTIVE;
    TEST_CHECK_FLAGS(op, flags, both);
    test_state *st = test_state_of(c);
    evirt_interface **list = calloc(ifaces_count(st) + 1, sizeof(*list));
    if (!list) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < ifaces_count(st); i++) {
        test_iface *it = &st->ifaces->list[i];
        /* No flag (or both) means every interface. */
        if ((flags & both) && (flags & both) != both &&
            !(flags & (it->active ? EVIRT_CONNECT_LIST_INTERFACES_ACTIVE
                                  : EVIRT_CONNECT_LIST_INTERFACES_INACTIVE)))
            continue;
        if (!(list[n] = iface_handle(c, it))) {
            evirt_interface_list_free(list, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, list, n, free_handles);
}

/* ------------------------------------------------ definition and state */

void test_interface_define_xml(evirt_op *op, evirt_conn *c, const char *xml,
                               unsigned int flags)
{
    /* VALIDATE: there is no schema here; the parser's checks stand in. */
    TEST_CHECK_FLAGS(op, flags, EVIRT_INTERFACE_DEFINE_VALIDATE);
    evirt_error err = { 0 };
    evirt_interface_def *def = evirt_interface_def_parse_string(xml, 0, &err);
    if (!def) {
        evirt_op_fail_error(op, &err);
        return;
    }
    test_iface *it = iface_assign(test_state_of(c), def, false);
    if (!it) {
        evirt_interface_def_free(def);
        test_fail_oom(op);
        return;
    }
    EVIRT_DEBUG("defined interface %s", def->name);
    return_handle(op, c, it);
}

void test_interface_undefine(evirt_op *op, evirt_interface *i)
{
    test_iface *it = iface_from_handle(op, i);
    if (!it)
        return;
    /* As libvirt's test driver: an active interface may be undefined. */
    test_interfaces *ifs = test_state_of(i->h.conn)->ifaces;
    size_t idx = (size_t)(it - ifs->list);
    evirt_interface_def_free(it->def);
    memmove(&ifs->list[idx], &ifs->list[idx + 1],
            (ifs->n - idx - 1) * sizeof(*ifs->list));
    ifs->n--;
    evirt_op_return_void(op);
}

void test_interface_create(evirt_op *op, evirt_interface *i, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_iface *it = iface_from_handle(op, i);
    if (!it)
        return;
    if (it->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "interface '%s' is already active", it->def->name);
        return;
    }
    it->active = true;
    evirt_op_return_void(op);
}

void test_interface_destroy(evirt_op *op, evirt_interface *i, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_iface *it = iface_from_handle(op, i);
    if (!it)
        return;
    if (!it->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "interface '%s' is not active", it->def->name);
        return;
    }
    it->active = false;
    evirt_op_return_void(op);
}

void test_interface_is_active(evirt_op *op, evirt_interface *i)
{
    test_iface *it = iface_from_handle(op, i);
    if (it)
        evirt_op_return_int(op, it->active);
}

void test_interface_get_xml_desc(evirt_op *op, evirt_interface *i,
                                 unsigned int flags)
{
    /* A definition is one configuration: INACTIVE gives the same text. */
    TEST_CHECK_FLAGS(op, flags, EVIRT_INTERFACE_XML_INACTIVE);
    test_iface *it = iface_from_handle(op, i);
    if (!it)
        return;
    char *xml = evirt_interface_def_format(it->def, 0);
    if (!xml) {
        test_fail_oom(op);
        return;
    }
    evirt_op_return_string(op, xml);
}

/* -------------------------------------------------------- transactions */

void test_interface_change_begin(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_interfaces *ifs = ifaces_get(test_state_of(c));
    if (!ifs) {
        test_fail_oom(op);
        return;
    }
    if (ifs->transaction) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "there is another transaction running.");
        return;
    }
    test_iface *copy = calloc(ifs->n + 1, sizeof(*copy));
    if (!copy) {
        test_fail_oom(op);
        return;
    }
    for (size_t i = 0; i < ifs->n; i++) {
        copy[i].active = ifs->list[i].active;
        if (!(copy[i].def = evirt_interface_def_copy(ifs->list[i].def))) {
            iface_array_free(copy, i);
            test_fail_oom(op);
            return;
        }
    }
    ifs->saved = copy;
    ifs->nsaved = ifs->n;
    ifs->transaction = true;
    evirt_op_return_void(op);
}

void test_interface_change_commit(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_interfaces *ifs = test_state_of(c)->ifaces;
    if (!ifs || !ifs->transaction) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "no transaction running, nothing to be committed.");
        return;
    }
    iface_array_free(ifs->saved, ifs->nsaved);
    ifs->saved = NULL;
    ifs->nsaved = 0;
    ifs->transaction = false;
    evirt_op_return_void(op);
}

void test_interface_change_rollback(evirt_op *op, evirt_conn *c,
                                    unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_interfaces *ifs = test_state_of(c)->ifaces;
    if (!ifs || !ifs->transaction) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "no transaction running, nothing to rollback.");
        return;
    }
    /* Unlike libvirt's test driver, the active flags come back too. */
    iface_array_free(ifs->list, ifs->n);
    ifs->list = ifs->saved;
    ifs->n = ifs->nsaved;
    ifs->cap = ifs->nsaved + 1;
    ifs->saved = NULL;
    ifs->nsaved = 0;
    ifs->transaction = false;
    evirt_op_return_void(op);
}
