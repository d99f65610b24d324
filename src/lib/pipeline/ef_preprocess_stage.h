/* ef_preprocess_stage.h — the `preprocess` stage: every ECG XML of the
 * project (instance K), read and preprocessed by worker threads, written in
 * input order into immutable part files (ef_ecg_parts.h), then folded into
 * the store's /ecg (unless it is one shard of a K/N split: `merge` folds).
 *
 * Resumes: ECGs already in a complete part made with the same options are
 * skipped (parts made with other options make the stage refuse, unless
 * restart).  Cancel seals the part being filled, so nothing done is lost. */
#ifndef EF_PREPROCESS_STAGE_H
#define EF_PREPROCESS_STAGE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "ecg/ef_preprocess.h"
#include "pipeline/ef_ecg_parts.h"

typedef struct ef_preprocess_stage_opts {
    const char *project_dir;
    const char *ecg_dir;
    const char *store_path;
    ef_pp_opts pp;
    int ecg_instance;       /* default 2 */
    int threads;            /* worker threads; 1: all work in the stepping thread */
    int shard_k, shard_n;   /* 1-based K of N; 0/0: no sharding */
    int restart;            /* delete old parts first */
    size_t limit;           /* process at most this many files this run (0: all) */
    size_t part_max;        /* ECGs per part (0: EF_ECG_PART_MAX) */
    int deflate_level;      /* compress /signal chunks (shuffle + deflate), 0: none */
} ef_preprocess_stage_opts;

void ef_preprocess_stage_opts_default(ef_preprocess_stage_opts *o);

typedef struct ef_preprocess_summary {
    size_t files_found;     /* ECG files in this run's slice */
    size_t resumed;         /* of those, already in parts (done or failed) */
    size_t processed;       /* read this run (done + failed) */
    size_t failed;          /* of processed */
    size_t parts_written;
    size_t parts_removed;   /* by restart */
    size_t tmp_removed;     /* stray temporaries of a killed run */
    size_t nfailures_kept;
    const char *const *failures;   /* this run's "FILE:LINE: message", first ones */
    size_t qc_count[32];    /* this run's ECGs with QC bit k set */
    int folded;             /* /ecg written */
    ef_ecg_fold_result fold;        /* valid when folded */
    ef_ecg_part_opts o;
    char shard[32];         /* "all" or "K/N" */
} ef_preprocess_summary;

/* Fails early (EF_EINVAL) when parts made with other options exist and
 * restart is not set, EF_ENOTFOUND when the ECG folder is missing, EF_EDATA
 * when it has no ECG files. */
int ef_preprocess_stage_job_new(ef_job **out, const ef_preprocess_stage_opts *o, ef_error *err);
/* Valid while the job lives (filled as the job runs). */
const ef_preprocess_summary *ef_preprocess_stage_summary(ef_job *job);

#endif
