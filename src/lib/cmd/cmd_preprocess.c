/* cmd_preprocess.c — `ecgfit [-C DIR] preprocess`: the ECG stage. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_preprocess_stage.h"
#include "store/ef_project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_FAILURES 10

static const char *const units[] = { "mv", "seed", NULL };

static const ef_opt_spec opts[] = {
    { "units", 0, EF_OPT_CHOICE, "mv|seed",
      "mv (default): counts x Resolution / 1000 = millivolts;\nseed: counts / 1000, as the seed and PCLR's README did",
      0, 0, units, 0 },
    { "samples", 0, EF_OPT_INT, "N", "samples per lead after resampling (default 4096)", 2, 1 << 20, NULL, 0 },
    EF_OPT_STAGE_JOBS("worker threads"),
    EF_OPT_STAGE_SHARD("process only the K-th of N contiguous slices of the files\n"
                       "(sorted by eid); `ecgfit merge` folds the shards"),
    { "highpass", 0, EF_OPT_DOUBLE, "HZ", "baseline-wander removal, zero-phase high-pass (0.5 Hz)", 1e-9, 1000, NULL,
      EF_OPT_OPTIONAL_VALUE },
    { "notch", 0, EF_OPT_DOUBLE, "HZ", "mains notch, zero-phase (50 Hz)", 1e-9, 1000, NULL, EF_OPT_OPTIONAL_VALUE },
    { "strict-rate", 0, EF_OPT_FLAG, NULL, "reject ECGs not sampled at 500 Hz instead of resampling", 0, 0, NULL, 0 },
    { "ecg-instance", 0, EF_OPT_INT, "K", "look for EID_20205_K_0.xml (default 2)", 0, 3, NULL, 0 },
    EF_OPT_STAGE_RESTART("delete earlier part files (of this shard) and start over"),
    EF_OPT_STAGE_LIMIT("process at most N more files in this run"),
    { "compress", 0, EF_OPT_INT, "LEVEL",
      "shuffle + deflate the tensors in the part files (level 1-9,\ndefault 1): 25% smaller, about 3x the CPU time", 0,
      9, NULL, EF_OPT_OPTIONAL_VALUE },
};

static void print_qc_counts(const ef_cmd_ctx *ctx, const size_t *count, size_t n_ecgs)
{
    char line[1024], name[64];
    size_t len = 0;
    unsigned b;

    line[0] = '\0';
    for (b = 0; b < 32; b++) {
        if (!count[b])
            continue;
        len += (size_t)snprintf(line + len, len < sizeof line ? sizeof line - len : 0, "%s %s %zu",
                                len ? "," : "  QC flags:", ef_qc_describe(1u << b, name, sizeof name), count[b]);
    }
    if (len)
        ef_out(ctx, "%s (of %zu ECGs; see /ecg/qc)\n", line, n_ecgs);
    else
        ef_out(ctx, "  QC flags: none raised\n");
}

static void print_summary(const ef_cmd_ctx *ctx, const ef_preprocess_summary *s, const ef_project *p)
{
    ef_out(ctx, "Preprocess (%s, shard %s)\n", p->ecg_dir, s->shard);
    ef_out(ctx, "  %-40s %8zu\n", "ECG files found", s->files_found);
    if (s->resumed)
        ef_out(ctx, "  %-40s %8zu\n", "already done (resumed)", s->resumed);
    ef_out(ctx, "  %-40s %8zu\n", "processed now", s->processed);
    ef_out(ctx, "  %-40s %8zu\n", "failed now", s->failed);
    if (s->parts_removed)
        ef_out(ctx, "  %-40s %8zu\n", "old part files removed (--restart)", s->parts_removed);
    if (s->processed > s->failed)
        print_qc_counts(ctx, s->qc_count, s->processed - s->failed);
    ef_out(ctx, "  units: %s (%s)\n", s->o.units,
           strcmp(s->o.units, "seed") == 0 ? "counts / 1000, as the seed" : "millivolts, counts x Resolution / 1000");
    if (s->folded) {
        ef_out(ctx, "Wrote /ecg to %s: %zu ECGs, %zu failed, %zu part file%s in %s/%s\n", p->store_path, s->fold.ecgs,
               s->fold.failed, s->fold.parts, s->fold.parts == 1 ? "" : "s", p->dir, EF_ECG_PARTS_DIR);
        if (s->fold.ecgs && s->resumed)   /* otherwise the same counts as above */
            print_qc_counts(ctx, s->fold.qc_count, s->fold.ecgs);
    } else {
        ef_out(ctx, "Wrote part files to %s/%s; run `ecgfit -C %s merge` when every shard is done\n", p->dir,
               EF_ECG_PARTS_DIR, p->dir);
    }
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    ef_preprocess_stage_opts o;
    ef_project p;
    int rc;

    ef_preprocess_stage_opts_default(&o);
    rc = ef_stage_args(ctx, a, &o.threads, &o.shard_k, &o.shard_n, &o.restart, &o.limit, err);
    if (rc != EF_OK)
        return rc;
    if (ef_args_given(a, "units") && !ef_units_parse(ef_args_str(a, "units", "mv"), &o.pp.units))
        return ef_cmd_usage(err, "--units must be mv or seed");
    o.pp.samples = (size_t)ef_args_long(a, "samples", (long)o.pp.samples);
    if (ef_args_given(a, "highpass")) {
        o.pp.highpass = 1;
        o.pp.highpass_hz = ef_args_double(a, "highpass", o.pp.highpass_hz);
    }
    if (ef_args_given(a, "notch")) {
        o.pp.notch = 1;
        o.pp.notch_hz = ef_args_double(a, "notch", o.pp.notch_hz);
    }
    o.pp.strict_rate = ef_args_given(a, "strict-rate") > 0;
    o.ecg_instance = (int)ef_args_long(a, "ecg-instance", o.ecg_instance);
    if (ef_args_given(a, "compress"))
        o.deflate_level = (int)ef_args_long(a, "compress", 1);
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK)
        return rc;
    if (!p.ecg_dir)
        rc = ef_error_set_at(err, EF_EDATA, p.config_path, 0, 0, "ecg_dir is not set (ecgfit init DIR --ecg-dir FOLDER)");
    if (rc == EF_OK) {
        o.project_dir = p.dir;
        o.ecg_dir = p.ecg_dir;
        o.store_path = p.store_path;
        rc = ef_preprocess_stage_job_new(job, &o, err);   /* copies the paths */
    }
    ef_project_fini(&p);
    return rc;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_preprocess_summary *s = ef_preprocess_stage_summary(job);
    ef_project p;
    size_t i;

    (void)a;
    for (i = 0; i < s->nfailures_kept && i < SHOW_FAILURES; i++)
        ef_warn(ctx, "%s", s->failures[i]);
    if (s->failed)
        ef_warn(ctx, "%zu ECG%s failed and %s skipped%s%s", s->failed, s->failed == 1 ? "" : "s",
                s->failed == 1 ? "was" : "were", s->folded ? "; all listed in " : "",
                s->folded ? s->fold.failures_path : "");
    ef_stage_warnings(ctx, s->fold.warnings, s->folded ? s->fold.nwarnings : 0, s->tmp_removed);
    if (ef_project_load(&p, ctx->project_dir, NULL) != EF_OK)
        return rc;
    if (!ctx->quiet && (rc == EF_OK || rc == EF_ECANCELED))
        print_summary(ctx, s, &p);
    if (rc == EF_ECANCELED)
        ef_error_set(err, EF_ECANCELED,
                     "preprocess interrupted; finished ECGs are kept in %s/%s, run the same command to resume", p.dir,
                     EF_ECG_PARTS_DIR);
    ef_project_fini(&p);
    return rc;
}

