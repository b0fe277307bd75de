/* main.c: defidx's command line. It only parses arguments, wires the library's stages together
 * (load -> panel -> compute -> emit) and maps errors to the exit codes of docs/formats.md. */
#define _POSIX_C_SOURCE 200809L
#include "defidx.h"
#include "completion.h"
#include "freshness.h"
#include "help.h"
#include "output.h"
#include "report.h"
#include "spark.h"
#include "suggest.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum exit_code {
    EXIT_USAGE = 64,
    EXIT_DATA = 65,
    EXIT_NOINPUT = 66,
    EXIT_SOFTWARE = 70,
    EXIT_CANTCREAT = 73,
    EXIT_IOERR = 74,
    EXIT_TEMPFAIL = 75 /* sysexits' "try again later": the data is older than --max-age */
};

/* How many trading days the sparklines of --spark show: about a month. */
#define SPARK_DAYS 20

typedef struct cli {
    const char *command;
    const char *index_path;
    const char *fx_path;
    const char *actions_path;
    const char *output_path;
    cli_look look;
    int quiet, verbose, help;
    int spark;                 /* compute: a trend column */
    int trend;                 /* compute: sparklines wanted (--spark, or trend in --columns) */
    int color_given;           /* --color was given */
    int constituents;          /* chart: each constituent rebased too */
    int32_t chart_from;        /* chart: the first date shown */
    int chart_width, chart_height;
    const char *out_dir;       /* report */
    int print, stamp;          /* report */
    int max_age;               /* report, check: business days; -1 when not given */
    defidx_options opt;
    defidx_load_options load;
    int32_t since[64];
    defidx_ticker_currency ticker_currencies[64]; /* --ticker-currency SYM=CCY, split in place */
    char ticker_currency_codes[64][4];            /* ...and each CCY as written to be used: GBX */
    char **prices;
    int price_count;
    size_t *first_ticker_of_file; /* the panel's ticker count before each file (the base note) */
} cli;

static int exit_code_for(int status)
{
    switch (status) {
    case DEFIDX_OK: return 0;
    case DEFIDX_EUSAGE: return EXIT_USAGE;
    case DEFIDX_EDATA: return EXIT_DATA;
    case DEFIDX_EINPUT: return EXIT_NOINPUT;
    case DEFIDX_ECREATE: return EXIT_CANTCREAT;
    case DEFIDX_EWRITE: return EXIT_IOERR;
    case CLI_ESTALE: return EXIT_TEMPFAIL;
    default: return EXIT_SOFTWARE;
    }
}

/* Prints "defidx: FILE:LINE:COL: message" and returns the exit code for the error. */
static int report_error(const defidx_error *err)
{
    char text[1200];
    defidx_error_format(err, text, sizeof text);
    fprintf(stderr, "defidx: %s\n", text);
    return exit_code_for(err->code);
}

/* Prints "defidx: message (hint: hint)" for a mistake on the command line; returns 64. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static int usage_va(const char *hint, const char *fmt, va_list ap)
{
    fprintf(stderr, "defidx: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (hint: %s)\n", hint);
    return EXIT_USAGE;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_va("defidx --help", fmt, ap);
    va_end(ap);
    return rc;
}

/* usage_error with a hint of its own instead of "defidx --help". */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int usage_hint(const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_va(hint, fmt, ap);
    va_end(ap);
    return rc;
}

/* One warning (or note) on one line: "defidx: warning: FILE:LINE:COL: message (hint: ...)" after
 * what, the location as errors have it (FILE: alone without a line, a column unknown as 1). */
static void print_warning(FILE *out, const char *what, const defidx_warning *w)
{
    fprintf(out, "defidx: %s: ", what);
    if (w->file && w->line > 0)
        fprintf(out, "%s:%ld:%ld: ", w->file, w->line, w->column > 0 ? w->column : 1);
    else if (w->file)
        fprintf(out, "%s: ", w->file);
    fputs(w->message, out);
    if (w->hint)
        fprintf(out, " (hint: %s)", w->hint);
    putc('\n', out);
}

/* Each warning on a line of out, and a last line counting those not kept. */
static void put_warnings(FILE *out, const defidx_warnings *w)
{
    for (size_t i = 0; i < w->count; i++)
        print_warning(out, "warning", &w->details[i]);
    if (w->suppressed)
        fprintf(out, "defidx: warning: %zu more warnings not shown\n", w->suppressed);
}

/* The warnings go to stderr in one write: stderr is unbuffered, and a write each was dozens of
 * system calls on a market-wide file (0.4 ms of the benchmark's 10 ms run on 45 thousand rows).
 * Without memory for that, a write each: the same lines, never fewer. glibc's memory stream says
 * nothing when it cannot grow (it drops the bytes) or trim its buffer at the close (it frees it),
 * so the text is used only when it is as long as the lines are: "defidx: warning: ", the warning
 * as printed (items), a newline. */
static void print_warnings(const cli *c, const defidx_warnings *w)
{
    if (c->quiet || (!w->count && !w->suppressed))
        return;
    size_t expected = 0;
    for (size_t i = 0; i < w->count; i++)
        expected += strlen("defidx: warning: ") + strlen(w->items[i]) + 1;
    char *text = NULL;
    size_t len = 0;
    FILE *buffer = open_memstream(&text, &len);
    int whole = 0;
    if (buffer) {
        put_warnings(buffer, w);
        if (w->suppressed) /* its line as put_warnings writes it */
            expected += (size_t)snprintf(NULL, 0, "defidx: warning: %zu more warnings not shown\n", w->suppressed);
        whole = !ferror(buffer);
        whole &= fclose(buffer) == 0 && text && len == expected;
    }
    if (whole)
        fwrite(text, 1, len, stderr);
    else
        put_warnings(stderr, w);
    free(text);
}

