/* emit_report.c: the files of a report bundle (`defidx report`) as bytes: the text and Markdown
 * reports with this week's movers, a self-contained HTML page, the machine files (returns.csv,
 * returns.json, constituents.csv) and the chart. Where they go on disk is the CLI's business
 * (src/cli/report.c); what they say is the library's, like every other output. */
#define _POSIX_C_SOURCE 200809L
#include "emit/emit.h"
#include "index/periods.h"
#include "util/membuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MOVERS 3
/* report.txt is read in mail: no line wider than this many characters, which mail clients show
 * without wrapping or cutting. */
#define TEXT_WIDTH 100
/* The characters of a name in report.txt's tables; a longer one is cut and ends in "…". */
#define TEXT_NAME_MAX 24

/* What the renderers share: the result, the as-of date as text, this week's movers and the chart. */
typedef struct report_ctx {
    const defidx_report_options *o;
    const defidx_result *r;
    char date[11];
    long wtd;                  /* the index of the week-to-date period, -1 when the result has none */
    size_t top_count;          /* how many entries top holds (at most MOVERS) */
    size_t bottom_count;       /* likewise bottom; never a name of top */
    size_t top[MOVERS];        /* constituents (indices into r) by wtd return, best first */
    size_t bottom[MOVERS];     /* worst first */
    int has_png;               /* report.html shows chart.png rather than the SVG */
    const char *svg;           /* the chart to inline in the HTML */
    size_t svg_len;
    defidx_stats_report stats; /* the statistics' sections and stats.json */
} report_ctx;

/* ---- this week's movers ------------------------------------------------------------------------- */

typedef struct mover {
    double ret;
    const char *ticker;
    size_t index;
} mover;

/* Best first; equal returns in ticker order. */
static int mover_desc(const void *a, const void *b)
{
    const mover *x = a, *y = b;
    if (x->ret != y->ret)
        return x->ret > y->ret ? -1 : 1;
    return strcmp(x->ticker, y->ticker);
}

/* Picks the best and worst constituents by their week-to-date return, at most MOVERS each. Left
 * out: those without one (no price at the week's base) and the stale ones, whose carried price
 * shows a week without a move that did not happen. The bottom list is the top list's order from
 * the other end, and the two share no name: with fewer than 2 x MOVERS names, top takes the
 * better half (the middle one when the count is odd) and bottom the rest. */
static int find_movers(report_ctx *c)
{
    const defidx_result *r = c->r;
    c->wtd = -1;
    c->top_count = c->bottom_count = 0;
    for (size_t k = 0; k < r->period_count; k++)
        if (r->periods[k].kind == DEFIDX_PERIOD_WTD)
            c->wtd = (long)k;
    if (c->wtd < 0 || r->constituent_count == 0)
        return 0;
    mover *m = malloc(r->constituent_count * sizeof *m);
    if (!m)
        return DEFIDX_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        double ret = k->periods ? k->periods[c->wtd].ret : NAN;
        if (isfinite(ret) && !k->stale)
            m[n++] = (mover){ret, k->ticker, i};
    }
    qsort(m, n, sizeof *m, mover_desc);
    c->top_count = (n + 1) / 2 < MOVERS ? (n + 1) / 2 : MOVERS;
    c->bottom_count = n - c->top_count < MOVERS ? n - c->top_count : MOVERS;
    for (size_t i = 0; i < c->top_count; i++)
        c->top[i] = m[i].index;
    for (size_t i = 0; i < c->bottom_count; i++)
        c->bottom[i] = m[n - 1 - i].index;
    free(m);
    return 0;
}

/* The headings of the two movers lists and what an empty one says instead. */
static const char *const movers_titles[2] = {"Top movers this week", "Bottom movers this week"};
static const char *const movers_none[2] = {
    "No constituent has a current price and a return this week.",
    "No other constituent has a current price and a return this week."};

static const char *movers_header[] = {"Ticker", "Name", "Weight", "wtd", "Contrib wtd"};
static const char *movers_header_unnamed[] = {"Ticker", "Weight", "wtd", "Contrib wtd"};

/* The movers which[0..n) as a table for the text and Markdown reports; without names, no Name
 * column, as in compute's table. */
static int movers_table(const report_ctx *c, const size_t *which, size_t n, defidx_table *t)
{
    int named = dfx_result_has_names(c->r);
    if (defidx_table_init(t, named ? 5 : 4, named ? movers_header : movers_header_unnamed))
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const defidx_constituent *k = &c->r->constituents[which[i]];
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        size_t col = 0;
        row[col++] = defidx_cell_text(k->ticker);
        if (named)
            row[col++] = defidx_cell_text(k->name);
        row[col++] = defidx_cell_share(k->weight, 2);
        row[col++] = defidx_cell_percent(k->periods[c->wtd].ret, 2);
        row[col] = defidx_cell_percent(k->contribution ? k->contribution[c->wtd] : NAN, 2);
    }
    return 0;
}

/* ---- text that fits report.txt -------------------------------------------------------------------- */

/* The width of the first n bytes of s in characters (UTF-8: continuation bytes take no column). */
static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* The length of the word at p: up to the next blank, where a blank before "(" does not end it, so
 * that "RHM.DE (2025-05-02)" stays on one line. */
static size_t word_length(const char *p, const char *blanks)
{
    size_t n = strcspn(p, blanks);
    while (p[n] == ' ' && p[n + 1] == '(')
        n += 1 + strcspn(p + n + 1, blanks);
    return n;
}

/* Writes text as lines of at most width characters broken at its blanks (control characters
 * count as blanks; a parenthesis stays with the word before it), each line after the first
 * starting with indent. A word longer than a line gets a line of its own. */
