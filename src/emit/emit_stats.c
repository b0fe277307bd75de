/* emit_stats.c: the statistics of `defidx stats` (defidx_stats, src/index/stats.c) in every output
 * format: sections of tables for people, one row per figure for programs (CSV, TSV), and the JSON
 * object of the schema defidx.stats/1. Each kind of figure is listed once, in a table below, which
 * all three read: a figure added there appears everywhere with the same key. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "emit/emit.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the figures, one table per kind --------------------------------------------------------- */

/* How a figure is shown to people. */
enum figure_style {
    RETURN,  /* a signed percentage */
    SHARE,   /* a percentage without a sign (a win rate) */
    RATIO,   /* a plain number, two decimals */
    DAYS,    /* a number of days, no decimals */
    DATE,    /* an int32_t date */
    COUNT,   /* a size_t */
    TEXT     /* a const char * */
};

typedef struct figure {
    const char *key;   /* the JSON key, and the last part of the CSV figure's name */
    const char *label; /* for people */
    size_t offset;     /* in the struct the table describes */
    enum figure_style style;
} figure;

#define STATS(field) offsetof(defidx_stats, field)
static const figure summary_figures[] = {
    {"start", "Start", STATS(start), DATE},
    {"end", "End", STATS(end), DATE},
    {"observations", "Observations", STATS(observations), COUNT},
    {"frequency", "Frequency", STATS(frequency), TEXT},
    {"periods_per_year", "Periods a year", STATS(periods_per_year), DAYS},
    {"risk_free", "Risk-free rate", STATS(risk_free), SHARE},
    {"total_return", "Total return", STATS(total_return), RETURN},
    {"cagr", "CAGR", STATS(cagr), RETURN},
    {"max_drawdown", "Max drawdown", STATS(max_drawdown), RETURN},
    {"calmar", "Calmar", STATS(calmar), RATIO},
    {"avg_drawdown", "Average drawdown", STATS(avg_drawdown), RETURN},
    {"avg_drawdown_days", "Average drawdown days", STATS(avg_drawdown_days), DAYS},
    {"win_months", "Positive months", STATS(win_months), SHARE},
    {"win_years", "Positive years", STATS(win_years), SHARE},
};

#define RISK(field) offsetof(defidx_risk, field)
static const figure risk_figures[] = {
    {"mean", "Mean (annualised)", RISK(mean), RETURN},
    {"vol", "Volatility (annualised)", RISK(vol), SHARE},
    {"sharpe", "Sharpe", RISK(sharpe), RATIO},
    {"sortino", "Sortino", RISK(sortino), RATIO},
    {"best", "Best", RISK(best), RETURN},
    {"worst", "Worst", RISK(worst), RETURN},
    {"skew", "Skew", RISK(skew), RATIO},
    {"kurtosis", "Kurtosis (excess)", RISK(kurtosis), RATIO},
};

/* The three sets of returns a defidx_stats describes. */
static const struct risk_set {
    const char *key, *label;
    size_t offset;
} risk_sets[] = {
    {"period", "Period", STATS(period)},
    {"monthly", "Monthly", STATS(monthly)},
    {"yearly", "Yearly", STATS(yearly)},
};

#define VERSUS(field) offsetof(defidx_benchmark_stats, field)
static const figure benchmark_figures[] = {
    {"start", "Its first date", VERSUS(start), DATE},
    {"end", "Its last date", VERSUS(end), DATE},
    {"common_dates", "Common dates", VERSUS(common_count), COUNT},
    {"periods_per_year", "Periods a year", VERSUS(periods_per_year), DAYS},
    {"beta", "Beta", VERSUS(beta), RATIO},
    {"correlation", "Correlation", VERSUS(correlation), RATIO},
    {"tracking_error", "Tracking error", VERSUS(tracking_error), SHARE},
    {"information_ratio", "Information ratio", VERSUS(information_ratio), RATIO},
    {"alpha", "Alpha (annualised)", VERSUS(alpha), RETURN},
    {"up_capture", "Up capture", VERSUS(up_capture), RATIO},
    {"down_capture", "Down capture", VERSUS(down_capture), RATIO},
};

