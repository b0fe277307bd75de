/* stream.c: the one-pass path. A plain long CSV sorted by date (the shape of a market-wide
 * export: date,ticker,close[,currency][,shares][,free_float]) is read in blocks and each date's
 * closes go to the engine as soon as the next date begins: no panel, no file held in memory, and
 * memory that grows with tickers and dates, not with rows.
 *
 * The pass takes a file only when the general path (load_csv.c into a panel) would read it into
 * the same observations without a warning; it declines at the first line it cannot vouch for (a
 * quote, an odd number, a date out of order, a repeated ticker on a date, a second currency, a
 * close that ends a one-day spike, whose warning names a row this pass does not count) and the
 * caller then reads the file the general way. An error of the engine is kept until the whole
 * file has proved plain, so that a file with a bad line further down gets the general path's
 * message, as it would without this path. */
#define _POSIX_C_SOURCE 200809L
#include "fast/blocks.h"
#include "util/names.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DECLINED 1
#define OUT_OF_ORDER 2 /* a date before the one being read: read again, collecting */

/* A share count or free float from its date on. */
typedef struct holding {
    int32_t date;
    double value;
} holding;

/* What each row looks up of its ticker, in one place: the date and close of its last row. A second
 * row that day declines, and so does a close that ends a spike (internal.h, dfx_is_spike). */
typedef struct recent {
    double last;
    int32_t date;
} recent;

/* A spike takes two jumps in a row (moves of more than X), so the close before the last one is
 * needed only when a jump led to the last one: it is kept apart, written and read on jumps only,
 * so that the array every row reads stays small (in the first-level cache for 2,000 tickers). */
typedef struct jump {
    double before; /* the close the jump left */
    int32_t date;  /* the date of the row the jump led to */
} jump;

/* Rows of one ticker, in a chunk: its header, then room dates, then room closes (12 bytes a row).
 * A ticker's first chunk has room for FIRST_ROWS, and each next one twice as many, up to a 4 KiB
 * chunk: a file of 100,000 tickers with a row or two each needs 11 MB of chunks, not 400. */
#define FIRST_ROWS 8
#define CHUNK_ROWS 340 /* 16 + 340 x 12 = 4096 bytes; every room is even, so the closes align */
typedef struct chunk {
    struct chunk *next;
    uint32_t count, room;
} chunk;

static int32_t *chunk_dates(const chunk *c)
{
    return (int32_t *)(uintptr_t)(c + 1);
}

static double *chunk_closes(const chunk *c)
{
    return (double *)(uintptr_t)((const char *)(c + 1) + c->room * sizeof(int32_t));
}

/* One ticker's rows, collected when the file is not sorted by date (an export of one instrument
 * after another): a list of chunks, and a holding only where shares or free float change. */
typedef struct series {
    chunk *first, *last;
    int32_t first_date, last_date; /* NO_DATE before the first row */
    holding *shares, *free_float;
    size_t shares_count, shares_capacity, free_float_count, free_float_capacity;
} series;

/* Where chunks come from: slabs in 2 MiB pages, so that collecting 37 million rows costs a few
 * hundred page faults, not a hundred thousand, and nothing is copied as a ticker grows. */
#define SLAB_BYTES (32u << 20)
typedef struct arena {
    char **slabs;
    size_t count, capacity;
    size_t used; /* bytes of the last slab handed out */
} arena;

typedef struct stream {
    dfx_fastcsv_layout layout;
    int threads;              /* asked for: 0 by the file's size, else 1 or 2 (parse_threads) */
    defidx_run *run;
    int run_rc;               /* the engine's error, kept until the file has proved plain */
    defidx_error run_err;
    /* tickers, in order of first appearance, and what is carried for each */
    dfx_names tickers;
    char **currencies;
    double *close, *shares, *free_float;
    recent *recent;           /* each ticker's last row */
    jump *jumps;              /* each ticker's last jump */
    double jump_up;           /* 1 + --max-jump */
    size_t count, capacity;   /* tickers with the arrays here set up, and the room in them */
    /* The parsing threads give each row's ticker a key (keys.h) in the order they meet them;
     * the tickers here are numbered in the file's order, which the general path's are. */
    const dfx_keys *keys;
    uint32_t *id_of_key;      /* per key: the ticker's index + 1, or 0 before its first row */
    size_t key_capacity;
    int32_t date;             /* the date being read, and its tickers */
    uint32_t *today;
    size_t today_count, day_capacity;
    int collect;              /* not sorted by date: rows are kept per ticker, then replayed */
    series *series;           /* per ticker, when collecting */
    arena chunks;
    size_t rows;
    size_t replay_steps;      /* tickers walked, rows placed and handed over by replay: its work */
    int shown, ambiguous;     /* the decimal mark's evidence, as fastcsv.h describes */
} stream;

