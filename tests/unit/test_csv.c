/* test_csv.c — the streaming main-CSV reader: dialects, bad input, threads.
 *
 * Every case is read under several configurations (1 and 2 threads, tiny
 * blocks so that rows straddle block cuts, libcsv for every row) and each
 * must give the same transcript: one line per ef_csv_next result. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "ukb/ef_csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct buf {
    char *s;
    size_t n, cap;
};

static const struct cfg {
    const char *name;
    ef_csv_opts o;
} CFGS[] = {
    { "threads=1", { .threads = 1 } },
    { "threads=2", { .threads = 2 } },
    { "threads=1 block=16", { .threads = 1, .block_bytes = 16 } },
    { "threads=2 block=16", { .threads = 2, .block_bytes = 16 } },
    { "threads=1 libcsv", { .threads = 1, .libcsv_only = 1 } },
    { "threads=2 libcsv block=16", { .threads = 2, .libcsv_only = 1, .block_bytes = 16 } },
    { "threads=3 block=64", { .threads = 3, .block_bytes = 64 } },
    { "threads=1 byte loop", { .threads = 1, .scan = 1 } },
    { "threads=2 portable scanner block=16", { .threads = 2, .block_bytes = 16, .scan = 2 } },
};
#define NCFG (sizeof CFGS / sizeof CFGS[0])

static char *files[64];
static size_t nfiles;

static void put(struct buf *b, const char *s, size_t n);
static void putf(struct buf *b, const char *fmt, ...) EF_PRINTF(2, 3);
static void put_cell(struct buf *b, const char *s, size_t n);
static const char *mkfile(const char *name, const char *data, size_t n);
static char *dump(const char *path, const ef_csv_opts *o, const char *const *names);
static void check_all(const char *path, const char *const *names, const char *want,
                      const char *what);
static void test_open_errors(void);
static void test_fixtures(void);
static void test_bad_rows(void);
static void test_dialect(void);
static void test_long_line(void);
static void test_select_api(void);
static void test_generated(void);
static void test_scanners(void);

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

/* Cells escaped so that a transcript is one line per row. */
static void put_cell(struct buf *b, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
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

static const char *mkfile(const char *name, const char *data, size_t n)
{
    char *path = ef_xasprintf("%s/%s", tap_tmpdir(), name);
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        diag("cannot write %s", path);
        exit(99);
    }
    if (nfiles < sizeof files / sizeof files[0])
        files[nfiles++] = path;
    return path;
}

#define MKFILE(name, lit) mkfile(name, lit, sizeof lit - 1)

/* Transcript of reading PATH: "L<line>:cell|cell" per row, "E<code>@<line>,
 * <col>:<msg>" per error, "DONE" (and "FAILED") at the end. */
static char *dump(const char *path, const ef_csv_opts *o, const char *const *names)
{
    struct buf b = { 0 };
    ef_csv *r;
    ef_csv_row row;
    ef_error err;
    size_t cols[64], n = 0, k;
    long id;
    int rc, guard = 0;

    ef_error_clear(&err);
    if ((rc = ef_csv_open(&r, path, o, &err)) != EF_OK) {
        putf(&b, "OPEN%d:%s\n", rc, err.msg);
        return b.s;
    }
    if (names) {
        for (n = 0; names[n]; n++) {
            id = ef_csv_find(r, names[n]);
            if (id < 0) {
                putf(&b, "NOCOL %s\n", names[n]);
                ef_csv_close(r);
                return b.s;
            }
            cols[n] = (size_t)id;
        }
        if (ef_csv_select(r, cols, n, &err) != EF_OK)
            putf(&b, "SELECT:%s\n", err.msg);
    }
    while ((rc = ef_csv_next(r, &row, &err)) != EF_DONE) {
        if (++guard > 1000000) {
            put(&b, "LOOP\n", 5);
            break;
        }
        if (rc == EF_OK) {
            putf(&b, "L%ld:", row.line);
            for (k = 0; k < row.n; k++) {
                if (k)
                    put(&b, "|", 1);
                if (strlen(row.cell[k]) != row.len[k])
                    put(&b, "<BADLEN>", 8);
                put_cell(&b, row.cell[k], row.len[k]);
            }
            put(&b, "\n", 1);
        } else {
            putf(&b, "E%d@%ld,%ld:%s%s\n", rc, err.line, err.column, err.msg,
                 strcmp(err.file, path) ? " <BADFILE>" : "");
        }
    }
    put(&b, "DONE\n", 5);
    if (ef_csv_next(r, &row, &err) != EF_DONE)
        put(&b, "NOT-DONE-AGAIN\n", 15);
    if (ef_csv_failed(r))
        put(&b, "FAILED\n", 7);
    ef_csv_close(r);
    return b.s;
}

