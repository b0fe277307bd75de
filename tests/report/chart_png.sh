#!/bin/sh
# chart_png.sh: mail shows no SVG, so a chart.png made beside the bundle (rsvg-convert -o chart.png
# chart.svg, Debian package librsvg2-bin) is what report.html shows once the report runs again on
# the same data; a rerun that draws another chart drops the PNG, which would show the old one.
. "$(dirname "$0")/common.sh"

report out --as-of 2025-02-28 || fail "the first run failed"
b=out/2025-02-28
if command -v rsvg-convert >/dev/null 2>&1; then
    (cd "$b" && rsvg-convert -o chart.png chart.svg) || fail "rsvg-convert failed on chart.svg"
    [ "$(head -c 4 "$b/chart.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
        fail "rsvg-convert made no PNG"
else
    printf '\211PNG\r\n\032\n' >"$b/chart.png" # a stand-in: only its existence matters here
fi
cp "$b/chart.png" png.keep
report out --as-of 2025-02-28 || fail "the rerun failed"
grep -q '<img src="chart.png" alt="[^"]' "$b/report.html" || fail "report.html does not show chart.png"
grep -q '<svg' "$b/report.html" && fail "report.html still inlines the SVG"
cmp -s png.keep "$b/chart.png" || fail "the rerun changed chart.png"
[ -f "$b/chart.svg" ] || fail "chart.svg is gone"
grep -qxF '![chart](chart.svg)' "$b/report.md" || fail "report.md"

# A rerun with other numbers draws another chart: the old PNG would show the old one, so it goes
# and report.html inlines the new SVG again.
report out --as-of 2025-02-28 --weighting equal || fail "the rerun with other weights failed"
[ -e "$b/chart.png" ] && fail "a chart.png of the old chart stays beside the new chart.svg"
grep -q '<img src="chart.png"' "$b/report.html" && fail "report.html shows the old chart.png"
grep -q '<svg' "$b/report.html" || fail "report.html does not inline the new SVG"
finish
