/* test_load_json_formats.c: the JSON shapes of data services (Alpha Vantage, Twelve Data, EOD
 * Historical Data) next to defidx's own, and the error objects services send instead of prices.
 * The fmt_*.json samples all hold one instrument's closes on 2025-02-17..21: 1230.10, 1234.50,
 * 1229.00, 1241.75, 1238.20 (adjusted, where a shape has them: 1220.00, 1224.40, 1218.95,
 * 1231.60, 1228.10). Positions (1-based line:column) are worked out by hand from the samples:
 * - fmt_alphavantage.json: the day of 2025-02-21 opens line 10 ('        "2025-02-21": {', the
 *   '{' at col 23), each day takes 7 lines, newest first; '            "4. close": "' puts the
 *   close at col 25 of line 14 + 7k (k = 0 for 02-21 ... 4 for 02-17: line 42).
 * - fmt_alphavantage_adjusted.json: days of 10 lines; '            "5. adjusted close": "' puts
 *   the adjusted close at col 34 of line 15 + 10k (02-17: line 55).
 * - fmt_twelvedata.json: record k opens at col 5 of line 12 + 8k ('    {'); '      "close": "'
 *   puts its close at col 16 of line 17 + 8k (02-17: line 49).
 * - fmt_eod.json: one record a line, oldest first; '{"date":"2025-02-17","open":1222.0,"high":
 *   1236.8,"low":1218.4,"close":' is 70 characters, so the close is at col 71 (col 72 on line 1,
 *   after the '['); the adjusted close 24 columns further (col 95; 96 on line 1).
 * - fmt_records.json: '  {"date": "2025-02-17", "ticker": "RHM.DE", "close": ' -> record at col
 *   3 and close at col 55 of lines 2..6.
 * - fmt_series.json: '    {"date": "2025-02-17", "close": ' -> close at col 37 of lines 3..7. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

static const char *const days[5] = {"2025-02-17", "2025-02-18", "2025-02-19", "2025-02-20", "2025-02-21"};
static const double closes[5] = {1230.10, 1234.50, 1229.00, 1241.75, 1238.20};
static const double adjusted[5] = {1220.00, 1224.40, 1218.95, 1231.60, 1228.10};

/* Loads text (named name) into p with opt; returns the status. */
static int load_text(defidx_panel *p, const char *name, const char *text,
                     const defidx_load_options *opt, defidx_warnings *w, defidx_error *err)
{
    defidx_error_clear(err);
    return defidx_load_json(p, name, text, strlen(text), opt, w, err);
}

/* Loads a sample by its path (which names it in messages and may give the ticker). */
static int load_sample(defidx_panel *p, const char *file, const defidx_load_options *opt,
                       defidx_warnings *w, defidx_error *err)
{
    char path[512], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", TEST_DATA_DIR, file);
    int rc = defidx_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    rc = defidx_load_json(p, file, data, len, opt, w, err);
    free(data);
    return rc;
}

static void fail_with(const char *what, const defidx_error *err)
{
    char buf[1200];
    defidx_error_format(err, buf, sizeof buf);
    fail_msg("%s: %s", what, buf);
}

/* Loads a sample `times` times and finishes the panel; fails the test on any error. */
static defidx_panel *load_ok(const char *file, const defidx_load_options *opt, int times,
                             defidx_warnings *w)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    int rc = 0;
    for (int t = 0; t < times && !rc; t++)
        rc = load_sample(p, file, opt, w, &err);
    if (rc || defidx_panel_finish(p, w, &err)) {
        defidx_panel_free(p);
        fail_with(file, &err);
    }
    return p;
}

/* The panel holds exactly one ticker with these 5 prices on 2025-02-17..21, and currency
 * (NULL: none). */
static void expect_five(const defidx_panel *p, const char *ticker, const char *currency,
                        const double *prices)
{
    assert_int_equal(defidx_panel_ticker_count(p), 1);
    assert_string_equal(defidx_panel_ticker(p, 0), ticker);
    if (currency)
        assert_string_equal(defidx_panel_currency(p, 0), currency);
    else
        assert_null(defidx_panel_currency(p, 0));
    assert_int_equal(defidx_panel_date_count(p), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(defidx_panel_date(p, i), day(days[i]));
        assert_double_near(defidx_panel_price(p, 0, i), prices[i], 0);
    }
}

