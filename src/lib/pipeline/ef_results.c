/* ef_results.c — model results in the project store (see ef_results.h). */
#include "config.h"
#include "pipeline/ef_results.h"
#include "core/ef_alloc.h"
#include "core/ef_pool.h"
#include "store/ef_store_vds.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const split_names[] = { "train", "test", "other", "full" };

const char *ef_split_name(int split)
{
    return split >= 0 && split <= EF_SPLIT_FULL ? split_names[split] : "?";
}

/* metrics[] slot of a split, or -1. */
static int slot(int split)
{
    return split == EF_SPLIT_TRAIN ? 0 : split == EF_SPLIT_TEST ? 1 : split == EF_SPLIT_FULL ? 2 : -1;
}

static const int slot_split[3] = { EF_SPLIT_TRAIN, EF_SPLIT_TEST, EF_SPLIT_FULL };

static int key_ok(const ef_result_key *k, ef_error *err)
{
    const char *parts[3] = { k->target, k->features, k->model };
    int i;

    for (i = 0; i < 3; i++)
        if (!parts[i] || !parts[i][0] || strchr(parts[i], '/') || !strcmp(parts[i], ".") ||
            !strcmp(parts[i], ".."))
            return ef_error_set(err, EF_EINVAL, "bad result name part '%s'", parts[i] ? parts[i] : "");
    return EF_OK;
}

static void key_path(char *buf, size_t size, const char *top, const ef_result_key *k)
{
    snprintf(buf, size, "/%s/%s/%s/%s", top, k->target, k->features, k->model);
}

/* One split's metrics (its own bootstrap stream, seeded alike). */
typedef struct metrics_job {
    ef_result *r;
    uint32_t seed;
    int nboot;
    int slots;          /* bit s: compute slot s */
    int rc;
    ef_error err;
} metrics_job;

static void metrics_run(void *arg)
{
    metrics_job *j = arg;
    ef_result *r = j->r;
    double *y = ef_xmalloc((r->n ? r->n : 1) * sizeof *y), *yh = ef_xmalloc((r->n ? r->n : 1) * sizeof *yh);
    int s;

    j->rc = EF_OK;
    ef_error_clear(&j->err);
    for (s = 0; s < 3 && j->rc == EF_OK; s++) {
        size_t i, m = 0;

        if (!(j->slots & (1 << s)))
            continue;
        for (i = 0; i < r->n; i++) {
            int sp = r->split[i];

            if (slot_split[s] == EF_SPLIT_FULL ? (sp == EF_SPLIT_TRAIN || sp == EF_SPLIT_TEST) : sp == slot_split[s]) {
                y[m] = r->y[i];
                yh[m++] = r->yhat[i];
            }
        }
        r->has_metrics[s] = m > 0;
        memset(&r->metrics[s], 0, sizeof r->metrics[s]);
        if (m > 0)
            j->rc = ef_metrics_compute(y, yh, m, j->seed, j->nboot, &r->metrics[s], &j->err);
    }
    free(y);
    free(yh);
}

int ef_result_metrics(ef_result *r, uint32_t seed, int nboot, ef_error *err)
{
    return ef_result_metrics_pool(r, seed, nboot, NULL, err);
}

/* The bootstraps (1,000 resamples of each split) were the largest part of a
 * linear `train` on data the solver finishes quickly.  The three splits are
 * independent: with two threads one takes "full" (train + test rows), the
 * other "train" and "test", about the same number of draws. */
int ef_result_metrics_pool(ef_result *r, uint32_t seed, int nboot, ef_pool *pool, ef_error *err)
{
    metrics_job job[2];
    ef_pool_group g;
    int two = ef_pool_width(pool, 2) >= 2 && nboot > 0, i;

    for (i = 0; i < 2; i++)
        job[i] = (metrics_job){ .r = r, .seed = seed, .nboot = nboot, .slots = i ? 0 : 7 };
    if (two) {
        job[0].slots = 1 << 2;                 /* full */
        job[1].slots = (1 << 0) | (1 << 1);    /* train, test */
    }
    ef_pool_group_init(&g, pool, NULL);
    if (two)
        ef_pool_submit(&g, metrics_run, &job[1]);
    metrics_run(&job[0]);
    ef_pool_wait(&g);
    for (i = 0; i < 1 + two; i++)
        if (job[i].rc != EF_OK) {
            if (err)
                *err = job[i].err;
            return job[i].rc;
        }
    return EF_OK;
}

