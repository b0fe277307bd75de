/* load_csv.c: price CSV files (long, wide and single-instrument shapes) into the panel.
 * libcsv does the quoting; it reports no positions, so the text is fed to it one physical line at
 * a time (it keeps its state across calls, so quoted newlines still work) and the start of each
 * field is found again by a small quote-aware scan of the record's own lines. */
#include "internal.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#define TICKER_MAX 63 /* defidx_member.ticker holds 63 bytes and a NUL */

enum shape { SHAPE_LONG, SHAPE_SINGLE, SHAPE_WIDE };

/* The header names the loader looks for, as indexes into csv_loader.slot. */
enum column { COL_DATE, COL_TICKER, COL_CLOSE, COL_CURRENCY, COL_SHARES, COL_FREE_FLOAT, COL_COUNT };

typedef struct field {
    size_t offset, length; /* in csv_loader.buf, where each field is followed by a NUL */
} field;

typedef struct field_pos {
    long line, column;
} field_pos;

/* Walks the text counting lines and characters, so positions cost one pass per record. */
typedef struct cursor {
    size_t at;
    long line, column;
} cursor;

typedef struct csv_loader {
    defidx_panel *panel;
    defidx_error *err;
    const char *name; /* for messages and origins */
    const char *data; /* the text after any byte-order mark */
    size_t len;
    char delim;
    int rc; /* the first error; the callbacks do nothing once it is set */
    /* the record libcsv is delivering */
    char *buf;
    size_t buf_len, buf_cap;
    field *fields;
    size_t nfields, fields_cap;
    field_pos *pos; /* pos[k]: where field k starts; pos[nfields]: where the record ends */
    size_t pos_cap;
    int open;            /* a record has started on an earlier line and not yet ended */
    size_t record_start; /* offset of the first line of the record */
    long record_line;
    /* what the header said */
    int have_header;
    int shape;
    size_t columns;
    long slot[COL_COUNT], second[COL_COUNT]; /* column of each name, and of a repeat; -1: none */
    char **names;                             /* wide: the ticker of each column */
    char *names_buf;
    char stem[TICKER_MAX + 2]; /* single-instrument: the ticker, from the file name */
} csv_loader;

/* The blanks libcsv trims around unquoted fields and that make up a blank line. CR is one, so
 * that a CRLF line end needs no special case (only LF ends a record, see is_record_end). */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* libcsv's end of a record: LF alone, as the text is fed to it one line at a time. */
static int is_record_end(unsigned char c)
{
    return c == '\n';
}

/* Formats a data error at the start of field k of the current record. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at(csv_loader *ld, size_t k, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return defidx_error_set(ld->err, DEFIDX_EDATA, ld->name, ld->pos[k].line, ld->pos[k].column,
                            "%s", message);
}

/* Fills the error for a failed allocation and returns DEFIDX_ENOMEM. */
static int out_of_memory(csv_loader *ld)
{
    return defidx_error_set(ld->err, DEFIDX_ENOMEM, ld->name, 0, 0, "out of memory");
}

/* Advances c to offset `to` and returns the position there. */
static field_pos cursor_to(const char *d, cursor *c, size_t to)
{
    for (; c->at < to; c->at++) {
        if (d[c->at] == '\n') {
            c->line++;
            c->column = 1;
        } else if ((d[c->at] & 0xC0) != 0x80) { /* characters, not UTF-8 continuation bytes */
            c->column++;
        }
    }
    return (field_pos){c->line, c->column};
}

/* Where a field that ends at i (an empty one, or the end of the record) is shown: before the CR
 * of a CRLF line end, which no editor shows as a column. */
static size_t before_cr(const char *d, size_t from, size_t i)
{
    while (i > from && d[i - 1] == '\r')
        i--;
    return i;
}

/* Finds where each field of the current record starts, the same way libcsv splits it: blanks
 * before a field are skipped, a field opening with a quote runs to its closing quote (doubled
 * quotes and newlines inside), then to the next delimiter or line end. Fills pos[0..want];
 * entries past the record's last field get the position where the record ends. */
