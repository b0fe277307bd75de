/* actions.c: corporate actions (docs/formats.md "Corporate actions"): a
 * `date,ticker,type,value,value2` CSV read with the CSV reader, each row checked against what its
 * type means, repeats and conflicts found, and the result sorted by ex-date for the engine. */
#include "load/csv_reader.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define TICKER_MAX 63 /* defidx_action.ticker holds 63 bytes and a NUL */
#define COLUMN_HINT "date,ticker,type,value,value2"
#define TYPE_HINT "split, shares, cash_dividend, special_dividend, rights or spinoff"

/* The canonical names, indexed by enum defidx_action_type. */
static const char *const type_names[] = {NULL,      "split",  "shares",  "cash_dividend",
                                         "special_dividend", "rights", "spinoff"};

const char *defidx_action_type_name(int type)
{
    if (type < DEFIDX_ACTION_SPLIT || type > DEFIDX_ACTION_SPINOFF)
        return "unknown";
    return type_names[type];
}

/* Case-insensitive, as header names are; "spin-off" and "spin_off" are how the spinoff is often
 * written. Nothing else is guessed (a "dividend" could be cash or special). */
int defidx_action_type_parse(const char *name)
{
    size_t n = strlen(name);
    for (int t = DEFIDX_ACTION_SPLIT; t <= DEFIDX_ACTION_SPINOFF; t++)
        if (dfx_ascii_ieq(name, n, type_names[t]))
            return t;
    if (dfx_ascii_ieq(name, n, "spin-off") || dfx_ascii_ieq(name, n, "spin_off"))
        return DEFIDX_ACTION_SPINOFF;
    return -1;
}

void defidx_actions_free(defidx_actions *a)
{
    if (!a)
        return;
    free(a->items);
    free(a);
}

/* ---- reading --------------------------------------------------------------------------------- */

/* The header's columns, as indexes into actions_loader.slot. */
enum column { COL_DATE, COL_TICKER, COL_TYPE, COL_VALUE, COL_VALUE2, COL_COUNT };
static const char *const column_names[COL_COUNT] = {"date", "ticker", "type", "value", "value2"};

/* A position in the file. */
typedef struct position {
    long line, column;
} position;

/* An action as read, with what the checks after reading need: its place in the file, where its
 * numbers are (a conflict is shown at the number that differs) and what the checks found. */
typedef struct row {
    defidx_action a;
    size_t seq;               /* file order */
    position value_at, value2_at;
    const struct row *first;  /* the first row of the same date, ticker and type, or NULL */
} row;

typedef struct actions_loader {
    const char *name; /* for messages */
    defidx_error *err;
    dfx_csv_record *rec; /* the record being read; rec->fields[rec->count]: where it ends */
    int have_header;
    size_t columns;         /* fields of the header */
    long slot[COL_COUNT];   /* the column of each name; -1: not in the header */
    row *rows;
    size_t count, capacity;
} actions_loader;

/* The blanks trimmed from a field: the reader trims them around unquoted fields only. */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Fills a data error at p and returns DEFIDX_EDATA. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at(actions_loader *ld, position p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = dfx_error_vset(ld->err, DEFIDX_EDATA, ld->name, p.line, p.column, fmt, ap);
    va_end(ap);
    return rc;
}

static int out_of_memory(actions_loader *ld)
{
    return defidx_error_set(ld->err, DEFIDX_ENOMEM, ld->name, 0, 0, "out of memory");
}

/* Field k of the current record with surrounding blanks trimmed, in place; k may be the
 * end-of-record entry, which is "". */
static const char *field(actions_loader *ld, size_t k)
{
    dfx_csv_field *f = &ld->rec->fields[k];
    char *s = f->text;
    size_t len = f->len;
    while (len && is_blank((unsigned char)*s))
        s++, len--;
    while (len && is_blank((unsigned char)s[len - 1]))
        len--;
    s[len] = '\0';
    f->text = s;
    f->len = len;
    return s;
}

static position field_at(const actions_loader *ld, size_t k)
{
    return (position){ld->rec->fields[k].line, ld->rec->fields[k].column};
}

/* The field of a named column, or the end of the record when the header has no such column (only
 * value2 may be missing), so that "value2 is required" points where it would go. */
static size_t field_of(const actions_loader *ld, int col)
{
    return ld->slot[col] >= 0 ? (size_t)ld->slot[col] : ld->rec->count;
}

/* 1 when every field of the record is empty: a line of bare delimiters, skipped like a blank one. */
static int all_empty(actions_loader *ld)
{
    for (size_t k = 0; k < ld->rec->count; k++)
        if (field(ld, k)[0])
            return 0;
    return 1;
}

