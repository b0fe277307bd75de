#!/bin/sh
# Compares defidx builds on one benchmark job by running them in turn, ROUNDS times: this machine's
# speed drifts by up to 40% over minutes (other tenants), so figures taken minutes apart say little
# about a change of a few percent, while interleaved runs see the same drift.
#
#   sh bench/ab.sh BINARY...          e.g. sh bench/ab.sh /tmp/defidx-before build/defidx
#
# Environment: SIZE (large), ORDER (date), JOB (mcap), ROUNDS (7), CACHE (/tmp/defidx-bench), SEED
# (1). The data and the stopwatch come from run.sh's cache: run `sh bench/run.sh SIZE` once first.
# Prints each binary's wall times, sorted, the median marked, and its largest peak memory.
set -eu

CACHE=${CACHE:-/tmp/defidx-bench}
SIZE=${SIZE:-large}
ORDER=${ORDER:-date}
JOB=${JOB:-mcap}
ROUNDS=${ROUNDS:-7}
SEED=${SEED:-1}

if [ $# -eq 0 ]; then
    echo "usage: sh bench/ab.sh BINARY..." >&2
    exit 64
fi
case $SIZE in
small) years=1 ;;
medium) years=25 ;;
large) years=30 ;;
*) echo "ab.sh: unknown size '$SIZE' (small, medium, large)" >&2; exit 64 ;;
esac
prices=$CACHE/prices-$SIZE-$ORDER-$SEED.csv
# run.sh writes FX rates for the longest size it ran: any file that covers this size's years
fx=
for f in "$CACHE"/fx-*.csv; do
    n=${f##*/fx-}
    n=${n%.csv}
    if [ -s "$f" ] && [ "$n" -ge "$years" ] && { [ -z "$fx" ] || [ "$n" -lt "${fx_years:-0}" ]; }; then
        fx=$f
        fx_years=$n
    fi
done
if [ ! -s "$prices" ] || [ -z "$fx" ] || [ ! -x "$CACHE/peak" ]; then
    echo "ab.sh: no $SIZE data in $CACHE: run sh bench/run.sh $SIZE first" >&2
    exit 66
fi
for bin in "$@"; do
    [ -x "$bin" ] || { echo "ab.sh: $bin is not an executable" >&2; exit 66; }
done

base=$("$CACHE/gen" first "$years") # the first date: run.sh's jobs are based there
times=$(mktemp)
trap 'rm -f "$times" "$times.one"' EXIT
cat "$prices" > /dev/null # into the page cache
round=1
while [ "$round" -le "$ROUNDS" ]; do
    for bin in "$@"; do
        rm -f "$times.one" # (peak appends)
        "$CACHE/peak" -o "$times.one" "$bin" compute --weighting "$JOB" --fx "$fx" --since 2022-02-23 \
            --base-date "$base" -O json "$prices" > /dev/null 2>&1 || true
        printf '%s %s\n' "$bin" "$(cat "$times.one")" >> "$times"
    done
    round=$((round + 1))
done

echo "$SIZE, $ORDER order, --weighting $JOB; $ROUNDS rounds; wall seconds sorted, [median]"
for bin in "$@"; do
    awk -v bin="$bin" '$1 == bin { print $2, $3, $4 }' "$times" | sort -n |
        awk -v bin="$bin" '
            { wall[NR] = $1; if ($2 > kib) kib = $2; if ($3 != "0") failed = failed " " $3 }
            END {
                line = ""
                for (i = 1; i <= NR; i++)
                    line = line sprintf(i == int((NR + 1) / 2) ? " [%.4f]" : " %.4f", wall[i])
                printf "%-40s%s  peak %.1f MiB%s\n", bin, line, kib / 1024, failed ? "  (exit:" failed ")" : ""
            }'
done