static int locate_fields(csv_loader *ld, size_t want)
{
    if (defidx_grow((void **)&ld->pos, &ld->pos_cap, want + 1, sizeof *ld->pos))
        return out_of_memory(ld);
    const char *d = ld->data;
    size_t len = ld->len, i = ld->record_start, k = 0;
    cursor c = {ld->record_start, ld->record_line, 1};
    for (; k <= want; k++) {
        size_t begin = i;
        while (i < len && is_blank((unsigned char)d[i]) && d[i] != ld->delim)
            i++;
        ld->pos[k] = cursor_to(d, &c, i < len && d[i] != '\n' ? i : before_cr(d, begin, i));
        if (i < len && d[i] == '"') {
            for (i++; i < len && !(d[i] == '"' && (i + 1 >= len || d[i + 1] != '"')); i++)
                i += d[i] == '"'; /* a doubled quote */
            i += i < len;
        }
        while (i < len && d[i] != ld->delim && d[i] != '\n')
            i++;
        if (i >= len || d[i] == '\n')
            break;
        i++;
    }
    field_pos end = cursor_to(d, &c, before_cr(d, c.at, i));
    for (k++; k <= want; k++)
        ld->pos[k] = end;
    return 0;
}

/* Field k of the current record with surrounding blanks trimmed (libcsv trims unquoted fields
 * only) and NUL-terminated in place. */
static char *field_text(csv_loader *ld, size_t k, size_t *n)
{
    char *s = ld->buf + ld->fields[k].offset;
    size_t len = ld->fields[k].length;
    while (len && (is_blank((unsigned char)*s) || *s == '\n'))
        s++, len--;
    while (len && (is_blank((unsigned char)s[len - 1]) || s[len - 1] == '\n'))
        len--;
    s[len] = '\0';
    *n = len;
    return s;
}

