/* ef_cmd_seq.h — several command-table entries run as one job, one after
 * the other (`ecgfit demo`: synth, labels, preprocess, embed, train ...).
 *
 * Each stage is an entry with its words, exactly as typed after its name
 * on the command line, so a stage behaves as the command would (its
 * options, defaults, resume logic).  The sequence's job builds a stage's job
 * when the previous one ended and steps it; its progress is the stage's,
 * labelled "stage k of n (name)"; cancelling it cancels the stage under way.
 * Stages' finish functions report through a sink, which belongs to the
 * front end's thread: they are not called by the job but afterwards, by the
 * caller, through ef_cmd_seq_finish_stage.
 *
 * Hooks run on the stepping thread: skip (before a stage is built) tells
 * that its work is done already, after (once it succeeded or was skipped)
 * does what the sequence adds to the stage. */
#ifndef EF_CMD_SEQ_H
#define EF_CMD_SEQ_H

#include <stddef.h>
#include "cmd/ef_cmd.h"

typedef struct ef_cmd_seq ef_cmd_seq;

enum ef_seq_status {
    EF_SEQ_PENDING,      /* not reached */
    EF_SEQ_DONE,         /* ran and succeeded */
    EF_SEQ_SKIPPED,      /* its skip hook found the work done */
    EF_SEQ_FAILED,       /* ran and failed (or was cancelled) */
    EF_SEQ_FAILED_OPT    /* an optional stage failed; the sequence went on */
};

enum ef_seq_flags {
    EF_SEQ_OPTIONAL = 1u << 0   /* a failure is reported, not fatal */
};

/* 1: the stage's work is done (skip it), 0: run it, or an error. */
typedef int (*ef_seq_skip_fn)(void *user, ef_error *err);
typedef int (*ef_seq_after_fn)(void *user, ef_error *err);

/* Stages run on project_dir with ctx's jobs and quiet; user is passed to
 * the hooks and released with user_free (NULL: not owned). */
ef_cmd_seq *ef_cmd_seq_new(const ef_cmd_ctx *ctx, const char *project_dir, void *user, void (*user_free)(void *));
/* Frees a sequence that never became a job. */
void ef_cmd_seq_free(ef_cmd_seq *q);
void *ef_cmd_seq_user(const ef_cmd_seq *q);
/* Add a stage running cmd with words[0..n-1] (copied); label names it in
 * progress and reports ("synth", "encoder").  Returns its index. */
size_t ef_cmd_seq_add(ef_cmd_seq *q, const char *label, const ef_cmd *cmd, const char *const *words, size_t n,
                      unsigned flags, ef_seq_skip_fn skip, ef_seq_after_fn after);

/* The job that runs the stages; it owns q (ef_job_state gives it back). */
ef_job *ef_cmd_seq_job(ef_cmd_seq *q);

size_t ef_cmd_seq_count(const ef_cmd_seq *q);
const char *ef_cmd_seq_label(const ef_cmd_seq *q, size_t i);
int ef_cmd_seq_status(const ef_cmd_seq *q, size_t i);
/* Wall seconds of stage i (building, running and its hooks). */
double ef_cmd_seq_seconds(const ef_cmd_seq *q, size_t i);
/* The stage's job (NULL if it never had one), for its results. */
ef_job *ef_cmd_seq_stage_job(ef_cmd_seq *q, size_t i);
/* The error of a failed stage. */
const ef_error *ef_cmd_seq_error(const ef_cmd_seq *q, size_t i);
/* The stage under way or that stopped the sequence (count when all ran). */
size_t ef_cmd_seq_current(const ef_cmd_seq *q);

/* Call stage i's finish (if it ran) through ctx, with ctx->project_dir set
 * to the sequence's and quiet as given: its warnings and report.  Returns
 * its status; err gets its error.  Output the stages made while they were
 * built is replayed first (once). */
int ef_cmd_seq_finish_stage(ef_cmd_seq *q, size_t i, const ef_cmd_ctx *ctx, int quiet, ef_error *err);

#endif
