/* output.c: writes the CLI's output to stdout or atomically to a file (temporary file in the same
 * directory, fsync, rename), so that a cron job's reader never sees a half-written report; and
 * decides how it looks: the format, the colour and the terminal's width. */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

mode_t cli_umask(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return mask;
}

int cli_is_stdout(const char *path)
{
    return !path || strcmp(path, "-") == 0;
}

int cli_extension_format(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base || !dot[1])
        return CLI_EXTENSION_NONE;
    char ext[8];
    size_t n = strlen(dot + 1);
    if (n >= sizeof ext)
        return CLI_EXTENSION_OTHER;
    for (size_t i = 0; i <= n; i++) /* with the NUL */
        ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] - 'A' + 'a' : dot[1 + i]);
    int f = defidx_format_parse(ext);
    if (f >= 0)
        return f;
    if (strcmp(ext, "txt") == 0)
        return DEFIDX_FORMAT_TABLE;
    if (strcmp(ext, "htm") == 0)
        return DEFIDX_FORMAT_HTML;
    return CLI_EXTENSION_OTHER;
}

int cli_pick_format(int asked, const char *path, int fallback)
{
    if (asked >= 0)
        return asked;
    if (!cli_is_stdout(path)) {
        int f = cli_extension_format(path);
        if (f >= 0)
            return f;
        return fallback >= 0 ? fallback : DEFIDX_FORMAT_TSV;
    }
    if (fallback >= 0)
        return fallback;
    return isatty(STDOUT_FILENO) ? DEFIDX_FORMAT_TABLE : DEFIDX_FORMAT_TSV;
}

/* The terminal's size along one side for output to path: the variable env (COLUMNS, LINES) when it
 * is a positive whole number, else the terminal's (TIOCGWINSZ) when path is standard output and
 * that is a terminal, else 0. */
static size_t terminal_size(const char *path, const char *env, int rows)
{
    const char *value = getenv(env);
    if (value && *value && strlen(value) <= 6 && !value[strspn(value, "0123456789")]) {
        long n = strtol(value, NULL, 10);
        if (n > 0)
            return (size_t)n;
    }
    struct winsize size;
    if (cli_is_stdout(path) && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0)
        return rows ? size.ws_row : size.ws_col;
    return 0;
}

size_t cli_output_width(const char *path)
{
    return terminal_size(path, "COLUMNS", 0);
}

size_t cli_output_height(const char *path)
{
    return terminal_size(path, "LINES", 1);
}

/* (https://no-color.org) */
int cli_output_color(const cli_look *look, const char *path)
{
    if (look->color_mode == CLI_COLOR_NEVER)
        return 0;
    if (look->color_mode == CLI_COLOR_ALWAYS)
        return 1;
    return look->color_wanted && cli_is_stdout(path) && isatty(STDOUT_FILENO);
}

/* 1 when a table in format bound for path is written in colour. */
static int use_color(const cli_look *look, int format, const char *path)
{
    return format == DEFIDX_FORMAT_TABLE && cli_output_color(look, path);
}

/* What an emitter is called with: the emitter, what it writes, and how. */
typedef struct emit_call {
    cli_writer write;
    const void *what;
    int format;
    const defidx_emit_options *options;
} emit_call;

static int emit(FILE *out, const emit_call *call, defidx_error *err)
{
    return call->write(out, call->what, call->format, call->options, err);
}

static int write_stdout(const emit_call *call, defidx_error *err)
{
    int rc = emit(stdout, call, err);
    if (!rc && (fflush(stdout) != 0 || ferror(stdout)))
        rc = defidx_error_set(err, DEFIDX_EWRITE, "(stdout)", 0, 0, "cannot write output: %s", strerror(errno));
    return rc;
}

/* The temporary file being written, removed if SIGINT, SIGTERM or SIGHUP ends the run before it is
 * renamed into place, so that Ctrl-C or a service manager's stop leaves no FILE.tmp.XXXXXX behind.
 * One slot is enough: the CLI writes one output file at a time, from one thread. The path is
 * copied into a static buffer (the handler may not touch the heap) and armed only once complete. */
static char doomed_path[PATH_MAX];
static volatile sig_atomic_t doomed_armed;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { CLEANUP_SIGNALS = (int)(sizeof cleanup_signals / sizeof cleanup_signals[0]) };

/* The handler: only async-signal-safe calls (unlink, signal, raise). The signal is blocked while
 * its handler runs, so the raise with the default action restored takes effect on return, and the
 * process ends as the signal's default says (the shell sees 128 + its number). */
static void remove_doomed(int sig)
{
    int saved = errno;
    if (doomed_armed)
        unlink(doomed_path);
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved;
}

/* Installs remove_doomed for the cleanup signals, once; a signal the caller ignores (nohup's
 * SIGHUP) stays ignored. */
static void install_cleanup(void)
{
    static int installed;
    if (installed)
        return;
    installed = 1;
    for (int i = 0; i < CLEANUP_SIGNALS; i++) {
        struct sigaction old;
        if (sigaction(cleanup_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        struct sigaction act;
        memset(&act, 0, sizeof act);
        act.sa_handler = remove_doomed;
        sigemptyset(&act.sa_mask);
        sigaction(cleanup_signals[i], &act, NULL);
    }
}

/* Blocks (how = SIG_BLOCK) or unblocks (SIG_UNBLOCK) the cleanup signals, so that the temporary
 * file's creation and the arming of its path happen as one step for the handler. */
static void mask_cleanup_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < CLEANUP_SIGNALS; i++)
        sigaddset(&set, cleanup_signals[i]);
    sigprocmask(how, &set, NULL);
}

