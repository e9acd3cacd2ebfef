#!/bin/sh
# tests/test-cli.sh - the `evirt` command-line client on test:///default:
# each command's output and exit status, errors on stderr with status 1,
# ';'-separated command lines on one connection, `event`, and the
# network, storage pool and volume, interface and node device commands.
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
    "Autostart:      disable" \
    "Security label: libvirt-test (enforcing)"

run "destroy test; dominfo test"
if ok_run && has "State:          shut off" && ! printf '%s\n' "$out" | grep -q '^Security label:'; then
    pass "dominfo of a shut-off domain has no security label"
else
    fail "dominfo of a shut-off domain has no security label" "$out" "$err"
fi

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

# ---- networks ------------------------------------------------------------------

NET_UUID=dd8fe884-6c02-601e-7551-cca97df1c5df

run net-list --all
check_exact "net-list --all" " Name      State    Autostart   Persistent
--------------------------------------------
 default   active   no          yes"

run net-list --inactive
check_exact "net-list --inactive: none" " Name   State   Autostart   Persistent
----------------------------------------"

run net-info default
check_exact "net-info default" "Name:           default
UUID:           $NET_UUID
Active:         yes
Persistent:     yes
Autostart:      no
Bridge:         virbr0"

run net-info "$NET_UUID"
check_lines "net-info by uuid" "Name:           default"

run net-dumpxml default
if ok_run && printf '%s\n' "$out" | head -n 1 | grep -qx '<network>' &&
   has "  <name>default</name>" && has "  <uuid>$NET_UUID</uuid>" &&
   has "  <bridge name='virbr0' stp='on' delay='0'/>"; then
    pass "net-dumpxml"
else
    fail "net-dumpxml (exit $rc)" "$out" "$err"
fi

cat >"$tmp/net.xml" <<'EOF'
<network>
  <name>n2</name>
  <bridge name='virbr9'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'/>
</network>
EOF
run "net-define $tmp/net.xml; net-list --all; net-start n2; net-autostart n2; net-list --all; net-autostart n2 --disable; net-destroy n2; net-undefine n2; net-list --all --name"
check_exact "network lifecycle sequence" "Network n2 defined from $tmp/net.xml

 Name      State      Autostart   Persistent
----------------------------------------------
 default   active     no          yes
 n2        inactive   no          yes

Network n2 started

Network n2 marked as autostarted

 Name      State    Autostart   Persistent
--------------------------------------------
 default   active   no          yes
 n2        active   yes         yes

Network n2 unmarked as autostarted

Network n2 destroyed

Network n2 has been undefined

default"

run "net-create $tmp/net.xml; net-list; net-info n2; net-destroy n2; net-list --all --name"
if ok_run && has "Network n2 created from $tmp/net.xml" &&
   has " n2        active   no          no" &&
   has "Persistent:     no" && has "Bridge:         virbr9" &&
   has "Network n2 destroyed" &&
   [ "$(printf '%s\n' "$out" | tail -n 1)" = default ]; then
    pass "net-create is transient"
else
    fail "net-create (exit $rc)" "$out" "$err"
fi

run net-dhcp-leases default
check_exact "net-dhcp-leases: no leases" " Expiry Time   MAC address   Protocol   IP address   Hostname   Client ID or DUID
-----------------------------------------------------------------------------------"

run net-info nosuch
check_error "net-info unknown network" "error: failed to get network 'nosuch'"
if printf '%s\n' "$err" | sed -n 2p | grep -q '^error: .*nosuch'; then
    pass "unknown network: the driver's reason follows"
else
    fail "unknown network: no reason line" "$err"
fi

run net-start default
check_error "net-start a running network" "error: Failed to start network default"

run net-define "$tmp/does-not-exist.xml"
check_error "net-define a missing file" \
    "error: Failed to open file '$tmp/does-not-exist.xml': No such file or directory"

echo '<network><name>broken' >"$tmp/broken-net.xml"
run net-define "$tmp/broken-net.xml"
check_error "net-define broken XML" "error: Failed to define network from $tmp/broken-net.xml"

run -r net-destroy default
check_error "read-only connection refuses net-destroy" \
    "error: Failed to destroy network default"

