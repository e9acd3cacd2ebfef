/*
 * bench/bench-rpc.c - evirt's client over the wire, against a daemon
 * (evirtd or libvirtd) on a unix socket: get_info round trips sync and
 * with a window of async calls in flight, open+close, a monitoring cycle
 * over all running domains (list, then get_info of each: one by one, and
 * pipelined), the daemon's RSS idle and with many idle clients, and the
 * active client's round trips while those idle clients are connected.
 *
 * The daemon's CPU time and RSS come from /proc/PID (--daemon-pid).
 * Everything runs on one private loop that this thread iterates.
 * bench/run-rpc.sh starts the daemons and prints the combined table.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include <evirt/evirt.h>

#include "bench/bench-util.h"
#include "bench/bench-rpc-util.h"

static const char *last_message(void)
{
    const evirt_error *err = evirt_last_error();
    return err && err->message ? err->message : "unknown error";
}

/* Keeps the default handler from logging every error: failures are counted. */
static void quiet_errors(void *userdata, const evirt_error *err)
{
    (void)userdata;
    (void)err;
}

/* ---- sync round trips ------------------------------------------------------ */

/* get_info on dom for opts->seconds, each call's latency recorded. */
static void row_sync(const rpc_opts *opts, const char *key, const char *what,
                     evirt_domain *dom)
{
    evirt_domain_info info;
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    rpc_meter m;

    for (int i = 0; i < 200; i++)
        evirt_domain_get_info(dom, &info);

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        int rc = evirt_domain_get_info(dom, &info);
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, rc < 0);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, key, what);
}

/* ---- async: a window of get_info calls kept full -------------------------- */

typedef struct async_run {
    evirt_loop *loop;
    evirt_domain *dom;
    int in_flight;
    int stopping;
    uint64_t start, budget, done, errors;
} async_run;

static void async_done(evirt_op *op, void *opaque);

static int async_start_one(async_run *r)
{
    if (!evirt_domain_get_info_async(r->dom, async_done, r))
        return -1;
    r->in_flight++;
    return 0;
}

static void async_done(evirt_op *op, void *opaque)
{
    async_run *r = opaque;
    evirt_domain_info info;

    if (evirt_domain_get_info_finish(op, &info) < 0)
        r->errors++;
    r->in_flight--;
    r->done++;
    if (!r->stopping && r->done % BENCH_CLOCK_EVERY == 0 &&
        bench_now_ns() - r->start >= r->budget)
        r->stopping = 1;
    if (!r->stopping && async_start_one(r) < 0)
        r->stopping = 1;
    if (r->in_flight == 0)
        evirt_loop_quit(r->loop);
}

static int async_window(async_run *r, int window, double seconds)
{
    r->in_flight = 0;
    r->stopping = 0;
    r->done = r->errors = 0;
    r->budget = (uint64_t)(seconds * 1e9);
    r->start = bench_now_ns();
    for (int i = 0; i < window; i++)
        if (async_start_one(r) < 0)
            return -1;
    return evirt_loop_run(r->loop);
}

static void row_async(const rpc_opts *opts, evirt_loop *loop, evirt_domain *dom)
{
    async_run r = { .loop = loop, .dom = dom };
    char what[64];
    rpc_meter m;

    if (async_window(&r, opts->window, opts->seconds / 10) < 0) {
        fprintf(stderr, "async get_info: evirt_loop_run failed\n");
        return;
    }
    rpc_meter_start(&m, opts);
    r.start = m.t0;
    if (async_window(&r, opts->window, opts->seconds) < 0) {
        fprintf(stderr, "async get_info: evirt_loop_run failed\n");
        return;
    }
    rpc_meter_stop(&m);
    rpc_meter_count(&m, r.done, r.errors);
    snprintf(what, sizeof(what), "get_info async, %d in flight", opts->window);
    rpc_print_row(&m, "get_info_async", what);
}

/* ---- open + close ------------------------------------------------------------ */

static void drain_tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

/* Iterates the loop until this process is back to fds open fds (closed
 * connections let their sockets go), for 5 s at most.  A 10 ms tick keeps
 * an iteration from waiting forever when nothing else is left to come. */
static void drain(evirt_loop *loop, int fds)
{
    uint64_t t0 = bench_now_ns();
    int tick = evirt_loop_add_timeout(loop, 10, drain_tick, NULL, NULL);
    while (rpc_self_fds() > fds && bench_now_ns() - t0 < 5000000000ull)
        evirt_loop_run_once(loop);
    if (tick >= 0)
        evirt_loop_remove_timeout(loop, tick);
}

