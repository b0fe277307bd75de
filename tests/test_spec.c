/* test_spec.c: the index definition: every field read, and every way it can be wrong. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, ftruncate, fileno (test_util.h's sparse files) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "load/weighting.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *json, defidx_spec **s, defidx_error *err)
{
    defidx_error_clear(err);
    return defidx_spec_parse(s, "index.json", json, strlen(json), err);
}

static void full_definition(void **state)
{
    (void)state;
    const char *json =
        "{\"name\":\"Europe A&D\",\"currency\":\"EUR\",\"base_date\":\"2021-12-31\",\"base_value\":1000,"
        "\"weighting\":\"ffmcap\",\"cap\":0.1,"
        "\"constituents\":[{\"ticker\":\"RHM.DE\",\"name\":\"Rheinmetall\",\"currency\":\"EUR\","
        "\"shares\":43530000,\"free_float\":1.0},"
        "{\"ticker\":\"BA.L\",\"name\":\"BAE Systems\",\"currency\":\"GBX\",\"shares\":3010000000}],"
        "\"reviews\":[{\"effective\":\"2023-06-19\",\"constituents\":[{\"ticker\":\"BA.L\"}]},"
        "{\"effective\":\"2022-03-21\",\"constituents\":[{\"ticker\":\"RHM.DE\"}]}]}";
    defidx_spec *s;
    defidx_error err;
    assert_int_equal(parse(json, &s, &err), 0);
    assert_string_equal(s->name, "Europe A&D");
    assert_string_equal(s->currency, "EUR");
    int32_t base;
    defidx_date_parse("2021-12-31", 10, &base, NULL);
    assert_int_equal(s->base_date, base);
    assert_double_near(s->base_value, 1000, 0);
    assert_int_equal(s->weighting, DEFIDX_WEIGHT_FFMCAP);
    assert_double_near(s->cap, 0.1, 0);
    assert_int_equal(s->count, 2);
    assert_string_equal(s->members[1].currency, "GBX");
    assert_double_near(s->members[0].shares, 43530000, 0);
    assert_true(isnan(s->members[1].free_float));
    assert_true(isnan(s->members[1].weight));
    assert_int_equal(s->review_count, 2);
    char d[11];
    defidx_date_format(s->reviews[0].effective, d); /* sorted by date */
    assert_string_equal(d, "2022-03-21");
    assert_string_equal(s->reviews[0].members[0].ticker, "RHM.DE");
    defidx_spec_free(s);
}

static void minimal_definition(void **state)
{
    (void)state;
    defidx_spec *s;
    defidx_error err;
    assert_int_equal(parse("{\"constituents\":[{\"ticker\":\"A\"}]}", &s, &err), 0);
    assert_string_equal(s->name, "");
    assert_int_equal(s->base_date, DEFIDX_NO_DATE);
    assert_true(isnan(s->base_value));
    assert_int_equal(s->weighting, DEFIDX_WEIGHT_DEFAULT);
    assert_int_equal(s->review_count, 0);
    defidx_spec_free(s);
}

/* Positions worked out by counting characters in each one-line definition: the column of the
 * value the path names ("constituents[0].shares" -> the -5). */
