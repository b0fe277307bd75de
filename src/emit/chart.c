/* chart.c: the SVG chart of an index's level (round axis ticks, period markers, the all-time high,
 * constituents rebased as thinner lines) and the one-line text sparkline. Both are written by hand
 * and depend on nothing but their arguments (no clock, locale or random ids), so that golden files
 * can hold their bytes. */
#include "emit/emit.h"
#include "index/periods.h"

#include <stdlib.h>
#include <string.h>

/* ---- sparkline ----------------------------------------------------------------------------------- */

/* The bucket (0..7) of v between lo and hi. 7.999 rather than 8 puts hi itself in the top bucket
 * without a special case; the clamp also catches the NAN of an overflowing hi - lo. */
static int spark_bucket(double v, double lo, double hi)
{
    if (!(hi > lo))
        return 3; /* all equal: the middle, a half block */
    double f = floor((v - lo) / (hi - lo) * 7.999);
    if (!(f >= 0))
        return 0;
    return f > 7 ? 7 : (int)f;
}

size_t defidx_sparkline(const double *values, size_t n, int ascii, char *buf, size_t size)
{
    static const char ramp[] = "_.-~=+*#";
    if (!buf || size == 0)
        return 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; values && i < n; i++)
        if (isfinite(values[i])) {
            lo = values[i] < lo ? values[i] : lo;
            hi = values[i] > hi ? values[i] : hi;
        }
    size_t used = 0, drawn = 0;
    for (size_t i = 0; values && i < n; i++) {
        char glyph[3];
        size_t len = 1;
        if (!isfinite(values[i])) {
            glyph[0] = ' ';
        } else if (ascii) {
            glyph[0] = ramp[spark_bucket(values[i], lo, hi)];
        } else {
            /* U+2581..U+2588, LOWER ONE EIGHTH BLOCK to FULL BLOCK: E2 96 81..88 in UTF-8. */
            glyph[0] = (char)0xE2;
            glyph[1] = (char)0x96;
            glyph[2] = (char)(0x81 + spark_bucket(values[i], lo, hi));
            len = 3;
        }
        if (used + len + 1 > size)
            break; /* never half a character */
        memcpy(buf + used, glyph, len);
        used += len;
        drawn++;
    }
    buf[used] = '\0';
    return drawn;
}

/* ---- text and numbers ------------------------------------------------------------------------------ */

/* Writes x with a fixed number of decimals in the C locale ("" for NAN, which callers avoid). The
 * buffer holds even DBL_MAX written out in full. */
static void put_fixed(FILE *out, double x, int decimals)
{
    char buf[400];
    defidx_number_fixed(x, decimals, buf, sizeof buf);
    fputs(buf, out);
}

/* Writes at most max_chars characters of text as XML text: the emitters' escaping (emit.h). */
static void put_text_n(FILE *out, const char *text, size_t max_chars)
{
    dfx_markup_text_n(out, text, max_chars);
}

static void put_text(FILE *out, const char *text)
{
    put_text_n(out, text, (size_t)-1);
}

/* The width of text in px at a font size, from DejaVu Sans's advance widths (the charts' first
 * font; units per em 2048: digits 1303, space and period 651, parentheses 799, hyphen 739, capitals
 * 1141 to 1767 but M and W, ...) rounded up per class of characters: a little wider than drawn,
 * never narrower, so that a label placed clear of a line stays clear. Other characters count as
 * wide as the widest; bold glyphs are up to 1.27 times as wide as regular ones. */
static double text_px(const char *text, size_t max_chars, double size, int bold)
{
    static const struct {
        const char *chars;
        double em;
    } classes[] = {{"0123456789", 0.64},
                   {" .,:;'!|ijlIJ", 0.41},
                   {"()[]-/\\frt", 0.42},
                   {"abcdeghknopqsuvxyz", 0.64},
                   {"ABCDEFGHKLNOPQRSTUVXYZ", 0.79},
                   {"mwMW", 0.99}};
    double em = 0;
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && chars < max_chars; p++) {
        if ((*p & 0xC0) == 0x80)
            continue; /* a UTF-8 continuation byte: part of the character before */
        double w = 1.0;
        for (size_t k = 0; *p < 0x80 && k < sizeof classes / sizeof classes[0]; k++)
            if (strchr(classes[k].chars, *p)) {
                w = classes[k].em;
                break;
            }
        em += w;
        chars++;
    }
    return em * size * (bold ? 1.27 : 1.0);
}

/* How many characters of text fit in room px at a font size (all of them when it fits whole). */
static size_t chars_fitting(const char *text, double room, double size, int bold)
{
    size_t n = 0, total = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        total += (*p & 0xC0) != 0x80;
    while (n < total && text_px(text, n + 1, size, bold) <= room)
        n++;
    return n;
}

/* ---- round ticks ------------------------------------------------------------------------------- */

/* The axes' ticks (dfx_nice_ticks, dfx_choose_date_ticks) are in ticks.c, which the terminal's
 * chart (term_chart.c) shares. */
static void put_tick_date(FILE *out, int32_t date, int unit)
{
    char text[11];
    dfx_tick_date_text(date, unit, text);
    fputs(text, out);
}

/* ---- the chart's frame ---------------------------------------------------------------------------- */

