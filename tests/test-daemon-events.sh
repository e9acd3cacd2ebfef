#!/bin/sh
# tests/test-daemon-events.sh - libvirt's own virsh against evirtd on a
# UNIX socket (test+unix:///default?socket=...): `virsh event --all`,
# a domain-filtered `event`, `net-event` and `pool-event` (lifecycle and
# refresh) receive the events another virsh causes, exactly as virsh
# prints them against libvirtd; `list --all` and `dominfo` (with its
# security lines) print what virsh prints for an in-process test:///default.
#
# Skips (exit 77) when virsh is not installed.  One PASS/FAIL line per
# check; exits 1 on any failure.

top_builddir=${top_builddir:-.}
EVIRTD=${EVIRTD:-$top_builddir/daemon/evirtd}
VIRSH=${VIRSH:-virsh}

if ! command -v "$VIRSH" >/dev/null 2>&1; then
    echo "SKIP: virsh not found"
    exit 77
fi
if [ ! -x "$EVIRTD" ]; then
    echo "FAIL: no evirtd at $EVIRTD"
    exit 1
fi
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-devents.XXXXXX") || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The events category at debug level tells when registrations are made.
cat >"$tmp/evirtd.conf" <<EOF
unix_sock_dir = "$tmp"
log_filters = "1:evirt.daemon.events"
log_outputs = "1:file:$tmp/evirtd.log"
EOF
"$EVIRTD" -f "$tmp/evirtd.conf" 2>"$tmp/evirtd.stderr" &
pid=$!
n=0
while [ ! -S "$tmp/libvirt-sock" ]; do
    n=$((n + 1))
    if [ $n -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "FAIL: evirtd did not start"; cat "$tmp/evirtd.stderr"; exit 1
    fi
    sleep 0.1
done
URI="test+unix:///default?socket=$tmp/libvirt-sock"
v() { "$VIRSH" -q -c "$URI" "$@"; }

nfail=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; nfail=$((nfail + 1)); }
# check NAME EXPECTED-FILE GOT-FILE
check() {
    if cmp -s "$2" "$3"; then pass "$1"; else fail "$1"; diff "$2" "$3" | sed 's/^/    | /'; fi
}

# ---- list --all and dominfo, as virsh prints them for test:///default
"$VIRSH" -q -c test:///default list --all >"$tmp/want" 2>&1
v list --all >"$tmp/got" 2>&1
check "list --all" "$tmp/want" "$tmp/got"
# CPU time is the wall clock in the test driver: leave it out.
"$VIRSH" -q -c test:///default dominfo test 2>&1 | grep -v '^CPU time' >"$tmp/want"
v dominfo test 2>&1 | grep -v '^CPU time' >"$tmp/got"
check "dominfo" "$tmp/want" "$tmp/got"
if grep -q '^Security label: libvirt-test (enforcing)' "$tmp/got"; then
    pass "dominfo security label"
else
    fail "dominfo security label"
fi

# ---- events: listeners first, then wait for their registrations
count_regs() {
    c=$(grep -c -- '-> callback' "$tmp/evirtd.log" 2>/dev/null)
    echo "${c:-0}"
}
base=$(count_regs)
v event --all --loop --timeout 4 >"$tmp/ev-all" 2>&1 &
l1=$!
v event --domain test --event reboot --loop --timeout 4 >"$tmp/ev-reboot" 2>&1 &
l2=$!
v net-event --event lifecycle --loop --timeout 4 >"$tmp/ev-net" 2>&1 &
l3=$!
v pool-event --event lifecycle --loop --timeout 4 >"$tmp/ev-pool" 2>&1 &
l4=$!
v pool-event --event refresh --loop --timeout 4 >"$tmp/ev-refresh" 2>&1 &
l5=$!
# lifecycle + reboot (--all; the other 25 ids are never raised here),
# reboot, network, pool lifecycle, pool refresh
want=$((base + 6))
n=0
while [ "$(count_regs)" -lt $want ] && [ $n -lt 50 ]; do
    n=$((n + 1))
    sleep 0.1
done
[ "$(count_regs)" -ge $want ] || fail "listeners registered ($(count_regs) of $want)"

v "destroy test; start test; suspend test; resume test; reboot test;
   net-destroy default; net-start default;
   pool-destroy default-pool; pool-start default-pool; pool-refresh default-pool" \
    >"$tmp/actions" 2>&1 || { fail "actions"; cat "$tmp/actions"; }
wait $l1 $l2 $l3 $l4 $l5

events() { grep "^event '" "$1"; }
cat >"$tmp/want" <<'EOF'
event 'lifecycle' for domain 'test': Stopped Destroyed
event 'lifecycle' for domain 'test': Started Booted
event 'lifecycle' for domain 'test': Suspended Paused
event 'lifecycle' for domain 'test': Resumed Unpaused
event 'reboot' for domain 'test'
EOF
events "$tmp/ev-all" >"$tmp/got"
check "event --all" "$tmp/want" "$tmp/got"
echo "event 'reboot' for domain 'test'" >"$tmp/want"
events "$tmp/ev-reboot" >"$tmp/got"
check "event --domain test --event reboot" "$tmp/want" "$tmp/got"
cat >"$tmp/want" <<'EOF'
event 'lifecycle' for network default: Stopped
event 'lifecycle' for network default: Started
EOF
events "$tmp/ev-net" >"$tmp/got"
check "net-event --event lifecycle" "$tmp/want" "$tmp/got"
cat >"$tmp/want" <<'EOF'
event 'lifecycle' for storage pool default-pool: Stopped
event 'lifecycle' for storage pool default-pool: Started
EOF
events "$tmp/ev-pool" >"$tmp/got"
check "pool-event --event lifecycle" "$tmp/want" "$tmp/got"
echo "event 'refresh' for storage pool default-pool" >"$tmp/want"
events "$tmp/ev-refresh" >"$tmp/got"
check "pool-event --event refresh" "$tmp/want" "$tmp/got"

# The listeners left (deregistering or not): the daemon still serves.
if kill -0 "$pid" 2>/dev/null && v domstate test >"$tmp/got" 2>&1 &&
        grep -qx 'running' "$tmp/got"; then
    pass "evirtd alive after the listeners left"
else
    fail "evirtd alive after the listeners left"
fi

if [ $nfail -ne 0 ]; then
    echo "--- evirtd stderr"; cat "$tmp/evirtd.stderr"
    exit 1
fi
exit 0
