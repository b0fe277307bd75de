/* test_emit.c: the output side: tables in the six formats, the compute report, the series and
 * rebase tables, and the emit options (no header, colour, sparklines). Every expected text below is
 * written out by hand; the column segments of the aligned tables are spelled one per string literal
 * so that each width can be checked by eye. The options and the HTML format are compared with the
 * golden files in tests/golden/emit/ (reviewed by eye when written) and checked independently.
 * To rewrite the golden files after a deliberate change, run the test with DEFIDX_UPDATE_GOLDEN=1
 * and review the diff. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "defidx.h"
#include "emit/emit.h"
#include "internal.h"
#include "test_util.h"

#include <cjson/cJSON.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------------------------- */

/* Days since 1970 of an ISO date the test knows to be valid. */
/* Emits t in fmt into memory and returns the text (the caller frees it). */
static char *table_text(const defidx_table *t, int fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_emit_table(f, t, fmt, NULL, &err), 0);
    fclose(f);
    return buf;
}

/* Emits r in fmt into memory and returns the text (the caller frees it). */
static char *result_text(const defidx_result *r, int fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_emit_result(f, r, fmt, NULL, &err), 0);
    fclose(f);
    return buf;
}

/* Fails unless t in fmt is exactly expected. */
static void expect_table(const defidx_table *t, int fmt, const char *expected)
{
    char *text = table_text(t, fmt);
    assert_string_equal(text, expected);
    free(text);
}

/* Fails unless r in fmt is exactly expected. */
static void expect_result(const defidx_result *r, int fmt, const char *expected)
{
    char *text = result_text(r, fmt);
    assert_string_equal(text, expected);
    free(text);
}

/* ---- a small table with everything that needs care -------------------------------------------- */

static const char *sample_header[] = {"name", "value", "pct", "day", "note"};

/* Row 1: text with a comma, quotes and accents, a number, a percent, a date, a NULL.
 * Row 2: text with a tab and a pipe, a NAN, a negative percent, no date, text with a newline. */
static void sample_table(defidx_table *t)
{
    assert_int_equal(defidx_table_init(t, 5, sample_header), 0);
    defidx_cell *row = defidx_table_add_row(t);
    assert_non_null(row);
    row[0] = defidx_cell_text("Soci\xc3\xa9t\xc3\xa9, \"A\"");
    row[1] = defidx_cell_number(1234.5, 2);
    row[2] = defidx_cell_percent(0.1234, 2);
    row[3] = defidx_cell_date(day("2025-02-28"));
    row = defidx_table_add_row(t);
    assert_non_null(row);
    row[0] = defidx_cell_text("Tab\there|pipe");
    row[1] = defidx_cell_number(NAN, 2);
    row[2] = defidx_cell_percent(-0.05, 1);
    row[3] = defidx_cell_date(DEFIDX_NO_DATE);
    row[4] = defidx_cell_text("line1\nline2");
}

static const char sample_csv[] =
    "name,value,pct,day,note\n"
    "\"Soci\xc3\xa9t\xc3\xa9, \"\"A\"\"\",1234.5,0.1234,2025-02-28,\n"
    "Tab\there|pipe,,-0.05,,\"line1\nline2\"\n";

static const char sample_tsv[] =
    "name\tvalue\tpct\tday\tnote\n"
    "Soci\xc3\xa9t\xc3\xa9, \"A\"\t1234.5\t0.1234\t2025-02-28\t\n"
    "Tab here|pipe\t\t-0.05\t\tline1 line2\n";

static const char sample_json[] =
    "[\n"
    "{\"name\": \"Soci\xc3\xa9t\xc3\xa9, \\\"A\\\"\", \"value\": 1234.5, \"pct\": 0.1234, "
    "\"day\": \"2025-02-28\", \"note\": null},\n"
    "{\"name\": \"Tab\\u0009here|pipe\", \"value\": null, \"pct\": -0.05, \"day\": null, "
    "\"note\": \"line1\\u000aline2\"}\n"
    "]\n";

/* Widths: name 16 (UTF-8 characters; the tab escaped as the 4 characters \x09), value 7, pct 7,
 * day 10, note 14 (the line break as \x0a; last: not padded). */
static const char sample_human[] =
    "name            " "  " "  value" "  " "    pct" "  " "       day" "  " "note\n"
    "----------------" "  " "-------" "  " "-------" "  " "----------" "  " "--------------\n"
    "Soci\xc3\xa9t\xc3\xa9, \"A\"    " "  " "1234.50" "  " "+12.34%" "  " "2025-02-28" "  " "-\n"
    "Tab\\x09here|pipe" "  " "      -" "  " "  -5.0%" "  " "         -" "  " "line1\\x0aline2\n";

static const char sample_md[] =
    "| name | value | pct | day | note |\n"
    "|---|---:|---:|---:|---|\n"
    "| Soci\xc3\xa9t\xc3\xa9, \"A\" | 1234.50 | +12.34% | 2025-02-28 |  |\n"
    "| Tab\\x09here\\|pipe | - | -5.0% | - | line1\\x0aline2 |\n";

static void test_table_csv(void **state)
{
    (void)state;
    defidx_table t;
    sample_table(&t);
    expect_table(&t, DEFIDX_FORMAT_CSV, sample_csv);
    defidx_table_free(&t);
}

static void test_table_tsv(void **state)
{
    (void)state;
    defidx_table t;
    sample_table(&t);
    expect_table(&t, DEFIDX_FORMAT_TSV, sample_tsv);
    defidx_table_free(&t);
}

static void test_table_json(void **state)
{
    (void)state;
    defidx_table t;
    sample_table(&t);
    char *text = table_text(&t, DEFIDX_FORMAT_JSON);
    assert_string_equal(text, sample_json);

    /* Parsed back, the strings are the originals and the missing values are null. */
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_true(cJSON_IsArray(root));
    assert_int_equal(cJSON_GetArraySize(root), 2);
    cJSON *first = cJSON_GetArrayItem(root, 0), *second = cJSON_GetArrayItem(root, 1);
    assert_string_equal(cJSON_GetObjectItem(first, "name")->valuestring,
                        "Soci\xc3\xa9t\xc3\xa9, \"A\"");
    assert_true(cJSON_GetObjectItem(first, "value")->valuedouble == 1234.5);
    assert_true(cJSON_GetObjectItem(first, "pct")->valuedouble == 0.1234);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(first, "note")));
    assert_string_equal(cJSON_GetObjectItem(second, "name")->valuestring, "Tab\there|pipe");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(second, "value")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(second, "day")));
    assert_string_equal(cJSON_GetObjectItem(second, "note")->valuestring, "line1\nline2");
    cJSON_Delete(root);
    free(text);
    defidx_table_free(&t);
}

static void test_table_human(void **state)
{
    (void)state;
    defidx_table t;
    sample_table(&t);
    expect_table(&t, DEFIDX_FORMAT_TABLE, sample_human);
    defidx_table_free(&t);
}

static void test_table_md(void **state)
{
    (void)state;
    defidx_table t;
    sample_table(&t);
    expect_table(&t, DEFIDX_FORMAT_MD, sample_md);
    defidx_table_free(&t);
}

/* JSON strings stay valid whatever the bytes: controls escaped, broken UTF-8 replaced. */
static void test_json_escaping(void **state)
{
    (void)state;
    static const char *header[] = {"k\"ey"};
    defidx_table t;
    assert_int_equal(defidx_table_init(&t, 1, header), 0);
    defidx_cell *row = defidx_table_add_row(&t);
    row[0] = defidx_cell_text("a\\b\x01\x1f\xff\xc3(\xe2\x82\xac\xf0\x9f\x93\x88");
    row = defidx_table_add_row(&t);
    row[0] = defidx_cell_number(INFINITY, 2);
    row = defidx_table_add_row(&t);
    row[0] = defidx_cell_number(-0.0, 2);
    expect_table(&t, DEFIDX_FORMAT_JSON,
                 "[\n"
                 "{\"k\\\"ey\": \"a\\\\b\\u0001\\u001f\\ufffd\\ufffd(\xe2\x82\xac\xf0\x9f\x93\x88\"},\n"
                 "{\"k\\\"ey\": null},\n"
                 "{\"k\\\"ey\": 0}\n"
                 "]\n");
    defidx_table_free(&t);
}

/* Control characters from the data never reach a terminal or break a TSV line: the people's
 * formats escape them (and C1 controls and bytes that are not UTF-8) as \xHH, TSV flattens them to
 * blanks. "a\x1b[31mb\r\n" escaped is a \x1b [31mb \x0d \x0a: 1 + 4 + 5 + 4 + 4 = 18 columns. */
static void test_control_chars(void **state)
{
    (void)state;
    static const char *header[] = {"t"};
    defidx_table t;
    assert_int_equal(defidx_table_init(&t, 1, header), 0);
    defidx_cell *row = defidx_table_add_row(&t);
    row[0] = defidx_cell_text("a\x1b[31mb\r\n");
    expect_table(&t, DEFIDX_FORMAT_TSV, "t\na [31mb  \n");
    expect_table(&t, DEFIDX_FORMAT_TABLE, "t\n------------------\na\\x1b[31mb\\x0d\\x0a\n");
    expect_table(&t, DEFIDX_FORMAT_MD, "| t |\n|---|\n| a\\x1b[31mb\\x0d\\x0a |\n");
    expect_table(&t, DEFIDX_FORMAT_CSV, "t\n\"a\x1b[31mb\r\n\"\n");
    defidx_table_free(&t);
}

