/* emit_result.c: the report of `compute` in every format: the JSON object of docs/formats.md
 * ("compute -O json"), one long CSV/TSV table (a row per entity and period; with chosen columns,
 * the constituents table instead), and for people (aligned table, Markdown, HTML) a title block
 * followed by a periods table, the constituents table (emit_members.c) and its notes. */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------------------------------ */

/* Writes `"key": ` so that the callers read as the object they write. */
static void json_key(FILE *out, const char *key)
{
    dfx_json_string(out, key);
    fputs(": ", out);
}

/* "index": what the index is (name, currency, return type, base, weighting). */
static void json_index(FILE *out, const defidx_result *r)
{
    fputs("  \"index\": {", out);
    json_key(out, "name");
    dfx_json_string(out, r->name);
    fputs(", ", out);
    json_key(out, "currency");
    dfx_json_string(out, r->currency);
    fputs(", ", out);
    json_key(out, "return_type");
    dfx_json_string(out, r->return_type);
    fputs(", ", out);
    json_key(out, "base_date");
    dfx_json_date(out, r->base_date);
    fputs(", ", out);
    json_key(out, "base_value");
    dfx_json_number(out, r->base_value);
    fputs(", ", out);
    json_key(out, "weighting");
    dfx_json_string(out, defidx_weighting_name(r->weighting));
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
        dfx_json_string(out, p->name);
        fputs(", ", out);
        json_key(out, "base_date");
        dfx_json_date(out, p->base_date);
        fputs(", ", out);
        json_key(out, "base_level");
        dfx_json_number(out, p->base_value);
        fputs(", ", out);
        json_key(out, "return");
        dfx_json_number(out, p->ret);
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
        dfx_json_number(out, r->periods[k].ret);
    }
    fputs("},\n", out);
}

/* "all_time_high": the highest level up to as_of and how far below it the index is. */
static void json_ath(FILE *out, const defidx_result *r)
{
    fputs("  \"all_time_high\": {", out);
    json_key(out, "date");
    dfx_json_date(out, r->ath_date);
    fputs(", ", out);
    json_key(out, "level");
    dfx_json_number(out, r->ath_level);
    fputs(", ", out);
    json_key(out, "drawdown");
    dfx_json_number(out, r->drawdown);
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
            dfx_json_date(out, p ? p->base_date : DEFIDX_NO_DATE);
        else if (field == FIELD_RETURN)
            dfx_json_number(out, p ? p->ret : NAN);
        else
            dfx_json_number(out, c->contribution ? c->contribution[k] : NAN);
    }
    putc('}', out);
}

/* A string, or null for NULL. */
static void json_text_or_null(FILE *out, const char *s)
{
    if (s)
        dfx_json_string(out, s);
    else
        fputs("null", out);
}

