/* gen_csv.c — write a ukbconv-style main CSV for benchmarks.
 *
 * usage: gen_csv FILE MEGABYTES NCOLS [SEED]
 *
 * Every cell is double-quoted ("" when empty), eid first, then NCOLS-1
 * columns named FIELD-INSTANCE.ARRAY in ascending field order.  About 30%
 * of cells are empty; the rest are integer codes, years, the negative
 * special codes, or decimals with at most 6 significant digits, as in a
 * real basket.  Rows are written until the file reaches MEGABYTES.
 *
 * usage: gen_csv --widen IN OUT NCOLS
 *
 * Copy the ukbconv CSV IN (e.g. `ecgfit synth`'s, every cell quoted, no
 * newline inside a cell) to OUT with filler columns of the kind above spread
 * between its columns until each row has NCOLS cells, as the few registry
 * fields sit among a thousand others in a real basket.  The filler fields
 * are numbered from 900000, which no registry uses. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x2545F4914F6CDD1DULL;

static uint64_t rnd(void);
static char *put_uint(char *p, unsigned long v);
static char *put_cell(char *p);

static uint64_t rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static char *put_uint(char *p, unsigned long v)
{
    char tmp[24];
    int n = 0;

    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_cell(char *p)
{
    uint64_t x = rnd();
    unsigned k = (unsigned)(x % 100);

    *p++ = '"';
    if (k < 30) {
        /* empty */
    } else if (k < 45) {
        p = put_uint(p, (unsigned long)(x >> 8) % 6);            /* categorical code */
    } else if (k < 52) {
        p = put_uint(p, 1936 + (unsigned long)(x >> 8) % 35);    /* year of birth */
    } else if (k < 55) {
        *p++ = '-';
        *p++ = (x >> 8) % 2 ? '3' : '1';                           /* prefer not to answer */
    } else if (k < 75) {
        unsigned long v = (unsigned long)(x >> 8) % 1000000;      /* 27.9871 */
        p = put_uint(p, v / 10000);
        *p++ = '.';
        p += sprintf(p, "%04lu", v % 10000);
    } else {
        unsigned long v = (unsigned long)(x >> 8) % 1000000;      /* -0.932745 */
        if ((x >> 40) % 2)
            *p++ = '-';
        p += sprintf(p, "0.%06lu", v);
    }
    *p++ = '"';
    return p;
}

/* Copy one line of IN (without its newline) cell by cell, putting fill[c]
 * filler cells (header names when hdr) before cell c. */
static char *widen_line(char *p, const char *line, const unsigned long *fill, unsigned long ncells,
                        int hdr, unsigned long *name)
{
    const char *s = line;
    unsigned long c, k;

    for (c = 0; c < ncells; c++) {
        const char *e = s;
        int q = 0;

        while (*e && (q || *e != ',')) {
            if (*e == '"')
                q = !q;
            e++;
        }
        for (k = 0; k < fill[c]; k++) {
            if (hdr)
                p += sprintf(p, "\"%lu-0.0\"", (*name)++);
            else
                p = put_cell(p);
            *p++ = ',';
        }
        memcpy(p, s, (size_t)(e - s));
        p += e - s;
        if (c + 1 < ncells)
            *p++ = ',';
        s = *e ? e + 1 : e;
    }
    *p++ = '\n';
    return p;
}

static int widen(const char *in, const char *out, unsigned long ncols)
{
    FILE *fi = fopen(in, "rb"), *fo = fopen(out, "wb");
    char *line = NULL, *row;
    size_t cap = 0, rowcap;
    ssize_t len;
    unsigned long ncells = 1, extra, c, *fill, name = 900000;
    int hdr = 1;

    if (!fi || !fo || (len = getline(&line, &cap, fi)) <= 0) {
        fprintf(stderr, "gen_csv: cannot read %s or write %s\n", in, out);
        return 1;
    }
    for (c = 0; c < (unsigned long)len; c++)
        ncells += line[c] == ',';
    extra = ncols > ncells ? ncols - ncells : 0;
    fill = calloc(ncells, sizeof *fill);
    rowcap = (size_t)len * 2 + extra * 32 + 64;
    row = malloc(rowcap);
    if (!fill || !row)
        return 1;
    /* eid stays first; the filler is spread evenly over the gaps after it */
    for (c = 0; c < extra; c++)
        fill[1 + c % (ncells - 1 ? ncells - 1 : 1)]++;
    do {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if ((size_t)len * 2 + extra * 32 + 64 > rowcap) {
            rowcap = (size_t)len * 2 + extra * 32 + 64;
            free(row);
            row = malloc(rowcap);
            if (!row)
                return 1;
        }
        fwrite(row, 1, (size_t)(widen_line(row, line, fill, ncells, hdr, &name) - row), fo);
        hdr = 0;
    } while ((len = getline(&line, &cap, fi)) > 0);
    free(line);
    free(row);
    free(fill);
    fclose(fi);
    if (fclose(fo) != 0) {
        perror(out);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long target, written = 0;
    unsigned long ncols, c, field = 31, inst = 0, arr = 0, eid = 1000000;
    char *row, *p;
    FILE *f;

    if (argc == 5 && strcmp(argv[1], "--widen") == 0)
        return widen(argv[2], argv[3], strtoul(argv[4], NULL, 10));
    if (argc < 4) {
        fprintf(stderr, "usage: gen_csv FILE MEGABYTES NCOLS [SEED]\n       gen_csv --widen IN OUT NCOLS\n");
        return 2;
    }
    target = strtoull(argv[2], NULL, 10) << 20;
    ncols = strtoul(argv[3], NULL, 10);
    if (argc > 4)
        state ^= strtoull(argv[4], NULL, 10) * 0x9E3779B97F4A7C15ULL;
    if (ncols < 2 || !(f = fopen(argv[1], "wb"))) {
        fprintf(stderr, "gen_csv: bad column count or cannot write %s\n", argv[1]);
        return 1;
    }
    row = malloc(ncols * 32 + 64);
    if (!row)
        return 1;
    p = row;
    p += sprintf(p, "\"eid\"");
    for (c = 1; c < ncols; c++) {
        p += sprintf(p, ",\"%lu-%lu.%lu\"", field, inst, arr);
        /* Fields have 1-4 instances and some have arrays, as in a basket. */
        if (rnd() % 3 == 0) {
            arr++;
        } else if (rnd() % 2 == 0 && inst < 3) {
            inst++;
            arr = 0;
        } else {
            field += 1 + (unsigned long)(rnd() % 40);
            inst = arr = 0;
        }
    }
    *p++ = '\n';
    fwrite(row, 1, (size_t)(p - row), f);
    written += (unsigned long long)(p - row);
    while (written < target) {
        p = row;
        *p++ = '"';
        p = put_uint(p, ++eid);
        *p++ = '"';
        for (c = 1; c < ncols; c++) {
            *p++ = ',';
            p = put_cell(p);
        }
        *p++ = '\n';
        fwrite(row, 1, (size_t)(p - row), f);
        written += (unsigned long long)(p - row);
    }
    free(row);
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
