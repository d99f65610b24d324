/* ef_ecg_view.c — see ef_ecg_view.h. */
#include "config.h"
#include "pipeline/ef_ecg_view.h"
#include "core/ef_alloc.h"
#include "ecg/ef_ecg_files.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *ef_ecg_state_name(int state)
{
    static const char *const names[EF_ECG_NSTATES] = { "ok", "QC flags", "failed", "not preprocessed" };

    return state >= 0 && state < EF_ECG_NSTATES ? names[state] : "?";
}

const char *ef_ecg_filter_name(int filter)
{
    static const char *const names[EF_ECG_NFILTERS] = {
        "all", "QC flagged or failed", "clean", "not preprocessed"
    };

    return filter >= 0 && filter < EF_ECG_NFILTERS ? names[filter] : "?";
}

/* ------------------------------------------------------------ the list */

typedef struct entry {
    int64_t eid;
    uint8_t state;
    uint32_t qc;
    int32_t row;
} entry;

/* By eid; for one eid the store's word first (OK/FLAGGED < FAILED < PENDING). */
static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;

    if (x->eid != y->eid)
        return x->eid < y->eid ? -1 : 1;
    return (x->state > y->state) - (x->state < y->state);
}

static void add(entry **e, size_t *n, size_t *cap, int64_t eid, int state, uint32_t qc, long row)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 1024;
        *e = ef_xreallocarray(*e, *cap, sizeof **e);
    }
    (*e)[*n].eid = eid;
    (*e)[*n].state = (uint8_t)state;
    (*e)[*n].qc = qc;
    (*e)[*n].row = (int32_t)row;
    (*n)++;
}

/* "... ecg_instance=3 ..." in /ecg's options; 2 when absent. */
static int read_instance(ef_store *s)
{
    char *opts = NULL, *p;
    int inst = 2;

    if (ef_store_get_attr_str(s, "/ecg", "options", &opts, NULL) == EF_OK && (p = strstr(opts, "ecg_instance=")))
        inst = atoi(p + strlen("ecg_instance="));
    free(opts);
    return inst >= 0 ? inst : 2;
}

static int read_entries(ef_store *s, ef_ecg_list *l, entry **e, size_t *n, size_t *cap, ef_error *err)
{
    int64_t *eid = NULL;
    double *has = NULL;
    uint32_t *qc = NULL;
    size_t m = 0, mq = 0, i;
    int rc = EF_OK;

    if (ef_store_exists(s, "/ecg/eid")) {
        char *units = NULL;

        l->preprocessed = 1;
        l->ecg_instance = read_instance(s);
        if (ef_store_get_attr_str(s, "/ecg", "units", &units, NULL) == EF_OK)
            snprintf(l->units, sizeof l->units, "%s", units);
        free(units);
        rc = ef_store_read_i64(s, "/ecg/eid", &eid, &m, err);
        if (rc == EF_OK)
            rc = ef_store_read_u32(s, "/ecg/qc", &qc, &mq, err);
        if (rc == EF_OK && mq != m)
            rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0,
                                 "/ecg/qc has %zu rows, /ecg/eid %zu", mq, m);
        for (i = 0; rc == EF_OK && i < m; i++)
            add(e, n, cap, eid[i], qc[i] ? EF_ECG_FLAGGED : EF_ECG_OK, qc[i], (long)i);
        free(eid);
        free(qc);
        eid = NULL;
        if (rc == EF_OK && ef_store_exists(s, "/ecg/failures/eid")) {
            rc = ef_store_read_i64(s, "/ecg/failures/eid", &eid, &m, err);
            for (i = 0; rc == EF_OK && i < m; i++)
                add(e, n, cap, eid[i], EF_ECG_FAILED, 0, (long)i);
            free(eid);
            eid = NULL;
        }
    }
    if (rc == EF_OK && ef_store_exists(s, "/participants/has_ecg") && ef_store_exists(s, "/participants/eid")) {
        l->from_participants = 1;
        rc = ef_store_read_i64(s, "/participants/eid", &eid, &m, err);
        if (rc == EF_OK)
            rc = ef_store_read_f64(s, "/participants/has_ecg", &has, &mq, err);
        if (rc == EF_OK && mq != m)
            rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0,
                                 "/participants/has_ecg has %zu rows, /participants/eid %zu", mq, m);
        for (i = 0; rc == EF_OK && i < m; i++)
            if (has[i] == 1)
                add(e, n, cap, eid[i], EF_ECG_PENDING, 0, -1);
        free(eid);
        free(has);
    }
    return rc;
}

