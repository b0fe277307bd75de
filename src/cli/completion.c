/* completion.c: `defidx completion SHELL`. One table lists the commands and, for each option, the
 * commands that take it and what its value is (words, a file, a directory or free text); the
 * bash, zsh and fish scripts are all written from that table, so they offer the same things.
 * tests/completion/check.sh checks that every command and option of `defidx --help` is in them. */
#include "completion.h"

#include <string.h>

/* ---- what the command line takes ----------------------------------------------------------- */

enum {
    C_COMPUTE = 1u << 0,
    C_SERIES = 1u << 1,
    C_REBASE = 1u << 2,
    C_DIVISORS = 1u << 3,
    C_CHECK = 1u << 4,
    C_CHART = 1u << 5,
    C_REPORT = 1u << 6,
    C_FORMATS = 1u << 7,
    C_COMPLETION = 1u << 8,
    C_HELP = 1u << 9 /* defidx help [COMMAND] */
};
/* The commands that compute the index; those that read price files (rebase reads them without
 * computing: only --base-date and the input options apply); those that write a table; all. */
#define C_COMPUTING (C_COMPUTE | C_SERIES | C_DIVISORS | C_CHECK | C_CHART | C_REPORT)
#define C_INPUT (C_COMPUTING | C_REBASE)
#define C_TABLE (C_COMPUTE | C_SERIES | C_REBASE | C_DIVISORS | C_FORMATS)
#define C_ALL (C_INPUT | C_FORMATS | C_COMPLETION | C_HELP)

typedef struct command_spec {
    const char *name;
    unsigned bit;
    const char *help;
} command_spec;

static const command_spec commands[] = {
    {"compute", C_COMPUTE, "index level, period returns (1d, wtd, mtd, ytd, since), constituents"},
    {"series", C_SERIES, "one row per date with level, divisor and constituents"},
    {"rebase", C_REBASE, "each constituent's price rebased to 100 at --base-date"},
    {"divisors", C_DIVISORS, "every divisor change, with market values and reason"},
    {"check", C_CHECK, "validate the inputs and their freshness; silent on success"},
    {"chart", C_CHART, "the level over time as an SVG chart"},
    {"report", C_REPORT, "a dated report bundle in --out-dir, for cron"},
    {"formats", C_FORMATS, "list the price-file shapes defidx recognises"},
    {"completion", C_COMPLETION, "print the bash, zsh or fish completion script"},
    {"help", C_HELP, "show the help of a command"},
};
enum { COMMAND_COUNT = sizeof commands / sizeof commands[0] };

/* What follows an option. */
enum value_kind {
    V_NONE,  /* a flag */
    V_WORDS, /* one of value's space-separated words */
    V_FILE,  /* a file; value is the extension to offer ("json"), or NULL for any file */
    V_DIR,   /* a directory */
    V_TEXT   /* free text, nothing to offer; value names it ("date") */
};

typedef struct option_spec {
    const char *name; /* "--index", or "-O" for a short option */
    enum value_kind kind;
    const char *value;
    unsigned commands;
    int repeatable;
    const char *help;
} option_spec;

