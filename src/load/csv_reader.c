/* csv_reader.c: CSV records with positions, for every CSV input of the library.
 * libcsv does the quoting; it reports no positions, so the text is fed to it one physical line at
 * a time (it keeps its state across calls, so quoted newlines still work) and the start of each
 * field is found again by a small quote-aware scan of the record's own lines. */
#include "load/csv_reader.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *name; /* for messages */
    const char *data; /* the text after any byte-order mark */
    size_t len;
    char delim;
    dfx_csv_record_fn on_record;
    void *ctx;
    defidx_error *err;
    int rc; /* the first error; libcsv's callbacks do nothing once it is set */
    /* the record libcsv is delivering: each field's text follows the NUL of the one before */
    char *buf;
    size_t buf_len, buf_cap;
    dfx_csv_field *fields; /* count fields, then the end of the record */
    size_t count, fields_cap;
    int open;            /* a record has started on an earlier line and not yet ended */
    size_t record_start; /* offset of the first line of the record */
    long record_line;
    size_t start;    /* where the records start: past an Excel "sep=" line */
    long first_line; /* the line there */
    int unended;     /* the text has ended without a line end after the last record */
} reader;

/* The blanks libcsv trims around unquoted fields and that make up a blank line. CR is one, so
 * that a CRLF line end needs no special case (only LF ends a record, see is_record_end). */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* libcsv's end of a record: LF alone, as the text is fed to it one line at a time (but see
 * plain_line_end). */
static int is_record_end(unsigned char c)
{
    return c == '\n';
}

/* Fills the error for a failed allocation and returns DEFIDX_ENOMEM. */
static int out_of_memory(reader *r)
{
    return defidx_error_set(r->err, DEFIDX_ENOMEM, r->name, 0, 0, "out of memory");
}

/* Fills a data error at the start of field k of the current record (located) and returns it. */
static int fail_at(reader *r, size_t k, const char *message)
{
    return defidx_error_set(r->err, DEFIDX_EDATA, r->name, r->fields[k].line, r->fields[k].column,
                            "%s", message);
}

/* Where a field that ends at i (an empty one, or the end of the record) is shown: before the CR
 * of a CRLF line end, which no editor shows as a column. */
static size_t before_cr(const char *d, size_t from, size_t i)
{
    while (i > from && d[i - 1] == '\r')
        i--;
    return i;
}

/* The position after character c: lines, and characters (not UTF-8 continuation bytes). */
static inline void advance(unsigned char c, long *line, long *column)
{
    if (c == '\n') {
        ++*line;
        *column = 1;
    } else {
        *column += (c & 0xC0) != 0x80;
    }
}

/* Finds where each field of the current record starts, the same way libcsv splits it: blanks
 * before a field are skipped, a field opening with a quote runs to its closing quote (doubled
 * quotes and newlines inside), then to the next delimiter or line end. Fills the positions of
 * fields[0..want]; entries past the record's last field get the position where the record ends.
 * *last (when not NULL) receives the byte offset where field want starts.
 * One pass that counts as it goes: this runs on every record, and is most of the reader's cost
 * after libcsv's. Blanks, quotes, CR and the delimiter are ASCII, one column each. */
static int locate_fields_at(reader *r, size_t want, size_t *last)
{
    if (dfx_grow((void **)&r->fields, &r->fields_cap, want + 1, sizeof *r->fields))
        return out_of_memory(r);
    const char *d = r->data;
    const char delim = r->delim;
    dfx_csv_field *f = r->fields;
    size_t len = r->len, i = r->record_start, start = i, k = 0;
    long line = r->record_line, column = 1; /* of d[i] */
    for (; k <= want; k++) {
        size_t begin = i;
        while (i < len && is_blank((unsigned char)d[i]) && d[i] != delim)
            i++, column++;
        start = i < len && d[i] != '\n' ? i : before_cr(d, begin, i);
        f[k].line = line;
        f[k].column = column - (long)(i - start);
        if (last && k == want)
            *last = start;
        if (i < len && d[i] == '"') {
            for (i++, column++; i < len && !(d[i] == '"' && (i + 1 >= len || d[i + 1] != '"')); i++) {
                if (d[i] == '"') /* a doubled quote */
                    i++, column++;
                advance((unsigned char)d[i], &line, &column);
            }
            if (i < len)
                i++, column++;
        }
        for (; i < len && d[i] != delim && d[i] != '\n'; i++)
            column += (d[i] & 0xC0) != 0x80;
        if (i >= len || d[i] == '\n')
            break;
        i++, column++;
    }
    long end_column = column - (long)(i - before_cr(d, start, i));
    if (last && k < want)
        *last = before_cr(d, start, i);
    for (k++; k <= want; k++) {
        f[k].line = line;
        f[k].column = end_column;
    }
    return 0;
}

