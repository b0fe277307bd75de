/* test_actions.c: the corporate actions file: every type, the file's variants (BOM, CRLF, ';',
 * columns in any order), defaults, each error at the line and column worked out by hand, repeats
 * and conflicts, and the type names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

static defidx_actions *parse(const char *csv, defidx_warnings *w)
{
    defidx_actions *a = NULL;
    defidx_error err;
    defidx_error_clear(&err);
    if (defidx_actions_parse(&a, "a.csv", csv, strlen(csv), w, &err))
        fail_msg("%s:%ld:%ld: %s", err.file, err.line, err.column, err.message);
    assert_non_null(a);
    return a;
}

/* Every type, out of date order. Sorted: 01-15 (line 3), 02-01 (lines 5, 7), 03-10 (2, 4, 6, 8). */
static const char all_types[] = "date,ticker,type,value,value2\n"
                                "2025-03-10,AIR.PA,cash_dividend,1.80,0.25\n"
                                "2025-01-15,SAP.DE,split,2,\n"
                                "2025-03-10,AIR.PA,special_dividend,1.00,\n"
                                "2025-02-01,BA.L,shares,1000000,\n"
                                "2025-03-10,SAP.DE,rights,0.25,100\n"
                                "2025-02-01,SIE.DE,spin-off,12.5,\n"
                                "2025-03-10,MC.PA,cash_dividend,13,\n";

/* The same with a byte-order mark and CRLF line ends. */
static const char all_types_crlf[] = "\xEF\xBB\xBF"
                                     "date,ticker,type,value,value2\r\n"
                                     "2025-03-10,AIR.PA,cash_dividend,1.80,0.25\r\n"
                                     "2025-01-15,SAP.DE,split,2,\r\n"
                                     "2025-03-10,AIR.PA,special_dividend,1.00,\r\n"
                                     "2025-02-01,BA.L,shares,1000000,\r\n"
                                     "2025-03-10,SAP.DE,rights,0.25,100\r\n"
                                     "2025-02-01,SIE.DE,spin-off,12.5,\r\n"
                                     "2025-03-10,MC.PA,cash_dividend,13,\r\n";

/* The same with ';', the columns in another order and case, blanks, quotes and canonical names. */
static const char all_types_semicolon[] = " Ticker ;TYPE;Date;value2;Value\n"
                                          "AIR.PA;cash_dividend;2025-03-10;0.25;1.80\n"
                                          "SAP.DE;Split;2025-01-15;;2\n"
                                          "\" AIR.PA \";special_dividend;2025-03-10;;1.00\n"
                                          "BA.L;shares;2025-02-01; ;1000000\n"
                                          "SAP.DE;rights;2025-03-10;100;0.25\n"
                                          "SIE.DE;spinoff;2025-02-01;;12.5\n"
                                          "MC.PA;cash_dividend;2025-03-10;;13\n";

static void check_all_types(const defidx_actions *a)
{
    static const struct {
        const char *date, *ticker;
        int type;
        double value, value2; /* NAN: none */
        long line;
    } want[] = {
        {"2025-01-15", "SAP.DE", DEFIDX_ACTION_SPLIT, 2, NAN, 3},
        {"2025-02-01", "BA.L", DEFIDX_ACTION_SHARES, 1000000, NAN, 5},
        {"2025-02-01", "SIE.DE", DEFIDX_ACTION_SPINOFF, 12.5, NAN, 7},
        {"2025-03-10", "AIR.PA", DEFIDX_ACTION_CASH_DIVIDEND, 1.80, 0.25, 2},
        {"2025-03-10", "AIR.PA", DEFIDX_ACTION_SPECIAL_DIVIDEND, 1.00, NAN, 4},
        {"2025-03-10", "SAP.DE", DEFIDX_ACTION_RIGHTS, 0.25, 100, 6},
        {"2025-03-10", "MC.PA", DEFIDX_ACTION_CASH_DIVIDEND, 13, 0, 8}, /* empty withholding: 0 */
    };
    assert_int_equal(a->count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < a->count; i++) {
        const defidx_action *x = &a->items[i];
        assert_int_equal(x->date, day(want[i].date));
        assert_string_equal(x->ticker, want[i].ticker);
        assert_int_equal(x->type, want[i].type);
        assert_double_near(x->value, want[i].value, 0);
        if (isnan(want[i].value2))
            assert_true(isnan(x->value2));
        else
            assert_double_near(x->value2, want[i].value2, 0);
        assert_int_equal(x->line, want[i].line);
        assert_int_equal(x->column, 1);
    }
}

