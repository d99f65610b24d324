/* csv_fuzz.c — differential libFuzzer harness for the main-CSV reader.
 *
 * Each input is written to a temporary file and read under several
 * ef_csv_opts (best, portable and SSE2 vector scanners, two threads with
 * small blocks, libcsv for every row, with and without .numbers) and column
 * selections; every transcript (rows, cells, line numbers, errors, as
 * tests/unit/test_csv.c's dump()) must equal the byte loop's (.scan = 1),
 * and with .numbers each row->num/kind must be what ef_csv_number gives for
 * the cell.  Any difference aborts, after printing both transcripts (cells
 * are escaped: \n \r \0 \| \\).
 *
 * Not built by `make check`.  With libFuzzer (configure must not link
 * -fsanitize=fuzzer itself, its main() breaks configure's own tests):
 *   configure CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined' \
 *             LDFLAGS='-fsanitize=address,undefined' CPPFLAGS=-DEF_LIBFUZZER
 *   make tests/fuzz/csv_fuzz LDFLAGS='-fsanitize=fuzzer,address,undefined'
 *   tests/fuzz/csv_fuzz -max_len=4096 -timeout=10 CORPUS
 * (seed CORPUS with small CSVs of both dialects).  Without EF_LIBFUZZER the
 * program replays the files named on its command line.  EF_CSV_FUZZ_NO_LIBCSV
 * in the environment leaves the libcsv-only configurations out. */
#include "config.h"
#include "fuzz_replay.h"
#include "core/ef_alloc.h"
#include "core/ef_pool.h"
#include "ukb/ef_csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct buf {
    char *s;
    size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = 2 * (b->n + n + 1);
        b->s = ef_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void putf(struct buf *b, const char *fmt, ...) EF_PRINTF(2, 3);
static void putf(struct buf *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void put_cell(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case '|': put(b, "\\|", 2); break;
        case '\\': put(b, "\\\\", 2); break;
        case '\0': put(b, "\\0", 2); break;
        default: put(b, s + i, 1);
        }
    }
}

static char *path;
static ef_pool *pool;
static int anomaly;   /* dump() met a bad length, number, pointer or file name */

/* The transcript of reading PATH with O, columns SEL[0, nsel) (nsel 0: all). */
static char *dump(const ef_csv_opts *o, const size_t *sel, size_t nsel)
{
    struct buf b = { 0 };
    ef_csv *r;
    ef_csv_row row;
    ef_error err;
    int rc, guard = 0;

    put(&b, "", 0);
    ef_error_clear(&err);
    if ((rc = ef_csv_open(&r, path, o, &err)) != EF_OK) {
        putf(&b, "OPEN%d@%ld,%ld:%s\n", rc, err.line, err.column, err.msg);
        return b.s;
    }
    putf(&b, "H%ld:%zu\n", ef_csv_header_line(r), ef_csv_ncols(r));
    if (nsel && ef_csv_select(r, sel, nsel, &err) != EF_OK)
        putf(&b, "SELECT:%s\n", err.msg);
    while ((rc = ef_csv_next(r, &row, &err)) != EF_DONE) {
        if (++guard > 1000000) {
            put(&b, "LOOP\n", 5);
            break;
        }
        if (rc == EF_OK) {
            putf(&b, "L%ld:", row.line);
            if (o->numbers != (row.num != NULL) || o->numbers != (row.kind != NULL))
                put(&b, "<NUMPTR>", 8), anomaly = 1;
            for (size_t k = 0; k < row.n; k++) {
                if (k)
                    put(&b, "|", 1);
                if (strlen(row.cell[k]) != row.len[k])
                    put(&b, "<BADLEN>", 8), anomaly = 1;
                put_cell(&b, row.cell[k], row.len[k]);
                if (row.num && row.kind) {
                    double v = 0;
                    int kind = ef_csv_number(row.cell[k], row.len[k], &v);

                    if (kind != row.kind[k]
                        || (kind != EF_CSV_NUM_TEXT
                            && !(isnan(v) ? isnan(row.num[k])
                                          : memcmp(&v, &row.num[k], sizeof v) == 0))) {
                        putf(&b, "<NUM %d %.17g != %d %.17g>", row.kind[k], row.num[k],
                             kind, v);
                        anomaly = 1;
                    }
                }
            }
            put(&b, "\n", 1);
        } else {
            putf(&b, "E%d@%ld,%ld:%s\n", rc, err.line, err.column, err.msg);
            if (strcmp(err.file, path) != 0)
                put(&b, "<BADFILE>\n", 10), anomaly = 1;
        }
    }
    putf(&b, "DONE %ld\n", ef_csv_rows(r));
    if (ef_csv_next(r, &row, &err) != EF_DONE)
        put(&b, "NOT-DONE-AGAIN\n", 15);
    if (ef_csv_failed(r))
        put(&b, "FAILED\n", 7);
    ef_csv_close(r);
    return b.s;
}

