/* ef_xgb.c — the seed's XGBoost model through libxgboost's C API.
 *
 * GridSearchCV over XGBRegressor(objective='reg:squarederror', tree_method='hist',
 * n_estimators=100, learning_rate=0.1, random_state=42) with max_depth {3,4,5} x
 * gamma {0,0.5} x reg_lambda {1,10}, unshuffled KFold scored by R2, refit on all
 * rows.  Candidates are visited in sklearn's ParameterGrid order (keys sorted:
 * gamma, max_depth, reg_lambda; the last varies fastest) so that ties go to the
 * same point as GridSearchCV (best = first maximum of the mean score).
 *
 * base_score: XGBoost 1.7.4 (Debian bookworm) starts every model at 0.5, whereas
 * xgboost >= 2.0 -- which the seed's unpinned requirements most likely installed --
 * estimates it from the labels (for squared error: their mean).  Every fit here
 * sets base_score to the mean of its own training labels, which gives the >= 2.0
 * behaviour on 1.7.4; ef_xgb_fit_ex(.., EF_XGB_BASE_05, ..) keeps 1.7.4's 0.5. */
#include "config.h"
#include "core/ef_job.h"

#include "model/ef_xgb.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <xgboost/c_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XGB_ROUNDS 100
#define XGB_ETA "0.1"

static const double grid_gamma[] = { 0.0, 0.5 };
static const int grid_depth[] = { 3, 4, 5 };
static const double grid_lambda[] = { 1.0, 10.0 };
#define NGAMMA (sizeof grid_gamma / sizeof grid_gamma[0])
#define NDEPTH (sizeof grid_depth / sizeof grid_depth[0])
#define NLAMBDA (sizeof grid_lambda / sizeof grid_lambda[0])
#define NGRID (NGAMMA * NDEPTH * NLAMBDA)

struct xgb_params { int max_depth; double gamma, lambda; };

static struct xgb_params grid_point(size_t g)
{
    struct xgb_params q;

    q.lambda = grid_lambda[g % NLAMBDA];
    q.max_depth = grid_depth[(g / NLAMBDA) % NDEPTH];
    q.gamma = grid_gamma[g / (NLAMBDA * NDEPTH)];
    return q;
}

/* XGBGetLastError's first line: "[hh:mm:ss] file:line: message" (a stack trace follows). */
static int xgb_fail(ef_error *err, const char *what)
{
    const char *msg = XGBGetLastError();
    int len = (int)strcspn(msg, "\n");

    return ef_error_set(err, EF_EDATA, "XGBoost: %s: %.*s", what, len, msg);
}

/* DMatrix of rows [r0, r1) of X without rows [s0, s1), labels from y (may be NULL). */
static int make_dmatrix(const double *X, const double *y, size_t p, size_t r0, size_t r1,
                        size_t s0, size_t s1, int nthread, DMatrixHandle *out, double *ymean,
                        ef_error *err)
{
    size_t nr = (r1 - r0) - (s1 - s0), i, j, k = 0;
    float *xf = ef_xmalloc((nr ? nr : 1) * p * sizeof *xf);
    float *yf = ef_xmalloc((nr ? nr : 1) * sizeof *yf);
    double *yd = ef_xmalloc((nr ? nr : 1) * sizeof *yd);
    int rc = EF_OK;

    for (i = r0; i < r1; i++) {
        if (i >= s0 && i < s1)
            continue;
        for (j = 0; j < p; j++)
            xf[k * p + j] = (float)X[i * p + j];
        if (y) {
            yf[k] = (float)y[i];
            yd[k] = y[i];
        }
        k++;
    }
    if (XGDMatrixCreateFromMat_omp(xf, (bst_ulong)nr, (bst_ulong)p, NAN, out, nthread) != 0)
        rc = xgb_fail(err, "cannot create DMatrix");
    else if (y && XGDMatrixSetFloatInfo(*out, "label", yf, (bst_ulong)nr) != 0) {
        rc = xgb_fail(err, "cannot set labels");
        XGDMatrixFree(*out);
    }
    if (ymean)   /* np.mean, as the python side computes it */
        *ymean = y && nr ? ef_np_sum(yd, nr) / (double)nr : 0;
    free(xf);
    free(yf);
    free(yd);
    return rc;
}

static int set_param(BoosterHandle b, const char *name, const char *value, ef_error *err)
{
    char what[128];

    if (XGBoosterSetParam(b, name, value) == 0)
        return EF_OK;
    snprintf(what, sizeof what, "parameter %s=%s", name, value);
    return xgb_fail(err, what);
}

