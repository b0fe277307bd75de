/* number.c: decimal numbers in and out, always with '.' as the decimal mark.
 * Parsing is the hot path of the loaders, so plain decimals are converted exactly without strtod
 * (Clinger's fast path: an integer mantissa below 2^53 times an exact power of ten is correctly
 * rounded); anything longer falls back to strtod in the C locale. */
#define _GNU_SOURCE /* newlocale/uselocale/strtod_l */
#include "internal.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The C locale object, created once, by whichever thread first needs it (the one-pass reader
 * parses on two), and kept: an object for the lifetime of the process is not a leak. */
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale_object = (locale_t)0;

static void make_c_locale(void)
{
    c_locale_object = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale_object;
}

/* Checks the syntax [+-]digits[.digits][(e|E)[+-]digits] and returns 1 when text is a number. */
static int well_formed(const char *s, size_t len)
{
    size_t i = 0, mant = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, mant++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, mant++;
    }
    if (mant == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, e++;
        if (e == 0)
            return 0;
    }
    return i == len;
}

int defidx_number_parse(const char *s, size_t len, double *out)
{
    if (len == 0 || !well_formed(s, len))
        return DEFIDX_EDATA;
    size_t i = 0;
    int negative = 0;
    if (s[i] == '+' || s[i] == '-')
        negative = s[i++] == '-';
    uint64_t mantissa = 0;
    int ndigits = 0, scale = 0, after_dot = 0;
    for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.') {
            after_dot = 1;
            continue;
        }
        if (ndigits > 0 || s[i] != '0') { /* leading zeros carry no precision */
            if (++ndigits > 19)
                goto slow;
            mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
        }
        scale += after_dot;
    }
    if (i < len)
        goto slow; /* exponent: rare in price files */
    if (mantissa < (1ULL << 53) && scale <= 22) {
        double v = (double)mantissa / exact_pow10[scale];
        *out = negative ? -v : v;
        return 0;
    }
slow:;
    /* Digits past the 400th cannot change a double; a longer text (a field holds up to 64 KiB) is
     * copied to the heap all the same, so that 400 digits of an integer read as the number they
     * are, too large (infinity: "out of range" to the caller), not as something else. */
    char small[401], *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf)
        return DEFIDX_ENOMEM;
    memcpy(buf, s, len);
    buf[len] = '\0';
    locale_t loc = c_locale();
    double v = loc ? strtod_l(buf, NULL, loc) : strtod(buf, NULL);
    if (buf != small)
        free(buf);
    *out = v;
    return 0;
}

/* Runs snprintf in the C locale so that a host program's setlocale cannot change the mark. */
static int format_c(char *buf, size_t size, int fixed, int precision, double x)
{
    locale_t loc = c_locale();
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    int n = fixed ? snprintf(buf, size, "%.*f", precision, x) : snprintf(buf, size, "%.*g", precision, x);
    if (loc)
        uselocale(old);
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return n >= (int)size ? (int)size - 1 : n;
}

int defidx_number_format(double x, int digits, char *buf, size_t size)
{
    if (!isfinite(x)) {
        buf[0] = '\0';
        return 0;
    }
    if (x == 0)
        x = 0; /* no "-0" */
    return format_c(buf, size, 0, digits, x);
}

int defidx_number_fixed(double x, int decimals, char *buf, size_t size)
{
    if (!isfinite(x)) {
        buf[0] = '\0';
        return 0;
    }
    int n = format_c(buf, size, 1, decimals, x);
    /* "-0.00" reads as a loss where there is none. */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) {
        memmove(buf, buf + 1, (size_t)n);
        n--;
    }
    return n;
}

int dfx_number_exact(double x, char *buf, size_t size)
{
    /* %g keeps to plain notation below 10^15 and drops trailing zeros, so 15 digits give back
     * what a file wrote with up to 15 (98.910004); float noise needs 16 or 17. */
    for (int digits = 15; digits < 17; digits++) {
        int n = defidx_number_format(x, digits, buf, size);
        double back;
        if (n > 0 && defidx_number_parse(buf, (size_t)n, &back) == 0 && back == x)
            return n;
    }
    return defidx_number_format(x, 17, buf, size);
}

int dfx_missing_marker(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    if ((*s >= '0' && *s <= '9') || n > 4)
        return 0; /* the usual price, quickly */
    static const char *const markers[] = {"null", "n/a", "na", "#n/a", "-", "nan"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (dfx_ascii_ieq(s, n, markers[i]))
            return 1;
    return 0;
}
