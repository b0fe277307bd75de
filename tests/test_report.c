/* test_report.c: the files of a report bundle that `defidx report` writes (src/emit/emit_report.c), on
 * results built by hand: this week's movers (stale prices left out, no name in both lists),
 * report.txt within 100 characters a line however many columns and however long the names, and
 * the banner and column that name stale prices. The
 * bundle on disk and its numbers against `compute` are tested in tests/report/. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "defidx.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_MEMBERS 12
#define MAX_PERIODS 8

/* A result of up to 12 constituents and 8 periods, with the arrays it points into. */
typedef struct fixture {
    defidx_result r;
    defidx_period periods[MAX_PERIODS];
    defidx_constituent members[MAX_MEMBERS];
    defidx_period member_periods[MAX_MEMBERS][MAX_PERIODS];
    double contribution[MAX_MEMBERS][MAX_PERIODS];
} fixture;

/* Fills f with n constituents (tickers T00, T01, ...; prices fresh on the as-of date, Friday
 * 2025-08-01) and the periods 1d, wtd, mtd, ytd and `since` since periods (2020-01-02, 2021-01-04,
 * ...). Constituent i's wtd return is wtd[i]; every other number is 1 percent. */
static void make_result(fixture *f, size_t n, const double *wtd, size_t since)
{
    static const char *const names[] = {"1d", "wtd", "mtd", "ytd"};
    static const int kinds[] = {DEFIDX_PERIOD_1D, DEFIDX_PERIOD_WTD, DEFIDX_PERIOD_MTD, DEFIDX_PERIOD_YTD};
    memset(f, 0, sizeof *f);
    defidx_result *r = &f->r;
    snprintf(r->name, sizeof r->name, "Hand-made index");
    snprintf(r->currency, sizeof r->currency, "EUR");
    r->return_type = "price";
    r->weighting = DEFIDX_WEIGHT_EQUAL;
    r->base_date = day("2019-12-31");
    r->base_value = 100;
    r->as_of = day("2025-08-01");
    r->level = 150;
    r->ath_date = day("2025-07-31");
    r->ath_level = 151;
    r->drawdown = 150.0 / 151 - 1;
    r->max_gap = 5;
    r->period_count = 4 + since;
    r->periods = f->periods;
    for (size_t k = 0; k < r->period_count; k++) {
        defidx_period *p = &f->periods[k];
        p->kind = k < 4 ? kinds[k] : DEFIDX_PERIOD_SINCE;
        if (k < 4)
            snprintf(p->name, sizeof p->name, "%s", names[k]);
        else
            snprintf(p->name, sizeof p->name, "since:%d-01-0%d", 2020 + (int)(k - 4), k == 4 ? 2 : 4);
        p->base_date = day("2025-07-25");
        p->base_value = 100;
        p->ret = 0.01;
    }
    r->constituent_count = n;
    r->constituents = f->members;
    for (size_t i = 0; i < n; i++) {
        defidx_constituent *c = &f->members[i];
        snprintf(c->ticker, sizeof c->ticker, "T%02zu", i);
        snprintf(c->name, sizeof c->name, "Name %02zu", i);
        snprintf(c->currency, sizeof c->currency, "EUR");
        c->price_date = r->as_of;
        c->price = 10;
        c->weight = 1.0 / (double)n;
        c->periods = f->member_periods[i];
        c->contribution = f->contribution[i];
        for (size_t k = 0; k < r->period_count; k++) {
            c->periods[k] = f->periods[k];
            c->periods[k].ret = k == 1 ? wtd[i] : 0.01;
            c->contribution[k] = 0.001;
        }
    }
}

/* Marks constituent i stale: its last close is Friday 2025-07-18, 10 business days before the
 * as-of date (21-25 July, 28 July-1 August), where max_gap allows 5. */
static void make_stale(fixture *f, size_t i)
{
    f->members[i].price_date = day("2025-07-18");
    f->members[i].stale = 1;
    f->r.stale_constituents++;
}

/* Fails unless needle occurs in haystack. */
static void expect_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("\"%s\" not found in:\n%s", needle, haystack);
}

/* Fails unless line is one of text's lines. */
static void expect_contains_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p += n)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return;
    fail_msg("no line \"%s\" in:\n%s", line, text);
}

/* One file of the bundle of f's result, as text (the caller frees it). */
static char *report_text(const fixture *f, int file)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_emit_report(out, &f->r, file, NULL, &err), 0);
    fclose(out);
    return buf;
}

/* The tickers (first words) of the rows under heading in report.txt, one a line, up to the next
 * empty line after the table; "" when the heading is followed by a sentence, not a table. */
static char *listed_under(const char *text, const char *heading)
{
    const char *at = strstr(text, heading);
    assert_non_null(at);
    at = strchr(at, '\n') + 2; /* past the heading's line and the empty line after it */
    char *out = calloc(1, strlen(at) + 1);
    assert_non_null(out);
    if (strncmp(at, "Ticker", 6) != 0)
        return out;
    at = strchr(strchr(at, '\n') + 1, '\n') + 1; /* past the header and the rule */
    while (*at && *at != '\n') {
        size_t n = strcspn(at, " ");
        strncat(out, at, n);
        strcat(out, "\n");
        at = strchr(at, '\n') + 1;
    }
    return out;
}

