/* blocks.h: a plain long CSV file cut into blocks, each read and parsed by fastcsv on one of both
 * cores: a worker thread parses the blocks ahead while the caller uses the rows of the current one
 * (and parses a block itself when the worker has not reached it). Rows come out in file order,
 * each with its ticker resolved to a key. */
#ifndef DEFIDX_BLOCKS_H
#define DEFIDX_BLOCKS_H

#include "fast/fastcsv.h"
#include "fast/keys.h"
#include "util/pages.h"

typedef struct dfx_blocks dfx_blocks;

/* A row as the thread that uses it needs it: 32 bytes, and no pointer into the text, which is in
 * the cache of the core that parsed it. */
typedef struct dfx_block_row {
    double close, shares, free_float; /* NAN when the column is absent */
    uint32_t key;                     /* the ticker's, in dfx_blocks_keys */
    int32_t date;                     /* days since 1970-01-01 */
} dfx_block_row;

/* The rows of one block, valid until the next call to dfx_blocks_next. */
typedef struct dfx_block_rows {
    const dfx_block_row *rows;
    size_t count;
    /* The line after these rows is not one to read in one pass: fastcsv declines it, it is too
     * long, its ticker is one too many or in a second currency (keys.h), or the file's size
     * changed while it was read. */
    int declined;
    /* some row's decimal_point_shown, separator_ambiguous (fastcsv.h) */
    int decimal_point_shown, separator_ambiguous;
} dfx_block_rows;

/* Starts reading the regular file fd from its start (by pread: fd's offset is not used): its
 * first line must be a plain header (else 1, and nothing is started). A block read when the file's
 * size is no longer the one taken here is declined. threads: 1 reads on the caller's thread only;
 * 2 adds a worker. Returns 0, 1 or DEFIDX_ENOMEM / DEFIDX_EINPUT (a read error). */
int dfx_blocks_start(int fd, int threads, dfx_blocks **out);
/* The same with blocks of block_bytes instead of 1 MiB (tests cut files at every offset). */
int dfx_blocks_start_sized(int fd, int threads, size_t block_bytes, dfx_blocks **out);
const dfx_fastcsv_layout *dfx_blocks_layout(const dfx_blocks *b);
/* The tickers of the rows handed out: each row's key is one of these (see keys.h). */
const dfx_keys *dfx_blocks_keys(const dfx_blocks *b);
/* The next block's rows: 0, 1 at the end of the file, or DEFIDX_EINPUT / DEFIDX_ENOMEM. */
int dfx_blocks_next(dfx_blocks *b, dfx_block_rows *rows);
/* Stops the worker and frees everything; b may be NULL. */
void dfx_blocks_stop(dfx_blocks *b);

#endif
