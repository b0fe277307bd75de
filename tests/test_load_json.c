/* test_load_json.c: the JSON loader (array of records, object of series). Every expected
 * line:column below is worked out by hand from the fixture or the inline text: columns are 1-based
 * characters of the line, a BOM is not counted. In the one-line records used for errors,
 *     [{"date":"2025-02-18","ticker":"A","close":X}]
 * '[' is col 1, '{' col 2, the date's value col 10, the ticker's value col 32 and X col 44. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Loads and finishes a panel from a file, loaded `times` times; the warnings go to w. */
static defidx_panel *load_path(const char *path, int times, defidx_warnings *w)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    defidx_error_clear(&err);
    int rc = 0;
    for (int t = 0; t < times && !rc; t++)
        rc = defidx_load_prices(p, path, NULL, w, &err);
    if (rc || defidx_panel_finish(p, w, &err)) {
        char buf[1200];
        defidx_error_format(&err, buf, sizeof buf);
        defidx_panel_free(p);
        fail_msg("%s", buf);
    }
    return p;
}

/* Loads text and expects an error with this code, position and message fragment; a data error's
 * message also carries a hint. */
static void expect_error(const char *text, int code, long line, long column, const char *fragment)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    defidx_error_clear(&err);
    int rc = defidx_load_json(p, "e.json", text, strlen(text), NULL, NULL, &err);
    defidx_panel_free(p);
    if (rc != code || err.code != code || err.line != line || err.column != column ||
        !strstr(err.message, fragment) || (code == DEFIDX_EDATA && !strstr(err.message, "(hint: ")))
        fail_msg("got %d at %ld:%ld '%s'; expected %d at %ld:%ld with '%s'", rc, err.line, err.column,
                 err.message, code, line, column, fragment);
}

/* One record with close written as close_text, and extra members after it. */
static void expect_record_error(const char *close_text, const char *extra, long column,
                                const char *fragment)
{
    char text[300];
    snprintf(text, sizeof text, "[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":%s%s}]",
             close_text, extra);
    expect_error(text, DEFIDX_EDATA, 1, column, fragment);
}

/* ---- the shapes ------------------------------------------------------------------------- */

/* load_records.json: the aliases symbol and price, null for a missing close, optional currency,
 * shares and free float, and a string holding escaped quotes and brackets (for the scanner). */
static void records_fixture(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_records.json", 1, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), 2);
    assert_string_equal(defidx_panel_ticker(p, 0), "RHM.DE");
    assert_string_equal(defidx_panel_ticker(p, 1), "BA.L");
    assert_int_equal(defidx_panel_date_count(p), 2);
    assert_true(price(p, "RHM.DE", "2025-02-18") == 784.2);
    assert_true(isnan(price(p, "RHM.DE", "2025-02-19")));
    assert_true(price(p, "BA.L", "2025-02-18") == 1320.5);
    assert_true(price(p, "BA.L", "2025-02-19") == 1333);
    assert_string_equal(defidx_panel_currency(p, 0), "EUR");
    assert_string_equal(defidx_panel_currency(p, 1), "GBX");
    assert_double_near(defidx_panel_shares(p, 0, 1), 43530000, 0);
    assert_double_near(defidx_panel_free_float(p, 0, 0), 1, 0);
    assert_true(isnan(defidx_panel_shares(p, 1, 0)));
    defidx_panel_free(p);
}

/* The origin of a record is its close value. Loading twice makes each priced record an identical
 * repeat whose warning shows the position: on line 2 '  {"date": "2025-02-18", "ticker":
 * "RHM.DE", "close": 784.2' the value starts at col 55; on line 4 (symbol "BA.L", price) and
 * line 6 (ticker "BA.L", close) at col 53. */
