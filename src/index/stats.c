/* stats.c: the performance and risk statistics of a level series (docs/methodology.md
 * "Statistics"), computed the way ffn's calc_stats computes them, so that a user can check them
 * against the tool they trust: simple returns between values, calendar-day CAGR, sample standard
 * deviations, month-end and year-end resampling, drawdown episodes as ffn's drawdown_details, and
 * trailing returns from ffn's month-end anchors. Any level series will do: an index's, a
 * constituent's prices, a benchmark's. */
#include "index/periods.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables -------------------------------------------------------------------------------- */

/* The frequencies inferred from the median gap between values, in calendar days. */
static const struct frequency_row {
    const char *name;
    double most_days; /* the median gap it takes */
    double per_year;  /* F */
} frequencies[] = {
    {"daily", 4, 252},
    {"weekly", 10, 52},
    {"monthly", 45, 12},
    {"quarterly", 120, 4},
    {"yearly", INFINITY, 1},
};

/* The trailing returns, one row each (enum defidx_trailing). */
enum trailing_rule { TO_DATE, MONTHS_BACK, SINCE_FIRST };
static const struct trailing_row {
    const char *name;
    enum trailing_rule rule;
    int period_kind; /* TO_DATE: the period whose base rule it follows */
    int months;      /* MONTHS_BACK: how far back from the end's month end */
    int annualised;  /* 1: a CAGR from its base */
} trailing_rows[DEFIDX_TRAILING_COUNT] = {
    [DEFIDX_TRAILING_MTD] = {"mtd", TO_DATE, DEFIDX_PERIOD_MTD, 0, 0},
    [DEFIDX_TRAILING_QTD] = {"qtd", TO_DATE, DEFIDX_PERIOD_QTD, 0, 0},
    [DEFIDX_TRAILING_YTD] = {"ytd", TO_DATE, DEFIDX_PERIOD_YTD, 0, 0},
    [DEFIDX_TRAILING_3M] = {"3m", MONTHS_BACK, 0, 3, 0},
    [DEFIDX_TRAILING_6M] = {"6m", MONTHS_BACK, 0, 6, 0},
    [DEFIDX_TRAILING_1Y] = {"1y", MONTHS_BACK, 0, 12, 0},
    [DEFIDX_TRAILING_3Y] = {"3y", MONTHS_BACK, 0, 36, 1},
    [DEFIDX_TRAILING_5Y] = {"5y", MONTHS_BACK, 0, 60, 1},
    [DEFIDX_TRAILING_10Y] = {"10y", MONTHS_BACK, 0, 120, 1},
    [DEFIDX_TRAILING_INCEP] = {"incep", SINCE_FIRST, 0, 0, 1},
};

const char *defidx_trailing_name(int trailing)
{
    return trailing >= 0 && trailing < DEFIDX_TRAILING_COUNT ? trailing_rows[trailing].name : NULL;
}

void defidx_stats_options_init(defidx_stats_options *o)
{
    *o = (defidx_stats_options)DEFIDX_STATS_OPTIONS_INIT;
}

/* ---- the values used ------------------------------------------------------------------------- */

/* A series without its missing values, up to the end date. */
typedef struct values {
    size_t n;
    int32_t *dates;
    double *levels;
} values;

/* The values of s from the last one on or before from to the last one on or before end
 * (DEFIDX_NO_DATE: no bound), without NANs. 0 or DEFIDX_ENOMEM. */
static int take_values(const defidx_level_series *s, int32_t from, int32_t end, values *v)
{
    *v = (values){0};
    size_t room = s && s->count ? s->count : 1;
    v->dates = malloc(room * sizeof *v->dates);
    v->levels = malloc(room * sizeof *v->levels);
    if (!v->dates || !v->levels)
        return DEFIDX_ENOMEM;
    for (size_t k = 0; s && k < s->count; k++) {
        if (isnan(s->values[k]) || (end != DEFIDX_NO_DATE && s->dates[k] > end))
            continue;
        if (from != DEFIDX_NO_DATE && s->dates[k] <= from)
            v->n = 0; /* a later value on or before from: the first one yet */
        v->dates[v->n] = s->dates[k];
        v->levels[v->n++] = s->values[k];
    }
    return 0;
}

static void free_values(values *v)
{
    free(v->dates);
    free(v->levels);
}

/* The calendar years from the first to the last date: the years a CAGR annualises over. */
static double years_between(int32_t first, int32_t last)
{
    return (double)(last - first) / 365.25;
}

