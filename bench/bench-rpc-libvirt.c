/*
 * bench/bench-rpc-libvirt.c - the rows of bench-rpc.c that libvirt's C
 * client can do, so the two can be read side by side against the same
 * daemons: sync virDomainGetInfo round trips, open+close, the monitoring
 * cycle one by one (libvirt's API has no way to pipeline it), libvirt's
 * virConnectGetAllDomainStats for reference (one call for the whole
 * cycle; evirt has no such call yet), the daemon's RSS, and round trips
 * with idle clients connected.
 *
 * No event loop is registered, as in a plain synchronous libvirt program:
 * the connections have no keepalive and no background thread.
 * Built only when configure found libvirt (HAVE_LIBVIRT).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "bench/bench-util.h"
#include "bench/bench-rpc-util.h"

static const char *last_message(void)
{
    virErrorPtr err = virGetLastError();
    return err && err->message ? err->message : "unknown error";
}

/* Keeps libvirt from printing every error on stderr: failures are counted. */
static void quiet_errors(void *userdata, virErrorPtr err)
{
    (void)userdata;
    (void)err;
}

static void row_sync(const rpc_opts *opts, const char *key, const char *what,
                     virDomainPtr dom)
{
    virDomainInfo info;
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    rpc_meter m;

    for (int i = 0; i < 200; i++)
        virDomainGetInfo(dom, &info);

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        int rc = virDomainGetInfo(dom, &info);
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, rc < 0);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, key, what);
}

static void row_open_close(const rpc_opts *opts)
{
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    rpc_meter m;

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        virConnectPtr c = virConnectOpen(opts->uri);
        if (c)
            virConnectClose(c);
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, c == NULL);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, "open_close", "open + close");
}

/* Defines and starts bench-0 .. bench-N-1 unless they already run. */
static int setup_domains(const rpc_opts *opts, virConnectPtr conn)
{
    char xml[2048], name[64];
    int failures = 0;
    rpc_meter m;

    rpc_meter_start(&m, opts);
    for (int i = 0; i < opts->domains; i++) {
        uint64_t t = bench_now_ns();
        snprintf(name, sizeof(name), "bench-%d", i);
        virDomainPtr d = virDomainLookupByName(conn, name);
        if (!d) {
            bench_domain_xml(xml, sizeof(xml), i);
            d = virDomainDefineXML(conn, xml);
        }
        int rc = -1;
        if (d && virDomainIsActive(d) == 0)
            rc = virDomainCreate(d);
        else if (d)
            rc = 0;
        if (rc < 0 && failures++ == 0)
            fprintf(stderr, "define+start %s: %s\n", name, last_message());
        if (d)
            virDomainFree(d);
        rpc_meter_add(&m, bench_now_ns() - t, rc < 0);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, "define_start", "define + start (sync, per domain)");
    return failures ? -1 : 0;
}

static void row_cycle_sync(const rpc_opts *opts, virConnectPtr conn)
{
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    int ndoms = 0;
    rpc_meter m;

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        virDomainPtr *doms = NULL;
        int n = virConnectListAllDomains(conn, &doms,
                                         VIR_CONNECT_LIST_DOMAINS_ACTIVE);
        int failed = n < 0;
        for (int i = 0; i < n; i++) {
            virDomainInfo info;
            if (virDomainGetInfo(doms[i], &info) < 0)
                failed = 1;
            virDomainFree(doms[i]);
        }
        free(doms);
        ndoms = n;
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, failed);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, "cycle_sync", "cycle one by one (per cycle)");
    rpc_print_value(opts, "cycle_domains", "  running domains in the cycle",
                    ndoms, "domains");
}

/* The same information in one call: libvirt's bulk stats (state only). */
static void row_all_stats(const rpc_opts *opts, virConnectPtr conn)
{
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    virDomainStatsRecordPtr *recs = NULL;
    rpc_meter m;

    int n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &recs,
                                        VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
    if (n < 0) {
        fprintf(stderr, "virConnectGetAllDomainStats: skipped: %s\n",
                last_message());
        return;
    }
    virDomainStatsRecordListFree(recs);

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        recs = NULL;
        n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &recs,
                                        VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
        if (n >= 0)
            virDomainStatsRecordListFree(recs);
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, n < 0);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, "all_stats", "get_all_domain_stats (per cycle)");
}

