/* ef_ecg_parts.c — see ef_ecg_parts.h.  Uses only the store API; the HDF5
 * calls live in ef_store.c and ef_store_vds.c, what any part file needs in
 * ef_parts.c. */
#include "config.h"
#include "ef_ecg_parts.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "ecg/ef_cardiosoft.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIGNAL_BUF_ROWS 16

/* ------------------------------------------------------------ options */

static void hz_text(double hz, char *buf, size_t size)
{
    if (hz > 0)
        ef_snprintf(buf, size, "%g", hz);
    else
        snprintf(buf, size, "off");
}

const char *ef_ecg_part_opts_format(const ef_ecg_part_opts *o, char *buf, size_t size)
{
    char hp[32], nt[32];

    hz_text(o->highpass_hz, hp, sizeof hp);
    hz_text(o->notch_hz, nt, sizeof nt);
    snprintf(buf, size, "units=%s samples=%llu highpass=%s notch=%s strict_rate=%s ecg_instance=%d",
             o->units, (unsigned long long)o->samples, hp, nt, o->strict_rate ? "yes" : "no",
             o->ecg_instance);
    return buf;
}

int ef_ecg_part_opts_diff(const ef_ecg_part_opts *a, const ef_ecg_part_opts *b, char *buf,
                          size_t size)
{
    char t[32];

    if (strcmp(a->units, b->units) != 0)
        snprintf(buf, size, "--units %s", b->units);
    else if (a->samples != b->samples)
        snprintf(buf, size, "--samples %llu", (unsigned long long)b->samples);
    else if (a->highpass_hz != b->highpass_hz) {
        hz_text(b->highpass_hz, t, sizeof t);
        snprintf(buf, size, b->highpass_hz > 0 ? "--highpass=%s" : "no --highpass", t);
    } else if (a->notch_hz != b->notch_hz) {
        hz_text(b->notch_hz, t, sizeof t);
        snprintf(buf, size, b->notch_hz > 0 ? "--notch=%s" : "no --notch", t);
    } else if (a->strict_rate != b->strict_rate)
        snprintf(buf, size, "%s", b->strict_rate ? "--strict-rate" : "no --strict-rate");
    else if (a->ecg_instance != b->ecg_instance)
        snprintf(buf, size, "--ecg-instance %d", b->ecg_instance);
    else
        return 0;
    return 1;
}

/* ------------------------------------------------------------ scanning */

static char *parts_dir(const char *project_dir)
{
    return ef_xasprintf("%s/%s", project_dir, EF_ECG_PARTS_DIR);
}

static int read_part(void *part, char *name, char *path, ef_store *s, ef_error *err)
{
    ef_ecg_part_info *p = part;
    double strict = 0, instance = 0, slice = 0;
    int rc = EF_OK;

    p->name = name;
    p->path = path;
    ef_part_get_str(s, "units", p->o.units, sizeof p->o.units, &rc, err);
    ef_part_get_u64(s, "samples", &p->o.samples, &rc, err);
    ef_part_get_f64(s, "highpass", &p->o.highpass_hz, &rc, err);
    ef_part_get_f64(s, "notch", &p->o.notch_hz, &rc, err);
    ef_part_get_f64(s, "strict_rate", &strict, &rc, err);
    ef_part_get_f64(s, "ecg_instance", &instance, &rc, err);
    ef_part_get_strdup(s, "shard", &p->shard, &rc, err);
    ef_part_get_f64(s, "slice_files", &slice, &rc, err);
    p->o.strict_rate = strict != 0;
    p->o.ecg_instance = (int)instance;
    p->slice_files = (size_t)slice;
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, "/eid", &p->eid, &p->n, err);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, "/failures/eid", &p->failed_eid, &p->nfailed, err);
    return rc;
}

static void free_parts(void *parts, size_t n)
{
    ef_ecg_parts_free(parts, n);
}

int ef_ecg_parts_scan(const char *project_dir, ef_ecg_part_info **parts, size_t *n, ef_error *err)
{
    char *dir = parts_dir(project_dir);
    void *all;
    int rc = ef_part_scan(dir, sizeof **parts, read_part, free_parts, &all, n, err);

    free(dir);
    *parts = all;
    return rc;
}