/* Two fresh names with the same return (0.00%, as carried prices show): one is the top mover, the
 * other the bottom one; before, the tie put the first in both lists. */
static void test_movers_tie(void **state)
{
    (void)state;
    fixture f;
    const double wtd[] = {0, 0};
    make_result(&f, 2, wtd, 0);
    char *text = report_text(&f, DEFIDX_REPORT_TXT);
    char *top = listed_under(text, "Top movers this week");
    char *bottom = listed_under(text, "Bottom movers this week");
    assert_string_equal(top, "T00\n");
    assert_string_equal(bottom, "T01\n");
    free(top), free(bottom), free(text);
}

/* Stale names are never movers: of T00 (+5%, stale), T01 (+3%), T02 (-1%), T03 (-4%, stale) the
 * fresh T01 and T02 remain, one per list. With seven fresh names each list holds three, best and
 * worst first, the middle one in neither. */
static void test_movers_fresh_only(void **state)
{
    (void)state;
    fixture f;
    const double four[] = {0.05, 0.03, -0.01, -0.04};
    make_result(&f, 4, four, 0);
    make_stale(&f, 0);
    make_stale(&f, 3);
    for (int file = DEFIDX_REPORT_TXT; file <= DEFIDX_REPORT_HTML; file++) {
        char *text = report_text(&f, file);
        /* in the HTML and the Markdown too, no stale ticker sits in a movers row */
        const char *movers = strstr(text, "Top movers this week");
        const char *end = strstr(text, "Constituents");
        assert_non_null(movers);
        size_t span = end && end > movers ? (size_t)(end - movers) : strlen(movers);
        char *part = strndup(movers, span);
        assert_null(strstr(part, "T00"));
        assert_null(strstr(part, "T03"));
        free(part);
        if (file == DEFIDX_REPORT_TXT) {
            char *top = listed_under(text, "Top movers this week");
            char *bottom = listed_under(text, "Bottom movers this week");
            assert_string_equal(top, "T01\n");
            assert_string_equal(bottom, "T02\n");
            free(top), free(bottom);
        }
        free(text);
    }
    const double seven[] = {0.01, 0.07, -0.02, 0.03, -0.05, 0.00, 0.02};
    make_result(&f, 7, seven, 0);
    char *text = report_text(&f, DEFIDX_REPORT_TXT);
    char *top = listed_under(text, "Top movers this week");
    char *bottom = listed_under(text, "Bottom movers this week");
    assert_string_equal(top, "T01\nT03\nT06\n");    /* +7%, +3%, +2% */
    assert_string_equal(bottom, "T04\nT02\nT05\n"); /* -5%, -2%, 0% */
    free(top), free(bottom), free(text);
}

/* Every name stale: both lists say so in a sentence instead of a table ("other" only where the top
 * list names one). */
static void test_movers_none(void **state)
{
    (void)state;
    fixture f;
    const double wtd[] = {0.01, 0.02};
    make_result(&f, 2, wtd, 0);
    make_stale(&f, 0);
    make_stale(&f, 1);
    char *text = report_text(&f, DEFIDX_REPORT_TXT);
    char *top = listed_under(text, "Top movers this week");
    char *bottom = listed_under(text, "Bottom movers this week");
    assert_string_equal(top, ""), assert_string_equal(bottom, "");
    const char *none = "No constituent has a current price and a return this week.";
    expect_contains_line(text, none);
    expect_contains_line(strstr(text, "Bottom movers this week"), none);
    free(top), free(bottom), free(text);
}

/* The widest line of text in characters (UTF-8 continuation bytes take no column). */
static size_t widest_line(const char *text)
{
    size_t widest = 0, w = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n') {
            widest = w > widest ? w : widest;
            w = 0;
        } else {
            w += (*p & 0xC0) != 0x80;
        }
    }
    return w > widest ? w : widest;
}

/* report.txt fits in 100 characters a line with twelve constituents, names of 127 characters (a
 * name's room, UTF-8 among them), an index name as long, and eight periods: the constituents table
 * is split, each part led by the tickers; every column is still shown once. */
