/* test_preprocess_stage.c — the preprocess stage on a synthetic cohort:
 * /ecg counts and layout, resume after a cancel (no file processed twice),
 * shards + merge equal to a single run, option changes refused, the
 * store's virtual /ecg/signal equal to the parts' rows. */
#include "config.h"
#include "tap.h"
#include "ecg/ef_ecg_files.h"
#include "core/ef_alloc.h"
#include "core/ef_job.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_preprocess_stage.h"
#include "synth/ef_synth_stage.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NPEOPLE 40

static char base[1024];

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
    o.synth.n = NPEOPLE;
    o.synth.seed = 5;
    o.write_ecg = 1;
    o.threads = 2;
    rc = ef_synth_stage_job_new(&job, &o, &err);
    if (rc == EF_OK)
        while ((rc = ef_job_step(job, 0, &err)) == EF_CONTINUE)
            ;
    if (rc != EF_OK) {
        char buf[2048];

        diag("synth: %d %s", rc, ef_error_format(&err, buf, sizeof buf));
    }
    ef_job_free(job);
    return rc;
}

static void opts_for(ef_preprocess_stage_opts *o, const char *proj, const char *store)
{
    static char ecgdir[1200];

    ef_preprocess_stage_opts_default(o);
    snprintf(ecgdir, sizeof ecgdir, "%s/ecg", base);
    o->project_dir = proj;
    o->ecg_dir = ecgdir;
    o->store_path = store;
    o->threads = 2;
    o->part_max = 7;   /* several parts from a small cohort */
}

/* Run to the end; *processed gets the ECGs read in this run. */
static int run_all(const ef_preprocess_stage_opts *o, size_t *processed, size_t *resumed, int *folded,
                   ef_error *err)
{
    ef_job *job = NULL;
    int rc = ef_preprocess_stage_job_new(&job, o, err);

    if (rc == EF_OK)
        while ((rc = ef_job_step(job, 0, err)) == EF_CONTINUE)
            ;
    if (job) {
        const ef_preprocess_summary *s = ef_preprocess_stage_summary(job);

        if (processed)
            *processed = s->processed;
        if (resumed)
            *resumed = s->resumed;
        if (folded)
            *folded = s->folded;
    }
    ef_job_free(job);
    return rc;
}

typedef struct result {
    int64_t *eid;
    size_t n;
    float *sig;
    size_t samples;
    char *units;
    double n_failed;
} result;

static int load(const char *store, result *r)
{
    ef_store *s;
    uint64_t dims[3];
    int rank, rc;

    memset(r, 0, sizeof *r);
    rc = ef_store_open_read(&s, store, NULL);
    if (rc != EF_OK)
        return rc;
    rc = ef_store_read_i64(s, "/ecg/eid", &r->eid, &r->n, NULL);
    if (rc == EF_OK)
        rc = ef_store_shape(s, "/ecg/signal", &rank, dims, 3, NULL);
    if (rc == EF_OK) {
        r->samples = (size_t)dims[1];
        r->sig = ef_xmalloc(r->n * dims[1] * dims[2] * sizeof(float) + 1);
        rc = ef_store_read_f32_rows(s, "/ecg/signal", 0, r->n, r->sig, NULL);
    }
    if (rc == EF_OK)
        rc = ef_store_get_attr_str(s, "/ecg", "units", &r->units, NULL);
    if (rc == EF_OK)
        rc = ef_store_get_attr_f64(s, "/ecg", "n_failed", &r->n_failed, NULL);
    ef_store_close(s);
    return rc;
}

static void unload(result *r)
{
    free(r->eid);
    free(r->sig);
    free(r->units);
}

static int same(const result *a, const result *b)
{
    return a->n == b->n && a->samples == b->samples && memcmp(a->eid, b->eid, a->n * sizeof *a->eid) == 0 &&
           memcmp(a->sig, b->sig, a->n * a->samples * 12 * sizeof(float)) == 0;
}

static char *mkproj(const char *name)
{
    char *p = ef_xasprintf("%s/%s", base, name);

    mkdir(p, 0777);
    return p;
}