static const option_spec options[] = {
    {"--index", V_FILE, "json", C_COMPUTING, 0, "index definition (JSON)"},
    {"--weighting", V_WORDS, "ffmcap mcap equal price fixed", C_COMPUTING, 0, "weighting scheme"},
    {"--base-date", V_TEXT, "date", C_INPUT, 0, "where the index is based (YYYY-MM-DD)"},
    {"--base-value", V_TEXT, "level", C_COMPUTING, 0, "level at the base date (default 100)"},
    {"--as-of", V_TEXT, "date", C_COMPUTING, 0, "the day reported on (YYYY-MM-DD)"},
    {"--since", V_TEXT, "date", C_COMPUTING, 1, "a since period (YYYY-MM-DD), repeatable"},
    {"--fx", V_FILE, "csv", C_COMPUTING, 0, "FX rates, ECB eurofxref-hist.csv shape"},
    {"--currency", V_TEXT, "currency", C_COMPUTING, 0, "index currency (ISO code)"},
    {"--ticker-currency", V_TEXT, "SYM=CCY", C_COMPUTING, 1, "a constituent's quote currency, repeatable"},
    {"--rebalance", V_WORDS, "none monthly quarterly", C_COMPUTING, 0, "periodic reviews"},
    {"--return", V_WORDS, "price net gross", C_COMPUTING, 0, "return type"},
    {"--actions", V_FILE, "csv", C_COMPUTING, 0, "corporate actions and dividends (CSV)"},
    {"--max-gap", V_TEXT, "trading days", C_COMPUTING, 0, "longest carry-over of a price"},
    {"--max-jump", V_TEXT, "fraction", C_COMPUTING, 0, "one-day move that reverts: a spike (0.5)"},
    {"--ticker", V_TEXT, "ticker", C_INPUT, 0, "ticker of a single-instrument file"},
    {"--price-field", V_WORDS, "close adj_close", C_INPUT, 0, "which close to read"},
    {"--delimiter", V_WORDS, ", ; | tab", C_INPUT, 0, "field delimiter of CSV input"},
    {"--decimal-mark", V_WORDS, ". ,", C_INPUT, 0, "decimal mark of CSV input"},
    {"--date-format", V_TEXT, "strptime format", C_INPUT, 0, "strptime-style date format of the input"},
    {"-O", V_WORDS, "table tsv csv json md html", C_TABLE, 0, "output format"},
    {"-o", V_FILE, NULL, C_TABLE | C_CHART, 0, "write to FILE (- for stdout); its extension picks the format"},
    {"--no-header", V_NONE, NULL, C_TABLE, 0, "leave out the header row"},
    {"--color", V_WORDS, "auto always never", C_TABLE, 0, "when to colour a table"},
    {"--columns", V_TEXT, "columns", C_COMPUTE, 0, "the constituents' columns, comma-separated"},
    {"-q", V_NONE, NULL, C_INPUT | C_FORMATS, 0, "fewer diagnostics (no warnings)"},
    {"-v", V_NONE, NULL, C_INPUT | C_FORMATS, 0, "more diagnostics"},
    {"--spark", V_NONE, NULL, C_COMPUTE, 0, "a sparkline column of the last 20 trading days"},
    {"--constituents", V_NONE, NULL, C_CHART, 0, "also draw each constituent; all lines rebased to 100"},
    {"--from", V_TEXT, "date", C_CHART, 0, "first date shown (YYYY-MM-DD)"},
    {"--width", V_TEXT, "pixels", C_CHART, 0, "chart width in pixels (default 800)"},
    {"--height", V_TEXT, "pixels", C_CHART, 0, "chart height in pixels (default 400)"},
    {"--out-dir", V_DIR, NULL, C_REPORT, 0, "where the report bundles go"},
    {"--print", V_NONE, NULL, C_REPORT, 0, "also write report.txt to standard output"},
    {"--stamp", V_NONE, NULL, C_REPORT, 0, "put the generation time into the reports"},
    {"--max-age", V_TEXT, "business days", C_REPORT | C_CHECK, 0, "exit 75 when the data is older"},
    {"--help", V_NONE, NULL, C_ALL, 0, "show the help"},
    {"--version", V_NONE, NULL, C_ALL, 0, "show the version"},
};
enum { OPTION_COUNT = sizeof options / sizeof options[0] };

static const char *const shells = "bash zsh fish";

/* ---- quoting ------------------------------------------------------------------------------ */

/* s in POSIX single quotes (bash, zsh): ' becomes '\''. */
static void put_sq(FILE *out, const char *s)
{
    putc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else
            putc(*s, out);
    }
    putc('\'', out);
}

/* s in fish single quotes: only \ and ' are escaped there. */
static void put_fish_sq(FILE *out, const char *s)
{
    putc('\'', out);
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            putc('\\', out);
        putc(*s, out);
    }
    putc('\'', out);
}

/* One word of a value list as the shell reads it: ; and | are shell syntax, so backslashed. */
static void put_word(FILE *out, const char *w, size_t n)
{
    if (n == 1 && (w[0] == ';' || w[0] == '|'))
        putc('\\', out);
    fwrite(w, 1, n, out);
}

/* The space-separated words of list, each through put_word. */
static void put_words(FILE *out, const char *list)
{
    int first = 1;
    while (*list) {
        size_t n = strcspn(list, " ");
        if (n) {
            if (!first)
                putc(' ', out);
            put_word(out, list, n);
            first = 0;
        }
        list += n;
        list += strspn(list, " ");
    }
}

/* ---- bash ------------------------------------------------------------------------------------ */

/* The options taking a value, separated by sep: "--index|--weighting|...|-o" as a case pattern. */
static void put_value_options(FILE *out, const char *sep)
{
    int first = 1;
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (options[i].kind == V_NONE)
            continue;
        fputs(first ? "" : sep, out);
        fputs(options[i].name, out);
        first = 0;
    }
}