#define MARGIN_LEFT 64.0
#define MARGIN_TOP 44.0
#define MARGIN_BOTTOM 32.0
#define MARGIN_RIGHT 72.0  /* room for the last value's label */
#define LEGEND_WIDTH 128.0 /* added to the right margin when there are extra lines */
#define SIZE_MIN_W 400
#define SIZE_MIN_H 200
#define SIZE_LIMIT 10000

#define INDEX_COLOUR "#1f2a44"
#define ATH_COLOUR "#c0392b"
/* Tableau 10 and two of D3's category colours: twelve, as many as the bundled index has members.
 * Past twelve the colours repeat, dashed, so that two lines never look the same. */
static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                      "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                      "#9c755f", "#bab0ac", "#17becf", "#bcbd22"};
#define PALETTE_SIZE (sizeof palette / sizeof palette[0])

/* The drawdown panel (o->drawdown) is added under the chart of o->height: the date labels, then a
 * plot this fraction of the level plot's height (at least DRAWDOWN_MIN px) and its bottom margin. */
#define DRAWDOWN_GAP 28.0
#define DRAWDOWN_SHARE 0.3
#define DRAWDOWN_MIN 60.0
#define DRAWDOWN_COLOUR "#c0392b"

/* The stroke attributes of extra line k: its colour, dashed on the palette's second round. */
static void put_extra_stroke(FILE *out, size_t k)
{
    fprintf(out, " stroke=\"%s\"", palette[k % PALETTE_SIZE]);
    if ((k / PALETTE_SIZE) % 2 == 1)
        fputs(" stroke-dasharray=\"5 2\"", out);
}

/* Labels drawn over lines get a white halo so they stay readable wherever they land. */
#define HALO "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""

/* What one chart is drawn from: the result's dates shown and the mapping of (date, level) to px. */
typedef struct chart {
    FILE *out;
    const defidx_result *r;
    const defidx_chart_options *o;
    int32_t first, last;   /* the first and last date shown, both in r->dates */
    size_t i0, i1;         /* r->dates[i0..i1] are shown */
    double left, top, pw, ph; /* the plot area */
    double x_lo, x_hi;     /* days at its left and right edges */
    double y_lo, y_hi;     /* levels at its bottom and top */
    double scale;          /* the index's levels are drawn times this: 1, or (o->rebased) 100
                              over its first level shown */
    dfx_level_ticks yticks;
    double height;         /* the SVG's: o->height, and the drawdown panel's below it */
    double dd_top, dd_h;   /* the drawdown panel (o->drawdown), 0 high without one */
    int declaration;       /* 1: the file starts with the XML declaration; 0: inside HTML */
} chart;

static double x_of(const chart *c, double date)
{
    return c->left + (date - c->x_lo) / (c->x_hi - c->x_lo) * c->pw;
}

static double y_of(const chart *c, double level)
{
    return c->top + (c->y_hi - level) / (c->y_hi - c->y_lo) * c->ph;
}

/* Writes " name=\"x\"" with 2 decimals: every coordinate goes through here or put_point. */
static void put_attr(FILE *out, const char *name, double x)
{
    fprintf(out, " %s=\"", name);
    put_fixed(out, x, 2);
    fputc('"', out);
}

/* A line's ends, x1 y1 x2 y2, as attributes of the <line> being written. */
static void put_ends(FILE *out, double x1, double y1, double x2, double y2)
{
    put_attr(out, "x1", x1);
    put_attr(out, "y1", y1);
    put_attr(out, "x2", x2);
    put_attr(out, "y2", y2);
}

static void put_point(FILE *out, double x, double y)
{
    put_fixed(out, x, 2);
    fputc(',', out);
    put_fixed(out, y, 2);
}

/* The index of the first of n ascending dates on or after d (n when none). */
static size_t lower_bound(const int32_t *dates, size_t n, int32_t d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dates[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The index past the last of n ascending dates on or before d (0 when none). */
static size_t upper_bound(const int32_t *dates, size_t n, int32_t d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dates[mid] <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first date a chart shows: `from`, else the base date, else the first date of the data. */
static int32_t chart_from(const defidx_result *r, int32_t from)
{
    if (from != DEFIDX_NO_DATE)
        return from;
    return r->base_date != DEFIDX_NO_DATE ? r->base_date : r->dates[0];
}

static int32_t chart_as_of(const defidx_result *r)
{
    return r->as_of != DEFIDX_NO_DATE ? r->as_of : r->dates[r->date_count - 1];
}

/* DEFIDX_EDATA unless the result has a series: checked before anything reads r->dates[0]. */
static int check_series(const defidx_result *r, defidx_error *err)
{
    if (r->date_count == 0 || !r->dates || !r->levels)
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "chart: the result has no levels");
    return 0;
}

/* Finds r->dates[i0..i1], the dates from `from` to the as-of date; DEFIDX_EUSAGE when from is
 * after the as-of date, DEFIDX_EDATA when no date of the series lies between them. */
static int shown_range(const defidx_result *r, int32_t from, size_t *i0, size_t *i1, defidx_error *err)
{
    int32_t as_of = chart_as_of(r);
    char a[11], b[11];
    defidx_date_format(from, a);
    defidx_date_format(as_of, b);
    if (as_of < from)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "chart: the as-of date %s is before the first date shown, %s", b, a);
    *i0 = lower_bound(r->dates, r->date_count, from);
    size_t end = upper_bound(r->dates, r->date_count, as_of);
    if (*i0 >= end)
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "chart: the series has no level from %s to %s", a, b);
    *i1 = end - 1;
    return 0;
}

