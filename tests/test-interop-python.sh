#!/bin/sh
# tests/test-interop-python.sh - runs tests/test-interop-python.py
# (python3-libvirt against evirtd, compared with a private libvirtd) with
# both daemons started by tests/interop-daemons.sh.
#
# Skips (exit 77) only when no python3 can import libvirt or libvirtd is
# not installed.  Fails when the script finds a difference, or when
# evirtd does not stop cleanly (a sanitizer report).

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}

# Debian's python3-libvirt is for the system's python3, which may not be
# the first python3 on PATH.
PYTHON=
for p in ${PYTHON3:-} /usr/bin/python3 python3; do
    if "$p" -c 'import libvirt' >/dev/null 2>&1; then
        PYTHON=$p
        break
    fi
done
if [ -z "$PYTHON" ]; then
    echo "SKIP: no python3 with the libvirt module (python3-libvirt)"
    exit 77
fi

. "$top_srcdir/tests/interop-daemons.sh"
interop_require_libvirtd
interop_start

timeout 60 "$PYTHON" "$top_srcdir/tests/test-interop-python.py" \
    "$LV_SOCK" "$LV_SOCK_RO" "$EV_SOCK" "$EV_SOCK_RO"
rc=$?
interop_stop_evirtd || rc=1
exit $rc
