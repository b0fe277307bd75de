/* xlsx.c: Excel workbooks through libxlsxwriter (Debian libxlsxwriter-dev), the library made for
 * writing .xlsx from C. A defidx_table becomes a sheet of real spreadsheet types: dates as dates,
 * returns and weights as numbers in a percent format, levels with their decimals, a bold frozen
 * header row, an autofilter and columns as wide as their contents. libxlsxwriter writes to a file
 * name, so the workbook is written to a temporary file and its bytes copied to the output stream,
 * which keeps -o atomic like every other format. Its zip entries carry a fixed time and the
 * workbook's creation time is set from the data, so the same data gives the same bytes. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* The number formats a workbook uses, made once each: a cell's kind, percent and decimals. */
#define FORMATS_MAX 48
#define DECIMALS_MAX 10

#define WIDTH_COLUMNS 64

struct dfx_xlsx {
    lxw_workbook *book;
    lxw_worksheet *sheet;     /* the sheet being written, whose column widths are kept below */
    size_t widths[WIDTH_COLUMNS];
    char path[64];            /* the temporary file libxlsxwriter writes */
    lxw_format *bold, *date;
    struct {
        int percent, decimals;
        lxw_format *format;
    } numbers[FORMATS_MAX];
    size_t number_count;
};

/* Days from Excel's day 0 (1899-12-30) to 1970-01-01: a date's serial number is its days + this. */
#define EXCEL_EPOCH_DAYS 25569

static int no_memory(defidx_error *err)
{
    return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
}

int dfx_xlsx_open(dfx_xlsx **out, int32_t created, defidx_error *err)
{
    *out = NULL;
    dfx_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return no_memory(err);
    const char *dir = getenv("TMPDIR");
    snprintf(x->path, sizeof x->path, "%s/defidx-XXXXXX", dir && *dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(x->path);
    if (fd < 0) {
        free(x);
        return defidx_error_set(err, DEFIDX_ECREATE, NULL, 0, 0,
                                "cannot create a temporary file for the workbook (hint: TMPDIR names a writable directory)");
    }
    close(fd);
    x->book = workbook_new(x->path);
    if (!x->book) {
        unlink(x->path);
        free(x);
        return no_memory(err);
    }
    /* the creation time from the data, not the clock: the same data, the same bytes */
    lxw_doc_properties props = {.title = (char *)"defidx", .comments = (char *)"written by defidx " DEFIDX_VERSION,
                                .created = (time_t)(created == DEFIDX_NO_DATE ? 0 : created) * 86400};
    x->bold = workbook_add_format(x->book);
    x->date = workbook_add_format(x->book);
    if (!x->bold || !x->date || workbook_set_properties(x->book, &props) != LXW_NO_ERROR) {
        dfx_xlsx_discard(x);
        return no_memory(err);
    }
    format_set_bold(x->bold);
    format_set_num_format(x->date, "yyyy-mm-dd");
    *out = x;
    return 0;
}

void dfx_xlsx_discard(dfx_xlsx *x)
{
    if (!x)
        return;
    if (x->book)
        workbook_close(x->book); /* the only way to free it; the file is removed below */
    unlink(x->path);
    free(x);
}

/* The format of a number with these decimals (-1: as many as it has) and percent (0, or a return
 * or share: 1, 2); NULL when the workbook has no room for another (then Excel's General). */
static lxw_format *number_format(dfx_xlsx *x, int percent, int decimals)
{
    decimals = decimals > DECIMALS_MAX ? DECIMALS_MAX : decimals;
    percent = percent != 0;
    for (size_t k = 0; k < x->number_count; k++)
        if (x->numbers[k].percent == percent && x->numbers[k].decimals == decimals)
            return x->numbers[k].format;
    if (decimals < 0 && !percent)
        return NULL; /* General shows every digit Excel keeps */
    if (x->number_count == FORMATS_MAX)
        return NULL;
    lxw_format *f = workbook_add_format(x->book);
    if (!f)
        return NULL;
    char code[32] = "0";
    if (decimals > 0) {
        code[1] = '.';
        memset(code + 2, '0', (size_t)decimals);
        code[2 + decimals] = '\0';
    }
    if (percent)
        strcat(code, "%");
    format_set_num_format(f, code);
    x->numbers[x->number_count].percent = percent;
    x->numbers[x->number_count].decimals = decimals;
    x->numbers[x->number_count++].format = f;
    return f;
}

/* A sheet name as Excel takes it: at most 31 characters, none of []:*?/\ . */
static void sheet_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < size && n < 31; p++)
        out[n++] = strchr("[]:*?/\\", *p) ? ' ' : *p;
    out[n] = '\0';
}

/* The width a cell shows in characters, for the column widths: text by its UTF-8 characters,
 * dates as 10, numbers as their digits in the format (a generous estimate). */
static size_t shown_width(const defidx_cell *c)
{
    switch (c->kind) {
    case DEFIDX_CELL_TEXT: {
        size_t n = 0;
        for (const unsigned char *p = (const unsigned char *)(c->text ? c->text : ""); *p; p++)
            n += (*p & 0xC0) != 0x80;
        return n;
    }
    case DEFIDX_CELL_DATE:
        return 10;
    case DEFIDX_CELL_NUMBER: {
        double x = c->percent ? c->number * 100 : c->number;
        size_t digits = fabs(x) >= 1 ? (size_t)log10(fabs(x)) + 1 : 1;
        return digits + 2 + (size_t)(c->decimals > 0 ? c->decimals : 6) + (c->percent ? 1 : 0);
    }
    default:
        return 0;
    }
}

