/* ef_export.h — store contents as files other tools read: `export labels`
 * (CSV/TSV, and the seed pipeline's per-field files), `export ecg` (the
 * seed's DIR/EID.npy, or one ECG as CSV), `export embeddings` (the seed's
 * CSV, ml4h's TSV), `export predictions` and `export metrics`.
 *
 * Outputs are a path, or "-" for the stream std the front end gives (its
 * standard output); std NULL makes "-" an ordinary file name. */
#ifndef EF_EXPORT_H
#define EF_EXPORT_H

#include <stddef.h>
#include <stdio.h>
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "pipeline/ef_features.h"
#include "pipeline/ef_results.h"

/* ---- output files -------------------------------------------------------- */

/* path "-" with std: std; else a new file ("cannot create" error). */
int ef_export_open(const char *path, FILE *std, FILE **fp, ef_error *err);
/* Flush std, or close the file; a write error is "write failed" unless rc
 * already is an error; a file is removed when the outcome is an error, so
 * that no half-written table is left.  Returns the outcome. */
int ef_export_close(FILE *fp, FILE *std, const char *path, int rc, ef_error *err);

/* ---- labels -------------------------------------------------------------- */

/* eid and every /participants column of d (ef_fdata_load_participants), one
 * row per participant, empty cells for missing values; sep ',' or '\t'. */
int ef_export_labels(const ef_fdata *d, const char *path, FILE *std, char sep, ef_error *err);
/* The seed pipeline's files in dir (created if needed): FIELD-I.A.csv per
 * single-instance column, SYSTOLIC_BP_mean.csv / DIASTOLIC_BP_mean.csv for
 * the i2 means, eid_age2_sex_bmi2.csv (participants with an ECG file and
 * all three values); numbers as pandas writes them.  *nfiles: files written. */
int ef_export_seed_layout(const ef_fdata *d, const char *dir, size_t *nfiles, ef_error *err);

/* ---- model results ------------------------------------------------------- */

/* eid,<target>,<target>_predicted,split of the stored result k (its target
 * in any spelling); split NULL: every row, else only "train", "test" or
 * "other".  *nrows: data rows written. */
int ef_export_predictions(const char *store_path, const ef_result_key *k, const char *split, const char *path,
                          FILE *std, size_t *nrows, ef_error *err);
/* One row per stored target x features x model x split (train, test, full)
 * with its metrics; targets[0..nt-1] (any spelling) keep only those.
 * project_dir names the project in the "run train first" message. */
int ef_export_metrics(const char *store_path, const char *project_dir, char *const *targets, size_t nt,
                      const char *path, FILE *std, size_t *nrows, ef_error *err);

/* ---- ECGs (/ecg/signal over DIR/ecg-data) -------------------------------- */

typedef struct ef_export_ecg_opts {
    const char *store_path, *project_dir;
    int npy;                      /* 1: out is a folder of EID.npy; 0: one ECG as CSV */
    long long eid;                /* the ECG of the CSV */
    const char *out;
    FILE *std;                    /* for out "-" (CSV only) */
} ef_export_ecg_opts;

typedef struct ef_export_ecg_summary {
    size_t nfiles;                /* .npy files written; 1 for the CSV */
    size_t samples;               /* per lead */
    char units[32];               /* /ecg's units attribute, "?" if none */
} ef_export_ecg_summary;

/* A job reading /ecg in slices of a few ECGs (it copies the strings of o). */
int ef_export_ecg_job_new(ef_job **out, const ef_export_ecg_opts *o, ef_error *err);
const ef_export_ecg_summary *ef_export_ecg_summary_of(ef_job *job);
/* One ECG of /ecg/signal (the reads of `export ecg`): samples x 12 floats
 * into *signal (caller frees) and /ecg's units attribute ("?" if none).
 * EF_ENOTFOUND without /ecg or without that eid. */
int ef_export_ecg_read(const char *store_path, const char *project_dir, long long eid, float **signal,
                       size_t *samples, char units[32], ef_error *err);

/* ---- embeddings (/embeddings/NAME over DIR/emb-data/NAME) ---------------- */

typedef struct ef_export_emb_opts {
    const char *store_path, *project_dir;
    const char *name;             /* NULL: the store's only embeddings */
    int tsv;                      /* ml4h's sample_id, latent_0 ... (else eid, pclr_output_0 ...) */
    const char *out;
    FILE *std;
} ef_export_emb_opts;

typedef struct ef_export_emb_summary {
    char name[64];                /* the embeddings written */
    size_t n, k;                  /* rows, values each */
} ef_export_emb_summary;

int ef_export_emb_job_new(ef_job **out, const ef_export_emb_opts *o, ef_error *err);
const ef_export_emb_summary *ef_export_emb_summary_of(ef_job *job);

#endif
