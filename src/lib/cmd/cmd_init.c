/* cmd_init.c — `ecgfit init DIR --main-csv FILE [--ecg-dir DIR] [--encoder FILE]`. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "store/ef_project.h"

#include <stdlib.h>
#include <sys/stat.h>

static const ef_opt_spec opts[] = {
    { "main-csv", 0, EF_OPT_STRING, "FILE", "the UK Biobank main CSV (ukbconv or RAP naming)", 0, 0, NULL, 0 },
    { "ecg-dir", 0, EF_OPT_STRING, "DIR",
      "folder with the resting-ECG XMLs (field 20205), searched\n"
      "two sub-folder levels deep; without it labels skips the\n"
      "ECG step of the funnel (set ecg_dir in ecgfit.ini later)", 0, 0, NULL, 0 },
    { "encoder", 0, EF_OPT_STRING, "FILE", "Keras .h5 encoder (PCLR.h5) for the embed stage", 0, 0, NULL, 0 },
    { "force", 0, EF_OPT_FLAG, NULL, "overwrite an existing ecgfit.ini", 0, 0, NULL, 0 },
};

static void warn_missing(const ef_cmd_ctx *ctx, const char *what, const char *path, int want_dir)
{
    struct stat st;

    if (!path)
        return;
    if (stat(path, &st) != 0)
        ef_warn(ctx, "%s: %s does not exist (yet); stages that need it will fail", path, what);
    else if (want_dir && !S_ISDIR(st.st_mode))
        ef_warn(ctx, "%s: %s is not a directory", path, what);
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *csv = ef_args_str(a, "main-csv", NULL), *ecg = ef_args_str(a, "ecg-dir", NULL);
    const char *enc = ef_args_str(a, "encoder", NULL), *dir;
    struct stat st;
    int rc;

    *job = NULL;
    if (a->npos != 1)
        return ef_cmd_usage(err, "expected one project directory, got %zu", a->npos);
    dir = a->pos[0];
    if (!csv)
        return ef_cmd_usage(err, "--main-csv is required");
    if (!ef_args_given(a, "force")) {
        char *ini = ef_xasprintf("%s/ecgfit.ini", dir);
        int have = stat(ini, &st) == 0;

        free(ini);
        if (have)
            return ef_error_set(err, EF_EDATA, "%s/ecgfit.ini: already a project; pass --force to overwrite its config",
                                dir);
    }
    warn_missing(ctx, "main CSV", csv, 0);
    if (ecg)
        warn_missing(ctx, "ECG folder", ecg, 1);
    warn_missing(ctx, "encoder", enc, 0);
    rc = ef_project_init(dir, csv, ecg, enc, ef_args_given(a, "force"), err);
    if (rc == EF_OK && !ctx->quiet)
        ef_out(ctx, "Created project %s (config %s/ecgfit.ini).\nNext: ecgfit -C %s labels\n", dir, dir, dir);
    return rc;
}

const ef_cmd ef_cmd_init = {
    .name = "init",
    .summary = "create a project: a folder with ecgfit.ini naming the inputs",
    .synopsis = "init DIR --main-csv FILE [--ecg-dir DIR] [--encoder FILE] [--force]",
    .outro = "Paths are stored relative to DIR where possible, so a project can be moved\n"
             "together with its data.  Every other command takes -C DIR.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .npos_min = 1,
    .npos_max = 1,
    .make = make,
};
