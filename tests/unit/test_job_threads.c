/* test_job_threads.c — every stage's job driven the way the terminal
 * application drives it: stepped on a worker thread while another thread
 * polls its progress and cancels it at a random point.  The store must then
 * open, and a rerun must finish with the results of an uninterrupted run.
 * Built and run under ThreadSanitizer in CI (configure --enable-tsan).
 * ECGFIT_TEST_SEED picks the cancel points (printed for a rerun). */
#include "config.h"
#include "tap.h"
#include "cmd/ef_cmd.h"
#include "core/ef_job.h"
#include "nn/ef_keras_write.h"
#include "pipeline/ef_labels.h"
#include "pipeline/ef_results.h"
#include "pipeline/ef_train_stage.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct run {
    ef_job *job;
    int rc;
    ef_error err;
    atomic_int done;
} run;

static void *worker(void *arg)
{
    run *r = arg;

    while ((r->rc = ef_job_step(r->job, 20, &r->err)) == EF_CONTINUE)
        ;
    atomic_store(&r->done, 1);
    return NULL;
}

static int bad_progress;

/* Step job on a worker thread; poll its progress from this one and cancel
 * it after cancel_after polls (-1: never). */
static int drive(ef_job *job, long cancel_after, ef_error *err)
{
    struct timespec ms = { 0, 1000000 };
    pthread_t t;
    run r;
    long polls = 0;

    memset(&r, 0, sizeof r);
    r.job = job;
    atomic_init(&r.done, 0);
    pthread_create(&t, NULL, worker, &r);
    while (!atomic_load(&r.done)) {
        ef_progress p;

        ef_job_progress(job, &p);
        if (!p.stage[0] || p.fraction > 1 || (p.fraction < 0 && p.fraction != -1) ||
            (p.total && p.done > p.total))
            bad_progress++;
        if (polls++ == cancel_after)
            ef_job_cancel(job);
        nanosleep(&ms, NULL);
    }
    pthread_join(t, NULL);
    if (err)
        *err = r.err;
    return r.rc;
}

/* A command of the table, driven like the TUI would: make, drive, finish. */
static int command(const char *project, long cancel_after, ef_error *err, ...)
{
    char *argv[32];
    va_list ap;
    int argc = 0, subject, rc;
    const ef_cmd *cmd;
    ef_cmd_args a;
    ef_cmd_ctx ctx;
    ef_job *job = NULL;

    va_start(ap, err);
    while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
        argc++;
    va_end(ap);
    ef_error_clear(err);
    rc = ef_cmd_lookup(argc, argv, &cmd, &subject, err);
    if (rc == EF_OK && cmd)
        rc = ef_cmd_parse(cmd, argc - 1, argv + 1, &a, err);
    else if (rc == EF_OK)
        rc = EF_ENOTFOUND;
    if (rc != EF_OK)
        return rc;
    memset(&ctx, 0, sizeof ctx);
    ctx.project_dir = project;
    ctx.quiet = 1;
    ctx.jobs = 2;
    rc = cmd->make(&ctx, &a, &job, err);
    if (rc == EF_OK && job)
        rc = drive(job, cancel_after, err);
    if (cmd->finish && job)
        rc = cmd->finish(&ctx, &a, job, rc, err);
    ef_job_free(job);
    ef_cmd_args_fini(&a);
    return rc;
}

static ef_registry *reg;

static int labels(const char *dir, long cancel_after, ef_error *err)
{
    char csv[600], ecg[600], store[600];
    ef_labels_opts o;
    ef_job *job = NULL;
    int rc;

    snprintf(csv, sizeof csv, "%s/ukb_main.csv", dir);
    snprintf(ecg, sizeof ecg, "%s/ecg", dir);
    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    ef_labels_opts_default(&o);
    o.main_csv = csv;
    o.ecg_dir = ecg;
    o.store_path = store;
    o.registry = reg;
    o.threads = 2;
    rc = ef_labels_job_new(&job, &o, err);
    if (rc == EF_OK)
        rc = drive(job, cancel_after, err);
    ef_job_free(job);
    return rc;
}

