/* cmd_demo.c — `ecgfit demo [DIR]`: the whole study on a synthetic cohort in
 * one command.  It is the other entries run in sequence (ef_cmd_seq): synth,
 * encoder new, labels, preprocess, embed, train, table1 (when this build has
 * it), report; each resumes or is skipped as the command alone would, so a
 * second run on the same folder reuses everything and only reports.  The
 * store is marked synthetic (EF_STORE_ATTR_SYNTHETIC_*) for the front ends. */
#include "config.h"
#include "cmd/ef_cmd_seq.h"
#include "cmd/ef_cmds.h"
#include "nn/ef_nn.h"
#include "pipeline/ef_embed_stage.h"
#include "pipeline/ef_preprocess_stage.h"
#include "synth/ef_synth_stage.h"
#include "store/ef_project.h"
#include "store/ef_store.h"
#include "synth/ef_synth.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEMO_DIR "ecgfit-demo"
#define DEMO_N 1000
#define DEMO_ENCODER "pclr-demo.h5"
#define DEMO_TARGET "vo2max"
/* Half of the imaging-visit participants get a VO2max (UKB: 11%), so that
 * the models of a 1,000-person cohort have a few hundred rows. */
#define DEMO_VO2_RATE "0.5"

static const char *const demo_features[] = { "basic", "full" };
static const char *const demo_models[] = { "lasso", "xgboost" };

/* train's cross-validation folds: 10 in train, 5 here.  The demo's one
 * departure from the defaults: the XGBoost grid on the full features is
 * most of the demo's time, and halving its fits keeps the whole demo to
 * about half a minute of two cores. */
#define DEMO_FOLDS 5

static const ef_opt_spec opts[] = {
    { "no-tui", 0, EF_OPT_FLAG, NULL, "print the report and exit, also on a terminal", 0, 0, NULL, 0 },
    { "folds", 0, EF_OPT_INT, "K",
      "cross-validation folds of train (default 5, which halves\nthe demo's time; train's own default, the study's, is 10)", 2,
      100, NULL, 0 },
    /* for the tests: a small cohort runs the same stages in seconds */
    { "n", 0, EF_OPT_INT, "N", "participants (default 1000)", 100, EF_SYNTH_MAX_N, NULL, EF_OPT_HIDDEN },
};

/* The stages, in order; table1 only when the command table has it. */
enum { ST_SYNTH, ST_ENCODER, ST_LABELS, ST_PREPROCESS, ST_EMBED, ST_TRAIN, ST_TABLE1, ST_REPORT, ST_N };

typedef struct demo {
    const char *dir;          /* argv's or static */
    char *store_path, *encoder_path;
    long n, folds;
    size_t at[ST_N];          /* stage index in the sequence; (size_t)-1: not run */
} demo;

static void demo_free(void *v)
{
    demo *d = v;

    free(d->store_path);
    free(d->encoder_path);
    free(d);
}

/* ---- what DIR may be ------------------------------------------------------------- */

