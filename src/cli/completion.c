/* completion.c: `defidx completion SHELL`. The bash, zsh and fish scripts are written from the
 * command and option tables (cli.h): each command with its summary and what follows it, each
 * option with the commands it applies to, its help and what its value is (words, a file, a
 * directory or free text), so the three offer the same things and follow the command line.
 * tests/test_cli_table.c checks the scripts against the tables; tests/completion/check.sh drives
 * them as the shells do. */
#include "completion.h"
#include "cli.h"
#include "diag.h"

#include <string.h>

/* "Before the command": the options of every command, and the operands of none. */
#define ANY_COMMAND CLI_COMMAND_COUNT

/* ---- what the tables say, as the scripts need it ------------------------------------------------ */

/* 1 when option o is offered for command id (ANY_COMMAND: before one is given). */
static int offered(const cli_option *o, int id)
{
    return id == ANY_COMMAND || cli_option_applies(o, (cli_command_id)id);
}

/* o's names, short first: "-O", "--index" or both; returns how many (1 or 2). */
static int names_of(const cli_option *o, const char *names[2])
{
    int n = 0;
    if (o->short_name)
        names[n++] = o->short_name;
    if (o->long_name)
        names[n++] = o->long_name;
    return n;
}

/* Every name of the options offered for command id that pass want (NULL: all), separated by sep. */
static void put_option_names(FILE *out, int id, int (*want)(const cli_option *), const char *sep)
{
    int first = 1;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        const char *names[2];
        if (!offered(o, id) || (want && !want(o)))
            continue;
        for (int k = 0, n = names_of(o, names); k < n; k++, first = 0)
            fprintf(out, "%s%s", first ? "" : sep, names[k]);
    }
}

static int takes_value(const cli_option *o)
{
    return o->kind != CLI_VALUE_NONE;
}

/* The names of the commands whose flags include any of flags (0: every command), separated by
 * sep. */
static void put_command_names(FILE *out, unsigned flags, const char *sep)
{
    int first = 1;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (!flags || (cli_commands[id].flags & flags)) {
            fprintf(out, "%s%s", first ? "" : sep, cli_commands[id].name);
            first = 0;
        }
}

/* The commands that option o applies to, separated by spaces. */
static void put_option_commands(FILE *out, const cli_option *o)
{
    int first = 1;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (cli_option_applies(o, (cli_command_id)id)) {
            fprintf(out, "%s%s", first ? "" : " ", cli_commands[id].name);
            first = 0;
        }
}

/* ---- the shells ------------------------------------------------------------------------------- */

static void emit_bash(FILE *out);
static void emit_zsh(FILE *out);
static void emit_fish(FILE *out);

static const struct shell {
    const char *name;
    void (*emit)(FILE *out);
} shells[] = {{"bash", emit_bash}, {"zsh", emit_zsh}, {"fish", emit_fish}};
enum { SHELL_COUNT = sizeof shells / sizeof shells[0] };

void cli_completion_shells(char *buf, size_t size, const char *last)
{
    const char *names[SHELL_COUNT];
    for (int i = 0; i < SHELL_COUNT; i++)
        names[i] = shells[i].name;
    cli_join(buf, size, names, SHELL_COUNT, last);
}

int cli_completion(const char *shell, FILE *out)
{
    for (int i = 0; shell && i < SHELL_COUNT; i++)
        if (strcmp(shell, shells[i].name) == 0) {
            shells[i].emit(out);
            return 0;
        }
    return -1;
}

/* The shells' names separated by spaces, as the scripts offer them. */
static void put_shell_names(FILE *out)
{
    for (int i = 0; i < SHELL_COUNT; i++)
        fprintf(out, "%s%s", i ? " " : "", shells[i].name);
}

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

/* The space-separated words of list as the shell reads them: ; and | are shell syntax, so
 * backslashed. */
