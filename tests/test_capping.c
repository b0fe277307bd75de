/* test_capping.c: weight capping against examples worked out by hand (each test's comment shows the
 * arithmetic), at one level and with the two-level 10/40 rule, its errors, and properties that must
 * hold for any weights (checked over seeded pseudo-random weight vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

#define MAX_WEIGHTS 64

static const defidx_capping TEN_FORTY = {0.10, 0.045, 0.40};

static defidx_capping one_level(double cap)
{
    return (defidx_capping){cap, NAN, NAN};
}

/* Caps a copy of in with rule and compares it with expected, weight by weight. */
static void expect_capped(const double *in, const double *expected, size_t n, defidx_capping rule)
{
    double w[MAX_WEIGHTS];
    assert_true(n <= MAX_WEIGHTS);
    memcpy(w, in, n * sizeof *w);
    assert_int_equal(defidx_cap_weights(w, n, &rule), 0);
    for (size_t i = 0; i < n; i++) {
        if (!(fabs(w[i] - expected[i]) <= 1e-12))
            print_error("weight %zu of %zu:\n", i, n);
        assert_double_near(w[i], expected[i], 1e-12);
    }
}

/* Caps a copy of in with rule, expects rc and the weights untouched. */
static void expect_refused(const double *in, size_t n, defidx_capping rule, int rc)
{
    double w[MAX_WEIGHTS];
    assert_true(n <= MAX_WEIGHTS);
    memcpy(w, in, n * sizeof *w);
    assert_int_equal(defidx_cap_weights(w, n, &rule), rc);
    assert_memory_equal(w, in, n * sizeof *w);
}

/* ---- one level ---------------------------------------------------------------------------------- */

/* Cap 0.4 on 0.6 / 0.3 / 0.1. Round 1: A is cut to 0.4; B and C (0.4 together) share the other 0.6,
 * x 1.5: B 0.45, C 0.15. Round 2: B is cut to 0.4; C gets 1 - 0.8 = 0.2. Round 3: nothing above. */
static void one_level_two_rounds(void **state)
{
    (void)state;
    expect_capped((double[]){0.6, 0.3, 0.1}, (double[]){0.4, 0.4, 0.2}, 3, one_level(0.4));
    /* The order of the weights does not matter. */
    expect_capped((double[]){0.1, 0.6, 0.3}, (double[]){0.2, 0.4, 0.4}, 3, one_level(0.4));
}

/* Cap 0.2 on 0.50 / 0.15 / 0.12 / 0.10 / 0.08 / 0.05.
 * Round 1: A -> 0.2; the others (0.50) share 0.80, x 1.6: 0.24, 0.192, 0.16, 0.128, 0.08.
 * Round 2: B (0.24) -> 0.2; the others (0.56) share 0.60, x 15/14: C 0.20571..., 0.1714, 0.1371, 0.0857.
 * Round 3: C -> 0.2; D, E, F (0.23 at the start) share 0.40: x 0.4/0.23 from their starting weights:
 * D 0.4/2.3 = 4/23, E 0.32/2.3 = 16/115, F 0.2/2.3 = 2/23 (all below 0.2). Round 4: nothing above. */
static void one_level_three_rounds(void **state)
{
    (void)state;
    expect_capped((double[]){0.50, 0.15, 0.12, 0.10, 0.08, 0.05},
                  (double[]){0.2, 0.2, 0.2, 4.0 / 23, 16.0 / 115, 2.0 / 23}, 6, one_level(0.2));
}

/* Zero weights (not in the index) take no share and do not count towards feasibility: the 0.6 / 0.3 /
 * 0.1 example with two zeros in between gives 0.4 / 0.4 / 0.2 again. */
static void one_level_zero_weights_stay_zero(void **state)
{
    (void)state;
    expect_capped((double[]){0.6, 0, 0.3, 0, 0.1}, (double[]){0.4, 0, 0.4, 0, 0.2}, 5, one_level(0.4));
}

