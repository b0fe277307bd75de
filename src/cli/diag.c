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

void cli_put_escaped(FILE *out, const char *text)
{
    char small[1024];
    size_t need = defidx_text_escape(small, sizeof small, text);
    char *big = need < sizeof small ? NULL : malloc(need + 1);
    if (big)
        defidx_text_escape(big, need + 1, text);
    fputs(big ? big : small, out); /* without memory, a cut copy: still escaped */
    free(big);
}

/* The bytes of a diagnostic line: "defidx: ", fmt's text escaped, "\n". A line of the CLI's own
 * quotes what the user typed (a file name, an option's value) and what the data holds (a ticker):
 * neither may reach the terminal raw. */
CLI_PRINTF(1, 0)
static void diag_va(const char *fmt, va_list ap)
{
    char small[1024];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *big = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
    if (big)
        vsnprintf(big, (size_t)n + 1, fmt, again);
    va_end(again);
    fputs("defidx: ", stderr);
    cli_put_escaped(stderr, n < 0 ? "" : big ? big : small);
    putc('\n', stderr);
    free(big);
}

void cli_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_va(fmt, ap);
    va_end(ap);
}

int cli_print_error(const defidx_error *err)
{
    char text[1200];
    defidx_error_format(err, text, sizeof text);
    cli_diag("%s", text);
    return cli_exit_code(err->code);
}

CLI_PRINTF(2, 0)
static int usage_va(const char *hint, const char *fmt, va_list ap)
{
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    cli_diag("%s (hint: %s)", text, hint);
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

/* One warning (or note) on one line: "defidx: warning: FILE:LINE:COL: message (hint: ...)" after
 * what, the location as errors have it (FILE: alone without a line, a column unknown as 1); the
 * file name, message and hint escaped as every diagnostic is (cli_diag). */
static void print_warning(FILE *out, const char *what, const defidx_warning *w)
{
    fprintf(out, "defidx: %s: ", what);
    cli_put_escaped(out, w->file);
    if (w->file && w->line > 0)
        fprintf(out, ":%ld:%ld: ", w->line, w->column > 0 ? w->column : 1);
    else if (w->file)
        fputs(": ", out);
    cli_put_escaped(out, w->message);
    if (w->hint) {
        fputs(" (hint: ", out);
        cli_put_escaped(out, w->hint);
        putc(')', out);
    }
    putc('\n', out);
}

/* Each warning on a line of out, and a last line counting those not kept. */
static void put_warnings(FILE *out, const defidx_warnings *w)
{
    for (size_t i = 0; i < w->count; i++)
        print_warning(out, "warning", &w->details[i]);
    if (w->suppressed)
        fprintf(out, "defidx: warning: %zu more warnings not shown\n", w->suppressed);
}

/* The warnings go to stderr in one write: stderr is unbuffered, and a write each was dozens of
 * system calls on a market-wide file (0.4 ms of the benchmark's 10 ms run on 45 thousand rows).
 * Without memory for that, a write each: the same lines, never fewer. glibc's memory stream says
 * nothing when it cannot grow (it drops the bytes) or trim its buffer at the close (it frees it),
 * so the text is used only when it is as long as the lines are: "defidx: warning: ", the warning
 * as printed (items, escaped), a newline. */
void cli_print_warnings(int quiet, const defidx_warnings *w)
{
    if (quiet || (!w->count && !w->suppressed))
        return;
    size_t expected = 0;
    for (size_t i = 0; i < w->count; i++)
        expected += strlen("defidx: warning: ") + defidx_text_escape(NULL, 0, w->items[i]) + 1;
    if (w->suppressed) /* its line as put_warnings writes it */
        expected += (size_t)snprintf(NULL, 0, "defidx: warning: %zu more warnings not shown\n", w->suppressed);
    char *text = NULL;
    size_t len = 0;
    FILE *buffer = open_memstream(&text, &len);
    int whole = 0;
    if (buffer) {
        put_warnings(buffer, w);
        whole = !ferror(buffer);
        whole &= fclose(buffer) == 0 && text && len == expected;
    }
    if (whole)
        fwrite(text, 1, len, stderr);
    else
        put_warnings(stderr, w);
    free(text);
}

/* Notes say what a default decided (the base date, an inferred currency): for people, so on
 * stderr, and silenced by -q like the warnings. */
void cli_print_notes(int quiet, const defidx_warnings *notes)
{
    for (size_t i = 0; !quiet && i < notes->count; i++)
        print_warning(stderr, "note", &notes->details[i]);
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
