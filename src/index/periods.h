/* periods.h: period bases shared by the engine's index and constituent returns. */
#ifndef DEFIDX_PERIODS_H
#define DEFIDX_PERIODS_H

#include "internal.h"

/* How a period finds its base: the last date with a value before `bound` (or on it, when
 * inclusive). 1d uses the as-of date itself as an exclusive bound. */
typedef struct defidx_period_rule {
    char name[24];
    int32_t bound;
    int inclusive;
} defidx_period_rule;

/* Index of the last k with dates[k] < bound (<= when inclusive) and values[k] not NAN (values may
 * be NULL: every date has a value); -1 when there is none. dates ascending. */
long defidx_last_value_before(const int32_t *dates, const double *values, size_t n, int32_t bound,
                              int inclusive);

/* Fills rules with 1d, wtd, mtd, ytd and one since:D per since date; returns how many. */
size_t defidx_period_plan(int32_t as_of, const int32_t *since, size_t since_count,
                          defidx_period_rule *rules, size_t capacity);

/* The base index of a period on a series, or -1. */
long defidx_period_base(const defidx_period_rule *rule, int32_t as_of, const int32_t *dates,
                        const double *values, size_t n);

/* Fills out from a base index (-1: null period). */
void defidx_period_fill(defidx_period *out, const defidx_period_rule *rule, long base,
                        const int32_t *dates, const double *values, double value_at_as_of);

#endif
