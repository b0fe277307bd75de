/* emit_result.c: the report of `compute` in every format: the JSON object of CONTRACT.md "Machine
 * output", one long CSV/TSV table (a row per entity and period), and for people (aligned table,
 * Markdown, HTML) a title block followed by a periods table and a constituents table. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------------------------------ */

/* Writes `"key": ` so that the callers read as the object they write. */
static void json_key(FILE *out, const char *key)
{
    defidx_json_string(out, key);
    fputs(": ", out);
}

/* "index": what the index is (name, currency, return type, base, weighting). */
static void json_index(FILE *out, const defidx_result *r)
{
    fputs("  \"index\": {", out);
    json_key(out, "name");
    defidx_json_string(out, r->name);
    fputs(", ", out);
    json_key(out, "currency");
    defidx_json_string(out, r->currency);
    fputs(", ", out);
    json_key(out, "return_type");
    defidx_json_string(out, r->return_type);
    fputs(", ", out);
    json_key(out, "base_date");
    defidx_json_date(out, r->base_date);
    fputs(", ", out);
    json_key(out, "base_value");
    defidx_json_number(out, r->base_value);
    fputs(", ", out);
    json_key(out, "weighting");
    defidx_json_string(out, defidx_weighting_name(r->weighting));
    fputs("},\n", out);
}

/* "periods": each period with its base date and level; null where it has no base. */
static void json_periods(FILE *out, const defidx_result *r)
{
    fputs("  \"periods\": [", out);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        fputs(k ? ",\n    {" : "\n    {", out);
        json_key(out, "name");
        defidx_json_string(out, p->name);
        fputs(", ", out);
        json_key(out, "base_date");
        defidx_json_date(out, p->base_date);
        fputs(", ", out);
        json_key(out, "base_level");
        defidx_json_number(out, p->base_value);
        fputs(", ", out);
        json_key(out, "return");
        defidx_json_number(out, p->ret);
        putc('}', out);
    }
    fputs(r->period_count ? "\n  ],\n" : "],\n", out);
}

/* "returns": the periods' returns again as one object keyed by period name, so that a script
 * reads `.returns.ytd` rather than searching the periods array. */
static void json_returns(FILE *out, const defidx_result *r)
{
    fputs("  \"returns\": {", out);
    for (size_t k = 0; k < r->period_count; k++) {
        if (k)
            fputs(", ", out);
        json_key(out, r->periods[k].name);
        defidx_json_number(out, r->periods[k].ret);
    }
    fputs("},\n", out);
}

/* "all_time_high": the highest level up to as_of and how far below it the index is. */
static void json_ath(FILE *out, const defidx_result *r)
{
    fputs("  \"all_time_high\": {", out);
    json_key(out, "date");
    defidx_json_date(out, r->ath_date);
    fputs(", ", out);
    json_key(out, "level");
    defidx_json_number(out, r->ath_level);
    fputs(", ", out);
    json_key(out, "drawdown");
    defidx_json_number(out, r->drawdown);
    fputs("},\n", out);
}

/* Which value of a constituent's period a JSON map holds. */
enum period_field { FIELD_RETURN, FIELD_BASE, FIELD_CONTRIBUTION };

/* Writes {"1d": ..., "wtd": ..., ...} for one field of a constituent's periods, keyed by the
 * index's period names (the constituent's periods are the same, in the same order). */
static void json_period_map(FILE *out, const defidx_result *r, const defidx_constituent *c,
                            enum period_field field)
{
    putc('{', out);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = c->periods ? &c->periods[k] : NULL;
        if (k)
            fputs(", ", out);
        json_key(out, r->periods[k].name);
        if (field == FIELD_BASE)
            defidx_json_date(out, p ? p->base_date : DEFIDX_NO_DATE);
        else if (field == FIELD_RETURN)
            defidx_json_number(out, p ? p->ret : NAN);
        else
            defidx_json_number(out, c->contribution ? c->contribution[k] : NAN);
    }
    putc('}', out);
}