/* (to / from)^(1 / years) - 1: NAN over no time. */
static double cagr(double from, double to, double years)
{
    return years > 0 ? pow(to / from, 1 / years) - 1 : NAN;
}

/* ---- the figures of a set of returns --------------------------------------------------------- */

static double mean_of(const double *x, size_t n)
{
    double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += x[k];
    return sum / (double)n;
}

/* The sample standard deviation (n - 1), or NAN below two values. */
static double sd_of(const double *x, size_t n)
{
    if (n < 2)
        return NAN;
    double m = mean_of(x, n), sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += (x[k] - m) * (x[k] - m);
    return sqrt(sum / (double)(n - 1));
}

/* pandas' skew and kurt: bias-corrected, from the central moments' sums. */
static void shape_of(const double *x, size_t n, double *skew, double *kurtosis)
{
    *skew = *kurtosis = NAN;
    if (n < 3)
        return;
    double m = mean_of(x, n), m2 = 0, m3 = 0, m4 = 0, c = (double)n;
    for (size_t k = 0; k < n; k++) {
        double d = x[k] - m;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    if (m2 == 0)
        return;
    *skew = c * sqrt(c - 1) / (c - 2) * m3 / pow(m2, 1.5);
    if (n >= 4)
        *kurtosis = c * (c + 1) * (c - 1) * m4 / ((c - 2) * (c - 3) * m2 * m2) -
                    3 * (c - 1) * (c - 1) / ((c - 2) * (c - 3));
}

/* The figures of r[0..n) with F periods a year and an annual risk-free rate rf; excess is room
 * for n doubles. */
static defidx_risk risk_of(const double *r, size_t n, double F, double rf, double *excess)
{
    defidx_risk k = {n, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    if (n == 0)
        return k;
    double downside = 0;
    k.best = k.worst = r[0];
    for (size_t i = 0; i < n; i++) {
        excess[i] = r[i] - rf / F;
        downside += excess[i] < 0 ? excess[i] * excess[i] : 0;
        k.best = r[i] > k.best ? r[i] : k.best;
        k.worst = r[i] < k.worst ? r[i] : k.worst;
    }
    k.mean = mean_of(r, n) * F;
    k.vol = sd_of(r, n) * sqrt(F);
    double sd_excess = sd_of(excess, n), mean_excess = mean_of(excess, n);
    if (sd_excess > 0)
        k.sharpe = mean_excess / sd_excess * sqrt(F);
    downside = sqrt(downside / (double)n);
    if (downside > 0)
        k.sortino = mean_excess * F / (downside * sqrt(F));
    shape_of(r, n, &k.skew, &k.kurtosis);
    return k;
}

/* The simple returns between the values at idx[0..n) (n - 1 of them) into r. */
static size_t returns_at(const values *v, const size_t *idx, size_t n, double *r)
{
    for (size_t k = 1; k < n; k++)
        r[k - 1] = v->levels[idx[k]] / v->levels[idx[k - 1]] - 1;
    return n ? n - 1 : 0;
}

/* ---- month ends and year ends ---------------------------------------------------------------- */

static int month_key(int32_t date, int by_year)
{
    int y, m, d;
    defidx_date_to_civil(date, &y, &m, &d);
    return by_year ? y : y * 12 + m - 1;
}

/* The index of the last value of each calendar month (by_year 0) or year (1) into idx; their count. */
static size_t period_ends(const values *v, int by_year, size_t *idx)
{
    size_t n = 0;
    for (size_t k = 0; k < v->n; k++)
        if (k + 1 == v->n || month_key(v->dates[k], by_year) != month_key(v->dates[k + 1], by_year))
            idx[n++] = k;
    return n;
}

/* ---- drawdowns ------------------------------------------------------------------------------- */

/* The drawdown episodes of v into s (ffn's drawdown_details), and the deepest drawdown. */
static int find_drawdowns(const values *v, defidx_stats *s)
{
    size_t room = 0;
    double peak = v->levels[0];
    s->max_drawdown = 0;
    defidx_drawdown *open = NULL;
    for (size_t k = 0; k < v->n; k++) {
        double level = v->levels[k];
        if (level >= peak) {
            peak = level;
            if (open) {
                open->end = v->dates[k];
                open->length_days = v->dates[k] - open->start;
                open = NULL;
            }
            continue;
        }
        double dd = level / peak - 1;
        s->max_drawdown = dd < s->max_drawdown ? dd : s->max_drawdown;
        if (!open) {
            if (dfx_grow((void **)&s->drawdowns, &room, s->drawdown_count + 1, sizeof *s->drawdowns))
                return DEFIDX_ENOMEM;
            open = &s->drawdowns[s->drawdown_count++];
            *open = (defidx_drawdown){v->dates[k], v->dates[k], DEFIDX_NO_DATE, 0, dd};
        }
        if (dd < open->depth) {
            open->depth = dd;
            open->trough = v->dates[k];
        }
    }
    if (open)
        open->length_days = v->dates[v->n - 1] - open->start;
    double depth = 0, days = 0;
    for (size_t k = 0; k < s->drawdown_count; k++) {
        depth += s->drawdowns[k].depth;
        days += s->drawdowns[k].length_days;
    }
    s->avg_drawdown = s->drawdown_count ? depth / (double)s->drawdown_count : NAN;
    s->avg_drawdown_days = s->drawdown_count ? days / (double)s->drawdown_count : NAN;
    return 0;
}

/* ---- trailing returns ------------------------------------------------------------------------- */

/* The last day of the month `months` before the month of date. */
static int32_t month_end_before(int32_t date, int months)
{
    int y, m, d;
    defidx_date_to_civil(date, &y, &m, &d);
    long next = (long)y * 12 + (m - 1) - months + 1; /* the month after the anchor's, from year 0 */
    return defidx_date_from_civil((int)(next / 12), (int)(next % 12) + 1, 1) - 1;
}

/* The trailing returns of v, whose last value is the end, into out. */
static void trailing_returns(const values *v, double *out)
{
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++)
        out[t] = NAN;
    if (v->n == 0)
        return;
    size_t last = v->n - 1;
    int32_t end = v->dates[last];
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++) {
        const struct trailing_row *row = &trailing_rows[t];
        long base = 0;
        if (row->rule == TO_DATE) {
            int32_t start = dfx_period_kind_info(row->period_kind)->start(end, end);
            base = dfx_last_value_before(v->dates, NULL, v->n, start, 0);
        } else if (row->rule == MONTHS_BACK) {
            out[t] = dfx_months_back_return(v->dates, v->levels, v->n, row->months, row->annualised);
            continue;
        }
        if (base < 0 || (size_t)base == last)
            continue;
        double from = v->levels[base], to = v->levels[last];
        out[t] = row->annualised ? cagr(from, to, years_between(v->dates[base], end)) : to / from - 1;
    }
}

