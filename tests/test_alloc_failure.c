/* test_alloc_failure.c: an allocation that fails is an error, never a skipped step, a lost warning
 * or a misleading message. The test is linked with -Wl,--wrap for malloc, calloc, realloc and
 * posix_memalign (tests/CMakeLists.txt), so that every allocation of the library, statically
 * linked in, passes through the counters below. A run that loads, computes and writes everything
 * there is to write (price files with a repeated row, a spike, a stale price, an unused ticker and
 * Windows-1252 text; a definition whose cap cannot be met; actions; every table and format, the
 * report's files and a chart; and the one-pass reader of a date-sorted file) is repeated with the
 * Nth allocation failing, for N = 1, 2, ... until
 * a run makes fewer than N. Each run with a failure must stop with DEFIDX_ENOMEM and a message
 * that starts "out of memory", or (where the library has a way round the failed allocation) succeed with exactly the
 * bytes of the run without one; anything else fails the test, naming N. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"

/* ---- the failing allocator ---------------------------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
int __real_posix_memalign(void **p, size_t alignment, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);
int __wrap_posix_memalign(void **p, size_t alignment, size_t size);

static long fail_at;   /* the allocation that fails, counted from 1; 0: none */
static long allocations; /* allocations counted since fail_at was set */
static void *failed_caller; /* where the failed allocation was asked for, to name it */

/* 1 when this allocation is the one to fail. */
static int fail_now(void *caller)
{
    if (!fail_at || ++allocations != fail_at)
        return 0;
    failed_caller = caller;
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return fail_now(__builtin_return_address(0)) ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return fail_now(__builtin_return_address(0)) ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return fail_now(__builtin_return_address(0)) ? NULL : __real_realloc(p, size);
}

int __wrap_posix_memalign(void **p, size_t alignment, size_t size)
{
    return fail_now(__builtin_return_address(0)) ? 12 /* ENOMEM */ : __real_posix_memalign(p, alignment, size);
}

/* ---- the inputs ---------------------------------------------------------------------------------- */

/* AAA, BBB and CCC are in the definition, DDD is not (unused_ticker); AAA's row of 2025-01-03 is
 * there twice (repeated_row); BBB doubles on 2025-01-06 and is back the next day (spike); CCC's last
 * close is on 2025-01-06, 9 trading days before the last date (stale_price). */
static const char prices_one[] =
    "date,ticker,close\n"
    "2025-01-02,AAA,10\n2025-01-02,BBB,20\n2025-01-02,CCC,30\n2025-01-02,DDD,5\n"
    "2025-01-03,AAA,10.5\n2025-01-03,AAA,10.5\n2025-01-03,BBB,20\n2025-01-03,CCC,31\n2025-01-03,DDD,5\n"
    "2025-01-06,AAA,11\n2025-01-06,BBB,40\n2025-01-06,CCC,32\n"
    "2025-01-07,AAA,11.5\n2025-01-07,BBB,20\n"
    "2025-01-08,AAA,11\n2025-01-08,BBB,21\n"
    "2025-01-09,AAA,12\n2025-01-09,BBB,22\n"
    "2025-01-10,AAA,12.5\n2025-01-10,BBB,21\n"
    "2025-01-13,AAA,12\n2025-01-13,BBB,22\n"
    "2025-01-14,AAA,13\n2025-01-14,BBB,23\n"
    "2025-01-15,AAA,13.5\n2025-01-15,BBB,22\n"
    "2025-01-16,AAA,14\n2025-01-16,BBB,23\n"
    "2025-01-17,AAA,14.5\n2025-01-17,BBB,24\n";

/* A second download repeating two rows of the first (repeated_row, once for the pair of files), in
 * Windows-1252 (encoding): its name column holds "Société" with 0xE9. It gives CCC's share count,
 * which the definition does not: the panel lays out a matrix of shares. */
static const char prices_two[] =
    "date,ticker,close,shares,name\n2025-01-02,AAA,10,,Soci\xe9t\xe9\n2025-01-02,CCC,30,10,Soci\xe9t\xe9\n";

/* A plain long CSV sorted by date, which defidx_compute_file reads in one pass (on one thread: it
 * is small): DDD is not in the definition, CCC's last close is 9 trading days old. */
