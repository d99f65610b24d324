/* ef_csv.c — the reader: header, selection, the block pipeline, row delivery.
 *
 * The caller's thread reads the file into blocks of whole rows (cut with
 * ef_csv_split.c), keeps up to `nblocks` of them in flight, and hands each
 * to a worker thread; ef_csv_next then walks the parsed blocks in sequence
 * order.  Single-threaded, the same blocks are parsed inline, one at a time.
 * Memory is bounded by nblocks * block size, whatever the file size.
 */
#include "config.h"
#include "ukb/ef_csv.h"
#include "ukb/ef_csv_int.h"
#include "core/ef_alloc.h"
#include "core/ef_job.h"
#include "core/ef_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BLOCK ((size_t)2 << 20)
#define MAX_THREADS 64

/* One per block: a block is parsed by a task of the pool with its own parser. */
struct worker {
    ef_csv *r;
    ef_csv_block *b;
    ef_csv_parser ps;
};

struct ef_csv {
    char *path;
    int fd;
    uint64_t size;          /* 0 when unknown */
    int eof;
    ef_csv_layout lay;
    long header_line;
    size_t nsel;            /* the selection, in the caller's order: */
    size_t *map;            /*   selected cell k is lay.uniq[map[k]] */
    int selected, started, finished, failed;

    /* Reading: bytes after the last cut, not yet in a block. */
    char *carry;
    size_t carry_len, carry_cap;
    uint64_t carry_off, bytes_in;
    size_t block_bytes;
    int prod_done;
    int exact;              /* cut blocks with the exact lexer from now on */

    ef_csv_block *blocks;
    size_t nblocks;
    long fill_seq, cons_seq;

    /* Delivery. */
    ef_csv_block *cur;
    size_t cur_row;
    long base_line;         /* line number of cur->buf[0] */
    const char **cellv;
    size_t *lenv;
    double *numv;           /* with lay.numbers */
    unsigned char *kindv;
    long rows;
    uint64_t done_bytes;

    /* Threads: each FILLED block is a task of the pool (queued in
     * sequence order); the reader waits for its block to be PARSED. */
    int nworkers;           /* 0: parse inline */
    ef_pool *pool, *own_pool;
    ef_pool_group g;
    struct worker *workers; /* nparsers: one per block */
    size_t nparsers;
    pthread_mutex_t mu;
    pthread_cond_t done_cv;
    int stop;
};

static int read_some(ef_csv *r, char *dst, size_t room, size_t *got, ef_error *err);
static int read_header(ef_csv *r, ef_error *err);
static void carry_reserve(ef_csv *r, size_t need);
static void fill_block(ef_csv *r, ef_csv_block *b);
static int start(ef_csv *r, ef_error *err);
static void top_up(ef_csv *r);
static ef_csv_block *wait_parsed(ef_csv *r, long seq);
static void release(ef_csv *r, ef_csv_block *b);
static int tail_error(ef_csv *r, const ef_csv_block *b, ef_error *err);
static int resync(ef_csv *r, ef_csv_block *b, ef_error *err);

static int read_some(ef_csv *r, char *dst, size_t room, size_t *got, ef_error *err)
{
    ssize_t n;

    *got = 0;
    if (r->eof || room == 0)
        return EF_OK;
    do
        n = read(r->fd, dst, room);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return ef_error_set_at(err, EF_EIO, r->path, 0, 0, "read failed: %s", strerror(errno));
    if (n == 0)
        r->eof = 1;
    *got = (size_t)n;
    r->bytes_in += (uint64_t)n;
    return EF_OK;
}

static void carry_reserve(ef_csv *r, size_t need)
{
    if (need <= r->carry_cap)
        return;
    r->carry_cap = need > 2 * r->carry_cap ? need : 2 * r->carry_cap;
    r->carry = ef_xrealloc(r->carry, r->carry_cap);
}

