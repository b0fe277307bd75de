/* test_breakdown.c: compute --by over seeded pseudo-random indices (reviews, splits, special
 * dividends, missing closes, three weightings). Two properties, each checked another way than the
 * engine computes it:
 *  - the groups' contributions add up to the index's return in every period, and their weights to 1;
 *  - a group's return is the return of the index of its members alone: with price or free-float
 *    market-cap weighting a member's quantity does not depend on the other members, so defidx run
 *    on a definition that lists only the group's members (in every list) is that group's sub-index,
 *    computed by a separate pass with its own divisor.
 * The hand-worked example is tests/cli/breakdown_review. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "test_util.h"

#include <string.h>

enum { DAYS = 70, MAX_TICKERS = 9, MAX_REVIEWS = 2, LISTS = 1 + MAX_REVIEWS, RUNS = 60 };

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double uniform(uint64_t *s)
{
    return (double)(next(s) >> 11) / 9007199254740992.0;
}

static const char *const suffixes[] = {".DE", ".PA", ".MI", ".AS"};
static const char *const segments[] = {"defence", "engines", "space", ""};

/* One generated index: its tickers, prices, lists (the first and each review's), actions. */
typedef struct world {
    size_t tickers, reviews;
    char ticker[MAX_TICKERS][32];
    const char *segment[MAX_TICKERS];
    double shares[MAX_TICKERS], free_float[MAX_TICKERS];
    int32_t dates[DAYS];
    double close[MAX_TICKERS][DAYS];    /* NAN: no close that day */
    int listed[LISTS][MAX_TICKERS];
    size_t review_day[MAX_REVIEWS];     /* effective on this date's index */
    char actions[512];
    const char *weighting;
    int32_t as_of, since;
} world;

static void make_dates(world *w)
{
    int32_t d = day("2024-11-01");
    for (size_t i = 0; i < DAYS; d++)
        if (defidx_date_weekday(d) <= 5)
            w->dates[i++] = d;
}

/* Closes as random walks of up to 4% a day; a split or special dividend moves them on its ex-date. */
static void make_world(world *w, uint64_t *s)
{
    memset(w, 0, sizeof *w);
    make_dates(w);
    w->tickers = 3 + next(s) % (MAX_TICKERS - 2);
    for (size_t j = 0; j < w->tickers; j++) {
        snprintf(w->ticker[j], sizeof w->ticker[j], "T%zu%s", j, suffixes[next(s) % 4]);
        w->segment[j] = segments[next(s) % 4];
        w->shares[j] = 1e6 + uniform(s) * 1e9;
        w->free_float[j] = 0.3 + 0.7 * uniform(s);
        double p = 5 + 200 * uniform(s);
        for (size_t i = 0; i < DAYS; i++) {
            p *= 1 + 0.08 * (uniform(s) - 0.5);
            w->close[j][i] = i > 0 && uniform(s) < 0.03 ? NAN : p;
        }
    }
    size_t len = (size_t)snprintf(w->actions, sizeof w->actions, "date,ticker,type,value\n");
    for (size_t a = next(s) % 3; a > 0; a--) {
        size_t j = next(s) % w->tickers, i = 5 + next(s) % (DAYS - 10);
        char date[11];
        defidx_date_format(w->dates[i], date);
        int split = next(s) % 2;
        double before = w->close[j][i - 1];
        if (isnan(before))
            continue;
        double value = split ? 2 : 0.03 * before;
        for (size_t k = i; k < DAYS; k++)
            w->close[j][k] = split ? w->close[j][k] / 2 : w->close[j][k] - value;
        len += (size_t)snprintf(w->actions + len, sizeof w->actions - len, "%s,%s,%s,%.17g\n", date, w->ticker[j],
                                split ? "split" : "special_dividend", value);
    }
    w->reviews = next(s) % (MAX_REVIEWS + 1);
    for (size_t r = 0; r < w->reviews; r++)
        w->review_day[r] = 10 + r * 25 + next(s) % 20;
    for (size_t l = 0; l <= w->reviews; l++) {
        size_t in = 0;
        for (size_t j = 0; j < w->tickers; j++)
            in += w->listed[l][j] = uniform(s) < 0.7;
        if (!in)
            w->listed[l][0] = 1;
    }
    static const char *const weightings[] = {"ffmcap", "price", "equal"};
    w->weighting = weightings[next(s) % 3];
    w->as_of = w->dates[DAYS - 1 - next(s) % 20];
    w->since = w->dates[next(s) % 30];
}

