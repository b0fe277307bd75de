/* panel.c: the price panel, dates x tickers. Loaders append observations in any order; finish
 * sorts them once, reports duplicates and conflicts, finds one-day spikes while each close still
 * knows its row, and lays prices out as one column of doubles per ticker so that the engine reads
 * them by (ticker, date index). */
#include "util/names.h"

#include <stdlib.h>
#include <string.h>

typedef struct observation {
    uint32_t ticker;
    int32_t date;
    double close, shares, free_float;
    uint32_t file, line, column;
    uint32_t seq; /* arrival order, so that "the second one" is well defined after sorting */
} observation;

/* A close flagged as a one-day spike: the middle one of three consecutive closes of a ticker
 * (internal.h, dfx_is_spike), and its row. */
typedef struct spike {
    uint32_t ticker, file, line, column;
    int32_t dates[3];
    double closes[3];
} spike;

struct defidx_panel {
    observation *obs;
    size_t obs_count, obs_capacity;
    char **files;
    size_t file_count, file_capacity;
    dfx_names tickers;
    char **currencies; /* per ticker, NULL until a row gives one */
    size_t currency_capacity;
    int finished;
    int32_t *dates;
    size_t date_count;
    double *prices;     /* tickers.count * date_count, NAN where no price */
    double *shares;     /* same shape, carried forward; NULL when no file gave shares */
    double *free_float; /* same shape, carried forward; NULL when no file gave free float */
    double max_jump;    /* defidx_panel_set_max_jump's; 0: the default */
    spike *spikes;      /* found by finish, by ticker and date */
    size_t spike_count, spike_capacity;
};

defidx_panel *defidx_panel_new(void)
{
    return calloc(1, sizeof(defidx_panel));
}

void defidx_panel_free(defidx_panel *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->file_count; i++)
        free(p->files[i]);
    for (size_t j = 0; j < p->tickers.count && j < p->currency_capacity; j++)
        free(p->currencies[j]); /* (fewer only when out of memory cut an intern short) */
    dfx_names_free(&p->tickers);
    free(p->files);
    free(p->currencies);
    free(p->obs);
    free(p->dates);
    free(p->prices);
    free(p->shares);
    free(p->free_float);
    free(p->spikes);
    free(p);
}

void defidx_panel_set_max_jump(defidx_panel *p, double max_jump)
{
    p->max_jump = max_jump;
}

long defidx_panel_find(const defidx_panel *p, const char *ticker)
{
    return dfx_names_find(&p->tickers, ticker, strlen(ticker));
}

/* The index of ticker, added when new. */
static int intern_ticker(defidx_panel *p, const char *ticker, uint32_t *out)
{
    int added;
    if (dfx_names_intern(&p->tickers, ticker, strlen(ticker), out, &added))
        return DEFIDX_ENOMEM;
    if (added) {
        if (dfx_grow((void **)&p->currencies, &p->currency_capacity, p->tickers.count, sizeof(char *)))
            return DEFIDX_ENOMEM;
        p->currencies[*out] = NULL;
    }
    return 0;
}

/* The index of file name; loaders add many rows of one file in a row, so the last is checked first. */
static int intern_file(defidx_panel *p, const char *file, uint32_t *out)
{
    if (!file)
        file = "";
    if (p->file_count && strcmp(p->files[p->file_count - 1], file) == 0) {
        *out = (uint32_t)(p->file_count - 1);
        return 0;
    }
    if (dfx_grow((void **)&p->files, &p->file_capacity, p->file_count + 1, sizeof(char *)))
        return DEFIDX_ENOMEM;
    if (!(p->files[p->file_count] = dfx_strdup(file)))
        return DEFIDX_ENOMEM;
    *out = (uint32_t)p->file_count++;
    return 0;
}

