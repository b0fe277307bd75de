/* output.h: where the CLI's output goes: stdout, or a file written atomically. */
#ifndef DEFIDX_CLI_OUTPUT_H
#define DEFIDX_CLI_OUTPUT_H

#include "defidx.h"

/* The format to use: the one asked for with -O, else the one -o's extension names, else a table
 * on a terminal and TSV otherwise. */
int cli_pick_format(int asked, const char *path);

/* Writes a table or a compute result to path (NULL: stdout). A file is written to a temporary
 * file beside it and renamed into place, so a reader never sees half of it. */
int cli_write_table(const char *path, int format, const defidx_table *t, defidx_error *err);
int cli_write_result(const char *path, int format, const defidx_result *r, defidx_error *err);

#endif
