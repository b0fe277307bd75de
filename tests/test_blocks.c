/* test_blocks.c: the file cut into blocks and parsed on one or two threads (src/fast/blocks.c). Each
 * file is also read line by line with fastcsv alone, the reference; the blocks must give exactly
 * those rows, in that order, for block sizes from a byte (a cut at every offset, so lines cross
 * blocks at every byte, CR LF included) to more than the file. */
#define _POSIX_C_SOURCE 200809L /* fileno, dup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fast/blocks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct expected_row {
    char ticker[64];
    int32_t date;
    double close, shares, free_float;
} expected_row;

/* The rows of text (a header line, then data lines), each line read by fastcsv on its own, up to
 * the first line it declines: *declined then says there was one. */
static size_t reference_rows(const char *text, expected_row *out, size_t most, int *declined)
{
    const char *line = strchr(text, '\n') + 1, *end = text + strlen(text);
    const char *header_end = line - 1 - (line - 1 > text && line[-2] == '\r');
    dfx_fastcsv_layout layout;
    assert_true(dfx_fastcsv_parse_header(text, (size_t)(header_end - text), &layout));
    size_t count = 0;
    *declined = 0;
    while (line < end) {
        const char *next;
        dfx_fastcsv_row row;
        if (!dfx_fastcsv_parse_line(&layout, line, end, &row, &next)) {
            *declined = 1;
            break;
        }
        assert_true(count < most);
        memcpy(out[count].ticker, row.ticker, row.ticker_len);
        out[count].ticker[row.ticker_len] = '\0';
        out[count].date = row.date;
        out[count].close = row.close;
        out[count].shares = row.shares;
        out[count].free_float = row.free_float;
        count++;
        line = next;
    }
    return count;
}

/* A regular file holding text, open for reading. */
static int file_of(const char *text)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fflush(f), 0);
    int fd = dup(fileno(f));
    fclose(f);
    assert_true(fd >= 0);
    return fd;
}

