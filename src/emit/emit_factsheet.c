/* emit_factsheet.c: the index's factsheet, one HTML page laid out for A4 as index providers publish
 * them: key facts, returns over standard periods, risk, five years of the level, the ten largest
 * constituents and the weights by country and segment. The charts are chart.c's SVG, inline; the
 * page has no script and loads nothing, so it prints and mails as it is. */
#include "emit/emit.h"
#include "index/periods.h"
#include "load/weighting.h"

#include <string.h>

/* ---- numbers -------------------------------------------------------------------------------------- */

/* A return in percent with its sign ("+14.52%"), in red when negative; "-" when missing. */
static void put_return(FILE *out, double x)
{
    char buf[64];
    if (!isfinite(x) || defidx_number_fixed(x * 100, 2, buf, sizeof buf) == 0) {
        fputs("<td>-</td>", out);
        return;
    }
    int negative = buf[0] == '-' && strspn(buf + 1, "0.") != strlen(buf + 1);
    fprintf(out, "<td%s>%s%s%%</td>", negative ? " class=\"neg\"" : "", buf[0] == '-' ? "" : "+", buf);
}

/* A plain number with `decimals` decimals, "-" when missing. */
static void put_number(FILE *out, double x, int decimals, const char *unit)
{
    char buf[64];
    if (!isfinite(x) || defidx_number_fixed(x, decimals, buf, sizeof buf) == 0)
        fputs("-", out);
    else
        fprintf(out, "%s%s", buf, unit);
}

static void put_date(FILE *out, int32_t date)
{
    char buf[11];
    if (date == DEFIDX_NO_DATE) {
        fputs("-", out);
        return;
    }
    defidx_date_format(date, buf);
    fputs(buf, out);
}

/* ---- the returns table ------------------------------------------------------------------------------ */

/* The returns table's columns, each a rule on a level series ending at the as-of date. */
enum column_rule { MONTHS_BACK, YEAR_TO_DATE, SINCE_DATE, SINCE_BASE };
static const struct return_column {
    const char *heading;
    enum column_rule rule;
    int months;     /* MONTHS_BACK: ffn's anchors, as stats's 3m and 1y */
    int annualised;
} return_columns[] = {
    {"1m", MONTHS_BACK, 1, 0},          {"3m", MONTHS_BACK, 3, 0},      {"YTD", YEAR_TO_DATE, 0, 0},
    {"1y", MONTHS_BACK, 12, 0},         {"3y p.a.", MONTHS_BACK, 36, 1}, {"5y p.a.", MONTHS_BACK, 60, 1},
    {"Since", SINCE_DATE, 0, 0},        {"Since base", SINCE_BASE, 0, 0},
};
enum { RETURN_COLUMNS = sizeof return_columns / sizeof return_columns[0] };

/* The values of s up to `end` with a level: the prefix the returns are taken over. */
static size_t count_to(const defidx_level_series *s, int32_t end)
{
    size_t n = 0;
    while (n < s->count && s->dates[n] <= end)
        n++;
    return n;
}

/* Column `col` of the returns table over s[0..n): to its last value from the base the rule gives;
 * "since" dates (the reference, the index's base date) from the last value on or before them, so
 * that a benchmark's file that starts earlier is measured over the index's span. */
static double column_return(const struct return_column *col, const int32_t *dates, const double *levels, size_t n,
                            int32_t reference, int32_t base_date)
{
    if (n < 2)
        return NAN;
    long base = -1;
    switch (col->rule) {
    case MONTHS_BACK:
        return dfx_months_back_return(dates, levels, n, col->months, col->annualised);
    case YEAR_TO_DATE:
        base = dfx_last_value_before(dates, NULL, n, dfx_period_kind_info(DEFIDX_PERIOD_YTD)->start(dates[n - 1], dates[n - 1]), 0);
        break;
    case SINCE_DATE:
        base = reference == DEFIDX_NO_DATE ? -1 : dfx_last_value_before(dates, NULL, n, reference, 1);
        break;
    case SINCE_BASE:
        base = dfx_last_value_before(dates, NULL, n, base_date, 1);
        break;
    }
    return base < 0 || (size_t)base == n - 1 ? NAN : levels[n - 1] / levels[base] - 1;
}

