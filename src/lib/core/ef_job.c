/* ef_job.c — steppable jobs (see ef_job.h). */
#include "config.h"
#include "ef_job.h"
#include "ef_alloc.h"

#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct ef_job {
    const ef_job_ops *ops;
    void *state;
    volatile sig_atomic_t cancel;
    int finished;
};

ef_job *ef_job_new(const ef_job_ops *ops, void *state)
{
    ef_job *job = ef_xcalloc(1, sizeof *job);

    job->ops = ops;
    job->state = state;
    return job;
}

/* ef_job_once: the ops live in the state, one per job, so the name can vary. */
typedef struct once {
    ef_job_ops ops;
    int (*fn)(void *state, ef_error *err);
    void *state;
    void (*free_state)(void *state);
} once;

static int once_step(void *state, ef_error *err)
{
    once *o = state;

    return o->fn(o->state, err);
}

static void once_free(void *state)
{
    once *o = state;

    if (o->free_state)
        o->free_state(o->state);
    free(o);
}

ef_job *ef_job_once(const char *name, int (*fn)(void *state, ef_error *err), void *state,
                    void (*free_state)(void *state))
{
    once *o = ef_xcalloc(1, sizeof *o);

    o->ops.name = name;
    o->ops.step = once_step;
    o->ops.free = once_free;
    o->fn = fn;
    o->state = state;
    o->free_state = free_state;
    return ef_job_new(&o->ops, o);
}

void ef_job_free(ef_job *job)
{
    if (!job)
        return;
    if (job->ops->free)
        job->ops->free(job->state);
    free(job);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int ef_job_step(ef_job *job, unsigned budget_ms, ef_error *err)
{
    double end = now_ms() + budget_ms;
    int rc;

    if (job->finished)
        return EF_OK;
    do {
        if (job->cancel) {
            if (job->ops->cancel)
                job->ops->cancel(job->state);
            job->finished = 1;
            return ef_error_set(err, EF_ECANCELED, "%s: cancelled", job->ops->name);
        }
        rc = job->ops->step(job->state, err);
        if (rc != EF_CONTINUE) {
            job->finished = 1;
            return rc;
        }
    } while (now_ms() < end);
    return EF_CONTINUE;
}

void ef_job_cancel(ef_job *job)
{
    job->cancel = 1;
}

int ef_job_cancelled(const ef_job *job)
{
    return job->cancel != 0;
}

void ef_job_progress(const ef_job *job, ef_progress *p)
{
    p->stage = job->ops->name;
    p->done = p->total = 0;
    p->unit = "";
    if (job->ops->progress)
        job->ops->progress(job->state, p);
}

const char *ef_job_name(const ef_job *job)
{
    return job->ops->name;
}

void *ef_job_state(ef_job *job)
{
    /* a once job's state is its wrapper: give the caller's own */
    if (job->ops->step == once_step)
        return ((once *)job->state)->state;
    return job->state;
}
