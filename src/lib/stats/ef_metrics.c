/* ef_metrics.c — the seed's calculate_metrics, bootstrap CIs, Bland-Altman.
 * Sums follow numpy's pairwise order where numpy sums a contiguous vector. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ef_alloc.h"
#include "stats/ef_numpy.h"
#include "stats/ef_metrics.h"

double ef_pearson_r(const double *x, const double *y, size_t n)
{
    /* np.cov: centre on the means, dot, times 1/(n-1); corrcoef divides by
     * each SD in turn and clips to [-1, 1]. */
    double mx = ef_np_sum(x, n) / (double)n, my = ef_np_sum(y, n) / (double)n;
    double sxx = 0.0, syy = 0.0, sxy = 0.0, f = 1.0 / (double)(n - 1);
    for (size_t i = 0; i < n; i++) {
        double a = x[i] - mx, b = y[i] - my;
        sxx += a * a;
        syy += b * b;
        sxy += a * b;
    }
    double r = sxy * f / sqrt(sxx * f) / sqrt(syy * f);
    if (r > 1.0)
        r = 1.0;
    if (r < -1.0)
        r = -1.0;
    return r;
}

void ef_fisher_ci(double r, size_t n, double *lo, double *hi)
{
    double rc = r < -0.99999999 ? -0.99999999 : r > 0.99999999 ? 0.99999999 : r;
    double z = 0.5 * log((1.0 + rc) / (1.0 - rc));
    double se = 1.0 / sqrt((double)n - 3.0);
    double zl = z - EF_Z975 * se, zu = z + EF_Z975 * se;
    *lo = (exp(2.0 * zl) - 1.0) / (exp(2.0 * zl) + 1.0);
    *hi = (exp(2.0 * zu) - 1.0) / (exp(2.0 * zu) + 1.0);
}

static double mean_err(const double *y, const double *yhat, size_t n, int sq)
{
    double *d = ef_xmalloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; i < n; i++) {
        double e = yhat[i] - y[i];
        d[i] = sq ? e * e : fabs(e);
    }
    double s = ef_np_sum(d, n) / (double)n;
    free(d);
    return s;
}

double ef_mae(const double *y, const double *yhat, size_t n)
{
    return mean_err(y, yhat, n, 0);
}

