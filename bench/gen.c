/* Deterministic benchmark data for defidx: a long price CSV (date,ticker,close,currency,shares),
 * an ECB-shaped FX file, or the capping job's index definition and prices, from a seed, with no
 * dependency beyond the C library.
 *
 *   gen prices TICKERS YEARS date|ticker SEED   > prices.csv
 *   gen TICKERS YEARS date|ticker SEED          > prices.csv   (same; "prices" may be left out)
 *   gen fx YEARS [SEED]                         > fx.csv
 *   gen first YEARS                             the first trading day of YEARS years of data
 *                                               (the benchmark's --base-date)
 *   gen capping-index TICKERS SEED              > index.json   (cap 2 / TICKERS, Pareto shares)
 *   gen capping-prices TICKERS SEED             > prices.csv   (10 days, date,ticker,close)
 *   gen cycle TICKERS DATES                     > prices.csv   (one row a weekday from 1990-01-01,
 *                                                 the tickers T0, T1, ... in turn: issue 15's shape)
 *
 * Every instrument draws from its own splitmix64 stream, so the two orders hold exactly the same
 * rows, only permuted; the output depends on nothing but the arguments (no libm, no locale, no
 * clock), so two runs give the same bytes on any IEEE-754 machine.
 *
 * Build: cc -std=c11 -O2 -o gen bench/gen.c -lm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAST_Y 2025
#define LAST_M 2
#define LAST_D 28
#define DAYS_PER_YEAR 252

/* ---- splitmix64 ------------------------------------------------------------------------------ */

static uint64_t next64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 random bits. */
static double uniform(uint64_t *s) { return (double)(next64(s) >> 11) * 0x1.0p-53; }

/* Uniform integer in [0, n). The modulo bias is irrelevant at these sizes. */
static uint64_t below(uint64_t *s, uint64_t n) { return next64(s) % n; }

/* Approximately standard normal (Irwin-Hall of 12 uniforms): plain additions, so exactly the same
 * on every machine, unlike log/cos from a libm. */
static double normal(uint64_t *s)
{
    double t = 0.0;
    for (int i = 0; i < 12; i++)
        t += uniform(s);
    return t - 6.0;
}

/* A hash of two values, for draws that must not depend on who asks first (exchange holidays). */
static uint64_t mix2(uint64_t a, uint64_t b)
{
    uint64_t s = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
    return next64(&s);
}

/* ---- calendar -------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Easter Sunday (anonymous Gregorian algorithm). */
static int32_t easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
    int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return days_from_civil(y, month, day);
}