static void put_wrapped(FILE *out, const char *text, size_t width, const char *indent)
{
    static const char blanks[] = " \t\n\r\v\f\001\002\003\004\005\006\a\b\016\017\020\021\022"
                                 "\023\024\025\026\027\030\031\032\033\034\035\036\037\177";
    size_t col = 0, indent_w = text_width(indent, strlen(indent));
    int at_start = 1;
    for (const char *p = text; *p;) {
        size_t n = word_length(p, blanks);
        if (n == 0) {
            p++;
            continue;
        }
        size_t w = text_width(p, n);
        if (!at_start && col + 1 + w > width) {
            fprintf(out, "\n%s", indent);
            col = indent_w;
            at_start = 1;
        }
        if (!at_start) {
            putc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += w;
        at_start = 0;
        p += n;
    }
    putc('\n', out);
}

/* Copies at most max characters of s into out (4 * max + 4 bytes): a longer s is cut at a
 * character boundary after max - 1 characters and ends in "…" (U+2026). */
static void cut_text(const char *s, size_t max, char *out)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (chars <= max) {
        memcpy(out, s, i + 1);
        return;
    }
    chars = 0;
    for (i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max - 1)
            break;
        out[i] = s[i];
    }
    memcpy(out + i, "\xe2\x80\xa6", 4);
}

/* The widest line of t as the aligned table writes it, in characters, into *widest. Returns 0,
 * or DEFIDX_ENOMEM: the table written into memory is all that can fail. */
static int rendered_width(const defidx_table *t, size_t *widest)
{
    dfx_membuf b;
    *widest = 0;
    FILE *f = dfx_membuf_open(&b);
    if (!f)
        return DEFIDX_ENOMEM;
    defidx_emit_options eo;
    defidx_emit_options_init(&eo);
    int rc = defidx_emit_table(f, t, DEFIDX_FORMAT_TABLE, &eo, NULL);
    if (dfx_membuf_close(f, &b) || rc) {
        free(b.data);
        return DEFIDX_ENOMEM;
    }
    const char *text = b.data;
    size_t len = b.len;
    for (size_t at = 0; at < len;) {
        size_t n = strcspn(text + at, "\n");
        size_t w = text_width(text + at, n);
        *widest = w > *widest ? w : *widest;
        at += n + 1;
    }
    free(b.data);
    return 0;
}

/* The first `keys` columns of t and its columns from..to, into part (freed by the caller). */
static int table_part(const defidx_table *t, size_t keys, size_t from, size_t to, defidx_table *part)
{
    size_t n = keys + (to - from);
    const char **header = malloc(n * sizeof *header);
    if (!header) {
        memset(part, 0, sizeof *part);
        return DEFIDX_ENOMEM;
    }
    memcpy(header, t->header, keys * sizeof *header);
    memcpy(header + keys, t->header + from, (to - from) * sizeof *header);
    int rc = defidx_table_init(part, n, header) ? DEFIDX_ENOMEM : 0;
    free((void *)header);
    for (size_t r = 0; !rc && r < t->row_count; r++) {
        defidx_cell *row = defidx_table_add_row(part);
        if (!row)
            return DEFIDX_ENOMEM;
        const defidx_cell *src = t->cells + r * t->column_count;
        memcpy(row, src, keys * sizeof *row);
        memcpy(row + keys, src + from, (to - from) * sizeof *row);
    }
    return rc;
}

/* The width of the part of t with its first `keys` columns and columns from..to, into *width.
 * Returns 0, or DEFIDX_ENOMEM. */
static int part_width(const defidx_table *t, size_t keys, size_t from, size_t to, size_t *width)
{
    defidx_table part;
    int rc = table_part(t, keys, from, to, &part);
    if (!rc)
        rc = rendered_width(&part, width);
    defidx_table_free(&part);
    return rc;
}

/* Writes t as an aligned table no wider than TEXT_WIDTH: whole when it fits, else as several tables
 * one under the other, each with the first `keys` columns (the ticker, to say whose row it is)
 * and as many of the others, in order, as fit. Widths are measured on the text the table emitter
 * writes, so that they follow its layout. A column too wide even beside the keys alone still
 * gets a table of its own. */
static int emit_fitted(FILE *out, const defidx_table *t, size_t keys, defidx_error *err)
{
    defidx_emit_options eo;
    defidx_emit_options_init(&eo);
    size_t width = 0;
    if (keys < t->column_count && rendered_width(t, &width))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if (keys >= t->column_count || width <= TEXT_WIDTH)
        return defidx_emit_table(out, t, DEFIDX_FORMAT_TABLE, &eo, err);
    int rc = 0;
    for (size_t from = keys; !rc && from < t->column_count;) {
        size_t to = from + 1;
        while (to < t->column_count && !(rc = part_width(t, keys, from, to + 1, &width)) && width <= TEXT_WIDTH)
            to++;
        defidx_table part = {0};
        if (rc || table_part(t, keys, from, to, &part))
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        else
            rc = defidx_emit_table(out, &part, DEFIDX_FORMAT_TABLE, &eo, err);
        defidx_table_free(&part);
        from = to;
        if (!rc && from < t->column_count)
            putc('\n', out);
    }
    return rc;
}

/* Points the cells of t's column called "Name" at copies cut to TEXT_NAME_MAX characters, kept
 * in *store (the caller frees it after emitting). */
static int cut_names(defidx_table *t, char (**store)[4 * TEXT_NAME_MAX + 4])
{
    *store = NULL;
    size_t col = 0;
    while (col < t->column_count && strcmp(t->header[col] ? t->header[col] : "", "Name") != 0)
        col++;
    if (col == t->column_count || t->row_count == 0)
        return 0;
    *store = malloc(t->row_count * sizeof **store);
    if (!*store)
        return DEFIDX_ENOMEM;
    for (size_t r = 0; r < t->row_count; r++) {
        defidx_cell *cell = &t->cells[r * t->column_count + col];
        if (cell->kind != DEFIDX_CELL_TEXT || !cell->text)
            continue;
        cut_text(cell->text, TEXT_NAME_MAX, (*store)[r]);
        cell->text = (*store)[r];
    }
    return 0;
}

/* A table of report.txt or report.md: in Markdown as it is; in text with names cut and its
 * columns fitted to TEXT_WIDTH, the ticker (its first column) repeated in each part. */
static int emit_people_table(FILE *out, defidx_table *t, int fmt, defidx_error *err)
{
    defidx_emit_options eo;
    defidx_emit_options_init(&eo);
    if (fmt != DEFIDX_FORMAT_TABLE)
        return defidx_emit_table(out, t, fmt, &eo, err);
    char (*names)[4 * TEXT_NAME_MAX + 4];
    int rc = cut_names(t, &names);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = emit_fitted(out, t, 1, err);
    free(names);
    return rc;
}