static const struct cfg {
    const char *name;
    ef_csv_opts o;
    int libcsv;
} CFGS[] = {
    { "best", { .threads = 1, .scan = 0 }, 0 },
    { "portable", { .threads = 1, .scan = 2 }, 0 },
    { "sse2", { .threads = 1, .scan = 3 }, 0 },
    { "threads=2 block=64", { .threads = 2, .block_bytes = 64 }, 0 },
    { "threads=2 block=300 portable", { .threads = 2, .block_bytes = 300, .scan = 2 }, 0 },
    { "threads=1 block=64 byte loop", { .threads = 1, .block_bytes = 64, .scan = 1 }, 0 },
    { "libcsv", { .threads = 1, .libcsv_only = 1 }, 1 },
    { "libcsv threads=2 block=64", { .threads = 2, .libcsv_only = 1, .block_bytes = 64 }, 1 },
};
#define NCFG (sizeof CFGS / sizeof CFGS[0])

static void compare(const size_t *sel, size_t nsel, int numbers, int libcsv)
{
    ef_csv_opts ref = { .threads = 1, .scan = 1, .numbers = numbers };
    char *want;

    anomaly = 0;
    want = dump(&ref, sel, nsel);

    for (size_t i = 0; i < NCFG; i++) {
        ef_csv_opts o = CFGS[i].o;
        char *got;

        if (CFGS[i].libcsv && !libcsv)
            continue;
        o.numbers = numbers;
        if (o.threads > 1)
            o.pool = pool;
        got = dump(&o, sel, nsel);
        if (strcmp(got, want) != 0 || anomaly) {
            fprintf(stderr, "csv_fuzz: %s numbers=%d differs from the byte loop; sel:", CFGS[i].name,
                    numbers);
            for (size_t k = 0; k < nsel; k++)
                fprintf(stderr, " %zu", sel[k]);
            fprintf(stderr, "\n--- byte loop\n%s--- %s\n%s", want, CFGS[i].name, got);
            abort();
        }
        free(got);
    }
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f;
    ef_csv *r;
    ef_error err;
    ef_csv_opts o = { .threads = 1, .scan = 1 };
    size_t ncols, sel[4];
    int libcsv = !getenv("EF_CSV_FUZZ_NO_LIBCSV");

    if (!path) {
        const char *tmp = getenv("TMPDIR");

        path = ef_xasprintf("%s/csv_fuzz.%ld.csv", tmp && *tmp ? tmp : "/tmp", (long)getpid());
        pool = ef_pool_new(2);
    }
    if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    ef_error_clear(&err);
    if (ef_csv_open(&r, path, &o, &err) != EF_OK) {
        compare(NULL, 0, 0, libcsv);
        return 0;
    }
    ncols = ef_csv_ncols(r);
    ef_csv_close(r);
    for (int numbers = 0; numbers < 2; numbers++) {
        compare(NULL, 0, numbers, libcsv);
        /* columns 0, 1, the last and 1 again (what the header has) */
        sel[0] = 0;
        sel[1] = ncols > 1 ? 1 : 0;
        sel[2] = ncols - 1;
        sel[3] = sel[1];
        compare(sel, 4, numbers, libcsv);
        if (ncols > 2) {   /* a middle column alone */
            sel[0] = ncols / 2;
            compare(sel, 1, numbers, libcsv);
        }
    }
    return 0;
}

#ifndef EF_LIBFUZZER
int main(int argc, char **argv)
{
    int rc = fuzz_replay(argc, argv);

    if (path)
        unlink(path);
    ef_pool_free(pool);
    return rc;
}
#endif