/* The status, position and message fragments of a failed load; a data error also has a hint. */
static void expect_failure(int rc, const defidx_error *err, int code, long line, long column,
                           const char *fragment, const char *fragment2)
{
    if (rc != code || err->code != code || err->line != line || err->column != column ||
        !strstr(err->message, fragment) || (fragment2 && !strstr(err->message, fragment2)) ||
        (code == DEFIDX_EDATA && !strstr(err->message, "(hint: ")))
        fail_msg("got %d at %ld:%ld '%s'; expected %d at %ld:%ld with '%s' and '%s'", rc, err->line,
                 err->column, err->message, code, line, column, fragment, fragment2 ? fragment2 : "");
}

static void expect_sample_error(const char *file, const defidx_load_options *opt, long line,
                                long column, const char *fragment, const char *fragment2)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    int rc = load_sample(p, file, opt, NULL, &err);
    defidx_panel_free(p);
    expect_failure(rc, &err, DEFIDX_EDATA, line, column, fragment, fragment2);
    assert_string_equal(err.file, file);
}

static void expect_text_error(const char *name, const char *text, const defidx_load_options *opt,
                              int code, long line, long column, const char *fragment)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    int rc = load_text(p, name, text, opt, NULL, &err);
    defidx_panel_free(p);
    expect_failure(rc, &err, code, line, column, fragment, NULL);
}

/* Loads a sample twice: every row is then an identical repeat, warned about at its origin, in
 * date order. Checks the first and last warning. */
