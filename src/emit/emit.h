/* emit.h: what the emitters (emit_table.c, emit_result.c, emit_members.c) share: JSON scalars
 * written the same way everywhere, the pieces of an HTML document, the colours and measures of the
 * aligned table, the constituents table of a compute result, the end-of-output write check, and
 * the table of output formats with their writers. */
#ifndef DEFIDX_EMIT_H
#define DEFIDX_EMIT_H

#include "internal.h"

/* Writes s as a JSON string: quotes, backslashes and control characters escaped, invalid UTF-8
 * replaced by U+FFFD so that the output is always valid JSON. NULL writes null. */
void dfx_json_string(FILE *out, const char *s);

/* Writes x with 15 significant digits in the C locale; NAN and infinities write null. */
void dfx_json_number(FILE *out, double x);

/* Writes the warnings' texts as a JSON array, and a last string counting those not kept ("12
 * more warnings not shown"); NULL writes []. With indent, each entry on a line of its own after
 * it and the closing bracket after indent less its last two characters; without, all on one
 * line. */
void dfx_json_warning_texts(FILE *out, const defidx_warnings *w, const char *indent);

/* Writes "YYYY-MM-DD", or null for DEFIDX_NO_DATE. */
void dfx_json_date(FILE *out, int32_t date);

/* The ANSI SGR sequences of the aligned table and the terminal chart in colour; each coloured
 * text ends with RESET. */
#define DEFIDX_ANSI_BOLD "\033[1m"
#define DEFIDX_ANSI_GREEN "\033[32m"
#define DEFIDX_ANSI_RED "\033[31m"
#define DEFIDX_ANSI_BLUE "\033[34m"
#define DEFIDX_ANSI_DIM "\033[2m"
#define DEFIDX_ANSI_RESET "\033[0m"

/* The sign a number for people shows: -1 for "-1.28%", +1 for "+10.00%", 0 when it shows none or
 * only zeros ("+0.00%", "-", ""), so that colour and CSS class agree with what the reader sees. */
int dfx_shown_sign(const char *text);

/* The pieces of compute's report for people (emit_result.c), which the report bundle
 * (emit_report.c) lays out its own way. The title block: three lines, in Markdown (md 1) a heading
 * and two paragraphs, then an empty line. */
void dfx_result_title(FILE *out, const defidx_result *r, int md);

/* The periods table and the constituents table of compute's report for fmt (without a Trend
 * column, every column). The caller frees them with defidx_table_free and dfx_members_free.
 * Returns 0, or DEFIDX_ENOMEM with nothing left to free. */
struct dfx_members;
int dfx_result_tables(const defidx_result *r, int fmt, defidx_table *periods, struct dfx_members *members);

/* ---- charts inside a page (chart.c) ---- */

/* defidx_chart_svg without the XML declaration: an <svg> element for an HTML page. */
int dfx_chart_svg_inline(FILE *out, const defidx_result *r, const defidx_chart_options *o, defidx_error *err);

/* A horizontal bar chart of n shares (fractions of 1: weights) for an HTML page: a bold title, then
 * a row per share with its label (cut to fit), a bar scaled to the largest share in the chart's
 * colours, and the share in percent with one decimal. width in px; the height follows n. */
void dfx_bar_chart_svg(FILE *out, const char *title, const char *const *labels, const double *shares, size_t n,
                       int width);

/* ---- breakdowns (emit_groups.c) ---- */

/* A column of a breakdown's table after its group, members and weight: a period's return, or its
 * contribution. At most every period twice (5 periods and 64 since dates). */
typedef struct dfx_group_column {
    size_t period;    /* an index into the result's periods */
    int contribution; /* 1: the group's contribution; 0: its sub-index's return */
} dfx_group_column;
#define DFX_GROUP_COLUMNS_MAX 138

typedef struct dfx_group_table {
    defidx_table table;
    const char *header[3 + DFX_GROUP_COLUMNS_MAX];
    char titles[3 + DFX_GROUP_COLUMNS_MAX][48];
} dfx_group_table;

/* The table of breakdown b for people: Country (the key), Members (their number), Weight, then
 * cols. Freed with defidx_table_free(&gt->table). 0, or DEFIDX_ENOMEM with nothing to free. */
int dfx_group_table_build(const defidx_result *r, const defidx_breakdown *b, const dfx_group_column *cols,
                          size_t col_count, dfx_group_table *gt);