/* ---- stale prices --------------------------------------------------------------------------------- */

/* The stale constituents in the result's order as "RHM.DE (2025-05-02), BA.L (2025-05-01)": as
 * text, its control characters escaped (dfx_text_put), or (html 1) as HTML, each entry in a span of
 * class "nw" that keeps it on one line. A new string the caller frees, or NULL when out of memory. */
static char *stale_list(const defidx_result *r, int html)
{
    dfx_membuf b;
    FILE *f = dfx_membuf_open(&b);
    if (!f)
        return NULL;
    const char *sep = "";
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        if (!k->stale)
            continue;
        char date[11];
        defidx_date_format(k->price_date, date);
        fprintf(f, "%s%s", sep, html ? "<span class=\"nw\">" : "");
        if (html)
            dfx_html_text(f, k->ticker);
        else
            dfx_text_put(f, k->ticker);
        fprintf(f, " (%s)%s", date, html ? "</span>" : "");
        sep = ", ";
    }
    dfx_membuf_close(f, &b);
    return b.data;
}

/* The banner at the head of report.txt, report.md and report.html when a price is stale: "Stale
 * prices: RHM.DE (2025-05-02), ...: carried more than 5 business days to 2025-08-01", wrapped to
 * TEXT_WIDTH in text, a block quote in Markdown, a paragraph of class "stale" in HTML. Nothing
 * when no price is stale. */
static int emit_stale_banner(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    const defidx_result *r = c->r;
    if (r->stale_constituents == 0)
        return 0;
    int html = fmt == DEFIDX_FORMAT_HTML;
    char *list = stale_list(r, html);
    if (!list)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    char tail[128];
    snprintf(tail, sizeof tail, ": carried more than %d business day%s to %s%s%s", r->max_gap,
             r->max_gap == 1 ? "" : "s", html ? "<span class=\"nw\">" : "", c->date,
             html ? "</span>" : "");
    if (html) {
        fprintf(out, "<p class=\"stale\" role=\"alert\"><strong>Stale prices:</strong> %s%s</p>\n",
                list, tail);
    } else if (fmt == DEFIDX_FORMAT_MD) {
        fprintf(out, "> **Stale prices:** %s%s\n\n", list, tail);
    } else {
        size_t n = strlen(list) + sizeof tail + 16;
        char *line = malloc(n);
        if (!line) {
            free(list);
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        }
        snprintf(line, n, "Stale prices: %s%s", list, tail);
        put_wrapped(out, line, TEXT_WIDTH, "  ");
        putc('\n', out);
        free(line);
    }
    free(list);
    return 0;
}

/* The suspect closes' banner: one-day spikes in the prices (a close 100 times too small for a day)
 * move the level, the all-time high and the returns around them, so the report says so where
 * people read it, not only in a warning on stderr. */
static void emit_spike_banner(FILE *out, const report_ctx *c, int fmt)
{
    const defidx_result *r = c->r;
    if (r->spike_count == 0)
        return;
    char text[256];
    snprintf(text, sizeof text,
             "%zu close%s in the prices move%s and revert%s the next day, a one-day spike: the levels "
             "and returns around %s are suspect (defidx check names each row)",
             r->spike_count, r->spike_count == 1 ? "" : "s", r->spike_count == 1 ? "s" : "",
             r->spike_count == 1 ? "s" : "", r->spike_count == 1 ? "it" : "them");
    if (fmt == DEFIDX_FORMAT_HTML) {
        fputs("<p class=\"stale\" role=\"alert\"><strong>Suspect closes:</strong> ", out);
        dfx_html_text(out, text);
        fputs("</p>\n", out);
    } else if (fmt == DEFIDX_FORMAT_MD) {
        fprintf(out, "> **Suspect closes:** %s\n\n", text);
    } else {
        char line[300];
        snprintf(line, sizeof line, "Suspect closes: %s", text);
        put_wrapped(out, line, TEXT_WIDTH, "  ");
        putc('\n', out);
    }
}

/* ---- report.txt and report.md ------------------------------------------------------------------- */

/* The title block of compute's report; in report.txt a line longer than TEXT_WIDTH (a long index
 * name) is wrapped. */
static int emit_title(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    if (fmt != DEFIDX_FORMAT_TABLE) {
        dfx_result_title(out, c->r, 1);
        return 0;
    }
    dfx_membuf b;
    FILE *f = dfx_membuf_open(&b);
    if (!f)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    dfx_result_title(f, c->r, 0);
    if (dfx_membuf_close(f, &b))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    char *text = b.data;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (text_width(line, strlen(line)) > TEXT_WIDTH)
            put_wrapped(out, line, TEXT_WIDTH, "  ");
        else
            fprintf(out, "%s\n", line);
        line = nl ? nl + 1 : line + strlen(line);
    }
    free(text);
    return 0;
}

