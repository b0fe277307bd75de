/* load_csv.c: price CSV files into the panel: defidx's own long and wide shapes and the downloads
 * people have (Yahoo, stooq, ECB, STOXX, ariva.de, Investing.com), recognised by their header.
 * The CSV reader gives each record with the position of every field for messages and origins.
 * The date format and the decimal mark are decided per file from its cells, not guessed from the
 * first row: rows are kept until both are decided (at once in the usual file), then read. */
#include "load/csv_reader.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define TICKER_MAX 63 /* defidx_member.ticker holds 63 bytes and a NUL */

enum shape { SHAPE_LONG, SHAPE_SINGLE, SHAPE_WIDE };

/* The header names the loader looks for, as indexes into csv_loader.slot. */
enum column {
    COL_DATE, COL_TICKER, COL_CLOSE, COL_ADJ_CLOSE, COL_CURRENCY, COL_SHARES, COL_FREE_FLOAT,
    COL_COUNT
};

/* The date formats a file may use. Only DD/MM/YYYY and MM/DD/YYYY can both read one cell; every
 * other pair excludes each other, so one cell that fits a single format decides the file. */
enum date_format {
    DF_ISO, DF_COMPACT, DF_DOTTED, DF_YMD_SLASH, DF_DMY_SLASH, DF_MDY_SLASH, DF_MONTH_NAME,
    DF_COUNT,
    DF_GIVEN = DF_COUNT /* the caller's opt->date_format */
};

static const struct {
    const char *fmt;   /* for defidx_date_parse_format */
    const char *shown; /* for messages */
} date_formats[DF_COUNT] = {
    {"%Y-%m-%d", "YYYY-MM-DD"}, {"%Y%m%d", "YYYYMMDD"},     {"%d.%m.%Y", "DD.MM.YYYY"},
    {"%Y/%m/%d", "YYYY/MM/DD"}, {"%d/%m/%Y", "DD/MM/YYYY"}, {"%m/%d/%Y", "MM/DD/YYYY"},
    {"%b %d, %Y", "Mon DD, YYYY"}};

#define ALL_DATE_FORMATS ((1u << DF_COUNT) - 1)
#define DAY_OR_MONTH_FIRST ((1u << DF_DMY_SLASH) | (1u << DF_MDY_SLASH))

/* The readings of a number's separators (mark_fits). */
enum { MARK_DOT = 1, MARK_COMMA = 2 };

/* A record kept until the date format and decimal mark are decided: its fields (and the end entry)
 * with their texts in the same allocation. */
typedef struct kept_record {
    dfx_csv_field *fields;
    size_t count;
    long line;
    int unended;
} kept_record;

