/*
 * drivers/test/test-host.c - the fake host: node facts, capabilities,
 * CPU models, memory and CPU statistics.  The numbers are those libvirt's
 * test driver reports, so tools see the same host through either library.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <sys/socket.h>

#include "drivers/test/test-ops.h"
#include "conf/xml_util.h"

#define EVIRT_LOG_CATEGORY "evirt.test.host"
#include "api/log-private.h"

/* libvirt's test driver reports hypervisor version 0.0.2. */
#define TEST_HV_VERSION 2
#define TEST_MAX_VCPUS 32
#define TEST_EMULATOR "/usr/bin/test-hv"

/* Host page sizes (KiB), as in the capabilities. */
static const unsigned int test_page_sizes[] = { 4, 8, 2048, 1048576 };
#define TEST_NPAGE_SIZES (sizeof(test_page_sizes) / sizeof(test_page_sizes[0]))

static const char *const test_x86_models[] = {
    "486", "pentium", "pentium2", "pentium3", "pentiumpro", "coreduo", "n270",
    "core2duo", "qemu32", "kvm32", "cpu64-rhel5", "cpu64-rhel6", "qemu64",
    "kvm64", "Conroe", "Penryn", "Nehalem", "Nehalem-IBRS", "Westmere",
    "Westmere-IBRS", "SandyBridge", "SandyBridge-IBRS", "IvyBridge",
    "IvyBridge-IBRS", "Haswell-noTSX", "Haswell-noTSX-IBRS", "Haswell",
    "Haswell-IBRS", "Broadwell-noTSX", "Broadwell-noTSX-IBRS", "Broadwell",
    "Broadwell-IBRS", "Skylake-Client", "Skylake-Client-IBRS",
    "Skylake-Client-noTSX-IBRS", "Skylake-Server", "Skylake-Server-IBRS",
    "Skylake-Server-noTSX-IBRS", "Cascadelake-Server",
    "Cascadelake-Server-noTSX", "Icelake-Client", "Icelake-Client-noTSX",
    "Icelake-Server", "Icelake-Server-noTSX", "Cooperlake", "Snowridge",
    "athlon", "phenom", "Opteron_G1", "Opteron_G2", "Opteron_G3",
    "Opteron_G4", "Opteron_G5", "EPYC", "EPYC-IBPB", "EPYC-Rome",
    "EPYC-Milan", "Dhyana", NULL,
};

static const char *const test_ppc64_models[] = {
    "POWER6", "POWER7", "POWER8", "POWER9", "POWER10", "POWERPC_e5500",
    "POWERPC_e6500", NULL,
};

/* Architectures libvirt knows, and the CPU model list each one has:
 * an empty list when its CPU driver has no models, NULL when there is no
 * CPU driver for it at all. */
static const char *const test_no_models[] = { NULL };
static const struct {
    const char *arch;
    const char *const *models;
} test_arches[] = {
    { "i686", test_x86_models }, { "x86_64", test_x86_models },
    { "ppc64", test_ppc64_models }, { "ppc64le", test_ppc64_models },
    { "s390", test_no_models }, { "s390x", test_no_models },
    { "armv6l", test_no_models }, { "armv7l", test_no_models },
    { "armv7b", test_no_models }, { "aarch64", test_no_models },
    { "alpha", NULL }, { "cris", NULL }, { "ia64", NULL }, { "lm32", NULL },
    { "loongarch64", NULL }, { "m68k", NULL }, { "microblaze", NULL },
    { "microblazeel", NULL }, { "mips", NULL }, { "mipsel", NULL },
    { "mips64", NULL }, { "mips64el", NULL }, { "openrisc", NULL },
    { "parisc", NULL }, { "parisc64", NULL }, { "ppc", NULL },
    { "ppcle", NULL }, { "ppcemb", NULL }, { "riscv32", NULL },
    { "riscv64", NULL }, { "sh4", NULL }, { "sh4eb", NULL }, { "sparc", NULL },
    { "sparc64", NULL }, { "unicore32", NULL }, { "xtensa", NULL },
    { "xtensaeb", NULL },
};

