/*
 * drivers/test/test-driver.c - the test driver's table: it claims "test"
 * URIs without a transport or server (test:///default,
 * test:///abs/path/config.xml) and builds a private in-memory state per
 * connection -- or, in shared mode, one test:///default state for every
 * connection (test-driver.h).
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/test/test-driver.h"

#include "drivers/test/test-ops.h"
#include "drivers/test/test-domain-ops.h"
#include "drivers/test/test-domain-seclabel.h"
#include "drivers/test/test-network.h"
#include "drivers/test/test-interface.h"
#include "drivers/test/test-nodedev.h"
#include "drivers/test/test-storage.h"
#include "api/error-private.h"

#define EVIRT_LOG_CATEGORY "evirt.test"
#include "api/log-private.h"

#ifndef TEST_DOMAIN_OPS
# error "drivers/test/test-domain-ops.h must define TEST_DOMAIN_OPS"
#endif

/* Shared mode: the switch and the live shared state (guarded by the lock:
 * connections on different loops may open and close at once). */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static int shared_on;
static test_state *shared_state;

int evirt_test_driver_set_shared(int on)
{
    pthread_mutex_lock(&shared_lock);
    int old = shared_on;
    shared_on = !!on;
    pthread_mutex_unlock(&shared_lock);
    return old;
}

/*
 * Attaches conn to the live shared state when there is one on conn's
 * loop: 1 attached, 0 not (open a fresh one), -1 out of memory.
 */
static int test_attach_shared(evirt_conn *conn)
{
    int rc = 0;
    pthread_mutex_lock(&shared_lock);
    if (shared_on && shared_state && shared_state->nconns > 0 &&
        shared_state->conns[0]->loop == conn->loop) {
        rc = test_state_attach(shared_state, conn) < 0 ? -1 : 1;
        if (rc > 0)
            conn->driver_data = shared_state;
    }
    pthread_mutex_unlock(&shared_lock);
    return rc;
}

/* Makes st the shared state if shared mode wants one and has none. */
static void test_offer_shared(test_state *st)
{
    pthread_mutex_lock(&shared_lock);
    if (shared_on && !shared_state) {
        st->shared = true;
        shared_state = st;
    }
    pthread_mutex_unlock(&shared_lock);
}

static int test_claims(const evirt_uri *uri)
{
    /* test+tcp://host/... and friends are the remote driver's. */
    return strcmp(uri->scheme, "test") == 0 && !uri->server;
}

/*
 * Opening reads the config file on the loop thread: test configs are
 * small local files, and libvirt's test driver reads them the same way.
 */
static void test_open(evirt_op *op, evirt_conn *conn, const evirt_uri *uri,
                      evirt_auth *auth)
{
    (void)auth;
    const char *path = uri->path;
    if (!path || !path[0] || strcmp(path, "/") == 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "testOpen: supply a path or use test:///default");
        return;
    }
    bool is_default = strcmp(path, "/default") == 0;
    if (is_default) {
        int rc = test_attach_shared(conn);
        if (rc < 0) {
            test_fail_oom(op);
            return;
        }
        if (rc > 0) {
            EVIRT_DEBUG("%s: attached to the shared state", conn->uri);
            evirt_op_return_void(op);
            return;
        }
    }
    test_state *st = test_state_new(conn);
    if (!st) {
        test_fail_oom(op);
        return;
    }
    evirt_error err = { 0 };
    int rc;
    if (is_default) {
        rc = test_default_load(st, &err);
    } else {
        test_state_set_default_node(st);
        rc = test_config_load_file(st, path, &err);
    }
    if (rc < 0) {
        EVIRT_DEBUG("cannot open %s: %s", conn->uri,
                    err.message ? err.message : "?");
        test_state_free(st);
        evirt_op_fail_error(op, &err);
        return;
    }
    conn->driver_data = st;
    /* Loading ran without the lock; a concurrent open on another loop may
     * have become the shared state meanwhile: then this one stays private. */
    if (is_default)
        test_offer_shared(st);
    evirt_op_return_void(op);
}

