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
# This directory (each test is a script in it), the real closes and the definitions made for them.
here=$(cd "$(dirname "$0")" && pwd)
real=$here/../realdata
defs=$here/data
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
unset DEFIDX_TODAY DEFIDX_ONE_PASS DEFIDX_DIE_AT_RENAME DEFIDX_DIE_SIGNAL
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

# Two reports on real closes (tests/realdata/, unchanged copies), as of 2025-08-01:
# - stale7: seven files, six ending in May 2025 (magiccpp RHM.DE, BA.L, RR.L; redart AIR.PA,
#   HO.PA, SAF.PA) and Leonardo (sbam) to 2025-08-01;
# - twelve: twelve constituents with long names and a second "since" period, five of them fresh
#   (mccdvd AIR.PA, HO.PA, MTX.DE, RHM.DE; sbam LDO.MI), seven stale.
stale7_files="$real/magiccpp/RHM.DE.csv $real/magiccpp/BA.L.csv $real/magiccpp/RR.L.csv
$real/redart/AIR.PA.csv $real/redart/HO.PA.csv $real/redart/SAF.PA.csv $real/sbam/LDO.MI.csv"
stale7_args="--as-of 2025-08-01"
twelve_files="$real/mccdvd/AIR.PA.csv $real/mccdvd/HO.PA.csv $real/mccdvd/MTX.DE.csv
$real/mccdvd/RHM.DE.csv $real/sbam/LDO.MI.csv $real/magiccpp/BA.L.csv $real/magiccpp/RR.L.csv
$real/redart/SAF.PA.csv $real/seemayer-2024/AVON.L.csv $real/seemayer-2024/BAB.L.csv
$real/seemayer-2024/CHG.L.csv $real/seemayer-2024/QQ.L.csv"
twelve_args="--as-of 2025-08-01 --since 2022-02-23 --since 2024-06-28"

# real_report CASE DIR ARGS...: the case's report (its own arguments, then ARGS) into DIR, stdout
# and stderr into the files stdout and stderr; the exit status in $code.
real_report() {
    name=$1 dir=$2
    shift 2
    eval "files=\$${name}_files case_args=\$${name}_args"
    # shellcheck disable=SC2086 # the lists are split on purpose
    "$bin" report --out-dir "$dir" $case_args "$@" --index "$defs/$name.json" \
        --fx "$real/ecb/eurofxref-hist.csv" $files >stdout 2>stderr
    code=$?
}

# leftovers DIR: the names in DIR but the bundles and latest (staging directories, temporary links).
leftovers() {
    ls -A "$1" | grep -v -e '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$' -e '^latest$'
}

# find_browser: $browser, the first of chromium, chromium-browser and google-chrome installed; ""
# when none is.
find_browser() {
    browser=
    for name in chromium chromium-browser google-chrome; do
        if command -v "$name" >/dev/null 2>&1; then
            browser=$name
            return
        fi
    done
}

finish() {
    if [ "$failures" -eq 0 ]; then
        echo "ok"
        exit 0
    fi
    echo "$failures failed${KEEP:+ (in $tmp)}"
    exit 1
}
