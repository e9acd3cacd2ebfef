/*
 * drivers/test/test-domain-query.c - domain lookups, lists and facts, and
 * the definition operations (define, undefine, create from XML).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/test/test-ops.h"
#include "api/error-private.h"

#define EVIRT_LOG_CATEGORY "evirt.test.domain"
#include "api/log-private.h"

/* What libvirt's test driver reports as a guest's clock (seconds). */
#define TEST_GUEST_TIME 627319920LL

static void free_plain(void *p, int n)
{
    (void)n;
    free(p);
}

static void free_handle(void *p, int n)
{
    (void)n;
    evirt_domain_unref(p);
}

static void free_handles(void *p, int n)
{
    evirt_domain_list_free(p, n);
}

static void free_strings(void *p, int n)
{
    evirt_string_list_free(p, n);
}

/* Completes op with a new handle for dom. */
static void return_handle(evirt_op *op, evirt_conn *c, test_domain *dom)
{
    evirt_domain *h = test_domain_handle(c, dom);
    if (!h)
        test_fail_oom(op);
    else
        evirt_op_return_ptr(op, h, 0, free_handle);
}

int test_domain_def_prepare(evirt_domain_def *def, evirt_error *err)
{
    (void)err;
    /* The test hypervisor is an i686 (libvirt's default arch for it). */
    if (!def->os.arch && !(def->os.arch = strdup("i686")))
        goto oom;
    /* Interfaces without a host-side name get testnetN, the lowest N no
     * other interface of the domain uses. */
    for (size_t i = 0; i < def->nnets; i++) {
        if (def->nets[i].target_dev)
            continue;
        for (int n = 0; n < 1024; n++) {
            char name[32];
            snprintf(name, sizeof(name), "testnet%d", n);
            if (evirt_domain_def_find_net(def, name))
                continue;
            if (!(def->nets[i].target_dev = strdup(name)))
                goto oom;
            break;
        }
    }
    return 0;
oom:
    evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
    return -1;
}

/* --------------------------------------------------------------- lookups */

void test_domain_lookup_by_id(evirt_op *op, evirt_conn *c, int id)
{
    test_domain *dom = test_state_find_by_id(test_state_of(c), id);
    if (!dom) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_DOMAIN,
                      "no domain with matching id %d", id);
        return;
    }
    return_handle(op, c, dom);
}

void test_domain_lookup_by_name(evirt_op *op, evirt_conn *c, const char *name)
{
    test_domain *dom = test_state_find_by_name(test_state_of(c), name);
    if (!dom) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_DOMAIN,
                      "no domain with matching name '%s'", name);
        return;
    }
    return_handle(op, c, dom);
}

void test_domain_lookup_by_uuid(evirt_op *op, evirt_conn *c,
                                const unsigned char *uuid)
{
    test_domain *dom = test_state_find_by_uuid(test_state_of(c), uuid);
    if (!dom) {
        char s[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(uuid, s);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_DOMAIN,
                      "no domain with matching uuid '%s'", s);
        return;
    }
    return_handle(op, c, dom);
}

void test_domain_lookup_by_uuid_string(evirt_op *op, evirt_conn *c,
                                       const char *uuid)
{
    unsigned char raw[EVIRT_UUID_BUFLEN];
    if (evirt_uuid_parse(uuid, raw) < 0) {
        evirt_op_fail(op, EVIRT_FROM_DOMAIN, EVIRT_ERR_INVALID_ARG,
                      "invalid UUID '%s'", uuid);
        return;
    }
    test_domain_lookup_by_uuid(op, c, raw);
}

/* ----------------------------------------------------------------- lists */

void test_conn_list_domains(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    int *ids = calloc(st->ndomains + 1, sizeof(*ids));
    if (!ids) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < st->ndomains; i++)
        if (test_domain_is_active(st->domains[i]))
            ids[n++] = st->domains[i]->id;
    evirt_op_return_ptr(op, ids, n, free_plain);
}

