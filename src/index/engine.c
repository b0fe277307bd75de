/* engine.c: the index calculation. A Laspeyres index with a divisor, as STOXX publishes it:
 *     level(t) = sum_i p_i(t) q_i / D
 * p_i in the index currency, q_i fixed between reviews, D set at the base date so that the level is
 * the base value, and reset at each review so that the level does not move when q changes.
 *
 * One pass over the dates, one day at a time (defidx_run_day): a source hands over each date's
 * closes in date order, with the date that follows, and keeps nothing else. Before the base date
 * the pass only carries each constituent's last close; from the base on each day's prices update
 * the level, and at a review's close new quantities and a new divisor are set. Alongside, each
 * constituent's share of every day's level change is accumulated, so that contributions over any
 * period add up exactly to the index's change, across reviews too. What the report needs of the
 * past (each constituent's close and points at the start of the week, month, year, ...) is kept as
 * the pass crosses those boundaries, so memory grows with constituents and dates, not with rows.
 * defidx_compute feeds a finished panel through the same pass. */
#include "index/capping.h"
#include "index/groups.h"
#include "index/periods.h"
#include "index/returns.h"
#include "load/weighting.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* A period's base as the pass saw it: a constituent's close before the boundary (with its date)
 * and its cumulative points at the index's last row before it. */
typedef struct period_mark {
    double close;
    int32_t date;
    double points;
} period_mark;

/* One constituent, in the index or not. */
typedef struct member {
    /* What the pass reads for every constituent every day comes first, in two cache lines; names
     * and the rarely read fields follow. The members are visited a few times a day, 41 million
     * member-days on the large benchmark, so their layout is the engine's speed. */
    long column;             /* the source's ticker index; -1 until the ticker shows up */
    double quote;            /* last close on or before the day being computed, quote currency */
    int32_t quote_date;      /* the date of that close */
    int32_t close_date;      /* the date of close, below */
    double unit_factor;      /* quote unit / index unit when both are one currency (GBX in GBP:
                                0.01), so no rate is looked up; NAN when FX is needed */
    double quantity;         /* q_i in effect; 0 when not in the index */
    double price;            /* p_i in index currency at the last close seen, NAN before any */
    double points;           /* cumulative level points contributed up to the current row */
    size_t gap;              /* in-index days without a price so far (stale prices) */
    int32_t gap_from;
    long gap_row;            /* the last row of the series its gap was counted to (catch_up_gap) */
    uint32_t flushed_at;     /* the engine's crossings when its marks were last taken */
    /* The report's side: closes as data vendors adjust them for actions (so that a constituent's
     * own returns are not moved by a split), the last one, and one mark per period. */
    double close;
    char currency[8];        /* quote currency */
    char *ticker;
    char *name;              /* NULL when the definition gives none */
    const defidx_member *first_listed; /* where the definition lists it first: its currency and
                                          the position for messages */
    int in_first_list;       /* the definition's own constituents list (not a review's) has it */
    int32_t listed_from;     /* the earliest effective date of a review that lists it; INT32_MIN
                                when the definition's own list has it */
    double shares;           /* share count behind q_i (market-cap weightings), NAN when none */
    int shares_from_action;  /* shares was set by a corporate action since the last fresh list */
    double shares_given_then; /* the price file's share count on that action's ex-date */
    double weight_at_as_of;
    period_mark *marks;
    int32_t first_date;      /* the date of its first close; NO_DATE before it */
    int currency_source;     /* enum currency_source: where currency came from */
    /* What a breakdown groups it by (compute --by). */
    char country[4];         /* "" when neither the definition nor the exchange suffix says */
    int country_source;      /* enum defidx_country_source */
    const char *segment;     /* the definition's, "" when none */
} member;

/* Where a constituent's quote currency comes from, in order of precedence. */
enum currency_source { CURRENCY_GIVEN = 1, CURRENCY_DEFINITION, CURRENCY_PRICES, CURRENCY_SUFFIX,
                       CURRENCY_UNKNOWN /* nothing says: "XXX", ISO 4217's "no currency" */ };

enum phase { BEFORE_BASE = 0, RUNNING };

typedef struct engine {
    const defidx_spec *spec;
    const defidx_fx *fx;
    const defidx_options *opt;
    const defidx_day *day;    /* the day being computed */
    defidx_result *r;
    char currency[8];         /* "" until the base day when neither options nor spec give it */
    char index_iso[4];
    double index_unit;
    int currency_fixed;       /* currency, index_iso and index_unit are set */
    size_t unpriced_first;    /* members of the definition's first list without a close yet */
    int weighting;
    defidx_capping capping;
    /* The last capping's outcome and number of constituents, so that a rule applied only as far
     * as it can be is warned about once, not at every review. */
    defidx_cap_outcome cap_warned_outcome;
    size_t cap_warned_count;
    member *members;
    size_t member_count, member_capacity;
    /* The members by ticker, a hash table of slot_count slots (a power of two, at least twice
     * member_count), each a member's index + 1, or 0 when empty. */
    size_t *member_slots;
    size_t slot_count;
    long *member_of_column;   /* source ticker -> index in members; NOT_MEMBER; or PENDING: not
                                 yet a member (no definition: a ticker joins with its first close) */
    size_t columns_seen, column_capacity;
    size_t pending;           /* columns still PENDING: none, and a day needs no look at them */
    const defidx_member *list; /* the list in effect; NULL: every ticker in the prices */
    size_t list_count;
    size_t next_review;       /* the definition's first review not yet passed */
    int phase;
    int32_t base_wanted;      /* the base date asked for; NO_DATE: the first date */
    int32_t as_of_wanted;     /* NO_DATE: the last date */
    int32_t previous;         /* the date computed before this one; NO_DATE on the first day */
    int32_t promised;         /* the previous day's next: the date this day must have */
    int reported;             /* the as-of day has been reported */
    int failed;               /* a day failed: the run takes no more */
    double divisor;
    size_t next_action;       /* the first action not yet applied to the index */
    size_t next_history;      /* the first action not yet applied to constituents' closes */
    size_t divisor_capacity, row_capacity;
    /* The periods reported (dfx_period_plan), and for each the series row before its start
     * as the pass last crossed it (-1: none). */
    size_t mark_count;
    dfx_period_rule *rules;
    long *mark_row;
    /* Crossings of periods' starts, counted: a member's mark is taken when it is next about to
     * change (flush_marks), not at the crossing, so that a crossing costs nothing for the members
     * that do not change, however many there are. crossed_at[k]: the count when period k's start
     * was last crossed. */
    uint32_t crossings;
    uint32_t *crossed_at;
    /* What a day costs is its rows and the members whose index price can change that day, not
     * every member (issue 15: 100,000 tickers over 400,000 dates). advance visits, in ascending
     * order, the members priced today, those converted at a rate that moves daily (fx_members:
     * in the index, without a fixed unit_factor), and those marked to see (touched: an action
     * moved them, or they left the index with a gap open). A member not visited has the same
     * price, so the same term q p of the level's sum and no points to add: the sum is kept in
     * a tree of partial sums (sum_tree) whose leaves are the terms, in the members' order, so
     * that a day updates only its visited leaves, and the result is the same whichever members
     * a source lets the engine skip. Days in the index without a close are counted when the
     * member is next seen (catch_up_gap). */
    size_t *fx_members, *touched, *visits;
    size_t fx_count, fx_capacity, touched_count, touched_capacity, visit_count, visit_capacity;
    double *sum_tree;         /* 2 x tree_leaves: node k holds nodes 2k + 2k+1, leaf i at tree_leaves + i */
    size_t tree_leaves;       /* a power of two, at least member_count when the tree was built */
    size_t in_count;          /* members in the index (quantity > 0) */
    size_t member_visits;     /* members carried or visited so far: the pass's work, for tests */
    /* Today's conversion factors by quote currency: most constituents share a few currencies. */
    struct {
        char currency[8];
        double factor;
    } fx_memo[8];
    size_t fx_memo_count;
    int32_t fx_memo_date;
    /* The rate each currency was last warned about as stale (warn_stale_rate): one warning for
     * each rate carried too long, not one a day. */
    struct stale_rate {
        char iso[4];
        int32_t rate_date;
    } *stale_rates;
    size_t stale_rate_count, stale_rate_capacity;
    dfx_groups *groups;       /* the breakdowns' sub-indices; NULL when none is asked */
    defidx_error *err;
} engine;

struct defidx_run {
    engine e;
};

#define NOT_MEMBER (-1L)
#define PENDING (-2L)

void defidx_options_init(defidx_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->version = DEFIDX_OPTIONS_VERSION;
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
    dfx_breakdowns_free(r);
    free(r->constituents);
    free(r->periods);
    free(r->dates);
    free(r->levels);
    free(r->divisors);
    free(r->constituents_in);
    free(r->divisor_changes);
    defidx_warnings_free(&r->warnings);
    defidx_warnings_free(&r->notes);
    free(r);
}


static void free_engine(engine *e)
{
    for (size_t i = 0; i < e->member_count; i++) {
        free(e->members[i].marks);
        free(e->members[i].ticker);
        free(e->members[i].name);
    }
    free(e->members);
    free(e->member_slots);
    free(e->member_of_column);
    free(e->mark_row);
    free(e->crossed_at);
    free(e->fx_members);
    free(e->touched);
    free(e->visits);
    free(e->sum_tree);
    free(e->rules);
    free(e->stale_rates);
    dfx_groups_free(e->groups);
    defidx_result_free(e->r);
    memset(e, 0, sizeof *e);
}

static int out_of_memory(engine *e)
{
    return defidx_error_set(e->err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
}

/* rc, or DEFIDX_ENOMEM when the result's warnings or notes lost one for want of memory. */
static int result_warnings_check(const defidx_result *r, int rc, defidx_error *err)
{
    return dfx_warnings_check(&r->notes, dfx_warnings_check(&r->warnings, rc, err), err);
}

static const char *day_text(int32_t date, char buf[11])
{
    defidx_date_format(date, buf);
    return buf;
}

/* The current day's close and the source's share count and free float of a ticker. */
static double close_today(const engine *e, long column)
{
    return column >= 0 ? e->day->close[column] : NAN;
}

/* The member of the day's k-th priced ticker, or -1 when it is none (not in the definition, or
 * not yet met). */
static long priced_member(const engine *e, size_t k)
{
    uint32_t column = e->day->priced[k];
    return column < e->columns_seen ? e->member_of_column[column] : -1;
}

static double shares_given(const engine *e, long column)
{
    return column >= 0 && e->day->shares ? e->day->shares[column] : NAN;
}

static double free_float_given(const engine *e, long column)
{
    return column >= 0 && e->day->free_float ? e->day->free_float[column] : NAN;
}

/* ---- the constituents ---------------------------------------------------------------------- */

/* FNV-1a of a ticker: the members' hash table slot before probing. */
static size_t ticker_hash(const char *ticker)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *c = (const unsigned char *)ticker; *c; c++)
        h = (h ^ *c) * 1099511628211u;
    return (size_t)h;
}

/* The slot of the member table that holds ticker, or the empty slot where it would go. The table
 * is never full (at most half its slots are used), so the probe ends. */
static size_t member_slot(const engine *e, const char *ticker)
{
    size_t mask = e->slot_count - 1;
    size_t slot = ticker_hash(ticker) & mask;
    while (e->member_slots[slot] && strcmp(e->members[e->member_slots[slot] - 1].ticker, ticker) != 0)
        slot = (slot + 1) & mask;
    return slot;
}

/* The constituent with this ticker, or NULL: a hash look-up, so that binding 100,000 tickers or
 * listing a review's constituents does not compare every pair. */
static member *find_member(engine *e, const char *ticker)
{
    if (!e->slot_count)
        return NULL;
    size_t k = e->member_slots[member_slot(e, ticker)];
    return k ? &e->members[k - 1] : NULL;
}

/* Enters the last member into the table, doubling it when half its slots would be used.
 * Returns 0 or DEFIDX_ENOMEM. */