/* One constituent object; NAN and DEFIDX_NO_DATE become null. */
static void json_constituent(FILE *out, const defidx_result *r, const defidx_constituent *c)
{
    putc('{', out);
    json_key(out, "ticker");
    defidx_json_string(out, c->ticker);
    fputs(", ", out);
    json_key(out, "name");
    defidx_json_string(out, c->name);
    fputs(", ", out);
    json_key(out, "currency");
    defidx_json_string(out, c->currency);
    fputs(", ", out);
    json_key(out, "price");
    defidx_json_number(out, c->price);
    fputs(", ", out);
    json_key(out, "price_date");
    defidx_json_date(out, c->price_date);
    fputs(", ", out);
    json_key(out, "stale");
    fputs(c->stale ? "true" : "false", out);
    fputs(", ", out);
    json_key(out, "weight");
    defidx_json_number(out, c->weight);
    fputs(", ", out);
    json_key(out, "returns");
    json_period_map(out, r, c, FIELD_RETURN);
    fputs(", ", out);
    json_key(out, "bases");
    json_period_map(out, r, c, FIELD_BASE);
    fputs(", ", out);
    json_key(out, "contribution");
    json_period_map(out, r, c, FIELD_CONTRIBUTION);
    putc('}', out);
}

/* "constituents": one object per line, in r's order (largest weight first). */
static void json_constituents(FILE *out, const defidx_result *r)
{
    fputs("  \"constituents\": [", out);
    for (size_t i = 0; i < r->constituent_count; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_constituent(out, r, &r->constituents[i]);
    }
    fputs(r->constituent_count ? "\n  ],\n" : "],\n", out);
}

/* The warnings, and a last one counting those that were not kept. */
static void json_warnings(FILE *out, const defidx_result *r)
{
    const defidx_warnings *w = &r->warnings;
    fputs("  \"warnings\": [", out);
    for (size_t i = 0; i < w->count; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        defidx_json_string(out, w->items[i]);
    }
    if (w->suppressed) {
        char text[64];
        snprintf(text, sizeof text, "%zu more warnings not shown", w->suppressed);
        fputs(w->count ? ",\n    " : "\n    ", out);
        defidx_json_string(out, text);
    }
    fputs(w->count || w->suppressed ? "\n  ]\n" : "]\n", out);
}

/* The object of CONTRACT.md "Machine output", keys in the order shown there. */
static void emit_json(FILE *out, const defidx_result *r)
{
    fputs("{\n", out);
    fputs("  \"schema\": \"defidx.compute/1\",\n", out);
    json_index(out, r);
    fputs("  \"as_of\": ", out);
    defidx_json_date(out, r->as_of);
    fputs(",\n  \"level\": ", out);
    defidx_json_number(out, r->level);
    fputs(",\n", out);
    json_periods(out, r);
    json_returns(out, r);
    json_ath(out, r);
    json_constituents(out, r);
    json_warnings(out, r);
    fputs("}\n", out);
}

/* ---- CSV / TSV: one long table ------------------------------------------------------------------ */

static const char *long_header[] = {"entity", "ticker", "name", "currency", "period", "as_of",
                                    "value", "base_date", "base_value", "return", "weight",
                                    "contribution", "return_type"};
enum { LONG_COLUMNS = sizeof long_header / sizeof long_header[0] };

/* Fills the period columns (period .. return) of a long row; p NULL leaves them empty. */
static void long_period(defidx_cell *row, const defidx_period *p)
{
    if (!p)
        return;
    row[4] = defidx_cell_text(p->name);
    row[7] = defidx_cell_date(p->base_date);
    row[8] = defidx_cell_number(p->base_value, 4);
    row[9] = defidx_cell_percent(p->ret, 2);
}

/* One row per period for the index, then one per period for each constituent in r's order. With
 * no periods, each entity still gets one row so that its level or price is reported. */
