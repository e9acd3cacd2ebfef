/*
 * bench/bench-rpc-util.c - /proc readings, latencies and printing for the
 * over-the-wire benchmarks.
 */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/bench-util.h"
#include "bench/bench-rpc-util.h"

static void usage(const char *prog, FILE *out)
{
    fprintf(out,
            "usage: %s --uri=URI [--daemon-pid=PID] [--seconds=S] [--domains=N]\n"
            "          [--idle=N] [--window=N] [--rows=LIST] [--tsv]\n"
            "  --uri=URI         a remote URI, e.g. test+unix:///default?socket=PATH\n"
            "  --daemon-pid=PID  the daemon behind URI: its CPU time and RSS are read\n"
            "  --seconds=S       run each timed row for S seconds (default 1)\n"
            "  --domains=N       domains defined and started for the cycle (default 1000)\n"
            "  --idle=N          idle clients at the last step (default 1000)\n"
            "  --window=N        async calls in flight (default 256)\n"
            "  --rows=LIST       only these rows: sync,async,open,cycle,idle (default all)\n"
            "  --tsv             tab-separated rows for run-rpc.sh\n",
            prog);
}

void rpc_parse_args(int argc, char **argv, const char *prog, rpc_opts *opts)
{
    opts->seconds = 1.0;
    opts->domains = 1000;
    opts->idle = 1000;
    opts->window = 256;
    opts->daemon_pid = 0;
    opts->tsv = 0;
    opts->uri = NULL;
    opts->rows = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--seconds=", 10) == 0) {
            opts->seconds = atof(a + 10);
        } else if (strncmp(a, "--domains=", 10) == 0) {
            opts->domains = atoi(a + 10);
        } else if (strncmp(a, "--idle=", 7) == 0) {
            opts->idle = atoi(a + 7);
        } else if (strncmp(a, "--window=", 9) == 0) {
            opts->window = atoi(a + 9);
        } else if (strncmp(a, "--daemon-pid=", 13) == 0) {
            opts->daemon_pid = (pid_t)atol(a + 13);
        } else if (strncmp(a, "--rows=", 7) == 0) {
            opts->rows = a + 7;
        } else if (strcmp(a, "--tsv") == 0) {
            opts->tsv = 1;
        } else if (strncmp(a, "--uri=", 6) == 0) {
            opts->uri = a + 6;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(prog, stdout);
            exit(0);
        } else {
            fprintf(stderr, "%s: unknown option %s\n", prog, a);
            usage(prog, stderr);
            exit(2);
        }
    }
    if (!opts->uri || opts->seconds <= 0 || opts->domains < 0 ||
        opts->idle < 0 || opts->window <= 0) {
        fprintf(stderr, "%s: --uri is needed; --seconds and --window must be "
                "positive\n", prog);
        usage(prog, stderr);
        exit(2);
    }
}

int rpc_want(const rpc_opts *opts, const char *row)
{
    size_t n = strlen(row);
    const char *p = opts->rows;

    if (!p)
        return 1;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, row, n) == 0)
            return 1;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

uint64_t rpc_pid_cpu_ns(pid_t pid, uint64_t *user_ns)
{
    char path[64], buf[1024];
    unsigned long long utime = 0, stime = 0;
    FILE *f;
    size_t n;

    if (user_ns)
        *user_ns = 0;
    if (pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces and parentheses: fields are
     * counted from the last ')'.  utime and stime are fields 14 and 15. */
    char *p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                     &utime, &stime) != 2)
        return 0;
    unsigned long long tick = 1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK);
    if (user_ns)
        *user_ns = utime * tick;
    return (utime + stime) * tick;
}

static long long status_kib(pid_t pid, const char *field)
{
    char path[64], line[256];
    size_t n = strlen(field);
    long long kib = -1;
    FILE *f;

    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, field, n) == 0 && sscanf(line + n, " %lld", &kib) == 1)
            break;
    fclose(f);
    return kib < 0 ? -1 : kib * 1024;
}

long long rpc_pid_rss_bytes(pid_t pid)
{
    return status_kib(pid, "VmRSS:");
}

long long rpc_pid_rss_anon_bytes(pid_t pid)
{
    return status_kib(pid, "RssAnon:");
}

