/* ef_pool.h — a fixed set of worker threads shared by the stages of one job.
 *
 * Every thread of the library is started here.  A job makes one pool sized
 * by its --jobs option (ef_pool_new) and hands it down to the code that works
 * in parallel (the CSV parser, the ECG readers, the network runner, the CV
 * grids, the bootstrap); nothing is global, so two jobs running at once (a
 * TUI training while the user imports) each have their own threads.
 *
 * Work is submitted as tasks in a group and the group is waited for.  A
 * waiting thread runs its group's queued tasks itself, so a task may submit
 * and wait for a group of its own (a fit that runs its CV grid in parallel)
 * without a deadlock even when every worker is busy.  A group may name a
 * cancel flag: once it is set, its queued tasks are dropped, not run (tasks
 * already running stop on their own by checking the same flag).
 *
 * Threads are started at the first submit; a pool whose threads could not be
 * started runs each task in ef_pool_submit, so results never depend on it. */
#ifndef EF_POOL_H
#define EF_POOL_H

#include <stddef.h>

typedef struct ef_pool ef_pool;

/* A set of tasks to wait for.  Fields are the pool's (read under its lock). */
typedef struct ef_pool_group {
    ef_pool *pool;            /* NULL: every task runs at once in the submitting thread */
    size_t pending;           /* submitted and not finished */
    const volatile int *cancel;
} ef_pool_group;

/* THREADS workers (<= 0: the cores online; at most 64). */
ef_pool *ef_pool_new(int threads);
/* Every group must have been waited for.  NULL is allowed. */
void ef_pool_free(ef_pool *p);
/* The workers the pool was made with (0 for NULL). */
int ef_pool_threads(const ef_pool *p);
/* The threads a site may use at once: the pool's workers plus the caller
 * (which works while it waits), at most want (<= 0: no limit) and at least 1. */
int ef_pool_width(const ef_pool *p, int want);

/* fn(arg) on n threads at once, n - 1 of them tasks in p and one this
 * thread, and back when all have returned: the shape of a grid search whose
 * workers take items from a shared counter.  Without a pool (p NULL) and
 * with n > 1, a pool of n - 1 threads lives for the call. */
void ef_pool_run(ef_pool *p, int n, void (*fn)(void *arg), void *arg);

/* cancel (NULL: none): a flag set with ef_flag_set (core/ef_job.h). */
void ef_pool_group_init(ef_pool_group *g, ef_pool *p, const volatile int *cancel);
/* Queue fn(arg) in g.  fn must not block waiting for a task that is not
 * its own group's (the pool may have no free worker). */
void ef_pool_submit(ef_pool_group *g, void (*fn)(void *arg), void *arg);
/* Return once every task of g has run or been dropped; runs g's queued
 * tasks on this thread meanwhile. */
void ef_pool_wait(ef_pool_group *g);
/* Wait at most ms milliseconds without running tasks here (a job's step
 * that must stay short); 1 when every task of g has finished. */
int ef_pool_wait_ms(ef_pool_group *g, unsigned ms);

#endif
