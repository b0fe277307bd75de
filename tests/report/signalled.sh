#!/bin/sh
# signalled.sh: `defidx compute -o FILE` stopped by SIGINT, SIGTERM or SIGHUP while FILE.tmp.XXXXXX
# exists leaves no temporary file, and ends as that signal does (the shell's 128 + its number).
# The shim die_after.so raises the signal (DEFIDX_DIE_SIGNAL) at the first rename()
# (DEFIDX_DIE_AT_RENAME=1): the output is then written in full to its temporary file, not yet
# renamed, the latest point at which one can be left. Counting renames, not waiting for a clock,
# makes the run known to be mid-write whatever the machine's load. SIGKILL, which no handler can
# catch, is the control: it leaves the temporary file, so the test would see one if it were there.
. "$(dirname "$0")/common.sh"
if [ $# -ne 3 ]; then
    echo "usage: $0 DEFIDX DATA SHIM" >&2
    exit 2
fi
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

# signalled SIG NUMBER: compute -o out.tsv stopped by SIG (its number) at the first rename.
signalled() {
    rm -f out.tsv out.tsv.tmp.*
    DEFIDX_DIE_AT_RENAME=1 DEFIDX_DIE_SIGNAL=$2 LD_PRELOAD=$shim "$bin" compute -o out.tsv \
        --index "$data/index.json" --fx "$data/fx.csv" "$data/prices.csv" >/dev/null 2>stderr
    code=$?
    [ "$code" -eq $((128 + $2)) ] || fail "$1: exit $code, expected $((128 + $2))"
    [ ! -e out.tsv ] || fail "$1: out.tsv was written"
}

for sig in INT:2 TERM:15 HUP:1; do
    signalled "${sig%:*}" "${sig#*:}"
    left=$(ls out.tsv.tmp.* 2>/dev/null)
    [ -z "$left" ] || fail "SIG${sig%:*} left $left"
done

# The control: SIGKILL leaves the full temporary file.
signalled KILL 9
left=$(ls out.tsv.tmp.* 2>/dev/null)
[ -n "$left" ] || fail "SIGKILL left no temporary file: the shim did not stop the run mid-write"

# A SIGHUP that the caller ignores (nohup) stays ignored: the run completes.
rm -f out.tsv out.tsv.tmp.*
(trap '' HUP; DEFIDX_DIE_AT_RENAME=1 DEFIDX_DIE_SIGNAL=1 LD_PRELOAD=$shim "$bin" compute -o out.tsv \
    --index "$data/index.json" --fx "$data/fx.csv" "$data/prices.csv" >/dev/null 2>stderr)
code=$?
[ "$code" -eq 0 ] || fail "ignored SIGHUP: exit $code, expected 0"
[ -s out.tsv ] || fail "ignored SIGHUP: out.tsv missing"
finish