/* defidx_text_escape, worked by hand: ESC, BEL, CR, LF and DEL each become \xHH; U+009B (C2 9B, a
 * C1 control) two escapes; a lone FF byte and a cut sequence (E2 82 then "x") an escape a byte;
 * é (C3 A9), € (E2 82 AC) and the backslash stay. The length is the whole text's, as snprintf's;
 * a cut copy never ends inside an escape or a character. */
static void test_text_escape(void **state)
{
    (void)state;
    char buf[128];
    const char *in = "R\x1b[31m\a\r\n\x7f|\xc2\x9b|\xff|\xe2\x82x|\xc3\xa9\xe2\x82\xac\\";
    const char *want = "R\\x1b[31m\\x07\\x0d\\x0a\\x7f|\\xc2\\x9b|\\xff|\\xe2\\x82x|\xc3\xa9\xe2\x82\xac\\";
    assert_int_equal(defidx_text_escape(buf, sizeof buf, in), strlen(want));
    assert_string_equal(buf, want);
    assert_int_equal(defidx_text_escape(NULL, 0, in), strlen(want));
    assert_int_equal(defidx_text_escape(buf, 7, "ab\x1b"), 6); /* "ab\x1b" fits in 7 */
    assert_string_equal(buf, "ab\\x1b");
    assert_int_equal(defidx_text_escape(buf, 6, "ab\x1b" "c"), 7); /* the escape does not fit whole */
    assert_string_equal(buf, "ab");
    assert_int_equal(defidx_text_escape(buf, 3, "a\xc3\xa9"), 3); /* nor does é */
    assert_string_equal(buf, "a");
    assert_int_equal(defidx_text_escape(buf, sizeof buf, NULL), 0);
    assert_string_equal(buf, "");
}

/* A table without rows: a header only, and an empty JSON array. */
static void test_table_empty(void **state)
{
    (void)state;
    static const char *header[] = {"a", "b"};
    defidx_table t;
    assert_int_equal(defidx_table_init(&t, 2, header), 0);
    expect_table(&t, DEFIDX_FORMAT_JSON, "[]\n");
    expect_table(&t, DEFIDX_FORMAT_CSV, "a,b\n");
    expect_table(&t, DEFIDX_FORMAT_TABLE, "a  b\n-  -\n");
    expect_table(&t, DEFIDX_FORMAT_MD, "| a | b |\n|---|---|\n");
    defidx_table_free(&t);
    defidx_table_free(&t); /* a second free is harmless */
    assert_int_equal(defidx_table_init(&t, 0, header), DEFIDX_EUSAGE);
}

/* The table owns its copy of the header array: the caller's may go away. */
static void test_table_header_copied(void **state)
{
    (void)state;
    const char *header[] = {"x", "y"};
    defidx_table t;
    assert_int_equal(defidx_table_init(&t, 2, header), 0);
    header[0] = "changed";
    for (int i = 0; i < 40; i++) { /* past the first growth */
        defidx_cell *row = defidx_table_add_row(&t);
        assert_non_null(row);
        assert_int_equal(row[0].kind, DEFIDX_CELL_NULL);
        row[0] = defidx_cell_number(i, 0);
    }
    assert_int_equal(t.row_count, 40);
    assert_true(t.cells[39 * 2].number == 39);
    assert_string_equal(t.header[0], "x");
    defidx_table_free(&t);
}

static void test_format_parse(void **state)
{
    (void)state;
    assert_int_equal(defidx_format_parse("table"), DEFIDX_FORMAT_TABLE);
    assert_int_equal(defidx_format_parse("tsv"), DEFIDX_FORMAT_TSV);
    assert_int_equal(defidx_format_parse("csv"), DEFIDX_FORMAT_CSV);
    assert_int_equal(defidx_format_parse("json"), DEFIDX_FORMAT_JSON);
    assert_int_equal(defidx_format_parse("md"), DEFIDX_FORMAT_MD);
    assert_int_equal(defidx_format_parse("html"), DEFIDX_FORMAT_HTML);
    assert_int_equal(defidx_format_parse("HTML"), -1);
    assert_int_equal(defidx_format_parse("xml"), -1);
    assert_int_equal(defidx_format_parse(""), -1);
    assert_int_equal(defidx_format_parse(NULL), -1);
    assert_int_equal(defidx_cell_text(NULL).kind, DEFIDX_CELL_NULL);
    for (int f = 0; f < DEFIDX_FORMAT_COUNT; f++)
        assert_int_equal(defidx_format_parse(defidx_format_name(f)), f);
    assert_null(defidx_format_name(DEFIDX_FORMAT_COUNT));
    assert_null(defidx_format_name(-1));
}

/* A file name's extension: a format's name, its usual extension, or htm. */
static void test_format_extension(void **state)
{
    (void)state;
    static const char *const usual[] = {"txt", "tsv", "csv", "json", "md", "html", "xlsx"};
    for (int f = 0; f < DEFIDX_FORMAT_COUNT; f++) {
        assert_string_equal(defidx_format_extension(f), usual[f]);
        assert_int_equal(defidx_format_of_extension(usual[f]), f);
        assert_int_equal(defidx_format_of_extension(defidx_format_name(f)), f);
    }
    assert_int_equal(defidx_format_of_extension("htm"), DEFIDX_FORMAT_HTML);
    assert_int_equal(defidx_format_of_extension("TXT"), -1); /* the caller lowers the case */
    assert_int_equal(defidx_format_of_extension("xls"), -1);
    assert_int_equal(defidx_format_of_extension(""), -1);
    assert_int_equal(defidx_format_of_extension(NULL), -1);
    assert_null(defidx_format_extension(DEFIDX_FORMAT_COUNT));
}

/* A value that is no format writes nothing and says so. */
static void test_format_unknown(void **state)
{
    (void)state;
    defidx_table t;
    const char *header[] = {"a"};
    assert_int_equal(defidx_table_init(&t, 1, header), 0);
    defidx_error err;
    assert_int_equal(defidx_emit_table(stdout, &t, DEFIDX_FORMAT_COUNT, NULL, &err), DEFIDX_EUSAGE);
    char want[64];
    snprintf(want, sizeof want, "unknown output format %d", DEFIDX_FORMAT_COUNT);
    assert_string_equal(err.message, want);
    defidx_table_free(&t);
}

/* A process locale with a decimal comma changes nothing in any format. */
static void test_locale_independent(void **state)
{
    (void)state;
    static const char *const candidates[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                             "fr_FR.utf8",  "nl_NL.UTF-8", "it_IT.UTF-8",
                                             "es_ES.UTF-8", "ru_RU.UTF-8", "de_DE"};
    const char *found = NULL;
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates && !found; i++) {
        if (!setlocale(LC_NUMERIC, candidates[i]))
            continue;
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 1.5);
        if (strcmp(probe, "1,5") == 0)
            found = candidates[i];
    }
    if (!found) {
        setlocale(LC_NUMERIC, "C");
        /* CI compiles one and sets DEFIDX_REQUIRE_LOCALE=1: there, a skip would hide the test */
        assert_null(getenv("DEFIDX_REQUIRE_LOCALE"));
        print_message("no comma-decimal locale installed; locale check skipped\n");
        skip();
    }
    defidx_table t;
    sample_table(&t);
    expect_table(&t, DEFIDX_FORMAT_CSV, sample_csv);
    expect_table(&t, DEFIDX_FORMAT_TSV, sample_tsv);
    expect_table(&t, DEFIDX_FORMAT_JSON, sample_json);
    expect_table(&t, DEFIDX_FORMAT_TABLE, sample_human);
    expect_table(&t, DEFIDX_FORMAT_MD, sample_md);
    defidx_table_free(&t);
    setlocale(LC_NUMERIC, "C");
}

/* A full disk is a write error, reported with DEFIDX_EWRITE, not silently lost. */
static void test_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    defidx_table t;
    sample_table(&t);
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_emit_table(f, &t, DEFIDX_FORMAT_CSV, NULL, &err), DEFIDX_EWRITE);
    assert_int_equal(err.code, DEFIDX_EWRITE);
    assert_non_null(strstr(err.message, "cannot write output"));
    assert_int_equal(defidx_emit_table(f, &t, 99, NULL, &err), DEFIDX_EUSAGE);
    defidx_table_free(&t);
    fclose(f);
}

/* ---- the compute report ---------------------------------------------------------------------- */

/* A hand-built result and the arrays it points into. */
typedef struct fixture {
    defidx_result r;
    defidx_period periods[2];
    defidx_constituent members[2];
    defidx_period member_periods[2][2];
    double contribution[2][2];
} fixture;

/* Fills one period; base NULL is a period without a base. */
static void set_period(defidx_period *p, int kind, const char *name, const char *base,
                       double base_value, double ret)
{
    snprintf(p->name, sizeof p->name, "%s", name);
    p->kind = kind;
    p->base_date = base ? day(base) : DEFIDX_NO_DATE;
    p->base_value = base_value;
    p->ret = ret;
}

/* The report of a two-stock index: level 110, ytd +10%, a "since" without a base, an all-time
 * high of 125 (drawdown 110/125 - 1 = -12%), one warning. */
