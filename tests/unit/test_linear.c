/* test_linear.c — Lasso / ElasticNet with GridSearchCV semantics and the
 * model facade, against sklearn 1.2 (tests/parity/sklearn_linear.py) on
 * synthetic data with known structure: correlated groups, independent
 * informative features, irrelevant noise, unscaled columns. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "model/ef_linear.h"
#include "model/ef_model.h"
#include "model/ef_model_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* n x p: groups of 4 correlated columns (shared factor, r ~ 0.8) for the
 * first 12, then independent columns; every column with its own offset and
 * scale; y = a sparse combination + noise.  Columns >= 20 are irrelevant. */
static void make_data(size_t n, size_t p, uint64_t seed, double *X, double *y)
{
    ef_rng r;
    ef_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        double f[3] = {ef_rng_normal(&r), ef_rng_normal(&r), ef_rng_normal(&r)};
        for (size_t j = 0; j < p; j++) {
            double z = ef_rng_normal(&r);
            double v = j < 12 ? f[j / 4] + 0.5 * z : z;
            X[i * p + j] = 10.0 * (double)(j % 7) + (0.5 + (double)(j % 5)) * v;
        }
        double s = 35.0 + ef_rng_gauss(&r, 0.0, 2.5);
        static const double beta[] = {3, 0, 0, -2, 1, 0, 0, 0, 0.5, 0, 0, 0,
                                      1.5, 0.8, -0.6, 0.4, 0.2, 0.1, -0.05, 0.02};
        for (size_t j = 0; j < 20 && j < p; j++)
            s += beta[j] * (X[i * p + j] - 10.0 * (double)(j % 7)) / (0.5 + (double)(j % 5));
        y[i] = s;
    }
}

static double max_abs_diff(const double *a, const double *b, size_t n)
{
    double d = 0.0;
    for (size_t i = 0; i < n; i++)
        d = fmax(d, fabs(a[i] - b[i]));
    return d;
}

static void test_logspace(const char *dir)
{
    char out[600];
    snprintf(out, sizeof out, "%s/logspace.txt", dir);
    if (tap_python("tests/parity/sklearn_linear.py", "logspace '%s'", out) != 0) {
        ok(0, "logspace reference ran");
        return;
    }
    size_t k;
    double *v = tap_read_values(out, &k), a[70];
    ef_np_logspace(-3, 2, 50, a);
    ef_np_logspace(-3, 2, 20, a + 50);
    int same = k == 70;
    double worst = 0;
    for (size_t i = 0; same && i < 70; i++)
        worst = fmax(worst, fabs(a[i] - v[i]) / v[i]);
    /* numpy's SIMD pow (AVX-512 builds) may differ from libm's in the last bit */
    ok(same && worst <= 2.5e-16, "the seed's alpha grids equal np.logspace to the last bit (%.2g)",
       worst);
    free(v);
}

/* Warm starts along the alpha path on the seed's grid at sklearn's tol:
 * the CV scores move within the tolerance, the choice must not; the refit is
 * cold, so the stored model is the cold one.  cold: the default fit; v:
 * sklearn's GridSearchCV (best index, ..., mean scores from v[4]). */
static void test_facade_warm(int kind, const double *X, const double *y, size_t n, size_t p,
                             const ef_fitted *cold, const double *v)
{
    const char *name = ef_model_kind_name(kind);
    ef_fit_opts o;
    ef_fitted *m = NULL, *m1 = NULL;
    ef_error err;
    ef_fit_opts_default(&o, kind);
    o.threads = 2;
    o.cd_warm = 1;
    int rc = ef_model_fit(X, y, n, p, &o, &m, &err);
    is_int(rc, EF_OK, "%s warm: facade fit (%s)", name, rc ? err.msg : "ok");
    if (rc != EF_OK)
        return;
    size_t nc = m->ngrid, best = (size_t)v[0];
    is_str(m->best, m->grid[best].params, "%s warm: sklearn's choice (%s)", name, m->best);
    double dm = 0;
    for (size_t c = 0; c < nc; c++)
        dm = fmax(dm, fabs(m->grid[c].mean_score - v[4 + c]));
    ok(dm <= 1e-4, "%s warm: mean CV R2 within 1e-4 of sklearn's cold fits (%.2g)", name, dm);
    ok(max_abs_diff(m->coef, cold->coef, p) == 0 && m->intercept == cold->intercept,
       "%s warm: the refit is the cold one, bit for bit", name);
    o.threads = 1;
    if (ef_model_fit(X, y, n, p, &o, &m1, &err) == EF_OK) {
        int same = strcmp(m1->best, m->best) == 0;
        for (size_t c = 0; same && c < nc; c++)
            same = m1->grid[c].mean_score == m->grid[c].mean_score;
        ok(same, "%s warm: 1 thread and 2 threads agree exactly", name);
        ef_fitted_free(m1);
    } else {
        ok(0, "%s warm: single-thread fit", name);
    }
    ef_fitted_free(m);
}

