#!/bin/sh
# build.sh REALDATA_DIR - rebuild data/prices.csv, data/fx.csv and data/tools/extract.log.
# Run from the repository root:   sh data/tools/build.sh tests/realdata
# Needs: POSIX sh, awk, sort, cc (C11) and libm. Deterministic output.
set -eu
R=${1:?usage: build.sh REALDATA_DIR}
D=$(dirname "$0")/..
TMP=${TMPDIR:-/tmp}/defidx-gendata.$$
trap 'rm -f "$TMP"' EXIT INT TERM
cc -std=c11 -O2 -o "$TMP" "$D/tools/gendata.c" -lm
{
  echo "date,ticker,close,currency"
  { sh "$D/tools/extract.sh" "$R" 2021-12-01 2025-02-28 2>"$D/tools/extract.log"
    "$TMP" 20211201
  } | LC_ALL=C sort -t, -k1,1 -k2,2
} > "$D/prices.csv.tmp" && mv "$D/prices.csv.tmp" "$D/prices.csv"
# ECB reference rates: header + rows 2021-11-01..2025-02-28, copied verbatim (newest first).
awk -F, 'NR == 1 || ($1 >= "2021-11-01" && $1 <= "2025-02-28")' "$R/ecb/eurofxref-hist.csv" \
  > "$D/fx.csv.tmp" && mv "$D/fx.csv.tmp" "$D/fx.csv"
