/* internal.h: what the library's modules share and the public header does not promise. */
#ifndef DEFIDX_INTERNAL_H
#define DEFIDX_INTERNAL_H

#include "defidx.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>

/* defidx_error_set with a va_list, for modules' own "fail at this position" helpers. */
int dfx_error_vset(defidx_error *err, int code, const char *file, long line, long column,
                      const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;

/* defidx_warn with a kind: the library's own warnings say what they are about (defidx_warn, the
 * public one, appends DEFIDX_WARNING_OTHER). */
int dfx_warn_kind(defidx_warnings *w, defidx_warning_kind kind, const char *file, long line, long column,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* What a function given a list of warnings returns: rc when it is an error already, else
 * DEFIDX_ENOMEM with err filled when w (may be NULL) lost a warning for want of memory, else 0. A
 * warning that could not be stored is an error, never a silence. */
int dfx_warnings_check(const defidx_warnings *w, int rc, defidx_error *err);

/* Growth for dynamic arrays: returns 0 or DEFIDX_ENOMEM; *items is reallocated to hold need. */
int dfx_grow(void **items, size_t *capacity, size_t need, size_t item_size);

/* Case-insensitive ASCII comparison of a (len bytes) with the NUL-terminated b. */
bool dfx_ascii_ieq(const char *a, size_t len, const char *b);

/* strdup that returns NULL on failure (C11 has no strdup). */
char *dfx_strdup(const char *s);

/* Copies src into dst (size bytes) and returns 0, or DEFIDX_EDATA when it does not fit. */
int dfx_copy_text(char *dst, size_t size, const char *src);

/* The base name of path without its last extension: "data/RHM.DE.csv" -> "RHM.DE". */
void dfx_path_stem(const char *path, char *out, size_t size);

/* 0 when an options struct of this version can be read: DEFIDX_OPTIONS_VERSION or older (0, an
 * all-zero struct, reads as the current one); else DEFIDX_EUSAGE naming what (util/error.c). */
int dfx_options_version(int version, const char *what, defidx_error *err);

/* The name of standard input in messages ("-" on the command line). */
#define DEFIDX_STDIN_NAME "<stdin>"

/* The offset of the first byte of data (len bytes) that carries content, past a UTF-8 byte-order
 * mark and blanks (space, tab, CR, LF); len when there is none (util/file.c). */
size_t dfx_first_content(const char *data, size_t len);

/* Line and column (1-based) of byte offset `at` in data. */
void dfx_position(const char *data, size_t at, long *line, long *column);

/* A raw JSON scanner over text that cJSON has parsed (so it is valid). Each takes the index i of
 * something and returns an index: past blanks; from an opening quote to past the closing one; from
 * the start of any value to past its end; the first item inside the array/object at i; the item
 * after the value at i (past a comma); the value of the object member whose key starts at i. */
size_t dfx_json_skip_blanks(const char *s, size_t len, size_t i);
size_t dfx_json_skip_string(const char *s, size_t len, size_t i);
size_t dfx_json_skip_value(const char *s, size_t len, size_t i);
size_t dfx_json_first_item(const char *s, size_t len, size_t i);
size_t dfx_json_next_item(const char *s, size_t len, size_t i);
size_t dfx_json_member_value(const char *s, size_t len, size_t i);

/* 1 when s (n bytes, trimmed) marks a missing price: empty, or how a site or spreadsheet writes
 * "none" (null, N/A, NA, #N/A, -, NaN; any case). Shared by the CSV and JSON loaders. */
int dfx_missing_marker(const char *s, size_t n);

/* Formats x with the fewest of 15, 16 or 17 significant digits that read back as x (C locale):
 * two numbers that differ print differently, where %.10g may show both alike. "" for NAN/inf.
 * Returns the length written. */
int dfx_number_exact(double x, char *buf, size_t size);

/* Observations added to a panel so far (before finish). */
size_t dfx_panel_observation_count(const defidx_panel *p);

/* The one-day spikes a finished panel found (defidx_panel_set_max_jump), by ticker and date: how
 * many, the ticker of spike k, and spike k as a warning at its row (the ticker, the three dates
 * and closes) appended to w. */
size_t dfx_panel_spike_count(const defidx_panel *p);
const char *dfx_panel_spike_ticker(const defidx_panel *p, size_t k);
void dfx_panel_warn_spike(const defidx_panel *p, size_t k, defidx_warnings *w);

/* The date of the rate of the ISO currency iso (units per EUR) that converts on date: the last one
 * the FX file publishes on or before it, so that a caller can tell a rate carried too long (EUR:
 * date itself); DEFIDX_NO_DATE when there is none (load/fx.c). */
int32_t dfx_fx_rate_date(const defidx_fx *fx, const char *iso, int32_t date);

/* 1 when two quote currencies are the same currency in the same unit ("GBX" and "GBp", "eur" and
 * "EUR"), else 0. */
int dfx_currency_same(const char *a, const char *b);

/* The byte offset of the value at path ("constituents[3].shares", "reviews[0]") in JSON text that
 * parses; -1 when the path leads nowhere. */
int dfx_json_locate(const char *text, size_t len, const char *path, size_t *offset);

/* Limits on what an input may hold (docs/formats.md, "Limits"). Past one, the input is refused
 * with a message at its position (DEFIDX_EDATA), never by an allocation failure. */
#define DEFIDX_LINE_MAX (1L << 20)      /* bytes of a CSV line (its line end not counted) or record */
#define DEFIDX_FIELD_MAX (1L << 16)     /* bytes of a CSV field, as read (quotes not counted) */
#define DEFIDX_TICKERS_MAX 100000L      /* distinct tickers of one run; constituents of one list */
#define DEFIDX_PANEL_CELLS_MAX (1L << 28) /* tickers x dates of the general reader's panel */
#define DEFIDX_JSON_MAX (1L << 28)      /* bytes of a JSON input: cJSON's tree is ten times as large */
#define DEFIDX_PRICE_MIN 1e-6          /* a close, in its quote currency: below, a level would */
#define DEFIDX_PRICE_MAX 1e9           /* overflow (1e-308 then 100); no share trades outside */
#define DEFIDX_PRICE_RANGE "0.000001 to 1000000000"
/* The hint for a number too large for a double: its text reads as a number, just not one held. */
#define DEFIDX_NUMBER_RANGE_HINT "numbers are read up to about 1.8e308: is a decimal mark missing, or is this the right column?"
#define DEFIDX_LEVEL_MAX 1e18          /* an index level: printed in full (19 digits), never cut */

/* Bytes of an input read whole, beside DEFIDX_JSON_MAX: a price CSV the one-pass path does not
 * read (its panel holds at most DEFIDX_PANEL_CELLS_MAX prices, about 10 GB of rows, but the text
 * is held beside it), and the FX and corporate-action files (the ECB's whole history is 2 MB). */
#define DEFIDX_CSV_MAX (1LL << 32)
#define DEFIDX_SIDE_FILE_MAX (1LL << 26)

/* A size limit of dfx_read_file_limited, which holds it however the file comes: a regular file
 * over it is refused by its size (fstat) before more than its first read (128 KiB), a pipe or a
 * device as soon as more than max bytes have come (docs/formats.md, "Limits"). A parser given the
 * text whole holds the same limit with dfx_refuse_size. */
typedef struct dfx_size_limit {
    size_t max; /* bytes, a leading UTF-8 byte-order mark not counted */
    /* NULL: every file (the last limit of a list); else the limit holds only for a file whose first
     * read this returns 1 for: a price file of JSON, not one of CSV */
    int (*applies)(const char *head, size_t len);
    const char *what; /* the file, as the message names it: "the index definition" */
    const char *hint; /* what the message suggests */
    int csv; /* 1: CSV text, whose parser refuses a line over DEFIDX_LINE_MAX: reading stops at one */
} dfx_size_limit;

/* Refuses the file name (as the message names it) as larger than limit: "WHAT is larger than the
 * limit of MAX bytes (hint: HINT)". Returns DEFIDX_EDATA. */
int dfx_refuse_size(const char *name, const dfx_size_limit *limit, defidx_error *err);

/* defidx_read_file under limits: a list whose last entry has applies NULL (NULL: no limit). The
 * first limit that applies is held, and past it the file is refused (dfx_refuse_size). Reading stops
 * early at a NUL byte or, in CSV, a line over DEFIDX_LINE_MAX: the parser refuses what was read at
 * that place, as it would the whole file. */
int dfx_read_file_limited(const char *path, const dfx_size_limit *limits, char **data, size_t *len,
                             defidx_error *err);

/* How many members run has carried to a close or visited in its days so far (src/index/engine.c):
 * the pass's work, which tests bound by rows and constituents rather than tickers x dates. */
size_t dfx_run_member_visits(const defidx_run *run);

/* defidx_compute_file's one pass over the file at path (src/fast/stream.c) on one thread, with its
 * work counted in *work: the replay's steps (tickers walked, rows placed and handed over) and the
 * engine's member visits. Returns 1 when the one pass declines the file, else as
 * defidx_compute_file. For tests, which bound the work by rows rather than tickers x dates. */
int dfx_one_pass_counted(const char *path, const defidx_spec *spec, const defidx_options *opt,
                         defidx_result **out, size_t *work, defidx_error *err);

/* 1 when text (len bytes) is JSON to the price reader, which tells JSON from CSV by its first
 * content: '[' or '{'. */
int dfx_looks_json(const char *text, size_t len);

/* A JSON price file's limit, DEFIDX_JSON_MAX, for the files dfx_looks_json takes. */
extern const dfx_size_limit dfx_json_prices_limit;

/* What kind of input a file is meant to be, for dfx_check_file_kind's messages. */
enum dfx_file_kind { DEFIDX_FILE_PRICES, DEFIDX_FILE_INDEX, DEFIDX_FILE_ACTIONS, DEFIDX_FILE_FX };

/* Refuses a file that is plainly not the text it should be, before any parser sees it: a
 * compressed file or archive (gzip, ZIP, which an .xlsx workbook is), an old Excel workbook, a
 * PDF, UTF-16 or UTF-32 text (by its byte-order mark) and an HTML page (a web site's login or
 * error page saved instead of the download). Returns 0, or DEFIDX_EDATA with err filled. */
int dfx_check_file_kind(const char *name, const char *data, size_t len, int kind, defidx_error *err);

/* Text that is not UTF-8 read as Windows-1252, as the price files are: returns 0 with *converted
 * NULL when data (len bytes) is UTF-8 already, or 0 with *converted a new UTF-8 copy (the caller
 * frees it; *converted_len its length) and a warning; DEFIDX_EDATA with err at the first bad byte
 * when the text mixes UTF-8 with another encoding or holds a byte Windows-1252 does not define. */
int dfx_text_to_utf8(const char *name, const char *data, size_t len, char **converted,
                        size_t *converted_len, defidx_warnings *w, defidx_error *err);

/* The byte offset of the first byte of data (len bytes) that is not valid UTF-8, or len. */
size_t dfx_utf8_invalid(const char *data, size_t len);

/* ---- text for people (util/text.c) ----
 * Bytes that could steer a terminal or forge a line (C0 controls, DEL, C1 controls, bytes that
 * are not UTF-8) are written as \xHH, each byte on its own; printable UTF-8 stays as it is. */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there are not one. */
size_t dfx_utf8_sequence(const unsigned char *s);

/* The next unit of the n > 0 bytes at s: its length in bytes, with *escape 1 when it is one byte
 * to write as \xHH, 0 when it is a printable character to keep. */
size_t dfx_text_unit(const char *s, size_t n, int *escape);

/* The columns the n bytes at s take on a terminal once escaped: 4 an escape, 1 a character. */
size_t dfx_text_width_n(const char *s, size_t n);

/* Writes the n bytes at s, or the string s (NULL: nothing), escaped. */
void dfx_text_put_n(FILE *out, const char *s, size_t n);
void dfx_text_put(FILE *out, const char *s);

/* The offset of the first NUL byte of JSON text, or of a \u0000 escape (which cJSON would turn into
 * the end of its string, cutting it short silently); len when there is none. */
size_t dfx_json_find_nul(const char *text, size_t len);

/* What is wrong with JSON text (len bytes) that cJSON refused, and where: cJSON says only where it
 * stopped, often a little past the mistake. Names the first mistake (text that ends too soon, as a
 * file cut short does; NaN or Infinity; single quotes; a comment; a comma before a closing bracket;
 * a missing comma, colon or quote; nesting deeper than cJSON's limit), writes "what (hint: ...)"
 * into out and its byte offset into *at, and returns 1, or 2 for the nesting limit. Returns 0 and
 * leaves *at (cJSON's position) when it finds nothing, such as when cJSON ran out of memory. */
int dfx_json_syntax_problem(const char *text, size_t len, size_t *at, char *out, size_t size);

/* With the default base date, a run whose source met a ticker only after the base (a date-sorted
 * file meets tickers as it goes) started too early: when *out's common start is later than its base
 * date, computes again from the common start with compute(opt with that base date, source) and
 * replaces *out (freed on error, then NULL). Returns 0 when nothing needed doing. */
int dfx_compute_again_from_common_start(defidx_result **out, const defidx_options *opt,
                                           int (*compute)(const defidx_options *opt, void *source,
                                                          defidx_result **out, defidx_error *err),
                                           void *source, defidx_error *err);

/* One-day spikes (docs/methodology.md, "Spikes"): --max-jump X, a fraction. */
#define DEFIDX_MAX_JUMP_DEFAULT 0.5

/* The factor 1 + X of a --max-jump X; X not a positive finite number means the default. */
static inline double dfx_jump_factor(double max_jump)
{
    return 1 + (max_jump > 0 && isfinite(max_jump) ? max_jump : DEFIDX_MAX_JUMP_DEFAULT);
}

/* 1 when p1, between a ticker's consecutive closes p0 and p2, is a spike for up = 1 + X: it moves
 * more than X from p0 (|ln(p1/p0)| > ln up), and p2 moves more than X from p1 the other way and
 * lands within X of p0 (|ln(p2/p1)| > ln up, |ln(p2/p0)| <= ln up). In ratios, so that no
 * logarithm is taken. A NAN close (none yet) is never part of a spike. Both readers decide with
 * this one function on the same closes, so that they flag the same rows. */
static inline int dfx_is_spike(double p0, double p1, double p2, double up)
{
    if (p1 > p0 * up) /* a rise: the next close falls back, to within X of p0 */
        return p1 > p2 * up && p2 <= p0 * up && p0 <= p2 * up;
    if (p1 * up < p0) /* a fall: the next close rises back, to within X of p0 */
        return p1 * up < p2 && p2 <= p0 * up && p0 <= p2 * up;
    return 0;
}

/* The return of a level series (ascending dates) to its last value from the last value on or before
 * the end of the month `months` before the last value's month (ffn's anchors, as defidx_stats's 3m
 * and 1y), annualised when asked; NAN when the series does not reach back so far. */
double dfx_months_back_return(const int32_t *dates, const double *levels, size_t n, int months, int annualised);

/* The default "since" date, the last close before the invasion of Ukraine. */
#define DEFIDX_DEFAULT_SINCE_Y 2022
#define DEFIDX_DEFAULT_SINCE_M 2
#define DEFIDX_DEFAULT_SINCE_D 23

#endif