static int locate_fields(reader *r, size_t want)
{
    return locate_fields_at(r, want, NULL);
}

/* Fails for field k of the current record, which is longer than DEFIDX_FIELD_MAX. A quoted one
 * usually means a quote that is never closed, which made the rest of the text one field. */
static int field_too_long(reader *r, size_t k)
{
    size_t at = r->len;
    int rc = locate_fields_at(r, k, &at);
    if (rc)
        return rc;
    int quoted = at < r->len && r->data[at] == '"';
    return defidx_error_set(r->err, DEFIDX_EDATA, r->name, r->fields[k].line, r->fields[k].column,
                            "the field is longer than the limit of %ld bytes (hint: %s)", DEFIDX_FIELD_MAX,
                            quoted ? "a quote opened here is probably never closed, or closed too late"
                                   : "no value of a CSV input is this long: is this the right file?");
}

/* Fails for the record being read, which runs over several lines (quoted line ends) to more than
 * DEFIDX_LINE_MAX bytes. */
static int record_too_long(reader *r)
{
    int rc = locate_fields(r, r->count);
    if (rc)
        return rc;
    return defidx_error_set(r->err, DEFIDX_EDATA, r->name, r->fields[0].line, r->fields[0].column,
                            "the record that starts here runs over several lines and is longer than the limit of %ld bytes (hint: quoted fields hold its line ends: is a quote never closed?)",
                            DEFIDX_LINE_MAX);
}

/* Fails for the physical line at d (n bytes, its line end not counted), line `line` of the text,
 * which is longer than DEFIDX_LINE_MAX: at the first field of it longer than DEFIDX_FIELD_MAX when
 * that limit is passed first, reading from the left, else at the line. Quotes only toggle whether
 * a delimiter ends a field: this runs before libcsv has seen the line, so that it never does. */
static int line_too_long(reader *r, const char *d, size_t n, long line)
{
    size_t field = 0;
    int quoted = 0;
    for (size_t i = 0; i < n && i <= (size_t)DEFIDX_LINE_MAX; i++) {
        if (i - field > (size_t)DEFIDX_FIELD_MAX) {
            long column = 1;
            for (size_t j = 0; j < field; j++)
                column += (d[j] & 0xC0) != 0x80;
            return defidx_error_set(r->err, DEFIDX_EDATA, r->name, line, column,
                                    "the field is longer than the limit of %ld bytes (hint: %s)", DEFIDX_FIELD_MAX,
                                    d[field] == '"' ? "a quote opened here is probably never closed, or closed too late"
                                                    : "no value of a CSV input is this long: is this the right file?");
        }
        quoted ^= d[i] == '"';
        if (!quoted && d[i] == r->delim)
            field = i + 1;
    }
    return defidx_error_set(r->err, DEFIDX_EDATA, r->name, line, 1,
                            "the line is longer than the limit of %ld bytes (hint: no line of a CSV input is this long: is this the right file, and are its lines ended by LF or CRLF?)",
                            DEFIDX_LINE_MAX);
}

/* libcsv's field callback: appends a copy of the field to the record (libcsv reuses its buffer).
 * Texts are pointed at when the record is complete, as buf may move until then. */
static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->rc)
        return;
    if (len > (size_t)DEFIDX_FIELD_MAX) {
        r->rc = field_too_long(r, r->count);
        return;
    }
    if ((r->buf_len + len + 1 > r->buf_cap &&
         dfx_grow((void **)&r->buf, &r->buf_cap, r->buf_len + len + 1, 1)) ||
        (r->count + 1 > r->fields_cap &&
         dfx_grow((void **)&r->fields, &r->fields_cap, r->count + 1, sizeof *r->fields))) {
        r->rc = out_of_memory(r);
        return;
    }
    memcpy(r->buf + r->buf_len, s, len);
    r->buf[r->buf_len + len] = '\0';
    r->fields[r->count++].len = len;
    r->buf_len += len + 1;
}

