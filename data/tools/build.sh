#!/bin/sh
# build.sh REALDATA_DIR [OUT_DIR] - rebuilds prices.csv, fx.csv, actions.csv, stoxx600.csv and tools/extract.log
# in OUT_DIR (default: this data/ folder) from the real downloads in REALDATA_DIR, byte for byte the
# same each run. Run from the repository root:   sh data/tools/build.sh tests/realdata
# (the test data_reproducible builds from the copy in tests/realdata into a temporary OUT_DIR and
# compares). Needs: POSIX sh, awk, sort. data/index.json is written by hand (see data/README.md).
set -eu
R=${1:?usage: build.sh REALDATA_DIR [OUT_DIR]}
T=$(dirname "$0")
D=${2:-$T/..}
FROM=2021-12-01 TO=2025-02-28
mkdir -p "$D/tools"
trap 'rm -f "$D/rows.tmp" "$D/out.tmp"' EXIT INT TERM

# sorted HEADER OUTPUT: writes HEADER and the rows of rows.tmp, sorted by date then ticker in the C
# locale (independent of the user's), to OUTPUT, replacing it only once it is complete.
sorted() {
  { echo "$1"; LC_ALL=C sort -t, -k1,1 -k2,2 "$D/rows.tmp"; } > "$D/out.tmp"
  mv "$D/out.tmp" "$2"
}
# The extractors write to a file first: a failure then stops the build (set -e), which a pipe into
# sort would hide.
sh "$T/extract.sh" "$R" $FROM $TO > "$D/rows.tmp" 2> "$D/tools/extract.log"
sorted "date,ticker,close,currency" "$D/prices.csv"
sh "$T/dividends.sh" "$R" $FROM $TO > "$D/rows.tmp" 2>> "$D/tools/extract.log"
sorted "date,ticker,type,value,value2" "$D/actions.csv"
# ECB reference rates: header + rows 2021-11-01..TO copied verbatim (newest first), so that the
# first prices have a rate a month before them.
awk -F, -v LAST="$TO" 'NR == 1 || ($1 >= "2021-11-01" && $1 <= LAST)' "$R/ecb/eurofxref-hist.csv" \
  > "$D/out.tmp"
mv "$D/out.tmp" "$D/fx.csv"
# The benchmark: the STOXX Europe 600 (Yahoo's ^STOXX, in EUR), closes FROM..TO rounded to 0.01 (the
# file writes float32 noise: 247.07000732421875 is 247.07), as a long CSV that names its currency.
awk -F, -v FIRST="$FROM" -v LAST="$TO" '
  NR == 1 { print "date,ticker,close,currency"; next }
  $1 >= FIRST && $1 <= LAST && $2 != "" { printf "%s,^STOXX,%.2f,EUR\n", $1, $2 }
' "$R/alitalbi/^STOXX.csv" > "$D/out.tmp"
mv "$D/out.tmp" "$D/stoxx600.csv"
