/* emit_table.c: prints a defidx_table in the six output formats: an aligned table (optionally in
 * colour), Markdown and an HTML document for people, TSV, CSV (RFC 4180) and JSON for programs.
 * Machine formats carry full precision and fractions; the formats for people round to each cell's
 * decimals and show percentages. */
#include "emit/emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Room for any number printf can produce with up to 20 decimals, plus sign and suffix. */
#define CELL_BUF 512

/* ---- shared JSON scalars and the write check (declared in emit.h) ---------------------------- */

void dfx_json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
    while (*p) {
        /* a run of bytes written as they are, in one call: a report has thousands of strings */
        const unsigned char *run = p;
        size_t n;
        while (*p && *p != '"' && *p != '\\' && *p >= 0x20 && (n = dfx_utf8_sequence(p)) != 0)
            p += n;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), out);
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            putc('\\', out);
            putc(*p++, out);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", (unsigned)*p++);
        } else {
            fputs("\\ufffd", out); /* not UTF-8 */
            p++;
        }
    }
    putc('"', out);
}

void dfx_json_number(FILE *out, double x)
{
    char buf[64];
    if (defidx_number_format(x, 15, buf, sizeof buf) == 0)
        fputs("null", out);
    else
        fputs(buf, out);
}

void dfx_json_warning_texts(FILE *out, const defidx_warnings *w, const char *indent)
{
    size_t count = w ? w->count : 0, suppressed = w ? w->suppressed : 0;
    const char *first = indent ? indent : "", *next = indent ? indent : " ";
    putc('[', out);
    for (size_t i = 0; i < count; i++) {
        fputs(i ? "," : "", out);
        fputs(i ? next : first, out);
        dfx_json_string(out, w->items[i]);
    }
    if (suppressed) {
        char text[64];
        snprintf(text, sizeof text, "%zu more warnings not shown", suppressed);
        fputs(count ? "," : "", out);
        fputs(count ? next : first, out);
        dfx_json_string(out, text);
    }
    if (indent && (count || suppressed)) /* the bracket under the key: indent less one level */
        fprintf(out, "%.*s", (int)(strlen(indent) > 2 ? strlen(indent) - 2 : 0), indent);
    putc(']', out);
}

void dfx_json_date(FILE *out, int32_t date)
{
    char buf[11];
    if (date == DEFIDX_NO_DATE) {
        fputs("null", out);
        return;
    }
    defidx_date_format(date, buf);
    fprintf(out, "\"%s\"", buf);
}

int dfx_emit_finish(FILE *out, defidx_error *err)
{
    errno = 0;
    if (fflush(out) == 0 && !ferror(out))
        return 0;
    return defidx_error_set(err, DEFIDX_EWRITE, NULL, 0, 0, "cannot write output: %s",
                            errno ? strerror(errno) : "write error");
}

/* ---- cell text --------------------------------------------------------------------------------- */

/* The text of a cell in TSV and CSV: full precision, fractions, ISO dates, "" when missing. */
static const char *machine_text(const defidx_cell *c, char *buf, size_t size)
{
    buf[0] = '\0';
    switch (c->kind) {
    case DEFIDX_CELL_TEXT:
        return c->text ? c->text : "";
    case DEFIDX_CELL_NUMBER:
        defidx_number_format(c->number, 15, buf, size);
        return buf;
    case DEFIDX_CELL_DATE:
        defidx_date_format(c->date, buf);
        return buf;
    default:
        return "";
    }
}

/* A number for people: `decimals` decimals (15 significant digits when negative); a percent is
 * multiplied by 100 and suffixed with %, and a return (percent 1) always shows its sign.
 * "" when not finite. */
