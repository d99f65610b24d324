/* ef_replicate.c — the replicate stage (see ef_replicate.h). */
#include "config.h"
#include "pipeline/ef_replicate.h"
#include "core/ef_alloc.h"
#include "core/ef_pool.h"
#include "model/ef_fixed.h"
#include "pipeline/ef_results.h"
#include "store/ef_store.h"
#include "pipeline/ef_resolve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *cli, *result; } model_names[EF_REP_NMODELS] = {
    [EF_REP_BASIC] = { "basic", "khurshid-basic" },
    [EF_REP_DEEP] = { "deep-ecg-vo2", "khurshid-deep-ecg-vo2" },
    [EF_REP_FRIEND] = { "friend", "friend" },
    [EF_REP_WASSERMAN] = { "wasserman", "wasserman" },
    [EF_REP_JONES] = { "jones", "jones" },
};

int ef_rep_model_parse(const char *name)
{
    int i;

    for (i = 0; i < EF_REP_NMODELS; i++)
        if (strcmp(name, model_names[i].cli) == 0 || strcmp(name, model_names[i].result) == 0)
            return i;
    return -1;
}

const char *ef_rep_model_result_name(int model)
{
    return model >= 0 && model < EF_REP_NMODELS ? model_names[model].result : "?";
}

void ef_replicate_opts_default(ef_replicate_opts *o)
{
    memset(o, 0, sizeof *o);
    o->scale_mode = EF_FIXED_SCALE_SD;
    o->seed = 42;
    o->nboot = EF_NBOOT;
}

void ef_replicate_summary_fini(ef_replicate_summary *sum)
{
    free(sum->target);
    free(sum->embeddings);
    memset(sum, 0, sizeof *sum);
}

static int resolve_in(ef_store *s, const ef_registry *reg, const char *name, char **col, ef_error *err)
{
    *col = NULL;
    return ef_resolve_column(s, reg, name, "target", col, err);
}

int ef_replicate_target_column(const char *store_path, const ef_registry *reg, const char *name, char **col,
                               ef_error *err)
{
    ef_store *s;
    int rc = ef_store_open_read(&s, store_path, err);

    *col = NULL;
    if (rc != EF_OK)
        return rc;
    rc = resolve_in(s, reg, name, col, err);
    ef_store_close(s);
    return rc;
}

/* ---- inputs ------------------------------------------------------------- */

typedef struct inputs {
    int64_t *eid;
    size_t n;
    double *age, *sex, *bmi, *height, *weight, *y;
    double *has_ecg;        /* NULL: the store does not say */
    unsigned char *in_cohort;
    int64_t *emb_eid;
    float *emb;
    size_t emb_n, emb_k;
    size_t *emb_order;      /* rows of emb sorted by eid */
} inputs;

static void inputs_free(inputs *in)
{
    free(in->eid);
    free(in->age);
    free(in->sex);
    free(in->bmi);
    free(in->height);
    free(in->weight);
    free(in->y);
    free(in->has_ecg);
    free(in->in_cohort);
    free(in->emb_eid);
    free(in->emb);
    free(in->emb_order);
}

static int read_col(ef_store *s, const char *col, const char *hint, size_t n, double **v, ef_error *err)
{
    char *p = ef_xasprintf("/participants/%s", col);
    size_t m = 0;
    int rc = ef_store_read_f64(s, p, v, &m, err);

    if (rc == EF_ENOTFOUND)
        rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0, "no /participants/%s: %s", col, hint);
    else if (rc == EF_OK && m != n)
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0, "%s has %zu rows, /participants/eid %zu", p, m,
                             n);
    free(p);
    return rc;
}

static const int64_t *sort_base;

static int cmp_by_eid(const void *a, const void *b)
{
    int64_t x = sort_base[*(const size_t *)a], y = sort_base[*(const size_t *)b];

    return (x > y) - (x < y);
}