static void expect_origins(const char *file, const defidx_load_options *opt, const char *first,
                           const char *last)
{
    defidx_warnings w = {0};
    defidx_panel *p = load_ok(file, opt, 2, &w);
    assert_int_equal(w.count, 5);
    expect_warning(&w, 0, first);
    expect_warning(&w, 4, last);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

static defidx_load_options options(const char *ticker, int price_field)
{
    defidx_load_options opt;
    defidx_load_options_init(&opt);
    opt.ticker = ticker;
    opt.price_field = price_field;
    return opt;
}

/* ---- each shape ----------------------------------------------------------------------------- */

static void alphavantage(void **state)
{
    (void)state;
    defidx_panel *p = load_ok("fmt_alphavantage.json", NULL, 1, NULL);
    expect_five(p, "RHM.DEX", NULL, closes);
    defidx_panel_free(p);
    expect_origins("fmt_alphavantage.json", NULL,
                   "fmt_alphavantage.json:42:25: repeated row for RHM.DEX on 2025-02-17",
                   "fmt_alphavantage.json:14:25: repeated row for RHM.DEX on 2025-02-21");
}

/* TIME_SERIES_DAILY_ADJUSTED: "4. close" by default, "5. adjusted close" when asked for. */
static void alphavantage_adjusted(void **state)
{
    (void)state;
    defidx_load_options adj = options(NULL, DEFIDX_FIELD_ADJ_CLOSE);
    defidx_panel *p = load_ok("fmt_alphavantage_adjusted.json", NULL, 1, NULL);
    expect_five(p, "RHM.DEX", NULL, closes);
    defidx_panel_free(p);
    p = load_ok("fmt_alphavantage_adjusted.json", &adj, 1, NULL);
    expect_five(p, "RHM.DEX", NULL, adjusted);
    defidx_panel_free(p);
    expect_origins("fmt_alphavantage_adjusted.json", &adj,
                   "fmt_alphavantage_adjusted.json:55:34: repeated row for RHM.DEX on 2025-02-17",
                   "fmt_alphavantage_adjusted.json:15:34: repeated row for RHM.DEX on 2025-02-21");
}

static void twelvedata(void **state)
{
    (void)state;
    defidx_panel *p = load_ok("fmt_twelvedata.json", NULL, 1, NULL);
    expect_five(p, "RHM", "EUR", closes);
    defidx_panel_free(p);
    expect_origins("fmt_twelvedata.json", NULL,
                   "fmt_twelvedata.json:49:16: repeated row for RHM on 2025-02-17",
                   "fmt_twelvedata.json:17:16: repeated row for RHM on 2025-02-21");
}

/* EOD names no ticker: the file name gives it. */
static void eod(void **state)
{
    (void)state;
    defidx_load_options adj = options(NULL, DEFIDX_FIELD_ADJ_CLOSE);
    defidx_panel *p = load_ok("fmt_eod.json", NULL, 1, NULL);
    expect_five(p, "fmt_eod", NULL, closes);
    defidx_panel_free(p);
    p = load_ok("fmt_eod.json", &adj, 1, NULL);
    expect_five(p, "fmt_eod", NULL, adjusted);
    defidx_panel_free(p);
    expect_origins("fmt_eod.json", NULL, "fmt_eod.json:1:72: repeated row for fmt_eod on 2025-02-17",
                   "fmt_eod.json:5:71: repeated row for fmt_eod on 2025-02-21");
    expect_origins("fmt_eod.json", &adj, "fmt_eod.json:1:96: repeated row for fmt_eod on 2025-02-17",
                   "fmt_eod.json:5:95: repeated row for fmt_eod on 2025-02-21");
}

static void own_shapes(void **state)
{
    (void)state;
    defidx_panel *p = load_ok("fmt_records.json", NULL, 1, NULL);
    expect_five(p, "RHM.DE", "EUR", closes);
    defidx_panel_free(p);
    p = load_ok("fmt_series.json", NULL, 1, NULL);
    expect_five(p, "RHM.DE", NULL, closes);
    defidx_panel_free(p);
    expect_origins("fmt_records.json", NULL, "fmt_records.json:2:55: repeated row for RHM.DE on 2025-02-17",
                   "fmt_records.json:6:55: repeated row for RHM.DE on 2025-02-21");
    expect_origins("fmt_series.json", NULL, "fmt_series.json:3:37: repeated row for RHM.DE on 2025-02-17",
                   "fmt_series.json:7:37: repeated row for RHM.DE on 2025-02-21");
}

/* ---- the adjusted close ------------------------------------------------------------------------ */

/* Asked for where a file has none: at the first record (the day's object for Alpha Vantage). A
 * later record without one, in '[{"date":"2025-02-17","close":1,"adjusted_close":1},\n{...}]',
 * is reported at that record, col 1 of line 2. */
static void no_adjusted_close(void **state)
{
    (void)state;
    defidx_load_options adj = options(NULL, DEFIDX_FIELD_ADJ_CLOSE);
    expect_sample_error("fmt_alphavantage.json", &adj, 10, 23, "this Alpha Vantage file has no adjusted close",
                        "TIME_SERIES_DAILY_ADJUSTED");
    expect_sample_error("fmt_twelvedata.json", &adj, 12, 5, "this Twelve Data file has no adjusted close", NULL);
    expect_sample_error("fmt_records.json", &adj, 2, 3, "this JSON file has no adjusted close", NULL);
    expect_sample_error("fmt_series.json", &adj, 3, 5, "this JSON file has no adjusted close", NULL);
    expect_text_error("X.json", "[{\"date\":\"2025-02-17\",\"close\":1,\"adjusted_close\":1},\n"
                      "{\"date\":\"2025-02-18\",\"close\":2}]", &adj, DEFIDX_EDATA, 2, 1,
                      "record has no adjusted close");
}

/* ---- the ticker of a single-instrument file ------------------------------------------------------ */

/* The option beats the data, the data beats the file name, the file name comes last. */
static void ticker_precedence(void **state)
{
    (void)state;
    defidx_load_options named = options("RHM.DE", DEFIDX_FIELD_CLOSE);
    const char *files[3] = {"fmt_alphavantage.json", "fmt_twelvedata.json", "fmt_eod.json"};
    for (int f = 0; f < 3; f++) {
        defidx_panel *p = load_ok(files[f], &named, 1, NULL);
        assert_string_equal(defidx_panel_ticker(p, 0), "RHM.DE");
        defidx_panel_free(p);
    }
    /* Alpha Vantage without "2. Symbol", Twelve Data without meta.symbol: the file name. */
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "data/BAYN.DE.json",
                               "{\"Meta Data\":{\"1. Information\":\"x\"},\"Time Series (Daily)\":"
                               "{\"2025-02-18\":{\"4. close\":\"50.1\"}}}", NULL, NULL, &err), 0);
    assert_int_equal(load_text(p, "SAP.DE.json",
                               "{\"meta\":{\"currency\":\"EUR\"},\"values\":[{\"datetime\":\"2025-02-18\","
                               "\"close\":\"270\"}],\"status\":\"ok\"}", NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_string_equal(defidx_panel_ticker(p, 0), "BAYN.DE");
    assert_string_equal(defidx_panel_ticker(p, 1), "SAP.DE");
    assert_string_equal(defidx_panel_currency(p, 1), "EUR");
    defidx_panel_free(p);
}

/* Standard input has no name: the option must give the ticker. A bad option is the caller's. */
static void ticker_from_stdin(void **state)
{
    (void)state;
    const char *text = " [{\"date\":\"2025-02-18\",\"close\":5}]";
    expect_text_error("<stdin>", text, NULL, DEFIDX_EDATA, 1, 2, "standard input has no file name");
    expect_text_error("<stdin>", text, NULL, DEFIDX_EDATA, 1, 2, "(hint: pass --ticker)");
    defidx_load_options named = options("X", DEFIDX_FIELD_CLOSE);
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "<stdin>", text, &named, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_string_equal(defidx_panel_ticker(p, 0), "X");
    defidx_panel_free(p);
    named.ticker = "";
    expect_text_error("<stdin>", text, &named, DEFIDX_EUSAGE, 0, 0, "is not a ticker");
    /* The name gives no ticker of at most 63 bytes. */
    char name[100];
    memset(name, 'A', 70);
    strcpy(name + 70, ".json");
    expect_text_error(name, text, NULL, DEFIDX_EDATA, 1, 2, "does not give a ticker");
}

/* Files that name their tickers keep them; the option is warned about, unused. */
static void ticker_option_unused(void **state)
{
    (void)state;
    defidx_load_options named = options("X", DEFIDX_FIELD_CLOSE);
    defidx_warnings w = {0};
    defidx_panel *p = load_ok("fmt_records.json", &named, 1, &w);
    assert_string_equal(defidx_panel_ticker(p, 0), "RHM.DE");
    assert_int_equal(w.count, 1);
    expect_warning(&w, 0, "fmt_records.json: the ticker option is not used");
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* A single-instrument array is decided by its first record: a later one with a ticker is an
 * error at that ticker ('{"date":"2025-02-18","ticker":' puts it at col 31 of line 2). */
static void single_mixed(void **state)
{
    (void)state;
    expect_text_error("X.json", "[{\"date\":\"2025-02-17\",\"close\":1},\n"
                      "{\"date\":\"2025-02-18\",\"ticker\":\"B\",\"close\":2}]", NULL, DEFIDX_EDATA, 2, 31,
                      "record has a ticker, but the first record has none");
}

/* ---- values in the service shapes ------------------------------------------------------------------- */

/* Missing markers are missing prices; a number in a string may have blanks around it. */
static void missing_markers(void **state)
{
    (void)state;
    const char *text = "{\"meta\":{\"symbol\":\"X\"},\"values\":["
                       "{\"datetime\":\"2025-02-10\",\"close\":\"\"},"
                       "{\"datetime\":\"2025-02-11\",\"close\":\"N/A\"},"
                       "{\"datetime\":\"2025-02-12\",\"close\":\"na\"},"
                       "{\"datetime\":\"2025-02-13\",\"close\":\"#N/A\"},"
                       "{\"datetime\":\"2025-02-14\",\"close\":\"-\"},"
                       "{\"datetime\":\"2025-02-17\",\"close\":\"null\"},"
                       "{\"datetime\":\"2025-02-18\",\"close\":\"NaN\"},"
                       "{\"datetime\":\"2025-02-19\",\"close\":null},"
                       "{\"datetime\":\"2025-02-20\",\"close\":\" 12.5 \"}]}";
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "m.json", text, NULL, NULL, &err), 0);
    assert_int_equal(dfx_panel_observation_count(p), 9);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_int_equal(defidx_panel_date_count(p), 1); /* only 2025-02-20 has a price */
    assert_int_equal(defidx_panel_date(p, 0), day("2025-02-20"));
    assert_double_near(defidx_panel_price(p, 0, 0), 12.5, 0);
    defidx_panel_free(p);
}

