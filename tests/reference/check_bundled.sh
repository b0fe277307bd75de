#!/bin/sh
# Compares `defidx series` on the bundled data with laspeyres.awk, an independent reference, day by
# day: the levels must agree to 1e-9 (relative). Arguments: the defidx binary, the data folder.
set -eu
bin=$1
data=$2
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The definition holds one constituent per line; its unit is 0.01 for pence.
members=$(grep '"ticker"' "$data/index.json" | sed 's/[{}" ]//g' | awk -F, '{
    for (i = 1; i <= NF; i++) { split($i, kv, ":"); v[kv[1]] = kv[2] }
    u = (v["currency"] == "GBX" || v["currency"] == "GBp") ? 0.01 : 1
    ff = v["free_float"] == "" ? 1 : v["free_float"]
    printf "%s:%s:%s:%s;", v["ticker"], v["shares"], ff, u }')
base=$(sed -n 's/.*"base_date" *: *"\([0-9-]*\)".*/\1/p' "$data/index.json")

# ECB rows become one "DATE,F,CCY,RATE" line per published rate.
awk -F, 'NR == 1 { for (i = 2; i <= NF; i++) c[i] = $i; next }
         { for (i = 2; i <= NF; i++) if (c[i] != "" && $i != "N/A" && $i != "") print $1 ",F," c[i] "," $i }' \
    "$data/fx.csv" > "$tmp/events"
awk -F, 'NR > 1 && $3 != "" { print $1 ",P," $2 "," $3 "," $4 }' "$data/prices.csv" >> "$tmp/events"
LC_ALL=C sort -t, -k1,1 -k2,2 "$tmp/events" |
    awk -v members="$members" -v base="$base" -f "$here/laspeyres.awk" > "$tmp/reference.csv"

"$bin" series --index "$data/index.json" --fx "$data/fx.csv" -O csv -q "$data/prices.csv" |
    awk -F, 'NR > 1 { print $1 "," $2 }' > "$tmp/defidx.csv"

rows=$(wc -l < "$tmp/reference.csv")
[ "$rows" -gt 500 ] || { echo "reference has only $rows rows"; exit 1; }
paste -d, "$tmp/reference.csv" "$tmp/defidx.csv" | awk -F, '
    $1 != $3 { print "date mismatch on row " NR ": " $1 " vs " $3; bad = 1; exit }
    { d = ($2 - $4) / $2; if (d < 0) d = -d; if (d > 1e-9) { print $1 ": reference " $2 ", defidx " $4; bad = 1 } }
    END { exit bad }'
[ "$(wc -l < "$tmp/defidx.csv")" -eq "$rows" ] || { echo "row counts differ"; exit 1; }
echo "$rows levels agree with the reference"
