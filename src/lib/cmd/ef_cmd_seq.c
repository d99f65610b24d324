/* ef_cmd_seq.c — entries run one after the other as one job (ef_cmd_seq.h). */
#include "config.h"
#include "cmd/ef_cmd_seq.h"
#include "core/ef_alloc.h"
#include "stats/ef_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A stage's slices are short (about 100 ms at most): step it for about this
 * long per slice of the sequence, so that a cancel is seen soon. */
#define SEQ_SLICE_MS 50

typedef struct stage {
    char *label;
    const ef_cmd *cmd;
    char **words;
    size_t nwords;
    unsigned flags;
    ef_seq_skip_fn skip;
    ef_seq_after_fn after;

    int started, status, rc;
    ef_cmd_args args;
    ef_job *job;
    ef_error err;
    double t0, secs;
    ef_outlog log;          /* what make said, replayed by finish_stage */
} stage;

struct ef_cmd_seq {
    ef_cmd_ctx ctx;         /* the stages' context while they are built */
    ef_sink sink;           /* collects into the current stage's log */
    char *dir;
    void *user;
    void (*user_free)(void *);
    stage *st;
    size_t n, cur;
    char label[128];
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the sink of stages being built: kept for the front end ---------------- */

static void keep_emit(void *user, int kind, const char *text)
{
    ef_cmd_seq *q = user;

    if (q->cur < q->n)
        ef_outlog_add(&q->st[q->cur].log, kind, "%s", text);
}

static void keep_table(void *user, const ef_table *t, int format, int wide, const char *hint)
{
    ef_table_render_opts o = { format, 0, wide, hint };
    char *text = ef_table_render_str(t, &o);

    if (text)
        keep_emit(user, EF_OUT_TEXT, text);
    free(text);
}

/* ---- building the sequence --------------------------------------------------- */

ef_cmd_seq *ef_cmd_seq_new(const ef_cmd_ctx *ctx, const char *project_dir, void *user, void (*user_free)(void *))
{
    ef_cmd_seq *q = ef_xcalloc(1, sizeof *q);

    q->dir = ef_xstrdup(project_dir);
    q->user = user;
    q->user_free = user_free;
    q->sink.emit = keep_emit;
    q->sink.table = keep_table;
    q->sink.user = q;
    q->ctx.project_dir = q->dir;
    q->ctx.quiet = ctx->quiet;
    q->ctx.jobs = ctx->jobs;
    q->ctx.sink = &q->sink;
    q->ctx.data_out = NULL;   /* no stage writes data to standard output */
    return q;
}

size_t ef_cmd_seq_add(ef_cmd_seq *q, const char *label, const ef_cmd *cmd, const char *const *words, size_t n,
                      unsigned flags, ef_seq_skip_fn skip, ef_seq_after_fn after)
{
    stage *s;

    q->st = ef_xreallocarray(q->st, q->n + 1, sizeof *q->st);
    s = &q->st[q->n];
    memset(s, 0, sizeof *s);
    s->label = ef_xstrdup(label);
    s->cmd = cmd;
    s->words = ef_xcalloc(n + 1, sizeof *s->words);
    for (size_t i = 0; i < n; i++)
        s->words[i] = ef_xstrdup(words[i]);
    s->nwords = n;
    s->flags = flags;
    s->skip = skip;
    s->after = after;
    s->status = EF_SEQ_PENDING;
    return q->n++;
}

void ef_cmd_seq_free(ef_cmd_seq *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++) {
        stage *s = &q->st[i];

        ef_job_free(s->job);
        ef_cmd_args_fini(&s->args);
        for (size_t k = 0; k < s->nwords; k++)
            free(s->words[k]);
        free(s->words);
        free(s->label);
        ef_outlog_fini(&s->log);
    }
    free(q->st);
    free(q->dir);
    if (q->user_free)
        q->user_free(q->user);
    free(q);
}

static void seq_free(void *state)
{
    ef_cmd_seq_free(state);
}

void *ef_cmd_seq_user(const ef_cmd_seq *q)
{
    return q->user;
}

/* ---- the job ----------------------------------------------------------------- */

/* Stage s ended: the next one is due.  EF_OK once all have run. */
static int advance(ef_cmd_seq *q, stage *s, int status)
{
    s->status = status;
    s->secs = now_s() - s->t0;
    q->cur++;
    return q->cur >= q->n ? EF_OK : EF_CONTINUE;
}

/* Stage s failed with rc (its error in s->err): an optional stage lets the
 * sequence go on, any other stops it with that error. */
static int fail(ef_cmd_seq *q, stage *s, int rc, ef_error *err)
{
    s->rc = rc;
    if ((s->flags & EF_SEQ_OPTIONAL) && rc != EF_ECANCELED)
        return advance(q, s, EF_SEQ_FAILED_OPT);
    s->status = EF_SEQ_FAILED;
    s->secs = now_s() - s->t0;
    if (err)
        *err = s->err;
    return rc;
}

static int ended(ef_cmd_seq *q, stage *s, int status, ef_error *err)
{
    int rc = s->after ? s->after(q->user, &s->err) : EF_OK;

    return rc == EF_OK ? advance(q, s, status) : fail(q, s, rc, err);
}

