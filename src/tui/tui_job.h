/* tui_job.h — one command of the library's table at a time, run on a worker
 * thread: the entry's make, its job stepped a slice at a time (holding the
 * HDF5 turn only during a slice), then its finish.  Everything the command
 * says goes to the log; the UI thread only takes progress snapshots. */
#ifndef TUI_JOB_H
#define TUI_JOB_H

#include <stddef.h>
#include "core/ef_job.h"

/* Parse words (words[0]: the command, as on the command line) on the
 * calling thread and start the worker.  0 when it started; -1 with the
 * reason in msg (a usage error, a job already running). */
int tui_job_start(const char *project_dir, int argc, char **argv, char *msg, size_t msgsz);
/* 1 while a command runs (from start until its result was taken). */
int tui_job_running(void);
/* Ask the running job to stop (it leaves its output consistent). */
void tui_job_cancel(void);
int tui_job_cancelling(void);
/* Snapshot of the running command: its name, the job's progress (p->total
 * 0 and fraction -1 before the job exists), seconds since it started.
 * 0 when nothing runs. */
int tui_job_snapshot(char *name, size_t namesz, ef_progress *p, double *seconds);
/* Once after a command ended: 1 with its status and a one-line outcome
 * ("preprocess: done in 12.3 s", or the error). */
int tui_job_take_result(int *rc, char *msg, size_t msgsz);
/* Cancel and wait for the worker (at exit). */
void tui_job_shutdown(void);

#endif