static void human_number(const defidx_cell *c, char *buf, size_t size)
{
    double x = c->percent ? c->number * 100 : c->number;
    int n = c->decimals < 0 ? defidx_number_format(x, 15, buf + 1, size - 2)
                            : defidx_number_fixed(x, c->decimals, buf + 1, size - 2);
    if (n == 0) {
        buf[0] = '\0';
        return;
    }
    if (c->percent == 1 && buf[1] != '-') {
        buf[0] = '+';
        n++;
    } else {
        memmove(buf, buf + 1, (size_t)n + 1);
    }
    if (c->percent) {
        buf[n] = '%';
        buf[n + 1] = '\0';
    }
}

/* The text of a cell for people; a missing value of any kind is `missing`. */
static const char *human_text(const defidx_cell *c, char *buf, size_t size, const char *missing)
{
    buf[0] = '\0';
    switch (c->kind) {
    case DEFIDX_CELL_TEXT:
        return c->text ? c->text : missing;
    case DEFIDX_CELL_NUMBER:
        human_number(c, buf, size);
        break;
    case DEFIDX_CELL_DATE:
        defidx_date_format(c->date, buf);
        break;
    default:
        break;
    }
    return buf[0] ? buf : missing;
}

/* Width of s on a terminal as the people's formats write it (escaped, see dfx_text_put). */
size_t dfx_display_width(const char *s)
{
    return dfx_text_width_n(s, strlen(s));
}

/* Continuation lines of dfx_put_wrapped start with this, so that a wrapped note reads as one. */
#define WRAP_INDENT "  "

void dfx_put_wrapped(FILE *out, const char *text, size_t width)
{
    size_t column = 0;
    const char *p = text;
    while (*p) {
        size_t blanks = strspn(p, " ");
        const char *word = p + blanks;
        size_t len = strcspn(word, " ");
        if (len == 0) /* blanks at the end: none are written */
            break;
        size_t word_width = dfx_text_width_n(word, len);
        if (width && column > 0 && column + blanks + word_width > width) {
            fputs("\n" WRAP_INDENT, out);
            column = strlen(WRAP_INDENT);
            blanks = 0;
        }
        for (size_t i = 0; i < blanks; i++)
            putc(' ', out);
        dfx_text_put_n(out, word, len);
        column += blanks + word_width;
        p = word + len;
    }
    putc('\n', out);
}

/* Writes s as the people's formats write text from the data: escaped (dfx_text_put), so that a
 * terminal receives no control sequence and a row stays one line. With escape_pipe, | becomes \|
 * (Markdown). */
static void put_text(FILE *out, const char *s, int escape_pipe)
{
    for (const char *bar; escape_pipe && (bar = strchr(s, '|')) != NULL; s = bar + 1) {
        dfx_text_put_n(out, s, (size_t)(bar - s));
        fputs("\\|", out);
    }
    dfx_text_put(out, s);
}

/* Writes s with tabs, line breaks and other control characters turned into spaces: TSV cannot
 * quote and needs one line per row and one cell per column. */
static void put_flat(FILE *out, const char *s)
{
    for (; *s; s++)
        putc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

/* Pads a column of the people's table. */
static void put_spaces(FILE *out, size_t n)
{
    while (n--)
        putc(' ', out);
}

/* The cell at row, col (row-major storage). */
static const defidx_cell *cell_at(const defidx_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->column_count + col];
}

/* The mark written after a cell's value for people: a printable ASCII character, else none. */
static char cell_mark(const defidx_cell *c)
{
    return c->mark > 0x20 && c->mark < 0x7f ? c->mark : 0;
}

/* Writes the mark of c, if any, as put_text writes text (a | escaped in Markdown). */
static void put_mark(FILE *out, const defidx_cell *c, int escape_pipe)
{
    char mark[2] = {cell_mark(c), '\0'};
    put_text(out, mark, escape_pipe);
}

/* 1 when some cell of the column carries a mark: the aligned table then keeps one character for
 * it in every line, so that the values stay aligned whether marked or not. */
static int column_marked(const defidx_table *t, size_t col)
{
    for (size_t r = 0; r < t->row_count; r++)
        if (cell_mark(cell_at(t, r, col)))
            return 1;
    return 0;
}

