/* periods.h: the kinds of period a result reports, one row each (name, labels, where the period
 * starts, how its base is found, what reports show of it), and the rules the engine's index and
 * constituent returns find their bases with. A new period is one row of periods.c. */
#ifndef DEFIDX_PERIODS_H
#define DEFIDX_PERIODS_H

#include "internal.h"

/* A kind of period (enum defidx_period_kind): its row. */
typedef struct dfx_period_info {
    const char *name;       /* "wtd"; a kind with one period per date names each "since:D" */
    const char *label;      /* for people: "Week to date"; "Since" before a date */
    const char *card_label; /* for people where the base date is written below it: "Week" */
    /* The first date of the period reported on date `on`: Monday of its ISO week for wtd, the 1st
     * of its month for mtd, `on` itself for 1d; a kind with one period per date returns `date`,
     * the period's own date. The base rule and the engine's crossing test are both this. */
    int32_t (*start)(int32_t on, int32_t date);
    int base_on_start;      /* 1: the base is the close on the start date (or the last before it);
                               0: the last close before the start date */
    int one_per_date;       /* 1: one period per --since date; 0: one period */
    int shows_contribution; /* 1: the reports for people give its contribution a column */
    int marked_on_chart;    /* 1: charts draw a marker at its base date */
} dfx_period_info;

/* The row of a kind; an unknown kind gets a row with empty names and no flags set. */
const dfx_period_info *dfx_period_kind_info(int kind);

/* One period of a run: its kind and, for a kind with one period per date, that date. */
typedef struct dfx_period_rule {
    int kind;
    int32_t date;
    char name[24]; /* "wtd", "since:2022-02-23" */
} dfx_period_rule;

/* Index of the last k with dates[k] < bound (<= when inclusive) and values[k] not NAN (values may
 * be NULL: every date has a value); -1 when there is none. dates ascending. */
long dfx_last_value_before(const int32_t *dates, const double *values, size_t n, int32_t bound,
                              int inclusive);

/* How many periods a run with since_count since dates reports: one per kind, and one per date of
 * each kind with one period per date. */
size_t dfx_period_count(size_t since_count);

/* Fills rules with the periods in the order of the kinds' rows, each kind with one period per date
 * once per since date; returns how many (at most capacity). */
size_t dfx_period_plan(const int32_t *since, size_t since_count, dfx_period_rule *rules,
                          size_t capacity);

/* The first date after the base of the period reported on `on`: its base is the last close
 * before this date. */
int32_t dfx_period_cut(const dfx_period_rule *rule, int32_t on);

/* 1 when the period reported on `on` starts after it (a since date later than the as-of date):
 * it describes nothing. */
int dfx_period_starts_after(const dfx_period_rule *rule, int32_t on);

/* 1 when a pass from the date `before` to the next date `today` crosses the start of the period
 * reported on `today`: the closes of `before` are that period's base. */
int dfx_period_crossed(const dfx_period_rule *rule, int32_t before, int32_t today);

/* The base index of a period reported on as_of, on a series, or -1. */
long dfx_period_base(const dfx_period_rule *rule, int32_t as_of, const int32_t *dates,
                        const double *values, size_t n);

/* Fills out from a base index (-1: null period). */
void dfx_period_fill(defidx_period *out, const dfx_period_rule *rule, long base,
                        const int32_t *dates, const double *values, double value_at_as_of);

#endif