#define DRAWDOWN(field) offsetof(defidx_drawdown, field)
static const figure drawdown_figures[] = {
    {"start", "Start", DRAWDOWN(start), DATE},
    {"trough", "Trough", DRAWDOWN(trough), DATE},
    {"end", "End", DRAWDOWN(end), DATE},
    {"length_days", "Days", DRAWDOWN(length_days), DATE}, /* an int32_t, written as a number */
    {"depth", "Depth", DRAWDOWN(depth), RETURN},
};

/* How many deepest drawdowns the formats for people show (JSON and CSV give every one). */
#define DEEPEST 5

#define COUNT_OF(a) (sizeof(a) / sizeof *(a))

/* ---- reading a figure ------------------------------------------------------------------------ */

static double number_at(const void *base, const figure *f)
{
    const char *p = (const char *)base + f->offset;
    switch (f->style) {
    case COUNT:
        return (double)*(const size_t *)(const void *)p;
    case DATE:
        return *(const int32_t *)(const void *)p;
    case TEXT:
        return NAN;
    default:
        return *(const double *)(const void *)p;
    }
}

/* The drawdown's length is an int32_t like a date, but a number to show. */
static int is_length(const figure *f)
{
    return f == &drawdown_figures[3];
}

/* The cell of a figure of base, for people or for programs. */
static defidx_cell figure_cell(const void *base, const figure *f, int for_people)
{
    double x = number_at(base, f);
    switch (f->style) {
    case TEXT:
        return defidx_cell_text(*(const char *const *)(const void *)((const char *)base + f->offset));
    case DATE:
        if (is_length(f))
            return defidx_cell_number(x, 0);
        return (int32_t)x == DEFIDX_NO_DATE ? defidx_cell_null() : defidx_cell_date((int32_t)x);
    case COUNT:
    case DAYS:
        return defidx_cell_number(x, 0);
    case RETURN:
        return for_people ? defidx_cell_percent(x, 2) : defidx_cell_number(x, 2);
    case SHARE:
        return for_people ? defidx_cell_share(x, 2) : defidx_cell_number(x, 2);
    default:
        return defidx_cell_number(x, 2);
    }
}

/* ---- JSON --------------------------------------------------------------------------------------- */

static void json_figure(FILE *out, const void *base, const figure *f)
{
    dfx_json_string(out, f->key);
    fputs(": ", out);
    if (f->style == TEXT)
        dfx_json_string(out, *(const char *const *)(const void *)((const char *)base + f->offset));
    else if (f->style == DATE && !is_length(f))
        dfx_json_date(out, (int32_t)number_at(base, f));
    else
        dfx_json_number(out, number_at(base, f));
}

/* The figures of a table as the members of an object (without braces), each after sep. */
static void json_figures(FILE *out, const void *base, const figure *figures, size_t n, const char *sep)
{
    for (size_t k = 0; k < n; k++) {
        fputs(k ? ", " : sep, out);
        json_figure(out, base, &figures[k]);
    }
}

static void json_trailing(FILE *out, const double *trailing)
{
    fputc('{', out);
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++) {
        fputs(t ? ", " : "", out);
        dfx_json_string(out, defidx_trailing_name(t));
        fputs(": ", out);
        dfx_json_number(out, trailing[t]);
    }
    fputc('}', out);
}

