/* blocks.c: see blocks.h. A ring of SLOTS blocks: the caller's thread reads blocks into free
 * slots (cheap: a copy from the page cache) and takes them in order, parsing one itself when the
 * worker has not claimed it; the worker claims the newest block read but not yet parsed. So the
 * two parse from opposite ends of the ring and meet where their speeds balance: the caller, which
 * also uses the rows, parses fewer blocks, and neither core waits for the other for long. */
#define _GNU_SOURCE /* madvise, MADV_HUGEPAGE */
#include "blocks.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK_BYTES ((size_t)1 << 20) /* a line must fit in one block */
#define SLOTS 6
/* The shortest data line fastcsv reads is 14 bytes ("2025-01-02,X,1"), so a block of n bytes holds
 * at most this many rows: each slot's rows are laid out once, never grown. */
#define ROWS_IN(n) ((n) / 14 + 1)

enum slot_state { SLOT_FREE = 0, SLOT_READ, SLOT_PARSING, SLOT_PARSED };

typedef struct slot {
    char *data;
    size_t start, len;        /* the lines to parse: data[start, len) */
    int too_long;             /* no line end in a whole block */
    defidx_fastcsv_row *rows; /* ROWS_IN(block_bytes) of them */
    size_t count;
    int declined;
    int state;
    size_t seq;
} slot;

struct defidx_blocks {
    int fd;
    size_t block_bytes;       /* BLOCK_BYTES, or less for a file that fits in one block */
    char *data;               /* every slot's bytes, in one region */
    defidx_fastcsv_row *rows; /* every slot's rows, in one region */
    defidx_fastcsv_layout layout;
    slot slots[SLOTS];
    size_t next_read, next_take; /* sequence numbers: the next block to read, to hand out */
    char *carry;                 /* the partial last line of the block read last */
    size_t carry_len;
    int at_end;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t worker;
    int has_worker, stop;
};

void *defidx_alloc_huge(size_t bytes)
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

/* Parses a slot's lines into rows, up to the first line fastcsv does not read. */
static void parse_slot(const defidx_fastcsv_layout *layout, size_t most, slot *s)
{
    /* Counted in locals and stored once: the slots share cache lines, which the other thread reads. */
    size_t count = 0;
    int declined = s->too_long;
    const char *line = s->data + s->start, *end = s->data + s->len;
    defidx_fastcsv_row *rows = s->rows;
    while (line < end && !declined) {
        if (count == most || !defidx_fastcsv_parse_line(layout, line, end, &rows[count], &line)) {
            declined = 1; /* (most cannot be reached: a line has at least 14 bytes) */
            break;
        }
        count++;
    }
    s->count = count;
    s->declined = declined;
}