/* Train one booster on dtrain; the caller frees *out. */
static int train(DMatrixHandle dtrain, const struct xgb_params *q, double base_score,
                 uint32_t seed, int nthread, BoosterHandle *out, ef_error *err)
{
    BoosterHandle b;
    char buf[64];
    int rc, it;

    if (XGBoosterCreate(&dtrain, 1, &b) != 0)
        return xgb_fail(err, "cannot create booster");
    rc = set_param(b, "objective", "reg:squarederror", err);
    if (rc == EF_OK)
        rc = set_param(b, "tree_method", "hist", err);
    if (rc == EF_OK)
        rc = set_param(b, "eta", XGB_ETA, err);
    snprintf(buf, sizeof buf, "%d", q->max_depth);
    if (rc == EF_OK)
        rc = set_param(b, "max_depth", buf, err);
    ef_snprintf(buf, sizeof buf, "%.17g", q->gamma);
    if (rc == EF_OK)
        rc = set_param(b, "gamma", buf, err);
    ef_snprintf(buf, sizeof buf, "%.17g", q->lambda);
    if (rc == EF_OK)
        rc = set_param(b, "lambda", buf, err);
    ef_snprintf(buf, sizeof buf, "%.17g", base_score);
    if (rc == EF_OK)
        rc = set_param(b, "base_score", buf, err);
    snprintf(buf, sizeof buf, "%u", (unsigned)seed);
    if (rc == EF_OK)
        rc = set_param(b, "seed", buf, err);
    snprintf(buf, sizeof buf, "%d", nthread);
    if (rc == EF_OK)
        rc = set_param(b, "nthread", buf, err);
    if (rc == EF_OK)
        rc = set_param(b, "verbosity", "0", err);
    for (it = 0; rc == EF_OK && it < XGB_ROUNDS; it++)
        if (XGBoosterUpdateOneIter(b, it, dtrain) != 0)
            rc = xgb_fail(err, "training failed");
    if (rc != EF_OK) {
        XGBoosterFree(b);
        return rc;
    }
    *out = b;
    return EF_OK;
}

static int predict(BoosterHandle b, DMatrixHandle d, size_t n, double *yhat, ef_error *err)
{
    bst_ulong len;
    const float *res;
    size_t i;

    if (XGBoosterPredict(b, d, 0, 0, 0, &len, &res) != 0)
        return xgb_fail(err, "prediction failed");
    if ((size_t)len != n)
        return ef_error_set(err, EF_EDATA, "XGBoost: %lu predictions for %zu rows",
                            (unsigned long)len, n);
    for (i = 0; i < n; i++)
        yhat[i] = res[i];
    return EF_OK;
}

/* Gain importance of the refitted booster, mapped to feature order ("f<j>"). */
static int gain_importance(BoosterHandle b, size_t p, double *imp, ef_error *err)
{
    bst_ulong nf, dim, k;
    const char **names;
    const bst_ulong *shape;
    const float *scores;

    memset(imp, 0, p * sizeof *imp);
    if (XGBoosterFeatureScore(b, "{\"importance_type\": \"gain\"}", &nf, &names, &dim, &shape,
                              &scores) != 0)
        return xgb_fail(err, "feature importance");
    for (k = 0; k < nf; k++) {
        char *end;
        unsigned long j;

        if (names[k][0] != 'f')
            continue;
        j = strtoul(names[k] + 1, &end, 10);
        if (*end == '\0' && j < p)
            imp[j] = scores[k];
    }
    return EF_OK;
}

static int save_booster(BoosterHandle b, ef_fitted *m, ef_error *err)
{
    bst_ulong len;
    const char *buf;

    if (XGBoosterSaveModelToBuffer(b, "{\"format\": \"json\"}", &len, &buf) != 0)
        return xgb_fail(err, "cannot save the model");
    free(m->booster);
    m->booster = ef_xmalloc((size_t)len + 1);
    memcpy(m->booster, buf, (size_t)len);
    m->booster[len] = '\0';
    m->booster_len = (size_t)len;
    return EF_OK;
}

static void format_params(char *buf, size_t size, const struct xgb_params *q)
{
    ef_snprintf(buf, size, "max_depth=%d gamma=%g lambda=%g", q->max_depth, q->gamma, q->lambda);
}

static void report(const ef_fit_opts *o, size_t done, size_t total)
{
    if (o->progress)
        o->progress(o->progress_ud, done, total);
}