/* The seed's GridSearchCV through the facade (scaler + grid + refit). */
static void test_facade_grid(const char *dir, int kind, const double *X, const double *y,
                             size_t n, size_t p, const char *xp, const char *yp)
{
    char out[600];
    const char *name = ef_model_kind_name(kind);
    snprintf(out, sizeof out, "%s/grid_%s.txt", dir, name);
    if (tap_python("tests/parity/sklearn_linear.py", "gridcv '%s' '%s' %zu %zu %s '%s' '' 1", xp, yp, n, p, name, out) != 0) {
        ok(0, "%s reference ran", name);
        return;
    }
    size_t k;
    double *v = tap_read_values(out, &k);
    ef_fit_opts o;
    ef_fitted *m = NULL;
    ef_error err;
    ef_fit_opts_default(&o, kind);
    o.threads = 2;
    int rc = ef_model_fit(X, y, n, p, &o, &m, &err);
    is_int(rc, EF_OK, "%s: facade fit (%s)", name, rc ? err.msg : "ok");
    if (rc != EF_OK) {
        free(v);
        return;
    }
    size_t nc = m->ngrid;
    is_int((long long)k, (long long)(4 + 2 * nc + p), "%s: %zu grid points, as sklearn", name, nc);
    if (k != 4 + 2 * nc + p) {
        ef_fitted_free(m);
        free(v);
        return;
    }
    size_t best = (size_t)v[0];
    is_str(m->best, m->grid[best].params, "%s: same chosen parameters (%s)", name, m->best);
    double dm = 0, ds = 0;
    for (size_t c = 0; c < nc; c++) {
        dm = fmax(dm, fabs(m->grid[c].mean_score - v[4 + c]));
        ds = fmax(ds, fabs(m->grid[c].std_score - v[4 + nc + c]));
    }
    ok(dm <= 1e-8, "%s: mean CV R2 of all %zu candidates within 1e-8 (%.2g)", name, nc, dm);
    ok(ds <= 1e-8, "%s: std of CV R2 within 1e-8 (%.2g)", name, ds);
    double dc = max_abs_diff(m->coef, v + 4 + 2 * nc, p);
    ok(dc <= 1e-6, "%s: refit coefficients within 1e-6 (%.2g)", name, dc);
    is_abs(m->intercept, v[3], 1e-6, "%s: intercept", name);
    ok(m->importance && m->importance[0] == fabs(m->coef[0]), "%s: importance = |coef|", name);
    diag("%s: best %s, mean R2 %.6f", name, m->best, m->grid[best].mean_score);

    /* predict = stored scaler, then the linear model */
    double *yh = ef_xmalloc(n * sizeof *yh), dp = 0;
    is_int(ef_model_predict(m, X, n, yh, &err), EF_OK, "%s: predict", name);
    for (size_t i = 0; i < n; i++) {
        double s = m->intercept;
        for (size_t j = 0; j < p; j++)
            s += (X[i * p + j] - m->scale_mean[j]) / m->scale_sd[j] * m->coef[j];
        dp = fmax(dp, fabs(s - yh[i]));
    }
    ok(dp <= 1e-9, "%s: predict applies the stored scaler (%.2g)", name, dp);

    /* one thread gives the same answer */
    ef_fitted *m1 = NULL;
    o.threads = 1;
    if (ef_model_fit(X, y, n, p, &o, &m1, &err) == EF_OK) {
        ok(max_abs_diff(m1->coef, m->coef, p) == 0 && strcmp(m1->best, m->best) == 0,
           "%s: 1 thread and 2 threads agree exactly", name);
        ef_fitted_free(m1);
    } else {
        ok(0, "%s: single-thread fit", name);
    }
    test_facade_warm(kind, X, y, n, p, m, v);
    free(yh);
    ef_fitted_free(m);
    free(v);
}

