/* test_run.c: the computation one day at a time (defidx_run_start, defidx_run_day,
 * defidx_run_finish) against examples worked out by hand, the same days as a panel through
 * defidx_compute to the last bit, and the API's misuse: days out of order, a wrong next date, no
 * days, a failed day, a run freed midway; and the work of a pass, counted. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

/* Four trading days, Wed 2025-02-19 to Mon 2025-02-24; Fri 02-21 is February's third Friday, the
 * monthly review day. B has a holiday on day 2 (NAN: its close of day 1 is carried). C first trades
 * on day 3: the source meets it then, so the ticker list grows from two to three. */
#define DAYS 4
#define TICKERS 3
static const char *const tickers[TICKERS] = {"A", "B", "C"};
static const char *const currencies[TICKERS] = {"EUR", "EUR", "EUR"};
static const char *const dates[DAYS] = {"2025-02-19", "2025-02-20", "2025-02-21", "2025-02-24"};
static const size_t known[DAYS] = {2, 2, 3, 3};
static const double closes[DAYS][TICKERS] = {{10, 20, NAN}, {11, NAN, NAN}, {12, 22, 5}, {13.2, 22, 6}};
/* Share counts as a source hands them over: the last given on or before the day, carried. */
static const double shares[DAYS][TICKERS] = {{100, 50, NAN}, {100, 50, NAN}, {120, 50, 10}, {120, 50, 10}};

/* Days [from, to) into run; with_shares 0 hands over no share counts at all (shares NULL). */
static int feed(defidx_run *run, size_t from, size_t to, int with_shares, defidx_error *err)
{
    int rc = 0;
    for (size_t i = from; i < to && !rc; i++) {
        defidx_day d = {day(dates[i]), i + 1 < DAYS ? day(dates[i + 1]) : DEFIDX_NO_DATE, known[i], tickers,
                        currencies, closes[i], with_shares ? shares[i] : NULL, NULL, NULL, 0};
        rc = defidx_run_day(run, &d, err);
    }
    return rc;
}

/* The index of the four days, one day at a time. */
static defidx_result *by_days(const defidx_spec *spec, const defidx_options *o, int with_shares)
{
    defidx_run *run = NULL;
    defidx_result *r = NULL;
    defidx_error err;
    if (defidx_run_start(spec, NULL, o, &run, &err) || feed(run, 0, DAYS, with_shares, &err) ||
        defidx_run_finish(run, TICKERS, tickers, &r, &err))
        fail_msg("by days: %s", err.message);
    return r;
}

/* The same four days as a panel, through defidx_compute. */
static defidx_result *by_panel(const defidx_spec *spec, const defidx_options *o, int with_shares)
{
    defidx_panel *p = defidx_panel_new();
    assert_non_null(p);
    for (size_t i = 0; i < DAYS; i++)
        for (size_t j = 0; j < known[i]; j++)
            if (!isnan(closes[i][j]))
                assert_int_equal(defidx_panel_add(p, tickers[j], day(dates[i]), closes[i][j], currencies[j],
                                                  with_shares ? shares[i][j] : NAN, NAN, NULL, NULL),
                                 0);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_result *r = NULL;
    defidx_error err;
    if (defidx_compute(p, spec, NULL, o, &r, &err))
        fail_msg("by panel: %s", err.message);
    defidx_panel_free(p);
    return r;
}


static size_t period_index(const defidx_result *r, const char *name)
{
    return (size_t)(period(r->periods, r->period_count, name) - r->periods);
}

static void options(defidx_options *o, int weighting, int rebalance)
{
    defidx_options_init(o);
    o->weighting = weighting;
    o->rebalance = rebalance;
    /* The first date: C's first close comes later, so the default (the common start) would be
     * Friday; these tests are about a constituent that joins after the base. */
    o->base_date = day("2025-02-19");
}

/* Equal weighting, no rebalance. Base Wed 02-19 (the first date): q_A = 1/10, q_B = 1/20, S = 2,
 * D = 0.02, level 100. Thu: A 11, B's holiday carries 20: S = 1.1 + 1 = 2.1, level 105.
 * Fri: A 12, B 22: S = 1.2 + 1.1 = 2.3, level 115; C's first close (5) comes after the base, so it
 * stays out (weight 0) with a warning. Mon: A 13.2: S = 1.32 + 1.1 = 2.42, level 121.
 * 1d (Fri -> Mon): 121 / 115 - 1; A's points q_A (13.2 - 12) / D = 0.12 / 0.02 = 6, so its
 * contribution is 6 / 115, all of the index's; B and C 0. Weights on Mon: A 1.32 / 2.42,
 * B 1.1 / 2.42, C 0. Own 1d returns: A 13.2 / 12 - 1 = 0.1, B 0, C 6 / 5 - 1 = 0.2. */
