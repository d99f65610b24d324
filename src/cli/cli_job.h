/* cli_job.h — what the commands around the part-writing stages share:
 * preprocess and embed take the same run options and report leftovers the
 * same way. */
#ifndef EF_CLI_JOB_H
#define EF_CLI_JOB_H

#include <getopt.h>
#include <stddef.h>
#include "core/ef_error.h"

/* --jobs N, --shard K/N, --restart, --limit N. */
#define CLI_STAGE_OPTIONS                                                                          \
    { "jobs", required_argument, NULL, 'j' }, { "shard", required_argument, NULL, 'S' },          \
    { "restart", no_argument, NULL, 'r' }, { "limit", required_argument, NULL, 'l' }

/* Where they go: the same-named fields of a stage's options (threads,
 * shard_k, shard_n, restart, limit), CLI_STAGE_ARGS(o). */
typedef struct cli_stage_args {
    int *threads, *shard_k, *shard_n, *restart;
    size_t *limit;
} cli_stage_args;
#define CLI_STAGE_ARGS(o) { &(o).threads, &(o).shard_k, &(o).shard_n, &(o).restart, &(o).limit }
/* Take option c (getopt_long's answer, value arg) if it is one of
 * CLI_STAGE_OPTIONS: 0 when taken, CLI_EXIT_USAGE after printing a usage
 * error for cmd, -1 when c is not one of them. */
int cli_stage_option(const char *cmd, int c, const char *arg, const cli_stage_args *a);
/* After a run: the fold's warnings (n 0 when there was no fold), then the
 * stray temporaries of an interrupted run it removed. */
void cli_stage_warnings(char *const *warnings, size_t n, size_t tmp_removed);

#endif