/* The options command mask takes, space-separated. */
static void put_option_names(FILE *out, unsigned mask)
{
    int first = 1;
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (!(options[i].commands & mask))
            continue;
        fputs(first ? "" : " ", out);
        fputs(options[i].name, out);
        first = 0;
    }
}

/* The command names of mask, space-separated. */
static void put_command_names(FILE *out, unsigned mask)
{
    int first = 1;
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        if (!(commands[c].bit & mask))
            continue;
        fputs(first ? "" : " ", out);
        fputs(commands[c].name, out);
        first = 0;
    }
}

/* "*.[jJ][sS][oO][nN]": a pattern for the extension in either case. */
static void put_ext_pattern(FILE *out, const char *ext)
{
    fputs("*.", out);
    for (; *ext; ext++) {
        char c = *ext;
        if (c >= 'a' && c <= 'z')
            fprintf(out, "[%c%c]", c, c - 'a' + 'A');
        else
            putc(c, out);
    }
}

static void emit_bash(FILE *out)
{
    fputs("# bash completion for defidx(1)                                   -*- shell-script -*-\n"
          "# Written by `defidx completion bash`. Install it as\n"
          "# /usr/share/bash-completion/completions/defidx, or: source <(defidx completion bash)\n"
          "\n"
          "# Sets cmd to the command on the line (the first word that is neither an option nor an\n"
          "# option's value), or to nothing.\n"
          "_defidx_command()\n"
          "{\n"
          "    local i w skip='' ended=''\n"
          "    cmd=''\n"
          "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "        w=${COMP_WORDS[i]}\n"
          "        if [[ -z $ended && $w == = ]]; then\n"
          "            skip=1 # --option=value split at the =\n"
          "            continue\n"
          "        fi\n"
          "        if [[ -n $skip ]]; then\n"
          "            skip=''\n"
          "            continue\n"
          "        fi\n"
          "        if [[ -z $ended ]]; then\n"
          "            case $w in\n"
          "                --) ended=1; continue ;;\n"
          "                ",
          out);
    put_value_options(out, "|");
    fputs(") skip=1; continue ;;\n"
          "                -*) continue ;;\n"
          "            esac\n"
          "        fi\n"
          "        cmd=$w\n"
          "        return\n"
          "    done\n"
          "}\n"
          "\n"
          "# Offers the words of $1 that start with $cur (the words are written as the shell reads them).\n"
          "_defidx_words()\n"
          "{\n"
          "    local w\n"
          "    COMPREPLY=()\n"
          "    for w in $1; do\n"
          "        if [[ $w == \"$cur\"* ]]; then\n"
          "            COMPREPLY+=(\"$w\")\n"
          "        fi\n"
          "    done\n"
          "}\n"
          "\n"
          "# Offers directories and the files whose names match $1 (any file when $1 is empty).\n"
          "_defidx_files()\n"
          "{\n"
          "    local f\n"
          "    COMPREPLY=()\n"
          "    compopt -o filenames 2>/dev/null\n"
          "    while IFS= read -r f; do\n"
          "        COMPREPLY+=(\"$f\")\n"
          "    done < <(compgen -d -- \"$cur\")\n"
          "    while IFS= read -r f; do\n"
          "        [[ -d $f ]] || COMPREPLY+=(\"$f\")\n"
          "    done < <(if [[ -n $1 ]]; then compgen -f -X \"!$1\" -- \"$cur\"; else compgen -f -- \"$cur\"; fi)\n"
          "}\n"
          "\n"
          "# Offers directories.\n"
          "_defidx_dirs()\n"
          "{\n"
          "    local f\n"
          "    COMPREPLY=()\n"
          "    compopt -o filenames 2>/dev/null\n"
          "    while IFS= read -r f; do\n"
          "        COMPREPLY+=(\"$f\")\n"
          "    done < <(compgen -d -- \"$cur\")\n"
          "}\n"
          "\n"
          "# Offers the values of option $1; returns 1 when $1 takes no value.\n"
          "_defidx_value()\n"
          "{\n"
          "    case $1 in\n",
          out);
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_spec *o = &options[i];
        if (o->kind == V_NONE)
            continue;
        fprintf(out, "        %s) ", o->name);
        switch (o->kind) {
        case V_WORDS:
            fputs("_defidx_words ", out);
            putc('\'', out);
            put_words(out, o->value);
            putc('\'', out);
            break;
        case V_FILE:
            fputs("_defidx_files ", out);
            if (o->value) {
                putc('\'', out);
                put_ext_pattern(out, o->value);
                putc('\'', out);
            } else {
                fputs("''", out);
            }
            break;
        case V_DIR:
            fputs("_defidx_dirs", out);
            break;
        default: fputs("COMPREPLY=()", out); break; /* free text: nothing to offer */
        }
        fputs(" ;;\n", out);
    }
    fputs("        *) return 1 ;;\n"
          "    esac\n"
          "    return 0\n"
          "}\n"
          "\n"
          "_defidx()\n"
          "{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd i pre='' opts\n"
          "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
          "    COMPREPLY=()\n"
          "    # --option=value: split into words at the = (COMP_WORDBREAKS), or one word\n"
          "    if [[ $cur == = && $prev == --* ]]; then\n"
          "        cur=''\n"
          "    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
          "        prev=${COMP_WORDS[COMP_CWORD - 2]}\n"
          "    elif [[ $cur == --*=* ]]; then\n"
          "        prev=${cur%%=*} pre=${cur%%=*}= cur=${cur#*=}\n"
          "    elif [[ $cur == -O?* ]]; then\n"
          "        prev=-O pre=-O cur=${cur#-O}\n"
          "    fi\n"
          "    if [[ $prev == -* || -n $pre ]] && _defidx_value \"$prev\"; then\n"
          "        if [[ -n $pre ]]; then\n"
          "            for i in \"${!COMPREPLY[@]}\"; do COMPREPLY[i]=$pre${COMPREPLY[i]}; done\n"
          "        fi\n"
          "        return 0\n"
          "    fi\n"
          "    _defidx_command\n"
          "    if [[ $cur == -* ]]; then\n"
          "        case $cmd in\n",
          out);
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        fprintf(out, "            %s) opts='", commands[c].name);
        put_option_names(out, commands[c].bit);
        fputs("' ;;\n", out);
    }
    fputs("            *) opts='", out);
    put_option_names(out, C_ALL);
    fputs("' ;;\n"
          "        esac\n"
          "        _defidx_words \"$opts\"\n"
          "        return 0\n"
          "    fi\n"
          "    case $cmd in\n"
          "        ''|help) _defidx_words '",
          out);
    put_command_names(out, C_ALL);
    fprintf(out,
            "' ;;\n"
            "        completion) _defidx_words '%s' ;;\n"
            "        formats) ;;\n"
            "        *) _defidx_files '' ;; # PRICES\n"
            "    esac\n"
            "    return 0\n"
            "}\n"
            "\n"
            "complete -F _defidx defidx\n",
            shells);
}

