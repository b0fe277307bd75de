/* spec.c: the index definition (docs/formats.md "Index definition"): name, currency, base,
 * weighting, cap, constituents and reviews, read with cJSON and checked before the engine sees it. */
#include "internal.h"
#include "load/weighting.h"
#include "util/kind.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void defidx_spec_free(defidx_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->review_count; i++)
        free(spec->reviews[i].members);
    free(spec->reviews);
    defidx_project *p = &spec->project;
    for (size_t i = 0; i < p->price_count; i++)
        free(p->prices[i].path);
    free(p->prices);
    free(p->fx.path);
    free(p->actions.path);
    free(p->benchmark.path);
    free(p->out_dir.path);
    free(spec->members);
    free(spec);
}

/* cJSON keeps no positions: the message names the JSON path, and the path is followed through the
 * text to give the line and column too. Top-level keys are named "index.key" for readability. */
/* The definition's text, so that messages can point into it, and a cursor that turns byte offsets
 * into lines and columns going forward: constituents are visited in text order, so that placing
 * each of them costs the text between it and the one before. */
typedef struct spec_source {
    const char *name;
    const char *text;
    size_t len;
    size_t at;
    long line, column;
} spec_source;

/* Line and column (1-based, in characters) of byte offset at, from the cursor on. */
static void position_of(spec_source *file, size_t at, long *line, long *column)
{
    if (at < file->at) {
        file->at = 0;
        file->line = file->column = 1;
    }
    for (; file->at < at && file->at < file->len; file->at++) {
        if (file->text[file->at] == '\n') {
            file->line++;
            file->column = 1;
        } else if ((file->text[file->at] & 0xC0) != 0x80) {
            file->column++;
        }
    }
    *line = file->line;
    *column = file->column;
}

/* Line and column of the value at path (1:1 when it cannot be found). */
static void locate(spec_source *file, const char *path, long *line, long *column)
{
    size_t at = 0;
    const char *where = strncmp(path, "index.", 6) == 0 ? path + 6 : path[0] == '(' ? "" : path;
    *line = *column = 1;
    if (dfx_json_locate(file->text, file->len, where, &at) == 0)
        position_of(file, at, line, column);
}

/* Fills a data error "path: message" at byte offset at (the value of path when at is SIZE_MAX). */
static int spec_verror(defidx_error *err, spec_source *file, size_t at, const char *path, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 0)))
#endif
    ;