static int same_number(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* Reads text through the blocks and fails unless the rows are the reference's, with the decline
 * (if any) right after them. */
static void expect_blocks_read(const char *text, size_t block_bytes, int threads)
{
    enum { MOST = 4096 };
    expected_row *want = calloc(MOST, sizeof *want);
    assert_non_null(want);
    int want_declined;
    size_t want_count = reference_rows(text, want, MOST, &want_declined);

    int fd = file_of(text);
    dfx_blocks *b;
    assert_int_equal(dfx_blocks_start_sized(fd, threads, block_bytes, &b), 0);
    size_t count = 0;
    int declined = 0, more = 0;
    dfx_block_rows rows;
    while (!declined && (more = dfx_blocks_next(b, &rows)) == 0) {
        for (size_t k = 0; k < rows.count; k++, count++) {
            const dfx_block_row *r = &rows.rows[k];
            size_t n;
            if (count >= want_count)
                fail_msg("block size %zu, %d thread(s): row %zu is one too many", block_bytes, threads,
                         count);
            const char *name = dfx_keys_name(dfx_blocks_keys(b), r->key, &n);
            if (strcmp(name, want[count].ticker) != 0 || r->date != want[count].date ||
                !same_number(r->close, want[count].close) || !same_number(r->shares, want[count].shares) ||
                !same_number(r->free_float, want[count].free_float))
                fail_msg("block size %zu, %d thread(s): row %zu is %s %d, not %s %d", block_bytes, threads,
                         count, name, r->date, want[count].ticker, want[count].date);
        }
        declined = rows.declined;
    }
    if (!declined && more != 1)
        fail_msg("block size %zu, %d thread(s): ended with %d, not at the end of the file", block_bytes,
                 threads, more);
    if (count != want_count || declined != want_declined)
        fail_msg("block size %zu, %d thread(s): %zu rows%s, not %zu%s", block_bytes, threads, count,
                 declined ? " then declined" : "", want_count, want_declined ? " then declined" : "");
    dfx_blocks_stop(b);
    close(fd);
    free(want);
}

/* Every block size from 1 byte to 160 (a few lines: every offset of a line falls on a block's
 * start for some size), then larger ones to past the whole text, on one thread and on two. */
static void expect_every_cut(const char *text)
{
    size_t len = strlen(text);
    for (size_t size = 1; size <= len + 2; size += size < 160 ? 1 : size / 8) {
        expect_blocks_read(text, size, 1);
        expect_blocks_read(text, size, 2);
    }
    expect_blocks_read(text, len + 2, 2);
}

/* A date-sorted file of some tickers over some days, with line ends as given, and with a free
 * float column or without. */
static char *generated(int days, int tickers, const char *line_end, int last_line_ended, int free_float)
{
    size_t size = (size_t)days * (size_t)tickers * 80 + 80, used = 0;
    char *text = malloc(size);
    assert_non_null(text);
    used += (size_t)snprintf(text + used, size - used, "date,ticker,close,currency,shares%s%s",
                             free_float ? ",free_float" : "", line_end);
    for (int d = 0; d < days; d++)
        for (int t = 0; t < tickers; t++) {
            if ((d * 7 + t) % 11 == 5)
                continue; /* a gap: the guess misses */
            used += (size_t)snprintf(text + used, size - used, "2025-01-%02d,T%d%s,%d.%d,%s,%d", d + 1, t,
                                     t % 4 ? ".DE" : "LONGER.NAME.PA", 10 + t * d, (t + d) % 100,
                                     t % 3 ? "EUR" : "SEK", 1000 + t);
            if (free_float)
                used += (size_t)snprintf(text + used, size - used, ",0.%d", 1 + (t + d / 2) % 9);
            used += (size_t)snprintf(text + used, size - used, "%s", line_end);
        }
    if (!last_line_ended)
        used -= strlen(line_end);
    text[used] = '\0';
    return text;
}

static void test_every_cut_gives_the_rows_of_a_file(void **state)
{
    (void)state;
    char *text = generated(6, 9, "\n", 1, 0);
    expect_every_cut(text);
    free(text);
}

static void test_every_cut_gives_the_rows_of_a_crlf_file(void **state)
{
    (void)state;
    char *text = generated(5, 8, "\r\n", 1, 1);
    expect_every_cut(text);
    free(text);
}

static void test_every_cut_gives_the_rows_of_a_file_without_a_last_line_end(void **state)
{
    (void)state;
    char *text = generated(4, 7, "\n", 0, 1);
    expect_every_cut(text);
    free(text);
}

/* A line fastcsv declines stops the rows there, whatever block it falls in, and whichever
 * thread parsed the blocks after it. */
static void test_rows_stop_at_a_declined_line(void **state)
{
    (void)state;
    expect_every_cut("date,ticker,close\n"
                     "2025-01-02,AIR.PA,120.5\n"
                     "2025-01-02,SAF.PA,201\n"
                     "2025-01-03,AIR.PA,\"121\"\n" /* quoted: declined */
                     "2025-01-03,SAF.PA,202\n");
    expect_every_cut("date,ticker,close\n"
                     "2025-01-02,AIR.PA,120.5\n"
                     "2025-01-02,SAF.PA,201\n"
                     "2025-01-03,AIR.PA\n" /* a column short */);
}

/* A line longer than a block and its overlap: declined, not cut in two. */
static void test_a_line_longer_than_any_block_is_declined(void **state)
{
    (void)state;
    size_t field = 9000;
    char *text = malloc(field + 200);
    assert_non_null(text);
    int n = sprintf(text, "date,ticker,close\n2025-01-02,AIR.PA,120.5\n2025-01-02,");
    memset(text + n, 'X', field);
    strcpy(text + n + field, ",3\n2025-01-02,SAF.PA,201\n");
    expect_blocks_read(text, 64, 1);
    expect_blocks_read(text, 64, 2);
    expect_blocks_read(text, 5000, 2);
    expect_blocks_read(text, 1 << 20, 2);
    free(text);
}

/* A ticker in a second currency: declined, on one thread at that very row. */
static void test_a_second_currency_declines(void **state)
{
    (void)state;
    const char *text = "date,ticker,close,currency\n"
                       "2025-01-02,BA.L,1200,GBX\n"
                       "2025-01-03,BA.L,1210,GBX\n"
                       "2025-01-06,BA.L,12.2,GBP\n"
                       "2025-01-07,BA.L,1230,GBX\n";
    int fd = file_of(text);
    dfx_blocks *b;
    assert_int_equal(dfx_blocks_start_sized(fd, 1, 30, &b), 0);
    size_t count = 0;
    dfx_block_rows rows;
    int declined = 0;
    while (!declined && dfx_blocks_next(b, &rows) == 0) {
        count += rows.count;
        declined = rows.declined;
    }
    assert_true(declined);
    assert_int_equal(count, 2);
    dfx_blocks_stop(b);
    close(fd);
}

/* Reads the file at fd, resized by resize() after the blocks started, and fails unless a block is
 * declined (the general path then reads the whole file) after no more than most_rows rows. */
static void expect_declined_after_resize(int fd, size_t block_bytes, int threads, void (*resize)(int),
                                         size_t most_rows)
{
    dfx_blocks *b;
    assert_int_equal(dfx_blocks_start_sized(fd, threads, block_bytes, &b), 0); /* by pread */
    resize(fd);
    size_t count = 0;
    int declined = 0;
    dfx_block_rows rows;
    while (!declined && dfx_blocks_next(b, &rows) == 0) {
        count += rows.count;
        declined = rows.declined;
    }
    if (!declined || count > most_rows)
        fail_msg("block size %zu, %d thread(s): %zu rows%s", block_bytes, threads, count,
                 declined ? " then declined" : ", not declined");
    dfx_blocks_stop(b);
}

static const char grow_text[] = "date,ticker,close\n2025-01-02,AIR.PA,120.5\n2025-01-02,SAF.PA,201\n";

/* (fd's offset is at the end of the file: it was written through it) */
static void append_a_line(int fd)
{
    assert_int_equal(write(fd, "2025-01-03,SAF.PA,202\n", 22), 22);
}

static void append_half_a_line(int fd)
{
    assert_int_equal(write(fd, "2025-01-03,SAF.PA,2", 19), 19); /* a writer mid-line: "202.25\n" */
}

static void append_many_lines(int fd)
{
    for (int k = 0; k < 400; k++)
        append_a_line(fd);
}

static void cut_mid_line(int fd)
{
    assert_int_equal(ftruncate(fd, (off_t)strlen(grow_text) - 3), 0); /* "...,SAF.PA,2" */
}

/* A file written or cut while it is read (its size differs from the one taken at the start): a
 * block is declined, whatever was added or removed and wherever, so that no line is read half or
 * left unread. */
static void test_a_file_that_changes_size_is_declined(void **state)
{
    (void)state;
    void (*const changes[])(int) = {append_a_line, append_half_a_line, append_many_lines, cut_mid_line};
    for (size_t c = 0; c < sizeof changes / sizeof changes[0]; c++)
        for (int threads = 1; threads <= 2; threads++)
            for (size_t block = 8; block <= 64; block += 19) {
                char path[] = "/tmp/defidx-test-blocks-XXXXXX";
                int fd = mkstemp(path);
                assert_true(fd >= 0);
                assert_int_equal(write(fd, grow_text, strlen(grow_text)), (ssize_t)strlen(grow_text));
                /* rows of blocks before the change may come; the 2 rows of the file are the most */
                expect_declined_after_resize(fd, block, threads, changes[c], 2);
                close(fd);
                unlink(path);
            }
}

static void test_files_without_rows(void **state)
{
    (void)state;
    dfx_blocks *b;
    dfx_block_rows rows;
    int fd = file_of("");
    assert_int_equal(dfx_blocks_start(fd, 2, &b), 1); /* no header */
    close(fd);
    fd = file_of("date,ticker,close");
    assert_int_equal(dfx_blocks_start(fd, 2, &b), 0);
    assert_int_equal(dfx_blocks_next(b, &rows), 1);
    dfx_blocks_stop(b);
    close(fd);
    fd = file_of("Date,Open,Close\n2025-01-02,1,2\n");
    assert_int_equal(dfx_blocks_start(fd, 2, &b), 1); /* not a long header */
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_cut_gives_the_rows_of_a_file),
        cmocka_unit_test(test_every_cut_gives_the_rows_of_a_crlf_file),
        cmocka_unit_test(test_every_cut_gives_the_rows_of_a_file_without_a_last_line_end),
        cmocka_unit_test(test_rows_stop_at_a_declined_line),
        cmocka_unit_test(test_a_line_longer_than_any_block_is_declined),
        cmocka_unit_test(test_a_second_currency_declines),
        cmocka_unit_test(test_a_file_that_changes_size_is_declined),
        cmocka_unit_test(test_files_without_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
