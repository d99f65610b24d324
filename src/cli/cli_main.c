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

static void print_main_help(void)
{
    size_t i;

    printf("Usage: ecgfit [-C DIR] [-q] [--wait] COMMAND [options]\n"
           "       ecgfit [tui] [-C DIR]\n\n"
           "Estimate cardiorespiratory fitness (VO2max) and other physiological metrics\n"
           "from UK Biobank resting 12-lead ECGs.  Without a command on a terminal,\n"
           "ecgfit opens the interactive interface.\n\n"
           "Global options (before or after the command):\n"
           "  -C DIR         project directory (default: the current directory)\n"
           "  -q, --quiet    no progress line, no cohort funnel\n"
           "  --wait         when another ecgfit is writing the project, wait for it\n"
           "                 (default: stop with \"project busy\")\n"
           "  -h, --help     this help; `ecgfit COMMAND --help` for a command\n"
           "  -V, --version  print the version\n\n"
           "Commands:\n");
    for (i = 0; i < ef_cmd_count(); i++) {
        const ef_cmd *e = ef_cmd_at(i);

        if (!strchr(e->name, ' '))   /* groups stand for their sub-commands */
            printf("  %-11s %s\n", e->name, e->summary);
    }
    printf("\nExit status: 0 success, 1 data or processing error, 2 usage error.\n"
           "See ecgfit(1) for the whole manual.\n");
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

void cli_error(const ef_error *err, int waited)
{
    char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 64];

    if (err && err->code == EF_EBUSY && !waited)
        cli_errorf("%s; try again when it is done, or wait for it with --wait",
                   ef_error_format(err, buf, sizeof buf));
    else
        cli_errorf("%s", ef_error_format(err, buf, sizeof buf));
}

/* Say why nothing happens while another writer has the project; give up
 * when Ctrl-C cancelled the running job. */
int cli_on_waiting(void *arg, const char *msg)
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

int cli_wants_tui(int argc, char **argv)
{
    int i, tui = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-C") == 0) {
            i++;
            continue;
        }
        if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "--wait") == 0)
            continue;
        if (strcmp(argv[i], "tui") == 0) {
            tui = 1;
            break;
        }
        return 0;   /* any other word or option: batch */
    }
    /* `tui --help` (and a usage error) are the batch side's; --list-keys needs no terminal */
    for (i++; tui && i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 0;
        if (strcmp(argv[i], "--list-keys") == 0)
            return 1;
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
    cli_ctx ctx = { ".", 0, 0 };
    int c;

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
        case 'W': ctx.wait = 1; break;
        default:   /* getopt leaves the rejected word just before optind */
            return cli_usage_error(NULL, "unknown option, or option without its value: '%s'",
                                   optind > 0 ? argv[optind - 1] : "?");
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
        char *ini = ef_xasprintf("%s/ecgfit.ini", ctx.project_dir);
        struct stat st;
        int project = stat(ini, &st) == 0;

        free(ini);
        if (project)
            fprintf(stderr, "ecgfit: no command given.  On a terminal, `ecgfit` opens the interactive interface\n"
                            "on this project; in batch, run its stages: ecgfit labels, preprocess, embed,\n"
                            "train, report.  Try 'ecgfit --help' for every command.\n");
        else
            fprintf(stderr, "ecgfit: no command given (not on a terminal, so no interactive interface)\n"
                            "Try 'ecgfit --help' for more information.\n");
        return CLI_EXIT_USAGE;
    }
    return cli_run_entry(&ctx, argc - optind, argv + optind);
}