run net-info
check_error "net-info without a network" "error: command 'net-info' requires <network> option"

# ---- storage pools --------------------------------------------------------------

POOL_UUID=dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566

run pool-list --all --details
check_exact "pool-list --all --details" " Name           State     Autostart   Persistent   Capacity     Allocation   Available
-----------------------------------------------------------------------------------------
 default-pool   running   no          yes          100.00 GiB   0.00 B       100.00 GiB"

run pool-list
check_exact "pool-list" " Name           State    Autostart
------------------------------------
 default-pool   active   no"

run pool-info default-pool
check_exact "pool-info default-pool" "Name:           default-pool
UUID:           $POOL_UUID
State:          running
Persistent:     yes
Autostart:      no
Capacity:       100.00 GiB
Allocation:     0.00 B
Available:      100.00 GiB"

run pool-dumpxml "$POOL_UUID"
if ok_run && printf '%s\n' "$out" | head -n 1 | grep -qx "<pool type='dir'>" &&
   has "  <name>default-pool</name>" && has "    <path>/default-pool</path>"; then
    pass "pool-dumpxml by uuid"
else
    fail "pool-dumpxml (exit $rc)" "$out" "$err"
fi

cat >"$tmp/pool.xml" <<'EOF'
<pool type='dir'>
  <name>p2</name>
  <target><path>/p2</path></target>
</pool>
EOF
run "pool-define $tmp/pool.xml; pool-list --all --details; pool-build p2; pool-start p2; pool-autostart p2; pool-list --all; pool-refresh p2; pool-autostart p2 --disable; pool-destroy p2; pool-info p2; pool-delete p2; pool-undefine p2; pool-list --all --name"
if ok_run && has "Pool p2 defined from $tmp/pool.xml" &&
   has " p2             inactive   no          yes          -            -            -" &&
   has "Pool p2 built" && has "Pool p2 started" &&
   has "Pool p2 marked as autostarted" &&
   has " p2             active   yes" && has "Pool p2 refreshed" &&
   has "Pool p2 unmarked as autostarted" && has "Pool p2 destroyed" &&
   has "State:          inactive" && ! has "Capacity:       0.00 B" &&
   has "Pool p2 deleted" && has "Pool p2 has been undefined" &&
   [ "$(printf '%s\n' "$out" | tail -n 1)" = default-pool ]; then
    pass "pool lifecycle sequence"
else
    fail "pool lifecycle sequence (exit $rc)" "$out" "$err"
fi

run 'pool-destroy default-pool; pool-list --inactive; pool-start default-pool'
check_exact "pool-destroy, pool-list --inactive, pool-start" "Pool default-pool destroyed

 Name           State      Autostart
--------------------------------------
 default-pool   inactive   no

Pool default-pool started"

run pool-info nosuch
check_error "pool-info unknown pool" "error: failed to get pool 'nosuch'"

run pool-undefine default-pool
check_error "pool-undefine an active pool" "error: Failed to undefine pool default-pool"

# ---- storage volumes --------------------------------------------------------------

cat >"$tmp/vol.xml" <<'EOF'
<volume>
  <name>vx</name>
  <capacity unit='M'>5</capacity>
</volume>
EOF
run "vol-create default-pool $tmp/vol.xml; vol-create-as default-pool v1 1G --allocation 10M --format qcow2; vol-list default-pool; vol-list default-pool --details"
check_exact "vol-create, vol-create-as, vol-list" "Vol vx created from $tmp/vol.xml

Vol v1 created

 Name   Path
--------------------------
 v1     /default-pool/v1
 vx     /default-pool/vx

 Name   Path               Type   Capacity   Allocation
---------------------------------------------------------
 v1     /default-pool/v1   file   1.00 GiB   10.00 MiB
 vx     /default-pool/vx   file   5.00 MiB   5.00 MiB"

# One volume, named three ways.
run "vol-create-as default-pool v1 10M; vol-info v1 --pool default-pool; vol-info /default-pool/v1; vol-info --bytes --vol v1 --pool default-pool; vol-key v1 --pool default-pool; vol-path /default-pool/v1"
check_exact "vol-info by name, key and path; vol-key; vol-path" "Vol v1 created

