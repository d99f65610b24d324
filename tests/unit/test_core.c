/* test_core.c — error records, allocation helpers, steppable jobs. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_blas.h"
#include "core/ef_eid.h"
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "core/ef_numfmt.h"
#include "core/ef_pool.h"
#include "core/ef_str.h"

#include <locale.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct counter { int n, limit, cancelled; };

static int counter_step(void *state, ef_error *err)
{
    struct counter *c = state;

    (void)err;
    return ++c->n < c->limit ? EF_CONTINUE : EF_OK;
}

static void counter_progress(const void *state, ef_progress_report *p)
{
    const struct counter *c = state;

    p->done = (uint64_t)c->n;
    p->total = (uint64_t)c->limit;
    p->unit = "steps";
}

static void counter_cancel(void *state)
{
    ((struct counter *)state)->cancelled = 1;
}

static const ef_job_ops counter_ops = {
    .name = "count", .step = counter_step, .progress = counter_progress,
    .cancel = counter_cancel, .free = NULL,
};


/* A front end may set the locale (the TUI sets LC_CTYPE; a program using the
 * library might set LC_ALL): numbers in files and messages stay "C". */
static void test_locale(void)
{
    char buf[64], *end = NULL, *s;
    ef_error err;

    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        ok(1, "# SKIP locale de_DE.UTF-8 not installed (locale-gen)");
        return;
    }
    is_abs(strtod("23.5", NULL), 23, 0, "de_DE: plain strtod reads \"23.5\" as 23 (the hazard)");
    is_abs(ef_strtod("23.5", &end), 23.5, 0, "de_DE: ef_strtod reads 23.5");
    ok(end && *end == '\0', "... consuming all of it");
    is_abs(ef_strtod("1e-3x", &end), 0.001, 0, "de_DE: ef_strtod exponent");
    is_str(end, "x", "... stopping where the number ends");
    ef_snprintf(buf, sizeof buf, "%.1f %g", 23.5, 0.25);
    is_str(buf, "23.5 0.25", "de_DE: ef_snprintf writes '.'");
    is_str(ef_numfmt_short(23.5, buf, sizeof buf), "23.5", "de_DE: ef_numfmt_short");
    is_str(ef_numfmt_pyrepr(3, buf, sizeof buf), "3.0", "de_DE: ef_numfmt_pyrepr");
    is_str(ef_numfmt_pyrepr(1e-5, buf, sizeof buf), "1e-05", "de_DE: exponent form");
    s = ef_xasprintf("%.2f", 23.5);
    is_str(s, "23.50", "de_DE: ef_xasprintf");
    free(s);
    ef_error_set(&err, EF_EINVAL, "not %g", 23.5);
    is_str(err.msg, "not 23.5", "de_DE: error messages");
    snprintf(buf, sizeof buf, "%.1f", 23.5);
    is_str(buf, "23,5", "... while the thread's own printf still follows the locale");
    setlocale(LC_ALL, "C");
}

/* The one eid join: first row of a repeated eid, misses, order, sets. */
static void test_eid(void)
{
    const int64_t col[] = { 5000030, 1000012, 3000021, 1000012, 9000004 };
    ef_eid_index ix;
    ef_eid_set set = { NULL, 0 };
    size_t order[5];

    ef_eid_index_build(&ix, col, 5);
    is_int((long long)ef_eid_index_find(&ix, 3000021), 2, "eid index: a unique eid's row");
    is_int((long long)ef_eid_index_find(&ix, 1000012), 1, "eid index: a repeated eid gives its first row");
    ok(ef_eid_index_find(&ix, 1000013) == SIZE_MAX, "eid index: a missing eid gives SIZE_MAX");
    ok(ef_eid_index_find(&ix, 1) == SIZE_MAX && ef_eid_index_find(&ix, 9999999) == SIZE_MAX,
       "eid index: below and above every eid");
    ef_eid_index_fini(&ix);
    ef_eid_index_build(&ix, col, 0);
    ok(ef_eid_index_find(&ix, 1000012) == SIZE_MAX, "eid index: empty column");
    ef_eid_index_fini(&ix);
    ef_eid_order(col, 5, order);
    ok(order[0] == 1 && order[1] == 3 && order[2] == 2 && order[3] == 0 && order[4] == 4,
       "eid order: ascending, ties in position order");
    ef_eid_set_add(&set, col, 3);
    ef_eid_set_add(&set, col + 3, 2);
    ef_eid_set_sort(&set);
    ok(ef_eid_set_has(&set, 9000004) && ef_eid_set_has(&set, 5000030) && !ef_eid_set_has(&set, 42),
       "eid set: members added in two calls, a non-member");
    ef_eid_set_fini(&set);
    ok(!ef_eid_set_has(&set, 5000030), "eid set: empty after fini");
}

