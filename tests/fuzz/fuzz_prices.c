/* fuzz_prices.c: a libFuzzer target for the price loaders. Built twice by -DDEFIDX_FUZZ=ON (clang):
 * fuzz_csv (defidx_load_csv_opt) and fuzz_json (FUZZ_JSON: defidx_load_json_opt). The first input
 * byte picks the load options, so the overrides are fuzzed too; the rest is the file. Besides what
 * the sanitizers catch, it stops on a loader result the contract forbids: an unexpected status, an
 * empty message, or a panel holding a price, share count or free float outside its range. */
#include "defidx.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const defidx_panel *p, int rc, const defidx_error *err)
{
    if (rc && rc != DEFIDX_EDATA && rc != DEFIDX_EINPUT && rc != DEFIDX_EUSAGE) {
        fprintf(stderr, "unexpected status %d: %s\n", rc, err->message);
        abort();
    }
    if (rc && !err->message[0]) {
        fprintf(stderr, "status %d without a message\n", rc);
        abort();
    }
    for (size_t j = 0; !rc && j < defidx_panel_ticker_count(p); j++) {
        if (!defidx_panel_ticker(p, j)[0]) {
            fprintf(stderr, "empty ticker\n");
            abort();
        }
        for (size_t i = 0; i < defidx_panel_date_count(p); i++) {
            double x = defidx_panel_price(p, j, i), s = defidx_panel_shares(p, j, i);
            double f = defidx_panel_free_float(p, j, i);
            if ((!isnan(x) && !(isfinite(x) && x > 0)) || (!isnan(s) && !(isfinite(s) && s > 0)) ||
                (!isnan(f) && !(f > 0 && f <= 1))) {
                fprintf(stderr, "value out of range: price %g shares %g free float %g\n", x, s, f);
                abort();
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char delimiters[4] = {0, ',', ';', '\t'};
    static const char marks[4] = {0, 0, '.', ','};
    static const char *const date_formats[4] = {NULL, NULL, "%d.%m.%Y", "%b %d, %Y"};
    uint8_t o = data[0];
    defidx_load_options opt;
    defidx_load_options_init(&opt);
    opt.delimiter = delimiters[o & 3];
    opt.decimal_mark = marks[(o >> 2) & 3];
    opt.date_format = date_formats[(o >> 4) & 3];
    opt.ticker = (o & 0x40) ? "TKR" : NULL;
    opt.price_field = (o & 0x80) ? DEFIDX_FIELD_ADJ_CLOSE : DEFIDX_FIELD_CLOSE;
    /* An exact-size copy without a terminating NUL, so a read past the length is caught. */
    size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, len);
    defidx_panel *p = defidx_panel_new();
    defidx_warnings w = {0};
    defidx_error err;
    defidx_error_clear(&err);
#ifdef FUZZ_JSON
    int rc = defidx_load_json(p, "fuzz.json", text, len, &opt, &w, &err);
#else
    int rc = defidx_load_csv(p, "fuzz.csv", text, len, &opt, &w, &err);
#endif
    free(text);
    if (!rc)
        rc = defidx_panel_finish(p, &w, &err);
    check(p, rc, &err);
    defidx_warnings_free(&w);
    defidx_panel_free(p);
    return 0;
}