Name:           v1
Type:           file
Capacity:       10.00 MiB
Allocation:     10.00 MiB

Name:           v1
Type:           file
Capacity:       10.00 MiB
Allocation:     10.00 MiB

Name:           v1
Type:           file
Capacity:       10485760 bytes
Allocation:     10485760 bytes

/default-pool/v1

/default-pool/v1"

run "vol-create-as default-pool v1 1G --format qcow2; vol-dumpxml v1 --pool default-pool"
if ok_run && has "  <name>v1</name>" &&
   has "  <capacity unit='bytes'>1073741824</capacity>" &&
   has "    <format type='qcow2'/>"; then
    pass "vol-create-as --format, vol-dumpxml"
else
    fail "vol-create-as --format (exit $rc)" "$out" "$err"
fi

# Sizes as virsh reads them: powers of 1024 (k, M, GiB) and of 1000 (KB).
run "vol-create-as default-pool a 1k; vol-create-as default-pool b 2KB; vol-create-as default-pool c 3GiB --allocation 0; vol-create-as default-pool d 7; vol-info a --pool default-pool --bytes; vol-info b --pool default-pool --bytes; vol-info c --pool default-pool --bytes; vol-info d --pool default-pool --bytes"
if ok_run && has "Capacity:       1024 bytes" && has "Capacity:       2000 bytes" &&
   has "Capacity:       3221225472 bytes" && has "Allocation:     0 bytes" &&
   has "Capacity:       7 bytes"; then
    pass "vol-create-as size suffixes"
else
    fail "vol-create-as size suffixes (exit $rc)" "$out" "$err"
fi

run "vol-create-as default-pool v1 10M; vol-clone v1 v2 --pool default-pool; vol-path v2 --pool default-pool; vol-wipe v2 --pool default-pool; vol-delete v2 --pool default-pool; vol-list default-pool"
check_exact "vol-clone, vol-wipe, vol-delete" "Vol v1 created

Vol v2 cloned from v1

/default-pool/v2

Vol v2 wiped

Vol v2 deleted

 Name   Path
--------------------------
 v1     /default-pool/v1"

run "vol-create-as default-pool v1 1G; vol-resize v1 2G --pool default-pool; vol-resize /default-pool/v1 +1G; vol-resize v1 512M --pool default-pool --delta; vol-resize v1 1G --pool default-pool --shrink; vol-info v1 --pool default-pool"
check_exact "vol-resize: to, +, --delta, --shrink" "Vol v1 created

Size of volume 'v1' successfully changed to 2G

Size of volume 'v1' successfully changed to +1G

Size of volume 'v1' successfully changed by 512M

Size of volume 'v1' successfully changed to 1G

Name:           v1
Type:           file
Capacity:       1.00 GiB
Allocation:     1.00 GiB"

run "vol-create-as default-pool v1 1G; vol-resize v1 10M --pool default-pool"
check_error "vol-resize refuses to shrink without --shrink" \
    "error: Failed to change size of volume 'v1' to 10M"

run "vol-create-as default-pool v1 1G; vol-resize v1 -1M --pool default-pool"
check_error "vol-resize: a negative size needs --shrink" \
    "error: negative size requires --shrink"

run vol-create-as default-pool v3 10X
check_error "vol-create-as: unknown size suffix" "error: Malformed size 10X"

run vol-create-as default-pool v3 -5
check_error "vol-create-as: negative size" "error: Malformed size -5"

run "vol-create default-pool $tmp/vol.xml; vol-info vx"
check_error "vol-info by bare name needs --pool" \
    "error: failed to get vol 'vx', specifying --pool might help"

run vol-info nosuch --pool default-pool
check_error "vol-info unknown volume" "error: failed to get vol 'nosuch'"

run vol-info v1 --pool nosuch
check_error "vol-info in an unknown pool" "error: failed to get pool 'nosuch'"

run vol-list nosuch
check_error "vol-list of an unknown pool" "error: failed to get pool 'nosuch'"

# ---- host interfaces ----------------------------------------------------------------

run iface-list --all
check_exact "iface-list --all" " Name   State    MAC Address
------------------------------------
 eth1   active   aa:bb:cc:dd:ee:ff"

