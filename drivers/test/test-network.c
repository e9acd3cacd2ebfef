/*
 * drivers/test/test-network.c - the test driver's virtual network entries:
 * lookups, lists, facts, the lifecycle (define, create, destroy,
 * undefine) with its events, and the fake DHCP leases.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/test/test-network.h"
#include "drivers/test/test-ops.h"
#include "api/error-private.h"

/* ------------------------------------------------------------ helpers */

static void free_plain(void *p, int n)
{
    (void)n;
    free(p);
}

static void free_handle(void *p, int n)
{
    (void)n;
    evirt_network_unref(p);
}

static void free_handles(void *p, int n)
{
    evirt_network_list_free(p, n);
}

static void free_strings(void *p, int n)
{
    evirt_string_list_free(p, n);
}

/* Completes op with a new handle for net. */
static void return_handle(evirt_op *op, evirt_conn *c, const test_network *net)
{
    evirt_network *h = evirt_network_new_handle(c, net->def->name,
                                                net->def->uuid, NULL, NULL);
    if (!h)
        test_fail_oom(op);
    else
        evirt_op_return_ptr(op, h, 0, free_handle);
}

/*
 * The network a handle names (by UUID, as libvirt's network driver
 * finds it).  When it is gone, fails op with EVIRT_ERR_NO_NETWORK and
 * returns NULL.
 */
static test_network *from_handle(evirt_op *op, evirt_network *n)
{
    test_network *net = test_network_find_by_uuid(test_state_of(n->h.conn),
                                                  n->h.uuid);
    if (!net) {
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(n->h.uuid, uuid);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_NETWORK,
                      "no network with matching uuid '%s' (%s)", uuid, n->h.name);
    }
    return net;
}

static size_t count(test_state *st)
{
    return st->networks ? st->networks->n : 0;
}

static test_network *item(test_state *st, size_t i)
{
    return st->networks->items[i];
}

/* --------------------------------------------------------------- lookups */

void test_network_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name)
{
    test_network *net = test_network_find_by_name(test_state_of(c), name);
    if (!net) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_NETWORK,
                      "no network with matching name '%s'", name);
        return;
    }
    return_handle(op, c, net);
}

void test_network_lookup_by_uuid(evirt_op *op, evirt_conn *c,
                                 const unsigned char *uuid)
{
    test_network *net = test_network_find_by_uuid(test_state_of(c), uuid);
    if (!net) {
        char s[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(uuid, s);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_NETWORK,
                      "no network with matching uuid '%s'", s);
        return;
    }
    return_handle(op, c, net);
}

void test_network_lookup_by_uuid_string(evirt_op *op, evirt_conn *c,
                                        const char *uuid)
{
    unsigned char raw[EVIRT_UUID_BUFLEN];
    if (evirt_uuid_parse(uuid, raw) < 0) {
        evirt_op_fail(op, EVIRT_FROM_NETWORK, EVIRT_ERR_INVALID_ARG,
                      "invalid UUID '%s'", uuid);
        return;
    }
    test_network_lookup_by_uuid(op, c, raw);
}

/* ----------------------------------------------------------------- lists */

