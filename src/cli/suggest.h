/* suggest.h: "did you mean ...?" for a mistyped option or command. */
#ifndef DEFIDX_CLI_SUGGEST_H
#define DEFIDX_CLI_SUGGEST_H

#include <stddef.h>

/* The Damerau-Levenshtein distance between a and b: the fewest insertions, deletions,
 * substitutions and transpositions of two adjacent characters (each counting 1) that turn one
 * into the other ("weigthing" -> "weighting" is 1). Strings longer than 64 bytes are compared
 * only as far as to say they are far apart: their longer length is returned. */
size_t cli_edit_distance(const char *a, const char *b);

/* The name of names[0..count) nearest to word, or NULL when none is near enough: at most 2 edits
 * away, 1 for a name of 4 characters or fewer (so that "--fz" finds --fx but "-x" nothing). Of two
 * names equally near, the first. word must have at least 2 characters. */
const char *cli_nearest(const char *word, const char *const *names, size_t count);

#endif
