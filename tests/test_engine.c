/* test_engine.c: the index calculation against examples worked out by hand (each test's comment
 * shows the arithmetic): weightings, the divisor across reviews, FX, contributions, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

/* Adds one ticker's closes on the given dates (NAN: no price that day). */
static void add_series(defidx_panel *p, const char *ticker, const char *currency, const char *const *dates,
                       const double *closes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(defidx_panel_add(p, ticker, day(dates[i]), closes[i], currency, NAN, NAN, NULL, NULL), 0);
}

static defidx_panel *two_stocks(const char *const *dates, const double *a, const double *b, size_t n)
{
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "EUR", dates, a, n);
    add_series(p, "B", "EUR", dates, b, n);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    return p;
}

static defidx_spec *parse_spec(const char *json)
{
    defidx_spec *s = NULL;
    defidx_error err;
    int rc = defidx_spec_parse(&s, "spec.json", json, strlen(json), &err);
    if (rc)
        fail_msg("spec: %s", err.message);
    return s;
}


/* q_A = 100 x 1.0 = 100, q_B = 50 x 0.5 = 25. Base: S = 10*100 + 20*25 = 1500, D = 15.
 * Day 2: S = 1100 + 450 = 1550, level 103.333...; day 3: S = 1200 + 475 = 1675, level 111.666...
 * Weights on day 3: 1200/1675 and 475/1675. Contributions since the base: A 100*2/15/100 = 0.1333...,
 * B 25*(-1)/15/100 = -0.01666..., adding up to the index's 0.11666... */
static void ffmcap_two_stocks(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04", "2025-02-05"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11, 12}, (double[]){20, 18, 19}, 3);
    defidx_spec *s = parse_spec("{\"name\":\"T\",\"constituents\":["
                                "{\"ticker\":\"A\",\"shares\":100,\"free_float\":1},"
                                "{\"ticker\":\"B\",\"shares\":50,\"free_float\":0.5}]}");
    defidx_options o;
    defidx_options_init(&o);
    int32_t since = day("2025-02-03");
    o.since = &since;
    o.since_count = 1;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->weighting, DEFIDX_WEIGHT_FFMCAP);
    assert_int_equal(r->date_count, 3);
    assert_double_near(r->levels[0], 100, 1e-12);
    assert_double_near(r->levels[1], 1550.0 / 15, 1e-9);
    assert_double_near(r->levels[2], 1675.0 / 15, 1e-9);
    assert_double_near(r->divisors[0], 15, 1e-12);
    assert_double_near(r->level, 1675.0 / 15, 1e-9);
    const defidx_constituent *a = constituent(r, "A"), *b = constituent(r, "B");
    assert_double_near(a->weight, 1200.0 / 1675, 1e-12);
    assert_double_near(b->weight, 475.0 / 1675, 1e-12);
    assert_string_equal(r->constituents[0].ticker, "A"); /* sorted by weight */
    const defidx_period *since_base = period(r->periods, r->period_count, "since:2025-02-03");
    assert_double_near(since_base->ret, 1675.0 / 1500 - 1, 1e-12);
    size_t k = (size_t)(since_base - r->periods);
    assert_double_near(a->contribution[k], 200.0 / 15 / 100, 1e-12);
    assert_double_near(b->contribution[k], -25.0 / 15 / 100, 1e-12);
    /* 1d: from day 2 to day 3; the constituents' own returns in their currency. */
    const defidx_period *d1 = period(r->periods, r->period_count, "1d");
    assert_int_equal(d1->base_date, day("2025-02-04"));
    assert_double_near(d1->ret, 1675.0 / 1550 - 1, 1e-12);
    assert_double_near(period(a->periods, r->period_count, "1d")->ret, 12.0 / 11 - 1, 1e-12);
    assert_double_near(a->contribution[0] + b->contribution[0], d1->ret, 1e-12);
    /* The all-time high is the as-of day itself. */
    assert_int_equal(r->ath_date, day("2025-02-05"));
    assert_double_near(r->drawdown, 0, 0);
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* Equal weighting with a quarterly rebalance after the close of Friday 2025-03-21, the third Friday
 * of March (1 March 2025 is a Saturday). Base Thu 03-20: q = 1/10 each, S = 2, D = 0.02.
 * Fri 03-21: A doubles: S = 2 + 1 = 3, level 150. Review: q_A = 1/20, q_B = 1/10, S' = 2,
 * D' = 2/150. Mon 03-24: B halves: S = 1 + 0.5 = 1.5, level 1.5 / (2/150) = 112.5 (without the
 * rebalance it would be 125). Points: A +50 on Friday, B -37.5 on Monday: contributions 0.5 and
 * -0.375, adding up to the index's +12.5%. */
static void equal_weight_quarterly_rebalance(void **state)
{
    (void)state;
    const char *dates[] = {"2025-03-20", "2025-03-21", "2025-03-24"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 20, 20}, (double[]){10, 10, 5}, 3);
    defidx_options o;
    defidx_options_init(&o);
    o.rebalance = DEFIDX_REBALANCE_QUARTERLY;
    int32_t since = day("2025-03-20");
    o.since = &since;
    o.since_count = 1;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->weighting, DEFIDX_WEIGHT_EQUAL); /* no shares known */
    assert_int_equal(r->review_count, 1);
    assert_double_near(r->levels[1], 150, 1e-9);
    assert_double_near(r->levels[2], 112.5, 1e-9);
    assert_double_near(r->divisors[1], 0.02, 1e-15);
    assert_double_near(r->divisors[2], 2.0 / 150, 1e-15);
    size_t k = r->period_count - 1;
    assert_double_near(r->periods[k].ret, 0.125, 1e-12);
    assert_double_near(constituent(r, "A")->contribution[k], 0.5, 1e-12);
    assert_double_near(constituent(r, "B")->contribution[k], -0.375, 1e-12);
    /* Weights on Monday: A 1.0 of S = 1.5, B 0.5. */
    assert_double_near(constituent(r, "A")->weight, 1 / 1.5, 1e-12);
    defidx_result_free(r);

    /* Without the rebalance the level on Monday is (2 + 0.5) / 0.02 = 125. */
    o.rebalance = DEFIDX_REBALANCE_NONE;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->review_count, 0);
    assert_double_near(r->levels[2], 125, 1e-9);
    defidx_result_free(r);
    defidx_panel_free(p);
}

