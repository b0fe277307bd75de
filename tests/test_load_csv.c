/* test_load_csv.c: the CSV loader (long, wide, single-instrument shapes), defidx_read_file and
 * defidx_load_prices. Every expected line:column below is worked out by hand from the fixture or
 * the inline text: columns are 1-based characters of the physical line, a BOM is not counted. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, ftruncate (test_util.h's files) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Loads and finishes a panel from a buffer; fails the test on any error. */
static defidx_panel *load_text(const char *name, const char *text)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    defidx_error_clear(&err);
    if (defidx_load_csv(p, name, text, strlen(text), NULL, NULL, &err) ||
        defidx_panel_finish(p, NULL, &err)) {
        char buf[1200];
        defidx_error_format(&err, buf, sizeof buf);
        defidx_panel_free(p);
        fail_msg("%s", buf);
    }
    return p;
}

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

/* Loads text and expects an error with this code, position and message fragment. A data error's
 * message must also carry a hint. */
static void expect_error(const char *name, const char *text, int code, long line, long column,
                         const char *fragment)
{
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    defidx_error_clear(&err);
    int rc = defidx_load_csv(p, name, text, strlen(text), NULL, NULL, &err);
    defidx_panel_free(p);
    if (rc != code || err.code != code || err.line != line || err.column != column ||
        !strstr(err.message, fragment) || (code == DEFIDX_EDATA && !strstr(err.message, "(hint: ")))
        fail_msg("got %d at %ld:%ld '%s'; expected %d at %ld:%ld with '%s'", rc, err.line, err.column,
                 err.message, code, line, column, fragment);
    assert_string_equal(err.file, code == DEFIDX_EDATA ? name : ""); /* "FILE is empty" names it */
}

/* ---- the shapes ------------------------------------------------------------------------- */

/* load_long.csv: BOM, CRLF, header names in mixed case, an ignored Note column holding a quoted
 * CRLF, a comma and doubled quotes, blank lines, optional currency/shares/free_float. */
static void long_fixture(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_long.csv", 1, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), 2);
    assert_string_equal(defidx_panel_ticker(p, 0), "RHM.DE"); /* order of first appearance */
    assert_string_equal(defidx_panel_ticker(p, 1), "BA.L");
    assert_int_equal(defidx_panel_date_count(p), 2);
    assert_true(price(p, "RHM.DE", "2025-02-18") == 784.2);
    assert_true(price(p, "RHM.DE", "2025-02-19") == 801.4);
    assert_true(price(p, "BA.L", "2025-02-18") == 1320.5);
    assert_true(isnan(price(p, "BA.L", "2025-02-19"))); /* empty close: missing, never 0 */
    assert_string_equal(defidx_panel_currency(p, 0), "EUR");
    assert_string_equal(defidx_panel_currency(p, 1), "GBX");
    assert_double_near(defidx_panel_shares(p, 0, 0), 43530000, 0);
    assert_double_near(defidx_panel_shares(p, 0, 1), 43530000, 0); /* carried forward */
    assert_double_near(defidx_panel_shares(p, 1, 0), 3010000000.0, 0);
    assert_double_near(defidx_panel_free_float(p, 0, 0), 1, 0);
    assert_double_near(defidx_panel_free_float(p, 1, 1), 0.99, 0);
    defidx_panel_free(p);
}

/* The origin of each row is the start of its close field. Loading the file twice makes every
 * priced row an identical repeat, and the panel's warning shows the second copy's origin:
 * line 2 "2025-02-18,RHM.DE,plain,784.2": 11 + 7 + 6 characters before the close -> col 25;
 * line 5 (the second line of the record opened on line 4) 'lines, and a comma",1320.5': col 21;
 * line 7 '2025-02-19,RHM.DE,"say ""hi""",801.4': 11 + 7 + 13 -> col 32.
 * Warnings come sorted by ticker (first appearance), then date. */
