/* emit_xlsx.c: what each output is as an Excel workbook (xlsx.c writes the sheets): a table as one
 * sheet (the series with a line chart of the level), a compute result as the sheets Summary,
 * Constituents and Warnings, and the report bundle's report.xlsx as a result's sheets with the
 * series and the statistics (whose sheets emit_stats.c writes). */
#define _POSIX_C_SOURCE 200809L
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

/* ---- a table --------------------------------------------------------------------------------- */

/* The latest date among t's cells: the workbook's creation time, from the data. */
static int32_t latest_date(const defidx_table *t)
{
    int32_t latest = DEFIDX_NO_DATE;
    for (size_t k = 0; k < t->row_count * t->column_count; k++)
        if (t->cells[k].kind == DEFIDX_CELL_DATE && t->cells[k].date != DEFIDX_NO_DATE &&
            (latest == DEFIDX_NO_DATE || t->cells[k].date > latest))
            latest = t->cells[k].date;
    return latest;
}

/* 1 when t is the series table (`series`): date, then level. */
static int is_series(const defidx_table *t)
{
    return t->column_count >= 2 && t->header[0] && t->header[1] && strcmp(t->header[0], "date") == 0 &&
           strcmp(t->header[1], "level") == 0;
}

/* One sheet: "Series" with a line chart of the level for the series table, else "Table". */
static int put_table_sheet(dfx_xlsx *x, const defidx_table *t, int header, defidx_error *err)
{
    const char *name = is_series(t) ? "Series" : "Table";
    int rc = dfx_xlsx_sheet(x, name, err);
    if (!rc)
        rc = dfx_xlsx_put_table(x, 0, t, header, err);
    if (!rc && is_series(t) && header)
        rc = dfx_xlsx_line_chart(x, name, "Index level", t->row_count, 0, 1, err);
    return rc;
}

int dfx_table_write_xlsx(FILE *out, const defidx_table *t, const defidx_emit_options *o, defidx_error *err)
{
    dfx_xlsx *x;
    int rc = dfx_xlsx_open(&x, latest_date(t), err);
    if (rc)
        return rc;
    rc = put_table_sheet(x, t, o->header, err);
    if (rc) {
        dfx_xlsx_discard(x);
        return rc;
    }
    return dfx_xlsx_close(x, out, err);
}

/* ---- a compute result ------------------------------------------------------------------------- */

static const char *facts_header[] = {"Field", "Value"};

/* The index's facts, a row each: name, currency, return type, weighting, base, as-of, level,
 * all-time high and drawdown. */
static int facts_table(const defidx_result *r, defidx_table *t)
{
    if (defidx_table_init(t, 2, facts_header))
        return DEFIDX_ENOMEM;
    struct {
        const char *field;
        defidx_cell value;
    } facts[] = {
        {"Index", defidx_cell_text(r->name[0] ? r->name : "Index")},
        {"Currency", defidx_cell_text(r->currency)},
        {"Return type", defidx_cell_text(r->return_type ? r->return_type : "price")},
        {"Weighting", defidx_cell_text(defidx_weighting_name(r->weighting))},
        {"Base date", defidx_cell_date(r->base_date)},
        {"Base value", defidx_cell_number(r->base_value, 2)},
        {"As of", defidx_cell_date(r->as_of)},
        {"Level", defidx_cell_number(r->level, 2)},
        {"All-time high", defidx_cell_number(r->ath_level, 2)},
        {"All-time high date", defidx_cell_date(r->ath_date)},
        {"Drawdown", defidx_cell_percent(r->drawdown, 2)},
    };
    for (size_t k = 0; k < sizeof facts / sizeof *facts; k++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(facts[k].field);
        row[1] = facts[k].value;
    }
    return 0;
}

static const char *warnings_header[] = {"Warning"};

static int warnings_table(const defidx_warnings *w, defidx_table *t)
{
    if (defidx_table_init(t, 1, warnings_header))
        return DEFIDX_ENOMEM;
    for (size_t k = 0; w && k < w->count; k++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_text(w->items[k]);
    }
    return 0;
}

/* The constituents' columns of a workbook, unless --columns names others: everything, the stale
 * flag as a column of its own (a cell's mark would be lost in a spreadsheet). */
