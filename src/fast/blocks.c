/* blocks.c: see blocks.h. The file after its header is cut into blocks at fixed offsets, and a
 * block holds the lines that start in it; whichever thread parses a block reads it itself (pread)
 * into its slot of a ring of SLOTS, so that the bytes are parsed from the cache of the core that
 * copied them. The caller takes the blocks in order, reading and parsing one itself when the
 * worker has not claimed it; the worker claims the newest block not yet claimed. So the two parse
 * from opposite ends of the ring and meet where their speeds balance: the caller, which also uses
 * the rows, parses fewer blocks, and neither core waits for the other for long. */
#define _POSIX_C_SOURCE 200809L /* pread */
#include "fast/blocks.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK_BYTES ((size_t)1 << 20)
/* A block is read with this much of the next one: enough to end its last line, which fastcsv
 * would decline anyway if it were longer (a ticker of 63 bytes and numbers of 40 at most). */
#define OVERLAP_BYTES ((size_t)4096)
#define SLOTS 6
/* The shortest data line fastcsv reads is 14 bytes ("2025-01-02,X,1"), so a block of n bytes holds
 * at most this many rows: each slot's rows are laid out once, never grown. */
#define ROWS_IN(n) ((n) / 14 + 1)

/* FREE: no block; READY: block seq is to be read and parsed; PARSING: a thread is at it; PARSED:
 * the worker is done with it. A block the caller parses itself stays PARSING until it is freed. */
enum slot_state { SLOT_FREE = 0, SLOT_READY, SLOT_PARSING, SLOT_PARSED };

typedef struct slot {
    char *data;               /* block_bytes + OVERLAP_BYTES + 1 of them */
    dfx_block_row *rows;   /* ROWS_IN(block_bytes) of them */
    size_t count;
    int declined, shown, ambiguous;
    int error;                /* DEFIDX_EINPUT when the read failed, DEFIDX_ENOMEM */
    int state;
    size_t seq;
} slot;

struct dfx_blocks {
    int fd;
    size_t block_bytes;       /* BLOCK_BYTES, or less for a file that fits in one block */
    int has_worker, stop;
    off_t size;               /* the file's size when started */
    off_t first_line;         /* where the line after the header starts */
    size_t block_count;       /* blocks in the file as its size was when started */
    char *data;               /* every slot's bytes, in one region */
    dfx_block_row *rows;   /* every slot's rows, in one region */
    dfx_fastcsv_layout layout;
    dfx_keys *keys;
    /* Per thread (the caller's, the worker's): the key + 1 that followed each key, when last seen.
     * A date-sorted file lists about the same tickers in the same order every date, so this is
     * the first guess for a row's ticker (a gap or a new listing costs one hash look-up). */
    uint32_t *follower[2];
    slot slots[SLOTS];
    size_t next_ready, next_take; /* sequence numbers: the next block to set ready, to hand out */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t worker;
};