/* ------------------------------------------------------ connection facts */

/*
 * The host's name, resolved once per process: the resolver may block, and
 * the loop must not pay for it on every call (a monitoring agent asks
 * often).  Like libvirt, prefer the canonical name when the resolver knows
 * a fully qualified one, else the plain name.
 */
static char host_name[256];
static pthread_once_t host_name_once = PTHREAD_ONCE_INIT;

static void resolve_host_name(void)
{
    char name[256];
    if (gethostname(name, sizeof(name) - 1) < 0)
        return; /* host_name stays empty: reported as an error */
    name[sizeof(name) - 1] = '\0';
    struct addrinfo hints = { .ai_flags = AI_CANONNAME | AI_CANONIDN,
                              .ai_family = AF_UNSPEC };
    struct addrinfo *info = NULL;
    const char *best = name;
    if (!strchr(name, '.') && getaddrinfo(name, NULL, &hints, &info) == 0 &&
        info && info->ai_canonname && strcmp(info->ai_canonname, "localhost") != 0)
        best = info->ai_canonname;
    snprintf(host_name, sizeof(host_name), "%s", best);
    if (info)
        freeaddrinfo(info);
}

void test_conn_get_hostname(evirt_op *op, evirt_conn *c)
{
    (void)c;
    pthread_once(&host_name_once, resolve_host_name);
    if (!host_name[0]) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_SYSTEM_ERROR,
                      "cannot find the host name");
        return;
    }
    char *result = strdup(host_name);
    if (!result)
        test_fail_oom(op);
    else
        evirt_op_return_string(op, result);
}

