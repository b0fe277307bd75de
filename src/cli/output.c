/* output.c: writes the CLI's output to stdout or atomically to a file (temporary file in the same
 * directory, fsync, rename), so that a cron job's reader never sees a half-written report. */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_pick_format(int asked, const char *path)
{
    if (asked >= 0)
        return asked;
    if (path) {
        const char *dot = strrchr(path, '.');
        const char *slash = strrchr(path, '/');
        if (dot && (!slash || dot > slash)) {
            int f = defidx_format_parse(dot + 1);
            if (f >= 0)
                return f;
            if (strcmp(dot + 1, "txt") == 0)
                return DEFIDX_FORMAT_TABLE;
        }
        return DEFIDX_FORMAT_TSV;
    }
    return isatty(STDOUT_FILENO) ? DEFIDX_FORMAT_TABLE : DEFIDX_FORMAT_TSV;
}

typedef int (*emit_fn)(FILE *out, const void *what, int format, defidx_error *err);

static int emit_table(FILE *out, const void *what, int format, defidx_error *err)
{
    return defidx_emit_table(out, what, format, err);
}

static int emit_result(FILE *out, const void *what, int format, defidx_error *err)
{
    return defidx_emit_result(out, what, format, err);
}

static int write_stdout(emit_fn emit, const void *what, int format, defidx_error *err)
{
    int rc = emit(stdout, what, format, err);
    if (!rc && (fflush(stdout) != 0 || ferror(stdout)))
        rc = defidx_error_set(err, DEFIDX_EWRITE, "(stdout)", 0, 0, "cannot write output: %s", strerror(errno));
    return rc;
}

static int write_atomically(const char *path, emit_fn emit, const void *what, int format, defidx_error *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot create the output: %s", strerror(e));
    }
    /* mkstemp creates the file 0600; a report should get the permissions any new file would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *out = fdopen(fd, "w");
    int rc = out ? emit(out, what, format, err)
                 : defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot open the output: %s", strerror(errno));
    if (out && !rc && (fflush(out) != 0 || ferror(out) || fsync(fd) != 0))
        rc = defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0, "cannot write the output: %s", strerror(errno));
    if (out ? fclose(out) != 0 && !rc : close(fd) != 0 && !rc)
        rc = defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0, "cannot write the output: %s", strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot create the output: %s", strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int write_output(const char *path, int format, emit_fn emit, const void *what, defidx_error *err)
{
    format = cli_pick_format(format, path);
    return path ? write_atomically(path, emit, what, format, err) : write_stdout(emit, what, format, err);
}

int cli_write_table(const char *path, int format, const defidx_table *t, defidx_error *err)
{
    return write_output(path, format, emit_table, t, err);
}

int cli_write_result(const char *path, int format, const defidx_result *r, defidx_error *err)
{
    return write_output(path, format, emit_result, r, err);
}