void test_conn_list_defined_domains(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    char **names = calloc(st->ndomains + 1, sizeof(*names));
    if (!names) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < st->ndomains; i++) {
        test_domain *dom = st->domains[i];
        if (test_domain_is_active(dom))
            continue;
        if (!(names[n] = strdup(dom->def->name))) {
            evirt_string_list_free(names, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, names, n, free_strings);
}

/* True when one of the flags of a group is set and dom matches none. */
static bool filtered_out(unsigned int flags, unsigned int yes, unsigned int no,
                         bool has)
{
    if (!(flags & (yes | no)))
        return false;
    return !((flags & yes) && has) && !((flags & no) && !has);
}

static bool list_all_match(const test_domain *dom, unsigned int flags)
{
    bool active = test_domain_is_active(dom);
    if (filtered_out(flags, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE,
                     EVIRT_CONNECT_LIST_DOMAINS_INACTIVE, active) ||
        filtered_out(flags, EVIRT_CONNECT_LIST_DOMAINS_PERSISTENT,
                     EVIRT_CONNECT_LIST_DOMAINS_TRANSIENT, dom->persistent) ||
        filtered_out(flags, EVIRT_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                     EVIRT_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
                     dom->has_managed_save) ||
        filtered_out(flags, EVIRT_CONNECT_LIST_DOMAINS_AUTOSTART,
                     EVIRT_CONNECT_LIST_DOMAINS_NO_AUTOSTART, dom->autostart) ||
        /* The test driver keeps no snapshots or checkpoints. */
        filtered_out(flags, EVIRT_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                     EVIRT_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, false) ||
        filtered_out(flags, EVIRT_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                     EVIRT_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, false))
        return false;
    unsigned int states = flags & (EVIRT_CONNECT_LIST_DOMAINS_RUNNING |
                                   EVIRT_CONNECT_LIST_DOMAINS_PAUSED |
                                   EVIRT_CONNECT_LIST_DOMAINS_SHUTOFF |
                                   EVIRT_CONNECT_LIST_DOMAINS_OTHER);
    if (states) {
        unsigned int mine;
        switch (dom->state) {
        case EVIRT_DOMAIN_RUNNING: mine = EVIRT_CONNECT_LIST_DOMAINS_RUNNING; break;
        case EVIRT_DOMAIN_PAUSED: mine = EVIRT_CONNECT_LIST_DOMAINS_PAUSED; break;
        case EVIRT_DOMAIN_SHUTOFF: mine = EVIRT_CONNECT_LIST_DOMAINS_SHUTOFF; break;
        default: mine = EVIRT_CONNECT_LIST_DOMAINS_OTHER; break;
        }
        if (!(states & mine))
            return false;
    }
    return true;
}

void test_conn_list_all_domains(evirt_op *op, evirt_conn *c, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0xffff); /* every EVIRT_CONNECT_LIST_DOMAINS_* */
    test_state *st = test_state_of(c);
    evirt_domain **list = calloc(st->ndomains + 1, sizeof(*list));
    if (!list) {
        test_fail_oom(op);
        return;
    }
    int n = 0;
    for (size_t i = 0; i < st->ndomains; i++) {
        if (!list_all_match(st->domains[i], flags))
            continue;
        if (!(list[n] = test_domain_handle(c, st->domains[i]))) {
            evirt_domain_list_free(list, n);
            test_fail_oom(op);
            return;
        }
        n++;
    }
    evirt_op_return_ptr(op, list, n, free_handles);
}

void test_conn_num_of_domains(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    int n = 0;
    for (size_t i = 0; i < st->ndomains; i++)
        n += test_domain_is_active(st->domains[i]);
    evirt_op_return_int(op, n);
}

void test_conn_num_of_defined_domains(evirt_op *op, evirt_conn *c)
{
    test_state *st = test_state_of(c);
    int n = 0;
    for (size_t i = 0; i < st->ndomains; i++)
        n += !test_domain_is_active(st->domains[i]);
    evirt_op_return_int(op, n);
}

/* ----------------------------------------------------------------- facts */

