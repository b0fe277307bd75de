#!/bin/sh
# factsheet.sh: the factsheet prints on exactly one A4 page and shows something. Headless Chromium
# prints each page to PDF (--print-to-pdf, the page's own @page size and margins); pdfinfo
# (poppler-utils) must count 1 page of A4 (595 x 842 pt); a screenshot of the demo's page must not
# be blank (png_not_blank.py). Pages printed: the bundled demo's, with --benchmark; the twelve real
# constituents of common.sh (long names, seven stale prices, two since dates); and the report
# bundle's factsheet.html. Skipped (exit 77) without chromium or pdfinfo unless
# DEFIDX_REQUIRE_CHROMIUM=1, as CI sets.
. "$(dirname "$0")/common.sh"

find_browser
if [ -z "$browser" ] || ! command -v pdfinfo >/dev/null 2>&1; then
    if [ "${DEFIDX_REQUIRE_CHROMIUM:-0}" = 1 ]; then
        echo "FAIL: chromium and pdfinfo are needed (apt-get install chromium poppler-utils)"
        exit 1
    fi
    echo "SKIP: chromium or pdfinfo is not installed"
    exit 77
fi
HOME=$tmp
export HOME
run=
command -v timeout >/dev/null 2>&1 && run="timeout 300" # a hang guard, not a speed test
browse() {
    $run "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$tmp/profile" "$@" 2>>browser.log
}

# one_page NAME: NAME.html printed to NAME.pdf is one A4 page.
one_page() {
    browse --no-pdf-header-footer --print-to-pdf="$tmp/$1.pdf" "file://$tmp/$1.html"
    [ -s "$1.pdf" ] || { fail "$1: chromium printed no PDF"; return; }
    pages=$(pdfinfo "$1.pdf" | awk '/^Pages:/ { print $2 }')
    size=$(pdfinfo "$1.pdf" | awk '/^Page size:/ { printf "%d x %d", $3 + 0.5, $5 + 0.5 }')
    [ "$pages" = 1 ] || fail "$1: $pages pages, not one"
    [ "$size" = "595 x 842" ] || fail "$1: page size $size pt, not A4 (595 x 842)"
}

"$bin" factsheet --index "$data/index.json" --as-of 2025-02-20 --benchmark "$data/stoxx600.csv" \
    -o demo.html 2>stderr || { fail "the demo's factsheet failed"; cat stderr; }
one_page demo
browse --window-size=794,1123 --screenshot="$tmp/demo.png" "file://$tmp/demo.html"
python3 "$here/png_not_blank.py" demo.png || fail "the demo's factsheet looks blank"

eval "files=\$twelve_files"
# shellcheck disable=SC2086 # the list is split on purpose
"$bin" factsheet $twelve_args --index "$defs/twelve.json" --fx "$real/ecb/eurofxref-hist.csv" $files \
    -o twelve.html 2>stderr || { fail "the twelve's factsheet failed"; cat stderr; }
grep -q 'class="stale"' twelve.html || fail "the twelve's factsheet does not mark its stale prices"
one_page twelve

report out --as-of 2025-02-28 || fail "report failed"
cp out/latest/factsheet.html bundle.html || fail "the bundle has no factsheet.html"
one_page bundle
finish
