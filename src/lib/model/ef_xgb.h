/* ef_xgb.h — the XGBoost kind's one extra knob: the starting prediction.
 *
 * ef_xgb_fit (ef_model_int.h) sets base_score to the mean of each fit's
 * training labels, which is what xgboost >= 2.0 does for squared error (it
 * estimates base_score from the labels) and what the seed's unpinned
 * requirements most likely ran.  XGBoost 1.7.4, the version Debian ships and
 * ecgfit links, would start from 0.5 instead: EF_XGB_BASE_05 reproduces that. */
#ifndef EF_XGB_H
#define EF_XGB_H

#include "model/ef_model_int.h"

enum ef_xgb_base { EF_XGB_BASE_MEAN, EF_XGB_BASE_05 };

int ef_xgb_fit_ex(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                  int base_mode, ef_fitted *m, ef_error *err);

#endif
