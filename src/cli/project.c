/* project.c: the index definition as a whole project (docs/formats.md "The definition as a
 * project"). A definition may name its price files, FX rates, actions, benchmark and output
 * folder, and defaults for --since, --max-gap, --max-age and --return; then
 * `defidx report --index /etc/defidx/ead.json` is the whole cron line. What the command line gives
 * wins; each file the definition names must be readable, or the error names the definition's line
 * and key. */
#define _POSIX_C_SOURCE 200809L
#include "project.h"
#include "diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The option table's row of the option called name (a long name), or -1. */
static long option_row(const char *name)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].long_name && strcmp(cli_options[i].long_name, name) == 0)
            return (long)i;
    return -1;
}

/* 1 when the option called name was given on the command line. */
static int given(const cli *c, const char *name)
{
    long i = option_row(name);
    return i >= 0 && c->given[i] != 0;
}

/* 1 when the option called name applies to the run's command. */
static int applies(const cli *c, const char *name)
{
    long i = option_row(name);
    return i >= 0 && cli_option_applies(&cli_options[i], c->command);
}

/* A file the definition names, which must be there to read (a folder, out_dir, is created by
 * report when missing: only its parent is the user's to give). */
static int check_path(const defidx_spec *spec, const defidx_project_path *p, int folder, defidx_error *err)
{
    struct stat st;
    if (folder)
        return 0;
    if (access(p->path, R_OK) != 0)
        return defidx_error_set(err, DEFIDX_EINPUT, spec->source, p->line, p->column,
                                "%s: cannot read %s: %s (hint: a path in the definition is relative to its folder)",
                                p->key, p->path, strerror(errno));
    if (stat(p->path, &st) == 0 && S_ISDIR(st.st_mode))
        return defidx_error_set(err, DEFIDX_EINPUT, spec->source, p->line, p->column,
                                "%s: %s is a folder, not a file (hint: name the file in it)", p->key, p->path);
    return 0;
}

/* Takes a file the definition names for the option called name, unless the command line gave one
 * or the option does not apply to the command. */
static int take_path(cli *c, const defidx_spec *spec, const char *name, const defidx_project_path *p, const char **field,
                     defidx_error *err)
{
    if (!p->path || given(c, name) || !applies(c, name))
        return 0;
    int rc = check_path(spec, p, strcmp(name, "--out-dir") == 0, err);
    if (!rc)
        *field = p->path;
    return rc;
}

/* The price files of the definition, when the command line names none. */
static int take_prices(cli *c, const defidx_spec *spec, defidx_error *err)
{
    const defidx_project *p = &spec->project;
    if (c->operand_count > 0 || p->price_count == 0)
        return 0;
    c->project_prices = calloc(p->price_count, sizeof *c->project_prices);
    if (!c->project_prices)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < p->price_count; k++) {
        int rc = check_path(spec, &p->prices[k], 0, err);
        if (rc)
            return rc;
        c->project_prices[k] = p->prices[k].path;
    }
    c->operands = c->project_prices;
    c->operand_count = (int)p->price_count;
    return 0;
}

/* The defaults of the definition for the options the command line leaves out. */
static int take_defaults(cli *c, const defidx_spec *spec, defidx_error *err)
{
    const defidx_project *p = &spec->project;
    if (p->since_count && !given(c, "--since")) {
        memcpy(c->since, p->since, p->since_count * sizeof *p->since);
        c->opt.since_count = p->since_count;
    }
    if (p->max_gap && !given(c, "--max-gap"))
        c->opt.max_gap = p->max_gap;
    if (p->max_age >= 0 && !given(c, "--max-age") && applies(c, "--max-age"))
        c->max_age = p->max_age;
    if (p->return_type[0] && !given(c, "--return")) {
        int type = defidx_return_parse(p->return_type);
        if (type < 0)
            return defidx_error_set(err, DEFIDX_EDATA, spec->source, p->return_line, p->return_column,
                                    "index.return: '%.15s' is not a return type (hint: price, net or gross)",
                                    p->return_type);
        c->opt.return_type = type;
    }
    return 0;
}

int cli_apply_project(cli *c, const defidx_spec *spec, defidx_error *err)
{
    const defidx_project *p = &spec->project;
    int rc = take_prices(c, spec, err);
    if (!rc)
        rc = take_path(c, spec, "--fx", &p->fx, &c->fx_path, err);
    if (!rc)
        rc = take_path(c, spec, "--actions", &p->actions, &c->actions_path, err);
    if (!rc)
        rc = take_path(c, spec, "--benchmark", &p->benchmark, &c->benchmark_path, err);
    if (!rc)
        rc = take_path(c, spec, "--out-dir", &p->out_dir, &c->out_dir, err);
    if (!rc)
        rc = take_defaults(c, spec, err);
    if (rc)
        return rc;
    /* what neither the command line nor the definition gave */
    if (c->operand_count == 0)
        return cli_usage_hint("list them after the options, or as \"prices\" in the definition",
                              "%s: no price files given", cli_command_of(c)->name);
    if (c->command == CLI_REPORT && !c->out_dir)
        return cli_usage_hint("--out-dir DIR, or \"out_dir\" in the definition", "report: no folder for the bundles");
    return 0;
}
