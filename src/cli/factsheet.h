/* factsheet.h: `defidx factsheet`, and the factsheet's parts the report bundle's factsheet.html is
 * made with (src/cli/factsheet.c). */
#ifndef DEFIDX_CLI_FACTSHEET_H
#define DEFIDX_CLI_FACTSHEET_H

#include "cli.h"

/* A factsheet's parts from the run: the definition's description, cap and reviews, the reference
 * date (the first --since), the input files, the benchmark's levels and chart line. */
typedef struct cli_factsheet {
    defidx_factsheet sheet;
    defidx_chart_line *line;  /* the benchmark's, owned */
    const char **sources;     /* owned: the price files, then --fx, --actions, --benchmark */
    char reviews[160];
} cli_factsheet;

/* Fills f for s->result and stats (the benchmark, named name, may be NULL). Free with
 * cli_factsheet_free. */
int cli_factsheet_make(const cli *c, const cli_run *s, const defidx_stats *stats, const defidx_result *benchmark,
                       const char *name, cli_factsheet *f, defidx_error *err);
void cli_factsheet_free(cli_factsheet *f);

/* factsheet: the page to -o FILE.html (atomically), or to standard output. */
int cli_write_factsheet(cli *c, cli_run *s, defidx_error *err);

/* Asks the run for the breakdowns by country and segment (the factsheet's bars), beside any --by. */
void cli_factsheet_breakdowns(cli *c);

#endif
