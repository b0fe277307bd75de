#!/bin/sh
# The same five closes (2025-02-17..21) in every recognised shape must give the same index. Each
# file is named with the ticker its instrument gets: single-instrument files are given --ticker.
d=../../data
set -- \
    fmt_yahoo.csv:SXAP:--ticker=SXAP fmt_stooq.csv:SXAP:--ticker=SXAP fmt_stooq_pl.csv:SXAP:--ticker=SXAP \
    fmt_ariva.csv:SXAP:--ticker=SXAP fmt_investing.csv:SXAP:--ticker=SXAP \
    fmt_investing_mdy.csv:SXAP:--ticker=SXAP fmt_stoxx.csv:SXAP: fmt_wide.csv:SXAP: fmt_long.csv:SXAP: \
    fmt_ecb.csv:KRW:
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
first=""
for entry; do
    file=${entry%%:*}; rest=${entry#*:}; ticker=${rest%%:*}; option=${rest#*:}
    printf '{"currency":"EUR","constituents":[{"ticker":"%s","currency":"EUR"}]}\n' "$ticker" > "$tmp/index.json"
    $DEFIDX series -q -O csv --index "$tmp/index.json" $option "$d/$file" | cut -d, -f1-3 > "$tmp/$file.out" || exit 1
    if [ -z "$first" ]; then first=$file; cat "$tmp/$file.out"; fi
    cmp -s "$tmp/$first.out" "$tmp/$file.out" || { echo "$file differs:"; cat "$tmp/$file.out"; }
done
echo "$# CSV shapes agree"

# The JSON shapes hold another five closes (1230.10, 1234.50, 1229.00, 1241.75, 1238.20).
set -- fmt_alphavantage.json:--ticker=RHM.DE fmt_twelvedata.json:--ticker=RHM.DE fmt_eod.json:--ticker=RHM.DE \
    fmt_records.json: fmt_series.json:
first=""
for entry; do
    file=${entry%%:*}; option=${entry#*:}
    printf '{"currency":"EUR","constituents":[{"ticker":"RHM.DE","currency":"EUR"}]}\n' > "$tmp/index.json"
    $DEFIDX series -q -O csv --index "$tmp/index.json" $option "$d/$file" | cut -d, -f1-3 > "$tmp/$file.out" || exit 1
    if [ -z "$first" ]; then first=$file; cat "$tmp/$file.out"; fi
    cmp -s "$tmp/$first.out" "$tmp/$file.out" || { echo "$file differs:"; cat "$tmp/$file.out"; }
done
echo "$# JSON shapes agree"
