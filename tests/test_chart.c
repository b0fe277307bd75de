/* test_chart.c: the sparkline and the SVG chart (src/emit/chart.c). Sparklines and axis ticks are worked
 * out by hand below; the charts of a small hand-built result are compared with the golden files in
 * tests/golden/chart/ (reviewed by eye, and rendered with rsvg-convert, when written) and checked
 * independently: the points of the index's line, the all-time high's label, a marker's position.
 * The bundled data's chart is checked for well-formed tags and identical bytes on a second run.
 * To rewrite the golden files after a deliberate change, run the test with DEFIDX_UPDATE_GOLDEN=1
 * and review the diff; DEFIDX_CHART_OUT=FILE also writes the bundled data's chart to FILE. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "defidx.h"
#include "test_util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TEST_GOLDEN_DIR
#error "TEST_GOLDEN_DIR must name tests/golden (tests/CMakeLists.txt defines it)"
#endif
#ifndef TEST_BUNDLED_DIR
#error "TEST_BUNDLED_DIR must name the bundled data/ (tests/CMakeLists.txt defines it)"
#endif

/* The plot area of an 800 x 400 chart as src/emit/chart.c lays it out: 64 px left, 72 px right (and
 * 128 more for the legend with extra lines), 44 px top, 32 px bottom. */
#define PLOT_LEFT 64.0
#define PLOT_WIDTH (800.0 - 64.0 - 72.0)

/* ---- sparklines ------------------------------------------------------------------------------- */

#define B1 "\xe2\x96\x81" /* ▁ */
#define B2 "\xe2\x96\x82"
#define B3 "\xe2\x96\x83"
#define B4 "\xe2\x96\x84"
#define B5 "\xe2\x96\x85"
#define B6 "\xe2\x96\x86"
#define B7 "\xe2\x96\x87"
#define B8 "\xe2\x96\x88" /* █ */

/* 1..8: value v lands in floor((v - 1) / 7 * 7.999) = v - 1 (e.g. 5: 4 / 7 * 7.999 = 4.57). */
static void test_sparkline_ramp(void **state)
{
    (void)state;
    const double v[] = {1, 2, 3, 4, 5, 6, 7, 8};
    char buf[64];
    assert_int_equal(defidx_sparkline(v, 8, 0, buf, sizeof buf), 8);
    assert_string_equal(buf, B1 B2 B3 B4 B5 B6 B7 B8);
    assert_int_equal(defidx_sparkline(v, 8, 1, buf, sizeof buf), 8);
    assert_string_equal(buf, "_.-~=+*#");
    /* Descending, and scaled: 10..80 is the same picture. */
    const double w[] = {80, 70, 60, 50, 40, 30, 20, 10};
    assert_int_equal(defidx_sparkline(w, 8, 1, buf, sizeof buf), 8);
    assert_string_equal(buf, "#*+=~-._");
}

/* 0..10 with a gap: 0 -> 0, 10 -> 7, 5 -> floor(0.5 * 7.999) = 3, 2.5 -> floor(1.99975) = 1,
 * 9 -> floor(7.1991) = 7; NAN and infinities are blanks and do not stretch the range. */
static void test_sparkline_gaps(void **state)
{
    (void)state;
    const double v[] = {0, 10, NAN, 5, 2.5, INFINITY, 9};
    char buf[64];
    assert_int_equal(defidx_sparkline(v, 7, 1, buf, sizeof buf), 7);
    assert_string_equal(buf, "_# ~. #");
    assert_int_equal(defidx_sparkline(v, 7, 0, buf, sizeof buf), 7);
    assert_string_equal(buf, B1 B8 " " B4 B2 " " B8);
}

