/*
 * drivers/test/test-domain-stats.c - a test domain's statistics (vCPUs,
 * disks, interfaces, memory) and its block jobs.
 *
 * Counters are derived from the wall clock, as libvirt's test driver does,
 * so they grow between two calls like a real guest's.
 *
 * Block jobs (block_pull) copy a fixed 100 MiB at their bandwidth (or
 * TEST_PULL_DEFAULT_RATE when unlimited).  Progress is computed from the
 * monotonic clock whenever a job is looked at, so a job needs no loop
 * timer: nothing can fire after the domain stops, the job is aborted or
 * the connection closes.  A job that has reached its end is complete and
 * is removed by the next call that looks at it (get_block_job_info then
 * says active = 0).
 */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/test/test-domain-ops.h"

#define MIB (1024ULL * 1024ULL)
#define TEST_PULL_LENGTH (100 * MIB)
#define TEST_PULL_DEFAULT_RATE (200 * MIB) /* bytes/s when unlimited */

/* ------------------------------------------------------------ helpers */

static long long realtime_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void free_array(void *p, int n)
{
    (void)n;
    free(p);
}

/*
 * The active domain a stats call is about; fails op (NO_DOMAIN or
 * OPERATION_INVALID "domain is not running") and returns NULL otherwise.
 */
static test_domain *active_domain(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom && !test_domain_is_active(dom)) {
        test_fail_not_running(op);
        return NULL;
    }
    return dom;
}

/* ---------------------------------------------------------------- vCPUs */

void test_domain_get_vcpus(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    if (!test_domain_is_active(dom)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "cannot list vcpus for an inactive domain");
        return;
    }
    int n = (int)dom->def->vcpus_current;
    evirt_vcpu_info *info = calloc((size_t)n, sizeof(*info));
    if (!info) {
        test_fail_oom(op);
        return;
    }
    test_state *st = test_state_of(d->conn);
    /* Every vCPU may run on every host CPU; they report the last one. */
    int host_cpu = st->node.cpus > 0 ? (int)st->node.cpus - 1 : 0;
    unsigned long long now = (unsigned long long)realtime_us();
    for (int i = 0; i < n; i++) {
        info[i].number = (unsigned int)i;
        info[i].state = EVIRT_VCPU_RUNNING;
        info[i].cpu_time = now / 10;
        info[i].cpu = host_cpu;
    }
    evirt_op_return_ptr(op, info, n, free_array);
}

/* ---------------------------------------------------------------- disks */

void test_domain_block_stats(evirt_op *op, evirt_domain *d, const char *disk)
{
    if (!*disk) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_UNSUPPORTED,
                      "statistics summed over all disks are not supported");
        return;
    }
    test_domain *dom = active_domain(op, d);
    if (!dom)
        return;
    if (!test_dom_find_disk(dom->def, disk)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "invalid path: %s", disk);
        return;
    }
    long long base = realtime_us();
    evirt_block_stats stats = {
        .rd_req = base / 10,
        .rd_bytes = base / 20,
        .wr_req = base / 30,
        .wr_bytes = base / 40,
        .errs = base / (1000LL * 1000LL * 2),
    };
    evirt_op_return_struct(op, &stats, sizeof(stats));
}

/* ----------------------------------------------------------- interfaces */

static const evirt_domain_net_def *find_net(const evirt_domain_def *def,
                                            const char *device)
{
    for (size_t i = 0; i < def->nnets; i++)
        if (def->nets[i].target_dev &&
            strcmp(def->nets[i].target_dev, device) == 0)
            return &def->nets[i];
    unsigned char mac[6];
    if (evirt_mac_parse(device, mac) == 0)
        for (size_t i = 0; i < def->nnets; i++)
            if (memcmp(def->nets[i].mac, mac, 6) == 0)
                return &def->nets[i];
    return NULL;
}

void test_domain_interface_stats(evirt_op *op, evirt_domain *d,
                                 const char *device)
{
    test_domain *dom = active_domain(op, d);
    if (!dom)
        return;
    if (!find_net(dom->def, device)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "'%s' is not a known interface", device);
        return;
    }
    long long base = realtime_us();
    evirt_interface_stats stats = {
        .rx_bytes = base / 10,
        .rx_packets = base / 100,
        .rx_errs = base / (1000LL * 1000LL * 1),
        .rx_drop = base / (1000LL * 1000LL * 2),
        .tx_bytes = base / 20,
        .tx_packets = base / 110,
        .tx_errs = base / (1000LL * 1000LL * 3),
        .tx_drop = base / (1000LL * 1000LL * 4),
    };
    evirt_op_return_struct(op, &stats, sizeof(stats));
}

/* --------------------------------------------------------------- memory */

