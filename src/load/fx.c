/* fx.c: reference FX rates in the ECB eurofxref-hist.csv shape (units of currency per EUR, newest
 * first, N/A cells, a trailing comma), read with the CSV reader; currency units such as GBX (pence)
 * are util/currency.c's. */
#include "load/csv_reader.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct defidx_fx {
    size_t currency_count;
    char (*currencies)[4];
    size_t date_count, date_capacity;
    int32_t *dates;    /* ascending after load */
    double *rates;     /* date_count x currency_count as read, NAN for N/A */
    size_t rate_capacity;
    double *carried;   /* currency_count x date_count: the last rate on or before each date */
    int32_t *carried_on; /* currency_count x date_count: the date of that rate (for --max-gap) */
    struct fx_place {
        long line, column;
    } *places;         /* where each row's date is, as read, for messages */
    size_t place_capacity;
};

void defidx_fx_free(defidx_fx *fx)
{
    if (!fx)
        return;
    free(fx->currencies);
    free(fx->dates);
    free(fx->rates);
    free(fx->carried);
    free(fx->carried_on);
    free(fx->places);
    free(fx);
}


/* ---- reading --------------------------------------------------------------------------------- */

#define FX_MAX_FIELDS 256

typedef struct fx_loader {
    defidx_fx *fx;
    const char *name;
    defidx_error *err;
    dfx_csv_record *rec; /* the record being read */
    size_t header_count;    /* fields of the header, 0 until it is read */
} fx_loader;

/* Fills a data error at the start of field k of the current record and returns DEFIDX_EDATA. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at(fx_loader *r, size_t k, const char *fmt, ...)
{
    const dfx_csv_field *f = &r->rec->fields[k];
    va_list ap;
    va_start(ap, fmt);
    int rc = dfx_error_vset(r->err, DEFIDX_EDATA, r->name, f->line, f->column, fmt, ap);
    va_end(ap);
    return rc;
}

static int out_of_memory(fx_loader *r)
{
    return defidx_error_set(r->err, DEFIDX_ENOMEM, r->name, 0, 0, "out of memory");
}

/* The text of field k of the current record. */
static const char *cell(const fx_loader *r, size_t k)
{
    return r->rec->fields[k].text;
}

/* The header names the currencies: Date, then ISO codes, then the ECB's empty trailing field. */
static int read_header(fx_loader *r)
{
    defidx_fx *fx = r->fx;
    if (!dfx_ascii_ieq(cell(r, 0), strlen(cell(r, 0)), "date") && strpbrk(cell(r, 0), ";\t|"))
        return fail_at(r, 0, "the first line, '%.40s', is not separated by commas (hint: the FX file is comma-separated, as the ECB's eurofxref-hist.csv is)",
                       cell(r, 0));
    if (!dfx_ascii_ieq(cell(r, 0), strlen(cell(r, 0)), "date"))
        return fail_at(r, 0, "the first column is '%.40s', not Date (hint: the ECB eurofxref-hist.csv shape)", cell(r, 0));
    size_t n = r->rec->count;
    while (n > 1 && cell(r, n - 1)[0] == '\0')
        n--;
    fx->currency_count = n - 1;
    fx->currencies = calloc(n, sizeof *fx->currencies);
    if (!fx->currencies)
        return out_of_memory(r);
    for (size_t k = 1; k < n; k++) {
        double unit;
        if (strlen(cell(r, k)) != 3 || defidx_currency_unit(cell(r, k), fx->currencies[k - 1], &unit))
            return fail_at(r, k, "'%.40s' is not an ISO currency code (hint: three letters, such as USD; the rates are units of the currency per EUR)",
                           cell(r, k));
        /* Pence per EUR read as pounds per EUR would be 100 times off: the ECB quotes pounds, and
         * prices in pence are converted with them (util/currency.c). */
        if (unit != 1)
            return fail_at(r, k, "'%.40s' is a minor unit (%g %s), not a currency the rates can be in (hint: give the %s column, units of %s per EUR, as the ECB does; prices in %s are converted with it)",
                           cell(r, k), unit, fx->currencies[k - 1], fx->currencies[k - 1],
                           fx->currencies[k - 1], cell(r, k));
        for (size_t j = 1; j < k; j++)
            if (strcmp(fx->currencies[j - 1], fx->currencies[k - 1]) == 0)
                return fail_at(r, k, "the currency %s has a second column (hint: keep one of them: the first, column %zu, would be used)",
                               fx->currencies[k - 1], j + 1);
    }
    r->header_count = r->rec->count;
    return 0;
}

