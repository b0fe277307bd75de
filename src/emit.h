/* emit.h: what the emitters (emit_table.c, emit_result.c) share: JSON scalars written the same way
 * everywhere, the pieces of an HTML document, the colours of the aligned table, and the
 * end-of-output write check. */
#ifndef DEFIDX_EMIT_H
#define DEFIDX_EMIT_H

#include "internal.h"

/* Writes s as a JSON string: quotes, backslashes and control characters escaped, invalid UTF-8
 * replaced by U+FFFD so that the output is always valid JSON. NULL writes null. */
void defidx_json_string(FILE *out, const char *s);

/* Writes x with 15 significant digits in the C locale; NAN and infinities write null. */
void defidx_json_number(FILE *out, double x);

/* Writes "YYYY-MM-DD", or null for DEFIDX_NO_DATE. */
void defidx_json_date(FILE *out, int32_t date);

/* The ANSI SGR sequences of the aligned table with colour; each coloured text ends with RESET. */
#define DEFIDX_ANSI_BOLD "\033[1m"
#define DEFIDX_ANSI_GREEN "\033[32m"
#define DEFIDX_ANSI_RED "\033[31m"
#define DEFIDX_ANSI_RESET "\033[0m"

/* The sign a number for people shows: -1 for "-1.28%", +1 for "+10.00%", 0 when it shows none or
 * only zeros ("+0.00%", "-", ""), so that colour and CSS class agree with what the reader sees. */
int defidx_shown_sign(const char *text);

/* 1 for the periods whose contribution is worth a column for people: year-to-date and every
 * "since" (the aligned and Markdown reports, and report.html). */
int defidx_period_shows_contribution(const char *name);

/* The pieces of compute's report for people (emit_result.c), which the report bundle
 * (emit_report.c) lays out its own way. The title block: three lines, in Markdown (md 1) a heading
 * and two paragraphs, then an empty line. */
void defidx_result_title(FILE *out, const defidx_result *r, int md);

/* The periods table and the constituents table of compute's report (without a Trend column).
 * The names of the "Contrib" columns live in *names, which the caller frees with free() after
 * emitting and freeing the tables. Returns 0, or DEFIDX_ENOMEM with nothing left to free. */
int defidx_result_tables(const defidx_result *r, defidx_table *periods, defidx_table *members,
                         char (**names)[40]);

/* Writes s as HTML text, fit for element content and quoted attribute values: & < > " ' escaped,
 * control characters as spaces, invalid UTF-8 as U+FFFD (the document declares UTF-8). */
void defidx_html_text(FILE *out, const char *s);

/* The same for HTML and SVG alike, cut after max_chars characters with an ellipsis: markup
 * characters escaped, control characters flattened to spaces, invalid UTF-8 replaced by U+FFFD,
 * so that any name from a user's file gives a well-formed document. */
void defidx_markup_text_n(FILE *out, const char *s, size_t max_chars);

/* The start of a self-contained HTML5 document up to and including <body>: charset, title (escaped)
 * and the inline style that defidx_html_table's classes use. No scripts, no external resources. */
void defidx_html_begin(FILE *out, const char *title);

/* Closes what defidx_html_begin opened. */
void defidx_html_end(FILE *out);

/* Writes t as a <table>: the header row in <thead> when header is 1, the cells as the aligned table
 * shows them (NULL cells empty), numeric columns with class "num", returns with "pos" or "neg".
 * Returns 0, or DEFIDX_ENOMEM before writing anything. */
int defidx_html_table(FILE *out, const defidx_table *t, int header);

/* Flushes out and reports an earlier write failure: 0, or DEFIDX_EWRITE with err filled. */
int defidx_emit_finish(FILE *out, defidx_error *err);

#endif
