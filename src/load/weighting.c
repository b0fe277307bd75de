/* weighting.c: the weightings (docs/methodology.md "Weighting"), one row each with its quantity
 * rule, and their names for index definitions, --weighting and outputs. */
#include "load/weighting.h"
#include "util/kind.h"

/* Free-float market cap: shares times free float (1 when not known). */
static double ffmcap_quantity(const dfx_weigh_input *in)
{
    return !isnan(in->free_float) ? in->shares * in->free_float : in->shares;
}

/* Market cap: every share. */
static double mcap_quantity(const dfx_weigh_input *in)
{
    return in->shares;
}

/* Equal: the same value of every constituent at the review. */
static double equal_quantity(const dfx_weigh_input *in)
{
    return 1 / in->price;
}

/* Price: one share of each, so that a dearer share weighs more. */
static double price_quantity(const dfx_weigh_input *in)
{
    (void)in;
    return 1;
}

/* Fixed: the definition's weight at the review; none for a constituent it does not list. */
static double fixed_quantity(const dfx_weigh_input *in)
{
    return in->listed ? in->listed->weight / in->price : 0;
}

/* One row per enum defidx_weighting. */
static const dfx_weighting_info weightings[DEFIDX_WEIGHT_COUNT] = {
    /* what no choice means: ffmcap when every constituent has a share count, else equal */
    [DEFIDX_WEIGHT_DEFAULT] = {"default", "free-float market cap when shares are known, else equal", 0, 1, 0, NULL},
    [DEFIDX_WEIGHT_FFMCAP] = {"ffmcap", "free-float market capitalisation", 1, 1, 0, ffmcap_quantity},
    [DEFIDX_WEIGHT_MCAP] = {"mcap", "market capitalisation", 1, 1, 0, mcap_quantity},
    [DEFIDX_WEIGHT_EQUAL] = {"equal", "equal weights at each review", 0, 1, 0, equal_quantity},
    [DEFIDX_WEIGHT_PRICE] = {"price", "price weighting (one share each)", 0, 0, 0, price_quantity},
    [DEFIDX_WEIGHT_FIXED] = {"fixed", "the definition's weights at each review", 0, 1, 1, fixed_quantity},
};

/* What a value that is no weighting gets: no rule, so the engine refuses to weigh with it. */
static const dfx_weighting_info unknown = {"unknown", "", 0, 1, 0, NULL};

const dfx_weighting_info *dfx_weighting_info_of(int weighting)
{
    return weighting >= 0 && weighting < DEFIDX_WEIGHT_COUNT ? &weightings[weighting] : &unknown;
}

/* The default is what no choice means, so it is not a name one can give. */
int defidx_weighting_parse(const char *name)
{
    return dfx_kind_parse(name, defidx_weighting_name, DEFIDX_WEIGHT_DEFAULT + 1, DEFIDX_WEIGHT_COUNT);
}

const char *defidx_weighting_name(int weighting)
{
    return dfx_weighting_info_of(weighting)->name;
}