static int train(const char *dir, long cancel_after, ef_error *err)
{
    static const char *const targets[] = { "vo2max" }, *const feats[] = { "basic" };
    static const int models[] = { EF_MODEL_LASSO, EF_MODEL_XGB };
    char store[600];
    ef_train_opts o;
    ef_job *job = NULL;
    int rc;

    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    ef_train_opts_default(&o);
    o.store_path = store;
    o.targets = targets;
    o.ntargets = 1;
    o.features = feats;
    o.nfeatures = 1;
    o.models = models;
    o.nmodels = 2;
    o.threads = 2;
    o.nboot = 50;
    o.folds = 3;   /* fewer boosters: the test runs under ThreadSanitizer in CI */
    rc = ef_train_job_new(&job, &o, err);
    if (rc == EF_OK)
        rc = drive(job, cancel_after, err);
    ef_job_free(job);
    return rc;
}

/* A checksum of a dataset (f64 or f32 2-D), NAN if it cannot be read. */
static double checksum(const char *dir, const char *obj, int f32)
{
    char store[600];
    ef_store *s;
    double sum = NAN;

    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    if (ef_store_open_read(&s, store, NULL) != EF_OK)
        return NAN;
    if (f32) {
        uint64_t dims[3] = { 0, 1, 1 };
        size_t n;
        int rank = 0;
        float *v;

        if (ef_store_shape(s, obj, &rank, dims, 3, NULL) == EF_OK) {
            n = (size_t)(dims[0] * (rank > 1 ? dims[1] : 1) * (rank > 2 ? dims[2] : 1));
            v = malloc((n ? n : 1) * sizeof *v);
            if (ef_store_read_f32_rows(s, obj, 0, dims[0], v, NULL) == EF_OK) {
                sum = 0;
                for (size_t i = 0; i < n; i++)
                    sum += v[i] * (double)((i % 97) + 1);
            }
            free(v);
        }
    } else {
        double *v = NULL;
        size_t n = 0;

        if (ef_store_read_f64(s, obj, &v, &n, NULL) == EF_OK) {
            sum = 0;
            for (size_t i = 0; i < n; i++)
                sum += isnan(v[i]) ? 0.5 : v[i] * (double)((i % 89) + 1);
        }
        free(v);
    }
    ef_store_close(s);
    return sum;
}

static double test_r_of(const char *dir, const char *features, const char *model)
{
    char store[600];
    ef_result_key k = { "vo2max", features, model };
    ef_metrics m;

    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    return ef_result_read_metrics(store, &k, EF_SPLIT_TEST, &m, NULL) == EF_OK ? m.r : NAN;
}

static double test_r(const char *dir, const char *model)
{
    return test_r_of(dir, "basic", model);
}

static int opens(const char *dir)
{
    char store[600];
    ef_store *s;

    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    if (ef_store_open_read(&s, store, NULL) != EF_OK)
        return 0;
    ef_store_close(s);
    return 1;
}

