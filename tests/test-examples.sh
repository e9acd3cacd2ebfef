#!/bin/sh
# tests/test-examples.sh - the programs in examples/ do what their
# comments promise on test:///default.
#
# Prints one PASS/FAIL line per check; exits 1 if any check failed.

top_builddir=${top_builddir:-.}
ex=$top_builddir/examples

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-examples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset EVIRT_DEFAULT_URI

nfail=0
npass=0
pass() { npass=$((npass + 1)); echo "PASS: $1"; }
fail() {
    nfail=$((nfail + 1))
    echo "FAIL: $1"
    shift
    for f in "$@"; do
        [ -f "$f" ] && sed 's/^/    | /' "$f"
    done
}

# ---- sync-list -------------------------------------------------------------

"$ex/sync-list" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] &&
   grep -Eq '^test +state=1 vcpus=2 memory=2097152 KiB$' "$tmp/out"; then
    pass "sync-list lists domain 'test' with its info"
else
    fail "sync-list (exit $rc)" "$tmp/out" "$tmp/err"
fi

"$ex/sync-list" bogus:///nowhere >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q '^open: ' "$tmp/err"; then
    pass "sync-list reports a failed open"
else
    fail "sync-list with a bad URI (exit $rc)" "$tmp/out" "$tmp/err"
fi

# ---- async-monitor -----------------------------------------------------------

start=$(date +%s)
"$ex/async-monitor" --duration 2 --interval 500 test:///default \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
end=$(date +%s)
ninfo=$(grep -c ' info test: state=running vcpus=2 memory=2097152KiB' "$tmp/out")
if [ "$rc" -eq 0 ] && [ "$ninfo" -ge 3 ] && [ ! -s "$tmp/err" ] &&
   grep -q ' done: ' "$tmp/out"; then
    pass "async-monitor polls 'test' every 500 ms for 2 s ($ninfo info lines)"
else
    fail "async-monitor (exit $rc, $ninfo info lines)" "$tmp/out" "$tmp/err"
fi
# It stops when told, not later (and not at once).
if [ $((end - start)) -ge 1 ] && [ $((end - start)) -le 4 ]; then
    pass "async-monitor ran for its --duration"
else
    fail "async-monitor ran $((end - start)) s for --duration 2"
fi
# Timestamps only grow: the agent prints as answers come, in order.
if awk '{ if ($1 + 0 < last) bad = 1; last = $1 + 0 } END { exit bad }' "$tmp/out"; then
    pass "async-monitor lines in time order"
else
    fail "async-monitor time order" "$tmp/out"
fi

"$ex/async-monitor" --duration 1 bogus:///nowhere >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q '^open failed: ' "$tmp/err"; then
    pass "async-monitor reports a failed open and exits non-zero"
else
    fail "async-monitor with a bad URI (exit $rc)" "$tmp/out" "$tmp/err"
fi

# ---- glib-loop -----------------------------------------------------------------

if [ -x "$ex/glib-loop" ]; then
    "$ex/glib-loop" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 0 ] &&
       grep -q '^hostname ' "$tmp/out" &&
       grep -q '^domain test (id 1)$' "$tmp/out" &&
       grep -q '^event: domain test suspended' "$tmp/out" &&
       grep -q '^event: domain test resumed' "$tmp/out"; then
        pass "glib-loop lists, suspends and resumes 'test' on a GMainLoop"
    else
        fail "glib-loop (exit $rc)" "$tmp/out" "$tmp/err"
    fi
else
    echo "SKIP: glib-loop (built only with GLib)"
fi

echo "test-examples: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
