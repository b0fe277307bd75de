/* fastcsv.h: a fast reader of plain long price CSV lines (date,ticker,close and optionally
 * currency,shares,free_float), for a one-pass path that must give exactly the observations the
 * general loader (load_csv.c) gives, or decline so that the caller uses the general loader.
 *
 * The contract: a header or line is accepted (1) only when load_csv.c, with default load options,
 * reads it into exactly the same values without any warning or error; anything else is declined
 * (0: "not plain, use the general path"). Declining is always safe. What the reader cannot see
 * from one line is the caller's to check (see each function): that the header is the file's first
 * line, that every line of the file is accepted, the file's decimal mark (decimal_point_shown),
 * one currency per ticker, and repeated rows, which the panel reports whichever path read them. */
#ifndef DEFIDX_FASTCSV_H
#define DEFIDX_FASTCSV_H

#include "internal.h"

/* At most one column of each of the six roles, and no other column. */
#define DEFIDX_FASTCSV_MAX_COLUMNS 6

/* Column positions (0-based) of a plain long CSV header, -1 when absent. */
typedef struct dfx_fastcsv_layout {
    int columns;
    int date, ticker, close, currency, shares, free_float;
    unsigned char role[DEFIDX_FASTCSV_MAX_COLUMNS]; /* each column's role; fastcsv.c's own */
} dfx_fastcsv_layout;

/* Returns 1 and fills out when line (len bytes, no line end) is a plain comma-separated header of
 * the long shape: the canonical lowercase names date, ticker, close, currency, shares, free_float,
 * each at most once, date, ticker and close required, no other column, nothing else in the line
 * (no quotes, blanks, BOM, CR, empty name or trailing comma). Else 0; out is then unspecified.
 * The caller's part: line is the file's first line (no "sep=" line, no blank line before it),
 * and the file is read with default defidx_load_options (no delimiter, decimal mark, date format
 * or ticker given, price field close): only then does load_csv.c read it with these roles. */
int dfx_fastcsv_parse_header(const char *line, size_t len, dfx_fastcsv_layout *out);

/* One data line as the general loader reads it. */
typedef struct dfx_fastcsv_row {
    /* Laid out in 48 bytes. */
    double close, shares, free_float;          /* NAN when the column is absent */
    const char *ticker;                        /* points into the line, not NUL-terminated */
    const char *currency;                      /* into the line; NULL when there is no column */
    int32_t date;                              /* days since 1970-01-01 */
    unsigned char ticker_len;                  /* 1..63 */
    unsigned char currency_len;                /* 3, or 0 when there is no column */
    /* The decimal mark, which load_csv.c decides once per file from all numeric cells (observe,
     * mark_fits, decide_at_end), not per line. decimal_point_shown: a number of this line has a
     * '.' that can only be a decimal mark ("12.5", "0.125", "1.2345"). separator_ambiguous: a
     * number of this line has a '.' that load_csv.c also reads as a thousands separator
     * ("1.234", "999.500": 1 to 3 digits not starting with 0, '.', exactly 3 digits). The values
     * here are those of '.' as the mark, which load_csv.c uses exactly when some line of the file
     * shows it, or no line is ambiguous (no evidence: '.'); a file whose separated numbers are all
     * ambiguous is an error there. So the caller trusts the fast result only when
     * (any line's decimal_point_shown) || !(any line's separator_ambiguous). */
    unsigned char decimal_point_shown;
    unsigned char separator_ambiguous;
} dfx_fastcsv_row;

/* Returns 1 and fills out when line (len bytes, no line end) is a plain data row of layout:
 * exactly layout->columns comma-separated fields, none empty, quoted or holding a blank, CR or
 * NUL, and no trailing comma; the date YYYY-MM-DD and a real calendar day (years 0001-9999); the
 * ticker 1 to 63 bytes of [A-Za-z0-9._^=&-]; the currency 3 ASCII letters; close and shares above
 * 0 and free_float in (0, 1], each written digits[.digits] (no sign, exponent or missing marker)
 * with at most 15 significant digits, 22 decimals and 40 bytes, so that the value is exactly
 * defidx_number_parse's. Else 0; out is then unspecified. No allocation, locale or strtod. */
int dfx_fastcsv_parse_row(const dfx_fastcsv_layout *layout, const char *line, size_t len,
                             dfx_fastcsv_row *out);

/* The same for the line at line, which ends at the first "\n" or "\r\n", or at end: returns 1 and
 * sets *next past the line's end, or 0. Lets a reader of a block of lines parse each once,
 * without finding its end first. */
int dfx_fastcsv_parse_line(const dfx_fastcsv_layout *layout, const char *line, const char *end,
                              dfx_fastcsv_row *out, const char **next);

/* 1 when a parsed row's close is within the range of prices (DEFIDX_PRICE_MIN..MAX) that the
 * general reader takes; the parser reads any number, and a reader declines the line when this is
 * 0, for the general reader to refuse it at its place. */
static inline int dfx_fastcsv_close_in_range(const dfx_fastcsv_row *row)
{
    return row->close >= DEFIDX_PRICE_MIN && row->close <= DEFIDX_PRICE_MAX;
}

#endif
