/* blocks.h: a plain long CSV file read in blocks of whole lines and parsed by fastcsv on both
 * cores: a worker thread parses the blocks ahead while the caller uses the rows of the current one
 * (and parses a block itself when the worker has not reached it). Rows come out in file order. */
#ifndef DEFIDX_BLOCKS_H
#define DEFIDX_BLOCKS_H

#include "fastcsv.h"

typedef struct defidx_blocks defidx_blocks;

/* bytes in 2 MiB pages where the kernel gives them for the asking (rounded up to 2 MiB; less than
 * that is a plain malloc), freed with free(): large buffers touched once each, for which a page
 * fault per 4 KiB costs more than parsing what the page holds on a virtual machine (issue 5: 19 ms
 * of a 26 ms run on 45 thousand rows). NULL when out of memory. */
void *defidx_alloc_huge(size_t bytes);

/* The rows of one block, valid until the next call to defidx_blocks_next. */
typedef struct defidx_block_rows {
    const defidx_fastcsv_row *rows;
    size_t count;
    int declined;  /* the line after these rows is not one fastcsv reads (or is too long) */
} defidx_block_rows;

/* Starts reading fd from its current offset: its first line must be a plain header (else 1, and
 * nothing is started). threads: 1 reads on the caller's thread only; 2 adds a worker. Returns 0, 1
 * or DEFIDX_ENOMEM / DEFIDX_EINPUT (a read error). */
int defidx_blocks_start(int fd, int threads, defidx_blocks **out);
const defidx_fastcsv_layout *defidx_blocks_layout(const defidx_blocks *b);
/* The next block's rows: 0, 1 at the end of the file, or DEFIDX_EINPUT / DEFIDX_ENOMEM. */
int defidx_blocks_next(defidx_blocks *b, defidx_block_rows *rows);
/* Stops the worker and frees everything; b may be NULL. */
void defidx_blocks_stop(defidx_blocks *b);

#endif
