/* stats.h: `defidx stats`: the index's statistics (defidx_stats_compute), against a benchmark,
 * and with --each every constituent's; and the benchmark of --benchmark for chart and report. */
#ifndef DEFIDX_CLI_STATS_H
#define DEFIDX_CLI_STATS_H

#include "cli.h"

/* The --benchmark file computed as an index of its one instrument in the index's currency (an
 * index level in points as it is, with a note), up to the as-of date of s->result; its ticker
 * into name. *out is freed with defidx_result_free. */
int cli_benchmark(const cli *c, const cli_run *s, defidx_result **out, char name[64], defidx_error *err);

/* The statistics of s->result's levels up to its as-of date, with --risk-free and
 * --periods-per-year, against benchmark when not NULL. */
int cli_index_stats(const cli *c, const cli_run *s, const defidx_result *benchmark, defidx_stats **out,
                    defidx_error *err);

/* The benchmark's levels on the result's dates from `from` (DEFIDX_NO_DATE: the base date) to its
 * as-of date, carried over the benchmark's missing days, rebased to where the index stands (100
 * on the first date, as the chart rebases the index) on the first date it has a level: a chart
 * line labelled name. Its arrays are new: free them with defidx_chart_lines_free(line, 1). */
int cli_benchmark_line(const defidx_result *r, const defidx_result *benchmark, int32_t from, const char *name,
                       defidx_chart_line **line, defidx_error *err);

/* Computes the figures of s->result (and of --benchmark and --each) and writes them as c asks. */
int cli_write_stats(cli *c, cli_run *s, defidx_error *err);

#endif
