/* cli.h — the batch front end: subcommands, option parsing, exit codes,
 * progress lines on stderr.  Library errors are printed here and only here. */
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
} cli_ctx;

typedef struct cli_command {
    const char *name;
    const char *usage;        /* one line after "ecgfit " */
    const char *summary;      /* one sentence for the command list */
    const char *help;         /* full --help text after the usage line */
    int (*run)(cli_ctx *ctx, int argc, char **argv);  /* argv[0] is the name */
} cli_command;

int cli_main(int argc, char **argv);
/* True when argv asks for the TUI (no subcommand or `tui`) and stdin/stdout
 * are terminals. */
int cli_wants_tui(int argc, char **argv);

/* Reporting, all to stderr: "ecgfit: FILE:LINE: message". */
void cli_error(const ef_error *err);
void cli_errorf(const char *fmt, ...) EF_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) EF_PRINTF(1, 2);
/* Prints "ecgfit: CMD: message" + a hint to --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) EF_PRINTF(2, 3);
/* Report the option getopt_long just rejected; returns CLI_EXIT_USAGE. */
int cli_bad_option(const char *cmd, char **argv);
/* Parse an integer option value in [min, max]; on failure print a usage
 * error for cmd and return CLI_EXIT_USAGE, else 0. */
int cli_parse_long(const char *cmd, const char *opt, const char *arg, long min, long max, long *out);
/* --shard "K/N" with 1 <= K <= N; 1 on success. */
int cli_parse_shard(const char *s, int *k, int *n);
/* Split a comma list into words (the caller frees list[0] and list; NULL
 * and *n = 0 for an empty list). */
char **cli_split_list(const char *s, size_t *n);
/* Free a list from cli_split_list (NULL is a no-op). */
void cli_free_list(char **list);
/* Default for --jobs: the number of online cores. */
int cli_default_jobs(void);
/* Exit status for a library status code. */
int cli_exit_for(int status);
/* Print a command's --help text to stdout. */
void cli_print_help(const cli_command *cmd);

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

/* Run argv (argv[0]: the command word) through the command table;
 * -1 when the table has no such command. */
int cli_run_entry(cli_ctx *ctx, int argc, char **argv);
struct ef_cmd;
void cli_print_entry_help(const struct ef_cmd *cmd);

/* The subcommands. */
extern const cli_command cli_cmd_labels;

#endif
