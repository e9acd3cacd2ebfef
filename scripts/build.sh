#!/bin/sh
# Configures and builds evirt in DIR (default: build/) out of tree.
# Extra arguments go to configure.  Re-running only rebuilds what changed.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${BUILD_DIR:-$top/build}
[ -x "$top/configure" ] || (cd "$top" && ./autogen.sh >/dev/null 2>&1)
mkdir -p "$dir"
cd "$dir"
[ -f Makefile ] || "$top/configure" -q "$@"
make -s -j"$(nproc)" >/dev/null
