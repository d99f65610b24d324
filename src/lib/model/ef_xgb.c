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
 * behaviour on 1.7.4; ef_xgb_fit_ex(.., EF_XGB_BASE_05, ..) keeps 1.7.4's 0.5.
 *
 * The 120 CV boosters are grown by model/ef_gbt (libxgboost 1.7's trees, bit
 * for bit, several times faster on these small fits) wherever its scope allows;
 * the refit, whose JSON booster is stored and predicts, is always libxgboost's. */
#include "config.h"
#include "core/ef_job.h"
#include "core/ef_pool.h"

#include "model/ef_xgb.h"
#include "model/ef_gbt.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include "model/ef_xgb_lib.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* libxgboost's functions.  The two entry points (ef_xgb_fit_ex,
 * ef_xgb_predict) load the library first and fail if it cannot be loaded,
 * so below them this never returns NULL. */
static const ef_xgb_lib *xg(void)
{
    return ef_xgb_lib_load(NULL);
}

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
    const char *msg = xg()->GetLastError();
    int len = (int)strcspn(msg, "\n");

    return ef_error_set(err, EF_EDATA, "XGBoost: %s: %.*s", what, len, msg);
}

/* Rows [r0, r1) without [s0, s1) as floats, as libxgboost stores them. */
static float *float_rows(const double *X, size_t p, size_t r0, size_t r1, size_t s0, size_t s1)
{
    size_t nr = (r1 - r0) - (s1 - s0), i, j, k = 0;
    float *xf = ef_xmalloc((nr ? nr : 1) * p * sizeof *xf);

    for (i = r0; i < r1; i++) {
        if (i >= s0 && i < s1)
            continue;
        for (j = 0; j < p; j++)
            xf[k * p + j] = (float)X[i * p + j];
        k++;
    }
    return xf;
}