static int spec_verror(defidx_error *err, spec_source *file, size_t at, const char *path, const char *fmt, va_list ap)
{
    char message[600];
    vsnprintf(message, sizeof message, fmt, ap);
    long line, column;
    if (at == SIZE_MAX)
        locate(file, path, &line, &column);
    else
        position_of(file, at, &line, &column);
    return defidx_error_set(err, DEFIDX_EDATA, file->name, line, column, "%s: %s", path, message);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int spec_error(defidx_error *err, spec_source *file, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = spec_verror(err, file, SIZE_MAX, path, fmt, ap);
    va_end(ap);
    return rc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int spec_error_at(defidx_error *err, spec_source *file, size_t at, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = spec_verror(err, file, at, path, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- keys ---------------------------------------------------------------------------------- */

static const char *const root_keys[] = {"name", "description", "currency", "base_date", "base_value", "weighting", "cap",
                                        "group_threshold", "group_cap", "constituents", "reviews",
                                        /* the project: inputs and defaults (read_project) */
                                        "prices", "fx", "actions", "benchmark", "out_dir", "since",
                                        "max_gap", "max_age", "return", NULL};
static const char *const member_keys[] = {"ticker", "name", "currency", "shares", "free_float", "weight",
                                          "country", "segment", NULL};
static const char *const review_keys[] = {"effective", "constituents", NULL};

/* The edit distance of a and b (insertions, deletions, substitutions), or 99 when either is
 * longer than 32 bytes: keys are short. */
static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 32 || m > 32)
        return 99;
    int row[33];
    for (size_t j = 0; j <= m; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int diagonal = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int up = row[j];
            int best = diagonal + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = up;
        }
    }
    return row[m];
}

/* The known key that an unknown one was most likely meant as: the same in another case, or within
 * two edits of a key of five or more letters ("reveiws", "free float", "Shares"); else NULL. */
static const char *meant_key(const char *key, const char *const *known)
{
    for (const char *const *k = known; *k; k++)
        if (dfx_ascii_ieq(key, strlen(key), *k))
            return *k;
    for (const char *const *k = known; *k; k++)
        if (strlen(*k) >= 5 && strlen(key) >= 5 && edit_distance(key, *k) <= 2)
            return *k;
    return NULL;
}

/* Checks the keys of the object at byte offset obj (path names it in messages): a known key given
 * twice (cJSON would take the first, silently) and an unknown one that looks like a misspelt known
 * one (it would be ignored, silently) are errors at the key. Other unknown keys are allowed: a
 * "comment" or "source" note is harmless. */
static int check_keys(const cJSON *o, size_t obj, const char *const *known, spec_source *file, const char *path,
                      defidx_error *err)
{
    size_t i = dfx_json_first_item(file->text, file->len, obj);
    for (const cJSON *m = o->child; m; m = m->next) {
        int is_known = 0;
        for (const char *const *k = known; *k && !is_known; k++)
            is_known = strcmp(m->string, *k) == 0;
        const char *meant = is_known ? NULL : meant_key(m->string, known);
        if (meant)
            return spec_error_at(err, file, i, path, "unknown key \"%.40s\" (hint: did you mean \"%s\"? keys are written as in docs/formats.md)",
                                 m->string, meant);
        for (const cJSON *e = o->child; is_known && e != m; e = e->next)
            if (strcmp(e->string, m->string) == 0)
                return spec_error_at(err, file, i, path, "the key \"%s\" appears twice (hint: keep one of them: which one is meant cannot be told)",
                                     m->string);
        i = dfx_json_next_item(file->text, file->len, dfx_json_member_value(file->text, file->len, i));
    }
    return 0;
}

/* The byte offset of the value of key (exact case) in the object at obj, or SIZE_MAX. */
static size_t value_offset(const spec_source *file, size_t obj, const char *key)
{
    const char *s = file->text;
    size_t len = file->len, n = strlen(key);
    for (size_t i = dfx_json_first_item(s, len, obj); i < len && s[i] == '"';) {
        size_t end = dfx_json_skip_string(s, len, i), v = dfx_json_member_value(s, len, i);
        if (end - i - 2 == n && memcmp(s + i + 1, key, n) == 0)
            return v;
        i = dfx_json_next_item(s, len, v);
    }
    return SIZE_MAX;
}

/* ---- values -------------------------------------------------------------------------------- */

/* Copies an optional string member; "" when absent. */
static int read_text(const cJSON *obj, const char *key, char *dst, size_t size, spec_source *file,
                     const char *path, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    dst[0] = '\0';
    if (!v || cJSON_IsNull(v))
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (!cJSON_IsString(v))
        return spec_error(err, file, where, "must be a string, not %s (hint: write it in double quotes)",
                          cJSON_IsNumber(v) ? "a number" : cJSON_IsBool(v) ? "a boolean" : cJSON_IsArray(v) ? "an array" : "an object");
    if (dfx_copy_text(dst, size, v->valuestring))
        return spec_error(err, file, where, "'%.40s...' is longer than the limit of %zu bytes (hint: %s)", v->valuestring,
                          size - 1, strcmp(key, "ticker") == 0 ? "use the exchange ticker, as in the price files" : "shorten it");
    return 0;
}

/* Reads an optional currency member (the index's or a constituent's): a currency code as the
 * price files and the FX file write them. */
static int read_currency(const cJSON *obj, char *dst, size_t size, spec_source *file, const char *path,
                         defidx_error *err)
{
    int rc = read_text(obj, "currency", dst, size, file, path, err);
    char iso[4], where[160];
    double unit;
    if (rc || !dst[0] || defidx_currency_unit(dst, iso, &unit) == 0)
        return rc;
    snprintf(where, sizeof where, "%s.currency", path);
    return spec_error(err, file, where, "'%s' is not a currency code (hint: an ISO code such as EUR, or GBX for pence)", dst);
}

/* Reads an optional country member: an ISO 3166 alpha-2 code, kept in upper case ("de" is DE). */
static int read_country(const cJSON *obj, char *dst, size_t size, spec_source *file, const char *path,
                        defidx_error *err)
{
    /* ISO 3166 reserves these for the EU's usage; as countries they would split a group in two */
    static const struct {
        const char *written, *iso, *name;
    } reserved[] = {{"UK", "GB", "the United Kingdom"}, {"EL", "GR", "Greece"}};
    char given[64], where[160];
    int rc = read_text(obj, "country", given, sizeof given, file, path, err);
    dst[0] = '\0';
    if (rc || !given[0])
        return rc;
    snprintf(where, sizeof where, "%s.country", path);
    if (strlen(given) != 2 || !isalpha((unsigned char)given[0]) || !isalpha((unsigned char)given[1]) || size < 3)
        return spec_error(err, file, where, "'%s' is not a country code (hint: two letters of ISO 3166, such as \"DE\" or \"GB\")", given);
    char code[3] = {(char)toupper((unsigned char)given[0]), (char)toupper((unsigned char)given[1]), '\0'};
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
        if (strcmp(code, reserved[k].written) == 0)
            return spec_error(err, file, where, "'%s' is not an ISO 3166 country code (hint: ISO 3166 writes %s \"%s\")",
                              given, reserved[k].name, reserved[k].iso);
    memcpy(dst, code, sizeof code);
    return 0;
}

/* Reads an optional number member into *out (NAN when absent); it must lie in [lo, hi]. */
static int read_number(const cJSON *obj, const char *key, double lo, double hi, double *out,
                       spec_source *file, const char *path, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NAN;
    if (!v || cJSON_IsNull(v))
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (cJSON_IsString(v))
        return spec_error(err, file, where, "must be a number, not a string (hint: write it without quotes)");
    if (!cJSON_IsNumber(v))
        return spec_error(err, file, where, "must be a number (hint: write digits, without quotes)");
    if (!isfinite(v->valuedouble)) /* JSON has no infinity: a number too large for a double */
        return spec_error(err, file, where, "is out of range (between %g and %g) (hint: %s)", lo, hi,
                          DEFIDX_NUMBER_RANGE_HINT);
    if (!(v->valuedouble >= lo && v->valuedouble <= hi)) {
        char range[80];
        snprintf(range, sizeof range, " (between %g and %g)", lo, hi);
        return spec_error(err, file, where, "is out of range%s (hint: %s)", range,
                          strcmp(key, "shares") == 0       ? "the number of shares outstanding, such as 43530000"
                          : strcmp(key, "base_value") == 0 ? "the level on the base date, such as 100 or 1000"
                          : strncmp(key, "max_", 4) == 0   ? "a whole number of business days, such as 5"
                                                           : "a fraction: 0.1 for 10%");
    }
    *out = v->valuedouble;
    return 0;
}

static int read_date(const cJSON *obj, const char *key, int32_t *out, spec_source *file,
                     const char *path, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = DEFIDX_NO_DATE;
    if (!v || cJSON_IsNull(v))
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s.%s", path, key);
    defidx_error e;
    if (!cJSON_IsString(v))
        return spec_error(err, file, where, "must be a date string YYYY-MM-DD (hint: such as \"2025-02-18\")");
    if (defidx_date_parse(v->valuestring, strlen(v->valuestring), out, &e))
        return spec_error(err, file, where, "%s (hint: a real day written YYYY-MM-DD, such as \"2025-02-18\")", e.message);
    return 0;
}

/* Reads the constituent item, which starts at byte offset at. */
static int read_member(const cJSON *item, size_t at, defidx_member *m, spec_source *file, const char *path,
                       defidx_error *err)
{
    int rc;
    if (!cJSON_IsObject(item))
        return spec_error_at(err, file, at, path, "must be an object with at least a ticker (hint: {\"ticker\": \"RHM.DE\"})");
    if ((rc = check_keys(item, at, member_keys, file, path, err)) ||
        (rc = read_text(item, "ticker", m->ticker, sizeof m->ticker, file, path, err)) ||
        (rc = read_text(item, "name", m->name, sizeof m->name, file, path, err)) ||
        (rc = read_currency(item, m->currency, sizeof m->currency, file, path, err)) ||
        (rc = read_number(item, "shares", 0, 1e15, &m->shares, file, path, err)) ||
        (rc = read_number(item, "free_float", 0, 1, &m->free_float, file, path, err)) ||
        (rc = read_number(item, "weight", 0, 1, &m->weight, file, path, err)) ||
        (rc = read_country(item, m->country, sizeof m->country, file, path, err)) ||
        (rc = read_text(item, "segment", m->segment, sizeof m->segment, file, path, err)))
        return rc;
    if (!m->ticker[0])
        return spec_error_at(err, file, at, path, "has no ticker (hint: every constituent needs \"ticker\", as in the price files)");
    position_of(file, at, &m->line, &m->column);
    if (m->shares == 0)
        return spec_error(err, file, path, "shares must be positive (hint: the number of shares outstanding, or leave it out)");
    if (m->free_float == 0)
        return spec_error(err, file, path, "free_float must be above 0 (hint: leave the constituent out instead)");
    return 0;
}

/* Orders constituents by ticker, then by their place in the list. */
static int by_ticker_then_place(const void *a, const void *b)
{
    const defidx_member *const *x = a, *const *y = b;
    int c = strcmp((*x)->ticker, (*y)->ticker);
    return c ? c : (*x > *y) - (*x < *y);
}

/* The place of the first constituent of m[0..n-1] whose ticker an earlier one has, or n. Sorted
 * rather than compared pair by pair: a list may hold as many constituents as a run holds tickers. */
static size_t first_repeat(const defidx_member *m, size_t n, size_t *first_place)
{
    const defidx_member **order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        order[i] = &m[i];
    qsort(order, n, sizeof *order, by_ticker_then_place);
    size_t repeat = n;
    for (size_t i = 1; i < n; i++)
        if (strcmp(order[i]->ticker, order[i - 1]->ticker) == 0 && (size_t)(order[i] - m) < repeat) {
            repeat = (size_t)(order[i] - m);
            *first_place = (size_t)(order[i - 1] - m);
        }
    free(order);
    return repeat;
}

/* Reads a constituents array (the initial list or a review's full list), which starts at byte
 * offset at (SIZE_MAX when absent). */
static int read_members(const cJSON *array, size_t at, defidx_member **out, size_t *count, spec_source *file,
                        const char *path, defidx_error *err)
{
    if (!cJSON_IsArray(array) || cJSON_GetArraySize(array) == 0)
        return spec_error(err, file, path, "must be a non-empty array of constituents (hint: [{\"ticker\": \"RHM.DE\"}, ...])");
    size_t n = 0;
    for (const cJSON *item = array->child; item; item = item->next)
        n++;
    if (n > (size_t)DEFIDX_TICKERS_MAX)
        return spec_error(err, file, path, "holds %zu constituents, more than the limit of %ld (hint: an index of so many is not computed by defidx)",
                          n, DEFIDX_TICKERS_MAX);
    defidx_member *m = calloc(n, sizeof *m);
    if (!m)
        return defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
    size_t i = 0, item_at = dfx_json_first_item(file->text, file->len, at);
    const cJSON *item;
    cJSON_ArrayForEach(item, array)
    {
        char where[128];
        snprintf(where, sizeof where, "%s[%zu]", path, i);
        int rc = read_member(item, item_at, &m[i], file, where, err);
        if (rc) {
            free(m);
            return rc;
        }
        item_at = dfx_json_next_item(file->text, file->len, item_at);
        i++;
    }
    size_t earlier = 0, repeat = first_repeat(m, n, &earlier);
    if (repeat == SIZE_MAX) {
        free(m);
        return defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
    }
    if (repeat < n) {
        char where[128];
        snprintf(where, sizeof where, "%s[%zu]", path, repeat);
        int rc = spec_error(err, file, where, "lists %s twice (hint: the first is %s[%zu], line %ld; remove one)",
                            m[repeat].ticker, path, earlier, m[earlier].line);
        free(m);
        return rc;
    }
    *out = m;
    *count = n;
    return 0;
}

/* 1 when any constituent of a list gives a weight: then all must, adding up to 1, whatever the
 * weighting, so that --weighting fixed on the command line finds them complete. */
static int any_weight(const defidx_member *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isnan(m[i].weight))
            return 1;
    return 0;
}

