/* capping.h: what the capping module offers the engine and the tests beyond the public header: the
 * capping with its work counted (tests bound it by counting, not by a clock) and the most that
 * weights can add up to under a two-level rule (for a warning that says why it cannot be met). */
#ifndef DEFIDX_CAPPING_H
#define DEFIDX_CAPPING_H

#include "defidx.h"

/* defidx_cap_weights (fallback 0) or defidx_cap_weights_fallback (fallback 1, outcome set; NULL
 * allowed), adding to *steps (NULL: not counted) one for every comparison of the sort and every
 * turn of a loop over the weights, so that a test can assert the O(n log n) bound. */
int dfx_cap_weights_counted(double *w, size_t n, const defidx_capping *rule, int fallback,
                               defidx_cap_outcome *outcome, size_t *steps);

/* The most that n weights can add up to when none is above rule->cap and those above
 * rule->group_threshold add up to at most rule->group_cap (a supremum: below 1, no n weights can
 * meet the two-level rule). The rule must be a valid two-level one. */
double dfx_cap_group_most(const defidx_capping *rule, size_t n);

#endif
