/* ef_model.c — the fit/predict facade: checks the input, fits the
 * StandardScaler on the training rows, scales, and hands the scaled rows to
 * the model kind (ef_model_int.h).  The MLP's seed-mode validation rows are
 * scaled with the same scaler. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ef_alloc.h"
#include "model/ef_model.h"
#include "model/ef_model_int.h"
#include "model/ef_linear.h"

static const char *const kind_names[EF_MODEL_NKINDS] = {"lasso", "elasticnet", "xgboost", "mlp"};

const char *ef_model_kind_name(int kind)
{
    return kind >= 0 && kind < EF_MODEL_NKINDS ? kind_names[kind] : "?";
}

int ef_model_kind_parse(const char *s, int *kind)
{
    for (int k = 0; k < EF_MODEL_NKINDS; k++)
        if (strcasecmp(s, kind_names[k]) == 0) {
            *kind = k;
            return 1;
        }
    return 0;
}

void ef_fit_opts_default(ef_fit_opts *o, int kind)
{
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->seed = 42;
    o->folds = 10;
}

struct ef_fit_cache {
    const double *X, *y;       /* the rows (NULL: empty) */
    size_t n, p;
    double *mean, *sd, *Xs;    /* their scaler and scaled rows */
    size_t n_const;
    ef_enet_prep *enet;
};

ef_fit_cache *ef_fit_cache_new(void)
{
    return ef_xcalloc(1, sizeof(ef_fit_cache));
}

void ef_fit_cache_clear(ef_fit_cache *c)
{
    if (!c)
        return;
    free(c->mean);
    free(c->sd);
    free(c->Xs);
    ef_enet_prep_free(c->enet);
    memset(c, 0, sizeof *c);
}

void ef_fit_cache_free(ef_fit_cache *c)
{
    ef_fit_cache_clear(c);
    free(c);
}

ef_enet_prep *ef_fit_cache_enet(ef_fit_cache *c)
{
    if (!c)
        return NULL;
    if (!c->enet)
        c->enet = ef_enet_prep_new();
    return c->enet;
}

static int check_finite(const double *a, size_t n, size_t p, const char *what, ef_error *err)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            double v = a[i * p + j];
            if (isfinite(v))
                continue;
            if (p > 1)
                return ef_error_set(err, EF_EDATA, "%s row %zu, column %zu is %s", what, i + 1,
                                    j + 1, isnan(v) ? "NaN" : "infinite");
            return ef_error_set(err, EF_EDATA, "%s row %zu is %s", what, i + 1,
                                isnan(v) ? "NaN" : "infinite");
        }
    return EF_OK;
}

