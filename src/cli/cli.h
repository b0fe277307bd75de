/* cli.h: the command line's two tables, one row per command (commands.c) and one row per option
 * (options.c), and the state of one run that they fill. Parsing, dispatch, the messages that
 * list commands, help, the completion scripts and the test against the man page all read these
 * rows; nothing else compares a command's name. docs/adding.md: adding a command or an option. */
#ifndef DEFIDX_CLI_CLI_H
#define DEFIDX_CLI_CLI_H

#include "defidx.h"
#include "output.h"

#include <stddef.h>

/* ---- commands ---------------------------------------------------------------------------------- */

/* Every command, in the order help and completions list them. */
typedef enum cli_command_id {
    CLI_COMPUTE,
    CLI_SERIES,
    CLI_STATS,
    CLI_REBASE,
    CLI_DIVISORS,
    CLI_CHECK,
    CLI_CHART,
    CLI_REPORT,
    CLI_FACTSHEET,
    CLI_FORMATS,
    CLI_INIT,
    CLI_COMPLETION,
    CLI_HELP,
    CLI_COMMAND_COUNT
} cli_command_id;

/* A command's bit in a set of commands (cli_option.for_commands). */
#define CLI_ON(id) (1u << (id))
#define CLI_ALL_COMMANDS ((1u << CLI_COMMAND_COUNT) - 1)

/* What a command does, as the rest of the command line asks it. */
enum cli_command_flag {
    CLI_CMD_READS_PRICES = 1u << 0, /* takes PRICES... (one file at least) */
    CLI_CMD_COMPUTES = 1u << 1,     /* computes the index; its write gets the result */
    CLI_CMD_WRITES_TABLE = 1u << 2, /* writes a table in an -O format (DEFIDX_FORMAT, -o's extension) */
    CLI_CMD_NEEDS_PANEL = 1u << 3,  /* needs every price in a panel: never the one pass */
    CLI_CMD_SILENT = 1u << 4,       /* notes and warnings only when it fails: silent on success */
    CLI_CMD_TAKES_SHELL = 1u << 5,  /* takes a shell's name (completion) */
    CLI_CMD_TAKES_COMMAND = 1u << 6, /* takes a command's name (help) */
    CLI_CMD_UNLISTED = 1u << 7,     /* left out of the command lists of help and messages (help) */
    CLI_CMD_TAKES_DIR = 1u << 8,    /* takes a folder (init) */
    CLI_CMD_BREAKDOWNS = 1u << 9    /* computes the breakdowns by country and segment (factsheet,
                                       report: their factsheet's bars) */
};

struct cli;
struct cli_run;

typedef struct cli_command {
    const char *name;
    unsigned flags;           /* enum cli_command_flag */
    const char *summary;      /* one line: the general help's list, the completion menus */
    const char *usage;        /* what follows "defidx NAME" on its Usage line */
    const char *about;        /* its help: what it does, in lines ending in \n */
    const char *examples;     /* its help's examples, one a line, each indented by two spaces */
    const char *no_output;    /* non-NULL: -O, -o and --no-header are refused, with this hint */
    /* Its own rules on the arguments beyond the option table's (report needs --out-dir): 0, or
     * the exit code of the usage error it printed. NULL: none. */
    int (*check)(const struct cli *c);
    /* Writes its output, after the prices are read and the index computed (as its flags say):
     * 0, or a status with err filled; or, for a usage error it printed, its exit code with
     * err->code left DEFIDX_OK. */
    int (*write)(struct cli *c, struct cli_run *s, defidx_error *err);
} cli_command;

extern const cli_command cli_commands[CLI_COMMAND_COUNT];

/* The command named name, or NULL: the one place where a command name is compared as text. */
const cli_command *cli_command_find(const char *name);

/* Writes the names of the listed commands in set (CLI_ON bits) into buf in table order, joined
 * as a list: "compute, series and report" with last " and ". Truncated to size. */
void cli_command_list(char *buf, size_t size, unsigned set, const char *last);

/* ---- options ----------------------------------------------------------------------------------- */

/* What follows an option. */
typedef enum cli_value_kind {
    CLI_VALUE_NONE,  /* a flag */
    CLI_VALUE_WORDS, /* one of the row's space-separated values */
    CLI_VALUE_FILE,  /* a file; values is the extension completion offers ("json"), NULL for any */
    CLI_VALUE_DIR,   /* a directory */
    CLI_VALUE_TEXT   /* free text; values says what it is ("date"), for zsh's message */
} cli_value_kind;

/* Where help and the man page list an option: under a heading of the general help (and the
 * man page's subsection of that name), or under each command it applies to. */
typedef enum cli_section {
    CLI_SECTION_COMPUTING,
    CLI_SECTION_INPUT,
    CLI_SECTION_OUTPUT,
    CLI_SECTION_COMMAND,
    CLI_SECTION_COUNT
} cli_section;

typedef struct cli_section_info {
    const char *heading; /* the general help's heading; NULL: listed in each command's help */
    const char *man;     /* the man page's .SS title; NULL: the command's name */
} cli_section_info;

