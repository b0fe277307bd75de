/* options.c: the option table, one row per option of defidx: its names, its value, the commands it
 * applies to, where help lists it, its help text, the values completion offers, and what it sets.
 * getopt's table, the "applies to" errors, the help's option lists, the completion scripts and
 * tests/test_cli_table.c's comparison with docs/defidx.1 are all made from these rows. */
#include "cli.h"
#include "diag.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const cli_section_info cli_sections[CLI_SECTION_COUNT] = {
    [CLI_SECTION_COMPUTING] = {"Options for every command that computes:", "Computing options"},
    [CLI_SECTION_INPUT] = {"Options for every command that reads prices:", "Input options"},
    [CLI_SECTION_OUTPUT] = {"Output options:", "Output options"},
    [CLI_SECTION_COMMAND] = {NULL, NULL},
};

/* ---- the appliers ------------------------------------------------------------------------------ */

#define FIELD(c, o, type) ((type *)((char *)(c) + (o)->field))

int cli_apply_text(cli *c, const cli_option *o, char *arg)
{
    *FIELD(c, o, const char *) = arg;
    return 0;
}

int cli_apply_flag(cli *c, const cli_option *o, char *arg)
{
    (void)arg;
    *FIELD(c, o, int) = 1;
    return 0;
}

/* "--rebalance: 'x' is not none, monthly or quarterly": the row's values as a list. */
static int not_one_of(const cli_option *o, const char *arg)
{
    const char *words[16];
    char copy[128], list[160];
    size_t n = 0;
    snprintf(copy, sizeof copy, "%s", o->values);
    for (char *w = copy; *w && n < sizeof words / sizeof words[0];) {
        size_t len = strcspn(w, " ");
        words[n++] = w;
        w += len;
        if (*w)
            *w++ = '\0';
    }
    cli_join(list, sizeof list, words, n, " or ");
    return cli_usage_error("%s: '%s' is not %s", cli_option_name(o), arg, list);
}

