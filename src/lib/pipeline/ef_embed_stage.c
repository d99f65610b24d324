/* ef_embed_stage.c — see ef_embed_stage.h.
 *
 * One step = a slice of a batch: read up to `batch` rows of /ecg/signal (a
 * virtual dataset over the ECG parts) in contiguous runs, as many as the
 * network runs in about 80 ms, run it on them, append the outputs to the
 * part being filled.  Memory is the runner's
 * plan plus one input and one output batch, whatever the cohort size. */
#include "config.h"
#include "ef_embed_stage.h"
#include "core/ef_alloc.h"
#include "core/ef_pool.h"
#include "nn/ef_nn.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_part_job.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NLEADS 12

typedef struct stage {
    ef_embed_stage_opts o;
    char *project_dir, *store_path, *encoder_path;
    char tag[32];
    ef_store *s;            /* the store, read-only, until the run is sealed */
    ef_nn_model *model;
    ef_nn_runner *runner;
    ef_pool *pool;          /* the runner's threads besides the stepping one */
    int64_t *ecg_eid;       /* /ecg/eid */
    size_t *todo;           /* rows of /ecg to embed, ascending */
    size_t done;
    size_t samples, out, batch;
    size_t step_n;          /* ECGs per step (0: not measured yet; at most batch) */
    float *in, *res;
    int64_t *beid;
    unsigned next_index;
    ef_emb_part_writer *part;
    ef_embed_summary sum;
} stage;

/* ------------------------------------------------------------ work */

/* Seal the part being filled (an empty one leaves no file). */
static int close_part(stage *st, ef_error *err)
{
    int rc = ef_emb_part_close(st->part, &st->sum.parts_written, err);

    st->part = NULL;
    return rc;
}

/* Read the rows todo[done .. done+n) into st->in, in contiguous runs.  An
 * all-NaN row is an ECG part HDF5 could not open (the virtual dataset's
 * fill value). */
static int read_batch(stage *st, size_t n, ef_error *err)
{
    size_t per = st->samples * NLEADS, i = 0, j, k;
    int rc = EF_OK;

    while (i < n && rc == EF_OK) {
        size_t row0 = st->todo[st->done + i], len = 1;

        while (i + len < n && st->todo[st->done + i + len] == row0 + len)
            len++;
        rc = ef_store_read_f32_rows(st->s, "/ecg/signal", row0, len, st->in + i * per, err);
        i += len;
    }
    for (j = 0; j < n && rc == EF_OK; j++) {
        const float *r = st->in + j * per;

        for (k = 0; k < per && isnan(r[k]); k++)
            ;
        if (k == per)
            rc = ef_error_set_at(err, EF_EIO, st->store_path, 0, 0,
                                 "ECG %lld reads as missing: its part file in %s/%s is absent or unreadable "
                                 "(keep %s/ next to ecgfit.h5, or rerun preprocess)",
                                 (long long)st->ecg_eid[st->todo[st->done + j]], st->project_dir,
                                 EF_ECG_PARTS_DIR, EF_ECG_PARTS_DIR);
        st->beid[j] = st->ecg_eid[st->todo[st->done + j]];
    }
    return rc;
}

#define STEP_MS 80.0

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run_batch(stage *st, ef_error *err)
{
    size_t n = st->sum.todo - st->done, pmax = st->o.part_max ? st->o.part_max : EF_EMB_PART_MAX;
    int rc;

    if (n > st->batch)
        n = st->batch;
    if (n > (st->step_n ? st->step_n : 1))
        n = st->step_n ? st->step_n : 1;   /* a slice of the batch (one ECG until timed), so a step stays short */
    if (st->part) {   /* never let a batch cross a part boundary */
        size_t room = pmax - ef_emb_part_count(st->part);

        if (n > room)
            n = room;
    }
    if (!st->part) {
        ef_emb_part_meta meta = { st->encoder_path, st->sum.shard, st->sum.slice };

        if (n > pmax)
            n = pmax;
        rc = ef_emb_part_open(&st->part, st->project_dir, st->sum.name, st->tag, st->next_index++, &st->sum.o,
                              &meta, err);
        if (rc != EF_OK)
            return rc;
    }
    rc = read_batch(st, n, err);
    if (rc == EF_OK) {
        double t0 = now_ms(), ms;

        rc = ef_nn_run(st->runner, st->in, n, st->res, err);
        /* Size the next slice for about STEP_MS of network time: a UI
         * stepping this job stays responsive.  ECGs are independent, so
         * the embeddings do not depend on how the batch is sliced. */
        ms = now_ms() - t0;
        if (ms > 0) {
            double per = ms / (double)n;
            size_t k = per > 0 ? (size_t)(STEP_MS / per) : st->batch;

            st->step_n = k < 1 ? 1 : k > st->batch ? st->batch : k;
        }
    }
    if (rc != EF_OK)
        return rc;
    ef_emb_part_add(st->part, st->beid, st->res, n);
    st->done += n;
    st->sum.embedded += n;
    if (ef_emb_part_count(st->part) >= pmax)
        rc = close_part(st, err);
    return rc;
}