/* Both movers sections in fmt (TABLE or MD), each under its heading; an empty list says so. */
static int emit_movers(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    if (c->wtd < 0)
        return 0;
    const size_t *lists[2] = {c->top, c->bottom};
    const size_t counts[2] = {c->top_count, c->bottom_count};
    for (int s = 0; s < 2; s++) {
        fprintf(out, "\n%s%s\n\n", fmt == DEFIDX_FORMAT_MD ? "### " : "", movers_titles[s]);
        if (counts[s] == 0) {
            fprintf(out, "%s\n", movers_none[s && c->top_count]);
            continue;
        }
        defidx_table t;
        int rc = movers_table(c, lists[s], counts[s], &t);
        if (rc)
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        else
            rc = emit_people_table(out, &t, fmt, err);
        defidx_table_free(&t);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the countries ------------------------------------------------------------------------------ */

/* The country breakdown of the week's and the year's move (wtd and ytd: each group's return and
 * contribution) into gt; 0, 1 when the result has no such breakdown or periods, or DEFIDX_ENOMEM. */
static int country_table(const report_ctx *c, dfx_group_table *gt)
{
    const defidx_result *r = c->r;
    const defidx_breakdown *b = dfx_breakdown_of(r, DEFIDX_GROUP_COUNTRY);
    dfx_group_column cols[4];
    size_t n = 0;
    for (size_t k = 0; k < r->period_count; k++)
        if (r->periods[k].kind == DEFIDX_PERIOD_WTD || r->periods[k].kind == DEFIDX_PERIOD_YTD) {
            cols[n++] = (dfx_group_column){k, 0};
            cols[n++] = (dfx_group_column){k, 1};
        }
    if (!b || n == 0)
        return 1;
    return dfx_group_table_build(r, b, cols, n, gt);
}

static const char country_heading[] = "By country: the week and the year";

/* The country table in report.txt (TABLE) or report.md (MD), under its heading. */
static int emit_countries(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    dfx_group_table gt;
    int rc = country_table(c, &gt);
    if (rc == 1)
        return 0;
    if (rc)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    fprintf(out, "\n%s%s\n\n", fmt == DEFIDX_FORMAT_MD ? "### " : "", country_heading);
    rc = emit_people_table(out, &gt.table, fmt, err);
    defidx_table_free(&gt.table);
    char note[400];
    dfx_breakdowns_note(c->r, note, sizeof note);
    if (!rc) { /* report.txt keeps to TEXT_WIDTH; Markdown wraps itself */
        putc('\n', out);
        if (fmt == DEFIDX_FORMAT_MD)
            fputs(note, out);
        else
            put_wrapped(out, note, TEXT_WIDTH, "");
        putc('\n', out);
    }
    return rc;
}

/* ---- the statistics ------------------------------------------------------------------------------ */

/* The sections of the statistics the reports show, in this order: what a reader of a daily report
 * looks at (the trailing returns and the risk figures are stats' own, and stats.json's). */
static int report_part(const report_ctx *c, size_t k)
{
    static const int parts[] = {DFX_STATS_SUMMARY, DFX_STATS_DRAWDOWNS, DFX_STATS_CALENDAR, DFX_STATS_TRAILING,
                                DFX_STATS_BENCHMARK};
    if (k >= sizeof parts / sizeof *parts)
        return -1;
    /* the trailing returns beside the benchmark's, and the comparison, only with a benchmark */
    if ((parts[k] == DFX_STATS_TRAILING || parts[k] == DFX_STATS_BENCHMARK) && !c->stats.stats->has_benchmark)
        return -2;
    return parts[k];
}

/* The statistics in report.txt (fmt TABLE, fitted to TEXT_WIDTH) or report.md (MD). */
static int emit_statistics(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    int md = fmt == DEFIDX_FORMAT_MD, rc = 0, part;
    char start[11], end[11];
    defidx_date_format(c->stats.stats->start, start);
    defidx_date_format(c->stats.stats->end, end);
    fprintf(out, "\n%sStatistics, %s to %s", md ? "### " : "", start[0] ? start : "-", end[0] ? end : "-");
    if (c->stats.benchmark) {
        fputs(", against ", out);
        dfx_text_put(out, c->stats.benchmark); /* a name from the data: escaped */
    }
    putc('\n', out);
    for (size_t k = 0; !rc && (part = report_part(c, k)) != -1; k++) {
        if (part < 0)
            continue;
        const char *heading;
        defidx_table t;
        if (dfx_stats_section(&c->stats, part, &heading, &t))
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        fprintf(out, "\n%s%s\n\n", md ? "#### " : "", heading);
        rc = emit_people_table(out, &t, fmt, err);
        defidx_table_free(&t);
    }
    return rc;
}

/* report.txt (fmt TABLE, no colour, no line over TEXT_WIDTH) and report.md (fmt MD): the title
 * block, the stale prices' banner, the periods and constituents tables, the movers, the
 * statistics, the stamp. */
static int render_people(FILE *out, const report_ctx *c, int fmt, defidx_error *err)
{
    defidx_table periods;
    dfx_members members;
    int rc = emit_title(out, c, fmt, err);
    if (!rc)
        rc = emit_stale_banner(out, c, fmt, err);
    if (!rc)
        emit_spike_banner(out, c, fmt);
    if (rc)
        return rc;
    if (dfx_result_tables(c->r, fmt, &periods, &members))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    rc = emit_people_table(out, &periods, fmt, err);
    if (!rc) {
        putc('\n', out);
        rc = emit_people_table(out, &members.table, fmt, err);
    }
    if (!rc) /* what the marks in the table mean: a line per stale price */
        rc = dfx_members_notes(out, c->r, &members, fmt, TEXT_WIDTH, err);
    defidx_table_free(&periods);
    dfx_members_free(&members);
    if (!rc)
        rc = emit_movers(out, c, fmt, err);
    if (!rc)
        rc = emit_countries(out, c, fmt, err);
    if (!rc)
        rc = emit_statistics(out, c, fmt, err);
    if (rc)
        return rc;
    if (fmt == DEFIDX_FORMAT_MD)
        fputs("\n### Chart\n\n![chart](chart.svg)\n", out);
    if (c->o->stamp)
        fprintf(out, "\nGenerated %s\n", c->o->stamp);
    return 0;
}

static int render_txt(FILE *out, const report_ctx *c, defidx_error *err)
{
    return render_people(out, c, DEFIDX_FORMAT_TABLE, err);
}

static int render_md(FILE *out, const report_ctx *c, defidx_error *err)
{
    return render_people(out, c, DEFIDX_FORMAT_MD, err);
}

/* ---- the machine files ---------------------------------------------------------------------------- */

static const char *returns_header[] = {"period", "base_date", "base_level", "return"};

/* returns.csv: one row per period of the index, full precision, fractions, empty when missing. */
static int render_returns_csv(FILE *out, const report_ctx *c, defidx_error *err)
{
    const defidx_result *r = c->r;
    defidx_table t;
    int rc = defidx_table_init(&t, 4, returns_header) ? DEFIDX_ENOMEM : 0;
    for (size_t k = 0; !rc && k < r->period_count; k++) {
        defidx_cell *row = defidx_table_add_row(&t);
        if (!row) {
            rc = DEFIDX_ENOMEM;
            break;
        }
        row[0] = defidx_cell_text(r->periods[k].name);
        row[1] = defidx_cell_date(r->periods[k].base_date);
        row[2] = defidx_cell_number(r->periods[k].base_value, 4);
        row[3] = defidx_cell_percent(r->periods[k].ret, 2);
    }
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t, DEFIDX_FORMAT_CSV, NULL, err);
    defidx_table_free(&t);
    return rc;
}

/* returns.json: the compute report of docs/formats.md "compute -O json". */
static int render_returns_json(FILE *out, const report_ctx *c, defidx_error *err)
{
    return defidx_emit_result(out, c->r, DEFIDX_FORMAT_JSON, NULL, err);
}

/* constituents.csv: ticker, name, currency, price, price_date, weight, then return_P and
 * contribution_P for each period P, then stale (true or false; appended, so that readers of the
 * columns before it by position still read them). The header names live in names until emitted. */
static int render_constituents_csv(FILE *out, const report_ctx *c, defidx_error *err)
{
    static const char *fixed[] = {"ticker", "name", "currency", "price", "price_date", "weight"};
    enum { FIXED = sizeof fixed / sizeof fixed[0] };
    const defidx_result *r = c->r;
    size_t np = r->period_count, columns = FIXED + 2 * np + 1;
    const char **header = malloc(columns * sizeof *header);
    char (*names)[48] = malloc((np ? 2 * np : 1) * sizeof *names);
    defidx_table t;
    memset(&t, 0, sizeof t);
    int rc = header && names ? 0 : DEFIDX_ENOMEM;
    if (!rc) {
        memcpy(header, fixed, sizeof fixed);
        for (size_t k = 0; k < np; k++) {
            snprintf(names[2 * k], sizeof names[0], "return_%s", r->periods[k].name);
            snprintf(names[2 * k + 1], sizeof names[0], "contribution_%s", r->periods[k].name);
            header[FIXED + 2 * k] = names[2 * k];
            header[FIXED + 2 * k + 1] = names[2 * k + 1];
        }
        header[columns - 1] = "stale";
        rc = defidx_table_init(&t, columns, header) ? DEFIDX_ENOMEM : 0;
    }
    for (size_t i = 0; !rc && i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        defidx_cell *row = defidx_table_add_row(&t);
        if (!row) {
            rc = DEFIDX_ENOMEM;
            break;
        }
        row[0] = defidx_cell_text(k->ticker);
        row[1] = defidx_cell_text(k->name);
        row[2] = defidx_cell_text(k->currency);
        row[3] = defidx_cell_number(k->price, 4);
        row[4] = defidx_cell_date(k->price_date);
        row[5] = defidx_cell_share(k->weight, 2);
        for (size_t p = 0; p < np; p++) {
            row[FIXED + 2 * p] = defidx_cell_percent(k->periods ? k->periods[p].ret : NAN, 2);
            row[FIXED + 2 * p + 1] =
                defidx_cell_percent(k->contribution ? k->contribution[p] : NAN, 2);
        }
        row[columns - 1] = defidx_cell_number(k->stale, 0); /* 1 or 0, as in compute's CSV */
    }
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    else
        rc = defidx_emit_table(out, &t, DEFIDX_FORMAT_CSV, NULL, err);
    defidx_table_free(&t);
    free((void *)header);
    free(names);
    return rc;
}

/* chart.svg: the level from the base date to the as-of date, with the periods' bases marked. */
static int render_chart(FILE *out, const report_ctx *c, defidx_error *err)
{
    defidx_chart_options co;
    defidx_chart_options_init(&co);
    return defidx_chart_svg(out, c->r, c->o->chart ? c->o->chart : &co, err);
}

/* ---- report.html ----------------------------------------------------------------------------------- */

/* The page is written by hand from the result rather than around defidx_emit_result_opt's HTML,
 * which is a whole document of its own: one page, one stylesheet, and classes for the colours of
 * gains and losses. Everything it needs is inline, so that it can be mailed as it is. */
static const char html_style[] =
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--up:#1a7f37;"
    "--down:#cf222e;--accent:#0b3d91}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:#eef1f5;color:var(--fg);"
    "font:14px/1.45 -apple-system,BlinkMacSystemFont,\"Segoe UI\",Helvetica,Arial,sans-serif}\n"
    "main{max-width:1120px;margin:24px auto;padding:28px 32px;background:#fff;"
    "border:1px solid var(--line);border-radius:8px}\n"
    "header{border-bottom:3px solid var(--accent);padding-bottom:12px;margin-bottom:20px}\n"
    "h1{margin:0;font-size:24px;color:var(--accent)}\n"
    "h2{font-size:16px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}\n"
    ".sub{margin:4px 0 0;color:var(--muted)}\n"
    ".nw{white-space:nowrap}\n"
    ".stale{margin:0 0 20px;padding:10px 14px;border:1px solid #d4a72c;border-left-width:4px;"
    "border-radius:6px;background:#fff8c5}\n"
    /* cards in a grid: equal widths, as many a row as fit; values and dates never broken */
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:10px}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:var(--soft)}\n"
    ".card .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;"
    "white-space:nowrap}\n"
    ".card .value{font-size:19px;font-weight:600;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    ".card .note{font-size:12px;color:var(--muted);white-space:nowrap}\n"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap;"
    "vertical-align:top}\n"
    "th{background:var(--soft);font-size:12px;color:var(--muted);font-weight:600}\n"
    "th .hint{font-weight:400}\n"
    "td.num,th.num{text-align:right}\n"
    /* names wrap, so that a long one takes height rather than width */
    "td.who{white-space:normal;min-width:10em}\n"
    ".who .name{display:block;color:var(--muted);font-size:12px}\n"
    ".ccy{color:var(--muted);font-size:11px}\n"
    ".contrib{display:block;font-size:12px}\n"
    ".flag{display:inline-block;margin-left:6px;padding:0 5px;border:1px solid #d4a72c;"
    "border-radius:4px;background:#fff8c5;color:#6a4a00;font-size:11px;white-space:nowrap}\n"
    "table.compact{width:auto;min-width:50%}\n"
    "table.compact td,table.compact th{padding:5px 18px 5px 8px}\n"
    "tbody tr:nth-child(even){background:#fbfcfd}\n"
    ".up{color:var(--up)}\n"
    ".down{color:var(--down)}\n"
    ".movers{display:flex;flex-wrap:wrap;gap:24px}\n"
    ".movers>div{flex:1 1 420px;min-width:0}\n"
    ".movers td.name{white-space:normal}\n"
    ".wide{overflow-x:auto}\n"
    "h3{font-size:14px;margin:18px 0 8px;color:var(--muted)}\n"
    /* the statistics' tables (dfx_html_table): signed returns coloured like the others */
    ".stats table{width:auto;min-width:50%}\n"
    ".pos{color:var(--up)}\n"
    ".neg{color:var(--down)}\n"
    "figure{margin:0}\n"
    "figure svg,figure img{display:block;width:100%;height:auto}\n"
    "footer{margin-top:28px;color:var(--muted);font-size:12px}\n";

