/* fastcsv.c: plain long price CSV lines read in one pass, without libcsv, allocation or strtod,
 * for lines whose reading by load_csv.c is certain; every other line is declined. The rules below
 * are load_csv.c's (and csv_reader.c's, number.c's, date.c's) narrowed to what cannot differ. */
#include "fast/fastcsv.h"

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

int dfx_fastcsv_parse_header(const char *line, size_t len, dfx_fastcsv_layout *out)
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
HOT static const char *read_date(const char *p, const char *end, int32_t *out)
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
HOT static const char *read_number(const char *p, const char *end, double *out, dfx_fastcsv_row *row)
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
HOT static const char *read_field(int role, const char *p, const char *end, dfx_fastcsv_row *out)
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
static const char *read_fields(const dfx_fastcsv_layout *layout, const char *p, const char *end,
                               dfx_fastcsv_row *out)
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

int dfx_fastcsv_parse_row(const dfx_fastcsv_layout *layout, const char *line, size_t len,
                             dfx_fastcsv_row *out)
{
    return read_fields(layout, line, line + len, out) == line + len;
}

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#include <emmintrin.h>

/* The indexed reader: the line's commas, line feed and digits are found at once, as bit masks
 * over WINDOW bytes, from 16-byte compares. So every field's bounds are known before any field is
 * read: no loop whose exit depends on the data (the ticker's was mispredicted once a line), and
 * the fields' checks and conversions, which no longer wait for one another, overlap. What the
 * masks do not settle (a line longer than WINDOW, a long number, a field at the window's start)
 * goes to the readers above, so that the result is theirs in every case. */
#define INDEXED 1
#define WINDOW 48 /* three vectors: plain price lines are 35 to 45 bytes long */

/* The bits of three byte masks (0xFF or 0), as one mask of 48 bits. */
#define MASK48(a, b, c)                                                                            \
    ((uint64_t)(unsigned)_mm_movemask_epi8(a) | (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |  \
     (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32)

/* The bytes of x in [lo, hi], as 0xFF (the signed compare of x - lo shifted to start at -128). */
HOT static __m128i in_range(__m128i x, int lo, int hi)
{
    __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8((char)(-128 + (hi - lo) + 1)));
}

/* 1 when the n bytes at p (1 <= n <= TICKER_MAX) are all ticker bytes ([A-Za-z0-9._^=&-]);
 * when sixteen_readable, the 16 bytes at p may be read. */
HOT static int ticker_ok(const char *p, unsigned n, int sixteen_readable)
{
    if (n <= 16 && sixteen_readable) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
        /* '-', '.' and the digits: the range from '-' to '9' without '/' */
        __m128i digit_dash = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('/')), in_range(x, '-', '9'));
        __m128i caret_under = in_range(x, '^', '_');
        __m128i eq_amp = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('=')), _mm_cmpeq_epi8(x, _mm_set1_epi8('&')));
        unsigned bits = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(letter, digit_dash), _mm_or_si128(caret_under, eq_amp)));
        unsigned want = (unsigned)((1ULL << n) - 1);
        return (bits & want) == want;
    }
    for (unsigned i = 0; i < n; i++)
        if (!ticker_byte[(unsigned char)p[i]])
            return 0;
    return 1;
}

/* 1 when the 3 bytes at p are ASCII letters: read_currency's test, without a branch per byte. */
HOT static int currency_ok(const char *p)
{
    return ((unsigned char)((p[0] | 0x20) - 'a') < 26) & ((unsigned char)((p[1] | 0x20) - 'a') < 26) &
           ((unsigned char)((p[2] | 0x20) - 'a') < 26);
}

/* The value of the n digits (1 <= n <= 8) in the top n bytes of the little-endian word v. */
HOT static uint64_t top_digits_value(uint64_t v, unsigned n)
{
    uint64_t keep = ~0ULL << (64 - 8 * n); /* the top n bytes: the digits; '0's below them */
    return digits_value((v & keep) | (0x3030303030303030ULL & ~keep));
}

/* The value of the n digits (1 <= n <= 8) that end just before q; the 8 bytes before q are read. */
HOT static uint64_t digits_before(const char *q, unsigned n)
{
    uint64_t v;
    memcpy(&v, q - 8, 8);
    return top_digits_value(v, n);
}

/* The value of the n digits (9 <= n <= 16) that end just before q; the 16 bytes before q are read.
 * The digits, less '0', are joined pairwise in three steps (pairs, fours, eights), as SWAR does
 * in digits_value, here on both halves at once. */