/* A review in the definition swaps B for C at the close of the day before its effective date.
 * Price weighting (q = 1). Base 02-03: S = 10 + 20 = 30, D = 0.3. 02-04: S = 12 + 21 = 33, level 110.
 * Review (effective 02-05, so at the close of 02-04): members A, C; S' = 12 + 40 = 52, D' = 52/110.
 * 02-05: S = 12 + 44 = 56, level 56 * 110 / 52 = 118.4615...; the level is continuous across the
 * review: computed with the new divisor on 02-04 it would still be 110. */
static void review_changes_members_level_continuous(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04", "2025-02-05"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "EUR", dates, (double[]){10, 12, 12}, 3);
    add_series(p, "B", "EUR", dates, (double[]){20, 21, 30}, 3);
    add_series(p, "C", "EUR", dates, (double[]){35, 40, 44}, 3);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = parse_spec("{\"weighting\":\"price\",\"base_date\":\"2025-02-03\","
                                "\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"}],"
                                "\"reviews\":[{\"effective\":\"2025-02-05\","
                                "\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"C\"}]}]}");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, NULL), 0);
    assert_int_equal(r->review_count, 1);
    assert_double_near(r->levels[1], 110, 1e-9);
    assert_double_near(52 / r->divisors[2], 110, 1e-9); /* continuity */
    assert_double_near(r->levels[2], 56.0 * 110 / 52, 1e-9);
    assert_double_near(constituent(r, "B")->weight, 0, 0);
    assert_double_near(constituent(r, "C")->weight, 44.0 / 56, 1e-12);
    /* Contributions over 1d (02-04 -> 02-05, after the review): A 0, C 4 / D' / 110. */
    assert_double_near(constituent(r, "C")->contribution[0], 4 / (52.0 / 110) / 110, 1e-12);
    assert_double_near(constituent(r, "B")->contribution[0], 0, 1e-15);
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* A constituent that only a review lists takes its currency from that review's entry (the prices
 * give none): C is quoted in pence (GBX) in a GBP index. Price weighting; base 02-03: A 10 + B 20
 * GBP, D = 0.3. Review effective 02-05 (at the close of 02-04) adds C at 500p = 5 GBP: S' = 35,
 * D' = 0.35. 02-05: C 600p: S = 10 + 20 + 6 = 36, level 36 / 0.35 = 102.857142857143 (were C
 * taken as GBP: 630 / 5.3 = 118.9). */
static void review_only_constituent_takes_its_listed_currency(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04", "2025-02-05"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "GBP", dates, (double[]){10, 10, 10}, 3);
    add_series(p, "B", "GBP", dates, (double[]){20, 20, 20}, 3);
    add_series(p, "C", NULL, dates, (double[]){500, 500, 600}, 3);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = parse_spec("{\"weighting\":\"price\",\"currency\":\"GBP\",\"base_date\":\"2025-02-03\","
                                "\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"}],"
                                "\"reviews\":[{\"effective\":\"2025-02-05\",\"constituents\":[{\"ticker\":\"A\"},"
                                "{\"ticker\":\"B\"},{\"ticker\":\"C\",\"currency\":\"GBX\"}]}]}");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, NULL), 0);
    assert_int_equal(r->review_count, 1);
    assert_double_near(r->levels[2], 36 / 0.35, 1e-9);
    assert_string_equal(constituent(r, "C")->currency, "GBX");
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* Fixed weights 0.25 / 0.75 at the base: q_A = 0.25 / 10, q_B = 0.75 / 20; S = 1, D = 0.01.
 * Day 2: S = 0.025 * 12 + 0.0375 * 16 = 0.3 + 0.6 = 0.9, level 90. */
static void fixed_weights(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 12}, (double[]){20, 16}, 2);
    defidx_spec *s = parse_spec("{\"weighting\":\"fixed\",\"constituents\":["
                                "{\"ticker\":\"A\",\"weight\":0.25},{\"ticker\":\"B\",\"weight\":0.75}]}");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, NULL), 0);
    assert_double_near(r->levels[1], 90, 1e-9);
    assert_double_near(constituent(r, "A")->weight, 0.3 / 0.9, 1e-12);
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* Weights in a definition that names no weighting make it fixed, with a note: the same level of
 * 90 as above (equal weights, what the default gave before, would give 0.05 x 12 + 0.025 x 16 =
 * 1.0 over D = 0.01: 100). A review without weights is then an error at its entry, as with
 * --weighting fixed; --weighting equal still overrides the weights: level 100. */