/* ---- the thread pool ---- */

static atomic_int pool_ran;

static void count_task(void *arg)
{
    int *slot = arg;

    (*slot)++;   /* each task owns its slot: no two tasks touch one */
    atomic_fetch_add(&pool_ran, 1);
}

struct nested { ef_pool *p; int sum[8]; };

/* A task that runs a group of its own and waits for it: every worker may
 * be busy with such a task, so the waiter must run its queued tasks. */
static void nested_task(void *arg)
{
    struct nested *n = arg;
    ef_pool_group g;
    int i;

    ef_pool_group_init(&g, n->p, NULL);
    for (i = 0; i < 8; i++)
        ef_pool_submit(&g, count_task, &n->sum[i]);
    ef_pool_wait(&g);
}

struct gate { pthread_mutex_t mu; pthread_cond_t cv; int open, entered; };

static void gate_task(void *arg)
{
    struct gate *gt = arg;

    pthread_mutex_lock(&gt->mu);
    gt->entered = 1;
    pthread_cond_broadcast(&gt->cv);
    while (!gt->open)
        pthread_cond_wait(&gt->cv, &gt->mu);
    pthread_mutex_unlock(&gt->mu);
}

struct two { ef_pool *p; int slot[100]; };

static void *other_job(void *arg)
{
    struct two *t = arg;
    ef_pool_group g;
    int i;

    ef_pool_group_init(&g, t->p, NULL);
    for (i = 0; i < 100; i++)
        ef_pool_submit(&g, count_task, &t->slot[i]);
    ef_pool_wait(&g);
    return NULL;
}

