/* term_chart.c: the index's level drawn in a terminal (`defidx chart -O term`), sized to it: a title
 * with the level and the all-time high, the y-axis with round ticks, the line in Unicode braille
 * (2 x 4 dots a character) or, where the locale is not UTF-8, in ASCII (one mark a character),
 * the period markers as dotted columns named in a line under the dates, the high marked and the
 * last value labelled. ANSI colour only when asked. The text depends on nothing but the arguments,
 * so golden files can hold it. */
#include "emit/emit.h"
#include "index/periods.h"

#include <stdlib.h>
#include <string.h>

#define TERM_MIN_COLUMNS 40
#define TERM_MIN_ROWS 8
#define TERM_MAX 1000
/* Lines around the plot: the title, the date axis, the dates, the markers' names. */
#define FRAME_ROWS 4

/* The colours, as the aligned table's (emit.h) */
#define COLOUR_LINE DEFIDX_ANSI_BLUE
#define COLOUR_HIGH DEFIDX_ANSI_RED
#define COLOUR_MARK DEFIDX_ANSI_DIM
#define COLOUR_RESET DEFIDX_ANSI_RESET

void defidx_term_chart_options_init(defidx_term_chart_options *o)
{
    *o = (defidx_term_chart_options)DEFIDX_TERM_CHART_OPTIONS_INIT;
}

/* One character cell of the plot: its braille dots (bit k as U+2800 counts them) or, in ASCII,
 * whether the line passes, and what else is drawn there. */
typedef struct cell {
    unsigned char dots;
    char marker; /* a period marker's column */
    char high;   /* the all-time high's mark */
} cell;

typedef struct plot {
    const defidx_result *r;
    const defidx_term_chart_options *o;
    size_t i0, i1;            /* the dates shown: r->dates[i0..i1] */
    int cols, rows;           /* the plot's cells */
    int dot_cols, dot_rows;   /* its dots: 2 x 4 a cell in braille, 1 x 1 in ASCII */
    double lo, hi;            /* the levels at its bottom and top */
    cell *cells;
    dfx_level_ticks ticks;
    char labels[DFX_TICKS_MAX][32];
    int label_width;
} plot;

static cell *at(const plot *p, int col, int row)
{
    return &p->cells[(size_t)row * (size_t)p->cols + (size_t)col];
}

/* The braille bit of dot (x, y) within its cell (x 0..1, y 0..3), as Unicode numbers them. */
static unsigned char braille_bit(int x, int y)
{
    static const unsigned char bits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    return bits[x][y];
}

static void set_dot(plot *p, int x, int y)
{
    if (x < 0 || y < 0 || x >= p->dot_cols || y >= p->dot_rows)
        return;
    int per_x = p->o->utf8 ? 2 : 1, per_y = p->o->utf8 ? 4 : 1;
    cell *c = at(p, x / per_x, y / per_y);
    c->dots |= p->o->utf8 ? braille_bit(x % 2, y % 4) : 1;
}

static int dot_x(const plot *p, int32_t date)
{
    int32_t first = p->r->dates[p->i0], last = p->r->dates[p->i1];
    if (last == first)
        return p->dot_cols / 2;
    return (int)((double)(date - first) / (double)(last - first) * (p->dot_cols - 1) + 0.5);
}

static int dot_y(const plot *p, double level)
{
    return (int)((p->hi - level) / (p->hi - p->lo) * (p->dot_rows - 1) + 0.5);
}

/* The line: each value's dot, joined to the one before through every column between. */
static void draw_line(plot *p)
{
    int px = -1, py = -1;
    for (size_t k = p->i0; k <= p->i1; k++) {
        double v = p->r->levels[k];
        if (!isfinite(v)) {
            px = -1; /* a gap is not bridged */
            continue;
        }
        int x = dot_x(p, p->r->dates[k]), y = dot_y(p, v);
        if (px < 0 || x == px) { /* the first, or a second value in the same column: a stroke */
            int from = px < 0 ? y : py, step = y >= from ? 1 : -1;
            for (int yy = from; yy != y + step; yy += step)
                set_dot(p, x, yy);
        }
        /* every column up to it, each stroked from the height of the one before */
        for (int cx = px < 0 ? x + 1 : px + 1, prev = py; cx <= x; cx++) {
            int cy = (int)lround(py + (double)(y - py) * (cx - px) / (x - px)), step = cy >= prev ? 1 : -1;
            for (int yy = prev; yy != cy + step; yy += step)
                set_dot(p, cx, yy);
            prev = cy;
        }
        px = x;
        py = y;
    }
}

