/* ef_gbt_data.c — the own trees' quantile cuts and bins, as libxgboost 1.7
 * computes them for the "hist" method:
 * every column's values go through WQuantileSketch's in-memory queue (eps
 * 1/(256*8)); its summary (sorted distinct values with float rank bounds) is
 * pruned to the sketch's limit, then to min(n, 2048) entries, then to
 * min(n, 2048, 256) + 1; the cut values are entries 1.. of the last summary
 * (strictly increasing) plus max + (|max| + 1e-5f).  A value's bin is the
 * first cut above it (the last bin for values beyond).  Data whose column
 * overflows the queue (the sketch would merge summaries) are refused. */
#include "config.h"
#include "model/ef_gbt_int.h"
#include "core/ef_alloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BIN EF_GBT_MAX_BIN
#define SKETCH_FACTOR 8   /* libxgboost's WQSketch::kFactor */

typedef struct { float rmin, rmax, wmin, value; } qentry;

/* WQuantileSketch::LimitSizeLevel: entries kept per level. */
static size_t sketch_limit(size_t maxn, double eps)
{
    size_t nlevel = 1, ls;

    for (;;) {
        ls = (size_t)ceil((double)nlevel / eps) + 1;
        if (ls > maxn)
            ls = maxn;
        if (((size_t)1 << nlevel) * ls >= maxn)
            return ls;
        nlevel++;
    }
}

/* WQSummary::SetPrune (float arithmetic as there); returns dst's size. */
static size_t set_prune(const qentry *src, size_t size, size_t maxsize, qentry *dst)
{
    float begin, range;
    size_t n, out = 1, i = 1, last = 0, k;

    if (size <= maxsize) {
        memmove(dst, src, size * sizeof *src);
        return size;
    }
    begin = src[0].rmax;
    range = src[size - 1].rmin - src[0].rmax;
    n = maxsize - 1;
    dst[0] = src[0];
    for (k = 1; k < n; ++k) {
        float dx2 = 2 * ((float)k * range / (float)n + begin);

        while (i < size - 1 && dx2 >= src[i + 1].rmax + src[i + 1].rmin)
            ++i;
        if (i == size - 1)
            break;
        if (dx2 < (src[i].rmin + src[i].wmin) + (src[i + 1].rmax - src[i + 1].wmin)) {
            if (i != last)
                dst[out++] = src[i], last = i;
        } else if (i + 1 != last) {
            dst[out++] = src[i + 1], last = i + 1;
        }
    }
    if (last != size - 1)
        dst[out++] = src[size - 1];
    return out;
}

/* The cuts of one column (v: its n values, sorted); appends them to cut and
 * returns how many.  a, b: scratch of n entries each. */
static size_t column_cuts(const float *v, size_t n, size_t limit, qentry *a, qentry *b, float *cut)
{
    size_t m = 0, i, j, inter, maxnb, req, nc = 0;
    float wsum = 0, cpt;
    qentry *s = a, *t = b, *sw;

    for (i = 0; i < n; i = j) {
        float w = 1;

        for (j = i + 1; j < n && v[j] == v[i]; j++)
            w += 1;
        s[m].rmin = wsum;
        s[m].rmax = wsum + w;
        s[m].wmin = w;
        s[m].value = v[i];
        wsum += w;
        m++;
    }
    if (m > limit) {
        m = set_prune(s, m, limit, t);
        sw = s, s = t, t = sw;
    }
    inter = n < (size_t)MAX_BIN * SKETCH_FACTOR ? n : (size_t)MAX_BIN * SKETCH_FACTOR;
    m = set_prune(s, m, inter, t);
    sw = s, s = t, t = sw;
    maxnb = inter < MAX_BIN ? inter : MAX_BIN;
    m = set_prune(s, m, maxnb + 1, t);
    sw = s, s = t, t = sw;
    req = m < maxnb ? m : maxnb;
    for (i = 1; i < req; i++)
        if (i == 1 || s[i].value > cut[nc - 1])
            cut[nc++] = s[i].value;
    cpt = s[m - 1].value;
    cut[nc++] = cpt + (fabsf(cpt) + 1e-5f);
    return nc;
}

