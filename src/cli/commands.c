/* commands.c: the command table, one row per command of defidx: its name, what it is, its flags,
 * its help, its own rules on the arguments and the function that writes its output; above the
 * table, those functions. A command's write runs after the prices are read and the index is
 * computed (main.c, as its flags say): every command writes its output there and only there. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "completion.h"
#include "diag.h"
#include "factsheet.h"
#include "freshness.h"
#include "help.h"
#include "init.h"
#include "report.h"
#include "spark.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How many trading days the sparklines of --spark show: about a month. */
#define SPARK_DAYS 20

/* ---- compute, series, divisors, rebase, formats: a table ------------------------------------- */

/* compute: the result, with its trend column when --spark asks for one in a table. */
static int write_compute(cli *c, cli_run *s, defidx_error *err)
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

static int write_series(cli *c, cli_run *s, defidx_error *err)
{
    int rc = c->rolling ? defidx_series_table_rolling(s->result, (size_t)c->rolling, c->periods_per_year, &s->table, err)
                        : defidx_series_table(s->result, &s->table, err);
    return rc ? rc : cli_write_table(c->output_path, &c->look, &s->table, err);
}

static int write_divisors(cli *c, cli_run *s, defidx_error *err)
{
    int rc = defidx_divisors_table(s->result, &s->table, err);
    return rc ? rc : cli_write_table(c->output_path, &c->look, &s->table, err);
}

/* rebase: from the panel, without computing; its warnings join the loader's. */
static int write_rebase(cli *c, cli_run *s, defidx_error *err)
{
    int rc = defidx_rebase_table(s->panel, c->opt.base_date, &s->table, &s->load_warnings, err);
    cli_print_warnings(c->quiet, &s->load_warnings);
    defidx_warnings_free(&s->load_warnings);
    return rc ? rc : cli_write_table(c->output_path, &c->look, &s->table, err);
}

/* formats: the recognised shapes of price files, as a table; a row that cannot be added is an
 * error, never a shorter table. */
static int write_formats(cli *c, cli_run *s, defidx_error *err)
{
    static const char *header[] = {"format", "example", "detected by"};
    size_t n;
    const defidx_format_info *f = defidx_formats(&n);
    if (defidx_table_init(&s->table, 3, header))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        defidx_cell *row = defidx_table_add_row(&s->table);
        if (!row)
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        row[0] = defidx_cell_text(f[i].name);
        row[1] = defidx_cell_text(f[i].example);
        row[2] = defidx_cell_text(f[i].detection);
    }
    return cli_write_table(c->output_path, &c->look, &s->table, err);
}

/* ---- the chart's options, for chart and report -------------------------------------------------- */

/* A chart's options and the lines it draws beside the index, freed together. */
typedef struct chart_setup {
    defidx_chart_options options;
    defidx_chart_line *lines;
    size_t count;
} chart_setup;

/* Appends the lines of more (count of them) to the setup's, taking them over. */
static int take_lines(chart_setup *cs, defidx_chart_line *more, size_t count)
{
    defidx_chart_line *all = realloc(cs->lines, (cs->count + count + 1) * sizeof *all);
    if (!all)
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < count; k++)
        all[cs->count + k] = more[k];
    cs->lines = all;
    cs->count += count;
    free(more); /* its arrays are now the setup's */
    return 0;
}

/* The options as the command line sets them: the size, the first date, --drawdown, and the lines
 * of --benchmark (benchmark, named name) and --constituents, all of them and the index rebased to
 * 100 on the first date shown when there is one. */