static void weights_imply_fixed(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 12}, (double[]){20, 16}, 2);
    defidx_spec *s = parse_spec("{\"constituents\":["
                                "{\"ticker\":\"A\",\"weight\":0.25},{\"ticker\":\"B\",\"weight\":0.75}]}");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, NULL), 0);
    assert_int_equal(r->weighting, DEFIDX_WEIGHT_FIXED);
    assert_double_near(r->levels[1], 90, 1e-9);
    assert_int_equal(r->notes.count, 1);
    assert_non_null(strstr(r->notes.items[0], "the definition gives weights, so the index is weighted by them: fixed"));
    defidx_result_free(r);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_EQUAL;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_double_near(r->levels[1], 100, 1e-9);
    defidx_result_free(r);
    defidx_spec_free(s);

    s = parse_spec("{\"constituents\":[{\"ticker\":\"A\",\"weight\":0.5},{\"ticker\":\"B\",\"weight\":0.5}],"
                   "\"reviews\":[{\"effective\":\"2025-02-04\",\"constituents\":[{\"ticker\":\"A\"}]}]}");
    defidx_error err;
    r = NULL;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "fixed weighting needs a weight for A (hint: the definition's other weights make it fixed-weighted"));
    assert_int_equal(err.column, 128); /* the review's {"ticker":"A"}, as in unusable_quantities */
    assert_null(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* Market-cap weighting ignores free float: q_A = 100, q_B = 50; S = 1000 + 1000, D = 20.
 * Day 2: S = 1100 + 900 = 2000, level 100. (ffmcap would give q_B = 25: S = 1550/15 ... not 100.) */
static void mcap_ignores_free_float(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11}, (double[]){20, 18}, 2);
    defidx_spec *s = parse_spec("{\"constituents\":["
                                "{\"ticker\":\"A\",\"shares\":100,\"free_float\":1},"
                                "{\"ticker\":\"B\",\"shares\":50,\"free_float\":0.5}]}");
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_MCAP;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_double_near(r->levels[1], 100, 1e-9);
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* FX and pence: B is quoted in GBX. ECB rates: GBP 0.80 per EUR on 02-03, 0.75 on 02-04.
 * Price weighting in EUR: B = 800p = 8 GBP = 10 EUR on 02-03; on 02-04, 800p = 8 / 0.75 = 10.666 EUR.
 * A is 10 EUR both days. Base S = 20, D = 0.2; day 2 S = 20.666..., level 103.333...
 * B's own return in its quote currency is 0; its contribution is the FX move: 0.666.../0.2/100. */
static void fx_and_pence(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "EUR", dates, (double[]){10, 10}, 2);
    add_series(p, "B", "GBX", dates, (double[]){800, 800}, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    const char *csv = "Date,USD,GBP,\n2025-02-04,1.03,0.75,\n2025-02-03,1.02,0.80,\n";
    defidx_fx *fx;
    assert_int_equal(defidx_fx_parse(&fx, "fx.csv", csv, strlen(csv), NULL), 0);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, fx, &o, &r, NULL), 0);
    assert_double_near(r->levels[1], (10 + 8 / 0.75) / 0.2, 1e-9);
    const defidx_constituent *b = constituent(r, "B");
    assert_string_equal(b->currency, "GBX");
    assert_double_near(b->price, 800, 0);
    assert_double_near(b->periods[0].ret, 0, 0);
    assert_double_near(b->contribution[0], (8 / 0.75 - 10) / 0.2 / 100, 1e-12);
    defidx_result_free(r);

    /* The same in USD: B = 8 GBP * 1.02 / 0.80 USD on day 1. */
    o.currency = "USD";
    assert_int_equal(defidx_compute(p, NULL, fx, &o, &r, NULL), 0);
    assert_string_equal(r->currency, "USD");
    double s0 = 10 * 1.02 + 8 * 1.02 / 0.80, s1 = 10 * 1.03 + 8 * 1.03 / 0.75;
    assert_double_near(r->levels[1], 100 * s1 / s0, 1e-9);
    defidx_result_free(r);

    /* Without rates: an error that names the currency and suggests --fx. */
    defidx_error err;
    o.currency = NULL;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "B is quoted in GBX"));
    assert_non_null(strstr(err.message, "--fx"));
    defidx_fx_free(fx);
    defidx_panel_free(p);
}

/* A constituent with no price at the base stays out (with a warning) and joins at the next review
 * where it has one. Equal weighting, monthly rebalance after Fri 2025-02-21 (third Friday). Base
 * 02-20: only A, q_A = 1/10, D = 0.1/100 ... level 100. 02-21: A 11, level 110; B starts at 5 on
 * 02-21; review: q_A = 1/11, q_B = 1/5, S' = 2, D' = 2/110. 02-24: A 11, B 6: S = 1 + 1.2 = 2.2,
 * level 2.2 * 110 / 2 = 121. */
static void late_constituent_joins_at_review(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-20", "2025-02-21", "2025-02-24"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11, 11}, (double[]){NAN, 5, 6}, 3);
    defidx_options o;
    defidx_options_init(&o);
    o.rebalance = DEFIDX_REBALANCE_MONTHLY;
    o.base_date = day("2025-02-20"); /* the default would wait for B: the common start */
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_double_near(r->levels[1], 110, 1e-9);
    assert_double_near(r->levels[2], 121, 1e-9);
    assert_int_equal(r->warnings.count, 1);
    assert_non_null(strstr(r->warnings.items[0], "B has no price on or before 2025-02-20"));
    defidx_result_free(r);
    defidx_panel_free(p);
}

/* Without a definition a ticker joins the universe with its first close: a later listing without
 * shares does not make the default weighting equal (A and B have shares at the base), and it is
 * warned about once. Market cap by hand: q_A = 100, q_B = 50, S = 10*100 + 20*50 = 2000, D = 20;
 * 02-21: 1100 + 1000 = 2100 -> 105; 02-24: 1100 + 1100 -> 110; 02-25: 1200 + 1100 -> 115. */
static void late_listing_keeps_market_cap(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-20", "2025-02-21", "2025-02-24", "2025-02-25"};
    const double a[] = {10, 11, 11, 12}, b[] = {20, 20, 22, 22}, c[] = {NAN, NAN, 5, 6};
    defidx_panel *p = defidx_panel_new();
    for (int i = 0; i < 4; i++) {
        assert_int_equal(defidx_panel_add(p, "A", day(dates[i]), a[i], "EUR", 100, NAN, NULL, NULL), 0);
        assert_int_equal(defidx_panel_add(p, "B", day(dates[i]), b[i], "EUR", 50, NAN, NULL, NULL), 0);
        if (!isnan(c[i]))
            assert_int_equal(defidx_panel_add(p, "C", day(dates[i]), c[i], "EUR", NAN, NAN, NULL, NULL), 0);
    }
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_result *r;
    defidx_options o;
    defidx_options_init(&o);
    o.base_date = day("2025-02-20"); /* the default would wait for C: the common start */
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->weighting, DEFIDX_WEIGHT_FFMCAP);
    const double levels[] = {100, 105, 110, 115};
    for (int i = 0; i < 4; i++)
        assert_double_near(r->levels[i], levels[i], 1e-9);
    assert_int_equal(r->warnings.count, 1);
    expect_warning(&r->warnings, 0, "C has no price on or before 2025-02-20");
    assert_double_near(constituent(r, "C")->weight, 0, 0);
    assert_double_near(constituent(r, "A")->weight, 1200.0 / 2300, 1e-12);
    defidx_result_free(r);
    defidx_panel_free(p);
}

