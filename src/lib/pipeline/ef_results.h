/* ef_results.h — where model results live in the project store, shared by
 * `train`, `replicate`, `predict`, `report` and the exports.
 *
 *   /models/<target>/<features>/<model>/       the fitted model (train only):
 *       attrs kind, target, features, best, seed, test_size, n_train, n_test,
 *             n_dropped (rows with a missing feature or target), created...
 *       feature_names (strings), scale_mean, scale_sd, coef + attr intercept,
 *       booster (uint8, XGBoost JSON), mlp_sizes, mlp_w, grid_params (strings),
 *       grid_mean, grid_std, importance, train_eid, test_eid
 *   /predictions/<target>/<features>/<model>/  eid int64, y float64 (NaN when
 *       unknown), yhat float64, split int64 (EF_SPLIT_*); attrs target,
 *       features, model + provenance
 *   /metrics/<target>/<features>/<model>/<split>   attributes only:
 *       n, r, r_lo, r_hi, r2, mae, mse, rmse, r2_lo, r2_hi, mae_lo, mae_hi
 *
 * <target> is the /participants column (registry key or "30038-1.0");
 * <features> "basic", "ecg", "full", "ecg-params", "basic+ecg-params", a
 * file's base name, or "fixed" (replicated models); <model> "lasso",
 * "elasticnet", "xgboost", "mlp", "khurshid-basic", "khurshid-deep-ecg-vo2",
 * "friend", "wasserman", "jones". */
#ifndef EF_RESULTS_H
#define EF_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "stats/ef_metrics.h"
#include "store/ef_store.h"
#include "model/ef_model.h"

enum ef_split { EF_SPLIT_TRAIN = 0, EF_SPLIT_TEST = 1, EF_SPLIT_OTHER = 2, EF_SPLIT_FULL = 3 };
const char *ef_split_name(int split);   /* "train", "test", "other", "full" */

typedef struct ef_result_key {
    const char *target, *features, *model;
} ef_result_key;

/* One run's predictions (n rows) and their metrics for train, test and full
 * (train + test); rows of split OTHER have no metrics. */
typedef struct ef_result {
    ef_result_key key;
    size_t n;
    const int64_t *eid;
    const double *y, *yhat;
    const int8_t *split;
    ef_metrics metrics[3];        /* indexed by EF_SPLIT_TRAIN, EF_SPLIT_TEST, EF_SPLIT_FULL - 1 */
    int has_metrics[3];
} ef_result;

/* Compute metrics for train/test/full from y, yhat, split (seeded bootstrap). */
int ef_result_metrics(ef_result *r, uint32_t seed, int nboot, ef_error *err);
/* The same with the splits in parallel on the job's pool (NULL: this thread
 * only); identical results. */
struct ef_pool;
int ef_result_metrics_pool(ef_result *r, uint32_t seed, int nboot, struct ef_pool *pool, ef_error *err);

/* Write /predictions and /metrics for r into the store at store_path
 * (atomic update).  Replaces an earlier result with the same key. */
int ef_result_save(const char *store_path, const ef_result *r, const char *stage, const char *options,
                   ef_error *err);

/* Every stored result key (target, features, model), sorted; caller frees
 * with ef_result_keys_free. */
int ef_result_keys(const char *store_path, ef_result_key **keys, size_t *n, ef_error *err);
void ef_result_keys_free(ef_result_key *keys, size_t n);
/* Free the strings of one key of such a list (it may then be overwritten). */
void ef_result_keys_free_one(ef_result_key *k);
/* Read the stored metrics of one key and split (EF_SPLIT_TRAIN/TEST/FULL). */
int ef_result_read_metrics(const char *store_path, const ef_result_key *k, int split, ef_metrics *m,
                           ef_error *err);

/* --- beyond the shared core: used by train, predict, report, export --- */

/* ef_result_save's body on a store the caller opened with ef_store_begin
 * (so that a model and its predictions land in one atomic update). */
int ef_result_write(ef_store *s, const ef_result *r, const char *stage, const char *options,
                    ef_error *err);

/* A stored result read back: r points into the arrays held here. */
typedef struct ef_result_data {
    ef_result r;
    char *target, *features, *model;
    int64_t *eid;
    double *y, *yhat;
    int8_t *split;
} ef_result_data;

/* Read /predictions and /metrics of k.  EF_ENOTFOUND names the key and the
 * keys the store has. */
int ef_result_load(const char *store_path, const ef_result_key *k, ef_result_data *out,
                   ef_error *err);
void ef_result_data_fini(ef_result_data *d);

/* Parse "T/F/M" into a key whose strings point into buf (a copy of s). */
int ef_result_key_parse(const char *s, ef_result_key *k, char *buf, size_t size, ef_error *err);

/* The model of a train run, as /models/<target>/<features>/<model>/ holds it. */
typedef struct ef_stored_model {
    ef_fitted *fit;
    char **names;              /* feature_names [fit->p] */
    int64_t *train_eid, *test_eid;
    size_t n_train, n_test;
    char *features_spec;       /* the --features word ("basic", a file path) */
    char *embeddings;          /* embeddings name used, "" if none */
    char *rows;                /* cohort rule: "seed" or "complete" */
    double seed, test_size;
    double n_cohort, n_dropped;
} ef_stored_model;

/* Write m (fit, names, split eids and the attributes) under k. */
int ef_model_write(ef_store *s, const ef_result_key *k, const ef_stored_model *m,
                   const char *options, ef_error *err);
/* Read a stored model; EF_ENOTFOUND when k has none. */
int ef_model_load(const char *store_path, const ef_result_key *k, ef_stored_model *m,
                  ef_error *err);
void ef_stored_model_fini(ef_stored_model *m);

#endif