void ef_ecg_parts_free(ef_ecg_part_info *parts, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(parts[i].name);
        free(parts[i].path);
        free(parts[i].shard);
        free(parts[i].eid);
        free(parts[i].failed_eid);
    }
    free(parts);
}

size_t ef_ecg_parts_clean_tmp(const char *project_dir, const char *tag)
{
    char *dir = parts_dir(project_dir);
    size_t removed = ef_part_clean_tmp(dir, tag);

    free(dir);
    return removed;
}

size_t ef_ecg_parts_delete(const char *project_dir, const char *tag, const ef_ecg_part_opts *opts,
                           const ef_ecg_part_info *parts, size_t n)
{
    size_t i, removed = 0;
    char buf[128];

    (void)project_dir;
    for (i = 0; i < n; i++)
        if (!tag || ef_part_has_tag(parts[i].name, tag) ||
            (opts && ef_ecg_part_opts_diff(opts, &parts[i].o, buf, sizeof buf)))
            removed += ef_store_remove(parts[i].path, NULL) == EF_OK;   /* and its lock file */
    return removed;
}

/* ------------------------------------------------------------ writing */

struct ef_ecg_part_writer {
    ef_store *s;
    ef_ecg_part_opts o;
    size_t row_floats;
    float *buf;                 /* SIGNAL_BUF_ROWS rows not yet appended */
    size_t nbuf;
    int64_t *eid;
    uint32_t *qc;
    double *meas[EF_CS_NMEAS];
    size_t n, cap;
    int64_t *feid;
    char **ffile, **fmsg;
    size_t nf;
};

int ef_ecg_part_open(ef_ecg_part_writer **out, const char *project_dir, const char *tag,
                     unsigned index, const ef_ecg_part_opts *o, const ef_ecg_part_meta *meta,
                     ef_error *err)
{
    char *dir = parts_dir(project_dir), opts[256];
    uint64_t rowd[2] = { o->samples, EF_CS_NLEADS };
    const ef_store_attr attrs[] = {
        EF_STORE_ATTR_STR("units", o->units),
        EF_STORE_ATTR_NUM("samples", o->samples),
        EF_STORE_ATTR_NUM("highpass", o->highpass_hz),
        EF_STORE_ATTR_NUM("notch", o->notch_hz),
        EF_STORE_ATTR_NUM("strict_rate", o->strict_rate),
        EF_STORE_ATTR_NUM("ecg_instance", o->ecg_instance),
        EF_STORE_ATTR_STR("input_folder", meta->input_folder),
        EF_STORE_ATTR_STR("shard", meta->shard ? meta->shard : "all"),
        EF_STORE_ATTR_NUM("slice_files", meta->slice_files),
    };
    ef_ecg_part_writer *w = ef_xcalloc(1, sizeof *w);
    int rc = ef_part_begin(&w->s, dir, tag, index, err);

    free(dir);
    *out = NULL;
    w->o = *o;
    w->row_floats = (size_t)o->samples * EF_CS_NLEADS;
    w->buf = ef_xmalloc(SIGNAL_BUF_ROWS * w->row_floats * sizeof *w->buf);
    if (rc == EF_OK)
        rc = ef_store_create_f32_ext(w->s, "/signal", 3, rowd, 1, meta->deflate_level, err);
    if (rc == EF_OK)
        rc = ef_store_stamp(w->s, "/", "preprocess", ef_ecg_part_opts_format(o, opts, sizeof opts), err);
    if (rc == EF_OK)
        rc = ef_store_set_attrs(w->s, "/", attrs, sizeof attrs / sizeof attrs[0], err);
    if (rc != EF_OK) {
        ef_ecg_part_abort(w);
        return rc;
    }
    *out = w;
    return EF_OK;
}

static int flush_signal(ef_ecg_part_writer *w, ef_error *err)
{
    int rc = ef_store_append_f32_rows(w->s, "/signal", w->nbuf, w->buf, err);

    w->nbuf = 0;
    (void)ef_store_writeback(w->s);   /* the part's fsync then finds little left */
    return rc;
}