static void errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        long line, column;
        const char *fragment;
    } cases[] = {
        {"{\"constituents\":[{\"ticker\":\"A\"}\n {\"ticker\":\"B\"}]}", 2, 2, "not valid JSON"}, /* missing comma */
        {"[]", 1, 1, "(top level): must be an object"},
        {"{\"constituents\":[]}", 1, 17, "constituents: must be a non-empty array"},
        {"{\"constituents\":[{\"name\":\"x\"}]}", 1, 18, "constituents[0]: has no ticker"},
        {"{\"constituents\":[{\"ticker\":\"A\"},{\"ticker\":\"A\"}]}", 1, 33, "constituents[1]: lists A twice"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"shares\":-5}]}", 1, 41, "constituents[0].shares: is out of range"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"shares\":\"5\"}]}", 1, 41, "constituents[0].shares: must be a number"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"free_float\":1.5}]}", 1, 45, "free_float: is out of range"},
        {"{\"weighting\":\"cap\",\"constituents\":[{\"ticker\":\"A\"}]}", 1, 14, "'cap' is not a weighting"},
        {"{\"base_date\":\"2021-02-29\",\"constituents\":[{\"ticker\":\"A\"}]}", 1, 14, "index.base_date: '2021-02-29' is not a real calendar date"},
        {"{\"weighting\":\"fixed\",\"constituents\":[{\"ticker\":\"A\",\"weight\":0.5},{\"ticker\":\"B\",\"weight\":0.4}]}", 1, 37, "weights add up to 0.9, not 1"},
        {"{\"weighting\":\"fixed\",\"constituents\":[{\"ticker\":\"A\"}]}", 1, 37, "fixed weighting needs a weight for A"},
        {"{\"constituents\":[{\"ticker\":\"A\"}],\"reviews\":[{\"constituents\":[{\"ticker\":\"A\"}]}]}", 1, 45, "reviews[0]: has no effective date"},
        {"{\"cap\":0.1,\"group_threshold\":0.045,\"constituents\":[{\"ticker\":\"A\"}]}", 1, 30, "needs cap, group_threshold and group_cap together"},
        {"{\"cap\":0.1,\"group_threshold\":0.2,\"group_cap\":0.4,\"constituents\":[{\"ticker\":\"A\"}]}", 1, 30, "needs group_threshold < cap <= group_cap"},
        {"{\"constituents\":[{\"ticker\":\"A\"}],\"reviews\":[{\"effective\":\"2022-01-03\",\"constituents\":[{\"ticker\":\"A\"}]},"
         "{\"effective\":\"2022-01-03\",\"constituents\":[{\"ticker\":\"A\"}]}]}", 1, 44, "two reviews take effect on the same date"},
        /* a key given twice (cJSON would take the first) and a misspelt one (it would be ignored):
         * at the key */
        {"{\"constituents\":[{\"ticker\":\"A\"}],\"constituents\":[{\"ticker\":\"B\"}]}", 1, 34, "index: the key \"constituents\" appears twice"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"Shares\":5}]}", 1, 32, "constituents[0]: unknown key \"Shares\" (hint: did you mean \"shares\"?"},
        {"{\"constituents\":[{\"ticker\":\"A\"}],\"reveiws\":[]}", 1, 34, "did you mean \"reviews\"?"},
        /* countries as ISO 3166 alpha-2 codes: two letters, and not the EU's UK or EL */
        {"{\"constituents\":[{\"ticker\":\"A\",\"country\":\"Germany\"}]}", 1, 42, "constituents[0].country: 'Germany' is not a country code"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"country\":\"UK\"}]}", 1, 42, "ISO 3166 writes the United Kingdom \"GB\""},
        {"{\"constituents\":[{\"ticker\":\"A\",\"country\":7}]}", 1, 42, "constituents[0].country: must be a string"},
        /* currencies as the price files and the FX file write them */
        {"{\"currency\":\"EURO\",\"constituents\":[{\"ticker\":\"A\"}]}", 1, 13, "index.currency: 'EURO' is not a currency code"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"currency\":\"E\"}]}", 1, 43, "constituents[0].currency: 'E' is not a currency code"},
        /* text after the object was silently ignored; the syntax is named */
        {"{\"constituents\":[{\"ticker\":\"A\"}]} x", 1, 35, "unexpected text after the JSON value"},
        {"{\"constituents\":[{\"ticker\":\"A\"},]}", 1, 33, "not valid JSON: a comma before ']'"},
        {"{\"constituents\":[{\"ticker\":\"A\"}", 1, 32, "not valid JSON: the JSON ends before it is complete"},
        {"{\"constituents\":[{\"ticker\":\"A\",\"shares\":1e999}]}", 1, 41, "constituents[0].shares: is out of range (between 0 and 1e+15)"},
        /* what cJSON would cut short or misread */
        {"{\"name\":\"A\\u0000B\",\"constituents\":[{\"ticker\":\"A\"}]}", 1, 11, "a NUL character"},
        {"{\"name\":\"Caf\xe9\",\"constituents\":[{\"ticker\":\"A\"}]}", 1, 13, "the index definition is not UTF-8 text"},
        {"<html><body>Sign in</body></html>", 1, 1, "this is an HTML page, not an index definition"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        defidx_spec *s = NULL;
        defidx_error err;
        int rc = parse(cases[i].json, &s, &err);
        if (rc != DEFIDX_EDATA || err.line != cases[i].line || err.column != cases[i].column ||
            !strstr(err.message, cases[i].fragment) || !strstr(err.message, "(hint: "))
            fail_msg("case %zu: rc %d at %ld:%ld: %s", i, rc, err.line, err.column, err.message);
        assert_null(s);
    }
}