static int chart_setup_make(const cli *c, const cli_run *s, const defidx_result *benchmark, const char *name,
                            chart_setup *cs, defidx_error *err)
{
    *cs = (chart_setup){0};
    defidx_chart_options_init(&cs->options);
    if (c->chart_width > 0)
        cs->options.width = c->chart_width;
    if (c->chart_height > 0)
        cs->options.height = c->chart_height;
    cs->options.from = c->chart_from;
    cs->options.drawdown = c->drawdown;
    defidx_chart_line *more = NULL;
    size_t count = 0;
    int rc = 0;
    if (benchmark && !(rc = cli_benchmark_line(s->result, benchmark, c->chart_from, name, &more, err)) &&
        take_lines(cs, more, 1)) {
        defidx_chart_lines_free(more, 1);
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (!rc && c->constituents &&
        !(rc = defidx_chart_rebased_lines(s->panel, s->result,
                                          c->chart_from != DEFIDX_NO_DATE ? c->chart_from : s->result->base_date,
                                          &more, &count, err)) &&
        take_lines(cs, more, count)) {
        defidx_chart_lines_free(more, count);
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    cs->options.extra = cs->lines;
    cs->options.extra_count = cs->count;
    cs->options.rebased = cs->count > 0; /* the index starts at 100 with the lines beside it */
    return rc;
}

static void chart_setup_free(chart_setup *cs)
{
    defidx_chart_lines_free(cs->lines, cs->count);
}

/* ---- check and report: fresh data, or an exit code that says why not ------------------------- */

/* One-day spikes, for check and report: exit 65 naming how many (the warnings name each row). */
static int spikes_error(const defidx_result *r, const char *what_next, defidx_error *err)
{
    return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                            "%zu one-day spike(s) in the closes%s%s (hint: see the warnings above, which name each row; --max-jump sets the limit)",
                            r->spike_count, r->stale_count ? ", and price gap(s) longer than --max-gap" : "", what_next);
}

/* check: the inputs load and compute (any error has already stopped the run), the data is not
 * older than --max-age, no price and no FX rate is carried over more than --max-gap trading days
 * and no close is a one-day spike beyond --max-jump. Silent on success, for cron. */
static int write_check(cli *c, cli_run *s, defidx_error *err)
{
    (void)c;
    const defidx_result *r = s->result;
    if (r->spike_count > 0)
        return spikes_error(r, "", err);
    if (r->stale_rate_count > 0)
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "%zu FX rate(s) used more than %d business day%s after their date (hint: see the warnings above, which name each; --fx with newer rates, or --max-gap, sets what is allowed)",
                                r->stale_rate_count, r->max_gap, r->max_gap == 1 ? "" : "s");
    if (r->stale_count == 0)
        return cli_check_stale(r, 0, err); /* the report's rule: a price stale at the as-of date */
    return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                            "%zu price gap(s) longer than the allowed trading days (hint: see the warnings above; --max-gap sets the limit)",
                            r->stale_count);
}

/* report: the bundle, unless the data is too old; then exit 65 when a price in it is stale or a
 * close a one-day spike, so that a cron job mails the banner's news rather than staying silent. */
