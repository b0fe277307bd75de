#!/bin/sh
# dividends.sh REALDATA_DIR [FROM [TO]]
# Extracts data/actions.csv's rows: the cash dividends (ex-date, amount per share in the quote
# currency) that the Yahoo downloads in REALDATA_DIR record in a Dividend(s) column, as
# "date,ticker,cash_dividend,amount,withholding" on stdout, no header, unsorted; cross-checks of
# sources that overlap on stderr. POSIX sh + awk only. See data/README.md.
set -eu
R=${1:?usage: dividends.sh REALDATA_DIR [FROM [TO]]}
FROM=${2:-2021-12-01}
TO=${3:-2025-02-28}

# divs TICKER WITHHOLDING FILE COLUMN FROMDATE TODATE: the rows with a positive amount, rounded to
# 4 decimals to remove Yahoo's float noise (16.599998 is 16.6). WITHHOLDING is the rate --return net
# deducts: the statutory rate on dividends to non-residents (see README).
divs() {
  awk -F, -v T="$1" -v W="$2" -v COL="$4" -v A="$5" -v B="$6" -v F0="$FROM" -v T0="$TO" '
    function fmt(x,  s) { s = sprintf("%.4f", x); sub(/0+$/, "", s); sub(/\.$/, "", s); return s }
    { sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == COL) c = i
              if (!c) { print "dividends.sh: no column " COL " in " FILENAME > "/dev/stderr"; exit 65 }
              next }
    $1 >= A && $1 <= B && $1 >= F0 && $1 <= T0 && $c + 0 > 0 {
      print $1 "," T ",cash_dividend," fmt($c) "," W }' "$R/$3"
}
# BAE: sbam has no prices after mid-2023 but still the dividend rows; magiccpp from 2023.
divs BA.L 0 sbam/BA.L.csv Dividend 0000 2022-12-31
divs BA.L 0 magiccpp/BA.L.csv Dividends 2023-01-01 9999
divs LDO.MI 0.26 sbam/LDO.MI.csv Dividend 0000 9999
# Rheinmetall: magiccpp starts in 2023, so its 2022 dividend is missing (no source here).
divs RHM.DE 0.26375 magiccpp/RHM.DE.csv Dividends 0000 9999
divs RR.L 0 magiccpp/RR.L.csv Dividends 0000 9999

# Cross-check: BAE's two sources agree on every ex-date and amount from 2023 on.
{ divs BA.L 0 sbam/BA.L.csv Dividend 2023-01-01 9999; echo; divs BA.L 0 magiccpp/BA.L.csv Dividends 2023-01-01 9999; } |
  awk 'NF == 0 { f = 1; next } !f { a[$0] = 1; n++; next } { m++; if ($0 in a) same++ }
       END { printf "XCHECK BA.L dividends sbam/magiccpp: %d and %d rows, %d identical\n", n, m, same + 0 > "/dev/stderr" }'
