/* stats.h: `defidx stats`: the index's statistics (defidx_stats_compute), against a benchmark,
 * and with --each every constituent's. */
#ifndef DEFIDX_CLI_STATS_H
#define DEFIDX_CLI_STATS_H

#include "cli.h"

/* Computes the figures of s->result (and of --benchmark and --each) and writes them as c asks. */
int cli_write_stats(cli *c, cli_run *s, defidx_error *err);

#endif
