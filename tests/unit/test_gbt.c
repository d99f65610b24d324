/* test_gbt.c — the own boosted trees (model/ef_gbt.h) against libxgboost
 * itself: on data of many shapes (continuous, few distinct values, binary,
 * heavy-tailed labels, labels so large that float gains overflow, constant
 * columns, row counts on both sides of the sketch's pruning sizes) and the
 * seed's grid values of max_depth, gamma and lambda, every prediction, on the
 * training rows and on new rows, must be the float libxgboost 1.7 returns, bit
 * for bit.  Also: what is out of scope is refused, cancelling stops. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "model/ef_gbt.h"

#include <xgboost/c_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NT 50   /* new rows */

static ef_gbt_work *work;   /* shared by every training, as a grid worker's */

enum kind { CONT, DISCRETE, GRID, HEAVY, HUGE, CONSTANT, OUTLIERS, OUTLIERS_XS };
static const char *kind_name[] = { "continuous", "few values", "on a grid", "heavy-tailed y",
                                   "huge y", "constant columns", "1e10 outliers in y",
                                   "1e10 outliers in y (xorshift)" };

/* xorshift64 and Box-Muller: a stream on which, at n 792, p 6, max_depth 4,
 * the backward scan wins two nodes (found by search with a counting build; on
 * these data the forward split it replaces gives the same predictions). */
static uint64_t xs;

static double xs_uniform(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return (double)(xs >> 11) * (1.0 / 9007199254740992.0);
}

