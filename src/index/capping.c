/* capping.c: caps index weights, at one level (no weight above a cap, STOXX's capping) or at two
 * (also the weights above a threshold together at most a group cap: the UCITS "10/40" rule), in
 * O(n log n): the weights are sorted once, and each level is a scan of the sorted order. */
#include "index/capping.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How far a weight (or a sum of weights) may be over a limit and still count as at it. Sharing an
 * excess leaves a few ulps of rounding noise, which must not cut another weight. */
#define CAP_TOLERANCE 1e-12

/* How far the weights may add up to something other than 1 before that is the caller's mistake
 * rather than rounding (n weights computed as x_i / total are off by about n ulps). */
#define SUM_TOLERANCE 1e-9

/* 1 when the rule's values make sense: 0 < cap <= 1 and either both group fields NAN, or
 * 0 < group_threshold < cap <= group_cap <= 1. */
static int rule_valid(const defidx_capping *r)
{
    if (!(r->cap > 0 && r->cap <= 1))
        return 0;
    int no_threshold = isnan(r->group_threshold), no_group_cap = isnan(r->group_cap);
    if (no_threshold || no_group_cap)
        return no_threshold && no_group_cap;
    return r->group_threshold > 0 && r->group_threshold < r->cap && r->group_cap >= r->cap &&
           r->group_cap <= 1;
}

/* The sum of the weights above limit (by more than the tolerance). */
static double sum_above(const double *w, size_t n, double limit)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > limit + CAP_TOLERANCE)
            sum += w[i];
    return sum;
}

/* One capping's scratch memory and its count of steps. */
typedef struct capper {
    const double *given; /* the caller's weights, untouched until the result is complete */
    double *w;           /* the result being built: a copy of given, n weights */
    size_t *order;       /* the indices of the non-zero weights, largest given weight first */
    size_t count;        /* how many weights are non-zero */
    size_t *spare;       /* the merge sort's second buffer (count) */
    double *rest;        /* rest[k]: the sum of a range of the ordered weights from k on (count + 1) */
    size_t steps;
} capper;

/* Merges the sorted runs from[lo..mid) and from[mid..hi) into to[lo..hi), the larger given weight
 * first; of equal weights the one from the first run, so that equal weights keep the order in
 * which they are listed. */
static void merge_runs(capper *c, const size_t *from, size_t *to, size_t lo, size_t mid, size_t hi)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        c->steps++;
        to[k++] = c->given[from[j]] > c->given[from[i]] ? from[j++] : from[i++];
    }
    while (i < mid)
        to[k++] = from[i++];
    while (j < hi)
        to[k++] = from[j++];
}

/* Sorts order (the non-zero weights' indices, ascending) by given weight, largest first: a
 * bottom-up merge sort, n log n comparisons at most whatever the weights, and stable. */
static void sort_order(capper *c)
{
    size_t *from = c->order, *to = c->spare, n = c->count;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge_runs(c, from, to, lo, mid, hi);
        }
        size_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != c->order)
        memcpy(c->order, from, n * sizeof *from);
}

/* Where the water stands in the ordered weights order[lo..hi) of v (largest first) when they are
 * scaled by one factor to add up to target and those the factor takes above limit + slack are set
 * to limit: the first k of them are at the limit and the others are scaled by *scale =
 * (target - k limit) / (the sum of the others). k is the smallest number that leaves the largest
 * of the others within limit + slack, which is where rounds of cutting the weights above the limit
 * and sharing their excess stop (each round's factor is at most the final one, so a weight that a
 * round cuts is among those k). Returns k; hi - lo when all are at the limit (*scale is then 0). */
static size_t water_level(capper *c, const double *v, size_t lo, size_t hi, double limit, double slack,
                          double target, double *scale)
{
    /* The rests are added from the smallest weight up, so that a small rest is not the
     * difference of two large sums. */
    double sum = 0;
    c->rest[hi] = 0;
    for (size_t k = hi; k-- > lo;) {
        c->steps++;
        sum += v[c->order[k]];
        c->rest[k] = sum;
    }
    for (size_t k = lo; k < hi; k++) {
        c->steps++;
        double s = (target - (double)(k - lo) * limit) / c->rest[k];
        if (!(v[c->order[k]] * s > limit + slack)) {
            *scale = s;
            return k - lo;
        }
    }
    *scale = 0;
    return hi - lo;
}

