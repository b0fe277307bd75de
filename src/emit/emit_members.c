/* emit_members.c: the constituents table of a compute result. One table lists the columns it can
 * show (the names --columns takes), which of them a report shows when none are named, and the
 * order in which an aligned table leaves them out to fit a terminal; then the notes under the
 * table: stale prices and the columns left out. */
#include "emit/emit.h"
#include "index/periods.h"

#include <stdlib.h>
#include <string.h>

/* What a column shows. */
enum member_field {
    FIELD_TICKER,
    FIELD_NAME,
    FIELD_CURRENCY,
    FIELD_PRICE,
    FIELD_PRICE_DATE,
    FIELD_STALE,
    FIELD_WEIGHT,
    FIELD_TREND,
    FIELD_RETURN,  /* one per period */
    FIELD_CONTRIB, /* one per period */
    FIELD_COUNT
};

/* One row per field. name is what --columns and CSV/TSV call it and title its heading for people;
 * for a field of each period both are a prefix to the period's name ("contrib_" + "ytd").
 * leave_out is when the aligned table leaves it out to fit a width: 0 never, else lowest first
 * (contributions, then the name, then returns, then currency and trend: a reader wants a return
 * more than a company's name beside its ticker; docs/formats.md says so). */
typedef struct field_info {
    const char *name;
    const char *title;
    int per_period;
    int leave_out;
} field_info;

static const field_info fields[FIELD_COUNT] = {
    [FIELD_TICKER] = {"ticker", "Ticker", 0, 0},
    [FIELD_NAME] = {"name", "Name", 0, 2},
    [FIELD_CURRENCY] = {"currency", "Ccy", 0, 4},
    [FIELD_PRICE] = {"price", "Price", 0, 0},
    [FIELD_PRICE_DATE] = {"price_date", "Date", 0, 0},
    [FIELD_STALE] = {"stale", "Stale", 0, 0},
    [FIELD_WEIGHT] = {"weight", "Weight", 0, 0},
    [FIELD_TREND] = {"trend", "Trend", 0, 5},
    [FIELD_RETURN] = {"", "", 1, 3},
    [FIELD_CONTRIB] = {"contrib_", "Contrib ", 1, 1},
};

/* ---- naming the columns ---------------------------------------------------------------------- */

/* Fills col for field (and the period k of r when the field has one). */
static void column_set(const defidx_result *r, int field, size_t k, dfx_member_column *col)
{
    const field_info *f = &fields[field];
    const char *period = f->per_period ? r->periods[k].name : "";
    col->field = field;
    col->period = f->per_period ? k : 0;
    snprintf(col->name, sizeof col->name, "%s%s", f->name, period);
    snprintf(col->title, sizeof col->title, "%s%s", f->title, period);
}

/* The column the n bytes at name name, in col; -1 when none does. */
static int column_find(const defidx_result *r, const char *name, size_t n, dfx_member_column *col)
{
    for (int f = 0; f < FIELD_COUNT; f++) {
        size_t prefix = strlen(fields[f].name);
        if (!fields[f].per_period) {
            if (n == prefix && memcmp(name, fields[f].name, n) == 0) {
                column_set(r, f, 0, col);
                return 0;
            }
            continue;
        }
        if (n <= prefix || memcmp(name, fields[f].name, prefix) != 0)
            continue;
        for (size_t k = 0; k < r->period_count; k++)
            if (strlen(r->periods[k].name) == n - prefix &&
                memcmp(r->periods[k].name, name + prefix, n - prefix) == 0) {
                column_set(r, f, k, col);
                return 0;
            }
    }
    return -1;
}

/* Every column name of r, comma-separated, for the message about a name that is none of them. */
static void column_names(const defidx_result *r, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < FIELD_COUNT; f++) {
        size_t count = fields[f].per_period ? r->period_count : 1;
        for (size_t k = 0; k < count; k++) {
            dfx_member_column col;
            column_set(r, f, k, &col);
            int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", col.name);
            if (n < 0 || (size_t)n >= size - used)
                return; /* truncated: the message still names most of them */
            used += (size_t)n;
        }
    }
}