int ef_ecg_part_add(ef_ecg_part_writer *w, int64_t eid, const float *signal, uint32_t qc,
                    const double *meas, ef_error *err)
{
    size_t k;

    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->eid = ef_xreallocarray(w->eid, w->cap, sizeof *w->eid);
        w->qc = ef_xreallocarray(w->qc, w->cap, sizeof *w->qc);
        for (k = 0; k < EF_CS_NMEAS; k++)
            w->meas[k] = ef_xreallocarray(w->meas[k], w->cap, sizeof(double));
    }
    w->eid[w->n] = eid;
    w->qc[w->n] = qc;
    for (k = 0; k < EF_CS_NMEAS; k++)
        w->meas[k][w->n] = meas ? meas[k] : NAN;
    w->n++;
    memcpy(w->buf + w->nbuf * w->row_floats, signal, w->row_floats * sizeof *signal);
    if (++w->nbuf == SIGNAL_BUF_ROWS)
        return flush_signal(w, err);
    return EF_OK;
}

void ef_ecg_part_add_failure(ef_ecg_part_writer *w, int64_t eid, const char *file,
                             const char *message)
{
    w->feid = ef_xreallocarray(w->feid, w->nf + 1, sizeof *w->feid);
    w->ffile = ef_xreallocarray(w->ffile, w->nf + 1, sizeof *w->ffile);
    w->fmsg = ef_xreallocarray(w->fmsg, w->nf + 1, sizeof *w->fmsg);
    w->feid[w->nf] = eid;
    w->ffile[w->nf] = ef_xstrdup(file ? file : "");
    w->fmsg[w->nf] = ef_xstrdup(message ? message : "");
    w->nf++;
}

size_t ef_ecg_part_count(const ef_ecg_part_writer *w)
{
    return w->n + w->nf;
}

static void writer_free(ef_ecg_part_writer *w)
{
    size_t i;

    for (i = 0; i < EF_CS_NMEAS; i++)
        free(w->meas[i]);
    for (i = 0; i < w->nf; i++) {
        free(w->ffile[i]);
        free(w->fmsg[i]);
    }
    free(w->feid);
    free(w->ffile);
    free(w->fmsg);
    free(w->eid);
    free(w->qc);
    free(w->buf);
    free(w);
}