/* Read up to and including the header record; the rest stays in carry. */
static int read_header(ef_csv *r, ef_error *err)
{
    size_t pos = 0, got, end = 0, nlf = 0, qcol, q;
    long line = 1;
    int rc;
    ef_csv_rowerr e;

    for (;;) {
        if (r->carry_len == r->carry_cap)
            carry_reserve(r, r->carry_len + r->block_bytes);
        if ((rc = read_some(r, r->carry + r->carry_len, r->carry_cap - r->carry_len, &got,
                            err)) != EF_OK)
            return rc;
        r->carry_len += got;
        if (r->carry_len < 3 && !r->eof)
            continue;
        if (pos == 0 && r->carry_len >= 3 && memcmp(r->carry, "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
        /* Skip blank lines before the header. */
        while (pos < r->carry_len) {
            if (r->carry[pos] == '\n') {
                pos++;
                line++;
            } else if (r->carry[pos] == '\r' && pos + 1 < r->carry_len
                       && r->carry[pos + 1] == '\n') {
                pos += 2;
                line++;
            } else if (r->carry[pos] == '\r' && pos + 1 == r->carry_len && r->eof) {
                pos++;
            } else {
                break;
            }
        }
        if (pos < r->carry_len) {
            end = pos + ef_csv_record_end(r->carry + pos, r->carry_len - pos, &nlf);
            if (end < r->carry_len)
                break;
            if (r->eof) {
                if (ef_csv_quote_parity(r->carry + pos, r->carry_len - pos)) {
                    q = ef_csv_open_quote(r->carry + pos, r->carry_len - pos, &qcol);
                    return ef_error_set_at(err, EF_EPARSE, r->path,
                                           line + (long)ef_csv_count_lf(r->carry + pos, q),
                                           (long)qcol + 1,
                                           "unterminated quoted name in the header: the quote "
                                           "opened here is never closed");
                }
                break;   /* a header without a final newline */
            }
        } else if (r->eof) {
            return ef_error_set_at(err, EF_EDATA, r->path, 0, 0, "empty file: no header line");
        }
    }
    rc = ef_csv_parse_header(r->carry + pos, end - pos, &r->lay.names, &r->lay.ncols, &e);
    if (rc != EF_OK)
        return ef_error_set_at(err, rc, r->path, line + e.line, e.column, "%s", e.msg);
    r->header_line = line;
    r->base_line = line + (long)nlf + 1;
    if (end < r->carry_len)
        end++;
    memmove(r->carry, r->carry + end, r->carry_len - end);
    r->carry_len -= end;
    r->carry_off = end;
    return EF_OK;
}

int ef_csv_open(ef_csv **out, const char *path, const ef_csv_opts *opts, ef_error *err)
{
    ef_csv *r;
    struct stat st;
    int rc;

    *out = NULL;
    r = ef_xcalloc(1, sizeof *r);
    r->path = ef_xstrdup(path);
    r->fd = -1;
    r->nworkers = opts && opts->threads > 1 ? opts->threads : 0;
    if (r->nworkers > MAX_THREADS)
        r->nworkers = MAX_THREADS;
    r->pool = opts ? opts->pool : NULL;
    r->lay.libcsv_only = opts ? opts->libcsv_only : 0;
    r->lay.scan = opts ? opts->scan : EF_CSV_SCAN_BEST;
    r->lay.numbers = opts ? opts->numbers : 0;
    r->block_bytes = opts && opts->block_bytes ? opts->block_bytes : DEFAULT_BLOCK;
    if (r->block_bytes < 8)
        r->block_bytes = 8;
    if (r->block_bytes > EF_CSV_MAX_BLOCK)
        r->block_bytes = EF_CSV_MAX_BLOCK;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        ef_csv_close(r);
        return rc;
    }
    if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode))
        r->size = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    if ((rc = read_header(r, err)) != EF_OK) {
        ef_csv_close(r);
        return rc;
    }
    *out = r;
    return EF_OK;
}

size_t ef_csv_ncols(const ef_csv *r)
{
    return r->lay.ncols;
}

const char *ef_csv_colname(const ef_csv *r, size_t i)
{
    return i < r->lay.ncols ? r->lay.names[i] : NULL;
}

