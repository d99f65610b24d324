/* ef_figures.c — store -> numbers -> gnuplot script for each plot kind (see
 * ef_figures.h).  The reads are report's and export's: ef_result_load and
 * ef_report_split_rows for predictions, ef_report_rank_load for a model's
 * importances, ef_export_ecg_read for /ecg, ef_fdata_load for embeddings. */
#include "config.h"
#include "pipeline/ef_figures.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "ecg/ef_cardiosoft.h"
#include "ecg/ef_ecg_files.h"
#include "pipeline/ef_export.h"
#include "pipeline/ef_features.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_results.h"
#include "stats/ef_metrics.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The registry's label and unit that labels stored with the column ("" when
 * absent). */
static void target_text(const char *store_path, const char *target, char **label, char **unit)
{
    ef_store *s = NULL;
    char path[600];

    *label = *unit = NULL;
    ef_snprintf(path, sizeof path, "/participants/%s", target);
    if (ef_store_open_read(&s, store_path, NULL) == EF_OK) {
        ef_store_get_attr_str(s, path, "label", label, NULL);
        ef_store_get_attr_str(s, path, "unit", unit, NULL);
        ef_store_close(s);
    }
    if (!*label)
        *label = ef_xstrdup("");
    if (!*unit)
        *unit = ef_xstrdup("");
}

static int split_slot(int split)
{
    return split == EF_SPLIT_TRAIN ? 0 : split == EF_SPLIT_TEST ? 1 : 2;
}

/* ---- scatter, Bland-Altman ------------------------------------------------------ */

static int fig_xy(int kind, const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    ef_result_key k = { q->target, q->features, q->model };
    ef_result_data d;
    char *label, *unit;
    double *y, *yh;
    int sl = split_slot(q->split), rc;
    ef_plot_xy xy;

    rc = ef_result_load(q->store_path, &k, &d, err);
    if (rc != EF_OK)
        return rc;
    if (!d.r.has_metrics[sl]) {
        rc = ef_error_set_at(err, EF_EDATA, q->store_path, 0, 0, "%s/%s/%s has no %s rows", k.target, k.features,
                             k.model, ef_split_name(q->split));
        ef_result_data_fini(&d);
        return rc;
    }
    y = ef_xmalloc((d.r.n ? d.r.n : 1) * sizeof *y);
    yh = ef_xmalloc((d.r.n ? d.r.n : 1) * sizeof *yh);
    target_text(q->store_path, q->target, &label, &unit);
    xy = (ef_plot_xy){ y, yh, ef_report_split_rows(&d, q->split, y, yh), q->target, label, unit, q->features,
                       q->model, ef_split_name(q->split), &d.r.metrics[sl] };
    rc = kind == EF_FIG_SCATTER ? ef_plot_scatter(&xy, o, script, err) : ef_plot_bland_altman(&xy, o, script, err);
    free(label);
    free(unit);
    free(y);
    free(yh);
    ef_result_data_fini(&d);
    return rc;
}

/* ---- importance, contribution ----------------------------------------------------- */

static const char *measure_text(const char *m)
{
    return !strcmp(m, "abs(coef)") ? "|coefficient| per SD" : !strcmp(m, "gain") ? "gain (XGBoost)" : m;
}

static int is_ecg_feature(const char *name)
{
    return !strncmp(name, "emb:", 4) || !strncmp(name, "ecg:", 4);
}

static int rank_of(const ef_figure_req *q, const char *features, ef_report_rank *rk, ef_error *err)
{
    ef_result_key k = { q->target, features, q->model };
    int rc = ef_report_rank_load(q->store_path, &k, rk, err);

    if (rc == EF_ENOTFOUND && !strcmp(features, "fixed"))
        return ef_error_set_at(err, EF_EDATA, q->store_path, 0, 0,
                               "%s/fixed/%s is a published model with fixed coefficients: it has no fitted "
                               "importances to draw", q->target, q->model);
    if (rc == EF_ENOTFOUND)
        return rc;   /* the loader names the model and how to fit it */
    if (rc == EF_OK && rk->p == 0) {
        ef_report_rank_fini(rk);
        rc = ef_error_set_at(err, EF_EDATA, q->store_path, 0, 0, "%s/%s/%s keeps no feature importances",
                             q->target, features, q->model);
    }
    return rc;
}

