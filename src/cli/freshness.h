/* freshness.h: --max-age, how old the data may be before a cron job should say so (exit 75), and
 * the stale prices a report is written with but fails on (exit 65). */
#ifndef DEFIDX_CLI_FRESHNESS_H
#define DEFIDX_CLI_FRESHNESS_H

#include "defidx.h"

/* The CLI's own status beside the library's: the data is older than --max-age (exit 75). */
#define CLI_ESTALE (-100)

/* Today's date: the environment variable DEFIDX_TODAY (YYYY-MM-DD; for tests and backfills) when
 * set, else the local clock's date, as cron sees it. 0, or DEFIDX_EUSAGE with err filled. */
int cli_today(int32_t *today, defidx_error *err);

/* 0 when the result's last date is at most max_age business days before today, else CLI_ESTALE
 * with err saying so (source: the price file, for the message). */
int cli_check_age(const defidx_result *r, const char *source, int max_age, defidx_error *err);

/* 0 when no constituent's price is stale (carried more than max_gap business days to the as-of
 * date), else DEFIDX_EDATA with err naming them (the first few and how many more) and saying that
 * the bundle was written. */
int cli_check_stale(const defidx_result *r, int report, defidx_error *err);

#endif