static double xs_normal(void)
{
    double u = xs_uniform() + 1e-300, v = xs_uniform();

    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static void make_xs(size_t n, size_t p, uint64_t seed, float *X, float *y)
{
    size_t i, j;

    xs = 88172645463325252u + seed;
    for (i = 0; i < n; i++) {
        for (j = 0; j < p; j++)
            X[i * p + j] = (float)xs_normal();
        (void)xs_normal();
        y[i] = (float)(xs_normal() + (xs_uniform() < 0.02 ? (xs_uniform() < 0.5 ? -1e10 : 1e10) : 0));
    }
}

static void make(enum kind kind, size_t n, size_t p, uint64_t seed, float *X, float *y)
{
    ef_rng r;
    size_t i, j;

    if (kind == OUTLIERS_XS) {
        make_xs(n, p, seed, X, y);
        return;
    }
    ef_rng_seed2(&r, 11, seed);
    for (i = 0; i < n; i++) {
        float *x = X + i * p;

        for (j = 0; j < p; j++) {
            double v = ef_rng_normal(&r);

            if (kind == DISCRETE && j % 3 == 1)
                v = floor(v * 3);
            if (kind == DISCRETE && j % 3 == 2)
                v = ef_rng_uniform(&r) < 0.5;
            if (kind == GRID)
                v = floor(v * 20) / 7;
            if (kind == CONSTANT && j % 2 == 1)
                v = 2.5;
            x[j] = (float)v;
        }
        y[i] = (float)(30 + 4 * x[0] + 3 * sin(2 * x[1 % p]) + 2 * x[2 % p] * x[3 % p] +
                       ef_rng_normal(&r));
        if (kind == HEAVY)
            y[i] = (float)(exp(2.5 * ef_rng_normal(&r)) * (1 + x[0]) * 333.0);
        if (kind == HUGE)
            y[i] = (float)(exp(9 * ef_rng_normal(&r)) * (1 + x[0]));
        if (kind == OUTLIERS && ef_rng_uniform(&r) < 0.02)
            y[i] += ef_rng_uniform(&r) < 0.5 ? -1e10f : 1e10f;
    }
}

static int xgb_ok(int rc)
{
    if (rc != 0)
        diag("libxgboost: %s", XGBGetLastError());
    return rc == 0;
}

static BoosterHandle lib_booster(DMatrixHandle d, int depth, float gamma, float lambda,
                                 const char *base)
{
    BoosterHandle b;
    char buf[64];

    if (!xgb_ok(XGBoosterCreate(&d, 1, &b)))
        return NULL;
    XGBoosterSetParam(b, "objective", "reg:squarederror");
    XGBoosterSetParam(b, "tree_method", "hist");
    XGBoosterSetParam(b, "eta", "0.1");
    snprintf(buf, sizeof buf, "%d", depth);
    XGBoosterSetParam(b, "max_depth", buf);
    snprintf(buf, sizeof buf, "%.9g", gamma);
    XGBoosterSetParam(b, "gamma", buf);
    snprintf(buf, sizeof buf, "%.9g", lambda);
    XGBoosterSetParam(b, "lambda", buf);
    XGBoosterSetParam(b, "base_score", base);
    XGBoosterSetParam(b, "nthread", "1");
    XGBoosterSetParam(b, "verbosity", "0");
    return b;
}

/* Trains both on n rows; compares the predictions of n + NT rows. */
static void compare(enum kind kind, size_t n, size_t p, int depth, float gamma, float lambda,
                    int rounds, uint64_t seed)
{
    float *X = ef_xmalloc((n + NT) * p * sizeof *X), *y = ef_xmalloc((n + NT) * sizeof *y);
    double mean = 0, *own = ef_xmalloc((n + NT) * sizeof *own);
    char base[64];
    DMatrixHandle dtr = NULL, dall = NULL;
    BoosterHandle b0 = NULL, b = NULL;
    bst_ulong len;
    const float *res;
    float bs;
    ef_gbt_data *d;
    ef_gbt_model *m;
    ef_gbt_params q;
    size_t i, ndiff = 0;
    int it;

    make(kind, n + NT, p, seed, X, y);
    for (i = 0; i < n; i++)
        mean += y[i];
    snprintf(base, sizeof base, "%.17g", mean / (double)n);
    if (!xgb_ok(XGDMatrixCreateFromMat(X, n, p, NAN, &dtr)) ||
        !xgb_ok(XGDMatrixSetFloatInfo(dtr, "label", y, n)) ||
        !xgb_ok(XGDMatrixCreateFromMat(X, n + NT, p, NAN, &dall)) ||
        !(b0 = lib_booster(dtr, depth, gamma, lambda, base)) ||
        !xgb_ok(XGBoosterPredict(b0, dall, 0, 0, 0, &len, &res))) {
        ok(0, "libxgboost runs");
        goto out;
    }
    bs = res[0];   /* base_score as libxgboost parsed it */
    b = lib_booster(dtr, depth, gamma, lambda, base);
    for (it = 0; b && it < rounds; it++)
        if (!xgb_ok(XGBoosterUpdateOneIter(b, it, dtr)))
            break;
    if (!b || it < rounds || !xgb_ok(XGBoosterPredict(b, dall, 0, 0, 0, &len, &res))) {
        ok(0, "libxgboost trains");
        goto out;
    }
    d = ef_gbt_data_new(X, y, n, p);
    if (!d) {
        ok(0, "%s n %zu p %zu: the own trees take the data", kind_name[kind], n, p);
        goto out;
    }
    q.max_depth = depth;
    q.rounds = rounds;
    q.eta = 0.1f;
    q.gamma = gamma;
    q.lambda = lambda;
    q.base_score = bs;
    m = ef_gbt_train(d, &q, work, NULL);
    ef_gbt_predict(m, X, n + NT, own);
    for (i = 0; i < n + NT; i++)
        ndiff += (float)own[i] != res[i];
    if (!ok(ndiff == 0 && len == n + NT,
            "%s, n %zu, p %zu, max_depth %d, gamma %g, lambda %g: %d rounds, all %zu "
            "predictions bit-identical to libxgboost",
            kind_name[kind], n, p, depth, gamma, lambda, rounds, n + NT))
        diag("%zu differ", ndiff);
    ef_gbt_model_free(m);
    ef_gbt_data_free(d);
out:
    if (b)
        XGBoosterFree(b);
    if (b0)
        XGBoosterFree(b0);
    if (dtr)
        XGDMatrixFree(dtr);
    if (dall)
        XGDMatrixFree(dall);
    free(X);
    free(y);
    free(own);
}

int main(void)
{
    static const int depth[] = { 3, 4, 5 };
    static const float gamma[] = { 0, 0.5f }, lambda[] = { 1, 10 };
    float X[8] = { 1, 2, NAN, 4, 5, 6, 7, 8 }, y[4] = { 1, 2, 3, 4 };
    volatile int stop = 1;
    ef_gbt_params q = { 3, 10, 0.1f, 0, 1, 0.5f };
    ef_gbt_data *d;
    float *Xb, *yb;
    size_t i;
    int k, g;

    work = ef_gbt_work_new();
    /* the seed's grid on a cohort-sized fold and on an embedding-wide one */
    for (k = 0; k < 3; k++)
        for (g = 0; g < 4; g++)
            compare(CONT, 270, 12, depth[k], gamma[g / 2], lambda[g % 2], 100, 1 + (uint64_t)g);
    compare(CONT, 270, 323, 5, 0, 1, 100, 5);
    compare(CONT, 900, 323, 4, 0.5f, 10, 30, 6);
    /* data shapes */
    compare(DISCRETE, 300, 10, 5, 0, 1, 100, 7);
    compare(GRID, 1000, 20, 5, 0, 10, 100, 8);
    compare(HEAVY, 1500, 9, 4, 0.5f, 1, 100, 9);
    compare(HUGE, 2349, 2, 5, 0, 1, 100, 10);   /* float gains overflow to inf */
    compare(CONSTANT, 400, 6, 5, 0, 1, 100, 11);
    /* residuals 1 and 1e10 apart: histogram sums that depend on their order,
     * so that some features' bins do not add up to the node exactly and the
     * backward scan runs */
    for (k = 0; k < 8; k++)
        compare(OUTLIERS, 300 + 150 * (size_t)k, 2 + (size_t)k % 6, 3 + k % 3, 0, 1, 100, 20 + (uint64_t)k);
    compare(OUTLIERS_XS, 792, 6, 4, 0, 1, 100, 4);
    /* sketch sizes: pruned to 2048 (n > 2049); the next level (n > 4098) */
    compare(CONT, 2100, 30, 5, 0.5f, 10, 100, 12);
    compare(CONT, 4097, 12, 3, 0, 1, 100, 13);
    compare(CONT, 6149, 20, 5, 0, 1, 40, 14);
    /* tiny */
    compare(DISCRETE, 30, 5, 5, 0, 1, 100, 15);
    compare(DISCRETE, 5, 3, 5, 0, 1, 100, 16);

    ok(ef_gbt_data_new(X, y, 4, 2) == NULL, "a missing value: refused (libxgboost's trees)");
    /* more distinct runs in a column than the sketch's queue holds */
    Xb = ef_xmalloc(9000 * sizeof *Xb);
    yb = ef_xmalloc(9000 * sizeof *yb);
    for (i = 0; i < 9000; i++) {
        Xb[i] = (float)i;
        yb[i] = (float)(i % 7);
    }
    ok(ef_gbt_data_new(Xb, yb, 9000, 1) == NULL, "9,000 distinct values: refused");
    for (i = 0; i < 9000; i++)
        Xb[i] = (float)(i / 2);
    d = ef_gbt_data_new(Xb, yb, 8000, 1);
    ok(d != NULL, "8,000 rows in 4,000 runs: taken");
    ok(d && ef_gbt_train(d, &q, NULL, &stop) == NULL, "a set stop flag: training returns NULL");
    ef_gbt_data_free(d);
    ef_gbt_work_free(work);
    free(Xb);
    free(yb);
    return done_testing();
}
