/* tui_job.c — the worker thread that runs commands (see tui_job.h). */
#include "config.h"
#include "tui_job.h"
#include "tui_bg.h"
#include "tui_crt.h"
#include "tui_log.h"
#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"
#include "stats/ef_table.h"
#include "store/ef_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLICE_MS 30

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    int running, ended, have_thread, cancelled;
    pthread_t th;
    ef_job *job;            /* valid while running, under mu */
    char name[64];
    double t0;
    int rc;
    char outcome[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 64];
    /* the command being run (owned by the worker while running) */
    const ef_cmd *cmd;
    ef_cmd_args args;
    char **words;           /* the words parsed (copies: the args point into them) */
    char project[4096];
} W;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sink_emit(void *user, int kind, const char *text)
{
    (void)user;
    tui_log_add(kind == EF_OUT_WARN ? TUI_LOG_WARN : kind == EF_OUT_NOTE ? TUI_LOG_NOTE : TUI_LOG_TEXT, text);
}

static void sink_table(void *user, const ef_table *t, int format, int wide, const char *hint)
{
    ef_table_render_opts o = { format, 0, wide, hint };
    char *s;

    (void)user;
    o.width = format == EF_TABLE_TEXT && !wide ? 200 : 0;
    s = ef_table_render_str(t, &o);
    if (s)
        tui_log_add(TUI_LOG_TEXT, s);
    free(s);
}

static const ef_sink tui_sink = { sink_emit, sink_table, NULL };

static long cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? n : 1;
}

static void *worker(void *arg)
{
    ef_cmd_ctx ctx;
    ef_store_writer writer = { 0 };
    ef_error err;
    ef_job *job = NULL;
    int rc;
    char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 32];

    (void)arg;
    ef_error_clear(&err);
    memset(&ctx, 0, sizeof ctx);
    ctx.project_dir = W.project;
    ctx.jobs = (int)cores();
    ctx.sink = &tui_sink;
    ctx.data_out = NULL;    /* "-o -" would write behind curses: refused */
    writer.name = W.cmd->name;
    writer.wait = 0;
    ef_store_set_thread_writer(&writer);

    tui_h5_enter();
    rc = W.cmd->make(&ctx, &W.args, &job, &err);
    tui_h5_leave();
    if (rc == EF_OK && job) {
        pthread_mutex_lock(&mu);
        W.job = job;
        if (W.cancelled)
            ef_job_cancel(job);
        pthread_mutex_unlock(&mu);
        do {
            tui_h5_enter();
            rc = ef_job_step(job, SLICE_MS, &err);
            tui_h5_leave();
        } while (rc == EF_CONTINUE);
    }
    if (W.cmd->finish && (rc == EF_OK || job)) {
        tui_h5_enter();
        rc = W.cmd->finish(&ctx, &W.args, job, rc, &err);
        tui_h5_leave();
    }
    pthread_mutex_lock(&mu);
    W.job = NULL;
    pthread_mutex_unlock(&mu);
    ef_job_free(job);
    ef_store_set_thread_writer(NULL);

    pthread_mutex_lock(&mu);
    W.rc = rc;
    if (rc == EF_OK)
        snprintf(W.outcome, sizeof W.outcome, "%s: done in %.1f s  (L: what it reported)", W.name, now_s() - W.t0);
    else if (rc == EF_ECANCELED)
        snprintf(W.outcome, sizeof W.outcome, "%s: cancelled; what was finished is kept (r resumes)", W.name);
    else
        snprintf(W.outcome, sizeof W.outcome, "%s: %s", W.name, ef_error_format(&err, buf, sizeof buf));
    W.ended = 1;
    pthread_mutex_unlock(&mu);
    tui_crt_wake();   /* the frame shows and logs the outcome */
    return NULL;
}

/* The words a job's arguments point into: copies, since the caller's
 * command line is gone while the worker still reads them. */
static void free_words(char **words)
{
    for (size_t i = 0; words && words[i]; i++)
        free(words[i]);
    free(words);
}

static void reap(void)
{
    if (W.have_thread) {
        pthread_join(W.th, NULL);
        W.have_thread = 0;
        ef_cmd_args_fini(&W.args);
        free_words(W.words);
        W.words = NULL;
    }
}

