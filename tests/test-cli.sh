#!/bin/sh
# tests/test-cli.sh - the `evirt` command-line client on test:///default:
# each command's output and exit status, errors on stderr with status 1,
# ';'-separated command lines on one connection, and `event`.
#
# Runs the built binary: $EVIRT, else $top_builddir/tools/evirt.
# Prints one PASS/FAIL line per check; exits 1 if any check failed.

top_builddir=${top_builddir:-.}
EVIRT=${EVIRT:-$top_builddir/tools/evirt}
URI=test:///default
UUID=6695eb01-f6a4-8304-79aa-97f2502e193f

if [ ! -x "$EVIRT" ]; then
    echo "FAIL: no evirt binary at $EVIRT"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset EVIRT_DEFAULT_URI

nfail=0
npass=0

pass() { npass=$((npass + 1)); echo "PASS: $1"; }
fail() {
    nfail=$((nfail + 1))
    echo "FAIL: $1"
    shift
    for detail in "$@"; do
        printf '%s\n' "$detail" | sed 's/^/    | /'
    done
}

# run ARGS...: runs evirt -c $URI ARGS; sets $out, $err, $rc.
run() {
    "$EVIRT" -c "$URI" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}

# expect_ok NAME: the last run exited 0 with nothing on stderr.
ok_run() {
    [ "$rc" -eq 0 ] && [ -z "$err" ]
}

# has LINE: the last stdout holds exactly this line.
has() { printf '%s\n' "$out" | grep -Fxq -- "$1"; }

# check_lines NAME LINE...: the run succeeded and printed every LINE.
check_lines() {
    name=$1
    shift
    if ! ok_run; then
        fail "$name (exit $rc)" "$out" "$err"
        return
    fi
    for line in "$@"; do
        if ! has "$line"; then
            fail "$name: missing line '$line'" "$out"
            return
        fi
    done
    pass "$name"
}

# check_exact NAME EXPECTED: the run succeeded and stdout is EXPECTED.
check_exact() {
    if ! ok_run; then
        fail "$1 (exit $rc)" "$out" "$err"
    elif [ "$out" != "$2" ]; then
        fail "$1: output differs" "expected:" "$2" "got:" "$out"
    else
        pass "$1"
    fi
}

# check_error NAME STDERR-FIRST-LINE: exit 1, the error on stderr, stdout
# free of it.
check_error() {
    first=$(printf '%s\n' "$err" | head -n 1)
    if [ "$rc" -ne 1 ]; then
        fail "$1: exit $rc, expected 1" "$out" "$err"
    elif [ "$first" != "$2" ]; then
        fail "$1: stderr starts '$first', expected '$2'" "$err"
    elif printf '%s\n' "$out" | grep -q '^error:'; then
        fail "$1: error printed on stdout" "$out"
    else
        pass "$1"
    fi
}

# ---- listing and facts ----------------------------------------------------

run list --all
check_exact "list --all" " Id   Name   State
----------------------
 1    test   running"

run list
check_lines "list (running only)" " 1    test   running"

run list --inactive
if ok_run && ! printf '%s\n' "$out" | grep -q test; then
    pass "list --inactive leaves out running 'test'"
else
    fail "list --inactive" "$out" "$err"
fi

run -q list --all
check_exact "-q list --all: rows only" " 1   test   running"

run list --name --all
check_lines "list --name" "test"

run dominfo test
check_lines "dominfo test" \
    "Id:             1" \
    "Name:           test" \
    "UUID:           $UUID" \
    "OS Type:        linux" \
    "State:          running" \
    "CPU(s):         2" \
    "Max memory:     8388608 KiB" \
    "Used memory:    2097152 KiB" \
    "Persistent:     yes" \
    "Autostart:      disable"

run dominfo 1
check_lines "dominfo by id" "Name:           test"
run dominfo "$UUID"
check_lines "dominfo by uuid" "Name:           test"
run dominfo --domain test
check_lines "dominfo --domain test" "Name:           test"

run domstate test
check_exact "domstate" "running"

run nodeinfo
check_lines "nodeinfo" \
    "CPU model:           i686" \
    "CPU(s):              16" \
    "CPU frequency:       1400 MHz" \
    "CPU socket(s):       2" \
    "Core(s) per socket:  2" \
    "Thread(s) per core:  2" \
    "NUMA cell(s):        2" \
    "Memory size:         3145728 KiB"

run capabilities
if ok_run && printf '%s\n' "$out" | grep -q '<arch>i686</arch>' &&
   printf '%s\n' "$out" | grep -q '<os_type>hvm</os_type>'; then
    if command -v xmllint >/dev/null 2>&1 &&
       ! printf '%s\n' "$out" | xmllint --noout - 2>"$tmp/xmlerr"; then
        fail "capabilities: not well-formed XML" "$(cat "$tmp/xmlerr")"
    else
        pass "capabilities"
    fi