static defidx_panel *world_panel(const world *w)
{
    defidx_panel *p = defidx_panel_new();
    for (size_t j = 0; j < w->tickers; j++)
        for (size_t i = 0; i < DAYS; i++)
            if (!isnan(w->close[j][i]))
                assert_int_equal(defidx_panel_add(p, w->ticker[j], w->dates[i], w->close[j][i], "EUR", NAN, NAN, NULL, NULL), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    return p;
}

/* A list of the definition: the listed tickers that `only` keeps (NULL: all). */
static size_t put_list(char *out, size_t size, const world *w, size_t l, const int *only)
{
    size_t len = 0, n = 0;
    len += (size_t)snprintf(out + len, size - len, "[");
    for (size_t j = 0; j < w->tickers; j++) {
        if (!w->listed[l][j] || (only && !only[j]))
            continue;
        len += (size_t)snprintf(out + len, size - len, "%s{\"ticker\": \"%s\", \"segment\": \"%s\", \"shares\": %.17g, \"free_float\": %.17g}",
                                n++ ? ", " : "", w->ticker[j], w->segment[j], w->shares[j], w->free_float[j]);
    }
    return len + (size_t)snprintf(out + len, size - len, "]");
}

static defidx_spec *world_spec(const world *w, const int *only)
{
    char json[16384], base[11];
    defidx_date_format(w->dates[0], base);
    size_t len = (size_t)snprintf(json, sizeof json, "{\"currency\": \"EUR\", \"base_date\": \"%s\", \"weighting\": \"%s\", \"constituents\": ",
                                  base, w->weighting);
    len += put_list(json + len, sizeof json - len, w, 0, only);
    len += (size_t)snprintf(json + len, sizeof json - len, ", \"reviews\": [");
    for (size_t r = 0; r < w->reviews; r++) {
        char effective[11];
        defidx_date_format(w->dates[w->review_day[r]], effective);
        len += (size_t)snprintf(json + len, sizeof json - len, "%s{\"effective\": \"%s\", \"constituents\": ", r ? ", " : "", effective);
        len += put_list(json + len, sizeof json - len, w, 1 + r, only);
        len += (size_t)snprintf(json + len, sizeof json - len, "}");
    }
    snprintf(json + len, sizeof json - len, "]}");
    defidx_spec *spec = NULL;
    defidx_error err;
    if (defidx_spec_parse(&spec, "generated.json", json, strlen(json), &err))
        fail_msg("generated definition: %s\n%s", err.message, json);
    return spec;
}

static defidx_result *compute(const world *w, const defidx_panel *panel, const defidx_spec *spec,
                              const defidx_actions *actions)
{
    static const int keys[] = {DEFIDX_GROUP_COUNTRY, DEFIDX_GROUP_SEGMENT, DEFIDX_GROUP_CURRENCY};
    defidx_options opt;
    defidx_options_init(&opt);
    opt.as_of = w->as_of;
    opt.since = &w->since;
    opt.since_count = 1;
    opt.actions = actions;
    opt.by = keys;
    opt.by_count = 3;
    defidx_result *r = NULL;
    defidx_error err;
    if (defidx_compute(panel, spec, NULL, &opt, &r, &err))
        fail_msg("compute: %s", err.message);
    return r;
}

/* Contributions add up to the index's return; weights to 1. */
static void check_sums(const defidx_result *r)
{
    assert_int_equal(r->breakdown_count, 3);
    for (size_t b = 0; b < r->breakdown_count; b++) {
        const defidx_breakdown *bd = &r->breakdowns[b];
        double weight = 0;
        size_t members = 0;
        for (size_t g = 0; g < bd->group_count; g++) {
            weight += bd->groups[g].weight;
            members += bd->groups[g].member_count;
        }
        assert_double_near(weight, 1, 1e-12);
        assert_int_equal(members, r->constituent_count);
        for (size_t k = 0; k < r->period_count; k++) {
            if (isnan(r->periods[k].ret))
                continue;
            double sum = 0;
            for (size_t g = 0; g < bd->group_count; g++)
                sum += bd->groups[g].contribution[k];
            assert_double_near(sum, r->periods[k].ret, 1e-9);
        }
    }
}

/* 1 when every list holds a member of country group `name`, which then has a sub-index throughout. */
static int group_always_held(const world *w, const char *name, int *only)
{
    for (size_t j = 0; j < w->tickers; j++) {
        const char *country = defidx_country_of_ticker(w->ticker[j]);
        only[j] = strcmp(country, name) == 0;
    }
    for (size_t l = 0; l <= w->reviews; l++) {
        int held = 0;
        for (size_t j = 0; j < w->tickers; j++)
            held |= only[j] && w->listed[l][j];
        if (!held)
            return 0;
    }
    return 1;
}

/* Each country group held throughout has the returns of the index of its members alone. */
static size_t check_sub_indices(const world *w, const defidx_panel *panel, const defidx_actions *actions,
                                const defidx_result *r)
{
    size_t compared = 0;
    const defidx_breakdown *countries = &r->breakdowns[0];
    assert_int_equal(countries->key, DEFIDX_GROUP_COUNTRY);
    for (size_t g = 0; g < countries->group_count; g++) {
        int only[MAX_TICKERS];
        if (!group_always_held(w, countries->groups[g].name, only))
            continue;
        defidx_spec *spec = world_spec(w, only);
        defidx_result *sub = compute(w, panel, spec, actions);
        for (size_t k = 0; k < r->period_count; k++) {
            double want = sub->periods[k].ret, got = countries->groups[g].returns[k];
            if (isnan(want)) {
                assert_true(isnan(got));
                continue;
            }
            assert_double_near(got, want, 1e-9 * (1 + fabs(want)));
            compared++;
        }
        defidx_result_free(sub);
        defidx_spec_free(spec);
    }
    return compared;
}

static void breakdowns_of_generated_indices(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    size_t compared = 0, with_reviews = 0;
    for (int run = 0; run < RUNS; run++) {
        world w;
        make_world(&w, &seed);
        defidx_panel *panel = world_panel(&w);
        defidx_spec *spec = world_spec(&w, NULL);
        defidx_actions *actions = NULL;
        defidx_error err;
        assert_int_equal(defidx_actions_parse(&actions, "actions.csv", w.actions, strlen(w.actions), NULL, &err), 0);
        defidx_result *r = compute(&w, panel, spec, actions);
        check_sums(r);
        if (strcmp(w.weighting, "equal") != 0) { /* equal weights depend on every member */
            size_t n = check_sub_indices(&w, panel, actions, r);
            compared += n;
            with_reviews += n && w.reviews;
        }
        defidx_result_free(r);
        defidx_actions_free(actions);
        defidx_spec_free(spec);
        defidx_panel_free(panel);
    }
    /* the generator must reach the case that matters: groups chained across reviews */
    assert_true(compared > 100);
    assert_true(with_reviews > 5);
}

/* 5,000 constituents, each its own segment: the names are placed through a hash table that grows
 * many times over, and each group, of one member in EUR, has that member's own return. */
static void a_group_per_constituent(void **state)
{
    (void)state;
    enum { N = 5000 };
    char json_head[] = "{\"currency\": \"EUR\", \"weighting\": \"price\", \"constituents\": [";
    size_t cap = sizeof json_head + (size_t)N * 64 + 8, len = 0;
    char *json = malloc(cap);
    assert_non_null(json);
    len += (size_t)snprintf(json, cap, "%s", json_head);
    defidx_panel *p = defidx_panel_new();
    for (int j = 0; j < N; j++) {
        char ticker[16];
        snprintf(ticker, sizeof ticker, "S%d.DE", j);
        len += (size_t)snprintf(json + len, cap - len, "%s{\"ticker\": \"%s\", \"segment\": \"seg %d\"}", j ? ", " : "",
                                ticker, j);
        assert_int_equal(defidx_panel_add(p, ticker, day("2025-01-02"), 10 + j % 7, "EUR", NAN, NAN, NULL, NULL), 0);
        assert_int_equal(defidx_panel_add(p, ticker, day("2025-01-03"), 11 + j % 5, "EUR", NAN, NAN, NULL, NULL), 0);
    }
    snprintf(json + len, cap - len, "]}");
    assert_int_equal(defidx_panel_finish(p, NULL, NULL), 0);
    defidx_spec *spec = NULL;
    defidx_error err;
    assert_int_equal(defidx_spec_parse(&spec, "many.json", json, strlen(json), &err), 0);
    static const int keys[] = {DEFIDX_GROUP_SEGMENT};
    defidx_options opt;
    defidx_options_init(&opt);
    opt.by = keys;
    opt.by_count = 1;
    defidx_result *r = NULL;
    assert_int_equal(defidx_compute(p, spec, NULL, &opt, &r, &err), 0);
    const defidx_breakdown *b = &r->breakdowns[0];
    assert_int_equal(b->group_count, N);
    size_t d1 = 0; /* the 1d period */
    for (size_t g = 0; g < b->group_count; g++) {
        assert_int_equal(b->groups[g].member_count, 1);
        const defidx_constituent *c = &r->constituents[b->groups[g].members[0]];
        char want[64];
        snprintf(want, sizeof want, "seg %s", c->ticker + 1);
        *strchr(want, '.') = '\0';
        assert_string_equal(b->groups[g].name, want);
        assert_double_near(b->groups[g].returns[d1], c->periods[d1].ret, 1e-12);
    }
    defidx_result_free(r);
    defidx_spec_free(spec);
    defidx_panel_free(p);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(breakdowns_of_generated_indices),
        cmocka_unit_test(a_group_per_constituent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
