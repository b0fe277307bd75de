/* spec.c: the index definition (CONTRACT.md "Index definition"): name, currency, base, weighting,
 * cap, constituents and reviews, read with cJSON and checked before the engine sees it. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *const weighting_names[] = {"default", "ffmcap", "mcap", "equal", "price", "fixed"};

int defidx_weighting_parse(const char *name)
{
    for (int i = DEFIDX_WEIGHT_FFMCAP; i <= DEFIDX_WEIGHT_FIXED; i++)
        if (strcmp(name, weighting_names[i]) == 0)
            return i;
    return -1;
}

const char *defidx_weighting_name(int weighting)
{
    if (weighting < DEFIDX_WEIGHT_DEFAULT || weighting > DEFIDX_WEIGHT_FIXED)
        return "unknown";
    return weighting_names[weighting];
}

void defidx_spec_free(defidx_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->review_count; i++)
        free(spec->reviews[i].members);
    free(spec->reviews);
    free(spec->members);
    free(spec);
}

/* cJSON keeps no positions: the message names the JSON path, and the path is followed through the
 * text to give the line and column too. Top-level keys are named "index.key" for readability. */
/* The definition's text, so that messages can point into it. */
typedef struct spec_source {
    const char *name;
    const char *text;
    size_t len;
} spec_source;

/* Line and column of the value at path (1:1 when it cannot be found). */
static void locate(const spec_source *file, const char *path, long *line, long *column)
{
    size_t at = 0;
    const char *where = strncmp(path, "index.", 6) == 0 ? path + 6 : path[0] == '(' ? "" : path;
    *line = *column = 1;
    if (defidx_json_locate(file->text, file->len, where, &at) == 0)
        defidx_position(file->text, at, line, column);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int spec_error(defidx_error *err, const spec_source *file, const char *path, const char *fmt, ...)
{
    char message[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    long line, column;
    locate(file, path, &line, &column);
    return defidx_error_set(err, DEFIDX_EDATA, file->name, line, column, "%s: %s", path, message);
}

/* Copies an optional string member; "" when absent. */
static int read_text(const cJSON *obj, const char *key, char *dst, size_t size, const spec_source *file,
                     const char *path, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    dst[0] = '\0';
    if (!v || cJSON_IsNull(v))
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (!cJSON_IsString(v))
        return spec_error(err, file, where, "must be a string");
    if (defidx_copy_text(dst, size, v->valuestring))
        return spec_error(err, file, where, "is too long");
    return 0;
}

/* Reads an optional number member into *out (NAN when absent); it must lie in [lo, hi]. */
static int read_number(const cJSON *obj, const char *key, double lo, double hi, double *out,
                       const spec_source *file, const char *path, defidx_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NAN;
    if (!v || cJSON_IsNull(v))
        return 0;
    char where[160];
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return spec_error(err, file, where, "must be a number");
    if (!(v->valuedouble >= lo && v->valuedouble <= hi)) {
        char range[80];
        snprintf(range, sizeof range, " (between %g and %g)", lo, hi);
        return spec_error(err, file, where, "is out of range%s", range);
    }
    *out = v->valuedouble;
    return 0;
}

static int read_date(const cJSON *obj, const char *key, int32_t *out, const spec_source *file,
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
        return spec_error(err, file, where, "must be a date string YYYY-MM-DD");
    if (defidx_date_parse(v->valuestring, strlen(v->valuestring), out, &e))
        return spec_error(err, file, where, "%s", e.message);
    return 0;
}

static int read_member(const cJSON *item, defidx_member *m, const spec_source *file, const char *path,
                       defidx_error *err)
{
    int rc;
    if (!cJSON_IsObject(item))
        return spec_error(err, file, path, "must be an object with at least a ticker");
    if ((rc = read_text(item, "ticker", m->ticker, sizeof m->ticker, file, path, err)) ||
        (rc = read_text(item, "name", m->name, sizeof m->name, file, path, err)) ||
        (rc = read_text(item, "currency", m->currency, sizeof m->currency, file, path, err)) ||
        (rc = read_number(item, "shares", 0, 1e15, &m->shares, file, path, err)) ||
        (rc = read_number(item, "free_float", 0, 1, &m->free_float, file, path, err)) ||
        (rc = read_number(item, "weight", 0, 1, &m->weight, file, path, err)))
        return rc;
    if (!m->ticker[0])
        return spec_error(err, file, path, "has no ticker");
    locate(file, path, &m->line, &m->column);
    if (m->shares == 0)
        return spec_error(err, file, path, "shares must be positive");
    if (m->free_float == 0)
        return spec_error(err, file, path, "free_float must be above 0 (hint: leave the constituent out instead)");
    return 0;
}

/* Reads a constituents array (the initial list or a review's full list). */
static int read_members(const cJSON *array, defidx_member **out, size_t *count, const spec_source *file,
                        const char *path, defidx_error *err)
{
    if (!cJSON_IsArray(array) || cJSON_GetArraySize(array) == 0)
        return spec_error(err, file, path, "must be a non-empty array of constituents");
    size_t n = (size_t)cJSON_GetArraySize(array);
    defidx_member *m = calloc(n, sizeof *m);
    if (!m)
        return defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, array)
    {
        char where[128];
        snprintf(where, sizeof where, "%s[%zu]", path, i);
        int rc = read_member(item, &m[i], file, where, err);
        for (size_t k = 0; !rc && k < i; k++)
            if (strcmp(m[k].ticker, m[i].ticker) == 0)
                rc = spec_error(err, file, where, "lists %s twice", m[i].ticker);
        if (rc) {
            free(m);
            return rc;
        }
        i++;
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
static int check_weights(const defidx_member *m, size_t n, const spec_source *file, const char *path,
                         defidx_error *err)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(m[i].weight))
            return spec_error(err, file, path, "fixed weighting needs a weight for %s", m[i].ticker);
        sum += m[i].weight;
    }
    if (fabs(sum - 1) > 1e-6) {
        char s[64];
        snprintf(s, sizeof s, "%.10g", sum);
        return spec_error(err, file, path, "weights add up to %s, not 1", s);
    }
    return 0;
}

