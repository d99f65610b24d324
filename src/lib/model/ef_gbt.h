/* ef_gbt.h — boosted regression trees on quantile bins, built the way
 * libxgboost 1.7's "hist" method builds them for reg:squarederror on dense,
 * unweighted data: the same quantile cuts, the same histograms summed in the
 * same order, the same split gains rounded to float the same way, the same
 * tie-breaks and leaf values, so that the trees and the predictions are bit for
 * bit libxgboost's (tests/unit/test_gbt checks them against the library).
 *
 * Why: a grid of ~100-round boosters on a few hundred to a few thousand rows
 * spends nearly all its time in libxgboost's split search, which evaluates
 * every bin of every feature at every node through a general-purpose gain
 * function.  Here a bin no row of the node falls into is skipped (its candidate
 * split is the previous bin's, which cannot win a strict comparison) and the
 * gain is the one formula these parameters need.
 *
 * Scope: what the seed's grid uses (max_depth, gamma, lambda, eta, 256 bins,
 * min_child_weight 1, no subsampling).  ef_gbt_data_new returns NULL for data
 * outside it — a missing value, or a column with more distinct runs than
 * libxgboost's sketch keeps exactly — and the caller uses libxgboost. */
#ifndef EF_GBT_H
#define EF_GBT_H

#include <stddef.h>

typedef struct ef_gbt_data ef_gbt_data;
typedef struct ef_gbt_model ef_gbt_model;
typedef struct ef_gbt_work ef_gbt_work;

typedef struct {
    int max_depth;
    int rounds;
    float eta, gamma, lambda;
    float base_score;   /* the value libxgboost parsed (see ef_xgb.c) */
} ef_gbt_params;

/* Bins the n x p row-major training matrix X with labels y (both copied
 * as needed); NULL when outside the scope above. */
ef_gbt_data *ef_gbt_data_new(const float *X, const float *y, size_t n, size_t p);
void ef_gbt_data_free(ef_gbt_data *d);

/* Histogram buffers kept from one training to the next (about 1.3 MB per
 * tree level at 323 features): one per thread, so that a grid's boosters do
 * not fault fresh pages in, the kernel's page-table lock shared by all. */
ef_gbt_work *ef_gbt_work_new(void);
void ef_gbt_work_free(ef_gbt_work *w);

/* Trains q->rounds trees with work's buffers (NULL: its own); *cancel (may
 * be NULL) is polled between trees.  NULL when cancelled. */
ef_gbt_model *ef_gbt_train(const ef_gbt_data *d, const ef_gbt_params *q, ef_gbt_work *work,
                           const volatile int *cancel);
/* Predictions for the n x p row-major matrix X, as libxgboost's CPU predictor
 * sums them (float, tree by tree, from base_score). */
void ef_gbt_predict(const ef_gbt_model *m, const float *X, size_t n, double *yhat);
void ef_gbt_model_free(ef_gbt_model *m);

#endif