static int long_table(const defidx_result *r, defidx_table *t)
{
    size_t rows = r->period_count ? r->period_count : 1;
    if (defidx_table_init(t, LONG_COLUMNS, long_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < rows; k++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text("index");
        row[2] = defidx_cell_text(r->name);
        row[3] = defidx_cell_text(r->currency);
        row[5] = defidx_cell_date(r->as_of);
        row[6] = defidx_cell_number(r->level, 4);
        row[12] = defidx_cell_text(r->return_type);
        long_period(row, r->period_count ? &r->periods[k] : NULL);
    }
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *c = &r->constituents[i];
        for (size_t k = 0; k < rows; k++) {
            defidx_cell *row = defidx_table_add_row(t);
            if (!row)
                return DEFIDX_ENOMEM;
            row[0] = defidx_cell_text("constituent");
            row[1] = defidx_cell_text(c->ticker);
            row[2] = defidx_cell_text(c->name);
            row[3] = defidx_cell_text(c->currency);
            row[5] = defidx_cell_date(r->as_of);
            row[6] = defidx_cell_number(c->price, 4);
            row[10] = defidx_cell_percent(c->weight, 2);
            row[12] = defidx_cell_text(r->return_type);
            if (r->period_count && c->periods) {
                long_period(row, &c->periods[k]);
                row[11] = defidx_cell_percent(c->contribution ? c->contribution[k] : NAN, 2);
            }
        }
    }
    return 0;
}

/* ---- for people: title block, periods table, constituents table -------------------------------- */

/* A number with 2 decimals for the title block, "-" when missing. */
static const char *fixed2(double x, char *buf, size_t size)
{
    if (defidx_number_fixed(x, 2, buf, size) == 0)
        snprintf(buf, size, "-");
    return buf;
}

/* The texts of the title block, the same in every format for people. */
typedef struct title_text {
    char heading[320]; /* "Name (EUR, price return, equal)" */
    char as_of[11], level[64], ath[64], ath_date[11], drawdown[64];
} title_text;

static void title_fill(title_text *tt, const defidx_result *r)
{
    snprintf(tt->heading, sizeof tt->heading, "%s (%s, %s return, %s)",
             r->name[0] ? r->name : "Index", r->currency,
             r->return_type ? r->return_type : "price", defidx_weighting_name(r->weighting));
    defidx_date_format(r->as_of, tt->as_of);
    if (!tt->as_of[0])
        snprintf(tt->as_of, sizeof tt->as_of, "-");
    fixed2(r->level, tt->level, sizeof tt->level);
    fixed2(r->ath_level, tt->ath, sizeof tt->ath);
    defidx_date_format(r->ath_date, tt->ath_date);
    if (!tt->ath_date[0])
        snprintf(tt->ath_date, sizeof tt->ath_date, "-");
    fixed2(r->drawdown * 100, tt->drawdown, sizeof tt->drawdown);
    size_t n = strlen(tt->drawdown);
    if (strcmp(tt->drawdown, "-") != 0 && n + 1 < sizeof tt->drawdown) /* a huge one: no room */
        memcpy(tt->drawdown + n, "%", 2);
}

/* The three lines above the tables; in Markdown a heading and two paragraphs. They stay without
 * colour, which is for the tables' headings and returns. trend, when not NULL, is the index's
 * sparkline, shown after the level it draws. */
static void title_block(FILE *out, const defidx_result *r, int md, const char *trend)
{
    title_text tt;
    title_fill(&tt, r);
    const char *gap = md ? "\n\n" : "\n";
    fprintf(out, "%s%s%s", md ? "## " : "", tt.heading, gap);
    fprintf(out, "As of %s   level %s", tt.as_of, tt.level);
    if (trend)
        fprintf(out, "   trend %s", trend);
    fprintf(out, "%sAll-time high %s on %s   drawdown %s\n\n", gap, tt.ath, tt.ath_date,
            tt.drawdown);
}

/* The title block of the HTML report: the heading, then the level and the all-time high. */
static void html_title(FILE *out, const defidx_result *r)
{
    title_text tt;
    title_fill(&tt, r);
    fputs("<h1>", out);
    defidx_html_text(out, tt.heading);
    fprintf(out, "</h1>\n<p>As of %s, level %s</p>\n", tt.as_of, tt.level);
    fprintf(out, "<p>All-time high %s on %s, drawdown ", tt.ath, tt.ath_date);
    if (defidx_shown_sign(tt.drawdown) < 0)
        fprintf(out, "<span class=\"neg\">%s</span></p>\n", tt.drawdown);
    else
        fprintf(out, "%s</p>\n", tt.drawdown);
}

