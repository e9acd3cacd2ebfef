/*
 * drivers/test/test-interface.h - host interfaces of the test driver:
 * their state, the config/default loaders and the driver entries.
 *
 * Behaviour follows libvirt's test driver: interfaces loaded from a config
 * (or test:///default's eth1) start active; define adds an inactive
 * interface or replaces the definition of one with the same name (keeping
 * its state); undefine removes it even while active; create/destroy fail
 * with OPERATION_INVALID when it is already up/down.  change_begin takes a
 * deep copy of every definition and active flag; rollback puts back
 * exactly that copy (definitions, states, order), commit drops it.
 * Host interfaces have no events.
 *
 * Ownership: the state (test_state.ifaces) owns every definition.
 * Threads: the connection's loop thread only, like all of the driver.
 */
#ifndef EVIRT_TEST_INTERFACE_H
#define EVIRT_TEST_INTERFACE_H

#include "drivers/test/test-state.h"

/* Frees the interfaces (and a pending transaction's snapshot); NULL ok. */
void test_interfaces_free(test_interfaces *ifs);

/*
 * Adds the <interface> document xml as an active interface (as libvirt's
 * loader does), replacing the definition of an interface of the same
 * name.  where names the source in error messages.  0, or -1 with err set.
 */
int test_interfaces_load_xml(test_state *st, const char *xml, const char *where,
                             evirt_error *err);

/* test:///default's interfaces (libvirt's: eth1, active). */
int test_interfaces_load_default(test_state *st, evirt_error *err);

/* ---- entries (signatures of api/driver-gen.h) */
void test_interface_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name);
void test_interface_lookup_by_mac_string(evirt_op *op, evirt_conn *c,
                                         const char *mac);
void test_conn_list_interfaces(evirt_op *op, evirt_conn *c);
void test_conn_list_defined_interfaces(evirt_op *op, evirt_conn *c);
void test_conn_list_all_interfaces(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_conn_num_of_interfaces(evirt_op *op, evirt_conn *c);
void test_conn_num_of_defined_interfaces(evirt_op *op, evirt_conn *c);
void test_interface_define_xml(evirt_op *op, evirt_conn *c, const char *xml,
                               unsigned int flags);
void test_interface_undefine(evirt_op *op, evirt_interface *i);
void test_interface_create(evirt_op *op, evirt_interface *i, unsigned int flags);
void test_interface_destroy(evirt_op *op, evirt_interface *i, unsigned int flags);
void test_interface_is_active(evirt_op *op, evirt_interface *i);
void test_interface_get_xml_desc(evirt_op *op, evirt_interface *i,
                                 unsigned int flags);
void test_interface_change_begin(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_interface_change_commit(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_interface_change_rollback(evirt_op *op, evirt_conn *c,
                                    unsigned int flags);

/* The driver table's initializers for the entries above (test-driver.c). */
#define TEST_INTERFACE_OPS \
    .interface_lookup_by_name = test_interface_lookup_by_name, \
    .interface_lookup_by_mac_string = test_interface_lookup_by_mac_string, \
    .conn_list_interfaces = test_conn_list_interfaces, \
    .conn_list_defined_interfaces = test_conn_list_defined_interfaces, \
    .conn_list_all_interfaces = test_conn_list_all_interfaces, \
    .conn_num_of_interfaces = test_conn_num_of_interfaces, \
    .conn_num_of_defined_interfaces = test_conn_num_of_defined_interfaces, \
    .interface_define_xml = test_interface_define_xml, \
    .interface_undefine = test_interface_undefine, \
    .interface_create = test_interface_create, \
    .interface_destroy = test_interface_destroy, \
    .interface_is_active = test_interface_is_active, \
    .interface_get_xml_desc = test_interface_get_xml_desc, \
    .interface_change_begin = test_interface_change_begin, \
    .interface_change_commit = test_interface_change_commit, \
    .interface_change_rollback = test_interface_change_rollback,

#endif
