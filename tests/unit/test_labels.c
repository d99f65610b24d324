/* test_labels.c — the labels stage end to end on small hand-written CSVs:
 * rules, special codes, bad rows, the funnel, and the store it writes. */
#include "config.h"
#include "tap.h"
#include "core/ef_job.h"
#include "pipeline/ef_labels.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[1024], csv[1100], ecg[1100], store[1100];
/* Copied out of the last run's summary (its strings belong to the job). */
static char absent_line[4096], kept_line[1024], missing_demo[64];
static int replace_mode;

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    fputs(text, fp);
    fclose(fp);
}

static void touch_ecg(long eid, int instance)
{
    char path[1200];

    snprintf(path, sizeof path, "%s/%ld_20205_%d_0.xml", ecg, eid, instance);
    write_file(path, "");
}

/* Run the stage; returns its status, summary copied out through *sum. */
static int run(ef_registry *reg, const char *const *cols, size_t ncols, int mode, int strict,
               ef_labels_summary *sum, ef_error *err)
{
    ef_labels_opts o;
    ef_job *job = NULL;
    int rc;

    ef_error_clear(err);
    ef_labels_opts_default(&o);
    o.main_csv = csv;
    o.ecg_dir = ecg;
    o.store_path = store;
    o.registry = reg;
    o.columns = cols;
    o.ncolumns = ncols;
    o.special_mode = mode;
    o.strict = strict;
    o.replace = replace_mode;
    rc = ef_labels_job_new(&job, &o, err);
    if (rc != EF_OK)
        return rc;
    while ((rc = ef_job_step(job, 0, err)) == EF_CONTINUE)
        ;
    memset(sum, 0, sizeof *sum);
    absent_line[0] = kept_line[0] = missing_demo[0] = '\0';
    if (ef_labels_job_summary(job)) {
        size_t i, len = 0, klen = 0;

        *sum = *ef_labels_job_summary(job);
        for (i = 0; i < sum->nabsent && len < sizeof absent_line; i++)
            len += (size_t)snprintf(absent_line + len, sizeof absent_line - len, "%s; ", sum->absent[i]);
        for (i = 0; i < sum->nkept && klen < sizeof kept_line; i++)
            klen += (size_t)snprintf(kept_line + klen, sizeof kept_line - klen, "%s ", sum->kept[i]);
        snprintf(missing_demo, sizeof missing_demo, "%s", sum->missing_demographics);
        sum->targets = NULL;   /* owned by the job */
        sum->rejects = NULL;
        sum->absent = NULL;
        sum->kept = NULL;
        sum->missing_demographics = NULL;
    }
    ef_job_free(job);
    return rc;
}

static double col_value(const char *col, size_t row)
{
    ef_store *s;
    double *v = NULL, out = -999;
    size_t n;
    char path[128];

    snprintf(path, sizeof path, "/participants/%s", col);
    if (ef_store_open_read(&s, store, NULL) != EF_OK)
        return out;
    if (ef_store_read_f64(s, path, &v, &n, NULL) == EF_OK && row < n)
        out = v[row];
    free(v);
    ef_store_close(s);
    return out;
}

static char *col_attr(const char *col, const char *name)
{
    ef_store *s;
    char *v = NULL, path[128];

    snprintf(path, sizeof path, "/participants/%s", col);
    if (ef_store_open_read(&s, store, NULL) != EF_OK)
        return NULL;
    ef_store_get_attr_str(s, path, name, &v, NULL);
    ef_store_close(s);
    return v;
}

static const char header[] =
    "\"eid\",\"31-0.0\",\"2080-2.0\",\"4080-2.0\",\"4080-2.1\",\"20116-0.0\",\"20116-1.0\",\"20116-2.0\","
    "\"21001-2.0\",\"21003-2.0\",\"30038-1.0\"\n";

