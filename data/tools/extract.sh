#!/bin/sh
# extract.sh REALDATA_DIR [FROM [TO]]
# Extracts the REAL part of data/prices.csv from the copies of public downloads in
# REALDATA_DIR (normally tests/realdata): long CSV "date,ticker,close,currency" on stdout,
# no header, unsorted; a log of every fix, drop and cross-check on stderr.
# POSIX sh + awk only. See data/README.md for the provenance of every source.
set -eu
R=${1:?usage: extract.sh REALDATA_DIR [FROM [TO]]}
FROM=${2:-2021-12-01}
TO=${3:-2025-02-28}
for f in cooper/Airbus_Stock_Data_5y.csv cooper/BAE_Stock_Data_5y.csv \
         cooper/Rolls-Royce_Stock_Data_5y.csv jershred/SAF.PA.csv jershred/AIR.PA.csv \
         redart/AIR.PA.csv redart/SAF.PA.csv redart/HO.PA.csv sbam/LDO.MI.csv sbam/BA.L.csv \
         magiccpp/RHM.DE.csv magiccpp/BA.L.csv magiccpp/RR.L.csv ajah/RR.L.csv \
         seemayer-2022/BA.L.csv seemayer-2024/BA.L.csv seemayer-2024/RR.L.csv; do
  [ -r "$R/$f" ] || { echo "extract.sh: missing $R/$f" >&2; exit 66; }
done

# emit TICKER CCY COLUMN FILE [FROMDATE TODATE [FACTORTABLE]]
#   prints date,ticker,close,ccy for FROMDATE<=date<=TODATE (clipped to FROM..TO) from the
#   named Close column. FACTORTABLE "from:to:k;..." divides the value by k on from..to
#   (undoing a Yahoo dividend adjustment, see README); such values are rounded to 0.01.
#   Rows with an empty/null/non-positive close are dropped and logged.
emit() {
  awk -F, -v T="$1" -v C="$2" -v COL="$3" -v A="${5:-0000}" -v B="${6:-9999}" \
      -v F0="$FROM" -v T0="$TO" -v K="${7:-}" -v SRC="$4" '
  function fmt(x,  s) { s = sprintf("%.4f", x); sub(/0+$/, "", s); sub(/\.$/, "", s); return s }
  NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (h == COL) c = i }
            if (!c) { print "extract.sh: no column " COL " in " SRC > "/dev/stderr"; exit 65 }
            nk = split(K, seg, ";"); next }
  { d = $1; gsub(/"/, "", d)
    if (d < A || d > B || d < F0 || d > T0) next
    v = $c
    if (v == "" || v == "null" || v + 0 <= 0) {
      print "DROP " T " " d " empty/null close in " SRC ": " $0 > "/dev/stderr"; next }
    v += 0; adj = 0
    for (j = 1; j <= nk; j++) { split(seg[j], p, ":")
      if (d >= p[1] && d <= p[2]) { v = v / p[3]; adj = 1 } }
    if (adj) v = sprintf("%.2f", v) + 0
    print d "," T "," fmt(v) "," C }' "$R/$4"
}

# ---- Airbus: cooper (unadjusted Close) to 2024-05-10; redart Close is dividend-adjusted:
# divide by 0.9853437 (= redart/cooper on every overlapping day 2024-04-16..2024-05-10,
# i.e. the 2025-04 dividend, no Airbus ex-date in 2024-05-13..2025-02-28).
emit AIR.PA EUR Close cooper/Airbus_Stock_Data_5y.csv 0000 2024-05-10
emit AIR.PA EUR Close redart/AIR.PA.csv 2024-05-13 9999 "2024-04-16:2025-04-15:0.9853437"

# ---- Safran: jershred (unadjusted Close) to 2023-07-28 (2023-06-01 null row dropped);
# redart after: 0.9899406 = redart/jershred on every day 2023-05-30..2023-07-28 (the 2024
# dividend); from the 2024 ex-date (2024-05-27) on redart is unadjusted (on the 0.02 grid).
emit SAF.PA EUR Close jershred/SAF.PA.csv 0000 2023-07-28
emit SAF.PA EUR Close redart/SAF.PA.csv 2023-07-31 9999 "2023-05-30:2024-05-24:0.9899406"

