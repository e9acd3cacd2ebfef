/*
 * bench/bench-rpc-util.h - what the two over-the-wire benchmarks share
 * (bench-rpc.c with evirt's client, bench-rpc-libvirt.c with libvirt's):
 * options, the daemon's CPU time and RSS read from /proc/PID, this
 * process's CPU time and open fds, per-call latencies, and the result
 * rows (a human table, or tab-separated lines for run-rpc.sh).
 *
 * Figures are measured and printed, never judged.
 */
#ifndef EVIRT_BENCH_RPC_UTIL_H
#define EVIRT_BENCH_RPC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct rpc_opts {
    double seconds;     /* how long each timed row runs (--seconds) */
    int domains;        /* domains defined and started for the cycle */
    int idle;           /* idle clients at the last step (--idle) */
    int window;         /* async calls in flight (--window) */
    pid_t daemon_pid;   /* --daemon-pid: whose CPU and RSS are read */
    const char *rows;   /* --rows=sync,async,open,cycle,idle (NULL: all) */
    int tsv;            /* --tsv: rows for run-rpc.sh */
    const char *uri;
} rpc_opts;

/* Parses argv into opts; prints usage and exits on a bad option. */
void rpc_parse_args(int argc, char **argv, const char *prog, rpc_opts *opts);

/* Nonzero when --rows names row (or was not given). */
int rpc_want(const rpc_opts *opts, const char *row);

/* CPU time (user + system, all threads) of pid in ns, and in *user_ns
 * (if not NULL) its user-mode part; 0 when unreadable.
 * From /proc/PID/stat: clock-tick resolution (10 ms at 100 Hz). */
uint64_t rpc_pid_cpu_ns(pid_t pid, uint64_t *user_ns);

/* Resident set size of pid in bytes (/proc/PID/status VmRSS); -1 unknown. */
long long rpc_pid_rss_bytes(pid_t pid);
/* Its anonymous part (RssAnon: heap and stacks, no library pages). */
long long rpc_pid_rss_anon_bytes(pid_t pid);

/* This process's CPU time (user + system, getrusage) in ns. */
uint64_t rpc_self_cpu_ns(void);

/* How many fds this process has open (entries of /proc/self/fd). */
int rpc_self_fds(void);

/*
 * A timed row: the wall clock, the daemon's and this process's CPU time
 * between rpc_meter_start and rpc_meter_stop, and the latency of each
 * call (or cycle) recorded with rpc_meter_add.
 */
typedef struct rpc_meter {
    const rpc_opts *opts;
    uint64_t t0, t1;
    uint64_t dcpu0, dcpu1;
    uint64_t dusr0, dusr1;     /* the user-mode part of dcpu */
    uint64_t ccpu0, ccpu1;
    uint32_t *lat;      /* ns per call, capped at UINT32_MAX */
    size_t nlat, cap;
    uint64_t calls, errors;
} rpc_meter;

void rpc_meter_start(rpc_meter *m, const rpc_opts *opts);
/* One call done in ns (latency); failed calls are counted in calls too. */
void rpc_meter_add(rpc_meter *m, uint64_t ns, int failed);
/* Calls done without a latency of their own (async windows). */
void rpc_meter_count(rpc_meter *m, uint64_t calls, uint64_t errors);
void rpc_meter_stop(rpc_meter *m);

/*
 * Prints the row and frees the latencies.  key is stable (run-rpc.sh
 * joins on it), what is the label shown to people.
 */
void rpc_print_row(rpc_meter *m, const char *key, const char *what);

/* A row that is a plain quantity (bytes, fds, ...). */
void rpc_print_value(const rpc_opts *opts, const char *key, const char *what,
                     double value, const char *unit);

/* Starts the human table (nothing in --tsv mode). */
void rpc_print_header(const rpc_opts *opts, const char *client);

#endif
