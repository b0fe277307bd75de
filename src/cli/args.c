/* args.c: the command line into a struct cli. getopt_long's table is built from the option table,
 * each option's row applies its value, the command is looked up in the command table, and the
 * rules across options and commands ("--spark applies to compute only") are checked from the
 * rows; a mistyped option or command is named with the nearest one. */
#define _POSIX_C_SOURCE 200809L
#include "args.h"
#include "diag.h"
#include "suggest.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's value for the long option of row i: above every character. */
#define LONG_OPTION(i) (256 + (int)(i))

/* ---- getopt from the option table -------------------------------------------------------------- */

/* getopt_long's tables for the option rows: longs (with the terminating zero row) and shorts
 * ("O:o:qv"). */
static void getopt_tables(struct option longs[CLI_OPTION_MAX + 1], char shorts[2 * CLI_OPTION_MAX + 1])
{
    size_t n = 0, s = 0;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        int has_arg = o->kind == CLI_VALUE_NONE ? no_argument : required_argument;
        if (o->long_name)
            longs[n++] = (struct option){o->long_name + 2, has_arg, NULL, LONG_OPTION(i)};
        if (o->short_name) {
            shorts[s++] = o->short_name[1];
            if (has_arg == required_argument)
                shorts[s++] = ':';
        }
    }
    longs[n] = (struct option){NULL, 0, NULL, 0};
    shorts[s] = '\0';
}

/* The row of getopt's value opt, or NULL. */
static const cli_option *option_of(int opt)
{
    if (opt >= LONG_OPTION(0))
        return (size_t)(opt - LONG_OPTION(0)) < cli_option_count ? &cli_options[opt - LONG_OPTION(0)] : NULL;
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].short_name && cli_options[i].short_name[1] == opt)
            return &cli_options[i];
    return NULL;
}

/* ---- mistakes ---------------------------------------------------------------------------------- */

/* An unknown or ambiguous option (arg as typed, perhaps with =VALUE): says so and, when a long
 * option is near enough to be what was meant (--weigthing, -weighting), names it. */
static int unknown_option(const char *arg)
{
    const char *word = arg + strspn(arg, "-");
    int len = (int)strcspn(word, "=");
    const char *names[CLI_OPTION_MAX];
    size_t count = 0, prefixed = 0;
    char typed[80], hint[160] = "";
    snprintf(typed, sizeof typed, "%.*s", len, word);
    for (size_t i = 0; i < cli_option_count; i++) {
        if (!cli_options[i].long_name)
            continue;
        const char *name = cli_options[i].long_name + 2;
        names[count++] = name;
        if (arg[1] == '-' && len > 0 && strncmp(name, word, (size_t)len) == 0) {
            size_t used = strlen(hint);
            snprintf(hint + used, sizeof hint - used, "%s--%s", prefixed++ ? " or " : "", name);
        }
    }
    if (prefixed > 1) /* getopt takes a unique prefix (--weigh), and refuses one it cannot resolve */
        return cli_usage_hint(hint, "option '--%s' is ambiguous", typed);
    /* two letters after one dash are a cluster of short options (-qx), not a long option */
    const char *near = arg[1] == '-' || len > 2 ? cli_nearest(typed, names, count) : NULL;
    if (!near)
        return cli_usage_error("unknown option '%.*s'", (int)(word - arg) + len, arg);
    snprintf(hint, sizeof hint, "did you mean --%s?", near);
    return cli_usage_hint(hint, "unknown option '%.*s'", (int)(word - arg) + len, arg);
}

/* 1 when arg is a cluster of short options (-qv) that ends with letter. */
static int short_cluster_ends(const char *arg, int letter)
{
    size_t n = strlen(arg);
    return n >= 2 && arg[0] == '-' && arg[1] != '-' && arg[n - 1] == letter;
}