static int seq_step(void *state, ef_error *err)
{
    ef_cmd_seq *q = state;
    stage *s;
    int rc;

    if (q->cur >= q->n)
        return EF_OK;
    s = &q->st[q->cur];
    if (!s->started) {
        s->started = 1;
        s->t0 = now_s();
        ef_error_clear(&s->err);
        if (s->skip) {
            rc = s->skip(q->user, &s->err);
            if (rc < 0)
                return fail(q, s, rc, err);
            if (rc == 1)
                return ended(q, s, EF_SEQ_SKIPPED, err);
        }
        rc = ef_cmd_parse(s->cmd, (int)s->nwords, s->words, &s->args, &s->err);
        if (rc == EF_OK)
            rc = s->cmd->make(&q->ctx, &s->args, &s->job, &s->err);
        if (rc != EF_OK)
            return fail(q, s, rc, err);
        return s->job ? EF_CONTINUE : ended(q, s, EF_SEQ_DONE, err);
    }
    rc = ef_job_step(s->job, SEQ_SLICE_MS, &s->err);
    if (rc == EF_CONTINUE)
        return EF_CONTINUE;
    return rc == EF_OK ? ended(q, s, EF_SEQ_DONE, err) : fail(q, s, rc, err);
}

static void seq_progress(const void *state, ef_progress_report *p)
{
    const ef_cmd_seq *q = state;
    ef_cmd_seq *w = (ef_cmd_seq *)state;   /* the label buffer is the sequence's own */
    size_t k = q->cur < q->n ? q->cur : q->n - 1;
    const stage *s;
    ef_progress_report r;

    if (!q->n)
        return;
    s = &q->st[k];
    memset(&r, 0, sizeof r);
    if (s->job)
        ef_job_report(s->job, &r);
    if (r.stage && strcmp(r.stage, s->label) != 0)
        snprintf(w->label, sizeof w->label, "stage %zu of %zu (%s): %s", k + 1, q->n, s->label, r.stage);
    else
        snprintf(w->label, sizeof w->label, "stage %zu of %zu (%s)", k + 1, q->n, s->label);
    *p = r;
    p->stage = w->label;
    if (!r.total) {   /* being built, or a count it cannot know: the stages */
        p->done = k;
        p->total = q->n;
        p->unit = "stages";
        p->part = 0;
    }
}

/* Cancelled: the stage under way cancels itself (its ops->cancel leaves its
 * output consistent, as the command alone would). */
static void seq_cancel(void *state)
{
    ef_cmd_seq *q = state;
    stage *s;

    if (q->cur >= q->n)
        return;
    s = &q->st[q->cur];
    if (!s->started || s->status != EF_SEQ_PENDING)
        return;
    if (s->job) {
        ef_job_cancel(s->job);
        s->rc = ef_job_step(s->job, 0, &s->err);
    } else {
        s->rc = ef_error_set(&s->err, EF_ECANCELED, "%s: cancelled", s->label);
    }
    if (s->rc == EF_OK)   /* it had finished its last slice */
        s->rc = ef_error_set(&s->err, EF_ECANCELED, "%s: cancelled", s->label);
    s->status = EF_SEQ_FAILED;
    s->secs = now_s() - s->t0;
}

static const ef_job_ops seq_ops = {
    .name = "stages",
    .step = seq_step,
    .progress = seq_progress,
    .cancel = seq_cancel,
    .free = seq_free,
};

ef_job *ef_cmd_seq_job(ef_cmd_seq *q)
{
    return ef_job_new(&seq_ops, q);
}

/* ---- results ------------------------------------------------------------------- */

size_t ef_cmd_seq_count(const ef_cmd_seq *q)
{
    return q->n;
}

const char *ef_cmd_seq_label(const ef_cmd_seq *q, size_t i)
{
    return i < q->n ? q->st[i].label : "";
}

int ef_cmd_seq_status(const ef_cmd_seq *q, size_t i)
{
    return i < q->n ? q->st[i].status : EF_SEQ_PENDING;
}

double ef_cmd_seq_seconds(const ef_cmd_seq *q, size_t i)
{
    return i < q->n ? q->st[i].secs : 0;
}

ef_job *ef_cmd_seq_stage_job(ef_cmd_seq *q, size_t i)
{
    return i < q->n ? q->st[i].job : NULL;
}

const ef_error *ef_cmd_seq_error(const ef_cmd_seq *q, size_t i)
{
    return i < q->n ? &q->st[i].err : NULL;
}

size_t ef_cmd_seq_current(const ef_cmd_seq *q)
{
    return q->cur;
}

int ef_cmd_seq_finish_stage(ef_cmd_seq *q, size_t i, const ef_cmd_ctx *ctx, int quiet, ef_error *err)
{
    stage *s;
    ef_cmd_ctx c;
    int rc;

    if (i >= q->n)
        return EF_OK;
    s = &q->st[i];
    c = *ctx;
    c.project_dir = q->dir;
    c.quiet = quiet;
    ef_outlog_flush(&c, &s->log);
    if (s->status == EF_SEQ_PENDING || s->status == EF_SEQ_SKIPPED)
        return EF_OK;
    rc = s->status == EF_SEQ_DONE ? EF_OK : s->rc;
    if (err)
        *err = s->err;
    /* a stage whose make failed has no job: its finish has nothing to report */
    if (s->job && s->cmd->finish)
        rc = s->cmd->finish(&c, &s->args, s->job, rc, err ? err : &s->err);
    return rc;
}
