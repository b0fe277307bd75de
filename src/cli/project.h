/* project.h: the index definition as a whole project: the inputs and defaults it names, taken
 * where the command line gives none. */
#ifndef DEFIDX_CLI_PROJECT_H
#define DEFIDX_CLI_PROJECT_H

#include "cli.h"

/* Takes from spec's project what the command line leaves out: the price files (when no operand
 * names one), --fx, --actions, --benchmark, --out-dir (where the command takes them), --since,
 * --max-gap, --max-age and --return. Returns 0; a DEFIDX_E* with err filled (a file it names
 * cannot be read: DEFIDX_EINPUT at the definition's line and key); or the exit code of a usage
 * error it printed (still no price file, or report without a folder). */
int cli_apply_project(cli *c, const defidx_spec *spec, defidx_error *err);

#endif
