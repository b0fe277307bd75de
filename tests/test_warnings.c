/* test_warnings.c: a warning as fields and as the text printed (util/error.c): the location and
 * the hint taken apart, the kinds' names (and docs/formats.md listing each), the limit, moving a
 * list into another, and a lost warning as an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

/* The fields of w's warning i, one by one. */
static void check_fields(const defidx_warnings *w, size_t i, defidx_warning_kind kind, const char *file,
                         long line, long column, const char *message, const char *hint)
{
    const defidx_warning *d = &w->details[i];
    assert_int_equal(d->kind, kind);
    if (file)
        assert_string_equal(d->file, file);
    else
        assert_null(d->file);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, column);
    assert_string_equal(d->message, message);
    if (hint)
        assert_string_equal(d->hint, hint);
    else
        assert_null(d->hint);
}

/* The text keeps the form every warning has had; the fields are its parts. */
static void test_fields_and_text(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    assert_int_equal(defidx_warn(&w, "prices.csv", 12, 7, "AAA on %s (hint: %s)", "2025-01-02", "check it"), 0);
    assert_int_equal(w.count, 1);
    assert_string_equal(w.items[0], "prices.csv:12:7: AAA on 2025-01-02 (hint: check it)");
    check_fields(&w, 0, DEFIDX_WARNING_OTHER, "prices.csv", 12, 7, "AAA on 2025-01-02", "check it");
    assert_int_equal(w.status, 0);
    defidx_warnings_free(&w);
    assert_int_equal(w.count, 0);
    assert_null(w.items);
    assert_null(w.details);
}

/* A file without a line, no file (NULL or ""), and a line without a column, as errors print them;
 * the fields say 0 and NULL for what is not known rather than what the text shows. */
static void test_locations(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_warn(&w, "index.json", 0, 9, "cap %g", 0.12);
    defidx_warn(&w, NULL, 3, 4, "no file");
    defidx_warn(&w, "", 0, 0, "empty name");
    defidx_warn(&w, "actions.csv", 3, 0, "a line alone");
    assert_string_equal(w.items[0], "index.json: cap 0.12");
    check_fields(&w, 0, DEFIDX_WARNING_OTHER, "index.json", 0, 0, "cap 0.12", NULL);
    assert_string_equal(w.items[1], "no file");
    check_fields(&w, 1, DEFIDX_WARNING_OTHER, NULL, 3, 4, "no file", NULL);
    assert_string_equal(w.items[2], "empty name");
    check_fields(&w, 2, DEFIDX_WARNING_OTHER, NULL, 0, 0, "empty name", NULL);
    assert_string_equal(w.items[3], "actions.csv:3:1: a line alone");
    check_fields(&w, 3, DEFIDX_WARNING_OTHER, "actions.csv", 3, 0, "a line alone", NULL);
    defidx_warnings_free(&w);
}

/* The hint is what the last " (hint: " opens, up to the closing parenthesis that ends the text;
 * anything else stays in the message, and message and hint always give the text back. */
static void test_hint_split(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_warn(&w, NULL, 0, 0, "a (hint: b (c))");
    check_fields(&w, 0, DEFIDX_WARNING_OTHER, NULL, 0, 0, "a", "b (c)");
    defidx_warn(&w, NULL, 0, 0, "a (hint: b) then c");
    check_fields(&w, 1, DEFIDX_WARNING_OTHER, NULL, 0, 0, "a (hint: b) then c", NULL);
    defidx_warn(&w, NULL, 0, 0, "(hint: x)");
    check_fields(&w, 2, DEFIDX_WARNING_OTHER, NULL, 0, 0, "(hint: x)", NULL);
    defidx_warn(&w, NULL, 0, 0, "ticker \"X (hint: y)\" (hint: z)");
    check_fields(&w, 3, DEFIDX_WARNING_OTHER, NULL, 0, 0, "ticker \"X (hint: y)\"", "z");
    defidx_warn(&w, NULL, 0, 0, "a (hint: )");
    check_fields(&w, 4, DEFIDX_WARNING_OTHER, NULL, 0, 0, "a", "");
    assert_string_equal(w.items[4], "a (hint: )");
    defidx_warnings_free(&w);
}

