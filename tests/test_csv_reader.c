/* test_csv_reader.c: the CSV record reader on its own: fields, their positions, delimiter sniffing,
 * quoting errors and a callback that stops the read. Every expected line:column is worked out by
 * hand below: columns are 1-based characters of the physical line, a BOM is not counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "internal.h"
#include "load/csv_reader.h"
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 8
#define MAX_FIELDS 4

/* What the callback saw: each record's first line, delimiter and fields (copied, as the reader's
 * buffers are reused), the end-of-record entry included. */
typedef struct seen {
    size_t records;
    int stop_at; /* the callback fails on this record (1-based); 0: never */
    struct {
        long line;
        char delim;
        size_t count;
        struct {
            char text[32];
            size_t len;
            long line, column;
        } f[MAX_FIELDS + 1];
    } rec[MAX_RECORDS];
} seen;

static int collect(dfx_csv_record *rec, void *ctx, defidx_error *err)
{
    seen *s = ctx;
    if (s->records >= MAX_RECORDS || rec->count > MAX_FIELDS)
        fail_msg("record %zu has %zu fields", s->records + 1, rec->count);
    size_t r = s->records++;
    s->rec[r].line = rec->line;
    s->rec[r].delim = rec->delim;
    s->rec[r].count = rec->count;
    for (size_t k = 0; k <= rec->count; k++) {
        assert_true(rec->fields[k].len < sizeof s->rec[r].f[k].text);
        assert_int_equal(strlen(rec->fields[k].text), rec->fields[k].len); /* NUL-terminated */
        memcpy(s->rec[r].f[k].text, rec->fields[k].text, rec->fields[k].len + 1);
        s->rec[r].f[k].len = rec->fields[k].len;
        s->rec[r].f[k].line = rec->fields[k].line;
        s->rec[r].f[k].column = rec->fields[k].column;
    }
    if (s->stop_at && (size_t)s->stop_at == s->records)
        return defidx_error_set(err, DEFIDX_EDATA, "s.csv", rec->fields[1].line,
                                rec->fields[1].column, "stopped at '%s'", rec->fields[1].text);
    return 0;
}

/* Fails unless field k of record r (0-based) is text at line:column. */
static void expect_field(const seen *s, size_t r, size_t k, const char *text, long line, long column)
{
    assert_true(r < s->records);
    assert_true(k <= s->rec[r].count);
    if (strcmp(s->rec[r].f[k].text, text) != 0 || s->rec[r].f[k].line != line ||
        s->rec[r].f[k].column != column)
        fail_msg("record %zu field %zu: '%s' at %ld:%ld; expected '%s' at %ld:%ld", r, k,
                 s->rec[r].f[k].text, s->rec[r].f[k].line, s->rec[r].f[k].column, text, line, column);
}

/* A BOM, CRLF line ends, a blank line, a quoted field holding a comma, a CRLF and doubled quotes,
 * blanks around a quoted field, a non-ASCII character, a line of bare delimiters and no final line
 * end. The header holds two ';' outside quotes and two ',' inside them: the sniff counts outside
 * quotes only, so it picks ';' (counting every byte would tie at 2 and pick ','). */
static const char text[] = "\xEF\xBB\xBF"
                           "date;\"x,y\";close\r\n"                  /* line 1 */
                           "\r\n"                                    /* line 2: blank */
                           "2025-02-18;\"one, two\r\n"               /* line 3 */
                           "three\";784,2\r\n"                       /* line 4 */
                           "2025-02-19; \"\xC3\xA9;\"\"q\"\" \" ;x\r\n" /* line 5: é is 2 bytes */
                           ";;\r\n"                                  /* line 6 */
                           "2025-02-20;y;1";                         /* line 7, no line end */