static void *work(void *arg)
{
    defidx_blocks *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stop) {
        slot *next = NULL;
        for (int k = 0; k < SLOTS; k++)
            if (b->slots[k].state == SLOT_READ && (!next || b->slots[k].seq > next->seq))
                next = &b->slots[k];
        if (!next) {
            pthread_cond_wait(&b->changed, &b->lock);
            continue;
        }
        next->state = SLOT_PARSING;
        pthread_mutex_unlock(&b->lock);
        parse_slot(&b->layout, ROWS_IN(b->block_bytes), next);
        pthread_mutex_lock(&b->lock);
        next->state = SLOT_PARSED;
        pthread_cond_broadcast(&b->changed);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Reads the next block of whole lines into s: the carried partial line, then as much as fits; the
 * bytes after the last line end are carried to the next block. */
static int read_block(defidx_blocks *b, slot *s)
{
    memcpy(s->data, b->carry, b->carry_len);
    size_t have = b->carry_len;
    while (have < b->block_bytes && !b->at_end) {
        ssize_t got = read(b->fd, s->data + have, b->block_bytes - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return DEFIDX_EINPUT;
        b->at_end = got == 0;
        have += (size_t)got;
    }
    s->start = 0;
    s->too_long = 0;
    s->len = have;
    b->carry_len = 0;
    if (b->at_end)
        return 0;
    size_t end = have;
    while (end > 0 && s->data[end - 1] != '\n')
        end--;
    if (end == 0) {
        s->too_long = 1;
        b->at_end = 1; /* nothing after a declined block is used */
        return 0;
    }
    s->len = end;
    b->carry_len = have - end;
    memcpy(b->carry, s->data + end, b->carry_len);
    return 0;
}

/* Reads blocks into the free slots ahead of the one handed out next. */
static int fill(defidx_blocks *b)
{
    while (!b->at_end && b->next_read < b->next_take + SLOTS) {
        slot *s = &b->slots[b->next_read % SLOTS];
        int rc = read_block(b, s); /* the slot is free: the worker does not look at it */
        if (rc)
            return rc;
        pthread_mutex_lock(&b->lock);
        s->seq = b->next_read++;
        s->state = SLOT_READ;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->lock);
    }
    return 0;
}

int defidx_blocks_start(int fd, int threads, defidx_blocks **out)
{
    *out = NULL;
    defidx_blocks *b = calloc(1, sizeof *b);
    if (!b)
        return DEFIDX_ENOMEM;
    b->fd = fd;
    /* A file smaller than a block needs no more: one short read of it, not megabytes of buffers. */
    struct stat sb;
    b->block_bytes = BLOCK_BYTES;
    if (fstat(fd, &sb) == 0 && sb.st_size >= 0 && (size_t)sb.st_size < BLOCK_BYTES)
        b->block_bytes = ((size_t)sb.st_size / 4096 + 1) * 4096;
    size_t rows = ROWS_IN(b->block_bytes);
    b->carry = malloc(b->block_bytes);
    b->data = defidx_alloc_huge(SLOTS * b->block_bytes);
    b->rows = defidx_alloc_huge(SLOTS * rows * sizeof *b->rows);
    int rc = b->carry && b->data && b->rows ? 0 : DEFIDX_ENOMEM;
    for (int k = 0; k < SLOTS && !rc; k++) {
        b->slots[k].data = b->data + (size_t)k * b->block_bytes;
        b->slots[k].rows = b->rows + (size_t)k * rows;
    }
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->changed, NULL);
    if (!rc)
        rc = fill(b);
    /* The header is the first line of the first block; the rows start after it. */
    slot *first = &b->slots[0];
    const char *nl = rc || b->next_read == 0 ? NULL : memchr(first->data, '\n', first->len);
    size_t n = nl ? (size_t)(nl - first->data) : first->len;
    if (!rc && (b->next_read == 0 || first->too_long))
        rc = 1;
    if (!rc && n && first->data[n - 1] == '\r')
        n--;
    if (!rc && !defidx_fastcsv_parse_header(first->data, n, &b->layout))
        rc = 1;
    if (!rc) {
        first->start = nl ? (size_t)(nl - first->data) + 1 : first->len;
        b->has_worker = threads > 1 && pthread_create(&b->worker, NULL, work, b) == 0;
    }
    if (rc) {
        defidx_blocks_stop(b);
        return rc;
    }
    *out = b;
    return 0;
}

const defidx_fastcsv_layout *defidx_blocks_layout(const defidx_blocks *b)
{
    return &b->layout;
}

int defidx_blocks_next(defidx_blocks *b, defidx_block_rows *rows)
{
    if (b->next_take > 0) { /* the block handed out last is done with */
        pthread_mutex_lock(&b->lock);
        b->slots[(b->next_take - 1) % SLOTS].state = SLOT_FREE;
        pthread_mutex_unlock(&b->lock);
    }
    int rc = fill(b);
    if (rc)
        return rc;
    if (b->next_take == b->next_read)
        return 1;
    slot *s = &b->slots[b->next_take++ % SLOTS];
    pthread_mutex_lock(&b->lock);
    int mine = s->state == SLOT_READ;
    if (mine)
        s->state = SLOT_PARSING;
    while (!mine && s->state != SLOT_PARSED)
        pthread_cond_wait(&b->changed, &b->lock);
    pthread_mutex_unlock(&b->lock);
    if (mine)
        parse_slot(&b->layout, ROWS_IN(b->block_bytes), s); /* the worker has not reached it: parse it here */
    *rows = (defidx_block_rows){s->rows, s->count, s->declined};
    return 0;
}

void defidx_blocks_stop(defidx_blocks *b)
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
    free(b->data);
    free(b->rows);
    free(b->carry);
    free(b);
}
