/* args.h: the command line into a struct cli, from the command and option tables. */
#ifndef DEFIDX_CLI_ARGS_H
#define DEFIDX_CLI_ARGS_H

#include "cli.h"

/* Fills c from argv (whose strings --ticker-currency splits in place): the defaults, every
 * option through its row's apply, the command (help [COMMAND] and --help make it CLI_HELP with
 * the topic in c->help_topic), then the rules the rows state, the environment's DEFIDX_FORMAT for
 * the commands that write a table, and the operands. Returns 0; -1 when an option finished the run
 * (--version: exit 0); or the exit code of the usage error it printed on stderr. */
int cli_parse_args(cli *c, int argc, char **argv);

#endif
