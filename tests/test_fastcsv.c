/* test_fastcsv.c: the fast reader of plain long CSV lines. It must read a line exactly as the
 * general loader (load_csv.c) does or decline it; so beside hand-worked values, lines and whole
 * files go through both readers and are compared, numbers bit for bit. Day numbers were worked out
 * apart from the library (Python's datetime: date - date(1970, 1, 1)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fast/fastcsv.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static int header_of(const char *text, dfx_fastcsv_layout *layout)
{
    return dfx_fastcsv_parse_header(text, strlen(text), layout);
}

static int row_of(const dfx_fastcsv_layout *layout, const char *text, dfx_fastcsv_row *r)
{
    return dfx_fastcsv_parse_row(layout, text, strlen(text), r);
}

/* A layout from a header that must be accepted. */
static dfx_fastcsv_layout layout_of(const char *text)
{
    dfx_fastcsv_layout layout;
    if (!header_of(text, &layout))
        fail_msg("header '%s' was declined", text);
    return layout;
}

/* 1 when the ticker (or currency) of a row is text. */
static int text_is(const char *s, size_t n, const char *text)
{
    return s && n == strlen(text) && memcmp(s, text, n) == 0;
}

/* A small seeded generator (xorshift64*), so that every run tests the same numbers. */
static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_random(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717u;
}

static int below(int n)
{
    return (int)(next_random() % (uint64_t)n);
}

/* Writes a positive decimal with `sig` significant digits (the first not 0) and `dec` decimals
 * into buf: "123.45", "0.00123", "12300"; sometimes with leading zeros ("0012.5"). */
static void random_decimal(char *buf, int sig, int dec)
{
    char digits[32];
    digits[0] = (char)('1' + below(9));
    for (int i = 1; i < sig; i++)
        digits[i] = (char)('0' + below(10));
    size_t n = 0;
    if (below(16) == 0)
        buf[n++] = '0';
    if (sig > dec) {
        memcpy(buf + n, digits, (size_t)(sig - dec));
        n += (size_t)(sig - dec);
        if (dec)
            buf[n++] = '.';
        memcpy(buf + n, digits + sig - dec, (size_t)dec);
        n += (size_t)dec;
    } else {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = 0; i < dec - sig; i++)
            buf[n++] = '0';
        memcpy(buf + n, digits, (size_t)sig);
        n += (size_t)sig;
    }
    buf[n] = '\0';
}

/* ---- headers ------------------------------------------------------------------------------ */

static void header_accepts(void **state)
{
    (void)state;
    dfx_fastcsv_layout l;
    assert_int_equal(header_of("date,ticker,close", &l), 1);
    assert_int_equal(l.columns, 3);
    assert_int_equal(l.date, 0);
    assert_int_equal(l.ticker, 1);
    assert_int_equal(l.close, 2);
    assert_int_equal(l.currency, -1);
    assert_int_equal(l.shares, -1);
    assert_int_equal(l.free_float, -1);

    assert_int_equal(header_of("free_float,close,currency,ticker,shares,date", &l), 1);
    assert_int_equal(l.columns, 6);
    assert_int_equal(l.free_float, 0);
    assert_int_equal(l.close, 1);
    assert_int_equal(l.currency, 2);
    assert_int_equal(l.ticker, 3);
    assert_int_equal(l.shares, 4);
    assert_int_equal(l.date, 5);
}

/* Everything that is not defidx's own plain long header: whether load_csv.c would fail, warn,
 * read another shape, or read the same (other cases, aliases, blanks), the fast reader declines. */
static void header_declines(void **state)
{
    (void)state;
    const char *bad[] = {
        "",                               /* nothing */
        "date,ticker",                    /* no close: an error in the long shape */
        "date,close",                     /* no ticker: the single-instrument shape */
        "ticker,close",                   /* no date: an error */
        "date,ticker,close,close",        /* a repeated meaning: an error */
        "date,ticker,close,date",
        "date,ticker,close,open",         /* a column the fast reader does not know */
        "date,ticker,close,adj_close",
        "date,symbol,close",              /* aliases: the same meaning, but not the fast path's */
        "date,ticker,price",
        "Date,Ticker,Close",              /* other cases */
        "DATE,ticker,close",
        " date,ticker,close",             /* blanks, which load_csv.c trims */
        "date ,ticker,close",
        "date,ticker,close\r",            /* a CRLF line end */
        "date,\tticker,close",
        "\"date\",ticker,close",          /* quotes */
        "\xEF\xBB\xBF" "date,ticker,close", /* a byte-order mark */
        "date,ticker,close,",             /* a trailing delimiter: an empty name */
        ",date,ticker,close",
        "date,,ticker,close",
        "date;ticker;close",              /* another delimiter */
        "date|ticker|close",
        "sep=,",                          /* Excel's delimiter line */
        "date,ticker,close,currency,shares,free_float,volume",
    };
    dfx_fastcsv_layout l;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (header_of(bad[i], &l))
            fail_msg("header '%s' was accepted", bad[i]);
    /* a NUL inside the given length */
    assert_int_equal(dfx_fastcsv_parse_header("date,ticker,close\0", 18, &l), 0);
    assert_int_equal(dfx_fastcsv_parse_header("date\0,ticker,close", 18, &l), 0);
    /* the length bounds the line: "date,ticker,close" of a longer buffer */
    assert_int_equal(dfx_fastcsv_parse_header("date,ticker,close,open", 17, &l), 1);
}

/* ---- rows ------------------------------------------------------------------------------------ */

