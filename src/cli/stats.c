/* stats.c: `defidx stats`. The index's level series from the base date to the as-of date is
 * described by defidx_stats_compute; a --benchmark file is computed as an index of its one
 * instrument, in the index's currency (or as it is, when it is an index level in points), and
 * compared on the common dates; --each describes each constituent's own prices from the panel. */
#include "stats.h"
#include "diag.h"
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The benchmark file as an index in currency (NULL: its own) up to as_of (DEFIDX_NO_DATE: all);
 * its notes and warnings, which name its ticker or file, are printed when print is 1. */
static int compute_benchmark(const cli *c, const cli_run *s, const char *currency, int32_t as_of, int print,
                             defidx_result **out, defidx_error *err)
{
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    o.currency = currency;
    o.as_of = as_of;
    o.ticker_currencies = c->opt.ticker_currencies;
    o.ticker_currency_count = c->opt.ticker_currency_count;
    o.max_gap = c->opt.max_gap;
    o.max_jump = c->opt.max_jump;
    defidx_warnings w = {0};
    int rc = defidx_compute_file(c->benchmark_path, &c->load, NULL, s->fx, &o, out, &w, err);
    if (!rc && print) {
        cli_print_warnings(c->quiet, &w);
        cli_print_warnings(c->quiet, &(*out)->warnings);
    }
    defidx_warnings_free(&w);
    return rc;
}

/* The benchmark in the index's currency, up to the index's as-of date. It is computed as it is
 * first, to learn its currency and dates: an index level in points (currency XXX) is compared as
 * it is, with a note, and another currency is converted with --fx; a benchmark that starts after
 * the as-of date has no date in common, which a warning says. */
int cli_benchmark(const cli *c, const cli_run *s, defidx_result **out, char name[64], defidx_error *err)
{
    const defidx_result *r = s->result;
    defidx_result *own = NULL;
    int rc = compute_benchmark(c, s, NULL, DEFIDX_NO_DATE, 0, &own, err);
    if (!rc && own->constituent_count != 1)
        rc = defidx_error_set(err, DEFIDX_EDATA, c->benchmark_path, 0, 0,
                              "the benchmark holds %zu instruments, not one (hint: --benchmark takes the prices of one index, fund or stock)",
                              own->constituent_count);
    if (rc) {
        defidx_result_free(own);
        return rc;
    }
    snprintf(name, 64, "%s", own->constituents[0].ticker);
    int points = strcmp(own->currency, "XXX") == 0;
    const char *currency = strcmp(own->currency, r->currency) == 0 || points ? NULL : r->currency;
    int32_t first = own->date_count ? own->dates[0] : DEFIDX_NO_DATE;
    int32_t last = own->date_count ? own->dates[own->date_count - 1] : DEFIDX_NO_DATE;
    /* up to the index's as-of date when it reaches it; else all of it, and a warning says why */
    int32_t as_of = first <= r->as_of && last >= r->as_of ? r->as_of : DEFIDX_NO_DATE;
    char shown[256]; /* the ticker as messages show it: its control characters escaped */
    defidx_text_escape(shown, sizeof shown, name);
    if (points && !c->quiet)
        cli_diag("note: the benchmark %s is an index level in points, of no known currency: its returns "
                 "are compared with the index's as they are (hint: --ticker-currency %s=CCY converts it)",
                 shown, shown);
    char its[11], ours[11];
    if (!c->quiet && first > r->as_of) {
        defidx_date_format(first, its);
        cli_diag("warning: the benchmark %s starts on %s, after the as-of date: no date in common, and "
                 "its figures are empty (hint: --as-of a later date)", shown, its);
    } else if (!c->quiet && last < r->base_date) {
        defidx_date_format(last, its);
        defidx_date_format(r->base_date, ours);
        cli_diag("warning: the benchmark %s ends on %s, before the index's base date %s: no date in "
                 "common, and its figures are empty (hint: a newer download of it)", shown, its, ours);
    } else if (!c->quiet && last < r->as_of) {
        defidx_date_format(last, its);
        defidx_date_format(r->as_of, ours);
        cli_diag("warning: the benchmark %s ends on %s, before the as-of date %s: it is compared on the "
                 "dates in common only, and its trailing returns are left out (another period) "
                 "(hint: a newer download of it, or --as-of %s)", shown, its, ours, its);
    }
    defidx_result_free(own);
    return compute_benchmark(c, s, currency, as_of, 1, out, err);
}

/* The statistics' options of the command line, up to the result's as-of date. */
static defidx_stats_options stats_options(const cli *c, const defidx_result *r)
{
    defidx_stats_options o;
    defidx_stats_options_init(&o);
    o.periods_per_year = c->periods_per_year;
    o.risk_free = c->risk_free;
    o.end = r->as_of;
    return o;
}