/* compute's columns: every period's return, then the contributions the constituents table shows
 * (ytd and the since periods). Returns their number. */
size_t dfx_group_columns_default(const defidx_result *r, dfx_group_column *cols);
/* r's breakdown by key, or NULL when it has none. */
const defidx_breakdown *dfx_breakdown_of(const defidx_result *r, int key);
/* The line under breakdown tables (size 400 holds it): groups' returns are in the index currency
 * and the constituents' in their own, what * marks, and how many countries are a default. */
void dfx_breakdowns_note(const defidx_result *r, char *note, size_t size);
/* Each breakdown of r under a heading "By country", in fmt (table, md, html), then the note. */
int dfx_breakdowns_write_people(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                                defidx_error *err);

/* Writes s as HTML text, fit for element content and quoted attribute values: & < > " ' escaped,
 * control characters as spaces, invalid UTF-8 as U+FFFD (the document declares UTF-8). */
void dfx_html_text(FILE *out, const char *s);

/* The same for HTML and SVG alike, cut after max_chars characters with an ellipsis: markup
 * characters escaped, control characters flattened to spaces, invalid UTF-8 replaced by U+FFFD,
 * so that any name from a user's file gives a well-formed document. */
void dfx_markup_text_n(FILE *out, const char *s, size_t max_chars);

/* The start of a self-contained HTML5 document up to and including <body>: charset, title (escaped)
 * and the inline style that dfx_html_table's classes use. No scripts, no external resources. */
void dfx_html_begin(FILE *out, const char *title);

/* Closes what dfx_html_begin opened. */
void dfx_html_end(FILE *out);

/* Writes t as a <table>: the header row in <thead> when header is 1, the cells as the aligned table
 * shows them (NULL cells empty), numeric columns with class "num", returns with "pos" or "neg".
 * Returns 0, or DEFIDX_ENOMEM before writing anything. */
int dfx_html_table(FILE *out, const defidx_table *t, int header);

/* Flushes out and reports an earlier write failure: 0, or DEFIDX_EWRITE with err filled. */
int dfx_emit_finish(FILE *out, defidx_error *err);

/* ---- the statistics for people (emit_stats.c) ---- */

/* The sections of `defidx stats` for people, in the order it shows them. */
enum dfx_stats_part {
    DFX_STATS_SUMMARY,
    DFX_STATS_TRAILING,   /* with the benchmark's beside, when there is one */
    DFX_STATS_RISK,       /* period, monthly and yearly figures side by side */
    DFX_STATS_DRAWDOWNS,  /* the five deepest, deepest first */
    DFX_STATS_CALENDAR,
    DFX_STATS_BENCHMARK,  /* only with a benchmark */
    DFX_STATS_EACH,       /* only with constituents' figures */
    DFX_STATS_PART_COUNT
};

/* One section for the report bundle's own layout: its heading (static) and its table, which the
 * caller frees with defidx_table_free. Returns 0, or DEFIDX_ENOMEM with nothing to free. */
int dfx_stats_section(const defidx_stats_report *r, int part, const char **heading, defidx_table *t);

/* ---- a chart's ticks (ticks.c) ---- */

#define DFX_TICKS_MAX 16

/* Level ticks: count values at multiples of step, labelled with `decimals` decimals. */
typedef struct dfx_level_ticks {
    int count;
    int decimals;
    double value[DFX_TICKS_MAX];
} dfx_level_ticks;

/* Round ticks inside [lo, hi] (hi > lo): 4 to 8 of them at a step of 1, 2, 2.5 or 5 x 10^k. */
void dfx_nice_ticks(double lo, double hi, dfx_level_ticks *t);

/* Date ticks at calendar boundaries, all of one unit. */
enum { DFX_UNIT_DAY, DFX_UNIT_WEEK, DFX_UNIT_MONTH, DFX_UNIT_YEAR };
typedef struct dfx_date_ticks {
    int unit;
    int count;
    int32_t at[DFX_TICKS_MAX];
} dfx_date_ticks;

/* Date ticks for [lo, hi]: years, months, weeks or days by the span, at most 8. */
void dfx_choose_date_ticks(int32_t lo, int32_t hi, dfx_date_ticks *t);

/* A tick's label: YYYY for years, YYYY-MM for months, MM-DD for weeks and days. */
void dfx_tick_date_text(int32_t date, int unit, char out[11]);

/* Widens a flat range of levels [lo, hi] (their difference next to nothing) to one percent of hi
 * either side, at least 0.5: a flat line still needs an axis. */