/* A trading day: a weekday that is not one of the days European exchanges share as holidays. */
static int is_trading_day(int32_t z)
{
    int wd = (int)(((int64_t)z % 7 + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
    if (wd >= 5)
        return 0;
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    if ((m == 1 && d == 1) || (m == 5 && d == 1) || (m == 12 && (d == 24 || d == 25 || d == 26 || d == 31)))
        return 0;
    int32_t e = easter(y);
    return z != e - 2 && z != e + 1;
}

/* The last years * 252 trading days up to and including 2025-02-28, oldest first. */
static int32_t *trading_days(int years, size_t *n)
{
    size_t want = (size_t)years * DAYS_PER_YEAR;
    int32_t *out = malloc(want * sizeof *out);
    if (!out) {
        perror("gen");
        exit(1);
    }
    int32_t z = days_from_civil(LAST_Y, LAST_M, LAST_D);
    for (size_t k = want; k > 0; z--)
        if (is_trading_day(z))
            out[--k] = z;
    *n = want;
    return out;
}

/* ---- output ---------------------------------------------------------------------------------- */

static char outbuf[1 << 20];
static size_t outlen;

static void flush_out(void)
{
    if (outlen && fwrite(outbuf, 1, outlen, stdout) != outlen) {
        perror("gen: write");
        exit(1);
    }
    outlen = 0;
}

static void put(const char *s, size_t n)
{
    if (outlen + n > sizeof outbuf)
        flush_out();
    memcpy(outbuf + outlen, s, n);
    outlen += n;
}

/* Writes v (>= 0) scaled by 10^-dec, as digits with dec decimals: exact, no printf, no locale. */
static void put_fixed(uint64_t v, int dec)
{
    char tmp[32];
    int n = 0, min = dec ? dec + 2 : 1; /* at least one digit before the point */
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
        if (n == dec)
            tmp[n++] = '.';
    } while (v || n < min);
    char rev[32];
    for (int i = 0; i < n; i++)
        rev[i] = tmp[n - 1 - i];
    put(rev, (size_t)n);
}

static void format_date(int32_t z, char out[11])
{
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ---- instruments ----------------------------------------------------------------------------- */

enum { EUR, GBX, SEK, USD };
static const char *const ccy_name[] = {"EUR", "GBX", "SEK", "USD"};

typedef struct {
    char name[16];
    int ccy, dec;       /* currency, decimals printed */
    size_t first, last; /* listed from day index first to last, inclusive */
    uint64_t rng;
    double price, drift, vol;
    uint64_t shares;
    double share_change; /* probability per day of a change in the share count */
} instrument;

/* A unique four-letter root for instrument i: i times a unit modulo 26^4 is a bijection on
 * [0, 26^4). */
static void ticker_root(size_t i, char root[5])
{
    uint32_t code = (uint32_t)(((uint64_t)i * 7919u + 104729u) % (26u * 26u * 26u * 26u));
    for (int k = 3; k >= 0; k--) {
        root[k] = (char)('A' + code % 26);
        code /= 26;
    }
    root[4] = '\0';
}

/* Sets up instrument i: everything here comes from its own stream, so it is independent of order. */
static void instrument_init(instrument *in, size_t i, size_t ndays, uint64_t seed)
{
    memset(in, 0, sizeof *in);
    in->rng = mix2(seed, i);
    uint64_t *r = &in->rng;

    double u = uniform(r);
    in->ccy = u < 0.84 ? EUR : u < 0.94 ? GBX : u < 0.97 ? SEK : USD;

    char root[5];
    ticker_root(i, root);
    static const char *const eur_suffix[] = {".DE", ".PA", ".AS", ".MI", ".MC", ".BR", ".HE", ".VI"};
    const char *suffix = in->ccy == EUR   ? eur_suffix[below(r, 8)]
                         : in->ccy == GBX ? ".L"
                         : in->ccy == SEK ? ".ST"
                                          : "";
    snprintf(in->name, sizeof in->name, "%s%s", root, suffix);

    /* Price level by currency; pence and kronor are larger numbers. */
    double lo = 5, hi = 400;
    if (in->ccy == GBX)
        lo = 80, hi = 6000;
    else if (in->ccy == SEK)
        lo = 40, hi = 900;
    else if (in->ccy == USD)
        lo = 10, hi = 500;
    in->price = lo + (hi - lo) * uniform(r) * uniform(r);
    u = uniform(r);
    in->dec = u < 0.6 ? 2 : u < 0.9 ? 3 : 4;
    in->drift = 0.0003 * (uniform(r) - 0.35);
    in->vol = 0.008 + 0.022 * uniform(r);

    in->shares = 5000000u + below(r, 2000000000u);
    in->share_change = uniform(r) < 0.5 ? 1.0 / (2.0 * DAYS_PER_YEAR) : 0.0;

    /* About 10% list after the start and 7% delist before the end. */
    in->first = 0;
    in->last = ndays - 1;
    if (ndays > 20 && uniform(r) < 0.10)
        in->first = (size_t)below(r, ndays - ndays / 10);
    if (ndays > 20 && uniform(r) < 0.07) {
        size_t span = ndays - in->first;
        in->last = in->first + span / 10 + (size_t)below(r, span - span / 10);
        if (in->last > ndays - 2)
            in->last = ndays - 2;
    }
}

/* Advances instrument in by one trading day (day index k) and writes its row unless it does not
 * trade that day. Draws the same numbers whatever the order of the output. */
static void instrument_day(instrument *in, size_t k, int32_t day, const char *date, uint64_t seed)
{
    uint64_t *r = &in->rng;
    double z = normal(r);
    double miss = uniform(r);
    double change = uniform(r);
    double size = uniform(r);
    if (k < in->first || k > in->last)
        return;

    in->price *= 1.0 + in->drift + in->vol * z;
    if (in->price < 1.0) /* a floor: a printed price must stay positive at 2 decimals */
        in->price = 1.0 + 0.5 * size;
    if (change < in->share_change) {
        double f = 0.9 + 0.25 * size; /* -10% (buy-backs) to +15% (issues) */
        in->shares = (uint64_t)((double)in->shares * f);
        if (in->shares < 1000)
            in->shares = 1000;
    }
    /* Exchange holidays (about 1% of days, per currency) and the odd missing day (0.2%). */
    if (mix2(seed ^ 0x5eedull, (uint64_t)day * 8 + (uint64_t)in->ccy) % 100 == 0 || miss < 0.002)
        return;

    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000};
    uint64_t scaled = (uint64_t)(in->price * (double)pow10[in->dec] + 0.5);
    char line[64];
    size_t n = 0;
    memcpy(line, date, 10);
    n = 10;
    line[n++] = ',';
    size_t nl = strlen(in->name);
    memcpy(line + n, in->name, nl);
    n += nl;
    line[n++] = ',';
    put(line, n);
    put_fixed(scaled, in->dec);
    n = 0;
    line[n++] = ',';
    memcpy(line + n, ccy_name[in->ccy], 3);
    n += 3;
    line[n++] = ',';
    put(line, n);
    put_fixed(in->shares, 0);
    put("\n", 1);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const instrument *)a)->name, ((const instrument *)b)->name);
}

