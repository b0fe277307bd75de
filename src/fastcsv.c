/* fastcsv.c: plain long price CSV lines read in one pass, without libcsv, allocation or strtod,
 * for lines whose reading by load_csv.c is certain; every other line is declined. The rules below
 * are load_csv.c's (and csv_reader.c's, number.c's, date.c's) narrowed to what cannot differ. */
#include "fastcsv.h"

#include <string.h>

/* The roles of a column, in the order of fastcsv_names. */
enum role { ROLE_DATE, ROLE_TICKER, ROLE_CLOSE, ROLE_CURRENCY, ROLE_SHARES, ROLE_FREE_FLOAT, ROLE_COUNT };

/* Only defidx's own names, lowercase as docs/formats.md writes them: load_csv.c's column_of also takes
 * other cases, blanks and other sites' names, each with rules about ranks and repeats; declining
 * those costs nothing, since such files are not the common fast input. */
static const char *const fastcsv_names[ROLE_COUNT] = {"date",     "ticker", "close",
                                                      "currency", "shares", "free_float"};

/* The number readers, inlined into the loop over a row's fields: called for two or three fields
 * of every row, their calls (and the mantissa kept in memory across them) cost more than their
 * work (12% of the medium benchmark's time). */
#if defined(__GNUC__)
#define HOT inline __attribute__((always_inline))
#else
#define HOT inline
#endif

#define TICKER_MAX 63 /* load_csv.c's: a longer ticker is an error there */
#define NUMBER_MAX 40 /* far below number.c's 400 bytes; only leading zeros could reach it */
#define DIGITS_MAX 15 /* a mantissa below 10^15 < 2^53: an exact double */
#define SCALE_MAX 22  /* 10^22 is the largest power of ten a double holds exactly */

/* Powers of ten that doubles hold exactly: number.c's table, so the division is the same. */
static const double exact_pow10[SCALE_MAX + 1] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The role of a header name (n bytes), or -1. */
static int role_of(const char *s, size_t n)
{
    for (int r = 0; r < ROLE_COUNT; r++)
        if (strlen(fastcsv_names[r]) == n && memcmp(s, fastcsv_names[r], n) == 0)
            return r;
    return -1;
}

int defidx_fastcsv_parse_header(const char *line, size_t len, defidx_fastcsv_layout *out)
{
    int at[ROLE_COUNT];
    for (int r = 0; r < ROLE_COUNT; r++)
        at[r] = -1;
    int k = 0;
    for (size_t i = 0;; i++) {
        size_t start = i;
        while (i < len && line[i] != ',')
            i++;
        int r = role_of(line + start, i - start);
        /* A repeated role is an error in read_header; an unknown name is a column the long shape
         * ignores, and a BOM, blank or quote makes the name unknown here. */
        if (r < 0 || at[r] >= 0 || k == DEFIDX_FASTCSV_MAX_COLUMNS)
            return 0;
        at[r] = k;
        out->role[k++] = (unsigned char)r;
        if (i == len)
            break;
    }
    /* read_header: date is required, a ticker column makes the long shape, which needs close. */
    if (at[ROLE_DATE] < 0 || at[ROLE_TICKER] < 0 || at[ROLE_CLOSE] < 0)
        return 0;
    out->columns = k;
    out->date = at[ROLE_DATE];
    out->ticker = at[ROLE_TICKER];
    out->close = at[ROLE_CLOSE];
    out->currency = at[ROLE_CURRENCY];
    out->shares = at[ROLE_SHARES];
    out->free_float = at[ROLE_FREE_FLOAT];
    return 1;
}

static int is_digit(char c)
{
    return (unsigned char)(c - '0') <= 9;
}

/* 1 when a and b hold the same 10 bytes: two loads each, no call. */
static int same_ten_bytes(const char *a, const char *b)
{
    uint64_t a8, b8;
    uint16_t a2, b2;
    memcpy(&a8, a, 8);
    memcpy(&b8, b, 8);
    memcpy(&a2, a + 8, 2);
    memcpy(&b2, b + 8, 2);
    return a8 == b8 && a2 == b2;
}

/* Reads YYYY-MM-DD at p. load_csv.c's date_fits takes a cell that defidx_date_parse reads as ISO
 * and nothing else, so the first row decides the file's format; read_date then reads every date
 * with defidx_date_parse: exactly 10 bytes, a real day. Returns the end of the date, or NULL. */