int ef_ecg_list_read(const char *store_path, ef_ecg_list *l, ef_error *err)
{
    entry *e = NULL;
    size_t n = 0, cap = 0, i, k;
    ef_store *s;
    int rc;

    memset(l, 0, sizeof *l);
    l->ecg_instance = 2;
    rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    rc = read_entries(s, l, &e, &n, &cap, err);
    ef_store_close(s);
    if (rc != EF_OK) {
        free(e);
        memset(l, 0, sizeof *l);
        return rc;
    }
    if (n)   /* qsort's base must not be NULL, even for no elements */
        qsort(e, n, sizeof *e, entry_cmp);
    l->eid = ef_xmalloc((n ? n : 1) * sizeof *l->eid);
    l->state = ef_xmalloc(n ? n : 1);
    l->qc = ef_xmalloc((n ? n : 1) * sizeof *l->qc);
    l->row = ef_xmalloc((n ? n : 1) * sizeof *l->row);
    for (i = k = 0; i < n; i++) {
        if (k && l->eid[k - 1] == e[i].eid)
            continue;   /* the first (the store's word) wins */
        l->eid[k] = e[i].eid;
        l->state[k] = e[i].state;
        l->qc[k] = e[i].qc;
        l->row[k] = e[i].row;
        l->count[e[i].state]++;
        k++;
    }
    l->n = k;
    free(e);
    return EF_OK;
}

void ef_ecg_list_fini(ef_ecg_list *l)
{
    free(l->eid);
    free(l->state);
    free(l->qc);
    free(l->row);
    memset(l, 0, sizeof *l);
}

size_t ef_ecg_list_find(const ef_ecg_list *l, int64_t eid)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (l->eid[mid] < eid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->eid[lo] == eid ? lo : (size_t)-1;
}

size_t ef_ecg_list_filter(const ef_ecg_list *l, int filter, uint32_t mask, size_t *idx)
{
    size_t i, n = 0;

    for (i = 0; i < l->n; i++) {
        int st = l->state[i], pass;

        switch (filter) {
        case EF_ECG_SHOW_QC:
            pass = st == EF_ECG_FAILED || (st == EF_ECG_FLAGGED && (!mask || (l->qc[i] & mask)));
            break;
        case EF_ECG_SHOW_CLEAN:
            pass = st == EF_ECG_OK;
            break;
        case EF_ECG_SHOW_PENDING:
            pass = st == EF_ECG_PENDING;
            break;
        default:
            pass = 1;
            break;
        }
        if (pass)
            idx[n++] = i;
    }
    return n;
}

/* ------------------------------------------------------------ one ECG */

void ef_ecg_one_init(ef_ecg_one *e)
{
    memset(e, 0, sizeof *e);
    for (int k = 0; k < EF_CS_NMEAS; k++)
        e->meas[k] = NAN;
    e->state = EF_ECG_PENDING;
}

void ef_ecg_one_fini(ef_ecg_one *e)
{
    free(e->v);
    free(e->source);
    free(e->message);
    ef_ecg_one_init(e);
}

/* preprocess's message for failure row row, or NULL. */
static char *failure_message(ef_store *s, long row)
{
    char **msg = NULL, *m = NULL;
    size_t n = 0;

    if (ef_store_read_strs(s, "/ecg/failures/message", &msg, &n, NULL) == EF_OK && row >= 0 && (size_t)row < n)
        m = ef_xstrdup(msg[row]);
    ef_store_free_list(msg, n);
    return m;
}