/* The header: the four required names and optionally value2, in any order, nothing else. */
static int read_header(actions_loader *ld)
{
    const dfx_csv_record *rec = ld->rec;
    for (size_t k = 0; k < rec->count; k++) {
        const char *s = field(ld, k);
        int col = 0;
        while (col < COL_COUNT && !dfx_ascii_ieq(s, strlen(s), column_names[col]))
            col++;
        if (col == COL_COUNT) {
            int32_t d;
            if (!*s)
                return fail_at(ld, field_at(ld, k), "a column with no name (hint: the columns are " COLUMN_HINT ")");
            if (defidx_date_parse(s, strlen(s), &d, NULL) == 0)
                return fail_at(ld, field_at(ld, k), "unknown column '%s' (hint: the first line is the header: " COLUMN_HINT ")", s);
            return fail_at(ld, field_at(ld, k), "unknown column '%s' (hint: " COLUMN_HINT ")", s);
        }
        if (ld->slot[col] >= 0)
            return fail_at(ld, field_at(ld, k), "the column '%s' appears twice (hint: " COLUMN_HINT ")", column_names[col]);
        ld->slot[col] = (long)k;
    }
    for (int col = COL_DATE; col <= COL_VALUE; col++)
        if (ld->slot[col] < 0)
            return fail_at(ld, field_at(ld, 0), "the header has no '%s' column (hint: the columns are date,ticker,type,value and optionally value2)", column_names[col]);
    ld->columns = rec->count;
    ld->have_header = 1;
    return 0;
}

/* Parses field k as a finite number into *x; an empty field is NAN. Returns 0 or DEFIDX_EDATA
 * with the error filled. */
static int read_number(actions_loader *ld, size_t k, const char *what, const char *hint, double *x)
{
    const char *s = field(ld, k);
    *x = NAN;
    if (!*s)
        return 0;
    if (defidx_number_parse(s, strlen(s), x))
        return fail_at(ld, field_at(ld, k), "%s '%.40s%s' is not a number (hint: %s)", what, s,
                       strlen(s) > 40 ? "..." : "", hint);
    if (!isfinite(*x))
        return fail_at(ld, field_at(ld, k), "%s '%.40s%s' is out of range (hint: " DEFIDX_NUMBER_RANGE_HINT ")", what, s,
                       strlen(s) > 40 ? "..." : "");
    return 0;
}

/* Checks value and value2 against what the action's type makes of them. */
static int check_values(actions_loader *ld, row *r, size_t kv, size_t kv2)
{
    defidx_action *a = &r->a;
    const char *s = field(ld, kv), *s2 = field(ld, kv2);
    const char *type = type_names[a->type];
    static const char *const value_hint[] = {
        NULL,
        "new shares per old share: 2 for a 2-for-1 split, 0.1 for a 1-for-10 reverse split",
        "the number of shares from the ex-date on, greater than 0",
        "the gross amount per share in the quote currency, greater than 0",
        "the amount per share in the quote currency, greater than 0",
        "new shares per old share, greater than 0: 0.25 for 1 new share for 4 held",
        "the value of the spun-off shares per parent share in the quote currency, greater than 0"};
    static const char *const value2_hint[] = {
        NULL, NULL, NULL,
        "value2 is the withholding rate, a fraction from 0 to below 1: 0.15 for 15%; empty for 0",
        NULL,
        "value2 is the subscription price per new share in the quote currency, 0 or more",
        NULL};
    if (!*s)
        return fail_at(ld, field_at(ld, kv), "the value of a %s action is empty (hint: %s)", type, value_hint[a->type]);
    if (read_number(ld, kv, "value", value_hint[a->type], &a->value) ||
        read_number(ld, kv2, "value2", value2_hint[a->type] ? value2_hint[a->type] : "empty for this type", &a->value2))
        return DEFIDX_EDATA;
    if (!(a->value > 0))
        return fail_at(ld, field_at(ld, kv), "the value of a %s action must be greater than 0, not %s (hint: %s)", type, s, value_hint[a->type]);
    if (a->type == DEFIDX_ACTION_SPLIT && a->value == 1)
        return fail_at(ld, field_at(ld, kv), "a split of 1 new share per old share changes nothing (hint: %s; or remove the row)", value_hint[a->type]);
    switch (a->type) {
    case DEFIDX_ACTION_CASH_DIVIDEND:
        if (isnan(a->value2))
            a->value2 = 0;
        else if (!(a->value2 >= 0 && a->value2 < 1))
            return fail_at(ld, field_at(ld, kv2), "withholding rate %s is not from 0 to below 1 (hint: %s)", s2, value2_hint[a->type]);
        break;
    case DEFIDX_ACTION_RIGHTS:
        if (isnan(a->value2))
            return fail_at(ld, field_at(ld, kv2), "a rights issue needs its subscription price in value2 (hint: %s)", value2_hint[a->type]);
        if (!(a->value2 >= 0))
            return fail_at(ld, field_at(ld, kv2), "subscription price %s is negative (hint: %s)", s2, value2_hint[a->type]);
        break;
    default:
        if (!isnan(a->value2))
            return fail_at(ld, field_at(ld, kv2), "a %s action takes no value2, but has '%s' (hint: only cash_dividend and rights use value2)", type, s2);
    }
    return 0;
}

