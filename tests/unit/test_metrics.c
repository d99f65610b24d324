/* test_metrics.c — the seed's calculate_metrics, the bootstrap CIs, the
 * paired R2 difference and Bland-Altman, against Khurshid's published
 * intervals and a numpy/sklearn re-statement (tests/parity/sklearn_linear.py). */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "stats/ef_metrics.h"
#include "stats/ef_numpy.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void test_published(void)
{
    double lo, hi;
    /* Khurshid's r 0.845 is rounded: the interval he printed, 0.817-0.870, is
     * what r in [0.8453, 0.8455) gives; r = 0.845 exactly gives 0.816-0.870. */
    ef_fisher_ci(0.8454, 448, &lo, &hi);
    ok(lround(lo * 1000) == 817 && lround(hi * 1000) == 870,
       "r 0.845 (0.8454), n 448: 95%% CI 0.817-0.870 as published (%.4f-%.4f)", lo, hi);
    ef_fisher_ci(0.845, 448, &lo, &hi);
    ok(lround(lo * 1000) == 816 && lround(hi * 1000) == 870,
       "r 0.8450 exactly, n 448: 0.816-0.870 (%.4f-%.4f)", lo, hi);
    ef_fisher_ci(0.552, 1076, &lo, &hi);
    ok(lround(lo * 1000) == 509 && lround(hi * 1000) == 592,
       "r 0.552, n 1,076: 95%% CI 0.509-0.592 as published (%.4f-%.4f)", lo, hi);
    ef_fisher_ci(1.0, 50, &lo, &hi);
    ok(lo < 1.0 && hi < 1.0 && hi > 0.9999, "r = 1 is clipped before Fisher's z");
}

static void test_local(void)
{
    double y[] = {1, 2, 3, 4, 5}, p[] = {1.5, 2, 2.5, 4.5, 5};
    ef_metrics m;
    is_int(ef_metrics_compute(y, p, 5, 42, 0, &m, NULL), EF_OK, "metrics without bootstrap");
    is_int((long long)m.n, 5, "n");
    is_abs(m.mae, 0.3, 1e-15, "MAE");
    is_abs(m.mse, 0.15, 1e-15, "MSE");
    is_abs(m.rmse, sqrt(0.15), 1e-15, "RMSE");
    is_abs(m.r2, 1.0 - 0.75 / 10.0, 1e-15, "R2 = 1 - SS_res/SS_tot");
    ok(isnan(m.r2_lo) && isnan(m.mae_hi), "no bootstrap: NaN intervals");

    double yn[] = {1, NAN, 3}, pn[] = {1, 2, NAN};
    ef_metrics_compute(yn, pn, 3, 42, 100, &m, NULL);
    ok(m.n == 1 && m.r == 0 && m.r2 == 0 && m.mae == 0, "fewer than 2 valid pairs: zeros, as the seed");

    double c[] = {3, 3, 3, 3, 3};
    ef_metrics_compute(y, c, 5, 42, 0, &m, NULL);
    ok(isnan(m.r), "constant prediction: r is NaN (np.corrcoef)");
    is_abs(m.r2, 0.0, 1e-15, "constant prediction at the mean: R2 0");

    double bias, sd, lo, hi;
    ef_bland_altman(y, p, 5, &bias, &sd, &lo, &hi);
    is_abs(bias, 0.1, 1e-15, "Bland-Altman bias = mean(yhat - y)");
    is_abs(sd, sqrt(0.7 / 4.0), 1e-15, "Bland-Altman SD with ddof 1");
    is_abs(hi - lo, 2 * 1.96 * sd, 1e-15, "limits bias -+ 1.96 SD");

    double v[] = {5, 1, 4, 2, 3};
    is_abs(ef_percentile(v, 5, 2.5), 1.1, 1e-15, "percentile: linear interpolation");
    ef_error err;
    is_int(ef_delta_r2(y, p, c, 5, 1, 0, &bias, &lo, &hi, &err), EF_EINVAL,
           "paired bootstrap needs resamples");
}