/* Cap x members = 1 exactly: 0.25 x 4. Round 1: A 0.7 -> 0.25; the three 0.1 share 0.75, x 2.5: 0.25
 * each, not above the cap. All end at 0.25. */
static void one_level_exactly_feasible(void **state)
{
    (void)state;
    expect_capped((double[]){0.7, 0.1, 0.1, 0.1}, (double[]){0.25, 0.25, 0.25, 0.25}, 4, one_level(0.25));
    /* 10 x 0.1 with one at 0.19: everything ends at 0.1. */
    expect_capped((double[]){0.19, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09},
                  (double[]){0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 10, one_level(0.1));
    /* All four over the cap at once (they add up to 1 + 8e-12, rounding as far as the sum goes):
     * all are cut to 0.25 and nothing is left to share. */
    const double over = 0.25 + 2e-12;
    expect_capped((double[]){over, over, over, over}, (double[]){0.25, 0.25, 0.25, 0.25}, 4, one_level(0.25));
}

/* Weights that meet the rule are not touched, not even by rounding; a NAN cap means no capping. */
static void nothing_to_do(void **state)
{
    (void)state;
    double in[] = {0.3, 0.1, 0.25, 0.35};
    expect_refused(in, 4, one_level(0.4), 0);
    expect_refused(in, 4, one_level(0.35), 0); /* at the cap is not above it */
    expect_refused(in, 4, one_level(1), 0);
    expect_refused(in, 4, one_level(NAN), 0);
    expect_refused(in, 4, (defidx_capping){NAN, 0.045, 0.40}, 0);
    /* 10/40 met already: above 0.045 are 0.10 + 0.10 + 0.10 + 0.10 = 0.40, the other 0.60 in 15 x 0.04. */
    double met[19] = {0.10, 0.10, 0.10, 0.10};
    for (size_t i = 4; i < 19; i++)
        met[i] = 0.04;
    expect_refused(met, 19, TEN_FORTY, 0);
}

/* Cap x members < 1 cannot be met: 3 x 0.3 = 0.9; 2 members (the zeros do not count) x 0.4 = 0.8. */
static void one_level_infeasible(void **state)
{
    (void)state;
    expect_refused((double[]){0.6, 0.3, 0.1}, 3, one_level(0.3), DEFIDX_EDATA);
    expect_refused((double[]){0.5, 0, 0.5, 0}, 4, one_level(0.4), DEFIDX_EDATA);
    /* Nine members cannot meet the 10% cap of the 10/40 rule either. */
    expect_refused((double[]){0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 9, TEN_FORTY, DEFIDX_EDATA);
}

/* ---- two levels: 10 / 4.5 / 40 ------------------------------------------------------------------------ */

/* 25 members: 0.10, 0.10, 0.09, 0.08, 0.07, 0.06, 0.05 (listed out of order) and 18 x 0.025 (0.45).
 * Nothing above 10%. Above 4.5%: 0.55 > 0.40.
 * Step 1: the smallest above, 0.05, -> 0.045: excess 0.005; the 18 small ones (0.45) -> 0.455. Above: 0.50.
 * Step 2: 0.06 -> 0.045: excess 0.015; small 0.455 -> 0.470. Above: 0.44.
 * Step 3: 0.07 -> 0.045: excess 0.025; small 0.470 -> 0.495. Above: 0.37 <= 0.40: done.
 * Shares in proportion keep the small ones equal: 0.495 / 18 = 0.0275 each (below 0.045 throughout).
 * Sum: 0.37 + 3 x 0.045 + 0.495 = 1. */
static void ten_forty_cuts_the_smallest_large_first(void **state)
{
    (void)state;
    double in[25], expected[25];
    for (size_t i = 0; i < 25; i++) {
        in[i] = 0.025;
        expected[i] = 0.0275;
    }
    const size_t at[] = {3, 20, 7, 11, 0, 24, 15};
    const double large[] = {0.10, 0.10, 0.09, 0.08, 0.07, 0.06, 0.05};
    const double after[] = {0.10, 0.10, 0.09, 0.08, 0.045, 0.045, 0.045};
    for (size_t k = 0; k < 7; k++) {
        in[at[k]] = large[k];
        expected[at[k]] = after[k];
    }
    expect_capped(in, expected, 25, TEN_FORTY);
}

/* 20 members: eight at 0.08 (0.64 above 4.5%) and twelve at 0.03 (0.36). Of equal weights the one
 * listed last is cut first.
 * Step 1: the eighth 0.08 -> 0.045: excess 0.035; small 0.36 -> 0.395. Above: 0.56.
 * Step 2: the seventh -> 0.045; small -> 0.430. Above: 0.48.
 * Step 3: the sixth -> 0.045; small -> 0.465, 0.465 / 12 = 0.03875 each. Above: 5 x 0.08 = 0.40, not
 * more than 0.40: done. Sum: 0.40 + 0.135 + 0.465 = 1. */
static void ten_forty_equal_large_weights(void **state)
{
    (void)state;
    double in[20], expected[20];
    for (size_t i = 0; i < 20; i++) {
        in[i] = i < 8 ? 0.08 : 0.03;
        expected[i] = i < 5 ? 0.08 : i < 8 ? 0.045 : 0.03875;
    }
    expect_capped(in, expected, 20, TEN_FORTY);
}

/* 22 members: A 0.20, B 0.12, C 0.11, D 0.09, E 0.0736, F 0.0352, G 0.0352, 15 x 0.0224 (0.336).
 * First level, cap 0.10. Round 1: A, B, C -> 0.10; the rest (0.57) share 0.70: D 0.09 x 0.7/0.57 =
 * 0.1105... Round 2: D -> 0.10; the rest (0.48 at the start) share 0.60, x 1.25 overall: E 0.092,
 * F, G 0.044, the 15 at 0.028 (0.42). Round 3: nothing above.
 * Second level. Above 4.5%: 0.40 + 0.092 = 0.492 > 0.40. Step 1: E -> 0.045, excess 0.047, to share
 * among F, G and the 15 (0.088 + 0.42 = 0.508): x 0.555/0.508 would take F and G to 0.04807..., so
 * they are held at 0.045, taking 0.001 each; the other 0.045 goes to the 15 (0.42), x 0.465/0.42:
 * 0.031 each. Above: 4 x 0.10 = 0.40: done.
 * Result: 4 x 0.10, E, F, G 0.045, 15 x 0.031. Sum: 0.40 + 0.135 + 0.465 = 1. */
static void ten_forty_after_first_level_holds_small_ones_at_threshold(void **state)
{
    (void)state;
    double in[22], expected[22];
    const double first[] = {0.20, 0.12, 0.11, 0.09, 0.0736, 0.0352, 0.0352};
    const double after[] = {0.10, 0.10, 0.10, 0.10, 0.045, 0.045, 0.045};
    for (size_t i = 0; i < 15; i++) {
        in[i] = 0.0224;
        expected[i] = 0.031;
    }
    for (size_t k = 0; k < 7; k++) {
        in[15 + k] = first[6 - k]; /* listed smallest first */
        expected[15 + k] = after[6 - k];
    }
    expect_capped(in, expected, 22, TEN_FORTY);
}

/* The first level alone can be enough: 0.25, 0.05 and 20 x 0.035 (0.70). Round 1: 0.25 -> 0.10; the
 * rest (0.75) share 0.90, x 1.2: 0.06 and 20 x 0.042. Above 4.5%: 0.10 + 0.06 = 0.16 <= 0.40. */
static void ten_forty_first_level_enough(void **state)
{
    (void)state;
    double in[22], expected[22];
    in[0] = 0.25;
    expected[0] = 0.10;
    in[1] = 0.05;
    expected[1] = 0.06;
    for (size_t i = 2; i < 22; i++) {
        in[i] = 0.035;
        expected[i] = 0.042;
    }
    expect_capped(in, expected, 22, TEN_FORTY);
}

/* 16 members: 6 x 0.10 (0.60 above 4.5%) and 10 x 0.04. Step 1: a 0.10 -> 0.045, excess 0.055; the ten
 * (0.40) would go x 1.1375 to 0.0455, so all are held at 0.045, taking 10 x 0.005 = 0.05: 0.005 is
 * left with nothing to take it. 10 x 0.10 is refused the same way (nothing at all below 4.5%). */
static void ten_forty_infeasible(void **state)
{
    (void)state;
    double in[16];
    for (size_t i = 0; i < 16; i++)
        in[i] = i < 6 ? 0.10 : 0.04;
    expect_refused(in, 16, TEN_FORTY, DEFIDX_EDATA);
    for (size_t i = 0; i < 10; i++)
        in[i] = 0.10;
    expect_refused(in, 10, TEN_FORTY, DEFIDX_EDATA);
}

/* A rule outside 0 < cap <= 1, 0 < group_threshold < cap <= group_cap <= 1, half a group rule, weights
 * that are negative, not finite or do not add up to 1, or no weights at all are the caller's mistake. */
static void usage_errors(void **state)
{
    (void)state;
    const double in[] = {0.5, 0.3, 0.2};
    const defidx_capping bad[] = {
        {0, NAN, NAN},      {-0.1, NAN, NAN},      {1.5, NAN, NAN},     {INFINITY, NAN, NAN},
        {0.10, 0.10, 0.40}, {0.10, 0.20, 0.40},    {0.10, 0, 0.40},     {0.10, -0.01, 0.40},
        {0.10, 0.045, 0.05}, {0.10, 0.045, 1.01}, {0.10, 0.045, NAN},  {0.10, NAN, 0.40},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_refused(in, 3, bad[i], DEFIDX_EUSAGE);
    defidx_capping rule = one_level(0.6);
    assert_int_equal(defidx_cap_weights((double[]){0.5, 0.5}, 2, NULL), DEFIDX_EUSAGE);
    assert_int_equal(defidx_cap_weights(NULL, 2, &rule), DEFIDX_EUSAGE);
    assert_int_equal(defidx_cap_weights(NULL, 0, &rule), DEFIDX_EUSAGE); /* adds up to 0 */
    expect_refused((double[]){0.7, -0.1, 0.4}, 3, rule, DEFIDX_EUSAGE);
    expect_refused((double[]){0.5, NAN, 0.5}, 3, rule, DEFIDX_EUSAGE);
    expect_refused((double[]){0.5, INFINITY, 0.5}, 3, rule, DEFIDX_EUSAGE);
    expect_refused((double[]){0.5, 0.4}, 2, rule, DEFIDX_EUSAGE);
    expect_refused((double[]){50, 30, 20}, 3, rule, DEFIDX_EUSAGE);
    expect_refused((double[]){0, 0}, 2, rule, DEFIDX_EUSAGE);
}

/* ---- properties ----------------------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *s)
{
    return (double)(splitmix64(s) >> 11) * 0x1.0p-53;
}

/* n weights adding up to 1, skewed as market capitalisations are: a few large, many small, some 0. */
static void random_weights(uint64_t *s, double *w, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double u = uniform(s);
        w[i] = splitmix64(s) % 10 == 0 ? 0 : u * u * u * (splitmix64(s) % 8 == 0 ? 10 : 1);
        total += w[i];
    }
    if (total == 0) {
        w[0] = 1;
        total = 1;
    }
    for (size_t i = 0; i < n; i++)
        w[i] /= total;
}

/* The weights above limit + 1e-12, added up in order. */
static double sum_above(const double *w, size_t n, double limit)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > limit + 1e-12)
            sum += w[i];
    return sum;
}