static const char *const metric_names[] = { "n", "r", "r_lo", "r_hi", "r2", "mae", "mse", "rmse",
                                            "r2_lo", "r2_hi", "mae_lo", "mae_hi" };
#define NMETRIC (sizeof metric_names / sizeof metric_names[0])

static void metric_values(const ef_metrics *m, double *v)
{
    v[0] = (double)m->n;
    v[1] = m->r;
    v[2] = m->r_lo;
    v[3] = m->r_hi;
    v[4] = m->r2;
    v[5] = m->mae;
    v[6] = m->mse;
    v[7] = m->rmse;
    v[8] = m->r2_lo;
    v[9] = m->r2_hi;
    v[10] = m->mae_lo;
    v[11] = m->mae_hi;
}

int ef_result_write(ef_store *s, const ef_result *r, const char *stage, const char *options, ef_error *err)
{
    char pp[600], mp[600], path[700];
    int64_t *split = ef_xmalloc((r->n ? r->n : 1) * sizeof *split);
    size_t i;
    int rc, k;

    rc = key_ok(&r->key, err);
    if (rc != EF_OK) {
        free(split);
        return rc;
    }
    for (i = 0; i < r->n; i++)
        split[i] = r->split[i];
    key_path(pp, sizeof pp, "predictions", &r->key);
    key_path(mp, sizeof mp, "metrics", &r->key);
    rc = ef_store_delete(s, pp, err);
    if (rc == EF_OK)
        rc = ef_store_delete(s, mp, err);
    snprintf(path, sizeof path, "%s/eid", pp);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, path, r->eid, r->n, err);
    snprintf(path, sizeof path, "%s/y", pp);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, path, r->y, r->n, err);
    snprintf(path, sizeof path, "%s/yhat", pp);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, path, r->yhat, r->n, err);
    snprintf(path, sizeof path, "%s/split", pp);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, path, split, r->n, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "coding", "0 train, 1 test, 2 other (not in the split)", err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, pp, "target", r->key.target, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, pp, "features", r->key.features, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, pp, "model", r->key.model, err);
    if (rc == EF_OK)
        rc = ef_store_stamp(s, pp, stage, options, err);
    for (k = 0; rc == EF_OK && k < 3; k++) {
        double v[NMETRIC];
        size_t j;

        if (!r->has_metrics[k])
            continue;
        snprintf(path, sizeof path, "%s/%s", mp, ef_split_name(slot_split[k]));
        rc = ef_store_mkgroup(s, path, err);
        metric_values(&r->metrics[k], v);
        for (j = 0; rc == EF_OK && j < NMETRIC; j++)
            rc = ef_store_set_attr_f64(s, path, metric_names[j], v[j], err);
    }
    if (rc == EF_OK)
        rc = ef_store_stamp(s, mp, stage, options, err);
    free(split);
    return rc;
}

int ef_result_save(const char *store_path, const ef_result *r, const char *stage, const char *options,
                   ef_error *err)
{
    ef_store *s;
    int rc = ef_store_begin(&s, store_path, err);

    if (rc != EF_OK)
        return rc;
    rc = ef_result_write(s, r, stage, options, err);
    if (rc != EF_OK) {
        ef_store_abort(s);
        return rc;
    }
    return ef_store_commit(s, err);
}

/* ---- reading -------------------------------------------------------------- */

static int cmp_key(const void *a, const void *b)
{
    const ef_result_key *x = a, *y = b;
    int c = strcmp(x->target, y->target);

    if (!c)
        c = strcmp(x->features, y->features);
    return c ? c : strcmp(x->model, y->model);
}