static void test_pool(void)
{
    struct nested n[6];
    struct gate gt;
    struct two tw[2];
    pthread_t th;
    ef_pool *p = ef_pool_new(3);
    ef_pool_group g;
    int slot[200] = { 0 }, i, all, cancel = 0;

    is_int(ef_pool_threads(p), 3, "pool: three workers");
    is_int(ef_pool_width(p, 0), 4, "pool: width is the workers and the caller");
    is_int(ef_pool_width(p, 2), 2, "pool: width capped by the site's want");
    is_int(ef_pool_width(NULL, 8), 1, "pool: no pool, one thread");
    ef_pool_group_init(&g, p, NULL);
    for (i = 0; i < 200; i++)
        ef_pool_submit(&g, count_task, &slot[i]);
    ef_pool_wait(&g);
    for (i = 0, all = 1; i < 200; i++)
        all &= slot[i] == 1;
    ok(all && atomic_load(&pool_ran) == 200, "pool: every task ran once");

    memset(n, 0, sizeof n);
    ef_pool_group_init(&g, p, NULL);
    for (i = 0; i < 6; i++) {
        n[i].p = p;
        ef_pool_submit(&g, nested_task, &n[i]);
    }
    ef_pool_wait(&g);
    for (i = 0, all = 1; i < 6 * 8; i++)
        all &= n[i / 8].sum[i % 8] == 1;
    ok(all, "pool: nested groups with every worker busy finish");

    /* cancel: hold the three workers, queue more, set the flag, release */
    memset(&gt, 0, sizeof gt);
    pthread_mutex_init(&gt.mu, NULL);
    pthread_cond_init(&gt.cv, NULL);
    memset(slot, 0, sizeof slot);
    atomic_store(&pool_ran, 0);
    ef_pool_group_init(&g, p, &cancel);
    for (i = 0; i < 3; i++) {
        ef_pool_submit(&g, gate_task, &gt);
        pthread_mutex_lock(&gt.mu);   /* each worker takes one gate before the next is queued */
        while (!gt.entered)
            pthread_cond_wait(&gt.cv, &gt.mu);
        gt.entered = 0;
        pthread_mutex_unlock(&gt.mu);
    }
    for (i = 0; i < 50; i++)
        ef_pool_submit(&g, count_task, &slot[i]);
    ok(!ef_pool_wait_ms(&g, 5), "pool: a timed wait returns while tasks run");
    ef_flag_set(&cancel);
    pthread_mutex_lock(&gt.mu);
    gt.open = 1;
    pthread_cond_broadcast(&gt.cv);
    pthread_mutex_unlock(&gt.mu);
    ef_pool_wait(&g);
    is_int(atomic_load(&pool_ran), 0, "pool: queued tasks of a cancelled group are dropped");
    is_int((long long)g.pending, 0, "pool: a cancelled group still completes");
    pthread_mutex_destroy(&gt.mu);
    pthread_cond_destroy(&gt.cv);

    /* two jobs' pools used at once from two threads */
    memset(tw, 0, sizeof tw);
    tw[0].p = p;
    tw[1].p = ef_pool_new(2);
    pthread_create(&th, NULL, other_job, &tw[1]);
    other_job(&tw[0]);
    pthread_join(th, NULL);
    for (i = 0, all = 1; i < 200; i++)
        all &= tw[i / 100].slot[i % 100] == 1;
    ok(all, "pool: two pools driven at once");
    ef_pool_free(tw[1].p);
    ef_pool_free(p);

    memset(slot, 0, sizeof slot);
    ef_pool_group_init(&g, NULL, NULL);
    ef_pool_submit(&g, count_task, &slot[0]);
    ok(slot[0] == 1, "pool: without a pool a task runs at once");
    ef_pool_wait(&g);
}

/* ---- BLAS regions ---- */

static atomic_int blas_seen;

static void *blas_other(void *arg)
{
    (void)arg;
    ef_blas_begin(2);   /* waits until the region of 1 is over */
    atomic_store(&blas_seen, ef_blas_threads());
    ef_blas_end();
    return NULL;
}

static void test_blas(void)
{
    struct timespec ms = { 0, 20000000 };
    int before = ef_blas_threads();
    pthread_t th;

    ef_blas_begin(1);
    is_int(ef_blas_threads(), 1, "blas: a region of 1 thread");
    ef_blas_begin(1);
    ef_blas_end();
    is_int(ef_blas_threads(), 1, "blas: a nested region of the same count keeps it");
    atomic_store(&blas_seen, -1);
    pthread_create(&th, NULL, blas_other, NULL);
    nanosleep(&ms, NULL);
    is_int(atomic_load(&blas_seen), -1, "blas: a region wanting 2 waits while one of 1 runs");
    ef_blas_end();
    pthread_join(th, NULL);
    is_int(atomic_load(&blas_seen), 2, "blas: ... and then runs with 2");
    is_int(ef_blas_threads(), before, "blas: the process's count is restored (%d)", before);
    ef_blas_begin(0);
    is_int(ef_blas_threads(), before, "blas: 0 means the process's own count");
    ef_blas_end();
}

