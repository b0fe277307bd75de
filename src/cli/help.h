/* help.h: defidx --help and each command's --help, written from the command and option tables. */
#ifndef DEFIDX_CLI_HELP_H
#define DEFIDX_CLI_HELP_H

#include "cli.h"

#include <stdio.h>

/* Writes the help of command topic to out: its Usage line, what it does, the options of its own,
 * the options of the general help that apply to it, and its examples. CLI_HELP: the general
 * help (the commands, the options under their headings, examples, exit status). Write errors
 * are left in out's error indicator. */
void cli_help_write(FILE *out, cli_command_id topic);

#endif
