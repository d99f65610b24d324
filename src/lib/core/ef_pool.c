/* ef_pool.c — the worker threads of a job (see ef_pool.h). */
#include "config.h"
#include "ef_pool.h"
#include "ef_alloc.h"
#include "ef_job.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64

typedef struct task {
    void (*fn)(void *arg);
    void *arg;
    ef_pool_group *g;
    struct task *next;
} task;

struct ef_pool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv;   /* a task was queued, or stop */
    pthread_cond_t done_cv;   /* a group's last task finished */
    task *head, *tail;
    int want, nworkers, started, stop;
    pthread_t tid[MAX_WORKERS];
};

/* Under p->mu: the group's task is over (run or dropped). */
static void finished(ef_pool *p, ef_pool_group *g)
{
    if (--g->pending == 0)
        pthread_cond_broadcast(&p->done_cv);
}

/* Under p->mu: unlink the first queued task of g (NULL g: any), or NULL. */
static task *take(ef_pool *p, const ef_pool_group *g)
{
    task *t, *prev = NULL;

    for (t = p->head; t && g && t->g != g; t = t->next)
        prev = t;
    if (!t)
        return NULL;
    if (prev)
        prev->next = t->next;
    else
        p->head = t->next;
    if (p->tail == t)
        p->tail = prev;
    return t;
}

/* Under p->mu, which it drops while the task runs. */
static void run(ef_pool *p, task *t)
{
    ef_pool_group *g = t->g;

    if (!ef_flag_get(g->cancel)) {
        pthread_mutex_unlock(&p->mu);
        t->fn(t->arg);
        pthread_mutex_lock(&p->mu);
    }
    free(t);
    finished(p, g);
}

static void *worker(void *arg)
{
    ef_pool *p = arg;
    task *t;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->head)
            pthread_cond_wait(&p->work_cv, &p->mu);
        if (!(t = take(p, NULL)))
            break;   /* stop, and nothing is left */
        run(p, t);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

ef_pool *ef_pool_new(int threads)
{
    ef_pool *p = ef_xcalloc(1, sizeof *p);
    pthread_condattr_t ca;

    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        threads = n > 0 ? (int)(n < MAX_WORKERS ? n : MAX_WORKERS) : 1;
    }
    p->want = threads < MAX_WORKERS ? threads : MAX_WORKERS;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->done_cv, &ca);
    pthread_condattr_destroy(&ca);
    return p;
}

void ef_pool_free(ef_pool *p)
{
    int i;

    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nworkers; i++)
        pthread_join(p->tid[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work_cv);
    pthread_cond_destroy(&p->done_cv);
    free(p);
}

int ef_pool_threads(const ef_pool *p)
{
    return p ? p->want : 0;
}

int ef_pool_width(const ef_pool *p, int want)
{
    int n = ef_pool_threads(p) + 1;

    if (want > 0 && want < n)
        n = want;
    return n;
}

void ef_pool_group_init(ef_pool_group *g, ef_pool *p, const volatile int *cancel)
{
    g->pool = p;
    g->pending = 0;
    g->cancel = cancel;
}

/* Under p->mu: start the workers the first time work arrives. */
static void start(ef_pool *p)
{
    p->started = 1;
    while (p->nworkers < p->want && pthread_create(&p->tid[p->nworkers], NULL, worker, p) == 0)
        p->nworkers++;
}

void ef_pool_submit(ef_pool_group *g, void (*fn)(void *arg), void *arg)
{
    ef_pool *p = g->pool;
    task *t;

    if (p) {
        pthread_mutex_lock(&p->mu);
        if (!p->started)
            start(p);
        if (p->nworkers) {
            t = ef_xmalloc(sizeof *t);
            *t = (task){ fn, arg, g, NULL };
            if (p->tail)
                p->tail->next = t;
            else
                p->head = t;
            p->tail = t;
            g->pending++;
            pthread_cond_signal(&p->work_cv);
            pthread_mutex_unlock(&p->mu);
            return;
        }
        pthread_mutex_unlock(&p->mu);
    }
    if (!ef_flag_get(g->cancel))   /* no worker: run it now */
        fn(arg);
}

void ef_pool_wait(ef_pool_group *g)
{
    ef_pool *p = g->pool;
    task *t;

    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    while (g->pending) {
        if ((t = take(p, g)))
            run(p, t);
        else
            pthread_cond_wait(&p->done_cv, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
}

int ef_pool_wait_ms(ef_pool_group *g, unsigned ms)
{
    ef_pool *p = g->pool;
    struct timespec until;
    int done;

    if (!p)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->mu);
    while (g->pending)
        if (pthread_cond_timedwait(&p->done_cv, &p->mu, &until) != 0)
            break;
    done = g->pending == 0;
    pthread_mutex_unlock(&p->mu);
    return done;
}

void ef_pool_run(ef_pool *p, int n, void (*fn)(void *arg), void *arg)
{
    ef_pool *own = NULL;
    ef_pool_group g;
    int i;

    if (!p && n > 1)
        p = own = ef_pool_new(n - 1);
    ef_pool_group_init(&g, p, NULL);
    for (i = 1; i < n; i++)
        ef_pool_submit(&g, fn, arg);
    fn(arg);
    ef_pool_wait(&g);
    ef_pool_free(own);
}
