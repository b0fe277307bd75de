/* json_locate.c: finds where a value sits in JSON text. cJSON keeps no positions, so messages about
 * a value ("constituents[3].shares") would have no line and column; these walk the raw text beside
 * cJSON's tree. The text is known to be valid JSON (cJSON parsed it), so nothing is validated.
 * When cJSON has refused a text, dfx_json_syntax_problem says what is wrong, and where. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON refuses arrays and objects nested deeper than this; the checker names it. */
#define CJSON_NESTING_LIMIT_CHECK CJSON_NESTING_LIMIT

size_t dfx_json_skip_blanks(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

size_t dfx_json_skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len && s[i] != '"'; i++)
        i += s[i] == '\\'; /* an escape: the next character cannot close the string */
    return i < len ? i + 1 : len;
}

size_t dfx_json_skip_value(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '"')
        return dfx_json_skip_string(s, len, i);
    if (i < len && (s[i] == '[' || s[i] == '{')) {
        size_t depth = 0;
        while (i < len) {
            if (s[i] == '"') {
                i = dfx_json_skip_string(s, len, i);
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

size_t dfx_json_first_item(const char *s, size_t len, size_t i)
{
    return dfx_json_skip_blanks(s, len, i + 1);
}

size_t dfx_json_next_item(const char *s, size_t len, size_t i)
{
    i = dfx_json_skip_blanks(s, len, dfx_json_skip_value(s, len, i));
    if (i < len && s[i] == ',')
        i++;
    return dfx_json_skip_blanks(s, len, i);
}

size_t dfx_json_member_value(const char *s, size_t len, size_t i)
{
    i = dfx_json_skip_blanks(s, len, dfx_json_skip_string(s, len, i));
    if (i < len && s[i] == ':')
        i++;
    return dfx_json_skip_blanks(s, len, i);
}

/* i at '['; the start of element n, or len. */
static size_t array_element(const char *s, size_t len, size_t i, unsigned long n)
{
    i = dfx_json_first_item(s, len, i);
    for (unsigned long k = 0; k < n && i < len && s[i] != ']'; k++)
        i = dfx_json_next_item(s, len, i);
    return i < len && s[i] != ']' ? i : len;
}

/* i at '{'; the start of the value of member key (klen bytes, exact case), or len. */
static size_t object_member(const char *s, size_t len, size_t i, const char *key, size_t klen)
{
    for (i = dfx_json_first_item(s, len, i); i < len && s[i] == '"';) {
        size_t end = dfx_json_skip_string(s, len, i), v = dfx_json_member_value(s, len, i);
        if (end - i - 2 == klen && memcmp(s + i + 1, key, klen) == 0)
            return v;
        i = dfx_json_next_item(s, len, v);
    }
    return len;
}

int dfx_json_locate(const char *text, size_t len, const char *path, size_t *offset)
{
    size_t i = dfx_json_skip_blanks(text, len, 0);
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

size_t dfx_json_find_nul(const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    size_t end = nul ? (size_t)(nul - text) : len;
    /* past each backslash and the character it escapes, which may be the last */
    for (const char *s = text; (s = memchr(s, '\\', end - (size_t)(s - text))) != NULL; s += 2) {
        if (end - (size_t)(s - text) >= 6 && memcmp(s, "\\u0000", 6) == 0)
            return (size_t)(s - text);
        if ((size_t)(s - text) + 2 > end)
            break;
    }
    return end;
}

/* ---- naming a syntax error ------------------------------------------------------------------ */

/* What the checker expects next. */
enum expect { X_VALUE, X_VALUE_OR_END, X_KEY, X_KEY_OR_END, X_COLON, X_COMMA_OR_END, X_DONE };

/* The checker's findings: where the mistake is and what it is (out, size bytes). */
typedef struct checker {
    const char *s;
    size_t len, at;
    char *out;
    size_t size;
} checker;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int found(checker *c, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->out, c->size, fmt, ap);
    va_end(ap);
    c->at = at;
    return 1;
}

static int cut_short(checker *c)
{
    return found(c, c->len, "the JSON ends before it is complete (hint: the file looks cut short: download or save it again)");
}

static int is_word_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* A word where a value belongs, at *i (a sign may lead it): true, false and null are values
 * (returns 0 with *i past the word); anything else is named. */
static int check_word(checker *c, size_t *i)
{
    size_t start = *i, n = 0;
    const char *w = c->s + start;
    if (w[0] == '-' || w[0] == '+')
        n++;
    size_t sign = n;
    while (start + n < c->len && is_word_char(w[n]))
        n++;
    if ((n == 4 && memcmp(w, "true", 4) == 0) || (n == 5 && memcmp(w, "false", 5) == 0) ||
        (n == 4 && memcmp(w, "null", 4) == 0)) {
        *i = start + n;
        return 0;
    }
    if (start + n == c->len && !sign &&
        (strncmp("true", w, n) == 0 || strncmp("false", w, n) == 0 || strncmp("null", w, n) == 0))
        return cut_short(c);
    const char *bare = w + sign;
    size_t bare_len = n - sign;
    if (dfx_ascii_ieq(bare, bare_len, "nan") || dfx_ascii_ieq(bare, bare_len, "inf") ||
        dfx_ascii_ieq(bare, bare_len, "infinity"))
        return found(c, start, "'%.*s' is not a JSON number (hint: write null for a missing value)", (int)n, w);
    return found(c, start, "'%.*s' is not a JSON value (hint: a number, a string in double quotes, true, false or null)",
                 (int)(n < 24 ? n : 24), w);
}

/* A string at *i (its opening quote): its escapes are checked and *i moved past it. */
static int check_string(checker *c, size_t *i)
{
    const char *s = c->s;
    for (size_t k = *i + 1; k < c->len; k++) {
        if (s[k] == '"') {
            *i = k + 1;
            return 0;
        }
        if (s[k] != '\\')
            continue;
        if (k + 1 >= c->len)
            return cut_short(c);
        char e = s[k + 1];
        if (e == 'u') {
            for (size_t h = k + 2; h < k + 6; h++) {
                if (h >= c->len)
                    return cut_short(c);
                if (!((s[h] >= '0' && s[h] <= '9') || (s[h] >= 'a' && s[h] <= 'f') || (s[h] >= 'A' && s[h] <= 'F')))
                    return found(c, k, "a \\u escape without four hex digits (hint: such as \\u00e9, or write the character itself)");
            }
        } else if (e == '\0' || !strchr("\"\\/bfnrt", e)) {
            return found(c, k, "'\\%c' is not an escape of JSON (hint: write \\\\ for a backslash, as in C:\\\\data)", e);
        }
        k++;
    }
    return cut_short(c);
}

/* A number where a value belongs, read as loosely as cJSON reads it; a word glued to it
 * ("1O.5", "-Infinity") is named. */
static int check_number(checker *c, size_t *i)
{
    size_t start = *i, k = start;
    while (k < c->len && c->s[k] != '\0' && strchr("0123456789+-.eE", c->s[k]))
        k++;
    if (k < c->len && is_word_char(c->s[k])) {
        size_t w = start;
        return check_word(c, &w) ? 1 : found(c, start, "a value is out of place here (hint: look for a missing comma)");
    }
    *i = k;
    return 0;
}

/* 1 when the last character before i that is not a blank is a comma. */
static int after_comma(const char *s, size_t i)
{
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\r' || s[i - 1] == '\n'))
        i--;
    return i > 0 && s[i - 1] == ',';
}

/* Where the walk is: the next byte, the open arrays and objects, and what may come next. */
typedef struct walk {
    size_t i, depth;
    char stack[CJSON_NESTING_LIMIT_CHECK + 1];
    enum expect x;
    int value_done; /* a value (or a closed array or object) ended at i */
} walk;

/* Where a value is expected (or, in an array just opened, its end). */
static int expect_value(checker *c, walk *w, char ch)
{
    const char *s = c->s;
    if (ch == ']' && w->x == X_VALUE_OR_END) {
        w->depth--;
        w->value_done = 1;
        w->i++;
    } else if ((ch == ']' || ch == '}') && after_comma(s, w->i)) {
        return found(c, w->i, "a comma before '%c' (hint: JSON allows no comma after the last item: remove it)", ch);
    } else if (ch == '[' || ch == '{') {
        if (w->depth >= CJSON_NESTING_LIMIT_CHECK) {
            found(c, w->i, "the JSON is nested deeper than the limit of %d levels (hint: no input of defidx nests more than a few: is this the right file?)",
                  CJSON_NESTING_LIMIT_CHECK);
            return 2;
        }
        w->stack[w->depth++] = ch;
        w->x = ch == '[' ? X_VALUE_OR_END : X_KEY_OR_END;
        w->i++;
    } else if (ch == '"') {
        if (check_string(c, &w->i))
            return 1;
        w->value_done = 1;
    } else if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.') {
        if (check_number(c, &w->i))
            return 1;
        if (w->i >= c->len && w->depth > 0)
            return cut_short(c);
        w->value_done = 1;
    } else if (is_word_char(ch)) {
        if (check_word(c, &w->i))
            return 1;
        w->value_done = 1;
    } else {
        return found(c, w->i, "a value is missing here (hint: a number, a string in double quotes, an array, an object, true, false or null)");
    }
    return 0;
}

/* Where a key is expected (or, in an object just opened, its end). */
static int expect_key(checker *c, walk *w, char ch)
{
    if (ch == '}' && w->x == X_KEY_OR_END) {
        w->depth--;
        w->value_done = 1;
        w->i++;
    } else if (ch == '}') {
        return found(c, w->i, "a comma before '}' (hint: JSON allows no comma after the last item: remove it)");
    } else if (ch == '"') {
        if (check_string(c, &w->i))
            return 1;
        w->x = X_COLON;
    } else if (is_word_char(ch)) {
        return found(c, w->i, "a key without double quotes (hint: write \"date\": \"2025-02-18\")");
    } else {
        return found(c, w->i, "'%c' where a key belongs (hint: an object holds \"key\": value pairs, separated by commas)", ch);
    }
    return 0;
}

/* After a value inside an array or object: a comma, or the bracket that closes it. */
static int expect_comma_or_end(checker *c, walk *w, char ch)
{
    char open = w->stack[w->depth - 1];
    if (ch == ',') {
        w->x = open == '[' ? X_VALUE : X_KEY;
        w->i++;
    } else if ((ch == ']' && open == '[') || (ch == '}' && open == '{')) {
        w->depth--;
        w->value_done = 1;
        w->i++;
    } else if (ch == ']' || ch == '}') {
        return found(c, w->i, "'%c' where the %s needs '%c' (hint: a bracket is missing or out of place)", ch,
                     open == '[' ? "array" : "object", open == '[' ? ']' : '}');
    } else {
        return found(c, w->i, "a comma is missing before this (hint: separate the items of an array or object with commas)");
    }
    return 0;
}

/* Walks text as a JSON value, with a stack of the open arrays and objects, to the first mistake.
 * Returns 1 (syntax) or 2 (nesting past cJSON's limit) with the mistake in c, or 0 when it finds
 * none (the text after the value is the callers' business). */
static int check_json(checker *c)
{
    walk w = {.x = X_VALUE};
    for (;;) {
        w.i = dfx_json_skip_blanks(c->s, c->len, w.i);
        if (w.x == X_DONE)
            return 0;
        if (w.i >= c->len)
            return cut_short(c);
        char ch = c->s[w.i];
        if (ch == '/')
            return found(c, w.i, "a comment (hint: JSON has no comments: remove it)");
        if (ch == '\'')
            return found(c, w.i, "a single quote (hint: JSON strings and keys are in double quotes)");
        w.value_done = 0;
        int rc = 0;
        if (w.x == X_VALUE || w.x == X_VALUE_OR_END)
            rc = expect_value(c, &w, ch);
        else if (w.x == X_KEY || w.x == X_KEY_OR_END)
            rc = expect_key(c, &w, ch);
        else if (w.x == X_COLON && ch != ':')
            rc = found(c, w.i, "':' is missing after the key (hint: write \"key\": value)");
        else if (w.x == X_COLON)
            w.x = X_VALUE, w.i++;
        else
            rc = expect_comma_or_end(c, &w, ch);
        if (rc)
            return rc;
        if (w.value_done)
            w.x = w.depth == 0 ? X_DONE : X_COMMA_OR_END;
    }
}

int dfx_json_syntax_problem(const char *text, size_t len, size_t *at, char *out, size_t size)
{
    checker c = {text, len, *at, out, size};
    int rc = check_json(&c);
    if (rc)
        *at = c.at;
    return rc;
}
