/* test_periods.c: the base date of every period (docs/methodology.md "Periods") across a week, a
 * month and a year end, on a series with holidays; bases worked out from a calendar by hand. And
 * the engine's crossing test against the base rule: both are one function of a period's row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "index/periods.h"
#include "test_util.h"

#include <string.h>

/* Fri 2024-12-27, Mon 12-30, Tue 12-31, (Wed 01-01 holiday), Thu 2025-01-02, Fri 01-03, Mon 01-06. */
static const char *const dates_iso[] = {"2024-12-27", "2024-12-30", "2024-12-31",
                                        "2025-01-02", "2025-01-03", "2025-01-06"};
static const double levels[] = {100, 101, 102, 103, 104, 105};

/* Returns the base date of each period for as_of, as ISO text ("" when null). */
static void bases(const char *as_of_iso, const char *since_iso, char out[6][11])
{
    int32_t dates[6];
    for (int i = 0; i < 6; i++)
        dates[i] = day(dates_iso[i]);
    int32_t as_of = day(as_of_iso), since = day(since_iso);
    dfx_period_rule rules[6];
    assert_int_equal(dfx_period_count(1), 6);
    assert_int_equal(dfx_period_plan(&since, 1, rules, 6), 6);
    long last = dfx_last_value_before(dates, levels, 6, as_of, 1);
    for (int k = 0; k < 6; k++) {
        long b = dfx_period_base(&rules[k], as_of, dates, levels, 6);
        defidx_period p;
        dfx_period_fill(&p, &rules[k], b, dates, levels, levels[last]);
        assert_int_equal(p.kind, rules[k].kind);
        defidx_date_format(p.base_date, out[k]);
        if (b >= 0)
            assert_double_near(p.ret, levels[last] / levels[b] - 1, 1e-15);
        else
            assert_true(isnan(p.ret));
    }
}

static void new_year_monday(void **state)
{
    (void)state;
    char b[6][11];
    bases("2025-01-06", "2025-01-01", b);
    assert_string_equal(b[0], "2025-01-03"); /* 1d */
    assert_string_equal(b[1], "2025-01-03"); /* wtd: the last date before Monday 01-06 */
    assert_string_equal(b[2], "2024-12-31"); /* mtd */
    assert_string_equal(b[3], "2024-12-31"); /* qtd: the last date before 2025-01-01 */
    assert_string_equal(b[4], "2024-12-31"); /* ytd */
    assert_string_equal(b[5], "2024-12-31"); /* since a holiday: the last date before it */
}

static void week_across_year_end(void **state)
{
    (void)state;
    char b[6][11];
    /* Fri 2025-01-03 is in ISO week 2025-W01, which starts on Monday 2024-12-30. */
    bases("2025-01-03", "2024-12-30", b);
    assert_string_equal(b[0], "2025-01-02");
    assert_string_equal(b[1], "2024-12-27");
    assert_string_equal(b[2], "2024-12-31");
    assert_string_equal(b[3], "2024-12-31");
    assert_string_equal(b[4], "2024-12-31");
    assert_string_equal(b[5], "2024-12-30"); /* since a date with a value: that date */
}

static void no_base_is_null(void **state)
{
    (void)state;
    char b[6][11];
    /* As of the first date: no earlier value for 1d, wtd (week of 12-23), ytd (before 2024-01-01);
     * mtd's base would be before 12-01 and qtd's before 10-01: none. A since date before the
     * series: none either. */
    bases("2024-12-27", "2024-12-01", b);
    for (int k = 0; k < 6; k++)
        assert_string_equal(b[k], "");
    /* A since date after the as-of date describes no period. */
    bases("2024-12-31", "2025-01-03", b);
    assert_string_equal(b[5], "");
}