/* All equal: the middle character (a half block, '~'); all missing: blanks; nothing: "". */
static void test_sparkline_flat(void **state)
{
    (void)state;
    const double v[] = {3, 3, 3};
    const double gaps[] = {NAN, NAN};
    char buf[32];
    assert_int_equal(defidx_sparkline(v, 3, 0, buf, sizeof buf), 3);
    assert_string_equal(buf, B4 B4 B4);
    assert_int_equal(defidx_sparkline(v, 3, 1, buf, sizeof buf), 3);
    assert_string_equal(buf, "~~~");
    assert_int_equal(defidx_sparkline(gaps, 2, 0, buf, sizeof buf), 2);
    assert_string_equal(buf, "  ");
    assert_int_equal(defidx_sparkline(v, 0, 0, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

/* The buffer holds whole characters and the NUL: 1, 2, 3 draws ▁▄█ (2 -> floor(3.9995) = 3). */
static void test_sparkline_truncated(void **state)
{
    (void)state;
    const double v[] = {1, 2, 3};
    char buf[16];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(defidx_sparkline(v, 3, 0, buf, 10), 3);
    assert_string_equal(buf, B1 B4 B8);
    assert_int_equal(defidx_sparkline(v, 3, 0, buf, 9), 2); /* 9 bytes: 6 + NUL, not 9 + NUL */
    assert_string_equal(buf, B1 B4);
    assert_int_equal(defidx_sparkline(v, 3, 0, buf, 6), 1);
    assert_string_equal(buf, B1);
    assert_int_equal(defidx_sparkline(v, 3, 0, buf, 3), 0);
    assert_string_equal(buf, "");
    assert_int_equal(defidx_sparkline(v, 3, 1, buf, 3), 2);
    assert_string_equal(buf, "_~");
    buf[0] = 'x';
    assert_int_equal(defidx_sparkline(v, 3, 0, buf, 0), 0);
    assert_int_equal(buf[0], 'x'); /* size 0: not even the NUL */
}

/* ---- helpers for charts -------------------------------------------------------------------------- */

/* Renders r with o into memory, expecting success; the caller frees the text. */
static char *render(const defidx_result *r, const defidx_chart_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    defidx_error_clear(&err);
    int rc = defidx_chart_svg(f, r, o, &err);
    fclose(f);
    if (rc)
        fail_msg("defidx_chart_svg: %d %s", rc, err.message);
    return buf;
}

/* Renders r with o, expecting the error code and a message containing fragment. */
static void render_fails(const defidx_result *r, const defidx_chart_options *o, int code,
                         const char *fragment)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(defidx_chart_svg(f, r, o, &err), code);
    fclose(f);
    free(buf);
    if (!strstr(err.message, fragment))
        fail_msg("message '%s' lacks '%s'", err.message, fragment);
}

/* The texts of the elements <text class="cls" ...>TEXT</text>, joined with '|'. */
static void texts_of(const char *svg, const char *cls, char *out, size_t size)
{
    char open[64];
    snprintf(open, sizeof open, "<text class=\"%s\"", cls);
    out[0] = '\0';
    for (const char *p = strstr(svg, open); p; p = strstr(p + 1, open)) {
        const char *start = strchr(p, '>') + 1, *end = strstr(start, "</text>");
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%.*s", used ? "|" : "", (int)(end - start), start);
    }
}

/* Fails unless every tag is closed in order, nothing stands outside the root element, and every
 * '&' starts one of XML's five entities (an apostrophe is written &#39;, which HTML reads too). */
static void assert_well_formed(const char *svg)
{
    const char *stack[32];
    size_t lens[32], depth = 0, roots = 0;
    const char *p = svg;
    while ((p = strchr(p, '<'))) {
        const char *end = strchr(p, '>');
        assert_non_null(end);
        if (p[1] == '?') {
            assert_true(p == svg && end[-1] == '?'); /* only the XML declaration */
        } else if (p[1] == '/') {
            size_t len = strcspn(p + 2, " >");
            assert_true(depth > 0);
            depth--;
            if (len != lens[depth] || memcmp(p + 2, stack[depth], len) != 0)
                fail_msg("</%.*s> closes <%.*s>", (int)len, p + 2, (int)lens[depth], stack[depth]);
        } else if (end[-1] != '/') {
            assert_true(depth < 32);
            roots += depth == 0;
            stack[depth] = p + 1;
            lens[depth++] = strcspn(p + 1, " />\n");
        } else {
            assert_true(depth > 0);
        }
        p = end + 1;
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
    for (p = strchr(svg, '&'); p; p = strchr(p + 1, '&'))
        assert_true(!strncmp(p, "&amp;", 5) || !strncmp(p, "&lt;", 4) || !strncmp(p, "&gt;", 4) ||
                    !strncmp(p, "&quot;", 6) || !strncmp(p, "&apos;", 6) || !strncmp(p, "&#39;", 5));
    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "inf"));
    assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
}

/* The number of points in the first polyline after the text `after`. */
static size_t polyline_points(const char *svg, const char *after)
{
    const char *g = strstr(svg, after);
    assert_non_null(g);
    const char *p = strstr(g, "points=\"");
    assert_non_null(p);
    p += 8;
    size_t n = 0;
    for (; *p != '"'; p++)
        n += *p == ',';
    return n;
}

/* The x (2 decimals, as the chart prints it) of date on an axis from lo to hi, plot width w. */
static void x_text(int32_t date, int32_t lo, int32_t hi, double w, char *buf, size_t size)
{
    snprintf(buf, size, "%.2f", PLOT_LEFT + (double)(date - lo) / (double)(hi - lo) * w);
}

/* Fails unless text is the golden file tests/golden/chart/<name> (test_util.h). */
static void expect_golden(const char *text, const char *name)
{
    expect_golden_file(text, TEST_GOLDEN_DIR "/chart", name);
}

/* ---- a hand-built result ----------------------------------------------------------------------- */

#define FIX_MAX 64

/* The weekdays from 2024-12-16 to 2025-02-28 (55; no holidays), as-of 2025-02-27 so that the last
 * date is left out; levels 200 + 0.9 k + 6 sin(0.8 k), below 255, but for the all-time high,
 * 261.21 on 2025-02-19, and 270 after the as-of date. Periods: 1d, wtd, mtd, ytd and two
 * "since", one of them before the dates shown. The name needs escaping. */
typedef struct fixture {
    defidx_result r;
    int32_t dates[FIX_MAX];
    double levels[FIX_MAX];
    defidx_period periods[6];
    /* Two extra lines: RHM.DE on every date, BA.L from the sixth with a gap and a lone value. */
    double rhm[FIX_MAX], bal[FIX_MAX];
    defidx_chart_line extra[2];
} fixture;

static void set_period(defidx_period *p, int kind, const char *name, const char *base)
{
    snprintf(p->name, sizeof p->name, "%s", name);
    p->kind = kind;
    p->base_date = day(base);
    p->base_value = NAN;
    p->ret = NAN;
}

static void make_fixture(fixture *f)
{
    memset(f, 0, sizeof *f);
    size_t n = 0;
    for (int32_t d = day("2024-12-16"); d <= day("2025-02-28"); d++)
        if (defidx_date_weekday(d) <= 5) {
            f->dates[n] = d;
            f->levels[n] = 200 + 0.9 * (double)n + 6 * sin(0.8 * (double)n);
            n++;
        }
    assert_int_equal(n, 55);
    assert_int_equal(f->dates[50], day("2025-02-24"));
    f->levels[47] = 261.21; /* 2025-02-19 */
    f->levels[54] = 270;    /* 2025-02-28, after the as-of date */
    defidx_result *r = &f->r;
    snprintf(r->name, sizeof r->name, "Europe Aerospace & Defence");
    snprintf(r->currency, sizeof r->currency, "EUR");
    r->base_date = f->dates[0];
    r->base_value = 200;
    r->as_of = day("2025-02-27");
    r->level = f->levels[53];
    r->ath_date = day("2025-02-19");
    r->ath_level = 261.21;
    r->date_count = n;
    r->dates = f->dates;
    r->levels = f->levels;
    set_period(&f->periods[0], DEFIDX_PERIOD_1D, "1d", "2025-02-26");
    set_period(&f->periods[1], DEFIDX_PERIOD_WTD, "wtd", "2025-02-21");
    set_period(&f->periods[2], DEFIDX_PERIOD_MTD, "mtd", "2025-01-31");
    set_period(&f->periods[3], DEFIDX_PERIOD_YTD, "ytd", "2024-12-31");
    set_period(&f->periods[4], DEFIDX_PERIOD_SINCE, "since:2022-02-23", "2022-02-23");
    set_period(&f->periods[5], DEFIDX_PERIOD_SINCE, "since:2025-01-15", "2025-01-15");
    r->periods = f->periods;
    r->period_count = 6;
    for (size_t k = 0; k < n; k++) {
        f->rhm[k] = f->levels[k] * (1 + 0.004 * (double)k);
        f->bal[k] = (k == 20 || k == 21 || k == 29 || k == 31) ? NAN : f->levels[k] * (1 - 0.003 * (double)k);
    }
    f->extra[0] = (defidx_chart_line){"RHM.DE", n, f->dates, f->rhm};
    f->extra[1] = (defidx_chart_line){"BA.L", n - 5, f->dates + 5, f->bal + 5};
}

/* A result of n levels on n dates, the rest of it empty: enough for the axes. */
static defidx_result axis_result(int32_t *dates, double *levels, size_t n)
{
    defidx_result r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "T");
    r.base_date = dates[0];
    r.as_of = dates[n - 1];
    r.ath_date = DEFIDX_NO_DATE;
    r.ath_level = NAN;
    r.date_count = n;
    r.dates = dates;
    r.levels = levels;
    return r;
}

