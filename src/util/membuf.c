/* membuf.c: a memory stream over fopencookie whose writes fail, as the stream's error, when the
 * buffer cannot grow: an emitter writing into memory then fails like one writing to a full disk,
 * never with bytes missing. */
#define _GNU_SOURCE /* fopencookie */
#include "util/membuf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Appends size bytes; 0 (which glibc takes as an error of the stream) when the buffer cannot grow. */
static ssize_t membuf_write(void *cookie, const char *data, size_t size)
{
    dfx_membuf *b = cookie;
    if (b->failed || dfx_grow((void **)&b->data, &b->capacity, b->len + size + 1, 1)) {
        b->failed = 1;
        return 0;
    }
    memcpy(b->data + b->len, data, size);
    b->len += size;
    b->data[b->len] = '\0';
    return (ssize_t)size;
}

FILE *dfx_membuf_open(dfx_membuf *b)
{
    memset(b, 0, sizeof *b);
    cookie_io_functions_t io = {.write = membuf_write};
    return fopencookie(b, "w", io);
}

int dfx_membuf_close(FILE *f, dfx_membuf *b)
{
    int failed = ferror(f);
    failed |= fclose(f) != 0; /* the last of the stream's buffer is written here */
    if (!failed && !b->failed && !b->data && !dfx_grow((void **)&b->data, &b->capacity, 1, 1))
        b->data[0] = '\0';
    if (failed || b->failed || !b->data) {
        free(b->data);
        memset(b, 0, sizeof *b);
        return DEFIDX_ENOMEM;
    }
    return 0;
}