/* The embedding name: the one asked for or the only one. */
static int pick_embeddings(ef_store *s, const char *want, char **name, ef_error *err)
{
    char **names = NULL;
    size_t n = 0, i;
    int rc = EF_OK;

    *name = NULL;
    if (ef_store_is_group(s, "/embeddings"))
        rc = ef_store_list(s, "/embeddings", &names, &n, err);
    if (rc != EF_OK)
        return rc;
    if (want) {
        for (i = 0; i < n && strcmp(names[i], want) != 0; i++)
            ;
        if (i < n)
            *name = ef_xstrdup(want);
        else
            rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0, "no embeddings named '%s'", want);
    } else if (n == 1)
        *name = ef_xstrdup(names[0]);
    else if (n == 0)
        rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                             "no embeddings in the store: run `embed`, or `import embeddings FILE`");
    else
        rc = ef_error_set_at(err, EF_EINVAL, ef_store_path(s), 0, 0,
                             "the store has %zu embeddings: choose one with --embeddings NAME", n);
    ef_store_free_list(names, n);
    return rc;
}

static int read_inputs(ef_store *s, const ef_replicate_opts *o, const char *target, int need_emb, int need_body,
                       inputs *in, char **emb_name, ef_error *err)
{
    const char *labels_hint = "run `ecgfit labels` (the registry's fields.tsv must list it)";
    size_t i;
    int rc;

    rc = ef_store_read_i64(s, "/participants/eid", &in->eid, &in->n, err);
    if (rc == EF_ENOTFOUND)
        return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                               "no /participants in the store: run `ecgfit labels` first");
    if (rc == EF_OK)
        rc = read_col(s, "age", labels_hint, in->n, &in->age, err);
    if (rc == EF_OK)
        rc = read_col(s, "sex", labels_hint, in->n, &in->sex, err);
    if (rc == EF_OK)
        rc = read_col(s, "bmi", labels_hint, in->n, &in->bmi, err);
    if (rc == EF_OK)
        rc = read_col(s, target, labels_hint, in->n, &in->y, err);
    if (rc == EF_OK && ef_store_exists(s, "/participants/has_ecg"))
        rc = read_col(s, "has_ecg", labels_hint, in->n, &in->has_ecg, err);
    if (rc == EF_OK) {
        /* the seed's eid_age2_sex_bmi2.csv: an instance-2 ECG file, age, sex, BMI */
        in->in_cohort = ef_xmalloc(in->n ? in->n : 1);
        for (i = 0; i < in->n; i++)
            in->in_cohort[i] = o->all || ((!in->has_ecg || in->has_ecg[i] == 1) && !isnan(in->age[i]) &&
                                          !isnan(in->sex[i]) && !isnan(in->bmi[i]));
    }
    if (rc == EF_OK && need_body)
        rc = read_col(s, "height", "re-run `ecgfit labels` (height is field 50, weight 21002)", in->n, &in->height,
                      err);
    if (rc == EF_OK && need_body)
        rc = read_col(s, "weight", "re-run `ecgfit labels` (height is field 50, weight 21002)", in->n, &in->weight,
                      err);
    if (rc == EF_OK && need_emb) {
        char *pe, *pv;

        rc = pick_embeddings(s, o->embeddings, emb_name, err);
        if (rc != EF_OK)
            return rc;
        pe = ef_xasprintf("/embeddings/%s/eid", *emb_name);
        pv = ef_xasprintf("/embeddings/%s/values", *emb_name);
        rc = ef_store_read_i64(s, pe, &in->emb_eid, &in->emb_n, err);
        if (rc == EF_OK) {
            size_t rows = 0;

            rc = ef_store_read_f32_2d(s, pv, &in->emb, &rows, &in->emb_k, err);
            if (rc == EF_OK && rows != in->emb_n)
                rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0, "%s has %zu rows, %s %zu", pv, rows, pe,
                                     in->emb_n);
        }
        free(pe);
        free(pv);
        if (rc == EF_OK) {
            in->emb_order = ef_xcalloc(in->emb_n ? in->emb_n : 1, sizeof *in->emb_order);
            for (i = 0; i < in->emb_n; i++)
                in->emb_order[i] = i;
            sort_base = in->emb_eid;
            qsort(in->emb_order, in->emb_n, sizeof *in->emb_order, cmp_by_eid);
        }
    }
    return rc;
}

