/* ef_model_int.h — what each model kind implements for the facade.  X is
 * already scaled; the kind fills its part of *m (grid, best, coefficients or
 * booster or weights, importance). */
#ifndef EF_MODEL_INT_H
#define EF_MODEL_INT_H

#include "model/ef_model.h"
#include "stats/ef_numpy.h"

/* The linear grids' fold problems kept in a fit cache (NULL without one). */
struct ef_enet_prep *ef_fit_cache_enet(ef_fit_cache *c);

int ef_linear_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                  ef_fitted *m, ef_error *err);
int ef_linear_predict(const ef_fitted *m, const double *X, size_t n, double *yhat);

int ef_xgb_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
               ef_fitted *m, ef_error *err);
int ef_xgb_predict(const ef_fitted *m, const double *X, size_t n, double *yhat, ef_error *err);

int ef_mlp_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
               ef_fitted *m, ef_error *err);
int ef_mlp_predict(const ef_fitted *m, const double *X, size_t n, double *yhat, ef_error *err);

/* KFold(k) without shuffling, as sklearn: the first n % k folds get one extra row.
 * start[0..k], fold f = [start[f], start[f+1]). */
void ef_kfold_bounds(size_t n, int k, size_t *start);

/* StandardScaler.fit on n x p row-major X: column means and population SDs
 * (sklearn's two-pass corrected variance); a constant column (sklearn's
 * _is_constant_feature test) gets scale 1.  Returns the
 * number of constant columns. */
size_t ef_scaler_fit(const double *X, size_t n, size_t p, double *mean, double *scale);
/* out = (X - mean) / scale; out may equal X. */
void ef_scaler_apply(const double *X, size_t n, size_t p, const double *mean,
                     const double *scale, double *out);

#endif
