/* report.h: the report bundle of `defidx report`, for cron jobs: one directory per as-of date
 * holding the same report in the shapes mail, dashboards and scripts want, written so that a
 * reader never sees a half-written file and `latest` always points at a complete bundle. */
#ifndef DEFIDX_CLI_REPORT_H
#define DEFIDX_CLI_REPORT_H

#include "defidx.h"

typedef struct cli_report {
    const char *out_dir; /* DIR: the bundle goes to DIR/YYYY-MM-DD/ (the as-of date) */
    int print;           /* 1: also write report.txt to stdout (cron mails stdout) */
    const char *stamp;   /* NULL, or the generation time ("2026-11-25T21:00:00Z") that --stamp puts
                            into report.txt, report.md and report.html; without it a rerun on the
                            same data writes byte-identical files */
    const defidx_stats *stats;          /* the statistics the reports show (NULL: the library's) */
    const char *benchmark;              /* their benchmark's name, or NULL */
    const defidx_chart_options *chart;  /* chart.svg's options (NULL: the defaults) */
    const defidx_factsheet *factsheet;  /* factsheet.html's parts (NULL: the result's alone) */
} cli_report;

/* Writes DIR/YYYY-MM-DD/ with report.txt, report.md, report.html (self-contained, inline CSS),
 * returns.csv, returns.json, constituents.csv, chart.svg, stats.json and report.xlsx, each atomically, then points
 * DIR/latest at YYYY-MM-DD atomically (a relative symbolic link) unless it already points at a
 * later date: a backfill of an older date does not turn `latest` back. DIR is created when
 * missing.
 * Returns 0, or DEFIDX_ECREATE / DEFIDX_EWRITE / DEFIDX_ENOMEM with err filled; on failure the
 * previous bundle and `latest` are left as they were. */
int cli_report_write(const cli_report *o, const defidx_result *r, defidx_error *err);

#endif