/* '[{"date":"2025-02-18","close":' puts the close at col 31. defidx's own shapes stay strict:
 * '[{"date":"2025-02-18","ticker":"A","close":' puts it at col 44. */
static void bad_values(void **state)
{
    (void)state;
    expect_text_error("X.json", "[{\"date\":\"2025-02-18\",\"close\":\"12,5\"}]", NULL, DEFIDX_EDATA, 1, 31,
                      "close '12,5' is not a number");
    expect_text_error("X.json", "[{\"date\":\"2025-02-18\",\"close\":true}]", NULL, DEFIDX_EDATA, 1, 31,
                      "a number in a string or null, not a boolean");
    expect_text_error("X.json", "[{\"date\":\"2025-02-18\",\"close\":\"0\"}]", NULL, DEFIDX_EDATA, 1, 31,
                      "close 0 is not a positive price");
    expect_text_error("X.json", "[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":\"N/A\"}]", NULL,
                      DEFIDX_EDATA, 1, 44, "close must be a number or null, not a string");
    expect_text_error("X.json", "{\"A\":[{\"date\":\"2025-02-18\",\"close\":\"1\"}]}", NULL, DEFIDX_EDATA,
                      1, 36, "close must be a number or null, not a string");
}

/* ---- dates -------------------------------------------------------------------------------------------- */