/* The embedding row of eid, or NULL (also when it reads as missing: a part
 * file of the virtual dataset is absent). */
static const float *find_emb(const inputs *in, int64_t eid)
{
    size_t lo = 0, hi = in->emb_n, mid, k;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (in->emb_eid[in->emb_order[mid]] < eid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == in->emb_n || in->emb_eid[in->emb_order[lo]] != eid)
        return NULL;
    for (k = 0; k < in->emb_k; k++)
        if (isnan(in->emb[in->emb_order[lo] * in->emb_k + k]))
            return NULL;
    return in->emb + in->emb_order[lo] * in->emb_k;
}

/* ---- models ------------------------------------------------------------- */

static double predict_one(int model, const ef_fixed_model *fm, const inputs *in, size_t i, int scale_mode)
{
    ef_fixed_input x;
    int female;

    if (isnan(in->age[i]) || isnan(in->sex[i]))
        return NAN;
    female = in->sex[i] == 0;   /* UKB coding 9: 0 = female, 1 = male */
    switch (model) {
    case EF_REP_BASIC:
    case EF_REP_DEEP:
        if (isnan(in->bmi[i]))
            return NAN;
        x.age = in->age[i];
        x.sex = in->sex[i];
        x.bmi = in->bmi[i];
        x.test = EF_TEST_BIKE;
        x.emb = NULL;
        if (model == EF_REP_DEEP && !(x.emb = find_emb(in, in->eid[i])))
            return NAN;
        return ef_fixed_predict(fm, &x, scale_mode);
    case EF_REP_FRIEND:
        return ef_ref_friend(in->age[i], female, in->weight[i], in->height[i], EF_TEST_BIKE);
    case EF_REP_WASSERMAN:
        return ef_ref_wasserman(in->age[i], female, in->weight[i], in->height[i], EF_TEST_BIKE);
    default:
        return ef_ref_jones(in->age[i], female, in->weight[i], in->height[i], EF_TEST_BIKE);
    }
}

/* A replicate run, a bounded piece per ef_replicate_step: the inputs;
 * then for each model its predictions and metrics, its store update's
 * begin and writes, each slice of the commit. */
enum { RS_INPUTS, RS_MODEL, RS_METRICS, RS_BEGIN, RS_COMMIT };

struct ef_replicate_state {
    const ef_replicate_opts *o;
    ef_replicate_summary *sum;
    int phase;
    size_t next;                  /* the model under way */
    ef_fixed_set *set;
    const ef_fixed_model *fm[EF_REP_NMODELS];
    inputs in;
    /* the model under way */
    int64_t *eid;
    double *y, *yhat;
    int8_t *split;
    ef_result r;
    ef_pool *pool;                /* one thread: the bootstrap, while the steps wait */
    ef_pool_group g;
    int mrc;
    ef_error merr;
    ef_store *s;
};

