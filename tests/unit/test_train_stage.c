/* test_train_stage.c — feature sets and designs on a hand-made store (row
 * order, drops, cohorts, bad values), the train job end to end (store
 * layout, split, metrics recomputed), predict with matching and with
 * different columns, the results layer (keys, parse, load), cancel. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_job.h"
#include "model/ef_split.h"
#include "pipeline/ef_features.h"
#include "pipeline/ef_results.h"
#include "pipeline/ef_train_stage.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 120
#define EMB 6

static char store[1100], dir[1024];

/* A small cohort: y depends on age, bmi, sex and the first embedding value.
 * Row 3 has no ECG file, row 5 no target, row 7 no BMI; rows >= N - 10 have
 * no embedding. */
static int make_store(size_t emb_dim, int inf_row)
{
    ef_store *s;
    ef_error err;
    int64_t eid[N], ecg_eid[N];
    double age[N], sex[N], bmi[N], y[N], has[N], flat[N], vr[N], bmi2[N];
    float *emb = ef_xmalloc(N * emb_dim * sizeof *emb);
    size_t i, k, ne = 0;
    int rc;

    for (i = 0; i < N; i++) {
        double u = sin((double)i * 12.9898) * 43758.5453;

        u -= floor(u);
        eid[i] = 1000000 + (int64_t)((i * 7919) % 100000);
        age[i] = 45 + (double)(i % 23);
        sex[i] = (double)(i % 2);
        bmi[i] = 20 + (double)((i * 37) % 15) + 0.1 * u;
        bmi2[i] = bmi[i];
        has[i] = i == 3 ? 0 : 1;
        flat[i] = 1.5;
        vr[i] = 55 + (double)((i * 13) % 30);
        y[i] = 60 - 0.4 * age[i] - 0.5 * bmi[i] + 4 * sex[i] + 3 * u;
        if (i < N - 10) {
            ecg_eid[ne] = eid[i];
            for (k = 0; k < emb_dim; k++)
                emb[ne * emb_dim + k] = (float)(k == 0 ? u : sin((double)(i * (k + 3))));
            ne++;
        }
    }
    y[5] = NAN;
    bmi[7] = NAN;
    if (inf_row >= 0)
        bmi[inf_row] = INFINITY;
    ef_error_clear(&err);
    remove(store);
    rc = ef_store_begin(&s, store, &err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/participants/eid", eid, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/sex", sex, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/age", age, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/bmi", bmi, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/bmi_copy", bmi2, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/flat", flat, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/vo2max", y, N, &err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/participants/vo2max", "field", "30038", &err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/participants/vo2max", "rule", "i1", &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/has_ecg", has, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/embeddings/enc/eid", ecg_eid, ne, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f32_2d(s, "/embeddings/enc/values", emb, ne, emb_dim, &err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/ecg/eid", eid, N, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/ecg/measurements/vent_rate", vr, N, &err);
    if (rc == EF_OK)
        rc = ef_store_commit(s, &err);
    else
        ef_store_abort(s);
    free(emb);
    if (rc != EF_OK)
        diag("make_store: %s", err.msg);
    return rc;
}

/* Replace the embedding values by ones of another size (models stay). */
static int resize_embeddings(size_t dim)
{
    ef_store *s;
    ef_error err;
    float *v = ef_xcalloc((N - 10) * dim, sizeof *v);
    size_t i;
    int rc;

    for (i = 0; i < (N - 10) * dim; i++)
        v[i] = (float)sin((double)i);
    rc = ef_store_begin(&s, store, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f32_2d(s, "/embeddings/enc/values", v, N - 10, dim, &err);
    if (rc == EF_OK)
        rc = ef_store_commit(s, &err);
    else
        ef_store_abort(s);
    free(v);
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static int run_job(ef_job *job, ef_error *err)
{
    int rc;

    while ((rc = ef_job_step(job, 50, err)) == EF_CONTINUE)
        ;
    return rc;
}

static void test_features(void)
{
    ef_fdata *d = NULL;
    ef_error err;
    ef_design x;
    char **names = NULL, set[EF_FSET_NAME_MAX], path[1100];
    size_t p = 0, col, i;
    int rc;

    ef_error_clear(&err);
    rc = ef_fdata_load(store, NULL, 1, &d, &err);
    is_int(rc, EF_OK, "fdata load (%s)", err.msg);
    if (rc != EF_OK)
        return;
    is_str(d->emb_name, "enc", "the only embeddings are chosen");
    is_int((long long)d->emb_dim, EMB, "embedding size");
    is_int((long long)d->nmeas, 1, "one device measurement");
    ok(ef_fdata_target(d, "vo2max", &col, &err) == EF_OK, "target by key");
    ok(ef_fdata_target(d, "30038-1.0", &i, &err) == EF_OK && i == col, "target by UKB id 30038-1.0");
    ok(ef_fdata_target(d, "p30038_i1", &i, &err) == EF_OK && i == col, "target by UKB id p30038_i1");
    is_int(ef_fdata_target(d, "grip_left", &i, &err), EF_ENOTFOUND, "absent target");
    like(err.msg, "labels --fields grip_left", "says to run labels --fields");
    is_int(ef_fdata_target(d, "30038-0.0", &i, &err), EF_ENOTFOUND, "other instance is absent");

    is_int(ef_features_expand(d, "basic", &names, &p, set, &err), EF_OK, "basic");
    ok(p == 3 && !strcmp(names[0], "age") && !strcmp(names[2], "bmi"), "basic = age, sex, bmi");
    rc = ef_design_build(d, col, names, p, EF_ROWS_SEED, &x, &err);
    is_int(rc, EF_OK, "design basic (%s)", err.msg);
    if (rc == EF_OK) {
        /* seed cohort: no ECG (3) and no embedding (last 10) are out; 5, 7 dropped */
        is_int((long long)x.n_cohort, N - 12, "seed cohort: ECG file, age/sex/BMI, embedding");
        is_int((long long)x.n_dropped, 1, "a missing target dropped and counted (bmi-less row is not in the cohort)");
        is_int((long long)x.n, N - 13, "usable rows");
        ok(x.row[0] == 0 && x.row[3] == 4 && x.row[4] == 6, "rows keep participant order");
        ok(x.n_other >= 10, "participants outside the cohort with the features are predicted (%zu)", x.n_other);
        {
            /* the seed's order: the CSV's, or eid order for an averaged target */
            size_t *ord = ef_xmalloc(x.n * sizeof *ord), k, ident = 1, sorted = 1, seen = 0;
            char *keep = d->rule[col];

            ef_design_seed_order(d, col, &x, ord);
            for (k = 0; k < x.n; k++)
                ident &= ord[k] == k;
            ok(ident, "vo2max (rule %s): the seed's order is the participant order", keep);
            d->rule[col] = (char *)"i2.mean";
            ef_design_seed_order(d, col, &x, ord);
            d->rule[col] = keep;
            for (k = 0; k < x.n; k++) {
                seen += ord[k];
                if (k)
                    sorted &= d->eid[x.row[ord[k - 1]]] < d->eid[x.row[ord[k]]];
            }
            ok(sorted && seen == x.n * (x.n - 1) / 2, "an iK.mean target: design rows by ascending eid");
            free(ord);
        }
        ef_design_fini(&x);
    }
    ok(ef_seed_order_by_eid("i2.mean") && ef_seed_order_by_eid("i10.mean") && !ef_seed_order_by_eid("i2") &&
           !ef_seed_order_by_eid("i2.a1") && !ef_seed_order_by_eid("priority.mean") && !ef_seed_order_by_eid("") &&
           !ef_seed_order_by_eid(NULL),
       "eid order for a mean of readings (iK.mean) only");
    rc = ef_design_build(d, col, names, p, EF_ROWS_COMPLETE, &x, &err);
    if (rc == EF_OK) {
        is_int((long long)x.n, N - 2, "--rows complete: every row with target and features");
        ef_design_fini(&x);
    }
    ef_features_free_names(names, p);
    ok(ef_features_expand(d, "full", &names, &p, set, &err) == EF_OK && p == 3 + EMB &&
           !strcmp(names[3], "emb:0") && !strcmp(names[p - 1], "emb:5"),
       "full = basic + emb:0..emb:5");
    ef_features_free_names(names, p);
    ok(ef_features_expand(d, "basic+ecg-params", &names, &p, set, &err) == EF_OK && p == 4 &&
           !strcmp(names[3], "ecg:vent_rate") && !strcmp(set, "basic+ecg-params"),
       "basic+ecg-params");
    ef_features_free_names(names, p);

    snprintf(path, sizeof path, "%s/mine.txt", dir);
    write_file(path, "# my features\nage\n\nemb:2   # a comment\necg:vent_rate\n30038-1.0x\n");
    is_int(ef_features_expand(d, path, &names, &p, set, &err), EF_ENOTFOUND, "a file naming an absent column");
    is_int(err.line, 6, "error at the file's line");
    like(err.msg, "30038-1.0x", "names the column");
    write_file(path, "age\nemb:2\nage\n");
    is_int(ef_features_expand(d, path, &names, &p, set, &err), EF_EINVAL, "a column listed twice");
    write_file(path, "age\nemb:9\n");
    is_int(ef_features_expand(d, path, &names, &p, set, &err), EF_ENOTFOUND, "emb:9 of 6 values");
    like(err.msg, "6 values", "says how many values the embeddings have");
    write_file(path, "age\nemb:2\necg:vent_rate\n");
    ok(ef_features_expand(d, path, &names, &p, set, &err) == EF_OK && p == 3 && !strcmp(set, "mine"),
       "file set named after the file");
    ef_features_free_names(names, p);

    /* constant feature, constant target, target as a feature */
    {
        char a1[] = "age", a2[] = "flat", a3[] = "vo2max";
        char *fl[2] = { a1, a2 }, *tf[2] = { a1, a3 };
        size_t fc;

        is_int(ef_design_build(d, col, fl, 2, EF_ROWS_SEED, &x, &err), EF_OK,
               "a constant feature is kept (scaled to 0 as sklearn)");
        ef_design_fini(&x);
        is_int(ef_design_build(d, col, tf, 2, EF_ROWS_SEED, &x, &err), EF_EDATA, "the target as a feature");
        ef_fdata_target(d, "flat", &fc, &err);
        fl[0] = a1;
        is_int(ef_design_build(d, fc, fl, 1, EF_ROWS_SEED, &x, &err), EF_EDATA, "a constant target");
        like(err.msg, "target flat is constant", "names it");
    }
    ef_fdata_free(d);

    make_store(EMB, 11);
    ef_fdata_load(store, NULL, 1, &d, &err);
    if (d) {
        ef_features_expand(d, "basic", &names, &p, set, &err);
        is_int(ef_design_build(d, col, names, p, EF_ROWS_SEED, &x, &err), EF_EDATA, "inf in the store is an error");
        like(err.msg, "feature bmi is infinite for eid", "names the feature and the participant");
        ef_features_free_names(names, p);
        ef_fdata_free(d);
    }
    make_store(EMB, -1);
    is_int(ef_fdata_load(store, "nope", 1, &d, &err), EF_ENOTFOUND, "unknown --embeddings");
}

static void test_train(void)
{
    ef_train_opts o;
    ef_job *job = NULL;
    ef_error err;
    const char *targets[1] = { "30038-1.0" }, *feats[2] = { "basic", "full" };
    int models[1] = { EF_MODEL_LASSO };
    ef_result_key *keys = NULL, k = { "vo2max", "basic", "lasso" };
    ef_result_data rd;
    size_t nk = 0, i, n_te = 0, n_tr = 0, npred = 0;
    int rc;

    ef_error_clear(&err);
    ef_train_opts_default(&o);
    o.store_path = store;
    o.targets = targets;
    o.ntargets = 1;
    o.features = feats;
    o.nfeatures = 2;
    o.models = models;
    o.nmodels = 1;
    o.threads = 2;
    o.nboot = 50;
    rc = ef_train_job_new(&job, &o, &err);
    is_int(rc, EF_OK, "train job (%s)", err.msg);
    if (rc != EF_OK)
        return;
    rc = run_job(job, &err);
    is_int(rc, EF_OK, "train runs (%s)", err.msg);
    {
        const ef_train_summary *s = ef_train_job_summary(job);

        is_int((long long)s->nrows, 2, "two results");
        if (s->nrows == 2) {
            is_str(s->rows[0].target, "vo2max", "target stored under its column name");
            is_int((long long)s->rows[0].n_test, (long long)ef_split_n_test(N - 13, 0.2), "test size");
            ok(s->rows[0].m[1].r > 0.5, "a fit that predicts (test r %.3f)", s->rows[0].m[1].r);
            ok(strncmp(s->rows[0].best, "alpha=", 6) == 0, "chosen alpha (%s)", s->rows[0].best);
        }
    }
    ef_job_free(job);

    is_int(ef_result_keys(store, &keys, &nk, &err), EF_OK, "result keys");
    ok(nk == 2 && !strcmp(keys[0].features, "basic") && !strcmp(keys[1].features, "full"), "sorted keys");
    ef_result_keys_free(keys, nk);

    rc = ef_result_load(store, &k, &rd, &err);
    is_int(rc, EF_OK, "result load (%s)", err.msg);
    if (rc == EF_OK) {
        double *y = ef_xmalloc(rd.r.n * sizeof *y), *yh = ef_xmalloc(rd.r.n * sizeof *yh);
        ef_metrics m;
        size_t m_n = 0;

        for (i = 0; i < rd.r.n; i++) {
            n_te += rd.split[i] == EF_SPLIT_TEST;
            n_tr += rd.split[i] == EF_SPLIT_TRAIN;
            if (rd.split[i] == EF_SPLIT_TEST) {
                y[m_n] = rd.y[i];
                yh[m_n++] = rd.yhat[i];
            }
        }
        is_int((long long)n_te, (long long)ef_split_n_test(N - 13, 0.2), "stored test rows");
        is_int((long long)(n_tr + n_te), N - 13, "stored train + test rows");
        ok(rd.r.n > N - 13, "other participants predicted too (%zu rows)", rd.r.n);
        ef_metrics_compute(y, yh, m_n, 42, 50, &m, &err);
        is_rel(rd.r.metrics[1].r2, m.r2, 1e-15, "stored test R2 = recomputed");
        is_rel(rd.r.metrics[1].mae_hi, m.mae_hi, 1e-15, "stored bootstrap MAE limit = recomputed");
        free(y);
        free(yh);
        ef_result_data_fini(&rd);
    }
    {
        ef_stored_model sm;

        rc = ef_model_load(store, &k, &sm, &err);
        is_int(rc, EF_OK, "model load (%s)", err.msg);
        if (rc == EF_OK) {
            ok(sm.fit->p == 3 && !strcmp(sm.names[1], "sex") && sm.fit->coef, "stored names and coefficients");
            is_int((long long)sm.n_test, (long long)n_te, "stored test eids");
            ef_stored_model_fini(&sm);
        }
    }

    /* predict: same columns, then embeddings of another size */
    k.features = "full";
    rc = ef_predict_stored(store, &k, 10, &npred, &err);
    is_int(rc, EF_OK, "predict with a stored model (%s)", err.msg);
    is_int(resize_embeddings(EMB - 1), EF_OK, "embeddings now have %d values", EMB - 1);
    rc = ef_predict_stored(store, &k, 10, &npred, &err);
    is_int(rc, EF_EDATA, "predict on embeddings of another size");
    like(err.msg, "different columns", "says the data has different columns");

    /* fewer rows than folds */
    o.folds = 200;
    o.nfeatures = 1;
    rc = ef_train_job_new(&job, &o, &err);
    if (rc == EF_OK)
        rc = run_job(job, &err);
    is_int(rc, EF_EDATA, "fewer rows than folds");
    like(err.msg, "too few for 200-fold", "says so (%s)", err.msg);
    ef_job_free(job);
    job = NULL;

    /* a singular design: two identical columns */
    {
        char path[1100];
        const char *fs[1] = { path };

        snprintf(path, sizeof path, "%s/dup.txt", dir);
        write_file(path, "age\nsex\nbmi\nbmi_copy\n");
        o.folds = 5;
        o.features = fs;
        rc = ef_train_job_new(&job, &o, &err);
        if (rc == EF_OK)
            rc = run_job(job, &err);
        is_int(rc, EF_OK, "a singular design fits (%s)", err.msg);
        if (job) {
            const ef_train_summary *s = ef_train_job_summary(job);

            ok(s->nrows == 1 && strstr(s->rows[0].warning, "bmi and bmi_copy are identical"),
               "and is reported (%s)", s->nrows ? s->rows[0].warning : "");
        }
        ef_job_free(job);
        job = NULL;
    }

    /* cancel while a fit runs */
    o.features = feats;
    o.folds = 10;
    models[0] = EF_MODEL_ENET;
    rc = ef_train_job_new(&job, &o, &err);
    if (rc == EF_OK) {
        rc = ef_job_step(job, 0, &err);
        ef_job_cancel(job);
        rc = run_job(job, &err);
        is_int(rc, EF_ECANCELED, "cancel");
        ef_job_free(job);
    }
    targets[0] = "grip_left";
    is_int(ef_train_job_new(&job, &o, &err), EF_ENOTFOUND, "a target not in the store");
}

static void test_keys(void)
{
    ef_result_key k;
    ef_error err;
    char buf[64];

    ok(ef_result_key_parse("vo2max/basic/lasso", &k, buf, sizeof buf, &err) == EF_OK &&
           !strcmp(k.features, "basic") && !strcmp(k.model, "lasso"),
       "key parse");
    is_int(ef_result_key_parse("vo2max/basic", &k, buf, sizeof buf, &err), EF_EINVAL, "two parts");
    is_int(ef_result_key_parse("a/b/c/d", &k, buf, sizeof buf, &err), EF_EINVAL, "four parts");
    is_str(ef_split_name(EF_SPLIT_OTHER), "other", "split names");
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", tap_tmpdir());
    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    if (make_store(EMB, -1) != EF_OK) {
        ok(0, "make a store");
        return done_testing();
    }
    test_keys();
    test_features();
    test_train();
    return done_testing();
}