/* Date-times keep their date in the service shapes (Twelve Data "2025-02-18 00:00:00", Tiingo
 * "2025-02-18T00:00:00.000Z", whose adjClose is found too); defidx's own shapes want YYYY-MM-DD
 * (the date at col 10). */
static void date_times(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "t.json", "{\"meta\":{\"symbol\":\"X\"},\"values\":[{\"datetime\":"
                               "\"2025-02-18 00:00:00\",\"close\":\"5\"}]}", NULL, NULL, &err), 0);
    defidx_load_options adj = options("Y", DEFIDX_FIELD_ADJ_CLOSE);
    assert_int_equal(load_text(p, "t.json", "[{\"date\":\"2025-02-19T00:00:00.000Z\",\"close\":5,"
                               "\"adjClose\":4.5}]", &adj, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_int_equal(defidx_panel_date(p, 0), day("2025-02-18"));
    assert_double_near(defidx_panel_price(p, 0, 0), 5, 0);
    assert_string_equal(defidx_panel_ticker(p, 1), "Y");
    assert_double_near(defidx_panel_price(p, 1, 1), 4.5, 0);
    defidx_panel_free(p);
    expect_text_error("X.json", "[{\"date\":\"2025-02-18 00:00:00\",\"ticker\":\"A\",\"close\":1}]", NULL,
                      DEFIDX_EDATA, 1, 10, "is not a date (expected YYYY-MM-DD)");
    expect_text_error("X.json", "[{\"date\":\"2025-02-18 lunch\",\"close\":1}]", NULL,
                      DEFIDX_EDATA, 1, 10, "is not a date (expected YYYY-MM-DD)");
}

/* Several times on one date are intraday data: at the second time's value, col 13 of line 3 in
 * Twelve Data's '{"datetime":"...', col 1 of line 3 (the key) in Alpha Vantage's. */
static void intraday(void **state)
{
    (void)state;
    expect_text_error("X.json", "{\"meta\":{\"symbol\":\"X\",\"interval\":\"1h\"},\"values\":[\n"
                      "{\"datetime\":\"2025-02-18 10:00:00\",\"close\":\"5\"},\n"
                      "{\"datetime\":\"2025-02-18 09:00:00\",\"close\":\"6\"}]}",
                      NULL, DEFIDX_EDATA, 3, 13, "a second time of day on 2025-02-18");
    expect_text_error("X.json", "{\"Meta Data\":{\"2. Symbol\":\"X\"},\"Time Series (5min)\":{\n"
                      "\"2025-02-18 16:00:00\":{\"4. close\":\"5\"},\n"
                      "\"2025-02-18 15:55:00\":{\"4. close\":\"6\"}}}",
                      NULL, DEFIDX_EDATA, 3, 1, "this is intraday data, and defidx needs daily closes");
}

/* The date format option applies to every shape. */
static void date_format(void **state)
{
    (void)state;
    defidx_load_options opt = options("X", DEFIDX_FIELD_CLOSE);
    opt.date_format = "%d.%m.%Y";
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "d.json", "[{\"date\":\"18.02.2025\",\"close\":5}]", &opt, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_int_equal(defidx_panel_date(p, 0), day("2025-02-18"));
    defidx_panel_free(p);
    expect_text_error("d.json", "[{\"date\":\"2025-02-18\",\"close\":5}]", &opt, DEFIDX_EDATA, 1, 10,
                      "'2025-02-18' is not a date in the format '%d.%m.%Y'");
}

/* ---- what services send instead of prices ---------------------------------------------------------- */

/* At the error object (1:1 in the samples), saying what it is and quoting the service; the
 * rate-limit note is shortened to 160 bytes and "...". */
static void service_errors(void **state)
{
    (void)state;
    expect_sample_error("fmt_av_note.json", NULL, 1, 1,
                        "Alpha Vantage refused the request: its rate limit was reached: \"Thank you for using "
                        "Alpha Vantage! Our standard API call frequency is 5 calls per minute",
                        "https://www.alphavantage.co/premium...\" (hint: wait a minute");
    expect_sample_error("fmt_av_error.json", NULL, 1, 1,
                        "Alpha Vantage returned an error instead of prices: \"Invalid API call. Please retry",
                        "for TIME_SERIES_DAILY.\" (hint: check the function and the symbol");
    expect_sample_error("fmt_twelvedata_error.json", NULL, 1, 1,
                        "returned an error instead of prices (code 400): \"**symbol** or **figi** parameter is "
                        "missing or invalid",
                        "#reference-data\" (hint: fix the request");
    /* Positions follow the object; a status error without a message says so. */
    expect_text_error("X.json", "\n  {\"Information\": \"premium endpoint\"}", NULL, DEFIDX_EDATA, 2, 3,
                      "Alpha Vantage returned a notice instead of prices, usually a rate limit or a "
                      "premium-only request: \"premium endpoint\"");
    expect_text_error("X.json", "{\"status\": \"error\"}", NULL, DEFIDX_EDATA, 1, 1, ": \"(no message)\"");
    /* Stdin: the message keeps the name. */
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "<stdin>", "{\"Note\":\"slow down\"}", NULL, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, "<stdin>");
    defidx_panel_free(p);
}