/* The columns of the period markers (not 1d), where the line does not pass. */
static void draw_markers(plot *p)
{
    int per_x = p->o->utf8 ? 2 : 1;
    for (size_t k = 0; k < p->r->period_count; k++) {
        const defidx_period *q = &p->r->periods[k];
        if (!dfx_period_kind_info(q->kind)->marked_on_chart || q->base_date == DEFIDX_NO_DATE ||
            q->base_date < p->r->dates[p->i0] || q->base_date > p->r->dates[p->i1])
            continue;
        int col = dot_x(p, q->base_date) / per_x;
        for (int row = 0; row < p->rows; row++)
            at(p, col, row)->marker = 1;
    }
}

/* The all-time high's mark: in the cell above its point, or its own at the top. */
static void mark_high(plot *p)
{
    const defidx_result *r = p->r;
    if (r->ath_date == DEFIDX_NO_DATE || r->ath_date < r->dates[p->i0] || r->ath_date > r->dates[p->i1])
        return;
    int per_x = p->o->utf8 ? 2 : 1, per_y = p->o->utf8 ? 4 : 1;
    int col = dot_x(p, r->ath_date) / per_x, row = dot_y(p, r->ath_level) / per_y;
    at(p, col, row > 0 ? row - 1 : row)->high = 1;
}

/* ---- the text ------------------------------------------------------------------------------------ */

static void colour(FILE *out, const plot *p, const char *sgr)
{
    if (p->o->color)
        fputs(sgr, out);
}

/* Writes a cell: the high's mark, the line's dots, a marker's dotted column, or a blank. */
static void put_cell(FILE *out, const plot *p, const cell *c)
{
    int utf8 = p->o->utf8;
    if (c->high) {
        colour(out, p, COLOUR_HIGH);
        fputs(utf8 ? "\xe2\x96\xb2" : "^", out); /* U+25B2 BLACK UP-POINTING TRIANGLE */
        colour(out, p, COLOUR_RESET);
    } else if (c->dots) {
        colour(out, p, COLOUR_LINE);
        if (utf8) {
            unsigned code = 0x2800u + c->dots; /* three bytes: E2 A0..A3 80..BF */
            fputc(0xE0 | (int)(code >> 12), out);
            fputc(0x80 | (int)((code >> 6) & 0x3F), out);
            fputc(0x80 | (int)(code & 0x3F), out);
        } else {
            fputc('*', out);
        }
        colour(out, p, COLOUR_RESET);
    } else if (c->marker) {
        colour(out, p, COLOUR_MARK);
        fputs(utf8 ? "\xe2\x94\x8a" : ":", out); /* U+250A BOX DRAWINGS LIGHT QUADRUPLE DASH VERTICAL */
        colour(out, p, COLOUR_RESET);
    } else {
        fputc(' ', out);
    }
}

/* The tick labelled on plot row `row`, or -1. */
static int tick_on_row(const plot *p, int row)
{
    int per_y = p->o->utf8 ? 4 : 1;
    for (int k = 0; k < p->ticks.count; k++)
        if (dot_y(p, p->ticks.value[k]) / per_y == row)
            return k;
    return -1;
}

/* Writes text cut to at most `room` characters (UTF-8 counted as one each). */
static void put_cut(FILE *out, const char *text, size_t room)
{
    size_t chars = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s & 0xC0) != 0x80 && chars++ == room)
            break;
        fputc(*s, out);
    }
}

/* The title, "Name (EUR), as of D: level, high H on D": where that is too wide, a shorter tail
 * (the high's date goes, then the currency and the high) so that the whole name fits, or failing
 * that at least NAME_KEPT characters of it, cut where needed (ending in "..."). */
#define NAME_KEPT 12
static void put_title(FILE *out, const plot *p)
{
    const defidx_result *r = p->r;
    char name[512], tails[3][200], date[11], high[11], level[64], ath[64];
    defidx_text_escape(name, sizeof name, r->name[0] ? r->name : "Index"); /* the data's: escaped */
    defidx_date_format(r->as_of, date);
    defidx_date_format(r->ath_date, high);
    if (defidx_number_fixed(r->level, 2, level, sizeof level) == 0)
        snprintf(level, sizeof level, "-");
    if (defidx_number_fixed(r->ath_level, 2, ath, sizeof ath) == 0)
        snprintf(ath, sizeof ath, "-");
    snprintf(tails[0], sizeof tails[0], " (%.8s), as of %s: %s, high %s on %s", r->currency, date[0] ? date : "-",
             level, ath, high[0] ? high : "-");
    snprintf(tails[1], sizeof tails[1], " (%.8s) %s: %s, high %s", r->currency, date[0] ? date : "-", level, ath);
    snprintf(tails[2], sizeof tails[2], " %s: %s", date[0] ? date : "-", level);
    size_t chars = 0, columns = (size_t)p->o->columns;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        chars += (*c & 0xC0) != 0x80;
    /* the longest tail beside the whole name; else the longest beside NAME_KEPT of it */
    size_t t = 0;
    while (t < 2 && strlen(tails[t]) + chars > columns)
        t++;
    if (strlen(tails[t]) + chars > columns)
        for (t = 0; t < 2 && strlen(tails[t]) + NAME_KEPT > columns;)
            t++;
    size_t room = columns > strlen(tails[t]) ? columns - strlen(tails[t]) : 0, used = 0;
    if (chars <= room) {
        fputs(name, out);
        used = chars;
    } else if (room > 3) {
        put_cut(out, name, room - 3);
        fputs("...", out);
        used = room;
    }
    put_cut(out, tails[t], columns - used); /* cut only when even the shortest does not fit */
    fputc('\n', out);
}

