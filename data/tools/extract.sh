#!/bin/sh
# extract.sh REALDATA_DIR [FROM [TO]]
# Extracts data/prices.csv's rows from the copies of public downloads in REALDATA_DIR (normally
# tests/realdata): long CSV "date,ticker,close,currency" on stdout, no header, unsorted; a log of
# every series taken, fix, drop and cross-check on stderr (kept as tools/extract.log).
# POSIX sh + awk only. See data/README.md for the provenance of every source.
set -eu
R=${1:?usage: extract.sh REALDATA_DIR [FROM [TO]]}
FROM=${2:-2021-12-01}
TO=${3:-2025-02-28}
for f in mccdvd/AIR.PA.csv mccdvd/HO.PA.csv mccdvd/MTX.DE.csv mccdvd/RHM.DE.csv \
         cooper/Airbus_Stock_Data_5y.csv cooper/BAE_Stock_Data_5y.csv \
         cooper/Rolls-Royce_Stock_Data_5y.csv jershred/SAF.PA.csv jershred/AIR.PA.csv \
         redart/AIR.PA.csv redart/SAF.PA.csv redart/HO.PA.csv sbam/LDO.MI.csv sbam/BA.L.csv \
         magiccpp/RHM.DE.csv magiccpp/BA.L.csv magiccpp/RR.L.csv ajah/RR.L.csv \
         seemayer-2022/BA.L.csv seemayer-2024/BA.L.csv seemayer-2024/RR.L.csv; do
  [ -r "$R/$f" ] || { echo "extract.sh: missing $R/$f" >&2; exit 66; }
done

# emit TICKER CCY FILE COLUMN DECIMALS FROMDATE TODATE [K]
#   prints date,ticker,close,ccy for FROMDATE<=date<=TODATE (clipped to FROM..TO) from the named
#   column, rounded to DECIMALS (2: the exchange's 0.01 tick, which removes float32 noise such as
#   103.5500030517578; 4: a source written with its own decimals, only binary noise removed).
#   K divides every value first (undoing a constant Yahoo dividend adjustment, see README).
#   Dropped and logged: rows with an empty/null/non-positive close, and stale rows (Volume 0 and
#   the same close as the previous row: a repeated quote, not a trade).
#   Logs one SERIES line: span, rows, the largest relative change rounding made and how many
#   values were off the 0.01 grid before it (>= 0.0005 from it), so that a rounding that moved a
#   real price shows up.
emit() {
  awk -F, -v T="$1" -v C="$2" -v SRC="$3" -v COL="$4" -v DP="$5" -v A="$6" -v B="$7" \
      -v K="${8:-1}" -v F0="$FROM" -v T0="$TO" '
  function fmt(x,  s) { s = sprintf("%." DP "f", x); if (s ~ /\./) { sub(/0+$/, "", s); sub(/\.$/, "", s) }; return s }
  { sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); col[h] = i }
            c = col[COL]; vc = col["Volume"]
            if (!c) { print "extract.sh: no column " COL " in " SRC > "/dev/stderr"; exit 65 }
            next }
  { d = $1; gsub(/"/, "", d)
    if (d < A || d > B || d < F0 || d > T0) next
    v = $c
    if (v == "" || v == "null" || v + 0 <= 0) {
      print "DROP " T " " d " empty/null close in " SRC ": " $0 > "/dev/stderr"; next }
    v = v / K
    if (vc && $vc + 0 == 0 && v == prev) {
      print "DROP " T " " d " stale zero-volume row (= close of " pd ") in " SRC ": " $0 > "/dev/stderr"; next }
    prev = v; pd = d
    out = fmt(v); ch = (out - v) / v; if (ch < 0) ch = -ch; if (ch > maxch) maxch = ch
    cents = v * 100 - int(v * 100 + 0.5); if (cents < 0) cents = -cents; if (cents >= 0.05) offgrid++
    if (!n++) first = d; last = d
    print d "," T "," out "," C }
  END { if (n) printf "SERIES %s %s %s%s: %s..%s, %d rows, rounded to %d decimals (largest change %.1e relative), %d off the 0.01 grid\n", T, SRC, COL, (K != 1 ? " / " K : ""), first, last, n, DP, maxch, offgrid > "/dev/stderr" }' "$R/$3"
}

# ratio LABEL FILE1 FILE2 [FROMDATE TODATE]: FILE2 Close / FILE1 Close on their common dates,
#   printed as steps (a new step where it moves by more than 1e-4): the factor of a Yahoo dividend
#   adjustment in FILE2 (steps at ex-dates) when FILE1 is unadjusted. On stdout "STEPS FACTOR": how
#   many steps there were and the factor of the last one (rounded to 7 digits); on stderr the steps.
ratio() {
  awk -F, -v L="$1" -v A="${4:-$FROM}" -v B="${5:-$TO}" '
    { sub(/\r$/, "") }
    FNR == 1 { f++; for (i = 1; i <= NF; i++) if ($i == "Close") c = i; next }
    { d = $1; if (d < A || d > B || $c == "" || $c == "null") next }
    f == 1 { v[d] = $c + 0; next }
    (d in v) { r = ($c + 0) / v[d]
      if (n && (r / lo > 1.0001 || r / hi < 0.9999)) step()
      if (!n++) { first = d; lo = r; hi = r }
      if (r < lo) lo = r; if (r > hi) hi = r; last = d }
    function step() { printf "RATIO %s %s..%s: %.7f (%d days, %.7f..%.7f)\n", L, first, last, (lo + hi) / 2, n, lo, hi > "/dev/stderr"; n = 0; steps++ }
    END { if (n) step(); printf "%d %.7f\n", steps, (lo + hi) / 2 }' "$R/$2" "$R/$3"
}

