/* load_json.c: JSON price files into the panel: defidx's own shapes (an array of records, an
 * object of series) and what data services send (Alpha Vantage, Twelve Data, EOD-style arrays of
 * one instrument), including the error objects those services send instead of prices.
 * cJSON builds the tree but keeps no positions, so a small scanner walks the raw text alongside
 * the tree to find where each record and value starts, for origins and messages. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define TICKER_MAX 63 /* defidx_member.ticker holds 63 bytes and a NUL */
#define QUOTE_MAX 160 /* how much of a service's error message is quoted */

typedef struct json_loader {
    defidx_panel *panel;
    defidx_error *err;
    defidx_warnings *warnings;
    const char *name; /* for messages and origins */
    const char *text; /* the text after any byte-order mark */
    size_t len;
    size_t at; /* position_of resumes counting here: records are visited in text order */
    long line, column;
    const char *date_format;  /* opt->date_format, or NULL */
    const char *forced;       /* opt->ticker, or NULL */
    int adjusted;             /* opt->price_field is DEFIDX_FIELD_ADJ_CLOSE */
    /* Set by the shape: */
    const char *shape;        /* "Alpha Vantage", ... for messages; NULL for defidx's own shapes */
    int lenient;              /* numbers in strings, missing markers and date-times accepted */
    const char *currency;     /* the series' quote currency (Twelve Data meta.currency), or NULL */
    char ticker[TICKER_MAX + 1]; /* the ticker of a single-instrument file */
    size_t records;           /* records read so far */
    int32_t last_date;        /* the date of the previous record when it carried a time of day */
    int last_timed;
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
    int rc = dfx_error_vset(jl->err, DEFIDX_EDATA, jl->name, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

/* The value of key (case-insensitive, as cJSON_GetObjectItem finds it) in the object at obj,
 * or obj itself when the key is not there as plain text. */
static size_t find_key(const char *s, size_t len, size_t obj, const char *key)
{
    for (size_t i = dfx_json_first_item(s, len, obj); i < len && s[i] == '"';) {
        size_t end = dfx_json_skip_string(s, len, i), v = dfx_json_member_value(s, len, i);
        if (end - i >= 2 && dfx_ascii_ieq(s + i + 1, end - i - 2, key))
            return v;
        i = dfx_json_next_item(s, len, v);
    }
    return obj;
}

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

/* The first member of obj named by one of keys (a NULL-terminated list), or NULL. */
static cJSON *member_of(const cJSON *obj, const char *const *keys, const char **key)
{
    for (; *keys; keys++) {
        cJSON *v = cJSON_GetObjectItem(obj, *keys);
        if (v) {
            *key = *keys;
            return v;
        }
    }
    return NULL;
}

/* The string member key of obj when it is a non-empty string, else NULL. */
static const char *string_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(obj, key);
    return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* Copies text into out as a one-line quotation of at most QUOTE_MAX bytes, cut at a character
 * boundary and ended with "..." when shortened: services' messages can run to paragraphs. */
static void quote_short(const char *text, char *out, size_t size)
{
    size_t max = size - 4 < QUOTE_MAX ? size - 4 : QUOTE_MAX, n = 0;
    while (text[n] && n < max)
        n++;
    int shortened = text[n] != '\0';
    if (shortened)
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--; /* do not end inside a UTF-8 sequence */
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)text[i] < 0x20 ? ' ' : text[i];
    if (shortened)
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
}

/* 1 when a file called name has no name to take a ticker from (standard input). */
static int has_no_name(const char *name)
{
    return !name || !*name || strcmp(name, "-") == 0 || strcmp(name, DEFIDX_STDIN_NAME) == 0;
}

/* ---- values ------------------------------------------------------------------------------ */

/* Reads the price v (what: "close", "adjusted close") at byte offset where: a number within
 * DEFIDX_PRICE_MIN..MAX, null for a missing price (NAN), and in the service shapes also a number
 * written in a string or a missing marker. */
static int read_price(json_loader *jl, const cJSON *v, const char *what, size_t where, double *out)
{
    *out = NAN;
    if (cJSON_IsNull(v))
        return 0;
    double x;
    if (cJSON_IsNumber(v)) {
        x = v->valuedouble;
    } else if (jl->lenient && cJSON_IsString(v)) {
        const char *s = v->valuestring;
        size_t n = strlen(s);
        while (n > 0 && s[n - 1] == ' ')
            n--;
        while (n > 0 && *s == ' ')
            s++, n--;
        if (dfx_missing_marker(s, n))
            return 0;
        if (defidx_number_parse(s, n, &x))
            return fail_at(jl, where, "%s '%.40s' is not a number (hint: a price such as 784.2, or \"\" / N/A for a missing one)",
                           what, v->valuestring);
    } else if (jl->lenient) {
        return fail_at(jl, where, "%s must be a number, a number in a string or null, not %s (hint: 784.2 or \"784.2\")",
                       what, type_name(v));
    } else {
        return fail_at(jl, where, "%s must be a number or null, not %s (hint: write 784.2 without quotes)",
                       what, type_name(v));
    }
    if (!isfinite(x)) /* JSON has no infinity: a number too large for a double */
        return fail_at(jl, where, "%s is out of range (hint: " DEFIDX_NUMBER_RANGE_HINT ")", what);
    if (x <= 0)
        return fail_at(jl, where, "%s %.10g is not a positive price (hint: prices are above 0; write null for a missing price)",
                       what, x);
    if (!(x >= DEFIDX_PRICE_MIN && x <= DEFIDX_PRICE_MAX))
        return fail_at(jl, where, "%s %.10g is outside the range of prices, " DEFIDX_PRICE_RANGE " (hint: a close in its quote currency; write null for a missing price)",
                       what, x);
    *out = x;
    return 0;
}

/* 1 when text (len bytes) is a time of day after a date: " 00:00:00", "T16:00:00.000Z". */
static int time_of_day(const char *text, size_t len)
{
    if (len < 3 || (text[0] != ' ' && text[0] != 'T') || text[1] < '0' || text[1] > '9')
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!strchr("0123456789:.+-Z", text[i]))
            return 0;
    return 1;
}

