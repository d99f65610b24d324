/* ef_report.h — the stored results as tables (ef_table): the model
 * comparison with Bland-Altman agreement, the top features of a fitted
 * model, the paired Delta R2 of two results, and the summary tables the
 * train and replicate stages print.  Front ends (CLI, TUI) only render. */
#ifndef EF_REPORT_H
#define EF_REPORT_H

#include <stddef.h>
#include "core/ef_error.h"
#include "pipeline/ef_replicate.h"
#include "pipeline/ef_results.h"
#include "pipeline/ef_train_stage.h"
#include "stats/ef_table.h"

/* One row per key with metrics on split (EF_SPLIT_TRAIN, TEST or FULL),
 * by target, the published (fixed) models after the trained ones:
 * n, r, R2, MAE with their CIs, RMSE, Bland-Altman bias [limits of
 * agreement] and the chosen hyper-parameters.  expanded: one column per
 * number (r, r_lo, r_hi, ...) and the split, as a CSV export wants. */
int ef_report_comparison(const char *store_path, const ef_result_key *keys, size_t nk, int split, int expanded,
                         ef_table **out, ef_error *err);

/* The top features of the model fitted under k, by |coef| (linear) or
 * gain (XGBoost).  *out is NULL when k has no ranking (a fixed model, or
 * one without importances). */
int ef_report_top_features(const char *store_path, const ef_result_key *k, size_t top, ef_table **out,
                           ef_error *err);

/* The ranking behind ef_report_top_features: every feature of the model
 * fitted under k, by importance, largest first (ties by column order).
 * EF_ENOTFOUND when k has no fitted model (a fixed, replicated one);
 * r->p == 0 when the model keeps no importances. */
typedef struct ef_report_rank {
    size_t p;
    char **names;          /* [p], largest first */
    double *value;         /* importance: |coef| per SD (linear) or gain (XGBoost) */
    double *coef;          /* coefficient per SD, NULL when the model has none */
    const char *measure;   /* "abs(coef)", "gain" or "importance" */
    char *best;            /* the chosen hyper-parameters */
    double cv_mean, cv_sd; /* their cross-validated R2 over the folds (NaN: no grid kept) */
    size_t ngrid;          /* grid points tried */
} ef_report_rank;
int ef_report_rank_load(const char *store_path, const ef_result_key *k, ef_report_rank *r, ef_error *err);
void ef_report_rank_fini(ef_report_rank *r);

/* The targets a model can be trained on: the /participants columns whose
 * role is "target", in store order, with their label and the rows that
 * have it with an ECG, age, sex and BMI (n; -1 when labels did not count).
 * *out: free with ef_report_targets_free. */
typedef struct ef_report_target {
    char *key, *label, *unit;   /* unit: "" when the column has none */
    long long n;
} ef_report_target;
int ef_report_targets(const char *store_path, ef_report_target **out, size_t *n, ef_error *err);
void ef_report_targets_free(ef_report_target *t, size_t n);

/* "T/F/M1,T/F/M2": R2(A) - R2(B) on the test rows both share (matched by
 * eid) with a paired bootstrap 95% CI (seed 42).  Targets in any spelling. */
int ef_report_compare(const char *store_path, const char *spec, ef_table **out, ef_error *err);

/* The joins behind those tables.  Rows of split (FULL: train + test) with
 * both values into y, yhat (d->r.n each); returns how many. */
size_t ef_report_split_rows(const ef_result_data *d, int split, double *y, double *yhat);
/* Test rows of a that b also has as test rows (by eid): the measured value
 * (from a) and both predictions, a->r.n each; returns how many. */
size_t ef_report_pair_test(const ef_result_data *a, const ef_result_data *b, double *y, double *ya,
                           double *yb);

/* The table `train` prints at the end, and the one `replicate` prints. */
ef_table *ef_report_train_summary(const ef_train_summary *s);
ef_table *ef_report_replicate_summary(const ef_replicate_summary *s);

#endif
