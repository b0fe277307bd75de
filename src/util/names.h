/* names.h: a table of names (tickers) interned to indices 0, 1, 2... in order of first appearance,
 * found by an open-addressing hash: the panel's and the one-pass reader's ticker look-up. */
#ifndef DEFIDX_NAMES_H
#define DEFIDX_NAMES_H

#include "internal.h"

#include <string.h>

typedef struct dfx_names {
    char **names;      /* NUL-terminated copies */
    uint32_t *lengths;
    size_t count, capacity;
    uint32_t *slots;   /* index + 1, 0 = empty */
    size_t slot_count;
} dfx_names;

/* 1 when name id is the n bytes at s. */
static inline int dfx_names_is(const dfx_names *t, uint32_t id, const char *s, size_t n)
{
    return t->lengths[id] == n && memcmp(t->names[id], s, n) == 0;
}

/* The index of the n bytes at s, or -1. */
long dfx_names_find(const dfx_names *t, const char *s, size_t n);
/* The index of the n bytes at s, added (copied) when new; *added says which. 0 or DEFIDX_ENOMEM. */
int dfx_names_intern(dfx_names *t, const char *s, size_t n, uint32_t *id, int *added);
void dfx_names_free(dfx_names *t);

#endif