/* A date (YYYY-MM-DD) into out. */
static int parse_date(const cli_option *o, const char *arg, int32_t *out)
{
    defidx_error err;
    if (defidx_date_parse(arg, strlen(arg), out, &err)) {
        cli_diag("%s: %s (hint: dates are YYYY-MM-DD)", cli_option_name(o), err.message);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* A date into the int32_t field. */
static int apply_date(cli *c, const cli_option *o, char *arg)
{
    return parse_date(o, arg, FIELD(c, o, int32_t));
}

/* A whole number from lo to hi into out, described as what in the error. */
static int apply_count(const cli_option *o, const char *arg, int lo, int hi, const char *what, int *out)
{
    double x;
    if (defidx_number_parse(arg, strlen(arg), &x) || x < lo || x > hi || x != (int)x)
        return cli_usage_error("%s: '%s' is not %s (%d to %d)", cli_option_name(o), arg, what, lo, hi);
    *out = (int)x;
    return 0;
}

static int apply_width(cli *c, const cli_option *o, char *arg)
{
    return apply_count(o, arg, 400, 10000, "a width in pixels", &c->chart_width);
}

static int apply_height(cli *c, const cli_option *o, char *arg)
{
    return apply_count(o, arg, 200, 10000, "a height in pixels", &c->chart_height);
}

/* --periods-per-year: F of the returns between values, as ffn's nperiods (252 a trading year). */
static int apply_periods_per_year(cli *c, const cli_option *o, char *arg)
{
    double f;
    if (defidx_number_parse(arg, strlen(arg), &f) || !(f >= 1 && f <= 100000))
        return cli_usage_error("%s: '%s' is not a number of periods a year (1 to 100000: 252 daily, 52 weekly, 12 monthly)",
                               cli_option_name(o), arg);
    c->periods_per_year = f;
    return 0;
}

/* --risk-free: an annual rate as a fraction (0.02 is 2%); a negative rate is allowed, as in 2020. */
static int apply_risk_free(cli *c, const cli_option *o, char *arg)
{
    double rate;
    if (defidx_number_parse(arg, strlen(arg), &rate) || !(rate > -1 && rate < 10))
        return cli_usage_error("%s: '%s' is not an annual rate as a fraction above -1 and below 10 (0.02 is 2%%)",
                               cli_option_name(o), arg);
    c->risk_free = rate;
    return 0;
}

void cli_add_by(cli *c, int key)
{
    for (size_t j = 0; j < c->opt.by_count; j++)
        if (c->by[j] == key)
            return;
    if (c->opt.by_count < DEFIDX_GROUP_KEY_COUNT)
        c->by[c->opt.by_count++] = key;
}

/* --by: a breakdown's key, repeatable; its words are in the order of enum defidx_group_key. */
static int apply_by(cli *c, const cli_option *o, char *arg)
{
    int key = cli_option_word(o, arg);
    if (key < 0)
        return not_one_of(o, arg);
    cli_add_by(c, key);
    return 0;
}

static int apply_rolling(cli *c, const cli_option *o, char *arg)
{
    return apply_count(o, arg, 2, 100000, "a number of returns", &c->rolling);
}

static int apply_max_age(cli *c, const cli_option *o, char *arg)
{
    return apply_count(o, arg, 0, 100000, "a number of business days", &c->max_age);
}

static int apply_no_header(cli *c, const cli_option *o, char *arg)
{
    (void)o;
    (void)arg;
    c->look.emit.header = 0;
    return 0;
}

/* The words of --color and --rebalance are in the order of their enums. */
static int apply_color(cli *c, const cli_option *o, char *arg)
{
    if ((c->look.color_mode = cli_option_word(o, arg)) < 0)
        return not_one_of(o, arg);
    return 0;
}

static int apply_rebalance(cli *c, const cli_option *o, char *arg)
{
    if ((c->opt.rebalance = cli_option_word(o, arg)) < 0)
        return not_one_of(o, arg);
    return 0;
}

/* close and adj_close, in the order of enum defidx_price_field; the loader and the engine both
 * need to know (the return type says "adjusted"). */
static int apply_price_field(cli *c, const cli_option *o, char *arg)
{
    int field = cli_option_word(o, arg);
    if (field < 0)
        return not_one_of(o, arg);
    c->load.price_field = c->opt.price_field = field;
    return 0;
}

/* The names of the library's kinds: its own parsers decide. */
static int apply_weighting(cli *c, const cli_option *o, char *arg)
{
    if ((c->opt.weighting = defidx_weighting_parse(arg)) < 0)
        return not_one_of(o, arg);
    return 0;
}

static int apply_return(cli *c, const cli_option *o, char *arg)
{
    if ((c->opt.return_type = defidx_return_parse(arg)) < 0)
        return not_one_of(o, arg);
    return 0;
}

static int apply_format(cli *c, const cli_option *o, char *arg)
{
    if (strcmp(arg, "term") == 0) { /* chart's: the commands that write tables refuse it (args.c) */
        c->look.format = CLI_FORMAT_TERM;
        return 0;
    }
    if ((c->look.format = defidx_format_parse(arg)) < 0)
        return not_one_of(o, arg);
    return 0;
}

static int apply_currency(cli *c, const cli_option *o, char *arg)
{
    char iso[4];
    double unit;
    if (defidx_currency_unit(arg, iso, &unit) || unit != 1)
        return cli_usage_error("%s: '%s' is not an ISO currency code such as EUR", cli_option_name(o), arg);
    c->opt.currency = arg;
    return 0;
}

static int apply_since(cli *c, const cli_option *o, char *arg)
{
    if (c->opt.since_count == sizeof c->since / sizeof c->since[0])
        return cli_usage_error("%s: at most 64 periods", cli_option_name(o));
    return parse_date(o, arg, &c->since[c->opt.since_count++]);
}

/* The definition's range for base_value (spec.c): a level of 1e100 would print as 63 truncated
 * digits, and one near DBL_MAX overflows to no level at all. */
static int apply_base_value(cli *c, const cli_option *o, char *arg)
{
    double x;
    if (defidx_number_parse(arg, strlen(arg), &x) || !(x >= DEFIDX_BASE_VALUE_MIN && x <= DEFIDX_BASE_VALUE_MAX))
        return cli_usage_error("%s: '%s' is not a number from %g to %g, such as 100 or 1000", cli_option_name(o), arg,
                               DEFIDX_BASE_VALUE_MIN, DEFIDX_BASE_VALUE_MAX);
    c->opt.base_value = x;
    return 0;
}

static int apply_max_gap(cli *c, const cli_option *o, char *arg)
{
    double gap;
    if (defidx_number_parse(arg, strlen(arg), &gap) || gap < 1 || gap > 100000 || gap != (int)gap)
        return cli_usage_error("%s: '%s' is not a number of trading days (1 to 100000)", cli_option_name(o), arg);
    c->opt.max_gap = (int)gap;
    return 0;
}

/* Below 1% a day's ordinary noise would be flagged; above 100x (a close 101 times the last)
 * nothing is left to flag: the documented range. */
static int apply_max_jump(cli *c, const cli_option *o, char *arg)
{
    double jump;
    if (defidx_number_parse(arg, strlen(arg), &jump) || !(jump >= 0.01 && jump <= 100))
        return cli_usage_error("%s: '%s' is not a fraction from 0.01 to 100 (0.5 is 50%%)", cli_option_name(o), arg);
    c->opt.max_jump = jump;
    return 0;
}

/* --ticker-currency SYM=CCY: arg is split in place. CCY keeps one spelling whatever its case:
 * "gbx" and "GBp" are GBX (pence), "eur" is EUR. */
static int apply_ticker_currency(cli *c, const cli_option *o, char *arg)
{
    char *eq = strrchr(arg, '=');
    char iso[4];
    double unit;
    if (!eq || eq == arg || eq - arg > 63 || defidx_currency_unit(eq + 1, iso, &unit))
        return cli_usage_error("%s: '%s' is not SYM=CCY, e.g. BA.L=GBX (pence) or RHM.DE=EUR", cli_option_name(o), arg);
    if (c->opt.ticker_currency_count == sizeof c->ticker_currencies / sizeof c->ticker_currencies[0])
        return cli_usage_error("%s: at most 64 tickers", cli_option_name(o));
    *eq = '\0';
    char *code = c->ticker_currency_codes[c->opt.ticker_currency_count];
    static const struct { const char *iso, *minor; } minor_units[] = {{"GBP", "GBX"}, {"ZAR", "ZAC"}, {"ILS", "ILA"}};
    memcpy(code, iso, 4);
    for (size_t i = 0; unit != 1 && i < sizeof minor_units / sizeof minor_units[0]; i++)
        if (strcmp(iso, minor_units[i].iso) == 0)
            memcpy(code, minor_units[i].minor, 4);
    c->ticker_currencies[c->opt.ticker_currency_count++] = (defidx_ticker_currency){arg, code};
    return 0;
}

static int apply_delimiter(cli *c, const cli_option *o, char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
        c->load.delimiter = '\t';
    else if (strlen(arg) == 1 && strchr(",;|", arg[0]))
        c->load.delimiter = arg[0];
    else
        return cli_usage_error("%s: '%s' is not , ; | or tab", cli_option_name(o), arg);
    return 0;
}

static int apply_decimal_mark(cli *c, const cli_option *o, char *arg)
{
    if (cli_option_word(o, arg) < 0)
        return not_one_of(o, arg);
    c->load.decimal_mark = arg[0];
    return 0;
}

static int apply_date_format(cli *c, const cli_option *o, char *arg)
{
    char bad[160];
    if (defidx_date_format_check(arg, bad, sizeof bad))
        return cli_usage_error("%s: '%s': %s; e.g. %%d.%%m.%%Y or %%m/%%d/%%Y", cli_option_name(o), arg, bad);
    c->load.date_format = arg;
    return 0;
}

static int apply_ticker(cli *c, const cli_option *o, char *arg)
{
    if (!*arg || strlen(arg) > 63)
        return cli_usage_error("%s: '%s' is not a ticker (1 to 63 characters)", cli_option_name(o), arg);
    c->load.ticker = arg;
    return 0;
}

static int apply_version(cli *c, const cli_option *o, char *arg)
{
    (void)c;
    (void)o;
    (void)arg;
    printf("defidx %s\n", DEFIDX_VERSION);
    return -1;
}

/* ---- the table --------------------------------------------------------------------------------- */

#define TEXT_FIELD(f) .apply = cli_apply_text, .field = offsetof(cli, f)
#define FLAG_FIELD(f) .apply = cli_apply_flag, .field = offsetof(cli, f)
#define DATE_FIELD(f) .apply = apply_date, .field = offsetof(cli, f)

/* In the order help and the completions list them. */
const cli_option cli_options[] = {
    /* computing */
    {.long_name = "--index", .kind = CLI_VALUE_FILE, .placeholder = "FILE", .values = "json",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "index definition (JSON)",
     .help = "index definition (JSON): constituents, shares, free float, reviews;\n"
             "and the price files, inputs and defaults it names (a project)",
     TEXT_FIELD(index_path)},
    {.long_name = "--weighting", .kind = CLI_VALUE_WORDS, .placeholder = "W", .values = "ffmcap mcap equal price fixed",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "weighting scheme",
     .help = "ffmcap, mcap, equal, price or fixed (default: ffmcap when shares\n"
             "are known, else equal)",
     .apply = apply_weighting},
    {.long_name = "--base-date", .kind = CLI_VALUE_TEXT, .placeholder = "DATE", .values = "date",
     .for_flags = CLI_CMD_READS_PRICES, .section = CLI_SECTION_COMPUTING,
     .brief = "where the index is based (YYYY-MM-DD)",
     .help = "where the index is based (default: the definition's, else the\n"
             "first date on which every constituent has a price)",
     DATE_FIELD(opt.base_date)},
    {.long_name = "--base-value", .kind = CLI_VALUE_TEXT, .placeholder = "X", .values = "level",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "level at the base date (default 100)",
     .help = "the level at the base date (default 100)",
     .apply = apply_base_value},
    {.long_name = "--as-of", .kind = CLI_VALUE_TEXT, .placeholder = "DATE", .values = "date",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "the day reported on (YYYY-MM-DD)",
     .help = "the day reported on (default: the last date of the prices)",
     DATE_FIELD(opt.as_of)},
    {.long_name = "--since", .kind = CLI_VALUE_TEXT, .placeholder = "DATE", .values = "date",
     .for_flags = CLI_CMD_COMPUTES, .flags = CLI_OPT_REPEATABLE, .section = CLI_SECTION_COMPUTING,
     .brief = "a since period (YYYY-MM-DD), repeatable",
     .help = "a 'since' period, repeatable (default 2022-02-23)",
     .apply = apply_since},
    {.long_name = "--fx", .kind = CLI_VALUE_FILE, .placeholder = "FILE", .values = "csv",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "FX rates, ECB eurofxref-hist.csv shape",
     .help = "FX rates, ECB eurofxref-hist.csv shape",
     TEXT_FIELD(fx_path)},
    {.long_name = "--currency", .kind = CLI_VALUE_TEXT, .placeholder = "CCY", .values = "currency",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "index currency (ISO code)",
     .help = "index currency (default: the definition's, else the one currency\n"
             "of all constituents, else EUR)",
     .apply = apply_currency},
    {.long_name = "--ticker-currency", .kind = CLI_VALUE_TEXT, .placeholder = "SYM=CCY", .values = "SYM=CCY",
     .for_flags = CLI_CMD_COMPUTES, .flags = CLI_OPT_REPEATABLE, .section = CLI_SECTION_COMPUTING,
     .brief = "a constituent's quote currency, repeatable",
     .help = "a constituent's quote currency, repeatable (default: the\n"
             "definition's, the prices', else the exchange suffix: .L GBX, ...)",
     .apply = apply_ticker_currency},
    {.long_name = "--rebalance", .kind = CLI_VALUE_WORDS, .placeholder = "R", .values = "none monthly quarterly",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "periodic reviews",
     .help = "none, monthly or quarterly (after the close of the third Friday)",
     .apply = apply_rebalance},
    {.long_name = "--return", .kind = CLI_VALUE_WORDS, .placeholder = "T", .values = "price net gross",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "return type",
     .help = "price, net or gross (dividends from --actions reinvested)",
     .apply = apply_return},
    {.long_name = "--actions", .kind = CLI_VALUE_FILE, .placeholder = "FILE", .values = "csv",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "corporate actions and dividends (CSV)",
     .help = "corporate actions and dividends (CSV: date,ticker,type,value,value2)",
     TEXT_FIELD(actions_path)},
    {.long_name = "--max-gap", .kind = CLI_VALUE_TEXT, .placeholder = "N", .values = "trading days",
     .for_flags = CLI_CMD_COMPUTES, .section = CLI_SECTION_COMPUTING,
     .brief = "longest carry-over of a price",
     .help = "a price carried over more than N trading days is stale: warned,\n"
             "marked, and exit 65 from check and report (default 5); an FX rate\n"
             "used more than N business days after its date: warned, exit 65\n"
             "from check",
     .apply = apply_max_gap},
    {.long_name = "--max-jump", .kind = CLI_VALUE_TEXT, .placeholder = "X", .values = "fraction",
     .for_flags = CLI_CMD_COMPUTES, .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMPUTING,
     .brief = "one-day move that reverts: a spike (0.5)",
     .help = "warn about a close that moves more than X (0.5 = 50%, the\n"
             "default) and back the next day: a spike; exit 65 from check",
     .apply = apply_max_jump},
    /* input */
    {.long_name = "--ticker", .kind = CLI_VALUE_TEXT, .placeholder = "SYM", .values = "ticker",
     .for_flags = CLI_CMD_READS_PRICES, .section = CLI_SECTION_INPUT,
     .brief = "ticker of a single-instrument file",
     .help = "the ticker of a single-instrument file (default: the data, else the\n"
             "file name)",
     .apply = apply_ticker},
    {.long_name = "--price-field", .kind = CLI_VALUE_WORDS, .placeholder = "F", .values = "close adj_close",
     .for_flags = CLI_CMD_READS_PRICES, .section = CLI_SECTION_INPUT,
     .brief = "which close to read",
     .help = "close or adj_close (Yahoo's Adj Close, EOD's adjusted_close)",
     .apply = apply_price_field},
    {.long_name = "--delimiter", .kind = CLI_VALUE_WORDS, .placeholder = "D", .values = ", ; | tab",
     .for_flags = CLI_CMD_READS_PRICES, .section = CLI_SECTION_INPUT,
     .brief = "field delimiter of CSV input",
     .help = ", ; | or tab (default: sniffed from the header)",
     .apply = apply_delimiter},
    {.long_name = "--decimal-mark", .kind = CLI_VALUE_WORDS, .placeholder = "M", .values = ". ,",
     .for_flags = CLI_CMD_READS_PRICES, .section = CLI_SECTION_INPUT,
     .brief = "decimal mark of CSV input",
     .help = ". or , (default: decided from the data)",
     .apply = apply_decimal_mark},
    {.long_name = "--date-format", .kind = CLI_VALUE_TEXT, .placeholder = "FMT", .values = "strptime format",
     .for_flags = CLI_CMD_READS_PRICES, .section = CLI_SECTION_INPUT,
     .brief = "strptime-style date format of the input",
     .help = "e.g. %d.%m.%Y or %m/%d/%Y (default: recognised)",
     .apply = apply_date_format},
    /* output */
    {.short_name = "-O", .kind = CLI_VALUE_WORDS, .placeholder = "FMT", .values = "table tsv csv json md html xlsx term",
     .for_flags = CLI_CMD_WRITES_TABLE, .for_commands = CLI_ON(CLI_CHART) | CLI_ON(CLI_FACTSHEET),
     .flags = CLI_OPT_OUTPUT, .section = CLI_SECTION_OUTPUT,
     .brief = "output format",
     .help = "table, tsv, csv, json, md, html or xlsx (default: $DEFIDX_FORMAT,\n"
             "else table on a terminal and tsv in a pipe); chart: term, the chart\n"
             "drawn in the terminal (its default on a terminal without -o)",
     .apply = apply_format},
    {.short_name = "-o", .kind = CLI_VALUE_FILE, .placeholder = "FILE",
     .for_flags = CLI_CMD_WRITES_TABLE, .for_commands = CLI_ON(CLI_CHART) | CLI_ON(CLI_FACTSHEET),
     .flags = CLI_OPT_OUTPUT, .section = CLI_SECTION_OUTPUT,
     .brief = "write to FILE (- for stdout); its extension picks the format",
     .help = "write to FILE atomically; its extension picks the format (.txt\n"
             "table, .tsv, .csv, .json, .md, .html, .xlsx; another is refused without\n"
             "-O; chart: .svg); - is stdout",
     TEXT_FIELD(output_path)},
    {.long_name = "--no-header", .for_flags = CLI_CMD_WRITES_TABLE, .flags = CLI_OPT_OUTPUT,
     .section = CLI_SECTION_OUTPUT,
     .brief = "leave out the header row",
     .help = "leave out the header row",
     .apply = apply_no_header},
    {.long_name = "--color", .kind = CLI_VALUE_WORDS, .placeholder = "WHEN", .values = "auto always never",
     .for_flags = CLI_CMD_WRITES_TABLE, .for_commands = CLI_ON(CLI_CHART), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_OUTPUT,
     .brief = "when to colour a table",
     .help = "auto, always or never (default auto: a table on a terminal only,\n"
             "never with NO_COLOR or TERM=dumb)",
     .apply = apply_color},
    /* diagnostics */
    {.short_name = "-q", .for_flags = CLI_CMD_READS_PRICES, .for_commands = CLI_ON(CLI_FORMATS),
     .section = CLI_SECTION_OUTPUT,
     .brief = "fewer diagnostics (no warnings)",
     .help = "fewer diagnostics on stderr: no notes, no warnings",
     FLAG_FIELD(quiet)},
    {.short_name = "-v", .for_flags = CLI_CMD_READS_PRICES, .for_commands = CLI_ON(CLI_FORMATS),
     .section = CLI_SECTION_OUTPUT,
     .brief = "more diagnostics",
     .help = "more diagnostics on stderr: what was read, and how",
     FLAG_FIELD(verbose)},
    /* compute */
    {.long_name = "--spark", .for_commands = CLI_ON(CLI_COMPUTE), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "a sparkline column of the last 20 trading days",
     .help = "a trend column in the table: a sparkline of the last 20 trading\n"
             "days to the as-of date (ASCII when the locale is not UTF-8)",
     FLAG_FIELD(spark)},
    {.long_name = "--columns", .kind = CLI_VALUE_TEXT, .placeholder = "LIST", .values = "columns",
     .for_commands = CLI_ON(CLI_COMPUTE), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "the constituents' columns, comma-separated",
     .help = "the constituents' columns, comma-separated, in every format but\n"
             "json: ticker, name, currency, price, price_date, stale, weight,\n"
             "trend, a period (1d wtd mtd qtd ytd since:D), contrib_ and a period",
     TEXT_FIELD(look.emit.columns)},
    {.long_name = "--by", .kind = CLI_VALUE_WORDS, .placeholder = "KEY", .values = "country currency segment",
     .for_commands = CLI_ON(CLI_COMPUTE), .flags = CLI_OPT_STRICT | CLI_OPT_REPEATABLE,
     .section = CLI_SECTION_COMMAND,
     .brief = "a breakdown by country, currency or segment",
     .help = "a breakdown by country, currency or segment, repeatable: each\n"
             "group's weight, members, sub-index returns and contributions",
     .apply = apply_by},
    /* stats */
    {.long_name = "--benchmark", .kind = CLI_VALUE_FILE, .placeholder = "FILE",
     .for_commands = CLI_ON(CLI_STATS) | CLI_ON(CLI_CHART) | CLI_ON(CLI_REPORT) | CLI_ON(CLI_FACTSHEET),
     .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "prices of one instrument to compare with",
     .help = "the prices of one instrument (any price-file shape) to compare\n"
             "with on the common dates, converted into the index currency with\n"
             "--fx: beta, correlation, tracking error, capture, trailing returns;\n"
             "chart and report draw it rebased beside the index",
     TEXT_FIELD(benchmark_path)},
    {.long_name = "--risk-free", .kind = CLI_VALUE_TEXT, .placeholder = "RATE", .values = "annual rate",
     .for_commands = CLI_ON(CLI_STATS) | CLI_ON(CLI_FACTSHEET), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "annual risk-free rate (0.02 is 2%)",
     .help = "the annual risk-free rate as a fraction, RATE / F a period, for\n"
             "Sharpe, Sortino and alpha (default 0)",
     .apply = apply_risk_free},
    {.long_name = "--periods-per-year", .kind = CLI_VALUE_TEXT, .placeholder = "F", .values = "periods",
     .for_commands = CLI_ON(CLI_STATS) | CLI_ON(CLI_SERIES), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "returns a year (default: inferred)",
     .help = "how many returns make a year (default: inferred from the median\n"
             "gap between dates: 252 daily, 52 weekly, 12 monthly, 4, 1)",
     .apply = apply_periods_per_year},
    {.long_name = "--each", .for_commands = CLI_ON(CLI_STATS), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "the figures of every constituent too",
     .help = "the same figures for every constituent, each on its own prices\n"
             "in its quote currency from the base date",
     FLAG_FIELD(each)},
    /* series */
    {.long_name = "--rolling", .kind = CLI_VALUE_TEXT, .placeholder = "N", .values = "returns",
     .for_commands = CLI_ON(CLI_SERIES), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "rolling return and volatility over N returns",
     .help = "add rolling_return (over the last N returns) and rolling_vol (their\n"
             "sample standard deviation, annualised), 2 to 100000: 21 a month,\n"
             "63 a quarter, 252 a year of daily data",
     .apply = apply_rolling},
    /* chart */
    {.long_name = "--from", .kind = CLI_VALUE_TEXT, .placeholder = "DATE", .values = "date",
     .for_commands = CLI_ON(CLI_CHART), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "first date shown (YYYY-MM-DD)",
     .help = "the first date shown (default: the base date)",
     DATE_FIELD(chart_from)},
    {.long_name = "--constituents", .for_commands = CLI_ON(CLI_CHART), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "also draw each constituent; all lines rebased to 100",
     .help = "also draw each constituent; every line, the index's too, starts at\n"
             "100 on the first date shown",
     FLAG_FIELD(constituents)},
    {.long_name = "--drawdown", .for_commands = CLI_ON(CLI_CHART) | CLI_ON(CLI_REPORT), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "a drawdown panel under the chart",
     .help = "a panel under the chart of the index's drawdown from its all-time\n"
             "high, in percent (\"underwater\")",
     FLAG_FIELD(drawdown)},
    {.long_name = "--width", .kind = CLI_VALUE_TEXT, .placeholder = "N", .values = "pixels",
     .for_commands = CLI_ON(CLI_CHART), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "chart width in pixels (default 800)",
     .help = "the width in pixels, 400 to 10000 (default 800)",
     .apply = apply_width},
    {.long_name = "--height", .kind = CLI_VALUE_TEXT, .placeholder = "N", .values = "pixels",
     .for_commands = CLI_ON(CLI_CHART), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "chart height in pixels (default 400)",
     .help = "the height in pixels, 200 to 10000 (default 400)",
     .apply = apply_height},
    /* report */
    {.long_name = "--out-dir", .kind = CLI_VALUE_DIR, .placeholder = "DIR",
     .for_commands = CLI_ON(CLI_REPORT), .flags = CLI_OPT_STRICT, .section = CLI_SECTION_COMMAND,
     .brief = "where the report bundles go",
     .help = "where the bundles go (created when missing)",
     TEXT_FIELD(out_dir)},
    {.long_name = "--print", .for_commands = CLI_ON(CLI_REPORT), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "also write report.txt to standard output",
     .help = "also write report.txt to standard output (cron mails it)",
     FLAG_FIELD(print)},
    {.long_name = "--stamp", .for_commands = CLI_ON(CLI_REPORT), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "put the generation time into the reports",
     .help = "put the generation time (UTC) into the reports",
     FLAG_FIELD(stamp)},
    {.long_name = "--max-age", .kind = CLI_VALUE_TEXT, .placeholder = "N", .values = "business days",
     .for_commands = CLI_ON(CLI_CHECK) | CLI_ON(CLI_REPORT), .flags = CLI_OPT_STRICT,
     .section = CLI_SECTION_COMMAND,
     .brief = "exit 75 when the data is older",
     .help = "exit 75 and write nothing when the last date of the prices is more\n"
             "than N business days (Monday to Friday) before today\n"
             "($DEFIDX_TODAY, else the clock)",
     .apply = apply_max_age},
    /* every command */
    {.long_name = "--help", .for_commands = CLI_ALL_COMMANDS, .section = CLI_SECTION_OUTPUT,
     .brief = "show the help",
     .help = "this help, or a command's (defidx COMMAND --help)",
     FLAG_FIELD(help)},
    {.long_name = "--version", .for_commands = CLI_ALL_COMMANDS, .section = CLI_SECTION_OUTPUT,
     .brief = "show the version",
     .help = "the version",
     .apply = apply_version},
};
const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

_Static_assert(sizeof cli_options / sizeof cli_options[0] <= CLI_OPTION_MAX, "struct cli's given[] is too small");

/* ---- questions to a row ------------------------------------------------------------------------ */

int cli_option_applies(const cli_option *o, cli_command_id id)
{
    return (cli_commands[id].flags & o->for_flags) != 0 || (o->for_commands & CLI_ON(id)) != 0;
}

unsigned cli_option_commands(const cli_option *o)
{
    unsigned set = 0;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (cli_option_applies(o, (cli_command_id)id))
            set |= CLI_ON(id);
    return set;
}

const char *cli_option_name(const cli_option *o)
{
    return o->long_name ? o->long_name : o->short_name;
}

int cli_option_word(const cli_option *o, const char *word)
{
    size_t n = strlen(word);
    int position = 0;
    for (const char *p = o->values; p && *p; position++) {
        size_t len = strcspn(p, " ");
        if (len == n && n && strncmp(p, word, n) == 0)
            return position;
        p += len;
        p += strspn(p, " ");
    }
    return -1;
}