/* Values worked out by hand: days from Python, doubles the compiler's own literals. */
static void row_accepts(void **state)
{
    (void)state;
    dfx_fastcsv_layout l = layout_of("date,ticker,close,currency,shares,free_float");
    dfx_fastcsv_row r;
    assert_int_equal(row_of(&l, "2024-02-29,RHM.DE,784.2,EUR,43530000,1", &r), 1);
    assert_int_equal(r.date, 19782);
    assert_true(text_is(r.ticker, r.ticker_len, "RHM.DE"));
    assert_true(text_is(r.currency, r.currency_len, "EUR"));
    assert_true(r.close == 784.2);
    assert_true(r.shares == 43530000.0);
    assert_true(r.free_float == 1.0);
    assert_int_equal(r.decimal_point_shown, 1);
    assert_int_equal(r.separator_ambiguous, 0);

    assert_int_equal(row_of(&l, "1970-01-01,BA.L,1320.50,GBp,3010000000,0.99", &r), 1);
    assert_int_equal(r.date, 0);
    assert_true(text_is(r.currency, r.currency_len, "GBp"));
    assert_true(r.close == 1320.5);
    assert_true(r.shares == 3010000000.0);
    assert_true(r.free_float == 0.99);

    dfx_fastcsv_layout s = layout_of("ticker,close,date");
    assert_int_equal(row_of(&s, "^GSPC,5000.25,0001-01-01", &r), 1);
    assert_int_equal(r.date, -719162);
    assert_true(text_is(r.ticker, r.ticker_len, "^GSPC"));
    assert_null(r.currency);
    assert_int_equal(r.currency_len, 0);
    assert_true(r.close == 5000.25);
    assert_true(isnan(r.shares) && isnan(r.free_float));
    assert_int_equal(row_of(&s, "EURUSD=X,1.0823,9999-12-31", &r), 1);
    assert_int_equal(r.date, 2932896);
    assert_true(r.close == 1.0823);
    assert_int_equal(row_of(&s, "M&G.L,007.5,2000-03-01", &r), 1);
    assert_int_equal(r.date, 11017);
    assert_true(r.close == 7.5);
    assert_int_equal(row_of(&s, "brk-b_x,123456789012345,1900-02-28", &r), 1);
    assert_int_equal(r.date, -25509);
    assert_true(text_is(r.ticker, r.ticker_len, "brk-b_x"));
    assert_true(r.close == 123456789012345.0);
    /* 63 bytes is the longest ticker */
    const char *t63 = "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABC";
    char line[128];
    snprintf(line, sizeof line, "%s,0.0000000000000000000001,2024-01-02", t63);
    assert_int_equal(row_of(&s, line, &r), 1);
    assert_int_equal(r.ticker_len, 63);
    assert_true(r.close == 1e-22);
    /* the length bounds the line */
    assert_int_equal(dfx_fastcsv_parse_row(&s, "X,12.5,2024-01-02,more", 17, &r), 1);
    assert_true(r.close == 12.5);
}

/* One line per reason to decline, each otherwise plain. */
static void row_declines(void **state)
{
    (void)state;
    dfx_fastcsv_layout l = layout_of("date,ticker,close,currency,shares,free_float");
    const char *bad[] = {
        "2024-01-02,X,\"12.5\",EUR,100,1",    /* a quote */
        "2024-01-02,\"X\",12.5,EUR,100,1",
        "2024-01-02,X,12.5 ,EUR,100,1",        /* blanks, which load_csv.c trims */
        " 2024-01-02,X,12.5,EUR,100,1",
        "2024-01-02,X Y,12.5,EUR,100,1",
        "2024-01-02,X,12.5,EUR,100,\t1",
        "2024-01-02,X,12.5,EUR,100,1\r",      /* a CRLF line end */
        "2024-01-02,,12.5,EUR,100,1",          /* empty fields */
        "2024-01-02,X,,EUR,100,1",
        "2024-01-02,X,12.5,,100,1",
        "2024-01-02,X,12.5,EUR,,1",
        "2024-01-02,X,12.5,EUR,100,",
        ",X,12.5,EUR,100,1",
        "2024-01-02,X,12.5,EUR,100,1,",        /* a trailing comma */
        "2024-01-02,X,12.5,EUR,100",           /* too few fields */
        "2024-01-02,X,12.5,EUR,100,1,2",       /* too many */
        "2024-01-02,X,12,5,EUR,100,1",         /* a decimal comma splits the field */
        "2024-01-02,X,+12.5,EUR,100,1",        /* signs */
        "2024-01-02,X,-12.5,EUR,100,1",
        "2024-01-02,X,1e3,EUR,100,1",          /* an exponent */
        "2024-01-02,X,1.5E2,EUR,100,1",
        "2024-01-02,X,NA,EUR,100,1",           /* missing markers */
        "2024-01-02,X,null,EUR,100,1",
        "2024-01-02,X,N/A,EUR,100,1",
        "2024-01-02,X,#N/A,EUR,100,1",
        "2024-01-02,X,-,EUR,100,1",
        "2024-01-02,X,nan,EUR,100,1",
        "2024-01-02,X,inf,EUR,100,1",
        "2024-01-02,X,12.5,EUR,null,1",
        "2024-01-02,X,.5,EUR,100,1",           /* no digit before or after the point */
        "2024-01-02,X,5.,EUR,100,1",
        "2024-01-02,X,1.2.3,EUR,100,1",
        "2024-01-02,X,0x10,EUR,100,1",
        "2024-01-02,X,1234567890123456,EUR,100,1", /* 16 significant digits */
        "2024-01-02,X,1.000000000000000,EUR,100,1",
        "2024-01-02,X,0.00000000000000000000001,EUR,100,1", /* 23 decimals */
        "2024-01-02,X,00000000000000000000000000000000000000012,EUR,100,1", /* 41 bytes */
        "2024-01-02,X,0,EUR,100,1",            /* not above 0 */
        "2024-01-02,X,0.000,EUR,100,1",
        "2024-01-02,X,12.5,EUR,0,1",
        "2024-01-02,X,12.5,EUR,100,0",         /* free float outside (0, 1] */
        "2024-01-02,X,12.5,EUR,100,1.0001",
        "2024-01-02,X,12.5,EUR,100,80",
        "2023-02-29,X,12.5,EUR,100,1",         /* not a real day */
        "2024-13-01,X,12.5,EUR,100,1",
        "2024-04-31,X,12.5,EUR,100,1",
        "2024-00-10,X,12.5,EUR,100,1",
        "2024-01-00,X,12.5,EUR,100,1",
        "0000-01-01,X,12.5,EUR,100,1",
        "2024/01/02,X,12.5,EUR,100,1",         /* other date formats */
        "20240102,X,12.5,EUR,100,1",
        "02.01.2024,X,12.5,EUR,100,1",
        "2024-1-02,X,12.5,EUR,100,1",
        "2024-01-2,X,12.5,EUR,100,1",
        "2024-01-021,X,12.5,EUR,100,1",
        "2024-01-02T00:00,X,12.5,EUR,100,1",
        "+2024-01-0,X,12.5,EUR,100,1",
        "2024-01-02,X/Y,12.5,EUR,100,1",       /* ticker bytes outside the safe set */
        "2024-01-02,X;Y,12.5,EUR,100,1",
        "2024-01-02,X|Y,12.5,EUR,100,1",
        "2024-01-02,M\xC3\xBC" "N,12.5,EUR,100,1",
        "2024-01-02,ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCD,12.5,EUR,100,1",
        "2024-01-02,X,12.5,EU,100,1",          /* currencies that are not 3 letters */
        "2024-01-02,X,12.5,EURO,100,1",
        "2024-01-02,X,12.5,E1R,100,1",
        "2024-01-02,X,12.5,\xC2\xA3" "P,100,1",
        "",
        ",,,,,",                               /* a line of delimiters: load_csv.c skips it */
    };
    dfx_fastcsv_row r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (row_of(&l, bad[i], &r))
            fail_msg("line '%s' was accepted", bad[i]);
    /* a NUL, which csv_reader.c refuses anywhere in a file */
    const char nul[] = "2024-01-02,X,12.5\0,EUR,100,1";
    assert_int_equal(dfx_fastcsv_parse_row(&l, nul, sizeof nul - 1, &r), 0);
    const char nul2[] = "2024-01-02,X\0Y,12.5,EUR,100,1";
    assert_int_equal(dfx_fastcsv_parse_row(&l, nul2, sizeof nul2 - 1, &r), 0);
}