/* A list with weights needs one for every constituent, adding up to 1. */
static int check_weights(const defidx_member *m, size_t n, spec_source *file, const char *path,
                         defidx_error *err)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(m[i].weight))
            return spec_error(err, file, path, "fixed weighting needs a weight for %s (hint: give every constituent a \"weight\", adding up to 1)",
                              m[i].ticker);
        sum += m[i].weight;
    }
    if (fabs(sum - 1) > 1e-6) {
        char s[64];
        snprintf(s, sizeof s, "%.10g", sum);
        return spec_error(err, file, path, "weights add up to %s, not 1 (hint: weights are fractions of the index: 0.25 for 25%%)", s);
    }
    return 0;
}

static int by_effective(const void *a, const void *b)
{
    const defidx_review *x = a, *y = b;
    return (x->effective > y->effective) - (x->effective < y->effective);
}

static int read_reviews(const cJSON *root, size_t root_at, defidx_spec *s, spec_source *file, defidx_error *err)
{
    const cJSON *reviews = cJSON_GetObjectItemCaseSensitive(root, "reviews");
    if (!reviews || cJSON_IsNull(reviews))
        return 0;
    if (!cJSON_IsArray(reviews))
        return spec_error(err, file, "reviews", "must be an array (hint: [{\"effective\": \"2025-03-24\", \"constituents\": [...]}])");
    size_t n = 0;
    for (const cJSON *r = reviews->child; r; r = r->next)
        n++;
    if (n == 0)
        return 0;
    if (!(s->reviews = calloc(n, sizeof *s->reviews)))
        return defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
    size_t review_at = dfx_json_first_item(file->text, file->len, value_offset(file, root_at, "reviews"));
    const cJSON *r;
    cJSON_ArrayForEach(r, reviews)
    {
        char path[64], list[96];
        snprintf(path, sizeof path, "reviews[%zu]", s->review_count);
        snprintf(list, sizeof list, "%s.constituents", path);
        defidx_review *rev = &s->reviews[s->review_count];
        int rc;
        if (!cJSON_IsObject(r))
            return spec_error_at(err, file, review_at, path, "must be an object (hint: {\"effective\": \"2025-03-24\", \"constituents\": [...]})");
        if ((rc = check_keys(r, review_at, review_keys, file, path, err)) ||
            (rc = read_date(r, "effective", &rev->effective, file, path, err)))
            return rc;
        if (rev->effective == DEFIDX_NO_DATE)
            return spec_error_at(err, file, review_at, path, "has no effective date (hint: \"effective\": \"2025-03-24\", the first day of the new list)");
        if ((rc = read_members(cJSON_GetObjectItemCaseSensitive(r, "constituents"),
                               value_offset(file, review_at, "constituents"), &rev->members, &rev->count, file, list, err)))
            return rc;
        s->review_count++;
        if ((dfx_weighting_info_of(s->weighting)->needs_weights || any_weight(rev->members, rev->count)) &&
            (rc = check_weights(rev->members, rev->count, file, list, err)))
            return rc;
        review_at = dfx_json_next_item(file->text, file->len, review_at);
    }
    qsort(s->reviews, s->review_count, sizeof *s->reviews, by_effective);
    for (size_t i = 1; i < s->review_count; i++)
        if (s->reviews[i].effective == s->reviews[i - 1].effective) {
            char day[11];
            defidx_date_format(s->reviews[i].effective, day);
            return spec_error(err, file, "reviews", "two reviews take effect on the same date, %s (hint: merge them into one)", day);
        }
    return 0;
}