/* A data row: a date and one rate per currency, N/A or empty where the ECB published none. */
static int read_row(fx_loader *r)
{
    defidx_fx *fx = r->fx;
    size_t n = r->rec->count;
    while (n > fx->currency_count + 1 && cell(r, n - 1)[0] == '\0')
        n--;
    if (n > fx->currency_count + 1)
        return fail_at(r, fx->currency_count + 1, "more fields than the header has currencies (hint: one rate per currency of the header, or N/A)");
    if (n < fx->currency_count + 1 && r->rec->unended)
        return fail_at(r, n, "row has rates for %zu of the header's %zu currencies, and the file ends in it without a line end (hint: the file looks cut short: download it again)",
                       n - 1, fx->currency_count);
    if (n < fx->currency_count + 1)
        return fail_at(r, n, "row has rates for %zu of the header's %zu currencies (hint: write N/A where no rate was published)",
                       n - 1, fx->currency_count);
    int32_t date;
    if (defidx_date_parse(cell(r, 0), strlen(cell(r, 0)), &date, NULL))
        return fail_at(r, 0, "'%.40s' is not a date (hint: a real day written YYYY-MM-DD)", cell(r, 0));
    if (dfx_grow((void **)&fx->dates, &fx->date_capacity, fx->date_count + 1, sizeof *fx->dates))
        return out_of_memory(r);
    size_t capacity = fx->place_capacity;
    if (dfx_grow((void **)&fx->places, &capacity, fx->date_count + 1, sizeof *fx->places))
        return out_of_memory(r);
    fx->place_capacity = capacity;
    fx->places[fx->date_count] = (struct fx_place){r->rec->fields[0].line, r->rec->fields[0].column};
    /* Grown geometrically: a row at a time would copy the whole table on every row. */
    if (dfx_grow((void **)&fx->rates, &fx->rate_capacity, (fx->date_count + 1) * fx->currency_count + 1,
                    sizeof *fx->rates))
        return out_of_memory(r);
    double *row = fx->rates + fx->date_count * fx->currency_count;
    for (size_t k = 0; k < fx->currency_count; k++) {
        const char *text = k + 1 < n ? cell(r, k + 1) : "";
        row[k] = NAN;
        if (!*text || strcmp(text, "N/A") == 0)
            continue;
        if (defidx_number_parse(text, strlen(text), &row[k]) == 0 && isinf(row[k]))
            return fail_at(r, k + 1, "'%.40s%s' is out of range (hint: " DEFIDX_NUMBER_RANGE_HINT ")", text,
                           strlen(text) > 40 ? "..." : "");
        if (!(row[k] > 0) || !isfinite(row[k]))
            return fail_at(r, k + 1, "'%.40s' is not a positive rate (hint: a number with '.' as the decimal mark, such as 1.0832, or N/A)",
                           text);
        /* An EUR column is 1 in a file of rates per EUR; anything else says the file is of rates per
         * another currency, which would convert every price wrongly. */
        if (row[k] != 1 && strcmp(fx->currencies[k], "EUR") == 0)
            return fail_at(r, k + 1, "the EUR rate is '%.40s', not 1 (hint: the rates must be units of each currency per EUR, as the ECB's are: this file looks based on another currency)",
                           text);
    }
    fx->dates[fx->date_count++] = date;
    return 0;
}

/* The CSV reader's callback: the header first, then data rows. */
static int on_record(dfx_csv_record *rec, void *ctx, defidx_error *err)
{
    fx_loader *r = ctx;
    (void)err; /* the same as r->err */
    r->rec = rec;
    if (rec->count > FX_MAX_FIELDS)
        return fail_at(r, FX_MAX_FIELDS, "too many columns: more than the limit of %d (hint: the ECB's file has about 42; is this the right file?)",
                       FX_MAX_FIELDS);
    return r->header_count == 0 ? read_header(r) : read_row(r);
}

typedef struct dated_row {
    int32_t date;
    size_t row;
} dated_row;