/* The keys of one series' statistics, without the braces. */
static void json_stats_members(FILE *out, const defidx_stats *s)
{
    json_figures(out, s, summary_figures, COUNT_OF(summary_figures), "");
    for (size_t k = 0; k < COUNT_OF(risk_sets); k++) {
        fprintf(out, ",\n  \"%s\": {", risk_sets[k].key);
        json_figures(out, (const char *)s + risk_sets[k].offset, risk_figures, COUNT_OF(risk_figures), "");
        fputc('}', out);
    }
    fputs(",\n  \"trailing\": ", out);
    json_trailing(out, s->trailing);
    fputs(",\n  \"drawdowns\": [", out);
    for (size_t k = 0; k < s->drawdown_count; k++) {
        fputs(k ? ",\n    {" : "\n    {", out);
        json_figures(out, &s->drawdowns[k], drawdown_figures, COUNT_OF(drawdown_figures), "");
        fputc('}', out);
    }
    fputs("]", out);
    fputs(",\n  \"calendar\": [", out);
    for (size_t k = 0; k < s->year_count; k++) {
        const defidx_calendar_year *c = &s->calendar[k];
        fprintf(out, "%s{\"year\": %d, \"months\": [", k ? ",\n    " : "\n    ", c->year);
        for (int m = 0; m < 12; m++) {
            fputs(m ? ", " : "", out);
            dfx_json_number(out, c->months[m]);
        }
        fputs("], \"year_return\": ", out);
        dfx_json_number(out, c->year_return);
        fputc('}', out);
    }
    fputs("]", out);
}

static void json_benchmark(FILE *out, const defidx_stats_report *r)
{
    const defidx_stats *s = r->stats;
    if (!s->has_benchmark) {
        fputs("null", out);
        return;
    }
    fputs("{\"name\": ", out);
    dfx_json_string(out, r->benchmark);
    json_figures(out, &s->benchmark, benchmark_figures, COUNT_OF(benchmark_figures), ", ");
    fputs(", \"trailing\": ", out);
    json_trailing(out, s->benchmark.trailing);
    fputs(", \"difference\": ", out);
    double difference[DEFIDX_TRAILING_COUNT];
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++)
        difference[t] = s->trailing[t] - s->benchmark.trailing[t];
    json_trailing(out, difference);
    fputc('}', out);
}

static int write_json(FILE *out, const defidx_stats_report *r, defidx_error *err)
{
    fputs("{\"schema\": \"defidx.stats/1\", \"name\": ", out);
    dfx_json_string(out, r->name);
    fputs(", \"currency\": ", out);
    dfx_json_string(out, r->currency);
    fputs(",\n  ", out);
    json_stats_members(out, r->stats);
    fputs(",\n  \"benchmark\": ", out);
    json_benchmark(out, r);
    if (r->each_count) {
        fputs(",\n  \"constituents\": [", out);
        for (size_t k = 0; k < r->each_count; k++) {
            fputs(k ? ",\n  {\"ticker\": " : "\n  {\"ticker\": ", out);
            dfx_json_string(out, r->each_names[k]);
            fputs(",\n  ", out);
            json_stats_members(out, r->each[k]);
            fputc('}', out);
        }
        fputs("]", out);
    }
    fputs(",\n  \"warnings\": ", out);
    dfx_json_warning_texts(out, r->warnings, NULL);
    fputs("}\n", out);
    return dfx_emit_finish(out, err);
}

/* ---- CSV and TSV: one row per figure ------------------------------------------------------------- */

static const char *rows_header[] = {"series", "figure", "value"};

/* The rows being built: names are kept until the table is written. */
typedef struct rows {
    defidx_table table;
    char **names;
    size_t name_count, name_capacity;
} rows;

