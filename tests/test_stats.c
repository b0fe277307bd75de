/* test_stats.c: the statistics of a level series (src/index/stats.c) against values published by
 * the libraries users check defidx with, on their own data (tests/data/peer/README.md says where
 * each file and value comes from), and against small series worked out by hand: one and two
 * observations, a drawdown from the first day, an open drawdown, a flat series, gaps of weeks,
 * a benchmark with other holidays. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- series ------------------------------------------------------------------------------------ */

#define MOST 4000

typedef struct series {
    size_t n;
    int32_t dates[MOST];
    double values[MOST];
} series;

static defidx_level_series view(const series *s)
{
    return (defidx_level_series){s->n, s->dates, s->values};
}

/* Column `column` (1 = the first after the date) of a CSV with a header line, dates ISO; an empty
 * field is NAN. */
static void read_column(const char *name, int column, series *s)
{
    char path[512], line[256];
    snprintf(path, sizeof path, "%s/peer/%s", TEST_DATA_DIR, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    s->n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* the header */
    while (fgets(line, sizeof line, f)) {
        assert_true(s->n < MOST);
        line[strcspn(line, "\r\n")] = '\0';
        char *field = strchr(line, ',');
        assert_non_null(field);
        *field = '\0';
        s->dates[s->n] = day(line);
        for (int k = 1; k < column && field; k++)
            field = strchr(field + 1, ',');
        assert_non_null(field);
        field++;
        s->values[s->n++] = *field && *field != ',' ? strtod(field, NULL) : NAN;
    }
    fclose(f);
}

/* Simple returns r (NAN: no return, the level stays) into levels from `start` on the day before
 * the first return's date: a level series whose returns are r. */
static void levels_of_returns(const series *r, double start, int32_t first_date, series *s)
{
    s->n = r->n + 1;
    s->dates[0] = first_date;
    s->values[0] = start;
    for (size_t k = 0; k < r->n; k++) {
        s->dates[k + 1] = r->dates[k];
        s->values[k + 1] = s->values[k] * (1 + (isnan(r->values[k]) ? 0 : r->values[k]));
    }
}

static defidx_stats *stats_of(const series *s, const series *benchmark, double rf, double F)
{
    defidx_stats_options o;
    defidx_stats_options_init(&o);
    o.risk_free = rf;
    o.periods_per_year = F;
    defidx_level_series a = view(s), b = benchmark ? view(benchmark) : (defidx_level_series){0};
    defidx_stats *st = NULL;
    defidx_error err;
    if (defidx_stats_compute(&a, benchmark ? &b : NULL, &o, &st, &err))
        fail_msg("defidx_stats_compute: %s", err.message);
    return st;
}

/* A value shown to `decimals` places (rounded) matches. */
static void assert_shown(double x, double shown, int decimals)
{
    double half = 0.5 * pow(10, -decimals);
    if (!(fabs(x - shown) <= half * (1 + 1e-9)))
        fail_msg("%.12g is not %.*f when rounded", x, decimals, shown);
}

/* A value printed cut to 4 places (PerformanceAnalytics' snapshots truncate) matches. */
static void assert_truncated4(double x, double shown)
{
    double lo = shown >= 0 ? shown : shown - 1e-4, hi = shown >= 0 ? shown + 1e-4 : shown;
    if (!(x >= lo - 1e-12 && x < hi + 1e-12))
        fail_msg("%.12g is not %.4f when cut to 4 places", x, shown);
}

static void expect_none(double x)
{
    if (!isnan(x))
        fail_msg("%.12g where no value was expected", x);
}

/* ---- ffn: calc_stats of its documentation's DBC prices ----------------------------------------- */

/* ffn's quickstart (docs/source/quickstart.ipynb) prints calc_stats of these 1,006 closes to two
 * places; the full values are those of an independent reimplementation of ffn 1.2.0's formulas in
 * Python's standard library (tests/data/peer/README.md), which rounds to every printed figure. */
static void ffn_dbc(void **state)
{
    (void)state;
    static series s;
    read_column("ffn_dbc.csv", 1, &s);
    assert_int_equal(s.n, 1006);
    defidx_stats *st = stats_of(&s, NULL, 0, 0);
    assert_string_equal(st->frequency, "daily");
    assert_double_near(st->periods_per_year, 252, 0);
    assert_int_equal(st->start, day("2010-01-04"));
    assert_int_equal(st->end, day("2013-12-31"));
    /* published, in percent to two places */
    assert_shown(st->total_return * 100, 1.66, 2);
    assert_shown(st->cagr * 100, 0.41, 2);
    assert_shown(st->max_drawdown * 100, -24.34, 2);
    assert_shown(st->calmar, 0.02, 2);
    assert_shown(st->trailing[DEFIDX_TRAILING_MTD] * 100, 0.59, 2);
    assert_shown(st->trailing[DEFIDX_TRAILING_3M] * 100, -0.39, 2);
    assert_shown(st->trailing[DEFIDX_TRAILING_6M] * 100, 2.11, 2);
    assert_shown(st->trailing[DEFIDX_TRAILING_YTD] * 100, -7.63, 2);
    assert_shown(st->trailing[DEFIDX_TRAILING_1Y] * 100, -7.63, 2);
    assert_shown(st->trailing[DEFIDX_TRAILING_3Y] * 100, -2.34, 2);
    expect_none(st->trailing[DEFIDX_TRAILING_5Y]);
    expect_none(st->trailing[DEFIDX_TRAILING_10Y]);
    assert_shown(st->trailing[DEFIDX_TRAILING_INCEP] * 100, 0.41, 2);
    assert_shown(st->period.sharpe, 0.11, 2);
    assert_shown(st->period.mean * 100, 1.83, 2);
    assert_shown(st->period.vol * 100, 16.84, 2);
    assert_shown(st->period.skew, -0.47, 2);
    assert_shown(st->period.kurtosis, 2.90, 2);
    assert_shown(st->period.best * 100, 4.34, 2);
    assert_shown(st->period.worst * 100, -6.70, 2);
    assert_shown(st->monthly.sharpe, 0.27, 2);
    assert_shown(st->monthly.mean * 100, 4.61, 2);
    assert_shown(st->monthly.vol * 100, 17.10, 2);
    assert_shown(st->monthly.skew, -0.74, 2);
    assert_shown(st->monthly.kurtosis, 1.16, 2);
    assert_shown(st->monthly.best * 100, 9.89, 2);
    assert_shown(st->monthly.worst * 100, -14.62, 2);
    assert_shown(st->yearly.sharpe, -0.40, 2);
    assert_shown(st->yearly.mean * 100, -2.24, 2);
    assert_shown(st->yearly.vol * 100, 5.57, 2);
    assert_shown(st->yearly.skew, 0.27, 2);
    expect_none(st->yearly.kurtosis); /* three yearly returns */
    assert_shown(st->yearly.best * 100, 3.50, 2);
    assert_shown(st->yearly.worst * 100, -7.63, 2);
    assert_shown(st->avg_drawdown * 100, -5.09, 2);
    assert_shown(st->avg_drawdown_days, 107.85, 2);
    assert_shown(st->win_years * 100, 33.33, 2);
    /* the full values of the reimplementation */
    assert_double_near(st->cagr, 0.0041457271474345525, 1e-12);
    assert_double_near(st->period.vol, 0.16835526449463725, 1e-12);
    assert_double_near(st->period.sharpe, 0.10897435179333391, 1e-12);
    assert_double_near(st->period.kurtosis, 2.9040335934948636, 1e-9);
    assert_double_near(st->trailing[DEFIDX_TRAILING_3Y], -0.02340604946906799, 1e-12);
    assert_int_equal(st->drawdown_count, 13);
    assert_double_near(st->avg_drawdown, -0.05088627800490857, 1e-12);
    assert_double_near(st->win_months, 23.0 / 47, 1e-15);
    /* ffn 1.2.0's Sortino, which the notebook's older ffn computed with another deviation */
    assert_double_near(st->period.sortino, 0.14825511283988202, 1e-12);
    assert_double_near(st->monthly.sortino, 0.37610710688280036, 1e-12);
    assert_double_near(st->yearly.sortino, -0.4806921184001704, 1e-12);
    /* the calendar: 2013 from the year-end before, as ffn's return_table */
    assert_int_equal(st->year_count, 4);
    assert_int_equal(st->calendar[3].year, 2013);
    assert_double_near(st->calendar[3].year_return, -0.076313894888409, 1e-12);
    defidx_stats_free(st);
}

/* ---- empyrical: its test suite's mixed returns ------------------------------------------------- */

/* empyrical/tests/test_stats.py asserts these to 8 places on daily returns (NAN, 1%, 10%, -4%, 2%,
 * 3%, 2%, 1%, -10%), where every convention of ours is its: sample deviation, Sortino's downside
 * over every return, beta as cov / var. */
static void empyrical_mixed(void **state)
{
    (void)state;
    static series r, s, neg, b;
    read_column("empyrical_mixed_returns.csv", 1, &r);
    /* the first return is NAN: its date is the base, 100 */
    assert_true(isnan(r.values[0]));
    r.n--;
    memmove(r.dates, r.dates + 1, r.n * sizeof *r.dates);
    memmove(r.values, r.values + 1, r.n * sizeof *r.values);
    levels_of_returns(&r, 100, day("2000-01-30"), &s);
    /* negative_returns[1:] of the same test, as levels from 100 on 2000-01-30 */
    static const double negative[] = {-0.06, -0.07, -0.01, -0.09, -0.02, -0.06, -0.08, -0.05};
    neg.n = 8;
    for (size_t k = 0; k < 8; k++) {
        neg.dates[k] = day("2000-01-31") + (int32_t)k;
        neg.values[k] = negative[k];
    }
    levels_of_returns(&neg, 100, day("2000-01-30"), &b);
    defidx_stats *st = stats_of(&s, &b, 0, 0);
    assert_string_equal(st->frequency, "daily");
    assert_int_equal(st->period.count, 8);
    assert_double_near(st->period.vol, 0.9136465399704637, 1.5e-8);
    assert_double_near(st->period.sharpe, 1.7238613961706866, 1.5e-8);
    assert_double_near(st->period.sortino, 2.605531251673693, 1.5e-8);
    assert_double_near(st->max_drawdown, -0.1, 1.5e-8);
    assert_double_near(st->total_return, 0.03893109170048037, 1e-4);
    assert_int_equal(st->benchmark.common_count, 9);
    assert_double_near(st->benchmark.beta, -0.71296296296296313, 1.5e-8);
    defidx_stats_free(st);
}

/* ---- PerformanceAnalytics: the managers data, monthly ------------------------------------------ */

/* HAM1 against SP500 TR, monthly returns 1996-2006, as levels from 1 at the end of 1995. The
 * package's documented examples print these cut to 4 places (tests/testthat/_snaps); the calendar
 * is table.CalendarReturns, in percent to one place. */
static void pa_managers(void **state)
{
    (void)state;
    static series ham1, sp500, a, b;
    read_column("pa_managers_ham1_sp500.csv", 1, &ham1);
    read_column("pa_managers_ham1_sp500.csv", 2, &sp500);
    levels_of_returns(&ham1, 1, day("1995-12-31"), &a);
    levels_of_returns(&sp500, 1, day("1995-12-31"), &b);
    defidx_stats *st = stats_of(&a, &b, 0, 0);
    assert_string_equal(st->frequency, "monthly");
    assert_double_near(st->periods_per_year, 12, 0);
    assert_shown(st->period.vol, 0.0888, 4);              /* table.AnnualizedReturns Std Dev */
    assert_shown(-st->max_drawdown, 0.1518, 4);           /* maxDrawdown */
    assert_truncated4(st->benchmark.tracking_error, 0.1131); /* TrackingError */
    assert_truncated4(st->benchmark.up_capture, 0.3215);  /* UpDownRatios, geometric */
    assert_truncated4(st->benchmark.down_capture, 0.3770);
    static const double years[] = {13.6, 20.4, 6.1, 16.1, 17.7, 22.4, -8.0, 23.7, 14.9, 7.8, 20.5};
    assert_int_equal(st->year_count, 11); /* 1995 holds the base alone: left out */
    for (size_t k = 0; k < 11; k++) {
        assert_int_equal(st->calendar[k].year, 1996 + (int)k);
        assert_shown(st->calendar[k].year_return * 100, years[k], 1);
    }
    assert_double_near(st->calendar[0].months[0], 0.0074, 1e-12); /* January 1996 from the base */
    defidx_stats_free(st);
    /* SharpeRatio.annualized(Rf = 0.035 / 12), the arithmetic form (2.1.0's default) */
    st = stats_of(&a, NULL, 0.035, 0);
    assert_truncated4(st->period.sharpe, 1.1091);
    defidx_stats_free(st);
}

/* ---- small series worked out by hand ----------------------------------------------------------- */

static void set_series(series *s, const char *first, const double *values, size_t n, int step)
{
    s->n = n;
    for (size_t k = 0; k < n; k++) {
        s->dates[k] = day(first) + (int32_t)k * step;
        s->values[k] = values[k];
    }
}

/* One value: no returns, nothing annualised; two: one return, a mean but no deviation. */
static void one_and_two_values(void **state)
{
    (void)state;
    static series s;
    set_series(&s, "2025-01-06", (const double[]){100}, 1, 1);
    defidx_stats *st = stats_of(&s, NULL, 0, 0);
    assert_int_equal(st->observations, 1);
    assert_int_equal(st->period.count, 0);
    expect_none(st->total_return);
    expect_none(st->cagr);
    expect_none(st->period.mean);
    expect_none(st->period.vol);
    expect_none(st->trailing[DEFIDX_TRAILING_YTD]);
    assert_double_near(st->max_drawdown, 0, 0);
    assert_int_equal(st->drawdown_count, 0);
    expect_none(st->avg_drawdown);
    defidx_stats_free(st);
    set_series(&s, "2025-01-06", (const double[]){100, 102}, 2, 1);
    st = stats_of(&s, NULL, 0, 0);
    assert_int_equal(st->period.count, 1);
    assert_double_near(st->total_return, 0.02, 1e-15);
    assert_double_near(st->period.mean, 0.02 * 252, 1e-12);
    assert_double_near(st->period.best, 0.02, 1e-15);
    expect_none(st->period.vol);
    expect_none(st->period.sharpe);
    expect_none(st->period.skew);
    /* CAGR over one calendar day: 1.02^365.25 - 1 */
    assert_double_near(st->cagr, pow(1.02, 365.25) - 1, 1e-6);
    defidx_stats_free(st);
}

/* A fall on the first day after the base starts a drawdown there; a fall at the end leaves one
 * open, its length to the last value. */
static void drawdowns_first_and_open(void **state)
{
    (void)state;
    static series s;
    /* Mon 2025-01-06 ...: 100, 90, 95, 100, 120, 108, 114 */
    set_series(&s, "2025-01-06", (const double[]){100, 90, 95, 100, 120, 108, 114}, 7, 1);
    defidx_stats *st = stats_of(&s, NULL, 0, 0);
    assert_int_equal(st->drawdown_count, 2);
    const defidx_drawdown *d = &st->drawdowns[0];
    assert_int_equal(d->start, day("2025-01-07"));
    assert_int_equal(d->trough, day("2025-01-07"));
    assert_int_equal(d->end, day("2025-01-09"));
    assert_int_equal(d->length_days, 2);
    assert_double_near(d->depth, -0.1, 1e-15);
    d = &st->drawdowns[1];
    assert_int_equal(d->start, day("2025-01-11"));
    assert_int_equal(d->end, DEFIDX_NO_DATE);
    assert_int_equal(d->length_days, 1); /* to the last value, 2025-01-12 */
    assert_double_near(d->depth, 108.0 / 120 - 1, 1e-15);
    assert_double_near(st->max_drawdown, -0.1, 1e-15);
    assert_double_near(st->avg_drawdown, (-0.1 + (108.0 / 120 - 1)) / 2, 1e-15);
    assert_double_near(st->avg_drawdown_days, 1.5, 0);
    defidx_stats_free(st);
}

/* A flat series: no deviation, so a volatility of 0 and no Sharpe or Sortino. */
static void flat_series(void **state)
{
    (void)state;
    static series s;
    set_series(&s, "2025-01-06", (const double[]){50, 50, 50, 50, 50}, 5, 1);
    defidx_stats *st = stats_of(&s, NULL, 0, 0);
    assert_double_near(st->period.vol, 0, 0);
    expect_none(st->period.sharpe);
    expect_none(st->period.sortino);
    expect_none(st->period.skew);
    assert_double_near(st->total_return, 0, 0);
    assert_double_near(st->max_drawdown, 0, 0);
    expect_none(st->calmar);
    defidx_stats_free(st);
}

/* Values weeks apart, with a month (February 2025) without any: weekly, its calendar month empty
 * and March's return from January's last value. */
static void gaps_of_weeks(void **state)
{
    (void)state;
    static series s;
    s.n = 5;
    const char *dates[] = {"2025-01-03", "2025-01-17", "2025-01-31", "2025-03-07", "2025-03-21"};
    const double values[] = {100, 104, 110, 99, 121};
    for (size_t k = 0; k < 5; k++) {
        s.dates[k] = day(dates[k]);
        s.values[k] = values[k];
    }
    defidx_stats *st = stats_of(&s, NULL, 0, 0);
    /* gaps of 14, 14, 35 and 14 days: the median, 14, is more than weekly's 10 */
    assert_string_equal(st->frequency, "monthly");
    assert_int_equal(st->year_count, 1);
    assert_double_near(st->calendar[0].months[0], 0.10, 1e-15); /* from the base, 100 */
    expect_none(st->calendar[0].months[1]);
    assert_double_near(st->calendar[0].months[2], 121.0 / 110 - 1, 1e-15);
    assert_double_near(st->calendar[0].year_return, 0.21, 1e-15);
    assert_int_equal(st->monthly.count, 1); /* January's end to March's */
    /* mtd: from the last value before 1 March, January 31's */
    assert_double_near(st->trailing[DEFIDX_TRAILING_MTD], 121.0 / 110 - 1, 1e-15);
    defidx_stats_free(st);
}

/* A benchmark without a value on one of the index's days (another exchange's holiday): the
 * figures use the common dates only, the returns across the gap. */
static void benchmark_other_holidays(void **state)
{
    (void)state;
    static series s, b;
    set_series(&s, "2025-01-06", (const double[]){100, 101, 103, 102, 104}, 5, 1);
    set_series(&b, "2025-01-06", (const double[]){200, 202, NAN, 204, 206}, 5, 1);
    defidx_stats *st = stats_of(&s, &b, 0, 0);
    assert_int_equal(st->benchmark.common_count, 4);
    /* pairs: (1%, 1%), (102/101 - 1, 204/202 - 1), (104/102 - 1, 206/204 - 1) */
    double r[3] = {0.01, 102.0 / 101 - 1, 104.0 / 102 - 1}, x[3] = {0.01, 204.0 / 202 - 1, 206.0 / 204 - 1};
    double mr = (r[0] + r[1] + r[2]) / 3, mx = (x[0] + x[1] + x[2]) / 3, cov = 0, var = 0;
    for (int k = 0; k < 3; k++) {
        cov += (r[k] - mr) * (x[k] - mx);
        var += (x[k] - mx) * (x[k] - mx);
    }
    assert_double_near(st->benchmark.beta, cov / var, 1e-9);
    /* every benchmark return is up: down capture has nothing */
    assert_double_near(st->benchmark.up_capture, ((1 + r[0]) * (1 + r[1]) * (1 + r[2]) - 1) /
                                                      ((1 + x[0]) * (1 + x[1]) * (1 + x[2]) - 1), 1e-12);
    expect_none(st->benchmark.down_capture);
    defidx_stats_free(st);
}

/* Rolling figures over 2 returns, by hand: 100, 110, (none), 99, 108.9 on weekdays: returns +10%,
 * -10%, +10% between values; the window's return 99/100 - 1 and 108.9/110 - 1, its deviation that of
 * (0.1, -0.1), sqrt(0.02), annualised with 252. */
static void rolling_by_hand(void **state)
{
    (void)state;
    static series s;
    set_series(&s, "2025-01-06", (const double[]){100, 110, NAN, 99, 108.9}, 5, 1);
    defidx_level_series v = view(&s);
    double returns[5], vols[5];
    defidx_error err;
    assert_int_equal(defidx_rolling(&v, 2, 0, returns, vols, &err), 0);
    expect_none(returns[0]);
    expect_none(returns[1]);
    expect_none(returns[2]); /* no value */
    expect_none(vols[1]);
    assert_double_near(returns[3], -0.01, 1e-12);
    assert_double_near(returns[4], 108.9 / 110 - 1, 1e-12);
    assert_double_near(vols[3], sqrt(0.02) * sqrt(252), 1e-12);
    assert_double_near(vols[4], sqrt(0.02) * sqrt(252), 1e-12);
    /* F given: 12 */
    assert_int_equal(defidx_rolling(&v, 2, 12, returns, vols, &err), 0);
    assert_double_near(vols[3], sqrt(0.02) * sqrt(12), 1e-12);
    assert_int_equal(defidx_rolling(&v, 1, 0, returns, vols, &err), DEFIDX_EUSAGE);
}

/* A benchmark of month-end values against a daily index: the pairs are monthly, so F is the
 * common dates' (12), not the index's 252: tracking error sd(r - b) x sqrt(12). A benchmark that
 * ends before the index gives no trailing returns beside the index's (another period). */
static void benchmark_monthly_and_short(void **state)
{
    (void)state;
    static series s, b;
    /* the index on every day of January to April 2025, the benchmark at three month ends */
    s.n = 0;
    for (int32_t d = day("2024-12-31"); d <= day("2025-04-30"); d++) {
        s.dates[s.n] = d;
        s.values[s.n] = 100 + (double)(s.n % 7);
        s.n++;
    }
    const char *ends[] = {"2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"};
    const double levels[] = {200, 210, 199.5, 205, 220};
    b.n = 5;
    for (size_t k = 0; k < 5; k++) {
        b.dates[k] = day(ends[k]);
        b.values[k] = levels[k];
    }
    defidx_stats *st = stats_of(&s, &b, 0, 0);
    assert_double_near(st->periods_per_year, 252, 0);
    assert_double_near(st->benchmark.periods_per_year, 12, 0);
    assert_int_equal(st->benchmark.common_count, 5);
    double r[4], x[4], d[4], m = 0, v = 0;
    for (int k = 0; k < 4; k++) {
        int32_t a = day(ends[k]) - day("2024-12-31"), z = day(ends[k + 1]) - day("2024-12-31");
        r[k] = (100 + z % 7) / (100.0 + a % 7) - 1;
        x[k] = levels[k + 1] / levels[k] - 1;
        d[k] = r[k] - x[k];
        m += d[k] / 4;
    }
    for (int k = 0; k < 4; k++)
        v += (d[k] - m) * (d[k] - m) / 3;
    assert_double_near(st->benchmark.tracking_error, sqrt(v) * sqrt(12), 1e-12);
    assert_int_equal(st->benchmark.end, day("2025-04-30"));
    assert_double_near(st->benchmark.trailing[DEFIDX_TRAILING_YTD], 220.0 / 200 - 1, 1e-12);
    defidx_stats_free(st);
    /* the benchmark ends on 2025-03-31, before the index's 2025-04-30 */
    b.n = 4;
    st = stats_of(&s, &b, 0, 0);
    assert_int_equal(st->benchmark.end, day("2025-03-31"));
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++)
        expect_none(st->benchmark.trailing[t]);
    assert_int_equal(st->benchmark.common_count, 4);
    defidx_stats_free(st);
}