/* Holidays carry the last price: B has no price on 02-04, so the index uses 20 for it. */
static void holiday_keeps_last_price(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04", "2025-02-05"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 12, 12}, (double[]){20, NAN, 22}, 3);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_double_near(r->levels[1], (12 + 20) / 0.3, 1e-9);
    assert_double_near(r->levels[2], (12 + 22) / 0.3, 1e-9);
    /* B's own 1d return on 02-05 is against its last price, 20 on 02-03. */
    const defidx_constituent *b = constituent(r, "B");
    assert_int_equal(b->periods[0].base_date, day("2025-02-03"));
    assert_double_near(b->periods[0].ret, 0.1, 1e-12);
    defidx_result_free(r);
    defidx_panel_free(p);
}

/* Quarter to date across Easter 2024 (Good Friday 03-29, Q1's last weekday, and Easter Monday
 * 04-01 are holidays: no prices), B also without a close on Thu 03-28, Q1's last trading day.
 * Price weighting, q = 1 each, base 2023-12-29: S = 10 + 30 = 40, D = 0.4.
 *   date   12-29 03-26 03-27 03-28    04-02 04-03 06-28 07-01
 *   A      10    11    12    12       13    14    15    16
 *   B      30    30    29    (29)     32    34    35    36
 *   level  100   102.5 102.5 102.5    112.5 120   125   130
 * As of 04-02, Q2's first trading day: the index's base is 03-28 (102.5), +9.756%; A's own is its
 * 03-28 close, 13/12 - 1; B's its last close before 04-01, 29 on 03-27: 32/29 - 1. Contributions:
 * A (13 - 12) / 0.4 / 102.5 = 2.5 / 102.5, B (32 - 29) / 0.4 / 102.5 = 7.5 / 102.5, adding up to
 * the index's 10 / 102.5. As of 07-01, across the next boundary: base 06-28 (125), +4%; A 16/15 - 1,
 * B 36/35 - 1, each contributing 1 / 0.4 / 125 = 2%. As of Easter Monday: reported on 03-28, still
 * in Q1: base 12-29, +2.5%. */
static void quarter_to_date(void **state)
{
    (void)state;
    const char *dates[] = {"2023-12-29", "2024-03-26", "2024-03-27", "2024-03-28",
                           "2024-04-02", "2024-04-03", "2024-06-28", "2024-07-01"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11, 12, 12, 13, 14, 15, 16},
                                 (double[]){30, 30, 29, NAN, 32, 34, 35, 36}, 8);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    o.as_of = day("2024-04-02");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    const defidx_period *q = period(r->periods, r->period_count, "qtd");
    assert_int_equal(q->kind, DEFIDX_PERIOD_QTD);
    assert_true(q == &r->periods[3]); /* between mtd and ytd */
    assert_int_equal(r->periods[2].kind, DEFIDX_PERIOD_MTD);
    assert_int_equal(r->periods[4].kind, DEFIDX_PERIOD_YTD);
    assert_int_equal(q->base_date, day("2024-03-28"));
    assert_double_near(q->base_value, 102.5, 1e-12);
    assert_double_near(q->ret, 112.5 / 102.5 - 1, 1e-12);
    const defidx_constituent *a = constituent(r, "A"), *b = constituent(r, "B");
    assert_int_equal(a->periods[3].base_date, day("2024-03-28"));
    assert_double_near(a->periods[3].ret, 13.0 / 12 - 1, 1e-12);
    assert_int_equal(b->periods[3].base_date, day("2024-03-27"));
    assert_double_near(b->periods[3].base_value, 29, 0);
    assert_double_near(b->periods[3].ret, 32.0 / 29 - 1, 1e-12);
    assert_double_near(a->contribution[3], 2.5 / 102.5, 1e-12);
    assert_double_near(b->contribution[3], 7.5 / 102.5, 1e-12);
    defidx_result_free(r);

    o.as_of = day("2024-07-01");
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    q = period(r->periods, r->period_count, "qtd");
    assert_int_equal(q->base_date, day("2024-06-28"));
    assert_double_near(q->ret, 0.04, 1e-12);
    a = constituent(r, "A");
    b = constituent(r, "B");
    assert_double_near(a->periods[3].ret, 16.0 / 15 - 1, 1e-12);
    assert_double_near(b->periods[3].ret, 36.0 / 35 - 1, 1e-12);
    assert_double_near(a->contribution[3], 0.02, 1e-12);
    assert_double_near(b->contribution[3], 0.02, 1e-12);
    defidx_result_free(r);

    o.as_of = day("2024-04-01");
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->as_of, day("2024-03-28"));
    q = period(r->periods, r->period_count, "qtd");
    assert_int_equal(q->base_date, day("2023-12-29"));
    assert_double_near(q->ret, 0.025, 1e-12);
    assert_int_equal(constituent(r, "B")->periods[3].base_date, day("2023-12-29"));
    defidx_result_free(r);
    defidx_panel_free(p);
}