static void test_close(evirt_conn *conn)
{
    test_state *st = conn->driver_data;
    conn->driver_data = NULL;
    if (!st)
        return;
    pthread_mutex_lock(&shared_lock);
    size_t left = test_state_detach(st, conn);
    if (left == 0 && st == shared_state)
        shared_state = NULL;
    pthread_mutex_unlock(&shared_lock);
    if (left == 0) {
        EVIRT_DEBUG("%s: last connection closed: state freed", conn->uri);
        test_state_free(st);
    }
}

const evirt_driver evirt_test_driver = {
    .name = "Test",
    .claims = test_claims,
    .open = test_open,
    .close = test_close,
    .ops = {
        /* test-host.c */
        .conn_get_capabilities = test_conn_get_capabilities,
        .conn_get_hostname = test_conn_get_hostname,
        .conn_get_type = test_conn_get_type,
        .conn_get_version = test_conn_get_version,
        .conn_get_lib_version = test_conn_get_lib_version,
        .conn_get_uri = test_conn_get_uri,
        .conn_get_max_vcpus = test_conn_get_max_vcpus,
        .conn_get_sysinfo = test_conn_get_sysinfo,
        .conn_get_cpu_model_names = test_conn_get_cpu_model_names,
        .conn_compare_cpu = test_conn_compare_cpu,
        .conn_is_encrypted = test_conn_is_encrypted,
        .conn_is_secure = test_conn_is_secure,
        .conn_is_alive = test_conn_is_alive,
        .node_get_info = test_node_get_info,
        .node_get_cells_free_memory = test_node_get_cells_free_memory,
        .node_get_free_memory = test_node_get_free_memory,
        .node_get_free_pages = test_node_get_free_pages,
        .node_get_memory_stats = test_node_get_memory_stats,
        .node_get_memory_parameters = test_node_get_memory_parameters,
        .node_set_memory_parameters = test_node_set_memory_parameters,
        .node_get_cpu_map = test_node_get_cpu_map,
        .node_get_cpu_stats = test_node_get_cpu_stats,
        .node_get_security_model = test_node_get_security_model,

        /* test-domain-query.c */
        .domain_lookup_by_id = test_domain_lookup_by_id,
        .domain_lookup_by_name = test_domain_lookup_by_name,
        .domain_lookup_by_uuid = test_domain_lookup_by_uuid,
        .domain_lookup_by_uuid_string = test_domain_lookup_by_uuid_string,
        .conn_list_domains = test_conn_list_domains,
        .conn_list_defined_domains = test_conn_list_defined_domains,
        .conn_list_all_domains = test_conn_list_all_domains,
        .conn_num_of_domains = test_conn_num_of_domains,
        .conn_num_of_defined_domains = test_conn_num_of_defined_domains,
        .domain_get_info = test_domain_get_info,
        .domain_get_state = test_domain_get_state,
        .domain_get_os_type = test_domain_get_os_type,
        .domain_get_security_label = test_domain_get_security_label,
        .domain_get_hostname = test_domain_get_hostname,
        .domain_get_time = test_domain_get_time,
        .domain_get_max_memory = test_domain_get_max_memory,
        .domain_get_max_vcpus = test_domain_get_max_vcpus,
        .domain_has_current_snapshot = test_domain_has_current_snapshot,
        .domain_has_managed_save_image = test_domain_has_managed_save_image,
        .domain_is_active = test_domain_is_active_entry,
        .domain_is_persistent = test_domain_is_persistent,
        .domain_is_updated = test_domain_is_updated,
        .domain_get_autostart = test_domain_get_autostart,
        .domain_get_xml_desc = test_domain_get_xml_desc,
        .domain_create_xml = test_domain_create_xml,
        .domain_define_xml = test_domain_define_xml,
        .domain_define_xml_flags = test_domain_define_xml_flags,
        .domain_undefine = test_domain_undefine,
        .domain_undefine_flags = test_domain_undefine_flags,

        /* test-domain-lifecycle.c, test-domain-stats.c */
        TEST_DOMAIN_OPS

        /* test-network.c */
        TEST_NETWORK_OPS

        /* test-interface.c, test-nodedev.c */
        TEST_INTERFACE_OPS
        TEST_NODEDEV_OPS

        /* test-storage-pool.c, test-storage-vol.c */
        TEST_STORAGE_OPS
    },
};
