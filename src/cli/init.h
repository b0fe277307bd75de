/* init.h: `defidx init [DIR]`, a starter project to edit: the bundled demo's definition naming its
 * inputs, and copies of its files. */
#ifndef DEFIDX_CLI_INIT_H
#define DEFIDX_CLI_INIT_H

#include "cli.h"

/* Writes DIR/index.json (the demo's definition with comments and a report's keys) and the demo's
 * price, FX, actions and benchmark files into DIR (the operand, else the working folder; created
 * when missing), each new: an existing file is exit 73, nothing replaced. */
int cli_write_init(cli *c, cli_run *s, defidx_error *err);

#endif
