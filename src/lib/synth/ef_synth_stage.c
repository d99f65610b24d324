/* ef_synth_stage.c — see ef_synth_stage.h.  ECG files are written by a few
 * threads per step; a file that already exists is kept (output is
 * deterministic, and the writer renames into place), so an interrupted run
 * resumes where it stopped. */
#include "config.h"
#include "synth/ef_synth_stage.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "core/ef_pool.h"
#include "ecg/ef_ecg_files.h"
#include "synth/ef_synth_ecg.h"
#include "store/ef_project.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILES_PER_STEP 8
#define MAX_THREADS 16

enum phase { PH_CSV, PH_ECG, PH_DONE };

typedef struct task {
    char *path;
    ef_synth_ecg_params p;
} task;

typedef struct stage {
    ef_synth_stage_opts o;
    ef_pool *pool;          /* the ECG writers besides the stepping thread */
    char *dir;
    ef_synth *cohort;
    ef_job *csv_job;
    task *tasks;
    size_t ntasks, next;
    ef_synth_stage_result res;
    int phase;
} stage;

typedef struct worker {
    stage *st;
    size_t lo, hi;
    int rc;
    ef_error err;
} worker;

static int mkdir_p(const char *dir, ef_error *err)
{
    char *p = ef_xstrdup(dir), *s;
    int rc = EF_OK;

    for (s = p + 1; ; s++) {
        if (*s == '/' || !*s) {
            char c = *s;

            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = ef_error_set_at(err, EF_EIO, p, 0, 0, "cannot create folder: %s", strerror(errno));
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return rc;
}

static void add_task(stage *st, const ef_synth_person *ps, int instance)
{
    task *t;
    double age = instance == 2 ? ps->age2 : ps->age3;
    double bmi = instance == 2 ? ps->bmi2 : ps->bmi3;
    double hr = instance == 2 ? ps->rest_hr : ps->rest_hr3;
    double zf = instance == 2 ? ps->zf : ps->zf3;

    st->tasks = ef_xreallocarray(st->tasks, st->ntasks + 1, sizeof *st->tasks);
    t = &st->tasks[st->ntasks++];
    t->path = ef_xasprintf("%s/%lld_20205_%d_0.xml", st->res.ecg_dir, (long long)ps->eid, instance);
    memset(&t->p, 0, sizeof t->p);
    t->p.hr_bpm = hr;
    t->p.age = age;
    t->p.bmi = bmi;
    t->p.sex = ps->sex;
    t->p.zf = zf;
    /* a per-file seed derived from the cohort seed, eid and instance */
    t->p.seed = st->o.synth.seed * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)ps->eid << 2 | (uint64_t)instance);
}

static int exists(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0;
}

/* Remove the files a previous synth run wrote (only names it writes). */
static void remove_cohort(const stage *st)
{
    DIR *d = opendir(st->res.ecg_dir);
    struct dirent *de;
    int64_t eid;
    int inst, arr;

    remove(st->res.csv_path);
    if (!d)
        return;
    while ((de = readdir(d))) {
        if (ef_ecg_parse_name(de->d_name, &eid, &inst, &arr)) {
            char *p = ef_xasprintf("%s/%s", st->res.ecg_dir, de->d_name);

            remove(p);
            free(p);
        }
    }
    closedir(d);
}

/* Check DIR against the stamp of the run that wrote it; write ours. */
static int check_stamp(stage *st, ef_error *err)
{
    char *path = ef_xasprintf("%s/.ecgfit-synth", st->dir), old[512] = "", want[512];
    FILE *fp = fopen(path, "r");
    int rc = EF_OK, occupied = exists(st->res.csv_path) || exists(st->res.ecg_dir);

    ef_snprintf(want, sizeof want, "ecgfit synth: n=%zu seed=%llu naming=%s vo2_rate=%.17g ecg=%d\n",
             st->o.synth.n, (unsigned long long)st->o.synth.seed,
             st->o.synth.naming == EF_NAMING_RAP ? "rap" : "ukbconv", st->o.synth.vo2_i1_rate,
             st->o.write_ecg);
    if (fp) {
        if (!fgets(old, sizeof old, fp))
            old[0] = '\0';
        fclose(fp);
    }
    if (occupied && strcmp(old, want) == 0) {
        st->res.resumed = 1;
    } else if (occupied && !st->o.force) {
        rc = ef_error_set_at(err, EF_EDATA, st->dir, 0, 0,
                             "this folder already holds %s; use --force to replace it, or another folder",
                             old[0] ? "a synthetic cohort made with other options" : "a main CSV or ECG folder");
    } else {
        if (occupied)
            remove_cohort(st);
        fp = fopen(path, "w");
        if (!fp || fputs(want, fp) < 0 || fclose(fp) != 0)
            rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    }
    free(path);
    return rc;
}

static int start(stage *st, ef_error *err)
{
    size_t i, n;
    int rc = mkdir_p(st->dir, err);

    st->res.csv_path = ef_xasprintf("%s/ukb_main.csv", st->dir);
    st->res.ecg_dir = ef_xasprintf("%s/ecg", st->dir);
    if (rc == EF_OK)
        rc = check_stamp(st, err);
    if (rc == EF_OK)
        rc = ef_synth_new(&st->cohort, &st->o.synth, err);
    if (rc != EF_OK)
        return rc;
    st->res.participants = ef_synth_count(st->cohort);
    if (st->o.write_ecg) {
        rc = mkdir_p(st->res.ecg_dir, err);
        if (rc != EF_OK)
            return rc;
        n = ef_synth_count(st->cohort);
        for (i = 0; i < n; i++) {
            const ef_synth_person *ps = ef_synth_person_at(st->cohort, i);

            if (ps->has_ecg2)
                add_task(st, ps, 2);
            if (ps->has_ecg3)
                add_task(st, ps, 3);
        }
    }
    return ef_synth_csv_job(st->cohort, st->res.csv_path, &st->csv_job, err);
}

