#!/bin/sh
# Runs one end-to-end case: tests/cli/<case>/cmd holds the arguments (one line, run by the shell in
# the case's directory, with $DEFIDX the binary); expected.out / expected.code / expected.err hold
# what stdout, the exit status and stderr must be. A missing expected.* file is not checked.
bin=$1
dir=$2
cd "$dir" || exit 2
# A terminal's width exported by the caller's shell would narrow -O table; a case that wants one
# sets COLUMNS itself.
unset COLUMNS
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
DEFIDX=$bin LC_ALL=${CASE_LOCALE:-C} sh ./cmd >"$out" 2>"$err"
code=$?
status=0
want=$(cat expected.code 2>/dev/null || echo 0)
if [ "$code" != "$want" ]; then
    echo "exit status $code, expected $want"; cat "$err"; status=1
fi
if [ -f expected.out ] && ! diff -u expected.out "$out"; then status=1; fi
if [ -f expected.err ] && ! diff -u expected.err "$err"; then status=1; fi
exit $status
