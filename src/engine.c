/* engine.c: the index calculation. A Laspeyres index with a divisor, as STOXX publishes it:
 *     level(t) = sum_i p_i(t) q_i / D
 * p_i in the index currency, q_i fixed between reviews, D set at the base date so that the level is
 * the base value, and reset at each review so that the level does not move when q changes.
 *
 * One pass over the panel's dates from the base date: each day's prices update the level; at a
 * review's close new quantities and a new divisor are set. Alongside, each constituent's share of
 * every day's level change is accumulated, so that contributions over any period add up exactly
 * to the index's change, across reviews too. */
#include "periods.h"

#include <stdlib.h>
#include <string.h>

/* One constituent, in the index or not. */
typedef struct member {
    char ticker[64];
    char name[128];
    char currency[8];        /* quote currency */
    long column;             /* in the panel */
    double quote;            /* last close on or before the day being computed, quote currency */
    double unit_factor;      /* quote unit / index unit when both are one currency (GBX in GBP:
                                0.01), so no rate is looked up; NAN when FX is needed */
    double quantity;         /* q_i in effect; 0 when not in the index */
    double shares;           /* share count behind q_i (market-cap weightings), NAN when none */
    int shares_from_action;  /* shares was set by a corporate action since the last fresh list */
    size_t shares_day;       /* the ex-date (panel day) of that action */
    size_t quote_day;        /* the panel day of the quote */
    unsigned char *in_index; /* per series row: 1 when the member was in the index that day */
    double price;            /* p_i in index currency at the last close seen, NAN before any */
    double *points;          /* cumulative level points contributed, one per series date */
    double weight_at_as_of;
} member;

/* A review: at the close of panel date `day`, the list `list` and new quantities take effect.
 * A periodic rebalance has no list of its own: it keeps the list in effect. */
typedef struct review {
    size_t day;
    const defidx_member *list;
    size_t count;
} review;

typedef struct engine {
    const defidx_panel *panel;
    const defidx_spec *spec;
    const defidx_fx *fx;
    const defidx_options *opt;
    defidx_result *r;
    char currency[8];
    int weighting;
    defidx_capping capping;
    member *members;
    size_t member_count;
    long *member_of_column;   /* panel column -> index in members, -1 when not a member */
    review *reviews;
    size_t review_count;
    const defidx_member *list; /* the list in effect; NULL: every ticker in the prices */
    size_t list_count;
    size_t base_day; /* panel date index of the base date */
    size_t as_of_day;
    double divisor;
    size_t next_action;       /* the first action not yet applied */
    size_t divisor_capacity;
    defidx_error *err;
} engine;

static const char *const return_names[] = {"price", "net", "gross"};

int defidx_return_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, return_names[i]) == 0)
            return i;
    return -1;
}

const char *defidx_return_name(int return_type)
{
    return return_type >= 0 && return_type < 3 ? return_names[return_type] : "unknown";
}

void defidx_options_init(defidx_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->weighting = DEFIDX_WEIGHT_DEFAULT;
    opt->base_date = DEFIDX_NO_DATE;
    opt->base_value = NAN;
    opt->rebalance = DEFIDX_REBALANCE_NONE;
    opt->as_of = DEFIDX_NO_DATE;
}

void defidx_result_free(defidx_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->constituent_count; i++) {
        free(r->constituents[i].periods);
        free(r->constituents[i].contribution);
    }
    free(r->constituents);
    free(r->periods);
    free(r->dates);
    free(r->levels);
    free(r->divisors);
    free(r->constituents_in);
    free(r->divisor_changes);
    defidx_warnings_free(&r->warnings);
    free(r);
}

static void free_engine(engine *e)
{
    for (size_t i = 0; i < e->member_count; i++) {
        free(e->members[i].points);
        free(e->members[i].in_index);
    }
    free(e->members);
    free(e->member_of_column);
    free(e->reviews);
}

static int out_of_memory(engine *e)
{
    return defidx_error_set(e->err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
}

static const char *day_text(int32_t date, char buf[11])
{
    defidx_date_format(date, buf);
    return buf;
}

/* ---- the constituents ---------------------------------------------------------------------- */

static member *find_member(engine *e, const char *ticker)
{
    long col = defidx_panel_find(e->panel, ticker);
    return col >= 0 && e->member_of_column[col] >= 0 ? &e->members[e->member_of_column[col]] : NULL;
}

/* Adds a constituent once, checking that it has prices and one quote currency. */
static int add_member(engine *e, const char *ticker, const defidx_member *def)
{
    member *m = find_member(e, ticker);
    const char *listed = def && def->currency[0] ? def->currency : NULL;
    if (!m) {
        long col = defidx_panel_find(e->panel, ticker);
        if (col < 0)
            return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, def->line, def->column,
                                    "%s is in the index definition but has no prices (hint: add its prices, or remove it from the definition)",
                                    ticker);
        e->member_of_column[col] = (long)e->member_count;
        m = &e->members[e->member_count++];
        memset(m, 0, sizeof *m);
        m->column = col;
        m->price = NAN;
        m->quote = NAN;
        m->shares = NAN;
        snprintf(m->ticker, sizeof m->ticker, "%s", ticker);
        const char *quoted = defidx_panel_currency(e->panel, (size_t)col);
        snprintf(m->currency, sizeof m->currency, "%s", quoted ? quoted : listed ? listed : e->currency);
        if (quoted && listed && !defidx_currency_same(quoted, listed))
            return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, def->line, def->column,
                                    "%s is quoted in %s in the prices but in %s in the index definition",
                                    ticker, quoted, listed);
    }
    if (def && def->name[0] && !m->name[0])
        snprintf(m->name, sizeof m->name, "%s", def->name);
    return 0;
}