static int dir_is_empty(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    int empty = 1;

    if (!dp)
        return 0;
    while (empty && (de = readdir(dp)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            empty = 0;
    closedir(dp);
    return empty;
}

static int path_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

static int file_exists(const char *dir, const char *name)
{
    char *p = ef_xasprintf("%s/%s", dir, name);
    int yes = path_exists(p);

    free(p);
    return yes;
}

/* DIR is new, empty, or a folder a demo (or synth) made; anything else is
 * left alone: the demo would write a cohort into someone's files. */
static int check_dir(const char *dir, ef_error *err)
{
    struct stat st;

    if (stat(dir, &st) != 0)
        return errno == ENOENT ? EF_OK
                               : ef_cmd_usage(err, "%s: cannot use this folder: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return ef_cmd_usage(err, "%s exists and is not a folder; give a new folder for the demo (default %s)", dir,
                            DEMO_DIR);
    if (dir_is_empty(dir) || file_exists(dir, ".ecgfit-synth"))
        return EF_OK;
    if (file_exists(dir, EF_PROJECT_CONFIG))
        return ef_cmd_usage(err, "%s is an ecgfit project that `ecgfit demo` did not make; the demo writes a synthetic "
                                 "cohort and would mix it into it: give a new folder", dir);
    return ef_cmd_usage(err, "%s is not empty and holds no ecgfit demo; give a new (or empty) folder, e.g. "
                             "`ecgfit demo %s`", dir, DEMO_DIR);
}

/* ---- the hooks (on the stepping thread) -------------------------------------------- */

/* The encoder is there and reads back: a run killed while writing it
 * leaves a file that does not, which is written again. */
static int encoder_skip(void *user, ef_error *err)
{
    demo *d = user;
    ef_nn_model *m = NULL;
    int ok;

    (void)err;
    if (!path_exists(d->encoder_path))
        return 0;
    ok = ef_nn_load_keras(d->encoder_path, &m, NULL) == EF_OK;
    ef_nn_model_free(m);
    return ok;
}

/* The project's encoder is the demo's, so that embed (and the interface)
 * find it without options. */
static int encoder_after(void *user, ef_error *err)
{
    demo *d = user;
    ef_project p;
    int same = 0;

    if (ef_project_load(&p, d->dir, NULL) == EF_OK)
        same = p.encoder && strcmp(p.encoder, d->encoder_path) == 0;
    ef_project_fini(&p);
    return same ? EF_OK : ef_project_set(d->dir, "encoder", d->encoder_path, err);
}

/* 1 if the store at path has every object in objs. */
static int store_has(const char *path, const char *const *objs, size_t n)
{
    ef_store *s;
    size_t i;

    if (!path_exists(path) || ef_store_open_read(&s, path, NULL) != EF_OK)
        return 0;
    for (i = 0; i < n && ef_store_exists(s, objs[i]); i++)
        ;
    ef_store_close(s);
    return i == n;
}

/* labels writes /participants in one update: there, it is complete. */
static int labels_skip(void *user, ef_error *err)
{
    demo *d = user;
    const char *obj = "/participants/eid";

    (void)err;
    return store_has(d->store_path, &obj, 1);
}

/* Say in the store that its cohort and encoder are synthetic. */
static int labels_after(void *user, ef_error *err)
{
    demo *d = user;
    ef_store *s;
    double data = 0, encoder = 0;
    int rc = ef_store_open_read(&s, d->store_path, err);

    if (rc != EF_OK)
        return rc;
    ef_store_get_attr_f64(s, "/", EF_STORE_ATTR_SYNTHETIC_DATA, &data, NULL);
    ef_store_get_attr_f64(s, "/", EF_STORE_ATTR_SYNTHETIC_ENCODER, &encoder, NULL);
    ef_store_close(s);
    if (data > 0 && encoder > 0)
        return EF_OK;
    rc = ef_store_begin(&s, d->store_path, err);
    if (rc != EF_OK)
        return rc;
    rc = ef_store_set_attr_f64(s, "/", EF_STORE_ATTR_SYNTHETIC_DATA, 1, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, "/", EF_STORE_ATTR_SYNTHETIC_ENCODER, 1, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/", "synthetic_note",
                                   "made by `ecgfit demo`: the participants and their ECGs come from `ecgfit synth`, "
                                   "the encoder weights are seeded random numbers (not the published PCLR weights); "
                                   "results show the pipeline working, not findings", err);
    return ef_store_finish(s, rc, err);
}

/* train writes a fit's model and metrics in one update: every fit of the
 * demo there, made with the demo's folds, means train is done.  (One
 * missing: all run again, the quick ones cost seconds.) */
static int train_skip(void *user, ef_error *err)
{
    demo *d = user;
    char want[32], *stored, obj[128];
    ef_store *s;
    int yes = 1;

    (void)err;
    if (!path_exists(d->store_path) || ef_store_open_read(&s, d->store_path, NULL) != EF_OK)
        return 0;
    snprintf(want, sizeof want, " folds=%ld ", d->folds);
    for (size_t i = 0; yes && i < 2; i++)
        for (size_t j = 0; yes && j < 2; j++) {
            snprintf(obj, sizeof obj, "/metrics/%s/%s/%s/test", DEMO_TARGET, demo_features[i], demo_models[j]);
            yes = ef_store_exists(s, obj);
            snprintf(obj, sizeof obj, "/models/%s/%s/%s", DEMO_TARGET, demo_features[i], demo_models[j]);
            stored = NULL;
            if (yes)
                yes = ef_store_get_attr_str(s, obj, "options", &stored, NULL) == EF_OK && strstr(stored, want);
            free(stored);
        }
    ef_store_close(s);
    return yes;
}

/* ---- make --------------------------------------------------------------------------- */

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const ef_cmd *c;
    ef_cmd_seq *q;
    demo *d;
    char nbuf[32], fbuf[32];
    int rc;

    *job = NULL;
    d = ef_xcalloc(1, sizeof *d);
    /* DIR; else -C's folder; else the default */
    d->dir = a->npos ? a->pos[0] : strcmp(ctx->project_dir, ".") != 0 ? ctx->project_dir : DEMO_DIR;
    d->n = ef_args_long(a, "n", DEMO_N);
    d->folds = ef_args_long(a, "folds", DEMO_FOLDS);
    rc = check_dir(d->dir, err);
    if (rc != EF_OK) {
        demo_free(d);
        return rc;
    }
    d->store_path = ef_xasprintf("%s/%s", d->dir, EF_PROJECT_STORE);
    d->encoder_path = ef_xasprintf("%s/%s", d->dir, DEMO_ENCODER);
    for (size_t i = 0; i < ST_N; i++)
        d->at[i] = (size_t)-1;
    snprintf(nbuf, sizeof nbuf, "%ld", d->n);
    snprintf(fbuf, sizeof fbuf, "%ld", d->folds);
    q = ef_cmd_seq_new(ctx, d->dir, d, demo_free);
    {
        const char *w[] = { d->dir, "--n", nbuf, "--seed", "1", "--vo2-rate", DEMO_VO2_RATE };

        d->at[ST_SYNTH] = ef_cmd_seq_add(q, "synth", &ef_cmd_synth, w, 7, 0, NULL, NULL);
    }
    {
        const char *w[] = { "--arch", "pclr", "--seed", "1", "-o", d->encoder_path };

        d->at[ST_ENCODER] = ef_cmd_seq_add(q, "encoder", &ef_cmd_encoder_new, w, 6, 0, encoder_skip, encoder_after);
    }
    d->at[ST_LABELS] = ef_cmd_seq_add(q, "labels", &ef_cmd_labels, NULL, 0, 0, labels_skip, labels_after);
    d->at[ST_PREPROCESS] = ef_cmd_seq_add(q, "preprocess", &ef_cmd_preprocess, NULL, 0, 0, NULL, NULL);
    d->at[ST_EMBED] = ef_cmd_seq_add(q, "embed", &ef_cmd_embed, NULL, 0, 0, NULL, NULL);
    {
        const char *w[] = { "--target", DEMO_TARGET, "--features", "basic,full", "--model", "lasso,xgboost",
                            "--folds", fbuf };

        d->at[ST_TRAIN] = ef_cmd_seq_add(q, "train", &ef_cmd_train, w, 8, 0, train_skip, NULL);
    }
    /* looked up by name: a build without table1 skips it */
    if ((c = ef_cmd_find("table1")) != NULL)
        d->at[ST_TABLE1] = ef_cmd_seq_add(q, "table1", c, NULL, 0, EF_SEQ_OPTIONAL, NULL, NULL);
    d->at[ST_REPORT] = ef_cmd_seq_add(q, "report", &ef_cmd_report, NULL, 0, 0, NULL, NULL);
    *job = ef_cmd_seq_job(q);
    return EF_OK;
}

/* ---- finish ------------------------------------------------------------------------- */

/* What stage k did, for its line in the timing list. */
static void stage_detail(ef_cmd_seq *q, const demo *d, int k, char *buf, size_t size)
{
    size_t i = d->at[k];
    ef_job *job = ef_cmd_seq_stage_job(q, i);
    int st = ef_cmd_seq_status(q, i);

    buf[0] = '\0';
    if (st == EF_SEQ_SKIPPED) {
        snprintf(buf, size, "done before, reused");
        return;
    }
    if (st == EF_SEQ_FAILED_OPT) {
        snprintf(buf, size, "failed (see the warning)");
        return;
    }
    if (st != EF_SEQ_DONE || !job)
        return;
    switch (k) {
    case ST_SYNTH: {
        const ef_synth_stage_result *r = ef_synth_stage_result_of(job);
        size_t files = r->ecg2_files + r->ecg3_files;

        snprintf(buf, size, "%zu participants, %zu ECG files%s", r->participants, files,
                 r->resumed ? " (reused)" : "");
        break;
    }
    case ST_ENCODER:
        snprintf(buf, size, "PCLR architecture, seeded random weights: %s", d->encoder_path);
        break;
    case ST_LABELS:
        snprintf(buf, size, "participants and targets to the store");
        break;
    case ST_PREPROCESS: {
        const ef_preprocess_summary *s = ef_preprocess_stage_summary(job);

        snprintf(buf, size, "%zu ECGs%s", s->processed ? s->processed : s->resumed,
                 s->processed ? "" : " (reused)");
        break;
    }
    case ST_EMBED: {
        const ef_embed_summary *s = ef_embed_stage_summary(job);

        snprintf(buf, size, "%zu ECGs%s", s->embedded ? s->embedded : s->resumed, s->embedded ? "" : " (reused)");
        break;
    }
    case ST_TRAIN:
        snprintf(buf, size, "%s: basic and full features x lasso and xgboost, %ld-fold CV", DEMO_TARGET, d->folds);
        break;
    default:
        break;
    }
}

static void print_stages(const ef_cmd_ctx *ctx, ef_cmd_seq *q, const demo *d)
{
    double total = 0;
    char detail[256];
    int k;

    for (size_t i = 0; i < ef_cmd_seq_count(q); i++)
        total += ef_cmd_seq_seconds(q, i);
    ef_out(ctx, "Stages (%.1f s in all):\n", total);
    for (k = 0; k < ST_N; k++) {
        size_t i = d->at[k];
        int st;

        if (i == (size_t)-1)
            continue;
        st = ef_cmd_seq_status(q, i);
        if (st == EF_SEQ_PENDING)
            continue;
        stage_detail(q, d, k, detail, sizeof detail);
        if (st == EF_SEQ_FAILED)
            snprintf(detail, sizeof detail, "%s",
                     ef_cmd_seq_error(q, i)->code == EF_ECANCELED ? "interrupted" : "failed");
        ef_out(ctx, "  %-11s %6.1f s%s%s\n", ef_cmd_seq_label(q, i), ef_cmd_seq_seconds(q, i), detail[0] ? "  " : "",
               detail);
    }
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    ef_cmd_seq *q = ef_job_state(job);
    demo *d = ef_cmd_seq_user(q);
    size_t cur = ef_cmd_seq_current(q), n = ef_cmd_seq_count(q);
    ef_error e;
    int k;

    /* each stage's own warnings (its report is the demo's) */
    for (k = 0; k < ST_N; k++) {
        size_t i = d->at[k];
        int st;

        /* synth's only warning would be about the demo's own ecgfit.ini (kept,
         * with the encoder set); the report and table1 come last */
        if (i == (size_t)-1 || k == ST_SYNTH || k == ST_REPORT || k == ST_TABLE1)
            continue;
        st = ef_cmd_seq_status(q, i);
        if (st == EF_SEQ_DONE)
            ef_cmd_seq_finish_stage(q, i, ctx, 1, NULL);
        else if (st == EF_SEQ_FAILED)   /* its finish may reword the error (how to resume) */
            ef_cmd_seq_finish_stage(q, i, ctx, 1, err);
    }
    if (!ctx->quiet) {
        ef_out(ctx, "ecgfit demo in %s: a SYNTHETIC cohort of %ld participants\nand a demo encoder with seeded "
                    "random weights (not the published PCLR weights)\n", d->dir, d->n);
        print_stages(ctx, q, d);
    }
    if (rc != EF_OK) {
        const char *label = ef_cmd_seq_label(q, cur < n ? cur : n - 1);

        if (rc == EF_ECANCELED)
            return ef_error_set(err, EF_ECANCELED,
                                "demo interrupted in stage %zu of %zu (%s); run `ecgfit demo %s` again to resume: "
                                "finished work is kept", cur + 1, n, label, d->dir);
        if (cur == d->at[ST_SYNTH] && file_exists(d->dir, ".ecgfit-synth"))
            ef_note(ctx, "demo: %s holds a cohort made with other options (another --n, or `ecgfit synth`); "
                         "remove it or give another folder", d->dir);
        else
            ef_note(ctx, "demo: stage %zu of %zu (%s) failed; once the cause is fixed, `ecgfit demo %s` reuses the "
                         "finished stages", cur + 1, n, label, d->dir);
        return rc;
    }
    if (!ctx->quiet)
        ef_out(ctx, "\n");
    /* the cohort, then the results, as in a paper */
    if (d->at[ST_TABLE1] != (size_t)-1) {
        ef_error_clear(&e);
        if (ef_cmd_seq_finish_stage(q, d->at[ST_TABLE1], ctx, ctx->quiet, &e) != EF_OK) {
            char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 16];

            ef_warn(ctx, "demo: table1 failed: %s", ef_error_format(&e, buf, sizeof buf));
        } else {
            ef_out(ctx, "\n");
        }
    }
    rc = ef_cmd_seq_finish_stage(q, d->at[ST_REPORT], ctx, ctx->quiet, err);
    if (rc != EF_OK)
        return rc;
    if (!ctx->quiet) {   /* the report's note said SYNTHETIC already */
        char c1[256], c2[256], c3[256];
        int w;

        snprintf(c1, sizeof c1, "ecgfit -C %s", d->dir);
        snprintf(c2, sizeof c2, "ecgfit -C %s report --wide", d->dir);
        snprintf(c3, sizeof c3, "ecgfit demo %s", d->dir);
        w = (int)strlen(c2);
        ef_out(ctx, "Next:  %-*s  the interactive interface\n", w, c1);
        ef_out(ctx, "       %-*s  every column of the report\n", w, c2);
        ef_out(ctx, "       %-*s  again: reuses all that is done\n", w, c3);
    }
    if (!ef_args_given(a, "no-tui"))
        ctx->open_project = d->dir;
    return EF_OK;
}

const ef_cmd ef_cmd_demo = {
    .name = "demo",
    .summary = "run every stage on a synthetic cohort, then open the result",
    .synopsis = "demo [DIR] [--no-tui] [--folds K]",
    .intro = "Runs the whole study in DIR (default ecgfit-demo) on synthetic data: synth\n"
             "(1,000 participants, half of the imaging visit with a VO2max), a demo encoder\n"
             "with the PCLR architecture and seeded random weights (DIR/pclr-demo.h5; the\n"
             "published weights cannot ship), labels, preprocess, embed, train (vo2max on\n"
             "basic and full features, Lasso and XGBoost, 5-fold CV), table1 when this\n"
             "version has it, and report.  Prints each stage's time and the report; on a\n"
             "terminal it then opens the interactive interface on DIR.\n",
    .outro = "Running it again on the same DIR resumes an interrupted run and reuses every\n"
             "finished stage.  DIR must be new, empty or an earlier demo's folder.  The store\n"
             "is marked synthetic (root attributes synthetic_data and synthetic_encoder = 1),\n"
             "and every screen says so.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .npos_min = 0,
    .npos_max = 1,
    .flags = EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
