/* fuzz_files.c: libFuzzer targets for the other input files, one parser per build (-DDEFIDX_FUZZ=ON):
 * fuzz_spec (FUZZ_SPEC: the index definition), fuzz_actions (FUZZ_ACTIONS: corporate actions),
 * fuzz_fx (FUZZ_FX: ECB rates). Each input is copied to an exact-size buffer without a terminating
 * NUL; besides the sanitizers, a target stops on a status the contract does not allow or an error
 * without a message. */
#include "defidx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    defidx_error err;
    defidx_error_clear(&err);
#if defined(FUZZ_SPEC)
    defidx_spec *s = NULL;
    int rc = defidx_spec_parse(&s, "fuzz.json", text, size, &err);
    defidx_spec_free(s);
#elif defined(FUZZ_ACTIONS)
    defidx_actions *a = NULL;
    defidx_warnings w = {0};
    int rc = defidx_actions_parse(&a, "fuzz.csv", text, size, &w, &err);
    defidx_actions_free(a);
    defidx_warnings_free(&w);
#else
    defidx_fx *fx = NULL;
    int rc = defidx_fx_parse(&fx, "fuzz.csv", text, size, &err);
    double factor;
    if (!rc) /* a lookup on a table that parsed must answer without crashing */
        defidx_fx_factor(fx, "GBX", "USD", 19000, &factor, NULL);
    defidx_fx_free(fx);
#endif
    free(text);
    if (rc && rc != DEFIDX_EDATA && rc != DEFIDX_EINPUT && rc != DEFIDX_EUSAGE) {
        fprintf(stderr, "unexpected status %d: %s\n", rc, err.message);
        abort();
    }
    if (rc && !err.message[0]) {
        fprintf(stderr, "status %d without a message\n", rc);
        abort();
    }
    return 0;
}