/* libcsv's record callback: locates the fields and hands the record on. */
static void record_done(int c, void *data)
{
    reader *r = data;
    (void)c;
    if (!r->rc && r->buf_len + 1 > r->buf_cap &&
        dfx_grow((void **)&r->buf, &r->buf_cap, r->buf_len + 1, 1))
        r->rc = out_of_memory(r); /* room for the end-of-record entry's "" */
    if (!r->rc && (r->rc = locate_fields(r, r->count)) == 0) {
        char *text = r->buf;
        for (size_t k = 0; k < r->count; k++) {
            r->fields[k].text = text;
            text += r->fields[k].len + 1;
        }
        *text = '\0';
        r->fields[r->count].text = text;
        r->fields[r->count].len = 0;
        dfx_csv_record rec = {r->fields, r->count, r->record_line, r->delim, r->unended};
        r->rc = r->on_record(&rec, r->ctx, r->err);
    }
    r->count = r->buf_len = 0;
    r->open = 0;
}

/* Picks the delimiter from the header line: the most frequent of ',', ';', TAB and '|' outside
 * quotes; a tie goes to the earlier of them in that order, so ',' when there is none (a
 * one-column file). The header, not the data, decides: data cells hold decimal commas. */
static char sniff_delimiter(const char *d, size_t len)
{
    static const char candidates[] = {',', ';', '\t', '|'};
    size_t counts[sizeof candidates] = {0};
    int quoted = 0;
    for (size_t i = 0; i < len && d[i] != '\n'; i++) {
        quoted ^= d[i] == '"';
        for (size_t c = 0; !quoted && c < sizeof candidates; c++)
            counts[c] += d[i] == candidates[c];
    }
    size_t best = 0;
    for (size_t c = 1; c < sizeof candidates; c++)
        if (counts[c] > counts[best])
            best = c;
    return candidates[best];
}

/* The length of Excel's "sep=X" first line (X the delimiter, then blanks and a LF or the end), or
 * 0 when the text does not start with one. Excel writes it so that a CSV opens with the right
 * delimiter whatever the locale; it is not a record. */
static size_t excel_sep_line(const char *d, size_t len, char *delim)
{
    if (len < 5 || !dfx_ascii_ieq(d, 4, "sep=") || d[4] == '\0' || !strchr(",;\t|", d[4]))
        return 0;
    size_t i = 5;
    while (i < len && (d[i] == ' ' || d[i] == '\r'))
        i++;
    if (i < len && d[i] != '\n')
        return 0;
    *delim = d[4];
    return i < len ? i + 1 : i;
}

/* 1 when the line at d (up to its LF) is blank to libcsv, which then delivers no record. */
static int blank_line(const char *d, size_t n, char delim)
{
    for (size_t i = 0; i < n && d[i] != '\n'; i++)
        if (!is_blank((unsigned char)d[i]) || d[i] == delim)
            return 0;
    return 1;
}

/* 1 when every CR of the line at d (n bytes, up to its LF) is followed by blanks only, not the
 * delimiter: CRLF, LF, and blanks before them. libcsv then splits the line the same with its own
 * tests (CR or LF ends a record, space and TAB are blanks; the state machine of libcsv 3.0.3 gives
 * the same fields either way), and those are much cheaper than calling is_record_end and is_blank
 * for every byte. Only a line with a CR inside it needs them. */
static int plain_line_end(const char *d, size_t n, char delim)
{
    const char *cr = memchr(d, '\r', n);
    for (size_t i = cr ? (size_t)(cr - d) : n; i < n && d[i] != '\n'; i++)
        if (!is_blank((unsigned char)d[i]) || d[i] == delim)
            return 0;
    return 1;
}

