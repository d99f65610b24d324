/* cli_init.c — `ecgfit init DIR --main-csv FILE [--ecg-dir DIR] [--encoder FILE]`. */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "store/ef_project.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static void warn_missing(const char *what, const char *path, int want_dir)
{
    struct stat st;

    if (!path)
        return;
    if (stat(path, &st) != 0)
        cli_warnf("%s: %s does not exist (yet); stages that need it will fail", path, what);
    else if (want_dir && !S_ISDIR(st.st_mode))
        cli_warnf("%s: %s is not a directory", path, what);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "main-csv", required_argument, NULL, 'm' },
        { "ecg-dir", required_argument, NULL, 'e' },
        { "encoder", required_argument, NULL, 'E' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    const char *csv = NULL, *ecg = NULL, *enc = NULL, *dir;
    int c, force = 0, rc;
    ef_error err;

    ef_error_clear(&err);
    while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
        switch (c) {
        case 'm': csv = optarg; break;
        case 'e': ecg = optarg; break;
        case 'E': enc = optarg; break;
        case 'f': force = 1; break;
        default: return cli_bad_option("init", argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("init", "expected one project directory, got %d", argc - optind);
    dir = argv[optind];
    if (!csv)
        return cli_usage_error("init", "--main-csv is required");
    if (!force) {
        char *ini = ef_xasprintf("%s/ecgfit.ini", dir);
        struct stat st;
        int have = stat(ini, &st) == 0;

        free(ini);
        if (have) {
            cli_errorf("%s/ecgfit.ini: already a project; pass --force to overwrite its config", dir);
            return CLI_EXIT_DATA;
        }
    }
    warn_missing("main CSV", csv, 0);
    if (ecg)
        warn_missing("ECG folder", ecg, 1);
    warn_missing("encoder", enc, 0);
    rc = ef_project_init(dir, csv, ecg, enc, force, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        return cli_exit_for(rc);
    }
    if (!ctx->quiet)
        printf("Created project %s (config %s/ecgfit.ini).\nNext: ecgfit -C %s labels\n", dir, dir, dir);
    return CLI_EXIT_OK;
}

const cli_command cli_cmd_init = {
    .name = "init",
    .usage = "init DIR --main-csv FILE [--ecg-dir DIR] [--encoder FILE] [--force]",
    .summary = "create a project: a folder with ecgfit.ini naming the inputs",
    .help =
        "\nOptions:\n"
        "  --main-csv FILE   the UK Biobank main CSV (ukbconv or RAP naming)\n"
        "  --ecg-dir DIR     folder with the resting-ECG XMLs (field 20205), searched\n"
        "                    two sub-folder levels deep; without it labels skips the\n"
        "                    ECG step of the funnel (set ecg_dir in ecgfit.ini later)\n"
        "  --encoder FILE    Keras .h5 encoder (PCLR.h5) for the embed stage\n"
        "  --force           overwrite an existing ecgfit.ini\n\n"
        "Paths are stored relative to DIR where possible, so a project can be moved\n"
        "together with its data.  Every other command takes -C DIR.\n",
    .run = run,
};