long ef_csv_find(const ef_csv *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->lay.ncols; i++)
        if (strcmp(r->lay.names[i], name) == 0)
            return (long)i;
    return -1;
}

long ef_csv_header_line(const ef_csv *r)
{
    return r->header_line;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

int ef_csv_select(ef_csv *r, const size_t *cols, size_t n, ef_error *err)
{
    size_t i, k, lo, hi, mid;
    size_t *u;

    if (r->started)
        return ef_error_set(err, EF_EINVAL, "ef_csv_select: rows are already being read");
    for (i = 0; i < n; i++)
        if (cols[i] >= r->lay.ncols)
            return ef_error_set_at(err, EF_EINVAL, r->path, 0, 0,
                                   "column index %zu out of range (the header has %zu columns)",
                                   cols[i], r->lay.ncols);
    u = ef_xreallocarray(NULL, n ? n : 1, sizeof *u);
    if (n)
        memcpy(u, cols, n * sizeof *u);
    qsort(u, n, sizeof *u, cmp_size);
    for (i = k = 0; i < n; i++)
        if (k == 0 || u[k - 1] != u[i])
            u[k++] = u[i];
    free(r->lay.uniq);
    free(r->map);
    r->lay.uniq = u;
    r->lay.nuniq = k;
    r->nsel = n;
    r->map = ef_xreallocarray(NULL, n ? n : 1, sizeof *r->map);
    for (i = 0; i < n; i++) {
        lo = 0;
        hi = k;
        while (hi - lo > 1) {
            mid = (lo + hi) / 2;
            if (u[mid] <= cols[i])
                lo = mid;
            else
                hi = mid;
        }
        r->map[i] = lo;
    }
    r->selected = 1;
    return EF_OK;
}

/* Cut the next block: the carried bytes plus a read, up to the last row
 * boundary; what follows it is carried to the next block.  Cuts come from
 * quote parity, or from the exact lexer once a stray quote has been seen.
 * At end of file, or on a read error, the block is the last one: an
 * unfinishable tail becomes its tail_code, or, with parity cuts, a request
 * to re-read that tail with exact cuts (resync_tail). */
static void fill_block(ef_csv *r, ef_csv_block *b)
{
    size_t want = r->block_bytes > r->carry_len ? r->block_bytes : r->carry_len;
    size_t scanned = 0, got, cut, qcol;
    int parity = 0, ioerr = 0, inq = 0;
    ef_error e;

    b->len = b->tail_len = 0;
    b->tail_code = 0;
    b->last = b->resync = b->resync_tail = 0;
    b->exact = r->exact;
    b->file_off = r->carry_off;
    if (b->cap < want + 1) {
        free(b->buf);
        b->cap = want + 1;
        b->buf = ef_xmalloc(b->cap);
    }
    memcpy(b->buf, r->carry, r->carry_len);
    b->len = r->carry_len;
    r->carry_len = 0;
    for (;;) {
        /* Keep one byte free for a missing final newline. */
        while (b->len < b->cap - 1 && !r->eof && !ioerr) {
            if (read_some(r, b->buf + b->len, b->cap - 1 - b->len, &got, &e) != EF_OK) {
                ioerr = 1;
                /* e.msg is "read failed: <strerror>", far below the limit. */
                memcpy(b->tail_msg, e.msg, sizeof b->tail_msg - 1);
                b->tail_msg[sizeof b->tail_msg - 1] = '\0';
            }
            b->len += got;
        }
        if (ioerr) {
            cut = ef_csv_last_boundary_exact(b->buf, b->len, &inq);
            b->tail_code = EF_EIO;
            break;
        }
        if (b->exact) {
            cut = ef_csv_last_boundary_exact(b->buf, b->len, &inq);
        } else {
            parity ^= ef_csv_quote_parity(b->buf + scanned, b->len - scanned);
            scanned = b->len;
            cut = ef_csv_last_boundary(b->buf, b->len, parity);
            inq = parity;
        }
        if (r->eof) {
            if (!inq) {
                if (b->len && b->buf[b->len - 1] != '\n')
                    b->buf[b->len++] = '\n';
                cut = b->len;
            } else if (!b->exact) {
                b->resync_tail = 1;
            } else {
                if (cut == (size_t)-1)
                    cut = 0;
                b->tail_code = EF_EPARSE;
                b->tail_quote = cut + ef_csv_open_quote(b->buf + cut, b->len - cut, &qcol);
                b->tail_column = (long)qcol + 1;
                snprintf(b->tail_msg, sizeof b->tail_msg,
                         "unterminated quoted cell in column %zu: the quote opened here is "
                         "never closed before the end of the file", qcol + 1);
            }
            break;
        }
        if (cut != (size_t)-1)
            break;
        if (b->cap - 1 >= EF_CSV_MAX_BLOCK) {
            if (!b->exact) {
                b->resync_tail = 1;
            } else {
                b->tail_code = EF_EDATA;
                snprintf(b->tail_msg, sizeof b->tail_msg,
                         "a row is longer than %zu MiB; is this a CSV file?",
                         EF_CSV_MAX_BLOCK >> 20);
            }
            break;
        }
        b->cap = 2 * (b->cap - 1) + 1;
        if (b->cap - 1 > EF_CSV_MAX_BLOCK)
            b->cap = EF_CSV_MAX_BLOCK + 1;
        b->buf = ef_xrealloc(b->buf, b->cap);
    }
    if (cut == (size_t)-1)
        cut = 0;
    if (b->tail_code || b->resync_tail || r->eof) {
        b->last = 1;
        b->tail_len = b->len - cut;
    } else {
        carry_reserve(r, b->len - cut);
        memcpy(r->carry, b->buf + cut, b->len - cut);
        r->carry_len = b->len - cut;
    }
    r->carry_off = b->file_off + cut;
    b->len = cut;
}

static void parse_task(void *arg)
{
    struct worker *w = arg;
    ef_csv *r = w->r;

    pthread_mutex_lock(&r->mu);
    w->b->state = EF_CSV_BLK_PARSING;
    pthread_mutex_unlock(&r->mu);
    ef_csv_parse_block(&w->ps, w->b);
    pthread_mutex_lock(&r->mu);
    w->b->state = EF_CSV_BLK_PARSED;
    pthread_cond_broadcast(&r->done_cv);
    pthread_mutex_unlock(&r->mu);
}

/* First ef_csv_next: fix the selection, allocate the blocks, start workers. */
static int start(ef_csv *r, ef_error *err)
{
    size_t i, nw;

    if (!r->selected) {
        size_t *all = ef_xreallocarray(NULL, r->lay.ncols, sizeof *all);
        int rc;

        for (i = 0; i < r->lay.ncols; i++)
            all[i] = i;
        rc = ef_csv_select(r, all, r->lay.ncols, err);
        free(all);
        if (rc != EF_OK)
            return rc;
    }
    r->started = 1;
    r->cellv = ef_xcalloc(r->nsel ? r->nsel : 1, sizeof *r->cellv);
    r->lenv = ef_xcalloc(r->nsel ? r->nsel : 1, sizeof *r->lenv);
    if (r->lay.numbers) {
        r->numv = ef_xcalloc(r->nsel ? r->nsel : 1, sizeof *r->numv);
        r->kindv = ef_xcalloc(r->nsel ? r->nsel : 1, sizeof *r->kindv);
    }
    /* Two blocks per worker keep them busy while the reader reads and the
     * caller consumes; one block suffices inline. */
    r->nblocks = r->nworkers ? 2 * (size_t)r->nworkers + 2 : 1;
    r->blocks = ef_xcalloc(r->nblocks, sizeof *r->blocks);
    nw = r->nblocks;
    r->workers = ef_xcalloc(nw, sizeof *r->workers);
    r->nparsers = nw;
    for (i = 0; i < nw; i++) {
        r->workers[i].r = r;
        r->workers[i].b = &r->blocks[i];
        ef_csv_parser_init(&r->workers[i].ps, &r->lay);
    }
    if (r->nworkers) {
        pthread_mutex_init(&r->mu, NULL);
        pthread_cond_init(&r->done_cv, NULL);
        if (!r->pool)
            r->pool = r->own_pool = ef_pool_new(r->nworkers);
        ef_pool_group_init(&r->g, r->pool, &r->stop);
    }
    return EF_OK;
}

static int block_state(ef_csv *r, const ef_csv_block *b)
{
    int st;

    if (!r->nworkers)
        return b->state;
    pthread_mutex_lock(&r->mu);
    st = b->state;
    pthread_mutex_unlock(&r->mu);
    return st;
}

/* Fill every free block, in sequence order. */
static void top_up(ef_csv *r)
{
    while (!r->prod_done) {
        ef_csv_block *b = &r->blocks[(size_t)r->fill_seq % r->nblocks];

        if (block_state(r, b) != EF_CSV_BLK_FREE)
            break;
        fill_block(r, b);
        b->seq = r->fill_seq++;
        if (b->last)
            r->prod_done = 1;
        if (r->nworkers) {
            pthread_mutex_lock(&r->mu);
            b->state = EF_CSV_BLK_FILLED;
            pthread_mutex_unlock(&r->mu);
            ef_pool_submit(&r->g, parse_task, &r->workers[b - r->blocks]);
        } else {
            ef_csv_parse_block(&r->workers[0].ps, b);
            b->state = EF_CSV_BLK_PARSED;
        }
    }
}

static ef_csv_block *wait_parsed(ef_csv *r, long seq)
{
    ef_csv_block *b = &r->blocks[(size_t)seq % r->nblocks];

    if (r->nworkers) {
        pthread_mutex_lock(&r->mu);
        while (b->state != EF_CSV_BLK_PARSED)
            pthread_cond_wait(&r->done_cv, &r->mu);
        pthread_mutex_unlock(&r->mu);
    }
    return b;
}

static void release(ef_csv *r, ef_csv_block *b)
{
    r->base_line += (long)b->nlf;
    if (r->nworkers) {
        pthread_mutex_lock(&r->mu);
        b->state = EF_CSV_BLK_FREE;
        pthread_mutex_unlock(&r->mu);
    } else {
        b->state = EF_CSV_BLK_FREE;
    }
    r->cons_seq++;
    r->cur = NULL;
}

/* The condition after the last block's rows; reading stops here. */
static int tail_error(ef_csv *r, const ef_csv_block *b, ef_error *err)
{
    long line = 0, col = 0;

    r->finished = 1;
    r->failed = 1;
    if (b->tail_code == EF_EPARSE) {
        line = r->base_line + (long)b->nlf
               + (long)ef_csv_count_lf(b->buf + b->len, b->tail_quote - b->len);
        col = b->tail_column;
    } else if (b->tail_code == EF_EDATA) {
        line = r->base_line + (long)b->nlf;
    }
    return ef_error_set_at(err, b->tail_code, r->path, line, col, "%s", b->tail_msg);
}

/* The parity cuts went wrong at a stray quote: drop every block after this
 * point and read again from the row where it happened, with exact cuts. */
static int resync(ef_csv *r, ef_csv_block *b, ef_error *err)
{
    size_t off = b->resync ? b->resync_off : b->len, i;
    long line = r->base_line + (long)(b->resync ? b->resync_lf : b->nlf);
    uint64_t foff = b->file_off + off;

    if (r->nworkers) {
        ef_pool_wait(&r->g);   /* no parse may be queued or under way */
        pthread_mutex_lock(&r->mu);
        for (i = 0; i < r->nblocks; i++)
            r->blocks[i].state = EF_CSV_BLK_FREE;
        pthread_mutex_unlock(&r->mu);
    } else {
        for (i = 0; i < r->nblocks; i++)
            r->blocks[i].state = EF_CSV_BLK_FREE;
    }
    r->cur = NULL;
    r->cons_seq++;
    r->fill_seq = r->cons_seq;
    r->base_line = line;
    if (lseek(r->fd, (off_t)foff, SEEK_SET) == (off_t)-1) {
        r->finished = 1;
        r->failed = 1;
        return ef_error_set_at(err, EF_EIO, r->path, line, 0,
                               "malformed quoting in this row, and the input cannot be "
                               "re-read to recover: %s", strerror(errno));
    }
    r->eof = 0;
    r->carry_len = 0;
    r->carry_off = r->bytes_in = foff;
    r->exact = 1;
    r->prod_done = 0;
    return EF_OK;
}

int ef_csv_next(ef_csv *r, ef_csv_row *row, ef_error *err)
{
    ef_csv_block *b;
    size_t i, k;
    int rc;

    if (!r->started && (rc = start(r, err)) != EF_OK)
        return rc;
    for (;;) {
        if (r->finished)
            return EF_DONE;
        b = r->cur;
        if (b && r->cur_row < b->nrows) {
            i = r->cur_row++;
            r->done_bytes = b->file_off + b->row_end[i];
            if (r->size && r->done_bytes > r->size)
                r->done_bytes = r->size;   /* the newline added at end of file */
            if (b->row_err[i] >= 0) {
                const ef_csv_rowerr *e = &b->errs[b->row_err[i]];

                return ef_error_set_at(err, e->code, r->path, r->base_line + e->line,
                                       e->column, "%s", e->msg);
            }
            for (k = 0; k < r->nsel; k++) {
                size_t c = i * r->lay.nuniq + r->map[k];

                r->cellv[k] = b->buf + b->cell_off[c];
                r->lenv[k] = b->cell_len[c];
            }
            if (r->lay.numbers) {
                for (k = 0; k < r->nsel; k++) {
                    size_t c = i * r->lay.nuniq + r->map[k];

                    r->numv[k] = b->cell_num[c];
                    r->kindv[k] = b->cell_kind[c];
                }
            }
            row->n = r->nsel;
            row->cell = r->cellv;
            row->len = r->lenv;
            row->num = r->numv;
            row->kind = r->kindv;
            row->line = r->base_line + (long)b->row_line[i];
            r->rows++;
            return EF_OK;
        }
        if (b) {
            if (b->resync || b->resync_tail) {
                if ((rc = resync(r, b, err)) != EF_OK)
                    return rc;
                continue;
            }
            if (b->tail_code)
                return tail_error(r, b, err);
            release(r, b);
        }
        if (r->prod_done && r->cons_seq == r->fill_seq) {
            r->finished = 1;
            r->done_bytes = r->bytes_in;
            return EF_DONE;
        }
        top_up(r);
        r->cur = wait_parsed(r, r->cons_seq);
        r->cur_row = 0;
    }
}

int ef_csv_failed(const ef_csv *r)
{
    return r->failed;
}

uint64_t ef_csv_bytes_read(const ef_csv *r)
{
    return r->done_bytes;
}

uint64_t ef_csv_bytes_total(const ef_csv *r)
{
    return r->size;
}

long ef_csv_rows(const ef_csv *r)
{
    return r->rows;
}

void ef_csv_close(ef_csv *r)
{
    size_t i;

    if (!r)
        return;
    if (r->started && r->nworkers) {
        ef_flag_set(&r->stop);   /* queued parses are dropped */
        ef_pool_wait(&r->g);
        ef_pool_free(r->own_pool);
        pthread_cond_destroy(&r->done_cv);
        pthread_mutex_destroy(&r->mu);
    }
    for (i = 0; i < r->nparsers; i++)
            ef_csv_parser_fini(&r->workers[i].ps);
    free(r->workers);
    for (i = 0; i < r->nblocks; i++)
        ef_csv_block_free(&r->blocks[i]);
    free(r->blocks);
    for (i = 0; i < r->lay.ncols; i++)
        free(r->lay.names[i]);
    free(r->lay.names);
    free(r->lay.uniq);
    free(r->map);
    free(r->cellv);
    free(r->lenv);
    free(r->numv);
    free(r->kindv);
    free(r->carry);
    if (r->fd >= 0)
        close(r->fd);
    free(r->path);
    free(r);
}