/* The plot's rows: the tick label, the axis, the cells, and the last value on its row. */
static void put_rows(FILE *out, const plot *p, const char *last_label)
{
    int per_y = p->o->utf8 ? 4 : 1;
    int last_row = -1;
    for (size_t k = p->i1 + 1; k-- > p->i0;)
        if (isfinite(p->r->levels[k])) {
            last_row = dot_y(p, p->r->levels[k]) / per_y;
            break;
        }
    for (int row = 0; row < p->rows; row++) {
        int tick = tick_on_row(p, row);
        fprintf(out, "%*s ", p->label_width, tick >= 0 ? p->labels[tick] : "");
        fputs(tick >= 0 ? (p->o->utf8 ? "\xe2\x94\xa4" : "+") : (p->o->utf8 ? "\xe2\x94\x82" : "|"), out);
        for (int col = 0; col < p->cols; col++)
            put_cell(out, p, at(p, col, row));
        if (row == last_row)
            fprintf(out, " %s", last_label);
        fputc('\n', out);
    }
}

/* The date axis: a rule with a tick at each round date, and the dates under it, each centred on
 * its tick where it does not run into the one before or past the edge. */
static void put_dates(FILE *out, const plot *p)
{
    dfx_date_ticks t;
    int per_x = p->o->utf8 ? 2 : 1;
    dfx_choose_date_ticks(p->r->dates[p->i0], p->r->dates[p->i1], &t);
    char *rule = calloc((size_t)p->cols + 1, 1), *text = calloc((size_t)p->cols + 12, 1);
    if (!rule || !text) {
        free(rule);
        free(text);
        return;
    }
    memset(rule, '-', (size_t)p->cols);
    memset(text, ' ', (size_t)p->cols + 11);
    int free_from = 0;
    for (int k = 0; k < t.count; k++) {
        int col = dot_x(p, t.at[k]) / per_x;
        if (col < 0 || col >= p->cols)
            continue;
        rule[col] = '+';
        char label[11];
        dfx_tick_date_text(t.at[k], t.unit, label);
        int n = (int)strlen(label), start = col - n / 2;
        start = start < 0 ? 0 : start;
        if (start < free_from || start + n > p->cols + 10)
            continue;
        memcpy(text + start, label, (size_t)n);
        free_from = start + n + 1;
    }
    fprintf(out, "%*s %s", p->label_width, "", p->o->utf8 ? "\xe2\x94\x94" : "+");
    for (int col = 0; col < p->cols; col++)
        fputs(!p->o->utf8 ? (char[]){rule[col], '\0'} : rule[col] == '+' ? "\xe2\x94\xac" : "\xe2\x94\x80", out);
    fputc('\n', out);
    int end = p->cols + 11;
    while (end > 0 && text[end - 1] == ' ')
        end--;
    fprintf(out, "%*s  %.*s\n", p->label_width, "", end, text);
    free(rule);
    free(text);
}