static void make_result(fixture *f)
{
    memset(f, 0, sizeof *f);
    defidx_result *r = &f->r;
    snprintf(r->name, sizeof r->name, "Test & Co");
    snprintf(r->currency, sizeof r->currency, "EUR");
    r->return_type = "price";
    r->weighting = DEFIDX_WEIGHT_EQUAL;
    r->base_date = day("2024-12-31");
    r->base_value = 100;
    r->as_of = day("2025-02-28");
    r->level = 110;
    set_period(&f->periods[0], DEFIDX_PERIOD_YTD, "ytd", "2024-12-31", 100, 0.1);
    set_period(&f->periods[1], DEFIDX_PERIOD_SINCE, "since:2022-02-23", NULL, NAN, NAN);
    r->period_count = 2;
    r->periods = f->periods;
    r->ath_date = day("2025-02-18");
    r->ath_level = 125;
    r->drawdown = -0.12;

    defidx_constituent *a = &f->members[0], *b = &f->members[1];
    snprintf(a->ticker, sizeof a->ticker, "AAA.DE");
    snprintf(a->country, sizeof a->country, "DE");
    snprintf(a->segment, sizeof a->segment, "defence");
    snprintf(a->name, sizeof a->name, "Alpha, \"Aero\"");
    snprintf(a->currency, sizeof a->currency, "EUR");
    a->price_date = day("2025-02-28");
    a->price = 55.5;
    a->weight = 0.6;
    set_period(&f->member_periods[0][0], DEFIDX_PERIOD_YTD, "ytd", "2024-12-31", 50, 0.11);
    set_period(&f->member_periods[0][1], DEFIDX_PERIOD_SINCE, "since:2022-02-23", NULL, NAN, NAN);
    a->periods = f->member_periods[0];
    f->contribution[0][0] = 0.066;
    f->contribution[0][1] = NAN;
    a->contribution = f->contribution[0];

    snprintf(b->ticker, sizeof b->ticker, "BBB.L");
    snprintf(b->name, sizeof b->name, "B\xc3\xaata plc");
    snprintf(b->currency, sizeof b->currency, "GBX");
    b->price_date = day("2025-02-27");
    b->price = 1234;
    b->weight = 0.4;
    set_period(&f->member_periods[1][0], DEFIDX_PERIOD_YTD, "ytd", "2024-12-31", 1250, -0.0128);
    set_period(&f->member_periods[1][1], DEFIDX_PERIOD_SINCE, "since:2022-02-23", "2022-02-23", 1000,
               0.234);
    b->periods = f->member_periods[1];
    f->contribution[1][0] = -0.005;
    f->contribution[1][1] = 0.1;
    b->contribution = f->contribution[1];

    r->constituent_count = 2;
    r->constituents = f->members;
    defidx_warn(&r->warnings, "prices.csv", 3, 1, "a warning with \"quotes\"");
}

static const char result_json[] =
    "{\n"
    "  \"schema\": \"defidx.compute/1\",\n"
    "  \"index\": {\"name\": \"Test & Co\", \"currency\": \"EUR\", \"return_type\": \"price\", "
    "\"base_date\": \"2024-12-31\", \"base_value\": 100, \"weighting\": \"equal\"},\n"
    "  \"as_of\": \"2025-02-28\",\n"
    "  \"level\": 110,\n"
    "  \"periods\": [\n"
    "    {\"name\": \"ytd\", \"base_date\": \"2024-12-31\", \"base_level\": 100, \"return\": 0.1},\n"
    "    {\"name\": \"since:2022-02-23\", \"base_date\": null, \"base_level\": null, \"return\": null}\n"
    "  ],\n"
    "  \"returns\": {\"ytd\": 0.1, \"since:2022-02-23\": null},\n"
    "  \"all_time_high\": {\"date\": \"2025-02-18\", \"level\": 125, \"drawdown\": -0.12},\n"
    "  \"constituents\": [\n"
    "    {\"ticker\": \"AAA.DE\", \"name\": \"Alpha, \\\"Aero\\\"\", \"currency\": \"EUR\", "
    "\"price\": 55.5, \"price_date\": \"2025-02-28\", \"stale\": false, \"weight\": 0.6, "
    "\"returns\": {\"ytd\": 0.11, \"since:2022-02-23\": null}, "
    "\"bases\": {\"ytd\": \"2024-12-31\", \"since:2022-02-23\": null}, "
    "\"contribution\": {\"ytd\": 0.066, \"since:2022-02-23\": null}, "
    "\"country\": \"DE\", \"segment\": \"defence\"},\n"
    "    {\"ticker\": \"BBB.L\", \"name\": \"B\xc3\xaata plc\", \"currency\": \"GBX\", "
    "\"price\": 1234, \"price_date\": \"2025-02-27\", \"stale\": false, \"weight\": 0.4, "
    "\"returns\": {\"ytd\": -0.0128, \"since:2022-02-23\": 0.234}, "
    "\"bases\": {\"ytd\": \"2024-12-31\", \"since:2022-02-23\": \"2022-02-23\"}, "
    "\"contribution\": {\"ytd\": -0.005, \"since:2022-02-23\": 0.1}, "
    "\"country\": null, \"segment\": null}\n"
    "  ],\n"
    "  \"warnings\": [\n"
    "    \"prices.csv:3:1: a warning with \\\"quotes\\\"\"\n"
    "  ],\n"
    "  \"warning_details\": [\n"
    "    {\"kind\": \"other\", \"file\": \"prices.csv\", \"line\": 3, \"column\": 1, "
    "\"message\": \"a warning with \\\"quotes\\\"\", \"hint\": null}\n"
    "  ]\n"
    "}\n";

static void test_result_json(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    char *text = result_text(&f.r, DEFIDX_FORMAT_JSON);
    assert_string_equal(text, result_json);

    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring, "defidx.compute/1");
    cJSON *periods = cJSON_GetObjectItem(root, "periods");
    assert_int_equal(cJSON_GetArraySize(periods), 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(periods, 1), "return")));
    cJSON *members = cJSON_GetObjectItem(root, "constituents");
    assert_int_equal(cJSON_GetArraySize(members), 2);
    cJSON *bases = cJSON_GetObjectItem(cJSON_GetArrayItem(members, 1), "bases");
    assert_string_equal(cJSON_GetObjectItem(bases, "since:2022-02-23")->valuestring, "2022-02-23");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "warnings")), 1);
    cJSON_Delete(root);
    free(text);
    defidx_warnings_free(&f.r.warnings);
}

/* A stale constituent: BBB.L's last close is Tuesday 2025-02-18, carried to Friday 2025-02-28,
 * 8 business days (19, 20, 21, 24, 25, 26, 27, 28) where max_gap allows 5. The JSON says so per
 * constituent, and "returns" repeats the periods' returns as an object keyed by period name. */
static void test_result_json_stale(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    f.r.max_gap = 5;
    f.members[1].price_date = day("2025-02-18");
    f.members[1].stale = 1;
    f.r.stale_constituents = 1;
    char *text = result_text(&f.r, DEFIDX_FORMAT_JSON);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    cJSON *members = cJSON_GetObjectItem(root, "constituents");
    cJSON *a = cJSON_GetArrayItem(members, 0), *b = cJSON_GetArrayItem(members, 1);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(a, "stale")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(b, "stale")));
    assert_string_equal(cJSON_GetObjectItem(b, "price_date")->valuestring, "2025-02-18");
    cJSON *returns = cJSON_GetObjectItem(root, "returns");
    assert_true(cJSON_IsObject(returns));
    assert_int_equal(cJSON_GetArraySize(returns), 2);
    assert_float_equal(cJSON_GetObjectItem(returns, "ytd")->valuedouble, 0.1, 1e-15);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(returns, "since:2022-02-23")));
    cJSON_Delete(root);
    free(text);
    defidx_warnings_free(&f.r.warnings);
}

static const char result_csv[] =
    "entity,ticker,name,currency,period,as_of,value,base_date,base_value,return,weight,"
    "contribution,return_type,price_date,stale\n"
    "index,,Test & Co,EUR,ytd,2025-02-28,110,2024-12-31,100,0.1,,,price,,\n"
    "index,,Test & Co,EUR,since:2022-02-23,2025-02-28,110,,,,,,price,,\n"
    "constituent,AAA.DE,\"Alpha, \"\"Aero\"\"\",EUR,ytd,2025-02-28,55.5,2024-12-31,50,0.11,0.6,"
    "0.066,price,2025-02-28,0\n"
    "constituent,AAA.DE,\"Alpha, \"\"Aero\"\"\",EUR,since:2022-02-23,2025-02-28,55.5,,,,0.6,,price,"
    "2025-02-28,0\n"
    "constituent,BBB.L,B\xc3\xaata plc,GBX,ytd,2025-02-28,1234,2024-12-31,1250,-0.0128,0.4,"
    "-0.005,price,2025-02-27,0\n"
    "constituent,BBB.L,B\xc3\xaata plc,GBX,since:2022-02-23,2025-02-28,1234,2022-02-23,1000,"
    "0.234,0.4,0.1,price,2025-02-27,0\n";

static void test_result_csv(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    expect_result(&f.r, DEFIDX_FORMAT_CSV, result_csv);
    defidx_warnings_free(&f.r.warnings);
}

static void test_result_tsv(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    expect_result(&f.r, DEFIDX_FORMAT_TSV,
                  "entity\tticker\tname\tcurrency\tperiod\tas_of\tvalue\tbase_date\tbase_value\t"
                  "return\tweight\tcontribution\treturn_type\tprice_date\tstale\n"
                  "index\t\tTest & Co\tEUR\tytd\t2025-02-28\t110\t2024-12-31\t100\t0.1\t\t\tprice\t\t\n"
                  "index\t\tTest & Co\tEUR\tsince:2022-02-23\t2025-02-28\t110\t\t\t\t\t\tprice\t\t\n"
                  "constituent\tAAA.DE\tAlpha, \"Aero\"\tEUR\tytd\t2025-02-28\t55.5\t2024-12-31\t50\t"
                  "0.11\t0.6\t0.066\tprice\t2025-02-28\t0\n"
                  "constituent\tAAA.DE\tAlpha, \"Aero\"\tEUR\tsince:2022-02-23\t2025-02-28\t55.5\t\t\t"
                  "\t0.6\t\tprice\t2025-02-28\t0\n"
                  "constituent\tBBB.L\tB\xc3\xaata plc\tGBX\tytd\t2025-02-28\t1234\t2024-12-31\t1250\t"
                  "-0.0128\t0.4\t-0.005\tprice\t2025-02-27\t0\n"
                  "constituent\tBBB.L\tB\xc3\xaata plc\tGBX\tsince:2022-02-23\t2025-02-28\t1234\t"
                  "2022-02-23\t1000\t0.234\t0.4\t0.1\tprice\t2025-02-27\t0\n");
    defidx_warnings_free(&f.r.warnings);
}