/* Parses the date text at byte offset where: the --date-format when one is given, else ISO
 * YYYY-MM-DD; the service shapes also take a date-time and keep its date. Several times of day
 * on one date are intraday data, which an index of closes cannot use. */
static int parse_date(json_loader *jl, const char *text, size_t where, int32_t *date)
{
    size_t len = strlen(text);
    int timed = 0;
    if (jl->date_format) {
        if (defidx_date_parse_format(text, len, jl->date_format, date))
            return fail_at(jl, where, "'%.40s' is not a date in the format '%s' (hint: check the date format option, or leave it out for YYYY-MM-DD)",
                           text, jl->date_format);
    } else {
        timed = jl->lenient && len > 10 && time_of_day(text + 10, len - 10);
        defidx_error why;
        if (defidx_date_parse(text, timed ? 10 : len, date, &why))
            return fail_at(jl, where, "%s (hint: dates are real days written YYYY-MM-DD, such as 2025-02-18)",
                           why.message);
    }
    if (timed && jl->last_timed && *date == jl->last_date)
        return fail_at(jl, where, "a second time of day on %.10s ('%.40s'): this is intraday data, and defidx needs daily closes (hint: download the daily series, such as interval=1day or TIME_SERIES_DAILY)",
                       text, text);
    jl->last_timed = timed;
    jl->last_date = *date;
    return 0;
}

/* The hint for a file without adjusted closes. */
static const char *no_adjusted_hint(const json_loader *jl)
{
    if (jl->shape && strcmp(jl->shape, "Alpha Vantage") == 0)
        return "TIME_SERIES_DAILY_ADJUSTED has \"5. adjusted close\"; or read the close";
    return "read the close instead, or download adjusted prices";
}

/* Fails for a record at `at` without an adjusted close: the file has none when it is the first. */
static int no_adjusted(json_loader *jl, size_t at)
{
    if (jl->records == 0)
        return fail_at(jl, at, "this %s file has no adjusted close (hint: %s)",
                       jl->shape ? jl->shape : "JSON", no_adjusted_hint(jl));
    return fail_at(jl, at, "record has no adjusted close, unlike the records before it (hint: %s)",
                   no_adjusted_hint(jl));
}

/* ---- records ------------------------------------------------------------------------------ */