int ef_result_keys(const char *store_path, ef_result_key **keys, size_t *n, ef_error *err)
{
    ef_store *s;
    char **t = NULL, **f = NULL, **m = NULL, path[1200];
    size_t nt = 0, nf = 0, nm = 0, i, j, k;
    int rc;

    *keys = NULL;
    *n = 0;
    rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    if (!ef_store_exists(s, "/predictions")) {
        ef_store_close(s);
        return EF_OK;
    }
    rc = ef_store_list(s, "/predictions", &t, &nt, err);
    for (i = 0; rc == EF_OK && i < nt; i++) {
        snprintf(path, sizeof path, "/predictions/%s", t[i]);
        if (!ef_store_is_group(s, path))
            continue;
        rc = ef_store_list(s, path, &f, &nf, err);
        for (j = 0; rc == EF_OK && j < nf; j++) {
            snprintf(path, sizeof path, "/predictions/%s/%s", t[i], f[j]);
            if (!ef_store_is_group(s, path))
                continue;
            rc = ef_store_list(s, path, &m, &nm, err);
            for (k = 0; rc == EF_OK && k < nm; k++) {
                ef_result_key *e;

                snprintf(path, sizeof path, "/predictions/%s/%s/%s/yhat", t[i], f[j], m[k]);
                if (!ef_store_exists(s, path))
                    continue;
                *keys = ef_xreallocarray(*keys, *n + 1, sizeof **keys);
                e = &(*keys)[(*n)++];
                e->target = ef_xstrdup(t[i]);
                e->features = ef_xstrdup(f[j]);
                e->model = ef_xstrdup(m[k]);
            }
            ef_store_free_list(m, nm);
            m = NULL;
            nm = 0;
        }
        ef_store_free_list(f, nf);
        f = NULL;
        nf = 0;
    }
    ef_store_free_list(t, nt);
    ef_store_close(s);
    if (rc != EF_OK) {
        ef_result_keys_free(*keys, *n);
        *keys = NULL;
        *n = 0;
        return rc;
    }
    if (*n > 1)
        qsort(*keys, *n, sizeof **keys, cmp_key);
    return EF_OK;
}

void ef_result_keys_free_one(ef_result_key *k)
{
    free((char *)k->target);
    free((char *)k->features);
    free((char *)k->model);
    memset(k, 0, sizeof *k);
}

void ef_result_keys_free(ef_result_key *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ef_result_keys_free_one(&keys[i]);
    free(keys);
}

static int read_metrics(ef_store *s, const char *store_path, const ef_result_key *k, int split, ef_metrics *m,
                        ef_error *err)
{
    char path[700];
    double v[NMETRIC];
    size_t j;
    int rc = EF_OK;

    memset(m, 0, sizeof *m);
    key_path(path, sizeof path, "metrics", k);
    snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", ef_split_name(split));
    if (slot(split) < 0)
        return ef_error_set(err, EF_EINVAL, "no metrics for split %s", ef_split_name(split));
    if (!ef_store_exists(s, path))
        return ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0, "no %s metrics for %s/%s/%s",
                               ef_split_name(split), k->target, k->features, k->model);
    for (j = 0; rc == EF_OK && j < NMETRIC; j++) {
        rc = ef_store_get_attr_f64(s, path, metric_names[j], &v[j], err);
        if (rc == EF_ENOTFOUND && j >= 8) {   /* bootstrap limits are optional */
            v[j] = NAN;
            rc = EF_OK;
        }
    }
    if (rc != EF_OK)
        return rc;
    m->n = (size_t)v[0];
    m->r = v[1];
    m->r_lo = v[2];
    m->r_hi = v[3];
    m->r2 = v[4];
    m->mae = v[5];
    m->mse = v[6];
    m->rmse = v[7];
    m->r2_lo = v[8];
    m->r2_hi = v[9];
    m->mae_lo = v[10];
    m->mae_hi = v[11];
    return EF_OK;
}

