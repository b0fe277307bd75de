#!/bin/sh
# check.sh: the one-pass reader (src/fast/stream.c) and the panel must give the same output to the last
# byte. Every run below is made twice, as it is and with DEFIDX_ONE_PASS=0 (which forces the
# panel), and stdout, stderr and the exit status are compared: over generated data (bench/gen.c,
# two seeds, date and ticker order) with hand-written corporate actions and an index definition,
# over the bundled data, and over files the one pass must decline (some of which src/fast/stream.c reads
# per ticker instead: no panel either, so those are compared too). It also proves that the one
# pass was really taken where it should be (-v says so), so that the comparison is not vacuous.
#
# Usage: sh check.sh DEFIDX GEN        (ctest runs it as one_pass_equivalence)
# KEEP=1 keeps the working directory (its path is printed) so that a failing command can be rerun.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 DEFIDX GEN" >&2
    exit 2
fi
bin=$1 gen=$2
data=$(cd "$(dirname "$0")/../../data" && pwd) || exit 2
tmp=$(mktemp -d) || exit 2
if [ "${KEEP:-0}" = 1 ]; then
    echo "working directory: $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 2' HUP INT TERM
cd "$tmp" || exit 2
unset DEFIDX_ONE_PASS DEFIDX_THREADS
LC_ALL=C
export LC_ALL

runs=0 failures=0

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
}

# 1 when ARGS read a file of the generator (or standard input, which is fed d1.csv) and give no base
# date of their own (option or definition).
generated() {
    case " $* " in *" --base-date "* | *" --index "*) return 1 ;; esac
    for arg in "$@"; do
        case $arg in
        d1.csv | d3.csv | t1.csv | close_only.csv | free_float.csv | crlf.csv | quoted.csv | \
            repeated.csv | unsorted.csv | conflict.csv | semicolon.csv | spiked_d1.csv | \
            spiked_t1.csv | big.csv | big_t.csv | big_crlf.csv | -) return 0 ;;
        esac
    done
    return 1
}

# run NAME ARGS...: runs defidx with ARGS into NAME.out, NAME.err and NAME.code; NAME panel with
# DEFIDX_ONE_PASS=0. What a -o option wrote to o.file is appended to NAME.out, to be compared too.
# The generator's walks list and delist instruments along the way, so that no date has a price for
# every one of them and the default base date (the common start) does not exist: they are based on
# their first date, as the benchmark's are, unless a command says otherwise.
run() {
    name=$1
    shift
    if generated "$@"; then
        set -- --base-date "$first_date" "$@"
    fi
    if [ "$name" = panel ]; then
        DEFIDX_ONE_PASS=0 "$bin" "$@" >"$name.out" 2>"$name.err"
    else
        "$bin" "$@" >"$name.out" 2>"$name.err"
    fi
    echo $? >"$name.code"
    if [ -f o.file ]; then
        { echo "--- o.file:"; cat o.file; } >>"$name.out"
        rm -f o.file
    fi
}

# compare WHAT: one_pass.* against panel.*; on a difference prints WHAT (the commands) and a diff.
compare() {
    for part in code out err; do
        if ! cmp -s "one_pass.$part" "panel.$part"; then
            fail "$part differs, in $tmp: $*"
            diff -u "one_pass.$part" "panel.$part" | head -40
        fi
    done
}

# same ARGS...: defidx ARGS gives the same bytes and status on both paths.
same() {
    runs=$((runs + 1))
    run one_pass "$@"
    run panel "$@"
    compare "defidx $* vs DEFIDX_ONE_PASS=0 defidx $*"
}

# verbose yes|no FILE ARGS...: defidx -v ARGS FILE says that it read FILE in one pass (yes) or not
# (no); the forced panel never says so. Apart from the line that says how FILE was read
# ("defidx: read FILE ..."), both paths print the same.
verbose() {
    want=$1 file=$2
    shift 2
    runs=$((runs + 1))
    line="defidx: read $file in one pass"
    run one_pass -v "$@" "$file"
    run panel -v "$@" "$file"
    if grep -qxF "$line" one_pass.err; then said=yes; else said=no; fi
    [ "$said" = "$want" ] || fail "defidx -v $* $file: one pass '$said', expected '$want'"
    grep -qxF "$line" panel.err && fail "DEFIDX_ONE_PASS=0 defidx -v $* $file still read it in one pass"
    for path in one_pass panel; do
        grep -vF "defidx: read $file " $path.err >$path.tmp
        mv $path.tmp $path.err
    done
    compare "defidx -v $* $file vs DEFIDX_ONE_PASS=0 defidx -v $* $file"
}

