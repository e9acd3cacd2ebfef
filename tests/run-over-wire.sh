#!/bin/sh
# tests/run-over-wire.sh [--shared] TEST-PROGRAM [ARG...] - runs one test-driver suite
# over the wire: starts a private evirtd in a fresh temporary folder,
# exports EVIRT_TEST_SOCKET (its read-write socket; tests/test-uri-helper.h
# turns the suite's test:/// URIs into test+unix:///...?socket=... ones),
# runs the program, and always stops evirtd.
#
# evirtd runs with test_driver_shared = 0: the suites expect a fresh
# test:///default per open, as an in-process open gives.  --shared (or
# EVIRT_WIRE_SHARED=1) runs it shared, libvirtd's way, for
# tests/test-driver-shared and to see what another suite assumes.
#
# Exit status: the program's (77 = skipped), or 1 when evirtd did not
# start, did not stop on SIGTERM, exited badly or printed a sanitizer
# report (leaks included) - its log is shown then.

top_builddir=${top_builddir:-.}
EVIRTD=${EVIRTD:-$top_builddir/daemon/evirtd}

shared=${EVIRT_WIRE_SHARED:-0}
if [ "$1" = --shared ]; then
    shared=1
    shift
fi
if [ $# -lt 1 ]; then
    echo "usage: $0 [--shared] TEST-PROGRAM [ARG...]" >&2
    exit 2
fi
if [ ! -x "$EVIRTD" ]; then
    echo "FAIL: no evirtd at $EVIRTD"
    exit 1
fi
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI EVIRT_DEFAULT_URI

dir=$(mktemp -d "${TMPDIR:-/tmp}/evirt-wire.XXXXXX") || exit 1
pid=

show_log() {
    echo "evirtd's log:"
    sed 's/^/    | /' "$dir/evirtd.log"
}

# stop_evirtd: SIGTERM, wait up to 10 s, then SIGKILL.  0 when it exited
# with status 0 and a clean log.
stop_evirtd() {
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        pid=
        echo "FAIL: evirtd did not stop on SIGTERM"
        return 1
    fi
    wait "$pid"
    st=$?
    pid=
    if [ "$st" -ne 0 ] ||
       grep -q -e 'runtime error:' -e 'Sanitizer' "$dir/evirtd.log"; then
        echo "FAIL: evirtd exited with status $st or printed a sanitizer report"
        return 1
    fi
    return 0
}

cleanup() {
    if [ -n "$pid" ]; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

cat >"$dir/evirtd.conf" <<EOF
unix_sock_dir = "$dir"
test_driver_shared = $shared
log_outputs = "3:stderr"
EOF

"$EVIRTD" --config "$dir/evirtd.conf" 2>"$dir/evirtd.log" &
pid=$!
i=0
while [ ! -S "$dir/libvirt-sock" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 100 ]; then
        echo "FAIL: evirtd did not start"
        show_log
        exit 1
    fi
    sleep 0.1
    i=$((i + 1))
done

EVIRT_TEST_SOCKET=$dir/libvirt-sock
export EVIRT_TEST_SOCKET
"$@"
rc=$?

if ! stop_evirtd; then
    show_log
    exit 1
fi
if [ -s "$dir/evirtd.log" ]; then
    # Warnings are not failures, but whoever reads the test log sees them.
    show_log
fi
exit $rc
