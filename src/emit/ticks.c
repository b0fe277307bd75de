/* ticks.c: round ticks for a chart's axes, a level's and a date's, shared by the SVG chart
 * (chart.c) and the terminal's (term_chart.c). */
#include "emit/emit.h"

#include <stdio.h>

/* The multiples of step in [lo, hi] (a relative slack absorbs 0.1 + 0.2 style rounding). */
static void multiples(double lo, double hi, double step, long *first, long *last)
{
    *first = (long)ceil(lo / step - 1e-9);
    *last = (long)floor(hi / step + 1e-9);
}

/* Round ticks inside [lo, hi] (hi > lo): the largest step m * 10^k, m one of 5, 2.5, 2 and 1, that
 * leaves at least 4 ticks. At most 8 then follow: the next larger step is at most twice this one
 * and left 3 or fewer, so hi - lo < 8 steps. Taking the largest keeps the axis quiet: 87.3..261.2
 * gets 100, 150, 200, 250 rather than seven ticks 25 apart. */
void dfx_nice_ticks(double lo, double hi, dfx_level_ticks *t)
{
    static const double mantissa[] = {5, 2.5, 2, 1};
    int e = (int)floor(log10(hi - lo)) + 1;
    t->count = 0;
    for (int k = e; k > e - 4; k--)
        for (size_t m = 0; m < sizeof mantissa / sizeof mantissa[0]; m++) {
            double step = mantissa[m] * pow(10, k);
            long first, last;
            multiples(lo, hi, step, &first, &last);
            if (last - first + 1 < 4)
                continue;
            for (long i = first; i <= last && t->count < DFX_TICKS_MAX; i++)
                t->value[t->count++] = (double)i * step;
            int decimals = -k + (mantissa[m] == 2.5);
            t->decimals = decimals > 0 ? decimals : 0;
            return;
        }
}

static long floor_mod(long a, long b)
{
    long r = a % b;
    return r < 0 ? r + b : r;
}

/* The first date on or after d that starts a unit whose number is a multiple of step: a day, a
 * Monday, the first of a month or a January 1. Aligning to multiples (of days since the epoch,
 * weeks since the first Monday, months of the year, years) keeps the ticks of a longer span on
 * the same dates as those of a shorter one. */
static int32_t first_tick(int32_t d, int unit, int step)
{
    int y, m, dd;
    defidx_date_to_civil(d, &y, &m, &dd);
    switch (unit) {
    case DFX_UNIT_DAY:
        return d + (int32_t)floor_mod(-(long)d, step);
    case DFX_UNIT_WEEK: {
        int32_t monday = defidx_date_week_start(d);
        monday += monday < d ? 7 : 0;
        long week = (monday - 4) / 7; /* 1970-01-05, day 4, was a Monday */
        return monday + 7 * (int32_t)floor_mod(-week, step);
    }
    case DFX_UNIT_MONTH: {
        long months = (long)y * 12 + (m - 1) + (dd > 1);
        months += floor_mod(-months, step);
        return defidx_date_from_civil((int)(months / 12), (int)(months % 12) + 1, 1);
    }
    default: {
        long year = y + (m > 1 || dd > 1);
        year += floor_mod(-year, step);
        return defidx_date_from_civil((int)year, 1, 1);
    }
    }
}

/* The tick after t. */
static int32_t next_tick(int32_t t, int unit, int step)
{
    int y, m, d;
    defidx_date_to_civil(t, &y, &m, &d);
    switch (unit) {
    case DFX_UNIT_DAY:
        return t + step;
    case DFX_UNIT_WEEK:
        return t + 7 * step;
    case DFX_UNIT_MONTH: {
        long months = (long)y * 12 + (m - 1) + step;
        return defidx_date_from_civil((int)(months / 12), (int)(months % 12) + 1, 1);
    }
    default:
        return defidx_date_from_civil(y + step, 1, 1);
    }
}

/* Fills t with the ticks of unit and step in [lo, hi]; returns how many there are, counting no
 * further than one past what t holds. */
static int enumerate_ticks(int32_t lo, int32_t hi, int unit, int step, dfx_date_ticks *t)
{
    int n = 0;
    for (int32_t d = first_tick(lo, unit, step); d <= hi && n <= DFX_TICKS_MAX; d = next_tick(d, unit, step)) {
        if (n < DFX_TICKS_MAX)
            t->at[n] = d;
        n++;
    }
    t->count = n < DFX_TICKS_MAX ? n : DFX_TICKS_MAX;
    return n;
}

/* Date ticks for [lo, hi]: the unit from the span (years beyond two years, months beyond a
 * quarter, weeks beyond a fortnight, else days), then its smallest step that leaves at most 8. */
void dfx_choose_date_ticks(int32_t lo, int32_t hi, dfx_date_ticks *t)
{
    /* Indexed by unit; 10000 years is more than a date can span. */
    static const int steps_of[][14] = {{1, 2, 0},
                                       {1, 2, 4, 0},
                                       {1, 2, 3, 6, 0},
                                       {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 0}};
    int32_t span = hi - lo;
    t->unit = span >= 730 ? DFX_UNIT_YEAR : span >= 90 ? DFX_UNIT_MONTH : span >= 15 ? DFX_UNIT_WEEK : DFX_UNIT_DAY;
    const int *steps = steps_of[t->unit];
    for (size_t i = 0; steps[i]; i++)
        if (enumerate_ticks(lo, hi, t->unit, steps[i], t) <= 8 || !steps[i + 1])
            return;
}

void dfx_unflatten(double *lo, double *hi)
{
    if (*hi - *lo < 1e-9 * fabs(*hi) || *hi - *lo < 1e-12) {
        double half = fabs(*hi) * 0.01 > 0.5 ? fabs(*hi) * 0.01 : 0.5;
        *lo -= half;
        *hi += half;
    }
}

/* YYYY for years, YYYY-MM for months, MM-DD for weeks and days. */
void dfx_tick_date_text(int32_t date, int unit, char out[11])
{
    char iso[11];
    defidx_date_format(date, iso);
    if (unit == DFX_UNIT_YEAR)
        iso[4] = '\0';
    else if (unit == DFX_UNIT_MONTH)
        iso[7] = '\0';
    snprintf(out, 11, "%s", unit == DFX_UNIT_WEEK || unit == DFX_UNIT_DAY ? iso + 5 : iso);
}
