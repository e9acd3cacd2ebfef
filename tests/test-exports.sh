#!/bin/sh
# libevirt.so exports the public API and nothing else: every exported
# function is an evirt_* declared with EVIRT_API, no internal helper leaks,
# and each function of the generated API (three per operation) is there.
set -u
lib=${top_builddir:-.}/.libs/libevirt.so
api=${top_builddir:-.}/include/evirt/api.h
fail=0

exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort)
leaks=$(printf '%s\n' "$exported" | grep -v '^evirt_' || true)
if [ -n "$leaks" ]; then
    echo "FAIL: symbols outside the evirt_ namespace are exported:"; echo "$leaks"; fail=1
fi
internal=$(printf '%s\n' "$exported" | grep -E '^evirt_(op_return|op_fail|op_new|api_|driver_|error_set|log_message|uri_)' || true)
if [ -n "$internal" ]; then
    echo "FAIL: internal functions are exported:"; echo "$internal"; fail=1
fi
missing=0
for f in $(sed -n 's/^EVIRT_API [^(]*[ *]\(evirt_[a-z0-9_]*\)(.*/\1/p' "$api"); do
    printf '%s\n' "$exported" | grep -qx "$f" || { echo "FAIL: $f is not exported"; missing=1; }
done
[ $missing = 0 ] || fail=1
n=$(printf '%s\n' "$exported" | wc -l)
if [ $fail = 0 ]; then
    echo "PASS: $n symbols exported, all public evirt_ API"
fi
exit $fail
