/* test_panel.c: the price panel: sorting, tickers in order of first appearance, shares carried
 * forward, repeats (a warning) and conflicts (an error at the second row), float noise between
 * two files, missing prices, one-day spikes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

/* Adds one observation at line `line` of "p.csv" (column 7); fails the test on error. */
static void add(defidx_panel *p, const char *ticker, const char *iso, double close, double shares,
                long line)
{
    defidx_origin at = {"p.csv", line, 7};
    defidx_error err;
    if (defidx_panel_add(p, ticker, day(iso), close, NULL, shares, NAN, &at, &err))
        fail_msg("%s", err.message);
}

static void finish(defidx_panel *p, defidx_warnings *w)
{
    defidx_error err;
    if (defidx_panel_finish(p, w, &err))
        fail_msg("%s", err.message);
}

/* Dates come out sorted whatever the order of arrival; tickers in order of first appearance. */
static void ordering(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add(p, "ZZ", "2025-02-19", 2, NAN, 1);
    add(p, "AA", "2025-02-17", 10, NAN, 2);
    add(p, "ZZ", "2025-02-17", 1, NAN, 3);
    add(p, "AA", "2025-02-18", 11, NAN, 4);
    finish(p, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), 2);
    assert_string_equal(defidx_panel_ticker(p, 0), "ZZ");
    assert_string_equal(defidx_panel_ticker(p, 1), "AA");
    assert_int_equal(defidx_panel_find(p, "AA"), 1);
    assert_int_equal(defidx_panel_find(p, "BB"), -1);
    assert_int_equal(defidx_panel_date_count(p), 3);
    assert_int_equal(defidx_panel_date(p, 0), day("2025-02-17"));
    assert_int_equal(defidx_panel_date(p, 1), day("2025-02-18"));
    assert_int_equal(defidx_panel_date(p, 2), day("2025-02-19"));
    assert_double_near(defidx_panel_price(p, 0, 0), 1, 0);
    assert_true(isnan(defidx_panel_price(p, 0, 1))); /* ZZ has no price on the 18th */
    assert_double_near(defidx_panel_price(p, 0, 2), 2, 0);
    assert_double_near(defidx_panel_price(p, 1, 1), 11, 0);
    assert_true(isnan(defidx_panel_price(p, 1, 2)));
    assert_null(defidx_panel_currency(p, 0));
    defidx_panel_free(p);
}

/* Shares given on the 17th and the 19th hold until the next value: the 18th has the 17th's;
 * a ticker that never gives shares has NAN, as has every date before the first value. */
static void shares_carry_forward(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add(p, "A", "2025-02-16", 9, NAN, 1);
    add(p, "A", "2025-02-17", 10, 100, 2);
    add(p, "A", "2025-02-18", 11, NAN, 3);
    add(p, "A", "2025-02-19", 12, 200, 4);
    add(p, "B", "2025-02-19", 5, NAN, 5);
    finish(p, NULL);
    assert_true(isnan(defidx_panel_shares(p, 0, 0)));
    assert_double_near(defidx_panel_shares(p, 0, 1), 100, 0);
    assert_double_near(defidx_panel_shares(p, 0, 2), 100, 0);
    assert_double_near(defidx_panel_shares(p, 0, 3), 200, 0);
    assert_true(isnan(defidx_panel_shares(p, 1, 3)));
    assert_true(isnan(defidx_panel_free_float(p, 0, 3))); /* never given by any row */
    defidx_panel_free(p);
}

/* Shares given on a day without a price (the last row) still count from that day on. */
static void shares_on_a_missing_day(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add(p, "A", "2025-02-17", 10, NAN, 1);
    add(p, "A", "2025-02-18", NAN, 300, 2);
    add(p, "A", "2025-02-19", 12, NAN, 3);
    finish(p, NULL);
    assert_int_equal(defidx_panel_date_count(p), 2);
    assert_true(isnan(defidx_panel_shares(p, 0, 0)));
    assert_double_near(defidx_panel_shares(p, 0, 1), 300, 0);
    defidx_panel_free(p);
}