/* Reads an optional number of a record (null or absent: NAN); what is the key, at the record. */
static int read_optional_number(json_loader *jl, const cJSON *rec, size_t at, const char *what,
                                double *out)
{
    const cJSON *v = cJSON_GetObjectItem(rec, what);
    *out = NAN;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v))
        return fail_at(jl, find_key(jl->text, jl->len, at, what),
                       "%s must be a finite number or null, not %s (hint: write it without quotes)",
                       what, type_name(v));
    if (!isfinite(v->valuedouble)) /* JSON has no infinity: a number too large for a double */
        return fail_at(jl, find_key(jl->text, jl->len, at, what), "%s is out of range (hint: " DEFIDX_NUMBER_RANGE_HINT ")",
                       what);
    *out = v->valuedouble;
    return 0;
}

/* Reads the optional currency, shares and free float of a record. */
static int read_extras(json_loader *jl, const cJSON *rec, size_t at, const char **currency,
                       double *shares, double *free_float)
{
    const cJSON *c = cJSON_GetObjectItem(rec, "currency");
    *currency = jl->currency;
    if (c && !cJSON_IsNull(c) && !cJSON_IsString(c))
        return fail_at(jl, find_key(jl->text, jl->len, at, "currency"),
                       "currency must be a string such as \"EUR\", not %s (hint: quote it)", type_name(c));
    if (cJSON_IsString(c) && *c->valuestring)
        *currency = c->valuestring;
    char iso[4];
    double unit;
    if (c && *currency && defidx_currency_unit(*currency, iso, &unit))
        return fail_at(jl, find_key(jl->text, jl->len, at, "currency"),
                       "currency '%.40s' is not a currency code (hint: an ISO code such as \"EUR\", or \"GBX\" for pence)", *currency);
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
        return fail_at(jl, where, "ticker '%.40s...' is longer than the limit of %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                       t->valuestring, TICKER_MAX);
    *ticker = t->valuestring;
    return 0;
}

/* Reads the date of a record ("date", or Twelve Data's "datetime"). */
static int read_date(json_loader *jl, const cJSON *rec, size_t at, int32_t *date)
{
    const char *key;
    const cJSON *d = member(rec, "date", "datetime", &key);
    if (!d)
        return fail_at(jl, at, "record has no date (hint: every record needs \"date\": \"YYYY-MM-DD\")");
    size_t where = find_key(jl->text, jl->len, at, key);
    if (!cJSON_IsString(d))
        return fail_at(jl, where, "date must be a string, not %s (hint: write \"2025-02-18\")", type_name(d));
    return parse_date(jl, d->valuestring, where, date);
}

/* Reads the price of a record: its close, or its adjusted close when that was asked for.
 * *where receives the offset of the value, the origin of the observation. */
static int read_close(json_loader *jl, const cJSON *rec, size_t at, double *close, size_t *where)
{
    static const char *const adjusted[] = {"adjusted_close", "adj_close", "adjclose",
                                           "adjusted close", "adj close", NULL};
    const char *key;
    const cJSON *c;
    if (jl->adjusted) {
        if (!(c = member_of(rec, adjusted, &key)))
            return no_adjusted(jl, at);
    } else if (!(c = member(rec, "close", "price", &key))) {
        return fail_at(jl, at, "record has no close (hint: every record needs \"close\"; write null for a missing price)");
    }
    *where = find_key(jl->text, jl->len, at, key);
    return read_price(jl, c, jl->adjusted ? "adjusted close" : "close", *where, close);
}

/* The keys of a record that the loader reads. cJSON finds a key case-insensitively and takes the
 * first of two: a record that has one of these twice is refused, as either value may be meant. */
static const char *const record_keys[] = {"date", "datetime", "ticker", "symbol", "close", "price",
                                          "adjusted_close", "adj_close", "adjclose", "adjusted close",
                                          "adj close", "currency", "shares", "free_float", NULL};

/* Fails when the record at `at` has a key of record_keys twice, at the second. Each member is
 * compared with those before it only when it is one of the few keys read, so a record of many
 * members costs a pass per key read, not a comparison of every pair. */
static int check_repeated_keys(json_loader *jl, const cJSON *rec, size_t at)
{
    size_t index = 0;
    for (const cJSON *m = rec->child; m; m = m->next, index++) {
        size_t n = strlen(m->string);
        int known = 0;
        for (const char *const *k = record_keys; *k && !known; k++)
            known = dfx_ascii_ieq(m->string, n, *k);
        if (!known)
            continue;
        for (const cJSON *e = rec->child; e != m; e = e->next) {
            if (!dfx_ascii_ieq(e->string, strlen(e->string), m->string))
                continue;
            size_t i = dfx_json_first_item(jl->text, jl->len, at);
            for (size_t k = 0; k < index; k++)
                i = dfx_json_next_item(jl->text, jl->len, dfx_json_member_value(jl->text, jl->len, i));
            return fail_at(jl, i, "record has \"%.40s\" twice (hint: keep one of them: which one is meant cannot be told)",
                           m->string);
        }
    }
    return 0;
}

/* Reads one record, starting at byte offset `at`, into the panel. ticker is the record's ticker
 * when the shape gives it (a series, a single-instrument file), NULL when the record names it. */
static int read_record(json_loader *jl, const cJSON *rec, size_t at, const char *ticker)
{
    if (!cJSON_IsObject(rec))
        return fail_at(jl, at, "a record must be an object, not %s (hint: {\"date\": \"2025-02-18\", \"close\": 784.2})",
                       type_name(rec));
    if (check_repeated_keys(jl, rec, at))
        return DEFIDX_EDATA;
    const char *currency, *key;
    int32_t date = 0;
    double close = NAN, shares, free_float;
    size_t where = at;
    int rc;
    if (ticker == jl->ticker && member(rec, "ticker", "symbol", &key))
        return fail_at(jl, find_key(jl->text, jl->len, at, key),
                       "record has a ticker, but the first record has none (hint: give every record a ticker, or none for a file of one instrument)");
    if ((!ticker && (rc = read_ticker(jl, rec, at, &ticker))) || (rc = read_date(jl, rec, at, &date)) ||
        (rc = read_close(jl, rec, at, &close, &where)) ||
        (rc = read_extras(jl, rec, at, &currency, &shares, &free_float)))
        return rc;
    jl->records++;
    defidx_origin origin = {jl->name, 0, 0};
    position_of(jl, where, &origin.line, &origin.column);
    return defidx_panel_add(jl->panel, ticker, date, close, currency, shares, free_float, &origin,
                            jl->err);
}

/* Reads the array of records at `at` (root is its tree); ticker as for read_record. */
static int read_array(json_loader *jl, const cJSON *root, size_t at, const char *ticker)
{
    size_t i = dfx_json_first_item(jl->text, jl->len, at);
    int rc = 0;
    for (const cJSON *rec = root->child; rec && !rc; rec = rec->next) {
        rc = read_record(jl, rec, i, ticker);
        i = dfx_json_next_item(jl->text, jl->len, i);
    }
    return rc;
}

/* {"TICKER": [{"date": ..., "close": ...}, ...], ...}, the object starting at `at`. */
static int read_series(json_loader *jl, const cJSON *root, size_t at)
{
    size_t i = dfx_json_first_item(jl->text, jl->len, at);
    int rc = 0;
    for (const cJSON *s = root->child; s && !rc; s = s->next) {
        size_t v = dfx_json_member_value(jl->text, jl->len, i);
        if (!*s->string)
            return fail_at(jl, i, "empty ticker (hint: name each series by its ticker, such as \"RHM.DE\")");
        if (strlen(s->string) > TICKER_MAX)
            return fail_at(jl, i, "ticker '%.40s...' is longer than the limit of %d bytes (hint: use the exchange ticker, such as RHM.DE)",
                           s->string, TICKER_MAX);
        if (!cJSON_IsArray(s))
            return fail_at(jl, v, "series %s must be an array of records, not %s (hint: \"%s\": [{\"date\": \"2025-02-18\", \"close\": 784.2}])",
                           s->string, type_name(s), s->string);
        rc = read_array(jl, s, v, s->string);
        i = dfx_json_next_item(jl->text, jl->len, v);
    }
    return rc;
}

/* ---- single-instrument files ---------------------------------------------------------------- */

/* Decides the ticker of a single-instrument file: the ticker option, else what the data says
 * (said, at byte offset said_at; NULL when it says nothing), else the file's name. at is the
 * start of the file's value, where a file without any is reported. */
static int single_ticker(json_loader *jl, const char *said, size_t said_at, size_t at)
{
    if (jl->forced) {
        if (dfx_copy_text(jl->ticker, sizeof jl->ticker, jl->forced) || !*jl->forced)
            return defidx_error_set(jl->err, DEFIDX_EUSAGE, NULL, 0, 0,
                                    "the ticker option '%.40s' is not a ticker of 1 to %d bytes", jl->forced,
                                    TICKER_MAX);
        return 0;
    }
    if (said) {
        if (dfx_copy_text(jl->ticker, sizeof jl->ticker, said))
            return fail_at(jl, said_at, "symbol '%.40s...' is longer than the limit of %d bytes (hint: pass --ticker)", said,
                           TICKER_MAX);
        return 0;
    }
    if (has_no_name(jl->name))
        return fail_at(jl, at, "this file holds one instrument and does not name it, and standard input has no file name to take the ticker from (hint: pass --ticker)");
    char stem[256];
    dfx_path_stem(jl->name, stem, sizeof stem);
    if (!*stem || dfx_copy_text(jl->ticker, sizeof jl->ticker, stem))
        return fail_at(jl, at, "file name '%s' does not give a ticker of 1 to %d bytes (hint: pass --ticker, or name the file TICKER.json)",
                       jl->name, TICKER_MAX);
    return 0;
}

/* An array of records without tickers (EOD Historical Data, Tiingo, a user's own): one
 * instrument, named by the ticker option or the file name. */
static int read_single(json_loader *jl, const cJSON *root, size_t at)
{
    jl->shape = "single-instrument";
    jl->lenient = 1;
    int rc = single_ticker(jl, NULL, 0, at);
    return rc ? rc : read_array(jl, root, at, jl->ticker);
}

/* The member of an Alpha Vantage object whose key is name after its "N. " numbering
 * ("4. close", "2. Symbol"), case-insensitively; *key receives the key. */
static const cJSON *av_member(const cJSON *obj, const char *name, const char **key)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        const char *k = m->string;
        while (*k >= '0' && *k <= '9')
            k++;
        if (k != m->string && k[0] == '.' && k[1] == ' ')
            k += 2;
        else
            k = m->string;
        if (dfx_ascii_ieq(k, strlen(k), name)) {
            *key = m->string;
            return m;
        }
    }
    return NULL;
}