/* After capping: the weights add up to 1, none is above cap, those above the threshold add up to at
 * most group_cap, a larger weight stays at least as large, a zero stays zero, capping again changes
 * nothing; with one level, the uncapped weights are all scaled by one factor. A refused vector is
 * left as it was. Counts what happened so that the test cannot pass by refusing everything. */
static void check_properties(const double *before, size_t n, defidx_capping rule, int *capped_count,
                             int *changed_count)
{
    double w[MAX_WEIGHTS], again[MAX_WEIGHTS];
    memcpy(w, before, n * sizeof *w);
    int rc = defidx_cap_weights(w, n, &rule);
    if (rc == DEFIDX_EDATA) {
        assert_memory_equal(w, before, n * sizeof *w);
        return;
    }
    assert_int_equal(rc, 0);
    (*capped_count)++;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        total += w[i];
        assert_true(w[i] <= rule.cap + 1e-12);
        if (before[i] == 0)
            assert_true(w[i] == 0);
        else
            assert_true(w[i] > 0);
        for (size_t j = 0; j < n; j++)
            if (before[i] > before[j] && !(w[i] >= w[j] - 1e-12))
                fail_msg("order: w[%zu] %.17g > w[%zu] %.17g before, %.17g < %.17g after", i, before[i], j,
                         before[j], w[i], w[j]);
    }
    assert_double_near(total, 1, 1e-12);
    if (!isnan(rule.group_threshold))
        assert_true(sum_above(w, n, rule.group_threshold) <= rule.group_cap + 1e-12);
    if (memcmp(w, before, n * sizeof *w) != 0)
        (*changed_count)++;

    if (isnan(rule.group_threshold)) {
        double k = NAN;
        for (size_t i = 0; i < n; i++)
            if (before[i] > 0 && w[i] < rule.cap - 1e-12) {
                if (isnan(k))
                    k = w[i] / before[i];
                assert_double_near(w[i] / before[i], k, 1e-9 * k);
            }
    }

    memcpy(again, w, n * sizeof *w);
    assert_int_equal(defidx_cap_weights(again, n, &rule), 0);
    for (size_t i = 0; i < n; i++)
        assert_double_near(again[i], w[i], 1e-12);
}

