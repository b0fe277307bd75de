#!/bin/sh
# libreoffice.sh: the workbooks open in a spreadsheet program that is not the writer's, and show
# what they hold. LibreOffice (Debian libreoffice-calc-nogui), headless, prints compute's workbook,
# the series' (with its chart) and the report bundle's report.xlsx to PDF; the first page of each,
# rendered by pdftoppm (poppler-utils), must not be blank (tests/report/png_not_blank.py), and its
# text must hold the index's name and its level as compute gives them.
# Skipped (exit 77) without soffice or pdftoppm unless DEFIDX_REQUIRE_OFFICE=1, as CI sets.
# Usage: sh libreoffice.sh DEFIDX DATA_DIR     (ctest runs it as xlsx_libreoffice, label office)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
for tool in soffice pdftoppm pdftotext; do
    if ! command -v $tool >/dev/null 2>&1; then
        if [ "${DEFIDX_REQUIRE_OFFICE:-0}" = 1 ]; then
            echo "FAIL: $tool is not installed (apt-get install libreoffice-calc-nogui poppler-utils)"
            exit 1
        fi
        echo "SKIP: $tool is not installed"
        exit 77
    fi
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
HOME=$tmp # LibreOffice's profile, not the user's
export HOME
failures=0
fail() {
    failures=$((failures + 1))
    echo "FAIL: $*"
}
level=$("$bin" compute -O json --index "$data/index.json" | sed -n 's/^ *"level": \([0-9.]*\),*$/\1/p' | head -n 1)
level=$(printf '%.2f' "$level")
"$bin" compute --index "$data/index.json" -o compute.xlsx || fail "compute -o compute.xlsx"
"$bin" series --index "$data/index.json" -o series.xlsx || fail "series -o series.xlsx"
"$bin" report --index "$data/index.json" --out-dir bundle || fail "report"
cp bundle/latest/report.xlsx report.xlsx
for book in compute series report; do
    # a hang guard, not a speed test: a conversion takes seconds
    timeout 300 soffice --headless --convert-to pdf --outdir . "$book.xlsx" >soffice.log 2>&1
    [ -s "$book.pdf" ] || { fail "$book.xlsx: soffice printed no PDF"; cat soffice.log; continue; }
    pdftoppm -png -r 60 -f 1 -l 1 "$book.pdf" "$book" || { fail "$book.pdf: pdftoppm failed"; continue; }
    python3 "$here/../report/png_not_blank.py" "$book"-*1.png || fail "$book.xlsx prints blank"
    text=$(pdftotext "$book.pdf" -)
    case $book in
    series) want=$level ;;
    *) want="Europe Aerospace & Defence" ;;
    esac
    printf '%s\n' "$text" | grep -qF "$want" || fail "$book.xlsx: '$want' is not in what LibreOffice prints"
done
[ "$failures" -eq 0 ] && echo "the three workbooks print in LibreOffice"
exit $((failures > 0))
