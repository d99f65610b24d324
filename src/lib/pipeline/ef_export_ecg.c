/* ef_export_ecg.c — `export ecg`: /ecg/signal (a virtual dataset over
 * DIR/ecg-data/part-*.h5) as the seed's DIR/EID.npy files (float32 C-order
 * [samples, 12]) or one ECG as CSV, a column per lead (see ef_export.h). */
#include "config.h"
#include "pipeline/ef_export.h"
#include "core/ef_alloc.h"
#include "ecg/ef_cardiosoft.h"
#include "store/ef_npy.h"
#include "store/ef_store.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ROWS_PER_READ 16

typedef struct ecg_job {
    ef_export_ecg_opts o;
    ef_export_ecg_summary sum;
    int opened;
    ef_store *s;
    int64_t *eid;
    size_t n, row;
    float *buf;
} ecg_job;

static int open_ecgs(ecg_job *j, ef_error *err)
{
    uint64_t dims[3];
    char *units = NULL;
    int rank, rc;

    rc = ef_store_open_read(&j->s, j->o.store_path, err);
    if (rc == EF_OK && !ef_store_exists(j->s, "/ecg/eid"))
        rc = ef_error_set_at(err, EF_ENOTFOUND, j->o.store_path, 0, 0,
                             "no /ecg in the store (run `ecgfit -C %s preprocess` first)", j->o.project_dir);
    if (rc == EF_OK)
        rc = ef_store_read_i64(j->s, "/ecg/eid", &j->eid, &j->n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(j->s, "/ecg/signal", &rank, dims, 3, err);
    if (rc == EF_OK && (rank != 3 || dims[0] != j->n || dims[2] != EF_CS_NLEADS))
        rc = ef_error_set_at(err, EF_EDATA, j->o.store_path, 0, 0, "/ecg/signal does not match /ecg/eid");
    if (rc != EF_OK)
        return rc;
    j->sum.samples = (size_t)dims[1];
    if (ef_store_get_attr_str(j->s, "/ecg", "units", &units, NULL) == EF_OK) {
        snprintf(j->sum.units, sizeof j->sum.units, "%s", units);
        free(units);
    } else {
        snprintf(j->sum.units, sizeof j->sum.units, "?");
    }
    return EF_OK;
}

/* Read rows [row, row + n); a row that is all NaN is a part file HDF5 could
 * not open (the virtual dataset's fill value). */
static int read_rows(ecg_job *j, size_t row, size_t n, ef_error *err)
{
    size_t per = j->sum.samples * EF_CS_NLEADS, i, k;
    int rc = ef_store_read_f32_rows(j->s, "/ecg/signal", row, n, j->buf, err);

    for (i = 0; rc == EF_OK && i < n; i++) {
        const float *r = j->buf + i * per;

        for (k = 0; k < per && isnan(r[k]); k++)
            ;
        if (k == per)
            rc = ef_error_set_at(err, EF_EIO, ef_store_path(j->s), 0, 0,
                                 "ECG %lld reads as missing: its part file in %s/ecg-data is absent "
                                 "or unreadable (keep ecg-data/ next to ecgfit.h5, or rerun preprocess)",
                                 (long long)j->eid[row + i], j->o.project_dir);
    }
    return rc;
}

static int write_csv(ecg_job *j, ef_error *err)
{
    size_t row, i, k;
    FILE *fp;
    int rc;

    for (row = 0; row < j->n && j->eid[row] != (int64_t)j->o.eid; row++)
        ;
    if (row == j->n)
        return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(j->s), 0, 0,
                               "no ECG for eid %lld in /ecg (see /ecg/failures)", j->o.eid);
    rc = read_rows(j, row, 1, err);
    if (rc == EF_OK)
        rc = ef_export_open(j->o.out, j->o.std, &fp, err);
    if (rc != EF_OK)
        return rc;
    for (k = 0; k < EF_CS_NLEADS; k++)
        fprintf(fp, "%s%s", k ? "," : "", ef_cs_lead_names[k]);
    fputc('\n', fp);
    for (i = 0; i < j->sum.samples; i++) {
        for (k = 0; k < EF_CS_NLEADS; k++)
            fprintf(fp, "%s%.9g", k ? "," : "", (double)j->buf[i * EF_CS_NLEADS + k]);
        fputc('\n', fp);
    }
    rc = ef_export_close(fp, j->o.std, j->o.out, EF_OK, err);
    j->sum.nfiles = rc == EF_OK;
    return rc;
}

