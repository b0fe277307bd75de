/* load.c: reading a price file into memory and handing it to the CSV or JSON loader, which is
 * chosen by the file's content rather than its name (downloads are often misnamed). */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The name used in messages for standard input; load_csv.c knows it has no file name stem. */
#define STDIN_NAME "<stdin>"

/* Skips an optional UTF-8 byte-order mark and then blanks (space, tab, CR, LF); returns the
 * offset of the first byte that carries content, or len when there is none. */
static size_t first_content(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i;
}

/* Reads all of f into a growing buffer with room for a terminating NUL.
 * Returns 0, DEFIDX_ENOMEM, or DEFIDX_EINPUT with errno set when a read fails. */
static int slurp(FILE *f, char **data, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (defidx_grow((void **)&buf, &cap, n + 65536 + 1, 1)) {
            free(buf);
            return DEFIDX_ENOMEM;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
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

int defidx_read_file(const char *path, char **data, size_t *len, defidx_error *err)
{
    int from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? STDIN_NAME : path;
    *data = NULL;
    *len = 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return defidx_error_set(err, DEFIDX_EINPUT, NULL, 0, 0, "cannot open %s: %s", name,
                                strerror(errno));
    errno = 0;
    int rc = slurp(f, data, len);
    int saved = errno;
    if (!from_stdin)
        fclose(f);
    if (rc == DEFIDX_ENOMEM)
        return defidx_error_set(err, rc, NULL, 0, 0, "out of memory reading %s", name);
    if (rc) /* a directory opens but does not read (EISDIR) */
        return defidx_error_set(err, rc, NULL, 0, 0, "cannot open %s: %s", name, strerror(saved));
    if (first_content(*data, *len) == *len) {
        free(*data);
        *data = NULL;
        *len = 0;
        return defidx_error_set(err, DEFIDX_EINPUT, name, 0, 0,
                                "the file is empty (hint: check the path, or the command that wrote it)");
    }
    return 0;
}

int defidx_load_prices(defidx_panel *p, const char *path, defidx_warnings *w, defidx_error *err)
{
    char *data;
    size_t len;
    int rc = defidx_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    const char *name = strcmp(path, "-") == 0 ? STDIN_NAME : path;
    char c = data[first_content(data, len)];
    size_t before = defidx_panel_observation_count(p);
    if (c == '[' || c == '{')
        rc = defidx_load_json(p, name, data, len, w, err);
    else
        rc = defidx_load_csv(p, name, data, len, w, err);
    free(data);
    /* A header without rows, or [] / {}, holds no data: an empty input, not bad data. */
    if (!rc && defidx_panel_observation_count(p) == before)
        rc = defidx_error_set(err, DEFIDX_EINPUT, name, 0, 0, "the file has no rows of prices");
    return rc;
}