/* ---- the project: the inputs and defaults a definition names ------------------------------- */

/* path resolved against the folder of the definition at source; an absolute path as it is. A new
 * string, or NULL. */
static char *resolve(const char *source, const char *path)
{
    const char *slash = path[0] == '/' || !source ? NULL : strrchr(source, '/');
    size_t dir = slash ? (size_t)(slash - source) + 1 : 0, n = strlen(path);
    char *out = malloc(dir + n + 1);
    if (out) {
        memcpy(out, source, dir);
        memcpy(out + dir, path, n + 1);
    }
    return out;
}

/* One file name at where (its value v): a non-empty string, resolved. */
static int read_path(const cJSON *v, const char *where, const char *source, defidx_project_path *out,
                     spec_source *file, defidx_error *err)
{
    int folder = strcmp(where, "index.out_dir") == 0;
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return spec_error(err, file, where, "must be a %s name, not %s (hint: relative to the definition's folder, such as %s)",
                          folder ? "folder" : "file", cJSON_IsString(v) ? "empty" : "another kind of value",
                          folder ? "\"reports\"" : "\"prices.csv\"");
    snprintf(out->key, sizeof out->key, "%s", where);
    locate(file, where, &out->line, &out->column);
    out->path = resolve(source, v->valuestring);
    return out->path ? 0 : defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
}

