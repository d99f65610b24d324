/* ef_embed_stage.h — the `embed` stage: every preprocessed ECG of the
 * store's /ecg not yet embedded, run through a Keras encoder (ef_nn.h) a
 * batch per step, written in /ecg row order into immutable part files
 * (ef_emb_parts.h), then folded into /embeddings/NAME (unless it is one
 * shard of a K/N split: `merge` folds).
 *
 * Resumes: ECGs already in a complete part of NAME are skipped; parts made
 * with another encoder or from other ECGs (units, length, preprocess
 * options) make the stage refuse, unless restart.  Cancel seals the part
 * being filled.  The runner uses the threads itself: the stage steps in
 * one thread, which is also the only one touching HDF5. */
#ifndef EF_EMBED_STAGE_H
#define EF_EMBED_STAGE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "pipeline/ef_emb_parts.h"

#define EF_EMBED_BATCH_DEFAULT 8

typedef struct ef_embed_stage_opts {
    const char *project_dir;
    const char *store_path;
    const char *encoder_path;
    const char *name;       /* NULL: ef_emb_name_from_path(encoder_path) */
    size_t batch;           /* ECGs per run of the network (0: EF_EMBED_BATCH_DEFAULT) */
    int threads;            /* runner threads (0: all cores) */
    int shard_k, shard_n;   /* 1-based K of N; 0/0: no sharding */
    int restart;            /* delete NAME's old parts (of this shard) first */
    size_t limit;           /* embed at most this many ECGs this run (0: all) */
    size_t part_max;        /* ECGs per part (0: EF_EMB_PART_MAX) */
} ef_embed_stage_opts;

void ef_embed_stage_opts_default(ef_embed_stage_opts *o);

typedef struct ef_embed_summary {
    char name[EF_EMB_NAME_MAX];
    char shard[32];         /* "all" or "K/N" */
    ef_emb_opts o;
    size_t ecgs;            /* rows of /ecg */
    size_t slice;           /* of those, in this run's slice */
    size_t resumed;         /* of the slice, already embedded */
    size_t todo;            /* to embed in this run */
    size_t embedded;        /* embedded in this run */
    size_t parts_written;
    size_t parts_removed;   /* by restart */
    size_t tmp_removed;     /* stray temporaries of a killed run */
    size_t params;
    double flops_per_ecg;
    int folded;             /* /embeddings/NAME written */
    ef_emb_fold_result fold;        /* valid when folded */
} ef_embed_summary;

/* Loads the encoder and checks it against /ecg before any work:
 * EF_ENOTFOUND without /ecg, EF_EDATA for an encoder whose input does not
 * fit the ECGs (the message says how to re-run preprocessing) or for parts
 * of NAME made otherwise (unless restart). */
int ef_embed_stage_job_new(ef_job **out, const ef_embed_stage_opts *o, ef_error *err);
/* Valid while the job lives (filled as the job runs). */
const ef_embed_summary *ef_embed_stage_summary(ef_job *job);

#endif
