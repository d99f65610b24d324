/* bench_xgb.c — time ef_xgb_fit (the seed's 12-point grid, 10-fold CV, refit)
 * on synthetic data shaped like the seed's FULL strategy (n 6,832, p 323).
 *
 * Usage: bench_xgb DIR [THREADS [N [P [KIND]]]]
 * Writes DIR/X.bin and DIR/y.bin (float64, row-major) for bench_xgb.py, then
 * prints "seconds S" (wall), "cpu S" (all threads), "best PARAMS" and one
 * "grid PARAMS MEAN" line per point (MEAN with 17 digits) on stdout.  KIND
 * (default xgboost) names another model kind (mlp, lasso, elasticnet) to time
 * through ef_model_fit on the same data instead. */
#include "config.h"

#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "model/ef_model_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of all threads: the fairer yardstick on a shared machine. */
static double cpu(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static int write_bin(const char *dir, const char *name, const double *v, size_t n)
{
    char path[1024];
    FILE *f;
    size_t w;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "wb")))
        return -1;
    w = fwrite(v, sizeof *v, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

/* Embedding-like features: 8 latent factors plus noise, standardised;
 * the target a nonlinear function of a few of them. */
static void make_data(double *X, double *y, size_t n, size_t p)
{
    ef_rng r;
    double z[8], *load = ef_xmalloc(p * 8 * sizeof *load);
    size_t i, j, k;

    ef_rng_seed(&r, 2024);
    for (j = 0; j < p * 8; j++)
        load[j] = ef_rng_normal(&r) / sqrt(8.0);
    for (i = 0; i < n; i++) {
        for (k = 0; k < 8; k++)
            z[k] = ef_rng_normal(&r);
        for (j = 0; j < p; j++) {
            double v = 0.7 * ef_rng_normal(&r);

            for (k = 0; k < 8; k++)
                v += load[j * 8 + k] * z[k];
            X[i * p + j] = v;
        }
        y[i] = 35 + 4 * z[0] + 2 * z[1] * z[2] + 3 * tanh(z[3]) + 0.5 * X[i * p] +
               ef_rng_gauss(&r, 0, 3);
    }
    free(load);
}

int main(int argc, char **argv)
{
    const char *dir;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    size_t n = argc > 3 ? (size_t)atol(argv[3]) : 6832, p = argc > 4 ? (size_t)atol(argv[4]) : 323;
    double *X, *y, t0, t1, c0, c1;
    ef_fit_opts o;
    ef_fitted m, *fm = NULL;
    ef_error err;
    size_t g;
    int kind = EF_MODEL_XGB, rc;

    if (argc < 2 || (argc > 5 && !ef_model_kind_parse(argv[5], &kind))) {
        fprintf(stderr, "usage: bench_xgb DIR [THREADS [N [P [KIND]]]]\n");
        return 2;
    }
    dir = argv[1];
    X = ef_xmalloc(n * p * sizeof *X);
    y = ef_xmalloc(n * sizeof *y);
    make_data(X, y, n, p);
    if (write_bin(dir, "X.bin", X, n * p) != 0 || write_bin(dir, "y.bin", y, n) != 0) {
        fprintf(stderr, "bench_xgb: cannot write to %s\n", dir);
        return 1;
    }
    ef_fit_opts_default(&o, kind);
    memset(&m, 0, sizeof m);
    o.threads = threads;
    t0 = now();
    c0 = cpu();
    if (kind == EF_MODEL_XGB)   /* unscaled, as bench_xgb.py */
        rc = ef_xgb_fit(X, y, n, p, &o, &m, &err);
    else if ((rc = ef_model_fit(X, y, n, p, &o, &fm, &err)) == EF_OK)
        m = *fm;
    if (rc != EF_OK) {
        fprintf(stderr, "bench_xgb: %s\n", err.msg);
        return 1;
    }
    t1 = now();
    c1 = cpu();
    printf("seconds %.3f\n", t1 - t0);
    printf("cpu %.3f\n", c1 - c0);
    printf("best %s\n", m.best);
    for (g = 0; g < m.ngrid; g++)
        printf("grid %s %.17g\n", m.grid[g].params, m.grid[g].mean_score);
    if (fm)
        ef_fitted_free(fm);
    else {
        free(m.grid);
        free(m.importance);
        free(m.booster);
    }
    free(X);
    free(y);
    return 0;
}
