/* test_ecg_view.c — what the ECG screen reads (pipeline/ef_ecg_view.h): the
 * list of participants with an ECG and its filters, one preprocessed ECG
 * from the store (row, QC flags, measurements; failed, pending and unknown
 * participants; a missing part file), and one raw ECG from its XML (found
 * directly, in a two-digit sub-folder, or by a scan). */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "ecg/ef_preprocess.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_ecg_view.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S 64   /* samples per preprocessed ECG */

static float value(int64_t eid, size_t i, size_t k)
{
    return (float)(eid % 100) + (float)k * 0.5f + (float)i * 0.001f;
}

static int make_parts(const char *proj, const char *store)
{
    ef_ecg_part_opts o = { "mv", S, 0, 0, 0, 2 };
    ef_ecg_part_meta meta = { "ecg", "all", 3, 0 };
    ef_ecg_part_writer *w;
    ef_ecg_fold_result res;
    float sig[S * 12];
    double meas[EF_CS_NMEAS];
    size_t written = 0, i, k;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    rc = ef_ecg_part_open(&w, proj, "all", 0, &o, &meta, &err);
    for (k = 0; k < EF_CS_NMEAS; k++)
        meas[k] = 100 + (double)k;
    for (i = 0; rc == EF_OK && i < S; i++)
        for (k = 0; k < 12; k++)
            sig[i * 12 + k] = value(1000001, i, k) * (k != 3);   /* lead aVR missing: zeros */
    if (rc == EF_OK)
        rc = ef_ecg_part_add(w, 1000001, sig, EF_QC_MISSING_LEAD | EF_QC_FLAT_LEAD, meas, &err);
    if (rc == EF_OK)
        ef_ecg_part_add_failure(w, 1000002, "ecg/1000002_20205_2_0.xml", "ecg/1000002_20205_2_0.xml:1: bad file");
    for (i = 0; rc == EF_OK && i < S; i++)
        for (k = 0; k < 12; k++)
            sig[i * 12 + k] = value(1000003, i, k);
    meas[EF_CS_VENT_RATE] = 61;
    meas[EF_CS_QTC] = NAN;
    if (rc == EF_OK)
        rc = ef_ecg_part_add(w, 1000003, sig, 0, meas, &err);
    if (rc == EF_OK)
        rc = ef_ecg_part_close(w, &written, &err);
    if (rc == EF_OK)
        rc = ef_ecg_fold(proj, store, NULL, 0, &res, &err);
    if (rc == EF_OK)
        ef_ecg_fold_result_fini(&res);
    if (rc != EF_OK) {
        char buf[1024];

        diag("parts: %s", ef_error_format(&err, buf, sizeof buf));
    }
    return rc;
}

static int add_participants(const char *store)
{
    const int64_t eid[] = { 1000005, 1000001, 1000002, 1000003, 1000004 };
    const double has[] = { 1, 1, 1, 1, 0 };
    ef_store *s;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    rc = ef_store_begin(&s, store, &err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/participants/eid", eid, 5, &err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/has_ecg", has, 5, &err);
    return rc == EF_OK ? ef_store_commit(s, &err) : (ef_store_abort(s), rc);
}

static void write_xml(const char *path, int with_res)
{
    FILE *fp = fopen(path, "w");

    if (!fp) {
        diag("cannot write %s", path);
        exit(99);
    }
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<CardiologyXML>\n"
                "<RestingECGMeasurements>\n<VentricularRate units=\"BPM\">58</VentricularRate>\n"
                "<PQInterval units=\"ms\"></PQInterval>\n<QTCInterval units=\"ms\">411</QTCInterval>\n"
                "<RAxis units=\"degrees\">-12</RAxis>\n</RestingECGMeasurements>\n"
                "<StripData>\n<SampleRate units=\"Hz\">500</SampleRate>\n"
                "<ChannelSampleCountTotal>5</ChannelSampleCountTotal>\n");
    if (with_res)
        fprintf(fp, "<Resolution units=\"uVperLsb\">5</Resolution>\n");
    fprintf(fp, "<WaveformData lead=\"I\">\t10,20,\r\n30,40,50</WaveformData>\n"
                "<WaveformData lead=\"V6\">-200,0,200,0,-200</WaveformData>\n"
                "</StripData>\n</CardiologyXML>\n");
    fclose(fp);
}

