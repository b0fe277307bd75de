/* test_keys.c: the ticker table both parsing threads share (src/fast/keys.c). A key must stand for one
 * ticker and one only, whatever the ticker's length, whichever thread met it first, and however
 * the table has grown; a second currency and one ticker too many must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fast/keys.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dfx_keys *new_keys(size_t most)
{
    dfx_keys *k = NULL;
    assert_int_equal(dfx_keys_new(most, &k), 0);
    return k;
}

static uint32_t key_of(dfx_keys *k, const char *ticker, const char *currency)
{
    uint32_t key = UINT32_MAX;
    assert_int_equal(dfx_keys_get(k, ticker, strlen(ticker), currency, UINT32_MAX, &key), 0);
    return key;
}

static void test_a_ticker_keeps_its_key_and_name(void **state)
{
    (void)state;
    dfx_keys *k = new_keys(100);
    assert_int_equal(key_of(k, "RHM.DE", "EUR"), 0);
    assert_int_equal(key_of(k, "BA.L", "GBX"), 1);
    assert_int_equal(key_of(k, "RHM.DE", "EUR"), 0);
    size_t n;
    assert_string_equal(dfx_keys_name(k, 1, &n), "BA.L");
    assert_int_equal(n, 4);
    assert_string_equal(dfx_keys_currency(k, 1), "GBX");
    dfx_keys_free(k);
}

/* Tickers that share their first and last 8 bytes, or are prefixes of each other, or differ in
 * one byte anywhere, at every length from 1 to 63: each its own key. Walked twice: the first time
 * each is added (keys 0, 1, 2... in this order), the second each is found, with its name. */
static void test_tickers_that_differ_anywhere_get_their_own_keys(void **state)
{
    (void)state;
    enum { LONGEST = 63 };
    dfx_keys *k = new_keys(100000);
    char text[LONGEST + 1];
    for (int walk = 0; walk < 2; walk++) {
        uint32_t next = 0;
        for (size_t n = 1; n <= LONGEST; n++) {
            /* "AAA...A" of length n, then each one-byte change of it ("BAA...A", "ABA...A", ...) */
            memset(text, 'A', n);
            text[n] = '\0';
            for (size_t at = 0; at <= n; at++) {
                if (at > 0)
                    text[at - 1] = 'B';
                size_t len;
                uint32_t key = key_of(k, text, NULL);
                assert_int_equal(key, next++);
                assert_string_equal(dfx_keys_name(k, key, &len), text);
                assert_int_equal(len, n);
                if (at > 0)
                    text[at - 1] = 'A';
            }
        }
        assert_int_equal(next, 63 + 63 * 64 / 2);
    }
    dfx_keys_free(k);
}

/* A guess is only a guess: a wrong one still finds the right key. */
static void test_a_wrong_guess_finds_the_right_key(void **state)
{
    (void)state;
    dfx_keys *k = new_keys(10);
    uint32_t a = key_of(k, "AIR.PA", "EUR"), b = key_of(k, "SAF.PA", "EUR"), key;
    assert_int_equal(dfx_keys_get(k, "SAF.PA", 6, "EUR", a, &key), 0);
    assert_int_equal(key, b);
    assert_int_equal(dfx_keys_get(k, "SAF.PA", 6, "EUR", b, &key), 0);
    assert_int_equal(key, b);
    assert_int_equal(dfx_keys_get(k, "HO.PA", 5, "EUR", b, &key), 0);
    assert_int_equal(key, 2);
    dfx_keys_free(k);
}

/* A ticker in a second currency, or another spelling of one, is refused, by hash and by guess. */
static void test_a_second_currency_is_refused(void **state)
{
    (void)state;
    dfx_keys *k = new_keys(10);
    uint32_t key = key_of(k, "BA.L", "GBX"), got;
    assert_int_equal(dfx_keys_get(k, "BA.L", 4, "GBp", UINT32_MAX, &got), DEFIDX_KEYS_OTHER_CURRENCY);
    assert_int_equal(dfx_keys_get(k, "BA.L", 4, "USD", key, &got), DEFIDX_KEYS_OTHER_CURRENCY);
    assert_int_equal(dfx_keys_get(k, "BA.L", 4, NULL, key, &got), DEFIDX_KEYS_OTHER_CURRENCY);
    assert_int_equal(dfx_keys_get(k, "BA.L", 4, "GBX", key, &got), 0);
    /* and the other way round: first without a currency */
    key = key_of(k, "SAAB-B.ST", NULL);
    assert_null(dfx_keys_currency(k, key));
    assert_int_equal(dfx_keys_get(k, "SAAB-B.ST", 9, "SEK", UINT32_MAX, &got), DEFIDX_KEYS_OTHER_CURRENCY);
    dfx_keys_free(k);
}

static void test_one_ticker_past_the_limit_is_refused(void **state)
{
    (void)state;
    dfx_keys *k = new_keys(3);
    key_of(k, "A", NULL);
    key_of(k, "B", NULL);
    key_of(k, "C", NULL);
    uint32_t key;
    assert_int_equal(dfx_keys_get(k, "D", 1, NULL, UINT32_MAX, &key), DEFIDX_KEYS_FULL);
    assert_int_equal(key_of(k, "B", NULL), 1); /* the known ones are still found */
    dfx_keys_free(k);
}

/* ---- two threads ------------------------------------------------------------------------------ */

#define SHARED_TICKERS 20000

typedef struct worker {
    dfx_keys *keys;
    int backwards;
    const char *currency;
    uint32_t key[SHARED_TICKERS]; /* the key each ticker got on this thread */
    int result[SHARED_TICKERS];   /* and what dfx_keys_get returned */
} worker;

