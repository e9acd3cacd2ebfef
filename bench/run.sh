#!/bin/sh
# bench/run.sh - builds evirt's benchmarks and runs them, then prints one
# table of evirt side by side with libvirt (same machine, same run).
#
#   bench/run.sh [--seconds=S] [--repeat=R] [--domains=N]
#
# BUILD names the build directory (default: $TMPDIR/evirt-bench-build);
# it is configured from this source tree when it has no Makefile yet.
# Each program runs twice, in fresh processes: once for the call rates
# (--mode=ops), once for the memory of defined domains (--mode=mem), so
# one measurement's heap does not skew the other's RSS.
# Figures are printed, never judged: nothing here fails on a timing.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-${TMPDIR:-/tmp}/evirt-bench-build}
ARGS="$*"

mkdir -p "$BUILD"
if [ ! -f "$BUILD/Makefile" ]; then
    (cd "$BUILD" && "$srcdir/configure" -q)
fi
make -C "$BUILD" -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# shellcheck disable=SC2086
"$BUILD/bench/bench-inproc" --tsv --mode=ops $ARGS >"$out/evirt"
"$BUILD/bench/bench-inproc" --tsv --mode=mem $ARGS >>"$out/evirt"
if [ -x "$BUILD/bench/bench-libvirt" ]; then
    "$BUILD/bench/bench-libvirt" --tsv --mode=ops $ARGS >"$out/libvirt"
    "$BUILD/bench/bench-libvirt" --tsv --mode=mem $ARGS >>"$out/libvirt"
    lv_version=$(pkg-config --modversion libvirt 2>/dev/null || echo "?")
else
    : >"$out/libvirt"
    lv_version="not built (configure did not find libvirt)"
fi

echo "evirt $(cd "$srcdir" && git describe --always --dirty 2>/dev/null || echo '?')" \
     "vs libvirt $lv_version, test:///default, in-process;" \
     "$(nproc 2>/dev/null || echo '?') CPUs:" \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "arguments: ${ARGS:-(defaults: --seconds=1 --repeat=3 --domains=10000)};" \
     "load average before: $load0"
echo

awk -F '\t' '
FNR == 1 { file++ }
$1 == "rate"  { rate[file, $2] = $5; per[file, $2] = $6; err[file, $2] = $7 }
$1 == "value" { val[file, $2] = $3; unit[$2] = $4 }
function rrow(label, key, lkey, note,   e, l, ratio) {
    if (!((1, key) in rate)) {
        printf "%-36s %13s %10s   %13s %10s   %s\n", label, "n/a", "", "", "", "(not run)"
        return
    }
    e = rate[1, key]
    if ((2, lkey) in rate) {
        l = rate[2, lkey]
        ratio = sprintf("%.2fx%s", e / l, note)
        printf "%-36s %13.0f %10.1f   %13.0f %10.1f   %s\n", label, e, per[1, key], l, per[2, lkey], ratio
    } else {
        printf "%-36s %13.0f %10.1f   %13s %10s   %s\n", label, e, per[1, key], "n/a", "", note == "" ? "n/a" : "n/a" note
    }
}
function vrow(label, key,   e, l) {
    e = ((1, key) in val) ? sprintf("%.0f", val[1, key]) : "n/a"
    l = ((2, key) in val) ? sprintf("%.0f", val[2, key]) : "n/a"
    printf "%-36s %13s %10s   %13s %10s   %s\n", label, e, unit[key], l, unit[key], \
        (e != "n/a" && l != "n/a" && l + 0 != 0) ? sprintf("%.2fx", e / l) : "n/a"
}
END {
    printf "%-36s %13s %10s   %13s %10s   %s\n", "", "evirt", "", "libvirt", "", "evirt/libvirt"
    printf "%-36s %13s %10s   %13s %10s   %s\n", "benchmark", "calls/s", "ns/call", "calls/s", "ns/call", "(calls/s ratio)"
    rrow("domain_get_info sync",            "get_info_sync",       "get_info_sync", "")
    rrow("domain_get_info async, 1 in fl.", "get_info_async_1",    "get_info_sync", " (vs libvirt sync: no async API)")
    rrow("domain_get_info async, 10 in fl.", "get_info_async_10",  "get_info_sync", " (vs libvirt sync: no async API)")
    rrow("domain_get_info async, 1000 in fl.", "get_info_async_1000", "get_info_sync", " (vs libvirt sync: no async API)")
    rrow("domain_lookup_by_name sync",      "lookup_by_name_sync", "lookup_by_name_sync", "")
    rrow("conn_get_hostname sync",          "get_hostname_sync",   "get_hostname_sync", "")
    rrow("domain_define_xml sync (defines)", "define_xml",         "define_xml", "")
    n = ((1, "domains") in val) ? sprintf("%d", val[1, "domains"]) : "N"
    rrow("get_info sync, " n " domains",  "get_info_sync_many",  "get_info_sync_many", "")
    rrow("lookup_by_name sync, " n " domains", "lookup_by_name_sync_many", "lookup_by_name_sync_many", "")
    print ""
    printf "%-36s %13s %10s   %13s %10s   %s\n", "memory", "evirt", "", "libvirt", "", "evirt/libvirt"
    vrow("RSS per defined domain",  "rss_per_domain")
    vrow("RSS after all defines",   "rss_after_defines")
    for (k in err) if (err[k] + 0 > 0) { split(k, p, SUBSEP); printf "note: %s had %s failed calls (%s)\n", p[2], err[k], p[1] == 1 ? "evirt" : "libvirt" }
}' "$out/evirt" "$out/libvirt"