const ef_cmd ef_cmd_preprocess = {
    .name = "preprocess",
    .summary = "resample and QC the ECG XMLs into the store",
    .synopsis = "[-C DIR] preprocess [--units mv|seed] [--samples 4096] [--jobs N] [--shard K/N]\n"
                "              [--highpass[=HZ]] [--notch[=HZ]] [--strict-rate] [--ecg-instance K]\n"
                "              [--restart] [--limit N] [--compress[=LEVEL]]",
    .intro = "Reads every EID_20205_K_0.xml of the project's ECG folder (and two levels of\n"
             "sub-folders), puts the leads in PCLR order (I, II, III, aVR, aVL, aVF, V1-V6),\n"
             "resamples each to --samples points exactly as numpy's interp over linspace(0,1),\n"
             "and stores float32 [samples, 12] tensors with QC flags and the device's\n"
             "measurements.  Tensors go to part files DIR/ecg-data/part-*.h5 (512 ECGs each);\n"
             "a run without --shard then writes /ecg to DIR/ecgfit.h5 (/ecg/signal reads the\n"
             "parts through an HDF5 virtual dataset: keep ecg-data/ next to the store).\n",
    .outro = "An interrupted run (Ctrl-C, a killed job) keeps every finished ECG; the same\n"
             "command resumes.  Parts made with other options are refused unless --restart.\n"
             "A file that cannot be used is reported as FILE:LINE: message, skipped, and\n"
             "listed in DIR/preprocess-failures.txt and /ecg/failures; the exit status stays 0.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
