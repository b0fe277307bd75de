#!/bin/sh
# rerun.sh: a report is a function of its data: two runs into two directories, and a rerun into
# the same one, give byte-identical files. --stamp adds a "Generated" line (the clock's UTC time) to
# report.txt, report.md and report.html and changes nothing else.
. "$(dirname "$0")/common.sh"

report a --as-of 2025-02-28 || fail "the first run failed"
report b --as-of 2025-02-28 || fail "the second run failed"
for f in $files; do
    cmp -s "a/2025-02-28/$f" "b/2025-02-28/$f" || fail "$f differs between two runs"
done
# A rerun into the same directory replaces each file; the bytes stay.
mkdir keep && cp a/2025-02-28/* keep/
report a --as-of 2025-02-28 || fail "the rerun failed"
for f in $files; do
    cmp -s "keep/$f" "a/2025-02-28/$f" || fail "$f changed on a rerun"
done
[ "$(readlink a/latest)" = 2025-02-28 ] || fail "latest after the rerun: '$(readlink a/latest)'"
[ -z "$(leftovers a)" ] || fail "left in a: $(leftovers a)"
[ "$(ls a/2025-02-28 | wc -l)" -eq 10 ] || fail "a/2025-02-28 after the rerun: $(ls a/2025-02-28)"

# A backfill (an older as-of date) writes its bundle but leaves latest at the newer one.
report a --as-of 2025-02-26 || fail "the backfill failed"
[ -f a/2025-02-26/report.txt ] || fail "the backfill wrote no bundle"
[ "$(readlink a/latest)" = 2025-02-28 ] || fail "latest after a backfill: '$(readlink a/latest)'"
for f in $files; do
    cmp -s "keep/$f" "a/2025-02-28/$f" || fail "the backfill changed 2025-02-28/$f"
done

# --stamp, with DEFIDX_TODAY pinned (for --max-age only: the stamp is the clock's).
before=$(date -u +%Y-%m-%d)
(DEFIDX_TODAY=2025-03-03 && export DEFIDX_TODAY && report s --stamp --max-age 5 --as-of 2025-02-28) ||
    fail "--stamp failed"
after=$(date -u +%Y-%m-%d)
line=$(grep '^Generated ' s/2025-02-28/report.txt)
printf '%s\n' "$line" | grep -Eqx 'Generated [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' ||
    fail "report.txt: the Generated line is '$line'"
day=$(printf '%s\n' "$line" | cut -c11-20)
[ "$day" = "$before" ] || [ "$day" = "$after" ] || fail "the stamp's day $day is not today ($before)"
stamp=$(printf '%s\n' "$line" | cut -c11-)
# report.txt and report.md are the unstamped ones with the line added at the end.
{ cat a/2025-02-28/report.txt; printf '\nGenerated %s\n' "$stamp"; } >want.txt
cmp -s want.txt s/2025-02-28/report.txt || { fail "stamped report.txt"; diff want.txt s/2025-02-28/report.txt; }
{ cat a/2025-02-28/report.md; printf '\nGenerated %s\n' "$stamp"; } >want.md
cmp -s want.md s/2025-02-28/report.md || { fail "stamped report.md"; diff want.md s/2025-02-28/report.md; }
grep -q "Generated $stamp" s/2025-02-28/report.html || fail "report.html has no Generated $stamp"
grep -q "Generated" a/2025-02-28/report.html && fail "the unstamped report.html says Generated"
for f in returns.csv returns.json constituents.csv chart.svg; do
    cmp -s "a/2025-02-28/$f" "s/2025-02-28/$f" || fail "--stamp changed $f"
done
finish