/* The first member of root whose key contains "Time Series" and whose value is an object. */
static const cJSON *av_series(const cJSON *root)
{
    for (const cJSON *m = root->child; m; m = m->next)
        if (cJSON_IsObject(m) && strstr(m->string, "Time Series"))
            return m;
    return NULL;
}

/* Alpha Vantage: {"Meta Data": {"2. Symbol": ...}, "Time Series (Daily)": {"2025-02-21":
 * {"1. open": "...", "4. close": "...", "5. adjusted close": "..."}, ...}}, numbers in strings. */
static int read_alphavantage(json_loader *jl, const cJSON *root, size_t at)
{
    jl->shape = "Alpha Vantage";
    jl->lenient = 1;
    const cJSON *meta = cJSON_GetObjectItem(root, "Meta Data"), *series = av_series(root);
    const char *key = NULL, *said = NULL;
    size_t said_at = 0;
    if (cJSON_IsObject(meta)) {
        const cJSON *symbol = av_member(meta, "symbol", &key);
        if (cJSON_IsString(symbol) && *symbol->valuestring) {
            said = symbol->valuestring;
            said_at = find_key(jl->text, jl->len, find_key(jl->text, jl->len, at, "Meta Data"), key);
        }
    }
    if (!series)
        return fail_at(jl, at, "Alpha Vantage data without a \"Time Series\" object (hint: download TIME_SERIES_DAILY with datatype=json)");
    int rc = single_ticker(jl, said, said_at, at);
    size_t v = find_key(jl->text, jl->len, at, series->string);
    size_t i = dfx_json_first_item(jl->text, jl->len, v);
    for (const cJSON *day = series->child; day && !rc; day = day->next) {
        size_t rec = dfx_json_member_value(jl->text, jl->len, i);
        int32_t date;
        double close;
        if ((rc = parse_date(jl, day->string, i, &date)))
            break;
        if (!cJSON_IsObject(day))
            return fail_at(jl, rec, "the day %.40s must be an object such as {\"4. close\": \"784.2\"}, not %s (hint: is this a Time Series from Alpha Vantage?)",
                           day->string, type_name(day));
        const cJSON *c = av_member(day, jl->adjusted ? "adjusted close" : "close", &key);
        if (!c) {
            if (jl->adjusted)
                return no_adjusted(jl, rec);
            return fail_at(jl, rec, "the day %.40s has no \"4. close\" (hint: download TIME_SERIES_DAILY, whose days have open, high, low, close and volume)",
                           day->string);
        }
        size_t where = find_key(jl->text, jl->len, rec, key);
        if ((rc = read_price(jl, c, jl->adjusted ? "adjusted close" : "close", where, &close)))
            break;
        jl->records++;
        defidx_origin origin = {jl->name, 0, 0};
        position_of(jl, where, &origin.line, &origin.column);
        rc = defidx_panel_add(jl->panel, jl->ticker, date, close, NULL, NAN, NAN, &origin, jl->err);
        i = dfx_json_next_item(jl->text, jl->len, rec);
    }
    return rc;
}