/* Coefficients at a tight tolerance: both solvers at the optimum. */
static void test_tight(const char *dir, const double *Xs, const double *y, size_t n, size_t p,
                       const char *xsp, const char *yp, const double *alphas, size_t na,
                       const double *l1s, size_t nl)
{
    double *coef = ef_xmalloc(p * sizeof *coef), b;
    char out[600];
    for (size_t a = 0; a < na; a++)
        for (size_t l = 0; l < nl; l++) {
            ef_cd_result res;
            snprintf(out, sizeof out, "%s/fit.txt", dir);
            if (tap_python("tests/parity/sklearn_linear.py", "fit '%s' '%s' %zu %zu %.17g %.17g 1e-10 200000 '%s'", xsp, yp, n, p,
                        alphas[a], l1s[l], out) != 0) {
                ok(0, "fit reference ran");
                continue;
            }
            size_t k;
            double *v = tap_read_values(out, &k);
            ef_enet_fit(Xs, y, n, p, alphas[a], l1s[l], 200000, 1e-10, coef, &b, &res, NULL);
            double d = k == p + 2 ? max_abs_diff(coef, v + 2, p) : INFINITY;
            ok(d <= 1e-6 && fabs(b - v[1]) <= 1e-6,
               "p=%zu alpha=%g l1_ratio=%g tol 1e-10: coef within 1e-6 (%.2g; %d vs %g sweeps)", p,
               alphas[a], l1s[l], d, res.n_iter, k ? v[0] : -1.0);
            free(v);
        }
    free(coef);
}

/* Warm path at tol 1e-10: every CV fit at the optimum.  The grid lists the
 * alphas smallest first, so the path reverses it.  All fits against the cold
 * ones (checked against sklearn above), and a few late on the path (folds 0
 * and 9, the two smallest alphas) against sklearn on the fold's rows. */