/* The universe: every constituent the definition ever lists, or every ticker in the prices. */
static int collect_members(engine *e)
{
    size_t most = defidx_panel_ticker_count(e->panel);
    if (e->spec) {
        most = e->spec->count;
        for (size_t k = 0; k < e->spec->review_count; k++)
            most += e->spec->reviews[k].count;
    }
    size_t columns = defidx_panel_ticker_count(e->panel);
    e->members = calloc(most ? most : 1, sizeof *e->members);
    e->member_of_column = malloc(columns * sizeof *e->member_of_column);
    if (!e->members || !e->member_of_column)
        return out_of_memory(e);
    for (size_t j = 0; j < columns; j++)
        e->member_of_column[j] = -1;
    int rc = 0;
    if (!e->spec) {
        for (size_t j = 0; j < most && !rc; j++)
            rc = add_member(e, defidx_panel_ticker(e->panel, j), NULL);
        return rc;
    }
    for (size_t i = 0; i < e->spec->count && !rc; i++)
        rc = add_member(e, e->spec->members[i].ticker, &e->spec->members[i]);
    for (size_t k = 0; k < e->spec->review_count && !rc; k++)
        for (size_t i = 0; i < e->spec->reviews[k].count && !rc; i++)
            rc = add_member(e, e->spec->reviews[k].members[i].ticker, &e->spec->reviews[k].members[i]);
    return rc;
}

/* Prices in other currencies need rates; without --fx that is an error naming the currencies. */
static int check_currencies(engine *e)
{
    char foreign[256] = "";
    char index_iso[4], iso[4];
    double unit;
    if (defidx_currency_unit(e->currency, index_iso, &unit))
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "'%s' is not a currency code", e->currency);
    double index_unit = unit;
    for (size_t i = 0; i < e->member_count; i++) {
        if (defidx_currency_unit(e->members[i].currency, iso, &unit))
            return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0, "%s has the currency '%s', which is not a currency code",
                                    e->members[i].ticker, e->members[i].currency);
        e->members[i].unit_factor = strcmp(iso, index_iso) == 0 ? unit / index_unit : NAN;
        if (strcmp(iso, index_iso) != 0 && !strstr(foreign, iso) && strlen(foreign) + 6 < sizeof foreign)
            strcat(strcat(foreign, *foreign ? ", " : ""), iso);
    }
    if (*foreign && !e->fx)
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                "prices are in %s as well as the index currency %s (hint: give FX rates with --fx, e.g. the ECB's eurofxref-hist.csv)",
                                foreign, index_iso);
    return 0;
}

/* Warns about tickers in the prices that the definition leaves out: their rows are not used. */
static void warn_unused_tickers(engine *e)
{
    size_t n = defidx_panel_ticker_count(e->panel), unused = 0;
    char list[200] = "";
    for (size_t j = 0; j < n; j++) {
        const char *t = defidx_panel_ticker(e->panel, j);
        if (find_member(e, t))
            continue;
        if (unused++ < 5 && strlen(list) + strlen(t) + 3 < sizeof list)
            strcat(strcat(list, *list ? ", " : ""), t);
    }
    if (unused)
        defidx_warn(&e->r->warnings, NULL, 0, 0,
                    "%zu ticker(s) in the prices are not in the index definition and are not used: %s%s",
                    unused, list, unused > 5 ? ", ..." : "");
}

/* ---- settings and the calendar of reviews ------------------------------------------------------ */

/* The last panel date on or before date, or -1. */
static long day_on_or_before(const defidx_panel *p, int32_t date)
{
    size_t lo = 0, hi = defidx_panel_date_count(p);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (defidx_panel_date(p, mid) <= date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

/* Fixed weighting asked for on the command line: every list must carry weights. */
static int require_weights(engine *e, const defidx_member *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (isnan(list[i].weight))
            return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, list[i].line, list[i].column,
                                    "fixed weighting needs a weight for %s (hint: give every constituent a weight, adding up to 1)",
                                    list[i].ticker);
    return 0;
}

static int resolve_settings(engine *e)
{
    const defidx_spec *s = e->spec;
    const defidx_options *o = e->opt;
    defidx_result *r = e->r;
    const char *currency = o->currency ? o->currency : s && s->currency[0] ? s->currency : "EUR";
    snprintf(e->currency, sizeof e->currency, "%s", currency);
    snprintf(r->currency, sizeof r->currency, "%s", currency);
    snprintf(r->name, sizeof r->name, "%s", s && s->name[0] ? s->name : "defidx index");
    r->return_type = defidx_return_name(o->return_type);
    if (o->price_field == DEFIDX_FIELD_ADJ_CLOSE) {
        /* Adjusted closes already carry the dividends: close to a total return, named as such. */
        if (o->return_type != DEFIDX_RETURN_PRICE)
            return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "adjusted closes already include dividends: --return %s would count them twice (hint: --return price)",
                                    r->return_type);
        r->return_type = "adjusted";
    }
    r->base_value = !isnan(o->base_value) ? o->base_value : s && !isnan(s->base_value) ? s->base_value : 100;
    e->weighting = o->weighting != DEFIDX_WEIGHT_DEFAULT ? o->weighting
                   : s && s->weighting != DEFIDX_WEIGHT_DEFAULT ? s->weighting : DEFIDX_WEIGHT_DEFAULT;
    e->capping = (defidx_capping){s ? s->cap : NAN, s ? s->group_threshold : NAN, s ? s->group_cap : NAN};
    if (e->weighting == DEFIDX_WEIGHT_FIXED && !s)
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "fixed weighting needs the weights of an index definition (hint: --index FILE)");
    if (e->weighting == DEFIDX_WEIGHT_FIXED && s->weighting != DEFIDX_WEIGHT_FIXED) {
        /* The definition checked that weights it gives add up to 1; fixed needs them everywhere. */
        int rc = require_weights(e, s->members, s->count);
        for (size_t k = 0; k < s->review_count && !rc; k++)
            rc = require_weights(e, s->reviews[k].members, s->reviews[k].count);
        if (rc)
            return rc;
    }
    if (!(r->base_value > 0) || !isfinite(r->base_value))
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "the base value must be a positive number");
    int32_t base = o->base_date != DEFIDX_NO_DATE ? o->base_date
                   : s && s->base_date != DEFIDX_NO_DATE ? s->base_date : defidx_panel_date(e->panel, 0);
    long day = day_on_or_before(e->panel, base);
    char a[11], b[11];
    if (day < 0)
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                "the base date %s is before the first date of the prices, %s (hint: --base-date)",
                                day_text(base, a), day_text(defidx_panel_date(e->panel, 0), b));
    if (defidx_panel_date(e->panel, (size_t)day) != base)
        defidx_warn(&r->warnings, NULL, 0, 0, "no prices on the base date %s; the index starts on %s, the last date before it",
                    day_text(base, a), day_text(defidx_panel_date(e->panel, (size_t)day), b));
    e->base_day = (size_t)day;
    return 0;
}

