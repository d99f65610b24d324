/* cmd_export.c — `ecgfit [-C DIR] export labels|ecg|embeddings|predictions|metrics`:
 * store contents as files other tools read.  The writers are in
 * pipeline/ef_export; here are the options, their checks and the reports. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_export.h"
#include "store/ef_project.h"

#include <stdlib.h>
#include <string.h>

static const char *const csv_tsv[] = { "csv", "tsv", NULL };
static const char *const csv_only[] = { "csv", NULL };

#define OPT_OUTPUT(arg, help) { "output", 'o', EF_OPT_STRING, arg, help, 0, 0, NULL, 0 }

/* What every export job holds: the project, the output and its stream. */
typedef struct export_state {
    ef_project p;
    char *out;               /* copies: the job may outlive the parsed words */
    FILE *std;
    size_t n;                /* rows written (seed layout: files) */
    size_t rows;             /* labels: rows of the -o table */
    /* labels */
    char *seed_dir;
    char sep;
    /* predictions */
    ef_result_key key;
    char keybuf[600];
    char *split;
    /* metrics */
    char **targets;
    size_t ntargets;
} export_state;

static void state_free(void *v)
{
    export_state *st = v;

    ef_project_fini(&st->p);
    free(st->out);
    free(st->seed_dir);
    free(st->split);
    for (size_t i = 0; i < st->ntargets; i++)
        free(st->targets[i]);
    free(st->targets);
    free(st);
}

/* A new state with the project of ctx loaded and the -o stream checked. */
static int state_new(ef_cmd_ctx *ctx, const char *out, export_state **st, ef_error *err)
{
    int rc;

    *st = ef_xcalloc(1, sizeof **st);
    (*st)->out = out ? ef_xstrdup(out) : NULL;
    rc = out ? ef_cmd_data_out(ctx, out, &(*st)->std, err) : EF_OK;
    if (rc == EF_OK)
        rc = ef_project_load(&(*st)->p, ctx->project_dir, err);
    if (rc != EF_OK) {
        state_free(*st);
        *st = NULL;
    }
    return rc;
}

static int no_subject(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    (void)ctx;
    (void)a;
    *job = NULL;
    return ef_cmd_usage(err, "expected what to export: labels, ecg, embeddings, predictions or metrics");
}

const ef_cmd ef_cmd_export = {
    .name = "export",
    .summary = "write store contents as files other tools read",
    .outro = "`ecgfit export labels --help` (ecg, embeddings ...) shows one of them alone.\n",
    .flags = EF_CMD_GROUP | EF_CMD_PROJECT,
    .make = no_subject,
};

/* ---- export labels --------------------------------------------------------- */

static const ef_opt_spec labels_opts[] = {
    { "format", 'f', EF_OPT_CHOICE, "FMT", "csv (default) or tsv", 0, 0, csv_tsv, 0 },
    OPT_OUTPUT("FILE", "output file, - for standard output"),
    { "seed-layout", 0, EF_OPT_STRING, "DIR",
      "also write the seed pipeline's files into DIR:\n"
      "FIELD-I.A.csv (eid,FIELD-I.A) per single-instance column,\n"
      "SYSTOLIC_BP_mean.csv, DIASTOLIC_BP_mean.csv, and\n"
      "eid_age2_sex_bmi2.csv (eid,age,sex,bmi; participants with\n"
      "an ECG file and all three values), numbers as pandas\n"
      "writes them (3.0, 27.9871).  They match the seed's own\n"
      "files when labels ran with --special-codes seed (and\n"
      "without --manual-bp, which the seed did not have).", 0, 0, NULL, 0 },
};

static int labels_run(void *v, ef_error *err)
{
    export_state *st = v;
    ef_fdata *d;
    int rc = ef_fdata_load_participants(st->p.store_path, &d, err);

    if (rc == EF_OK && st->out) {
        rc = ef_export_labels(d, st->out, st->std, st->sep, err);
        st->rows = d->n;
    }
    if (rc == EF_OK && st->seed_dir)
        rc = ef_export_seed_layout(d, st->seed_dir, &st->n, err);
    ef_fdata_free(d);
    return rc;
}

static int labels_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *out = ef_args_str(a, "output", NULL), *seed = ef_args_str(a, "seed-layout", NULL);
    export_state *st;
    int rc;

    *job = NULL;
    if (!out && !seed)
        return ef_cmd_usage(err, "give -o FILE (or - for standard output) or --seed-layout DIR");
    if ((rc = state_new(ctx, out, &st, err)) != EF_OK)
        return rc;
    st->seed_dir = seed ? ef_xstrdup(seed) : NULL;
    st->sep = strcmp(ef_args_str(a, "format", "csv"), "tsv") == 0 ? '\t' : ',';
    *job = ef_job_once("export labels", labels_run, st, state_free);
    return EF_OK;
}