static void test_warm_tight(const char *dir, const double *Xs, const double *y, size_t n, size_t p)
{
    static const double alphas[] = {0.001, 0.01, 0.1, 1.0}, l1s[] = {0.5, 1.0};
    size_t nc = 8, k = 10;
    double *cc = ef_xmalloc(nc * k * p * sizeof *cc), *cw = ef_xmalloc(nc * k * p * sizeof *cw);
    ef_enet_cv_opts o = {.alphas = alphas, .nalpha = 4, .l1_ratios = l1s, .nl1 = 2, .folds = 10,
                         .max_iter = 200000, .tol = 1e-10, .threads = 2, .cv_coef = cc};
    ef_enet_cv_result rcold, rw;
    int ok_c = ef_enet_gridcv(Xs, y, n, p, &o, &rcold, NULL) == EF_OK;
    o.warm = 1;
    o.cv_coef = cw;
    int ok_w = ef_enet_gridcv(Xs, y, n, p, &o, &rw, NULL) == EF_OK;
    ok(ok_c && ok_w, "tol 1e-10: cold and warm grids ran");
    if (ok_c && ok_w) {
        ok(max_abs_diff(cc, cw, nc * k * p) <= 1e-6,
           "tol 1e-10: warm CV coefficients within 1e-6 of cold for all %zu fits (%.2g)", nc * k,
           max_abs_diff(cc, cw, nc * k * p));
        ok(rw.best == rcold.best && max_abs_diff(rw.mean, rcold.mean, nc) <= 1e-9,
           "tol 1e-10: same choice, mean CV R2 within 1e-9 (%.2g)",
           max_abs_diff(rw.mean, rcold.mean, nc));
        diag("tol 1e-10 sweeps: cold %lld, warm %lld", rcold.sweeps, rw.sweeps);
    }
    size_t start[11];
    ef_kfold_bounds(n, 10, start);
    double *Xf = ef_xmalloc(n * p * sizeof *Xf), *yf = ef_xmalloc(n * sizeof *yf);
    char xp[600], yp[600], out[600];
    snprintf(xp, sizeof xp, "%s/fX.bin", dir);
    snprintf(yp, sizeof yp, "%s/fy.bin", dir);
    snprintf(out, sizeof out, "%s/ffit.txt", dir);
    static const size_t fsel[] = {0, 9};
    for (size_t fi = 0; ok_w && fi < 2; fi++) {
        size_t f = fsel[fi], m = 0;
        for (size_t i = 0; i < n; i++)
            if (i < start[f] || i >= start[f + 1]) {
                memcpy(Xf + m * p, Xs + i * p, p * sizeof *Xf);
                yf[m++] = y[i];
            }
        tap_write_f64(xp, Xf, m * p);
        tap_write_f64(yp, yf, m);
        for (size_t c = 0; c < 4; c++) {   /* alphas 0.001, 0.01 x both l1_ratios */
            double a = alphas[c / 2], l = l1s[c % 2];
            if (tap_python("tests/parity/sklearn_linear.py",
                           "fit '%s' '%s' %zu %zu %.17g %.17g 1e-10 200000 '%s'", xp, yp, m, p, a,
                           l, out) != 0) {
                ok(0, "fold fit reference ran");
                continue;
            }
            size_t nv;
            double *v = tap_read_values(out, &nv);
            double d = nv == p + 2 ? max_abs_diff(cw + (c * k + f) * p, v + 2, p) : INFINITY;
            ok(d <= 1e-6, "warm path, fold %zu alpha=%g l1_ratio=%g tol 1e-10: coef within 1e-6 of "
               "sklearn (%.2g)", f, a, l, d);
            free(v);
        }
    }
    if (ok_c)
        ef_enet_cv_result_free(&rcold);
    if (ok_w)
        ef_enet_cv_result_free(&rw);
    free(Xf);
    free(yf);
    free(cc);
    free(cw);
}

/* p = 323 (the seed's FULL feature set) with a short alpha grid. */
static void test_wide(const char *dir)
{
    size_t n = 700, p = 323;
    double *X = ef_xmalloc(n * p * sizeof *X), *y = ef_xmalloc(n * sizeof *y);
    double mean[323], sc[323];
    char xp[600], yp[600], out[600];
    make_data(n, p, 11, X, y);
    ef_scaler_fit(X, n, p, mean, sc);
    ef_scaler_apply(X, n, p, mean, sc, X);
    snprintf(xp, sizeof xp, "%s/wX.bin", dir);
    snprintf(yp, sizeof yp, "%s/wy.bin", dir);
    tap_write_f64(xp, X, n * p);
    tap_write_f64(yp, y, n);
    static const double alphas[] = {0.01, 0.03, 0.1, 0.3, 1.0};
    static const double one = 1.0;
    snprintf(out, sizeof out, "%s/wgrid.txt", dir);
    if (tap_python("tests/parity/sklearn_linear.py", "gridcv '%s' '%s' %zu %zu lasso '%s' 0.01,0.03,0.1,0.3,1.0 0", xp, yp, n, p, out) ==
        0) {
        size_t k;
        double *v = tap_read_values(out, &k);
        ef_enet_cv_opts o = {.alphas = alphas, .nalpha = 5, .l1_ratios = &one, .nl1 = 1,
                             .folds = 10, .max_iter = 2000, .tol = 1e-4};
        ef_enet_cv_result r;
        int rc = ef_enet_gridcv(X, y, n, p, &o, &r, NULL);
        if (rc == EF_OK && k == 4 + 10 + p) {
            is_int((long long)r.best, (long long)v[0], "p=323: same chosen alpha (%g)", r.best_alpha);
            ok(max_abs_diff(r.mean, v + 4, 5) <= 1e-8, "p=323: mean CV R2 within 1e-8 (%.2g)",
               max_abs_diff(r.mean, v + 4, 5));
            ok(max_abs_diff(r.coef, v + 14, p) <= 1e-6, "p=323: refit coefficients within 1e-6 (%.2g)",
               max_abs_diff(r.coef, v + 14, p));
            ef_enet_cv_result rw;
            o.warm = 1;
            if (ef_enet_gridcv(X, y, n, p, &o, &rw, NULL) == EF_OK) {
                is_int((long long)rw.best, (long long)v[0], "p=323 warm: same chosen alpha (%g)",
                       rw.best_alpha);
                ok(max_abs_diff(rw.mean, v + 4, 5) <= 1e-4,
                   "p=323 warm: mean CV R2 within 1e-4 (%.2g)", max_abs_diff(rw.mean, v + 4, 5));
                ok(rw.sweeps < r.sweeps, "p=323 warm: fewer sweeps than cold (%lld vs %lld)",
                   rw.sweeps, r.sweeps);
                ef_enet_cv_result_free(&rw);
            } else {
                ok(0, "p=323 warm grid ran");
            }
        } else {
            ok(0, "p=323 grid ran (rc %d, %zu values)", rc, k);
        }
        ef_enet_cv_result_free(&r);
        free(v);
    } else {
        ok(0, "p=323 reference ran");
    }
    static const double ta[] = {0.01, 0.1}, tl[] = {0.5, 1.0};
    test_tight(dir, X, y, n, p, xp, yp, ta, 2, tl, 2);
    free(X);
    free(y);
}