static void equal_weight_day_by_day(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_EQUAL, DEFIDX_REBALANCE_NONE);
    defidx_result *r = by_days(NULL, &o, 0);
    assert_int_equal(r->weighting, DEFIDX_WEIGHT_EQUAL);
    assert_int_equal(r->date_count, 4);
    assert_int_equal(r->base_date, day("2025-02-19"));
    assert_int_equal(r->as_of, day("2025-02-24"));
    assert_double_near(r->levels[0], 100, 0);
    assert_double_near(r->levels[1], 105, 1e-9);
    assert_double_near(r->levels[2], 115, 1e-9);
    assert_double_near(r->levels[3], 121, 1e-9);
    assert_double_near(r->divisors[0], 0.02, 1e-15);
    assert_double_near(r->divisors[3], 0.02, 1e-15);
    assert_double_near(r->level, 121, 1e-9);
    assert_int_equal(r->review_count, 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(r->constituents_in[i], 2);
    size_t d1 = period_index(r, "1d");
    assert_int_equal(r->periods[d1].base_date, day("2025-02-21"));
    assert_double_near(r->periods[d1].ret, 121.0 / 115 - 1, 1e-12);
    assert_int_equal(r->constituent_count, 3);
    const defidx_constituent *a = constituent(r, "A"), *b = constituent(r, "B"), *c = constituent(r, "C");
    assert_double_near(a->weight, 1.32 / 2.42, 1e-12);
    assert_double_near(b->weight, 1.1 / 2.42, 1e-12);
    assert_double_near(c->weight, 0, 0);
    assert_string_equal(r->constituents[0].ticker, "A"); /* by weight */
    assert_string_equal(r->constituents[2].ticker, "C");
    assert_double_near(a->contribution[d1], 6.0 / 115, 1e-12);
    assert_double_near(b->contribution[d1], 0, 1e-15);
    assert_double_near(c->contribution[d1], 0, 0);
    assert_double_near(a->periods[d1].ret, 0.1, 1e-12);
    assert_double_near(b->periods[d1].ret, 0, 1e-15);
    assert_double_near(c->periods[d1].ret, 0.2, 1e-12);
    assert_double_near(c->price, 6, 0);
    assert_int_equal(r->warnings.count, 1);
    expect_warning(&r->warnings, 0, "C has no price on or before 2025-02-19");
    /* The all-time high is Monday's. */
    assert_int_equal(r->ath_date, day("2025-02-24"));
    assert_double_near(r->drawdown, 0, 0);
    defidx_result_free(r);
}

/* The same with a monthly rebalance after the close of Fri 02-21: C, which has a close by then,
 * joins. Up to Friday's level (115) nothing changes. Rebalance: q_A = 1/12, q_B = 1/22, q_C = 1/5,
 * S' = 3, D' = 3 / 115. Mon: S = 13.2 / 12 + 1 + 6 / 5 = 1.1 + 1 + 1.2 = 3.3, level
 * 3.3 * 115 / 3 = 126.5; 1d = 126.5 / 115 - 1 = 0.1. Points: A (1/12) 1.2 / D' = 0.1 * 115 / 3,
 * C (1/5) 1 / D' = 0.2 * 115 / 3, so contributions 0.1 / 3 and 0.2 / 3, adding up to 0.1.
 * Weights on Mon: A 1.1 / 3.3, B 1 / 3.3, C 1.2 / 3.3. */