int dfx_chart_shown(const defidx_result *r, int32_t from, size_t *i0, size_t *i1, defidx_error *err)
{
    int rc = check_series(r, err);
    return rc ? rc : shown_range(r, chart_from(r, from), i0, i1, err);
}

/* Checks the options: a sane size and extra lines that point at their data. */
static int check_options(const defidx_chart_options *o, defidx_error *err)
{
    if (o->width < SIZE_MIN_W || o->height < SIZE_MIN_H || o->width > SIZE_LIMIT || o->height > SIZE_LIMIT)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "chart: a size of %d x %d px is out of range (%d x %d to %d x %d)",
                                o->width, o->height, SIZE_MIN_W, SIZE_MIN_H, SIZE_LIMIT, SIZE_LIMIT);
    if (o->extra_count > 0 && !o->extra)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "chart: %zu extra lines but no array",
                                o->extra_count);
    for (size_t k = 0; k < o->extra_count; k++)
        if (o->extra[k].count > 0 && (!o->extra[k].dates || !o->extra[k].values))
            return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "chart: extra line %zu has %zu values but no data", k,
                                    o->extra[k].count);
    return 0;
}

/* Widens [*lo, *hi] by the finite values of a line on dates first..last. */
static void range_add(const int32_t *dates, const double *values, size_t n, int32_t first,
                      int32_t last, double *lo, double *hi)
{
    for (size_t k = lower_bound(dates, n, first); k < n && dates[k] <= last; k++)
        if (isfinite(values[k])) {
            *lo = values[k] < *lo ? values[k] : *lo;
            *hi = values[k] > *hi ? values[k] : *hi;
        }
}

/* Sets the level axis: round ticks over the values shown, then a little room above and below so
 * that neither the line nor the all-time high's label touches the frame. */
static int level_axis(chart *c, defidx_error *err)
{
    double lo = INFINITY, hi = -INFINITY;
    range_add(c->r->dates, c->r->levels, c->r->date_count, c->first, c->last, &lo, &hi);
    lo *= c->scale; /* scale > 0 keeps the order */
    hi *= c->scale;
    if (!(lo <= hi)) {
        char a[11], b[11];
        defidx_date_format(c->first, a);
        defidx_date_format(c->last, b);
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "chart: the series has no level from %s to %s", a, b);
    }
    for (size_t k = 0; k < c->o->extra_count; k++) {
        const defidx_chart_line *l = &c->o->extra[k];
        range_add(l->dates, l->values, l->count, c->first, c->last, &lo, &hi);
    }
    if (!isfinite(hi - lo))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "chart: the values are too large to draw");
    dfx_unflatten(&lo, &hi);
    dfx_nice_ticks(lo, hi, &c->yticks);
    c->y_lo = lo - 0.06 * (hi - lo);
    c->y_hi = hi + 0.08 * (hi - lo);
    return 0;
}

/* Lays the chart out: the dates shown, the plot area, both axes' ranges. */
static int chart_layout(chart *c, defidx_error *err)
{
    size_t i0, i1;
    int rc = shown_range(c->r, chart_from(c->r, c->o->from), &i0, &i1, err);
    if (rc)
        return rc;
    c->i0 = i0;
    c->i1 = i1;
    c->first = c->r->dates[i0];
    c->last = c->r->dates[i1];
    c->left = MARGIN_LEFT;
    c->top = MARGIN_TOP;
    c->pw = c->o->width - MARGIN_LEFT - MARGIN_RIGHT - (c->o->extra_count ? LEGEND_WIDTH : 0);
    c->ph = c->o->height - MARGIN_TOP - MARGIN_BOTTOM;
    /* A single date still spans an axis: a day either side puts it in the middle. */
    c->x_lo = c->first - (c->first == c->last);
    c->x_hi = c->last + (c->first == c->last);
    c->height = c->o->height;
    if (c->o->drawdown) {
        c->dd_top = c->top + c->ph + DRAWDOWN_GAP;
        c->dd_h = c->ph * DRAWDOWN_SHARE > DRAWDOWN_MIN ? c->ph * DRAWDOWN_SHARE : DRAWDOWN_MIN;
        c->height += DRAWDOWN_GAP + c->dd_h;
    }
    c->scale = 1;
    for (size_t k = i0; c->o->rebased && k <= i1; k++)
        if (c->r->levels[k] > 0 && isfinite(c->r->levels[k])) {
            c->scale = 100 / c->r->levels[k]; /* the first level shown becomes 100 */
            break;
        }
    return level_axis(c, err);
}

/* ---- drawing ---------------------------------------------------------------------------------------- */

/* The title: "Name (EUR), as of 2025-02-28", the name cut (ending in "…") where the whole would
 * run past the chart's right edge; under it, in a rebased chart, the date every line starts at 100. */
