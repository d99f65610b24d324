/* test_xgb.c — the XGBoost kind against python xgboost (tests/parity/xgb_ref.py,
 * Debian python3-xgboost 1.7.4 and python3-sklearn): the seed's grid search gives
 * the same fold scores and the same chosen point, the refitted booster the same
 * predictions (1e-5) and the same gain importance; a stored booster predicts the
 * same after reload; libxgboost's own error text reaches ef_error. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "model/ef_model_int.h"
#include "model/ef_xgb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 300
#define NT 100
#define P 8
#define FOLDS 4
#define NGRID 12

static void free_fit(ef_fitted *m)
{
    free(m->grid);
    free(m->importance);
    free(m->booster);
    memset(m, 0, sizeof *m);
}

/* progress callback that cancels the grid after a few fits */
static volatile int cancel_flag;

static void cancel_after(void *ud, size_t done, size_t total)
{
    (void)total;
    if (done >= *(size_t *)ud)
        cancel_flag = 1;
}

static void make_data(double *X, double *y, size_t n, uint64_t stream)
{
    ef_rng r;
    size_t i, j;

    ef_rng_seed2(&r, 7, stream);
    for (i = 0; i < n; i++) {
        double *x = X + i * P;

        for (j = 0; j < P; j++)
            x[j] = ef_rng_normal(&r);
        y[i] = 30 + 4 * x[0] + 3 * sin(2 * x[1]) + 2 * x[2] * x[3] + (x[4] > 0.5 ? 2 : 0) +
               ef_rng_gauss(&r, 0, 1.0);
    }
}