uint64_t rpc_self_cpu_ns(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
           ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

int rpc_self_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1;   /* the directory stream's own fd */
}

void rpc_meter_start(rpc_meter *m, const rpc_opts *opts)
{
    memset(m, 0, sizeof(*m));
    m->opts = opts;
    m->dcpu0 = rpc_pid_cpu_ns(opts->daemon_pid, &m->dusr0);
    m->ccpu0 = rpc_self_cpu_ns();
    m->t0 = bench_now_ns();
}

void rpc_meter_add(rpc_meter *m, uint64_t ns, int failed)
{
    if (m->nlat == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 65536;
        uint32_t *lat = realloc(m->lat, cap * sizeof(*lat));
        if (!lat) {
            /* Out of memory for latencies: keep counting calls. */
            m->calls++;
            m->errors += failed != 0;
            return;
        }
        m->lat = lat;
        m->cap = cap;
    }
    m->lat[m->nlat++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
    m->calls++;
    m->errors += failed != 0;
}

void rpc_meter_count(rpc_meter *m, uint64_t calls, uint64_t errors)
{
    m->calls += calls;
    m->errors += errors;
}

void rpc_meter_stop(rpc_meter *m)
{
    m->t1 = bench_now_ns();
    m->ccpu1 = rpc_self_cpu_ns();
    m->dcpu1 = rpc_pid_cpu_ns(m->opts->daemon_pid, &m->dusr1);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static double percentile(const rpc_meter *m, double p)
{
    if (!m->nlat)
        return 0.0;
    size_t i = (size_t)(p * (double)(m->nlat - 1) + 0.5);
    return m->lat[i];
}

void rpc_print_row(rpc_meter *m, const char *key, const char *what)
{
    const rpc_opts *o = m->opts;
    uint64_t ns = m->t1 - m->t0;
    double rate = ns ? (double)m->calls * 1e9 / (double)ns : 0.0;
    double per = m->calls ? (double)ns / (double)m->calls : 0.0;
    double dcpu = (o->daemon_pid > 0 && m->calls)
                  ? (double)(m->dcpu1 - m->dcpu0) / (double)m->calls : -1.0;
    double dusr = (o->daemon_pid > 0 && m->calls)
                  ? (double)(m->dusr1 - m->dusr0) / (double)m->calls : -1.0;
    double ccpu = m->calls ? (double)(m->ccpu1 - m->ccpu0) / (double)m->calls : 0.0;

    if (m->nlat)
        qsort(m->lat, m->nlat, sizeof(*m->lat), cmp_u32);
    double p50 = m->nlat ? percentile(m, 0.50) : -1.0;
    double p99 = m->nlat ? percentile(m, 0.99) : -1.0;

    if (o->tsv)
        printf("rpc\t%s\t%llu\t%llu\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%llu\t%.1f\n",
               key, (unsigned long long)m->calls, (unsigned long long)ns, rate,
               per, p50, p99, dcpu, ccpu, (unsigned long long)m->errors, dusr);
    else
        printf("%-40s %9llu %11.0f %9.1f %9.1f %9.1f %10.1f %10.1f %6llu\n",
               what, (unsigned long long)m->calls, rate, per / 1e3,
               p50 / 1e3, p99 / 1e3, dcpu / 1e3, ccpu / 1e3,
               (unsigned long long)m->errors);
    fflush(stdout);
    free(m->lat);
    m->lat = NULL;
    m->nlat = m->cap = 0;
}

void rpc_print_value(const rpc_opts *opts, const char *key, const char *what,
                     double value, const char *unit)
{
    if (opts->tsv)
        printf("value\t%s\t%.1f\t%s\n", key, value, unit);
    else
        printf("%-40s %12.1f %s\n", what, value, unit);
    fflush(stdout);
}

void rpc_print_header(const rpc_opts *opts, const char *client)
{
    if (opts->tsv)
        return;
    printf("%s client on %s (daemon pid %ld; %.1f s per timed row)\n", client,
           opts->uri, (long)opts->daemon_pid, opts->seconds);
    printf("%-40s %9s %11s %9s %9s %9s %10s %10s %6s\n", "benchmark", "calls",
           "calls/s", "us/call", "p50 us", "p99 us", "dCPU us", "cCPU us",
           "errors");
}