/* Of a key that takes one value or a list of them (v, not NULL): how many values, 0 for []. */
static int values_in(const cJSON *v)
{
    return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 1;
}

/* Its k-th value, and the value's path into where: "index.KEY[k]" in a list, "index.KEY" alone. */
static const cJSON *value_at(const cJSON *v, int k, const char *key, char *where, size_t size)
{
    if (!cJSON_IsArray(v)) {
        snprintf(where, size, "index.%s", key);
        return v;
    }
    snprintf(where, size, "index.%s[%d]", key, k);
    return cJSON_GetArrayItem(v, k);
}

/* "prices": a file name, or a list of them. */
static int read_prices(const cJSON *root, const char *source, defidx_project *p, spec_source *file, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "prices");
    if (!v || cJSON_IsNull(v))
        return 0;
    int n = values_in(v);
    if (n == 0)
        return spec_error(err, file, "index.prices", "lists no file (hint: [\"prices.csv\"], or leave it out)");
    p->prices = calloc((size_t)n, sizeof *p->prices);
    if (!p->prices)
        return defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
    for (int k = 0; k < n; k++) {
        char where[40];
        const cJSON *item = value_at(v, k, "prices", where, sizeof where);
        int rc = read_path(item, where, source, &p->prices[k], file, err);
        p->price_count += rc == 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* "since": a date, or a list of them. */
static int read_since(const cJSON *root, defidx_project *p, spec_source *file, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "since");
    if (!v || cJSON_IsNull(v))
        return 0;
    int n = values_in(v);
    if (n == 0)
        return spec_error(err, file, "index.since", "lists no date (hint: [\"2022-02-23\"], or leave it out)");
    if (n > (int)(sizeof p->since / sizeof *p->since))
        return spec_error(err, file, "index.since", "lists %d dates, more than %zu (hint: keep the ones you report)", n,
                          sizeof p->since / sizeof *p->since);
    for (int k = 0; k < n; k++) {
        char where[40];
        defidx_error e;
        const cJSON *d = value_at(v, k, "since", where, sizeof where);
        if (!cJSON_IsString(d) || defidx_date_parse(d->valuestring, strlen(d->valuestring), &p->since[k], &e))
            return spec_error(err, file, where, "must be a date YYYY-MM-DD (hint: such as \"2022-02-23\")");
        p->since_count++;
    }
    return 0;
}

