/* cmd_synth.c — `ecgfit synth DIR --n N [--seed S] [--naming ukbconv|rap]`. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "synth/ef_synth_stage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const namings[] = { "ukbconv", "rap", NULL };

static const ef_opt_spec opts[] = {
    { "n", 0, EF_OPT_INT, "N", "participants (rows)", 1, EF_SYNTH_MAX_N, NULL, 0 },
    { "seed", 0, EF_OPT_STRING, "S", "random seed (default 1)", 0, 0, NULL, 0 },
    { "naming", 0, EF_OPT_CHOICE, "STYLE",
      "ukbconv (\"31-0.0\", every cell quoted; default) or rap\n(participant.p21003_i2, minimal quoting)", 0, 0,
      namings, 0 },
    { "vo2-rate", 0, EF_OPT_DOUBLE, "F",
      "fraction of imaging-visit participants with an instance-1\nVO2max (default 0.11, as in UKB; raise it for model "
      "demos)", 0, 1, NULL, 0 },
    { "no-ecg", 0, EF_OPT_FLAG, NULL, "write only the main CSV", 0, 0, NULL, 0 },
    { "jobs", 'j', EF_OPT_INT, "N", "ECG writer threads (default: all cores)", 1, 256, NULL, 0 },
    { "force", 0, EF_OPT_FLAG, NULL,
      "replace a cohort made with other options (its main CSV\nand ECG files) and DIR/ecgfit.ini", 0, 0, NULL, 0 },
};

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    ef_synth_stage_opts o;
    const char *seed = ef_args_str(a, "seed", NULL);

    memset(&o, 0, sizeof o);
    ef_synth_opts_default(&o.synth);
    o.write_ecg = !ef_args_given(a, "no-ecg");
    o.threads = (int)ef_args_long(a, "jobs", ctx->jobs);
    o.force = ef_args_given(a, "force");
    if (seed) {
        char *end;

        errno = 0;
        o.synth.seed = strtoull(seed, &end, 10);
        if (end == seed || *end || errno == ERANGE || seed[0] == '-')
            return ef_cmd_usage(err, "--seed must be a whole number from 0 to 2^64-1, not '%s'", seed);
    }
    if (ef_args_given(a, "naming"))
        o.synth.naming = strcmp(ef_args_str(a, "naming", ""), "rap") == 0 ? EF_NAMING_RAP : EF_NAMING_UKBCONV;
    o.synth.vo2_i1_rate = ef_args_double(a, "vo2-rate", o.synth.vo2_i1_rate);
    if (a->npos != 1)
        return ef_cmd_usage(err, "expected one output directory");
    if (!ef_args_given(a, "n"))
        return ef_cmd_usage(err, "--n N is required");
    o.synth.n = (size_t)ef_args_long(a, "n", 0);
    o.dir = a->pos[0];
    return ef_synth_stage_job_new(job, &o, err);
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_synth_stage_result *res = ef_synth_stage_result_of(job);
    const char *dir = a->pos[0];

    (void)err;
    if (rc != EF_OK)
        return rc;
    if (res->ini_kept)
        ef_warn(ctx, "%s/ecgfit.ini already existed and was kept; check that it names %s/ukb_main.csv "
                     "(or rerun with --force)", dir, dir);
    if (ctx->quiet)
        return rc;
    if (res->resumed)
        ef_out(ctx, "Resumed: files already written by the same command were kept.\n");
    ef_out(ctx, "Synthetic cohort (seed %llu): %zu participants\n",
           strtoull(ef_args_str(a, "seed", "1"), NULL, 10), res->participants);
    ef_out(ctx, "  main CSV    %s (%s naming)\n", res->csv_path,
           strcmp(ef_args_str(a, "naming", "ukbconv"), "rap") == 0 ? "RAP" : "ukbconv");
    if (!ef_args_given(a, "no-ecg"))
        ef_out(ctx, "  ECG files   %s (%zu instance-2, %zu instance-3)\n", res->ecg_dir, res->ecg2_files,
               res->ecg3_files);
    ef_out(ctx, "All values are synthetic.  Next: ecgfit -C %s labels\n", dir);
    return rc;
}

const ef_cmd ef_cmd_synth = {
    .name = "synth",
    .summary = "write a synthetic UK Biobank cohort (main CSV + ECG XMLs) as a project",
    .synopsis = "synth DIR --n N [--seed S] [--naming ukbconv|rap] [--vo2-rate F] [--no-ecg] [--jobs N]\n"
                "             [--force]",
    .intro = "Writes DIR/ukb_main.csv in the real export format with every registry field,\n"
             "realistic distributions, correlations, instances, missingness and special\n"
             "codes; DIR/ecg/EID_20205_2_0.xml (and _3_0) resting ECGs in the CardioSoft\n"
             "layout from a physiological model; and DIR/ecgfit.ini, so DIR is a project.\n"
             "The same seed gives byte-identical files.  Rerunning the same command\n"
             "resumes an interrupted run (ECG files already written are kept); a folder\n"
             "holding anything else is refused unless --force.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .npos_min = 1,
    .npos_max = 1,
    .make = make,
    .finish = finish,
};