void test_conn_get_type(evirt_op *op, evirt_conn *c)
{
    (void)c;
    char *s = strdup("TEST");
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_conn_get_version(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_uint(op, TEST_HV_VERSION);
}

void test_conn_get_lib_version(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_uint(op, EVIRT_VERSION_MAJOR * 1000000ULL +
                             EVIRT_VERSION_MINOR * 1000ULL +
                             EVIRT_VERSION_MICRO);
}

void test_conn_get_uri(evirt_op *op, evirt_conn *c)
{
    char *s = strdup(c->uri);
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_conn_get_max_vcpus(evirt_op *op, evirt_conn *c, const char *type)
{
    (void)c; (void)type;
    evirt_op_return_int(op, TEST_MAX_VCPUS);
}

void test_conn_get_sysinfo(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    (void)c;
    TEST_CHECK_FLAGS(op, flags, 0);
    char *s = strdup("<sysinfo type='smbios'>\n"
                     "  <bios>\n"
                     "    <entry name='vendor'>LENOVO</entry>\n"
                     "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
                     "    <entry name='date'>05/07/2014</entry>\n"
                     "    <entry name='release'>2.61</entry>\n"
                     "  </bios>\n"
                     "</sysinfo>\n");
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_conn_is_encrypted(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_int(op, 0);
}

void test_conn_is_secure(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_int(op, 1);
}

void test_conn_is_alive(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_int(op, 1);
}

/* --------------------------------------------------------- capabilities */

static void caps_format_cell(evirt_buf *b, const test_state *st, int i)
{
    const test_cell *cell = &st->cells[i];
    evirt_buf_printf(b, "        <cell id='%d'>\n", i);
    evirt_buf_printf(b, "          <memory unit='KiB'>%llu</memory>\n",
                     cell->mem_kib);
    /* Cell 1 has 8 KiB base pages, the others 4 KiB (as libvirt's). */
    unsigned int base = i == 1 ? test_page_sizes[1] : test_page_sizes[0];
    evirt_buf_printf(b, "          <pages unit='KiB' size='%u'>%llu</pages>\n",
                     base, cell->mem_kib / base);
    for (size_t p = 2; p < TEST_NPAGE_SIZES; p++)
        evirt_buf_printf(b, "          <pages unit='KiB' size='%u'>0</pages>\n",
                         test_page_sizes[p]);
    evirt_buf_printf(b, "          <cpus num='%d'>\n", cell->ncpus);
    for (int k = 0; k < cell->ncpus; k++) {
        int id = cell->first_cpu + k;
        evirt_buf_printf(b, "            <cpu id='%d' socket_id='%d' die_id='0'"
                         " core_id='%d' siblings='%d'/>\n", id, i, k, id);
    }
    evirt_buf_adds(b, "          </cpus>\n");
    evirt_buf_adds(b, "        </cell>\n");
}

static void caps_format_guest(evirt_buf *b, const char *os_type)
{
    evirt_buf_adds(b, "  <guest>\n");
    evirt_buf_printf(b, "    <os_type>%s</os_type>\n", os_type);
    evirt_buf_adds(b, "    <arch name='i686'>\n"
                      "      <wordsize>32</wordsize>\n"
                      "      <emulator>" TEST_EMULATOR "</emulator>\n"
                      "      <domain type='test'/>\n"
                      "    </arch>\n"
                      "    <features>\n"
                      "      <pae/>\n"
                      "      <nonpae/>\n"
                      "    </features>\n"
                      "  </guest>\n\n");
}

void test_conn_get_capabilities(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    evirt_buf b = { 0 };
    evirt_buf_adds(&b, "<capabilities>\n\n"
                       "  <host>\n"
                       "    <cpu>\n"
                       "      <arch>i686</arch>\n"
                       "      <features>\n"
                       "        <pae/>\n"
                       "        <nonpae/>\n"
                       "      </features>\n");
    for (size_t p = 0; p < TEST_NPAGE_SIZES; p++)
        evirt_buf_printf(&b, "      <pages unit='KiB' size='%u'/>\n",
                         test_page_sizes[p]);
    evirt_buf_adds(&b, "    </cpu>\n"
                       "    <power_management/>\n"
                       "    <iommu support='no'/>\n"
                       "    <topology>\n");
    evirt_buf_printf(&b, "      <cells num='%d'>\n", st->ncells);
    for (int i = 0; i < st->ncells; i++)
        caps_format_cell(&b, st, i);
    evirt_buf_adds(&b, "      </cells>\n"
                       "    </topology>\n"
                       "    <secmodel>\n"
                       "      <model>testSecurity</model>\n"
                       "      <doi></doi>\n"
                       "    </secmodel>\n"
                       "  </host>\n\n");
    caps_format_guest(&b, "hvm");
    caps_format_guest(&b, "xen");
    evirt_buf_adds(&b, "</capabilities>\n");
    char *s = evirt_buf_steal(&b);
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_node_get_security_model(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_security_model m = { .model = "testSecurity", .doi = "" };
    evirt_op_return_struct(op, &m, sizeof(m));
}

/* ------------------------------------------------------------ CPU models */

static void free_plain(void *p, int n)
{
    (void)n;
    free(p);
}

static void free_string_list(void *p, int n)
{
    evirt_string_list_free(p, n);
}

void test_conn_get_cpu_model_names(evirt_op *op, evirt_conn *c, const char *arch,
                                   unsigned int flags)
{
    (void)c;
    TEST_CHECK_FLAGS(op, flags, 0);
    size_t a;
    for (a = 0; a < sizeof(test_arches) / sizeof(test_arches[0]); a++)
        if (strcmp(test_arches[a].arch, arch) == 0)
            break;
    if (a == sizeof(test_arches) / sizeof(test_arches[0])) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "cannot find architecture %s", arch);
        return;
    }
    const char *const *models = test_arches[a].models;
    if (!models) {
        evirt_op_fail(op, EVIRT_FROM_CPU, EVIRT_ERR_NO_SUPPORT,
                      "'%s' architecture is not supported by CPU driver", arch);
        return;
    }
    int n = 0;
    while (models[n])
        n++;
    char **list = calloc(n + 1, sizeof(*list));
    if (!list) {
        test_fail_oom(op);
        return;
    }
    for (int i = 0; i < n; i++) {
        if (!(list[i] = strdup(models[i]))) {
            evirt_string_list_free(list, i);
            test_fail_oom(op);
            return;
        }
    }
    evirt_op_return_ptr(op, list, n, free_string_list);
}

static bool is_x86_model(const char *name)
{
    for (size_t i = 0; test_x86_models[i]; i++)
        if (strcmp(test_x86_models[i], name) == 0)
            return true;
    return false;
}

/*
 * The host CPU is a bare i686 with the pae and nonpae features.  A guest
 * CPU naming only that is IDENTICAL; one asking for a known x86 model
 * (which the fake host can run) or leaving features optional is
 * SUPERSET-compatible; another architecture, an unknown model or a
 * required feature the host lacks is INCOMPATIBLE (why says which).
 */
static int compare_cpu_node(xmlNodePtr cpu, char *why, size_t whylen)
{
    int result = EVIRT_CPU_COMPARE_IDENTICAL;
    xmlNodePtr arch = evirt_xml_child(cpu, "arch");
    if (arch) {
        char *a = evirt_xml_text(arch);
        bool ok = a && (strcmp(a, "i686") == 0 || strcmp(a, "x86_64") == 0);
        if (!ok)
            snprintf(why, whylen, "host CPU does not support architecture %s",
                     a ? a : "?");
        free(a);
        if (!ok)
            return EVIRT_CPU_COMPARE_INCOMPATIBLE;
    }
    xmlNodePtr model = evirt_xml_child(cpu, "model");
    if (model) {
        char *m = evirt_xml_text(model);
        bool known = m && is_x86_model(m);
        if (!known)
            snprintf(why, whylen, "unknown CPU model %s", m ? m : "?");
        free(m);
        if (!known)
            return EVIRT_CPU_COMPARE_INCOMPATIBLE;
        result = EVIRT_CPU_COMPARE_SUPERSET;
    }
    for (xmlNodePtr f = cpu->children; f; f = f->next) {
        if (!evirt_xml_is(f, "feature"))
            continue;
        char *name = evirt_xml_prop(f, "name");
        char *policy = evirt_xml_prop(f, "policy");
        bool required = !policy || strcmp(policy, "require") == 0 ||
                        strcmp(policy, "force") == 0;
        bool host_has = name && (strcmp(name, "pae") == 0 ||
                                 strcmp(name, "nonpae") == 0);
        bool bad = required && !host_has;
        if (bad)
            snprintf(why, whylen, "host CPU does not provide required feature: %s",
                     name ? name : "?");
        else if (!required)
            result = EVIRT_CPU_COMPARE_SUPERSET;
        free(name);
        free(policy);
        if (bad)
            return EVIRT_CPU_COMPARE_INCOMPATIBLE;
    }
    return result;
}

void test_conn_compare_cpu(evirt_op *op, evirt_conn *c, const char *xml,
                           unsigned int flags)
{
    (void)c;
    TEST_CHECK_FLAGS(op, flags, EVIRT_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE |
                                EVIRT_CONNECT_COMPARE_CPU_VALIDATE_XML);
    evirt_error err = { 0 };
    xmlDocPtr doc = evirt_xml_read(xml, "cpu_definition", EVIRT_FROM_CPU, &err);
    if (!doc) {
        evirt_op_fail_error(op, &err);
        return;
    }
    /* A <cpu>, or a domain / capabilities document holding one. */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr cpu = NULL;
    if (evirt_xml_is(root, "cpu"))
        cpu = root;
    else if (evirt_xml_is(root, "domain"))
        cpu = evirt_xml_child(root, "cpu");
    else if (evirt_xml_is(root, "capabilities"))
        cpu = evirt_xml_child(evirt_xml_child(root, "host"), "cpu");
    if (!cpu) {
        xmlFreeDoc(doc);
        evirt_op_fail(op, EVIRT_FROM_CPU, EVIRT_ERR_XML_ERROR,
                      "no CPU definition found in the document");
        return;
    }
    char why[300] = "";
    int r = compare_cpu_node(cpu, why, sizeof(why));
    xmlFreeDoc(doc);
    if (r == EVIRT_CPU_COMPARE_INCOMPATIBLE &&
        (flags & EVIRT_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE))
        evirt_op_fail(op, EVIRT_FROM_CPU, EVIRT_ERR_CPU_INCOMPATIBLE, "%s", why);
    else
        evirt_op_return_int(op, r);
}

/* ----------------------------------------------------------- node facts */

void test_node_get_info(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    evirt_op_return_struct(op, &st->node, sizeof(st->node));
}

void test_node_get_cells_free_memory(evirt_op *op, evirt_conn *c, int start_cell,
                                     int max_cells)
{
    test_state *st = test_state_of(c);
    if (start_cell < 0 || start_cell >= st->ncells || max_cells < 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "Range exceeds available cells");
        return;
    }
    int n = st->ncells - start_cell;
    if (n > max_cells)
        n = max_cells;
    unsigned long long *v = calloc(n ? n : 1, sizeof(*v));
    if (!v) {
        test_fail_oom(op);
        return;
    }
    /* libvirt's test driver answers each cell's size here; kept so both
     * libraries show the same numbers. */
    for (int i = 0; i < n; i++)
        v[i] = st->cells[start_cell + i].mem_kib;
    evirt_op_return_ptr(op, v, n, free_plain);
}

void test_node_get_free_memory(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    unsigned long long total = 0;
    for (int i = 0; i < st->ncells; i++)
        total += st->cells[i].free_kib;
    evirt_op_return_uint(op, total);
}

void test_node_get_free_pages(evirt_op *op, evirt_conn *c, const unsigned int *pages,
                              int n_pages, int start_cell, unsigned int cell_count,
                              unsigned int flags)
{
    (void)c; (void)pages;
    TEST_CHECK_FLAGS(op, flags, 0);
    if (n_pages <= 0 || cell_count == 0 || start_cell < 0 ||
        cell_count > INT32_MAX / (unsigned int)n_pages) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "need at least one page size and one cell");
        return;
    }
    int n = (int)cell_count * n_pages;
    unsigned long long *v = calloc(n, sizeof(*v));
    if (!v) {
        test_fail_oom(op);
        return;
    }
    /* The same made-up series libvirt's test driver reports. */
    unsigned long long x = 6;
    for (int i = 0; i < n; i++) {
        x = x * 2 + 7;
        v[i] = x;
    }
    evirt_op_return_ptr(op, v, n, free_plain);
}