static void long_origins(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_long.csv", 2, &w);
    assert_int_equal(w.count, 3); /* the BA.L row with no close repeats nothing */
    expect_warning(&w, 0, "load_long.csv:2:25: repeated row for RHM.DE on 2025-02-18");
    expect_warning(&w, 1, "load_long.csv:7:32: repeated row for RHM.DE on 2025-02-19");
    expect_warning(&w, 2, "load_long.csv:5:21: repeated row for BA.L on 2025-02-18");
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* load_AIR.PA.csv: 10 Yahoo rows with Yahoo's all-null row on 2003-01-01. The ticker is the file
 * name's stem; the null day is missing and, with no other ticker, not a date of the panel. */
static void yahoo_fixture(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_AIR.PA.csv", 1, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), 1);
    assert_string_equal(defidx_panel_ticker(p, 0), "load_AIR.PA");
    assert_int_equal(defidx_panel_date_count(p), 9);
    assert_int_equal(date_index(p, "2003-01-01"), -1);
    assert_true(price(p, "load_AIR.PA", "2002-12-31") == 9.85); /* Close, not Adj Close */
    assert_true(price(p, "load_AIR.PA", "2003-01-08") == 10.77);
    defidx_panel_free(p);
}

/* load_BA.L.csv (sbam): CRLF, a Dividend column before the prices, and the dividend-only row of
 * 2023-04-20 whose price cells are empty: a missing price, not a zero and not an error. */
static void sbam_fixture(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_BA.L.csv", 1, NULL);
    assert_string_equal(defidx_panel_ticker(p, 0), "load_BA.L");
    assert_int_equal(defidx_panel_date_count(p), 6);
    assert_int_equal(date_index(p, "2023-04-20"), -1);
    assert_true(price(p, "load_BA.L", "2023-03-30") == 975.2);
    assert_true(price(p, "load_BA.L", "2023-05-09") == 991.8);
    defidx_panel_free(p);
}

/* load_stan_AIR.PA.csv: a quoted header "Date","Close" and long decimals, read exactly. */
static void quoted_header_fixture(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_stan_AIR.PA.csv", 1, NULL);
    assert_int_equal(defidx_panel_date_count(p), 5);
    assert_true(price(p, "load_stan_AIR.PA", "2015-01-02") == 35.3446426391602);
    assert_true(price(p, "load_stan_AIR.PA", "2015-01-08") == 38.4854469299316);
    defidx_panel_free(p);
}

/* load_wide.csv: one column per ticker; an empty cell, N/A and null are missing prices. The
 * origins are the cells: "2025-02-18,784.2,1320.5," has RHM.DE at col 12, BA.L at col 18. */
static void wide_fixture(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_wide.csv", 2, &w);
    assert_int_equal(defidx_panel_ticker_count(p), 3);
    assert_string_equal(defidx_panel_ticker(p, 2), "AIR.PA");
    assert_int_equal(defidx_panel_date_count(p), 3);
    assert_true(price(p, "RHM.DE", "2025-02-18") == 784.2);
    assert_true(isnan(price(p, "RHM.DE", "2025-02-19")));
    assert_true(isnan(price(p, "RHM.DE", "2025-02-20")));
    assert_true(isnan(price(p, "BA.L", "2025-02-20")));
    assert_true(isnan(price(p, "AIR.PA", "2025-02-18")));
    assert_true(price(p, "AIR.PA", "2025-02-20") == 161.02);
    expect_warning(&w, 0, "load_wide.csv:2:12: repeated row for RHM.DE");
    expect_warning(&w, 1, "load_wide.csv:2:18: repeated row for BA.L");
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* load_semicolon.csv: ';' delimiter and decimal commas, quoted or not; an unknown first column. */
static void semicolon_fixture(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_semicolon.csv", 1, NULL);
    assert_true(price(p, "RHM.DE", "2025-02-18") == 784.2);
    assert_true(price(p, "RHM.DE", "2025-02-19") == 801.4);
    defidx_panel_free(p);
}

/* TAB-delimited, blanks around header names and values, a row of bare delimiters (skipped like a
 * blank line), and a ticker written in lower case kept as written. */
static void tabs_and_blanks(void **state)
{
    (void)state;
    defidx_panel *p = load_text("t.tsv", " Date \t SYMBOL\tPrice \n"
                                         "2025-02-18\t RHM.DE \t 784.2 \n"
                                         "\t\t\n"
                                         "2025-02-19\trhm.de\t801.4\n");
    assert_true(price(p, "RHM.DE", "2025-02-18") == 784.2);
    assert_true(price(p, "rhm.de", "2025-02-19") == 801.4);
    defidx_panel_free(p);
}

/* The single-instrument shapes: stooq (no Adj Close), "Date,Close", and extra columns; the ticker
 * is the name's base without its last extension; no final newline. */
static void single_instrument_shapes(void **state)
{
    (void)state;
    defidx_panel *p = load_text("dir/RHM.DE.csv", "Date,Open,High,Low,Close,Volume\n"
                                                  "2025-02-18,770,790,765,784.2,100\n"
                                                  "2025-02-19,785,805,780,801.4,120");
    assert_string_equal(defidx_panel_ticker(p, 0), "RHM.DE");
    assert_true(price(p, "RHM.DE", "2025-02-19") == 801.4);
    defidx_panel_free(p);
    p = load_text("EUAD", "date,close,dividend\n2024-10-22,25.05,0\n");
    assert_string_equal(defidx_panel_ticker(p, 0), "EUAD");
    defidx_panel_free(p);
}

/* Standard input has no name, so the long format works from it and the single one does not. */
static void from_stdin(void **state)
{
    (void)state;
    assert_non_null(freopen(TEST_DATA_DIR "/load_long.csv", "rb", stdin));
    defidx_warnings w = {0};
    defidx_panel *p = load_path("-", 1, &w);
    assert_int_equal(defidx_panel_ticker_count(p), 2);
    defidx_panel_free(p);
    /* the single-instrument error names the header line */
    expect_error("-", "Date,Close\n2025-02-18,1\n", DEFIDX_EDATA, 1, 1, "pass --ticker");
    expect_error("<stdin>", "Date,Close\n2025-02-18,1\n", DEFIDX_EDATA, 1, 1, "standard input");
}

/* ---- reading files ------------------------------------------------------------------------ */

static void read_file_errors(void **state)
{
    (void)state;
    char *data = (char *)"untouched";
    size_t len = 7;
    defidx_error err;
    assert_int_equal(defidx_read_file(TEST_DATA_DIR "/load_no_such_file.csv", &data, &len, &err),
                     DEFIDX_EINPUT);
    assert_null(data);
    assert_non_null(strstr(err.message, "cannot open "));
    assert_non_null(strstr(err.message, "load_no_such_file.csv: No such file or directory"));
    assert_int_equal(defidx_read_file(TEST_DATA_DIR, &data, &len, &err), DEFIDX_EINPUT);
    assert_non_null(strstr(err.message, "cannot open "));
    /* a BOM and blanks only */
    assert_int_equal(defidx_read_file(TEST_DATA_DIR "/load_empty.csv", &data, &len, &err),
                     DEFIDX_EINPUT);
    assert_non_null(strstr(err.file, "load_empty.csv"));
    assert_string_equal(err.message, "the file is empty (hint: check the path, or the command that wrote it)");
    defidx_panel *p = defidx_panel_new();
    assert_int_equal(defidx_load_prices(p, TEST_DATA_DIR "/load_empty.csv", NULL, NULL, &err), DEFIDX_EINPUT);
    /* a header without rows holds no data either: an empty input (66), not bad data (65) */
    assert_int_equal(defidx_load_prices(p, TEST_DATA_DIR "/load_header_only.csv", NULL, NULL, &err), DEFIDX_EINPUT);
    assert_non_null(strstr(err.file, "load_header_only.csv"));
    assert_string_equal(err.message, "the file has no rows of prices");
    defidx_panel_free(p);
    /* the buffer loader on nothing, or on blank lines, says the same */
    expect_error("e.csv", "", DEFIDX_EINPUT, 0, 0, "e.csv is empty");
    expect_error("e.csv", "\xEF\xBB\xBF\r\n \n", DEFIDX_EINPUT, 0, 0, "e.csv is empty");
}

static void read_file_whole(void **state)
{
    (void)state;
    char *data;
    size_t len;
    assert_int_equal(defidx_read_file(TEST_DATA_DIR "/load_wide.csv", &data, &len, NULL), 0);
    assert_int_equal(len, strlen(data)); /* NUL-terminated, no NUL inside */
    assert_int_equal(len, 99);
    assert_memory_equal(data, "date,RHM.DE,BA.L,AIR.PA\n", 24);
    free(data);
}

/* The tests' limits name the file so; refusals counts the refusals by one of them (not by a
 * limit of another name) that have the message dfx_refuse_size makes of them. */
#define TEST_FILE "the test file"
static int refusals;
static void count_refusal(int rc, const defidx_error *err, size_t max)
{
    char expected[160];
    snprintf(expected, sizeof expected, TEST_FILE " is larger than the limit of %zu bytes (hint: a test)", max);
    if (rc == DEFIDX_EDATA && strcmp(err->message, expected) == 0)
        refusals++;
}

/* A first byte of '[', for limited_read's limit that holds only for such files. */
static int starts_with_bracket(const char *head, size_t len)
{
    return len > 0 && head[0] == '[';
}

/* Reads a file of head and zeros, size bytes in all, under a limit of max bytes (for files that
 * applies takes, when not NULL; others have no limit); returns the status, and the length read
 * into *len. */
static int limited_read(const char *head, off_t size, size_t max, int (*applies)(const char *, size_t),
                        size_t *len)
{
    char path[] = "/tmp/defidx_test_XXXXXX";
    sparse_file(path, head, size);
    const dfx_size_limit limits[] = {{max, applies, TEST_FILE, "a test", 0}, {SIZE_MAX, NULL, "no file", "none", 0}};
    char *data = NULL;
    defidx_error err;
    defidx_error_clear(&err);
    *len = 0;
    int rc = dfx_read_file_limited(path, limits, &data, len, &err), before = refusals;
    count_refusal(rc, &err, max);
    if (rc) {
        assert_null(data);
        assert_string_equal(err.file, path);
        assert_int_equal(refusals, before + 1); /* the message of the test's limit */
    }
    free(data);
    unlink(path);
    return rc;
}

/* The size limit checked before reading: up to max bytes are read, one more is refused; a UTF-8
 * byte-order mark is not counted (the parsers count after it); a limit that applies only to some
 * files (JSON prices, not CSV) lets the others be read whole. */
static void read_file_limit(void **state)
{
    (void)state;
    size_t len;
    refusals = 0;
    assert_int_equal(limited_read("12345678", 8, 8, NULL, &len), 0);
    assert_int_equal(len, 8);
    assert_int_equal(limited_read("123456789", 9, 8, NULL, &len), DEFIDX_EDATA);
    assert_int_equal(refusals, 1);
    assert_int_equal(limited_read("\xEF\xBB\xBF" "12345678", 11, 8, NULL, &len), 0);
    assert_int_equal(len, 11);
    assert_int_equal(limited_read("\xEF\xBB\xBF" "123456789", 12, 8, NULL, &len), DEFIDX_EDATA);
    assert_int_equal(refusals, 2);
    assert_int_equal(limited_read("date,close\n", 11, 8, starts_with_bracket, &len), 0);
    assert_int_equal(len, 11);
    assert_int_equal(limited_read("[1, 2, 3]\n", 10, 8, starts_with_bracket, &len), DEFIDX_EDATA);
    assert_int_equal(refusals, 3);
    /* a sparse file of 5 GiB under a limit of 1 KiB that is not its own: reading stops at the
     * first read (128 KiB), whose NUL bytes its parser refuses */
    assert_int_equal(limited_read("d", (off_t)5 << 30, 1024, starts_with_bracket, &len), 0);
    assert_int_equal(len, 128 << 10);
    /* one of text (then zeros) that is its own is refused by its size, after the first read */
    char path[] = "/tmp/defidx_test_XXXXXX";
    sparse_text_file(path, "[", (off_t)5 << 30);
    stdin_from(path);
    const dfx_size_limit limits[] = {{1024, starts_with_bracket, TEST_FILE, "a test", 0}};
    char *data = NULL;
    defidx_error err;
    int rc = dfx_read_file_limited("-", limits, &data, &len, &err);
    assert_int_equal(rc, DEFIDX_EDATA);
    count_refusal(rc, &err, 1024);
    assert_null(data);
    assert_int_equal(refusals, 4);
    assert_true(read_of_stdin() <= 1 << 20);
    unlink(path);
}

/* A child that writes chunk to the pipe it returns the read end of, again and again, until the
 * reader closes it (SIGPIPE ends the child). */
static int endless_pipe(const char *chunk, pid_t *child)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    *child = fork();
    assert_true(*child >= 0);
    if (*child == 0) {
        close(fds[0]);
        char block[4096];
        size_t n = strlen(chunk), used = 0;
        while (used + n <= sizeof block) {
            memcpy(block + used, chunk, n);
            used += n;
        }
        while (write(fds[1], block, used) > 0)
            ;
        _exit(0);
    }
    close(fds[1]);
    return fds[0];
}

/* Reads an endless pipe of chunk under limits; returns the status and the bytes read into *len. */
static int read_endless(const char *chunk, const dfx_size_limit *limits, size_t *len)
{
    pid_t child;
    int fd = endless_pipe(chunk, &child);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    char *data = NULL;
    defidx_error err;
    defidx_error_clear(&err);
    *len = 0;
    int rc = dfx_read_file_limited(path, limits, &data, len, &err);
    count_refusal(rc, &err, limits->max);
    free(data);
    close(fd);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return rc;
}

/* Pipes and devices have no size before they are read: the limit holds as they are read, and
 * reading stops where the parser will refuse what came (a NUL byte, a CSV line over the limit).
 * Each read below would take all memory and never end without that. */
static void read_endless_inputs(void **state)
{
    (void)state;
    const dfx_size_limit json[] = {{1 << 20, NULL, TEST_FILE, "a test", 0}};
    const dfx_size_limit csv[] = {{1 << 20, NULL, TEST_FILE, "a test", 1}};
    size_t len;
    refusals = 0;
    /* /dev/zero: the first read (128 KiB) holds NUL bytes */
    char *zeros = NULL;
    assert_int_equal(dfx_read_file_limited("/dev/zero", json, &zeros, &len, NULL), 0);
    assert_int_equal(len, 128 << 10);
    free(zeros);
    /* endless lines: refused once more than the limit (1 MiB) has come */
    assert_int_equal(read_endless("2025-02-18,RHM.DE,1\n", csv, &len), DEFIDX_EDATA);
    assert_int_equal(refusals, 1);
    /* endless JSON, which has no line limit, likewise */
    assert_int_equal(read_endless("[1,", json, &len), DEFIDX_EDATA);
    assert_int_equal(refusals, 2);
    /* endless CSV text without a line end, under a limit far above a line's: reading stops once
     * the line is longer than DEFIDX_LINE_MAX, after 128 KiB + 128 KiB + 256 KiB + 512 KiB + 1 MiB */
    const dfx_size_limit large_csv[] = {{SIZE_MAX, NULL, TEST_FILE, "a test", 1}};
    assert_int_equal(read_endless("x", large_csv, &len), 0);
    assert_int_equal(len, (size_t)2 << 20);
    assert_int_equal(refusals, 2);
}

/* ---- errors: code, line, column, message --------------------------------------------------- */

/* "2025-02-18,RHM.DE," is 18 characters, so the close of these rows starts at col 19. */
static void bad_prices(void **state)
{
    (void)state;
    const char *h = "date,ticker,close\n";
    char text[600];
    struct {
        const char *close, *fragment;
    } cases[] = {{"abc", "close 'abc' is not a number"},
                 {"1.2.3", "is not a number"},
                 {"0", "close 0 is not positive"},
                 {"-5", "close -5 is not positive"},
                 {"+nan", "close '+nan' is not a finite number"},
                 {"inf", "is not a finite number"},
                 {"-Infinity", "is not a finite number"},
                 {"1e999", "close '1e999' is out of range (hint: numbers are read up to about 1.8e308"},
                 /* 400 digits: a number, just too large (it was "not a number") */
                 {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
                  "close '1000000000000000000000000000000000000000...' is out of range"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,%s\n", h, cases[i].close);
        expect_error("p.csv", text, DEFIDX_EDATA, 2, 19, cases[i].fragment);
    }
    /* the value is shown without the CR of a CRLF line end */
    expect_error("p.csv", "date,ticker,close\r\n2025-02-18,RHM.DE,abc\r\n", DEFIDX_EDATA, 2, 19,
                 "'abc' is not a number");
    /* a decimal comma after a '.' decided the mark: "1,5" is not a number grouped in thousands */
    expect_error("p.csv", "date,ticker,close\n2025-02-17,RHM.DE,784.2\n2025-02-18,RHM.DE,\"1,5\"\n",
                 DEFIDX_EDATA, 3, 19, "'1,5' is not a number");
    /* wide: the cell of BA.L in "2025-02-18,784.2,x" starts at col 18 */
    expect_error("w.csv", "date,RHM.DE,BA.L\n2025-02-18,784.2,x\n", DEFIDX_EDATA, 2, 18,
                 "price of BA.L 'x' is not a number");
}

/* Columns count characters, not bytes: "MÜ.DE" is 5 characters (6 bytes). A BOM is not counted
 * on line 1: "date,ticker,close,price" has price at col 19. */
static void columns_are_characters(void **state)
{
    (void)state;
    expect_error("u.csv", "date,ticker,close\n2025-02-18,MÜ.DE,abc\n", DEFIDX_EDATA, 2, 18,
                 "is not a number");
    expect_error("u.csv", "\xEF\xBB\xBF" "date,ticker,close,price\n", DEFIDX_EDATA, 1, 19,
                 "column 'price' repeats the meaning of column 3");
}

static void bad_dates(void **state)
{
    (void)state;
    expect_error("d.csv", "date,ticker,close\n2023-02-30,RHM.DE,1\n", DEFIDX_EDATA, 2, 1,
                 "'2023-02-30' is not a real calendar date");
    expect_error("d.csv", "date,ticker,close\n2024-02-29,A,1\n18/02/2025,RHM.DE,1\n", DEFIDX_EDATA,
                 3, 1, "'18/02/2025' is not a date");
    expect_error("d.csv", "date,ticker,close\n,RHM.DE,1\n", DEFIDX_EDATA, 2, 1, "is not a date");
    /* wide, with the date column last: "1,2," -> col 5 */
    expect_error("d.csv", "A,B,Date\n1,2,2021-13-01\n", DEFIDX_EDATA, 2, 5, "not a real calendar date");
}

/* Too many fields: the first extra one ("2025-02-18,RHM.DE,1," is 20 characters -> col 21).
 * Too few: where the row ends ("2025-02-18,RHM.DE" is 17 characters -> col 18). */
static void field_counts(void **state)
{
    (void)state;
    expect_error("f.csv", "date,ticker,close\n2025-02-18,RHM.DE,1,extra\n", DEFIDX_EDATA, 2, 21,
                 "row has 4 fields, header has 3");
    expect_error("f.csv", "date,ticker,close\n2025-02-18,RHM.DE\n", DEFIDX_EDATA, 2, 18,
                 "row has 2 fields, header has 3");
    expect_error("f.csv", "date,ticker,close\r\n2025-02-18,RHM.DE\r\n", DEFIDX_EDATA, 2, 18,
                 "row has 2 fields, header has 3"); /* the CR is not a column */
    /* Yahoo has 7 columns */
    expect_error("X.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n2025-02-18,1,2,3,4\n",
                 DEFIDX_EDATA, 2, 19, "row has 5 fields, header has 7");
}

static void bad_tickers(void **state)
{
    (void)state;
    /* "2025-02-18," is 11 characters: the ticker starts at col 12 */
    expect_error("t.csv", "date,ticker,close\n2025-02-18,,784.2\n", DEFIDX_EDATA, 2, 12, "empty ticker");
    expect_error("t.csv", "date,ticker,close\n2025-02-18, \"  \" ,784.2\n", DEFIDX_EDATA, 2, 13,
                 "empty ticker");
    char text[300];
    snprintf(text, sizeof text, "date,ticker,close\n2025-02-18,%064d,1\n", 0);
    expect_error("t.csv", text, DEFIDX_EDATA, 2, 12, "longer than the limit of 63 bytes");
    /* wide: a value under a column with no name ("2025-02-18,1," -> col 14); a trailing
     * delimiter on every line is fine */
    expect_error("t.csv", "date,A,\n2025-02-18,1,2\n", DEFIDX_EDATA, 2, 14, "no name in the header");
    defidx_panel *p = load_text("t.csv", "date,A,\n2025-02-18,1,\n");
    assert_int_equal(defidx_panel_ticker_count(p), 1);
    defidx_panel_free(p);
}

/* "2025-02-18,RHM.DE,784.2," is 24 characters: shares start at col 25; free float follows. */
static void bad_holdings(void **state)
{
    (void)state;
    const char *h = "date,ticker,close,shares,free_float\n";
    char text[200];
    snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,784.2,0,1\n", h);
    expect_error("h.csv", text, DEFIDX_EDATA, 2, 25, "shares 0 is not positive");
    snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,784.2,-3,1\n", h);
    expect_error("h.csv", text, DEFIDX_EDATA, 2, 25, "shares -3 is not positive");
    snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,784.2,x,1\n", h);
    expect_error("h.csv", text, DEFIDX_EDATA, 2, 25, "shares 'x' is not a number");
    /* "...,784.2,100," is 28 characters: free float at col 29 */
    snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,784.2,100,1.5\n", h);
    expect_error("h.csv", text, DEFIDX_EDATA, 2, 29, "free_float 1.5 is outside (0, 1]");
    snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,784.2,100,0\n", h);
    expect_error("h.csv", text, DEFIDX_EDATA, 2, 29, "free_float 0 is outside (0, 1]");
    /* empty, null and N/A holdings are simply not given */
    snprintf(text, sizeof text, "%s2025-02-18,RHM.DE,784.2,,null\n2025-02-19,RHM.DE,790,N/A,1\n", h);
    defidx_panel *p = load_text("h.csv", text);
    assert_true(isnan(defidx_panel_shares(p, 0, 1)));
    assert_double_near(defidx_panel_free_float(p, 0, 1), 1, 0);
    defidx_panel_free(p);
}

/* Quoting errors point at the start of the field: 2025-02-18, is 11 characters -> col 12. */
static void bad_quotes(void **state)
{
    (void)state;
    expect_error("q.csv", "date,ticker,close\n2025-02-18,\"RHM.DE,784.2\n2025-02-19,RHM.DE,1\n",
                 DEFIDX_EDATA, 2, 12, "unterminated quoted field");
    expect_error("q.csv", "date,ticker,close\n2025-02-18,RH\"M.DE,784.2\n", DEFIDX_EDATA, 2, 12,
                 "misplaced quote");
    expect_error("q.csv", "date,ticker,close\n2025-02-18,\"RH\"M.DE,784.2\n", DEFIDX_EDATA, 2, 12,
                 "misplaced quote");
}

/* A field after a quoted newline is on the record's second line: 'b",' -> col 4 of line 3. */
static void error_after_quoted_newline(void **state)
{
    (void)state;
    expect_error("RHM.DE.csv", "date,note,close\n2025-02-18,\"a\nb\",abc\n", DEFIDX_EDATA, 3, 4,
                 "is not a number");
    expect_error("RHM.DE.csv", "date,note,close\r\n\r\n2025-02-18,\"a\r\n\r\nb\",1\r\n2025-02-19,x,abc\r\n",
                 DEFIDX_EDATA, 6, 14, "is not a number");
}

static void bad_headers(void **state)
{
    (void)state;
    expect_error("h.csv", "Ticker,Open,Close\nRHM.DE,1,2\n", DEFIDX_EDATA, 1, 1,
                 "no date column in the header (found: Ticker, Open, Close)");
    expect_error("h.csv", "\n\nticker;close\n", DEFIDX_EDATA, 3, 1, "found: ticker, close");
    expect_error("h.csv", "date,ticker,volume\n", DEFIDX_EDATA, 1, 1, "no close column");
    expect_error("h.csv", "date\n2025-02-18\n", DEFIDX_EDATA, 1, 1, "no price columns");
    expect_error("h.csv", "date,A,Date\n", DEFIDX_EDATA, 1, 8, "column 'Date' repeats");
    expect_error("h.csv", "\xFF\xFE" "d\0a\0", DEFIDX_EDATA, 1, 1, "UTF-16");
}

/* Repeats and conflicts are the panel's to find, at the second row's close. */
static void conflicts_reach_the_panel(void **state)
{
    (void)state;
    const char *text = "date,ticker,close,currency\n"
                       "2025-02-18,RHM.DE,784.2,EUR\n"
                       "2025-02-18,RHM.DE,785,EUR\n";
    defidx_panel *p = defidx_panel_new();
    defidx_error err;
    assert_int_equal(defidx_load_csv(p, "c.csv", text, strlen(text), NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 19);
    assert_non_null(strstr(err.message, "second different close for RHM.DE on 2025-02-18"));
    defidx_panel_free(p);
    /* a currency that changes is reported while loading, at the row that changes it */
    text = "date,ticker,close,currency\n2025-02-18,RHM.DE,784.2,EUR\n2025-02-19,RHM.DE,785,USD\n";
    p = defidx_panel_new();
    assert_int_equal(defidx_load_csv(p, "c.csv", text, strlen(text), NULL, NULL, &err), DEFIDX_EDATA);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "currency of RHM.DE changes from EUR to USD"));
    defidx_panel_free(p);
}

/* Rows before an error are in the panel; an error stops the file (no row is skipped silently). */
static void every_row_is_used(void **state)
{
    (void)state;
    const char *text = "Date,Close\n2025-02-17,1\n2025-02-18,null\n2025-02-19,N/A\n2025-02-20,\n2025-02-21,2\n";
    defidx_panel *p = load_text("A.csv", text);
    assert_int_equal(defidx_panel_date_count(p), 2);
    assert_true(price(p, "A", "2025-02-21") == 2);
    defidx_panel_free(p);
    /* NaN (any case), NA, #N/A and '-' are missing markers too (they were errors, or not
     * recognised, before); inf stays an error (bad_prices). */
    text = "Date,Close\n2025-02-17,1\n2025-02-18,nan\n2025-02-19,NaN\n2025-02-20,NA\n"
           "2025-02-21,#N/A\n2025-02-24,-\n2025-02-25,2\n";
    p = load_text("A.csv", text);
    assert_int_equal(defidx_panel_date_count(p), 2);
    defidx_panel_free(p);
    /* Rule changed: the decimal mark is decided from the data, not the delimiter, so a quoted
     * "784,2" in a comma-delimited file is 784.2 (it was an error). */
    p = load_text("p.csv", "date,ticker,close\n2025-02-18,RHM.DE,\"784,2\"\n");
    assert_double_near(price(p, "RHM.DE", "2025-02-18"), 784.2, 0);
    defidx_panel_free(p);
}

/* load_prices picks JSON by the first character after a BOM and blanks. */
/* Blanks inside quotes around a date or price are trimmed like unquoted ones, and the trimmed text
 * is what every later look at the field sees (the header's type sniffing reads fields twice). */
static void quoted_blanks_trimmed(void **state)
{
    (void)state;
    defidx_panel *p = load_text("q.csv", "date,ticker,close\n\"2025-02-18 \",AAA,\" 10 \"\n2025-02-19,AAA,11\n");
    assert_double_near(price(p, "AAA", "2025-02-18"), 10, 0);
    assert_double_near(price(p, "AAA", "2025-02-19"), 11, 0);
    defidx_panel_free(p);
}

static void detects_json(void **state)
{
    (void)state;
    defidx_panel *p = load_path(TEST_DATA_DIR "/load_records.json", 1, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), 2);
    defidx_panel_free(p);
}