static int write_report(cli *c, cli_run *s, defidx_error *err)
{
    const defidx_result *r = s->result;
    char stamp[32] = "";
    if (c->stamp) {
        time_t now = time(NULL);
        struct tm utc;
        if (now == (time_t)-1 || !gmtime_r(&now, &utc) ||
            strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
            return defidx_error_set(err, DEFIDX_EINTERNAL, NULL, 0, 0, "cannot read the clock");
    }
    defidx_result *benchmark = NULL;
    defidx_stats *stats = NULL;
    char name[64] = "";
    chart_setup cs = {0};
    cli_factsheet sheet = {0};
    int rc = c->benchmark_path ? cli_benchmark(c, s, &benchmark, name, err) : 0;
    if (!rc)
        rc = cli_index_stats(c, s, benchmark, &stats, err);
    if (!rc)
        rc = chart_setup_make(c, s, benchmark, name, &cs, err);
    if (!rc)
        rc = cli_factsheet_make(c, s, stats, benchmark, name, &sheet, err);
    cli_report report = {c->out_dir, c->print, c->stamp ? stamp : NULL, stats, benchmark ? name : NULL, &cs.options,
                         &sheet.sheet};
    if (!rc)
        rc = cli_report_write(&report, r, err);
    cli_factsheet_free(&sheet);
    chart_setup_free(&cs);
    defidx_stats_free(stats);
    defidx_result_free(benchmark);
    if (!rc && r->spike_count > 0)
        rc = spikes_error(r, "; the report is written and says so", err);
    return rc ? rc : cli_check_stale(r, 1, err);
}

static int check_report(const cli *c)
{
    if (!c->out_dir && !c->index_path) /* a definition may name it (project.c) */
        return cli_usage_error("%s", "report: --out-dir DIR is required");
    return 0;
}

/* ---- chart ------------------------------------------------------------------------------------- */

/* chart: the SVG, through cli_write so that -o is atomic like every other output. */
typedef struct term_job {
    const defidx_result *result;
    defidx_term_chart_options options;
} term_job;

typedef struct chart_job {
    const defidx_result *result;
    defidx_chart_options options;
} chart_job;

static int write_svg(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    (void)format;
    (void)o;
    const chart_job *job = what;
    return defidx_chart_svg(out, job->result, &job->options, err);
}

static int write_term(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    (void)format;
    (void)o;
    const term_job *job = what;
    return defidx_chart_term(out, job->result, &job->options, err);
}

/* The chart in the terminal: sized to it (COLUMNS and LINES, else 80 x 24 away from one), braille
 * where the locale is UTF-8, colour where it is allowed. */
static int write_chart_term(cli *c, cli_run *s, defidx_error *err)
{
    term_job job = {s->result, {0}};
    defidx_term_chart_options_init(&job.options);
    size_t columns = cli_output_width(c->output_path), rows = cli_output_height(c->output_path);
    /* a line left for the shell's prompt under it; a terminal too small or too large gets the
     * smallest or largest chart there is (40 x 8, 1000 x 1000) */
    columns = columns ? columns : 80;
    rows = rows ? rows - 1 : 23;
    job.options.columns = (int)(columns < 40 ? 40 : columns > 1000 ? 1000 : columns);
    job.options.rows = (int)(rows < 8 ? 8 : rows > 1000 ? 1000 : rows);
    job.options.from = c->chart_from;
    job.options.utf8 = cli_utf8_locale();
    job.options.color = cli_output_color(&c->look, c->output_path);
    cli_look look = c->look;
    look.format = DEFIDX_FORMAT_TABLE; /* -o's extension says nothing of this text */
    return cli_write(c->output_path, &look, write_term, &job, err);
}

static int write_chart(cli *c, cli_run *s, defidx_error *err)
{
    if (c->look.format == CLI_FORMAT_TERM ||
        (c->look.format < 0 && cli_is_stdout(c->output_path) && isatty(STDOUT_FILENO)))
        return write_chart_term(c, s, err);
    defidx_result *benchmark = NULL;
    char name[64] = "";
    chart_setup cs = {0};
    int rc = c->benchmark_path ? cli_benchmark(c, s, &benchmark, name, err) : 0;
    if (!rc)
        rc = chart_setup_make(c, s, benchmark, name, &cs, err);
    chart_job job = {s->result, cs.options};
    if (!rc)
        rc = cli_write(c->output_path, &c->look, write_svg, &job, err);
    chart_setup_free(&cs);
    defidx_result_free(benchmark);
    return rc;
}

/* chart writes SVG, or with -O term text for a terminal: no table's format, and -o names an .svg. */
static int check_chart(const cli *c)
{
    if (c->look.format == CLI_FORMAT_TERM)
        return 0;
    if (c->look.format >= 0)
        return cli_usage_error("%s", "chart writes SVG (-o FILE.svg) or, with -O term, draws in the terminal; no other -O");
    const char *slash = c->output_path ? strrchr(c->output_path, '/') : NULL;
    const char *dot = c->output_path ? strrchr(slash ? slash : c->output_path, '.') : NULL;
    if (dot && strcmp(dot, ".svg") != 0 && strcmp(dot, ".SVG") != 0)
        return cli_usage_error("chart writes SVG, not %s: -o chart.svg, then rsvg-convert -o chart.png chart.svg", dot);
    return 0;
}

/* factsheet writes HTML: no other -O, and -o names an .html file (or none: stdout). */
static int check_factsheet(const cli *c)
{
    if (c->look.format >= 0 && c->look.format != DEFIDX_FORMAT_HTML)
        return cli_usage_error("%s", "factsheet writes HTML (-o FILE.html); no other -O");
    int named = c->output_path && !cli_is_stdout(c->output_path) ? cli_extension_format(c->output_path)
                                                                 : CLI_EXTENSION_NONE;
    if (named != CLI_EXTENSION_NONE && named != DEFIDX_FORMAT_HTML)
        return cli_usage_error("factsheet writes HTML, not %s: -o factsheet.html, then print it to PDF from a browser",
                               c->output_path);
    return 0;
}

/* ---- completion and help ------------------------------------------------------------------------ */

/* completion SHELL: the script on stdout. */
static int write_completion(cli *c, cli_run *s, defidx_error *err)
{
    (void)s;
    (void)err;
    char shells[64];
    cli_completion_shells(shells, sizeof shells, " or ");
    if (c->operand_count != 1)
        return cli_usage_error("completion: name one shell: %s", shells);
    if (cli_completion(c->operands[0], stdout) != 0)
        return cli_usage_error("completion: '%s' is not %s", c->operands[0], shells);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : CLI_EXIT_IOERR;
}

/* help [COMMAND], and --help: the text on stdout. */
static int write_help(cli *c, cli_run *s, defidx_error *err)
{
    (void)s;
    (void)err;
    cli_help_write(stdout, c->help_topic);
    return 0;
}

/* ---- the table ---------------------------------------------------------------------------------- */

/* The kinds of command, as the option table's for_flags name them. */
#define COMPUTING (CLI_CMD_READS_PRICES | CLI_CMD_COMPUTES)

const cli_command cli_commands[CLI_COMMAND_COUNT] = {
    [CLI_COMPUTE] = {
        .name = "compute",
        .flags = COMPUTING | CLI_CMD_WRITES_TABLE,
        .summary = "index level, period returns (1d, wtd, mtd, qtd, ytd, since), constituents",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Computes the index and reports, as of the last date (or --as-of): the level, its returns\n"
            "over 1d, wtd, mtd, qtd, ytd and each --since period with their base dates, the all-time\n"
            "high and the drawdown from it, and each constituent's price, weight, returns and\n"
            "contribution.\n"
            "\n"
            "Period bases: 1d the previous date; wtd the last date before Monday of the as-of date's\n"
            "week; mtd before the 1st of the month; qtd before the 1st of the quarter; ytd before\n"
            "1 January; since:D on D or the last date before it (default 2022-02-23, the last close\n"
            "before the invasion of Ukraine).\n"
            "\n"
            "A table fits the terminal (COLUMNS, else its width): columns are left out, contributions\n"
            "first, then the name, then returns from the oldest; a line under it says which. A price\n"
            "carried over more than --max-gap business days is marked * and explained under the table.\n",
        .examples =
            "  defidx compute --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx compute --spark --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx compute --columns ticker,weight,ytd,contrib_ytd -O csv --index data/index.json \\\n"
            "      --fx data/fx.csv data/prices.csv\n"
            "  defidx compute --weighting equal --since 2024-01-01 --as-of 2025-02-14 prices.csv\n"
            "  defidx compute --fx data/fx.csv --index data/index.json -O json data/prices.csv | jq .level\n"
            "  defidx compute --index data/index.json --fx data/fx.csv -o returns.html data/prices.csv\n",
        .write = write_compute,
    },
    [CLI_SERIES] = {
        .name = "series",
        .flags = COMPUTING | CLI_CMD_WRITES_TABLE,
        .summary = "one row per date: date, level, divisor, constituents",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Writes one row per date from the base date to the last date of the prices: date, level,\n"
            "divisor, the number of constituents and the return type; with --rolling N, the return over\n"
            "the last N returns and their annualised volatility.\n",
        .examples =
            "  defidx series --index data/index.json --fx data/fx.csv -o levels.csv data/prices.csv\n"
            "  defidx series --index data/index.json --fx data/fx.csv data/prices.csv | tail -n 5\n"
            "  defidx series --rolling 63 -O csv --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx series --return gross --actions data/actions.csv --index data/index.json \\\n"
            "      --fx data/fx.csv -O json data/prices.csv\n",
        .write = write_series,
    },
    [CLI_STATS] = {
        .name = "stats",
        .flags = COMPUTING | CLI_CMD_WRITES_TABLE,
        .summary = "volatility, drawdowns, Sharpe, trailing and calendar returns, a benchmark",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Describes the index's level from the base date to the as-of date the way ffn's calc_stats\n"
            "does: total return and CAGR (calendar days), the mean, volatility, Sharpe, Sortino, best,\n"
            "worst, skew and kurtosis of the returns between dates, of month ends and of year ends; the\n"
            "maximum drawdown and every drawdown with its dates; trailing mtd, qtd, ytd, 3m, 6m, 1y and\n"
            "3y, 5y, 10y annualised; a calendar of monthly and yearly returns. The returns a year are\n"
            "inferred from the median gap between dates (252 daily, 52, 12, 4, 1).\n"
            "\n"
            "With --benchmark, the index against one instrument on the dates both have: beta,\n"
            "correlation, tracking error, information ratio, alpha, up and down capture, and its\n"
            "trailing returns beside the index's. One price file alone is an index of that instrument,\n"
            "so defidx stats dbc.csv describes that series.\n",
        .examples =
            "  defidx stats --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx stats --index data/index.json --fx data/fx.csv --benchmark EUAD.csv data/prices.csv\n"
            "  defidx stats --risk-free 0.02 -O json --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx stats --each -O csv --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx stats dbc.csv\n",
        .write = cli_write_stats,
    },
    [CLI_REBASE] = {
        .name = "rebase",
        .flags = CLI_CMD_READS_PRICES | CLI_CMD_WRITES_TABLE | CLI_CMD_NEEDS_PANEL,
        .summary = "each constituent's price rebased to 100 at --base-date (wide)",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Writes each constituent's price rebased to 100 at --base-date (default: the first date),\n"
            "in its quote currency: one row per date, one column per ticker (the wide shape\n"
            "spreadsheets chart).\n",
        .examples =
            "  defidx rebase --base-date 2022-02-23 -O csv RHM.DE.csv BA.L.csv\n"
            "  defidx rebase --base-date 2024-12-31 -o rebased.csv data/prices.csv\n",
        .write = write_rebase,
    },
    [CLI_DIVISORS] = {
        .name = "divisors",
        .flags = COMPUTING | CLI_CMD_WRITES_TABLE,
        .summary = "every divisor change: date, old and new divisor, market value, reason",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Writes the divisor's audit trail: every change with its date, the first date computed\n"
            "with it, the old and new divisor, the market value before and after, and the reason\n"
            "(base, review, rebalance, or the corporate action).\n",
        .examples =
            "  defidx divisors --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx divisors --index data/index.json --fx data/fx.csv --actions data/actions.csv \\\n"
            "      --return gross data/prices.csv\n",
        .write = write_divisors,
    },
    [CLI_CHECK] = {
        .name = "check",
        .flags = COMPUTING | CLI_CMD_SILENT,
        .summary = "validate the inputs and their freshness; silent on success",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Loads and computes as compute does, and checks the data's freshness. Silent on success,\n"
            "for cron; on failure the message says what is wrong: exit 65 when a price is carried\n"
            "over more than --max-gap trading days or a close moves more than --max-jump (0.5) and\n"
            "back (a spike), exit 75 when the data is older than --max-age business days.\n",
        .examples =
            "  defidx check --max-age 3 --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  defidx check --max-gap 10 prices.csv || echo 'stale prices'\n"
            "  defidx check --max-jump 0.2 RR.L.csv BA.L.csv\n",
        .no_output = "it is silent on success",
        .write = write_check,
    },
    [CLI_CHART] = {
        .name = "chart",
        .flags = COMPUTING,
        .summary = "the level over time as an SVG chart, or drawn in the terminal",
        .usage = "[OPTIONS] PRICES...",
        .about =
            "Draws the index level as an SVG chart: round axis ticks, a dashed marker at the base of\n"
            "each period (wtd, mtd, qtd, ytd, since), the last value labelled and the all-time high marked.\n"
            "The SVG depends only on the data, so it can be kept under version control. It goes to\n"
            "-o FILE.svg, or to standard output when that is not a terminal. On a terminal (or with\n"
            "-O term) the chart is drawn in it instead: braille dots sized to the terminal (ASCII where\n"
            "the locale is not UTF-8), the same markers, the high and the last value.\n",
        .examples =
            "  defidx chart --index data/index.json                  (on a terminal: drawn in it)\n"
            "  defidx chart --index data/index.json --fx data/fx.csv -o chart.svg data/prices.csv\n"
            "  defidx chart --from 2024-01-01 --constituents --index data/index.json --fx data/fx.csv \\\n"
            "      -o ytd.svg data/prices.csv\n"
            "  rsvg-convert -o chart.png chart.svg     (a PNG for email; Debian librsvg2-bin)\n",
        .check = check_chart,
        .write = write_chart,
    },
    [CLI_REPORT] = {
        .name = "report",
        .flags = COMPUTING | CLI_CMD_BREAKDOWNS,
        .summary = "a dated report bundle for cron: text, Markdown, HTML, CSV, JSON, SVG, statistics",
        .usage = "--out-dir DIR [OPTIONS] PRICES...",
        .about =
            "Writes DIR/YYYY-MM-DD/ (the as-of date): report.txt, report.md, report.html, returns.csv,\n"
            "returns.json, constituents.csv, chart.svg, stats.json and report.xlsx, each atomically,\n"
            "then points DIR/latest at it; the reports end with the statistics of stats (summary,\n"
            "drawdowns, calendar; against --benchmark when given). A run that fails or is killed\n"
            "leaves the previous bundle and latest as they were.\n"
            "Silent on success; a rerun on the same data writes byte-identical files. When a price is\n"
            "stale (carried more than --max-gap business days to the as-of date, default 5), the\n"
            "reports name it in a banner, and after writing the bundle the command exits 65 naming it.\n"
            "\n"
            "report.html shows chart.png instead of the SVG when one exists beside it (mail clients\n"
            "show no SVG): rsvg-convert -o DIR/latest/chart.png DIR/latest/chart.svg, then run again.\n",
        .examples =
            "  defidx report --out-dir reports --index data/index.json --fx data/fx.csv data/prices.csv\n"
            "  flock -n /tmp/defidx.lock chronic defidx report --out-dir /srv/defidx --max-age 3 \\\n"
            "      --max-gap 5 --index index.json --fx fx.csv prices.csv\n",
        .no_output = "use --out-dir DIR",
        .check = check_report,
        .write = write_report,
    },
    [CLI_FACTSHEET] = {
        .name = "factsheet",
        .flags = COMPUTING | CLI_CMD_BREAKDOWNS,
        .summary = "a one-page factsheet of the index (HTML for A4)",
        .usage = "[OPTIONS] [-o FILE.html] PRICES...",
        .about =
            "Writes the index's factsheet, as index providers publish them: one self-contained HTML\n"
            "page laid out for an A4 sheet (print it to PDF from a browser). Name and description,\n"
            "key facts, returns over 1m, 3m, YTD, 1y, 3y and 5y (annualised), since the first --since\n"
            "date and since the base; volatility, Sharpe and the maximum drawdown (as stats computes\n"
            "them); the last five years' chart (against --benchmark); the ten largest constituents\n"
            "with country, segment and weight; the weights by country and by segment as bars; the\n"
            "data and the as-of date. Stale prices are marked. It goes to -o FILE.html, or to standard\n"
            "output; the report bundle holds it as factsheet.html.\n",
        .examples =
            "  defidx factsheet --index data/index.json -o factsheet.html\n"
            "  defidx factsheet --index data/index.json --benchmark data/stoxx600.csv -o factsheet.html\n"
            "  chromium --headless --print-to-pdf=factsheet.pdf factsheet.html\n",
        .check = check_factsheet,
        .write = cli_write_factsheet,
    },
    [CLI_FORMATS] = {
        .name = "formats",
        .flags = CLI_CMD_WRITES_TABLE,
        .summary = "list the price-file shapes defidx recognises and how",
        .usage = "[-O FMT] [-o FILE]",
        .about =
            "Lists the price-file shapes defidx recognises (long, wide, Yahoo, stooq, STOXX, ariva,\n"
            "Investing.com, Alpha Vantage, Twelve Data, EOD, ECB...), an example of each, and how it is\n"
            "recognised. docs/formats.md has the details.\n",
        .examples = "  defidx formats -O md\n",
        .write = write_formats,
    },
    [CLI_INIT] = {
        .name = "init",
        .flags = CLI_CMD_TAKES_DIR,
        .summary = "write a starter project to edit: the demo's definition and files",
        .usage = "[DIR]",
        .about =
            "Writes DIR/index.json (default DIR: the working folder, created when missing): the\n"
            "bundled demo's index definition, which names its price, FX, actions and benchmark files\n"
            "and the report's folder and defaults, with a few lines of comment; and copies of those\n"
            "files beside it, so that defidx compute --index DIR/index.json runs at once. Edit the\n"
            "constituents and the file names for your own index. It never replaces a file (exit 73).\n"
            "The demo's files are found in $DEFIDX_DATA_DIR, else where cmake --install puts them.\n",
        .examples =
            "  defidx init ead && defidx compute --index ead/index.json\n"
            "  defidx report --index ead/index.json       (the bundle goes to ead/reports/)\n",
        .no_output = "it writes the project's files into DIR",
        .write = cli_write_init,
    },
    [CLI_COMPLETION] = {
        .name = "completion",
        .flags = CLI_CMD_TAKES_SHELL,
        .summary = "print the bash, zsh or fish completion script",
        .usage = "bash|zsh|fish",
        .about = "Prints the shell completion script; `cmake --install` installs all three.\n",
        .examples =
            "  source <(defidx completion bash)\n"
            "  defidx completion zsh > ~/.zfunc/_defidx\n"
            "  defidx completion fish > ~/.config/fish/completions/defidx.fish\n",
        .write = write_completion,
    },
    [CLI_HELP] = {
        .name = "help",
        .flags = CLI_CMD_TAKES_COMMAND | CLI_CMD_UNLISTED,
        .summary = "show the help of a command",
        .usage = "[COMMAND]",
        .about = "Shows the help of COMMAND, the same as defidx COMMAND --help; without one, defidx --help.\n",
        .examples = "  defidx help report\n",
        .write = write_help,
    },
};

const cli_command *cli_command_find(const char *name)
{
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (strcmp(cli_commands[id].name, name) == 0)
            return &cli_commands[id];
    return NULL;
}

void cli_command_list(char *buf, size_t size, unsigned set, const char *last)
{
    const char *names[CLI_COMMAND_COUNT];
    size_t n = 0;
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if ((set & CLI_ON(id)) && !(cli_commands[id].flags & CLI_CMD_UNLISTED))
            names[n++] = cli_commands[id].name;
    cli_join(buf, size, names, n, last);
}
