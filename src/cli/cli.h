/* cli.h — the batch front end: global options, the command table's entries
 * run to completion, exit codes, progress on stderr.  Library errors are printed here and only here. */
#ifndef EF_CLI_H
#define EF_CLI_H

#include "core/ef_error.h"
#include "core/ef_job.h"
#include "stats/ef_table.h"

#include <stdio.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_DATA = 1, CLI_EXIT_USAGE = 2 };

/* Global options shared by every subcommand. */
typedef struct cli_ctx {
    const char *project_dir;  /* -C DIR, default "." */
    int quiet;                /* -q: no progress, no funnel chatter */
    int wait;                 /* --wait: wait for another writer of the project */
} cli_ctx;

int cli_main(int argc, char **argv);
/* True when argv asks for the TUI (no subcommand or `tui`) and stdin/stdout
 * are terminals. */
int cli_wants_tui(int argc, char **argv);

/* Reporting, all to stderr: "ecgfit: FILE:LINE: message". */
/* A "project busy" error suggests --wait unless waited. */
void cli_error(const ef_error *err, int waited);
void cli_errorf(const char *fmt, ...) EF_PRINTF(1, 2);
/* Prints "ecgfit: CMD: message" + a hint to --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) EF_PRINTF(2, 3);
/* Default for --jobs: the number of online cores. */
int cli_default_jobs(void);
/* Exit status for a library status code. */
int cli_exit_for(int status);

/* Width for text tables on fp: $COLUMNS, else the terminal's when fp is a
 * terminal's stdout; 0 (every column) otherwise. */
size_t cli_table_width(FILE *fp);
/* Render t on fp, text fitted to cli_table_width unless wide; hint ends the
 * line that names columns left out. */
int cli_print_table(FILE *fp, const ef_table *t, int format, int wide, const char *hint, ef_error *err);

/* Run a job to completion, drawing one updating progress line on stderr when
 * it is a terminal (and not -q).  SIGINT/SIGTERM cancel the job cleanly. */
int cli_run_job(cli_ctx *ctx, ef_job *job, ef_error *err);
/* 1 once SIGINT/SIGTERM asked the running job to stop. */
int cli_cancel_requested(void);

/* Run argv (argv[0]: the command word) through the command table. */
int cli_run_entry(cli_ctx *ctx, int argc, char **argv);
/* After a command succeeded: the project it asks to open in the
 * interactive interface (`ecgfit demo`), or NULL. */
const char *cli_open_project(void);
/* While --wait waits for another writer: say so on stderr; give up on Ctrl-C. */
int cli_on_waiting(void *arg, const char *msg);
/* A command's --help, generated from its option specs. */
struct ef_cmd;
void cli_print_entry_help(const struct ef_cmd *cmd);

#endif
