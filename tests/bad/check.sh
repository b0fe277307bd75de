#!/bin/sh
# check.sh: the bad-input corpus. Every file here is an input defidx must refuse, and expected.tsv
# says how: the option it is passed with, the exit status, and the message on stderr. Each is run
# as `defidx compute` (with valid companions from tests/cli/common for the other inputs) and must
# give exactly that status and message, write nothing to stdout, keep to the message form
# `defidx: FILE:LINE:COL: what is wrong (hint: ...)` where the manifest says a position applies,
# and never crash, hang, or trip a sanitizer. The inputs too big to keep in the repository
# (an enormous line or field, JSON nested 100,000 deep or over 256 MiB, more tickers than the limit) are written
# into a temporary directory first; the manifest names them with a leading @.
#
# expected.tsv, one case a line (TAB-separated; # starts a comment):
#   file      the corpus file, or @name for a generated one
#   option    prices, --index, --actions or --fx: how the file is passed; prices/panel runs with
#             DEFIDX_ONE_PASS=0 (the general reader, which holds a panel)
#   code      the exit status: 64 usage, 65 bad data, 66 missing or empty input
#   position  yes: the message must be `defidx: FILE:LINE:COL: ... (hint: ...)`; no: it has none
#   message   the last line of stderr, exactly; with a leading ~, a part of it (when the rest varies)
# Lines of stderr before the last may only be warnings ("defidx: warning: ...").
#
# Usage: sh check.sh DEFIDX            (ctest runs it as bad_inputs)
#        PRINT=1 sh check.sh DEFIDX    prints what each case gives, in the manifest's columns
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 DEFIDX" >&2
    exit 2
fi
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd) || exit 2
common=$(cd "$here/../cli/common" && pwd) || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
for v in $(env | sed -n 's/^\(DEFIDX_[A-Z_]*\)=.*/\1/p'); do
    unset "$v"
done
LC_ALL=C
export LC_ALL
tab=$(printf '\t')