/* The third Friday of a month: STOXX's review day. */
static int32_t third_friday(int y, int m)
{
    int32_t first = defidx_date_from_civil(y, m, 1);
    int to_friday = (5 - defidx_date_weekday(first) + 7) % 7;
    return first + to_friday + 14;
}

/* Periodic reviews with the current members: after the close of the third Friday (or the last
 * trading day before it) of every month, or of March, June, September and December. */
static int plan_rebalances(engine *e)
{
    size_t n = defidx_panel_date_count(e->panel);
    int y, m, d, last_y, last_m;
    defidx_date_to_civil(defidx_panel_date(e->panel, e->base_day), &y, &m, &d);
    defidx_date_to_civil(defidx_panel_date(e->panel, n - 1), &last_y, &last_m, &d);
    size_t most = (size_t)((last_y - y) * 12 + last_m - m + 1);
    if (!(e->reviews = calloc(most, sizeof *e->reviews)))
        return out_of_memory(e);
    for (; y < last_y || (y == last_y && m <= last_m); m = m == 12 ? 1 : m + 1, y += m == 1) {
        if (e->opt->rebalance == DEFIDX_REBALANCE_QUARTERLY && m % 3 != 0)
            continue;
        int32_t review_day = third_friday(y, m);
        if (review_day > defidx_panel_date(e->panel, n - 1))
            break; /* after the data: nothing it would change can be seen */
        long day = day_on_or_before(e->panel, review_day);
        if (day > (long)e->base_day && (!e->review_count || e->reviews[e->review_count - 1].day != (size_t)day))
            e->reviews[e->review_count++] = (review){.day = (size_t)day};
    }
    return 0;
}

/* The definition's reviews: each takes effect at the close of the last trading day before its
 * effective date. One that takes effect at or before the base sets the list the index starts with. */
static int plan_reviews(engine *e, const defidx_member **start, size_t *start_count)
{
    const defidx_spec *s = e->spec;
    *start = s ? s->members : NULL;
    *start_count = s ? s->count : 0;
    if (!s || s->review_count == 0)
        return e->opt->rebalance != DEFIDX_REBALANCE_NONE ? plan_rebalances(e) : 0;
    if (e->opt->rebalance != DEFIDX_REBALANCE_NONE)
        defidx_warn(&e->r->warnings, NULL, 0, 0, "--rebalance is ignored: the index definition has its own reviews");
    if (!(e->reviews = calloc(s->review_count, sizeof *e->reviews)))
        return out_of_memory(e);
    size_t last = defidx_panel_date_count(e->panel) - 1;
    for (size_t k = 0; k < s->review_count; k++) {
        const defidx_review *rv = &s->reviews[k];
        long day = day_on_or_before(e->panel, rv->effective - 1);
        if (day <= (long)e->base_day) {
            *start = rv->members;
            *start_count = rv->count;
            continue;
        }
        if (rv->effective > defidx_panel_date(e->panel, last))
            break; /* takes effect after the data ends: nothing it changes can be seen */
        review *prev = e->review_count ? &e->reviews[e->review_count - 1] : NULL;
        if (prev && prev->day == (size_t)day) {
            /* Two reviews at one close (no trading day between their dates): the later list wins. */
            char a[11], b[11], c[11];
            defidx_warn(&e->r->warnings, s->source, 0, 0,
                        "the reviews effective %s and %s both take effect at the close of %s; the later one is used",
                        day_text(s->reviews[k - 1].effective, a), day_text(rv->effective, b),
                        day_text(defidx_panel_date(e->panel, (size_t)day), c));
            *prev = (review){(size_t)day, rv->members, rv->count};
            continue;
        }
        e->reviews[e->review_count++] = (review){(size_t)day, rv->members, rv->count};
    }
    return 0;
}

/* ---- prices and quantities ---------------------------------------------------------------------- */

/* Sets every member's quote to its last close on or before the base day (holidays and later
 * listings carry or lack one); the pass then moves quotes forward a day at a time. */
static void start_quotes(engine *e)
{
    for (size_t i = 0; i < e->member_count; i++) {
        member *m = &e->members[i];
        for (long d = (long)e->base_day; d >= 0 && isnan(m->quote); d--) {
            m->quote = defidx_panel_price(e->panel, (size_t)m->column, (size_t)d);
            m->quote_day = (size_t)d;
        }
    }
}