/* ---- limits and what files look like when they are not what they should be ----------------- */

/* A wide header may name DEFIDX_TICKERS_MAX tickers; the one past it is refused where it stands,
 * before any row asks the panel for so many (this runs on the header, which is read either way). */
static void wide_ticker_limit(void **state)
{
    (void)state;
    for (long over = 0; over <= 1; over++) {
        size_t n = (size_t)(DEFIDX_TICKERS_MAX + over), cap = 16 + n * 10 + 32, len = 0;
        char *text = malloc(cap);
        assert_non_null(text);
        len += (size_t)snprintf(text, cap, "date");
        for (size_t k = 0; k < n; k++)
            len += (size_t)snprintf(text + len, cap - len, ",T%zu", k);
        len += (size_t)snprintf(text + len, cap - len, "\n2025-02-18");
        for (size_t k = 0; k < n; k++)
            len += (size_t)snprintf(text + len, cap - len, ",1");
        text[len++] = '\n';
        /* the 100001st name, T100000, follows "date" (4 characters) and 100000 of ",T%zu" (10 of
         * 3 characters, 90 of 4, 900 of 5, 9000 of 6, 90000 of 7: 688890) and a comma: col 688896 */
        defidx_panel *p = defidx_panel_new();
        defidx_error err;
        defidx_error_clear(&err);
        int rc = defidx_load_csv(p, "w.csv", text, len, NULL, NULL, &err);
        defidx_panel_free(p);
        free(text);
        if (over && (rc != DEFIDX_EDATA || err.line != 1 || err.column != 688896 ||
                     !strstr(err.message, "names more tickers than the limit of 100000 (hint: ")))
            fail_msg("got %d at %ld:%ld '%s'", rc, err.line, err.column, err.message);
        if (!over && rc != 0)
            fail_msg("the limit itself is refused: %s", err.message);
    }
}