static char *workbook_columns(const defidx_result *r)
{
    size_t size = 128;
    for (size_t k = 0; k < r->period_count; k++)
        size += 2 * strlen(r->periods[k].name) + 16;
    char *list = malloc(size);
    if (!list)
        return NULL;
    size_t n = (size_t)snprintf(list, size, "ticker,name,currency,price,price_date,stale,weight");
    for (size_t k = 0; k < r->period_count; k++)
        n += (size_t)snprintf(list + n, size - n, ",%s", r->periods[k].name);
    for (size_t k = 0; k < r->period_count; k++)
        n += (size_t)snprintf(list + n, size - n, ",contrib_%s", r->periods[k].name);
    return list;
}

/* A sheet per breakdown (compute --by), "By country": every period's return, then every
 * period's contribution. */
static int put_breakdown_sheets(dfx_xlsx *x, const defidx_result *r, int header, defidx_error *err)
{
    dfx_group_column cols[DFX_GROUP_COLUMNS_MAX];
    size_t n = 0;
    for (int contribution = 0; contribution < 2; contribution++)
        for (size_t k = 0; k < r->period_count && n < DFX_GROUP_COLUMNS_MAX; k++)
            cols[n++] = (dfx_group_column){k, contribution};
    int rc = 0;
    for (size_t j = 0; j < r->breakdown_count && !rc; j++) {
        dfx_group_table gt;
        char name[32];
        if (dfx_group_table_build(r, &r->breakdowns[j], cols, n, &gt))
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        snprintf(name, sizeof name, "By %s", defidx_group_key_name(r->breakdowns[j].key));
        rc = dfx_xlsx_sheet(x, name, err);
        if (!rc)
            rc = dfx_xlsx_put_table(x, 0, &gt.table, header, err);
        defidx_table_free(&gt.table);
    }
    return rc;
}

/* The sheets Summary (the facts, then the periods), Constituents, one per breakdown and Warnings. */
static int put_result_sheets(dfx_xlsx *x, const defidx_result *r, const defidx_emit_options *o, defidx_error *err)
{
    defidx_table facts = {0}, periods = {0}, warnings = {0};
    dfx_members members;
    memset(&members, 0, sizeof members);
    defidx_emit_options mo = *o;
    char *columns = o->columns ? NULL : workbook_columns(r);
    mo.columns = o->columns ? o->columns : columns;
    int rc = !mo.columns ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
                         : dfx_members_build(r, DEFIDX_FORMAT_XLSX, &mo, &members, err);
    if (!rc && (facts_table(r, &facts) || dfx_result_periods(r, &periods) || warnings_table(&r->warnings, &warnings)))
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if (!rc)
        rc = dfx_xlsx_sheet(x, "Summary", err);
    if (!rc)
        rc = dfx_xlsx_put_table(x, 0, &facts, o->header, err);
    if (!rc)
        rc = dfx_xlsx_put_table(x, facts.row_count + 2, &periods, o->header, err);
    if (!rc)
        rc = dfx_xlsx_sheet(x, "Constituents", err);
    if (!rc)
        rc = dfx_xlsx_put_table(x, 0, &members.table, o->header, err);
    if (!rc)
        rc = put_breakdown_sheets(x, r, o->header, err);
    if (!rc)
        rc = dfx_xlsx_sheet(x, "Warnings", err);
    if (!rc)
        rc = dfx_xlsx_put_table(x, 0, &warnings, o->header, err);
    defidx_table_free(&facts);
    defidx_table_free(&periods);
    defidx_table_free(&warnings);
    dfx_members_free(&members);
    free(columns);
    return rc;
}

int dfx_result_write_xlsx(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                          defidx_error *err)
{
    (void)fmt;
    dfx_xlsx *x;
    int rc = dfx_xlsx_open(&x, r->as_of, err);
    if (!rc && (rc = put_result_sheets(x, r, o, err)) != 0)
        dfx_xlsx_discard(x);
    return rc ? rc : dfx_xlsx_close(x, out, err);
}

/* ---- the report bundle's workbook -------------------------------------------------------------- */

int dfx_report_write_xlsx(FILE *out, const defidx_result *r, const defidx_stats_report *stats, defidx_error *err)
{
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    defidx_table series = {0};
    dfx_xlsx *x;
    int rc = dfx_xlsx_open(&x, r->as_of, err);
    if (rc)
        return rc;
    rc = put_result_sheets(x, r, &o, err);
    if (!rc)
        rc = defidx_series_table(r, &series, err);
    if (!rc)
        rc = put_table_sheet(x, &series, 1, err);
    if (!rc)
        rc = dfx_stats_put_sheets(x, stats, "Stats ", err);
    defidx_table_free(&series);
    if (rc) {
        dfx_xlsx_discard(x);
        return rc;
    }
    return dfx_xlsx_close(x, out, err);
}