int main(void)
{
    const char *env = getenv("ECGFIT_TEST_SEED");
    unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    char ref[600], cut[600], enc[700];
    const char *dirs[2];
    ef_kw_model km;
    ef_error err;
    int rc, i;

    diag("cancel points from ECGFIT_TEST_SEED=%u", seed);
    srand(seed);
    snprintf(ref, sizeof ref, "%s/ref", tap_tmpdir());
    snprintf(cut, sizeof cut, "%s/cut", tap_tmpdir());
    snprintf(enc, sizeof enc, "%s/enc.h5", tap_tmpdir());
    dirs[0] = ref;
    dirs[1] = cut;
    if (ef_registry_load(&reg, NULL, &err) != EF_OK) {
        ok(0, "registry: %s", err.msg);
        return done_testing();
    }
    rc = ef_pclr_build(0.125, 4096, 7, &km, &err);
    if (rc == EF_OK)
        rc = ef_keras_write(enc, &km, 0, &err);
    ef_kw_model_free(&km);
    is_int(rc, EF_OK, "a small encoder (%s)", err.msg);

    /* dirs[0]: every stage uninterrupted; dirs[1]: each cancelled, then rerun */
    for (i = 0; i < 2; i++) {
        long c = i ? rand() % 40 : -1;

        rc = command(dirs[i], c, &err, "synth", dirs[i], "--n", "60", "--seed", "5", "--vo2-rate", "1", "--jobs", "2",
                     (char *)NULL);
        if (i) {
            ok(rc == EF_OK || rc == EF_ECANCELED, "synth cancelled after %ld polls: %s", c, err.msg);
            rc = command(dirs[i], -1, &err, "synth", dirs[i], "--n", "60", "--seed", "5", "--vo2-rate", "1", "--jobs",
                         "2", (char *)NULL);
        }
        is_int(rc, EF_OK, "synth %s (%s)", i ? "rerun" : "reference", err.msg);

        c = i ? rand() % 10 : -1;
        rc = labels(dirs[i], c, &err);
        if (i) {
            ok(rc == EF_OK || rc == EF_ECANCELED, "labels cancelled after %ld polls: %s", c, err.msg);
            rc = labels(dirs[i], -1, &err);
        }
        is_int(rc, EF_OK, "labels %s (%s)", i ? "rerun" : "reference", err.msg);

        c = i ? rand() % 30 : -1;
        rc = command(dirs[i], c, &err, "preprocess", "--jobs", "2", (char *)NULL);
        if (i) {
            ok(rc == EF_OK || rc == EF_ECANCELED, "preprocess cancelled after %ld polls: %s", c, err.msg);
            ok(!rc || opens(dirs[i]) || !opens(dirs[0]), "store opens after a cancelled preprocess");
            rc = command(dirs[i], -1, &err, "preprocess", "--jobs", "2", (char *)NULL);
        }
        is_int(rc, EF_OK, "preprocess %s (%s)", i ? "rerun" : "reference", err.msg);

        c = i ? rand() % 30 : -1;
        rc = command(dirs[i], c, &err, "embed", "--encoder", enc, "--name", "e", "--batch", "4", "--jobs", "2",
                     (char *)NULL);
        if (i) {
            ok(rc == EF_OK || rc == EF_ECANCELED, "embed cancelled after %ld polls: %s", c, err.msg);
            ok(opens(dirs[i]), "store opens after a cancelled embed");
            rc = command(dirs[i], -1, &err, "embed", "--encoder", enc, "--name", "e", "--batch", "4", "--jobs", "2",
                         (char *)NULL);
        }
        is_int(rc, EF_OK, "embed %s (%s)", i ? "rerun" : "reference", err.msg);

        c = i ? rand() % 200 : -1;
        rc = train(dirs[i], c, &err);
        if (i) {
            ok(rc == EF_OK || rc == EF_ECANCELED, "train cancelled after %ld polls: %s", c, err.msg);
            ok(opens(dirs[i]), "store opens after a cancelled train");
            rc = train(dirs[i], -1, &err);
        }
        is_int(rc, EF_OK, "train %s (%s)", i ? "rerun" : "reference", err.msg);

        c = i ? rand() % 20 : -1;
        rc = command(dirs[i], c, &err, "replicate", "--model", "basic,friend", (char *)NULL);
        if (i) {
            ok(rc == EF_OK || rc == EF_ECANCELED, "replicate cancelled after %ld polls: %s", c, err.msg);
            ok(opens(dirs[i]), "store opens after a cancelled replicate");
            rc = command(dirs[i], -1, &err, "replicate", "--model", "basic,friend", (char *)NULL);
        }
        is_int(rc, EF_OK, "replicate %s (%s)", i ? "rerun" : "reference", err.msg);
    }
    is_rel(checksum(cut, "/participants/vo2max", 0), checksum(ref, "/participants/vo2max", 0), 0,
           "labels: the same /participants/vo2max");
    is_rel(checksum(cut, "/ecg/signal", 1), checksum(ref, "/ecg/signal", 1), 0, "preprocess: the same /ecg/signal");
    is_rel(checksum(cut, "/embeddings/e/values", 1), checksum(ref, "/embeddings/e/values", 1), 0,
           "embed: the same embeddings");
    is_rel(test_r(cut, "lasso"), test_r(ref, "lasso"), 0, "train: the same lasso test r");
    is_rel(test_r(cut, "xgboost"), test_r(ref, "xgboost"), 0, "train: the same xgboost test r");
    is_rel(test_r_of(cut, "fixed", "khurshid-basic"), test_r_of(ref, "fixed", "khurshid-basic"), 0,
           "replicate: the same khurshid-basic test r");
    ok(!isnan(test_r_of(ref, "fixed", "khurshid-basic")), "replicate: a khurshid-basic result is stored");
    is_int(bad_progress, 0, "every progress snapshot was consistent");
    ef_registry_free(reg);
    return done_testing();
}