/* ---- axes ------------------------------------------------------------------------------------- */

/* Level ticks: the largest step of 1, 2, 2.5 or 5 x 10^k that leaves at least 4 ticks inside the
 * values' range. 87.3..261.2: 100 leaves 100, 200 (2); 50 leaves 100, 150, 200, 250. 0.12..0.47:
 * 0.1 leaves 0.2, 0.3, 0.4 (3); 0.05 leaves seven, 0.15 to 0.45. A flat 100 is drawn over 99..101:
 * 1 leaves 99, 100, 101; 0.5 leaves five. 2.5 x 10^0 needs one decimal: 0..10 -> 0, 2.5 ... 10. */
static void test_level_ticks(void **state)
{
    (void)state;
    int32_t dates[] = {day("2025-01-02"), day("2025-01-03"), day("2025-01-06")};
    struct {
        double levels[3];
        const char *ticks;
    } cases[] = {
        {{87.3, 150, 261.2}, "100|150|200|250"},
        {{0.12, 0.3, 0.47}, "0.15|0.20|0.25|0.30|0.35|0.40|0.45"},
        {{100, 100, 100}, "99.0|99.5|100.0|100.5|101.0"},
        {{0, 4, 10}, "0.0|2.5|5.0|7.5|10.0"},
        {{-40, 0, 12}, "-40|-30|-20|-10|0|10"},
        {{9800, 12000, 14100}, "10000|11000|12000|13000|14000"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        defidx_result r = axis_result(dates, cases[k].levels, 3);
        char *svg = render(&r, NULL);
        char ticks[256];
        texts_of(svg, "ytick", ticks, sizeof ticks);
        assert_string_equal(ticks, cases[k].ticks);
        free(svg);
    }
}

/* Date ticks: Jan 1 of each year over three years, the first of each month over most of a year,
 * Mondays over a month, days over a week. Each at its date's x on an axis from the first date to
 * the last. */
static void test_date_ticks(void **state)
{
    (void)state;
    struct {
        const char *first, *last, *ticks, *checked, *checked_label;
    } cases[] = {
        {"2021-12-31", "2024-12-31", "2022|2023|2024", "2023-01-01", "2023"},
        {"2024-01-15", "2024-09-30", "2024-02|2024-03|2024-04|2024-05|2024-06|2024-07|2024-08|2024-09",
         "2024-05-01", "2024-05"},
        /* Fifteen Jan 1s are too many: every second year (even years) leaves seven. */
        {"2010-06-30", "2025-06-30", "2012|2014|2016|2018|2020|2022|2024", "2016-01-01", "2016"},
        {"2025-02-03", "2025-02-28", "02-03|02-10|02-17|02-24", "2025-02-17", "02-17"},
        {"2025-02-24", "2025-02-28", "02-24|02-25|02-26|02-27|02-28", "2025-02-26", "02-26"},
        /* Under a quarter but 13 Mondays: every second one, on even weeks since 1970-01-05
         * (2025-01-06 is day 20094, week (20094 - 4) / 7 = 2870). */
        {"2025-01-02", "2025-03-31", "01-06|01-20|02-03|02-17|03-03|03-17|03-31", "2025-02-03", "02-03"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int32_t dates[] = {day(cases[k].first), day(cases[k].last)};
        double levels[] = {100, 110};
        defidx_result r = axis_result(dates, levels, 2);
        char *svg = render(&r, NULL);
        char ticks[256], x[32], want[128];
        texts_of(svg, "xtick", ticks, sizeof ticks);
        assert_string_equal(ticks, cases[k].ticks);
        x_text(day(cases[k].checked), dates[0], dates[1], PLOT_WIDTH, x, sizeof x);
        snprintf(want, sizeof want, "<text class=\"xtick\" stroke=\"none\" x=\"%s\" y=\"384.00\">%s</text>", x,
                 cases[k].checked_label);
        if (!strstr(svg, want))
            fail_msg("no %s in\n%s", want, svg);
        free(svg);
    }
}

/* ---- the chart of the hand-built result --------------------------------------------------------- */

static void test_chart_golden(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    char *svg = render(&f.r, NULL);
    expect_golden(svg, "basic.svg");
    assert_well_formed(svg);

    /* The title, escaped; the index's line has a point per date shown (to the as-of date: 54). */
    assert_non_null(strstr(svg, ">Europe Aerospace &amp; Defence (EUR), as of 2025-02-27</text>"));
    assert_int_equal(polyline_points(svg, "<g class=\"line index\""), 54);
    assert_null(strstr(svg, "270.00"));

    /* The all-time high and the last level, 200 + 0.9 * 53 + 6 sin(42.4). */
    char texts[512], want[64];
    texts_of(svg, "ath", texts, sizeof texts);
    assert_string_equal(texts, "ATH 261.21 (2025-02-19)");
    texts_of(svg, "last", texts, sizeof texts);
    snprintf(want, sizeof want, "%.2f", 200 + 0.9 * 53 + 6 * sin(0.8 * 53));
    assert_string_equal(texts, want);

    /* Markers but 1d, the since before the first date left out, in date order. */
    texts_of(svg, "marker", texts, sizeof texts);
    assert_string_equal(texts, "ytd|since 2025-01-15|mtd|wtd");
    char x[32], line[128];
    x_text(day("2024-12-31"), day("2024-12-16"), day("2025-02-27"), PLOT_WIDTH, x, sizeof x);
    snprintf(line, sizeof line, "<line class=\"marker\" x1=\"%s\" y1=\"44.00\" x2=\"%s\"", x, x);
    if (!strstr(svg, line))
        fail_msg("no %s", line);
    free(svg);
}

/* Extra lines: under the index's line, a gap splits BA.L and a lone value is a dot; a legend. */
static void test_chart_extras_golden(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.extra = f.extra;
    o.extra_count = 2;
    char *svg = render(&f.r, &o);
    expect_golden(svg, "extras.svg");
    assert_well_formed(svg);

    const char *rhm = strstr(svg, "<g class=\"line extra\""), *index = strstr(svg, "<g class=\"line index\"");
    assert_true(rhm && index && rhm < index);
    assert_int_equal(polyline_points(svg, "<g class=\"line extra\""), 54);
    /* BA.L from index 5: 5..19 (15 points), 22..28 (7), a dot at 30, then 32..53 (22). */
    const char *bal = strstr(rhm + 1, "<g class=\"line extra\"");
    assert_non_null(bal);
    const char *end = strstr(bal, "</g>");
    size_t polylines = 0, dots = 0;
    for (const char *p = strstr(bal, "<polyline"); p && p < end; p = strstr(p + 1, "<polyline"))
        polylines++;
    for (const char *p = strstr(bal, "<circle"); p && p < end; p = strstr(p + 1, "<circle"))
        dots++;
    assert_int_equal(polylines, 3);
    assert_int_equal(dots, 1);
    assert_int_equal(polyline_points(bal, "<polyline"), 15);
    assert_non_null(strstr(svg, ">RHM.DE</text>"));
    assert_non_null(strstr(svg, ">BA.L</text>"));

    /* The legend narrows the plot by 128 px: the ytd marker moves accordingly. */
    char x[32], line[128];
    x_text(day("2024-12-31"), day("2024-12-16"), day("2025-02-27"), PLOT_WIDTH - 128, x, sizeof x);
    snprintf(line, sizeof line, "<line class=\"marker\" x1=\"%s\"", x);
    assert_non_null(strstr(svg, line));
    free(svg);
}

/* More lines than the legend has rows (a 200 px tall chart holds 8: the index, 6 lines, "+24
 * more"); past the twelve colours the lines are dashed; labels are escaped, invalid UTF-8 replaced
 * and long ones cut after 16 characters. */
static void test_chart_many_extras(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    defidx_chart_line extra[30];
    for (size_t k = 0; k < 30; k++)
        extra[k] = f.extra[0];
    extra[0].label = "<A&B> \xff long name";
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.height = 200;
    o.extra = extra;
    o.extra_count = 30;
    char *svg = render(&f.r, &o);
    assert_well_formed(svg);
    assert_non_null(strstr(svg, ">&lt;A&amp;B&gt; \xef\xbf\xbd long nam\xe2\x80\xa6</text>"));
    assert_non_null(strstr(svg, ">+24 more</text>"));
    size_t lines = 0, dashed = 0;
    for (const char *p = strstr(svg, "<g class=\"line extra\""); p; p = strstr(p + 1, "<g class=\"line extra\"")) {
        const char *end = strchr(p, '>');
        const char *dash = strstr(p, "stroke-dasharray");
        dashed += dash && dash < end;
        lines++;
    }
    assert_int_equal(lines, 30);
    assert_int_equal(dashed, 12); /* lines 12..23 */
    free(svg);
}

/* `from` moves the first date shown; markers and the high before it are left out. */
static void test_chart_from(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.from = day("2025-02-01"); /* a Saturday: the first date shown is Monday 3rd */
    f.r.ath_date = day("2025-01-10");
    char *svg = render(&f.r, &o);
    assert_well_formed(svg);
    assert_int_equal(polyline_points(svg, "<g class=\"line index\""), 19);
    char texts[256];
    texts_of(svg, "marker", texts, sizeof texts);
    assert_string_equal(texts, "wtd");
    assert_null(strstr(svg, "ATH"));
    free(svg);

    /* In January mtd and ytd share a base date, and a marker. */
    make_fixture(&f);
    f.periods[2].base_date = f.periods[3].base_date;
    svg = render(&f.r, NULL);
    texts_of(svg, "marker", texts, sizeof texts);
    assert_string_equal(texts, "mtd, ytd|since 2025-01-15|wtd");
    free(svg);
}

/* Whatever the process locale, the same bytes: a decimal comma would break every coordinate.
 * (Without such a locale installed, LOCPATH can point at one compiled with localedef.) */
static void test_chart_locale(void **state)
{
    (void)state;
    const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE"};
    const char *found = NULL;
    for (size_t k = 0; k < sizeof names / sizeof names[0] && !found; k++) {
        if (!setlocale(LC_ALL, names[k]))
            continue;
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 1.5);
        found = strcmp(probe, "1,5") == 0 ? names[k] : NULL;
    }
    if (!found) {
        setlocale(LC_ALL, "C");
        /* CI compiles one and sets DEFIDX_REQUIRE_LOCALE=1: there, a skip would hide the test */
        assert_null(getenv("DEFIDX_REQUIRE_LOCALE"));
        print_message("no comma-decimal locale installed; locale check skipped\n");
        skip();
    }
    fixture f;
    make_fixture(&f);
    char *svg = render(&f.r, NULL);
    setlocale(LC_ALL, "C");
    char *golden = read_text_file(TEST_GOLDEN_DIR "/chart/basic.svg");
    assert_non_null(golden);
    assert_string_equal(svg, golden);
    free(golden);
    free(svg);
}

static void test_chart_errors(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.from = day("2025-03-01");
    render_fails(&f.r, &o, DEFIDX_EUSAGE, "as-of date 2025-02-27 is before the first date shown, 2025-03-01");
    o.from = day("2020-01-01");
    f.r.as_of = day("2020-06-30"); /* between: no date of the series */
    render_fails(&f.r, &o, DEFIDX_EDATA, "no level from 2020-01-01 to 2020-06-30");
    make_fixture(&f);
    for (size_t k = 0; k < f.r.date_count; k++)
        f.levels[k] = NAN;
    render_fails(&f.r, NULL, DEFIDX_EDATA, "no level from 2024-12-16 to 2025-02-27");
    make_fixture(&f);
    f.r.date_count = 0;
    render_fails(&f.r, NULL, DEFIDX_EDATA, "no levels");
    make_fixture(&f);
    defidx_chart_options_init(&o);
    o.width = 100;
    render_fails(&f.r, &o, DEFIDX_EUSAGE, "100 x 400 px is out of range");
    defidx_chart_options_init(&o);
    o.extra_count = 1;
    render_fails(&f.r, &o, DEFIDX_EUSAGE, "no array");
    f.levels[0] = -1e308; /* and 1e308: the range overflows */
    f.levels[1] = 1e308;
    render_fails(&f.r, NULL, DEFIDX_EDATA, "too large");
    make_fixture(&f);

    defidx_error err;
    assert_int_equal(defidx_chart_svg(NULL, &f.r, NULL, &err), DEFIDX_EUSAGE);
    /* A full disk is reported, not ignored. */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        assert_int_equal(defidx_chart_svg(full, &f.r, NULL, &err), DEFIDX_EWRITE);
        assert_non_null(strstr(err.message, "cannot write"));
        fclose(full);
    }
}