static void returns_row(FILE *out, const char *label, const int32_t *dates, const double *levels, size_t n,
                        int32_t reference, int32_t base_date)
{
    fputs("<tr><th>", out);
    dfx_html_text(out, label);
    fputs("</th>", out);
    for (size_t k = 0; k < RETURN_COLUMNS; k++)
        put_return(out, column_return(&return_columns[k], dates, levels, n, reference, base_date));
    fputs("</tr>\n", out);
}

/* The reference date: the one asked for, else the result's first since period's. */
static int32_t reference_of(const defidx_factsheet *f)
{
    if (f->reference != DEFIDX_NO_DATE)
        return f->reference;
    int32_t date = DEFIDX_NO_DATE;
    for (size_t k = 0; k < f->result->period_count; k++) {
        const char *name = f->result->periods[k].name; /* "since:2022-02-23" */
        if (f->result->periods[k].kind == DEFIDX_PERIOD_SINCE && strlen(name) == 16 &&
            defidx_date_parse(name + 6, 10, &date, NULL) == 0)
            return date;
    }
    return DEFIDX_NO_DATE;
}

static void returns_table(FILE *out, const defidx_factsheet *f)
{
    const defidx_result *r = f->result;
    int32_t reference = reference_of(f);
    fputs("<h2>Returns</h2>\n<table class=\"num\">\n<tr><th></th>", out);
    for (size_t k = 0; k < RETURN_COLUMNS; k++) {
        fputs("<th>", out);
        fputs(return_columns[k].heading, out);
        if (return_columns[k].rule == SINCE_DATE) {
            fputs(" ", out);
            put_date(out, reference);
        }
        fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    defidx_level_series index = {r->date_count, r->dates, r->levels};
    returns_row(out, "Index", r->dates, r->levels, count_to(&index, r->as_of), reference, r->base_date);
    /* the benchmark over the same span, as stats compares it: none when its data ends before the
     * as-of date (its returns would end elsewhere) */
    const defidx_level_series *b = &f->benchmark_levels;
    if (f->benchmark && b->count)
        returns_row(out, f->benchmark, b->dates, b->values, b->dates[b->count - 1] < r->as_of ? 0 : count_to(b, r->as_of),
                    reference, r->base_date);
    fprintf(out, "</table>\n<p class=\"small\">Changes of the %s return index's level; 1m to 5y from the month end\n"
                 "that many months before the as-of date's month (whole months at a month end); p.a.: annualised.</p>\n",
            r->return_type ? r->return_type : "price");
}

/* ---- key facts and risk ---------------------------------------------------------------------------------- */

static void fact(FILE *out, const char *label)
{
    fprintf(out, "<tr><th>%s</th><td>", label);
}

/* A fact that is a level on a date: "240.06 on 2025-02-20". */
static void level_fact(FILE *out, const char *label, double level, int32_t date)
{
    fact(out, label);
    put_number(out, level, 2, "");
    fputs(" on ", out);
    put_date(out, date);
    fputs("</td></tr>\n", out);
}

static size_t constituents_in(const defidx_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->constituent_count; i++)
        n += r->constituents[i].weight > 0;
    return n;
}

static void key_facts(FILE *out, const defidx_factsheet *f)
{
    const defidx_result *r = f->result;
    fputs("<h2>Key facts</h2>\n<table class=\"facts\">\n", out);
    fact(out, "Currency");
    dfx_html_text(out, r->currency);
    fputs("</td></tr>\n", out);
    level_fact(out, "Base", r->base_value, r->base_date);
    fact(out, "Weighting");
    dfx_html_text(out, dfx_weighting_info_of(r->weighting)->label);
    fputs("</td></tr>\n", out);
    fact(out, "Cap");
    if (isnan(f->cap))
        fputs("none", out);
    else
        put_number(out, f->cap * 100, 1, "% of the index");
    fputs("</td></tr>\n", out);
    fact(out, "Constituents");
    fprintf(out, "%zu</td></tr>\n", constituents_in(r));
    fact(out, "Reviews");
    dfx_html_text(out, f->reviews ? f->reviews : "none: the base's quantities, so weights drift with prices");
    fputs("</td></tr>\n", out);
    fact(out, "Return type");
    dfx_html_text(out, r->return_type ? r->return_type : "price");
    fputs("</td></tr>\n", out);
    level_fact(out, "Level", r->level, r->as_of);
    level_fact(out, "All-time high", r->ath_level, r->ath_date);
    fputs("</table>\n", out);
}