static int read_signal_row(ef_store *s, long row, ef_ecg_one *out, ef_error *err)
{
    uint64_t dims[3];
    size_t i, k, per;
    char *units = NULL, path[96];
    int rank, rc, any = 0;

    rc = ef_store_shape(s, "/ecg/signal", &rank, dims, 3, err);
    if (rc == EF_OK && (rank != 3 || (uint64_t)row >= dims[0] || dims[2] != EF_CS_NLEADS || dims[1] < 2))
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0,
                             "/ecg/signal has the wrong shape for row %ld", row);
    if (rc != EF_OK)
        return rc;
    out->samples = (size_t)dims[1];
    per = out->samples * EF_CS_NLEADS;
    out->v = ef_xmalloc(per * sizeof *out->v);
    rc = ef_store_read_f32_rows(s, "/ecg/signal", (uint64_t)row, 1, out->v, err);
    if (rc != EF_OK)
        return rc;
    for (k = 0; k < per && !any; k++)
        any = !isnan(out->v[k]);
    if (!any)   /* the virtual dataset's fill value: the part file is not there */
        return ef_error_set_at(err, EF_EIO, ef_store_path(s), 0, 0,
                               "ECG %lld reads as missing: its part file in ecg-data/ is absent or "
                               "unreadable (keep ecg-data/ next to ecgfit.h5, or rerun preprocess)",
                               (long long)out->eid);
    /* a missing lead is stored as zeros (QC missing_lead) */
    for (k = 0; k < EF_CS_NLEADS; k++)
        for (i = 0; i < out->samples; i++)
            if (out->v[i * EF_CS_NLEADS + k] != 0) {
                out->leads |= 1u << k;
                break;
            }
    out->rate_hz = (double)out->samples / 10.0;
    if (ef_store_get_attr_str(s, "/ecg/signal", "units", &units, NULL) != EF_OK)
        ef_store_get_attr_str(s, "/ecg", "units", &units, NULL);
    snprintf(out->units, sizeof out->units, "%s", units && strcmp(units, "seed") == 0 ? "counts/1000" : "mV");
    free(units);
    for (k = 0; k < EF_CS_NMEAS; k++) {
        float m;

        snprintf(path, sizeof path, "/ecg/measurements/%s", ef_cs_meas_names[k]);
        if (ef_store_exists(s, path) && ef_store_read_f32_rows(s, path, (uint64_t)row, 1, &m, NULL) == EF_OK)
            out->meas[k] = m;
    }
    return EF_OK;
}

int ef_ecg_read_preprocessed(const char *store_path, const ef_ecg_list *l, int64_t eid,
                             ef_ecg_one *out, ef_error *err)
{
    size_t i = ef_ecg_list_find(l, eid);
    ef_store *s;
    int rc;

    ef_ecg_one_init(out);
    out->eid = eid;
    if (i == (size_t)-1)
        return ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0, "participant %lld has no ECG",
                               (long long)eid);
    out->have_qc = 1;
    out->state = l->state[i];
    out->qc = l->qc[i];
    if (l->state[i] == EF_ECG_PENDING)
        return ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                               "the ECG of %lld is not preprocessed yet (run preprocess)", (long long)eid);
    rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    out->source = ef_xstrdup(store_path);
    if (l->state[i] == EF_ECG_FAILED) {
        out->message = failure_message(s, l->row[i]);
        rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0, "preprocess failed on the ECG of %lld: %s",
                             (long long)eid, out->message ? out->message : "(no message)");
    } else {
        rc = read_signal_row(s, l->row[i], out, err);
    }
    ef_store_close(s);
    if (rc != EF_OK) {
        free(out->v);
        out->v = NULL;
        out->samples = 0;
    }
    return rc;
}

/* ------------------------------------------------------------ the XML */

void ef_ecg_xml_finder_init(ef_ecg_xml_finder *f, const char *dir, int instance)
{
    memset(f, 0, sizeof *f);
    f->dir = dir ? ef_xstrdup(dir) : NULL;
    f->instance = instance;
}