/* Reads the comma-separated list into cols (room for one per comma plus one); blanks around a
 * name are ignored. */
static int columns_parse(const defidx_result *r, const char *list, dfx_member_column *cols,
                         size_t *count, defidx_error *err)
{
    *count = 0;
    for (const char *p = list;; p++) {
        size_t n = strcspn(p, ",");
        const char *name = p + strspn(p, " ");
        size_t len = (size_t)(p + n - name);
        while (len && name[len - 1] == ' ')
            len--;
        dfx_member_column *col = &cols[*count];
        if (len == 0 || column_find(r, name, len, col)) {
            char names[600];
            column_names(r, names, sizeof names);
            if (len == 0)
                return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                        "--columns: '%s' has an empty name (hint: the columns are %s)",
                                        list, names);
            return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "--columns: '%.*s' is not a column (hint: the columns are %s)",
                                    (int)len, name, names);
        }
        for (size_t i = 0; i < *count; i++)
            if (strcmp(cols[i].name, col->name) == 0)
                return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                        "--columns: '%s' is named twice (hint: name each column once)",
                                        col->name);
        ++*count;
        p += n;
        if (!*p)
            return 0;
    }
}

int dfx_result_has_names(const defidx_result *r)
{
    for (size_t i = 0; i < r->constituent_count; i++)
        if (r->constituents[i].name[0])
            return 1;
    return 0;
}

/* The report's columns: ticker, name (for people, only when there are names), currency, price,
 * trend (with sparklines), weight, every period's return, and the contribution of the periods
 * worth one. cols NULL: only counts them. */
static size_t default_columns(const defidx_result *r, int human, int trend, dfx_member_column *cols)
{
    static const int lead[] = {FIELD_TICKER, FIELD_NAME, FIELD_CURRENCY, FIELD_PRICE, FIELD_TREND,
                               FIELD_WEIGHT};
    int names = !human || dfx_result_has_names(r);
    size_t n = 0;
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
        if ((lead[i] != FIELD_TREND || trend) && (lead[i] != FIELD_NAME || names)) {
            if (cols)
                column_set(r, lead[i], 0, &cols[n]);
            n++;
        }
    for (size_t k = 0; k < r->period_count; k++, n++)
        if (cols)
            column_set(r, FIELD_RETURN, k, &cols[n]);
    for (size_t k = 0; k < r->period_count; k++)
        if (dfx_period_kind_info(r->periods[k].kind)->shows_contribution) {
            if (cols)
                column_set(r, FIELD_CONTRIB, k, &cols[n]);
            n++;
        }
    return n;
}

/* ---- the cells ----------------------------------------------------------------------------- */

/* The cell of column col for constituent c: for people (human) or for programs. trend is c's
 * sparkline, NULL when it has none. A stale price carries the mark '*' that the notes explain. */
static defidx_cell member_cell(const dfx_member_column *col, const defidx_constituent *c,
                               const char *trend, int human)
{
    defidx_cell cell;
    switch (col->field) {
    case FIELD_TICKER: return defidx_cell_text(c->ticker);
    case FIELD_NAME: return defidx_cell_text(c->name);
    case FIELD_CURRENCY: return defidx_cell_text(c->currency);
    case FIELD_PRICE:
        cell = defidx_cell_number(c->price, 2);
        cell.mark = c->stale ? '*' : 0;
        return cell;
    case FIELD_PRICE_DATE: return defidx_cell_date(c->price_date);
    case FIELD_STALE:
        return human ? defidx_cell_text(c->stale ? "yes" : "no") : defidx_cell_number(c->stale ? 1 : 0, 0);
    case FIELD_WEIGHT: return defidx_cell_share(c->weight, 2);
    case FIELD_TREND: return defidx_cell_text(trend ? trend : ""); /* "" not NULL: blank, not "-" */
    case FIELD_RETURN: return defidx_cell_percent(c->periods ? c->periods[col->period].ret : NAN, 2);
    case FIELD_CONTRIB:
        return defidx_cell_percent(c->contribution ? c->contribution[col->period] : NAN, 2);
    default: return defidx_cell_null();
    }
}