int cli_index_stats(const cli *c, const cli_run *s, const defidx_result *benchmark, defidx_stats **out,
                    defidx_error *err)
{
    const defidx_result *r = s->result;
    defidx_stats_options o = stats_options(c, r);
    defidx_level_series index = {r->date_count, r->dates, r->levels};
    defidx_level_series versus = benchmark ? (defidx_level_series){benchmark->date_count, benchmark->dates,
                                                                  benchmark->levels}
                                           : (defidx_level_series){0};
    return defidx_stats_compute(&index, benchmark ? &versus : NULL, &o, out, err);
}

int cli_benchmark_line(const defidx_result *r, const defidx_result *benchmark, int32_t from, const char *name,
                       defidx_chart_line **line, defidx_error *err)
{
    size_t n = r->date_count ? r->date_count : 1;
    int32_t *dates = malloc(n * sizeof *dates);
    double *values = malloc(n * sizeof *values);
    *line = calloc(1, sizeof **line);
    if (!dates || !values || !*line) {
        free(dates);
        free(values);
        free(*line);
        *line = NULL;
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int32_t first = from == DEFIDX_NO_DATE ? r->base_date : from;
    size_t count = 0, j = 0;
    double carried = NAN, base = NAN, index_first = NAN, start = NAN;
    for (size_t i = 0; i < r->date_count; i++) {
        int32_t date = r->dates[i];
        for (; j < benchmark->date_count && benchmark->dates[j] <= date; j++)
            if (isfinite(benchmark->levels[j]))
                carried = benchmark->levels[j];
        if (date < first || date > r->as_of)
            continue;
        if (isnan(index_first) && isfinite(r->levels[i]))
            index_first = r->levels[i]; /* the chart rebases the index to 100 here */
        if (isnan(base) && isfinite(carried) && isfinite(r->levels[i])) {
            /* it starts where the index stands then: 100 on the first date, or on the index's
             * line when it starts later, so that the two compare over the span they share */
            base = carried;
            start = r->levels[i] / index_first * 100;
        }
        dates[count] = date;
        values[count++] = isfinite(base) ? carried / base * start : NAN;
    }
    **line = (defidx_chart_line){name, count, dates, values};
    return 0;
}

/* The constituent's own prices in the panel from the index's base date to the as-of date. */
static void own_prices(const defidx_panel *p, long j, const defidx_result *r, int32_t *dates, double *values,
                       size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < defidx_panel_date_count(p); i++) {
        int32_t date = defidx_panel_date(p, i);
        if (date < r->base_date || date > r->as_of)
            continue;
        dates[*n] = date;
        values[(*n)++] = defidx_panel_price(p, (size_t)j, i);
    }
}

/* --each: the figures of every constituent, in the result's order (largest weight first). */
typedef struct each {
    size_t count;
    const char **names;
    defidx_stats **stats;
} each;

static void free_each(each *e)
{
    for (size_t k = 0; k < e->count; k++)
        defidx_stats_free(e->stats[k]);
    free(e->names);
    free(e->stats);
}

static int describe_each(const cli_run *s, const defidx_stats_options *o, each *e, defidx_error *err)
{
    const defidx_result *r = s->result;
    size_t dates = defidx_panel_date_count(s->panel), n;
    int32_t *day = malloc((dates ? dates : 1) * sizeof *day);
    double *value = malloc((dates ? dates : 1) * sizeof *value);
    e->names = calloc(r->constituent_count ? r->constituent_count : 1, sizeof *e->names);
    e->stats = calloc(r->constituent_count ? r->constituent_count : 1, sizeof *e->stats);
    int rc = !day || !value || !e->names || !e->stats ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory") : 0;
    for (size_t k = 0; k < r->constituent_count && !rc; k++) {
        long j = defidx_panel_find(s->panel, r->constituents[k].ticker);
        own_prices(s->panel, j, r, day, value, &n);
        if (j < 0)
            n = 0;
        defidx_level_series own = {n, day, value};
        rc = defidx_stats_compute(&own, NULL, o, &e->stats[k], err);
        if (!rc)
            e->names[e->count++] = r->constituents[k].ticker;
    }
    free(day);
    free(value);
    return rc;
}

typedef struct stats_job {
    defidx_stats_report report;
} stats_job;

static int write_report(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    return defidx_emit_stats(out, &((const stats_job *)what)->report, format, o, err);
}

int cli_write_stats(cli *c, cli_run *s, defidx_error *err)
{
    const defidx_result *r = s->result;
    defidx_result *benchmark = NULL;
    char name[64] = "";
    each e = {0};
    defidx_stats *st = NULL;
    int rc = c->benchmark_path ? cli_benchmark(c, s, &benchmark, name, err) : 0;
    if (!rc)
        rc = cli_index_stats(c, s, benchmark, &st, err);
    if (!rc && c->each) {
        defidx_stats_options o = stats_options(c, r);
        rc = describe_each(s, &o, &e, err);
    }
    if (!rc) {
        stats_job job = {{r->name[0] ? r->name : "Index", r->currency, benchmark ? name : NULL, st, e.count,
                          e.names, (const defidx_stats *const *)e.stats, &r->warnings}};
        rc = cli_write(c->output_path, &c->look, write_report, &job, err);
    }
    free_each(&e);
    defidx_stats_free(st);
    defidx_result_free(benchmark);
    return rc;
}
