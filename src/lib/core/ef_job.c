/* ef_job.c — steppable jobs (see ef_job.h). */
#include "config.h"
#include "ef_job.h"
#include "ef_alloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

struct ef_job {
    const ef_job_ops *ops;
    void *state;
    atomic_int cancel;       /* lock-free, so also safe from a signal handler */
    int finished;
    double t_start, t_end;   /* ms: first step, end (0: not yet) */
    double longest_ms;       /* the longest single slice: what a UI waits for */
    pthread_mutex_t lock;    /* guards snap */
    ef_progress snap;
};

static void snapshot(ef_job *job)
{
    ef_progress_report r;
    ef_progress p;

    ef_job_report(job, &r);
    memset(&p, 0, sizeof p);
    snprintf(p.stage, sizeof p.stage, "%s", r.stage ? r.stage : "");
    snprintf(p.unit, sizeof p.unit, "%s", r.unit ? r.unit : "");
    p.done = r.done;
    p.total = r.total;
    p.fraction = -1;
    if (r.total) {
        double part = r.part > 0 && r.part < 1 && r.done < r.total ? r.part : 0;

        p.fraction = ((double)r.done + part) / (double)r.total;
        if (p.fraction > 1)
            p.fraction = 1;
    }
    pthread_mutex_lock(&job->lock);
    job->snap = p;
    pthread_mutex_unlock(&job->lock);
}

ef_job *ef_job_new(const ef_job_ops *ops, void *state)
{
    ef_job *job = ef_xcalloc(1, sizeof *job);

    job->ops = ops;
    job->state = state;
    atomic_init(&job->cancel, 0);
    pthread_mutex_init(&job->lock, NULL);
    snprintf(job->snap.stage, sizeof job->snap.stage, "%s", ops->name);
    job->snap.fraction = -1;
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

    return o->fn ? o->fn(o->state, err) : EF_OK;   /* NULL: the work was done in make */
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
    pthread_mutex_destroy(&job->lock);
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
    if (!job->t_start)
        job->t_start = now_ms();
    do {
        if (atomic_load(&job->cancel)) {
            if (job->ops->cancel)
                job->ops->cancel(job->state);
            job->finished = 1;
            job->t_end = now_ms();
            return ef_error_set(err, EF_ECANCELED, "%s: cancelled", job->ops->name);
        }
        {
            double t0 = now_ms(), t;

            rc = job->ops->step(job->state, err);
            if ((t = now_ms() - t0) > job->longest_ms)
                job->longest_ms = t;
        }
        if (rc != EF_CONTINUE) {
            job->finished = 1;
            job->t_end = now_ms();
            snapshot(job);
            return rc;
        }
        snapshot(job);
    } while (now_ms() < end);
    return EF_CONTINUE;
}

void ef_job_cancel(ef_job *job)
{
    atomic_store(&job->cancel, 1);
}

int ef_job_cancelled(const ef_job *job)
{
    return atomic_load(&((ef_job *)job)->cancel) != 0;
}

void ef_job_report(const ef_job *job, ef_progress_report *r)
{
    memset(r, 0, sizeof *r);
    r->stage = job->ops->name;
    r->unit = "";
    if (job->ops->progress)
        job->ops->progress(job->state, r);
}

void ef_job_progress(ef_job *job, ef_progress *p)
{
    pthread_mutex_lock(&job->lock);
    *p = job->snap;
    pthread_mutex_unlock(&job->lock);
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

double ef_job_seconds(const ef_job *job)
{
    if (!job || !job->t_start)
        return 0;
    return ((job->t_end ? job->t_end : now_ms()) - job->t_start) / 1e3;
}

double ef_job_longest_step_ms(const ef_job *job)
{
    return job ? job->longest_ms : 0;
}
