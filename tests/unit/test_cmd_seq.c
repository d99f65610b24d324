/* test_cmd_seq.c — entries run in sequence as one job (cmd/ef_cmd_seq):
 * order, skip and after hooks, an optional stage's failure, a fatal one,
 * cancel in the middle of a stage, the progress label, and finishes
 * replayed through the caller's sink. */
#include "config.h"
#include "cmd/ef_cmd_seq.h"
#include "core/ef_alloc.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- fake entries --------------------------------------------------------- */

static char trace[256];   /* what ran, in order */
static int cancelled_ops;

static void mark(const char *what)
{
    strncat(trace, what, sizeof trace - strlen(trace) - 1);
    strncat(trace, " ", sizeof trace - strlen(trace) - 1);
}

typedef struct ticks {
    int left, total;
} ticks;

static int ticks_step(void *state, ef_error *err)
{
    ticks *t = state;
    struct timespec ms = { 0, 1000000 };

    (void)err;
    nanosleep(&ms, NULL);   /* the sequence steps a stage ~50 ms per slice */
    return --t->left > 0 ? EF_CONTINUE : EF_OK;
}

static void ticks_progress(const void *state, ef_progress_report *p)
{
    const ticks *t = state;

    p->stage = "ticking";
    p->unit = "ticks";
    p->done = (uint64_t)(t->total - t->left);
    p->total = (uint64_t)t->total;
}

static void ticks_cancel(void *state)
{
    (void)state;
    cancelled_ops++;
}

static const ef_job_ops ticks_ops = { "ticks", ticks_step, ticks_progress, ticks_cancel, free };

static const ef_opt_spec tick_opts[] = {
    { "count", 0, EF_OPT_INT, "N", "ticks", 1, 1000, NULL, 0 },
};

/* "tick --count N": a job of N steps; says in make which project it got */
static int tick_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    ticks *t = ef_xcalloc(1, sizeof *t);

    (void)err;
    t->total = t->left = (int)ef_args_long(a, "count", 3);
    ef_note(ctx, "tick in %s", ctx->project_dir);
    mark("tick");
    *job = ef_job_new(&ticks_ops, t);
    return EF_OK;
}

static int tick_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    (void)a;
    (void)job;
    (void)err;
    if (!ctx->quiet)
        ef_out(ctx, "ticked in %s", ctx->project_dir);
    else
        ef_warn(ctx, "quiet tick");
    return rc;
}

static const ef_cmd cmd_tick = {
    .name = "tick", .summary = "", .synopsis = "tick", .opts = tick_opts, .nopts = 1,
    .make = tick_make, .finish = tick_finish,
};

/* "fail": make fails with a data error */
static int fail_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    (void)ctx;
    (void)a;
    *job = NULL;
    mark("fail");
    return ef_error_set_at(err, EF_EDATA, "input.csv", 3, 0, "bad row");
}

static const ef_cmd cmd_fail = { .name = "fail", .summary = "", .synopsis = "fail", .make = fail_make };

/* ---- hooks -------------------------------------------------------------------- */

static int skip_yes(void *user, ef_error *err)
{
    (void)err;
    (*(int *)user)++;
    return 1;
}

static int after_mark(void *user, ef_error *err)
{
    (void)user;
    (void)err;
    mark("after");
    return EF_OK;
}

/* ---- a sink that keeps what it gets ---------------------------------------------- */

static char out[1024];

static void keep(void *user, int kind, const char *text)
{
    (void)user;
    strncat(out, kind == EF_OUT_TEXT ? "T:" : kind == EF_OUT_NOTE ? "N:" : "W:", sizeof out - strlen(out) - 1);
    strncat(out, text, sizeof out - strlen(out) - 1);
    strncat(out, "|", sizeof out - strlen(out) - 1);
}

static const ef_sink sink = { keep, NULL, NULL };

static int run(ef_job *job, ef_error *err)
{
    int rc;

    while ((rc = ef_job_step(job, 0, err)) == EF_CONTINUE)
        ;
    return rc;
}