/* ---- the all-time high's label ------------------------------------------------------------------- */

/* The width in px at 10 px of the characters an ATH label holds, from DejaVu Sans's own advance
 * widths (the hmtx table of DejaVuSans.ttf, 2048 units per em, read with a script apart from
 * src/emit/chart.c's estimate): digits 1303, space and period 651, parentheses 799, hyphen 739, A 1401,
 * T 1251, H 1540. */
static double dejavu_px(const char *text, size_t len)
{
    static const char chars[] = "0123456789 .()-ATH";
    static const int units[] = {1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
                                651,  651,  799,  799,  739,  1401, 1251, 1540};
    double w = 0;
    for (size_t i = 0; i < len; i++) {
        const char *at = strchr(chars, text[i]);
        if (!at || !text[i])
            fail_msg("'%c' in an ATH label", text[i]);
        w += units[at - chars];
    }
    return w / 2048 * 10;
}

/* The number in attribute name="..." of the tag that starts at tag (before its '>'). */
static double attribute(const char *tag, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *at = strstr(tag, key), *end = strchr(tag, '>');
    if (!at || at > end)
        fail_msg("no %s in %.80s", name, tag);
    return strtod(at + strlen(key), NULL);
}

/* Fails unless the ATH label lies inside the plot (left..right) and no dashed marker strikes it
 * through: a marker whose line passes within the label's box (its width from dejavu_px, its
 * height the 10 px font's parentheses, 7.6 px above the baseline to 1.4 below) must be hidden
 * behind an opaque white box drawn after every marker line and before the label, covering that
 * box. Returns how many markers cross the box. */
