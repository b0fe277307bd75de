/* test_util.h: what the cmocka tests share (include it after cmocka.h). Debian 12's cmocka 1.1.5
 * compares floats as float (7 digits), too coarse for index arithmetic, so doubles are compared
 * here; and the small look-ups every test file needs. */
#ifndef DEFIDX_TEST_UTIL_H
#define DEFIDX_TEST_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defidx.h"

/* Fails unless |a - b| <= eps (NAN never passes; compare NAN with assert_true(isnan(x))). */
#define assert_double_near(a, b, eps)                                                               \
    do {                                                                                            \
        double a_ = (a), b_ = (b), e_ = (eps);                                                      \
        if (!(fabs(a_ - b_) <= e_))                                                                 \
            fail_msg("%s = %.17g, expected %s = %.17g (within %g)", #a, a_, #b, b_, e_);            \
    } while (0)

/* The whole text of the file at path (NUL-terminated, the caller frees it), or NULL when it cannot
 * be read. */
static inline char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (len + 1 == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Fails unless text is the golden file DIR/NAME (tests/golden/...), naming the first byte that
 * differs; with DEFIDX_UPDATE_GOLDEN set, writes the file instead (after a deliberate change,
 * to be read before it is committed). */
static inline void expect_golden_file(const char *text, const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (getenv("DEFIDX_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0)
            fail_msg("cannot write golden file %s", path);
        return;
    }
    char *golden = read_text_file(path);
    if (!golden)
        fail_msg("golden file %s is missing", path);
    if (strcmp(text, golden) != 0) {
        size_t at = 0;
        while (text[at] == golden[at])
            at++;
        fail_msg("output differs from golden file %s at byte %zu: got \"%.60s\"", path, at, text + at);
    }
    free(golden);
}

/* Days since 1970-01-01 of an ISO date, failing the test when it is not one. */
static inline int32_t day(const char *iso)
{
    int32_t d;
    defidx_error err;
    if (defidx_date_parse(iso, strlen(iso), &d, &err))
        fail_msg("%s: %s", iso, err.message);
    return d;
}

/* A constituent of a result by ticker, failing the test when there is none. */
static inline const defidx_constituent *constituent(const defidx_result *r, const char *ticker)
{
    for (size_t i = 0; i < r->constituent_count; i++)
        if (strcmp(r->constituents[i].ticker, ticker) == 0)
            return &r->constituents[i];
    fail_msg("no constituent %s", ticker);
    return NULL;
}

/* The period called name among n periods (an index's or a constituent's); fails the test when none. */
static inline const defidx_period *period(const defidx_period *p, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].name, name) == 0)
            return &p[i];
    fail_msg("no period %s", name);
    return NULL;
}

/* The index of date iso in a finished panel, or -1. */
static inline long date_index(const defidx_panel *p, const char *iso)
{
    for (size_t i = 0; i < defidx_panel_date_count(p); i++)
        if (defidx_panel_date(p, i) == day(iso))
            return (long)i;
    return -1;
}

/* The close of ticker on iso in a finished panel; fails the test when either is unknown. */
static inline double price(const defidx_panel *p, const char *ticker, const char *iso)
{
    long j = defidx_panel_find(p, ticker), i = date_index(p, iso);
    if (j < 0 || i < 0)
        fail_msg("no %s on %s in the panel", ticker, iso);
    return defidx_panel_price(p, (size_t)j, (size_t)i);
}

/* Fails unless warning i exists and contains fragment. */
static inline void expect_warning(const defidx_warnings *w, size_t i, const char *fragment)
{
    assert_true(i < w->count);
    if (!strstr(w->items[i], fragment))
        fail_msg("warning '%s' lacks '%s'", w->items[i], fragment);
}

#if defined(_POSIX_C_SOURCE) && _POSIX_C_SOURCE >= 200809L
#include <sys/types.h>
#include <unistd.h>

/* Writes a temporary file of size bytes, head and then zeros (a hole: no disk is written for them),
 * its path into path (a "/tmp/defidx_test_XXXXXX" array). For files over a limit: how much of one
 * the library reads is counted by giving it as standard input (read_of_stdin). */
static inline void sparse_file(char *path, const char *head, off_t size)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
    assert_int_equal(ftruncate(fd, size), 0);
    assert_int_equal(close(fd), 0);
}

/* sparse_file, but with 256 KiB of spaces after head before the zeros: the reader's first read
 * (128 KiB) finds text, not the NUL bytes it stops at, and so judges the file by its size. */
static inline void sparse_text_file(char *path, const char *head, off_t size)
{
    size_t n = strlen(head), spaces = 256 << 10;
    char *text = malloc(n + spaces + 1);
    assert_non_null(text);
    memcpy(text, head, n);
    memset(text + n, ' ', spaces);
    text[n + spaces] = '\0';
    sparse_file(path, text, size);
    free(text);
}

/* Makes the file at path standard input: the library reads it as "-". */
static inline void stdin_from(const char *path)
{
    assert_non_null(freopen(path, "rb", stdin));
}

/* How far standard input's file was read (its offset, stdio's buffer included), and then /dev/null
 * as standard input again. */
static inline off_t read_of_stdin(void)
{
    off_t at = lseek(fileno(stdin), 0, SEEK_CUR);
    assert_non_null(freopen("/dev/null", "rb", stdin));
    return at;
}
#endif

#endif
