#!/bin/sh
# bundle.sh: `defidx report` on the bundled data writes the ten files, silently, points latest at
# the as-of date, and its numbers are those of `defidx compute -O csv` (checked here with awk and
# sort, not with defidx's own code). --print writes exactly report.txt to stdout.
. "$(dirname "$0")/common.sh"

report out --as-of 2025-02-28 >stdout 2>stderr
code=$?
[ "$code" -eq 0 ] || { fail "exit status $code"; cat stderr; finish; }
[ -s stdout ] && fail "report wrote to stdout without --print"
[ -s stderr ] && { fail "report wrote to stderr"; cat stderr; }
b=out/2025-02-28
for f in $files; do
    [ -f "$b/$f" ] && [ -s "$b/$f" ] || fail "$b/$f is missing or empty"
done
[ -L out/latest ] || fail "out/latest is not a symbolic link"
[ "$(readlink out/latest)" = 2025-02-28 ] || fail "out/latest points at '$(readlink out/latest)'"
[ -z "$(leftovers out)" ] || fail "left in out: $(leftovers out)"
[ "$(ls "$b" | wc -l)" -eq 10 ] || fail "$b holds more than the ten files: $(ls "$b")"

# Permissions as any new file and directory (umask 022 here).
[ "$(ls -ld "$b" | cut -c1-10)" = drwxr-xr-x ] || fail "$b: $(ls -ld "$b")"
for f in $files; do
    [ "$(ls -l "$b/$f" | cut -c1-10)" = -rw-r--r-- ] || fail "$b/$f: $(ls -l "$b/$f")"
done

compute -O csv --as-of 2025-02-28 >compute.csv || fail "defidx compute failed"

# returns.csv: the index's rows of compute -O csv (period, base_date, base_value, return).
{
    echo "period,base_date,base_level,return"
    awk -F, '$1 == "index" { print $5 "," $8 "," $9 "," $10 }' compute.csv
} >want_returns.csv
[ "$(wc -l <want_returns.csv)" -gt 3 ] || fail "compute -O csv has too few index rows"
cmp -s want_returns.csv "$b/returns.csv" || { fail "returns.csv"; diff want_returns.csv "$b/returns.csv"; }

# constituents.csv: price, weight, return and contribution of each period, as compute -O csv has
# them (no name in the bundled data holds a comma, so splitting at commas is safe here).
awk -F, '
    NR == FNR {
        if ($1 == "constituent") {
            put($2 ",price", $7); put($2 ",weight", $11)
            put($2 ",return_" $5, $10); put($2 ",contribution_" $5, $12)
        }
        next
    }
    FNR == 1 { for (i = 1; i <= NF; i++) col[i] = $i; next }
    {
        for (i = 1; i <= NF; i++) {
            key = $1 "," col[i]
            if (key in want) {
                if (want[key] != $i) { print "constituents.csv: " key " is " $i ", compute says " want[key]; bad++ }
                seen++
            }
        }
    }
    function put(key, value) { if (!(key in want)) keys++; want[key] = value }
    END { if (seen != keys) { print "compared " seen " values of " keys; bad++ } exit bad > 0 }
' compute.csv "$b/constituents.csv" || fail "constituents.csv differs from compute -O csv"
[ "$(($(wc -l <"$b/constituents.csv") - 1))" -eq "$(awk -F, '$1 == "constituent" && $5 == "1d"' compute.csv | wc -l)" ] ||
    fail "constituents.csv has not one row per constituent"

# returns.json: defidx compute -O json, with the breakdowns by country and segment that the
# factsheet's bars and the report's country table are made from.
compute -O json --as-of 2025-02-28 --by country --by segment >compute.json
cmp -s compute.json "$b/returns.json" || fail "returns.json is not what compute -O json writes"

