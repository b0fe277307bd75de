/* membuf.h: a stream that writes into memory and fails like a full disk when memory runs out. */
#ifndef DEFIDX_MEMBUF_H
#define DEFIDX_MEMBUF_H

#include "internal.h"

#include <stdio.h>

/* What a memory stream wrote: data (NUL-terminated) and its length. */
typedef struct dfx_membuf {
    char *data;
    size_t len, capacity;
    int failed; /* a write found no memory to grow into */
} dfx_membuf;

/* Opens a stream that writes into b (which it zeroes); NULL when out of memory. Unlike
 * open_memstream, whose glibc version drops what it cannot grow for without setting the stream's
 * error and frees the text when its close cannot trim it, a write without memory is a failed
 * write here. */
FILE *dfx_membuf_open(dfx_membuf *b);

/* Closes f, opened on b. Returns 0 with b->data the whole text (the caller frees it; "" when
 * nothing was written), or DEFIDX_ENOMEM with b zeroed when any write or the close failed. */
int dfx_membuf_close(FILE *f, dfx_membuf *b);

#endif
