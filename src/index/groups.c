/* groups.c: breakdowns by country, currency or segment (compute --by, docs/methodology.md
 * "Breakdowns").
 *
 * A group's return is that of its own sub-index, chained the way the index is: between two changes
 * of quantities or divisor its level moves as its members' part of the index level, H = sum q p / D
 * over them, and at a change it is rescaled so that it does not move. H moves each day by the
 * members' points, so the pass adds to it what it adds to their points (dfx_groups_move) and visits
 * no other member; a change recomputes H from every member, as the change itself does. The level
 * at each period's start is kept as the pass crosses it, as the members' marks are. A group's
 * contribution is its members' contributions added, so the groups' add up to the index's return
 * exactly as the constituents' do. */
#include "index/groups.h"
#include "util/names.h"

#include <stdlib.h>
#include <string.h>

static const char *const key_names[DEFIDX_GROUP_KEY_COUNT] = {"country", "currency", "segment"};

const char *defidx_group_key_name(int key)
{
    return key >= 0 && key < DEFIDX_GROUP_KEY_COUNT ? key_names[key] : NULL;
}

int defidx_group_key_parse(const char *name)
{
    for (int k = 0; name && k < DEFIDX_GROUP_KEY_COUNT; k++)
        if (strcmp(name, key_names[k]) == 0)
            return k;
    return -1;
}

void dfx_group_name(int key, const char *country, const char *currency, const char *segment, char out[64])
{
    char iso[4] = "";
    double unit;
    const char *name = key == DEFIDX_GROUP_COUNTRY ? country
                       : key == DEFIDX_GROUP_SEGMENT ? segment
                       : defidx_currency_unit(currency ? currency : "", iso, &unit) == 0 ? iso
                                                                                         : "";
    snprintf(out, 64, "%s", name && name[0] ? name : DEFIDX_GROUP_UNKNOWN);
}

/* ---- the sub-indices ------------------------------------------------------------------------------ */

/* One group's sub-index: its level is level_at x share / share_at, or level_at while it holds
 * nothing (share_at 0); NAN before it first holds a member. */
typedef struct group {
    char name[64];
    double level_at, share_at, share;
    double *marks;   /* the level at each period's start, as the pass crossed it */
    double *returns; /* at the as-of close (dfx_groups_close) */
} group;

typedef struct key_groups {
    int key;
    group *groups;
    size_t count, capacity;
    dfx_names names;          /* the groups' names, interned in the groups' order: id = place */
    size_t *of_member;        /* the engine's member index -> group index + 1; 0: not yet seen */
    size_t member_capacity;
} key_groups;

struct dfx_groups {
    size_t key_count, period_count;
    key_groups keys[DEFIDX_GROUP_KEY_COUNT];
    int closed;               /* the as-of close is past: nothing moves any more */
};

/* keys without repeats, in their first order, into unique: a key asked twice is reported once. */
static size_t unique_keys(const int *keys, size_t key_count, int unique[DEFIDX_GROUP_KEY_COUNT])
{
    size_t n = 0;
    for (size_t j = 0; j < key_count; j++) {
        size_t seen = 0;
        while (seen < n && unique[seen] != keys[j])
            seen++;
        if (seen == n && n < DEFIDX_GROUP_KEY_COUNT)
            unique[n++] = keys[j];
    }
    return n;
}

int dfx_groups_check_keys(const int *keys, size_t key_count, defidx_error *err)
{
    for (size_t j = 0; j < key_count; j++)
        if (!defidx_group_key_name(keys ? keys[j] : -1))
            return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "options.by[%zu] is %d, not a defidx_group_key (country, currency or segment)", j,
                                    keys ? keys[j] : -1);
    return 0;
}

int dfx_groups_new(dfx_groups **out, const int *keys, size_t key_count, size_t period_count)
{
    *out = NULL;
    if (!key_count)
        return 0;
    dfx_groups *g = calloc(1, sizeof *g);
    if (!g)
        return DEFIDX_ENOMEM;
    int unique[DEFIDX_GROUP_KEY_COUNT];
    g->key_count = unique_keys(keys, key_count, unique);
    for (size_t j = 0; j < g->key_count; j++)
        g->keys[j].key = unique[j];
    g->period_count = period_count;
    *out = g;
    return 0;
}