double dfx_months_back_return(const int32_t *dates, const double *levels, size_t n, int months, int annualised)
{
    if (n == 0)
        return NAN;
    int32_t end = dates[n - 1];
    long base = dfx_last_value_before(dates, NULL, n, month_end_before(end, months), 1);
    if (base < 0 || (size_t)base == n - 1)
        return NAN;
    double from = levels[base], to = levels[n - 1];
    return annualised ? cagr(from, to, years_between(dates[base], end)) : to / from - 1;
}

/* ---- the calendar ------------------------------------------------------------------------------ */

/* Each year's months and the year from the month-end (year-end) values before them. */
static int fill_calendar(const values *v, const size_t *month_ends, size_t months, const size_t *year_ends,
                         size_t years, defidx_stats *s)
{
    s->calendar = calloc(years ? years : 1, sizeof *s->calendar);
    if (!s->calendar)
        return DEFIDX_ENOMEM;
    /* a first year that holds the first value alone (a base on 31 December) has no return at all */
    size_t skip = years > 1 && year_ends[0] == 0;
    s->year_count = years - skip;
    for (size_t k = skip; k < years; k++) {
        defidx_calendar_year *c = &s->calendar[k - skip];
        c->year = month_key(v->dates[year_ends[k]], 1);
        for (int m = 0; m < 12; m++)
            c->months[m] = NAN;
        size_t base = k ? year_ends[k - 1] : 0;
        c->year_return = year_ends[k] != base ? v->levels[year_ends[k]] / v->levels[base] - 1 : NAN;
    }
    size_t year = 0;
    for (size_t k = skip; k < months; k++) { /* that year's one month holds the first value alone */
        int key = month_key(v->dates[month_ends[k]], 0);
        while (s->calendar[year].year != key / 12)
            year++;
        size_t base = k ? month_ends[k - 1] : 0;
        if (month_ends[k] != base)
            s->calendar[year].months[key % 12] = v->levels[month_ends[k]] / v->levels[base] - 1;
    }
    return 0;
}