static void test_txt_width(void **state)
{
    (void)state;
    fixture f;
    double wtd[MAX_MEMBERS];
    for (size_t i = 0; i < MAX_MEMBERS; i++)
        wtd[i] = 0.001 * (double)i;
    make_result(&f, MAX_MEMBERS, wtd, 4);
    for (size_t i = 0; i < MAX_MEMBERS; i++) {
        memset(f.members[i].name, 'n', sizeof f.members[i].name - 1);
        memcpy(f.members[i].name, "\xc3\x89tablissements ", 16); /* É: 2 bytes, 1 character */
        f.members[i].name[sizeof f.members[i].name - 1] = '\0';
    }
    memset(f.r.name, 'x', sizeof f.r.name - 1);
    for (size_t k = 10; k < sizeof f.r.name - 1; k += 11)
        f.r.name[k] = ' ';
    f.r.name[sizeof f.r.name - 1] = '\0';
    char *text = report_text(&f, DEFIDX_REPORT_TXT);
    assert_true(widest_line(text) <= 100);
    /* the name cut to 24 characters: 23 of the name, then the ellipsis */
    expect_contains(text, "T00     \xc3\x89tablissements nnnnnnnn\xe2\x80\xa6  EUR");
    /* each column heading once before the movers, the tickers leading every part */
    static const char *const columns[] = {"Ccy", "Price", "Weight", "1d", "wtd", "mtd", "ytd",
                                          "since:2020-01-02", "since:2021-01-04", "since:2022-01-04",
                                          "since:2023-01-04", "Contrib ytd", "Contrib since:2020-01-02",
                                          "Contrib since:2021-01-04", "Contrib since:2022-01-04",
                                          "Contrib since:2023-01-04"};
    char *tables = strndup(text, (size_t)(strstr(text, "Top movers this week") - text));
    size_t parts = 0;
    for (const char *line = tables; *line; line = strchr(line, '\n') + 1) {
        parts += strncmp(line, "Ticker  ", 8) == 0;
    }
    assert_true(parts >= 2);
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        char word[40];
        snprintf(word, sizeof word, "  %s", columns[i]);
        size_t seen = 0;
        for (const char *p = tables; (p = strstr(p, word)) != NULL; p += strlen(word)) {
            char after = p[strlen(word)];
            seen += after == ' ' || after == '\n'; /* the whole heading, not "Contrib ytd" for "ytd" */
        }
        if (seen != 1)
            fail_msg("column %s is shown %zu times", columns[i], seen);
    }
    free(tables);
    free(text);
}

/* The banner of stale prices heads report.txt, report.md and report.html, naming each stale
 * constituent with the date of its price (make_stale: 2025-07-18), in the result's order, and the
 * limit and the as-of date; constituents.csv's last column says which. A ticker is text from a
 * price file: the HTML escapes it. Without a stale price there is no banner. */
static void test_stale_banner(void **state)
{
    (void)state;
    fixture f;
    const double wtd[] = {0.01, 0.02, 0.03};
    make_result(&f, 3, wtd, 0);
    char *text = report_text(&f, DEFIDX_REPORT_TXT);
    assert_null(strstr(text, "Stale"));
    free(text);
    snprintf(f.members[2].ticker, sizeof f.members[2].ticker, "<T&2>");
    make_stale(&f, 0);
    make_stale(&f, 2);
    text = report_text(&f, DEFIDX_REPORT_TXT);
    expect_contains(text, "drawdown -0.66%\n\nStale prices: T00 (2025-07-18), <T&2> (2025-07-18): "
                          "carried more than 5 business days to 2025-08-01\n\nPeriod ");
    free(text);
    text = report_text(&f, DEFIDX_REPORT_MD);
    expect_contains(text, "drawdown -0.66%\n\n> **Stale prices:** T00 (2025-07-18), <T&2> (2025-07-18): "
                          "carried more than 5 business days to 2025-08-01\n\n| Period ");
    free(text);
    text = report_text(&f, DEFIDX_REPORT_HTML);
    /* each entry and the date kept on one line (a browser breaks a date after its hyphens) */
    expect_contains(text, "</header>\n<p class=\"stale\" role=\"alert\"><strong>Stale prices:</strong> "
                          "<span class=\"nw\">T00 (2025-07-18)</span>, <span class=\"nw\">&lt;T&amp;2&gt; "
                          "(2025-07-18)</span>: carried more than 5 business days to "
                          "<span class=\"nw\">2025-08-01</span></p>\n");
    free(text);
    f.r.max_gap = 1; /* "day", not "days" */
    text = report_text(&f, DEFIDX_REPORT_TXT);
    expect_contains(text, "(2025-07-18): carried more than 1 business day to 2025-08-01\n");
    free(text);
    text = report_text(&f, DEFIDX_REPORT_CONSTITUENTS_CSV);
    const char *header_end = strchr(text, '\n');
    assert_non_null(header_end);
    assert_memory_equal(header_end - 6, ",stale", 6);
    expect_contains(text, "\nT00,Name 00,EUR,10,2025-07-18,");
    /* each row ends in its flag: T00 and <T&2> stale, T01 not */
    size_t rows = 0;
    for (const char *line = header_end + 1; *line; line = strchr(line, '\n') + 1, rows++) {
        const char *end = strchr(line, '\n');
        int stale = strncmp(line, "T01,", 4) != 0;
        const char *want = stale ? ",1" : ",0";
        assert_memory_equal(end - strlen(want), want, strlen(want));
    }
    assert_int_equal(rows, 3);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_movers_tie),
        cmocka_unit_test(test_movers_fresh_only),
        cmocka_unit_test(test_movers_none),
        cmocka_unit_test(test_txt_width),
        cmocka_unit_test(test_stale_banner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