/* What a line's numbers say about the file's decimal mark (load_csv.c's mark_fits): a '.' read
 * both ways when 1 to 3 digits not starting with 0 stand before it and exactly 3 after. */
static void row_marks(void **state)
{
    (void)state;
    dfx_fastcsv_layout l = layout_of("date,ticker,close,shares,free_float");
    const struct {
        const char *line;
        int shown, ambiguous;
    } cases[] = {
        {"2024-01-02,X,1234,100,1", 0, 0},        /* no separator: no evidence */
        {"2024-01-02,X,12.5,100,1", 1, 0},
        {"2024-01-02,X,1.234,100,1", 0, 1},       /* 1.234 or 1234 */
        {"2024-01-02,X,999.999,100,1", 0, 1},
        {"2024-01-02,X,1234.567,100,1", 1, 0},    /* a first group of 4 digits */
        {"2024-01-02,X,0.123,100,1", 1, 0},       /* a group never starts with 0 */
        {"2024-01-02,X,012.345,100,1", 1, 0},
        {"2024-01-02,X,1.2345,100,1", 1, 0},
        {"2024-01-02,X,1.23,100,1", 1, 0},
        {"2024-01-02,X,100,1.500,1", 0, 1},       /* shares count */
        {"2024-01-02,X,100,100,1.000", 0, 1},     /* and free floats */
        {"2024-01-02,X,1.234,100,0.5", 1, 1},     /* both in one line */
    };
    dfx_fastcsv_row r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!row_of(&l, cases[i].line, &r))
            fail_msg("line '%s' was declined", cases[i].line);
        if (r.decimal_point_shown != cases[i].shown || r.separator_ambiguous != cases[i].ambiguous)
            fail_msg("line '%s': shown %d ambiguous %d, expected %d %d", cases[i].line,
                     r.decimal_point_shown, r.separator_ambiguous, cases[i].shown, cases[i].ambiguous);
    }
}

/* ---- numbers and dates against the general path's own functions -------------------------------- */

/* Reads text as the close of a line and checks it is the very double defidx_number_parse and
 * strtod (C locale, correctly rounded) give. Returns what the fast reader said. */
static int check_number(const dfx_fastcsv_layout *l, const char *text)
{
    char line[96];
    snprintf(line, sizeof line, "2024-01-02,X,%s", text);
    dfx_fastcsv_row r;
    if (!row_of(l, line, &r))
        return 0;
    double general, libc = strtod(text, NULL);
    if (defidx_number_parse(text, strlen(text), &general) != 0)
        fail_msg("'%s' accepted, but defidx_number_parse refuses it", text);
    if (memcmp(&general, &r.close, sizeof general) != 0 || memcmp(&libc, &r.close, sizeof libc) != 0)
        fail_msg("'%s': fast %.17g, defidx_number_parse %.17g, strtod %.17g", text, r.close, general, libc);
    /* The same number inside a line (more bytes after it, read eight at a time), and through
     * dfx_fastcsv_parse_line with digits on the next line, which must not be taken. */
    static dfx_fastcsv_layout with_currency, plain;
    if (!with_currency.columns) {
        with_currency = layout_of("date,ticker,close,currency");
        plain = layout_of("date,ticker,close");
    }
    dfx_fastcsv_row mid;
    snprintf(line, sizeof line, "2024-01-02,X,%s,EUR", text);
    if (!row_of(&with_currency, line, &mid) || memcmp(&mid.close, &r.close, sizeof r.close) != 0)
        fail_msg("'%s' inside a line: %.17g", text, mid.close);
    const char *ends[] = {"\n12345678901234567890", "\r\n99999999,X,1", ""};
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        snprintf(line, sizeof line, "2024-01-02,X,%s%s", text, ends[k]);
        const char *end = line + strlen(line), *next = NULL;
        size_t own = strlen(text) + 13 + (k == 1 ? 2 : k == 0 ? 1 : 0);
        if (!dfx_fastcsv_parse_line(&plain, line, end, &mid, &next) || next != line + own ||
            memcmp(&mid.close, &r.close, sizeof r.close) != 0)
            fail_msg("'%s' followed by '%s': %.17g", text, ends[k], mid.close);
    }
    return 1;
}

/* A line's end for dfx_fastcsv_parse_line: LF, CRLF or the end of the text; a lone CR, an
 * empty line or a field running into the next line is declined. */