/* The share of r[0..n) above 0, NAN for none. */
static double share_positive(const double *r, size_t n)
{
    size_t up = 0;
    for (size_t k = 0; k < n; k++)
        up += r[k] > 0;
    return n ? (double)up / (double)n : NAN;
}

/* ---- the frequency ------------------------------------------------------------------------------ */

static int by_value(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* F from the median gap between values (the mean of the two middle ones for an even count, as
 * pandas takes it), and the frequency's name. 0 or DEFIDX_ENOMEM. */
static int infer_frequency(const values *v, double *F, const char **name)
{
    *F = frequencies[0].per_year;
    *name = frequencies[0].name;
    if (v->n < 2)
        return 0;
    size_t n = v->n - 1;
    int32_t *gaps = malloc(n * sizeof *gaps);
    if (!gaps)
        return DEFIDX_ENOMEM;
    for (size_t k = 0; k < n; k++)
        gaps[k] = v->dates[k + 1] - v->dates[k];
    qsort(gaps, n, sizeof *gaps, by_value);
    double median = n % 2 ? gaps[n / 2] : (gaps[n / 2 - 1] + gaps[n / 2]) / 2.0;
    free(gaps);
    for (size_t f = 0; f < sizeof frequencies / sizeof *frequencies; f++)
        if (median <= frequencies[f].most_days) {
            *F = frequencies[f].per_year;
            *name = frequencies[f].name;
            break;
        }
    return 0;
}

/* ---- the benchmark ----------------------------------------------------------------------------- */

static double covariance(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double mx = mean_of(x, n), my = mean_of(y, n), sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += (x[k] - mx) * (y[k] - my);
    return sum / (double)(n - 1);
}

/* PerformanceAnalytics' capture ratio (UpDownRatios, geometric): the index's compound return over
 * the periods where the benchmark rose (up 1) or did not (up 0), over the benchmark's. */
static double capture(const double *r, const double *b, size_t n, int up)
{
    double gr = 1, gb = 1;
    size_t count = 0;
    for (size_t k = 0; k < n; k++)
        if (up ? b[k] > 0 : b[k] <= 0) {
            gr *= 1 + r[k];
            gb *= 1 + b[k];
            count++;
        }
    return count && gb != 1 ? (gr - 1) / (gb - 1) : NAN;
}

/* The index's returns r and the benchmark's b on the dates both have a value, annualised with
 * given_F, or when 0 with the F of the common dates' gaps (a monthly benchmark makes the pairs
 * monthly, whatever the index's own frequency). */
static int compare_benchmark(const values *v, const values *bv, double given_F, double rf, defidx_benchmark_stats *b)
{
    size_t room = v->n < bv->n ? v->n : bv->n, n = 0;
    double *r = malloc((room ? room : 1) * 3 * sizeof *r);
    int32_t *common = malloc((room ? room : 1) * sizeof *common);
    if (!r || !common) {
        free(r);
        free(common);
        return DEFIDX_ENOMEM;
    }
    double *x = r + room, *diff = x + room;
    long before = -1, before_b = -1;
    for (size_t i = 0, j = 0; i < v->n && j < bv->n;) {
        if (v->dates[i] < bv->dates[j]) {
            i++;
        } else if (v->dates[i] > bv->dates[j]) {
            j++;
        } else {
            if (before >= 0) {
                r[n] = v->levels[i] / v->levels[before] - 1;
                x[n] = bv->levels[j] / bv->levels[before_b] - 1;
                diff[n] = r[n] - x[n];
                n++;
            }
            common[b->common_count++] = v->dates[i];
            before = (long)i++;
            before_b = (long)j++;
        }
    }
    values dates = {b->common_count, common, NULL};
    const char *name;
    double F = given_F;
    int rc = given_F > 0 ? 0 : infer_frequency(&dates, &F, &name);
    free(common);
    if (rc) {
        free(r);
        return rc;
    }
    b->periods_per_year = F;
    double var_b = covariance(x, x, n), cov = covariance(r, x, n), sd_r = sd_of(r, n);
    b->beta = var_b > 0 ? cov / var_b : NAN;
    b->correlation = var_b > 0 && sd_r > 0 ? cov / (sqrt(var_b) * sd_r) : NAN;
    b->tracking_error = sd_of(diff, n) * sqrt(F);
    b->information_ratio = b->tracking_error > 0 ? mean_of(diff, n) * F / b->tracking_error : NAN;
    b->alpha = n ? (mean_of(r, n) - rf / F - b->beta * (mean_of(x, n) - rf / F)) * F : NAN;
    b->up_capture = capture(r, x, n, 1);
    b->down_capture = capture(r, x, n, 0);
    free(r);
    return 0;
}

/* ---- all of it ----------------------------------------------------------------------------------- */

static int check_options(const defidx_stats_options *o, defidx_error *err)
{
    if (dfx_options_version(o->version, "stats options", err))
        return DEFIDX_EUSAGE;
    if (!(o->periods_per_year >= 0 && o->periods_per_year <= 100000))
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "periods per year must be from 0 (inferred) to 100000, not %g", o->periods_per_year);
    if (!(o->risk_free > -1 && o->risk_free < 10))
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "the risk-free rate must be a fraction above -1 and below 10, not %g", o->risk_free);
    return 0;
}