static size_t expect_ath_clear(const char *svg, double left, double right)
{
    const char *text = strstr(svg, "<text class=\"ath\"");
    assert_non_null(text);
    const char *anchor = strstr(text, "text-anchor=\"");
    assert_non_null(anchor);
    anchor += 13;
    const char *start = strchr(text, '>') + 1, *end = strstr(start, "</text>");
    double x = attribute(text, "x"), y = attribute(text, "y");
    double w = dejavu_px(start, (size_t)(end - start));
    double x0 = !strncmp(anchor, "end", 3) ? x - w : !strncmp(anchor, "middle", 6) ? x - w / 2 : x;
    if (x0 < left - 0.01 || x0 + w > right + 0.01)
        fail_msg("the ATH label spans %.2f..%.2f, outside the plot %.2f..%.2f", x0, x0 + w, left, right);
    const char *box = strstr(svg, "<rect class=\"ath-box\"");
    const char *last_marker = NULL;
    size_t crossing = 0;
    for (const char *m = strstr(svg, "<line class=\"marker\""); m; m = strstr(m + 1, "<line class=\"marker\"")) {
        last_marker = m;
        double mx = attribute(m, "x1");
        if (mx < x0 - 0.5 || mx > x0 + w + 0.5)
            continue;
        crossing++;
        if (!box)
            fail_msg("the marker at x %.2f strikes the ATH label (%.2f..%.2f) through", mx, x0, x0 + w);
    }
    if (crossing) {
        assert_true(box > last_marker && box < text); /* over the markers, under the label */
        double bx = attribute(box, "x"), by = attribute(box, "y");
        double bw = attribute(box, "width"), bh = attribute(box, "height");
        if (bx > x0 || bx + bw < x0 + w || by > y - 7.6 || by + bh < y + 1.4)
            fail_msg("the box %.2f,%.2f %.2fx%.2f does not cover the label %.2f..%.2f at %.2f", bx, by,
                     bw, bh, x0, x0 + w, y);
        assert_non_null(strstr(box, "fill=\"#ffffff\""));
        assert_null(strstr(box, "opacity"));
    }
    return crossing;
}

/* The ATH label and the period markers, x = 64 + days since 2024-12-16 / 73 x 664. The fixture's
 * high (2025-02-19, x 655.23) ends its label at the dot and crosses nothing. A high on 2025-01-22
 * (x 400.55, the middle third) would centre its label ("ATH 261.21 (2025-01-22)", 127.73 px:
 * 336.68..464.42), crossed by a marker on 2025-01-20 (382.36); ending it at the dot
 * (272.82..400.55) meets that marker too; starting it there (400.55..528.28) is clear with the
 * other markers elsewhere (ytd 200.44, mtd moved to 2025-02-14 609.75, wtd 673.42): the label
 * starts at the dot, with no box. A high on the last date shown, 2025-02-27 (x 728, the plot's
 * right edge), must end its label there (600.27..728), where the wtd marker passes, and no other
 * anchor fits the plot: the label gets its box. */