static int index_last_member(engine *e)
{
    if (2 * e->member_count > e->slot_count) {
        size_t count = e->slot_count ? 2 * e->slot_count : 64;
        size_t *slots = calloc(count, sizeof *slots);
        if (!slots)
            return DEFIDX_ENOMEM;
        free(e->member_slots);
        e->member_slots = slots;
        e->slot_count = count;
        for (size_t i = 0; i + 1 < e->member_count; i++)
            e->member_slots[member_slot(e, e->members[i].ticker)] = i + 1;
    }
    e->member_slots[member_slot(e, e->members[e->member_count - 1].ticker)] = e->member_count;
    return 0;
}

/* A new constituent, not yet bound to the prices. */
static member *new_member(engine *e, const char *ticker)
{
    if (dfx_grow((void **)&e->members, &e->member_capacity, e->member_count + 1, sizeof *e->members))
        return NULL;
    member *m = &e->members[e->member_count];
    memset(m, 0, sizeof *m);
    m->marks = malloc(e->mark_count * sizeof *m->marks);
    m->ticker = dfx_strdup(ticker);
    if (!m->marks || !m->ticker) {
        free(m->marks);
        free(m->ticker);
        return NULL;
    }
    for (size_t k = 0; k < e->mark_count; k++)
        m->marks[k] = (period_mark){NAN, DEFIDX_NO_DATE, 0};
    e->member_count++;
    if (index_last_member(e)) {
        e->member_count--;
        free(m->marks);
        free(m->ticker);
        return NULL;
    }
    m->column = -1;
    m->price = m->quote = m->shares = m->close = m->unit_factor = NAN;
    m->quote_date = m->close_date = m->first_date = DEFIDX_NO_DATE;
    m->gap_row = -1;
    const char *country = defidx_country_of_ticker(m->ticker);
    snprintf(m->country, sizeof m->country, "%s", country ? country : "");
    m->country_source = country ? DEFIDX_COUNTRY_SUFFIX : DEFIDX_COUNTRY_UNKNOWN;
    m->segment = "";
    return m;
}

/* With a definition, the universe is every constituent it ever lists, known from the start: the
 * definition's own list (first, effective INT32_MIN), then each review's (effective its date). */
static int add_listed(engine *e, const defidx_member *list, size_t count, int first, int32_t effective)
{
    for (size_t i = 0; i < count; i++) {
        member *m = find_member(e, list[i].ticker);
        if (!m && !(m = new_member(e, list[i].ticker)))
            return out_of_memory(e);
        if (!m->first_listed || effective < m->listed_from)
            m->listed_from = effective;
        e->unpriced_first += first && !m->in_first_list;
        if (list[i].name[0] && !m->name && !(m->name = dfx_strdup(list[i].name)))
            return out_of_memory(e);
        if (!m->first_listed)
            m->first_listed = &list[i];
        if (list[i].country[0] && m->country_source != DEFIDX_COUNTRY_GIVEN) {
            snprintf(m->country, sizeof m->country, "%s", list[i].country);
            m->country_source = DEFIDX_COUNTRY_GIVEN;
        }
        if (list[i].segment[0] && !m->segment[0])
            m->segment = list[i].segment;
        m->in_first_list |= first;
    }
    return 0;
}

/* The --ticker-currency given for ticker, or NULL. */
static const char *currency_given(const defidx_options *o, const char *ticker)
{
    for (size_t i = 0; o->ticker_currencies && i < o->ticker_currency_count; i++)
        if (strcmp(o->ticker_currencies[i].ticker, ticker) == 0)
            return o->ticker_currencies[i].currency;
    return NULL;
}

/* Sets member m's quote currency: --ticker-currency, else the definition's, else the prices', else
 * its exchange suffix's. A definition and prices that disagree are an error: one of them is wrong. */
static int choose_currency(engine *e, member *m, long column)
{
    const defidx_member *def = m->first_listed;
    const char *listed = def && def->currency[0] ? def->currency : NULL;
    const char *quoted = e->day->currencies ? e->day->currencies[column] : NULL;
    const char *given = currency_given(e->opt, m->ticker), *suffix = "";
    if (quoted && !*quoted)
        quoted = NULL;
    if (!given && quoted && listed && !dfx_currency_same(quoted, listed))
        return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, def->line, def->column,
                                "%s is quoted in %s in the prices but in %s in the index definition (hint: --ticker-currency %s=CCY says which)",
                                m->ticker, quoted, listed, m->ticker);
    const char *chosen = given ? given : listed ? listed : quoted ? quoted : defidx_currency_of_ticker(m->ticker, &suffix);
    m->currency_source = given ? CURRENCY_GIVEN : listed ? CURRENCY_DEFINITION : quoted ? CURRENCY_PRICES : CURRENCY_SUFFIX;
    if (!chosen) { /* an error only where it must be converted (unknown_currency) */
        m->currency_source = CURRENCY_UNKNOWN;
        chosen = "XXX";
    }
    snprintf(m->currency, sizeof m->currency, "%s", chosen);
    char iso[4];
    double unit;
    if (defidx_currency_unit(m->currency, iso, &unit))
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0, "%s has the currency '%s', which is not a currency code",
                                m->ticker, m->currency);
    return 0;
}

/* Where member m's currency came from, for messages: " (from its exchange suffix .L)". */
static void currency_origin(const member *m, char *out, size_t size)
{
    const char *suffix = "";
    defidx_currency_of_ticker(m->ticker, &suffix);
    if (m->currency_source != CURRENCY_SUFFIX)
        snprintf(out, size, "%s", "");
    else if (strcmp(suffix, "^") == 0)
        snprintf(out, size, "%s", " (Yahoo writes an index level as ^NAME)");
    else if (*suffix)
        snprintf(out, size, " (from its exchange suffix %s)", suffix);
    else
        snprintf(out, size, "%s", " (it has no exchange suffix, as US tickers on Yahoo)");
}

/* How member m's prices convert to the index currency: a unit factor within one currency, else
 * (NAN) rates. */
static void set_conversion(const engine *e, member *m)
{
    char iso[4];
    double unit;
    defidx_currency_unit(m->currency, iso, &unit); /* checked by choose_currency */
    m->unit_factor = strcmp(iso, e->index_iso) == 0 ? unit / e->index_unit : NAN;
}

/* Why a currency is not known, for messages: an index, an FX pair, or a suffix not in the table. */
static void unknown_reason(const member *m, char *out, size_t size)
{
    const char *suffix = "";
    defidx_currency_of_ticker(m->ticker, &suffix);
    if (strcmp(suffix, "^") == 0)
        snprintf(out, size, "%s", "Yahoo writes an index level as ^NAME, in points");
    else if (suffix[0] == '=')
        snprintf(out, size, "a ticker ending in %s is an FX pair or a future", suffix);
    else
        snprintf(out, size, "its exchange suffix %s is not one defidx knows", suffix);
}

/* A constituent whose currency nothing gives, where its price must be converted. */
static int unknown_currency(engine *e, const member *m)
{
    char reason[96];
    unknown_reason(m, reason, sizeof reason);
    return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                            "the currency of %s is not known (%s), so it cannot be converted into the index currency %s (hint: --ticker-currency %s=CCY)",
                            m->ticker, reason, e->currency, m->ticker);
}

/* A price that needs rates that were not given: the error names the constituent, its currency
 * and where that came from. Raised when the price is first needed, so that a ticker that never
 * enters the index needs none. */
static int no_rates(engine *e, const member *m)
{
    char origin[64];
    currency_origin(m, origin, sizeof origin);
    return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                            "%s is quoted in %s%s, not in the index currency %s, and no FX rates were given (hint: --fx FILE, e.g. the ECB's eurofxref-hist.csv; or --ticker-currency %s=CCY if its prices are in another currency)",
                            m->ticker, m->currency, origin, e->currency, m->ticker);
}

/* Binds a constituent to the source's ticker `column`: its quote currency and, once the index
 * currency is known, how its prices convert to it. */
static int bind_member(engine *e, member *m, long column)
{
    m->column = column;
    int rc = choose_currency(e, m, column);
    if (!rc && e->currency_fixed)
        set_conversion(e, m);
    return rc;
}

/* The index currency, when neither the options nor the definition give it: the one currency of
 * every constituent priced at the base date (an index of US stocks is in USD), else EUR. A note
 * says so when it is not EUR. Then every bound member's conversion. */
static int fix_index_currency(engine *e)
{
    if (!e->currency_fixed) {
        char common[4] = "", iso[4];
        double unit;
        int mixed = 0;
        size_t unknown = 0;
        for (size_t i = 0; i < e->member_count; i++) {
            const member *m = &e->members[i];
            if (m->column < 0)
                continue;
            if (m->currency_source == CURRENCY_UNKNOWN) {
                unknown++;
                continue;
            }
            if (!defidx_currency_unit(m->currency, iso, &unit)) {
                mixed |= *common && strcmp(common, iso) != 0;
                memcpy(common, iso, sizeof iso);
            }
        }
        /* all unknown (an index level alone): an index in no currency, XXX, converting nothing */
        const char *chosen = *common && !mixed ? common : !*common && unknown ? "XXX" : "EUR";
        snprintf(e->currency, sizeof e->currency, "%s", chosen);
        snprintf(e->r->currency, sizeof e->r->currency, "%s", chosen);
        defidx_currency_unit(e->currency, e->index_iso, &e->index_unit);
        e->currency_fixed = 1;
        if (strcmp(chosen, "XXX") == 0)
            dfx_warn_kind(&e->r->notes, DEFIDX_WARNING_CURRENCY, NULL, 0, 0, "no constituent's currency is known, so the index has none: XXX, ISO 4217's code for no currency (hint: --ticker-currency SYM=CCY or --currency)");
        else if (strcmp(chosen, "EUR") != 0)
            dfx_warn_kind(&e->r->notes, DEFIDX_WARNING_CURRENCY, NULL, 0, 0, "the index is in %s, the currency of all its constituents (hint: --currency sets another)",
                             chosen);
    }
    for (size_t i = 0; i < e->member_count; i++)
        if (e->members[i].column >= 0)
            set_conversion(e, &e->members[i]);
    return 0;
}

/* A --ticker-currency for a ticker the prices do not have is a mistake worth saying (a typo). */
static void warn_unused_currencies(engine *e)
{
    const defidx_options *o = e->opt;
    for (size_t i = 0; o->ticker_currencies && i < o->ticker_currency_count; i++)
        if (!find_member(e, o->ticker_currencies[i].ticker))
            dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_UNUSED_TICKER, NULL, 0, 0,
                             "--ticker-currency %s=%s: %s is not a constituent; it is not used",
                             o->ticker_currencies[i].ticker, o->ticker_currencies[i].currency,
                             o->ticker_currencies[i].ticker);
}

/* A note naming the currencies inferred from exchange suffixes: each currency once, with its first
 * few tickers ("GBX for BA.L, RR.L; EUR for RHM.DE and 3 more"). One walk over the members: a
 * market-wide file has a hundred thousand of them. */
static void note_inferred_currencies(engine *e)
{
    enum { CURRENCIES = 16, NAMED = 4 };
    struct inferred_currency {
        const char *currency;
        size_t count;
        const char *named[NAMED];
    } seen[CURRENCIES];
    size_t kinds = 0, total = 0;
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        if (m->column < 0 || m->currency_source != CURRENCY_SUFFIX)
            continue;
        total++;
        size_t k = 0;
        while (k < kinds && strcmp(seen[k].currency, m->currency) != 0)
            k++;
        if (k == CURRENCIES)
            continue; /* counted in the total only */
        if (k == kinds)
            seen[kinds++] = (struct inferred_currency){m->currency, 0, {NULL}};
        if (seen[k].count < NAMED)
            seen[k].named[seen[k].count] = m->ticker;
        seen[k].count++;
    }
    if (!total)
        return;
    char text[600] = "";
    size_t len = 0;
    for (size_t k = 0; k < kinds && len < sizeof text; k++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s for", k ? "; " : "", seen[k].currency);
        for (size_t j = 0; j < seen[k].count && j < NAMED && len < sizeof text; j++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s %s", j ? "," : "", seen[k].named[j]);
        if (seen[k].count > NAMED && len < sizeof text)
            len += (size_t)snprintf(text + len, sizeof text - len, " and %zu more", seen[k].count - NAMED);
    }
    dfx_warn_kind(&e->r->notes, DEFIDX_WARNING_CURRENCY, NULL, 0, 0,
                     "the quote currency of %zu constituent%s comes from the ticker's exchange suffix: %s (hint: a currency column, the index definition or --ticker-currency SYM=CCY gives another)",
                     total, total == 1 ? "" : "s", text);
}

