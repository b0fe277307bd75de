/* test_date.c: civil dates: parsing, formatting, validity, weekdays and ISO weeks. Expected values
 * are from the calendar (1970-01-01 and 2025-02-20 were Thursdays; ISO weeks belong to the year
 * of their Thursday). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

static void round_trip(void **state)
{
    (void)state;
    const char *dates[] = {"1970-01-01", "1969-12-31", "2000-02-29", "2024-02-29", "2025-02-20",
                           "0001-01-01", "9999-12-31", "1900-03-01"};
    char out[11];
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        defidx_date_format(day(dates[i]), out);
        assert_string_equal(out, dates[i]);
    }
    assert_int_equal(day("1970-01-01"), 0);
    assert_int_equal(day("1970-01-02"), 1);
    assert_int_equal(day("1969-12-31"), -1);
    assert_int_equal(day("2025-02-20") - day("2024-02-20"), 366); /* across 2024-02-29 */
    /* every day of 1999..2001 formats and parses back to itself */
    for (int32_t d = day("1999-01-01"); d <= day("2001-12-31"); d++) {
        defidx_date_format(d, out);
        assert_int_equal(day(out), d);
    }
    defidx_date_format(DEFIDX_NO_DATE, out);
    assert_string_equal(out, "");
}

static void impossible_and_malformed(void **state)
{
    (void)state;
    const char *bad[] = {"2023-02-29", "2024-02-30", "2021-13-01", "2021-00-10", "2021-04-31",
                         "2021-01-00", "1900-02-29", "0000-01-01", "2021-1-01", "2021/01/01",
                         "20210101", "2021-01-01 ", " 2021-01-01", "2021-01-0a", ""};
    int32_t d;
    defidx_error err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (defidx_date_parse(bad[i], strlen(bad[i]), &d, &err) != DEFIDX_EDATA)
            fail_msg("'%s' was accepted", bad[i]);
    defidx_date_parse("2023-02-29", 10, &d, &err);
    assert_non_null(strstr(err.message, "'2023-02-29' is not a real calendar date"));
    defidx_date_parse("2021/01/01", 10, &d, &err);
    assert_non_null(strstr(err.message, "'2021/01/01' is not a date (expected YYYY-MM-DD)"));
    assert_int_equal(defidx_date_parse("2021-01-01", 10, &d, NULL), 0); /* err may be NULL */
}

/* Leap years: every 4th, except centuries, except every 400th. */
static void leap_years(void **state)
{
    (void)state;
    assert_true(defidx_date_valid(2024, 2, 29));
    assert_true(defidx_date_valid(2000, 2, 29));
    assert_false(defidx_date_valid(1900, 2, 29));
    assert_false(defidx_date_valid(2023, 2, 29));
    assert_false(defidx_date_valid(2100, 2, 29));
    assert_true(defidx_date_valid(2023, 12, 31));
    assert_false(defidx_date_valid(10000, 1, 1));
    int y, m, d;
    defidx_date_to_civil(defidx_date_from_civil(2000, 2, 29) + 1, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 20000301);
}

static void weekdays(void **state)
{
    (void)state;
    assert_int_equal(defidx_date_weekday(day("1970-01-01")), 4); /* Thursday */
    assert_int_equal(defidx_date_weekday(day("2025-02-20")), 4);
    assert_int_equal(defidx_date_weekday(day("2025-02-17")), 1); /* Monday */
    assert_int_equal(defidx_date_weekday(day("2025-02-23")), 7); /* Sunday */
    assert_int_equal(defidx_date_weekday(day("1969-12-29")), 1); /* before the epoch */
    assert_int_equal(defidx_date_week_start(day("2025-01-01")), day("2024-12-30"));
    assert_int_equal(defidx_date_week_start(day("2025-02-23")), day("2025-02-17"));
    assert_int_equal(defidx_date_week_start(day("2025-02-17")), day("2025-02-17"));
    assert_int_equal(defidx_date_week_start(day("1970-01-01")), day("1969-12-29"));
}

static void expect_week(const char *iso, int year, int week)
{
    int y, w;
    defidx_date_iso_week(day(iso), &y, &w);
    if (y != year || w != week)
        fail_msg("%s is %d-W%02d, expected %d-W%02d", iso, y, w, year, week);
}

static void iso_weeks(void **state)
{
    (void)state;
    expect_week("2020-12-31", 2020, 53);
    expect_week("2021-01-03", 2020, 53);
    expect_week("2021-01-04", 2021, 1);
    expect_week("2024-12-30", 2025, 1);
    expect_week("2026-01-01", 2026, 1);
    expect_week("2027-01-01", 2026, 53);
    expect_week("2025-02-20", 2025, 8);
    expect_week("2025-12-28", 2025, 52);
    expect_week("2015-12-31", 2015, 53);
    expect_week("1970-01-01", 1970, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(impossible_and_malformed),
        cmocka_unit_test(leap_years),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(iso_weeks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