/* Writes s with the characters HTML gives a meaning escaped. */
static void html_text(FILE *out, const char *s)
{
    dfx_html_text(out, s); /* the emitters' escaping: control bytes flattened, bad UTF-8 replaced */
}

/* x with `decimals` decimals, or "-" when missing. */
static const char *fixed_text(double x, int decimals, char *buf, size_t size)
{
    if (defidx_number_fixed(x, decimals, buf, size) == 0)
        snprintf(buf, size, "-");
    return buf;
}

/* A fraction as a percentage with 2 decimals: signed (+1.23%) for a return, plain for a weight;
 * "-" when missing. *cls receives "up", "down" or "" for the colour of a return. */
static const char *percent_text(double x, int sign, char *buf, size_t size, const char **cls)
{
    char digits[64];
    *cls = "";
    if (defidx_number_fixed(x * 100, 2, digits, sizeof digits) == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    const char *d = digits;
    int negative = d[0] == '-' && strspn(d + 1, "0.") != strlen(d + 1);
    if (d[0] == '-')
        d++; /* "-0.00" is no loss */
    int positive = !negative && strspn(d, "0.") != strlen(d);
    if (sign && (positive || negative))
        *cls = positive ? "up" : "down";
    snprintf(buf, size, "%s%s%%", negative ? "-" : sign && positive ? "+" : "", d);
    return buf;
}

/* A table cell holding a return. */
static void td_return(FILE *out, double x)
{
    char buf[80];
    const char *cls;
    percent_text(x, 1, buf, sizeof buf, &cls);
    fprintf(out, "<td class=\"num%s%s\">%s</td>", cls[0] ? " " : "", cls, buf);
}

/* The date of a period of a kind with one period per date, as its name writes it after the
 * colon ("since:2022-02-23"); "" when the name has none. */
static const char *period_date_text(const defidx_period *p)
{
    const char *colon = strchr(p->name, ':');
    return colon ? colon + 1 : "";
}

/* How a period is called for people: "Week to date" for wtd, "Since 2022-02-23", ...; a period
 * of an unknown kind by its name. */
static void period_label(FILE *out, const defidx_period *p)
{
    const dfx_period_info *kind = dfx_period_kind_info(p->kind);
    if (!kind->label[0]) {
        html_text(out, p->name);
        return;
    }
    fputs(kind->label, out);
    if (kind->one_per_date) {
        putc(' ', out);
        html_text(out, period_date_text(p));
    }
}

/* A period's name on a card, where the base date is written below it: "Day", "Week", ... */
static void period_card_label(FILE *out, const defidx_period *p)
{
    const dfx_period_info *kind = dfx_period_kind_info(p->kind);
    if (kind->card_label[0])
        fputs(kind->card_label, out);
    else
        html_text(out, p->name);
}

/* A period's name as a column heading: "1d", "wtd", ..., "since" above "2022-02-23" (two short
 * lines keep the column as narrow as its numbers). */
static void period_heading(FILE *out, const defidx_period *p)
{
    const dfx_period_info *kind = dfx_period_kind_info(p->kind);
    if (kind->one_per_date) {
        html_text(out, kind->name);
        fputs("<br>", out);
        html_text(out, period_date_text(p));
    } else {
        html_text(out, p->name);
    }
}

/* The title, the stale prices' banner, the key figures as cards and the periods table. */
static int html_summary(FILE *out, const report_ctx *c, defidx_error *err)
{
    const defidx_result *r = c->r;
    char buf[80], date[11];
    const char *cls;
    fputs("<header><h1>", out);
    html_text(out, r->name[0] ? r->name : "Index");
    fputs("</h1><p class=\"sub\">", out);
    html_text(out, r->currency);
    fputs(" &middot; ", out);
    html_text(out, r->return_type ? r->return_type : "price");
    fputs(" return &middot; ", out);
    html_text(out, defidx_weighting_name(r->weighting));
    fprintf(out, " weighting &middot; as of <span class=\"nw\">%s</span></p></header>\n", c->date);
    int rc = emit_stale_banner(out, c, DEFIDX_FORMAT_HTML, err);
    if (!rc)
        emit_spike_banner(out, c, DEFIDX_FORMAT_HTML);
    if (rc)
        return rc;

    fputs("<section class=\"cards\">\n", out);
    fprintf(out, "<div class=\"card\"><div class=\"label\">Level</div><div class=\"value\">%s</div>"
                 "<div class=\"note\">%s</div></div>\n",
            fixed_text(r->level, 2, buf, sizeof buf), c->date);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        fputs("<div class=\"card\"><div class=\"label\">", out);
        period_card_label(out, p);
        percent_text(p->ret, 1, buf, sizeof buf, &cls);
        fprintf(out, "</div><div class=\"value%s%s\">%s</div>", cls[0] ? " " : "", cls, buf);
        defidx_date_format(p->base_date, date);
        fprintf(out, "<div class=\"note\">from %s</div></div>\n", date[0] ? date : "-");
    }
    defidx_date_format(r->ath_date, date);
    fprintf(out, "<div class=\"card\"><div class=\"label\">All-time high</div>"
                 "<div class=\"value\">%s</div><div class=\"note\">on %s</div></div>\n",
            fixed_text(r->ath_level, 2, buf, sizeof buf), date[0] ? date : "-");
    percent_text(r->drawdown, 1, buf, sizeof buf, &cls);
    fprintf(out, "<div class=\"card\"><div class=\"label\">Drawdown</div>"
                 "<div class=\"value%s%s\">%s</div><div class=\"note\">from the high</div></div>\n",
            cls[0] ? " " : "", cls, buf);
    fputs("</section>\n", out);

    fputs("<h2>Returns</h2>\n<table class=\"compact\">\n<thead><tr><th>Period</th><th class=\"num\">Base date</th>"
          "<th class=\"num\">Base level</th><th class=\"num\">Return</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        fputs("<tr><td>", out);
        period_label(out, p);
        defidx_date_format(p->base_date, date);
        fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
                date[0] ? date : "-", fixed_text(p->base_value, 2, buf, sizeof buf));
        td_return(out, p->ret);
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
    return 0;
}

