/* keys.c: see keys.h. An open-addressing hash of slots (key + 1, 0 = empty) over an array of
 * entries that never moves. A look-up reads the current table without a lock; adding takes the
 * lock, looks again and appends. When the table fills up it is copied into one twice the size,
 * which is then published; the old one stays valid (and is freed at the end), so a thread still
 * probing it either finds its key there, which is the same key, or misses and retries under the
 * lock in the new one. Starting small keeps a file of a few hundred tickers to a page or two. */
#include "fast/keys.h"
#include "util/pages.h"

#include <stdlib.h>
#include <string.h>

typedef struct dfx_keys_table {
    struct dfx_keys_table *older; /* kept until the end: another thread may still be reading it */
    size_t mask;
    _Atomic uint32_t slots[];
} table;

#define FIRST_SLOTS 1024

static size_t home_of(const table *t, uint64_t head, uint64_t tail, size_t n)
{
    /* splitmix64's finish: every bit of the words moves the low bits the mask keeps (a plain
     * product's middle bits saw only the first six bytes, and tickers that share them probed long) */
    uint64_t h = head * 0x9E3779B97F4A7C15ULL ^ (tail + n) * 0xC2B2AE3D27D4EB4FULL;
    h = (h ^ h >> 30) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ h >> 27) * 0x94D049BB133111EBULL;
    return (size_t)(h ^ h >> 31) & t->mask;
}

/* The key of s in t (a slot's value: key + 1), or 0 with *at at the empty slot where it would go. */
static uint32_t probe(const dfx_keys *k, const table *t, const char *s, size_t n, uint64_t head,
                      uint64_t tail, size_t *at)
{
    for (size_t i = home_of(t, head, tail, n);; i = (i + 1) & t->mask) {
        uint32_t v = atomic_load_explicit(&t->slots[i], memory_order_acquire);
        if (!v || dfx_keys_same(&k->entries[v - 1], s, n, head, tail)) {
            *at = i;
            return v;
        }
    }
}

static table *new_table(size_t slots, table *older)
{
    table *t = calloc(1, sizeof *t + slots * sizeof t->slots[0]);
    if (t) {
        t->mask = slots - 1;
        t->older = older;
    }
    return t;
}

/* Under the lock: a table twice the size holding every key, published. 0 or DEFIDX_ENOMEM. */
static int grow(dfx_keys *k, table *t)
{
    table *bigger = new_table((t->mask + 1) * 2, t);
    if (!bigger)
        return DEFIDX_ENOMEM;
    for (size_t j = 0; j < k->count; j++) {
        const dfx_key_entry *e = &k->entries[j];
        size_t i = home_of(bigger, e->head, e->tail, e->length);
        while (atomic_load_explicit(&bigger->slots[i], memory_order_relaxed))
            i = (i + 1) & bigger->mask;
        atomic_store_explicit(&bigger->slots[i], (uint32_t)j + 1, memory_order_relaxed);
    }
    atomic_store_explicit(&k->current, bigger, memory_order_release);
    return 0;
}

/* Under the lock: adds s when no thread has meanwhile. Returns 0 with *key, or an error. */
static int add(dfx_keys *k, const char *s, size_t n, const char *currency, uint64_t head, uint64_t tail,
               uint32_t *key)
{
    table *t = atomic_load_explicit(&k->current, memory_order_relaxed);
    size_t at;
    uint32_t v = probe(k, t, s, n, head, tail, &at);
    if (v) {
        *key = v - 1;
        return 0;
    }
    if (k->count == k->most)
        return DEFIDX_KEYS_FULL;
    if ((k->count + 1) * 2 > t->mask + 1) {
        if (grow(k, t))
            return DEFIDX_ENOMEM;
        t = atomic_load_explicit(&k->current, memory_order_relaxed);
        (void)probe(k, t, s, n, head, tail, &at);
    }
    dfx_key_entry *e = &k->entries[k->count];
    if (!(e->name = malloc(n + 1)))
        return DEFIDX_ENOMEM;
    memcpy(e->name, s, n);
    e->name[n] = '\0';
    if (currency)
        memcpy(e->currency, currency, 3);
    e->head = head;
    e->tail = tail;
    e->length = (uint32_t)n;
    *key = (uint32_t)k->count++;
    /* the entry is written before the slot that leads to it is seen */
    atomic_store_explicit(&t->slots[at], *key + 1, memory_order_release);
    return 0;
}

int dfx_keys_new(size_t most, dfx_keys **out)
{
    dfx_keys *k = calloc(1, sizeof *k);
    table *t = new_table(FIRST_SLOTS, NULL);
    dfx_key_entry *entries = dfx_pages_zeroed(most * sizeof *entries);
    if (!k || !t || !entries) {
        free(k);
        free(t);
        dfx_pages_free(entries, most * sizeof *entries);
        return DEFIDX_ENOMEM;
    }
    atomic_init(&k->current, t);
    k->entries = entries;
    k->most = most;
    pthread_mutex_init(&k->lock, NULL);
    *out = k;
    return 0;
}

void dfx_keys_free(dfx_keys *k)
{
    if (!k)
        return;
    for (table *t = atomic_load(&k->current), *older; t; t = older) {
        older = t->older;
        free(t);
    }
    for (size_t j = 0; j < k->count; j++)
        free(k->entries[j].name);
    dfx_pages_free(k->entries, k->most * sizeof *k->entries);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

int dfx_keys_look_up(dfx_keys *k, const char *s, size_t n, const char *currency, uint64_t head,
                        uint64_t tail, uint32_t *key)
{
    size_t at;
    uint32_t v = probe(k, atomic_load_explicit(&k->current, memory_order_acquire), s, n, head, tail, &at);
    if (v) {
        *key = v - 1;
    } else {
        pthread_mutex_lock(&k->lock);
        int rc = add(k, s, n, currency, head, tail, key);
        pthread_mutex_unlock(&k->lock);
        if (rc)
            return rc;
    }
    return dfx_keys_currency_is(&k->entries[*key], currency) ? 0 : DEFIDX_KEYS_OTHER_CURRENCY;
}

const char *dfx_keys_name(const dfx_keys *k, uint32_t key, size_t *n)
{
    *n = k->entries[key].length;
    return k->entries[key].name;
}

const char *dfx_keys_currency(const dfx_keys *k, uint32_t key)
{
    return k->entries[key].currency[0] ? k->entries[key].currency : NULL;
}
