/* series.c: the tables of the `series` command (the index level and divisor per date) and of the
 * `rebase` command (each ticker's price rebased to 100 at a base date, carried over holidays). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *series_header[] = {"date", "level", "divisor", "constituents", "return_type"};

/* One row per date of the computed series. The table borrows nothing from r. */
int defidx_series_table(const defidx_result *r, defidx_table *t, defidx_error *err)
{
    if (defidx_table_init(t, 5, series_header))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < r->date_count; i++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row) {
            defidx_table_free(t);
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        }
        row[0] = defidx_cell_date(r->dates[i]);
        row[1] = defidx_cell_number(r->levels[i], 4);
        row[2] = defidx_cell_number(r->divisors ? r->divisors[i] : NAN, 6);
        row[3] = r->constituents_in ? defidx_cell_number(r->constituents_in[i], 0) : defidx_cell_null();
        row[4] = defidx_cell_text(r->return_type);
    }
    return 0;
}

static const char *rolling_header[] = {"date", "level", "divisor", "constituents", "return_type",
                                       "rolling_return", "rolling_vol"};

int defidx_series_table_rolling(const defidx_result *r, size_t window, double periods_per_year, defidx_table *t,
                                defidx_error *err)
{
    size_t n = r->date_count ? r->date_count : 1;
    double *returns = malloc(n * sizeof *returns), *vols = malloc(n * sizeof *vols);
    defidx_level_series levels = {r->date_count, r->dates, r->levels};
    int rc = !returns || !vols ? defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory")
                               : defidx_rolling(&levels, window, periods_per_year, returns, vols, err);
    defidx_table plain = {0};
    if (!rc)
        rc = defidx_series_table(r, &plain, err);
    if (!rc && defidx_table_init(t, 7, rolling_header))
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; !rc && i < r->date_count; i++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row) {
            defidx_table_free(t);
            rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        memcpy(row, plain.cells + i * plain.column_count, plain.column_count * sizeof *row);
        row[5] = defidx_cell_percent(returns[i], 2);
        row[6] = defidx_cell_share(vols[i], 2);
    }
    defidx_table_free(&plain);
    free(returns);
    free(vols);
    return rc;
}

static const char *divisors_header[] = {"date", "effective", "old_divisor", "new_divisor",
                                        "value_before", "value_after", "reason"};

/* One row per divisor change. The table borrows the reasons from r: emit it before freeing r. */
int defidx_divisors_table(const defidx_result *r, defidx_table *t, defidx_error *err)
{
    if (defidx_table_init(t, 7, divisors_header))
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < r->divisor_change_count; i++) {
        const defidx_divisor_change *c = &r->divisor_changes[i];
        defidx_cell *row = defidx_table_add_row(t);
        if (!row) {
            defidx_table_free(t);
            return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
        }
        row[0] = defidx_cell_date(c->date);
        row[1] = defidx_cell_date(c->effective);
        row[2] = defidx_cell_number(c->old_divisor, -1);
        row[3] = defidx_cell_number(c->new_divisor, -1);
        row[4] = defidx_cell_number(c->value_before, 2);
        row[5] = defidx_cell_number(c->value_after, 2);
        row[6] = defidx_cell_text(c->reason);
    }
    return 0;
}

/* The row the rebase starts from: the last panel date on or before base_date (the first date
 * when there is none given). A base date before all data has nothing to rebase on. */
static int base_row(const defidx_panel *p, int32_t base_date, size_t *out, defidx_error *err)
{
    size_t n = defidx_panel_date_count(p);
    if (n == 0)
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "the data has no dates");
    int32_t first = defidx_panel_date(p, 0);
    if (base_date == DEFIDX_NO_DATE) {
        *out = 0;
        return 0;
    }
    if (base_date < first) {
        char want[11], have[11];
        defidx_date_format(base_date, want);
        defidx_date_format(first, have);
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0,
                                "base date %s is before the first date of the data (%s)", want,
                                have);
    }
    size_t lo = 0, hi = n; /* invariant: date(lo) <= base_date, date(hi) > base_date or hi == n */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (defidx_panel_date(p, mid) <= base_date)
            lo = mid;
        else
            hi = mid;
    }
    *out = lo;
    return 0;
}

