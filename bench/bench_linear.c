/* bench_linear.c — the seed's Lasso and ElasticNet grids (10-fold CV) through
 * ef_model_fit on synthetic data shaped like the seed's FULL feature set.
 *
 *   bench_linear gen DIR [N] [P]     write DIR/X.bin, DIR/y.bin (float64)
 *   bench_linear run DIR N P KIND THREADS   fit, print seconds and the result
 *
 * Data: P - 3 "embedding" columns loading on 24 shared latent factors plus
 * their own noise (correlated, as PCLR outputs are), then age, sex and BMI;
 * y depends on age, sex, BMI and a few factors, plus noise. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "model/ef_model.h"

#define NFAC 24

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int gen(const char *dir, size_t n, size_t p)
{
    ef_rng r;
    size_t pe = p - 3;
    double *L = ef_xmalloc(pe * NFAC * sizeof *L), *X = ef_xmalloc(n * p * sizeof *X);
    double *y = ef_xmalloc(n * sizeof *y), f[NFAC];
    ef_rng_seed(&r, 20240601);
    for (size_t j = 0; j < pe * NFAC; j++)
        L[j] = ef_rng_normal(&r) * (ef_rng_uniform(&r) < 0.3 ? 1.0 : 0.1);
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < NFAC; k++)
            f[k] = ef_rng_normal(&r);
        double *x = X + i * p;
        for (size_t j = 0; j < pe; j++) {
            double s = 0.7 * ef_rng_normal(&r);
            for (int k = 0; k < NFAC; k++)
                s += L[j * NFAC + k] * f[k];
            x[j] = 0.1 * s;
        }
        double age = ef_rng_uniform_range(&r, 40, 70), sex = ef_rng_bernoulli(&r, 0.5);
        double bmi = ef_rng_gauss(&r, 27 + 0.3 * f[0], 4);
        x[pe] = age;
        x[pe + 1] = sex;
        x[pe + 2] = bmi;
        y[i] = 60 - 0.35 * age + 5.5 * sex - 0.5 * bmi + 1.2 * f[0] - 0.8 * f[1] + 0.5 * f[2] +
               0.3 * f[5] + ef_rng_gauss(&r, 0, 5);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/X.bin", dir);
    FILE *fx = fopen(path, "wb");
    snprintf(path, sizeof path, "%s/y.bin", dir);
    FILE *fy = fopen(path, "wb");
    int bad = !fx || !fy || fwrite(X, sizeof *X, n * p, fx) != n * p ||
              fwrite(y, sizeof *y, n, fy) != n;
    if (fx)
        fclose(fx);
    if (fy)
        fclose(fy);
    free(L);
    free(X);
    free(y);
    if (bad)
        fprintf(stderr, "bench_linear: cannot write %s\n", dir);
    return bad;
}

static double *load(const char *dir, const char *name, size_t count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    double *a = ef_xmalloc(count * sizeof *a);
    if (!f || fread(a, sizeof *a, count, f) != count) {
        fprintf(stderr, "bench_linear: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    return a;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "gen") == 0)
        return gen(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 6832,
                   argc > 4 ? strtoul(argv[4], NULL, 10) : 323);
    if (argc != 7 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: bench_linear gen DIR [N P] | run DIR N P lasso|elasticnet THREADS\n");
        return 2;
    }
    size_t n = strtoul(argv[3], NULL, 10), p = strtoul(argv[4], NULL, 10);
    int kind;
    if (!ef_model_kind_parse(argv[5], &kind) || kind > EF_MODEL_ENET) {
        fprintf(stderr, "bench_linear: kind must be lasso or elasticnet\n");
        return 2;
    }
    double *X = load(argv[2], "X.bin", n * p), *y = load(argv[2], "y.bin", n);
    ef_fit_opts o;
    ef_fitted *m;
    ef_error err;
    ef_fit_opts_default(&o, kind);
    o.threads = atoi(argv[6]);
    o.cd_warm = getenv("BENCH_CD_PATH") && strcmp(getenv("BENCH_CD_PATH"), "warm") == 0;
    double t0 = now();
    int rc = ef_model_fit(X, y, n, p, &o, &m, &err);
    double t = now() - t0;
    if (rc != EF_OK) {
        fprintf(stderr, "bench_linear: %s\n", err.msg);
        return 1;
    }
    size_t nz = 0, best = 0;
    for (size_t j = 0; j < p; j++)
        nz += m->coef[j] != 0.0;
    for (size_t c = 0; c < m->ngrid; c++)
        if (strcmp(m->grid[c].params, m->best) == 0)
            best = c;
    printf("seconds %.3f\nbest_index %zu\nbest %s\nmean_r2 %.12f\nnonzero %zu\nintercept %.12f\n",
           t, best, m->best, m->grid[best].mean_score, nz, m->intercept);
    ef_fitted_free(m);
    free(X);
    free(y);
    return 0;
}