static const char *periods_header[] = {"Period", "Base date", "Base level", "Return"};

/* The periods table for people: base date, base level and return of each period. */
static int periods_table(const defidx_result *r, defidx_table *t)
{
    if (defidx_table_init(t, 4, periods_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(p->name);
        row[1] = defidx_cell_date(p->base_date);
        row[2] = defidx_cell_number(p->base_value, 2);
        row[3] = defidx_cell_percent(p->ret, 2);
    }
    return 0;
}

int defidx_period_shows_contribution(const char *name)
{
    return strcmp(name, "ytd") == 0 || strncmp(name, "since:", 6) == 0;
}

/* The columns of the constituents table: Ticker, Name, Ccy, Price, [Trend,] Weight (the first
 * `lead`), then one per period, then one "Contrib <period>" per period that shows one. */
typedef struct member_columns {
    size_t lead, periods, contribs;
    int trend;
} member_columns;

/* Starts the constituents table with its header. The names "Contrib <period>" live in names,
 * which the caller frees after emitting. */
static int members_init(const defidx_result *r, const member_columns *mc, defidx_table *t,
                        char (**names)[40])
{
    size_t columns = mc->lead + mc->periods + mc->contribs;
    const char **header = malloc(columns * sizeof *header);
    *names = malloc((mc->contribs ? mc->contribs : 1) * sizeof **names);
    if (!header || !*names) {
        free((void *)header);
        return DEFIDX_ENOMEM;
    }
    static const char *fixed[] = {"Ticker", "Name", "Ccy", "Price", "Trend"};
    memcpy(header, fixed, (mc->trend ? 5 : 4) * sizeof *header);
    header[mc->lead - 1] = "Weight";
    for (size_t k = 0, j = 0; k < mc->periods; k++) {
        header[mc->lead + k] = r->periods[k].name;
        if (defidx_period_shows_contribution(r->periods[k].name)) {
            snprintf((*names)[j], sizeof (*names)[j], "Contrib %s", r->periods[k].name);
            header[mc->lead + mc->periods + j] = (*names)[j];
            j++;
        }
    }
    int rc = defidx_table_init(t, columns, header);
    free((void *)header);
    return rc ? DEFIDX_ENOMEM : 0;
}

/* Fills the row of constituent c; trend is its sparkline (NULL: an empty cell). */
static void member_row(const defidx_result *r, const member_columns *mc,
                       const defidx_constituent *c, const char *trend, defidx_cell *row)
{
    row[0] = defidx_cell_text(c->ticker);
    row[1] = defidx_cell_text(c->name);
    row[2] = defidx_cell_text(c->currency);
    row[3] = defidx_cell_number(c->price, 2);
    if (mc->trend)
        row[4] = defidx_cell_text(trend ? trend : ""); /* "" not NULL: blank, not "-" */
    row[mc->lead - 1] = defidx_cell_share(c->weight, 2);
    for (size_t k = 0, j = 0; k < mc->periods; k++) {
        row[mc->lead + k] = defidx_cell_percent(c->periods ? c->periods[k].ret : NAN, 2);
        if (defidx_period_shows_contribution(r->periods[k].name))
            row[mc->lead + mc->periods + j++] =
                defidx_cell_percent(c->contribution ? c->contribution[k] : NAN, 2);
    }
}

/* The constituents table for people; spark (NULL: no Trend column) as in defidx_emit_options.
 * Weights are shown as percentages without a sign. */
static int constituents_table(const defidx_result *r, const char *const *spark, defidx_table *t,
                              char (**names)[40])
{
    member_columns mc = {spark ? 6 : 5, r->period_count, 0, spark != NULL};
    for (size_t k = 0; k < r->period_count; k++)
        mc.contribs += defidx_period_shows_contribution(r->periods[k].name);
    if (members_init(r, &mc, t, names))
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < r->constituent_count; i++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        member_row(r, &mc, &r->constituents[i], spark ? spark[1 + i] : NULL, row);
    }
    return 0;
}