/* Twelve Data /time_series: {"meta": {"symbol": ..., "currency": ...}, "values": [{"datetime":
 * ..., "close": "..."}, ...], "status": "ok"}, numbers in strings, newest first. */
static int read_twelvedata(json_loader *jl, const cJSON *root, size_t at)
{
    jl->shape = "Twelve Data";
    jl->lenient = 1;
    const cJSON *meta = cJSON_GetObjectItem(root, "meta"), *values = cJSON_GetObjectItem(root, "values");
    size_t meta_at = find_key(jl->text, jl->len, at, "meta");
    const char *said = string_member(meta, "symbol");
    jl->currency = string_member(meta, "currency");
    int rc = single_ticker(jl, said, find_key(jl->text, jl->len, meta_at, "symbol"), at);
    return rc ? rc : read_array(jl, values, find_key(jl->text, jl->len, at, "values"), jl->ticker);
}

/* ---- what services send instead of prices ----------------------------------------------------- */

/* The message of a service's error object, when root is one; else NULL. *what and *hint receive
 * what it is. */
static const char *service_error(const cJSON *root, const char **what, const char **hint)
{
    const char *text;
    const cJSON *status = cJSON_GetObjectItem(root, "status");
    if (cJSON_IsString(status) && dfx_ascii_ieq(status->valuestring, strlen(status->valuestring), "error")) {
        *what = "the data service (Twelve Data style) returned an error instead of prices";
        *hint = "fix the request (symbol, interval), or wait when it is a rate or credit limit, and download again";
        text = string_member(root, "message");
        return text ? text : "(no message)";
    }
    if (av_series(root))
        return NULL;
    if ((text = string_member(root, "Note"))) {
        *what = "Alpha Vantage refused the request: its rate limit was reached";
        *hint = "wait a minute (or until tomorrow for the daily limit) and download again";
        return text;
    }
    if ((text = string_member(root, "Error Message"))) {
        *what = "Alpha Vantage returned an error instead of prices";
        *hint = "check the function and the symbol of the request, and download again";
        return text;
    }
    if ((text = string_member(root, "Information"))) {
        *what = "Alpha Vantage returned a notice instead of prices, usually a rate limit or a premium-only request";
        *hint = "wait and download again, or use a function the API key may call";
        return text;
    }
    return NULL;
}