/* The member's price in the index currency at the close of day, from its carried quote. */
static int index_price(const engine *e, const member *m, size_t day, double *out)
{
    double quote = m->quote, factor;
    *out = NAN;
    if (isnan(quote))
        return 0;
    if (!isnan(m->unit_factor)) {
        *out = quote * m->unit_factor; /* the index's own currency: no rate to look up each day */
        return 0;
    }
    int32_t date = defidx_panel_date(e->panel, day);
    int rc = defidx_fx_factor(e->fx, m->currency, e->currency, date, &factor, e->err);
    if (rc) {
        char msg[sizeof e->err->message];
        snprintf(msg, sizeof msg, "%s", e->err->message);
        return defidx_error_set(e->err, rc, NULL, 0, 0, "cannot convert %s from %s: %s", m->ticker, m->currency, msg);
    }
    *out = quote * factor;
    return 0;
}

/* Shares x free float for (free-float) market-cap weighting, from the definition or, without one,
 * from the price files' shares and free_float columns on that day. */
static int market_cap_quantity(engine *e, member *m, const defidx_member *def, size_t day, int fresh,
                               double *q)
{
    /* A share count a corporate action set since the last list of the definition stays until a
     * new list brings its own; a periodic rebalance keeps it. */
    int from_action = !fresh && m->shares_from_action;
    if (from_action && !def) {
        /* Without a definition the price file's shares column may have moved on since the action:
         * a newer count there wins. */
        double now = defidx_panel_shares(e->panel, (size_t)m->column, day);
        double then = defidx_panel_shares(e->panel, (size_t)m->column, m->shares_day);
        if (!isnan(now) && now != then)
            from_action = m->shares_from_action = 0;
    }
    double shares = from_action ? m->shares : def ? def->shares : NAN;
    double ff = def ? def->free_float : NAN;
    if (isnan(shares))
        shares = defidx_panel_shares(e->panel, (size_t)m->column, day);
    if (isnan(ff))
        ff = defidx_panel_free_float(e->panel, (size_t)m->column, day);
    if (isnan(shares)) {
        char d[11];
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                "%s has no share count on %s for %s weighting (hint: give shares in the index definition, or --weighting equal)",
                                m->ticker, day_text(defidx_panel_date(e->panel, day), d), defidx_weighting_name(e->weighting));
    }
    if (fresh)
        m->shares_from_action = 0;
    m->shares = shares;
    *q = e->weighting == DEFIDX_WEIGHT_FFMCAP && !isnan(ff) ? shares * ff : shares;
    return 0;
}

/* sum_i p_i q_i at the members' current prices (index currency): the index's market value. */
static double market_value(const engine *e)
{
    double total = 0;
    for (size_t i = 0; i < e->member_count; i++)
        if (e->members[i].quantity > 0)
            total += e->members[i].quantity * e->members[i].price;
    return total;
}

/* Records a divisor change for the audit trail. day: the close after which it applies. */
static int note_divisor(engine *e, size_t day, double old_divisor, double before, double after,
                        const char *reason)
{
    defidx_result *r = e->r;
    if (defidx_grow((void **)&r->divisor_changes, &e->divisor_capacity, r->divisor_change_count + 1,
                    sizeof *r->divisor_changes))
        return out_of_memory(e);
    size_t n = defidx_panel_date_count(e->panel);
    defidx_divisor_change *c = &r->divisor_changes[r->divisor_change_count++];
    c->date = defidx_panel_date(e->panel, day);
    /* The base day's own level is computed with the first divisor; later ones apply from the next day. */
    c->effective = isnan(old_divisor) ? c->date : day + 1 < n ? defidx_panel_date(e->panel, day + 1) : DEFIDX_NO_DATE;
    c->old_divisor = old_divisor;
    c->new_divisor = e->divisor;
    c->value_before = before;
    c->value_after = after;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    return 0;
}

/* Applies the definition's capping rule to the weights the quantities give at these prices and
 * scales the quantities to the capped weights: the scale is the capping factor, held until the next
 * review, as STOXX holds it. */
static void apply_cap(engine *e, const double *price)
{
    size_t n = e->member_count, in = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (e->members[i].quantity > 0) {
            total += price[i] * e->members[i].quantity;
            in++;
        }
    if (isnan(e->capping.cap) || total <= 0)
        return;
    double *w = malloc(n * sizeof *w);
    if (!w)
        return;
    for (size_t i = 0; i < n; i++)
        w[i] = e->members[i].quantity > 0 ? price[i] * e->members[i].quantity / total : 0;
    int rc = defidx_cap_weights(w, n, &e->capping);
    if (rc)
        defidx_warn(&e->r->warnings, e->spec ? e->spec->source : NULL, 0, 0,
                    "the capping rule (cap %g) cannot be met by %zu constituents; the weights are left uncapped",
                    e->capping.cap, in);
    for (size_t i = 0; i < n && !rc; i++)
        if (e->members[i].quantity > 0)
            e->members[i].quantity = w[i] * total / price[i];
    free(w);
}

/* Sets the quantities of the listed members at the close of day (others leave the index) and the
 * divisor that keeps the level at `level`. A member without a price yet stays out until a review
 * where it has one. */