/* As-of in the past: the all-time high before it, drawdown from it, weights of that day. */
static void as_of_and_drawdown(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04", "2025-02-05", "2025-02-06"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 14, 12, 20}, (double[]){10, 10, 10, 10}, 4);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    o.as_of = day("2025-02-05");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->as_of, day("2025-02-05"));
    assert_double_near(r->level, 110, 1e-9);
    assert_int_equal(r->ath_date, day("2025-02-04"));
    assert_double_near(r->ath_level, 120, 1e-9);
    assert_double_near(r->drawdown, 110.0 / 120 - 1, 1e-12);
    assert_int_equal(r->date_count, 4); /* the series runs to the end of the data */
    defidx_result_free(r);

    /* A Saturday as-of reports the Friday before, with a warning. */
    o.as_of = day("2025-02-08");
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->as_of, day("2025-02-06"));
    assert_int_equal(r->warnings.count, 1);
    defidx_result_free(r);
    defidx_panel_free(p);
}

/* Capping at 0.4: uncapped weights 0.6 / 0.3 / 0.1 (shares 60, 30, 10 at 10 EUR). A is cut to 0.4 and
 * its 0.2 shared 3:1 -> B 0.45, C 0.15; B is then cut to 0.4 and C gets the rest: 0.4 / 0.4 / 0.2.
 * Quantities: S = 1000, q = w S / p = 40, 40, 20; D = 10. Day 2, A doubles: S = 800 + 400 + 200,
 * level 140 (uncapped it would be (1200 + 300 + 100) / 10 = 160). */
static void cap_redistributes_excess(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "EUR", dates, (double[]){10, 20}, 2);
    add_series(p, "B", "EUR", dates, (double[]){10, 10}, 2);
    add_series(p, "C", "EUR", dates, (double[]){10, 10}, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = parse_spec("{\"cap\":0.4,\"constituents\":[{\"ticker\":\"A\",\"shares\":60},"
                                "{\"ticker\":\"B\",\"shares\":30},{\"ticker\":\"C\",\"shares\":10}]}");
    defidx_options o;
    defidx_options_init(&o);
    o.as_of = day("2025-02-03");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_double_near(constituent(r, "A")->weight, 0.4, 1e-12);
    assert_double_near(constituent(r, "B")->weight, 0.4, 1e-12);
    assert_double_near(constituent(r, "C")->weight, 0.2, 1e-12);
    assert_double_near(r->levels[1], 140, 1e-9);
    defidx_result_free(r);
    defidx_spec_free(s);

    /* A cap of 0.3 cannot be met by three constituents (3 x 0.3 = 0.9 < 1): each gets the rule's
     * limit, 1/3, with a warning. S = 1000, q = (1/3) x 1000 / 10 = 33.33 each, D = 10. Day 2, A
     * doubles: S = (20 + 10 + 10) x 33.33 = 1333.33, level 133.33 (uncapped it would be 160). */
    s = parse_spec("{\"cap\":0.3,\"constituents\":[{\"ticker\":\"A\",\"shares\":60},"
                   "{\"ticker\":\"B\",\"shares\":30},{\"ticker\":\"C\",\"shares\":10}]}");
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_double_near(constituent(r, "A")->weight, 1.0 / 3, 1e-12);
    assert_double_near(constituent(r, "B")->weight, 1.0 / 3, 1e-12);
    assert_double_near(constituent(r, "C")->weight, 1.0 / 3, 1e-12);
    assert_double_near(r->levels[1], 400.0 / 3, 1e-9);
    assert_int_equal(r->warnings.count, 1);
    assert_string_equal(r->warnings.items[0],
                        "spec.json: cap 0.3 cannot be met by 3 constituents (3 x 30% < 100%): each is weighted 1/3 = 33.33%");
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* A group rule that the method of cutting the smallest large weights does not meet, though 18
 * names could (at most 4 x 0.10 + 14 x 0.045 = 1.03 >= 1): 10/4.5/40 over 5 x 0.09 (0.45 above
 * 4.5%), 12 x 0.044 and 0.022 (shares 90, 44, 22 at 10 EUR, S = 1000). Nothing is above 10%. Cutting
 * one 0.09 to 0.045 leaves 0.36 above but an excess of 0.045 for the weights below, which have
 * room for 12 x 0.001 + 0.023 = 0.035 only. So the cap alone applies: the weights stay as they
 * are, with one warning, not one at each monthly review (02-03 base, 02-21 review). Day 02-24: A1
 * doubles, level 100 x (1 + 0.09) = 109. */
static void cap_group_not_met_is_warned_once(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-21", "2025-02-24"};
    defidx_panel *p = defidx_panel_new();
    char json[2048] = "{\"cap\":0.10,\"group_threshold\":0.045,\"group_cap\":0.40,\"constituents\":[";
    for (int i = 0; i < 18; i++) {
        char ticker[8], entry[64];
        snprintf(ticker, sizeof ticker, "A%d", i + 1);
        double last = i == 0 ? 20 : 10; /* A1 doubles on the last day */
        add_series(p, ticker, "EUR", dates, (double[]){10, 10, last}, 3);
        snprintf(entry, sizeof entry, "%s{\"ticker\":\"%s\",\"shares\":%d}", i ? "," : "", ticker,
                 i < 5 ? 90 : i < 17 ? 44 : 22);
        strcat(json, entry);
    }
    strcat(json, "]}");
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = parse_spec(json);
    defidx_options o;
    defidx_options_init(&o);
    o.rebalance = DEFIDX_REBALANCE_MONTHLY;
    o.as_of = day("2025-02-21");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_double_near(constituent(r, "A1")->weight, 0.09, 1e-15);
    assert_double_near(constituent(r, "A6")->weight, 0.044, 1e-15);
    assert_double_near(constituent(r, "A18")->weight, 0.022, 1e-15);
    assert_double_near(r->levels[r->date_count - 1], 109, 1e-9);
    assert_int_equal(r->review_count, 1);
    assert_int_equal(r->warnings.count, 1);
    assert_string_equal(r->warnings.items[0],
                        "spec.json: the group rule (weights above 4.5% together at most 40%) is not met by "
                        "cutting the smallest of those weights to 4.5% (docs/methodology.md): only the cap of 10% is applied");
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* Reviews effective Sat 2025-02-08 and Mon 2025-02-10 both take effect at the close of Fri 02-07:
 * the later list (C only) wins, with a warning, and the review effective 02-12 still happens.
 * A review effective after the data ends changes nothing visible and is not counted; it is
 * warned of, and D, which only it lists and which has no prices, is neither an error nor reported.
 * Price weighting, q = 1. Base 02-06: A 10 + B 20 = 30, D = 0.3. 02-07: A 11 + B 20 = 31, level
 * 103.333...; review: C alone, S' = 40, D' = 40 / 103.333... 02-10: C 44: level 113.666...;
 * review effective 02-12 (close of 02-11): A and B again; 02-11: C 44 still: level unchanged;
 * S'' = 12 + 22 = 34; 02-12: A 12, B 24.2 (+10%): 36.2 / 34 * 113.666... */
static void reviews_on_one_close(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-06", "2025-02-07", "2025-02-10", "2025-02-11", "2025-02-12"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "EUR", dates, (double[]){10, 11, 11, 12, 12}, 5);
    add_series(p, "B", "EUR", dates, (double[]){20, 20, 21, 22, 24.2}, 5);
    add_series(p, "C", "EUR", dates, (double[]){35, 40, 44, 44, 50}, 5);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = parse_spec("{\"weighting\":\"price\",\"base_date\":\"2025-02-06\","
                                "\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"}],\"reviews\":["
                                "{\"effective\":\"2025-02-08\",\"constituents\":[{\"ticker\":\"B\"}]},"
                                "{\"effective\":\"2025-02-10\",\"constituents\":[{\"ticker\":\"C\"}]},"
                                "{\"effective\":\"2025-02-12\",\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"}]},"
                                "{\"effective\":\"2025-03-03\",\"constituents\":[{\"ticker\":\"C\"},{\"ticker\":\"D\"}]}]}");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, NULL), 0);
    assert_int_equal(r->review_count, 2);
    double l1 = 31 / 0.3;
    assert_double_near(r->levels[1], l1, 1e-9);
    assert_double_near(r->levels[2], 44 * l1 / 40, 1e-9);
    assert_double_near(r->levels[3], 44 * l1 / 40, 1e-9);
    assert_double_near(r->levels[4], 36.2 / 34 * (44 * l1 / 40), 1e-9);
    assert_int_equal(r->warnings.count, 2);
    assert_non_null(strstr(r->warnings.items[0], "both take effect at the close of 2025-02-07"));
    assert_non_null(strstr(r->warnings.items[1], "the review effective 2025-03-03 is after the last date of the prices, 2025-02-12, and is not applied"));
    assert_int_equal(r->constituent_count, 3);
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* GBX and GBp are one currency (pence), and so are eur and EUR. */
static void currency_spellings(void **state)
{
    (void)state;
    assert_true(dfx_currency_same("GBX", "GBp"));
    assert_true(dfx_currency_same("eur", "EUR"));
    assert_false(dfx_currency_same("GBP", "GBX"));
    assert_false(dfx_currency_same("USD", "EUR"));
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "A", "GBp", dates, (double[]){100, 110}, 2);
    assert_int_equal(defidx_panel_add(p, "A", day("2025-02-05"), 120, "GBX", NAN, NAN, NULL, NULL), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = parse_spec("{\"currency\":\"GBP\",\"constituents\":[{\"ticker\":\"A\",\"currency\":\"GBX\"}]}");
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, NULL), 0);
    assert_double_near(r->level, 120, 1e-9);
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* --weighting fixed over a definition without weights in a review: an error at that entry. And a
 * price so small that 1/p overflows gives an error, not a null level. */
