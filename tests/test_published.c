/* test_published.c: examples published by index providers and exchanges, reproduced with defidx.
 * Each test names its source; the expected numbers are the published ones, compared at the
 * precision they were published with. (The STOXX and S&P methodology PDFs' own worked examples
 * could not be retrieved here; tests/test_methodology.c works those cases out by hand.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

/* Business days from Mon 2024-06-03, for examples that number their days 1, 2, ... */
static int32_t business_day(int n)
{
    int32_t d = defidx_date_from_civil(2024, 6, 3);
    for (int k = 1; k < n; k++)
        d += defidx_date_weekday(d) == 5 ? 3 : 1;
    return d;
}

static defidx_spec *spec(const char *json)
{
    defidx_spec *s = NULL;
    assert_int_equal(defidx_spec_parse(&s, "index.json", json, strlen(json), NULL), 0);
    return s;
}

/* S&P Dow Jones Indices, "Methodology Matters" (spindices.com/index-literacy/methodology-matters):
 * five stocks, index market capitalization $122,866,746,814 / divisor 34,938,376 = index value 3,517.
 * With the published level as the base value, defidx must arrive at the published divisor. */
static void sp_methodology_matters(void **state)
{
    (void)state;
    static const struct { const char *ticker; double price, shares; } stocks[] = {
        {"A", 159.08, 206240000}, {"B", 106.48, 517521740}, {"C", 13.61, 439280860},
        {"D", 62.22, 386234640}, {"E", 50.37, 98118740}};
    defidx_panel *p = defidx_panel_new();
    char json[1024] = "{\"currency\":\"USD\",\"weighting\":\"mcap\",\"constituents\":[";
    for (int i = 0; i < 5; i++) {
        char entry[96];
        assert_int_equal(defidx_panel_add(p, stocks[i].ticker, business_day(1), stocks[i].price, "USD", NAN, NAN, NULL, NULL), 0);
        snprintf(entry, sizeof entry, "%s{\"ticker\":\"%s\",\"shares\":%.0f}", i ? "," : "", stocks[i].ticker, stocks[i].shares);
        strcat(json, entry);
    }
    strcat(json, "]}");
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *s = spec(json);
    defidx_options o;
    defidx_options_init(&o);
    o.base_value = 122866746814.0 / 34938376; /* 3,516.67: "3,517" on the page */
    defidx_result *r;
    assert_int_equal(defidx_compute(p, s, NULL, &o, &r, NULL), 0);
    assert_double_near(r->divisors[0], 34938376, 0.5);              /* the published divisor */
    assert_double_near(r->divisor_changes[0].value_after, 122866746814.0, 1); /* published market cap */
    assert_double_near(r->level, 3517, 0.5);                          /* the published index value */
    defidx_result_free(r);
    defidx_spec_free(s);
    defidx_panel_free(p);
}

/* NSE Indices, Nifty Total Returns Index methodology (nseindia.com, ind_niftytotalmethod.htm): a
 * 12-day price index (base 1000) with dividends of 0.096774 index points on day 7 and 0.139905 on
 * day 10 (Rs.15 crore / base cap Rs.1,55,000 crore x 1000, and Rs.22 crore / Rs.1,57,250 crore x 1000).
 * One constituent priced at the index close with quantity 1 gives the same price index; its gross
 * total return must match the published TR column to its last decimal (1e-4). NSE adds the dividend
 * to the previous TR level, TR_t = (TR_t-1 + ID) r_t; defidx reinvests it at the previous close
 * through the divisor, TR_t = TR_t-1 PR_t / (PR_t-1 - ID), as the STOXX Calculation Guide does.
 * The two differ in the second order: by at most 4.5e-5 points here, within the last digit. */
