/* emit.h: what the emitters (emit_table.c, emit_result.c) share: JSON scalars written the same way
 * everywhere, and the end-of-output write check. */
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

/* Flushes out and reports an earlier write failure: 0, or DEFIDX_EWRITE with err filled. */
int defidx_emit_finish(FILE *out, defidx_error *err);

#endif
