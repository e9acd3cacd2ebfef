/*
 * bench/bench-util.h - what the evirt and libvirt benchmarks share: the
 * clock, RSS, command-line options, the domain XML they both define, and
 * the result rows (a human table, or tab-separated lines for run.sh).
 *
 * Timings are only measured and printed, never judged: nothing here
 * decides that a figure is good or bad.
 */
#ifndef EVIRT_BENCH_UTIL_H
#define EVIRT_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_opts {
    double seconds;     /* how long each timed op runs (--seconds) */
    int repeat;         /* timed runs per row; the fastest is shown */
    int domains;        /* how many domains the memory test defines */
    int tsv;            /* --tsv: machine-readable rows for run.sh */
    int do_ops;         /* --mode=ops|mem|all */
    int do_mem;
    const char *uri;
} bench_opts;

/* Parses argv into opts; prints usage and exits on a bad option. */
void bench_parse_args(int argc, char **argv, const char *prog, bench_opts *opts);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* The resident set size of this process in bytes (from /proc/self/statm). */
long long bench_rss_bytes(void);

/*
 * Writes into buf (size len) the XML of domain bench-<n>: distinct name,
 * UUID, disk path and MAC, 256 MiB, 1 vCPU, one disk, one interface.
 * Returns the length, or -1 when len is too small.
 */
int bench_domain_xml(char *buf, size_t len, int n);

/* Starts the result table (nothing in --tsv mode). */
void bench_print_header(const bench_opts *opts, const char *impl);

/*
 * One result row: key is stable (run.sh joins on it), what is the label
 * shown to people.  calls in ns nanoseconds; errors is how many calls
 * failed (they are counted in calls too).
 */
void bench_print_rate(const bench_opts *opts, const char *key, const char *what,
                      uint64_t calls, uint64_t ns, uint64_t errors);

/* A row that is a plain quantity (bytes per domain and the like). */
void bench_print_value(const bench_opts *opts, const char *key,
                       const char *what, double value, const char *unit);

/* Calls to make between two looks at the clock in the timed loops. */
#define BENCH_CLOCK_EVERY 64

#endif