/* A row: series, the figure's name (printf), its cell. 0 or DEFIDX_ENOMEM. */
static int add_row(rows *t, const char *series, defidx_cell value, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int add_row(rows *t, const char *series, defidx_cell value, const char *fmt, ...)
{
    char name[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    char *copy = strdup(name);
    if (!copy || dfx_grow((void **)&t->names, &t->name_capacity, t->name_count + 1, sizeof *t->names)) {
        free(copy);
        return DEFIDX_ENOMEM;
    }
    t->names[t->name_count++] = copy;
    defidx_cell *row = defidx_table_add_row(&t->table);
    if (!row)
        return DEFIDX_ENOMEM;
    row[0] = defidx_cell_text(series);
    row[1] = defidx_cell_text(copy);
    row[2] = value;
    return 0;
}

/* The rows of the figures of a table under prefix ("" or "period."). */
static int figure_rows(rows *t, const char *series, const void *base, const figure *figures, size_t n,
                       const char *prefix)
{
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++)
        rc = add_row(t, series, figure_cell(base, &figures[k], 0), "%s%s", prefix, figures[k].key);
    return rc;
}

static int trailing_rows(rows *t, const char *series, const double *trailing, const char *prefix)
{
    int rc = 0;
    for (int k = 0; k < DEFIDX_TRAILING_COUNT && !rc; k++)
        rc = add_row(t, series, defidx_cell_number(trailing[k], 2), "%strailing.%s", prefix, defidx_trailing_name(k));
    return rc;
}

/* Every figure of one series' statistics. */
static int stats_rows(rows *t, const char *series, const defidx_stats *s)
{
    int rc = figure_rows(t, series, s, summary_figures, COUNT_OF(summary_figures), "");
    for (size_t k = 0; k < COUNT_OF(risk_sets) && !rc; k++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "%s.", risk_sets[k].key);
        rc = figure_rows(t, series, (const char *)s + risk_sets[k].offset, risk_figures, COUNT_OF(risk_figures), prefix);
    }
    if (!rc)
        rc = trailing_rows(t, series, s->trailing, "");
    for (size_t k = 0; k < s->drawdown_count && !rc; k++) {
        char prefix[40];
        snprintf(prefix, sizeof prefix, "drawdowns.%zu.", k + 1);
        rc = figure_rows(t, series, &s->drawdowns[k], drawdown_figures, COUNT_OF(drawdown_figures), prefix);
    }
    for (size_t k = 0; k < s->year_count && !rc; k++) {
        const defidx_calendar_year *c = &s->calendar[k];
        for (int m = 0; m < 12 && !rc; m++)
            rc = add_row(t, series, defidx_cell_number(c->months[m], 2), "calendar.%d.%02d", c->year, m + 1);
        if (!rc)
            rc = add_row(t, series, defidx_cell_number(c->year_return, 2), "calendar.%d.year", c->year);
    }
    return rc;
}

static void free_rows(rows *t)
{
    defidx_table_free(&t->table);
    for (size_t k = 0; k < t->name_count; k++)
        free(t->names[k]);
    free(t->names);
}

static int write_rows(FILE *out, const defidx_stats_report *r, int fmt, const defidx_emit_options *o,
                      defidx_error *err)
{
    rows t = {0};
    int rc = defidx_table_init(&t.table, 3, rows_header) ? DEFIDX_ENOMEM : 0;
    if (!rc)
        rc = stats_rows(&t, "index", r->stats);
    if (!rc && r->stats->has_benchmark) {
        rc = figure_rows(&t, "index", &r->stats->benchmark, benchmark_figures, COUNT_OF(benchmark_figures),
                         "benchmark.");
        if (!rc)
            rc = trailing_rows(&t, "index", r->stats->benchmark.trailing, "benchmark.");
    }
    for (size_t k = 0; k < r->each_count && !rc; k++)
        rc = stats_rows(&t, r->each_names[k], r->each[k]);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t.table, fmt, o, err);
    free_rows(&t);
    return rc;
}

/* ---- for people: sections of tables -------------------------------------------------------------- */

/* A section: its heading and its table. */
typedef struct section {
    const char *heading;
    defidx_table table;
} section;

static const char *two_columns[] = {"Figure", "Value"};

/* A two-column section of the figures of a table. */
static int figures_section(section *sec, const char *heading, const void *base, const figure *figures, size_t n)
{
    sec->heading = heading;
    if (defidx_table_init(&sec->table, 2, two_columns))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        defidx_cell *row = defidx_table_add_row(&sec->table);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(figures[k].label);
        row[1] = figure_cell(base, &figures[k], 1);
    }
    return 0;
}

static const char *trailing_header[] = {"Period", "Index", "Benchmark", "Difference"};