static void free_params(void *p, int n)
{
    evirt_typed_params_free(p, n);
}

static void set_param_ull(evirt_typed_param *p, const char *field,
                          unsigned long long v)
{
    snprintf(p->field, sizeof(p->field), "%s", field);
    p->type = EVIRT_TYPED_PARAM_ULLONG;
    p->value.ul = v;
}

static void set_param_uint(evirt_typed_param *p, const char *field, unsigned int v)
{
    snprintf(p->field, sizeof(p->field), "%s", field);
    p->type = EVIRT_TYPED_PARAM_UINT;
    p->value.ui = v;
}

void test_node_get_memory_stats(evirt_op *op, evirt_conn *c, int cell,
                                unsigned int flags)
{
    test_state *st = test_state_of(c);
    TEST_CHECK_FLAGS(op, flags, 0);
    unsigned long long total, free_kib;
    int n;
    if (cell == -1) {
        /* The whole host: libvirt's names, KiB. */
        total = st->node.memory;
        free_kib = 0;
        for (int i = 0; i < st->ncells; i++)
            free_kib += st->cells[i].free_kib;
        if (st->ncells == 0 || free_kib > total)
            free_kib = total;
        n = 4;
    } else if (cell >= 0 && cell < st->ncells) {
        total = st->cells[cell].mem_kib;
        free_kib = st->cells[cell].free_kib;
        n = 2;
    } else {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "cell number %d out of range (the host has %d cells)",
                      cell, st->ncells);
        return;
    }
    evirt_typed_param *p = calloc(n, sizeof(*p));
    if (!p) {
        test_fail_oom(op);
        return;
    }
    set_param_ull(&p[0], "total", total);
    set_param_ull(&p[1], "free", free_kib);
    if (n == 4) {
        set_param_ull(&p[2], "buffers", 0);
        set_param_ull(&p[3], "cached", 0);
    }
    evirt_op_return_ptr(op, p, n, free_params);
}