static const char prices_sorted[] =
    "date,ticker,close\n"
    "2025-01-02,AAA,10\n2025-01-02,BBB,20\n2025-01-02,CCC,30\n2025-01-02,DDD,5\n"
    "2025-01-03,AAA,10.5\n2025-01-03,BBB,20\n2025-01-03,CCC,31\n2025-01-03,DDD,5\n"
    "2025-01-06,AAA,11\n2025-01-06,BBB,21\n2025-01-06,CCC,32\n"
    "2025-01-07,AAA,11.5\n2025-01-07,BBB,20\n2025-01-08,AAA,11\n2025-01-08,BBB,21\n"
    "2025-01-09,AAA,12\n2025-01-09,BBB,22\n2025-01-10,AAA,12.5\n2025-01-10,BBB,21\n"
    "2025-01-13,AAA,12\n2025-01-13,BBB,22\n2025-01-14,AAA,13\n2025-01-14,BBB,23\n"
    "2025-01-15,AAA,13.5\n2025-01-15,BBB,22\n2025-01-16,AAA,14\n2025-01-16,BBB,23\n"
    "2025-01-17,AAA,14.5\n2025-01-17,BBB,24\n";

/* Rates of USD per EUR, for the one pass to compute its index in EUR. */
static const char fx_csv[] = "Date,USD,GBP,\n2025-01-03,1.03,0.83,\n2025-01-02,1.04,0.83,\n";

/* Prices in JSON records, loaded into a panel of their own. */
static const char prices_json[] =
    "[{\"date\": \"2025-01-02\", \"ticker\": \"AAA\", \"close\": 10, \"currency\": \"USD\"},"
    " {\"date\": \"2025-01-03\", \"symbol\": \"BBB\", \"price\": 20.5, \"shares\": 1000},"
    " {\"date\": \"2025-01-03\", \"ticker\": \"AAA\", \"close\": null}]";

/* A cap of 20% that three constituents cannot meet (capping), a base date on a Saturday
 * (base_date: the index starts on the Friday before) and no index currency (currency: a note says
 * the index is in USD, its constituents'). */
static const char definition[] =
    "{\"name\": \"Alloc test\", \"base_date\": \"2025-01-04\", \"base_value\": 100,"
    " \"weighting\": \"ffmcap\", \"cap\": 0.2, \"constituents\": ["
    "{\"ticker\": \"AAA\", \"name\": \"Alpha\", \"currency\": \"USD\", \"shares\": 100},"
    "{\"ticker\": \"BBB\", \"name\": \"Beta\", \"currency\": \"USD\", \"shares\": 50},"
    "{\"ticker\": \"CCC\", \"name\": \"Gamma\", \"currency\": \"USD\"}]}";

/* A dividend given twice (repeated_row) and a split of a ticker that is not a constituent
 * (unused_ticker). */
static const char actions[] =
    "date,ticker,type,value\n2025-01-08,ZZZ,split,2\n2025-01-09,AAA,cash_dividend,0.1\n"
    "2025-01-09,AAA,cash_dividend,0.1\n";

static char dir[] = "/tmp/defidx_alloc_XXXXXX";
static char path_one[64], path_two[64], path_sorted[64];

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path_one, sizeof path_one, "%s/one.csv", dir);
    snprintf(path_two, sizeof path_two, "%s/two.csv", dir);
    snprintf(path_sorted, sizeof path_sorted, "%s/sorted.csv", dir);
    return write_file(path_one, prices_one) || write_file(path_two, prices_two) ||
                   write_file(path_sorted, prices_sorted)
               ? -1
               : 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path_one);
    unlink(path_two);
    unlink(path_sorted);
    rmdir(dir);
    return 0;
}

/* ---- the run ------------------------------------------------------------------------------------- */

/* Everything a run holds, freed by run_free whatever happened. */
typedef struct run {
    defidx_panel *panel;
    defidx_spec *spec;
    defidx_actions *actions;
    defidx_result *result;
    defidx_warnings load_warnings;
    defidx_table table;
    defidx_chart_line *lines;
    size_t line_count;
    FILE *out;
} run;

static void run_free(run *r)
{
    defidx_panel_free(r->panel);
    defidx_spec_free(r->spec);
    defidx_actions_free(r->actions);
    defidx_result_free(r->result);
    defidx_warnings_free(&r->load_warnings);
    defidx_table_free(&r->table);
    defidx_chart_lines_free(r->lines, r->line_count);
}

/* The warnings and notes of the result, fields and text, into out. */
static void write_warnings(FILE *out, const defidx_warnings *w)
{
    for (size_t i = 0; i < w->count; i++) {
        const defidx_warning *d = &w->details[i];
        fprintf(out, "%s | %s | %s | %ld:%ld | %s | %s\n", w->items[i], defidx_warning_kind_name(d->kind),
                d->file ? d->file : "-", d->line, d->column, d->message, d->hint ? d->hint : "-");
    }
    fprintf(out, "suppressed %zu\n", w->suppressed);
}