int main(void)
{
    ef_registry *reg = NULL;
    ef_labels_summary sum;
    ef_error err;
    static const char *const cols[] = { "tiredness", "sbp", "smoking", "vo2max" };
    static const char *const missing_cols[] = { "vo2max", "30038-3.0" };
    char *s;
    int rc;

    ef_error_clear(&err);
    snprintf(dir, sizeof dir, "%s", tap_tmpdir());
    snprintf(csv, sizeof csv, "%s/main.csv", dir);
    snprintf(ecg, sizeof ecg, "%s/ecg", dir);
    snprintf(store, sizeof store, "%s/ecgfit.h5", dir);
    mkdir(ecg, 0777);
    if (ef_registry_load(&reg, NULL, &err) != EF_OK) {
        diag("%s", err.msg);
        return 1;
    }
    touch_ecg(1000001, 2);
    touch_ecg(1000002, 2);
    touch_ecg(1000003, 3);   /* instance 3 only: no instance-2 ECG */
    touch_ecg(1000005, 2);

    write_file(csv, header[0] ? header : "");
    {
        FILE *fp = fopen(csv, "a");

        fputs("\"1000001\",\"1\",\"-1\",\"140\",\"131\",\"1\",\"\",\"2\",\"27.5\",\"64\",\"33.1\"\n", fp);
        fputs("\"1000002\",\"0\",\"2\",\"\",\"120\",\"0\",\"1\",\"\",\"24.25\",\"70\",\"-3\"\n", fp);
        fputs("\"1000003\",\"0\",\"3\",\"150\",\"\",\"2\",\"1\",\"\",\"31\",\"55\",\"\"\n", fp);
        fputs("\"1000004\",\"1\",\"abc\",\"150\",\"\",\"\",\"\",\"\",\"31\",\"55\",\"\"\n", fp);
        fputs("\"1000001\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\"\n", fp);
        fputs("\"1000005\",\"1\",\"4\",\"150\"\n", fp);
        fputs("\"1000006\",\"0\",\"-3\",\"\",\"\",\"-3\",\"\",\"\",\"22\",\"60\",\"41\"\n", fp);
        fclose(fp);
    }

    rc = run(reg, cols, 4, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    is_int(rc, EF_OK, "labels runs with bad rows present (%s)", err.msg);
    is_int((long long)sum.rows, 7, "7 data rows seen");
    is_int((long long)sum.rejected, 3, "3 rows rejected: non-numeric, duplicate eid, ragged");
    is_int((long long)sum.ecg_files, 3, "3 instance-2 ECG files");
    is_int((long long)sum.with_ecg, 2, "2 accepted rows with an ECG (1000005 was rejected)");
    is_int((long long)sum.with_demographics, 2, "2 of those with age, sex and BMI");
    is_rel(col_value("sbp", 0), 135.5, 0, "sbp = mean of two readings");
    is_rel(col_value("sbp", 1), 120, 0, "sbp = the one reading present");
    is_rel(col_value("sbp", 2), 150, 0, "sbp = first reading alone");
    ok(isnan(col_value("tiredness", 0)), "2080 = -1 is missing in registry mode");
    ok(isnan(col_value("vo2max", 1)), "30038 = -3 is missing");
    is_rel(col_value("smoking", 0), 2, 0, "smoking priority: instance 2");
    is_rel(col_value("smoking", 2), 1, 0, "smoking priority: instance 1 over 0");
    ok(isnan(col_value("smoking", 3)), "smoking -3 at instance 0 is missing");
    is_rel(col_value("age", 0), 64, 0, "age from 21003-2.0");
    is_rel(col_value("has_ecg", 2), 0, 0, "instance-3 ECG does not count");
    s = col_attr("sbp", "rule");
    is_str(s, "i2.mean", "column records its rule");
    free(s);
    s = col_attr("sbp", "field");
    is_str(s, "4080", "column records its field");
    free(s);

    rc = run(reg, cols, 4, EF_SPECIAL_SEED, 0, &sum, &err);
    is_int(rc, EF_OK, "seed special-code mode runs");
    is_rel(col_value("tiredness", 0), -1, 0, "seed mode keeps -1, as the seed did");
    ok(isnan(col_value("tiredness", 3)), "seed mode drops -3");

    rc = run(reg, cols, 4, EF_SPECIAL_REGISTRY, 1, &sum, &err);
    is_int(rc, EF_EDATA, "--strict fails on rejected rows");
    like(err.msg, "--strict", "strict message");

    rc = run(reg, missing_cols, 2, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    is_int(rc, EF_ENOTFOUND, "a requested column absent from the header");
    like(err.msg, "30038-3.0", "names the missing column");
    like(err.msg, "closest: 30038-1.0", "suggests the closest header name");
    is_int(err.line, 1, "points at the header line");

    /* A real extract has only some registry fields: the rest are listed. */
    write_file(csv, "\"eid\",\"31-0.0\",\"50-0.0\",\"vo2_max\"\n\"1000001\",\"0\",\"170\",\"30\"\n");
    replace_mode = 1;
    rc = run(reg, NULL, 0, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    replace_mode = 0;
    is_int(rc, EF_OK, "a small extract runs without --fields (%s)", err.msg);
    is_int((long long)sum.nabsent, (long long)reg->nfields - 1, "every registry field but sex listed as absent");
    like(absent_line, "age (21003-2.0)", "absent field with its column: %.60s", absent_line);
    like(absent_line, "height (50-2.0; has 50-0.0)", "absent field hints at the field's other instances");
    like(absent_line, "vo2max (30038-1.0; closest: 'vo2_max')", "a renamed column is hinted");
    is_str(missing_demo, "age, bmi", "missing demographics named");
    is_rel(col_value("sex", 0), 0, 0, "the present field is extracted");
    is_rel(col_value("age", 0), -999, 0, "no age column written");
    is_int((long long)sum.with_demographics, 1, "funnel counts the demographics present");

    write_file(csv, "\"id\",\"21003-2.0\",\"31-0.0\",\"21001-2.0\"\n\"1\",\"60\",\"0\",\"25\"\n");
    rc = run(reg, NULL, 0, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "eid"), "no eid column: %s", err.msg);

    /* RAP naming, text codings */
    write_file(csv, "participant.eid,participant.p31,participant.p21003_i2,participant.p21001_i2\n"
                    "1000001,Female,60,25.5\n1000002,Male,61,\n");
    rc = run(reg, NULL, 0, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    ok(rc == EF_OK && sum.nabsent == reg->nfields - 3 && !missing_demo[0],
       "RAP file without the registry's other fields: extracted, the others listed (%s)", err.msg);
    {
        static const char *const demo[] = { "sex" };

        rc = run(reg, demo, 1, EF_SPECIAL_REGISTRY, 0, &sum, &err);
        is_int(rc, EF_OK, "RAP naming with meaning texts (%s)", err.msg);
        is_rel(col_value("sex", 0), 0, 0, "Female -> 0");
        is_rel(col_value("sex", 1), 1, 0, "Male -> 1");
        is_int((long long)sum.with_demographics, 1, "funnel with RAP names");
    }

    /* `labels --fields X` adds X and keeps the store's other columns, in
     * the new CSV's row order by eid; --replace starts over. */
    write_file(csv, "eid,31-0.0,21003-2.0,21001-2.0,30038-1.0,4080-2.0\n"
                    "1000001,0,60,25,31.5,120\n1000002,1,61,26,40.25,130\n1000003,0,62,27,28,140\n");
    replace_mode = 1;
    rc = run(reg, NULL, 0, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    replace_mode = 0;
    is_int(rc, EF_OK, "full extract (%s)", err.msg);
    write_file(csv, "eid,31-0.0,21003-2.0,21001-2.0,4080-2.0\n"
                    "1000003,0,62,27,141\n1000001,0,60,25,121\n1000004,1,63,28,150\n");
    {
        static const char *const sbp_only[] = { "sbp" };
        char *attr;

        rc = run(reg, sbp_only, 1, EF_SPECIAL_REGISTRY, 0, &sum, &err);
        is_int(rc, EF_OK, "labels --fields sbp on a stored cohort (%s)", err.msg);
        like(kept_line, "vo2max", "vo2max kept: %s", kept_line);
        is_int((long long)sum.kept_rows_dropped, 1, "one stored participant is not in the new CSV");
        is_rel(col_value("sbp", 0), 141, 0, "sbp refreshed");
        is_rel(col_value("vo2max", 0), 28, 0, "kept column follows the new row order (eid 1000003)");
        is_rel(col_value("vo2max", 1), 31.5, 0, "kept column: eid 1000001");
        ok(isnan(col_value("vo2max", 2)), "kept column: a new participant has no value");
        attr = col_attr("vo2max", "field");
        is_str(attr, "30038", "kept column keeps its attributes");
        free(attr);
        {
            ef_store *st;
            char **names = NULL, order[256] = "";
            size_t nn = 0, i, len = 0;

            if (ef_store_open_read(&st, store, NULL) == EF_OK) {
                if (ef_store_list(st, "/participants", &names, &nn, NULL) == EF_OK)
                    for (i = 0; i < nn; i++)
                        len += (size_t)snprintf(order + len, sizeof order - len, "%s ", names[i]);
                ef_store_free_list(names, nn);
                ef_store_close(st);
            }
            like(order, "eid age sex bmi vo2max sbp has_ecg", "the stored column order stays: %s", order);
        }
        rc = run(reg, sbp_only, 1, EF_SPECIAL_REGISTRY, 0, &sum, &err);
        ok(rc == EF_OK && sum.kept_rows_dropped == 0 && col_value("vo2max", 0) == 28,
           "same rows again: kept column untouched");
        replace_mode = 1;
        rc = run(reg, sbp_only, 1, EF_SPECIAL_REGISTRY, 0, &sum, &err);
        replace_mode = 0;
        ok(rc == EF_OK && col_value("vo2max", 0) == -999 && !kept_line[0], "--replace drops the other columns");
    }

    /* ECG folder problems */
    snprintf(ecg, sizeof ecg, "%s/no-such-dir", dir);
    rc = run(reg, NULL, 0, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    ok(rc == EF_ENOTFOUND && strstr(err.file, "no-such-dir"), "missing ECG folder named");
    snprintf(ecg, sizeof ecg, "%s/empty", dir);
    mkdir(ecg, 0777);
    touch_ecg(1000001, 3);
    rc = run(reg, NULL, 0, EF_SPECIAL_REGISTRY, 0, &sum, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "no ECG files"), "ECG folder without matching files");

    ef_registry_free(reg);
    {
        char cmd[1200];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return done_testing();
}
