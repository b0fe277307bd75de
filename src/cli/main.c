/* main.c: defidx's command line. It only parses arguments, wires the library's stages together
 * (load -> panel -> compute -> emit) and maps errors to the exit codes of CONTRACT.md. */
#define _POSIX_C_SOURCE 200809L
#include "defidx.h"
#include "output.h"

#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum exit_code {
    EXIT_USAGE = 64,
    EXIT_DATA = 65,
    EXIT_NOINPUT = 66,
    EXIT_SOFTWARE = 70,
    EXIT_CANTCREAT = 73,
    EXIT_IOERR = 74
};

typedef struct cli {
    const char *command;
    const char *index_path;
    const char *fx_path;
    const char *actions_path;
    const char *output_path;
    int format; /* -1: chosen from -o's extension or the terminal */
    int quiet, verbose;
    defidx_options opt;
    defidx_load_options load;
    int32_t since[64];
    char **prices;
    int price_count;
} cli;

static const char usage_text[] =
    "Usage: defidx COMMAND [OPTIONS] PRICES...\n"
    "\n"
    "Computes a STOXX-style equity index (Laspeyres, with a divisor) from constituents' prices and\n"
    "reports its returns. PRICES are CSV or JSON files, or - for standard input.\n"
    "\n"
    "Commands:\n"
    "  compute   index level, period returns (1d, wtd, mtd, ytd, since), constituents\n"
    "  series    one row per date: date, level, divisor, constituents\n"
    "  rebase    each constituent's price rebased to 100 at --base-date (wide)\n"
    "  divisors  every divisor change: date, old and new divisor, market value, reason\n"
    "  check     validate the inputs; silent on success, exit 65 on a price gap over --max-gap\n"
    "  formats   list the price-file shapes defidx recognises and how\n"
    "\n"
    "Options:\n"
    "  --index FILE        index definition (JSON): constituents, shares, free float, reviews\n"
    "  --weighting W       ffmcap, mcap, equal, price or fixed (default: ffmcap when shares\n"
    "                      are known, else equal)\n"
    "  --base-date DATE    where the index is based (default: the definition's, else the\n"
    "                      first date of the prices)\n"
    "  --base-value X      the level at the base date (default 100)\n"
    "  --as-of DATE        the day reported on (default: the last date of the prices)\n"
    "  --since DATE        a 'since' period, repeatable (default 2022-02-23)\n"
    "  --fx FILE           FX rates, ECB eurofxref-hist.csv shape\n"
    "  --currency CCY      index currency (default: the definition's, else EUR)\n"
    "  --rebalance R       none, monthly or quarterly (after the close of the third Friday)\n"
    "  --return T          price, net or gross (dividends from --actions reinvested)\n"
    "  --actions FILE      corporate actions and dividends (CSV: date,ticker,type,value,value2)\n"
    "  --max-gap N         warn about a price carried over more than N trading days (5)\n"
    "  --ticker SYM        the ticker of a single-instrument file (default: the data, else the\n"
    "                      file name)\n"
    "  --price-field F     close or adj_close (Yahoo's Adj Close, EOD's adjusted_close)\n"
    "  --delimiter D       , ; | or tab (default: sniffed from the header)\n"
    "  --decimal-mark M    . or , (default: decided from the data)\n"
    "  --date-format FMT   e.g. %d.%m.%Y or %m/%d/%Y (default: recognised)\n"
    "  -O FMT              table, tsv, csv, json or md (default: table on a terminal, else tsv)\n"
    "  -o FILE             write to FILE atomically; its extension picks the format\n"
    "  -q, -v              fewer / more diagnostics on stderr\n"
    "  --help, --version\n"
    "\n"
    "Examples:\n"
    "  defidx compute --index data/index.json --fx data/fx.csv data/prices.csv\n"
    "  defidx compute --fx data/fx.csv --index data/index.json -O json data/prices.csv | jq .level\n"
    "  defidx compute --weighting equal --since 2024-01-01 --as-of 2025-02-14 prices.csv\n"
    "  defidx series --index data/index.json --fx data/fx.csv -o levels.csv data/prices.csv\n"
    "  defidx rebase --base-date 2022-02-23 -O csv RHM.DE.csv BA.L.csv\n"
    "  defidx divisors --index data/index.json --fx data/fx.csv --actions data/actions.csv \\\n"
    "      --return gross data/prices.csv\n"
    "\n"
    "Exit status: 0 ok, 64 bad command line, 65 bad data, 66 missing or empty input,\n"
    "73/74 output cannot be created/written, 70 internal error. See defidx(1).\n";

