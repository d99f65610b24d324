/* cli_main.c — `ecgfit [global options] SUBCOMMAND [options]`. */
#include "config.h"
#include "cli.h"
#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"
#include "store/ef_store.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Subcommands of DESIGN.md §8 that later stages provide. */
static const struct { const char *name, *summary; } planned[] = {
    { "table1", "cohort summary table" },
    { "summary", "fitness summary table" },
    { "plot", "figures through gnuplot" },
    { "slurm", "print an sbatch array script" },
    { "demo", "run every stage on a synthetic cohort" },
};

static const cli_command *const commands[] = {
    &cli_cmd_labels,
};

static const cli_command *find_command(const char *name);

/* `ecgfit --help` order. */
static const char *const order[] = { "init", "labels", "preprocess", "embed", "merge", "train", "predict",
                                     "replicate", "report", "export", "import", "encoder", "synth" };

static void print_main_help(void)
{
    size_t i;

    printf("Usage: ecgfit [-C DIR] [-q] [--wait] COMMAND [options]\n"
           "       ecgfit [tui] [-C DIR]\n\n"
           "Estimate cardiorespiratory fitness (VO2max) and other physiological metrics\n"
           "from UK Biobank resting 12-lead ECGs.  Without a command on a terminal,\n"
           "ecgfit opens the interactive interface.\n\n"
           "Global options (before the command):\n"
           "  -C DIR         project directory (default: the current directory)\n"
           "  -q, --quiet    no progress line, no cohort funnel\n"
           "  --wait         when another ecgfit is writing the project, wait for it\n"
           "                 (default: stop with \"project busy\"; also after COMMAND)\n"
           "  -h, --help     this help; `ecgfit COMMAND --help` for a command\n"
           "  -V, --version  print the version\n\n"
           "Commands:\n");
    for (i = 0; i < sizeof order / sizeof order[0]; i++) {
        const ef_cmd *e = ef_cmd_find(order[i]);
        const cli_command *c = find_command(order[i]);

        if (e || c)
            printf("  %-11s %s\n", order[i], e ? e->summary : c->summary);
    }
    printf("  %-11s %s\n", "tui", "the interactive interface");
    printf("\nComing with later stages (not available in this version):\n ");
    for (i = 0; i < sizeof planned / sizeof planned[0]; i++)
        printf(" %s", planned[i].name);
    printf("\n\nExit status: 0 success, 1 data or processing error, 2 usage error.\n"
           "See ecgfit(1) for the whole manual.\n");
}

void cli_print_help(const cli_command *cmd)
{
    printf("Usage: ecgfit %s\n\n%s\n%s", cmd->usage, cmd->summary, cmd->help);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    fflush(stdout);
    fputs("ecgfit: ", stderr);
    if (kind)
        fputs(kind, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

/* --wait: ef_store_begin waits for another writer instead of failing. */
static int wait_for_writer;

void cli_error(const ef_error *err)
{
    char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 64];

    if (err && err->code == EF_EBUSY && !wait_for_writer)
        cli_errorf("%s; try again when it is done, or wait for it with --wait",
                   ef_error_format(err, buf, sizeof buf));
    else
        cli_errorf("%s", ef_error_format(err, buf, sizeof buf));
}

/* Say why nothing happens while another writer has the project; give up
 * when Ctrl-C cancelled the running job. */
static int on_waiting(void *arg, const char *msg)
{
    (void)arg;
    if (cli_cancel_requested())
        return 1;
    cli_errorf("%s; waiting for it to finish", msg);
    return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "ecgfit: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ecgfit %s%s--help' for more information.\n", cmd ? cmd : "", cmd ? " " : "");
    return CLI_EXIT_USAGE;
}

int cli_bad_option(const char *cmd, char **argv)
{
    /* getopt leaves the rejected word just before optind */
    return cli_usage_error(cmd, "unknown option, or option without its value: '%s'",
                           optind > 0 ? argv[optind - 1] : "?");
}

int cli_parse_long(const char *cmd, const char *opt, const char *arg, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (end == arg || *end || errno == ERANGE || v < min || v > max)
        return cli_usage_error(cmd, "%s must be a whole number from %ld to %ld, not '%s'", opt, min, max, arg);
    *out = v;
    return 0;
}