/* Notes say what a default decided (the base date, an inferred currency): for people, so on
 * stderr, and silenced by -q like the warnings. */
static void print_notes(const cli *c, const defidx_warnings *notes)
{
    for (size_t i = 0; !c->quiet && i < notes->count; i++)
        print_warning(stderr, "note", &notes->details[i]);
}

/* The file a ticker came from first, when several were read into a panel. */
static const char *file_of_ticker(const cli *c, const defidx_panel *p, const char *ticker)
{
    long j = p ? defidx_panel_find(p, ticker) : -1;
    for (int i = c->price_count - 1; j >= 0 && c->first_ticker_of_file && i >= 0; i--)
        if ((size_t)j >= c->first_ticker_of_file[i])
            return c->prices[i];
    return c->prices[0];
}

/* The note that says the default base date was the common start, and who set it: the ticker, and
 * its file when there are several. */
static void print_base_note(const cli *c, const defidx_result *r, const defidx_panel *p)
{
    if (c->quiet || !r->base_last[0])
        return;
    char date[11];
    defidx_date_format(r->base_date, date);
    const char *file = c->price_count > 1 ? file_of_ticker(c, p, r->base_last) : NULL;
    fprintf(stderr, "defidx: note: the index starts on %s, the first date on which every constituent has a price; "
                    "%s%s%s%s starts last (hint: --base-date sets another)\n",
            date, r->base_last, file ? " (" : "", file ? (strcmp(file, "-") == 0 ? "standard input" : file) : "",
            file ? ")" : "");
}

static int parse_date_arg(const char *option, const char *text, int32_t *out)
{
    defidx_error err;
    if (defidx_date_parse(text, strlen(text), out, &err)) {
        fprintf(stderr, "defidx: %s: %s (hint: dates are YYYY-MM-DD)\n", option, err.message);
        return EXIT_USAGE;
    }
    return 0;
}

enum long_only { OPT_INDEX = 256, OPT_WEIGHTING, OPT_BASE_DATE, OPT_BASE_VALUE, OPT_AS_OF, OPT_SINCE,
                 OPT_FX, OPT_CURRENCY, OPT_ACTIONS, OPT_RETURN, OPT_REBALANCE, OPT_MAX_GAP, OPT_HELP,
                 OPT_VERSION, OPT_DELIMITER, OPT_DECIMAL_MARK, OPT_DATE_FORMAT, OPT_TICKER, OPT_PRICE_FIELD,
                 OPT_NO_HEADER, OPT_SPARK, OPT_CONSTITUENTS, OPT_FROM, OPT_WIDTH, OPT_HEIGHT, OPT_OUT_DIR,
                 OPT_PRINT, OPT_STAMP, OPT_MAX_AGE, OPT_COLUMNS, OPT_COLOR, OPT_TICKER_CURRENCY, OPT_MAX_JUMP };

static const struct option long_options[] = {
    {"index", required_argument, NULL, OPT_INDEX},
    {"weighting", required_argument, NULL, OPT_WEIGHTING},
    {"base-date", required_argument, NULL, OPT_BASE_DATE},
    {"base-value", required_argument, NULL, OPT_BASE_VALUE},
    {"as-of", required_argument, NULL, OPT_AS_OF},
    {"since", required_argument, NULL, OPT_SINCE},
    {"fx", required_argument, NULL, OPT_FX},
    {"currency", required_argument, NULL, OPT_CURRENCY},
    {"actions", required_argument, NULL, OPT_ACTIONS},
    {"return", required_argument, NULL, OPT_RETURN},
    {"rebalance", required_argument, NULL, OPT_REBALANCE},
    {"max-gap", required_argument, NULL, OPT_MAX_GAP},
    {"max-jump", required_argument, NULL, OPT_MAX_JUMP},
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"decimal-mark", required_argument, NULL, OPT_DECIMAL_MARK},
    {"date-format", required_argument, NULL, OPT_DATE_FORMAT},
    {"ticker", required_argument, NULL, OPT_TICKER},
    {"price-field", required_argument, NULL, OPT_PRICE_FIELD},
    {"no-header", no_argument, NULL, OPT_NO_HEADER},
    {"color", required_argument, NULL, OPT_COLOR},
    {"columns", required_argument, NULL, OPT_COLUMNS},
    {"spark", no_argument, NULL, OPT_SPARK},
    {"constituents", no_argument, NULL, OPT_CONSTITUENTS},
    {"from", required_argument, NULL, OPT_FROM},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"height", required_argument, NULL, OPT_HEIGHT},
    {"out-dir", required_argument, NULL, OPT_OUT_DIR},
    {"print", no_argument, NULL, OPT_PRINT},
    {"stamp", no_argument, NULL, OPT_STAMP},
    {"max-age", required_argument, NULL, OPT_MAX_AGE},
    {"ticker-currency", required_argument, NULL, OPT_TICKER_CURRENCY},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

/* A whole number from lo to hi, for option. */
static int parse_count(const char *option, const char *arg, int lo, int hi, const char *what, int *out)
{
    double x;
    if (defidx_number_parse(arg, strlen(arg), &x) || x < lo || x > hi || x != (int)x)
        return usage_error("%s: '%s' is not %s (%d to %d)", option, arg, what, lo, hi);
    *out = (int)x;
    return 0;
}

