/* main.c: defidx's command line. It parses the arguments (args.c, from the tables of cli.h), reads
 * the prices and computes the index as the command's flags say, hands the result to the command's
 * write (commands.c), and maps errors to the exit codes of docs/formats.md. */
#define _POSIX_C_SOURCE 200809L
#include "args.h"
#include "cli.h"
#include "diag.h"
#include "factsheet.h"
#include "freshness.h"
#include "project.h"
#include "spark.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading -------------------------------------------------------------------------------------- */

/* The file a ticker came from first, when several were read into a panel. */
static const char *file_of_ticker(const cli *c, const defidx_panel *p, const char *ticker)
{
    long j = p ? defidx_panel_find(p, ticker) : -1;
    for (int i = c->operand_count - 1; j >= 0 && c->first_ticker_of_file && i >= 0; i--)
        if ((size_t)j >= c->first_ticker_of_file[i])
            return c->operands[i];
    return c->operands[0];
}

/* Reads every price file into one panel. */
static int load_panel(cli *c, defidx_panel **out, defidx_warnings *w, defidx_error *err)
{
    defidx_panel *p = defidx_panel_new();
    if (!p)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    defidx_panel_set_max_jump(p, c->opt.max_jump);
    for (int i = 0; i < c->operand_count && !rc; i++) {
        if (c->first_ticker_of_file)
            c->first_ticker_of_file[i] = defidx_panel_ticker_count(p);
        rc = defidx_load_prices(p, c->operands[i], &c->load, w, err);
    }
    if (!rc)
        rc = defidx_panel_finish(p, w, err);
    if (rc) {
        defidx_panel_free(p);
        return rc;
    }
    if (c->verbose)
        cli_diag("loaded %zu tickers on %zu dates from %d file(s)",
                 defidx_panel_ticker_count(p), defidx_panel_date_count(p), c->operand_count);
    *out = p;
    return 0;
}

/* Moves load warnings into the result so that JSON output carries them too. rc when it is an error
 * already (the warnings move all the same, to be printed with it), else 0 or DEFIDX_ENOMEM. */
static int merge_warnings(defidx_warnings *into, defidx_warnings *from, int rc, defidx_error *err)
{
    int moved = defidx_warnings_move(into, from);
    if (rc || !moved)
        return rc;
    return defidx_error_set(err, moved, NULL, 0, 0, "out of memory");
}

/* The index definition, FX rates and corporate actions, in that order; actions' warnings go to w. */
static int load_inputs(cli *c, cli_run *s, defidx_warnings *w, defidx_error *err)
{
    int rc = 0;
    if (c->index_path && !s->spec) /* read first when it is a project (run) */
        rc = defidx_spec_load(&s->spec, c->index_path, err);
    if (!rc && c->fx_path)
        rc = defidx_fx_load(&s->fx, c->fx_path, err);
    if (!rc && c->actions_path)
        rc = defidx_actions_load(&s->actions, c->actions_path, w, err);
    c->opt.actions = s->actions;
    return rc;
}

/* The general order: every price file into a panel, then the other inputs, then the computation
 * when the command computes. Errors come in that order too: a bad price file is reported before
 * a bad definition. */
static int read_with_panel(cli *c, cli_run *s, defidx_error *err)
{
    int rc = load_panel(c, &s->panel, &s->load_warnings, err);
    if (!rc)
        rc = load_inputs(c, s, &s->load_warnings, err);
    if (!rc && (cli_command_of(c)->flags & CLI_CMD_COMPUTES))
        rc = defidx_compute(s->panel, s->spec, s->fx, &c->opt, &s->result, err);
    return rc;
}

/* One price file: the other inputs first, so that a date-sorted file can be computed as it is
 * read (defidx_compute_file). When they fail, the general order decides which error is shown. */
static int read_one_file(cli *c, cli_run *s, defidx_error *err)
{
    defidx_error input_err;
    defidx_error_clear(&input_err);
    int rc = load_inputs(c, s, &s->action_warnings, &input_err);
    if (rc) {
        int input_rc = rc;
        if (!(rc = load_panel(c, &s->panel, &s->load_warnings, err))) {
            *err = input_err;
            rc = input_rc;
        }
        return merge_warnings(&s->load_warnings, &s->action_warnings, rc, err);
    }
    rc = defidx_compute_file(c->operands[0], &c->load, s->spec, s->fx, &c->opt, &s->result,
                             &s->load_warnings, err);
    return merge_warnings(&s->load_warnings, &s->action_warnings, rc, err);
}

/* 1 when the command needs the prices in a panel after computing: rebase, the constituents'
 * sparklines and chart lines. */
static int needs_panel(const cli *c)
{
    int table = cli_pick_format(c->look.format, c->output_path, c->look.fallback_format) == DEFIDX_FORMAT_TABLE;
    return (cli_command_of(c)->flags & CLI_CMD_NEEDS_PANEL) || (c->trend && table) || c->constituents || c->each;
}