/* ---- the file ----------------------------------------------------------------------------------- */

/* 1 when the array's first item is an object without a ticker: a file of one instrument. */
static int single_instrument(const cJSON *root)
{
    const char *key;
    return cJSON_IsObject(root->child) && !member(root->child, "ticker", "symbol", &key);
}

/* Recognises the shape of root, which starts at byte offset `at`, and reads it. */
static int read_root(json_loader *jl, const cJSON *root, size_t at)
{
    const char *what, *hint, *message;
    if (cJSON_IsArray(root)) {
        if (single_instrument(root))
            return read_single(jl, root, at);
    } else if (cJSON_IsObject(root)) {
        if ((message = service_error(root, &what, &hint))) {
            char quoted[QUOTE_MAX + 4];
            quote_short(message, quoted, sizeof quoted);
            const cJSON *code = cJSON_GetObjectItem(root, "code");
            if (cJSON_IsNumber(code))
                return fail_at(jl, at, "%s (code %d): \"%s\" (hint: %s)", what, code->valueint, quoted, hint);
            return fail_at(jl, at, "%s: \"%s\" (hint: %s)", what, quoted, hint);
        }
        if (av_series(root) || cJSON_IsObject(cJSON_GetObjectItem(root, "Meta Data")))
            return read_alphavantage(jl, root, at);
        if (cJSON_IsArray(cJSON_GetObjectItem(root, "values")) && cJSON_IsObject(cJSON_GetObjectItem(root, "meta")))
            return read_twelvedata(jl, root, at);
    } else {
        return fail_at(jl, at, "a JSON price file holds an array of records or an object of series, not %s (hint: [{\"date\": \"2025-02-18\", \"ticker\": \"RHM.DE\", \"close\": 784.2}])",
                       type_name(root));
    }
    /* defidx's own shapes name their tickers. */
    if (jl->forced && root->child)
        defidx_warn(jl->warnings, jl->name, 0, 0, "the ticker option is not used: this file names its tickers");
    return cJSON_IsArray(root) ? read_array(jl, root, at, NULL) : read_series(jl, root, at);
}

