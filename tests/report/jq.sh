#!/bin/sh
# jq.sh: the three jq one-liners of the README ("Use": the lines that start with "jq " and read
# latest.json), run as written on the JSON of `defidx compute -O json` for the bundled data and on
# the returns.json of a report on real closes with stale prices (stale7 of common.sh); their output
# is checked against values worked out here with awk from the input files. Skipped (exit 77)
# without jq unless DEFIDX_REQUIRE_JQ=1, as CI sets.
. "$(dirname "$0")/common.sh"

if ! command -v jq >/dev/null 2>&1; then
    if [ "${DEFIDX_REQUIRE_JQ:-0}" = 1 ]; then
        echo "FAIL: jq is not installed (apt-get install jq) and DEFIDX_REQUIRE_JQ=1"
        exit 1
    fi
    echo "SKIP: jq is not installed"
    exit 77
fi
grep '^jq .* latest\.json' "$here/../../README.md" >lines
[ "$(wc -l <lines)" -eq 3 ] || { fail "the README has $(wc -l <lines) jq lines, not 3"; cat lines; finish; }
# run N: the README's Nth jq line, in the current directory (whose latest.json it reads).
run() {
    sed -n "${1}p" "$tmp/lines" >line.sh
    sh line.sh
}

# ---- the bundled data -----------------------------------------------------------------------------
mkdir bundled && compute -O json -q >bundled/latest.json || fail "compute -O json failed"

# The market value in EUR of each member of data/index.json on or before DAY: shares x free float x
# its last close x 0.01 for pence, over the ECB rate of its currency (GBP for GBX) of the last
# published day; EUR at 1. The bundled index has no cap, review or action, so its quantities and
# divisor hold from 2024-12-31 (the ytd base: the last date before 1 January with prices, as the
# grep below shows) to 2025-02-28: YTD = sum MV(t) / sum MV(base) - 1, and each constituent's
# contribution is (MV(t) - MV(base)) / sum MV(base), largest for the largest MV(t) - MV(base).
grep -q '^2024-12-31,' "$data/prices.csv" || fail "the bundled prices have no 2024-12-31"
members=$(grep '"ticker"' "$data/index.json" | sed 's/[{}" ]//g')
values() {
    printf '%s\n' "$members" | awk -F, -v day="$1" '
        FILENAME == "-" {
            for (i = 1; i <= NF; i++) { split($i, kv, ":"); v[kv[1]] = kv[2] }
            t = v["ticker"]; tickers[++n] = t; ccy[t] = v["currency"]
            q[t] = v["shares"] * (v["free_float"] == "" ? 1 : v["free_float"])
            next
        }
        FNR == 1 { for (i = 2; i <= NF; i++) col[i] = $i; next }
        FILENAME ~ /fx\.csv$/ {   # newest first: the first rate on or before day is the one
            if ($1 > day) next
            for (i = 2; i <= NF; i++) if (!(col[i] in rate) && $i != "N/A" && $i != "") rate[col[i]] = $i
            next
        }
        $1 <= day && $3 != "" { last[$2] = $3 }   # prices.csv, in date order
        END {
            for (k = 1; k <= n; k++) {
                t = tickers[k]; c = ccy[t] == "GBX" ? "GBP" : ccy[t]
                r = c == "EUR" ? 1 : rate[c]
                printf "%s %.12f\n", t, q[t] * last[t] * (ccy[t] == "GBX" ? 0.01 : 1) / r
            }
        }' - "$data/fx.csv" "$data/prices.csv"
}
values 2024-12-31 >base
values 2025-02-28 >now
want_ytd=$(paste -d' ' base now | awk '{ b += $2; t += $4 } END { printf "%.12f", t / b - 1 }')
want_top=$(paste -d' ' base now | awk '$4 - $2 > best || NR == 1 { best = $4 - $2; top = $1 } END { print top }')
got_ytd=$(cd bundled && run 1)
awk -v a="$got_ytd" -v b="$want_ytd" 'BEGIN { d = (a - b) / b; exit !(d < 1e-9 && d > -1e-9) }' ||
    fail "YTD: jq says '$got_ytd', the market values give $want_ytd"
got_top=$(cd bundled && run 2)
[ "$got_top" = "$want_top" ] || fail "top contributor: jq says '$got_top', the market values give $want_top"
[ "$want_top" = RR.L ] || fail "the market values' top contributor is $want_top, RR.L by hand before"
got=$(cd bundled && run 3)
[ -z "$got" ] || fail "stale names in the bundled data: '$got' (every price is of 2025-02-28)"

# ---- stale prices ---------------------------------------------------------------------------------
# A price is stale when more than 5 business days old on Friday 2025-08-01: a last close on or before
# Thursday 2025-07-24 (25 and 28 July to 1 August are 6). Names from the definition, in its order.
real_report stale7 out
cp out/2025-08-01/returns.json latest.json
for f in $stale7_files; do
    t=${f##*/}
    last=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "Close") c = i; next }
                    $c != "" && $1 <= "2025-08-01" { d = $1 } END { print d }' "$f")
    [ "$last" \< 2025-07-25 ] && printf '%s\n' "${t%.csv}"
done >stale_tickers
[ "$(wc -l <stale_tickers)" -eq 6 ] || fail "awk finds $(wc -l <stale_tickers) stale files, not 6"
sed -n 's/.*"ticker": "\([^"]*\)", "name": "\([^"]*\)".*/\1 \2/p' "$defs/stale7.json" |
    awk 'NR == FNR { stale[$1] = 1; next } $1 in stale { sub(/^[^ ]* /, ""); print }' stale_tickers - |
    sort >want_names
run 3 | sort >got_names
cmp -s want_names got_names || { fail "stale names"; diff want_names got_names; }
finish