static int exit_code_for(int status)
{
    switch (status) {
    case DEFIDX_OK: return 0;
    case DEFIDX_EUSAGE: return EXIT_USAGE;
    case DEFIDX_EDATA: return EXIT_DATA;
    case DEFIDX_EINPUT: return EXIT_NOINPUT;
    case DEFIDX_ECREATE: return EXIT_CANTCREAT;
    case DEFIDX_EWRITE: return EXIT_IOERR;
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

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "defidx: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (hint: defidx --help)\n");
    va_end(ap);
    return EXIT_USAGE;
}

static void print_warnings(const cli *c, const defidx_warnings *w)
{
    if (c->quiet)
        return;
    for (size_t i = 0; i < w->count; i++)
        fprintf(stderr, "defidx: warning: %s\n", w->items[i]);
    if (w->suppressed)
        fprintf(stderr, "defidx: warning: %zu more warnings not shown\n", w->suppressed);
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
                 OPT_VERSION, OPT_DELIMITER, OPT_DECIMAL_MARK, OPT_DATE_FORMAT, OPT_TICKER, OPT_PRICE_FIELD };

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
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"decimal-mark", required_argument, NULL, OPT_DECIMAL_MARK},
    {"date-format", required_argument, NULL, OPT_DATE_FORMAT},
    {"ticker", required_argument, NULL, OPT_TICKER},
    {"price-field", required_argument, NULL, OPT_PRICE_FIELD},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

/* Handles one option; returns 0, or an exit code (-1 for "--help/--version done, exit 0"). */
static int apply_option(cli *c, int opt, const char *arg)
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
    case OPT_MAX_GAP: {
        double gap;
        if (defidx_number_parse(arg, strlen(arg), &gap) || gap < 1 || gap > 100000 || gap != (int)gap)
            return usage_error("--max-gap: '%s' is not a number of trading days (1 or more)", arg);
        c->opt.max_gap = (int)gap;
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
        if ((c->format = defidx_format_parse(arg)) < 0)
            return usage_error("-O: '%s' is not table, tsv, csv, json or md", arg);
        return 0;
    case 'o': c->output_path = arg; return 0;
    case 'q': c->quiet = 1; return 0;
    case 'v': c->verbose = 1; return 0;
    case OPT_HELP: fputs(usage_text, stdout); return -1;
    case OPT_VERSION: printf("defidx %s\n", DEFIDX_VERSION); return -1;
    default: return usage_error("%s", "unknown option");
    }
}