static void fields_and_positions(void **state)
{
    (void)state;
    seen s = {0};
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(dfx_csv_read("s.csv", text, strlen(text), 0, collect, &s, &err), 0);
    assert_int_equal(s.records, 5); /* the blank line gives none */
    for (size_t r = 0; r < s.records; r++) {
        assert_int_equal(s.rec[r].delim, ';');
        assert_int_equal(s.rec[r].count, 3);
    }
    /* line 1 (the BOM not counted): d1 a2 t3 e4 ;5 "6 x7 ,8 y9 "10 ;11 c12 l13 o14 s15 e16, and
     * the record ends at col 17, before the CR. */
    assert_int_equal(s.rec[0].line, 1);
    expect_field(&s, 0, 0, "date", 1, 1);
    expect_field(&s, 0, 1, "x,y", 1, 6);
    expect_field(&s, 0, 2, "close", 1, 12);
    expect_field(&s, 0, 3, "", 1, 17);
    /* lines 3-4: "2025-02-18" is cols 1-10, ';' 11, the quote 12; the field keeps its CRLF. On
     * line 4, t1 h2 r3 e4 e5 "6 ;7, so 784,2 starts at col 8 and ends before col 13. */
    assert_int_equal(s.rec[1].line, 3);
    expect_field(&s, 1, 0, "2025-02-18", 3, 1);
    expect_field(&s, 1, 1, "one, two\r\nthree", 3, 12);
    expect_field(&s, 1, 2, "784,2", 4, 8);
    expect_field(&s, 1, 3, "", 4, 13);
    /* line 5: date 1-10, ';' 11, blank 12, the quote 13, é 14 (one character), ';' 15, "" 16-17,
     * q 18, "" 19-20, blank 21, the closing quote 22, blank 23, ';' 24, x 25, end 26. The blanks
     * inside the quotes stay; those outside go. */
    assert_int_equal(s.rec[2].line, 5);
    expect_field(&s, 2, 0, "2025-02-19", 5, 1);
    expect_field(&s, 2, 1, "\xC3\xA9;\"q\" ", 5, 13);
    expect_field(&s, 2, 2, "x", 5, 25);
    expect_field(&s, 2, 3, "", 5, 26);
    /* line 6: three empty fields at cols 1, 2 and 3 (the CR is not a column) */
    assert_int_equal(s.rec[3].line, 6);
    expect_field(&s, 3, 0, "", 6, 1);
    expect_field(&s, 3, 1, "", 6, 2);
    expect_field(&s, 3, 2, "", 6, 3);
    expect_field(&s, 3, 3, "", 6, 3);
    /* line 7: y at col 12, 1 at col 14, the end of the text at col 15 */
    assert_int_equal(s.rec[4].line, 7);
    expect_field(&s, 4, 0, "2025-02-20", 7, 1);
    expect_field(&s, 4, 1, "y", 7, 12);
    expect_field(&s, 4, 2, "1", 7, 14);
    expect_field(&s, 4, 3, "", 7, 15);
}

/* A given delimiter is used as is, without sniffing. With TAB, "a,b\tc" is two fields, c at
 * col 5. With ',', the first field of the header above is 'date;"x': a quote inside an unquoted
 * field is misplaced, and the error points at the start of that field, col 1. */
static void given_delimiter(void **state)
{
    (void)state;
    seen s = {0};
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(dfx_csv_read("s.csv", "a,b\tc\n", 6, '\t', collect, &s, &err), 0);
    assert_int_equal(s.records, 1);
    assert_int_equal(s.rec[0].count, 2);
    expect_field(&s, 0, 0, "a,b", 1, 1);
    expect_field(&s, 0, 1, "c", 1, 5);
    assert_int_equal(dfx_csv_read("s.csv", text, strlen(text), ',', collect, &s, &err),
                     DEFIDX_EDATA);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "misplaced quote"));
}

/* The callback's error stops the read: no record after the second is delivered, and the error the
 * callback filled (at line 3, col 12, the start of the quoted field) is what the read returns. */
static void callback_stops(void **state)
{
    (void)state;
    seen s = {.stop_at = 2};
    defidx_error err;
    defidx_error_clear(&err);
    assert_int_equal(dfx_csv_read("s.csv", text, strlen(text), 0, collect, &s, &err), DEFIDX_EDATA);
    assert_int_equal(s.records, 2);
    assert_int_equal(err.code, DEFIDX_EDATA);
    assert_string_equal(err.file, "s.csv");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 12);
    assert_string_equal(err.message, "stopped at 'one, two\r\nthree'");
}