/* ---- tickers --------------------------------------------------------------------------------- */

/* Adds the ticker of key as the next index, and sets up what is carried for it. */
static int add_ticker(stream *st, uint32_t key, uint32_t *id)
{
    size_t need = st->count + 1, c[6], n;
    for (int k = 0; k < 6; k++)
        c[k] = st->capacity;
    if (dfx_grow((void **)&st->currencies, &c[0], need, sizeof(char *)) ||
        dfx_grow((void **)&st->close, &c[1], need, sizeof(double)) ||
        dfx_grow((void **)&st->shares, &c[2], need, sizeof(double)) ||
        dfx_grow((void **)&st->free_float, &c[3], need, sizeof(double)) ||
        (st->collect && dfx_grow((void **)&st->series, &c[4], need, sizeof(series))) ||
        dfx_grow((void **)&st->jumps, &c[5], need, sizeof(jump)) ||
        dfx_grow((void **)&st->recent, &st->capacity, need, sizeof(recent)))
        return DEFIDX_ENOMEM;
    const char *name = dfx_keys_name(st->keys, key, &n), *currency = dfx_keys_currency(st->keys, key);
    char *copy = currency ? malloc(4) : NULL;
    int added;
    if ((currency && !copy) || dfx_names_intern(&st->tickers, name, n, id, &added)) {
        free(copy);
        return DEFIDX_ENOMEM;
    }
    if (copy)
        memcpy(copy, currency, 4);
    st->count++;
    st->currencies[*id] = copy;
    st->close[*id] = st->shares[*id] = st->free_float[*id] = NAN;
    st->recent[*id] = (recent){NAN, DEFIDX_NO_DATE};
    st->jumps[*id] = (jump){NAN, DEFIDX_NO_DATE};
    if (st->collect)
        st->series[*id] = (series){.first_date = DEFIDX_NO_DATE, .last_date = DEFIDX_NO_DATE};
    st->id_of_key[key] = *id + 1;
    return 0;
}

/* The index of the row's ticker, numbered in order of first appearance. 0 or DEFIDX_ENOMEM. */
static int intern(stream *st, const dfx_block_row *row, uint32_t *id)
{
    if (row->key >= st->key_capacity) {
        size_t was = st->key_capacity;
        if (dfx_grow((void **)&st->id_of_key, &st->key_capacity, (size_t)row->key + 1,
                        sizeof *st->id_of_key))
            return DEFIDX_ENOMEM;
        memset(st->id_of_key + was, 0, (st->key_capacity - was) * sizeof *st->id_of_key);
    }
    uint32_t known = st->id_of_key[row->key];
    if (known) {
        *id = known - 1;
        return 0;
    }
    return add_ticker(st, row->key, id);
}

/* A jump from r's last close to close, the rare case: 1 when it ends a spike, that is when j says
 * that a jump led to the last close too and dfx_is_spike agrees on the three closes; else j
 * keeps this jump. */
static int jump_ends_spike(const recent *r, jump *j, int32_t date, double close, double up)
{
    if (j->date == r->date && dfx_is_spike(j->before, r->last, close, up))
        return 1;
    *j = (jump){r->last, date};
    return 0;
}

/* Moves the ticker's last row on to this one (date, close); 1 (and nothing moved) when close ends
 * a spike. Only a jump beyond X from the last close can end one: most rows cost two comparisons.
 * This tests the same closes of each ticker in the same order as the panel's finish does, so that
 * this pass finds every spike the panel would. (The NAN closes before the first row never jump.) */
static inline int ends_spike(stream *st, uint32_t id, int32_t date, double close)
{
    recent *r = &st->recent[id];
    double last = r->last, up = st->jump_up;
    if ((close > last * up || close * up < last) && jump_ends_spike(r, &st->jumps[id], date, close, up))
        return 1;
    *r = (recent){close, date};
    return 0;
}

