/* cli_progress.c — step a job to completion, showing its progress: on a
 * terminal one line redrawn in place, clipped to the window; off one (a
 * log, nohup, a SLURM job) a timestamped line per finished unit (fit,
 * shard, 5% of ECGs) once the job has run a few seconds, flushed, so a
 * long run's log shows where it is.  SIGINT/SIGTERM cancel the job cleanly.
 * ECGFIT_PROGRESS=off|tty|log overrides the choice. */
#include "config.h"
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define LOG_AFTER_S 5.0   /* quick commands stay silent in logs */

static ef_job *volatile current_job;

static void on_signal(int sig)
{
    (void)sig;
    if (current_job)
        ef_job_cancel(current_job);
}

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void human(char *buf, size_t size, uint64_t v, const char *unit)
{
    if (strcmp(unit, "bytes") == 0) {
        if (v >= (1ULL << 30))
            snprintf(buf, size, "%.2f GB", (double)v / (1 << 30));
        else
            snprintf(buf, size, "%.1f MB", (double)v / (1 << 20));
    } else {
        snprintf(buf, size, "%llu %s", (unsigned long long)v, unit);
    }
}

static void duration(char *buf, size_t size, double s)
{
    if (s < 90)
        snprintf(buf, size, "%.0f s", s);
    else if (s < 5400)
        snprintf(buf, size, "%.0f min", s / 60);
    else
        snprintf(buf, size, "%.1f h", s / 3600);
}

/* "stage: 42.0%  3 of 12 fits  41 s elapsed, ~57 s left" */
static void describe(const ef_progress *p, double el, char *buf, size_t size)
{
    char count[80], done[32], total[32], e[16], left[16];

    duration(e, sizeof e, el);
    if (p->fraction < 0) {
        human(done, sizeof done, p->done, p->unit);
        snprintf(buf, size, "%s: %s  %s elapsed", p->stage, done, e);
        return;
    }
    if (strcmp(p->unit, "bytes") == 0) {
        human(done, sizeof done, p->done, p->unit);
        human(total, sizeof total, p->total, p->unit);
        snprintf(count, sizeof count, "%s of %s", done, total);
    } else {
        snprintf(count, sizeof count, "%llu of %llu %s", (unsigned long long)p->done, (unsigned long long)p->total,
                 p->unit);
    }
    if (p->fraction >= 1) {
        snprintf(buf, size, "%s: done, %s in %s", p->stage, count, e);
    } else if (p->fraction > 0.01) {
        duration(left, sizeof left, el * (1 - p->fraction) / p->fraction);
        snprintf(buf, size, "%s: %.1f%%  %s  %s elapsed, ~%s left", p->stage, 100 * p->fraction, count, e, left);
    } else {
        snprintf(buf, size, "%s: %.1f%%  %s  %s elapsed", p->stage, 100 * p->fraction, count, e);
    }
}

static int term_width(void)
{
    struct winsize ws;
    const char *c = getenv("COLUMNS");

    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return c && atoi(c) > 0 ? atoi(c) : 80;
}

static void draw(ef_job *job, double t0)
{
    ef_progress p;
    char line[512];
    int w = term_width() - 1;

    ef_job_progress(job, &p);
    describe(&p, seconds() - t0, line, sizeof line);
    if (w > 0 && (size_t)w < strlen(line))
        line[w] = '\0';   /* a wrapped line would scroll at every redraw */
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

/* Off a terminal: a line when a unit finished (or 5% more, for many units). */
typedef struct logstate {
    uint64_t done;
    double frac;
    char stage[128];
} logstate;

static void log_line(ef_job *job, double t0, logstate *ls, int force)
{
    ef_progress p;
    char line[512], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    int unit_step;

    ef_job_progress(job, &p);
    unit_step = p.total && p.total <= 100 ? p.done != ls->done : p.fraction >= ls->frac + 0.05;
    if (!force && !unit_step && strcmp(p.stage, ls->stage) == 0)
        return;
    ls->done = p.done;
    ls->frac = p.fraction;
    snprintf(ls->stage, sizeof ls->stage, "%s", p.stage);
    describe(&p, seconds() - t0, line, sizeof line);
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(stderr, "%s %s\n", stamp, line);
    fflush(stderr);
}

int cli_cancel_requested(void)
{
    ef_job *job = current_job;

    return job && ef_job_cancelled(job);
}

int cli_run_job(cli_ctx *ctx, ef_job *job, ef_error *err)
{
    struct sigaction sa, old_int, old_term;
    const char *mode = getenv("ECGFIT_PROGRESS");
    int tty = !ctx->quiet && isatty(STDERR_FILENO), logging;
    double t0 = seconds(), last = 0;
    logstate ls;
    int rc;

    if (mode && !strcmp(mode, "off"))
        tty = 0;
    else if (mode && !strcmp(mode, "tty"))
        tty = !ctx->quiet;
    logging = !ctx->quiet && !tty && !(mode && !strcmp(mode, "off"));
    memset(&ls, 0, sizeof ls);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    current_job = job;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    while ((rc = ef_job_step(job, 100, err)) == EF_CONTINUE) {
        double now = seconds();

        if (tty && now - last >= 0.1) {
            draw(job, t0);
            last = now;
        } else if (logging && (now - t0 >= LOG_AFTER_S || (mode && !strcmp(mode, "log")))) {
            log_line(job, t0, &ls, 0);
        }
    }
    if (tty) {
        draw(job, t0);
        fputs("\r\033[K", stderr);
    } else if (logging && ls.stage[0]) {
        log_line(job, t0, &ls, 1);   /* the end of a run that was logged */
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    current_job = NULL;
    if (getenv("ECGFIT_STEP_STATS"))   /* for bench/: how responsive a UI driving this job would be */
        fprintf(stderr, "ecgfit: %s: longest step %.1f ms\n", ef_job_name(job), ef_job_longest_step_ms(job));
    return rc;
}
