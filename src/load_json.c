/* load_json.c: JSON price files (an array of records, or an object of series) into the panel.
 * cJSON builds the tree but keeps no positions, so a small scanner walks the raw text alongside
 * the tree to find where each record and value starts, for origins and messages. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define TICKER_MAX 63 /* defidx_member.ticker holds 63 bytes and a NUL */

typedef struct json_loader {
    defidx_panel *panel;
    defidx_error *err;
    const char *name; /* for messages and origins */
    const char *text; /* the text after any byte-order mark */
    size_t len;
    size_t at; /* position_of resumes counting here: records are visited in text order */
    long line, column;
} json_loader;

/* Line and column (1-based, in characters) of byte offset `at`. */
static void position_of(json_loader *jl, size_t at, long *line, long *column)
{
    if (at < jl->at) {
        jl->at = 0;
        jl->line = jl->column = 1;
    }
    for (; jl->at < at && jl->at < jl->len; jl->at++) {
        if (jl->text[jl->at] == '\n') {
            jl->line++;
            jl->column = 1;
        } else if ((jl->text[jl->at] & 0xC0) != 0x80) {
            jl->column++;
        }
    }
    *line = jl->line;
    *column = jl->column;
}

/* Fills a data error at byte offset `at` and returns DEFIDX_EDATA. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at(json_loader *jl, size_t at, const char *fmt, ...)
{
    long line, column;
    position_of(jl, at, &line, &column);
    va_list ap;
    va_start(ap, fmt);
    int rc = defidx_error_vset(jl->err, DEFIDX_EDATA, jl->name, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

/* The value of key (case-insensitive, as cJSON_GetObjectItem finds it) in the object at obj,
 * or obj itself when the key is not there as plain text. */
static size_t find_key(const char *s, size_t len, size_t obj, const char *key)
{
    for (size_t i = defidx_json_first_item(s, len, obj); i < len && s[i] == '"';) {
        size_t end = defidx_json_skip_string(s, len, i), v = defidx_json_member_value(s, len, i);
        if (end - i >= 2 && defidx_ascii_ieq(s + i + 1, end - i - 2, key))
            return v;
        i = defidx_json_next_item(s, len, v);
    }
    return obj;
}

/* ---- records --------------------------------------------------------------------------- */

/* What a value is, for messages: "a string", "null", ... */
static const char *type_name(const cJSON *v)
{
    return cJSON_IsString(v)   ? "a string"
           : cJSON_IsBool(v)   ? "a boolean"
           : cJSON_IsNumber(v) ? "a number"
           : cJSON_IsArray(v)  ? "an array"
           : cJSON_IsObject(v) ? "an object"
                               : "null";
}

/* The member of obj named a (or, when absent, b); *key receives the name found. */
static cJSON *member(const cJSON *obj, const char *a, const char *b, const char **key)
{
    cJSON *v = cJSON_GetObjectItem(obj, a);
    *key = a;
    if (!v && b) {
        v = cJSON_GetObjectItem(obj, b);
        *key = b;
    }
    return v;
}

/* Reads an optional number of a record (null or absent: NAN); what is the key, at the record. */
static int read_optional_number(json_loader *jl, const cJSON *rec, size_t at, const char *what,
                                double *out)
{
    const cJSON *v = cJSON_GetObjectItem(rec, what);
    *out = NAN;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return fail_at(jl, find_key(jl->text, jl->len, at, what),
                       "%s must be a finite number or null, not %s (hint: write it without quotes)",
                       what, type_name(v));
    *out = v->valuedouble;
    return 0;
}