int ef_ecg_part_close(ef_ecg_part_writer *w, size_t *written, ef_error *err)
{
    char path[128];
    size_t k;
    int rc;

    if (!w || w->n + w->nf == 0) {   /* nothing worth a file */
        ef_ecg_part_abort(w);
        return EF_OK;
    }
    rc = flush_signal(w, err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(w->s, "/eid", w->eid, w->n, err);
    if (rc == EF_OK)
        rc = ef_store_write_u32(w->s, "/qc", w->qc, w->n, err);
    for (k = 0; rc == EF_OK && k < EF_CS_NMEAS; k++) {
        snprintf(path, sizeof path, "/measurements/%s", ef_cs_meas_names[k]);
        rc = ef_store_write_f64(w->s, path, w->meas[k], w->n, err);
    }
    if (rc == EF_OK)
        rc = ef_store_write_i64(w->s, "/failures/eid", w->feid, w->nf, err);
    if (rc == EF_OK)
        rc = ef_store_write_strs(w->s, "/failures/file", (const char *const *)w->ffile, w->nf, err);
    if (rc == EF_OK)
        rc = ef_store_write_strs(w->s, "/failures/message", (const char *const *)w->fmsg, w->nf, err);
    rc = ef_store_finish(w->s, rc, err);
    *written += rc == EF_OK;
    writer_free(w);
    return rc;
}

void ef_ecg_part_abort(ef_ecg_part_writer *w)
{
    if (!w)
        return;
    ef_store_abort(w->s);
    writer_free(w);
}

/* ------------------------------------------------------------ the fold */

/* Shard completeness of the ECG parts: every K of each N present, every
 * tag's ECG count equal to its slice size.  Problems go to r->warnings. */
static size_t check_shards(const ef_ecg_part_info *p, size_t n, ef_ecg_fold_result *r)
{
    ef_part_shard *sh = ef_xcalloc(n ? n : 1, sizeof *sh);
    size_t i, problems;

    for (i = 0; i < n; i++) {
        sh[i].shard = p[i].shard;
        sh[i].count = p[i].n + p[i].nfailed;
        sh[i].slice = p[i].slice_files;
    }
    problems = ef_part_check_shards(sh, n, "preprocess", "ECG files", &r->warnings, &r->nwarnings);
    free(sh);
    return problems;
}

static int read_part_data(const ef_ecg_part_info *p, uint32_t **qc, double **meas, char ***ffile,
                          char ***fmsg, ef_error *err)
{
    ef_store *s;
    char path[128];
    size_t n, k;
    int rc = ef_store_open_read(&s, p->path, err);

    if (rc != EF_OK)
        return rc;
    rc = ef_store_read_u32(s, "/qc", qc, &n, err);
    if (rc == EF_OK && n != p->n)
        rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0, "/qc has %zu rows, /eid %zu", n, p->n);
    for (k = 0; rc == EF_OK && k < EF_CS_NMEAS; k++) {
        snprintf(path, sizeof path, "/measurements/%s", ef_cs_meas_names[k]);
        rc = ef_store_read_f64(s, path, &meas[k], &n, err);
        if (rc == EF_OK && n != p->n)
            rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0, "%s has %zu rows, /eid %zu", path, n, p->n);
    }
    if (rc == EF_OK)
        rc = ef_store_read_strs(s, "/failures/file", ffile, &n, err);
    if (rc == EF_OK && n == p->nfailed)
        rc = ef_store_read_strs(s, "/failures/message", fmsg, &n, err);
    if (rc == EF_OK && n != p->nfailed)
        rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0, "/failures has inconsistent lengths");
    if (rc == EF_OK) {
        uint64_t dims[3];
        int rank;

        rc = ef_store_shape(s, "/signal", &rank, dims, 3, err);
        if (rc == EF_OK && (rank != 3 || dims[0] != p->n || dims[1] != p->o.samples || dims[2] != EF_CS_NLEADS))
            rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0, "/signal has the wrong shape");
    }
    ef_store_close(s);
    return rc;
}

static int write_failures_txt(const char *path, const ef_part_entry *e, size_t n, char ***fmsg, ef_error *err)
{
    char *tmp = ef_xasprintf("%s.tmp-%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    size_t i;
    int bad;

    if (!fp) {
        int rc = ef_error_set_at(err, EF_EIO, tmp, 0, 0, "cannot create: %s", strerror(errno));

        free(tmp);
        return rc;
    }
    for (i = 0; i < n; i++)
        if (e[i].row < 0)
            fprintf(fp, "%s\n", fmsg[e[i].part][e[i].fidx]);
    bad = ferror(fp);
    if (fclose(fp) != 0 || bad || rename(tmp, path) != 0) {
        int rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));

        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return EF_OK;
}

enum fold_phase { FP_SCAN, FP_READ, FP_BEGIN, FP_WRITE, FP_COMMIT, FP_LIST, FP_DONE };

/* The fold, one bounded piece per ef_ecg_folder_step: the scan, each
 * part's QC and measurements, the store's begin (a copy), the writes, the
 * commit, the failure list. */
struct ef_ecg_folder {
    char *project_dir, *store_path;
    ef_ecg_part_opts want;
    int have_want, allow_incomplete;
    ef_ecg_fold_result *res;
    int phase;
    size_t next;                /* FP_READ: the next part */
    ef_ecg_part_info *p;
    size_t np;
    ef_part_entry *e;           /* row -1: a failure, fidx its index in the part */
    size_t ne, ndone, nfail;
    uint32_t **qc;
    double **meas;              /* [part * EF_CS_NMEAS + k] */
    char ***ffile, ***fmsg;
    ef_store *s;                /* FP_WRITE .. FP_COMMIT */
    int64_t *eid, *feid;
    uint32_t *qcv;
    const char **ff, **fm;
    ef_store_vds_src *map;
    char **srcname;
    size_t nmap;
};
typedef struct ef_ecg_folder fold;