/* ---- zsh ------------------------------------------------------------------------------------- */

/* Text inside an _arguments spec: [ ] : and \ are escaped with a backslash. */
static void zsh_spec_text(char **p, char *end, const char *s)
{
    for (; *s && *p + 2 < end; s++) {
        if (strchr("[]:\\", *s))
            *(*p)++ = '\\';
        *(*p)++ = *s;
    }
    **p = '\0';
}

/* Appends s to the buffer at *p as it is. */
static void zsh_spec_raw(char **p, char *end, const char *s)
{
    size_t n = strlen(s);
    if (n > (size_t)(end - *p) - 1)
        n = (size_t)(end - *p) - 1;
    memcpy(*p, s, n);
    *p += n;
    **p = '\0';
}

/* Appends the space-separated words of list, ; and | backslashed as put_word does. */
static void zsh_spec_words(char **p, char *end, const char *list)
{
    char word[64];
    int first = 1;
    while (*list) {
        size_t n = strcspn(list, " ");
        if (n && n < sizeof word - 2) {
            char *w = word;
            if (n == 1 && (list[0] == ';' || list[0] == '|'))
                *w++ = '\\';
            memcpy(w, list, n);
            w[n] = '\0';
            zsh_spec_raw(p, end, first ? "" : " ");
            zsh_spec_raw(p, end, word);
            first = 0;
        }
        list += n;
        list += strspn(list, " ");
    }
}