static void check_all(const char *path, const char *const *names, const char *want,
                      const char *what)
{
    size_t i;

    for (i = 0; i < NCFG; i++) {
        char *got = dump(path, &CFGS[i].o, names);

        is_str(got, want, "%s (%s)", what, CFGS[i].name);
        free(got);
    }
}

static void test_open_errors(void)
{
    ef_csv *r = (ef_csv *)1;
    ef_error err;
    ef_csv_row row;
    char *missing = ef_xasprintf("%s/no-such.csv", tap_tmpdir());
    const char *p;
    size_t t;

    for (t = 1; t <= 2; t++) {
        ef_csv_opts o = { .threads = (int)t };

        is_int(ef_csv_open(&r, missing, &o, &err), EF_EIO, "missing file: EF_EIO (threads=%zu)", t);
        ok(r == NULL, "missing file: no reader");
        is_str(err.file, missing, "missing file: error names the path");
        like(err.msg, "No such file", "missing file: strerror in the message");

        p = MKFILE("empty.csv", "");
        is_int(ef_csv_open(&r, p, &o, &err), EF_EDATA, "empty file: EF_EDATA (threads=%zu)", t);
        is_str(err.msg, "empty file: no header line", "empty file message");
        is_str(err.file, p, "empty file: error names the path");

        p = MKFILE("blank.csv", "\n\r\n\n");
        is_int(ef_csv_open(&r, p, &o, &err), EF_EDATA, "only blank lines: EF_EDATA");

        p = MKFILE("hdrquote.csv", "a,\"b\n,c\n");
        is_int(ef_csv_open(&r, p, &o, &err), EF_EPARSE, "unterminated quote in the header");
        is_int(err.line, 1, "header quote: line");
        is_int(err.column, 2, "header quote: column");

        p = MKFILE("hdrbad.csv", "a,b\"c,d\n1,2,3\n");
        is_int(ef_csv_open(&r, p, &o, &err), EF_EPARSE, "malformed header quoting");
        like(err.msg, "header column 2", "malformed header: names the column");

        p = MKFILE("hdrnul.csv", "a,b\0x,c\n1,2,3\n");
        is_int(ef_csv_open(&r, p, &o, &err), EF_EPARSE, "NUL in the header");
        is_int(err.column, 2, "NUL in header: column");

        /* Header only, with and without the final newline. */
        p = MKFILE("hdronly.csv", "eid,31-0.0,34-0.0\n");
        is_int(ef_csv_open(&r, p, &o, &err), EF_OK, "header only: opens");
        is_int((long long)ef_csv_ncols(r), 3, "header only: 3 columns");
        is_int(ef_csv_next(r, &row, &err), EF_DONE, "header only: EF_DONE at once");
        ok(!ef_csv_failed(r), "header only: not a failure");
        is_int(ef_csv_rows(r), 0, "header only: zero rows");
        ef_csv_close(r);
        p = MKFILE("hdronly2.csv", "eid,31-0.0\r");
        is_int(ef_csv_open(&r, p, &o, &err), EF_OK, "header without newline: opens");
        is_str(ef_csv_colname(r, 1), "31-0.0", "header without newline: CR dropped");
        is_int(ef_csv_next(r, &row, &err), EF_DONE, "header without newline: EF_DONE");
        ef_csv_close(r);
    }
    free(missing);
    ef_csv_close(NULL);
    ok(1, "ef_csv_close(NULL) is a no-op");
}

