/* ef_preprocess_stage.c — see ef_preprocess_stage.h.
 *
 * Tasks on the job's pool read and preprocess one file each (no HDF5 there:
 * the Debian HDF5 build is not thread-safe); the stepping thread takes their
 * results in input order from a ring of slots and writes them to the part
 * being filled.  Files are queued at most RING_PER_THREAD per thread ahead
 * of the writer, so memory does not grow with the cohort. */
#include "config.h"
#include "ef_preprocess_stage.h"
#include "core/ef_alloc.h"
#include "core/ef_pool.h"
#include "ecg/ef_cardiosoft.h"
#include "ecg/ef_ecg_files.h"
#include "pipeline/ef_part_job.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64
#define RING_PER_THREAD 4
#define ECGS_PER_STEP_PER_THREAD 8
#define MAX_FAILURES_KEPT 10000

typedef struct slot {
    struct stage *st;
    size_t i;               /* the todo index queued in this slot */
    int ready;
    float *sig;
    uint32_t qc;
    double meas[EF_CS_NMEAS];
    int failed;
    char *msg;              /* "FILE:LINE: message" when failed */
} slot;

typedef struct stage {
    ef_preprocess_stage_opts o;
    char *project_dir, *ecg_dir, *store_path;
    ef_ecg_part_opts po;
    char tag[32];
    int64_t *eid;           /* files to do this run */
    char **path;
    size_t ntodo, done;
    unsigned next_index;
    ef_ecg_part_writer *part;
    ef_ecg_folder *folder;  /* the fold under way */
    ef_preprocess_summary sum;
    char **failures;
    /* the job's threads: one task per file */
    int nthreads, started;
    ef_pool *pool;
    ef_pool_group g;
    pthread_mutex_t mu;     /* guards the slots' ready flags */
    pthread_cond_t done_cv;
    size_t claim;           /* next todo index to queue */
    size_t window;
    slot *ring;
    int stop;
} stage;

/* ------------------------------------------------------------ work */

static void process_one(const stage *st, const char *path, slot *sl)
{
    ef_cs_ecg e;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    ef_cs_ecg_init(&e);
    rc = ef_cs_read_file(path, &e, &err);
    if (rc == EF_OK) {
        unsigned qc = 0;

        memcpy(sl->meas, e.meas, sizeof sl->meas);
        rc = ef_preprocess(&e, &st->o.pp, sl->sig, &qc, &err);
        sl->qc = qc;
    }
    ef_cs_ecg_fini(&e);
    sl->failed = rc != EF_OK;
    free(sl->msg);
    sl->msg = NULL;
    if (sl->failed) {
        char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 32];

        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        sl->msg = ef_xstrdup(ef_error_format(&err, buf, sizeof buf));
    }
}

static void file_task(void *arg)
{
    slot *sl = arg;
    stage *st = sl->st;

    process_one(st, st->path[sl->i], sl);
    pthread_mutex_lock(&st->mu);
    sl->ready = 1;
    pthread_cond_broadcast(&st->done_cv);
    pthread_mutex_unlock(&st->mu);
}

/* Queue the files the ring has room for. */
static void queue_files(stage *st)
{
    while (st->claim < st->ntodo && st->claim < st->done + st->window) {
        slot *sl = &st->ring[st->claim % st->window];

        sl->st = st;
        sl->i = st->claim++;
        ef_pool_submit(&st->g, file_task, sl);
    }
}

static void start_pool(stage *st)
{
    st->started = 1;
    if (st->nthreads <= 1)
        return;
    st->pool = ef_pool_new(st->nthreads);
    ef_pool_group_init(&st->g, st->pool, &st->stop);
}

static void stop_pool(stage *st)
{
    if (!st->started || st->nthreads <= 1)
        return;
    ef_flag_set(&st->stop);   /* files still queued are dropped */
    ef_pool_wait(&st->g);
    ef_pool_free(st->pool);
    st->pool = NULL;
    st->started = 0;
}