static void test_list(const char *store)
{
    ef_ecg_list l;
    ef_error err;
    size_t idx[8], n;

    ef_error_clear(&err);
    if (!is_int(ef_ecg_list_read(store, &l, &err), EF_OK, "list read"))
        return;
    is_int((long long)l.n, 4, "4 participants with an ECG (has_ecg 0 left out)");
    ok(l.n == 4 && l.eid[0] == 1000001 && l.eid[1] == 1000002 && l.eid[2] == 1000003 && l.eid[3] == 1000005,
       "sorted by eid");
    ok(l.n == 4 && l.state[0] == EF_ECG_FLAGGED && l.state[1] == EF_ECG_FAILED && l.state[2] == EF_ECG_OK &&
           l.state[3] == EF_ECG_PENDING,
       "states: flagged, failed, ok, not preprocessed");
    ok(l.count[EF_ECG_OK] == 1 && l.count[EF_ECG_FLAGGED] == 1 && l.count[EF_ECG_FAILED] == 1 &&
           l.count[EF_ECG_PENDING] == 1, "counts per state");
    is_int(l.qc[0], EF_QC_MISSING_LEAD | EF_QC_FLAT_LEAD, "QC flags kept");
    ok(l.preprocessed && l.from_participants && l.ecg_instance == 2 && !strcmp(l.units, "mv"),
       "list knows /ecg (units %s, instance %d) and /participants", l.units, l.ecg_instance);
    is_int((long long)ef_ecg_list_find(&l, 1000003), 2, "find");
    ok(ef_ecg_list_find(&l, 1000004) == (size_t)-1 && ef_ecg_list_find(&l, 1) == (size_t)-1 &&
       ef_ecg_list_find(&l, 9999999) == (size_t)-1, "find: absent eids");
    n = ef_ecg_list_filter(&l, EF_ECG_SHOW_QC, 0, idx);
    ok(n == 2 && idx[0] == 0 && idx[1] == 1, "filter QC: the flagged and the failed");
    n = ef_ecg_list_filter(&l, EF_ECG_SHOW_QC, EF_QC_CLIPPED, idx);
    ok(n == 1 && idx[0] == 1, "filter QC clipped: only the failed one");
    n = ef_ecg_list_filter(&l, EF_ECG_SHOW_QC, EF_QC_FLAT_LEAD, idx);
    is_int((long long)n, 2, "filter QC flat lead");
    n = ef_ecg_list_filter(&l, EF_ECG_SHOW_CLEAN, 0, idx);
    ok(n == 1 && idx[0] == 2, "filter clean");
    n = ef_ecg_list_filter(&l, EF_ECG_SHOW_PENDING, 0, idx);
    ok(n == 1 && idx[0] == 3, "filter not preprocessed");
    is_int((long long)ef_ecg_list_filter(&l, EF_ECG_SHOW_ALL, 0, idx), 4, "filter all");
    ef_ecg_list_fini(&l);
}

static void test_preprocessed(const char *proj, const char *store)
{
    ef_ecg_list l;
    ef_ecg_one e;
    ef_error err;
    char buf[1024], *part;
    int good = 1;

    ef_error_clear(&err);
    if (ef_ecg_list_read(store, &l, &err) != EF_OK)
        return;
    if (is_int(ef_ecg_read_preprocessed(store, &l, 1000003, &e, &err), EF_OK, "read 1000003")) {
        ok(e.samples == S && e.rate_hz == S / 10.0 && !e.raw && !strcmp(e.units, "mV"),
           "%zu samples at %g Hz in %s", e.samples, e.rate_hz, e.units);
        for (size_t i = 0; i < S; i++)
            for (size_t k = 0; k < 12; k++)
                good &= e.v[i * 12 + k] == value(1000003, i, k);
        ok(good, "the row's values, sample-major, lead order kept");
        ok(e.leads == 0xfff && e.have_qc && e.qc == 0 && e.state == EF_ECG_OK, "12 leads, no QC flag");
        ok(e.meas[EF_CS_VENT_RATE] == 61 && e.meas[EF_CS_QT] == 100 + EF_CS_QT && isnan(e.meas[EF_CS_QTC]),
           "measurements of its row (rate 61, QT, QTc missing)");
    }
    ef_ecg_one_fini(&e);
    if (is_int(ef_ecg_read_preprocessed(store, &l, 1000001, &e, &err), EF_OK, "read 1000001"))
        ok(e.leads == (0xfffu & ~(1u << 3)) && e.state == EF_ECG_FLAGGED && (e.qc & EF_QC_MISSING_LEAD) &&
           e.meas[EF_CS_VENT_RATE] == 100, "a zero lead counts as missing; its flags");
    ef_ecg_one_fini(&e);
    is_int(ef_ecg_read_preprocessed(store, &l, 1000002, &e, &err), EF_ENOTFOUND, "a failed ECG has no signal");
    like(ef_error_format(&err, buf, sizeof buf), "bad file", "and says preprocess's message");
    ok(e.message && strstr(e.message, "bad file") && e.state == EF_ECG_FAILED, "message kept for the viewer");
    ef_ecg_one_fini(&e);
    is_int(ef_ecg_read_preprocessed(store, &l, 1000005, &e, &err), EF_ENOTFOUND, "not preprocessed yet");
    like(ef_error_format(&err, buf, sizeof buf), "not preprocessed", "says so");
    ef_ecg_one_fini(&e);
    is_int(ef_ecg_read_preprocessed(store, &l, 1000004, &e, &err), EF_ENOTFOUND, "no ECG at all");
    ef_ecg_one_fini(&e);
    /* the part file gone: the virtual dataset reads NaN */
    part = ef_xasprintf("%s/ecg-data/part-all-00000.h5", proj);
    rename(part, "moved.h5");
    is_int(ef_ecg_read_preprocessed(store, &l, 1000003, &e, &err), EF_EIO, "part file missing: an error");
    like(ef_error_format(&err, buf, sizeof buf), "ecg-data", "naming ecg-data/");
    ok(e.v == NULL, "and no signal");
    ef_ecg_one_fini(&e);
    rename("moved.h5", part);
    free(part);
    ef_ecg_list_fini(&l);
}