static void test_fixtures(void)
{
    char *path = ef_xasprintf("%s/tests/data/csv/ukbconv.csv", tap_srcdir());
    static const char *const ukb[] = { "eid", "21001-0.0", "21000-1.0", NULL };
    static const char *const rap[] = { "participant.eid", "participant.p20002_i0_a0",
                                       "participant.p21003_i2", NULL };
    ef_csv *r;
    ef_error err;

    if (ef_csv_open(&r, path, NULL, &err) != EF_OK) {
        diag("%s", err.msg);
        ok(0, "ukbconv fixture opens");
        free(path);
        return;
    }
    is_int((long long)ef_csv_ncols(r), 7, "ukbconv: 7 columns");
    is_str(ef_csv_colname(r, 0), "eid", "ukbconv: quotes removed from names");
    is_int(ef_csv_find(r, "21003-0.0"), 6, "ukbconv: find");
    is_int(ef_csv_find(r, "21003-2.0"), -1, "ukbconv: find absent");
    ok(ef_csv_colname(r, 7) == NULL, "colname out of range is NULL");
    ef_csv_close(r);
    check_all(path, ukb,
              "L2:1000001|27.9871|\nL3:1000002||\nL4:1000003|-0.932745|2001\nDONE\n",
              "ukbconv fixture");
    free(path);
    path = ef_xasprintf("%s/tests/data/csv/rap.csv", tap_srcdir());
    check_all(path, rap,
              "L2:1000001|hypertension, essential|54\nL3:1000002||\nL4:1000003||47\nDONE\n",
              "RAP fixture");
    free(path);
}

static void test_bad_rows(void)
{
    static const char *const all6[] = { "a", "b", "c", "d", "e", "f", NULL };
    const char *p;

    /* Line 7 is ragged; the reader carries on. */
    p = MKFILE("ragged.csv", "a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5,6\n"
                             "1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5\n7,8,9,10,11,12\n"
                             "1,2,3,4,5,6,7\n");
    check_all(p, all6,
              "L2:1|2|3|4|5|6\nL3:1|2|3|4|5|6\nL4:1|2|3|4|5|6\nL5:1|2|3|4|5|6\n"
              "L6:1|2|3|4|5|6\nE-2@7,0:row has 5 cells, header has 6\nL8:7|8|9|10|11|12\n"
              "E-2@9,0:row has 7 cells, header has 6\nDONE\n",
              "ragged rows");

    /* Unterminated quote: reported at the line where the cell opened. */
    p = MKFILE("unterm.csv", "a,b\n1,2\n3,\"x\ny\nz\n");
    check_all(p, NULL,
              "L2:1|2\nE-2@3,2:unterminated quoted cell in column 2: the quote opened here "
              "is never closed before the end of the file\nDONE\nFAILED\n",
              "unterminated quote at EOF");
    p = MKFILE("unterm2.csv", "a,b\n\"1\",\"2\"\n\"3\",\"4\"\"\n");
    check_all(p, NULL,
              "L2:1|2\nE-2@3,2:unterminated quoted cell in column 2: the quote opened here "
              "is never closed before the end of the file\nDONE\nFAILED\n",
              "unterminated quote ending in an escape");

    /* Embedded NUL: row rejected, line and column named. */
    p = MKFILE("nul.csv", "a,b,c\n1,2,3\n4,5,x\0y\n\"7\",\"8\n\0\",9\n10,11,12\n");
    check_all(p, NULL,
              "L2:1|2|3\nE-2@3,3:NUL byte in column 3 (c)\nE-2@5,2:NUL byte in column 2 (b)\n"
              "L6:10|11|12\nDONE\n",
              "embedded NUL bytes");
    /* A NUL before a quoting error in the same cell: the NUL is named
     * (libcsv_only named the quote; found by tests/fuzz/csv_fuzz.c). */
    p = mkfile("nulquote.csv", "a,b\n1,x\0\"\n\"2\0\"z,3\n4,5\n", 22);
    check_all(p, NULL,
              "E-2@2,2:NUL byte in column 2 (b)\nE-2@3,1:NUL byte in column 1 (a)\nL4:4|5\n"
              "DONE\n",
              "NUL before a quoting error");
    /* A NUL, then a bare CR and a quote: libcsv_only named an unterminated
     * cell; a bare CR and a quote without NUL: the CR is named. */
    p = MKFILE("nulcr.csv", "a,b\n1,x\0\r\"y,2\n3,\r\"z\n4,5\n");
    check_all(p, NULL,
              "E-2@2,2:NUL byte in column 2 (b)\n"
              "E-2@3,0:carriage return outside quotes inside a row\nL4:4|5\nDONE\n",
              "NUL or bare CR before a quote");

    /* Quoting errors go through libcsv, which names the column. */
    p = MKFILE("badquote.csv", "a,b,c\n1,x\"y,3\n\"4\",\"5\"z,\"6\"\n7,8,9\n\"1\"\"\",2,3 \n");
    check_all(p, NULL,
              "E-2@2,2:malformed quoting in column 2 (b): a quote inside an unquoted cell\n"
              "E-2@3,2:malformed quoting in column 2 (b): text after the closing quote of "
              "a cell\nL4:7|8|9\nL5:1\"|2|3 \nDONE\n",
              "malformed quoting");

    /* A bare CR in a row. */
    p = MKFILE("barecr.csv", "a,b\n1,2\r3\n4,5\n");
    check_all(p, NULL, "E-2@2,0:carriage return outside quotes inside a row\nL3:4|5\nDONE\n",
              "bare CR");

    /* Truncated last line: fine when well-formed. */
    p = MKFILE("trunc.csv", "a,b\n1,2\n3,\"4\"");
    check_all(p, NULL, "L2:1|2\nL3:3|4\nDONE\n", "last line without newline");
    p = MKFILE("trunc2.csv", "a,b\r\n1,2\r\n3,4\r");
    check_all(p, NULL, "L2:1|2\nL3:3|4\nDONE\n", "last line ending in CR");
}