# ---- the inputs -----------------------------------------------------------------------------------

first_date=$("$gen" first 2) # the first trading day of two years, as in d1.csv, d3.csv and big.csv
"$gen" 40 2 date 1 >d1.csv && "$gen" 40 2 ticker 1 >t1.csv && "$gen" 30 2 date 3 >d3.csv &&
    "$gen" fx 2 >fx.csv || { echo "FAIL: $gen did not run"; exit 1; }
cmp -s d1.csv t1.csv && { echo "FAIL: the two orders are the same file"; exit 1; }
[ "$(sort d1.csv | cksum)" = "$(sort t1.csv | cksum)" ] || { echo "FAIL: the two orders hold different rows"; exit 1; }

# Splits (2-for-1 and a 1-for-2 reverse), a share count, cash dividends with and without
# withholding (one in SEK), a special dividend in pence, a rights issue; one action falls after the
# review that drops its ticker.
cat >actions.csv <<'EOF'
date,ticker,type,value,value2
2023-09-15,FYYB.DE,split,2,
2023-11-22,KAJG.ST,cash_dividend,4.5,0.3
2023-12-06,WEQV.PA,rights,0.1,20
2024-01-17,NEJH.DE,split,0.5,
2024-03-20,GKQQ.MC,shares,1500000000,
2024-05-08,LVFO.PA,cash_dividend,1.25,0.25
2024-06-12,OZFP.L,special_dividend,35,
2024-09-18,LVFO.PA,cash_dividend,0.8,
2024-11-20,WEQV.PA,cash_dividend,2.1,0.15
EOF

# Based on a day in the middle of the data, with a cap, a GBX and a SEK constituent, and a review
# that drops two and adds one that lists late (IRFN.BR, first price 2023-08-24).
cat >index.json <<'EOF'
{
  "name": "Generated Test Index",
  "currency": "EUR",
  "base_date": "2023-06-30",
  "base_value": 1000,
  "weighting": "ffmcap",
  "cap": 0.25,
  "constituents": [
    {"ticker": "FYYB.DE", "name": "Fyyb", "currency": "EUR", "shares": 24000000, "free_float": 0.8},
    {"ticker": "GKQQ.MC", "name": "Gkqq", "currency": "EUR", "shares": 1400000000, "free_float": 0.55},
    {"ticker": "LVFO.PA", "name": "Lvfo", "currency": "EUR", "shares": 1050000000, "free_float": 1.0},
    {"ticker": "NEJH.DE", "shares": 1000000000, "free_float": 0.9},
    {"ticker": "OZFP.L", "name": "Ozfp", "currency": "GBX", "shares": 920000000, "free_float": 1.0},
    {"ticker": "KAJG.ST", "name": "Kajg", "currency": "SEK", "shares": 2000000000, "free_float": 0.4},
    {"ticker": "WEQV.PA", "shares": 322000000, "free_float": 0.75}
  ],
  "reviews": [
    {"effective": "2024-03-18", "constituents": [
      {"ticker": "FYYB.DE", "shares": 48000000, "free_float": 0.8},
      {"ticker": "GKQQ.MC", "shares": 1500000000, "free_float": 0.55},
      {"ticker": "LVFO.PA", "shares": 1050000000, "free_float": 1.0},
      {"ticker": "NEJH.DE", "shares": 500000000, "free_float": 0.9},
      {"ticker": "OZFP.L", "shares": 920000000, "free_float": 1.0},
      {"ticker": "IRFN.BR", "shares": 934000000, "free_float": 0.6}
    ]}
  ]
}
EOF
printf '{"constituents": [{"ticker": "FYYB.DE"}, {"ticker": "ZZZZ.XX"}]}\n' >unknown.json

