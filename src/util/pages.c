/* pages.c: see pages.h. */
#define _GNU_SOURCE /* madvise, MADV_HUGEPAGE, MAP_ANONYMOUS */
#include "util/pages.h"

#include <stdlib.h>
#include <sys/mman.h>

void *dfx_alloc_huge(size_t bytes)
{
    const size_t huge = 2u << 20;
    if (bytes < huge)
        return malloc(bytes ? bytes : 1); /* less than a page of 2 MiB: small pages will do */
    void *p = NULL;
    bytes = (bytes + huge - 1) / huge * huge;
    if (posix_memalign(&p, huge, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint: without it the pages are small */
#endif
    return p;
}

void *dfx_pages_zeroed(size_t bytes)
{
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void dfx_pages_free(void *p, size_t bytes)
{
    if (p)
        (void)munmap(p, bytes ? bytes : 1);
}