/* --color auto|always|never. */
static int parse_color(cli *c, const char *arg)
{
    static const char *const modes[] = {[CLI_COLOR_AUTO] = "auto", [CLI_COLOR_ALWAYS] = "always",
                                        [CLI_COLOR_NEVER] = "never"};
    for (int m = 0; m < (int)(sizeof modes / sizeof modes[0]); m++)
        if (strcmp(arg, modes[m]) == 0) {
            c->look.color_mode = m;
            c->color_given = 1;
            return 0;
        }
    return usage_error("--color: '%s' is not auto, always or never", arg);
}

/* The options of the report and chart commands and of compute's presentation. */
static int apply_output_option(cli *c, int opt, const char *arg)
{
    switch (opt) {
    case OPT_NO_HEADER: c->look.emit.header = 0; return 0;
    case OPT_COLOR: return parse_color(c, arg);
    case OPT_COLUMNS: c->look.emit.columns = arg; return 0;
    case OPT_SPARK: c->spark = 1; return 0;
    case OPT_CONSTITUENTS: c->constituents = 1; return 0;
    case OPT_FROM: return parse_date_arg("--from", arg, &c->chart_from);
    case OPT_WIDTH: return parse_count("--width", arg, 400, 10000, "a width in pixels", &c->chart_width);
    case OPT_HEIGHT: return parse_count("--height", arg, 200, 10000, "a height in pixels", &c->chart_height);
    case OPT_OUT_DIR: c->out_dir = arg; return 0;
    case OPT_PRINT: c->print = 1; return 0;
    case OPT_STAMP: c->stamp = 1; return 0;
    case OPT_MAX_AGE: return parse_count("--max-age", arg, 0, 100000, "a number of business days", &c->max_age);
    default: return usage_error("%s", "unknown option");
    }
}

/* --ticker-currency SYM=CCY: arg is split in place (argv is ours to change). */
static int add_ticker_currency(cli *c, char *arg)
{
    char *eq = strrchr(arg, '=');
    char iso[4];
    double unit;
    if (!eq || eq == arg || eq - arg > 63 || defidx_currency_unit(eq + 1, iso, &unit))
        return usage_error("--ticker-currency: '%s' is not SYM=CCY, e.g. BA.L=GBX (pence) or RHM.DE=EUR", arg);
    if (c->opt.ticker_currency_count == sizeof c->ticker_currencies / sizeof c->ticker_currencies[0])
        return usage_error("--ticker-currency: at most 64 tickers%s", "");
    *eq = '\0';
    /* one spelling, whatever the case: "gbx" and "GBp" are GBX (pence), "eur" is EUR */
    char *code = c->ticker_currency_codes[c->opt.ticker_currency_count];
    static const struct { const char *iso, *minor; } minor_units[] = {{"GBP", "GBX"}, {"ZAR", "ZAC"}, {"ILS", "ILA"}};
    memcpy(code, iso, 4);
    for (size_t i = 0; unit != 1 && i < sizeof minor_units / sizeof minor_units[0]; i++)
        if (strcmp(iso, minor_units[i].iso) == 0)
            memcpy(code, minor_units[i].minor, 4);
    c->ticker_currencies[c->opt.ticker_currency_count++] = (defidx_ticker_currency){arg, code};
    return 0;
}