/* Only LF ends a record: a CR inside a line is a blank, trimmed at the end of a field and kept
 * inside one. "a,b\r,c": a1 ,2 b3 CR4 ,5 c6, the end at col 7; "x\ry,z": z at col 5, the end at
 * col 6. With TAB as the delimiter, "a\r\t" is a, then an empty field after the TAB (col 3) at
 * col 4, where the line ends. */
static void carriage_returns(void **state)
{
    (void)state;
    seen s = {0};
    const char *text_cr = "a,b\r,c\r\nx\ry,z\r\n";
    assert_int_equal(dfx_csv_read("c.csv", text_cr, strlen(text_cr), ',', collect, &s, NULL), 0);
    assert_int_equal(s.records, 2);
    assert_int_equal(s.rec[0].count, 3);
    expect_field(&s, 0, 0, "a", 1, 1);
    expect_field(&s, 0, 1, "b", 1, 3);
    expect_field(&s, 0, 2, "c", 1, 6);
    expect_field(&s, 0, 3, "", 1, 7);
    assert_int_equal(s.rec[1].count, 2);
    expect_field(&s, 1, 0, "x\ry", 2, 1);
    expect_field(&s, 1, 1, "z", 2, 5);
    expect_field(&s, 1, 2, "", 2, 6);
    seen t = {0};
    assert_int_equal(dfx_csv_read("c.tsv", "a\r\t\n", 4, '\t', collect, &t, NULL), 0);
    assert_int_equal(t.records, 1);
    assert_int_equal(t.rec[0].count, 2);
    expect_field(&t, 0, 0, "a", 1, 1);
    expect_field(&t, 0, 1, "", 1, 4);
}

/* Quoting errors point at the start of the field ("1," is 2 characters -> col 3), on the record's
 * first line for a quote never closed; the records before are delivered. */
static void quoting_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line, column;
        const char *fragment;
    } cases[] = {
        {"a,b\n1,x\"y\n", 2, 3, "misplaced quote"},
        {"a,b\n1,\"x\"y\n", 2, 3, "misplaced quote"},
        {"a,b\r\n1,\"x\r\n2,3\r\n", 2, 3, "unterminated quoted field"},
        {"a,b\n\n1, \"x", 3, 4, "unterminated quoted field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        seen s = {0};
        defidx_error err;
        defidx_error_clear(&err);
        int rc = dfx_csv_read("q.csv", cases[i].text, strlen(cases[i].text), 0, collect, &s, &err);
        if (rc != DEFIDX_EDATA || err.line != cases[i].line || err.column != cases[i].column ||
            !strstr(err.message, cases[i].fragment) || !strstr(err.message, "(hint: ") ||
            strcmp(err.file, "q.csv") != 0)
            fail_msg("case %zu: %d at %ld:%ld '%s'", i, rc, err.line, err.column, err.message);
        assert_int_equal(s.records, 1);
        expect_field(&s, 0, 1, "b", 1, 3);
    }
}

/* Nothing, a BOM alone, or blank lines give no record and no error. */
static void no_records(void **state)
{
    (void)state;
    const char *texts[] = {"", "\xEF\xBB\xBF", "\r\n \n\t\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        seen s = {0};
        assert_int_equal(dfx_csv_read("e.csv", texts[i], strlen(texts[i]), 0, collect, &s, NULL), 0);
        assert_int_equal(s.records, 0);
    }
}

/* '|' is sniffed like the others ("a|b,c|d": two '|' against one ','); a tie goes to the earlier
 * of ',' ';' TAB '|' ("a;b|c": ';'). */
static void pipe_sniffed(void **state)
{
    (void)state;
    seen s = {0};
    assert_int_equal(dfx_csv_read("p.csv", "a|b,c|d\n1|2|3\n", 14, 0, collect, &s, NULL), 0);
    assert_int_equal(s.rec[0].delim, '|');
    assert_int_equal(s.rec[0].count, 3);
    expect_field(&s, 0, 1, "b,c", 1, 3);
    expect_field(&s, 1, 2, "3", 2, 5);
    seen t = {0};
    assert_int_equal(dfx_csv_read("p.csv", "a;b|c\n", 6, 0, collect, &t, NULL), 0);
    assert_int_equal(t.rec[0].delim, ';');
}