/* Reads the optional currency, shares and free float of a record. */
static int read_extras(json_loader *jl, const cJSON *rec, size_t at, const char **currency,
                       double *shares, double *free_float)
{
    const cJSON *c = cJSON_GetObjectItem(rec, "currency");
    *currency = NULL;
    if (c && !cJSON_IsNull(c) && !cJSON_IsString(c))
        return fail_at(jl, find_key(jl->text, jl->len, at, "currency"),
                       "currency must be a string such as \"EUR\", not %s (hint: quote it)", type_name(c));
    if (cJSON_IsString(c) && *c->valuestring)
        *currency = c->valuestring;
    int rc;
    if ((rc = read_optional_number(jl, rec, at, "shares", shares)) ||
        (rc = read_optional_number(jl, rec, at, "free_float", free_float)))
        return rc;
    if (*shares <= 0)
        return fail_at(jl, find_key(jl->text, jl->len, at, "shares"),
                       "shares %.10g is not positive (hint: the number of shares outstanding, or null)", *shares);
    if (*free_float <= 0 || *free_float > 1)
        return fail_at(jl, find_key(jl->text, jl->len, at, "free_float"),
                       "free_float %.10g is outside (0, 1] (hint: free float is a fraction: 0.8 for 80%%)",
                       *free_float);
    return 0;
}