static void late_ticker_joins_at_rebalance(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_EQUAL, DEFIDX_REBALANCE_MONTHLY);
    defidx_result *r = by_days(NULL, &o, 0);
    assert_int_equal(r->review_count, 1);
    assert_double_near(r->levels[1], 105, 1e-9);
    assert_double_near(r->levels[2], 115, 1e-9);
    assert_double_near(r->levels[3], 126.5, 1e-9);
    assert_double_near(r->divisors[2], 0.02, 1e-15);   /* Friday's level is computed with the old one */
    assert_double_near(r->divisors[3], 3.0 / 115, 1e-15);
    assert_int_equal(r->constituents_in[2], 2);
    assert_int_equal(r->constituents_in[3], 3);
    size_t d1 = period_index(r, "1d");
    assert_double_near(r->periods[d1].ret, 0.1, 1e-12);
    const defidx_constituent *a = constituent(r, "A"), *b = constituent(r, "B"), *c = constituent(r, "C");
    assert_double_near(a->contribution[d1], 0.1 / 3, 1e-12);
    assert_double_near(b->contribution[d1], 0, 1e-15);
    assert_double_near(c->contribution[d1], 0.2 / 3, 1e-12);
    assert_double_near(a->weight, 1.1 / 3.3, 1e-12);
    assert_double_near(b->weight, 1 / 3.3, 1e-12);
    assert_double_near(c->weight, 1.2 / 3.3, 1e-12);
    assert_string_equal(r->constituents[0].ticker, "C");
    assert_int_equal(r->divisor_change_count, 2); /* the base and the rebalance */
    assert_string_equal(r->divisor_changes[1].reason, "rebalance");
    assert_int_equal(r->divisor_changes[1].date, day("2025-02-21"));
    assert_int_equal(r->divisor_changes[1].effective, day("2025-02-24"));
    assert_double_near(r->divisor_changes[1].value_before, 2.3, 1e-12);
    assert_double_near(r->divisor_changes[1].value_after, 3, 1e-12);
    defidx_result_free(r);
}

/* Price weighting (q = 1), as of Friday the review day. Base: S = 10 + 20 = 30, D = 0.3.
 * Thu: 11 + 20 (carried) = 31, level 103.333...; Fri: 12 + 22 = 34, level 113.333...
 * Without a rebalance Mon is 13.2 + 22 = 35.2: level 117.333... With the monthly one C joins at
 * Friday's close: S' = 12 + 22 + 5 = 39, D' = 39 / 113.333...; Mon: S = 13.2 + 22 + 6 = 41.2,
 * level 41.2 / 39 * 34 / 0.3 = 119.726...
 * As of Friday, B's own 1d return is from its last close before Friday, 20 on Wed: 22 / 20 - 1;
 * the index's 1d is 34 / 31 - 1, and the weights are those before the rebalance: 12 / 34, 22 / 34. */
static void price_weight_and_as_of(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_PRICE, DEFIDX_REBALANCE_NONE);
    defidx_result *r = by_days(NULL, &o, 0);
    assert_double_near(r->divisors[0], 0.3, 1e-15);
    assert_double_near(r->levels[1], 31 / 0.3, 1e-9);
    assert_double_near(r->levels[2], 34 / 0.3, 1e-9);
    assert_double_near(r->levels[3], 35.2 / 0.3, 1e-9);
    defidx_result_free(r);

    o.rebalance = DEFIDX_REBALANCE_MONTHLY;
    r = by_days(NULL, &o, 0);
    assert_double_near(r->levels[2], 34 / 0.3, 1e-9);
    assert_double_near(r->divisors[3], 39 / (34 / 0.3), 1e-15);
    assert_double_near(r->levels[3], 41.2 / 39 * 34 / 0.3, 1e-9);
    assert_double_near(constituent(r, "C")->weight, 6 / 41.2, 1e-12);
    defidx_result_free(r);

    o.as_of = day("2025-02-21");
    r = by_days(NULL, &o, 0);
    assert_int_equal(r->as_of, day("2025-02-21"));
    assert_double_near(r->level, 34 / 0.3, 1e-9);
    assert_int_equal(r->date_count, 4); /* the series still runs to the last day */
    size_t d1 = period_index(r, "1d");
    assert_int_equal(r->periods[d1].base_date, day("2025-02-20"));
    assert_double_near(r->periods[d1].ret, 34.0 / 31 - 1, 1e-12);
    const defidx_constituent *b = constituent(r, "B");
    assert_int_equal(b->periods[d1].base_date, day("2025-02-19"));
    assert_double_near(b->periods[d1].ret, 22.0 / 20 - 1, 1e-12);
    assert_double_near(b->price, 22, 0);
    assert_double_near(constituent(r, "A")->weight, 12.0 / 34, 1e-12);
    assert_double_near(b->weight, 22.0 / 34, 1e-12);
    assert_double_near(constituent(r, "C")->weight, 0, 0);
    /* B's contribution over 1d: it did not trade on Thu, so all its 2 points came on Fri. */
    assert_double_near(b->contribution[d1], 2 / 0.3 / (31 / 0.3), 1e-12);
    defidx_result_free(r);
}

