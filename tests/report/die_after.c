/* die_after.c: an LD_PRELOAD shim for tests/report/killed.sh and signalled.sh. It wraps rename()
 * and renameat2() (the swap of a rerun's bundle) and raises a signal on the Nth call of either,
 * before that rename happens, N taken from the environment variable DEFIDX_DIE_AT_RENAME (unset or
 * 0: never), the signal's number from DEFIDX_DIE_SIGNAL (unset: SIGKILL). A run of `defidx` can
 * then be stopped between any two of its atomic steps, as a power cut or the OOM killer would stop
 * it (SIGKILL), or as Ctrl-C or a service manager would (SIGINT, SIGTERM, SIGHUP). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long calls;

/* Raises the signal when this is the Nth rename of the run. */
static void maybe_die(void)
{
    const char *n = getenv("DEFIDX_DIE_AT_RENAME");
    const char *sig = getenv("DEFIDX_DIE_SIGNAL");
    if (n && ++calls == strtol(n, NULL, 10))
        raise(sig && *sig ? (int)strtol(sig, NULL, 10) : SIGKILL);
}

int renameat2(int from_dir, const char *from, int to_dir, const char *to, unsigned int flags)
{
    static int (*real)(int, const char *, int, const char *, unsigned int);
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "renameat2");
        if (!sym) {
            errno = ENOSYS;
            return -1;
        }
        memcpy(&real, &sym, sizeof real);
    }
    maybe_die();
    return real(from_dir, from, to_dir, to, flags);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real) {
        /* Through memcpy: ISO C has no conversion from dlsym's void * to a function pointer. */
        void *sym = dlsym(RTLD_NEXT, "rename");
        if (!sym) {
            errno = ENOSYS;
            return -1;
        }
        memcpy(&real, &sym, sizeof real);
    }
    maybe_die();
    return real(from, to);
}
