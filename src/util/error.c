/* error.c: the error type every function fills, warnings, and small helpers shared by modules. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void defidx_error_clear(defidx_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int defidx_error_vset(defidx_error *err, int code, const char *file, long line, long column,
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
    defidx_error_vset(err, code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

/* Formats the location prefix shared by errors and warnings. */
static void format_located(char *buf, size_t size, const char *file, long line, long column,
                           const char *message)
{
    if (file && *file && line > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", file, line, column > 0 ? column : 1, message);
    else if (file && *file)
        snprintf(buf, size, "%s: %s", file, message);
    else
        snprintf(buf, size, "%s", message);
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

void defidx_warn(defidx_warnings *w, const char *file, long line, long column, const char *fmt, ...)
{
    if (!w)
        return;
    if (w->count >= DEFIDX_WARNINGS_MAX) {
        w->suppressed++;
        return;
    }
    char message[768], text[1100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    format_located(text, sizeof text, file, line, column, message);
    char *copy = defidx_strdup(text);
    if (!copy || defidx_grow((void **)&w->items, &w->capacity, w->count + 1, sizeof *w->items)) {
        free(copy);
        w->suppressed++;
        return;
    }
    w->items[w->count++] = copy;
}

void defidx_warnings_free(defidx_warnings *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++)
        free(w->items[i]);
    free(w->items);
    memset(w, 0, sizeof *w);
}

int defidx_grow(void **items, size_t *capacity, size_t need, size_t item_size)
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

bool defidx_ascii_ieq(const char *a, size_t len, const char *b)
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

char *defidx_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int defidx_copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return DEFIDX_EDATA;
    memcpy(dst, src, n + 1);
    return 0;
}

void defidx_path_stem(const char *path, char *out, size_t size)
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

void defidx_position(const char *data, size_t at, long *line, long *column)
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
