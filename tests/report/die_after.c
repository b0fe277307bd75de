/* die_after.c: an LD_PRELOAD shim for tests/report/killed.sh. It wraps rename() and kills the
 * process with SIGKILL on the Nth call, before that rename happens, N taken from the environment
 * variable DEFIDX_DIE_AT_RENAME (unset or 0: never). A run of `defidx report` can then be stopped
 * between any two of its atomic steps, as a power cut or the OOM killer would stop it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    static long calls;
    if (!real) {
        /* Through memcpy: ISO C has no conversion from dlsym's void * to a function pointer. */
        void *sym = dlsym(RTLD_NEXT, "rename");
        if (!sym) {
            errno = ENOSYS;
            return -1;
        }
        memcpy(&real, &sym, sizeof real);
    }
    const char *n = getenv("DEFIDX_DIE_AT_RENAME");
    if (n && ++calls == strtol(n, NULL, 10))
        raise(SIGKILL);
    return real(from, to);
}