static int set_quantities(engine *e, const defidx_member *list, size_t count, size_t day, double level,
                          int fresh, const char *reason)
{
    size_t n = e->member_count;
    double *price = malloc(n * sizeof *price);
    if (!price)
        return out_of_memory(e);
    int rc = 0;
    double before = market_value(e);
    for (size_t i = 0; i < n && !rc; i++) {
        member *m = &e->members[i];
        const defidx_member *def = NULL;
        int listed = !list; /* no list: every ticker of the prices is a member */
        for (size_t k = 0; list && k < count && !listed; k++)
            if (strcmp(list[k].ticker, m->ticker) == 0)
                def = &list[k], listed = 1;
        m->quantity = 0;
        rc = index_price(e, m, day, &price[i]);
        if (rc || !listed)
            continue;
        if (isnan(price[i])) {
            char d[11];
            defidx_warn(&e->r->warnings, NULL, 0, 0,
                        "%s has no price on or before %s; it stays out of the index until a review where it has one",
                        m->ticker, day_text(defidx_panel_date(e->panel, day), d));
            continue;
        }
        switch (e->weighting) {
        case DEFIDX_WEIGHT_FFMCAP:
        case DEFIDX_WEIGHT_MCAP:
            rc = market_cap_quantity(e, m, def, day, fresh, &m->quantity);
            break;
        case DEFIDX_WEIGHT_EQUAL:
            m->quantity = 1 / price[i];
            break;
        case DEFIDX_WEIGHT_PRICE:
            m->quantity = 1;
            break;
        case DEFIDX_WEIGHT_FIXED:
            m->quantity = def ? def->weight / price[i] : 0;
            break;
        default:
            rc = defidx_error_set(e->err, DEFIDX_EINTERNAL, NULL, 0, 0, "weighting not resolved");
        }
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (!isfinite(e->members[i].quantity) || e->members[i].quantity < 0) {
            char d[11];
            rc = defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                  "%s gets no usable quantity on %s (price %g) (hint: check its price and share count)",
                                  e->members[i].ticker, day_text(defidx_panel_date(e->panel, day), d), price[i]);
        }
    if (!rc)
        apply_cap(e, price);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (e->members[i].quantity > 0)
            total += price[i] * e->members[i].quantity;
    free(price);
    if (!rc && !(total > 0 && isfinite(total / level))) {
        char d[11];
        rc = defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0, "no constituent has a price on %s, so the index has no value",
                              day_text(defidx_panel_date(e->panel, day), d));
    }
    if (!rc) {
        double old = e->divisor;
        e->divisor = total / level;
        rc = note_divisor(e, day, old, isnan(old) ? NAN : before, total, reason);
    }
    return rc;
}

/* ---- the pass ------------------------------------------------------------------------------------ */

/* Moves every member's price to the close of day and returns the level; each member's share of the
 * change, q_i (p_i(t) - p_i(t-1)) / D, is added to its points. */
static int advance(engine *e, size_t day, size_t row, double *level)
{
    double total = 0;
    for (size_t i = 0; i < e->member_count; i++) {
        member *m = &e->members[i];
        double today = defidx_panel_price(e->panel, (size_t)m->column, day), p;
        if (!isnan(today))
            m->quote = today; /* else a holiday: the last close stands */
        int rc = index_price(e, m, day, &p);
        if (rc)
            return rc;
        double before = row > 0 ? m->points[row - 1] : 0;
        m->points[row] = before;
        if (m->quantity > 0) {
            if (row > 0) /* the base day's prices set the quantities: no change yet */
                m->points[row] += m->quantity * (p - m->price) / e->divisor;
            total += p * m->quantity;
        }
        m->price = p;
    }
    *level = total / e->divisor;
    return 0;
}

/* The weights at the close of the as-of day: q_i p_i / sum q p with the quantities of that day. */
static void record_weights(engine *e)
{
    double total = 0;
    for (size_t i = 0; i < e->member_count; i++)
        if (e->members[i].quantity > 0)
            total += e->members[i].quantity * e->members[i].price;
    for (size_t i = 0; i < e->member_count; i++) {
        member *m = &e->members[i];
        m->weight_at_as_of = m->quantity > 0 && total > 0 ? m->quantity * m->price / total : 0;
    }
}

/* ---- corporate actions ------------------------------------------------------------------------------ */

static int market_cap_weighted(const engine *e)
{
    return e->weighting == DEFIDX_WEIGHT_FFMCAP || e->weighting == DEFIDX_WEIGHT_MCAP;
}

/* The dividend that counts for the return variant: gross, net of withholding, or none (price). */
static double counted_dividend(const engine *e, const defidx_action *a)
{
    if (e->opt->return_type == DEFIDX_RETURN_PRICE)
        return 0;
    double withholding = isnan(a->value2) ? 0 : a->value2;
    return e->opt->return_type == DEFIDX_RETURN_NET ? a->value * (1 - withholding) : a->value;
}

/* The previous close as the action adjusts it (quote currency), and the factor the quantity is
 * multiplied by. Splits and rights keep the market value (more shares at a lower price); special
 * dividends, spin-offs and, in total return, cash dividends take value out of the price. */
static void adjust(const engine *e, const defidx_action *a, double close, double *adjusted,
                   double *quantity_factor)
{
    int share_like = e->weighting != DEFIDX_WEIGHT_PRICE; /* quantities that follow the share count */
    *adjusted = close;
    *quantity_factor = 1;
    switch (a->type) {
    case DEFIDX_ACTION_SPLIT:
        *adjusted = close / a->value;
        *quantity_factor = share_like ? a->value : 1;
        break;
    case DEFIDX_ACTION_RIGHTS: /* theoretical ex-rights price */
        *adjusted = (close + a->value * a->value2) / (1 + a->value);
        *quantity_factor = market_cap_weighted(e) ? 1 + a->value : 1;
        break;
    case DEFIDX_ACTION_SPECIAL_DIVIDEND:
    case DEFIDX_ACTION_SPINOFF:
        *adjusted = close - a->value;
        break;
    case DEFIDX_ACTION_CASH_DIVIDEND:
        *adjusted = close - counted_dividend(e, a);
        break;
    default: /* shares: the price stands */
        break;
    }
}