/* The chart: the PNG beside the page when there is one (mail shows no SVG), else the SVG inline
 * (without its XML declaration, which has no place inside HTML). */
static void html_chart(FILE *out, const report_ctx *c)
{
    const defidx_result *r = c->r;
    char base[11];
    defidx_date_format(r->base_date, base);
    fputs("<h2>Chart</h2>\n<figure>\n", out);
    if (c->has_png) {
        fputs("<img src=\"chart.png\" alt=\"", out);
        html_text(out, r->name[0] ? r->name : "Index");
        fprintf(out, ": level from %s to %s\">\n", base[0] ? base : "the base date", c->date);
    } else {
        const char *svg = c->svg, *end = c->svg + c->svg_len;
        const char *at = NULL;
        for (const char *s = svg; s + 4 <= end; s++)
            if (memcmp(s, "<svg", 4) == 0) {
                at = s;
                break;
            }
        if (at)
            fwrite(at, 1, (size_t)(end - at), out);
        if (c->svg_len && end[-1] != '\n')
            putc('\n', out);
    }
    fputs("</figure>\n", out);
}

/* The movers, side by side. */
static void html_movers(FILE *out, const report_ctx *c)
{
    if (c->wtd < 0)
        return;
    const size_t *lists[2] = {c->top, c->bottom};
    const size_t counts[2] = {c->top_count, c->bottom_count};
    char buf[80];
    const char *cls;
    fputs("<section class=\"movers\">\n", out);
    for (int s = 0; s < 2; s++) {
        fprintf(out, "<div>\n<h2>%s</h2>\n", movers_titles[s]);
        if (counts[s] == 0) {
            fprintf(out, "<p>%s</p>\n</div>\n", movers_none[s && c->top_count]);
            continue;
        }
        fputs("<table>\n<thead><tr><th>Ticker</th><th>Name</th><th class=\"num\">Weight</th>"
              "<th class=\"num\">wtd</th><th class=\"num\">Contrib wtd</th></tr></thead>\n<tbody>\n",
              out);
        for (size_t i = 0; i < counts[s]; i++) {
            const defidx_constituent *k = &c->r->constituents[lists[s][i]];
            fputs("<tr><td>", out);
            html_text(out, k->ticker);
            fputs("</td><td class=\"name\">", out);
            html_text(out, k->name);
            fprintf(out, "</td><td class=\"num\">%s</td>",
                    percent_text(k->weight, 0, buf, sizeof buf, &cls));
            td_return(out, k->periods[c->wtd].ret);
            td_return(out, k->contribution ? k->contribution[c->wtd] : NAN);
            fputs("</tr>\n", out);
        }
        fputs("</tbody>\n</table>\n</div>\n", out);
    }
    fputs("</section>\n", out);
}