/* The JSON's warnings: those kept, then a last string counting those that were not, as compute's
 * JSON writes them; and in the table for people, how many there are (1 kept + 3 not). */
static void json_counts_warnings_not_kept(void **state)
{
    (void)state;
    static series s;
    set_series(&s, "2025-01-06", (const double[]){100, 101}, 2, 1);
    defidx_stats *st = stats_of(&s, NULL, 0, 0);
    char *items[] = {(char *)"a warning"};
    defidx_warnings w = {.count = 1, .capacity = 1, .items = items, .suppressed = 3};
    defidx_stats_report r = {"I", "EUR", NULL, st, 0, NULL, NULL, &w};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    assert_int_equal(defidx_emit_stats(f, &r, DEFIDX_FORMAT_JSON, NULL, &err), 0);
    fclose(f);
    assert_non_null(strstr(buf, "\"warnings\": [\"a warning\", \"3 more warnings not shown\"]}"));
    free(buf);
    /* the table for people says how many there are, under its title */
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(defidx_emit_stats(f, &r, DEFIDX_FORMAT_TABLE, NULL, &err), 0);
    fclose(f);
    assert_non_null(strstr(buf, "\n4 warnings on these figures: see standard error, or -O json\n"));
    free(buf);
    defidx_stats_free(st);
}

