/* fail_alloc.c: an LD_PRELOAD shim for tests/alloc/check.sh. malloc, calloc and realloc fail (NULL,
 * errno ENOMEM) at their Nth call in the process, N from the environment variable
 * DEFIDX_FAIL_ALLOC_AT (unset or 0: never); the others go to glibc's allocator, __libc_malloc and
 * its kin, so that nothing is looked up (dlsym itself may allocate) and free stays glibc's. With
 * DEFIDX_FAIL_ALLOC_COUNT=FILE the process writes how many calls it made into FILE at exit, so
 * that the script knows when N has passed the last. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t size);

static long calls, fail_at = -1;

/* 1 when this call is the one to fail. getenv allocates nothing. */
static int fail_now(void)
{
    if (fail_at < 0) {
        const char *n = getenv("DEFIDX_FAIL_ALLOC_AT");
        fail_at = n ? strtol(n, NULL, 10) : 0;
    }
    if (++calls != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t size)
{
    return fail_now() ? NULL : __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    return fail_now() ? NULL : __libc_calloc(count, size);
}

void *realloc(void *p, size_t size)
{
    return fail_now() ? NULL : __libc_realloc(p, size);
}

/* Writes the count with open and write: stdio would allocate, and count itself. */
__attribute__((destructor)) static void write_count(void)
{
    const char *path = getenv("DEFIDX_FAIL_ALLOC_COUNT");
    if (!path)
        return;
    char text[32];
    int n = snprintf(text, sizeof text, "%ld\n", calls);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    if (write(fd, text, (size_t)n) != n)
        (void)0; /* the script then reads no count and fails */
    close(fd);
}