/* Periods widths: 16, 10, 10, 7. Constituents widths: Ticker 6, Name 13, Ccy 3 (text, left);
 * Price 7, Weight 6, ytd 7, since 16, Contrib ytd 11, Contrib since 24 (numbers, right). */
static const char result_human[] =
    "Test & Co (EUR, price return, equal)\n"
    "As of 2025-02-28   level 110.00\n"
    "All-time high 125.00 on 2025-02-18   drawdown -12.00%\n"
    "\n"
    "Period          " "  " " Base date" "  " "Base level" "  " " Return\n"
    "----------------" "  " "----------" "  " "----------" "  " "-------\n"
    "ytd             " "  " "2024-12-31" "  " "    100.00" "  " "+10.00%\n"
    "since:2022-02-23" "  " "         -" "  " "         -" "  " "      -\n"
    "\n"
    "Ticker" "  " "Name         " "  " "Ccy" "  " "  Price" "  " "Weight" "  " "    ytd" "  "
    "since:2022-02-23" "  " "Contrib ytd" "  " "Contrib since:2022-02-23\n"
    "------" "  " "-------------" "  " "---" "  " "-------" "  " "------" "  " "-------" "  "
    "----------------" "  " "-----------" "  " "------------------------\n"
    "AAA.DE" "  " "Alpha, \"Aero\"" "  " "EUR" "  " "  55.50" "  " "60.00%" "  " "+11.00%" "  "
    "               -" "  " "     +6.60%" "  " "                       -\n"
    "BBB.L " "  " "B\xc3\xaata plc     " "  " "GBX" "  " "1234.00" "  " "40.00%" "  " " -1.28%" "  "
    "         +23.40%" "  " "     -0.50%" "  " "                 +10.00%\n";

static void test_result_human(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    expect_result(&f.r, DEFIDX_FORMAT_TABLE, result_human);
    defidx_warnings_free(&f.r.warnings);
}

static const char result_md[] =
    "## Test & Co (EUR, price return, equal)\n"
    "\n"
    "As of 2025-02-28   level 110.00\n"
    "\n"
    "All-time high 125.00 on 2025-02-18   drawdown -12.00%\n"
    "\n"
    "| Period | Base date | Base level | Return |\n"
    "|---|---:|---:|---:|\n"
    "| ytd | 2024-12-31 | 100.00 | +10.00% |\n"
    "| since:2022-02-23 | - | - | - |\n"
    "\n"
    "| Ticker | Name | Ccy | Price | Weight | ytd | since:2022-02-23 | Contrib ytd "
    "| Contrib since:2022-02-23 |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|\n"
    "| AAA.DE | Alpha, \"Aero\" | EUR | 55.50 | 60.00% | +11.00% | - | +6.60% | - |\n"
    "| BBB.L | B\xc3\xaata plc | GBX | 1234.00 | 40.00% | -1.28% | +23.40% | -0.50% | +10.00% |\n";

static void test_result_md(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    expect_result(&f.r, DEFIDX_FORMAT_MD, result_md);
    defidx_warnings_free(&f.r.warnings);
}

/* ---- series and rebase ------------------------------------------------------------------------- */

static void test_series_table(void **state)
{
    (void)state;
    int32_t dates[3] = {day("2025-01-02"), day("2025-01-03"), day("2025-01-06")};
    double levels[3] = {100, 101.25, 99.5};
    double divisors[3] = {1000000, 1000000, 1000000.5};
    int in[3] = {12, 12, 11};
    defidx_result r;
    memset(&r, 0, sizeof r);
    r.date_count = 3;
    r.dates = dates;
    r.levels = levels;
    r.divisors = divisors;
    r.constituents_in = in;
    r.return_type = "gross";
    defidx_table t;
    assert_int_equal(defidx_series_table(&r, &t, NULL), 0);
    expect_table(&t, DEFIDX_FORMAT_CSV,
                 "date,level,divisor,constituents,return_type\n"
                 "2025-01-02,100,1000000,12,gross\n"
                 "2025-01-03,101.25,1000000,12,gross\n"
                 "2025-01-06,99.5,1000000.5,11,gross\n");
    expect_table(&t, DEFIDX_FORMAT_TABLE,
                 "      date" "  " "   level" "  " "       divisor" "  " "constituents" "  " "return_type\n"
                 "----------" "  " "--------" "  " "--------------" "  " "------------" "  " "-----------\n"
                 "2025-01-02" "  " "100.0000" "  " "1000000.000000" "  " "          12" "  " "gross\n"
                 "2025-01-03" "  " "101.2500" "  " "1000000.000000" "  " "          12" "  " "gross\n"
                 "2025-01-06" "  " " 99.5000" "  " "1000000.500000" "  " "          11" "  " "gross\n");
    defidx_table_free(&t);
}

/* A: 10, 11, (holiday), 12.1; B: 50, 40, 45, 60; C: listed from the third date, 8 then 10. */
static defidx_panel *rebase_panel(void)
{
    static const char *const dates[4] = {"2025-01-02", "2025-01-03", "2025-01-06", "2025-01-07"};
    static const double a[4] = {10, 11, NAN, 12.1}, b[4] = {50, 40, 45, 60}, c[4] = {NAN, NAN, 8, 10};
    defidx_panel *p = defidx_panel_new();
    assert_non_null(p);
    for (int i = 0; i < 4; i++) {
        if (!isnan(a[i]))
            assert_int_equal(defidx_panel_add(p, "A", day(dates[i]), a[i], NULL, NAN, NAN, NULL, NULL), 0);
        assert_int_equal(defidx_panel_add(p, "B", day(dates[i]), b[i], NULL, NAN, NAN, NULL, NULL), 0);
        if (!isnan(c[i]))
            assert_int_equal(defidx_panel_add(p, "C", day(dates[i]), c[i], NULL, NAN, NAN, NULL, NULL), 0);
    }
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    return p;
}

/* From the first date: A 10 -> 100, 11 -> 110, carried 110, 12.1 -> 121; B 50 -> 100, 80, 90,
 * 120; C has no price at the base: empty, then 100 at 8 and 125 at 10. */