static int fold_scan(fold *F, ef_error *err)
{
    ef_ecg_part_info *p;
    ef_ecg_fold_result *res = F->res;
    size_t np, i, j;
    char diff[128];
    int rc = ef_ecg_parts_scan(F->project_dir, &F->p, &F->np, err);

    if (rc != EF_OK)
        return rc;
    p = F->p;
    np = F->np;
    if (np == 0)
        return ef_error_set_at(err, EF_ENOTFOUND, F->project_dir, 0, 0,
                               "no ECG part files in %s/%s; run `ecgfit preprocess` first", F->project_dir,
                               EF_ECG_PARTS_DIR);
    for (i = 0; i < np && rc == EF_OK; i++) {
        const ef_ecg_part_opts *ref = F->have_want ? &F->want : &p[0].o;

        if (ef_ecg_part_opts_diff(ref, &p[i].o, diff, sizeof diff)) {
            char fmt[256];

            rc = ef_error_set_at(err, EF_EDATA, p[i].path, 0, 0,
                                 "made with %s, unlike %s (%s); rerun the shards with the same options, "
                                 "or `ecgfit preprocess --restart`",
                                 diff, F->have_want ? "the options given" : p[0].name,
                                 ef_ecg_part_opts_format(ref, fmt, sizeof fmt));
        }
    }
    if (rc == EF_OK && check_shards(p, np, res) && !F->allow_incomplete) {
        char msg[EF_ERROR_MSG_MAX];

        ef_part_join(res->warnings, res->nwarnings, msg, sizeof msg);
        rc = ef_error_set_at(err, EF_EDATA, F->project_dir, 0, 0, "%s", msg);
    }
    if (rc != EF_OK)
        return rc;
    for (i = 0; i < np; i++)
        F->ne += p[i].n + p[i].nfailed;
    F->e = ef_xcalloc(F->ne ? F->ne : 1, sizeof *F->e);
    F->ne = 0;
    for (i = 0; i < np; i++) {
        for (j = 0; j < p[i].n; j++)
            F->e[F->ne++] = (ef_part_entry){ p[i].eid[j], i, (long)j, 0 };
        for (j = 0; j < p[i].nfailed; j++)
            F->e[F->ne++] = (ef_part_entry){ p[i].failed_eid[j], i, -1, j };
        F->ndone += p[i].n;
        F->nfail += p[i].nfailed;
    }
    if ((i = ef_part_entries_sort(F->e, F->ne)) != 0)
        return ef_error_set_at(err, EF_EDATA, F->project_dir, 0, 0,
                               "ECG %lld is in both %s (shard %s) and %s (shard %s): overlapping shards; "
                               "remove one run's part files or `ecgfit preprocess --restart`",
                               (long long)F->e[i].eid, p[F->e[i - 1].part].name, p[F->e[i - 1].part].shard,
                               p[F->e[i].part].name, p[F->e[i].part].shard);
    F->qc = ef_xcalloc(np, sizeof *F->qc);
    F->meas = ef_xcalloc(np * EF_CS_NMEAS, sizeof *F->meas);
    F->ffile = ef_xcalloc(np, sizeof *F->ffile);
    F->fmsg = ef_xcalloc(np, sizeof *F->fmsg);
    return EF_OK;
}