static void line_ends(void **state)
{
    (void)state;
    dfx_fastcsv_layout l = layout_of("date,ticker,close,currency");
    const char *text = "2024-01-02,AB.DE,12.5,EUR\n2024-01-02,CD.L,1250,GBX\r\n2024-01-03,AB.DE,12.75,EUR";
    const char *end = text + strlen(text), *p = text;
    dfx_fastcsv_row r;
    const char *tickers[] = {"AB.DE", "CD.L", "AB.DE"};
    const double closes[] = {12.5, 1250, 12.75};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(dfx_fastcsv_parse_line(&l, p, end, &r, &p), 1);
        assert_true(text_is(r.ticker, r.ticker_len, tickers[k]));
        assert_double_near(r.close, closes[k], 0);
    }
    assert_ptr_equal(p, end);
    const char *bad[] = {"2024-01-02,AB.DE,12.5,EUR\rX", "\n2024-01-02,AB.DE,12.5,EUR", "2024-01-02,AB.DE,12.5\n,EUR",
                         "2024-01-02,AB.DE,12.5,EU\nR", "2024-01-02,AB.DE,12.5,EUR\r\r\n", "2024-01-0\n2,AB.DE,1,EUR"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *next;
        if (dfx_fastcsv_parse_line(&l, bad[k], bad[k] + strlen(bad[k]), &r, &next))
            fail_msg("line %zu was accepted", k);
    }
}

static void numbers_bitwise(void **state)
{
    (void)state;
    dfx_fastcsv_layout l = layout_of("date,ticker,close");
    const char *accepted[] = {"0.1", "0.2", "0.3", "2.675", "1", "9", "123456789012345", "999999999999999",
                              "100000000000000", "0.000000000000001", "0.999999999999999",
                              "99999999999999.9", "9.99999999999999", "0.0000000000000000000001",
                              "0.0000000123456789012345", "1.00000000000000", "0.30000000000000",
                              "000000000000000000000000000000000000001", "0000000000000000000000000000000000000001",
                              "784.2", "1320.5", "0.05",
                              "35.3446426391602", "196.949996948242", "9007199254.74099"};
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
        if (!check_number(&l, accepted[i]))
            fail_msg("'%s' was declined", accepted[i]);
    /* more than 15 significant digits or 22 decimals, or longer than 40 bytes */
    const char *declined[] = {"1234567890123456", "1.000000000000000", "0.9999999999999999999999",
                              "4503599627370495.5", "1.7976931348623157", "0.00000000000000000000001",
                              "0" "0000000000000000000000000000000000000001", "0" "00000000000000000000000000000000000000.5"};
    for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++)
        if (check_number(&l, declined[i]))
            fail_msg("'%s' was accepted", declined[i]);
    char text[64];
    for (int i = 0; i < 1000000; i++) {
        random_decimal(text, 1 + below(15), below(9));
        if (!check_number(&l, text))
            fail_msg("'%s' was declined", text);
    }
    for (int i = 0; i < 200000; i++) { /* the far decimals, up to 22 */
        random_decimal(text, 1 + below(15), 9 + below(14));
        if (!check_number(&l, text))
            fail_msg("'%s' was declined", text);
    }
    for (int i = 0; i < 10000; i++) { /* 16 to 19 significant digits: number.c still exact, not us */
        random_decimal(text, 16 + below(4), below(9));
        if (check_number(&l, text))
            fail_msg("'%s' was accepted", text);
    }
}

/* Every day string of two centuries and the invalid ones around them: accepted exactly when
 * defidx_date_parse (load_csv.c's read_date) reads it, with the same day number. */
static void dates_as_general(void **state)
{
    (void)state;
    dfx_fastcsv_layout l = layout_of("date,ticker,close");
    dfx_fastcsv_row r;
    const int years[] = {1, 4, 100, 1600, 1899, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 9996, 9999};
    for (size_t k = 0; k < sizeof years / sizeof years[0] + 201; k++) {
        int y = k < sizeof years / sizeof years[0] ? years[k] : 1900 + (int)(k - sizeof years / sizeof years[0]);
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++) {
                char line[64];
                snprintf(line, sizeof line, "%04d-%02d-%02d,X,1", y, m, d);
                int32_t general;
                int ok = defidx_date_parse(line, 10, &general, NULL) == 0;
                if (row_of(&l, line, &r) != ok || (ok && r.date != general))
                    fail_msg("'%.10s': fast and defidx_date_parse disagree", line);
            }
    }
}

/* ---- whole files through both readers ---------------------------------------------------------- */

/* The index of date in a finished panel, or -1. */
static long index_of_day(const defidx_panel *p, int32_t date)
{
    for (size_t i = 0; i < defidx_panel_date_count(p); i++)
        if (defidx_panel_date(p, i) == date)
            return (long)i;
    return -1;
}

/* Reads text (a header and rows, each line ending with LF, no (ticker, date) twice, one currency
 * spelling per ticker) with the fast reader, where every line must be accepted, and with
 * defidx_load_csv. When the fast reader's file rule (fastcsv.h) trusts the result, the general
 * loader must succeed without a warning and hold exactly the same observations; when it does not,
 * the general loader must fail, as it must when a close is out of the range of prices (which the
 * one pass declines). Returns whether the rule trusted the file. */
