#!/bin/sh
# tests/test-virsh-parity.sh - evirt and virsh must report the same DATA
# about test:///default: the domain list, dominfo's facts, domstate with
# its reason, nodeinfo, the capability facts, the hostname, and the state
# after a lifecycle sequence run on one connection; and the networks,
# storage pools and volumes, host interfaces and node devices, listed,
# described and changed.  Layout (spacing, blank lines) is normalised
# away; values are compared.
#
# Skips (exit 77) only when virsh is not installed.  Prints a PASS/FAIL
# line per check and a table of mismatches; exits 1 on any mismatch.

top_builddir=${top_builddir:-.}
EVIRT=${EVIRT:-$top_builddir/tools/evirt}
VIRSH=${VIRSH:-virsh}
URI=test:///default

if ! command -v "$VIRSH" >/dev/null 2>&1; then
    echo "SKIP: virsh not found"
    exit 77
fi
if [ ! -x "$EVIRT" ]; then
    echo "FAIL: no evirt binary at $EVIRT"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-parity.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset LIBVIRT_DEFAULT_URI EVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI

nfail=0
npass=0
: >"$tmp/mismatches"

# One line per datum, whitespace collapsed, blank lines dropped.
normalize() {
    sed -e 's/[[:space:]][[:space:]]*/ /g' -e 's/^ //' -e 's/ $//' |
        grep -v '^$' | grep -v '^-*$'
}

# compare NAME: compares $tmp/virsh and $tmp/evirt line by line.
compare() {
    if cmp -s "$tmp/virsh" "$tmp/evirt"; then
        npass=$((npass + 1))
        echo "PASS: $1"
        return
    fi
    nfail=$((nfail + 1))
    echo "FAIL: $1"
    diff "$tmp/virsh" "$tmp/evirt" | sed 's/^/    | /'
    # Rows of the mismatch table: each hunk's virsh lines paired with
    # evirt's, in order.
    diff "$tmp/virsh" "$tmp/evirt" | awk -v check="$1" '
        function flush(   i, n) {
            n = nv > ne ? nv : ne
            for (i = 1; i <= n; i++)
                printf "%s\t%s\t%s\n", check,
                       (i <= nv ? v[i] : "(none)"), (i <= ne ? e[i] : "(none)")
            nv = ne = 0
        }
        /^[0-9]/ { flush(); next }
        /^< / { v[++nv] = substr($0, 3); next }
        /^> / { e[++ne] = substr($0, 3); next }
        END { flush() }' >>"$tmp/mismatches"
}

# both CMD...: runs the command line through both tools, keeps stdout.
both() {
    "$VIRSH" -c "$URI" "$@" >"$tmp/virsh.raw" 2>"$tmp/virsh.err"
    vrc=$?
    "$EVIRT" -c "$URI" "$@" >"$tmp/evirt.raw" 2>"$tmp/evirt.err"
    erc=$?
}

# check_cmd NAME FILTER CMD...: compares FILTER(stdout) and the status.
check_cmd() {
    name=$1 filter=$2
    shift 2
    both "$@"
    normalize <"$tmp/virsh.raw" | $filter >"$tmp/virsh"
    normalize <"$tmp/evirt.raw" | $filter >"$tmp/evirt"
    if [ "$vrc" -ne 0 ] || [ "$erc" -ne 0 ]; then
        echo "exit $vrc" >>"$tmp/virsh"
        echo "exit $erc" >>"$tmp/evirt"
        sed 's/^/    virsh stderr: /' "$tmp/virsh.err"
        sed 's/^/    evirt stderr: /' "$tmp/evirt.err"
    fi
    compare "$name"
}

same() { cat; }

# dominfo: the facts that do not depend on the clock or security labels.
dominfo_fields() {
    grep -E '^(Id|Name|UUID|OS Type|State|CPU\(s\)|Max memory|Used memory|Persistent|Autostart|Managed save):'
}

# list: "id name state" rows, without the header.
list_rows() { grep -v '^Id Name State$'; }

check_cmd "list --all" list_rows list --all
check_cmd "list (active)" list_rows list
check_cmd "list --inactive" list_rows list --inactive
check_cmd "dominfo test" dominfo_fields dominfo test
check_cmd "dominfo by id" dominfo_fields dominfo 1
check_cmd "domstate --reason test" same domstate --reason test
check_cmd "nodeinfo" same nodeinfo
check_cmd "hostname" same hostname
check_cmd "uri" same uri

# ---- capability facts, read with xmllint from both documents -------------