/* DMatrix of rows [r0, r1) of X without rows [s0, s1), labels from y (may be NULL). */
static int make_dmatrix(const double *X, const double *y, size_t p, size_t r0, size_t r1,
                        size_t s0, size_t s1, int nthread, DMatrixHandle *out, double *ymean,
                        ef_error *err)
{
    size_t nr = (r1 - r0) - (s1 - s0), i, k = 0;
    float *xf = float_rows(X, p, r0, r1, s0, s1);
    float *yf = ef_xmalloc((nr ? nr : 1) * sizeof *yf);
    double *yd = ef_xmalloc((nr ? nr : 1) * sizeof *yd);
    int rc = EF_OK;

    for (i = r0; y && i < r1; i++)
        if (i < s0 || i >= s1) {
            yf[k] = (float)y[i];
            yd[k++] = y[i];
        }
    if (xg()->DMatrixCreateFromMat_omp(xf, (bst_ulong)nr, (bst_ulong)p, NAN, out, nthread) != 0)
        rc = xgb_fail(err, "cannot create DMatrix");
    else if (y && xg()->DMatrixSetFloatInfo(*out, "label", yf, (bst_ulong)nr) != 0) {
        rc = xgb_fail(err, "cannot set labels");
        xg()->DMatrixFree(*out);
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

    if (xg()->BoosterSetParam(b, name, value) == 0)
        return EF_OK;
    snprintf(what, sizeof what, "parameter %s=%s", name, value);
    return xgb_fail(err, what);
}

/* A booster on dtrain with the seed's parameters and grid point q, not yet
 * trained; the caller frees *out. */
static int booster_new(DMatrixHandle dtrain, const struct xgb_params *q, double base_score,
                       uint32_t seed, int nthread, BoosterHandle *out, ef_error *err)
{
    BoosterHandle b;
    char buf[64];
    int rc;

    if (xg()->BoosterCreate(&dtrain, 1, &b) != 0)
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
    if (rc != EF_OK) {
        xg()->BoosterFree(b);
        return rc;
    }
    *out = b;
    return EF_OK;
}

/* Train one booster on dtrain; the caller frees *out. */
static int train(DMatrixHandle dtrain, const struct xgb_params *q, double base_score,
                 uint32_t seed, int nthread, BoosterHandle *out, ef_error *err)
{
    BoosterHandle b;
    int rc, it;

    rc = booster_new(dtrain, q, base_score, seed, nthread, &b, err);
    if (rc != EF_OK)
        return rc;
    for (it = 0; rc == EF_OK && it < XGB_ROUNDS; it++)
        if (xg()->BoosterUpdateOneIter(b, it, dtrain) != 0)
            rc = xgb_fail(err, "training failed");
    if (rc != EF_OK) {
        xg()->BoosterFree(b);
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

    if (xg()->BoosterPredict(b, d, 0, 0, 0, &len, &res) != 0)
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
    if (xg()->BoosterFeatureScore(b, "{\"importance_type\": \"gain\"}", &nf, &names, &dim, &shape,
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

    if (xg()->BoosterSaveModelToBuffer(b, "{\"format\": \"json\"}", &len, &buf) != 0)
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

/* ---- the grid: (fold x grid point) tasks on a small thread pool ----
 *
 * GridSearchCV(n_jobs) spreads the fits over workers; so does this, with every
 * booster single-threaded (nthread 1).  Boosters of ~100 small trees spend their
 * time in per-node split enumeration, which does not scale across OpenMP threads,
 * and OpenMP teams spin-wait for cores that a loaded machine does not give them;
 * one thread per booster and one booster per worker avoids both.  A booster's
 * result does not depend on which worker runs it, each task writes its own score
 * slot, and the scores are reduced in grid order afterwards: the answer does not
 * depend on the thread count or on scheduling.
 *
 * A fold's DMatrix pair is built by the first task that needs it and shared
 * read-only by the fold's other tasks.  libxgboost builds a DMatrix's quantile
 * index lazily, without a lock, on the first training round (and a predictor's
 * view of the test matrix on the first prediction), so those first uses run under
 * the fold's lock; later boosters only read.  Tasks are fold-major, so only a few
 * folds' matrices are alive at a time: the last task of a fold frees them. */

struct fold {
    pthread_mutex_t mu;
    DMatrixHandle dtr, dte;
    double base;         /* the training labels' mean */
    int built, trained, predicted;
    size_t left;         /* tasks not yet finished */
    ef_gbt_data *gd;     /* the own trees' binned rows (NULL: libxgboost's) */
    float *xte;          /* the held-out rows, for the own trees */
    float base_f;        /* base_score as libxgboost parses it */
};

struct pool {
    const double *X, *y;
    size_t n, p, ntask, next, done, total;
    const size_t *start;
    int k, base_mode, failed, own;
    uint32_t seed;
    const ef_fit_opts *o;
    struct fold *folds;
    double *scores;      /* [g * k + f] */
    size_t *order;       /* task index -> g * k + f */
    pthread_mutex_t mu;
    ef_error err;
};

static int cancelled(const struct pool *s)
{
    return ef_flag_get(s->o->cancel);
}

/* The starting prediction as libxgboost holds it: the parameter string goes
 * through dmlc's float parser, so ask the library (a booster without trees
 * predicts its base_score). */
static int lib_base_score(double base, float *out, ef_error *err)
{
    float one = 0;
    DMatrixHandle d;
    BoosterHandle b;
    bst_ulong len;
    const float *res;
    char buf[64];
    int rc = EF_OK;

    if (xg()->DMatrixCreateFromMat(&one, 1, 1, NAN, &d) != 0)
        return xgb_fail(err, "cannot create DMatrix");
    if (xg()->BoosterCreate(&d, 1, &b) != 0) {
        xg()->DMatrixFree(d);
        return xgb_fail(err, "cannot create booster");
    }
    ef_snprintf(buf, sizeof buf, "%.17g", base);
    rc = set_param(b, "objective", "reg:squarederror", err);
    if (rc == EF_OK)
        rc = set_param(b, "base_score", buf, err);
    if (rc == EF_OK)
        rc = set_param(b, "nthread", "1", err);
    if (rc == EF_OK && xg()->BoosterPredict(b, d, 0, 0, 0, &len, &res) != 0)
        rc = xgb_fail(err, "prediction failed");
    if (rc == EF_OK)
        *out = res[0];
    xg()->BoosterFree(b);
    xg()->DMatrixFree(d);
    return rc;
}

/* The own trees' data for fold f, or NULL (gd) when they do not apply. */
static int fold_ready_own(struct pool *s, int f, ef_error *err)
{
    struct fold *fd = &s->folds[f];
    size_t s0 = s->start[f], s1 = s->start[f + 1], nr = s->n - (s1 - s0), i, k = 0;
    float *xf = float_rows(s->X, s->p, 0, s->n, s0, s1), *yf;
    double *yd;
    int rc;

    yf = ef_xmalloc((nr ? nr : 1) * sizeof *yf);
    yd = ef_xmalloc((nr ? nr : 1) * sizeof *yd);
    for (i = 0; i < s->n; i++)
        if (i < s0 || i >= s1) {
            yf[k] = (float)s->y[i];
            yd[k++] = s->y[i];
        }
    fd->base = nr ? ef_np_sum(yd, nr) / (double)nr : 0;
    fd->gd = ef_gbt_data_new(xf, yf, nr, s->p);
    free(xf);
    free(yf);
    free(yd);
    if (!fd->gd)
        return EF_OK;
    rc = lib_base_score(s->base_mode == EF_XGB_BASE_05 ? 0.5 : fd->base, &fd->base_f, err);
    if (rc != EF_OK) {
        ef_gbt_data_free(fd->gd);
        fd->gd = NULL;
        return rc;
    }
    fd->xte = float_rows(s->X, s->p, s0, s1, 0, 0);
    fd->built = 1;
    return EF_OK;
}

static void fold_free(struct fold *fd)
{
    if (!fd->built)
        return;
    if (fd->gd) {
        ef_gbt_data_free(fd->gd);
        free(fd->xte);
        fd->gd = NULL;
        fd->xte = NULL;
    } else {
        xg()->DMatrixFree(fd->dtr);
        xg()->DMatrixFree(fd->dte);
    }
    fd->built = 0;
}

/* Builds the fold's matrices if no task has (under the fold lock). */
static int fold_ready(struct pool *s, int f, ef_error *err)
{
    struct fold *fd = &s->folds[f];
    const size_t *st = s->start;
    int rc = EF_OK;

    if (fd->built)
        return EF_OK;
    if (s->own) {
        rc = fold_ready_own(s, f, err);
        if (rc != EF_OK || fd->built)
            return rc;
    }
    rc = make_dmatrix(s->X, s->y, s->p, 0, s->n, st[f], st[f + 1], 1, &fd->dtr, &fd->base, err);
    if (rc != EF_OK)
        return rc;
    rc = make_dmatrix(s->X, NULL, s->p, st[f], st[f + 1], 0, 0, 1, &fd->dte, NULL, err);
    if (rc != EF_OK) {
        xg()->DMatrixFree(fd->dtr);
        return rc;
    }
    fd->built = 1;
    return EF_OK;
}

/* One fit of the own trees: grid point g on fold f (its data are built and
 * only read from here on). */
static int run_task_own(struct pool *s, size_t g, int f, double *yhat, ef_gbt_work *work,
                        ef_error *err)
{
    struct fold *fd = &s->folds[f];
    struct xgb_params q = grid_point(g);
    ef_gbt_params gp;
    ef_gbt_model *m;

    gp.max_depth = q.max_depth;
    gp.rounds = XGB_ROUNDS;
    gp.eta = (float)ef_strtod(XGB_ETA, NULL);
    gp.gamma = (float)q.gamma;
    gp.lambda = (float)q.lambda;
    gp.base_score = fd->base_f;
    m = ef_gbt_train(fd->gd, &gp, work, s->o->cancel);
    if (!m)
        return ef_error_set(err, EF_ECANCELED, "XGBoost grid search cancelled");
    ef_gbt_predict(m, fd->xte, s->start[f + 1] - s->start[f], yhat);
    ef_gbt_model_free(m);
    return EF_OK;
}

/* One fit: grid point g on fold f, scored on the held-out rows. */
static int run_task(struct pool *s, size_t g, int f, double *yhat, ef_gbt_work *work,
                    ef_error *err)
{
    struct fold *fd = &s->folds[f];
    struct xgb_params q = grid_point(g);
    size_t nt = s->start[f + 1] - s->start[f];
    BoosterHandle b = NULL;
    int rc, it, first;

    pthread_mutex_lock(&fd->mu);
    rc = fold_ready(s, f, err);
    if (rc == EF_OK && fd->gd) {
        pthread_mutex_unlock(&fd->mu);
        rc = run_task_own(s, g, f, yhat, work, err);
        if (rc == EF_OK)
            s->scores[g * (size_t)s->k + (size_t)f] = ef_r2_score(s->y + s->start[f], yhat, nt);
        return rc;
    }
    first = !fd->trained;
    if (rc != EF_OK || !first)
        pthread_mutex_unlock(&fd->mu);
    if (rc != EF_OK)
        return rc;
    rc = booster_new(fd->dtr, &q, s->base_mode == EF_XGB_BASE_05 ? 0.5 : fd->base, s->seed, 1,
                     &b, err);
    for (it = 0; rc == EF_OK && it < XGB_ROUNDS; it++) {
        if (xg()->BoosterUpdateOneIter(b, it, fd->dtr) != 0)
            rc = xgb_fail(err, "training failed");
        else if (cancelled(s))
            rc = ef_error_set(err, EF_ECANCELED, "XGBoost grid search cancelled");
        if (first && it == 0) {   /* the quantile index exists now */
            fd->trained = 1;
            pthread_mutex_unlock(&fd->mu);
            first = 0;
        }
    }
    if (first)
        pthread_mutex_unlock(&fd->mu);
    if (rc == EF_OK) {
        pthread_mutex_lock(&fd->mu);
        first = !fd->predicted;
        if (!first)
            pthread_mutex_unlock(&fd->mu);
        rc = predict(b, fd->dte, nt, yhat, err);
        if (first) {
            fd->predicted = 1;
            pthread_mutex_unlock(&fd->mu);
        }
    }
    if (b)
        xg()->BoosterFree(b);
    if (rc == EF_OK)
        s->scores[g * (size_t)s->k + (size_t)f] = ef_r2_score(s->y + s->start[f], yhat, nt);
    return rc;
}

static void worker(void *arg)
{
    struct pool *s = arg;
    size_t maxf = 0, t, gf;
    double *yhat;
    ef_gbt_work *work;
    ef_error err;
    int f, rc;

    for (f = 0; f < s->k; f++)
        if (s->start[f + 1] - s->start[f] > maxf)
            maxf = s->start[f + 1] - s->start[f];
    yhat = ef_xmalloc(maxf * sizeof *yhat);
    work = ef_gbt_work_new();
    for (;;) {
        pthread_mutex_lock(&s->mu);
        if (!s->failed && cancelled(s)) {
            s->failed = 1;
            ef_error_set(&s->err, EF_ECANCELED, "XGBoost grid search cancelled");
        }
        t = s->failed ? s->ntask : s->next++;
        pthread_mutex_unlock(&s->mu);
        if (t >= s->ntask)
            break;
        gf = s->order[t];
        f = (int)(gf % (size_t)s->k);
        ef_error_clear(&err);
        rc = run_task(s, gf / (size_t)s->k, f, yhat, work, &err);

        pthread_mutex_lock(&s->folds[f].mu);
        if (--s->folds[f].left == 0)
            fold_free(&s->folds[f]);
        pthread_mutex_unlock(&s->folds[f].mu);

        pthread_mutex_lock(&s->mu);
        if (rc != EF_OK && !s->failed) {
            s->failed = 1;
            s->err = err;
        }
        if (rc == EF_OK) {
            s->done++;
            if (s->o->progress)
                s->o->progress(s->o->progress_ud, s->done, s->total);
        }
        pthread_mutex_unlock(&s->mu);
    }
    free(yhat);
    ef_gbt_work_free(work);
}

static int pool_threads(int want, size_t ntask)
{
    long n = want > 0 ? want : sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    if ((size_t)n > ntask)
        n = (long)ntask;
    return (int)n;
}

/* The CV fits use the own trees (model/ef_gbt.h) when libxgboost is the 1.7
 * series they replicate; ECGFIT_XGB_TREES=libxgboost keeps every fit in the
 * library, =own forces the own trees.  Sets *own; an unknown value is an error. */
static int own_trees(int *own, ef_error *err)
{
    const char *e = getenv("ECGFIT_XGB_TREES");
    int major = 0, minor = 0, patch = 0;

    if (e && strcmp(e, "libxgboost") == 0)
        *own = 0;
    else if (e && strcmp(e, "own") == 0)
        *own = 1;
    else if (e && *e)
        return ef_error_set(err, EF_EINVAL, "ECGFIT_XGB_TREES=%s: not libxgboost or own", e);
    else {
        xg()->Version(&major, &minor, &patch);
        *own = major == 1 && minor == 7;
    }
    return EF_OK;
}

int ef_xgb_fit_ex(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                  int base_mode, ef_fitted *m, ef_error *err)
{
    int k = o->folds, f, rc = EF_OK, nt, own = 0;
    size_t *start, g, best = 0, i, j;
    double *dev;
    struct pool s;
    BoosterHandle b;
    struct xgb_params q;

    if (p == 0)
        return ef_error_set(err, EF_EDATA, "XGBoost: no features");
    if (!ef_xgb_lib_load(err))
        return EF_EUNSUP;
    if ((rc = own_trees(&own, err)) != EF_OK)
        return rc;
    if (k < 2 || (size_t)k > n)
        return ef_error_set(err, EF_EDATA, "XGBoost: %zu rows for %d folds", n, k);
    m->p = p;
    start = ef_xmalloc(((size_t)k + 1) * sizeof *start);
    ef_kfold_bounds(n, k, start);

    memset(&s, 0, sizeof s);
    s.X = X;
    s.y = y;
    s.n = n;
    s.p = p;
    s.k = k;
    s.start = start;
    s.base_mode = base_mode;
    s.seed = o->seed;
    s.o = o;
    s.own = own;
    s.ntask = NGRID * (size_t)k;
    s.total = s.ntask + 1;
    s.folds = ef_xcalloc((size_t)k, sizeof *s.folds);
    s.scores = ef_xcalloc(s.ntask, sizeof *s.scores);
    s.order = ef_xmalloc(s.ntask * sizeof *s.order);
    /* fold-major; within a fold the deepest trees first, so that the cheap
     * fits come last and even out the workers' finishing times */
    for (f = 0, i = 0; f < k; f++)
        for (j = NDEPTH; j-- > 0;)
            for (g = 0; g < NGRID; g++)
                if (grid_point(g).max_depth == grid_depth[j])
                    s.order[i++] = g * (size_t)k + (size_t)f;
    for (f = 0; f < k; f++) {
        pthread_mutex_init(&s.folds[f].mu, NULL);
        s.folds[f].left = NGRID;
    }
    pthread_mutex_init(&s.mu, NULL);
    nt = pool_threads(o->threads, s.ntask);
    ef_pool_run(o->pool, nt, worker, &s);
    for (f = 0; f < k; f++) {   /* folds left over by a failed or cancelled grid */
        fold_free(&s.folds[f]);
        pthread_mutex_destroy(&s.folds[f].mu);
    }
    pthread_mutex_destroy(&s.mu);
    free(s.folds);
    free(s.order);
    if (s.failed) {
        rc = s.err.code != EF_OK ? s.err.code : EF_EDATA;
        if (err)
            *err = s.err;
    }

    if (rc == EF_OK) {
        /* np.mean and np.std of the fold scores, as cv_results_; best = the
         * first maximum in ParameterGrid order */
        free(m->grid);
        m->grid = ef_xcalloc(NGRID, sizeof *m->grid);
        m->ngrid = NGRID;
        dev = ef_xmalloc((size_t)k * sizeof *dev);
        for (g = 0; g < NGRID; g++) {
            const double *sc = s.scores + g * (size_t)k;
            double mean = ef_np_sum(sc, (size_t)k) / k;

            for (f = 0; f < k; f++)
                dev[f] = (sc[f] - mean) * (sc[f] - mean);
            q = grid_point(g);
            format_params(m->grid[g].params, sizeof m->grid[g].params, &q);
            m->grid[g].mean_score = mean;
            m->grid[g].std_score = sqrt(ef_np_sum(dev, (size_t)k) / k);
            if (mean > m->grid[best].mean_score)
                best = g;
        }
        free(dev);
    }
    free(s.scores);

    /* The refit is one booster: single-threaded too, so that the stored model
     * is the same whatever the thread count. */
    if (rc == EF_OK) {
        DMatrixHandle dall;
        double ymean;

        q = grid_point(best);
        format_params(m->best, sizeof m->best, &q);
        rc = make_dmatrix(X, y, p, 0, n, 0, 0, 1, &dall, &ymean, err);
        if (rc == EF_OK) {
            rc = train(dall, &q, base_mode == EF_XGB_BASE_05 ? 0.5 : ymean, o->seed, 1, &b, err);
            xg()->DMatrixFree(dall);
        }
        if (rc == EF_OK) {
            m->importance = ef_xrealloc(m->importance, (p ? p : 1) * sizeof *m->importance);
            rc = gain_importance(b, p, m->importance, err);
            if (rc == EF_OK)
                rc = save_booster(b, m, err);
            xg()->BoosterFree(b);
            report(o, s.total, s.total);
        }
    }
    free(start);
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
    if (!ef_xgb_lib_load(err))
        return EF_EUNSUP;
    if (xg()->BoosterCreate(NULL, 0, &b) != 0)
        return xgb_fail(err, "cannot create booster");
    if (xg()->BoosterLoadModelFromBuffer(b, m->booster, (bst_ulong)m->booster_len) != 0) {
        rc = xgb_fail(err, "cannot load the stored model");
        xg()->BoosterFree(b);
        return rc;
    }
    rc = make_dmatrix(X, NULL, m->p, 0, n, 0, 0, 0, &d, NULL, err);
    if (rc == EF_OK) {
        rc = predict(b, d, n, yhat, err);
        xg()->DMatrixFree(d);
    }
    xg()->BoosterFree(b);
    return rc;
}
