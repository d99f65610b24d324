/* cli_run.c — run an entry of the command table: parse its words, build
 * its job, step it with a progress line, and print what its sink receives
 * (text to stdout, notes and warnings to stderr). */
#include "config.h"
#include "cli.h"
#include "cmd/ef_cmd.h"
#include "store/ef_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void emit(void *user, int kind, const char *text)
{
    (void)user;
    if (kind == EF_OUT_TEXT) {
        fputs(text, stdout);
        return;
    }
    fflush(stdout);
    fprintf(stderr, "ecgfit: %s%s\n", kind == EF_OUT_WARN ? "warning: " : "", text);
}

static void table(void *user, const ef_table *t, int format, int wide, const char *hint)
{
    (void)user;
    cli_print_table(stdout, t, format, wide, hint, NULL);
}

static const ef_sink cli_sink = { emit, table, NULL };

/* The project a command asked to open next (ef_cmd_ctx.open_project). */
static const char *open_next;

const char *cli_open_project(void)
{
    return open_next;
}

void cli_print_entry_help(const ef_cmd *cmd)
{
    char *h = ef_cmd_help(cmd);

    fputs(h, stdout);
    free(h);
}

/* Print err: a usage error with the hint to --help, else FILE:LINE: message. */
static void report(const cli_ctx *g, const ef_cmd *cmd, const ef_error *err)
{
    if (err->code == EF_EUSAGE)
        cli_usage_error(cmd ? cmd->name : NULL, "%s", err->msg);
    else
        cli_error(err, g->wait);
}

int cli_run_entry(cli_ctx *g, int argc, char **argv)
{
    const ef_cmd *cmd;
    ef_cmd_args a;
    ef_cmd_ctx ctx;
    ef_store_writer writer;
    ef_error err;
    ef_job *job = NULL;
    char **words;
    int subject, n = 0, rc;

    ef_error_clear(&err);
    memset(&writer, 0, sizeof writer);
    rc = ef_cmd_lookup(argc, argv, &cmd, &subject, &err);
    if (!cmd) {   /* an unknown command, with a did-you-mean */
        report(g, NULL, &err);
        return CLI_EXIT_USAGE;
    }
    if (rc != EF_OK) {
        /* a group's unknown subject: the message names the group */
        fflush(stdout);
        fprintf(stderr, "ecgfit: %s\nTry 'ecgfit %s --help' for more information.\n", err.msg, cmd->name);
        return CLI_EXIT_USAGE;
    }
    words = calloc((size_t)argc + 1, sizeof *words);
    for (int i = 1; i < argc; i++)
        if (i != subject)
            words[n++] = argv[i];
    rc = ef_cmd_parse(cmd, n, words, &a, &err);
    if (rc != EF_OK) {
        report(g, cmd, &err);
        free(words);
        return cli_exit_for(rc);
    }
    if (a.g_help) {
        cli_print_entry_help(cmd);
        ef_cmd_args_fini(&a);
        free(words);
        return CLI_EXIT_OK;
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.project_dir = a.g_project ? a.g_project : g->project_dir;
    ctx.quiet = g->quiet || a.g_quiet;
    ctx.jobs = cli_default_jobs();
    ctx.sink = &cli_sink;
    ctx.data_out = stdout;
    g->project_dir = ctx.project_dir;
    g->quiet = ctx.quiet;
    g->wait |= a.g_wait;
    writer.name = cmd->name;   /* "project busy: train is writing" */
    writer.wait = g->wait;
    writer.waiting = cli_on_waiting;
    ef_store_set_writer(&writer);
    if (a.npos < cmd->npos_min && (cmd->flags & EF_CMD_GROUP))
        rc = ef_cmd_usage(&err, "%s", cmd->intro ? cmd->intro : "expected a subject");
    else
        rc = cmd->make(&ctx, &a, &job, &err);
    if (rc == EF_OK && job)
        rc = cli_run_job(g, job, &err);
    if (cmd->finish && (rc == EF_OK || job))
        rc = cmd->finish(&ctx, &a, job, rc, &err);
    if (rc != EF_OK)
        report(g, cmd, &err);
    else
        open_next = ctx.open_project;
    ef_job_free(job);
    ef_cmd_args_fini(&a);
    free(words);
    return cli_exit_for(rc);
}