/* Column j of today's day, as meet_tickers meets it: a listed ticker's constituent is bound to it;
 * without a definition, a ticker with its first close becomes a constituent. */
static int meet_column(engine *e, size_t j)
{
    const defidx_day *d = e->day;
    long k = e->member_of_column[j];
    if (k >= 0 && e->members[k].column < 0)
        return bind_member(e, &e->members[k], (long)j);
    if (k != PENDING || isnan(d->close[j]))
        return 0;
    member *m = new_member(e, d->tickers[j]);
    if (!m)
        return out_of_memory(e);
    e->member_of_column[j] = (long)e->member_count - 1;
    e->pending--;
    int rc = bind_member(e, m, (long)j);
    if (!rc && e->phase == RUNNING) {
        char b[11];
        defidx_warn(&e->r->warnings, NULL, 0, 0,
                    "%s has no price on or before %s; it stays out of the index until a review where it has one",
                    m->ticker, day_text(e->r->base_date, b));
    }
    return rc;
}

/* qsort's order of size_t: columns, members' indexes. */
static int ascending_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Meets the columns met on an earlier day that are still PENDING (no close yet): every one, or
 * when the source lists today's priced columns, those of them, in ascending order. */
static int meet_pending_columns(engine *e)
{
    const defidx_day *d = e->day;
    int rc = 0;
    if (!d->priced) {
        for (size_t j = 0; j < e->columns_seen && !rc; j++)
            rc = meet_column(e, j);
        return rc;
    }
    size_t *old = malloc((d->priced_count ? d->priced_count : 1) * sizeof *old);
    if (!old)
        return out_of_memory(e);
    size_t n = 0;
    for (size_t k = 0; k < d->priced_count; k++)
        if (d->priced[k] < e->columns_seen)
            old[n++] = d->priced[k];
    qsort(old, n, sizeof *old, ascending_index);
    for (size_t k = 0; k < n && !rc; k++)
        rc = meet_column(e, old[k]);
    free(old);
    return rc;
}

/* Meets the tickers the source added since the last day: with a definition, a listed one is bound
 * to its constituent; without one, a ticker becomes a constituent on its first close. Prices in
 * another currency than the index's need rates: without --fx that is an error naming them. */
static int meet_tickers(engine *e)
{
    const defidx_day *d = e->day;
    size_t pending_before = e->pending;
    if (d->ticker_count > e->columns_seen) {
        if (dfx_grow((void **)&e->member_of_column, &e->column_capacity, d->ticker_count,
                        sizeof *e->member_of_column))
            return out_of_memory(e);
        for (size_t j = e->columns_seen; j < d->ticker_count; j++) {
            member *m = e->spec ? find_member(e, d->tickers[j]) : NULL;
            e->member_of_column[j] = e->spec ? (m && m->column < 0 ? m - e->members : NOT_MEMBER) : PENDING;
            e->pending += !e->spec;
        }
    }
    /* Columns in ascending order, as a panel's day gives them, so that members are made in the
     * same order whichever reader feeds the run: first those met before without a close (only
     * those priced today can join), then the new ones. */
    int rc = pending_before ? meet_pending_columns(e) : 0;
    for (size_t j = e->columns_seen; j < d->ticker_count && !rc; j++)
        rc = meet_column(e, j);
    e->columns_seen = d->ticker_count;
    return rc;
}

/* Warns about tickers in the prices that the definition leaves out: their rows are not used. */
static void warn_unused_tickers(engine *e, size_t n, const char *const *tickers)
{
    size_t unused = 0;
    char list[200] = "";
    for (size_t j = 0; j < n; j++) {
        const char *t = tickers[j];
        if (find_member(e, t))
            continue;
        if (unused++ < 5 && strlen(list) + strlen(t) + 3 < sizeof list)
            strcat(strcat(list, *list ? ", " : ""), t);
    }
    if (unused)
        dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_UNUSED_TICKER, NULL, 0, 0,
                         "%zu ticker(s) in the prices are not in the index definition and are not used: %s%s",
                         unused, list, unused > 5 ? ", ..." : "");
}

/* Says which reviews of the definition are not applied, being effective after last, the last
 * date of the prices: a definition kept ahead of the data is normal, but a review that changes
 * nothing should not pass unseen. */
static void warn_reviews_after_data(engine *e, int32_t last)
{
    for (size_t k = 0; e->spec && k < e->spec->review_count; k++) {
        const defidx_review *rv = &e->spec->reviews[k];
        char a[11], b[11];
        if (rv->effective > last)
            defidx_warn(&e->r->warnings, e->spec->source, 0, 0,
                        "the review effective %s is after the last date of the prices, %s, and is not applied",
                        day_text(rv->effective, a), day_text(last, b));
    }
}

/* A constituent of the definition that never showed up in the prices is an error, unless only
 * reviews after the last date of the prices list it: those are not applied (review_today). */
static int check_all_priced(engine *e)
{
    for (size_t i = 0; e->spec && i < e->member_count; i++)
        if (e->members[i].column < 0 && e->members[i].listed_from <= e->previous) {
            const defidx_member *def = e->members[i].first_listed;
            return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, def ? def->line : 0, def ? def->column : 0,
                                    "%s is in the index definition but has no prices (hint: add its prices, or remove it from the definition)",
                                    e->members[i].ticker);
        }
    return 0;
}

/* ---- settings and the calendar of reviews ------------------------------------------------------ */

/* Fixed weighting asked for on the command line, or implied by weights in some lists of a
 * definition that names no weighting: every list must carry weights. */
static int require_weights(engine *e, const defidx_member *list, size_t count, int implied)
{
    for (size_t i = 0; i < count; i++)
        if (isnan(list[i].weight))
            return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, list[i].line, list[i].column,
                                    "fixed weighting needs a weight for %s (hint: %s)", list[i].ticker,
                                    implied ? "the definition's other weights make it fixed-weighted: give every constituent of every list a weight, or name another \"weighting\""
                                            : "give every constituent a weight, adding up to 1");
    return 0;
}

/* 1 when a list of the definition s gives weights (each such list was checked to give one to every
 * constituent, adding up to 1). */
static int gives_weights(const defidx_spec *s)
{
    for (size_t i = 0; i < s->count; i++)
        if (!isnan(s->members[i].weight))
            return 1;
    for (size_t k = 0; k < s->review_count; k++)
        for (size_t i = 0; i < s->reviews[k].count; i++)
            if (!isnan(s->reviews[k].members[i].weight))
                return 1;
    return 0;
}

/* The weighting asked for: the option's, else the definition's, else fixed when the definition
 * names none but gives weights (they were checked to add up to 1: computing it by the default,
 * equal or ffmcap, would drop them silently), with a note; else the default, settled by the data. */
static int weighting_asked(engine *e, int *implied)
{
    const defidx_spec *s = e->spec;
    *implied = 0;
    if (e->opt->weighting != DEFIDX_WEIGHT_DEFAULT)
        return e->opt->weighting;
    if (!s)
        return DEFIDX_WEIGHT_DEFAULT;
    if (s->weighting != DEFIDX_WEIGHT_DEFAULT)
        return s->weighting;
    if (!gives_weights(s))
        return DEFIDX_WEIGHT_DEFAULT;
    *implied = 1;
    dfx_warn_kind(&e->r->notes, DEFIDX_WARNING_OTHER, s->source, 0, 0,
                  "the definition gives weights, so the index is weighted by them: fixed (hint: \"weighting\": \"fixed\" says so; --weighting sets another)");
    return DEFIDX_WEIGHT_FIXED;
}

static int resolve_settings(engine *e)
{
    const defidx_spec *s = e->spec;
    const defidx_options *o = e->opt;
    defidx_result *r = e->r;
    const char *currency = o->currency ? o->currency : s && s->currency[0] ? s->currency : NULL;
    if (currency) { /* else the constituents' decide it on the base day (fix_index_currency) */
        snprintf(e->currency, sizeof e->currency, "%s", currency);
        snprintf(r->currency, sizeof r->currency, "%s", currency);
        if (defidx_currency_unit(e->currency, e->index_iso, &e->index_unit))
            return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "'%s' is not a currency code", e->currency);
        e->currency_fixed = 1;
    }
    snprintf(r->name, sizeof r->name, "%s", s && s->name[0] ? s->name : "defidx index");
    const dfx_return_info *ret = dfx_return_info_of(o->return_type);
    if (!ret->by_option)
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "return type %d is not one an option may ask for (hint: defidx_return_parse gives one)",
                                o->return_type);
    r->return_type = ret->name;
    if (o->price_field == DEFIDX_FIELD_ADJ_CLOSE) {
        /* Adjusted closes already carry the dividends: close to a total return, named as such. */
        if (ret->reinvested)
            return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "adjusted closes already include dividends: --return %s would count them twice (hint: --return price)",
                                    r->return_type);
        r->return_type = defidx_return_name(DEFIDX_RETURN_ADJUSTED);
    }
    r->max_gap = o->max_gap > 0 ? o->max_gap : 5;
    r->base_value = !isnan(o->base_value) ? o->base_value : s && !isnan(s->base_value) ? s->base_value : 100;
    int implied;
    e->weighting = weighting_asked(e, &implied);
    e->capping = (defidx_capping){s ? s->cap : NAN, s ? s->group_threshold : NAN, s ? s->group_cap : NAN};
    const dfx_weighting_info *w = dfx_weighting_info_of(e->weighting);
    if (w->needs_weights && !s)
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "%s weighting needs the weights of an index definition (hint: --index FILE)", w->name);
    if (w->needs_weights && !dfx_weighting_info_of(s->weighting)->needs_weights) {
        /* The definition checked that weights it gives add up to 1; fixed needs them everywhere. */
        int rc = require_weights(e, s->members, s->count, implied);
        for (size_t k = 0; k < s->review_count && !rc; k++)
            rc = require_weights(e, s->reviews[k].members, s->reviews[k].count, implied);
        if (rc)
            return rc;
    }
    if (!(r->base_value >= DEFIDX_BASE_VALUE_MIN && r->base_value <= DEFIDX_BASE_VALUE_MAX))
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "the base value %g is not from %g to %g",
                                r->base_value, DEFIDX_BASE_VALUE_MIN, DEFIDX_BASE_VALUE_MAX);
    e->base_wanted = o->base_date != DEFIDX_NO_DATE ? o->base_date
                     : s && s->base_date != DEFIDX_NO_DATE ? s->base_date : DEFIDX_NO_DATE;
    e->as_of_wanted = o->as_of;
    e->list = s ? s->members : NULL;
    e->list_count = s ? s->count : 0;
    if (s && s->review_count && o->rebalance != DEFIDX_REBALANCE_NONE)
        defidx_warn(&r->warnings, NULL, 0, 0, "--rebalance is ignored: the index definition has its own reviews");
    return 0;
}

/* 1 when `date` falls in [today, next): the close of today is the last one on or before it. With
 * no next date (the last day), only today itself. */
static int closes_on_today(const engine *e, int32_t date)
{
    const defidx_day *d = e->day;
    return date >= d->date && (d->next == DEFIDX_NO_DATE ? date == d->date : date < d->next);
}

/* The third Friday of a month: STOXX's review day. */
static int32_t third_friday(int y, int m)
{
    int32_t first = defidx_date_from_civil(y, m, 1);
    int to_friday = (5 - defidx_date_weekday(first) + 7) % 7;
    return first + to_friday + 14;
}

/* Periodic reviews with the current members: after the close of the third Friday (or the last
 * trading day before it) of every month, or of March, June, September and December. A review day
 * after the last date of the prices is not applied: nothing it would change can be seen. */