/* Hands st->date to the engine with these closes (next: the date that follows it). An error of
 * the engine stays in run_rc; the file is read on, to prove it plain (see the top). */
static void run_date(stream *st, const double *closes, int32_t next)
{
    if (!st->run_rc) {
        defidx_day day = {st->date, next, st->count, (const char *const *)st->tickers.names,
                          (const char *const *)st->currencies, closes,
                          st->layout.shares >= 0 ? st->shares : NULL,
                          st->layout.free_float >= 0 ? st->free_float : NULL,
                          closes == st->close ? st->today : NULL, st->today_count};
        st->run_rc = defidx_run_day(st->run, &day, &st->run_err);
    }
}

/* Hands the date read so far to the engine and starts anew. */
static void end_date(stream *st, int32_t next)
{
    run_date(st, st->close, next);
    for (size_t k = 0; k < st->today_count; k++)
        st->close[st->today[k]] = NAN;
    st->today_count = 0;
}

/* ---- a file sorted by date: each date to the engine as the next begins ----------------------- */

/* A row of a date-sorted file: into today's closes. */
static int stream_row(stream *st, const dfx_block_row *row)
{
    if (st->rows == 1)
        st->date = row->date;
    if (row->date < st->date)
        return OUT_OF_ORDER;
    if (row->date > st->date) {
        end_date(st, row->date);
        st->date = row->date;
    }
    uint32_t id;
    int rc = intern(st, row, &id);
    if (rc)
        return rc;
    if (st->recent[id].date == row->date || ends_spike(st, id, row->date, row->close))
        return DECLINED; /* a repeated or conflicting row, a spike: the panel reports it */
    if (st->today_count == st->day_capacity &&
        dfx_grow((void **)&st->today, &st->day_capacity, st->today_count + 1, sizeof *st->today))
        return DEFIDX_ENOMEM;
    st->today[st->today_count++] = id;
    st->close[id] = row->close;
    if (!isnan(row->shares))
        st->shares[id] = row->shares;
    if (!isnan(row->free_float))
        st->free_float[id] = row->free_float;
    return 0;
}

/* ---- a file in another order: rows kept per ticker, then replayed date by date --------------- */

/* Appends a holding when it changes the value in effect. */
static int hold(holding **list, size_t *count, size_t *capacity, int32_t date, double value)
{
    if (isnan(value) || (*count && (*list)[*count - 1].value == value))
        return 0;
    if (dfx_grow((void **)list, capacity, *count + 1, sizeof **list))
        return DEFIDX_ENOMEM;
    (*list)[(*count)++] = (holding){date, value};
    return 0;
}

/* A new, empty chunk with room for rows, from the arena, or NULL. */
static chunk *new_chunk(arena *a, uint32_t room)
{
    size_t bytes = sizeof(chunk) + room * (sizeof(int32_t) + sizeof(double));
    if (!a->count || a->used + bytes > SLAB_BYTES) {
        char *slab = dfx_alloc_huge(SLAB_BYTES);
        if (!slab || dfx_grow((void **)&a->slabs, &a->capacity, a->count + 1, sizeof *a->slabs)) {
            free(slab);
            return NULL;
        }
        a->slabs[a->count++] = slab;
        a->used = 0;
    }
    chunk *c = (chunk *)(a->slabs[a->count - 1] + a->used);
    a->used += bytes;
    *c = (chunk){.room = room};
    return c;
}