/* Handles one option; returns 0, or an exit code (-1 for "--version done, exit 0"). */
static int apply_option(cli *c, int opt, char *arg)
{
    switch (opt) {
    case OPT_INDEX: c->index_path = arg; return 0;
    case OPT_FX: c->fx_path = arg; return 0;
    case OPT_CURRENCY: {
        char iso[4];
        double unit;
        if (defidx_currency_unit(arg, iso, &unit) || unit != 1)
            return usage_error("--currency: '%s' is not an ISO currency code such as EUR", arg);
        c->opt.currency = arg;
        return 0;
    }
    case OPT_WEIGHTING:
        if ((c->opt.weighting = defidx_weighting_parse(arg)) < 0)
            return usage_error("--weighting: '%s' is not ffmcap, mcap, equal, price or fixed", arg);
        return 0;
    case OPT_BASE_DATE: return parse_date_arg("--base-date", arg, &c->opt.base_date);
    case OPT_AS_OF: return parse_date_arg("--as-of", arg, &c->opt.as_of);
    case OPT_SINCE:
        if (c->opt.since_count == sizeof c->since / sizeof c->since[0])
            return usage_error("--since: at most 64 periods%s", "");
        return parse_date_arg("--since", arg, &c->since[c->opt.since_count++]);
    case OPT_BASE_VALUE:
        if (defidx_number_parse(arg, strlen(arg), &c->opt.base_value) || !(c->opt.base_value > 0) ||
            !isfinite(c->opt.base_value))
            return usage_error("--base-value: '%s' is not a positive number", arg);
        return 0;
    case OPT_REBALANCE:
        if (strcmp(arg, "none") == 0)
            c->opt.rebalance = DEFIDX_REBALANCE_NONE;
        else if (strcmp(arg, "monthly") == 0)
            c->opt.rebalance = DEFIDX_REBALANCE_MONTHLY;
        else if (strcmp(arg, "quarterly") == 0)
            c->opt.rebalance = DEFIDX_REBALANCE_QUARTERLY;
        else
            return usage_error("--rebalance: '%s' is not none, monthly or quarterly", arg);
        return 0;
    case OPT_RETURN:
        if ((c->opt.return_type = defidx_return_parse(arg)) < 0)
            return usage_error("--return: '%s' is not price, net or gross", arg);
        return 0;
    case OPT_ACTIONS: c->actions_path = arg; return 0;
    case OPT_TICKER_CURRENCY: return add_ticker_currency(c, arg);
    case OPT_MAX_GAP: {
        double gap;
        if (defidx_number_parse(arg, strlen(arg), &gap) || gap < 1 || gap > 100000 || gap != (int)gap)
            return usage_error("--max-gap: '%s' is not a number of trading days (1 or more)", arg);
        c->opt.max_gap = (int)gap;
        return 0;
    }
    case OPT_MAX_JUMP: {
        /* Below 1% a day's ordinary noise would be flagged; above 100x (a close 101 times the
         * last) nothing is left to flag: the documented range. */
        double jump;
        if (defidx_number_parse(arg, strlen(arg), &jump) || !(jump >= 0.01 && jump <= 100))
            return usage_error("--max-jump: '%s' is not a fraction from 0.01 to 100 (0.5 is 50%%)", arg);
        c->opt.max_jump = jump;
        return 0;
    }
    case OPT_DELIMITER:
        if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
            c->load.delimiter = '\t';
        else if (strlen(arg) == 1 && strchr(",;|", arg[0]))
            c->load.delimiter = arg[0];
        else
            return usage_error("--delimiter: '%s' is not , ; | or tab", arg);
        return 0;
    case OPT_DECIMAL_MARK:
        if (strlen(arg) != 1 || !strchr(".,", arg[0]))
            return usage_error("--decimal-mark: '%s' is not . or ,", arg);
        c->load.decimal_mark = arg[0];
        return 0;
    case OPT_DATE_FORMAT: {
        char bad[160];
        if (defidx_date_format_check(arg, bad, sizeof bad))
            return usage_error("--date-format: '%s': %s; e.g. %%d.%%m.%%Y or %%m/%%d/%%Y", arg, bad);
        c->load.date_format = arg;
        return 0;
    }
    case OPT_TICKER:
        if (!*arg || strlen(arg) > 63)
            return usage_error("--ticker: '%s' is not a ticker (1 to 63 characters)", arg);
        c->load.ticker = arg;
        return 0;
    case OPT_PRICE_FIELD:
        if (strcmp(arg, "close") == 0)
            c->load.price_field = DEFIDX_FIELD_CLOSE;
        else if (strcmp(arg, "adj_close") == 0)
            c->load.price_field = DEFIDX_FIELD_ADJ_CLOSE;
        else
            return usage_error("--price-field: '%s' is not close or adj_close", arg);
        c->opt.price_field = c->load.price_field;
        return 0;
    case 'O':
        if ((c->look.format = defidx_format_parse(arg)) < 0)
            return usage_error("-O: '%s' is not table, tsv, csv, json, md or html", arg);
        return 0;
    case 'o': c->output_path = arg; return 0;
    case 'q': c->quiet = 1; return 0;
    case 'v': c->verbose = 1; return 0;
    case OPT_HELP: c->help = 1; return 0;
    case OPT_VERSION: printf("defidx %s\n", DEFIDX_VERSION); return -1;
    default: return apply_output_option(c, opt, arg);
    }
}

/* What the environment says about the output: DEFIDX_FORMAT pins the default format (for
 * scripts written before a default changed); NO_COLOR (set and not empty) and TERM=dumb turn
 * colour off (https://no-color.org). */
static int read_environment(cli *c)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    c->look.color_wanted = !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
    return 0;
}

static int names_word(const char *list, const char *word);

/* 1 for the commands whose output is a table in one of the -O formats. */
static int writes_table(const char *command)
{
    return names_word("compute series rebase divisors formats", command);
}

/* DEFIDX_FORMAT pins the default format of the commands that write tables (any case: JSON, json).
 * Read only for them, so that a bad value cannot stop --version, check or report. */
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
        return usage_error("DEFIDX_FORMAT: '%s' is not table, tsv, csv, json, md or html", format);
    return 0;
}

/* 1 when the list of words (separated by blanks or commas) names word: "report check" names
 * check, not "port"; "ticker, trend" names trend. */
static int names_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
            return 1;
    return 0;
}

