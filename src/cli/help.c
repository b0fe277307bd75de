/* help.c: defidx --help and each command's --help. Each is written from the tables (cli.h): the
 * command list from the command rows, the option lists from the option rows, a command's
 * paragraph and examples from its row. A command's help fits on one screen (under 40 lines):
 * what it does, its own options, the general ones that apply, examples. */
#include "help.h"

#include <string.h>

/* Help is read in a terminal of at least 80 columns; its texts are written for 92. */
#define HELP_WIDTH 92
/* The column at which an option's text starts. */
#define TEXT_COLUMN 22

static const char general_intro[] =
    "Usage: defidx COMMAND [OPTIONS] PRICES...\n"
    "\n"
    "Computes a STOXX-style equity index (Laspeyres, with a divisor) from constituents' prices and\n"
    "reports its returns. PRICES are CSV or JSON files, or - for standard input.\n"
    "\n"
    "Commands (defidx help COMMAND, or defidx COMMAND --help, for each):\n";

static const char general_end[] =
    "Examples:\n"
    "  defidx compute --index data/index.json --fx data/fx.csv data/prices.csv\n"
    "  defidx compute --fx data/fx.csv --index data/index.json -O json data/prices.csv | jq .level\n"
    "  defidx series --index data/index.json --fx data/fx.csv -o levels.csv data/prices.csv\n"
    "  defidx report --out-dir reports --max-age 3 --index data/index.json --fx data/fx.csv \\\n"
    "      data/prices.csv\n"
    "\n"
    "Exit status: 0 ok, 64 bad command line, 65 bad data, 66 missing or empty input,\n"
    "73/74 output cannot be created/written, 75 data older than --max-age, 70 internal error.\n"
    "A table fits the terminal (COLUMNS, else its width). See defidx(1).\n";

/* "  -O FMT              table, tsv, ...": the names and value, then the text at TEXT_COLUMN
 * (two spaces further when the names reach it), its further lines indented to that column. */
static void put_option(FILE *out, const cli_option *o)
{
    char names[80];
    snprintf(names, sizeof names, "%s%s%s%s%s", o->short_name ? o->short_name : "",
             o->short_name && o->long_name ? ", " : "", o->long_name ? o->long_name : "",
             o->placeholder ? " " : "", o->placeholder ? o->placeholder : "");
    int used = fprintf(out, "  %s", names);
    fprintf(out, "%*s", used + 2 <= TEXT_COLUMN ? TEXT_COLUMN - used : 2, "");
    for (const char *line = o->help; *line;) {
        size_t n = strcspn(line, "\n");
        fprintf(out, "%.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
        if (*line)
            fprintf(out, "%*s", TEXT_COLUMN, "");
    }
}

/* The general help's lists: each listed command with its summary, then each section of options
 * with its heading. */
static void put_general(FILE *out)
{
    fputs(general_intro, out);
    for (int id = 0; id < CLI_COMMAND_COUNT; id++)
        if (!(cli_commands[id].flags & CLI_CMD_UNLISTED))
            fprintf(out, "  %-10s  %s\n", cli_commands[id].name, cli_commands[id].summary);
    for (int section = 0; section < CLI_SECTION_COUNT; section++) {
        if (!cli_sections[section].heading)
            continue;
        fprintf(out, "\n%s\n", cli_sections[section].heading);
        for (size_t i = 0; i < cli_option_count; i++)
            if (cli_options[i].section == (cli_section)section)
                put_option(out, &cli_options[i]);
    }
    fputs("\n", out);
    fputs(general_end, out);
}

/* "Also, from defidx --help: --index, --weighting, ...": the options of the general help that
 * apply to the command, but not to every command (--help), wrapped at HELP_WIDTH. */
static void put_general_options(FILE *out, cli_command_id id)
{
    static const char lead[] = "Also, from defidx --help:";
    int column = 0, count = 0;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (!cli_sections[o->section].heading || !cli_option_applies(o, id) || o->for_commands == CLI_ALL_COMMANDS)
            continue;
        const char *name = cli_option_name(o);
        if (count++ == 0)
            column = fprintf(out, "%s", lead);
        else
            column += fprintf(out, ",");
        if (column + 1 + (int)strlen(name) + 1 > HELP_WIDTH)
            column = fprintf(out, "\n%s", name) - 1;
        else
            column += fprintf(out, " %s", name);
    }
    if (count)
        fputs(".\n", out);
}

/* A command's help. */
static void put_command(FILE *out, cli_command_id id)
{
    const cli_command *cmd = &cli_commands[id];
    fprintf(out, "Usage: defidx %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->about);
    int own = 0;
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (cli_sections[o->section].heading || !cli_option_applies(o, id))
            continue;
        if (!own++)
            fputs("Options of its own:\n", out);
        put_option(out, o);
    }
    put_general_options(out, id);
    int one = strchr(cmd->examples, '\n') == cmd->examples + strlen(cmd->examples) - 1;
    fprintf(out, "\nExample%s:\n%s", one ? "" : "s", cmd->examples);
}

void cli_help_write(FILE *out, cli_command_id topic)
{
    if (topic == CLI_HELP)
        put_general(out);
    else
        put_command(out, topic);
}
