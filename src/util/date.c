/* date.c: civil dates as days since 1970-01-01, ISO 8601 parsing, formatting and week numbers.
 * Pure arithmetic (Howard Hinnant's days_from_civil), so no mktime, time zone or locale is involved. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

int32_t defidx_date_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void defidx_date_to_civil(int32_t days, int *y, int *m, int *d)
{
    const int32_t z = days + 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)yoe + era * 400 + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int defidx_date_valid(int y, int m, int d)
{
    static const int days_in[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int last = days_in[m - 1] + (m == 2 && is_leap(y));
    return d <= last;
}

/* Reads n digits at s into *v; 0 when any is not a digit. */
static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

int defidx_date_parse(const char *text, size_t len, int32_t *out, defidx_error *err)
{
    int y, m, d;
    if (len != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 4, &y) ||
        !digits(text + 5, 2, &m) || !digits(text + 8, 2, &d))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "'%.*s' is not a date (expected YYYY-MM-DD)",
                                (int)(len > 40 ? 40 : len), text);
    if (!defidx_date_valid(y, m, d))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "'%.10s' is not a real calendar date", text);
    *out = defidx_date_from_civil(y, m, d);
    return 0;
}

int defidx_date_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (ISO weekday 4). */
    int w = (int)((days % 7 + 7 + 3) % 7); /* 0 = Monday */
    return w + 1;
}

long defidx_date_business_days(int32_t from, int32_t to)
{
    if (to <= from)
        return 0;
    /* Whole weeks hold five business days each; the rest is counted day by day. */
    long span = (long)to - from, weeks = span / 7, days = weeks * 5;
    for (int32_t d = from + 1 + (int32_t)(weeks * 7); d <= to; d++)
        days += defidx_date_weekday(d) <= 5;
    return days;
}

int32_t defidx_date_week_start(int32_t days)
{
    return days - (defidx_date_weekday(days) - 1);
}

void defidx_date_iso_week(int32_t days, int *iso_year, int *week)
{
    /* The ISO week belongs to the year of its Thursday. */
    int32_t thursday = defidx_date_week_start(days) + 3;
    int y, m, d;
    defidx_date_to_civil(thursday, &y, &m, &d);
    int32_t jan1 = defidx_date_from_civil(y, 1, 1);
    *iso_year = y;
    *week = (int)((thursday - jan1) / 7 + 1);
}

void defidx_date_format(int32_t days, char out[11])
{
    int y, m, d;
    if (days == DEFIDX_NO_DATE) {
        out[0] = '\0';
        return;
    }
    defidx_date_to_civil(days, &y, &m, &d);
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

static const char *const month_names[12] = {"january", "february", "march", "april", "may", "june",
                                            "july", "august", "september", "october", "november",
                                            "december"};

/* Reads 1..max digits at *s (advancing it); -1 when there is none. exact: exactly max digits. */
static int read_digits(const char **s, const char *end, int max, int exact)
{
    int v = 0, n = 0;
    while (*s < end && n < max && **s >= '0' && **s <= '9') {
        v = v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n == 0 || (exact && n != max) ? -1 : v;
}

/* Reads an English month name at *s: the abbreviation (3 letters) or, when full, the whole name;
 * case-insensitive. Returns 1..12, or -1. */
static int read_month_name(const char **s, const char *end, int full)
{
    for (int m = 0; m < 12; m++) {
        size_t n = full ? strlen(month_names[m]) : 3, i = 0;
        while (i < n && *s + i < end && ((*s)[i] | 0x20) == month_names[m][i])
            i++;
        if (i == n) {
            *s += n;
            return m + 1;
        }
    }
    return -1;
}

/* The last year a two-digit year (%y) may name: a constant, never the clock, so that a file reads
 * the same whenever it is run; raised with a release, never past the year of that release. */
#define DFX_TWO_DIGIT_YEAR_LAST 2026

/* A two-digit year's window, which never reaches into the future: 00..26 are 2000..2026, 50..99
 * are 1950..1999, and 27..49 (2027 on, or 1927..1949: neither is safe to guess) are refused, -1,
 * as is a missing field (yy < 0). */
static int two_digit_year(int yy)
{
    if (yy < 0)
        return -1;
    if (2000 + yy <= DFX_TWO_DIGIT_YEAR_LAST)
        return 2000 + yy;
    return yy >= 50 ? 1900 + yy : -1;
}

int defidx_date_parse_format(const char *text, size_t len, const char *fmt, int32_t *out)
{
    const char *s = text, *end = text + len;
    int y = -1, m = -1, d = -1;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (s >= end || *s != *f)
                return DEFIDX_EDATA;
            s++;
            continue;
        }
        switch (*++f) {
        case 'Y': y = read_digits(&s, end, 4, 1); break;
        case 'y': y = two_digit_year(read_digits(&s, end, 2, 1)); break;
        case 'm': m = read_digits(&s, end, 2, 0); break;
        case 'd': case 'e': d = read_digits(&s, end, 2, 0); break;
        case 'b': case 'h': m = read_month_name(&s, end, 0); break;
        case 'B': m = read_month_name(&s, end, 1); break;
        case '%':
            if (s >= end || *s++ != '%')
                return DEFIDX_EDATA;
            continue;
        default: return DEFIDX_EDATA; /* includes a lone % at the end */
        }
        if (strchr("Yy", *f) ? y < 0 : strchr("mbhB", *f) ? m < 0 : d < 0)
            return DEFIDX_EDATA; /* the field was not there */
    }
    if (s != end || y < 0 || m < 0 || d < 0 || !defidx_date_valid(y, m, d))
        return DEFIDX_EDATA;
    *out = defidx_date_from_civil(y, m, d);
    return 0;
}

int defidx_date_format_check(const char *fmt, char *bad, size_t size)
{
    int year = 0, month = 0, day = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%')
            continue;
        char c = *++f;
        if (c == 'Y' || c == 'y')
            year++;
        else if (c == 'm' || c == 'b' || c == 'h' || c == 'B')
            month++;
        else if (c == 'd' || c == 'e')
            day++;
        else if (c != '%') {
            snprintf(bad, size, c ? "%%%c is not a date field (use %%Y %%y %%m %%d %%b %%B)" : "a lone %% at the end", c);
            return DEFIDX_EUSAGE;
        }
    }
    if (year != 1 || month != 1 || day != 1) {
        snprintf(bad, size, "needs exactly one year (%%Y or %%y), one month (%%m, %%b or %%B) and one day (%%d)");
        return DEFIDX_EUSAGE;
    }
    return 0;
}