/* A currency cell is checked where it is, not later without a position; an empty one is none. */
static void bad_currencies(void **state)
{
    (void)state;
    /* "2025-02-18,A,784.2," is 19 characters: the currency starts at col 20 */
    expect_error("c.csv", "date,ticker,close,currency\n2025-02-18,A,784.2,EURO\n", DEFIDX_EDATA, 2, 20,
                 "currency 'EURO' is not a currency code");
    expect_error("c.csv", "date,ticker,close,currency\n2025-02-18,A,784.2,E1R\n", DEFIDX_EDATA, 2, 20,
                 "currency 'E1R' is not a currency code");
    defidx_panel *p = load_text("c.csv", "date,ticker,close,currency\n2025-02-18,A,784.2,\n2025-02-19,B,5,GBp\n");
    assert_int_equal(defidx_panel_ticker_count(p), 2);
    defidx_panel_free(p);
}

/* A file cut short ends in a row without a line end; a short last row says so ("2025-02-18,A" is
 * 12 characters: the missing close would be at col 13). */
static void cut_short(void **state)
{
    (void)state;
    expect_error("s.csv", "date,ticker,close\n2025-02-17,A,1\n2025-02-18,A", DEFIDX_EDATA, 3, 13,
                 "row has 2 fields, header has 3, and the file ends in it without a line end (hint: the file looks cut short");
    expect_error("s.csv", "date,ticker,close\n2025-02-18,A\n", DEFIDX_EDATA, 2, 13,
                 "row has 2 fields, header has 3 (hint: quote a field");
}