/* A row of a file in another order: onto its ticker's series, whose dates must ascend. */
static int collect_row(stream *st, const dfx_block_row *row)
{
    uint32_t id;
    int rc = intern(st, row, &id);
    if (rc)
        return rc;
    series *s = &st->series[id];
    if ((s->last_date != DEFIDX_NO_DATE && s->last_date >= row->date) || ends_spike(st, id, row->date, row->close))
        return DECLINED; /* a ticker's own rows out of order, or repeated, a spike: the panel sorts it out */
    if (!s->last || s->last->count == s->last->room) {
        uint32_t room = !s->last ? FIRST_ROWS : s->last->room * 2 < CHUNK_ROWS ? s->last->room * 2 : CHUNK_ROWS;
        chunk *c = new_chunk(&st->chunks, room);
        if (!c)
            return DEFIDX_ENOMEM;
        if (s->last)
            s->last->next = c;
        else
            s->first = c;
        s->last = c;
    }
    chunk_dates(s->last)[s->last->count] = row->date;
    chunk_closes(s->last)[s->last->count++] = row->close;
    if (s->first_date == DEFIDX_NO_DATE)
        s->first_date = row->date;
    s->last_date = row->date;
    if (hold(&s->shares, &s->shares_count, &s->shares_capacity, row->date, row->shares) ||
        hold(&s->free_float, &s->free_float_count, &s->free_float_capacity, row->date, row->free_float))
        return DEFIDX_ENOMEM;
    return 0;
}

/* One data row. Returns 0, DECLINED, OUT_OF_ORDER or DEFIDX_ENOMEM. */
static int take_row(stream *st, const dfx_block_row *row)
{
    st->rows++;
    return st->collect ? collect_row(st, row) : stream_row(st, row);
}

/* Moves a holding cursor to date: the value in effect then goes to *value. */
static void carry_holding(const holding *list, size_t count, size_t *at, int32_t date, double *value)
{
    for (; *at < count && list[*at].date <= date; (*at)++)
        *value = list[*at].value;
}

/* Where replay stands in one ticker's rows: its next row, and its next changes of shares and free
 * float. A holding's date is always a date of the ticker's rows, so the holdings are carried on
 * the ticker's own rows only: a ticker costs nothing on a date it has no row. */
typedef struct cursor {
    const chunk *at;
    uint32_t row;
    int32_t next_date; /* INT32_MAX: none */
    size_t shares, free_float;
} cursor;

/* The close of the ticker's next row, moving its cursor past it. */
static double next_close(cursor *c)
{
    double close = chunk_closes(c->at)[c->row++];
    if (c->row == c->at->count) {
        c->at = c->at->next;
        c->row = 0;
    }
    c->next_date = c->at ? chunk_dates(c->at)[c->row] : INT32_MAX;
    return close;
}

/* Moves the ticker's holding cursors to date: its shares and free float in effect then. */
static void carry_holdings(stream *st, uint32_t j, cursor *c, int32_t date)
{
    const series *s = &st->series[j];
    carry_holding(s->shares, s->shares_count, &c->shares, date, &st->shares[j]);
    carry_holding(s->free_float, s->free_float_count, &c->free_float, date, &st->free_float[j]);
}

/* The dates of the collected rows, ascending, with how many rows each has, and for each day of
 * lo..lo + span - 1 its index among them + 1 (0: no row that day): in *dates and *rows_on (count
 * in *n) and *position. 0 or DEFIDX_ENOMEM. */
static int dates_of_rows(const stream *st, int32_t lo, size_t span, int32_t **dates, uint32_t **rows_on,
                         size_t *n, uint32_t **position)
{
    uint32_t *pos = calloc(span, sizeof *pos);
    if (!pos)
        return DEFIDX_ENOMEM;
    for (size_t j = 0; j < st->count; j++)
        for (const chunk *c = st->series[j].first; c; c = c->next)
            for (uint32_t k = 0; k < c->count; k++)
                pos[chunk_dates(c)[k] - lo]++; /* a count of rows first */
    size_t count = 0;
    for (size_t i = 0; i < span; i++)
        count += pos[i] > 0;
    int32_t *list = malloc((count ? count : 1) * sizeof *list);
    uint32_t *rows = malloc((count ? count : 1) * sizeof *rows);
    if (!list || !rows) {
        free(pos);
        free(list);
        free(rows);
        return DEFIDX_ENOMEM;
    }
    count = 0;
    for (size_t i = 0; i < span; i++)
        if (pos[i]) {
            list[count] = (int32_t)(lo + (int64_t)i);
            rows[count] = pos[i];
            pos[i] = (uint32_t)++count;
        }
    *dates = list;
    *rows_on = rows;
    *n = count;
    *position = pos;
    return 0;
}

/* A collected row, placed among those of its date. */
typedef struct placed {
    uint32_t ticker;
    double close;
} placed;