/* A whole number option in [lo, hi], or keep (absent). */
static int read_count(const cJSON *root, const char *key, int lo, int hi, int *out, spec_source *file,
                      defidx_error *err)
{
    double x;
    int rc = read_number(root, key, lo, hi, &x, file, "index", err);
    if (rc || isnan(x))
        return rc;
    if (x != (double)(int)x) {
        char where[40];
        snprintf(where, sizeof where, "index.%s", key);
        return spec_error(err, file, where, "must be a whole number of business days (hint: such as 5)");
    }
    *out = (int)x;
    return 0;
}

/* The inputs and defaults the definition names (docs/formats.md "The definition as a project"). */
static int read_project(const cJSON *root, defidx_project *p, spec_source *file, defidx_error *err)
{
    static const struct {
        const char *key;
        size_t offset;
    } files[] = {{"fx", offsetof(defidx_project, fx)},
                 {"actions", offsetof(defidx_project, actions)},
                 {"benchmark", offsetof(defidx_project, benchmark)},
                 {"out_dir", offsetof(defidx_project, out_dir)}};
    p->max_age = -1;
    int rc = read_prices(root, file->name, p, file, err);
    for (size_t k = 0; k < sizeof files / sizeof *files && !rc; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, files[k].key);
        char where[40];
        snprintf(where, sizeof where, "index.%s", files[k].key);
        if (v && !cJSON_IsNull(v))
            rc = read_path(v, where, file->name, (defidx_project_path *)(void *)((char *)p + files[k].offset), file, err);
    }
    if (!rc)
        rc = read_since(root, p, file, err);
    if (!rc)
        rc = read_count(root, "max_gap", 1, 100000, &p->max_gap, file, err);
    if (!rc)
        rc = read_count(root, "max_age", 0, 100000, &p->max_age, file, err);
    if (!rc) /* a return type is the index's business to name: the command line reads it */
        rc = read_text(root, "return", p->return_type, sizeof p->return_type, file, "index", err);
    if (!rc && p->return_type[0])
        locate(file, "index.return", &p->return_line, &p->return_column);
    return rc;
}