/* The deepest drawdown episode, or NULL. */
static const defidx_drawdown *deepest(const defidx_stats *s)
{
    const defidx_drawdown *d = NULL;
    for (size_t k = 0; k < s->drawdown_count; k++)
        if (!d || s->drawdowns[k].depth < d->depth)
            d = &s->drawdowns[k];
    return d;
}

static void risk_row(FILE *out, const char *label, double x, int percent)
{
    fprintf(out, "<tr><th>%s</th><td>", label);
    put_number(out, percent ? x * 100 : x, 2, percent ? "%" : "");
    fputs("</td></tr>\n", out);
}

static void risk_table(FILE *out, const defidx_factsheet *f)
{
    const defidx_stats *s = f->stats;
    fputs("<h2>Risk</h2>\n<table class=\"facts\">\n", out);
    risk_row(out, "Volatility p.a.", s->period.vol, 1);
    risk_row(out, "Sharpe ratio", s->period.sharpe, 0);
    const defidx_drawdown *d = deepest(s);
    fputs("<tr><th>Maximum drawdown</th><td>", out);
    put_number(out, s->max_drawdown * 100, 2, "%");
    if (d) {
        fputs(", ", out);
        put_date(out, d->start);
        fputs(" to ", out);
        put_date(out, d->trough);
        fputs(d->end == DEFIDX_NO_DATE ? ", not recovered" : ", recovered ", out);
        if (d->end != DEFIDX_NO_DATE)
            put_date(out, d->end);
    }
    fputs("</td></tr>\n", out);
    risk_row(out, "Drawdown now", f->result->drawdown, 1);
    if (s->has_benchmark) {
        risk_row(out, "Beta", s->benchmark.beta, 0);
        risk_row(out, "Correlation", s->benchmark.correlation, 0);
        risk_row(out, "Tracking error", s->benchmark.tracking_error, 1);
    }
    fputs("</table>\n<p class=\"small\">", out);
    fprintf(out, "%s returns from ", s->frequency ? s->frequency : "");
    put_date(out, s->start);
    fputs(" to ", out);
    put_date(out, s->end);
    fputs(" (defidx stats); risk-free rate ", out);
    put_number(out, s->risk_free * 100, 2, "%");
    fputs(".</p>\n", out);
}

/* ---- constituents and breakdowns ------------------------------------------------------------------------ */

static void top_ten(FILE *out, const defidx_result *r)
{
    /* fixed columns, each cut with an ellipsis: a long name never pushes into the bars beside */
    fputs("<h2>Largest constituents</h2>\n<table class=\"num top\">\n"
          "<colgroup><col style=\"width:46%\"><col style=\"width:15%\"><col style=\"width:24%\">"
          "<col style=\"width:15%\"></colgroup>\n"
          "<tr><th>Constituent</th><th>Country</th><th>Segment</th><th>Weight</th></tr>\n", out);
    for (size_t i = 0; i < r->constituent_count && i < 10; i++) {
        const defidx_constituent *c = &r->constituents[i];
        if (!(c->weight > 0))
            break;
        fputs("<tr><th>", out);
        dfx_markup_text_n(out, c->name[0] ? c->name : c->ticker, 30); /* a long name fits its column */
        if (c->name[0]) {
            fputs(" <span class=\"small\">", out);
            dfx_html_text(out, c->ticker);
            fputs("</span>", out);
        }
        fputs("</th><td>", out);
        dfx_html_text(out, c->country[0] ? c->country : DEFIDX_GROUP_UNKNOWN); /* as the bars name it */
        fputs("</td><td>", out);
        dfx_html_text(out, c->segment[0] ? c->segment : DEFIDX_GROUP_UNKNOWN);
        fputs("</td><td>", out);
        put_number(out, c->weight * 100, 2, "%");
        fputs(c->stale ? " *</td></tr>\n" : "</td></tr>\n", out); /* where no ellipsis cuts it */
    }
    fputs("</table>\n", out);
    if (r->stale_constituents)
        fprintf(out, "<p class=\"stale\">* a stale price: carried more than %d business days to the as-of date "
                     "(%zu constituent%s in all).</p>\n",
                r->max_gap, r->stale_constituents, r->stale_constituents == 1 ? "" : "s");
}