double ef_mse(const double *y, const double *yhat, size_t n)
{
    return mean_err(y, yhat, n, 1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ef_percentile(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    /* numpy's "linear" method: index (n-1) q/100, numpy's two-sided lerp. */
    double vi = (double)(n - 1) * (q / 100.0), fl = floor(vi), t = vi - fl;
    size_t i = (size_t)fl;
    if (i >= n - 1)
        return v[n - 1];
    double a = v[i], b = v[i + 1], d = b - a;
    return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

/* Keep the rows where every given column is a number. */
static size_t drop_nan(const double *const *cols, int ncol, size_t n, double **out)
{
    size_t m = 0;
    for (int c = 0; c < ncol; c++)
        out[c] = ef_xmalloc((n ? n : 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        int bad = 0;
        for (int c = 0; c < ncol; c++)
            bad |= isnan(cols[c][i]);
        if (bad)
            continue;
        for (int c = 0; c < ncol; c++)
            out[c][m] = cols[c][i];
        m++;
    }
    return m;
}

/* The bootstrap's row draws: RandomState(seed).randint(0, n, size=n) once
 * per resample, all from one generator (masked 32-bit rejection), taken a
 * block of the generator at a time. */
typedef struct draws {
    ef_mt19937 g;
    uint32_t max;
    uint32_t *idx;   /* n + EF_MT_BLOCK_OUT: the next resample's rows, then values drawn ahead */
    size_t n, have;
} draws;

static void draws_init(draws *d, uint32_t seed, size_t n)
{
    ef_mt_seed(&d->g, seed);
    d->max = (uint32_t)(n - 1);
    d->n = n;
    d->have = 0;
    d->idx = ef_xmalloc((n + EF_MT_BLOCK_OUT) * sizeof *d->idx);
}

/* The next resample's n rows in d->idx[0..n). */
static const uint32_t *draws_next(draws *d)
{
    if (d->have >= d->n) {   /* drop the previous resample's rows */
        d->have -= d->n;
        memmove(d->idx, d->idx + d->n, d->have * sizeof *d->idx);
    }
    while (d->have < d->n)
        d->have += ef_mt_interval_block(&d->g, d->max, d->idx + d->have);
    return d->idx;
}

/* Bootstraps need 2 <= n <= 2^32 (ef_mt_interval_block's range). */
static int draws_ok(size_t n)
{
    return n >= 2 && n - 1 <= 0xffffffffu;
}

/* One resample of ncol columns into dst. */
static void resample(draws *d, size_t n, const double *const *src, int ncol, double *const *dst)
{
    const uint32_t *ix = draws_next(d);

    for (int c = 0; c < ncol; c++)
        for (size_t i = 0; i < n; i++)
            dst[c][i] = src[c][ix[i]];
}

/* Over the resampled rows, in numpy's pairwise order (ef_np_sum: blocks of
 * up to 128 with 8 accumulators): the sums of y, of (y - yhat)^2 and of
 * |y - yhat| -- what r2_score's numerator, its mean and mean_absolute_error
 * add up, in one pass.  yb gets the resampled y. */
typedef struct sums3 {
    double y, sq, ab;
} sums3;

static sums3 resample_sums(const uint32_t *ix, size_t n, const double *Y, const double *H, double *yb)
{
    sums3 s = {0.0, 0.0, 0.0};

    if (n < 8) {
        for (size_t i = 0; i < n; i++) {
            double y = Y[ix[i]], e = y - H[ix[i]];

            yb[i] = y;
            s.y += y;
            s.sq += e * e;
            s.ab += fabs(e);
        }
        return s;
    }
    if (n <= 128) {
        double ry[8], rs[8], ra[8];
        size_t i;

        for (int j = 0; j < 8; j++) {
            double y = Y[ix[j]], e = y - H[ix[j]];

            yb[j] = ry[j] = y;
            rs[j] = e * e;
            ra[j] = fabs(e);
        }
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++) {
                double y = Y[ix[i + j]], e = y - H[ix[i + j]];

                yb[i + j] = y;
                ry[j] += y;
                rs[j] += e * e;
                ra[j] += fabs(e);
            }
        s.y = ((ry[0] + ry[1]) + (ry[2] + ry[3])) + ((ry[4] + ry[5]) + (ry[6] + ry[7]));
        s.sq = ((rs[0] + rs[1]) + (rs[2] + rs[3])) + ((rs[4] + rs[5]) + (rs[6] + rs[7]));
        s.ab = ((ra[0] + ra[1]) + (ra[2] + ra[3])) + ((ra[4] + ra[5]) + (ra[6] + ra[7]));
        for (; i < n; i++) {
            double y = Y[ix[i]], e = y - H[ix[i]];

            yb[i] = y;
            s.y += y;
            s.sq += e * e;
            s.ab += fabs(e);
        }
        return s;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    sums3 a = resample_sums(ix, n2, Y, H, yb), b = resample_sums(ix + n2, n - n2, Y, H, yb + n2);
    s.y = a.y + b.y;
    s.sq = a.sq + b.sq;
    s.ab = a.ab + b.ab;
    return s;
}

int ef_metrics_compute(const double *y, const double *yhat, size_t n, uint32_t seed, int nboot,
                       ef_metrics *m, ef_error *err)
{
    const double *cols[2] = {y, yhat};
    double *v[2];
    memset(m, 0, sizeof *m);
    m->r_lo = m->r_hi = m->r2_lo = m->r2_hi = m->mae_lo = m->mae_hi = NAN;
    if (nboot < 0)
        return ef_error_set(err, EF_EINVAL, "negative bootstrap count %d", nboot);
    size_t k = drop_nan(cols, 2, n, v);
    m->n = k;
    if (k >= 2) {
        m->mae = ef_mae(v[0], v[1], k);
        m->mse = ef_mse(v[0], v[1], k);
        m->rmse = sqrt(m->mse);
        m->r2 = ef_r2_score(v[0], v[1], k);
        m->r = ef_pearson_r(v[0], v[1], k);
        ef_fisher_ci(m->r, k, &m->r_lo, &m->r_hi);
    }
    if (k >= 2 && nboot > 0 && !draws_ok(k)) {
        free(v[0]);
        free(v[1]);
        return ef_error_set(err, EF_EINVAL, "%zu pairs: too many for the bootstrap", k);
    }
    if (k >= 2 && nboot > 0) {
        double *bs[2] = {ef_xmalloc(k * sizeof(double)), ef_xmalloc(k * sizeof(double))};
        double *r2s = ef_xmalloc((size_t)nboot * sizeof *r2s);
        double *maes = ef_xmalloc((size_t)nboot * sizeof *maes);
        draws d;

        draws_init(&d, seed, k);
        for (int b = 0; b < nboot; b++) {
            /* as ef_r2_score(yb, yhatb) and ef_mae(yb, yhatb) would add them */
            sums3 t = resample_sums(draws_next(&d), k, v[0], v[1], bs[0]);
            double den = ef_np_sqdev(bs[0], t.y / (double)k, k);

            r2s[b] = t.sq == 0.0 ? 1.0 : den == 0.0 ? 0.0 : 1.0 - t.sq / den;
            maes[b] = t.ab / (double)k;
        }
        free(d.idx);
        m->r2_lo = ef_percentile(r2s, (size_t)nboot, 2.5);
        m->r2_hi = ef_percentile(r2s, (size_t)nboot, 97.5);
        m->mae_lo = ef_percentile(maes, (size_t)nboot, 2.5);
        m->mae_hi = ef_percentile(maes, (size_t)nboot, 97.5);
        free(bs[0]);
        free(bs[1]);
        free(r2s);
        free(maes);
    }
    free(v[0]);
    free(v[1]);
    return EF_OK;
}

int ef_delta_r2(const double *y, const double *a, const double *b, size_t n, uint32_t seed,
                int nboot, double *d, double *lo, double *hi, ef_error *err)
{
    const double *cols[3] = {y, a, b};
    double *v[3];
    if (nboot < 1)
        return ef_error_set(err, EF_EINVAL, "the paired bootstrap needs resamples, not %d", nboot);
    size_t k = drop_nan(cols, 3, n, v);
    int rc = EF_OK;
    if (k < 2) {
        rc = ef_error_set(err, EF_EDATA, "%zu complete rows: too few to compare R2", k);
        goto out;
    }
    if (!draws_ok(k)) {
        rc = ef_error_set(err, EF_EINVAL, "%zu complete rows: too many for the bootstrap", k);
        goto out;
    }
    *d = ef_r2_score(v[0], v[1], k) - ef_r2_score(v[0], v[2], k);
    double *bs[3];
    for (int c = 0; c < 3; c++)
        bs[c] = ef_xmalloc(k * sizeof(double));
    double *ds = ef_xmalloc((size_t)nboot * sizeof *ds);
    draws dr;
    draws_init(&dr, seed, k);
    for (int t = 0; t < nboot; t++) {
        resample(&dr, k, (const double *const *)v, 3, bs);
        ds[t] = ef_r2_score(bs[0], bs[1], k) - ef_r2_score(bs[0], bs[2], k);
    }
    free(dr.idx);
    *lo = ef_percentile(ds, (size_t)nboot, 2.5);
    *hi = ef_percentile(ds, (size_t)nboot, 97.5);
    for (int c = 0; c < 3; c++)
        free(bs[c]);
    free(ds);
out:
    for (int c = 0; c < 3; c++)
        free(v[c]);
    return rc;
}

void ef_bland_altman(const double *y, const double *yhat, size_t n, double *bias, double *sd,
                     double *lo, double *hi)
{
    double *d = ef_xmalloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; i < n; i++)
        d[i] = yhat[i] - y[i];
    double m = ef_np_sum(d, n) / (double)n;
    for (size_t i = 0; i < n; i++)
        d[i] = (d[i] - m) * (d[i] - m);
    double s = sqrt(ef_np_sum(d, n) / (double)(n - 1));
    free(d);
    *bias = m;
    *sd = s;
    *lo = m - 1.96 * s;
    *hi = m + 1.96 * s;
}