/* The prices, and the index computed from them when the command computes. */
static int read_prices(cli *c, cli_run *s, defidx_error *err)
{
    c->first_ticker_of_file = calloc((size_t)c->operand_count, sizeof *c->first_ticker_of_file);
    if (!c->first_ticker_of_file)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    return c->operand_count == 1 && !needs_panel(c) ? read_one_file(c, s, err) : read_with_panel(c, s, err);
}

/* ---- between computing and writing ------------------------------------------------------------- */

/* The note that says the default base date was the common start, and who set it: the ticker, and
 * its file when there are several. */
static void print_base_note(const cli *c, const defidx_result *r, const defidx_panel *p)
{
    if (c->quiet || !r->base_last[0])
        return;
    char date[11];
    defidx_date_format(r->base_date, date);
    const char *file = c->operand_count > 1 ? file_of_ticker(c, p, r->base_last) : NULL;
    cli_diag("note: the index starts on %s, the first date on which every constituent has a price; "
             "%s%s%s%s starts last (hint: --base-date sets another)",
             date, r->base_last, file ? " (" : "", file ? (strcmp(file, "-") == 0 ? "standard input" : file) : "",
             file ? ")" : "");
}

/* 1 when the result's data fails check: a price or an FX rate carried over more than --max-gap
 * trading days, or a spike. */
static int data_fails(const defidx_result *r)
{
    return r->stale_count > 0 || r->spike_count > 0 || r->stale_constituents > 0 || r->stale_rate_count > 0;
}

/* What every computing command says before its output: the notes and warnings (a silent command
 * only when its data fails), with -v how the prices were read; then --max-age, which stops the
 * run before anything is written. */
static int present_result(const cli *c, cli_run *s, defidx_error *err)
{
    defidx_result *result = s->result;
    int rc = merge_warnings(&result->warnings, &s->load_warnings, 0, err);
    if (rc)
        return rc;
    if (!(cli_command_of(c)->flags & CLI_CMD_SILENT) || data_fails(result)) {
        cli_print_notes(c->quiet, &result->notes);
        print_base_note(c, result, s->panel);
        cli_print_warnings(c->quiet, &result->warnings);
    }
    if (c->verbose && c->operand_count == 1) /* several files: load_panel said how many it read */
        cli_diag("read %s %s", c->operands[0],
                 result->one_pass == 1   ? "in one pass"
                 : result->one_pass == 2 ? "per ticker (not sorted by date)"
                                         : "into a panel (the general reader)");
    if (c->verbose)
        cli_diag("%s weighting, %zu review(s), %zu dates in the series",
                 defidx_weighting_name(result->weighting), result->review_count, result->date_count);
    return cli_check_age(result, c->operands[c->operand_count - 1], c->max_age, err);
}

/* ---- the run ----------------------------------------------------------------------------------- */

static void free_run(cli *c, cli_run *s)
{
    cli_sparks_free(s->sparks, s->result && s->sparks ? 1 + s->result->constituent_count : 0);
    defidx_warnings_free(&s->load_warnings);
    defidx_warnings_free(&s->action_warnings);
    defidx_table_free(&s->table);
    defidx_result_free(s->result);
    defidx_fx_free(s->fx);
    defidx_actions_free(s->actions);
    defidx_spec_free(s->spec);
    defidx_panel_free(s->panel);
    free(c->first_ticker_of_file);
    c->first_ticker_of_file = NULL;
    free(c->project_prices);
    c->project_prices = NULL;
}

/* Reads and computes what the command needs, then lets it write. Returns the exit code. */
static int run(cli *c)
{
    const cli_command *cmd = cli_command_of(c);
    cli_run s = {0};
    defidx_error err;
    defidx_error_clear(&err);
    int rc = 0;
    /* a definition that names the inputs and defaults is read first: they are the run's */
    if ((cmd->flags & CLI_CMD_COMPUTES) && c->index_path &&
        !(rc = defidx_spec_load(&s.spec, c->index_path, &err)))
        rc = cli_apply_project(c, s.spec, &err);
    if (cmd->flags & CLI_CMD_BREAKDOWNS)
        cli_factsheet_breakdowns(c);
    if (!rc && (cmd->flags & CLI_CMD_READS_PRICES)) {
        rc = read_prices(c, &s, &err);
        if (rc)
            cli_print_warnings(c->quiet, &s.load_warnings);
    }
    if (!rc && (cmd->flags & CLI_CMD_COMPUTES))
        rc = present_result(c, &s, &err);
    if (!rc)
        rc = cmd->write(c, &s, &err);
    free_run(c, &s);
    if (rc > 0)
        return rc; /* an exit code: a usage error, said already */
    return rc ? cli_print_error(&err) : 0;
}

int main(int argc, char **argv)
{
    /* A closed pipe (defidx series ... | head) ends the run quietly, as it does for cat and grep,
     * even when the parent process left SIGPIPE ignored. */
    signal(SIGPIPE, SIG_DFL);
    cli c = {0};
    int rc = cli_parse_args(&c, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    return run(&c);
}