static void records_origins(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_records.json", 2, &w);
    assert_int_equal(w.count, 3);
    expect_warning(&w, 0, "load_records.json:2:55: repeated row for RHM.DE on 2025-02-18");
    expect_warning(&w, 1, "load_records.json:4:53: repeated row for BA.L on 2025-02-18");
    expect_warning(&w, 2, "load_records.json:6:53: repeated row for BA.L on 2025-02-19");
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* load_series.json: an object of series; positions: '  "RHM.DE": [{"date": "2025-02-18",
 * "close": 784.2' -> col 46 on lines 2 and 3 (aligned); '    {"date": "2025-02-20", "close":
 * 1333' -> col 37 on line 6. */
static void series_fixture(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_series.json", 2, &w);
    assert_int_equal(defidx_panel_date_count(p), 3);
    assert_true(price(p, "RHM.DE", "2025-02-19") == 801.4);
    assert_true(isnan(price(p, "BA.L", "2025-02-19")));
    assert_true(price(p, "BA.L", "2025-02-20") == 1333);
    assert_string_equal(defidx_panel_currency(p, 1), "GBX");
    assert_int_equal(w.count, 3);
    expect_warning(&w, 0, "load_series.json:2:46: repeated row for RHM.DE on 2025-02-18");
    expect_warning(&w, 1, "load_series.json:3:46: repeated row for RHM.DE on 2025-02-19");
    expect_warning(&w, 2, "load_series.json:6:37: repeated row for BA.L on 2025-02-20");
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* Keys are matched case-insensitively, like CSV headers; empty containers load nothing. */
static void keys_and_empties(void **state)
{
    (void)state;
    const char *text = "[{\"Date\":\"2025-02-18\",\"Symbol\":\"A\",\"PRICE\":2}]";
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(defidx_load_json(p, "k.json", text, strlen(text), NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_true(price(p, "A", "2025-02-18") == 2);
    defidx_panel_free(p);
    p = defidx_panel_new();
    assert_int_equal(defidx_load_json(p, "k.json", "[]", 2, NULL, NULL, &err), 0);
    assert_int_equal(defidx_load_json(p, "k.json", " {} ", 4, NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA); /* no prices at all */
    defidx_panel_free(p);
}

/* load_prices recognises JSON after a BOM and blank lines, whatever the file's extension. */
static void detected_after_bom(void **state)
{
    (void)state;
    char path[] = "/tmp/defidx_test_load_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "\xEF\xBB\xBF\r\n  [{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":1}]";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    defidx_panel *p = load_path(path, 1, NULL);
    unlink(path);
    assert_true(price(p, "A", "2025-02-18") == 1);
    defidx_panel_free(p);
}

/* ---- errors ------------------------------------------------------------------------------- */

static void bad_close(void **state)
{
    (void)state;
    expect_record_error("\"784.2\"", "", 44, "close must be a number or null, not a string");
    expect_record_error("true", "", 44, "not a boolean");
    expect_record_error("{}", "", 44, "not an object");
    expect_record_error("0", "", 44, "close 0 is not a positive price");
    expect_record_error("-1.5", "", 44, "close -1.5 is not a positive price");
    expect_record_error("1e999", "", 44, "close is out of range (hint: numbers are read up to about 1.8e308");
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"A\"}]", DEFIDX_EDATA, 1, 2, "record has no close");
}

static void bad_date_and_ticker(void **state)
{
    (void)state;
    expect_error("[{\"ticker\":\"A\",\"close\":1}]", DEFIDX_EDATA, 1, 2, "record has no date");
    expect_error("[{\"date\":\"2023-02-30\",\"ticker\":\"A\",\"close\":1}]", DEFIDX_EDATA, 1, 10,
                 "'2023-02-30' is not a real calendar date");
    expect_error("[{\"date\":\"18.02.2025\",\"ticker\":\"A\",\"close\":1}]", DEFIDX_EDATA, 1, 10,
                 "is not a date");
    expect_error("[{\"date\":20250218,\"ticker\":\"A\",\"close\":1}]", DEFIDX_EDATA, 1, 10,
                 "date must be a string, not a number");
    /* A first record without a ticker makes a single-instrument file (test_load_json_formats.c);
     * after one with a ticker, a record without one is an error at its '{' (col 47). */
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":1},{\"date\":\"2025-02-18\",\"close\":1}]",
                 DEFIDX_EDATA, 1, 47, "record has no ticker");
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"\",\"close\":1}]", DEFIDX_EDATA, 1, 32,
                 "empty ticker");
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":5,\"close\":1}]", DEFIDX_EDATA, 1, 32,
                 "ticker must be a string");
}

/* After a close of "1" at col 44 and its comma: "shares" at cols 46-53, its value col 55;
 * "free_float" at cols 46-57, value col 59; "currency" at cols 46-55, value col 57. */
static void bad_extras(void **state)
{
    (void)state;
    expect_record_error("1", ",\"shares\":0", 55, "shares 0 is not positive");
    expect_record_error("1", ",\"shares\":\"100\"", 55, "shares must be a finite number or null, not a string");
    expect_record_error("1", ",\"free_float\":1.5", 59, "free_float 1.5 is outside (0, 1]");
    expect_record_error("1", ",\"free_float\":0", 59, "free_float 0 is outside (0, 1]");
    expect_record_error("1", ",\"currency\":1", 57, "currency must be a string");
}

/* Records that are not objects: '[1]' -> col 2; after a first record ending with '}' at col 45,
 * ", [2]" puts the second at col 48. */
static void bad_records(void **state)
{
    (void)state;
    expect_error("[1]", DEFIDX_EDATA, 1, 2, "a record must be an object, not a number");
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":1}, [2]]", DEFIDX_EDATA, 1, 48,
                 "not an array");
    expect_error("\"prices\"", DEFIDX_EDATA, 1, 1, "array of records or an object of series, not a string");
    expect_error(" \n 42", DEFIDX_EDATA, 2, 2, "not a number");
}

/* Series: '{"A": 1}' has the value at col 7 and the key at col 2. On line 2 of the last text,
 * ' "B": [{"date":"2025-02-18","close":"x"}]', the close value is at col 37. */
static void bad_series(void **state)
{
    (void)state;
    expect_error("{\"A\": 1}", DEFIDX_EDATA, 1, 7, "series A must be an array of records, not a number");
    expect_error("{\"\": []}", DEFIDX_EDATA, 1, 2, "empty ticker");
    expect_error("{\"A\": [{\"date\":\"2025-02-18\",\"close\":1}],\n"
                 " \"B\": [{\"date\":\"2025-02-18\",\"close\":\"x\"}]}",
                 DEFIDX_EDATA, 2, 37, "close must be a number or null, not a string");
    expect_error("{\"A\": [{\"date\":\"2025-02-18\"}]}", DEFIDX_EDATA, 1, 8, "record has no close");
}

/* The position scanner skips strings with escaped quotes and brackets in them: the first ticker
 * is "A\"]},{"; the bad close of line 2 is at col 44 as in the one-line template. A BOM is not a
 * column, and "MÜ" is 2 characters (3 bytes), so the close after it is at col 45. */
static void scanner(void **state)
{
    (void)state;
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"A\\\"]},{\",\"close\":1},\n"
                 " {\"date\":\"2025-02-18\",\"ticker\":\"B\",\"close\":\"x\"}]",
                 DEFIDX_EDATA, 2, 44, "not a string");
    expect_error("\xEF\xBB\xBF[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":\"x\"}]", DEFIDX_EDATA,
                 1, 44, "not a string");
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"MÜ\",\"close\":\"x\"}]", DEFIDX_EDATA, 1, 45,
                 "not a string");
    expect_error("[{\"date\":\"2025-02-18\",\"TICKER\":\"A\",\"Close\":true}]", DEFIDX_EDATA, 1, 44,
                 "not a boolean");
}

/* Syntax errors, named and placed at the mistake (cJSON's own position is often a little past it):
 * - a missing comma: '[{"date": "2025-02-18" "ticker"' at the second key's quote, col 24;
 * - a trailing comma in an object: at the '}' it stands before, col 15 of line 3;
 * - a text ending early ('[1,2'): where it ends, col 5, as a file cut short;
 * - text after the value: '[] x' -> the x at col 4. */
static void syntax_errors(void **state)
{
    (void)state;
    expect_error("[{\"date\": \"2025-02-18\" \"ticker\": \"A\", \"close\": 1}]", DEFIDX_EDATA, 1, 24,
                 "JSON syntax error: a comma is missing before this");
    expect_error("[\n  {\"date\": \"2025-02-18\",\n   \"close\": 1,}\n]", DEFIDX_EDATA, 3, 15,
                 "JSON syntax error: a comma before '}'");
    expect_error("[1,2", DEFIDX_EDATA, 1, 5, "JSON syntax error: the JSON ends before it is complete (hint: the file looks cut short");
    expect_error("[] x", DEFIDX_EDATA, 1, 4, "unexpected text after the JSON value");
    expect_error("[NaN]", DEFIDX_EDATA, 1, 2, "JSON syntax error: 'NaN' is not a JSON number (hint: write null");
    expect_error(" \r\n", DEFIDX_EINPUT, 0, 0, "e.json is empty");
}

/* A second, different close for the same ticker and date is the panel's error, at the second
 * record's close (line 2, col 44 as in the template). */
static void conflict(void **state)
{
    (void)state;
    const char *text = "[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":1},\n"
                       " {\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":2}]";
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(defidx_load_json(p, "c.json", text, strlen(text), NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, "c.json");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 44);
    assert_non_null(strstr(err.message, "second different close for A on 2025-02-18"));
    defidx_panel_free(p);
}