static const char *read_date(const char *p, const char *end, int32_t *out)
{
    /* A date-sorted file repeats one date on thousands of lines in a row: the last one read on
     * this thread is kept, text and day. */
    static _Thread_local char last_text[10];
    static _Thread_local int32_t last_day = DEFIDX_NO_DATE;
    if (end - p < 10)
        return NULL;
    if (last_day != DEFIDX_NO_DATE && same_ten_bytes(p, last_text)) {
        *out = last_day;
        return p + 10;
    }
    if (p[4] != '-' || p[7] != '-')
        return NULL;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(p[i]))
            return NULL;
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int m = (p[5] - '0') * 10 + (p[6] - '0');
    int d = (p[8] - '0') * 10 + (p[9] - '0');
    if (!defidx_date_valid(y, m, d))
        return NULL;
    *out = last_day = defidx_date_from_civil(y, m, d);
    memcpy(last_text, p, 10);
    return p + 10;
}

/* Bytes a ticker may hold: ASCII that libcsv keeps as it is in an unquoted field (no delimiter of
 * any kind, quote, blank, CR or NUL), that cannot make the line a "sep=" line or look like
 * another encoding, and that real tickers use ("^GSPC", "EURUSD=X", "M&G.L", "BRK-B"). */
static const unsigned char ticker_byte[256] = {
    ['-'] = 1, ['.'] = 1, ['^'] = 1, ['='] = 1, ['&'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1};

/* Reads a ticker at p: read_long_row refuses an empty one or one over TICKER_MAX bytes, and
 * otherwise hands the text to the panel as it is. Returns its end, or NULL. */
static const char *read_ticker(const char *p, const char *end, const char **text, unsigned char *len)
{
    const char *s = p;
    while (p < end && ticker_byte[(unsigned char)*p])
        p++;
    if (p == s || p - s > TICKER_MAX)
        return NULL;
    *text = s;
    *len = (unsigned char)(p - s);
    return p;
}

/* Reads a currency at p: three ASCII letters, which read_long_row hands to the panel as they are.
 * Returns its end, or NULL. */
static const char *read_currency(const char *p, const char *end, const char **text, unsigned char *len)
{
    if (end - p < 3)
        return NULL;
    for (int i = 0; i < 3; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z')))
            return NULL;
    *text = p;
    *len = 3;
    return p + 3;
}

/* The value of eight digit bytes in a little-endian word, p[0] the most significant (the SWAR
 * method of simdjson's parse_eight_digits_unrolled). */
static uint64_t digits_value(uint64_t v)
{
    v -= 0x3030303030303030ULL;
    v = v * 10 + (v >> 8); /* pairs of digits */
    return ((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
            ((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
}

/* Appends the digits at p to *mantissa (wrapping around past 19 digits: see read_number) and
 * returns the end of them. Where 8 bytes can be read, the digits are counted from a mask of the
 * bytes that are not digits (the lowest such byte is found exactly: carries and borrows only run
 * towards higher bytes) and converted together: no branch per digit, which a run of digits of
 * varying length mispredicts once per number. */
HOT static const char *read_digits(const char *p, const char *end, uint64_t *mantissa)
{
    uint64_t m = *mantissa;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint64_t scale[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    while (end - p >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        uint64_t other = ((v + 0x4646464646464646ULL) | (v - 0x3030303030303030ULL)) & 0x8080808080808080ULL;
        if (!other) {
            m = m * 100000000u + digits_value(v);
            p += 8;
            continue;
        }
        unsigned n = (unsigned)__builtin_ctzll(other) / 8; /* digits before the first other byte */
        if (n) /* the n digits to the top, '0's below them */
            m = m * scale[n] + digits_value((v << (64 - 8 * n)) | (0x3030303030303030ULL >> (8 * n)));
        *mantissa = m;
        return p + n;
    }
#endif
    while (p < end && is_digit(*p))
        m = m * 10 + (uint64_t)(*p++ - '0');
    *mantissa = m;
    return p;
}

/* The digits of s..end from the first that is not 0: the significant ones. */
static size_t significant_digits(const char *s, const char *end)
{
    while (s < end && (*s == '0' || *s == '.'))
        s++;
    size_t n = 0;
    for (; s < end; s++)
        n += is_digit(*s);
    return n;
}

/* Reads digits[.digits] at p into *out, with defidx_number_parse's arithmetic: leading zeros
 * (before or after the point) are not significant, every other digit is, and the value is the
 * integer mantissa divided by 10^(digits after the point), which is correctly rounded (Clinger)
 * because both are exact doubles; number.c computes the very same division for such text.
 * ".5" and "5." are declined: load_csv.c's reads_with_mark rejects them under a ',' mark.
 * Notes what the '.' says about the file's decimal mark, as mark_fits does (see fastcsv.h).
 * Returns the end of the number, or NULL. */
HOT static const char *read_number(const char *p, const char *end, double *out, defidx_fastcsv_row *row)
{
    /* The digits go into the mantissa without a test each: only when there are more than
     * DIGITS_MAX of them are the significant ones counted (a mantissa that wrapped around then
     * belongs to a number that is declined anyway). */
    const char *s = p;
    uint64_t mantissa = 0;
    p = read_digits(p, end, &mantissa);
    size_t whole = (size_t)(p - s), scale = 0;
    if (whole == 0)
        return NULL;
    if (p < end && *p == '.') {
        const char *fraction = ++p;
        p = read_digits(p, end, &mantissa);
        scale = (size_t)(p - fraction);
        if (scale == 0 || scale > SCALE_MAX)
            return NULL;
        /* reads_with_mark(s, n, ','): a first group of 1 to 3 digits not starting with 0, then
         * groups of exactly 3; reads_with_mark(s, n, '.') holds for every number read here. */
        if (whole <= 3 && *s != '0' && scale == 3)
            row->separator_ambiguous = 1;
        else
            row->decimal_point_shown = 1;
    }
    if (p - s > NUMBER_MAX || (whole + scale > DIGITS_MAX && significant_digits(s, p) > DIGITS_MAX))
        return NULL;
    /* Zero is no close, share count or free float: read_price and read_holdings refuse it. Saying
     * so here, from the mantissa, keeps the checks off the division's result, which takes a
     * while; a whole number needs no division at all (x / 1 is x). */
    if (mantissa == 0)
        return NULL;
    *out = scale ? (double)mantissa / exact_pow10[scale] : (double)mantissa;
    return p;
}

/* Reads column k's field at p by its role. Returns the end of the field, or NULL. */
HOT static const char *read_field(int role, const char *p, const char *end, defidx_fastcsv_row *out)
{
    switch (role) {
    case ROLE_DATE: return read_date(p, end, &out->date);
    case ROLE_TICKER: return read_ticker(p, end, &out->ticker, &out->ticker_len);
    case ROLE_CURRENCY: return read_currency(p, end, &out->currency, &out->currency_len);
    case ROLE_CLOSE: return read_number(p, end, &out->close, out);
    case ROLE_SHARES: return read_number(p, end, &out->shares, out);
    default: return read_number(p, end, &out->free_float, out);
    }
}

/* Reads the fields of a row at p, up to end at most. Returns the end of the last field, or NULL. */
static const char *read_fields(const defidx_fastcsv_layout *layout, const char *p, const char *end,
                               defidx_fastcsv_row *out)
{
    out->currency = NULL;
    out->currency_len = 0;
    out->close = out->shares = out->free_float = NAN;
    out->decimal_point_shown = out->separator_ambiguous = 0;
    /* Each field's reader stops at the first byte it does not take; only a comma (or the line's
     * end, after the last field) may stand there. So a quote, blank, CR, NUL, an empty field, a
     * missing column or an extra one, including a trailing comma, all decline the line. */
    for (int k = 0; k < layout->columns; k++) {
        if (k > 0 && (p == end || *p++ != ','))
            return NULL;
        if (!(p = read_field(layout->role[k], p, end, out)))
            return NULL;
    }
    /* read_price and read_holdings: a close or shares not above 0, or a free float outside
     * (0, 1], is an error there. read_number declined zero, the only way to 0 here. */
    return out->free_float > 1 ? NULL : p;
}

int defidx_fastcsv_parse_row(const defidx_fastcsv_layout *layout, const char *line, size_t len,
                             defidx_fastcsv_row *out)
{
    return read_fields(layout, line, line + len, out) == line + len;
}

int defidx_fastcsv_parse_line(const defidx_fastcsv_layout *layout, const char *line, const char *end,
                              defidx_fastcsv_row *out, const char **next)
{
    const char *p = read_fields(layout, line, end, out);
    if (!p)
        return 0;
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p++ != '\n')
        return 0;
    *next = p;
    return 1;
}
