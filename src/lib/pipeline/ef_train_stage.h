/* ef_train_stage.h — the `train` stage (the seed's models.py): for each
 * target x feature set x model, the design (ef_features.h), the seed's
 * split (ef_split.h), the fit (ef_model.h: scaler + grid CV + refit),
 * predictions for train, test and every other participant with the
 * features, metrics (ef_results.h), and the model, predictions and metrics
 * written to the store, one atomic update per result.
 *
 * A steppable job: each fit runs in a worker thread (the models use their
 * own threads too) while the steps poll it, so a front end stays responsive;
 * cancel stops the fit at its next grid point, and results finished before
 * stay in the store.  Only the stepping thread touches HDF5.
 *
 * Also `predict`: a stored model applied to the store's current data. */
#ifndef EF_TRAIN_STAGE_H
#define EF_TRAIN_STAGE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "pipeline/ef_features.h"
#include "pipeline/ef_results.h"

typedef struct ef_train_opts {
    const char *store_path;
    const char *const *targets;   /* column names or UKB ids */
    size_t ntargets;
    const char *const *features;  /* feature-set words (ef_features.h) */
    size_t nfeatures;
    const int *models;            /* enum ef_model_kind */
    size_t nmodels;
    uint32_t seed;                /* split and model random_state (42) */
    double test_size;             /* 0.2 */
    const char *embeddings;       /* NULL: the store's only embeddings */
    int rows;                     /* enum ef_rows (EF_ROWS_SEED) */
    int threads;                  /* 0: all cores */
    int folds;                    /* 10 */
    int seed_mode;                /* MLP early stopping on the test rows, as the seed */
    int nboot;                    /* bootstrap resamples for the CIs (EF_NBOOT) */
    int cd_warm;                  /* Lasso/ElasticNet CV: warm starts (ef_fit_opts.cd_warm) */
} ef_train_opts;

void ef_train_opts_default(ef_train_opts *o);

/* One finished (or failed) fit of the matrix. */
typedef struct ef_train_row {
    char target[128], features[EF_FSET_NAME_MAX], model[32];
    int status;                   /* EF_OK, or the error of this fit */
    char error[EF_ERROR_MSG_MAX];
    size_t p, n_train, n_test, n_other, n_cohort, n_dropped;
    char best[160];
    ef_metrics m[3];              /* train, test, full */
    double seconds;
    char warning[512];            /* e.g. identical columns (a singular design) */
    size_t n_const;               /* feature columns constant over the training rows
                                     (fitted as zeros, as sklearn's StandardScaler does) */
    char const_names[160];        /* the first few of them, "emb:8, emb:12 and 61 more" */
} ef_train_row;

typedef struct ef_train_summary {
    size_t nrows;                 /* fits done so far */
    const ef_train_row *rows;
    size_t nfail;
    char embeddings[64];          /* name used, "" if none */
} ef_train_summary;

/* Checks every target and feature set against the store before any fit
 * (EF_ENOTFOUND / EF_EINVAL / EF_EDATA, see ef_features.h). */
int ef_train_job_new(ef_job **out, const ef_train_opts *o, ef_error *err);
const ef_train_summary *ef_train_job_summary(ef_job *job);

/* `predict`: apply the stored model k to every participant with its
 * features; split from the stored train/test eids; writes /predictions
 * and /metrics of k.  EF_EDATA when the data's columns differ from the
 * model's feature_names.  *n_pred (NULL allowed) gets the rows predicted. */
int ef_predict_stored(const char *store_path, const ef_result_key *k, int nboot, size_t *n_pred,
                      ef_error *err);

#endif
