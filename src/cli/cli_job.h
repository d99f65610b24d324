/* cli_job.h — what the commands around the part-writing stages share:
 * preprocess and embed take the same run options and report leftovers the
 * same way; export ecg and export embeddings write to a file or "-". */
#ifndef EF_CLI_JOB_H
#define EF_CLI_JOB_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
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

/* getopt_long for an export command: takes -f/--format and -o/--output
 * (into *format, *out) itself and returns the other options, -1 at the
 * end.  Set optind to 0 first: GNU getopt then starts over on this argv. */
int cli_export_getopt(int argc, char **argv, const struct option *opts, const char **format,
                      const char **out);
/* The -o target: stdout for "-", else a new file ("cannot create" error). */
int cli_out_open(const char *out, FILE **fp, ef_error *err);
/* Flush (stdout) or close it; a write error gives "write failed" unless rc
 * already is an error.  Returns the outcome. */
int cli_out_close(FILE *fp, const char *out, int rc, ef_error *err);

#endif
