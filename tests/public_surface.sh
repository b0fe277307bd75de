#!/bin/sh
# public_surface.sh LIB.so HEADER: the shared library exports exactly the functions the public
# header declares with DEFIDX_EXTERN. An internal function that leaks (no hidden visibility, or a
# defidx_ name outside the header) and a public one that is declared but not exported both fail.
lib=$1 header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort >"$tmp/exported"
# The name before "(" on each DEFIDX_EXTERN line (a declaration may go on over further lines).
grep '^DEFIDX_EXTERN ' "$header" | sed 's/(.*//; s/.*[ *]//' | sort >"$tmp/declared"
status=0
if ! cmp -s "$tmp/exported" "$tmp/declared"; then
    echo "FAIL: exported (<) and declared (>) differ:"
    diff "$tmp/exported" "$tmp/declared" | grep '^[<>]'
    status=1
fi
grep -v '^defidx_' "$tmp/exported" | sed 's/^/FAIL: exported without the defidx_ prefix: /' | grep . && status=1
# A function declared at the start of a line without DEFIDX_EXTERN would be hidden, silently.
grep -E '^[a-z][a-z_0-9 *]*defidx_[a-z_0-9]+\(' "$header" | grep -v '^typedef' |
    sed 's/^/FAIL: declared without DEFIDX_EXTERN: /' | grep . && status=1
echo "$(wc -l <"$tmp/exported") functions exported, $(wc -l <"$tmp/declared") declared with DEFIDX_EXTERN"
exit $status
