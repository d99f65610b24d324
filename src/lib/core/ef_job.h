/* ef_job.h — long work as a steppable job with progress and cancel.
 *
 * A stage is an ops table plus its state.  The front end calls ef_job_step()
 * repeatedly: each call does about budget_ms of work and returns EF_CONTINUE
 * (more to do), EF_OK (finished) or an error.  The TUI steps between key
 * presses; the CLI steps to completion and draws a progress line.
 * ef_job_cancel() may be called from a signal handler or another thread; the
 * next step returns EF_ECANCELED after the job has left its output consistent.
 * One thread steps a job; others may cancel it and take progress snapshots
 * (ef_job_progress), which are copies, never pointers into the job.
 */
#ifndef EF_JOB_H
#define EF_JOB_H

#include <stddef.h>
#include <stdint.h>
#include "ef_error.h"

/* What a stage's progress op fills, on the stepping thread (the strings
 * are borrowed from the stage and may change at its next step). */
typedef struct ef_progress_report {
    const char *stage;     /* short label: "reading main CSV" */
    uint64_t done;         /* units done */
    uint64_t total;        /* units in all, 0 if unknown */
    const char *unit;      /* "bytes", "rows", "ECGs", "fits" ... */
    double part;           /* how far the unit under way is, 0..1 (0: unknown) */
} ef_progress_report;

/* A snapshot of a job's progress the caller owns: any thread may take one
 * while another steps the job. */
typedef struct ef_progress {
    char stage[128];
    char unit[24];
    uint64_t done, total;
    double fraction;       /* of the whole job, 0..1; -1 when the total is unknown */
} ef_progress;

typedef struct ef_job_ops {
    const char *name;
    /* One bounded slice of work.  Returns EF_CONTINUE, EF_OK or an error. */
    int (*step)(void *state, ef_error *err);
    /* Called on the stepping thread after each slice. */
    void (*progress)(const void *state, ef_progress_report *p);
    /* Called on cancel (before free) so the job can roll back or checkpoint. */
    void (*cancel)(void *state);
    void (*free)(void *state);
} ef_job_ops;

typedef struct ef_job ef_job;

/* A stop flag a stage shares with its worker threads (a model's fit checks
 * it between grid points): set and read atomically, never as a plain int. */
static inline void ef_flag_set(volatile int *f)
{
    __atomic_store_n(f, 1, __ATOMIC_RELEASE);
}
static inline int ef_flag_get(const volatile int *f)
{
    return f && __atomic_load_n(f, __ATOMIC_ACQUIRE);
}

/* Takes ownership of state (released with ops->free). */
ef_job *ef_job_new(const ef_job_ops *ops, void *state);
/* A job that runs fn(state, err) once (fn NULL: nothing), for work that is quick or cannot be
 * sliced; free_state (NULL: none) releases state.  name: a static string. */
ef_job *ef_job_once(const char *name, int (*fn)(void *state, ef_error *err), void *state,
                    void (*free_state)(void *state));
void ef_job_free(ef_job *job);

/* Step for about budget_ms milliseconds (0: a single slice). */
int ef_job_step(ef_job *job, unsigned budget_ms, ef_error *err);
/* Request to stop: async-signal-safe and callable from any thread. */
void ef_job_cancel(ef_job *job);
int ef_job_cancelled(const ef_job *job);
/* The latest snapshot (taken after each slice); any thread. */
void ef_job_progress(ef_job *job, ef_progress *p);
/* The progress of a job stepped by the caller's own thread, as its ops
 * report it now (for a stage that runs another job inside it). */
void ef_job_report(const ef_job *job, ef_progress_report *r);
const char *ef_job_name(const ef_job *job);
/* The state given to ef_job_new, or to ef_job_once. */
void *ef_job_state(ef_job *job);
/* The longest single slice so far, in ms: how long a UI stepping the job
 * on its own thread could be kept waiting. */
double ef_job_longest_step_ms(const ef_job *job);
/* Wall seconds from the first step to the end (or to now while running). */
double ef_job_seconds(const ef_job *job);

#endif