int main(void)
{
    ef_cmd_ctx ctx = { .project_dir = ".", .jobs = 1, .sink = &sink };
    const char *w2[] = { "--count", "2" }, *w5[] = { "--count", "5" };
    ef_cmd_seq *q;
    ef_job *job;
    ef_error err;
    ef_progress p;
    int skips = 0, rc;

    /* skip, run, an optional failure, run */
    q = ef_cmd_seq_new(&ctx, "proj", &skips, NULL);
    ef_cmd_seq_add(q, "first", &cmd_tick, w2, 2, 0, skip_yes, after_mark);
    ef_cmd_seq_add(q, "second", &cmd_tick, w2, 2, 0, NULL, after_mark);
    ef_cmd_seq_add(q, "maybe", &cmd_fail, NULL, 0, EF_SEQ_OPTIONAL, NULL, NULL);
    ef_cmd_seq_add(q, "last", &cmd_tick, w5, 2, 0, NULL, NULL);
    job = ef_cmd_seq_job(q);
    is_int(ef_cmd_seq_count(q), 4, "four stages");
    ef_error_clear(&err);
    rc = run(job, &err);
    is_int(rc, EF_OK, "an optional stage's failure does not stop the sequence");
    is_str(trace, "after tick after fail tick ", "order: skipped (its after hook runs), run, failed, run");
    is_int(skips, 1, "the skip hook got the user pointer");
    is_int(ef_cmd_seq_status(q, 0), EF_SEQ_SKIPPED, "first: skipped");
    is_int(ef_cmd_seq_status(q, 1), EF_SEQ_DONE, "second: done");
    is_int(ef_cmd_seq_status(q, 2), EF_SEQ_FAILED_OPT, "maybe: failed, optional");
    is_str(ef_cmd_seq_error(q, 2)->msg, "bad row", "its error is kept");
    is_int(ef_cmd_seq_status(q, 3), EF_SEQ_DONE, "last: done");
    ok(ef_cmd_seq_stage_job(q, 0) == NULL && ef_cmd_seq_stage_job(q, 3) != NULL, "jobs only for stages that ran");
    is_int(ef_cmd_seq_current(q), 4, "all ran");
    out[0] = '\0';
    rc = ef_cmd_seq_finish_stage(q, 1, &ctx, 0, &err);
    is_str(out, "N:tick in proj|T:ticked in proj|", "finish: make's output replayed, then the finish, on the project");
    out[0] = '\0';
    ef_cmd_seq_finish_stage(q, 1, &ctx, 1, &err);
    is_str(out, "W:quiet tick|", "replayed once; quiet passed on");
    out[0] = '\0';
    is_int(ef_cmd_seq_finish_stage(q, 0, &ctx, 0, &err), EF_OK, "a skipped stage finishes quietly");
    is_str(out, "", "and says nothing");
    ef_job_free(job);

    /* a fatal failure stops the sequence with the stage's error */
    trace[0] = '\0';
    q = ef_cmd_seq_new(&ctx, "proj", NULL, NULL);
    ef_cmd_seq_add(q, "a", &cmd_tick, w2, 2, 0, NULL, NULL);
    ef_cmd_seq_add(q, "b", &cmd_fail, NULL, 0, 0, NULL, NULL);
    ef_cmd_seq_add(q, "c", &cmd_tick, w2, 2, 0, NULL, NULL);
    job = ef_cmd_seq_job(q);
    ef_error_clear(&err);
    rc = run(job, &err);
    is_int(rc, EF_EDATA, "a stage's failure is the sequence's");
    is_str(err.file, "input.csv", "with its file");
    is_int(err.line, 3, "and line");
    is_int(ef_cmd_seq_current(q), 1, "stopped at the failed stage");
    is_int(ef_cmd_seq_status(q, 2), EF_SEQ_PENDING, "the next never ran");
    is_str(trace, "tick fail ", "order");
    ef_job_free(job);

    /* cancel in the middle of a stage: that stage cancels itself */
    trace[0] = '\0';
    q = ef_cmd_seq_new(&ctx, "proj", NULL, NULL);
    ef_cmd_seq_add(q, "a", &cmd_tick, w2, 2, 0, NULL, NULL);
    ef_cmd_seq_add(q, "long", &cmd_tick, (const char *[]){ "--count", "1000" }, 2, 0, NULL, NULL);
    job = ef_cmd_seq_job(q);
    ef_error_clear(&err);
    while (ef_cmd_seq_current(q) < 1 || !ef_cmd_seq_stage_job(q, 1))
        ef_job_step(job, 0, &err);
    for (int i = 0; i < 3; i++)
        ef_job_step(job, 0, &err);   /* a few slices of "long" */
    ef_job_progress(job, &p);
    like(p.stage, "stage 2 of 2 (long): ticking", "progress: the stage, its number, its own label");
    is_str(p.unit, "ticks", "the stage's unit");
    ok(p.total == 1000 && p.done > 0 && p.done < 1000, "and its count (%llu of %llu)", (unsigned long long)p.done,
       (unsigned long long)p.total);
    ef_job_cancel(job);
    rc = ef_job_step(job, 0, &err);
    is_int(rc, EF_ECANCELED, "cancelled");
    is_int(cancelled_ops, 1, "the stage under way ran its cancel");
    is_int(ef_cmd_seq_status(q, 1), EF_SEQ_FAILED, "and is marked failed");
    is_int(ef_cmd_seq_error(q, 1)->code, EF_ECANCELED, "with a cancel error");
    ef_job_free(job);

    return done_testing();
}