/* The markers' names with their base dates, in date order, cut to the width. */
static void put_marker_names(FILE *out, const plot *p)
{
    char line[2048] = "", names[256];
    size_t used = 0;
    int32_t done = DEFIDX_NO_DATE;
    for (;;) { /* the next base date after `done`, with every period based on it */
        int32_t next = DEFIDX_NO_DATE;
        for (size_t k = 0; k < p->r->period_count; k++) {
            const defidx_period *q = &p->r->periods[k];
            int32_t d = q->base_date;
            if (dfx_period_kind_info(q->kind)->marked_on_chart && d != DEFIDX_NO_DATE && d >= p->r->dates[p->i0] &&
                d <= p->r->dates[p->i1] && (done == DEFIDX_NO_DATE || d > done) && (next == DEFIDX_NO_DATE || d < next))
                next = d;
        }
        if (next == DEFIDX_NO_DATE)
            break;
        names[0] = '\0';
        for (size_t k = 0; k < p->r->period_count; k++) {
            const defidx_period *q = &p->r->periods[k];
            if (q->base_date == next && dfx_period_kind_info(q->kind)->marked_on_chart) {
                size_t n = strlen(names);
                snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "",
                         q->kind == DEFIDX_PERIOD_SINCE ? "since" : q->name);
            }
        }
        char date[11], entry[300];
        defidx_date_format(next, date);
        int n = snprintf(entry, sizeof entry, "%s%s %s", used ? "  " : "", names, date);
        /* whole entries only, as many as the width takes (the label column and "┊ " before them) */
        if ((size_t)p->label_width + 3 + used + (size_t)n <= (size_t)p->o->columns && used + (size_t)n < sizeof line) {
            memcpy(line + used, entry, (size_t)n + 1);
            used += (size_t)n;
        }
        done = next;
    }
    if (!used) { /* a line all the same, so that the chart is always o->rows lines */
        fputc('\n', out);
        return;
    }
    char full[2100];
    snprintf(full, sizeof full, "%*s %s %s", p->label_width, "", p->o->utf8 ? "\xe2\x94\x8a" : ":", line);
    colour(out, p, COLOUR_MARK);
    put_cut(out, full, (size_t)p->o->columns);
    colour(out, p, COLOUR_RESET);
    fputc('\n', out);
}

/* ---- the entry point ----------------------------------------------------------------------------- */

int defidx_chart_term(FILE *out, const defidx_result *r, const defidx_term_chart_options *o, defidx_error *err)
{
    defidx_term_chart_options defaults;
    if (!o) {
        defidx_term_chart_options_init(&defaults);
        o = &defaults;
    }
    if (dfx_options_version(o->version, "terminal chart options", err))
        return DEFIDX_EUSAGE;
    if (o->columns < TERM_MIN_COLUMNS || o->rows < TERM_MIN_ROWS || o->columns > TERM_MAX || o->rows > TERM_MAX)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "chart: a terminal of %d x %d characters is out of range (%d x %d to %d x %d)",
                                o->columns, o->rows, TERM_MIN_COLUMNS, TERM_MIN_ROWS, TERM_MAX, TERM_MAX);
    plot p = {.r = r, .o = o};
    int rc = dfx_chart_shown(r, o->from, &p.i0, &p.i1, err);
    if (rc)
        return rc;
    p.lo = INFINITY;
    p.hi = -INFINITY;
    for (size_t k = p.i0; k <= p.i1; k++)
        if (isfinite(r->levels[k])) {
            p.lo = r->levels[k] < p.lo ? r->levels[k] : p.lo;
            p.hi = r->levels[k] > p.hi ? r->levels[k] : p.hi;
        }
    if (!(p.lo <= p.hi))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "chart: the series has no level to draw");
    if (!isfinite(p.hi - p.lo))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "chart: the values are too large to draw");
    dfx_unflatten(&p.lo, &p.hi);
    dfx_nice_ticks(p.lo, p.hi, &p.ticks);
    for (int k = 0; k < p.ticks.count; k++) {
        defidx_number_fixed(p.ticks.value[k], p.ticks.decimals, p.labels[k], sizeof p.labels[k]);
        int n = (int)strlen(p.labels[k]);
        p.label_width = n > p.label_width ? n : p.label_width;
    }
    char last[64] = "";
    for (size_t k = p.i1 + 1; k-- > p.i0;)
        if (isfinite(r->levels[k])) {
            defidx_number_fixed(r->levels[k], 2, last, sizeof last);
            break;
        }
    /* the plot takes what the labels leave: left the ticks and the axis, right the last value */
    p.cols = o->columns - p.label_width - 2 - (int)strlen(last) - 1;
    p.rows = o->rows - FRAME_ROWS;
    if (p.cols < 10)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "chart: %d columns leave no room to draw", o->columns);
    p.dot_cols = p.cols * (o->utf8 ? 2 : 1);
    p.dot_rows = p.rows * (o->utf8 ? 4 : 1);
    p.cells = calloc((size_t)p.cols * (size_t)p.rows, sizeof *p.cells);
    if (!p.cells)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    draw_line(&p);
    draw_markers(&p);
    mark_high(&p);
    put_title(out, &p);
    put_rows(out, &p, last);
    put_dates(out, &p);
    put_marker_names(out, &p);
    free(p.cells);
    return dfx_emit_finish(out, err);
}