if command -v xmllint >/dev/null 2>&1; then
    "$VIRSH" -c "$URI" capabilities >"$tmp/caps.virsh" 2>"$tmp/virsh.err"
    "$EVIRT" -c "$URI" capabilities >"$tmp/caps.evirt" 2>"$tmp/evirt.err"

    xp() { xmllint --xpath "$2" "$1" 2>/dev/null; echo; }
    # facts FILE: one "name=value" line per capability fact.
    facts() {
        f=$1
        echo "host arch=$(xp "$f" 'string(/capabilities/host/cpu/arch)')"
        echo "host cpu model=$(xp "$f" 'string(/capabilities/host/cpu/model)')"
        echo "host cpu vendor=$(xp "$f" 'string(/capabilities/host/cpu/vendor)')"
        for a in sockets dies cores threads; do
            echo "host cpu topology $a=$(xp "$f" "string(/capabilities/host/cpu/topology/@$a)")"
        done
        ncells=$(xp "$f" 'count(/capabilities/host/topology/cells/cell)')
        echo "cells=$ncells"
        echo "cells num=$(xp "$f" 'string(/capabilities/host/topology/cells/@num)')"
        i=1
        while [ "$i" -le "${ncells:-0}" ]; do
            c="/capabilities/host/topology/cells/cell[$i]"
            echo "cell $i id=$(xp "$f" "string($c/@id)") memory=$(xp "$f" "string($c/memory)") cpus=$(xp "$f" "count($c/cpus/cpu)")"
            i=$((i + 1))
        done
        echo "secmodel=$(xp "$f" 'string(/capabilities/host/secmodel/model)')"
        nguests=$(xp "$f" 'count(/capabilities/guest)')
        echo "guests=$nguests"
        i=1
        while [ "$i" -le "${nguests:-0}" ]; do
            g="/capabilities/guest[$i]"
            ndt=$(xp "$f" "count($g/arch/domain)")
            types=
            j=1
            while [ "$j" -le "${ndt:-0}" ]; do
                types="$types $(xp "$f" "string($g/arch/domain[$j]/@type)")"
                j=$((j + 1))
            done
            echo "guest $i os_type=$(xp "$f" "string($g/os_type)") arch=$(xp "$f" "string($g/arch/@name)") wordsize=$(xp "$f" "string($g/arch/wordsize)") domain types:$types"
            i=$((i + 1))
        done
    }
    facts "$tmp/caps.virsh" | normalize >"$tmp/virsh"
    facts "$tmp/caps.evirt" | normalize >"$tmp/evirt"
    if ! xmllint --noout "$tmp/caps.evirt" 2>/dev/null; then
        echo "(evirt's capabilities are not well-formed XML)" >>"$tmp/evirt"
        sed 's/^/    evirt stderr: /' "$tmp/evirt.err"
    fi
    compare "capability facts"
else
    echo "FAIL: capability facts: xmllint not found (install libxml2-utils)"
    nfail=$((nfail + 1))
    printf 'capability facts\txmllint missing\t-\n' >>"$tmp/mismatches"
fi

# ---- a lifecycle sequence on one connection -------------------------------

check_cmd "lifecycle sequence" same \
    'suspend test; domstate test; resume test; destroy test; domstate --reason test; start test; domstate --reason test; list --all'

# dominfo's facts mid-sequence (filtered: CPU time follows the clock).
both 'suspend test; dominfo test; destroy test; dominfo test'
normalize <"$tmp/virsh.raw" | dominfo_fields >"$tmp/virsh"
normalize <"$tmp/evirt.raw" | dominfo_fields >"$tmp/evirt"
compare "dominfo after suspend and destroy"

# ---- networks, storage, interfaces, node devices -----------------------------

# Tables: their rows (the header line is layout).
rows() { sed 1d; }
# Objects defined from files get a random UUID on each side.
no_uuid() { grep -v '^UUID:'; }

check_cmd "net-list --all" rows net-list --all
check_cmd "net-list --inactive" rows net-list --inactive
check_cmd "net-info default" same net-info default
check_cmd "pool-list --all" rows pool-list --all
check_cmd "pool-list --all --details" rows pool-list --all --details
check_cmd "pool-info default-pool" same pool-info default-pool
check_cmd "vol-list default-pool" rows vol-list default-pool
check_cmd "iface-list --all" rows iface-list --all

cat >"$tmp/net.xml" <<'EOF'
<network>
  <name>n2</name>
  <bridge name='virbr9'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'/>
</network>
EOF
cat >"$tmp/pool.xml" <<'EOF'
<pool type='dir'>
  <name>p2</name>
  <target><path>/p2</path></target>