# ---- Thales: only dividend-adjusted sources (redart, stan). redart / k per period between
# ex-dividend dates, k found by the tick-grid search (tools/unadjust_grid.py): with these k
# every close 2021-11-01..2025-05-12 lies on Euronext's tick grid (0.02 below 100, 0.05 above).
emit HO.PA EUR Close redart/HO.PA.csv 0000 9999 \
 "0000-00-00:2021-12-03:0.9285868;2021-12-06:2022-05-16:0.9358574;2022-05-17:2022-11-22:0.9519348;2022-11-23:2023-05-22:0.9574170;2023-05-23:2023-12-01:0.9733460;2023-12-04:2024-05-17:0.9787155;2024-05-20:2024-11-29:0.9940078"

# ---- Leonardo: sbam Close (unadjusted).
emit LDO.MI EUR Close sbam/LDO.MI.csv

# ---- Rolls-Royce, BAE (pence): cooper to 2022-12-30, magiccpp from 2023-01-03.
emit RR.L GBX Close cooper/Rolls-Royce_Stock_Data_5y.csv 0000 2022-12-31
emit RR.L GBX Close magiccpp/RR.L.csv 2023-01-01 9999
emit BA.L GBX Close cooper/BAE_Stock_Data_5y.csv 0000 2022-12-31
emit BA.L GBX Close magiccpp/BA.L.csv 2023-01-01 9999

# ---- Rheinmetall: magiccpp from 2023-01-02. Drop stale rows: Volume 0 and
# Open=High=Low=Close = the previous kept close (a repeated quote, not a trade).
# Zero-volume rows with a real range (2023-05-04, 2025-01-08, 2025-02-26) are kept.
awk -F, -v F0="$FROM" -v T0="$TO" '
  function fmt(x,  s) { s = sprintf("%.4f", x); sub(/0+$/, "", s); sub(/\.$/, "", s); return s }
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { d = $1; c = $col["Close"] + 0
    if ($col["Volume"] + 0 == 0 && $col["Open"] + 0 == c && $col["High"] + 0 == c &&
        $col["Low"] + 0 == c && c == prev) {
      if (d >= F0 && d <= T0) print "DROP RHM.DE " d " stale zero-volume row (= close of " pd "): " $0 > "/dev/stderr"
      next }
    prev = c; pd = d
    if (d < F0 || d > T0) next
    if ($col["Volume"] + 0 == 0) print "KEEP RHM.DE " d " zero volume but a real range: " $0 > "/dev/stderr"
    print d ",RHM.DE," fmt(c) ",EUR" }' "$R/magiccpp/RHM.DE.csv"

# ---- Cross-checks (stderr only): same date in two sources, close differs by > 0.05%.
xcheck() { # LABEL FILE1 COL1 FILE2 COL2
  awk -F, -v L="$1" -v C1="$3" -v C2="$5" -v F0="$FROM" -v T0="$TO" '
    FNR == 1 { f++; for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (h == (f == 1 ? C1 : C2)) c = i }; next }
    { d = $1; gsub(/"/, "", d); if (d < F0 || d > T0 || $c == "" || $c == "null") next }
    f == 1 { v[d] = $c + 0; next }
    (d in v) { n++; r = ($c + 0) / v[d]
      if (r > 1.0005 || r < 0.9995) { bad++; print "XCHECK " L " " d ": " v[d] " vs " $c > "/dev/stderr" } }
    END { printf "XCHECK %s: %d common dates, %d differ\n", L, n, bad + 0 > "/dev/stderr" }' \
    "$R/$2" "$R/$4"
}
xcheck "AIR.PA cooper/jershred" cooper/Airbus_Stock_Data_5y.csv Close jershred/AIR.PA.csv Close
xcheck "RR.L cooper/ajah" cooper/Rolls-Royce_Stock_Data_5y.csv Close ajah/RR.L.csv Close
xcheck "RR.L magiccpp/cooper" magiccpp/RR.L.csv Close cooper/Rolls-Royce_Stock_Data_5y.csv Close
xcheck "RR.L magiccpp/seemayer-2024" magiccpp/RR.L.csv Close seemayer-2024/RR.L.csv Close
xcheck "BA.L cooper/sbam" cooper/BAE_Stock_Data_5y.csv Close sbam/BA.L.csv Close
xcheck "BA.L cooper/seemayer-2022" cooper/BAE_Stock_Data_5y.csv Close seemayer-2022/BA.L.csv Close
xcheck "BA.L magiccpp/cooper" magiccpp/BA.L.csv Close cooper/BAE_Stock_Data_5y.csv Close
xcheck "BA.L magiccpp/seemayer-2024" magiccpp/BA.L.csv Close seemayer-2024/BA.L.csv Close
xcheck "BA.L magiccpp/sbam" magiccpp/BA.L.csv Close sbam/BA.L.csv Close