/* An option given to a command it does not apply to is a mistake worth saying. */
static int check_option_commands(const cli *c)
{
    const struct {
        int given;
        const char *option, *commands;
    } rules[] = {
        {c->spark, "--spark", "compute"},
        {c->look.emit.columns != NULL, "--columns", "compute"},
        {c->color_given, "--color", "compute, series, rebase, divisors and formats"},
        {c->constituents, "--constituents", "chart"},
        {c->chart_from != DEFIDX_NO_DATE, "--from", "chart"},
        {c->chart_width > 0 || c->chart_height > 0, "--width/--height", "chart"},
        {c->out_dir != NULL, "--out-dir", "report"},
        {c->print, "--print", "report"},
        {c->stamp, "--stamp", "report"},
        {c->max_age >= 0, "--max-age", "report and check"},
        {c->opt.max_jump > 0, "--max-jump", "compute series divisors check chart report"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].given && !names_word(rules[i].commands, c->command))
            return usage_error("%s applies to %s only, not to %s", rules[i].option, rules[i].commands, c->command);
    /* check and report write no table (report writes files of its own under --out-dir) */
    int writes_table = strcmp(c->command, "check") != 0 && strcmp(c->command, "report") != 0;
    if (!writes_table && (c->look.format >= 0 || c->output_path || !c->look.emit.header))
        return usage_error("-O, -o and --no-header do not apply to %s%s", c->command,
                           c->command[0] == 'r' ? " (use --out-dir DIR)" : " (it is silent on success)");
    if (strcmp(c->command, "report") == 0 && !c->out_dir)
        return usage_error("%s", "report: --out-dir DIR is required");
    if (strcmp(c->command, "chart") == 0 && c->look.format >= 0)
        return usage_error("%s", "chart writes SVG only; -O does not apply (use -o FILE.svg)");
    const char *slash = c->output_path ? strrchr(c->output_path, '/') : NULL;
    const char *dot = c->output_path ? strrchr(slash ? slash : c->output_path, '.') : NULL;
    if (strcmp(c->command, "chart") == 0 && dot && strcmp(dot, ".svg") != 0 && strcmp(dot, ".SVG") != 0)
        return usage_error("chart writes SVG, not %s: -o chart.svg, then rsvg-convert -o chart.png chart.svg", dot);
    return 0;
}

#define COMMAND_LIST "compute, series, rebase, divisors, check, chart, report, formats or completion"

/* -o's file name and -O (or DEFIDX_FORMAT) agree on the format, and without either the name
 * says one: a report.pdf or out.xlsx that held TSV would mislead whoever opens it. */
static int check_output_name(const cli *c)
{
    if (cli_is_stdout(c->output_path) || !writes_table(c->command))
        return 0;
    int named = cli_extension_format(c->output_path);
    const char *ext = strrchr(c->output_path, '.');
    if (c->look.format >= 0 && named >= 0 && named != c->look.format) {
        char hint[96];
        snprintf(hint, sizeof hint, "name the file .%s, or leave out -O",
                 c->look.format == DEFIDX_FORMAT_TABLE ? "txt" : defidx_format_name(c->look.format));
        return usage_hint(hint, "-O %s -o %s: the file name says %s", defidx_format_name(c->look.format),
                          c->output_path, defidx_format_name(named));
    }
    if (c->look.format < 0 && c->look.fallback_format < 0 && named == CLI_EXTENSION_OTHER)
        return usage_hint("name it .txt (table), .tsv, .csv, .json, .md or .html, or give -O "
                          "table|tsv|csv|json|md|html to write that format under any name",
                          "-o %s: defidx does not write %s files", c->output_path, ext);
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
        return usage_hint("jq picks fields: jq '.constituents[] | {ticker, weight}'",
                          "--columns does not apply to JSON, which keeps its schema");
    if (names_word(list, "trend")) {
        if (format != DEFIDX_FORMAT_TABLE)
            return usage_error("%s", "--columns: trend, the sparklines, is drawn in the aligned table only (-O table)");
        c->trend = 1;
    }
    return 0;
}

/* An unknown or ambiguous option (arg as typed, perhaps with =VALUE): says so and, when a long
 * option is near enough to be what was meant (--weigthing, -weighting), names it. */
static int unknown_option(const char *arg)
{
    const char *word = arg + strspn(arg, "-");
    int len = (int)strcspn(word, "=");
    enum { OPTION_COUNT = sizeof long_options / sizeof long_options[0] - 1 };
    const char *names[OPTION_COUNT];
    char typed[80], hint[160] = "";
    snprintf(typed, sizeof typed, "%.*s", len, word);
    size_t prefixed = 0;
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        names[i] = long_options[i].name;
        if (arg[1] == '-' && len > 0 && strncmp(names[i], word, (size_t)len) == 0) {
            size_t used = strlen(hint);
            snprintf(hint + used, sizeof hint - used, "%s--%s", prefixed++ ? " or " : "", names[i]);
        }
    }
    if (prefixed > 1) /* getopt takes a unique prefix (--weigh), and refuses one it cannot resolve */
        return usage_hint(hint, "option '--%s' is ambiguous", typed);
    /* two letters after one dash are a cluster of short options (-qx), not a long option */
    const char *near = arg[1] == '-' || len > 2 ? cli_nearest(typed, names, OPTION_COUNT) : NULL;
    if (!near)
        return usage_error("unknown option '%.*s'", (int)(word - arg) + len, arg);
    snprintf(hint, sizeof hint, "did you mean --%s?", near);
    return usage_hint(hint, "unknown option '%.*s'", (int)(word - arg) + len, arg);
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
    if (optopt == 'O' || optopt == 'o')
        return usage_error("option -%c needs an argument", optopt);
    if (optopt >= OPT_INDEX) { /* a long option it knows */
        const char *arg = argv[optind - 1];
        if (strchr(arg, '='))
            return usage_error("option '%.*s' takes no value", (int)strcspn(arg, "="), arg);
        return usage_error("option '%s' needs an argument", arg);
    }
    if (optopt) /* a short one, the last letter of the argument before, or getopt stays on its
                   argument for the letters that follow (-weighting) */
        return unknown_option((short_cluster_ends(argv[optind - 1], optopt) || optind >= argc)
                                  ? argv[optind - 1] : argv[optind]);
    return unknown_option(argv[optind - 1]);
}