static void rows_idle(const rpc_opts *opts, virDomainPtr dom)
{
    static const int steps[] = { 1, 100, 1000 };
    virConnectPtr *idle = calloc((size_t)opts->idle + 1, sizeof(*idle));
    long long rss0 = rpc_pid_rss_bytes(opts->daemon_pid);
    int fds0 = rpc_self_fds(), n = 0;
    char key[64], what[64];

    if (!idle)
        return;
    for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
        int want = steps[s] < opts->idle ? steps[s] : opts->idle;
        if (s > 0 && steps[s - 1] >= opts->idle)
            break;
        while (n < want) {
            idle[n] = virConnectOpen(opts->uri);
            if (!idle[n]) {
                fprintf(stderr, "idle client %d: %s\n", n + 1, last_message());
                break;
            }
            n++;
        }
        if (n < want)
            break;
        snprintf(key, sizeof(key), "idle_%d", steps[s]);
        snprintf(what, sizeof(what), "get_info sync, %d idle clients", n);
        row_sync(opts, key, what, dom);
    }
    long long rss1 = rpc_pid_rss_bytes(opts->daemon_pid);
    int fds1 = rpc_self_fds();

    rpc_print_value(opts, "idle_clients", "idle clients connected", n, "clients");
    if (rss0 > 0 && rss1 > 0 && n > 0) {
        rpc_print_value(opts, "rss_with_idle", "daemon RSS with the idle clients",
                        (double)rss1 / 1048576.0, "MiB");
        rpc_print_value(opts, "rss_per_idle", "daemon RSS per idle client",
                        (double)(rss1 - rss0) / n / 1024.0, "KiB");
    }
    if (n > 0)
        rpc_print_value(opts, "fds_per_conn", "client fds per connection",
                        (double)(fds1 - fds0) / n, "fds");
    for (int i = 0; i < n; i++)
        virConnectClose(idle[i]);
    free(idle);
}

int main(int argc, char **argv)
{
    rpc_opts opts;
    rpc_parse_args(argc, argv, "bench-rpc-libvirt", &opts);

    if (virInitialize() < 0) {
        fprintf(stderr, "virInitialize failed\n");
        return 1;
    }
    virSetErrorFunc(NULL, quiet_errors);
    rpc_print_header(&opts, "libvirt");

    virConnectPtr conn = virConnectOpen(opts.uri);
    if (!conn) {
        fprintf(stderr, "open %s: %s\n", opts.uri, last_message());
        return 1;
    }
    long long rss = rpc_pid_rss_bytes(opts.daemon_pid);
    if (rss > 0)
        rpc_print_value(&opts, "rss_idle", "daemon RSS, one client, idle",
                        (double)rss / 1048576.0, "MiB");
    rss = rpc_pid_rss_anon_bytes(opts.daemon_pid);
    if (rss > 0)
        rpc_print_value(&opts, "rss_anon_idle", "  of which anonymous (RssAnon)",
                        (double)rss / 1048576.0, "MiB");

    virDomainPtr dom = virDomainLookupByName(conn, "test");
    if (!dom) {
        fprintf(stderr, "domain 'test': %s\n", last_message());
        virConnectClose(conn);
        return 1;
    }
    if (rpc_want(&opts, "sync"))
        row_sync(&opts, "get_info_sync", "virDomainGetInfo sync", dom);
    if (rpc_want(&opts, "open"))
        row_open_close(&opts);
    if (rpc_want(&opts, "cycle") && setup_domains(&opts, conn) == 0) {
        row_cycle_sync(&opts, conn);
        row_all_stats(&opts, conn);
    }
    if (opts.idle > 0 && rpc_want(&opts, "idle"))
        rows_idle(&opts, dom);

    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}