static void row_open_close(const rpc_opts *opts, evirt_loop *loop)
{
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    int fds0 = rpc_self_fds();
    rpc_meter m;

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        evirt_conn *c = evirt_conn_open_on(loop, opts->uri, NULL, 0);
        if (c)
            evirt_conn_close(c);
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, c == NULL);
    }
    /* evirt's close does not wait for the daemon's answer: the last
     * sockets are let go here, inside the timed row. */
    drain(loop, fds0);
    rpc_meter_stop(&m);
    rpc_print_row(&m, "open_close", "open + close");
}

/* ---- the domains of the monitoring cycle ------------------------------------ */

/* Defines and starts bench-0 .. bench-N-1 unless they already run. */
static int setup_domains(const rpc_opts *opts, evirt_conn *conn)
{
    char xml[2048], name[64];
    int failures = 0;
    rpc_meter m;

    rpc_meter_start(&m, opts);
    for (int i = 0; i < opts->domains; i++) {
        uint64_t t = bench_now_ns();
        snprintf(name, sizeof(name), "bench-%d", i);
        evirt_domain *d = evirt_domain_lookup_by_name(conn, name);
        if (!d) {
            bench_domain_xml(xml, sizeof(xml), i);
            d = evirt_domain_define_xml(conn, xml);
        }
        int rc = -1;
        if (d && evirt_domain_is_active(d) == 0)
            rc = evirt_domain_create(d);
        else if (d)
            rc = 0;
        if (rc < 0 && failures++ == 0)
            fprintf(stderr, "define+start %s: %s\n", name, last_message());
        if (d)
            evirt_domain_unref(d);
        rpc_meter_add(&m, bench_now_ns() - t, rc < 0);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, "define_start", "define + start (sync, per domain)");
    return failures ? -1 : 0;
}

/* ---- monitoring cycle: list, then get_info of each -------------------------- */

static void row_cycle_sync(const rpc_opts *opts, evirt_conn *conn)
{
    uint64_t budget = (uint64_t)(opts->seconds * 1e9);
    int ndoms = 0;
    rpc_meter m;

    rpc_meter_start(&m, opts);
    uint64_t now = m.t0;
    while (now - m.t0 < budget) {
        uint64_t t = now;
        evirt_domain **doms = NULL;
        int n = evirt_conn_list_all_domains(conn, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE,
                                            &doms);
        int failed = n < 0;
        for (int i = 0; i < n; i++) {
            evirt_domain_info info;
            if (evirt_domain_get_info(doms[i], &info) < 0)
                failed = 1;
        }
        if (n > 0)
            evirt_domain_list_free(doms, n);
        ndoms = n;
        now = bench_now_ns();
        rpc_meter_add(&m, now - t, failed);
    }
    rpc_meter_stop(&m);
    rpc_print_row(&m, "cycle_sync", "cycle one by one (per cycle)");
    rpc_print_value(opts, "cycle_domains", "  running domains in the cycle",
                    ndoms, "domains");
}

typedef struct cycle_run {
    evirt_conn *conn;
    evirt_loop *loop;
    rpc_meter *m;
    evirt_domain **doms;
    int ndoms, pending, failed, stop;
    uint64_t budget, cycle_start;
} cycle_run;

static void cycle_start(cycle_run *r);

static void cycle_end(cycle_run *r)
{
    uint64_t now = bench_now_ns();
    rpc_meter_add(r->m, now - r->cycle_start, r->failed);
    if (r->ndoms > 0)
        evirt_domain_list_free(r->doms, r->ndoms);
    r->doms = NULL;
    r->ndoms = 0;
    if (r->stop || now - r->m->t0 >= r->budget)
        evirt_loop_quit(r->loop);
    else
        cycle_start(r);
}

static void cycle_info_done(evirt_op *op, void *opaque)
{
    cycle_run *r = opaque;
    evirt_domain_info info;

    if (evirt_domain_get_info_finish(op, &info) < 0)
        r->failed = 1;
    if (--r->pending == 0)
        cycle_end(r);
}

