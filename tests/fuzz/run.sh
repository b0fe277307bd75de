#!/bin/sh
# Runs each fuzz target for SECONDS (default 10) from a seed corpus made of the test inputs and of
# the inputs that once crashed it (tests/fuzz/regressions/TARGET/, which libFuzzer runs first).
# Usage: sh tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -eu
build=$1
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$build/fuzz-corpus
# seeds TARGET PREFIX FILES...: copies the files (their first 4000 bytes) into TARGET's corpus.
seeds() {
    target=$1 prefix=$2
    shift 2
    mkdir -p "$work/$target"
    n=0
    for f; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        { printf '%b' "$prefix"; head -c 4000 "$f"; } > "$work/$target/seed-$n-$(basename "$f")"
    done
}
# The price targets' first byte picks the load options: 0 = all recognised from the file.
seeds csv '\000' "$top"/tests/data/*.csv "$top"/data/prices.csv
# Control characters in tickers and cells (ESC, BEL), which messages and tables must escape.
seeds csv '\000' "$top"/tests/cli/control_chars/prices.csv "$top"/tests/cli/control_chars/bad.csv
seeds json '\000' "$top"/tests/data/*.json
# Sizes and ranges at their limits (docs/formats.md, "Limits"): closes outside 1e-6..1e9, a
# subnormal one, a number of 400 digits, the head of a file of zeros, a base value of 1e100.
seeds csv '\000' "$top"/tests/cli/err_price_range/prices.csv "$top"/tests/cli/err_base_value_range/prices.csv
seeds json '\000' "$top"/tests/cli/err_price_subnormal/prices.json
digits=$(awk 'BEGIN { printf "1"; for (i = 0; i < 399; i++) printf "0" }')
printf '\000date,ticker,close\n2025-01-02,A,%s\n2025-01-03,A,1e-308\n' "$digits" > "$work/csv/seed-digits.csv"
printf '\000[{"date":"2025-01-02","ticker":"A","close":%s}]' "$digits" > "$work/json/seed-digits.json"
head -c 4000 /dev/zero > "$work/csv/seed-zeros.csv"
{ printf '\000date,ticker,close\n'; head -c 3000 /dev/zero; } > "$work/csv/seed-header-zeros.csv"
seeds spec '' "$top"/data/index.json "$top"/tests/cli/*/index.json "$top"/tests/cli/common/index.json
seeds actions '' "$top"/data/actions.csv "$top"/tests/data/actions_*.csv "$top"/tests/cli/*/actions.csv
seeds fx '' "$top"/tests/cli/common/fx.csv "$top"/tests/data/fmt_ecb.csv
printf 'Date,USD,GBX,EUR,\n2025-01-02,%s,1e-320,1,\n' "$digits" > "$work/fx/seed-digits.csv"
printf 'date,ticker,type,value\n2025-01-02,A,split,%s\n' "$digits" > "$work/actions/seed-digits.csv"
printf '{"base_value":1e100,"constituents":[{"ticker":"A\033]0;x\007","shares":%s}]}' "$digits" > "$work/spec/seed-digits.json"
head -c 4000 "$top"/data/fx.csv > "$work/fx/seed-bundled-fx.csv"
# The one pass against the panel: plain long CSV; the first byte picks the weighting, the
# rebalance and the threads (see fuzz_one_pass.c).
seeds one_pass '\000' "$top"/tests/cli/common/prices.csv "$top"/data/prices.csv "$top"/tests/data/*.csv \
    "$top"/tests/cli/control_chars/prices.csv
seeds one_pass '\015' "$top"/tests/cli/common/prices.csv "$top"/data/prices.csv
for target in csv json spec actions fx one_pass; do
    # Each crash found and fixed, as the target took it (the price targets' options byte included).
    for f in "$here/regressions/$target"/*; do
        [ -f "$f" ] && cp "$f" "$work/$target/regression-$(basename "$f")"
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
