/* currency.c: comparing quote currencies. A quote currency is an ISO code and a unit ("GBX" is
 * GBP in pence), so two spellings of one unit ("GBX", "GBp"; "eur", "EUR") are the same currency. */
#include "internal.h"

#include <string.h>

int defidx_currency_same(const char *a, const char *b)
{
    char iso_a[4], iso_b[4];
    double unit_a, unit_b;
    if (defidx_currency_unit(a, iso_a, &unit_a) || defidx_currency_unit(b, iso_b, &unit_b))
        return strcmp(a, b) == 0;
    return strcmp(iso_a, iso_b) == 0 && unit_a == unit_b;
}