static int trailing_section(section *sec, const defidx_stats *s)
{
    sec->heading = "Trailing returns";
    if (defidx_table_init(&sec->table, s->has_benchmark ? 4 : 2, trailing_header))
        return DEFIDX_ENOMEM;
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++) {
        defidx_cell *row = defidx_table_add_row(&sec->table);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(defidx_trailing_name(t));
        row[1] = defidx_cell_percent(s->trailing[t], 2);
        if (s->has_benchmark) {
            row[2] = defidx_cell_percent(s->benchmark.trailing[t], 2);
            row[3] = defidx_cell_percent(s->trailing[t] - s->benchmark.trailing[t], 2);
        }
    }
    return 0;
}

static const char *risk_header[] = {"Figure", "Period", "Monthly", "Yearly"};

static int risk_section(section *sec, const defidx_stats *s)
{
    sec->heading = "Returns and risk";
    if (defidx_table_init(&sec->table, 4, risk_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < COUNT_OF(risk_figures); k++) {
        defidx_cell *row = defidx_table_add_row(&sec->table);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(risk_figures[k].label);
        for (size_t j = 0; j < COUNT_OF(risk_sets); j++)
            row[1 + j] = figure_cell((const char *)s + risk_sets[j].offset, &risk_figures[k], 1);
    }
    return 0;
}

static const char *drawdown_header[] = {"Start", "Trough", "End", "Days", "Depth"};

static int by_depth(const void *a, const void *b)
{
    const defidx_drawdown *x = *(const defidx_drawdown *const *)a, *y = *(const defidx_drawdown *const *)b;
    return (x->depth > y->depth) - (x->depth < y->depth);
}

/* The deepest drawdowns, deepest first (the same depth: the earlier first, qsort being unstable
 * is settled by the start). */
static int deepest_first(const void *a, const void *b)
{
    int c = by_depth(a, b);
    if (c)
        return c;
    const defidx_drawdown *x = *(const defidx_drawdown *const *)a, *y = *(const defidx_drawdown *const *)b;
    return (x->start > y->start) - (x->start < y->start);
}

static int drawdown_section(section *sec, const defidx_stats *s)
{
    sec->heading = "Deepest drawdowns";
    if (defidx_table_init(&sec->table, 5, drawdown_header))
        return DEFIDX_ENOMEM;
    const defidx_drawdown **order = malloc((s->drawdown_count ? s->drawdown_count : 1) * sizeof *order);
    if (!order)
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < s->drawdown_count; k++)
        order[k] = &s->drawdowns[k];
    qsort(order, s->drawdown_count, sizeof *order, deepest_first);
    int rc = 0;
    for (size_t k = 0; k < s->drawdown_count && k < DEEPEST && !rc; k++) {
        defidx_cell *row = defidx_table_add_row(&sec->table);
        if (!row) {
            rc = DEFIDX_ENOMEM;
            break;
        }
        for (size_t j = 0; j < COUNT_OF(drawdown_figures); j++)
            row[j] = figure_cell(order[k], &drawdown_figures[j], 1);
    }
    free(order);
    return rc;
}

static const char *calendar_header[] = {"Year", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                        "Aug", "Sep", "Oct", "Nov", "Dec", "Year"};