# The tickers above must be the generator's, or the runs with them would prove little.
for t in FYYB.DE GKQQ.MC LVFO.PA NEJH.DE OZFP.L KAJG.ST WEQV.PA IRFN.BR; do
    grep -q "^[0-9-]*,$t," d1.csv || { echo "FAIL: bench/gen.c no longer makes $t: update $0"; exit 1; }
done

# Plain variants the one pass reads too: without currency and shares, with a free float column,
# with CRLF line ends.
cut -d, -f1-3 d1.csv >close_only.csv
awk 'NR == 1 { print $0 ",free_float"; next } { print $0 "," (NR % 7 + 3) / 10 }' d1.csv >free_float.csv
awk '{ printf "%s\r\n", $0 }' d1.csv >crlf.csv

# Files the one pass must decline, each at its last line, after it has fed nearly every day to the
# engine: a quoted field, a repeated row, a date out of order, a conflicting close; and a copy
# delimited with ';'. Whatever reads them then (the panel, or per ticker), the bytes must not change.
last=$(tail -n 1 d1.csv)
{ cat d1.csv; echo '2025-02-28,"ZZZZ.DE",12.50,EUR,1000000'; } >quoted.csv
{ cat d1.csv; echo "$last"; } >repeated.csv
{ cat d1.csv; echo '2024-06-03,ZZZZ.DE,12.50,EUR,1000000'; } >unsorted.csv
{ cat d1.csv; echo "$last" | awk -F, -v OFS=, '{ $3 = $3 + 1; print }'; } >conflict.csv
sed 's/,/;/g' d1.csv >semicolon.csv
# And one close 100 times too large in the middle of a ticker's rows (a one-day spike, which the
# panel names by its row), in date order and in ticker order.
key=$(sed -n 10000p d1.csv | cut -d, -f1,2)
for f in d1 t1; do
    awk -F, -v OFS=, -v key="$key" '$1 "," $2 == key { $3 = sprintf("%.4f", $3 * 100) } { print }' $f.csv >spiked_$f.csv
done

# ---- the one pass is taken where it should be, and declines where it must --------------------------

for f in d1.csv d3.csv close_only.csv free_float.csv; do
    verbose yes $f compute -O json --fx fx.csv
done
verbose yes d1.csv series -O csv --fx fx.csv --index index.json --actions actions.csv --return gross
verbose yes "$data/prices.csv" compute -O json --index "$data/index.json" --fx "$data/fx.csv"
for f in t1.csv quoted.csv repeated.csv unsorted.csv conflict.csv semicolon.csv spiked_d1.csv spiked_t1.csv; do
    verbose no $f compute -O json --fx fx.csv
done
# --max-jump decides what a spike is: the generated walks have one at 6%, none at 7%.
verbose no d1.csv compute -O json --fx fx.csv --max-jump 0.06
verbose yes d1.csv compute -O json --fx fx.csv --max-jump 0.07
# The one pass finds each kind of spike the panel finds, and no other (it keeps a ticker's close
# before the last only after a jump): one small file a pattern, closes on five weekdays, yes where
# it may read the file in one pass. A close at the second row; 10 -> 20 -> 4 -> 10, two pairs of
# jumps that never come back within 50%; the last close; two spikes in a row; exactly 50%; a
# fall; a spike over a day without a row.
spike_case() { # name yes|no closes...
    name=$1 want=$2
    shift 2
    { echo date,ticker,close; d=17; for c in "$@"; do [ "$c" = - ] || echo "2025-02-$d,A,$c"; d=$((d + 1)); done; } >$name.csv
    verbose $want $name.csv check
}
spike_case second no 10 30 10 10 10
spike_case zigzag yes 10 20 4 10 10
spike_case last yes 10 10 10 10 1
spike_case twice no 10 20 10 20 10
spike_case exactly yes 100 150 100 150 100
spike_case fall no 10 10 4 10 10
spike_case gap no 10 - 1 10 10
# Without a base date the index starts where every constituent has a price: a date-sorted file
# meets B only on the 19th, after the pass began on the 17th, and is read again from there, in one
# pass both times.
printf 'date,ticker,close\n2025-02-17,A,10\n2025-02-18,A,11\n2025-02-19,A,12\n2025-02-19,B,20\n2025-02-20,A,12\n2025-02-20,B,21\n' >late.csv
verbose yes late.csv compute -O json
grep -q '"base_date": "2025-02-19"' one_pass.out || fail "late.csv: not based on 2025-02-19, the common start"
# In ticker order the pass collects per ticker; a spike leaves that file to the panel too.
for f in t1.csv spiked_t1.csv; do
    [ $f = t1.csv ] && how="per ticker (not sorted by date)" || how="into a panel (the general reader)"
    "$bin" compute -v -O json --fx fx.csv --base-date "$first_date" $f 2>&1 >/dev/null | grep -qxF "defidx: read $f $how" ||
        fail "defidx -v compute $f: not read $how"