/* The country breakdown of the week and the year. 0 or DEFIDX_ENOMEM. */
static int html_countries(FILE *out, const report_ctx *c)
{
    dfx_group_table gt;
    int rc = country_table(c, &gt);
    if (rc == 1)
        return 0;
    if (rc)
        return rc;
    fprintf(out, "<section>\n<h2>%s</h2>\n", country_heading);
    rc = dfx_html_table(out, &gt.table, 1);
    char note[400];
    dfx_breakdowns_note(c->r, note, sizeof note);
    fputs("<p>", out);
    html_text(out, note);
    fputs("</p>\n</section>\n", out);
    defidx_table_free(&gt.table);
    return rc;
}

/* A span of class "contrib" holding a contribution, coloured as a return. */
static void put_contribution(FILE *out, double x)
{
    char buf[80];
    const char *cls;
    percent_text(x, 1, buf, sizeof buf, &cls);
    fprintf(out, "<span class=\"contrib%s%s\">%s</span>", cls[0] ? " " : "", cls, buf);
}

/* The constituent's cell: the ticker, a flag with the price's date when it is stale, the name
 * below (it may wrap). */
static void td_constituent(FILE *out, const defidx_constituent *k)
{
    fputs("<td class=\"who\"><b>", out);
    html_text(out, k->ticker);
    fputs("</b>", out);
    if (k->stale) {
        char date[11];
        defidx_date_format(k->price_date, date);
        fprintf(out, "<span class=\"flag\" title=\"the last price, carried to the as-of date\">"
                     "stale %s</span>", date[0] ? date : "-");
    }
    if (k->name[0]) {
        fputs("<span class=\"name\">", out);
        html_text(out, k->name);
        fputs("</span>", out);
    }
    fputs("</td>", out);
}

/* The constituents table, narrower than the text report's so that it fits a page of 1280 px with
 * no sideways scrolling: the name under the ticker, the currency after the price, and each
 * period's contribution, where one is shown, under its return (headed "contrib."). */