static void unusable_quantities(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11}, (double[]){20, 18}, 2);
    defidx_spec *s = parse_spec("{\"constituents\":[{\"ticker\":\"A\",\"weight\":0.5},{\"ticker\":\"B\",\"weight\":0.5}],"
                                "\"reviews\":[{\"effective\":\"2025-02-04\",\"constituents\":[{\"ticker\":\"A\"}]}]}");
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_FIXED;
    defidx_result *r = NULL;
    defidx_error err;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "fixed weighting needs a weight for A"));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 128); /* the review's {"ticker":"A"}: its index in the text + 1 */
    defidx_spec_free(s);
    defidx_panel_free(p);

    p = two_stocks(dates, (double[]){1e-320, 11}, (double[]){20, 18}, 2);
    o.weighting = DEFIDX_WEIGHT_EQUAL;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "A gets no usable quantity"));
    assert_null(r);
    defidx_panel_free(p);
}

/* Levels that no output could show are errors naming the day and the constituent. Equal weights,
 * base 100 on 02-03: q_A = 50/1e-300 = 5e301, q_B = 50/20 = 2.5, D = (5e301 x 1e-300 + 50)/100 =
 * 1. On 02-04 A's 1e300 makes q_A p_A = 5e601: infinite, where the level used to be an empty
 * field. A close of 1e7 times the base (1e-6 to 10, the widest ratio that prices in range allow
 * is 1e15) on base 1e12 gives 1e12 x (0.5 x 1e7 + 0.5) = 5e18, past the limit of 1e18. A base value
 * out of its range (1e-9 to 1e12) is refused before anything is computed. */