int ef_result_read_metrics(const char *store_path, const ef_result_key *k, int split, ef_metrics *m,
                           ef_error *err)
{
    ef_store *s;
    int rc = key_ok(k, err);

    if (rc == EF_OK)
        rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    rc = read_metrics(s, store_path, k, split, m, err);
    ef_store_close(s);
    return rc;
}

static void not_found(const char *store_path, const char *what, const ef_result_key *k, ef_error *err)
{
    ef_result_key *keys = NULL;
    size_t n = 0, i, len;
    char list[600] = "";
    ef_error e2;

    ef_error_clear(&e2);
    if (ef_result_keys(store_path, &keys, &n, &e2) == EF_OK)
        for (i = 0; i < n && (len = strlen(list)) < sizeof list - 4; i++)
            snprintf(list + len, sizeof list - len, "%s%s/%s/%s", i ? ", " : "", keys[i].target, keys[i].features,
                     keys[i].model);
    ef_result_keys_free(keys, n);
    ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0, "no %s for %s/%s/%s (%s%s)", what, k->target, k->features,
                    k->model, n ? "the store has: " : "the store has none: run `ecgfit train` first", list);
}

int ef_result_load(const char *store_path, const ef_result_key *k, ef_result_data *d, ef_error *err)
{
    ef_store *s;
    char pp[600], path[700];
    int64_t *split = NULL;
    size_t n1 = 0, n2 = 0, n3 = 0, i;
    int rc, j;

    memset(d, 0, sizeof *d);
    rc = key_ok(k, err);
    if (rc == EF_OK)
        rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    key_path(pp, sizeof pp, "predictions", k);
    snprintf(path, sizeof path, "%s/yhat", pp);
    if (!ef_store_exists(s, path)) {
        ef_store_close(s);
        not_found(store_path, "predictions", k, err);
        return EF_ENOTFOUND;
    }
    d->target = ef_xstrdup(k->target);
    d->features = ef_xstrdup(k->features);
    d->model = ef_xstrdup(k->model);
    snprintf(path, sizeof path, "%s/eid", pp);
    rc = ef_store_read_i64(s, path, &d->eid, &d->r.n, err);
    snprintf(path, sizeof path, "%s/y", pp);
    if (rc == EF_OK)
        rc = ef_store_read_f64(s, path, &d->y, &n1, err);
    snprintf(path, sizeof path, "%s/yhat", pp);
    if (rc == EF_OK)
        rc = ef_store_read_f64(s, path, &d->yhat, &n2, err);
    snprintf(path, sizeof path, "%s/split", pp);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, path, &split, &n3, err);
    if (rc == EF_OK && (n1 != d->r.n || n2 != d->r.n || n3 != d->r.n))
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s: eid, y, yhat and split differ in length", pp);
    if (rc == EF_OK) {
        d->split = ef_xmalloc((d->r.n ? d->r.n : 1) * sizeof *d->split);
        for (i = 0; i < d->r.n; i++)
            d->split[i] = (int8_t)split[i];
    }
    for (j = 0; rc == EF_OK && j < 3; j++) {
        rc = read_metrics(s, store_path, k, slot_split[j], &d->r.metrics[j], err);
        d->r.has_metrics[j] = rc == EF_OK;
        if (rc == EF_ENOTFOUND)
            rc = EF_OK;
    }
    free(split);
    ef_store_close(s);
    if (rc != EF_OK) {
        ef_result_data_fini(d);
        return rc;
    }
    d->r.key.target = d->target;
    d->r.key.features = d->features;
    d->r.key.model = d->model;
    d->r.eid = d->eid;
    d->r.y = d->y;
    d->r.yhat = d->yhat;
    d->r.split = d->split;
    return EF_OK;
}

void ef_result_data_fini(ef_result_data *d)
{
    free(d->target);
    free(d->features);
    free(d->model);
    free(d->eid);
    free(d->y);
    free(d->yhat);
    free(d->split);
    memset(d, 0, sizeof *d);
}