/* Fails unless the n doubles at x and y are the same bits. */
static void assert_same_bits(const double *x, const double *y, size_t n, const char *what)
{
    if (n && memcmp(x, y, n * sizeof *x) != 0)
        for (size_t i = 0; i < n; i++)
            if (memcmp(&x[i], &y[i], sizeof x[i]) != 0)
                fail_msg("%s[%zu]: %.17g by days, %.17g by panel", what, i, x[i], y[i]);
}

/* Everything a result reports, bit for bit. */
static void assert_same_result(const defidx_result *x, const defidx_result *y)
{
    assert_int_equal(x->date_count, y->date_count);
    assert_memory_equal(x->dates, y->dates, x->date_count * sizeof *x->dates);
    assert_same_bits(x->levels, y->levels, x->date_count, "levels");
    assert_same_bits(x->divisors, y->divisors, x->date_count, "divisors");
    assert_memory_equal(x->constituents_in, y->constituents_in, x->date_count * sizeof *x->constituents_in);
    assert_int_equal(x->weighting, y->weighting);
    assert_int_equal(x->base_date, y->base_date);
    assert_int_equal(x->as_of, y->as_of);
    assert_same_bits(&x->level, &y->level, 1, "level");
    assert_int_equal(x->ath_date, y->ath_date);
    assert_same_bits(&x->drawdown, &y->drawdown, 1, "drawdown");
    assert_int_equal(x->review_count, y->review_count);
    assert_int_equal(x->period_count, y->period_count);
    for (size_t k = 0; k < x->period_count; k++) {
        assert_string_equal(x->periods[k].name, y->periods[k].name);
        assert_int_equal(x->periods[k].base_date, y->periods[k].base_date);
        assert_same_bits(&x->periods[k].ret, &y->periods[k].ret, 1, x->periods[k].name);
    }
    assert_int_equal(x->constituent_count, y->constituent_count);
    for (size_t i = 0; i < x->constituent_count; i++) {
        const defidx_constituent *a = &x->constituents[i], *b = &y->constituents[i];
        assert_string_equal(a->ticker, b->ticker);
        assert_int_equal(a->price_date, b->price_date);
        assert_same_bits(&a->price, &b->price, 1, "price");
        assert_same_bits(&a->weight, &b->weight, 1, "weight");
        for (size_t k = 0; k < x->period_count; k++) {
            assert_int_equal(a->periods[k].base_date, b->periods[k].base_date);
            assert_same_bits(&a->periods[k].ret, &b->periods[k].ret, 1, "constituent return");
        }
        assert_same_bits(a->contribution, b->contribution, x->period_count, "contribution");
    }
    assert_int_equal(x->divisor_change_count, y->divisor_change_count);
    for (size_t k = 0; k < x->divisor_change_count; k++) {
        assert_int_equal(x->divisor_changes[k].date, y->divisor_changes[k].date);
        assert_int_equal(x->divisor_changes[k].effective, y->divisor_changes[k].effective);
        assert_same_bits(&x->divisor_changes[k].new_divisor, &y->divisor_changes[k].new_divisor, 1, "divisor");
        assert_string_equal(x->divisor_changes[k].reason, y->divisor_changes[k].reason);
    }
    assert_int_equal(x->stale_count, y->stale_count);
    assert_int_equal(x->warnings.count, y->warnings.count);
    for (size_t k = 0; k < x->warnings.count; k++)
        assert_string_equal(x->warnings.items[k], y->warnings.items[k]);
}

/* The same days given one at a time and as a panel give the same bits, for every weighting here,
 * with and without a rebalance or a definition, as of the last day and of the review day. */