static void draw_title(const chart *c)
{
    FILE *out = c->out;
    const defidx_result *r = c->r;
    const char *name = r->name[0] ? r->name : "Index";
    char tail[64], date[11];
    defidx_date_format(chart_as_of(r), date);
    snprintf(tail, sizeof tail, "%s%.8s%s, as of %s", r->currency[0] ? " (" : "", r->currency,
             r->currency[0] ? ")" : "", date);
    double room = c->o->width - MARGIN_LEFT - 8 - text_px(tail, (size_t)-1, 15, 1);
    size_t keep = (size_t)-1; /* the whole name */
    if (text_px(name, (size_t)-1, 15, 1) > room) /* what fits beside "…", and "…" */
        keep = chars_fitting(name, room - text_px("\xe2\x80\xa6", 1, 15, 1), 15, 1) + 1;
    fprintf(out, "<text class=\"title\" x=\"%d\" y=\"26\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">",
            (int)MARGIN_LEFT);
    put_text_n(out, name, keep);
    put_text(out, tail);
    fputs("</text>\n", out);
    if (c->o->rebased) { /* the axis holds no levels then: say what it holds, under the title */
        defidx_date_format(c->first, date);
        fprintf(out, "<text class=\"subtitle\" x=\"%d\" y=\"39\" font-size=\"10\" fill=\"#555\">"
                     "Rebased: every line starts at 100 on %s</text>\n",
                (int)MARGIN_LEFT, date);
    }
}

static void draw_header(const chart *c)
{
    FILE *out = c->out;
    const defidx_result *r = c->r;
    if (c->declaration)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            " font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"11\">\n",
            c->o->width, (int)c->height, c->o->width, (int)c->height);
    fputs("<title>", out);
    put_text(out, r->name[0] ? r->name : "Index");
    fputs("</title>\n", out);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", c->o->width, (int)c->height);
    draw_title(c);
}

/* A horizontal grid line across the plot at y, labelled on the left with value and unit. */
static void grid_line(const chart *c, double y, double value, int decimals, const char *unit)
{
    FILE *out = c->out;
    fputs("<line", out);
    put_ends(out, c->left, y, c->left + c->pw, y);
    fputs(" stroke=\"#e6e6e6\"/>\n<text class=\"ytick\"", out);
    put_attr(out, "x", c->left - 6);
    put_attr(out, "y", y + 3.5);
    fputc('>', out);
    put_fixed(out, value, decimals);
    fprintf(out, "%s</text>\n", unit);
}

/* Horizontal grid lines at the level ticks, labelled on the left. */
static void draw_level_axis(const chart *c)
{
    FILE *out = c->out;
    fputs("<g class=\"y-axis\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">\n", out);
    for (int k = 0; k < c->yticks.count; k++)
        grid_line(c, y_of(c, c->yticks.value[k]), c->yticks.value[k], c->yticks.decimals, "");
    fputs("</g>\n", out);
}

/* The frame's left and bottom edges and the date ticks below. */
static void draw_date_axis(const chart *c)
{
    FILE *out = c->out;
    double bottom = c->top + c->ph;
    dfx_date_ticks t;
    dfx_choose_date_ticks(c->first, c->last, &t);
    fputs("<g class=\"x-axis\" font-size=\"10\" fill=\"#555\" stroke=\"#888\" text-anchor=\"middle\">\n", out);
    fputs("<line", out);
    put_ends(out, c->left, c->top, c->left, bottom);
    fputs("/>\n<line", out);
    put_ends(out, c->left, bottom, c->left + c->pw, bottom);
    fputs("/>\n", out);
    for (int k = 0; k < t.count; k++) {
        double x = x_of(c, t.at[k]);
        fputs("<line", out);
        put_ends(out, x, bottom, x, bottom + 4);
        fputs("/>\n<text class=\"xtick\" stroke=\"none\"", out);
        put_attr(out, "x", x);
        put_attr(out, "y", bottom + 16);
        fputc('>', out);
        put_tick_date(out, t.at[k], t.unit);
        fputs("</text>\n", out);
    }
    fputs("</g>\n", out);
}

/* A period marker: one dashed line per base date, labelled with the periods based there. */
typedef struct marker {
    int32_t date;
    char label[96];
} marker;

/* "since:2022-02-23" reads "since 2022-02-23" on a chart. */
static void marker_name(const char *period, char *buf, size_t size)
{
    snprintf(buf, size, "%s", period);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = ' ';
}

/* Collects the markers: every period of a kind marked on charts (all but 1d, whose base is the
 * day before: no news on a chart) whose base date is shown, sorted by date; periods based on the
 * same date share one marker ("mtd, ytd" in January). Returns how many, or -1 when out of memory. */
static long collect_markers(const chart *c, marker **out)
{
    const defidx_result *r = c->r;
    marker *m = malloc((r->period_count ? r->period_count : 1) * sizeof *m);
    if (!m)
        return -1;
    size_t n = 0;
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        if (!dfx_period_kind_info(p->kind)->marked_on_chart || p->base_date == DEFIDX_NO_DATE ||
            p->base_date < c->first || p->base_date > c->last)
            continue;
        char name[32];
        marker_name(p->name, name, sizeof name);
        size_t at = 0;
        while (at < n && m[at].date < p->base_date)
            at++;
        if (at < n && m[at].date == p->base_date) {
            size_t len = strlen(m[at].label);
            snprintf(m[at].label + len, sizeof m[at].label - len, ", %s", name);
            continue;
        }
        memmove(&m[at + 1], &m[at], (n - at) * sizeof *m);
        m[at].date = p->base_date;
        snprintf(m[at].label, sizeof m[at].label, "%s", name);
        n++;
    }
    *out = m;
    return (long)n;
}