static int load_inputs(ef_replicate_state *st, ef_error *err)
{
    const ef_replicate_opts *o = st->o;
    ef_replicate_summary *sum = st->sum;
    const ef_fixed_model **fm = st->fm;
    inputs *in = &st->in;
    ef_store *s = NULL;
    size_t i;
    int rc = EF_OK, need_emb = 0, need_body = 0, need_coef = 0;

    if (o->nmodels > EF_REP_NMODELS)
        return ef_error_set(err, EF_EINVAL, "at most %d replicate models at once", EF_REP_NMODELS);
    for (i = 0; i < o->nmodels; i++) {
        if (o->models[i] < 0 || o->models[i] >= EF_REP_NMODELS)
            return ef_error_set(err, EF_EINVAL, "unknown replicate model %d", o->models[i]);
        need_emb |= o->models[i] == EF_REP_DEEP;
        need_coef |= o->models[i] == EF_REP_BASIC || o->models[i] == EF_REP_DEEP;
        need_body |= o->models[i] >= EF_REP_FRIEND;
    }
    if (need_coef)
        rc = ef_fixed_load(&st->set, o->coef_path, err);
    for (i = 0; rc == EF_OK && i < o->nmodels; i++) {
        int mo = o->models[i];
        const char *fname = mo == EF_REP_BASIC ? "basic" : "deep_ecg_vo2";

        if (mo != EF_REP_BASIC && mo != EF_REP_DEEP)
            continue;
        fm[mo] = ef_fixed_find(st->set, fname);
        if (!fm[mo])
            rc = ef_error_set_at(err, EF_ENOTFOUND, st->set->path, 0, 0, "no coefficients for model %s", fname);
        else if (mo == EF_REP_BASIC && fm[mo]->nemb)
            rc = ef_error_set_at(err, EF_EDATA, st->set->path, 0, 0, "model basic has embedding terms");
    }
    if (rc == EF_OK)
        rc = ef_store_open_read(&s, o->store_path, err);
    if (rc == EF_OK)
        rc = resolve_in(s, o->registry, o->target ? o->target : "vo2max", &sum->target, err);
    if (rc == EF_OK)
        rc = read_inputs(s, o, sum->target, need_emb, need_body, in, &sum->embeddings, err);
    ef_store_close(s);
    if (rc == EF_OK && need_emb && in->emb_k != fm[EF_REP_DEEP]->nemb)
        rc = ef_error_set_at(err, EF_EDATA, o->store_path, 0, 0,
                             "embeddings '%s' have %zu values per ECG, but the Deep ECG-VO2 coefficients "
                             "(%s) name %zu (pclr_output_0..%zu)", sum->embeddings, in->emb_k, st->set->path,
                             fm[EF_REP_DEEP]->nemb, fm[EF_REP_DEEP]->nemb - 1);
    sum->participants = in->n;
    sum->all = o->all;
    sum->ecg_known = in->has_ecg != NULL;
    for (i = 0; rc == EF_OK && i < in->n; i++)
        sum->cohort += in->in_cohort[i];
    sum->emb_rows = in->emb_n;
    sum->emb_cols = in->emb_k;
    return rc;
}

static void model_free(ef_replicate_state *st)
{
    ef_pool_wait(&st->g);    /* a bootstrap under way */
    ef_store_abort(st->s);   /* stopped between begin and commit */
    st->s = NULL;
    free(st->eid);
    free(st->y);
    free(st->yhat);
    free(st->split);
    st->eid = NULL;
    st->y = st->yhat = NULL;
    st->split = NULL;
}

/* The bootstrap CIs (hundreds of ms on a large cohort): a task. */
static void metrics_task(void *arg)
{
    ef_replicate_state *st = arg;

    ef_error_clear(&st->merr);
    st->mrc = ef_result_metrics(&st->r, st->o->seed, st->o->nboot, &st->merr);
}