/* The result for todo index done, computed here or waited for. */
static slot *next_result(stage *st)
{
    slot *sl = &st->ring[st->done % st->window];

    if (st->nthreads <= 1) {
        process_one(st, st->path[st->done], sl);
        return sl;
    }
    queue_files(st);
    pthread_mutex_lock(&st->mu);
    while (!sl->ready)
        pthread_cond_wait(&st->done_cv, &st->mu);
    pthread_mutex_unlock(&st->mu);
    return sl;
}

static void release_result(stage *st, slot *sl)
{
    if (st->nthreads <= 1) {
        st->done++;
        return;
    }
    pthread_mutex_lock(&st->mu);
    sl->ready = 0;
    st->done++;
    pthread_mutex_unlock(&st->mu);
    queue_files(st);
}

/* Seal the part being filled (an empty one leaves no file). */
static int close_part(stage *st, ef_error *err)
{
    int rc = ef_ecg_part_close(st->part, &st->sum.parts_written, err);

    st->part = NULL;
    return rc;
}

static int consume(stage *st, const slot *sl, ef_error *err)
{
    size_t i = st->done;
    size_t pmax = st->o.part_max ? st->o.part_max : EF_ECG_PART_MAX;
    int rc = EF_OK;
    unsigned b;

    if (!st->part) {
        ef_ecg_part_meta meta = { st->ecg_dir, st->sum.shard, st->sum.files_found, st->o.deflate_level };

        rc = ef_ecg_part_open(&st->part, st->project_dir, st->tag, st->next_index++, &st->po, &meta, err);
        if (rc != EF_OK)
            return rc;
    }
    st->sum.processed++;
    if (sl->failed) {
        st->sum.failed++;
        ef_ecg_part_add_failure(st->part, st->eid[i], st->path[i], sl->msg);
        if (st->sum.nfailures_kept < MAX_FAILURES_KEPT) {
            st->failures = ef_xreallocarray(st->failures, st->sum.nfailures_kept + 1, sizeof *st->failures);
            st->failures[st->sum.nfailures_kept++] = ef_xstrdup(sl->msg);
            st->sum.failures = (const char *const *)st->failures;
        }
    } else {
        for (b = 0; b < 32; b++)
            st->sum.qc_count[b] += (sl->qc >> b) & 1u;
        rc = ef_ecg_part_add(st->part, st->eid[i], sl->sig, sl->qc, sl->meas, err);
    }
    if (rc == EF_OK && ef_ecg_part_count(st->part) >= pmax)
        rc = close_part(st, err);
    return rc;
}

static int work(void *state, ef_error *err)
{
    stage *st = state;
    size_t k, batch = (size_t)(st->nthreads > 1 ? st->nthreads : 1) * ECGS_PER_STEP_PER_THREAD;
    int rc = EF_OK;

    if (!st->started)
        start_pool(st);
    for (k = 0; k < batch && st->done < st->ntodo && rc == EF_OK; k++) {
        slot *sl = next_result(st);

        rc = consume(st, sl, err);
        release_result(st, sl);
    }
    if (rc == EF_OK && st->done < st->ntodo)
        return EF_CONTINUE;
    return rc;
}

static int seal(void *state, ef_error *err)
{
    stage *st = state;

    stop_pool(st);
    return close_part(st, err);
}

/* One slice of the fold per step (a part's data, the store's begin, its
 * writes, its commit): each is bounded, so a UI stepping the job stays live. */
static int fold(void *state, ef_error *err)
{
    stage *st = state;
    int rc;

    if (!st->folder)
        ef_ecg_folder_new(&st->folder, st->project_dir, st->store_path, &st->po, 1, &st->sum.fold);
    rc = ef_ecg_folder_step(st->folder, err);
    if (rc == EF_CONTINUE)
        return rc;
    ef_ecg_folder_free(st->folder);
    st->folder = NULL;
    if (rc == EF_OK)
        st->sum.folded = 1;
    return rc;
}

