/*
 * drivers/test/test-domain-lifecycle.c - starting, stopping, pausing and
 * rebooting test domains, autostart, and memory / vCPU changes.
 *
 * States, reasons, events and details are those of libvirt's test driver.
 * Error codes are the ones libvirt's hypervisor drivers give for the same
 * refusal (OPERATION_INVALID for a transition the state forbids), since
 * applications test for those.  Every refusal happens before anything is
 * changed, so a failed op leaves the domain as it was and emits nothing.
 */
#include <config.h>

#include <string.h>

#include "drivers/test/test-domain-ops.h"

/* The most vCPUs a test guest may have (conn_get_max_vcpus says the same). */
#define TEST_MAX_GUEST_VCPUS 32

/* ------------------------------------------------------------ helpers */

bool test_dom_check_flags(evirt_op *op, unsigned int flags,
                          unsigned int allowed)
{
    if (flags & ~allowed) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "unsupported flags (0x%x)", flags & ~allowed);
        return false;
    }
    return true;
}

bool test_dom_stop_with_event(test_state *st, test_domain *dom, int reason,
                              int detail)
{
    /* The event says what the domain is once stopped: id -1. */
    test_state_emit_event(st, EVIRT_EVENT_FAMILY_DOMAIN, dom->def->name,
                          dom->def->uuid, -1, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
                          EVIRT_DOMAIN_EVENT_STOPPED, detail);
    return test_domain_stop(st, dom, reason);
}

void test_dom_start_with_events(test_state *st, test_domain *dom,
                                int run_reason, int started_detail,
                                bool paused)
{
    test_domain_start(st, dom, EVIRT_DOMAIN_RUNNING, run_reason);
    dom->has_managed_save = false;
    test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_STARTED, started_detail);
    if (paused) {
        dom->state = EVIRT_DOMAIN_PAUSED;
        dom->reason = EVIRT_DOMAIN_PAUSED_USER;
        test_emit_lifecycle(st, dom, EVIRT_DOMAIN_EVENT_SUSPENDED,
                            EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
}

evirt_domain_disk_def *test_dom_find_disk(const evirt_domain_def *def,
                                          const char *name)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].target_dev &&
            strcmp(def->disks[i].target_dev, name) == 0)
            return &def->disks[i];
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].source_path &&
            strcmp(def->disks[i].source_path, name) == 0)
            return &def->disks[i];
    return NULL;
}

/*
 * Whether an <on_poweroff>/<on_reboot> action brings the guest back up
 * (restart, rename-restart) rather than leaving it off (destroy,
 * preserve).  dflt answers for an absent element.
 */
static bool action_restarts(const char *action, bool dflt)
{
    if (!action)
        return dflt;
    return strcmp(action, "restart") == 0 ||
           strcmp(action, "rename-restart") == 0;
}

static void fail_invalid(evirt_op *op, const char *msg)
{
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID, "%s", msg);
}

/* ---------------------------------------------------------- start */

void test_domain_create_with_flags(evirt_op *op, evirt_domain *d,
                                   unsigned int flags)
{
    /* AUTODESTROY holds trivially: a test domain dies with its connection. */
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_START_PAUSED |
                              EVIRT_DOMAIN_START_AUTODESTROY |
                              EVIRT_DOMAIN_START_BYPASS_CACHE |
                              EVIRT_DOMAIN_START_FORCE_BOOT))
        return;
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    if (test_domain_is_active(dom)) {
        test_fail_running(op);
        return;
    }
    test_state *st = test_state_of(d->conn);
    bool paused = flags & EVIRT_DOMAIN_START_PAUSED;
    /* A managed save image is resumed unless FORCE_BOOT discards it. */
    if (dom->has_managed_save && !(flags & EVIRT_DOMAIN_START_FORCE_BOOT))
        test_dom_start_with_events(st, dom, EVIRT_DOMAIN_RUNNING_RESTORED,
                                   EVIRT_DOMAIN_EVENT_STARTED_RESTORED, paused);
    else
        test_dom_start_with_events(st, dom, EVIRT_DOMAIN_RUNNING_BOOTED,
                                   EVIRT_DOMAIN_EVENT_STARTED_BOOTED, paused);
    evirt_op_return_void(op);
}

void test_domain_create(evirt_op *op, evirt_domain *d)
{
    test_domain_create_with_flags(op, d, 0);
}

/* ----------------------------------------------------------- stop */

void test_domain_shutdown_flags(evirt_op *op, evirt_domain *d,
                                unsigned int flags)
{
    /* How the guest is asked does not matter to a fake guest. */
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
                              EVIRT_DOMAIN_SHUTDOWN_GUEST_AGENT |
                              EVIRT_DOMAIN_SHUTDOWN_INITCTL |
                              EVIRT_DOMAIN_SHUTDOWN_SIGNAL |
                              EVIRT_DOMAIN_SHUTDOWN_PARAVIRT))
        return;
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    if (action_restarts(dom->def->on_poweroff, false)) {
        /* The guest powers off and comes straight back; libvirt's test
         * driver reports no event for it. */
        dom->state = EVIRT_DOMAIN_RUNNING;
        dom->reason = EVIRT_DOMAIN_RUNNING_BOOTED;
    } else {
        test_dom_stop_with_event(test_state_of(d->conn), dom,
                                 EVIRT_DOMAIN_SHUTOFF_SHUTDOWN,
                                 EVIRT_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    }
    evirt_op_return_void(op);
}