static void every_type(void **state)
{
    (void)state;
    const char *variants[] = {all_types, all_types_crlf, all_types_semicolon};
    for (size_t v = 0; v < 3; v++) {
        defidx_warnings w = {0};
        defidx_actions *a = parse(variants[v], &w);
        check_all_types(a);
        assert_string_equal(a->source, "a.csv");
        assert_int_equal(w.count, 0);
        defidx_actions_free(a);
        defidx_warnings_free(&w);
    }
}

/* Without a value2 column: NAN for the types without one, a withholding of 0 for a dividend. */
static void no_value2_column(void **state)
{
    (void)state;
    defidx_actions *a = parse("date,ticker,type,value\n"
                              "2025-01-02,AIR.PA,cash_dividend,1.5\n"
                              "2025-01-02,AIR.PA,split,0.1\n",
                              NULL);
    assert_int_equal(a->count, 2);
    assert_int_equal(a->items[0].type, DEFIDX_ACTION_CASH_DIVIDEND);
    assert_double_near(a->items[0].value2, 0, 0);
    assert_int_equal(a->items[1].type, DEFIDX_ACTION_SPLIT);
    assert_double_near(a->items[1].value, 0.1, 0); /* a 1-for-10 reverse split */
    assert_true(isnan(a->items[1].value2));
    defidx_actions_free(a);
}

/* No actions is a valid actions file. */
static void empty(void **state)
{
    (void)state;
    const char *texts[] = {"", "  \n\n", "date,ticker,type,value,value2\n",
                           "\xEF\xBB\xBF" "date;ticker;type;value\r\n\r\n", ",,,,\ndate,ticker,type,value\n,,,\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        defidx_actions *a = parse(texts[i], NULL);
        assert_int_equal(a->count, 0);
        defidx_actions_free(a);
    }
}

static void load(void **state)
{
    (void)state;
    defidx_actions *a = NULL;
    defidx_error err;
    /* actions_small.csv: BOM, CRLF, a blank line 4; the split (line 3) sorts first. */
    if (defidx_actions_load(&a, TEST_DATA_DIR "/actions_small.csv", NULL, &err))
        fail_msg("%s", err.message);
    assert_string_equal(a->source, TEST_DATA_DIR "/actions_small.csv");
    assert_int_equal(a->count, 3);
    assert_int_equal(a->items[0].type, DEFIDX_ACTION_SPLIT);
    assert_int_equal(a->items[0].line, 3);
    assert_int_equal(a->items[1].type, DEFIDX_ACTION_CASH_DIVIDEND);
    assert_int_equal(a->items[2].type, DEFIDX_ACTION_SPECIAL_DIVIDEND);
    assert_int_equal(a->items[2].line, 5);
    defidx_actions_free(a);

    defidx_actions dummy;
    a = &dummy; /* must be reset on error */
    assert_int_equal(defidx_actions_load(&a, TEST_DATA_DIR "/actions_missing.csv", NULL, &err), DEFIDX_EINPUT);
    assert_null(a);
    assert_int_equal(defidx_actions_load(&a, TEST_DATA_DIR "/actions_empty.csv", NULL, &err), DEFIDX_EINPUT);
    assert_null(a);
    defidx_actions_free(NULL);
}

#define H "date,ticker,type,value,value2\n"
#define T64 "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCD"

/* Each bad file fails at the line and column of the field at fault. Columns on a data row of H:
 * "2025-01-02," is columns 1-11, so the ticker starts at 12; "AIR.PA," is 12-18, so the type starts
 * at 19; the value starts at 19 + strlen(type) + 1; value2 after the value and its comma. */
