/* ef_part_job.h — the job skeleton of the stages that write part files
 * (preprocess, embed; ef_parts.h).
 *
 * Such a stage does its work a step at a time into part files, seals the
 * part being filled, then folds the parts into the store, unless the run
 * is one shard of a K/N split (`merge` folds once every shard is done).  A
 * cancel seals the part being filled too: everything in it is complete, so
 * a rerun resumes after it instead of redoing it. */
#ifndef EF_PART_JOB_H
#define EF_PART_JOB_H

#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_job.h"

typedef struct ef_part_job_ops {
    ef_job_ops job;             /* EF_PART_JOB_OPS("name") */
    const char *unit;           /* progress unit: "ECGs" */
    /* One slice of work: EF_CONTINUE while there is more, EF_OK when done. */
    int (*work)(void *state, ef_error *err);
    /* Stop working and close the part being filled (err is NULL on cancel). */
    int (*seal)(void *state, ef_error *err);
    /* Fold the parts into the store: EF_OK, an error, or EF_CONTINUE when it
     * goes in slices and has more to do. */
    int (*fold)(void *state, ef_error *err);
    /* Work units done and in all, for progress. */
    void (*count)(const void *state, uint64_t *done, uint64_t *total);
    void (*free)(void *state);
} ef_part_job_ops;

/* The job side of a part job named job_name ("embed": its progress label,
 * "embed: indexing parts in the store" while folding, and its cancel
 * message), stepped by the functions below. */
#define EF_PART_JOB_OPS(job_name)                                                                 \
    { .name = (job_name), .step = ef_part_job_step, .progress = ef_part_job_progress,              \
      .cancel = ef_part_job_cancel, .free = ef_part_job_free }

/* A job over state (taken over: freed with ops->free); sharded: no fold. */
ef_job *ef_part_job_new(const ef_part_job_ops *ops, void *state, int sharded);
/* The state given to ef_part_job_new. */
void *ef_part_job_state(ef_job *job);

int ef_part_job_step(void *job_state, ef_error *err);
void ef_part_job_progress(const void *job_state, ef_progress_report *p);
void ef_part_job_cancel(void *job_state);
void ef_part_job_free(void *job_state);

#endif
