/* emit_table.c: prints a defidx_table in the five output formats: an aligned table and Markdown
 * for people, TSV, CSV (RFC 4180) and JSON for programs. Machine formats carry full precision and
 * fractions; the formats for people round to each cell's decimals and show percentages. */
#include "emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Room for any number printf can produce with up to 20 decimals, plus sign and suffix. */
#define CELL_BUF 512

/* ---- shared JSON scalars and the write check (declared in emit.h) ---------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there are not one. Overlong
 * forms, surrogates and code points past U+10FFFF are invalid, as RFC 3629 says. */
static size_t utf8_sequence(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned long cp;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void defidx_json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
    while (*p) {
        size_t n = utf8_sequence(p);
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (*p == '"' || *p == '\\') {
            putc('\\', out);
            putc(*p++, out);
        } else if (*p < 0x20) {
            fprintf(out, "\\u%04x", (unsigned)*p++);
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
    putc('"', out);
}

void defidx_json_number(FILE *out, double x)
{
    char buf[64];
    if (defidx_number_format(x, 15, buf, sizeof buf) == 0)
        fputs("null", out);
    else
        fputs(buf, out);
}

void defidx_json_date(FILE *out, int32_t date)
{
    char buf[11];
    if (date == DEFIDX_NO_DATE) {
        fputs("null", out);
        return;
    }
    defidx_date_format(date, buf);
    fprintf(out, "\"%s\"", buf);
}

int defidx_emit_finish(FILE *out, defidx_error *err)
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

/* Width of s on a terminal, counted in UTF-8 characters (continuation bytes do not count). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Writes s with tabs, line breaks and other control characters turned into spaces: formats that
 * cannot quote need one line per row and one cell per column, and a terminal should not receive
 * escape sequences from a data file. With escape_pipe, | becomes \| (Markdown). */
static void put_flat(FILE *out, const char *s, int escape_pipe)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            putc(' ', out);
        else if (*s == '|' && escape_pipe)
            fputs("\\|", out);
        else
            putc(*s, out);
    }
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

/* ---- formats ------------------------------------------------------------------------------------ */

/* Width of each column of the people's table: the widest of its header and cells. */
static void column_widths(const defidx_table *t, size_t *widths)
{
    char buf[CELL_BUF];
    for (size_t c = 0; c < t->column_count; c++) {
        widths[c] = display_width(t->header[c] ? t->header[c] : "");
        for (size_t r = 0; r < t->row_count; r++) {
            size_t w = display_width(human_text(cell_at(t, r, c), buf, sizeof buf, "-"));
            if (w > widths[c])
                widths[c] = w;
        }
    }
}

/* One line of the people's table; cells[c] is the text of column c. No trailing blanks. */
static void table_line(FILE *out, const defidx_table *t, const char *const *cells,
                       const size_t *widths, const int *right)
{
    for (size_t c = 0; c < t->column_count; c++) {
        size_t pad = widths[c] - display_width(cells[c]);
        int last = c + 1 == t->column_count;
        if (c > 0)
            fputs("  ", out);
        if (right[c])
            put_spaces(out, pad);
        put_flat(out, cells[c], 0);
        if (!right[c] && !last)
            put_spaces(out, pad);
    }
    putc('\n', out);
}

/* The aligned table for people: header, a line of dashes, rows; text left, numbers right. */
static int emit_human(FILE *out, const defidx_table *t, defidx_error *err)
{
    size_t n = t->column_count;
    size_t *widths = calloc(n, sizeof *widths);
    int *right = calloc(n, sizeof *right);
    const char **cells = calloc(n, sizeof *cells);
    char (*bufs)[CELL_BUF] = calloc(n, sizeof *bufs);
    if (!widths || !right || !cells || !bufs) {
        free(widths), free(right), free((void *)cells), free(bufs);
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    }
    column_widths(t, widths);
    for (size_t c = 0; c < n; c++) {
        right[c] = right_aligned(t, c);
        cells[c] = t->header[c] ? t->header[c] : "";
    }
    table_line(out, t, cells, widths, right);
    for (size_t c = 0; c < n; c++) {
        if (c > 0)
            fputs("  ", out);
        for (size_t i = 0; i < widths[c]; i++)
            putc('-', out);
    }
    putc('\n', out);
    for (size_t r = 0; r < t->row_count; r++) {
        for (size_t c = 0; c < n; c++)
            cells[c] = human_text(cell_at(t, r, c), bufs[c], CELL_BUF, "-");
        table_line(out, t, cells, widths, right);
    }
    free(widths), free(right), free((void *)cells), free(bufs);
    return 0;
}

/* A GitHub Markdown table: numbers as for people, right-aligned; an empty cell where there is
 * no cell at all, "-" where a number or date is missing. */
static int emit_md(FILE *out, const defidx_table *t)
{
    char buf[CELL_BUF];
    putc('|', out);
    for (size_t c = 0; c < t->column_count; c++) {
        putc(' ', out);
        put_flat(out, t->header[c] ? t->header[c] : "", 1);
        fputs(" |", out);
    }
    fputs("\n|", out);
    for (size_t c = 0; c < t->column_count; c++)
        fputs(right_aligned(t, c) ? "---:|" : "---|", out);
    putc('\n', out);
    for (size_t r = 0; r < t->row_count; r++) {
        putc('|', out);
        for (size_t c = 0; c < t->column_count; c++) {
            const defidx_cell *cell = cell_at(t, r, c);
            putc(' ', out);
            if (cell->kind != DEFIDX_CELL_NULL)
                put_flat(out, human_text(cell, buf, sizeof buf, "-"), 1);
            fputs(" |", out);
        }
        putc('\n', out);
    }
    return 0;
}

/* TSV: cannot quote, so tabs and line breaks inside a field become spaces. */
static int emit_tsv(FILE *out, const defidx_table *t)
{
    char buf[CELL_BUF];
    for (size_t c = 0; c < t->column_count; c++) {
        if (c > 0)
            putc('\t', out);
        put_flat(out, t->header[c] ? t->header[c] : "", 0);
    }
    putc('\n', out);
    for (size_t r = 0; r < t->row_count; r++) {
        for (size_t c = 0; c < t->column_count; c++) {
            if (c > 0)
                putc('\t', out);
            put_flat(out, machine_text(cell_at(t, r, c), buf, sizeof buf), 0);
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

/* CSV per RFC 4180, except that lines end in \n as Unix tools expect. */
static int emit_csv(FILE *out, const defidx_table *t)
{
    char buf[CELL_BUF];
    for (size_t c = 0; c < t->column_count; c++) {
        if (c > 0)
            putc(',', out);
        csv_field(out, t->header[c] ? t->header[c] : "");
    }
    putc('\n', out);
    for (size_t r = 0; r < t->row_count; r++) {
        for (size_t c = 0; c < t->column_count; c++) {
            if (c > 0)
                putc(',', out);
            csv_field(out, machine_text(cell_at(t, r, c), buf, sizeof buf));
        }
        putc('\n', out);
    }
    return 0;
}

/* One JSON value for a cell: string, number, "YYYY-MM-DD" or null. */
static void json_cell(FILE *out, const defidx_cell *c)
{
    switch (c->kind) {
    case DEFIDX_CELL_TEXT:
        defidx_json_string(out, c->text);
        break;
    case DEFIDX_CELL_NUMBER:
        defidx_json_number(out, c->number);
        break;
    case DEFIDX_CELL_DATE:
        defidx_json_date(out, c->date);
        break;
    default:
        fputs("null", out);
        break;
    }
}

/* A JSON array of objects keyed by the header, one object per line. */
static int emit_json(FILE *out, const defidx_table *t)
{
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
            defidx_json_string(out, t->header[c] ? t->header[c] : "");
            fputs(": ", out);
            json_cell(out, cell_at(t, r, c));
        }
        fputs(r + 1 < t->row_count ? "},\n" : "}\n", out);
    }
    fputs("]\n", out);
    return 0;
}

int defidx_emit_table(FILE *out, const defidx_table *t, int fmt, defidx_error *err)
{
    int rc;
    switch (fmt) {
    case DEFIDX_FORMAT_TABLE:
        rc = emit_human(out, t, err);
        break;
    case DEFIDX_FORMAT_TSV:
        rc = emit_tsv(out, t);
        break;
    case DEFIDX_FORMAT_CSV:
        rc = emit_csv(out, t);
        break;
    case DEFIDX_FORMAT_JSON:
        rc = emit_json(out, t);
        break;
    case DEFIDX_FORMAT_MD:
        rc = emit_md(out, t);
        break;
    default:
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0, "unknown output format %d", fmt);
    }
    if (rc)
        return rc;
    return defidx_emit_finish(out, err);
}