static void errors(void **state)
{
    (void)state;
    static const struct {
        const char *csv;
        long line, column;
        const char *fragment;
    } cases[] = {
        /* header: "date,ticker,type,value," is 23 characters, so the fifth name starts at 24 */
        {"date,ticker,type,value,amount\n", 1, 24, "unknown column 'amount' (hint: date,ticker,type,value,value2)"},
        {"date,ticker,type,value,Date\n", 1, 24, "the column 'date' appears twice"},
        {"date,ticker,,value\n", 1, 13, "a column with no name"},
        {"date,ticker,type\n2025-01-02,AIR.PA,split\n", 1, 1, "no 'value' column"},
        {"2025-01-02,AIR.PA,split,2\n", 1, 1, "the first line is the header"},
        /* the date, at 2:1; after a blank line 2, at 3:1 */
        {H "2025-02-30,AIR.PA,split,2,\n", 2, 1, "'2025-02-30' is not a date"},
        {H "\n2025/01/02,AIR.PA,split,2,\n", 3, 1, "'2025/01/02' is not a date"},
        /* the ticker at 12 */
        {H "2025-01-02,,split,2,\n", 2, 12, "the ticker is empty"},
        {H "2025-01-02,\"  \",split,2,\n", 2, 12, "the ticker is empty"},
        {H "2025-01-02," T64 ",split,2,\n", 2, 12, "the ticker is 64 bytes long"},
        /* the type at 19 */
        {H "2025-01-02,AIR.PA,dividend,2,\n", 2, 19,
         "unknown action type 'dividend' (hint: split, shares, cash_dividend, special_dividend, rights or spinoff)"},
        {H "2025-01-02,AIR.PA,,2,\n", 2, 19, "unknown action type ''"},
        /* "split," is 19-24: the value at 25 */
        {H "2025-01-02,AIR.PA,split,two,\n", 2, 25, "value 'two' is not a number"},
        {H "2025-01-02,AIR.PA,split,1e999,\n", 2, 25, "value '1e999' is out of range (hint: numbers are read up to about 1.8e308"},
        {H "2025-01-02,AIR.PA,split,,\n", 2, 25, "the value of a split action is empty"},
        {H "2025-01-02,AIR.PA,split,1,\n", 2, 25, "a split of 1 new share per old share changes nothing"},
        {H "2025-01-02,AIR.PA,split,-2,\n", 2, 25, "the value of a split action must be greater than 0, not -2"},
        /* "split,2," is 19-26: value2 at 27 */
        {H "2025-01-02,AIR.PA,split,2,0.5\n", 2, 27, "a split action takes no value2, but has '0.5'"},
        /* "shares," is 19-25: the value at 26 */
        {H "2025-01-02,AIR.PA,shares,0,\n", 2, 26, "the value of a shares action must be greater than 0"},
        {H "2025-01-02,AIR.PA,shares,100,1\n", 2, 30, "a shares action takes no value2"},
        /* "cash_dividend," is 19-32: the value at 33; "1.5," is 33-36: value2 at 37 */
        {H "2025-01-02,AIR.PA,cash_dividend,0,\n", 2, 33, "the value of a cash_dividend action must be greater than 0"},
        {H "2025-01-02,AIR.PA,cash_dividend,1.5,15\n", 2, 37, "withholding rate 15 is not from 0 to below 1 (hint: value2 is the withholding rate"},
        {H "2025-01-02,AIR.PA,cash_dividend,1.5,1\n", 2, 37, "withholding rate 1 is not"},
        {H "2025-01-02,AIR.PA,cash_dividend,1.5,-0.1\n", 2, 37, "withholding rate -0.1 is not"},
        {H "2025-01-02,AIR.PA,cash_dividend,1.5,15%\n", 2, 37, "value2 '15%' is not a number"},
        /* "special_dividend," is 19-35: the value at 36; "1," is 36-37: value2 at 38 */
        {H "2025-01-02,AIR.PA,special_dividend,-1,\n", 2, 36, "must be greater than 0"},
        {H "2025-01-02,AIR.PA,special_dividend,1,0.1\n", 2, 38, "a special_dividend action takes no value2"},
        /* "rights," is 19-25: the value at 26; "0.25," is 26-30: value2 at 31 */
        {H "2025-01-02,AIR.PA,rights,0,10\n", 2, 26, "the value of a rights action must be greater than 0"},
        {H "2025-01-02,AIR.PA,rights,0.25,\n", 2, 31, "a rights issue needs its subscription price in value2"},
        {H "2025-01-02,AIR.PA,rights,0.25,-1\n", 2, 31, "subscription price -1 is negative"},
        /* no value2 column: where it would be, past "0.25" (26-29), at 30 */
        {"date,ticker,type,value\n2025-01-02,AIR.PA,rights,0.25\n", 2, 30, "needs its subscription price"},
        /* "spinoff," is 19-26: the value at 27; "3," is 27-28: value2 at 29 */
        {H "2025-01-02,AIR.PA,spinoff,0,\n", 2, 27, "the value of a spinoff action must be greater than 0"},
        {H "2025-01-02,AIR.PA,spin_off,3,1\n", 2, 30, "a spinoff action takes no value2"},
        /* field counts: four fields end past "2" (25), at 26; a sixth field starts at 28 */
        {H "2025-01-02,AIR.PA,split,2\n", 2, 26, "row has 4 fields, header has 5 (hint: quote a field that contains ',')"},
        {H "2025-01-02,AIR.PA,split,2,,x\n", 2, 28, "row has 6 fields, header has 5"},
        {"date;ticker;type;value\n2025-01-02;AIR.PA;split;2;3\n", 2, 27, "row has 5 fields, header has 4 (hint: quote a field that contains ';')"},
        /* conflicts: at the second row's number that differs, value (25) or value2 (37) */
        {H "2025-01-02,AIR.PA,split,2,\n2025-01-02,AIR.PA,split,3,\n", 3, 25,
         "second different split for AIR.PA on 2025-01-02: value 3 here, value 2 at line 2 (hint: remove one of the rows)"},
        {H "2025-01-02,AIR.PA,cash_dividend,1.5,0.25\n2025-01-02,AIR.PA,cash_dividend,1.5,0.15\n", 3, 37,
         "second different cash_dividend for AIR.PA on 2025-01-02: value 1.5, value2 0.15 here, value 1.5, value2 0.25 at line 2"},
        /* the first conflict in the file is reported (line 3), not the first by date (line 5) */
        {H "2025-02-03,AIR.PA,split,2,\n2025-02-03,AIR.PA,split,4,\n"
           "2025-01-02,SAP.DE,split,2,\n2025-01-02,SAP.DE,split,4,\n", 3, 25, "for AIR.PA on 2025-02-03"},
        /* a UTF-16 file */
        {"\xFF\xFE" "d\0a\0", 1, 1, "UTF-16"},
        /* the CSV reader's own errors pass through */
        {H "2025-01-02,AIR.PA,split,\"2\n", 2, 25, "unterminated quoted field"},
        /* a file cut short: its last row ends past "spl" (19-21), at 22, without a line end */
        {H "2025-01-02,AIR.PA,split,2,\n2025-01-03,SAP.DE,spl", 3, 22,
         "row has 3 fields, header has 5, and the file ends in it without a line end (hint: the file looks cut short"},
        /* not the text it should be */
        {"\n<!DOCTYPE html>\n<html>", 2, 1, "this is an HTML page, not corporate actions (hint: "},
        {"PK\x03\x04\x14", 1, 1, "this is a ZIP archive (an Excel .xlsx workbook is one), not corporate actions"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        defidx_actions dummy, *a = &dummy; /* must be reset on error */
        defidx_warnings w = {0};
        defidx_error err;
        defidx_error_clear(&err);
        int rc = defidx_actions_parse(&a, "a.csv", cases[i].csv, strlen(cases[i].csv), &w, &err);
        if (rc != DEFIDX_EDATA || err.line != cases[i].line || err.column != cases[i].column ||
            !strstr(err.message, cases[i].fragment) || strcmp(err.file, "a.csv") != 0)
            fail_msg("case %zu: rc %d at %ld:%ld: %s", i, rc, err.line, err.column, err.message);
        assert_null(a);
        defidx_warnings_free(&w);
    }
}

/* An identical row (numbers compared as numbers) is a warning at the repeat and used once; a
 * regular and a special dividend on one day are two actions. */
static void repeats(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_actions *a = parse(H "2025-01-02,AIR.PA,split,2,\n"
                                "2025-01-02,AIR.PA,cash_dividend,1.5,\n"
                                "2025-01-02,AIR.PA,special_dividend,1.5,\n"
                                "2025-01-02,AIR.PA,split,2.0,\n"
                                "2025-01-02,AIR.PA,cash_dividend,1.50,0\n"
                                "2025-01-02,SAP.DE,split,2,\n",
                              &w);
    assert_int_equal(a->count, 4);
    assert_int_equal(a->items[0].type, DEFIDX_ACTION_SPLIT);
    assert_int_equal(a->items[0].line, 2);
    assert_int_equal(a->items[1].type, DEFIDX_ACTION_CASH_DIVIDEND);
    assert_int_equal(a->items[2].type, DEFIDX_ACTION_SPECIAL_DIVIDEND);
    assert_string_equal(a->items[3].ticker, "SAP.DE");
    assert_int_equal(w.count, 2);
    assert_string_equal(w.items[0], "a.csv:5:1: repeated action: split for AIR.PA on 2025-01-02 (same as line 2); used once");
    assert_string_equal(w.items[1], "a.csv:6:1: repeated action: cash_dividend for AIR.PA on 2025-01-02 (same as line 3); used once");
    defidx_actions_free(a);
    defidx_warnings_free(&w);
}

static void type_names(void **state)
{
    (void)state;
    static const char *const names[] = {"split", "shares", "cash_dividend", "special_dividend", "rights", "spinoff"};
    for (int t = DEFIDX_ACTION_SPLIT; t <= DEFIDX_ACTION_SPINOFF; t++) {
        assert_string_equal(defidx_action_type_name(t), names[t - DEFIDX_ACTION_SPLIT]);
        assert_int_equal(defidx_action_type_parse(defidx_action_type_name(t)), t);
    }
    assert_int_equal(defidx_action_type_parse("spin-off"), DEFIDX_ACTION_SPINOFF);
    assert_int_equal(defidx_action_type_parse("spin_off"), DEFIDX_ACTION_SPINOFF);
    assert_int_equal(defidx_action_type_parse("Cash_Dividend"), DEFIDX_ACTION_CASH_DIVIDEND);
    assert_int_equal(defidx_action_type_parse("dividend"), -1);
    assert_int_equal(defidx_action_type_parse("spin off"), -1);
    assert_int_equal(defidx_action_type_parse(""), -1);
    assert_string_equal(defidx_action_type_name(0), "unknown");
    assert_string_equal(defidx_action_type_name(DEFIDX_ACTION_SPINOFF + 1), "unknown");
}

/* Text that is not UTF-8 is read as Windows-1252, as the price files are (with a warning), so that
 * a ticker such as NESTLÉ is the same in both. */
static void windows_1252(void **state)
{
    (void)state;
    const char *csv = H "2025-01-02,NESTL\xC9,split,2,\n";
    defidx_actions *a = NULL;
    defidx_warnings w = {0};
    defidx_error err;
    assert_int_equal(defidx_actions_parse(&a, "a.csv", csv, strlen(csv), &w, &err), 0);
    assert_int_equal(a->count, 1);
    assert_string_equal(a->items[0].ticker, "NESTL\xC3\x89");
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.items[0], "a.csv:2:17: the file is not UTF-8; read as Windows-1252"));
    defidx_actions_free(a);
    defidx_warnings_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type),
        cmocka_unit_test(no_value2_column),
        cmocka_unit_test(empty),
        cmocka_unit_test(load),
        cmocka_unit_test(errors),
        cmocka_unit_test(repeats),
        cmocka_unit_test(type_names),
        cmocka_unit_test(windows_1252),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
