/* ef_table1.c — the Table 1 engine (see ef_table1.h).
 *
 * Per variable: one pass for counts, sums, minima and maxima per group (the
 * groups, then Overall), a second for the sums of squares (two-pass SD as
 * numpy); a non-normal variable's values are radix-sorted once with their
 * group, which gives every quartile and the Kruskal-Wallis ranks.  A
 * categorical's codes are counted into a level x column table through a
 * small hash of the values. */
#include "config.h"
#include "stats/ef_table1.h"
#include "core/ef_pool.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "stats/ef_htest.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void ef_table1_opts_default(ef_table1_opts *o)
{
    memset(o, 0, sizeof *o);
    o->pval_digits = 3;
    o->include_null = 1;
    o->missing = 1;
    o->overall = 1;
    o->label_suffix = 1;
    o->decimals = 1;
}

/* ---- distinct values: open addressing on the bits of a double ------------ */

typedef struct vhash {
    uint64_t *key;
    uint32_t *idx;    /* level index + 1; 0 = empty */
    size_t cap, n;
    double *vals;     /* in first-seen order */
} vhash;

static uint64_t bits_of(double v)
{
    uint64_t u;

    if (v == 0)
        v = 0;   /* -0 and +0 are one level */
    memcpy(&u, &v, sizeof u);
    return u;
}

static void vh_init(vhash *h, size_t cap)
{
    h->cap = 64;
    while (h->cap < cap * 2)
        h->cap <<= 1;
    h->key = ef_xcalloc(h->cap, sizeof *h->key);
    h->idx = ef_xcalloc(h->cap, sizeof *h->idx);
    h->n = 0;
    h->vals = NULL;
}

static void vh_free(vhash *h)
{
    free(h->key);
    free(h->idx);
    free(h->vals);
}

static size_t vh_slot(const vhash *h, uint64_t k)
{
    uint64_t x = k * 0x9E3779B97F4A7C15ull;

    return (size_t)(x >> 17) & (h->cap - 1);
}

static uint32_t vh_get(vhash *h, double v);

static void vh_grow(vhash *h)
{
    vhash g;
    size_t i;

    vh_init(&g, h->cap);   /* twice the slots */
    g.vals = h->vals;
    for (i = 0; i < h->n; i++) {
        uint64_t k = bits_of(h->vals[i]);
        size_t s = vh_slot(&g, k);

        while (g.idx[s])
            s = (s + 1) & (g.cap - 1);
        g.key[s] = k;
        g.idx[s] = (uint32_t)i + 1;
    }
    g.n = h->n;
    free(h->key);
    free(h->idx);
    *h = g;
}

/* Index of v's level, added if new. */
static uint32_t vh_get(vhash *h, double v)
{
    uint64_t k = bits_of(v);
    size_t s = vh_slot(h, k);

    while (h->idx[s]) {
        if (h->key[s] == k)
            return h->idx[s] - 1;
        s = (s + 1) & (h->cap - 1);
    }
    if ((h->n + 1) * 2 > h->cap) {
        vh_grow(h);
        return vh_get(h, v);
    }
    if ((h->n & (h->n - 1)) == 0 || h->n < 8)
        h->vals = ef_xreallocarray(h->vals, h->n < 8 ? 8 : h->n * 2, sizeof *h->vals);
    h->vals[h->n] = v == 0 ? 0 : v;
    h->key[s] = k;
    h->idx[s] = (uint32_t)++h->n;
    return (uint32_t)h->n - 1;
}

int ef_table1_detect(const double *v, size_t n)
{
    vhash h;
    size_t cnt = 0, i;
    int cat;

    vh_init(&h, 64);
    for (i = 0; i < n; i++)
        if (!isnan(v[i])) {
            cnt++;
            vh_get(&h, v[i]);
        }
    cat = cnt > 0 && (double)h.n / (double)cnt < 0.005;
    vh_free(&h);
    return cat ? EF_T1_CATEGORICAL : EF_T1_CONTINUOUS;
}

/* ---- radix sort of (value, group) ----------------------------------------- */

static uint64_t sort_key(double v)
{
    uint64_t u = bits_of(v);

    return (u >> 63) ? ~u : u | 0x8000000000000000ull;
}

static double key_value(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~0x8000000000000000ull : ~k;
    double v;

    memcpy(&v, &u, sizeof v);
    return v;
}

/* Sort k[0..n-1] with payload g, by LSD radix on bytes (passes whose byte is
 * the same in every key are skipped). */
static void radix_sort(uint64_t *k, uint32_t *g, size_t n)
{
    size_t (*hist)[256] = ef_xcalloc(8, sizeof *hist);
    uint64_t *k2 = ef_xmalloc((n ? n : 1) * sizeof *k2);
    uint32_t *g2 = ef_xmalloc((n ? n : 1) * sizeof *g2);
    size_t i;
    int b;

    for (i = 0; i < n; i++)
        for (b = 0; b < 8; b++)
            hist[b][(k[i] >> (8 * b)) & 255]++;
    for (b = 0; b < 8; b++) {
        size_t sum = 0, c, *h = hist[b];
        int sh = 8 * b;

        if (n && h[(k[0] >> sh) & 255] == n)
            continue;
        for (c = 0; c < 256; c++) {
            size_t t = h[c];

            h[c] = sum;
            sum += t;
        }
        for (i = 0; i < n; i++) {
            size_t d = h[(k[i] >> sh) & 255]++;

            k2[d] = k[i];
            g2[d] = g[i];
        }
        memcpy(k, k2, n * sizeof *k);
        memcpy(g, g2, n * sizeof *g);
    }
    free(hist);
    free(k2);
    free(g2);
}