void ef_ecg_xml_finder_fini(ef_ecg_xml_finder *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->paths[i]);
    free(f->paths);
    free(f->eids);
    free(f->dir);
    memset(f, 0, sizeof *f);
}

static int is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int ef_ecg_xml_find(ef_ecg_xml_finder *f, int64_t eid, char **path, ef_error *err)
{
    char name[64], *p;
    size_t lo, hi;
    int rc;

    *path = NULL;
    if (!f->dir)
        return ef_error_set(err, EF_ENOTFOUND, "no ECG folder in the project (ecgfit init --ecg-dir DIR)");
    snprintf(name, sizeof name, "%lld_20205_%d_0.xml", (long long)eid, f->instance);
    p = ef_xasprintf("%s/%s", f->dir, name);
    if (is_file(p)) {
        *path = p;
        return EF_OK;
    }
    free(p);
    p = ef_xasprintf("%s/%.2s/%s", f->dir, name, name);
    if (is_file(p)) {
        *path = p;
        return EF_OK;
    }
    free(p);
    if (!f->scanned) {
        rc = ef_ecg_find_files(f->dir, f->instance, &f->eids, &f->paths, &f->n, err);
        if (rc != EF_OK)
            return rc;
        f->scanned = 1;
    }
    for (lo = 0, hi = f->n; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;

        if (f->eids[mid] < eid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->n && f->eids[lo] == eid && is_file(f->paths[lo])) {
        *path = ef_xstrdup(f->paths[lo]);
        return EF_OK;
    }
    return ef_error_set_at(err, EF_ENOTFOUND, f->dir, 0, 0, "no ECG file %s in the folder", name);
}

int ef_ecg_read_raw(ef_ecg_xml_finder *f, const ef_ecg_list *l, int64_t eid, ef_ecg_one *out,
                    ef_error *err)
{
    ef_cs_ecg x;
    char *path;
    size_t i, k, n = 0;
    double scale;
    int rc;

    ef_ecg_one_init(out);
    out->eid = eid;
    out->raw = 1;
    if (l && (i = ef_ecg_list_find(l, eid)) != (size_t)-1) {
        out->have_qc = l->state[i] != EF_ECG_PENDING;
        out->state = l->state[i];
        out->qc = l->qc[i];
    }
    rc = ef_ecg_xml_find(f, eid, &path, err);
    if (rc != EF_OK)
        return rc;
    out->source = path;
    rc = ef_cs_read_file(path, &x, err);
    if (rc != EF_OK)
        return rc;
    for (k = 0; k < EF_CS_NLEADS; k++)
        if (x.lead[k] && x.nsamples[k] > n)
            n = x.nsamples[k];
    if (n < 2) {
        ef_cs_ecg_fini(&x);
        return ef_error_set_at(err, EF_EDATA, path, 0, 0, "no lead with samples in StripData");
    }
    scale = isfinite(x.resolution) && x.resolution > 0 ? x.resolution / 1000.0 : 1.0 / 1000.0;
    snprintf(out->units, sizeof out->units, "%s", isfinite(x.resolution) && x.resolution > 0 ? "mV" : "counts/1000");
    out->samples = n;
    out->rate_hz = isfinite(x.sample_rate) && x.sample_rate > 0 ? x.sample_rate : (double)n / 10.0;
    out->v = ef_xmalloc(n * EF_CS_NLEADS * sizeof *out->v);
    for (k = 0; k < EF_CS_NLEADS; k++) {
        if (x.lead[k])
            out->leads |= 1u << k;
        for (i = 0; i < n; i++)
            out->v[i * EF_CS_NLEADS + k] = x.lead[k] && i < x.nsamples[k] ? (float)(x.lead[k][i] * scale) : NAN;
    }
    memcpy(out->meas, x.meas, sizeof out->meas);
    ef_cs_ecg_fini(&x);
    return EF_OK;
}
