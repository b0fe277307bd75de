#!/bin/sh
# killed.sh: a report killed at any point leaves every bundle complete and `latest` pointing at a
# complete one. The shim die_after.so raises SIGKILL at the Nth rename() (DEFIDX_DIE_AT_RENAME=N),
# which is where each of the report's atomic steps happens; N goes up until a run completes.
#
# Two cases: a new bundle (2025-02-28 after a complete 2025-02-27: the staging directory is renamed
# into place, then latest), and a rerun over an existing 2025-02-28 made with other options (the
# staging directory swapped with the old bundle in one step, then latest). After each kill every
# bundle is one of the two complete versions, all its files from the same one, never a mix or a
# partial file; a later run removes the leftovers of the killed ones.
. "$(dirname "$0")/common.sh"
if [ $# -ne 3 ]; then
    echo "usage: $0 DEFIDX DATA SHIM" >&2
    exit 2
fi
# An ASan build must be told that its runtime comes after the shim in the preload list.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

# The references, made without a kill: 27 and 28, and an "old" 28 with other weights.
report ref --as-of 2025-02-27 || fail "reference 2025-02-27"
report ref --as-of 2025-02-28 || fail "reference 2025-02-28"
report old --as-of 2025-02-28 --weighting equal || fail "reference old 2025-02-28"
cmp -s ref/2025-02-28/returns.json old/2025-02-28/returns.json && fail "old and new are the same"

# killed N DIR ARGS...: the report into DIR killed at the Nth rename; the exit status in $code.
killed() {
    n=$1 dir=$2
    shift 2
    # Not through report(): assignments before a shell function need not reach its commands.
    DEFIDX_DIE_AT_RENAME=$n LD_PRELOAD=$shim "$bin" report --out-dir "$dir" "$@" \
        --index "$data/index.json" --fx "$data/fx.csv" "$data/prices.csv" >/dev/null 2>stderr
    code=$?
}

# whole DIR DATE [ALT]: every file of DIR/DATE is complete: the reference's (ref/DATE), or ALT's.
whole() {
    for f in $files; do
        [ -f "$1/$2/$f" ] || { fail "$1/$2/$f is missing"; continue; }
        cmp -s "$1/$2/$f" "ref/$2/$f" || { [ -n "${3:-}" ] && cmp -s "$1/$2/$f" "$3/$2/$f"; } ||
            fail "$1/$2/$f is not complete"
    done
}

# one_version DIR DATE ALT: every file of DIR/DATE is the reference's, or every one is ALT's.
one_version() {
    ref_all=1 alt_all=1
    for f in $files; do
        cmp -s "$1/$2/$f" "ref/$2/$f" || ref_all=0
        cmp -s "$1/$2/$f" "$3/$2/$f" || alt_all=0
    done
    [ $ref_all = 1 ] || [ $alt_all = 1 ] || fail "N=$n: $1/$2 mixes the old bundle's files with the new one's"
}

# ---- a new bundle ------------------------------------------------------------------------------
n=1 kills=0
while [ $n -le 30 ]; do
    rm -rf out
    report out --as-of 2025-02-27 || fail "2025-02-27 into out"
    killed $n out --as-of 2025-02-28
    if [ "$code" -eq 0 ]; then
        [ "$(readlink out/latest)" = 2025-02-28 ] || fail "completed, latest: $(readlink out/latest)"
        whole out 2025-02-28
        [ -z "$(leftovers out)" ] || fail "completed, left: $(leftovers out)"
        break
    fi
    [ "$code" -eq 137 ] || { fail "N=$n: exit $code, expected 137 (SIGKILL)"; cat stderr; break; }
    kills=$((kills + 1))
    latest=$(readlink out/latest)
    case $latest in
    2025-02-27 | 2025-02-28) whole out "$latest" ;;
    *) fail "N=$n: latest points at '$latest'" ;;
    esac
    whole out 2025-02-27
    [ -d out/2025-02-28 ] && whole out 2025-02-28
    # Whatever a killed run staged is complete too.
    for s in out/.*.tmp.*; do
        [ -d "$s" ] || continue
        for f in "$s"/*; do
            [ -f "$f" ] || continue
            cmp -s "$f" "ref/2025-02-28/${f##*/}" || fail "N=$n: staged $f is not complete"
        done
    done
    n=$((n + 1))
done
[ "$kills" -ge 2 ] || fail "a new bundle was killed $kills times: the renames were not seen"

# A killed run's leftovers go with the next run that completes (here over a kill at the first
# rename: the staging directory, complete but never renamed).
rm -rf out
report out --as-of 2025-02-27 || fail "2025-02-27 into out"
killed 1 out --as-of 2025-02-28
[ -n "$(leftovers out)" ] || fail "a kill at the first rename left no staging directory"
report out --as-of 2025-02-28 || fail "the run after a kill failed"
[ -z "$(leftovers out)" ] || fail "the run after a kill left: $(leftovers out)"
whole out 2025-02-28

# ---- a rerun over an existing bundle -------------------------------------------------------------
n=1 kills=0
while [ $n -le 30 ]; do
    rm -rf out
    report out --as-of 2025-02-28 --weighting equal || fail "the old 2025-02-28 into out"
    killed $n out --as-of 2025-02-28
    whole out 2025-02-28 old
    one_version out 2025-02-28 old
    [ "$(readlink out/latest)" = 2025-02-28 ] || fail "N=$n: latest points at '$(readlink out/latest)'"
    if [ "$code" -eq 0 ]; then
        whole out 2025-02-28
        [ -z "$(leftovers out)" ] || fail "completed, left: $(leftovers out)"
        break
    fi
    [ "$code" -eq 137 ] || { fail "N=$n: exit $code, expected 137 (SIGKILL)"; cat stderr; break; }
    kills=$((kills + 1))
    n=$((n + 1))
done
[ "$kills" -ge 2 ] || fail "a rerun was killed $kills times, expected a kill at the swap and at latest"
finish