else
    fail "capabilities (exit $rc)" "$out" "$err"
fi

run hostname
if ok_run && [ -n "$out" ] && [ "$(printf '%s\n' "$out" | grep -c .)" -eq 1 ]; then
    pass "hostname: one non-empty line"
else
    fail "hostname (exit $rc)" "$out" "$err"
fi

run uri
check_exact "uri" "test:///default"

run version
if ok_run &&
   printf '%s\n' "$out" | grep -q '^Compiled against library: evirt [0-9]*\.[0-9]*\.[0-9]*$' &&
   printf '%s\n' "$out" | grep -q '^Using library: evirt ' &&
   printf '%s\n' "$out" | grep -q '^Using API: [A-Za-z]* [0-9]' &&
   printf '%s\n' "$out" | grep -q '^Running hypervisor: [A-Za-z]* [0-9]*\.[0-9]*\.[0-9]*$'; then
    pass "version"
else
    fail "version (exit $rc)" "$out" "$err"
fi

run dumpxml test
if ok_run && has "  <name>test</name>" && has "  <uuid>$UUID</uuid>" &&
   printf '%s\n' "$out" | head -n 1 | grep -q "^<domain type='test' id='1'"; then
    pass "dumpxml"
else
    fail "dumpxml (exit $rc)" "$out" "$err"
fi
printf '%s\n' "$out" >"$tmp/test.xml"

run dumpxml --inactive test
if ok_run && printf '%s\n' "$out" | head -n 1 | grep -q "^<domain type='test'>"; then
    pass "dumpxml --inactive has no id"
else
    fail "dumpxml --inactive (exit $rc)" "$(printf '%s\n' "$out" | head -n 3)" "$err"
fi

# ---- the lifecycle, on one connection ------------------------------------

run 'suspend test; domstate --reason test; resume test; domstate --reason test; destroy test; domstate --reason test; start test; domstate --reason test; list --all'
check_exact "lifecycle sequence in one argument" "Domain 'test' suspended

paused (user)

Domain 'test' resumed

running (unpaused)

Domain 'test' destroyed

shut off (destroyed)

Domain 'test' started

running (booted)

 Id   Name   State
----------------------
 2    test   running"

run suspend test ';' domstate test
check_exact "standalone ';' argument" "Domain 'test' suspended

paused"

run 'shutdown test; domstate --reason test; start test; reboot test; domstate test'
check_exact "shutdown, start, reboot" "Domain 'test' is being shutdown

shut off (shutdown)

Domain 'test' started

Domain 'test' is being rebooted

running"

run "save test $tmp/test.sav; domstate --reason test; restore $tmp/test.sav; domstate --reason test"
check_exact "save and restore" "Domain 'test' saved to $tmp/test.sav

shut off (saved)

Domain restored from $tmp/test.sav

running (restored)"

# A second domain from test's XML: new name, no uuid, no id.
sed -e 's|<name>test</name>|<name>t2</name>|' -e '/<uuid>/d' \
    -e "s| id='[0-9]*'||" "$tmp/test.xml" >"$tmp/t2.xml"
run "define $tmp/t2.xml; list --all; start t2; domstate t2; destroy t2; undefine t2; list --all"
check_exact "define, start, destroy, undefine" "Domain 't2' defined from $tmp/t2.xml

 Id   Name   State
-----------------------
 1    test   running
 -    t2     shut off

Domain 't2' started

running

Domain 't2' destroyed

Domain 't2' has been undefined

 Id   Name   State
----------------------
 1    test   running"

run "create $tmp/t2.xml; list; destroy t2; list --all"
check_exact "create is transient" "Domain 't2' created from $tmp/t2.xml

 Id   Name   State
----------------------
 1    test   running
 2    t2     running

Domain 't2' destroyed

 Id   Name   State
----------------------
 1    test   running"

# ---- errors ----------------------------------------------------------------

run dominfo nosuch
check_error "unknown domain" "error: failed to get domain 'nosuch'"
[ -z "$out" ] && pass "unknown domain: nothing on stdout" ||
    fail "unknown domain: stdout not empty" "$out"

run resume test
check_error "resume a running domain" "error: Failed to resume domain 'test'"
if [ "$(printf '%s\n' "$err" | grep -c '^error: ')" -ge 2 ]; then
    pass "resume error carries the driver's reason"
else
    fail "resume error has no reason line" "$err"
fi

run define "$tmp/does-not-exist.xml"
check_error "define a missing file" \
    "error: Failed to open file '$tmp/does-not-exist.xml': No such file or directory"

echo '<domain><name>broken' >"$tmp/broken.xml"
run define "$tmp/broken.xml"
check_error "define broken XML" "error: Failed to define domain from $tmp/broken.xml"

"$EVIRT" -c bogus:///nowhere list >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
check_error "bad URI" "error: failed to connect to the hypervisor"

run nosuchcommand
check_error "unknown command" "error: unknown command: 'nosuchcommand'"