static void gen_prices(long tickers, long years, int by_date, uint64_t seed)
{
    size_t ndays;
    int32_t *days = trading_days((int)years, &ndays);
    instrument *ins = malloc((size_t)tickers * sizeof *ins);
    if (!ins) {
        perror("gen");
        exit(1);
    }
    for (long i = 0; i < tickers; i++)
        instrument_init(&ins[i], (size_t)i, ndays, seed);
    qsort(ins, (size_t)tickers, sizeof *ins, by_name);

    put("date,ticker,close,currency,shares\n", 34);
    char date[11];
    if (by_date) {
        for (size_t k = 0; k < ndays; k++) {
            format_date(days[k], date);
            for (long i = 0; i < tickers; i++)
                instrument_day(&ins[i], k, days[k], date, seed);
        }
    } else {
        for (long i = 0; i < tickers; i++)
            for (size_t k = 0; k < ndays; k++) {
                format_date(days[k], date);
                instrument_day(&ins[i], k, days[k], date, seed);
            }
    }
    flush_out();
    free(ins);
    free(days);
}

/* ECB reference rates (units per EUR) for the same trading days, newest first, ECB's layout. */
static void gen_fx(long years, uint64_t seed)
{
    size_t ndays;
    int32_t *days = trading_days((int)years, &ndays);
    static const double start[] = {1.10, 0.86, 10.5}; /* USD, GBP, SEK */
    static const int dec[] = {4, 5, 4};
    double *rates = malloc(ndays * 3 * sizeof *rates);
    if (!rates) {
        perror("gen");
        exit(1);
    }
    uint64_t r = mix2(seed, 0xF00Dull);
    double level[3] = {start[0], start[1], start[2]};
    for (size_t k = 0; k < ndays; k++)
        for (int c = 0; c < 3; c++) {
            level[c] *= 1.0 + 0.004 * normal(&r);
            /* pull gently back towards the start so 30 years do not wander off */
            level[c] += 0.002 * (start[c] - level[c]);
            rates[k * 3 + (size_t)c] = level[c];
        }
    put("Date,USD,GBP,SEK,\n", 18);
    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000};
    char date[11];
    for (size_t k = ndays; k-- > 0;) {
        format_date(days[k], date);
        put(date, 10);
        for (int c = 0; c < 3; c++) {
            put(",", 1);
            put_fixed((uint64_t)(rates[k * 3 + (size_t)c] * (double)pow10[dec[c]] + 0.5), dec[c]);
        }
        put(",\n", 2);
    }
    flush_out();
    free(rates);
    free(days);
}

/* ---- the capping job ------------------------------------------------------------------------- */

/* The capping benchmark: TICKERS constituents, all in EUR (".DE"), with share counts from a Pareto
 * distribution of index 1 (Zipf's law of firm sizes: a few giants and a long tail), under a cap of
 * 2 / TICKERS, which cuts about a fifth of them. The prices cover the last CAPPING_DAYS trading days
 * up to 2025-02-28, the first of them the definition's base date; with --rebalance monthly the third
 * Friday (2025-02-21) caps again. Instrument i's shares and prices come from its own stream, so
 * the two files agree whichever is written first. */
#define CAPPING_DAYS 10

/* 1e5 / u for u uniform in [1e-7, 1): from 100 thousand to 1e12 shares, only a division (no libm). */
static double pareto_shares(uint64_t *r)
{
    double u = uniform(r);
    return 1e5 / (u < 1e-7 ? 1e-7 : u);
}

/* The index definition: base date, cap 2 / TICKERS and every constituent with its share count. */
static void gen_capping_index(long tickers, uint64_t seed)
{
    size_t ndays;
    int32_t *days = trading_days(1, &ndays);
    char date[11], line[96], root[5];
    format_date(days[ndays - CAPPING_DAYS], date);
    int n = snprintf(line, sizeof line, "{\"name\":\"Capping benchmark\",\"currency\":\"EUR\",\"base_date\":\"%s\",", date);
    put(line, (size_t)n);
    n = snprintf(line, sizeof line, "\"cap\":%.17g,\"constituents\":[", 2.0 / (double)tickers);
    put(line, (size_t)n);
    for (long i = 0; i < tickers; i++) {
        uint64_t r = mix2(seed, (uint64_t)i);
        ticker_root((size_t)i, root);
        n = snprintf(line, sizeof line, "%s\n{\"ticker\":\"%s.DE\",\"shares\":", i ? "," : "", root);
        put(line, (size_t)n);
        put_fixed((uint64_t)pareto_shares(&r), 0);
        put("}", 1);
    }
    put("\n]}\n", 4);
    flush_out();
    free(days);
}