/* A column is right-aligned when it holds numbers or dates only (ignoring missing cells). */
static int right_aligned(const defidx_table *t, size_t col)
{
    int any = 0;
    for (size_t r = 0; r < t->row_count; r++) {
        int kind = cell_at(t, r, col)->kind;
        if (kind == DEFIDX_CELL_TEXT)
            return 0;
        any |= kind != DEFIDX_CELL_NULL;
    }
    return any;
}

int dfx_shown_sign(const char *text)
{
    if (text[0] != '+' && text[0] != '-')
        return 0;
    if (!text[strcspn(text, "123456789")]) /* rounded to zero: neither gain nor loss */
        return 0;
    return text[0] == '-' ? -1 : 1;
}

/* The sign of a cell for colour and CSS: only returns (percent 1) have one. */
static int return_sign(const defidx_cell *c, const char *text)
{
    if (c->kind != DEFIDX_CELL_NUMBER || c->percent != 1)
        return 0;
    return dfx_shown_sign(text);
}

/* ---- the aligned table -------------------------------------------------------------------------- */

void dfx_table_widths(const defidx_table *t, int header, size_t *widths)
{
    char buf[CELL_BUF];
    for (size_t c = 0; c < t->column_count; c++) {
        widths[c] = header ? dfx_display_width(t->header[c] ? t->header[c] : "") : 0;
        for (size_t r = 0; r < t->row_count; r++) {
            size_t w = dfx_display_width(human_text(cell_at(t, r, c), buf, sizeof buf, "-"));
            if (w > widths[c])
                widths[c] = w;
        }
        widths[c] += (size_t)column_marked(t, c);
    }
}

/* What one line of the aligned table needs, one entry per column: the widths, alignment and
 * marking of the columns, and the text, colour (NULL: none) and mark (0: none) of the line being
 * written. */
typedef struct human_line {
    size_t *widths;
    int *right;
    int *marked;
    const char **cells;
    const char **colors;
    char *marks;
    char (*bufs)[CELL_BUF];
} human_line;

static void human_line_free(human_line *h)
{
    free(h->widths), free(h->right), free(h->marked), free((void *)h->cells);
    free((void *)h->colors), free(h->marks), free(h->bufs);
}

/* Allocates the arrays for n columns; 0 or DEFIDX_ENOMEM (nothing left to free). */
static int human_line_new(human_line *h, size_t n)
{
    h->widths = calloc(n, sizeof *h->widths);
    h->right = calloc(n, sizeof *h->right);
    h->marked = calloc(n, sizeof *h->marked);
    h->cells = calloc(n, sizeof *h->cells);
    h->colors = calloc(n, sizeof *h->colors);
    h->marks = calloc(n, sizeof *h->marks);
    h->bufs = calloc(n, sizeof *h->bufs);
    if (h->widths && h->right && h->marked && h->cells && h->colors && h->marks && h->bufs)
        return 0;
    human_line_free(h);
    return DEFIDX_ENOMEM;
}

/* Writes s in color. The escape codes go around the text only, never around the padding, so the
 * padding computed from the visible width stays right; an empty text gets no codes at all. */
static void put_colored(FILE *out, const char *s, const char *color)
{
    if (color && *s)
        fputs(color, out);
    put_text(out, s, 0);
    if (color && *s)
        fputs(DEFIDX_ANSI_RESET, out);
}

/* One line of the people's table from h->cells, h->colors and h->marks. In a marked column a
 * value without a mark is followed by a blank where the mark would be. No trailing blanks. */
static void table_line(FILE *out, const defidx_table *t, const human_line *h)
{
    for (size_t c = 0; c < t->column_count; c++) {
        size_t pad = h->widths[c] - dfx_display_width(h->cells[c]) - (size_t)h->marked[c];
        int last = c + 1 == t->column_count;
        if (c > 0)
            fputs("  ", out);
        if (h->right[c])
            put_spaces(out, pad);
        put_colored(out, h->cells[c], h->colors[c]);
        if (h->marks[c])
            putc(h->marks[c], out);
        else if (h->marked[c] && !last)
            putc(' ', out);
        if (!h->right[c] && !last)
            put_spaces(out, pad);
    }
    putc('\n', out);
}