static int parse_args(cli *c, int argc, char **argv)
{
    defidx_options_init(&c->opt);
    defidx_load_options_init(&c->load);
    c->format = -1;
    c->opt.since = c->since;
    opterr = 0;
    int opt;
    /* GNU getopt permutes, so options may follow the command and the files. */
    while ((opt = getopt_long(argc, argv, "O:o:qv", long_options, NULL)) != -1) {
        if (opt == '?') {
            if (optopt == 'O' || optopt == 'o')
                return usage_error("option -%c needs an argument", optopt);
            if (optopt >= OPT_INDEX) /* a long option without its argument */
                return usage_error("option '%s' needs an argument", argv[optind - 1]);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
        int rc = apply_option(c, opt, optarg);
        if (rc)
            return rc;
    }
    if (optind >= argc)
        return usage_error("%s", "no command given: compute, series, rebase, divisors, check or formats");
    c->command = argv[optind++];
    static const char *const commands[] = {"compute", "series", "rebase", "divisors", "check", "formats"};
    int known = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        known |= strcmp(c->command, commands[i]) == 0;
    if (!known)
        return usage_error("'%s' is not a command: compute, series, rebase, divisors, check or formats", c->command);
    if (strcmp(c->command, "formats") == 0)
        return 0; /* needs no files */
    c->prices = argv + optind;
    c->price_count = argc - optind;
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
static int load_panel(const cli *c, defidx_panel **out, defidx_warnings *w, defidx_error *err)
{
    defidx_panel *p = defidx_panel_new();
    if (!p)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    for (int i = 0; i < c->price_count && !rc; i++)
        rc = defidx_load_prices_opt(p, c->prices[i], &c->load, w, err);
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

/* Moves load warnings into the result so that JSON output carries them too. */
static void merge_warnings(defidx_warnings *into, defidx_warnings *from)
{
    for (size_t i = 0; i < from->count; i++)
        defidx_warn(into, NULL, 0, 0, "%s", from->items[i]);
    into->suppressed += from->suppressed;
    defidx_warnings_free(from);
}

/* formats: the recognised shapes of price files, as a table. */
static int print_formats(const cli *c)
{
    static const char *header[] = {"format", "example", "detected by"};
    size_t n;
    const defidx_format_info *f = defidx_formats(&n);
    defidx_table t;
    defidx_error err;
    if (defidx_table_init(&t, 3, header))
        return EXIT_SOFTWARE;
    for (size_t i = 0; i < n; i++) {
        defidx_cell *row = defidx_table_add_row(&t);
        if (!row)
            break;
        row[0] = defidx_cell_text(f[i].name);
        row[1] = defidx_cell_text(f[i].example);
        row[2] = defidx_cell_text(f[i].detection);
    }
    int rc = cli_write_table(c->output_path, c->format, &t, &err);
    defidx_table_free(&t);
    return rc ? report_error(&err) : 0;
}

/* check: the inputs load and compute (any error has already stopped the run), and no price is
 * carried over more than --max-gap trading days. Silent on success, for cron. */
static int check_result(const defidx_result *r, defidx_error *err)
{
    if (r->stale_count == 0)
        return 0;
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

/* Writes what the command asks for of a computed result. */
static int write_result(const cli *c, defidx_result *result, defidx_table *table, defidx_error *err)
{
    /* check is silent on success; its warnings explain a failure */
    if (strcmp(c->command, "check") != 0 || result->stale_count > 0)
        print_warnings(c, &result->warnings);
    if (c->verbose && c->price_count == 1) /* several files: load_panel said how many it read */
        fprintf(stderr, "defidx: read %s %s\n", c->prices[0],
                result->one_pass == 1   ? "in one pass"
                : result->one_pass == 2 ? "per ticker (not sorted by date)"
                                        : "into a panel (the general reader)");
    if (c->verbose)
        fprintf(stderr, "defidx: %s weighting, %zu review(s), %zu dates in the series\n",
                defidx_weighting_name(result->weighting), result->review_count, result->date_count);
    if (strcmp(c->command, "series") == 0 || strcmp(c->command, "divisors") == 0) {
        int rc = c->command[0] == 's' ? defidx_series_table(result, table, err)
                                      : defidx_divisors_table(result, table, err);
        return rc ? rc : cli_write_table(c->output_path, c->format, table, err);
    }
    if (strcmp(c->command, "check") == 0)
        return check_result(result, err);
    return cli_write_result(c->output_path, c->format, result, err);
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
} run_state;

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
        return rc ? rc : cli_write_table(c->output_path, c->format, &s->table, err);
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
        merge_warnings(&s->load_warnings, &s->action_warnings);
        return rc;
    }
    rc = defidx_compute_file(c->prices[0], &c->load, s->spec, s->fx, &c->opt, &s->result,
                             &s->load_warnings, err);
    merge_warnings(&s->load_warnings, &s->action_warnings);
    return rc;
}

static int run(cli *c, defidx_error *err)
{
    run_state s = {0};
    int rebase = strcmp(c->command, "rebase") == 0;
    int rc = c->price_count == 1 && !rebase ? run_one_file(c, &s, err) : run_with_panel(c, &s, err);
    if (!rc && !rebase) {
        merge_warnings(&s.result->warnings, &s.load_warnings);
        rc = write_result(c, s.result, &s.table, err);
    }
    if (rc)
        print_warnings(c, &s.load_warnings);
    defidx_warnings_free(&s.load_warnings);
    defidx_warnings_free(&s.action_warnings);
    defidx_table_free(&s.table);
    defidx_result_free(s.result);
    defidx_fx_free(s.fx);
    defidx_actions_free(s.actions);
    defidx_spec_free(s.spec);
    defidx_panel_free(s.panel);
    return rc;
}

int main(int argc, char **argv)
{
    cli c = {0};
    int rc = parse_args(&c, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(c.command, "formats") == 0)
        return print_formats(&c);
    defidx_error err;
    defidx_error_clear(&err);
    rc = run(&c, &err);
    return rc ? report_error(&err) : 0;
}