static int fig_importance(const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    ef_report_rank rk;
    unsigned char *ecg;
    char title[600];
    ef_plot_rank pr;
    int rc = rank_of(q, q->features, &rk, err);

    if (rc != EF_OK)
        return rc;
    ecg = ef_xmalloc(rk.p);
    for (size_t j = 0; j < rk.p; j++)
        ecg[j] = (unsigned char)is_ecg_feature(rk.names[j]);
    ef_snprintf(title, sizeof title, "%s / %s / %s", q->target, q->features, q->model);
    pr = (ef_plot_rank){ rk.names, rk.value, ecg, rk.p, measure_text(rk.measure), title };
    rc = ef_plot_importance(&pr, o, script, err);
    free(ecg);
    ef_report_rank_fini(&rk);
    return rc;
}

static int fig_contribution(const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    static const char *const sets[2] = { "basic", "full" };
    ef_plot_share bars[2];
    const char *measure = "importance";
    char title[600], *label, *unit;
    int rc = EF_OK;

    for (int b = 0; rc == EF_OK && b < 2; b++) {
        ef_result_key k = { q->target, sets[b], q->model };
        ef_report_rank rk;
        ef_metrics m;
        double total = 0;

        memset(&bars[b], 0, sizeof bars[b]);
        bars[b].name = sets[b];
        rc = rank_of(q, sets[b], &rk, err);
        if (rc != EF_OK)
            break;
        for (size_t j = 0; j < rk.p; j++) {
            const char *n = rk.names[j];
            int s = !strcmp(n, "age") ? EF_PLOT_SHARE_AGE
                    : !strcmp(n, "sex") ? EF_PLOT_SHARE_SEX
                    : !strcmp(n, "bmi") ? EF_PLOT_SHARE_BMI
                    : is_ecg_feature(n) ? EF_PLOT_SHARE_ECG : EF_PLOT_SHARE_OTHER;

            bars[b].share[s] += rk.value[j];
            total += rk.value[j];
        }
        for (int s = 0; s < EF_PLOT_NSHARE; s++)
            bars[b].share[s] = total > 0 ? bars[b].share[s] / total : 0;
        bars[b].r2 = ef_result_read_metrics(q->store_path, &k, EF_SPLIT_TEST, &m, NULL) == EF_OK ? m.r2 : NAN;
        measure = !strcmp(rk.measure, "abs(coef)") ? "|coefficient| per SD" : rk.measure;
        ef_report_rank_fini(&rk);
    }
    if (rc != EF_OK)
        return rc;
    target_text(q->store_path, q->target, &label, &unit);
    ef_snprintf(title, sizeof title, "%s, %s", *label ? label : q->target, q->model);
    rc = ef_plot_contribution(bars, 2, title, measure, o, script, err);
    free(label);
    free(unit);
    return rc;
}

/* ---- delta-r2 ------------------------------------------------------------------------ */

static int has_key(const ef_result_key *keys, size_t n, const char *t, const char *f, const char *m)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(keys[i].target, t) && !strcmp(keys[i].features, f) && !strcmp(keys[i].model, m))
            return 1;
    return 0;
}