static void test_bad_input(const double *X, const double *y, size_t n, size_t p)
{
    ef_fit_opts o;
    ef_fitted *m = (ef_fitted *)1;
    ef_error err;
    ef_fit_opts_default(&o, EF_MODEL_LASSO);
    is_int(ef_model_fit(X, y, 15, p, &o, &m, &err), EF_EDATA, "15 rows: too few for 10 folds");
    ok(m == NULL, "... and no model");
    like(err.msg, "too few", "... saying so");
    double *Xb = ef_xmalloc(n * p * sizeof *Xb), *yb = ef_xmalloc(n * sizeof *yb);
    memcpy(Xb, X, n * p * sizeof *Xb);
    Xb[5 * p + 2] = NAN;
    is_int(ef_model_fit(Xb, y, n, p, &o, &m, &err), EF_EDATA, "NaN feature refused");
    like(err.msg, "row 6, column 3 is NaN", "... naming the cell (%s)", err.msg);
    Xb[5 * p + 2] = INFINITY;
    is_int(ef_model_fit(Xb, y, n, p, &o, &m, &err), EF_EDATA, "infinite feature refused");
    memcpy(Xb, X, n * p * sizeof *Xb);
    for (size_t i = 0; i < n; i++)
        Xb[i * p + 4] = 7.5;
    {   /* a constant column is fitted as sklearn does: scaled to 0, no weight, nothing else changes */
        double *Xd = ef_xmalloc(n * (p - 1) * sizeof *Xd);
        ef_fitted *m0 = NULL;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0, k = 0; j < p; j++)
                if (j != 4)
                    Xd[i * (p - 1) + k++] = X[i * p + j];
        is_int(ef_model_fit(Xb, y, n, p, &o, &m, &err), EF_OK, "constant feature fitted");
        is_int(ef_model_fit(Xd, y, n, p - 1, &o, &m0, &err), EF_OK, "... and without it");
        if (m && m0) {
            double d = 0.0;
            for (size_t j = 0, k = 0; j < p; j++)
                if (j != 4)
                    d = fmax(d, fabs(m->coef[j] - m0->coef[k++]));
            is_int((long long)m->n_const, 1, "one constant column counted");
            ok(m->scale_sd[4] == 1.0 && m->coef[4] == 0.0, "scale 1 and no weight");
            is_str(m->best, m0->best, "same alpha as without the column (%s)", m0->best);
            ok(d <= 1e-12 && fabs(m->intercept - m0->intercept) <= 1e-12,
               "same coefficients and intercept (max diff %.3g)", d);
        }
        ef_fitted_free(m);
        ef_fitted_free(m0);
        free(Xd);
    }
    for (size_t i = 0; i < n; i++)
        yb[i] = 42.0;
    is_int(ef_model_fit(X, yb, n, p, &o, &m, &err), EF_EDATA, "constant target refused");
    like(err.msg, "nothing to predict", "... saying so (%s)", err.msg);
    o.folds = 1;
    is_int(ef_model_fit(X, y, n, p, &o, &m, &err), EF_EINVAL, "1 fold refused");
    ef_fit_opts_default(&o, EF_MODEL_ENET);
    volatile int cancel = 1;
    o.cancel = &cancel;
    is_int(ef_model_fit(X, y, n, p, &o, &m, &err), EF_ECANCELED, "cancel flag stops the grid");
    ok(m == NULL, "... without a model");
    o.cd_warm = 1;
    is_int(ef_model_fit(X, y, n, p, &o, &m, &err), EF_ECANCELED, "... the warm path too");
    free(Xb);
    free(yb);

    int kind = -1;
    ok(ef_model_kind_parse("elasticnet", &kind) && kind == EF_MODEL_ENET, "kind names parse");
    ok(!ef_model_kind_parse("ridge", &kind), "unknown kind refused");
    is_str(ef_model_kind_name(EF_MODEL_LASSO), "lasso", "kind name");
}