/* The shapes are told apart by the type of their members: an object of series may name a
 * ticker "Note" or "values" as long as each is an array of records. */
static void not_fooled(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(load_text(p, "s.json", "{\"Note\":[{\"date\":\"2025-02-18\",\"close\":1}],"
                               "\"values\":[{\"date\":\"2025-02-18\",\"close\":2}]}", NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_string_equal(defidx_panel_ticker(p, 0), "Note");
    assert_string_equal(defidx_panel_ticker(p, 1), "values");
    defidx_panel_free(p);
    expect_text_error("X.json", "{\"Meta Data\":{\"2. Symbol\":\"X\"}}", NULL, DEFIDX_EDATA, 1, 1,
                      "Alpha Vantage data without a \"Time Series\" object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alphavantage),
        cmocka_unit_test(alphavantage_adjusted),
        cmocka_unit_test(twelvedata),
        cmocka_unit_test(eod),
        cmocka_unit_test(own_shapes),
        cmocka_unit_test(no_adjusted_close),
        cmocka_unit_test(ticker_precedence),
        cmocka_unit_test(ticker_from_stdin),
        cmocka_unit_test(ticker_option_unused),
        cmocka_unit_test(single_mixed),
        cmocka_unit_test(missing_markers),
        cmocka_unit_test(bad_values),
        cmocka_unit_test(date_times),
        cmocka_unit_test(intraday),
        cmocka_unit_test(date_format),
        cmocka_unit_test(service_errors),
        cmocka_unit_test(not_fooled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
