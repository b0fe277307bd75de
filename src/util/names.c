/* names.c: see names.h. */
#include "util/names.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* The slot holding the name, or the empty slot where it would go. */
static size_t find_slot(const dfx_names *t, const char *s, size_t n)
{
    size_t mask = t->slot_count - 1, i = (size_t)hash_bytes(s, n) & mask;
    while (t->slots[i] && !dfx_names_is(t, t->slots[i] - 1, s, n))
        i = (i + 1) & mask;
    return i;
}

static int rehash(dfx_names *t)
{
    size_t n = t->slot_count ? t->slot_count * 2 : 64;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return DEFIDX_ENOMEM;
    free(t->slots);
    t->slots = slots;
    t->slot_count = n;
    for (size_t j = 0; j < t->count; j++)
        t->slots[find_slot(t, t->names[j], t->lengths[j])] = (uint32_t)j + 1;
    return 0;
}

long dfx_names_find(const dfx_names *t, const char *s, size_t n)
{
    if (!t->slot_count)
        return -1;
    uint32_t slot = t->slots[find_slot(t, s, n)];
    return slot ? (long)slot - 1 : -1;
}

int dfx_names_intern(dfx_names *t, const char *s, size_t n, uint32_t *id, int *added)
{
    *added = 0;
    if ((t->count + 1) * 2 > t->slot_count && rehash(t))
        return DEFIDX_ENOMEM;
    size_t slot = find_slot(t, s, n);
    if (t->slots[slot]) {
        *id = t->slots[slot] - 1;
        return 0;
    }
    size_t capacity = t->capacity;
    char *copy = malloc(n + 1);
    if (!copy || dfx_grow((void **)&t->lengths, &capacity, t->count + 1, sizeof *t->lengths) ||
        dfx_grow((void **)&t->names, &t->capacity, t->count + 1, sizeof *t->names)) {
        free(copy);
        return DEFIDX_ENOMEM;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    t->names[t->count] = copy;
    t->lengths[t->count] = (uint32_t)n;
    t->slots[slot] = (uint32_t)++t->count;
    *id = (uint32_t)(t->count - 1);
    *added = 1;
    return 0;
}

void dfx_names_free(dfx_names *t)
{
    for (size_t j = 0; j < t->count; j++)
        free(t->names[j]);
    free(t->names);
    free(t->lengths);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