/* The rows of /ecg in eid order, then the store's begin. */
static int fold_begin(fold *F, ef_error *err)
{
    size_t M = F->ndone, i, j, k;

    F->eid = ef_xcalloc(M ? M : 1, sizeof *F->eid);
    F->feid = ef_xcalloc(F->nfail ? F->nfail : 1, sizeof *F->feid);
    F->qcv = ef_xcalloc(M ? M : 1, sizeof *F->qcv);
    F->ff = ef_xcalloc(F->nfail ? F->nfail : 1, sizeof *F->ff);
    F->fm = ef_xcalloc(F->nfail ? F->nfail : 1, sizeof *F->fm);
    F->map = ef_xcalloc(M ? M : 1, sizeof *F->map);
    F->srcname = ef_xcalloc(F->np, sizeof *F->srcname);
    for (i = 0; i < F->np; i++)
        F->srcname[i] = ef_xasprintf("%s/%s", EF_ECG_PARTS_DIR, F->p[i].name);
    for (i = j = k = 0; i < F->ne; i++) {
        const ef_part_entry *e = &F->e[i];

        if (e->row < 0) {
            F->feid[k] = e->eid;
            F->ff[k] = F->ffile[e->part][e->fidx];
            F->fm[k++] = F->fmsg[e->part][e->fidx];
            continue;
        }
        F->eid[j] = e->eid;
        F->qcv[j] = F->qc[e->part][e->row];
        for (unsigned b = 0; b < 32; b++)
            F->res->qc_count[b] += (F->qcv[j] >> b) & 1u;
        ef_part_map_row(F->map, &F->nmap, F->srcname[e->part], "/signal", F->p[e->part].n, (uint64_t)e->row, j);
        j++;
    }
    return ef_store_begin(&F->s, F->store_path, err);
}

static int fold_write(fold *F, ef_error *err)
{
    const ef_ecg_part_opts *o = &F->p[0].o;
    size_t M = F->ndone, i, j, k;
    double *col = ef_xcalloc(M ? M : 1, sizeof *col);
    char opts[256], path[128], filt[96], hp[32], nt[32];
    uint64_t dims[3] = { M, o->samples, EF_CS_NLEADS };
    ef_store *s = F->s;
    int rc = ef_store_delete(s, "/ecg", err);

    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/ecg/eid", F->eid, M, err);
    if (rc == EF_OK)
        rc = M ? ef_store_write_vds_f32(s, "/ecg/signal", 3, dims, F->map, F->nmap, err)
               : ef_store_create_f32(s, "/ecg/signal", 3, dims, 1, 0, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/ecg/signal", "units", o->units, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/ecg/signal", "layout",
                                   "[ECG, sample, lead], leads I II III aVR aVL aVF V1-V6; rows are "
                                   "a virtual dataset over ecg-data/part-*.h5", err);
    if (rc == EF_OK)
        rc = ef_store_write_u32(s, "/ecg/qc", F->qcv, M, err);
    for (k = 0; rc == EF_OK && k < EF_CS_NMEAS; k++) {
        for (i = j = 0; i < F->ne; i++)
            if (F->e[i].row >= 0)
                col[j++] = F->meas[F->e[i].part * EF_CS_NMEAS + k][F->e[i].row];
        snprintf(path, sizeof path, "/ecg/measurements/%s", ef_cs_meas_names[k]);
        rc = ef_store_write_f64(s, path, col, M, err);
    }
    free(col);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/ecg/failures/eid", F->feid, F->nfail, err);
    if (rc == EF_OK)
        rc = ef_store_write_strs(s, "/ecg/failures/file", F->ff, F->nfail, err);
    if (rc == EF_OK)
        rc = ef_store_write_strs(s, "/ecg/failures/message", F->fm, F->nfail, err);
    if (rc == EF_OK)
        rc = ef_store_stamp(s, "/ecg", "preprocess", ef_ecg_part_opts_format(o, opts, sizeof opts), err);
    hz_text(o->highpass_hz, hp, sizeof hp);
    hz_text(o->notch_hz, nt, sizeof nt);
    snprintf(filt, sizeof filt, "highpass=%s notch=%s", hp, nt);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/ecg", "units", o->units, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, "/ecg", "samples", (double)o->samples, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/ecg", "filters", filt, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, "/ecg", "n_failed", (double)F->nfail, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, "/ecg", "n_parts", (double)F->np, err);
    return rc;
}

