/* ef_export_emb.c — `export embeddings`: /embeddings/NAME/values (a virtual
 * dataset over DIR/emb-data/NAME/part-*.h5) as the seed's CSV
 * (eid,pclr_output_0,...) or ml4h's TSV (sample_id\tlatent_0...).  Numbers
 * have 9 significant digits, enough to read back the same float32. */
#include "config.h"
#include "pipeline/ef_export.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_emb_parts.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_PER_READ 256

typedef struct emb_job {
    ef_export_emb_opts o;
    ef_export_emb_summary sum;
    int opened;
    ef_store *s;
    char *pval;
    int64_t *eid;
    size_t row;
    float *buf;
    FILE *fp;
} emb_job;

/* NAME: the one asked for, or the only one. */
static int pick_name(emb_job *j, ef_error *err)
{
    char **names = NULL, list[512] = "";
    size_t n = 0, i, len = 0;
    int rc = EF_OK;

    if (ef_store_is_group(j->s, "/embeddings"))
        rc = ef_store_list(j->s, "/embeddings", &names, &n, err);
    if (rc != EF_OK)
        return rc;
    for (i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    if (n == 0)
        rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(j->s), 0, 0,
                             "no embeddings in the store: run `ecgfit -C %s embed` first", j->o.project_dir);
    else if (j->o.name) {
        for (i = 0; i < n && strcmp(names[i], j->o.name) != 0; i++)
            ;
        if (i == n)
            rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(j->s), 0, 0,
                                 "no embeddings named '%s' (the store has: %s)", j->o.name, list);
        else
            snprintf(j->sum.name, sizeof j->sum.name, "%s", j->o.name);
    } else if (n > 1)
        rc = ef_error_set_at(err, EF_EINVAL, ef_store_path(j->s), 0, 0,
                             "the store has several embeddings (%s): choose one with --name", list);
    else
        snprintf(j->sum.name, sizeof j->sum.name, "%s", names[0]);
    ef_store_free_list(names, n);
    return rc;
}

static int start(emb_job *j, ef_error *err)
{
    char *peid;
    uint64_t dims[2];
    size_t k;
    int rank, rc;

    rc = ef_store_open_read(&j->s, j->o.store_path, err);
    if (rc == EF_ENOTFOUND)
        return ef_error_set_at(err, EF_ENOTFOUND, j->o.store_path, 0, 0,
                               "no store yet: run `ecgfit -C %s preprocess` and `embed` first", j->o.project_dir);
    if (rc == EF_OK)
        rc = pick_name(j, err);
    if (rc != EF_OK)
        return rc;
    peid = ef_xasprintf("/embeddings/%s/eid", j->sum.name);
    j->pval = ef_xasprintf("/embeddings/%s/values", j->sum.name);
    rc = ef_store_read_i64(j->s, peid, &j->eid, &j->sum.n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(j->s, j->pval, &rank, dims, 2, err);
    if (rc == EF_OK && (rank != 2 || dims[0] != j->sum.n))
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(j->s), 0, 0, "%s does not match %s", j->pval, peid);
    free(peid);
    if (rc == EF_OK) {
        j->sum.k = (size_t)dims[1];
        rc = ef_export_open(j->o.out, j->o.std, &j->fp, err);
    }
    if (rc != EF_OK)
        return rc;
    fputs(j->o.tsv ? "sample_id" : "eid", j->fp);
    for (k = 0; k < j->sum.k; k++)
        fprintf(j->fp, "%c%s%zu", j->o.tsv ? '\t' : ',', j->o.tsv ? "latent_" : "pclr_output_", k);
    fputc('\n', j->fp);
    j->buf = ef_xmalloc(ROWS_PER_READ * (j->sum.k ? j->sum.k : 1) * sizeof *j->buf);
    return EF_OK;
}

/* One slice of rows, or the end: then the output is closed. */
static int rows(emb_job *j, ef_error *err)
{
    size_t m = j->sum.n - j->row < ROWS_PER_READ ? j->sum.n - j->row : ROWS_PER_READ, i, k, cols = j->sum.k;
    char sep = j->o.tsv ? '\t' : ',';
    int rc = m ? ef_store_read_f32_rows(j->s, j->pval, j->row, m, j->buf, err) : EF_OK;

    for (i = 0; rc == EF_OK && i < m; i++) {
        const float *r = j->buf + i * cols;

        for (k = 0; k < cols && isnan(r[k]); k++)
            ;
        if (cols && k == cols) {
            rc = ef_error_set_at(err, EF_EIO, ef_store_path(j->s), 0, 0,
                                 "the embedding of ECG %lld reads as missing: its part file in %s/%s/%s is "
                                 "absent or unreadable (keep %s/ next to ecgfit.h5, or rerun embed)",
                                 (long long)j->eid[j->row + i], j->o.project_dir, EF_EMB_PARTS_DIR, j->sum.name,
                                 EF_EMB_PARTS_DIR);
            break;
        }
        fprintf(j->fp, "%lld", (long long)j->eid[j->row + i]);
        for (k = 0; k < cols; k++)
            fprintf(j->fp, "%c%.9g", sep, (double)r[k]);
        fputc('\n', j->fp);
    }
    j->row += m;
    if (rc == EF_OK && j->row < j->sum.n)
        return EF_CONTINUE;
    rc = ef_export_close(j->fp, j->o.std, j->o.out, rc, err);
    j->fp = NULL;
    return rc;
}

static int step(void *state, ef_error *err)
{
    emb_job *j = state;

    if (!j->opened) {
        int rc;

        j->opened = 1;
        rc = start(j, err);
        return rc == EF_OK ? EF_CONTINUE : rc;
    }
    return rows(j, err);
}

static void progress(const void *state, ef_progress_report *p)
{
    const emb_job *j = state;

    p->stage = "exporting embeddings";
    p->done = j->row;
    p->total = j->sum.n;
    p->unit = "rows";
}

/* An interrupted export leaves no half-written file. */
static void cancel(void *state)
{
    emb_job *j = state;

    if (j->fp)
        ef_export_close(j->fp, j->o.std, j->o.out, EF_ECANCELED, NULL);
    j->fp = NULL;
}

static void job_free(void *state)
{
    emb_job *j = state;

    cancel(j);
    ef_store_close(j->s);
    free(j->pval);
    free(j->eid);
    free(j->buf);
    free((char *)j->o.store_path);
    free((char *)j->o.project_dir);
    free((char *)j->o.out);
    free((char *)j->o.name);
    free(j);
}

static const ef_job_ops emb_ops = { "export embeddings", step, progress, cancel, job_free };

int ef_export_emb_job_new(ef_job **out, const ef_export_emb_opts *o, ef_error *err)
{
    emb_job *j = ef_xcalloc(1, sizeof *j);

    (void)err;
    j->o = *o;
    /* own copies: the caller's words may go before the job ends */
    j->o.store_path = ef_xstrdup(o->store_path);
    j->o.project_dir = ef_xstrdup(o->project_dir);
    j->o.out = ef_xstrdup(o->out);
    j->o.name = o->name ? ef_xstrdup(o->name) : NULL;
    *out = ef_job_new(&emb_ops, j);
    return EF_OK;
}

const ef_export_emb_summary *ef_export_emb_summary_of(ef_job *job)
{
    return &((emb_job *)ef_job_state(job))->sum;
}