/* A data row: the field count, then each field in the order date, ticker, type, value, value2. */
static int read_row(actions_loader *ld)
{
    size_t count = ld->rec->count;
    if (count < ld->columns && ld->rec->unended)
        return fail_at(ld, field_at(ld, count),
                       "row has %zu fields, header has %zu, and the file ends in it without a line end (hint: the file looks cut short: save it again)",
                       count, ld->columns);
    if (count != ld->columns)
        return fail_at(ld, field_at(ld, count > ld->columns ? ld->columns : count),
                       "row has %zu fields, header has %zu (hint: quote a field that contains '%s')",
                       count, ld->columns, ld->rec->delim == '\t' ? "\\t" : (ld->rec->delim == ';' ? ";" : ","));
    if (dfx_grow((void **)&ld->rows, &ld->capacity, ld->count + 1, sizeof *ld->rows))
        return out_of_memory(ld);
    row *r = &ld->rows[ld->count];
    memset(r, 0, sizeof *r);
    size_t kd = field_of(ld, COL_DATE), kt = field_of(ld, COL_TICKER), ky = field_of(ld, COL_TYPE);
    size_t kv = field_of(ld, COL_VALUE), kv2 = field_of(ld, COL_VALUE2);
    const char *date = field(ld, kd), *ticker = field(ld, kt), *type = field(ld, ky);
    if (defidx_date_parse(date, strlen(date), &r->a.date, NULL))
        return fail_at(ld, field_at(ld, kd), "'%s' is not a date (hint: the ex-date, a real day written YYYY-MM-DD)", date);
    if (!*ticker)
        return fail_at(ld, field_at(ld, kt), "the ticker is empty (hint: the ticker as in the price files)");
    if (strlen(ticker) > TICKER_MAX)
        return fail_at(ld, field_at(ld, kt), "the ticker is %zu bytes long, longer than the limit of %d bytes (hint: the ticker as in the price files)",
                       strlen(ticker), TICKER_MAX);
    memcpy(r->a.ticker, ticker, strlen(ticker) + 1);
    if ((r->a.type = defidx_action_type_parse(type)) < 0)
        return fail_at(ld, field_at(ld, ky), "unknown action type '%s' (hint: " TYPE_HINT ")", type);
    r->value_at = field_at(ld, kv);
    r->value2_at = field_at(ld, kv2);
    if (check_values(ld, r, kv, kv2))
        return DEFIDX_EDATA;
    r->a.line = ld->rec->fields[0].line;
    r->a.column = ld->rec->fields[0].column;
    r->seq = ld->count++;
    return 0;
}

/* The CSV reader's callback: the header first (past records of empty fields), then data rows. */
static int on_record(dfx_csv_record *rec, void *ctx, defidx_error *err)
{
    actions_loader *ld = ctx;
    (void)err; /* the same as ld->err */
    ld->rec = rec;
    if (all_empty(ld))
        return 0;
    return ld->have_header ? read_row(ld) : read_header(ld);
}

/* ---- repeats, conflicts and order ---------------------------------------------------------- */

