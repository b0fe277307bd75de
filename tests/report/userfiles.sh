#!/bin/sh
# userfiles.sh: a report never hides or replaces what the user put beside it (issue 15, item 9).
# - A file the user added to a day's bundle (notes.txt, a symbolic link) is still in the bundle,
#   with its bytes, after a rerun of that day; a rerun leaves no staging directory (.DATE.tmp.*).
# - A directory the user put into the bundle cannot be carried along in one atomic step: the rerun
#   is refused (exit 73, naming it), the old bundle stays as it was, and no staging directory is left.
# - A `latest` that is not a symbolic link (a file, a directory) is never replaced: exit 73 naming
#   it, before anything is written; the file keeps its bytes.
# - A staging directory left by a killed run after the swap (the old bundle, holding a link to the
#   user's file that the new bundle holds too) goes with the next run; one holding a file found
#   nowhere else (the user's only copy) stays.
# Expected values are the files the test itself wrote, compared byte for byte.
. "$(dirname "$0")/common.sh"

# ---- a file the user added survives a rerun ------------------------------------------------------
report a --as-of 2025-02-28 || fail "the first run failed"
printf 'my notes\n' >a/2025-02-28/notes.txt
ln -s report.txt a/2025-02-28/mine.link
report a --as-of 2025-02-28 --weighting equal 2>stderr || { fail "the rerun failed"; cat stderr; }
[ -f a/2025-02-28/notes.txt ] || fail "notes.txt is gone from the bundle: $(ls -A a/2025-02-28)"
[ "$(cat a/2025-02-28/notes.txt 2>/dev/null)" = "my notes" ] || fail "notes.txt changed"
[ "$(readlink a/2025-02-28/mine.link)" = report.txt ] || fail "the user's link is gone"
[ -z "$(leftovers a)" ] || fail "left in a: $(leftovers a)"
grep -q 'equal' a/2025-02-28/report.txt || fail "the rerun's bundle is not the new one"
# And again: the carried file is carried once more.
report a --as-of 2025-02-28 || fail "the second rerun failed"
[ "$(cat a/2025-02-28/notes.txt 2>/dev/null)" = "my notes" ] || fail "notes.txt after a second rerun"
[ -z "$(leftovers a)" ] || fail "left in a after a second rerun: $(leftovers a)"

# ---- a directory the user added: refused, nothing changed ---------------------------------------
report d --as-of 2025-02-28 || fail "d: the first run failed"
mkdir d/2025-02-28/extra && printf 'x\n' >d/2025-02-28/extra/x.txt
cp d/2025-02-28/returns.json before.json
report d --as-of 2025-02-28 --weighting equal >stdout 2>stderr
code=$?
[ "$code" -eq 73 ] || fail "a directory in the bundle: exit $code, expected 73"
grep -q "d/2025-02-28/extra" stderr || { fail "the message does not name the directory"; cat stderr; }
cmp -s before.json d/2025-02-28/returns.json || fail "the refused rerun changed the bundle"
[ -f d/2025-02-28/extra/x.txt ] || fail "the user's directory was touched"
[ -z "$(leftovers d)" ] || fail "the refused rerun left: $(leftovers d)"

# ---- a latest that is not a symbolic link is never replaced --------------------------------------
mkdir f && printf 'mine\n' >f/latest
report f --as-of 2025-02-28 >stdout 2>stderr
code=$?
[ "$code" -eq 73 ] || fail "a regular file latest: exit $code, expected 73"
grep -q "f/latest" stderr || { fail "the message does not name latest"; cat stderr; }
if [ -L f/latest ] || [ "$(cat f/latest)" != mine ]; then fail "the regular file latest was replaced"; fi
[ ! -e f/2025-02-28 ] || fail "a bundle was written although latest could not be moved"
[ -z "$(leftovers f)" ] || fail "left in f: $(leftovers f)"
mkdir -p g/latest
report g --as-of 2025-02-28 >stdout 2>stderr
code=$?
[ "$code" -eq 73 ] || fail "a directory latest: exit $code, expected 73"
if [ -L g/latest ] || [ ! -d g/latest ]; then fail "the directory latest was replaced"; fi

# ---- leftovers of a run killed after the swap ----------------------------------------------------
report k --as-of 2025-02-28 || fail "k: the first run failed"
printf 'kept\n' >k/2025-02-28/notes.txt
# What a kill between the swap and the removal of the old bundle leaves: the old bundle's files
# and a hard link to notes.txt, which the new bundle holds.
mkdir k/.2025-02-28.tmp.AAAAAA
cp k/2025-02-28/report.txt k/.2025-02-28.tmp.AAAAAA/
ln k/2025-02-28/notes.txt k/.2025-02-28.tmp.AAAAAA/notes.txt
# And one holding the only copy of a file (what older versions left): kept.
mkdir k/.2025-02-28.tmp.BBBBBB
printf 'only copy\n' >k/.2025-02-28.tmp.BBBBBB/notes.txt
report k --as-of 2025-02-28 || fail "k: the run after the kill failed"
[ ! -e k/.2025-02-28.tmp.AAAAAA ] || fail "the old bundle's leftover stays: $(ls -A k/.2025-02-28.tmp.AAAAAA)"
[ "$(cat k/.2025-02-28.tmp.BBBBBB/notes.txt 2>/dev/null)" = "only copy" ] ||
    fail "the user's only copy in a leftover was removed"
[ "$(cat k/2025-02-28/notes.txt 2>/dev/null)" = kept ] || fail "k: notes.txt changed"
finish