static int read_spec(const cJSON *root, size_t root_at, defidx_spec *s, spec_source *file, defidx_error *err)
{
    int rc;
    char weighting[16];
    if (!cJSON_IsObject(root))
        return spec_error(err, file, "(top level)", "must be an object (hint: {\"currency\": \"EUR\", \"constituents\": [...]})");
    if ((rc = check_keys(root, root_at, root_keys, file, "index", err)) ||
        (rc = read_text(root, "name", s->name, sizeof s->name, file, "index", err)) ||
        (rc = read_text(root, "description", s->description, sizeof s->description, file, "index", err)) ||
        (rc = read_currency(root, s->currency, sizeof s->currency, file, "index", err)) ||
        (rc = read_date(root, "base_date", &s->base_date, file, "index", err)) ||
        (rc = read_number(root, "base_value", DEFIDX_BASE_VALUE_MIN, DEFIDX_BASE_VALUE_MAX, &s->base_value, file, "index", err)) ||
        (rc = read_number(root, "cap", 1e-6, 1, &s->cap, file, "index", err)) ||
        (rc = read_number(root, "group_threshold", 1e-6, 1, &s->group_threshold, file, "index", err)) ||
        (rc = read_number(root, "group_cap", 1e-6, 1, &s->group_cap, file, "index", err)) ||
        (rc = read_text(root, "weighting", weighting, sizeof weighting, file, "index", err)))
        return rc;
    if (isnan(s->group_threshold) != isnan(s->group_cap) || (!isnan(s->group_cap) && isnan(s->cap)))
        return spec_error(err, file, isnan(s->group_cap) ? "index.group_threshold" : "index.group_cap",
                          "the two-level capping rule needs cap, group_threshold and group_cap together (hint: such as 0.10, 0.045 and 0.40)");
    if (!isnan(s->group_cap) && !(s->group_threshold < s->cap && s->cap <= s->group_cap))
        return spec_error(err, file, "index.group_threshold",
                          "needs group_threshold < cap <= group_cap (hint: such as 0.045, 0.10, 0.40)");
    s->weighting = DEFIDX_WEIGHT_DEFAULT;
    if (weighting[0] && (s->weighting = defidx_weighting_parse(weighting)) < 0) {
        char names[128];
        dfx_kind_list(names, sizeof names, defidx_weighting_name, DEFIDX_WEIGHT_DEFAULT + 1, DEFIDX_WEIGHT_COUNT);
        return spec_error(err, file, "index.weighting", "'%s' is not a weighting (hint: %s)", weighting, names);
    }
    if ((rc = read_project(root, &s->project, file, err)) ||
        (rc = read_members(cJSON_GetObjectItemCaseSensitive(root, "constituents"), value_offset(file, root_at, "constituents"),
                           &s->members, &s->count, file, "constituents", err)))
        return rc;
    if ((dfx_weighting_info_of(s->weighting)->needs_weights || any_weight(s->members, s->count)) &&
        (rc = check_weights(s->members, s->count, file, "constituents", err)))
        return rc;
    return read_reviews(root, root_at, s, file, err);
}