/* Found by fuzzing: text ending in a backslash sent the NUL-escape scan past the end of the buffer.
 * The buffer here is exactly the text, without a terminating NUL, so ASan sees any over-read. */
static void trailing_backslash(void **state)
{
    (void)state;
    static const char text[] = "[{\"date\":\"2025-02-18\",\"ticker\":\"A\\";
    size_t len = sizeof text - 1;
    char *exact = malloc(len);
    assert_non_null(exact);
    memcpy(exact, text, len);
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(defidx_load_json(p, "t.json", exact, len, NULL, NULL, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "JSON syntax error"));
    free(exact);
    defidx_panel_free(p);
}

/* Each mistake the syntax checker names, where it is (cJSON's own position is often past it). */
static void syntax_named(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line, column;
        const char *fragment;
    } cases[] = {
        {"[{\"date\":\"2025-02-18\",\"tick", 1, 28, "ends before it is complete (hint: the file looks cut short"},
        {"[{\"date\":\"2025-02-18\"", 1, 22, "ends before it is complete"},
        {"[{\"date\":tru", 1, 13, "ends before it is complete"},
        {"[{'date':'2025-02-18'}]", 1, 3, "a single quote (hint: JSON strings and keys are in double quotes)"},
        {"[{\"close\":-Infinity}]", 1, 11, "'-Infinity' is not a JSON number (hint: write null"},
        {"[{\"close\":True}]", 1, 11, "'True' is not a JSON value"},
        {"[{\"close\":1O.5}]", 1, 11, "'1O' is not a JSON value"},
        {"[\n  // a comment\n  1]", 2, 3, "a comment (hint: JSON has no comments"},
        {"[{date:\"2025-02-18\"}]", 1, 3, "a key without double quotes"},
        {"[{\"date\" \"2025-02-18\"}]", 1, 10, "':' is missing after the key"},
        {"[{\"a\":1,}]", 1, 9, "a comma before '}'"},
        {"[1,2,]", 1, 6, "a comma before ']'"},
        {"[{\"a\":1]", 1, 8, "']' where the object needs '}'"},
        {"[\"C:\\data\"]", 1, 5, "'\\d' is not an escape of JSON"},
        {"[\"\\u00e\"]", 1, 3, "a \\u escape without four hex digits"},
        {"[1 2]", 1, 4, "a comma is missing before this"},
        {"[,1]", 1, 2, "a value is missing here"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error(cases[i].text, DEFIDX_EDATA, cases[i].line, cases[i].column, cases[i].fragment);
}

/* cJSON nests arrays and objects 1,000 deep and no deeper; past that the message says so, at the
 * bracket that goes one level too deep, however deep the text goes (a million levels here). */
static void nesting_limit(void **state)
{
    (void)state;
    for (size_t depth = 1000; depth <= 1000000; depth = depth == 1000 ? 1001 : depth * 1000) {
        char *text = malloc(2 * depth + 1);
        assert_non_null(text);
        memset(text, '[', depth);
        memset(text + depth, ']', depth);
        text[2 * depth] = '\0';
        defidx_panel *p = defidx_panel_new();
        defidx_error err;
        defidx_error_clear(&err);
        int rc = defidx_load_json(p, "d.json", text, 2 * depth, NULL, NULL, &err);
        defidx_panel_free(p);
        free(text);
        if (depth == 1000) /* it parses: an array of an array..., and holds no record */
            assert_int_equal(rc, DEFIDX_EDATA), assert_non_null(strstr(err.message, "a record must be an object"));
        else if (rc != DEFIDX_EDATA || err.line != 1 || err.column != 1001 ||
                 !strstr(err.message, "the JSON is nested deeper than the limit of 1000 levels (hint: "))
            fail_msg("depth %zu: %d at %ld:%ld '%s'", depth, rc, err.line, err.column, err.message);
    }
}

/* A record that has a key it is read by twice (in any case: cJSON finds keys so) is refused at the
 * second, as either value may be meant; keys the loader does not read may repeat. */
static void repeated_keys(void **state)
{
    (void)state;
    expect_record_error("1", ",\"close\":2", 46, "record has \"close\" twice");
    expect_record_error("1", ",\"CLOSE\":2", 46, "record has \"CLOSE\" twice");
    expect_error("[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"ticker\":\"B\",\"close\":1}]", DEFIDX_EDATA, 1, 36,
                 "record has \"ticker\" twice");
    const char *ok = "[{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":1,\"note\":1,\"note\":2}]";
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(defidx_load_json(p, "k.json", ok, strlen(ok), NULL, NULL, &err), 0);
    defidx_panel_free(p);
}

/* A currency is checked where it is written: the close 1 at col 44, then ,"currency": (12
 * characters), so the value at col 57. */
static void bad_currency(void **state)
{
    (void)state;
    expect_record_error("1", ",\"currency\":\"EURO\"", 57, "currency 'EURO' is not a currency code (hint: ");
}

/* JSON Lines (one record a line) is named as such; other text after the value is not. */
static void json_lines(void **state)
{
    (void)state;
    expect_error("{\"date\":\"2025-02-18\",\"ticker\":\"A\",\"close\":1}\n{\"date\":\"2025-02-19\"}\n", DEFIDX_EDATA, 2, 1,
                 "a second JSON value after the first, on a line of its own (hint: JSON Lines");
    expect_error("[] []", DEFIDX_EDATA, 1, 4, "unexpected text after the JSON value");
}

/* JSON is read whole, and cJSON's tree of it is about ten times its size: past DEFIDX_JSON_MAX
 * bytes it is refused before cJSON sees it. calloc's pages are not touched beyond the first. */
static void size_limit(void **state)
{
    (void)state;
    size_t len = (size_t)DEFIDX_JSON_MAX + 1;
    char *text = calloc(len, 1);
    assert_non_null(text);
    text[0] = '[';
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_load_json(p, "huge.json", text, len, NULL, NULL, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "the JSON file is larger than the limit of 268435456 bytes (hint: "));
    defidx_panel_free(p);
    free(text);
}

