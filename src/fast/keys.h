/* keys.h: the tickers of a file that both parsing threads read (blocks.c), shared between them.
 * Each row's ticker becomes a key (0, 1, 2... in the order the threads first met them, which need
 * not be the file's order), found without a lock; only a ticker not seen before takes one. The
 * thread that parsed a line resolves its ticker there, from bytes in its own cache, so that the
 * thread using the rows compares no text (measured: the comparison, from the other core's cache,
 * was a tenth of that thread's time).
 *
 * A key also keeps the currency its ticker was first seen with: a row in another currency (or
 * spelling) is refused, whichever thread sees it, as the one pass must leave such a file to the
 * general path whatever order its rows come in. */
#ifndef DEFIDX_KEYS_H
#define DEFIDX_KEYS_H

#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

enum {
    DEFIDX_KEYS_FULL = 1,          /* more than `most` tickers */
    DEFIDX_KEYS_OTHER_CURRENCY = 2 /* the ticker was first seen with another currency */
};

/* A ticker of n bytes is told from others by its first and last 8 bytes (overlapping when
 * n < 16) without reading its text; a longer one is compared in full. */
typedef struct dfx_key_entry {
    uint64_t head, tail;
    char *name;
    char currency[4]; /* "" when the file has no currency column */
    uint32_t length;
} dfx_key_entry;

/* Laid out here so that the look-up by guess, done for every row, is inlined (keys.c's own). */
typedef struct dfx_keys {
    _Atomic(struct dfx_keys_table *) current;
    dfx_key_entry *entries; /* most of them, never moved; pages are touched as tickers come */
    size_t most;
    size_t count;              /* under lock */
    pthread_mutex_t lock;
} dfx_keys;

/* A table for at most `most` tickers. 0 or DEFIDX_ENOMEM. */
int dfx_keys_new(size_t most, dfx_keys **out);
void dfx_keys_free(dfx_keys *k);

/* The head and tail words of s (n >= 1 bytes), read in fixed-size loads of those bytes only. */
static inline void dfx_keys_words(const char *s, size_t n, uint64_t *head, uint64_t *tail)
{
    uint32_t a, b;
    if (n >= 8) {
        memcpy(head, s, 8);
        memcpy(tail, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        *head = a | (uint64_t)b << 32;
        *tail = 0;
    } else {
        *head = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                (uint64_t)(unsigned char)s[n - 1] << 16;
        *tail = 0;
    }
}

/* 1 when entry e is the ticker s (n bytes, with these words). */
static inline int dfx_keys_same(const dfx_key_entry *e, const char *s, size_t n, uint64_t head,
                                   uint64_t tail)
{
    return e->head == head && e->tail == tail && e->length == n && (n <= 16 || memcmp(e->name, s, n) == 0);
}

/* 1 when currency (3 bytes, or NULL) is the one entry e was first seen with. */
static inline int dfx_keys_currency_is(const dfx_key_entry *e, const char *currency)
{
    return currency ? e->currency[0] && memcmp(e->currency, currency, 3) == 0 : e->currency[0] == '\0';
}

/* dfx_keys_get without a guess, given s's words: the hash, and the lock to add. */
int dfx_keys_look_up(dfx_keys *k, const char *s, size_t n, const char *currency, uint64_t head,
                        uint64_t tail, uint32_t *key);

/* The key of ticker s (n >= 1 bytes), added when new with currency (3 bytes, or NULL for
 * none). guess is a key this thread has had before that s is likely to be, tried first: a
 * comparison of two words instead of a hash and a probe (UINT32_MAX: none). Returns 0,
 * DEFIDX_KEYS_FULL, DEFIDX_KEYS_OTHER_CURRENCY or DEFIDX_ENOMEM. Safe to call from several
 * threads at once. */
static inline int dfx_keys_get(dfx_keys *k, const char *s, size_t n, const char *currency,
                                  uint32_t guess, uint32_t *key)
{
    uint64_t head, tail;
    dfx_keys_words(s, n, &head, &tail);
    if (guess != UINT32_MAX && dfx_keys_same(&k->entries[guess], s, n, head, tail)) {
        *key = guess;
        return dfx_keys_currency_is(&k->entries[guess], currency) ? 0 : DEFIDX_KEYS_OTHER_CURRENCY;
    }
    return dfx_keys_look_up(k, s, n, currency, head, tail, key);
}

/* A key's ticker (NUL-terminated, *n bytes) and currency (3 letters and a NUL, or NULL), valid
 * until dfx_keys_free. For a key that dfx_keys_get gave this thread or, through a lock or a
 * thread join, another. */
const char *dfx_keys_name(const dfx_keys *k, uint32_t key, size_t *n);
const char *dfx_keys_currency(const dfx_keys *k, uint32_t key);

#endif