/* Reads up to want bytes at offset into buf; the count read (less at the end of the file), or -1. */
static ssize_t read_at(int fd, char *buf, size_t want, off_t offset)
{
    size_t have = 0;
    while (have < want) {
        ssize_t got = pread(fd, buf + have, want - have, offset + (off_t)have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        have += (size_t)got;
    }
    return (ssize_t)have;
}

/* The offset of the first line that starts in block seq, within what was read of it (the block's
 * first byte is data[1] after the first block: data[0] is the byte before it, which tells whether
 * a line starts right at the block). Returns have when no line starts in the block. */
static size_t first_line_in(const char *data, size_t have, size_t seq)
{
    if (seq == 0)
        return 0;
    const char *nl = memchr(data, '\n', have);
    return nl ? (size_t)(nl - data) + 1 : have;
}

/* Reads block s->seq into s->data: the byte before it (after the first block), the block and
 * OVERLAP_BYTES after it, or up to the end of the file. Sets *have to the bytes read and returns 0;
 * DEFIDX_EINPUT on a read error; 1 when the file is no longer as long as it was at the start (still
 * being written, or cut): its lines could be cut short or go unread, so the general path reads it. */
static int read_block(const dfx_blocks *b, const slot *s, size_t *have)
{
    size_t lead = s->seq ? 1 : 0;
    off_t offset = b->first_line + (off_t)(s->seq * b->block_bytes) - (off_t)lead;
    size_t want = lead + b->block_bytes + OVERLAP_BYTES;
    ssize_t got = read_at(b->fd, s->data, want, offset);
    if (got < 0)
        return DEFIDX_EINPUT;
    *have = (size_t)got;
    off_t expected = b->size - offset < (off_t)want ? b->size - offset : (off_t)want;
    return (off_t)got == expected ? 0 : 1;
}

/* Parses the lines that start in block s->seq, of the have bytes read, into its rows, up to the
 * first line fastcsv does not read or whose ticker keys.c refuses. follower: this thread's guesses. */
static void parse_block(const dfx_blocks *b, slot *s, size_t have, uint32_t *follower)
{
    /* Counted in locals and stored once: the slots share cache lines, which the other thread reads. */
    size_t lead = s->seq ? 1 : 0, limit = lead + b->block_bytes, stop = have, count = 0;
    /* Lines start in [lead, limit), and are read up to the last line end read, or to the end of
     * the file when the read reached it (a last line without a line end). */
    if (have == lead + b->block_bytes + OVERLAP_BYTES) {
        while (stop > 0 && s->data[stop - 1] != '\n')
            stop--;
    }
    const char *line = s->data + first_line_in(s->data, have < limit ? have : limit, s->seq);
    const char *end = s->data + stop, *last = s->data + limit;
    size_t most = ROWS_IN(b->block_bytes);
    int declined = 0, error = 0, shown = 0, ambiguous = 0;
    uint32_t previous = UINT32_MAX, key;
    while (line < end && line < last) {
        dfx_fastcsv_row row;
        /* A close outside the range of prices is an error of the general reader's (load_csv.c's
         * read_price): the line, and the file with it, is left to it, to say so at its place. */
        if (count == most || !dfx_fastcsv_parse_line(&b->layout, line, end, &row, &line) ||
            !dfx_fastcsv_close_in_range(&row)) {
            declined = 1; /* (most cannot be reached: a line has at least 14 bytes) */
            break;
        }
        /* Its ticker's key, here where the line is in this core's cache. Past the limit on
         * tickers, or in a second currency, the line is left to the general path. The guess is
         * the key that followed the previous row's last time (follower holds key + 1, so 0, no
         * guess yet, becomes UINT32_MAX). */
        uint32_t guess = previous == UINT32_MAX ? UINT32_MAX : follower[previous] - 1;
        int rc = dfx_keys_get(b->keys, row.ticker, row.ticker_len, row.currency, guess, &key);
        if (rc) {
            declined = 1;
            error = rc == DEFIDX_ENOMEM ? rc : 0;
            break;
        }
        if (previous != UINT32_MAX)
            follower[previous] = key + 1;
        previous = key;
        s->rows[count++] = (dfx_block_row){row.close, row.shares, row.free_float, key, row.date};
        shown |= row.decimal_point_shown;
        ambiguous |= row.separator_ambiguous;
    }
    /* A line that starts in the block but does not end in what was read is longer than fastcsv
     * reads: the general path reads it. */
    if (!declined && line < last && line < s->data + have)
        declined = 1;
    s->count = count;
    s->declined = declined;
    s->shown = shown;
    s->ambiguous = ambiguous;
    s->error = error;
}

/* Reads block s->seq and parses it (see read_block and parse_block). */
static void read_and_parse(const dfx_blocks *b, slot *s, uint32_t *follower)
{
    size_t have = 0;
    int rc = read_block(b, s, &have);
    if (rc) {
        s->count = 0;
        s->declined = 1;
        s->shown = s->ambiguous = 0;
        s->error = rc < 0 ? rc : 0;
        return;
    }
    parse_block(b, s, have, follower);
}

static void *work(void *arg)
{
    dfx_blocks *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stop) {
        slot *next = NULL;
        for (int k = 0; k < SLOTS; k++)
            if (b->slots[k].state == SLOT_READY && (!next || b->slots[k].seq > next->seq))
                next = &b->slots[k];
        if (!next) {
            pthread_cond_wait(&b->changed, &b->lock);
            continue;
        }
        next->state = SLOT_PARSING;
        pthread_mutex_unlock(&b->lock);
        read_and_parse(b, next, b->follower[1]);
        pthread_mutex_lock(&b->lock);
        next->state = SLOT_PARSED;
        pthread_cond_broadcast(&b->changed);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Sets the blocks after the one handed out next ready, as far as there are free slots. */
static void fill(dfx_blocks *b)
{
    int any = 0;
    pthread_mutex_lock(&b->lock);
    while (b->next_ready < b->block_count && b->next_ready < b->next_take + SLOTS) {
        slot *s = &b->slots[b->next_ready % SLOTS];
        s->seq = b->next_ready++;
        s->state = SLOT_READY;
        any = 1;
    }
    if (any)
        pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
}

int dfx_blocks_start(int fd, int threads, dfx_blocks **out)
{
    /* On one thread, a file smaller than the ring is read as one block: the ring would use as much
     * memory, in more pages of 2 MiB for the kernel to clear (the small benchmark's 1.8 MB: four
     * instead of two, about 4% of its CPU). */
    struct stat sb;
    size_t block_bytes = BLOCK_BYTES;
    if (threads == 1 && fstat(fd, &sb) == 0 && sb.st_size > 0 && (size_t)sb.st_size < SLOTS * BLOCK_BYTES)
        block_bytes = (size_t)sb.st_size;
    return dfx_blocks_start_sized(fd, threads, block_bytes, out);
}

int dfx_blocks_start_sized(int fd, int threads, size_t block_bytes, dfx_blocks **out)
{
    *out = NULL;
    dfx_blocks *b = calloc(1, sizeof *b);
    if (!b)
        return DEFIDX_ENOMEM;
    b->fd = fd;
    /* A file smaller than a block needs no more: one short read of it, not megabytes of buffers. */
    struct stat sb;
    off_t size = b->size = fstat(fd, &sb) == 0 && sb.st_size > 0 ? sb.st_size : 0;
    b->block_bytes = block_bytes ? block_bytes : 1;
    if ((size_t)size < b->block_bytes)
        b->block_bytes = ((size_t)size / 4096 + 1) * 4096;
    size_t rows = ROWS_IN(b->block_bytes), slot_bytes = b->block_bytes + OVERLAP_BYTES + 1;
    b->data = dfx_alloc_huge(SLOTS * slot_bytes);
    b->rows = dfx_alloc_huge(SLOTS * rows * sizeof *b->rows);
    int rc = b->data && b->rows ? 0 : DEFIDX_ENOMEM;
    if (!rc)
        rc = dfx_keys_new(DEFIDX_TICKERS_MAX, &b->keys);
    for (int t = 0; t < 2 && !rc; t++) {
        /* zero pages, touched only as keys come */
        if (!(b->follower[t] = dfx_pages_zeroed(b->keys->most * sizeof *b->follower[t])))
            rc = DEFIDX_ENOMEM;
    }
    for (int k = 0; k < SLOTS && !rc; k++) {
        b->slots[k].data = b->data + (size_t)k * slot_bytes;
        b->slots[k].rows = b->rows + (size_t)k * rows;
    }
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->changed, NULL);
    /* The header is the file's first line. fastcsv reads one of six short names at most, so the
     * first OVERLAP_BYTES hold any header it takes (reading more would read a small file twice). */
    char *head = b->data;
    size_t want = OVERLAP_BYTES;
    ssize_t got = rc ? 0 : read_at(fd, head, want, 0);
    if (!rc && got < 0)
        rc = DEFIDX_EINPUT;
    size_t have = got > 0 ? (size_t)got : 0;
    const char *nl = have ? memchr(head, '\n', have) : NULL;
    size_t n = nl ? (size_t)(nl - head) : have;
    if (!rc && (have == 0 || (!nl && have == want)))
        rc = 1;
    if (!rc && n && head[n - 1] == '\r')
        n--;
    if (!rc && !dfx_fastcsv_parse_header(head, n, &b->layout))
        rc = 1;
    if (!rc) {
        b->first_line = nl ? (off_t)(nl - head) + 1 : (off_t)have;
        if (size > b->first_line)
            b->block_count = ((size_t)(size - b->first_line) + b->block_bytes - 1) / b->block_bytes;
        b->has_worker = threads > 1 && pthread_create(&b->worker, NULL, work, b) == 0;
    }
    if (rc) {
        dfx_blocks_stop(b);
        return rc;
    }
    *out = b;
    return 0;
}

const dfx_fastcsv_layout *dfx_blocks_layout(const dfx_blocks *b)
{
    return &b->layout;
}

const dfx_keys *dfx_blocks_keys(const dfx_blocks *b)
{
    return b->keys;
}

int dfx_blocks_next(dfx_blocks *b, dfx_block_rows *rows)
{
    if (b->next_take > 0) { /* the block handed out last is done with */
        pthread_mutex_lock(&b->lock);
        b->slots[(b->next_take - 1) % SLOTS].state = SLOT_FREE;
        pthread_mutex_unlock(&b->lock);
    }
    fill(b);
    if (b->next_take == b->next_ready)
        return 1;
    slot *s = &b->slots[b->next_take++ % SLOTS];
    pthread_mutex_lock(&b->lock);
    int mine = s->state == SLOT_READY;
    if (mine)
        s->state = SLOT_PARSING;
    while (!mine && s->state != SLOT_PARSED)
        pthread_cond_wait(&b->changed, &b->lock);
    pthread_mutex_unlock(&b->lock);
    if (mine)
        read_and_parse(b, s, b->follower[0]); /* the worker has not reached it: read and parse it here */
    if (s->error)
        return s->error;
    *rows = (dfx_block_rows){s->rows, s->count, s->declined, s->shown, s->ambiguous};
    return 0;
}

void dfx_blocks_stop(dfx_blocks *b)
{
    if (!b)
        return;
    if (b->has_worker) {
        pthread_mutex_lock(&b->lock);
        b->stop = 1;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->lock);
        pthread_join(b->worker, NULL);
    }
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->changed);
    for (int t = 0; t < 2; t++)
        dfx_pages_free(b->follower[t], b->keys ? b->keys->most * sizeof *b->follower[t] : 0);
    dfx_keys_free(b->keys);
    free(b->data);
    free(b->rows);
    free(b);
}