/* One constituent object; NAN and DEFIDX_NO_DATE become null. */
static void json_constituent(FILE *out, const defidx_result *r, const defidx_constituent *c)
{
    putc('{', out);
    json_key(out, "ticker");
    dfx_json_string(out, c->ticker);
    fputs(", ", out);
    json_key(out, "name");
    dfx_json_string(out, c->name);
    fputs(", ", out);
    json_key(out, "currency");
    dfx_json_string(out, c->currency);
    fputs(", ", out);
    json_key(out, "price");
    dfx_json_number(out, c->price);
    fputs(", ", out);
    json_key(out, "price_date");
    dfx_json_date(out, c->price_date);
    fputs(", ", out);
    json_key(out, "stale");
    fputs(c->stale ? "true" : "false", out);
    fputs(", ", out);
    json_key(out, "weight");
    dfx_json_number(out, c->weight);
    fputs(", ", out);
    json_key(out, "returns");
    json_period_map(out, r, c, FIELD_RETURN);
    fputs(", ", out);
    json_key(out, "bases");
    json_period_map(out, r, c, FIELD_BASE);
    fputs(", ", out);
    json_key(out, "contribution");
    json_period_map(out, r, c, FIELD_CONTRIBUTION);
    fputs(", ", out);
    json_key(out, "country");
    json_text_or_null(out, c->country[0] ? c->country : NULL);
    fputs(", ", out);
    json_key(out, "segment");
    json_text_or_null(out, c->segment[0] ? c->segment : NULL);
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

/* A map of period name to values[k], null where NAN. */
static void json_values_by_period(FILE *out, const defidx_result *r, const double *values)
{
    putc('{', out);
    for (size_t k = 0; k < r->period_count; k++) {
        if (k)
            fputs(", ", out);
        json_key(out, r->periods[k].name);
        dfx_json_number(out, values[k]);
    }
    putc('}', out);
}

static void json_group(FILE *out, const defidx_result *r, const defidx_group *g)
{
    putc('{', out);
    json_key(out, "group");
    dfx_json_string(out, g->name);
    fputs(", ", out);
    json_key(out, "weight");
    dfx_json_number(out, g->weight);
    fputs(", ", out);
    json_key(out, "members");
    putc('[', out);
    for (size_t i = 0; i < g->member_count; i++) {
        if (i)
            fputs(", ", out);
        dfx_json_string(out, r->constituents[g->members[i]].ticker);
    }
    fputs("], ", out);
    json_key(out, "returns");
    json_values_by_period(out, r, g->returns);
    fputs(", ", out);
    json_key(out, "contribution");
    json_values_by_period(out, r, g->contribution);
    putc('}', out);
}

/* "breakdowns" (compute --by): by key, its groups one per line, largest weight first. */
static void json_breakdowns(FILE *out, const defidx_result *r)
{
    if (!r->breakdown_count)
        return;
    fputs("  \"breakdowns\": {", out);
    for (size_t j = 0; j < r->breakdown_count; j++) {
        const defidx_breakdown *b = &r->breakdowns[j];
        fputs(j ? ",\n    " : "\n    ", out);
        json_key(out, defidx_group_key_name(b->key));
        putc('[', out);
        for (size_t i = 0; i < b->group_count; i++) {
            fputs(i ? ",\n      " : "\n      ", out);
            json_group(out, r, &b->groups[i]);
        }
        fputs(b->group_count ? "\n    ]" : "]", out);
    }
    fputs("\n  },\n", out);
}

/* The warnings, and a last one counting those that were not kept. */
static void json_warnings(FILE *out, const defidx_result *r)
{
    fputs("  \"warnings\": ", out);
    dfx_json_warning_texts(out, &r->warnings, "\n    ");
    fputs(",\n", out);
}


/* A position, or null for 0 (none). */
static void json_position(FILE *out, long n)
{
    if (n > 0)
        fprintf(out, "%ld", n);
    else
        fputs("null", out);
}

/* One warning as an object of its fields. */
static void json_warning(FILE *out, const defidx_warning *d)
{
    fputs("{\"kind\": ", out);
    dfx_json_string(out, defidx_warning_kind_name(d->kind));
    fputs(", \"file\": ", out);
    json_text_or_null(out, d->file);
    fputs(", \"line\": ", out);
    json_position(out, d->line);
    fputs(", \"column\": ", out);
    json_position(out, d->column);
    fputs(", \"message\": ", out);
    dfx_json_string(out, d->message);
    fputs(", \"hint\": ", out);
    json_text_or_null(out, d->hint);
    putc('}', out);
}

/* "warning_details": the warnings again, one object of fields for each string of "warnings" and in
 * its order, the count of those not kept last (kind "other", like "warnings"' last string). */
static void json_warning_details(FILE *out, const defidx_result *r)
{
    const defidx_warnings *w = &r->warnings;
    fputs("  \"warning_details\": [", out);
    for (size_t i = 0; i < w->count; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        json_warning(out, &w->details[i]);
    }
    if (w->suppressed) {
        char text[64];
        snprintf(text, sizeof text, "%zu more warnings not shown", w->suppressed);
        fputs(w->count ? ",\n    " : "\n    ", out);
        json_warning(out, &(defidx_warning){DEFIDX_WARNING_OTHER, NULL, 0, 0, text, NULL});
    }
    fputs(w->count || w->suppressed ? "\n  ]\n" : "]\n", out);
}

/* The object of docs/formats.md "compute -O json", keys in the order shown there. */
static void emit_json(FILE *out, const defidx_result *r)
{
    fputs("{\n", out);
    fputs("  \"schema\": \"defidx.compute/1\",\n", out);
    json_index(out, r);
    fputs("  \"as_of\": ", out);
    dfx_json_date(out, r->as_of);
    fputs(",\n  \"level\": ", out);
    dfx_json_number(out, r->level);
    fputs(",\n", out);
    json_periods(out, r);
    json_returns(out, r);
    json_ath(out, r);
    json_constituents(out, r);
    json_breakdowns(out, r);
    json_warnings(out, r);
    json_warning_details(out, r);
    fputs("}\n", out);
}

/* ---- CSV / TSV: one long table ------------------------------------------------------------------ */

/* Columns are only ever appended (price_date and stale came last), so scripts that read them by
 * position keep working. */
static const char *long_header[] = {"entity", "ticker", "name", "currency", "period", "as_of",
                                    "value", "base_date", "base_value", "return", "weight",
                                    "contribution", "return_type", "price_date", "stale", "members"};
/* members, last, comes only with breakdowns (compute --by): a group's tickers, space-separated. */
enum { LONG_COLUMNS = sizeof long_header / sizeof long_header[0] - 1 };

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

/* Each group's tickers, space-separated, in one block: texts[g] for the g-th group of all the
 * breakdowns in order. Returns the block (freed by the caller), or NULL when out of memory. */
static char *group_member_texts(const defidx_result *r, const char **texts)
{
    size_t size = 1, g = 0;
    for (size_t j = 0; j < r->breakdown_count; j++)
        for (size_t i = 0; i < r->breakdowns[j].group_count; i++)
            for (size_t m = 0; m < r->breakdowns[j].groups[i].member_count; m++)
                size += strlen(r->constituents[r->breakdowns[j].groups[i].members[m]].ticker) + 1;
    char *block = malloc(size), *at = block;
    for (size_t j = 0; block && j < r->breakdown_count; j++)
        for (size_t i = 0; i < r->breakdowns[j].group_count; i++) {
            const defidx_group *x = &r->breakdowns[j].groups[i];
            texts[g++] = at;
            for (size_t m = 0; m < x->member_count; m++)
                at += sprintf(at, "%s%s", m ? " " : "", r->constituents[x->members[m]].ticker);
            *at++ = '\0';
        }
    return block;
}

/* The rows of the breakdowns: one per group and period, the group in name and its key as entity. */
static int long_groups(const defidx_result *r, const char **members, defidx_table *t)
{
    size_t g = 0;
    for (size_t j = 0; j < r->breakdown_count; j++)
        for (size_t i = 0; i < r->breakdowns[j].group_count; i++, g++) {
            const defidx_group *x = &r->breakdowns[j].groups[i];
            for (size_t k = 0; k < r->period_count; k++) {
                defidx_cell *row = defidx_table_add_row(t);
                if (!row)
                    return DEFIDX_ENOMEM;
                row[0] = defidx_cell_text(defidx_group_key_name(r->breakdowns[j].key));
                row[2] = defidx_cell_text(x->name);
                row[3] = defidx_cell_text(r->currency);
                row[4] = defidx_cell_text(r->periods[k].name);
                row[5] = defidx_cell_date(r->as_of);
                row[7] = defidx_cell_date(r->periods[k].base_date);
                row[9] = defidx_cell_percent(x->returns[k], 2);
                row[10] = defidx_cell_percent(x->weight, 2);
                row[11] = defidx_cell_percent(x->contribution[k], 2);
                row[12] = defidx_cell_text(r->return_type);
                row[LONG_COLUMNS] = defidx_cell_text(members[g]);
            }
        }
    return 0;
}

/* One row per period for the index, then one per period for each constituent in r's order, then
 * for each group of the breakdowns. With no periods, each entity still gets one row so that its
 * level or price is reported. */
static int long_table(const defidx_result *r, const char **members, defidx_table *t)
{
    size_t rows = r->period_count ? r->period_count : 1;
    if (defidx_table_init(t, LONG_COLUMNS + (r->breakdown_count > 0), long_header))
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
            row[13] = defidx_cell_date(c->price_date);
            row[14] = defidx_cell_number(c->stale ? 1 : 0, 0);
            if (r->period_count && c->periods) {
                long_period(row, &c->periods[k]);
                row[11] = defidx_cell_percent(c->contribution ? c->contribution[k] : NAN, 2);
            }
        }
    }
    return long_groups(r, members, t);
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
 * sparkline, shown after the level it draws. In the aligned table each line is wrapped to width
 * (0: unlimited). */