/* Replay hands over a batch of dates at once: their rows are placed date by date, one ticker's
 * rows after another, so that its chunks are read in order, a stream the processor foresees (date
 * by date, a row from each of thousands of tickers' chunks was a wait for memory every few
 * tickers: over half of replay's time). A batch holds at least this many rows, and at least as
 * many as there are tickers, so that the walk over the tickers each batch costs no more than its
 * rows: the whole replay costs the rows, never tickers x dates. */
#define BATCH_ROWS ((size_t)1 << 16)

/* The dates first.. that make a batch: until it holds at least want rows. Returns their count. */
static size_t batch_dates(const uint32_t *rows_on, size_t n_dates, size_t first, size_t want)
{
    size_t k = first, rows = 0;
    while (k < n_dates && rows < want)
        rows += rows_on[k++];
    return k - first;
}

/* Places the rows of dates[first .. first + n - 1] into slots, each date's after the last one's
 * (start[k]: where date first + k begins, start[n]: the end), ascending by ticker within a date. */
static void place_batch(stream *st, cursor *at, const int32_t *dates, const uint32_t *rows_on,
                        const uint32_t *position, int32_t lo, size_t first, size_t n, size_t *start,
                        placed *slots)
{
    start[0] = 0;
    for (size_t k = 0; k < n; k++)
        start[k + 1] = start[k] + rows_on[first + k];
    int32_t last = dates[first + n - 1];
    for (uint32_t j = 0; j < st->count; j++)
        while (at[j].next_date <= last) {
            size_t k = position[at[j].next_date - lo] - 1 - first;
            slots[start[k]++] = (placed){j, next_close(&at[j])};
        }
    st->replay_steps += st->count + start[n - 1];
    for (size_t k = n; k > 0; k--) /* each start moved to its date's end: back by one date */
        start[k] = start[k - 1];
    start[0] = 0;
}

/* Hands the collected rows to the engine date by date, with the tickers priced each date: the
 * dates are the union of the tickers' dates, as a panel's are. */
static int replay(stream *st)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t j = 0; j < st->count; j++)
        if (st->series[j].first) {
            lo = st->series[j].first_date < lo ? st->series[j].first_date : lo;
            hi = st->series[j].last_date > hi ? st->series[j].last_date : hi;
        }
    if (hi < lo)
        return 0; /* no rows: declined before */
    size_t span = (size_t)((int64_t)hi - lo + 1), n_dates, tickers = st->count;
    size_t want = tickers > BATCH_ROWS ? tickers : BATCH_ROWS;
    int32_t *dates = NULL;
    uint32_t *position = NULL, *rows_on = NULL;
    cursor *at = calloc(tickers, sizeof *at);
    /* a batch stops at the first date that brings it to want rows: at most want - 1 + tickers */
    placed *slots = malloc((want + tickers) * sizeof *slots);
    size_t *start = malloc((want + tickers + 1) * sizeof *start);
    int rc = !at || !slots || !start ||
             dfx_grow((void **)&st->today, &st->day_capacity, tickers, sizeof *st->today) ||
             dates_of_rows(st, lo, span, &dates, &rows_on, &n_dates, &position);
    for (size_t j = 0; !rc && j < tickers; j++) {
        const series *s = &st->series[j];
        at[j] = (cursor){.at = s->first, .next_date = s->first ? chunk_dates(s->first)[0] : INT32_MAX};
    }
    for (size_t first = 0, n; !rc && first < n_dates && !st->run_rc; first += n) {
        n = batch_dates(rows_on, n_dates, first, want);
        place_batch(st, at, dates, rows_on, position, lo, first, n, start, slots);
        for (size_t k = 0; k < n && !st->run_rc; k++) {
            st->date = dates[first + k];
            for (size_t x = start[k]; x < start[k + 1]; x++) {
                uint32_t j = slots[x].ticker;
                st->close[j] = slots[x].close;
                carry_holdings(st, j, &at[j], st->date);
                st->today[st->today_count++] = j;
            }
            st->replay_steps += st->today_count;
            end_date(st, first + k + 1 < n_dates ? dates[first + k + 1] : DEFIDX_NO_DATE);
        }
    }
    free(dates);
    free(rows_on);
    free(position);
    free(at);
    free(slots);
    free(start);
    return rc ? DEFIDX_ENOMEM : 0;
}