/* Feeds libcsv one line at a time, noting where each record starts. */
static int feed_lines(reader *r, struct csv_parser *parser)
{
    long line = r->first_line;
    int own_tests = 0; /* is_blank and is_record_end are set */
    for (size_t at = r->start; at < r->len && !r->rc; line++) {
        const char *lf = memchr(r->data + at, '\n', r->len - at);
        size_t n = lf ? (size_t)(lf - r->data) + 1 - at : r->len - at;
        size_t content = lf ? before_cr(r->data, at, (size_t)(lf - r->data)) - at : n;
        if (content > (size_t)DEFIDX_LINE_MAX) {
            r->rc = line_too_long(r, r->data + at, content, line);
            break;
        }
        /* A record still open from the lines before is inside a quoted field: the limits apply to
         * what it has gathered, or a quote never closed would read the rest of the text. */
        if (r->open && at + content - r->record_start > (size_t)DEFIDX_LINE_MAX) {
            r->rc = record_too_long(r);
            break;
        }
        int plain = plain_line_end(r->data + at, n, r->delim);
        if (plain == own_tests) {
            own_tests = !plain;
            csv_set_space_func(parser, own_tests ? is_blank : NULL);
            csv_set_term_func(parser, own_tests ? is_record_end : NULL);
        }
        if (!r->open && !blank_line(r->data + at, n, r->delim)) {
            r->open = 1;
            r->record_start = at;
            r->record_line = line;
        }
        size_t used = csv_parse(parser, r->data + at, n, on_field, record_done, r);
        if (r->rc)
            break;
        if (used < n && csv_error(parser) == CSV_EPARSE) {
            if ((r->rc = locate_fields(r, r->count)) == 0)
                r->rc = fail_at(r, r->count, "misplaced quote (hint: a field with quotes in it must be enclosed in quotes, and each of its quotes doubled)");
        } else if (used < n) {
            r->rc = out_of_memory(r);
        }
        if (!r->rc && r->open && parser->entry_pos > (size_t)DEFIDX_FIELD_MAX)
            r->rc = field_too_long(r, r->count); /* a quoted field, over several lines */
        at += n;
    }
    r->unended = 1; /* what csv_fini delivers had no line end */
    if (!r->rc && csv_fini(parser, on_field, record_done, r) != 0 && !r->rc &&
        (r->rc = locate_fields(r, r->count)) == 0)
        r->rc = fail_at(r, r->count, "unterminated quoted field (hint: the quote opened here is never closed)");
    return r->rc;
}

/* Text the reader cannot split into the right records: a NUL byte (UTF-16 without a byte-order
 * mark, a binary file) would cut fields short, and lines ended by CR alone (old Mac "CSV") would
 * make the whole file one record. */
static int check_text(const char *name, const char *data, size_t len, defidx_error *err)
{
    const char *nul = memchr(data, '\0', len);
    long line, column;
    if (nul) {
        dfx_position(data, (size_t)(nul - data), &line, &column);
        return defidx_error_set(err, DEFIDX_EDATA, name, line, column,
                                "the file holds a NUL byte (hint: UTF-16 text without a byte-order mark, or not a text file at all; save it as UTF-8 CSV)");
    }
    if (len && !memchr(data, '\n', len) && memchr(data, '\r', len))
        return defidx_error_set(err, DEFIDX_EDATA, name, 1, 1,
                                "lines end with CR alone, as old Mac files do (hint: save the file with LF or CRLF line ends)");
    return 0;
}

int dfx_csv_read(const char *name, const char *data, size_t len, char delim,
                    dfx_csv_record_fn on_record, void *ctx, defidx_error *err)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, len -= 3; /* positions are counted after the mark, as editors show them */
    int rc = check_text(name, data, len, err);
    if (rc)
        return rc;
    reader r = {.name = name, .data = data, .len = len, .delim = delim, .on_record = on_record,
                .ctx = ctx, .err = err, .record_line = 1, .first_line = 1};
    char excel_delim = 0;
    if ((r.start = excel_sep_line(data, len, &excel_delim)) > 0) {
        r.first_line = 2;
        r.delim = delim ? delim : excel_delim; /* a delimiter the caller gives still wins */
    }
    if (!r.delim) {
        size_t skip = 0;
        while (skip < len && (is_blank((unsigned char)data[skip]) || data[skip] == '\n'))
            skip++;
        r.delim = sniff_delimiter(data + skip, len - skip);
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return out_of_memory(&r);
    csv_set_delim(&parser, (unsigned char)r.delim);
    rc = feed_lines(&r, &parser);
    csv_free(&parser);
    free(r.buf);
    free(r.fields);
    return rc;
}
