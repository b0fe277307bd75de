#!/bin/sh
# max_age.sh: --max-age N refuses data whose last date is more than N business days (Mon-Fri)
# before today (DEFIDX_TODAY pins it): exit 75, a message on stderr, nothing written. The bundled
# data ends on Friday 2025-02-28; Monday 2025-03-10 is 6 business days later.
. "$(dirname "$0")/common.sh"
DEFIDX_TODAY=2025-03-10
export DEFIDX_TODAY

for n in 3 5; do
    report out --max-age $n >stdout 2>stderr
    code=$?
    [ "$code" -eq 75 ] || fail "report --max-age $n: exit $code, expected 75"
    [ -s stderr ] || fail "report --max-age $n: no message on stderr"
    [ -s stdout ] && fail "report --max-age $n wrote to stdout"
    [ -e out ] && { fail "report --max-age $n wrote: $(ls -A out)"; rm -rf out; }
done
# Nothing changes in a directory that holds a bundle already.
report old --as-of 2025-02-27 || fail "report --as-of 2025-02-27 failed"
ls -lA old old/2025-02-27 >before
report old --max-age 3 --print >stdout 2>stderr
code=$?
[ "$code" -eq 75 ] || fail "report --max-age 3 over a bundle: exit $code"
[ -s stdout ] && fail "report --max-age 3 --print printed the report"
ls -lA old old/2025-02-27 >after
cmp -s before after || fail "report --max-age 3 changed the directory"

report out --max-age 6 >stdout 2>stderr
code=$?
[ "$code" -eq 0 ] || { fail "report --max-age 6: exit $code"; cat stderr; }
[ -f out/2025-02-28/report.txt ] || fail "report --max-age 6 wrote no bundle"

"$bin" check --max-age 3 --index "$data/index.json" --fx "$data/fx.csv" "$data/prices.csv" \
    >stdout 2>stderr
code=$?
[ "$code" -eq 75 ] || fail "check --max-age 3: exit $code, expected 75"
[ -s stderr ] || fail "check --max-age 3: no message on stderr"
"$bin" check --max-age 6 --index "$data/index.json" --fx "$data/fx.csv" "$data/prices.csv" \
    >stdout 2>stderr
code=$?
[ "$code" -eq 0 ] || { fail "check --max-age 6: exit $code"; cat stderr; }
finish
