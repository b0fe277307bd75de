/* capping.c: caps index weights, at one level (no weight above a cap, STOXX's capping) or at two
 * (also the weights above a threshold together at most a group cap: the UCITS "10/40" rule). */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How far a weight (or a sum of weights) may be over a limit and still count as at it. Sharing an
 * excess leaves a few ulps of rounding noise, which must not start another round. */
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

/* The first level, STOXX's way: each round cuts every weight above cap to cap and scales all the
 * uncapped ones by one factor so that the total stays what it was; a weight this lifts above cap is
 * cut in the next round. Each round caps at least one more weight, so there are at most as many
 * rounds as weights. The result is min(cap, k w_i) for the one k that keeps the total. The caller
 * has checked that cap x (non-zero weights) >= 1, so the uncapped ones run out only when that
 * product is 1 to within rounding and all are at cap. */
static void cap_one_level(double *w, size_t n, double cap, double total, unsigned char *capped)
{
    memset(capped, 0, n);
    for (;;) {
        int more = 0;
        double fixed = 0, rest = 0;
        for (size_t i = 0; i < n; i++) {
            if (!capped[i] && w[i] > cap + CAP_TOLERANCE) {
                capped[i] = 1;
                more = 1;
            }
            if (capped[i])
                fixed += cap;
            else
                rest += w[i];
        }
        if (!more)
            return;
        double k = rest > 0 ? (total - fixed) / rest : 0; /* rest 0: only zero weights are left */
        for (size_t i = 0; i < n; i++)
            w[i] = capped[i] ? cap : w[i] * k;
        if (!(rest > 0))
            return;
    }
}

/* Whether weight i can take a share of an excess in the second level: in the index, not held and
 * not above the threshold. */
static int absorbs(const double *w, const unsigned char *held, size_t i, double threshold)
{
    return !held[i] && w[i] > 0 && w[i] <= threshold + CAP_TOLERANCE;
}

/* Shares excess among the weights that can absorb it, in proportion to their weights but never
 * lifting one above threshold: those that their share would take to the threshold or beyond are
 * held at it, and what is left is shared again among the others (those would have been held at any
 * later, larger factor too, so holding them all at once is exact). Returns 0, or -1 when everything
 * that could absorb is held and more than rounding noise is left over. */
static int share_below(double *w, size_t n, double threshold, double excess, unsigned char *held)
{
    for (;;) {
        double base = 0;
        for (size_t i = 0; i < n; i++)
            if (absorbs(w, held, i, threshold))
                base += w[i];
        if (!(base > 0))
            return excess > CAP_TOLERANCE ? -1 : 0;
        double k = 1 + excess / base;
        int clipped = 0;
        for (size_t i = 0; i < n; i++)
            if (absorbs(w, held, i, threshold) && w[i] * k >= threshold) {
                excess -= threshold - w[i];
                w[i] = threshold;
                held[i] = 1;
                clipped = 1;
            }
        if (!clipped) {
            for (size_t i = 0; i < n; i++)
                if (absorbs(w, held, i, threshold))
                    w[i] *= k;
            return 0;
        }
    }
}

/* The second level, after the first: while the weights above the threshold add up to more than
 * group_cap, the smallest of them is cut to the threshold and held there, and its excess is shared
 * by share_below among the weights at or below the threshold that are not held. "Smallest" goes by
 * the weight before capping (original): the first level keeps that order, but makes the weights it
 * cut equal, and cutting the one that was the largest would turn the order round. Of weights that
 * were equal, the one listed last is cut first. The weights above the threshold that are not cut
 * keep their value, so none rises above cap; each round holds one more weight, so there are at
 * most n rounds. Returns 0, or -1 when an excess finds nothing left to absorb it. */
static int cap_group(double *w, const double *original, size_t n, double threshold, double group_cap,
                     unsigned char *held)
{
    memset(held, 0, n);
    for (;;) {
        double above = 0;
        size_t cut = n;
        for (size_t i = 0; i < n; i++)
            if (!held[i] && w[i] > threshold + CAP_TOLERANCE) {
                above += w[i];
                if (cut == n || original[i] <= original[cut])
                    cut = i;
            }
        if (!(above > group_cap + CAP_TOLERANCE))
            return 0;
        double excess = w[cut] - threshold;
        w[cut] = threshold;
        held[cut] = 1;
        if (share_below(w, n, threshold, excess, held))
            return -1;
    }
}

int defidx_cap_weights(double *w, size_t n, const defidx_capping *rule)
{
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
    if (!(fabs(total - 1) <= SUM_TOLERANCE))
        return DEFIDX_EUSAGE;
    if (rule->cap * (double)in < 1 - CAP_TOLERANCE)
        return DEFIDX_EDATA;

    /* Weights that already meet the rule are left exactly as they are. */
    if (!(largest > rule->cap + CAP_TOLERANCE) &&
        (!two_level || !(sum_above(w, n, rule->group_threshold) > rule->group_cap + CAP_TOLERANCE)))
        return 0;

    /* The work is done on a copy so that w is unchanged when the rule turns out impossible. */
    if (n > SIZE_MAX / (sizeof(double) + 1))
        return DEFIDX_ENOMEM;
    double *work = malloc(n * (sizeof(double) + 1));
    if (!work)
        return DEFIDX_ENOMEM;
    unsigned char *flags = (unsigned char *)(work + n);
    memcpy(work, w, n * sizeof *work);

    cap_one_level(work, n, rule->cap, total, flags);
    int rc = two_level ? cap_group(work, w, n, rule->group_threshold, rule->group_cap, flags) : 0;
    if (rc == 0)
        memcpy(w, work, n * sizeof *w);
    free(work);
    return rc == 0 ? 0 : DEFIDX_EDATA;
}