void test_domain_get_info(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    /* Like libvirt's test driver: the CPU time is the wall clock (ns), an
     * ever-growing number. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    evirt_domain_info info = {
        .state = (unsigned char)dom->state,
        .max_mem = dom->def->memory_kib,
        .memory = dom->def->current_memory_kib,
        .nr_virt_cpu = (unsigned short)dom->def->vcpus_current,
        .cpu_time = (unsigned long long)ts.tv_sec * 1000000000ULL +
                    (unsigned long long)ts.tv_nsec + dom->cpu_time,
    };
    evirt_op_return_struct(op, &info, sizeof(info));
}

void test_domain_get_state(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    evirt_domain_state_info s = { .state = dom->state, .reason = dom->reason };
    evirt_op_return_struct(op, &s, sizeof(s));
}

void test_domain_get_os_type(evirt_op *op, evirt_domain *d)
{
    if (!test_domain_from_handle(op, d))
        return;
    /* libvirt's test driver answers "linux" for every guest. */
    char *s = strdup("linux");
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_domain_get_hostname(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    char *s = NULL;
    if (asprintf(&s, "%shost", dom->def->name) < 0)
        s = NULL;
    s ? evirt_op_return_string(op, s) : test_fail_oom(op);
}

void test_domain_get_time(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    if (dom->state != EVIRT_DOMAIN_RUNNING) {
        test_fail_not_running(op);
        return;
    }
    evirt_domain_time t = { .seconds = TEST_GUEST_TIME, .nseconds = 0 };
    evirt_op_return_struct(op, &t, sizeof(t));
}

void test_domain_get_max_memory(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_uint(op, dom->def->memory_kib);
}

void test_domain_get_max_vcpus(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_int(op, dom->def->vcpus);
}

void test_domain_has_current_snapshot(evirt_op *op, evirt_domain *d,
                                      unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    if (test_domain_from_handle(op, d))
        evirt_op_return_int(op, 0);
}

void test_domain_has_managed_save_image(evirt_op *op, evirt_domain *d,
                                        unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, 0);
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_int(op, dom->has_managed_save);
}

void test_domain_is_active_entry(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_int(op, test_domain_is_active(dom));
}

void test_domain_is_persistent(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_int(op, dom->persistent);
}

void test_domain_is_updated(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_int(op, dom->new_def != NULL);
}

void test_domain_get_autostart(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom)
        evirt_op_return_int(op, dom->autostart);
}

void test_domain_get_xml_desc(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_DOMAIN_XML_SECURE | EVIRT_DOMAIN_XML_INACTIVE |
                                EVIRT_DOMAIN_XML_UPDATE_CPU |
                                EVIRT_DOMAIN_XML_MIGRATABLE);
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    const evirt_domain_def *def =
        (flags & EVIRT_DOMAIN_XML_INACTIVE) && dom->new_def ? dom->new_def
                                                             : dom->def;
    /* evirt_domain_xml_flags and the format flags share libvirt's numbers. */
    char *xml = evirt_domain_def_format(def, flags);
    xml ? evirt_op_return_string(op, xml) : test_fail_oom(op);
}

/* ------------------------------------------------------------ definition */

/* Parses and prepares xml; fails op and returns NULL when it is bad. */
static evirt_domain_def *parse_for(evirt_op *op, const char *xml)
{
    evirt_error err = { 0 };
    evirt_domain_def *def = evirt_domain_def_parse_string(
        xml, EVIRT_DOMAIN_DEF_PARSE_INACTIVE, &err);
    if (def && strchr(def->name, '\n')) {
        evirt_error_set(&err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_DETAIL,
                        "invalid char in name: 0x0a");
        evirt_domain_def_free(def);
        def = NULL;
    }
    if (def && test_domain_def_prepare(def, &err) < 0) {
        evirt_domain_def_free(def);
        def = NULL;
    }
    if (!def)
        evirt_op_fail_error(op, &err);
    return def;
}

/*
 * The domain def may replace, or NULL when it is new.  Fails op (and
 * returns clash = true) when the name and UUID point at two different
 * domains, as libvirt refuses.
 */
static test_domain *find_same(evirt_op *op, test_state *st,
                              const evirt_domain_def *def, bool *clash)
{
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    *clash = false;
    test_domain *dom = test_state_find_by_uuid(st, def->uuid);
    if (dom) {
        if (strcmp(dom->def->name, def->name) != 0) {
            evirt_uuid_format(dom->def->uuid, uuid);
            evirt_op_fail(op, EVIRT_FROM_DOMAIN, EVIRT_ERR_OPERATION_FAILED,
                          "domain '%s' is already defined with uuid %s",
                          dom->def->name, uuid);
            *clash = true;
            return NULL;
        }
        return dom;
    }
    dom = test_state_find_by_name(st, def->name);
    if (dom) {
        evirt_uuid_format(dom->def->uuid, uuid);
        evirt_op_fail(op, EVIRT_FROM_DOMAIN, EVIRT_ERR_OPERATION_FAILED,
                      "domain '%s' already exists with uuid %s",
                      dom->def->name, uuid);
        *clash = true;
    }
    return NULL;
}

