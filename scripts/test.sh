#!/bin/sh
# Quick start, part two: installs what is missing, builds evirt, and runs
# the whole test suite twice: as built, and under AddressSanitizer +
# UndefinedBehaviorSanitizer with leak detection; in between, make distcheck.  Exit status 0 means all
# passed.  SKIP_SANITIZERS=1 skips the second run.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"

check() {
    dir=$1; shift
    BUILD_DIR=$dir "$top/scripts/build.sh" "$@"
    if ! make -C "$dir" -s -j"$(nproc)" check >"$dir/check.out" 2>&1; then
        cat "$dir/check.out"
        for f in $(grep -l '^FAIL\|^ERROR' "$dir"/tests/*.log 2>/dev/null); do
            echo "==== $f"; tail -n 60 "$f"
        done
        exit 1
    fi
    grep -E '^(# |PASS|SKIP|XFAIL)' "$dir/check.out" || true
}

echo "== test suite"
check "$top/build"
echo "== make distcheck (tarball builds, installs and passes on its own)"
make -C "$top/build" -s -j"$(nproc)" distcheck >"$top/build/distcheck.out" 2>&1 ||
    { tail -n 60 "$top/build/distcheck.out"; exit 1; }
grep 'archives ready' "$top/build/distcheck.out"
if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
    echo "== test suite under ASan + UBSan"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        check "$top/build-asan" --enable-sanitizers
fi
echo "all tests passed"
