/* fx.c: reference FX rates in the ECB eurofxref-hist.csv shape (units of currency per EUR, newest
 * first, N/A cells, a trailing comma), read with libcsv, and currency units such as GBX (pence). */
#include "internal.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct defidx_fx {
    size_t currency_count;
    char (*currencies)[4];
    size_t date_count, date_capacity;
    int32_t *dates;    /* ascending after load */
    double *rates;     /* date_count x currency_count as read, NAN for N/A */
    double *carried;   /* currency_count x date_count: the last rate on or before each date */
};

void defidx_fx_free(defidx_fx *fx)
{
    if (!fx)
        return;
    free(fx->currencies);
    free(fx->dates);
    free(fx->rates);
    free(fx->carried);
    free(fx);
}

int defidx_currency_unit(const char *code, char iso[4], double *unit)
{
    /* Minor units quoted by exchanges: pence (London), cents (Johannesburg), agorot (Tel Aviv). */
    static const struct { const char *code, *iso; double unit; } minor[] = {
        {"GBX", "GBP", 0.01}, {"GBp", "GBP", 0.01}, {"ZAc", "ZAR", 0.01}, {"ZAC", "ZAR", 0.01},
        {"ILA", "ILS", 0.01}};
    for (size_t i = 0; i < sizeof minor / sizeof minor[0]; i++)
        if (strcmp(code, minor[i].code) == 0) {
            memcpy(iso, minor[i].iso, 4);
            *unit = minor[i].unit;
            return 0;
        }
    if (strlen(code) != 3)
        return DEFIDX_EDATA;
    for (int i = 0; i < 3; i++) {
        char c = code[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return DEFIDX_EDATA;
        iso[i] = c;
    }
    iso[3] = '\0';
    *unit = 1;
    return 0;
}

/* ---- reading --------------------------------------------------------------------------------- */

#define FX_MAX_FIELDS 256

typedef struct reader {
    defidx_fx *fx;
    const char *name;
    const char *line_text; /* the physical line being fed, for column numbers */
    long line;
    size_t field_count;           /* fields of the current record so far */
    char fields[FX_MAX_FIELDS][32];
    size_t header_count;          /* fields of the header, 0 until it is read */
    int failed;
    defidx_error *err;
} reader;

/* Column (1-based) of field k in line, counting separators outside quotes. */
static long field_column(const char *line, size_t k)
{
    size_t i = 0, f = 0;
    int quoted = 0;
    for (; line[i] && line[i] != '\n' && f < k; i++) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == ',' && !quoted)
            f++;
    }
    return (long)i + 1;
}

/* Records the first error only; libcsv keeps calling back until the line is done. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail_at(reader *r, size_t field, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = 1;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    defidx_error_set(r->err, DEFIDX_EDATA, r->name, r->line, field_column(r->line_text, field),
                     "%s", text);
}

static void on_field(void *text, size_t len, void *data)
{
    reader *r = data;
    if (r->failed)
        return;
    if (r->field_count >= FX_MAX_FIELDS) {
        fail_at(r, r->field_count, "too many columns");
        return;
    }
    char *dst = r->fields[r->field_count++];
    if (len >= sizeof r->fields[0])
        len = sizeof r->fields[0] - 1; /* no valid cell is this long; it fails as a number below */
    memcpy(dst, text ? text : "", len);
    dst[len] = '\0';
}

/* The header names the currencies: Date, then ISO codes, then the ECB's empty trailing field. */
static void read_header(reader *r)
{
    defidx_fx *fx = r->fx;
    if (!defidx_ascii_ieq(r->fields[0], strlen(r->fields[0]), "date")) {
        fail_at(r, 0, "the first column is '%s', not Date (hint: the ECB eurofxref-hist.csv shape)", r->fields[0]);
        return;
    }
    size_t n = r->field_count;
    while (n > 1 && r->fields[n - 1][0] == '\0')
        n--;
    fx->currency_count = n - 1;
    fx->currencies = calloc(n, sizeof *fx->currencies);
    if (!fx->currencies) {
        fail_at(r, 0, "out of memory");
        return;
    }
    for (size_t k = 1; k < n; k++) {
        double unit;
        if (strlen(r->fields[k]) != 3 || defidx_currency_unit(r->fields[k], fx->currencies[k - 1], &unit)) {
            fail_at(r, k, "'%s' is not an ISO currency code", r->fields[k]);
            return;
        }
    }
    r->header_count = r->field_count;
}