static int set_currency(defidx_panel *p, uint32_t t, const char *currency, const defidx_origin *at,
                        defidx_error *err)
{
    if (!currency || !*currency)
        return 0;
    if (!p->currencies[t]) {
        p->currencies[t] = dfx_strdup(currency);
        return p->currencies[t] ? 0 : defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* The same text row after row is the common case; other spellings of one unit are rarer. */
    if (strcmp(p->currencies[t], currency) == 0 || dfx_currency_same(p->currencies[t], currency))
        return 0;
    return defidx_error_set(err, DEFIDX_EDATA, at ? at->file : NULL, at ? at->line : 0,
                            at ? at->column : 0,
                            "currency of %s changes from %s to %s (hint: one ticker has one quote currency)",
                            p->tickers.names[t], p->currencies[t], currency);
}

int defidx_panel_add(defidx_panel *p, const char *ticker, int32_t date, double close,
                     const char *currency, double shares, double free_float,
                     const defidx_origin *at, defidx_error *err)
{
    if (p->finished)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "panel already finished");
    uint32_t t, f;
    int rc;
    /* The limit is checked only once it is reached, so the usual row costs no second look-up. */
    if (p->tickers.count >= (size_t)DEFIDX_TICKERS_MAX && defidx_panel_find(p, ticker) < 0)
        return defidx_error_set(err, DEFIDX_EDATA, at ? at->file : NULL, at ? at->line : 0, at ? at->column : 0,
                                "%.63s would be ticker number %ld, more than the limit of %ld tickers in one run (hint: split the prices, and compute each index from the tickers it needs)",
                                ticker, DEFIDX_TICKERS_MAX + 1, DEFIDX_TICKERS_MAX);
    if ((rc = intern_ticker(p, ticker, &t)) || (rc = intern_file(p, at ? at->file : NULL, &f)))
        return defidx_error_set(err, rc, NULL, 0, 0, "out of memory");
    if ((rc = set_currency(p, t, currency, at, err)))
        return rc;
    if (dfx_grow((void **)&p->obs, &p->obs_capacity, p->obs_count + 1, sizeof *p->obs))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    p->obs[p->obs_count] = (observation){
        .ticker = t, .date = date, .close = close, .shares = shares, .free_float = free_float,
        .file = f, .line = at ? (uint32_t)at->line : 0, .column = at ? (uint32_t)at->column : 0,
        .seq = (uint32_t)p->obs_count};
    p->obs_count++;
    return 0;
}

