#!/bin/sh
# defidx's benchmark (bench/README.md): generates the data sets once into a cache, times
#   defidx compute --weighting mcap|equal --fx FX --since 2022-02-23 -O json PRICES
# a few times per size and row order, and prints the median wall time, rows/s, MB/s and peak
# memory; then the same job in polars, DuckDB and pandas where they are installed.
#
#   sh bench/run.sh [small] [medium] [large] [capping]   (default: small medium)
#
# `capping` times another job: an index definition of CAP_TICKERS (100000) constituents with
# Pareto-distributed share counts under a cap of 2/CAP_TICKERS, capped at the base date and again
# at a monthly review.
#
# Environment: DEFIDX (default build/defidx), CACHE (/tmp/defidx-bench), RUNS (5),
# ORDERS ("date ticker"), JOBS ("mcap equal"), SEED (1), CAP_TICKERS (100000), LIMIT_S (60) and
# LIMIT_MIB (6144): a run
# that passes either is stopped and reported as such, and the size's remaining runs are skipped.
# CC (cc) builds the generator and the stopwatch.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
DEFIDX=${DEFIDX:-build/defidx}
case $DEFIDX in /*) ;; *) DEFIDX=$root/$DEFIDX ;; esac
CACHE=${CACHE:-/tmp/defidx-bench}
RUNS=${RUNS:-5}
ORDERS=${ORDERS:-date ticker}
JOBS=${JOBS:-mcap equal}
SEED=${SEED:-1}
CAP_TICKERS=${CAP_TICKERS:-100000}
LIMIT_S=${LIMIT_S:-60}
LIMIT_MIB=${LIMIT_MIB:-6144}
PYTHON=${PYTHON:-python3} # the interpreter for ref.py: Debian's python3-pandas is in /usr/bin/python3
CC=${CC:-cc}
SINCE=2022-02-23
SIZES=${*:-small medium}

if [ ! -x "$DEFIDX" ]; then
    echo "run.sh: $DEFIDX is not an executable; build defidx first or set DEFIDX" >&2
    exit 66
fi
mkdir -p "$CACHE"

# The tools are built into the cache, so that nothing is written into the source tree.
build_tool() { # name
    if [ ! -x "$CACHE/$1" ] || [ -n "$(find "$here/$1.c" -newer "$CACHE/$1")" ]; then
        $CC -std=c11 -O2 -o "$CACHE/$1" "$here/$1.c" -lm
    fi
}
build_tool gen
build_tool peak

# Size -> tickers and years. Tickers are chosen so that the row counts match the targets' (45
# thousand, 9.45 million, 37.5 million: bench/README.md): late listings, delistings and holidays
# take about 8% of tickers x years x 252.
shape() {
    case $1 in
    small) echo "199 1" ;;
    medium) echo "1635 25" ;;
    large) echo "5440 30" ;;
    capping) echo "$CAP_TICKERS 1" ;; # its own data (capping_job); the FX file needs a year
    hostile) echo "1 1" ;;            # its own inputs (hostile_job)
    *) echo "run.sh: unknown size '$1' (small, medium, large, capping, hostile)" >&2; exit 64 ;;
    esac
}

# Generates a file unless the cache has it; a file is written aside and renamed, so an interrupted
# run never leaves a truncated data set behind to be reused.
ensure() { # file generator-arguments...
    f=$1
    shift
    if [ ! -s "$f" ]; then
        echo "generating $(basename "$f") ..." >&2
        "$CACHE/gen" "$@" > "$f.tmp"
        mv "$f.tmp" "$f"
    fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { sort -n | tail -n 1; }

# Times one command RUNS times. Sets t_med and t_min (seconds), rss (peak KiB, the largest of the runs) and
# stopped (empty, or why the run was stopped). $expect (default 0) is the exit status it must give.
measure() { # command...
    : > "$CACHE/times"
    stopped=
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        i=$((i + 1))
        set +e
        "$CACHE/peak" -t "$LIMIT_S" -m "$LIMIT_MIB" -o "$CACHE/times" "$@" > /dev/null 2> "$CACHE/stderr"
        set -e
        status=$(tail -n 1 "$CACHE/times" | awk '{ print $3 }')
        case $status in
        "${expect:-0}") ;;
        timeout | memory)
            stopped=$status
            break ;;
        *)
            echo "run.sh: the command failed ($status): $*" >&2
            tail -n 5 "$CACHE/stderr" >&2
            stopped="failed:$status"
            break ;;
        esac
    done
    t_med=$(awk '{ print $1 }' "$CACHE/times" | median)
    t_min=$(awk '{ print $1 }' "$CACHE/times" | sort -n | head -n 1)
    rss=$(awk '{ print $2 }' "$CACHE/times" | maximum)
}

report() { # label rows bytes
    if [ -n "$stopped" ]; then
        case $stopped in
        timeout) what="stopped after ${LIMIT_S} s" ;;
        memory) what="stopped above ${LIMIT_MIB} MiB" ;;
        *) what=$stopped ;;
        esac
        printf '%-24s %10s  %-40s peak %8.1f MiB\n' "$1" "-" "$what" "$(echo "$rss" | awk '{ print $1 / 1024 }')"
        return
    fi
    echo "$2 $3 $t_med $rss $t_min" | awk -v label="$1" '{
        printf "%-24s %9.4f s (min %.4f)  %6.2f M rows/s  %7.1f MB/s  peak %8.1f MiB  %5.1f B/row\n",
            label, $3, $5, $1 / $3 / 1e6, $2 / $3 / 1e6, $4 / 1024, $4 * 1024 / $1 }'
}

for size in $SIZES; do
    shape "$size" > /dev/null
done
fx_years=1
for size in $SIZES; do
    # shellcheck disable=SC2046 # split into tickers and years on purpose
    set -- $(shape "$size")
    if [ "$2" -gt "$fx_years" ]; then fx_years=$2; fi
done
fx=$CACHE/fx-$fx_years.csv
ensure "$fx" fx "$fx_years" "$SEED"

echo "defidx: $DEFIDX ($("$DEFIDX" --version 2>/dev/null | head -n 1))"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d)"
echo "runs: median of $RUNS; peak memory: the largest of the runs; MB = 10^6 bytes of CSV"

# The capping job: every close in EUR, so no FX; 10 days of prices, base date on the first, and
# --rebalance monthly caps again after the third Friday (2025-02-21).
capping_job() {
    index=$CACHE/capping-index-$CAP_TICKERS-$SEED.json
    prices=$CACHE/capping-prices-$CAP_TICKERS-$SEED.csv
    ensure "$index" capping-index "$CAP_TICKERS" "$SEED"
    ensure "$prices" capping-prices "$CAP_TICKERS" "$SEED"
    rows=$(($(wc -l < "$prices") - 1))
    bytes=$(wc -c < "$prices")
    echo
    echo "== capping: $CAP_TICKERS constituents, cap 2/$CAP_TICKERS, $rows rows, $bytes bytes"
    cat "$index" "$prices" > /dev/null # warm the page cache
    measure "$DEFIDX" compute --index "$index" --rebalance monthly -O json "$prices"
    report "defidx capping" "$rows" "$bytes"
}

# Issue 15's inputs that once hung defidx or took all memory: /dev/zero as each input (it read
# 4 GB before it stopped, exit 70), and a date-sorted file of one row a date cycling through
# 100,000 tickers (the engine walked every member every date: 100,000 x 400,000 took 366 s), and
# the same file in ticker order (the replay walked every ticker every date).
# The third, capping 100,000 constituents at 2/N, is the capping job.
hostile_job() {
    echo
    echo "== hostile inputs"
    for option in "" --index --fx --actions; do
        expect=65 # refused: the file holds a NUL byte
        if [ -n "$option" ]; then
            measure "$DEFIDX" compute "$option" /dev/zero "$CACHE/prices-small-date-$SEED.csv"
        else
            measure "$DEFIDX" compute /dev/zero
        fi
        expect=0
        report "/dev/zero ${option:-prices}" 1 131072
    done
    for dates in 100000 400000; do
        prices=$CACHE/cycle-100000-$dates.csv
        ensure "$prices" cycle 100000 "$dates"
        cat "$prices" > /dev/null
        measure "$DEFIDX" compute --base-date 1990-01-01 -O json "$prices"
        report "cycle 100k x $dates" "$dates" "$(wc -c < "$prices")"
        # the same rows in ticker order: collected per ticker, then replayed date by date
        by_ticker=$CACHE/cycle-100000-$dates-by-ticker.csv
        if [ ! -s "$by_ticker" ]; then
            (head -n 1 "$prices" && tail -n +2 "$prices" | LC_ALL=C sort -t, -k2,2 -s) > "$by_ticker.tmp"
            mv "$by_ticker.tmp" "$by_ticker"
        fi
        measure "$DEFIDX" compute --base-date 1990-01-01 -O json "$by_ticker"
        report "cycle 100k x $dates, by ticker" "$dates" "$(wc -c < "$by_ticker")"
    done
}

for size in $SIZES; do
    if [ "$size" = capping ]; then
        capping_job
        continue
    fi
    if [ "$size" = hostile ]; then
        ensure "$CACHE/prices-small-date-$SEED.csv" prices 199 1 date "$SEED"
        hostile_job
        continue
    fi
    # shellcheck disable=SC2046 # split into tickers and years on purpose
    set -- $(shape "$size")
    tickers=$1
    years=$2
    for order in $ORDERS; do
        prices=$CACHE/prices-$size-$order-$SEED.csv
        ensure "$prices" prices "$tickers" "$years" "$order" "$SEED"
        rows=$(($(wc -l < "$prices") - 1))
        bytes=$(wc -c < "$prices")
        echo
        echo "== $size, $order order: $tickers tickers x $years years, $rows rows, $bytes bytes"
        cat "$prices" > /dev/null # warm the page cache
        for job in $JOBS; do
            # the first date, as before the default became the common start (which would read
            # a file with later listings twice)
            measure "$DEFIDX" compute --weighting "$job" --fx "$fx" --since "$SINCE" \
                --base-date "$("$CACHE/gen" first "$years")" -O json "$prices"
            report "defidx $job" "$rows" "$bytes"
            if [ "$job" = mcap ]; then
                defidx_mcap=$t_med
                defidx_stopped=$stopped
                # the statistics of the same index: the same pass, then the series described
                measure "$DEFIDX" stats --weighting "$job" --fx "$fx" \
                    --base-date "$("$CACHE/gen" first "$years")" -O json "$prices"
                report "defidx stats mcap" "$rows" "$bytes"
            fi
        done

        # The same job (both indices, FX, the three returns) in the dataframe tools, where present.
        for engine in polars duckdb pandas; do
            if ! "$PYTHON" -c "import $engine" > /dev/null 2>&1; then
                printf '%-24s not installed\n' "$engine"
                continue
            fi
            measure "$PYTHON" "$here/ref.py" "$engine" "$prices" "$fx" "$SINCE"
            report "$engine (mcap + equal)" "$rows" "$bytes"
            if [ -z "$stopped" ] && [ -z "${defidx_stopped:-}" ]; then
                echo "$t_med ${defidx_mcap:-0}" | awk -v e="$engine" '$2 > 0 {
                    printf "%-24s %.1fx the time of defidx mcap\n", "  ratio " e, $1 / $2 }'
            fi
        done
    done
done
