/* ef_train_stage.c — the `train` job and `predict` (see ef_train_stage.h). */
#include "config.h"
#include "pipeline/ef_train_stage.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "core/ef_pool.h"
#include "model/ef_model.h"
#include "model/ef_split.h"
#include "store/ef_store.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void ef_train_opts_default(ef_train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 42;
    o->test_size = 0.2;
    o->rows = EF_ROWS_SEED;
    o->folds = 10;
    o->nboot = EF_NBOOT;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the worker: one fit and its predictions, no HDF5 ---------------------- */

typedef struct worker {
    ef_pool_group g;       /* the fit: one task in the job's pool */
    int started;
    double t0;             /* when it was started */
    /* in */
    const double *Xtr, *ytr;
    const double *X1, *X2;   /* the rows to predict: X1 (n1 rows), then X2 */
    size_t ntr, n1, n2, nall, p;
    ef_fit_opts fo;
    /* out */
    int rc;
    ef_error err;
    ef_fitted *fit;
    double *yhat;          /* nall */
    atomic_size_t pdone, ptotal;
} worker;

static void on_progress(void *ud, size_t done, size_t total)
{
    worker *w = ud;

    atomic_store(&w->ptotal, total);
    atomic_store(&w->pdone, done);
}

static void worker_main(void *arg)
{
    worker *w = arg;
    int rc;

    ef_error_clear(&w->err);
    rc = ef_model_fit(w->Xtr, w->ytr, w->ntr, w->p, &w->fo, &w->fit, &w->err);
    if (rc == EF_OK)
        rc = ef_model_predict(w->fit, w->X1, w->n1, w->yhat, &w->err);
    if (rc == EF_OK && w->n2)
        rc = ef_model_predict(w->fit, w->X2, w->n2, w->yhat + w->n1, &w->err);
    w->rc = rc;   /* read after the group's wait */
}

/* ---- the job --------------------------------------------------------------- */

/* A finished fit's results on their way to the store. */
enum { FIN_METRICS, FIN_METRICS_WAIT, FIN_BEGIN, FIN_WRITE, FIN_COMMIT };
typedef struct finish {
    int phase;
    int64_t *eid, *tre, *tee;
    double *y, *yh;
    int8_t *split;
    ef_result r;
    ef_stored_model sm;
    char opts[400];
    ef_pool_group g;              /* the metrics task */
    int mrc;
    ef_error merr;
    ef_store *s;
} finish;

typedef struct train {
    ef_train_opts o;
    char **targets, **features;   /* copies of the option words */
    char *store_path;             /* a copy, as o.store_path */
    int *models;
    ef_fdata *d;
    size_t *tcol;                 /* per target */
    char ***fnames;               /* per feature set */
    size_t *fp;
    char (*fset)[EF_FSET_NAME_MAX];
    size_t ncombo, next;
    /* the current design (target ti, features fi) */
    long cur_t, cur_f;
    ef_design x;
    size_t *tr_idx, *te_idx, ntr, nte;
    double *Xtr, *ytr, *Xte, *yte, *Xall;
    size_t nall;
    int want_te, want_all;        /* the test rows as a block; all rows as one block */
    char dup_warning[512];
    size_t n_const;               /* columns constant over the training rows */
    char const_names[160];
    /* the running fit, on the job's threads */
    ef_pool *pool;
    ef_fit_cache *cache;          /* what the fits of the current design share */
    /* w[cur]: fit `next`, running or done.  While its results go out (a
     * slice per step, on this thread), the next fit of the same design
     * already runs in w[1 - cur] on the job's threads. */
    worker w[2];
    int cur;
    int finishing;                /* w[cur] is done; its results go out in slices */
    finish fin;
    volatile int cancel;
    double t0;
    /* results */
    ef_train_row *rows;
    ef_train_summary sum;
    char label[200];
} train;

static void design_free(train *T)
{
    ef_fit_cache_clear(T->cache);   /* of these rows */
    ef_design_fini(&T->x);
    free(T->tr_idx);
    free(T->te_idx);
    free(T->Xtr);
    free(T->ytr);
    free(T->Xte);
    free(T->yte);
    free(T->Xall);
    T->tr_idx = T->te_idx = NULL;
    T->Xtr = T->ytr = T->Xte = T->yte = T->Xall = NULL;
    T->cur_t = T->cur_f = -1;
}