void test_domain_memory_stats(evirt_op *op, evirt_domain *d,
                              unsigned int nr_stats, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags, 0))
        return;
    test_domain *dom = active_domain(op, d);
    if (!dom)
        return;
    unsigned long long cur = dom->def->current_memory_kib;
    /* What a balloon driver reports for an idle guest that uses half of
     * its memory, in the order libvirt's test driver gives them. */
    const evirt_domain_memory_stat all[] = {
        { EVIRT_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur },
        { EVIRT_DOMAIN_MEMORY_STAT_SWAP_IN, 0 },
        { EVIRT_DOMAIN_MEMORY_STAT_SWAP_OUT, 0 },
        { EVIRT_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 0 },
        { EVIRT_DOMAIN_MEMORY_STAT_MINOR_FAULT, 0 },
        { EVIRT_DOMAIN_MEMORY_STAT_UNUSED, cur / 2 },
        { EVIRT_DOMAIN_MEMORY_STAT_AVAILABLE, cur },
        { EVIRT_DOMAIN_MEMORY_STAT_USABLE, cur / 2 },
        { EVIRT_DOMAIN_MEMORY_STAT_LAST_UPDATE,
          (unsigned long long)(realtime_us() / 1000000) },
        { EVIRT_DOMAIN_MEMORY_STAT_DISK_CACHES, cur / 8 },
        { EVIRT_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 0 },
        { EVIRT_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 0 },
        { EVIRT_DOMAIN_MEMORY_STAT_RSS, cur / 2 },
    };
    size_t n = sizeof(all) / sizeof(all[0]);
    if (nr_stats < n)
        n = nr_stats;
    evirt_domain_memory_stat *out = NULL;
    if (n > 0) {
        out = malloc(n * sizeof(*out));
        if (!out) {
            test_fail_oom(op);
            return;
        }
        memcpy(out, all, n * sizeof(*out));
    }
    evirt_op_return_ptr(op, out, (int)n, free_array);
}

/* ----------------------------------------------------------- block jobs */

/*
 * A pull job.  Allocated here as a whole, with the shared part first, so
 * test_block_jobs_free() (which frees the shared part's pointer) frees it.
 */
typedef struct pull_job {
    test_block_job base;
    unsigned long long rate;  /* bytes/s asked for; 0 = unlimited */
    long long last_ns;        /* monotonic time cur was brought up to */
} pull_job;

static unsigned long long job_rate(const pull_job *job)
{
    return job->rate ? job->rate : TEST_PULL_DEFAULT_RATE;
}

/* Brings cur up to now. */
static void job_advance(pull_job *job, long long now)
{
    test_block_job *b = &job->base;
    if (now > job->last_ns && b->cur < b->end) {
        long double add = (long double)job_rate(job) *
                          (long double)(now - job->last_ns) / 1e9L;
        unsigned long long left = b->end - b->cur;
        if (add >= (long double)left)
            b->cur = b->end;
        else
            b->cur += (unsigned long long)add;
    }
    job->last_ns = now;
}

/*
 * The live job on disk target of dom, brought up to date; a job that has
 * just completed is removed and NULL returned.
 */
static pull_job *job_lookup(test_domain *dom, const char *target)
{
    test_block_job **link = &dom->block_jobs;
    for (; *link; link = &(*link)->next) {
        if (strcmp((*link)->disk, target) != 0)
            continue;
        pull_job *job = (pull_job *)*link;
        job_advance(job, monotonic_ns());
        if (job->base.cur < job->base.end)
            return job;
        *link = job->base.next;
        job->base.next = NULL;
        test_block_jobs_free(&job->base);
        return NULL;
    }
    return NULL;
}

static void job_remove(test_domain *dom, pull_job *job)
{
    for (test_block_job **link = &dom->block_jobs; *link;
         link = &(*link)->next) {
        if (*link != &job->base)
            continue;
        *link = job->base.next;
        job->base.next = NULL;
        test_block_jobs_free(&job->base);
        return;
    }
}

/*
 * The disk a block job call names (target or source path), on an active
 * domain.  Fails op and returns NULL otherwise.
 */
static evirt_domain_disk_def *job_disk(evirt_op *op, evirt_domain *d,
                                       const char *disk, test_domain **domp)
{
    test_domain *dom = active_domain(op, d);
    if (!dom)
        return NULL;
    evirt_domain_disk_def *def = test_dom_find_disk(dom->def, disk);
    if (!def || !def->target_dev) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "disk '%s' not found in domain", disk);
        return NULL;
    }
    *domp = dom;
    return def;
}