static int step(void *state, ef_error *err)
{
    ecg_job *j = state;
    size_t per, n, i;
    int rc = EF_OK;

    if (!j->opened) {
        j->opened = 1;
        rc = open_ecgs(j, err);
        if (rc != EF_OK)
            return rc;
        j->buf = ef_xmalloc((j->o.npy ? ROWS_PER_READ : 1) * (j->sum.samples ? j->sum.samples : 1) *
                            EF_CS_NLEADS * sizeof *j->buf);
        if (!j->o.npy)
            return write_csv(j, err);
        if (mkdir(j->o.out, 0777) != 0 && errno != EEXIST)
            return ef_error_set_at(err, EF_EIO, j->o.out, 0, 0, "cannot create folder: %s", strerror(errno));
        return EF_CONTINUE;
    }
    /* one slice: the next few ECGs */
    per = j->sum.samples * EF_CS_NLEADS;
    n = j->n - j->row < ROWS_PER_READ ? j->n - j->row : ROWS_PER_READ;
    if (n)
        rc = read_rows(j, j->row, n, err);
    for (i = 0; i < n && rc == EF_OK; i++) {
        char *path = ef_xasprintf("%s/%lld.npy", j->o.out, (long long)j->eid[j->row + i]);

        rc = ef_npy_write_f32(path, j->buf + i * per, j->sum.samples, EF_CS_NLEADS, err);
        j->sum.nfiles += rc == EF_OK;
        free(path);
    }
    j->row += n;
    if (rc != EF_OK)
        return rc;
    return j->row < j->n ? EF_CONTINUE : EF_OK;
}

static void progress(const void *state, ef_progress_report *p)
{
    const ecg_job *j = state;

    p->stage = "exporting ECGs";
    p->done = j->row;
    p->total = j->n;
    p->unit = "ECGs";
}

static void job_free(void *state)
{
    ecg_job *j = state;

    ef_store_close(j->s);
    free(j->eid);
    free(j->buf);
    free((char *)j->o.store_path);
    free((char *)j->o.project_dir);
    free((char *)j->o.out);
    free(j);
}

int ef_export_ecg_read(const char *store_path, const char *project_dir, long long eid, float **signal,
                       size_t *samples, char units[32], ef_error *err)
{
    ecg_job j;
    size_t row;
    int rc;

    memset(&j, 0, sizeof j);
    *signal = NULL;
    *samples = 0;
    j.o.store_path = store_path;
    j.o.project_dir = project_dir;
    rc = open_ecgs(&j, err);
    for (row = 0; rc == EF_OK && row < j.n && j.eid[row] != (int64_t)eid; row++)
        ;
    if (rc == EF_OK && row == j.n)
        rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0, "no ECG for eid %lld in /ecg (see /ecg/failures)",
                             eid);
    if (rc == EF_OK) {
        j.buf = ef_xmalloc((j.sum.samples ? j.sum.samples : 1) * EF_CS_NLEADS * sizeof *j.buf);
        rc = read_rows(&j, row, 1, err);
    }
    if (rc == EF_OK) {
        *signal = j.buf;
        j.buf = NULL;
        *samples = j.sum.samples;
        snprintf(units, 32, "%s", j.sum.units);
    }
    ef_store_close(j.s);
    free(j.eid);
    free(j.buf);
    return rc;
}

static const ef_job_ops ecg_ops = { "export ecg", step, progress, NULL, job_free };

int ef_export_ecg_job_new(ef_job **out, const ef_export_ecg_opts *o, ef_error *err)
{
    ecg_job *j = ef_xcalloc(1, sizeof *j);

    (void)err;
    j->o = *o;
    /* own copies: the caller's words may go before the job ends */
    j->o.store_path = ef_xstrdup(o->store_path);
    j->o.project_dir = ef_xstrdup(o->project_dir);
    j->o.out = ef_xstrdup(o->out);
    *out = ef_job_new(&ecg_ops, j);
    return EF_OK;
}

const ef_export_ecg_summary *ef_export_ecg_summary_of(ef_job *job)
{
    return &((ecg_job *)ef_job_state(job))->sum;
}