# ---- the generated inputs --------------------------------------------------------------------
gen=$tmp/gen
mkdir "$gen" || exit 2
(
    cd "$gen" || exit 2
    # A line of 2 MiB (the limit is 1 MiB): a row whose fields are all short.
    awk 'BEGIN { printf "date,ticker,close\n2025-02-14,AAA,10\n2025-02-17,AAA,11"
                 for (i = 0; i < 262144; i++) printf ",1234567"; printf "\n" }' >line_2mib.csv
    # A field of 100 KiB (the limit is 64 KiB) in a line under the line limit.
    awk 'BEGIN { printf "date,ticker,close\n2025-02-14,AAA,"
                 for (i = 0; i < 12800; i++) printf "12345678"; printf "\n" }' >field_100kib.csv
    # A field of 10 MiB in a line of 10 MiB: the field is the first limit passed, reading on.
    awk 'BEGIN { printf "date,ticker,close\n2025-02-14,AAA,"
                 for (i = 0; i < 1310720; i++) printf "12345678"; printf "\n" }' >field_10mib.csv
    # A quote never closed, then 200,000 good rows: the quoted field would swallow them all.
    awk 'BEGIN { printf "date,ticker,close\n2025-02-14,\"AAA,10\n"
                 for (i = 0; i < 200000; i++) printf "2025-02-17,AAA,11\n" }' >quote_never_closed.csv
    # One record of 300,000 short quoted fields that each hold a line end: 1.8 MiB over many lines.
    awk 'BEGIN { printf "date,ticker,close\n2025-02-14,"
                 for (i = 0; i < 300000; i++) printf "\"a\nb\","; printf "10\n" }' >record_many_lines.csv
    # JSON nested 100,000 deep (cJSON stops at 1,000), as prices and as an index definition.
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]" }' >deep_100k.json
    cp deep_100k.json index_deep_100k.json
    # 100,001 tickers (the limit is 100,000): in a wide header, and as a long file of one date.
    awk 'BEGIN { printf "date"; for (i = 0; i <= 100000; i++) printf ",T%d", i; printf "\n2025-02-14"
                 for (i = 0; i <= 100000; i++) printf ",10"; printf "\n" }' >tickers_wide.csv
    awk 'BEGIN { print "date,ticker,close"; for (i = 0; i <= 100000; i++) printf "2025-02-14,T%d,10\n", i }' >tickers_long.csv
    # 20,000 tickers each on a day of its own: a panel of 400 million prices (the limit is 2^28).
    awk 'BEGIN { print "date,ticker,close"
                 for (i = 0; i < 20000; i++) printf "%04d-%02d-%02d,T%d,10\n", 2000 + int(i / 336), 1 + int(i % 336 / 28), 1 + i % 28, i }' >panel_cells.csv
    # Files one byte over their limit: text for 256 KiB (more than the first read of 128 KiB, so
    # that the size refuses them, not a NUL byte) and then zeros, sparse files that cost no disk.
    # JSON (256 MiB) as prices and as an index definition, a price CSV read whole (4 GiB), FX and
    # actions (64 MiB).
    spaces() { head -c 262144 /dev/zero | tr '\0' ' '; }
    over() { truncate -s "$1" "$2"; }
    { printf '['; spaces; } >json_256mib.json && over 268435457 json_256mib.json
    { printf '{'; spaces; } >index_256mib.json && over 268435457 index_256mib.json
    awk 'BEGIN { print "date,ticker,close"; for (i = 0; i < 20000; i++) printf "2025-02-%02d,T%d,10\n", 10 + i % 5, i }' >csv_4gib.csv
    over 4294967297 csv_4gib.csv
    { printf 'Date,USD,\n'; spaces; } >fx_64mib.csv && over 67108865 fx_64mib.csv
    { printf 'date,ticker,type,value\n'; spaces; } >actions_64mib.csv && over 67108865 actions_64mib.csv
    # 5 GiB of zeros, a sparse file: refused at its first read for its NUL bytes, whatever its size.
    over 5368709120 zeros_5gib.csv
    # An index definition of 100,001 constituents.
    awk 'BEGIN { printf "{\"constituents\":["; for (i = 0; i <= 100000; i++) printf "%s{\"ticker\":\"T%d\"}", i ? "," : "", i; printf "]}\n" }' >index_constituents.json
    # A line of 2 MiB in the corporate actions (short fields) and a field of 2 MiB in the FX rates.
    awk 'BEGIN { printf "date,ticker,type,value,value2\n2025-02-17,AAA,cash_dividend,0.5,"
                 for (i = 0; i < 262144; i++) printf ",0.00000"; printf "\n" }' >actions_line.csv
    awk 'BEGIN { printf "Date,USD,GBP,\n2025-02-18,1.05,0.8,"; for (i = 0; i < 2097152; i++) printf " "; printf "x\n" }' >fx_field.csv
) || exit 2

# ---- the cases -------------------------------------------------------------------------------
cases=0 failures=0
listed=$tmp/listed
: >"$listed"

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s (%s): %s\n' "$file" "$option" "$*"
}

# run ONE_PASS ARGS...: defidx compute ARGS in the case's directory, with DEFIDX_ONE_PASS set to
# ONE_PASS unless that is empty. `timeout` is a hang guard, not a speed test: every case's work is
# bounded (the largest input read is 10 MiB; the files of 256 MiB are refused by their size before
# they are read), so that 300 s are not reached even on a loaded machine under a sanitizer, and a
# case that does reach them loops.
hang_guard=300
run() {
    (
        cd "$dir" || exit 2
        if [ -n "$1" ]; then
            DEFIDX_ONE_PASS=$1
            export DEFIDX_ONE_PASS
        fi
        shift
        exec timeout "$hang_guard" "$bin" compute "$@"
    ) </dev/null
}

