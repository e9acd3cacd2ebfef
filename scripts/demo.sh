#!/bin/sh
# Quick start, part one: installs what is missing, builds evirt, and runs
# the demo on the embedded in-memory driver test:///default (no setup).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh"
b=$top/build
uri=test:///default
run() { echo "\$ evirt -c $uri $*"; "$b/tools/evirt" -c "$uri" "$@"; echo; }
run hostname
run nodeinfo
run list --all
run dominfo test
# One connection, several commands: test:///default is fresh per connection.
run "suspend test; domstate --reason test; resume test; destroy test; list --all; start test; list"
echo "\$ examples/sync-list"
"$b/examples/sync-list" "$uri"
echo
echo "\$ examples/async-monitor --duration 2   (events + info polled on a timer, never blocking)"
"$b/examples/async-monitor" --duration 2 "$uri"
echo

# evirtd speaks libvirt's protocol: libvirt's own virsh uses it, and evirt
# reaches it with a remote URI.  A private daemon in a temporary folder.
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
printf 'unix_sock_dir = "%s"\n' "$dir" >"$dir/evirtd.conf"
"$b/daemon/evirtd" --config "$dir/evirtd.conf" >"$dir/log" 2>&1 &
pid=$!
i=0
while [ ! -S "$dir/libvirt-sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
remote="test+unix:///default?socket=$dir/libvirt-sock"
echo "\$ evirtd --config $dir/evirtd.conf &"
# test:///default lives while a client holds it (as in libvirtd): this
# one also prints the events the other clients cause.
echo "\$ evirt -c '$remote' event --all --loop --timeout 4 &"
"$b/tools/evirt" -c "$remote" event --all --loop --timeout 4 &
watcher=$!
sleep 1
if command -v virsh >/dev/null; then
    echo "\$ virsh -c '$remote' 'list --all; suspend test'"
    virsh -c "$remote" 'list --all; suspend test'
fi
echo "\$ evirt -c '$remote' 'domstate --reason test; resume test'"
"$b/tools/evirt" -c "$remote" 'domstate --reason test; resume test'
wait "$watcher"