/* The first level, STOXX's way: every weight above cap is cut to it and the others are scaled by
 * one factor so that the total stays what it was: min(cap, k w_i) for the one k that keeps the
 * total. The caller has checked that cap x (non-zero weights) >= 1, so all are cut only when that
 * product is 1 to within rounding. Nothing above the cap leaves the weights bit for bit. */
static void cap_first_level(capper *c, double cap, double total)
{
    double scale;
    size_t cut = water_level(c, c->given, 0, c->count, cap, CAP_TOLERANCE, total, &scale);
    if (cut == 0)
        return;
    for (size_t k = 0; k < c->count; k++) {
        c->steps++;
        size_t i = c->order[k];
        c->w[i] = k < cut ? cap : c->given[i] * scale;
    }
}

/* The second level, after the first. The weights above the threshold form the head of the order
 * (the first level keeps the order). While they add up to more than group_cap, the smallest of
 * them is cut to the threshold ("smallest" by given weight: the first level makes the weights it
 * cut equal, and of weights that were equal the one listed last is cut first); the weights above
 * it keep their value, so none rises above cap. So the largest of them stay, as many as add up to
 * at most group_cap, and the others are cut. Their excess goes to the non-zero weights at or below
 * the threshold in proportion to their weights, and those it would lift to the threshold are held
 * there: the water level of those weights with the threshold as the limit. Sharing the excesses
 * one by one gives the same (a weight held at one step would be held at any later, larger factor),
 * so they are shared at once. Returns 0, or -1 (w untouched) when the excess finds too little room
 * below the threshold. */
static int cap_second_level(capper *c, double threshold, double group_cap)
{
    double *w = c->w;
    const size_t *order = c->order;
    size_t large = 0;
    while (large < c->count && w[order[large]] > threshold + CAP_TOLERANCE) {
        c->steps++;
        large++;
    }
    size_t kept = 0;
    double kept_sum = 0;
    while (kept < large && kept_sum + w[order[kept]] <= group_cap + CAP_TOLERANCE) {
        c->steps++;
        kept_sum += w[order[kept++]];
    }
    if (kept == large)
        return 0;

    double excess = 0, below = 0;
    for (size_t k = kept; k < large; k++) {
        c->steps++;
        excess += w[order[k]] - threshold;
    }
    for (size_t k = large; k < c->count; k++) {
        c->steps++;
        below += w[order[k]];
    }
    double scale;
    size_t held = water_level(c, w, large, c->count, threshold, 0, below + excess, &scale);
    if (held == c->count - large && below + excess - (double)held * threshold > CAP_TOLERANCE)
        return -1;
    for (size_t k = kept; k < c->count; k++) {
        c->steps++;
        size_t i = order[k];
        w[i] = k < large + held ? threshold : w[i] * scale;
    }
    return 0;
}

/* Caps the weights that need it (the rule is valid, the weights checked, cap x non-zero >= 1):
 * sorts, applies the first level and, for a two-level rule, the second. Returns 0 with w capped;
 * 1 when the second level cannot be met, with w capped by the first level alone if fallback is
 * set and unchanged if not; DEFIDX_ENOMEM with w unchanged. */
