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

long cli_business_days_after(int32_t last, int32_t today)
{
    return defidx_date_business_days(last, today);
}

int cli_check_age(const defidx_result *r, const char *source, int max_age, defidx_error *err)
{
    if (max_age < 0 || r->date_count == 0)
        return 0;
    int32_t today, last = r->dates[r->date_count - 1];
    int rc = cli_today(&today, err);
    if (rc)
        return rc;
    long age = cli_business_days_after(last, today);
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
