/* cmd_embed.c — `ecgfit [-C DIR] embed`: ECG embeddings with a Keras encoder. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_embed_stage.h"
#include "store/ef_project.h"

#include <stdlib.h>
#include <string.h>

static const ef_opt_spec opts[] = {
    { "encoder", 0, EF_OPT_STRING, "FILE", "the encoder (default: `encoder` in DIR/ecgfit.ini)", 0, 0, NULL, 0 },
    { "name", 0, EF_OPT_STRING, "NAME",
      "embeddings name (default: the encoder file name without\nits extension, e.g. PCLR)", 0, 0, NULL, 0 },
    { "batch", 0, EF_OPT_INT, "B", "ECGs per network run (default 8): more is faster, uses\nmore memory", 1, 4096,
      NULL, 0 },
    EF_OPT_STAGE_JOBS("threads"),
    EF_OPT_STAGE_SHARD("embed only the K-th of N contiguous slices of /ecg;\n`ecgfit merge` folds the shards"),
    EF_OPT_STAGE_RESTART("delete NAME's earlier part files (of this shard) first"),
    EF_OPT_STAGE_LIMIT("embed at most N more ECGs in this run"),
};

/* The encoder: --encoder, else the project's; a new string in *out. */
static int encoder_of(const ef_cmd_ctx *ctx, const ef_cmd_args *a, const ef_project *p, char **out, ef_error *err)
{
    const char *e = ef_args_str(a, "encoder", p->encoder);

    (void)ctx;
    *out = NULL;
    if (!e)
        return ef_error_set_at(err, EF_EDATA, p->config_path, 0, 0,
                               "no encoder: pass --encoder FILE, or set `encoder = FILE` here (`ecgfit init %s "
                               "--main-csv ... --ecg-dir ... --encoder FILE --force`); for a demo encoder with "
                               "random weights run `ecgfit encoder new --arch pclr -o FILE`",
                               p->dir);
    *out = ef_xstrdup(e);
    return EF_OK;
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    ef_embed_stage_opts o;
    const char *name = ef_args_str(a, "name", NULL);
    char *encoder = NULL;
    ef_project p;
    int rc;

    ef_embed_stage_opts_default(&o);
    rc = ef_stage_args(ctx, a, &o.threads, &o.shard_k, &o.shard_n, &o.restart, &o.limit, err);
    if (rc != EF_OK)
        return rc;
    if (name && !ef_emb_name_ok(name))
        return ef_cmd_usage(err, "--name must be 1-%d characters of A-Z a-z 0-9 _ . -, not '%s'", EF_EMB_NAME_MAX - 1,
                            name);
    if (name)
        o.name = name;
    o.batch = (size_t)ef_args_long(a, "batch", (long)o.batch);
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK)
        return rc;
    rc = encoder_of(ctx, a, &p, &encoder, err);
    if (rc == EF_OK) {
        o.project_dir = p.dir;
        o.store_path = p.store_path;
        o.encoder_path = encoder;
        rc = ef_embed_stage_job_new(job, &o, err);   /* copies the paths */
    }
    free(encoder);
    ef_project_fini(&p);
    return rc;
}

static void print_summary(const ef_cmd_ctx *ctx, const ef_embed_summary *s, const ef_project *p, const char *encoder,
                          double secs)
{
    ef_out(ctx, "Embed (encoder %s, name %s, shard %s)\n", encoder, s->name, s->shard);
    ef_out(ctx, "  encoder: sha256 %.16s..., %zu parameters, %.3g GFLOP per ECG, %llu outputs\n", s->o.sha256,
           s->params, s->flops_per_ecg / 1e9, (unsigned long long)s->o.output_size);
    ef_out(ctx, "  ECGs: %llu samples per lead, units %s\n", (unsigned long long)s->o.input_length, s->o.units);
    ef_out(ctx, "  %-40s %8zu\n", "ECGs in /ecg", s->ecgs);
    if (strcmp(s->shard, "all") != 0)
        ef_out(ctx, "  %-40s %8zu\n", "in this shard", s->slice);
    if (s->resumed)
        ef_out(ctx, "  %-40s %8zu\n", "already embedded (resumed)", s->resumed);
    ef_out(ctx, "  %-40s %8zu\n", "embedded now", s->embedded);
    if (s->parts_removed)
        ef_out(ctx, "  %-40s %8zu\n", "old part files removed (--restart)", s->parts_removed);
    if (s->embedded && secs > 0)
        ef_out(ctx, "  %.1f s: %.2f ECGs/s, %.1f GFLOP/s\n", secs, (double)s->embedded / secs,
               (double)s->embedded * s->flops_per_ecg / secs / 1e9);
    if (s->folded)
        ef_out(ctx, "Wrote /embeddings/%s to %s: %zu ECGs x %llu, %zu part file%s in %s/%s/%s\n", s->name,
               p->store_path, s->fold.n, (unsigned long long)s->fold.o.output_size, s->fold.parts,
               s->fold.parts == 1 ? "" : "s", p->dir, EF_EMB_PARTS_DIR, s->name);
    else if (strcmp(s->shard, "all") != 0)
        ef_out(ctx, "Wrote part files to %s/%s/%s; run `ecgfit -C %s merge` when every shard is done\n", p->dir,
               EF_EMB_PARTS_DIR, s->name, p->dir);
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_embed_summary *s = ef_embed_stage_summary(job);
    char *encoder = NULL;
    ef_project p;

    ef_stage_warnings(ctx, s->fold.warnings, s->folded ? s->fold.nwarnings : 0, s->tmp_removed);
    if (ef_project_load(&p, ctx->project_dir, NULL) != EF_OK)
        return rc;
    if (!ctx->quiet && (rc == EF_OK || rc == EF_ECANCELED) && encoder_of(ctx, a, &p, &encoder, NULL) == EF_OK)
        print_summary(ctx, s, &p, encoder, ef_job_seconds(job));
    if (rc == EF_ECANCELED)
        ef_error_set(err, EF_ECANCELED,
                     "embed interrupted; finished embeddings are kept in %s/%s/%s, run the same command to resume",
                     p.dir, EF_EMB_PARTS_DIR, s->name);
    free(encoder);
    ef_project_fini(&p);
    return rc;
}

const ef_cmd ef_cmd_embed = {
    .name = "embed",
    .summary = "compute ECG embeddings (PCLR) with a Keras .h5 encoder",
    .synopsis = "[-C DIR] embed [--encoder FILE] [--name NAME] [--batch B] [--jobs N] [--shard K/N]\n"
                "              [--restart] [--limit N]",
    .intro = "Runs every preprocessed ECG of /ecg not yet embedded through the encoder (a\n"
             "Keras .h5 file: PCLR.h5, or `ecgfit encoder new --arch pclr -o FILE` for a demo\n"
             "with random weights) and writes the outputs to part files\n"
             "DIR/emb-data/NAME/part-*.h5 (512 ECGs each); a run without --shard then writes\n"
             "/embeddings/NAME/{eid,values} to DIR/ecgfit.h5 (values read the parts through\n"
             "an HDF5 virtual dataset: keep emb-data/ next to the store), with the encoder's\n"
             "sha256 and path, the input length and the units of the ECGs.\n",
    .outro = "The encoder's input must be [samples, 12] with samples as preprocessed\n"
             "(`preprocess --samples`).  An interrupted run keeps every finished embedding;\n"
             "the same command resumes.  Parts of NAME made with another encoder or from\n"
             "ECGs in other units are refused unless --restart.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
