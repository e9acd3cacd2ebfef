/*
 * tests/test-driver-host.c - the test driver's host operations, against
 * test:///default (libvirt's test host) and a config file.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "tests/test-uri-helper.h"

#define DATA TEST_DATA_DIR "/testdriver/"

static int open_default(void **state)
{
    evirt_conn *c = evirt_conn_open(test_uri("test:///default"));
    assert_non_null(c);
    *state = c;
    return 0;
}

static int close_conn(void **state)
{
    evirt_conn_close(*state);
    return 0;
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

static const evirt_typed_param *find_param(const evirt_typed_param *p, int n,
                                           const char *field)
{
    for (int i = 0; i < n; i++)
        if (strcmp(p[i].field, field) == 0)
            return &p[i];
    return NULL;
}

/* ------------------------------------------------------------ identity */

static void test_identity(void **state)
{
    evirt_conn *c = *state;
    char *s = evirt_conn_get_type(c);
    assert_string_equal(s, "TEST");
    free(s);
    s = evirt_conn_get_uri(c);
    assert_string_equal(s, test_uri("test:///default"));
    free(s);

    unsigned long v = 0;
    assert_int_equal(evirt_conn_get_version(c, &v), 0);
    assert_int_equal(v, 2); /* libvirt's test hypervisor: 0.0.2 */
    assert_int_equal(evirt_conn_get_lib_version(c, &v), 0);
    assert_int_equal(v, EVIRT_VERSION_MAJOR * 1000000UL +
                        EVIRT_VERSION_MINOR * 1000UL + EVIRT_VERSION_MICRO);

    char host[256] = "";
    gethostname(host, sizeof(host) - 1);
    s = evirt_conn_get_hostname(c);
    assert_non_null(s);
    /* The real machine's name (maybe its fully qualified form). */
    assert_memory_equal(s, host, strlen(host));
    free(s);

    assert_int_equal(evirt_conn_get_max_vcpus(c, NULL), 32);
    assert_int_equal(evirt_conn_get_max_vcpus(c, "kvm"), 32);
    assert_int_equal(evirt_conn_is_encrypted(c), 0);
    assert_int_equal(evirt_conn_is_secure(c), 1);
    assert_int_equal(evirt_conn_is_alive(c), 1);
}

static void test_sysinfo(void **state)
{
    evirt_conn *c = *state;
    char *s = evirt_conn_get_sysinfo(c, 0);
    assert_non_null(s);
    assert_non_null(strstr(s, "<sysinfo type='smbios'>"));
    assert_non_null(strstr(s, "<entry name='vendor'>LENOVO</entry>"));
    assert_non_null(strstr(s, "<entry name='version'>G4ETA1WW (2.61 )</entry>"));
    free(s);
    assert_null(evirt_conn_get_sysinfo(c, 1));
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "unsupported flags");
}

