/* cli_progress.c — step a job to completion with a one-line progress
 * display on a terminal stderr, and cancel it cleanly on SIGINT/SIGTERM. */
#include "config.h"
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

static void draw(const ef_job *job, double t0)
{
    ef_progress p;
    char done[32], total[32];
    double el = seconds() - t0;

    ef_job_progress(job, &p);
    human(done, sizeof done, p.done, p.unit);
    if (p.total) {
        double f = (double)p.done / (double)p.total;
        double eta = f > 0.01 ? el * (1 - f) / f : 0;

        human(total, sizeof total, p.total, p.unit);
        fprintf(stderr, "\r\033[K%s: %5.1f%%  %s of %s  %.0fs elapsed%s", p.stage, 100 * f, done,
                total, el, "");
        if (eta > 0)
            fprintf(stderr, ", ~%.0fs left", eta);
    } else {
        fprintf(stderr, "\r\033[K%s: %s  %.0fs", p.stage, done, el);
    }
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
    int tty = !ctx->quiet && isatty(STDERR_FILENO);
    double t0 = seconds(), last = 0;
    int rc;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    current_job = job;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    while ((rc = ef_job_step(job, 100, err)) == EF_CONTINUE) {
        if (tty && seconds() - last >= 0.1) {
            draw(job, t0);
            last = seconds();
        }
    }
    if (tty) {
        draw(job, t0);
        fputs("\r\033[K", stderr);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    current_job = NULL;
    return rc;
}