static void test_raw(const char *proj, const char *store)
{
    ef_ecg_xml_finder f;
    ef_ecg_list l;
    ef_ecg_one e;
    ef_error err;
    char *dir = ef_xasprintf("%s/ecg", proj), *p, buf[1024];

    ef_error_clear(&err);
    ef_ecg_list_read(store, &l, &err);
    mkdir(dir, 0777);
    p = ef_xasprintf("%s/1000003_20205_2_0.xml", dir);
    write_xml(p, 1);
    free(p);
    p = ef_xasprintf("%s/10", dir);
    mkdir(p, 0777);
    free(p);
    p = ef_xasprintf("%s/10/1000005_20205_2_0.xml", dir);
    write_xml(p, 0);
    free(p);
    p = ef_xasprintf("%s/a", dir);
    mkdir(p, 0777);
    free(p);
    p = ef_xasprintf("%s/a/1000001_20205_2_0.xml", dir);
    write_xml(p, 1);
    free(p);
    ef_ecg_xml_finder_init(&f, dir, 2);
    if (is_int(ef_ecg_read_raw(&f, &l, 1000003, &e, &err), EF_OK, "raw 1000003 from the folder")) {
        ok(e.raw && e.samples == 5 && e.rate_hz == 500 && !strcmp(e.units, "mV"), "5 samples at 500 Hz in mV");
        ok(e.v[0] == 0.05f && e.v[4 * 12] == 0.25f && e.v[11] == -1.0f && e.v[2 * 12 + 11] == 1.0f,
           "counts x 5 uV / 1000 = mV, leads I and V6 in place");
        ok(isnan(e.v[1]) && isnan(e.v[3 * 12 + 5]), "absent leads are NaN");
        is_int(e.leads, 1u | 1u << 11, "present leads I and V6");
        ok(e.meas[EF_CS_VENT_RATE] == 58 && e.meas[EF_CS_QTC] == 411 && e.meas[EF_CS_R_AXIS] == -12 &&
           isnan(e.meas[EF_CS_PQ]), "the device's measurements (empty PQ missing)");
        ok(e.have_qc && e.state == EF_ECG_OK, "QC state from the list");
        like(e.source, "1000003_20205_2_0.xml", "source names the file");
    }
    ef_ecg_one_fini(&e);
    ok(!f.scanned, "found without scanning the folder");
    if (is_int(ef_ecg_read_raw(&f, NULL, 1000005, &e, &err), EF_OK, "raw from the two-digit sub-folder"))
        ok(!strcmp(e.units, "counts/1000") && e.v[0] == 0.01f && !e.have_qc,
           "no Resolution: counts / 1000, said so; no list: QC unknown");
    ef_ecg_one_fini(&e);
    ok(!f.scanned, "still no scan");
    is_int(ef_ecg_read_raw(&f, &l, 1000001, &e, &err), EF_OK, "raw from a nested folder (by a scan)");
    ok(f.scanned, "that one needed the scan");
    ef_ecg_one_fini(&e);
    is_int(ef_ecg_read_raw(&f, &l, 1000009, &e, &err), EF_ENOTFOUND, "no file: not found");
    like(ef_error_format(&err, buf, sizeof buf), "1000009_20205_2_0.xml", "naming the file looked for");
    ef_ecg_one_fini(&e);
    ef_ecg_xml_finder_fini(&f);
    ef_ecg_xml_finder_init(&f, NULL, 2);
    is_int(ef_ecg_read_raw(&f, &l, 1000003, &e, &err), EF_ENOTFOUND, "no ECG folder configured");
    ef_ecg_one_fini(&e);
    ef_ecg_xml_finder_fini(&f);
    ef_ecg_list_fini(&l);
    free(dir);
}

int main(void)
{
    const char *tmp = tap_tmpdir();
    char *proj = ef_xasprintf("%s/proj", tmp), *store = ef_xasprintf("%s/ecgfit.h5", proj);
    char *empty = ef_xasprintf("%s/empty.h5", tmp);
    ef_ecg_list l;
    ef_store *s;
    ef_error err;

    ef_error_clear(&err);
    mkdir(proj, 0777);
    if (chdir(tmp) != 0 || make_parts(proj, store) != EF_OK || add_participants(store) != EF_OK) {
        ok(0, "fixture");
        return done_testing();
    }
    test_list(store);
    test_preprocessed(proj, store);
    test_raw(proj, store);
    is_int(ef_ecg_list_read(empty, &l, &err), EF_ENOTFOUND, "no store: not found");
    if (ef_store_begin(&s, empty, &err) == EF_OK)
        ef_store_commit(s, &err);
    ok(ef_ecg_list_read(empty, &l, &err) == EF_OK && l.n == 0 && !l.preprocessed && !l.from_participants,
       "an empty store: an empty list");
    ef_ecg_list_fini(&l);
    free(proj);
    free(store);
    free(empty);
    return done_testing();
}