static int by_date_then_row(const void *a, const void *b)
{
    const dated_row *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Puts the row numbers of dates (n of them) in date order. The ECB file is newest first, so a
 * file read backwards is usually in order already; anything else is sorted. */
static int order_rows(const int32_t *dates, size_t n, size_t *order)
{
    int descending = 1, ascending = 1;
    for (size_t i = 1; i < n; i++) {
        descending &= dates[i] < dates[i - 1];
        ascending &= dates[i] > dates[i - 1];
    }
    for (size_t i = 0; i < n; i++)
        order[i] = descending && !ascending ? n - 1 - i : i;
    if (descending || ascending)
        return 0;
    dated_row *rows = malloc(n * sizeof *rows);
    if (!rows)
        return DEFIDX_ENOMEM;
    for (size_t i = 0; i < n; i++)
        rows[i] = (dated_row){dates[i], i};
    qsort(rows, n, sizeof *rows, by_date_then_row);
    for (size_t i = 0; i < n; i++)
        order[i] = rows[i].row;
    free(rows);
    return 0;
}

/* The ECB file is newest first; rows are put in date order, and each currency's rate carried
 * forward so that a lookup is one binary search. */
static int index_rates(defidx_fx *fx, const char *name, defidx_error *err)
{
    size_t n = fx->date_count, c = fx->currency_count;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    fx->carried = malloc((n * c > 0 ? n * c : 1) * sizeof *fx->carried);
    fx->carried_on = malloc((n * c > 0 ? n * c : 1) * sizeof *fx->carried_on);
    int32_t *dates = malloc((n ? n : 1) * sizeof *dates);
    if (!order || !fx->carried || !fx->carried_on || !dates || order_rows(fx->dates, n, order)) {
        free(order);
        free(dates);
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        dates[i] = fx->dates[order[i]];
        if (i > 0 && dates[i] == dates[i - 1]) {
            /* rows of one date are in file order: the later one is shown */
            char day[11];
            defidx_date_format(dates[i], day);
            const struct fx_place *here = &fx->places[order[i]], *there = &fx->places[order[i - 1]];
            rc = defidx_error_set(err, DEFIDX_EDATA, name, here->line, here->column,
                                  "the date %s appears twice, here and at line %ld (hint: keep one of the rows)", day,
                                  there->line);
        }
        for (size_t k = 0; k < c; k++) {
            double v = fx->rates[order[i] * c + k];
            int carry = isnan(v) && i > 0;
            fx->carried[k * n + i] = carry ? fx->carried[k * n + i - 1] : v;
            fx->carried_on[k * n + i] = carry ? fx->carried_on[k * n + i - 1] : isnan(v) ? DEFIDX_NO_DATE : dates[i];
        }
    }
    free(fx->dates);
    fx->dates = dates;
    free(order);
    return rc;
}

int defidx_fx_parse(defidx_fx **out, const char *name, const char *csv, size_t len, defidx_error *err)
{
    *out = NULL;
    int rc = dfx_check_file_kind(name, csv, len, DEFIDX_FILE_FX, err);
    if (rc)
        return rc;
    defidx_fx *fx = calloc(1, sizeof *fx);
    if (!fx)
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    fx_loader r = {.fx = fx, .name = name, .err = err};
    rc = dfx_csv_read(name, csv, len, ',', on_record, &r, err);
    if (!rc && fx->date_count == 0)
        rc = defidx_error_set(err, DEFIDX_EINPUT, name, 0, 0, "has no FX rates (hint: the ECB eurofxref-hist.csv shape)");
    if (!rc)
        rc = index_rates(fx, name, err);
    if (rc) {
        defidx_fx_free(fx);
        return rc;
    }
    *out = fx;
    return 0;
}

int defidx_fx_load(defidx_fx **out, const char *path, defidx_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    static const dfx_size_limit limit = {
        DEFIDX_SIDE_FILE_MAX, NULL, "the FX file",
        "the ECB's whole history, eurofxref-hist.csv, is about 2 MB: is this the right file?", 1};
    int rc = dfx_read_file_limited(path, &limit, &data, &len, err);
    if (rc)
        return rc;
    rc = defidx_fx_parse(out, strcmp(path, "-") == 0 ? DEFIDX_STDIN_NAME : path, data, len, err);
    free(data);
    return rc;
}

/* ---- lookup ------------------------------------------------------------------------------------ */

/* The cell of fx->carried (and carried_on) that holds iso's rate on date: its column's offset
 * plus the row of the last date on or before date; -1 when the file has no such column or date. */
static long carried_cell(const defidx_fx *fx, const char *iso, int32_t date)
{
    if (!fx || fx->date_count == 0 || date < fx->dates[0])
        return -1;
    size_t c = 0;
    while (c < fx->currency_count && strcmp(fx->currencies[c], iso) != 0)
        c++;
    if (c == fx->currency_count)
        return -1;
    size_t lo = 0, hi = fx->date_count; /* the last date <= date is at lo after the search */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (fx->dates[mid] <= date)
            lo = mid;
        else
            hi = mid;
    }
    return (long)(c * fx->date_count + lo);
}

/* Units of iso per EUR on date (the last published on or before it); NAN when none. */
static double per_eur(const defidx_fx *fx, const char *iso, int32_t date)
{
    if (strcmp(iso, "EUR") == 0)
        return 1;
    long cell = carried_cell(fx, iso, date);
    return cell < 0 ? NAN : fx->carried[cell];
}

int32_t dfx_fx_rate_date(const defidx_fx *fx, const char *iso, int32_t date)
{
    if (strcmp(iso, "EUR") == 0)
        return date;
    long cell = carried_cell(fx, iso, date);
    return cell < 0 ? DEFIDX_NO_DATE : fx->carried_on[cell];
}

int defidx_fx_factor(const defidx_fx *fx, const char *from, const char *to, int32_t date,
                     double *factor, defidx_error *err)
{
    char iso_from[4], iso_to[4];
    double unit_from, unit_to;
    if (defidx_currency_unit(from, iso_from, &unit_from))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "'%s' is not a currency code", from);
    if (defidx_currency_unit(to, iso_to, &unit_to))
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "'%s' is not a currency code", to);
    if (strcmp(iso_from, iso_to) == 0) {
        *factor = unit_from / unit_to;
        return 0;
    }
    double rate_from = per_eur(fx, iso_from, date), rate_to = per_eur(fx, iso_to, date);
    if (isnan(rate_from) || isnan(rate_to)) {
        char day[11];
        defidx_date_format(date, day);
        return defidx_error_set(err, DEFIDX_EDATA, NULL, 0, 0, "no %s rate on or before %s%s",
                                isnan(rate_from) ? iso_from : iso_to, day,
                                fx ? " in the FX file" : " (hint: give ECB rates with --fx)");
    }
    *factor = unit_from / unit_to * rate_to / rate_from;
    return 0;
}