/* Excel's "sep=X" first line (after a BOM, with CRLF) gives the delimiter and no record; lines
 * still count from it, so the header is line 2. A delimiter the caller gives wins over it. */
static void excel_sep_line(void **state)
{
    (void)state;
    static const char sep_text[] = "\xEF\xBB\xBF" "sep=;\r\na,b;c\r\n1;2\r\n";
    seen s = {0};
    assert_int_equal(dfx_csv_read("x.csv", sep_text, strlen(sep_text), 0, collect, &s, NULL), 0);
    assert_int_equal(s.records, 2);
    assert_int_equal(s.rec[0].delim, ';'); /* the header alone would sniff ',' (a tie) */
    assert_int_equal(s.rec[0].line, 2);
    expect_field(&s, 0, 0, "a,b", 2, 1);
    expect_field(&s, 0, 1, "c", 2, 5);
    expect_field(&s, 1, 1, "2", 3, 3);
    seen t = {0};
    assert_int_equal(dfx_csv_read("x.csv", "SEP=|\na,b\n", 10, ',', collect, &t, NULL), 0);
    assert_int_equal(t.records, 1);
    assert_int_equal(t.rec[0].delim, ',');
    expect_field(&t, 0, 1, "b", 2, 3);
    /* not a sep= line: a header that starts with "sep=" and goes on */
    seen u = {0};
    assert_int_equal(dfx_csv_read("x.csv", "sep=;x\n", 7, 0, collect, &u, NULL), 0);
    assert_int_equal(u.records, 1);
    expect_field(&u, 0, 0, "sep=", 1, 1);
}

/* ---- limits ---------------------------------------------------------------------------- */

/* What count_fields saw: records, the longest field, and whether the last record was unended. */
typedef struct counted {
    size_t records, longest;
    int unended;
} counted;

static int count_fields(dfx_csv_record *rec, void *ctx, defidx_error *err)
{
    (void)err;
    counted *c = ctx;
    c->records++;
    for (size_t k = 0; k < rec->count; k++)
        if (rec->fields[k].len > c->longest)
            c->longest = rec->fields[k].len;
    c->unended = rec->unended;
    return 0;
}

/* A text of the header "a,b\n" and then the n bytes of body: a buffer the test frees. */
static char *with_body(const char *body_start, size_t n, char fill, const char *body_end, size_t *len)
{
    size_t head = strlen(body_start), tail = strlen(body_end);
    char *t = malloc(4 + head + n + tail + 1);
    assert_non_null(t);
    memcpy(t, "a,b\n", 4);
    memcpy(t + 4, body_start, head);
    memset(t + 4 + head, fill, n);
    memcpy(t + 4 + head + n, body_end, tail + 1);
    *len = 4 + head + n + tail;
    return t;
}

/* Reads input (len bytes) and expects rc, and for an error the position and a part of the
 * message; returns what the callback saw. */
static counted read_expecting(const char *input, size_t len, int rc, long line, long column, const char *fragment)
{
    counted c = {0};
    defidx_error err;
    defidx_error_clear(&err);
    int got = dfx_csv_read("big.csv", input, len, ',', count_fields, &c, &err);
    if (got != rc || (rc && (err.line != line || err.column != column || !strstr(err.message, fragment) ||
                             !strstr(err.message, "(hint: "))))
        fail_msg("got %d at %ld:%ld '%s'; expected %d at %ld:%ld with '%s'", got, err.line, err.column,
                 err.message, rc, line, column, fragment);
    return c;
}

/* A line holds DEFIDX_LINE_MAX bytes, its CRLF not counted; one byte more is an error at the line,
 * before libcsv sees it. The fields are short, so that the line is the limit passed. */
static void line_limit(void **state)
{
    (void)state;
    size_t len;
    for (int over = 0; over <= 1; over++) {
        char *t = with_body("1,", (size_t)DEFIDX_LINE_MAX - 2 + (size_t)over, ',', "\r\n2,3\n", &len);
        counted c = read_expecting(t, len, over ? DEFIDX_EDATA : 0, 2, 1, "the line is longer than the limit of 1048576 bytes");
        assert_int_equal(c.records, over ? 1 : 3);
        free(t);
    }
}

/* A field holds DEFIDX_FIELD_MAX bytes; one more is an error at its start (the "1," before it:
 * column 3), with a hint that depends on whether it is quoted. */