static void describe(const defidx_action *a, char *out, size_t size)
{
    char v[32], v2[32];
    defidx_number_format(a->value, 10, v, sizeof v);
    defidx_number_format(a->value2, 10, v2, sizeof v2);
    snprintf(out, size, "%s %s %s%s%s", defidx_action_type_name(a->type), a->ticker, v, *v2 ? " " : "", v2);
}

/* Applies one action before the prices of its ex-date (day): the previous close is adjusted, the
 * quantity changed, and the divisor reset so that the level at that close does not move. */
static int apply_action(engine *e, const defidx_action *a, size_t day, double level)
{
    member *m = find_member(e, a->ticker);
    if (!m || isnan(m->quote))
        return 0; /* not a constituent, or not priced yet: nothing in the index to adjust */
    double adjusted, quantity_factor;
    adjust(e, a, m->quote, &adjusted, &quantity_factor);
    const char *source = e->opt->actions->source;
    if (!(adjusted > 0) || !isfinite(adjusted))
        return defidx_error_set(e->err, DEFIDX_EDATA, source, a->line, a->column,
                                "this %s leaves %s without a positive price (last close %g) (hint: amounts are per share in the quote currency)",
                                defidx_action_type_name(a->type), a->ticker, m->quote);
    if (a->type == DEFIDX_ACTION_SHARES) {
        quantity_factor = market_cap_weighted(e) && m->shares > 0 ? a->value / m->shares : 1;
        m->shares = a->value;
        m->shares_from_action = 1;
        m->shares_day = day;
    } else if (market_cap_weighted(e) && quantity_factor != 1 && m->shares > 0) {
        m->shares *= quantity_factor; /* known shares only: an unknown count stays unknown */
        m->shares_from_action = 1;
        m->shares_day = day;
    }
    double before = market_value(e);
    m->price *= adjusted / m->quote;
    m->quote = adjusted;
    m->quantity *= quantity_factor;
    if (!(m->quantity > 0))
        return 0;
    double old = e->divisor, after = market_value(e);
    e->divisor = after / level;
    if (fabs(e->divisor - old) <= 1e-12 * old)
        return 0; /* a split: the market value is unchanged, and so is the divisor */
    char reason[192];
    describe(a, reason, sizeof reason);
    return note_divisor(e, day - 1, old, before, after, reason);
}

/* Applies the actions whose ex-date falls after the previous trading day, up to and on day. */
static int apply_actions(engine *e, size_t day, double level)
{
    const defidx_actions *acts = e->opt->actions;
    int32_t date = defidx_panel_date(e->panel, day);
    int rc = 0;
    while (!rc && acts && e->next_action < acts->count && acts->items[e->next_action].date <= date)
        rc = apply_action(e, &acts->items[e->next_action++], day, level);
    return rc;
}

/* A quote carried into the base day from before an action's ex-date (the constituent had no price
 * on the base day) is adjusted by that action, as the next trading day's would be. */
static void adjust_carried_quotes(engine *e)
{
    const defidx_actions *acts = e->opt->actions;
    int32_t base = defidx_panel_date(e->panel, e->base_day);
    for (size_t k = 0; acts && k < acts->count && acts->items[k].date <= base; k++) {
        const defidx_action *a = &acts->items[k];
        member *m = find_member(e, a->ticker);
        if (!m || isnan(m->quote) || defidx_panel_date(e->panel, m->quote_day) >= a->date)
            continue;
        double adjusted, quantity_factor;
        adjust(e, a, m->quote, &adjusted, &quantity_factor);
        if (adjusted > 0)
            m->quote = adjusted;
    }
}

/* Says which actions cannot be used: for tickers outside the index, or after the data ends. */
static void check_actions(engine *e)
{
    const defidx_actions *acts = e->opt->actions;
    size_t n = defidx_panel_date_count(e->panel);
    int32_t base = defidx_panel_date(e->panel, e->base_day), last = defidx_panel_date(e->panel, n - 1);
    for (size_t k = 0; acts && k < acts->count; k++) {
        const defidx_action *a = &acts->items[k];
        if (a->date <= base)
            e->next_action = k + 1; /* before the index starts: only constituents' own returns use it */
        if (!find_member(e, a->ticker))
            defidx_warn(&e->r->warnings, acts->source, a->line, a->column,
                        "%s is not a constituent; this action is not used", a->ticker);
        else if (a->date > last)
            defidx_warn(&e->r->warnings, acts->source, a->line, a->column,
                        "the ex-date is after the last date of the prices; this action is not used");
    }
}

/* ---- the pass ------------------------------------------------------------------------------------------ */

static int count_in(const engine *e)
{
    int n = 0;
    for (size_t i = 0; i < e->member_count; i++)
        n += e->members[i].quantity > 0;
    return n;
}

