/* emit_result.c: the report of `compute` in every format: the JSON object of CONTRACT.md "Machine
 * output", one long CSV/TSV table (a row per entity and period), and for people a title block
 * followed by a periods table and a constituents table. */
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

/* The three lines above the tables; in Markdown a heading and two paragraphs. */
static void title_block(FILE *out, const defidx_result *r, int md)
{
    char date[11], level[64], ath[64], dd[64];
    const char *gap = md ? "\n\n" : "\n";
    fprintf(out, "%s%s (%s, %s return, %s)%s", md ? "## " : "", r->name[0] ? r->name : "Index",
            r->currency, r->return_type ? r->return_type : "price",
            defidx_weighting_name(r->weighting), gap);
    defidx_date_format(r->as_of, date);
    fprintf(out, "As of %s   level %s%s", date[0] ? date : "-", fixed2(r->level, level, sizeof level),
            gap);
    defidx_date_format(r->ath_date, date);
    fixed2(r->drawdown * 100, dd, sizeof dd);
    fprintf(out, "All-time high %s on %s   drawdown %s%s\n\n", fixed2(r->ath_level, ath, sizeof ath),
            date[0] ? date : "-", dd, strcmp(dd, "-") ? "%" : "");
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

/* Periods whose contribution is worth a column: year-to-date and every "since". */
static int shows_contribution(const defidx_period *p)
{
    return strcmp(p->name, "ytd") == 0 || strncmp(p->name, "since:", 6) == 0;
}

/* The constituents table for people. Its header names "Contrib <period>" live in names, which the
 * caller frees after emitting. Weights are shown as percentages without a sign. */
static int constituents_table(const defidx_result *r, defidx_table *t, char (**names)[40])
{
    size_t np = r->period_count, nc = 0;
    for (size_t k = 0; k < np; k++)
        nc += shows_contribution(&r->periods[k]);
    size_t columns = 5 + np + nc;
    const char **header = malloc(columns * sizeof *header);
    *names = malloc((nc ? nc : 1) * sizeof **names);
    if (!header || !*names) {
        free((void *)header);
        return DEFIDX_ENOMEM;
    }
    static const char *fixed[] = {"Ticker", "Name", "Ccy", "Price", "Weight"};
    memcpy(header, fixed, sizeof fixed);
    for (size_t k = 0, j = 0; k < np; k++) {
        header[5 + k] = r->periods[k].name;
        if (shows_contribution(&r->periods[k])) {
            snprintf((*names)[j], sizeof (*names)[j], "Contrib %s", r->periods[k].name);
            header[5 + np + j] = (*names)[j];
            j++;
        }
    }
    int rc = defidx_table_init(t, columns, header);
    free((void *)header);
    if (rc)
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *c = &r->constituents[i];
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(c->ticker);
        row[1] = defidx_cell_text(c->name);
        row[2] = defidx_cell_text(c->currency);
        row[3] = defidx_cell_number(c->price, 2);
        row[4] = defidx_cell_share(c->weight, 2);
        for (size_t k = 0, j = 0; k < np; k++) {
            row[5 + k] = defidx_cell_percent(c->periods ? c->periods[k].ret : NAN, 2);
            if (shows_contribution(&r->periods[k]))
                row[5 + np + j++] =
                    defidx_cell_percent(c->contribution ? c->contribution[k] : NAN, 2);
        }
    }
    return 0;
}

/* The report for people (fmt table or md): the title block and two tables, no warnings (the CLI
 * prints those on stderr). */
static int emit_human(FILE *out, const defidx_result *r, int fmt, defidx_error *err)
{
    defidx_table periods, members;
    char (*names)[40] = NULL;
    int rc = periods_table(r, &periods);
    if (!rc)
        rc = constituents_table(r, &members, &names);
    else
        memset(&members, 0, sizeof members);
    if (rc) {
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    } else {
        title_block(out, r, fmt == DEFIDX_FORMAT_MD);
        rc = defidx_emit_table(out, &periods, fmt, err);
        if (!rc) {
            putc('\n', out);
            rc = defidx_emit_table(out, &members, fmt, err);
        }
    }
    defidx_table_free(&periods);
    defidx_table_free(&members);
    free(names);
    return rc;
}

int defidx_emit_result(FILE *out, const defidx_result *r, int fmt, defidx_error *err)
{
    if (fmt == DEFIDX_FORMAT_JSON) {
        emit_json(out, r);
        return defidx_emit_finish(out, err);
    }
    if (fmt == DEFIDX_FORMAT_TABLE || fmt == DEFIDX_FORMAT_MD)
        return emit_human(out, r, fmt, err);
    if (fmt != DEFIDX_FORMAT_CSV && fmt != DEFIDX_FORMAT_TSV)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "unknown output format %d", fmt);
    defidx_table t;
    int rc = long_table(r, &t);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t, fmt, err);
    defidx_table_free(&t);
    return rc;
}