static void test_rebase_first_date(void **state)
{
    (void)state;
    defidx_panel *p = rebase_panel();
    defidx_warnings w = {0};
    defidx_table t;
    assert_int_equal(defidx_rebase_table(p, DEFIDX_NO_DATE, &t, &w, NULL), 0);
    expect_table(&t, DEFIDX_FORMAT_CSV,
                 "date,A,B,C\n"
                 "2025-01-02,100,100,\n"
                 "2025-01-03,110,80,\n"
                 "2025-01-06,110,90,100\n"
                 "2025-01-07,121,120,125\n");
    expect_table(&t, DEFIDX_FORMAT_TABLE,
                 "      date" "  " "       A" "  " "       B" "  " "       C\n"
                 "----------" "  " "--------" "  " "--------" "  " "--------\n"
                 "2025-01-02" "  " "100.0000" "  " "100.0000" "  " "       -\n"
                 "2025-01-03" "  " "110.0000" "  " " 80.0000" "  " "       -\n"
                 "2025-01-06" "  " "110.0000" "  " " 90.0000" "  " "100.0000\n"
                 "2025-01-07" "  " "121.0000" "  " "120.0000" "  " "125.0000\n");
    assert_int_equal(w.count, 1);
    assert_string_equal(w.items[0], "C has no price on or before the base date 2025-01-02; "
                                    "rebased to 100 at its first price on 2025-01-06");
    defidx_table_free(&t);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* Base date on a Saturday: the base row is Friday 2025-01-03. A 11 -> 100, 100, 12.1 -> 110;
 * B 40 -> 100, 45 -> 112.5, 60 -> 150; C starts at 100 on 2025-01-06. */
static void test_rebase_holiday_base(void **state)
{
    (void)state;
    defidx_panel *p = rebase_panel();
    defidx_warnings w = {0};
    defidx_table t;
    assert_int_equal(defidx_rebase_table(p, day("2025-01-04"), &t, &w, NULL), 0);
    expect_table(&t, DEFIDX_FORMAT_CSV,
                 "date,A,B,C\n"
                 "2025-01-03,100,100,\n"
                 "2025-01-06,100,112.5,100\n"
                 "2025-01-07,110,150,125\n");
    assert_int_equal(w.count, 2); /* the base date moved to Friday, and C starts late */
    assert_non_null(strstr(w.items[0], "no prices on the base date 2025-01-04; rebased on 2025-01-03"));
    assert_non_null(strstr(w.items[1], "base date 2025-01-03"));
    defidx_table_free(&t);
    defidx_warnings_free(&w);

    /* After the last date: one row, everything at 100; only the moved base date is worth a word. */
    assert_int_equal(defidx_rebase_table(p, day("2025-03-01"), &t, &w, NULL), 0);
    expect_table(&t, DEFIDX_FORMAT_TSV, "date\tA\tB\tC\n2025-01-07\t100\t100\t100\n");
    assert_int_equal(w.count, 1);
    defidx_table_free(&t);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

static void test_rebase_before_data(void **state)
{
    (void)state;
    defidx_panel *p = rebase_panel();
    defidx_table t;
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_rebase_table(p, day("2025-01-01"), &t, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.message,
                        "base date 2025-01-01 is before the first date of the data (2025-01-02)");
    defidx_table_free(&t);
    defidx_panel_free(p);
}

/* ---- emit options and HTML ---------------------------------------------------------------------- */

#ifndef TEST_GOLDEN_DIR
#error "TEST_GOLDEN_DIR must name tests/golden (tests/CMakeLists.txt defines it)"
#endif

/* Emits a table (t) or a result (r; t NULL) in fmt with options o into memory; the caller frees. */
static char *emit_opt(const defidx_table *t, const defidx_result *r, int fmt,
                      const defidx_emit_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    defidx_error_clear(&err);
    int rc = t ? defidx_emit_table(f, t, fmt, o, &err) : defidx_emit_result(f, r, fmt, o, &err);
    assert_int_equal(rc, 0);
    fclose(f);
    return buf;
}

/* Options with header, color and spark as given. */
static defidx_emit_options options(int header, int color, const char *const *spark)
{
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    o.header = header;
    o.color = color;
    o.spark = spark;
    return o;
}

/* The sample table and a third row with the characters HTML must escape, a loss and a return that
 * rounds to zero (+0.00%: neither class nor colour). */
static void golden_table(defidx_table *t)
{
    sample_table(t);
    defidx_cell *row = defidx_table_add_row(t);
    assert_non_null(row);
    row[0] = defidx_cell_text("<b>A&D</b> 'x'");
    row[1] = defidx_cell_number(-3.25, 2);
    row[2] = defidx_cell_percent(0.00001, 2);
    row[3] = defidx_cell_date(day("2025-03-03"));
    row[4] = defidx_cell_text("x > y");
}

/* The report of make_result under a name with every character HTML escapes. */
static void golden_result(fixture *f)
{
    make_result(f);
    snprintf(f->r.name, sizeof f->r.name, "A&D <Top> \"Two\" 'Co'");
}

/* The sparklines of the golden result: the index's (5 characters), AAA.DE's (7 characters in 21
 * bytes: the Trend column is 7 wide only when counted in characters), BBB.L without one. */
static const char *const golden_spark[] = {
    "\xe2\x96\x81\xe2\x96\x83\xe2\x96\x85\xe2\x96\x87\xe2\x96\x88",
    "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87", NULL};

/* Fails unless text is the golden file tests/golden/emit/<name> (test_util.h). */
static void expect_golden(const char *text, const char *name)
{
    expect_golden_file(text, TEST_GOLDEN_DIR "/emit", name);
}

static const char *const format_ext[] = {"txt", "tsv", "csv", "json", "md", "html"};

/* Passing no options and the defaults of defidx_emit_options_init both give the bytes of
 * defidx_emit_table and defidx_emit_result, in every format. */
static void test_options_defaults(void **state)
{
    (void)state;
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    assert_int_equal(o.header, 1);
    assert_int_equal(o.color, 0);
    assert_null(o.spark);
    defidx_table t;
    golden_table(&t);
    fixture f;
    golden_result(&f);
    for (int fmt = DEFIDX_FORMAT_TABLE; fmt <= DEFIDX_FORMAT_HTML; fmt++) {
        char *plain = table_text(&t, fmt), *with = emit_opt(&t, NULL, fmt, &o),
             *null = emit_opt(&t, NULL, fmt, NULL);
        assert_string_equal(with, plain);
        assert_string_equal(null, plain);
        free(plain), free(with), free(null);
        plain = result_text(&f.r, fmt), with = emit_opt(NULL, &f.r, fmt, &o);
        null = emit_opt(NULL, &f.r, fmt, NULL);
        assert_string_equal(with, plain);
        assert_string_equal(null, plain);
        free(plain), free(with), free(null);
    }
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* Every format with and without the header, and the aligned table with colour and sparklines,
 * against the golden files. */
static void test_golden_files(void **state)
{
    (void)state;
    defidx_table t;
    golden_table(&t);
    fixture f;
    golden_result(&f);
    char name[64];
    for (int fmt = DEFIDX_FORMAT_TABLE; fmt <= DEFIDX_FORMAT_HTML; fmt++) {
        for (int header = 1; header >= 0; header--) {
            if (fmt == DEFIDX_FORMAT_JSON && !header)
                continue; /* no header to leave out: test_no_header checks it is ignored */
            defidx_emit_options o = options(header, 0, NULL);
            const char *suffix = header ? "" : "_noheader";
            char *text = emit_opt(&t, NULL, fmt, &o);
            snprintf(name, sizeof name, "table%s.%s", suffix, format_ext[fmt]);
            expect_golden(text, name);
            free(text);
            text = emit_opt(NULL, &f.r, fmt, &o);
            snprintf(name, sizeof name, "result%s.%s", suffix, format_ext[fmt]);
            expect_golden(text, name);
            free(text);
        }
    }
    static const struct {
        const char *name;
        int result, header, color, spark;
    } extra[] = {
        {"table_color.txt", 0, 1, 1, 0},           {"result_color.txt", 1, 1, 1, 0},
        {"result_spark.txt", 1, 1, 0, 1},          {"result_spark_color.txt", 1, 1, 1, 1},
        {"result_spark_noheader.txt", 1, 0, 0, 1},
    };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        defidx_emit_options o = options(extra[i].header, extra[i].color,
                                        extra[i].spark ? golden_spark : NULL);
        char *text = emit_opt(extra[i].result ? NULL : &t, &f.r, DEFIDX_FORMAT_TABLE, &o);
        expect_golden(text, extra[i].name);
        free(text);
    }
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* Fails unless haystack contains needle. */
static void expect_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("'%s' not found in:\n%s", needle, haystack);
}

/* Fails if haystack contains needle. */
static void expect_lacks(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        fail_msg("'%s' unexpectedly found in:\n%s", needle, haystack);
}

/* What the HTML must hold, checked without the golden files: a whole document, escaped text, the
 * numbers of the aligned table, classes by sign, nothing from outside. */
static void test_html_content(void **state)
{
    (void)state;
    fixture f;
    golden_result(&f);
    char *html = emit_opt(NULL, &f.r, DEFIDX_FORMAT_HTML, NULL);
    assert_true(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
    expect_contains(html, "<meta charset=\"utf-8\">");
    expect_contains(html, "<title>A&amp;D &lt;Top&gt; &quot;Two&quot; &#39;Co&#39;</title>");
    expect_contains(html, "<h1>A&amp;D &lt;Top&gt; &quot;Two&quot; &#39;Co&#39; (EUR, price return, "
                          "equal)</h1>");
    expect_contains(html, "<style>");
    expect_contains(html, "As of 2025-02-28, level 110.00");
    expect_contains(html, "All-time high 125.00 on 2025-02-18");
    expect_contains(html, "<span class=\"neg\">-12.00%</span>");
    expect_contains(html, "<td>Alpha, &quot;Aero&quot;</td>");
    expect_contains(html, "<td>B\xc3\xaata plc</td>");
    expect_contains(html, "<td class=\"num pos\">+10.00%</td>");  /* the index's ytd */
    expect_contains(html, "<td class=\"num neg\">-1.28%</td>");   /* BBB.L's ytd */
    expect_contains(html, "<td class=\"num neg\">-0.50%</td>");   /* its contribution */
    expect_contains(html, "<td class=\"num\">60.00%</td>");       /* a weight has no sign */
    expect_contains(html, "<td class=\"num\">1234.00</td>");
    expect_contains(html, "<th class=\"num\">Contrib since:2022-02-23</th>");
    expect_contains(html, "<td class=\"num\">-</td>");            /* a missing return */
    expect_lacks(html, "A&D");
    expect_lacks(html, "<script");
    expect_lacks(html, "http");
    expect_lacks(html, "src=");
    expect_lacks(html, "url(");
    expect_lacks(html, "\033");
    assert_true(strcmp(html + strlen(html) - 8, "</html>\n") == 0);
    free(html);

    defidx_table t;
    golden_table(&t);
    html = emit_opt(&t, NULL, DEFIDX_FORMAT_HTML, NULL);
    expect_contains(html, "<td>&lt;b&gt;A&amp;D&lt;/b&gt; &#39;x&#39;</td>");
    expect_contains(html, "<td class=\"num\">+0.00%</td>"); /* rounds to zero: no class */
    expect_contains(html, "<td class=\"num neg\">-5.0%</td>");
    expect_contains(html, "<td class=\"num\">-3.25</td>");  /* not a return: no class */
    expect_contains(html, "<td>x &gt; y</td>");
    expect_contains(html, "<td>Tab here|pipe</td>");        /* control characters as spaces */
    expect_contains(html, "<td></td></tr>");                /* a NULL cell is empty */
    free(html);
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* Elements that have no end tag. */
static int void_element(const char *name, size_t n)
{
    static const char *const names[] = {"meta", "br", "hr", "img", "input", "link", "wbr"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncmp(names[i], name, n) == 0)
            return 1;
    return 0;
}

/* Fails unless every '&' in text[0..n) starts one of the five escapes the emitter writes and no
 * '>' stands there alone. */
static void expect_escaped_text(const char *text, size_t n)
{
    static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '>')
            fail_msg("a bare '>' in text: %.*s", (int)n, text);
        if (text[i] != '&')
            continue;
        int known = 0;
        for (size_t e = 0; e < sizeof entities / sizeof entities[0]; e++)
            known |= strncmp(text + i, entities[e], strlen(entities[e])) == 0;
        if (!known)
            fail_msg("a bare '&' in text: %.*s", (int)n, text);
    }
}

/* A small check that html is well-formed: after the doctype, every tag opened is closed in order
 * (void elements aside), no '<' inside a tag, text escaped between tags, nothing left open. */
static void expect_well_formed(const char *html)
{
    const char *open[64];
    size_t len[64], depth = 0;
    assert_true(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
    const char *p = html + 16, *lt;
    while ((lt = strchr(p, '<'))) {
        expect_escaped_text(p, (size_t)(lt - p));
        const char *gt = strchr(lt, '>');
        assert_non_null(gt);
        assert_null(memchr(lt + 1, '<', (size_t)(gt - lt - 1)));
        int closing = lt[1] == '/';
        const char *name = lt + 1 + closing;
        size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
        assert_true(n > 0);
        if (closing) {
            if (depth == 0 || len[depth - 1] != n || strncmp(open[depth - 1], name, n) != 0)
                fail_msg("</%.*s> closes %.*s", (int)n, name, depth ? (int)len[depth - 1] : 4,
                         depth ? open[depth - 1] : "none");
            depth--;
        } else if (!void_element(name, n)) {
            assert_true(depth < 64);
            open[depth] = name;
            len[depth++] = n;
        }
        p = gt + 1;
    }
    expect_escaped_text(p, strlen(p));
    if (depth)
        fail_msg("<%.*s> is never closed", (int)len[depth - 1], open[depth - 1]);
}

static void test_html_well_formed(void **state)
{
    (void)state;
    defidx_table t;
    golden_table(&t);
    fixture f;
    golden_result(&f);
    for (int header = 0; header <= 1; header++) {
        defidx_emit_options o = options(header, 1, golden_spark); /* both ignored by HTML */
        char *html = emit_opt(&t, NULL, DEFIDX_FORMAT_HTML, &o);
        expect_well_formed(html);
        free(html);
        html = emit_opt(NULL, &f.r, DEFIDX_FORMAT_HTML, &o);
        expect_well_formed(html);
        assert_true((strstr(html, "<thead>") != NULL) == header);
        free(html);
    }
    /* An empty table is still a whole document. */
    static const char *header[] = {"a"};
    defidx_table empty;
    assert_int_equal(defidx_table_init(&empty, 1, header), 0);
    char *html = emit_opt(&empty, NULL, DEFIDX_FORMAT_HTML, NULL);
    expect_well_formed(html);
    free(html);
    defidx_table_free(&empty);
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* The text after the first line of s. */
static const char *after_first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    assert_non_null(nl);
    return nl + 1;
}

/* Without the header: CSV and TSV lose their first line, JSON stays, the aligned report keeps its
 * title lines but loses the column headings and rules. */
static void test_no_header(void **state)
{
    (void)state;
    defidx_table t;
    golden_table(&t);
    fixture f;
    golden_result(&f);
    defidx_emit_options bare = options(0, 0, NULL);
    for (int fmt = DEFIDX_FORMAT_TSV; fmt <= DEFIDX_FORMAT_JSON; fmt++) {
        char *with = emit_opt(&t, NULL, fmt, NULL), *without = emit_opt(&t, NULL, fmt, &bare);
        assert_string_equal(without, fmt == DEFIDX_FORMAT_JSON ? with : after_first_line(with));
        free(with), free(without);
        with = emit_opt(NULL, &f.r, fmt, NULL), without = emit_opt(NULL, &f.r, fmt, &bare);
        assert_string_equal(without, fmt == DEFIDX_FORMAT_JSON ? with : after_first_line(with));
        free(with), free(without);
    }
    char *text = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &bare);
    static const char title[] = "A&D <Top> \"Two\" 'Co' (EUR, price return, equal)\n"
                                "As of 2025-02-28   level 110.00\n"
                                "All-time high 125.00 on 2025-02-18   drawdown -12.00%\n\n";
    assert_true(strncmp(text, title, strlen(title)) == 0);
    expect_lacks(text, "Period");
    expect_lacks(text, "Ticker");
    expect_lacks(text, "---");
    /* Widths come from the cells alone: "Base level" (10) no longer widens "100.00" (6). */
    expect_contains(text, "\n\nytd               2024-12-31  100.00  +10.00%\n");
    expect_contains(text, "\n\nAAA.DE  ");
    free(text);
    text = emit_opt(&t, NULL, DEFIDX_FORMAT_TABLE, &bare);
    /* the name column is "Tab\x09here|pipe" wide (16): the escaped tab counts 4 */
    static const char first[] = "Soci\xc3\xa9t\xc3\xa9, \"A\"      1234.50  +12.34%  2025-02-28  -\n";
    assert_true(strncmp(text, first, strlen(first)) == 0);
    free(text);
    text = emit_opt(&t, NULL, DEFIDX_FORMAT_MD, &bare);
    assert_true(strncmp(text, "| Soci", 6) == 0);
    free(text);
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* Colour reaches the aligned table only; every other format gives the same bytes as without. */
static void test_color_table_only(void **state)
{
    (void)state;
    defidx_table t;
    golden_table(&t);
    fixture f;
    golden_result(&f);
    defidx_emit_options color = options(1, 1, NULL);
    for (int fmt = DEFIDX_FORMAT_TSV; fmt <= DEFIDX_FORMAT_HTML; fmt++) {
        char *plain = emit_opt(&t, NULL, fmt, NULL), *colored = emit_opt(&t, NULL, fmt, &color);
        assert_string_equal(colored, plain);
        expect_lacks(colored, "\033");
        free(plain), free(colored);
        plain = emit_opt(NULL, &f.r, fmt, NULL), colored = emit_opt(NULL, &f.r, fmt, &color);
        assert_string_equal(colored, plain);
        expect_lacks(colored, "\033");
        free(plain), free(colored);
    }
    char *text = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &color);
    expect_contains(text, "\033[1mTicker\033[0m");
    expect_contains(text, "\033[1mPeriod\033[0m");
    expect_contains(text, "\033[32m+10.00%\033[0m");
    expect_contains(text, "\033[32m+11.00%\033[0m");
    expect_lacks(text, "\033[31m -1.28%"); /* the padding stays outside the colour */
    expect_contains(text, " \033[31m-1.28%\033[0m");
    expect_contains(text, "(EUR, price return, equal)\nAs of"); /* the title stays plain */
    expect_contains(text, "drawdown -12.00%\n");
    expect_lacks(text, "\033[32m60.00%"); /* a weight is not a return */
    free(text);
    text = emit_opt(&t, NULL, DEFIDX_FORMAT_TABLE, &color);
    expect_contains(text, "  +0.00%"); /* rounds to zero: no colour */
    expect_lacks(text, "m+0.00%");
    expect_lacks(text, "m-3.25");
    free(text);
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* s without its ANSI SGR sequences (ESC [ ... m); the caller frees. */
static char *strip_ansi(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    while (*s) {
        if (s[0] == '\033' && s[1] == '[') {
            s += 2 + strspn(s + 2, "0123456789;");
            assert_true(*s == 'm');
            s++;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

/* The columns a line of n bytes takes on a terminal: UTF-8 characters, escape codes excluded. */
static size_t visible_width(const char *line, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (line[i] == '\033') {
            i += 1 + strspn(line + i + 2, "0123456789;") + 1; /* lands on the 'm' */
            continue;
        }
        w += ((unsigned char)line[i] & 0xC0) != 0x80;
    }
    return w;
}

/* Fails unless the lines of each table of an aligned report (blocks separated by an empty line,
 * after the title block) all take the same width: every table here ends in a numeric column. */
static void expect_equal_widths(const char *report)
{
    const char *p = strstr(report, "\n\n");
    assert_non_null(p);
    p += 2;
    size_t width = 0, blocks = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        if (nl == p) {
            width = 0; /* a new table */
        } else {
            size_t w = visible_width(p, (size_t)(nl - p));
            blocks += width == 0;
            if (width && w != width)
                fail_msg("line '%.*s' is %zu wide, not %zu", (int)(nl - p), p, w, width);
            width = w;
        }
        p = nl + 1;
    }
    assert_int_equal(blocks, 2);
}

/* Escape codes take no columns: the coloured table is the plain one once they are removed, and
 * its lines line up by what is seen. */
static void test_color_alignment(void **state)
{
    (void)state;
    fixture f;
    golden_result(&f);
    for (int spark = 0; spark <= 1; spark++) {
        defidx_emit_options plain_o = options(1, 0, spark ? golden_spark : NULL);
        defidx_emit_options color_o = options(1, 1, spark ? golden_spark : NULL);
        char *plain = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &plain_o);
        char *colored = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &color_o);
        char *stripped = strip_ansi(colored);
        assert_string_equal(stripped, plain);
        expect_equal_widths(colored);
        expect_equal_widths(plain);
        free(plain), free(colored), free(stripped);
    }
    defidx_table t;
    golden_table(&t);
    defidx_emit_options color_o = options(1, 1, NULL);
    char *plain = table_text(&t, DEFIDX_FORMAT_TABLE), *colored = emit_opt(&t, NULL, 0, &color_o);
    char *stripped = strip_ansi(colored);
    assert_string_equal(stripped, plain);
    free(plain), free(colored), free(stripped);
    defidx_table_free(&t);
    defidx_warnings_free(&f.r.warnings);
}

/* The sparklines: the index's on the level line, a Trend column after Price counted in
 * characters, an empty cell for a NULL entry, and nothing at all in the other formats. */
/* The report bundle's files: their names, the movers worked out from the fixture by hand, the
 * stamp only when given, the chart inlined or shown as chart.png, and an unknown file refused. */
static void test_report_files(void **state)
{
    (void)state;
    static const char *const names[] = {"returns.csv", "returns.json", "constituents.csv", "chart.svg",
                                        "report.txt", "report.md", "report.html", "stats.json",
                                        "report.xlsx", "factsheet.html"};
    for (int f = 0; f < DEFIDX_REPORT_FILE_COUNT; f++)
        assert_string_equal(defidx_report_file_name(f), names[f]);
    assert_null(defidx_report_file_name(DEFIDX_REPORT_FILE_COUNT));
    fixture f;
    make_result(&f);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    defidx_error err;
    assert_int_equal(defidx_emit_report(out, &f.r, DEFIDX_REPORT_FILE_COUNT, NULL, &err), DEFIDX_EUSAGE);
    defidx_report_options o;
    defidx_report_options_init(&o);
    assert_int_equal(defidx_emit_report(out, &f.r, DEFIDX_REPORT_TXT, &o, &err), 0);
    fclose(out);
    expect_contains(buf, "As of 2025-02-28");
    /* the fixture's periods are 1d, ytd and since: no week, so no movers (tests/report/bundle.sh
     * checks the movers of the bundled data against a sort of compute's wtd column) */
    assert_null(strstr(buf, "movers"));
    assert_null(strstr(buf, "Generated"));
    free(buf);
    o.stamp = "2026-11-25T21:00:00Z";
    o.chart_svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n";
    o.chart_svg_len = strlen(o.chart_svg);
    out = open_memstream(&buf, &len);
    assert_int_equal(defidx_emit_report(out, &f.r, DEFIDX_REPORT_HTML, &o, &err), 0);
    fclose(out);
    expect_contains(buf, "<svg xmlns=");
    assert_null(strstr(buf, "<?xml")); /* inlined without its XML declaration */
    expect_contains(buf, "2026-11-25T21:00:00Z");
    free(buf);
    o.chart_png = 1;
    out = open_memstream(&buf, &len);
    assert_int_equal(defidx_emit_report(out, &f.r, DEFIDX_REPORT_HTML, &o, &err), 0);
    fclose(out);
    expect_contains(buf, "<img src=\"chart.png\"");
    assert_null(strstr(buf, "<svg"));
    free(buf);
    defidx_warnings_free(&f.r.warnings);
}

static void test_spark(void **state)
{
    (void)state;
    fixture f;
    golden_result(&f);
    defidx_emit_options o = options(1, 0, golden_spark);
    char *text = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &o);
    expect_contains(text, "As of 2025-02-28   level 110.00   trend \xe2\x96\x81\xe2\x96\x83");
    /* Trend is 7 characters wide (AAA.DE's), so BBB.L's empty cell is 7 blanks. */
    expect_contains(text, "  Price  Trend    Weight");
    expect_contains(text, "  -------  -------  ------");
    expect_contains(text, "  55.50  \xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84\xe2\x96\x85"
                          "\xe2\x96\x86\xe2\x96\x87  60.00%");
    expect_contains(text, "1234.00           40.00%");
    expect_equal_widths(text);
    free(text);
    for (int fmt = DEFIDX_FORMAT_TSV; fmt <= DEFIDX_FORMAT_HTML; fmt++) {
        char *plain = emit_opt(NULL, &f.r, fmt, NULL), *with = emit_opt(NULL, &f.r, fmt, &o);
        assert_string_equal(with, plain);
        free(plain), free(with);
    }
    /* A NULL index sparkline leaves the level line as it was. */
    static const char *const members_only[] = {NULL, "ab", "c"};
    o.spark = members_only;
    text = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &o);
    expect_contains(text, "level 110.00\n");
    expect_contains(text, "  55.50  ab     60.00%");
    free(text);
    defidx_warnings_free(&f.r.warnings);
}

/* ---- marks, stale prices, chosen columns and a width ------------------------------------------ */

/* A marked number: its mark after it for people, its column one wider so that the values stay
 * aligned (an unmarked value is followed by a blank, except in the last column), nothing in the
 * machine formats. Widths by hand: name 4; price 7 ("1512.00") + 1 for the mark; day 10. */
static void test_cell_mark(void **state)
{
    (void)state;
    static const char *header[] = {"name", "price", "day"};
    defidx_table t;
    assert_int_equal(defidx_table_init(&t, 3, header), 0);
    defidx_cell *row = defidx_table_add_row(&t);
    row[0] = defidx_cell_text("a");
    row[1] = defidx_cell_number(1512, 2);
    row[1].mark = '*';
    row[2] = defidx_cell_date(day("2025-05-02"));
    row = defidx_table_add_row(&t);
    row[0] = defidx_cell_text("bb");
    row[1] = defidx_cell_number(46.07, 2);
    row[2] = defidx_cell_date(day("2025-08-01"));
    row = defidx_table_add_row(&t);
    row[0] = defidx_cell_text("c");
    row[1].mark = '\n'; /* not a printable character: no mark */
    expect_table(&t, DEFIDX_FORMAT_TABLE,
                 "name" "  " "  price " "  " "       day\n"
                 "----" "  " "--------" "  " "----------\n"
                 "a   " "  " "1512.00*" "  " "2025-05-02\n"
                 "bb  " "  " "  46.07 " "  " "2025-08-01\n"
                 "c   " "  " "      - " "  " "         -\n");
    expect_table(&t, DEFIDX_FORMAT_MD,
                 "| name | price | day |\n|---|---:|---:|\n"
                 "| a | 1512.00* | 2025-05-02 |\n| bb | 46.07 | 2025-08-01 |\n| c |  |  |\n");
    expect_table(&t, DEFIDX_FORMAT_CSV, "name,price,day\na,1512,2025-05-02\nbb,46.07,2025-08-01\nc,,\n");
    char *html = table_text(&t, DEFIDX_FORMAT_HTML);
    expect_contains(html, "<td class=\"num\">1512.00*</td>");
    expect_contains(html, "<td class=\"num\">46.07</td>");
    free(html);
    /* in the last column an unmarked value has no blank after it */
    static const char *two[] = {"name", "price"};
    defidx_table u;
    assert_int_equal(defidx_table_init(&u, 2, two), 0);
    for (size_t r = 0; r < 2; r++) {
        row = defidx_table_add_row(&u);
        row[0] = t.cells[r * 3];
        row[1] = t.cells[r * 3 + 1];
    }
    expect_table(&u, DEFIDX_FORMAT_TABLE,
                 "name    price\n----  --------\na     1512.00*\nbb      46.07\n");
    defidx_table_free(&u);
    defidx_table_free(&t);
}

/* BBB.L's last price is of Thursday 2025-02-20, and the as-of date Friday 2025-02-28: 6 business
 * days (21, 24, 25, 26, 27, 28 February), more than a max_gap of 5: stale. */
static void make_stale(fixture *f)
{
    make_result(f);
    f->members[1].price_date = day("2025-02-20");
    f->members[1].stale = 1;
    f->r.stale_constituents = 1;
    f->r.max_gap = 5;
}

/* A stale price is marked and explained under the table for people, and flagged in CSV/TSV. */
static void test_result_stale(void **state)
{
    (void)state;
    static const char note[] =
        "* BBB.L: price of 2025-02-20, carried 6 business days to 2025-02-28 (more than --max-gap 5)";
    fixture f;
    make_stale(&f);
    char *text = result_text(&f.r, DEFIDX_FORMAT_TABLE);
    /* Price is 7 + 1 wide: the mark's place is a blank in the header and in AAA.DE's row */
    expect_contains(text, "Ccy" "  " "  Price " "  " "Weight");
    expect_contains(text, "EUR" "  " "  55.50 " "  " "60.00%");
    expect_contains(text, "GBX" "  " "1234.00*" "  " "40.00%");
    char *tail = strstr(text, "+10.00%\n\n* BBB.L");
    assert_non_null(tail);
    assert_string_equal(tail + strlen("+10.00%\n\n"), "* BBB.L: price of 2025-02-20, carried 6 business "
                                                      "days to 2025-02-28 (more than --max-gap 5)\n");
    free(text);
    text = result_text(&f.r, DEFIDX_FORMAT_MD);
    expect_contains(text, "| 1234.00* |");
    expect_contains(text, "| +10.00% |\n\n\\");
    expect_contains(text, note);
    free(text);
    text = result_text(&f.r, DEFIDX_FORMAT_HTML);
    expect_contains(text, "<td class=\"num\">1234.00*</td>");
    expect_contains(text, "</table>\n<p class=\"note\">");
    expect_contains(text, "(more than --max-gap 5)</p>\n</body>");
    free(text);
    text = result_text(&f.r, DEFIDX_FORMAT_CSV);
    expect_contains(text, "0.234,0.4,0.1,price,2025-02-20,1\n");
    expect_contains(text, "-0.005,price,2025-02-20,1\n");
    expect_contains(text, ",0.066,price,2025-02-28,0\n");
    expect_lacks(text, "*");
    free(text);
    defidx_warnings_free(&f.r.warnings);
}

/* The constituents table of the fixture, its columns and widths (test_result_human): Ticker 6,
 * Name 13, Ccy 3, Price 7, Weight 6, ytd 7, since:2022-02-23 16, Contrib ytd 11, Contrib since 24:
 * 93 + 8 gaps of 2 = 109. Left out in order: Contrib since (no base: the oldest; -26 = 83),
 * Contrib ytd (-13 = 70), since (no base; -18 = 52), ytd (-9 = 43), Name (-15 = 28). */
static char *result_at_width(const defidx_result *r, size_t width)
{
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    o.width = width;
    return emit_opt(NULL, r, DEFIDX_FORMAT_TABLE, &o);
}

static void test_result_width(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    char *text = result_at_width(&f.r, 109);
    assert_string_equal(text, result_human); /* it fits: every column, no note */
    free(text);

    text = result_at_width(&f.r, 108);
    expect_contains(text, "Contrib ytd\n-");
    expect_contains(text, "\n\n1 column left out to fit 108 columns: contrib_since:2022-02-23; "
                          "--columns or a wider terminal shows it\n");
    free(text);

    text = result_at_width(&f.r, 80);
    expect_contains(text, "\nTicker" "  " "Name         " "  " "Ccy" "  " "  Price" "  " "Weight" "  "
                          "    ytd" "  " "since:2022-02-23\n");
    expect_contains(text, "\n\n2 columns left out to fit 80 columns: contrib_since:2022-02-23, contrib_ytd;\n"
                          "  --columns or a wider terminal shows them\n");
    free(text);

    /* widths: Ticker 6, Name 13, Ccy 3, Price 7, Weight 6, ytd 7, since 16, Contrib ytd 11, Contrib
     * since 24, and 8 gaps of 2: 109. Contributions go first (-26 = 83, -13 = 70), then Name
     * (-15 = 55), then the returns from the oldest base (-18 = 37). */
    text = result_at_width(&f.r, 60);
    expect_contains(text, "\nTicker  Ccy    Price  Weight      ytd  since:2022-02-23\n");
    expect_contains(text, "\n\n3 columns left out to fit 60 columns:\n"
                          "  contrib_since:2022-02-23, contrib_ytd, name; --columns or\n"
                          "  a wider terminal shows them\n");
    free(text);

    /* Ticker, Price and Weight stay; the title wraps at blanks */
    text = result_at_width(&f.r, 40);
    expect_contains(text, "All-time high 125.00 on 2025-02-18\n  drawdown -12.00%\n");
    expect_contains(text, "\nTicker  Ccy    Price  Weight      ytd\n------  ---  -------  ------  -------\n"
                          "AAA.DE  EUR    55.50  60.00%");
    expect_contains(text, "4 columns left out");
    free(text);
    text = result_at_width(&f.r, 30);
    expect_contains(text, "\nTicker  Ccy    Price  Weight\n------  ---  -------  ------\n"
                          "AAA.DE  EUR    55.50  60.00%\nBBB.L   GBX  1234.00  40.00%\n");
    expect_contains(text, "5 columns left out");
    free(text);

    /* chosen columns are shown as chosen, whatever the width; other formats ignore it */
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    o.width = 20;
    o.columns = "ticker,name,contrib_since:2022-02-23";
    text = emit_opt(NULL, &f.r, DEFIDX_FORMAT_TABLE, &o);
    expect_contains(text, "\nTicker  Name           Contrib since:2022-02-23\n");
    expect_lacks(text, "left out");
    free(text);
    for (int fmt = DEFIDX_FORMAT_TSV; fmt <= DEFIDX_FORMAT_HTML; fmt++) {
        defidx_emit_options_init(&o);
        o.width = 20;
        char *plain = emit_opt(NULL, &f.r, fmt, NULL), *narrow = emit_opt(NULL, &f.r, fmt, &o);
        assert_string_equal(narrow, plain);
        free(plain), free(narrow);
    }
    defidx_warnings_free(&f.r.warnings);
}

/* Emits r in fmt with o->columns = columns; returns the status, the text in *text. */
static int emit_columns(const defidx_result *r, int fmt, const char *columns, char **text,
                        defidx_error *err)
{
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    assert_non_null(f);
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    o.columns = columns;
    defidx_error_clear(err);
    int rc = defidx_emit_result(f, r, fmt, &o, err);
    fclose(f);
    return rc;
}

/* Chosen columns, in their order, in every format but JSON; an unknown, repeated or empty name is
 * refused before anything is written, with the names there are. Values from make_result. */
static void test_result_columns(void **state)
{
    (void)state;
    fixture f;
    make_result(&f);
    char *text;
    defidx_error err;
    assert_int_equal(emit_columns(&f.r, DEFIDX_FORMAT_CSV, "ticker,weight,ytd,contrib_ytd", &text, &err), 0);
    assert_string_equal(text, "ticker,weight,ytd,contrib_ytd\nAAA.DE,0.6,0.11,0.066\nBBB.L,0.4,-0.0128,-0.005\n");
    free(text);
    assert_int_equal(emit_columns(&f.r, DEFIDX_FORMAT_TSV, " since:2022-02-23 ,price_date,stale,name",
                                  &text, &err), 0);
    assert_string_equal(text, "since:2022-02-23\tprice_date\tstale\tname\n"
                              "\t2025-02-28\t0\tAlpha, \"Aero\"\n"
                              "0.234\t2025-02-27\t0\tB\xc3\xaata plc\n");
    free(text);
    assert_int_equal(emit_columns(&f.r, DEFIDX_FORMAT_TABLE, "ticker,contrib_ytd,currency", &text, &err), 0);
    expect_contains(text, "\n\nTicker  Contrib ytd  Ccy\n------  -----------  ---\n"
                          "AAA.DE       +6.60%  EUR\nBBB.L        -0.50%  GBX\n");
    free(text);
    assert_int_equal(emit_columns(&f.r, DEFIDX_FORMAT_MD, "stale,ticker", &text, &err), 0);
    expect_contains(text, "\n| Stale | Ticker |\n|---|---|\n| no | AAA.DE |\n| no | BBB.L |\n");
    free(text);
    assert_int_equal(emit_columns(&f.r, DEFIDX_FORMAT_HTML, "weight", &text, &err), 0);
    expect_contains(text, "<th class=\"num\">Weight</th></tr>");
    expect_lacks(text, "<th>Ticker</th>");
    free(text);
    char *plain = result_text(&f.r, DEFIDX_FORMAT_JSON);
    assert_int_equal(emit_columns(&f.r, DEFIDX_FORMAT_JSON, "ticker", &text, &err), 0);
    assert_string_equal(text, plain);
    free(text), free(plain);

    static const char *const refused[][2] = {
        {"ticker,nope", "--columns: 'nope' is not a column (hint: the columns are ticker, name, "
                        "currency, price, price_date, stale, weight, trend, ytd, since:2022-02-23, "
                        "contrib_ytd, contrib_since:2022-02-23)"},
        {"Ticker", "'Ticker' is not a column"},
        {"ytd,ticker,ytd", "--columns: 'ytd' is named twice"},
        {"", "--columns: '' has an empty name"},
        {"ticker,", "--columns: 'ticker,' has an empty name"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        for (int fmt = DEFIDX_FORMAT_TABLE; fmt <= DEFIDX_FORMAT_HTML; fmt++) {
            if (fmt == DEFIDX_FORMAT_JSON)
                continue;
            assert_int_equal(emit_columns(&f.r, fmt, refused[i][0], &text, &err), DEFIDX_EUSAGE);
            assert_string_equal(text, ""); /* nothing written */
            expect_contains(err.message, refused[i][1]);
            free(text);
        }
    defidx_warnings_free(&f.r.warnings);
}

/* Wrapping at blanks, counted in characters, continuation lines indented by two. */
static void test_put_wrapped(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t width;
        const char *expected;
    } cases[] = {
        {"aaa bbb ccc", 0, "aaa bbb ccc\n"},
        {"aaa bbb ccc", 11, "aaa bbb ccc\n"},
        {"aaa bbb ccc", 10, "aaa bbb\n  ccc\n"},
        {"aaa   bbb", 8, "aaa\n  bbb\n"},               /* the blanks at the break go */
        {"aaaaaaaaaa bb", 4, "aaaaaaaaaa\n  bb\n"},      /* a long word stays whole */
        {"a \xe2\x96\x81\xe2\x96\x82\xe2\x96\x83 b", 7, "a \xe2\x96\x81\xe2\x96\x82\xe2\x96\x83 b\n"},
        {"trailing  ", 20, "trailing\n"},
        {"", 5, "\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        assert_non_null(out);
        dfx_put_wrapped(out, cases[i].text, cases[i].width);
        fclose(out);
        assert_string_equal(buf, cases[i].expected);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_csv),
        cmocka_unit_test(test_cell_mark),
        cmocka_unit_test(test_result_stale),
        cmocka_unit_test(test_result_width),
        cmocka_unit_test(test_result_columns),
        cmocka_unit_test(test_put_wrapped),
        cmocka_unit_test(test_table_tsv),
        cmocka_unit_test(test_table_json),
        cmocka_unit_test(test_table_human),
        cmocka_unit_test(test_table_md),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_text_escape),
        cmocka_unit_test(test_table_empty),
        cmocka_unit_test(test_table_header_copied),
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_format_extension),
        cmocka_unit_test(test_format_unknown),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_result_json),
        cmocka_unit_test(test_result_json_stale),
        cmocka_unit_test(test_result_csv),
        cmocka_unit_test(test_result_tsv),
        cmocka_unit_test(test_result_human),
        cmocka_unit_test(test_result_md),
        cmocka_unit_test(test_series_table),
        cmocka_unit_test(test_rebase_first_date),
        cmocka_unit_test(test_rebase_holiday_base),
        cmocka_unit_test(test_rebase_before_data),
        cmocka_unit_test(test_options_defaults),
        cmocka_unit_test(test_golden_files),
        cmocka_unit_test(test_html_content),
        cmocka_unit_test(test_html_well_formed),
        cmocka_unit_test(test_no_header),
        cmocka_unit_test(test_color_table_only),
        cmocka_unit_test(test_color_alignment),
        cmocka_unit_test(test_spark),
        cmocka_unit_test(test_report_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
