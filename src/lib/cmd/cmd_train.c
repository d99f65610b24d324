/* cmd_train.c — `ecgfit [-C DIR] train`: the seed's models.py, as a matrix of
 * targets x feature sets x models, with a summary table at the end. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "core/ef_str.h"
#include "model/ef_model.h"
#include "pipeline/ef_features.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_train_stage.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const model_names[] = { "lasso", "elasticnet", "xgboost", "mlp", NULL };
static const char *const rows[] = { "seed", "complete", NULL };
static const char *const cd_paths[] = { "cold", "warm", NULL };
static const char *const fsets[] = { "basic", "ecg", "full", "ecg-params", "basic+ecg-params", NULL };

static const ef_opt_spec opts[] = {
    { "target", 0, EF_OPT_LIST, "T,...",
      "/participants columns by registry key (vo2max) or UKB id in\nany naming (30038-1.0, p30038_i1); `ecgfit labels --fields`\n"
      "extracts more", 0, 0, NULL, 0 },
    { "features", 0, EF_OPT_LIST, "F,...",
      "basic (age, sex, bmi), ecg (the embedding values),\nfull (both), ecg-params (the ECG device measurements),\n"
      "basic+ecg-params, or FILE: one column a line (a\n/participants column, emb:K, ecg:NAME)", 0, 0, NULL, 0 },
    { "model", 0, EF_OPT_LIST, "M,...", "lasso, elasticnet, xgboost, mlp", 0, 0, model_names, 0 },
    { "seed", 0, EF_OPT_INT, "S", "split and model random state (default 42)", 0, 4294967295.0, NULL, 0 },
    { "test-size", 0, EF_OPT_DOUBLE, "F", "test fraction (default 0.2)", 1e-12, 1 - 1e-12, NULL, 0 },
    { "embeddings", 0, EF_OPT_STRING, "NAME", "which /embeddings (default: the only one)", 0, 0, NULL, 0 },
    { "jobs", 'j', EF_OPT_INT, "N", "threads (default: all cores)", 1, 256, NULL, 0 },
    { "seed-mode", 0, EF_OPT_FLAG, NULL,
      "MLP early stopping monitors the test set, as the seed did\n(optimistic test metrics); default: a validation split",
      0, 0, NULL, 0 },
    { "bootstrap", 0, EF_OPT_INT, "N", "resamples for the R2 and MAE CIs (default 1000; 0: none)", 0, 1000000, NULL,
      0 },
    { "rows", 0, EF_OPT_CHOICE, "seed|complete",
      "seed (default): the seed's rows, participants with an ECG,\nage, sex and BMI (and an embedding when the store has\n"
      "them), so that every feature set shares the split;\ncomplete: every participant with the features and target", 0,
      0, rows, 0 },
    { "folds", 0, EF_OPT_INT, "K", "CV folds (default 10)", 2, 1000, NULL, 0 },
    { "cd-path", 0, EF_OPT_CHOICE, "cold|warm",
      "Lasso/ElasticNet CV fits: cold (default) starts each\nfrom zero, as GridSearchCV; warm walks each fold's alphas\n"
      "largest first from the previous fit (faster; the choice\nthen matches sklearn's only within its tolerance)", 0, 0,
      cd_paths, 0 },
};

/* After the job refused a target: one that is close to a column is a typo
 * (1: err is a usage error with a did-you-mean); otherwise the library's
 * message (which says how to extract it) stands. */
static int target_typo(const char *store_path, char *const *t, size_t n, ef_error *err)
{
    ef_store *s;
    char *key = NULL, hint[128];
    int rc = EF_OK;

    if (ef_store_open_read(&s, store_path, NULL) != EF_OK)
        return 0;   /* the job's message stands */
    for (size_t i = 0; rc == EF_OK && i < n; i++) {
        if (ef_resolve_column(s, NULL, t[i], "target", &key, NULL) == EF_OK) {
            free(key);
            continue;
        }
        if (ef_resolve_closest(s, t[i], hint, sizeof hint))
            rc = ef_cmd_usage(err, "--target: '%s' is not a /participants column; did you mean %s?", t[i], hint);
    }
    ef_store_close(s);
    return rc == EF_EUSAGE;
}