cat >"$tmp/iface.xml" <<'EOF'
<interface type='ethernet' name='eth2'>
  <start mode='onboot'/>
  <mac address='aa:bb:cc:dd:ee:01'/>
</interface>
EOF
run "iface-define $tmp/iface.xml; iface-list --inactive; iface-start eth2; iface-list; iface-mac eth2; iface-name aa:bb:cc:dd:ee:01; iface-destroy aa:bb:cc:dd:ee:01; iface-undefine eth2; iface-list --all"
check_exact "interface lifecycle sequence" "Interface eth2 defined from $tmp/iface.xml

 Name   State      MAC Address
--------------------------------------
 eth2   inactive   aa:bb:cc:dd:ee:01

Interface eth2 started

 Name   State    MAC Address
------------------------------------
 eth1   active   aa:bb:cc:dd:ee:ff
 eth2   active   aa:bb:cc:dd:ee:01

aa:bb:cc:dd:ee:01

eth2

Interface eth2 destroyed

Interface eth2 undefined

 Name   State    MAC Address
------------------------------------
 eth1   active   aa:bb:cc:dd:ee:ff"

run "iface-begin; iface-define $tmp/iface.xml; iface-rollback; iface-list --all; iface-begin; iface-commit"
if ok_run && has "Network config change transaction started" &&
   has "Interface eth2 defined from $tmp/iface.xml" &&
   has "Network config change transaction rolled back" &&
   ! printf '%s\n' "$out" | grep -q '^ eth2 ' &&
   has "Network config change transaction committed"; then
    pass "iface-begin, iface-rollback undoes a define, iface-commit"
else
    fail "iface transaction (exit $rc)" "$out" "$err"
fi

run iface-commit
check_error "iface-commit without a transaction" \
    "error: Failed to commit network config change transaction"

run iface-dumpxml eth1
if ok_run && printf '%s\n' "$out" | head -n 1 | grep -q "^<interface type='ethernet' name='eth1'>$" &&
   has "  <mac address='aa:bb:cc:dd:ee:ff'/>"; then
    pass "iface-dumpxml"
else
    fail "iface-dumpxml (exit $rc)" "$out" "$err"
fi

run iface-mac nosuch
check_error "iface-mac unknown interface" "error: failed to get interface 'nosuch'"

run iface-name 00:00:00:00:00:00
check_error "iface-name unknown MAC" \
    "error: failed to get interface '00:00:00:00:00:00'"

# ---- node devices -----------------------------------------------------------------------

run nodedev-list
check_exact "nodedev-list" "computer
scsi_host1
scsi_host11
scsi_host2"

run nodedev-list --cap scsi_host
check_exact "nodedev-list --cap scsi_host" "scsi_host1
scsi_host11
scsi_host2"

# The tree as virsh draws it, trailing blanks included.
run nodedev-list --tree
check_exact "nodedev-list --tree" "computer
  |
  +- scsi_host1
  |   |
  |   +- scsi_host11
  |     
  +- scsi_host2
    "

run nodedev-dumpxml scsi_host1
if ok_run && has "  <name>scsi_host1</name>" && has "  <parent>computer</parent>" &&
   has "  <capability type='scsi_host'>"; then
    pass "nodedev-dumpxml"
else
    fail "nodedev-dumpxml (exit $rc)" "$out" "$err"
fi

cat >"$tmp/nodedev.xml" <<'EOF'
<device>
  <parent>scsi_host1</parent>
  <capability type='scsi_host'>
    <capability type='fc_host'>
      <wwnn>2000000012341299</wwnn>
      <wwpn>1000000012341299</wwpn>
    </capability>
  </capability>
</device>
EOF
run "nodedev-create $tmp/nodedev.xml; nodedev-list --tree"
dev=$(printf '%s\n' "$out" | sed -n 's/^Node device \(.*\) created from .*/\1/p')
if ok_run && [ -n "$dev" ] && has "  |   +- $dev"; then
    pass "nodedev-create: the new device is in the tree under its parent"
else
    fail "nodedev-create (exit $rc)" "$out" "$err"