static int compare_readers(const char *text)
{
    const char *nl = strchr(text, '\n');
    dfx_fastcsv_layout l;
    if (!nl || !dfx_fastcsv_parse_header(text, (size_t)(nl - text), &l))
        fail_msg("header of '%s' was declined", text);
    size_t cap = 16, count = 0;
    dfx_fastcsv_row *rows = malloc(cap * sizeof *rows);
    int shown = 0, ambiguous = 0, out_of_range = 0;
    for (const char *s = nl + 1; *s; s = nl + 1) {
        nl = strchr(s, '\n');
        if (count == cap)
            rows = realloc(rows, (cap *= 2) * sizeof *rows);
        assert_non_null(rows);
        if (!dfx_fastcsv_parse_row(&l, s, (size_t)(nl - s), &rows[count]))
            fail_msg("line '%.*s' was declined", (int)(nl - s), s);
        out_of_range |= !dfx_fastcsv_close_in_range(&rows[count]);
        shown |= rows[count].decimal_point_shown;
        ambiguous |= rows[count].separator_ambiguous;
        count++;
    }
    int trusted = shown || !ambiguous;

    defidx_panel *p = defidx_panel_new();
    defidx_warnings w = {0};
    defidx_error err;
    defidx_error_clear(&err);
    int rc = defidx_load_csv(p, "plain.csv", text, strlen(text), NULL, &w, &err);
    if (!rc)
        rc = defidx_panel_finish(p, &w, &err);
    /* A close outside the range of prices: the one pass declines the line (blocks.c), and the
     * general loader refuses it. */
    if (out_of_range) {
        if (rc == 0) /* (its message may be another, of the file, such as its decimal mark) */
            fail_msg("a close out of range, but the general loader reads it: %s", text);
        trusted = 0;
    }
    if (!trusted && rc == 0)
        fail_msg("the rule distrusts a file the general loader reads: %s", text);
    if (trusted && (rc || w.count))
        fail_msg("the general loader %s on a trusted file: %s\n%s", rc ? "fails" : "warns",
                 rc ? err.message : w.items[0], text);
    size_t priced = 0;
    for (size_t j = 0; trusted && j < defidx_panel_ticker_count(p); j++)
        for (size_t i = 0; i < defidx_panel_date_count(p); i++)
            priced += !isnan(defidx_panel_price(p, j, i));
    if (trusted)
        assert_int_equal(priced, count);
    for (size_t k = 0; trusted && k < count; k++) {
        const dfx_fastcsv_row *r = &rows[k];
        char ticker[64];
        memcpy(ticker, r->ticker, r->ticker_len);
        ticker[r->ticker_len] = '\0';
        long j = defidx_panel_find(p, ticker), i = index_of_day(p, r->date);
        assert_true(j >= 0 && i >= 0);
        double close = defidx_panel_price(p, (size_t)j, (size_t)i);
        double shares = defidx_panel_shares(p, (size_t)j, (size_t)i);
        double free_float = defidx_panel_free_float(p, (size_t)j, (size_t)i);
        assert_memory_equal(&close, &r->close, sizeof close);
        assert_true(isnan(r->shares) ? isnan(shares) : memcmp(&shares, &r->shares, sizeof shares) == 0);
        assert_true(isnan(r->free_float) ? isnan(free_float)
                                         : memcmp(&free_float, &r->free_float, sizeof free_float) == 0);
        const char *currency = defidx_panel_currency(p, (size_t)j);
        if (r->currency) {
            assert_non_null(currency);
            assert_true(text_is(r->currency, r->currency_len, currency));
        } else {
            assert_null(currency);
        }
    }
    defidx_warnings_free(&w);
    defidx_panel_free(p);
    free(rows);
    return trusted;
}

/* Hand-written plain files, each showing one thing the general loader decides per file. */
static void files_agree(void **state)
{
    (void)state;
    /* the usual file: every column, the mark shown by 784.2 */
    assert_true(compare_readers("date,ticker,close,currency,shares,free_float\n"
                                "2025-02-18,RHM.DE,784.2,EUR,43530000,1\n"
                                "2025-02-18,BA.L,1320.5,GBX,3010000000,0.99\n"
                                "2025-02-19,RHM.DE,801.4,EUR,43530000,1\n"
                                "2025-02-19,BA.L,1331,GBX,3010000000,0.99\n"));
    /* columns in another order, tickers of every safe byte, leap days */
    assert_true(compare_readers("ticker,free_float,close,date\n"
                                "^GSPC,0.5,5000.25,2024-02-29\n"
                                "EURUSD=X,1,1.0823,2024-02-29\n"
                                "M&G.L,0.875,221.9,2024-03-01\n"
                                "BRK-B,0.999,407.5,2000-02-29\n"
                                "a_b,1,0.000001,2024-03-01\n"));
    /* no separator anywhere: no evidence, and '.' is taken; the extreme years */
    assert_true(compare_readers("date,ticker,close\n"
                                "2024-01-02,X,100\n"
                                "2024-01-03,X,101\n"
                                "0001-01-01,Y,7\n"
                                "9999-12-31,Y,1000000000\n"));
    /* ambiguous numbers first, the mark shown only by the last line: rows are kept until then */
    assert_true(compare_readers("date,ticker,close,shares\n"
                                "2024-01-02,X,1.234,1.500\n"
                                "2024-01-03,X,2.345,1500\n"
                                "2024-01-04,X,1.25,1500\n"));
    /* currencies as written, the longest ticker, leading zeros, 18 decimals (22 would make a close
     * with more than 15 digits, or one below the range of prices) */
    assert_true(compare_readers("date,currency,ticker,close\n"
                                "2024-01-02,gbp,ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABC,007.5\n"
                                "2024-01-02,GBp,Z,0.000001234567890123\n"
                                "2024-01-03,GBp,Z,000123.4500\n"));
}

/* The file rule's other side: every line is plain, every price reads both ways (three decimals),
 * and the general loader refuses the file, which the rows' flags tell the caller. */
static void ambiguous_file_is_flagged(void **state)
{
    (void)state;
    const char *text = "date,ticker,close\n2024-01-02,X,1.234\n2024-01-03,X,2.345\n";
    assert_false(compare_readers(text));
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(defidx_load_csv(p, "amb.csv", text, strlen(text), NULL, NULL, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "reads both with '.' and with ','"));
    defidx_panel_free(p);
}