static int rebalance_today(const engine *e)
{
    int y, m, d;
    defidx_date_to_civil(e->day->date, &y, &m, &d);
    for (int step = 0; step < 4; step++, m = m == 12 ? 1 : m + 1, y += m == 1) {
        int32_t review_day = third_friday(y, m);
        if (review_day < e->day->date ||
            (e->opt->rebalance == DEFIDX_REBALANCE_QUARTERLY && m % 3 != 0))
            continue;
        return closes_on_today(e, review_day);
    }
    return 0;
}

/* The definition's review that takes effect at today's close (at the close of the last trading day
 * before its effective date), or NULL. One after the data ends is not applied. Two at one close (no
 * trading day between their dates): the later list wins. */
static const defidx_review *review_today(engine *e)
{
    const defidx_spec *s = e->spec;
    const defidx_review *found = NULL;
    for (; s && e->next_review < s->review_count; e->next_review++) {
        const defidx_review *rv = &s->reviews[e->next_review];
        if (e->day->next == DEFIDX_NO_DATE || rv->effective - 1 >= e->day->next)
            break;
        if (found) {
            char a[11], b[11], c[11];
            defidx_warn(&e->r->warnings, s->source, 0, 0,
                        "the reviews effective %s and %s both take effect at the close of %s; the later one is used",
                        day_text(found->effective, a), day_text(rv->effective, b), day_text(e->day->date, c));
        }
        found = rv;
    }
    return found;
}

/* The list the index starts with: the definition's, or that of the last review that takes effect
 * at or before the base date's close. */
static void start_list(engine *e)
{
    const defidx_spec *s = e->spec;
    for (; s && e->next_review < s->review_count; e->next_review++) {
        const defidx_review *rv = &s->reviews[e->next_review];
        if (e->day->next != DEFIDX_NO_DATE && rv->effective - 1 >= e->day->next)
            break;
        e->list = rv->members;
        e->list_count = rv->count;
    }
}

/* ---- prices and quantities ---------------------------------------------------------------------- */

/* The stale-rate record of iso (NULL when out of memory), added with no rate warned about yet. */
static struct stale_rate *stale_rate_of(engine *e, const char *iso)
{
    for (size_t k = 0; k < e->stale_rate_count; k++)
        if (strcmp(e->stale_rates[k].iso, iso) == 0)
            return &e->stale_rates[k];
    if (dfx_grow((void **)&e->stale_rates, &e->stale_rate_capacity, e->stale_rate_count + 1, sizeof *e->stale_rates))
        return NULL;
    struct stale_rate *s = &e->stale_rates[e->stale_rate_count++];
    snprintf(s->iso, sizeof s->iso, "%s", iso);
    s->rate_date = DEFIDX_NO_DATE;
    return s;
}

/* Warns, once per rate, when the FX file's rate of iso that converts today's prices was published
 * more than --max-gap business days before today: a file cut years ago would otherwise convert
 * today's prices with no word. Only up to the as-of date, as for a price carried (warn_gap). */
static int warn_stale_rate(engine *e, const char *iso)
{
    int32_t today = e->day->date, on = dfx_fx_rate_date(e->fx, iso, today);
    if (e->reported || on == DEFIDX_NO_DATE || defidx_date_business_days(on, today) <= e->r->max_gap)
        return 0;
    struct stale_rate *s = stale_rate_of(e, iso);
    if (!s)
        return out_of_memory(e);
    if (s->rate_date == on)
        return 0;
    s->rate_date = on;
    char a[11], b[11];
    long days = defidx_date_business_days(on, today);
    dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_STALE_RATE, NULL, 0, 0,
                  "the %s rate of %s converts prices of %s, %ld business days later (more than --max-gap %d); it is carried until the FX file has a newer one (hint: --fx with newer rates, e.g. the ECB's eurofxref-hist.csv; --max-gap sets the limit)",
                  iso, day_text(on, a), day_text(today, b), days, e->r->max_gap);
    e->r->stale_rate_count++;
    return 0;
}

/* Warns about both rates that convert member m's currency into the index's today (warn_stale_rate). */
static int warn_stale_rates(engine *e, const member *m)
{
    char iso[4];
    double unit;
    defidx_currency_unit(m->currency, iso, &unit); /* checked by choose_currency */
    int rc = warn_stale_rate(e, iso);
    return rc ? rc : warn_stale_rate(e, e->index_iso);
}

/* The factor that converts member m's quote currency into the index currency today. */
static int fx_factor_today(engine *e, const member *m, double *factor)
{
    if (e->fx_memo_date != e->day->date) {
        e->fx_memo_date = e->day->date;
        e->fx_memo_count = 0;
    }
    for (size_t k = 0; k < e->fx_memo_count; k++)
        if (strcmp(e->fx_memo[k].currency, m->currency) == 0) {
            *factor = e->fx_memo[k].factor;
            return 0;
        }
    if (m->currency_source == CURRENCY_UNKNOWN)
        return unknown_currency(e, m);
    if (!e->fx)
        return no_rates(e, m);
    int rc = defidx_fx_factor(e->fx, m->currency, e->currency, e->day->date, factor, e->err);
    if (rc) {
        char msg[sizeof e->err->message];
        snprintf(msg, sizeof msg, "%s", e->err->message);
        return defidx_error_set(e->err, rc, NULL, 0, 0, "cannot convert %s from %s: %s", m->ticker, m->currency, msg);
    }
    rc = warn_stale_rates(e, m); /* once a day and currency, as the factor is looked up */
    if (rc)
        return rc;
    if (e->fx_memo_count < sizeof e->fx_memo / sizeof e->fx_memo[0]) {
        snprintf(e->fx_memo[e->fx_memo_count].currency, sizeof e->fx_memo[0].currency, "%s", m->currency);
        e->fx_memo[e->fx_memo_count++].factor = *factor;
    }
    return 0;
}

/* The member's price in the index currency at today's close, from its carried quote. */
static int index_price(engine *e, const member *m, double *out)
{
    double factor;
    *out = NAN;
    if (isnan(m->quote))
        return 0;
    if (!isnan(m->unit_factor)) {
        *out = m->quote * m->unit_factor; /* the index's own currency: no rate to look up each day */
        return 0;
    }
    int rc = fx_factor_today(e, m, &factor);
    if (!rc)
        *out = m->quote * factor;
    return rc;
}

/* The share count and free float (NAN when not known) of a weighting that uses shares, from the
 * definition or, without one, from the price files' shares and free_float columns on that day. */
static int share_count(engine *e, member *m, const defidx_member *def, int fresh, double *shares_out,
                       double *free_float_out)
{
    /* A share count a corporate action set since the last list of the definition stays until a
     * new list brings its own; a periodic rebalance keeps it. */
    int from_action = !fresh && m->shares_from_action;
    if (from_action && !def) {
        /* Without a definition the price file's shares column may have moved on since the action:
         * a newer count there wins. */
        double now = shares_given(e, m->column);
        if (!isnan(now) && now != m->shares_given_then)
            from_action = m->shares_from_action = 0;
    }
    double shares = from_action ? m->shares : def ? def->shares : NAN;
    double ff = def ? def->free_float : NAN;
    if (isnan(shares))
        shares = shares_given(e, m->column);
    if (isnan(ff))
        ff = free_float_given(e, m->column);
    if (isnan(shares)) {
        char d[11];
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                "%s has no share count on %s for %s weighting (hint: give shares in the index definition, or --weighting equal)",
                                m->ticker, day_text(e->day->date, d), defidx_weighting_name(e->weighting));
    }
    if (fresh)
        m->shares_from_action = 0;
    m->shares = shares;
    *shares_out = shares;
    *free_float_out = ff;
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

/* 1 when x, a market value, divisor or level, is a number the outputs can show and later days can
 * divide by: finite and a normal double above 0 (a subnormal one has lost its digits). */
static int representable(double x)
{
    return isfinite(x) && x >= DBL_MIN;
}

/* The error for a `what` (level, divisor) that is not representable on the current day, naming the
 * constituent behind it: without it, the level would reach the outputs as an empty field. */
static int not_representable(engine *e, const char *what, const member *m)
{
    char d[11];
    return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                            "the index %s on %s is not a representable number, from %s at %g (hint: check its prices, share count and weight)",
                            what, day_text(e->day->date, d), m ? m->ticker : "no constituent", m ? m->price : NAN);
}

/* The member of the largest market value, the one a level or divisor out of range comes from. */
static const member *largest_member(const engine *e)
{
    const member *big = NULL;
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        if (m->quantity > 0 && (!big || !(m->quantity * m->price <= big->quantity * big->price)))
            big = m;
    }
    return big;
}

/* Records a divisor change for the audit trail: after the close of `date`, from `effective` on. */
static int note_divisor(engine *e, int32_t date, int32_t effective, double old_divisor, double before,
                        double after, const char *reason)
{
    defidx_result *r = e->r;
    if (dfx_grow((void **)&r->divisor_changes, &e->divisor_capacity, r->divisor_change_count + 1,
                    sizeof *r->divisor_changes))
        return out_of_memory(e);
    defidx_divisor_change *c = &r->divisor_changes[r->divisor_change_count++];
    c->date = date;
    c->effective = effective;
    c->old_divisor = old_divisor;
    c->new_divisor = e->divisor;
    c->value_before = before;
    c->value_after = after;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    return 0;
}

/* The capping rule as a percentage, in the C locale: 0.045 -> "4.5". */
static const char *percent_text(double fraction, char buf[32])
{
    defidx_number_format(fraction * 100, 6, buf, 32);
    return buf;
}

/* Says which way a capping rule that in constituents could not meet was applied instead (outcome
 * from defidx_cap_weights_fallback), once for each outcome and count in a row, not at every review. */
static void warn_cap_fallback(engine *e, defidx_cap_outcome outcome, size_t in)
{
    int same = outcome == e->cap_warned_outcome && in == e->cap_warned_count;
    e->cap_warned_outcome = outcome;
    e->cap_warned_count = in;
    if (outcome == DEFIDX_CAP_MET || same)
        return;
    const char *file = e->spec ? e->spec->source : NULL;
    const defidx_capping *rule = &e->capping;
    char cap[32], cap_pct[32], threshold[32], group_cap[32], other[32];
    defidx_number_format(rule->cap, 6, cap, sizeof cap);
    percent_text(rule->cap, cap_pct);
    if (outcome == DEFIDX_CAP_EQUAL) {
        defidx_number_fixed(100 / (double)in, 2, other, sizeof other);
        dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_CAPPING, file, 0, 0,
                         "cap %s cannot be met by %zu constituents (%zu x %s%% < 100%%): each is weighted 1/%zu = %s%%",
                         cap, in, in, cap_pct, in, other);
        return;
    }
    percent_text(rule->group_threshold, threshold);
    percent_text(rule->group_cap, group_cap);
    double most = dfx_cap_group_most(rule, in);
    if (most < 1 - 1e-12)
        dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_CAPPING, file, 0, 0,
                         "the group rule (weights above %s%% together at most %s%%) cannot be met by %zu constituents (under it their weights add up to at most %s%%): only the cap of %s%% is applied",
                         threshold, group_cap, in, percent_text(most, other), cap_pct);
    else
        dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_CAPPING, file, 0, 0,
                         "the group rule (weights above %s%% together at most %s%%) is not met by cutting the smallest of those weights to %s%% (docs/methodology.md): only the cap of %s%% is applied",
                         threshold, group_cap, threshold, cap_pct);
}

/* Applies the definition's capping rule to the weights the quantities give at these prices and
 * scales the quantities to the capped weights: the scale is the capping factor, held until the next
 * review, as STOXX holds it. A rule these constituents cannot meet is applied as far as it can be,
 * with a warning saying how. */
