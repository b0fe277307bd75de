/* diag.h: what the command line says on stderr: usage errors with their hint, the library's
 * errors with the exit codes of docs/formats.md, and its notes and warnings. */
#ifndef DEFIDX_CLI_DIAG_H
#define DEFIDX_CLI_DIAG_H

#include "defidx.h"

#include <stddef.h>
#include <stdio.h>

/* The exit codes of docs/formats.md (sysexits.h's). */
enum cli_exit_code {
    CLI_EXIT_USAGE = 64,
    CLI_EXIT_DATA = 65,
    CLI_EXIT_NOINPUT = 66,
    CLI_EXIT_SOFTWARE = 70,
    CLI_EXIT_CANTCREAT = 73,
    CLI_EXIT_IOERR = 74,
    CLI_EXIT_TEMPFAIL = 75 /* "try again later": the data is older than --max-age */
};

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Prints "defidx: message (hint: defidx --help)" for a mistake on the command line; returns 64. */
int cli_usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* cli_usage_error with a hint of its own. */
int cli_usage_hint(const char *hint, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Prints "defidx: FILE:LINE:COL: message" for err and returns its exit code. */
/* Writes "defidx: ", the formatted text with its control characters and bytes that are not UTF-8
 * escaped (defidx_text_escape), and a line break to stderr: every diagnostic line goes this way. */
void cli_diag(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Writes text (NULL: nothing) to out escaped as defidx_text_escape says. */
void cli_put_escaped(FILE *out, const char *text);

int cli_print_error(const defidx_error *err);

/* The exit code for a library status (or CLI_ESTALE). */
int cli_exit_code(int status);

/* Prints each warning as "defidx: warning: ..." in one write, unless quiet. */
void cli_print_warnings(int quiet, const defidx_warnings *w);

/* Prints each note as "defidx: note: ...", unless quiet. */
void cli_print_notes(int quiet, const defidx_warnings *notes);

/* Writes words[0..n) into buf as a list, "a, b and c" with last " and " ("a" alone, "a and b"
 * for two); truncated to size. */
void cli_join(char *buf, size_t size, const char *const *words, size_t n, const char *last);

#endif
