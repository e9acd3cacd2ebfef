#!/bin/sh
# bench/run-rpc.sh - over the wire: evirt's client and libvirt's client,
# each against a private evirtd and a private libvirtd on unix sockets,
# then one table with the four combinations and the ratios of this run.
#
#   bench/run-rpc.sh [--seconds=S] [--domains=N] [--idle=N] [--window=N]
#
# BUILD names the build directory (default: $TMPDIR/evirt-bench-build);
# it is configured from this source tree when it has no Makefile yet.
# Each of the four runs gets freshly started daemons (temporary folders,
# removed on exit; both daemons are killed in the trap), so one run's
# domains, clients and heap do not skew the next one's figures.
# libvirtd is started as tests/interop-daemons.sh does: its own config
# file, an empty LIBVIRT_DRIVER_DIR (only the built-in test and remote
# drivers), XDG folders in its temporary folder.
# Figures are printed, never judged: nothing here fails on a timing.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-${TMPDIR:-/tmp}/evirt-bench-build}
LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}
ARGS="$*"

mkdir -p "$BUILD"
if [ ! -f "$BUILD/Makefile" ]; then
    (cd "$BUILD" && "$srcdir/configure" -q)
fi
make -C "$BUILD" -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

# 1000 idle clients: a socket each in the client and in the daemon
# (libvirt's client takes two fds per connection).  The daemons inherit
# the limit.  (dash and bash both have ulimit -n and -H.)
# shellcheck disable=SC3045
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || :

unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI EVIRT_DEFAULT_URI
out=$(mktemp -d "${TMPDIR:-/tmp}/run-rpc.XXXXXX")
d_pid=
cleanup() {
    if [ -n "$d_pid" ] && kill -0 "$d_pid" 2>/dev/null; then
        kill -KILL "$d_pid" 2>/dev/null || :
    fi
    rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# wait_socket PATH PID: 0 once PATH is a socket, 1 if PID died or 10 s passed.
wait_socket() {
    i=0
    while [ $i -lt 100 ]; do
        [ -S "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# start_evirtd DIR: d_pid and d_uri.  $mcr: max_client_requests (default 5).
start_evirtd() {
    cat >"$1/evirtd.conf" <<EOF
unix_sock_dir = "$1"
log_outputs = "3:stderr"
max_client_requests = ${mcr:-5}
EOF
    "$BUILD/daemon/evirtd" --config "$1/evirtd.conf" \
        --pid-file "$1/evirtd.pid" 2>"$1/daemon.log" &
    d_pid=$!
    d_uri="test+unix:///default?socket=$1/libvirt-sock"
    wait_socket "$1/libvirt-sock" "$d_pid"
}

start_libvirtd() {
    mkdir "$1/modules" "$1/xdg"
    cat >"$1/libvirtd.conf" <<EOF
unix_sock_dir = "$1"
listen_tcp = 0
listen_tls = 0
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0700"
log_outputs = "3:file:$1/daemon.log"
max_client_requests = ${mcr:-5}
EOF
    (
        cd "$1" || exit 1
        LIBVIRT_DRIVER_DIR=$1/modules \
        XDG_RUNTIME_DIR=$1/xdg XDG_CONFIG_HOME=$1/xdg \
        XDG_CACHE_HOME=$1/xdg XDG_DATA_HOME=$1/xdg \
            exec "$LIBVIRTD" --config "$1/libvirtd.conf" \
            --pid-file "$1/libvirtd.pid" --timeout 300 >"$1/stdout.log" 2>&1
    ) &
    d_pid=$!
    d_uri="test+unix:///default?socket=$1/libvirt-sock"
    wait_socket "$1/libvirt-sock" "$d_pid"
}

stop_daemon() {
    [ -n "$d_pid" ] || return 0
    kill -TERM "$d_pid" 2>/dev/null || :
    i=0
    while kill -0 "$d_pid" 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -KILL "$d_pid" 2>/dev/null || :
    wait "$d_pid" 2>/dev/null || :
    d_pid=
}

# run NAME PROGRAM DAEMON [OPTION...]: PROGRAM (bench-rpc |
# bench-rpc-libvirt) against a fresh DAEMON (evirtd | libvirtd); rows in
# $out/NAME.
run() {
    : >"$out/$1"
    if [ ! -x "$BUILD/bench/$2" ]; then
        echo "skipped $1: $2 was not built" >&2
        return 0
    fi
    if [ "$3" = libvirtd ] && [ ! -x "$LIBVIRTD" ]; then
        echo "skipped $1: no libvirtd at $LIBVIRTD" >&2
        return 0
    fi
    dir=$out/$1.d
    mkdir "$dir"
    if ! "start_$3" "$dir"; then
        echo "skipped $1: $3 did not start:" >&2
        cat "$dir"/*.log >&2 2>/dev/null || :
        stop_daemon
        return 0
    fi
    name=$1 prog=$2
    shift 3
    # shellcheck disable=SC2086
    "$BUILD/bench/$prog" --tsv --uri="$d_uri" --daemon-pid="$d_pid" $ARGS "$@" \
        >"$out/$name" || echo "note: $name: $prog exited with status $?" >&2
    stop_daemon
}

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
run ee bench-rpc evirtd
run el bench-rpc libvirtd
run ll bench-rpc-libvirt libvirtd
run le bench-rpc-libvirt evirtd
# Both daemons default to 5 calls handled at once per client (libvirtd's
# max_client_requests): the pipelined rows again with 256.
mcr=256
run ee256 bench-rpc evirtd --rows=async,cycle
run el256 bench-rpc libvirtd --rows=async,cycle
mcr=
# The floor under any daemon's CPU per sync call on this machine: an epoll
# echo server making evirtd's three system calls per request, nothing else.
: >"$out/floor"
if [ -x "$BUILD/bench/bench-floor" ]; then
    "$BUILD/bench/bench-floor" --tsv >"$out/floor" ||
        echo "note: bench-floor exited with status $?" >&2
fi
load1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

lv_version=$("$LIBVIRTD" --version 2>/dev/null | sed 's/.* //' || echo '?')
echo "evirt $(cd "$srcdir" && git describe --always --dirty 2>/dev/null || echo '?')" \
     "vs libvirt $lv_version, over unix sockets, test:///default;" \
     "$(nproc 2>/dev/null || echo '?') CPUs:" \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "arguments: ${ARGS:-(defaults: --seconds=1 --domains=1000 --idle=1000 --window=256)};" \
     "load average before: $load0, after: $load1"
echo "columns: client>daemon; dCPU/cCPU: daemon/client CPU per call (per cycle for cycles);"
echo "mcr=256: both daemons at max_client_requests = 256 (default 5, as libvirtd)"
echo

awk -F '\t' '
FNR == 1 { f = FILENAME; sub(/.*\//, "", f); sfx = sub(/256$/, "", f) ? "_mcr" : "" }
$1 == "rpc" {
    k = f SUBSEP $2 sfx
    rate[k] = $5; per[k] = $6; p50[k] = $7; p99[k] = $8; dcpu[k] = $9; ccpu[k] = $10
    err[k] = $11; dusr[k] = $12
}
$1 == "value" { val[f SUBSEP $2 sfx] = $3 }
function has(a, f, key) { return ((f SUBSEP key) in a) }
# cell(array, file, key, scale, format): the scaled figure, or n/a.
function cell(a, f, key, scale, fmt,   v) {
    if (!has(a, f, key)) return "n/a"
    v = a[f, key]
    if (v + 0 < 0) return "n/a"
    return sprintf(fmt, v / scale)
}
function row(label, a, key, scale, fmt) {
    printf "%-38s %15s %15s %17s %15s\n", label, cell(a, "ee", key, scale, fmt), \
        cell(a, "el", key, scale, fmt), cell(a, "ll", key, scale, fmt), \
        cell(a, "le", key, scale, fmt)
}
function pct(label, key) {
    printf "%-38s %15s %15s %17s %15s\n", label, pp("ee", key), pp("el", key), \
        pp("ll", key), pp("le", key)
}
function pp(f, key) {
    if (!has(p50, f, key) || p50[f, key] + 0 < 0) return "n/a"
    return sprintf("%.0f / %.0f", p50[f, key] / 1e3, p99[f, key] / 1e3)
}
function ratio(a, fa, ka, b, fb, kb,   x, y) {
    if (!has(a, fa, ka) || !has(b, fb, kb)) return "n/a"
    x = a[fa, ka]; y = b[fb, kb]
    if (x + 0 <= 0 || y + 0 <= 0) return "n/a"
    return sprintf("%.2fx", x / y)
}
function goal(label, figure, target) {
    printf "%-62s %12s   %s\n", label, figure, target
}
END {
    printf "%-38s %15s %15s %17s %15s\n", "", "evirt>evirtd", "evirt>libvirtd", \
        "libvirt>libvirtd", "libvirt>evirtd"
    row("get_info sync, calls/s",            rate, "get_info_sync", 1, "%.0f")
    pct("  p50 / p99 latency, us",           "get_info_sync")
    row("  dCPU us/call",                    dcpu, "get_info_sync", 1e3, "%.1f")
    row("    of which user mode",            dusr, "get_info_sync", 1e3, "%.1f")
    row("  cCPU us/call",                    ccpu, "get_info_sync", 1e3, "%.1f")
    row("get_info async window, calls/s",    rate, "get_info_async", 1, "%.0f")
    row("  dCPU us/call",                    dcpu, "get_info_async", 1e3, "%.1f")
    row("  cCPU us/call",                    ccpu, "get_info_async", 1e3, "%.1f")
    row("open + close, ms",                  per,  "open_close", 1e6, "%.3f")
    pct("  p50 / p99, us",                   "open_close")
    row("define + start, ms per domain",     per,  "define_start", 1e6, "%.3f")
    n = has(val, "ee", "cycle_domains") ? sprintf("%d", val["ee", "cycle_domains"]) : \
        (has(val, "ll", "cycle_domains") ? sprintf("%d", val["ll", "cycle_domains"]) : "?")
    row("cycle (" n " dom.) one by one, ms",  per,  "cycle_sync", 1e6, "%.2f")
    pct("  p50 / p99, us",                   "cycle_sync")
    row("  dCPU ms/cycle",                   dcpu, "cycle_sync", 1e6, "%.2f")
    row("  cCPU ms/cycle",                   ccpu, "cycle_sync", 1e6, "%.2f")
    row("cycle pipelined, ms",               per,  "cycle_pipelined", 1e6, "%.2f")
    pct("  p50 / p99, us",                   "cycle_pipelined")
    row("  dCPU ms/cycle",                   dcpu, "cycle_pipelined", 1e6, "%.2f")
    row("  cCPU ms/cycle",                   ccpu, "cycle_pipelined", 1e6, "%.2f")
    row("async window, mcr=256, calls/s",     rate, "get_info_async_mcr", 1, "%.0f")
    row("  dCPU us/call",                    dcpu, "get_info_async_mcr", 1e3, "%.1f")
    row("cycle pipelined, mcr=256, ms",       per, "cycle_pipelined_mcr", 1e6, "%.2f")
    row("  dCPU ms/cycle",                   dcpu, "cycle_pipelined_mcr", 1e6, "%.2f")
    row("get_all_domain_stats, ms",          per,  "all_stats", 1e6, "%.2f")
    row("daemon RSS, 1 client idle, MiB",    val,  "rss_idle", 1, "%.1f")
    row("  of which anonymous, MiB",         val,  "rss_anon_idle", 1, "%.1f")
    i = has(val, "ee", "idle_clients") ? sprintf("%d", val["ee", "idle_clients"]) : "N"
    row("daemon RSS, +" i " idle clients, MiB", val, "rss_with_idle", 1, "%.1f")
    row("  per idle client, KiB",            val,  "rss_per_idle", 1, "%.2f")
    row("client fds per connection",         val,  "fds_per_conn", 1, "%.2f")
    row("get_info sync, 1 idle, calls/s",    rate, "idle_1", 1, "%.0f")
    row("get_info sync, 100 idle, calls/s",  rate, "idle_100", 1, "%.0f")
    row("get_info sync, 1000 idle, calls/s", rate, "idle_1000", 1, "%.0f")
    pct("  p50 / p99 with 1000 idle, us",    "idle_1000")
    row("  dCPU us/call with 1000 idle",     dcpu, "idle_1000", 1e3, "%.1f")

    print ""
    printf "%-62s %12s   %s\n", "goal (ratios from this run)", "figure", "target"
    goal("cycle: evirt pipelined>evirtd vs libvirt>libvirtd 1-by-1", \
         ratio(per, "ll", "cycle_sync", per, "ee", "cycle_pipelined"), ">= 10x")
    goal("cycle: evirt pipelined>libvirtd vs libvirt>libvirtd 1-by-1", \
         ratio(per, "ll", "cycle_sync", per, "el", "cycle_pipelined"), ">= 5x")
    goal("  the same, both daemons at max_client_requests = 256", \
         ratio(per, "ll", "cycle_sync", per, "ee", "cycle_pipelined_mcr"), ">= 10x")
    goal("  the same against libvirtd, both at max_client_requests = 256", \
         ratio(per, "ll", "cycle_sync", per, "el", "cycle_pipelined_mcr"), ">= 5x")
    goal("cycle: evirt 1-by-1>evirtd vs libvirt>libvirtd 1-by-1", \
         ratio(per, "ll", "cycle_sync", per, "ee", "cycle_sync"), "(reference)")
    goal("async window on one connection, evirt>evirtd, calls/s", \
         cell(rate, "ee", "get_info_async", 1, "%.0f"), "> 200000")
    goal("  the same, evirtd at max_client_requests = 256, calls/s", \
         cell(rate, "ee", "get_info_async_mcr", 1, "%.0f"), "> 200000")
    goal("sync get_info: evirt>evirtd vs libvirt>libvirtd", \
         ratio(rate, "ee", "get_info_sync", rate, "ll", "get_info_sync"), ">= 1.5x")
    goal("sync get_info: evirt>libvirtd vs libvirt>libvirtd", \
         ratio(rate, "el", "get_info_sync", rate, "ll", "get_info_sync"), "(reference)")
    goal("libvirt client: evirtd vs libvirtd, calls/s", \
         ratio(rate, "le", "get_info_sync", rate, "ll", "get_info_sync"), ">= 1x")
    goal("libvirt client: evirtd vs libvirtd, daemon CPU per call", \
         ratio(dcpu, "le", "get_info_sync", dcpu, "ll", "get_info_sync"), "<= 0.25x")
    goal("  the same, user mode only (code run by the daemon, not the kernel)", \
         ratio(dusr, "le", "get_info_sync", dusr, "ll", "get_info_sync"), "(reference)")
    goal("  floor: an epoll echo server, CPU per round trip, us", \
         cell(val, "floor", "floor_dcpu", 1e3, "%.1f"), "(reference)")
    goal("  evirtd (libvirt client) vs that floor, CPU per call", \
         ratio(dcpu, "le", "get_info_sync", val, "floor", "floor_dcpu"), "(reference)")
    goal("  libvirtd (libvirt client) vs that floor, CPU per call", \
         ratio(dcpu, "ll", "get_info_sync", val, "floor", "floor_dcpu"), "(reference)")
    goal("open + close: evirt>evirtd vs libvirt>libvirtd, time", \
         ratio(per, "ee", "open_close", per, "ll", "open_close"), "(reference)")
    goal("evirtd RSS idle, MiB", cell(val, "ee", "rss_idle", 1, "%.1f"), "< 6")
    goal("  of which anonymous (heap, stacks; not library pages), MiB", \
         cell(val, "ee", "rss_anon_idle", 1, "%.1f"), "(reference)")
    goal("evirtd RSS per idle client (evirt clients), KiB", \
         cell(val, "ee", "rss_per_idle", 1, "%.2f"), "< 4")
    goal("evirtd RSS per idle client (libvirt clients), KiB", \
         cell(val, "le", "rss_per_idle", 1, "%.2f"), "< 4")
    goal("evirt client fds per connection", \
         cell(val, "ee", "fds_per_conn", 1, "%.2f"), "1")
    goal("evirtd, evirt client: calls/s with 1000 idle vs 1 idle", \
         ratio(rate, "ee", "idle_1000", rate, "ee", "idle_1"), ">= 0.90x")
    goal("evirtd, libvirt client: calls/s with 1000 idle vs 1 idle", \
         ratio(rate, "le", "idle_1000", rate, "le", "idle_1"), ">= 0.90x")
    goal("libvirtd, libvirt client: calls/s with 1000 idle vs 1 idle", \
         ratio(rate, "ll", "idle_1000", rate, "ll", "idle_1"), "(reference)")
    for (k in err) if (err[k] + 0 > 0) {
        split(k, p, SUBSEP)
        printf "note: %s: %s had %s failed calls\n", p[1], p[2], err[k]
    }
}' "$out/ee" "$out/el" "$out/ll" "$out/le" "$out/ee256" "$out/el256" "$out/floor"