static void put_words(FILE *out, const char *list)
{
    int first = 1;
    while (*list) {
        size_t n = strcspn(list, " ");
        if (n) {
            if (!first)
                putc(' ', out);
            if (n == 1 && (list[0] == ';' || list[0] == '|'))
                putc('\\', out);
            fwrite(list, 1, n, out);
            first = 0;
        }
        list += n;
        list += strspn(list, " ");
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

/* ---- bash ------------------------------------------------------------------------------------ */

/* _defidx_command, which finds the command on the line, skipping the options' values. */
static void bash_command_function(FILE *out)
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
    put_option_names(out, ANY_COMMAND, takes_value, "|");
    fputs(") skip=1; continue ;;\n"
          "                -*) continue ;;\n"
          "            esac\n"
          "        fi\n"
          "        cmd=$w\n"
          "        return\n"
          "    done\n"
          "}\n"
          "\n",
          out);
}

/* The helpers that offer words, files and directories. */
static void bash_offer_functions(FILE *out)
{
    fputs("# Offers the words of $1 that start with $cur (the words are written as the shell reads them).\n"
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
          "\n",
          out);
}

/* What bash offers for the value of o. */
static void bash_value(FILE *out, const cli_option *o)
{
    switch (o->kind) {
    case CLI_VALUE_WORDS:
        fputs("_defidx_words '", out);
        put_words(out, o->values);
        putc('\'', out);
        break;
    case CLI_VALUE_FILE:
        fputs("_defidx_files '", out);
        if (o->values)
            put_ext_pattern(out, o->values);
        putc('\'', out);
        break;
    case CLI_VALUE_DIR: fputs("_defidx_dirs", out); break;
    default: fputs("COMPREPLY=()", out); break; /* free text: nothing to offer */
    }
}

/* _defidx_value: the values of each option that takes one. */
static void bash_value_function(FILE *out)
{
    fputs("# Offers the values of option $1; returns 1 when $1 takes no value.\n"
          "_defidx_value()\n"
          "{\n"
          "    case $1 in\n",
          out);
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        const char *names[2] = {NULL, NULL};
        if (!takes_value(o))
            continue;
        int n = names_of(o, names);
        fprintf(out, "        %s%s%s) ", names[0], n > 1 ? "|" : "", n > 1 ? names[1] : "");
        bash_value(out, o);
        fputs(" ;;\n", out);
    }
    fputs("        *) return 1 ;;\n"
          "    esac\n"
          "    return 0\n"
          "}\n"
          "\n",
          out);
}

/* _defidx's start: an option's value is completed first, also as --option=value or -Ovalue. */
static void bash_main_values(FILE *out)
{
    fputs("_defidx()\n"
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
          "        prev=${cur%%=*} pre=${cur%%=*}= cur=${cur#*=}\n",
          out);
    for (size_t i = 0; i < cli_option_count; i++) {
        const char *s = cli_options[i].short_name;
        if (s && cli_options[i].kind == CLI_VALUE_WORDS) /* a word joined to its option: -Ojson */
            fprintf(out, "    elif [[ $cur == %s?* ]]; then\n        prev=%s pre=%s cur=${cur#%s}\n", s, s, s, s);
    }
    fputs("    fi\n"
          "    if [[ $prev == -* || -n $pre ]] && _defidx_value \"$prev\"; then\n"
          "        if [[ -n $pre ]]; then\n"
          "            for i in \"${!COMPREPLY[@]}\"; do COMPREPLY[i]=$pre${COMPREPLY[i]}; done\n"
          "        fi\n"
          "        return 0\n"
          "    fi\n",
          out);
}

/* _defidx's end: the options of the command on the line, else what follows the command. */
static void bash_main_words(FILE *out)
{
    fputs("    _defidx_command\n"
          "    if [[ $cur == -* ]]; then\n"
          "        case $cmd in\n",
          out);
    for (int id = 0; id <= ANY_COMMAND; id++) {
        fprintf(out, "            %s) opts='", id < ANY_COMMAND ? cli_commands[id].name : "*");
        put_option_names(out, id, NULL, " ");
        fputs("' ;;\n", out);
    }
    fputs("        esac\n"
          "        _defidx_words \"$opts\"\n"
          "        return 0\n"
          "    fi\n"
          "    case $cmd in\n"
          "        ''|",
          out);
    put_command_names(out, CLI_CMD_TAKES_COMMAND, "|");
    fputs(") _defidx_words '", out);
    put_command_names(out, 0, " ");
    fputs("' ;;\n        ", out);
    put_command_names(out, CLI_CMD_TAKES_SHELL, "|");
    fputs(") _defidx_words '", out);
    put_shell_names(out);
    fputs("' ;;\n", out);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) /* the commands that take a folder */
        if (cli_commands[id].flags & CLI_CMD_TAKES_DIR)
            fprintf(out, "        %s) _defidx_dirs ;;\n", cli_commands[id].name);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) /* the commands that take nothing */
        if (!(cli_commands[id].flags &
              (CLI_CMD_READS_PRICES | CLI_CMD_TAKES_SHELL | CLI_CMD_TAKES_COMMAND | CLI_CMD_TAKES_DIR)))
            fprintf(out, "        %s) ;;\n", cli_commands[id].name);
    fputs("        *) _defidx_files '' ;; # PRICES\n"
          "    esac\n"
          "    return 0\n"
          "}\n"
          "\n"
          "complete -F _defidx defidx\n",
          out);
}