/* ---- reading the file ------------------------------------------------------------------------ */

/* Below this size a second thread costs more than it saves: starting it, and moving the rows it
 * parses to the other core (measured: 3 MB 29 ms on one thread, 32 ms on two; 24 MB 58 and 47). */
#define THREADED_BYTES (16 << 20)

/* How many threads parse the file fd: both cores for a large file; asked (1 or 2) says so instead,
 * whatever the size (tests use 2 to run the worker on small files). */
static int parse_threads(int fd, int asked)
{
    struct stat sb;
    if (asked == 1 || asked == 2)
        return asked;
    if (fstat(fd, &sb) != 0 || sb.st_size < THREADED_BYTES)
        return 1;
    return sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
}

/* Reads the whole file, block by block, through take_row. */
static int read_through(stream *st, int fd)
{
    dfx_blocks *b;
    int rc = dfx_blocks_start(fd, parse_threads(fd, st->threads), &b);
    if (rc)
        return rc > 0 ? DECLINED : rc;
    st->layout = *dfx_blocks_layout(b);
    st->keys = dfx_blocks_keys(b);
    dfx_block_rows block;
    int more = 0; /* 0: a block came; 1: the end of the file; < 0: a read error */
    while (!rc && (more = dfx_blocks_next(b, &block)) == 0) {
        st->shown |= block.decimal_point_shown;
        st->ambiguous |= block.separator_ambiguous;
        for (size_t k = 0; k < block.count && !rc; k++)
            rc = take_row(st, &block.rows[k]);
        if (!rc && block.declined)
            rc = DECLINED;
    }
    dfx_blocks_stop(b);
    st->keys = NULL;
    return rc ? rc : more < 0 ? more : 0;
}

static void free_stream(stream *st)
{
    for (size_t j = 0; j < st->count; j++)
        free(st->currencies[j]);
    dfx_names_free(&st->tickers);
    free(st->currencies);
    free(st->close);
    free(st->shares);
    free(st->free_float);
    free(st->recent);
    free(st->jumps);
    free(st->today);
    free(st->id_of_key);
    for (size_t j = 0; st->series && j < st->count; j++) {
        free(st->series[j].shares);
        free(st->series[j].free_float);
    }
    free(st->series);
    for (size_t k = 0; k < st->chunks.count; k++)
        free(st->chunks.slabs[k]);
    free(st->chunks.slabs);
    defidx_run_free(st->run);
}

/* Reads the file into a new run: streaming, or collecting per ticker. Returns 0, DECLINED,
 * OUT_OF_ORDER (streaming only) or DEFIDX_ENOMEM: memory that ran out is an error, not a file to
 * leave to the panel, which needs more of it. An error of the engine stays in st->run_rc. */
static int read_into_run(stream *st, int fd, int collect, int threads, const defidx_spec *spec,
                         const defidx_fx *fx, const defidx_options *opt)
{
    *st = (stream){.collect = collect, .threads = threads, .jump_up = dfx_jump_factor(opt->max_jump)};
    defidx_error ignored;
    /* A setting the engine refuses, or a read error, is the general path's to report: after the
     * file's own errors, as it always is. */
    int rc = defidx_run_start(spec, fx, opt, &st->run, &ignored);
    if (rc)
        return rc == DEFIDX_ENOMEM ? rc : DECLINED;
    rc = read_through(st, fd);
    if (rc)
        return rc == OUT_OF_ORDER || rc == DEFIDX_ENOMEM ? rc : DECLINED;
    if (st->rows == 0 || !(st->shown || !st->ambiguous))
        return DECLINED; /* no rows, or a decimal mark the general path must decide */
    if (collect && (rc = replay(st)) != 0)
        return rc == DEFIDX_ENOMEM ? rc : DECLINED;
    if (collect)
        return 0;
    end_date(st, DEFIDX_NO_DATE);
    return 0;
}

/* The one-pass path over a regular file; DECLINED when the file is not one it reads. A file that
 * turns out not to be sorted by date is read again from the start, collecting. */
