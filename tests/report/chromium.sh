#!/bin/sh
# chromium.sh: report.html renders in a real browser and fits a 1280 px wide window.
# - Width: a copy of the page gets a script (the report itself has none) that, once laid out in a
#   headless Chromium window of 1280 x 2000 px, writes into the page what it measured: the
#   viewport's width (window.innerWidth, which must be 1280, or the window size did not apply),
#   the document's scrollWidth (more than 1280: the page scrolls sideways), every element that
#   scrolls sideways inside itself (scrollWidth > clientWidth where overflow-x is not visible: an
#   overflow-x:auto wrapper hides the overflow from the document's scrollWidth but not from this)
#   and every element whose box reaches past the window's right edge; and the values and dates of
#   the key-figure cards and the entries "RR.L (2025-05-01)" of the stale prices' banner that take
#   more than one line or are not kept on one (white-space:nowrap), here and in a phone's 360 px. --dump-dom prints the page after the script ran; the test reads
#   the measures from it. Both the bundled data's report and the twelve real constituents with long
#   names (common.sh) are measured.
# - Drawing: a screenshot of the bundled report is decoded (python3's zlib, no other module) to
#   prove that something was drawn: many colours (the chart, the red and green returns) and dark
#   pixels (text).
# Skipped (exit 77) without chromium (Debian package chromium) unless DEFIDX_REQUIRE_CHROMIUM=1, as
# CI sets. KEEP=1 keeps the screenshots (report.png, twelve.png in the printed directory) to look at.
. "$(dirname "$0")/common.sh"

find_browser
if [ -z "$browser" ]; then
    if [ "${DEFIDX_REQUIRE_CHROMIUM:-0}" = 1 ]; then
        echo "FAIL: chromium is not installed (apt-get install chromium) and DEFIDX_REQUIRE_CHROMIUM=1"
        exit 1
    fi
    echo "SKIP: chromium is not installed"
    exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "FAIL: python3 is needed to decode the screenshot"; exit 1; }

report out --as-of 2025-02-28 || fail "report failed"
real_report twelve twelve
[ "$code" -eq 65 ] || { fail "the twelve's report: exit $code, expected 65 (stale prices)"; cat stderr; }
HOME=$tmp
export HOME
# A hung browser must not hang the test suite. A hang guard, not a speed test: one screenshot of a
# local page takes seconds, so 300 s are reached only by a browser that hangs, never by a slow one.
run=
command -v timeout >/dev/null 2>&1 && run="timeout 300"
browse() {
    $run "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$tmp/profile" "$@" 2>>browser.log
}

# The measuring script, put before </body> of a copy of the page (beside it, so that chart.png
# would load as it does for the page itself).
measure='<script>
(function () {
  var outside = [], scrollers = [];
  document.querySelectorAll("body *").forEach(function (e) {
    if (e.closest("svg")) return; /* an SVG clips what it draws */
    var name = e.tagName.toLowerCase() + (e.className ? "." + e.className : "");
    if (e.getBoundingClientRect().right > window.innerWidth + 0.5) outside.push(name);
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
      scrollers.push(name + ":" + e.scrollWidth + ">" + e.clientWidth);
  });
  /* the values and dates of the cards and the entries of the stale prices: on one line each, and
     kept so (white-space:nowrap) */
  var wrapped = [], breakable = [];
  document.querySelectorAll(".card .value, .card .note, .stale .nw").forEach(function (e) {
    var r = document.createRange();
    r.selectNodeContents(e);
    var lines = {};
    Array.prototype.forEach.call(r.getClientRects(), function (b) { lines[Math.round(b.top)] = 1; });
    if (Object.keys(lines).length > 1) wrapped.push(e.textContent);
    if (getComputedStyle(e).whiteSpace !== "nowrap") breakable.push(e.textContent);
  });
  var p = document.createElement("pre");
  p.id = "measured";
  p.textContent = "viewport=" + window.innerWidth + " scrollWidth=" +
    document.documentElement.scrollWidth + " scrollers=" + scrollers.join(",") +
    " outside=" + outside.join(",") + " wrapped=" + wrapped.join(",") +
    " breakable=" + breakable.join(",");
  document.body.appendChild(p);
})();
</script>'

for page in out/2025-02-28 twelve/2025-08-01; do
    [ -f "$page/report.html" ] || { fail "$page/report.html is missing"; continue; }
    awk -v script="$measure" '/^<\/body>/ { print script } { print }' "$page/report.html" >"$page/measure.html"
    browse --dump-dom --window-size=1280,2000 "file://$tmp/$page/measure.html" >dom.html
    m=$(sed -n 's/.*<pre id="measured">\([^<]*\)<\/pre>.*/\1/p' dom.html)
    [ -n "$m" ] || { fail "$page: the measuring script wrote nothing"; tail -n 20 browser.log; continue; }
    echo "$page at 1280 px: $m"
    case $m in
    "viewport=1280 "*) ;;
    *) fail "$page: the window is not 1280 px wide: $m" ;;
    esac
    w=$(printf '%s\n' "$m" | sed 's/.* scrollWidth=\([0-9]*\) .*/\1/')
    [ "$w" -le 1280 ] || fail "$page: the page is $w px wide, it scrolls sideways at 1280 px"
    case $m in
    *" scrollers= outside= "*) ;;
    *) fail "$page: something scrolls or reaches past 1280 px: $m" ;;
    esac
    case $m in
    *" wrapped= breakable=") ;;
    *) fail "$page: a card's value or date may break across lines: $m" ;;
    esac
    # In a phone's width the page may scroll, but no date in a card breaks.
    browse --dump-dom --window-size=360,2000 "file://$tmp/$page/measure.html" >dom.html
    m=$(sed -n 's/.*<pre id="measured">\([^<]*\)<\/pre>.*/\1/p' dom.html)
    case $m in
    *" wrapped= breakable=") ;;
    *) fail "$page at 360 px: a card's value or date breaks across lines: $m" ;;
    esac
done

browse --screenshot="$tmp/report.png" --window-size=1280,2200 "file://$tmp/out/2025-02-28/report.html"
browse --screenshot="$tmp/twelve.png" --window-size=1280,2400 "file://$tmp/twelve/2025-08-01/report.html"
[ -s report.png ] || { fail "$browser made no screenshot"; tail -n 20 browser.log; finish; }

python3 "$(dirname "$0")/png_not_blank.py" report.png || fail "the screenshot looks blank"
finish
