/* returns.h: the return types (enum defidx_return), one row each: the name options and outputs
 * give, whether --return may name it, and how much of a cash dividend the index reinvests. A new
 * return type is one row and one function in returns.c. */
#ifndef DEFIDX_RETURNS_H
#define DEFIDX_RETURNS_H

#include "internal.h"

/* One return type. */
typedef struct dfx_return_info {
    const char *name;  /* "net", as --return and outputs write it */
    const char *label; /* for people: "net total return" */
    int by_option;     /* 1: defidx_options.return_type may ask for it; 0: the prices decide it
                          (adjusted closes are an "adjusted" return) */
    /* The amount per share of a cash dividend the index reinvests, from its gross amount and the
     * withholding rate (0 when not given); NULL when the index reinvests none (a price return, or
     * closes that carry the dividends already). */
    double (*reinvested)(double gross, double withholding);
} dfx_return_info;

/* The row of a return type; a value that is none gets a row named "unknown" that no option may
 * ask for. */
const dfx_return_info *dfx_return_info_of(int return_type);

#endif