/* getopt's '?': an option it does not know, or one without its value or with one it takes none. */
static int option_error(int argc, char **argv)
{
    if (optopt >= LONG_OPTION(0)) { /* a long option it knows */
        const char *arg = argv[optind - 1];
        if (strchr(arg, '='))
            return cli_usage_error("option '%.*s' takes no value", (int)strcspn(arg, "="), arg);
        return cli_usage_error("option '%s' needs an argument", arg);
    }
    if (optopt && option_of(optopt)) /* a short one that needs its value */
        return cli_usage_error("option -%c needs an argument", optopt);
    if (optopt) /* a short one, the last letter of the argument before, or getopt stays on its
                   argument for the letters that follow (-weighting) */
        return unknown_option((short_cluster_ends(argv[optind - 1], optopt) || optind >= argc)
                                  ? argv[optind - 1] : argv[optind]);
    return unknown_option(argv[optind - 1]);
}

/* A command that is none: names the nearest when it is near enough (compte: compute). */
static int unknown_command(const char *word)
{
    const char *names[CLI_COMMAND_COUNT];
    size_t n = 0;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (!(cli_commands[id].flags & CLI_CMD_UNLISTED))
            names[n++] = cli_commands[id].name;
    const char *near = cli_nearest(word, names, n);
    if (!near) {
        char list[160];
        cli_command_list(list, sizeof list, CLI_ALL_COMMANDS, " or ");
        return cli_usage_error("'%s' is not a command: %s", word, list);
    }
    char hint[64];
    snprintf(hint, sizeof hint, "did you mean %s?", near);
    return cli_usage_hint(hint, "'%s' is not a command", word);
}

/* ---- rules across options and commands --------------------------------------------------------- */

/* An option given to a command it does not apply to: a mistake worth saying for the strict ones
 * (the others are ignored there, so that scripts can pass one set to several commands); -O, -o
 * and --no-header for a command that writes nothing to them; then the command's own rules. */
static int check_option_commands(const cli *c)
{
    const cli_command *cmd = cli_command_of(c);
    const char *output[CLI_OPTION_MAX];
    size_t outputs = 0, given_outputs = 0;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (c->given[i] && (o->flags & CLI_OPT_STRICT) && !cli_option_applies(o, c->command)) {
            char list[160];
            cli_command_list(list, sizeof list, cli_option_commands(o), " and ");
            return cli_usage_error("%s applies to %s only, not to %s", cli_option_name(o), list, cmd->name);
        }
        if (o->flags & CLI_OPT_OUTPUT) {
            output[outputs++] = cli_option_name(o);
            given_outputs += c->given[i] != 0;
        }
    }
    if (cmd->no_output && given_outputs) {
        char list[160];
        cli_join(list, sizeof list, output, outputs, " and ");
        return cli_usage_error("%s do not apply to %s (%s)", list, cmd->name, cmd->no_output);
    }
    return cmd->check ? cmd->check(c) : 0;
}

/* What the environment says: NO_COLOR (set and not empty) and TERM=dumb turn colour off
 * (https://no-color.org). For tests and diagnosis (docs/testing.md), DEFIDX_ONE_PASS=0 reads every
 * file into a panel, so that the one pass can be checked against it, and DEFIDX_THREADS=1|2 fixes
 * how many threads parse a large file: the library reads no environment, so they become load
 * options here. */
static void read_environment(cli *c)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    c->look.color_wanted = !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
    const char *one_pass = getenv("DEFIDX_ONE_PASS"), *threads = getenv("DEFIDX_THREADS");
    if (one_pass && strcmp(one_pass, "0") == 0)
        c->load.reader = DEFIDX_READER_PANEL;
    if (threads && (strcmp(threads, "1") == 0 || strcmp(threads, "2") == 0))
        c->load.threads = threads[0] - '0';
}

/* DEFIDX_FORMAT pins the default format of the commands that write tables (any case: JSON, json),
 * for scripts written before a default changed. Read only for them, so that a bad value cannot
 * stop --version, check or report. */
static int read_format_environment(cli *c)
{
    const char *format = getenv("DEFIDX_FORMAT");
    char lower[16];
    size_t n = format ? strlen(format) : 0;
    c->look.fallback_format = -1;
    if (!n)
        return 0;
    for (size_t i = 0; i < n && i < sizeof lower - 1; i++)
        lower[i] = (char)(format[i] >= 'A' && format[i] <= 'Z' ? format[i] - 'A' + 'a' : format[i]);
    lower[n < sizeof lower - 1 ? n : sizeof lower - 1] = '\0';
    if (n >= sizeof lower || (c->look.fallback_format = defidx_format_parse(lower)) < 0)
        return cli_usage_error("DEFIDX_FORMAT: '%s' is not table, tsv, csv, json, md or html", format);
    return 0;
}

