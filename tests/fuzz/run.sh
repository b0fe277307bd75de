#!/bin/sh
# Runs each fuzz target for SECONDS (default 10) from a seed corpus made of the test inputs.
# Usage: sh tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -eu
build=$1
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$build/fuzz-corpus
for target in csv json; do
    mkdir -p "$work/$target"
    for f in "$top"/tests/data/*."$target" "$top"/data/*."$target"; do
        [ -f "$f" ] || continue
        # The first byte picks the load options: 0 = all recognised from the file.
        { printf '\000'; head -c 4000 "$f"; } > "$work/$target/seed-$(basename "$f")"
    done
    status=0
    "$build/tests/fuzz_$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$work/$target-" "$work/$target" > "$work/$target.log" 2>&1 || status=$?
    tail -n 12 "$work/$target.log"
    if [ "$status" -ne 0 ]; then
        echo "fuzz_$target failed (status $status); the input is in $work/$target-*" >&2
        exit 1
    fi
done