static void emit_bash(FILE *out)
{
    bash_command_function(out);
    bash_offer_functions(out);
    bash_value_function(out);
    bash_main_values(out);
    bash_main_words(out);
}

/* ---- zsh ------------------------------------------------------------------------------------- */

/* An _arguments spec is built in a buffer, then written single-quoted. */
typedef struct spec {
    char text[512];
    size_t len;
} spec;

/* Appends s; with escape, [ ] : and \ backslashed, as text inside a spec must be. */
static void spec_add(spec *sp, const char *s, int escape)
{
    for (; *s && sp->len + 2 < sizeof sp->text; s++) {
        if (escape && strchr("[]:\\", *s))
            sp->text[sp->len++] = '\\';
        sp->text[sp->len++] = *s;
    }
    sp->text[sp->len] = '\0';
}

/* Appends the space-separated words of list, ; and | backslashed as put_words does. */
static void spec_words(spec *sp, const char *list)
{
    int first = 1;
    while (*list) {
        size_t n = strcspn(list, " ");
        if (n) {
            char word[64];
            snprintf(word, sizeof word, "%s%s%.*s", first ? "" : " ",
                     n == 1 && (list[0] == ';' || list[0] == '|') ? "\\" : "", (int)n, list);
            spec_add(sp, word, 0);
            first = 0;
        }
        list += n;
        list += strspn(list, " ");
    }
}

/* What follows the message of an option's value: the words, the files, or nothing to complete. */
static void spec_value(spec *sp, const cli_option *o)
{
    switch (o->kind) {
    case CLI_VALUE_WORDS:
        spec_add(sp, "(", 0);
        spec_words(sp, o->values);
        spec_add(sp, ")", 0);
        break;
    case CLI_VALUE_FILE:
        spec_add(sp, "_files", 0);
        if (o->values) {
            spec_add(sp, " -g \"*.(#i)", 0);
            spec_add(sp, o->values, 0);
            spec_add(sp, "(-.)\"", 0);
        }
        break;
    case CLI_VALUE_DIR: spec_add(sp, "_files -/", 0); break;
    case CLI_VALUE_TEXT: spec_add(sp, " ", 0); break; /* a message, nothing to complete */
    default: break;
    }
}

/* One name's _arguments spec, single-quoted: '*--since=[a since period (YYYY-MM-DD)]:date: ' */
static void zsh_option_spec(FILE *out, const cli_option *o, const char *name)
{
    spec sp = {.len = 0};
    sp.text[0] = '\0';
    if (o->flags & CLI_OPT_REPEATABLE)
        spec_add(&sp, "*", 0);
    spec_add(&sp, name, 0);
    if (takes_value(o)) /* --long=: the value as the next word or after =; -O+: the next word or joined */
        spec_add(&sp, name[1] == '-' ? "=" : "+", 0);
    spec_add(&sp, "[", 0);
    spec_add(&sp, o->brief, 1);
    spec_add(&sp, "]", 0);
    if (takes_value(o)) {
        /* the message shown above the values: what free text is, else the option's name */
        const char *what = o->kind == CLI_VALUE_TEXT  ? o->values
                           : o->kind == CLI_VALUE_DIR  ? "directory"
                           : o->kind == CLI_VALUE_FILE ? "file"
                           : o->long_name              ? o->long_name + 2
                                                       : o->brief;
        spec_add(&sp, ":", 0);
        spec_add(&sp, what, 1);
        spec_add(&sp, ":", 0);
    }
    spec_value(&sp, o);
    put_sq(out, sp.text);
}

/* The command list, and the loop that finds the command on the line. */
static void zsh_commands(FILE *out)
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
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) {
        spec item = {.len = 0};
        spec_add(&item, cli_commands[id].name, 0);
        spec_add(&item, ":", 0);
        spec_add(&item, cli_commands[id].summary, 0);
        fputs("    ", out);
        put_sq(out, item.text);
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
    put_option_names(out, ANY_COMMAND, takes_value, "|");
    fputs(") skip=1 ;;\n"
          "      (-*) ;;\n"
          "      (*) cmd=$word; break ;;\n"
          "    esac\n"
          "  done\n",
          out);
}