static void cycle_listed(evirt_op *op, void *opaque)
{
    cycle_run *r = opaque;

    r->ndoms = evirt_conn_list_all_domains_finish(op, &r->doms);
    if (r->ndoms <= 0) {
        r->failed = 1;
        r->stop = 1;
        r->ndoms = 0;
        cycle_end(r);
        return;
    }
    /* Every get_info of the cycle goes out before the first answer is
     * read: the calls are pipelined on the one connection. */
    r->pending = r->ndoms;
    for (int i = 0; i < r->ndoms; i++) {
        if (!evirt_domain_get_info_async(r->doms[i], cycle_info_done, r)) {
            r->failed = 1;
            r->stop = 1;
            if (--r->pending == 0)
                cycle_end(r);
        }
    }
}

static void cycle_start(cycle_run *r)
{
    r->failed = 0;
    r->cycle_start = bench_now_ns();
    if (!evirt_conn_list_all_domains_async(r->conn, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE,
                                           cycle_listed, r)) {
        r->stop = 1;
        evirt_loop_quit(r->loop);
    }
}

static void row_cycle_pipelined(const rpc_opts *opts, evirt_loop *loop,
                                evirt_conn *conn)
{
    rpc_meter m;
    cycle_run r = { .conn = conn, .loop = loop, .m = &m,
                    .budget = (uint64_t)(opts->seconds * 1e9) };

    rpc_meter_start(&m, opts);
    cycle_start(&r);
    if (!r.stop)
        evirt_loop_run(loop);
    rpc_meter_stop(&m);
    rpc_print_row(&m, "cycle_pipelined", "cycle pipelined (per cycle)");
}

/* ---- idle clients -------------------------------------------------------------- */

static void rows_idle(const rpc_opts *opts, evirt_loop *loop, evirt_domain *dom)
{
    static const int steps[] = { 1, 100, 1000 };
    evirt_conn **idle = calloc((size_t)opts->idle + 1, sizeof(*idle));
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
            idle[n] = evirt_conn_open_on(loop, opts->uri, NULL, 0);
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
        evirt_conn_close(idle[i]);
    free(idle);
}

int main(int argc, char **argv)
{
    rpc_opts opts;
    rpc_parse_args(argc, argv, "bench-rpc", &opts);

    evirt_set_error_func(NULL, quiet_errors);
    evirt_loop *loop = evirt_loop_new(NULL);
    if (!loop) {
        fprintf(stderr, "evirt_loop_new failed\n");
        return 1;
    }
    rpc_print_header(&opts, "evirt");

    evirt_conn *conn = evirt_conn_open_on(loop, opts.uri, NULL, 0);
    if (!conn) {
        fprintf(stderr, "open %s: %s\n", opts.uri, last_message());
        evirt_loop_free(loop);
        return 1;
    }
    /* Counted after the first open: it also sets up process-wide things
     * (the default loop) that stay. */
    int fds0 = rpc_self_fds() - 1;
    long long rss = rpc_pid_rss_bytes(opts.daemon_pid);
    if (rss > 0)
        rpc_print_value(&opts, "rss_idle", "daemon RSS, one client, idle",
                        (double)rss / 1048576.0, "MiB");
    rss = rpc_pid_rss_anon_bytes(opts.daemon_pid);
    if (rss > 0)
        rpc_print_value(&opts, "rss_anon_idle", "  of which anonymous (RssAnon)",
                        (double)rss / 1048576.0, "MiB");

    evirt_domain *dom = evirt_domain_lookup_by_name(conn, "test");
    if (!dom) {
        fprintf(stderr, "domain 'test': %s\n", last_message());
        evirt_conn_close(conn);
        evirt_loop_free(loop);
        return 1;
    }
    if (rpc_want(&opts, "sync"))
        row_sync(&opts, "get_info_sync", "get_info sync", dom);
    if (rpc_want(&opts, "async"))
        row_async(&opts, loop, dom);
    if (rpc_want(&opts, "open"))
        row_open_close(&opts, loop);
    if (rpc_want(&opts, "cycle") && setup_domains(&opts, conn) == 0) {
        row_cycle_sync(&opts, conn);
        row_cycle_pipelined(&opts, loop, conn);
    }
    if (opts.idle > 0 && rpc_want(&opts, "idle"))
        rows_idle(&opts, loop, dom);

    evirt_domain_unref(dom);
    evirt_conn_close(conn);
    /* Let the closes reach the daemon before the loop goes. */
    drain(loop, fds0);
    evirt_loop_free(loop);
    return 0;
}