static void work(void *arg)
{
    worker *w = arg;
    size_t i;
    struct stat sb;

    for (i = w->lo; i < w->hi && w->rc == EF_OK; i++) {
        const task *t = &w->st->tasks[i];

        if (stat(t->path, &sb) == 0)
            continue;
        w->rc = ef_synth_ecg_write_cardiosoft(t->path, &t->p, &w->err);
    }
}

static int write_some_ecgs(stage *st, ef_error *err)
{
    int nt = st->o.threads < 1 ? 1 : st->o.threads > MAX_THREADS ? MAX_THREADS : st->o.threads;
    size_t per = FILES_PER_STEP, lo = st->next, hi, k;
    worker w[MAX_THREADS];
    ef_pool_group g;
    int i, rc = EF_OK;

    hi = lo + per * (size_t)nt;
    if (hi > st->ntasks)
        hi = st->ntasks;
    for (i = 0; i < nt; i++) {
        w[i].st = st;
        w[i].lo = lo + (hi - lo) * (size_t)i / (size_t)nt;
        w[i].hi = lo + (hi - lo) * (size_t)(i + 1) / (size_t)nt;
        w[i].rc = EF_OK;
        ef_error_clear(&w[i].err);
    }
    if (nt > 1 && !st->pool)
        st->pool = ef_pool_new(nt - 1);
    ef_pool_group_init(&g, st->pool, NULL);
    for (i = 1; i < nt; i++)
        ef_pool_submit(&g, work, &w[i]);
    work(&w[0]);
    ef_pool_wait(&g);
    for (i = 0; i < nt; i++) {
        if (w[i].rc != EF_OK && rc == EF_OK) {
            *err = w[i].err;
            rc = w[i].rc;
        }
    }
    for (k = lo; k < hi; k++)
        if (strstr(st->tasks[k].path, "_20205_3_0.xml"))
            st->res.ecg3_files++;
        else
            st->res.ecg2_files++;
    st->next = hi;
    return rc;
}

/* Make DIR a project unless it already is one (an existing ecgfit.ini is
 * kept unless force: it may name the user's own inputs). */
static int make_project(stage *st, ef_error *err)
{
    char *ini = ef_xasprintf("%s/ecgfit.ini", st->dir);
    int have = exists(ini);

    free(ini);
    if (have && !st->o.force) {
        st->res.ini_kept = 1;
        return EF_OK;
    }
    return ef_project_init(st->dir, st->res.csv_path, st->o.write_ecg ? st->res.ecg_dir : NULL, NULL, 1,
                           err);
}

static int stage_step(void *state, ef_error *err)
{
    stage *st = state;
    int rc;

    switch (st->phase) {
    case PH_CSV:
        if (!st->cohort) {
            rc = start(st, err);
            return rc == EF_OK ? EF_CONTINUE : rc;
        }
        rc = ef_job_step(st->csv_job, 0, err);
        if (rc != EF_OK)
            return rc;
        st->phase = PH_ECG;
        return EF_CONTINUE;
    case PH_ECG:
        if (st->next < st->ntasks) {
            rc = write_some_ecgs(st, err);
            return rc == EF_OK ? EF_CONTINUE : rc;
        }
        st->phase = PH_DONE;
        return make_project(st, err);
    default:
        return EF_OK;
    }
}

static void stage_progress(const void *state, ef_progress_report *p)
{
    const stage *st = state;

    if (st->phase == PH_CSV && st->csv_job) {
        ef_job_report(st->csv_job, p);
        p->stage = "synth: writing main CSV";
    } else {
        p->stage = "synth: writing ECG XML files";
        p->unit = "files";
        p->done = st->next;
        p->total = st->ntasks;
    }
}

static void stage_free(void *state)
{
    stage *st = state;
    size_t i;

    ef_job_free(st->csv_job);
    ef_pool_free(st->pool);
    ef_synth_free(st->cohort);
    for (i = 0; i < st->ntasks; i++)
        free(st->tasks[i].path);
    free(st->tasks);
    free(st->res.csv_path);
    free(st->res.ecg_dir);
    free(st->dir);
    free(st);
}

static const ef_job_ops stage_ops = {
    .name = "synth", .step = stage_step, .progress = stage_progress, .free = stage_free,
};

int ef_synth_stage_job_new(ef_job **out, const ef_synth_stage_opts *o, ef_error *err)
{
    stage *st;

    if (!o->dir || !*o->dir)
        return ef_error_set(err, EF_EINVAL, "synth: no output folder given");
    st = ef_xcalloc(1, sizeof *st);
    st->o = *o;
    st->dir = ef_xstrdup(o->dir);
    st->o.dir = st->dir;
    *out = ef_job_new(&stage_ops, st);
    return EF_OK;
}

const ef_synth_stage_result *ef_synth_stage_result_of(ef_job *job)
{
    stage *st = ef_job_state(job);

    return &st->res;
}
