/* cli_preprocess.c — `ecgfit [-C DIR] preprocess`: the ECG stage. */
#include "config.h"
#include "cli.h"
#include "cli_job.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_preprocess_stage.h"
#include "store/ef_project.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_FAILURES 10

extern const cli_command cli_cmd_preprocess;

/* Optional "=HZ" of --highpass / --notch. */
static int parse_hz(const char *arg, double *hz)
{
    char *end;
    double v;

    if (!arg)
        return 1;
    v = ef_strtod(arg, &end);
    if (end == arg || *end || !(v > 0) || v > 1000)
        return 0;
    *hz = v;
    return 1;
}

static void print_qc_counts(const size_t *count, size_t n_ecgs)
{
    unsigned b;
    int any = 0;

    for (b = 0; b < 32; b++) {
        char name[64];

        if (!count[b])
            continue;
        printf("%s %s %zu", any ? "," : "  QC flags:", ef_qc_describe(1u << b, name, sizeof name), count[b]);
        any = 1;
    }
    if (any)
        printf(" (of %zu ECGs; see /ecg/qc)\n", n_ecgs);
    else
        printf("  QC flags: none raised\n");
}

static void print_summary(const ef_preprocess_summary *s, const ef_project *p)
{
    printf("Preprocess (%s, shard %s)\n", p->ecg_dir, s->shard);
    printf("  %-40s %8zu\n", "ECG files found", s->files_found);
    if (s->resumed)
        printf("  %-40s %8zu\n", "already done (resumed)", s->resumed);
    printf("  %-40s %8zu\n", "processed now", s->processed);
    printf("  %-40s %8zu\n", "failed now", s->failed);
    if (s->parts_removed)
        printf("  %-40s %8zu\n", "old part files removed (--restart)", s->parts_removed);
    if (s->processed > s->failed)
        print_qc_counts(s->qc_count, s->processed - s->failed);
    printf("  units: %s (%s)\n", s->o.units,
           strcmp(s->o.units, "seed") == 0 ? "counts / 1000, as the seed" : "millivolts, counts x Resolution / 1000");
    if (s->folded) {
        printf("Wrote /ecg to %s: %zu ECGs, %zu failed, %zu part file%s in %s/%s\n", p->store_path,
               s->fold.ecgs, s->fold.failed, s->fold.parts, s->fold.parts == 1 ? "" : "s", p->dir,
               EF_ECG_PARTS_DIR);
        if (s->fold.ecgs && s->resumed)   /* otherwise the same counts as above */
            print_qc_counts(s->fold.qc_count, s->fold.ecgs);
    } else {
        printf("Wrote part files to %s/%s; run `ecgfit -C %s merge` when every shard is done\n", p->dir,
               EF_ECG_PARTS_DIR, p->dir);
    }
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "units", required_argument, NULL, 'u' },
        { "samples", required_argument, NULL, 's' },
        CLI_STAGE_OPTIONS,
        { "highpass", optional_argument, NULL, 'H' },
        { "notch", optional_argument, NULL, 'N' },
        { "strict-rate", no_argument, NULL, 'R' },
        { "ecg-instance", required_argument, NULL, 'i' },
        { "compress", optional_argument, NULL, 'z' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ef_preprocess_stage_opts o;
    const cli_stage_args sa = CLI_STAGE_ARGS(o);
    ef_project p;
    ef_job *job = NULL;
    ef_error err;
    long v;
    size_t i;
    int c, rc;

    ef_error_clear(&err);
    ef_preprocess_stage_opts_default(&o);
    o.threads = cli_default_jobs();
    while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            if (!ef_units_parse(optarg, &o.pp.units))
                return cli_usage_error("preprocess", "--units must be mv or seed, not '%s'", optarg);
            break;
        case 's':
            if (cli_parse_long("preprocess", "--samples", optarg, 2, 1L << 20, &v))
                return CLI_EXIT_USAGE;
            o.pp.samples = (size_t)v;
            break;
        case 'H':
            o.pp.highpass = 1;
            if (!parse_hz(optarg, &o.pp.highpass_hz))
                return cli_usage_error("preprocess", "--highpass=HZ needs a frequency in Hz, not '%s'", optarg);
            break;
        case 'N':
            o.pp.notch = 1;
            if (!parse_hz(optarg, &o.pp.notch_hz))
                return cli_usage_error("preprocess", "--notch=HZ needs a frequency in Hz, not '%s'", optarg);
            break;
        case 'R': o.pp.strict_rate = 1; break;
        case 'i':
            if (cli_parse_long("preprocess", "--ecg-instance", optarg, 0, 3, &v))
                return CLI_EXIT_USAGE;
            o.ecg_instance = (int)v;
            break;
        case 'z':
            o.deflate_level = 1;
            if (optarg && cli_parse_long("preprocess", "--compress", optarg, 0, 9, &v))
                return CLI_EXIT_USAGE;
            if (optarg)
                o.deflate_level = (int)v;
            break;
        case 'h': cli_print_help(&cli_cmd_preprocess); return CLI_EXIT_OK;
        default:
            if ((rc = cli_stage_option("preprocess", c, optarg, &sa)) < 0)
                return cli_bad_option("preprocess", argv);
            if (rc)
                return rc;
        }
    }
    if (optind != argc)
        return cli_usage_error("preprocess", "unexpected argument '%s'", argv[optind]);

    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK && !p.ecg_dir)
        rc = ef_error_set_at(&err, EF_EDATA, p.config_path, 0, 0,
                             "ecg_dir is not set (ecgfit init DIR --ecg-dir FOLDER)");
    if (rc == EF_OK) {
        o.project_dir = p.dir;
        o.ecg_dir = p.ecg_dir;
        o.store_path = p.store_path;
        rc = ef_preprocess_stage_job_new(&job, &o, &err);
    }
    if (rc == EF_OK)
        rc = cli_run_job(ctx, job, &err);
    if (job) {
        const ef_preprocess_summary *s = ef_preprocess_stage_summary(job);

        for (i = 0; i < s->nfailures_kept && i < SHOW_FAILURES; i++)
            cli_warnf("%s", s->failures[i]);
        if (s->failed)
            cli_warnf("%zu ECG%s failed and %s skipped%s%s", s->failed, s->failed == 1 ? "" : "s",
                      s->failed == 1 ? "was" : "were", s->folded ? "; all listed in " : "",
                      s->folded ? s->fold.failures_path : "");
        cli_stage_warnings(s->fold.warnings, s->folded ? s->fold.nwarnings : 0, s->tmp_removed);
        if (!ctx->quiet && (rc == EF_OK || rc == EF_ECANCELED))
            print_summary(s, &p);
    }
    if (rc == EF_ECANCELED)
        cli_errorf("preprocess interrupted; finished ECGs are kept in %s/%s, run the same command to resume",
                   p.dir, EF_ECG_PARTS_DIR);
    else if (rc != EF_OK)
        cli_error(&err);
    ef_job_free(job);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_preprocess = {
    .name = "preprocess",
    .usage = "[-C DIR] preprocess [--units mv|seed] [--samples 4096] [--jobs N] [--shard K/N]\n"
             "              [--highpass[=HZ]] [--notch[=HZ]] [--strict-rate] [--ecg-instance K]\n"
             "              [--restart] [--limit N] [--compress[=LEVEL]]",
    .summary = "resample and QC the ECG XMLs into the store",
    .help =
        "\nReads every EID_20205_K_0.xml of the project's ECG folder (and two levels of\n"
        "sub-folders), puts the leads in PCLR order (I, II, III, aVR, aVL, aVF, V1-V6),\n"
        "resamples each to --samples points exactly as numpy's interp over linspace(0,1),\n"
        "and stores float32 [samples, 12] tensors with QC flags and the device's\n"
        "measurements.  Tensors go to part files DIR/ecg-data/part-*.h5 (512 ECGs each);\n"
        "a run without --shard then writes /ecg to DIR/ecgfit.h5 (/ecg/signal reads the\n"
        "parts through an HDF5 virtual dataset: keep ecg-data/ next to the store).\n\n"
        "Options:\n"
        "  --units mv|seed      mv (default): counts x Resolution / 1000 = millivolts;\n"
        "                       seed: counts / 1000, as the seed and PCLR's README did\n"
        "  --samples N          samples per lead after resampling (default 4096)\n"
        "  -j, --jobs N         worker threads (default: all cores)\n"
        "  --shard K/N          process only the K-th of N contiguous slices of the files\n"
        "                       (sorted by eid); `ecgfit merge` folds the shards\n"
        "  --highpass[=HZ]      baseline-wander removal, zero-phase high-pass (0.5 Hz)\n"
        "  --notch[=HZ]         mains notch, zero-phase (50 Hz)\n"
        "  --strict-rate        reject ECGs not sampled at 500 Hz instead of resampling\n"
        "  --ecg-instance K     look for EID_20205_K_0.xml (default 2)\n"
        "  --restart            delete earlier part files (of this shard) and start over\n"
        "  --limit N            process at most N more files in this run\n"
        "  --compress[=LEVEL]   shuffle + deflate the tensors in the part files (level 1-9,\n"
        "                       default 1): 25% smaller, about 3x the CPU time\n\n"
        "An interrupted run (Ctrl-C, a killed job) keeps every finished ECG; the same\n"
        "command resumes.  Parts made with other options are refused unless --restart.\n"
        "A file that cannot be used is reported as FILE:LINE: message, skipped, and\n"
        "listed in DIR/preprocess-failures.txt and /ecg/failures; the exit status stays 0.\n",
    .run = run,
};