/* The same row twice: one warning at the second row's position, the value used once. */
static void identical_repeat_warns(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_warnings w = {0};
    add(p, "A", "2025-02-18", 784.2, NAN, 2);
    add(p, "A", "2025-02-18", 784.2, NAN, 5);
    finish(p, &w);
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.items[0], "p.csv:5:7: repeated row for A on 2025-02-18 (same as p.csv:2)"));
    assert_int_equal(defidx_panel_date_count(p), 1);
    assert_double_near(defidx_panel_price(p, 0, 0), 784.2, 0);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* A different close: DEFIDX_EDATA at the second row (arrival order, not sorted order). */
static void conflicting_repeat_fails(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add(p, "A", "2025-02-18", 784.2, NAN, 9);
    add(p, "B", "2025-02-18", 1, NAN, 10);
    add(p, "A", "2025-02-18", 785, NAN, 3);
    defidx_error err;
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, "p.csv");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 7);
    assert_non_null(strstr(err.message, "second different close for A on 2025-02-18: 785 here, 784.2 at p.csv:9"));
    defidx_panel_free(p);
    /* different shares conflict too */
    p = defidx_panel_new();
    add(p, "A", "2025-02-18", 1, 100, 1);
    add(p, "A", "2025-02-18", 1, 200, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "second different shares"));
    defidx_panel_free(p);
}

/* A missing price next to a present one is no conflict: the present one is kept. */
static void missing_and_present(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_warnings w = {0};
    add(p, "A", "2025-02-18", NAN, NAN, 1);
    add(p, "A", "2025-02-18", 5, NAN, 2);
    finish(p, &w);
    assert_int_equal(w.count, 0);
    assert_double_near(defidx_panel_price(p, 0, 0), 5, 0);
    defidx_panel_free(p);
}

/* A date on which no ticker has a price is not a date of the panel; no price at all is an error. */
static void missing_price_makes_no_date(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add(p, "A", "2025-02-17", 1, NAN, 1);
    add(p, "A", "2025-02-18", NAN, NAN, 2);
    add(p, "B", "2025-02-18", NAN, NAN, 3);
    add(p, "A", "2025-02-19", 2, NAN, 4);
    finish(p, NULL);
    assert_int_equal(defidx_panel_date_count(p), 2);
    assert_int_equal(defidx_panel_date(p, 1), day("2025-02-19"));
    assert_int_equal(defidx_panel_ticker_count(p), 2); /* B is known, without prices */
    assert_true(isnan(defidx_panel_price(p, 1, 0)));
    defidx_panel_free(p);

    p = defidx_panel_new();
    add(p, "A", "2025-02-18", NAN, NAN, 1);
    defidx_error err;
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "no prices"));
    defidx_panel_free(p);
}

/* A ticker's currency may repeat but not change; the error is at the changing row. */
static void currency(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_origin at = {"p.csv", 4, 2};
    defidx_error err;
    assert_int_equal(defidx_panel_add(p, "A", day("2025-02-17"), 1, "GBX", NAN, NAN, &at, &err), 0);
    assert_int_equal(defidx_panel_add(p, "A", day("2025-02-18"), 1, NULL, NAN, NAN, &at, &err), 0);
    assert_int_equal(defidx_panel_add(p, "A", day("2025-02-19"), 1, "GBX", NAN, NAN, &at, &err), 0);
    at.line = 6;
    assert_int_equal(defidx_panel_add(p, "A", day("2025-02-20"), 1, "GBP", NAN, NAN, &at, &err),
                     DEFIDX_EDATA);
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.message, "currency of A changes from GBX to GBP"));
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    assert_string_equal(defidx_panel_currency(p, 0), "GBX");
    defidx_panel_free(p);
}