/* Names of the active (or the inactive) networks. */
static void list_names(evirt_op *op, evirt_conn *c, bool active)
{
    test_state *st = test_state_of(c);
    char **names = calloc(count(st) + 1, sizeof(*names));
    if (!names) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < count(st); i++) {
        test_network *net = item(st, i);
        if (net->active != active)
            continue;
        if (!(names[n] = strdup(net->def->name))) {
            evirt_string_list_free(names, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, names, n, free_strings);
}

void test_conn_list_networks(evirt_op *op, evirt_conn *c)
{
    list_names(op, c, true);
}

/* Inactive networks are persistent: a transient one is gone once stopped. */
void test_conn_list_defined_networks(evirt_op *op, evirt_conn *c)
{
    list_names(op, c, false);
}

/* True when one flag of a yes/no group is set and has matches neither. */
static bool filtered_out(unsigned int flags, unsigned int yes, unsigned int no,
                         bool has)
{
    if (!(flags & (yes | no)))
        return false;
    return !((flags & yes) && has) && !((flags & no) && !has);
}

static bool list_all_match(const test_network *net, unsigned int flags)
{
    return !filtered_out(flags, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE,
                         EVIRT_CONNECT_LIST_NETWORKS_INACTIVE, net->active) &&
           !filtered_out(flags, EVIRT_CONNECT_LIST_NETWORKS_PERSISTENT,
                         EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT,
                         net->persistent) &&
           !filtered_out(flags, EVIRT_CONNECT_LIST_NETWORKS_AUTOSTART,
                         EVIRT_CONNECT_LIST_NETWORKS_NO_AUTOSTART,
                         net->autostart);
}

void test_conn_list_all_networks(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_CONNECT_LIST_NETWORKS_INACTIVE |
                                EVIRT_CONNECT_LIST_NETWORKS_ACTIVE |
                                EVIRT_CONNECT_LIST_NETWORKS_PERSISTENT |
                                EVIRT_CONNECT_LIST_NETWORKS_TRANSIENT |
                                EVIRT_CONNECT_LIST_NETWORKS_AUTOSTART |
                                EVIRT_CONNECT_LIST_NETWORKS_NO_AUTOSTART);
    test_state *st = test_state_of(c);
    evirt_network **list = calloc(count(st) + 1, sizeof(*list));
    if (!list) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < count(st); i++) {
        test_network *net = item(st, i);
        if (!list_all_match(net, flags))
            continue;
        list[n] = evirt_network_new_handle(c, net->def->name, net->def->uuid,
                                           NULL, NULL);
        if (!list[n]) {
            evirt_network_list_free(list, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, list, n, free_handles);
}

void test_conn_num_of_networks(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    int n = 0;
    for (size_t i = 0; i < count(st); i++)
        n += item(st, i)->active;
    evirt_op_return_int(op, n);
}

void test_conn_num_of_defined_networks(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    int n = 0;
    for (size_t i = 0; i < count(st); i++)
        n += !item(st, i)->active;
    evirt_op_return_int(op, n);
}

/* ------------------------------------------------------------- lifecycle */

/* Parses xml and readies it for st; fails op and returns NULL when it is
 * bad or clashes.  *same: the network it names, or NULL. */
static evirt_network_def *parse_for(evirt_op *op, test_state *st,
                                    const char *xml, test_network **same)
{
    evirt_error err = { 0 };
    evirt_network_def *def = evirt_network_def_parse_string(xml, 0, &err);
    if (def && test_network_prepare(st, def, same, &err) < 0) {
        evirt_network_def_free(def);
        def = NULL;
    }
    if (!def)
        evirt_op_fail_error(op, &err);
    return def;
}

void test_network_create_xml(evirt_op *op, evirt_conn *c, const char *xml)
{
    test_state *st = test_state_of(c);
    test_network *net;
    evirt_network_def *def = parse_for(op, st, xml, &net);
    if (!def)
        return;
    if (net && net->active) {
        evirt_op_fail(op, EVIRT_FROM_NETWORK, EVIRT_ERR_OPERATION_INVALID,
                      "network is already active as '%s'", net->def->name);
        evirt_network_def_free(def);
        return;
    }
    if (net) {
        /* A defined network runs this definition once; its persistent
         * one comes back when it stops. */
        net->new_def = net->def;
        net->def = def;
    } else if (!(net = test_network_add(st, def))) {
        evirt_network_def_free(def);
        test_fail_oom(op);
        return;
    }
    net->active = true;
    test_network_emit(st, net, EVIRT_NETWORK_EVENT_STARTED);
    return_handle(op, c, net);
}

void test_network_define_xml(evirt_op *op, evirt_conn *c, const char *xml)
{
    test_state *st = test_state_of(c);
    test_network *net;
    evirt_network_def *def = parse_for(op, st, xml, &net);
    if (!def)
        return;
    if (!net) {
        if (!(net = test_network_add(st, def))) {
            evirt_network_def_free(def);
            test_fail_oom(op);
            return;
        }
    } else if (net->active) {
        /* Running: the new definition waits for the next start.  A
         * transient network becomes persistent with it. */
        evirt_network_def_free(net->new_def);
        net->new_def = def;
    } else {
        evirt_network_def_free(net->def);
        net->def = def;
    }
    net->persistent = true;
    test_network_emit(st, net, EVIRT_NETWORK_EVENT_DEFINED);
    return_handle(op, c, net);
}

void test_network_create(evirt_op *op, evirt_network *n)
{
    test_state *st = test_state_of(n->h.conn);
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    if (net->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "network '%s' is already running", net->def->name);
        return;
    }
    net->active = true;
    test_network_emit(st, net, EVIRT_NETWORK_EVENT_STARTED);
    evirt_op_return_void(op);
}

void test_network_destroy(evirt_op *op, evirt_network *n)
{
    test_state *st = test_state_of(n->h.conn);
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    if (!net->active) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "network '%s' is not active", net->def->name);
        return;
    }
    test_network_emit(st, net, EVIRT_NETWORK_EVENT_STOPPED);
    net->active = false;
    if (!net->persistent) {
        test_network_remove(st, net);
    } else if (net->new_def) {
        evirt_network_def_free(net->def);
        net->def = net->new_def;
        net->new_def = NULL;
    }
    evirt_op_return_void(op);
}