/* The header line (bold with colour) and the line of dashes under it. */
static void human_header(FILE *out, const defidx_table *t, human_line *h, int color)
{
    for (size_t c = 0; c < t->column_count; c++) {
        h->cells[c] = t->header[c] ? t->header[c] : "";
        h->colors[c] = color ? DEFIDX_ANSI_BOLD : NULL;
        h->marks[c] = 0;
    }
    table_line(out, t, h);
    for (size_t c = 0; c < t->column_count; c++) {
        if (c > 0)
            fputs("  ", out);
        for (size_t i = 0; i < h->widths[c]; i++)
            putc('-', out);
    }
    putc('\n', out);
}

/* Row r; with colour, gains green and losses red. */
static void human_row(FILE *out, const defidx_table *t, size_t r, human_line *h, int color)
{
    for (size_t c = 0; c < t->column_count; c++) {
        const defidx_cell *cell = cell_at(t, r, c);
        h->cells[c] = human_text(cell, h->bufs[c], CELL_BUF, "-");
        int sign = color ? return_sign(cell, h->cells[c]) : 0;
        h->colors[c] = sign > 0 ? DEFIDX_ANSI_GREEN : sign < 0 ? DEFIDX_ANSI_RED : NULL;
        h->marks[c] = cell_mark(cell);
    }
    table_line(out, t, h);
}

/* The aligned table for people: header, a line of dashes, rows; text left, numbers right. */
int dfx_table_write_aligned(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                               defidx_error *err)
{
    human_line h;
    if (human_line_new(&h, t->column_count))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    dfx_table_widths(t, o->header, h.widths);
    for (size_t c = 0; c < t->column_count; c++) {
        h.right[c] = right_aligned(t, c);
        h.marked[c] = column_marked(t, c);
    }
    if (o->header)
        human_header(out, t, &h, o->color);
    for (size_t r = 0; r < t->row_count; r++)
        human_row(out, t, r, &h, o->color);
    human_line_free(&h);
    return 0;
}

/* ---- the other formats ---------------------------------------------------------------------------- */

/* A GitHub Markdown table: numbers as for people, right-aligned; an empty cell where there is
 * no cell at all, "-" where a number or date is missing. Without the header, the alignment row
 * goes too: what is left are rows to append to a table that has one. */
int dfx_table_write_md(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                          defidx_error *err)
{
    (void)err;
    char buf[CELL_BUF];
    if (o->header) {
        putc('|', out);
        for (size_t c = 0; c < t->column_count; c++) {
            putc(' ', out);
            put_text(out, t->header[c] ? t->header[c] : "", 1);
            fputs(" |", out);
        }
        fputs("\n|", out);
        for (size_t c = 0; c < t->column_count; c++)
            fputs(right_aligned(t, c) ? "---:|" : "---|", out);
        putc('\n', out);
    }
    for (size_t r = 0; r < t->row_count; r++) {
        putc('|', out);
        for (size_t c = 0; c < t->column_count; c++) {
            const defidx_cell *cell = cell_at(t, r, c);
            putc(' ', out);
            if (cell->kind != DEFIDX_CELL_NULL)
                put_text(out, human_text(cell, buf, sizeof buf, "-"), 1);
            put_mark(out, cell, 1);
            fputs(" |", out);
        }
        putc('\n', out);
    }
    return 0;
}

/* One CSV field, quoted (quotes doubled) when it holds a comma, a quote or a line break. */
static void csv_field(FILE *out, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}

/* The header (unless o leaves it out) and the rows, fields separated by sep and each written by
 * field: the one layout of TSV and CSV, which differ only in how a field is made safe. */