/* Many tickers (past the first hash table size) all stay findable. */
static void many_tickers(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    char name[16];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "T%d", i);
        add(p, name, "2025-02-18", i + 1, NAN, i + 1);
    }
    finish(p, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), 500);
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "T%d", i);
        assert_int_equal(defidx_panel_find(p, name), i);
        assert_double_near(defidx_panel_price(p, (size_t)i, 0), i + 1, 0);
    }
    defidx_panel_free(p);
}

/* A run holds DEFIDX_TICKERS_MAX tickers; the next new one is refused at its row, while more rows
 * of the tickers it has are still taken. */
static void ticker_limit(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    char name[16];
    for (long i = 0; i < DEFIDX_TICKERS_MAX; i++) {
        snprintf(name, sizeof name, "T%ld", i);
        add(p, name, "2025-02-18", 1, NAN, i + 2);
    }
    add(p, "T7", "2025-02-19", 2, NAN, DEFIDX_TICKERS_MAX + 2);
    defidx_origin at = {"p.csv", DEFIDX_TICKERS_MAX + 3, 7};
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_panel_add(p, "NEW", day("2025-02-19"), 1, NULL, NAN, NAN, &at, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, "p.csv");
    assert_int_equal(err.line, DEFIDX_TICKERS_MAX + 3);
    assert_int_equal(err.column, 7);
    assert_non_null(strstr(err.message, "NEW would be ticker number 100001, more than the limit of 100000 tickers in one run (hint: "));
    finish(p, NULL);
    assert_int_equal(defidx_panel_ticker_count(p), DEFIDX_TICKERS_MAX);
    defidx_panel_free(p);
}

/* Adds one observation of file at line (column 7), with a close only. */
static void add_from(defidx_panel *p, const char *file, const char *ticker, const char *iso,
                     double close, long line)
{
    defidx_origin at = {file, line, 7};
    defidx_error err;
    if (defidx_panel_add(p, ticker, day(iso), close, NULL, NAN, NAN, &at, &err))
        fail_msg("%s", err.message);
}

/* Two downloads of one ticker: closes that agree to 1e-6 relative are one observation, the first
 * file's, and one warning for the pair of files counts them. 98.91f is a float32 download's
 * 98.91000366210938, 3.4e-9 relative from 98.910004; 5.000004 is 8e-7 from 5. */
static void float_noise_across_files(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_warnings w = {0};
    add_from(p, "a.csv", "A", "2025-02-17", 98.910004, 2);
    add_from(p, "a.csv", "A", "2025-02-18", 100, 3);
    add_from(p, "a.csv", "B", "2025-02-18", 5, 4);
    add_from(p, "b.csv", "A", "2025-02-17", 98.91f, 7);
    add_from(p, "b.csv", "A", "2025-02-18", 100, 8);
    add_from(p, "b.csv", "B", "2025-02-18", 5.000004, 9);
    finish(p, &w);
    assert_int_equal(w.count, 1);
    assert_string_equal(w.items[0], "b.csv:7:7: 3 rows repeat a ticker and date of a.csv with the same close to 1e-6 relative (1 identical, 2 float noise of two downloads; the first is this row, A on 2025-02-17); the rows of a.csv, read first, are used");
    assert_int_equal(defidx_panel_date_count(p), 2);
    assert_true(defidx_panel_price(p, 0, 0) == 98.910004);
    assert_true(defidx_panel_price(p, 1, 1) == 5);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
    /* read the other way round, the other file's closes are kept */
    p = defidx_panel_new();
    add_from(p, "b.csv", "A", "2025-02-17", 98.91f, 7);
    add_from(p, "a.csv", "A", "2025-02-17", 98.910004, 2);
    finish(p, NULL);
    assert_true(defidx_panel_price(p, 0, 0) == (double)98.91f);
    defidx_panel_free(p);
}

/* Closes of two files 1.1e-6 relative apart differ: an error at the second, with both closes as
 * exactly as it takes to tell them apart; 0.9e-6 apart they are one. In one file no closes may
 * differ at all: one download has one way of writing a number. */