/* Lines the general loader refuses: the fast reader declines each of them. */
static void refused_lines_are_declined(void **state)
{
    (void)state;
    const struct {
        const char *text; /* a header and one row */
        int bad_line;     /* 1: the header, 2: the row */
    } cases[] = {
        {"date,ticker,close\n2024-01-02,X,0\n", 2},
        {"date,ticker,close\n2024-01-02,X,-1.5\n", 2},
        {"date,ticker,close\n2023-02-29,X,1.5\n", 2},
        {"date,ticker,close\n2024-01-02,,1.5\n", 2},
        {"date,ticker,close\n2024-01-02,X,12,5\n", 2},
        {"date,ticker,close\n2024-01-02,X,inf\n", 2},
        {"date,ticker,close\n2024-01-02,X,1.5x\n", 2},
        {"date,ticker,close\n2024-01-02,X,\"1.5\n", 2},
        {"date,ticker,close,free_float\n2024-01-02,X,1.5,1.5\n", 2},
        {"date,ticker,close,shares\n2024-01-02,X,1.5,0\n", 2},
        {"date,ticker,close\n2024-01-02,ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCD,1.5\n", 2},
        {"date,ticker\n2024-01-02,X\n", 1},
        {"date,ticker,close,close\n2024-01-02,X,1.5,1.5\n", 1},
        {"date,ticker,close,price\n2024-01-02,X,1.5,1.5\n", 1},
        {"ticker,close\nX,1.5\n", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *text = cases[i].text, *nl = strchr(text, '\n');
        defidx_panel *p = defidx_panel_new();
        defidx_error err;
        int rc = defidx_load_csv(p, "bad.csv", text, strlen(text), NULL, NULL, &err);
        defidx_panel_free(p);
        if (rc == 0)
            fail_msg("the general loader read '%s'", text);
        dfx_fastcsv_layout l;
        int header = dfx_fastcsv_parse_header(text, (size_t)(nl - text), &l);
        assert_int_equal(header, cases[i].bad_line != 1);
        dfx_fastcsv_row r;
        if (header && dfx_fastcsv_parse_row(&l, nl + 1, strlen(nl + 1) - 1, &r))
            fail_msg("the row of '%s' was accepted", text);
    }
}

/* Appends printf-style text to a growing buffer. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void append(char **buf, size_t *len, const char *fmt, ...)
{
    char piece[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof piece);
    *buf = realloc(*buf, *len + (size_t)n + 1);
    assert_non_null(*buf);
    memcpy(*buf + *len, piece, (size_t)n + 1);
    *len += (size_t)n;
}

/* A number for a column: sometimes ambiguous ("1.234"), sometimes with no separator at all, so that
 * files of every kind of evidence come out; free floats in (0, 1]. */
static void random_value(char *out, int role)
{
    if (role == 5) { /* free_float */
        const char *ff[] = {"1", "1.000", "0.5", "0.75", "0.123", "1.0"};
        strcpy(out, ff[below(6)]);
    } else if (below(3) == 0) { /* 1 to 3 digits, exactly 3 decimals */
        int whole = 1 + below(3);
        random_decimal(out, whole + 3, 3);
        if (out[0] == '0' && out[1] != '.') /* a leading 0 would show the mark: keep it ambiguous */
            memmove(out, out + 1, strlen(out));
    } else {
        random_decimal(out, 1 + below(12), below(3) ? below(5) : 0);
    }
}

/* Random plain files of random layouts, through both readers (compare_readers). */
static void random_files_agree(void **state)
{
    (void)state;
    static const char *const names[6] = {"date", "ticker", "close", "currency", "shares", "free_float"};
    static const char *const currencies[4] = {"EUR", "GBX", "usd", "CHF"};
    int trusted = 0, distrusted = 0;
    for (int f = 0; f < 400; f++) {
        int order[6] = {0, 1, 2, 3, 4, 5}, optional = below(4), k = 0, chosen[6];
        for (int i = 5; i > 0; i--) { /* a shuffle (Fisher-Yates) */
            int j = below(i + 1), swap = order[i];
            order[i] = order[j], order[j] = swap;
        }
        for (int i = 0; i < 6; i++) /* date, ticker and close, and the first `optional` others */
            if (order[i] <= 2 || optional-- > 0)
                chosen[k++] = order[i];
        char *text = NULL;
        size_t len = 0;
        for (int c = 0; c < k; c++)
            append(&text, &len, "%s%s", c ? "," : "", names[chosen[c]]);
        append(&text, &len, "\n");
        int tickers = 1 + below(4), days = 1 + below(6), first = 18000 + below(3000);
        for (int d = 0; d < days; d++)
            for (int t = 0; t < tickers; t++) {
                if (below(5) == 0)
                    continue;
                for (int c = 0; c < k; c++) {
                    char value[64];
                    int y, m, dd;
                    switch (chosen[c]) {
                    case 0: defidx_date_to_civil(first + 3 * d, &y, &m, &dd);
                            snprintf(value, sizeof value, "%04d-%02d-%02d", y, m, dd); break;
                    case 1: snprintf(value, sizeof value, "T%d.X", t); break;
                    case 3: snprintf(value, sizeof value, "%s", currencies[t]); break;
                    default: random_value(value, chosen[c]);
                    }
                    append(&text, &len, "%s%s", c ? "," : "", value);
                }
                append(&text, &len, "\n");
            }
        if (strchr(text, '\n')[1] == '\0') { /* no row at all: nothing to compare */
            free(text);
            continue;
        }
        if (compare_readers(text))
            trusted++;
        else
            distrusted++;
        free(text);
    }
    /* both sides of the rule were tried */
    assert_true(trusted > 50);
    assert_true(distrusted > 5);
}

/* Inserts, replaces or deletes one byte of text (never a line end), from bytes that plain lines
 * hold and bytes that make them not plain. */
static void mutate(char *text, size_t cap)
{
    static const char bytes[] = "0123456789.,-+eE \"\r\tNaA/:;|^=&_xX";
    size_t len = strlen(text), at = (size_t)below((int)len + 1);
    char c = bytes[below((int)sizeof bytes - 1)];
    int op = below(3);
    if (op == 0 && len + 1 < cap) {
        memmove(text + at + 1, text + at, len - at + 1);
        text[at] = c;
    } else if (at < len && text[at] != '\n') {
        if (op == 1)
            text[at] = c;
        else
            memmove(text + at, text + at + 1, len - at);
    }
}

/* A differential fuzz: plain one-row files with a few bytes changed. Whatever the fast reader
 * still accepts, the general loader must read the same way (compare_readers). */
static void mutated_files_agree(void **state)
{
    (void)state;
    static const char *const bases[] = {
        "date,ticker,close,currency,shares,free_float\n2025-02-18,RHM.DE,784.2,EUR,43530000,0.75\n",
        "date,ticker,close\n2024-02-29,BA.L,1320.5\n",
        "ticker,close,date,free_float\nX,1.234,2024-01-02,1\n",
        "close,ticker,date,shares\n100,^GSPC,2000-01-31,2500\n",
    };
    int accepted = 0;
    for (int i = 0; i < 200000; i++) {
        char text[160];
        snprintf(text, sizeof text, "%s", bases[below(4)]);
        for (int n = 1 + below(3); n > 0; n--)
            mutate(text, sizeof text);
        const char *nl = strchr(text, '\n'), *row = nl + 1;
        dfx_fastcsv_layout l;
        dfx_fastcsv_row r;
        const char *end = strchr(row, '\n');
        if (!end || end[1] || !dfx_fastcsv_parse_header(text, (size_t)(nl - text), &l) ||
            !dfx_fastcsv_parse_row(&l, row, (size_t)(end - row), &r))
            continue;
        compare_readers(text);
        accepted++;
    }
    assert_true(accepted > 10000); /* many mutants stay plain (a digit for a digit) */
}

/* ---- the indexed reader against the byte-by-byte one ------------------------------------ */

/* dfx_fastcsv_parse_line reads a line whose first 48 bytes are in [line, end) from bit masks
 * of its commas, line feed and digits (SSE2), and any other line byte by byte. What follows is
 * that byte-by-byte reader, as fastcsv.c had it before the masks (minus its caches and word-wise
 * digits, which do not change a result): both must accept the same lines, with the same values
 * bit for bit, and the same line end. */

static int ref_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int ref_ticker_byte(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || ref_is_digit(c) || (c && strchr("-._^=&", c));
}

static const char *ref_date(const char *p, const char *end, int32_t *out)
{
    if (end - p < 10 || p[4] != '-' || p[7] != '-')
        return NULL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !ref_is_digit(p[i]))
            return NULL;
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int m = (p[5] - '0') * 10 + (p[6] - '0'), d = (p[8] - '0') * 10 + (p[9] - '0');
    if (!defidx_date_valid(y, m, d))
        return NULL;
    *out = defidx_date_from_civil(y, m, d);
    return p + 10;
}

