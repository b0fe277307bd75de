/* help.h: the texts of defidx --help and defidx COMMAND --help. */
#ifndef DEFIDX_CLI_HELP_H
#define DEFIDX_CLI_HELP_H

#include <stddef.h>

/* The help of command (NULL: the general help), or NULL for an unknown command. */
const char *cli_help_text(const char *command);

/* The name of the i-th command that has a help text (every command), NULL past the last: the
 * names a mistyped command is compared with. */
const char *cli_command_name(size_t i);

#endif
