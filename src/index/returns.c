/* returns.c: the return types (docs/methodology.md "Total return"), one row each with the part of a
 * cash dividend the index reinvests, and their names for --return and outputs. */
#include "index/returns.h"
#include "util/kind.h"

/* Net: what is left after withholding tax. */
static double net_dividend(double gross, double withholding)
{
    return gross * (1 - withholding);
}

/* Gross: all of it. */
static double gross_dividend(double gross, double withholding)
{
    (void)withholding;
    return gross;
}

/* One row per enum defidx_return. */
static const dfx_return_info returns[DEFIDX_RETURN_COUNT] = {
    [DEFIDX_RETURN_PRICE] = {"price", "price return", 1, NULL},
    [DEFIDX_RETURN_NET] = {"net", "net total return", 1, net_dividend},
    [DEFIDX_RETURN_GROSS] = {"gross", "gross total return", 1, gross_dividend},
    [DEFIDX_RETURN_ADJUSTED] = {"adjusted", "from adjusted closes, which carry the dividends", 0, NULL},
};

static const dfx_return_info unknown = {"unknown", "", 0, NULL};

const dfx_return_info *dfx_return_info_of(int return_type)
{
    return return_type >= 0 && return_type < DEFIDX_RETURN_COUNT ? &returns[return_type] : &unknown;
}

/* Only the return types an option may ask for: "adjusted" comes from the prices. */
int defidx_return_parse(const char *name)
{
    int r = dfx_kind_parse(name, defidx_return_name, 0, DEFIDX_RETURN_COUNT);
    return r >= 0 && returns[r].by_option ? r : -1;
}

const char *defidx_return_name(int return_type)
{
    return dfx_return_info_of(return_type)->name;
}