static void draw_marker_lines(const chart *c, const marker *m, size_t n)
{
    FILE *out = c->out;
    for (size_t k = 0; k < n; k++) {
        double x = x_of(c, m[k].date);
        fputs("<line class=\"marker\"", out);
        put_ends(out, x, c->top, x, c->top + c->ph);
        fputs(" stroke=\"#777\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n", out);
    }
}

/* Marker labels sit just above the date axis, right of their line. A label that would run into
 * the one before it moves up a row (up to four rows): wtd, mtd and ytd are often days apart. */
static void draw_marker_labels(const chart *c, const marker *m, size_t n)
{
    enum { ROWS = 4 };
    double row_end[ROWS] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    FILE *out = c->out;
    for (size_t k = 0; k < n; k++) {
        double x = x_of(c, m[k].date) + 3;
        int row = 0;
        while (row < ROWS - 1 && row_end[row] > x - 2)
            row++;
        row_end[row] = x + text_px(m[k].label, (size_t)-1, 10, 0);
        fputs("<text class=\"marker\" font-size=\"10\" fill=\"#555\" " HALO, out);
        put_attr(out, "x", x);
        put_attr(out, "y", c->top + c->ph - 6 - 12 * row);
        fputc('>', out);
        put_text(out, m[k].label);
        fputs("</text>\n", out);
    }
}

/* Writes a line's values (times scale) on the dates shown as polylines, a new one after each gap
 * (NAN); a value alone between gaps is a dot, as a polyline of one point draws nothing. */
static void draw_series(const chart *c, const int32_t *dates, const double *values, double scale,
                        size_t n, const char *colour, double radius)
{
    FILE *out = c->out;
    size_t k = lower_bound(dates, n, c->first);
    while (k < n && dates[k] <= c->last) {
        if (!isfinite(values[k])) {
            k++;
            continue;
        }
        size_t end = k;
        while (end < n && dates[end] <= c->last && isfinite(values[end]))
            end++;
        if (end - k == 1) {
            fputs("<circle", out);
            put_attr(out, "cx", x_of(c, dates[k]));
            put_attr(out, "cy", y_of(c, values[k] * scale));
            put_attr(out, "r", radius);
            fprintf(out, " fill=\"%s\" stroke=\"none\"/>\n", colour);
        } else {
            fputs("<polyline points=\"", out);
            for (size_t j = k; j < end; j++) {
                if (j > k)
                    fputc((j - k) % 8 == 0 ? '\n' : ' ', out); /* short lines for a diff */
                put_point(out, x_of(c, dates[j]), y_of(c, values[j] * scale));
            }
            fputs("\"/>\n", out);
        }
        k = end;
    }
}

/* The extra lines, thin and coloured, under the index's. */
static void draw_extras(const chart *c)
{
    for (size_t k = 0; k < c->o->extra_count; k++) {
        const defidx_chart_line *l = &c->o->extra[k];
        fputs("<g class=\"line extra\" fill=\"none\"", c->out);
        put_extra_stroke(c->out, k);
        fputs(" stroke-width=\"1.2\" stroke-opacity=\"0.85\" stroke-linejoin=\"round\">\n", c->out);
        draw_series(c, l->dates, l->values, 1, l->count, palette[k % PALETTE_SIZE], 1.2);
        fputs("</g>\n", c->out);
    }
}

static void draw_index(const chart *c)
{
    fputs("<g class=\"line index\" fill=\"none\" stroke=\"" INDEX_COLOUR "\" stroke-width=\"2.2\""
          " stroke-linejoin=\"round\" stroke-linecap=\"round\">\n",
          c->out);
    draw_series(c, c->r->dates, c->r->levels, c->scale, c->r->date_count, INDEX_COLOUR, 2);
    fputs("</g>\n", c->out);
}

/* How far a label stays from a marker line, and the margin of its background box, in px. */
#define LABEL_CLEAR 2.0

/* 1 when a marker line crosses the span x0..x1 (or passes within LABEL_CLEAR of it). */
static int marker_crosses(const chart *c, const marker *m, size_t n, double x0, double x1)
{
    for (size_t k = 0; k < n; k++) {
        double x = x_of(c, m[k].date);
        if (x >= x0 - LABEL_CLEAR && x <= x1 + LABEL_CLEAR)
            return 1;
    }
    return 0;
}

/* The all-time high: a dot and "ATH 261.21 (2025-02-28)" above it, inside the plot and clear of
 * the dashed period markers. Of the anchors (end, middle, start of the text at the dot) the one
 * the dot's place suggests comes first (near the right edge the text ends at the dot); the first
 * that keeps the text inside the plot with no marker crossing it wins. When none does (a high on
 * the last days, with wtd and mtd a few px apart), the text keeps the first anchor that fits and
 * gets an opaque white box behind it, drawn over the markers, so that no line strikes it through.
 * The width comes from text_px. The level is on the chart's scale (rebased in a rebased chart).
 * Left out when the high is not among the dates shown. */