while IFS="$tab" read -r file option code position message; do
    case $file in '' | '#'*) continue ;; esac
    cases=$((cases + 1))
    dir=$here name=$file
    case $file in
        @*) dir=$gen name=${file#@} ;;
        *) echo "$file" >>"$listed" ;;
    esac
    if [ ! -f "$dir/$name" ]; then
        fail "no such corpus file"
        continue
    fi
    one_pass=
    case $option in
        prices/panel) one_pass=0 ;;
    esac
    case $option in
        prices | prices/panel) set -- "$name" ;;
        --index) set -- --index "$name" --fx "$common/fx.csv" "$common/prices.csv" ;;
        --actions) set -- --index "$common/index.json" --fx "$common/fx.csv" --actions "$name" "$common/prices.csv" ;;
        --fx) set -- --index "$common/index.json" --fx "$name" "$common/prices.csv" ;;
        *) fail "unknown option column"; continue ;;
    esac
    run "$one_pass" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    last=$(tail -n 1 "$tmp/err")
    if [ "${PRINT:-0}" = 1 ]; then
        has=no
        printf '%s\n' "$last" | grep -Eq "^defidx: [^ ]*:[0-9]+:[0-9]+: " && has=yes
        printf '%s\t%s\t%s\t%s\t%s\n' "$file" "$option" "$got" "$has" "$last"
        continue
    fi
    if [ "$got" -eq 124 ]; then
        fail "still running after $hang_guard s: a hang"
        continue
    fi
    if [ "$got" -ge 124 ]; then
        fail "crashed: exit status $got"
        cat "$tmp/err"
        continue
    fi
    if grep -Eq 'Sanitizer|runtime error:' "$tmp/err"; then
        fail "a sanitizer report"
        cat "$tmp/err"
        continue
    fi
    [ "$got" = "$code" ] || fail "exit status $got, expected $code"
    [ -s "$tmp/out" ] && fail "wrote to stdout on an error"
    case $message in
        '~'*) case $last in *"${message#\~}"*) ;; *) fail "message '$last', expected a part '${message#\~}'" ;; esac ;;
        *) [ "$last" = "$message" ] || fail "message '$last', expected '$message'" ;;
    esac
    if [ "$(wc -l <"$tmp/err")" -gt 1 ] && sed '$d' "$tmp/err" | grep -v '^defidx: warning: ' | grep -q .; then
        fail "stderr holds more than warnings before the error:"
        cat "$tmp/err"
    fi
    # A CSV price file is refused the same way whichever reader takes it: the one pass gives a file
    # up at the first line it cannot vouch for, and the general reader says what is wrong.
    if [ "$option" = prices ] && [ "${name%.json}" = "$name" ]; then
        run 0 "$@" >"$tmp/out0" 2>"$tmp/err0"
        panel=$?
        [ "$panel" = "$got" ] && cmp -s "$tmp/err" "$tmp/err0" ||
            fail "DEFIDX_ONE_PASS=0 gives exit status $panel and: $(tail -n 1 "$tmp/err0")"
    fi
    if [ "$position" = yes ]; then
        printf '%s\n' "$last" | grep -Eq "^defidx: [^ ]*:[0-9]+:[0-9]+: .+ \(hint: .+\)\$" ||
            fail "not of the form 'defidx: FILE:LINE:COL: ... (hint: ...)': $last"
    else
        case $last in "defidx: "*) ;; *) fail "does not start with 'defidx: ': $last" ;; esac
    fi
done <"$here/expected.tsv"

# Every corpus file has its expected answer.
for f in "$here"/*; do
    name=${f##*/}
    case $name in expected.tsv | check.sh | README.md) continue ;; esac
    if ! grep -qxF "$name" "$listed"; then
        failures=$((failures + 1))
        echo "FAIL: $name is not in expected.tsv"
    fi
done

[ "${PRINT:-0}" = 1 ] && exit 0
echo "$cases cases, $failures failures"
[ "$failures" -eq 0 ]