int ef_ecg_folder_new(ef_ecg_folder **out, const char *project_dir, const char *store_path,
                      const ef_ecg_part_opts *want, int allow_incomplete, ef_ecg_fold_result *res)
{
    fold *F = ef_xcalloc(1, sizeof *F);

    memset(res, 0, sizeof *res);
    F->project_dir = ef_xstrdup(project_dir);
    F->store_path = ef_xstrdup(store_path);
    if (want) {
        F->want = *want;
        F->have_want = 1;
    }
    F->allow_incomplete = allow_incomplete;
    F->res = res;
    *out = F;
    return EF_OK;
}

int ef_ecg_folder_step(ef_ecg_folder *F, ef_error *err)
{
    ef_ecg_fold_result *res = F->res;
    int rc = EF_OK;

    switch (F->phase) {
    case FP_SCAN:
        rc = fold_scan(F, err);
        F->phase = FP_READ;
        break;
    case FP_READ:   /* one part per step */
        if (F->next < F->np) {
            size_t i = F->next++;

            rc = read_part_data(&F->p[i], &F->qc[i], &F->meas[i * EF_CS_NMEAS], &F->ffile[i], &F->fmsg[i], err);
        }
        if (F->next >= F->np)
            F->phase = FP_BEGIN;
        break;
    case FP_BEGIN:
        rc = fold_begin(F, err);
        F->phase = FP_WRITE;
        break;
    case FP_WRITE:
        rc = fold_write(F, err);
        F->phase = FP_COMMIT;
        break;
    case FP_COMMIT:   /* the commit in its own slices */
        rc = ef_store_commit_step(F->s, err);
        if (rc == EF_CONTINUE)
            return rc;
        F->s = NULL;   /* committed, or aborted and freed */
        F->phase = FP_LIST;
        break;
    case FP_LIST:
        res->failures_path = ef_xasprintf("%s/%s", F->project_dir, EF_ECG_FAILURES_FILE);
        rc = write_failures_txt(res->failures_path, F->e, F->ne, F->fmsg, err);
        if (rc == EF_OK) {
            res->parts = F->np;
            res->ecgs = F->ndone;
            res->failed = F->nfail;
            res->o = F->p[0].o;
        }
        F->phase = FP_DONE;
        return rc;
    default:
        return EF_OK;
    }
    return rc == EF_OK ? EF_CONTINUE : rc;
}

size_t ef_ecg_folder_parts_read(const ef_ecg_folder *F)
{
    return F->next;
}

void ef_ecg_folder_free(ef_ecg_folder *F)
{
    size_t i, j;

    if (!F)
        return;
    ef_store_abort(F->s);   /* a fold stopped between begin and commit */
    for (i = 0; F->qc && i < F->np; i++) {
        free(F->qc[i]);
        for (j = 0; j < EF_CS_NMEAS; j++)
            free(F->meas[i * EF_CS_NMEAS + j]);
        ef_store_free_list(F->ffile[i], F->p[i].nfailed);
        ef_store_free_list(F->fmsg[i], F->p[i].nfailed);
    }
    free(F->qc);
    free(F->meas);
    free(F->ffile);
    free(F->fmsg);
    free(F->e);
    for (i = 0; F->srcname && i < F->np; i++)
        free(F->srcname[i]);
    free(F->srcname);
    free(F->map);
    free(F->eid);
    free(F->feid);
    free(F->qcv);
    free(F->ff);
    free(F->fm);
    ef_ecg_parts_free(F->p, F->np);
    free(F->project_dir);
    free(F->store_path);
    free(F);
}

int ef_ecg_fold(const char *project_dir, const char *store_path, const ef_ecg_part_opts *want,
                int allow_incomplete, ef_ecg_fold_result *res, ef_error *err)
{
    ef_ecg_folder *F;
    int rc;

    ef_ecg_folder_new(&F, project_dir, store_path, want, allow_incomplete, res);
    while ((rc = ef_ecg_folder_step(F, err)) == EF_CONTINUE)
        ;
    ef_ecg_folder_free(F);
    return rc;
}

void ef_ecg_fold_result_fini(ef_ecg_fold_result *res)
{
    ef_store_free_list(res->warnings, res->nwarnings);
    free(res->failures_path);
    memset(res, 0, sizeof *res);
}