/* Rows whose numbers have no separator are read at once while the decimal mark is undecided (a
 * file of whole-number prices is not kept whole in memory); once a row must wait for the mark, the
 * rows after it wait too, so that the panel still gets them in file order. */
static void whole_numbers_before_the_mark(void **state)
{
    (void)state;
    defidx_panel *p = load_text("m.csv", "date,ticker,close\n2025-02-17,A,5\n2025-02-18,A,\"1,234\"\n"
                                         "2025-02-19,A,7\n2025-02-20,A,\"1,5\"\n");
    assert_int_equal(defidx_panel_date_count(p), 4);
    assert_double_near(defidx_panel_price(p, 0, 0), 5, 0);
    assert_double_near(defidx_panel_price(p, 0, 1), 1.234, 0); /* "1,5" decided ',' */
    assert_double_near(defidx_panel_price(p, 0, 2), 7, 0);
    assert_double_near(defidx_panel_price(p, 0, 3), 1.5, 0);
    defidx_panel_free(p);
    /* a bad number read before any mark is decided is described with '.' */
    expect_error("m.csv", "date,ticker,close\n2025-02-17,A,abc\n", DEFIDX_EDATA, 2, 14,
                 "close 'abc' is not a number (hint: write digits with '.' as the decimal mark");
}