static const char *ref_number(const char *p, const char *end, double *out, dfx_fastcsv_row *row)
{
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *s = p;
    uint64_t mantissa = 0;
    while (p < end && ref_is_digit(*p))
        mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
    size_t whole = (size_t)(p - s), scale = 0;
    if (whole == 0)
        return NULL;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        while (p < end && ref_is_digit(*p))
            mantissa = mantissa * 10 + (uint64_t)(*p++ - '0');
        scale = (size_t)(p - fraction);
        if (scale == 0 || scale > 22)
            return NULL;
        if (whole <= 3 && *s != '0' && scale == 3)
            row->separator_ambiguous = 1;
        else
            row->decimal_point_shown = 1;
    }
    if (p - s > 40)
        return NULL;
    if (whole + scale > 15) {
        const char *q = s;
        while (q < p && (*q == '0' || *q == '.'))
            q++;
        size_t significant = 0;
        for (; q < p; q++)
            significant += ref_is_digit(*q);
        if (significant > 15)
            return NULL;
    }
    if (mantissa == 0)
        return NULL;
    *out = scale ? (double)mantissa / pow10[scale] : (double)mantissa;
    return p;
}

static int ref_parse_line(const dfx_fastcsv_layout *l, const char *p, const char *end, dfx_fastcsv_row *out,
                          const char **next)
{
    out->currency = NULL;
    out->currency_len = 0;
    out->close = out->shares = out->free_float = NAN;
    out->decimal_point_shown = out->separator_ambiguous = 0;
    for (int k = 0; k < l->columns; k++) {
        if (k > 0 && (p == end || *p++ != ','))
            return 0;
        const char *s = p;
        switch (l->role[k]) {
        case 0: p = ref_date(p, end, &out->date); break;
        case 1:
            while (p < end && ref_ticker_byte(*p))
                p++;
            if (p == s || p - s > 63)
                return 0;
            out->ticker = s;
            out->ticker_len = (unsigned char)(p - s);
            break;
        case 2: p = ref_number(p, end, &out->close, out); break;
        case 3:
            if (end - p < 3)
                return 0;
            for (int i = 0; i < 3; i++)
                if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z')))
                    return 0;
            out->currency = p;
            out->currency_len = 3;
            p += 3;
            break;
        case 4: p = ref_number(p, end, &out->shares, out); break;
        default: p = ref_number(p, end, &out->free_float, out);
        }
        if (!p)
            return 0;
    }
    if (out->free_float > 1)
        return 0;
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p++ != '\n')
        return 0;
    *next = p;
    return 1;
}

/* Both readers on the len bytes of text, copied alone into a buffer of their own (so that a
 * sanitizer sees any read past its end): the same answer, row and line end. */
static int same_as_reference(const dfx_fastcsv_layout *l, const char *text, size_t len)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);
    dfx_fastcsv_row want, got;
    const char *want_next = NULL, *got_next = NULL;
    int want_ok = ref_parse_line(l, copy, copy + len, &want, &want_next);
    int got_ok = dfx_fastcsv_parse_line(l, copy, copy + len, &got, &got_next);
    if (want_ok != got_ok)
        fail_msg("'%.*s' (%zu bytes): the reference says %d, fastcsv %d", (int)len, text, len, want_ok, got_ok);
    if (want_ok) {
        if (want_next != got_next || want.date != got.date || want.ticker != got.ticker ||
            want.ticker_len != got.ticker_len || want.currency != got.currency ||
            want.currency_len != got.currency_len || memcmp(&want.close, &got.close, sizeof want.close) != 0 ||
            memcmp(&want.shares, &got.shares, sizeof want.shares) != 0 ||
            memcmp(&want.free_float, &got.free_float, sizeof want.free_float) != 0 ||
            want.decimal_point_shown != got.decimal_point_shown ||
            want.separator_ambiguous != got.separator_ambiguous)
            fail_msg("'%.*s': the rows differ (close %.17g / %.17g)", (int)len, text, want.close, got.close);
    }
    free(copy);
    return want_ok;
}

/* A random value for a column of role r: mostly plain, often at the limits (long numbers,
 * leading zeros, 15 and 16 significant digits, 22 and 23 decimals, long tickers). */