static void test_chart_ath_label(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    char *svg = render(&f.r, NULL);
    assert_int_equal(expect_ath_clear(svg, PLOT_LEFT, PLOT_LEFT + PLOT_WIDTH), 0);
    free(svg);

    make_fixture(&f);
    f.r.ath_date = day("2025-01-22");
    f.periods[2].base_date = day("2025-02-14");
    f.periods[5].base_date = day("2025-01-20");
    svg = render(&f.r, NULL);
    char x[32];
    x_text(day("2025-01-20"), day("2024-12-16"), day("2025-02-27"), PLOT_WIDTH, x, sizeof x);
    assert_string_equal(x, "382.36");
    assert_int_equal(expect_ath_clear(svg, PLOT_LEFT, PLOT_LEFT + PLOT_WIDTH), 0);
    assert_non_null(strstr(svg, "text-anchor=\"start\""));
    assert_null(strstr(svg, "ath-box"));
    free(svg);

    make_fixture(&f);
    f.r.ath_date = day("2025-02-27");
    f.r.ath_level = f.levels[53];
    svg = render(&f.r, NULL);
    assert_int_equal(expect_ath_clear(svg, PLOT_LEFT, PLOT_LEFT + PLOT_WIDTH), 1);
    assert_well_formed(svg);
    free(svg);
}

/* A name too long for the title is cut, ending in "…", so that the title ends inside the chart:
 * 127 n's at 15 px bold would take 1356 px of the 736 from the title's x (64) to the edge. The
 * width is measured with DejaVu Sans Bold's advance widths (its hmtx, 2048 units per em): n 1458,
 * space 713, parentheses 936, comma 778, hyphen 850, digits 1425, E 1399, R 1577, U 1663, a 1382,
 * f 891, o 1407, s 1219, the ellipsis 2048. */
static void test_chart_long_title(void **state)
{
    (void)state;
    static const char chars[] = "n (),-0123456789ERUafos";
    static const int units[] = {1458, 713,  936,  936,  778,  850,  1425, 1425, 1425, 1425, 1425, 1425,
                                1425, 1425, 1425, 1425, 1399, 1577, 1663, 1382, 891,  1407, 1219};
    fixture f;
    make_fixture(&f);
    memset(f.r.name, 'n', sizeof f.r.name - 1);
    f.r.name[sizeof f.r.name - 1] = '\0';
    char *svg = render(&f.r, NULL);
    assert_well_formed(svg);
    char title[512];
    texts_of(svg, "title", title, sizeof title);
    const char *cut = strstr(title, "\xe2\x80\xa6 (EUR), as of 2025-02-27");
    assert_non_null(cut);
    assert_int_equal(strlen(cut), strlen("\xe2\x80\xa6 (EUR), as of 2025-02-27"));
    double units_sum = 2048; /* the ellipsis */
    for (const char *p = title; *p; p++) {
        if (p == cut) {
            p += 2; /* the ellipsis' three bytes, counted above */
            continue;
        }
        const char *at = strchr(chars, *p);
        if (!at)
            fail_msg("'%c' in the title", *p);
        units_sum += units[at - chars];
    }
    double w = units_sum / 2048 * 15;
    if (w > 800 - PLOT_LEFT)
        fail_msg("the title is %.1f px wide, past the chart's edge", w);
    assert_true(cut - title >= 30); /* and not cut to nothing: 30 n's take 320 px */
    free(svg);
}

/* ---- constituents rebased ------------------------------------------------------------------------- */

/* Every line starts at 100 on the first date shown, whatever the index's level. From 2025-01-03 to
 * the as-of date 2025-01-07:
 * B: 20 -> 100, carried 100, then 22 / 20 x 100 = 110;
 * A: 11 -> 100, then 12 / 11 x 100 twice (carried over the 7th);
 * C: no close on the 3rd, its 5 of the 2nd (before `from`) is carried: 100, then 6 / 5 x 100 = 120
 *    and 6.5 / 5 x 100 = 130;
 * D has no prices: no line. */
static void test_rebased_lines(void **state)
{
    (void)state;
    static const char csv[] = "date,A,B,C\n"
                              "2025-01-02,10,,5\n"
                              "2025-01-03,11,20,\n"
                              "2025-01-06,12,,6\n"
                              "2025-01-07,,22,6.5\n"
                              "2025-01-08,13,24,7\n";
    defidx_error err;
    defidx_panel *p = defidx_panel_new();
    assert_int_equal(defidx_load_csv(p, "wide.csv", csv, strlen(csv), NULL, NULL, &err), 0);
    assert_int_equal(defidx_panel_finish(p, NULL, &err), 0);

    int32_t dates[] = {day("2025-01-02"), day("2025-01-03"), day("2025-01-06"), day("2025-01-07"),
                       day("2025-01-08")};
    double levels[] = {100, 102, 104, 103, 106};
    defidx_result r = axis_result(dates, levels, 5);
    r.as_of = day("2025-01-07");
    defidx_constituent members[4];
    memset(members, 0, sizeof members);
    const char *tickers[] = {"B", "A", "D", "C"};
    for (size_t k = 0; k < 4; k++)
        snprintf(members[k].ticker, sizeof members[k].ticker, "%s", tickers[k]);
    r.constituents = members;
    r.constituent_count = 4;

    defidx_chart_line *lines = NULL;
    size_t count = 0;
    assert_int_equal(defidx_chart_rebased_lines(p, &r, day("2025-01-03"), &lines, &count, &err), 0);
    assert_int_equal(count, 3);
    assert_string_equal(lines[0].label, "B");
    assert_ptr_equal(lines[0].label, members[0].ticker);
    assert_string_equal(lines[1].label, "A");
    assert_string_equal(lines[2].label, "C");
    const double want[3][3] = {{100, 100, 110}, {100, 1200.0 / 11, 1200.0 / 11}, {100, 120, 130}};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(lines[k].count, 3);
        assert_int_equal(lines[k].dates[0], day("2025-01-03"));
        assert_int_equal(lines[k].dates[2], day("2025-01-07"));
        for (size_t i = 0; i < 3; i++)
            if (isnan(want[k][i]))
                assert_true(isnan(lines[k].values[i]));
            else
                assert_double_near(lines[k].values[i], want[k][i], 1e-12);
    }
    defidx_chart_lines_free(lines, count);

    /* No from: the base date, where A is 10 -> 100 and C 5 -> 100 (carried over the 3rd); B has
     * no close yet and starts at 100 on its first, the 3rd. */
    assert_int_equal(defidx_chart_rebased_lines(p, &r, DEFIDX_NO_DATE, &lines, &count, &err), 0);
    assert_int_equal(lines[0].count, 4);
    assert_true(isnan(lines[0].values[0]));
    assert_double_near(lines[0].values[1], 100, 1e-12);
    assert_double_near(lines[0].values[3], 110, 1e-12);
    assert_double_near(lines[1].values[0], 100, 1e-12);
    assert_double_near(lines[1].values[2], 120, 1e-12);
    assert_double_near(lines[2].values[1], 100, 1e-12);
    assert_double_near(lines[2].values[2], 120, 1e-12);
    defidx_chart_lines_free(lines, count);

    assert_int_equal(defidx_chart_rebased_lines(p, &r, day("2025-01-08"), &lines, &count, &err), DEFIDX_EUSAGE);
    assert_null(lines);
    assert_int_equal(count, 0);
    defidx_chart_lines_free(NULL, 0);
    defidx_panel_free(p);
}

