/*
 * bench/bench-util.c - the clock, RSS and printing the benchmarks share.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench-util.h"

static void usage(const char *prog, FILE *out)
{
    fprintf(out,
            "usage: %s [--seconds=S] [--repeat=R] [--domains=N] [--mode=ops|mem|all] [--tsv] [--uri=URI]\n"
            "  --seconds=S   run each timed op for S seconds (default 1)\n"
            "  --repeat=R    time each row R times, show the fastest (default 3)\n"
            "  --domains=N   domains the memory test defines (default 10000)\n"
            "  --mode=M      ops: calls per second; mem: bytes per domain; all: both\n"
            "  --tsv         tab-separated rows (key, calls, ns, calls/s, ns/call, errors)\n"
            "  --uri=URI     connection URI (default test:///default)\n",
            prog);
}

void bench_parse_args(int argc, char **argv, const char *prog, bench_opts *opts)
{
    opts->seconds = 1.0;
    opts->repeat = 3;
    opts->domains = 10000;
    opts->tsv = 0;
    opts->do_ops = 1;
    opts->do_mem = 1;
    opts->uri = "test:///default";

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--seconds=", 10) == 0) {
            opts->seconds = atof(a + 10);
        } else if (strncmp(a, "--repeat=", 9) == 0) {
            opts->repeat = atoi(a + 9);
        } else if (strncmp(a, "--domains=", 10) == 0) {
            opts->domains = atoi(a + 10);
        } else if (strcmp(a, "--tsv") == 0) {
            opts->tsv = 1;
        } else if (strncmp(a, "--uri=", 6) == 0) {
            opts->uri = a + 6;
        } else if (strcmp(a, "--mode=ops") == 0) {
            opts->do_ops = 1;
            opts->do_mem = 0;
        } else if (strcmp(a, "--mode=mem") == 0) {
            opts->do_ops = 0;
            opts->do_mem = 1;
        } else if (strcmp(a, "--mode=all") == 0) {
            opts->do_ops = opts->do_mem = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(prog, stdout);
            exit(0);
        } else {
            fprintf(stderr, "%s: unknown option %s\n", prog, a);
            usage(prog, stderr);
            exit(2);
        }
    }
    if (opts->seconds <= 0 || opts->domains <= 0 || opts->repeat <= 0) {
        fprintf(stderr, "%s: --seconds, --repeat and --domains must be positive\n",
                prog);
        exit(2);
    }
}

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

long long bench_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = -1;
    if (!f)
        return -1;
    if (fscanf(f, "%lld %lld", &size, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

int bench_domain_xml(char *buf, size_t len, int n)
{
    int r = snprintf(buf, len,
        "<domain type='test'>\n"
        "  <name>bench-%d</name>\n"
        "  <uuid>b0000000-0000-4000-8000-%012x</uuid>\n"
        "  <memory unit='KiB'>262144</memory>\n"
        "  <currentMemory unit='KiB'>262144</currentMemory>\n"
        "  <vcpu>1</vcpu>\n"
        "  <os><type arch='x86_64'>hvm</type></os>\n"
        "  <devices>\n"
        "    <disk type='file' device='disk'>\n"
        "      <source file='/var/lib/evirt-bench/bench-%d.img'/>\n"
        "      <target dev='vda' bus='virtio'/>\n"
        "    </disk>\n"
        "    <interface type='network'>\n"
        "      <mac address='52:54:00:%02x:%02x:%02x'/>\n"
        "      <source network='default'/>\n"
        "    </interface>\n"
        "  </devices>\n"
        "</domain>\n",
        n, (unsigned int)n, n,
        (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    return (r < 0 || (size_t)r >= len) ? -1 : r;
}

void bench_print_header(const bench_opts *opts, const char *impl)
{
    if (opts->tsv)
        return;
    printf("%s on %s (%.1f s per timed run, fastest of %d)\n", impl, opts->uri,
           opts->seconds, opts->repeat);
    printf("%-38s %12s %14s %12s %8s\n", "benchmark", "calls", "calls/s",
           "ns/call", "errors");
}

void bench_print_rate(const bench_opts *opts, const char *key, const char *what,
                      uint64_t calls, uint64_t ns, uint64_t errors)
{
    double rate = ns ? (double)calls * 1e9 / (double)ns : 0.0;
    double per = calls ? (double)ns / (double)calls : 0.0;
    if (opts->tsv)
        printf("rate\t%s\t%llu\t%llu\t%.1f\t%.1f\t%llu\n", key,
               (unsigned long long)calls, (unsigned long long)ns, rate, per,
               (unsigned long long)errors);
    else
        printf("%-38s %12llu %14.0f %12.1f %8llu\n", what,
               (unsigned long long)calls, rate, per,
               (unsigned long long)errors);
    fflush(stdout);
}

void bench_print_value(const bench_opts *opts, const char *key,
                       const char *what, double value, const char *unit)
{
    if (opts->tsv)
        printf("value\t%s\t%.1f\t%s\n", key, value, unit);
    else
        printf("%-38s %12.1f %s\n", what, value, unit);
    fflush(stdout);
}