done
# Load options the one pass does not handle take the panel even for a plain file.
verbose no d1.csv compute -O json --fx fx.csv --delimiter ,
# Standard input is never read in one pass: the same file through it gives the same bytes.
runs=$((runs + 1))
run one_pass series -O csv --fx fx.csv d1.csv
run stdin series -O csv --fx fx.csv - <d1.csv
mv stdin.out panel.out && mv stdin.err panel.err && mv stdin.code panel.code
compare "defidx series -O csv --fx fx.csv d1.csv vs defidx series -O csv --fx fx.csv - <d1.csv"

# ---- the matrix over generated data -----------------------------------------------------------------

# Seed 1 holds EUR, GBX and SEK prices, seed 3 USD as well; the definition and the actions name
# tickers of seed 1 (in seed 3 the actions are warned about and the definition is an error).
for f in d1.csv d3.csv; do
    fx="--fx fx.csv"
    same compute -O json $fx $f
    same compute -O csv $fx $f
    same series -O csv $fx $f
    same divisors -O csv $fx $f
    same check $fx $f
    same check --max-gap 1 $fx $f
    same check --max-jump 0.06 $fx $f
    same compute -O json --max-jump 0.05 $fx $f
    same compute -O json --max-gap 1 $fx $f
    for w in mcap equal price ffmcap; do
        same compute -O json --weighting $w $fx $f
        same series -O csv --weighting $w --rebalance monthly $fx $f
    done
    same compute -O json --weighting mcap --rebalance quarterly $fx $f
    same divisors -O csv --weighting equal --rebalance quarterly $fx $f
    same divisors -O json --weighting price --rebalance monthly $fx $f
    same compute -O csv --as-of 2024-06-14 $fx $f
    same compute -O json --as-of 2024-06-15 --weighting equal --rebalance quarterly $fx $f
    same compute -O json --base-date 2024-01-02 --since 2024-02-23 --since 2024-06-28 $fx $f
    same series -O csv --base-date 2024-01-06 --weighting price $fx $f
    same compute -O json --since 2023-01-02 --since 2025-02-28 --as-of 2024-11-29 $fx $f
    same compute -O json --base-date 2024-06-03 --base-value 1000 --as-of 2024-12-31 --currency USD $fx $f
    same compute -O json --return gross --actions actions.csv $fx $f
    same divisors -O csv --return gross --actions actions.csv $fx $f
    same series -O csv --return net --actions actions.csv --weighting mcap $fx $f
    same compute -O csv --return price --actions actions.csv --weighting equal --rebalance monthly $fx $f
    same compute -O json --index index.json $fx $f
done

# The other formats, and errors: before the data, as-of before the base, no FX, an unknown
# ticker, no weights, no actions file. The one pass keeps an error of the engine until the file
# has proved plain, and declines when a setting is refused: each must end as the panel's does.
same compute -O tsv -q --fx fx.csv d1.csv
same compute -O md --fx fx.csv d1.csv
same compute -O table --fx fx.csv d1.csv
same divisors -O json --fx fx.csv d1.csv
same compute --base-date 2020-01-02 --fx fx.csv d1.csv
same compute --as-of 2023-01-02 --fx fx.csv d1.csv
same compute --base-date 2024-01-02 --as-of 2023-12-29 --fx fx.csv d1.csv
same compute -O json d1.csv
same compute -O json --index unknown.json --fx fx.csv d1.csv
same compute -O json --weighting fixed --fx fx.csv d1.csv
same compute -O json --actions no-such-file.csv --fx fx.csv d1.csv
same compute -O json --currency XYZ --fx fx.csv d1.csv