/* Loading and computing: the panel from both files, the definition, the actions, the result. */
static int compute(run *r, defidx_error *err)
{
    if (!(r->panel = defidx_panel_new()))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = defidx_load_prices(r->panel, path_one, NULL, &r->load_warnings, err);
    if (!rc)
        rc = defidx_load_prices(r->panel, path_two, NULL, &r->load_warnings, err);
    if (!rc)
        rc = defidx_panel_finish(r->panel, &r->load_warnings, err);
    if (!rc)
        rc = defidx_spec_parse(&r->spec, "index.json", definition, sizeof definition - 1, err);
    if (!rc)
        rc = defidx_actions_parse(&r->actions, "actions.csv", actions, sizeof actions - 1, &r->load_warnings, err);
    if (rc)
        return rc;
    defidx_options opt;
    defidx_options_init(&opt);
    int32_t since = defidx_date_from_civil(2025, 1, 6);
    opt.since = &since;
    opt.since_count = 1;
    opt.actions = r->actions;
    rc = defidx_compute(r->panel, r->spec, NULL, &opt, &r->result, err);
    if (!rc && defidx_warnings_move(&r->result->warnings, &r->load_warnings))
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    return rc;
}

/* Every format of the result, two of them narrowed to a width or to chosen columns. */
static int emit_formats(run *r, defidx_error *err)
{
    int rc = 0;
    for (int fmt = DEFIDX_FORMAT_TABLE; fmt <= DEFIDX_FORMAT_HTML && !rc; fmt++)
        rc = defidx_emit_result(r->out, r->result, fmt, NULL, err);
    defidx_emit_options o;
    defidx_emit_options_init(&o);
    o.width = 50; /* leaves columns out, with a note saying which */
    if (!rc)
        rc = defidx_emit_result(r->out, r->result, DEFIDX_FORMAT_TABLE, &o, err);
    defidx_emit_options_init(&o);
    o.columns = "ticker,price,weight,ytd";
    if (!rc)
        rc = defidx_emit_result(r->out, r->result, DEFIDX_FORMAT_CSV, &o, err);
    return rc;
}

/* The series, divisors and rebase tables (rebase's warnings with them). */
static int emit_tables(run *r, defidx_error *err)
{
    int rc = defidx_series_table(r->result, &r->table, err);
    if (!rc)
        rc = defidx_emit_table(r->out, &r->table, DEFIDX_FORMAT_CSV, NULL, err);
    defidx_table_free(&r->table);
    if (!rc)
        rc = defidx_divisors_table(r->result, &r->table, err);
    if (!rc)
        rc = defidx_emit_table(r->out, &r->table, DEFIDX_FORMAT_TABLE, NULL, err);
    defidx_table_free(&r->table);
    defidx_warnings rebase = {0};
    if (!rc)
        rc = defidx_rebase_table(r->panel, r->result->base_date + 1, &r->table, &rebase, err);
    if (!rc) {
        rc = defidx_emit_table(r->out, &r->table, DEFIDX_FORMAT_TSV, NULL, err);
        write_warnings(r->out, &rebase);
    }
    defidx_warnings_free(&rebase);
    return rc;
}

/* The report's files and a chart with the constituents' lines. */
static int emit_report(run *r, defidx_error *err)
{
    int rc = 0;
    for (int f = 0; f < DEFIDX_REPORT_FILE_COUNT && !rc; f++) {
        if (f != DEFIDX_REPORT_XLSX) {
            rc = defidx_emit_report(r->out, r->result, f, NULL, err);
            continue;
        }
        /* the workbook is binary, NUL bytes and all: not into the text the runs compare */
        FILE *sink = fopen("/dev/null", "wb");
        assert_non_null(sink);
        rc = defidx_emit_report(sink, r->result, f, NULL, err);
        fclose(sink);
    }
    if (!rc)
        rc = defidx_chart_rebased_lines(r->panel, r->result, DEFIDX_NO_DATE, &r->lines, &r->line_count, err);
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.extra = r->lines;
    o.extra_count = r->line_count;
    o.rebased = 1;
    if (!rc)
        rc = defidx_chart_svg(r->out, r->result, &o, err);
    return rc;
}

/* The date-sorted file in one pass, in EUR through the FX rates, and how it was read: a failure
 * that made the one pass leave the file to the panel would show there. Then the JSON prices. */
