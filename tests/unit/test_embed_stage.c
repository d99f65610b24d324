/* test_embed_stage.c — the embed stage on a preprocessed synthetic cohort
 * with a small PCLR-architecture encoder: /embeddings/NAME layout and
 * attributes, values equal to a direct ef_nn_run on the same rows, resume
 * after a cancel (no ECG embedded twice), shards + fold equal to a single
 * run, refusals (other units, other input length, no /ecg), names. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_job.h"
#include "nn/ef_nn.h"
#include "pipeline/ef_embed_stage.h"
#include "pipeline/ef_emb_parts.h"
#include "pipeline/ef_preprocess_stage.h"
#include "synth/ef_synth_stage.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BATCH 4

static char base[1024];
static char errbuf[2048];

static const char *fmt(const ef_error *err)
{
    return ef_error_format(err, errbuf, sizeof errbuf);
}

static int make_cohort(const char *dir)
{
    ef_synth_stage_opts o;
    ef_job *job = NULL;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    memset(&o, 0, sizeof o);
    o.dir = dir;
    ef_synth_opts_default(&o.synth);
    o.synth.n = 40;
    o.synth.seed = 5;
    o.write_ecg = 1;
    o.threads = 2;
    rc = ef_synth_stage_job_new(&job, &o, &err);
    if (rc == EF_OK)
        while ((rc = ef_job_step(job, 0, &err)) == EF_CONTINUE)
            ;
    if (rc != EF_OK)
        diag("synth: %s", fmt(&err));
    ef_job_free(job);
    return rc;
}

static int preprocess(const char *proj, const char *store, int seed_units, size_t samples, int restart)
{
    ef_preprocess_stage_opts o;
    ef_job *job = NULL;
    ef_error err;
    char *ecgdir = ef_xasprintf("%s/ecg", base);
    int rc;

    ef_error_clear(&err);
    ef_preprocess_stage_opts_default(&o);
    o.project_dir = proj;
    o.ecg_dir = ecgdir;
    o.store_path = store;
    o.threads = 2;
    o.restart = restart;
    if (seed_units)
        ef_units_parse("seed", &o.pp.units);
    if (samples)
        o.pp.samples = samples;
    rc = ef_preprocess_stage_job_new(&job, &o, &err);
    if (rc == EF_OK)
        while ((rc = ef_job_step(job, 0, &err)) == EF_CONTINUE)
            ;
    if (rc != EF_OK)
        diag("preprocess: %s", fmt(&err));
    ef_job_free(job);
    free(ecgdir);
    return rc;
}

static void embed_opts(ef_embed_stage_opts *o, const char *proj, const char *store, const char *enc,
                       const char *name)
{
    ef_embed_stage_opts_default(o);
    o->project_dir = proj;
    o->store_path = store;
    o->encoder_path = enc;
    o->name = name;
    o->batch = BATCH;
    o->threads = 2;
    o->part_max = 12;   /* several parts; a multiple of BATCH keeps batches aligned */
}

/* Run to the end (or cancel after cancel_after steps); copy the summary. */
static int embed(const ef_embed_stage_opts *o, int cancel_after, ef_embed_summary *sum, ef_error *err)
{
    ef_job *job = NULL;
    int rc = ef_embed_stage_job_new(&job, o, err), steps = 0;

    if (rc == EF_OK) {
        while ((rc = ef_job_step(job, 0, err)) == EF_CONTINUE)
            if (cancel_after && ++steps == cancel_after)
                ef_job_cancel(job);
    }
    if (job && sum) {
        *sum = *ef_embed_stage_summary(job);
        memset(&sum->fold, 0, sizeof sum->fold);   /* owned by the job */
    }
    ef_job_free(job);
    return rc;
}

typedef struct embs {
    int64_t *eid;
    size_t n, out;
    float *v;
} embs;

static int load_embs(const char *store, const char *name, embs *e)
{
    ef_store *s;
    char path[256];
    uint64_t dims[2];
    size_t n;
    int rank, rc;

    memset(e, 0, sizeof *e);
    rc = ef_store_open_read(&s, store, NULL);
    if (rc != EF_OK)
        return rc;
    snprintf(path, sizeof path, "/embeddings/%s/eid", name);
    rc = ef_store_read_i64(s, path, &e->eid, &e->n, NULL);
    snprintf(path, sizeof path, "/embeddings/%s/values", name);
    if (rc == EF_OK)
        rc = ef_store_shape(s, path, &rank, dims, 2, NULL);
    if (rc == EF_OK && (rank != 2 || dims[0] != e->n))
        rc = EF_EDATA;
    if (rc == EF_OK) {
        n = e->n;
        e->out = (size_t)dims[1];
        e->v = ef_xmalloc(n * e->out * sizeof(float) + 1);
        rc = ef_store_read_f32_rows(s, path, 0, n, e->v, NULL);
    }
    ef_store_close(s);
    return rc;
}