/* A command that is none: names the nearest when it is near enough (compte: compute). */
static int unknown_command(const char *command)
{
    const char *names[16];
    size_t n = 0;
    while (n < sizeof names / sizeof names[0] && (names[n] = cli_command_name(n)) != NULL)
        n++;
    const char *near = cli_nearest(command, names, n);
    if (!near)
        return usage_error("'%s' is not a command: " COMMAND_LIST, command);
    char hint[64];
    snprintf(hint, sizeof hint, "did you mean %s?", near);
    return usage_hint(hint, "'%s' is not a command", command);
}

static int parse_args(cli *c, int argc, char **argv)
{
    defidx_options_init(&c->opt);
    defidx_load_options_init(&c->load);
    c->look.format = -1;
    c->look.fallback_format = -1;
    defidx_emit_options_init(&c->look.emit);
    c->chart_from = DEFIDX_NO_DATE;
    c->max_age = -1;
    c->opt.since = c->since;
    c->opt.ticker_currencies = c->ticker_currencies;
    int env_rc = read_environment(c);
    if (env_rc)
        return env_rc;
    opterr = 0;
    int opt;
    /* GNU getopt permutes, so options may follow the command and the files. */
    while ((opt = getopt_long(argc, argv, "O:o:qv", long_options, NULL)) != -1) {
        if (opt == '?')
            return option_error(argc, argv);
        int rc = apply_option(c, opt, optarg);
        if (rc)
            return rc;
    }
    if (optind < argc && strcmp(argv[optind], "help") == 0) { /* defidx help [COMMAND] */
        c->help = 1;
        optind++;
    }
    if (optind >= argc) {
        if (c->help) {
            fputs(cli_help_text(NULL), stdout);
            return -1;
        }
        return usage_error("%s", "no command given: " COMMAND_LIST);
    }
    c->command = argv[optind++];
    if (!cli_help_text(c->command))
        return unknown_command(c->command);
    if (c->help) {
        fputs(cli_help_text(c->command), stdout);
        return -1;
    }
    int rc = check_option_commands(c);
    if (!rc && writes_table(c->command))
        rc = read_format_environment(c);
    if (!rc)
        rc = check_output_name(c);
    if (!rc)
        rc = check_columns(c);
    if (rc)
        return rc;
    c->prices = argv + optind;
    c->price_count = argc - optind;
    if (strcmp(c->command, "formats") == 0 || strcmp(c->command, "completion") == 0)
        return 0; /* needs no files (completion's argument is the shell) */
    if (c->price_count == 0)
        return usage_error("%s: no price files given (use - for standard input)", c->command);
    int stdin_uses = 0;
    for (int i = 0; i < c->price_count; i++)
        stdin_uses += strcmp(c->prices[i], "-") == 0;
    if (stdin_uses > 1)
        return usage_error("%s", "standard input (-) can be read only once");
    return 0;
}

/* Reads every price file into one panel. */
static int load_panel(cli *c, defidx_panel **out, defidx_warnings *w, defidx_error *err)
{
    defidx_panel *p = defidx_panel_new();
    if (!p)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    defidx_panel_set_max_jump(p, c->opt.max_jump);
    for (int i = 0; i < c->price_count && !rc; i++) {
        if (c->first_ticker_of_file)
            c->first_ticker_of_file[i] = defidx_panel_ticker_count(p);
        rc = defidx_load_prices_opt(p, c->prices[i], &c->load, w, err);
    }
    if (!rc)
        rc = defidx_panel_finish(p, w, err);
    if (rc) {
        defidx_panel_free(p);
        return rc;
    }
    if (c->verbose)
        fprintf(stderr, "defidx: loaded %zu tickers on %zu dates from %d file(s)\n",
                defidx_panel_ticker_count(p), defidx_panel_date_count(p), c->price_count);
    *out = p;
    return 0;
}

/* Moves load warnings into the result so that JSON output carries them too. rc when it is an error
 * already (the warnings move all the same, to be printed with it), else 0 or DEFIDX_ENOMEM. */
static int merge_warnings(defidx_warnings *into, defidx_warnings *from, int rc, defidx_error *err)
{
    int moved = defidx_warnings_move(into, from);
    if (rc || !moved)
        return rc;
    return defidx_error_set(err, moved, NULL, 0, 0, "out of memory");
}

/* formats: the recognised shapes of price files, as a table; the whole table or, out of memory,
 * nothing but the error. */
static int print_formats(const cli *c)
{
    static const char *header[] = {"format", "example", "detected by"};
    size_t n;
    const defidx_format_info *f = defidx_formats(&n);
    defidx_table t;
    defidx_error err;
    defidx_error_clear(&err);
    int rc = defidx_table_init(&t, 3, header);
    for (size_t i = 0; i < n && !rc; i++) {
        defidx_cell *row = defidx_table_add_row(&t);
        if (!row) {
            rc = DEFIDX_ENOMEM;
            break;
        }
        row[0] = defidx_cell_text(f[i].name);
        row[1] = defidx_cell_text(f[i].example);
        row[2] = defidx_cell_text(f[i].detection);
    }
    if (rc)
        rc = defidx_error_set(&err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = cli_write_table(c->output_path, &c->look, &t, &err);
    defidx_table_free(&t);
    return rc ? report_error(&err) : 0;
}

/* completion SHELL: the script on stdout. */
static int print_completion(const cli *c)
{
    if (c->price_count != 1)
        return usage_error("%s", "completion: name one shell: bash, zsh or fish");
    if (cli_completion(c->prices[0], stdout) != 0)
        return usage_error("completion: '%s' is not bash, zsh or fish", c->prices[0]);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_IOERR;
}

/* 1 when check fails on the result's data: a price carried over more than --max-gap trading
 * days, or a spike. */
static int check_fails(const defidx_result *r)
{
    return r->stale_count > 0 || r->spike_count > 0 || r->stale_constituents > 0;
}

/* One-day spikes, for check and report: exit 65 naming how many (the warnings name each row). */
static int spikes_error(const defidx_result *r, const char *what_next, defidx_error *err)
{
    return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                            "%zu one-day spike(s) in the closes%s%s (hint: see the warnings above, which name each row; --max-jump sets the limit)",
                            r->spike_count, r->stale_count ? ", and price gap(s) longer than --max-gap" : "", what_next);
}

