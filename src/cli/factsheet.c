/* factsheet.c: `defidx factsheet`. The page itself is defidx_emit_factsheet's; here its parts come
 * from the run: the definition (description, cap, reviews), the options (the reference date, the
 * rebalancing), the files read, the statistics and the benchmark. */
#include "factsheet.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

void cli_factsheet_breakdowns(cli *c)
{
    cli_add_by(c, DEFIDX_GROUP_COUNTRY);
    cli_add_by(c, DEFIDX_GROUP_SEGMENT);
}

/* The review schedule in words: the definition's reviews, else --rebalance's; NULL for none. */
static const char *review_text(const cli *c, const defidx_spec *spec, char *buf, size_t size)
{
    if (spec && spec->review_count) {
        char last[11];
        defidx_date_format(spec->reviews[spec->review_count - 1].effective, last);
        snprintf(buf, size, "%zu in the definition, the last effective %s", spec->review_count, last);
        return buf;
    }
    if (c->opt.rebalance == DEFIDX_REBALANCE_MONTHLY)
        return "monthly, after the close of the third Friday";
    if (c->opt.rebalance == DEFIDX_REBALANCE_QUARTERLY)
        return "quarterly, after the close of the third Friday of March, June, September, December";
    return NULL;
}

int cli_factsheet_make(const cli *c, const cli_run *s, const defidx_stats *stats, const defidx_result *benchmark,
                       const char *name, cli_factsheet *f, defidx_error *err)
{
    memset(f, 0, sizeof *f);
    const defidx_result *r = s->result;
    defidx_factsheet *sheet = &f->sheet;
    sheet->result = r;
    sheet->stats = stats;
    sheet->description = s->spec ? s->spec->description : NULL;
    sheet->cap = s->spec ? s->spec->cap : NAN;
    sheet->reviews = review_text(c, s->spec, f->reviews, sizeof f->reviews);
    sheet->reference = c->opt.since_count ? c->opt.since[0] : DEFIDX_NO_DATE;
    size_t n = 0;
    f->sources = malloc(((size_t)c->operand_count + 3) * sizeof *f->sources);
    if (!f->sources)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    for (int k = 0; k < c->operand_count; k++)
        f->sources[n++] = strcmp(c->operands[k], "-") == 0 ? "standard input" : c->operands[k];
    if (c->fx_path)
        f->sources[n++] = c->fx_path;
    if (c->actions_path)
        f->sources[n++] = c->actions_path;
    if (c->benchmark_path)
        f->sources[n++] = c->benchmark_path;
    sheet->sources = f->sources;
    sheet->source_count = n;
    if (!benchmark)
        return 0;
    sheet->benchmark = name;
    sheet->benchmark_levels = (defidx_level_series){benchmark->date_count, benchmark->dates, benchmark->levels};
    int rc = cli_benchmark_line(r, benchmark, defidx_factsheet_chart_from(r), name, &f->line, err);
    sheet->benchmark_line = f->line;
    return rc;
}

void cli_factsheet_free(cli_factsheet *f)
{
    if (f->line)
        defidx_chart_lines_free(f->line, 1);
    f->line = NULL;
    free(f->sources);
    f->sources = NULL;
}

static int write_page(FILE *out, const void *what, int format, const defidx_emit_options *o, defidx_error *err)
{
    (void)format;
    (void)o;
    return defidx_emit_factsheet(out, what, err);
}

int cli_write_factsheet(cli *c, cli_run *s, defidx_error *err)
{
    defidx_result *benchmark = NULL;
    defidx_stats *stats = NULL;
    char name[64] = "";
    cli_factsheet f = {0};
    int rc = c->benchmark_path ? cli_benchmark(c, s, &benchmark, name, err) : 0;
    if (!rc)
        rc = cli_index_stats(c, s, benchmark, &stats, err);
    if (!rc)
        rc = cli_factsheet_make(c, s, stats, benchmark, name, &f, err);
    cli_look look = c->look;
    look.format = DEFIDX_FORMAT_HTML; /* the page is HTML whatever -o's extension says */
    if (!rc)
        rc = cli_write(c->output_path, &look, write_page, &f.sheet, err);
    cli_factsheet_free(&f);
    defidx_stats_free(stats);
    defidx_result_free(benchmark);
    return rc; /* a stale price is marked on the page and warned about, as compute does */
}
