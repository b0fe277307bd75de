/* gendata.c - deterministic SYNTHETIC daily closes for the defidx demo data set.
 *
 * Generated, not real: used only where the real data (tests/realdata) has no daily prices
 * (Rheinmetall before 2023-01-02, MTU, Hensoldt, Dassault Aviation, Saab B, Kongsberg).
 *
 * Model: geometric random walk, log return r = sigma/sqrt(252) * z, z ~ N(0,1) from a
 * splitmix64 PRNG (Box-Muller), one stream per ticker (seed = SEED + ticker number).
 * Between consecutive anchor dates the walk is bent into a Brownian bridge (a constant drift
 * per segment is added) so that it passes exactly through each anchor level; the anchors are
 * rough real-world levels (see data/README.md), so the series has realistic start/end levels
 * and the late-Feb/early-Mar 2022 defence re-rating. The path is built BACKWARD from the last
 * anchor: p[last] = anchor, p[i-1] = p[i] * exp(-r[i]). For RHM.DE the last anchor is the real
 * magiccpp close of 2023-01-02 (196.95 EUR), so real and generated parts join continuously;
 * the 2023-01-02 row itself is not printed (the real one is used).
 *
 * Calendar: weekdays minus the main exchange holidays (simplified, see README).
 * Output: CSV rows "date,ticker,close,currency" (no header), closes rounded to 0.01.
 *
 * Build: cc -std=c11 -O2 -o gendata data/tools/gendata.c -lm
 * Run:   ./gendata [SEED]            (default seed 20211201)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED_DEFAULT 20211201ULL
#define FIRST_DATE "2021-12-01"
#define LAST_DATE  "2025-02-28"
#define MAXDAYS 2000

/* ---- PRNG: splitmix64 ---- */
static uint64_t sm_state;
static uint64_t splitmix64(void) {
    uint64_t z = (sm_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double uniform01(void) { /* (0,1) */
    return ((double)(splitmix64() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
static double normal01(void) { /* Box-Muller, one value per call (deterministic) */
    double u1 = uniform01(), u2 = uniform01();
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- civil dates as day numbers (days since 1970-01-01) ---- */
static long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}
static void civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}
static long parse_date(const char *s) {
    int y, m, d;
    if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3) { fprintf(stderr, "bad date %s\n", s); exit(70); }
    return days_from_civil(y, m, d);
}
static int weekday(long z) { return (int)((z % 7 + 10) % 7); } /* 0=Mon .. 6=Sun; 1970-01-01 was a Thursday */
static long easter_sunday(int y) { /* anonymous Gregorian algorithm */
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
    int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return days_from_civil(y, month, day);
}

/* ---- exchange calendars (simplified) ---- */
enum { XETR, XPAR, XSTO, XOSL };
static int is_trading_day(int ex, long z) {
    int y, m, d;
    if (weekday(z) >= 5) return 0;
    civil_from_days(z, &y, &m, &d);
    long e = easter_sunday(y);
    if (z == e - 2 || z == e + 1) return 0;                  /* Good Friday, Easter Monday */
    if ((m == 1 && d == 1) || (m == 5 && d == 1)) return 0;  /* New Year, Labour Day */
    if (m == 12 && (d == 25 || d == 26)) return 0;           /* Christmas */
    switch (ex) {
    case XETR: if (m == 12 && (d == 24 || d == 31)) return 0; break;
    case XPAR: break;
    case XSTO:
        if (m == 12 && (d == 24 || d == 31)) return 0;
        if ((m == 1 && d == 6) || (m == 6 && d == 6)) return 0; /* Epiphany, National Day */
        if (z == e + 39) return 0;                               /* Ascension */
        if (m == 6 && d >= 19 && d <= 25 && weekday(z) == 4) return 0; /* Midsummer Eve */
        break;
    case XOSL:
        if (m == 12 && (d == 24 || d == 31)) return 0;
        if (m == 5 && d == 17) return 0;                         /* Constitution Day */
        if (z == e - 3 || z == e + 39 || z == e + 50) return 0;  /* Maundy Thu, Ascension, Whit Mon */
        break;
    }
    return 1;
}

/* ---- series definitions ---- */
typedef struct { const char *date; double level; } anchor;
typedef struct {
    const char *ticker, *currency; int exch; double sigma; /* annual volatility */
    const char *last_out;  /* last date printed (NULL: LAST_DATE) */
    anchor a[16]; int na;
} series;

static const series SERIES[] = {
    /* Rheinmetall: pinned at the REAL 2023-01-02 close (magiccpp/RHM.DE.csv), printed to 2022-12-30. */
    {"RHM.DE", "EUR", XETR, 0.40, "2022-12-30",
     {{"2021-12-01", 86.0}, {"2021-12-30", 83.5}, {"2022-02-23", 99.0}, {"2022-03-01", 150.0},
      {"2022-03-15", 190.0}, {"2022-06-30", 215.0}, {"2022-09-30", 180.0}, {"2022-12-15", 188.0},
      {"2023-01-02", 196.95}}, 9},
    {"MTX.DE", "EUR", XETR, 0.30, NULL,
     {{"2021-12-01", 178.0}, {"2021-12-30", 179.5}, {"2022-02-23", 215.0}, {"2022-06-30", 173.0},
      {"2022-09-30", 155.0}, {"2022-12-30", 202.0}, {"2023-06-30", 237.0}, {"2023-12-29", 195.0},
      {"2024-06-28", 239.0}, {"2024-12-30", 322.0}, {"2025-02-28", 332.0}}, 11},
    {"HAG.DE", "EUR", XETR, 0.45, NULL,
     {{"2021-12-01", 13.8}, {"2021-12-30", 13.9}, {"2022-02-23", 14.6}, {"2022-03-08", 26.0},
      {"2022-06-30", 24.0}, {"2022-12-30", 22.0}, {"2023-06-30", 30.0}, {"2023-12-29", 24.4},
      {"2024-06-28", 32.0}, {"2024-12-30", 34.4}, {"2025-02-28", 48.0}}, 11},
    {"AM.PA", "EUR", XPAR, 0.30, NULL,
     {{"2021-12-01", 92.0}, {"2021-12-31", 95.3}, {"2022-02-23", 110.0}, {"2022-03-08", 150.0},
      {"2022-06-30", 150.0}, {"2022-12-30", 158.0}, {"2023-06-30", 183.0}, {"2023-12-29", 183.0},
      {"2024-06-28", 170.0}, {"2024-12-31", 197.0}, {"2025-02-28", 262.0}}, 11},
    /* Saab B on the basis after the 4:1 split of 2024-04 (pre-split prices / 4). */
    {"SAAB-B.ST", "SEK", XSTO, 0.35, NULL,
     {{"2021-12-01", 56.0}, {"2021-12-30", 57.3}, {"2022-02-23", 66.0}, {"2022-03-08", 95.0},
      {"2022-06-30", 105.0}, {"2022-12-30", 102.0}, {"2023-05-10", 146.0}, {"2023-12-29", 152.0},
      {"2024-06-28", 250.0}, {"2024-12-30", 234.0}, {"2025-02-28", 225.0}}, 11},
    /* Kongsberg Gruppen on the basis before its 2025 5:1 split (as quoted until then). */
    {"KOG.OL", "NOK", XOSL, 0.30, NULL,
     {{"2021-12-01", 285.0}, {"2021-12-30", 286.0}, {"2022-02-23", 310.0}, {"2022-03-08", 380.0},
      {"2022-06-30", 350.0}, {"2022-12-30", 415.0}, {"2023-06-30", 485.0}, {"2023-12-29", 466.0},
      {"2024-06-28", 870.0}, {"2024-12-30", 1280.0}, {"2025-02-28", 1500.0}}, 11},
};

static void generate(const series *s, uint64_t seed) {
    long days[MAXDAYS]; double lp[MAXDAYS], r[MAXDAYS];
    int n = 0, ai[16];
    long first = parse_date(FIRST_DATE), last = parse_date(s->a[s->na - 1].date);
    for (long z = first; z <= last; z++)
        if (is_trading_day(s->exch, z)) { if (n == MAXDAYS) exit(70); days[n++] = z; }
    /* each anchor sits on the last trading day on or before its date */
    for (int k = 0; k < s->na; k++) {
        long z = parse_date(s->a[k].date); int i = n - 1;
        while (i > 0 && days[i] > z) i--;
        ai[k] = i;
        if (k > 0 && ai[k] <= ai[k - 1]) { fprintf(stderr, "%s: anchors too close\n", s->ticker); exit(70); }
    }
    if (ai[0] != 0) { fprintf(stderr, "%s: first anchor must be the first day\n", s->ticker); exit(70); }
    sm_state = seed;
    double sd = s->sigma / sqrt(252.0);
    for (int i = 1; i < n; i++) r[i] = sd * normal01(); /* r[i]: log return from day i-1 to i */
    for (int k = 1; k < s->na; k++) { /* bridge: add constant drift so the segment hits its anchors */
        double sum = 0, want = log(s->a[k].level / s->a[k - 1].level);
        int m = ai[k] - ai[k - 1];
        for (int i = ai[k - 1] + 1; i <= ai[k]; i++) sum += r[i];
        for (int i = ai[k - 1] + 1; i <= ai[k]; i++) r[i] += (want - sum) / m;
    }
    lp[n - 1] = log(s->a[s->na - 1].level); /* backward from the last anchor */
    for (int i = n - 1; i > 0; i--) lp[i - 1] = lp[i] - r[i];
    long stop = parse_date(s->last_out ? s->last_out : LAST_DATE);
    for (int i = 0; i < n && days[i] <= stop; i++) {
        int y, mo, d; civil_from_days(days[i], &y, &mo, &d);
        printf("%04d-%02d-%02d,%s,%.2f,%s\n", y, mo, d, s->ticker, exp(lp[i]), s->currency);
    }
}

int main(int argc, char **argv) {
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : SEED_DEFAULT;
    for (size_t k = 0; k < sizeof SERIES / sizeof SERIES[0]; k++)
        generate(&SERIES[k], seed + k);
    return 0;
}