static int by_ticker_date_seq(const void *a, const void *b)
{
    const observation *x = a, *y = b;
    if (x->ticker != y->ticker)
        return x->ticker < y->ticker ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_date(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Two closes of one ticker and date from two files that agree this closely are one observation:
 * float noise of two downloads (98.910004 and 98.91000366210938). Closes further apart differ. */
#define NOISE_RELATIVE 1e-6

/* Compares one field of two observations of the same ticker and date: a value given twice must
 * be the same, or within `relative` of it. Returns 1 for an identical repeat, 2 for one within
 * relative, 0 when either is missing, -1 on conflict. */
static int compare_field(double first, double second, double relative)
{
    if (isnan(first) || isnan(second))
        return 0;
    if (first == second)
        return 1;
    return fabs(first - second) <= relative * fmax(fabs(first), fabs(second)) ? 2 : -1;
}

/* Rows of one file that repeat a ticker and date of another file's with the same close (or float
 * noise of it): each is one observation, said in one warning per pair of files, not one per row. */
typedef struct repeat_pair {
    uint32_t first, second; /* the files: the one read first, whose rows are kept, and the other */
    size_t count, identical;
    uint32_t ticker, line, column; /* the pair's first repeat (by ticker, then date), in second */
    int32_t date;
} repeat_pair;

typedef struct repeats {
    repeat_pair *pairs;
    size_t count, capacity;
} repeats;

/* Counts o, a repeat of keep's ticker and date from another file, in its pair of files. */
static int count_repeat(repeats *r, const observation *keep, const observation *o, int identical)
{
    repeat_pair *pair = NULL;
    for (size_t k = 0; k < r->count && !pair; k++)
        if (r->pairs[k].first == keep->file && r->pairs[k].second == o->file)
            pair = &r->pairs[k];
    if (!pair) {
        if (dfx_grow((void **)&r->pairs, &r->capacity, r->count + 1, sizeof *r->pairs))
            return DEFIDX_ENOMEM;
        pair = &r->pairs[r->count++];
        *pair = (repeat_pair){keep->file, o->file, 0, 0, o->ticker, o->line, o->column, o->date};
    }
    pair->count++;
    pair->identical += identical;
    return 0;
}

/* One warning per pair of files, at the second file's first repeated row, with the counts. */
static void warn_repeats(const defidx_panel *p, const repeats *r, defidx_warnings *w)
{
    for (size_t k = 0; k < r->count; k++) {
        const repeat_pair *x = &r->pairs[k];
        char day[11];
        defidx_date_format(x->date, day);
        dfx_warn_kind(w, DEFIDX_WARNING_REPEATED_ROW, p->files[x->second], x->line, x->column,
                         "%zu rows repeat a ticker and date of %s with the same close to 1e-6 relative (%zu identical, %zu float noise of two downloads; the first is this row, %s on %s); the rows of %s, read first, are used",
                         x->count, p->files[x->first], x->identical, x->count - x->identical,
                         p->tickers.names[x->ticker], day, p->files[x->first]);
    }
}

/* The error for o's value of a field that keep gives differently, with both values as exactly as
 * it takes to tell them apart. */
static int conflict(const defidx_panel *p, const observation *keep, const observation *o,
                    const char *what, double kept, double given, int noise_allowed, defidx_error *err)
{
    char day[11], here[32], there[32];
    defidx_date_format(o->date, day);
    dfx_number_exact(given, here, sizeof here);
    dfx_number_exact(kept, there, sizeof there);
    return defidx_error_set(
        err, DEFIDX_EDATA, p->files[o->file], o->line, o->column,
        "second different %s for %s on %s: %s here, %s at %s:%u%s (hint: %s)", what,
        p->tickers.names[o->ticker], day, here, there, p->files[keep->file], keep->line,
        noise_allowed ? ", further apart than float noise (1e-6 relative)" : "",
        noise_allowed ? "two downloads of one ticker disagree: check which is right, and remove the other's row"
                      : "remove one of the rows");
}

/* Merges o into keep, the first observation of its ticker and date: a value given twice must be
 * the same (a close from another file may differ by float noise); a value keep lacks is taken. */
static int merge_repeat(defidx_panel *p, observation *keep, const observation *o, repeats *r,
                        defidx_warnings *w, defidx_error *err)
{
    const char *what[] = {"close", "shares", "free_float"};
    double *a[] = {&keep->close, &keep->shares, &keep->free_float};
    double b[] = {o->close, o->shares, o->free_float};
    int other_file = keep->file != o->file, repeated = 0, identical = 1;
    for (int k = 0; k < 3; k++) {
        int noise_allowed = k == 0 && other_file;
        int c = compare_field(*a[k], b[k], noise_allowed ? NOISE_RELATIVE : 0);
        if (c < 0)
            return conflict(p, keep, o, what[k], *a[k], b[k], noise_allowed, err);
        if (c == 0 && isnan(*a[k]))
            *a[k] = b[k];
        repeated |= c > 0;
        identical &= c != 2;
    }
    if (repeated && other_file)
        return count_repeat(r, keep, o, identical) ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory") : 0;
    if (repeated) {
        char day[11];
        defidx_date_format(o->date, day);
        dfx_warn_kind(w, DEFIDX_WARNING_REPEATED_ROW, p->files[o->file], o->line, o->column,
                         "repeated row for %s on %s (same as %s:%u); used once",
                         p->tickers.names[o->ticker], day, p->files[keep->file], keep->line);
    }
    return 0;
}

/* Walks each (ticker, date) group: reports repeats and conflicts and keeps the first value of each
 * field in the group's first observation. */
static int merge_duplicates(defidx_panel *p, defidx_warnings *w, defidx_error *err)
{
    repeats r = {0};
    size_t out = 0;
    int rc = 0;
    for (size_t i = 0; i < p->obs_count && !rc; i++) {
        observation *o = &p->obs[i];
        observation *keep = out ? &p->obs[out - 1] : NULL;
        if (!keep || keep->ticker != o->ticker || keep->date != o->date)
            p->obs[out++] = *o;
        else
            rc = merge_repeat(p, keep, o, &r, w, err);
    }
    if (!rc) {
        warn_repeats(p, &r, w);
        p->obs_count = out;
    }
    free(r.pairs);
    return rc;
}

/* Records the spikes among each ticker's closes (observations sorted by ticker, then date; a
 * missing close is no close, so a gap of days does not break a ticker's run of closes). */
static int find_spikes(defidx_panel *p)
{
    double up = dfx_jump_factor(p->max_jump);
    const observation *before = NULL, *last = NULL; /* the ticker's two closes before o */
    for (size_t i = 0; i < p->obs_count; i++) {
        const observation *o = &p->obs[i];
        if (isnan(o->close))
            continue;
        if (last && last->ticker != o->ticker)
            before = last = NULL;
        if (before && dfx_is_spike(before->close, last->close, o->close, up)) {
            if (dfx_grow((void **)&p->spikes, &p->spike_capacity, p->spike_count + 1, sizeof *p->spikes))
                return DEFIDX_ENOMEM;
            p->spikes[p->spike_count++] = (spike){last->ticker, last->file, last->line, last->column,
                                                  {before->date, last->date, o->date},
                                                  {before->close, last->close, o->close}};
        }
        before = last;
        last = o;
    }
    return 0;
}

/* Collects the sorted, distinct dates on which any ticker has a price. */
static int build_dates(defidx_panel *p)
{
    p->dates = malloc((p->obs_count ? p->obs_count : 1) * sizeof *p->dates);
    if (!p->dates)
        return DEFIDX_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < p->obs_count; i++)
        if (!isnan(p->obs[i].close))
            p->dates[n++] = p->obs[i].date;
    qsort(p->dates, n, sizeof *p->dates, by_date);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || p->dates[u - 1] != p->dates[i])
            p->dates[u++] = p->dates[i];
    p->date_count = u;
    return 0;
}

