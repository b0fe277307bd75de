/* test_load_formats.c: the CSV price files people have (Yahoo, stooq, ECB, STOXX, ariva.de,
 * Investing.com, defidx's own long and wide), each read without options from a sample under
 * tests/data/fmt_*.csv; the refusals (ambiguous dates or decimal marks, stooq's "no data"); and
 * every load option. All samples hold the same five closes of one instrument, worked out by hand:
 * 2025-02-17 1501.25, 02-18 1512.80, 02-19 1498.40, 02-20 1520.00, 02-21 1509.65. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

static const char *const dates[5] = {"2025-02-17", "2025-02-18", "2025-02-19", "2025-02-20",
                                     "2025-02-21"};
static const double closes[5] = {1501.25, 1512.80, 1498.40, 1520.00, 1509.65};

/* Loads text (named name) with options into a finished panel; *rc receives the load's status and
 * err its error. Returns NULL when the load or the finish failed. */
static defidx_panel *try_load(const char *name, const char *text, size_t len,
                              const defidx_load_options *opt, int *rc, defidx_error *err)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error_clear(err);
    *rc = defidx_load_csv(p, name, text, len, opt, NULL, err);
    if (!*rc)
        *rc = defidx_panel_finish(p, NULL, err);
    if (*rc) {
        defidx_panel_free(p);
        return NULL;
    }
    return p;
}