/* Reads the ticker of a record of the array shape. */
static int read_ticker(json_loader *jl, const cJSON *rec, size_t at, const char **ticker)
{
    const char *key;
    const cJSON *t = member(rec, "ticker", "symbol", &key);
    if (!t)
        return fail_at(jl, at, "record has no ticker (hint: every record needs \"date\", \"ticker\" and \"close\")");
    size_t where = find_key(jl->text, jl->len, at, key);
    if (!cJSON_IsString(t))
        return fail_at(jl, where, "ticker must be a string, not %s (hint: quote it: \"RHM.DE\")", type_name(t));
    if (!*t->valuestring)
        return fail_at(jl, where, "empty ticker (hint: every record needs a ticker, such as \"RHM.DE\")");
    if (strlen(t->valuestring) > TICKER_MAX)
        return fail_at(jl, where, "ticker '%.40s...' is longer than %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                       t->valuestring, TICKER_MAX);
    *ticker = t->valuestring;
    return 0;
}

/* Reads the date of a record. */
static int read_date(json_loader *jl, const cJSON *rec, size_t at, int32_t *date)
{
    const cJSON *d = cJSON_GetObjectItem(rec, "date");
    if (!d)
        return fail_at(jl, at, "record has no date (hint: every record needs \"date\": \"YYYY-MM-DD\")");
    size_t where = find_key(jl->text, jl->len, at, "date");
    if (!cJSON_IsString(d))
        return fail_at(jl, where, "date must be a string, not %s (hint: write \"2025-02-18\")", type_name(d));
    defidx_error why;
    if (defidx_date_parse(d->valuestring, strlen(d->valuestring), date, &why))
        return fail_at(jl, where, "%s (hint: dates are real days written YYYY-MM-DD, such as 2025-02-18)",
                       why.message);
    return 0;
}

/* Reads the close of a record: a positive number, or null for a missing price (NAN).
 * *where receives the offset of the value, the origin of the observation. */
static int read_close(json_loader *jl, const cJSON *rec, size_t at, double *close, size_t *where)
{
    const char *key;
    const cJSON *c = member(rec, "close", "price", &key);
    if (!c)
        return fail_at(jl, at, "record has no close (hint: every record needs \"close\"; write null for a missing price)");
    *where = find_key(jl->text, jl->len, at, key);
    if (cJSON_IsNull(c)) {
        *close = NAN;
        return 0;
    }
    if (!cJSON_IsNumber(c))
        return fail_at(jl, *where, "close must be a number or null, not %s (hint: write 784.2 without quotes)",
                       type_name(c));
    if (!isfinite(c->valuedouble))
        return fail_at(jl, *where, "close is not a finite number (hint: write null for a missing price)");
    if (c->valuedouble <= 0)
        return fail_at(jl, *where, "close %.10g is not a positive price (hint: prices are above 0; write null for a missing price)",
                       c->valuedouble);
    *close = c->valuedouble;
    return 0;
}

/* Reads one record, starting at byte offset `at`, into the panel. series is the ticker when the
 * record belongs to an object of series, NULL when the record names its own. */
static int read_record(json_loader *jl, const cJSON *rec, size_t at, const char *series)
{
    if (!cJSON_IsObject(rec))
        return fail_at(jl, at, "a record must be an object, not %s (hint: {\"date\": \"2025-02-18\", \"close\": 784.2})",
                       type_name(rec));
    const char *ticker = series, *currency;
    int32_t date = 0;
    double close = NAN, shares, free_float;
    size_t where = at;
    int rc;
    if ((!series && (rc = read_ticker(jl, rec, at, &ticker))) || (rc = read_date(jl, rec, at, &date)) ||
        (rc = read_close(jl, rec, at, &close, &where)) ||
        (rc = read_extras(jl, rec, at, &currency, &shares, &free_float)))
        return rc;
    defidx_origin origin = {jl->name, 0, 0};
    position_of(jl, where, &origin.line, &origin.column);
    return defidx_panel_add(jl->panel, ticker, date, close, currency, shares, free_float, &origin,
                            jl->err);
}

/* [{"date": ..., "ticker": ..., "close": ...}, ...], the array starting at `at`. */
static int read_records(json_loader *jl, const cJSON *root, size_t at)
{
    size_t i = defidx_json_first_item(jl->text, jl->len, at);
    int rc = 0;
    for (const cJSON *rec = root->child; rec && !rc; rec = rec->next) {
        rc = read_record(jl, rec, i, NULL);
        i = defidx_json_next_item(jl->text, jl->len, i);
    }
    return rc;
}

/* {"TICKER": [{"date": ..., "close": ...}, ...], ...}, the object starting at `at`. */
static int read_series(json_loader *jl, const cJSON *root, size_t at)
{
    size_t i = defidx_json_first_item(jl->text, jl->len, at);
    int rc = 0;
    for (const cJSON *s = root->child; s && !rc; s = s->next) {
        size_t v = defidx_json_member_value(jl->text, jl->len, i);
        if (!*s->string)
            return fail_at(jl, i, "empty ticker (hint: name each series by its ticker, such as \"RHM.DE\")");
        if (strlen(s->string) > TICKER_MAX)
            return fail_at(jl, i, "ticker '%.40s...' is longer than %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                           s->string, TICKER_MAX);
        if (!cJSON_IsArray(s))
            return fail_at(jl, v, "series %s must be an array of records, not %s (hint: \"%s\": [{\"date\": \"2025-02-18\", \"close\": 784.2}])",
                           s->string, type_name(s), s->string);
        size_t e = defidx_json_first_item(jl->text, jl->len, v);
        for (const cJSON *rec = s->child; rec && !rc; rec = rec->next) {
            rc = read_record(jl, rec, e, s->string);
            e = defidx_json_next_item(jl->text, jl->len, e);
        }
        i = defidx_json_next_item(jl->text, jl->len, v);
    }
    return rc;
}

int defidx_load_json(defidx_panel *p, const char *name, const char *data, size_t len,
                     defidx_warnings *w, defidx_error *err)
{
    (void)w; /* nothing in a JSON file is worth a warning yet; duplicates are the panel's */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3; /* positions are counted after the mark, as editors show them */
    json_loader jl = {.panel = p, .err = err, .name = name ? name : "", .text = data, .len = len,
                      .line = 1, .column = 1};
    size_t start = defidx_json_skip_blanks(data, len, 0);
    if (start == len)
        return defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "%s is empty", jl.name);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (!root)
        return fail_at(&jl, end ? (size_t)(end - data) : 0,
                       "JSON syntax error (hint: look for a missing comma, quote or bracket here or just before)");
    size_t after = end ? defidx_json_skip_blanks(data, len, (size_t)(end - data)) : len;
    int rc;
    if (after < len)
        rc = fail_at(&jl, after, "unexpected text after the JSON value (hint: a file holds one array or one object)");
    else if (cJSON_IsArray(root))
        rc = read_records(&jl, root, start);
    else if (cJSON_IsObject(root))
        rc = read_series(&jl, root, start);
    else
        rc = fail_at(&jl, start, "a JSON price file holds an array of records or an object of series, not %s (hint: [{\"date\": \"2025-02-18\", \"ticker\": \"RHM.DE\", \"close\": 784.2}])",
                     type_name(root));
    cJSON_Delete(root);
    return rc;
}