static double field_of(const observation *o, size_t field_offset)
{
    double v;
    memcpy(&v, (const char *)o + field_offset, sizeof v);
    return v;
}

/* Lays one field out as a ticker x date matrix. Prices stand only on their own date; with carry
 * (shares, free float) a value holds from its date until the next one, so cell i holds the last
 * value given on or before dates[i]. Observations are sorted by ticker, then date. */
static double *build_matrix(const defidx_panel *p, size_t field_offset, int carry)
{
    size_t cells = p->tickers.count * p->date_count;
    double *m = malloc((cells ? cells : 1) * sizeof *m);
    if (!m)
        return NULL;
    for (size_t c = 0; c < cells; c++)
        m[c] = NAN;
    size_t k = 0;
    for (size_t j = 0; j < p->tickers.count; j++) {
        double *col = m + j * p->date_count;
        double last = NAN;
        size_t i = 0;
        for (; k < p->obs_count && p->obs[k].ticker == j; k++) {
            const observation *o = &p->obs[k];
            for (; i < p->date_count && p->dates[i] < o->date; i++)
                if (carry)
                    col[i] = last;
            double v = field_of(o, field_offset);
            if (isnan(v))
                continue;
            last = v;
            if (!carry && i < p->date_count && p->dates[i] == o->date)
                col[i] = v;
        }
        for (; carry && i < p->date_count; i++)
            col[i] = last;
    }
    return m;
}

static int any_given(const defidx_panel *p, size_t field_offset)
{
    for (size_t k = 0; k < p->obs_count; k++)
        if (!isnan(field_of(&p->obs[k], field_offset)))
            return 1;
    return 0;
}