static void beyond_float_noise_conflicts(void **state)
{
    (void)state;
    defidx_error err;
    defidx_panel *p = defidx_panel_new();
    add_from(p, "a.csv", "A", "2025-02-18", 100, 2);
    add_from(p, "b.csv", "A", "2025-02-18", 100.00011, 5);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, "b.csv");
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 7);
    assert_string_equal(err.message, "second different close for A on 2025-02-18: 100.00011 here, 100 at a.csv:2, further apart than float noise (1e-6 relative) (hint: two downloads of one ticker disagree: check which is right, and remove the other's row)");
    defidx_panel_free(p);

    p = defidx_panel_new();
    add_from(p, "a.csv", "A", "2025-02-18", 100, 2);
    add_from(p, "b.csv", "A", "2025-02-18", 100.00009, 5);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);
    defidx_panel_free(p);

    p = defidx_panel_new();
    add_from(p, "a.csv", "A", "2025-02-18", 100, 2);
    add_from(p, "a.csv", "A", "2025-02-18", 100.00009, 5);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_string_equal(err.message, "second different close for A on 2025-02-18: 100.00009 here, 100 at a.csv:2 (hint: remove one of the rows)");
    defidx_panel_free(p);
}

/* Adds a ticker's closes on consecutive days from 2025-02-17, each on line (base + k); NAN for a day
 * with a row but no close. */
static void add_series(defidx_panel *p, const char *ticker, const double *closes, int n, long base)
{
    for (int k = 0; k < n; k++) {
        char iso[11];
        defidx_date_format(day("2025-02-17") + k, iso);
        add_from(p, "s.csv", ticker, iso, closes[k], base + k);
    }
}

/* The spike rule (internal.h, docs/methodology.md) on hand-made closes, X = 0.5 (up = 1.5): a
 * close more than 50% from the one before whose next close moves more than 50% back, to within
 * 50% of the one before. Only UP, DOWN and GAP are spikes. */