int main(void)
{
    ef_preprocess_stage_opts o;
    ef_error err;
    result single, merged, resumed;
    char *p1 = NULL, *p2, *p3, *st1, *st2, *st3, buf[2048];
    size_t processed = 0, again = 0, skipped = 0, i, nparts = 0, nfiles = 0;
    int folded = 0, rc, finite = 1;
    ef_ecg_part_info *parts = NULL;
    ef_ecg_fold_result fr;

    snprintf(base, sizeof base, "%s", tap_tmpdir());
    if (make_cohort(base) != EF_OK) {
        ok(0, "synthetic cohort");
        return done_testing();
    }
    {
        int64_t *e;
        char **paths;

        ef_ecg_find_files(st1 = ef_xasprintf("%s/ecg", base), 2, &e, &paths, &nfiles, NULL);
        free(st1);
        for (i = 0; i < nfiles; i++)
            free(paths[i]);
        free(paths);
        free(e);
        ok(nfiles > 10, "found %zu instance-2 ECG files", nfiles);
    }

    /* ---- a single run ---- */
    p1 = mkproj("single");
    st1 = ef_xasprintf("%s/ecgfit.h5", p1);
    opts_for(&o, p1, st1);
    rc = run_all(&o, &processed, NULL, &folded, &err);
    if (!is_int(rc, EF_OK, "single run succeeds"))
        diag("%s", ef_error_format(&err, buf, sizeof buf));
    is_int((long long)processed, (long long)nfiles, "every file processed");
    ok(folded, "a run without --shard writes /ecg");
    is_int(load(st1, &single), EF_OK, "/ecg readable");
    is_int((long long)single.n + (long long)single.n_failed, (long long)nfiles, "ECGs + failures = files");
    is_int((long long)single.samples, 4096, "4096 samples");
    is_str(single.units, "mv", "units recorded as mv");
    for (i = 1; i < single.n; i++)
        if (single.eid[i] <= single.eid[i - 1])
            break;
    ok(single.n > 0 && i == single.n, "/ecg/eid sorted and unique");
    for (i = 0; i < single.n * 4096 * 12; i++)
        if (!isfinite(single.sig[i])) {
            finite = 0;
            break;
        }
    ok(finite, "virtual /ecg/signal reads every row from the parts (no fill values)");
    rc = ef_ecg_parts_scan(p1, &parts, &nparts, NULL);
    ok(rc == EF_OK && nparts == (nfiles + 6) / 7, "%zu parts of <= 7 ECGs", nparts);
    ef_ecg_parts_free(parts, nparts);

    /* a second run has nothing to do */
    rc = run_all(&o, &again, &skipped, NULL, &err);
    ok(rc == EF_OK && again == 0 && skipped == nfiles, "rerun resumes everything (%zu processed, %zu skipped)",
       again, skipped);

    /* ---- units change refused, then --restart ---- */
    o.pp.units = EF_UNITS_SEED;
    rc = run_all(&o, NULL, NULL, NULL, &err);
    is_int(rc, EF_EDATA, "--units seed over mv parts is refused");
    like(err.msg, "were made with --units mv", "message names the option difference");
    like(err.msg, "--restart", "message suggests --restart");
    o.restart = 1;
    rc = run_all(&o, &processed, NULL, NULL, &err);
    ok(rc == EF_OK && processed == nfiles, "--restart redoes everything in seed units");
    {
        result r;

        load(st1, &r);
        is_str(r.units, "seed", "units recorded as seed");
        ok(r.n == single.n && r.n > 0, "same ECGs");
        /* mv = seed * Resolution (5 uV/LSB) exactly for the synthetic files */
        for (i = 0; i < r.n * 4096 * 12; i++)
            if (single.sig[i] != r.sig[i] * 5.0f)
                break;
        ok(i == r.n * 4096 * 12, "mv rows == seed rows * 5 exactly");
        unload(&r);
    }

    /* ---- cancel midway, resume ---- */
    p3 = mkproj("resume");
    st3 = ef_xasprintf("%s/ecgfit.h5", p3);
    opts_for(&o, p3, st3);
    {
        ef_job *job = NULL;
        size_t first = 0, tmpleft = 0;

        rc = ef_preprocess_stage_job_new(&job, &o, &err);
        if (rc == EF_OK)
            rc = ef_job_step(job, 0, &err);
        is_int(rc, EF_CONTINUE, "one step, more to do");
        ef_job_cancel(job);
        rc = ef_job_step(job, 0, &err);
        is_int(rc, EF_ECANCELED, "cancelled");
        first = ef_preprocess_stage_summary(job)->processed;
        ok(first > 0 && first < nfiles, "cancel came midway (%zu of %zu)", first, nfiles);
        ef_job_free(job);
        tmpleft = ef_ecg_parts_clean_tmp(p3, NULL);
        is_int((long long)tmpleft, 0, "no temporary part file left behind");
        ok(access(st3, F_OK) != 0, "no store written by the cancelled run");
        rc = run_all(&o, &again, &skipped, NULL, &err);
        is_int(rc, EF_OK, "resumed run succeeds");
        is_int((long long)(first + again), (long long)nfiles, "no file processed twice (%zu + %zu)", first, again);
        is_int((long long)skipped, (long long)first, "resumed run skipped the finished ones");
        is_int(load(st3, &resumed), EF_OK, "resumed /ecg readable");
        ok(same(&single, &resumed), "resumed result == single run (eids, signal bytes)");
        unload(&resumed);
    }

    /* ---- shards + merge ---- */
    p2 = mkproj("shards");
    st2 = ef_xasprintf("%s/ecgfit.h5", p2);
    opts_for(&o, p2, st2);
    o.shard_k = 1;
    o.shard_n = 2;
    rc = run_all(&o, &processed, NULL, &folded, &err);
    ok(rc == EF_OK && !folded, "shard 1/2 writes parts only");
    is_int((long long)processed, (long long)(nfiles / 2), "shard 1/2 takes floor(M/2) files");
    rc = ef_ecg_fold(p2, st2, NULL, 0, &fr, &err);
    is_int(rc, EF_EDATA, "merge with shard 2/2 missing refused");
    like(err.msg, "2/2", "message names the missing shard");
    ef_ecg_fold_result_fini(&fr);
    o.shard_k = 2;
    rc = run_all(&o, &processed, NULL, NULL, &err);
    is_int((long long)processed, (long long)(nfiles - nfiles / 2), "shard 2/2 takes the rest");
    rc = ef_ecg_fold(p2, st2, NULL, 0, &fr, &err);
    if (!is_int(rc, EF_OK, "merge"))
        diag("%s", ef_error_format(&err, buf, sizeof buf));
    is_int((long long)fr.ecgs, (long long)single.n, "merged ECG count");
    ef_ecg_fold_result_fini(&fr);
    is_int(load(st2, &merged), EF_OK, "merged /ecg readable");
    ok(same(&single, &merged), "shards + merge == single run (eids, signal bytes)");
    unload(&merged);

    /* the fold in slices: each step reads at most one part's data */
    {
        ef_ecg_folder *F;
        size_t steps = 0, before = 0, most = 0, nfolded;

        ef_ecg_folder_new(&F, p2, st2, NULL, 0, &fr);
        while ((rc = ef_ecg_folder_step(F, &err)) == EF_CONTINUE) {
            size_t now = ef_ecg_folder_parts_read(F);

            most = now - before > most ? now - before : most;
            before = now;
            steps++;
        }
        nfolded = ef_ecg_folder_parts_read(F);
        ef_ecg_folder_free(F);
        is_int(rc, EF_OK, "fold in slices");
        ok(nfolded >= 2, "fold in slices: %zu parts", nfolded);
        is_int((long long)most, 1, "fold in slices: at most one part's data per step");
        ok(steps >= nfolded + 4, "fold in slices: scan, parts, begin, writes, commit in their own steps (%zu)", steps);
        is_int((long long)fr.ecgs, (long long)single.n, "fold in slices: the ECG count");
        ef_ecg_fold_result_fini(&fr);
        is_int(load(st2, &merged), EF_OK, "fold in slices: /ecg readable");
        ok(same(&single, &merged), "fold in slices == single run (eids, signal bytes)");
        unload(&merged);
    }

    /* overlapping shards: a copy of a shard's part under another name */
    {
        char *cmd = ef_xasprintf("cp '%s/ecg-data/part-1-of-2-00000.h5' '%s/ecg-data/part-all-00000.h5'", p2, p2);

        rc = system(cmd);
        free(cmd);
        rc = ef_ecg_fold(p2, st2, NULL, 1, &fr, &err);
        is_int(rc, EF_EDATA, "overlapping parts refused");
        like(err.msg, "overlapping", "message says overlapping");
        ef_ecg_fold_result_fini(&fr);
    }

    unload(&single);
    free(p1);
    free(p2);
    free(p3);
    free(st1);
    free(st2);
    free(st3);
    return done_testing();
}