void dfx_groups_free(dfx_groups *g)
{
    if (!g)
        return;
    for (size_t j = 0; j < g->key_count; j++) {
        for (size_t i = 0; i < g->keys[j].count; i++) {
            free(g->keys[j].groups[i].marks);
            free(g->keys[j].groups[i].returns);
        }
        free(g->keys[j].groups);
        dfx_names_free(&g->keys[j].names);
        free(g->keys[j].of_member);
    }
    free(g);
}

static double level_now(const group *x)
{
    return x->share_at > 0 ? x->level_at * (x->share / x->share_at) : x->level_at;
}

void dfx_groups_begin_change(dfx_groups *g)
{
    for (size_t j = 0; g && !g->closed && j < g->key_count; j++)
        for (size_t i = 0; i < g->keys[j].count; i++) {
            group *x = &g->keys[j].groups[i];
            x->level_at = level_now(x);
            x->share = 0;
        }
}

/* The index of the group called name under kg, added when new. SIZE_MAX when out of memory. The
 * names are found through dfx_names, so that placing n members in g groups costs n, not n x g (a
 * definition may give 100,000 constituents as many segments). */
static size_t group_called(key_groups *kg, size_t period_count, const char *name)
{
    uint32_t id;
    int added;
    if (dfx_names_intern(&kg->names, name, strlen(name), &id, &added))
        return SIZE_MAX;
    if (!added)
        return id;
    if (dfx_grow((void **)&kg->groups, &kg->capacity, kg->count + 1, sizeof *kg->groups))
        return SIZE_MAX;
    group *x = &kg->groups[kg->count];
    memset(x, 0, sizeof *x);
    x->marks = malloc((period_count ? period_count : 1) * sizeof *x->marks);
    x->returns = malloc((period_count ? period_count : 1) * sizeof *x->returns);
    if (!x->marks || !x->returns) {
        free(x->marks);
        free(x->returns);
        return SIZE_MAX;
    }
    snprintf(x->name, sizeof x->name, "%s", name);
    x->level_at = NAN;
    for (size_t k = 0; k < period_count; k++)
        x->marks[k] = x->returns[k] = NAN;
    return kg->count++; /* == id: a group per name, in the names' order */
}

int dfx_groups_hold(dfx_groups *g, size_t member, const char *country, const char *currency,
                    const char *segment, double share)
{
    for (size_t j = 0; g && !g->closed && j < g->key_count; j++) {
        key_groups *kg = &g->keys[j];
        if (member >= kg->member_capacity) {
            size_t old = kg->member_capacity;
            if (dfx_grow((void **)&kg->of_member, &kg->member_capacity, member + 1, sizeof *kg->of_member))
                return DEFIDX_ENOMEM;
            memset(kg->of_member + old, 0, (kg->member_capacity - old) * sizeof *kg->of_member);
        }
        if (!kg->of_member[member]) {
            char name[64];
            dfx_group_name(kg->key, country, currency, segment, name);
            size_t i = group_called(kg, g->period_count, name);
            if (i == SIZE_MAX)
                return DEFIDX_ENOMEM;
            kg->of_member[member] = i + 1;
        }
        kg->groups[kg->of_member[member] - 1].share += share;
    }
    return 0;
}

void dfx_groups_end_change(dfx_groups *g, double start_level)
{
    for (size_t j = 0; g && !g->closed && j < g->key_count; j++)
        for (size_t i = 0; i < g->keys[j].count; i++) {
            group *x = &g->keys[j].groups[i];
            if (x->share > 0 && isnan(x->level_at))
                x->level_at = start_level;
            x->share_at = x->share;
        }
}

void dfx_groups_move(dfx_groups *g, size_t member, double delta)
{
    for (size_t j = 0; g && !g->closed && j < g->key_count; j++) {
        key_groups *kg = &g->keys[j];
        if (member < kg->member_capacity && kg->of_member[member])
            kg->groups[kg->of_member[member] - 1].share += delta;
    }
}

void dfx_groups_mark(dfx_groups *g, size_t k)
{
    for (size_t j = 0; g && !g->closed && j < g->key_count; j++)
        for (size_t i = 0; i < g->keys[j].count; i++)
            g->keys[j].groups[i].marks[k] = level_now(&g->keys[j].groups[i]);
}