/* check: the inputs load and compute (any error has already stopped the run), the data is not
 * older than --max-age, no price is carried over more than --max-gap trading days and no close is
 * a one-day spike beyond --max-jump. Silent on success, for cron. */
static int check_result(const defidx_result *r, defidx_error *err)
{
    if (r->spike_count > 0)
        return spikes_error(r, "", err);
    if (r->stale_count == 0)
        return cli_check_stale(r, 0, err); /* the report's rule: a price stale at the as-of date */
    return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                            "%zu price gap(s) longer than the allowed trading days (hint: see the warnings above; --max-gap sets the limit)",
                            r->stale_count);
}

/* The index definition, FX rates and corporate actions, in that order; actions' warnings go to w. */
static int load_inputs(cli *c, defidx_spec **spec, defidx_fx **fx, defidx_actions **actions,
                       defidx_warnings *w, defidx_error *err)
{
    int rc = 0;
    if (c->index_path)
        rc = defidx_spec_load(spec, c->index_path, err);
    if (!rc && c->fx_path)
        rc = defidx_fx_load(fx, c->fx_path, err);
    if (!rc && c->actions_path)
        rc = defidx_actions_load(actions, c->actions_path, w, err);
    c->opt.actions = *actions;
    return rc;
}

/* The inputs and the result of one run, freed together. */
typedef struct run_state {
    defidx_panel *panel;
    defidx_spec *spec;
    defidx_fx *fx;
    defidx_actions *actions;
    defidx_result *result;
    defidx_warnings load_warnings, action_warnings;
    defidx_table table;
    char **sparks;
} run_state;

/* chart: the SVG, through cli_write so that -o is atomic like every other output. */
typedef struct chart_job {
    const defidx_result *result;
    defidx_chart_options options;
} chart_job;

static int write_chart(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    (void)format;
    (void)o;
    const chart_job *job = what;
    return defidx_chart_svg(out, job->result, &job->options, err);
}

static int write_chart_command(const cli *c, const run_state *s, defidx_error *err)
{
    chart_job job = {s->result, {0}};
    defidx_chart_options_init(&job.options);
    if (c->chart_width > 0)
        job.options.width = c->chart_width;
    if (c->chart_height > 0)
        job.options.height = c->chart_height;
    job.options.from = c->chart_from;
    defidx_chart_line *lines = NULL;
    size_t count = 0;
    int rc = 0;
    if (c->constituents)
        rc = defidx_chart_rebased_lines(s->panel, s->result,
                                        c->chart_from != DEFIDX_NO_DATE ? c->chart_from : s->result->base_date,
                                        &lines, &count, err);
    job.options.extra = lines;
    job.options.extra_count = count;
    job.options.rebased = c->constituents; /* the index starts at 100 with its constituents */
    if (!rc)
        rc = cli_write(c->output_path, &c->look, write_chart, &job, err);
    defidx_chart_lines_free(lines, count);
    return rc;
}

/* report: the bundle, unless the data is too old; then exit 65 when a price in it is stale or a
 * close a one-day spike, so that a cron job mails the banner's news rather than staying silent. */