int main(void)
{
    ef_error err;
    char buf[256];
    struct counter c = { 0, 5, 0 };
    ef_job *job;
    ef_progress p;
    int rc, steps = 0;
    char *s;

    ef_error_clear(&err);
    is_int(ef_error_set(&err, EF_EPARSE, "bad %s", "cell"), EF_EPARSE, "ef_error_set returns the code");
    is_str(ef_error_format(&err, buf, sizeof buf), "bad cell", "message without location");
    ef_error_set_at(&err, EF_EPARSE, "main.csv", 12, 3, "ragged row");
    is_str(ef_error_format(&err, buf, sizeof buf), "main.csv:12: ragged row", "FILE:LINE: message");
    ef_error_set_at(&err, EF_EIO, "x.csv", 0, 0, "cannot open");
    is_str(ef_error_format(&err, buf, sizeof buf), "x.csv: cannot open", "FILE: message");
    is_int(ef_error_set(NULL, EF_EIO, "ignored"), EF_EIO, "NULL error record is allowed");
    ok(strcmp(ef_strerror(EF_ECANCELED), "cancelled") == 0, "ef_strerror names codes");

    s = ef_xasprintf("%d-%s", 42, "x");
    is_str(s, "42-x", "ef_xasprintf");
    free(s);
    s = ef_xstrndup("abcdef", 3);
    is_str(s, "abc", "ef_xstrndup");
    free(s);

    job = ef_job_new(&counter_ops, &c);
    while ((rc = ef_job_step(job, 0, &err)) == EF_CONTINUE)
        steps++;
    is_int(rc, EF_OK, "job finishes with EF_OK");
    is_int(steps, 4, "one slice per step with a zero budget");
    ef_job_progress(job, &p);
    is_int((long long)p.done, 5, "progress done");
    is_str(p.stage, "count", "progress stage is the job name");
    ef_job_free(job);

    c.n = 0;
    c.limit = 1000;
    job = ef_job_new(&counter_ops, &c);
    ef_job_step(job, 0, &err);
    ef_job_cancel(job);
    is_int(ef_job_step(job, 0, &err), EF_ECANCELED, "cancel stops the job");
    ok(c.cancelled, "cancel hook ran");
    ef_job_free(job);
    is_str(ef_numfmt_short(60, buf, sizeof buf), "60", "short: integers in fixed notation");
    is_str(ef_numfmt_short(130, buf, sizeof buf), "130", "short: 130, not 1.3e+02");
    is_str(ef_numfmt_short(27.9871, buf, sizeof buf), "27.9871", "short: decimals");
    is_str(ef_numfmt_short(0.1 + 0.2, buf, sizeof buf), "0.30000000000000004", "short: round-trips exactly");
    is_str(ef_numfmt_short(-0.00012, buf, sizeof buf), "-0.00012", "short: small values fixed down to 1e-4");
    is_str(ef_numfmt_short(1e-5, buf, sizeof buf), "1e-05", "short: exponent below 1e-4");
    is_str(ef_numfmt_pyrepr(3, buf, sizeof buf), "3.0", "pyrepr: 3.0 like pandas");
    is_str(ef_numfmt_pyrepr(14.399999999999999, buf, sizeof buf), "14.399999999999999", "pyrepr: 17 digits when needed");
    is_str(ef_numfmt_pyrepr(1e16, buf, sizeof buf), "1e+16", "pyrepr: exponent from 1e16");
    is_str(ef_numfmt_pyrepr(1e-5, buf, sizeof buf), "1e-05", "pyrepr: exponent below 1e-4");
    test_locale();
    test_eid();
    {
        const char *cmds[] = { "train", "predict", "tui", "table1" };

        is_str(ef_suggest("trian", cmds, 4), "train", "did you mean: a transposition in a 5-letter word");
        ok(ef_suggest("xy", cmds, 4) == NULL, "did you mean: nothing for a far 2-letter word");
        is_int((long long)ef_suggest_limit(2), 1, "suggest limit: 1 up to 2 bytes");
        is_int((long long)ef_suggest_limit(6), 2, "suggest limit: 2 for 6 bytes");
        is_int((long long)ef_suggest_limit(12), 4, "suggest limit: len/3 beyond");
    }
    test_pool();
    test_blas();
    return done_testing();
}