/* One option's _arguments spec, single-quoted: '*--since=[a since period (YYYY-MM-DD)]:date: ' */
static void zsh_option_spec(FILE *out, const option_spec *o)
{
    char spec[512];
    char *p = spec, *end = spec + sizeof spec;
    spec[0] = '\0';
    if (o->repeatable)
        zsh_spec_raw(&p, end, "*");
    zsh_spec_raw(&p, end, o->name);
    if (o->kind != V_NONE) /* --long=: the value as the next word or after =; -O+: the next word or joined */
        zsh_spec_raw(&p, end, o->name[1] == '-' ? "=" : "+");
    zsh_spec_raw(&p, end, "[");
    zsh_spec_text(&p, end, o->help);
    zsh_spec_raw(&p, end, "]");
    if (o->kind != V_NONE) {
        /* the message shown above the values: what free text is, else the option's name */
        const char *what = o->kind == V_TEXT  ? o->value
                           : o->kind == V_DIR ? "directory"
                           : o->kind == V_FILE ? "file"
                           : o->name[1] == '-' ? o->name + 2
                                               : "format"; /* -O */
        zsh_spec_raw(&p, end, ":");
        zsh_spec_text(&p, end, what);
        zsh_spec_raw(&p, end, ":");
    }
    switch (o->kind) {
    case V_WORDS:
        zsh_spec_raw(&p, end, "(");
        zsh_spec_words(&p, end, o->value);
        zsh_spec_raw(&p, end, ")");
        break;
    case V_FILE:
        zsh_spec_raw(&p, end, "_files");
        if (o->value) {
            zsh_spec_raw(&p, end, " -g \"*.(#i)");
            zsh_spec_raw(&p, end, o->value);
            zsh_spec_raw(&p, end, "(-.)\"");
        }
        break;
    case V_DIR: zsh_spec_raw(&p, end, "_files -/"); break;
    case V_TEXT: zsh_spec_raw(&p, end, " "); break; /* a message, nothing to complete */
    default: break;
    }
    put_sq(out, spec);
}

static void emit_zsh(FILE *out)
{
    fputs("#compdef defidx\n"
          "# zsh completion for defidx(1). Written by `defidx completion zsh`. Install it as _defidx in\n"
          "# a directory of $fpath (/usr/share/zsh/site-functions), or after compinit:\n"
          "# source <(defidx completion zsh)\n"
          "\n"
          "_defidx() {\n"
          "  local curcontext=$curcontext state state_descr line cmd word skip=0 i ret=1\n"
          "  typeset -A opt_args\n"
          "  local -a commands specs\n"
          "  commands=(\n",
          out);
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        char item[256];
        char *p = item;
        zsh_spec_raw(&p, item + sizeof item, commands[c].name);
        zsh_spec_raw(&p, item + sizeof item, ":");
        zsh_spec_raw(&p, item + sizeof item, commands[c].help);
        fputs("    ", out);
        put_sq(out, item);
        putc('\n', out);
    }
    fputs("  )\n"
          "  # the command: the first word that is neither an option nor an option's value\n"
          "  for (( i = 2; i < CURRENT; i++ )); do\n"
          "    word=${words[i]}\n"
          "    if (( skip )); then\n"
          "      skip=0\n"
          "      continue\n"
          "    fi\n"
          "    case $word in\n"
          "      (--) cmd=${words[i+1]}; break ;;\n"
          "      (",
          out);
    put_value_options(out, "|");
    fputs(") skip=1 ;;\n"
          "      (-*) ;;\n"
          "      (*) cmd=$word; break ;;\n"
          "    esac\n"
          "  done\n"
          "  case $cmd in\n",
          out);
    for (size_t c = 0; c <= COMMAND_COUNT; c++) {
        unsigned mask = c < COMMAND_COUNT ? commands[c].bit : C_ALL;
        fprintf(out, "    (%s)\n      specs=(\n", c < COMMAND_COUNT ? commands[c].name : "*");
        for (size_t i = 0; i < OPTION_COUNT; i++) {
            if (!(options[i].commands & mask))
                continue;
            fputs("        ", out);
            zsh_option_spec(out, &options[i]);
            putc('\n', out);
        }
        fputs("        '1: :->command'\n", out);
        if (mask == C_COMPLETION)
            fprintf(out, "        '2:shell:(%s)'\n", shells);
        else if (mask == C_HELP)
            fputs("        '2: :->command'\n", out);
        else if (mask & C_INPUT)
            fputs("        '*:price file:_files'\n", out);
        fputs("      ) ;;\n", out);
    }
    fputs("  esac\n"
          "  _arguments -s -S -C : $specs && ret=0\n"
          "  if [[ $state == command ]]; then\n"
          "    _describe -t commands 'defidx command' commands && ret=0\n"
          "  fi\n"
          "  return ret\n"
          "}\n"
          "\n"
          "if [[ $funcstack[1] == _defidx ]]; then\n"
          "  _defidx \"$@\"\n"
          "else\n"
          "  compdef _defidx defidx\n"
          "fi\n",
          out);
}

