/*
 * drivers/test/test-domain-ops.h - the test driver's domain lifecycle,
 * save/restore, tuning, statistics and block job entries.
 *
 * Every test_<op> below has exactly the signature of the generated driver
 * table entry of the same name (api/driver-gen.h) and completes its op
 * before returning (the core delivers the completion on a later loop
 * iteration).  They run on the connection's loop thread only.
 *
 * Transitions follow libvirt's test driver: same states, reasons, events
 * and details; a refused transition changes nothing and emits nothing.
 */
#ifndef EVIRT_TEST_DOMAIN_OPS_H
#define EVIRT_TEST_DOMAIN_OPS_H

#include "drivers/test/test-state.h"

/* ------------------------------------------ test-domain-lifecycle.c */

void test_domain_create(evirt_op *op, evirt_domain *d);
void test_domain_create_with_flags(evirt_op *op, evirt_domain *d,
                                   unsigned int flags);
void test_domain_shutdown(evirt_op *op, evirt_domain *d);
void test_domain_shutdown_flags(evirt_op *op, evirt_domain *d,
                                unsigned int flags);
void test_domain_destroy(evirt_op *op, evirt_domain *d);
void test_domain_destroy_flags(evirt_op *op, evirt_domain *d,
                               unsigned int flags);
void test_domain_reboot(evirt_op *op, evirt_domain *d, unsigned int flags);
void test_domain_reset(evirt_op *op, evirt_domain *d, unsigned int flags);
void test_domain_suspend(evirt_op *op, evirt_domain *d);
void test_domain_resume(evirt_op *op, evirt_domain *d);
void test_domain_set_autostart(evirt_op *op, evirt_domain *d, int autostart);
void test_domain_set_memory(evirt_op *op, evirt_domain *d,
                            unsigned long memory);
void test_domain_set_memory_flags(evirt_op *op, evirt_domain *d,
                                  unsigned long memory, unsigned int flags);
void test_domain_set_max_memory(evirt_op *op, evirt_domain *d,
                                unsigned long memory);
void test_domain_set_vcpus(evirt_op *op, evirt_domain *d, unsigned int nvcpus);
void test_domain_set_vcpus_flags(evirt_op *op, evirt_domain *d,
                                 unsigned int nvcpus, unsigned int flags);

/* ----------------------------------------------- test-domain-save.c */

void test_domain_save(evirt_op *op, evirt_domain *d, const char *to);
void test_domain_save_flags(evirt_op *op, evirt_domain *d, const char *to,
                            const char *dxml, unsigned int flags);
void test_domain_restore(evirt_op *op, evirt_conn *c, const char *from);
void test_domain_restore_flags(evirt_op *op, evirt_conn *c, const char *from,
                               const char *dxml, unsigned int flags);
void test_domain_managed_save(evirt_op *op, evirt_domain *d,
                              unsigned int flags);
void test_domain_managed_save_remove(evirt_op *op, evirt_domain *d,
                                     unsigned int flags);

/* ---------------------------------------------- test-domain-stats.c */

void test_domain_get_vcpus(evirt_op *op, evirt_domain *d);
void test_domain_block_stats(evirt_op *op, evirt_domain *d, const char *disk);
void test_domain_interface_stats(evirt_op *op, evirt_domain *d,
                                 const char *device);
void test_domain_memory_stats(evirt_op *op, evirt_domain *d,
                              unsigned int nr_stats, unsigned int flags);
void test_domain_get_block_job_info(evirt_op *op, evirt_domain *d,
                                    const char *disk, unsigned int flags);
void test_domain_block_pull(evirt_op *op, evirt_domain *d, const char *disk,
                            unsigned long bandwidth, unsigned int flags);
void test_domain_block_job_set_speed(evirt_op *op, evirt_domain *d,
                                     const char *disk, unsigned long bandwidth,
                                     unsigned int flags);
void test_domain_block_job_abort(evirt_op *op, evirt_domain *d,
                                 const char *disk, unsigned int flags);

/*
 * Block jobs need no cleanup beyond test_block_jobs_free(): their progress
 * is derived from the monotonic clock when asked (no loop timers), so a
 * stopped domain, an aborted job or a closed connection leaves nothing
 * behind.  A job whose end has been reached is removed by the next call
 * that looks at it.
 */

/* ------------------------------- helpers shared by the files above */

/*
 * Fails op with EVIRT_ERR_INVALID_ARG "unsupported flags (0x..)" and
 * returns false when flags has a bit outside allowed.
 */
bool test_dom_check_flags(evirt_op *op, unsigned int flags,
                          unsigned int allowed);

/*
 * Stops an active domain as libvirt does: emits STOPPED/detail (with id
 * -1, as libvirt's event carries the stopped domain's id) and makes it
 * SHUTOFF/reason.  Returns true when dom was transient and is now gone.
 */
bool test_dom_stop_with_event(test_state *st, test_domain *dom, int reason,
                              int detail);

/*
 * Starts an inactive domain: RUNNING/run_reason with event
 * STARTED/started_detail, then, when paused, PAUSED/USER with
 * SUSPENDED/PAUSED.  Clears the managed save flag.
 */
void test_dom_start_with_events(test_state *st, test_domain *dom,
                                int run_reason, int started_detail,
                                bool paused);

/* The disk of def named by target dev ("vda") or source path; NULL if none. */
evirt_domain_disk_def *test_dom_find_disk(const evirt_domain_def *def,
                                          const char *name);

/*
 * The driver table's designated initializers for the entries above, for
 * test-driver.c: `.ops = { ..., TEST_DOMAIN_OPS }`.
 */
#define TEST_DOMAIN_OPS \
    .domain_create = test_domain_create, \
    .domain_create_with_flags = test_domain_create_with_flags, \
    .domain_shutdown = test_domain_shutdown, \
    .domain_shutdown_flags = test_domain_shutdown_flags, \
    .domain_destroy = test_domain_destroy, \
    .domain_destroy_flags = test_domain_destroy_flags, \
    .domain_reboot = test_domain_reboot, \
    .domain_reset = test_domain_reset, \
    .domain_suspend = test_domain_suspend, \
    .domain_resume = test_domain_resume, \
    .domain_set_autostart = test_domain_set_autostart, \
    .domain_set_memory = test_domain_set_memory, \
    .domain_set_memory_flags = test_domain_set_memory_flags, \
    .domain_set_max_memory = test_domain_set_max_memory, \
    .domain_set_vcpus = test_domain_set_vcpus, \
    .domain_set_vcpus_flags = test_domain_set_vcpus_flags, \
    .domain_save = test_domain_save, \
    .domain_save_flags = test_domain_save_flags, \
    .domain_restore = test_domain_restore, \
    .domain_restore_flags = test_domain_restore_flags, \
    .domain_managed_save = test_domain_managed_save, \
    .domain_managed_save_remove = test_domain_managed_save_remove, \
    .domain_get_vcpus = test_domain_get_vcpus, \
    .domain_block_stats = test_domain_block_stats, \
    .domain_interface_stats = test_domain_interface_stats, \
    .domain_memory_stats = test_domain_memory_stats, \
    .domain_get_block_job_info = test_domain_get_block_job_info, \
    .domain_block_pull = test_domain_block_pull, \
    .domain_block_job_set_speed = test_domain_block_job_set_speed, \
    .domain_block_job_abort = test_domain_block_job_abort,


#endif