static void title_block(FILE *out, const defidx_result *r, int md, const char *trend, size_t width)
{
    title_text tt;
    title_fill(&tt, r);
    char level[512], ath[256];
    snprintf(level, sizeof level, "As of %s   level %s%s%s", tt.as_of, tt.level,
             trend ? "   trend " : "", trend ? trend : "");
    snprintf(ath, sizeof ath, "All-time high %s on %s   drawdown %s", tt.ath, tt.ath_date,
             tt.drawdown);
    if (md) {
        fputs("## ", out);
        dfx_text_put(out, tt.heading); /* the name is the data's: escaped, never a line break */
        fprintf(out, "\n\n%s\n\n%s\n\n", level, ath);
        return;
    }
    dfx_put_wrapped(out, tt.heading, width); /* escapes the name's control characters */
    dfx_put_wrapped(out, level, width);
    dfx_put_wrapped(out, ath, width);
    putc('\n', out);
}

/* The title block of the HTML report: the heading, then the level and the all-time high. */
static void html_title(FILE *out, const defidx_result *r)
{
    title_text tt;
    title_fill(&tt, r);
    fputs("<h1>", out);
    dfx_html_text(out, tt.heading);
    fprintf(out, "</h1>\n<p>As of %s, level %s</p>\n", tt.as_of, tt.level);
    fprintf(out, "<p>All-time high %s on %s, drawdown ", tt.ath, tt.ath_date);
    if (dfx_shown_sign(tt.drawdown) < 0)
        fprintf(out, "<span class=\"neg\">%s</span></p>\n", tt.drawdown);
    else
        fprintf(out, "%s</p>\n", tt.drawdown);
}