/* Refuses text that is not the definition's kind of text, or that cJSON would misread: a NUL
 * (cJSON's strings end at one) and bytes that are not UTF-8 (JSON is UTF-8; the names would reach
 * the output as they are). */
static int check_text(spec_source *file, defidx_error *err)
{
    long line, column;
    int rc = dfx_check_file_kind(file->name, file->text, file->len, DEFIDX_FILE_INDEX, err);
    if (rc)
        return rc;
    size_t nul = dfx_json_find_nul(file->text, file->len), bad;
    if (nul < file->len) {
        position_of(file, nul, &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, file->name, line, column,
                                "a NUL character in the index definition (hint: UTF-16 without a byte-order mark, or a \\u0000 escape: save it as UTF-8 text)");
    }
    if ((bad = dfx_utf8_invalid(file->text, file->len)) < file->len) {
        position_of(file, bad, &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, file->name, line, column,
                                "the index definition is not UTF-8 text (hint: JSON is UTF-8: save it as UTF-8)");
    }
    return 0;
}

/* The definition's limit: judged by its size before it is read, and held again on text given whole. */
static const dfx_size_limit definition_limit = {DEFIDX_JSON_MAX, NULL, "the index definition", "is this the right file?", 0};

int defidx_spec_parse(defidx_spec **out, const char *name, const char *json, size_t len,
                      defidx_error *err)
{
    *out = NULL;
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
        json += 3, len -= 3; /* positions are counted after the mark, as editors show them */
    spec_source src = {name, json, len, 0, 1, 1};
    if (len > definition_limit.max)
        return dfx_refuse_size(name, &definition_limit, err);
    int rc = check_text(&src, err);
    if (rc)
        return rc;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    long line = 1, column = 1;
    if (!root) {
        char problem[300];
        size_t at = end ? (size_t)(end - json) : 0;
        int kind = dfx_json_syntax_problem(json, len, &at, problem, sizeof problem);
        position_of(&src, at, &line, &column);
        if (kind == 2)
            return defidx_error_set(err, DEFIDX_EDATA, name, line, column, "%s", problem);
        if (kind == 1)
            return defidx_error_set(err, DEFIDX_EDATA, name, line, column, "the index definition is not valid JSON: %s", problem);
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                                "the index definition is not valid JSON (hint: check the commas and quotes here)");
    }
    size_t after = end ? dfx_json_skip_blanks(json, len, (size_t)(end - json)) : len;
    if (after < len) {
        cJSON_Delete(root);
        position_of(&src, after, &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                                "unexpected text after the JSON value (hint: the index definition is one object, {...})");
    }
    defidx_spec *s = calloc(1, sizeof *s);
    if (!s) {
        cJSON_Delete(root);
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    }
    snprintf(s->source, sizeof s->source, "%s", name ? name : "");
    rc = read_spec(root, dfx_json_skip_blanks(json, len, 0), s, &src, err);
    cJSON_Delete(root);
    if (rc) {
        defidx_spec_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int defidx_spec_load(defidx_spec **out, const char *path, defidx_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    int rc = dfx_read_file_limited(path, &definition_limit, &data, &len, err);
    if (rc)
        return rc;
    rc = defidx_spec_parse(out, path, data, len, err);
    free(data);
    return rc;
}