static int apply_cap(engine *e, const double *price)
{
    size_t n = e->member_count, in = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (e->members[i].quantity > 0) {
            total += price[i] * e->members[i].quantity;
            in++;
        }
    if (isnan(e->capping.cap) || total <= 0)
        return 0;
    double *w = malloc(n * sizeof *w);
    if (!w)
        return out_of_memory(e);
    for (size_t i = 0; i < n; i++)
        w[i] = e->members[i].quantity > 0 ? price[i] * e->members[i].quantity / total : 0;
    defidx_cap_outcome outcome;
    int rc = defidx_cap_weights_fallback(w, n, &e->capping, &outcome);
    if (rc == DEFIDX_ENOMEM)
        rc = out_of_memory(e);
    else if (rc)
        rc = defidx_error_set(e->err, DEFIDX_EINTERNAL, NULL, 0, 0, "capping refused the weights it was given (%d)", rc);
    else
        warn_cap_fallback(e, outcome, in);
    for (size_t i = 0; i < n && !rc; i++)
        if (e->members[i].quantity > 0)
            e->members[i].quantity = w[i] * total / price[i];
    free(w);
    return rc;
}

/* The quantity the weighting's rule gives member m (listed as def, NULL when not in a definition)
 * at `price`. */
static int weigh(engine *e, member *m, const defidx_member *def, double price, int fresh)
{
    const dfx_weighting_info *w = dfx_weighting_info_of(e->weighting);
    if (!w->quantity)
        return defidx_error_set(e->err, DEFIDX_EINTERNAL, NULL, 0, 0, "weighting not resolved");
    dfx_weigh_input in = {price, NAN, NAN, def};
    if (w->uses_shares) {
        int rc = share_count(e, m, def, fresh, &in.shares, &in.free_float);
        if (rc)
            return rc;
    }
    m->quantity = w->quantity(&in);
    return 0;
}

/* Each member's entry in the list in effect (NULL: not listed), into entry (member_count), by
 * looking each entry up rather than each member in the list. */
static void list_entries(engine *e, const defidx_member **entry)
{
    for (size_t i = 0; i < e->member_count; i++)
        entry[i] = NULL;
    for (size_t k = 0; k < e->list_count; k++) {
        member *m = find_member(e, e->list[k].ticker);
        if (m && !entry[m - e->members])
            entry[m - e->members] = &e->list[k];
    }
}

/* Sets leaf i of the sum tree to x and the partial sums above it. */
static void set_term(engine *e, size_t i, double x)
{
    size_t k = e->tree_leaves + i;
    e->sum_tree[k] = x;
    for (k /= 2; k >= 1; k /= 2)
        e->sum_tree[k] = e->sum_tree[2 * k] + e->sum_tree[2 * k + 1];
}

/* The partial sums of the tree from its leaves, all of them: on a day that visits most members,
 * cheaper than each leaf's path to the root. */
static void sum_all_terms(engine *e)
{
    for (size_t k = e->tree_leaves - 1; k >= 1; k--)
        e->sum_tree[k] = e->sum_tree[2 * k] + e->sum_tree[2 * k + 1];
}

/* The level's sum: every member's term q p, as the tree holds it. */
static double sum_of_terms(const engine *e)
{
    return e->sum_tree[1];
}

/* After the quantities change: the tree of terms, the members converted each day, and the count
 * of members in the index, all from the members anew. */
static int rebuild_sums(engine *e)
{
    size_t leaves = 1;
    while (leaves < e->member_count)
        leaves *= 2;
    if (leaves != e->tree_leaves) {
        double *tree = malloc(2 * leaves * sizeof *tree);
        if (!tree)
            return out_of_memory(e);
        free(e->sum_tree);
        e->sum_tree = tree;
        e->tree_leaves = leaves;
    }
    if (dfx_grow((void **)&e->fx_members, &e->fx_capacity, e->member_count + 1, sizeof *e->fx_members))
        return out_of_memory(e);
    e->fx_count = e->in_count = 0;
    for (size_t i = 0; i < leaves; i++) {
        const member *m = i < e->member_count ? &e->members[i] : NULL;
        int in = m && m->quantity > 0;
        e->sum_tree[leaves + i] = in ? m->price * m->quantity : 0;
        e->in_count += in;
        if (in && isnan(m->unit_factor))
            e->fx_members[e->fx_count++] = i;
    }
    sum_all_terms(e);
    return 0;
}

/* Marks member i to be visited by the next advance. */
static int touch(engine *e, size_t i)
{
    if (dfx_grow((void **)&e->touched, &e->touched_capacity, e->touched_count + 1, sizeof *e->touched))
        return out_of_memory(e);
    e->touched[e->touched_count++] = i;
    return 0;
}

/* Today's visits (see the engine): every member in the index or with a gap open, when the source
 * does not say which tickers are priced, on the base day, or when the others would be most of
 * them anyway (a list to sort costs more than a walk then); else the members priced today that
 * are in the index or have a gap open, the ones converted daily, and the touched ones. Returns
 * 1 when it visits all, 0 when some, or DEFIDX_ENOMEM. */
static int plan_visits(engine *e, int base_day)
{
    const defidx_day *d = e->day;
    size_t few = d->priced ? d->priced_count + e->fx_count + e->touched_count : e->member_count;
    int all = !d->priced || base_day || few >= e->member_count / 8;
    size_t most = all ? e->member_count : few;
    if (dfx_grow((void **)&e->visits, &e->visit_capacity, most + 1, sizeof *e->visits))
        return out_of_memory(e);
    size_t n = 0;
    if (all) {
        for (size_t i = 0; i < e->member_count; i++)
            if (e->members[i].quantity > 0 || e->members[i].gap > 0)
                e->visits[n++] = i;
    } else {
        for (size_t k = 0; k < d->priced_count; k++) {
            long i = priced_member(e, k);
            if (i >= 0 && (e->members[i].quantity > 0 || e->members[i].gap > 0))
                e->visits[n++] = (size_t)i;
        }
        for (size_t k = 0; k < e->fx_count; k++) /* not memcpy: a list never grown is NULL */
            e->visits[n++] = e->fx_members[k];
        for (size_t k = 0; k < e->touched_count; k++)
            e->visits[n++] = e->touched[k];
        qsort(e->visits, n, sizeof *e->visits, ascending_index);
        size_t unique = 0;
        for (size_t k = 0; k < n; k++)
            if (!unique || e->visits[unique - 1] != e->visits[k])
                e->visits[unique++] = e->visits[k];
        n = unique;
    }
    e->touched_count = 0;
    e->visit_count = n;
    e->member_visits += n;
    return all;
}

/* Counts the rows after m's gap_row up to row `through`, on which m, in the index, was not
 * visited, so had no close: days of its gap. */
static void catch_up_gap(engine *e, member *m, long through)
{
    if (m->quantity > 0 && through > m->gap_row) {
        if (m->gap == 0)
            m->gap_from = e->r->dates[m->gap_row + 1];
        m->gap += (size_t)(through - m->gap_row);
    }
    m->gap_row = through;
}

/* After the quantities, the divisor or a price changed by an action: each breakdown group's share
 * of the level, sum q p / D over its members in the index, anew, its sub-index kept at its level. */
static int regroup(engine *e, double level)
{
    if (!e->groups)
        return 0;
    dfx_groups_begin_change(e->groups);
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        if (m->quantity > 0 &&
            dfx_groups_hold(e->groups, i, m->country, m->currency, m->segment, m->quantity * m->price / e->divisor))
            return out_of_memory(e);
    }
    dfx_groups_end_change(e->groups, level);
    return 0;
}

/* Sets the quantities of the listed members at today's close (others leave the index) and the
 * divisor that keeps the level at `level`. A member without a price yet stays out until a review
 * where it has one. */
static int set_quantities(engine *e, double level, int fresh, const char *reason)
{
    size_t n = e->member_count;
    double *price = malloc((n ? n : 1) * sizeof *price);
    const defidx_member **entry = e->list ? malloc((n ? n : 1) * sizeof *entry) : NULL;
    if (!price || (e->list && !entry)) {
        free(price);
        free(entry);
        return out_of_memory(e);
    }
    if (entry)
        list_entries(e, entry);
    int rc = 0;
    double before = market_value(e);
    long last_row = (long)e->r->date_count - 1; /* the base day's row is not made yet */
    for (size_t i = 0; i < n; i++)
        if (!e->reported)
            catch_up_gap(e, &e->members[i], last_row);
    for (size_t i = 0; i < n && !rc; i++) {
        member *m = &e->members[i];
        const defidx_member *def = entry ? entry[i] : NULL;
        int listed = !e->list || def; /* no list: every ticker of the prices is a member */
        m->quantity = 0;
        price[i] = NAN;
        if (!listed)
            continue;
        rc = index_price(e, m, &price[i]);
        m->price = price[i];
        if (rc)
            continue;
        if (isnan(price[i])) {
            char d[11];
            defidx_warn(&e->r->warnings, NULL, 0, 0,
                        "%s has no price on or before %s; it stays out of the index until a review where it has one",
                        m->ticker, day_text(e->day->date, d));
            continue;
        }
        rc = weigh(e, m, def, price[i], fresh);
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (!isfinite(e->members[i].quantity) || e->members[i].quantity < 0) {
            char d[11];
            rc = defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                  "%s gets no usable quantity on %s (price %g) (hint: check its price and share count)",
                                  e->members[i].ticker, day_text(e->day->date, d), price[i]);
        }
    if (!rc)
        rc = apply_cap(e, price);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (e->members[i].quantity > 0)
            total += price[i] * e->members[i].quantity;
    free(price);
    free(entry);
    if (!rc && !(total > 0)) {
        char d[11];
        rc = defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0, "no constituent has a price on %s, so the index has no value",
                              day_text(e->day->date, d));
    }
    if (!rc && !(representable(total) && representable(total / level)))
        rc = not_representable(e, "divisor", largest_member(e));
    if (!rc) {
        double old = e->divisor;
        e->divisor = total / level;
        /* The base day's own level is computed with the first divisor; later ones apply from the next day. */
        int32_t effective = isnan(old) ? e->day->date : e->day->next;
        rc = note_divisor(e, e->day->date, effective, old, isnan(old) ? NAN : before, total, reason);
    }
    /* a member that leaves with a gap open has it closed by the next advance, as one priced */
    for (size_t i = 0; i < n && !rc; i++)
        if (e->members[i].gap > 0 && !(e->members[i].quantity > 0))
            rc = touch(e, i);
    if (!rc)
        rc = regroup(e, level);
    return rc ? rc : rebuild_sums(e);
}

/* 1 when quantities are share counts, which corporate actions on the shares move. */
static int market_cap_weighted(const engine *e)
{
    return dfx_weighting_info_of(e->weighting)->uses_shares;
}

/* The dividend that counts for the return variant: gross, net of withholding, or none (price). */
static double counted_dividend(const engine *e, const defidx_action *a)
{
    const dfx_return_info *ret = dfx_return_info_of(e->opt->return_type);
    if (!ret->reinvested)
        return 0;
    return ret->reinvested(a->value, isnan(a->value2) ? 0 : a->value2);
}

/* The previous close as the action adjusts it (quote currency), and the factor the quantity is
 * multiplied by. Splits and rights keep the market value (more shares at a lower price); special
 * dividends, spin-offs and, in total return, cash dividends take value out of the price. */
static void adjust(const engine *e, const defidx_action *a, double close, double *adjusted,
                   double *quantity_factor)
{
    /* quantities that follow the share count */
    int share_like = dfx_weighting_info_of(e->weighting)->follows_splits;
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

/* Applies one action before today's prices (today is at or after its ex-date): the previous close
 * is adjusted, the quantity changed, and the divisor reset so that the level at that close does not
 * move. */
static int apply_action(engine *e, const defidx_action *a, double level)
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
    int moves_shares = a->type == DEFIDX_ACTION_SHARES ||
                       (market_cap_weighted(e) && quantity_factor != 1 && m->shares > 0);
    if (a->type == DEFIDX_ACTION_SHARES) {
        quantity_factor = market_cap_weighted(e) && m->shares > 0 ? a->value / m->shares : 1;
        m->shares = a->value;
    } else if (moves_shares) {
        m->shares *= quantity_factor; /* known shares only: an unknown count stays unknown */
    }
    if (moves_shares) {
        m->shares_from_action = 1;
        m->shares_given_then = shares_given(e, m->column);
    }
    double before = market_value(e);
    int was_in = m->quantity > 0;
    m->price *= adjusted / m->quote;
    m->quote = adjusted;
    m->quantity *= quantity_factor;
    int rc = touch(e, (size_t)(m - e->members)); /* its term of the sum changes today */
    if (rc)
        return rc;
    if (!(m->quantity > 0)) {
        if (was_in) { /* a share count of 0: out of the index */
            e->in_count--;
            set_term(e, (size_t)(m - e->members), 0);
        }
        return 0;
    }
    double old = e->divisor, after = market_value(e);
    e->divisor = after / level;
    if (!representable(e->divisor))
        return not_representable(e, "divisor", m);
    if (fabs(e->divisor - old) <= 1e-12 * old)
        return 0; /* a split: the market value is unchanged, and so is the divisor */
    char reason[192];
    describe(a, reason, sizeof reason);
    return note_divisor(e, e->previous, e->day->date, old, before, after, reason);
}

