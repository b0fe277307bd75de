/* file.c: reading an input file whole into memory, within a size limit checked before it is read,
 * and telling text from what is not (a compressed file, a workbook, a PDF, an HTML page, text in an
 * encoding other than UTF-8). Every loader reads through here. */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


/* Skips an optional UTF-8 byte-order mark and then blanks (space, tab, CR, LF); returns the
 * offset of the first byte that carries content, or len when there is none. */
size_t dfx_first_content(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i;
}

/* The size of the regular file f, from fstat; -1 for a pipe, terminal or device, whose size is
 * not known before it is read, or when fstat fails. */
static intmax_t regular_size(FILE *f)
{
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return -1;
    return (intmax_t)sb.st_size;
}

/* The first read: enough to tell JSON from CSV and to find a binary file's NUL bytes. */
#define FIRST_READ ((size_t)128 << 10)

/* The limit of limits (an array ending with the entry whose applies is NULL) that holds for a file
 * whose first bytes are head. */
static const dfx_size_limit *limit_for(const dfx_size_limit *limits, const char *head, size_t got)
{
    while (limits->applies && !limits->applies(head, got))
        limits++;
    return limits;
}

/* 1 when reading can stop after the got bytes just read at buf + n: they hold a NUL byte (a binary
 * file, or UTF-16: its parser refuses it there), or, for CSV text, the line that starts at
 * *line_start is already longer than its parser accepts. *line_start follows the line ends. */
static int parser_refuses(const dfx_size_limit *limit, const char *buf, size_t n, size_t got,
                          size_t *line_start)
{
    if (memchr(buf + n, '\0', got))
        return 1;
    if (!limit || !limit->csv)
        return 0;
    for (size_t i = n + got; i > n; i--)
        if (buf[i - 1] == '\n' || buf[i - 1] == '\r') {
            *line_start = i;
            break;
        }
    return n + got - *line_start > (size_t)DEFIDX_LINE_MAX + 1;
}

/* What slurp returns for a file over its limit, beside 0 and the DEFIDX_E* codes. */
#define OVER_LIMIT 1

/* Reads f into a growing buffer with room for a terminating NUL, in reads that double in size.
 * Under limits (NULL: none) it reads no more than the limit that holds for the file's first read
 * allows (a regular file is judged by its size before a second read), and stops early where its
 * parser will refuse what was read (parser_refuses), so that memory and time stay bounded whatever
 * the input: /dev/zero, an endless pipe, a sparse file of many gigabytes. Returns 0, OVER_LIMIT
 * with *over the limit, DEFIDX_ENOMEM, or DEFIDX_EINPUT with errno set when a read fails. */
static int slurp(FILE *f, const dfx_size_limit *limits, char **data, size_t *len,
                 const dfx_size_limit **over)
{
    intmax_t size = limits ? regular_size(f) : -1;
    const dfx_size_limit *limit = NULL;
    size_t cap = 0, n = 0, mark = 0, line_start = 0;
    char *buf = NULL;
    for (;;) {
        size_t want = n < FIRST_READ ? FIRST_READ : n;
        if (dfx_grow((void **)&buf, &cap, n + want + 1, 1)) {
            free(buf);
            return DEFIDX_ENOMEM;
        }
        size_t got = fread(buf + n, 1, want, f);
        if (n == 0 && limits) {
            limit = limit_for(limits, buf, got);
            mark = got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        }
        /* what the parser refuses at its place comes before the size: a sparse file of zeros is
         * "not a text file", not "too large" */
        int stop = got == 0 || (limits && parser_refuses(limit, buf, n, got, &line_start));
        n += got;
        if (stop)
            break;
        if (limit && ((size >= 0 && (uintmax_t)(size - (intmax_t)mark) > limit->max) || n - mark > limit->max)) {
            free(buf);
            *over = limit;
            return OVER_LIMIT;
        }
    }
    if (ferror(f)) {
        int saved = errno;
        free(buf);
        errno = saved ? saved : EIO;
        return DEFIDX_EINPUT;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int dfx_read_file_limited(const char *path, const dfx_size_limit *limits, char **data, size_t *len,
                             defidx_error *err)
{
    int from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? DEFIDX_STDIN_NAME : path;
    *data = NULL;
    *len = 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f && errno == ENOMEM) /* the FILE itself could not be had: no fault of the input */
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory opening %s", name);
    if (!f)
        return defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "cannot open %s: %s", name,
                                strerror(errno));
    errno = 0;
    const dfx_size_limit *over = NULL;
    int rc = slurp(f, limits, data, len, &over);
    int saved = errno;
    if (!from_stdin)
        fclose(f);
    if (rc == OVER_LIMIT)
        return dfx_refuse_size(name, over, err);
    if (rc == DEFIDX_ENOMEM)
        return defidx_error_set(err, rc, NULL, 0, 0, "out of memory reading %s", name);
    if (rc) /* a directory opens but does not read (EISDIR) */
        return defidx_error_set(err, rc, NULL, 0, 0, "cannot open %s: %s", name, strerror(saved));
    if (dfx_first_content(*data, *len) == *len) {
        free(*data);
        *data = NULL;
        *len = 0;
        return defidx_error_set(err, DEFIDX_EINPUT, name, 0, 0,
                                "the file is empty (hint: check the path, or the command that wrote it)");
    }
    return 0;
}