static void panel_gives_same_bits(void **state)
{
    (void)state;
    defidx_spec *spec = NULL;
    const char *json = "{\"name\":\"T\",\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"},{\"ticker\":\"C\"}]}";
    assert_int_equal(defidx_spec_parse(&spec, "spec.json", json, strlen(json), NULL), 0);
    static const int weightings[] = {DEFIDX_WEIGHT_EQUAL, DEFIDX_WEIGHT_PRICE, DEFIDX_WEIGHT_MCAP,
                                     DEFIDX_WEIGHT_FFMCAP, DEFIDX_WEIGHT_DEFAULT};
    size_t compared = 0;
    for (size_t w = 0; w < sizeof weightings / sizeof weightings[0]; w++)
        for (int rebalance = DEFIDX_REBALANCE_NONE; rebalance <= DEFIDX_REBALANCE_MONTHLY; rebalance++)
            for (int with_spec = 0; with_spec <= 1; with_spec++)
                for (int as_of_friday = 0; as_of_friday <= 1; as_of_friday++) {
                    int market_cap = weightings[w] == DEFIDX_WEIGHT_MCAP || weightings[w] == DEFIDX_WEIGHT_FFMCAP;
                    defidx_options o;
                    options(&o, weightings[w], rebalance);
                    if (as_of_friday)
                        o.as_of = day("2025-02-21");
                    const defidx_spec *s = with_spec ? spec : NULL;
                    defidx_result *x = by_days(s, &o, market_cap), *y = by_panel(s, &o, market_cap);
                    assert_same_result(x, y);
                    defidx_result_free(x);
                    defidx_result_free(y);
                    compared++;
                }
    assert_int_equal(compared, 40);
    defidx_spec_free(spec);
}

/* Days must ascend, each on the date the day before gave as next, and each day's next date must
 * lie after it: else DEFIDX_EUSAGE, and the run takes no more days. */
static void days_out_of_order(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_EQUAL, DEFIDX_REBALANCE_NONE);
    struct {
        const char *date, *next;
    } bad[] = {
        {"2025-02-19", "2025-02-21"}, /* the first day again */
        {"2025-02-18", "2025-02-21"}, /* before it */
        {"2025-02-20", "2025-02-20"}, /* next on the day itself */
        {"2025-02-20", "2025-02-19"}, /* next before it */
        {"2025-02-21", "2025-02-24"}, /* after the first day, but not the 02-20 it gave as next */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        defidx_run *run = NULL;
        defidx_error err;
        assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), 0);
        assert_int_equal(feed(run, 0, 1, 0, &err), 0);
        defidx_day d = {day(bad[k].date), day(bad[k].next), 2, tickers, currencies, closes[1], NULL, NULL, NULL, 0};
        assert_int_equal(defidx_run_day(run, &d, &err), DEFIDX_EUSAGE);
        assert_int_equal(err.code, DEFIDX_EUSAGE);
        assert_non_null(strstr(err.message, "ascending date order"));
        defidx_day good = {day("2025-02-20"), day("2025-02-21"), 2, tickers, currencies, closes[1], NULL, NULL, NULL, 0};
        assert_int_equal(defidx_run_day(run, &good, &err), DEFIDX_EUSAGE);
        assert_non_null(strstr(err.message, "failed"));
        defidx_run_free(run);
    }

    /* A next date on the very first day that is not after it. */
    defidx_run *run = NULL;
    defidx_error err;
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), 0);
    defidx_day d = {day("2025-02-19"), day("2025-02-19"), 2, tickers, currencies, closes[0], NULL, NULL, NULL, 0};
    assert_int_equal(defidx_run_day(run, &d, NULL), DEFIDX_EUSAGE); /* err may be NULL */
    defidx_run_free(run);
}

/* Finishing without a day, or after a last day that promised another, has no result: EUSAGE. */
static void finish_without_result(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_EQUAL, DEFIDX_REBALANCE_NONE);
    defidx_run *run = NULL;
    defidx_result *r = NULL;
    defidx_error err;
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), 0);
    assert_int_equal(defidx_run_finish(run, 0, NULL, &r, &err), DEFIDX_EUSAGE);
    assert_null(r);
    assert_non_null(strstr(err.message, "no prices"));

    /* Three days, the third saying that Monday follows: the last date (the as-of) never came. */
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), 0);
    assert_int_equal(feed(run, 0, 3, 0, &err), 0);
    assert_int_equal(defidx_run_finish(run, TICKERS, tickers, &r, &err), DEFIDX_EUSAGE);
    assert_null(r);
}

/* A day that fails (prices in USD, no FX rates) ends the run: later days and finish are
 * DEFIDX_EUSAGE, and nothing leaks. */