/* A country is kept in upper case, a segment as written; a description too. */
static void country_and_segment(void **state)
{
    (void)state;
    defidx_spec *s;
    defidx_error err;
    assert_int_equal(parse("{\"description\":\"Europe's defence\",\"constituents\":[{\"ticker\":\"A\",\"country\":\"de\","
                           "\"segment\":\"civil aerospace\"},{\"ticker\":\"B\"}]}", &s, &err), 0);
    assert_string_equal(s->members[0].country, "DE");
    assert_string_equal(s->members[0].segment, "civil aerospace");
    assert_string_equal(s->members[1].country, "");
    assert_string_equal(s->description, "Europe's defence");
    defidx_spec_free(s);
}

/* Keys defidx does not know, and that are unlike its own, are notes: allowed. */
static void notes_allowed(void **state)
{
    (void)state;
    defidx_spec *s;
    defidx_error err;
    assert_int_equal(parse("{\"comment\":\"test\",\"source\":\"STOXX\",\"constituents\":[{\"ticker\":\"A\",\"isin\":\"X\"}]}", &s, &err), 0);
    assert_int_equal(s->count, 1);
    defidx_spec_free(s);
}

/* A list may hold DEFIDX_TICKERS_MAX constituents, no more; reading and placing each is linear, so
 * that the largest list allowed reads at once (a repeated ticker is found by sorting). */
static void constituents_limit(void **state)
{
    (void)state;
    for (long over = 0; over <= 1; over++) {
        size_t n = (size_t)(DEFIDX_TICKERS_MAX + over), cap = 64 + n * 24, len = 0;
        char *json = malloc(cap);
        assert_non_null(json);
        len += (size_t)snprintf(json, cap, "{\"constituents\":[");
        for (size_t k = 0; k < n; k++)
            len += (size_t)snprintf(json + len, cap - len, "%s\n{\"ticker\":\"T%zu\"}", k ? "," : "", k);
        len += (size_t)snprintf(json + len, cap - len, "]}");
        defidx_spec *s = NULL;
        defidx_error err;
        defidx_error_clear(&err);
        int rc = defidx_spec_parse(&s, "big.json", json, len, &err);
        free(json);
        if (!over) {
            if (rc != 0)
                fail_msg("%s", err.message);
            assert_int_equal(s->count, n);
            assert_int_equal(s->members[n - 1].line, (long)n + 1); /* each on a line of its own */
            defidx_spec_free(s);
        } else if (rc != DEFIDX_EDATA || !strstr(err.message, "holds 100001 constituents, more than the limit of 100000 (hint: ")) {
            fail_msg("%d: %s", rc, err.message);
        }
    }
    /* the repeat reported is the first in the list whose ticker came before */
    defidx_spec *s = NULL;
    defidx_error err;
    assert_int_equal(parse("{\"constituents\":[{\"ticker\":\"B\"},{\"ticker\":\"A\"},{\"ticker\":\"A\"},{\"ticker\":\"B\"}]}", &s, &err),
                     DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "constituents[2]: lists A twice (hint: the first is constituents[1]"));
}

/* The definition is read whole: past DEFIDX_JSON_MAX bytes it is refused before cJSON sees it. */
static void size_limit(void **state)
{
    (void)state;
    size_t len = (size_t)DEFIDX_JSON_MAX + 1;
    char *json = calloc(len, 1);
    assert_non_null(json);
    json[0] = '{';
    defidx_spec *s = NULL;
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_spec_parse(&s, "huge.json", json, len, &err), DEFIDX_EDATA);
    assert_non_null(strstr(err.message, "larger than the limit of 268435456 bytes"));
    assert_null(s);
    free(json);
}

