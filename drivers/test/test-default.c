/*
 * drivers/test/test-default.c - the state of test:///default: the host and
 * the running domain "test" libvirt's test driver starts with, so the same
 * questions get the same answers from both libraries.  Each connection
 * gets its own fresh copy.
 */
#include <config.h>

#include <string.h>

#include "drivers/test/test-ops.h"
#include "drivers/test/test-network.h"
#include "drivers/test/test-interface.h"
#include "drivers/test/test-nodedev.h"
#include "drivers/test/test-storage.h"

static const char test_default_xml[] =
    "<node>"
    "<domain type='test'>"
    "  <name>test</name>"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
    "  <memory>8388608</memory>"
    "  <currentMemory>2097152</currentMemory>"
    "  <vcpu>2</vcpu>"
    "  <os>"
    "    <type>hvm</type>"
    "  </os>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <source file='/guest/diskimage1'/>"
    "      <target dev='vda' bus='virtio'/>"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
    "    </disk>"
    "    <interface type='network'>"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>"
    "      <source network='default'/>"
    "      <target dev='testnet0'/>"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>"
    "    </interface>"
    "    <memballoon model='virtio'>"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"
    "    </memballoon>"
    "  </devices>"
    "</domain>"
    "</node>";

/* The host: an i686 with 2 NUMA cells of 8 CPUs each. */
static const evirt_node_info test_default_node = {
    .model = "i686",
    .memory = 3 * 1024 * 1024,
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

void test_state_set_default_node(test_state *st)
{
    st->node = test_default_node;
    st->shm_pages_to_scan = 100;
    st->shm_sleep_millisecs = 20;
    st->shm_merge_across_nodes = 1;
}

int test_default_load(test_state *st, evirt_error *err)
{
    test_state_set_default_node(st);
    st->is_default = true;
    st->ncells = 2;
    for (int i = 0; i < st->ncells; i++) {
        st->cells[i].mem_kib = (i + 1) * 2048ULL * 1024;
        st->cells[i].free_kib = (i + 1) * 1024ULL * 1024;
        st->cells[i].ncpus = 8;
        st->cells[i].first_cpu = i * 8;
    }
    if (test_config_load_string(st, test_default_xml, "(test driver)", NULL,
                                err) < 0)
        return -1;
    if (test_network_load_default(st, err) < 0)
        return -1;
    if (test_interfaces_load_default(st, err) < 0 ||
        test_nodedevs_load_default(st, err) < 0)
        return -1;
    if (test_storage_default_load(st, err) < 0)
        return -1;
    return 0;
}
