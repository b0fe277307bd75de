/* test_fx.c: the ECB rate table and currency units; expected factors worked out by hand from the
 * rates in the fixture (units of currency per EUR). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

/* The ECB shape: newest first, a trailing comma, N/A where a currency has no rate that day. */
static const char ecb[] = "Date,USD,GBP,SEK,\r\n"
                          "2025-01-06,1.0404,0.8316,N/A,\r\n"
                          "2025-01-03,1.0299,0.8287,11.5,\r\n"
                          "2025-01-02,1.0321,N/A,11.52,\r\n";

static defidx_fx *load(void)
{
    defidx_fx *fx = NULL;
    defidx_error err;
    if (defidx_fx_parse(&fx, "fx.csv", ecb, strlen(ecb), &err))
        fail_msg("%s", err.message);
    return fx;
}

static void units(void **state)
{
    (void)state;
    char iso[4];
    double unit;
    assert_int_equal(defidx_currency_unit("GBX", iso, &unit), 0);
    assert_string_equal(iso, "GBP");
    assert_double_near(unit, 0.01, 0);
    assert_int_equal(defidx_currency_unit("GBp", iso, &unit), 0); /* pence, not pounds */
    assert_double_near(unit, 0.01, 0);
    assert_int_equal(defidx_currency_unit("GBP", iso, &unit), 0);
    assert_double_near(unit, 1, 0);
    assert_int_equal(defidx_currency_unit("sek", iso, &unit), 0);
    assert_string_equal(iso, "SEK");
    /* minor units in any case: "gbx" is pence, as "GBX" (it used to be a currency "GBX" of its
     * own, with no rate); "gbp" stays pounds, "GBp" alone is Yahoo's pence */
    assert_int_equal(defidx_currency_unit("gbx", iso, &unit), 0);
    assert_string_equal(iso, "GBP");
    assert_double_near(unit, 0.01, 0);
    assert_int_equal(defidx_currency_unit("gbp", iso, &unit), 0);
    assert_double_near(unit, 1, 0);
    assert_int_equal(defidx_currency_unit("zac", iso, &unit), 0);
    assert_string_equal(iso, "ZAR");
    assert_double_near(unit, 0.01, 0);
    assert_int_equal(defidx_currency_unit("EURO", iso, &unit), DEFIDX_EDATA);
    assert_int_equal(defidx_currency_unit("E1R", iso, &unit), DEFIDX_EDATA);
}

static void factors(void **state)
{
    (void)state;
    defidx_fx *fx = load();
    double f;
    /* 500p = 5 GBP = 5 / 0.8287 EUR on 2025-01-03. */
    assert_int_equal(defidx_fx_factor(fx, "GBX", "EUR", day("2025-01-03"), &f, NULL), 0);
    assert_double_near(500 * f, 5 / 0.8287, 1e-12);
    /* Saturday 01-04 uses Friday's rate. */
    assert_int_equal(defidx_fx_factor(fx, "GBX", "EUR", day("2025-01-04"), &f, NULL), 0);
    assert_double_near(f, 0.01 / 0.8287, 1e-15);
    /* SEK is N/A on 01-06: the last published, 11.5 on 01-03, is used. */
    assert_int_equal(defidx_fx_factor(fx, "SEK", "EUR", day("2025-01-06"), &f, NULL), 0);
    assert_double_near(f, 1 / 11.5, 1e-15);
    /* Cross rate: 1 GBP in USD on 01-06 = 1.0404 / 0.8316. */
    assert_int_equal(defidx_fx_factor(fx, "GBP", "USD", day("2025-01-06"), &f, NULL), 0);
    assert_double_near(f, 1.0404 / 0.8316, 1e-15);
    /* Same currency, other unit: no rate needed, even without a table. */
    assert_int_equal(defidx_fx_factor(NULL, "GBX", "GBP", day("2025-01-06"), &f, NULL), 0);
    assert_double_near(f, 0.01, 0);
    assert_int_equal(defidx_fx_factor(NULL, "EUR", "EUR", day("2025-01-06"), &f, NULL), 0);
    assert_double_near(f, 1, 0);
    defidx_fx_free(fx);
}

static void missing_rates(void **state)
{
    (void)state;
    defidx_fx *fx = load();
    double f;
    defidx_error err;
    /* GBP is N/A on the first date and nothing precedes it. */
    assert_int_equal(defidx_fx_factor(fx, "GBX", "EUR", day("2025-01-02"), &f, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "no GBP rate on or before 2025-01-02"));
    assert_int_equal(defidx_fx_factor(fx, "USD", "EUR", day("2024-12-31"), &f, &err), DEFIDX_EDATA);
    assert_int_equal(defidx_fx_factor(fx, "JPY", "EUR", day("2025-01-06"), &f, &err), DEFIDX_EDATA);
    assert_int_equal(defidx_fx_factor(NULL, "USD", "EUR", day("2025-01-06"), &f, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "--fx"));
    defidx_fx_free(fx);
}