/* Fills t (initialised here) with the columns cols of every constituent of r. */
static int members_fill(const defidx_result *r, const dfx_member_column *cols, size_t count,
                        int human, const char *const *spark, defidx_table *t)
{
    const char **header = malloc(count * sizeof *header);
    if (!header)
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < count; i++)
        header[i] = human ? cols[i].title : cols[i].name;
    int rc = defidx_table_init(t, count, header);
    free((void *)header);
    for (size_t i = 0; !rc && i < r->constituent_count; i++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        for (size_t j = 0; j < count; j++)
            row[j] = member_cell(&cols[j], &r->constituents[i], spark ? spark[1 + i] : NULL, human);
    }
    return rc ? DEFIDX_ENOMEM : 0;
}

/* ---- fitting a width ------------------------------------------------------------------------- */

/* 1 when column a is left out before column b. Lower leave_out first; among the returns, and
 * among the contributions, the period with the oldest base first (no base at all is oldest), and
 * of two with the same base the later in the list (mtd before 1d). */
static int leaves_before(const defidx_result *r, const dfx_member_column *a,
                         const dfx_member_column *b)
{
    int la = fields[a->field].leave_out, lb = fields[b->field].leave_out;
    if (la != lb)
        return la < lb;
    if (!fields[a->field].per_period)
        return 0;
    int32_t da = r->periods[a->period].base_date, db = r->periods[b->period].base_date;
    return da != db ? da < db : a->period > b->period;
}

/* Moves columns from m->shown to m->left_out until a line of the table (widths, two blanks
 * between columns) is at most width, or only columns that are never left out remain. Returns 0,
 * or DEFIDX_ENOMEM with m unchanged. */
static int leave_out_to_fit(const defidx_result *r, dfx_members *m, const size_t *widths,
                            size_t width)
{
    size_t total = 0;
    for (size_t i = 0; i < m->shown_count; i++)
        total += widths[i] + (i ? 2 : 0);
    int *gone = calloc(m->shown_count ? m->shown_count : 1, sizeof *gone);
    if (!gone)
        return DEFIDX_ENOMEM;
    while (total > width) {
        size_t pick = m->shown_count;
        for (size_t i = 0; i < m->shown_count; i++)
            if (!gone[i] && fields[m->shown[i].field].leave_out &&
                (pick == m->shown_count || leaves_before(r, &m->shown[i], &m->shown[pick])))
                pick = i;
        if (pick == m->shown_count)
            break;
        gone[pick] = 1;
        total -= widths[pick] + 2;
        m->left_out[m->left_out_count++] = m->shown[pick];
    }
    size_t kept = 0;
    for (size_t i = 0; i < m->shown_count; i++)
        if (!gone[i])
            m->shown[kept++] = m->shown[i];
    m->shown_count = kept;
    free(gone);
    return 0;
}

/* ---- entry points ------------------------------------------------------------------------------- */