static void test_python(void)
{
    const char *dir = tap_tmpdir();
    size_t n = 1076;
    double *y = ef_xmalloc(n * sizeof *y), *a = ef_xmalloc(n * sizeof *a);
    double *b = ef_xmalloc(n * sizeof *b);
    ef_rng r;
    ef_rng_seed(&r, 2024);
    for (size_t i = 0; i < n; i++) {
        y[i] = ef_rng_gauss(&r, 32.0, 8.0);
        a[i] = 32.0 + 0.6 * (y[i] - 32.0) + ef_rng_gauss(&r, 0.5, 5.0);
        b[i] = 32.0 + 0.4 * (y[i] - 32.0) + ef_rng_gauss(&r, 0.0, 6.0);
    }
    y[17] = NAN;   /* dropped pairs, as the seed's valid_idx */
    a[400] = NAN;
    b[900] = NAN;
    char yp[600], ap[600], bp[600], out[600];
    snprintf(yp, sizeof yp, "%s/y.bin", dir);
    snprintf(ap, sizeof ap, "%s/a.bin", dir);
    snprintf(bp, sizeof bp, "%s/b.bin", dir);
    snprintf(out, sizeof out, "%s/metrics.txt", dir);
    tap_write_f64(yp, y, n);
    tap_write_f64(ap, a, n);
    tap_write_f64(bp, b, n);
    int rc = tap_python("tests/parity/sklearn_linear.py", "metrics '%s' '%s' '%s' %zu 42 1000 '%s'", yp, ap, bp, n, out);
    if (rc != 0) {
        ok(1, "# SKIP numpy/sklearn reference unavailable (status %d)", rc);
        goto out;
    }
    size_t k;
    double *v = tap_read_values(out, &k);
    if (!ok(k == 19, "reference values read (%zu)", k)) {
        free(v);
        goto out;
    }
    ef_metrics m;
    ef_metrics_compute(y, a, n, 42, EF_NBOOT, &m, NULL);
    is_int((long long)m.n, (long long)v[0], "n after dropping NaN pairs");
    const double got[] = {m.r, m.r_lo, m.r_hi, m.r2, m.mae, m.mse, m.rmse,
                          m.r2_lo, m.r2_hi, m.mae_lo, m.mae_hi};
    static const char *const names[] = {"Pearson r", "r CI low", "r CI high", "R2", "MAE", "MSE",
                                        "RMSE", "bootstrap R2 low", "bootstrap R2 high",
                                        "bootstrap MAE low", "bootstrap MAE high"};
    for (int i = 0; i < 11; i++)
        is_rel(got[i], v[1 + i], 1e-9, "%s as the seed / numpy (%.10g)", names[i], got[i]);
    double d, lo, hi;
    is_int(ef_delta_r2(y, a, b, n, 42, EF_NBOOT, &d, &lo, &hi, NULL), EF_OK, "paired delta R2");
    is_rel(d, v[12], 1e-9, "delta R2 = R2(a) - R2(b) (%.6f)", d);
    is_rel(lo, v[13], 1e-9, "paired bootstrap CI low (%.6f)", lo);
    is_rel(hi, v[14], 1e-9, "paired bootstrap CI high (%.6f)", hi);
    ok(lo < d && d < hi && lo > 0, "model a is better: CI above 0");
    double bias, sd, bl, bh;
    /* Bland-Altman on complete pairs */
    double *yc = ef_xmalloc(n * sizeof *yc), *ac = ef_xmalloc(n * sizeof *ac);
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]) && !isnan(a[i])) {
            yc[c] = y[i];
            ac[c++] = a[i];
        }
    ef_bland_altman(yc, ac, c, &bias, &sd, &bl, &bh);
    is_rel(bias, v[15], 1e-9, "Bland-Altman bias (%.4f)", bias);
    is_rel(sd, v[16], 1e-9, "Bland-Altman SD");
    is_rel(bl, v[17], 1e-9, "lower limit of agreement");
    is_rel(bh, v[18], 1e-9, "upper limit of agreement");
    free(yc);
    free(ac);
    free(v);
out:
    free(y);
    free(a);
    free(b);
}

/* The block draws are ef_mt_interval's, value for value, at every mask
 * width (max 2^k - 1 accepts all, 2^k about half). */
static void test_block_draws(void)
{
    static const uint32_t maxes[] = {1, 2, 3, 6, 127, 128, 1703, 6815, 8519, 65535, 65536, 0x7fffffffu,
                                     0x80000000u, 0xffffffffu};
    uint32_t *out = ef_xmalloc(EF_MT_BLOCK_OUT * sizeof *out);
    int bad = 0;

    for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
        ef_mt19937 a, b;
        size_t got = 0;

        ef_mt_seed(&a, 42 + (uint32_t)m);
        ef_mt_seed(&b, 42 + (uint32_t)m);
        /* start mid-block once: the rest of the block, then whole ones */
        for (int i = 0; i < 100 && m % 2; i++)
            ef_mt_next32(&a), ef_mt_next32(&b);
        while (got < 20000) {
            size_t c = ef_mt_interval_block(&b, maxes[m], out);

            for (size_t i = 0; i < c; i++)
                bad += (uint64_t)out[i] != ef_mt_interval(&a, maxes[m]);
            got += c;
        }
    }
    ok(!bad, "block draws = ef_mt_interval's, for 14 maxima (%d differ)", bad);
    free(out);
}

/* The bootstrap CIs as the straightforward code computes them: a resample
 * drawn with ef_mt_interval, then ef_r2_score and ef_mae on it.  The fused
 * sums must give the same bits. */