static int cap_sorted(double *w, size_t n, const defidx_capping *rule, size_t in, double total,
                      int fallback, size_t *steps)
{
    /* One block: the result (n doubles), the rests (in + 1 doubles), the order and the merge
     * buffer (in indices each). */
    if (n >= SIZE_MAX / (4 * sizeof(double) + 4 * sizeof(size_t)))
        return DEFIDX_ENOMEM;
    double *block = malloc((n + in + 1) * sizeof(double) + 2 * in * sizeof(size_t));
    if (!block)
        return DEFIDX_ENOMEM;
    capper c = {.given = w, .w = block, .rest = block + n, .count = in};
    c.order = (size_t *)(c.rest + in + 1);
    c.spare = c.order + in;
    memcpy(c.w, w, n * sizeof *c.w);
    for (size_t i = 0, k = 0; i < n; i++) {
        c.steps++;
        if (w[i] > 0)
            c.order[k++] = i;
    }

    sort_order(&c);
    cap_first_level(&c, rule->cap, total);
    int rc = 0;
    if (!isnan(rule->group_threshold) && cap_second_level(&c, rule->group_threshold, rule->group_cap))
        rc = 1;
    if (rc == 0 || fallback)
        memcpy(w, c.w, n * sizeof *w);
    free(block);
    if (steps)
        *steps += c.steps;
    return rc;
}

int dfx_cap_weights_counted(double *w, size_t n, const defidx_capping *rule, int fallback,
                               defidx_cap_outcome *outcome, size_t *steps)
{
    if (outcome)
        *outcome = DEFIDX_CAP_MET;
    if (!rule || (n > 0 && !w))
        return DEFIDX_EUSAGE;
    if (isnan(rule->cap))
        return 0;
    if (!rule_valid(rule))
        return DEFIDX_EUSAGE;
    int two_level = !isnan(rule->group_threshold);

    double total = 0, largest = 0;
    size_t in = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] >= 0 && isfinite(w[i])))
            return DEFIDX_EUSAGE;
        total += w[i];
        in += w[i] > 0;
        if (w[i] > largest)
            largest = w[i];
    }
    if (steps)
        *steps += n;
    if (!(fabs(total - 1) <= SUM_TOLERANCE))
        return DEFIDX_EUSAGE;
    if (rule->cap * (double)in < 1 - CAP_TOLERANCE) {
        if (!fallback)
            return DEFIDX_EDATA;
        /* No in weights can all be at most cap; equal ones come closest (their largest is the
         * smallest largest weight there is). */
        for (size_t i = 0; i < n; i++)
            w[i] = w[i] > 0 ? 1 / (double)in : 0;
        if (outcome)
            *outcome = DEFIDX_CAP_EQUAL;
        return 0;
    }

    /* Weights that already meet the rule are left exactly as they are. */
    if (!(largest > rule->cap + CAP_TOLERANCE) &&
        (!two_level || !(sum_above(w, n, rule->group_threshold) > rule->group_cap + CAP_TOLERANCE)))
        return 0;

    int rc = cap_sorted(w, n, rule, in, total, fallback, steps);
    if (rc != 1)
        return rc;
    if (!fallback)
        return DEFIDX_EDATA;
    if (outcome)
        *outcome = DEFIDX_CAP_CAP_ONLY;
    return 0;
}

int defidx_cap_weights(double *w, size_t n, const defidx_capping *rule)
{
    return dfx_cap_weights_counted(w, n, rule, 0, NULL, NULL);
}

int defidx_cap_weights_fallback(double *w, size_t n, const defidx_capping *rule,
                                defidx_cap_outcome *outcome)
{
    if (!outcome)
        return DEFIDX_EUSAGE;
    return dfx_cap_weights_counted(w, n, rule, 1, outcome, NULL);
}

double dfx_cap_group_most(const defidx_capping *rule, size_t n)
{
    /* With j weights above the threshold, the most is min(group_cap, j cap) + (n - j) threshold.
     * It grows with j as long as j cap <= group_cap; one weight more above the threshold then adds
     * group_cap - j cap - threshold, and any further one only takes threshold away. */
    double cap = rule->cap, threshold = rule->group_threshold, group_cap = rule->group_cap;
    double at_cap = floor(group_cap / cap + 1e-9);
    size_t j = at_cap < (double)n ? (size_t)at_cap : n;
    double most = (double)j * cap + (double)(n - j) * threshold;
    if (j < n && group_cap - (double)j * cap > threshold)
        most = group_cap + (double)(n - j - 1) * threshold;
    return most;
}