/* The HTML report: a whole document with the title block and the two tables. */
static int html_report(FILE *out, const defidx_result *r, const defidx_table *periods,
                       const defidx_table *members, int header, defidx_error *err)
{
    defidx_html_begin(out, r->name[0] ? r->name : "Index");
    html_title(out, r);
    if (defidx_html_table(out, periods, header) || defidx_html_table(out, members, header))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    defidx_html_end(out);
    return defidx_emit_finish(out, err);
}

/* The aligned table or Markdown report: the title block, then the two tables. */
static int text_report(FILE *out, const defidx_result *r, const defidx_table *periods,
                       const defidx_table *members, int fmt, const defidx_emit_options *o,
                       defidx_error *err)
{
    int aligned = fmt == DEFIDX_FORMAT_TABLE;
    title_block(out, r, !aligned, aligned && o->spark ? o->spark[0] : NULL);
    int rc = defidx_emit_table_opt(out, periods, fmt, o, err);
    if (!rc) {
        putc('\n', out);
        rc = defidx_emit_table_opt(out, members, fmt, o, err);
    }
    return rc;
}

/* The report for people (fmt table, md or html): the title block and two tables, no warnings (the
 * CLI prints those on stderr). The sparklines are drawn in the aligned table only. */
static int emit_human(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                      defidx_error *err)
{
    defidx_table periods = {0}, members = {0}; /* freed on every path, so zeroed first */
    char (*names)[40] = NULL;
    const char *const *spark = fmt == DEFIDX_FORMAT_TABLE ? o->spark : NULL;
    int rc = periods_table(r, &periods);
    if (!rc)
        rc = constituents_table(r, spark, &members, &names);
    else
        memset(&members, 0, sizeof members);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else if (fmt == DEFIDX_FORMAT_HTML)
        rc = html_report(out, r, &periods, &members, o->header, err);
    else
        rc = text_report(out, r, &periods, &members, fmt, o, err);
    defidx_table_free(&periods);
    defidx_table_free(&members);
    free(names);
    return rc;
}

int defidx_emit_result_opt(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                           defidx_error *err)
{
    defidx_emit_options defaults;
    if (!o) {
        defidx_emit_options_init(&defaults);
        o = &defaults;
    }
    if (fmt == DEFIDX_FORMAT_JSON) {
        emit_json(out, r);
        return defidx_emit_finish(out, err);
    }
    if (fmt == DEFIDX_FORMAT_TABLE || fmt == DEFIDX_FORMAT_MD || fmt == DEFIDX_FORMAT_HTML)
        return emit_human(out, r, fmt, o, err);
    if (fmt != DEFIDX_FORMAT_CSV && fmt != DEFIDX_FORMAT_TSV)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "unknown output format %d", fmt);
    defidx_table t;
    int rc = long_table(r, &t);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table_opt(out, &t, fmt, o, err);
    defidx_table_free(&t);
    return rc;
}

int defidx_emit_result(FILE *out, const defidx_result *r, int fmt, defidx_error *err)
{
    return defidx_emit_result_opt(out, r, fmt, NULL, err);
}

/* ---- the pieces, for the report bundle ----------------------------------------------------------- */

void defidx_result_title(FILE *out, const defidx_result *r, int md)
{
    title_block(out, r, md, NULL);
}

int defidx_result_tables(const defidx_result *r, defidx_table *periods, defidx_table *members,
                         char (**names)[40])
{
    memset(members, 0, sizeof *members);
    *names = NULL;
    int rc = periods_table(r, periods);
    if (!rc)
        rc = constituents_table(r, NULL, members, names);
    if (rc) {
        defidx_table_free(periods);
        defidx_table_free(members);
        free(*names);
        *names = NULL;
        return DEFIDX_ENOMEM;
    }
    return 0;
}