static int write_report_command(const cli *c, const defidx_result *r, defidx_error *err)
{
    char stamp[32] = "";
    if (c->stamp) {
        time_t now = time(NULL);
        struct tm utc;
        if (now == (time_t)-1 || !gmtime_r(&now, &utc) ||
            strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
            return defidx_error_set(err, DEFIDX_EINTERNAL, NULL, 0, 0, "cannot read the clock");
    }
    cli_report report = {c->out_dir, c->print, c->stamp ? stamp : NULL};
    int rc = cli_report_write(&report, r, err);
    if (!rc && r->spike_count > 0)
        rc = spikes_error(r, "; the report is written and says so", err);
    return rc ? rc : cli_check_stale(r, 1, err);
}

/* compute: the result, with its trend column when --spark asks for one in a table. */
static int write_compute(const cli *c, run_state *s, defidx_error *err)
{
    cli_look look = c->look;
    /* the trend column is for people: a table; other formats leave it out */
    if (c->trend && s->panel) {
        int rc = cli_sparks(s->result, s->panel, SPARK_DAYS, !cli_utf8_locale(), &s->sparks, err);
        if (rc)
            return rc;
        look.emit.spark = (const char *const *)s->sparks;
    }
    return cli_write_result(c->output_path, &look, s->result, err);
}

/* Writes what the command asks for of a computed result. */
static int write_result(const cli *c, run_state *s, defidx_error *err)
{
    defidx_result *result = s->result;
    /* check is silent on success; its warnings explain a failure */
    if (strcmp(c->command, "check") != 0 || check_fails(result)) {
        print_notes(c, &result->notes);
        print_base_note(c, result, s->panel);
        print_warnings(c, &result->warnings);
    }
    if (c->verbose && c->price_count == 1) /* several files: load_panel said how many it read */
        fprintf(stderr, "defidx: read %s %s\n", c->prices[0],
                result->one_pass == 1   ? "in one pass"
                : result->one_pass == 2 ? "per ticker (not sorted by date)"
                                        : "into a panel (the general reader)");
    if (c->verbose)
        fprintf(stderr, "defidx: %s weighting, %zu review(s), %zu dates in the series\n",
                defidx_weighting_name(result->weighting), result->review_count, result->date_count);
    /* --max-age comes first: stale data writes nothing at all */
    int rc = cli_check_age(result, c->prices[c->price_count - 1], c->max_age, err);
    if (rc)
        return rc;
    if (strcmp(c->command, "series") == 0 || strcmp(c->command, "divisors") == 0) {
        rc = c->command[0] == 's' ? defidx_series_table(result, &s->table, err)
                                  : defidx_divisors_table(result, &s->table, err);
        return rc ? rc : cli_write_table(c->output_path, &c->look, &s->table, err);
    }
    if (strcmp(c->command, "check") == 0)
        return check_result(result, err);
    if (strcmp(c->command, "chart") == 0)
        return write_chart_command(c, s, err);
    if (strcmp(c->command, "report") == 0)
        return write_report_command(c, result, err);
    return write_compute(c, s, err);
}

/* The general order: every price file into a panel, then the other inputs, then the computation.
 * Errors come in that order too: a bad price file is reported before a bad definition. */
static int run_with_panel(cli *c, run_state *s, defidx_error *err)
{
    int rc = load_panel(c, &s->panel, &s->load_warnings, err);
    if (!rc)
        rc = load_inputs(c, &s->spec, &s->fx, &s->actions, &s->load_warnings, err);
    if (!rc && strcmp(c->command, "rebase") == 0) {
        rc = defidx_rebase_table(s->panel, c->opt.base_date, &s->table, &s->load_warnings, err);
        print_warnings(c, &s->load_warnings);
        return rc ? rc : cli_write_table(c->output_path, &c->look, &s->table, err);
    }
    if (!rc)
        rc = defidx_compute(s->panel, s->spec, s->fx, &c->opt, &s->result, err);
    return rc;
}

/* One price file: the other inputs first, so that a date-sorted file can be computed as it is
 * read (defidx_compute_file). When they fail, the general order decides which error is shown. */
static int run_one_file(cli *c, run_state *s, defidx_error *err)
{
    defidx_error input_err;
    defidx_error_clear(&input_err);
    int rc = load_inputs(c, &s->spec, &s->fx, &s->actions, &s->action_warnings, &input_err);
    if (rc) {
        int input_rc = rc;
        if (!(rc = load_panel(c, &s->panel, &s->load_warnings, err))) {
            *err = input_err;
            rc = input_rc;
        }
        return merge_warnings(&s->load_warnings, &s->action_warnings, rc, err);
    }
    rc = defidx_compute_file(c->prices[0], &c->load, s->spec, s->fx, &c->opt, &s->result,
                             &s->load_warnings, err);
    return merge_warnings(&s->load_warnings, &s->action_warnings, rc, err);
}

/* 1 when the command needs the prices in a panel after computing: rebase, the constituents'
 * sparklines and chart lines. */
static int needs_panel(const cli *c)
{
    int table = cli_pick_format(c->look.format, c->output_path, c->look.fallback_format) == DEFIDX_FORMAT_TABLE;
    return strcmp(c->command, "rebase") == 0 || (c->trend && table) || c->constituents;
}

static int run(cli *c, defidx_error *err)
{
    run_state s = {0};
    int rebase = strcmp(c->command, "rebase") == 0;
    c->first_ticker_of_file = calloc((size_t)c->price_count, sizeof *c->first_ticker_of_file);
    if (!c->first_ticker_of_file)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = c->price_count == 1 && !needs_panel(c) ? run_one_file(c, &s, err) : run_with_panel(c, &s, err);
    if (!rc && !rebase && !(rc = merge_warnings(&s.result->warnings, &s.load_warnings, 0, err)))
        rc = write_result(c, &s, err);
    if (rc)
        print_warnings(c, &s.load_warnings);
    cli_sparks_free(s.sparks, s.result && s.sparks ? 1 + s.result->constituent_count : 0);
    defidx_warnings_free(&s.load_warnings);
    defidx_warnings_free(&s.action_warnings);
    defidx_table_free(&s.table);
    defidx_result_free(s.result);
    defidx_fx_free(s.fx);
    defidx_actions_free(s.actions);
    defidx_spec_free(s.spec);
    defidx_panel_free(s.panel);
    free(c->first_ticker_of_file);
    c->first_ticker_of_file = NULL;
    return rc;
}

int main(int argc, char **argv)
{
    /* A closed pipe (defidx series ... | head) ends the run quietly, as it does for cat and grep,
     * even when the parent process left SIGPIPE ignored. */
    signal(SIGPIPE, SIG_DFL);
    cli c = {0};
    int rc = parse_args(&c, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(c.command, "formats") == 0)
        return print_formats(&c);
    if (strcmp(c.command, "completion") == 0)
        return print_completion(&c);
    defidx_error err;
    defidx_error_clear(&err);
    rc = run(&c, &err);
    return rc ? report_error(&err) : 0;
}