/* Applies the actions whose ex-date falls after the previous trading day, up to and on today. */
static int apply_actions(engine *e, double level)
{
    const defidx_actions *acts = e->opt->actions;
    int rc = 0;
    while (!rc && acts && e->next_action < acts->count && acts->items[e->next_action].date <= e->day->date) {
        const defidx_action *a = &acts->items[e->next_action++];
        rc = apply_action(e, a, level);
        if (!rc && e->groups && find_member(e, a->ticker)) /* another ticker's action changes nothing here */
            rc = regroup(e, level);
    }
    return rc;
}

/* A quote carried into the base day from before an action's ex-date (the constituent had no price
 * on the base day) is adjusted by that action, as the next trading day's would be. Actions up to
 * the base date are then done with, for the index. */
static void adjust_carried_quotes(engine *e)
{
    const defidx_actions *acts = e->opt->actions;
    size_t k = 0;
    for (; acts && k < acts->count && acts->items[k].date <= e->day->date; k++) {
        const defidx_action *a = &acts->items[k];
        member *m = find_member(e, a->ticker);
        if (!m || isnan(m->quote) || m->quote_date >= a->date)
            continue;
        double adjusted, quantity_factor;
        adjust(e, a, m->quote, &adjusted, &quantity_factor);
        if (adjusted > 0)
            m->quote = adjusted;
    }
    e->next_action = k;
}

/* Says which actions cannot be used: for tickers outside the index, or after the data ends. */
static void check_actions(engine *e, int32_t last)
{
    const defidx_actions *acts = e->opt->actions;
    for (size_t k = 0; acts && k < acts->count; k++) {
        const defidx_action *a = &acts->items[k];
        if (!find_member(e, a->ticker))
            dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_UNUSED_TICKER, acts->source, a->line, a->column,
                             "%s is not a constituent; this action is not used", a->ticker);
        else if (a->date > last)
            defidx_warn(&e->r->warnings, acts->source, a->line, a->column,
                        "the ex-date is after the last date of the prices; this action is not used");
    }
}

/* Takes member m's marks of the period starts the pass has crossed since m last changed: its close
 * and points now are still those it had at the crossing. Called before m's close or points change,
 * and before its marks are read or adjusted; after the report no mark is needed. */
static void flush_marks(const engine *e, member *m)
{
    if (e->reported || m->flushed_at == e->crossings)
        return; /* the common case, in one comparison: no crossing since */
    for (size_t k = 0; k < e->mark_count; k++)
        if (e->crossed_at[k] > m->flushed_at)
            m->marks[k] = (period_mark){m->close, m->close_date, m->points};
    m->flushed_at = e->crossings;
}

/* Adjusts a constituent's closes before each of its actions' ex-dates by the factor the action
 * applies to the previous close (1/2 for a 2-for-1 split), so that its period returns are not
 * moved by the action itself: the adjusted-close convention of data vendors. Every close the
 * report keeps is older than today, so all of them take the factor. */
static void adjust_history(engine *e)
{
    const defidx_actions *acts = e->opt->actions;
    for (; acts && e->next_history < acts->count && acts->items[e->next_history].date <= e->day->date; e->next_history++) {
        const defidx_action *a = &acts->items[e->next_history];
        member *m = find_member(e, a->ticker);
        if (!m || isnan(m->close))
            continue;
        double adjusted, quantity_factor;
        adjust(e, a, m->close, &adjusted, &quantity_factor);
        double factor = adjusted / m->close;
        if (!(factor > 0) || factor == 1)
            continue;
        flush_marks(e, m);
        m->close *= factor;
        for (size_t k = 0; k < e->mark_count; k++)
            m->marks[k].close *= factor;
    }
}

/* ---- the pass ------------------------------------------------------------------------------------ */

/* Moves a member's quote to today's close (a holiday keeps the last one), and its reported close
 * too until the report is made. Callers have applied today's actions to both already. */
static void carry_member(engine *e, member *m)
{
    double today = close_today(e, m->column);
    if (isnan(today))
        return;
    flush_marks(e, m);
    if (m->first_date == DEFIDX_NO_DATE) {
        m->first_date = e->day->date;
        e->unpriced_first -= m->in_first_list;
    }
    m->quote = today;
    m->quote_date = e->day->date;
    if (!e->reported) {
        m->close = today;
        m->close_date = e->day->date;
    }
}

/* Moves every member with a close today on to it: those of the tickers the source lists as priced
 * today, or, when it lists none (a panel), every member. */
static void carry_today(engine *e)
{
    const defidx_day *d = e->day;
    e->member_visits += d->priced ? d->priced_count : e->member_count;
    if (!d->priced) {
        for (size_t i = 0; i < e->member_count; i++)
            carry_member(e, &e->members[i]);
        return;
    }
    for (size_t k = 0; k < d->priced_count; k++) {
        long i = priced_member(e, k);
        if (i >= 0)
            carry_member(e, &e->members[i]);
    }
}

/* Warns about a price carried over more than max_gap trading days while the constituent was in
 * the index, up to the as-of date: days before it joins or after it leaves do not count. */
static void warn_gap(engine *e, member *m, int32_t last_missing, const char *suffix)
{
    if (m->gap > (size_t)e->r->max_gap) {
        char from[11], to[11];
        dfx_warn_kind(&e->r->warnings, DEFIDX_WARNING_STALE_PRICE, NULL, 0, 0, "%s has no price on %zu trading days, %s to %s%s; its last close was carried",
                         m->ticker, m->gap, day_text(m->gap_from, from), day_text(last_missing, to), suffix);
        e->r->stale_count++;
    }
    m->gap = 0;
}

/* Counts a day a member in the index goes without a price, or closes its gap with a warning. */
static void track_gap(engine *e, member *m)
{
    if (m->quantity > 0 && isnan(close_today(e, m->column))) {
        if (m->gap++ == 0)
            m->gap_from = e->day->date;
    } else if (m->gap) {
        warn_gap(e, m, e->previous, "");
    }
}

/* Moves every member to today's close and returns the level and how many constituents the index
 * holds; each visited member's share of the change, q_i (p_i(t) - p_i(t-1)) / D, is added to its
 * points (not on the base day, whose prices set the quantities), its term of the sum set, and its
 * days without a price counted. A member not visited (plan_visits) has none of these to change. */
static int advance(engine *e, int base_day, double *level, int *in)
{
    long row = (long)e->r->date_count; /* the row today's level will be */
    carry_today(e);
    int all = plan_visits(e, base_day), rc = all < 0 ? all : 0;
    for (size_t v = 0; v < e->visit_count && !rc; v++) {
        size_t i = e->visits[v];
        member *m = &e->members[i];
        double p;
        flush_marks(e, m); /* its points change with the rate, without a close of its own */
        if (!e->reported) { /* up to the as-of date */
            catch_up_gap(e, m, row - 1);
            track_gap(e, m);
            m->gap_row = row;
        }
        if (!(m->quantity > 0))
            continue; /* a gap closed; priced at the review that brings it in (set_quantities) */
        if ((rc = index_price(e, m, &p)))
            break;
        if (!base_day) {
            double points = m->quantity * (p - m->price) / e->divisor;
            m->points += points;
            if (e->groups) /* compute --by: no call on the pass's hot path without it */
                dfx_groups_move(e->groups, i, points);
        }
        m->price = p;
        if (all)
            e->sum_tree[e->tree_leaves + i] = p * m->quantity;
        else
            set_term(e, i, p * m->quantity);
        if (!isfinite(p * m->quantity) || !isfinite(m->points))
            rc = not_representable(e, "level", m);
    }
    if (rc)
        return rc;
    if (all)
        sum_all_terms(e);
    double total = sum_of_terms(e);
    *in = (int)e->in_count;
    *level = total / e->divisor;
    if (*in && !(isfinite(total) && representable(*level) && *level <= DEFIDX_LEVEL_MAX))
        return not_representable(e, "level", largest_member(e));
    return 0;
}

/* Appends today's row to the series: the level and how many constituents the index holds. */
static int add_row(engine *e, double level, int in)
{
    defidx_result *r = e->r;
    size_t need = r->date_count + 1, c1 = e->row_capacity, c2 = c1, c3 = c1;
    if (dfx_grow((void **)&r->levels, &c1, need, sizeof *r->levels) ||
        dfx_grow((void **)&r->divisors, &c2, need, sizeof *r->divisors) ||
        dfx_grow((void **)&r->constituents_in, &c3, need, sizeof *r->constituents_in) ||
        dfx_grow((void **)&r->dates, &e->row_capacity, need, sizeof *r->dates))
        return out_of_memory(e);
    r->dates[r->date_count] = e->day->date;
    r->levels[r->date_count] = level;
    r->divisors[r->date_count] = e->divisor;
    r->constituents_in[r->date_count] = in;
    r->date_count++;
    return 0;
}



/* 1 when today is the as-of day: the last date on or before --as-of, or the last date. */
static int as_of_today(const engine *e)
{
    const defidx_day *d = e->day;
    if (e->as_of_wanted == DEFIDX_NO_DATE)
        return d->next == DEFIDX_NO_DATE;
    return d->date <= e->as_of_wanted && (d->next == DEFIDX_NO_DATE || e->as_of_wanted < d->next);
}

/* 1 when the pass crosses the start of period k between the previous date and today, and the
 * crossing is one the report may use: on the as-of day, or when the pass from today to the next
 * date does not cross into period k again (the next day would mark over this one). 1d crosses
 * every day, so only the as-of day's own crossing is kept. */
static int crossed_for_report(const engine *e, size_t k)
{
    const dfx_period_rule *rule = &e->rules[k];
    int32_t today = e->day->date, next = e->day->next;
    if (!dfx_period_crossed(rule, e->previous, today))
        return 0;
    return as_of_today(e) || next == DEFIDX_NO_DATE || !dfx_period_crossed(rule, today, next);
}

/* Keeps what the report needs of the past as the pass crosses a period boundary between the
 * previous date and today: the index's last row before it here, and each member's last close
 * before it and its points at that row through flush_marks, when the member next changes. */
static void mark_boundaries(engine *e)
{
    if (e->previous == DEFIDX_NO_DATE)
        return; /* the first date: no close lies before any boundary */
    long row = e->phase == RUNNING ? (long)e->r->date_count - 1 : -1;
    for (size_t k = 0; k < e->mark_count; k++) {
        if (!crossed_for_report(e, k))
            continue;
        e->mark_row[k] = row;
        e->crossed_at[k] = ++e->crossings; /* each member's mark is taken by flush_marks */
        dfx_groups_mark(e->groups, k);
    }
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

/* Default weighting: free-float market cap when every constituent has a share count, else equal. */
static int choose_default_weighting(engine *e)
{
    if (e->weighting != DEFIDX_WEIGHT_DEFAULT)
        return e->weighting;
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        /* the definition's own list is added first, so first_listed is its entry when it has one */
        int known = !isnan(shares_given(e, m->column)) ||
                    (m->in_first_list && !isnan(m->first_listed->shares));
        if (!known)
            return DEFIDX_WEIGHT_EQUAL;
    }
    return DEFIDX_WEIGHT_FFMCAP;
}

/* 1 when m belongs to the first composition, whose common start is the default base date: the
 * definition's first list, else every ticker of the prices. */