static void names(void **state)
{
    (void)state;
    dfx_period_rule rules[7];
    int32_t since[2] = {day("2022-02-23"), day("2025-01-01")};
    assert_int_equal(dfx_period_count(2), 7);
    assert_int_equal(dfx_period_plan(since, 2, rules, 7), 7);
    static const char *const expected[] = {"1d",  "wtd", "mtd", "qtd", "ytd", "since:2022-02-23",
                                           "since:2025-01-01"};
    static const int kinds[] = {DEFIDX_PERIOD_1D,  DEFIDX_PERIOD_WTD,   DEFIDX_PERIOD_MTD,  DEFIDX_PERIOD_QTD,
                                DEFIDX_PERIOD_YTD, DEFIDX_PERIOD_SINCE, DEFIDX_PERIOD_SINCE};
    for (int k = 0; k < 7; k++) {
        assert_string_equal(rules[k].name, expected[k]);
        assert_int_equal(rules[k].kind, kinds[k]);
        assert_string_equal(dfx_period_kind_info(kinds[k])->name, k < 5 ? expected[k] : "since");
    }
    /* as of Thu 2025-02-20: the base is the last close before Monday 02-17, 02-01, 01-01 (the
     * quarter and the year); on or before each since date */
    int32_t on = day("2025-02-20");
    assert_int_equal(dfx_period_cut(&rules[0], on), on);
    assert_int_equal(dfx_period_cut(&rules[1], on), day("2025-02-17"));
    assert_int_equal(dfx_period_cut(&rules[2], on), day("2025-02-01"));
    assert_int_equal(dfx_period_cut(&rules[3], on), day("2025-01-01"));
    assert_int_equal(dfx_period_cut(&rules[4], on), day("2025-01-01"));
    assert_int_equal(dfx_period_cut(&rules[5], on), day("2022-02-24"));
    assert_int_equal(dfx_period_cut(&rules[6], on), day("2025-01-02"));
    /* fewer rules than periods: the first ones */
    assert_int_equal(dfx_period_plan(since, 2, rules, 3), 3);
    assert_string_equal(rules[2].name, "mtd");
}

/* Quarter to date across Easter 2024: Q1's last weekday, Good Friday 03-29, and Easter Monday
 * 04-01 are holidays, so Thu 03-28 is Q1's last close and Tue 04-02 Q2's first trading day.
 * Levels: 12-29 100, 03-26 102.5, 03-27 102.5, 03-28 110, 04-02 112.5, 04-03 120, Fri 06-28
 * (Q2's last close) 125, Mon 07-01 130. The base is the last close before the 1st of the
 * as-of date's quarter. */
static void quarter_to_date(void **state)
{
    (void)state;
    static const char *const iso[] = {"2023-12-29", "2024-03-26", "2024-03-27", "2024-03-28",
                                      "2024-04-02", "2024-04-03", "2024-06-28", "2024-07-01"};
    static const double level[] = {100, 102.5, 102.5, 110, 112.5, 120, 125, 130};
    int32_t dates[8];
    for (int i = 0; i < 8; i++)
        dates[i] = day(iso[i]);
    static const struct {
        const char *as_of, *base;
        double ret;
    } cases[] = {
        {"2024-03-28", "2023-12-29", 110 / 100.0 - 1},   /* in Q1: the close before 2024-01-01 */
        {"2024-04-02", "2024-03-28", 112.5 / 110.0 - 1}, /* Q2's first trading day: Q1's last close */
        {"2024-04-01", "2023-12-29", 110 / 100.0 - 1},   /* a holiday: reported on 03-28, in Q1 */
        {"2024-04-03", "2024-03-28", 120 / 110.0 - 1},
        {"2024-06-28", "2024-03-28", 125 / 110.0 - 1},   /* the quarter's last close */
        {"2024-07-01", "2024-06-28", 130 / 125.0 - 1},   /* across the boundary to Q3 */
    };
    dfx_period_rule all[6];
    assert_int_equal(dfx_period_plan(NULL, 0, all, 6), 5); /* no since date: 1d ... ytd */
    dfx_period_rule qtd = all[3];
    assert_int_equal(qtd.kind, DEFIDX_PERIOD_QTD);
    assert_string_equal(qtd.name, "qtd");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        /* the reported day is the last date on or before the as-of date asked for */
        long at = dfx_last_value_before(dates, level, 8, day(cases[c].as_of), 1);
        long b = dfx_period_base(&qtd, dates[at], dates, level, 8);
        defidx_period p;
        dfx_period_fill(&p, &qtd, b, dates, level, level[at]);
        char base[11];
        defidx_date_format(p.base_date, base);
        assert_string_equal(base, cases[c].base);
        assert_double_near(p.ret, cases[c].ret, 1e-15);
    }
    /* the first date of each quarter, from any day in it */
    assert_int_equal(dfx_period_cut(&qtd, day("2024-02-29")), day("2024-01-01"));
    assert_int_equal(dfx_period_cut(&qtd, day("2024-06-30")), day("2024-04-01"));
    assert_int_equal(dfx_period_cut(&qtd, day("2024-07-01")), day("2024-07-01"));
    assert_int_equal(dfx_period_cut(&qtd, day("2024-09-30")), day("2024-07-01"));
    assert_int_equal(dfx_period_cut(&qtd, day("2024-12-31")), day("2024-10-01"));
    assert_int_equal(dfx_period_cut(&qtd, day("2024-10-01")), day("2024-10-01"));
}