static void test_dialect(void)
{
    static const char *const sel[] = { "eid", "note", NULL };
    static const char *const rev[] = { "x", "eid", "x", NULL };
    const char *p;
    ef_csv *r;
    ef_error err;

    /* BOM + CRLF + quoted CRLF in a selected cell + blank lines. */
    p = MKFILE("bom.csv", "\xEF\xBB\xBF\"eid\",\"note\",\"x\"\r\n\r\n\"1\",\"a\r\nb\",\"c\"\r\n"
                          "\r\n\r\n\"2\",\"\",\"\"\r\n");
    if (ef_csv_open(&r, p, NULL, &err) == EF_OK) {
        is_str(ef_csv_colname(r, 0), "eid", "BOM stripped from the first name");
        is_int(ef_csv_find(r, "eid"), 0, "find the BOM-prefixed eid");
        is_str(ef_csv_colname(r, 2), "x", "CR dropped from the last name");
        ef_csv_close(r);
    } else {
        ok(0, "BOM file opens: %s", err.msg);
    }
    check_all(p, sel, "L3:1|a\\r\\nb\nL7:2|\nDONE\n", "BOM, CRLF, blank lines");
    check_all(p, rev, "L3:c|1|c\nL7:|2|\nDONE\n", "repeated and reordered selection");

    /* Quoted newlines in selected and unselected cells; line numbers after. */
    p = MKFILE("qnl.csv", "\n\neid,note,x\n1,\"multi\nline\",\"un\n\nselected\"\n"
                          "2,\"a,b\",\"say \"\"hi\"\"\"\n3,\"\"\"\",\n4,plain,\"\"\n");
    check_all(p, sel, "L4:1|multi\\nline\nL8:2|a,b\nL9:3|\"\nL10:4|plain\nDONE\n",
              "quoted newlines, commas and escapes");
    check_all(p, NULL,
              "L4:1|multi\\nline|un\\n\\nselected\nL8:2|a,b|say \"hi\"\nL9:3|\"|\n"
              "L10:4|plain|\nDONE\n",
              "all columns by default");
    if (ef_csv_open(&r, p, NULL, &err) == EF_OK) {
        is_int(ef_csv_header_line(r), 3, "header line after blank lines");
        ef_csv_close(r);
    }

    /* Duplicate names are allowed; find returns the first. */
    p = MKFILE("dup.csv", "eid,x,x\n1,2,3\n");
    if (ef_csv_open(&r, p, NULL, &err) == EF_OK) {
        is_int(ef_csv_find(r, "x"), 1, "duplicate names: first one found");
        ef_csv_close(r);
    }

    /* Unquoted spaces are kept (libcsv would trim them by default). */
    p = MKFILE("space.csv", "a,b\n 1 , \"2\"\n");
    check_all(p, NULL, "E-2@2,2:malformed quoting in column 2 (b): a quote inside an "
                       "unquoted cell\nDONE\n",
              "space before a quote is an unquoted cell");
    p = MKFILE("space2.csv", "a,b\n 1 ,2 \n");
    check_all(p, NULL, "L2: 1 |2 \nDONE\n", "spaces kept");
}