static int by_effective(const void *a, const void *b)
{
    const defidx_review *x = a, *y = b;
    return (x->effective > y->effective) - (x->effective < y->effective);
}

static int read_reviews(const cJSON *root, defidx_spec *s, const spec_source *file, defidx_error *err)
{
    const cJSON *reviews = cJSON_GetObjectItemCaseSensitive(root, "reviews");
    if (!reviews || cJSON_IsNull(reviews))
        return 0;
    if (!cJSON_IsArray(reviews))
        return spec_error(err, file, "reviews", "must be an array");
    size_t n = (size_t)cJSON_GetArraySize(reviews);
    if (n == 0)
        return 0;
    if (!(s->reviews = calloc(n, sizeof *s->reviews)))
        return defidx_error_set(err, DEFIDX_ENOMEM, file->name, 0, 0, "out of memory");
    const cJSON *r;
    cJSON_ArrayForEach(r, reviews)
    {
        char path[64], list[96];
        snprintf(path, sizeof path, "reviews[%zu]", s->review_count);
        snprintf(list, sizeof list, "%s.constituents", path);
        defidx_review *rev = &s->reviews[s->review_count];
        int rc;
        if (!cJSON_IsObject(r))
            return spec_error(err, file, path, "must be an object");
        if ((rc = read_date(r, "effective", &rev->effective, file, path, err)))
            return rc;
        if (rev->effective == DEFIDX_NO_DATE)
            return spec_error(err, file, path, "has no effective date");
        if ((rc = read_members(cJSON_GetObjectItemCaseSensitive(r, "constituents"), &rev->members,
                               &rev->count, file, list, err)))
            return rc;
        s->review_count++;
        if ((s->weighting == DEFIDX_WEIGHT_FIXED || any_weight(rev->members, rev->count)) &&
            (rc = check_weights(rev->members, rev->count, file, list, err)))
            return rc;
    }
    qsort(s->reviews, s->review_count, sizeof *s->reviews, by_effective);
    for (size_t i = 1; i < s->review_count; i++)
        if (s->reviews[i].effective == s->reviews[i - 1].effective)
            return spec_error(err, file, "reviews", "two reviews take effect on the same date");
    return 0;
}

static int read_spec(const cJSON *root, defidx_spec *s, const spec_source *file, defidx_error *err)
{
    int rc;
    char weighting[16];
    if (!cJSON_IsObject(root))
        return spec_error(err, file, "(top level)", "must be an object");
    if ((rc = read_text(root, "name", s->name, sizeof s->name, file, "index", err)) ||
        (rc = read_text(root, "currency", s->currency, sizeof s->currency, file, "index", err)) ||
        (rc = read_date(root, "base_date", &s->base_date, file, "index", err)) ||
        (rc = read_number(root, "base_value", 1e-9, 1e12, &s->base_value, file, "index", err)) ||
        (rc = read_number(root, "cap", 1e-6, 1, &s->cap, file, "index", err)) ||
        (rc = read_number(root, "group_threshold", 1e-6, 1, &s->group_threshold, file, "index", err)) ||
        (rc = read_number(root, "group_cap", 1e-6, 1, &s->group_cap, file, "index", err)) ||
        (rc = read_text(root, "weighting", weighting, sizeof weighting, file, "index", err)))
        return rc;
    if (isnan(s->group_threshold) != isnan(s->group_cap) || (!isnan(s->group_cap) && isnan(s->cap)))
        return spec_error(err, file, isnan(s->group_cap) ? "index.group_threshold" : "index.group_cap",
                          "the two-level capping rule needs cap, group_threshold and group_cap together");
    if (!isnan(s->group_cap) && !(s->group_threshold < s->cap && s->cap <= s->group_cap))
        return spec_error(err, file, "index.group_threshold",
                          "needs group_threshold < cap <= group_cap (e.g. 0.045, 0.10, 0.40)");
    s->weighting = DEFIDX_WEIGHT_DEFAULT;
    if (weighting[0] && (s->weighting = defidx_weighting_parse(weighting)) < 0)
        return spec_error(err, file, "index.weighting",
                          "'%s' is not a weighting (hint: ffmcap, mcap, equal, price or fixed)", weighting);
    if ((rc = read_members(cJSON_GetObjectItemCaseSensitive(root, "constituents"), &s->members,
                           &s->count, file, "constituents", err)))
        return rc;
    if ((s->weighting == DEFIDX_WEIGHT_FIXED || any_weight(s->members, s->count)) &&
        (rc = check_weights(s->members, s->count, file, "constituents", err)))
        return rc;
    return read_reviews(root, s, file, err);
}

int defidx_spec_parse(defidx_spec **out, const char *name, const char *json, size_t len,
                      defidx_error *err)
{
    *out = NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        long line = 1, column = 1;
        if (end)
            defidx_position(json, (size_t)(end - json), &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                                "the index definition is not valid JSON (hint: check the commas and quotes here)");
    }
    defidx_spec *s = calloc(1, sizeof *s);
    if (!s) {
        cJSON_Delete(root);
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    }
    spec_source src = {name, json, len};
    snprintf(s->source, sizeof s->source, "%s", name ? name : "");
    int rc = read_spec(root, s, &src, err);
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
    int rc = defidx_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    rc = defidx_spec_parse(out, path, data, len, err);
    free(data);
    return rc;
}