static int combo_names(const train *T, size_t c, size_t *ti, size_t *fi, size_t *mi)
{
    *mi = c % T->o.nmodels;
    *fi = (c / T->o.nmodels) % T->o.nfeatures;
    *ti = c / (T->o.nmodels * T->o.nfeatures);
    return 0;
}

/* "a, b, c, d and 5 more": the first few names flagged. */
static void name_list(char *const *names, size_t p, const unsigned char *flag, size_t nflag, char *buf,
                      size_t size)
{
    size_t j, k = 0, len = 0;

    buf[0] = '\0';
    for (j = 0; j < p && k < 4; j++)
        if (flag[j] && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", k++ ? ", " : "", names[j]);
    if (k < nflag && len < size)
        snprintf(buf + len, size - len, " and %zu more", nflag - k);
}

/* Build the design, the split and the row blocks of (ti, fi). */
static int design_make(train *T, size_t ti, size_t fi, ef_error *err)
{
    ef_design *x = &T->x;
    size_t p, i, pairs[4], nd;
    int rc;

    if (T->cur_t == (long)ti && T->cur_f == (long)fi)
        return EF_OK;
    design_free(T);
    rc = ef_design_build(T->d, T->tcol[ti], T->fnames[fi], T->fp[fi], T->o.rows, x, err);
    if (rc != EF_OK)
        return rc;
    p = x->p;
    if (x->n < 2) {
        rc = ef_error_set_at(err, EF_EDATA, T->d->store_path, 0, 0,
                             "%s with features %s: %zu usable row%s (of %zu in the cohort, %zu with a missing feature "
                             "or target): nothing to fit",
                             T->targets[ti], T->fset[fi], x->n, x->n == 1 ? "" : "s", x->n_cohort, x->n_dropped);
        design_free(T);
        return rc;
    }
    T->nte = ef_split_n_test(x->n, T->o.test_size);
    T->ntr = x->n - T->nte;
    T->tr_idx = ef_xmalloc((T->ntr ? T->ntr : 1) * sizeof *T->tr_idx);
    T->te_idx = ef_xmalloc((T->nte ? T->nte : 1) * sizeof *T->te_idx);
    rc = ef_train_test_split(x->n, T->o.test_size, T->o.seed, T->tr_idx, &T->ntr, T->te_idx, &T->nte, err);
    if (rc != EF_OK) {
        design_free(T);
        return rc;
    }
    /* the split indexes the seed's row order of this target (eid order for
     * sbp/dbp); the blocks below then come out in the seed's order too,
     * which the unshuffled CV folds depend on */
    {
        size_t *order = ef_xmalloc(x->n * sizeof *order);

        ef_design_seed_order(T->d, T->tcol[ti], x, order);
        for (i = 0; i < T->ntr; i++)
            T->tr_idx[i] = order[T->tr_idx[i]];
        for (i = 0; i < T->nte; i++)
            T->te_idx[i] = order[T->te_idx[i]];
        free(order);
    }
    T->Xtr = ef_xmalloc(T->ntr * p * sizeof *T->Xtr);
    T->ytr = ef_xmalloc(T->ntr * sizeof *T->ytr);
    for (i = 0; i < T->ntr; i++) {
        memcpy(T->Xtr + i * p, x->X + T->tr_idx[i] * p, p * sizeof(double));
        T->ytr[i] = x->y[T->tr_idx[i]];
    }
    if (T->want_te) {   /* the MLP's validation rows in seed mode */
        T->Xte = ef_xmalloc((T->nte ? T->nte : 1) * p * sizeof *T->Xte);
        T->yte = ef_xmalloc((T->nte ? T->nte : 1) * sizeof *T->yte);
        for (i = 0; i < T->nte; i++) {
            memcpy(T->Xte + i * p, x->X + T->te_idx[i] * p, p * sizeof(double));
            T->yte[i] = x->y[T->te_idx[i]];
        }
    }
    /* every row to predict: usable rows (design order) then the others; in
     * one block for XGBoost and the MLP (a batch's rows go through their
     * kernels together), in place for the linear models (row by row) */
    T->nall = x->n + x->n_other;
    if (T->want_all) {
        T->Xall = ef_xmalloc((T->nall ? T->nall : 1) * p * sizeof *T->Xall);
        memcpy(T->Xall, x->X, x->n * p * sizeof(double));
        memcpy(T->Xall + x->n * p, x->X_other, x->n_other * p * sizeof(double));
    }
    {   /* constant in the training rows: the scaler turns them into zeros, as sklearn's */
        unsigned char *flag = ef_xmalloc(p);

        T->n_const = ef_model_constant_columns(T->Xtr, T->ntr, p, flag);
        name_list(T->fnames[fi], p, flag, T->n_const, T->const_names, sizeof T->const_names);
        free(flag);
    }
    T->dup_warning[0] = '\0';
    nd = ef_design_duplicates(x, pairs, 2);
    if (nd)
        snprintf(T->dup_warning, sizeof T->dup_warning,
                 "features %s and %s are identical over the usable rows%s (a singular design): Lasso and "
                 "ElasticNet still give one fit, with the weight on one column or shared; XGBoost splits on "
                 "either; predictions are unaffected",
                 T->fnames[fi][pairs[0]], T->fnames[fi][pairs[1]], nd > 1 ? ", and more pairs" : "");
    T->cur_t = (long)ti;
    T->cur_f = (long)fi;
    return EF_OK;
}

/* Start fit number combo in w[slot]. */
static int start_fit(train *T, size_t combo, int slot, ef_error *err)
{
    size_t ti, fi, mi;
    worker *w = &T->w[slot];
    int rc;

    combo_names(T, combo, &ti, &fi, &mi);
    rc = design_make(T, ti, fi, err);
    if (rc != EF_OK)
        return rc;
    memset(w, 0, sizeof *w);
    w->Xtr = T->Xtr;
    w->ytr = T->ytr;
    w->ntr = T->ntr;
    w->p = T->x.p;
    if (T->models[mi] == EF_MODEL_LASSO || T->models[mi] == EF_MODEL_ENET) {
        w->X1 = T->x.X;
        w->n1 = T->x.n;
        w->X2 = T->x.X_other;
        w->n2 = T->x.n_other;
    } else {
        w->X1 = T->Xall;
        w->n1 = T->nall;
    }
    w->nall = T->nall;
    w->yhat = ef_xmalloc((T->nall ? T->nall : 1) * sizeof *w->yhat);
    ef_fit_opts_default(&w->fo, T->models[mi]);
    w->fo.seed = T->o.seed;
    w->fo.folds = T->o.folds;
    w->fo.threads = T->o.threads;
    w->fo.pool = T->pool;
    w->fo.seed_mode = T->o.seed_mode;
    w->fo.cd_warm = T->o.cd_warm;
    w->fo.cache = T->cache;
    if (T->o.seed_mode && T->models[mi] == EF_MODEL_MLP) {
        w->fo.val_X = T->Xte;
        w->fo.val_y = T->yte;
        w->fo.n_val = T->nte;
    }
    w->fo.progress = on_progress;
    w->fo.progress_ud = w;
    w->fo.cancel = &T->cancel;
    snprintf(T->label, sizeof T->label, "training %s/%s/%s", T->targets[ti], T->fset[fi],
             ef_model_kind_name(T->models[mi]));
    w->t0 = now_s();
    /* a cancelled fit still queued is dropped; one under way stops at its next grid point */
    ef_pool_group_init(&w->g, T->pool, &T->cancel);
    w->rc = EF_ECANCELED;
    ef_pool_submit(&w->g, worker_main, w);
    w->started = 1;
    return EF_OK;
}

static void join_worker(worker *w)
{
    if (!w->started)
        return;
    ef_pool_wait(&w->g);
    w->started = 0;
}

static void worker_free(worker *w)
{
    ef_fitted_free(w->fit);
    free(w->yhat);
    w->fit = NULL;
    w->yhat = NULL;
}

/* The fit after `next` starts now, beside the results of `next`, if it
 * fits the same design (the one the results still read). */
static void start_ahead(train *T)
{
    size_t t0, f0, m0, t1, f1, m1;
    ef_error e;

    if (T->next + 1 >= T->ncombo || T->w[1 - T->cur].started)
        return;
    combo_names(T, T->next, &t0, &f0, &m0);
    combo_names(T, T->next + 1, &t1, &f1, &m1);
    if (t0 != t1 || f0 != f1)
        return;
    ef_error_clear(&e);
    start_fit(T, T->next + 1, 1 - T->cur, &e);   /* the same design: nothing to fail */
}

/* The bootstrap CIs: a task of the job's pool (hundreds of ms on a large
 * cohort), which the steps wait for 20 ms at a time. */
static void metrics_task(void *arg)
{
    train *T = arg;
    finish *F = &T->fin;

    ef_error_clear(&F->merr);
    F->mrc = ef_result_metrics_pool(&F->r, T->o.seed, T->o.nboot, T->pool, &F->merr);
}

/* Predictions in participant order, then their metrics started: the first
 * slice of a finished fit's results. */
static int finish_metrics(train *T, ef_error *err)
{
    const ef_design *x = &T->x;
    worker *w = &T->w[T->cur];
    finish *F = &T->fin;
    size_t ti, fi, mi, i, k, n = T->nall;
    size_t *prow = ef_xmalloc((n ? n : 1) * sizeof *prow), *order;
    int8_t *split_of = ef_xmalloc((n ? n : 1) * sizeof *split_of);
    ef_stored_model *sm = &F->sm;
    ef_result *r = &F->r;
    const char *cd_path;

    combo_names(T, T->next, &ti, &fi, &mi);
    for (i = 0; i < x->n; i++) {
        prow[i] = x->row[i];
        split_of[i] = EF_SPLIT_TRAIN;
    }
    for (i = 0; i < T->nte; i++)
        split_of[T->te_idx[i]] = EF_SPLIT_TEST;
    for (i = 0; i < x->n_other; i++) {
        prow[x->n + i] = x->other_row[i];
        split_of[x->n + i] = EF_SPLIT_OTHER;
    }
    /* both blocks are in participant order: merge them */
    order = ef_xmalloc((n ? n : 1) * sizeof *order);
    {
        size_t a = 0, b = x->n;

        for (k = 0; k < n; k++)
            order[k] = (b >= n || (a < x->n && prow[a] < prow[b])) ? a++ : b++;
    }
    F->eid = ef_xmalloc((n ? n : 1) * sizeof *F->eid);
    F->y = ef_xmalloc((n ? n : 1) * sizeof *F->y);
    F->yh = ef_xmalloc((n ? n : 1) * sizeof *F->yh);
    F->split = ef_xmalloc((n ? n : 1) * sizeof *F->split);
    for (k = 0; k < n; k++) {
        i = order[k];
        F->eid[k] = T->d->eid[prow[i]];
        F->y[k] = i < x->n ? x->y[i] : x->y_other[i - x->n];
        F->yh[k] = w->yhat[i];
        F->split[k] = split_of[i];
    }
    free(prow);
    free(split_of);
    free(order);
    memset(r, 0, sizeof *r);
    r->key.target = T->d->names[T->tcol[ti]];
    r->key.features = T->fset[fi];
    r->key.model = ef_model_kind_name(T->models[mi]);
    r->n = n;
    r->eid = F->eid;
    r->y = F->y;
    r->yhat = F->yh;
    r->split = F->split;

    F->tre = ef_xmalloc((T->ntr ? T->ntr : 1) * sizeof *F->tre);
    F->tee = ef_xmalloc((T->nte ? T->nte : 1) * sizeof *F->tee);
    for (i = 0; i < T->ntr; i++)
        F->tre[i] = T->d->eid[x->row[T->tr_idx[i]]];
    for (i = 0; i < T->nte; i++)
        F->tee[i] = T->d->eid[x->row[T->te_idx[i]]];
    memset(sm, 0, sizeof *sm);
    sm->fit = w->fit;
    sm->names = T->fnames[fi];
    sm->train_eid = F->tre;
    sm->test_eid = F->tee;
    sm->n_train = T->ntr;
    sm->n_test = T->nte;
    sm->features_spec = T->features[fi];
    sm->embeddings = T->d->emb_name;
    sm->rows = (char *)(T->o.rows == EF_ROWS_COMPLETE ? "complete" : "seed");   /* borrowed, not freed */
    sm->seed = T->o.seed;
    sm->test_size = T->o.test_size;
    sm->n_cohort = (double)x->n_cohort;
    sm->n_dropped = (double)x->n_dropped;
    /* a warm-start CV path is recorded; cold (GridSearchCV's fits) is the default and unmarked */
    cd_path = T->o.cd_warm && (T->models[mi] == EF_MODEL_LASSO || T->models[mi] == EF_MODEL_ENET)
                  ? " cd_path=warm" : "";
    ef_snprintf(F->opts, sizeof F->opts,
                "target=%s features=%s model=%s seed=%u test_size=%g folds=%d rows=%s%s%s%s%s", r->key.target,
                T->features[fi], r->key.model, (unsigned)T->o.seed, T->o.test_size, T->o.folds, sm->rows,
                T->d->emb_name[0] ? " embeddings=" : "", T->d->emb_name, T->o.seed_mode ? " seed_mode" : "",
                cd_path);
    (void)err;
    F->mrc = ef_error_set(&F->merr, EF_ECANCELED, "training cancelled");   /* if the task is dropped */
    ef_pool_group_init(&F->g, T->pool, &T->cancel);
    ef_pool_submit(&F->g, metrics_task, T);
    return EF_OK;
}

static void finish_free(train *T)
{
    finish *F = &T->fin;

    ef_pool_wait(&F->g);    /* the metrics task, if one is under way */
    ef_store_abort(F->s);   /* stopped between begin and commit */
    free(F->eid);
    free(F->y);
    free(F->yh);
    free(F->split);
    free(F->tre);
    free(F->tee);
    memset(F, 0, sizeof *F);
}

/* The fit's row of the summary; the finished fit's results are let go. */
static void finish_row(train *T, int rc, const ef_error *err)
{
    const ef_design *x = &T->x;
    finish *F = &T->fin;
    ef_train_row *row;
    size_t k;

    T->rows = ef_xreallocarray(T->rows, T->sum.nrows + 1, sizeof *T->rows);
    row = &T->rows[T->sum.nrows];
    memset(row, 0, sizeof *row);
    snprintf(row->target, sizeof row->target, "%s", F->r.key.target);
    snprintf(row->features, sizeof row->features, "%s", F->r.key.features);
    snprintf(row->model, sizeof row->model, "%s", F->r.key.model);
    row->status = rc;
    if (rc != EF_OK && err)
        snprintf(row->error, sizeof row->error, "%s", err->msg);
    row->p = x->p;
    row->n_train = T->ntr;
    row->n_test = T->nte;
    row->n_other = x->n_other;
    row->n_cohort = x->n_cohort;
    row->n_dropped = x->n_dropped;
    snprintf(row->best, sizeof row->best, "%s", T->w[T->cur].fit->best);
    for (k = 0; k < 3; k++)
        row->m[k] = F->r.metrics[k];
    row->seconds = now_s() - T->w[T->cur].t0;
    snprintf(row->warning, sizeof row->warning, "%s", T->dup_warning);
    row->n_const = T->n_const;
    snprintf(row->const_names, sizeof row->const_names, "%s", T->const_names);
    T->sum.nrows++;
    T->sum.rows = T->rows;
    finish_free(T);
}

/* One slice of a finished fit's results per step (metrics, the store's
 * begin, the model and result writes, each slice of the commit): EF_OK
 * when the row is recorded. */
static int finish_step(train *T, ef_error *err)
{
    finish *F = &T->fin;
    int rc = EF_OK;

    switch (F->phase) {
    case FIN_METRICS:
        rc = finish_metrics(T, err);
        if (rc == EF_OK)
            start_ahead(T);
        break;
    case FIN_METRICS_WAIT:
        if (!ef_pool_wait_ms(&F->g, 20))
            return EF_CONTINUE;
        rc = F->mrc;
        if (rc != EF_OK && err)
            *err = F->merr;
        break;
    case FIN_BEGIN:
        rc = ef_store_begin(&F->s, T->o.store_path, err);
        break;
    case FIN_WRITE:
        rc = ef_model_write(F->s, &F->r.key, &F->sm, F->opts, err);
        if (rc == EF_OK)
            rc = ef_result_write(F->s, &F->r, "train", F->opts, err);
        break;
    default:   /* FIN_COMMIT */
        rc = ef_store_commit_step(F->s, err);
        if (rc == EF_CONTINUE)
            return rc;
        F->s = NULL;   /* committed, or aborted and freed */
        finish_row(T, rc, err);
        return rc;
    }
    if (rc != EF_OK) {
        finish_row(T, rc, err);
        return rc;
    }
    F->phase++;
    return EF_CONTINUE;
}

static int train_step(void *state, ef_error *err)
{
    train *T = state;
    worker *w = &T->w[T->cur];
    int rc;

    if (T->next >= T->ncombo)
        return EF_OK;
    if (T->finishing) {   /* the finished fit's results, a slice per step */
        rc = finish_step(T, err);
        if (rc == EF_CONTINUE)
            return rc;
        T->finishing = 0;
        worker_free(w);
        if (rc != EF_OK)
            return rc;
        T->next++;
        T->cur = 1 - T->cur;   /* the fit started ahead, if any */
        return T->next >= T->ncombo ? EF_OK : EF_CONTINUE;
    }
    if (!w->started && !w->fit) {
        rc = start_fit(T, T->next, T->cur, err);
        return rc == EF_OK ? EF_CONTINUE : rc;
    }
    if (w->started && !ef_pool_wait_ms(&w->g, 20))
        return EF_CONTINUE;
    join_worker(w);
    if (w->rc != EF_OK) {
        size_t ti, fi, mi;

        combo_names(T, T->next, &ti, &fi, &mi);
        rc = w->rc;
        ef_error_set_at(err, rc, w->err.file[0] ? w->err.file : T->d->store_path, w->err.line, w->err.column,
                        "%s/%s/%s: %s", T->targets[ti], T->fset[fi], ef_model_kind_name(T->models[mi]), w->err.msg);
        worker_free(w);
        return rc;
    }
    T->finishing = 1;
    return EF_CONTINUE;
}

static void train_progress(const void *state, ef_progress_report *p)
{
    const train *T = state;
    const worker *w = T->finishing && T->w[1 - T->cur].started ? &T->w[1 - T->cur] : &T->w[T->cur];
    size_t total = atomic_load(&w->ptotal), done = atomic_load(&w->pdone);

    p->unit = "fits";
    p->total = T->ncombo;
    p->done = T->next;
    p->stage = T->label[0] ? T->label : "training";
    if (w->started && total)   /* the grid of the fit under way */
        p->part = (double)done / (double)total;
}

static void train_cancel(void *state)
{
    train *T = state;

    ef_flag_set(&T->cancel);
    join_worker(&T->w[0]);
    join_worker(&T->w[1]);
    finish_free(T);
    worker_free(&T->w[0]);
    worker_free(&T->w[1]);
}

static void train_free(void *state)
{
    train *T = state;
    size_t i;

    if (!T)
        return;
    ef_flag_set(&T->cancel);
    join_worker(&T->w[0]);
    join_worker(&T->w[1]);
    finish_free(T);
    worker_free(&T->w[0]);
    worker_free(&T->w[1]);
    design_free(T);
    for (i = 0; i < T->o.ntargets; i++)
        free(T->targets[i]);
    for (i = 0; i < T->o.nfeatures; i++) {
        free(T->features[i]);
        if (T->fnames)
            ef_features_free_names(T->fnames[i], T->fp[i]);
    }
    free(T->targets);
    free(T->features);
    free(T->fnames);
    free(T->fp);
    free(T->fset);
    free(T->models);
    free(T->tcol);
    free(T->rows);
    ef_fdata_free(T->d);
    free(T->store_path);
    ef_fit_cache_free(T->cache);
    ef_pool_free(T->pool);
    free(T);
}

static const ef_job_ops train_ops = {
    .name = "train",
    .step = train_step,
    .progress = train_progress,
    .cancel = train_cancel,
    .free = train_free,
};

int ef_train_job_new(ef_job **out, const ef_train_opts *o, ef_error *err)
{
    train *T;
    size_t i, j;
    int rc = EF_OK, values = 0;

    *out = NULL;
    if (!o->ntargets || !o->nfeatures || !o->nmodels)
        return ef_error_set(err, EF_EINVAL, "train needs at least one target, feature set and model");
    if (!(o->test_size > 0 && o->test_size < 1))
        return ef_error_set(err, EF_EINVAL, "test size must be between 0 and 1, not %g", o->test_size);
    if (o->folds < 2)
        return ef_error_set(err, EF_EINVAL, "cross-validation needs at least 2 folds, not %d", o->folds);
    for (i = 0; i < o->nmodels; i++)
        if (o->models[i] < 0 || o->models[i] >= EF_MODEL_NKINDS)
            return ef_error_set(err, EF_EINVAL, "unknown model kind %d", o->models[i]);
    T = ef_xcalloc(1, sizeof *T);
    T->o = *o;
    T->store_path = ef_xstrdup(o->store_path);   /* the caller's may not outlive the job */
    T->o.store_path = T->store_path;
    T->cur_t = T->cur_f = -1;
    T->pool = ef_pool_new(o->threads);   /* threads start at the first fit */
    T->cache = ef_fit_cache_new();
    T->targets = ef_xcalloc(o->ntargets, sizeof *T->targets);
    for (i = 0; i < o->ntargets; i++)
        T->targets[i] = ef_xstrdup(o->targets[i]);
    T->features = ef_xcalloc(o->nfeatures, sizeof *T->features);
    for (i = 0; i < o->nfeatures; i++) {
        T->features[i] = ef_xstrdup(o->features[i]);
        values |= strcmp(o->features[i], "basic") && strcmp(o->features[i], "ecg-params") &&
                  strcmp(o->features[i], "basic+ecg-params");
    }
    T->models = ef_xmalloc(o->nmodels * sizeof *T->models);
    memcpy(T->models, o->models, o->nmodels * sizeof *T->models);
    for (i = 0; i < o->nmodels; i++) {
        T->want_te |= o->seed_mode && o->models[i] == EF_MODEL_MLP;
        T->want_all |= o->models[i] != EF_MODEL_LASSO && o->models[i] != EF_MODEL_ENET;
    }
    T->o.targets = NULL;
    T->o.features = NULL;
    T->o.models = NULL;
    T->o.embeddings = NULL;
    T->ncombo = o->ntargets * o->nfeatures * o->nmodels;
    T->fnames = ef_xcalloc(o->nfeatures, sizeof *T->fnames);
    T->fp = ef_xcalloc(o->nfeatures, sizeof *T->fp);
    T->fset = ef_xcalloc(o->nfeatures, sizeof *T->fset);
    T->tcol = ef_xcalloc(o->ntargets, sizeof *T->tcol);

    rc = ef_fdata_load_pool(o->store_path, o->embeddings, values, T->pool, ef_pool_width(T->pool, 0), &T->d, err);
    for (i = 0; rc == EF_OK && i < o->ntargets; i++)
        rc = ef_fdata_target(T->d, T->targets[i], &T->tcol[i], err);
    for (i = 0; rc == EF_OK && i < o->nfeatures; i++) {
        rc = ef_features_expand(T->d, T->features[i], &T->fnames[i], &T->fp[i], T->fset[i], err);
        for (j = 0; rc == EF_OK && j < i; j++)
            if (strcmp(T->fset[i], T->fset[j]) == 0)
                rc = ef_error_set(err, EF_EINVAL, "two feature sets are named %s", T->fset[i]);
    }
    /* every design once, so that bad data fails before the first fit */
    for (i = 0; rc == EF_OK && i < o->ntargets; i++)
        for (j = 0; rc == EF_OK && j < o->nfeatures; j++)
            rc = design_make(T, i, j, err);
    /* the last design stays: the first fit's when there is one (a large
     * cohort's design costs as much as a quick grid) */
    if (rc != EF_OK) {
        train_free(T);
        return rc;
    }
    snprintf(T->sum.embeddings, sizeof T->sum.embeddings, "%s", T->d->emb_name);
    *out = ef_job_new(&train_ops, T);
    return EF_OK;
}

const ef_train_summary *ef_train_job_summary(ef_job *job)
{
    train *T = ef_job_state(job);

    return &T->sum;
}

/* ---- predict ---------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

static int in_sorted(const int64_t *v, size_t n, int64_t e)
{
    return n && bsearch(&e, v, n, sizeof *v, cmp_i64) != NULL;
}

/* The store's columns for the model's feature set differ from the stored
 * ones: say how. */
static int columns_differ(const ef_result_key *k, const ef_stored_model *sm, char **now, size_t pnow,
                          const char *store_path, ef_error *err)
{
    size_t p = sm->fit->p, i;

    for (i = 0; i < p && i < pnow && strcmp(sm->names[i], now[i]) == 0; i++)
        ;
    return ef_error_set_at(err, EF_EDATA, store_path, 0, 0,
                           "model %s/%s/%s was fitted on %zu features and the store's data now has %zu for "
                           "features %s (first difference at column %zu: model %s, data %s): the data has "
                           "different columns; train the model again",
                           k->target, k->features, k->model, p, pnow, sm->features_spec, i + 1,
                           i < p ? sm->names[i] : "(none)", i < pnow ? now[i] : "(none)");
}

int ef_predict_stored(const char *store_path, const ef_result_key *k, int nboot, size_t *n_pred, ef_error *err)
{
    ef_stored_model sm;
    ef_fdata *d = NULL;
    ef_design x;
    char **now = NULL, set[EF_FSET_NAME_MAX];
    size_t pnow = 0, tcol = SIZE_MAX, i, j;
    double *yhat = NULL, *y = NULL;
    int8_t *split = NULL;
    int rc, values = 0;

    memset(&x, 0, sizeof x);
    rc = ef_model_load(store_path, k, &sm, err);
    if (rc != EF_OK)
        return rc;
    for (i = 0; i < sm.fit->p; i++)
        values |= strncmp(sm.names[i], "emb:", 4) == 0;
    rc = ef_fdata_load(store_path, sm.embeddings[0] ? sm.embeddings : NULL, values, &d, err);
    if (rc == EF_ENOTFOUND && sm.embeddings[0])
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0,
                             "model %s/%s/%s uses embeddings %s, which the store no longer has: the data has "
                             "different columns",
                             k->target, k->features, k->model, sm.embeddings);
    if (rc == EF_OK && ef_features_is_named(sm.features_spec)) {
        ef_error e2;

        ef_error_clear(&e2);
        if (ef_features_expand(d, sm.features_spec, &now, &pnow, set, &e2) != EF_OK)
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "model %s/%s/%s: %s: the data has different columns",
                                 k->target, k->features, k->model, e2.msg);
        else if (pnow != sm.fit->p)
            rc = columns_differ(k, &sm, now, pnow, store_path, err);
        for (i = 0; rc == EF_OK && i < pnow; i++)
            if (strcmp(now[i], sm.names[i]) != 0)
                rc = columns_differ(k, &sm, now, pnow, store_path, err);
    }
    if (rc == EF_OK) {
        ef_error e2;

        ef_error_clear(&e2);
        rc = ef_design_build(d, SIZE_MAX, sm.names, sm.fit->p, EF_ROWS_COMPLETE, &x, &e2);
        if (rc == EF_ENOTFOUND)
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "model %s/%s/%s: %s: the data has different columns",
                                 k->target, k->features, k->model, e2.msg);
        else if (rc != EF_OK && err)
            *err = e2;
    }
    if (rc == EF_OK) {
        yhat = ef_xmalloc((x.n ? x.n : 1) * sizeof *yhat);
        rc = ef_model_predict(sm.fit, x.X, x.n, yhat, err);
    }
    if (rc == EF_OK) {
        ef_error e2;
        ef_result r;

        size_t n_test_y = 0;

        if (ef_fdata_target(d, k->target, &tcol, &e2) != EF_OK) {
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0,
                                 "model %s/%s/%s: the target %s is no longer in /participants (extract it again "
                                 "with `ecgfit labels --fields %s`); nothing predicted, the stored results are "
                                 "unchanged",
                                 k->target, k->features, k->model, k->target, k->target);
            goto out;
        }
        qsort(sm.train_eid, sm.n_train, sizeof *sm.train_eid, cmp_i64);
        qsort(sm.test_eid, sm.n_test, sizeof *sm.test_eid, cmp_i64);
        y = ef_xmalloc((x.n ? x.n : 1) * sizeof *y);
        split = ef_xmalloc((x.n ? x.n : 1) * sizeof *split);
        int64_t *eid = ef_xmalloc((x.n ? x.n : 1) * sizeof *eid);
        for (i = 0; i < x.n; i++) {
            j = x.row[i];
            eid[i] = d->eid[j];
            y[i] = tcol == SIZE_MAX ? NAN : d->col[tcol][j];
            split[i] = in_sorted(sm.test_eid, sm.n_test, eid[i])    ? EF_SPLIT_TEST
                       : in_sorted(sm.train_eid, sm.n_train, eid[i]) ? EF_SPLIT_TRAIN
                                                                     : EF_SPLIT_OTHER;
        }
        for (i = 0; i < x.n; i++)
            n_test_y += split[i] == EF_SPLIT_TEST && !isnan(y[i]);
        if (n_test_y < 2) {
            /* metrics of nothing would overwrite the fit's */
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0,
                                 "model %s/%s/%s: only %zu of its %zu test participants now have both the target "
                                 "and the features; nothing written, the stored results are unchanged",
                                 k->target, k->features, k->model, n_test_y, sm.n_test);
            free(eid);
            goto out;
        }
        memset(&r, 0, sizeof r);
        r.key = *k;
        r.n = x.n;
        r.eid = eid;
        r.y = y;
        r.yhat = yhat;
        r.split = split;
        rc = ef_result_metrics(&r, (uint32_t)sm.seed, nboot, err);
        if (rc == EF_OK)
            rc = ef_result_save(store_path, &r, "predict", "", err);
        if (n_pred)
            *n_pred = x.n;
        free(eid);
    }
out:
    free(yhat);
    free(y);
    free(split);
    ef_features_free_names(now, pnow);
    ef_design_fini(&x);
    ef_fdata_free(d);
    ef_stored_model_fini(&sm);
    return rc;
}