static void spikes(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add_series(p, "UP", (double[]){10, 20, 10, 10}, 4, 10);       /* +100%, back: a spike */
    add_series(p, "DOWN", (double[]){10, 4, 10}, 3, 20);          /* -60%: |ln 0.4| > ln 1.5, back */
    add_series(p, "TAKEOVER", (double[]){10, 16, 15.9, 16}, 4, 30); /* +60% and stays */
    add_series(p, "EDGE", (double[]){100, 150, 100}, 3, 40);      /* exactly 50%: not more */
    add_series(p, "LAST", (double[]){10, 10, 20}, 3, 50);         /* the last close: nothing after */
    add_series(p, "NOTBACK", (double[]){10, 20, 16}, 3, 60);      /* 16 is 60% from 10: not back */
    add_series(p, "HALFWAY", (double[]){10, 16, 15}, 3, 70);      /* 16 -> 15 is no move past X */
    add_series(p, "GAP", (double[]){10, NAN, 1}, 3, 80);          /* a row without a close, */
    add_from(p, "s.csv", "GAP", "2025-02-24", 10, 90);            /* then days without rows */
    finish(p, NULL);
    assert_int_equal(dfx_panel_spike_count(p), 3);
    assert_string_equal(dfx_panel_spike_ticker(p, 0), "UP");
    assert_string_equal(dfx_panel_spike_ticker(p, 1), "DOWN");
    assert_string_equal(dfx_panel_spike_ticker(p, 2), "GAP");
    defidx_warnings w = {0};
    for (size_t k = 0; k < 3; k++)
        dfx_panel_warn_spike(p, k, &w);
    assert_string_equal(w.items[0], "s.csv:11:7: UP closes 20 on 2025-02-18, between 10 on 2025-02-17 and 10 on 2025-02-19: a one-day move of more than 50% that reverts the next day, a spike (hint: check this close against another source; --max-jump sets the limit)");
    assert_non_null(strstr(w.items[1], "s.csv:21:7: DOWN closes 4 on 2025-02-18, between 10 on 2025-02-17 and 10 on 2025-02-19:"));
    assert_non_null(strstr(w.items[2], "s.csv:82:7: GAP closes 1 on 2025-02-19, between 10 on 2025-02-17 and 10 on 2025-02-24:"));
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* --max-jump 1 (up = 2), where halving and doubling are exact: a fall to half and a rise to double
 * are exactly 100%, not more; a little further they are spikes, the same both ways. */
static void spike_limit_is_symmetric(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    defidx_panel_set_max_jump(p, 1);
    add_series(p, "HALF", (double[]){100, 50, 100}, 3, 10);
    add_series(p, "DOUBLE", (double[]){100, 200, 100}, 3, 20);
    add_series(p, "FALL", (double[]){100, 49.9, 100}, 3, 30);
    add_series(p, "RISE", (double[]){100, 200.5, 100}, 3, 40);
    finish(p, NULL);
    assert_int_equal(dfx_panel_spike_count(p), 2);
    assert_string_equal(dfx_panel_spike_ticker(p, 0), "FALL");
    assert_string_equal(dfx_panel_spike_ticker(p, 1), "RISE");
    defidx_warnings w = {0};
    dfx_panel_warn_spike(p, 0, &w);
    assert_non_null(strstr(w.items[0], "a one-day move of more than 100% that reverts"));
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* defidx_compute reports the spikes of the index's constituents, after its own warnings, and
 * counts them; a ticker the definition leaves out is not its concern. */
static void compute_reports_constituents_spikes(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    add_series(p, "UP", (double[]){10, 20, 10, 10}, 4, 10);
    add_series(p, "DOWN", (double[]){10, 4, 10, 10}, 4, 20);
    finish(p, NULL);
    const char *json = "{\"weighting\": \"equal\", \"constituents\": [{\"ticker\": \"UP\"}]}";
    defidx_spec *spec = NULL;
    defidx_result *r = NULL;
    defidx_error err;
    assert_int_equal(defidx_spec_parse(&spec, "i.json", json, strlen(json), &err), 0);
    assert_int_equal(defidx_compute(p, spec, NULL, NULL, &r, &err), 0);
    assert_int_equal(r->spike_count, 1);
    assert_int_equal(r->warnings.count, 2);
    assert_non_null(strstr(r->warnings.items[0], "1 ticker(s) in the prices are not in the index definition"));
    assert_non_null(strstr(r->warnings.items[1], "s.csv:11:7: UP closes 20 on 2025-02-18"));
    defidx_result_free(r);
    defidx_spec_free(spec);
    defidx_panel_free(p);
}

/* The matrices hold a price per ticker and date: 20,000 tickers each on a date of its own would be
 * 400 million cells, past DEFIDX_PANEL_CELLS_MAX, and are refused before any is allocated. */
static void cell_limit(void **state)
{
    (void)state;
    defidx_panel *p = defidx_panel_new();
    char name[16];
    int32_t first = day("2000-01-01");
    defidx_error err;
    for (int i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "T%d", i);
        if (defidx_panel_add(p, name, first + i, 1, NULL, NAN, NAN, NULL, &err))
            fail_msg("%s", err.message);
    }
    defidx_error_clear(&err);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "the prices hold 20000 tickers on 20000 dates, more than the limit of 268435456 prices"));
    assert_non_null(strstr(err.message, "(hint: "));
    defidx_panel_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordering),
        cmocka_unit_test(shares_carry_forward),
        cmocka_unit_test(shares_on_a_missing_day),
        cmocka_unit_test(identical_repeat_warns),
        cmocka_unit_test(conflicting_repeat_fails),
        cmocka_unit_test(missing_and_present),
        cmocka_unit_test(missing_price_makes_no_date),
        cmocka_unit_test(currency),
        cmocka_unit_test(many_tickers),
        cmocka_unit_test(ticker_limit),
        cmocka_unit_test(cell_limit),
        cmocka_unit_test(float_noise_across_files),
        cmocka_unit_test(beyond_float_noise_conflicts),
        cmocka_unit_test(spikes),
        cmocka_unit_test(spike_limit_is_symmetric),
        cmocka_unit_test(compute_reports_constituents_spikes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