int dfx_looks_json(const char *text, size_t len)
{
    size_t first = dfx_first_content(text, len);
    return first < len && (text[first] == '[' || text[first] == '{');
}

const dfx_size_limit dfx_json_prices_limit = {
    DEFIDX_JSON_MAX, dfx_looks_json, "the JSON file",
    "JSON is read whole, in about ten times its size; write the prices as CSV, which is read in one pass when sorted by date", 0};

int defidx_load_json(defidx_panel *p, const char *name, const char *data, size_t len,
                     const defidx_load_options *opt, defidx_warnings *w, defidx_error *err)
{
    if (opt && dfx_options_version(opt->version, "load options", err))
        return DEFIDX_EUSAGE;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3; /* positions are counted after the mark, as editors show them */
    json_loader jl = {.panel = p, .err = err, .warnings = w, .name = name ? name : "", .text = data,
                      .len = len, .line = 1, .column = 1};
    if (opt) {
        jl.date_format = opt->date_format && *opt->date_format ? opt->date_format : NULL;
        jl.forced = opt->ticker;
        jl.adjusted = opt->price_field == DEFIDX_FIELD_ADJ_CLOSE;
    }
    size_t start = dfx_json_skip_blanks(data, len, 0);
    if (start == len)
        return defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "%s is empty", jl.name);
    if (len > dfx_json_prices_limit.max)
        return dfx_refuse_size(jl.name, &dfx_json_prices_limit, err);
    /* cJSON's strings end at a NUL, so "A\u0000B" would silently become "A": refuse NULs. */
    size_t nul = dfx_json_find_nul(data, len);
    if (nul < len)
        return fail_at(&jl, nul,
                       "a NUL character in the text (hint: UTF-16 without a byte-order mark, or a \\u0000 escape: neither is a price file)");
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (!root) {
        char problem[300];
        size_t at = end ? (size_t)(end - data) : 0;
        int kind = dfx_json_syntax_problem(data, len, &at, problem, sizeof problem);
        if (kind == 2)
            return fail_at(&jl, at, "%s", problem);
        if (kind == 1)
            return fail_at(&jl, at, "JSON syntax error: %s", problem);
        return fail_at(&jl, at, "JSON syntax error (hint: look for a missing comma, quote or bracket here or just before)");
    }
    size_t after = end ? dfx_json_skip_blanks(data, len, (size_t)(end - data)) : len;
    int rc;
    if (after < len && (data[after] == '{' || data[after] == '[') && data[after - 1] == '\n')
        rc = fail_at(&jl, after, "a second JSON value after the first, on a line of its own (hint: JSON Lines, one record a line, is not read: put the records in one array, [{...}, {...}])");
    else if (after < len)
        rc = fail_at(&jl, after, "unexpected text after the JSON value (hint: a file holds one array or one object)");
    else
        rc = read_root(&jl, root, start);
    cJSON_Delete(root);
    return dfx_warnings_check(w, rc, err);
}

