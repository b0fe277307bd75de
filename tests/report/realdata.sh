#!/bin/sh
# realdata.sh: `defidx report` on real closes where some prices end weeks before the as-of date
# (the cases stale7 and twelve of common.sh): the banner and exit 65 naming the stale prices, the
# movers, the width of report.txt. What each file holds is worked out here from the price files
# with awk, not with defidx.
. "$(dirname "$0")/common.sh"

# widest FILE: the widest line of FILE in characters: UTF-8 continuation bytes (10xxxxxx) removed,
# every other byte is one character.
widest() {
    LC_ALL=C tr -d '\200-\277' <"$1" | LC_ALL=C awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }'
}

# closes FILES...: for each price file "TICKER LAST_DATE CLOSE_AT_AS_OF CLOSE_AT_WEEK_BASE", where
# the as-of date is 2025-08-01 and the week's base is the last close before Monday 2025-07-28
# (the ticker is the file name without .csv; Close is found by its header).
closes() {
    for f in "$@"; do
        t=${f##*/}
        awk -F, -v t="${t%.csv}" '
            NR == 1 { for (i = 1; i <= NF; i++) if ($i == "Close") c = i; next }
            $c == "" || $c == "null" { next }
            $1 <= "2025-08-01" { last = $1; now = $c }
            $1 <= "2025-07-27" { base = $c }
            END { print t, last, now, base }
        ' "$f"
    done
}

# The awk functions of the tests below: days since 1970-01-01 of a YYYY-MM-DD date (H. Hinnant's
# days_from_civil), and the business days (Monday to Friday) after one day up to another.
dates_awk='
    function days(s,   y, m, d, era, yoe, doy, doe) {
        y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
        y -= m <= 2; era = int(y / 400); yoe = y - era * 400
        doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
        doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
        return era * 146097 + doe - 719468
    }
    function business(from, to,   n, k) { # 1970-01-01 was a Thursday: (k + 3) % 7 < 5 on weekdays
        for (k = from + 1; k <= to; k++) n += (k + 3) % 7 < 5
        return n
    }'

# stale GAP: from the closes on stdin, "TICKER LAST_DATE" of each ticker whose last close is more
# than GAP business days before 2025-08-01, sorted by ticker.
stale() {
    awk -v gap="$1" "$dates_awk"'
        business(days($2), days("2025-08-01")) > gap { print $1, $2 }
    ' | sort
}

# movers: from the closes on stdin, the fresh tickers (last close at most 5 business days before
# 2025-08-01) by wtd return: the top list (best first, the better half, at most 3) to want_top and
# the bottom list (worst first, the rest, at most 3) to want_bottom.
movers() {
    awk "$dates_awk"'
        business(days($2), days("2025-08-01")) <= 5 { printf "%s %.10f\n", $1, $3 / $4 - 1 }
    ' | sort -k2,2gr -k1,1 >fresh
    n=$(wc -l <fresh)
    top=$(((n + 1) / 2)); [ "$top" -gt 3 ] && top=3
    bottom=$((n - top)); [ "$bottom" -gt 3 ] && bottom=3
    head -n "$top" fresh | cut -d' ' -f1 >want_top
    tail -n "$bottom" fresh | sort -k2,2g | cut -d' ' -f1 >want_bottom
}

# section TITLE FILE: the tickers listed under TITLE in report.txt (after its header and rule).
section() {
    awk -v title="$1" '
        $0 == title { on = 1; skip = 3; next }
        on && skip > 0 { skip--; next }
        on && ($0 == "" || $0 ~ /^((Top|Bottom) movers|Statistics|By country)/) { exit }
        on && $0 !~ /^No / { print $1 }
    ' "$2"
}

for case in stale7 twelve; do
    real_report $case $case
    b=$case/2025-08-01
    [ -f "$b/report.txt" ] || { fail "$case: no bundle (exit $code)"; cat stderr; continue; }
    [ "$(readlink $case/latest)" = 2025-08-01 ] || fail "$case: latest does not point at the bundle"
    eval "files=\$${case}_files"
    # shellcheck disable=SC2086
    closes $files >closes
    cp closes closes_$case

    # Stale prices: the bundle is written, then exit 65 with a message naming each of them.
    stale 5 <closes >want_stale
    [ -s want_stale ] || fail "$case: the test data has no stale price"
    [ "$code" -eq 65 ] || fail "$case: exit $code with stale prices, expected 65"
    n=$(wc -l <want_stale)
    grep -q "^defidx: $n stale prices, carried more than 5 business days to 2025-08-01: .*(hint: " stderr ||
        fail "$case: the message is: $(tail -n 1 stderr)"
    while read -r t d; do
        grep -qF "$t ($d)" stderr || fail "$case: the message does not name $t ($d)"
        # the banner of each report names it with its date (report.txt may break the line after it)
        for f in report.txt report.md report.html; do
            tr '\n' ' ' <"$b/$f" | sed 's/  */ /g' | grep -qF "$t ($d)" ||
                fail "$case: $f does not name $t ($d)"
        done
    done <want_stale
    grep -q "^Stale prices: " "$b/report.txt" || fail "$case: report.txt has no banner"
    tr '\n' ' ' <"$b/report.txt" | sed 's/  */ /g' |
        grep -q "): carried more than 5 business days to 2025-08-01 Period " ||
        fail "$case: report.txt's banner does not end with the limit and the date"
    grep -q '^> \*\*Stale prices:\*\* ' "$b/report.md" || fail "$case: report.md has no banner"
    grep -q '<p class="stale" role="alert"><strong>Stale prices:</strong> ' "$b/report.html" ||
        fail "$case: report.html has no banner"
    # constituents.csv: the stale column (the last) says 1 for exactly those (no name in these
    # definitions holds a comma); returns.json: the same in "stale".
    awk -F, 'NR == 1 { if ($NF != "stale") print "no stale column: " $NF; next }
             $NF == "1" { print $1 }' "$b/constituents.csv" | sort >got
    cut -d' ' -f1 want_stale | cmp -s - got || { fail "$case: constituents.csv's stale column"; cat got; }
    if command -v jq >/dev/null 2>&1; then
        jq -r '.constituents[] | select(.stale) | "\(.ticker) \(.price_date)"' "$b/returns.json" | sort >got
        cmp -s want_stale got || { fail "$case: returns.json's stale"; diff want_stale got; }
    fi

    # report.txt fits in mail: no line wider than 100 characters.
    w=$(widest "$b/report.txt")
    [ "$w" -le 100 ] || fail "$case: report.txt has a line of $w characters"

    # The movers: fresh prices only, no name in both lists.
    movers <closes
    section "Top movers this week" "$b/report.txt" >got_top
    section "Bottom movers this week" "$b/report.txt" >got_bottom
    cmp -s want_top got_top || { fail "$case: top movers"; diff want_top got_top; }
    cmp -s want_bottom got_bottom || { fail "$case: bottom movers"; diff want_bottom got_bottom; }
    [ -z "$(sort got_top got_bottom | uniq -d)" ] || fail "$case: a name in both lists"
done
# The lists once more by hand: in stale7 Leonardo alone is fresh, the better half of one, so it
# is the top list and the bottom list is empty; in twelve five are fresh: three on top, two below.
[ "$(section "Top movers this week" stale7/2025-08-01/report.txt)" = LDO.MI ] ||
    fail "stale7: Leonardo is not the one top mover"
grep -qx "No other constituent has a current price and a return this week." stale7/2025-08-01/report.txt ||
    fail "stale7: the empty bottom list says nothing"
[ "$(section "Top movers this week" twelve/2025-08-01/report.txt | wc -l)" -eq 3 ] ||
    fail "twelve: not three top movers"
[ "$(section "Bottom movers this week" twelve/2025-08-01/report.txt | wc -l)" -eq 2 ] ||
    fail "twelve: not two bottom movers"

# --max-gap moves the limit. In stale7 BA.L and RR.L end on Thursday 2025-05-01, 66 business days
# before 2025-08-01, RHM.DE on Friday 2025-05-02 (65), the redart files on Monday 2025-05-12 (59):
# with 65 only the first two are stale; with 66 none is, and the report succeeds without a banner.
real_report stale7 gap --max-gap 65
[ "$code" -eq 65 ] || fail "--max-gap 65: exit $code, expected 65"
stale 65 <closes_stale7 >want_stale
[ "$(cut -d' ' -f1 want_stale | tr '\n' ' ')" = "BA.L RR.L " ] || fail "--max-gap 65: awk finds $(cat want_stale)"
grep -q "^defidx: 2 stale prices, carried more than 65 business days to 2025-08-01: " stderr ||
    fail "--max-gap 65: $(tail -n 1 stderr)"
tail -n 1 stderr | grep -qF "RHM.DE" && fail "--max-gap 65: RHM.DE named stale"
real_report stale7 gap --max-gap 66 -q
[ "$code" -eq 0 ] || { fail "--max-gap 66: exit $code"; cat stderr; }
[ -s stderr ] && { fail "--max-gap 66 -q: a message"; cat stderr; }
grep -q "Stale prices" gap/2025-08-01/report.txt && fail "--max-gap 66: a banner"
finish