static void test_long_line(void)
{
    size_t big = 1 << 20, i, n = 0;
    char *data = ef_xmalloc(2 * big + 256), *want;
    const char *p;
    struct buf w = { 0 };

    n += (size_t)sprintf(data + n, "eid,blob,x\n1,\"");
    for (i = 0; i < big; i++)
        data[n++] = i % 1000 == 999 ? '\n' : i % 7 == 0 ? ',' : (char)('a' + i % 26);
    n += (size_t)sprintf(data + n, "\",y\n2,%s,z", "short");
    p = mkfile("long.csv", data, n);
    put(&w, "L2:1|", 5);
    put_cell(&w, data + 14, big);
    put(&w, "|y\nL", 4);
    putf(&w, "%ld:2|short|z\nDONE\n", 3L + (long)(big / 1000));
    want = w.s;
    check_all(p, NULL, want, "a 1 MB line");
    free(want);
    free(data);
}

static void test_select_api(void)
{
    const char *p = MKFILE("sel.csv", "a,b,c\n1,2,3\n4,5,6\n");
    ef_csv *r;
    ef_csv_row row;
    ef_error err;
    size_t cols[2] = { 2, 5 };

    if (ef_csv_open(&r, p, NULL, &err) != EF_OK) {
        ok(0, "sel.csv opens");
        return;
    }
    is_int(ef_csv_select(r, cols, 2, &err), EF_EINVAL, "select: index out of range");
    cols[1] = 0;
    is_int(ef_csv_select(r, cols, 2, &err), EF_OK, "select: ok");
    is_int((long long)ef_csv_bytes_total(r), 18, "bytes_total is the file size");
    is_int(ef_csv_next(r, &row, &err), EF_OK, "first row");
    is_int((long long)row.n, 2, "two selected cells");
    is_str(row.cell[0], "3", "selected cell 0");
    is_str(row.cell[1], "1", "selected cell 1");
    is_int((long long)ef_csv_bytes_read(r), 12, "bytes_read after row 1");
    is_int(ef_csv_select(r, cols, 1, &err), EF_EINVAL, "select after next");
    is_int(ef_csv_next(r, &row, &err), EF_OK, "second row");
    is_int(ef_csv_next(r, &row, &err), EF_DONE, "done");
    is_int(ef_csv_rows(r), 2, "two rows returned");
    is_int((long long)ef_csv_bytes_read(r), 18, "bytes_read at the end");
    ef_csv_close(r);

    /* Zero columns selected: rows are still checked. */
    p = MKFILE("sel0.csv", "a,b\n1,2\n3\n");
    if (ef_csv_open(&r, p, NULL, &err) == EF_OK) {
        is_int(ef_csv_select(r, cols, 0, &err), EF_OK, "select nothing");
        is_int(ef_csv_next(r, &row, &err), EF_OK, "empty selection: row");
        is_int((long long)row.n, 0, "empty selection: no cells");
        is_int(ef_csv_next(r, &row, &err), EF_EPARSE, "empty selection: ragged row found");
        ef_csv_close(r);
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A few thousand rows in a mix of dialects with some bad rows; the
 * transcript must match what the generator wrote, under every config. */
static void test_generated(void)
{
    enum { NC = 12, NROWS = 4000 };
    static const char *const sel[] = { "eid", "c3", "c4", "c7", "c11", NULL };
    static const size_t selc[] = { 0, 3, 4, 7, 11 };
    struct buf f = { 0 }, w = { 0 };
    char cell[NC][64];
    size_t cl[NC], i, j, k, ncell, nbad[5] = { 0 };
    long line = 1;
    int bad, quote_all;
    const char *path;

    put(&f, "\"eid\"", 5);
    for (j = 1; j < NC; j++)
        putf(&f, ",c%zu", j);
    put(&f, "\r\n", 2);
    for (i = 0; i < NROWS; i++) {
        long start = ++line, nlf = 0, badline = 0;
        const char *eol = rnd() % 3 ? "\n" : "\r\n";

        quote_all = rnd() % 2;
        bad = rnd() % 50 == 0 ? 1 + (int)(rnd() % 4) : 0;
        nbad[bad]++;
        ncell = bad == 1 ? NC - 1 - rnd() % 2 * (NC - 3) : NC;
        for (j = 0; j < NC; j++) {
            int kind = j == 0 ? 0 : (int)(rnd() % 10);

            if (j == 0)
                cl[j] = (size_t)sprintf(cell[j], "%zu", 1000000 + i);
            else if (kind < 3)
                cl[j] = 0;
            else if (kind < 7)
                cl[j] = (size_t)sprintf(cell[j], "%.4f", (double)(rnd() % 100000) / 997.0 - 40);
            else if (kind < 8)
                cl[j] = (size_t)sprintf(cell[j], "a,\"b\"%s", rnd() % 2 ? "\nc" : "\r\nd");
            else
                cl[j] = (size_t)sprintf(cell[j], "-%d", (int)(rnd() % 1000));
        }
        for (j = 0; j < ncell; j++) {
            int q = quote_all || memchr(cell[j], ',', cl[j]) || memchr(cell[j], '"', cl[j])
                    || memchr(cell[j], '\n', cl[j]);

            if (j)
                put(&f, ",", 1);
            if (bad == 2 && j == 5) {
                badline = start + nlf;
                put(&f, "x\0y", 3);
                put(&f, ",1", 2);   /* keep the cell count; the NUL must be found */
                j++;
                continue;
            }
            if (bad == 4 && j == 2) {   /* an odd stray quote: parity cuts go wrong */
                badline = start + nlf;
                put(&f, "x\"y", 3);
                continue;
            }
            if (bad == 3 && j == 6) {
                badline = start + nlf;
                put(&f, "\"v\"w", 4);
                continue;
            }
            if (q)
                put(&f, "\"", 1);
            for (k = 0; k < cl[j]; k++) {
                if (cell[j][k] == '"')
                    put(&f, "\"", 1);
                if (cell[j][k] == '\n')
                    nlf++;
                put(&f, cell[j] + k, 1);
            }
            if (q)
                put(&f, "\"", 1);
        }
        put(&f, eol, strlen(eol));
        if (rnd() % 40 == 0) {
            put(&f, "\n", 1);   /* a blank line */
            nlf++;
        }
        line += nlf;
        if (bad == 1) {
            putf(&w, "E-2@%ld,0:row has %zu cells, header has %d\n", start, ncell, NC);
        } else if (bad == 2) {
            putf(&w, "E-2@%ld,6:NUL byte in column 6 (c5)\n", badline);
        } else if (bad == 3) {
            putf(&w, "E-2@%ld,7:malformed quoting in column 7 (c6): text after the closing "
                     "quote of a cell\n", badline);
        } else if (bad == 4) {
            putf(&w, "E-2@%ld,3:malformed quoting in column 3 (c2): a quote inside an "
                     "unquoted cell\n", badline);
        } else {
            putf(&w, "L%ld:", start);
            for (k = 0; k < sizeof selc / sizeof selc[0]; k++) {
                if (k)
                    put(&w, "|", 1);
                put_cell(&w, cell[selc[k]], cl[selc[k]]);
            }
            put(&w, "\n", 1);
        }
    }
    put(&w, "DONE\n", 5);
    ok(nbad[1] && nbad[2] && nbad[3] && nbad[4], "generated file has every kind of bad row "
       "(%zu ragged, %zu NUL, %zu after-quote, %zu stray-quote)", nbad[1], nbad[2], nbad[3],
       nbad[4]);
    path = mkfile("gen.csv", f.s, f.n);
    for (i = 0; i < NCFG; i++) {
        char *got = dump(path, &CFGS[i].o, sel);

        ok(strcmp(got, w.s) == 0, "generated file: %d rows cell by cell (%s)", NROWS,
           CFGS[i].name);
        if (strcmp(got, w.s) != 0) {
            for (k = 0; got[k] && got[k] == w.s[k]; k++)
                ;
            diag("first difference at byte %zu: got '%.80s' want '%.80s'", k, got + k, w.s + k);
        }
        free(got);
    }
    free(f.s);
    free(w.s);
}

/* The vector row scanners against the byte loop (fast_row) on long rows
 * (cells straddle the 64-byte chunks) with every quoting case, and with
 * random damage: a quote, CR, LF, NUL or comma inserted, or a byte dropped.
 * Each scanner must give exactly the byte loop's transcript. */
static void test_scanners(void)
{
    enum { NC = 40, NROWS = 3000 };
    static const char *const sel[] = { "c0", "c1", "c2", "c7", "c20", "c21", "c38", "c39", "c7", NULL };
    static const char ins[] = { '"', '\r', '\n', '\0', ',', 'x' };
    static const struct cfg sc[] = {
        { "byte loop", { .threads = 1, .scan = 1 } },
        { "best scanner", { .threads = 1, .scan = 0 } },
        { "portable scanner", { .threads = 1, .scan = 2 } },
        { "SSE2 scanner", { .threads = 1, .scan = 3 } },
        { "best scanner, threads=2 block=300", { .threads = 2, .block_bytes = 300 } },
        { "byte loop, threads=2 block=300", { .threads = 2, .block_bytes = 300, .scan = 1 } },
    };
    struct buf f = { 0 }, row = { 0 };
    size_t i, j, k, n, nmut = 0;
    const char *path;
    int round;

    put(&f, "c0", 2);
    for (j = 1; j < NC; j++)
        putf(&f, ",c%zu", j);
    put(&f, "\n", 1);
    for (i = 0; i < NROWS; i++) {
        const char *eol = rnd() % 3 ? "\n" : "\r\n";

        row.n = 0;
        for (j = 0; j < NC; j++) {
            int kind = (int)(rnd() % 12);

            if (j)
                put(&row, ",", 1);
            if (kind < 3)
                ;   /* empty */
            else if (kind < 5)
                putf(&row, "%.3f", (double)(rnd() % 100000) / 7.0);
            else if (kind < 7)
                putf(&row, "\"%d\"", (int)(rnd() % 1000) - 500);
            else if (kind == 7)
                put(&row, "\"\"", 2);
            else if (kind == 8)
                putf(&row, "\"a\"\"b%s,\"\"\"", rnd() % 2 ? "\n" : "\r\n");
            else if (kind == 9)
                put(&row, "\"\"\"\"", 4);
            else if (kind == 10)
                putf(&row, "\"%s\"", rnd() % 2 ? "x\ry" : "\r");
            else
                for (k = 0, n = 40 + rnd() % 90; k < n; k++)
                    put(&row, &"abcdefghij"[k % 10], 1);
        }
        put(&row, eol, strlen(eol));
        if (rnd() % 6 == 0) {   /* damage the row */
            k = (size_t)(rnd() % row.n);
            nmut++;
            if (rnd() % 4 == 0) {
                memmove(row.s + k, row.s + k + 1, row.n - k - 1);
                row.n--;
            } else {
                put(&row, " ", 1);   /* make room */
                memmove(row.s + k + 1, row.s + k, row.n - 1 - k);
                row.s[k] = ins[rnd() % sizeof ins];
            }
        }
        put(&f, row.s, row.n);
    }
    path = mkfile("scan.csv", f.s, f.n);
    for (round = 0; round < 2; round++) {
        const char *const *names = round ? NULL : sel;
        char *want = dump(path, &sc[0].o, names);
        size_t nrows = 0, nerr = 0;

        for (k = 0; want[k]; k++) {
            if (k && want[k - 1] != '\n')
                continue;
            nrows += want[k] == 'L';
            nerr += want[k] == 'E';
        }
        ok(nrows > NROWS / 2 && nerr > 50, "scanner file: %zu rows, %zu errors (%zu rows damaged)",
           nrows, nerr, nmut);
        for (i = 1; i < sizeof sc / sizeof sc[0]; i++) {
            char *got = dump(path, &sc[i].o, names);

            ok(strcmp(got, want) == 0, "%s gives the byte loop's transcript (%s)", sc[i].name,
               round ? "every column" : "9 selected");
            if (strcmp(got, want) != 0) {
                for (k = 0; got[k] && got[k] == want[k]; k++)
                    ;
                diag("first difference at byte %zu: got '%.80s' want '%.80s'", k, got + k, want + k);
            }
            free(got);
        }
        free(want);
    }
    free(f.s);
    free(row.s);
}

int main(void)
{
    size_t i;

    test_open_errors();
    test_fixtures();
    test_bad_rows();
    test_dialect();
    test_long_line();
    test_select_api();
    test_generated();
    test_scanners();
    for (i = 0; i < nfiles; i++) {
        unlink(files[i]);
        free(files[i]);
    }
    rmdir(tap_tmpdir());
    return done_testing();
}
