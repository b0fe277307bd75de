#!/bin/sh
# check.sh: the command line with each allocation failing in turn. The LD_PRELOAD shim fail_alloc.so
# makes the Nth malloc, calloc or realloc of the process fail (DEFIDX_FAIL_ALLOC_AT=N), glibc's own
# included; N goes from 1 to the number a run without a failure makes. Each run must either exit 70
# with its last line of stderr "defidx: ...out of memory..." (an error, never a skipped step or a
# misleading message), or succeed with exactly the stdout and stderr of the run without a failure
# (a way round, such as glibc writing stdout unbuffered). Neither, and the case fails, naming N.
#
# The commands: `formats` (which printed half its table, or nothing and exit 70 without a word, when
# a row could not be had), and compute and rebase on two small files (two, so that the prices go
# into a panel and no thread of the one-pass reader makes the order of allocations vary) with
# warnings and notes of several kinds, in JSON and in a table narrowed to 50 columns.
# Skipped (77) in a sanitizer or coverage build: their runtimes allocate beside the program's.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 DEFIDX SHIM" >&2
    exit 2
fi
bin=$1 shim=$2
cd "$(dirname "$0")" || exit 2
if grep -q -e __asan_init -e __tsan_init -e __gcov_init -e __gcov_dump "$bin"; then
    echo "check.sh: a sanitizer or coverage build; skipped" >&2
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# run N ARGS...: defidx ARGS with allocation N failing (0: none); status in $code
run() {
    n=$1
    shift
    DEFIDX_FAIL_ALLOC_AT=$n DEFIDX_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD=$shim COLUMNS=50 LC_ALL=C \
        "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    code=$?
}

# check ARGS...: every allocation of `defidx ARGS` failed in turn
check() {
    run 0 "$@"
    if [ "$code" -ne 0 ] || ! [ -s "$tmp/count" ]; then
        echo "FAIL: defidx $*: exit $code without a failed allocation"; cat "$tmp/err"
        status=1
        return
    fi
    mv "$tmp/out" "$tmp/want.out"
    mv "$tmp/err" "$tmp/want.err"
    total=$(cat "$tmp/count")
    errors=0 same=0 n=1
    while [ "$n" -le "$total" ]; do
        run "$n" "$@"
        if [ "$code" -eq 70 ] && tail -n 1 "$tmp/err" | grep -q '^defidx: .*out of memory'; then
            errors=$((errors + 1))
        elif [ "$code" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want.out" && cmp -s "$tmp/err" "$tmp/want.err"; then
            same=$((same + 1))
        else
            echo "FAIL: defidx $*: allocation $n of $total failed: exit $code, stderr:"
            cat "$tmp/err"
            status=1
        fi
        n=$((n + 1))
    done
    echo "defidx $*: $total allocations; failed in turn: $errors runs said out of memory, $same found a way round"
}

check formats
check compute -O json a.csv b.csv
check compute -O table --since 2025-01-03 a.csv b.csv
check rebase --base-date 2025-01-04 a.csv b.csv
exit $status
