/* ef_features.h — the design matrix of a model: which participants, which
 * columns, in which order (the seed's models.py merges, re-stated).
 *
 * Feature sets (`train --features`):
 *   basic             age, sex, bmi (/participants)
 *   ecg               the values of /embeddings/NAME, named "emb:0" ...
 *   full              basic + ecg
 *   ecg-params        the device measurements of /ecg/measurements, named
 *                     "ecg:vent_rate" ... (Khurshid's "ECG parameters")
 *   basic+ecg-params  basic + ecg-params
 *   FILE              a text file, one column a line: any /participants
 *                     column (key or UKB id as stored), "emb:K", "ecg:NAME";
 *                     '#' starts a comment; the set is named after the file
 *                     (base name without extension)
 *
 * Rows keep the /participants order (the main CSV's, which the seed's inner
 * merges keep); the split follows the seed's order of the target's file
 * (ef_design_seed_order).  Cohorts:
 *   EF_ROWS_SEED      the seed's rows: participants with an ECG file
 *                     (has_ecg = 1, when labels saw the ECG folder), age,
 *                     sex and BMI (its eid_age2_sex_bmi2.csv), and, when the
 *                     store holds the embeddings, an embedding (its merge
 *                     with the embeddings file).  Every feature set of a
 *                     target then shares the same rows, hence the same
 *                     split and test rows (paired comparisons).
 *   EF_ROWS_COMPLETE  every participant with the features and the target.
 * Within the cohort, rows with any missing (NaN) feature or target are
 * dropped and counted, as the seed's dropna; an infinite value anywhere is
 * an error (EF_EDATA), never a silent drop. */
#ifndef EF_FEATURES_H
#define EF_FEATURES_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

enum ef_rows { EF_ROWS_SEED = 0, EF_ROWS_COMPLETE = 1 };

/* The store's per-participant data, in /participants order. */
typedef struct ef_fdata {
    char *store_path;
    size_t n;
    int64_t *eid;
    size_t ncols;
    char **names;          /* /participants columns (not eid) */
    double **col;          /* ncols x n */
    char **field, **rule;  /* their attributes ("" when absent) */
    unsigned char *pandas_int; /* labels stored the column as one pandas reads as int64 */
    const struct ef_registry *reg; /* the installed registry, shared (NULL if unreadable) */
    const double *has_ecg; /* alias of a column, or NULL */
    /* embeddings mapped onto participant rows (NaN rows: none) */
    char emb_name[64];     /* "" when the store has none */
    size_t emb_dim;
    float *emb;            /* n x emb_dim, NULL until loaded */
    unsigned char *has_emb;/* n flags, NULL when the store has no embeddings */
    /* device measurements mapped onto participant rows */
    size_t nmeas;
    char **meas_names;
    double **meas;         /* nmeas x n */
} ef_fdata;

/* Read /participants, the ids of /embeddings/EMB (emb_name NULL: the only
 * embeddings; none is fine) and /ecg/measurements.  Embedding values are
 * read only when load_values.  EF_ENOTFOUND without /participants (the
 * message says to run labels), or for an unknown emb_name. */
int ef_fdata_load(const char *store_path, const char *emb_name, int load_values, ef_fdata **out,
                  ef_error *err);
/* The same, the stored chunks inflated on up to THREADS threads of pool (the
 * job's; NULL: a pool for the call). */
struct ef_pool;
int ef_fdata_load_pool(const char *store_path, const char *emb_name, int load_values, struct ef_pool *pool,
                       int threads, ef_fdata **out, ef_error *err);
/* /participants alone (no registry, embeddings or measurements): the
 * loader of `export labels`, where several embeddings are no error. */
int ef_fdata_load_participants(const char *store_path, ef_fdata **out, ef_error *err);
void ef_fdata_free(ef_fdata *d);

/* The /participants column of a target named by column name, registry key
 * or UKB id in any dialect (ef_names.h: "30038-1.0", "p30038_i1" name the
 * column with that field and rule).
 * EF_ENOTFOUND says which columns exist and to run labels --fields. */
int ef_fdata_target(const ef_fdata *d, const char *name, size_t *col, ef_error *err);

/* Expand a --features word into column names (new strings; free with
 * ef_features_free_names) and the set's store name (set_name, size
 * EF_FSET_NAME_MAX).  Checks that every column exists (EF_ENOTFOUND) and
 * has no duplicates (EF_EINVAL); FILE errors name FILE:LINE. */
#define EF_FSET_NAME_MAX 64
int ef_features_expand(const ef_fdata *d, const char *spec, char ***names, size_t *p,
                       char *set_name, ef_error *err);
void ef_features_free_names(char **names, size_t p);
/* 1 if spec is one of the named sets (not a file). */
int ef_features_is_named(const char *spec);

/* A design: usable rows of the cohort (target and all features present),
 * and the other participants that have all features (target unknown or
 * outside the cohort), for prediction. */
typedef struct ef_design {
    size_t p;
    size_t n;              /* usable rows */
    size_t *row;           /* participant row of each usable row */
    double *X, *y;         /* n x p, n */
    size_t n_other;
    size_t *other_row;
    double *X_other, *y_other;  /* n_other x p; y NaN when unknown */
    size_t n_cohort;       /* cohort rows before dropping */
    size_t n_dropped;      /* cohort rows dropped for a missing feature or target */
} ef_design;

/* Build the design of target column tcol (SIZE_MAX: no target; every row
 * with the features is usable, y is NaN) over features names[0..p-1].
 * EF_EDATA for an infinite value (naming column and eid), a target that is
 * also a feature, and (with a target) a constant target over the usable
 * rows.  Constant features are kept (the models fit them as zeros). */
int ef_design_build(const ef_fdata *d, size_t tcol, char *const *names, size_t p, int rows,
                    ef_design *out, ef_error *err);
void ef_design_fini(ef_design *x);

/* The seed's row order of a target, by the rule its /participants column
 * was made with.  The seed made a mean of readings (rule iK.mean: its
 * SYSTOLIC_BP_mean / DIASTOLIC_BP_mean) with blood_pressure_averager.py,
 * which joins the two readings' files on an eid index with how='outer':
 * pandas sorts that union, so the file, the merges on it and the split
 * follow ascending eid.  Every other seed file is an extract in main-CSV
 * order.  Nonzero: eid order. */
int ef_seed_order_by_eid(const char *rule);

/* The usable rows of x in the seed's order for target column tcol: order[k]
 * is the design row the seed has at position k (by ascending eid for an
 * averaged target, else the identity).  train_test_split indexes this
 * order. */
void ef_design_seed_order(const ef_fdata *d, size_t tcol, const ef_design *x, size_t *order);

/* Pairs of identical non-constant columns over the usable rows (a singular design):
 * up to max pairs (a, b) with a < b into pairs[2 * k]; returns the count. */
size_t ef_design_duplicates(const ef_design *x, size_t *pairs, size_t max);

#endif
