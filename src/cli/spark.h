/* spark.h: the trend column of `compute --spark`. */
#ifndef DEFIDX_CLI_SPARK_H
#define DEFIDX_CLI_SPARK_H

#include "defidx.h"

/* 1 when the locale's character set is UTF-8 (LC_ALL, else LC_CTYPE, else LANG says so), so that
 * the sparkline's block characters show; else the ASCII ramp is used. */
int cli_utf8_locale(void);

/* Sparklines of the last `days` trading days to the as-of date: (*out)[0] the index's level,
 * (*out)[1 + k] constituent k's close from the panel (carried over a missing day), in the order
 * of defidx_emit_options.spark. Free with cli_sparks_free(*out, 1 + r->constituent_count). */
int cli_sparks(const defidx_result *r, const defidx_panel *p, size_t days, int ascii, char ***out,
               defidx_error *err);
void cli_sparks_free(char **sparks, size_t count);

#endif