static void failed_day_ends_run(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_EQUAL, DEFIDX_REBALANCE_NONE);
    static const char *const usd[TICKERS] = {"EUR", "USD", "EUR"};
    defidx_run *run = NULL;
    defidx_error err;
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), 0);
    defidx_day d = {day(dates[0]), day(dates[1]), 2, tickers, usd, closes[0], NULL, NULL, NULL, 0};
    assert_int_equal(defidx_run_day(run, &d, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "USD"));
    d = (defidx_day){day(dates[1]), day(dates[2]), 2, tickers, usd, closes[1], NULL, NULL, NULL, 0};
    assert_int_equal(defidx_run_day(run, &d, &err), DEFIDX_EUSAGE);
    defidx_result *r = NULL;
    assert_int_equal(defidx_run_finish(run, 2, tickers, &r, &err), DEFIDX_EUSAGE);
    assert_null(r);
    assert_non_null(strstr(err.message, "failed"));

    /* A setting the engine refuses stops the start: no run to free. */
    o.currency = "EURO";
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), DEFIDX_EUSAGE);
    assert_null(run);
}

/* A run given up midway is freed with everything it holds (ASan and valgrind check the leaks):
 * before any day, before the base, after the base and a rebalance that brought a warning. */
static void run_freed_midway(void **state)
{
    (void)state;
    defidx_options o;
    options(&o, DEFIDX_WEIGHT_EQUAL, DEFIDX_REBALANCE_MONTHLY);
    defidx_spec *spec = NULL;
    const char *json = "{\"constituents\":[{\"ticker\":\"A\",\"name\":\"Alpha\"},{\"ticker\":\"C\"}],"
                       "\"reviews\":[{\"effective\":\"2025-02-24\",\"constituents\":[{\"ticker\":\"B\"},{\"ticker\":\"C\"}]}]}";
    assert_int_equal(defidx_spec_parse(&spec, "spec.json", json, strlen(json), NULL), 0);
    for (size_t days = 0; days < DAYS; days++)
        for (int with_spec = 0; with_spec <= 1; with_spec++) {
            defidx_run *run = NULL;
            defidx_error err;
            assert_int_equal(defidx_run_start(with_spec ? spec : NULL, NULL, &o, &run, &err), 0);
            assert_int_equal(feed(run, 0, days, 1, &err), 0);
            defidx_run_free(run);
        }
    /* Before the base date: the base is Friday, so two days only carry closes. */
    o.base_date = day("2025-02-21");
    defidx_run *run = NULL;
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, NULL), 0);
    assert_int_equal(feed(run, 0, 2, 0, NULL), 0);
    defidx_run_free(run);
    defidx_run_free(NULL);
    defidx_spec_free(spec);
}

/* The pass's work is its rows and the index's constituents, not tickers x dates (issue 15: one row
 * a date cycling through 100,000 tickers took 25 s at 100,000 dates, 366 s at 400,000). N tickers
 * all close at 10 on the first day, the base; then on day d ticker d - 1 alone closes at 11. Equal
 * weights: q = 1/(10 N) each, S = 1, D = 0.01. After day d, d tickers are at 11: S = 1 + d / (10 N),
 * level 100 (1 + d / (10 N)); after day N, 110. The source says which ticker is priced each day,
 * so the engine carries and visits that one each day, and the base day's N three times (carried
 * before the base, carried and visited at it): 5 N in all, where walking every member every day
 * was N^2 = 400 million. The same days without the list (a panel's way) walk all
 * members and give the same bits. */
static int cycle_days(defidx_run *run, size_t n, int with_list, defidx_error *err)
{
    char **names = malloc(n * sizeof *names);
    double *close = malloc(n * sizeof *close);
    uint32_t *priced = malloc(n * sizeof *priced);
    assert_true(names && close && priced);
    for (size_t i = 0; i < n; i++) {
        names[i] = malloc(32);
        assert_non_null(names[i]);
        snprintf(names[i], 32, "T%zu.DE", i);
        close[i] = 10;
        priced[i] = (uint32_t)i;
    }
    int32_t first = day("1990-01-01"); /* a Monday: weekdays follow */
    int rc = 0;
    for (size_t d = 0; d <= n && !rc; d++) {
        int32_t date = first + (int32_t)(d / 5 * 7 + d % 5), next = first + (int32_t)((d + 1) / 5 * 7 + (d + 1) % 5);
        if (d > 0) {
            for (size_t i = 0; i < n; i++)
                close[i] = NAN;
            close[d - 1] = 11;
            priced[0] = (uint32_t)(d - 1);
        }
        defidx_day day_in = {date, d < n ? next : DEFIDX_NO_DATE, n, (const char *const *)names, NULL, close, NULL, NULL,
                             with_list ? priced : NULL, d == 0 ? n : 1};
        rc = defidx_run_day(run, &day_in, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(close);
    free(priced);
    return rc;
}

static defidx_result *cycle_run(size_t n, int with_list, size_t *visits)
{
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_EQUAL;
    defidx_run *run;
    defidx_error err;
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, &err), 0);
    assert_int_equal(cycle_days(run, n, with_list, &err), 0);
    *visits = dfx_run_member_visits(run);
    const char *none[1] = {NULL};
    defidx_result *r = NULL;
    assert_int_equal(defidx_run_finish(run, 0, none, &r, &err), 0);
    return r;
}

