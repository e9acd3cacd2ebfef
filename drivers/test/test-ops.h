/*
 * drivers/test/test-ops.h - the test driver's own entries (host, queries,
 * define/undefine/create-xml) and its loaders, shared by test-driver.c
 * and the files that implement them.
 */
#ifndef EVIRT_TEST_OPS_H
#define EVIRT_TEST_OPS_H

#include "drivers/test/test-state.h"

/* test-default.c: fills st with test:///default's host and domains. */
int test_default_load(test_state *st, evirt_error *err);
/* The host facts every state starts from (a config file changes them). */
void test_state_set_default_node(test_state *st);

/*
 * test-config.c: fills st from libvirt's test driver config file at path
 * (absolute).  On failure err names the file and the problem and st may
 * be partly filled (the caller frees it).
 */
int test_config_load_file(test_state *st, const char *path, evirt_error *err);
/* The same from a document in memory; relative file= references are
 * resolved against dir (NULL: the current folder). */
int test_config_load_string(test_state *st, const char *xml, const char *docname,
                            const char *dir, evirt_error *err);

/*
 * test-domain-query.c: prepares a freshly parsed def for the test
 * hypervisor (default arch, interface names testnetN).  0, or -1 with
 * err set.
 */
int test_domain_def_prepare(evirt_domain_def *def, evirt_error *err);

/* Fails op with INVALID_ARG "unsupported flags (0x..) in function ...". */
#define TEST_CHECK_FLAGS(op, flags, allowed) \
    do { \
        if ((flags) & ~(unsigned int)(allowed)) { \
            evirt_op_fail((op), EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG, \
                          "unsupported flags (0x%x) in function %s", \
                          (flags) & ~(unsigned int)(allowed), __func__); \
            return; \
        } \
    } while (0)

/* ---- test-host.c */
void test_conn_get_capabilities(evirt_op *op, evirt_conn *c);
void test_conn_get_hostname(evirt_op *op, evirt_conn *c);
void test_conn_get_type(evirt_op *op, evirt_conn *c);
void test_conn_get_version(evirt_op *op, evirt_conn *c);
void test_conn_get_lib_version(evirt_op *op, evirt_conn *c);
void test_conn_get_uri(evirt_op *op, evirt_conn *c);
void test_conn_get_max_vcpus(evirt_op *op, evirt_conn *c, const char *type);
void test_conn_get_sysinfo(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_conn_get_cpu_model_names(evirt_op *op, evirt_conn *c, const char *arch,
                                   unsigned int flags);
void test_conn_compare_cpu(evirt_op *op, evirt_conn *c, const char *xml,
                           unsigned int flags);
void test_conn_is_encrypted(evirt_op *op, evirt_conn *c);
void test_conn_is_secure(evirt_op *op, evirt_conn *c);
void test_conn_is_alive(evirt_op *op, evirt_conn *c);
void test_node_get_info(evirt_op *op, evirt_conn *c);
void test_node_get_cells_free_memory(evirt_op *op, evirt_conn *c, int start_cell,
                                     int max_cells);
void test_node_get_free_memory(evirt_op *op, evirt_conn *c);
void test_node_get_free_pages(evirt_op *op, evirt_conn *c, const unsigned int *pages,
                              int n_pages, int start_cell, unsigned int cell_count,
                              unsigned int flags);
void test_node_get_memory_stats(evirt_op *op, evirt_conn *c, int cell,
                                unsigned int flags);
void test_node_get_memory_parameters(evirt_op *op, evirt_conn *c,
                                     unsigned int flags);
void test_node_set_memory_parameters(evirt_op *op, evirt_conn *c,
                                     const evirt_typed_param *params, int n_params,
                                     unsigned int flags);
void test_node_get_cpu_map(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_node_get_cpu_stats(evirt_op *op, evirt_conn *c, int cpu,
                             unsigned int flags);
void test_node_get_security_model(evirt_op *op, evirt_conn *c);

/* ---- test-domain-query.c */
void test_domain_lookup_by_id(evirt_op *op, evirt_conn *c, int id);
void test_domain_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name);
void test_domain_lookup_by_uuid(evirt_op *op, evirt_conn *c,
                                const unsigned char *uuid);
void test_domain_lookup_by_uuid_string(evirt_op *op, evirt_conn *c,
                                       const char *uuid);
void test_conn_list_domains(evirt_op *op, evirt_conn *c);
void test_conn_list_defined_domains(evirt_op *op, evirt_conn *c);
void test_conn_list_all_domains(evirt_op *op, evirt_conn *c, unsigned int flags);
void test_conn_num_of_domains(evirt_op *op, evirt_conn *c);
void test_conn_num_of_defined_domains(evirt_op *op, evirt_conn *c);
void test_domain_get_info(evirt_op *op, evirt_domain *d);
void test_domain_get_state(evirt_op *op, evirt_domain *d, unsigned int flags);
void test_domain_get_os_type(evirt_op *op, evirt_domain *d);
void test_domain_get_hostname(evirt_op *op, evirt_domain *d, unsigned int flags);
void test_domain_get_time(evirt_op *op, evirt_domain *d, unsigned int flags);
void test_domain_get_max_memory(evirt_op *op, evirt_domain *d);
void test_domain_get_max_vcpus(evirt_op *op, evirt_domain *d);
void test_domain_has_current_snapshot(evirt_op *op, evirt_domain *d,
                                      unsigned int flags);
void test_domain_has_managed_save_image(evirt_op *op, evirt_domain *d,
                                        unsigned int flags);
/* (not test_domain_is_active: that is test-state.h's helper) */
void test_domain_is_active_entry(evirt_op *op, evirt_domain *d);
void test_domain_is_persistent(evirt_op *op, evirt_domain *d);
void test_domain_is_updated(evirt_op *op, evirt_domain *d);
void test_domain_get_autostart(evirt_op *op, evirt_domain *d);
void test_domain_get_xml_desc(evirt_op *op, evirt_domain *d, unsigned int flags);
void test_domain_create_xml(evirt_op *op, evirt_conn *c, const char *xml,
                            unsigned int flags);
void test_domain_define_xml(evirt_op *op, evirt_conn *c, const char *xml);
void test_domain_define_xml_flags(evirt_op *op, evirt_conn *c, const char *xml,
                                  unsigned int flags);
void test_domain_undefine(evirt_op *op, evirt_domain *d);
void test_domain_undefine_flags(evirt_op *op, evirt_domain *d, unsigned int flags);

#endif
