/* gen_csv.c — write a ukbconv-style main CSV for benchmarks.
 *
 * usage: gen_csv FILE MEGABYTES NCOLS [SEED]
 *
 * Every cell is double-quoted ("" when empty), eid first, then NCOLS-1
 * columns named FIELD-INSTANCE.ARRAY in ascending field order.  About 30%
 * of cells are empty; the rest are integer codes, years, the negative
 * special codes, or decimals with at most 6 significant digits, as in a
 * real basket.  Rows are written until the file reaches MEGABYTES. */
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

int main(int argc, char **argv)
{
    unsigned long long target, written = 0;
    unsigned long ncols, c, field = 31, inst = 0, arr = 0, eid = 1000000;
    char *row, *p;
    FILE *f;

    if (argc < 4) {
        fprintf(stderr, "usage: gen_csv FILE MEGABYTES NCOLS [SEED]\n");
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
