/* error.c: the error type every function fills, warnings as fields and as the text printed, and
 * small helpers shared by modules. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void defidx_error_clear(defidx_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int dfx_error_vset(defidx_error *err, int code, const char *file, long line, long column,
                      const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

int defidx_error_set(defidx_error *err, int code, const char *file, long line, long column,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dfx_error_vset(err, code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

/* Writes the location that starts an error's or a warning's text: "FILE:LINE:COL: ", "FILE: " or
 * nothing (a column unknown is 1). Returns the length it needs, as snprintf does. */
static int format_location(char *buf, size_t size, const char *file, long line, long column)
{
    if (file && *file && line > 0)
        return snprintf(buf, size, "%s:%ld:%ld: ", file, line, column > 0 ? column : 1);
    if (file && *file)
        return snprintf(buf, size, "%s: ", file);
    if (size)
        buf[0] = '\0';
    return 0;
}

/* The location, then message, truncated to size. */
static void format_located(char *buf, size_t size, const char *file, long line, long column,
                           const char *message)
{
    int n = format_location(buf, size, file, line, column);
    size_t used = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
    snprintf(buf + used, size - used, "%s", message);
}

void defidx_error_format(const defidx_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    if (!err) {
        buf[0] = '\0';
        return;
    }
    format_located(buf, size, err->file, err->line, err->column, err->message);
}

/* ---- warnings ---------------------------------------------------------------------------------- */

/* One row per kind: the name JSON gives it. */
static const struct {
    const char *name;
} warning_kinds[DEFIDX_WARNING_KIND_COUNT] = {
    [DEFIDX_WARNING_OTHER] = {"other"},
    [DEFIDX_WARNING_REPEATED_ROW] = {"repeated_row"},
    [DEFIDX_WARNING_STALE_PRICE] = {"stale_price"},
    [DEFIDX_WARNING_SPIKE] = {"spike"},
    [DEFIDX_WARNING_UNUSED_TICKER] = {"unused_ticker"},
    [DEFIDX_WARNING_CAPPING] = {"capping"},
    [DEFIDX_WARNING_BASE_DATE] = {"base_date"},
    [DEFIDX_WARNING_CURRENCY] = {"currency"},
    [DEFIDX_WARNING_ENCODING] = {"encoding"},
    [DEFIDX_WARNING_STALE_RATE] = {"stale_rate"},
};

const char *defidx_warning_kind_name(defidx_warning_kind kind)
{
    return (unsigned)kind < DEFIDX_WARNING_KIND_COUNT ? warning_kinds[kind].name : NULL;
}

/* The length of the message in text (len bytes) when text ends in " (hint: HINT)", with
 * *hint_at the offset of HINT; else len. The last such opening counts: a file name or ticker in
 * the message may hold anything, the hints are the library's own. */
static size_t split_hint(const char *text, size_t len, size_t *hint_at)
{
    static const char open[] = " (hint: ";
    size_t found = len;
    if (len == 0 || text[len - 1] != ')')
        return len;
    for (const char *at = strstr(text, open); at; at = strstr(at + 1, open))
        found = (size_t)(at - text);
    *hint_at = found + sizeof open - 1;
    return found;
}

/* Marks w incomplete and returns DEFIDX_ENOMEM. */
static int lost(defidx_warnings *w)
{
    w->status = DEFIDX_ENOMEM;
    return DEFIDX_ENOMEM;
}

/* Room for one more warning in both arrays. */
static int make_room(defidx_warnings *w, size_t need)
{
    size_t capacity = w->capacity;
    if (dfx_grow((void **)&w->details, &capacity, need, sizeof *w->details) ||
        dfx_grow((void **)&w->items, &w->capacity, need, sizeof *w->items))
        return lost(w);
    return 0;
}

/* Stores a warning whose whole text (message and hint, text_len bytes) is in text. One block holds
 * its printed form (location, text), then the message, the hint and the file, each ended by a NUL:
 * items[i] is the block, which defidx_warnings_free frees, and the fields point into it. */
static int store(defidx_warnings *w, defidx_warning_kind kind, const char *file, long line, long column,
                 const char *text, size_t text_len)
{
    if (make_room(w, w->count + 1))
        return DEFIDX_ENOMEM;
    size_t hint_at = 0, message_len = split_hint(text, text_len, &hint_at);
    size_t hint_len = message_len < text_len ? text_len - 1 - hint_at : 0;
    size_t file_len = file && *file ? strlen(file) : 0;
    int n = format_location(NULL, 0, file, line, column);
    if (n < 0)
        return lost(w);
    size_t location_len = (size_t)n;
    size_t bytes = location_len + text_len + 1 + message_len + 1 + hint_len + 1 + file_len + 1;
    char *block = malloc(bytes), *at = block;
    if (!block)
        return lost(w);
    format_location(at, location_len + 1, file, line, column);
    memcpy(at + location_len, text, text_len);
    at[location_len + text_len] = '\0';
    at += location_len + text_len + 1;
    defidx_warning *d = &w->details[w->count];
    *d = (defidx_warning){kind, NULL, line > 0 ? line : 0, line > 0 && column > 0 ? column : 0, at, NULL};
    memcpy(at, text, message_len);
    at[message_len] = '\0';
    at += message_len + 1;
    if (message_len < text_len) {
        d->hint = at;
        memcpy(at, text + hint_at, hint_len);
    }
    at[hint_len] = '\0';
    at += hint_len + 1;
    if (file_len) {
        d->file = at;
        memcpy(at, file, file_len + 1);
    }
    w->items[w->count++] = block;
    return 0;
}