fi
run "nodedev-create $tmp/nodedev.xml; nodedev-destroy $dev; nodedev-list"
if ok_run && has "Destroyed node device '$dev'" && ! has "$dev"; then
    pass "nodedev-destroy"
else
    fail "nodedev-destroy (exit $rc)" "$out" "$err"
fi

run nodedev-dumpxml nosuch
check_error "nodedev-dumpxml unknown device" \
    "error: Could not find matching device 'nosuch'"

run nodedev-list --cap bogus
check_error "nodedev-list --cap with an unknown capability" \
    "error: Invalid capability type 'bogus'"

run nodedev-list --tree --cap pci
check_error "nodedev-list --tree --cap" \
    "error: Option --tree is incompatible with --cap and --inactive"

run nodedev-detach computer
check_error "nodedev-detach a device that is not PCI" \
    "error: Failed to detach device computer"

run nodedev-destroy computer
check_error "nodedev-destroy a device that was not created" \
    "error: Failed to destroy node device 'computer'"

run "net-event --loop --timeout 1; net-define $tmp/net.xml; net-start n2; net-destroy n2; net-undefine n2"
if ok_run && [ "$(printf '%s\n' "$out" | grep "^event 'lifecycle' for network n2: " | sed 's/.*: //' | tr '\n' ,)" = \
     "Defined,Started,Stopped,Undefined," ] && has "events received: 4"; then
    pass "net-event: a network's lifecycle, in order"
else
    fail "net-event (exit $rc)" "$out" "$err"
fi

run "pool-event --all --loop --timeout 1 --pool default-pool; pool-refresh default-pool; pool-define $tmp/pool.xml; pool-destroy default-pool"
if ok_run && has "event 'refresh' for storage pool default-pool" &&
   has "event 'lifecycle' for storage pool default-pool: Stopped" &&
   ! printf '%s\n' "$out" | grep -q "for storage pool p2" &&
   has "events received: 2"; then
    pass "pool-event --all --pool: refresh and lifecycle of that pool only"
else
    fail "pool-event (exit $rc)" "$out" "$err"
fi

# PCI devices (detach, reset, re-attach) come from a test driver config.
cfg=${top_srcdir:-$(dirname "$0")/..}/tests/data/testdriver/ifdev.xml
if [ -f "$cfg" ]; then
    "$EVIRT" -c "test://$(cd "$(dirname "$cfg")" && pwd)/ifdev.xml" \
        'nodedev-detach pci_0000_00_19_0 --driver vfio; nodedev-reset pci_0000_00_19_0; nodedev-reattach pci_0000_00_19_0' \
        >"$tmp/out" 2>"$tmp/err"
    rc=$? out=$(cat "$tmp/out") err=$(cat "$tmp/err")
    check_exact "nodedev-detach, nodedev-reset, nodedev-reattach a PCI device" \
        "Device pci_0000_00_19_0 detached

Device pci_0000_00_19_0 reset

Device pci_0000_00_19_0 re-attached"
else
    fail "no test driver config at $cfg"
fi

run net-event --event bogus
check_error "net-event: unknown event type" "error: unknown event type bogus"

run help
missing=
for c in net-event pool-event net-list net-info net-dumpxml net-define net-undefine net-start \
         net-destroy net-autostart net-create net-dhcp-leases pool-list \
         pool-info pool-dumpxml pool-define pool-build pool-start \
         pool-destroy pool-delete pool-undefine pool-refresh pool-autostart \
         vol-list vol-info vol-dumpxml vol-create vol-create-as vol-clone \
         vol-delete vol-wipe vol-resize vol-path vol-key iface-list \
         iface-dumpxml iface-define iface-undefine iface-start iface-destroy \
         iface-begin iface-commit iface-rollback iface-mac iface-name \
         nodedev-list nodedev-dumpxml nodedev-detach nodedev-reattach \
         nodedev-reset nodedev-create nodedev-destroy; do
    printf '%s\n' "$out" | grep -q "^    $c " || missing="$missing $c"
done
if ok_run && [ -z "$missing" ]; then
    pass "help lists the network, storage, interface and node device commands"
else
    fail "help (exit $rc) misses:$missing" "$out"
fi

echo "test-cli: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