/* A definition file over DEFIDX_JSON_MAX is refused by its size, before it is read: of a sparse
 * file of 2^28 + 1 bytes ('{', spaces and zeros) given as standard input, no more than 1 MiB is read (the
 * reader's first read is 128 KiB; reading it whole reached 268,435,457). By path, the same message. */
static void size_limit_unread(void **state)
{
    (void)state;
    char path[] = "/tmp/defidx_test_XXXXXX";
    sparse_text_file(path, "{", (off_t)DEFIDX_JSON_MAX + 1);
    defidx_spec *s = NULL;
    defidx_error err;
    defidx_error_clear(&err);
    stdin_from(path);
    assert_int_equal(defidx_spec_load(&s, "-", &err), DEFIDX_EDATA);
    off_t bytes_read = read_of_stdin();
    assert_true(bytes_read <= 1 << 20);
    assert_null(s);
    assert_non_null(strstr(err.message, "the index definition is larger than the limit of 268435456 bytes"));
    defidx_error_clear(&err);
    assert_int_equal(defidx_spec_load(&s, path, &err), DEFIDX_EDATA);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "the index definition is larger than the limit of 268435456 bytes"));
    assert_null(s);
    unlink(path);
}

static void weighting_names(void **state)
{
    (void)state;
    assert_int_equal(defidx_weighting_parse("ffmcap"), DEFIDX_WEIGHT_FFMCAP);
    assert_int_equal(defidx_weighting_parse("fixed"), DEFIDX_WEIGHT_FIXED);
    assert_int_equal(defidx_weighting_parse("default"), -1);
    assert_int_equal(defidx_weighting_parse("Equal"), -1);
    assert_string_equal(defidx_weighting_name(DEFIDX_WEIGHT_PRICE), "price");
    assert_string_equal(defidx_weighting_name(DEFIDX_WEIGHT_DEFAULT), "default");
    assert_string_equal(defidx_weighting_name(DEFIDX_WEIGHT_COUNT), "unknown");
    assert_string_equal(defidx_weighting_name(-1), "unknown");
    for (int w = DEFIDX_WEIGHT_DEFAULT + 1; w < DEFIDX_WEIGHT_COUNT; w++)
        assert_int_equal(defidx_weighting_parse(defidx_weighting_name(w)), w);
}

/* Each weighting's quantity rule on one constituent: price 20, 1000 shares, free float 0.6, a
 * fixed weight of 0.25; the weight is then q p / sum q p. */
static void weighting_rules(void **state)
{
    (void)state;
    defidx_member listed = {.ticker = "A", .weight = 0.25};
    dfx_weigh_input in = {20, 1000, 0.6, &listed};
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_FFMCAP)->quantity(&in), 600, 0);
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_MCAP)->quantity(&in), 1000, 0);
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_EQUAL)->quantity(&in), 0.05, 1e-18);
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_PRICE)->quantity(&in), 1, 0);
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_FIXED)->quantity(&in), 0.0125, 1e-18);
    in.free_float = NAN; /* not known: every share counts */
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_FFMCAP)->quantity(&in), 1000, 0);
    in.listed = NULL; /* not in the definition: no fixed weight */
    assert_double_near(dfx_weighting_info_of(DEFIDX_WEIGHT_FIXED)->quantity(&in), 0, 0);
    /* the default is resolved before weighing, and a value that is no weighting has no rule */
    assert_null(dfx_weighting_info_of(DEFIDX_WEIGHT_DEFAULT)->quantity);
    assert_null(dfx_weighting_info_of(DEFIDX_WEIGHT_COUNT)->quantity);
    assert_true(dfx_weighting_info_of(DEFIDX_WEIGHT_FIXED)->needs_weights);
    assert_false(dfx_weighting_info_of(DEFIDX_WEIGHT_PRICE)->follows_splits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_definition),
        cmocka_unit_test(minimal_definition),
        cmocka_unit_test(errors),
        cmocka_unit_test(weighting_names),
        cmocka_unit_test(weighting_rules),
        cmocka_unit_test(notes_allowed),
        cmocka_unit_test(country_and_segment),
        cmocka_unit_test(constituents_limit),
        cmocka_unit_test(size_limit),
        cmocka_unit_test(size_limit_unread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