/* bandwidth as bytes/s: MiB/s unless in_bytes.  Fails op on overflow. */
static bool bandwidth_bytes(evirt_op *op, unsigned long bandwidth,
                            bool in_bytes, unsigned long long *bytes)
{
    if (in_bytes) {
        *bytes = bandwidth;
        return true;
    }
    if (bandwidth > ULLONG_MAX / MIB) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OVERFLOW,
                      "bandwidth must be less than %llu", ULLONG_MAX / MIB);
        return false;
    }
    *bytes = (unsigned long long)bandwidth * MIB;
    return true;
}

static void job_set_rate(pull_job *job, unsigned long long bytes)
{
    job->rate = bytes;
    /* The shared field is in MiB/s; round up so a limit never reads 0
     * (which would mean "unlimited"). */
    unsigned long long mib = bytes / MIB + (bytes % MIB ? 1 : 0);
    job->base.bandwidth = mib > ULONG_MAX ? ULONG_MAX : (unsigned long)mib;
}

static void fail_no_job(evirt_op *op, const char *disk)
{
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                  "disk '%s' does not have an active block job", disk);
}

void test_domain_block_pull(evirt_op *op, evirt_domain *d, const char *disk,
                            unsigned long bandwidth, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES))
        return;
    test_domain *dom;
    evirt_domain_disk_def *def = job_disk(op, d, disk, &dom);
    if (!def)
        return;
    if (!def->source_path) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "disk '%s' has no source to pull into", disk);
        return;
    }
    if (job_lookup(dom, def->target_dev)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "disk '%s' already in active block job", disk);
        return;
    }
    unsigned long long bytes;
    if (!bandwidth_bytes(op, bandwidth,
                         flags & EVIRT_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES,
                         &bytes))
        return;
    pull_job *job = calloc(1, sizeof(*job));
    if (!job || !(job->base.disk = strdup(def->target_dev))) {
        free(job);
        test_fail_oom(op);
        return;
    }
    job->base.type = EVIRT_DOMAIN_BLOCK_JOB_TYPE_PULL;
    job->base.cur = 0;
    job->base.end = TEST_PULL_LENGTH;
    job->last_ns = monotonic_ns();
    job_set_rate(job, bytes);
    job->base.next = dom->block_jobs;
    dom->block_jobs = &job->base;
    evirt_op_return_void(op);
}

void test_domain_get_block_job_info(evirt_op *op, evirt_domain *d,
                                    const char *disk, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES))
        return;
    test_domain *dom;
    evirt_domain_disk_def *def = job_disk(op, d, disk, &dom);
    if (!def)
        return;
    evirt_domain_block_job_info info = { 0 };
    pull_job *job = job_lookup(dom, def->target_dev);
    if (job) {
        info.active = 1;
        info.type = job->base.type;
        if (flags & EVIRT_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES)
            info.bandwidth = job->rate > ULONG_MAX ? ULONG_MAX
                                                   : (unsigned long)job->rate;
        else
            info.bandwidth = job->base.bandwidth;
        info.cur = job->base.cur;
        info.end = job->base.end;
    }
    evirt_op_return_struct(op, &info, sizeof(info));
}

void test_domain_block_job_set_speed(evirt_op *op, evirt_domain *d,
                                     const char *disk, unsigned long bandwidth,
                                     unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES))
        return;
    test_domain *dom;
    evirt_domain_disk_def *def = job_disk(op, d, disk, &dom);
    if (!def)
        return;
    unsigned long long bytes;
    if (!bandwidth_bytes(op, bandwidth,
                         flags & EVIRT_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES,
                         &bytes))
        return;
    /* The lookup brings progress up to now at the old rate. */
    pull_job *job = job_lookup(dom, def->target_dev);
    if (!job) {
        fail_no_job(op, disk);
        return;
    }
    job_set_rate(job, bytes);
    evirt_op_return_void(op);
}

void test_domain_block_job_abort(evirt_op *op, evirt_domain *d,
                                 const char *disk, unsigned int flags)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_BLOCK_JOB_ABORT_ASYNC |
                              EVIRT_DOMAIN_BLOCK_JOB_ABORT_PIVOT))
        return;
    test_domain *dom;
    evirt_domain_disk_def *def = job_disk(op, d, disk, &dom);
    if (!def)
        return;
    pull_job *job = job_lookup(dom, def->target_dev);
    if (!job) {
        fail_no_job(op, disk);
        return;
    }
    if (flags & EVIRT_DOMAIN_BLOCK_JOB_ABORT_PIVOT) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "pivot of disk '%s' requires an active copy job", disk);
        return;
    }
    /* Cancelled at once, ASYNC or not: there is nothing to wait for. */
    job_remove(dom, job);
    evirt_op_return_void(op);
}