run dominfo
check_error "missing argument" "error: command 'dominfo' requires <domain> option"

run list --bogus
check_error "unknown option" "error: command 'list' doesn't support option --bogus"

run -r destroy test
check_error "read-only connection refuses destroy" \
    "error: Failed to destroy domain 'test'"

run -r list --all
check_lines "read-only connection lists" " 1    test   running"

# A failing command does not stop the line, but the status says it failed.
run 'resume test; domstate test'
if [ "$rc" -eq 1 ] && has "running"; then
    pass "a failure mid-line: later commands run, exit 1"
else
    fail "a failure mid-line (exit $rc)" "$out" "$err"
fi

# ---- default URI -------------------------------------------------------------

EVIRT_DEFAULT_URI=test:///default "$EVIRT" uri >"$tmp/out" 2>"$tmp/err"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
check_exact "EVIRT_DEFAULT_URI is the default" "test:///default"

# ---- events ------------------------------------------------------------------

start=$(date +%s)
run event --loop --timeout 1
end=$(date +%s)
if ok_run && has "event loop timed out" && has "events received: 0" &&
   [ $((end - start)) -ge 1 ] && [ $((end - start)) -le 4 ]; then
    pass "event --loop --timeout 1 waits ~1 s and exits 0"
else
    fail "event --loop --timeout 1 (exit $rc, $((end - start)) s)" "$out" "$err"
fi

run 'event --loop --timeout 1; destroy test; start test'
if ok_run &&
   has "event 'lifecycle' for domain 'test': Stopped Destroyed" &&
   has "event 'lifecycle' for domain 'test': Started Booted" &&
   has "events received: 2"; then
    pass "event sees the events of the commands after it"
else
    fail "event then destroy, start (exit $rc)" "$out" "$err"
fi
# The events are printed in the order they happened.
if [ "$(printf '%s\n' "$out" | grep "^event 'lifecycle'" | sed 's/.*: //' | tr '\n' ,)" = \
     "Stopped Destroyed,Started Booted," ]; then
    pass "events in order"
else
    fail "events out of order" "$out"
fi

start=$(date +%s)
run 'event --timeout 5; suspend test; resume test'
end=$(date +%s)
if ok_run && has "event 'lifecycle' for domain 'test': Suspended Paused" &&
   ! has "event 'lifecycle' for domain 'test': Resumed Unpaused" &&
   has "events received: 1" && [ $((end - start)) -lt 4 ]; then
    pass "one-shot event: first event only, no wait"
else
    fail "one-shot event (exit $rc, $((end - start)) s)" "$out" "$err"
fi

run "event --all --loop --timeout 1 --domain test; create $tmp/t2.xml; destroy t2; suspend test"
if ok_run && has "event 'lifecycle' for domain 'test': Suspended Paused" &&
   ! printf '%s\n' "$out" | grep -q "for domain 't2'" &&
   has "events received: 1"; then
    pass "event --all --domain test: only test's events"
else
    fail "event --all --domain test (exit $rc)" "$out" "$err"
fi

run 'event --timestamp --timeout 1; suspend test'
if ok_run && printf '%s\n' "$out" | grep -Eq \
   "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000: event 'lifecycle' for domain 'test': Suspended Paused$"; then
    pass "event --timestamp"
else
    fail "event --timestamp (exit $rc)" "$out" "$err"
fi

# ^C ends a wait without a timeout, cleanly.
"$EVIRT" -c "$URI" event --loop >"$tmp/out" 2>"$tmp/err" &
pid=$!
# Until the handler is in place a background job ignores SIGINT: repeat.
tries=0
while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 20 ]; do
    sleep 0.5
    kill -INT "$pid" 2>/dev/null
    tries=$((tries + 1))
done
kill -0 "$pid" 2>/dev/null && kill -TERM "$pid"
wait "$pid"
rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
if ok_run && has "event loop interrupted" && has "events received: 0"; then
    pass "event --loop ends on SIGINT"
else
    fail "event --loop and SIGINT (exit $rc)" "$out" "$err"
fi

run event --list
check_lines "event --list" "lifecycle" "reboot"

# ---- help ----------------------------------------------------------------------

run help
missing=
for c in list dominfo domstate start destroy shutdown reboot suspend resume \
         define undefine create dumpxml save restore nodeinfo capabilities \
         hostname version uri event help; do
    printf '%s\n' "$out" | grep -q "^    $c " || missing="$missing $c"
done
if ok_run && [ -z "$missing" ]; then
    pass "help lists every command"
else
    fail "help (exit $rc) misses:$missing" "$out"
fi

run help event
if ok_run && printf '%s\n' "$out" | grep -q -- '--timeout' &&
   printf '%s\n' "$out" | grep -q "event --loop --timeout 1; destroy test"; then
    pass "help event documents the command-line form"
else
    fail "help event (exit $rc)" "$out" "$err"
fi

echo "test-cli: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