static lxw_error write_cell(dfx_xlsx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const defidx_cell *c)
{
    switch (c->kind) {
    case DEFIDX_CELL_TEXT:
        return worksheet_write_string(ws, row, col, c->text ? c->text : "", NULL);
    case DEFIDX_CELL_DATE:
        if (c->date == DEFIDX_NO_DATE)
            return LXW_NO_ERROR;
        return worksheet_write_number(ws, row, col, (double)c->date + EXCEL_EPOCH_DAYS, x->date);
    case DEFIDX_CELL_NUMBER:
        if (!isfinite(c->number))
            return LXW_NO_ERROR; /* missing: an empty cell, as in CSV */
        return worksheet_write_number(ws, row, col, c->number, number_format(x, c->percent, c->decimals));
    default:
        return LXW_NO_ERROR;
    }
}

/* Sets the columns of the sheet being written as wide as what they show (at most 60). */
static lxw_error set_widths(dfx_xlsx *x)
{
    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; x->sheet && c < WIDTH_COLUMNS && !e; c++)
        if (x->widths[c])
            e = worksheet_set_column(x->sheet, (lxw_col_t)c, (lxw_col_t)c,
                                     (double)(x->widths[c] > 60 ? 60 : x->widths[c]) + 2, NULL);
    memset(x->widths, 0, sizeof x->widths);
    return e;
}

static int sheet_error(lxw_error e, defidx_error *err)
{
    return defidx_error_set(err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? DEFIDX_ENOMEM : DEFIDX_EWRITE, NULL, 0, 0,
                            "cannot write the workbook: %s", lxw_strerror(e));
}

int dfx_xlsx_sheet(dfx_xlsx *x, const char *name, defidx_error *err)
{
    lxw_error e = set_widths(x);
    if (e)
        return sheet_error(e, err);
    char safe[32];
    sheet_name(name, safe, sizeof safe);
    x->sheet = workbook_add_worksheet(x->book, safe);
    return x->sheet ? 0 : no_memory(err);
}

int dfx_xlsx_put_table(dfx_xlsx *x, size_t row, const defidx_table *t, int header, defidx_error *err)
{
    lxw_worksheet *ws = x->sheet;
    lxw_error e = LXW_NO_ERROR;
    lxw_row_t first = (lxw_row_t)row + (header ? 1 : 0);
    for (size_t c = 0; header && c < t->column_count && !e; c++) {
        const char *h = t->header[c] ? t->header[c] : "";
        e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, h, x->bold);
        if (c < WIDTH_COLUMNS && strlen(h) > x->widths[c])
            x->widths[c] = strlen(h);
    }
    for (size_t r = 0; r < t->row_count && !e; r++)
        for (size_t c = 0; c < t->column_count && !e; c++) {
            const defidx_cell *cell = &t->cells[r * t->column_count + c];
            e = write_cell(x, ws, first + (lxw_row_t)r, (lxw_col_t)c, cell);
            size_t w = shown_width(cell);
            if (c < WIDTH_COLUMNS && w > x->widths[c])
                x->widths[c] = w;
        }
    /* a table at the top: its header stays in view and filters */
    if (!e && header && row == 0 && t->column_count) {
        worksheet_freeze_panes(ws, 1, 0);
        e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->row_count, (lxw_col_t)(t->column_count - 1));
    }
    return e ? sheet_error(e, err) : 0;
}

int dfx_xlsx_line_chart(dfx_xlsx *x, const char *sheet, const char *title, size_t rows, int category_col,
                        int value_col, defidx_error *err)
{
    lxw_worksheet *ws = x->sheet;
    if (rows == 0)
        return 0;
    char safe[32], categories[96], values[96];
    sheet_name(sheet, safe, sizeof safe);
    lxw_chart *chart = workbook_add_chart(x->book, LXW_CHART_LINE);
    if (!chart)
        return no_memory(err);
    snprintf(categories, sizeof categories, "='%s'!$%c$2:$%c$%zu", safe, 'A' + category_col, 'A' + category_col, rows + 1);
    snprintf(values, sizeof values, "='%s'!$%c$2:$%c$%zu", safe, 'A' + value_col, 'A' + value_col, rows + 1);
    lxw_chart_series *series = chart_add_series(chart, categories, values);
    if (!series)
        return no_memory(err);
    chart_title_set_name(chart, title);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    lxw_chart_line line = {.color = 0x1F2A44, .width = 1.5};
    chart_series_set_line(series, &line);
    chart_axis_set_num_format(chart->x_axis, "yyyy-mm-dd");
    lxw_chart_options place = {.x_scale = 2, .y_scale = 1.5};
    lxw_error e = worksheet_insert_chart_opt(ws, 1, (lxw_col_t)(value_col + 4), chart, &place);
    return e ? defidx_error_set(err, DEFIDX_EWRITE, NULL, 0, 0, "cannot insert the chart: %s", lxw_strerror(e)) : 0;
}

int dfx_xlsx_close(dfx_xlsx *x, FILE *out, defidx_error *err)
{
    lxw_error e = set_widths(x);
    if (!e)
        e = workbook_close(x->book);
    else
        workbook_close(x->book);
    x->book = NULL;
    int rc = 0;
    if (e) {
        rc = sheet_error(e, err);
    } else {
        FILE *in = fopen(x->path, "rb");
        char buf[1 << 15];
        size_t n;
        if (!in)
            rc = defidx_error_set(err, DEFIDX_EWRITE, NULL, 0, 0, "cannot read back the workbook written");
        while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, out) != n)
                rc = defidx_error_set(err, DEFIDX_EWRITE, NULL, 0, 0, "cannot write the workbook");
        if (in && ferror(in) && !rc)
            rc = defidx_error_set(err, DEFIDX_EWRITE, NULL, 0, 0, "cannot read back the workbook written");
        if (in)
            fclose(in);
    }
    dfx_xlsx_discard(x);
    return rc ? rc : dfx_emit_finish(out, err);
}
