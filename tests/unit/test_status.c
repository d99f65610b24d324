/* test_status.c — where a project stands (pipeline/ef_status): sources
 * present or missing, each stage's state from the store's attributes and
 * shapes (not run, done, failed, partly done, stale), the cohort funnel
 * labels records, the synthetic marks, and the failures list. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "nn/ef_nn.h"
#include "nn/ef_sha256.h"
#include "pipeline/ef_status.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static const char *tmp;

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

/* Set a file's modification time to t. */
static void set_mtime(const char *path, time_t t)
{
    struct utimbuf u = { t, t };

    utime(path, &u);
}

static ef_project_status *status(const char *dir)
{
    ef_project_status *s = NULL;
    ef_error err;

    ef_error_clear(&err);
    is_int(ef_status_read(dir, NULL, &s, &err), EF_OK, "ef_status_read %s", dir);
    return s;
}

/* A store as labels and preprocess leave it, stamped at created. */
static void make_store(const char *path, const char *created, int with_failures)
{
    ef_store *s;
    ef_error err;
    int64_t eid[5] = { 1000001, 1000002, 1000003, 1000004, 1000005 };
    double v[5] = { 30, 31, 32, 33, 34 };
    const ef_store_attr funnel[] = {
        EF_STORE_ATTR_STR("created", created),
        EF_STORE_ATTR_NUM("rows_rejected", 2),
        EF_STORE_ATTR_NUM("n_rows_csv", 7),
        EF_STORE_ATTR_NUM("n_with_ecg", 5),
        EF_STORE_ATTR_NUM("n_with_demographics", 4),
        EF_STORE_ATTR_NUM("ecg_instance", 2),
        EF_STORE_ATTR_NUM("synthetic", 1),
    };
    const ef_store_attr target[] = {
        EF_STORE_ATTR_STR("role", "target"),
        EF_STORE_ATTR_STR("label", "VO2max"),
        EF_STORE_ATTR_STR("field", "30038"),
        EF_STORE_ATTR_NUM("n_with_ecg_demographics", 3),
    };

    ef_error_clear(&err);
    is_int(ef_store_begin(&s, path, &err), EF_OK, "begin %s", path);
    ef_store_write_i64(s, "/participants/eid", eid, 5, &err);
    ef_store_write_f64(s, "/participants/vo2max", v, 5, &err);
    ef_store_set_attrs(s, "/participants", funnel, sizeof funnel / sizeof funnel[0], &err);
    ef_store_set_attrs(s, "/participants/vo2max", target, sizeof target / sizeof target[0], &err);
    ef_store_write_i64(s, "/ecg/eid", eid, 4, &err);
    ef_store_set_attr_str(s, "/ecg", "created", created, &err);
    if (with_failures)
        ef_store_write_i64(s, "/ecg/failures/eid", eid + 4, 1, &err);
    is_int(ef_store_commit(s, &err), EF_OK, "commit: %s", err.msg);
}

static void test_fresh_project(void)
{
    char *dir = ef_xasprintf("%s/p1", tmp), *csv = ef_xasprintf("%s/p1/main.csv", tmp);
    ef_project_status *s;
    ef_error err;
    int i;

    mkdir(dir, 0777);
    write_file(csv, "eid\n1\n");
    ef_error_clear(&err);
    is_int(ef_project_init(dir, csv, NULL, "nowhere.h5", 1, &err), EF_OK, "init: %s", err.msg);
    s = status(dir);
    ok(s && !s->config_error, "config read");
    ok(s->main_csv.exists && s->main_csv.size == 6, "main CSV present, 6 bytes");
    ok(!s->ecg_dir.path, "no ECG folder configured");
    ok(s->encoder.path && !s->encoder.exists, "encoder configured but missing");
    ok(!s->have_store, "no store yet");
    for (i = 0; i < EF_ST_COUNT; i++)
        is_int(s->stage[i].state, EF_STAGE_NOT_RUN, "%s: not run", s->stage[i].name);
    ok(!s->synthetic_data && !s->synthetic_encoder, "nothing synthetic");
    is_int((long long)s->nfunnel, 0, "no funnel before labels");
    ef_status_free(s);

    /* a synth stamp beside the main CSV marks the data synthetic */
    {
        char *stamp = ef_xasprintf("%s/.ecgfit-synth", dir);

        write_file(stamp, "ecgfit synth: n=1\n");
        s = status(dir);
        ok(s->synthetic_data, "a .ecgfit-synth stamp: synthetic data");
        ef_status_free(s);
        free(stamp);
    }
    free(dir);
    free(csv);
}