/* 1000 seeded weight vectors of 5 to 60 weights, each capped under one of five rules. */
static void properties_random_weights(void **state)
{
    (void)state;
    const defidx_capping rules[] = {
        {0.10, 0.045, 0.40}, {0.20, NAN, NAN}, {0.10, NAN, NAN}, {0.25, 0.05, 0.50}, {0.08, 0.05, 0.35},
    };
    const size_t rule_count = sizeof rules / sizeof *rules;
    int capped[5] = {0}, changed[5] = {0};
    uint64_t seed = 20250203;
    double w[MAX_WEIGHTS];
    for (int v = 0; v < 1000; v++) {
        size_t n = 5 + (size_t)(splitmix64(&seed) % 56);
        random_weights(&seed, w, n);
        size_t r = (size_t)v % rule_count;
        check_properties(w, n, rules[r], &capped[r], &changed[r]);
    }
    for (size_t r = 0; r < rule_count; r++) {
        print_message("rule %zu: %d of 200 capped, %d of them changed\n", r, capped[r], changed[r]);
        assert_true(capped[r] >= 50);
        assert_true(changed[r] >= 25);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_level_two_rounds),
        cmocka_unit_test(one_level_three_rounds),
        cmocka_unit_test(one_level_zero_weights_stay_zero),
        cmocka_unit_test(one_level_exactly_feasible),
        cmocka_unit_test(nothing_to_do),
        cmocka_unit_test(one_level_infeasible),
        cmocka_unit_test(ten_forty_cuts_the_smallest_large_first),
        cmocka_unit_test(ten_forty_equal_large_weights),
        cmocka_unit_test(ten_forty_after_first_level_holds_small_ones_at_threshold),
        cmocka_unit_test(ten_forty_first_level_enough),
        cmocka_unit_test(ten_forty_infeasible),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(properties_random_weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