static int run(engine *e)
{
    defidx_result *r = e->r;
    size_t n = defidx_panel_date_count(e->panel), rows = n - e->base_day;
    r->dates = malloc(rows * sizeof *r->dates);
    r->levels = malloc(rows * sizeof *r->levels);
    r->divisors = malloc(rows * sizeof *r->divisors);
    r->constituents_in = malloc(rows * sizeof *r->constituents_in);
    if (!r->dates || !r->levels || !r->divisors || !r->constituents_in)
        return out_of_memory(e);
    for (size_t i = 0; i < e->member_count; i++)
        if (!(e->members[i].points = calloc(rows, sizeof(double))) ||
            !(e->members[i].in_index = calloc(rows, 1)))
            return out_of_memory(e);
    start_quotes(e);
    adjust_carried_quotes(e);
    check_actions(e);
    int rc = set_quantities(e, e->list, e->list_count, e->base_day, r->base_value, 1, "base");
    size_t next = 0;
    for (size_t row = 0; row < rows && !rc; row++) {
        size_t day = e->base_day + row;
        double level;
        if (row > 0 && (rc = apply_actions(e, day, r->levels[row - 1])))
            break;
        if ((rc = advance(e, day, row, &level)))
            break;
        if (row == 0)
            level = r->base_value; /* exact, not base_value * D / D */
        r->dates[row] = defidx_panel_date(e->panel, day);
        r->levels[row] = level;
        r->divisors[row] = e->divisor;
        r->constituents_in[row] = count_in(e);
        for (size_t i = 0; i < e->member_count; i++)
            e->members[i].in_index[row] = e->members[i].quantity > 0;
        if (day == e->as_of_day)
            record_weights(e);
        if (next < e->review_count && e->reviews[next].day == day) {
            int fresh = e->reviews[next].list != NULL;
            if (fresh) {
                e->list = e->reviews[next].list;
                e->list_count = e->reviews[next].count;
            }
            rc = set_quantities(e, e->list, e->list_count, day, level, fresh, fresh ? "review" : "rebalance");
            r->review_count++;
            next++;
        }
    }
    r->date_count = rows;
    return rc;
}

/* Warns about every price carried over more than max_gap trading days while the constituent is in
 * the index, up to the as-of date: days before it joins or after it leaves do not count. */
static void warn_stale(engine *e)
{
    int max_gap = e->opt->max_gap > 0 ? e->opt->max_gap : 5;
    size_t rows = e->as_of_day - e->base_day + 1;
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        size_t gap = 0; /* in-index days without a price so far */
        for (size_t row = 0; row <= rows; row++) {
            int counts = row < rows && m->in_index[row] &&
                         isnan(defidx_panel_price(e->panel, (size_t)m->column, e->base_day + row));
            if (counts) {
                gap++;
                continue;
            }
            if (gap > (size_t)max_gap) {
                char from[11], to[11];
                day_text(e->r->dates[row - gap], from);
                day_text(e->r->dates[row - 1], to);
                defidx_warn(&e->r->warnings, NULL, 0, 0,
                            "%s has no price on %zu trading days, %s to %s%s; its last close was carried",
                            m->ticker, gap, from, to, row == rows ? " (the as-of date)" : "");
                e->r->stale_count++;
            }
            gap = 0;
        }
    }
}

/* ---- what is reported ------------------------------------------------------------------------------- */

static int resolve_as_of(engine *e)
{
    defidx_result *r = e->r;
    size_t n = defidx_panel_date_count(e->panel);
    int32_t wanted = e->opt->as_of != DEFIDX_NO_DATE ? e->opt->as_of : defidx_panel_date(e->panel, n - 1);
    long day = day_on_or_before(e->panel, wanted);
    char a[11], b[11];
    if (day < (long)e->base_day)
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "--as-of %s is before the index's base date %s", day_text(wanted, a),
                                day_text(defidx_panel_date(e->panel, e->base_day), b));
    if (defidx_panel_date(e->panel, (size_t)day) != wanted)
        defidx_warn(&r->warnings, NULL, 0, 0, "no prices on %s; reporting %s, the last date before it",
                    day_text(wanted, a), day_text(defidx_panel_date(e->panel, (size_t)day), b));
    e->as_of_day = (size_t)day;
    r->as_of = defidx_panel_date(e->panel, (size_t)day);
    return 0;
}

static void all_time_high(defidx_result *r, size_t as_of_row)
{
    r->ath_date = r->dates[0];
    r->ath_level = r->levels[0];
    for (size_t k = 1; k <= as_of_row; k++)
        if (r->levels[k] > r->ath_level) {
            r->ath_level = r->levels[k];
            r->ath_date = r->dates[k];
        }
    r->drawdown = r->level / r->ath_level - 1;
}

/* Adjusts a constituent's closes before each of its actions' ex-dates by the factor the action
 * applies to the previous close (1/2 for a 2-for-1 split), so that its period returns are not
 * moved by the action itself: the adjusted-close convention of data vendors. */
static void adjust_history(const engine *e, const member *m, const int32_t *dates, double *quotes, size_t n)
{
    const defidx_actions *acts = e->opt->actions;
    for (size_t k = 0; acts && k < acts->count; k++) {
        const defidx_action *a = &acts->items[k];
        if (strcmp(a->ticker, m->ticker) != 0 || a->date > e->r->as_of)
            continue; /* an action after the reported day changes nothing reported */
        long before = defidx_last_value_before(dates, quotes, n, a->date, 0);
        if (before < 0)
            continue;
        double adjusted, quantity_factor;
        adjust(e, a, quotes[before], &adjusted, &quantity_factor);
        double factor = adjusted / quotes[before];
        if (!(factor > 0) || factor == 1)
            continue;
        for (size_t i = 0; i < n && dates[i] < a->date; i++)
            quotes[i] *= factor;
    }
}

/* What every constituent's row is computed against, built once in report(): the period rules, the
 * panel's dates up to the as-of day, each period's base row in the index series (-1: none), and a
 * scratch column for the constituent's closes. */
typedef struct report_frame {
    const defidx_period_rule *rules;
    size_t nrules;
    const int32_t *dates; /* as_of_day + 1 panel dates */
    const long *index_base;
    double *quotes;
} report_frame;

/* A constituent's row: its own price series in its quote currency, its weight, and its share of
 * each of the index's period returns. */