static void test_capabilities(void **state)
{
    evirt_conn *c = *state;
    char *s = evirt_conn_get_capabilities(c);
    assert_non_null(s);
    static const char *const expect[] = {
        "<arch>i686</arch>",
        "<pages unit='KiB' size='1048576'/>",
        "<iommu support='no'/>",
        "<cells num='2'>",
        "<cell id='0'>\n          <memory unit='KiB'>2097152</memory>\n"
        "          <pages unit='KiB' size='4'>524288</pages>",
        "<cell id='1'>\n          <memory unit='KiB'>4194304</memory>\n"
        "          <pages unit='KiB' size='8'>524288</pages>",
        "<cpu id='15' socket_id='1' die_id='0' core_id='7' siblings='15'/>",
        "<model>testSecurity</model>\n      <doi></doi>",
        "<os_type>hvm</os_type>",
        "<os_type>xen</os_type>",
        "<emulator>/usr/bin/test-hv</emulator>",
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        if (!strstr(s, expect[i]))
            fail_msg("capabilities lack: %s\n%s", expect[i], s);
    assert_memory_equal(s, "<capabilities>\n\n  <host>\n", 24);
    free(s);
}

static void test_node_info(void **state)
{
    evirt_conn *c = *state;
    evirt_node_info ni;
    assert_int_equal(evirt_node_get_info(c, &ni), 0);
    assert_string_equal(ni.model, "i686");
    assert_int_equal(ni.memory, 3145728);
    assert_int_equal(ni.cpus, 16);
    assert_int_equal(ni.mhz, 1400);
    assert_int_equal(ni.nodes, 2);
    assert_int_equal(ni.sockets, 2);
    assert_int_equal(ni.cores, 2);
    assert_int_equal(ni.threads, 2);

    evirt_security_model sm;
    assert_int_equal(evirt_node_get_security_model(c, &sm), 0);
    assert_string_equal(sm.model, "testSecurity");
    assert_string_equal(sm.doi, "");
}

static void test_memory(void **state)
{
    evirt_conn *c = *state;
    unsigned long long *cells = NULL;
    assert_int_equal(evirt_node_get_cells_free_memory(c, 0, 8, &cells), 2);
    assert_int_equal(cells[0], 2097152);
    assert_int_equal(cells[1], 4194304);
    free(cells);
    assert_int_equal(evirt_node_get_cells_free_memory(c, 1, 8, &cells), 1);
    assert_int_equal(cells[0], 4194304);
    free(cells);
    assert_int_equal(evirt_node_get_cells_free_memory(c, 0, 1, &cells), 1);
    free(cells);
    assert_int_equal(evirt_node_get_cells_free_memory(c, 2, 1, &cells), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST,
                      "Range exceeds available cells");

    unsigned long long free_mem = 0;
    assert_int_equal(evirt_node_get_free_memory(c, &free_mem), 0);
    assert_int_equal(free_mem, 3145728);

    unsigned int sizes[] = { 4, 8, 2048, 1048576 };
    unsigned long long *pages = NULL;
    assert_int_equal(evirt_node_get_free_pages(c, sizes, 4, 0, 2, 0, &pages), 8);
    static const unsigned long long want[] = { 19, 45, 97, 201, 409, 825, 1657, 3321 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(pages[i], want[i]);
    free(pages);
    assert_int_equal(evirt_node_get_free_pages(c, sizes, 1, 0, 1, 1, &pages), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, NULL);

    evirt_typed_param *p = NULL;
    int n = evirt_node_get_memory_stats(c, -1, 0, &p);
    assert_int_equal(n, 4);
    assert_int_equal(find_param(p, n, "total")->value.ul, 3145728);
    assert_int_equal(find_param(p, n, "free")->value.ul, 3145728);
    assert_non_null(find_param(p, n, "buffers"));
    assert_non_null(find_param(p, n, "cached"));
    evirt_typed_params_free(p, n);
    n = evirt_node_get_memory_stats(c, 1, 0, &p);
    assert_int_equal(n, 2);
    assert_int_equal(find_param(p, n, "total")->value.ul, 4194304);
    assert_int_equal(find_param(p, n, "free")->value.ul, 2097152);
    evirt_typed_params_free(p, n);
    assert_int_equal(evirt_node_get_memory_stats(c, 2, 0, &p), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "out of range");
}

static void test_memory_parameters(void **state)
{
    evirt_conn *c = *state;
    evirt_typed_param *p = NULL;
    int n = evirt_node_get_memory_parameters(c, 0, &p);
    assert_int_equal(n, 8);
    const evirt_typed_param *scan = find_param(p, n, "shm_pages_to_scan");
    assert_non_null(scan);
    assert_int_equal(scan->type, EVIRT_TYPED_PARAM_UINT);
    assert_int_equal(scan->value.ui, 100);
    assert_non_null(find_param(p, n, "shm_sleep_millisecs"));
    assert_non_null(find_param(p, n, "shm_pages_shared"));
    assert_non_null(find_param(p, n, "shm_pages_sharing"));
    assert_non_null(find_param(p, n, "shm_pages_unshared"));
    assert_non_null(find_param(p, n, "shm_pages_volatile"));
    assert_non_null(find_param(p, n, "shm_full_scans"));
    assert_int_equal(find_param(p, n, "shm_merge_across_nodes")->value.ui, 1);
    evirt_typed_params_free(p, n);

    evirt_typed_param set[2] = {
        { .field = "shm_pages_to_scan", .type = EVIRT_TYPED_PARAM_UINT,
          .value.ui = 250 },
        { .field = "shm_merge_across_nodes", .type = EVIRT_TYPED_PARAM_UINT,
          .value.ui = 0 },
    };
    assert_int_equal(evirt_node_set_memory_parameters(c, set, 2, 0), 0);
    n = evirt_node_get_memory_parameters(c, 0, &p);
    assert_int_equal(find_param(p, n, "shm_pages_to_scan")->value.ui, 250);
    assert_int_equal(find_param(p, n, "shm_merge_across_nodes")->value.ui, 0);
    evirt_typed_params_free(p, n);

    /* Bad lists change nothing. */
    evirt_typed_param bad[2] = {
        { .field = "shm_sleep_millisecs", .type = EVIRT_TYPED_PARAM_UINT,
          .value.ui = 5 },
        { .field = "shm_full_scans", .type = EVIRT_TYPED_PARAM_UINT },
    };
    assert_int_equal(evirt_node_set_memory_parameters(c, bad, 2, 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "shm_full_scans");
    bad[1] = (evirt_typed_param){ .field = "shm_pages_to_scan",
                                  .type = EVIRT_TYPED_PARAM_ULLONG };
    assert_int_equal(evirt_node_set_memory_parameters(c, bad, 2, 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, "type");
    n = evirt_node_get_memory_parameters(c, 0, &p);
    assert_int_equal(find_param(p, n, "shm_sleep_millisecs")->value.ui, 20);
    evirt_typed_params_free(p, n);

    /* A read-only connection may look but not change. */
    evirt_conn *ro = evirt_conn_open_read_only(test_uri("test:///default"));
    assert_non_null(ro);
    assert_int_equal(evirt_node_set_memory_parameters(ro, set, 1, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_DENIED, -1, NULL);
    evirt_conn_close(ro);
}

static void test_cpu(void **state)
{
    evirt_conn *c = *state;
    evirt_node_cpu_map m;
    assert_int_equal(evirt_node_get_cpu_map(c, 0, &m), 0);
    assert_int_equal(m.ncpus, 8);
    assert_int_equal(m.online, 3);
    assert_int_equal(m.map[0], 0x15);

    evirt_typed_param *p = NULL;
    int n = evirt_node_get_cpu_stats(c, -1, 0, &p);
    assert_int_equal(n, 4);
    assert_int_equal(find_param(p, n, "user")->value.ul, 9797400000ULL);
    assert_int_equal(find_param(p, n, "kernel")->value.ul, 34678723400000ULL);
    assert_int_equal(find_param(p, n, "idle")->value.ul, 87264900000ULL);
    assert_int_equal(find_param(p, n, "iowait")->value.ul, 763600000ULL);
    evirt_typed_params_free(p, n);
    n = evirt_node_get_cpu_stats(c, 15, 0, &p);
    assert_int_equal(n, 4);
    evirt_typed_params_free(p, n);
    assert_int_equal(evirt_node_get_cpu_stats(c, 16, 0, &p), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, NULL);

    char **models = NULL;
    n = evirt_conn_get_cpu_model_names(c, "x86_64", 0, &models);
    assert_int_equal(n, 58);
    assert_string_equal(models[0], "486");
    assert_string_equal(models[n - 1], "Dhyana");
    evirt_string_list_free(models, n);
    n = evirt_conn_get_cpu_model_names(c, "ppc64le", 0, &models);
    assert_int_equal(n, 7);
    assert_string_equal(models[0], "POWER6");
    evirt_string_list_free(models, n);
    assert_int_equal(evirt_conn_get_cpu_model_names(c, "aarch64", 0, &models), 0);
    free(models);
    assert_int_equal(evirt_conn_get_cpu_model_names(c, "foo", 0, &models), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST,
                      "cannot find architecture foo");
    assert_int_equal(evirt_conn_get_cpu_model_names(c, "riscv64", 0, &models), -1);
    assert_last_error(EVIRT_ERR_NO_SUPPORT, EVIRT_FROM_CPU, "riscv64");
}

static void test_compare_cpu(void **state)
{
    evirt_conn *c = *state;
    assert_int_equal(evirt_conn_compare_cpu(c, "<cpu><arch>i686</arch></cpu>", 0),
                     EVIRT_CPU_COMPARE_IDENTICAL);
    assert_int_equal(evirt_conn_compare_cpu(
                         c, "<cpu mode='custom'><model>core2duo</model></cpu>", 0),
                     EVIRT_CPU_COMPARE_SUPERSET);
    assert_int_equal(evirt_conn_compare_cpu(
                         c, "<cpu><feature policy='require' name='pae'/></cpu>", 0),
                     EVIRT_CPU_COMPARE_IDENTICAL);
    assert_int_equal(evirt_conn_compare_cpu(
                         c, "<cpu><model>POWER9</model></cpu>", 0),
                     EVIRT_CPU_COMPARE_INCOMPATIBLE);
    assert_int_equal(evirt_conn_compare_cpu(
                         c, "<cpu><feature policy='require' name='avx512f'/></cpu>", 0),
                     EVIRT_CPU_COMPARE_INCOMPATIBLE);
    assert_int_equal(evirt_conn_compare_cpu(
                         c, "<cpu><arch>aarch64</arch></cpu>",
                         EVIRT_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE), -1);
    assert_last_error(EVIRT_ERR_CPU_INCOMPATIBLE, EVIRT_FROM_CPU, "aarch64");
    /* A domain document carrying a <cpu> works too. */
    assert_int_equal(evirt_conn_compare_cpu(
                         c, "<domain><cpu><model>Nehalem</model></cpu></domain>", 0),
                     EVIRT_CPU_COMPARE_SUPERSET);

    assert_int_equal(evirt_conn_compare_cpu(c, "<cpu><model>x</model", 0), -1);
    assert_last_error(EVIRT_ERR_XML_DETAIL, EVIRT_FROM_CPU, NULL);
    assert_int_equal(evirt_conn_compare_cpu(c, "<host/>", 0), -1);
    assert_last_error(EVIRT_ERR_XML_ERROR, EVIRT_FROM_CPU, "no CPU definition");
}

/* --------------------------------------------------------- config file */

static void test_config_host(void **state)
{
    (void)state;
    evirt_conn *c = evirt_conn_open(test_uri("test://" DATA "node.xml"));
    assert_non_null(c);
    evirt_node_info ni;
    assert_int_equal(evirt_node_get_info(c, &ni), 0);
    assert_string_equal(ni.model, "i986");
    assert_int_equal(ni.memory, 8192000);
    assert_int_equal(ni.cpus, 12); /* <active> below nodes*sockets*cores*threads */
    assert_int_equal(ni.mhz, 6000);
    assert_int_equal(ni.nodes, 4);
    assert_int_equal(ni.sockets, 2);
    assert_int_equal(ni.cores, 2);
    assert_int_equal(ni.threads, 2);

    /* As libvirt's test driver: a config file has no NUMA cells. */
    unsigned long long *cells = NULL;
    assert_int_equal(evirt_node_get_cells_free_memory(c, 0, 1, &cells), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST, NULL);
    char *caps = evirt_conn_get_capabilities(c);
    assert_non_null(strstr(caps, "<cells num='0'>"));
    free(caps);
    char *uri = evirt_conn_get_uri(c);
    assert_string_equal(uri, test_uri("test://" DATA "node.xml"));
    free(uri);
    evirt_conn_close(c);
}

static void expect_open_failure(const char *file, int code, const char *names,
                                const char *problem)
{
    char uri[512];
    snprintf(uri, sizeof(uri), "test://%s%s", DATA, file);
    evirt_conn *c = evirt_conn_open(test_uri(uri));
    if (c)
        fail_msg("%s opened", uri);
    const evirt_error *e = evirt_last_error();
    assert_non_null(e);
    assert_int_equal(e->code, code);
    assert_int_equal(e->domain, EVIRT_FROM_TEST);
    if (!strstr(e->message, names))
        fail_msg("'%s' does not name %s", e->message, names);
    if (problem && !strstr(e->message, problem))
        fail_msg("'%s' does not say '%s'", e->message, problem);
}

static void test_config_errors(void **state)
{
    (void)state;
    expect_open_failure("bad-missing-file.xml", EVIRT_ERR_XML_ERROR,
                        DATA "no-such-domain.xml", "No such file");
    expect_open_failure("does-not-exist.xml", EVIRT_ERR_XML_ERROR,
                        DATA "does-not-exist.xml", "No such file");
    expect_open_failure("bad-not-wellformed.xml", EVIRT_ERR_XML_DETAIL,
                        DATA "bad-not-wellformed.xml", ":4:");
    expect_open_failure("bad-domain-file.xml", EVIRT_ERR_XML_DETAIL,
                        DATA "dom-broken.xml", NULL);
    expect_open_failure("bad-root.xml", EVIRT_ERR_XML_ERROR,
                        DATA "bad-root.xml", "expecting root element of 'node'");
    expect_open_failure("bad-cpu.xml", EVIRT_ERR_XML_ERROR,
                        DATA "bad-cpu.xml", "invalid node cpu nodes value");
    expect_open_failure("bad-runstate.xml", EVIRT_ERR_XML_ERROR,
                        DATA "bad-runstate.xml", "runstate '42' out of range");

    assert_null(evirt_conn_open(test_uri("test:///")));
    assert_last_error(EVIRT_ERR_INVALID_ARG, EVIRT_FROM_TEST,
                      "supply a path or use test:///default");
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
        cmocka_unit_test_setup_teardown(test_identity, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_sysinfo, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_capabilities, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_node_info, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_memory, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_memory_parameters, open_default,
                                        close_conn),
        cmocka_unit_test_setup_teardown(test_cpu, open_default, close_conn),
        cmocka_unit_test_setup_teardown(test_compare_cpu, open_default, close_conn),
        cmocka_unit_test(test_config_host),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
