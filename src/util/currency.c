/* currency.c: quote currencies. A quote currency is an ISO code and a unit ("GBX" is GBP in pence),
 * so two spellings of one unit ("GBX", "GBp"; "eur", "EUR") are the same currency. Where neither a
 * definition nor a price file says, a ticker's exchange suffix as Yahoo writes it does. */
#include "internal.h"

#include <string.h>

int dfx_currency_same(const char *a, const char *b)
{
    char iso_a[4], iso_b[4];
    double unit_a, unit_b;
    if (defidx_currency_unit(a, iso_a, &unit_a) || defidx_currency_unit(b, iso_b, &unit_b))
        return strcmp(a, b) == 0;
    return strcmp(iso_a, iso_b) == 0 && unit_a == unit_b;
}

int defidx_currency_unit(const char *code, char iso[4], double *unit)
{
    /* Minor units quoted by exchanges: pence (London), cents (Johannesburg), agorot (Tel Aviv), in
     * any case ("gbx" is pence too); "GBp" is Yahoo's spelling of pence, while "gbp" is pounds. */
    static const struct { const char *code, *iso; double unit; } minor[] = {
        {"GBX", "GBP", 0.01}, {"ZAC", "ZAR", 0.01}, {"ILA", "ILS", 0.01}};
    int pence = strcmp(code, "GBp") == 0;
    for (size_t i = 0; i < sizeof minor / sizeof minor[0]; i++)
        if (pence ? i == 0 : dfx_ascii_ieq(code, strlen(code), minor[i].code)) {
            memcpy(iso, minor[i].iso, 4);
            *unit = minor[i].unit;
            return 0;
        }
    if (strlen(code) != 3)
        return DEFIDX_EDATA;
    for (int i = 0; i < 3; i++) {
        char c = code[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return DEFIDX_EDATA;
        iso[i] = c;
    }
    iso[3] = '\0';
    *unit = 1;
    return 0;
}

/* Yahoo's exchange suffixes, the currency prices there are quoted in (London quotes in pence) and
 * the exchange's country (ISO 3166 alpha-2), which a constituent's country defaults to. */
static const struct {
    const char *suffix;
    const char *currency;
    const char *country;
} exchange_suffixes[] = {
    {".L", "GBX", "GB"},  {".ST", "SEK", "SE"}, {".OL", "NOK", "NO"}, {".CO", "DKK", "DK"},
    {".SW", "CHF", "CH"}, {".PA", "EUR", "FR"}, {".DE", "EUR", "DE"}, {".F", "EUR", "DE"},
    {".MI", "EUR", "IT"}, {".AS", "EUR", "NL"}, {".MC", "EUR", "ES"}, {".BR", "EUR", "BE"},
    {".HE", "EUR", "FI"}, {".VI", "EUR", "AT"}, {".LS", "EUR", "PT"}, {".IR", "EUR", "IE"},
    {".WA", "PLN", "PL"}, {".PR", "CZK", "CZ"},
};
#define SUFFIX_COUNT (sizeof exchange_suffixes / sizeof exchange_suffixes[0])

/* The row of the ticker's suffix in exchange_suffixes; past its end when it has none listed. */
static size_t suffix_row(const char *ticker)
{
    const char *dot = strrchr(ticker, '.');
    for (size_t i = 0; dot && dot != ticker && i < SUFFIX_COUNT; i++)
        if (strcmp(dot, exchange_suffixes[i].suffix) == 0)
            return i;
    return SUFFIX_COUNT;
}

const char *defidx_country_of_ticker(const char *ticker)
{
    size_t i = suffix_row(ticker);
    return i < SUFFIX_COUNT ? exchange_suffixes[i].country : NULL;
}

const char *defidx_currency_of_ticker(const char *ticker, const char **suffix)
{
    const char *dot = strrchr(ticker, '.'), *equals = strrchr(ticker, '=');
    *suffix = "";
    if (ticker[0] == '^') { /* an index level ("^GDAXI"): points, in no currency of its own */
        *suffix = "^";
        return NULL;
    }
    if (equals) { /* an FX pair ("EURGBP=X") or a future ("BZ=F") */
        *suffix = equals;
        return NULL;
    }
    if (!dot || dot == ticker)
        return "USD"; /* Yahoo writes US listings without a suffix */
    size_t i = suffix_row(ticker);
    if (i < SUFFIX_COUNT) {
        *suffix = exchange_suffixes[i].suffix;
        return exchange_suffixes[i].currency;
    }
    *suffix = dot;
    return NULL;
}