static int compute_in_one_pass(const char *path, int threads, const defidx_spec *spec, const defidx_fx *fx,
                               const defidx_options *opt, defidx_result **out, size_t *work, defidx_error *err)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0)
        return DECLINED; /* the general path says why */
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return DECLINED;
    }
    stream st;
    int rc = read_into_run(&st, fd, 0, threads, spec, fx, opt);
    if (rc == OUT_OF_ORDER) {
        free_stream(&st);
        rc = lseek(fd, 0, SEEK_SET) == 0 ? read_into_run(&st, fd, 1, threads, spec, fx, opt) : DECLINED;
    }
    close(fd);
    if (rc == DEFIDX_ENOMEM)
        defidx_error_set(err, rc, NULL, 0, 0, "out of memory");
    if (!rc && st.run_rc) {
        if (err)
            *err = st.run_err;
        rc = st.run_rc;
    }
    if (!rc && work)
        *work = st.replay_steps + dfx_run_member_visits(st.run);
    if (!rc) {
        defidx_run *run = st.run;
        st.run = NULL;
        rc = defidx_run_finish(run, st.count, (const char *const *)st.tickers.names, out, err);
        if (!rc)
            (*out)->one_pass = st.collect ? 2 : 1;
    }
    free_stream(&st);
    return rc;
}

int dfx_one_pass_counted(const char *path, const defidx_spec *spec, const defidx_options *opt,
                         defidx_result **out, size_t *work, defidx_error *err)
{
    *out = NULL;
    *work = 0;
    return compute_in_one_pass(path, 1, spec, NULL, opt, out, work, err);
}

/* 1 when the load options leave everything to the file, as the one pass needs. */
static int default_options(const defidx_load_options *lo)
{
    return !lo || (!lo->delimiter && !lo->decimal_mark && !lo->date_format && !lo->ticker &&
                   lo->price_field == DEFIDX_FIELD_CLOSE);
}

/* One computation of a file: in one pass where it can, else through a panel. */
static int compute_file_once(const char *path, const defidx_load_options *load, const defidx_spec *spec,
                             const defidx_fx *fx, const defidx_options *opt, defidx_result **out,
                             defidx_warnings *w, defidx_error *err)
{
    *out = NULL;
    int allowed = !(load && load->reader == DEFIDX_READER_PANEL) && strcmp(path, "-") != 0 && default_options(load);
    int rc = allowed ? compute_in_one_pass(path, load ? load->threads : 0, spec, fx, opt, out, NULL, err) : DECLINED;
    if (rc != DECLINED)
        return rc;
    defidx_panel *p = defidx_panel_new();
    if (!p)
        return defidx_error_set(err, DEFIDX_ENOMEM, NULL, 0, 0, "out of memory");
    defidx_panel_set_max_jump(p, opt->max_jump);
    rc = defidx_load_prices(p, path, load, w, err);
    if (!rc)
        rc = defidx_panel_finish(p, w, err);
    if (!rc)
        rc = defidx_compute(p, spec, fx, opt, out, err);
    defidx_panel_free(p);
    return rc;
}

/* What a second computation from the common start needs of the first one's arguments. */
typedef struct file_source {
    const char *path;
    const defidx_load_options *load;
    const defidx_spec *spec;
    const defidx_fx *fx;
    defidx_warnings *w;
} file_source;

static int compute_file_source(const defidx_options *opt, void *source, defidx_result **out, defidx_error *err)
{
    const file_source *f = source;
    return compute_file_once(f->path, f->load, f->spec, f->fx, opt, out, f->w, err);
}

int defidx_compute_file(const char *path, const defidx_load_options *load, const defidx_spec *spec,
                        const defidx_fx *fx, const defidx_options *opt, defidx_result **out,
                        defidx_warnings *w, defidx_error *err)
{
    defidx_options defaults;
    if (!opt) {
        defidx_options_init(&defaults);
        opt = &defaults;
    }
    if (dfx_options_version(opt->version, "options", err) ||
        (load && dfx_options_version(load->version, "load options", err)))
        return DEFIDX_EUSAGE;
    int rc = compute_file_once(path, load, spec, fx, opt, out, w, err);
    if (rc)
        return rc;
    /* a panel's load warnings would come twice: the second computation reads the file again */
    defidx_warnings again = {0};
    file_source source = {path, load, spec, fx, &again};
    rc = dfx_compute_again_from_common_start(out, opt, compute_file_source, &source, err);
    defidx_warnings_free(&again);
    return rc;
}
