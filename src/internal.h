/* internal.h: what the library's modules share and the public header does not promise. */
#ifndef DEFIDX_INTERNAL_H
#define DEFIDX_INTERNAL_H

#include "defidx.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>

/* defidx_error_set with a va_list, for modules' own "fail at this position" helpers. */
int defidx_error_vset(defidx_error *err, int code, const char *file, long line, long column,
                      const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;

/* Growth for dynamic arrays: returns 0 or DEFIDX_ENOMEM; *items is reallocated to hold need. */
int defidx_grow(void **items, size_t *capacity, size_t need, size_t item_size);

/* Case-insensitive ASCII comparison of a (len bytes) with the NUL-terminated b. */
bool defidx_ascii_ieq(const char *a, size_t len, const char *b);

/* strdup that returns NULL on failure (C11 has no strdup). */
char *defidx_strdup(const char *s);

/* Copies src into dst (size bytes) and returns 0, or DEFIDX_EDATA when it does not fit. */
int defidx_copy_text(char *dst, size_t size, const char *src);

/* The base name of path without its last extension: "data/RHM.DE.csv" -> "RHM.DE". */
void defidx_path_stem(const char *path, char *out, size_t size);

/* Line and column (1-based) of byte offset `at` in data. */
void defidx_position(const char *data, size_t at, long *line, long *column);

/* A raw JSON scanner over text that cJSON has parsed (so it is valid). Each takes the index i of
 * something and returns an index: past blanks; from an opening quote to past the closing one; from
 * the start of any value to past its end; the first item inside the array/object at i; the item
 * after the value at i (past a comma); the value of the object member whose key starts at i. */
size_t defidx_json_skip_blanks(const char *s, size_t len, size_t i);
size_t defidx_json_skip_string(const char *s, size_t len, size_t i);
size_t defidx_json_skip_value(const char *s, size_t len, size_t i);
size_t defidx_json_first_item(const char *s, size_t len, size_t i);
size_t defidx_json_next_item(const char *s, size_t len, size_t i);
size_t defidx_json_member_value(const char *s, size_t len, size_t i);

/* 1 when s (n bytes, trimmed) marks a missing price: empty, or how a site or spreadsheet writes
 * "none" (null, N/A, NA, #N/A, -, NaN; any case). Shared by the CSV and JSON loaders. */
int defidx_missing_marker(const char *s, size_t n);

/* Observations added to a panel so far (before finish). */
size_t defidx_panel_observation_count(const defidx_panel *p);

/* 1 when two quote currencies are the same currency in the same unit ("GBX" and "GBp", "eur" and
 * "EUR"), else 0. */
int defidx_currency_same(const char *a, const char *b);

/* The byte offset of the value at path ("constituents[3].shares", "reviews[0]") in JSON text that
 * parses; -1 when the path leads nowhere. */
int defidx_json_locate(const char *text, size_t len, const char *path, size_t *offset);

/* The default "since" date, the last close before the invasion of Ukraine. */
#define DEFIDX_DEFAULT_SINCE_Y 2022
#define DEFIDX_DEFAULT_SINCE_M 2
#define DEFIDX_DEFAULT_SINCE_D 23

#endif
