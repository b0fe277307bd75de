/* output.h: where the CLI's output goes: stdout, or a file written atomically. */
#ifndef DEFIDX_CLI_OUTPUT_H
#define DEFIDX_CLI_OUTPUT_H

#include "defidx.h"

#include <sys/types.h>

/* -O term: no format of the library's table but the chart's text for a terminal (chart only). */
#define CLI_FORMAT_TERM DEFIDX_FORMAT_COUNT

/* The format to use: the one asked for with -O, else the one -o's extension names, else
 * fallback (DEFIDX_FORMAT's, or -1), else a table on a terminal and TSV otherwise. */
int cli_pick_format(int asked, const char *path, int fallback);

/* What the extension of an output path says (the part after the last dot of its last component,
 * in any case): the format it names (every -O name, and .txt for table, .htm for html),
 * CLI_EXTENSION_NONE when the name has none (no dot, or only a leading one: .profile), or
 * CLI_EXTENSION_OTHER (.xlsx, .pdf). */
enum { CLI_EXTENSION_NONE = -2, CLI_EXTENSION_OTHER = -1 };
int cli_extension_format(const char *path);

/* The terminal's width in characters for a table written to path: COLUMNS when it is a positive
 * whole number, else the terminal's (TIOCGWINSZ) when path is standard output and that is a
 * terminal, else 0 (unlimited: a pipe or file gets every column). */
size_t cli_output_width(const char *path);

/* The terminal's height in lines for output to path: LINES when it is a positive whole number,
 * else the terminal's (TIOCGWINSZ) when path is standard output and that is a terminal, else 0. */
size_t cli_output_height(const char *path);

/* The process's file mode creation mask, read without changing it: what a new file's or
 * directory's permissions would be masked with. */
mode_t cli_umask(void);

/* 1 when path (NULL or "-") means standard output. */
int cli_is_stdout(const char *path);

/* --color: when a table is written in colour. */
enum cli_color { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* How the CLI's output looks: the format (-1: cli_pick_format decides) and the emitters' options. */
typedef struct cli_look {
    int format;
    int fallback_format; /* DEFIDX_FORMAT's, or -1 */
    defidx_emit_options emit;
    int color_mode;      /* enum cli_color */
    int color_wanted;    /* the environment allows colour: no NO_COLOR, no TERM=dumb */
} cli_look;

/* 1 when something for a terminal written to path is in colour: --color always; auto on a
 * terminal the environment lets have colour; never, never. */
int cli_output_color(const cli_look *look, const char *path);

/* Writes what `write` produces to path (NULL or "-": stdout). A file is written to a temporary
 * file beside it and renamed into place, so a reader never sees half of it. A table is in colour
 * with --color always, or with auto on a terminal that the environment lets have colour, and as
 * wide as cli_output_width allows. */
typedef int (*cli_writer)(FILE *out, const void *what, int format, const defidx_emit_options *o,
                          defidx_error *err);
int cli_write(const char *path, const cli_look *look, cli_writer write, const void *what, defidx_error *err);

/* Writes a table or a compute result to path. */
int cli_write_table(const char *path, const cli_look *look, const defidx_table *t, defidx_error *err);
int cli_write_result(const char *path, const cli_look *look, const defidx_result *r, defidx_error *err);

#endif