int ef_result_key_parse(const char *s, ef_result_key *k, char *buf, size_t size, ef_error *err)
{
    char *a, *b;

    if (strlen(s) >= size)
        return ef_error_set(err, EF_EINVAL, "result name too long: '%s'", s);
    strcpy(buf, s);
    a = strchr(buf, '/');
    b = a ? strchr(a + 1, '/') : NULL;
    if (!a || !b || strchr(b + 1, '/'))
        return ef_error_set(err, EF_EINVAL, "'%s' is not TARGET/FEATURES/MODEL (e.g. vo2max/basic/lasso)", s);
    *a = *b = '\0';
    k->target = buf;
    k->features = a + 1;
    k->model = b + 1;
    return key_ok(k, err);
}

/* ---- models --------------------------------------------------------------- */

static int write_sizes(ef_store *s, const char *path, const size_t *v, size_t n, ef_error *err)
{
    int64_t *w = ef_xmalloc((n ? n : 1) * sizeof *w);
    size_t i;
    int rc;

    for (i = 0; i < n; i++)
        w[i] = (int64_t)v[i];
    rc = ef_store_write_i64(s, path, w, n, err);
    free(w);
    return rc;
}

int ef_model_write(ef_store *s, const ef_result_key *k, const ef_stored_model *sm, const char *options,
                   ef_error *err)
{
    const ef_fitted *m = sm->fit;
    char g[600], path[700];
    size_t i;
    int rc = key_ok(k, err);

#define P(name) (snprintf(path, sizeof path, "%s/%s", g, name), path)
    key_path(g, sizeof g, "models", k);
    if (rc == EF_OK)
        rc = ef_store_delete(s, g, err);
    if (rc == EF_OK)
        rc = ef_store_mkgroup(s, g, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "kind", ef_model_kind_name(m->kind), err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "target", k->target, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "features", k->features, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "features_spec", sm->features_spec ? sm->features_spec : k->features, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "embeddings", sm->embeddings ? sm->embeddings : "", err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "rows", sm->rows ? sm->rows : "seed", err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, g, "best", m->best, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, g, "seed", sm->seed, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, g, "test_size", sm->test_size, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, g, "n_train", (double)sm->n_train, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, g, "n_test", (double)sm->n_test, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, g, "n_cohort", sm->n_cohort, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, g, "n_dropped", sm->n_dropped, err);
    if (rc == EF_OK)
        rc = ef_store_write_strs(s, P("feature_names"), (const char *const *)sm->names, m->p, err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, P("scale_mean"), m->scale_mean, m->p, err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, P("scale_sd"), m->scale_sd, m->p, err);
    if (rc == EF_OK && m->coef) {
        rc = ef_store_write_f64(s, P("coef"), m->coef, m->p, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_f64(s, path, "intercept", m->intercept, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_str(s, path, "note", "on standardised features (scale_mean, scale_sd)", err);
    }
    if (rc == EF_OK && m->booster) {
        char *b = ef_xstrndup(m->booster, m->booster_len);
        const char *one[1] = { b };

        rc = ef_store_write_strs(s, P("booster"), one, 1, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_str(s, path, "format", "XGBoost JSON model (XGBoosterSaveModelToBuffer)", err);
        free(b);
    }
    if (rc == EF_OK && m->mlp_w) {
        double *w = ef_xmalloc((m->mlp_nw ? m->mlp_nw : 1) * sizeof *w);

        for (i = 0; i < m->mlp_nw; i++)
            w[i] = m->mlp_w[i];
        rc = write_sizes(s, P("mlp_sizes"), m->mlp_sizes, m->mlp_nsizes, err);
        if (rc == EF_OK)
            rc = ef_store_write_f64(s, P("mlp_w"), w, m->mlp_nw, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_str(s, path, "layout", "float32 values [W1 b1 W2 b2 ...]", err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_f64(s, g, "epochs_run", m->epochs_run, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_f64(s, g, "best_epoch", m->best_epoch, err);
        free(w);
    }
    if (rc == EF_OK && m->importance)
        rc = ef_store_write_f64(s, P("importance"), m->importance, m->p, err);
    if (rc == EF_OK && m->ngrid) {
        const char **gp = ef_xmalloc(m->ngrid * sizeof *gp);
        double *mean = ef_xmalloc(m->ngrid * sizeof *mean), *sd = ef_xmalloc(m->ngrid * sizeof *sd);

        for (i = 0; i < m->ngrid; i++) {
            gp[i] = m->grid[i].params;
            mean[i] = m->grid[i].mean_score;
            sd[i] = m->grid[i].std_score;
        }
        rc = ef_store_write_strs(s, P("grid_params"), gp, m->ngrid, err);
        if (rc == EF_OK)
            rc = ef_store_write_f64(s, P("grid_mean"), mean, m->ngrid, err);
        if (rc == EF_OK)
            rc = ef_store_write_f64(s, P("grid_std"), sd, m->ngrid, err);
        free(gp);
        free(mean);
        free(sd);
    }
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, P("train_eid"), sm->train_eid, sm->n_train, err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, P("test_eid"), sm->test_eid, sm->n_test, err);
    if (rc == EF_OK)
        rc = ef_store_stamp(s, g, "train", options, err);
#undef P
    return rc;
}

int ef_model_load(const char *store_path, const ef_result_key *k, ef_stored_model *sm, ef_error *err)
{
    ef_store *s;
    ef_fitted *m;
    char g[600], path[700], *kind = NULL, *best = NULL, **strs = NULL;
    size_t n, i;
    int rc;

    memset(sm, 0, sizeof *sm);
    rc = key_ok(k, err);
    if (rc == EF_OK)
        rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    key_path(g, sizeof g, "models", k);
    if (!ef_store_exists(s, g)) {
        ef_store_close(s);
        if (strcmp(k->features, "fixed") == 0)   /* replicated models have no stored fit */
            ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                            "%s/%s/%s is a fixed published model: `ecgfit replicate --model ...` predicts "
                            "with it; there is no fitted model to apply", k->target, k->features, k->model);
        else
            ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                            "no model %s/%s/%s in the store (fit one with `ecgfit train --target %s "
                            "--features %s --model %s`)",
                            k->target, k->features, k->model, k->target, k->features, k->model);
        return EF_ENOTFOUND;
    }
#define P(name) (snprintf(path, sizeof path, "%s/%s", g, name), path)
    m = sm->fit = ef_xcalloc(1, sizeof *m);
    rc = ef_store_get_attr_str(s, g, "kind", &kind, err);
    if (rc == EF_OK && !ef_model_kind_parse(kind, &m->kind))
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s: unknown model kind '%s'", g, kind);
    if (rc == EF_OK && ef_store_get_attr_str(s, g, "best", &best, NULL) == EF_OK)
        snprintf(m->best, sizeof m->best, "%s", best);
    if (rc == EF_OK && ef_store_get_attr_str(s, g, "features_spec", &sm->features_spec, NULL) != EF_OK)
        sm->features_spec = ef_xstrdup(k->features);
    if (rc == EF_OK && ef_store_get_attr_str(s, g, "embeddings", &sm->embeddings, NULL) != EF_OK)
        sm->embeddings = ef_xstrdup("");
    if (rc == EF_OK && ef_store_get_attr_str(s, g, "rows", &sm->rows, NULL) != EF_OK)
        sm->rows = ef_xstrdup("seed");
    if (rc == EF_OK) {
        ef_store_get_attr_f64(s, g, "seed", &sm->seed, NULL);
        ef_store_get_attr_f64(s, g, "test_size", &sm->test_size, NULL);
        ef_store_get_attr_f64(s, g, "n_cohort", &sm->n_cohort, NULL);
        ef_store_get_attr_f64(s, g, "n_dropped", &sm->n_dropped, NULL);
    }
    if (rc == EF_OK)
        rc = ef_store_read_strs(s, P("feature_names"), &sm->names, &m->p, err);
    if (rc == EF_OK)
        rc = ef_store_read_f64(s, P("scale_mean"), &m->scale_mean, &n, err);
    if (rc == EF_OK && n != m->p)
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s has %zu values, not %zu", path, n, m->p);
    if (rc == EF_OK)
        rc = ef_store_read_f64(s, P("scale_sd"), &m->scale_sd, &n, err);
    if (rc == EF_OK && n != m->p)
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s has %zu values, not %zu", path, n, m->p);
    if (rc == EF_OK && ef_store_exists(s, P("coef"))) {
        rc = ef_store_read_f64(s, path, &m->coef, &n, err);
        if (rc == EF_OK && n != m->p)
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s has %zu values, not %zu", path, n, m->p);
        if (rc == EF_OK)
            rc = ef_store_get_attr_f64(s, path, "intercept", &m->intercept, err);
    }
    if (rc == EF_OK && ef_store_exists(s, P("booster"))) {
        rc = ef_store_read_strs(s, path, &strs, &n, err);
        if (rc == EF_OK && n == 1) {
            m->booster = strs[0];
            m->booster_len = strlen(strs[0]);
            strs[0] = NULL;
        }
        ef_store_free_list(strs, n);
    }
    if (rc == EF_OK && ef_store_exists(s, P("mlp_w"))) {
        double *w = NULL;
        int64_t *sz = NULL;

        rc = ef_store_read_f64(s, path, &w, &m->mlp_nw, err);
        if (rc == EF_OK)
            rc = ef_store_read_i64(s, P("mlp_sizes"), &sz, &m->mlp_nsizes, err);
        if (rc == EF_OK) {
            m->mlp_w = ef_xmalloc((m->mlp_nw ? m->mlp_nw : 1) * sizeof *m->mlp_w);
            for (i = 0; i < m->mlp_nw; i++)
                m->mlp_w[i] = (float)w[i];
            m->mlp_sizes = ef_xmalloc((m->mlp_nsizes ? m->mlp_nsizes : 1) * sizeof *m->mlp_sizes);
            for (i = 0; i < m->mlp_nsizes; i++)
                m->mlp_sizes[i] = (size_t)sz[i];
        }
        free(w);
        free(sz);
    }
    if (rc == EF_OK && ef_store_exists(s, P("importance"))) {
        rc = ef_store_read_f64(s, path, &m->importance, &n, err);
        if (rc == EF_OK && n != m->p)
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s has %zu values, not %zu", path, n, m->p);
    }
    if (rc == EF_OK && ef_store_exists(s, P("grid_params"))) {
        double *mean = NULL, *sd = NULL;
        size_t n2 = 0, n3 = 0;

        rc = ef_store_read_strs(s, path, &strs, &n, err);
        if (rc == EF_OK)
            rc = ef_store_read_f64(s, P("grid_mean"), &mean, &n2, err);
        if (rc == EF_OK)
            rc = ef_store_read_f64(s, P("grid_std"), &sd, &n3, err);
        if (rc == EF_OK && n2 == n && n3 == n) {
            m->grid = ef_xcalloc(n ? n : 1, sizeof *m->grid);
            m->ngrid = n;
            for (i = 0; i < n; i++) {
                snprintf(m->grid[i].params, sizeof m->grid[i].params, "%s", strs[i]);
                m->grid[i].mean_score = mean[i];
                m->grid[i].std_score = sd[i];
            }
        }
        ef_store_free_list(strs, n);
        free(mean);
        free(sd);
    }
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, P("train_eid"), &sm->train_eid, &sm->n_train, err);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, P("test_eid"), &sm->test_eid, &sm->n_test, err);
#undef P
    free(kind);
    free(best);
    ef_store_close(s);
    if (rc != EF_OK)
        ef_stored_model_fini(sm);
    return rc;
}

void ef_stored_model_fini(ef_stored_model *sm)
{
    size_t i, p = sm->fit ? sm->fit->p : 0;

    for (i = 0; sm->names && i < p; i++)
        free(sm->names[i]);
    free(sm->names);
    ef_fitted_free(sm->fit);
    free(sm->train_eid);
    free(sm->test_eid);
    free(sm->features_spec);
    free(sm->embeddings);
    free(sm->rows);
    memset(sm, 0, sizeof *sm);
}
