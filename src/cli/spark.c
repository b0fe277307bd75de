/* spark.c: see spark.h. */
#include "spark.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_utf8_locale(void)
{
    const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v && *v) /* the first one set decides, as setlocale would */
            return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
    }
    return 0;
}

/* The index of the as-of date in r->dates, and so the end of the window. */
static size_t as_of_end(const defidx_result *r)
{
    size_t end = 0;
    while (end < r->date_count && r->dates[end] <= r->as_of)
        end++;
    return end;
}

/* Constituent ticker's closes on dates[0..n), the last close carried over a missing day. */
static void closes_on(const defidx_panel *p, long ticker, const int32_t *dates, size_t n, double *out)
{
    size_t count = defidx_panel_date_count(p), i = 0;
    double last = NAN;
    for (size_t k = 0; k < n; k++) {
        for (; i < count && defidx_panel_date(p, i) <= dates[k]; i++)
            if (ticker >= 0 && !isnan(defidx_panel_price(p, (size_t)ticker, i)))
                last = defidx_panel_price(p, (size_t)ticker, i);
        out[k] = last;
    }
}

static char *sparkline(const double *values, size_t n, int ascii)
{
    size_t size = n * 3 + 1; /* a UTF-8 block character is 3 bytes */
    char *s = malloc(size);
    if (s)
        defidx_sparkline(values, n, ascii, s, size);
    return s;
}

int cli_sparks(const defidx_result *r, const defidx_panel *p, size_t days, int ascii, char ***out,
               defidx_error *err)
{
    size_t end = as_of_end(r), start = end > days ? end - days : 0, n = end - start;
    size_t count = 1 + r->constituent_count;
    char **sparks = calloc(count, sizeof *sparks);
    double *values = malloc((n ? n : 1) * sizeof *values);
    int rc = sparks && values ? 0 : DEFIDX_ENOMEM;
    if (!rc && !(sparks[0] = sparkline(r->levels + start, n, ascii)))
        rc = DEFIDX_ENOMEM;
    for (size_t k = 0; !rc && k < r->constituent_count; k++) {
        closes_on(p, defidx_panel_find(p, r->constituents[k].ticker), r->dates + start, n, values);
        if (!(sparks[1 + k] = sparkline(values, n, ascii)))
            rc = DEFIDX_ENOMEM;
    }
    free(values);
    if (rc) {
        cli_sparks_free(sparks, sparks ? count : 0);
        return defidx_error_set(err, rc, NULL, 0, 0, "out of memory");
    }
    *out = sparks;
    return 0;
}

void cli_sparks_free(char **sparks, size_t count)
{
    for (size_t k = 0; sparks && k < count; k++)
        free(sparks[k]);
    free(sparks);
}