static const char *periods_header[] = {"Period", "Base date", "Base level", "Return"};

/* The periods table for people: base date, base level and return of each period. Returns 0, or
 * DEFIDX_ENOMEM with t freed. */
static int periods_table(const defidx_result *r, defidx_table *t)
{
    if (defidx_table_init(t, 4, periods_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        defidx_cell *row = defidx_table_add_row(t);
        if (!row) {
            defidx_table_free(t);
            return DEFIDX_ENOMEM;
        }
        row[0] = defidx_cell_text(p->name);
        row[1] = defidx_cell_date(p->base_date);
        row[2] = defidx_cell_number(p->base_value, 2);
        row[3] = defidx_cell_percent(p->ret, 2);
    }
    return 0;
}

int dfx_result_periods(const defidx_result *r, defidx_table *t)
{
    return periods_table(r, t);
}

/* The HTML report: a whole document with the title block, the two tables and the notes. */
static int html_report(FILE *out, const defidx_result *r, const defidx_table *periods,
                       const dfx_members *members, int header, defidx_error *err)
{
    dfx_html_begin(out, r->name[0] ? r->name : "Index");
    html_title(out, r);
    if (dfx_html_table(out, periods, header) || dfx_html_table(out, &members->table, header))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = dfx_members_notes(out, r, members, DEFIDX_FORMAT_HTML, 0, err);
    if (!rc)
        rc = dfx_breakdowns_write_people(out, r, DEFIDX_FORMAT_HTML, &(defidx_emit_options){.header = header}, err);
    if (rc)
        return rc;
    dfx_html_end(out);
    return dfx_emit_finish(out, err);
}

/* The aligned table or Markdown report: the title block, the two tables, then the notes. */
static int text_report(FILE *out, const defidx_result *r, const defidx_table *periods,
                       const dfx_members *members, int fmt, const defidx_emit_options *o,
                       defidx_error *err)
{
    int aligned = fmt == DEFIDX_FORMAT_TABLE;
    size_t width = aligned ? o->width : 0;
    title_block(out, r, !aligned, aligned && o->spark ? o->spark[0] : NULL, width);
    int rc = defidx_emit_table(out, periods, fmt, o, err);
    if (!rc) {
        putc('\n', out);
        rc = defidx_emit_table(out, &members->table, fmt, o, err);
    }
    if (!rc)
        rc = dfx_members_notes(out, r, members, fmt, width, err);
    if (!rc)
        rc = dfx_breakdowns_write_people(out, r, fmt, o, err);
    if (!rc)
        rc = dfx_emit_finish(out, err);
    return rc;
}

/* The report for people (fmt table, md or html): the title block and two tables, no warnings (the
 * CLI prints those on stderr). The sparklines are drawn in the aligned table only. */
int dfx_result_write_people(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                               defidx_error *err)
{
    defidx_table periods = {0};
    dfx_members members;
    int rc = dfx_members_build(r, fmt, o, &members, err); /* first: a bad --columns writes nothing */
    if (!rc && periods_table(r, &periods))
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if (!rc && fmt == DEFIDX_FORMAT_HTML)
        rc = html_report(out, r, &periods, &members, o->header, err);
    else if (!rc)
        rc = text_report(out, r, &periods, &members, fmt, o, err);
    defidx_table_free(&periods);
    dfx_members_free(&members);
    return rc;
}

/* CSV or TSV of the columns o->columns names: one row per constituent. */
static int emit_member_columns(FILE *out, const defidx_result *r, int fmt,
                               const defidx_emit_options *o, defidx_error *err)
{
    dfx_members members;
    int rc = dfx_members_build(r, fmt, o, &members, err);
    if (!rc)
        rc = defidx_emit_table(out, &members.table, fmt, o, err);
    dfx_members_free(&members);
    return rc;
}

/* The JSON object of docs/formats.md: fmt and the options do not change it. */
int dfx_result_write_json(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                             defidx_error *err)
{
    (void)fmt;
    (void)o;
    emit_json(out, r);
    return dfx_emit_finish(out, err);
}

/* For programs as a table in fmt (csv, tsv): the long table, a row per entity and period; with
 * o->columns, the constituents table of those columns. */
int dfx_result_write_rows(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                             defidx_error *err)
{
    if (o->columns && r->breakdown_count)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "--columns writes the constituents' table alone in %s, without the breakdowns (hint: leave out --columns for the long table with the groups' rows, or use -O json)",
                                fmt == DEFIDX_FORMAT_CSV ? "csv" : "tsv");
    if (o->columns)
        return emit_member_columns(out, r, fmt, o, err);
    size_t groups = 0;
    for (size_t j = 0; j < r->breakdown_count; j++)
        groups += r->breakdowns[j].group_count;
    const char **members = malloc((groups ? groups : 1) * sizeof *members);
    char *texts = members ? group_member_texts(r, members) : NULL;
    defidx_table t = {0};
    int rc = !texts || long_table(r, members, &t);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t, fmt, o, err);
    defidx_table_free(&t);
    free(members);
    free(texts);
    return rc;
}

int defidx_emit_result(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                       defidx_error *err)
{
    defidx_emit_options defaults;
    const dfx_output_format *f = dfx_emit_begin(fmt, &o, &defaults, err);
    return f ? f->write_result(out, r, fmt, o, err) : DEFIDX_EUSAGE;
}


/* ---- the pieces, for the report bundle ----------------------------------------------------------- */

void dfx_result_title(FILE *out, const defidx_result *r, int md)
{
    title_block(out, r, md, NULL, 0);
}

int dfx_result_tables(const defidx_result *r, int fmt, defidx_table *periods, dfx_members *members)
{
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    memset(members, 0, sizeof *members);
    int rc = periods_table(r, periods);
    if (!rc && (rc = dfx_members_build(r, fmt, &o, members, NULL)) != 0)
        defidx_table_free(periods);
    if (rc)
        dfx_members_free(members);
    return rc ? DEFIDX_ENOMEM : 0;
}