/* The weights of breakdown b as bars, largest first; none when no constituent says its group (a
 * single "unknown" bar of 100% says nothing). */
static void weight_bars(FILE *out, const defidx_breakdown *b, const char *title)
{
    if (!b || (b->group_count == 1 && strcmp(b->groups[0].name, DEFIDX_GROUP_UNKNOWN) == 0))
        return;
    enum { BARS = 10 }; /* the largest nine, and the rest together as "Other", so the bars add to 100% */
    const char *labels[BARS];
    double shares[BARS];
    size_t n = 0, held = 0;
    for (size_t g = 0; g < b->group_count; g++)
        held += b->groups[g].weight > 0;
    for (size_t g = 0; g < b->group_count; g++) {
        if (!(b->groups[g].weight > 0))
            continue;
        if (n < BARS - 1 || held == BARS) {
            labels[n] = b->groups[g].name;
            shares[n++] = b->groups[g].weight;
        } else if (n == BARS - 1) {
            labels[n] = "Other";
            shares[n++] = b->groups[g].weight;
        } else {
            shares[BARS - 1] += b->groups[g].weight;
        }
    }
    dfx_bar_chart_svg(out, title, labels, shares, n, 300);
}

/* ---- the page ------------------------------------------------------------------------------------------ */

static const char style[] =
    "@page{size:A4;margin:12mm}\n"
    "html{font:8.5pt/1.35 'DejaVu Sans',Arial,Helvetica,sans-serif;color:#222;background:#fff}\n"
    "body{margin:0 auto;max-width:186mm}\n"
    "header{border-bottom:2px solid #1f2a44;padding-bottom:4px;margin-bottom:6px}\n"
    "h1{font-size:15pt;margin:0;color:#1f2a44}\nheader p{margin:3px 0}\n"
    "h2{font-size:9.5pt;margin:8px 0 3px;color:#1f2a44;border-bottom:1px solid #ccc}\n"
    ".asof{float:right;font-weight:bold;color:#1f2a44}\n"
    ".cols{display:flex;gap:6mm}.cols>div{flex:1;min-width:0}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{padding:1px 4px;text-align:right;white-space:nowrap}\n"
    "th:first-child{text-align:left}.facts td{text-align:left;white-space:normal}\n"
    ".num tr:nth-child(even){background:#f3f5f8}\n"
    ".neg{color:#c0392b}.small{font-size:7pt;color:#555}.stale{color:#c0392b;font-size:7.5pt}\n"
    "svg{width:100%;height:auto;display:block}\n"
    ".top{table-layout:fixed}.top th,.top td{overflow:hidden;text-overflow:ellipsis}\n"
    "footer{margin-top:6px;border-top:1px solid #ccc;font-size:7pt;color:#555}\n"
    "@media print{body{max-width:none}}\n";