static int compute_in_one_pass(run *r, defidx_error *err)
{
    defidx_result *result = NULL;
    defidx_fx *fx = NULL;
    defidx_panel *json = NULL;
    defidx_options opt;
    defidx_options_init(&opt);
    opt.weighting = DEFIDX_WEIGHT_EQUAL; /* the file gives no share count of CCC */
    opt.currency = "EUR";
    int rc = defidx_fx_parse(&fx, "fx.csv", fx_csv, sizeof fx_csv - 1, err);
    if (!rc)
        rc = defidx_compute_file(path_sorted, NULL, r->spec, fx, &opt, &result, &r->load_warnings, err);
    if (!rc) {
        fprintf(r->out, "one pass: %d\n", result->one_pass);
        write_warnings(r->out, &result->warnings);
        rc = defidx_emit_result(r->out, result, DEFIDX_FORMAT_CSV, NULL, err);
    }
    if (!rc && !(json = defidx_panel_new()))
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if (!rc)
        rc = defidx_load_json(json, "prices.json", prices_json, sizeof prices_json - 1, NULL, &r->load_warnings, err);
    if (!rc)
        rc = defidx_panel_finish(json, &r->load_warnings, err);
    if (!rc)
        fprintf(r->out, "json: %zu tickers, %zu dates, %s\n", defidx_panel_ticker_count(json),
                defidx_panel_date_count(json), defidx_panel_currency(json, 0));
    defidx_panel_free(json);
    defidx_result_free(result);
    defidx_fx_free(fx);
    return rc;
}

/* One run, its output (freed by the caller) in *text. */
static int run_once(char **text, size_t *len, defidx_error *err)
{
    run r = {0};
    *text = NULL;
    defidx_error_clear(err);
    r.out = open_memstream(text, len);
    assert_non_null(r.out);
    int rc = compute(&r, err);
    if (!rc) {
        write_warnings(r.out, &r.result->warnings);
        write_warnings(r.out, &r.result->notes);
        rc = emit_formats(&r, err);
    }
    if (!rc)
        rc = emit_tables(&r, err);
    if (!rc)
        rc = emit_report(&r, err);
    if (!rc)
        rc = compute_in_one_pass(&r, err);
    run_free(&r);
    assert_int_equal(fclose(r.out), 0);
    return rc;
}

/* The run without a failure holds every kind of warning, and reads a file in one pass: a failure
 * anywhere is tested on all of them. */
static void test_reference_run(void **state)
{
    (void)state;
    char *text;
    size_t len;
    defidx_error err;
    int rc = run_once(&text, &len, &err);
    if (rc)
        fail_msg("the run fails without a failed allocation: %s", err.message);
    static const char *const kinds[] = {"| repeated_row |", "| spike |", "| stale_price |", "| unused_ticker |",
                                        "| capping |", "| base_date |", "| encoding |", "| currency |"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (!strstr(text, kinds[k]))
            fail_msg("no warning %s in the run:\n%s", kinds[k], text);
    if (!strstr(text, "one pass: 1\n"))
        fail_msg("the date-sorted file was not read in one pass:\n%s", text);
    free(text);
}

/* Every allocation of the run, failed in turn. */
static void test_every_allocation_fails_in_turn(void **state)
{
    (void)state;
    char *want, *got;
    size_t want_len, got_len;
    defidx_error err;
    assert_int_equal(run_once(&want, &want_len, &err), 0);
    long n = 1, stopped = 0, worked_round = 0, wrong = 0;
    for (;; n++) {
        allocations = 0;
        failed_caller = NULL;
        fail_at = n;
        int rc = run_once(&got, &got_len, &err);
        fail_at = 0;
        int failed = failed_caller != NULL;
        if (!failed) { /* the run made fewer than n allocations: every one has failed once */
            assert_int_equal(rc, 0);
            free(got);
            break;
        }
        if (rc == DEFIDX_ENOMEM && err.code == DEFIDX_ENOMEM && strncmp(err.message, "out of memory", 13) == 0) {
            stopped++;
        } else if (rc == 0 && got_len == want_len && memcmp(got, want, want_len) == 0) {
            worked_round++;
        } else {
            /* the offset names the allocation: addr2line -f -e test_alloc_failure OFFSET */
            Dl_info where;
            uintptr_t base = dladdr(failed_caller, &where) ? (uintptr_t)where.dli_fbase : 0;
            if (wrong++ < 20)
                print_error("allocation %ld (asked for at offset %#lx): status %d, \"%s\" instead of DEFIDX_ENOMEM \"out of memory\"%s\n",
                            n, (unsigned long)((uintptr_t)failed_caller - base), rc, err.message,
                            rc == 0 ? " (and different output)" : "");
        }
        free(got);
    }
    free(want);
    print_message("%ld allocations: %ld failed runs stopped with DEFIDX_ENOMEM, %ld found a way round, %ld did neither\n",
                  n - 1, stopped, worked_round, wrong);
    assert_int_equal(wrong, 0);
    assert_true(n > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_run),
        cmocka_unit_test(test_every_allocation_fails_in_turn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
