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