/* Each malformed file fails at the line and column of the bad cell. */
static void parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *csv;
        int code;
        long line, column;
        const char *fragment;
    } cases[] = {
        {"Day,USD,\n2025-01-02,1.03,\n", DEFIDX_EDATA, 1, 1, "not Date"},
        {"Date,USD,US1,\n2025-01-02,1.03,1,\n", DEFIDX_EDATA, 1, 10, "'US1' is not an ISO currency code"},
        {"Date,USD,\n2025-01-02,1.03,\n2025-01-31,abc,\n", DEFIDX_EDATA, 3, 12, "'abc' is not a positive rate"},
        {"Date,USD,\n2025-01-02,-1,\n", DEFIDX_EDATA, 2, 12, "not a positive rate"},
        {"Date,USD,\n2025-02-30,1.03,\n", DEFIDX_EDATA, 2, 1, "'2025-02-30' is not a date"},
        {"Date,USD,\n2025-01-02,1.03,7,\n", DEFIDX_EDATA, 2, 17, "more fields"},
        {"Date,USD,\n2025-01-02,1.03,\n2025-01-02,1.04,\n", DEFIDX_EDATA, 3, 1, "2025-01-02 appears twice, here and at line 2"},
        {"Date,USD,\n", DEFIDX_EINPUT, 0, 0, "has no FX rates"},
        /* a second column of one currency would be ignored */
        {"Date,USD,GBP,USD,\n2025-01-02,1.03,0.8,1.04,\n", DEFIDX_EDATA, 1, 14, "the currency USD has a second column"},
        /* a short row would leave its rates out */
        {"Date,USD,GBP,\n2025-01-02,1.03\n", DEFIDX_EDATA, 2, 16, "row has rates for 1 of the header's 2 currencies (hint: write N/A"},
        {"Date,USD,GBP,\n2025-01-03,1.03,0.8,\n2025-01-02,1.03", DEFIDX_EDATA, 3, 16, "the file ends in it without a line end"},
        {"Date;USD;GBP;\n2025-01-02;1,03;0,8;\n", DEFIDX_EDATA, 1, 1, "is not separated by commas"},
        {"<!DOCTYPE html>\n<html>", DEFIDX_EDATA, 1, 1, "this is an HTML page, not FX rates"},
        {"<?xml version=\"1.0\"?>\n<gesmes:Envelope>", DEFIDX_EDATA, 1, 1, "this is an XML file, not FX rates (hint: the ECB publishes"},
        {"PK\x03\x04\x14", DEFIDX_EDATA, 1, 1, "this is a ZIP archive"},
        {"\xFF\xFE" "D", DEFIDX_EDATA, 1, 1, "the file is UTF-16 text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        defidx_fx *fx = NULL;
        defidx_error err;
        defidx_error_clear(&err);
        int rc = defidx_fx_parse(&fx, "fx.csv", cases[i].csv, strlen(cases[i].csv), &err);
        if (rc != cases[i].code || err.line != cases[i].line || err.column != cases[i].column ||
            !strstr(err.message, cases[i].fragment))
            fail_msg("case %zu: rc %d at %ld:%ld: %s", i, rc, err.line, err.column, err.message);
        assert_null(fx);
    }
}

/* The ECB file is newest first; oldest first or shuffled rows give the same rates. The rate of a
 * day is the last published on or before it: worked out from the three rows by hand. */
static void any_row_order(void **state)
{
    (void)state;
    const char *files[] = {
        "Date,USD,\n2025-01-06,1.04,\n2025-01-03,1.03,\n2025-01-02,1.02,\n",
        "Date,USD,\n2025-01-02,1.02,\n2025-01-03,1.03,\n2025-01-06,1.04,\n",
        "Date,USD,\n2025-01-03,1.03,\n2025-01-06,1.04,\n2025-01-02,1.02,\n",
    };
    const struct {
        const char *day;
        double usd_per_eur;
    } expect[] = {{"2025-01-02", 1.02}, {"2025-01-03", 1.03}, {"2025-01-05", 1.03}, {"2025-01-07", 1.04}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        defidx_fx *fx;
        assert_int_equal(defidx_fx_parse(&fx, "fx.csv", files[i], strlen(files[i]), NULL), 0);
        for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++) {
            double f;
            assert_int_equal(defidx_fx_factor(fx, "EUR", "USD", day(expect[k].day), &f, NULL), 0);
            assert_double_near(f, expect[k].usd_per_eur, 0);
        }
        defidx_fx_free(fx);
    }
    /* A repeated date is found among shuffled rows too. */
    const char *twice = "Date,USD,\n2025-01-03,1.03,\n2025-01-06,1.04,\n2025-01-03,1.05,\n";
    defidx_fx *fx = NULL;
    defidx_error err;
    assert_int_equal(defidx_fx_parse(&fx, "fx.csv", twice, strlen(twice), &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "2025-01-03 appears twice"));
    assert_null(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units),
        cmocka_unit_test(factors),
        cmocka_unit_test(missing_rates),
        cmocka_unit_test(parse_errors),
        cmocka_unit_test(any_row_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