HOT static uint64_t sixteen_before(const char *q, unsigned n)
{
    static const unsigned char keep_from[32] = {
        0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(q - 16));
    __m128i keep = _mm_loadu_si128((const __m128i *)(const void *)(keep_from + n)); /* the top n bytes */
    __m128i d = _mm_and_si128(_mm_sub_epi8(x, _mm_set1_epi8('0')), keep);
    /* each 16-bit lane: its first byte (the higher digit) * 10 + its second */
    __m128i twos = _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(d, _mm_set1_epi16(0xFF)), _mm_set1_epi16(10)),
                                 _mm_srli_epi16(d, 8));
    __m128i fours = _mm_madd_epi16(twos, _mm_set1_epi32(100 | 1 << 16));
    __m128i eights = _mm_add_epi64(_mm_mul_epu32(fours, _mm_set1_epi64x(10000)), _mm_srli_epi64(fours, 32));
    uint64_t high = (uint64_t)_mm_cvtsi128_si64(eights);
    uint64_t low = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(eights, eights));
    return high * 100000000u + low;
}

/* read_number for a field that number_indexed does not take quickly: it must end exactly at c.
 * Out of line: rare, and inlined it would crowd the hot code. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int number_fallback(const char *line, unsigned s, unsigned c, double *value, dfx_fastcsv_row *row)
{
    return read_number(line + s, line + c, value, row) == line + c;
}

/* Powers of ten as integers, for joining a number's whole and fraction digits. */
static const uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* Reads the number in line[s, c) into *value, as read_number does (the same checks, marks and
 * arithmetic; the marks are or-ed into *shown and *ambiguous); digits has a bit for each digit of
 * the line, and the WINDOW bytes at line may be read. Returns 1, or 0 to decline. */
HOT static int number_indexed(const char *line, unsigned s, unsigned c, uint64_t digits, double *value,
                              unsigned *shown, unsigned *ambiguous, dfx_fastcsv_row *row)
{
    uint64_t field = ((1ULL << c) - 1) & ~((1ULL << s) - 1);
    uint64_t other = field & ~digits;
    unsigned n = c - s, whole = n, scale = 0;
    uint64_t mantissa;
    if (other) {
        /* digits[.digits]: one '.', with digits on both sides */
        unsigned dot = (unsigned)__builtin_ctzll(other);
        if ((other & (other - 1)) || line[dot] != '.')
            return 0;
        whole = dot - s;
        scale = c - dot - 1;
        if (whole == 0 || scale == 0)
            return 0;
        if (n <= 8 && c >= 8) {
            /* One word, the 8 bytes before c: the '.' taken out (the bytes below it moved up into
             * its place), then the n - 1 digits converted together. */
            uint64_t v;
            memcpy(&v, line + c - 8, 8);
            unsigned at = 8 * (8 - 1 - scale);      /* the '.''s bit offset in v */
            uint64_t below = (1ULL << at) - 1;        /* the bytes below the '.' */
            v = (v & ~below & ~(0xFFULL << at)) | ((v & below) << 8);
            mantissa = top_digits_value(v, n - 1);
        } else if (whole <= 8 && scale <= 8 && dot >= 8) {
            mantissa = digits_before(line + dot, whole) * pow10_u64[scale] + digits_before(line + c, scale);
            if (whole + scale > DIGITS_MAX && significant_digits(line + s, line + c) > DIGITS_MAX)
                return 0;
        } else { /* long or at the window's start: read_number's loop */
            return number_fallback(line, s, c, value, row);
        }
        /* read_number's marks, without a branch: scale 3 or not comes at random */
        unsigned amb = (whole <= 3) & (line[s] != '0') & (scale == 3);
        *ambiguous |= amb;
        *shown |= amb ^ 1;
    } else {
        if (n == 0)
            return 0;
        if (n <= 8 && c >= 8) {
            mantissa = digits_before(line + c, n);
        } else if (n <= 16 && c >= 16) {
            mantissa = sixteen_before(line + c, n);
            if (n > DIGITS_MAX && significant_digits(line + s, line + c) > DIGITS_MAX)
                return 0;
        } else {
            return number_fallback(line, s, c, value, row);
        }
    }
    if (mantissa == 0)
        return 0;
    /* mantissa < 10^15 here (at most 15 significant digits): a signed conversion, one instruction,
     * gives the same double as the unsigned one, which takes a branch; and x / 1 is x */
    *value = scale ? (double)(int64_t)mantissa / exact_pow10[scale] : (double)(int64_t)mantissa;
    return 1;
}

/* Reads the fields of the line at line, whose fields are line[0, e), as read_fields does:
 * commas holds the commas before e, digits the digits; the columns' roles are roles[0, columns).
 * Inlined with a constant layout, the loop and its switch unroll into straight code. The row's
 * values are kept in locals and stored once: line's bytes are chars, which a store through out
 * might change as far as the compiler knows, so each such store would have them read again. */