static int fig_delta_r2(const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    ef_result_key *keys = NULL;
    ef_plot_delta *rows;
    size_t nk = 0, nr = 0, i;
    int rc = ef_result_keys(q->store_path, &keys, &nk, err);

    if (rc != EF_OK)
        return rc;
    rows = ef_xcalloc(nk ? nk : 1, sizeof *rows);
    for (i = 0; rc == EF_OK && i < nk; i++) {
        ef_result_key kb = { keys[i].target, "basic", q->model }, kf = { keys[i].target, "full", q->model };
        ef_result_data a, b;
        double *y, *ya, *yb;
        size_t n;

        /* each target once: at its basic key, when the full one exists too */
        if (strcmp(keys[i].features, "basic") || strcmp(keys[i].model, q->model) ||
            !has_key(keys, nk, keys[i].target, "full", q->model))
            continue;
        if ((rc = ef_result_load(q->store_path, &kb, &a, err)) != EF_OK)
            break;
        if ((rc = ef_result_load(q->store_path, &kf, &b, err)) != EF_OK) {
            ef_result_data_fini(&a);
            break;
        }
        y = ef_xmalloc((b.r.n ? b.r.n : 1) * sizeof *y);
        ya = ef_xmalloc((b.r.n ? b.r.n : 1) * sizeof *ya);
        yb = ef_xmalloc((b.r.n ? b.r.n : 1) * sizeof *yb);
        /* full - basic on the test rows both share (report --compare's rule) */
        n = ef_report_pair_test(&b, &a, y, ya, yb);
        rows[nr] = (ef_plot_delta){ keys[i].target, a.r.metrics[1].r2, b.r.metrics[1].r2,
                                    b.r.metrics[1].r2 - a.r.metrics[1].r2, NAN, NAN, n };
        if (n >= 2)
            rc = ef_delta_r2(y, ya, yb, n, 42, EF_NBOOT, &rows[nr].d, &rows[nr].d_lo, &rows[nr].d_hi, err);
        nr++;
        free(y);
        free(ya);
        free(yb);
        ef_result_data_fini(&a);
        ef_result_data_fini(&b);
    }
    if (rc == EF_OK && nr == 0)
        rc = ef_error_set_at(err, EF_ENOTFOUND, q->store_path, 0, 0,
                             "no target has both a basic and a full %s result (train --features basic,full "
                             "--model %s)", q->model, q->model);
    if (rc == EF_OK)
        rc = ef_plot_delta_r2(rows, nr, q->model, o, script, err);
    free(rows);
    ef_result_keys_free(keys, nk);
    return rc;
}

/* ---- ecg -------------------------------------------------------------------------------- */

/* The XML of eid in the project's ECG folder as millivolts at its own rate. */
static int raw_ecg(const ef_figure_req *q, float **sig, size_t *samples, double *rate, char *what, size_t wsize,
                   ef_error *err)
{
    int64_t *eids = NULL;
    char **paths = NULL, *path = NULL;
    size_t n = 0, i, k, len = SIZE_MAX;
    ef_cs_ecg e;
    double res;
    int rc = EF_OK;

    if (!q->ecg_dir)
        return ef_error_set(err, EF_ENOTFOUND, "the project names no ECG folder (ecg_dir in %s/ecgfit.ini)",
                            q->project_dir);
    for (int inst = 2; rc == EF_OK && !path && inst <= 3; inst++) {
        rc = ef_ecg_find_files(q->ecg_dir, inst, &eids, &paths, &n, err);
        for (i = 0; rc == EF_OK && i < n; i++)
            if (eids[i] == (int64_t)q->eid && !path)
                path = ef_xstrdup(paths[i]);
        for (i = 0; i < n; i++)
            free(paths[i]);
        free(paths);
        free(eids);
        paths = NULL;
        eids = NULL;
    }
    if (rc != EF_OK)
        return rc;
    if (!path)
        return ef_error_set_at(err, EF_ENOTFOUND, q->ecg_dir, 0, 0, "no ECG file %lld_20205_2_0.xml (or instance 3)",
                               q->eid);
    ef_cs_ecg_init(&e);
    rc = ef_cs_read_file(path, &e, err);
    for (k = 0; rc == EF_OK && k < EF_CS_NLEADS; k++)
        if (e.lead[k] && e.nsamples[k] < len)
            len = e.nsamples[k];
    if (rc == EF_OK && (len == SIZE_MAX || len < 2))
        rc = ef_error_set_at(err, EF_EDATA, path, e.strip_line, 0, "no lead with samples in StripData");
    if (rc == EF_OK) {
        res = isfinite(e.resolution) && e.resolution > 0 ? e.resolution : 5.0;
        *rate = isfinite(e.sample_rate) && e.sample_rate > 0 ? e.sample_rate : 500.0;
        *samples = len;
        *sig = ef_xmalloc(len * EF_CS_NLEADS * sizeof **sig);
        for (i = 0; i < len; i++)
            for (k = 0; k < EF_CS_NLEADS; k++)
                (*sig)[i * EF_CS_NLEADS + k] = e.lead[k] ? (float)(e.lead[k][i] * res / 1000.0) : NAN;
        ef_snprintf(what, wsize, "raw XML, %zu samples at %g Hz, %g uV/LSB%s", len, *rate, res,
                 isfinite(e.resolution) && e.resolution > 0 ? "" : " assumed");
    }
    ef_cs_ecg_fini(&e);
    free(path);
    return rc;
}

