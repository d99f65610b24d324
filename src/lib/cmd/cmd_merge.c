/* cmd_merge.c — `ecgfit [-C DIR] merge`: fold the shards' part files into
 * the project store: the ECG parts into /ecg, then each embeddings NAME's
 * parts into /embeddings/NAME. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "ecg/ef_preprocess.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_emb_parts.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <stdlib.h>
#include <string.h>

static const ef_opt_spec opts[] = {
    { "allow-incomplete", 0, EF_OPT_FLAG, NULL,
      "fold what is there even if shards are missing or\nunfinished (they are reported as warnings)", 0, 0, NULL, 0 },
};

typedef struct merge {
    ef_project p;
    int loaded, allow, quiet;
    ef_outlog log;
} merge;

static void say_error(merge *m, const ef_error *e)
{
    char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 64];

    ef_outlog_add(&m->log, EF_OUT_NOTE, "%s", ef_error_format(e, buf, sizeof buf));
}

/* Fold every embeddings NAME that has parts; a NAME that fails is reported
 * and the others are still folded.  Returns the first failure's status. */
static int merge_embeddings(merge *m, ef_error *err)
{
    char **names = NULL;
    size_t n = 0, i, j;
    ef_error e;
    int rc, first = EF_OK;

    rc = ef_emb_names(m->p.dir, &names, &n, err);
    if (rc != EF_OK)
        return rc;
    for (i = 0; i < n; i++) {
        ef_emb_fold_result res;

        ef_error_clear(&e);
        rc = ef_emb_fold(m->p.dir, m->p.store_path, names[i], NULL, m->allow, &res, &e);
        for (j = 0; j < res.nwarnings && rc == EF_OK; j++)
            ef_outlog_add(&m->log, EF_OUT_WARN, "%s", res.warnings[j]);
        if (rc == EF_OK && !m->quiet)
            ef_outlog_add(&m->log, EF_OUT_TEXT,
                          "Merged %zu part file%s into /embeddings/%s: %zu ECGs x %llu (encoder %s, sha256 %.16s...)\n",
                          res.parts, res.parts == 1 ? "" : "s", names[i], res.n,
                          (unsigned long long)res.o.output_size, res.encoder_path, res.o.sha256);
        if (rc != EF_OK) {
            if (first == EF_OK) {
                first = rc;
                *err = e;   /* the front end reports the first failure last */
            } else {
                say_error(m, &e);
            }
        }
        ef_emb_fold_result_fini(&res);
    }
    ef_store_free_list(names, n);
    return first;
}

static int run(void *state, ef_error *err)
{
    merge *m = state;
    ef_ecg_fold_result res;
    char o[256], name[64], line[1024];
    size_t i, len;
    unsigned b;
    int rc;

    memset(&res, 0, sizeof res);
    rc = ef_ecg_fold(m->p.dir, m->p.store_path, NULL, m->allow, &res, err);
    for (i = 0; i < res.nwarnings && rc == EF_OK; i++)
        ef_outlog_add(&m->log, EF_OUT_WARN, "%s", res.warnings[i]);
    if (rc == EF_OK && res.failed)
        ef_outlog_add(&m->log, EF_OUT_WARN, "%zu ECG%s failed in preprocessing; all listed in %s", res.failed,
                      res.failed == 1 ? "" : "s", res.failures_path);
    if (rc == EF_OK && !m->quiet) {
        ef_outlog_add(&m->log, EF_OUT_TEXT, "Merged %zu part file%s into %s: %zu ECGs, %zu failed (%s)\n", res.parts,
                      res.parts == 1 ? "" : "s", m->p.store_path, res.ecgs, res.failed,
                      ef_ecg_part_opts_format(&res.o, o, sizeof o));
        for (b = 0, len = 0, line[0] = '\0'; b < 32; b++) {
            if (!res.qc_count[b])
                continue;
            len += (size_t)snprintf(line + len, len < sizeof line ? sizeof line - len : 0, "%s %s %zu",
                                    len ? "," : "  QC flags:", ef_qc_describe(1u << b, name, sizeof name),
                                    res.qc_count[b]);
        }
        if (len)
            ef_outlog_add(&m->log, EF_OUT_TEXT, "%s\n", line);
    }
    ef_ecg_fold_result_fini(&res);
    return rc == EF_OK ? merge_embeddings(m, err) : rc;
}

static void merge_free(void *state)
{
    merge *m = state;

    if (m->loaded)
        ef_project_fini(&m->p);
    ef_outlog_fini(&m->log);
    free(m);
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    merge *m = ef_xcalloc(1, sizeof *m);
    int rc = ef_project_load(&m->p, ctx->project_dir, err);

    m->loaded = rc == EF_OK;
    m->allow = ef_args_given(a, "allow-incomplete");
    m->quiet = ctx->quiet;
    if (rc != EF_OK) {
        merge_free(m);
        return rc;
    }
    *job = ef_job_once("merge", run, m, merge_free);
    return EF_OK;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    merge *m = ef_job_state(job);

    (void)a;
    (void)err;
    ef_outlog_flush(ctx, &m->log);
    return rc;
}

const ef_cmd ef_cmd_merge = {
    .name = "merge",
    .summary = "fold shard files into the project store",
    .synopsis = "[-C DIR] merge [--allow-incomplete]",
    .intro = "Folds the part files that `preprocess --shard K/N` runs wrote into\n"
             "DIR/ecg-data into the store's /ecg (eid sorted, signal as a virtual dataset\n"
             "over the parts, qc, measurements, failures) and writes\n"
             "DIR/preprocess-failures.txt.  Checks first that all parts were made with the\n"
             "same options, that no ECG is in two parts (overlapping shards), and that\n"
             "every shard of the split is present and complete.  Then folds the parts\n"
             "that `embed --shard K/N` runs wrote into DIR/emb-data/NAME into\n"
             "/embeddings/NAME (eid sorted, values as a virtual dataset over the parts)\n"
             "for every NAME, with the same checks.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
