/* completion.h: `defidx completion SHELL`: the shell completion scripts for bash, zsh and fish,
 * written from the command and option tables (cli.h), so that the three scripts offer the same
 * things and follow the command line when it changes. */
#ifndef DEFIDX_CLI_COMPLETION_H
#define DEFIDX_CLI_COMPLETION_H

#include <stddef.h>
#include <stdio.h>

/* Writes the completion script for shell ("bash", "zsh" or "fish") to out. Returns 0, or -1 when
 * shell is none of those (nothing is written; the caller prints the usage error). Write errors are
 * left in out's error indicator: the caller checks fflush/ferror, as for any other output. */
int cli_completion(const char *shell, FILE *out);

/* The names of the shells cli_completion writes for, as a list for messages: "bash, zsh or fish"
 * with last " or ". Truncated to size. */
void cli_completion_shells(char *buf, size_t size, const char *last);

#endif