/* mkstemp(tmp), with tmp armed for removal by the cleanup signals when it fits the static buffer
 * (a longer path cannot name a file on Linux anyway). */
static int create_temporary(char *tmp)
{
    install_cleanup();
    mask_cleanup_signals(SIG_BLOCK);
    int fd = mkstemp(tmp);
    int e = errno;
    if (fd >= 0 && strlen(tmp) < sizeof doomed_path) {
        memcpy(doomed_path, tmp, strlen(tmp) + 1);
        doomed_armed = 1;
    }
    mask_cleanup_signals(SIG_UNBLOCK);
    errno = e;
    return fd;
}

/* The temporary file is renamed or removed: a later signal has nothing to remove. */
static void disarm_temporary(void)
{
    doomed_armed = 0;
}

static int write_atomically(const char *path, const emit_call *call, defidx_error *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = create_temporary(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot create the output: %s", strerror(e));
    }
    /* mkstemp creates the file 0600: a new output gets the permissions any new file would, and a
     * replaced one keeps its own (a private 0600 report must not become world-readable). */
    struct stat old;
    mode_t mode;
    if (stat(path, &old) == 0) {
        mode = old.st_mode & 07777;
    } else {
        mode = 0666 & ~cli_umask();
    }
    if (fchmod(fd, mode) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        disarm_temporary();
        free(tmp);
        return defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot set the output's permissions: %s", strerror(e));
    }
    FILE *out = fdopen(fd, "w");
    int rc = out ? emit(out, call, err)
                 : defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot open the output: %s", strerror(errno));
    if (out && !rc && (fflush(out) != 0 || ferror(out) || fsync(fd) != 0))
        rc = defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0, "cannot write the output: %s", strerror(errno));
    if (out ? fclose(out) != 0 && !rc : close(fd) != 0 && !rc)
        rc = defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0, "cannot write the output: %s", strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot create the output: %s", strerror(errno));
    if (rc)
        unlink(tmp);
    disarm_temporary();
    free(tmp);
    return rc;
}

/* Writes straight into something that is not a regular file (/dev/null, a FIFO, a terminal):
 * renaming a temporary file over it would replace the device instead of writing to it. */
static int write_in_place(const char *path, const emit_call *call, defidx_error *err)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return defidx_error_set(err, DEFIDX_ECREATE, path, 0, 0, "cannot open the output: %s", strerror(errno));
    int rc = emit(out, call, err);
    if (fclose(out) != 0 && !rc)
        rc = defidx_error_set(err, DEFIDX_EWRITE, path, 0, 0, "cannot write the output: %s", strerror(errno));
    return rc;
}

/* Where output for path really goes: symbolic links are followed (even to a file that does not
 * exist yet), so that the file they point to is replaced atomically and the link is kept.
 * Returns a malloc'd path, or NULL when path is not a link (or the chain is too long). */
static char *resolve_links(const char *path)
{
    char *current = strdup(path);
    for (int depth = 0; current && depth < 16; depth++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
            return depth ? current : (free(current), NULL);
        char link[4096];
        ssize_t n = readlink(current, link, sizeof link - 1);
        if (n < 0)
            break;
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(current, '/');
        if (link[0] == '/' || !slash) {
            next = strdup(link);
        } else { /* relative to the link's own directory */
            size_t dir = (size_t)(slash - current) + 1;
            next = malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, current, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
        }
        free(current);
        current = next;
    }
    free(current);
    return NULL;
}

int cli_write(const char *path, const cli_look *look, cli_writer write, const void *what, defidx_error *err)
{
    int format = cli_pick_format(look->format, path, look->fallback_format);
    defidx_emit_options options = look->emit;
    options.color = use_color(look, format, path);
    options.width = format == DEFIDX_FORMAT_TABLE ? cli_output_width(path) : 0;
    emit_call call = {write, what, format, &options};
    if (format == DEFIDX_FORMAT_XLSX && cli_is_stdout(path) && isatty(STDOUT_FILENO))
        return defidx_error_set(err, DEFIDX_EUSAGE, NULL, 0, 0,
                                "an xlsx workbook is binary, not for a terminal (hint: -o FILE.xlsx, or a pipe)");
    if (cli_is_stdout(path))
        return write_stdout(&call, err);
    char *target = resolve_links(path);
    const char *where = target ? target : path;
    struct stat st;
    int rc;
    if (stat(where, &st) == 0 && !S_ISREG(st.st_mode))
        rc = write_in_place(where, &call, err);
    else
        rc = write_atomically(where, &call, err);
    /* name it as the user did; an emitter's failed write (-o /dev/full) knows no file name */
    if (rc && ((target && strcmp(err->file, target) == 0) || (err->code == DEFIDX_EWRITE && !err->file[0])))
        snprintf(err->file, sizeof err->file, "%s", path);
    free(target);
    return rc;
}

static int emit_table(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    return defidx_emit_table(out, what, format, o, err);
}

static int emit_result(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    return defidx_emit_result(out, what, format, o, err);
}

int cli_write_table(const char *path, const cli_look *look, const defidx_table *t, defidx_error *err)
{
    return cli_write(path, look, emit_table, t, err);
}

int cli_write_result(const char *path, const cli_look *look, const defidx_result *r, defidx_error *err)
{
    return cli_write(path, look, emit_result, r, err);
}
