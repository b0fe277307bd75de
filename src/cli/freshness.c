/* freshness.c: see freshness.h. */
#define _POSIX_C_SOURCE 200809L
#include "freshness.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int cli_today(int32_t *today, defidx_error *err)
{
    const char *pinned = getenv("DEFIDX_TODAY");
    if (pinned && *pinned) {
        if (defidx_date_parse(pinned, strlen(pinned), today, NULL))
            return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "DEFIDX_TODAY: '%s' is not a date (hint: YYYY-MM-DD)", pinned);
        return 0;
    }
    time_t now = time(NULL);
    struct tm local;
    if (now == (time_t)-1 || !localtime_r(&now, &local))
        return defidx_error_set(err, DEFIDX_EINTERNAL, NULL, 0, 0, "cannot read the clock");
    *today = defidx_date_from_civil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
    return 0;
}

int cli_check_age(const defidx_result *r, const char *source, int max_age, defidx_error *err)
{
    if (max_age < 0 || r->date_count == 0)
        return 0;
    int32_t today, last = r->dates[r->date_count - 1];
    int rc = cli_today(&today, err);
    if (rc)
        return rc;
    /* Holidays count: defidx knows no exchange calendar, so a long weekend makes data look a day
     * older than it is, which --max-age's N absorbs. */
    long age = defidx_date_business_days(last, today);
    if (age <= max_age)
        return 0;
    char last_text[11], today_text[11];
    defidx_date_format(last, last_text);
    defidx_date_format(today, today_text);
    return defidx_error_set(err, CLI_ESTALE, source, 0, 0,
                            "the prices end on %s, %ld business day%s before today (%s); --max-age allows %d "
                            "(hint: has the download job run? nothing was written)",
                            last_text, age, age == 1 ? "" : "s", today_text, max_age);
}

/* The stale constituents named in the message; the report's banner names them all. */
#define STALE_NAMED 8

int cli_check_stale(const defidx_result *r, int report, defidx_error *err)
{
    if (r->stale_constituents == 0)
        return 0;
    char names[512] = "", as_of[11];
    size_t used = 0, named = 0;
    for (size_t i = 0; i < r->constituent_count && named < STALE_NAMED; i++) {
        const defidx_constituent *k = &r->constituents[i];
        if (!k->stale)
            continue;
        char date[11];
        defidx_date_format(k->price_date, date);
        int n = snprintf(names + used, sizeof names - used, "%s%s (%s)", named ? ", " : "", k->ticker, date);
        if (n < 0 || (size_t)n >= sizeof names - used)
            break;
        used += (size_t)n;
        named++;
    }
    if (named < r->stale_constituents)
        snprintf(names + used, sizeof names - used, " and %zu more", r->stale_constituents - named);
    defidx_date_format(r->as_of, as_of);
    return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                            "%zu stale price%s, carried more than %d business day%s to %s: %s%s "
                            "(hint: update the price files, or allow longer gaps with --max-gap N)",
                            r->stale_constituents, r->stale_constituents == 1 ? "" : "s", r->max_gap,
                            r->max_gap == 1 ? "" : "s", as_of, names,
                            report ? "; the report is written and says so" : "");
}
