/* test_public_api.c: an embedding example that uses nothing but include/defidx.h, as another C
 * program would: load prices from memory, compute, read the result, emit it. The expected level is
 * worked out by hand: price weighting, D = (10 + 20) / 100 = 0.3, then (12 + 21) / 0.3 = 110. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "defidx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void embed(void **state)
{
    (void)state;
    static const char csv[] = "date,A,B\n2025-02-03,10,20\n2025-02-04,12,21\n";
    defidx_error err;
    defidx_warnings warnings = {0};
    defidx_panel *panel = defidx_panel_new();
    assert_non_null(panel);
    assert_int_equal(defidx_load_csv(panel, "prices.csv", csv, strlen(csv), NULL, &warnings, &err), 0);
    assert_int_equal(defidx_panel_finish(panel, &warnings, &err), 0);

    defidx_options opt;
    defidx_options_init(&opt);
    opt.weighting = DEFIDX_WEIGHT_PRICE;
    defidx_result *r = NULL;
    assert_int_equal(defidx_compute(panel, NULL, NULL, &opt, &r, &err), 0);
    assert_true(fabs(r->level - 110) < 1e-9);
    assert_string_equal(r->periods[0].name, "1d");
    assert_true(fabs(r->periods[0].ret - 0.1) < 1e-12);

    /* Emit as JSON into memory; the level appears with full precision and '.' as the mark. */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(defidx_emit_result(out, r, DEFIDX_FORMAT_JSON, NULL, &err), 0);
    fclose(out);
    assert_non_null(strstr(buf, "\"level\": 110"));
    assert_non_null(strstr(buf, "\"schema\": \"defidx.compute/1\""));
    free(buf);

    /* Errors come back as values with a position, never printed. */
    defidx_panel *bad = defidx_panel_new();
    static const char broken[] = "date,A\n2025-02-03,ten\n";
    assert_int_equal(defidx_load_csv(bad, "broken.csv", broken, strlen(broken), NULL, NULL, &err), DEFIDX_EDATA);
    char text[1200];
    defidx_error_format(&err, text, sizeof text);
    assert_non_null(strstr(text, "broken.csv:2:12: "));

    defidx_panel_free(bad);
    defidx_result_free(r);
    defidx_warnings_free(&warnings);
    defidx_panel_free(panel);
}

/* Each options struct: its _INIT initialiser and its _init function give the same defaults, and a
 * struct of a newer version than the library's is refused, not half read. */
static void options_versions(void **state)
{
    (void)state;
    defidx_options a = DEFIDX_OPTIONS_INIT, b;
    defidx_options_init(&b);
    assert_int_equal(a.version, DEFIDX_OPTIONS_VERSION);
    assert_int_equal(a.version, b.version);
    assert_int_equal(a.weighting, b.weighting);
    assert_int_equal(a.base_date, b.base_date);
    assert_true(isnan(a.base_value) && isnan(b.base_value));
    assert_int_equal(a.as_of, b.as_of);
    assert_int_equal(a.rebalance, b.rebalance);
    defidx_load_options la = DEFIDX_LOAD_OPTIONS_INIT, lb;
    defidx_load_options_init(&lb);
    assert_int_equal(la.version, lb.version);
    assert_int_equal(la.price_field, lb.price_field);
    assert_int_equal(la.reader, lb.reader);
    defidx_emit_options ea = DEFIDX_EMIT_OPTIONS_INIT, eb;
    defidx_emit_options_init(&eb);
    assert_int_equal(ea.version, eb.version);
    assert_int_equal(ea.header, eb.header);
    assert_int_equal(ea.color, eb.color);
    defidx_chart_options ca = DEFIDX_CHART_OPTIONS_INIT, cb;
    defidx_chart_options_init(&cb);
    assert_int_equal(ca.width, cb.width);
    assert_int_equal(ca.height, cb.height);
    assert_int_equal(ca.from, cb.from);
    defidx_report_options ra = DEFIDX_REPORT_OPTIONS_INIT, rb;
    defidx_report_options_init(&rb);
    assert_int_equal(ra.version, rb.version);

    /* newer than the library: refused with DEFIDX_EUSAGE before anything is done */
    static const char csv[] = "date,A\n2025-02-03,10\n2025-02-04,11\n";
    defidx_error err;
    defidx_panel *panel = defidx_panel_new();
    la.version = DEFIDX_OPTIONS_VERSION + 1;
    assert_int_equal(defidx_load_csv(panel, "p.csv", csv, strlen(csv), &la, NULL, &err), DEFIDX_EUSAGE);
    char refused[64];
    snprintf(refused, sizeof refused, "load options of version %d", DEFIDX_OPTIONS_VERSION + 1);
    assert_non_null(strstr(err.message, refused));
    /* all zero (a struct the caller cleared) reads as the current version */
    defidx_load_options zero;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(defidx_load_csv(panel, "p.csv", csv, strlen(csv), &zero, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(panel, NULL, &err), 0);
    a.version = DEFIDX_OPTIONS_VERSION + 1;
    defidx_result *r = NULL;
    assert_int_equal(defidx_compute(panel, NULL, NULL, &a, &r, &err), DEFIDX_EUSAGE);
    assert_null(r);
    /* version 1 had no by, by_count: what lies there in an old caller's memory is not read */
    b.version = 1;
    b.by = NULL;
    b.by_count = 3;
    b.weighting = DEFIDX_WEIGHT_PRICE;
    assert_int_equal(defidx_compute(panel, NULL, NULL, &b, &r, &err), 0);
    assert_int_equal(r->breakdown_count, 0);
    /* version 2 reads them: a key that is no defidx_group_key is refused, not emitted as one */
    defidx_result_free(r);
    r = NULL;
    static const int bad_key[] = {DEFIDX_GROUP_KEY_COUNT};
    b.version = DEFIDX_OPTIONS_VERSION;
    b.by = bad_key;
    b.by_count = 1;
    assert_int_equal(defidx_compute(panel, NULL, NULL, &b, &r, &err), DEFIDX_EUSAGE);
    assert_non_null(strstr(err.message, "not a defidx_group_key"));
    assert_null(r);
    b.by = NULL;
    b.by_count = 0;
    assert_int_equal(defidx_compute(panel, NULL, NULL, &b, &r, &err), 0);
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    ea.version = DEFIDX_OPTIONS_VERSION + 1;
    assert_int_equal(defidx_emit_result(out, r, DEFIDX_FORMAT_CSV, &ea, &err), DEFIDX_EUSAGE);
    ca.version = DEFIDX_OPTIONS_VERSION + 1;
    assert_int_equal(defidx_chart_svg(out, r, &ca, &err), DEFIDX_EUSAGE);
    ra.version = DEFIDX_OPTIONS_VERSION + 1;
    assert_int_equal(defidx_emit_report(out, r, DEFIDX_REPORT_TXT, &ra, &err), DEFIDX_EUSAGE);
    fclose(out);
    defidx_result_free(r);
    defidx_panel_free(panel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(embed), cmocka_unit_test(options_versions)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
