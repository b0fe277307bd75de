/* test_periods.c: the base date of every period (docs/methodology.md "Periods") across a week, a
 * month and a year end, on a series with holidays; bases worked out from a calendar by hand. */
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
static void bases(const char *as_of_iso, const char *since_iso, char out[5][11])
{
    int32_t dates[6];
    for (int i = 0; i < 6; i++)
        dates[i] = day(dates_iso[i]);
    int32_t as_of = day(as_of_iso), since = day(since_iso);
    defidx_period_rule rules[5];
    assert_int_equal(defidx_period_plan(as_of, &since, 1, rules, 5), 5);
    long last = defidx_last_value_before(dates, levels, 6, as_of, 1);
    for (int k = 0; k < 5; k++) {
        long b = defidx_period_base(&rules[k], as_of, dates, levels, 6);
        defidx_period p;
        defidx_period_fill(&p, &rules[k], b, dates, levels, levels[last]);
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
    char b[5][11];
    bases("2025-01-06", "2025-01-01", b);
    assert_string_equal(b[0], "2025-01-03"); /* 1d */
    assert_string_equal(b[1], "2025-01-03"); /* wtd: the last date before Monday 01-06 */
    assert_string_equal(b[2], "2024-12-31"); /* mtd */
    assert_string_equal(b[3], "2024-12-31"); /* ytd */
    assert_string_equal(b[4], "2024-12-31"); /* since a holiday: the last date before it */
}

static void week_across_year_end(void **state)
{
    (void)state;
    char b[5][11];
    /* Fri 2025-01-03 is in ISO week 2025-W01, which starts on Monday 2024-12-30. */
    bases("2025-01-03", "2024-12-30", b);
    assert_string_equal(b[0], "2025-01-02");
    assert_string_equal(b[1], "2024-12-27");
    assert_string_equal(b[2], "2024-12-31");
    assert_string_equal(b[3], "2024-12-31");
    assert_string_equal(b[4], "2024-12-30"); /* since a date with a value: that date */
}

static void no_base_is_null(void **state)
{
    (void)state;
    char b[5][11];
    /* As of the first date: no earlier value for 1d, wtd (week of 12-23), ytd (before 2024-01-01);
     * mtd's base would be before 12-01: none. A since date before the series: none either. */
    bases("2024-12-27", "2024-12-01", b);
    for (int k = 0; k < 5; k++)
        assert_string_equal(b[k], "");
    /* A since date after the as-of date describes no period. */
    bases("2024-12-31", "2025-01-03", b);
    assert_string_equal(b[4], "");
}

static void names(void **state)
{
    (void)state;
    defidx_period_rule rules[6];
    int32_t since[2] = {day("2022-02-23"), day("2025-01-01")};
    assert_int_equal(defidx_period_plan(day("2025-02-20"), since, 2, rules, 6), 6);
    assert_string_equal(rules[0].name, "1d");
    assert_string_equal(rules[1].name, "wtd");
    assert_string_equal(rules[2].name, "mtd");
    assert_string_equal(rules[3].name, "ytd");
    assert_string_equal(rules[4].name, "since:2022-02-23");
    assert_string_equal(rules[5].name, "since:2025-01-01");
    assert_int_equal(rules[1].bound, day("2025-02-17")); /* Monday of the week of Thu 02-20 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_year_monday),
        cmocka_unit_test(week_across_year_end),
        cmocka_unit_test(no_base_is_null),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