int ef_model_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                 ef_fitted **out, ef_error *err)
{
    int rc;
    *out = NULL;
    if (o->kind < 0 || o->kind >= EF_MODEL_NKINDS)
        return ef_error_set(err, EF_EINVAL, "unknown model kind %d", o->kind);
    if (p == 0)
        return ef_error_set(err, EF_EINVAL, "no features");
    if (o->folds < 2)
        return ef_error_set(err, EF_EINVAL, "cross-validation needs at least 2 folds, not %d",
                            o->folds);
    if (n < (size_t)o->folds * 2)
        return ef_error_set(err, EF_EDATA,
                            "%zu training rows are too few for %d-fold cross-validation "
                            "(need at least %d)", n, o->folds, 2 * o->folds);
    if ((rc = check_finite(X, n, p, "feature", err)) != EF_OK ||
        (rc = check_finite(y, n, 1, "target", err)) != EF_OK)
        return rc;
    size_t i;
    for (i = 1; i < n && y[i] == y[0]; i++)
        ;
    if (i == n)
        return ef_error_set(err, EF_EDATA,
                            "the target is constant (%g) in all %zu training rows: there is nothing "
                            "to predict (R2 and r are undefined)", y[0], n);

    ef_fitted *m = ef_xcalloc(1, sizeof *m);
    m->kind = o->kind;
    m->p = p;
    m->scale_mean = ef_xmalloc(p * sizeof *m->scale_mean);
    m->scale_sd = ef_xmalloc(p * sizeof *m->scale_sd);
    ef_fit_cache *c = o->cache;
    double *Xs, *Vs = NULL;
    if (c && c->X == X && c->y == y && c->n == n && c->p == p) {   /* a fit of these rows came before */
        memcpy(m->scale_mean, c->mean, p * sizeof *m->scale_mean);
        memcpy(m->scale_sd, c->sd, p * sizeof *m->scale_sd);
        m->n_const = c->n_const;
        Xs = c->Xs;
    } else {
        /* constant columns are kept, as the seed's StandardScaler keeps them */
        m->n_const = ef_scaler_fit(X, n, p, m->scale_mean, m->scale_sd);
        Xs = ef_xmalloc(n * p * sizeof *Xs);
        ef_scaler_apply(X, n, p, m->scale_mean, m->scale_sd, Xs);
        if (c) {
            ef_fit_cache_clear(c);
            c->X = X;
            c->y = y;
            c->n = n;
            c->p = p;
            c->mean = ef_xmalloc(p * sizeof *c->mean);
            c->sd = ef_xmalloc(p * sizeof *c->sd);
            memcpy(c->mean, m->scale_mean, p * sizeof *c->mean);
            memcpy(c->sd, m->scale_sd, p * sizeof *c->sd);
            c->n_const = m->n_const;
            c->Xs = Xs;
        }
    }
    ef_fit_opts ko = *o;
    if (o->val_X && o->n_val > 0) {
        if ((rc = check_finite(o->val_X, o->n_val, p, "validation feature", err)) != EF_OK ||
            (o->val_y && (rc = check_finite(o->val_y, o->n_val, 1, "validation target", err)) !=
                             EF_OK)) {
            if (!c)
                free(Xs);
            ef_fitted_free(m);
            return rc;
        }
        Vs = ef_xmalloc(o->n_val * p * sizeof *Vs);
        ef_scaler_apply(o->val_X, o->n_val, p, m->scale_mean, m->scale_sd, Vs);
        ko.val_X = Vs;
    }
    switch (o->kind) {
    case EF_MODEL_LASSO:
    case EF_MODEL_ENET:
        rc = ef_linear_fit(Xs, y, n, p, &ko, m, err);
        break;
    case EF_MODEL_XGB:
        rc = ef_xgb_fit(Xs, y, n, p, &ko, m, err);
        break;
    default:
        rc = ef_mlp_fit(Xs, y, n, p, &ko, m, err);
        break;
    }
    if (!c)
        free(Xs);
    free(Vs);
    if (rc != EF_OK) {
        ef_fitted_free(m);
        return rc;
    }
    *out = m;
    return EF_OK;
}

int ef_model_predict(const ef_fitted *m, const double *X, size_t n, double *yhat, ef_error *err)
{
    int rc = check_finite(X, n, m->p, "feature", err);
    if (rc != EF_OK)
        return rc;
    if (m->kind == EF_MODEL_LASSO || m->kind == EF_MODEL_ENET) {
        /* row by row: scaled a block at a time, not a copy of all rows */
        size_t blk = 256, r;
        double *Xb = ef_xmalloc(blk * (m->p ? m->p : 1) * sizeof *Xb);

        for (r = 0; r < n; r += blk) {
            size_t nb = n - r < blk ? n - r : blk;

            ef_scaler_apply(X + r * m->p, nb, m->p, m->scale_mean, m->scale_sd, Xb);
            ef_linear_predict(m, Xb, nb, yhat + r);
        }
        free(Xb);
        return EF_OK;
    }
    double *Xs = ef_xmalloc((n ? n : 1) * m->p * sizeof *Xs);
    ef_scaler_apply(X, n, m->p, m->scale_mean, m->scale_sd, Xs);
    switch (m->kind) {
    case EF_MODEL_LASSO:
    case EF_MODEL_ENET:
        rc = ef_linear_predict(m, Xs, n, yhat);
        break;
    case EF_MODEL_XGB:
        rc = ef_xgb_predict(m, Xs, n, yhat, err);
        break;
    case EF_MODEL_MLP:
        rc = ef_mlp_predict(m, Xs, n, yhat, err);
        break;
    default:
        rc = ef_error_set(err, EF_EINVAL, "unknown model kind %d", m->kind);
    }
    free(Xs);
    return rc;
}

void ef_fitted_free(ef_fitted *m)
{
    if (!m)
        return;
    free(m->scale_mean);
    free(m->scale_sd);
    free(m->grid);
    free(m->importance);
    free(m->coef);
    free(m->booster);
    free(m->mlp_sizes);
    free(m->mlp_w);
    free(m);
}