static int calendar_section(section *sec, const defidx_stats *s)
{
    sec->heading = "Calendar returns";
    if (defidx_table_init(&sec->table, 14, calendar_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < s->year_count; k++) {
        const defidx_calendar_year *c = &s->calendar[k];
        defidx_cell *row = defidx_table_add_row(&sec->table);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_number(c->year, 0);
        for (int m = 0; m < 12; m++)
            row[1 + m] = defidx_cell_percent(c->months[m], 1);
        row[13] = defidx_cell_percent(c->year_return, 1);
    }
    return 0;
}

static const char *each_header[] = {"Ticker", "Total return", "CAGR", "Volatility", "Sharpe", "Max drawdown", "ytd", "1y"};

/* With --each: a row per constituent of the figures a reader compares first. */
static int each_section(section *sec, const defidx_stats_report *r)
{
    sec->heading = "Constituents";
    if (defidx_table_init(&sec->table, 8, each_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < r->each_count; k++) {
        const defidx_stats *s = r->each[k];
        defidx_cell *row = defidx_table_add_row(&sec->table);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(r->each_names[k]);
        row[1] = defidx_cell_percent(s->total_return, 2);
        row[2] = defidx_cell_percent(s->cagr, 2);
        row[3] = defidx_cell_share(s->period.vol, 2);
        row[4] = defidx_cell_number(s->period.sharpe, 2);
        row[5] = defidx_cell_percent(s->max_drawdown, 2);
        row[6] = defidx_cell_percent(s->trailing[DEFIDX_TRAILING_YTD], 2);
        row[7] = defidx_cell_percent(s->trailing[DEFIDX_TRAILING_1Y], 2);
    }
    return 0;
}

int dfx_stats_section(const defidx_stats_report *r, int part, const char **heading, defidx_table *t)
{
    const defidx_stats *s = r->stats;
    section sec = {0};
    int rc = 0;
    switch (part) {
    case DFX_STATS_SUMMARY:
        rc = figures_section(&sec, "Summary", s, summary_figures, COUNT_OF(summary_figures));
        break;
    case DFX_STATS_TRAILING:
        rc = trailing_section(&sec, s);
        break;
    case DFX_STATS_RISK:
        rc = risk_section(&sec, s);
        break;
    case DFX_STATS_DRAWDOWNS:
        rc = drawdown_section(&sec, s);
        break;
    case DFX_STATS_CALENDAR:
        rc = calendar_section(&sec, s);
        break;
    case DFX_STATS_BENCHMARK:
        rc = figures_section(&sec, "Against the benchmark", &s->benchmark, benchmark_figures,
                             COUNT_OF(benchmark_figures));
        break;
    default:
        rc = each_section(&sec, r);
        break;
    }
    *heading = sec.heading;
    *t = sec.table;
    if (rc)
        defidx_table_free(t);
    return rc ? DEFIDX_ENOMEM : 0;
}

/* Every section for people, in the order they are shown; *count of them. */
static int build_sections(const defidx_stats_report *r, section *sec, size_t *count)
{
    size_t n = 0;
    int rc = 0;
    for (int part = 0; part < DFX_STATS_PART_COUNT && !rc; part++) {
        if ((part == DFX_STATS_BENCHMARK && !r->stats->has_benchmark) || (part == DFX_STATS_EACH && !r->each_count))
            continue;
        rc = dfx_stats_section(r, part, &sec[n].heading, &sec[n].table);
        n += !rc;
    }
    *count = n;
    return rc;
}

/* The title: "Name (EUR): statistics from START to END". */
static void title_of(const defidx_stats_report *r, char *buf, size_t size)
{
    char start[11], end[11];
    defidx_date_format(r->stats->start, start);
    defidx_date_format(r->stats->end, end);
    snprintf(buf, size, "%s%s%s%s: statistics from %s to %s", r->name && r->name[0] ? r->name : "Index",
             r->currency ? " (" : "", r->currency ? r->currency : "", r->currency ? ")" : "",
             start[0] ? start : "-", end[0] ? end : "-");
}

static int write_people(FILE *out, const defidx_stats_report *r, int fmt, const defidx_emit_options *o,
                        defidx_error *err)
{
    section sec[DFX_STATS_PART_COUNT] = {{0}};
    size_t n = 0;
    /* under the title: the benchmark, and how many warnings the figures come with, so that a
     * reader of the table alone knows there are some (stderr lists them, -O json holds them) */
    char title[400], notes[2][300];
    size_t note_count = 0;
    title_of(r, title, sizeof title);
    if (r->stats->has_benchmark)
        snprintf(notes[note_count++], sizeof notes[0], "Benchmark: %s", r->benchmark ? r->benchmark : "");
    size_t warned = r->warnings ? r->warnings->count + r->warnings->suppressed : 0;
    if (warned)
        snprintf(notes[note_count++], sizeof notes[0], "%zu warning%s on these figures: see standard error, or -O json",
                 warned, warned == 1 ? "" : "s");
    int rc = build_sections(r, sec, &n) ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory") : 0;
    if (!rc && fmt == DEFIDX_FORMAT_HTML) {
        dfx_html_begin(out, title);
        fputs("<h1>", out);
        dfx_html_text(out, title);
        fputs("</h1>\n", out);
        for (size_t k = 0; k < note_count; k++) {
            fputs("<p>", out);
            dfx_html_text(out, notes[k]);
            fputs("</p>\n", out);
        }
        for (size_t k = 0; k < n && !rc; k++) {
            fprintf(out, "<h2>%s</h2>\n", sec[k].heading);
            if (dfx_html_table(out, &sec[k].table, o->header))
                rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (!rc)
            dfx_html_end(out);
    } else if (!rc) {
        int md = fmt == DEFIDX_FORMAT_MD;
        fputs(md ? "## " : "", out);
        dfx_text_put(out, title); /* the name is the data's: escaped */
        fputs("\n", out);
        for (size_t k = 0; k < note_count; k++) {
            fputs(md ? "\n" : "", out);
            dfx_text_put(out, notes[k]);
            fputs("\n", out);
        }
        for (size_t k = 0; k < n && !rc; k++) {
            fprintf(out, md ? "\n### %s\n\n" : "\n%s\n", sec[k].heading);
            rc = defidx_emit_table(out, &sec[k].table, fmt, o, err);
        }
    }
    for (size_t k = 0; k < n; k++)
        defidx_table_free(&sec[k].table);
    return rc ? rc : dfx_emit_finish(out, err);
}

/* ---- Excel ----------------------------------------------------------------------------- */

/* A sheet per section of the statistics, named as the section after prefix (the report's workbook
 * has a Summary and Constituents of its own). */
int dfx_stats_put_sheets(dfx_xlsx *x, const defidx_stats_report *r, const char *prefix, defidx_error *err)
{
    int rc = 0;
    for (int part = 0; part < DFX_STATS_PART_COUNT && !rc; part++) {
        if ((part == DFX_STATS_BENCHMARK && !r->stats->has_benchmark) || (part == DFX_STATS_EACH && !r->each_count))
            continue;
        const char *heading;
        defidx_table t;
        if (dfx_stats_section(r, part, &heading, &t))
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        char name[64];
        snprintf(name, sizeof name, "%s%s", prefix, heading);
        rc = dfx_xlsx_sheet(x, name, err);
        if (!rc)
            rc = dfx_xlsx_put_table(x, 0, &t, 1, err);
        defidx_table_free(&t);
    }
    return rc;
}

int dfx_stats_write_xlsx(FILE *out, const defidx_stats_report *r, defidx_error *err)
{
    dfx_xlsx *x;
    int rc = dfx_xlsx_open(&x, r->stats->end, err);
    if (!rc && (rc = dfx_stats_put_sheets(x, r, "", err)) != 0)
        dfx_xlsx_discard(x);
    return rc ? rc : dfx_xlsx_close(x, out, err);
}

/* ---- the entry point ------------------------------------------------------------------------------ */

int defidx_emit_stats(FILE *out, const defidx_stats_report *r, int fmt, const defidx_emit_options *o,
                      defidx_error *err)
{
    defidx_emit_options defaults;
    const dfx_output_format *f = dfx_emit_begin(fmt, &o, &defaults, err);
    if (!f)
        return err ? err->code : DEFIDX_EUSAGE;
    if (fmt == DEFIDX_FORMAT_JSON)
        return write_json(out, r, err);
    if (fmt == DEFIDX_FORMAT_XLSX)
        return dfx_stats_write_xlsx(out, r, err);
    return f->for_people ? write_people(out, r, fmt, o, err) : write_rows(out, r, fmt, o, err);
}