int defidx_panel_finish(defidx_panel *p, defidx_warnings *w, defidx_error *err)
{
    if (p->finished)
        return 0;
    if (p->obs_count) /* qsort's array may not be NULL, even with no elements */
        qsort(p->obs, p->obs_count, sizeof *p->obs, by_ticker_date_seq);
    int rc = dfx_warnings_check(w, merge_duplicates(p, w, err), err);
    if (rc)
        return rc;
    if (find_spikes(p))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if (build_dates(p))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if (p->date_count == 0)
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "no prices in the input (hint: every close is empty or the files hold no rows)");
    /* The matrices hold a cell per ticker and date: a few thousand rows of tickers each on dates
     * of their own would otherwise ask for gigabytes. */
    if (p->tickers.count > (size_t)DEFIDX_PANEL_CELLS_MAX / p->date_count)
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "the prices hold %zu tickers on %zu dates, more than the limit of %ld prices (tickers x dates) in a panel (hint: a plain date,ticker,close CSV sorted by date is read in one pass, without a panel; or split the tickers into several runs)",
                                p->tickers.count, p->date_count, DEFIDX_PANEL_CELLS_MAX);
    /* a share count or free float given and not laid out would change the weights: each is an
     * error when its matrix cannot be had */
    int shares = any_given(p, offsetof(observation, shares));
    int free_float = any_given(p, offsetof(observation, free_float));
    p->prices = build_matrix(p, offsetof(observation, close), 0);
    if (shares)
        p->shares = build_matrix(p, offsetof(observation, shares), 1);
    if (free_float)
        p->free_float = build_matrix(p, offsetof(observation, free_float), 1);
    if (!p->prices || (shares && !p->shares) || (free_float && !p->free_float))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    free(p->obs); /* everything the engine needs is in the matrices now */
    p->obs = NULL;
    p->obs_count = p->obs_capacity = 0;
    p->finished = 1;
    return 0;
}

size_t dfx_panel_observation_count(const defidx_panel *p) { return p->obs_count; }
size_t defidx_panel_date_count(const defidx_panel *p) { return p->date_count; }
int32_t defidx_panel_date(const defidx_panel *p, size_t i) { return p->dates[i]; }
size_t defidx_panel_ticker_count(const defidx_panel *p) { return p->tickers.count; }
const char *defidx_panel_ticker(const defidx_panel *p, size_t j) { return p->tickers.names[j]; }
const char *defidx_panel_currency(const defidx_panel *p, size_t j) { return p->currencies[j]; }

double defidx_panel_price(const defidx_panel *p, size_t j, size_t i)
{
    return p->prices[j * p->date_count + i];
}

double defidx_panel_shares(const defidx_panel *p, size_t j, size_t i)
{
    return p->shares ? p->shares[j * p->date_count + i] : NAN;
}

double defidx_panel_free_float(const defidx_panel *p, size_t j, size_t i)
{
    return p->free_float ? p->free_float[j * p->date_count + i] : NAN;
}

size_t dfx_panel_spike_count(const defidx_panel *p) { return p->spike_count; }

const char *dfx_panel_spike_ticker(const defidx_panel *p, size_t k)
{
    return p->tickers.names[p->spikes[k].ticker];
}

void dfx_panel_warn_spike(const defidx_panel *p, size_t k, defidx_warnings *w)
{
    const spike *x = &p->spikes[k];
    char day[3][11], close[3][32];
    for (int i = 0; i < 3; i++) {
        defidx_date_format(x->dates[i], day[i]);
        dfx_number_exact(x->closes[i], close[i], sizeof close[i]);
    }
    double up = dfx_jump_factor(p->max_jump);
    dfx_warn_kind(w, DEFIDX_WARNING_SPIKE, p->files[x->file], x->line, x->column,
                     "%s closes %s on %s, between %s on %s and %s on %s: a one-day move of more than %g%% that reverts the next day, a spike (hint: check this close against another source; --max-jump sets the limit)",
                     p->tickers.names[x->ticker], close[1], day[1], close[0], day[0], close[2], day[2],
                     (up - 1) * 100);
}