static int report_member(engine *e, const member *m, const report_frame *f, defidx_constituent *c)
{
    const defidx_result *r = e->r;
    size_t n = e->as_of_day + 1;
    double *quotes = f->quotes;
    c->periods = calloc(f->nrules, sizeof *c->periods);
    c->contribution = calloc(f->nrules, sizeof *c->contribution);
    if (!c->periods || !c->contribution)
        return out_of_memory(e);
    for (size_t i = 0; i < n; i++)
        quotes[i] = defidx_panel_price(e->panel, (size_t)m->column, i);
    adjust_history(e, m, f->dates, quotes, n);
    snprintf(c->ticker, sizeof c->ticker, "%s", m->ticker);
    snprintf(c->name, sizeof c->name, "%s", m->name);
    snprintf(c->currency, sizeof c->currency, "%s", m->currency);
    long last = defidx_last_value_before(f->dates, quotes, n, r->as_of, 1);
    c->price_date = last >= 0 ? f->dates[last] : DEFIDX_NO_DATE;
    c->price = last >= 0 ? quotes[last] : NAN;
    c->weight = m->weight_at_as_of;
    size_t as_of_row = e->as_of_day - e->base_day;
    for (size_t k = 0; k < f->nrules; k++) {
        long base = defidx_period_base(&f->rules[k], r->as_of, f->dates, quotes, n), b = f->index_base[k];
        defidx_period_fill(&c->periods[k], &f->rules[k], base, f->dates, quotes, c->price);
        c->contribution[k] = b < 0 ? NAN : (m->points[as_of_row] - m->points[b]) / r->levels[b];
    }
    return 0;
}

static int by_weight(const void *a, const void *b)
{
    const defidx_constituent *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return strcmp(x->ticker, y->ticker);
}

static int report(engine *e)
{
    defidx_result *r = e->r;
    size_t as_of_row = e->as_of_day - e->base_day;
    r->level = r->levels[as_of_row];
    r->base_date = r->dates[0];
    r->weighting = e->weighting;
    all_time_high(r, as_of_row);

    int32_t default_since = defidx_date_from_civil(DEFIDX_DEFAULT_SINCE_Y, DEFIDX_DEFAULT_SINCE_M, DEFIDX_DEFAULT_SINCE_D);
    const int32_t *since = e->opt->since_count ? e->opt->since : &default_since;
    size_t since_count = e->opt->since_count ? e->opt->since_count : 1;
    size_t cap = 4 + since_count;
    defidx_period_rule *rules = malloc(cap * sizeof *rules);
    r->periods = calloc(cap, sizeof *r->periods);
    r->constituents = calloc(e->member_count ? e->member_count : 1, sizeof *r->constituents);
    double *quotes = malloc((e->as_of_day + 1) * sizeof *quotes);
    int32_t *dates = malloc((e->as_of_day + 1) * sizeof *dates);
    long *index_base = malloc(cap * sizeof *index_base);
    int rc = !rules || !r->periods || !r->constituents || !quotes || !dates || !index_base ? out_of_memory(e) : 0;
    if (!rc) {
        r->period_count = defidx_period_plan(r->as_of, since, since_count, rules, cap);
        for (size_t k = 0; k < r->period_count; k++) {
            index_base[k] = defidx_period_base(&rules[k], r->as_of, r->dates, r->levels, as_of_row + 1);
            defidx_period_fill(&r->periods[k], &rules[k], index_base[k], r->dates, r->levels, r->level);
        }
        for (size_t i = 0; i <= e->as_of_day; i++)
            dates[i] = defidx_panel_date(e->panel, i);
    }
    report_frame frame = {rules, r->period_count, dates, index_base, quotes};
    for (size_t i = 0; i < e->member_count && !rc; i++) {
        rc = report_member(e, &e->members[i], &frame, &r->constituents[i]);
        r->constituent_count++;
    }
    if (!rc)
        qsort(r->constituents, r->constituent_count, sizeof *r->constituents, by_weight);
    free(rules);
    free(quotes);
    free(dates);
    free(index_base);
    return rc;
}

/* Default weighting: free-float market cap when every constituent has a share count, else equal. */
static int choose_default_weighting(engine *e)
{
    if (e->weighting != DEFIDX_WEIGHT_DEFAULT)
        return e->weighting;
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        int known = !isnan(defidx_panel_shares(e->panel, (size_t)m->column, e->base_day));
        for (size_t k = 0; e->spec && k < e->spec->count && !known; k++)
            known = strcmp(e->spec->members[k].ticker, m->ticker) == 0 && !isnan(e->spec->members[k].shares);
        if (!known)
            return DEFIDX_WEIGHT_EQUAL;
    }
    return DEFIDX_WEIGHT_FFMCAP;
}

int defidx_compute(const defidx_panel *panel, const defidx_spec *spec, const defidx_fx *fx,
                   const defidx_options *opt, defidx_result **out, defidx_error *err)
{
    defidx_options defaults;
    if (!opt) {
        defidx_options_init(&defaults);
        opt = &defaults;
    }
    *out = NULL;
    if (!panel || defidx_panel_date_count(panel) == 0)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "no prices to compute an index from");
    defidx_result *r = calloc(1, sizeof *r);
    if (!r)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    defidx_error local;
    engine e = {.panel = panel, .spec = spec, .fx = fx, .opt = opt, .r = r, .divisor = NAN,
                .err = err ? err : &local};
    int rc = resolve_settings(&e);
    if (!rc)
        rc = collect_members(&e);
    if (!rc)
        rc = check_currencies(&e);
    if (!rc) {
        if (spec)
            warn_unused_tickers(&e);
        e.weighting = choose_default_weighting(&e);
        rc = plan_reviews(&e, &e.list, &e.list_count);
    }
    if (!rc)
        rc = resolve_as_of(&e);
    if (!rc)
        rc = run(&e);
    if (!rc) {
        warn_stale(&e);
        rc = report(&e);
    }
    free_engine(&e);
    if (rc) {
        defidx_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}