/* The engine marks a period's base when the pass from one date to the next crosses its start;
 * the report finds the base with the base rule. On weekdays across two years (holidays left out,
 * the last day of a month and of a year among them), for every pair of consecutive dates and every
 * period, the pass crosses into the period reported on the later date exactly when that period's
 * base is the earlier date. */
static void crossing_is_the_base_rule(void **state)
{
    (void)state;
    enum { MAX = 600 };
    int32_t dates[MAX];
    size_t n = 0;
    for (int32_t d = day("2023-12-20"); d <= day("2025-12-31") && n < MAX; d++) {
        int32_t holidays[] = {day("2024-01-01"), day("2024-03-29"), day("2024-12-31"),
                              day("2025-01-01"), day("2025-06-30"), day("2025-09-29")};
        int holiday = 0;
        for (size_t h = 0; h < sizeof holidays / sizeof holidays[0]; h++)
            holiday |= holidays[h] == d;
        if (defidx_date_weekday(d) <= 5 && !holiday)
            dates[n++] = d;
    }
    assert_true(n > 500 && n < MAX);
    int32_t since[3] = {day("2024-03-29"), day("2024-07-10"), day("2030-01-01")};
    size_t count = dfx_period_count(3);
    dfx_period_rule rules[16];
    assert_int_equal(dfx_period_plan(since, 3, rules, 16), count);
    size_t crossings[16] = {0};
    for (size_t i = 1; i < n; i++)
        for (size_t k = 0; k < count; k++) {
            long base = dfx_period_base(&rules[k], dates[i], dates, NULL, n);
            int crossed = dfx_period_crossed(&rules[k], dates[i - 1], dates[i]);
            if (crossed != (base == (long)i - 1))
                fail_msg("%s on %ld: crossed %d, base row %ld", rules[k].name, (long)i, crossed, base);
            crossings[k] += (size_t)crossed;
        }
    assert_int_equal(crossings[0], n - 1);     /* 1d: every day */
    assert_int_equal(crossings[3], 8);         /* qtd: 2024-Q1 ... 2025-Q4 */
    assert_int_equal(crossings[4], 2);         /* ytd: into 2024 and into 2025 */
    assert_int_equal(crossings[count - 3], 1); /* since 2024-03-29 (a holiday): once */
    assert_int_equal(crossings[count - 1], 0); /* since a date after the data: never */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_year_monday),
        cmocka_unit_test(week_across_year_end),
        cmocka_unit_test(no_base_is_null),
        cmocka_unit_test(names),
        cmocka_unit_test(quarter_to_date),
        cmocka_unit_test(crossing_is_the_base_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
