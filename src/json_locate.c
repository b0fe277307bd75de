/* json_locate.c: finds where a value sits in JSON text. cJSON keeps no positions, so messages about
 * a value ("constituents[3].shares") would have no line and column; these walk the raw text beside
 * cJSON's tree. The text is known to be valid JSON (cJSON parsed it), so nothing is validated. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

size_t defidx_json_skip_blanks(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

size_t defidx_json_skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len && s[i] != '"'; i++)
        i += s[i] == '\\'; /* an escape: the next character cannot close the string */
    return i < len ? i + 1 : len;
}

size_t defidx_json_skip_value(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '"')
        return defidx_json_skip_string(s, len, i);
    if (i < len && (s[i] == '[' || s[i] == '{')) {
        size_t depth = 0;
        while (i < len) {
            if (s[i] == '"') {
                i = defidx_json_skip_string(s, len, i);
                continue;
            }
            depth += s[i] == '[' || s[i] == '{';
            depth -= s[i] == ']' || s[i] == '}';
            i++;
            if (depth == 0)
                return i;
        }
        return len;
    }
    while (i < len && !strchr(",]} \t\r\n", s[i]))
        i++;
    return i;
}

size_t defidx_json_first_item(const char *s, size_t len, size_t i)
{
    return defidx_json_skip_blanks(s, len, i + 1);
}

size_t defidx_json_next_item(const char *s, size_t len, size_t i)
{
    i = defidx_json_skip_blanks(s, len, defidx_json_skip_value(s, len, i));
    if (i < len && s[i] == ',')
        i++;
    return defidx_json_skip_blanks(s, len, i);
}

size_t defidx_json_member_value(const char *s, size_t len, size_t i)
{
    i = defidx_json_skip_blanks(s, len, defidx_json_skip_string(s, len, i));
    if (i < len && s[i] == ':')
        i++;
    return defidx_json_skip_blanks(s, len, i);
}

/* i at '['; the start of element n, or len. */
static size_t array_element(const char *s, size_t len, size_t i, unsigned long n)
{
    i = defidx_json_first_item(s, len, i);
    for (unsigned long k = 0; k < n && i < len && s[i] != ']'; k++)
        i = defidx_json_next_item(s, len, i);
    return i < len && s[i] != ']' ? i : len;
}

/* i at '{'; the start of the value of member key (klen bytes, exact case), or len. */
static size_t object_member(const char *s, size_t len, size_t i, const char *key, size_t klen)
{
    for (i = defidx_json_first_item(s, len, i); i < len && s[i] == '"';) {
        size_t end = defidx_json_skip_string(s, len, i), v = defidx_json_member_value(s, len, i);
        if (end - i - 2 == klen && memcmp(s + i + 1, key, klen) == 0)
            return v;
        i = defidx_json_next_item(s, len, v);
    }
    return len;
}

int defidx_json_locate(const char *text, size_t len, const char *path, size_t *offset)
{
    size_t i = defidx_json_skip_blanks(text, len, 0);
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
