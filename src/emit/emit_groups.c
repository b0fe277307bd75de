/* emit_groups.c: a compute result's breakdowns (compute --by) for people: one table per key, a row
 * per group with its members, weight, returns and contributions. The JSON and the long CSV/TSV
 * rows are emit_result.c's; the report bundle and the factsheet pick their own columns. */
#include "emit/emit.h"
#include "index/periods.h"

#include <string.h>

/* "Country", "Currency", "Segment": the key's name as a heading. */
static void key_title(int key, char *out, size_t size)
{
    snprintf(out, size, "%s", defidx_group_key_name(key) ? defidx_group_key_name(key) : "group");
    out[0] = (char)(out[0] - 'a' + 'A');
}

int dfx_group_table_build(const defidx_result *r, const defidx_breakdown *b, const dfx_group_column *cols,
                          size_t col_count, dfx_group_table *gt)
{
    memset(gt, 0, sizeof *gt);
    if (col_count > DFX_GROUP_COLUMNS_MAX)
        return DEFIDX_EUSAGE;
    size_t n = 3 + col_count;
    key_title(b->key, gt->titles[0], sizeof gt->titles[0]);
    snprintf(gt->titles[1], sizeof gt->titles[1], "Members");
    snprintf(gt->titles[2], sizeof gt->titles[2], "Weight");
    for (size_t j = 0; j < col_count; j++)
        snprintf(gt->titles[3 + j], sizeof gt->titles[0], "%s%s", cols[j].contribution ? "Contrib " : "",
                 r->periods[cols[j].period].name);
    for (size_t j = 0; j < n; j++)
        gt->header[j] = gt->titles[j];
    if (defidx_table_init(&gt->table, n, gt->header))
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < b->group_count; i++) {
        const defidx_group *g = &b->groups[i];
        defidx_cell *row = defidx_table_add_row(&gt->table);
        if (!row) {
            defidx_table_free(&gt->table);
            return DEFIDX_ENOMEM;
        }
        row[0] = defidx_cell_text(g->name);
        for (size_t m = 0; m < g->member_count; m++) /* a return carried by a stale price is marked */
            if (r->constituents[g->members[m]].stale && r->constituents[g->members[m]].weight > 0)
                row[0].mark = '*';
        row[1] = defidx_cell_number((double)g->member_count, 0);
        row[2] = defidx_cell_share(g->weight, 2);
        for (size_t j = 0; j < col_count; j++)
            row[3 + j] = defidx_cell_percent(cols[j].contribution ? g->contribution[cols[j].period]
                                                                  : g->returns[cols[j].period], 2);
    }
    return 0;
}

const defidx_breakdown *dfx_breakdown_of(const defidx_result *r, int key)
{
    for (size_t j = 0; j < r->breakdown_count; j++)
        if (r->breakdowns[j].key == key)
            return &r->breakdowns[j];
    return NULL;
}

size_t dfx_group_columns_default(const defidx_result *r, dfx_group_column *cols)
{
    size_t n = 0;
    for (size_t k = 0; k < r->period_count && n < DFX_GROUP_COLUMNS_MAX; k++)
        cols[n++] = (dfx_group_column){k, 0};
    for (size_t k = 0; k < r->period_count && n < DFX_GROUP_COLUMNS_MAX; k++)
        if (dfx_period_kind_info(r->periods[k].kind)->shows_contribution)
            cols[n++] = (dfx_group_column){k, 1};
    return n;
}

void dfx_breakdowns_note(const defidx_result *r, char *note, size_t size)
{
    /* the two kinds of return side by side differ by the currency, and countries no definition
     * gave are a default: say so under the tables, not only on stderr */
    size_t len = (size_t)snprintf(note, size, "Groups' returns are in %s, as the index's; the constituents' own "
                                              "are in their quote currencies. * a member's price is stale.",
                                  r->currency);
    size_t from_suffix = 0, unknown = 0;
    for (size_t i = 0; dfx_breakdown_of(r, DEFIDX_GROUP_COUNTRY) && i < r->constituent_count; i++) {
        from_suffix += r->constituents[i].country_source == DEFIDX_COUNTRY_SUFFIX;
        unknown += r->constituents[i].country_source == DEFIDX_COUNTRY_UNKNOWN;
    }
    if ((from_suffix || unknown) && len < size)
        snprintf(note + len, size - len, " Countries from the ticker's exchange suffix: %zu; unknown: %zu "
                                         "(\"country\" in the index definition gives them).", from_suffix, unknown);
}

int dfx_breakdowns_write_people(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                                defidx_error *err)
{
    dfx_group_column cols[DFX_GROUP_COLUMNS_MAX];
    size_t n = dfx_group_columns_default(r, cols);
    int rc = 0;
    if (!r->breakdown_count)
        return 0;
    for (size_t j = 0; j < r->breakdown_count && !rc; j++) {
        dfx_group_table gt;
        if (dfx_group_table_build(r, &r->breakdowns[j], cols, n, &gt))
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        const char *key = defidx_group_key_name(r->breakdowns[j].key);
        if (fmt == DEFIDX_FORMAT_HTML) {
            fprintf(out, "<h2>By %s</h2>\n", key);
            if (dfx_html_table(out, &gt.table, o->header))
                rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            fprintf(out, fmt == DEFIDX_FORMAT_MD ? "\n### By %s\n\n" : "\nBy %s\n", key);
            rc = defidx_emit_table(out, &gt.table, fmt, o, err);
        }
        defidx_table_free(&gt.table);
    }
    char note[400];
    dfx_breakdowns_note(r, note, sizeof note);
    if (!rc && fmt == DEFIDX_FORMAT_HTML) {
        fputs("<p>", out);
        dfx_html_text(out, note);
        fputs("</p>\n", out);
    } else if (!rc) {
        fprintf(out, "\n%s\n", note);
    }
    return rc;
}
