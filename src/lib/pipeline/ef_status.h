/* ef_status.h — where a project stands, in one value a front end can draw:
 * its sources (main CSV, ECG folder, encoder: present, size, checksum),
 * the cohort funnel the labels stage recorded, and each stage's state
 * (done when and with what counts, failed, stale because an input changed,
 * partly done, not run).
 *
 * Read from the store's attributes and dataset shapes only, never its
 * columns: cheap on a store of any size, so a front end can re-read it
 * whenever the store's generation changes.  HDF5: call from one thread at
 * a time (see ef_store.h). */
#ifndef EF_STATUS_H
#define EF_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "core/ef_error.h"

enum ef_stage_state {
    EF_STAGE_NOT_RUN,
    EF_STAGE_DONE,
    EF_STAGE_PARTIAL,    /* cancelled or interrupted: part files wait for a resume */
    EF_STAGE_STALE,      /* done, but an input changed since */
    EF_STAGE_FAILED      /* done with failures (rows rejected, ECGs unreadable) */
};

enum ef_stage_id { EF_ST_LABELS, EF_ST_PREPROCESS, EF_ST_EMBED, EF_ST_TRAIN, EF_ST_COUNT };

typedef struct ef_source_status {
    char *path;              /* resolved path; NULL: not configured */
    int exists;
    int is_dir;
    uint64_t size;           /* bytes (a file) */
    uint64_t nfiles;         /* an ECG folder: the ECG XML files in it */
    time_t mtime;
    char sha256[65];         /* the encoder's; "" for others */
    int synthetic;           /* a synth cohort (.ecgfit-synth beside it) or a seeded encoder */
} ef_source_status;

typedef struct ef_stage_status {
    const char *name;        /* "labels" */
    int state;               /* enum ef_stage_state */
    time_t when;             /* when its output was written (0: unknown) */
    uint64_t count;          /* rows, ECGs, embeddings, models */
    uint64_t failed;         /* rows rejected, ECGs that failed */
    char detail[160];        /* "71,180 ECGs, 24 failed" */
    char why[160];           /* stale: which input changed; partial: how far */
} ef_stage_status;

typedef struct ef_funnel_step {
    char label[80];
    uint64_t n;
    int target;              /* a target's row (indented under the others) */
} ef_funnel_step;

typedef struct ef_project_status {
    char *project_dir;
    char *store_path;
    char *config_error;      /* the project config could not be read (NULL: fine) */
    uint64_t generation;
    int have_store;
    ef_source_status main_csv, ecg_dir, encoder;
    int synthetic_data, synthetic_encoder;
    ef_stage_status stage[EF_ST_COUNT];
    uint64_t participants;
    ef_funnel_step *funnel;
    size_t nfunnel;
} ef_project_status;

/* Read the status of the project in dir.  prev (NULL allowed) lends the
 * checksum of an encoder file whose size and time have not changed.  A
 * missing store is not an error (every stage "not run"); an unreadable
 * config is kept in config_error.  *out: free with ef_status_free. */
int ef_status_read(const char *dir, const ef_project_status *prev, ef_project_status **out, ef_error *err);
void ef_status_free(ef_project_status *s);

const char *ef_stage_state_name(int state);

/* A stage's failures, for a list: file and reason of failures [first,
 * first + max).  preprocess: the ECG files that could not be read; labels:
 * the rejected rows (from its rejects file).  *n: how many were filled;
 * *total: how many there are.  Strings are new (free with
 * ef_status_failures_free). */
typedef struct ef_failure {
    char *file;
    char *reason;
} ef_failure;
int ef_status_failures(const char *dir, int stage, size_t first, size_t max, ef_failure **out, size_t *n,
                       size_t *total, ef_error *err);
void ef_status_failures_free(ef_failure *f, size_t n);

#endif
