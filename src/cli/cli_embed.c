/* cli_embed.c — `ecgfit [-C DIR] embed`: ECG embeddings with a Keras encoder. */
#include "config.h"
#include "cli.h"
#include "cli_job.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_embed_stage.h"
#include "store/ef_project.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const cli_command cli_cmd_embed;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_summary(const ef_embed_summary *s, const ef_project *p, const char *encoder, double secs)
{
    printf("Embed (encoder %s, name %s, shard %s)\n", encoder, s->name, s->shard);
    printf("  encoder: sha256 %.16s..., %zu parameters, %.3g GFLOP per ECG, %llu outputs\n", s->o.sha256,
           s->params, s->flops_per_ecg / 1e9, (unsigned long long)s->o.output_size);
    printf("  ECGs: %llu samples per lead, units %s\n", (unsigned long long)s->o.input_length, s->o.units);
    printf("  %-40s %8zu\n", "ECGs in /ecg", s->ecgs);
    if (strcmp(s->shard, "all") != 0)
        printf("  %-40s %8zu\n", "in this shard", s->slice);
    if (s->resumed)
        printf("  %-40s %8zu\n", "already embedded (resumed)", s->resumed);
    printf("  %-40s %8zu\n", "embedded now", s->embedded);
    if (s->parts_removed)
        printf("  %-40s %8zu\n", "old part files removed (--restart)", s->parts_removed);
    if (s->embedded && secs > 0)
        printf("  %.1f s: %.2f ECGs/s, %.1f GFLOP/s\n", secs, (double)s->embedded / secs,
               (double)s->embedded * s->flops_per_ecg / secs / 1e9);
    if (s->folded)
        printf("Wrote /embeddings/%s to %s: %zu ECGs x %llu, %zu part file%s in %s/%s/%s\n", s->name,
               p->store_path, s->fold.n, (unsigned long long)s->fold.o.output_size, s->fold.parts,
               s->fold.parts == 1 ? "" : "s", p->dir, EF_EMB_PARTS_DIR, s->name);
    else if (strcmp(s->shard, "all") != 0)
        printf("Wrote part files to %s/%s/%s; run `ecgfit -C %s merge` when every shard is done\n", p->dir,
               EF_EMB_PARTS_DIR, s->name, p->dir);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "encoder", required_argument, NULL, 'e' },
        { "name", required_argument, NULL, 'n' },
        { "batch", required_argument, NULL, 'b' },
        CLI_STAGE_OPTIONS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ef_embed_stage_opts o;
    const cli_stage_args sa = CLI_STAGE_ARGS(o);
    ef_project p;
    ef_job *job = NULL;
    ef_error err;
    const char *encoder = NULL;
    double t0 = 0, secs = 0;
    long v;
    int c, rc;

    ef_error_clear(&err);
    ef_embed_stage_opts_default(&o);
    o.threads = cli_default_jobs();
    while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'e': encoder = optarg; break;
        case 'n':
            if (!ef_emb_name_ok(optarg))
                return cli_usage_error("embed", "--name must be 1-%d characters of A-Z a-z 0-9 _ . -, not '%s'",
                                       EF_EMB_NAME_MAX - 1, optarg);
            o.name = optarg;
            break;
        case 'b':
            if (cli_parse_long("embed", "--batch", optarg, 1, 4096, &v))
                return CLI_EXIT_USAGE;
            o.batch = (size_t)v;
            break;
        case 'h': cli_print_help(&cli_cmd_embed); return CLI_EXIT_OK;
        default:
            if ((rc = cli_stage_option("embed", c, optarg, &sa)) < 0)
                return cli_bad_option("embed", argv);
            if (rc)
                return rc;
        }
    }
    if (optind != argc)
        return cli_usage_error("embed", "unexpected argument '%s'", argv[optind]);

    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK && !encoder)
        encoder = p.encoder;
    if (rc == EF_OK && !encoder)
        rc = ef_error_set_at(&err, EF_EDATA, p.config_path, 0, 0,
                             "no encoder: pass --encoder FILE, or set `encoder = FILE` here (`ecgfit init %s "
                             "--main-csv ... --ecg-dir ... --encoder FILE --force`); for a demo encoder with "
                             "random weights run `ecgfit encoder new --arch pclr -o FILE`",
                             p.dir);
    if (rc == EF_OK) {
        o.project_dir = p.dir;
        o.store_path = p.store_path;
        o.encoder_path = encoder;
        rc = ef_embed_stage_job_new(&job, &o, &err);
    }
    if (rc == EF_OK) {
        t0 = now_s();
        rc = cli_run_job(ctx, job, &err);
        secs = now_s() - t0;
    }
    if (job) {
        const ef_embed_summary *s = ef_embed_stage_summary(job);

        cli_stage_warnings(s->fold.warnings, s->folded ? s->fold.nwarnings : 0, s->tmp_removed);
        if (!ctx->quiet && (rc == EF_OK || rc == EF_ECANCELED))
            print_summary(s, &p, encoder, secs);
        if (rc == EF_ECANCELED)
            cli_errorf("embed interrupted; finished embeddings are kept in %s/%s/%s, run the same command "
                       "to resume", p.dir, EF_EMB_PARTS_DIR, s->name);
    }
    if (rc != EF_OK && rc != EF_ECANCELED)
        cli_error(&err);
    ef_job_free(job);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_embed = {
    .name = "embed",
    .usage = "[-C DIR] embed [--encoder FILE] [--name NAME] [--batch B] [--jobs N] [--shard K/N]\n"
             "              [--restart] [--limit N]",
    .summary = "compute ECG embeddings (PCLR) with a Keras .h5 encoder",
    .help =
        "\nRuns every preprocessed ECG of /ecg not yet embedded through the encoder (a\n"
        "Keras .h5 file: PCLR.h5, or `ecgfit encoder new --arch pclr -o FILE` for a demo\n"
        "with random weights) and writes the outputs to part files\n"
        "DIR/emb-data/NAME/part-*.h5 (512 ECGs each); a run without --shard then writes\n"
        "/embeddings/NAME/{eid,values} to DIR/ecgfit.h5 (values read the parts through\n"
        "an HDF5 virtual dataset: keep emb-data/ next to the store), with the encoder's\n"
        "sha256 and path, the input length and the units of the ECGs.\n\n"
        "Options:\n"
        "  --encoder FILE       the encoder (default: `encoder` in DIR/ecgfit.ini)\n"
        "  --name NAME          embeddings name (default: the encoder file name without\n"
        "                       its extension, e.g. PCLR)\n"
        "  --batch B            ECGs per network run (default 8): more is faster, uses\n"
        "                       more memory\n"
        "  -j, --jobs N         threads (default: all cores)\n"
        "  --shard K/N          embed only the K-th of N contiguous slices of /ecg;\n"
        "                       `ecgfit merge` folds the shards\n"
        "  --restart            delete NAME's earlier part files (of this shard) first\n"
        "  --limit N            embed at most N more ECGs in this run\n\n"
        "The encoder's input must be [samples, 12] with samples as preprocessed\n"
        "(`preprocess --samples`).  An interrupted run keeps every finished embedding;\n"
        "the same command resumes.  Parts of NAME made with another encoder or from\n"
        "ECGs in other units are refused unless --restart.\n",
    .run = run,
};