# The definition over seed 1: its review, the cap, the late listing, with actions and without.
index="--index index.json --fx fx.csv"
same compute -O csv $index --return gross --actions actions.csv d1.csv
same compute -O json $index --return net --actions actions.csv --as-of 2024-03-15 d1.csv
same divisors -O csv $index --return net --actions actions.csv d1.csv
same divisors -O json $index --return gross --actions actions.csv --as-of 2023-12-29 d1.csv
same series -O csv $index --weighting equal --base-date 2023-09-29 d1.csv
same check $index --max-gap 1 d1.csv
same compute -O json $index --max-jump 0.05 d1.csv
same compute -O json -o o.file $index d1.csv
same compute -O json $index --weighting equal --rebalance monthly d1.csv
same compute -O json $index --weighting price --base-date 2024-03-15 d1.csv
same compute -O json $index --weighting mcap --actions actions.csv --since 2023-06-30 d1.csv

# A constituent first priced after the as-of date (IRFN.BR from 2023-08-24) is in the report without
# a price, in the currency its suffix .BR gives (EUR) on both paths: the one pass meets its ticker
# only after the report, the panel on its first day (issue 15, item 7).
same compute -O json $index --as-of 2023-07-31 d1.csv
grep -q '"ticker": "IRFN.BR", "name": "", "currency": "EUR", "price": null' one_pass.out ||
    fail "compute --as-of 2023-07-31 $index d1.csv: IRFN.BR not reported unpriced in EUR"
# The same by hand, with a currency column: B's currency (GBX) comes from its rows after the as-of
# date, and C (no suffix) is USD by its missing suffix, as for a US ticker on Yahoo.
printf '%s\n' date,ticker,close,currency 2025-02-17,A.PA,10,EUR 2025-02-18,A.PA,11,EUR \
    2025-02-19,A.PA,12,EUR 2025-02-20,A.PA,12,EUR 2025-02-20,B.L,200,GBX 2025-02-21,A.PA,13,EUR \
    2025-02-21,B.L,201,GBX 2025-02-21,C,5,USD >later.csv
printf '%s\n' '{"currency": "EUR", "base_date": "2025-02-17", "weighting": "equal",' \
    '"constituents": [{"ticker": "A.PA"}, {"ticker": "B.L"}, {"ticker": "C"}]}' >later.json
same compute -O csv --index later.json --fx fx.csv --as-of 2025-02-19 later.csv
for want in 'constituent,B.L,,GBX,1d,2025-02-19,,' 'constituent,C,,USD,1d,2025-02-19,,'; do
    grep -qF "$want" one_pass.out || fail "later.csv: no line $want"
done

# Differential runs over generated files with late listings: a definition of every ticker of the
# file, computed as of dates at which some are not yet priced; each such run must have at least one
# constituent without a price, or it proves nothing about late listings.
late_runs=0
for seed in 2 4 6; do
    "$gen" 25 2 date $seed >late$seed.csv || { echo "FAIL: $gen did not run"; exit 1; }
    awk -F, -v base="$first_date" 'NR > 1 && !seen[$2]++ { list = list sep "{\"ticker\": \"" $2 "\"}"; sep = ", " }
        END { printf "{\"currency\": \"EUR\", \"base_date\": \"%s\", \"weighting\": \"equal\", \"constituents\": [%s]}\n", base, list }' \
        late$seed.csv >late$seed.json
    for as_of in 2023-06-30 2024-01-31 2024-09-30; do
        same compute -O json --index late$seed.json --fx fx.csv --as-of $as_of late$seed.csv
        grep -q '"price": null' one_pass.out && late_runs=$((late_runs + 1))
    done
done
[ "$late_runs" -gt 0 ] || fail "no generated run has a constituent listed after its as-of date"