static void draw_ath(const chart *c, const marker *m, size_t n)
{
    const defidx_result *r = c->r;
    if (r->ath_date == DEFIDX_NO_DATE || r->ath_date < c->first || r->ath_date > c->last ||
        !isfinite(r->ath_level))
        return;
    FILE *out = c->out;
    double x = x_of(c, r->ath_date), y = y_of(c, r->ath_level * c->scale);
    fputs("<circle class=\"ath\"", out);
    put_attr(out, "cx", x);
    put_attr(out, "cy", y);
    fputs(" r=\"3.5\" fill=\"" ATH_COLOUR "\" stroke=\"#fff\" stroke-width=\"1\"/>\n", out);

    char label[96], level[64], date[11];
    defidx_number_fixed(r->ath_level * c->scale, 2, level, sizeof level);
    defidx_date_format(r->ath_date, date);
    snprintf(label, sizeof label, "ATH %s (%s)", level, date);
    double w = text_px(label, (size_t)-1, 10, 0);
    static const char *const anchors[3] = {"end", "middle", "start"};
    static const double lead[3] = {1, 0.5, 0}; /* the part of the text left of its x */
    int first = x > c->left + 0.7 * c->pw ? 0 : x < c->left + 0.3 * c->pw ? 2 : 1;
    int fits = -1, clear = -1;
    for (int i = 0; i < 3 && clear < 0; i++) {
        int a = (first + i) % 3;
        double x0 = x - lead[a] * w, x1 = x0 + w;
        if (x0 < c->left || x1 > c->left + c->pw)
            continue;
        fits = fits < 0 ? a : fits;
        if (!marker_crosses(c, m, n, x0, x1))
            clear = a;
    }
    int a = clear >= 0 ? clear : fits >= 0 ? fits : first;
    double ty = y - 8;
    if (clear < 0) { /* the box behind the text: its width, and the 10px font's ascent and descent */
        fputs("<rect class=\"ath-box\"", out);
        put_attr(out, "x", x - lead[a] * w - LABEL_CLEAR);
        put_attr(out, "y", ty - 8 - LABEL_CLEAR / 2);
        put_attr(out, "width", w + 2 * LABEL_CLEAR);
        put_attr(out, "height", 10.5 + LABEL_CLEAR);
        fputs(" fill=\"#ffffff\"/>\n", out);
    }
    fprintf(out, "<text class=\"ath\" font-size=\"10\" fill=\"" ATH_COLOUR "\" text-anchor=\"%s\" " HALO,
            anchors[a]);
    put_attr(out, "x", x);
    put_attr(out, "y", ty);
    fputc('>', out);
    put_text(out, label);
    fputs("</text>\n", out);
}

/* The last level shown (on the chart's scale: rebased in a rebased chart), with 2 decimals, right
 * of the line's end. */
static void draw_last(const chart *c)
{
    const defidx_result *r = c->r;
    size_t k = c->i1 + 1;
    while (k > c->i0 && !isfinite(r->levels[k - 1]))
        k--;
    if (k == c->i0)
        return;
    double x = x_of(c, r->dates[k - 1]), y = y_of(c, r->levels[k - 1] * c->scale);
    FILE *out = c->out;
    fputs("<circle class=\"last\"", out);
    put_attr(out, "cx", x);
    put_attr(out, "cy", y);
    fputs(" r=\"2.5\" fill=\"" INDEX_COLOUR "\"/>\n<text class=\"last\" font-weight=\"bold\" fill=\"" INDEX_COLOUR "\" " HALO,
          out);
    put_attr(out, "x", x + 6);
    put_attr(out, "y", y + 4);
    fputc('>', out);
    put_fixed(out, r->levels[k - 1] * c->scale, 2);
    fputs("</text>\n", out);
}

/* One legend row: a swatch of the line (extra line k, or the index's for k (size_t)-1) and its
 * label (long labels cut). */
static void legend_row(const chart *c, double x, double y, size_t k, const char *label)
{
    FILE *out = c->out;
    fputs("<line", out);
    put_ends(out, x, y - 3.5, x + 16, y - 3.5);
    if (k == (size_t)-1)
        fputs(" stroke=\"" INDEX_COLOUR "\" stroke-width=\"2.2\"", out);
    else {
        put_extra_stroke(out, k);
        fputs(" stroke-width=\"1.5\"", out);
    }
    fputs("/>\n<text", out);
    put_attr(out, "x", x + 21);
    put_attr(out, "y", y);
    fputc('>', out);
    put_text_n(out, label, 16);
    fputs("</text>\n", out);
}

/* The legend right of the plot, drawn only with extra lines: the index, then each extra line in
 * its colour, as many as fit the plot's height and "+N more" for the rest. */
static void draw_legend(const chart *c)
{
    if (c->o->extra_count == 0)
        return;
    FILE *out = c->out;
    double x = c->left + c->pw + MARGIN_RIGHT - 12, y = c->top + 8;
    size_t rows = (size_t)(c->ph / 15); /* including the index's row */
    size_t shown = c->o->extra_count + 1 <= rows ? c->o->extra_count : rows - 2;
    fputs("<g class=\"legend\" font-size=\"10\" fill=\"#333\">\n", out);
    legend_row(c, x, y, (size_t)-1, c->r->name[0] ? c->r->name : "Index");
    for (size_t k = 0; k < shown; k++)
        legend_row(c, x, y + 15 * (double)(k + 1), k, c->o->extra[k].label ? c->o->extra[k].label : "");
    if (shown < c->o->extra_count) {
        fputs("<text", out);
        put_attr(out, "x", x + 21);
        put_attr(out, "y", y + 15 * (double)(shown + 1));
        fprintf(out, ">+%zu more</text>\n", c->o->extra_count - shown);
    }
    fputs("</g>\n", out);
}

