/* text.c: text from the data made safe for people's terminals and files. A name, ticker or cell
 * comes from a file someone else wrote; written raw, an ESC sequence recolours or clears the
 * terminal, a CR overwrites the line before it and a LF forges a line of its own. Each byte that
 * could do so is written as a visible \xHH escape instead (docs/formats.md, "Text for people"). */
#include "internal.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there are not one. Overlong
 * forms, surrogates and code points past U+10FFFF are invalid, as RFC 3629 says. */
size_t dfx_utf8_sequence(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned long cp;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t dfx_text_unit(const char *s, size_t n, int *escape)
{
    const unsigned char *p = (const unsigned char *)s;
    *escape = 1;
    if (*p < 0x20 || *p == 0x7f)
        return 1;
    size_t len = dfx_utf8_sequence(p);
    /* C1 controls (U+0080..U+009F, bytes C2 80..C2 9F) act like ESC sequences on many terminals:
     * escaped byte by byte, the first byte here and the second as a lone continuation byte */
    if (len == 0 || len > n || (p[0] == 0xC2 && p[1] < 0xA0))
        return 1;
    *escape = 0;
    return len;
}

size_t dfx_text_width_n(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        int escape;
        size_t len = dfx_text_unit(s + i, n - i, &escape);
        w += escape ? 4 : 1; /* "\x1b" is four columns, a character one */
        i += len;
    }
    return w;
}

void dfx_text_put_n(FILE *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* safe bytes not written yet, written in one call */
    for (size_t i = 0; i < n;) {
        int escape;
        size_t len = dfx_text_unit(s + i, n - i, &escape);
        if (!escape) {
            run += len;
            i += len;
            continue;
        }
        fwrite(s + i - run, 1, run, out);
        run = 0;
        unsigned char b = (unsigned char)s[i++];
        char e[4] = {'\\', 'x', hex[b >> 4], hex[b & 15]};
        fwrite(e, 1, sizeof e, out);
    }
    fwrite(s + n - run, 1, run, out);
}

void dfx_text_put(FILE *out, const char *s)
{
    dfx_text_put_n(out, s ? s : "", s ? strlen(s) : 0);
}

size_t defidx_text_escape(char *buf, size_t size, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    size_t used = 0, n = text ? strlen(text) : 0;
    for (size_t i = 0; i < n;) {
        int escape;
        size_t len = dfx_text_unit(text + i, n - i, &escape);
        char e[4];
        const char *piece = text + i;
        if (escape) {
            unsigned char b = (unsigned char)text[i];
            e[0] = '\\', e[1] = 'x', e[2] = hex[b >> 4], e[3] = hex[b & 15];
            piece = e, len = 1;
        }
        size_t plen = escape ? 4 : len;
        if (used + plen < size) /* whole pieces only: never half a character or escape */
            memcpy(buf + used, piece, plen);
        else if (used < size)
            size = used + 1; /* stop here so a later, shorter piece cannot follow a gap */
        used += plen;
        i += len;
    }
    if (size)
        buf[used < size ? used : size - 1] = '\0';
    return used;
}