for f in close_only.csv free_float.csv crlf.csv t1.csv; do
    same compute -O json --fx fx.csv $f
    same series -O csv --fx fx.csv --index index.json --actions actions.csv --return gross $f
    same divisors -O csv --fx fx.csv --weighting mcap --rebalance monthly $f
done

# A file in ticker order is collected per ticker and replayed in batches of dates (src/fast/stream.c):
# every date's level, with share counts and free floats that change along each ticker's rows.
awk 'NR == 1 { print $0 ",free_float"; next } { print $0 "," (int(NR / 97) % 7 + 3) / 10 }' t1.csv >t1_free_float.csv
for f in t1.csv t1_free_float.csv; do
    same series -O csv --fx fx.csv $f
    same compute -O json --fx fx.csv --weighting mcap $f
    same divisors -O csv --fx fx.csv $f
done

for f in quoted.csv repeated.csv unsorted.csv conflict.csv semicolon.csv spiked_d1.csv spiked_t1.csv; do
    same compute -O json --fx fx.csv $f
    same series -O csv --fx fx.csv --index index.json --actions actions.csv --return gross $f
    same compute -O json --as-of 2023-01-02 --fx fx.csv $f
done

# ---- files of many blocks ---------------------------------------------------------------------------

# src/fast/blocks.c reads 1 MiB blocks of whole lines into a ring of six and parses them on two threads:
# a file longer than the ring has lines across block boundaries (also with CRLF ends) and slots used
# again, and gives the same bytes with one thread or two, in date order and in ticker order; -v
# proves that it was not quietly declined (which would give the same bytes too, through the panel).
"$gen" 450 2 date 5 >big.csv && "$gen" 450 2 ticker 5 >big_t.csv || { echo "FAIL: $gen did not run"; exit 1; }
[ "$(wc -c <big.csv)" -gt 8000000 ] || { echo "FAIL: big.csv is not longer than the ring of six 1 MiB blocks"; exit 1; }
awk '{ printf "%s\r\n", $0 }' big.csv >big_crlf.csv
# A file this small is read on one thread unless DEFIDX_THREADS=2 asks for the worker.
DEFIDX_THREADS=2
export DEFIDX_THREADS
for f in big.csv big_t.csv big_crlf.csv; do
    same compute -O json --fx fx.csv --since 2023-06-30 $f
    runs=$((runs + 1))
    run one_pass compute -O json --fx fx.csv --weighting equal $f
    DEFIDX_THREADS=1 "$bin" compute -O json --fx fx.csv --weighting equal --base-date "$first_date" $f >panel.out 2>panel.err
    echo $? >panel.code
    compare "DEFIDX_THREADS=2 defidx compute --weighting equal $f vs DEFIDX_THREADS=1 defidx ..."
done
verbose yes big.csv compute -O csv --fx fx.csv
verbose yes big_crlf.csv compute -O csv --fx fx.csv
# A bad line in the last block, after many blocks went to the engine.
{ cat big.csv; echo '2025-02-28,BAD TICKER,1.5,EUR,1000'; } >big_bad.csv
verbose no big_bad.csv compute -O json --fx fx.csv
unset DEFIDX_THREADS

# ---- the bundled data -------------------------------------------------------------------------------

bundled="--index $data/index.json --fx $data/fx.csv --actions $data/actions.csv"
for r in price gross net; do
    same compute -O json --return $r $bundled "$data/prices.csv"
    same series -O csv --return $r $bundled "$data/prices.csv"
    same divisors -O csv --return $r $bundled "$data/prices.csv"
done
same compute -O csv --weighting equal --rebalance quarterly --fx "$data/fx.csv" "$data/prices.csv"
same compute -O json --as-of 2024-02-23 --since 2022-02-23 --since 2023-02-23 $bundled "$data/prices.csv"
same check --max-gap 1 $bundled "$data/prices.csv"

echo "$runs comparisons (each run as it is and with DEFIDX_ONE_PASS=0), $failures failed"
[ "$failures" -eq 0 ] || { echo "(KEEP=1 sh $0 ... keeps the inputs to rerun a command)"; exit 1; }