/* A JSON price file over DEFIDX_JSON_MAX is refused by its size, before it is read: of a sparse
 * file of 2^28 + 1 bytes ('[', spaces and zeros), given as standard input so that the offset reached counts
 * the bytes read, no more than 1 MiB is read (the reader's first read is 128 KiB; reading it whole
 * reached 268,435,457). By path, the same message. */
static void size_limit_unread(void **state)
{
    (void)state;
    char path[] = "/tmp/defidx_test_XXXXXX";
    sparse_text_file(path, "[", (off_t)DEFIDX_JSON_MAX + 1);
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    defidx_error_clear(&err);
    stdin_from(path);
    assert_int_equal(defidx_load_prices(p, "-", NULL, NULL, &err), DEFIDX_EDATA);
    off_t bytes_read = read_of_stdin();
    assert_true(bytes_read <= 1 << 20);
    assert_string_equal(err.file, "<stdin>");
    assert_non_null(strstr(err.message, "the JSON file is larger than the limit of 268435456 bytes (hint: "));
    defidx_error_clear(&err);
    assert_int_equal(defidx_load_prices(p, path, NULL, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "the JSON file is larger than the limit of 268435456 bytes (hint: "));
    assert_int_equal(dfx_panel_observation_count(p), 0);
    defidx_panel_free(p);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_fixture),
        cmocka_unit_test(records_origins),
        cmocka_unit_test(series_fixture),
        cmocka_unit_test(keys_and_empties),
        cmocka_unit_test(detected_after_bom),
        cmocka_unit_test(bad_close),
        cmocka_unit_test(bad_date_and_ticker),
        cmocka_unit_test(bad_extras),
        cmocka_unit_test(bad_records),
        cmocka_unit_test(bad_series),
        cmocka_unit_test(scanner),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(conflict),
        cmocka_unit_test(trailing_backslash),
        cmocka_unit_test(syntax_named),
        cmocka_unit_test(nesting_limit),
        cmocka_unit_test(repeated_keys),
        cmocka_unit_test(bad_currency),
        cmocka_unit_test(json_lines),
        cmocka_unit_test(size_limit),
        cmocka_unit_test(size_limit_unread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