/* Options out of range are refused; dates must ascend. */
static void bad_options(void **state)
{
    (void)state;
    static series s;
    set_series(&s, "2025-01-06", (const double[]){100, 101}, 2, 1);
    defidx_level_series v = view(&s);
    defidx_stats_options o;
    defidx_stats_options_init(&o);
    defidx_stats *st = NULL;
    defidx_error err;
    o.risk_free = -2;
    assert_int_equal(defidx_stats_compute(&v, NULL, &o, &st, &err), DEFIDX_EUSAGE);
    assert_null(st);
    defidx_stats_options_init(&o);
    o.periods_per_year = -1;
    assert_int_equal(defidx_stats_compute(&v, NULL, &o, &st, &err), DEFIDX_EUSAGE);
    s.dates[1] = s.dates[0];
    v = view(&s);
    assert_int_equal(defidx_stats_compute(&v, NULL, NULL, &st, &err), DEFIDX_EUSAGE);
    /* a level of 0, or an infinite one, has no return */
    set_series(&s, "2025-01-06", (const double[]){100, 0}, 2, 1);
    v = view(&s);
    assert_int_equal(defidx_stats_compute(&v, NULL, NULL, &st, &err), DEFIDX_EUSAGE);
    set_series(&s, "2025-01-06", (const double[]){100, INFINITY}, 2, 1);
    v = view(&s);
    assert_int_equal(defidx_stats_compute(&v, NULL, NULL, &st, &err), DEFIDX_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ffn_dbc),
        cmocka_unit_test(empyrical_mixed),
        cmocka_unit_test(pa_managers),
        cmocka_unit_test(one_and_two_values),
        cmocka_unit_test(drawdowns_first_and_open),
        cmocka_unit_test(flat_series),
        cmocka_unit_test(gaps_of_weeks),
        cmocka_unit_test(benchmark_other_holidays),
        cmocka_unit_test(benchmark_monthly_and_short),
        cmocka_unit_test(rolling_by_hand),
        cmocka_unit_test(json_counts_warnings_not_kept),
        cmocka_unit_test(bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