static size_t prog_done, prog_total, prog_calls;
static void on_progress(void *ud, size_t done, size_t total)
{
    if (ud && done == 25)   /* a cancel flag to raise mid-grid */
        *(volatile int *)ud = 1;
    prog_done = done;
    prog_total = total;
    prog_calls++;
}

static void test_progress(const double *X, const double *y, size_t n, size_t p)
{
    ef_fit_opts o;
    ef_fitted *m = NULL;
    ef_fit_opts_default(&o, EF_MODEL_LASSO);
    o.progress = on_progress;
    is_int(ef_model_fit(X, y, n, p, &o, &m, NULL), EF_OK, "fit with progress");
    ok(prog_total == 501 && prog_done == 501 && prog_calls == 501,
       "progress: 50 alphas x 10 folds + refit (%zu/%zu, %zu calls)", prog_done, prog_total,
       prog_calls);
    ef_fitted_free(m);
    m = NULL;
    prog_calls = 0;
    o.cd_warm = 1;
    is_int(ef_model_fit(X, y, n, p, &o, &m, NULL), EF_OK, "warm fit with progress");
    ok(prog_total == 501 && prog_done == 501 && prog_calls == 501,
       "warm progress: one step per fit as well (%zu/%zu, %zu calls)", prog_done, prog_total,
       prog_calls);
    ef_fitted_free(m);
    volatile int cancel = 0;
    o.cancel = &cancel;
    o.progress_ud = (void *)&cancel;
    o.threads = 2;
    is_int(ef_model_fit(X, y, n, p, &o, &m, NULL), EF_ECANCELED, "warm: cancel mid-path");
    ok(prog_done <= 26, "... stops within one fit per thread (%zu fits done)", prog_done);
}

static int same_fit(const ef_fitted *a, const ef_fitted *b)
{
    if (a->p != b->p || a->ngrid != b->ngrid || strcmp(a->best, b->best) || a->intercept != b->intercept ||
        memcmp(a->coef, b->coef, a->p * sizeof *a->coef) || memcmp(a->scale_mean, b->scale_mean, a->p * sizeof(double)) ||
        memcmp(a->scale_sd, b->scale_sd, a->p * sizeof(double)))
        return 0;
    for (size_t c = 0; c < a->ngrid; c++)
        if (memcmp(&a->grid[c].mean_score, &b->grid[c].mean_score, sizeof(double)) ||
            memcmp(&a->grid[c].std_score, &b->grid[c].std_score, sizeof(double)))
            return 0;
    return 1;
}

/* Lasso then ElasticNet sharing a fit cache (the scaler, the scaled rows,
 * the fold problems) give the fits they give alone, bit for bit; other rows
 * or another fold count are not served from it. */