void test_domain_shutdown(evirt_op *op, evirt_domain *d)
{
    test_domain_shutdown_flags(op, d, 0);
}

void test_domain_destroy_flags(evirt_op *op, evirt_domain *d,
                               unsigned int flags)
{
    /* There are no logs to remove and nothing to wait for gracefully. */
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_DESTROY_GRACEFUL |
                              EVIRT_DOMAIN_DESTROY_REMOVE_LOGS))
        return;
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    test_dom_stop_with_event(test_state_of(d->conn), dom,
                             EVIRT_DOMAIN_SHUTOFF_DESTROYED,
                             EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    evirt_op_return_void(op);
}

void test_domain_destroy(evirt_op *op, evirt_domain *d)
{
    test_domain_destroy_flags(op, d, 0);
}

/* --------------------------------------------------------- reboot */

static void emit_reboot(test_state *st, test_domain *dom)
{
    test_state_emit_event(st, EVIRT_EVENT_FAMILY_DOMAIN, dom->def->name,
                          dom->def->uuid, dom->id, EVIRT_DOMAIN_EVENT_ID_REBOOT,
                          0, 0);
}

void test_domain_reboot(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_REBOOT_ACPI_POWER_BTN |
                              EVIRT_DOMAIN_REBOOT_GUEST_AGENT |
                              EVIRT_DOMAIN_REBOOT_INITCTL |
                              EVIRT_DOMAIN_REBOOT_SIGNAL |
                              EVIRT_DOMAIN_REBOOT_PARAVIRT))
        return;
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    test_state *st = test_state_of(d->conn);
    /* <on_reboot> decides, as in libvirt's test driver; restart is the
     * default. */
    if (action_restarts(dom->def->on_reboot, true)) {
        dom->state = EVIRT_DOMAIN_RUNNING;
        dom->reason = EVIRT_DOMAIN_RUNNING_BOOTED;
        emit_reboot(st, dom);
    } else {
        test_dom_stop_with_event(st, dom, EVIRT_DOMAIN_SHUTOFF_SHUTDOWN,
                                 EVIRT_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    }
    evirt_op_return_void(op);
}

void test_domain_reset(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags, 0))
        return;
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    /* A hard reset keeps the run state; only the guest notices. */
    emit_reboot(test_state_of(d->conn), dom);
    evirt_op_return_void(op);
}

/* ---------------------------------------------------- pause/resume */

void test_domain_suspend(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    if (dom->state == EVIRT_DOMAIN_PAUSED) {
        fail_invalid(op, "domain is already paused");
        return;
    }
    dom->state = EVIRT_DOMAIN_PAUSED;
    dom->reason = EVIRT_DOMAIN_PAUSED_USER;
    test_emit_lifecycle(test_state_of(d->conn), dom,
                        EVIRT_DOMAIN_EVENT_SUSPENDED,
                        EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);
    evirt_op_return_void(op);
}

void test_domain_resume(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    if (dom->state != EVIRT_DOMAIN_PAUSED) {
        fail_invalid(op, "domain is not paused");
        return;
    }
    dom->state = EVIRT_DOMAIN_RUNNING;
    dom->reason = EVIRT_DOMAIN_RUNNING_UNPAUSED;
    test_emit_lifecycle(test_state_of(d->conn), dom,
                        EVIRT_DOMAIN_EVENT_RESUMED,
                        EVIRT_DOMAIN_EVENT_RESUMED_UNPAUSED);
    evirt_op_return_void(op);
}

/* ------------------------------------------------------- autostart */

void test_domain_set_autostart(evirt_op *op, evirt_domain *d, int autostart)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    if (!dom->persistent) {
        fail_invalid(op, "cannot set autostart for transient domain");
        return;
    }
    dom->autostart = autostart != 0;
    evirt_op_return_void(op);
}

/* ------------------------------------------ live / config changes */

/*
 * Which definitions a change touches: LIVE (the running def), CONFIG
 * (the persistent one), or by default the live one of an active domain
 * and the config of an inactive one.  Fails op and returns false when a
 * requested one does not exist.
 */
static bool pick_defs(evirt_op *op, test_domain *dom, unsigned int flags,
                      bool *live, bool *config)
{
    *live = flags & EVIRT_DOMAIN_AFFECT_LIVE;
    *config = flags & EVIRT_DOMAIN_AFFECT_CONFIG;
    if (!*live && !*config) {
        if (test_domain_is_active(dom))
            *live = true;
        else
            *config = true;
    }
    if (*live && !test_domain_is_active(dom)) {
        test_fail_not_running(op);
        return false;
    }
    if (*config && !dom->persistent) {
        fail_invalid(op, "transient domains do not have any persistent config");
        return false;
    }
    return true;
}