static void test_stages(void)
{
    char *dir = ef_xasprintf("%s/p2", tmp), *csv = ef_xasprintf("%s/p2/main.csv", tmp);
    char *ecg = ef_xasprintf("%s/p2/ecg", tmp), *store = ef_xasprintf("%s/p2/ecgfit.h5", tmp);
    char *parts = ef_xasprintf("%s/p2/ecg-data", tmp), *part = ef_xasprintf("%s/p2/ecg-data/part-all-00000.h5", tmp);
    char *fails = ef_xasprintf("%s/p2/preprocess-failures.txt", tmp);
    time_t past = time(NULL) - 3600 * 24 * 3;
    char created[64];
    struct tm tm;
    ef_project_status *s;
    ef_failure *f = NULL;
    size_t n, total;
    ef_error err;

    gmtime_r(&(time_t){ past + 60 }, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    mkdir(dir, 0777);
    mkdir(ecg, 0777);
    write_file(csv, "eid\n1\n");
    {
        char *x = ef_xasprintf("%s/1000001_20205_2_0.xml", ecg), *y = ef_xasprintf("%s/notes.txt", ecg);

        write_file(x, "<x/>");
        write_file(y, "not an ECG");
        free(x);
        free(y);
    }
    set_mtime(csv, past);
    set_mtime(ecg, past);
    ef_error_clear(&err);
    is_int(ef_project_init(dir, csv, ecg, NULL, 1, &err), EF_OK, "init: %s", err.msg);
    make_store(store, created, 1);

    s = status(dir);
    ok(s->have_store, "store found");
    is_int((long long)s->ecg_dir.nfiles, 1, "ECG folder: only the ECG file names are counted");
    is_int(s->stage[EF_ST_LABELS].state, EF_STAGE_FAILED, "labels: done with rejected rows");
    is_int((long long)s->stage[EF_ST_LABELS].count, 5, "labels: 5 participants");
    is_int((long long)s->stage[EF_ST_LABELS].failed, 2, "labels: 2 rows rejected");
    like(s->stage[EF_ST_LABELS].detail, "5 participants, 2 rows rejected", "labels: detail");
    is_int((long long)s->stage[EF_ST_LABELS].when, (long long)(past + 60), "labels: when, from `created`");
    is_int(s->stage[EF_ST_PREPROCESS].state, EF_STAGE_FAILED, "preprocess: done with a failure");
    like(s->stage[EF_ST_PREPROCESS].detail, "4 ECGs, 1 failed", "preprocess: detail");
    is_int(s->stage[EF_ST_EMBED].state, EF_STAGE_NOT_RUN, "embed: not run");
    is_int(s->stage[EF_ST_TRAIN].state, EF_STAGE_NOT_RUN, "train: not run");
    ok(s->synthetic_data, "labels' synthetic mark");
    is_int((long long)s->nfunnel, 4, "funnel: rows, with ECG, with demographics, one target");
    if (s->nfunnel == 4) {
        is_int((long long)s->funnel[0].n, 7, "funnel: rows in the CSV");
        like(s->funnel[1].label, "instance-2 ECG", "funnel: the ECG step names the instance");
        is_int((long long)s->funnel[2].n, 4, "funnel: with age, sex, BMI");
        ok(s->funnel[3].target && s->funnel[3].n == 3, "funnel: the target's n");
        like(s->funnel[3].label, "with VO2max (30038)", "funnel: the target's label and field");
    }
    ef_status_free(s);

    /* inputs newer than the outputs: stale */
    set_mtime(csv, time(NULL));
    set_mtime(ecg, time(NULL));
    s = status(dir);
    is_int(s->stage[EF_ST_LABELS].state, EF_STAGE_STALE, "labels: stale after the main CSV changed");
    like(s->stage[EF_ST_LABELS].why, "main CSV changed", "labels: says why");
    is_int(s->stage[EF_ST_PREPROCESS].state, EF_STAGE_STALE, "preprocess: stale after the ECG folder changed");
    ef_status_free(s);

    /* a part file newer than /ecg: a run was cut short */
    mkdir(parts, 0777);
    write_file(part, "");
    s = status(dir);
    is_int(s->stage[EF_ST_PREPROCESS].state, EF_STAGE_PARTIAL, "preprocess: partly done with a newer part file");
    like(s->stage[EF_ST_PREPROCESS].why, "1 part file written", "preprocess: how far");
    ef_status_free(s);

    /* the failures list */
    write_file(fails, "ecg/1000005_20205_2_0.xml:1: not an XML file\nplain reason\n\n");
    ef_error_clear(&err);
    is_int(ef_status_failures(dir, EF_ST_PREPROCESS, 0, 10, &f, &n, &total, &err), EF_OK, "failures read");
    is_int((long long)total, 2, "two failures (blank lines skipped)");
    if (n == 2) {
        is_str(f[0].file, "ecg/1000005_20205_2_0.xml:1", "file (with its line)");
        is_str(f[0].reason, "not an XML file", "reason");
        is_str(f[1].file, "", "a line without a file");
        is_str(f[1].reason, "plain reason", "its reason");
    }
    ef_status_failures_free(f, n);
    is_int(ef_status_failures(dir, EF_ST_PREPROCESS, 1, 10, &f, &n, &total, &err), EF_OK, "failures from 1");
    ok(n == 1 && total == 2 && strcmp(f[0].reason, "plain reason") == 0, "a window of the list");
    ef_status_failures_free(f, n);
    is_int(ef_status_failures(dir, EF_ST_LABELS, 0, 10, &f, &n, &total, &err), EF_OK, "no rejects file: fine");
    is_int((long long)total, 0, "and no failures");
    ef_status_failures_free(f, n);

    free(dir); free(csv); free(ecg); free(store); free(parts); free(part); free(fails);
}

/* A seeded encoder (encoder new) says so; its checksum is the file's. */
static void test_encoder(void)
{
    char *dir = ef_xasprintf("%s/p4", tmp), *enc = ef_xasprintf("%s/p4/enc.h5", tmp);
    char hex[65] = "";
    ef_project_status *s, *again;
    ef_error err;

    mkdir(dir, 0777);
    ef_error_clear(&err);
    is_int(ef_nn_write_pclr(enc, 0.125, 512, 1, &err), EF_OK, "a small seeded PCLR: %s", err.msg);
    is_int(ef_project_init(dir, NULL, NULL, enc, 1, &err), EF_OK, "init with the encoder");
    ef_sha256_file(enc, hex, &err);
    s = status(dir);
    ok(s->encoder.exists, "encoder present");
    is_str(s->encoder.sha256, hex, "encoder sha256");
    ok(s->encoder.synthetic && s->synthetic_encoder, "seeded weights: the encoder is synthetic");
    again = NULL;
    is_int(ef_status_read(dir, s, &again, &err), EF_OK, "read again, lending the last status");
    if (again)
        is_str(again->encoder.sha256, hex, "the checksum carried over");
    ef_status_free(again);
    ef_status_free(s);
    free(dir);
    free(enc);
}

static void test_bad_config(void)
{
    char *dir = ef_xasprintf("%s/p3", tmp), *ini = ef_xasprintf("%s/p3/ecgfit.ini", tmp);
    ef_project_status *s;

    mkdir(dir, 0777);
    write_file(ini, "[project]\nmain_cvs = x.csv\n");
    s = status(dir);
    ok(s->config_error != NULL, "a broken ecgfit.ini is kept as config_error");
    if (s->config_error)
        like(s->config_error, "ecgfit.ini", "and names the file");
    ef_status_free(s);
    free(dir);
    free(ini);
}

int main(void)
{
    tmp = tap_tmpdir();
    test_fresh_project();
    test_stages();
    test_encoder();
    test_bad_config();
    nftw(tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    return done_testing();
}