int cli_parse_shard(const char *s, int *k, int *n)
{
    char *end;
    long a, b;

    a = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return 0;
    s = end + 1;
    b = strtol(s, &end, 10);
    if (end == s || *end || b < 1 || b > 100000 || a < 1 || a > b)
        return 0;
    *k = (int)a;
    *n = (int)b;
    return 1;
}

void cli_free_list(char **list)
{
    if (list)
        free(list[0]);   /* the one copy the items point into */
    free(list);
}

char **cli_split_list(const char *s, size_t *n)
{
    char *copy = ef_xstrdup(s), *p, *save = NULL, **list = NULL;

    *n = 0;
    for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        list = ef_xreallocarray(list, *n + 1, sizeof *list);
        list[(*n)++] = p;
    }
    if (!*n)
        free(copy);
    return list;
}

int cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (int)n : 1;
}

int cli_exit_for(int status)
{
    if (status == EF_OK)
        return CLI_EXIT_OK;
    return status == EF_EINVAL || status == EF_EUSAGE ? CLI_EXIT_USAGE : CLI_EXIT_DATA;
}

static const cli_command *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

int cli_wants_tui(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-C") == 0) {
            i++;
            continue;
        }
        if (strcmp(argv[i], "tui") == 0)
            break;
        return 0;   /* any other word or option: batch */
    }
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static void fatal_hook(const char *what)
{
    fprintf(stderr, "ecgfit: fatal: %s\n", what);
}

int cli_main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "quiet", no_argument, NULL, 'q' },
        { "wait", no_argument, NULL, 'W' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { ".", 0 };
    ef_store_writer writer = { NULL, 0, on_waiting, NULL };
    const cli_command *cmd;
    size_t i;
    int c, k;

    ef_set_fatal_hook(fatal_hook);
    /* The character set only, as the TUI: numbers and messages stay "C"
     * (the test suite runs under de_DE.UTF-8 too, for the same output). */
    setlocale(LC_CTYPE, "");
    opterr = 0;   /* our own messages, naming the command */
    /* '+': stop at the first non-option, the subcommand. */
    while ((c = getopt_long(argc, argv, "+C:hVq", opts, NULL)) != -1) {
        switch (c) {
        case 'C': ctx.project_dir = optarg; break;
        case 'h': print_main_help(); return CLI_EXIT_OK;
        case 'V': printf("ecgfit %s\n", PACKAGE_VERSION); return CLI_EXIT_OK;
        case 'q': ctx.quiet = 1; break;
        case 'W': wait_for_writer = 1; break;
        default:
            return cli_bad_option(NULL, argv);
        }
    }
    if (strcmp(ctx.project_dir, ".") != 0) {
        struct stat st;

        if (stat(ctx.project_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
            cli_errorf("%s: -C needs a project directory, and this is a file", ctx.project_dir);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "ecgfit: no command given (not on a terminal, so no interactive interface)\n"
                        "Try 'ecgfit --help' for more information.\n");
        return CLI_EXIT_USAGE;
    }
    {
        int rc = cli_run_entry(&ctx, argc - optind, argv + optind);

        if (rc >= 0)
            return rc;
    }
    cmd = find_command(argv[optind]);
    if (!cmd) {
        for (i = 0; i < sizeof planned / sizeof planned[0]; i++)
            if (strcmp(planned[i].name, argv[optind]) == 0) {
                cli_errorf("%s: not available in this version of ecgfit (%s)", planned[i].name,
                           planned[i].summary);
                return CLI_EXIT_USAGE;
            }
        if (strcmp(argv[optind], "tui") == 0) {
            cli_errorf("tui: standard input and output must be a terminal");
            return CLI_EXIT_USAGE;
        }
        return cli_usage_error(NULL, "unknown command '%s'", argv[optind]);
    }
    argc -= optind;
    argv += optind;
    for (k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--") == 0)
            break;
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            cli_print_help(cmd);
            return CLI_EXIT_OK;
        }
        /* --wait is global, also after the command: take it out here so
         * that no command's own options need to know it. */
        if (strcmp(argv[k], "--wait") == 0) {
            wait_for_writer = 1;
            memmove(&argv[k], &argv[k + 1], (size_t)(argc - k) * sizeof *argv);
            argc--;
            k--;
        }
    }
    writer.name = cmd->name;
    writer.wait = wait_for_writer;
    ef_store_set_writer(&writer);
    optind = 0;   /* reset getopt for the subcommand (GNU: full re-init) */
    return cmd->run(&ctx, argc, argv);
}