static void release_run(stage *st)
{
    ef_store_close(st->s);
    st->s = NULL;
    ef_nn_runner_free(st->runner);
    st->runner = NULL;
}

static int work(void *state, ef_error *err)
{
    stage *st = state;
    int rc = st->done < st->sum.todo ? run_batch(st, err) : EF_OK;

    if (rc == EF_OK && st->done < st->sum.todo)
        return EF_CONTINUE;
    return rc;
}

static int seal(void *state, ef_error *err)
{
    stage *st = state;
    int rc = close_part(st, err);

    release_run(st);   /* the fold replaces the store file */
    return rc;
}

static int fold(void *state, ef_error *err)
{
    stage *st = state;
    int rc = ef_emb_fold(st->project_dir, st->store_path, st->sum.name, &st->sum.o, 1, &st->sum.fold, err);

    if (rc == EF_OK)
        st->sum.folded = 1;
    else if (rc == EF_ENOTFOUND && st->sum.embedded == 0 && st->sum.slice == 0)
        rc = EF_OK;   /* nothing to embed and nothing embedded before */
    return rc;
}

static void count(const void *state, uint64_t *done, uint64_t *total)
{
    const stage *st = state;

    *done = st->done;
    *total = st->sum.todo;
}

static void stage_free(void *state)
{
    stage *st = state;

    if (!st)
        return;
    ef_emb_part_abort(st->part);
    release_run(st);
    ef_pool_free(st->pool);
    ef_nn_model_free(st->model);
    ef_emb_fold_result_fini(&st->sum.fold);
    free(st->ecg_eid);
    free(st->todo);
    free(st->in);
    free(st->res);
    free(st->beid);
    free(st->project_dir);
    free(st->store_path);
    free(st->encoder_path);
    free(st);
}

static const ef_part_job_ops stage_ops = {
    .job = EF_PART_JOB_OPS("embed"),
    .unit = "ECGs",
    .work = work,
    .seal = seal,
    .fold = fold,
    .count = count,
    .free = stage_free,
};

/* ------------------------------------------------------------ setup */

void ef_embed_stage_opts_default(ef_embed_stage_opts *o)
{
    memset(o, 0, sizeof *o);
    o->batch = EF_EMBED_BATCH_DEFAULT;
}