static void random_field(char *out, int r)
{
    static const char ticker_bytes[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_^=&";
    switch (r) {
    case 0: {
        int y, m, d;
        defidx_date_to_civil(below(3) ? 9000 + below(12000) : below(2932897 + 719162) - 719162, &y, &m, &d);
        sprintf(out, "%04d-%02d-%02d", y, m, d);
        break;
    }
    case 1: {
        int n = below(4) ? 1 + below(12) : 1 + below(70);
        for (int i = 0; i < n; i++)
            out[i] = ticker_bytes[below((int)sizeof ticker_bytes - 1)];
        out[n] = '\0';
        break;
    }
    case 3: sprintf(out, "%c%c%c", 'A' + below(26), 'a' + below(26), 'A' + below(26)); break;
    default: {
        if (r == 5 && below(2)) { /* else any number, which a free float above 1 declines */
            random_value(out, 5);
            break;
        }
        int zeros = below(8) ? 0 : below(25), whole = below(8) ? 1 + below(10) : below(20);
        int dec = below(3) ? below(5) : below(26);
        size_t n = 0;
        for (int i = 0; i < zeros; i++)
            out[n++] = '0';
        for (int i = 0; i < whole; i++)
            out[n++] = (char)('0' + below(10));
        if (dec || below(10) == 0)
            out[n++] = '.';
        for (int i = 0; i < dec; i++)
            out[n++] = (char)('0' + below(10));
        out[n] = '\0';
    }
    }
}

/* Bytes a mutation puts into a line: every kind of byte the readers tell apart. */
static char random_byte(void)
{
    static const char some[] = "0123456789.,\n\r-+eE \"\t;/:@[`{^_=&AZazX\x7f";
    switch (below(8)) {
    case 0: return (char)(0x80 + below(128)); /* bytes 0x80-0xFF */
    case 1: return '\0';
    case 2: return (char)below(256);
    default: return some[below((int)sizeof some - 1)];
    }
}

/* Random lines of random layouts, some mutated, followed by more text or not, at every distance
 * from the end: the indexed reader and the fallback near the end both take part. */
static void indexed_lines_agree(void **state)
{
    (void)state;
    static const char *const names[6] = {"date", "ticker", "close", "currency", "shares", "free_float"};
    static const char *const tails[] = {"", "\n", "\r\n", "\r", "\n2024-01-02,X,1\n", "\r\n1234567890123456789012345678901234567890,",
                                        "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"};
    int accepted = 0, long_accepted = 0;
    for (int i = 0; i < 1000000; i++) {
        /* a layout: the plain ones most often, as the reader has straight code for them */
        char header[128];
        int roles[6] = {0, 1, 2, 3, 4, 5}, columns;
        switch (below(4)) {
        case 0: columns = 5; break;
        case 1: columns = 3; break;
        default:
            columns = 3 + below(4);
            for (int k = 5; k > 0; k--) {
                int j = below(k + 1), swap = roles[k];
                roles[k] = roles[j], roles[j] = swap;
            }
        }
        size_t hn = 0;
        for (int k = 0; k < columns; k++)
            hn += (size_t)sprintf(header + hn, "%s%s", k ? "," : "", names[roles[k]]);
        dfx_fastcsv_layout l;
        if (!dfx_fastcsv_parse_header(header, hn, &l))
            continue; /* no date, ticker or close among the first columns */
        char text[512];
        size_t n = 0;
        for (int k = 0; k < columns; k++) {
            char field[128];
            random_field(field, roles[k]);
            n += (size_t)sprintf(text + n, "%s%s", k ? "," : "", field);
        }
        for (int m = below(3) ? 0 : 1 + below(3); m > 0; m--) { /* insert, replace or delete a byte */
            size_t at = (size_t)below((int)n + 1);
            int op = below(3);
            if (op == 0) {
                memmove(text + at + 1, text + at, n - at);
                text[at] = random_byte();
                n++;
            } else if (at < n && op == 1) {
                text[at] = random_byte();
            } else if (at < n) {
                memmove(text + at, text + at + 1, n - at - 1);
                n--;
            }
        }
        const char *tail = tails[below((int)(sizeof tails / sizeof tails[0]))];
        size_t tn = strlen(tail);
        memcpy(text + n, tail, tn);
        n += tn;
        /* the end anywhere from the line's own end to the tail's */
        size_t len = n - (size_t)below((int)tn + 1);
        if (same_as_reference(&l, text, len)) {
            accepted++;
            long_accepted += len >= 48; /* read from the masks */
        }
    }
    assert_true(accepted > 100000 && long_accepted > 50000);
}

/* A plain line with each byte in turn replaced by every byte value, and a ',' or '\n' inserted
 * at every position: through both readers, with the text ending right there or 48 bytes on. */
static void indexed_every_byte(void **state)
{
    (void)state;
    static const char *const lines[][2] = {
        {"date,ticker,close,currency,shares", "1995-06-22,AAFC.AS,18.37,EUR,1163332414"},
        {"date,ticker,close,currency,shares", "2024-02-29,ABCDEFGHIJKLMNOPQR,1234.5678,gbp,12345678"},
        {"date,ticker,close", "2024-02-29,^GSPC,5000.125"},
        {"date,ticker,close,currency,shares,free_float", "2025-02-18,RHM.DE,784.2,EUR,43530000,0.75"},
        {"shares,close,ticker,date", "1163332414,18.37,M&G.L,1995-06-22"},
        {"ticker,date,close", "BRK-B,1995-06-22,000000000000000123456789012.5"},
    };
    static const char *const tails[] = {"\n", "\r\n", "\n1995-06-22,AAFC.AS,18.37,EUR,1163332414,1234567890\n"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        dfx_fastcsv_layout l = layout_of(lines[i][0]);
        const char *line = lines[i][1];
        size_t len = strlen(line);
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            char text[256];
            size_t tn = strlen(tails[t]);
            for (size_t at = 0; at <= len; at++) {
                for (int b = 0; b < 256 && at < len; b++) { /* replaced */
                    memcpy(text, line, len);
                    memcpy(text + len, tails[t], tn);
                    text[at] = (char)b;
                    same_as_reference(&l, text, len + tn);
                    same_as_reference(&l, text, len + 1);
                }
                for (int c = 0; c < 2; c++) { /* a ',' or '\n' inserted */
                    memcpy(text, line, at);
                    text[at] = c ? '\n' : ',';
                    memcpy(text + at + 1, line + at, len - at);
                    memcpy(text + len + 1, tails[t], tn);
                    same_as_reference(&l, text, len + 1 + tn);
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_accepts),
        cmocka_unit_test(header_declines),
        cmocka_unit_test(row_accepts),
        cmocka_unit_test(row_declines),
        cmocka_unit_test(row_marks),
        cmocka_unit_test(numbers_bitwise),
        cmocka_unit_test(line_ends),
        cmocka_unit_test(dates_as_general),
        cmocka_unit_test(files_agree),
        cmocka_unit_test(ambiguous_file_is_flagged),
        cmocka_unit_test(refused_lines_are_declined),
        cmocka_unit_test(random_files_agree),
        cmocka_unit_test(mutated_files_agree),
        cmocka_unit_test(indexed_lines_agree),
        cmocka_unit_test(indexed_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
