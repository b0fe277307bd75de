# common.sh: what the report tests share, sourced by each with the arguments ctest passes:
# DEFIDX (the binary) and DATA (the bundled data directory), and for killed.sh the rename shim.
# Each test runs in a temporary directory, removed at the end unless KEEP=1 (its path is printed).
set -u
if [ $# -lt 2 ]; then
    echo "usage: $0 DEFIDX DATA [SHIM]" >&2
    exit 2
fi
# The paths as absolute ones: the tests run in a directory of their own.
abs() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}
bin=$(abs "$1") data=$(abs "$2") shim=
[ $# -ge 3 ] && shim=$(abs "$3")
tmp=$(mktemp -d) || exit 2
if [ "${KEEP:-0}" = 1 ]; then
    echo "working directory: $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 2' HUP INT TERM
cd "$tmp" || exit 2
LC_ALL=C
export LC_ALL
unset DEFIDX_TODAY DEFIDX_ONE_PASS DEFIDX_DIE_AT_RENAME
umask 022

# The seven files of a bundle.
files="report.txt report.md report.html returns.csv returns.json constituents.csv chart.svg"
failures=0

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
}

# report DIR ARGS...: defidx report --out-dir DIR ARGS on the bundled data.
report() {
    dir=$1
    shift
    "$bin" report --out-dir "$dir" "$@" --index "$data/index.json" --fx "$data/fx.csv" \
        "$data/prices.csv"
}

# compute ARGS...: defidx compute ARGS on the same data.
compute() {
    "$bin" compute "$@" --index "$data/index.json" --fx "$data/fx.csv" "$data/prices.csv"
}

# leftovers DIR: the names in DIR but the bundles and latest (staging directories, temporary links).
leftovers() {
    ls -A "$1" | grep -v -e '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$' -e '^latest$'
}

finish() {
    if [ "$failures" -eq 0 ]; then
        echo "ok"
        exit 0
    fi
    echo "$failures failed${KEEP:+ (in $tmp)}"
    exit 1
}