static void ticker_name(int j, char *text, size_t size)
{
    snprintf(text, size, "T%05d.%s", j, j % 3 ? "DE" : "L");
}

/* Looks every ticker up, in this worker's order, then again with guesses: right ones (the key it
 * got the first time) for even tickers, wrong ones (the previous ticker's key) for odd ones. A guess
 * is always a key this thread was given, as the parser's are. */
static void *look_up_all(void *arg)
{
    worker *w = arg;
    char text[32];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < SHARED_TICKERS; i++) {
            int j = w->backwards ? SHARED_TICKERS - 1 - i : i;
            uint32_t guess = UINT32_MAX, key = UINT32_MAX;
            if (pass == 1 && w->result[j] == 0)
                guess = j % 2 == 0 || j == 0 || w->result[j - 1] ? w->key[j] : w->key[j - 1];
            ticker_name(j, text, sizeof text);
            int rc = dfx_keys_get(w->keys, text, strlen(text), w->currency, guess, &key);
            if (pass == 0) {
                w->result[j] = rc;
                w->key[j] = key;
            } else if (rc != w->result[j] || (rc == 0 && key != w->key[j])) {
                w->result[j] = -1; /* the second look-up disagrees with the first */
            }
        }
    return NULL;
}

/* Runs two workers at once over one table: forwards and backwards, in these currencies. */
static void run_two(dfx_keys *k, worker *w, const char *currency0, const char *currency1)
{
    pthread_t thread;
    w[0] = (worker){.keys = k, .backwards = 0, .currency = currency0};
    w[1] = (worker){.keys = k, .backwards = 1, .currency = currency1};
    assert_int_equal(pthread_create(&thread, NULL, look_up_all, &w[1]), 0);
    look_up_all(&w[0]);
    pthread_join(thread, NULL);
}

/* Two threads meet the same tickers in opposite orders, so that both add keys and grow the table
 * at once: each ticker has one key, the same on both, and the keys are 0 to N - 1. */
static void test_two_threads_agree_on_every_key(void **state)
{
    (void)state;
    dfx_keys *k = new_keys(SHARED_TICKERS);
    worker *w = calloc(2, sizeof *w);
    assert_non_null(w);
    run_two(k, w, "EUR", "EUR");
    unsigned char *seen = calloc(SHARED_TICKERS, 1);
    assert_non_null(seen);
    char text[32];
    for (int j = 0; j < SHARED_TICKERS; j++) {
        assert_int_equal(w[0].result[j], 0);
        assert_int_equal(w[1].result[j], 0);
        assert_int_equal(w[0].key[j], w[1].key[j]);
        assert_true(w[0].key[j] < SHARED_TICKERS);
        assert_false(seen[w[0].key[j]]);
        seen[w[0].key[j]] = 1;
        size_t n;
        ticker_name(j, text, sizeof text);
        assert_string_equal(dfx_keys_name(k, w[0].key[j], &n), text);
    }
    free(seen);
    free(w);
    dfx_keys_free(k);
}

/* The table holds fewer tickers than the two threads meet: they race for the last free keys. Each
 * ticker either has one key, the same on both threads, or is refused on both; and exactly as many
 * keys as the table holds are given. */
static void test_two_threads_share_the_last_keys(void **state)
{
    (void)state;
    enum { MOST = SHARED_TICKERS / 3 };
    dfx_keys *k = new_keys(MOST);
    worker *w = calloc(2, sizeof *w);
    assert_non_null(w);
    run_two(k, w, NULL, NULL);
    unsigned char *seen = calloc(MOST, 1);
    assert_non_null(seen);
    size_t given = 0;
    for (int j = 0; j < SHARED_TICKERS; j++) {
        assert_int_equal(w[0].result[j], w[1].result[j]);
        if (w[0].result[j] == DEFIDX_KEYS_FULL)
            continue;
        assert_int_equal(w[0].result[j], 0);
        assert_int_equal(w[0].key[j], w[1].key[j]);
        assert_true(w[0].key[j] < MOST);
        assert_false(seen[w[0].key[j]]);
        seen[w[0].key[j]] = 1;
        given++;
    }
    assert_int_equal(given, MOST);
    free(seen);
    free(w);
    dfx_keys_free(k);
}

/* Two threads meet the same tickers in two currencies: whichever adds a ticker keeps it, and the
 * other is refused it, on every ticker. */
static void test_two_threads_in_two_currencies_never_both_pass(void **state)
{
    (void)state;
    dfx_keys *k = new_keys(SHARED_TICKERS);
    worker *w = calloc(2, sizeof *w);
    assert_non_null(w);
    run_two(k, w, "EUR", "USD");
    for (int j = 0; j < SHARED_TICKERS; j++) {
        int eur = w[0].result[j], usd = w[1].result[j];
        assert_true((eur == 0 && usd == DEFIDX_KEYS_OTHER_CURRENCY) ||
                    (eur == DEFIDX_KEYS_OTHER_CURRENCY && usd == 0));
    }
    free(w);
    dfx_keys_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_ticker_keeps_its_key_and_name),
        cmocka_unit_test(test_tickers_that_differ_anywhere_get_their_own_keys),
        cmocka_unit_test(test_a_wrong_guess_finds_the_right_key),
        cmocka_unit_test(test_a_second_currency_is_refused),
        cmocka_unit_test(test_one_ticker_past_the_limit_is_refused),
        cmocka_unit_test(test_two_threads_agree_on_every_key),
        cmocka_unit_test(test_two_threads_share_the_last_keys),
        cmocka_unit_test(test_two_threads_in_two_currencies_never_both_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