static void nse_total_return(void **state)
{
    (void)state;
    static const double close[12] = {1000, 988.92, 978.22, 964.01, 953.07, 948.82,
                                     917.26, 902.56, 913.21, 904.08, 898.86, 892.79};
    static const double published_tr[12] = {1000, 988.92, 978.22, 964.01, 953.07, 948.82,
                                            917.3536, 902.6521, 913.3031, 904.3107, 899.0894, 893.0178};
    defidx_panel *p = defidx_panel_new();
    for (int d = 0; d < 12; d++)
        assert_int_equal(defidx_panel_add(p, "NIFTY", business_day(d + 1), close[d], "INR", NAN, NAN, NULL, NULL), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    char csv[256], d7[11], d10[11];
    defidx_date_format(business_day(7), d7);
    defidx_date_format(business_day(10), d10);
    snprintf(csv, sizeof csv, "date,ticker,type,value\n%s,NIFTY,cash_dividend,%.17g\n%s,NIFTY,cash_dividend,%.17g\n",
             d7, 15e7 * 1000 / 155e10, d10, 22e7 * 1000 / 157.25e10);
    defidx_actions *a;
    assert_int_equal(defidx_actions_parse(&a, "actions.csv", csv, strlen(csv), NULL, NULL), 0);
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = DEFIDX_WEIGHT_PRICE;
    o.base_value = 1000;
    o.currency = "INR";
    o.actions = a;
    o.return_type = DEFIDX_RETURN_GROSS;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    for (int d = 0; d < 12; d++)
        assert_double_near(r->levels[d], published_tr[d], 1e-4);
    defidx_result_free(r);
    o.return_type = DEFIDX_RETURN_PRICE; /* and the price index is the published close */
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    for (int d = 0; d < 12; d++)
        assert_double_near(r->levels[d], close[d], 1e-9);
    defidx_result_free(r);
    defidx_actions_free(a);
    defidx_panel_free(p);
}

/* Runs one stock through one action and returns its adjusted close before the ex-date, as its
 * since-period base value shows it (the price the action's adjustment factor leaves). */
static double adjusted_close(double close, const char *action, double value, double value2)
{
    defidx_panel *p = defidx_panel_new();
    assert_int_equal(defidx_panel_add(p, "X", business_day(1), close, "EUR", NAN, NAN, NULL, NULL), 0);
    assert_int_equal(defidx_panel_add(p, "X", business_day(2), close, "EUR", NAN, NAN, NULL, NULL), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    char csv[256], d2[11];
    defidx_date_format(business_day(2), d2);
    snprintf(csv, sizeof csv, "date,ticker,type,value,value2\n%s,X,%s,%.17g,%s\n", d2, action, value,
             isnan(value2) ? "" : "6");
    defidx_actions *a;
    assert_int_equal(defidx_actions_parse(&a, "actions.csv", csv, strlen(csv), NULL, NULL), 0);
    defidx_options o;
    defidx_options_init(&o);
    o.actions = a;
    int32_t since = business_day(1);
    o.since = &since;
    o.since_count = 1;
    defidx_result *r;
    assert_int_equal(defidx_compute(p, NULL, NULL, &o, &r, NULL), 0);
    double adjusted = r->constituents[0].periods[r->period_count - 1].base_value;
    defidx_result_free(r);
    defidx_actions_free(a);
    defidx_panel_free(p);
    return adjusted;
}

/* Eurex, corporate action adjustment of Randstad: close 42.60, special dividend 1.27, published
 * adjustment factor 0.97018779 = (42.60 - 1.27) / 42.60. */
static void eurex_special_dividend_factor(void **state)
{
    (void)state;
    assert_double_near(adjusted_close(42.60, "special_dividend", 1.27, NAN) / 42.60, 0.97018779, 0.5e-8);
}

/* Theoretical ex-rights price, as in the MSCI and Borsa Italiana formulas, TERP = (P + N S) / (1 + N);
 * the published example: close 18.00, 3 new shares for 10 (0.3) at 6.00 -> 15.23. */
static void rights_terp(void **state)
{
    (void)state;
    assert_double_near(adjusted_close(18.00, "rights", 0.3, 6.00), 15.23, 0.005);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sp_methodology_matters),
        cmocka_unit_test(nse_total_return),
        cmocka_unit_test(eurex_special_dividend_factor),
        cmocka_unit_test(rights_terp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