HOT static int indexed_fields(int columns, const unsigned char *roles, const char *line, unsigned e,
                              uint64_t commas, uint64_t digits, dfx_fastcsv_row *out)
{
    double close = NAN, shares = NAN, free_float = NAN;
    const char *ticker = NULL, *currency = NULL;
    unsigned ticker_len = 0, currency_len = 0, shown = 0, ambiguous = 0;
    int32_t date = 0;
    unsigned s = 0;
#pragma GCC unroll 8
    for (int k = 0; k < columns; k++) {
        unsigned c; /* the end of field k: the next comma, or e for the last field */
        if (k < columns - 1) {
            if (!commas)
                return 0; /* a missing column */
            c = (unsigned)__builtin_ctzll(commas);
            commas &= commas - 1;
        } else {
            if (commas)
                return 0; /* an extra column or a trailing comma */
            c = e;
        }
        unsigned n = c - s;
        switch (roles[k]) {
        case ROLE_DATE:
            if (n != 10 || !read_date(line + s, line + c, &date))
                return 0;
            break;
        case ROLE_TICKER:
            if (n == 0 || n > TICKER_MAX || !ticker_ok(line + s, n, s + 16 <= WINDOW))
                return 0;
            ticker = line + s;
            ticker_len = n;
            break;
        case ROLE_CURRENCY:
            if (n != 3 || !currency_ok(line + s))
                return 0;
            currency = line + s;
            currency_len = 3;
            break;
        case ROLE_CLOSE:
            if (!number_indexed(line, s, c, digits, &close, &shown, &ambiguous, out))
                return 0;
            break;
        case ROLE_SHARES:
            if (!number_indexed(line, s, c, digits, &shares, &shown, &ambiguous, out))
                return 0;
            break;
        default:
            if (!number_indexed(line, s, c, digits, &free_float, &shown, &ambiguous, out))
                return 0;
        }
        s = c + 1;
    }
    if (free_float > 1)
        return 0;
    /* number_fallback may have set out's marks: they are or-ed, not overwritten */
    out->close = close;
    out->shares = shares;
    out->free_float = free_float;
    out->ticker = ticker;
    out->currency = currency;
    out->date = date;
    out->ticker_len = (unsigned char)ticker_len;
    out->currency_len = (unsigned char)currency_len;
    out->decimal_point_shown |= (unsigned char)shown;
    out->separator_ambiguous |= (unsigned char)ambiguous;
    return 1;
}

/* dfx_fastcsv_parse_line for a line whose first WINDOW bytes are in [line, end): returns 1 or
 * 0 as read_fields and the line end would, or -1 when the line feed is not among those bytes
 * (the caller then reads the line with read_fields). */
static int read_indexed(const dfx_fastcsv_layout *layout, const char *line, dfx_fastcsv_row *out,
                        const char **next)
{
    __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)line);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(line + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(line + 32));
    uint64_t feeds = MASK48(_mm_cmpeq_epi8(x0, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(x1, _mm_set1_epi8('\n')),
                            _mm_cmpeq_epi8(x2, _mm_set1_epi8('\n')));
    if (!feeds)
        return -1;
    uint64_t commas = MASK48(_mm_cmpeq_epi8(x0, _mm_set1_epi8(',')), _mm_cmpeq_epi8(x1, _mm_set1_epi8(',')),
                             _mm_cmpeq_epi8(x2, _mm_set1_epi8(',')));
    uint64_t digits = MASK48(in_range(x0, '0', '9'), in_range(x1, '0', '9'), in_range(x2, '0', '9'));
    /* The fields are line[0, e): up to the line feed, or the CR before it. A CR, blank, NUL,
     * quote or any other byte no field takes, anywhere in them, declines the line. (The commas
     * are those before the feed, a CR being no comma: they need not wait for e.) */
    commas &= (feeds & (0 - feeds)) - 1;
    unsigned feed = (unsigned)__builtin_ctzll(feeds), e = feed;
    if (e && line[e - 1] == '\r')
        e--;
    out->decimal_point_shown = out->separator_ambiguous = 0;
    /* The layouts of defidx's own files, each read by straight code of its own. */
    static const unsigned char plain[DEFIDX_FASTCSV_MAX_COLUMNS] = {ROLE_DATE,     ROLE_TICKER, ROLE_CLOSE,
                                                                    ROLE_CURRENCY, ROLE_SHARES, ROLE_FREE_FLOAT};
    int columns = layout->columns, ok;
    if (columns == 5 && memcmp(layout->role, plain, 5) == 0)
        ok = indexed_fields(5, plain, line, e, commas, digits, out);
    else if (columns == 3 && memcmp(layout->role, plain, 3) == 0)
        ok = indexed_fields(3, plain, line, e, commas, digits, out);
    else
        ok = indexed_fields(columns, layout->role, line, e, commas, digits, out);
    if (!ok)
        return 0;
    *next = line + feed + 1;
    return 1;
}
#endif

int dfx_fastcsv_parse_line(const dfx_fastcsv_layout *layout, const char *line, const char *end,
                              dfx_fastcsv_row *out, const char **next)
{
#if defined(INDEXED)
    if (end - line >= WINDOW) {
        int rc = read_indexed(layout, line, out, next);
        if (rc >= 0)
            return rc;
    }
#endif
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