static void levels_out_of_range(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = two_stocks(dates, (double[]){1e-300, 1e300}, (double[]){20, 20}, 2);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_EQUAL;
    defidx_result *r = NULL;
    defidx_error err;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "the index level on 2025-02-04 is not a representable number, from A at 1e+300"));
    assert_null(r);
    defidx_panel_free(p);

    p = two_stocks(dates, (double[]){1e-6, 10}, (double[]){20, 20}, 2);
    o.base_value = 1e12;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "the index level on 2025-02-04 is not a representable number, from A at 10"));
    o.base_value = 1e11; /* 5e17: within the limit */
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), 0);
    assert_true(fabs(r->level / (1e11 * (0.5 * 1e7 + 0.5)) - 1) < 1e-12);
    defidx_result_free(r);
    r = NULL;
    o.base_value = 1e100;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EUSAGE);
    assert_non_null(strstr(err.message, "the base value 1e+100 is not from 1e-09 to 1e+12"));
    assert_null(r);
    defidx_panel_free(p);
}

static void errors(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-03", "2025-02-04"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11}, (double[]){20, 18}, 2);
    defidx_result *r = NULL;
    defidx_error err;
    defidx_options o;
    defidx_options_init(&o);

    o.base_date = day("2025-01-31");
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "before the first date"));
    assert_null(r);

    defidx_options_init(&o);
    o.as_of = day("2025-01-01");
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EUSAGE);

    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_FIXED;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EUSAGE);

    o.weighting = DEFIDX_WEIGHT_MCAP; /* no share counts anywhere */
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "no share count"));

    defidx_spec *s = parse_spec("{\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"Z\"}]}");
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "Z is in the index definition but has no prices"));
    defidx_spec_free(s);

    s = parse_spec("{\"constituents\":[{\"ticker\":\"A\",\"currency\":\"USD\"}]}");
    assert_int_equal(defidx_compute(p, s, NULL, NULL, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "quoted in EUR in the prices but in USD"));
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* The default base date is the common start: the first date on which every constituent has a
 * price. A from 02-19, B from 02-20: equal weighting from 02-20, q_A = 1/11, q_B = 1/20, S = 2,
 * D = 0.02. 02-21: 12/11 + 22/20 = 2.190909..., level 109.5454...; 02-24: 12/11 + 21/20,
 * level 107.0454.... Fed day by day (as a date-sorted file is read) the run meets B only on
 * 02-20, so it starts on 02-19 and says so through common_start; defidx_compute runs again. */
static void default_base_is_common_start(void **state)
{
    (void)state;
    const char *dates[] = {"2025-02-19", "2025-02-20", "2025-02-21", "2025-02-24"};
    defidx_panel *p = two_stocks(dates, (double[]){10, 11, 12, 12}, (double[]){NAN, 20, 22, 21}, 4);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_EQUAL;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->base_date, day("2025-02-20"));
    assert_int_equal(r->common_start, day("2025-02-20"));
    assert_string_equal(r->base_last, "B");
    assert_int_equal(r->date_count, 3);
    assert_double_near(r->levels[1], 100 * (12.0 / 11 + 22.0 / 20) / 2, 1e-9);
    assert_double_near(r->levels[2], 100 * (12.0 / 11 + 21.0 / 20) / 2, 1e-9);
    assert_int_equal(r->warnings.count, 0); /* nobody is left out */
    defidx_result_free(r);

    /* One day at a time, as a reader meets tickers: B is unknown on 02-19. */
    const char *tickers[] = {"A", "B"};
    double closes[4][2] = {{10, NAN}, {11, 20}, {12, 22}, {12, 21}};
    defidx_run *run = NULL;
    assert_int_equal(defidx_run_start(NULL, NULL, &o, &run, NULL), 0);
    for (size_t i = 0; i < 4; i++) {
        defidx_day d = {day(dates[i]), i + 1 < 4 ? day(dates[i + 1]) : DEFIDX_NO_DATE, i ? 2 : 1, tickers,
                        NULL, closes[i], NULL, NULL, NULL, 0};
        assert_int_equal(defidx_run_day(run, &d, NULL), 0);
    }
    assert_int_equal(defidx_run_finish(run, 2, tickers, &r, NULL), 0);
    assert_int_equal(r->base_date, day("2025-02-19"));
    assert_int_equal(r->common_start, day("2025-02-20"));
    assert_string_equal(r->base_last, "B");
    defidx_result_free(r);

    /* A base date given is kept, and names no constituent. */
    o.base_date = day("2025-02-19");
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->base_date, day("2025-02-19"));
    assert_string_equal(r->base_last, "");
    defidx_result_free(r);

    /* With a definition, its first list waits for B; a ticker only a review adds does not. */
    o.base_date = DEFIDX_NO_DATE;
    defidx_spec *s = parse_spec("{\"name\":\"T\",\"constituents\":[{\"ticker\":\"A\"}],"
                                "\"reviews\":[{\"effective\":\"2025-02-24\",\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"}]}]}");
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->base_date, day("2025-02-19"));
    assert_string_equal(r->base_last, ""); /* A alone: no earlier price was left unused */
    defidx_result_free(r);
    defidx_spec_free(s);
    s = parse_spec("{\"name\":\"T\",\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"B\"}]}");
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_int_equal(r->base_date, day("2025-02-20"));
    assert_string_equal(r->base_last, "B");
    defidx_result_free(r);
    /* ...and as of a date before B's first price it cannot start: an error naming B. */
    defidx_error err;
    o.as_of = day("2025-02-19");
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "B has no price on or before the as-of date 2025-02-19"));
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* A constituent's currency: --ticker-currency, else the definition, else the prices, else the
 * exchange suffix; the index currency, when nobody gives it, the constituents' one currency. */
