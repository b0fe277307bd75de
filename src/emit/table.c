/* table.c: the rectangular table every emitter prints (a header and rows of typed cells) and its
 * cell constructors. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Copies the array of header pointers so that a caller may build it on the stack; the names it
 * points to stay borrowed. A table without columns is refused: it cannot hold a row. */
int defidx_table_init(defidx_table *t, size_t column_count, const char **header)
{
    memset(t, 0, sizeof *t);
    if (column_count == 0 || !header)
        return DEFIDX_EUSAGE;
    if (column_count > SIZE_MAX / sizeof *t->header / 2)
        return DEFIDX_ENOMEM;
    t->header = malloc(column_count * sizeof *t->header);
    if (!t->header)
        return DEFIDX_ENOMEM;
    memcpy(t->header, header, column_count * sizeof *t->header);
    t->column_count = column_count;
    return 0;
}

/* Appends a row of NULL cells. The pointer is valid until the next row is added, since the
 * cells move when the table grows. */
defidx_cell *defidx_table_add_row(defidx_table *t)
{
    if (t->column_count == 0)
        return NULL;
    size_t row_size = t->column_count * sizeof *t->cells;
    if (dfx_grow((void **)&t->cells, &t->capacity, t->row_count + 1, row_size))
        return NULL;
    defidx_cell *row = t->cells + t->row_count * t->column_count;
    for (size_t c = 0; c < t->column_count; c++)
        row[c] = defidx_cell_null();
    t->row_count++;
    return row;
}

/* Frees what the table owns and zeroes it, so a second free is harmless. */
void defidx_table_free(defidx_table *t)
{
    if (!t)
        return;
    free((void *)t->header);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* A cell with no value: empty in CSV/TSV, null in JSON, "-" in tables. */
defidx_cell defidx_cell_null(void)
{
    defidx_cell c = {DEFIDX_CELL_NULL, NULL, NAN, DEFIDX_NO_DATE, 0, 0, 0};
    return c;
}

/* A text cell; NULL text is a NULL cell. */
defidx_cell defidx_cell_text(const char *text)
{
    defidx_cell c = defidx_cell_null();
    if (text) {
        c.kind = DEFIDX_CELL_TEXT;
        c.text = text;
    }
    return c;
}

/* A number, shown with `decimals` decimals in tables (a negative count: 15 significant digits)
 * and with full precision in machine formats. NAN prints as a missing value. */
defidx_cell defidx_cell_number(double x, int decimals)
{
    defidx_cell c = defidx_cell_null();
    c.kind = DEFIDX_CELL_NUMBER;
    c.number = x;
    c.decimals = (signed char)(decimals > 20 ? 20 : decimals < -1 ? -1 : decimals);
    return c;
}

/* A fraction (0.14), shown as a signed percentage (+14.00%) in tables and left a fraction in
 * machine formats. */
defidx_cell defidx_cell_percent(double fraction, int decimals)
{
    defidx_cell c = defidx_cell_number(fraction, decimals);
    c.percent = 1;
    return c;
}

/* A fraction of a whole (a weight, 0.085), shown as an unsigned percentage (8.50%) in tables and
 * left a fraction in machine formats. */
defidx_cell defidx_cell_share(double fraction, int decimals)
{
    defidx_cell c = defidx_cell_number(fraction, decimals);
    c.percent = 2;
    return c;
}

/* A date; DEFIDX_NO_DATE prints as a missing value. */
defidx_cell defidx_cell_date(int32_t date)
{
    defidx_cell c = defidx_cell_null();
    c.kind = DEFIDX_CELL_DATE;
    c.date = date;
    return c;
}