int dfx_refuse_size(const char *name, const dfx_size_limit *limit, defidx_error *err)
{
    return defidx_error_set(err, DEFIDX_EDATA, name, 0, 0, "%s is larger than the limit of %zu bytes (hint: %s)",
                            limit->what, limit->max, limit->hint);
}

int defidx_read_file(const char *path, char **data, size_t *len, defidx_error *err)
{
    return dfx_read_file_limited(path, NULL, data, len, err);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not valid UTF-8. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > left || s[0] == 0xC0 || s[0] == 0xC1)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Byte offset of the first byte that is not valid UTF-8, or len. */
static size_t first_invalid_utf8(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence((const unsigned char *)data + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t dfx_utf8_invalid(const char *data, size_t len)
{
    return first_invalid_utf8(data, len);
}

/* Byte offset of the first valid UTF-8 sequence of two or more bytes, or len: text that has one
 * and also invalid bytes is a mix of encodings. */
static size_t first_multibyte_utf8(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        size_t n = utf8_sequence((const unsigned char *)data + i, len - i);
        if (n >= 2)
            return i;
    }
    return len;
}

/* Windows-1252's 0x80..0x9F as Unicode code points (0 where it has none); 0xA0..0xFF are Latin-1. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/* Converts Windows-1252 text (what Excel on Windows saves as "CSV") to UTF-8. Returns the new
 * buffer, or NULL with *bad the offset of a byte Windows-1252 does not define (or out of memory). */
static char *cp1252_to_utf8(const char *data, size_t len, size_t *out_len, size_t *bad)
{
    char *out = malloc(len * 3 + 1);
    size_t o = 0;
    *bad = len;
    for (size_t i = 0; out && i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        unsigned cp = c < 0x80 ? c : c < 0xA0 ? cp1252_high[c - 0x80] : c;
        if (cp == 0 && c != 0) {
            *bad = i;
            free(out);
            return NULL;
        }
        if (cp < 0x80) {
            out[o++] = (char)cp;
        } else if (cp < 0x800) {
            out[o++] = (char)(0xC0 | cp >> 6);
            out[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | cp >> 12);
            out[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    if (out) {
        out[o] = '\0';
        *out_len = o;
    }
    return out;
}

/* Text that is not UTF-8 is taken for Windows-1252 and converted, with a warning; a byte that
 * Windows-1252 does not define either means the file is something else (binary, UTF-16, ...). */
int dfx_text_to_utf8(const char *name, const char *data, size_t len, char **converted,
                        size_t *converted_len, defidx_warnings *w, defidx_error *err)
{
    size_t at = first_invalid_utf8(data, len), bad;
    *converted = NULL;
    *converted_len = 0;
    if (at == len)
        return 0;
    long line, column;
    size_t multibyte = first_multibyte_utf8(data, len);
    if (multibyte < len) {
        /* Converting would garble the UTF-8 characters; keeping them would garble the others. */
        dfx_position(data, at, &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                                "the file mixes UTF-8 and another encoding (hint: save it again as UTF-8 CSV)");
    }
    dfx_position(data, at, &line, &column);
    size_t n;
    char *out = cp1252_to_utf8(data, len, &n, &bad);
    if (!out && bad == len)
        return defidx_error_set(err, DEFIDX_ENOMEM, name, 0, 0, "out of memory");
    if (!out) {
        dfx_position(data, bad, &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                                "the file is neither UTF-8 nor Windows-1252 text (hint: save it as UTF-8 CSV)");
    }
    dfx_warn_kind(w, DEFIDX_WARNING_ENCODING, name, line, column, "the file is not UTF-8; read as Windows-1252");
    *converted = out;
    *converted_len = n;
    return 0;
}

/* What each kind of input is called in messages, and how a spreadsheet or editor saves it. */
static const struct {
    const char *what, *save_as;
} kinds[] = {{"price data", "UTF-8 CSV"},
             {"an index definition", "UTF-8"},
             {"corporate actions", "UTF-8 CSV"},
             {"FX rates", "UTF-8 CSV"}};

/* Files that are not text at all, by the bytes they begin with. */
static const struct {
    const char *magic;
    size_t len;
    const char *is, *hint; /* a hint about a sheet is given for the CSV inputs only */
} binaries[] = {
    {"\x1f\x8b", 2, "a gzip-compressed file", "decompress it first, such as with gunzip"},
    {"BZh", 3, NULL, NULL}, /* checked further below: "BZh" could begin a text */
    {"\xfd" "7zXZ\x00", 6, "an xz-compressed file", "decompress it first, such as with unxz"},
    {"PK\x03\x04", 4, "a ZIP archive (an Excel .xlsx workbook is one)", "unzip it, or save the sheet as UTF-8 CSV"},
    {"PK\x05\x06", 4, "an empty ZIP archive", "unzip the download it came from, or download it again"},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an Excel .xls workbook (or another old Office file)", "save the sheet as UTF-8 CSV"},
    {"%PDF-", 5, "a PDF document", "download the data itself, not a report of it"},
};

/* 1 when the n bytes at s hold "html" in any case: an XHTML page starts as XML does. */
static int mentions_html(const char *s, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (dfx_ascii_ieq(s + i, 4, "html"))
            return 1;
    return 0;
}

int dfx_check_file_kind(const char *name, const char *data, size_t len, int kind, defidx_error *err)
{
    if (kind < DEFIDX_FILE_PRICES || kind > DEFIDX_FILE_FX)
        kind = DEFIDX_FILE_PRICES;
    const char *what = kinds[kind].what, *save_as = kinds[kind].save_as;
    for (size_t i = 0; i < sizeof binaries / sizeof binaries[0]; i++) {
        if (len < binaries[i].len || memcmp(data, binaries[i].magic, binaries[i].len) != 0)
            continue;
        const char *is = binaries[i].is, *hint = binaries[i].hint;
        if (!is) { /* bzip2: "BZh", a block size '1'..'9', then the block's magic */
            if (len < 10 || data[3] < '1' || data[3] > '9' || memcmp(data + 4, "1AY&SY", 6) != 0)
                continue;
            is = "a bzip2-compressed file";
            hint = "decompress it first, such as with bunzip2";
        }
        if (kind == DEFIDX_FILE_INDEX && strstr(hint, "sheet"))
            hint = "the index definition is JSON text: save it as UTF-8";
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1, "this is %s, not %s (hint: %s)", is, what, hint);
    }
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) ||
                     (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF)))
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1, "the file is UTF-32 text (hint: save it as %s)", save_as);
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        /* a price file of JSON: '[' or '{' as the first UTF-16 code unit after the mark */
        unsigned first_unit = len < 4 ? 0 : u[0] == 0xFF ? (unsigned)(u[2] | u[3] << 8) : (unsigned)(u[2] << 8 | u[3]);
        if (kind == DEFIDX_FILE_PRICES && (first_unit == '[' || first_unit == '{'))
            save_as = "UTF-8";
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1, "the file is UTF-16 text (hint: save it as %s)", save_as);
    }
    size_t first = dfx_first_content(data, len);
    if (first >= len || data[first] != '<')
        return 0;
    long line, column;
    dfx_position(data, first, &line, &column);
    if (len - first >= 5 && dfx_ascii_ieq(data + first, 5, "<?xml") &&
        !mentions_html(data + first, len - first < 200 ? len - first : 200))
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column, "this is an XML file, not %s (hint: %s)", what,
                                kind == DEFIDX_FILE_FX ? "the ECB publishes the rates as CSV too: eurofxref-hist.zip holds eurofxref-hist.csv"
                                                       : "download or export the data as CSV or JSON");
    return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                            "this is an HTML page, not %s (hint: the site sent a web page, often a login, "
                            "cookie or error page, instead of the download)", what);
}