int ef_xgb_fit_ex(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                  int base_mode, ef_fitted *m, ef_error *err)
{
    int k = o->folds, f, rc = EF_OK, nthread = o->threads > 0 ? o->threads : 0;
    size_t *start, g, best = 0, done = 0, total;
    DMatrixHandle *dtr, *dte;
    double *base, *scores, *yhat, *dev;
    BoosterHandle b;
    struct xgb_params q;

    if (p == 0)
        return ef_error_set(err, EF_EDATA, "XGBoost: no features");
    if (k < 2 || (size_t)k > n)
        return ef_error_set(err, EF_EDATA, "XGBoost: %zu rows for %d folds", n, k);
    m->p = p;
    total = NGRID * (size_t)k + 1;
    start = ef_xmalloc(((size_t)k + 1) * sizeof *start);
    ef_kfold_bounds(n, k, start);
    dtr = ef_xcalloc((size_t)k, sizeof *dtr);
    dte = ef_xcalloc((size_t)k, sizeof *dte);
    base = ef_xmalloc((size_t)k * sizeof *base);
    scores = ef_xmalloc(NGRID * (size_t)k * sizeof *scores);
    yhat = ef_xmalloc(n * sizeof *yhat);
    dev = ef_xmalloc((size_t)k * sizeof *dev);

    /* The fold matrices are built once and shared by all grid points. */
    for (f = 0; f < k && rc == EF_OK; f++) {
        rc = make_dmatrix(X, y, p, 0, n, start[f], start[f + 1], nthread, &dtr[f], &base[f], err);
        if (rc == EF_OK) {
            rc = make_dmatrix(X, NULL, p, start[f], start[f + 1], 0, 0, nthread, &dte[f], NULL,
                              err);
            if (rc != EF_OK) {
                XGDMatrixFree(dtr[f]);
                dtr[f] = NULL;
            }
        }
    }
    free(m->grid);
    m->grid = ef_xcalloc(NGRID, sizeof *m->grid);
    m->ngrid = NGRID;
    for (g = 0; g < NGRID && rc == EF_OK; g++) {
        double mean, var;

        q = grid_point(g);
        for (f = 0; f < k && rc == EF_OK; f++) {
            size_t nt = start[f + 1] - start[f];

            if (ef_flag_get(o->cancel)) {
                rc = ef_error_set(err, EF_ECANCELED, "XGBoost grid search cancelled");
                break;
            }
            rc = train(dtr[f], &q, base_mode == EF_XGB_BASE_05 ? 0.5 : base[f], o->seed, nthread,
                       &b, err);
            if (rc != EF_OK)
                break;
            rc = predict(b, dte[f], nt, yhat, err);
            XGBoosterFree(b);
            if (rc == EF_OK)
                scores[g * (size_t)k + (size_t)f] = ef_r2_score(y + start[f], yhat, nt);
            report(o, ++done, total);
        }
        if (rc != EF_OK)
            break;
        /* np.mean and np.std of the fold scores, as cv_results_ */
        mean = ef_np_sum(scores + g * (size_t)k, (size_t)k) / k;
        for (f = 0; f < k; f++) {
            double d = scores[g * (size_t)k + (size_t)f] - mean;
            dev[f] = d * d;
        }
        var = ef_np_sum(dev, (size_t)k);
        format_params(m->grid[g].params, sizeof m->grid[g].params, &q);
        m->grid[g].mean_score = mean;
        m->grid[g].std_score = sqrt(var / k);
        if (mean > m->grid[best].mean_score)
            best = g;
    }
    for (f = 0; f < k; f++) {
        if (dtr[f])
            XGDMatrixFree(dtr[f]);
        if (dte[f])
            XGDMatrixFree(dte[f]);
    }

    if (rc == EF_OK) {
        DMatrixHandle dall;
        double ymean;

        q = grid_point(best);
        format_params(m->best, sizeof m->best, &q);
        rc = make_dmatrix(X, y, p, 0, n, 0, 0, nthread, &dall, &ymean, err);
        if (rc == EF_OK) {
            rc = train(dall, &q, base_mode == EF_XGB_BASE_05 ? 0.5 : ymean, o->seed, nthread, &b,
                       err);
            XGDMatrixFree(dall);
        }
        if (rc == EF_OK) {
            m->importance = ef_xrealloc(m->importance, (p ? p : 1) * sizeof *m->importance);
            rc = gain_importance(b, p, m->importance, err);
            if (rc == EF_OK)
                rc = save_booster(b, m, err);
            XGBoosterFree(b);
            report(o, ++done, total);
        }
    }
    free(start);
    free(dtr);
    free(dte);
    free(base);
    free(scores);
    free(yhat);
    free(dev);
    return rc;
}

int ef_xgb_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
               ef_fitted *m, ef_error *err)
{
    return ef_xgb_fit_ex(X, y, n, p, o, EF_XGB_BASE_MEAN, m, err);
}

int ef_xgb_predict(const ef_fitted *m, const double *X, size_t n, double *yhat, ef_error *err)
{
    BoosterHandle b;
    DMatrixHandle d;
    int rc;

    if (!m->booster || m->booster_len == 0)
        return ef_error_set(err, EF_EINVAL, "XGBoost: the model holds no booster");
    if (n == 0)
        return EF_OK;
    if (XGBoosterCreate(NULL, 0, &b) != 0)
        return xgb_fail(err, "cannot create booster");
    if (XGBoosterLoadModelFromBuffer(b, m->booster, (bst_ulong)m->booster_len) != 0) {
        rc = xgb_fail(err, "cannot load the stored model");
        XGBoosterFree(b);
        return rc;
    }
    rc = make_dmatrix(X, NULL, m->p, 0, n, 0, 0, 0, &d, NULL, err);
    if (rc == EF_OK) {
        rc = predict(b, d, n, yhat, err);
        XGDMatrixFree(d);
    }
    XGBoosterFree(b);
    return rc;
}
