/* load_csv.c: price CSV files (long, wide and single-instrument shapes) into the panel, record by
 * record from the CSV reader, which gives each field its position for messages and origins. */
#include "csv_reader.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define TICKER_MAX 63 /* defidx_member.ticker holds 63 bytes and a NUL */

enum shape { SHAPE_LONG, SHAPE_SINGLE, SHAPE_WIDE };

/* The header names the loader looks for, as indexes into csv_loader.slot. */
enum column { COL_DATE, COL_TICKER, COL_CLOSE, COL_CURRENCY, COL_SHARES, COL_FREE_FLOAT, COL_COUNT };

typedef struct csv_loader {
    defidx_panel *panel;
    defidx_error *err;
    const char *name; /* for messages and origins */
    char delim;
    defidx_csv_record *rec; /* the record being read; rec->fields[rec->count]: where it ends */
    /* what the header said */
    int have_header;
    int shape;
    size_t columns;
    long slot[COL_COUNT], second[COL_COUNT]; /* column of each name, and of a repeat; -1: none */
    char **names;                             /* wide: the ticker of each column */
    char *names_buf;
    char stem[TICKER_MAX + 2]; /* single-instrument: the ticker, from the file name */
} csv_loader;

/* The blanks trimmed from a field's text: the CSV reader's (space, TAB, CR), which it leaves
 * inside quotes, and LF, which only a quoted field holds. */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Formats a data error at the start of field k of the current record. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at(csv_loader *ld, size_t k, const char *fmt, ...)
{
    const defidx_csv_field *f = &ld->rec->fields[k];
    va_list ap;
    va_start(ap, fmt);
    int rc = defidx_error_vset(ld->err, DEFIDX_EDATA, ld->name, f->line, f->column, fmt, ap);
    va_end(ap);
    return rc;
}

/* Fills the error for a failed allocation and returns DEFIDX_ENOMEM. */
static int out_of_memory(csv_loader *ld)
{
    return defidx_error_set(ld->err, DEFIDX_ENOMEM, ld->name, 0, 0, "out of memory");
}

/* Field k of the current record with surrounding blanks trimmed (the reader trims unquoted
 * fields only) and NUL-terminated in place. */
static char *field_text(csv_loader *ld, size_t k, size_t *n)
{
    char *s = ld->rec->fields[k].text;
    size_t len = ld->rec->fields[k].len;
    while (len && is_blank((unsigned char)*s))
        s++, len--;
    while (len && is_blank((unsigned char)s[len - 1]))
        len--;
    s[len] = '\0';
    ld->rec->fields[k].text = s; /* trimmed once: a second call must find the same text */
    ld->rec->fields[k].len = len;
    *n = len;
    return s;
}

/* Which of the names the loader knows a header cell is, or -1. */
static int column_of(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int column;
    } known[] = {{"date", COL_DATE},         {"ticker", COL_TICKER},     {"symbol", COL_TICKER},
                 {"close", COL_CLOSE},       {"price", COL_CLOSE},       {"currency", COL_CURRENCY},
                 {"shares", COL_SHARES},     {"free_float", COL_FREE_FLOAT}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (defidx_ascii_ieq(s, n, known[i].name))
            return known[i].column;
    return -1;
}

/* Lists the header's names for a message: "Open, High, Low". */
static void list_columns(csv_loader *ld, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < ld->rec->count && used + 1 < size; k++) {
        size_t n;
        const char *s = field_text(ld, k, &n);
        int wrote = snprintf(out + used, size - used, "%s%s", k ? ", " : "", n ? s : "(empty)");
        if (wrote < 0)
            break;
        used += (size_t)wrote;
    }
}

/* A file read from standard input has no name to take a ticker from. */
static int has_no_name(const char *name)
{
    return !name || !*name || strcmp(name, "-") == 0 || strcmp(name, "<stdin>") == 0;
}

/* Wide shape: keeps each column's ticker, since the header record's buffer is reused. A column
 * without a name gets "", and any value under it is an error (a trailing delimiter is fine). */
