/* ef_model.h — regression models of the seed pipeline (models.py): Lasso,
 * ElasticNet, XGBoost and an MLP, each with the seed's hyper-parameter grid
 * and 10-fold CV, behind one fit/predict facade.
 *
 * As the seed: a StandardScaler (population SD) is fitted on all training
 * rows and applied before the CV (folds are not re-scaled); the facade
 * stores the scaler in the fitted model and applies it in predict. */
#ifndef EF_MODEL_H
#define EF_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

enum ef_model_kind { EF_MODEL_LASSO, EF_MODEL_ENET, EF_MODEL_XGB, EF_MODEL_MLP, EF_MODEL_NKINDS };

const char *ef_model_kind_name(int kind);          /* "lasso", "elasticnet", "xgboost", "mlp" */
int ef_model_kind_parse(const char *s, int *kind); /* 1 on success */

typedef struct ef_fit_opts {
    int kind;                  /* enum ef_model_kind */
    uint32_t seed;             /* random_state (default 42) */
    int folds;                 /* CV folds, unshuffled KFold (default 10) */
    int threads;               /* 0 = all cores */
    struct ef_pool *pool;      /* the job's threads (core/ef_pool.h); NULL: threads of the fit's own */
    /* linear models; 0 = the seed's values (Lasso max_iter 2000, ElasticNet 5000, tol 1e-4) */
    int max_iter;
    double tol;
    /* MLP: early stopping monitors a validation split carved from the training
     * rows (default), or -- seed mode -- the given rows (the seed's test set). */
    int seed_mode;
    const double *val_X, *val_y;
    size_t n_val;
    /* progress over grid points x folds; cancel checked between fits */
    void (*progress)(void *ud, size_t done, size_t total);
    void *progress_ud;
    volatile int *cancel;
    /* linear models: 0 = every CV fit from zero, as GridSearchCV (default);
     * 1 = warm starts along each fold's alpha path (ef_linear.h) */
    int cd_warm;
    /* NULL, or what fits of the same rows share (the scaler, the scaled rows,
     * the linear grids' fold problems): kept by the first fit for the next
     * ones on the very same X, y, n, p.  The caller clears it (or frees it)
     * when the rows change and never shares it between fits running at once. */
    struct ef_fit_cache *cache;
} ef_fit_opts;

typedef struct ef_fit_cache ef_fit_cache;
ef_fit_cache *ef_fit_cache_new(void);
void ef_fit_cache_clear(ef_fit_cache *c);
void ef_fit_cache_free(ef_fit_cache *c);

void ef_fit_opts_default(ef_fit_opts *o, int kind);

typedef struct ef_grid_point {
    char params[160];          /* "alpha=0.0163789" / "max_depth=3 gamma=0.5 lambda=10" */
    double mean_score, std_score;  /* mean/std of the folds' R2, as GridSearchCV */
} ef_grid_point;

typedef struct ef_fitted {
    int kind;
    size_t p;                  /* features */
    double *scale_mean, *scale_sd;   /* StandardScaler of the training rows */
    size_t n_const;            /* columns constant over them (scale 1: all 0 once scaled) */
    char best[160];            /* chosen parameters */
    ef_grid_point *grid;
    size_t ngrid;
    double *importance;        /* p values: |coef| (linear), gain (xgboost), or NULL */
    /* linear */
    double *coef, intercept;
    /* xgboost: the booster as XGBoost saves it (JSON) */
    char *booster;
    size_t booster_len;
    /* mlp: layer sizes and weights, float32, [W1 b1 W2 b2 ...] */
    size_t *mlp_sizes, mlp_nsizes;
    float *mlp_w;
    size_t mlp_nw;
    int epochs_run, best_epoch;
} ef_fitted;

/* X: n x p row-major (unscaled), y: n.  Rows must be finite; the target
 * must vary.  Constant columns are fitted as sklearn does: the scaler gives
 * them scale 1, so they enter every model as zeros and get no weight. */
int ef_model_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                 ef_fitted **out, ef_error *err);
int ef_model_predict(const ef_fitted *m, const double *X, size_t n, double *yhat, ef_error *err);
void ef_fitted_free(ef_fitted *m);

/* The columns a StandardScaler fitted on these n rows treats as constant
 * (sklearn's _is_constant_feature: var <= n eps var + (n mean eps)^2);
 * is_const (p flags, NULL allowed) marks them.  Returns their count. */
size_t ef_model_constant_columns(const double *X, size_t n, size_t p, unsigned char *is_const);

#endif