/*
 * Gets the live and config definitions ready to be written.  A running
 * persistent domain shares one def between both until the first change
 * that touches only one side, so this splits them first: the config
 * becomes new_def (applied when the domain stops).  Returns false (op
 * failed) when out of memory; nothing has been changed then.
 */
static bool writable_defs(evirt_op *op, test_domain *dom, bool live,
                          bool config, evirt_domain_def **live_def,
                          evirt_domain_def **config_def)
{
    *live_def = NULL;
    *config_def = NULL;
    if (!test_domain_is_active(dom)) {
        *config_def = config ? dom->def : NULL;
        return true;
    }
    if (dom->persistent && !dom->new_def) {
        evirt_domain_def *copy = evirt_domain_def_copy(dom->def);
        if (!copy) {
            test_fail_oom(op);
            return false;
        }
        copy->id = -1;
        dom->new_def = copy;
    }
    *live_def = live ? dom->def : NULL;
    *config_def = config ? dom->new_def : NULL;
    return true;
}

/* The persistent config as it reads now (no split). */
static const evirt_domain_def *config_view(test_domain *dom)
{
    return test_domain_config_def(dom);
}

void test_domain_set_memory_flags(evirt_op *op, evirt_domain *d,
                                  unsigned long memory, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_MEM_LIVE | EVIRT_DOMAIN_MEM_CONFIG |
                              EVIRT_DOMAIN_MEM_MAXIMUM))
        return;
    if (memory == 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "memory size must be greater than zero");
        return;
    }
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    bool live, config;
    if (!pick_defs(op, dom, flags, &live, &config))
        return;

    if (flags & EVIRT_DOMAIN_MEM_MAXIMUM) {
        if (live) {
            fail_invalid(op, "cannot resize the maximum memory on an active domain");
            return;
        }
    } else {
        if ((live && memory > dom->def->memory_kib) ||
            (config && memory > config_view(dom)->memory_kib)) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                          "cannot set memory higher than max memory");
            return;
        }
    }

    evirt_domain_def *ldef, *cdef;
    if (!writable_defs(op, dom, live, config, &ldef, &cdef))
        return;
    evirt_domain_def *defs[2] = { ldef, cdef };
    for (int i = 0; i < 2; i++) {
        evirt_domain_def *def = defs[i];
        if (!def)
            continue;
        if (flags & EVIRT_DOMAIN_MEM_MAXIMUM) {
            def->memory_kib = memory;
            if (def->current_memory_kib > memory)
                def->current_memory_kib = memory;
        } else {
            def->current_memory_kib = memory;
        }
    }
    evirt_op_return_void(op);
}

void test_domain_set_memory(evirt_op *op, evirt_domain *d,
                            unsigned long memory)
{
    test_domain_set_memory_flags(op, d, memory, EVIRT_DOMAIN_MEM_LIVE);
}

void test_domain_set_max_memory(evirt_op *op, evirt_domain *d,
                                unsigned long memory)
{
    test_domain_set_memory_flags(op, d, memory, EVIRT_DOMAIN_MEM_MAXIMUM);
}

void test_domain_set_vcpus_flags(evirt_op *op, evirt_domain *d,
                                 unsigned int nvcpus, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_VCPU_LIVE | EVIRT_DOMAIN_VCPU_CONFIG |
                              EVIRT_DOMAIN_VCPU_MAXIMUM))
        return;
    if (nvcpus == 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "the vCPU count must be greater than zero");
        return;
    }
    if (nvcpus > TEST_MAX_GUEST_VCPUS) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "requested cpu amount exceeds maximum supported amount (%u > %d)",
                      nvcpus, TEST_MAX_GUEST_VCPUS);
        return;
    }
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    bool live, config;
    if (!pick_defs(op, dom, flags, &live, &config))
        return;

    bool maximum = flags & EVIRT_DOMAIN_VCPU_MAXIMUM;
    if (maximum && live) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "cannot change the maximum vCPU count of a running domain");
        return;
    }
    if (!maximum) {
        unsigned int max = 0;
        if (live && nvcpus > dom->def->vcpus)
            max = dom->def->vcpus;
        else if (config && nvcpus > config_view(dom)->vcpus)
            max = config_view(dom)->vcpus;
        if (max) {
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                          "requested cpu amount exceeds maximum (%u > %u)",
                          nvcpus, max);
            return;
        }
    }

    evirt_domain_def *ldef, *cdef;
    if (!writable_defs(op, dom, live, config, &ldef, &cdef))
        return;
    evirt_domain_def *defs[2] = { ldef, cdef };
    for (int i = 0; i < 2; i++) {
        evirt_domain_def *def = defs[i];
        if (!def)
            continue;
        if (maximum) {
            def->vcpus = nvcpus;
            if (def->vcpus_current > nvcpus)
                def->vcpus_current = nvcpus;
        } else {
            def->vcpus_current = nvcpus;
        }
    }
    evirt_op_return_void(op);
}

void test_domain_set_vcpus(evirt_op *op, evirt_domain *d, unsigned int nvcpus)
{
    test_domain_set_vcpus_flags(op, d, nvcpus, EVIRT_DOMAIN_VCPU_LIVE);
}
