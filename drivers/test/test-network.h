/*
 * drivers/test/test-network.h - virtual networks of the test driver.
 *
 * A connection's networks live in a test_networks hung off its
 * test_state (st->networks).  Each network has the definition in force,
 * maybe a next-boot definition, and the active / persistent / autostart
 * facts, with the transitions of libvirt's network driver:
 *
 *   define      new or inactive: def replaced; active: kept as new_def
 *   create-xml  a new transient network, or runs a defined inactive one
 *               with this def (its persistent def waits in new_def)
 *   create      inactive -> active
 *   destroy     active -> inactive, new_def becomes def; a transient
 *               network is removed
 *   undefine    inactive: removed; active: becomes transient, new_def
 *               dropped
 *
 * Networks without <bridge name=> (and that get a libvirt-made bridge:
 * no forward, nat, route, open) are given the lowest free virbrN.
 *
 * Everything runs on the connection's loop thread; nothing is locked.
 * The state owns its networks and their defs; pointers from the find
 * functions are borrowed until the network is removed.
 */
#ifndef EVIRT_TEST_NETWORK_H
#define EVIRT_TEST_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers/test/test-state.h"
#include "conf/network_conf.h"

typedef struct test_network {
    /* In force: the running definition while active, else the config. */
    evirt_network_def *def;
    /* Next-boot definition of an active persistent network redefined
     * (or started with create-xml) while running, else NULL. */
    evirt_network_def *new_def;
    bool active;
    bool persistent;
    bool autostart;
} test_network;

struct test_networks {
    test_network **items;         /* in the order they were added */
    size_t n, alloc;
};

/* ------------------------------------------------- test-network-state.c */

/* Frees every network and the list; NULL is fine. */
void test_networks_free(test_networks *nets);

/* Lookups in st (NULL when there is no network list or no match). */
test_network *test_network_find_by_name(test_state *st, const char *name);
test_network *test_network_find_by_uuid(test_state *st,
                                         const unsigned char *uuid);

/*
 * Adds a new inactive, non-persistent network made of def (taken on
 * success, left to the caller on failure).  The caller has checked
 * name/uuid clashes.  NULL when out of memory.
 */
test_network *test_network_add(test_state *st, evirt_network_def *def);
/* Removes net from st and frees it. */
void test_network_remove(test_state *st, test_network *net);

/*
 * Readies a freshly parsed def for st: finds the network it names (its
 * UUID, else its name; *same is NULL when it is new) and refuses clashes
 * -- the UUID of a network with another name, the name of a network with
 * another UUID (EVIRT_ERR_OPERATION_FAILED), a libvirt-managed bridge
 * name another network uses (EVIRT_ERR_INTERNAL_ERROR) -- then gives def
 * the lowest free virbrN when it names no bridge.  0, or -1 with err set
 * and st unchanged.
 */
int test_network_prepare(test_state *st, evirt_network_def *def,
                         test_network **same, evirt_error *err);

/* Emits a network LIFECYCLE event (detail 0, as libvirt) for net. */
void test_network_emit(test_state *st, const test_network *net, int event);

/*
 * Adds the network described by a <network> element (as a document
 * string) of a test config, active and persistent as libvirt's test
 * driver loads them.  where names the document in messages.  0, or -1
 * with err set.
 */
int test_network_config_add(test_state *st, const char *xml,
                            const char *where, evirt_error *err);

/* test:///default's network "default" (active, persistent, no
 * autostart, virbr0, 192.168.122.0/24). */
int test_network_load_default(test_state *st, evirt_error *err);

/* ------------------------------------------------------- test-network.c */

void test_network_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name);
void test_network_lookup_by_uuid(evirt_op *op, evirt_conn *c,
                                 const unsigned char *uuid);
void test_network_lookup_by_uuid_string(evirt_op *op, evirt_conn *c,
                                        const char *uuid);
void test_conn_list_networks(evirt_op *op, evirt_conn *c);
void test_conn_list_defined_networks(evirt_op *op, evirt_conn *c);
void test_conn_list_all_networks(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_conn_num_of_networks(evirt_op *op, evirt_conn *c);
void test_conn_num_of_defined_networks(evirt_op *op, evirt_conn *c);
void test_network_create_xml(evirt_op *op, evirt_conn *c, const char *xml);
void test_network_define_xml(evirt_op *op, evirt_conn *c, const char *xml);
void test_network_create(evirt_op *op, evirt_network *n);
void test_network_destroy(evirt_op *op, evirt_network *n);
void test_network_undefine(evirt_op *op, evirt_network *n);
void test_network_get_autostart(evirt_op *op, evirt_network *n);
void test_network_set_autostart(evirt_op *op, evirt_network *n, int autostart);
void test_network_is_active(evirt_op *op, evirt_network *n);
void test_network_is_persistent(evirt_op *op, evirt_network *n);
void test_network_get_bridge_name(evirt_op *op, evirt_network *n);
void test_network_get_xml_desc(evirt_op *op, evirt_network *n, unsigned int flags);
void test_network_get_dhcp_leases(evirt_op *op, evirt_network *n,
                                  const char *mac, unsigned int flags);

/*
 * The expiry every fake DHCP lease reports (2100-01-01T00:00:00Z): the
 * test host has no DHCP server, so leases stand for the static <host>
 * entries of an active network and never run out.
 */
#define TEST_NETWORK_LEASE_EXPIRY 4102444800LL

/* The driver table's designated initializers for the entries above. */
#define TEST_NETWORK_OPS \
    .network_lookup_by_name = test_network_lookup_by_name, \
    .network_lookup_by_uuid = test_network_lookup_by_uuid, \
    .network_lookup_by_uuid_string = test_network_lookup_by_uuid_string, \
    .conn_list_networks = test_conn_list_networks, \
    .conn_list_defined_networks = test_conn_list_defined_networks, \
    .conn_list_all_networks = test_conn_list_all_networks, \
    .conn_num_of_networks = test_conn_num_of_networks, \
    .conn_num_of_defined_networks = test_conn_num_of_defined_networks, \
    .network_create_xml = test_network_create_xml, \
    .network_define_xml = test_network_define_xml, \
    .network_create = test_network_create, \
    .network_destroy = test_network_destroy, \
    .network_undefine = test_network_undefine, \
    .network_get_autostart = test_network_get_autostart, \
    .network_set_autostart = test_network_set_autostart, \
    .network_is_active = test_network_is_active, \
    .network_is_persistent = test_network_is_persistent, \
    .network_get_bridge_name = test_network_get_bridge_name, \
    .network_get_xml_desc = test_network_get_xml_desc, \
    .network_get_dhcp_leases = test_network_get_dhcp_leases,

#endif
