/* ef_cmd.h — the one command table both front ends run (tmux's cmd_entry).
 *
 * Every operation of ecgfit is an entry: its name ("train", "export
 * labels"), typed option specs (the one source for parsing, --help, the man
 * page check and, later, the TUI's forms and completion), flags, and a
 * constructor that turns parsed options into an ef_job.  The front end runs
 * the job (the CLI to completion with a progress line, the TUI on a worker
 * thread), then calls the entry's finish on its own thread, which reports
 * through the context's sink: nothing here writes to a terminal.
 *
 * Usage errors (a bad option, a value out of range, a typo) are EF_EUSAGE
 * with a message and, where one is close, a "did you mean". */
#ifndef EF_CMD_H
#define EF_CMD_H

#include <stddef.h>
#include <stdio.h>
#include "core/ef_error.h"
#include "core/ef_job.h"

enum ef_opt_type {
    EF_OPT_FLAG,      /* no value */
    EF_OPT_STRING,    /* any text (a name, a file) */
    EF_OPT_INT,       /* whole number in [min, max] */
    EF_OPT_DOUBLE,    /* number in [min, max] */
    EF_OPT_CHOICE,    /* one of choices */
    EF_OPT_LIST       /* comma-separated words (choices: each must be one, NULL: any) */
};

enum ef_opt_flags {
    EF_OPT_OPTIONAL_VALUE = 1u << 0,   /* --name or --name=V (or --name V when V is valid) */
    EF_OPT_HIDDEN = 1u << 1            /* accepted, not listed in --help */
};

typedef struct ef_opt_spec {
    const char *name;                  /* long name, without "--" */
    char short_name;                   /* 0: none */
    int type;                          /* enum ef_opt_type */
    const char *arg;                   /* value's name in help: "N", "FILE", "T[,T...]" */
    const char *help;                  /* help text; '\n' continues on the next help line */
    double min, max;                   /* EF_OPT_INT / EF_OPT_DOUBLE */
    const char *const *choices;        /* NULL-terminated; CHOICE, LIST */
    unsigned flags;                    /* enum ef_opt_flags */
} ef_opt_spec;

/* One option's value after parsing. */
typedef struct ef_cmd_val {
    int given;                         /* how many times it was given */
    const char *str;                   /* the text (argv's memory), NULL if absent */
    long num;                          /* INT */
    double real;                       /* DOUBLE */
    char **list;                       /* LIST: the words (owned) */
    size_t nlist;
} ef_cmd_val;

struct ef_cmd;
typedef struct ef_cmd_args {
    const struct ef_cmd *cmd;
    ef_cmd_val *val;                   /* [cmd->nopts] */
    char **pos;                        /* positional words (argv's memory) */
    size_t npos;
    /* global options met among the command's words (-C DIR, -q, --wait) */
    const char *g_project;
    int g_quiet, g_wait, g_help;
} ef_cmd_args;

/* Where a command's output goes.  kind: text for standard output (tables,
 * summaries), a note (said beside data, on stderr in the CLI), a warning. */
enum ef_out_kind { EF_OUT_TEXT, EF_OUT_NOTE, EF_OUT_WARN };
struct ef_table;
typedef struct ef_sink {
    void (*emit)(void *user, int kind, const char *text);
    /* A table for standard output in format (enum ef_table_format); text
     * is fitted to the front end's width unless wide, hint naming what
     * shows the dropped columns.  NULL: rendered unfitted as text. */
    void (*table)(void *user, const struct ef_table *t, int format, int wide, const char *hint);
    void *user;
} ef_sink;

typedef struct ef_cmd_ctx {
    const char *project_dir;           /* -C DIR, "." by default */
    int quiet;                         /* -q: no funnel or summary chatter */
    int jobs;                          /* default --jobs: the cores to use */
    const ef_sink *sink;
    FILE *data_out;                    /* where "-o -" writes (CLI: stdout); NULL: refused */
    int data_out_used;                 /* set by a command that wrote to data_out */
    /* Set by a finish: the project to open next in the interactive interface,
     * when the front end has one and runs on a terminal (`ecgfit demo`).
     * Text that outlives the command (argv's, or static). */
    const char *open_project;
} ef_cmd_ctx;