void test_domain_define_xml_flags(evirt_op *op, evirt_conn *c, const char *xml,
                                  unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_DOMAIN_DEFINE_VALIDATE);
    test_state *st = test_state_of(c);
    evirt_domain_def *def = parse_for(op, xml);
    if (!def)
        return;
    bool clash;
    test_domain *dom = find_same(op, st, def, &clash);
    if (clash) {
        evirt_domain_def_free(def);
        return;
    }
    int detail = EVIRT_DOMAIN_EVENT_DEFINED_UPDATED;
    if (!dom) {
        if (!(dom = test_state_add_domain(st, def))) {
            evirt_domain_def_free(def);
            test_fail_oom(op);
            return;
        }
        detail = EVIRT_DOMAIN_EVENT_DEFINED_ADDED;
    } else if (test_domain_is_active(dom)) {
        /* Running: the new definition waits for the next boot.  A
         * transient domain becomes persistent with it. */
        if (!dom->persistent)
            detail = EVIRT_DOMAIN_EVENT_DEFINED_ADDED;
        def->id = -1;
        evirt_domain_def_free(dom->new_def);
        dom->new_def = def;
    } else {
        evirt_domain_def_free(dom->def);
        def->id = -1;
        dom->def = def;
    }
    dom->persistent = true;
    test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_DEFINED, detail);
    return_handle(op, c, dom);
}

void test_domain_define_xml(evirt_op *op, evirt_conn *c, const char *xml)
{
    test_domain_define_xml_flags(op, c, xml, 0);
}

void test_domain_create_xml(evirt_op *op, evirt_conn *c, const char *xml,
                            unsigned int flags)
{
    /* AUTODESTROY holds by construction: a connection's domains live
     * only as long as the connection. */
    TEST_CHECK_FLAGS(op, flags, EVIRT_DOMAIN_START_VALIDATE |
                                EVIRT_DOMAIN_START_PAUSED |
                                EVIRT_DOMAIN_START_AUTODESTROY);
    test_state *st = test_state_of(c);
    evirt_domain_def *def = parse_for(op, xml);
    if (!def)
        return;
    bool clash;
    test_domain *dom = find_same(op, st, def, &clash);
    if (clash) {
        evirt_domain_def_free(def);
        return;
    }
    if (dom && test_domain_is_active(dom)) {
        evirt_op_fail(op, EVIRT_FROM_DOMAIN, EVIRT_ERR_OPERATION_INVALID,
                      "domain '%s' is already active", dom->def->name);
        evirt_domain_def_free(def);
        return;
    }
    if (dom) {
        /* A defined, inactive domain runs this definition once; its
         * persistent one comes back when it stops. */
        evirt_domain_def_free(dom->new_def);
        dom->new_def = dom->def;
        dom->def = def;
    } else if (!(dom = test_state_add_domain(st, def))) {
        evirt_domain_def_free(def);
        test_fail_oom(op);
        return;
    }
    dom->has_managed_save = false;
    if (flags & EVIRT_DOMAIN_START_PAUSED) {
        test_domain_start(st, dom, EVIRT_DOMAIN_PAUSED, EVIRT_DOMAIN_PAUSED_USER);
        test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_STARTED,
                            EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
        test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_SUSPENDED,
                            EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);
    } else {
        test_domain_start(st, dom, EVIRT_DOMAIN_RUNNING,
                          EVIRT_DOMAIN_RUNNING_BOOTED);
        test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_STARTED,
                            EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    }
    return_handle(op, c, dom);
}

void test_domain_undefine_flags(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    TEST_CHECK_FLAGS(op, flags, EVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                EVIRT_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    test_state *st = test_state_of(d->conn);
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    if (!dom->persistent) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "cannot undefine transient domain '%s'", dom->def->name);
        return;
    }
    if (dom->has_managed_save && !(flags & EVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "Refusing to undefine while domain managed save image exists");
        return;
    }
    test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_UNDEFINED,
                        EVIRT_DOMAIN_EVENT_UNDEFINED_REMOVED);
    dom->has_managed_save = false;
    if (test_domain_is_active(dom)) {
        /* It keeps running, as a transient domain with no next-boot
         * definition. */
        dom->persistent = false;
        dom->autostart = false;
        evirt_domain_def_free(dom->new_def);
        dom->new_def = NULL;
    } else {
        test_state_remove_domain(st, dom);
    }
    evirt_op_return_void(op);
}

void test_domain_undefine(evirt_op *op, evirt_domain *d)
{
    test_domain_undefine_flags(op, d, 0);
}