/* The first point "x,y" of the first polyline after the text `after`, into buf. */
static void first_point(const char *svg, const char *after, char *buf, size_t size)
{
    const char *g = strstr(svg, after);
    assert_non_null(g);
    const char *p = strstr(g, "points=\"");
    assert_non_null(p);
    p += 8;
    snprintf(buf, size, "%.*s", (int)strcspn(p, " \n\""), p);
}

/* A rebased chart: from 2025-02-01 the first date shown is Monday 2025-02-03, the fixture's 36th
 * (index 35: 35 weekdays from 2024-12-16), where the index and an extra line that is 100 there
 * both start, at the same point; the last value (index 53) and the high (261.21 on 2025-02-19) are
 * labelled on that scale, level / level(35) x 100, and a line under the title says so. */
static void test_chart_rebased(void **state)
{
    (void)state;
    fixture f;
    make_fixture(&f);
    double line[FIX_MAX];
    for (size_t k = 0; k < f.r.date_count; k++)
        line[k] = 100 * (1 + 0.01 * ((double)k - 35));
    defidx_chart_line extra = {"X", f.r.date_count, f.dates, line};
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    assert_int_equal(o.rebased, 0);
    o.from = day("2025-02-01");
    o.extra = &extra;
    o.extra_count = 1;
    o.rebased = 1;
    char *svg = render(&f.r, &o);
    assert_well_formed(svg);
    assert_int_equal(f.dates[35], day("2025-02-03"));
    char a[64], b[64], want[64], texts[256];
    first_point(svg, "<g class=\"line index\"", a, sizeof a);
    first_point(svg, "<g class=\"line extra\"", b, sizeof b);
    assert_string_equal(a, b);
    double base = 200 + 0.9 * 35 + 6 * sin(0.8 * 35);
    texts_of(svg, "last", texts, sizeof texts);
    snprintf(want, sizeof want, "%.2f", (200 + 0.9 * 53 + 6 * sin(0.8 * 53)) / base * 100);
    assert_string_equal(texts, want);
    texts_of(svg, "ath", texts, sizeof texts);
    snprintf(want, sizeof want, "ATH %.2f (2025-02-19)", 261.21 / base * 100);
    assert_string_equal(texts, want);
    texts_of(svg, "subtitle", texts, sizeof texts);
    assert_string_equal(texts, "Rebased: every line starts at 100 on 2025-02-03");
    free(svg);

    /* Not rebased: the levels as they are, no such line. */
    o.rebased = 0;
    svg = render(&f.r, &o);
    texts_of(svg, "ath", texts, sizeof texts);
    assert_string_equal(texts, "ATH 261.21 (2025-02-19)");
    assert_null(strstr(svg, "subtitle"));
    free(svg);
}

/* ---- the bundled data ----------------------------------------------------------------------------- */

/* Renders the bundled index with its constituents rebased, into memory; the caller frees. */
static char *bundled_chart(const defidx_panel *p, const defidx_result *r)
{
    defidx_chart_line *lines = NULL;
    size_t count = 0;
    defidx_error err;
    if (defidx_chart_rebased_lines(p, r, DEFIDX_NO_DATE, &lines, &count, &err))
        fail_msg("%s", err.message);
    assert_int_equal(count, r->constituent_count);
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.extra = lines;
    o.extra_count = count;
    o.rebased = 1; /* as `defidx chart --constituents` draws it */
    char *svg = render(r, &o);
    defidx_chart_lines_free(lines, count);
    return svg;
}

static void test_chart_bundled(void **state)
{
    (void)state;
    defidx_error err;
    defidx_warnings w = {0};
    defidx_panel *p = defidx_panel_new();
    if (defidx_load_prices(p, TEST_BUNDLED_DIR "/prices.csv", NULL, &w, &err) || defidx_panel_finish(p, &w, &err))
        fail_msg("%s", err.message);
    defidx_spec *spec = NULL;
    defidx_fx *fx = NULL;
    if (defidx_spec_load(&spec, TEST_BUNDLED_DIR "/index.json", &err) ||
        defidx_fx_load(&fx, TEST_BUNDLED_DIR "/fx.csv", &err))
        fail_msg("%s", err.message);
    defidx_options opt;
    defidx_options_init(&opt);
    defidx_result *r = NULL;
    if (defidx_compute(p, spec, fx, &opt, &r, &err))
        fail_msg("%s", err.message);

    char *svg = bundled_chart(p, r);
    char *again = bundled_chart(p, r);
    assert_well_formed(svg);
    assert_string_equal(svg, again);
    size_t shown = 0;
    for (size_t k = 0; k < r->date_count; k++)
        shown += r->dates[k] <= r->as_of;
    assert_int_equal(polyline_points(svg, "<g class=\"line index\""), shown);
    assert_non_null(strstr(svg, "since 2022-02-23</text>"));
    const char *out = getenv("DEFIDX_CHART_OUT");
    if (out) {
        FILE *f = fopen(out, "wb");
        assert_non_null(f);
        fputs(svg, f);
        assert_int_equal(fclose(f), 0);
    }
    free(again);
    free(svg);
    defidx_result_free(r);
    defidx_fx_free(fx);
    defidx_spec_free(spec);
    defidx_panel_free(p);
    defidx_warnings_free(&w);
}