/* ---- the drawdown panel ----------------------------------------------------------------------------- */

/* The index's drawdown on each date shown, level / the highest level since the base date - 1 (the
 * result's all-time high, so that the last one is the result's drawdown), into dd[i0..i1]; NAN
 * where there is no level. Returns the deepest, at most 0. */
static double drawdowns(const chart *c, double *dd)
{
    double high = -INFINITY, deepest = 0;
    for (size_t k = 0; k <= c->i1; k++) {
        double level = c->r->levels[k];
        if (!isfinite(level)) {
            if (k >= c->i0)
                dd[k - c->i0] = NAN;
            continue;
        }
        high = level > high ? level : high;
        if (k < c->i0)
            continue;
        dd[k - c->i0] = level / high - 1;
        deepest = dd[k - c->i0] < deepest ? dd[k - c->i0] : deepest;
    }
    return deepest;
}

/* Under the level plot: the drawdown in percent as a filled area under 0 ("underwater"), with its
 * own percent axis. 0 or DEFIDX_ENOMEM. */
static int draw_drawdown(const chart *c)
{
    if (!c->o->drawdown)
        return 0;
    FILE *out = c->out;
    size_t n = c->i1 - c->i0 + 1;
    double *dd = malloc(n * sizeof *dd);
    if (!dd)
        return DEFIDX_ENOMEM;
    double lo = drawdowns(c, dd) * 100;
    lo = lo < -1 ? lo : -1; /* a shallow or no drawdown still gets an axis down to -1% */
    dfx_level_ticks t;
    dfx_nice_ticks(lo, 0, &t);
    double bottom = lo * 1.06, top = c->dd_top, h = c->dd_h;
#define DD_Y(pct) (top + (0 - (pct)) / (0 - bottom) * h)
    fputs("<g class=\"drawdown\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">\n", out);
    for (int k = 0; k < t.count; k++)
        grid_line(c, DD_Y(t.value[k]), t.value[k], t.decimals, "%");
    fputs("<line", out);
    put_ends(out, c->left, top, c->left, top + h);
    fputs(" stroke=\"#888\"/>\n", out);
    /* the area: each run of values between gaps, closed along 0 */
    for (size_t k = 0; k < n;) {
        if (!isfinite(dd[k])) {
            k++;
            continue;
        }
        size_t end = k;
        while (end < n && isfinite(dd[end]))
            end++;
        fputs("<polygon fill=\"" DRAWDOWN_COLOUR "\" fill-opacity=\"0.25\" stroke=\"" DRAWDOWN_COLOUR
              "\" stroke-width=\"1\" stroke-linejoin=\"round\" points=\"",
              out);
        put_point(out, x_of(c, c->r->dates[c->i0 + k]), DD_Y(0));
        for (size_t j = k; j < end; j++) {
            fputc((j - k) % 8 == 7 ? '\n' : ' ', out);
            put_point(out, x_of(c, c->r->dates[c->i0 + j]), DD_Y(dd[j] * 100));
        }
        fputc(' ', out);
        put_point(out, x_of(c, c->r->dates[c->i0 + end - 1]), DD_Y(0));
        fputs("\"/>\n", out);
        k = end;
    }
#undef DD_Y
    /* its title over the area, bottom right, on a halo where the area reaches it */
    fputs("<text text-anchor=\"end\" fill=\"#333\" " HALO, out);
    put_attr(out, "x", c->left + c->pw - 4);
    put_attr(out, "y", top + h - 6);
    fputs(">Drawdown from the all-time high</text>\n</g>\n", out);
    free(dd);
    return 0;
}

void defidx_chart_options_init(defidx_chart_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->version = DEFIDX_OPTIONS_VERSION;
    o->width = 800;
    o->height = 400;
    o->from = DEFIDX_NO_DATE;
    o->extra = NULL;
}

/* The chart as a file of its own (declaration 1) or inside an HTML page (0). */
static int chart_svg(FILE *out, const defidx_result *r, const defidx_chart_options *o, int declaration,
                     defidx_error *err)
{
    defidx_chart_options defaults;
    if (!o) {
        defidx_chart_options_init(&defaults);
        o = &defaults;
    }
    if (dfx_options_version(o->version, "chart options", err))
        return DEFIDX_EUSAGE;
    if (!out || !r)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "chart: no output or no result");
    int rc = check_options(o, err);
    chart c = {.out = out, .r = r, .o = o, .declaration = declaration};
    if (rc || (rc = check_series(r, err)) || (rc = chart_layout(&c, err)))
        return rc;
    marker *markers = NULL;
    long n = collect_markers(&c, &markers);
    if (n < 0)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    /* Back to front: grid, markers, the extra lines, the index's, then the labels over them. */
    draw_header(&c);
    draw_level_axis(&c);
    draw_date_axis(&c);
    draw_marker_lines(&c, markers, (size_t)n);
    draw_extras(&c);
    draw_index(&c);
    draw_ath(&c, markers, (size_t)n);
    draw_last(&c);
    draw_marker_labels(&c, markers, (size_t)n);
    draw_legend(&c);
    free(markers);
    if (draw_drawdown(&c))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    fputs("</svg>\n", out);
    return dfx_emit_finish(out, err);
}