/* The predictions of model st->next; its metrics started. */
static int model_compute(ef_replicate_state *st, ef_error *err)
{
    const ef_replicate_opts *o = st->o;
    const inputs *in = &st->in;
    int model = o->models[st->next];
    const ef_fixed_model *fm = st->fm[model];
    ef_replicate_row *row = &st->sum->rows[st->sum->nrows];
    ef_result *r = &st->r;
    size_t i, m = 0;
    double p;

    st->eid = ef_xcalloc(in->n ? in->n : 1, sizeof *st->eid);
    st->y = ef_xcalloc(in->n ? in->n : 1, sizeof *st->y);
    st->yhat = ef_xcalloc(in->n ? in->n : 1, sizeof *st->yhat);
    st->split = ef_xcalloc(in->n ? in->n : 1, sizeof *st->split);
    memset(row, 0, sizeof *row);
    row->model = model;
    for (i = 0; i < in->n; i++) {
        if (!in->in_cohort[i])
            continue;
        p = predict_one(model, fm, in, i, o->scale_mode);
        if (isnan(p)) {
            row->missing_inputs++;
            continue;
        }
        st->eid[m] = in->eid[i];
        st->y[m] = in->y[i];
        st->yhat[m] = p;
        /* no training rows: everything with a target is held out */
        st->split[m] = isnan(in->y[i]) ? EF_SPLIT_OTHER : EF_SPLIT_TEST;
        row->with_target += !isnan(in->y[i]);
        m++;
    }
    row->predicted = m;
    memset(r, 0, sizeof *r);
    r->key.target = st->sum->target;
    r->key.features = "fixed";
    r->key.model = ef_rep_model_result_name(model);
    r->n = m;
    r->eid = st->eid;
    r->y = st->y;
    r->yhat = st->yhat;
    r->split = st->split;
    (void)err;
    if (!st->pool)
        st->pool = ef_pool_new(1);
    ef_pool_group_init(&st->g, st->pool, NULL);
    ef_pool_submit(&st->g, metrics_task, st);
    return EF_OK;
}

ef_replicate_state *ef_replicate_start(const ef_replicate_opts *o, ef_replicate_summary *sum)
{
    ef_replicate_state *st = ef_xcalloc(1, sizeof *st);

    memset(sum, 0, sizeof *sum);
    st->o = o;
    st->sum = sum;
    return st;
}

int ef_replicate_step(ef_replicate_state *st, ef_error *err)
{
    ef_replicate_row *row = &st->sum->rows[st->sum->nrows];
    int rc;

    switch (st->phase) {
    case RS_INPUTS:
        rc = load_inputs(st, err);
        st->phase = RS_MODEL;
        break;
    case RS_MODEL:
        if (st->next >= st->o->nmodels)
            return EF_OK;
        rc = model_compute(st, err);
        st->phase = RS_METRICS;
        break;
    case RS_METRICS:   /* the steps wait 20 ms at a time */
        if (!ef_pool_wait_ms(&st->g, 20))
            return EF_CONTINUE;
        rc = st->mrc;
        if (rc != EF_OK && err)
            *err = st->merr;
        st->phase = RS_BEGIN;
        break;
    case RS_BEGIN:
        rc = ef_store_begin(&st->s, st->o->store_path, err);
        if (rc == EF_OK)
            rc = ef_result_write(st->s, &st->r, "replicate", st->o->options, err);
        st->phase = RS_COMMIT;
        break;
    default:   /* RS_COMMIT */
        rc = ef_store_commit_step(st->s, err);
        if (rc == EF_CONTINUE)
            return rc;
        st->s = NULL;   /* committed, or aborted and freed */
        if (rc == EF_OK && st->r.has_metrics[EF_SPLIT_TEST]) {
            row->has_metrics = 1;
            row->m = st->r.metrics[EF_SPLIT_TEST];
        }
        if (rc == EF_OK) {
            st->sum->nrows++;
            st->next++;
        }
        model_free(st);
        st->phase = RS_MODEL;
        break;
    }
    if (rc != EF_OK)
        return rc;
    return st->phase == RS_MODEL && st->next >= st->o->nmodels ? EF_OK : EF_CONTINUE;
}

void ef_replicate_progress(const ef_replicate_state *st, size_t *done, size_t *total)
{
    *done = st ? st->next : 0;
    *total = st ? st->o->nmodels : 0;
}

void ef_replicate_state_free(ef_replicate_state *st)
{
    if (!st)
        return;
    model_free(st);
    ef_pool_free(st->pool);
    inputs_free(&st->in);
    ef_fixed_free(st->set);
    free(st);
}

int ef_replicate_run(const ef_replicate_opts *o, ef_replicate_summary *sum, ef_error *err)
{
    ef_replicate_state *st = ef_replicate_start(o, sum);
    int rc;

    while ((rc = ef_replicate_step(st, err)) == EF_CONTINUE)
        ;
    ef_replicate_state_free(st);
    return rc;
}