# ---- Airbus, Thales, MTU, Rheinmetall: mccdvd, unadjusted closes written as float32.
emit AIR.PA EUR mccdvd/AIR.PA.csv Close 2 0000 9999
emit HO.PA EUR mccdvd/HO.PA.csv Close 2 0000 9999
emit MTX.DE EUR mccdvd/MTX.DE.csv Close 2 0000 9999
emit RHM.DE EUR mccdvd/RHM.DE.csv Close 2 0000 9999

# ---- Safran: jershred (unadjusted Close) to 2023-07-28; its 2023-06-01 row is null. redart's Close
# carries Yahoo's adjustment for the 2024 dividend up to that ex-date (2024-05-27): there it is
# divided by its ratio to jershred, measured on the days both have from the 2023 ex-date
# (2023-05-30) to 2023-07-28, which must be one constant (one step). redart is unadjusted from
# 2024-05-27 on (Safran's next ex-date is after that download of 2025-05-12).
emit SAF.PA EUR jershred/SAF.PA.csv Close 4 0000 2023-07-28
set -- $(ratio "SAF.PA redart/jershred" jershred/SAF.PA.csv redart/SAF.PA.csv 2023-05-30 2023-07-28)
[ "$1" = 1 ] || { echo "extract.sh: redart/jershred for SAF.PA is not one constant factor" >&2; exit 65; }
k=$2
emit SAF.PA EUR redart/SAF.PA.csv Close 2 2023-06-01 2023-06-01 "$k"
emit SAF.PA EUR redart/SAF.PA.csv Close 2 2023-07-31 2024-05-24 "$k"
emit SAF.PA EUR redart/SAF.PA.csv Close 2 2024-05-27 9999

# ---- Leonardo: sbam Close (unadjusted; its Adj Close is not used).
emit LDO.MI EUR sbam/LDO.MI.csv Close 4 0000 9999

# ---- Rolls-Royce, BAE (pence): cooper to 2022-12-30, magiccpp from 2023-01-03 (Close, not Adj Close).
emit RR.L GBX cooper/Rolls-Royce_Stock_Data_5y.csv Close 4 0000 2022-12-31
emit RR.L GBX magiccpp/RR.L.csv Close 4 2023-01-01 9999
emit BA.L GBX cooper/BAE_Stock_Data_5y.csv Close 4 0000 2022-12-31
emit BA.L GBX magiccpp/BA.L.csv Close 4 2023-01-01 9999

# ---- Cross-checks (stderr only): same date in two sources, close differs by > 0.05%.
xcheck() { # LABEL FILE1 COL1 FILE2 COL2
  awk -F, -v L="$1" -v C1="$3" -v C2="$5" -v F0="$FROM" -v T0="$TO" '
    { sub(/\r$/, "") }
    FNR == 1 { f++; for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (h == (f == 1 ? C1 : C2)) c = i }; next }
    { d = $1; gsub(/"/, "", d); if (d < F0 || d > T0 || $c == "" || $c == "null") next }
    f == 1 { v[d] = $c + 0; next }
    (d in v) { n++; r = ($c + 0) / v[d]
      if (r > 1.0005 || r < 0.9995) { bad++; print "XCHECK " L " " d ": " v[d] " vs " $c > "/dev/stderr" } }
    END { printf "XCHECK %s: %d common dates, %d differ\n", L, n, bad + 0 > "/dev/stderr" }' \
    "$R/$2" "$R/$4"
}
xcheck "AIR.PA mccdvd/cooper" mccdvd/AIR.PA.csv Close cooper/Airbus_Stock_Data_5y.csv Close
xcheck "AIR.PA mccdvd/jershred" mccdvd/AIR.PA.csv Close jershred/AIR.PA.csv Close
xcheck "RHM.DE mccdvd/magiccpp" mccdvd/RHM.DE.csv Close magiccpp/RHM.DE.csv Close
xcheck "RR.L cooper/ajah" cooper/Rolls-Royce_Stock_Data_5y.csv Close ajah/RR.L.csv Close
xcheck "RR.L magiccpp/cooper" magiccpp/RR.L.csv Close cooper/Rolls-Royce_Stock_Data_5y.csv Close
xcheck "RR.L magiccpp/ajah" magiccpp/RR.L.csv Close ajah/RR.L.csv Close
xcheck "RR.L magiccpp/seemayer-2024" magiccpp/RR.L.csv Close seemayer-2024/RR.L.csv Close
xcheck "BA.L cooper/sbam" cooper/BAE_Stock_Data_5y.csv Close sbam/BA.L.csv Close
xcheck "BA.L cooper/seemayer-2022" cooper/BAE_Stock_Data_5y.csv Close seemayer-2022/BA.L.csv Close
xcheck "BA.L magiccpp/cooper" magiccpp/BA.L.csv Close cooper/BAE_Stock_Data_5y.csv Close
xcheck "BA.L magiccpp/seemayer-2024" magiccpp/BA.L.csv Close seemayer-2024/BA.L.csv Close
xcheck "BA.L magiccpp/sbam" magiccpp/BA.L.csv Close sbam/BA.L.csv Close
# Dividend-adjusted sources against the unadjusted series: the steps of the factor fall on the
# companies' ex-dates (Thales: interim in December, final in May), which shows that mccdvd is
# the unadjusted series and that the days between steps agree to 1e-4.
ratio "HO.PA redart/mccdvd" mccdvd/HO.PA.csv redart/HO.PA.csv >/dev/null
ratio "AIR.PA redart/mccdvd" mccdvd/AIR.PA.csv redart/AIR.PA.csv >/dev/null