/* What a file export wrote, beside the data (nothing for -o -). */
static void wrote(const ef_cmd_ctx *ctx, const export_state *st, size_t rows)
{
    if (st->out && !st->std && !ctx->quiet)
        ef_note(ctx, "wrote %zu row%s to %s", rows, rows == 1 ? "" : "s", st->out);
}

static int rows_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    export_state *st = ef_job_state(job);

    (void)a;
    (void)err;
    if (rc == EF_OK)
        wrote(ctx, st, st->n);
    return rc;
}

static int labels_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    export_state *st = ef_job_state(job);

    (void)a;
    (void)err;
    if (rc == EF_OK)
        wrote(ctx, st, st->rows);
    /* not among the data on standard output */
    if (rc == EF_OK && st->seed_dir && !ctx->quiet && !st->std)
        ef_out(ctx, "Wrote %zu seed-layout files to %s\n", st->n, st->seed_dir);
    return rc;
}

const ef_cmd ef_cmd_export_labels = {
    .name = "export labels",
    .summary = "write eid and every /participants column as CSV or TSV",
    .synopsis = "[-C DIR] export labels [--format csv|tsv] [-o FILE|-] [--seed-layout DIR]",
    .intro = "export labels writes eid and every /participants column, one row per\n"
             "participant in main-CSV order, empty cells for missing values.\n",
    .outro = "At least one of -o and --seed-layout is needed.\n",
    .opts = labels_opts,
    .nopts = sizeof labels_opts / sizeof labels_opts[0],
    .flags = EF_CMD_PROJECT,
    .make = labels_make,
    .finish = labels_finish,
};

/* ---- export predictions ---------------------------------------------------- */

static const char *const splits[] = { "train", "test", "other", NULL };

static const ef_opt_spec pred_opts[] = {
    { "target", 0, EF_OPT_STRING, "T", "the target (column name, registry key or UKB id)", 0, 0, NULL, 0 },
    { "features", 0, EF_OPT_STRING, "F", "the feature set", 0, 0, NULL, 0 },
    { "model", 0, EF_OPT_STRING, "M", "the model, or the whole result as T/F/M", 0, 0, NULL, 0 },
    { "split", 0, EF_OPT_CHOICE, "S", "only the rows of split S: train, test or other", 0, 0, splits, 0 },
    { "format", 'f', EF_OPT_CHOICE, "FMT", "csv (the only one)", 0, 0, csv_only, 0 },
    OPT_OUTPUT("FILE", "output file, - for standard output"),
};

static int pred_run(void *v, ef_error *err)
{
    export_state *st = v;

    return ef_export_predictions(st->p.store_path, &st->key, st->split, st->out, st->std, &st->n, err);
}

static int pred_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *target = ef_args_str(a, "target", NULL), *features = ef_args_str(a, "features", NULL);
    const char *model = ef_args_str(a, "model", NULL), *out = ef_args_str(a, "output", NULL);
    char name[600], buf[600];
    export_state *st;
    ef_result_key k;
    ef_error perr;
    int rc;

    *job = NULL;
    if (!out)
        return ef_cmd_usage(err, "give -o FILE (or - for standard output)");
    if (model && strchr(model, '/') && !target && !features)
        snprintf(name, sizeof name, "%s", model);
    else if (target && features && model)
        snprintf(name, sizeof name, "%s/%s/%s", target, features, model);
    else
        return ef_cmd_usage(err, "give --target T --features F --model M (or --model T/F/M)");
    ef_error_clear(&perr);
    if (ef_result_key_parse(name, &k, buf, sizeof buf, &perr) != EF_OK)
        return ef_cmd_usage(err, "%s", perr.msg);
    if ((rc = state_new(ctx, out, &st, err)) != EF_OK)
        return rc;
    /* the key's strings point into keybuf, which lives with the job */
    if (ef_result_key_parse(name, &st->key, st->keybuf, sizeof st->keybuf, err) != EF_OK) {
        state_free(st);
        return EF_EUSAGE;
    }
    if (ef_args_given(a, "split"))
        st->split = ef_xstrdup(ef_args_str(a, "split", ""));
    *job = ef_job_once("export predictions", pred_run, st, state_free);
    return EF_OK;
}

const ef_cmd ef_cmd_export_predictions = {
    .name = "export predictions",
    .summary = "write the predictions of one stored result as CSV",
    .synopsis = "[-C DIR] export predictions --target T --features F --model M\n"
                "                                          [--split S] --format csv -o FILE|-",
    .intro = "export predictions writes eid,<target>,<target>_predicted,split for one stored\n"
             "result (the seed's columns plus train/test/other); --split keeps one split.\n",
    .opts = pred_opts,
    .nopts = sizeof pred_opts / sizeof pred_opts[0],
    .flags = EF_CMD_PROJECT,
    .make = pred_make,
    .finish = rows_finish,
};