static void test_fit_cache(const double *X, const double *y, size_t n, size_t p)
{
    ef_fit_cache *c = ef_fit_cache_new();
    ef_fitted *alone[2] = {NULL, NULL}, *shared[2] = {NULL, NULL}, *f = NULL, *g = NULL;
    ef_fit_opts o;
    int good = 1;

    for (int k = 0; k < 2; k++) {
        ef_fit_opts_default(&o, k ? EF_MODEL_ENET : EF_MODEL_LASSO);
        o.threads = 2;
        good &= ef_model_fit(X, y, n, p, &o, &alone[k], NULL) == EF_OK;
        o.cache = c;
        good &= ef_model_fit(X, y, n, p, &o, &shared[k], NULL) == EF_OK;
    }
    ok(good && same_fit(alone[0], shared[0]) && same_fit(alone[1], shared[1]),
       "lasso then elasticnet through one fit cache: the same fits, bit for bit");
    ef_fit_opts_default(&o, EF_MODEL_LASSO);
    o.cache = c;
    o.folds = 5;   /* the same rows, other folds */
    good = ef_model_fit(X, y, n, p, &o, &f, NULL) == EF_OK;
    o.cache = NULL;
    good &= ef_model_fit(X, y, n, p, &o, &g, NULL) == EF_OK;
    ok(good && same_fit(f, g), "another fold count rebuilds the fold problems");
    ef_fitted_free(f);
    ef_fitted_free(g);
    f = g = NULL;
    o.folds = 10;
    o.cache = c;
    good = ef_model_fit(X, y, n - 7, p, &o, &f, NULL) == EF_OK;
    o.cache = NULL;
    good &= ef_model_fit(X, y, n - 7, p, &o, &g, NULL) == EF_OK;
    ok(good && same_fit(f, g), "other rows are not served from the cache");
    ef_fitted_free(f);
    ef_fitted_free(g);
    for (int k = 0; k < 2; k++) {
        ef_fitted_free(alone[k]);
        ef_fitted_free(shared[k]);
    }
    ef_fit_cache_free(c);
}

int main(void)
{
    const char *dir = tap_tmpdir();
    size_t n = 600, p = 40;
    double *X = ef_xmalloc(n * p * sizeof *X), *y = ef_xmalloc(n * sizeof *y);
    char xp[600], yp[600], xsp[600];
    make_data(n, p, 3, X, y);

    test_bad_input(X, y, n, p);
    test_progress(X, y, n, p);
    test_fit_cache(X, y, n, p);

    char vers[600];
    snprintf(vers, sizeof vers, "%s/versions.txt", dir);
    int rc = tap_python("tests/parity/sklearn_linear.py", "versions '%s'", vers);
    if (rc != 0) {
        ok(1, "# SKIP sklearn parity: numpy/sklearn reference unavailable (status %d)", rc);
        free(X);
        free(y);
        return done_testing();
    }
    snprintf(xp, sizeof xp, "%s/X.bin", dir);
    snprintf(yp, sizeof yp, "%s/y.bin", dir);
    tap_write_f64(xp, X, n * p);
    tap_write_f64(yp, y, n);
    test_logspace(dir);
    test_facade_grid(dir, EF_MODEL_LASSO, X, y, n, p, xp, yp);
    test_facade_grid(dir, EF_MODEL_ENET, X, y, n, p, xp, yp);

    double *Xs = ef_xmalloc(n * p * sizeof *Xs), mean[40], sc[40];
    ef_scaler_fit(X, n, p, mean, sc);
    ef_scaler_apply(X, n, p, mean, sc, Xs);
    snprintf(xsp, sizeof xsp, "%s/Xs.bin", dir);
    tap_write_f64(xsp, Xs, n * p);
    static const double ta[] = {0.001, 0.01, 0.1, 1.0}, tl[] = {0.1, 0.5, 1.0};
    test_tight(dir, Xs, y, n, p, xsp, yp, ta, 4, tl, 3);
    test_warm_tight(dir, Xs, y, n, p);
    test_wide(dir);

    free(Xs);
    free(X);
    free(y);
    return done_testing();
}