/* -o's file name and -O (or DEFIDX_FORMAT) agree on the format, and without either the name
 * says one: a report.pdf or out.xlsx that held TSV would mislead whoever opens it. */
static int check_output_name(const cli *c)
{
    if (c->look.format == CLI_FORMAT_TERM)
        return cli_usage_hint("-O term is chart's: defidx chart -O term", "%s does not draw in the terminal",
                              cli_command_of(c)->name);
    if (cli_is_stdout(c->output_path))
        return 0;
    int named = cli_extension_format(c->output_path);
    const char *ext = strrchr(c->output_path, '.');
    if (c->look.format >= 0 && named >= 0 && named != c->look.format) {
        char hint[96];
        snprintf(hint, sizeof hint, "name the file .%s, or leave out -O",
                 c->look.format == DEFIDX_FORMAT_TABLE ? "txt" : defidx_format_name(c->look.format));
        return cli_usage_hint(hint, "-O %s -o %s: the file name says %s", defidx_format_name(c->look.format),
                              c->output_path, defidx_format_name(named));
    }
    if (c->look.format < 0 && c->look.fallback_format < 0 && named == CLI_EXTENSION_OTHER) {
        /* the formats as their table lists them: ".txt (table), .tsv, ... or .xlsx" and "table|tsv|..." */
        char extensions[256] = "", names[128] = "", hint[512];
        for (int f = 0; f < DEFIDX_FORMAT_COUNT; f++) {
            const char *e = defidx_format_extension(f), *n = defidx_format_name(f);
            size_t used = strlen(extensions);
            snprintf(extensions + used, sizeof extensions - used, "%s.%s%s%s%s",
                     f == 0 ? "" : f + 1 == DEFIDX_FORMAT_COUNT ? " or " : ", ", e, strcmp(e, n) ? " (" : "",
                     strcmp(e, n) ? n : "", strcmp(e, n) ? ")" : "");
            used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", f ? "|" : "", n);
        }
        snprintf(hint, sizeof hint, "name it %s, or give -O %s to write that format under any name", extensions,
                 names);
        return cli_usage_hint(hint, "-o %s: defidx does not write %s files", c->output_path, ext);
    }
    return 0;
}

/* 1 when the comma-separated list names word: "ticker,trend" names trend, "trendy" does not. */
static int list_names(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
            return 1;
    return 0;
}

/* --columns: not for JSON, whose keys are a schema; trend only where sparklines are drawn. Sets
 * c->trend: whether to draw them. */
static int check_columns(cli *c)
{
    const char *list = c->look.emit.columns;
    c->trend = c->spark;
    if (!list)
        return 0;
    int format = cli_pick_format(c->look.format, c->output_path, c->look.fallback_format);
    if (format == DEFIDX_FORMAT_JSON)
        return cli_usage_hint("jq picks fields: jq '.constituents[] | {ticker, weight}'",
                              "--columns does not apply to JSON, which keeps its schema");
    if (list_names(list, "trend")) {
        if (format != DEFIDX_FORMAT_TABLE)
            return cli_usage_error("%s", "--columns: trend, the sparklines, is drawn in the aligned table only (-O table)");
        c->trend = 1;
    }
    return 0;
}

/* How many input files of the options (--index -, --fx -, --actions -: the FILE options other
 * than -o) name standard input. */
static int stdin_options(const cli *c)
{
    int uses = 0;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (o->kind != CLI_VALUE_FILE || (o->flags & CLI_OPT_OUTPUT) || !c->given[i])
            continue;
        const char *path = *(const char *const *)(const void *)((const char *)c + o->field);
        uses += path && strcmp(path, "-") == 0;
    }
    return uses;
}

/* The operands: price files for the commands that read them, at least one; standard input read
 * once in all, by an operand or an option (--index - - would find it empty the second time). */