/* A data row: a date and one rate per currency, N/A or empty where the ECB published none. */
static void read_row(reader *r)
{
    defidx_fx *fx = r->fx;
    size_t n = r->field_count;
    while (n > fx->currency_count + 1 && r->fields[n - 1][0] == '\0')
        n--;
    if (n > fx->currency_count + 1) {
        fail_at(r, fx->currency_count + 1, "more fields than the header has currencies");
        return;
    }
    int32_t date;
    if (defidx_date_parse(r->fields[0], strlen(r->fields[0]), &date, NULL)) {
        fail_at(r, 0, "'%s' is not a date (hint: YYYY-MM-DD)", r->fields[0]);
        return;
    }
    if (defidx_grow((void **)&fx->dates, &fx->date_capacity, fx->date_count + 1, sizeof *fx->dates)) {
        fail_at(r, 0, "out of memory");
        return;
    }
    double *row = realloc(fx->rates, (fx->date_count + 1) * fx->currency_count * sizeof *row + 1);
    if (!row) {
        fail_at(r, 0, "out of memory");
        return;
    }
    fx->rates = row;
    row += fx->date_count * fx->currency_count;
    for (size_t k = 0; k < fx->currency_count; k++) {
        const char *cell = k + 1 < n ? r->fields[k + 1] : "";
        row[k] = NAN;
        if (!*cell || strcmp(cell, "N/A") == 0)
            continue;
        if (defidx_number_parse(cell, strlen(cell), &row[k]) || !(row[k] > 0) || !isfinite(row[k])) {
            fail_at(r, k + 1, "'%s' is not a positive rate (hint: a number, or N/A)", cell);
            return;
        }
    }
    fx->dates[fx->date_count++] = date;
}

static void on_record(int terminator, void *data)
{
    (void)terminator;
    reader *r = data;
    if (!r->failed) {
        if (r->header_count == 0)
            read_header(r);
        else
            read_row(r);
    }
    r->field_count = 0;
}

/* The ECB file is newest first; rows are put in date order, and each currency's rate carried
 * forward so that a lookup is one binary search. */
static int index_rates(defidx_fx *fx, const char *name, defidx_error *err)
{
    size_t n = fx->date_count, c = fx->currency_count;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    fx->carried = malloc((n * c > 0 ? n * c : 1) * sizeof *fx->carried);
    int32_t *dates = malloc((n ? n : 1) * sizeof *dates);
    if (!order || !fx->carried || !dates) {
        free(order);
        free(dates);
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    }
    /* Insertion into a sorted position: the file is sorted already (descending), so this is linear. */
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && fx->dates[order[k - 1]] > fx->dates[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        dates[i] = fx->dates[order[i]];
        if (i > 0 && dates[i] == dates[i - 1]) {
            char day[11];
            defidx_date_format(dates[i], day);
            rc = defidx_error_set(err, DEFIDX_EDATA, name, 0, 0, "the date %s appears twice", day);
        }
        for (size_t k = 0; k < c; k++) {
            double v = fx->rates[order[i] * c + k];
            fx->carried[k * n + i] = isnan(v) && i > 0 ? fx->carried[k * n + i - 1] : v;
        }
    }
    free(fx->dates);
    fx->dates = dates;
    free(order);
    return rc;
}

/* Feeds data to libcsv one physical line at a time, so that errors can name their line. */
static int parse_lines(struct csv_parser *parser, reader *r, const char *data, size_t len)
{
    size_t at = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        at = 3;
    while (at < len && !r->failed) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        r->line++;
        r->line_text = data + at;
        if (csv_parse(parser, data + at, end - at, on_field, on_record, r) != end - at)
            fail_at(r, 0, "%s", csv_strerror(csv_error(parser)));
        at = end;
    }
    if (!r->failed && csv_fini(parser, on_field, on_record, r) != 0)
        fail_at(r, 0, "unterminated quote (%s)", csv_strerror(csv_error(parser)));
    return r->failed ? r->err ? r->err->code : DEFIDX_EDATA : 0;
}

int defidx_fx_parse(defidx_fx **out, const char *name, const char *csv, size_t len, defidx_error *err)
{
    *out = NULL;
    defidx_fx *fx = calloc(1, sizeof *fx);
    reader *r = calloc(1, sizeof *r);
    struct csv_parser parser;
    if (!fx || !r || csv_init(&parser, CSV_APPEND_NULL) != 0) {
        free(fx);
        free(r);
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    }
    defidx_error local;
    *r = (reader){.fx = fx, .name = name, .err = err ? err : &local, .line_text = ""};
    int rc = parse_lines(&parser, r, csv, len);
    csv_free(&parser);
    free(r);
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
    int rc = defidx_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    rc = defidx_fx_parse(out, path, data, len, err);
    free(data);
    return rc;
}

/* ---- lookup ------------------------------------------------------------------------------------ */

/* Units of iso per EUR on date (the last published on or before it); NAN when none. */
static double per_eur(const defidx_fx *fx, const char *iso, int32_t date)
{
    if (strcmp(iso, "EUR") == 0)
        return 1;
    if (!fx || fx->date_count == 0 || date < fx->dates[0])
        return NAN;
    size_t c = 0;
    while (c < fx->currency_count && strcmp(fx->currencies[c], iso) != 0)
        c++;
    if (c == fx->currency_count)
        return NAN;
    size_t lo = 0, hi = fx->date_count; /* the last date <= date is at lo after the search */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (fx->dates[mid] <= date)
            lo = mid;
        else
            hi = mid;
    }
    return fx->carried[c * fx->date_count + lo];
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