/* /ecg: eids, tensor shape, units and preprocess options. */
static int open_ecg(stage *st, ef_error *err)
{
    uint64_t dims[3];
    char *units = NULL, *opts = NULL;
    size_t n;
    int rank, rc = ef_store_open_read(&st->s, st->store_path, err);

    if (rc == EF_ENOTFOUND || (rc == EF_OK && !ef_store_exists(st->s, "/ecg/eid")))
        return ef_error_set_at(err, EF_ENOTFOUND, st->store_path, 0, 0,
                               "no preprocessed ECGs (/ecg) in the store: run `ecgfit -C %s preprocess` first",
                               st->project_dir);
    if (rc == EF_OK)
        rc = ef_store_read_i64(st->s, "/ecg/eid", &st->ecg_eid, &n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(st->s, "/ecg/signal", &rank, dims, 3, err);
    if (rc == EF_OK && (rank != 3 || dims[0] != n || dims[2] != NLEADS))
        rc = ef_error_set_at(err, EF_EDATA, st->store_path, 0, 0, "/ecg/signal does not match /ecg/eid");
    if (rc == EF_OK)
        rc = ef_store_get_attr_str(st->s, "/ecg", "units", &units, err);
    if (rc == EF_OK)
        rc = ef_store_get_attr_str(st->s, "/ecg", "options", &opts, err);
    if (rc == EF_OK) {
        st->sum.ecgs = n;
        st->samples = (size_t)dims[1];
        snprintf(st->sum.o.units, sizeof st->sum.o.units, "%s", units);
        snprintf(st->sum.o.ecg_options, sizeof st->sum.o.ecg_options, "%s", opts);
        st->sum.o.input_length = dims[1];
    }
    free(units);
    free(opts);
    return rc;
}

static int load_encoder(stage *st, ef_error *err)
{
    size_t steps, ch;
    int rc = ef_nn_load_keras(st->encoder_path, &st->model, err);

    if (rc != EF_OK)
        return rc;
    steps = ef_nn_input_steps(st->model);
    ch = ef_nn_input_channels(st->model);
    if (ch != NLEADS)
        return ef_error_set_at(err, EF_EDATA, st->encoder_path, 0, 0,
                               "this encoder takes %zu channels per time step; ECGs have %d leads "
                               "(I, II, III, aVR, aVL, aVF, V1-V6), so it cannot embed them",
                               ch, NLEADS);
    if (steps && steps != st->samples)
        return ef_error_set_at(err, EF_EDATA, st->encoder_path, 0, 0,
                               "this encoder takes %zu samples per lead; the ECGs were preprocessed to %zu: "
                               "run `ecgfit -C %s preprocess --samples %zu%s --restart` (with your other "
                               "preprocess options), then embed again",
                               steps, st->samples, st->project_dir, steps,
                               strcmp(st->sum.o.units, "seed") == 0 ? " --units seed" : "");
    st->out = ef_nn_output_size(st->model);
    if (st->out == 0)
        return ef_error_set_at(err, EF_EDATA, st->encoder_path, 0, 0, "the encoder has an empty output");
    snprintf(st->sum.o.sha256, sizeof st->sum.o.sha256, "%s", ef_nn_sha256(st->model));
    st->sum.o.output_size = st->out;
    st->sum.params = ef_nn_param_count(st->model);
    st->sum.flops_per_ecg = ef_nn_flops(st->model);
    return EF_OK;
}

/* Check NAME's parts (or delete them on restart); collect their eids. */
static int check_parts(stage *st, ef_eid_set *skip, ef_error *err)
{
    ef_emb_part_info *p;
    size_t np, i;
    char diff[160];
    int rc = ef_emb_parts_scan(st->project_dir, st->sum.name, &p, &np, err);
    if (rc != EF_OK)
        return rc;
    if (st->o.restart && np) {
        st->sum.parts_removed = ef_emb_parts_delete(st->o.shard_n ? st->tag : NULL, &st->sum.o, p, np);
        ef_emb_parts_free(p, np);
        rc = ef_emb_parts_scan(st->project_dir, st->sum.name, &p, &np, err);
        if (rc != EF_OK)
            return rc;
    }
    for (i = 0; i < np; i++) {
        if (ef_emb_opts_diff(&st->sum.o, &p[i].o, diff, sizeof diff)) {
            char now[160];

            ef_emb_opts_diff(&p[i].o, &st->sum.o, now, sizeof now);
            rc = ef_error_set_at(err, EF_EDATA, p[i].path, 0, 0,
                                 "embeddings '%s' in %s/%s/%s were made with %s, this run would use %s; "
                                 "they cannot be mixed: pass --restart to embed again, or --name OTHER to "
                                 "keep both",
                                 st->sum.name, st->project_dir, EF_EMB_PARTS_DIR, st->sum.name, diff, now);
            ef_emb_parts_free(p, np);
            return rc;
        }
    }
    for (i = 0; i < np; i++) {
        ef_eid_set_add(skip, p[i].eid, p[i].n);
        st->next_index = ef_part_next_index(st->next_index, p[i].name, st->tag);
    }
    ef_eid_set_sort(skip);
    ef_emb_parts_free(p, np);
    return EF_OK;
}

static int setup(stage *st, ef_error *err)
{
    ef_eid_set skip = { NULL, 0 };
    size_t lo, hi;
    char *dir;
    int rc = open_ecg(st, err);

    if (rc == EF_OK)
        rc = load_encoder(st, err);
    if (rc != EF_OK)
        return rc;
    if (!st->sum.name[0])
        ef_emb_name_from_path(st->encoder_path, st->sum.name, sizeof st->sum.name);
    dir = ef_emb_parts_dir(st->project_dir, st->sum.name);
    st->sum.tmp_removed = ef_part_clean_tmp(dir, st->tag);
    free(dir);
    rc = check_parts(st, &skip, err);
    if (rc != EF_OK) {
        ef_eid_set_fini(&skip);
        return rc;
    }
    ef_part_slice(st->o.shard_k, st->o.shard_n, st->sum.ecgs, &lo, &hi);
    st->sum.slice = hi - lo;
    st->todo = ef_xcalloc(hi - lo + 1, sizeof *st->todo);
    st->sum.todo = ef_part_todo(st->ecg_eid, lo, hi, &skip, st->o.limit, st->todo, &st->sum.resumed);
    ef_eid_set_fini(&skip);
    st->batch = st->o.batch ? st->o.batch : EF_EMBED_BATCH_DEFAULT;
    if (st->sum.todo && st->batch > st->sum.todo)
        st->batch = st->sum.todo;
    if (st->sum.todo) {
        long nt = st->o.threads > 0 ? st->o.threads : sysconf(_SC_NPROCESSORS_ONLN);

        if (nt > 1)   /* the stepping thread runs a share too */
            st->pool = ef_pool_new((int)(nt - 1));
        rc = ef_nn_runner_new_pool(st->model, st->batch, st->pool, &st->runner, err);
        if (rc != EF_OK)
            return rc;
        st->in = ef_xmalloc(st->batch * st->samples * NLEADS * sizeof *st->in);
        st->res = ef_xmalloc(st->batch * st->out * sizeof *st->res);
        st->beid = ef_xmalloc(st->batch * sizeof *st->beid);
    }
    return EF_OK;
}

int ef_embed_stage_job_new(ef_job **out, const ef_embed_stage_opts *o, ef_error *err)
{
    stage *st;
    int rc;

    *out = NULL;
    if (!o->project_dir || !o->store_path || !o->encoder_path)
        return ef_error_set(err, EF_EINVAL, "embed: project folder, store and encoder are required");
    if (o->shard_n && (o->shard_k < 1 || o->shard_k > o->shard_n))
        return ef_error_set(err, EF_EINVAL, "embed: shard %d/%d is out of range", o->shard_k, o->shard_n);
    if (o->name && !ef_emb_name_ok(o->name))
        return ef_error_set(err, EF_EINVAL,
                            "embed: --name '%s' must be 1-%d characters of A-Z a-z 0-9 _ . -", o->name,
                            EF_EMB_NAME_MAX - 1);
    st = ef_xcalloc(1, sizeof *st);
    st->o = *o;
    st->project_dir = ef_xstrdup(o->project_dir);
    st->store_path = ef_xstrdup(o->store_path);
    st->encoder_path = ef_xstrdup(o->encoder_path);
    st->o.project_dir = st->project_dir;
    st->o.store_path = st->store_path;
    st->o.encoder_path = st->encoder_path;
    if (o->name)
        snprintf(st->sum.name, sizeof st->sum.name, "%s", o->name);
    st->o.name = NULL;
    ef_part_shard_names(o->shard_k, o->shard_n, st->tag, sizeof st->tag, st->sum.shard, sizeof st->sum.shard);
    rc = setup(st, err);
    if (rc != EF_OK) {
        stage_free(st);
        return rc;
    }
    *out = ef_part_job_new(&stage_ops, st, o->shard_n != 0);
    return EF_OK;
}

const ef_embed_summary *ef_embed_stage_summary(ef_job *job)
{
    stage *st = ef_part_job_state(job);

    return &st->sum;
}