static void currency_from_suffix(void **state)
{
    (void)state;
    const char *suffix;
    assert_string_equal(defidx_currency_of_ticker("BA.L", &suffix), "GBX");
    assert_string_equal(suffix, ".L");
    assert_string_equal(defidx_currency_of_ticker("SAAB-B.ST", &suffix), "SEK");
    assert_string_equal(defidx_currency_of_ticker("RHM.DE", &suffix), "EUR");
    assert_string_equal(defidx_currency_of_ticker("LMT", &suffix), "USD");
    assert_string_equal(suffix, "");
    assert_null(defidx_currency_of_ticker("SHOP.TO", &suffix));
    assert_string_equal(suffix, ".TO");

    /* BAE 1228 pence and Rheinmetall 600 EUR, no currency column: BAE is GBX, so without rates
     * an error naming it, its currency, the suffix and --fx. */
    const char *dates[] = {"2025-02-19", "2025-02-20"};
    defidx_panel *p = defidx_panel_new();
    add_series(p, "BA.L", NULL, dates, (double[]){1228, 1250}, 2);
    add_series(p, "RHM.DE", NULL, dates, (double[]){600, 612}, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    defidx_result *r;
    defidx_error err;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "BA.L is quoted in GBX (from its exchange suffix .L), not in the index currency EUR"));
    assert_non_null(strstr(err.message, "--fx"));

    /* With GBP 0.80 per EUR: BAE is 12.28 / 0.80 = 15.35 EUR, then 12.50 / 0.80 = 15.625. Price
     * weighted: level 100 x (15.625 + 612) / (15.35 + 600). */
    const char *ecb = "Date,GBP,\n2025-02-20,0.80,\n2025-02-19,0.80,\n";
    defidx_fx *fx = NULL;
    assert_int_equal(defidx_fx_parse(&fx, "fx.csv", ecb, strlen(ecb), NULL), 0);
    assert_int_equal(defidx_compute(p, NULL, fx, &o, &r, NULL), 0);
    assert_string_equal(r->currency, "EUR");
    assert_double_near(r->level, 100 * (15.625 + 612) / (15.35 + 600), 1e-9);
    assert_int_equal(r->notes.count, 1);
    assert_non_null(strstr(r->notes.items[0], "2 constituents comes from the ticker's exchange suffix: GBX for BA.L; EUR for RHM.DE"));
    defidx_result_free(r);

    /* --ticker-currency BA.L=GBP: the same numbers taken as pounds, 1228 / 0.80 EUR; one for a
     * ticker the prices do not have (a typo) is warned about. */
    defidx_ticker_currency given[] = {{"BA.L", "GBP"}, {"BAL", "GBX"}};
    o.ticker_currencies = given;
    o.ticker_currency_count = 2;
    assert_int_equal(defidx_compute(p, NULL, fx, &o, &r, NULL), 0);
    assert_double_near(r->level, 100 * (1250 / 0.8 + 612) / (1228 / 0.8 + 600), 1e-9);
    assert_int_equal(r->warnings.count, 1);
    assert_non_null(strstr(r->warnings.items[0], "--ticker-currency BAL=GBX: BAL is not a constituent; it is not used"));
    defidx_result_free(r);
    defidx_fx_free(fx);
    defidx_panel_free(p);

    /* Two US tickers without a currency: an index in USD, said in a note; no rates needed. */
    p = defidx_panel_new();
    add_series(p, "LMT", NULL, dates, (double[]){450, 459}, 2);
    add_series(p, "NOC", NULL, dates, (double[]){480, 480}, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    o.ticker_currencies = NULL;
    o.ticker_currency_count = 0;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_string_equal(r->currency, "USD");
    assert_double_near(r->level, 100 * (459.0 + 480) / (450 + 480), 1e-9);
    assert_int_equal(r->notes.count, 2);
    assert_non_null(strstr(r->notes.items[0], "the index is in USD, the currency of all its constituents"));
    assert_non_null(strstr(r->notes.items[1], "USD for LMT, NOC"));
    defidx_result_free(r);
    defidx_panel_free(p);

    /* A suffix defidx does not know, an index level, an FX pair: no currency is known. Alone, the
     * index has none (XXX) and converts nothing; beside a euro stock, it cannot be converted: an
     * error asking for --ticker-currency, with rates or without. */
    const char *suffix2;
    assert_null(defidx_currency_of_ticker("^GDAXI", &suffix2));
    assert_string_equal(suffix2, "^");
    assert_null(defidx_currency_of_ticker("EURGBP=X", &suffix2));
    assert_string_equal(suffix2, "=X");
    p = defidx_panel_new();
    add_series(p, "SHOP.TO", NULL, dates, (double[]){150, 151}, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    assert_string_equal(r->currency, "XXX");
    assert_double_near(r->level, 100 * 151.0 / 150, 1e-9);
    defidx_result_free(r);
    defidx_panel_free(p);
    p = defidx_panel_new();
    add_series(p, "^GDAXI", NULL, dates, (double[]){22000, 22100}, 2);
    add_series(p, "RHM.DE", NULL, dates, (double[]){600, 612}, 2);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "the currency of ^GDAXI is not known (Yahoo writes an index level as ^NAME, in points)"));
    assert_non_null(strstr(err.message, "--ticker-currency ^GDAXI=CCY"));
    defidx_panel_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ffmcap_two_stocks),
        cmocka_unit_test(equal_weight_quarterly_rebalance),
        cmocka_unit_test(review_changes_members_level_continuous),
        cmocka_unit_test(fixed_weights),
        cmocka_unit_test(mcap_ignores_free_float),
        cmocka_unit_test(fx_and_pence),
        cmocka_unit_test(late_constituent_joins_at_review),
        cmocka_unit_test(late_listing_keeps_market_cap),
        cmocka_unit_test(holiday_keeps_last_price),
        cmocka_unit_test(quarter_to_date),
        cmocka_unit_test(as_of_and_drawdown),
        cmocka_unit_test(review_only_constituent_takes_its_listed_currency),
        cmocka_unit_test(cap_redistributes_excess),
        cmocka_unit_test(cap_group_not_met_is_warned_once),
        cmocka_unit_test(reviews_on_one_close),
        cmocka_unit_test(currency_spellings),
        cmocka_unit_test(unusable_quantities),
        cmocka_unit_test(levels_out_of_range),
        cmocka_unit_test(weights_imply_fixed),
        cmocka_unit_test(errors),
        cmocka_unit_test(default_base_is_common_start),
        cmocka_unit_test(currency_from_suffix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