static int keep_tickers(csv_loader *ld)
{
    size_t bytes = 1, at = 0;
    for (size_t k = 0; k < ld->columns; k++)
        bytes += ld->rec->fields[k].len + 1;
    if (!(ld->names = calloc(ld->columns, sizeof *ld->names)) || !(ld->names_buf = malloc(bytes)))
        return out_of_memory(ld);
    size_t tickers = 0;
    for (size_t k = 0; k < ld->columns; k++) {
        size_t n;
        const char *s = field_text(ld, k, &n);
        if ((long)k == ld->slot[COL_DATE])
            n = 0;
        if (n > TICKER_MAX)
            return fail_at(ld, k, "ticker '%.40s...' is longer than %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                           s, TICKER_MAX);
        ld->names[k] = ld->names_buf + at;
        at += ld->rec->fields[k].len + 1;
        memcpy(ld->names[k], s, n);
        ld->names[k][n] = '\0';
        tickers += n > 0;
    }
    if (tickers == 0) {
        char found[400];
        list_columns(ld, found, sizeof found);
        return fail_at(ld, 0, "no price columns in the header (found: %s) (hint: add a ticker column and a close column, or one column per ticker)",
                       found);
    }
    return 0;
}

/* Single-instrument shape: the ticker is the file's name without directory and extension. */
static int ticker_from_name(csv_loader *ld)
{
    if (has_no_name(ld->name))
        return fail_at(ld, 0, "a file without a ticker column names its ticker by its file name, and standard input has none (hint: use the long format date,ticker,close, or read the file by its name)");
    defidx_path_stem(ld->name, ld->stem, sizeof ld->stem);
    if (!ld->stem[0] || strlen(ld->stem) > TICKER_MAX)
        return fail_at(ld, 0, "file name '%s' does not give a ticker of 1 to %d bytes (hint: name the file TICKER.csv, or add a ticker column)",
                       ld->name, TICKER_MAX);
    return 0;
}

/* Reads the header: finds the known columns and decides the shape. */
static int read_header(csv_loader *ld)
{
    ld->columns = ld->rec->count;
    for (size_t k = 0; k < ld->columns; k++) {
        size_t n;
        const char *s = field_text(ld, k, &n);
        int col = column_of(s, n);
        if (col < 0)
            continue;
        if (ld->slot[col] < 0)
            ld->slot[col] = (long)k;
        else if (ld->second[col] < 0)
            ld->second[col] = (long)k;
    }
    if (ld->slot[COL_DATE] < 0) {
        char found[400];
        list_columns(ld, found, sizeof found);
        return fail_at(ld, 0, "no date column in the header (found: %s) (hint: the first line must name the columns, one of them 'date')",
                       found);
    }
    ld->shape = ld->slot[COL_TICKER] >= 0  ? SHAPE_LONG
                : ld->slot[COL_CLOSE] >= 0 ? SHAPE_SINGLE
                                           : SHAPE_WIDE;
    for (int col = 0; col < COL_COUNT; col++) {
        if (ld->second[col] >= 0 && (ld->shape != SHAPE_WIDE || col == COL_DATE)) {
            size_t n, first = (size_t)ld->slot[col];
            const char *s = field_text(ld, (size_t)ld->second[col], &n);
            return fail_at(ld, (size_t)ld->second[col],
                           "column '%s' repeats the meaning of column %zu (hint: keep one of them, or rename the other)",
                           s, first + 1);
        }
    }
    if (ld->shape == SHAPE_LONG && ld->slot[COL_CLOSE] < 0)
        return fail_at(ld, 0, "no close column in the header (hint: a CSV with a ticker column needs date, ticker and close columns)");
    if (ld->shape == SHAPE_WIDE)
        return keep_tickers(ld);
    if (ld->shape == SHAPE_SINGLE)
        return ticker_from_name(ld);
    return 0;
}

/* Reads the date in field k. */
static int read_date(csv_loader *ld, size_t k, int32_t *out)
{
    size_t n;
    const char *s = field_text(ld, k, &n);
    defidx_error why;
    if (defidx_date_parse(s, n, out, &why) == 0)
        return 0;
    return fail_at(ld, k, "%s (hint: dates are real days written YYYY-MM-DD, such as 2025-02-18)",
                   why.message);
}

/* 1 when s is how a spreadsheet or a language writes infinity or not-a-number. */
static int is_non_finite_text(const char *s, size_t n)
{
    if (n && (*s == '+' || *s == '-'))
        s++, n--;
    return defidx_ascii_ieq(s, n, "nan") || defidx_ascii_ieq(s, n, "inf") ||
           defidx_ascii_ieq(s, n, "infinity");
}

/* How messages name a value: "close", or "price of BA.L" in a wide file (where `of` is the
 * column's ticker). Only formatted when there is an error to report. */
static const char *label(char *buf, size_t size, const char *what, const char *of)
{
    if (!of)
        return what;
    snprintf(buf, size, "%s of %s", what, of);
    return buf;
}

/* Reads field k as a number into *out; what (of) names it in messages. An empty cell, "null"
 * (Yahoo's missing day) and "N/A" are missing values: *out is NAN. With ';' as the delimiter the
 * decimal mark may be a comma ("784,20"). The caller checks the range. */
static int read_number(csv_loader *ld, size_t k, const char *what, const char *of, double *out)
{
    size_t n;
    const char *s = field_text(ld, k, &n);
    if (n == 0 || defidx_ascii_ieq(s, n, "null") || defidx_ascii_ieq(s, n, "n/a")) {
        *out = NAN;
        return 0;
    }
    char text[64];
    const char *parse = s;
    if (ld->delim == ';' && n < sizeof text && memchr(s, ',', n)) {
        for (size_t i = 0; i < n; i++)
            text[i] = s[i] == ',' ? '.' : s[i];
        parse = text;
    }
    int bad = defidx_number_parse(parse, n, out) != 0;
    char name[TICKER_MAX + 16];
    if (is_non_finite_text(s, n) || (!bad && !isfinite(*out)))
        return fail_at(ld, k, "%s '%.40s' is not a finite number (hint: leave the cell empty, or write null, for a missing value)",
                       label(name, sizeof name, what, of), s);
    if (bad)
        return fail_at(ld, k, "%s '%.40s' is not a number (hint: write digits with '.' as the decimal mark, such as 784.20)",
                       label(name, sizeof name, what, of), s);
    return 0;
}

/* Reads a price: a missing one is NAN, a present one must be above zero. */
static int read_price(csv_loader *ld, size_t k, const char *what, const char *of, double *out)
{
    int rc = read_number(ld, k, what, of, out);
    char name[TICKER_MAX + 16];
    if (rc == 0 && *out <= 0)
        return fail_at(ld, k, "%s %.10g is not positive (hint: prices are above 0; leave the cell empty for a missing price)",
                       label(name, sizeof name, what, of), *out);
    return rc;
}

/* Reads the optional shares and free float of a long or single-instrument row. */
static int read_holdings(csv_loader *ld, double *shares, double *free_float)
{
    *shares = *free_float = NAN;
    long ks = ld->slot[COL_SHARES], kf = ld->slot[COL_FREE_FLOAT];
    int rc;
    if (ks >= 0 && (rc = read_number(ld, (size_t)ks, "shares", NULL, shares)))
        return rc;
    if (ks >= 0 && *shares <= 0)
        return fail_at(ld, (size_t)ks, "shares %.10g is not positive (hint: the number of shares outstanding, or an empty cell)",
                       *shares);
    if (kf >= 0 && (rc = read_number(ld, (size_t)kf, "free_float", NULL, free_float)))
        return rc;
    if (kf >= 0 && (*free_float <= 0 || *free_float > 1))
        return fail_at(ld, (size_t)kf, "free_float %.10g is outside (0, 1] (hint: free float is a fraction: 0.8 for 80%%)",
                       *free_float);
    return 0;
}

/* A long row (date, ticker, close, ...) or a single-instrument row (its ticker is the file's). */
static int read_long_row(csv_loader *ld)
{
    const char *ticker = ld->stem;
    size_t n;
    if (ld->shape == SHAPE_LONG) {
        size_t kt = (size_t)ld->slot[COL_TICKER];
        ticker = field_text(ld, kt, &n);
        if (n == 0)
            return fail_at(ld, kt, "empty ticker (hint: every row needs a ticker, such as RHM.DE)");
        if (n > TICKER_MAX)
            return fail_at(ld, kt, "ticker '%.40s...' is longer than %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                           ticker, TICKER_MAX);
    }
    int32_t date;
    double close, shares, free_float;
    size_t kc = (size_t)ld->slot[COL_CLOSE];
    int rc;
    if ((rc = read_date(ld, (size_t)ld->slot[COL_DATE], &date)) ||
        (rc = read_price(ld, kc, "close", NULL, &close)) || (rc = read_holdings(ld, &shares, &free_float)))
        return rc;
    const char *currency = NULL;
    if (ld->slot[COL_CURRENCY] >= 0) {
        currency = field_text(ld, (size_t)ld->slot[COL_CURRENCY], &n);
        currency = n ? currency : NULL;
    }
    defidx_origin at = {ld->name, ld->rec->fields[kc].line, ld->rec->fields[kc].column};
    return defidx_panel_add(ld->panel, ticker, date, close, currency, shares, free_float, &at, ld->err);
}

/* A wide row: a date, then one price per ticker column. */
static int read_wide_row(csv_loader *ld)
{
    int32_t date;
    int rc = read_date(ld, (size_t)ld->slot[COL_DATE], &date);
    for (size_t k = 0; !rc && k < ld->columns; k++) {
        if ((long)k == ld->slot[COL_DATE])
            continue;
        size_t n;
        double close;
        if (!ld->names[k][0]) {
            if (field_text(ld, k, &n), n)
                rc = fail_at(ld, k, "a value in column %zu, which has no name in the header (hint: name the column by its ticker)",
                             k + 1);
            continue;
        }
        if ((rc = read_price(ld, k, "price", ld->names[k], &close)))
            break;
        defidx_origin at = {ld->name, ld->rec->fields[k].line, ld->rec->fields[k].column};
        rc = defidx_panel_add(ld->panel, ld->names[k], date, close, NULL, NAN, NAN, &at, ld->err);
    }
    return rc;
}

/* 1 when every field of the record is empty: a line of bare delimiters carries no data, and is
 * skipped like a blank line (spreadsheets write them below the data). */
static int all_empty(csv_loader *ld)
{
    for (size_t k = 0; k < ld->rec->count; k++) {
        size_t n;
        field_text(ld, k, &n);
        if (n)
            return 0;
    }
    return 1;
}

/* Reads one data record: checks its width, then reads it by the file's shape. */
static int read_row(csv_loader *ld)
{
    if (all_empty(ld))
        return 0;
    size_t count = ld->rec->count;
    if (count != ld->columns)
        return fail_at(ld, count > ld->columns ? ld->columns : count,
                       "row has %zu fields, header has %zu (hint: quote a field that contains '%s')",
                       count, ld->columns, ld->delim == '\t' ? "\\t" : (ld->delim == ';' ? ";" : ","));
    return ld->shape == SHAPE_WIDE ? read_wide_row(ld) : read_long_row(ld);
}

/* The CSV reader's callback: the header first (past records of empty fields), then data rows. */
static int on_record(defidx_csv_record *rec, void *ctx, defidx_error *err)
{
    csv_loader *ld = ctx;
    (void)err; /* the same as ld->err */
    ld->rec = rec;
    ld->delim = rec->delim;
    if (ld->have_header)
        return read_row(ld);
    if (all_empty(ld))
        return 0;
    ld->have_header = 1;
    return read_header(ld);
}

int defidx_load_csv(defidx_panel *p, const char *name, const char *data, size_t len,
                    defidx_warnings *w, defidx_error *err)
{
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0))
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1,
                                "the file is UTF-16 text (hint: save it as UTF-8 CSV)");
    (void)w; /* nothing in a CSV file is worth a warning yet; duplicates are the panel's */
    csv_loader ld = {.panel = p, .err = err, .name = name ? name : ""};
    for (int col = 0; col < COL_COUNT; col++)
        ld.slot[col] = ld.second[col] = -1;
    int rc = defidx_csv_read(ld.name, data, len, 0, on_record, &ld, err);
    if (!rc && !ld.have_header)
        rc = defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "%s is empty", ld.name);
    free(ld.names);
    free(ld.names_buf);
    return rc;
}
