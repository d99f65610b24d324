/* cmd_import.c — `ecgfit [-C DIR] import embeddings|labels FILE`: tables
 * made elsewhere (the seed's CSVs, ml4h's TSV) into the project store
 * (pipeline/ef_import). */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_emb_parts.h"
#include "pipeline/ef_import.h"
#include "store/ef_project.h"

#include <stdlib.h>
#include <string.h>

typedef struct import_state {
    ef_project p;
    char *file, *name;
    int labels;
    ef_import_emb_summary emb;
    ef_import_labels_summary lab;
} import_state;

static void state_free(void *v)
{
    import_state *st = v;

    ef_project_fini(&st->p);
    if (st->labels)
        ef_import_labels_summary_fini(&st->lab);
    free(st->file);
    free(st->name);
    free(st);
}

static int run(void *v, ef_error *err)
{
    import_state *st = v;

    if (st->labels)
        return ef_import_labels(st->p.store_path, st->file, &st->lab, err);
    return ef_import_embeddings(st->p.store_path, st->file, st->name, &st->emb, err);
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    int labels = a->cmd == &ef_cmd_import_labels;
    const char *name = labels ? NULL : ef_args_str(a, "name", NULL);
    import_state *st;
    int rc;

    *job = NULL;
    if (a->npos != 1)
        return ef_cmd_usage(err, "give the FILE to import");
    if (name && (!ef_emb_name_ok(name) || strlen(name) >= EF_EMB_NAME_MAX))
        return ef_cmd_usage(err, "--name must be 1-%d characters of A-Z a-z 0-9 _ . -, not '%s'", EF_EMB_NAME_MAX - 1,
                            name);
    st = ef_xcalloc(1, sizeof *st);
    rc = ef_project_load(&st->p, ctx->project_dir, err);
    if (rc != EF_OK) {
        state_free(st);
        return rc;
    }
    st->labels = labels;
    st->file = ef_xstrdup(a->pos[0]);
    st->name = name ? ef_xstrdup(name) : NULL;
    *job = ef_job_once(labels ? "import labels" : "import embeddings", run, st, state_free);
    return EF_OK;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    import_state *st = ef_job_state(job);

    (void)a;
    (void)err;
    if (rc != EF_OK)
        return rc;
    if (!st->labels) {
        const ef_import_emb_summary *s = &st->emb;

        if (!ctx->quiet)
            ef_out(ctx,
                   "Imported %zu embeddings (%zu values each, %s) from %s as /embeddings/%s%s\n"
                   "  %zu of them belong to participants in /participants\n",
                   s->n, s->k, s->format, st->file, s->name, s->replaced ? " (replacing the earlier ones)" : "",
                   s->in_participants);
        return rc;
    }
    {
        const ef_import_labels_summary *s = &st->lab;

        if (!ctx->quiet) {
            ef_out(ctx, "Imported %zu column%s from %s into /participants:", s->ncols, s->ncols == 1 ? "" : "s",
                   st->file);
            for (size_t i = 0; i < s->ncols; i++)
                ef_out(ctx, " %s", s->cols[i]);
            ef_out(ctx, "\n  %zu rows: %zu matched a participant, %zu unmatched (not in /participants, skipped)\n",
                   s->rows, s->matched, s->unmatched);
            if (s->replaced)
                ef_out(ctx, "  %zu column%s replaced\n", s->replaced, s->replaced == 1 ? "" : "s");
        }
        if (s->unmatched)
            ef_warn(ctx, "%zu eid%s of %s are not in /participants and were skipped", s->unmatched,
                    s->unmatched == 1 ? "" : "s", st->file);
    }
    return rc;
}

static int no_subject(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    (void)ctx;
    (void)a;
    *job = NULL;
    return ef_cmd_usage(err, "give what to import (embeddings or labels) and a FILE");
}

const ef_cmd ef_cmd_import = {
    .name = "import",
    .summary = "import embeddings or labels from CSV",
    .outro = "Errors name FILE:LINE: bad numbers, rows with the wrong number of fields,\n"
             "duplicate eids.  `ecgfit import labels --help` shows one of them alone.\n",
    .flags = EF_CMD_GROUP | EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = no_subject,
};

static const ef_opt_spec emb_opts[] = {
    { "name", 0, EF_OPT_STRING, "NAME", "store them as /embeddings/NAME (default: the file name\n"
                                        "without its extension)", 0, 0, NULL, 0 },
};

const ef_cmd ef_cmd_import_embeddings = {
    .name = "import embeddings",
    .summary = "import embeddings from the seed's CSV or ml4h's TSV",
    .synopsis = "[-C DIR] import embeddings FILE [--name NAME]",
    .intro = "import embeddings reads the seed's CSV (eid,pclr_output_0,...) or ml4h's TSV\n"
             "(sample_id<TAB>latent_0...) into /embeddings/NAME (eid sorted, values float32),\n"
             "where `train`, `replicate` and `export embeddings` read them like the output\n"
             "of `embed`.\n",
    .opts = emb_opts,
    .nopts = sizeof emb_opts / sizeof emb_opts[0],
    .npos_min = 1,
    .npos_max = 1,
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};

const ef_cmd ef_cmd_import_labels = {
    .name = "import labels",
    .summary = "import label columns from a CSV into /participants",
    .synopsis = "[-C DIR] import labels FILE",
    .intro = "import labels reads a CSV with eid first and value columns (the seed's label\n"
             "files, e.g. eid,30038-1.0) into /participants/<column>, for the participants\n"
             "already there (run `labels` first); other eids are counted and skipped.\n"
             "Empty, NA and nan cells are missing values.\n",
    .npos_min = 1,
    .npos_max = 1,
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