extern const cli_section_info cli_sections[CLI_SECTION_COUNT];

enum cli_option_flag {
    CLI_OPT_REPEATABLE = 1u << 0, /* each use adds a value (--since) */
    CLI_OPT_STRICT = 1u << 1,     /* given to a command it does not apply to: a usage error (others
                                     are ignored there, so that scripts may share options) */
    CLI_OPT_OUTPUT = 1u << 2      /* says where or how output goes: refused by a command whose row
                                     has no_output */
};

typedef struct cli_option cli_option;

/* Applies an option's value (NULL for a flag) to c: 0, -1 for "done, exit 0" (--version), or the
 * exit code of the usage error it printed. arg is in argv, which is ours to change. */
typedef int (*cli_apply)(struct cli *c, const cli_option *o, char *arg);

struct cli_option {
    const char *long_name;   /* "--index", or NULL */
    const char *short_name;  /* "-O", or NULL */
    cli_value_kind kind;
    const char *placeholder; /* the value as help and the man page write it ("FILE"), or NULL */
    const char *values;      /* for completion, as cli_value_kind says */
    unsigned for_flags;      /* applies to every command with one of these cli_command flags... */
    unsigned for_commands;   /* ...and to these (CLI_ON bits) */
    unsigned flags;          /* enum cli_option_flag */
    cli_section section;
    const char *brief;       /* a few words for the completion menus */
    const char *help;        /* its text in help, lines broken with \n */
    cli_apply apply;
    size_t field;            /* for cli_apply_text and cli_apply_flag: offsetof(struct cli, ...) */
};

extern const cli_option cli_options[];
extern const size_t cli_option_count;

/* The most options the table may hold (struct cli's given[] has one entry each). */
#define CLI_OPTION_MAX 64

/* 1 when o applies to command id (its flags or its bit). */
int cli_option_applies(const cli_option *o, cli_command_id id);

/* The commands o applies to, as CLI_ON bits. */
unsigned cli_option_commands(const cli_option *o);

/* The name of o as messages write it: its long name, else its short one. */
const char *cli_option_name(const cli_option *o);

/* The position of word in o->values (0 for the first), or -1. */
int cli_option_word(const cli_option *o, const char *word);

/* ---- one run ----------------------------------------------------------------------------------- */

/* What the command line asks for, filled by the option table's apply functions. */
typedef struct cli {
    cli_command_id command;
    cli_command_id help_topic; /* help: the command whose help to show; CLI_HELP: the general help */
    unsigned char given[CLI_OPTION_MAX]; /* how often each option of cli_options was given */
    const char *index_path;
    const char *fx_path;
    const char *actions_path;
    const char *output_path;
    cli_look look;
    int quiet, verbose, help;
    int spark;              /* compute: a trend column */
    int trend;              /* compute: sparklines wanted (--spark, or trend in --columns) */
    int constituents;       /* chart: each constituent rebased too */
    int32_t chart_from;     /* chart: the first date shown */
    int chart_width, chart_height;
    const char *out_dir;    /* report */
    int print, stamp;       /* report */
    int max_age;            /* report, check: business days; -1 when not given */
    const char *benchmark_path; /* stats: --benchmark */
    double periods_per_year;    /* stats: --periods-per-year; 0: inferred */
    double risk_free;           /* stats: --risk-free, an annual rate */
    int each;                   /* stats: --each constituent's figures too */
    int rolling;                /* series: --rolling N returns; 0: none */
    int drawdown;               /* chart, report: --drawdown, the underwater panel */
    defidx_options opt;
    defidx_load_options load;
    int32_t since[64];
    int by[DEFIDX_GROUP_KEY_COUNT]; /* compute: --by's keys, in the order given */
    defidx_ticker_currency ticker_currencies[64]; /* --ticker-currency SYM=CCY, split in place */
    char ticker_currency_codes[64][4];            /* ...and each CCY as written to be used: GBX */
    char **operands;        /* what follows the command: PRICES..., or completion's shell; or
                               the definition's "prices" (project_prices) when it names none */
    char **project_prices;
    int operand_count;
    size_t *first_ticker_of_file; /* the panel's ticker count before each file (the base note) */
} cli;

/* Asks for the breakdown by key (enum defidx_group_key) after those asked, unless it is among them. */
void cli_add_by(cli *c, int key);

/* The inputs and the result of one run, freed together; a command's write reads them. */
typedef struct cli_run {
    defidx_panel *panel;    /* the prices, when they were read into a panel */
    defidx_spec *spec;
    defidx_fx *fx;
    defidx_actions *actions;
    defidx_result *result;  /* for the commands that compute */
    defidx_warnings load_warnings, action_warnings;
    defidx_table table;
    char **sparks;
} cli_run;

/* The run's command's row. */
static inline const cli_command *cli_command_of(const cli *c)
{
    return &cli_commands[c->command];
}

/* Sets the string field o->field to arg / the int field o->field to 1. */
int cli_apply_text(cli *c, const cli_option *o, char *arg);
int cli_apply_flag(cli *c, const cli_option *o, char *arg);

#endif