enum ef_cmd_flags {
    EF_CMD_PROJECT = 1u << 0,          /* works on the project of -C DIR */
    EF_CMD_WRITES = 1u << 1,           /* updates the project store */
    EF_CMD_GROUP = 1u << 2             /* only names sub-commands ("export") */
};

typedef struct ef_cmd {
    const char *name;                  /* "train", "export labels" */
    const char *summary;               /* one line for the command list */
    const char *synopsis;              /* usage after "ecgfit [-C DIR] " (may hold '\n') */
    const char *intro;                 /* help paragraphs before the options */
    const char *outro;                 /* help paragraphs after them ("" or NULL: none) */
    const ef_opt_spec *opts;
    size_t nopts;
    size_t npos_min, npos_max;         /* positional words */
    unsigned flags;                    /* enum ef_cmd_flags */
    /* Build the job (NULL: nothing to run; finish is still called). */
    int (*make)(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err);
    /* After the job ended with rc: report through ctx->sink; returns the
     * final status (usually rc).  NULL: just rc. */
    int (*finish)(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err);
} ef_cmd;

/* ---- the table ----------------------------------------------------------- */

size_t ef_cmd_count(void);
const ef_cmd *ef_cmd_at(size_t i);
/* Exact name ("export labels"); NULL if none. */
const ef_cmd *ef_cmd_find(const char *name);
/* The entry for the leading words of argv (one, or two for a group such as
 * "export labels"); *used gets how many words the name took.  EF_EUSAGE with
 * a did-you-mean when there is none. */
int ef_cmd_lookup(int argc, char **argv, const ef_cmd **cmd, int *used, ef_error *err);

/* ---- parsing ------------------------------------------------------------- */

/* Parse argv (the words after the command name).  EF_EUSAGE names the
 * option and suggests the closest one.  Free with ef_cmd_args_fini. */
int ef_cmd_parse(const ef_cmd *cmd, int argc, char **argv, ef_cmd_args *a, ef_error *err);
void ef_cmd_args_fini(ef_cmd_args *a);

const ef_cmd_val *ef_args_get(const ef_cmd_args *a, const char *name);
int ef_args_given(const ef_cmd_args *a, const char *name);
/* The option's text, or def when it was not given. */
const char *ef_args_str(const ef_cmd_args *a, const char *name, const char *def);
long ef_args_long(const ef_cmd_args *a, const char *name, long def);
double ef_args_double(const ef_cmd_args *a, const char *name, double def);
/* LIST words (NULL, *n = 0 when not given). */
char *const *ef_args_list(const ef_cmd_args *a, const char *name, size_t *n);

/* A usage error of cmd: EF_EUSAGE with the message. */
int ef_cmd_usage(ef_error *err, const char *fmt, ...) EF_PRINTF(2, 3);

/* ---- help ---------------------------------------------------------------- */

/* The --help text of cmd (usage line, summary, intro, the options from the
 * specs, outro) into a new string. */
char *ef_cmd_help(const ef_cmd *cmd);

/* ---- output -------------------------------------------------------------- */

/* Output a job makes on its worker thread, kept until finish replays it on
 * the front end's thread (sinks need not be thread-safe). */
typedef struct ef_outlog_entry {
    int kind;
    char *text;
} ef_outlog_entry;
typedef struct ef_outlog {
    ef_outlog_entry *e;
    size_t n;
} ef_outlog;
void ef_outlog_add(ef_outlog *log, int kind, const char *fmt, ...) EF_PRINTF(3, 4);
/* Emit every entry through ctx's sink, in order, and empty the log. */
void ef_outlog_flush(const ef_cmd_ctx *ctx, ef_outlog *log);
void ef_outlog_fini(ef_outlog *log);

void ef_out(const ef_cmd_ctx *ctx, const char *fmt, ...) EF_PRINTF(2, 3);
void ef_out_table(const ef_cmd_ctx *ctx, const struct ef_table *t, int format, int wide, const char *hint);
void ef_note(const ef_cmd_ctx *ctx, const char *fmt, ...) EF_PRINTF(2, 3);
void ef_warn(const ef_cmd_ctx *ctx, const char *fmt, ...) EF_PRINTF(2, 3);


#endif