/* A --features word that is neither a named set nor a file is a typo. */
static int check_features(char *const *f, size_t n, ef_error *err)
{
    struct stat st;

    for (size_t i = 0; i < n; i++) {
        const char *hint;

        if (ef_features_is_named(f[i]) || stat(f[i], &st) == 0)
            continue;
        hint = ef_suggest(f[i], fsets, sizeof fsets / sizeof fsets[0] - 1);
        return ef_cmd_usage(err, "--features: '%s' is neither a feature set (basic, ecg, full, ecg-params, "
                                 "basic+ecg-params) nor a file%s%s%s", f[i], hint ? "; did you mean " : "",
                            hint ? hint : "", hint ? "?" : "");
    }
    return EF_OK;
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    size_t nt = 0, nf = 0, nm = 0, i;
    char *const *targets = ef_args_list(a, "target", &nt);
    char *const *features = ef_args_list(a, "features", &nf);
    char *const *models = ef_args_list(a, "model", &nm);
    int kinds[EF_MODEL_NKINDS * 4];
    ef_train_opts o;
    ef_project p;
    int rc;

    if (!nt || !nf || !nm)
        return ef_cmd_usage(err, "give --target, --features and --model (e.g. --target vo2max --features basic "
                                 "--model lasso)");
    if (nm > sizeof kinds / sizeof kinds[0])
        return ef_cmd_usage(err, "--model: at most %zu models", sizeof kinds / sizeof kinds[0]);
    for (i = 0; i < nm; i++)
        ef_model_kind_parse(models[i], &kinds[i]);
    rc = check_features(features, nf, err);
    if (rc != EF_OK)
        return rc;
    ef_train_opts_default(&o);
    o.threads = (int)ef_args_long(a, "jobs", ctx->jobs);
    o.seed = (uint32_t)ef_args_long(a, "seed", (long)o.seed);
    o.test_size = ef_args_double(a, "test-size", o.test_size);
    o.embeddings = ef_args_str(a, "embeddings", NULL);
    o.seed_mode = ef_args_given(a, "seed-mode") > 0;
    o.nboot = (int)ef_args_long(a, "bootstrap", o.nboot);
    o.rows = strcmp(ef_args_str(a, "rows", "seed"), "complete") == 0 ? EF_ROWS_COMPLETE : EF_ROWS_SEED;
    o.folds = (int)ef_args_long(a, "folds", o.folds);
    o.cd_warm = strcmp(ef_args_str(a, "cd-path", "cold"), "warm") == 0;
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK)
        return rc;
    o.store_path = p.store_path;
    o.targets = (const char *const *)targets;
    o.ntargets = nt;
    o.features = (const char *const *)features;
    o.nfeatures = nf;
    o.models = kinds;
    o.nmodels = nm;
    rc = ef_train_job_new(job, &o, err);   /* copies what it keeps */
    if (rc == EF_ENOTFOUND && target_typo(p.store_path, targets, nt, err))
        rc = EF_EUSAGE;
    ef_project_fini(&p);
    return rc;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_train_summary *s = ef_train_job_summary(job);
    ef_project p;
    size_t i;

    (void)a;
    for (i = 0; i < s->nrows; i++) {
        const ef_train_row *r = &s->rows[i];

        /* once per design: its models share the training rows */
        if (r->n_const && (i == 0 || strcmp(r->target, r[-1].target) || strcmp(r->features, r[-1].features)))
            ef_warn(ctx, "%zu of %zu feature columns are constant in the training rows of %s/%s (scaled to 0 "
                         "as sklearn does): %s", r->n_const, r->p, r->target, r->features, r->const_names);
        if (r->warning[0])
            ef_warn(ctx, "%s/%s/%s: %s", r->target, r->features, r->model, r->warning);
    }
    if (!ctx->quiet && s->nrows && ef_project_load(&p, ctx->project_dir, NULL) == EF_OK) {
        ef_table *t = ef_report_train_summary(s);

        for (i = 0; i < s->nrows; i++) {
            const ef_train_row *r = &s->rows[i];

            ef_out(ctx, "%s/%s/%s: %zu features; %zu rows in the cohort, %zu dropped (missing feature or target), "
                        "%zu train + %zu test; %zu other participants predicted; %.1f s\n",
                   r->target, r->features, r->model, r->p, r->n_cohort, r->n_dropped, r->n_train, r->n_test,
                   r->n_other, r->seconds);
        }
        ef_out(ctx, "\n");
        ef_out_table(ctx, t, EF_TABLE_TEXT, 0, "`ecgfit report --wide` shows every column");
        ef_table_free(t);
        ef_out(ctx, "\nWrote /models, /predictions and /metrics to %s%s%s%s\n", p.store_path,
               s->embeddings[0] ? " (embeddings " : "", s->embeddings, s->embeddings[0] ? ")" : "");
        ef_project_fini(&p);
    }
    if (rc == EF_ECANCELED)
        ef_error_set(err, EF_ECANCELED, "train interrupted; the %zu finished fit%s are in the store", s->nrows,
                     s->nrows == 1 ? "" : "s");
    return rc;
}

const ef_cmd ef_cmd_train = {
    .name = "train",
    .summary = "fit Lasso / ElasticNet / XGBoost / MLP models",
    .synopsis = "[-C DIR] train --target T[,T...] --features F[,F...] --model M[,M...] [--seed 42]\n"
                "              [--test-size 0.2] [--embeddings NAME] [--jobs N] [--seed-mode] [--bootstrap 1000]\n"
                "              [--rows seed|complete] [--folds 10] [--cd-path cold|warm]",
    .intro = "Fits every target x feature set x model, the way the seed's models.py did:\n"
             "the rows in main-CSV order, the split train_test_split(test_size, random_state)\n"
             "bit for bit, a StandardScaler on the training rows, the seed's grid with\n"
             "unshuffled 10-fold CV scored by R2, a refit on all training rows.  Predicts\n"
             "the training and test rows and every other participant with the features,\n"
             "and writes /models/T/F/M, /predictions/T/F/M and /metrics/T/F/M (train, test,\n"
             "full) to the store.  Prints a summary table.\n",
    .outro = "Rows with a missing feature or target are dropped and counted; an infinite\n"
             "value in the store is an error.  Identical feature columns (a singular design)\n"
             "are reported: the linear models still give one fit.  Columns constant over the\n"
             "training rows (e.g. dead encoder units) are kept and reported in one warning:\n"
             "as the seed's StandardScaler, the scaling turns them into zeros, which change\n"
             "no Lasso, ElasticNet or XGBoost result.  A constant target is an error.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