static int fig_ecg(const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    float *sig = NULL;
    size_t samples = 0;
    char units[32] = "", what[200];
    double rate = 0, scale = 1;
    int rc;

    if (q->raw) {
        rc = raw_ecg(q, &sig, &samples, &rate, what, sizeof what, err);
    } else {
        rc = ef_export_ecg_read(q->store_path, q->project_dir, q->eid, &sig, &samples, units, err);
        /* preprocess resamples the 10 s strip to `samples` points */
        rate = (double)samples / 10.0;
        if (!strcmp(units, "seed"))   /* counts / 1000: UKB files have 5 uV per count */
            scale = 5.0;
        ef_snprintf(what, sizeof what, "preprocessed, %zu samples over 10 s, %s", samples,
                 scale != 1 ? "seed units x 5 uV/LSB" : "mV");
    }
    if (rc == EF_OK) {
        ef_plot_ecg e = { sig, samples, rate, scale, q->eid, what };

        rc = ef_plot_ecg_paper(&e, o, script, err);
    }
    free(sig);
    return rc;
}

/* ---- embedding ---------------------------------------------------------------------------- */

static int fig_embedding(const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    ef_fdata *d = NULL;
    size_t col, i, n = 0;
    float *v;
    double *c;
    char *label, *unit;
    int rc = ef_fdata_load(q->store_path, q->embeddings, 1, &d, err);

    if (rc == EF_OK && (!d->emb_name[0] || !d->emb))
        rc = ef_error_set_at(err, EF_ENOTFOUND, q->store_path, 0, 0,
                             "no embeddings in the store (run `ecgfit -C %s embed` or `import embeddings`)",
                             q->project_dir);
    if (rc == EF_OK)
        rc = ef_fdata_target(d, q->target, &col, err);
    if (rc != EF_OK) {
        ef_fdata_free(d);
        return rc;
    }
    v = ef_xmalloc((d->n ? d->n : 1) * d->emb_dim * sizeof *v);
    c = ef_xmalloc((d->n ? d->n : 1) * sizeof *c);
    for (i = 0; i < d->n; i++) {
        if (!d->has_emb[i])
            continue;
        memcpy(v + n * d->emb_dim, d->emb + i * d->emb_dim, d->emb_dim * sizeof *v);
        c[n++] = d->col[col][i];
    }
    target_text(q->store_path, d->names[col], &label, &unit);
    {
        ef_plot_embedding e = { v, n, d->emb_dim, c, d->emb_name, d->names[col], label, unit };

        rc = ef_plot_embedding_map(&e, o, script, err);
    }
    free(label);
    free(unit);
    free(v);
    free(c);
    ef_fdata_free(d);
    return rc;
}

int ef_figure_script(int kind, const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err)
{
    *script = NULL;
    switch (kind) {
    case EF_FIG_SCATTER:
    case EF_FIG_BLAND_ALTMAN:
        return fig_xy(kind, q, o, script, err);
    case EF_FIG_IMPORTANCE:
        return fig_importance(q, o, script, err);
    case EF_FIG_CONTRIBUTION:
        return fig_contribution(q, o, script, err);
    case EF_FIG_DELTA_R2:
        return fig_delta_r2(q, o, script, err);
    case EF_FIG_ECG:
        return fig_ecg(q, o, script, err);
    case EF_FIG_EMBEDDING:
        return fig_embedding(q, o, script, err);
    default:
        return ef_error_set(err, EF_EINVAL, "unknown figure kind %d", kind);
    }
}
