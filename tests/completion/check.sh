#!/bin/bash
# The shell completions (src/cli/completion.c) against the command line they complete:
#   check.sh DEFIDX CMAKE BINARY_DIR BASH_DIR ZSH_DIR FISH_DIR [CONFIG]
# - `defidx completion bash|zsh|fish` writes the scripts (an unknown shell: exit 64, no output);
#   the build wrote the same bytes to BINARY_DIR/completions/;
# - the bash script passes `bash -n`, and its completion function, driven as bash drives it
#   (COMP_WORDS, COMP_CWORD), offers the commands, option values and files it should;
# - every command of `defidx --help`, every option of `defidx --help` and of `defidx COMMAND --help`
#   (for that command), and every value an option's help lists ("ffmcap, mcap ... or fixed") is
#   offered by each of the three scripts, so they cannot drift from the CLI;
# - zsh -n and fish --no-execute pass, and fish's own completion engine (complete -C) offers the
#   same, when zsh / fish are installed (skipped otherwise; zsh is then checked as text);
# - `cmake --install` puts the three scripts in BASH_DIR, ZSH_DIR and FISH_DIR (relative to the
#   prefix unless absolute), into a temporary DESTDIR.
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

# ---- what the CLI says it takes ------------------------------------------------------------------
# Options of a help text: the first column of its option rows ("  --width N, --height N   ...")
# and the options its Usage line names.
help_options() {
    awk '/^Usage:/ {
             line = $0
             while (match(line, /[[ ]--?[A-Za-z][A-Za-z-]*/)) {
                 print substr(line, RSTART + 1, RLENGTH - 1)
                 line = substr(line, RSTART + RLENGTH)
             }
             next
         }
         /^  -/ {
             col = substr($0, 3)
             if (match(col, /  +/)) col = substr(col, 1, RSTART - 1)
             n = split(col, w, /[ ,]+/)
             for (i = 1; i <= n; i++) if (w[i] ~ /^--?[A-Za-z][A-Za-z-]*$/) print w[i]
         }' | sort -u
}
# "OPTION value value ..." for the option rows whose description is a list of words:
# "  --return T          price, net or gross (dividends ...)".
help_values() {
    awk '/^  -/ {
             s = substr($0, 3)
             if (!match(s, /  +/)) next
             opt = substr(s, 1, RSTART - 1); sub(/ .*/, "", opt)
             desc = substr(s, RSTART + RLENGTH); sub(/ \(.*/, "", desc)
             if (desc !~ /^[a-z_]+(, [a-z_]+)* or [a-z_]+$/) next
             gsub(/,| or /, " ", desc); gsub(/  +/, " ", desc)
             print opt " " desc
         }'
}
general_help=$("$defidx" --help) || fail "defidx --help: exit $?"
commands=$(printf '%s\n' "$general_help" | awk '/^Commands/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
test -n "$commands" || fail "no commands found in defidx --help"
general_options=$(printf '%s\n' "$general_help" | help_options)
test -n "$general_options" || fail "no options found in defidx --help"
values=$(printf '%s\n' "$general_help" | help_values)
declare -A command_options
for cmd in $commands; do
    "$defidx" "$cmd" --help >"$tmp/help.$cmd" || fail "defidx $cmd --help: exit $?"
    values=$(printf '%s\n%s\n' "$values" "$(help_values <"$tmp/help.$cmd")")
    command_options[$cmd]=$(help_options <"$tmp/help.$cmd")
done
values=$(printf '%s\n' "$values" | sed '/^$/d' | sort -u)
test -n "$values" || fail "no option values found in the help"

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
comp defidx -
for opt in $general_options; do offers "$opt" || fail "bash: 'defidx -<TAB>' does not offer $opt"; done
for cmd in $commands; do
    comp defidx "$cmd" -
    for opt in ${command_options[$cmd]}; do
        offers "$opt" || fail "bash: 'defidx $cmd -<TAB>' does not offer $opt (in defidx $cmd --help)"
    done
done
while read -r opt words; do
    [[ -n $opt ]] || continue
    expect "$words" defidx "$opt" ''
done <<<"$values"
cd / || exit 1

# ---- zsh: the spec block of each command -------------------------------------------------------
zsh_block() { # COMMAND: the lines of the _arguments specs for it
    awk -v c="($1)" '$1 == c { on = 1; next } on && /\) ;;$/ { exit } on' "$tmp/zsh"
}
zsh_takes() { # BLOCK OPTION: whether a spec of the block is for OPTION ('--index=[', '*--since=[', '-O+[')
    local b=$'\n'$1
    [[ $b == *$'\n'*" '$2["* || $b == *$'\n'*" '$2=["* || $b == *$'\n'*" '$2+["* || $b == *$'\n'*" '*$2=["* ]]
}
for cmd in $commands; do
    grep -q "^    '$cmd:" "$tmp/zsh" || fail "zsh: the command $cmd is not described"
    block=$(zsh_block "$cmd")
    test -n "$block" || fail "zsh: no specs for the command $cmd"
    for opt in ${command_options[$cmd]}; do
        zsh_takes "$block" "$opt" || fail "zsh: $cmd does not take $opt"
    done
done
block=$(zsh_block '*')
for opt in $general_options; do
    zsh_takes "$block" "$opt" || fail "zsh: $opt is not offered before the command"
done
while read -r opt words; do
    [[ -n $opt ]] || continue
    spec=$(grep -E -- "^ *'\\*?${opt}[=+]?\\[" <<<"$block" | head -n 1)
    for w in $words; do
        grep -q -- "[( ]${w}[ )]" <<<"$spec" || fail "zsh: $opt does not offer $w"
    done
done <<<"$values"

# ---- fish: its own completion engine, else the text ----------------------------------------------
if [ "$have_fish" = 1 ]; then
    mkdir -p "$tmp/files/sub" && cd "$tmp/files" || exit 1
    fish_flags=--no-config # fish 3.6 and later: the user's config stays out of the test
    fish "$fish_flags" -c true 2>/dev/null || fish_flags=--private
    fish_offers() { # LINE: the candidates fish offers for LINE, one a line
        fish "$fish_flags" -c "source '$tmp/fish'; complete -C '$1'" | cut -f 1
    }
    got=$(fish_offers 'defidx ')
    for cmd in $commands; do has_line "$got" "$cmd" || fail "fish: 'defidx <TAB>' does not offer $cmd"; done
    got=$(fish_offers 'defidx -')
    for opt in $general_options; do has_line "$got" "$opt" || fail "fish: 'defidx -<TAB>' does not offer $opt"; done
    for cmd in $commands; do
        got=$(fish_offers "defidx $cmd -")
        for opt in ${command_options[$cmd]}; do
            has_line "$got" "$opt" || fail "fish: 'defidx $cmd -<TAB>' does not offer $opt"
        done
    done
    while read -r opt words; do
        [[ -n $opt ]] || continue
        got=$(fish_offers "defidx compute $opt " | sort | tr '\n' ' ')
        # shellcheck disable=SC2086 # the words, split
        want=$(printf '%s\n' $words | sort | tr '\n' ' ')
        [[ $got == "$want" ]] || fail "fish: '$opt <TAB>' offers [$got], expected [$want]"
    done <<<"$values"
    got=$(fish_offers 'defidx --weighting e')
    [[ $got == equal ]] || fail "fish: '--weighting e<TAB>' offers [$got]"
    got=$(fish_offers 'defidx compute --index ' | sort | tr '\n' ' ')
    [[ $got == 'index.json sub/ ' ]] || fail "fish: '--index <TAB>' offers [$got]"
    cd / || exit 1
else
    for cmd in $commands; do
        grep -Eq -- "-a $cmd -d " "$tmp/fish" || fail "fish: the command $cmd is not offered"
        for opt in ${command_options[$cmd]}; do
            case $opt in --*) flag="-l ${opt#--}" ;; *) flag="-s ${opt#-}" ;; esac
            grep -Eq -- "__defidx_offers [^']*\\b$cmd\\b[^']*' $flag( |\$)" "$tmp/fish" ||
                fail "fish: $cmd does not take $opt"
        done
    done
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
