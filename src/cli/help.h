/* help.h: the texts of defidx --help and defidx COMMAND --help. */
#ifndef DEFIDX_CLI_HELP_H
#define DEFIDX_CLI_HELP_H

/* The help of command (NULL: the general help), or NULL for an unknown command. */
const char *cli_help_text(const char *command);

#endif