/* ---- fish ------------------------------------------------------------------------------------ */

static void emit_fish(FILE *out)
{
    fputs("# fish completion for defidx(1). Written by `defidx completion fish`. Install it as\n"
          "# /usr/share/fish/vendor_completions.d/defidx.fish, or: defidx completion fish | source\n"
          "\n"
          "# Prints the command on the line (the first word that is neither an option nor an option's\n"
          "# value); fails when there is none yet.\n"
          "function __defidx_command\n"
          "    set -l skip 0\n"
          "    set -l ended 0\n"
          "    for word in (commandline -opc)[2..-1]\n"
          "        if test $skip = 1\n"
          "            set skip 0\n"
          "            continue\n"
          "        end\n"
          "        if test $ended = 0\n"
          "            switch $word\n"
          "                case --\n"
          "                    set ended 1\n"
          "                    continue\n"
          "                case ",
          out);
    put_value_options(out, " ");
    fputs("\n"
          "                    set skip 1\n"
          "                    continue\n"
          "                case '-*'\n"
          "                    continue\n"
          "            end\n"
          "        end\n"
          "        echo $word\n"
          "        return 0\n"
          "    end\n"
          "    return 1\n"
          "end\n"
          "\n"
          "# True before the command, and when the command is one of the arguments.\n"
          "function __defidx_offers\n"
          "    set -l cmd (__defidx_command); or return 0\n"
          "    contains -- $cmd $argv\n"
          "end\n"
          "\n"
          "# Prints the directories and the files ending in .$argv[1] (in any case) that complete the\n"
          "# current token.\n"
          "function __defidx_files\n"
          "    set -l token (string replace -r -- '^--[^=]*=' '' (commandline -ct))\n"
          "    for f in (complete -C \"__fish_command_without_completions $token\")\n"
          "        if string match -qr -- '/$' $f; or string match -qir -- '\\\\.'$argv[1]'$' $f\n"
          "            echo $f\n"
          "        end\n"
          "    end\n"
          "end\n"
          "\n"
          "# True when the command is one of the arguments.\n"
          "function __defidx_using\n"
          "    set -l cmd (__defidx_command); or return 1\n"
          "    contains -- $cmd $argv\n"
          "end\n"
          "\n"
          "complete -c defidx -e\n"
          "# the commands (help takes one too); formats, completion and help read no files\n",
          out);
    for (size_t c = 0; c < COMMAND_COUNT; c++) {
        fprintf(out, "complete -c defidx -n 'not __defidx_command >/dev/null; or __defidx_using help' -f -a %s -d ",
                commands[c].name);
        put_fish_sq(out, commands[c].help);
        putc('\n', out);
    }
    fputs("complete -c defidx -n '__defidx_using ", out);
    put_command_names(out, C_FORMATS | C_COMPLETION | C_HELP);
    fputs("' -f\n", out);
    fprintf(out, "complete -c defidx -n '__defidx_using completion' -f -a '%s'\n", shells);
    fputs("\n# the options, for the commands that take them\n", out);
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_spec *o = &options[i];
        fputs("complete -c defidx -n '__defidx_offers ", out);
        put_command_names(out, o->commands);
        fputs("' ", out);
        fputs(o->name[1] == '-' ? "-l " : "-s ", out);
        fputs(o->name + strspn(o->name, "-"), out);
        switch (o->kind) {
        case V_WORDS:
            fputs(" -x -a '", out);
            put_words(out, o->value);
            fputs("'", out);
            break;
        case V_FILE:
            if (o->value)
                fprintf(out, " -r -f -a '(__defidx_files %s)'", o->value);
            else
                fputs(" -r -F", out);
            break;
        case V_DIR: fputs(" -x -a '(__fish_complete_directories)'", out); break;
        case V_TEXT: fputs(" -x", out); break;
        default: break;
        }
        fputs(" -d ", out);
        put_fish_sq(out, o->help);
        putc('\n', out);
    }
}

/* ---- the entry point -------------------------------------------------------------------------- */

int cli_completion(const char *shell, FILE *out)
{
    if (!shell)
        return -1;
    if (strcmp(shell, "bash") == 0)
        emit_bash(out);
    else if (strcmp(shell, "zsh") == 0)
        emit_zsh(out);
    else if (strcmp(shell, "fish") == 0)
        emit_fish(out);
    else
        return -1;
    return 0;
}
