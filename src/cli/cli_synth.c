/* cli_synth.c — `ecgfit synth DIR --n N [--seed S] [--naming ukbconv|rap]`. */
#include "config.h"
#include "cli.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_synth_stage.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "n", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { "naming", required_argument, NULL, 'N' },
        { "vo2-rate", required_argument, NULL, 'r' },
        { "no-ecg", no_argument, NULL, 'E' },
        { "jobs", required_argument, NULL, 'j' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    ef_synth_stage_opts o;
    const ef_synth_stage_result *res;
    ef_job *job = NULL;
    ef_error err;
    char *end;
    int c, rc, have_n = 0;
    long num;

    ef_error_clear(&err);
    memset(&o, 0, sizeof o);
    ef_synth_opts_default(&o.synth);
    o.write_ecg = 1;
    o.threads = cli_default_jobs();
    while ((c = getopt_long(argc, argv, "n:j:", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (cli_parse_long("synth", "--n", optarg, 1, EF_SYNTH_MAX_N, &num))
                return CLI_EXIT_USAGE;
            o.synth.n = (size_t)num;
            have_n = 1;
            break;
        case 's':
            errno = 0;
            o.synth.seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || errno == ERANGE || optarg[0] == '-')
                return cli_usage_error("synth", "--seed must be a whole number from 0 to 2^64-1, not '%s'",
                                       optarg);
            break;
        case 'N':
            if (strcmp(optarg, "ukbconv") == 0)
                o.synth.naming = EF_NAMING_UKBCONV;
            else if (strcmp(optarg, "rap") == 0)
                o.synth.naming = EF_NAMING_RAP;
            else
                return cli_usage_error("synth", "--naming must be ukbconv or rap, not '%s'", optarg);
            break;
        case 'r':
            o.synth.vo2_i1_rate = ef_strtod(optarg, &end);
            if (end == optarg || *end || !(o.synth.vo2_i1_rate >= 0 && o.synth.vo2_i1_rate <= 1))
                return cli_usage_error("synth", "--vo2-rate must be between 0 and 1, not '%s'", optarg);
            break;
        case 'E': o.write_ecg = 0; break;
        case 'j':
            if (cli_parse_long("synth", "--jobs", optarg, 1, 256, &num))
                return CLI_EXIT_USAGE;
            o.threads = (int)num;
            break;
        case 'f': o.force = 1; break;
        default: return cli_bad_option("synth", argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("synth", "expected one output directory");
    if (!have_n)
        return cli_usage_error("synth", "--n N is required");
    o.dir = argv[optind];
    rc = ef_synth_stage_job_new(&job, &o, &err);
    if (rc == EF_OK)
        rc = cli_run_job(ctx, job, &err);
    if (rc == EF_OK && ef_synth_stage_result_of(job)->ini_kept)
        cli_warnf("%s/ecgfit.ini already existed and was kept; check that it names %s/ukb_main.csv "
                  "(or rerun with --force)", o.dir, o.dir);
    if (rc == EF_OK && !ctx->quiet) {
        res = ef_synth_stage_result_of(job);
        if (res->resumed)
            printf("Resumed: files already written by the same command were kept.\n");
        printf("Synthetic cohort (seed %llu): %zu participants\n", (unsigned long long)o.synth.seed,
               res->participants);
        printf("  main CSV    %s (%s naming)\n", res->csv_path,
               o.synth.naming == EF_NAMING_RAP ? "RAP" : "ukbconv");
        if (o.write_ecg)
            printf("  ECG files   %s (%zu instance-2, %zu instance-3)\n", res->ecg_dir, res->ecg2_files,
                   res->ecg3_files);
        printf("All values are synthetic.  Next: ecgfit -C %s labels\n", o.dir);
    }
    if (rc != EF_OK)
        cli_error(&err);
    ef_job_free(job);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_synth = {
    .name = "synth",
    .usage = "synth DIR --n N [--seed S] [--naming ukbconv|rap] [--vo2-rate F] [--no-ecg] [--jobs N]\n"
             "             [--force]",
    .summary = "write a synthetic UK Biobank cohort (main CSV + ECG XMLs) as a project",
    .help =
        "\nWrites DIR/ukb_main.csv in the real export format with every registry field,\n"
        "realistic distributions, correlations, instances, missingness and special\n"
        "codes; DIR/ecg/EID_20205_2_0.xml (and _3_0) resting ECGs in the CardioSoft\n"
        "layout from a physiological model; and DIR/ecgfit.ini, so DIR is a project.\n"
        "The same seed gives byte-identical files.  Rerunning the same command\n"
        "resumes an interrupted run (ECG files already written are kept); a folder\n"
        "holding anything else is refused unless --force.\n\n"
        "Options:\n"
        "  --n N               participants (rows)\n"
        "  --seed S            random seed (default 1)\n"
        "  --naming STYLE      ukbconv (\"31-0.0\", every cell quoted; default) or rap\n"
        "                      (participant.p21003_i2, minimal quoting)\n"
        "  --vo2-rate F        fraction of imaging-visit participants with an instance-1\n"
        "                      VO2max (default 0.11, as in UKB; raise it for model demos)\n"
        "  --no-ecg            write only the main CSV\n"
        "  -j, --jobs N        ECG writer threads (default: all cores)\n"
        "  --force             replace a cohort made with other options (its main CSV\n"
        "                      and ECG files) and DIR/ecgfit.ini\n",
    .run = run,
};