/* Orders rows by date, ticker, type, then file order: rows that must not both apply are adjacent. */
static int by_key(const void *pa, const void *pb)
{
    const row *a = *(const row *const *)pa, *b = *(const row *const *)pb;
    if (a->a.date != b->a.date)
        return a->a.date < b->a.date ? -1 : 1;
    int c = strcmp(a->a.ticker, b->a.ticker);
    if (c)
        return c;
    if (a->a.type != b->a.type)
        return a->a.type < b->a.type ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Orders rows by ex-date, then file order (qsort is not stable; seq makes it so). */
static int by_date(const void *pa, const void *pb)
{
    const row *a = *(const row *const *)pa, *b = *(const row *const *)pb;
    if (a->a.date != b->a.date)
        return a->a.date < b->a.date ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* 1 when both numbers are the same or both are missing. */
static int same_number(double x, double y)
{
    return x == y || (isnan(x) && isnan(y));
}

/* "value 0.5" or "value 0.5, value2 0.26", for a conflict message. */
static void describe(const defidx_action *a, char *out, size_t size)
{
    char v[32], v2[32];
    defidx_number_format(a->value, 10, v, sizeof v);
    defidx_number_format(a->value2, 10, v2, sizeof v2);
    if (isnan(a->value2))
        snprintf(out, size, "value %s", v);
    else
        snprintf(out, size, "value %s, value2 %s", v, v2);
}

/* Finds repeats (a warning, used once) and conflicts (an error at the second row's differing
 * number) in file order, so that the first problem reported is the first in the file; then fills
 * a->items with the rows used, by ex-date. */
static int finish(actions_loader *ld, defidx_actions *out, defidx_warnings *w)
{
    size_t n = ld->count;
    row **order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return out_of_memory(ld);
    for (size_t i = 0; i < n; i++)
        order[i] = &ld->rows[i];
    qsort(order, n, sizeof *order, by_key);
    for (size_t i = 1; i < n; i++) {
        const row *p = order[i - 1], *q = order[i];
        if (p->a.date == q->a.date && p->a.type == q->a.type && strcmp(p->a.ticker, q->a.ticker) == 0)
            order[i]->first = p->first ? p->first : p;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        row *r = &ld->rows[i];
        const row *f = r->first;
        if (!f) {
            order[kept++] = r;
            continue;
        }
        char day[11];
        defidx_date_format(r->a.date, day);
        const char *type = type_names[r->a.type];
        if (same_number(r->a.value, f->a.value) && same_number(r->a.value2, f->a.value2)) {
            dfx_warn_kind(w, DEFIDX_WARNING_REPEATED_ROW, ld->name, r->a.line, r->a.column,
                             "repeated action: %s for %s on %s (same as line %ld); used once", type,
                             r->a.ticker, day, f->a.line);
            continue;
        }
        char here[80], there[80];
        describe(&r->a, here, sizeof here);
        describe(&f->a, there, sizeof there);
        position at = same_number(r->a.value, f->a.value) ? r->value2_at : r->value_at;
        int rc = fail_at(ld, at,
                         "second different %s for %s on %s: %s here, %s at line %ld (hint: remove one of the rows%s)",
                         type, r->a.ticker, day, here, there, f->a.line,
                         r->a.type == DEFIDX_ACTION_CASH_DIVIDEND
                             ? ", or give an extra payment the type special_dividend"
                             : "");
        free(order);
        return rc;
    }
    qsort(order, kept, sizeof *order, by_date);
    out->items = malloc((kept ? kept : 1) * sizeof *out->items);
    if (!out->items) {
        free(order);
        return out_of_memory(ld);
    }
    for (size_t i = 0; i < kept; i++)
        out->items[i] = order[i]->a;
    out->count = kept;
    free(order);
    return 0;
}

int defidx_actions_parse(defidx_actions **out, const char *name, const char *csv, size_t len,
                         defidx_warnings *w, defidx_error *err)
{
    *out = NULL;
    name = name ? name : "";
    int rc = dfx_check_file_kind(name, csv, len, DEFIDX_FILE_ACTIONS, err);
    if (rc)
        return rc;
    /* Read as the price files are: text that is not UTF-8 is Windows-1252, so that a ticker such
     * as NESTLÉ is the same in both (a NUL byte is the CSV reader's error). */
    char *converted = NULL;
    size_t converted_len = 0;
    if (!memchr(csv, '\0', len) && (rc = dfx_text_to_utf8(name, csv, len, &converted, &converted_len, w, err)))
        return rc;
    if (converted) {
        rc = defidx_actions_parse(out, name, converted, converted_len, w, err); /* UTF-8 now */
        free(converted);
        return rc;
    }
    defidx_actions *a = calloc(1, sizeof *a);
    if (!a)
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    snprintf(a->source, sizeof a->source, "%s", name);
    actions_loader ld = {.name = name, .err = err};
    for (int col = 0; col < COL_COUNT; col++)
        ld.slot[col] = -1;
    /* Text with no rows, or a header alone, parses as a list of no actions (defidx_actions_load
     * still refuses a zero-byte file, as every loader does). */
    rc = dfx_csv_read(name, csv, len, 0, on_record, &ld, err);
    if (!rc)
        rc = finish(&ld, a, w);
    free(ld.rows);
    if ((rc = dfx_warnings_check(w, rc, err))) {
        defidx_actions_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

int defidx_actions_load(defidx_actions **out, const char *path, defidx_warnings *w, defidx_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    static const dfx_size_limit limit = {DEFIDX_SIDE_FILE_MAX, NULL, "the corporate-actions file", "is this the right file?", 1};
    int rc = dfx_read_file_limited(path, &limit, &data, &len, err);
    if (rc)
        return rc;
    rc = defidx_actions_parse(out, strcmp(path, "-") == 0 ? DEFIDX_STDIN_NAME : path, data, len, w, err);
    free(data);
    return rc;
}