/* A message longer than any buffer is kept whole, in the text and in the fields. */
static void test_long_message(void **state)
{
    (void)state;
    char ticker[2001];
    memset(ticker, 'T', sizeof ticker - 1);
    ticker[sizeof ticker - 1] = '\0';
    char path[301];
    memset(path, 'p', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    defidx_warnings w = {0};
    assert_int_equal(defidx_warn(&w, path, 1, 2, "%s is odd (hint: %s)", ticker, "look"), 0);
    /* 300 + ":1:2: " (6) + 2000 + " is odd" (7) + " (hint: look)" (13) */
    assert_int_equal(strlen(w.items[0]), 300 + 6 + 2000 + 7 + 13);
    assert_int_equal(strlen(w.details[0].message), 2000 + 7);
    assert_int_equal(strncmp(w.details[0].message, ticker, 2000), 0);
    assert_string_equal(w.details[0].hint, "look");
    assert_string_equal(w.details[0].file, path);
    defidx_warnings_free(&w);
}

/* The kind travels with the warning; the library's call sites give theirs. */
static void test_kind(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    dfx_warn_kind(&w, DEFIDX_WARNING_SPIKE, "p.csv", 3, 16, "a spike (hint: check)");
    assert_string_equal(w.items[0], "p.csv:3:16: a spike (hint: check)");
    check_fields(&w, 0, DEFIDX_WARNING_SPIKE, "p.csv", 3, 16, "a spike", "check");
    defidx_warnings_free(&w);

    /* a repeated row as the panel's finish warns about it */
    defidx_panel *p = defidx_panel_new();
    assert_non_null(p);
    static const char csv[] = "date,ticker,close\n2025-01-02,AAA,10\n2025-01-02,AAA,10\n";
    defidx_error err;
    assert_int_equal(defidx_load_csv(p, "p.csv", csv, sizeof csv - 1, NULL, &w, &err), 0);
    assert_int_equal(defidx_panel_finish(p, &w, &err), 0);
    assert_int_equal(w.count, 1);
    assert_string_equal(w.items[0], "p.csv:3:16: repeated row for AAA on 2025-01-02 (same as p.csv:2); used once");
    check_fields(&w, 0, DEFIDX_WARNING_REPEATED_ROW, "p.csv", 3, 16,
                 "repeated row for AAA on 2025-01-02 (same as p.csv:2); used once", NULL);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
}

/* One name per kind, distinct, as docs/formats.md lists them; NULL for a number that is none. */
static void test_kind_names(void **state)
{
    (void)state;
    static const char *const expected[DEFIDX_WARNING_KIND_COUNT] = {
        "other", "repeated_row", "stale_price", "spike", "unused_ticker", "capping", "base_date",
        "currency", "encoding", "stale_rate"};
    FILE *f = fopen(TEST_DATA_DIR "/../../docs/formats.md", "rb");
    assert_non_null(f);
    static char doc[1 << 20];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    for (int k = 0; k < DEFIDX_WARNING_KIND_COUNT; k++) {
        const char *name = defidx_warning_kind_name((defidx_warning_kind)k);
        assert_non_null(name);
        assert_string_equal(name, expected[k]);
        char row[64];
        snprintf(row, sizeof row, "| `%s` |", name);
        if (!strstr(doc, row))
            fail_msg("docs/formats.md has no row for the warning kind %s", name);
    }
    assert_null(defidx_warning_kind_name(DEFIDX_WARNING_KIND_COUNT));
    assert_null(defidx_warning_kind_name((defidx_warning_kind)-1));
}

/* Past DEFIDX_WARNINGS_MAX warnings are counted, not stored, and that is no error. */
static void test_limit(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    for (int i = 0; i < DEFIDX_WARNINGS_MAX + 5; i++)
        assert_int_equal(defidx_warn(&w, NULL, 0, 0, "warning %d", i), 0);
    assert_int_equal(w.count, DEFIDX_WARNINGS_MAX);
    assert_int_equal(w.suppressed, 5);
    assert_int_equal(w.status, 0);
    assert_string_equal(w.items[DEFIDX_WARNINGS_MAX - 1], "warning 999");
    assert_int_equal(defidx_warn(NULL, NULL, 0, 0, "dropped"), 0);
    defidx_warnings_free(&w);
}

/* Moving keeps the fields and the order, empties the source, and keeps within the limit. */
static void test_move(void **state)
{
    (void)state;
    defidx_warnings into = {0}, from = {0};
    defidx_warn(&into, NULL, 0, 0, "first");
    dfx_warn_kind(&from, DEFIDX_WARNING_ENCODING, "a.csv", 1, 5, "second (hint: h)");
    defidx_warn(&from, "b.csv", 0, 0, "third");
    from.suppressed = 2;
    assert_int_equal(defidx_warnings_move(&into, &from), 0);
    assert_int_equal(into.count, 3);
    assert_int_equal(into.suppressed, 2);
    assert_string_equal(into.items[1], "a.csv:1:5: second (hint: h)");
    check_fields(&into, 1, DEFIDX_WARNING_ENCODING, "a.csv", 1, 5, "second", "h");
    assert_string_equal(into.items[2], "b.csv: third");
    check_fields(&into, 2, DEFIDX_WARNING_OTHER, "b.csv", 0, 0, "third", NULL);
    assert_int_equal(from.count, 0);
    assert_int_equal(from.suppressed, 0);
    assert_null(from.items);

    /* 3 + 997 fill the list; of 4 more, none fits */
    for (int i = 0; i < DEFIDX_WARNINGS_MAX - 3; i++)
        defidx_warn(&from, NULL, 0, 0, "more %d", i);
    assert_int_equal(defidx_warnings_move(&into, &from), 0);
    assert_int_equal(into.count, DEFIDX_WARNINGS_MAX);
    for (int i = 0; i < 4; i++)
        defidx_warn(&from, NULL, 0, 0, "over %d", i);
    assert_int_equal(defidx_warnings_move(&into, &from), 0);
    assert_int_equal(into.count, DEFIDX_WARNINGS_MAX);
    assert_int_equal(into.suppressed, 2 + 4);
    assert_string_equal(into.items[DEFIDX_WARNINGS_MAX - 1], "more 996");
    defidx_warnings_free(&into);
    defidx_warnings_free(&from);
}

/* A list that lost a warning makes the function given it fail, whatever else went right. */
static void test_lost_warning_is_an_error(void **state)
{
    (void)state;
    defidx_warnings w = {0};
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(dfx_warnings_check(&w, 0, &err), 0);
    assert_int_equal(dfx_warnings_check(NULL, 0, &err), 0);
    assert_int_equal(dfx_warnings_check(&w, DEFIDX_EDATA, &err), DEFIDX_EDATA);
    w.status = DEFIDX_ENOMEM;
    assert_int_equal(dfx_warnings_check(&w, DEFIDX_EDATA, &err), DEFIDX_EDATA); /* the first error stands */
    assert_int_equal(dfx_warnings_check(&w, 0, &err), DEFIDX_ENOMEM);
    assert_int_equal(err.code, DEFIDX_ENOMEM);
    assert_string_equal(err.message, "out of memory");

    /* a loader given such a list says so */
    defidx_panel *p = defidx_panel_new();
    assert_non_null(p);
    static const char csv[] = "date,ticker,close\n2025-01-02,AAA,10\n";
    defidx_error_clear(&err);
    assert_int_equal(defidx_load_csv(p, "p.csv", csv, sizeof csv - 1, NULL, &w, &err), DEFIDX_ENOMEM);
    assert_string_equal(err.message, "out of memory");
    defidx_panel_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_text),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_hint_split),
        cmocka_unit_test(test_long_message),
        cmocka_unit_test(test_kind),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_move),
        cmocka_unit_test(test_lost_warning_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