static void free_embs(embs *e)
{
    free(e->eid);
    free(e->v);
}

/* Same eids, values within 1e-6 of the scale (a row's value may depend on
 * its batch neighbours in the last bits: GEMM blocking); *bitwise set. */
static int same_embs(const embs *a, const embs *b, int *bitwise)
{
    double maxdiff = 0, scale = 0;
    size_t i;

    *bitwise = 0;
    if (a->n != b->n || a->out != b->out || !a->n || memcmp(a->eid, b->eid, a->n * sizeof *a->eid) != 0)
        return 0;
    for (i = 0; i < a->n * a->out; i++) {
        double d = fabs((double)a->v[i] - (double)b->v[i]);

        if (!(d <= maxdiff))
            maxdiff = d;
        if (fabs(a->v[i]) > scale)
            scale = fabs(a->v[i]);
    }
    *bitwise = memcmp(a->v, b->v, a->n * a->out * sizeof(float)) == 0;
    if (!*bitwise)
        diag("max |diff| %g at scale %g", maxdiff, scale);
    return maxdiff <= 1e-6 * scale;
}

/* Embed /ecg rows directly, BATCH at a time, and compare with e. */
static void check_direct(const char *store, const char *enc, const embs *e)
{
    ef_nn_model *m = NULL;
    ef_nn_runner *r = NULL;
    ef_store *s = NULL;
    ef_error err;
    int64_t *eid = NULL;
    size_t n = 0, row, k, out, per = 4096 * 12, nbad = 0;
    float *in = NULL, *res = NULL;
    double maxdiff = 0, scale = 0;
    int rc, bitwise = 1;

    ef_error_clear(&err);
    rc = ef_nn_load_keras(enc, &m, &err);
    if (rc == EF_OK)
        rc = ef_nn_runner_new(m, BATCH, 2, &r, &err);
    if (rc == EF_OK)
        rc = ef_store_open_read(&s, store, &err);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, "/ecg/eid", &eid, &n, &err);
    if (!is_int(rc, EF_OK, "direct: encoder and /ecg loaded")) {
        diag("%s", fmt(&err));
        goto out;
    }
    out = ef_nn_output_size(m);
    is_int((long long)n, (long long)e->n, "one embedding per /ecg row");
    ok(n == e->n && memcmp(eid, e->eid, n * sizeof *eid) == 0, "/embeddings eids are /ecg/eid, in order");
    in = ef_xmalloc(BATCH * per * sizeof *in);
    res = ef_xmalloc(BATCH * out * sizeof *res);
    for (row = 0; row < n && row < e->n && rc == EF_OK; row += BATCH) {
        size_t m_ = n - row < BATCH ? n - row : BATCH;

        rc = ef_store_read_f32_rows(s, "/ecg/signal", row, m_, in, &err);
        if (rc == EF_OK)
            rc = ef_nn_run(r, in, m_, res, &err);
        for (k = 0; rc == EF_OK && k < m_ * out; k++) {
            double d = fabs((double)res[k] - (double)e->v[row * out + k]);

            if (d > maxdiff)
                maxdiff = d;
            if (fabs(res[k]) > scale)
                scale = fabs(res[k]);
            if (memcmp(&res[k], &e->v[row * out + k], sizeof(float)) != 0)
                bitwise = 0;
            nbad += !isfinite(res[k]);
        }
    }
    if (!is_int(rc, EF_OK, "direct ef_nn_run over /ecg rows"))
        diag("%s", fmt(&err));
    ok(nbad == 0 && scale > 0, "direct outputs finite and not all zero (scale %g)", scale);
    ok(maxdiff <= 1e-6 * scale, "stage == direct ef_nn_run on the same rows: max |diff| %g (%s)", maxdiff,
       bitwise ? "bitwise equal" : "not bitwise");
out:
    free(in);
    free(res);
    free(eid);
    ef_store_close(s);
    ef_nn_runner_free(r);
    ef_nn_model_free(m);
}

static char *mkproj(const char *name)
{
    char *p = ef_xasprintf("%s/%s", base, name);

    mkdir(p, 0777);
    return p;
}

