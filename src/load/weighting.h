/* weighting.h: the weightings (enum defidx_weighting), one row each: the name an index definition
 * and --weighting give, what the weighting needs and how corporate actions move its quantities,
 * and its quantity rule. The engine weighs every constituent through the row; a new weighting is
 * one row and one quantity function in weighting.c. */
#ifndef DEFIDX_WEIGHTING_H
#define DEFIDX_WEIGHTING_H

#include "internal.h"

/* What a quantity rule may use for one constituent at a review or rebalance. */
typedef struct dfx_weigh_input {
    double price;                 /* its price in the index currency, a number */
    double shares;                /* its share count (a rule with uses_shares only; else NAN) */
    double free_float;            /* its free float, NAN when not known (likewise) */
    const defidx_member *listed;  /* its entry in the index definition's list, NULL when none */
} dfx_weigh_input;

/* One weighting. */
typedef struct dfx_weighting_info {
    const char *name;     /* "ffmcap", as definitions, --weighting and outputs write it */
    const char *label;    /* for people: "free-float market capitalisation" */
    int uses_shares;      /* 1: quantities are share counts, which every constituent needs; a
                             rights issue adds shares to them */
    int follows_splits;   /* 1: a split multiplies the quantity by its ratio (the weight stays);
                             0: the quantity stays (a price-weighted index) */
    int needs_weights;    /* 1: every constituent needs a weight in the index definition */
    /* The quantity q of a constituent, whose weight is then q p / sum q p; NULL for the default,
     * which the engine resolves to a weighting before it weighs. */
    double (*quantity)(const dfx_weigh_input *in);
} dfx_weighting_info;

/* The row of a weighting (DEFIDX_WEIGHT_DEFAULT included); a value that is none gets a row named
 * "unknown" without a quantity rule. */
const dfx_weighting_info *dfx_weighting_info_of(int weighting);

#endif