static void write_delimited(FILE *out, const defidx_table *t, const defidx_emit_options *o, char sep,
                            void (*field)(FILE *, const char *))
{
    char buf[CELL_BUF];
    for (size_t c = 0; o->header && c < t->column_count; c++) {
        if (c > 0)
            putc(sep, out);
        field(out, t->header[c] ? t->header[c] : "");
    }
    if (o->header)
        putc('\n', out);
    for (size_t r = 0; r < t->row_count; r++) {
        for (size_t c = 0; c < t->column_count; c++) {
            if (c > 0)
                putc(sep, out);
            field(out, machine_text(cell_at(t, r, c), buf, sizeof buf));
        }
        putc('\n', out);
    }
}

/* TSV: cannot quote, so tabs and line breaks inside a field become spaces. */
int dfx_table_write_tsv(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                           defidx_error *err)
{
    (void)err;
    write_delimited(out, t, o, '\t', put_flat);
    return 0;
}

/* CSV per RFC 4180, except that lines end in \n as Unix tools expect. */
int dfx_table_write_csv(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                           defidx_error *err)
{
    (void)err;
    write_delimited(out, t, o, ',', csv_field);
    return 0;
}

/* One JSON value for a cell: string, number, "YYYY-MM-DD" or null. */
static void json_cell(FILE *out, const defidx_cell *c)
{
    switch (c->kind) {
    case DEFIDX_CELL_TEXT:
        dfx_json_string(out, c->text);
        break;
    case DEFIDX_CELL_NUMBER:
        dfx_json_number(out, c->number);
        break;
    case DEFIDX_CELL_DATE:
        dfx_json_date(out, c->date);
        break;
    default:
        fputs("null", out);
        break;
    }
}

/* A JSON array of objects keyed by the header, one object per line; no header row to leave out. */
int dfx_table_write_json(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                            defidx_error *err)
{
    (void)o;
    (void)err;
    if (t->row_count == 0) {
        fputs("[]\n", out);
        return 0;
    }
    fputs("[\n", out);
    for (size_t r = 0; r < t->row_count; r++) {
        putc('{', out);
        for (size_t c = 0; c < t->column_count; c++) {
            if (c > 0)
                fputs(", ", out);
            dfx_json_string(out, t->header[c] ? t->header[c] : "");
            fputs(": ", out);
            json_cell(out, cell_at(t, r, c));
        }
        fputs(r + 1 < t->row_count ? "},\n" : "}\n", out);
    }
    fputs("]\n", out);
    return 0;
}

/* ---- HTML (declared in emit.h) -------------------------------------------------------------------- */

void dfx_markup_text_n(FILE *out, const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (size_t chars = 0; *p; chars++) {
        if (chars == max_chars) {
            fputs("\xe2\x80\xa6", out); /* an ellipsis says the text was cut */
            return;
        }
        size_t n = dfx_utf8_sequence(p);
        if (n == 0) {
            fputs("\xef\xbf\xbd", out);
            p++;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break; /* HTML 4 has no &apos;; XML and HTML 5 read this */
        default:
            if (*p < 0x20 || *p == 0x7f)
                putc(' ', out);
            else
                fwrite(p, 1, n, out);
        }
        p += n;
    }
}

void dfx_html_text(FILE *out, const char *s)
{
    dfx_markup_text_n(out, s, (size_t)-1);
}