</pool>
EOF
cat >"$tmp/vol.xml" <<'EOF'
<volume>
  <name>vx</name>
  <capacity unit='M'>5</capacity>
</volume>
EOF
cat >"$tmp/iface.xml" <<'EOF'
<interface type='ethernet' name='eth2'>
  <start mode='onboot'/>
  <mac address='aa:bb:cc:dd:ee:01'/>
</interface>
EOF

check_cmd "network lifecycle sequence" no_uuid \
    "net-define $tmp/net.xml; net-list --all; net-info n2; net-start n2; net-autostart n2; net-info n2; net-autostart n2 --disable; net-destroy n2; net-undefine n2; net-create $tmp/net.xml; net-list --all; net-info n2; net-destroy n2; net-list --all"
check_cmd "pool lifecycle sequence" no_uuid \
    "pool-define $tmp/pool.xml; pool-list --all --details; pool-info p2; pool-build p2; pool-start p2; pool-autostart p2; pool-info p2; pool-list --all --details; vol-create-as p2 a 1M; vol-list p2 --details; pool-refresh p2; pool-destroy p2; pool-info p2; pool-delete p2; pool-undefine p2; pool-list --all --details"
check_cmd "volume sequence" same \
    "vol-create-as default-pool v1 10M; vol-create-as default-pool v2 1G --allocation 0 --format qcow2; vol-create default-pool $tmp/vol.xml; vol-list default-pool --details; vol-info v2 --pool default-pool; vol-info /default-pool/v1; vol-key v1 --pool default-pool; vol-path v2 --pool default-pool; vol-clone v1 v3 --pool default-pool; vol-delete v2 --pool default-pool; vol-list default-pool --details; pool-info default-pool"
check_cmd "interface sequence" same \
    "iface-define $tmp/iface.xml; iface-list --all; iface-start eth2; iface-list; iface-mac eth2; iface-name aa:bb:cc:dd:ee:01; iface-destroy eth2; iface-undefine eth2; iface-list --all; iface-begin; iface-commit"

# Node devices: virsh's nodedev-list asks for active devices only, a filter
# libvirt's test driver refuses, so virsh lists none there.  The names come
# from libvirt's older listing call instead, through a few lines of C built
# against libvirt (skipped without a compiler or libvirt's headers); then
# each device's XML is compared.
cat >"$tmp/nodedev-names.c" <<'EOF'
#include <stdio.h>
#include <libvirt/libvirt.h>
int main(int argc, char **argv)
{
    virConnectPtr conn = virConnectOpen(argc > 1 ? argv[1] : "test:///default");
    char *names[256];
    int n = conn ? virNodeListDevices(conn, NULL, names, 256, 0) : -1;
    for (int i = 0; i < n; i++)
        printf("%s\n", names[i]);
    return n < 0;
}
EOF
if ${CC:-cc} -o "$tmp/nodedev-names" "$tmp/nodedev-names.c" \
       $(pkg-config --cflags --libs libvirt 2>/dev/null) -lvirt \
       >/dev/null 2>&1; then
    "$tmp/nodedev-names" "$URI" | LC_ALL=C sort -f >"$tmp/nodedevs"
    cp "$tmp/nodedevs" "$tmp/virsh"
    "$EVIRT" -c "$URI" nodedev-list 2>&1 | grep -v '^$' | LC_ALL=C sort -f >"$tmp/evirt"
    compare "nodedev-list (names)"
    for dev in $(cat "$tmp/nodedevs"); do
        check_cmd "nodedev-dumpxml $dev" same nodedev-dumpxml "$dev"
    done
else
    echo "SKIP: nodedev-list parity: cannot build a libvirt client (cc, libvirt-dev)"
fi

# ---- the mismatch table ----------------------------------------------------

if [ -s "$tmp/mismatches" ]; then
    echo
    echo "Mismatches (virsh vs evirt):"
    awk -F '\t' '{
            n++; c[n] = $1; v[n] = $2; e[n] = $3
            if (length($1) > w1) w1 = length($1)
            if (length($2) > w2) w2 = length($2)
        } END {
            if (w1 < 5) w1 = 5
            if (w2 < 5) w2 = 5
            printf "  %-" w1 "s | %-" w2 "s | %s\n", "check", "virsh", "evirt"
            for (i = 1; i <= n; i++)
                printf "  %-" w1 "s | %-" w2 "s | %s\n", c[i], v[i], e[i]
        }' "$tmp/mismatches"
fi

echo "test-virsh-parity: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