void test_network_undefine(evirt_op *op, evirt_network *n)
{
    test_state *st = test_state_of(n->h.conn);
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    if (!net->persistent) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "cannot undefine transient network '%s'", net->def->name);
        return;
    }
    test_network_emit(st, net, EVIRT_NETWORK_EVENT_UNDEFINED);
    if (net->active) {
        /* It keeps running as a transient network, with no next-start
         * definition left. */
        net->persistent = false;
        net->autostart = false;
        evirt_network_def_free(net->new_def);
        net->new_def = NULL;
    } else {
        test_network_remove(st, net);
    }
    evirt_op_return_void(op);
}

/* ----------------------------------------------------------------- facts */

void test_network_get_autostart(evirt_op *op, evirt_network *n)
{
    test_network *net = from_handle(op, n);
    if (net)
        evirt_op_return_int(op, net->autostart);
}

void test_network_set_autostart(evirt_op *op, evirt_network *n, int autostart)
{
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    if (!net->persistent) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "cannot set autostart for transient network '%s'",
                      net->def->name);
        return;
    }
    net->autostart = autostart != 0;
    evirt_op_return_void(op);
}

void test_network_is_active(evirt_op *op, evirt_network *n)
{
    test_network *net = from_handle(op, n);
    if (net)
        evirt_op_return_int(op, net->active);
}

void test_network_is_persistent(evirt_op *op, evirt_network *n)
{
    test_network *net = from_handle(op, n);
    if (net)
        evirt_op_return_int(op, net->persistent);
}

void test_network_get_bridge_name(evirt_op *op, evirt_network *n)
{
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    const char *bridge = evirt_network_def_bridge_name(net->def);
    if (!bridge) {
        /* hostdev, passthrough, macvtap... networks have no bridge. */
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                      "network '%s' does not have a bridge name.",
                      net->def->name);
        return;
    }
    char *s = strdup(bridge);
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_network_get_xml_desc(evirt_op *op, evirt_network *n, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_NETWORK_XML_INACTIVE);
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    const evirt_network_def *def =
        (flags & EVIRT_NETWORK_XML_INACTIVE) && net->new_def ? net->new_def
                                                            : net->def;
    char *xml = evirt_network_def_format(
        def, (flags & EVIRT_NETWORK_XML_INACTIVE) ? EVIRT_NETWORK_DEF_FORMAT_INACTIVE
                                                  : 0);
    xml ? evirt_op_return_string(op, xml) : test_fail_oom(op);
}

/* ------------------------------------------------------------ DHCP leases */

/* A MAC address as libvirt reads one: six hex pairs separated by ':'. */
static bool valid_mac(const char *mac)
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)mac[0]) || !isxdigit((unsigned char)mac[1]))
            return false;
        mac += 2;
        if (*mac != (i == 5 ? '\0' : ':'))
            return false;
        mac++;
    }
    return true;
}

/* Copies s into a fixed field, NUL-terminated. */
static void put(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
}

void test_network_get_dhcp_leases(evirt_op *op, evirt_network *n,
                                  const char *mac, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    if (mac && !valid_mac(mac)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_MAC,
                      "invalid mac address '%s'", mac);
        return;
    }
    test_network *net = from_handle(op, n);
    if (!net)
        return;
    const evirt_network_def *def = net->def;

    /* An inactive network serves no leases. */
    size_t max = net->active ? evirt_network_def_ndhcp_hosts(def) : 0;
    evirt_network_dhcp_lease *leases = calloc(max + 1, sizeof(*leases));
    if (!leases) {
        test_fail_oom(op);
        return;
    }
    int nleases = 0;
    for (size_t i = 0; i < def->nips && net->active; i++) {
        const evirt_network_ip_def *ip = &def->ips[i];
        for (size_t j = 0; j < ip->nhosts; j++) {
            const evirt_network_dhcp_host *host = &ip->hosts[j];
            if (mac && (!host->mac || strcasecmp(host->mac, mac) != 0))
                continue;
            evirt_network_dhcp_lease *l = &leases[nleases++];
            put(l->iface, sizeof(l->iface), evirt_network_def_bridge_name(def));
            l->expirytime = TEST_NETWORK_LEASE_EXPIRY;
            l->type = ip->ipv6 ? EVIRT_IP_ADDR_TYPE_IPV6 : EVIRT_IP_ADDR_TYPE_IPV4;
            put(l->mac, sizeof(l->mac), host->mac);
            /* Lower case, as a DHCP server reports it. */
            for (char *p = l->mac; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            put(l->ipaddr, sizeof(l->ipaddr), host->ip);
            int prefix = evirt_network_ip_prefix(ip);
            l->prefix = prefix > 0 ? (unsigned int)prefix : 0;
            put(l->hostname, sizeof(l->hostname), host->name);
            /* DHCPv6 clients are known by their DUID. */
            if (ip->ipv6)
                put(l->clientid, sizeof(l->clientid), host->id);
        }
    }
    evirt_op_return_ptr(op, leases, nleases, free_plain);
}
