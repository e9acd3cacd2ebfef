/*
 * drivers/test/test-nodedev.h - node (host) devices of the test driver:
 * their state, the config/default loaders and the driver entries.
 *
 * test:///default has libvirt's test driver tree: computer (system), the
 * fibre channel HBAs scsi_host1 and scsi_host2 (both vport capable), and
 * the vHBA scsi_host11 on scsi_host1.
 *
 * create-xml makes a vHBA as libvirt's test driver does: the XML must
 * carry a scsi_host capability with a nested fc_host (WWNN/WWPN, generated
 * when absent); the parent is the <parent> named (or found by its
 * wwnn/wwpn or fabric_wwn attributes, or the first vport capable HBA when
 * none is given) and must be vport capable.  The new device is
 * scsi_host<N> with N one above the highest SCSI host number.  destroy
 * removes vHBAs (fc_host devices whose parent is vport capable) only.
 *
 * detach/reattach/reset act on PCI devices only (INVALID_ARG otherwise, as
 * libvirt's hypervisor drivers say).  A detached device stays listed and
 * shows <driver><name>vfio-pci</name></driver> until reattached; detaching
 * it again, or reattaching a device that is not detached, succeeds and
 * changes nothing (as libvirt's PCI code).
 *
 * evirt has no node device events yet, so none are emitted.
 * Ownership: the state (test_state.nodedevs) owns every definition.
 * Threads: the connection's loop thread only.
 */
#ifndef EVIRT_TEST_NODEDEV_H
#define EVIRT_TEST_NODEDEV_H

#include "drivers/test/test-state.h"

/* Frees the node devices; NULL ok. */
void test_nodedevs_free(test_nodedevs *devs);

/*
 * Adds the <device> document xml (a device that exists on the host),
 * replacing the definition of a device of the same name as libvirt's
 * loader does.  where names the source in error messages.  0, or -1 with
 * err set.
 */
int test_nodedevs_load_xml(test_state *st, const char *xml, const char *where,
                           evirt_error *err);

/* test:///default's devices (libvirt's test driver tree). */
int test_nodedevs_load_default(test_state *st, evirt_error *err);

/* ---- entries (signatures of api/driver-gen.h) */
void test_nodedev_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name);
void test_nodedev_num_of_devices(evirt_op *op, evirt_conn *c, const char *cap,
                                 unsigned int flags);
void test_nodedev_list_devices(evirt_op *op, evirt_conn *c, const char *cap,
                               unsigned int flags);
void test_conn_list_all_nodedevs(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_nodedev_get_xml_desc(evirt_op *op, evirt_nodedev *d, unsigned int flags);
void test_nodedev_get_parent(evirt_op *op, evirt_nodedev *d);
void test_nodedev_num_of_caps(evirt_op *op, evirt_nodedev *d);
void test_nodedev_list_caps(evirt_op *op, evirt_nodedev *d);
void test_nodedev_detach_flags(evirt_op *op, evirt_nodedev *d, const char *driver,
                               unsigned int flags);
void test_nodedev_reattach(evirt_op *op, evirt_nodedev *d);
void test_nodedev_reset(evirt_op *op, evirt_nodedev *d);
void test_nodedev_create_xml(evirt_op *op, evirt_conn *c, const char *xml,
                             unsigned int flags);
void test_nodedev_destroy(evirt_op *op, evirt_nodedev *d);

/* The driver table's initializers for the entries above (test-driver.c). */
#define TEST_NODEDEV_OPS \
    .nodedev_lookup_by_name = test_nodedev_lookup_by_name, \
    .nodedev_num_of_devices = test_nodedev_num_of_devices, \
    .nodedev_list_devices = test_nodedev_list_devices, \
    .conn_list_all_nodedevs = test_conn_list_all_nodedevs, \
    .nodedev_get_xml_desc = test_nodedev_get_xml_desc, \
    .nodedev_get_parent = test_nodedev_get_parent, \
    .nodedev_num_of_caps = test_nodedev_num_of_caps, \
    .nodedev_list_caps = test_nodedev_list_caps, \
    .nodedev_detach_flags = test_nodedev_detach_flags, \
    .nodedev_reattach = test_nodedev_reattach, \
    .nodedev_reset = test_nodedev_reset, \
    .nodedev_create_xml = test_nodedev_create_xml, \
    .nodedev_destroy = test_nodedev_destroy,

#endif