void dfx_unflatten(double *lo, double *hi);

/* The dates a chart shows (chart.c): r->dates[*i0..*i1], from `from` (DEFIDX_NO_DATE: the base
 * date) to the as-of date. DEFIDX_EDATA when the result has no series or no date between them,
 * DEFIDX_EUSAGE when from is after the as-of date. */
int dfx_chart_shown(const defidx_result *r, int32_t from, size_t *i0, size_t *i1, defidx_error *err);

/* ---- Excel workbooks (xlsx.c) ---- */

/* A workbook being written (libxlsxwriter): sheets of tables, then its bytes to a stream. */
typedef struct dfx_xlsx dfx_xlsx;

/* A new workbook whose creation time is the date created (days; DEFIDX_NO_DATE: 1970-01-01), so
 * that the same data gives the same bytes. 0, DEFIDX_ECREATE (no temporary file) or
 * DEFIDX_ENOMEM. */
int dfx_xlsx_open(dfx_xlsx **x, int32_t created, defidx_error *err);

/* Starts a sheet of that name (cut to Excel's 31 characters, []:*?/\ as blanks). */
int dfx_xlsx_sheet(dfx_xlsx *x, const char *name, defidx_error *err);

/* Writes t into the current sheet from row `row` on, its header (when header is 1) in bold: text
 * as text, dates as dates (yyyy-mm-dd), numbers with their decimals, returns and shares in a
 * percent format, missing values as empty cells. A table at row 0 gets its header frozen and an
 * autofilter. The columns become as wide as what they show. */
int dfx_xlsx_put_table(dfx_xlsx *x, size_t row, const defidx_table *t, int header, defidx_error *err);

/* A native line chart of the current sheet's column value_col over category_col, rows 2 to
 * rows + 1 (under a header), placed beside the data. */
int dfx_xlsx_line_chart(dfx_xlsx *x, const char *sheet, const char *title, size_t rows, int category_col,
                        int value_col, defidx_error *err);

/* Finishes the workbook, writes its bytes to out and flushes it; frees x whatever happens. */
int dfx_xlsx_close(dfx_xlsx *x, FILE *out, defidx_error *err);

/* Frees a workbook not written. */
void dfx_xlsx_discard(dfx_xlsx *x);

/* ---- the output formats (format.c), one row each ---- */

/* One output format (enum defidx_format): its names, who reads it, and its two writers. */
typedef struct dfx_output_format {
    const char *name;            /* as -O gives it: "table" */
    const char *extension;       /* the usual extension of its files: "txt" */
    const char *other_extension; /* another extension that means it ("htm"), or "" */
    int for_people;              /* 1: cells rounded, percentages, headings for people; 0: full
                                    precision and fractions, for programs */
    /* Writes a table (o: not NULL), without flushing; returns 0 or a DEFIDX_E* with err filled. */
    int (*write_table)(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                       defidx_error *err);
    /* Writes a compute result (fmt: this format; o: not NULL) and flushes; 0 or a DEFIDX_E*. */
    int (*write_result)(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                        defidx_error *err);
} dfx_output_format;

/* The row of fmt, NULL when fmt is no format. */
const dfx_output_format *dfx_output_format_of(int fmt);

/* What defidx_emit_table and defidx_emit_result do first: *o NULL becomes the defaults (in
 * defaults), then its version is checked and fmt's row looked up. The row, or NULL with err
 * filled (DEFIDX_EUSAGE: a newer options version or an unknown format). */
const dfx_output_format *dfx_emit_begin(int fmt, const defidx_emit_options **o, defidx_emit_options *defaults,
                                        defidx_error *err);

/* The table writers of the rows (emit_table.c). */
int dfx_table_write_aligned(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                               defidx_error *err);
int dfx_table_write_tsv(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                           defidx_error *err);
int dfx_table_write_csv(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                           defidx_error *err);
int dfx_table_write_json(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                            defidx_error *err);
int dfx_table_write_md(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                          defidx_error *err);
int dfx_table_write_html(FILE *out, const defidx_table *t, const defidx_emit_options *o,
                            defidx_error *err);

/* The result writers of the rows (emit_result.c): the report for people (table, md, html), rows
 * for programs (csv, tsv) and the JSON object. */
int dfx_result_write_people(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                               defidx_error *err);
int dfx_result_write_rows(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                             defidx_error *err);
int dfx_result_write_json(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                             defidx_error *err);