/* Distinct runs of a column in row order: what the sketch's queue holds. */
static size_t column_runs(const float *X, size_t n, size_t p, size_t j)
{
    size_t i, r = n ? 1 : 0;

    for (i = 1; i < n; i++)
        r += X[i * p + j] != X[(i - 1) * p + j];
    return r;
}

/* A float's bits as an unsigned key in the float's order. */
static uint32_t float_key(float v)
{
    uint32_t u;

    memcpy(&u, &v, sizeof u);
    return u & 0x80000000u ? ~u : u | 0x80000000u;
}

static float key_float(uint32_t k)
{
    uint32_t u = k & 0x80000000u ? k & 0x7fffffffu : ~k;
    float v;

    memcpy(&v, &u, sizeof v);
    return v;
}

/* Sorts (key << 32 | row) by key into tmp (n entries): three 11-bit LSD
 * radix passes, a -> tmp -> a -> tmp. */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n)
{
    size_t cnt[2048], i, pass;

    for (pass = 0; pass < 3; pass++) {
        unsigned shift = 32 + 11 * (unsigned)pass;
        size_t sum = 0, c;
        uint64_t *t;

        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < n; i++)
            cnt[(a[i] >> shift) & 2047]++;
        for (i = 0; i < 2048; i++)
            c = cnt[i], cnt[i] = sum, sum += c;
        for (i = 0; i < n; i++)
            tmp[cnt[(a[i] >> shift) & 2047]++] = a[i];
        t = a, a = tmp, tmp = t;
    }
}

ef_gbt_data *ef_gbt_data_new(const float *X, const float *y, size_t n, size_t p)
{
    ef_gbt_data *d;
    size_t i, j, limit;
    float *col;
    qentry *a, *b;
    uint64_t *kr, *kt;

    if (n == 0 || p == 0 || n > UINT32_MAX)
        return NULL;
    for (i = 0; i < n * p; i++)
        if (isnan(X[i]) || isinf(X[i]))
            return NULL;
    limit = sketch_limit(n, 1.0 / (MAX_BIN * SKETCH_FACTOR));
    for (j = 0; j < p; j++)
        if (column_runs(X, n, p, j) > 2 * limit)
            return NULL;

    d = ef_xcalloc(1, sizeof *d);
    d->n = n;
    d->p = p;
    d->ptr = ef_xmalloc((p + 1) * sizeof *d->ptr);
    d->cut = ef_xmalloc(p * MAX_BIN * sizeof *d->cut);
    d->bin = ef_xmalloc(n * p);
    d->y = ef_xmalloc(n * sizeof *d->y);
    memcpy(d->y, y, n * sizeof *d->y);
    col = ef_xmalloc(n * sizeof *col);
    a = ef_xmalloc(n * sizeof *a);
    b = ef_xmalloc(n * sizeof *b);
    kr = ef_xmalloc(n * sizeof *kr);
    kt = ef_xmalloc(n * sizeof *kt);
    d->ptr[0] = 0;
    for (j = 0; j < p; j++) {
        const float *cut = d->cut + d->ptr[j];
        uint8_t *bin = d->bin + j * n;
        uint32_t c = 0, nb;

        for (i = 0; i < n; i++)
            kr[i] = (uint64_t)float_key(X[i * p + j]) << 32 | i;
        radix_sort(kr, kt, n);
        for (i = 0; i < n; i++)
            col[i] = key_float((uint32_t)(kt[i] >> 32));
        nb = (uint32_t)column_cuts(col, n, limit, a, b, d->cut + d->ptr[j]);
        d->ptr[j + 1] = d->ptr[j] + nb;
        /* a value's bin: the first cut above it (upper_bound), the last bin
         * for values beyond; in sorted order the cut only moves up */
        for (i = 0; i < n; i++) {
            while (c < nb && cut[c] <= col[i])
                c++;
            bin[(uint32_t)kt[i]] = (uint8_t)(c == nb ? nb - 1 : c);
        }
    }
    d->nbin = d->ptr[p];
    free(col);
    free(a);
    free(b);
    free(kr);
    free(kt);
    return d;
}

void ef_gbt_data_free(ef_gbt_data *d)
{
    if (!d)
        return;
    free(d->ptr);
    free(d->cut);
    free(d->bin);
    free(d->y);
    free(d);
}