int dfx_members_build(const defidx_result *r, int fmt, const defidx_emit_options *o,
                         dfx_members *m, defidx_error *err)
{
    memset(m, 0, sizeof *m);
    const dfx_output_format *format = dfx_output_format_of(fmt);
    int human = format && format->for_people;
    const char *const *spark = fmt == DEFIDX_FORMAT_TABLE ? o->spark : NULL;
    size_t room = o->columns ? 1 : default_columns(r, human, spark != NULL, NULL);
    for (const char *p = o->columns; p && *p; p++)
        room += *p == ',';
    m->shown = calloc(room, sizeof *m->shown);
    m->left_out = calloc(room, sizeof *m->left_out);
    if (!m->shown || !m->left_out)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    if (o->columns)
        rc = columns_parse(r, o->columns, m->shown, &m->shown_count, err);
    else
        m->shown_count = default_columns(r, human, spark != NULL, m->shown);
    if (!rc)
        rc = members_fill(r, m->shown, m->shown_count, human, spark, &m->table);
    if (!rc && fmt == DEFIDX_FORMAT_TABLE && o->width > 0 && !o->columns) {
        size_t *widths = malloc((m->shown_count ? m->shown_count : 1) * sizeof *widths);
        if (!widths)
            rc = DEFIDX_ENOMEM;
        else {
            dfx_table_widths(&m->table, o->header, widths);
            rc = leave_out_to_fit(r, m, widths, o->width);
            free(widths);
        }
        if (!rc && m->left_out_count) {
            defidx_table_free(&m->table);
            rc = members_fill(r, m->shown, m->shown_count, human, spark, &m->table);
        }
    }
    if (rc == DEFIDX_ENOMEM)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    return rc;
}

void dfx_members_free(dfx_members *m)
{
    defidx_table_free(&m->table);
    free(m->shown);
    free(m->left_out);
    memset(m, 0, sizeof *m);
}

/* "* RHM.DE: price of 2025-05-02, carried 65 business days to 2025-08-01 (more than --max-gap 5)" */
static void stale_note(const defidx_result *r, const defidx_constituent *c, char *buf, size_t size)
{
    char price_date[11], as_of[11];
    defidx_date_format(c->price_date, price_date);
    defidx_date_format(r->as_of, as_of);
    snprintf(buf, size, "* %s: price of %s, carried %ld business days to %s (more than --max-gap %d)",
             c->ticker, price_date, defidx_date_business_days(c->price_date, r->as_of), as_of,
             r->max_gap);
}

/* "4 columns left out to fit 80 columns: contrib_since:2022-02-23, ...; --columns or a wider
 * terminal shows them". Returns 0, or DEFIDX_ENOMEM having written nothing. */
static int left_out_note(FILE *out, const dfx_members *m, size_t width)
{
    size_t n = m->left_out_count, size = 128 + n * (sizeof m->left_out[0].name + 2), used;
    char *text = malloc(size);
    if (!text)
        return DEFIDX_ENOMEM;
    used = (size_t)snprintf(text, size, "%zu column%s left out to fit %zu columns:", n,
                            n == 1 ? "" : "s", width);
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, size - used, "%s %s", i ? "," : "", m->left_out[i].name);
    snprintf(text + used, size - used, "; --columns or a wider terminal shows %s", n == 1 ? "it" : "them");
    dfx_put_wrapped(out, text, width);
    free(text);
    return 0;
}

int dfx_members_notes(FILE *out, const defidx_result *r, const dfx_members *m, int fmt,
                         size_t width, defidx_error *err)
{
    int aligned = fmt == DEFIDX_FORMAT_TABLE, md = fmt == DEFIDX_FORMAT_MD;
    if (!aligned && !md && fmt != DEFIDX_FORMAT_HTML)
        return 0;
    if (aligned && (r->stale_constituents || m->left_out_count))
        putc('\n', out);
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *c = &r->constituents[i];
        if (!c->stale)
            continue;
        char note[256];
        stale_note(r, c, note, sizeof note);
        if (aligned) {
            dfx_put_wrapped(out, note, width);
        } else if (md) {
            /* a paragraph each, apart from the table (a line right under it would be one more
             * row); escaped, as a line that starts with "* " would be a list item */
            fputs("\n\\", out);
            dfx_text_put(out, note); /* the ticker is the data's */
            putc('\n', out);
        } else {
            fputs("<p class=\"note\">", out);
            dfx_html_text(out, note);
            fputs("</p>\n", out);
        }
    }
    if (aligned && m->left_out_count && left_out_note(out, m, width))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}