/* libcsv's field callback: appends a copy of the field to the record (libcsv reuses its buffer). */
static void on_field(void *s, size_t len, void *data)
{
    csv_loader *ld = data;
    if (ld->rc)
        return;
    if (defidx_grow((void **)&ld->buf, &ld->buf_cap, ld->buf_len + len + 1, 1) ||
        defidx_grow((void **)&ld->fields, &ld->fields_cap, ld->nfields + 1, sizeof *ld->fields)) {
        ld->rc = out_of_memory(ld);
        return;
    }
    memcpy(ld->buf + ld->buf_len, s, len);
    ld->buf[ld->buf_len + len] = '\0';
    ld->fields[ld->nfields++] = (field){ld->buf_len, len};
    ld->buf_len += len + 1;
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
    for (size_t k = 0; k < ld->nfields && used + 1 < size; k++) {
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
    if (!(ld->names = calloc(ld->columns, sizeof *ld->names)) ||
        !(ld->names_buf = malloc(ld->buf_len + 1)))
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
        ld->names[k] = ld->names_buf + ld->fields[k].offset;
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
    ld->columns = ld->nfields;
    int rc = locate_fields(ld, ld->nfields);
    if (rc)
        return rc;
    for (size_t k = 0; k < ld->nfields; k++) {
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
    defidx_origin at = {ld->name, ld->pos[kc].line, ld->pos[kc].column};
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
        defidx_origin at = {ld->name, ld->pos[k].line, ld->pos[k].column};
        rc = defidx_panel_add(ld->panel, ld->names[k], date, close, NULL, NAN, NAN, &at, ld->err);
    }
    return rc;
}

/* 1 when every field of the record is empty: a line of bare delimiters carries no data, and is
 * skipped like a blank line (spreadsheets write them below the data). */
static int all_empty(csv_loader *ld)
{
    for (size_t k = 0; k < ld->nfields; k++) {
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
    size_t want = ld->nfields > ld->columns ? ld->nfields : ld->columns;
    int rc = locate_fields(ld, want);
    if (rc)
        return rc;
    if (ld->nfields != ld->columns)
        return fail_at(ld, ld->nfields > ld->columns ? ld->columns : ld->nfields,
                       "row has %zu fields, header has %zu (hint: quote a field that contains '%s')",
                       ld->nfields, ld->columns, ld->delim == '\t' ? "\\t" : (ld->delim == ';' ? ";" : ","));
    return ld->shape == SHAPE_WIDE ? read_wide_row(ld) : read_long_row(ld);
}

/* libcsv's record callback: the header first, then data rows. */
static void on_record(int c, void *data)
{
    csv_loader *ld = data;
    (void)c;
    if (!ld->rc && ld->have_header)
        ld->rc = read_row(ld);
    else if (!ld->rc && !all_empty(ld)) {
        ld->rc = read_header(ld);
        ld->have_header = 1;
    }
    ld->nfields = ld->buf_len = 0;
    ld->open = 0;
}

/* Picks the delimiter from the header line: the most frequent of ',', ';' and TAB outside
 * quotes; ',' when there is none (a one-column file). */
static char sniff_delimiter(const char *d, size_t len)
{
    size_t commas = 0, semicolons = 0, tabs = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && d[i] != '\n'; i++) {
        quoted ^= d[i] == '"';
        if (!quoted) {
            commas += d[i] == ',';
            semicolons += d[i] == ';';
            tabs += d[i] == '\t';
        }
    }
    if (semicolons > commas && semicolons >= tabs)
        return ';';
    return tabs > commas ? '\t' : ',';
}

/* 1 when the line at d (up to its LF) is blank to libcsv, which then delivers no record. */
static int blank_line(const char *d, size_t n, char delim)
{
    for (size_t i = 0; i < n && d[i] != '\n'; i++)
        if (!is_blank((unsigned char)d[i]) || d[i] == delim)
            return 0;
    return 1;
}

/* Feeds libcsv one line at a time, noting where each record starts. */
static int feed_lines(csv_loader *ld, struct csv_parser *parser)
{
    long line = 1;
    for (size_t at = 0; at < ld->len && !ld->rc; line++) {
        const char *lf = memchr(ld->data + at, '\n', ld->len - at);
        size_t n = lf ? (size_t)(lf - ld->data) + 1 - at : ld->len - at;
        if (!ld->open && !blank_line(ld->data + at, n, ld->delim)) {
            ld->open = 1;
            ld->record_start = at;
            ld->record_line = line;
        }
        size_t used = csv_parse(parser, ld->data + at, n, on_field, on_record, ld);
        if (ld->rc)
            break;
        if (used < n && csv_error(parser) == CSV_EPARSE) {
            if ((ld->rc = locate_fields(ld, ld->nfields)) == 0)
                ld->rc = fail_at(ld, ld->nfields, "misplaced quote (hint: a field with quotes in it must be enclosed in quotes, and each of its quotes doubled)");
        } else if (used < n) {
            ld->rc = out_of_memory(ld);
        }
        at += n;
    }
    if (!ld->rc && csv_fini(parser, on_field, on_record, ld) != 0 && !ld->rc &&
        (ld->rc = locate_fields(ld, ld->nfields)) == 0)
        ld->rc = fail_at(ld, ld->nfields, "unterminated quoted field (hint: the quote opened here is never closed)");
    return ld->rc;
}

int defidx_load_csv(defidx_panel *p, const char *name, const char *data, size_t len,
                    defidx_warnings *w, defidx_error *err)
{
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0))
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1,
                                "the file is UTF-16 text (hint: save it as UTF-8 CSV)");
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3; /* positions are counted after the mark, as editors show them */
    (void)w; /* nothing in a CSV file is worth a warning yet; duplicates are the panel's */
    csv_loader ld = {.panel = p, .err = err, .name = name ? name : "", .data = data,
                     .len = len, .record_line = 1};
    for (int col = 0; col < COL_COUNT; col++)
        ld.slot[col] = ld.second[col] = -1;
    size_t skip = 0;
    while (skip < len && (is_blank((unsigned char)data[skip]) || data[skip] == '\n'))
        skip++;
    ld.delim = sniff_delimiter(data + skip, len - skip);
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return out_of_memory(&ld);
    csv_set_delim(&parser, (unsigned char)ld.delim);
    csv_set_space_func(&parser, is_blank);
    csv_set_term_func(&parser, is_record_end);
    int rc = feed_lines(&ld, &parser);
    csv_free(&parser);
    if (!rc && !ld.have_header)
        rc = defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "%s is empty", ld.name);
    free(ld.buf);
    free(ld.fields);
    free(ld.pos);
    free(ld.names);
    free(ld.names_buf);
    return rc;
}