static void work_follows_rows(void **state)
{
    (void)state;
    const size_t n = 20000;
    size_t visits, all_visits;
    defidx_result *r = cycle_run(n, 1, &visits);
    assert_int_equal(r->date_count, n + 1);
    for (size_t d = 0; d <= n; d += 2500)
        assert_double_near(r->levels[d], 100 * (1 + (double)d / (10.0 * n)), 1e-9);
    assert_double_near(r->level, 110, 1e-9);
    assert_true(visits <= 6 * n);
    /* a smaller run without the list: every member every day, the same bits */
    defidx_result_free(r);
    const size_t small = 300;
    r = cycle_run(small, 1, &visits);
    defidx_result *all = cycle_run(small, 0, &all_visits);
    assert_true(all_visits >= small * small);
    assert_true(visits <= 6 * small);
    assert_int_equal(r->date_count, all->date_count);
    assert_memory_equal(r->levels, all->levels, r->date_count * sizeof *r->levels);
    for (size_t i = 0; i < r->constituent_count; i++)
        assert_memory_equal(&r->constituents[i].weight, &all->constituents[i].weight, sizeof(double));
    defidx_result_free(r);
    defidx_result_free(all);
}

/* The weekday d trading days after Monday 1990-01-01, as cycle_days counts them. */
static int32_t weekday_after(size_t d)
{
    return day("1990-01-01") + (int32_t)(d / 5 * 7 + d % 5);
}

/* A file of one ticker's rows after another (not sorted by date, so the one pass collects it per
 * ticker and replays it: stream.c) of cycle_days' prices: every ticker at 10 on day 0, then ticker
 * d - 1 alone at 11 on day d. Its path goes into path. */
static void write_cycle_by_ticker(char *path, size_t n)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    char first[11], date[11];
    defidx_date_format(weekday_after(0), first);
    fputs("date,ticker,close\n", f);
    for (size_t i = 0; i < n; i++) {
        defidx_date_format(weekday_after(i + 1), date);
        fprintf(f, "%s,T%zu.DE,10\n%s,T%zu.DE,11\n", first, i, date, i);
    }
    assert_int_equal(fclose(f), 0);
}

/* The same prices as work_follows_rows, from a file in ticker order: the replay hands each date's
 * rows over with the list of those priced, so that its work, and the engine's, follows the 2N
 * rows. Before, it walked every ticker on every date and handed over no list: N^2 each. */
static void replay_work_follows_rows(void **state)
{
    (void)state;
    const size_t n = 20000;
    char path[] = "/tmp/defidx_test_XXXXXX";
    write_cycle_by_ticker(path, n);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_EQUAL;
    defidx_result *r = NULL;
    defidx_error err;
    size_t work = 0;
    int rc = dfx_one_pass_counted(path, NULL, &o, &r, &work, &err);
    unlink(path);
    assert_int_equal(rc, 0);
    assert_int_equal(r->one_pass, 2); /* collected per ticker, then replayed */
    assert_int_equal(r->date_count, n + 1);
    for (size_t d = 0; d <= n; d += 2500)
        assert_double_near(r->levels[d], 100 * (1 + (double)d / (10.0 * n)), 1e-9);
    assert_double_near(r->level, 110, 1e-9);
    assert_true(work <= 12 * n);
    defidx_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equal_weight_day_by_day),
        cmocka_unit_test(late_ticker_joins_at_rebalance),
        cmocka_unit_test(price_weight_and_as_of),
        cmocka_unit_test(panel_gives_same_bits),
        cmocka_unit_test(days_out_of_order),
        cmocka_unit_test(finish_without_result),
        cmocka_unit_test(failed_day_ends_run),
        cmocka_unit_test(run_freed_midway),
        cmocka_unit_test(work_follows_rows),
        cmocka_unit_test(replay_work_follows_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