static void check_names(void)
{
    char n[EF_EMB_NAME_MAX];

    ef_emb_name_from_path("models/PCLR.h5", n, sizeof n);
    is_str(n, "PCLR", "name: base name without extension");
    ef_emb_name_from_path("a b/my enc+v2.keras.h5", n, sizeof n);
    is_str(n, "my_enc_v2.keras", "name: odd characters replaced, last extension dropped");
    ef_emb_name_from_path("dir/", n, sizeof n);
    is_str(n, "encoder", "name: fallback for an empty base name");
    ok(ef_emb_name_ok("C3PO-pclr_2.5k") && !ef_emb_name_ok("a/b") && !ef_emb_name_ok("..") && !ef_emb_name_ok(""),
       "name validation");
}

int main(void)
{
    ef_embed_stage_opts o;
    ef_embed_summary sum;
    ef_emb_part_info *parts = NULL;
    ef_emb_fold_result fr;
    ef_nn_model *m = NULL;
    ef_error err;
    embs single, again, sharded;
    char *proj, *store, *enc, *enc2500, *empty, *estore, *sha = NULL, *units = NULL;
    size_t nparts = 0, i, total = 0, n_ecg;
    double v;
    int rc, bitwise;
    ef_store *s;

    ef_error_clear(&err);
    snprintf(base, sizeof base, "%s", tap_tmpdir());
    check_names();
    if (make_cohort(base) != EF_OK) {
        ok(0, "synthetic cohort");
        return done_testing();
    }
    proj = mkproj("proj");
    store = ef_xasprintf("%s/ecgfit.h5", proj);
    enc = ef_xasprintf("%s/enc.h5", base);
    enc2500 = ef_xasprintf("%s/enc2500.h5", base);
    is_int(preprocess(proj, store, 0, 0, 0), EF_OK, "preprocess the cohort (mv, 4096)");
    rc = ef_nn_write_pclr(enc, 0.125, 4096, 1, &err);
    if (!is_int(rc, EF_OK, "write a PCLR-architecture encoder at width 0.125"))
        diag("%s", fmt(&err));
    rc = ef_nn_load_keras(enc, &m, &err);
    if (!is_int(rc, EF_OK, "the encoder loads")) {
        diag("%s", fmt(&err));
        return done_testing();
    }

    /* ---- a single run ---- */
    embed_opts(&o, proj, store, enc, NULL);
    rc = embed(&o, 0, &sum, &err);
    if (!is_int(rc, EF_OK, "embed runs"))
        diag("%s", fmt(&err));
    is_str(sum.name, "enc", "NAME defaults to the encoder's base name");
    ok(sum.folded, "a run without --shard writes /embeddings/enc");
    n_ecg = sum.ecgs;
    is_int((long long)sum.embedded, (long long)n_ecg, "every ECG embedded");
    is_int(load_embs(store, "enc", &single), EF_OK, "/embeddings/enc readable");
    is_int((long long)single.out, (long long)ef_nn_output_size(m), "values have the encoder's output size");
    check_direct(store, enc, &single);
    rc = ef_store_open_read(&s, store, NULL);
    if (rc == EF_OK) {
        rc = ef_store_get_attr_str(s, "/embeddings/enc", "encoder_sha256", &sha, NULL);
        if (rc == EF_OK)
            rc = ef_store_get_attr_str(s, "/embeddings/enc", "units", &units, NULL);
        if (rc == EF_OK)
            rc = ef_store_get_attr_f64(s, "/embeddings/enc", "input_length", &v, NULL);
        ef_store_close(s);
    }
    is_int(rc, EF_OK, "attributes present");
    is_str(sha ? sha : "", ef_nn_sha256(m), "encoder sha256 recorded");
    is_str(units ? units : "", "mv", "units recorded");
    is_abs(v, 4096, 0, "input length recorded");
    free(sha);
    free(units);
    rc = ef_emb_parts_scan(proj, "enc", &parts, &nparts, &err);
    is_int((long long)nparts, (long long)((n_ecg + 11) / 12), "parts of 12 ECGs");
    ef_emb_parts_free(parts, nparts);

    /* ---- rerun: nothing to do ---- */
    rc = embed(&o, 0, &sum, &err);
    ok(rc == EF_OK && sum.embedded == 0 && sum.resumed == n_ecg && sum.folded, "a rerun embeds nothing again");

    /* ---- resume after a cancel ---- */
    embed_opts(&o, proj, store, enc, "resume");
    rc = embed(&o, 2, &sum, &err);
    is_int(rc, EF_ECANCELED, "cancelled after two batches");
    rc = ef_emb_parts_scan(proj, "resume", &parts, &nparts, &err);
    for (i = 0, total = 0; i < nparts; i++)
        total += parts[i].n;
    ef_emb_parts_free(parts, nparts);
    /* a step is a slice of a batch sized by its time: two steps embed 2 to 2 x BATCH ECGs */
    ok(rc == EF_OK && total >= 2 && total <= 2 * BATCH, "cancel sealed the part: %zu ECGs kept", total);
    rc = embed(&o, 0, &sum, &err);
    if (!is_int(rc, EF_OK, "resumed run"))
        diag("%s", fmt(&err));
    is_int((long long)sum.resumed, (long long)total, "the kept ECGs are skipped");
    is_int((long long)sum.embedded, (long long)(n_ecg - total), "only the rest embedded");
    is_int(load_embs(store, "resume", &again), EF_OK, "/embeddings/resume readable");
    ok(same_embs(&single, &again, &bitwise) && bitwise, "resumed == single run (eids and value bytes)");
    free_embs(&again);

    /* ---- shards + fold ---- */
    embed_opts(&o, proj, store, enc, "sh");
    o.shard_k = 2;
    o.shard_n = 2;
    rc = embed(&o, 0, &sum, &err);
    ok(rc == EF_OK && !sum.folded && sum.slice == n_ecg - n_ecg / 2, "shard 2/2 embeds its slice, no fold");
    rc = ef_emb_fold(proj, store, "sh", NULL, 0, &fr, &err);
    is_int(rc, EF_EDATA, "fold refuses with shard 1/2 missing");
    like(err.msg, "1/2", "and names it");
    ef_emb_fold_result_fini(&fr);
    o.shard_k = 1;
    rc = embed(&o, 0, &sum, &err);
    ok(rc == EF_OK && sum.embedded == n_ecg / 2, "shard 1/2");
    rc = ef_emb_fold(proj, store, "sh", NULL, 0, &fr, &err);
    if (!is_int(rc, EF_OK, "fold of both shards"))
        diag("%s", fmt(&err));
    ef_emb_fold_result_fini(&fr);
    is_int(load_embs(store, "sh", &sharded), EF_OK, "/embeddings/sh readable");
    ok(same_embs(&single, &sharded, &bitwise), "shards + fold == single run (%s)",
       bitwise ? "bitwise" : "within 1e-6 of the scale");
    free_embs(&sharded);

    /* ---- refusals ---- */
    empty = mkproj("empty");
    estore = ef_xasprintf("%s/ecgfit.h5", empty);
    embed_opts(&o, empty, estore, enc, NULL);
    rc = embed(&o, 0, NULL, &err);
    is_int(rc, EF_ENOTFOUND, "no /ecg: refused");
    like(err.msg, "preprocess` first", "and says to preprocess first");

    is_int(preprocess(proj, store, 1, 0, 1), EF_OK, "preprocess again with --units seed");
    embed_opts(&o, proj, store, enc, NULL);
    rc = embed(&o, 0, NULL, &err);
    is_int(rc, EF_EDATA, "embeddings from mv ECGs + seed ECGs: refused");
    like(err.msg, "units", "the refusal names the units");
    o.restart = 1;
    rc = embed(&o, 0, &sum, &err);
    ok(rc == EF_OK && sum.embedded == n_ecg && sum.parts_removed > 0, "--restart embeds again");
    is_str(sum.o.units, "seed", "now units seed");

    is_int(preprocess(proj, store, 0, 2500, 1), EF_OK, "preprocess again to 2500 samples");
    rc = embed(&o, 0, NULL, &err);
    is_int(rc, EF_EDATA, "a 4096-sample encoder on 2500-sample ECGs: refused");
    like(err.msg, "this encoder takes 4096 samples per lead; the ECGs were preprocessed to 2500",
         "the message names both lengths");
    like(err.msg, "preprocess --samples 4096", "and says how to re-run preprocessing");
    rc = ef_nn_write_pclr(enc2500, 0.125, 2500, 1, &err);
    is_int(rc, EF_OK, "a 2500-sample encoder");
    o.encoder_path = enc2500;
    o.restart = 0;
    rc = embed(&o, 0, &sum, &err);
    if (!is_int(rc, EF_OK, "which embeds the 2500-sample ECGs"))
        diag("%s", fmt(&err));
    is_str(sum.name, "enc2500", "under its own name");

    free_embs(&single);
    ef_nn_model_free(m);
    free(proj);
    free(store);
    free(enc);
    free(enc2500);
    free(empty);
    free(estore);
    return done_testing();
}
