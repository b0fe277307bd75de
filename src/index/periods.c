/* periods.c: the base date of each reported period (docs/methodology.md "Periods") and the return
 * from it, on any dated series with gaps: the index's levels or a constituent's own prices. */
#include "index/periods.h"

#include <stdio.h>
#include <string.h>

long defidx_last_value_before(const int32_t *dates, const double *values, size_t n, int32_t bound,
                              int inclusive)
{
    /* Binary search for the first date past the bound, then step back over missing values. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dates[mid] < bound || (inclusive && dates[mid] == bound))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (long k = (long)lo - 1; k >= 0; k--)
        if (!values || !isnan(values[k]))
            return k;
    return -1;
}

size_t defidx_period_plan(int32_t as_of, const int32_t *since, size_t since_count,
                          defidx_period_rule *rules, size_t capacity)
{
    int y, m, d;
    defidx_date_to_civil(as_of, &y, &m, &d);
    const defidx_period_rule fixed[] = {
        {"1d", as_of, 0},
        {"wtd", defidx_date_week_start(as_of), 0},
        {"mtd", defidx_date_from_civil(y, m, 1), 0},
        {"ytd", defidx_date_from_civil(y, 1, 1), 0},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < capacity; i++)
        rules[n++] = fixed[i];
    for (size_t i = 0; i < since_count && n < capacity; i++) {
        defidx_period_rule *r = &rules[n++];
        char day[11];
        defidx_date_format(since[i], day);
        snprintf(r->name, sizeof r->name, "since:%s", day);
        r->bound = since[i];
        r->inclusive = 1;
    }
    return n;
}

long defidx_period_base(const defidx_period_rule *rule, int32_t as_of, const int32_t *dates,
                        const double *values, size_t n)
{
    /* A "since" date after the reported day describes no period. */
    if (rule->inclusive && rule->bound > as_of)
        return -1;
    return defidx_last_value_before(dates, values, n, rule->bound, rule->inclusive);
}

void defidx_period_fill(defidx_period *out, const defidx_period_rule *rule, long base,
                        const int32_t *dates, const double *values, double value_at_as_of)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", rule->name);
    out->base_date = DEFIDX_NO_DATE;
    out->base_value = NAN;
    out->ret = NAN;
    if (base < 0)
        return;
    out->base_date = dates[base];
    out->base_value = values[base];
    if (!isnan(value_at_as_of))
        out->ret = value_at_as_of / values[base] - 1;
}