/* Files that are not text, or not CSV, are named for what they are (dfx_check_file_kind, from
 * defidx_load_prices: the loaders themselves see text). */
static void not_price_text(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
        long line, column;
        const char *fragment;
    } cases[] = {
        {"\x1f\x8b\x08\x00", 4, 1, 1, "this is a gzip-compressed file, not price data (hint: decompress it"},
        {"PK\x03\x04\x14\x00", 6, 1, 1, "this is a ZIP archive (an Excel .xlsx workbook is one), not price data"},
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", 9, 1, 1, "an Excel .xls workbook"},
        {"%PDF-1.4\n", 9, 1, 1, "this is a PDF document"},
        {"BZh91AY&SY\x00", 11, 1, 1, "this is a bzip2-compressed file"},
        {"BZh,close\n", 10, 0, 0, NULL}, /* a text that happens to start so */
        {"\xFF\xFE\x00\x00" "d\x00\x00\x00", 8, 1, 1, "the file is UTF-32 text (hint: save it as UTF-8 CSV)"},
        {"\xFF\xFE[\x00]\x00", 6, 1, 1, "the file is UTF-16 text (hint: save it as UTF-8)"},
        {"\n\n <html>", 10, 3, 2, "this is an HTML page, not price data"},
        {"<?xml version=\"1.0\"?><a/>", 25, 1, 1, "this is an XML file, not price data"},
        {"<?xml version=\"1.0\"?><html>", 27, 1, 1, "this is an HTML page"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        defidx_error err;
        defidx_error_clear(&err);
        int rc = dfx_check_file_kind("k.csv", cases[i].text, cases[i].len, DEFIDX_FILE_PRICES, &err);
        if (!cases[i].fragment ? rc != 0
                               : rc != DEFIDX_EDATA || err.line != cases[i].line || err.column != cases[i].column ||
                                     !strstr(err.message, cases[i].fragment))
            fail_msg("case %zu: %d at %ld:%ld '%s'", i, rc, err.line, err.column, err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_fixture),
        cmocka_unit_test(long_origins),
        cmocka_unit_test(yahoo_fixture),
        cmocka_unit_test(sbam_fixture),
        cmocka_unit_test(quoted_header_fixture),
        cmocka_unit_test(wide_fixture),
        cmocka_unit_test(semicolon_fixture),
        cmocka_unit_test(tabs_and_blanks),
        cmocka_unit_test(single_instrument_shapes),
        cmocka_unit_test(from_stdin),
        cmocka_unit_test(read_file_errors),
        cmocka_unit_test(read_file_whole),
        cmocka_unit_test(read_file_limit),
        cmocka_unit_test(read_endless_inputs),
        cmocka_unit_test(bad_prices),
        cmocka_unit_test(columns_are_characters),
        cmocka_unit_test(bad_dates),
        cmocka_unit_test(field_counts),
        cmocka_unit_test(bad_tickers),
        cmocka_unit_test(bad_holdings),
        cmocka_unit_test(bad_quotes),
        cmocka_unit_test(error_after_quoted_newline),
        cmocka_unit_test(bad_headers),
        cmocka_unit_test(conflicts_reach_the_panel),
        cmocka_unit_test(every_row_is_used),
        cmocka_unit_test(quoted_blanks_trimmed),
        cmocka_unit_test(detects_json),
        cmocka_unit_test(wide_ticker_limit),
        cmocka_unit_test(bad_currencies),
        cmocka_unit_test(cut_short),
        cmocka_unit_test(whole_numbers_before_the_mark),
        cmocka_unit_test(not_price_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