/* The append behind defidx_warn and dfx_warn_kind: the message formatted to its full length. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static int warn_va(defidx_warnings *w, defidx_warning_kind kind, const char *file, long line, long column,
                   const char *fmt, va_list ap)
{
    if (!w)
        return 0;
    if (w->count >= DEFIDX_WARNINGS_MAX) {
        w->suppressed++;
        return 0;
    }
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *text = n >= 0 && (size_t)n >= sizeof small ? malloc((size_t)n + 1) : small;
    if (n >= 0 && text && text != small)
        vsnprintf(text, (size_t)n + 1, fmt, again);
    va_end(again);
    int rc = n < 0 || !text ? lost(w) : store(w, kind, file, line, column, text, (size_t)n);
    if (text != small)
        free(text);
    return rc;
}

int defidx_warn(defidx_warnings *w, const char *file, long line, long column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = warn_va(w, DEFIDX_WARNING_OTHER, file, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

int dfx_warn_kind(defidx_warnings *w, defidx_warning_kind kind, const char *file, long line, long column,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = warn_va(w, kind, file, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

int defidx_warnings_move(defidx_warnings *into, defidx_warnings *from)
{
    size_t room = into->count < DEFIDX_WARNINGS_MAX ? DEFIDX_WARNINGS_MAX - into->count : 0;
    size_t taken = from->count < room ? from->count : room;
    if (taken) {
        if (make_room(into, into->count + taken))
            return DEFIDX_ENOMEM;
        /* the blocks move as they are: the fields point into them */
        memcpy(into->items + into->count, from->items, taken * sizeof *from->items);
        memcpy(into->details + into->count, from->details, taken * sizeof *from->details);
        into->count += taken;
    }
    for (size_t i = taken; i < from->count; i++)
        free(from->items[i]);
    into->suppressed += from->count - taken + from->suppressed;
    if (from->status)
        into->status = from->status;
    free(from->items);
    free(from->details);
    memset(from, 0, sizeof *from);
    return 0;
}

int dfx_warnings_check(const defidx_warnings *w, int rc, defidx_error *err)
{
    if (rc || !w || !w->status)
        return rc;
    return defidx_error_set(err, w->status, NULL, 0, 0, "out of memory");
}

void defidx_warnings_free(defidx_warnings *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++)
        free(w->items[i]);
    free(w->items);
    free(w->details);
    memset(w, 0, sizeof *w);
}

int dfx_grow(void **items, size_t *capacity, size_t need, size_t item_size)
{
    if (need <= *capacity)
        return 0;
    size_t cap = *capacity ? *capacity : 16;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / item_size)
            return DEFIDX_ENOMEM;
        cap *= 2;
    }
    void *p = realloc(*items, cap * item_size);
    if (!p)
        return DEFIDX_ENOMEM;
    *items = p;
    *capacity = cap;
    return 0;
}

bool dfx_ascii_ieq(const char *a, size_t len, const char *b)
{
    size_t i = 0;
    for (; i < len && b[i]; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return i == len && b[i] == '\0';
}

char *dfx_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int dfx_copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return DEFIDX_EDATA;
    memcpy(dst, src, n + 1);
    return 0;
}

void dfx_path_stem(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (n >= size)
        n = size - 1;
    memcpy(out, base, n);
    out[n] = '\0';
}

void dfx_position(const char *data, size_t at, long *line, long *column)
{
    long l = 1, c = 1;
    size_t i = 0;
    if (at >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a byte-order mark is not a column */
    for (; i < at && data[i]; i++) {
        if (data[i] == '\n') {
            l++;
            c = 1;
        } else if ((data[i] & 0xC0) != 0x80) { /* count characters, not UTF-8 continuation bytes */
            c++;
        }
    }
    *line = l;
    *column = c;
}

int dfx_options_version(int version, const char *what, defidx_error *err)
{
    if (version >= 0 && version <= DEFIDX_OPTIONS_VERSION)
        return 0;
    return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                            "%s of version %d, which this library (options version %d) cannot read (hint: build against the header of the library you link)",
                            what, version, DEFIDX_OPTIONS_VERSION);
}