static void field_limit(void **state)
{
    (void)state;
    size_t len;
    char *t = with_body("1,", (size_t)DEFIDX_FIELD_MAX, 'x', "\n", &len);
    counted c = read_expecting(t, len, 0, 0, 0, "");
    assert_int_equal(c.longest, DEFIDX_FIELD_MAX);
    free(t);
    t = with_body("1,", (size_t)DEFIDX_FIELD_MAX + 1, 'x', "\n", &len);
    read_expecting(t, len, DEFIDX_EDATA, 2, 3, "the field is longer than the limit of 65536 bytes (hint: no value");
    free(t);
    t = with_body("1,\"", (size_t)DEFIDX_FIELD_MAX + 1, 'x', "\"\n", &len);
    read_expecting(t, len, DEFIDX_EDATA, 2, 3, "the field is longer than the limit of 65536 bytes (hint: a quote opened here");
    free(t);
    /* the field passes its limit first, in a line that passes its own too */
    t = with_body("1,", (size_t)DEFIDX_LINE_MAX * 4, 'x', "\n", &len);
    read_expecting(t, len, DEFIDX_EDATA, 2, 3, "the field is longer than the limit of 65536 bytes");
    free(t);
}

/* A quote never closed makes the rest of the text one field, line after line: it stops at the
 * field limit (each line short), at the quote, not at the end of a large file. */
static void quote_never_closed(void **state)
{
    (void)state;
    size_t n = (size_t)DEFIDX_FIELD_MAX, len = 0;
    char *t = malloc(8 + 2 * n);
    assert_non_null(t);
    memcpy(t, "a,b\n1,\"", 7);
    len = 7;
    for (size_t i = 0; i < n; i++) {
        t[len++] = 'x';
        t[len++] = '\n';
    }
    counted c = read_expecting(t, len, DEFIDX_EDATA, 2, 3, "(hint: a quote opened here is probably never closed");
    assert_int_equal(c.records, 1);
    free(t);
}

/* A record whose quoted fields hold line ends may run over many lines, each short, and every field
 * short: the record as a whole is held to DEFIDX_LINE_MAX, and the error is at its start. */
static void record_limit(void **state)
{
    (void)state;
    size_t fields = (size_t)DEFIDX_LINE_MAX / 6 + 1, len = 0;
    char *t = malloc(16 + 6 * fields);
    assert_non_null(t);
    memcpy(t, "a,b\n", 4);
    len = 4;
    for (size_t i = 0; i < fields; i++) {
        memcpy(t + len, "\"x\ny\",", 6);
        len += 6;
    }
    t[len++] = '\n';
    read_expecting(t, len, DEFIDX_EDATA, 2, 1, "the record that starts here runs over several lines and is longer than the limit of 1048576 bytes");
    free(t);
}

/* The last record says whether a line end followed it: a file cut short ends without one. */
static void unended_record(void **state)
{
    (void)state;
    counted c = {0};
    assert_int_equal(dfx_csv_read("u.csv", "a,b\n1,2\n", 8, 0, count_fields, &c, NULL), 0);
    assert_int_equal(c.unended, 0);
    c = (counted){0};
    assert_int_equal(dfx_csv_read("u.csv", "a,b\n1,2", 7, 0, count_fields, &c, NULL), 0);
    assert_int_equal(c.records, 2);
    assert_int_equal(c.unended, 1);
    c = (counted){0};
    assert_int_equal(dfx_csv_read("u.csv", "a,b\n1,2\r\n\n", 10, 0, count_fields, &c, NULL), 0);
    assert_int_equal(c.unended, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_and_positions),
        cmocka_unit_test(given_delimiter),
        cmocka_unit_test(callback_stops),
        cmocka_unit_test(carriage_returns),
        cmocka_unit_test(quoting_errors),
        cmocka_unit_test(no_records),
        cmocka_unit_test(pipe_sniffed),
        cmocka_unit_test(excel_sep_line),
        cmocka_unit_test(line_limit),
        cmocka_unit_test(field_limit),
        cmocka_unit_test(quote_never_closed),
        cmocka_unit_test(record_limit),
        cmocka_unit_test(unended_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