/* Loads text or fails the test with the error. */
static defidx_panel *load_text(const char *name, const char *text, const defidx_load_options *opt)
{
    int rc;
    defidx_error err;
    defidx_panel *p = try_load(name, text, strlen(text), opt, &rc, &err);
    if (!p) {
        char buf[1200];
        defidx_error_format(&err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
    return p;
}

/* Loads the sample tests/data/<file> (its path is its name, so a single-instrument file's ticker
 * is the file's stem). */
static defidx_panel *load_sample(const char *file, const defidx_load_options *opt)
{
    char path[512], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", TEST_DATA_DIR, file);
    assert_int_equal(defidx_read_file(path, &data, &len, NULL), 0);
    int rc;
    defidx_error err;
    defidx_panel *p = try_load(path, data, len, opt, &rc, &err);
    free(data);
    if (!p) {
        char buf[1200];
        defidx_error_format(&err, buf, sizeof buf);
        fail_msg("%s", buf);
    }
    return p;
}

/* Expects the five dates and the given prices (closes, or adjusted closes) for ticker, and
 * nothing else in the panel's dates. */
static void expect_series(const defidx_panel *p, const char *ticker, const double want[5])
{
    assert_int_equal(defidx_panel_date_count(p), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(defidx_panel_date(p, i), day(dates[i]));
        assert_double_near(price(p, ticker, dates[i]), want[i], 1e-9);
    }
}

/* Loads the sample without options and expects the five closes under ticker. */
static void expect_sample(const char *file, const char *ticker)
{
    defidx_panel *p = load_sample(file, NULL);
    expect_series(p, ticker, closes);
    defidx_panel_free(p);
}

/* Expects text (named name) to be refused with code, at line:column (0:0 for none), with a
 * message that contains fragment and, for a data error, a hint. */
static void expect_refusal(const char *name, const char *text, const defidx_load_options *opt,
                           int code, long line, long column, const char *fragment)
{
    int rc;
    defidx_error err;
    defidx_panel *p = try_load(name, text, strlen(text), opt, &rc, &err);
    defidx_panel_free(p);
    if (rc != code || err.code != code || err.line != line || err.column != column ||
        !strstr(err.message, fragment) || (code == DEFIDX_EDATA && !strstr(err.message, "(hint: ")))
        fail_msg("got %d at %ld:%ld '%s'; expected %d at %ld:%ld with '%s'", rc, err.line,
                 err.column, err.message, code, line, column, fragment);
}

/* ---- the samples --------------------------------------------------------------------------- */

/* Yahoo: ISO dates, Close (not Adj Close), an all-null row on 2025-02-14 that adds no date. */
static void yahoo(void **state)
{
    (void)state;
    expect_sample("fmt_yahoo.csv", "fmt_yahoo");
}

/* stooq: Date,Open,High,Low,Close,Volume; prices without trailing zeros ("1520"). */
static void stooq(void **state)
{
    (void)state;
    expect_sample("fmt_stooq.csv", "fmt_stooq");
}

/* stooq's Polish header (Data ... Zamkniecie), CRLF line ends. */
static void stooq_polish(void **state)
{
    (void)state;
    expect_sample("fmt_stooq_pl.csv", "fmt_stooq_pl");
}

/* ECB eurofxref-hist shape: a wide file of currencies, newest first, N/A for a currency without
 * rates (CYP), a trailing comma on every line. The instrument is the KRW column. */
static void ecb(void **state)
{
    (void)state;
    defidx_panel *p = load_sample("fmt_ecb.csv", NULL);
    expect_series(p, "KRW", closes);
    assert_double_near(price(p, "USD", "2025-02-21"), 1.0503, 1e-12);
    assert_true(isnan(price(p, "CYP", "2025-02-17"))); /* N/A: missing, never 0 */
    assert_int_equal(defidx_panel_ticker_count(p), 5);   /* the trailing comma is no ticker */
    defidx_panel_free(p);
}

/* STOXX: Date;Symbol;Indexvalue, DD.MM.YYYY dates, dot decimals, a trailing ';' on the rows but
 * not on the header: a long file whose Symbol is the ticker. */
static void stoxx(void **state)
{
    (void)state;
    expect_sample("fmt_stoxx.csv", "SXAP");
}

/* ariva.de: BOM, Excel's sep=; line, CRLF, German header (Schlusskurs), decimal comma with
 * thousands dots (1.509,65; the volume 89.262.531 is ignored), newest first. */
static void ariva(void **state)
{
    (void)state;
    expect_sample("fmt_ariva.csv", "fmt_ariva");
}

/* Investing.com: every field quoted, Price is the close with thousands commas (1,509.65), dates
 * as "Feb 21, 2025", K/M volumes, newest first. */
static void investing(void **state)
{
    (void)state;
    expect_sample("fmt_investing.csv", "fmt_investing");
}

/* Investing.com with MM/DD/YYYY dates: 02/21/2025 has a field above 12, so the file says
 * month first. */
static void investing_mdy(void **state)
{
    (void)state;
    expect_sample("fmt_investing_mdy.csv", "fmt_investing_mdy");
}

/* defidx's own long (rows in no order, a currency column) and wide (an empty cell) shapes. */
static void own_shapes(void **state)
{
    (void)state;
    expect_sample("fmt_long.csv", "SXAP");
    defidx_panel *p = load_sample("fmt_wide.csv", NULL);
    expect_series(p, "SXAP", closes);
    assert_true(isnan(price(p, "SX5E", "2025-02-19")));
    defidx_panel_free(p);
}

/* ---- dates and decimal marks decided by the file ---------------------------------------------- */

/* DD/MM/YYYY decided by a later row (the first fits both orders), and MM/DD/YYYY; YYYYMMDD;
 * YYYY/MM/DD. */
static void date_formats_decided(void **state)
{
    (void)state;
    defidx_panel *p = load_text("A.csv", "Date,Close\n02/03/2025,1.5\n17/03/2025,2.5\n", NULL);
    assert_double_near(price(p, "A", "2025-03-02"), 1.5, 0);
    assert_double_near(price(p, "A", "2025-03-17"), 2.5, 0);
    defidx_panel_free(p);
    p = load_text("A.csv", "Date,Close\n03/02/2025,1.5\n03/17/2025,2.5\n", NULL);
    assert_double_near(price(p, "A", "2025-03-02"), 1.5, 0);
    defidx_panel_free(p);
    p = load_text("A.csv", "Date,Close\n20250217,1.5\n", NULL);
    assert_double_near(price(p, "A", "2025-02-17"), 1.5, 0);
    defidx_panel_free(p);
    p = load_text("A.csv", "Date,Close\n2025/02/18,2.5\n", NULL);
    assert_double_near(price(p, "A", "2025-02-18"), 2.5, 0);
    defidx_panel_free(p);
}

/* A date in another format than the file's is an error at its cell, in file order. */
static void mixed_dates_refused(void **state)
{
    (void)state;
    expect_refusal("A.csv", "Date,Close\n17.02.2025,1.5\n2025-02-18,2.5\n", NULL, DEFIDX_EDATA, 3, 1,
                   "'2025-02-18' is not a real date written DD.MM.YYYY");
}

/* "1,501" alone could be 1501 or 1.501; a later "1,512.5" says ',' groups thousands, and the
 * earlier cell is read that way too. */
static void decimal_mark_decided_later(void **state)
{
    (void)state;
    defidx_panel *p = load_text("A.csv", "Date,Close\n2025-02-17,\"1,501\"\n2025-02-18,\"1,512.5\"\n", NULL);
    assert_double_near(price(p, "A", "2025-02-17"), 1501, 0);
    assert_double_near(price(p, "A", "2025-02-18"), 1512.5, 0);
    defidx_panel_free(p);
}

/* ---- refusals ------------------------------------------------------------------------------ */

/* Every date fits both orders: refused at the first date ("Date,Close\n": line 2, col 1). */
static void ambiguous_dates(void **state)
{
    (void)state;
    expect_refusal("A.csv", "Date,Close\n02/03/2025,1501.25\n03/03/2025,1512.8\n", NULL, DEFIDX_EDATA,
                   2, 1, "--date-format");
}

/* Every separated price reads both ways: refused at the first ("2025-02-17;" is 11 characters,
 * so the price is at col 12). */
static void ambiguous_decimal_mark(void **state)
{
    (void)state;
    expect_refusal("A.csv", "Datum;Schluss\n2025-02-17;1,501\n2025-02-18;1,512\n", NULL, DEFIDX_EDATA,
                   2, 12, "--decimal-mark");
}

/* stooq's whole answer for an unknown symbol. */
static void stooq_no_data(void **state)
{
    (void)state;
    expect_refusal("RHM.csv", "Brak danych", NULL, DEFIDX_EDATA, 1, 1, "Brak danych");
    expect_refusal("RHM.csv", "Brak danych\r\n", NULL, DEFIDX_EDATA, 1, 1, "no data");
}

/* Errors keep their positions in the new shapes: past a BOM and a sep= line (line 3, the price
 * after "2025-02-21;" at col 12), and in a row kept while the mark was undecided (line 2). */
static void positions_kept(void **state)
{
    (void)state;
    expect_refusal("A.csv", "\xEF\xBB\xBF" "sep=;\r\nDatum;Kurs\r\n2025-02-21;1.5x\r\n", NULL,
                   DEFIDX_EDATA, 3, 12, "close '1.5x' is not a number");
    expect_refusal("A.csv", "Date,Close\n2025-02-17,abc\n2025-02-18,1.5\n", NULL, DEFIDX_EDATA, 2, 12,
                   "'abc' is not a number");
    /* a row one field short is an error, unless the header's last name is empty: where the row
     * ends, "17.02.2025;SXAP" being 15 characters -> col 16 */
    expect_refusal("A.csv", "Date;Symbol;Indexvalue\n17.02.2025;SXAP\n", NULL, DEFIDX_EDATA, 2, 16,
                   "row has 2 fields, header has 3");
}

/* ---- the options --------------------------------------------------------------------------- */

static void option_date_format(void **state)
{
    (void)state;
    const char *text = "Date,Close\n02/03/2025,1501.25\n03/03/2025,1512.8\n";
    defidx_load_options opt = {0};
    opt.date_format = "%d/%m/%Y";
    defidx_panel *p = load_text("A.csv", text, &opt);
    assert_double_near(price(p, "A", "2025-03-02"), 1501.25, 0);
    assert_double_near(price(p, "A", "2025-03-03"), 1512.8, 0);
    defidx_panel_free(p);
    opt.date_format = "%m/%d/%Y";
    p = load_text("A.csv", text, &opt);
    assert_double_near(price(p, "A", "2025-02-03"), 1501.25, 0);
    assert_double_near(price(p, "A", "2025-03-03"), 1512.8, 0);
    defidx_panel_free(p);
    /* a date that does not match the given format is an error at its cell */
    opt.date_format = "%Y-%m-%d";
    expect_refusal("A.csv", text, &opt, DEFIDX_EDATA, 2, 1, "not a real date in the format '%Y-%m-%d'");
}

static void option_decimal_mark(void **state)
{
    (void)state;
    const char *text = "Datum;Schluss\n2025-02-17;1,501\n2025-02-18;1,512\n";
    defidx_load_options opt = {0};
    opt.decimal_mark = ',';
    defidx_panel *p = load_text("A.csv", text, &opt);
    assert_double_near(price(p, "A", "2025-02-17"), 1.501, 1e-12);
    defidx_panel_free(p);
    opt.decimal_mark = '.';
    p = load_text("A.csv", text, &opt);
    assert_double_near(price(p, "A", "2025-02-17"), 1501, 0);
    assert_double_near(price(p, "A", "2025-02-18"), 1512, 0);
    defidx_panel_free(p);
    opt.decimal_mark = 'x';
    expect_refusal("A.csv", text, &opt, DEFIDX_EUSAGE, 0, 0, "decimal mark");
}

/* The header "Date;Close;x,y,z" has two ';' and two ',': the sniff picks ',' and finds no date
 * column; --delimiter ';' reads it. */
static void option_delimiter(void **state)
{
    (void)state;
    const char *text = "Date;Close;x,y,z\n2025-02-17;1501.25;a,b,c\n";
    expect_refusal("A.csv", text, NULL, DEFIDX_EDATA, 1, 1, "no date column");
    defidx_load_options opt = {0};
    opt.delimiter = ';';
    defidx_panel *p = load_text("A.csv", text, &opt);
    assert_double_near(price(p, "A", "2025-02-17"), 1501.25, 0);
    defidx_panel_free(p);
    /* '|' is sniffed too */
    p = load_text("B.csv", "Date|Close\n2025-02-17|1501.25\n", NULL);
    assert_double_near(price(p, "B", "2025-02-17"), 1501.25, 0);
    defidx_panel_free(p);
}

/* The ticker option names a single-instrument file's ticker before its file name, and gives one
 * to standard input. */
static void option_ticker(void **state)
{
    (void)state;
    defidx_load_options opt = {0};
    opt.ticker = "SXAP";
    defidx_panel *p = load_sample("fmt_yahoo.csv", &opt);
    assert_int_equal(defidx_panel_ticker_count(p), 1);
    expect_series(p, "SXAP", closes);
    defidx_panel_free(p);
    p = load_text("<stdin>", "Date,Close\n2025-02-17,1501.25\n", &opt);
    assert_string_equal(defidx_panel_ticker(p, 0), "SXAP");
    defidx_panel_free(p);
}

/* Adj Close instead of Close where the file has it; a file without one is refused. */
static void option_price_field(void **state)
{
    (void)state;
    static const double adjusted[5] = {1471.225, 1482.544, 1468.432, 1489.6, 1479.457};
    defidx_load_options opt = {0};
    opt.price_field = DEFIDX_FIELD_ADJ_CLOSE;
    defidx_panel *p = load_sample("fmt_yahoo.csv", &opt);
    expect_series(p, "fmt_yahoo", adjusted);
    defidx_panel_free(p);
    expect_refusal("S.csv", "Date,Open,High,Low,Close,Volume\n2025-02-17,1,1,1,1501.25,1\n", &opt,
                   DEFIDX_EDATA, 1, 1, "no Adj Close column");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yahoo),
        cmocka_unit_test(stooq),
        cmocka_unit_test(stooq_polish),
        cmocka_unit_test(ecb),
        cmocka_unit_test(stoxx),
        cmocka_unit_test(ariva),
        cmocka_unit_test(investing),
        cmocka_unit_test(investing_mdy),
        cmocka_unit_test(own_shapes),
        cmocka_unit_test(date_formats_decided),
        cmocka_unit_test(mixed_dates_refused),
        cmocka_unit_test(decimal_mark_decided_later),
        cmocka_unit_test(ambiguous_dates),
        cmocka_unit_test(ambiguous_decimal_mark),
        cmocka_unit_test(stooq_no_data),
        cmocka_unit_test(positions_kept),
        cmocka_unit_test(option_date_format),
        cmocka_unit_test(option_decimal_mark),
        cmocka_unit_test(option_delimiter),
        cmocka_unit_test(option_ticker),
        cmocka_unit_test(option_price_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