/* The last price of ticker j on or before row b, NAN when it has none. */
static double price_on_or_before(const defidx_panel *p, size_t j, size_t b)
{
    for (size_t i = b + 1; i-- > 0;) {
        double x = defidx_panel_price(p, j, i);
        if (!isnan(x))
            return x;
    }
    return NAN;
}

/* A ticker without a price at the base row starts at 100 on its first later price; says so, since
 * its column then answers a different question than the others. */
static void warn_late_start(const defidx_panel *p, size_t j, size_t b, defidx_warnings *w)
{
    char base[11], start[11];
    defidx_date_format(defidx_panel_date(p, b), base);
    size_t n = defidx_panel_date_count(p);
    for (size_t i = b + 1; i < n; i++) {
        if (!isnan(defidx_panel_price(p, j, i))) {
            defidx_date_format(defidx_panel_date(p, i), start);
            dfx_warn_kind(w, DEFIDX_WARNING_BASE_DATE, NULL, 0, 0,
                             "%s has no price on or before the base date %s; rebased to 100 at its "
                             "first price on %s",
                             defidx_panel_ticker(p, j), base, start);
            return;
        }
    }
    dfx_warn_kind(w, DEFIDX_WARNING_BASE_DATE, NULL, 0, 0,
                     "%s has no price from the base date %s on; its column is empty",
                     defidx_panel_ticker(p, j), base);
}

/* Fills the rows from the base row on: each ticker's last price so far over its base price. */
static int rebase_rows(const defidx_panel *p, size_t b, double *base, double *last,
                       defidx_table *t)
{
    size_t n = defidx_panel_date_count(p), m = defidx_panel_ticker_count(p);
    for (size_t i = b; i < n; i++) {
        defidx_cell *row = defidx_table_add_row(t);
        if (!row)
            return DEFIDX_ENOMEM;
        row[0] = defidx_cell_date(defidx_panel_date(p, i));
        for (size_t j = 0; j < m; j++) {
            double x = defidx_panel_price(p, j, i);
            if (!isnan(x)) {
                last[j] = x;
                if (isnan(base[j]))
                    base[j] = x;
            }
            if (!isnan(last[j]))
                row[1 + j] = defidx_cell_number(last[j] / base[j] * 100, 4);
        }
    }
    return 0;
}

/* The header (date, then every ticker) and the rows. Ticker names are borrowed from p, so the
 * table must be emitted before p is freed. */
int defidx_rebase_table(const defidx_panel *p, int32_t base_date, defidx_table *t,
                        defidx_warnings *w, defidx_error *err)
{
    memset(t, 0, sizeof *t);
    size_t b = 0;
    int rc = base_row(p, base_date, &b, err);
    if (rc)
        return rc;
    if (base_date != DEFIDX_NO_DATE && defidx_panel_date(p, b) != base_date) {
        char want[11], used[11];
        defidx_date_format(base_date, want);
        defidx_date_format(defidx_panel_date(p, b), used);
        dfx_warn_kind(w, DEFIDX_WARNING_BASE_DATE, NULL, 0, 0,
                         "no prices on the base date %s; rebased on %s, the last date before it", want, used);
    }
    size_t m = defidx_panel_ticker_count(p);
    const char **header = malloc((m + 1) * sizeof *header);
    double *base = malloc((m ? m : 1) * sizeof *base);
    double *last = malloc((m ? m : 1) * sizeof *last);
    rc = header && base && last ? 0 : DEFIDX_ENOMEM;
    if (!rc) {
        header[0] = "date";
        for (size_t j = 0; j < m; j++) {
            header[1 + j] = defidx_panel_ticker(p, j);
            base[j] = last[j] = price_on_or_before(p, j, b);
        }
        rc = defidx_table_init(t, m + 1, header);
    }
    if (!rc) {
        for (size_t j = 0; j < m; j++)
            if (isnan(base[j]))
                warn_late_start(p, j, b, w);
        rc = rebase_rows(p, b, base, last, t);
    }
    free((void *)header);
    free(base);
    free(last);
    if (rc)
        rc = defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    if ((rc = dfx_warnings_check(w, rc, err)))
        defidx_table_free(t);
    return rc;
}