static int write_bin(const char *dir, const char *name, const double *v, size_t n)
{
    char path[600];
    FILE *f;
    size_t w;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "wb")))
        return -1;
    w = fwrite(v, sizeof *v, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

struct ref {
    double grid_mean[NGRID], grid_std[NGRID];
    int grid_depth[NGRID];
    double grid_gamma[NGRID], grid_lambda[NGRID];
    int best_depth;
    double best_gamma, best_lambda;
    double pred[NT], gain[P];
    int ngrid, npred, ngain, nbest;
};

static int read_ref(const char *dir, struct ref *r)
{
    char path[600], line[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/ref.txt", dir);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, f)) {
        int i, d;
        double a, b, c, e;

        if (sscanf(line, "grid %d %lf %lf %lf %lf", &d, &a, &b, &c, &e) == 5 &&
            r->ngrid < NGRID) {
            r->grid_depth[r->ngrid] = d;
            r->grid_gamma[r->ngrid] = a;
            r->grid_lambda[r->ngrid] = b;
            r->grid_mean[r->ngrid] = c;
            r->grid_std[r->ngrid++] = e;
        } else if (sscanf(line, "best %d %lf %lf", &d, &a, &b) == 3) {
            r->best_depth = d;
            r->best_gamma = a;
            r->best_lambda = b;
            r->nbest = 1;
        } else if (sscanf(line, "pred %d %lf", &i, &a) == 2 && i >= 0 && i < NT) {
            r->pred[i] = a;
            r->npred++;
        } else if (sscanf(line, "gain %d %lf", &i, &a) == 2 && i >= 0 && i < P) {
            r->gain[i] = a;
            r->ngain++;
        }
    }
    fclose(f);
    return 0;
}

static void compare(const char *label, const ef_fitted *m, const double *Xt, const struct ref *r)
{
    double yhat[NT], dmax = 0, gmax = 0;
    char want[160];
    int g, i, j, grid_ok = 1, exact = 0;

    is_int(r->ngrid, NGRID, "%s: python wrote the 12 grid points", label);
    for (g = 0; g < NGRID && g < (int)m->ngrid; g++) {
        snprintf(want, sizeof want, "max_depth=%d gamma=%g lambda=%g", r->grid_depth[g],
                 r->grid_gamma[g], r->grid_lambda[g]);
        if (strcmp(m->grid[g].params, want) != 0 ||
            fabs(m->grid[g].mean_score - r->grid_mean[g]) > 1e-6 ||
            fabs(m->grid[g].std_score - r->grid_std[g]) > 1e-6) {
            diag("%s: grid %d: %s %.9f %.9f, python %s %.9f %.9f", label, g, m->grid[g].params,
                 m->grid[g].mean_score, m->grid[g].std_score, want, r->grid_mean[g],
                 r->grid_std[g]);
            grid_ok = 0;
        }
        exact += m->grid[g].mean_score == r->grid_mean[g];
    }
    ok(grid_ok, "%s: the grid in GridSearchCV's order, fold R2 mean and std within 1e-6", label);
    is_int(exact, NGRID, "%s: mean fold R2 bit-identical to cv_results_ at every point", label);
    snprintf(want, sizeof want, "max_depth=%d gamma=%g lambda=%g", r->best_depth, r->best_gamma,
             r->best_lambda);
    is_str(m->best, want, "%s: the chosen grid point is GridSearchCV's best_params_", label);

    is_int(ef_xgb_predict(m, Xt, NT, yhat, NULL), EF_OK, "%s: predict", label);
    for (i = 0; i < NT; i++)
        if (fabs(yhat[i] - r->pred[i]) > dmax)
            dmax = fabs(yhat[i] - r->pred[i]);
    is_int(r->npred, NT, "%s: python wrote the predictions", label);
    ok(dmax <= 1e-5, "%s: predictions within 1e-5 of python xgboost (max diff %.3g)", label, dmax);
    for (j = 0; j < P; j++) {
        double scale = fabs(r->gain[j]) > 1 ? fabs(r->gain[j]) : 1;
        double d = fabs(m->importance[j] - r->gain[j]) / scale;

        if (d > gmax)
            gmax = d;
    }
    ok(r->ngain == P && gmax <= 1e-6,
       "%s: gain importance = get_score(importance_type='gain') (max rel diff %.3g)", label, gmax);
}

int main(void)
{
    double *X = ef_xmalloc(N * P * sizeof *X), *y = ef_xmalloc(N * sizeof *y);
    double *Xt = ef_xmalloc(NT * P * sizeof *Xt), *yt = ef_xmalloc(NT * sizeof *yt);
    double yhat[NT], yhat2[NT];
    const char *py = getenv("PYTHON3"), *dir = tap_tmpdir();
    ef_fit_opts o;
    ef_fitted m, m05, copy;
    ef_error err;
    char *cmd;
    int have_py, rc, i, same = 1, used = 0;
    static struct ref ref;

    make_data(X, y, N, 1);
    make_data(Xt, yt, NT, 2);
    memset(&o, 0, sizeof o);
    o.kind = EF_MODEL_XGB;
    o.seed = 42;
    o.folds = FOLDS;
    o.threads = 1;    /* a loaded machine makes OpenMP's spinning threads slow */

    memset(&m, 0, sizeof m);
    rc = ef_xgb_fit(X, y, N, P, &o, &m, &err);
    is_int(rc, EF_OK, "fit the seed's grid (%s)", rc ? err.msg : "ok");
    if (rc != EF_OK)
        return done_testing();
    is_int((long long)m.ngrid, NGRID, "12 grid points");
    ok(m.booster && m.booster_len > 1000 && m.booster[0] == '{',
       "booster saved as JSON (%zu bytes)", m.booster_len);
    like(m.booster, "\"base_score\"", "the JSON carries base_score");
    for (i = 0; i < P; i++)
        used += m.importance[i] > 0;
    ok(m.importance[0] > m.importance[6] && m.importance[6] >= 0 && used >= 4,
       "gain importance ranks the strong feature above a noise feature");

    /* the grid's tasks spread over a pool: the same result, bit for bit,
     * whatever the number of workers */
    {
        int th[] = { 2, 3 }, t, g, same_grid;

        for (t = 0; t < 2; t++) {
            memset(&copy, 0, sizeof copy);
            o.threads = th[t];
            rc = ef_xgb_fit(X, y, N, P, &o, &copy, &err);
            is_int(rc, EF_OK, "fit with %d workers", th[t]);
            same_grid = rc == EF_OK && copy.ngrid == m.ngrid;
            for (g = 0; same_grid && g < (int)m.ngrid; g++)
                same_grid = copy.grid[g].mean_score == m.grid[g].mean_score &&
                            copy.grid[g].std_score == m.grid[g].std_score &&
                            strcmp(copy.grid[g].params, m.grid[g].params) == 0;
            ok(same_grid, "%d workers: every grid point's fold R2 mean and std identical",
               th[t]);
            ok(rc == EF_OK && strcmp(copy.best, m.best) == 0 &&
               copy.booster_len == m.booster_len &&
               memcmp(copy.booster, m.booster, m.booster_len) == 0,
               "%d workers: the same chosen point and the same refitted booster", th[t]);
            free_fit(&copy);
        }
        o.threads = 1;
    }
    {   /* the CV fits in libxgboost itself (ECGFIT_XGB_TREES=libxgboost) and in
         * the own trees (model/ef_gbt.h, the default on libxgboost 1.7): the
         * same scores, bit for bit */
        int g, same_grid;

        memset(&copy, 0, sizeof copy);
        setenv("ECGFIT_XGB_TREES", "libxgboost", 1);
        rc = ef_xgb_fit(X, y, N, P, &o, &copy, &err);
        unsetenv("ECGFIT_XGB_TREES");
        is_int(rc, EF_OK, "fit with every tree in libxgboost");
        same_grid = rc == EF_OK && copy.ngrid == m.ngrid;
        for (g = 0; same_grid && g < (int)m.ngrid; g++)
            same_grid = copy.grid[g].mean_score == m.grid[g].mean_score &&
                        copy.grid[g].std_score == m.grid[g].std_score;
        ok(same_grid, "libxgboost's trees: every grid point's fold R2 mean and std identical");
        ok(rc == EF_OK && strcmp(copy.best, m.best) == 0 && copy.booster_len == m.booster_len &&
           memcmp(copy.booster, m.booster, m.booster_len) == 0,
           "libxgboost's trees: the same chosen point and the same refitted booster");
        free_fit(&copy);
        setenv("ECGFIT_XGB_TREES", "mine", 1);
        rc = ef_xgb_fit(X, y, N, P, &o, &copy, &err);
        unsetenv("ECGFIT_XGB_TREES");
        ok(rc == EF_EINVAL && strstr(err.msg, "ECGFIT_XGB_TREES=mine"),
           "an unknown ECGFIT_XGB_TREES is an error that names it");
        free_fit(&copy);
    }
    {   /* a missing value: the folds whose training rows hold it go to
         * libxgboost, the others to the own trees; the grid is the library's */
        ef_fitted a, b;
        double keep = X[7 * P + 2];
        int g, same_grid, rca, rcb;

        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        X[7 * P + 2] = NAN;
        rca = ef_xgb_fit(X, y, N, P, &o, &a, &err);
        setenv("ECGFIT_XGB_TREES", "libxgboost", 1);
        rcb = ef_xgb_fit(X, y, N, P, &o, &b, &err);
        unsetenv("ECGFIT_XGB_TREES");
        X[7 * P + 2] = keep;
        same_grid = rca == EF_OK && rcb == EF_OK && a.ngrid == b.ngrid;
        for (g = 0; same_grid && g < (int)a.ngrid; g++)
            same_grid = a.grid[g].mean_score == b.grid[g].mean_score &&
                        a.grid[g].std_score == b.grid[g].std_score;
        ok(same_grid, "a missing value: the grid's scores are libxgboost's, bit for bit");
        free_fit(&a);
        free_fit(&b);
    }
    {   /* cancelled part-way: the pool stops, frees its folds (ASan), says so */
        size_t after = 5;

        memset(&copy, 0, sizeof copy);
        cancel_flag = 0;
        o.threads = 2;
        o.progress = cancel_after;
        o.progress_ud = &after;
        o.cancel = &cancel_flag;
        ef_error_clear(&err);
        rc = ef_xgb_fit(X, y, N, P, &o, &copy, &err);
        is_int(rc, EF_ECANCELED, "a cancelled grid returns EF_ECANCELED");
        like(err.msg, "cancelled", "and says so: %s", err.msg);
        free_fit(&copy);
        o.threads = 1;
        o.progress = NULL;
        o.progress_ud = NULL;
        o.cancel = NULL;
    }

    /* a stored model predicts after a reload from its own bytes */
    is_int(ef_xgb_predict(&m, Xt, NT, yhat, NULL), EF_OK, "predict");
    memset(&copy, 0, sizeof copy);
    copy.kind = EF_MODEL_XGB;
    copy.p = P;
    copy.booster = ef_xstrndup(m.booster, m.booster_len);
    copy.booster_len = m.booster_len;
    is_int(ef_xgb_predict(&copy, Xt, NT, yhat2, NULL), EF_OK, "predict from a copy of the JSON");
    for (i = 0; i < NT; i++)
        same &= yhat[i] == yhat2[i];
    ok(same, "save / load round trip gives identical predictions");

    /* XGBoost's own error text */
    copy.booster[copy.booster_len / 2] = '\0';
    copy.booster_len /= 2;
    ef_error_clear(&err);
    rc = ef_xgb_predict(&copy, Xt, NT, yhat2, &err);
    ok(rc != EF_OK, "a truncated booster is refused");
    like(err.msg, "XGBoost: cannot load the stored model: ", "error names the step");
    ok(strlen(err.msg) > strlen("XGBoost: cannot load the stored model: ") + 5,
       "and carries XGBGetLastError's text: %s", err.msg);
    free(copy.booster);
    copy.booster = NULL;
    ef_error_clear(&err);
    o.threads = -1;
    o.folds = N + 1;
    memset(&copy, 0, sizeof copy);
    ok(ef_xgb_fit(X, y, N, P, &o, &copy, &err) == EF_EDATA, "more folds than rows refused");
    free_fit(&copy);
    o.folds = FOLDS;
    o.threads = 1;

    ef_error_clear(&err);
    memset(&copy, 0, sizeof copy);
    rc = ef_xgb_fit(X, y, N, 0, &o, &copy, &err);
    is_int(rc, EF_EDATA, "zero features refused");
    free_fit(&copy);

    if (!py || !*py || strcmp(py, "none") == 0)
        py = "/usr/bin/python3";
    cmd = ef_xasprintf("'%s' -c 'import xgboost, sklearn' >/dev/null 2>&1", py);
    have_py = system(cmd) == 0;
    free(cmd);
    if (!have_py) {
        ok(1, "# SKIP python3 xgboost/sklearn not available to %s", py);
    } else {
        ok(write_bin(dir, "X.bin", X, N * P) == 0 && write_bin(dir, "y.bin", y, N) == 0 &&
           write_bin(dir, "Xt.bin", Xt, NT * P) == 0, "data written for python");
        cmd = ef_xasprintf("'%s' '%s/tests/parity/xgb_ref.py' '%s' %d %d %d %d mean 1", py,
                           tap_srcdir(), dir, N, P, NT, FOLDS);
        memset(&ref, 0, sizeof ref);
        ok(system(cmd) == 0 && read_ref(dir, &ref) == 0, "python reference (base_score = mean)");
        free(cmd);
        compare("base_score=mean", &m, Xt, &ref);

        memset(&m05, 0, sizeof m05);
        rc = ef_xgb_fit_ex(X, y, N, P, &o, EF_XGB_BASE_05, &m05, &err);
        is_int(rc, EF_OK, "fit with xgboost 1.7.4's base_score 0.5");
        cmd = ef_xasprintf("'%s' '%s/tests/parity/xgb_ref.py' '%s' %d %d %d %d default 1", py,
                           tap_srcdir(), dir, N, P, NT, FOLDS);
        memset(&ref, 0, sizeof ref);
        ok(system(cmd) == 0 && read_ref(dir, &ref) == 0, "python reference (default base_score)");
        free(cmd);
        if (rc == EF_OK)
            compare("base_score=0.5", &m05, Xt, &ref);
        free_fit(&m05);
    }
    free_fit(&m);
    free(X);
    free(y);
    free(Xt);
    free(yt);
    cmd = ef_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    free(cmd);
    return done_testing();
}
