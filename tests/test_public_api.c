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
    assert_int_equal(defidx_load_csv(panel, "prices.csv", csv, strlen(csv), &warnings, &err), 0);
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
    assert_int_equal(defidx_emit_result(out, r, DEFIDX_FORMAT_JSON, &err), 0);
    fclose(out);
    assert_non_null(strstr(buf, "\"level\": 110"));
    assert_non_null(strstr(buf, "\"schema\": \"defidx.compute/1\""));
    free(buf);

    /* Errors come back as values with a position, never printed. */
    defidx_panel *bad = defidx_panel_new();
    static const char broken[] = "date,A\n2025-02-03,ten\n";
    assert_int_equal(defidx_load_csv(bad, "broken.csv", broken, strlen(broken), NULL, &err), DEFIDX_EDATA);
    char text[1200];
    defidx_error_format(&err, text, sizeof text);
    assert_non_null(strstr(text, "broken.csv:2:12: "));

    defidx_panel_free(bad);
    defidx_result_free(r);
    defidx_warnings_free(&warnings);
    defidx_panel_free(panel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(embed)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
