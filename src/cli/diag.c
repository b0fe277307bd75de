/* diag.c: see diag.h. */
#define _POSIX_C_SOURCE 200809L
#include "diag.h"
#include "freshness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_exit_code(int status)
{
    switch (status) {
    case DEFIDX_OK: return 0;
    case DEFIDX_EUSAGE: return CLI_EXIT_USAGE;
    case DEFIDX_EDATA: return CLI_EXIT_DATA;
    case DEFIDX_EINPUT: return CLI_EXIT_NOINPUT;
    case DEFIDX_ECREATE: return CLI_EXIT_CANTCREAT;
    case DEFIDX_EWRITE: return CLI_EXIT_IOERR;
    case CLI_ESTALE: return CLI_EXIT_TEMPFAIL;
    default: return CLI_EXIT_SOFTWARE;
    }
}

int cli_print_error(const defidx_error *err)
{
    char text[1200];
    defidx_error_format(err, text, sizeof text);
    fprintf(stderr, "defidx: %s\n", text);
    return cli_exit_code(err->code);
}

CLI_PRINTF(2, 0)
static int usage_va(const char *hint, const char *fmt, va_list ap)
{
    fprintf(stderr, "defidx: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (hint: %s)\n", hint);
    return CLI_EXIT_USAGE;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_va("defidx --help", fmt, ap);
    va_end(ap);
    return rc;
}

int cli_usage_hint(const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_va(hint, fmt, ap);
    va_end(ap);
    return rc;
}

/* The warnings go to stderr in one write: stderr is unbuffered, and a write each was dozens of
 * system calls on a market-wide file (0.4 ms of the benchmark's 10 ms run on 45 thousand rows). */
void cli_print_warnings(int quiet, const defidx_warnings *w)
{
    if (quiet || (!w->count && !w->suppressed))
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *buffer = open_memstream(&text, &len);
    FILE *out = buffer ? buffer : stderr;
    for (size_t i = 0; i < w->count; i++)
        fprintf(out, "defidx: warning: %s\n", w->items[i]);
    if (w->suppressed)
        fprintf(out, "defidx: warning: %zu more warnings not shown\n", w->suppressed);
    if (buffer && fclose(buffer) == 0)
        fwrite(text, 1, len, stderr);
    free(text);
}

/* Notes say what a default decided (the base date, an inferred currency): for people, so on
 * stderr, and silenced by -q like the warnings. */
void cli_print_notes(int quiet, const defidx_warnings *notes)
{
    for (size_t i = 0; !quiet && i < notes->count; i++)
        fprintf(stderr, "defidx: note: %s\n", notes->items[i]);
}

void cli_join(char *buf, size_t size, const char *const *words, size_t n, const char *last)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? last : ", ";
        int w = snprintf(buf + used, size - used, "%s%s", sep, words[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