int tui_job_start(const char *project_dir, int argc, char **argv, char *msg, size_t msgsz)
{
    const ef_cmd *cmd;
    ef_error err;
    int subject, n = 0, rc;
    char **words;

    if (tui_job_running()) {
        snprintf(msg, msgsz, "%s is running: wait for it or cancel it (Esc) first", W.name);
        return -1;
    }
    reap();
    ef_error_clear(&err);
    rc = ef_cmd_lookup(argc, argv, &cmd, &subject, &err);
    if (!cmd || rc != EF_OK) {
        snprintf(msg, msgsz, "%s", err.msg);
        return -1;
    }
    words = calloc((size_t)argc + 1, sizeof *words);
    for (int i = 1; i < argc; i++)   /* the caller's argv does not outlive this call */
        if (i != subject)
            words[n++] = ef_xstrdup(argv[i]);
    rc = ef_cmd_parse(cmd, n, words, &W.args, &err);
    if (rc != EF_OK) {
        snprintf(msg, msgsz, "%s: %s", cmd->name, err.msg);
        free_words(words);
        return -1;
    }
    if (W.args.g_help || (W.args.npos < cmd->npos_min && (cmd->flags & EF_CMD_GROUP))) {
        char *help = ef_cmd_help(cmd);   /* the CLI's help, in the log */

        if (help)
            tui_log_add(TUI_LOG_TEXT, help);
        free(help);
        snprintf(msg, msgsz, "%s: its help is in the log (L)", cmd->name);
        ef_cmd_args_fini(&W.args);
        free_words(words);
        return -1;
    }
    W.words = words;
    W.cmd = cmd;
    snprintf(W.project, sizeof W.project, "%s", W.args.g_project ? W.args.g_project : project_dir);
    snprintf(W.name, sizeof W.name, "%s", cmd->name);
    W.t0 = now_s();
    W.ended = 0;
    W.cancelled = 0;
    W.running = 1;
    {
        char line[1024] = "";
        size_t len = 0;

        for (int i = 0; i < argc && len < sizeof line; i++)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", i ? " " : "$ ecgfit ", argv[i]);
        tui_log_add(TUI_LOG_NOTE, line);
    }
    if (pthread_create(&W.th, NULL, worker, NULL) != 0) {
        W.running = 0;
        ef_cmd_args_fini(&W.args);
        free_words(words);
        W.words = NULL;
        snprintf(msg, msgsz, "cannot start a thread");
        return -1;
    }
    W.have_thread = 1;
    return 0;
}

int tui_job_running(void)
{
    int r;

    pthread_mutex_lock(&mu);
    r = W.running;
    pthread_mutex_unlock(&mu);
    return r;
}

void tui_job_cancel(void)
{
    pthread_mutex_lock(&mu);
    if (W.running && !W.ended) {
        W.cancelled = 1;
        if (W.job)
            ef_job_cancel(W.job);
    }
    pthread_mutex_unlock(&mu);
}

int tui_job_cancelling(void)
{
    int c;

    pthread_mutex_lock(&mu);
    c = W.running && W.cancelled;
    pthread_mutex_unlock(&mu);
    return c;
}

int tui_job_snapshot(char *name, size_t namesz, ef_progress *p, double *seconds)
{
    int r;

    pthread_mutex_lock(&mu);
    r = W.running && !W.ended;
    if (r) {
        if (name)
            snprintf(name, namesz, "%s", W.name);
        if (p) {
            if (W.job) {
                ef_job_progress(W.job, p);
            } else {
                memset(p, 0, sizeof *p);
                p->fraction = -1;
                snprintf(p->stage, sizeof p->stage, "starting");
            }
        }
        if (seconds)
            *seconds = now_s() - W.t0;
    }
    pthread_mutex_unlock(&mu);
    return r;
}

int tui_job_take_result(int *rc, char *msg, size_t msgsz)
{
    int r;

    pthread_mutex_lock(&mu);
    r = W.running && W.ended;
    if (r) {
        *rc = W.rc;
        snprintf(msg, msgsz, "%s", W.outcome);
        W.running = 0;
    }
    pthread_mutex_unlock(&mu);
    if (r)
        reap();
    return r;
}

void tui_job_shutdown(void)
{
    tui_job_cancel();
    reap();
    pthread_mutex_lock(&mu);
    W.running = 0;
    pthread_mutex_unlock(&mu);
}