static void html_constituents(FILE *out, const report_ctx *c)
{
    const defidx_result *r = c->r;
    char buf[80];
    const char *cls;
    fputs("<h2>Constituents</h2>\n<div class=\"wide\">\n<table>\n<thead><tr><th>Constituent</th>"
          "<th class=\"num\">Price</th><th class=\"num\">Weight</th>",
          out);
    for (size_t k = 0; k < r->period_count; k++) {
        const defidx_period *p = &r->periods[k];
        fputs("<th class=\"num\">", out);
        period_heading(out, p);
        if (dfx_period_kind_info(p->kind)->shows_contribution)
            fputs("<br><span class=\"hint\">contrib.</span>", out);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < r->constituent_count; i++) {
        const defidx_constituent *k = &r->constituents[i];
        fputs("<tr>", out);
        td_constituent(out, k);
        fprintf(out, "<td class=\"num\">%s<span class=\"ccy\"> ", fixed_text(k->price, 2, buf, sizeof buf));
        html_text(out, k->currency);
        fprintf(out, "</span></td><td class=\"num\">%s</td>", percent_text(k->weight, 0, buf, sizeof buf, &cls));
        for (size_t p = 0; p < r->period_count; p++) {
            percent_text(k->periods ? k->periods[p].ret : NAN, 1, buf, sizeof buf, &cls);
            fprintf(out, "<td class=\"num\"><span class=\"%s\">%s</span>", cls, buf);
            if (dfx_period_kind_info(r->periods[p].kind)->shows_contribution)
                put_contribution(out, k->contribution ? k->contribution[p] : NAN);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</div>\n", out);
}

/* The statistics' sections as tables, each in a wrapper that scrolls on a narrow screen. */
static int html_statistics(FILE *out, const report_ctx *c)
{
    char start[11], end[11];
    defidx_date_format(c->stats.stats->start, start);
    defidx_date_format(c->stats.stats->end, end);
    fprintf(out, "<h2>Statistics, %s to %s", start[0] ? start : "-", end[0] ? end : "-");
    if (c->stats.benchmark) {
        fputs(", against ", out);
        html_text(out, c->stats.benchmark);
    }
    fputs("</h2>\n", out);
    int part;
    for (size_t k = 0; (part = report_part(c, k)) != -1; k++) {
        if (part < 0)
            continue;
        const char *heading;
        defidx_table t;
        if (dfx_stats_section(&c->stats, part, &heading, &t))
            return DEFIDX_ENOMEM;
        fprintf(out, "<h3>%s</h3>\n<div class=\"wide stats\">\n", heading);
        int rc = dfx_html_table(out, &t, 1);
        fputs("</div>\n", out);
        defidx_table_free(&t);
        if (rc)
            return rc;
    }
    return 0;
}

static int render_html(FILE *out, const report_ctx *c, defidx_error *err)
{
    const defidx_result *r = c->r;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    html_text(out, r->name[0] ? r->name : "Index");
    fprintf(out, " &ndash; %s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", c->date,
            html_style);
    int rc = html_summary(out, c, err);
    if (rc)
        return rc;
    html_chart(out, c);
    html_movers(out, c);
    if (html_countries(out, c))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    html_constituents(out, c);
    if (html_statistics(out, c))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    fputs("<footer>defidx " DEFIDX_VERSION, out);
    if (c->o->stamp) {
        fputs(" &middot; Generated ", out);
        html_text(out, c->o->stamp);
    }
    fputs("</footer>\n</main>\n</body>\n</html>\n", out);
    return 0;
}


static int render_stats_json(FILE *out, const report_ctx *c, defidx_error *err)
{
    return defidx_emit_stats(out, &c->stats, DEFIDX_FORMAT_JSON, NULL, err);
}

static int render_xlsx(FILE *out, const report_ctx *c, defidx_error *err)
{
    return dfx_report_write_xlsx(out, c->r, &c->stats, err);
}

/* factsheet.html: the parts the report was given, its result and statistics the report's own. */
static int render_factsheet(FILE *out, const report_ctx *c, defidx_error *err)
{
    defidx_factsheet f = {.cap = NAN, .reference = DEFIDX_NO_DATE};
    if (c->o->version >= 2 && c->o->factsheet)
        f = *c->o->factsheet;
    f.result = c->r;
    f.stats = c->stats.stats;
    return defidx_emit_factsheet(out, &f, err);
}

static const char *const report_file_names[DEFIDX_REPORT_FILE_COUNT] = {
    "returns.csv", "returns.json", "constituents.csv", "chart.svg", "report.txt", "report.md",
    "report.html", "stats.json", "report.xlsx", "factsheet.html"};

const char *defidx_report_file_name(int file)
{
    return file >= 0 && file < DEFIDX_REPORT_FILE_COUNT ? report_file_names[file] : NULL;
}

void defidx_report_options_init(defidx_report_options *o)
{
    memset(o, 0, sizeof *o);
    o->version = DEFIDX_OPTIONS_VERSION;
}

int defidx_emit_report(FILE *out, const defidx_result *r, int file, const defidx_report_options *o,
                       defidx_error *err)
{
    typedef int (*render_fn)(FILE *, const report_ctx *, defidx_error *);
    static const render_fn fns[DEFIDX_REPORT_FILE_COUNT] = {
        [DEFIDX_REPORT_RETURNS_CSV] = render_returns_csv,
        [DEFIDX_REPORT_RETURNS_JSON] = render_returns_json,
        [DEFIDX_REPORT_CONSTITUENTS_CSV] = render_constituents_csv,
        [DEFIDX_REPORT_CHART_SVG] = render_chart,
        [DEFIDX_REPORT_TXT] = render_txt,
        [DEFIDX_REPORT_MD] = render_md,
        [DEFIDX_REPORT_HTML] = render_html,
        [DEFIDX_REPORT_STATS_JSON] = render_stats_json,
        [DEFIDX_REPORT_XLSX] = render_xlsx,
        [DEFIDX_REPORT_FACTSHEET_HTML] = render_factsheet};
    defidx_report_options defaults;
    if (!o) {
        defidx_report_options_init(&defaults);
        o = &defaults;
    }
    if (dfx_options_version(o->version, "report options", err))
        return DEFIDX_EUSAGE;
    if (file < 0 || file >= DEFIDX_REPORT_FILE_COUNT)
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "unknown report file %d", file);
    report_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.r = r;
    defidx_date_format(r->as_of, c.date);
    c.has_png = o->chart_png;
    c.svg = o->chart_svg ? o->chart_svg : "";
    c.svg_len = o->chart_svg ? o->chart_svg_len : 0;
    if (find_movers(&c))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    defidx_stats *own = NULL;
    if (!o->stats) {
        defidx_level_series levels = {r->date_count, r->dates, r->levels};
        defidx_stats_options so;
        defidx_stats_options_init(&so);
        so.end = r->as_of;
        int rc = defidx_stats_compute(&levels, NULL, &so, &own, err);
        if (rc)
            return rc;
    }
    c.stats = (defidx_stats_report){r->name[0] ? r->name : "Index", r->currency,
                                    o->stats && o->stats->has_benchmark ? o->benchmark : NULL,
                                    o->stats ? o->stats : own, 0, NULL, NULL, &r->warnings};
    int rc = fns[file](out, &c, err);
    defidx_stats_free(own);
    return rc ? rc : dfx_emit_finish(out, err);
}