/* The drawdown panel, by hand: levels 100, 120, 90, 110 on four days are 0, 0, -25% and
 * 110/120 - 1 under the high. In 800 x 400 the level plot spans y 44..368 (324 px), the panel
 * starts 28 px under it at 396 and is 0.3 x 324 = 97.2 px high; its axis holds the ticks 0 to -25
 * every 5 and reaches 6% further, to -26.5, so -25% is drawn at 396 + 25 / 26.5 x 97.2 = 487.70
 * and -8.33% at 396 + 8.333 / 26.5 x 97.2 = 426.57. x: 64 + k / 3 x 664 (the plot's 664 px). The
 * SVG grows by the panel: 400 + 28 + 97.2 = 525 px high. */
static void test_chart_drawdown(void **state)
{
    (void)state;
    int32_t dates[] = {day("2025-01-06"), day("2025-01-07"), day("2025-01-08"), day("2025-01-09")};
    double levels[] = {100, 120, 90, 110};
    defidx_result r = axis_result(dates, levels, 4);
    defidx_chart_options o;
    defidx_chart_options_init(&o);
    o.drawdown = 1;
    char *svg = render(&r, &o);
    assert_well_formed(svg);
    assert_non_null(strstr(svg, "height=\"525\" viewBox=\"0 0 800 525\""));
    const char *panel = strstr(svg, "<g class=\"drawdown\"");
    assert_non_null(panel);
    const char *area = strstr(panel, "<polygon");
    assert_non_null(area);
    assert_non_null(strstr(area, "506.67,487.70"));
    assert_non_null(strstr(area, "728.00,426.57"));
    char ticks[256];
    const char *g = panel;
    size_t n = 0;
    ticks[0] = '\0';
    while ((g = strstr(g, "%</text>")) != NULL) { /* the panel's tick labels end in % */
        const char *open = g;
        while (open > panel && *open != '>')
            open--;
        n += (size_t)snprintf(ticks + n, sizeof ticks - n, "%s%.*s", n ? "|" : "", (int)(g - open - 1), open + 1);
        g++;
    }
    assert_string_equal(ticks, "-25|-20|-15|-10|-5|0");
    free(svg);
    /* without the option: no panel, the height as asked */
    svg = render(&r, NULL);
    assert_null(strstr(svg, "class=\"drawdown\""));
    assert_non_null(strstr(svg, "height=\"400\""));
    free(svg);
}

/* The terminal's chart, in ASCII, by hand: levels 100, 120, 90, 110 on four days in 40 x 8. The
 * ticks are 90 to 120 every 10 (a step of 20 leaves two), labels 3 wide; the last value "110.00"
 * takes 6 and a blank, the axis 2: 40 - 3 - 2 - 7 = 28 columns of plot, 8 - 4 = 4 rows, one dot a
 * character. 120 is at row 0 and x round(1/3 x 27) = 9: the high's mark "^" is there, after the
 * 5 characters of "120 +". 110 is at row round(10/30 x 3) = 1, where its label ends the line. */
static void test_chart_term_ascii(void **state)
{
    (void)state;
    int32_t dates[] = {day("2025-01-06"), day("2025-01-07"), day("2025-01-08"), day("2025-01-09")};
    double levels[] = {100, 120, 90, 110};
    defidx_result r = axis_result(dates, levels, 4);
    r.ath_date = dates[1];
    r.ath_level = 120;
    r.level = 110;
    snprintf(r.currency, sizeof r.currency, "EUR");
    defidx_term_chart_options o;
    defidx_term_chart_options_init(&o);
    o.columns = 40;
    o.rows = 8;
    o.utf8 = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    defidx_error err;
    assert_int_equal(defidx_chart_term(f, &r, &o, &err), 0);
    fclose(f);
    char *lines[16];
    size_t n = 0;
    for (char *line = buf, *end; line && *line && n < 16; line = end ? end + 1 : NULL) {
        end = strchr(line, '\n');
        if (end)
            *end = '\0';
        lines[n++] = line;
    }
    assert_int_equal(n, 8);
    for (size_t k = 0; k < n; k++)
        if (strlen(lines[k]) > 40)
            fail_msg("line %zu is %zu wide: %s", k, strlen(lines[k]), lines[k]);
    assert_true(strncmp(lines[1], "120 +", 5) == 0);
    assert_int_equal(lines[1][5 + 9], '^');
    assert_true(strncmp(lines[2], "110 +", 5) == 0);
    size_t l2 = strlen(lines[2]);
    assert_true(l2 >= 7 && strcmp(lines[2] + l2 - 7, " 110.00") == 0);
    assert_true(strncmp(lines[4], " 90 +", 5) == 0);
    /* 40 columns: the tail without the high's date */
    assert_string_equal(lines[0], "T (EUR) 2025-01-09: 110.00, high 120.00");
    free(buf);
    /* too small a terminal is refused */
    o.columns = 39;
    f = open_memstream(&buf, &len);
    assert_int_equal(defidx_chart_term(f, &r, &o, &err), DEFIDX_EUSAGE);
    fclose(f);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sparkline_ramp),      cmocka_unit_test(test_sparkline_gaps),
        cmocka_unit_test(test_sparkline_flat),      cmocka_unit_test(test_sparkline_truncated),
        cmocka_unit_test(test_level_ticks),         cmocka_unit_test(test_date_ticks),
        cmocka_unit_test(test_chart_drawdown),
        cmocka_unit_test(test_chart_term_ascii),
        cmocka_unit_test(test_chart_golden),        cmocka_unit_test(test_chart_extras_golden),
        cmocka_unit_test(test_chart_many_extras),   cmocka_unit_test(test_chart_from),
        cmocka_unit_test(test_chart_locale),
        cmocka_unit_test(test_chart_errors),        cmocka_unit_test(test_rebased_lines),
        cmocka_unit_test(test_chart_bundled),      cmocka_unit_test(test_chart_ath_label),
        cmocka_unit_test(test_chart_long_title),   cmocka_unit_test(test_chart_rebased),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