void dfx_groups_close(dfx_groups *g, const int *based)
{
    for (size_t j = 0; g && !g->closed && j < g->key_count; j++)
        for (size_t i = 0; i < g->keys[j].count; i++) {
            group *x = &g->keys[j].groups[i];
            double now = level_now(x);
            for (size_t k = 0; k < g->period_count; k++)
                x->returns[k] = based[k] == 0 ? NAN : based[k] == 2 ? (isnan(now) ? NAN : 0) : now / x->marks[k] - 1;
        }
    if (g)
        g->closed = 1;
}

/* ---- the breakdowns of a result ----------------------------------------------------------------- */

static int by_weight_then_name(const void *a, const void *b)
{
    const defidx_group *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void constituent_group(const defidx_constituent *c, int key, char out[64])
{
    dfx_group_name(key, c->country, c->currency, c->segment, out);
}

/* The group of the breakdown called name, added when new (without members yet), found through
 * names as group_called finds them; its place, or SIZE_MAX when out of memory. */
static size_t breakdown_group(defidx_breakdown *b, size_t *capacity, dfx_names *names, size_t period_count,
                              const char *name)
{
    uint32_t id;
    int added;
    if (dfx_names_intern(names, name, strlen(name), &id, &added))
        return SIZE_MAX;
    if (!added)
        return id;
    if (dfx_grow((void **)&b->groups, capacity, b->group_count + 1, sizeof *b->groups))
        return SIZE_MAX;
    defidx_group *x = &b->groups[b->group_count];
    memset(x, 0, sizeof *x);
    x->returns = malloc((period_count ? period_count : 1) * sizeof *x->returns);
    x->contribution = calloc(period_count ? period_count : 1, sizeof *x->contribution);
    if (!x->returns || !x->contribution) {
        free(x->returns);
        free(x->contribution);
        return SIZE_MAX;
    }
    snprintf(x->name, sizeof x->name, "%s", name);
    for (size_t k = 0; k < period_count; k++)
        x->returns[k] = NAN;
    return b->group_count++;
}

/* Breakdown b of the result's constituents: each one's group (of_member[i]), then each group's
 * members in the constituents' order (largest weight first), weight and contributions. */
static int fill_breakdown(defidx_breakdown *b, const defidx_result *r, size_t *of_member)
{
    size_t capacity = 0;
    dfx_names names = {0};
    int rc = 0;
    for (size_t i = 0; i < r->constituent_count && !rc; i++) {
        char name[64];
        constituent_group(&r->constituents[i], b->key, name);
        of_member[i] = breakdown_group(b, &capacity, &names, r->period_count, name);
        if (of_member[i] == SIZE_MAX)
            rc = DEFIDX_ENOMEM;
        else
            b->groups[of_member[i]].member_count++;
    }
    dfx_names_free(&names);
    for (size_t g = 0; g < b->group_count && !rc; g++) {
        b->groups[g].members = malloc(b->groups[g].member_count * sizeof *b->groups[g].members);
        if (!b->groups[g].members)
            rc = DEFIDX_ENOMEM;
        b->groups[g].member_count = 0; /* counted again as they are placed */
    }
    for (size_t i = 0; i < r->constituent_count && !rc; i++) {
        const defidx_constituent *c = &r->constituents[i];
        defidx_group *x = &b->groups[of_member[i]];
        x->members[x->member_count++] = i;
        x->weight += c->weight;
        for (size_t k = 0; k < r->period_count; k++)
            x->contribution[k] += c->contribution ? c->contribution[k] : NAN;
    }
    return rc;
}

/* Each group's returns from the sub-index of its name (none: the group never held a member in the
 * index by the as-of close, and has no return). */
static void take_returns(const key_groups *kg, size_t period_count, defidx_breakdown *b)
{
    for (size_t i = 0; kg && i < b->group_count; i++) {
        long n = dfx_names_find(&kg->names, b->groups[i].name, strlen(b->groups[i].name));
        if (n >= 0)
            memcpy(b->groups[i].returns, kg->groups[n].returns, period_count * sizeof *b->groups[i].returns);
    }
}

/* A note on the countries that no definition gave: from the exchange suffix, or unknown. */
static void note_countries(defidx_result *r)
{
    enum { NAMED = 6 };
    size_t from_suffix = 0, unknown = 0;
    char suffixed[400] = "", none[400] = "";
    size_t ls = 0, ln = 0;
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *c = &r->constituents[i];
        if (c->country_source == DEFIDX_COUNTRY_SUFFIX && from_suffix++ < NAMED)
            ls += (size_t)snprintf(suffixed + ls, sizeof suffixed - ls, "%s%s %s", ls ? ", " : "", c->ticker, c->country);
        else if (c->country_source == DEFIDX_COUNTRY_UNKNOWN && unknown++ < NAMED)
            ln += (size_t)snprintf(none + ln, sizeof none - ln, "%s%s", ln ? ", " : "", c->ticker);
        if (ls >= sizeof suffixed)
            ls = sizeof suffixed - 1;
        if (ln >= sizeof none)
            ln = sizeof none - 1;
    }
    if (from_suffix)
        dfx_warn_kind(&r->notes, DEFIDX_WARNING_OTHER, NULL, 0, 0,
                      "the country of %zu constituent%s comes from the ticker's exchange suffix: %s%s (hint: \"country\" in the index definition gives another)",
                      from_suffix, from_suffix == 1 ? "" : "s", suffixed, from_suffix > NAMED ? " and more" : "");
    if (unknown)
        dfx_warn_kind(&r->notes, DEFIDX_WARNING_OTHER, NULL, 0, 0,
                      "%zu constituent%s no known country, grouped as \"%s\": %s%s (hint: give \"country\" in the index definition)",
                      unknown, unknown == 1 ? " has" : "s have", DEFIDX_GROUP_UNKNOWN, none, unknown > NAMED ? " and more" : "");
}

