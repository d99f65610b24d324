/* ef_labels.h — the `labels` stage: stream the UKB main CSV, extract the
 * registry columns with their instance rules and special-code policy, note
 * who has an instance-K ECG file, and write /participants to the store.
 *
 * Replaces the seed's extract_ukbb_labels.py, blood_pressure_averager.py and
 * process_ukbb_demographics.py.
 *
 * Without a column list it extracts every registry field the CSV has and
 * lists the others (a real application never has them all); a field named
 * in the list must be there.  Age, sex and BMI are always tried; an extract
 * without one still runs (train then refuses the feature sets needing it).
 * Columns already in the store that this run does not extract are kept,
 * aligned to this run's participants by eid, unless opts.replace.  A steppable job (ef_job): the store is only
 * replaced, atomically, when the whole CSV has been read. */
#ifndef EF_LABELS_H
#define EF_LABELS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "ukb/ef_registry.h"

enum ef_special_mode {
    EF_SPECIAL_REGISTRY = 0,  /* per field, as fields.tsv says (default) */
    EF_SPECIAL_SEED = 1       /* the seed: drop -3, -7, -818 from every field */
};

typedef struct ef_labels_opts {
    const char *main_csv;
    const char *ecg_dir;          /* NULL: no ECG folder (funnel skips that step) */
    const char *store_path;
    const ef_registry *registry;  /* borrowed unless registry_owned */
    const char *const *columns;   /* keys or UKB ids; NULL: every registry field */
    size_t ncolumns;
    int special_mode;             /* enum ef_special_mode */
    int manual_bp;                /* sbp/dbp fall back to the manual readings 93/94 */
    int ecg_instance;             /* instance of {eid}_20205_{K}_0.xml, default 2 */
    int threads;                  /* CSV parser threads */
    int strict;                   /* any rejected row fails the stage */
    int replace;                  /* drop every stored /participants column first; by
                                     default columns this run does not extract are kept */
    const char *rejects_path;     /* where the rejected rows are listed (NULL: nowhere) */
    int registry_owned;           /* the job frees registry (also when job_new fails) */
} ef_labels_opts;

void ef_labels_opts_default(ef_labels_opts *o);

typedef struct ef_labels_target {
    const char *key, *label, *role;
    size_t n;                     /* among rows with ECG + age, sex, BMI */
    size_t n_all;                 /* among all accepted rows */
    size_t n_excluded;            /* special-code cells set to missing */
} ef_labels_target;

typedef struct ef_labels_summary {
    size_t rows;                  /* data rows in the CSV (accepted + rejected) */
    size_t rejected;
    size_t ecg_files;             /* matching ECG files found in the folder */
    size_t with_ecg;              /* accepted rows with an ECG file */
    size_t with_demographics;     /* ... and age, sex, BMI */
    size_t ntargets;
    const ef_labels_target *targets;  /* every extracted column except age/sex/bmi */
    size_t nrejects_kept;
    const char *const *rejects;   /* "FILE:LINE: message", first ones kept */
    const char *rejects_path;     /* the list written (opts.rejects_path), NULL if none */
    int special_mode;
    int ecg_instance;
    size_t nabsent;               /* registry fields not in this extract (default run) */
    const char *const *absent;    /* "height (50-2.0; has 50-0.0)" */
    const char *missing_demographics; /* "" or "age", "sex, bmi": not in the extract */
    size_t nkept;                 /* store columns kept, not re-extracted */
    const char *const *kept;
    size_t kept_rows_dropped;     /* stored participants absent from this CSV: their
                                     kept values are gone */
} ef_labels_summary;

int ef_labels_job_new(ef_job **out, const ef_labels_opts *opts, ef_error *err);
/* Valid after the job returned EF_OK, until the job is freed. */
const ef_labels_summary *ef_labels_job_summary(ef_job *job);

#endif