static int in_first_composition(const engine *e, const member *m)
{
    return !e->spec || m->in_first_list;
}

/* 1 when today is the base day: the last date on or before the base date asked for; with none, the
 * first date on which every constituent of the first composition known so far has a price. A
 * source that meets tickers as it goes (a date-sorted file) may meet one later that starts later:
 * defidx_run_finish then gives the true common start, and the computation is run again from it. */
static int base_today(const engine *e)
{
    const defidx_day *d = e->day;
    if (e->base_wanted != DEFIDX_NO_DATE)
        return d->date <= e->base_wanted && (d->next == DEFIDX_NO_DATE || e->base_wanted < d->next);
    /* without a definition a ticker becomes a member with its first close: all are priced */
    return e->member_count > 0 && e->unpriced_first == 0;
}

/* After the pass: the common start over the first composition's members priced by the as-of date
 * (without a definition a ticker first priced later is reported, not waited for), and with the
 * default base date the member that sets it. A member whose prices end before it means there is
 * no date on which all have one: the default cannot be met, and a base carried for ever would be
 * a fiction, so that is an error. */
static int find_common_start(engine *e)
{
    defidx_result *r = e->r;
    const member *last = NULL, *ends = NULL;
    int32_t first = DEFIDX_NO_DATE;
    for (size_t i = 0; i < e->member_count; i++) {
        const member *m = &e->members[i];
        if (!in_first_composition(e, m) || m->first_date == DEFIDX_NO_DATE || m->first_date > r->as_of)
            continue;
        if (!last || m->first_date > last->first_date)
            last = m;
        if (!ends || m->close_date < ends->close_date)
            ends = m;
        if (first == DEFIDX_NO_DATE || m->first_date < first)
            first = m->first_date;
    }
    r->common_start = last ? last->first_date : r->base_date;
    if (e->base_wanted != DEFIDX_NO_DATE || !last || last->first_date == first)
        return 0; /* given, or nothing left out: worth no note */
    if (ends->close_date < last->first_date) {
        char a[11], b[11];
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                "no date has a price for every constituent: %s's prices end on %s, before %s's begin on %s, so there is no common start to base the index on (hint: --base-date DATE, or leave one of them out)",
                                ends->ticker, day_text(ends->close_date, a), last->ticker, day_text(last->first_date, b));
    }
    snprintf(r->base_last, sizeof r->base_last, "%s", last->ticker);
    return 0;
}

/* Why an index with a definition and the default base date cannot start by the as-of date: a
 * constituent of the first list has no price by then (one with no price at all is
 * check_all_priced's). */
static int never_started(engine *e)
{
    char a[11];
    for (size_t i = 0; e->spec && e->as_of_wanted != DEFIDX_NO_DATE && i < e->member_count; i++) {
        const member *m = &e->members[i];
        if (m->in_first_list && (m->first_date == DEFIDX_NO_DATE || m->first_date > e->as_of_wanted)) {
            const defidx_member *def = m->first_listed;
            return defidx_error_set(e->err, DEFIDX_EDATA, e->spec->source, def ? def->line : 0, def ? def->column : 0,
                                    "%s has no price on or before the as-of date %s, so the index cannot start: it starts on the first date on which every constituent of the first list has one (hint: --base-date, base_date in the definition, or a review that adds %s later)",
                                    m->ticker, day_text(e->as_of_wanted, a), m->ticker);
        }
    }
    return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "no prices to compute an index from");
}

/* The base day: the list in effect, the first quantities and the divisor that gives the base value. */
static int start_index(engine *e)
{
    defidx_result *r = e->r;
    char a[11], b[11];
    r->base_date = e->day->date;
    if (e->base_wanted != DEFIDX_NO_DATE && e->base_wanted != e->day->date)
        dfx_warn_kind(&r->warnings, DEFIDX_WARNING_BASE_DATE, NULL, 0, 0, "no prices on the base date %s; the index starts on %s, the last date before it",
                         day_text(e->base_wanted, a), day_text(e->day->date, b));
    if (e->as_of_wanted != DEFIDX_NO_DATE && e->as_of_wanted < e->day->date && e->base_wanted == DEFIDX_NO_DATE && e->spec)
        return never_started(e);
    if (e->as_of_wanted != DEFIDX_NO_DATE && e->as_of_wanted < e->day->date)
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "--as-of %s is before the index's base date %s", day_text(e->as_of_wanted, a), day_text(e->day->date, b));
    start_list(e);
    adjust_carried_quotes(e);
    e->weighting = choose_default_weighting(e);
    int rc = fix_index_currency(e), in = 0;
    if (!rc)
        rc = set_quantities(e, r->base_value, 1, "base");
    double level;
    e->phase = RUNNING;
    if (!rc)
        rc = advance(e, 1, &level, &in);
    return rc ? rc : add_row(e, r->base_value, in); /* exact, not base_value * D / D */
}

/* A day after the base: actions before its prices, the level at its close. */
static int next_level(engine *e)
{
    defidx_result *r = e->r;
    double level;
    int in = 0, rc = apply_actions(e, r->levels[r->date_count - 1]);
    if (!rc)
        rc = advance(e, 0, &level, &in);
    return rc ? rc : add_row(e, level, in);
}

/* Reviews and rebalances take effect at today's close, after today's level. */
static int review(engine *e)
{
    double level = e->r->levels[e->r->date_count - 1];
    if (e->spec && e->spec->review_count) {
        const defidx_review *rv = review_today(e);
        if (!rv)
            return 0;
        e->list = rv->members;
        e->list_count = rv->count;
        e->r->review_count++;
        return set_quantities(e, level, 1, "review");
    }
    if (e->opt->rebalance == DEFIDX_REBALANCE_NONE || !rebalance_today(e))
        return 0;
    e->r->review_count++;
    return set_quantities(e, level, 0, "rebalance");
}

/* ---- what is reported ------------------------------------------------------------------------------- */

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

/* What a breakdown groups a constituent by. */
static void report_groups_of(const member *m, defidx_constituent *c)
{
    snprintf(c->country, sizeof c->country, "%s", m->country);
    c->country_source = m->country_source;
    snprintf(c->segment, sizeof c->segment, "%s", m->segment);
}

/* A constituent's row at the as-of close: its own returns in its quote currency from its closes
 * before each period's boundary, its weight, and its share of each of the index's period returns.
 * A period whose base is on the as-of day itself (a "since" date on it) has not been crossed: its
 * base is the as-of close. */
static int report_member(engine *e, member *m, const long *index_base, defidx_constituent *c)
{
    flush_marks(e, m);
    const defidx_result *r = e->r;
    size_t n = e->mark_count;
    c->periods = calloc(n, sizeof *c->periods);
    c->contribution = calloc(n, sizeof *c->contribution);
    if (!c->periods || !c->contribution)
        return out_of_memory(e);
    snprintf(c->ticker, sizeof c->ticker, "%s", m->ticker);
    snprintf(c->name, sizeof c->name, "%s", m->name ? m->name : "");
    snprintf(c->currency, sizeof c->currency, "%s", m->currency);
    report_groups_of(m, c);
    c->price_date = m->close_date;
    c->price = m->close;
    c->weight = m->weight_at_as_of;
    c->stale = c->price_date != DEFIDX_NO_DATE && defidx_date_business_days(c->price_date, r->as_of) > r->max_gap;
    e->r->stale_constituents += c->stale;
    for (size_t k = 0; k < n; k++) {
        const dfx_period_rule *rule = &e->rules[k];
        period_mark now = {m->close, m->close_date, m->points};
        const period_mark *at = dfx_period_cut(rule, r->as_of) > r->as_of ? &now : &m->marks[k];
        long base = dfx_period_starts_after(rule, r->as_of) || isnan(at->close) ? -1 : 0;
        dfx_period_fill(&c->periods[k], rule, base, &at->date, &at->close, c->price);
        long b = index_base[k];
        c->contribution[k] = b < 0 ? NAN : (m->points - at->points) / r->levels[b];
    }
    return 0;
}

/* The report at the as-of close: the index's periods, all-time high and every constituent so far.
 * The series' row before each period's boundary, found by the periods' own rule, must be the one
 * the pass marked: they are two computations of one thing. */
static int report(engine *e)
{
    defidx_result *r = e->r;
    size_t as_of_row = r->date_count - 1, n = e->mark_count;
    r->as_of = e->day->date;
    r->level = r->levels[as_of_row];
    r->weighting = e->weighting;
    all_time_high(r, as_of_row);
    long *index_base = malloc(n * sizeof *index_base);
    int *based = malloc(n * sizeof *based);
    r->periods = calloc(n, sizeof *r->periods);
    r->constituents = calloc(e->member_count ? e->member_count : 1, sizeof *r->constituents);
    int rc = !index_base || !based || !r->periods || !r->constituents ? out_of_memory(e) : 0;
    if (!rc)
        r->period_count = n;
    for (size_t k = 0; k < r->period_count && !rc; k++) {
        const dfx_period_rule *rule = &e->rules[k];
        index_base[k] = dfx_period_base(rule, r->as_of, r->dates, r->levels, as_of_row + 1);
        dfx_period_fill(&r->periods[k], rule, index_base[k], r->dates, r->levels, r->level);
        /* a base on the as-of day itself is not crossed by the pass: the as-of row */
        long marked = dfx_period_cut(rule, r->as_of) <= r->as_of ? e->mark_row[k]
                      : dfx_period_starts_after(rule, r->as_of) ? -1
                                                                    : (long)as_of_row;
        if (marked != index_base[k])
            rc = defidx_error_set(e->err, DEFIDX_EINTERNAL, NULL, 0, 0, "period %s: base row %ld, marked %ld",
                                  rule->name, index_base[k], marked);
        based[k] = index_base[k] < 0 ? 0 : dfx_period_cut(rule, r->as_of) > r->as_of ? 2 : 1;
    }
    if (!rc)
        dfx_groups_close(e->groups, based);
    for (size_t i = 0; i < e->member_count && !rc; i++) {
        rc = report_member(e, &e->members[i], index_base, &r->constituents[i]);
        r->constituent_count++;
    }
    free(index_base);
    free(based);
    e->reported = 1;
    return rc;
}

/* The quote currency of constituents reported at the as-of close before they were bound: a member
 * first priced after the as-of date is bound when its ticker first comes, which a reader that
 * gives tickers as they come (the one pass) does after the report, while the panel gives every
 * ticker on its first day. Copied here, the report says the same whichever reader fed the run.
 * The reported constituents are still in the members' order (sorted by weight afterwards). */
static void report_late_currencies(engine *e)
{
    defidx_result *r = e->r;
    for (size_t i = 0; i < r->constituent_count && i < e->member_count; i++)
        if (!r->constituents[i].currency[0])
            snprintf(r->constituents[i].currency, sizeof r->constituents[i].currency, "%s", e->members[i].currency);
}

/* Drops from the result the constituents without a single price: check_all_priced let through
 * only those that reviews after the data list, which are not applied. Called before the sort,
 * while the result's constituents are in the members' order. */
static void drop_unpriced_members(engine *e)
{
    defidx_result *r = e->r;
    size_t kept = 0;
    for (size_t i = 0; i < r->constituent_count; i++) {
        if (i < e->member_count && e->members[i].column < 0) {
            free(r->constituents[i].periods);
            free(r->constituents[i].contribution);
            continue;
        }
        r->constituents[kept++] = r->constituents[i];
    }
    r->constituent_count = kept;
}