static void count(const void *state, uint64_t *done, uint64_t *total)
{
    const stage *st = state;

    *done = st->done;
    *total = st->ntodo;
}

static void stage_free(void *state)
{
    stage *st = state;
    size_t i;

    if (!st)
        return;
    stop_pool(st);
    ef_ecg_folder_free(st->folder);
    ef_ecg_part_abort(st->part);
    for (i = 0; i < st->ntodo; i++)
        free(st->path[i]);
    for (i = 0; st->ring && i < st->window; i++) {
        free(st->ring[i].sig);
        free(st->ring[i].msg);
    }
    for (i = 0; i < st->sum.nfailures_kept; i++)
        free(st->failures[i]);
    free(st->failures);
    free(st->ring);
    free(st->path);
    free(st->eid);
    ef_ecg_fold_result_fini(&st->sum.fold);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->done_cv);
    free(st->project_dir);
    free(st->ecg_dir);
    free(st->store_path);
    free(st);
}

static const ef_part_job_ops stage_ops = {
    .job = EF_PART_JOB_OPS("preprocess"),
    .unit = "ECGs",
    .work = work,
    .seal = seal,
    .fold = fold,
    .count = count,
    .free = stage_free,
};

/* ------------------------------------------------------------ setup */

void ef_preprocess_stage_opts_default(ef_preprocess_stage_opts *o)
{
    memset(o, 0, sizeof *o);
    ef_pp_opts_default(&o->pp);
    o->ecg_instance = 2;
    o->threads = 1;
}

/* Check old parts against the options (or delete them on restart) and
 * collect the eids they hold. */
static int check_parts(stage *st, ef_eid_set *skip, ef_error *err)
{
    ef_ecg_part_info *p;
    size_t np, i;
    char diff[128];
    int rc = ef_ecg_parts_scan(st->project_dir, &p, &np, err);
    if (rc != EF_OK)
        return rc;
    if (st->o.restart && np) {
        st->sum.parts_removed = ef_ecg_parts_delete(st->project_dir, st->o.shard_n ? st->tag : NULL, &st->po,
                                                    p, np);
        ef_ecg_parts_free(p, np);
        rc = ef_ecg_parts_scan(st->project_dir, &p, &np, err);
        if (rc != EF_OK)
            return rc;
    }
    for (i = 0; i < np; i++) {
        if (ef_ecg_part_opts_diff(&st->po, &p[i].o, diff, sizeof diff)) {
            rc = ef_error_set_at(err, EF_EDATA, p[i].path, 0, 0,
                                 "ECG parts in %s/%s were made with %s; rerun with the same options or "
                                 "pass --restart", st->project_dir, EF_ECG_PARTS_DIR, diff);
            ef_ecg_parts_free(p, np);
            return rc;
        }
    }
    for (i = 0; i < np; i++) {
        ef_eid_set_add(skip, p[i].eid, p[i].n);
        ef_eid_set_add(skip, p[i].failed_eid, p[i].nfailed);
        st->next_index = ef_part_next_index(st->next_index, p[i].name, st->tag);
    }
    ef_eid_set_sort(skip);
    ef_ecg_parts_free(p, np);
    return EF_OK;
}

