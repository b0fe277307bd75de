/* periods.c: the kinds of period a result reports (docs/methodology.md "Periods"), one row each,
 * and the base of each period and the return from it, on any dated series with gaps: the index's
 * levels or a constituent's own prices. */
#include "index/periods.h"

#include <stdio.h>
#include <string.h>

/* ---- where each kind of period starts ------------------------------------------------------- */

static int32_t start_day(int32_t on, int32_t date)
{
    (void)date;
    return on;
}

static int32_t start_week(int32_t on, int32_t date)
{
    (void)date;
    return defidx_date_week_start(on);
}

static int32_t start_month(int32_t on, int32_t date)
{
    (void)date;
    int y, m, d;
    defidx_date_to_civil(on, &y, &m, &d);
    return defidx_date_from_civil(y, m, 1);
}

static int32_t start_quarter(int32_t on, int32_t date)
{
    (void)date;
    int y, m, d;
    defidx_date_to_civil(on, &y, &m, &d);
    return defidx_date_from_civil(y, m - (m - 1) % 3, 1);
}

static int32_t start_year(int32_t on, int32_t date)
{
    (void)date;
    int y, m, d;
    defidx_date_to_civil(on, &y, &m, &d);
    return defidx_date_from_civil(y, 1, 1);
}

static int32_t start_date(int32_t on, int32_t date)
{
    (void)on;
    return date;
}

/* ---- the kinds --------------------------------------------------------------------------------- */

/* One row per enum defidx_period_kind, in the order results report them. */
static const dfx_period_info kinds[DEFIDX_PERIOD_KIND_COUNT] = {
    /* 1d: only the as-of day's own base is ever used (the engine marks a crossing only when the
     * next date does not cross again) */
    [DEFIDX_PERIOD_1D] = {"1d", "1 day", "Day", start_day, 0, 0, 0, 0},
    [DEFIDX_PERIOD_WTD] = {"wtd", "Week to date", "Week", start_week, 0, 0, 0, 1},
    [DEFIDX_PERIOD_MTD] = {"mtd", "Month to date", "Month", start_month, 0, 0, 0, 1},
    [DEFIDX_PERIOD_QTD] = {"qtd", "Quarter to date", "Quarter", start_quarter, 0, 0, 0, 1},
    [DEFIDX_PERIOD_YTD] = {"ytd", "Year to date", "Year", start_year, 0, 0, 1, 1},
    [DEFIDX_PERIOD_SINCE] = {"since", "Since", "Since", start_date, 1, 1, 1, 1},
};

static const dfx_period_info unknown_kind = {"", "", "", start_day, 0, 0, 0, 0};

const dfx_period_info *dfx_period_kind_info(int kind)
{
    return kind >= 0 && kind < DEFIDX_PERIOD_KIND_COUNT ? &kinds[kind] : &unknown_kind;
}

/* ---- bases --------------------------------------------------------------------------------------- */

long dfx_last_value_before(const int32_t *dates, const double *values, size_t n, int32_t bound,
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

size_t dfx_period_count(size_t since_count)
{
    size_t n = 0;
    for (int k = 0; k < DEFIDX_PERIOD_KIND_COUNT; k++)
        n += kinds[k].one_per_date ? since_count : 1;
    return n;
}

/* Appends the period (kind, date) to rules unless they are full. */
static void plan_one(int kind, int32_t date, dfx_period_rule *rules, size_t capacity, size_t *n)
{
    if (*n >= capacity)
        return;
    dfx_period_rule *r = &rules[(*n)++];
    r->kind = kind;
    r->date = date;
    if (kinds[kind].one_per_date) {
        char day[11];
        defidx_date_format(date, day);
        snprintf(r->name, sizeof r->name, "%s:%s", kinds[kind].name, day);
    } else {
        snprintf(r->name, sizeof r->name, "%s", kinds[kind].name);
    }
}

size_t dfx_period_plan(const int32_t *since, size_t since_count, dfx_period_rule *rules,
                          size_t capacity)
{
    size_t n = 0;
    for (int k = 0; k < DEFIDX_PERIOD_KIND_COUNT; k++) {
        if (!kinds[k].one_per_date)
            plan_one(k, DEFIDX_NO_DATE, rules, capacity, &n);
        else
            for (size_t i = 0; i < since_count; i++)
                plan_one(k, since[i], rules, capacity, &n);
    }
    return n;
}

int32_t dfx_period_cut(const dfx_period_rule *rule, int32_t on)
{
    const dfx_period_info *kind = dfx_period_kind_info(rule->kind);
    int32_t start = kind->start(on, rule->date);
    return kind->base_on_start ? start + 1 : start;
}

int dfx_period_starts_after(const dfx_period_rule *rule, int32_t on)
{
    return dfx_period_kind_info(rule->kind)->start(on, rule->date) > on;
}

int dfx_period_crossed(const dfx_period_rule *rule, int32_t before, int32_t today)
{
    int32_t cut = dfx_period_cut(rule, today);
    return before < cut && cut <= today;
}

long dfx_period_base(const dfx_period_rule *rule, int32_t as_of, const int32_t *dates,
                        const double *values, size_t n)
{
    if (dfx_period_starts_after(rule, as_of))
        return -1;
    return dfx_last_value_before(dates, values, n, dfx_period_cut(rule, as_of), 0);
}

void dfx_period_fill(defidx_period *out, const dfx_period_rule *rule, long base,
                        const int32_t *dates, const double *values, double value_at_as_of)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", rule->name);
    out->kind = rule->kind;
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
