#!/bin/bash
# The shell completions (src/cli/completion.c) as the shells use them:
#   check.sh DEFIDX CMAKE BINARY_DIR BASH_DIR ZSH_DIR FISH_DIR [CONFIG]
# - `defidx completion bash|zsh|fish` writes the scripts (an unknown shell: exit 64, no output);
#   the build wrote the same bytes to BINARY_DIR/completions/;
# - the bash script passes `bash -n`, and its completion function, driven as bash drives it
#   (COMP_WORDS, COMP_CWORD), offers the commands, options, option values and files it should;
# - zsh -n and fish --no-execute pass, and fish's own completion engine (complete -C) offers the
#   same, when zsh / fish are installed (skipped otherwise; the scripts are then checked as text);
# - `cmake --install` puts the three scripts in BASH_DIR, ZSH_DIR and FISH_DIR (relative to the
#   prefix unless absolute), into a temporary DESTDIR.
# That each command is offered exactly the options the option table gives it, in all three
# scripts, and that the help and the man page list the same, is tests/test_cli_table.c's part.
set -u
defidx=$1 cmake=$2 bindir=$3 bash_dir=$4 zsh_dir=$5 fish_dir=$6 config=${7:-}
case $defidx in /*) ;; *) defidx=$PWD/$defidx ;; esac
case $bindir in /*) ;; *) bindir=$PWD/$bindir ;; esac
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# ---- the scripts ------------------------------------------------------------------------------
for sh in bash zsh fish; do
    "$defidx" completion "$sh" >"$tmp/$sh" || fail "defidx completion $sh: exit $?"
    test -s "$tmp/$sh" || fail "defidx completion $sh wrote nothing"
done
"$defidx" completion tcsh >"$tmp/tcsh" 2>/dev/null
rc=$?
test "$rc" = 64 || fail "defidx completion tcsh: exit $rc, not 64"
test -s "$tmp/tcsh" && fail "defidx completion tcsh wrote to stdout"
for pair in bash:defidx zsh:_defidx fish:defidx.fish; do
    cmp -s "$tmp/${pair%%:*}" "$bindir/completions/${pair#*:}" ||
        fail "$bindir/completions/${pair#*:} differs from defidx completion ${pair%%:*}"
done

bash -n "$tmp/bash" || fail "bash -n on the bash script"
have_fish=0
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$tmp/zsh" || fail "zsh -n on the zsh script"
else
    echo "skip: zsh is not installed (no zsh -n)"
fi
if command -v fish >/dev/null 2>&1; then
    have_fish=1
    fish --no-execute "$tmp/fish" || fail "fish --no-execute on the fish script"
else
    echo "skip: fish is not installed (no fish --no-execute, fish script checked as text)"
fi

# The commands, as docs/defidx.1 lists them.
commands='compute series stats rebase divisors check chart report factsheet formats init completion help'

# ---- bash: drive the completion function ---------------------------------------------------------
# shellcheck disable=SC1090,SC1091
source "$tmp/bash"
complete -p defidx >/dev/null 2>&1 || fail "the bash script does not register a completion for defidx"
# comp WORD... : completes the last word as bash would, leaving the offers in COMPREPLY.
comp() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _defidx defidx "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}
offers() { # WORD: whether COMPREPLY holds WORD
    local w
    for w in "${COMPREPLY[@]}"; do [[ $w == "$1" ]] && return 0; done
    return 1
}
has_line() { # LINES WORD: whether WORD is one of the lines
    [[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]
}
expect() { # "EXPECTED OFFERS" WORD...: COMPREPLY must be exactly the expected words, in any order
    local want=$1 got
    shift
    comp "$@"
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
    # shellcheck disable=SC2086 # the words, split
    want=$(printf '%s\n' $want | sed '/^$/d' | sort | tr '\n' ' ')
    [[ $got == "$want" ]] || fail "bash: '$*<TAB>' offers [$got], expected [$want]"
}

mkdir -p "$tmp/files/sub" && cd "$tmp/files" || exit 1
touch index.json prices.csv fx.csv notes.txt
comp defidx ''
for cmd in $commands; do offers "$cmd" || fail "bash: 'defidx <TAB>' does not offer the command $cmd"; done
expect 'equal' defidx --weighting e
expect 'equal' defidx compute --weighting e
expect 'json' defidx compute -O j
expect '-Ojson' defidx compute -Oj
expect 'index.json sub' defidx compute --index ''
expect '--index=index.json' defidx compute --index=i
expect 'index.json sub' defidx compute --index = ''
expect 'fx.csv prices.csv sub' defidx --fx ''
expect 'fx.csv prices.csv sub' defidx series --actions ''
expect 'sub' defidx report --out-dir ''
expect 'fx.csv index.json notes.txt prices.csv sub' defidx compute -o ''
expect 'fx.csv index.json notes.txt prices.csv sub' defidx compute --index index.json ''
expect 'bash fish zsh' defidx completion ''
expect 'tab' defidx compute --delimiter t
expect '' defidx compute --as-of ''
expect '' defidx formats ''
expect 'report' defidx --index index.json --fx fx.csv rep
expect 'compute completion' defidx --index = index.json comp
# each command's options, as docs/defidx.1 gives them
expect '--spark' defidx compute --sp
expect '' defidx series --sp
expect '--currency --constituents --color' defidx chart --c
expect '--since --stamp' defidx report --s
expect '--max-gap --max-jump --max-age' defidx check --max
expect '' defidx rebase --max
expect '--base-date --base-value' defidx --base
expect '-O -o --no-header --color -q -v --help --version' defidx formats -
expect '--help --version' defidx completion -
# the values of the options of words, and the commands help takes
expect 'ffmcap mcap equal price fixed' defidx --weighting ''
expect 'none monthly quarterly' defidx series --rebalance ''
expect 'price net gross' defidx divisors --return ''
expect 'close adj_close' defidx rebase --price-field ''
expect 'table tsv csv json md html xlsx term' defidx -O ''
expect 'auto always never' defidx compute --color ''
expect "$commands" defidx help ''
cd / || exit 1

# ---- zsh: the spec block of each command -------------------------------------------------------
zsh_block() { # COMMAND: the lines of the _arguments specs for it
    awk -v c="($1)" '$1 == c { on = 1; next } on && /\) ;;$/ { exit } on' "$tmp/zsh"
}
for cmd in $commands; do
    grep -q "^    '$cmd:" "$tmp/zsh" || fail "zsh: the command $cmd is not described"
    test -n "$(zsh_block "$cmd")" || fail "zsh: no specs for the command $cmd"
done
zsh_block compute | grep -q "'--spark\[" || fail "zsh: compute does not take --spark"
zsh_block series | grep -q "'--spark\[" && fail "zsh: series takes --spark"
zsh_block '*' | grep -q "'\*--since=\[" || fail "zsh: --since is not offered, repeatable, before the command"
zsh_block chart | grep -q "'--weighting=\[weighting scheme\]:weighting:(ffmcap mcap equal price fixed)'" ||
    fail "zsh: chart's --weighting does not offer its values"
zsh_block completion | grep -q "'2:shell:(bash zsh fish)'" || fail "zsh: completion does not offer the shells"

# ---- fish: its own completion engine, else the text ----------------------------------------------
if [ "$have_fish" = 1 ]; then
    mkdir -p "$tmp/files/sub" && cd "$tmp/files" || exit 1
    fish_flags=--no-config # fish 3.6 and later: the user's config stays out of the test
    fish "$fish_flags" -c true 2>/dev/null || fish_flags=--private
    fish_offers() { # LINE: the candidates fish offers for LINE, sorted, on one line
        fish "$fish_flags" -c "source '$tmp/fish'; complete -C '$1'" | cut -f 1 | sort | tr '\n' ' '
    }
    got=$(fish_offers 'defidx ')
    for cmd in $commands; do has_line "$(tr ' ' '\n' <<<"$got")" "$cmd" || fail "fish: 'defidx <TAB>' does not offer $cmd"; done
    got=$(fish_offers 'defidx compute --sp')
    [[ $got == '--spark ' ]] || fail "fish: 'compute --sp<TAB>' offers [$got]"
    got=$(fish_offers 'defidx series --sp')
    [[ $got == '' ]] || fail "fish: 'series --sp<TAB>' offers [$got]"
    got=$(fish_offers 'defidx --weighting e')
    [[ $got == 'equal ' ]] || fail "fish: '--weighting e<TAB>' offers [$got]"
    got=$(fish_offers 'defidx compute --index ')
    [[ $got == 'index.json sub/ ' ]] || fail "fish: '--index <TAB>' offers [$got]"
    cd / || exit 1
else
    for cmd in $commands; do
        grep -Eq -- "-a $cmd -d " "$tmp/fish" || fail "fish: the command $cmd is not offered"
    done
    grep -Eq -- "__defidx_offers compute' -l spark " "$tmp/fish" || fail "fish: --spark is not compute's"
    grep -Eq -- "__defidx_offers [^']*' -l weighting -x -a 'ffmcap mcap equal price fixed'" "$tmp/fish" ||
        fail "fish: --weighting does not offer its values"
fi

# ---- cmake --install ----------------------------------------------------------------------------
prefix=/opt/defidx-completion-test
installed() { # DIR: where a DIR of the install rules lands under DESTDIR
    case $1 in /*) echo "$tmp/destdir$1" ;; *) echo "$tmp/destdir$prefix/$1" ;; esac
}
if DESTDIR="$tmp/destdir" "$cmake" --install "$bindir" --prefix "$prefix" ${config:+--config "$config"} >"$tmp/install.log" 2>&1; then
    for pair in "bash:$bash_dir/defidx" "zsh:$zsh_dir/_defidx" "fish:$fish_dir/defidx.fish"; do
        file=$(installed "${pair#*:}")
        if [ -f "$file" ]; then
            cmp -s "$tmp/${pair%%:*}" "$file" || fail "cmake --install: $file differs from defidx completion ${pair%%:*}"
        else
            fail "cmake --install did not install $file"
        fi
    done
else
    cat "$tmp/install.log" >&2
    fail "cmake --install into $tmp/destdir$prefix"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures completion check(s) failed" >&2
    exit 1
fi
echo "completion: all checks passed"