static void reference_boot(const double *y, const double *p, size_t n, uint32_t seed, int nboot,
                           double out[4])
{
    double *r2s = ef_xmalloc((size_t)nboot * sizeof *r2s), *maes = ef_xmalloc((size_t)nboot * sizeof *maes);
    double *by = ef_xmalloc(n * sizeof *by), *bp = ef_xmalloc(n * sizeof *bp);
    ef_mt19937 g;

    ef_mt_seed(&g, seed);
    for (int b = 0; b < nboot; b++) {
        for (size_t i = 0; i < n; i++) {
            size_t k = (size_t)ef_mt_interval(&g, n - 1);

            by[i] = y[k];
            bp[i] = p[k];
        }
        r2s[b] = ef_r2_score(by, bp, n);
        maes[b] = ef_mae(by, bp, n);
    }
    out[0] = ef_percentile(r2s, (size_t)nboot, 2.5);
    out[1] = ef_percentile(r2s, (size_t)nboot, 97.5);
    out[2] = ef_percentile(maes, (size_t)nboot, 2.5);
    out[3] = ef_percentile(maes, (size_t)nboot, 97.5);
    free(r2s);
    free(maes);
    free(by);
    free(bp);
}

/* numpy's pairwise sum of (a - b)^2 written out plainly (ef_numpy.c may
 * take vector paths that must give these bits). */
static double plain_sq(const double *a, const double *b, double c, size_t n)
{
    if (n < 8) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += (a[i] - (b ? b[i] : c)) * (a[i] - (b ? b[i] : c));
        return s;
    }
    if (n <= 128) {
        double r[8], s;
        size_t i;
        for (int j = 0; j < 8; j++)
            r[j] = (a[j] - (b ? b[j] : c)) * (a[j] - (b ? b[j] : c));
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += (a[i + j] - (b ? b[i + j] : c)) * (a[i + j] - (b ? b[i + j] : c));
        s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += (a[i] - (b ? b[i] : c)) * (a[i] - (b ? b[i] : c));
        return s;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return plain_sq(a, b, c, n2) + plain_sq(a + n2, b ? b + n2 : NULL, c, n - n2);
}

static void test_r2_exact(void)
{
    ef_rng r;
    int bad = 0;

    ef_rng_seed(&r, 5);
    for (size_t n = 1; n < 700; n += n < 140 ? 1 : 37) {
        double *y = ef_xmalloc(n * sizeof *y), *p = ef_xmalloc(n * sizeof *p);

        for (size_t i = 0; i < n; i++) {
            y[i] = 40.0 + ef_rng_gauss(&r, 0.0, 9.0);
            p[i] = 40.0 + 0.5 * (y[i] - 40.0) + ef_rng_gauss(&r, 0.0, 4.0);
        }
        double num = plain_sq(y, p, 0.0, n), den = plain_sq(y, NULL, ef_np_sum(y, n) / (double)n, n);
        double want = num == 0.0 ? 1.0 : den == 0.0 ? 0.0 : 1.0 - num / den, got = ef_r2_score(y, p, n);
        double dev = ef_np_sqdev(y, 40.0, n), want_dev = plain_sq(y, NULL, 40.0, n);

        bad += memcmp(&got, &want, sizeof got) != 0 || memcmp(&dev, &want_dev, sizeof dev) != 0;
        free(y);
        free(p);
    }
    ok(!bad, "r2_score and the squared deviations bit for bit as numpy's pairwise sums, n 1..699 (%d differ)", bad);
}

static void test_boot_exact(void)
{
    static const size_t ns[] = {2, 3, 7, 8, 9, 64, 128, 129, 130, 257, 1000, 1704, 6816};
    ef_rng r;

    ef_rng_seed(&r, 11);
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t];
        int nboot = n > 1000 ? 200 : 300;
        double *y = ef_xmalloc(n * sizeof *y), *p = ef_xmalloc(n * sizeof *p), ref[4];
        ef_metrics m;

        for (size_t i = 0; i < n; i++) {
            y[i] = 35.0 + ef_rng_gauss(&r, 0.0, 8.0);
            p[i] = t == 0 ? y[i] : 35.0 + 0.6 * (y[i] - 35.0) + ef_rng_gauss(&r, 0.0, 5.0);
        }
        reference_boot(y, p, n, 42 + (uint32_t)t, nboot, ref);
        ef_metrics_compute(y, p, n, 42 + (uint32_t)t, nboot, &m, NULL);
        ok(memcmp(&m.r2_lo, &ref[0], sizeof(double)) == 0 && memcmp(&m.r2_hi, &ref[1], sizeof(double)) == 0 &&
               memcmp(&m.mae_lo, &ref[2], sizeof(double)) == 0 && memcmp(&m.mae_hi, &ref[3], sizeof(double)) == 0,
           "n %zu: bootstrap CIs bit for bit as resample + r2_score + mae (R2 %.17g..%.17g, MAE %.17g..%.17g)", n,
           m.r2_lo, m.r2_hi, m.mae_lo, m.mae_hi);
        free(y);
        free(p);
    }
}

int main(void)
{
    test_published();
    test_local();
    test_block_draws();
    test_r2_exact();
    test_boot_exact();
    test_python();
    return done_testing();
}