/* The Excel writers (emit_xlsx.c): a table, a compute result and the report bundle's report.xlsx
 * (a result's sheets, the series and the statistics). Each writes the whole workbook to out and
 * flushes it. */
int dfx_table_write_xlsx(FILE *out, const defidx_table *t, const defidx_emit_options *o, defidx_error *err);
int dfx_result_write_xlsx(FILE *out, const defidx_result *r, int fmt, const defidx_emit_options *o,
                          defidx_error *err);
int dfx_report_write_xlsx(FILE *out, const defidx_result *r, const defidx_stats_report *stats, defidx_error *err);

/* The statistics in Excel (emit_stats.c): a sheet per section of dfx_stats_section, named as the
 * section after prefix, into x; and the whole workbook of them to out. */
int dfx_stats_put_sheets(dfx_xlsx *x, const defidx_stats_report *r, const char *prefix, defidx_error *err);
int dfx_stats_write_xlsx(FILE *out, const defidx_stats_report *r, defidx_error *err);

/* The periods table of a result for people (Period, Base date, Base level, Return). 0 or
 * DEFIDX_ENOMEM with t freed. */
int dfx_result_periods(const defidx_result *r, defidx_table *t);

/* ---- the aligned table's measures (emit_table.c) ---- */

/* Width of s on a terminal as the aligned table writes it: a UTF-8 character one column, a byte
 * escaped as \xHH (dfx_text_put) four. */
size_t dfx_display_width(const char *s);

/* The width of each of t's columns in the aligned table (widths: t->column_count entries): the
 * widest of its cells as shown, and of its header when header is 1, plus one for a mark. A line
 * of the table is at most the sum of the widths and two blanks between columns. */
void dfx_table_widths(const defidx_table *t, int header, size_t *widths);

/* Writes text, its control characters escaped (dfx_text_put), and a line break; with width > 0,
 * broken at blanks into lines of at most width characters (a longer word stays whole on a line of
 * its own), continuation lines indented by two blanks. Blanks at the end are dropped. */
void dfx_put_wrapped(FILE *out, const char *text, size_t width);

/* ---- the constituents table of a compute result (emit_members.c) ---- */

/* 1 when some constituent of r has a name (an index definition gives names; price files do not):
 * tables for people show a Name column only then. */
int dfx_result_has_names(const defidx_result *r);

/* A column of the constituents table. */
typedef struct dfx_member_column {
    int field;      /* what it shows: enum member_field of emit_members.c */
    size_t period;  /* a return or contribution: which of the result's periods */
    char name[40];  /* as --columns and CSV/TSV name it: "ticker", "ytd", "contrib_ytd" */
    char title[40]; /* its heading for people: "Ticker", "ytd", "Contrib ytd" */
} dfx_member_column;

/* The constituents table as a format shows it, and what was left out to fit a width. */
typedef struct dfx_members {
    defidx_table table;                /* its header points into shown */
    dfx_member_column *shown;       /* the table's columns, in order */
    size_t shown_count;
    dfx_member_column *left_out;    /* left out to fit o->width, in the order they went */
    size_t left_out_count;
} dfx_members;

/* Builds the constituents table of r for fmt: the columns of o->columns (DEFIDX_EUSAGE, with the
 * valid names in err, for an unknown or repeated one), else the report's (ticker, name,
 * currency, price, trend with o->spark, weight, every period's return, the contributions of the
 * periods whose kind shows one: ytd and the since periods); in the aligned table without
 * o->columns, narrowed to o->width. Headings and cells are for people in table, md and html, and
 * names and full fractions in csv and tsv.
 * m is filled on every path and freed with dfx_members_free. */
int dfx_members_build(const defidx_result *r, int fmt, const defidx_emit_options *o,
                         dfx_members *m, defidx_error *err);
void dfx_members_free(dfx_members *m);

/* Writes the notes under the constituents table in fmt (table, md, html; nothing for others):
 * a line per stale constituent ("* RHM.DE: price of ..., carried N business days to ... (more
 * than --max-gap 5)"), and in the aligned table which columns were left out to fit, wrapped to
 * width (0: unlimited). Nothing when there is nothing to say. Returns 0, or DEFIDX_ENOMEM with
 * err filled. */
int dfx_members_notes(FILE *out, const defidx_result *r, const dfx_members *m, int fmt,
                         size_t width, defidx_error *err);

#endif
