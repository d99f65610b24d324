/* ef_replicate.h — the `replicate` stage: Khurshid et al.'s fixed Basic and
 * Deep ECG-VO2 models (ef_fixed.h) and the FRIEND / Wasserman / Jones
 * reference equations applied to every participant of /participants, with
 * predictions and metrics saved as results (ef_results.h: features
 * "fixed", models "khurshid-basic", "khurshid-deep-ecg-vo2", "friend",
 * "wasserman", "jones").
 *
 * A fixed model has no training rows: every participant of the cohort with
 * the inputs gets a prediction; those with the target are EF_SPLIT_TEST (so
 * "test" and "full" metrics are the same rows), the others EF_SPLIT_OTHER.
 * The cohort is the seed's by default: its replicated_*_model.py merge the
 * target file with eid_age2_sex_bmi2.csv, which holds only participants
 * with an instance-2 ECG file (has_ecg = 1) and age, sex and BMI; `all`
 * takes every participant of /participants instead.
 * Inputs: age, sex (UKB coding, recoded to 1 = female), bmi; Deep ECG-VO2
 * also /embeddings/NAME/values; the equations height (cm, field 50) and
 * weight (kg, field 21002).  The UKB test is a bike for every model. */
#ifndef EF_REPLICATE_H
#define EF_REPLICATE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "stats/ef_metrics.h"
#include "ukb/ef_registry.h"

enum ef_rep_model { EF_REP_BASIC, EF_REP_DEEP, EF_REP_FRIEND, EF_REP_WASSERMAN, EF_REP_JONES, EF_REP_NMODELS };

/* "basic" / "deep-ecg-vo2" / "friend" / "wasserman" / "jones" (the
 * command-line names; "khurshid-basic" etc. also accepted) -> enum, or -1. */
int ef_rep_model_parse(const char *name);
/* The result model name ("khurshid-basic", ...). */
const char *ef_rep_model_result_name(int model);

typedef struct ef_replicate_opts {
    const char *store_path;
    const char *coef_path;        /* NULL: the shipped coefficient file */
    const char *target;           /* NULL: "vo2max"; a column, registry key or UKB id ("30038-1.0") */
    const ef_registry *registry;  /* to resolve target names; may be NULL */
    const char *embeddings;       /* NULL: the only /embeddings group */
    const int *models;            /* enum ef_rep_model */
    size_t nmodels;
    int scale_mode;               /* enum ef_fixed_scale */
    int all;                      /* every participant with the inputs; 0: the seed's cohort */
    uint32_t seed;                /* bootstrap seed (42) */
    int nboot;                    /* EF_NBOOT */
    const char *options;          /* provenance text stored with the results */
} ef_replicate_opts;

void ef_replicate_opts_default(ef_replicate_opts *o);

typedef struct ef_replicate_row {
    int model;                    /* enum ef_rep_model */
    size_t predicted;             /* participants of the cohort with the inputs */
    size_t missing_inputs;        /* participants of the cohort without them */
    size_t with_target;           /* of the predicted: rows with the target (the metric rows) */
    int has_metrics;
    ef_metrics m;
} ef_replicate_row;

typedef struct ef_replicate_summary {
    char *target;                 /* the /participants column used */
    char *embeddings;             /* NAME used (NULL: no Deep ECG-VO2) */
    size_t emb_rows, emb_cols;
    size_t participants;          /* in /participants */
    size_t cohort;                /* of them in the cohort (all: every one) */
    int all;                      /* the cohort is every participant */
    int ecg_known;                /* /participants/has_ecg was there to restrict by */
    ef_replicate_row rows[EF_REP_NMODELS];
    size_t nrows;
} ef_replicate_summary;

/* Runs the models and saves each result (one atomic store update each).
 * EF_ENOTFOUND: no /participants, target, input column or embeddings;
 * EF_EDATA: embeddings whose width does not match the model's terms. */
int ef_replicate_run(const ef_replicate_opts *o, ef_replicate_summary *sum, ef_error *err);
/* The same run a bounded piece at a time, for a job's steps: the inputs,
 * then per model its predictions and metrics, its store update's begin and
 * writes, each slice of the commit.  o and sum must outlive the state;
 * step returns EF_CONTINUE until done. */
typedef struct ef_replicate_state ef_replicate_state;
ef_replicate_state *ef_replicate_start(const ef_replicate_opts *o, ef_replicate_summary *sum);
int ef_replicate_step(ef_replicate_state *st, ef_error *err);
/* Models saved so far and in all. */
void ef_replicate_progress(const ef_replicate_state *st, size_t *done, size_t *total);
void ef_replicate_state_free(ef_replicate_state *st);
void ef_replicate_summary_fini(ef_replicate_summary *sum);

/* The /participants column for a target name: the name itself if stored,
 * else the registry key it resolves to (a UKB id "30038-1.0" -> the key
 * whose rule is instance 1, "vo2max").  A new string in *col. */
int ef_replicate_target_column(const char *store_path, const ef_registry *reg, const char *name, char **col,
                               ef_error *err);

#endif