static int setup(stage *st, ef_error *err)
{
    int64_t *eids = NULL;
    char **paths = NULL;
    ef_eid_set skip = { NULL, 0 };
    size_t n = 0, lo, hi, i, *todo;
    int rc;

    rc = ef_ecg_find_files(st->ecg_dir, st->o.ecg_instance, &eids, &paths, &n, err);
    if (rc == EF_OK && n == 0)
        rc = ef_error_set_at(err, EF_EDATA, st->ecg_dir, 0, 0,
                             "no ECG files named EID_20205_%d_0.xml in this folder or its sub-folders",
                             st->o.ecg_instance);
    if (rc == EF_OK) {
        st->sum.tmp_removed = ef_ecg_parts_clean_tmp(st->project_dir, st->tag);
        rc = check_parts(st, &skip, err);
    }
    ef_part_slice(st->o.shard_k, st->o.shard_n, n, &lo, &hi);
    if (rc == EF_OK) {
        st->sum.files_found = hi - lo;
        st->eid = ef_xcalloc(hi - lo + 1, sizeof *st->eid);
        st->path = ef_xcalloc(hi - lo + 1, sizeof *st->path);
        todo = ef_xcalloc(hi - lo + 1, sizeof *todo);
        st->ntodo = ef_part_todo(eids, lo, hi, &skip, st->o.limit, todo, &st->sum.resumed);
        for (i = 0; i < st->ntodo; i++) {
            st->eid[i] = eids[todo[i]];
            st->path[i] = paths[todo[i]];
            paths[todo[i]] = NULL;
        }
        free(todo);
    }
    for (i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(eids);
    ef_eid_set_fini(&skip);
    return rc;
}

int ef_preprocess_stage_job_new(ef_job **out, const ef_preprocess_stage_opts *o, ef_error *err)
{
    stage *st;
    size_t i;
    int rc;

    *out = NULL;
    if (!o->project_dir || !o->ecg_dir || !o->store_path)
        return ef_error_set(err, EF_EINVAL, "preprocess: project folder, ECG folder and store are required");
    if (o->shard_n && (o->shard_k < 1 || o->shard_k > o->shard_n))
        return ef_error_set(err, EF_EINVAL, "preprocess: shard %d/%d is out of range", o->shard_k, o->shard_n);
    if (o->pp.samples < 2)
        return ef_error_set(err, EF_EINVAL, "preprocess: --samples must be at least 2");
    st = ef_xcalloc(1, sizeof *st);
    st->o = *o;
    st->project_dir = ef_xstrdup(o->project_dir);
    st->ecg_dir = ef_xstrdup(o->ecg_dir);
    st->store_path = ef_xstrdup(o->store_path);
    st->o.project_dir = st->project_dir;
    st->o.ecg_dir = st->ecg_dir;
    st->o.store_path = st->store_path;
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->done_cv, NULL);
    snprintf(st->po.units, sizeof st->po.units, "%s", ef_units_name(o->pp.units));
    st->po.samples = o->pp.samples;
    st->po.highpass_hz = o->pp.highpass ? o->pp.highpass_hz : 0;
    st->po.notch_hz = o->pp.notch ? o->pp.notch_hz : 0;
    st->po.strict_rate = o->pp.strict_rate;
    st->po.ecg_instance = o->ecg_instance;
    st->sum.o = st->po;
    ef_part_shard_names(o->shard_k, o->shard_n, st->tag, sizeof st->tag, st->sum.shard, sizeof st->sum.shard);
    st->nthreads = o->threads < 1 ? 1 : o->threads > MAX_THREADS ? MAX_THREADS : o->threads;
    rc = setup(st, err);
    if (rc != EF_OK) {
        stage_free(st);
        return rc;
    }
    if (st->nthreads > 1 && (size_t)st->nthreads > st->ntodo)
        st->nthreads = st->ntodo > 1 ? (int)st->ntodo : 1;
    st->window = st->nthreads > 1 ? (size_t)st->nthreads * RING_PER_THREAD : 1;
    st->ring = ef_xcalloc(st->window, sizeof *st->ring);
    for (i = 0; i < st->window; i++)
        st->ring[i].sig = ef_xmalloc(o->pp.samples * EF_CS_NLEADS * sizeof(float));
    *out = ef_part_job_new(&stage_ops, st, o->shard_n != 0);
    return EF_OK;
}

const ef_preprocess_summary *ef_preprocess_stage_summary(ef_job *job)
{
    stage *st = ef_part_job_state(job);

    return &st->sum;
}