static int check_operands(const cli *c)
{
    if (!(cli_command_of(c)->flags & CLI_CMD_READS_PRICES))
        return 0; /* completion's operand is the shell; its write checks it */
    /* a definition may name them (project.c) */
    if (c->operand_count == 0 && !(c->index_path && (cli_command_of(c)->flags & CLI_CMD_COMPUTES)))
        return cli_usage_error("%s: no price files given (use - for standard input)", cli_command_of(c)->name);
    int stdin_uses = stdin_options(c);
    for (int i = 0; i < c->operand_count; i++)
        stdin_uses += strcmp(c->operands[i], "-") == 0;
    if (stdin_uses > 1)
        return cli_usage_hint("give the others as files", "standard input (-) can be read only once");
    return 0;
}

/* ---- the whole command line ---------------------------------------------------------------------- */

static void set_defaults(cli *c)
{
    defidx_options_init(&c->opt);
    defidx_load_options_init(&c->load);
    c->look.format = -1;
    c->look.fallback_format = -1;
    defidx_emit_options_init(&c->look.emit);
    c->chart_from = DEFIDX_NO_DATE;
    c->max_age = -1;
    c->opt.since = c->since;
    c->opt.by = c->by;
    c->opt.ticker_currencies = c->ticker_currencies;
    c->help_topic = CLI_HELP;
    read_environment(c);
}

/* Every option, wherever it is: GNU getopt permutes, so options may follow the command and the
 * files. */
static int apply_options(cli *c, int argc, char **argv)
{
    struct option longs[CLI_OPTION_MAX + 1];
    char shorts[2 * CLI_OPTION_MAX + 1];
    getopt_tables(longs, shorts);
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const cli_option *o = opt == '?' ? NULL : option_of(opt);
        if (!o)
            return option_error(argc, argv);
        size_t i = (size_t)(o - cli_options);
        if (o->kind == CLI_VALUE_FILE && !*optarg) /* -o '': no file can have that name */
            return cli_usage_hint("name a file, or - for standard input or output", "%s: the file name is empty",
                                  cli_option_name(o));
        if (c->given[i] < 255)
            c->given[i]++;
        int rc = o->apply(c, o, optarg);
        if (rc)
            return rc;
    }
    return 0;
}

/* The command word, after "help" when that comes first: help [COMMAND] and --help make the run
 * the help command's, with the command (or the general help) as its topic. */
static int read_command(cli *c, int argc, char **argv)
{
    const cli_command *cmd = optind < argc ? cli_command_find(argv[optind]) : NULL;
    if (cmd && (cmd->flags & CLI_CMD_TAKES_COMMAND)) {
        c->help = 1;
        optind++;
    }
    if (optind >= argc) {
        if (!c->help) {
            char list[160];
            cli_command_list(list, sizeof list, CLI_ALL_COMMANDS, " or ");
            return cli_usage_error("no command given: %s", list);
        }
        c->command = CLI_HELP;
        return 0;
    }
    const char *word = argv[optind++];
    cmd = cli_command_find(word);
    if (!cmd || (cmd->flags & CLI_CMD_UNLISTED))
        return unknown_command(word);
    c->command = (cli_command_id)(cmd - cli_commands);
    if (c->help) {
        c->help_topic = c->command;
        c->command = CLI_HELP;
    }
    return 0;
}

int cli_parse_args(cli *c, int argc, char **argv)
{
    set_defaults(c);
    int rc = apply_options(c, argc, argv);
    if (!rc)
        rc = read_command(c, argc, argv);
    if (rc || c->command == CLI_HELP)
        return rc; /* help shows itself, whatever else the line says */
    rc = check_option_commands(c);
    if (!rc && (cli_command_of(c)->flags & CLI_CMD_WRITES_TABLE))
        rc = read_format_environment(c);
    if (!rc && (cli_command_of(c)->flags & CLI_CMD_WRITES_TABLE))
        rc = check_output_name(c);
    if (!rc)
        rc = check_columns(c);
    c->operands = argv + optind;
    c->operand_count = argc - optind;
    return rc ? rc : check_operands(c);
}