typedef struct csv_loader {
    defidx_panel *panel;
    defidx_error *err;
    const char *name; /* for messages and origins */
    const defidx_load_options *opt; /* never NULL */
    defidx_warnings *w;
    char delim;
    dfx_csv_record *rec; /* the record being read; rec->fields[rec->count]: where it ends */
    /* what the header said */
    int have_header;
    int shape;
    size_t columns;
    long slot[COL_COUNT], second[COL_COUNT]; /* column of each name, and of a repeat; -1: none */
    int rank[COL_COUNT];                      /* how the name in slot was matched (column_of) */
    long price;                               /* the column read as the price: Close or Adj Close */
    int header_ends_empty;                    /* the header's last name is empty (a trailing ';') */
    int rows_end_empty;                       /* -1 until the first row: rows end with a delimiter */
    char **names;                             /* wide: the ticker of each column */
    char *names_buf;
    char stem[TICKER_MAX + 2]; /* single-instrument: the ticker, from the options or file name */
    /* what the cells said so far */
    int date_format;     /* enum date_format, or -1 while undecided */
    unsigned date_fits;  /* the formats every date cell fits (a cell that fits none is left out) */
    char mark;           /* the decimal mark, 0 while undecided */
    long first_date_line, first_date_column;
    char first_date[24];
    long ambiguous_line, ambiguous_column; /* the first price whose mark is ambiguous; 0: none */
    long mixed_line, mixed_column;         /* the first date that fits none of the file's formats */
    char mixed[48];
    char ambiguous[24];
    kept_record *kept;
    size_t kept_count, kept_cap;
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
    const dfx_csv_field *f = &ld->rec->fields[k];
    va_list ap;
    va_start(ap, fmt);
    int rc = dfx_error_vset(ld->err, DEFIDX_EDATA, ld->name, f->line, f->column, fmt, ap);
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

/* Which of the names the loader knows a header cell is, or -1; *rank receives 0 for defidx's own
 * names (docs/formats.md "Price files") and 1 for other sites' names (stooq's Polish, German
 * brokers', STOXX's). Own names win over the others, so that "Datum;Date;..." reads Date and ignores Datum, while
 * two own names of one meaning ("close,price") are still a conflict. */
static int column_of(const char *s, size_t n, int *rank)
{
    static const struct {
        const char *name;
        int column, rank;
    } known[] = {{"date", COL_DATE, 0},           {"ticker", COL_TICKER, 0},
                 {"symbol", COL_TICKER, 0},       {"close", COL_CLOSE, 0},
                 {"price", COL_CLOSE, 0},         {"adj close", COL_ADJ_CLOSE, 0},
                 {"adj_close", COL_ADJ_CLOSE, 0}, {"adj. close", COL_ADJ_CLOSE, 0},
                 {"currency", COL_CURRENCY, 0},   {"shares", COL_SHARES, 0},
                 {"free_float", COL_FREE_FLOAT, 0},
                 {"datum", COL_DATE, 1},          {"data", COL_DATE, 1},
                 {"zamkniecie", COL_CLOSE, 1},    {"zamkni\xC4\x99" "cie", COL_CLOSE, 1},
                 {"schlusskurs", COL_CLOSE, 1},   {"schluss", COL_CLOSE, 1},
                 {"kurs", COL_CLOSE, 1},          {"indexvalue", COL_CLOSE, 1}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (dfx_ascii_ieq(s, n, known[i].name)) {
            *rank = known[i].rank;
            return known[i].column;
        }
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
    return !name || !*name || strcmp(name, "-") == 0 || strcmp(name, DEFIDX_STDIN_NAME) == 0;
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
            return fail_at(ld, k, "ticker '%.40s...' is longer than the limit of %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                           s, TICKER_MAX);
        if (n > 0 && ++tickers > (size_t)DEFIDX_TICKERS_MAX)
            return fail_at(ld, k, "the header names more tickers than the limit of %ld (hint: split the file, and compute an index from the tickers it needs)",
                           DEFIDX_TICKERS_MAX);
        ld->names[k] = ld->names_buf + at;
        at += ld->rec->fields[k].len + 1;
        memcpy(ld->names[k], s, n);
        ld->names[k][n] = '\0';
    }
    if (tickers == 0) {
        char found[400];
        list_columns(ld, found, sizeof found);
        return fail_at(ld, 0, "no price columns in the header (found: %s) (hint: add a ticker column and a close column, or one column per ticker)",
                       found);
    }
    return 0;
}

/* Single-instrument shape: the ticker is the caller's (opt->ticker), else the file's name without
 * directory and extension. */
static int ticker_from_name(csv_loader *ld)
{
    if (ld->opt->ticker) {
        if (!ld->opt->ticker[0] || strlen(ld->opt->ticker) > TICKER_MAX)
            return defidx_error_set(ld->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "ticker '%.40s' is not 1 to %d bytes long", ld->opt->ticker, TICKER_MAX);
        memcpy(ld->stem, ld->opt->ticker, strlen(ld->opt->ticker) + 1);
        return 0;
    }
    if (has_no_name(ld->name))
        return fail_at(ld, 0, "a file without a ticker column names its ticker by its file name, and standard input has none (hint: pass --ticker SYM)");
    dfx_path_stem(ld->name, ld->stem, sizeof ld->stem);
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
        ld->header_ends_empty = n == 0;
        int rank, col = column_of(s, n, &rank);
        if (col < 0)
            continue;
        if (ld->slot[col] < 0 || rank < ld->rank[col]) {
            ld->slot[col] = (long)k;
            ld->rank[col] = rank;
        } else if (rank == ld->rank[col] && ld->second[col] < 0) {
            ld->second[col] = (long)k;
        }
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
    ld->price = ld->slot[COL_CLOSE];
    if (ld->opt->price_field == DEFIDX_FIELD_ADJ_CLOSE) {
        if (ld->slot[COL_ADJ_CLOSE] < 0) {
            char found[400];
            list_columns(ld, found, sizeof found);
            return fail_at(ld, 0, "adjusted closes were asked for, and the header has no Adj Close column (found: %s) (hint: drop --price-field adj_close for this file)",
                           found);
        }
        ld->price = ld->slot[COL_ADJ_CLOSE];
    }
    if (ld->shape == SHAPE_SINGLE)
        return ticker_from_name(ld);
    if (ld->opt->ticker) /* as the JSON loader says it */
        defidx_warn(ld->w, ld->name, 0, 0, "the ticker option is not used: this file names its tickers");
    return ld->shape == SHAPE_WIDE ? keep_tickers(ld) : 0;
}

/* The formats of date_formats that text (n bytes) is a real date in, as a bit mask. YYYYMMDD must
 * be 8 digits: %m and %d also take one digit. */
static unsigned date_fits(const char *s, size_t n)
{
    unsigned fits = 0;
    int32_t day;
    if (defidx_date_parse(s, n, &day, NULL) == 0)
        return 1u << DF_ISO; /* the usual case, and no other format reads it */
    for (int f = DF_ISO + 1; f < DF_COUNT; f++)
        if ((f != DF_COMPACT || n == 8) && defidx_date_parse_format(s, n, date_formats[f].fmt, &day) == 0)
            fits |= 1u << f;
    return fits;
}

/* Reads the date in field k, in the file's format (decided before any row is read). */
static int read_date(csv_loader *ld, size_t k, int32_t *out)
{
    size_t n;
    const char *s = field_text(ld, k, &n);
    int f = ld->date_format;
    if (f == DF_ISO) {
        defidx_error why;
        if (defidx_date_parse(s, n, out, &why) == 0)
            return 0;
        return fail_at(ld, k, "%s (hint: dates are real days written YYYY-MM-DD, such as 2025-02-18)",
                       why.message);
    }
    if (f == DF_GIVEN) {
        if (defidx_date_parse_format(s, n, ld->opt->date_format, out) == 0)
            return 0;
        return fail_at(ld, k, "'%.40s' is not a real date in the format '%s' (hint: check --date-format; %%y reads 00-26 as 2000-2026 and 50-99 as 1950-1999, %%Y any year)",
                       s, ld->opt->date_format);
    }
    if ((f != DF_COMPACT || n == 8) && defidx_date_parse_format(s, n, date_formats[f].fmt, out) == 0)
        return 0;
    return fail_at(ld, k, "'%.40s' is not a real date written %s, as the file's other dates are (hint: write every date of a file the same way)",
                   s, date_formats[f].shown);
}

/* 1 when s (n bytes) reads as a number with decimal mark `mark` and the other of '.' and ',' as
 * thousands separator: [sign] digits in groups (the first of 1 to 3 digits, not starting with 0,
 * the others of exactly 3), then at most one mark followed by digits. Anything else (an exponent,
 * letters) is not such a number; the number parser judges it. */
static int reads_with_mark(const char *s, size_t n, char mark)
{
    const char thousands = mark == '.' ? ',' : '.';
    size_t i = 0, run = 0, groups = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t start = i;
    for (; i < n && s[i] != mark; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            run++;
        } else if (s[i] == thousands) {
            if (groups == 0 ? run == 0 || run > 3 || s[start] == '0' : run != 3)
                return 0;
            groups++;
            run = 0;
        } else {
            return 0;
        }
    }
    if ((groups && run != 3) || (!groups && !run))
        return 0;
    if (i == n)
        return 1;
    size_t decimals = 0;
    for (i++; i < n; i++, decimals++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return decimals > 0;
}

/* What a price cell says about the decimal mark: 0 nothing (no separator, or not a number either
 * way), MARK_DOT or MARK_COMMA when only that reading works ("1.5", "1,234,567", "1.234,5"), both
 * when either does ("1,234", "1.234": a thousands separator or a decimal mark). */
static int mark_fits(const char *s, size_t n)
{
    if (!memchr(s, '.', n) && !memchr(s, ',', n))
        return 0;
    return (reads_with_mark(s, n, '.') ? MARK_DOT : 0) | (reads_with_mark(s, n, ',') ? MARK_COMMA : 0);
}

/* 1 when s is how a spreadsheet or a language writes infinity. */
static int is_non_finite_text(const char *s, size_t n)
{
    if (n && (*s == '+' || *s == '-'))
        s++, n--;
    return dfx_ascii_ieq(s, n, "nan") || dfx_ascii_ieq(s, n, "inf") ||
           dfx_ascii_ieq(s, n, "infinity");
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

/* Reads field k as a number into *out; what (of) names it in messages. A missing marker
 * (dfx_missing_marker) is NAN. The file's decimal mark applies, and the other of '.' and ',' may group
 * thousands ("1.234,56" with ','). The caller checks the range. */
static int read_number(csv_loader *ld, size_t k, const char *what, const char *of, double *out)
{
    size_t n;
    const char *s = field_text(ld, k, &n);
    if (dfx_missing_marker(s, n)) {
        *out = NAN;
        return 0;
    }
    char text[128];
    const char *parse = s;
    size_t len = n;
    int bad = 0;
    if (ld->mark == ',' ? memchr(s, ',', n) || memchr(s, '.', n) : memchr(s, ',', n) != NULL) {
        /* separators to take out: only a well-grouped number, and a short one, is rewritten */
        bad = n >= sizeof text || !reads_with_mark(s, n, ld->mark);
        len = 0;
        for (size_t i = 0; !bad && i < n; i++)
            if (s[i] == ld->mark)
                text[len++] = '.';
            else if (s[i] != ',' && s[i] != '.')
                text[len++] = s[i];
        parse = text;
    }
    bad = bad || defidx_number_parse(parse, len, out) != 0;
    char name[TICKER_MAX + 16];
    if (is_non_finite_text(s, n))
        return fail_at(ld, k, "%s '%.40s' is not a finite number (hint: leave the cell empty, or write null, for a missing value)",
                       label(name, sizeof name, what, of), s);
    if (!bad && !isfinite(*out))
        return fail_at(ld, k, "%s '%.40s%s' is out of range (hint: " DEFIDX_NUMBER_RANGE_HINT ")",
                       label(name, sizeof name, what, of), s, n > 40 ? "..." : "");
    if (bad)
        return fail_at(ld, k, "%s '%.40s' is not a number (hint: write digits with '%c' as the decimal mark, such as %s)",
                       label(name, sizeof name, what, of), s, ld->mark == ',' ? ',' : '.', ld->mark == ',' ? "784,20" : "784.20");
    return 0;
}

/* Reads a price: a missing one is NAN, a present one must be within DEFIDX_PRICE_MIN..MAX. */
static int read_price(csv_loader *ld, size_t k, const char *what, const char *of, double *out)
{
    int rc = read_number(ld, k, what, of, out);
    char name[TICKER_MAX + 16];
    if (rc == 0 && *out <= 0)
        return fail_at(ld, k, "%s %.10g is not positive (hint: prices are above 0; leave the cell empty for a missing price)",
                       label(name, sizeof name, what, of), *out);
    if (rc == 0 && !isnan(*out) && !(*out >= DEFIDX_PRICE_MIN && *out <= DEFIDX_PRICE_MAX))
        return fail_at(ld, k, "%s %.10g is outside the range of prices, " DEFIDX_PRICE_RANGE " (hint: a close in its quote currency; leave the cell empty for a missing price)",
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
            return fail_at(ld, kt, "ticker '%.40s...' is longer than the limit of %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                           ticker, TICKER_MAX);
    }
    int32_t date;
    double close, shares, free_float;
    size_t kc = (size_t)ld->price;
    int rc;
    if ((rc = read_date(ld, (size_t)ld->slot[COL_DATE], &date)) ||
        (rc = read_price(ld, kc, "close", NULL, &close)) || (rc = read_holdings(ld, &shares, &free_float)))
        return rc;
    const char *currency = NULL;
    if (ld->slot[COL_CURRENCY] >= 0) {
        size_t kq = (size_t)ld->slot[COL_CURRENCY];
        char iso[4];
        double unit;
        currency = field_text(ld, kq, &n);
        currency = n ? currency : NULL;
        if (currency && defidx_currency_unit(currency, iso, &unit))
            return fail_at(ld, kq, "currency '%.40s' is not a currency code (hint: an ISO code such as EUR, or GBX for pence)",
                           currency);
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

/* 1 when the record's width is the header's, or off by one trailing empty field: STOXX and
 * spreadsheets end rows, or the header only, with a delimiter. */
static int width_fits(csv_loader *ld)
{
    size_t count = ld->rec->count, n;
    int trailing = count == ld->columns + 1 && (field_text(ld, count - 1, &n), n == 0);
    if (count != ld->columns && !trailing)
        return count + 1 == ld->columns && ld->header_ends_empty;
    /* Rows end with a delimiter all or none: a row that alone has one more field more likely
     * split a value ("1,5" in a comma file) than ended with a delimiter. */
    if (ld->rows_end_empty < 0)
        ld->rows_end_empty = trailing;
    return trailing == ld->rows_end_empty;
}

/* Reads one data record: checks its width, then reads it by the file's shape. */
static int read_row(csv_loader *ld)
{
    size_t count = ld->rec->count;
    size_t n;
    int trailing = count == ld->columns + 1 && (field_text(ld, count - 1, &n), n == 0);
    if (!width_fits(ld) && ((count == ld->columns && ld->rows_end_empty == 1) || (trailing && ld->rows_end_empty == 0)))
        return fail_at(ld, ld->columns - 1,
                       "this row %s with an empty field after the last column, unlike the rows before it (hint: a value holding the delimiter, such as 1,5, must be quoted)",
                       ld->rows_end_empty ? "does not end" : "ends");
    if (!width_fits(ld) && count < ld->columns && ld->rec->unended)
        return fail_at(ld, count,
                       "row has %zu fields, header has %zu, and the file ends in it without a line end (hint: the file looks cut short: download or save it again)",
                       count, ld->columns);
    if (!width_fits(ld))
        return fail_at(ld, count > ld->columns ? ld->columns : count,
                       "row has %zu fields, header has %zu (hint: quote a field that contains '%s')",
                       count, ld->columns, ld->delim == '\t' ? "\\t" : (ld->delim == ';' ? ";" : ","));
    return ld->shape == SHAPE_WIDE ? read_wide_row(ld) : read_long_row(ld);
}

/* Notes what a data record's date and price cells say about the file's date format and decimal
 * mark, and decides each as soon as the cells leave one choice. Never fails: a cell that fits no
 * choice is reported when its row is read. */
static void observe(csv_loader *ld)
{
    size_t n, kd = (size_t)ld->slot[COL_DATE];
    if (ld->date_format < 0 && kd <= ld->rec->count) { /* a short row's date may be missing */
        const char *s = field_text(ld, kd, &n);
        unsigned fits = date_fits(s, n) & ld->date_fits;
        if (!fits && !ld->mixed_line && ld->first_date_line) {
            ld->mixed_line = ld->rec->fields[kd].line;
            ld->mixed_column = ld->rec->fields[kd].column;
            snprintf(ld->mixed, sizeof ld->mixed, "%s", s);
        }
        if (fits && !ld->first_date_line) {
            ld->first_date_line = ld->rec->fields[kd].line;
            ld->first_date_column = ld->rec->fields[kd].column;
            snprintf(ld->first_date, sizeof ld->first_date, "%s", s);
        }
        if (fits)
            ld->date_fits = fits;
        for (int f = 0; f < DF_COUNT; f++)
            if (ld->date_fits == 1u << f)
                ld->date_format = f;
    }
    for (size_t k = 0; !ld->mark && k < ld->columns && k < ld->rec->count; k++) {
        /* Prices, and share counts and free floats too: "1.500" shares in a German file are 1500. */
        int numeric = (long)k == ld->price || (long)k == ld->slot[COL_SHARES] || (long)k == ld->slot[COL_FREE_FLOAT];
        if (ld->shape == SHAPE_WIDE ? !ld->names[k][0] : !numeric)
            continue;
        const char *s = field_text(ld, k, &n);
        int fits = mark_fits(s, n);
        if (fits == MARK_DOT || fits == MARK_COMMA) {
            ld->mark = fits == MARK_DOT ? '.' : ',';
        } else if (fits && !ld->ambiguous_line) {
            ld->ambiguous_line = ld->rec->fields[k].line;
            ld->ambiguous_column = ld->rec->fields[k].column;
            snprintf(ld->ambiguous, sizeof ld->ambiguous, "%s", s);
        }
    }
}

/* 1 when a price, share count or free float cell of the current record holds a '.' or ',': the
 * decimal mark decides how it reads. */
static int needs_mark(csv_loader *ld)
{
    for (size_t k = 0; k < ld->columns && k < ld->rec->count; k++) {
        int numeric = (long)k == ld->price || (long)k == ld->slot[COL_SHARES] || (long)k == ld->slot[COL_FREE_FLOAT];
        if (ld->shape == SHAPE_WIDE ? !ld->names[k][0] : !numeric)
            continue;
        size_t n;
        const char *s = field_text(ld, k, &n);
        if (memchr(s, '.', n) || memchr(s, ',', n))
            return 1;
    }
    return 0;
}

/* Keeps the current record (a copy: the reader reuses its buffers) until the file's choices are
 * decided. */
static int keep_record(csv_loader *ld)
{
    const dfx_csv_record *rec = ld->rec;
    size_t bytes = (rec->count + 1) * sizeof *rec->fields;
    for (size_t k = 0; k <= rec->count; k++)
        bytes += rec->fields[k].len + 1;
    kept_record kept = {malloc(bytes), rec->count, rec->line, rec->unended};
    if (!kept.fields ||
        dfx_grow((void **)&ld->kept, &ld->kept_cap, ld->kept_count + 1, sizeof *ld->kept)) {
        free(kept.fields);
        return out_of_memory(ld);
    }
    char *text = (char *)(kept.fields + rec->count + 1);
    for (size_t k = 0; k <= rec->count; k++) {
        kept.fields[k] = rec->fields[k];
        kept.fields[k].text = memcpy(text, rec->fields[k].text, rec->fields[k].len + 1);
        text += rec->fields[k].len + 1;
    }
    ld->kept[ld->kept_count++] = kept;
    return 0;
}

/* Reads the kept records in file order, now that the choices are made. */
static int read_kept(csv_loader *ld)
{
    int rc = 0;
    for (size_t i = 0; i < ld->kept_count && !rc; i++) {
        dfx_csv_record rec = {ld->kept[i].fields, ld->kept[i].count, ld->kept[i].line, ld->delim,
                                 ld->kept[i].unended};
        ld->rec = &rec;
        rc = read_row(ld);
    }
    for (size_t i = 0; i < ld->kept_count; i++)
        free(ld->kept[i].fields);
    ld->kept_count = 0;
    return rc;
}

/* At the end of the file, makes the choices the cells left open, or refuses to guess. A file whose
 * dates all fit both DD/MM/YYYY and MM/DD/YYYY, or whose separated prices all read both ways
 * ("1,234"), is refused: a wrong guess would load wrong prices silently. With no evidence at all
 * (no date fits any format, no price has a separator) ISO and '.' are taken, and the rows' own
 * errors say what is wrong. */
static int decide_at_end(csv_loader *ld)
{
    if (ld->date_format < 0 && ld->date_fits == DAY_OR_MONTH_FIRST && ld->mixed_line)
        return defidx_error_set(ld->err, DEFIDX_EDATA, ld->name, ld->mixed_line, ld->mixed_column,
                                "'%s' is written differently from the file's other dates, such as '%s' (hint: write every date of a file the same way)",
                                ld->mixed, ld->first_date);
    if (ld->date_format < 0 && ld->date_fits == DAY_OR_MONTH_FIRST)
        return defidx_error_set(ld->err, DEFIDX_EDATA, ld->name, ld->first_date_line, ld->first_date_column,
                                "every date, such as '%s', reads both as DD/MM/YYYY and as MM/DD/YYYY (no day is above 12) (hint: pass --date-format %%d/%%m/%%Y or --date-format %%m/%%d/%%Y)",
                                ld->first_date);
    if (ld->date_format < 0)
        ld->date_format = DF_ISO;
    if (!ld->mark && ld->ambiguous_line)
        return defidx_error_set(ld->err, DEFIDX_EDATA, ld->name, ld->ambiguous_line, ld->ambiguous_column,
                                "every price with a separator, such as '%s', reads both with '.' and with ',' as the decimal mark (hint: pass --decimal-mark . or --decimal-mark ,)",
                                ld->ambiguous);
    if (!ld->mark)
        ld->mark = '.';
    return 0;
}

/* 1 when the record is stooq's whole answer for a symbol it has no data for. */
static int is_stooq_no_data(csv_loader *ld)
{
    size_t n;
    return ld->rec->count == 1 && (field_text(ld, 0, &n), dfx_ascii_ieq(ld->rec->fields[0].text, n, "brak danych"));
}

/* The CSV reader's callback: the header first (past records of empty fields), then data rows,
 * kept until the file's date format and decimal mark are decided, then read as they come. */
static int on_record(dfx_csv_record *rec, void *ctx, defidx_error *err)
{
    csv_loader *ld = ctx;
    (void)err; /* the same as ld->err */
    ld->rec = rec;
    ld->delim = rec->delim;
    if (all_empty(ld))
        return 0;
    if (!ld->have_header) {
        if (is_stooq_no_data(ld))
            return fail_at(ld, 0, "stooq answered 'Brak danych' (Polish for 'no data'): it has no prices for this symbol and range (hint: check the symbol on stooq.com, and download again)");
        ld->have_header = 1;
        return read_header(ld);
    }
    if (ld->date_format < 0 || !ld->mark) {
        observe(ld);
        /* A row whose numbers have no separator reads the same with either mark: while no row is
         * kept, it is read at once, or a file of whole-number prices would be kept whole. */
        if (ld->date_format < 0 || (!ld->mark && (ld->kept_count > 0 || needs_mark(ld))))
            return keep_record(ld);
        int rc = read_kept(ld);
        if (rc)
            return rc;
        ld->rec = rec;
    }
    return read_row(ld);
}

int defidx_load_csv(defidx_panel *p, const char *name, const char *data, size_t len,
                    const defidx_load_options *opt, defidx_warnings *w, defidx_error *err)
{
    static const defidx_load_options defaults = DEFIDX_LOAD_OPTIONS_INIT;
    opt = opt ? opt : &defaults;
    if (dfx_options_version(opt->version, "load options", err))
        return DEFIDX_EUSAGE;
    name = name ? name : "";
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0))
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1,
                                "the file is UTF-16 text (hint: save it as UTF-8 CSV)");
    if (opt->delimiter && !strchr(",;\t|", opt->delimiter))
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "delimiter '%c' is not one of , ; TAB |", opt->delimiter);
    if (opt->decimal_mark && opt->decimal_mark != '.' && opt->decimal_mark != ',')
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "decimal mark '%c' is not . or ,", opt->decimal_mark);
    csv_loader ld = {.panel = p, .err = err, .name = name, .opt = opt,
                     .date_format = opt->date_format && *opt->date_format ? DF_GIVEN : -1,
                     .date_fits = ALL_DATE_FORMATS, .mark = opt->decimal_mark, .rows_end_empty = -1,
                     .w = w};
    for (int col = 0; col < COL_COUNT; col++)
        ld.slot[col] = ld.second[col] = -1;
    int rc = dfx_csv_read(ld.name, data, len, opt->delimiter, on_record, &ld, err);
    if (!rc && !ld.have_header)
        rc = defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "%s is empty", ld.name);
    if (!rc && (ld.date_format < 0 || !ld.mark) && (rc = decide_at_end(&ld)) == 0)
        rc = read_kept(&ld);
    for (size_t i = 0; i < ld.kept_count; i++)
        free(ld.kept[i].fields);
    free(ld.kept);
    free(ld.names);
    free(ld.names_buf);
    return dfx_warnings_check(w, rc, err);
}

