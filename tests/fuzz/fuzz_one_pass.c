/* fuzz_one_pass.c: a differential libFuzzer target (-DDEFIDX_FUZZ=ON) for the one-pass reader.
 * Each input is written to a file and computed twice by defidx_compute_file: as it is (the one
 * pass, with the worker thread forced, or the per-ticker collection, or a decline) and with the
 * load option reader = DEFIDX_READER_PANEL (the panel). The two must agree: the same status and
 * error message, and on success the same dates, levels, divisors, constituents and warnings, to the bit. Any difference
 * stops the fuzzer. The input's first byte picks the weighting and whether the rebalance is
 * monthly, so that the engine's paths are fuzzed too. */
#define _POSIX_C_SOURCE 200809L
#include "defidx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file the inputs are written to, made once per process and removed at its exit. */
static char path[64];

static void remove_file(void)
{
    unlink(path);
}

static int write_input(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/defidx-fuzz-%ld.csv", (long)getpid());
        atexit(remove_file);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int compute(int reader, int threads, const defidx_options *o, defidx_result **r, defidx_error *err)
{
    defidx_load_options load;
    defidx_load_options_init(&load);
    load.reader = reader;
    load.threads = threads;
    defidx_warnings w = {0};
    defidx_error_clear(err);
    int rc = defidx_compute_file(path, &load, NULL, NULL, o, r, &w, err);
    defidx_warnings_free(&w);
    return rc;
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

/* Stops the fuzzer when the two results differ anywhere the report shows. */
static void compare(const defidx_result *a, const defidx_result *b)
{
    int same = a->date_count == b->date_count && a->constituent_count == b->constituent_count &&
               a->warnings.count == b->warnings.count && a->weighting == b->weighting &&
               memcmp(a->dates, b->dates, a->date_count * sizeof *a->dates) == 0 &&
               same_doubles(a->levels, b->levels, a->date_count) &&
               same_doubles(a->divisors, b->divisors, a->date_count);
    for (size_t i = 0; same && i < a->constituent_count; i++) {
        const defidx_constituent *x = &a->constituents[i], *y = &b->constituents[i];
        same = strcmp(x->ticker, y->ticker) == 0 && memcmp(&x->weight, &y->weight, sizeof x->weight) == 0 &&
               memcmp(&x->price, &y->price, sizeof x->price) == 0;
    }
    for (size_t i = 0; same && i < a->warnings.count; i++)
        same = strcmp(a->warnings.items[i], b->warnings.items[i]) == 0;
    if (!same) {
        fprintf(stderr, "fuzz_one_pass: the one pass and the panel differ\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || write_input(data + 1, size - 1) != 0)
        return 0;
    static const int weightings[] = {DEFIDX_WEIGHT_DEFAULT, DEFIDX_WEIGHT_MCAP, DEFIDX_WEIGHT_EQUAL, DEFIDX_WEIGHT_PRICE};
    defidx_options o;
    defidx_options_init(&o);
    o.weighting = weightings[data[0] & 3];
    o.rebalance = data[0] & 4 ? DEFIDX_REBALANCE_MONTHLY : DEFIDX_REBALANCE_NONE;
    int threads = data[0] & 8 ? 2 : 1;
    defidx_result *a = NULL, *b = NULL;
    defidx_error ea, eb;
    int ra = compute(DEFIDX_READER_AUTO, threads, &o, &a, &ea), rb = compute(DEFIDX_READER_PANEL, threads, &o, &b, &eb);
    if (ra != rb || (ra && strcmp(ea.message, eb.message) != 0)) {
        fprintf(stderr, "fuzz_one_pass: status %d (%s) against the panel's %d (%s)\n", ra, ea.message, rb, eb.message);
        abort();
    }
    if (!ra)
        compare(a, b);
    defidx_result_free(a);
    defidx_result_free(b);
    return 0;
}
