/*
 * drivers/test/test-network-state.c - the networks of a test connection:
 * the list, lookups, definition checks (clashes, bridge names) and the
 * loaders (test:///default's network, <network> elements of a config).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/test/test-network.h"
#include "api/error-private.h"


/* libvirt's test driver's network, with the same UUID and addresses. */
static const char test_default_network_xml[] =
    "<network>"
    "  <name>default</name>"
    "  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>"
    "  <bridge name='virbr0'/>"
    "  <forward/>"
    "  <ip address='192.168.122.1' netmask='255.255.255.0'>"
    "    <dhcp>"
    "      <range start='192.168.122.2' end='192.168.122.254'/>"
    "    </dhcp>"
    "  </ip>"
    "</network>";

static void test_network_free(test_network *net)
{
    if (!net)
        return;
    evirt_network_def_free(net->def);
    evirt_network_def_free(net->new_def);
    free(net);
}

void test_networks_free(test_networks *nets)
{
    if (!nets)
        return;
    for (size_t i = 0; i < nets->n; i++)
        test_network_free(nets->items[i]);
    free(nets->items);
    free(nets);
}

test_network *test_network_find_by_name(test_state *st, const char *name)
{
    test_networks *nets = st->networks;
    for (size_t i = 0; nets && i < nets->n; i++)
        if (strcmp(nets->items[i]->def->name, name) == 0)
            return nets->items[i];
    return NULL;
}

test_network *test_network_find_by_uuid(test_state *st,
                                         const unsigned char *uuid)
{
    test_networks *nets = st->networks;
    for (size_t i = 0; nets && i < nets->n; i++)
        if (memcmp(nets->items[i]->def->uuid, uuid, 16) == 0)
            return nets->items[i];
    return NULL;
}

test_network *test_network_add(test_state *st, evirt_network_def *def)
{
    if (!st->networks && !(st->networks = calloc(1, sizeof(*st->networks))))
        return NULL;
    test_networks *nets = st->networks;
    if (nets->n == nets->alloc) {
        size_t n = nets->alloc ? nets->alloc * 2 : 4;
        test_network **p = realloc(nets->items, n * sizeof(*p));
        if (!p)
            return NULL;
        nets->items = p;
        nets->alloc = n;
    }
    test_network *net = calloc(1, sizeof(*net));
    if (!net)
        return NULL;
    net->def = def;
    nets->items[nets->n++] = net;
    return net;
}

void test_network_remove(test_state *st, test_network *net)
{
    test_networks *nets = st->networks;
    for (size_t i = 0; nets && i < nets->n; i++) {
        if (nets->items[i] != net)
            continue;
        memmove(&nets->items[i], &nets->items[i + 1],
                (nets->n - i - 1) * sizeof(*nets->items));
        nets->n--;
        test_network_free(net);
        return;
    }
}

void test_network_emit(test_state *st, const test_network *net, int event)
{
    test_state_emit_event(st, EVIRT_EVENT_FAMILY_NETWORK, net->def->name,
                          net->def->uuid, -1, EVIRT_NETWORK_EVENT_ID_LIFECYCLE,
                          event, 0);
}

/* ------------------------------------------------------ bridge names */

/* The forward modes for which libvirt makes (and names) the bridge. */
static bool managed_bridge(const evirt_network_def *def)
{
    switch (def->forward_mode) {
    case EVIRT_NETWORK_FORWARD_NONE:
    case EVIRT_NETWORK_FORWARD_NAT:
    case EVIRT_NETWORK_FORWARD_ROUTE:
    case EVIRT_NETWORK_FORWARD_OPEN:
        return true;
    default:
        return false;
    }
}

/* The network other than self whose definitions use bridge, or NULL. */
static test_network *bridge_user(test_state *st, const char *bridge,
                                 const test_network *self)
{
    test_networks *nets = st->networks;
    for (size_t i = 0; nets && i < nets->n; i++) {
        test_network *net = nets->items[i];
        if (net == self)
            continue;
        const char *a = evirt_network_def_bridge_name(net->def);
        const char *b = net->new_def ? evirt_network_def_bridge_name(net->new_def)
                                     : NULL;
        if ((a && strcmp(a, bridge) == 0) || (b && strcmp(b, bridge) == 0))
            return net;
    }
    return NULL;
}

static int assign_bridge(test_state *st, evirt_network_def *def,
                         const test_network *self, evirt_error *err)
{
    const char *bridge = evirt_network_def_bridge_name(def);
    if (bridge) {
        test_network *user = managed_bridge(def) ? bridge_user(st, bridge, self)
                                                 : NULL;
        if (user) {
            evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_INTERNAL_ERROR,
                            "bridge name '%s' already in use by network '%s'",
                            bridge, user->def->name);
            return -1;
        }
        return 0;
    }
    if (!managed_bridge(def))
        return 0;
    for (int i = 0; i < 256; i++) {
        char name[16];
        snprintf(name, sizeof(name), "virbr%d", i);
        if (bridge_user(st, name, self))
            continue;
        if (!(def->bridge_name = strdup(name))) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
            return -1;
        }
        return 0;
    }
    evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_INTERNAL_ERROR,
                    "bridge name not given, and no free name 'virbrN' is left");
    return -1;
}

/* ------------------------------------------------------- definitions */

int test_network_prepare(test_state *st, evirt_network_def *def,
                         test_network **same, evirt_error *err)
{
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    *same = NULL;
    test_network *net = test_network_find_by_uuid(st, def->uuid);
    if (net && strcmp(net->def->name, def->name) != 0) {
        evirt_uuid_format(net->def->uuid, uuid);
        evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_OPERATION_FAILED,
                        "network '%s' is already defined with uuid %s",
                        net->def->name, uuid);
        return -1;
    }
    if (!net && (net = test_network_find_by_name(st, def->name))) {
        evirt_uuid_format(net->def->uuid, uuid);
        evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_OPERATION_FAILED,
                        "network '%s' already exists with uuid %s",
                        net->def->name, uuid);
        return -1;
    }
    if (assign_bridge(st, def, net, err) < 0)
        return -1;
    *same = net;
    return 0;
}

/* ------------------------------------------------------------ loaders */

int test_network_config_add(test_state *st, const char *xml, const char *where,
                            evirt_error *err)
{
    evirt_error e = { 0 };
    test_network *net = NULL;
    evirt_network_def *def = evirt_network_def_parse_string(xml, 0, &e);
    if (!def || test_network_prepare(st, def, &net, &e) < 0)
        goto fail;
    if (net) {
        /* A config names each network once. */
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(net->def->uuid, uuid);
        evirt_error_set(&e, EVIRT_FROM_NETWORK, EVIRT_ERR_OPERATION_FAILED,
                        "network '%s' already exists with uuid %s",
                        net->def->name, uuid);
        goto fail;
    }
    if (!(net = test_network_add(st, def))) {
        evirt_error_set(&e, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        goto fail;
    }
    net->active = true;
    net->persistent = true;
    return 0;

fail:
    evirt_network_def_free(def);
    /* "<document>: <what is wrong>", keeping the code and domain. */
    evirt_error_set(err, e.domain, e.code, "%s: %s", where,
                    e.str2 ? e.str2 : e.message ? e.message : "");
    evirt_error_reset(&e);
    return -1;
}

int test_network_load_default(test_state *st, evirt_error *err)
{
    return test_network_config_add(st, test_default_network_xml,
                                   "(test driver)", err);
}