/* A series is dates that ascend and levels above 0 (or NAN: none), which every ratio needs. */
static int check_series(const defidx_level_series *s, const char *what, defidx_error *err)
{
    for (size_t k = 0; s && k < s->count; k++) {
        if (k > 0 && s->dates[k] <= s->dates[k - 1])
            return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "the %s's dates must ascend", what);
        if (!isnan(s->values[k]) && !(s->values[k] > 0 && isfinite(s->values[k])))
            return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "the %s's values must be above 0 and finite (NAN: none), not %g", what,
                                    s->values[k]);
    }
    return 0;
}

/* The figures of v into s, which is zeroed and has its options set. */
static int describe(const values *v, defidx_stats *s)
{
    size_t room = v->n ? v->n : 1;
    size_t *months = malloc(room * sizeof *months), *years = malloc(room * sizeof *years);
    size_t *all = malloc(room * sizeof *all);
    double *r = malloc(room * 2 * sizeof *r);
    int rc = !months || !years || !all || !r ? DEFIDX_ENOMEM : 0;
    if (!rc && v->n > 0) {
        for (size_t k = 0; k < v->n; k++)
            all[k] = k;
        double *excess = r + room, F = s->periods_per_year, rf = s->risk_free;
        size_t n = returns_at(v, all, v->n, r);
        s->period = risk_of(r, n, F, rf, excess);
        size_t month_count = period_ends(v, 0, months), year_count = period_ends(v, 1, years);
        n = returns_at(v, months, month_count, r);
        s->monthly = risk_of(r, n, 12, rf, excess);
        s->win_months = share_positive(r, n);
        n = returns_at(v, years, year_count, r);
        s->yearly = risk_of(r, n, 1, rf, excess);
        s->win_years = share_positive(r, n);
        double first = v->levels[0], last = v->levels[v->n - 1];
        s->total_return = v->n > 1 ? last / first - 1 : NAN;
        s->cagr = cagr(first, last, years_between(s->start, s->end));
        rc = find_drawdowns(v, s);
        s->calmar = s->max_drawdown < 0 ? s->cagr / fabs(s->max_drawdown) : NAN;
        trailing_returns(v, s->trailing);
        if (!rc)
            rc = fill_calendar(v, months, month_count, years, year_count, s);
    }
    free(months);
    free(years);
    free(all);
    free(r);
    return rc;
}

