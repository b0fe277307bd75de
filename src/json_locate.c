/* json_locate.c: finds where a value sits in JSON text. cJSON keeps no positions, so messages about
 * a value ("constituents[3].shares") would have no line and column; this walks the raw text along
 * the same path. It assumes text that cJSON has already parsed, so it need not validate. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* i at an opening quote; returns the index after the closing one. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < len ? i + 1 : len;
}

/* i at the start of a value; returns the index after it. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '"')
        return skip_string(s, len, i);
    if (i < len && (s[i] == '{' || s[i] == '[')) {
        int depth = 0;
        for (; i < len; i++) {
            if (s[i] == '"') {
                i = skip_string(s, len, i) - 1;
            } else if (s[i] == '{' || s[i] == '[') {
                depth++;
            } else if ((s[i] == '}' || s[i] == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return len;
    }
    while (i < len && !strchr(",]} \t\r\n", s[i]))
        i++;
    return i;
}

/* i at '['; the start of element n, or len. */
static size_t array_element(const char *s, size_t len, size_t i, unsigned long n)
{
    i = skip_blanks(s, len, i + 1);
    for (unsigned long k = 0; k < n && i < len && s[i] != ']'; k++) {
        i = skip_blanks(s, len, skip_value(s, len, i));
        if (i < len && s[i] == ',')
            i = skip_blanks(s, len, i + 1);
    }
    return i < len && s[i] != ']' ? i : len;
}

/* i at '{'; the start of the value of member key (klen bytes), or len. */
static size_t object_member(const char *s, size_t len, size_t i, const char *key, size_t klen)
{
    i = skip_blanks(s, len, i + 1);
    while (i < len && s[i] == '"') {
        size_t end = skip_string(s, len, i);
        int match = end - i - 2 == klen && memcmp(s + i + 1, key, klen) == 0;
        i = skip_blanks(s, len, end);
        if (i < len && s[i] == ':')
            i = skip_blanks(s, len, i + 1);
        if (match)
            return i;
        i = skip_blanks(s, len, skip_value(s, len, i));
        if (i < len && s[i] == ',')
            i = skip_blanks(s, len, i + 1);
    }
    return len;
}

int defidx_json_locate(const char *text, size_t len, const char *path, size_t *offset)
{
    size_t i = skip_blanks(text, len, 0);
    const char *p = path;
    while (*p && i < len) {
        if (*p == '[') {
            char *end;
            unsigned long n = strtoul(p + 1, &end, 10);
            if (text[i] != '[' || *end != ']')
                return -1;
            i = array_element(text, len, i, n);
            p = end + 1;
        } else {
            if (*p == '.')
                p++;
            size_t klen = strcspn(p, ".[");
            if (text[i] != '{')
                return -1;
            i = object_member(text, len, i, p, klen);
            p += klen;
        }
    }
    if (i >= len)
        return -1;
    *offset = i;
    return 0;
}
