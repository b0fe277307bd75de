/* groups.h: the sub-indices of a breakdown's groups (compute --by), kept by the engine's pass, and
 * the breakdowns of a result built from them (src/index/groups.c). */
#ifndef DEFIDX_GROUPS_H
#define DEFIDX_GROUPS_H

#include "internal.h"

/* The group a constituent belongs to under key, written to out (64 bytes): its country, the ISO
 * code of its quote currency, or its segment; DEFIDX_GROUP_UNKNOWN when it has none. */
void dfx_group_name(int key, const char *country, const char *currency, const char *segment, char out[64]);

/* Each asked key's groups, with the level of each group's sub-index: sum of q p / D over the
 * group's members in the index (its share of the index level), scaled so that it does not move
 * when quantities or the divisor change. Between such changes it moves with the members' points. */
typedef struct dfx_groups dfx_groups;

/* 0 when every key is an enum defidx_group_key, else DEFIDX_EUSAGE naming the first that is not. */
int dfx_groups_check_keys(const int *keys, size_t key_count, defidx_error *err);

/* NULL *out when no key is asked: every call below takes a NULL groups and does nothing. */
int dfx_groups_new(dfx_groups **out, const int *keys, size_t key_count, size_t period_count);
void dfx_groups_free(dfx_groups *g);

/* The quantities or the divisor change (the base, a review, an action): every group's level is
 * taken at its share before, then dfx_groups_hold gives each member in the index its share after,
 * and dfx_groups_end_change sets the levels' scale so that none moves. A group that first holds a
 * member starts at start_level; one left empty keeps its level until it holds one again. */
void dfx_groups_begin_change(dfx_groups *g);
/* member: the engine's index of the member; its country, quote currency and segment place it in
 * its groups (dfx_group_name) the first time it is held. */
int dfx_groups_hold(dfx_groups *g, size_t member, const char *country, const char *currency,
                    const char *segment, double share);
void dfx_groups_end_change(dfx_groups *g, double start_level);

/* A member's points moved by delta: so did its group's share of the level. */
void dfx_groups_move(dfx_groups *g, size_t member, double delta);

/* The pass crosses the start of period k: each group's level now is its base for period k. */
void dfx_groups_mark(dfx_groups *g, size_t k);

/* At the as-of close: each group's return over period k from its level now and the one marked for
 * k (based[k]: 0 when the period has no base, 2 when its base is the as-of close itself, else 1).
 * Nothing moves after it. */
void dfx_groups_close(dfx_groups *g, const int *based);

/* The result's breakdowns, one per key asked (once each), once its constituents are sorted: each
 * group's members, weight and contributions from the constituents, its returns from the closed
 * sub-index of its name. A note says where countries came from when they are asked. Returns 0 or
 * DEFIDX_ENOMEM (what was built is freed with the result). */
int dfx_groups_report(const dfx_groups *g, const int *keys, size_t key_count, defidx_result *r);
void dfx_breakdowns_free(defidx_result *r);

#endif