static void no_figures(defidx_stats *s)
{
    defidx_risk none = {0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    s->total_return = s->cagr = s->calmar = s->max_drawdown = NAN;
    s->avg_drawdown = s->avg_drawdown_days = s->win_months = s->win_years = NAN;
    s->period = s->monthly = s->yearly = none;
    for (int t = 0; t < DEFIDX_TRAILING_COUNT; t++)
        s->trailing[t] = s->benchmark.trailing[t] = NAN;
    defidx_benchmark_stats b = s->benchmark;
    b.start = b.end = DEFIDX_NO_DATE;
    b.periods_per_year = b.beta = b.correlation = b.tracking_error = b.information_ratio = b.alpha = NAN;
    b.up_capture = b.down_capture = NAN;
    s->benchmark = b;
}

int defidx_stats_compute(const defidx_level_series *series, const defidx_level_series *benchmark,
                         const defidx_stats_options *o, defidx_stats **out, defidx_error *err)
{
    defidx_stats_options defaults;
    *out = NULL;
    if (!o) {
        defidx_stats_options_init(&defaults);
        o = &defaults;
    }
    int rc = check_options(o, err);
    if (!rc)
        rc = check_series(series, "series", err);
    if (!rc)
        rc = check_series(benchmark, "benchmark", err);
    if (rc)
        return rc;
    defidx_stats *s = calloc(1, sizeof *s);
    values v = {0}, bv = {0};
    rc = !s ? DEFIDX_ENOMEM : take_values(series, DEFIDX_NO_DATE, o->end, &v);
    /* the benchmark over the same span: from its last value on or before the series' first */
    if (!rc && benchmark)
        rc = take_values(benchmark, v.n ? v.dates[0] : DEFIDX_NO_DATE, v.n ? v.dates[v.n - 1] : o->end, &bv);
    if (!rc) {
        no_figures(s);
        s->observations = v.n;
        s->start = v.n ? v.dates[0] : DEFIDX_NO_DATE;
        s->end = v.n ? v.dates[v.n - 1] : DEFIDX_NO_DATE;
        s->risk_free = o->risk_free;
        if (o->periods_per_year > 0) {
            s->periods_per_year = o->periods_per_year;
            s->frequency = "custom";
        } else {
            rc = infer_frequency(&v, &s->periods_per_year, &s->frequency);
        }
        if (!rc)
            rc = describe(&v, s);
    }
    if (!rc && benchmark) {
        s->has_benchmark = 1;
        s->benchmark.start = bv.n ? bv.dates[0] : DEFIDX_NO_DATE;
        s->benchmark.end = bv.n ? bv.dates[bv.n - 1] : DEFIDX_NO_DATE;
        rc = compare_benchmark(&v, &bv, o->periods_per_year, s->risk_free, &s->benchmark);
        /* its trailing returns beside the index's only over the same span: to the same end */
        if (bv.n && v.n && bv.dates[bv.n - 1] == v.dates[v.n - 1])
            trailing_returns(&bv, s->benchmark.trailing);
        if (!bv.n || !v.n || bv.dates[0] > v.dates[0]) /* it starts later: another span */
            s->benchmark.trailing[DEFIDX_TRAILING_INCEP] = NAN;
    }
    free_values(&v);
    free_values(&bv);
    if (rc) {
        defidx_stats_free(s);
        return defidx_error_set(err, rc, NULL, 0, 0, "out of memory");
    }
    *out = s;
    return 0;
}

void defidx_stats_free(defidx_stats *s)
{
    if (!s)
        return;
    free(s->drawdowns);
    free(s->calendar);
    free(s);
}

/* ---- rolling figures ---------------------------------------------------------------------------- */

int defidx_rolling(const defidx_level_series *series, size_t window, double periods_per_year, double *returns,
                   double *vols, defidx_error *err)
{
    if (window < 2 || window > 100000)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "a rolling window must be 2 to 100000 returns, not %zu",
                                window);
    if (!(periods_per_year >= 0 && periods_per_year <= 100000))
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "periods per year must be from 0 (inferred) to 100000, not %g", periods_per_year);
    int rc = check_series(series, "series", err);
    if (rc)
        return rc;
    values v = {0};
    size_t *at = malloc((series->count ? series->count : 1) * sizeof *at);
    double *r = malloc((series->count ? series->count : 1) * sizeof *r), F = periods_per_year;
    const char *name;
    rc = !at || !r ? DEFIDX_ENOMEM : take_values(series, DEFIDX_NO_DATE, DEFIDX_NO_DATE, &v);
    if (!rc && F == 0)
        rc = infer_frequency(&v, &F, &name);
    if (rc) {
        free(at);
        free(r);
        free_values(&v);
        return defidx_error_set(err, rc, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0, n = 0; k < series->count; k++) {
        returns[k] = vols[k] = NAN;
        if (isnan(series->values[k]))
            continue;
        at[n] = k; /* the n-th value is the series' k-th */
        if (n > 0)
            r[n - 1] = v.levels[n] / v.levels[n - 1] - 1;
        if (n >= window) {
            returns[k] = v.levels[n] / v.levels[n - window] - 1;
            /* directly over the window, not by running sums, whose cancellation loses digits */
            vols[k] = sd_of(r + n - window, window) * sqrt(F);
        }
        n++;
    }
    free(at);
    free(r);
    free_values(&v);
    return 0;
}