/* numpy's percentile, method 'linear', on sorted x (its lerp, bit for bit). */
static double percentile(const double *x, size_t n, double q)
{
    double h, t, a, b, d;
    size_t lo;

    if (!n)
        return NAN;
    h = q * (double)(n - 1);
    lo = (size_t)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    t = h - (double)lo;
    a = x[lo];
    b = x[lo + 1];
    d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

static double median(const double *x, size_t n)
{
    if (!n)
        return NAN;
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* ---- per-variable results ------------------------------------------------- */

typedef struct cstat {      /* one column of a continuous variable */
    double n, mean, sd, var, min, max, q25, med, q75;
} cstat;

typedef struct level {
    double value;
    int is_null;
    double *cnt;            /* [ncol]: groups, then Overall */
    double total;           /* Overall count (for limit) */
    int shown;
} level;

typedef struct result {
    int kind;
    size_t missing;         /* NaN values among all rows */
    cstat *cs;              /* continuous: [ncol] */
    level *lv;              /* categorical, display order */
    size_t nlv;
    double *denom;          /* categorical: [ncol] percentage denominators */
    ef_htest test;
    int tested, small_expected;
    double *smd;            /* [npairs] */
} result;

typedef struct ctx {
    const ef_table1_input *in;
    const ef_table1_opts *o;
    size_t k, ncol, npairs; /* groups; k + 1 columns (Overall last) */
    int32_t *gi;            /* row -> group or -1 */
    double *gn;             /* rows per group */
    double *gval;           /* group codes in column order */
} ctx;

static void cont_stats(const ctx *c, const ef_t1_var *v, result *r)
{
    const double *x = v->v;
    size_t n = c->in->n, ncol = c->ncol, i, j;
    cstat *cs = ef_xcalloc(ncol, sizeof *cs);
    double *sum = ef_xcalloc(ncol, sizeof *sum), *ss = ef_xcalloc(ncol, sizeof *ss);

    for (j = 0; j < ncol; j++) {
        cs[j].min = INFINITY;
        cs[j].max = -INFINITY;
    }
    for (i = 0; i < n; i++) {
        double xi = x[i];
        int32_t g = c->gi ? c->gi[i] : -1;

        if (isnan(xi)) {
            r->missing++;
            continue;
        }
        sum[ncol - 1] += xi;
        cs[ncol - 1].n++;
        if (xi < cs[ncol - 1].min)
            cs[ncol - 1].min = xi;
        if (xi > cs[ncol - 1].max)
            cs[ncol - 1].max = xi;
        if (g >= 0) {
            sum[g] += xi;
            cs[g].n++;
            if (xi < cs[g].min)
                cs[g].min = xi;
            if (xi > cs[g].max)
                cs[g].max = xi;
        }
    }
    for (j = 0; j < ncol; j++)
        cs[j].mean = cs[j].n ? sum[j] / cs[j].n : NAN;
    for (i = 0; i < n; i++) {
        double xi = x[i], d;
        int32_t g = c->gi ? c->gi[i] : -1;

        if (isnan(xi))
            continue;
        d = xi - cs[ncol - 1].mean;
        ss[ncol - 1] += d * d;
        if (g >= 0) {
            d = xi - cs[g].mean;
            ss[g] += d * d;
        }
    }
    for (j = 0; j < ncol; j++) {
        /* tableone: one value has SD 0; none has no SD */
        cs[j].var = cs[j].n > 1 ? ss[j] / (cs[j].n - 1) : cs[j].n == 1 ? 0 : NAN;
        cs[j].sd = sqrt(cs[j].var);
        if (!cs[j].n)
            cs[j].min = cs[j].max = NAN;
        cs[j].q25 = cs[j].med = cs[j].q75 = NAN;
    }
    free(sum);
    free(ss);
    r->cs = cs;
}

/* Quartiles per column, and Kruskal-Wallis over the grouped rows. */
static void cont_sorted(const ctx *c, const ef_t1_var *v, result *r, int want_kruskal)
{
    size_t n = c->in->n, m = 0, i, j, ncol = c->ncol;
    uint64_t *k = ef_xmalloc((n ? n : 1) * sizeof *k);
    uint32_t *g = ef_xmalloc((n ? n : 1) * sizeof *g);
    double *xs = ef_xmalloc((n ? n : 1) * sizeof *xs);
    size_t *off = ef_xcalloc(ncol + 1, sizeof *off);
    uint32_t none = (uint32_t)c->k;   /* rows in no group */

    for (i = 0; i < n; i++)
        if (!isnan(v->v[i])) {
            k[m] = sort_key(v->v[i]);
            g[m++] = c->gi && c->gi[i] >= 0 ? (uint32_t)c->gi[i] : none;
        }
    radix_sort(k, g, m);
    for (i = 0; i < m; i++)
        xs[i] = key_value(k[i]);
    r->cs[ncol - 1].q25 = percentile(xs, m, 0.25);
    r->cs[ncol - 1].med = median(xs, m);
    r->cs[ncol - 1].q75 = percentile(xs, m, 0.75);
    if (c->k) {
        /* stable scatter by group: each group's values stay sorted */
        double *per = ef_xmalloc((m ? m : 1) * sizeof *per);
        uint32_t *gs = ef_xmalloc((m ? m : 1) * sizeof *gs);
        size_t mg = 0;

        for (i = 0; i < m; i++)
            off[g[i] + 1]++;
        for (j = 1; j <= ncol; j++)
            off[j] += off[j - 1];
        {
            size_t *pos = ef_xmalloc((ncol + 1) * sizeof *pos);

            memcpy(pos, off, (ncol + 1) * sizeof *pos);
            for (i = 0; i < m; i++)
                per[pos[g[i]]++] = xs[i];
            free(pos);
        }
        for (j = 0; j < c->k; j++) {
            const double *p = per + off[j];
            size_t cnt = off[j + 1] - off[j];

            r->cs[j].q25 = percentile(p, cnt, 0.25);
            r->cs[j].med = median(p, cnt);
            r->cs[j].q75 = percentile(p, cnt, 0.75);
        }
        if (want_kruskal) {
            for (i = 0; i < m; i++)
                if (g[i] != none) {
                    xs[mg] = xs[i];
                    gs[mg++] = g[i];
                }
            ef_htest_kruskal_sorted(xs, gs, mg, c->k, &r->test);
        }
        free(per);
        free(gs);
    }
    free(k);
    free(g);
    free(xs);
    free(off);
}

typedef struct okey {
    size_t pos;       /* place in the var's order, or SIZE_MAX */
    double v;
    size_t hi;        /* index in the hash */
} okey;

static int cmp_okey(const void *a, const void *b)
{
    const okey *x = a, *y = b;

    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/* Codes in display order (the var's order first, then ascending) into a new
 * array; map[h] gets the display place of the hash's value h. */
static double *ordered_codes(const ef_t1_var *v, const double *vals, size_t n, size_t *map)
{
    okey *k = ef_xmalloc((n ? n : 1) * sizeof *k);
    double *out = ef_xmalloc((n ? n : 1) * sizeof *out);
    size_t i, o;

    for (i = 0; i < n; i++) {
        k[i].v = vals[i];
        k[i].hi = i;
        k[i].pos = SIZE_MAX;
        for (o = 0; o < v->norder; o++)
            if (v->order[o] == vals[i]) {
                k[i].pos = o;
                break;
            }
    }
    qsort(k, n, sizeof *k, cmp_okey);
    for (i = 0; i < n; i++) {
        out[i] = k[i].v;
        map[k[i].hi] = i;
    }
    free(k);
    return out;
}

typedef struct lkey {
    double total;
    size_t i;
} lkey;

static int cmp_lkey(const void *a, const void *b)
{
    const lkey *x = a, *y = b;

    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void cat_stats(const ctx *c, const ef_t1_var *v, result *r)
{
    size_t n = c->in->n, ncol = c->ncol, i, j, nl;
    vhash h;
    uint32_t *li = ef_xmalloc((n ? n : 1) * sizeof *li);
    double *codes, *tmp;
    size_t *map;
    const uint32_t NUL = UINT32_MAX;

    vh_init(&h, 64);
    for (i = 0; i < n; i++) {
        if (isnan(v->v[i])) {
            li[i] = NUL;
            r->missing++;
        } else {
            li[i] = vh_get(&h, v->v[i]);
        }
    }
    nl = h.n;
    map = ef_xmalloc((nl + 1) * sizeof *map);   /* hash index -> display index */
    codes = ordered_codes(v, h.vals, nl, map);
    r->nlv = nl + (c->o->include_null && r->missing ? 1 : 0);
    r->lv = ef_xcalloc(r->nlv ? r->nlv : 1, sizeof *r->lv);
    tmp = ef_xcalloc((r->nlv ? r->nlv : 1) * ncol, sizeof *tmp);
    for (i = 0; i < r->nlv; i++) {
        r->lv[i].cnt = tmp + i * ncol;
        r->lv[i].is_null = i == nl;
        r->lv[i].value = i < nl ? codes[i] : NAN;
        r->lv[i].shown = 1;
    }
    for (i = 0; i < n; i++) {
        size_t l;
        int32_t g = c->gi ? c->gi[i] : -1;

        if (li[i] == NUL) {
            if (r->nlv == nl)
                continue;
            l = nl;
        } else {
            l = map[li[i]];
        }
        r->lv[l].cnt[ncol - 1]++;
        if (g >= 0)
            r->lv[l].cnt[g]++;
    }
    r->denom = ef_xcalloc(ncol, sizeof *r->denom);
    for (i = 0; i < r->nlv; i++) {
        r->lv[i].total = r->lv[i].cnt[ncol - 1];
        for (j = 0; j < ncol; j++)
            r->denom[j] += r->lv[i].cnt[j];
    }
    /* --limit: the N most frequent levels stay (ties: display order) */
    if (c->o->limit && c->o->limit < r->nlv) {
        lkey *lk = ef_xmalloc(r->nlv * sizeof *lk);

        for (i = 0; i < r->nlv; i++)
            lk[i] = (lkey){ r->lv[i].total, i };
        qsort(lk, r->nlv, sizeof *lk, cmp_lkey);
        for (i = 0; i < r->nlv; i++)
            r->lv[lk[i].i].shown = i < c->o->limit;
        free(lk);
    }
    free(codes);
    free(map);
    free(li);
    vh_free(&h);
}

/* Mahalanobis SMD of two level-proportion vectors, the first level dropped
 * (Yang & Dalton); NaN when the covariance is singular. */
static double cat_smd(const double *p1, const double *p2, size_t L)
{
    size_t m = L ? L - 1 : 0, i, j, col, k;
    double *S, *d, q = 0;

    if (m == 0)
        return L ? 0 : NAN;   /* one level: the same distribution (tableone: 0) */
    S = ef_xcalloc(m * (m + 1), sizeof *S);   /* [S | d] augmented */
    d = ef_xmalloc(m * sizeof *d);
    for (i = 0; i < m; i++) {
        double a = p1[i + 1], b = p2[i + 1];

        d[i] = b - a;
        for (j = 0; j < m; j++) {
            double c1 = i == j ? a * (1 - a) : -a * p1[j + 1];
            double c2 = i == j ? b * (1 - b) : -b * p2[j + 1];

            S[i * (m + 1) + j] = (c1 + c2) / 2;
        }
        S[i * (m + 1) + m] = d[i];
    }
    /* solve S y = d by elimination with partial pivoting; q = d'y */
    for (col = 0; col < m; col++) {
        size_t piv = col;

        for (i = col + 1; i < m; i++)
            if (fabs(S[i * (m + 1) + col]) > fabs(S[piv * (m + 1) + col]))
                piv = i;
        if (S[piv * (m + 1) + col] == 0) {
            free(S);
            free(d);
            return NAN;
        }
        if (piv != col)
            for (k = 0; k <= m; k++) {
                double t = S[col * (m + 1) + k];

                S[col * (m + 1) + k] = S[piv * (m + 1) + k];
                S[piv * (m + 1) + k] = t;
            }
        for (i = col + 1; i < m; i++) {
            double f = S[i * (m + 1) + col] / S[col * (m + 1) + col];

            for (k = col; k <= m; k++)
                S[i * (m + 1) + k] -= f * S[col * (m + 1) + k];
        }
    }
    for (i = m; i-- > 0;) {
        double s = S[i * (m + 1) + m];

        for (k = i + 1; k < m; k++)
            s -= S[i * (m + 1) + k] * S[k * (m + 1) + m];
        S[i * (m + 1) + m] = s / S[i * (m + 1) + i];
    }
    for (i = 0; i < m; i++)
        q += d[i] * S[i * (m + 1) + m];
    free(S);
    free(d);
    return q < 0 ? NAN : sqrt(q);
}

static void tests_and_smd(const ctx *c, const ef_t1_var *v, result *r)
{
    size_t k = c->k, a, b, p = 0, i;
    const ef_table1_opts *o = c->o;
    double min_obs = INFINITY;

    (void)v;
    if (!k)
        return;
    r->smd = ef_xmalloc((c->npairs ? c->npairs : 1) * sizeof *r->smd);
    if (r->kind != EF_T1_CATEGORICAL) {
        for (a = 0; a < k; a++)
            min_obs = fmin(min_obs, r->cs[a].n);
        for (a = 0; a < k; a++)
            for (b = a + 1; b < k; b++)
                r->smd[p++] = (r->cs[b].mean - r->cs[a].mean) /
                              sqrt((r->cs[a].var + r->cs[b].var) / 2);
        if (!o->pval && !o->test_stat)
            return;
        if (min_obs == 0) {
            r->test.kind = EF_HTEST_NONE;   /* an empty group: tableone tests nothing */
            r->test.p = r->test.stat = NAN;
        } else if (r->kind == EF_T1_NONNORMAL) {
            r->tested = 1;   /* computed with the quartiles */
        } else if (k == 2 && min_obs >= 2) {
            ef_htest_ttest(r->cs[0].n, r->cs[0].mean, r->cs[0].var, r->cs[1].n, r->cs[1].mean, r->cs[1].var,
                           o->equal_var, &r->test);
            r->tested = 1;
        } else {
            double *n = ef_xmalloc(k * sizeof *n), *m = ef_xmalloc(k * sizeof *m), *var = ef_xmalloc(k * sizeof *var);

            for (a = 0; a < k; a++) {
                n[a] = r->cs[a].n;
                m[a] = r->cs[a].mean;
                var[a] = r->cs[a].var;
            }
            ef_htest_anova(k, n, m, var, &r->test);
            r->tested = 1;
            free(n);
            free(m);
            free(var);
        }
        if (!r->tested)
            r->test.kind = EF_HTEST_NONE;
        return;
    }
    /* categorical: SMD on the levels seen in the groups */
    {
        size_t L = 0, j;
        double *p1 = ef_xmalloc((r->nlv + 1) * sizeof *p1), *p2 = ef_xmalloc((r->nlv + 1) * sizeof *p2);
        double *obs = ef_xmalloc((r->nlv + 1) * k * sizeof *obs), *gden = ef_xcalloc(k, sizeof *gden);
        size_t *use = ef_xmalloc((r->nlv + 1) * sizeof *use);

        for (i = 0; i < r->nlv; i++) {
            double s = 0;

            for (a = 0; a < k; a++)
                s += r->lv[i].cnt[a];
            if (s > 0)
                use[L++] = i;
        }
        for (a = 0; a < k; a++)
            for (j = 0; j < L; j++)
                gden[a] += r->lv[use[j]].cnt[a];
        /* each pair on the levels either group has: a level neither has
         * makes the covariance singular, and tableone's numpy inverse then
         * returns noise (its issue #182; R tableone's #114) */
        for (a = 0; a < k; a++)
            for (b = a + 1; b < k; b++) {
                size_t L2 = 0;

                for (j = 0; j < L; j++) {
                    const double *cnt = r->lv[use[j]].cnt;

                    if (cnt[a] + cnt[b] == 0)
                        continue;
                    p1[L2] = gden[a] ? cnt[a] / gden[a] : 0;
                    p2[L2++] = gden[b] ? cnt[b] / gden[b] : 0;
                }
                r->smd[p++] = cat_smd(p1, p2, L2);
            }
        if (o->pval || o->test_stat) {
            for (a = 0; a < k; a++)
                min_obs = fmin(min_obs, gden[a]);
            if (min_obs > 0 && L > 0) {
                double emin;

                for (j = 0; j < L; j++)
                    for (a = 0; a < k; a++)
                        obs[j * k + a] = r->lv[use[j]].cnt[a];
                ef_htest_chi2(obs, L, k, &r->test, &emin);
                if (emin < 5 || min_obs < 5) {
                    if (L == 2 && k == 2)
                        ef_htest_fisher(obs[0], obs[1], obs[2], obs[3], &r->test);
                    else
                        r->small_expected = 1;
                }
                r->tested = 1;
            } else {
                r->test.kind = EF_HTEST_NONE;
            }
        }
        free(p1);
        free(p2);
        free(obs);
        free(gden);
        free(use);
    }
}

static void result_free(result *r)
{
    free(r->cs);
    if (r->lv)
        free(r->lv[0].cnt);
    free(r->lv);
    free(r->denom);
    free(r->smd);
}

/* ---- formatting ------------------------------------------------------------- */

static void fnum(const ef_table1_opts *o, char *buf, size_t size, double v, int dec)
{
    if (o->full_digits)
        ef_snprintf(buf, size, "%.17g", v);
    else
        ef_snprintf(buf, size, "%.*f", dec, v);
}

static void cont_cell(const ef_table1_opts *o, const ef_t1_var *v, int kind, const cstat *s, char *buf, size_t size)
{
    char a[64], b[64], c[64], lo[64], hi[64];
    int d = o->decimals;
    size_t len;

    if (!s->n) {
        snprintf(buf, size, "-");
        return;
    }
    fnum(o, a, sizeof a, kind == EF_T1_NONNORMAL ? s->med : s->mean, d);
    if (v->min_max) {
        fnum(o, b, sizeof b, s->min, d);
        fnum(o, c, sizeof c, s->max, d);
        snprintf(buf, size, "%s [%s,%s]", a, b, c);
    } else if (kind == EF_T1_NONNORMAL) {
        fnum(o, b, sizeof b, s->q25, d);
        fnum(o, c, sizeof c, s->q75, d);
        snprintf(buf, size, "%s [%s,%s]", a, b, c);
    } else {
        fnum(o, b, sizeof b, s->sd, d);
        snprintf(buf, size, "%s (%s)", a, b);
    }
    if (o->ci && kind == EF_T1_CONTINUOUS && s->n >= 2) {
        double l, h;

        ef_ci_mean(s->n, s->mean, s->sd, &l, &h);
        fnum(o, lo, sizeof lo, l, d);
        fnum(o, hi, sizeof hi, h, d);
        len = strlen(buf);
        snprintf(buf + len, size - len, " [%s, %s]", lo, hi);
    }
}

static void cat_cell(const ef_table1_opts *o, double cnt, double den, char *buf, size_t size)
{
    char a[64], lo[64], hi[64];
    size_t len;

    fnum(o, a, sizeof a, den > 0 ? cnt / den * 100 : NAN, o->decimals);
    snprintf(buf, size, "%.0f (%s)", cnt, den > 0 ? a : "-");
    if (o->ci && den > 0) {
        double l, h;

        ef_ci_prop(cnt, den, &l, &h);
        fnum(o, lo, sizeof lo, l * 100, o->decimals);
        fnum(o, hi, sizeof hi, h * 100, o->decimals);
        len = strlen(buf);
        snprintf(buf + len, size - len, " [%s, %s]", lo, hi);
    }
}

static void fmt_p(const ef_table1_opts *o, double p, char *buf, size_t size)
{
    if (isnan(p)) {
        buf[0] = '\0';
    } else if (o->full_digits) {
        ef_snprintf(buf, size, "%.17g", p);
    } else if (p < pow(10, -o->pval_digits)) {
        ef_snprintf(buf, size, "<%.*f", o->pval_digits, pow(10, -o->pval_digits));
    } else {
        ef_snprintf(buf, size, "%.*f", o->pval_digits, p);
    }
}

static const char *level_text(const ef_t1_var *v, double val, int is_null, char *buf, size_t size)
{
    if (is_null)
        return "None";   /* tableone's name of the missing level */
    for (size_t i = 0; i < v->nlevels; i++)
        if (v->levels[i].value == val && v->levels[i].label)
            return v->levels[i].label;
    ef_snprintf(buf, size, "%g", val);
    return buf;
}

static const char *kind_suffix(int kind, const ef_t1_var *v, const ef_table1_opts *o)
{
    if (kind == EF_T1_CATEGORICAL)
        return o->ci ? ", n (%) [95% CI]" : ", n (%)";
    if (kind == EF_T1_NONNORMAL)
        return v->min_max ? ", median [min,max]" : ", median [Q1,Q3]";
    if (v->min_max)
        return o->ci ? ", mean [min,max] [95% CI]" : ", mean [min,max]";
    return o->ci ? ", mean (SD) [95% CI]" : ", mean (SD)";
}

/* ---- the table ---------------------------------------------------------------- */

typedef struct cols {
    size_t var, level, missing, gmiss0, overall, group0, smd0, pval, stat, test, n;
} cols;

static void note_tests(ef_table *t, const ctx *c, const result *res)
{
    static const int kinds[] = { EF_HTEST_WELCH, EF_HTEST_POOLED, EF_HTEST_ANOVA, EF_HTEST_KRUSKAL,
                                 EF_HTEST_CHI2, EF_HTEST_FISHER, EF_HTEST_NONE };
    char *line = NULL;

    for (size_t q = 0; q < sizeof kinds / sizeof kinds[0]; q++) {
        char *names = NULL;

        for (size_t i = 0; i < c->in->nvars; i++) {
            const ef_t1_var *v = &c->in->vars[i];
            char *nn;

            if (res[i].test.kind != kinds[q])
                continue;
            nn = ef_xasprintf("%s%s%s%s", names ? names : "", names ? ", " : "", v->name,
                              res[i].small_expected ? " (expected count < 5)" : "");
            free(names);
            names = nn;
        }
        if (names) {
            char *l = ef_xasprintf("%s%s%s: %s", line ? line : "", line ? "; " : "", ef_htest_name(kinds[q]), names);

            free(line);
            line = l;
            free(names);
        }
    }
    if (line) {
        ef_table_add_note(t, "P-values: %s.", line);
        free(line);
    }
}

/* Variables are independent: each thread takes every step-th one. */
typedef struct var_job {
    const ctx *c;
    result *res;
    size_t first, step;
} var_job;

typedef struct var_run {
    var_job *job;
    atomic_int next;
} var_run;

static void *var_worker(void *arg);

static void var_run_fn(void *arg)
{
    var_run *r = arg;

    var_worker(&r->job[atomic_fetch_add(&r->next, 1)]);
}

static void *var_worker(void *arg)
{
    const var_job *j = arg;
    const ctx *c = j->c;

    for (size_t i = j->first; i < c->in->nvars; i += j->step) {
        const ef_t1_var *v = &c->in->vars[i];
        result *r = &j->res[i];

        r->kind = v->kind == EF_T1_AUTO ? ef_table1_detect(v->v, c->in->n) : v->kind;
        r->test.kind = EF_HTEST_NONE;
        r->test.p = NAN;
        if (r->kind == EF_T1_CATEGORICAL) {
            cat_stats(c, v, r);
        } else {
            cont_stats(c, v, r);
            if (r->kind == EF_T1_NONNORMAL)
                cont_sorted(c, v, r, c->k > 0 && (c->o->pval || c->o->test_stat));
        }
        tests_and_smd(c, v, r);
    }
    return NULL;
}

int ef_table1_build(const ef_table1_input *in, const ef_table1_opts *o, ef_table **out, ef_error *err)
{
    ctx c = { 0 };
    result *res = NULL;
    ef_table *t;
    cols cl;
    size_t i, a, b, row;
    char buf[512], lb[64], title[256];
    int32_t *gi = NULL;
    const ef_t1_var *gv = in->group;

    *out = NULL;
    c.in = in;
    c.o = o;
    if (gv) {
        vhash h;
        double *codes;
        size_t *map;

        vh_init(&h, 64);
        gi = ef_xmalloc((in->n ? in->n : 1) * sizeof *gi);
        for (i = 0; i < in->n; i++)
            gi[i] = isnan(gv->v[i]) ? -1 : (int32_t)vh_get(&h, gv->v[i]);
        if (h.n < 2 || h.n > EF_T1_MAX_GROUPS) {
            int rc = h.n < 2 ? ef_error_set(err, EF_EDATA,
                                             "--groupby %s: %zu level%s in these rows; a grouped table needs two or more",
                                             gv->name, h.n, h.n == 1 ? "" : "s")
                             : ef_error_set(err, EF_EDATA,
                                             "--groupby %s: %zu levels; at most %d group columns (is it continuous?)",
                                             gv->name, h.n, EF_T1_MAX_GROUPS);

            vh_free(&h);
            free(gi);
            return rc;
        }
        map = ef_xmalloc(h.n * sizeof *map);
        codes = ordered_codes(gv, h.vals, h.n, map);
        for (i = 0; i < in->n; i++)
            if (gi[i] >= 0)
                gi[i] = (int32_t)map[gi[i]];
        c.k = h.n;
        c.gval = codes;
        free(map);
        vh_free(&h);
    }
    c.gi = gi;
    c.ncol = c.k + 1;
    c.npairs = c.k * (c.k - (c.k ? 1 : 0)) / 2;
    c.gn = ef_xcalloc(c.ncol, sizeof *c.gn);
    for (i = 0; i < in->n; i++) {
        c.gn[c.k]++;
        if (gi && gi[i] >= 0)
            c.gn[gi[i]]++;
    }

    res = ef_xcalloc(in->nvars ? in->nvars : 1, sizeof *res);
    {
        var_job job[64];
        var_run run = { job, 0 };
        int nt = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads, th;

        if ((size_t)nt > in->nvars)
            nt = in->nvars ? (int)in->nvars : 1;
        for (th = 0; th < nt; th++)
            job[th] = (var_job){ &c, res, (size_t)th, (size_t)nt };
        /* one stripe of the variables per thread of the pool's run */
        ef_pool_run(NULL, nt, var_run_fn, &run);
    }

    /* columns */
    if (o->title)
        snprintf(title, sizeof title, "%s", o->title);
    else if (gv)
        snprintf(title, sizeof title, "Table 1, grouped by %s", gv->label ? gv->label : gv->name);
    else
        snprintf(title, sizeof title, "Table 1");
    t = ef_table_new(title);
    memset(&cl, 0xff, sizeof cl);
    cl.var = ef_table_add_col(t, o->csv ? "variable" : "", EF_TABLE_LEFT);
    ef_table_col_layout(t, cl.var, 0, 56, -1);
    cl.level = ef_table_add_col(t, o->csv ? "level" : "", EF_TABLE_LEFT);
    ef_table_col_layout(t, cl.level, 0, 28, -1);
    if (o->missing) {
        cl.missing = ef_table_add_col(t, "Missing", EF_TABLE_RIGHT);
        ef_table_col_priority(t, cl.missing, 4);
        ef_table_col_group(t, cl.missing, "Missing");
        for (a = 0; o->group_missing && a < c.k; a++) {
            char h[128];
            size_t col;

            snprintf(h, sizeof h, "Missing (%s)", level_text(gv, c.gval[a], 0, lb, sizeof lb));
            col = ef_table_add_col(t, h, EF_TABLE_RIGHT);
            ef_table_col_priority(t, col, 4);
            ef_table_col_group(t, col, "Missing");
            if (a == 0)
                cl.gmiss0 = col;
        }
    }
    if (!gv || o->overall)
        cl.overall = ef_table_add_col(t, "Overall", EF_TABLE_RIGHT);
    for (a = 0; a < c.k; a++) {
        size_t col = ef_table_add_col(t, level_text(gv, c.gval[a], 0, lb, sizeof lb), EF_TABLE_RIGHT);

        if (a == 0)
            cl.group0 = col;
    }
    if (gv && o->smd)
        for (a = 0; a < c.k; a++)
            for (b = a + 1; b < c.k; b++) {
                char g1[64], g2[64], h[160];
                size_t col;

                snprintf(g1, sizeof g1, "%s", level_text(gv, c.gval[a], 0, lb, sizeof lb));
                snprintf(g2, sizeof g2, "%s", level_text(gv, c.gval[b], 0, lb, sizeof lb));
                snprintf(h, sizeof h, "SMD (%s,%s)", g1, g2);
                col = ef_table_add_col(t, h, EF_TABLE_RIGHT);
                ef_table_col_priority(t, col, 3);
                ef_table_col_group(t, col, "SMD");
                if (cl.smd0 == (size_t)-1)
                    cl.smd0 = col;
            }
    if (gv && o->pval)
        cl.pval = ef_table_add_col(t, "P-Value", EF_TABLE_RIGHT);
    if (gv && o->test_stat) {
        cl.stat = ef_table_add_col(t, "Statistic", EF_TABLE_RIGHT);
        ef_table_col_priority(t, cl.stat, 2);
    }
    if (gv && o->htest_name) {
        cl.test = ef_table_add_col(t, "Test", EF_TABLE_LEFT);
        ef_table_col_priority(t, cl.test, 1);
    }

    /* the n row */
    row = ef_table_add_row(t);
    ef_table_set(t, row, cl.var, "n");
    if (cl.overall != (size_t)-1)
        ef_table_setf(t, row, cl.overall, "%.0f", c.gn[c.k]);
    for (a = 0; a < c.k; a++)
        ef_table_setf(t, row, cl.group0 + a, "%.0f", c.gn[a]);

    for (i = 0; i < in->nvars; i++) {
        const ef_t1_var *v = &in->vars[i];
        const result *r = &res[i];
        char label[400];
        size_t first = (size_t)-1, l;

        snprintf(label, sizeof label, "%s%s", v->label ? v->label : v->name,
                 o->label_suffix ? kind_suffix(r->kind, v, o) : "");
        if (r->kind != EF_T1_CATEGORICAL) {
            first = row = ef_table_add_row(t);
            ef_table_set(t, row, cl.var, label);
            if (cl.overall != (size_t)-1) {
                cont_cell(o, v, r->kind, &r->cs[c.k], buf, sizeof buf);
                ef_table_set(t, row, cl.overall, buf);
            }
            for (a = 0; a < c.k; a++) {
                cont_cell(o, v, r->kind, &r->cs[a], buf, sizeof buf);
                ef_table_set(t, row, cl.group0 + a, buf);
            }
            if (cl.missing != (size_t)-1)
                ef_table_setf(t, row, cl.missing, "%zu", r->missing);
            for (a = 0; cl.gmiss0 != (size_t)-1 && a < c.k; a++)
                ef_table_setf(t, row, cl.gmiss0 + a, "%.0f", c.gn[a] - r->cs[a].n);
        } else {
            for (l = 0; l < r->nlv; l++) {
                if (!r->lv[l].shown)
                    continue;
                row = ef_table_add_row(t);
                if (first == (size_t)-1) {
                    first = row;
                    ef_table_set(t, row, cl.var, label);
                    if (cl.missing != (size_t)-1 && !o->include_null)
                        ef_table_setf(t, row, cl.missing, "%zu", r->missing);
                    for (a = 0; cl.gmiss0 != (size_t)-1 && a < c.k; a++) {
                        double nonmiss = 0;

                        for (size_t q = 0; q < r->nlv; q++)
                            if (!r->lv[q].is_null)
                                nonmiss += r->lv[q].cnt[a];
                        ef_table_setf(t, row, cl.gmiss0 + a, "%.0f", c.gn[a] - nonmiss);
                    }
                } else if (o->csv) {
                    ef_table_set(t, row, cl.var, label);
                }
                ef_table_set(t, row, cl.level, level_text(v, r->lv[l].value, r->lv[l].is_null, lb, sizeof lb));
                if (cl.overall != (size_t)-1) {
                    cat_cell(o, r->lv[l].cnt[c.k], r->denom[c.k], buf, sizeof buf);
                    ef_table_set(t, row, cl.overall, buf);
                }
                for (a = 0; a < c.k; a++) {
                    cat_cell(o, r->lv[l].cnt[a], r->denom[a], buf, sizeof buf);
                    ef_table_set(t, row, cl.group0 + a, buf);
                }
            }
            if (first == (size_t)-1) {   /* no values at all */
                first = row = ef_table_add_row(t);
                ef_table_set(t, row, cl.var, label);
                if (cl.missing != (size_t)-1)
                    ef_table_setf(t, row, cl.missing, "%zu", r->missing);
            }
        }
        if (cl.smd0 != (size_t)-1)
            for (a = 0; a < c.npairs; a++) {
                if (isnan(r->smd[a]))
                    continue;
                fnum(o, buf, sizeof buf, r->smd[a], 3);
                ef_table_set(t, first, cl.smd0 + a, buf);
            }
        if (cl.pval != (size_t)-1) {
            fmt_p(o, r->test.p, buf, sizeof buf);
            ef_table_set(t, first, cl.pval, buf);
        }
        if (cl.stat != (size_t)-1 && r->tested && !isnan(r->test.stat)) {
            char s[64];

            fnum(o, s, sizeof s, r->test.stat, 3);
            ef_table_setf(t, first, cl.stat, "%s = %s", ef_htest_symbol(r->test.kind), s);
        }
        if (cl.test != (size_t)-1)
            ef_table_set(t, first, cl.test,
                         r->small_expected ? "Chi-squared (warning: expected count < 5)" : ef_htest_name(r->test.kind));
    }
    if (gv && (o->pval || o->test_stat))
        note_tests(t, &c, res);
    if (gv && c.gn[c.k] > 0) {
        double none = c.gn[c.k];

        for (a = 0; a < c.k; a++)
            none -= c.gn[a];
        if (none > 0)
            ef_table_add_note(t, "%.0f row%s with no %s count%s in Overall only.", none, none == 1 ? "" : "s",
                              gv->label ? gv->label : gv->name, none == 1 ? "s" : "");
    }
    for (i = 0; i < in->nvars; i++)
        result_free(&res[i]);
    free(res);
    free(gi);
    free(c.gn);
    free(c.gval);
    *out = t;
    return EF_OK;
}