/* Kept small and free of url() and @import so that the page needs nothing but itself. */
static const char html_style[] =
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:1.5em;"
    "color:#1f2328}\n"
    "table{border-collapse:collapse;margin:1em 0}\n"
    "th,td{padding:.25em .7em;border-bottom:1px solid #d0d7de;text-align:left;white-space:nowrap}\n"
    "th{border-bottom:2px solid #8c959f}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".pos{color:#1a7f37}\n"
    ".neg{color:#cf222e}\n";

void dfx_html_begin(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    dfx_html_text(out, title);
    fputs("</title>\n<style>\n", out);
    fputs(html_style, out);
    fputs("</style>\n</head>\n<body>\n", out);
}

void dfx_html_end(FILE *out)
{
    fputs("</body>\n</html>\n", out);
}

/* Writes ` class="..."` for a cell or header of a numeric column (num) and a return's sign. */
static void html_class(FILE *out, int right, int sign)
{
    if (!right && !sign)
        return;
    fputs(" class=\"", out);
    if (right)
        fputs(sign ? "num " : "num", out);
    if (sign)
        fputs(sign > 0 ? "pos" : "neg", out);
    putc('"', out);
}

/* One <td>: the text of the aligned table and its mark, but empty for a NULL cell as in
 * Markdown. */
static void html_cell(FILE *out, const defidx_cell *c, int right)
{
    char buf[CELL_BUF];
    const char *text = c->kind == DEFIDX_CELL_NULL ? "" : human_text(c, buf, sizeof buf, "-");
    char mark[2] = {cell_mark(c), '\0'};
    fputs("<td", out);
    html_class(out, right, return_sign(c, text));
    putc('>', out);
    dfx_html_text(out, text);
    dfx_html_text(out, mark);
    fputs("</td>", out);
}

/* The header row in <thead>. */
static void html_head(FILE *out, const defidx_table *t, const int *right)
{
    fputs("<thead>\n<tr>", out);
    for (size_t c = 0; c < t->column_count; c++) {
        fputs("<th", out);
        html_class(out, right[c], 0);
        putc('>', out);
        dfx_html_text(out, t->header[c] ? t->header[c] : "");
        fputs("</th>", out);
    }
    fputs("</tr>\n</thead>\n", out);
}

int dfx_html_table(FILE *out, const defidx_table *t, int header)
{
    int *right = calloc(t->column_count + 1, sizeof *right);
    if (!right)
        return DEFIDX_ENOMEM;
    for (size_t c = 0; c < t->column_count; c++)
        right[c] = right_aligned(t, c);
    fputs("<table>\n", out);
    if (header)
        html_head(out, t, right);
    fputs("<tbody>\n", out);
    for (size_t r = 0; r < t->row_count; r++) {
        fputs("<tr>", out);
        for (size_t c = 0; c < t->column_count; c++)
            html_cell(out, cell_at(t, r, c), right[c]);
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
    free(right);
    return 0;
}

/* A table alone is a whole document too, so that `-O html > file.html` opens in a browser. */
int dfx_table_write_html(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                            defidx_error *err)
{
    dfx_html_begin(out, "defidx");
    if (dfx_html_table(out, t, o->header))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    dfx_html_end(out);
    return 0;
}

/* ---- entry points: the format's row writes the table ------------------------------------------------- */

void defidx_emit_options_init(defidx_emit_options *o)
{
    o->version = DEFIDX_OPTIONS_VERSION;
    o->header = 1;
    o->color = 0;
    o->spark = NULL;
    o->width = 0;
    o->columns = NULL;
}

const dfx_output_format *dfx_emit_begin(int fmt, const defidx_emit_options **o, defidx_emit_options *defaults,
                                        defidx_error *err)
{
    if (!*o) {
        defidx_emit_options_init(defaults);
        *o = defaults;
    }
    if (dfx_options_version((*o)->version, "emit options", err))
        return NULL;
    const dfx_output_format *f = dfx_output_format_of(fmt);
    if (!f)
        defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "unknown output format %d", fmt);
    return f;
}

int defidx_emit_table(FILE *out, const defidx_table *t, int fmt, const defidx_emit_options *o,
                      defidx_error *err)
{
    defidx_emit_options defaults;
    const dfx_output_format *f = dfx_emit_begin(fmt, &o, &defaults, err);
    if (!f)
        return DEFIDX_EUSAGE;
    int rc = f->write_table(out, t, o, err);
    if (rc)
        return rc;
    return dfx_emit_finish(out, err);
}