void test_node_get_memory_parameters(evirt_op *op, evirt_conn *c,
                                     unsigned int flags)
{
    test_state *st = test_state_of(c);
    TEST_CHECK_FLAGS(op, flags, EVIRT_TYPED_PARAM_STRING_OKAY);
    evirt_typed_param *p = calloc(8, sizeof(*p));
    if (!p) {
        test_fail_oom(op);
        return;
    }
    /* Kernel same-page merging of a host that merges nothing. */
    set_param_uint(&p[0], "shm_pages_to_scan", st->shm_pages_to_scan);
    set_param_uint(&p[1], "shm_sleep_millisecs", st->shm_sleep_millisecs);
    set_param_ull(&p[2], "shm_pages_shared", 0);
    set_param_ull(&p[3], "shm_pages_sharing", 0);
    set_param_ull(&p[4], "shm_pages_unshared", 0);
    set_param_ull(&p[5], "shm_pages_volatile", 0);
    set_param_ull(&p[6], "shm_full_scans", 0);
    set_param_uint(&p[7], "shm_merge_across_nodes", st->shm_merge_across_nodes);
    evirt_op_return_ptr(op, p, 8, free_params);
}

void test_node_set_memory_parameters(evirt_op *op, evirt_conn *c,
                                     const evirt_typed_param *params, int n_params,
                                     unsigned int flags)
{
    test_state *st = test_state_of(c);
    TEST_CHECK_FLAGS(op, flags, 0);
    static const char *const settable[] = {
        "shm_pages_to_scan", "shm_sleep_millisecs", "shm_merge_across_nodes",
    };
    /* Check everything first so a bad list changes nothing. */
    for (int i = 0; i < n_params; i++) {
        size_t k;
        for (k = 0; k < 3; k++)
            if (strcmp(params[i].field, settable[k]) == 0)
                break;
        if (k == 3) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                          "parameter '%s' not supported", params[i].field);
            return;
        }
        if (params[i].type != EVIRT_TYPED_PARAM_UINT) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                          "invalid type for parameter '%s', expected 'uint'",
                          params[i].field);
            return;
        }
        if (k == 2 && params[i].value.ui > 1) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                          "shm_merge_across_nodes must be 0 or 1");
            return;
        }
    }
    for (int i = 0; i < n_params; i++) {
        if (strcmp(params[i].field, settable[0]) == 0)
            st->shm_pages_to_scan = params[i].value.ui;
        else if (strcmp(params[i].field, settable[1]) == 0)
            st->shm_sleep_millisecs = params[i].value.ui;
        else
            st->shm_merge_across_nodes = params[i].value.ui;
    }
    evirt_op_return_void(op);
}

void test_node_get_cpu_map(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    (void)c;
    TEST_CHECK_FLAGS(op, flags, 0);
    /* libvirt's test host: 8 CPUs, 0, 2 and 4 online. */
    evirt_node_cpu_map m = { .ncpus = 8, .online = 3 };
    m.map[0] = 0x15;
    evirt_op_return_struct(op, &m, sizeof(m));
}

void test_node_get_cpu_stats(evirt_op *op, evirt_conn *c, int cpu,
                             unsigned int flags)
{
    test_state *st = test_state_of(c);
    TEST_CHECK_FLAGS(op, flags, 0);
    if (cpu < -1 || cpu >= (int)st->node.cpus) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "cpu number %d out of range (the host has %u CPUs)",
                      cpu, st->node.cpus);
        return;
    }
    evirt_typed_param *p = calloc(4, sizeof(*p));
    if (!p) {
        test_fail_oom(op);
        return;
    }
    set_param_ull(&p[0], "user", 9797400000ULL);
    set_param_ull(&p[1], "kernel", 34678723400000ULL);
    set_param_ull(&p[2], "idle", 87264900000ULL);
    set_param_ull(&p[3], "iowait", 763600000ULL);
    evirt_op_return_ptr(op, p, 4, free_params);
}