/* The prices, date by date: each a random walk of 1% a day from 10 to 100 EUR, 2 decimals. */
static void gen_capping_prices(long tickers, uint64_t seed)
{
    size_t ndays;
    int32_t *days = trading_days(1, &ndays);
    uint64_t *rng = malloc((size_t)tickers * sizeof *rng);
    double *price = malloc((size_t)tickers * sizeof *price);
    if (!rng || !price) {
        perror("gen");
        exit(1);
    }
    for (long i = 0; i < tickers; i++) {
        rng[i] = mix2(seed, (uint64_t)i);
        (void)pareto_shares(&rng[i]); /* the definition's draw */
        price[i] = 10 + 90 * uniform(&rng[i]);
    }
    put("date,ticker,close\n", 18);
    char date[11], line[32], root[5];
    for (size_t k = ndays - CAPPING_DAYS; k < ndays; k++) {
        format_date(days[k], date);
        for (long i = 0; i < tickers; i++) {
            if (k > ndays - CAPPING_DAYS)
                price[i] *= 1.0 + 0.01 * normal(&rng[i]);
            ticker_root((size_t)i, root);
            int n = snprintf(line, sizeof line, "%s,%s.DE,", date, root);
            put(line, (size_t)n);
            put_fixed((uint64_t)(price[i] * 100 + 0.5), 2);
            put("\n", 1);
        }
    }
    flush_out();
    free(price);
    free(rng);
    free(days);
}

/* One row a weekday from Monday 1990-01-01 (DATES of them), cycling through TICKERS tickers: each
 * ticker closes once every TICKERS days, the date-sorted file that made the engine's daily walk
 * over every member cost tickers x dates (issue 15). Closes 10 to 16; no randomness. */
static void gen_cycle(long tickers, long dates)
{
    int32_t first = days_from_civil(1990, 1, 1);
    char date[11], line[64];
    put("date,ticker,close\n", 18);
    for (long i = 0; i < dates; i++) {
        format_date(first + (int32_t)(i / 5 * 7 + i % 5), date);
        int n = snprintf(line, sizeof line, "%s,T%ld,%ld\n", date, i % tickers, 10 + i % 7);
        put(line, (size_t)n);
    }
    flush_out();
}

static long arg_long(const char *s, long min, long max, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "gen: %s must be a whole number from %ld to %ld, not '%s'\n", what, min, max, s);
        exit(2);
    }
    return v;
}

static void usage(void)
{
    fputs("usage: gen [prices] TICKERS YEARS date|ticker SEED > prices.csv\n"
          "       gen fx YEARS [SEED] > fx.csv\n"
          "       gen first YEARS\n"
          "       gen capping-index|capping-prices TICKERS SEED > index.json|prices.csv\n"
          "       gen cycle TICKERS DATES > prices.csv\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "fx") == 0) {
        if (argc != 3 && argc != 4)
            usage();
        long years = arg_long(argv[2], 1, 100, "YEARS");
        uint64_t seed = argc == 4 ? (uint64_t)arg_long(argv[3], 0, 0x7fffffffL, "SEED") : 1;
        gen_fx(years, seed);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "first") == 0) {
        size_t n;
        int32_t *days = trading_days((int)arg_long(argv[2], 1, 100, "YEARS"), &n);
        char date[11];
        format_date(days[0], date);
        printf("%s\n", date);
        free(days);
        return 0;
    }
    if (argc == 4 && (strcmp(argv[1], "capping-index") == 0 || strcmp(argv[1], "capping-prices") == 0)) {
        long tickers = arg_long(argv[2], 1, 100000, "TICKERS");
        uint64_t seed = (uint64_t)arg_long(argv[3], 0, 0x7fffffffL, "SEED");
        if (strcmp(argv[1], "capping-index") == 0)
            gen_capping_index(tickers, seed);
        else
            gen_capping_prices(tickers, seed);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "cycle") == 0) {
        gen_cycle(arg_long(argv[2], 1, 100000, "TICKERS"), arg_long(argv[3], 1, 1000000, "DATES"));
        return 0;
    }
    int a = argc >= 2 && strcmp(argv[1], "prices") == 0 ? 2 : 1;
    if (argc - a != 4)
        usage();
    long tickers = arg_long(argv[a], 1, 26L * 26 * 26 * 26, "TICKERS");
    long years = arg_long(argv[a + 1], 1, 100, "YEARS");
    int by_date;
    if (strcmp(argv[a + 2], "date") == 0)
        by_date = 1;
    else if (strcmp(argv[a + 2], "ticker") == 0)
        by_date = 0;
    else
        usage();
    uint64_t seed = (uint64_t)arg_long(argv[a + 3], 0, 0x7fffffffL, "SEED");
    gen_prices(tickers, years, by_date, seed);
    return 0;
}