/* The specs of command id (ANY_COMMAND: before one): its options, then what follows it. */
static void zsh_specs(FILE *out, int id)
{
    unsigned flags = id < ANY_COMMAND ? cli_commands[id].flags : CLI_CMD_READS_PRICES;
    fprintf(out, "    (%s)\n      specs=(\n", id < ANY_COMMAND ? cli_commands[id].name : "*");
    for (size_t i = 0; i < cli_option_count; i++) {
        const char *names[2];
        if (!offered(&cli_options[i], id))
            continue;
        for (int k = 0, n = names_of(&cli_options[i], names); k < n; k++) {
            fputs("        ", out);
            zsh_option_spec(out, &cli_options[i], names[k]);
            putc('\n', out);
        }
    }
    fputs("        '1: :->command'\n", out);
    if (flags & CLI_CMD_TAKES_SHELL) {
        fputs("        '2:shell:(", out);
        put_shell_names(out);
        fputs(")'\n", out);
    } else if (flags & CLI_CMD_TAKES_COMMAND) {
        fputs("        '2: :->command'\n", out);
    } else if (flags & CLI_CMD_TAKES_DIR) {
        fputs("        '2:folder:_files -/'\n", out);
    } else if (flags & CLI_CMD_READS_PRICES) {
        fputs("        '*:price file:_files'\n", out);
    }
    fputs("      ) ;;\n", out);
}

static void emit_zsh(FILE *out)
{
    zsh_commands(out);
    fputs("  case $cmd in\n", out);
    for (int id = 0; id <= ANY_COMMAND; id++)
        zsh_specs(out, id);
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

/* __defidx_command, which finds the command on the line, skipping the options' values. */
static void fish_command_function(FILE *out)
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
    put_option_names(out, ANY_COMMAND, takes_value, " ");
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
          "\n",
          out);
}

/* The tests the completions are conditioned on, and the offer of files. */
static void fish_helper_functions(FILE *out)
{
    fputs("# True before the command, and when the command is one of the arguments.\n"
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
          "complete -c defidx -e\n",
          out);
}

/* The commands, and what follows those that read no price files. */
static void fish_commands(FILE *out)
{
    fputs("# the commands (help takes one too); only those that read prices take files\n", out);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++) {
        fputs("complete -c defidx -n 'not __defidx_command >/dev/null; or __defidx_using ", out);
        put_command_names(out, CLI_CMD_TAKES_COMMAND, " ");
        fprintf(out, "' -f -a %s -d ", cli_commands[id].name);
        put_fish_sq(out, cli_commands[id].summary);
        putc('\n', out);
    }
    fputs("complete -c defidx -n '__defidx_using", out);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (!(cli_commands[id].flags & CLI_CMD_READS_PRICES))
            fprintf(out, " %s", cli_commands[id].name);
    fputs("' -f\n", out);
    fputs("complete -c defidx -n '__defidx_using ", out);
    put_command_names(out, CLI_CMD_TAKES_SHELL, " ");
    fputs("' -f -a '", out);
    put_shell_names(out);
    fputs("'\n", out);
    fputs("complete -c defidx -n '__defidx_using ", out);
    put_command_names(out, CLI_CMD_TAKES_DIR, " ");
    fputs("' -f -a '(__fish_complete_directories)'\n", out);
}

/* One option: the commands that take it, its names, its value and its help. */
static void fish_option(FILE *out, const cli_option *o)
{
    fputs("complete -c defidx -n '__defidx_offers ", out);
    put_option_commands(out, o);
    fputs("'", out);
    if (o->short_name)
        fprintf(out, " -s %s", o->short_name + 1);
    if (o->long_name)
        fprintf(out, " -l %s", o->long_name + 2);
    switch (o->kind) {
    case CLI_VALUE_WORDS:
        fputs(" -x -a '", out);
        put_words(out, o->values);
        fputs("'", out);
        break;
    case CLI_VALUE_FILE:
        if (o->values)
            fprintf(out, " -r -f -a '(__defidx_files %s)'", o->values);
        else
            fputs(" -r -F", out);
        break;
    case CLI_VALUE_DIR: fputs(" -x -a '(__fish_complete_directories)'", out); break;
    case CLI_VALUE_TEXT: fputs(" -x", out); break;
    default: break;
    }
    fputs(" -d ", out);
    put_fish_sq(out, o->brief);
    putc('\n', out);
}

static void emit_fish(FILE *out)
{
    fish_command_function(out);
    fish_helper_functions(out);
    fish_commands(out);
    fputs("\n# the options, for the commands that take them\n", out);
    for (size_t i = 0; i < cli_option_count; i++)
        fish_option(out, &cli_options[i]);
}