/* A note on the constituents without a segment when others have one: likely left out of the
 * definition. A definition that gives none has one group, unknown, which says so itself. */
static void note_segments(defidx_result *r)
{
    size_t none = 0;
    for (size_t i = 0; i < r->constituent_count; i++)
        none += r->constituents[i].segment[0] == '\0';
    if (none && none < r->constituent_count)
        dfx_warn_kind(&r->notes, DEFIDX_WARNING_OTHER, NULL, 0, 0,
                      "%zu constituent%s no segment, grouped as \"%s\" (hint: give \"segment\" in the index definition)",
                      none, none == 1 ? " has" : "s have", DEFIDX_GROUP_UNKNOWN);
}

int dfx_groups_report(const dfx_groups *g, const int *keys, size_t key_count, defidx_result *r)
{
    int unique[DEFIDX_GROUP_KEY_COUNT];
    key_count = unique_keys(keys, key_count, unique);
    keys = unique;
    if (!key_count)
        return 0;
    r->breakdowns = calloc(key_count, sizeof *r->breakdowns);
    if (!r->breakdowns)
        return DEFIDX_ENOMEM;
    int countries = 0, segments = 0;
    for (size_t j = 0; j < key_count; j++) {
        defidx_breakdown *b = &r->breakdowns[r->breakdown_count++];
        b->key = keys[j];
        countries |= keys[j] == DEFIDX_GROUP_COUNTRY;
        segments |= keys[j] == DEFIDX_GROUP_SEGMENT;
        size_t *of_member = malloc((r->constituent_count ? r->constituent_count : 1) * sizeof *of_member);
        int rc = of_member ? fill_breakdown(b, r, of_member) : DEFIDX_ENOMEM;
        free(of_member);
        if (rc)
            return rc;
        const key_groups *kg = NULL;
        for (size_t n = 0; g && n < g->key_count; n++)
            if (g->keys[n].key == keys[j])
                kg = &g->keys[n];
        take_returns(kg, r->period_count, b);
        qsort(b->groups, b->group_count, sizeof *b->groups, by_weight_then_name);
    }
    if (countries)
        note_countries(r);
    if (segments)
        note_segments(r);
    return 0;
}

void dfx_breakdowns_free(defidx_result *r)
{
    for (size_t j = 0; j < r->breakdown_count; j++) {
        defidx_breakdown *b = &r->breakdowns[j];
        for (size_t i = 0; i < b->group_count; i++) {
            free(b->groups[i].members);
            free(b->groups[i].returns);
            free(b->groups[i].contribution);
        }
        free(b->groups);
    }
    free(r->breakdowns);
    r->breakdowns = NULL;
    r->breakdown_count = 0;
}
