/* ef_part_job.c — see ef_part_job.h. */
#include "config.h"
#include "ef_part_job.h"
#include "core/ef_alloc.h"

#include <stdio.h>
#include <stdlib.h>

enum phase { PH_RUN, PH_FOLD, PH_DONE };

typedef struct part_job {
    const ef_part_job_ops *ops;
    void *state;
    int sharded;
    int phase;
    char fold_label[96];
} part_job;

ef_job *ef_part_job_new(const ef_part_job_ops *ops, void *state, int sharded)
{
    part_job *j = ef_xcalloc(1, sizeof *j);

    j->ops = ops;
    j->state = state;
    j->sharded = sharded;
    j->phase = PH_RUN;
    snprintf(j->fold_label, sizeof j->fold_label, "%s: indexing parts in the store", ops->job.name);
    return ef_job_new(&ops->job, j);
}

void *ef_part_job_state(ef_job *job)
{
    part_job *j = ef_job_state(job);

    return j->state;
}

int ef_part_job_step(void *job_state, ef_error *err)
{
    part_job *j = job_state;
    int rc;

    switch (j->phase) {
    case PH_RUN:
        rc = j->ops->work(j->state, err);
        if (rc == EF_OK)
            rc = j->ops->seal(j->state, err);
        if (rc != EF_OK)
            return rc;
        j->phase = j->sharded ? PH_DONE : PH_FOLD;
        return j->phase == PH_DONE ? EF_OK : EF_CONTINUE;
    case PH_FOLD:   /* EF_CONTINUE: a fold in slices has more to do */
        rc = j->ops->fold(j->state, err);
        if (rc != EF_CONTINUE)
            j->phase = PH_DONE;
        return rc;
    default:
        return EF_OK;
    }
}

void ef_part_job_progress(const void *job_state, ef_progress_report *p)
{
    const part_job *j = job_state;

    p->stage = j->phase == PH_FOLD ? j->fold_label : j->ops->job.name;
    p->unit = j->ops->unit;
    j->ops->count(j->state, &p->done, &p->total);
}

void ef_part_job_cancel(void *job_state)
{
    part_job *j = job_state;

    j->ops->seal(j->state, NULL);
}

void ef_part_job_free(void *job_state)
{
    part_job *j = job_state;

    if (!j)
        return;
    j->ops->free(j->state);
    free(j);
}