static void describe(FILE *out, const defidx_factsheet *f)
{
    const defidx_result *r = f->result;
    fputs("<p>", out);
    if (f->description && f->description[0]) {
        dfx_html_text(out, f->description);
    } else {
        dfx_html_text(out, r->name[0] ? r->name : "The index");
        fprintf(out, " is an index of %zu constituents in ", constituents_in(r));
        dfx_html_text(out, r->currency);
        fprintf(out, ", weighted by %s: a ", dfx_weighting_info_of(r->weighting)->label);
        dfx_html_text(out, r->return_type ? r->return_type : "price");
        fputs(" return index computed with the Laspeyres formula and a divisor, based at ", out);
        put_number(out, r->base_value, 2, "");
        fputs(" on ", out);
        put_date(out, r->base_date);
        fputs(".", out);
    }
    fputs("</p>\n", out);
}

int32_t defidx_factsheet_chart_from(const defidx_result *r)
{
    int y, m, d;
    defidx_date_to_civil(r->as_of, &y, &m, &d);
    int32_t from = defidx_date_from_civil(y - 5, m, m == 2 && d > 28 ? 28 : d);
    return from > r->base_date ? from : DEFIDX_NO_DATE;
}

static int chart_five_years(FILE *out, const defidx_factsheet *f, defidx_error *err)
{
    const defidx_result *r = f->result;
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.width = 700;
    o.height = 210;
    o.from = defidx_factsheet_chart_from(r);
    o.extra = f->benchmark_line;
    o.extra_count = f->benchmark_line ? 1 : 0;
    o.rebased = f->benchmark_line != NULL;
    fputs(o.from == DEFIDX_NO_DATE ? "<h2>Since the base</h2>\n" : "<h2>The last five years</h2>\n", out);
    return dfx_chart_svg_inline(out, r, &o, err);
}

static void sources(FILE *out, const defidx_factsheet *f)
{
    fputs("<footer><p><b>Data:</b> ", out);
    for (size_t k = 0; k < f->source_count; k++) { /* the files' names: not where they lie */
        const char *slash = strrchr(f->sources[k], '/');
        if (k)
            fputs(", ", out);
        dfx_html_text(out, slash ? slash + 1 : f->sources[k]);
    }
    fputs(f->source_count ? ". " : "the prices given. ", out);
    fputs("Levels and returns as of the close of ", out);
    put_date(out, f->result->as_of);
    fputs(", computed by defidx " DEFIDX_VERSION " (the index's methodology: docs/methodology.md). "
          "Past performance is no guide to the future.</p></footer>\n", out);
}

int defidx_emit_factsheet(FILE *out, const defidx_factsheet *f, defidx_error *err)
{
    if (!out || !f || !f->result || !f->stats)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "factsheet: no output, result or statistics");
    const defidx_result *r = f->result;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    dfx_html_text(out, r->name[0] ? r->name : "Index");
    fputs(" factsheet</title>\n<style>\n", out);
    fputs(style, out);
    fputs("</style>\n</head>\n<body>\n<header><span class=\"asof\">As of ", out);
    put_date(out, r->as_of);
    fputs("</span><h1>", out);
    dfx_html_text(out, r->name[0] ? r->name : "Index");
    fputs("</h1>\n", out);
    describe(out, f);
    if (r->stale_constituents)
        fprintf(out, "<p class=\"stale\">%zu constituent%s a stale price (marked *).</p>\n", r->stale_constituents,
                r->stale_constituents == 1 ? " has" : "s have");
    fputs("</header>\n<div class=\"cols\"><div>\n", out);
    key_facts(out, f);
    fputs("</div><div>\n", out);
    risk_table(out, f);
    fputs("</div></div>\n", out);
    returns_table(out, f);
    int rc = chart_five_years(out, f, err);
    if (rc)
        return rc;
    fputs("<div class=\"cols\"><div style=\"flex:1.4\">\n", out);
    top_ten(out, r);
    fputs("</div><div>\n<h2>Weights</h2>\n", out);
    weight_bars(out, dfx_breakdown_of(r, DEFIDX_GROUP_COUNTRY), "By country");
    weight_bars(out, dfx_breakdown_of(r, DEFIDX_GROUP_SEGMENT), "By segment");
    fputs("</div></div>\n", out);
    sources(out, f);
    fputs("</body>\n</html>\n", out);
    return dfx_emit_finish(out, err);
}