/* Constituents that first showed a price after the as-of date: in the report, without a price. */
static int report_later_members(engine *e)
{
    defidx_result *r = e->r;
    report_late_currencies(e);
    size_t from = r->constituent_count;
    if (from == e->member_count)
        return 0;
    defidx_constituent *grown = realloc(r->constituents, e->member_count * sizeof *grown);
    if (!grown)
        return out_of_memory(e);
    r->constituents = grown;
    for (size_t i = from; i < e->member_count; i++) {
        defidx_constituent *c = &r->constituents[i];
        memset(c, 0, sizeof *c);
        r->constituent_count++;
        c->periods = calloc(r->period_count ? r->period_count : 1, sizeof *c->periods);
        c->contribution = calloc(r->period_count ? r->period_count : 1, sizeof *c->contribution);
        if (!c->periods || !c->contribution)
            return out_of_memory(e);
        const member *m = &e->members[i];
        snprintf(c->ticker, sizeof c->ticker, "%s", m->ticker);
        snprintf(c->name, sizeof c->name, "%s", m->name ? m->name : "");
        snprintf(c->currency, sizeof c->currency, "%s", m->currency);
        report_groups_of(m, c);
        c->price_date = DEFIDX_NO_DATE;
        c->price = NAN;
        for (size_t k = 0; k < r->period_count; k++) {
            snprintf(c->periods[k].name, sizeof c->periods[k].name, "%s", r->periods[k].name);
            c->periods[k].kind = r->periods[k].kind;
            c->periods[k].base_date = DEFIDX_NO_DATE;
            c->periods[k].base_value = c->periods[k].ret = NAN;
            c->contribution[k] = r->periods[k].base_date == DEFIDX_NO_DATE ? NAN : 0;
        }
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

/* ---- the public entry points -------------------------------------------------------------------------- */

int defidx_run_start(const defidx_spec *spec, const defidx_fx *fx, const defidx_options *opt,
                     defidx_run **out, defidx_error *err)
{
    *out = NULL;
    if (opt && dfx_options_version(opt->version, "options", err))
        return DEFIDX_EUSAGE;
    defidx_run *run = calloc(1, sizeof *run);
    if (!run)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    engine *e = &run->e;
    *e = (engine){.spec = spec, .fx = fx, .opt = opt, .divisor = NAN, .previous = DEFIDX_NO_DATE,
                  .fx_memo_date = DEFIDX_NO_DATE, .err = err};
    int32_t default_since = defidx_date_from_civil(DEFIDX_DEFAULT_SINCE_Y, DEFIDX_DEFAULT_SINCE_M, DEFIDX_DEFAULT_SINCE_D);
    const int32_t *since = opt->since_count ? opt->since : &default_since;
    size_t since_count = opt->since_count ? opt->since_count : 1;
    e->mark_count = dfx_period_count(since_count);
    e->r = calloc(1, sizeof *e->r);
    e->rules = malloc(e->mark_count * sizeof *e->rules);
    e->mark_row = malloc(e->mark_count * sizeof *e->mark_row);
    e->crossed_at = calloc(e->mark_count, sizeof *e->crossed_at);
    int rc = !e->r || !e->rules || !e->mark_row || !e->crossed_at ? out_of_memory(e) : resolve_settings(e);
    if (!rc)
        dfx_period_plan(since, since_count, e->rules, e->mark_count);
    for (size_t k = 0; k < e->mark_count && !rc; k++)
        e->mark_row[k] = -1;
    if (!rc && opt->version >= 2)
        rc = dfx_groups_check_keys(opt->by, opt->by_count, err);
    if (!rc && opt->version >= 2 && dfx_groups_new(&e->groups, opt->by, opt->by_count, e->mark_count))
        rc = out_of_memory(e);
    if (!rc && spec) {
        rc = add_listed(e, spec->members, spec->count, 1, INT32_MIN);
        for (size_t k = 0; k < spec->review_count && !rc; k++)
            rc = add_listed(e, spec->reviews[k].members, spec->reviews[k].count, 0, spec->reviews[k].effective);
    }
    if (rc) {
        defidx_run_free(run);
        return rc;
    }
    *out = run;
    return 0;
}

/* At the as-of day's close: the gaps still open, the weights and the report. */
static int report_as_of(engine *e)
{
    char a[11], b[11];
    for (size_t i = 0; i < e->member_count; i++) {
        catch_up_gap(e, &e->members[i], (long)e->r->date_count - 1);
        if (e->members[i].gap)
            warn_gap(e, &e->members[i], e->day->date, " (the as-of date)");
    }
    if (e->as_of_wanted != DEFIDX_NO_DATE && e->as_of_wanted != e->day->date)
        defidx_warn(&e->r->warnings, NULL, 0, 0, "no prices on %s; reporting %s, the last date before it",
                    day_text(e->as_of_wanted, a), day_text(e->day->date, b));
    record_weights(e);
    return report(e);
}

/* Today, once the checks of defidx_run_day are passed. */
static int compute_day(engine *e)
{
    char a[11], b[11];
    if (e->previous == DEFIDX_NO_DATE && e->base_wanted != DEFIDX_NO_DATE && e->base_wanted < e->day->date)
        return defidx_error_set(e->err, DEFIDX_EDATA, NULL, 0, 0,
                                "the base date %s is before the first date of the prices, %s (hint: --base-date)",
                                day_text(e->base_wanted, a), day_text(e->day->date, b));
    int rc = meet_tickers(e);
    if (!rc && !e->reported) { /* before today's closes move the quotes and closes on */
        adjust_history(e);
        mark_boundaries(e);
    }
    if (!rc && e->phase == BEFORE_BASE) {
        carry_today(e);
        if (base_today(e))
            rc = start_index(e);
    } else if (!rc) {
        rc = next_level(e);
    }
    if (!rc && e->phase == RUNNING && !e->reported && as_of_today(e))
        rc = report_as_of(e);
    if (!rc && e->phase == RUNNING && e->r->dates[0] != e->day->date)
        rc = review(e);
    return rc;
}

int defidx_run_day(defidx_run *run, const defidx_day *day, defidx_error *err)
{
    engine *e = &run->e;
    defidx_error local;
    e->err = err ? err : &local;
    e->day = day;
    if (e->failed)
        return defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "a day of this run failed; it takes no more days");
    int rc = 0;
    if ((e->previous != DEFIDX_NO_DATE && day->date != e->promised) ||
        (day->next != DEFIDX_NO_DATE && day->next <= day->date))
        /* the base, as-of and review days were decided on the promise */
        rc = defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0,
                              "days must come in ascending date order, each on the date the day before gave as next");
    else
        rc = result_warnings_check(e->r, compute_day(e), e->err);
    e->previous = day->date;
    e->promised = day->next;
    e->failed = rc != 0;
    return rc;
}

int defidx_run_finish(defidx_run *run, size_t ticker_count, const char *const *tickers,
                      defidx_result **out, defidx_error *err)
{
    engine *e = &run->e;
    defidx_error local;
    e->err = err ? err : &local;
    *out = NULL;
    int rc = 0;
    if (e->failed)
        rc = defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "a day of this run failed; it has no result");
    else if (e->previous != DEFIDX_NO_DATE && e->phase == BEFORE_BASE && e->promised == DEFIDX_NO_DATE)
        rc = check_all_priced(e) ? e->err->code : never_started(e);
    else if (e->previous == DEFIDX_NO_DATE || !e->reported || e->promised != DEFIDX_NO_DATE)
        rc = defidx_error_set(e->err, DEFIDX_EUSAGE, NULL, 0, 0, "no prices to compute an index from");
    if (!rc)
        rc = check_all_priced(e);
    if (!rc)
        rc = find_common_start(e);
    if (!rc) {
        note_inferred_currencies(e);
        warn_unused_currencies(e);
        warn_reviews_after_data(e, e->previous);
        if (e->spec)
            warn_unused_tickers(e, ticker_count, tickers);
        check_actions(e, e->previous);
        rc = result_warnings_check(e->r, report_later_members(e), e->err);
    }
    if (!rc) {
        drop_unpriced_members(e);
        qsort(e->r->constituents, e->r->constituent_count, sizeof *e->r->constituents, by_weight);
        if (e->opt->version >= 2 && dfx_groups_report(e->groups, e->opt->by, e->opt->by_count, e->r))
            rc = out_of_memory(e);
    }
    if (!rc) {
        *out = e->r;
        e->r = NULL;
    }
    defidx_run_free(run);
    return rc;
}

void defidx_run_free(defidx_run *run)
{
    if (!run)
        return;
    free_engine(&run->e);
    free(run);
}

/* The spikes the panel found in constituents' closes, as warnings at their rows; a ticker the
 * index does not use is no concern of its result. */
static void report_spikes(const defidx_panel *panel, defidx_result *r)
{
    for (size_t k = 0; k < dfx_panel_spike_count(panel); k++) {
        const char *ticker = dfx_panel_spike_ticker(panel, k);
        for (size_t i = 0; i < r->constituent_count; i++)
            if (strcmp(r->constituents[i].ticker, ticker) == 0) {
                dfx_panel_warn_spike(panel, k, &r->warnings);
                r->spike_count++;
                break;
            }
    }
}

/* The panel, one date at a time: each date's closes and the share counts in effect. */
static int compute_once(const defidx_panel *panel, const defidx_spec *spec, const defidx_fx *fx,
                        const defidx_options *opt, defidx_result **out, defidx_error *err)
{
    *out = NULL;
    if (!panel || defidx_panel_date_count(panel) == 0)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "no prices to compute an index from");
    size_t n = defidx_panel_date_count(panel), t = defidx_panel_ticker_count(panel);
    const char **tickers = malloc(t * sizeof *tickers), **currencies = malloc(t * sizeof *currencies);
    double *close = malloc(3 * t * sizeof *close);
    defidx_run *run = NULL;
    int rc = !tickers || !currencies || !close ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
                                               : defidx_run_start(spec, fx, opt, &run, err);
    for (size_t j = 0; j < t && !rc; j++) {
        tickers[j] = defidx_panel_ticker(panel, j);
        currencies[j] = defidx_panel_currency(panel, j);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t j = 0; j < t; j++) {
            close[j] = defidx_panel_price(panel, j, i);
            close[t + j] = defidx_panel_shares(panel, j, i);
            close[2 * t + j] = defidx_panel_free_float(panel, j, i);
        }
        defidx_day day = {defidx_panel_date(panel, i), i + 1 < n ? defidx_panel_date(panel, i + 1) : DEFIDX_NO_DATE,
                          t, tickers, currencies, close, close + t, close + 2 * t, NULL, 0};
        rc = defidx_run_day(run, &day, err);
    }
    if (rc)
        defidx_run_free(run);
    else if (!(rc = defidx_run_finish(run, t, tickers, out, err))) {
        report_spikes(panel, *out);
        if ((rc = result_warnings_check(*out, 0, err))) {
            defidx_result_free(*out);
            *out = NULL;
        }
    }
    free(tickers);
    free(currencies);
    free(close);
    return rc;
}

int dfx_compute_again_from_common_start(defidx_result **out, const defidx_options *opt,
                                           int (*compute)(const defidx_options *opt, void *source,
                                                          defidx_result **out, defidx_error *err),
                                           void *source, defidx_error *err)
{
    defidx_result *first = *out;
    if (!first->base_last[0] || first->common_start <= first->base_date)
        return 0;
    defidx_options again = *opt;
    again.base_date = first->common_start;
    defidx_result *second = NULL;
    int rc = compute(&again, source, &second, err);
    if (!rc) {
        /* the base date is still the default one: say so, and who set it */
        memcpy(second->base_last, first->base_last, sizeof second->base_last);
        defidx_result_free(first);
        *out = second;
    } else {
        defidx_result_free(first);
        *out = NULL;
    }
    return rc;
}

typedef struct panel_source {
    const defidx_panel *panel;
    const defidx_spec *spec;
    const defidx_fx *fx;
} panel_source;

static int compute_panel_source(const defidx_options *opt, void *source, defidx_result **out, defidx_error *err)
{
    const panel_source *p = source;
    return compute_once(p->panel, p->spec, p->fx, opt, out, err);
}

int defidx_compute(const defidx_panel *panel, const defidx_spec *spec, const defidx_fx *fx,
                   const defidx_options *opt, defidx_result **out, defidx_error *err)
{
    defidx_options defaults;
    if (!opt) {
        defidx_options_init(&defaults);
        opt = &defaults;
    }
    panel_source source = {panel, spec, fx};
    int rc = compute_panel_source(opt, &source, out, err);
    return rc ? rc : dfx_compute_again_from_common_start(out, opt, compute_panel_source, &source, err);
}

size_t dfx_run_member_visits(const defidx_run *run)
{
    return run->e.member_visits;
}