int defidx_chart_svg(FILE *out, const defidx_result *r, const defidx_chart_options *o, defidx_error *err)
{
    return chart_svg(out, r, o, 1, err);
}

int dfx_chart_svg_inline(FILE *out, const defidx_result *r, const defidx_chart_options *o, defidx_error *err)
{
    return chart_svg(out, r, o, 0, err);
}

/* ---- bars ----------------------------------------------------------------------------------------- */

#define BAR_ROW 17.0
#define BAR_TOP 22.0

void dfx_bar_chart_svg(FILE *out, const char *title, const char *const *labels, const double *shares, size_t n,
                       int width)
{
    double label_w = 0, biggest = 0;
    for (size_t k = 0; k < n; k++) {
        double w = text_px(labels[k], 24, 10, 0);
        label_w = w > label_w ? w : label_w;
        biggest = shares[k] > biggest ? shares[k] : biggest;
    }
    label_w = label_w < 0.4 * width ? label_w : 0.4 * width;
    double left = label_w + 10, room = width - left - 48; /* 48: the value's label after the bar */
    double height = BAR_TOP + BAR_ROW * (double)n + 6;
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                 " font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"10\">\n",
            width, (int)height, width, (int)height);
    fputs("<title>", out);
    put_text(out, title);
    fputs("</title>\n<text x=\"0\" y=\"13\" font-size=\"11\" font-weight=\"bold\" fill=\"#222\">", out);
    put_text(out, title);
    fputs("</text>\n", out);
    for (size_t k = 0; k < n; k++) {
        double y = BAR_TOP + BAR_ROW * (double)k, w = biggest > 0 && shares[k] > 0 ? shares[k] / biggest * room : 0;
        fputs("<text text-anchor=\"end\" fill=\"#333\"", out);
        put_attr(out, "x", label_w);
        put_attr(out, "y", y + 11);
        putc('>', out);
        put_text_n(out, labels[k], chars_fitting(labels[k], label_w, 10, 0));
        fprintf(out, "</text>\n<rect fill=\"%s\" height=\"12\"", palette[k % PALETTE_SIZE]);
        put_attr(out, "x", left);
        put_attr(out, "y", y + 2);
        put_attr(out, "width", w);
        fputs("/>\n<text fill=\"#333\"", out);
        put_attr(out, "x", left + w + 4);
        put_attr(out, "y", y + 11);
        putc('>', out);
        put_fixed(out, shares[k] * 100, 1);
        fputs("%</text>\n", out);
    }
    fputs("</svg>\n", out);
}

/* ---- constituents rebased ------------------------------------------------------------------------- */

void defidx_chart_lines_free(defidx_chart_line *lines, size_t count)
{
    if (!lines)
        return;
    for (size_t k = 0; k < count; k++) {
        free((void *)lines[k].dates);
        free((void *)lines[k].values);
    }
    free(lines);
}

/* Fills values[0..n) for ticker j of p on dates[0..n): its last close on or before each date (a
 * close before dates[0] counts, carried), divided by the one of dates[0] and times 100, so that
 * the line starts at 100 on the first date shown; a ticker without a close by then starts at 100
 * on its first one (NAN before). */
static void rebase_ticker(const defidx_panel *p, size_t j, const int32_t *dates, size_t n,
                          double *values)
{
    size_t pn = defidx_panel_date_count(p), pi = 0;
    double close = NAN, base = NAN;
    for (size_t k = 0; k < n; k++) {
        for (; pi < pn && defidx_panel_date(p, pi) <= dates[k]; pi++) {
            double v = defidx_panel_price(p, j, pi);
            close = isfinite(v) ? v : close;
        }
        if (isnan(base) && close > 0)
            base = close;
        values[k] = close / base * 100; /* NAN until the base */
    }
}

int defidx_chart_rebased_lines(const defidx_panel *p, const defidx_result *r, int32_t from,
                               defidx_chart_line **lines, size_t *count, defidx_error *err)
{
    if (!p || !r || !lines || !count)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "chart: missing argument");
    *lines = NULL;
    *count = 0;
    int rc = check_series(r, err);
    if (rc)
        return rc;
    size_t i0, i1;
    from = chart_from(r, from);
    if ((rc = shown_range(r, from, &i0, &i1, err)))
        return rc;
    size_t n = i1 - i0 + 1;
    defidx_chart_line *out = calloc(r->constituent_count ? r->constituent_count : 1, sizeof *out);
    if (!out)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    size_t made = 0;
    for (size_t k = 0; k < r->constituent_count; k++) {
        long j = defidx_panel_find(p, r->constituents[k].ticker);
        if (j < 0)
            continue; /* a member without prices in p has no line to draw */
        int32_t *dates = malloc(n * sizeof *dates);
        double *values = malloc(n * sizeof *values);
        out[made] = (defidx_chart_line){r->constituents[k].ticker, n, dates, values};
        made++;
        if (!dates || !values) {
            defidx_chart_lines_free(out, made);
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        }
        memcpy(dates, r->dates + i0, n * sizeof *dates);
        rebase_ticker(p, (size_t)j, dates, n, values);
    }
    *lines = out;
    *count = made;
    return 0;
}