# The movers: the three best and worst by their wtd return, ties by ticker, by sort(1).
awk -F, '$1 == "constituent" && $5 == "wtd" && $10 != "" { print $2 "," $10 }' compute.csv >wtd.csv
sort -t, -k2,2gr -k1,1 wtd.csv | head -n 3 | cut -d, -f1 >want_top
sort -t, -k2,2g -k1,1 wtd.csv | head -n 3 | cut -d, -f1 >want_bottom
[ "$(wc -l <want_top)" -eq 3 ] || fail "fewer than 3 constituents with a wtd return"
# section TITLE FILE: the tickers of the table under TITLE in report.txt (after header and rule).
section() {
    awk -v title="$1" '
        $0 == title { on = 1; skip = 3; next }
        on && skip > 0 { skip--; if (skip == 0 && $0 == "") on = 0; next }
        on && $0 == "" { exit }
        on { print $1 }
    ' "$2"
}
section "Top movers this week" "$b/report.txt" >got_top
section "Bottom movers this week" "$b/report.txt" >got_bottom
cmp -s want_top got_top || { fail "top movers"; diff want_top got_top; }
cmp -s want_bottom got_bottom || { fail "bottom movers"; diff want_bottom got_bottom; }
# The same tickers, in the same order, in the Markdown and the HTML.
for t in $(cat want_top want_bottom); do
    grep -q "^| $t " "$b/report.md" || fail "report.md has no row for mover $t"
done
awk '/<h2>Top movers this week/,/<\/table>/' "$b/report.html" | sed -n 's/^<tr><td>\([^<]*\)<.*/\1/p' >html_top
cmp -s want_top html_top || { fail "top movers in report.html"; diff want_top html_top; }

# The report shows level, periods, all-time high, drawdown, constituents and the chart.
grep -q "^As of 2025-02-28 *level" "$b/report.txt" || fail "report.txt has no level line"
grep -q "All-time high" "$b/report.txt" || fail "report.txt has no all-time high"
grep -q "drawdown" "$b/report.txt" || fail "report.txt has no drawdown"
grep -q "^since:2022-02-23 " "$b/report.txt" || fail "report.txt has no since period"
grep -q "^AIR.PA " "$b/report.txt" || fail "report.txt has no constituents table"
grep -q "$(printf '\033')" "$b/report.txt" && fail "report.txt holds escape sequences (colour)"
# report.txt fits in mail: no line wider than 100 characters (UTF-8 continuation bytes removed,
# every other byte is one character).
w=$(LC_ALL=C tr -d '\200-\277' <"$b/report.txt" | LC_ALL=C awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }')
[ "$w" -le 100 ] || fail "report.txt has a line of $w characters"
grep -q "^Generated" "$b/report.txt" && fail "report.txt has a Generated line without --stamp"
grep -qxF '![chart](chart.svg)' "$b/report.md" || fail "report.md does not show chart.svg"
head -c 200 "$b/chart.svg" | grep -q "<svg" || fail "chart.svg is not an SVG"
grep -q "<svg" "$b/report.html" || fail "report.html does not inline the chart"
grep -q "<?xml" "$b/report.html" && fail "report.html holds an XML declaration"
grep -q "chart.png" "$b/report.html" && fail "report.html refers to chart.png, which does not exist"
grep -q '<style>' "$b/report.html" || fail "report.html has no inline CSS"
grep -Eiq '<link|<script|src="https?:|href="https?:' "$b/report.html" && fail "report.html is not self-contained"

# --print: report.txt on stdout, and nothing else.
report print --print --as-of 2025-02-28 >stdout 2>stderr || fail "report --print failed: $(cat stderr)"
cmp -s stdout print/2025-02-28/report.txt || fail "--print did not write report.txt to stdout"
cmp -s stdout "$b/report.txt" || fail "--print changed report.txt"

# Errors: an out-dir that cannot be created is exit 73 with a message and a hint.
: >not_a_dir
report not_a_dir/out --as-of 2025-02-28 >stdout 2>stderr
code=$?
[ "$code" -eq 73 ] || fail "an impossible --out-dir: exit $code, expected 73"
grep -q "hint" stderr || fail "no hint in: $(cat stderr)"
# A bundle directory in the way as a file: exit 73, latest unchanged, no staging left.
mkdir blocked && : >blocked/2025-02-28
report blocked --as-of 2025-02-28 >stdout 2>stderr
code=$?
[ "$code" -eq 73 ] || fail "a file in the bundle's place: exit $code, expected 73"
[ -e blocked/latest ] && fail "latest was made though the bundle failed"
[ -z "$(leftovers blocked)" ] || fail "left in blocked: $(leftovers blocked)"
finish