/* ---- export metrics -------------------------------------------------------- */

static const ef_opt_spec metrics_opts[] = {
    { "format", 'f', EF_OPT_CHOICE, "FMT", "csv (the only one)", 0, 0, csv_only, 0 },
    OPT_OUTPUT("FILE", "output file, - for standard output"),
    { "target", 0, EF_OPT_LIST, "T[,T...]", "only these targets (any spelling)", 0, 0, NULL, 0 },
};

static int metrics_run(void *v, ef_error *err)
{
    export_state *st = v;

    return ef_export_metrics(st->p.store_path, st->p.dir, st->targets, st->ntargets, st->out, st->std, &st->n,
                             err);
}

static int metrics_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *out = ef_args_str(a, "output", NULL);
    export_state *st;
    int rc;

    *job = NULL;
    if (!out)
        return ef_cmd_usage(err, "give -o FILE (or - for standard output)");
    if ((rc = state_new(ctx, out, &st, err)) != EF_OK)
        return rc;
    {
        size_t n;
        char *const *t = ef_args_list(a, "target", &n);

        st->targets = ef_xcalloc(n ? n : 1, sizeof *st->targets);
        for (st->ntargets = 0; st->ntargets < n; st->ntargets++)
            st->targets[st->ntargets] = ef_xstrdup(t[st->ntargets]);
    }
    *job = ef_job_once("export metrics", metrics_run, st, state_free);
    return EF_OK;
}

const ef_cmd ef_cmd_export_metrics = {
    .name = "export metrics",
    .summary = "write the metrics of every stored result as CSV",
    .synopsis = "[-C DIR] export metrics [--target T[,T...]] --format csv -o FILE|-",
    .intro = "export metrics writes one row per target x features x model x split.\n",
    .opts = metrics_opts,
    .nopts = sizeof metrics_opts / sizeof metrics_opts[0],
    .flags = EF_CMD_PROJECT,
    .make = metrics_make,
    .finish = rows_finish,
};

/* ---- export embeddings ----------------------------------------------------- */

static const ef_opt_spec emb_opts[] = {
    { "name", 0, EF_OPT_STRING, "NAME", "the embeddings to write (default: the only ones)", 0, 0, NULL, 0 },
    { "format", 'f', EF_OPT_CHOICE, "FMT",
      "csv (default): eid,pclr_output_0,...: the seed's header\n"
      "tsv: sample_id, latent_0, ...: ml4h's layout", 0, 0, csv_tsv, 0 },
    OPT_OUTPUT("FILE", "output file, - for standard output"),
};

static int emb_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    ef_export_emb_opts o;
    ef_project p;
    int rc;

    *job = NULL;
    memset(&o, 0, sizeof o);
    o.out = ef_args_str(a, "output", NULL);
    if (!o.out)
        return ef_cmd_usage(err, "give -o FILE (or - for standard output)");
    if ((rc = ef_cmd_data_out(ctx, o.out, &o.std, err)) != EF_OK)
        return rc;
    if ((rc = ef_project_load(&p, ctx->project_dir, err)) != EF_OK)
        return rc;
    o.store_path = p.store_path;
    o.project_dir = p.dir;
    o.name = ef_args_str(a, "name", NULL);
    o.tsv = strcmp(ef_args_str(a, "format", "csv"), "tsv") == 0;
    rc = ef_export_emb_job_new(job, &o, err);
    ef_project_fini(&p);
    return rc;
}

static int emb_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_export_emb_summary *s = ef_export_emb_summary_of(job);
    const char *out = ef_args_str(a, "output", "-");

    (void)err;
    if (rc == EF_OK && !ctx->quiet && strcmp(out, "-") != 0)
        ef_note(ctx, "wrote %zu embeddings (%s, %zu values each) as %s to %s", s->n, s->name, s->k,
                ef_args_str(a, "format", "csv"), out);
    return rc;
}

const ef_cmd ef_cmd_export_embeddings = {
    .name = "export embeddings",
    .summary = "write stored embeddings as the seed's CSV or ml4h's TSV",
    .synopsis = "[-C DIR] export embeddings [--name NAME] --format csv|tsv -o FILE|-",
    .intro = "export embeddings writes /embeddings/NAME (NAME may be left out when there is\n"
             "only one), numbers with 9 significant digits (the same float32 read back):\n",
    .opts = emb_opts,
    .nopts = sizeof emb_opts / sizeof emb_opts[0],
    .flags = EF_CMD_PROJECT,
    .make = emb_make,
    .finish = emb_finish,
};
