/* test_preprocess.c — ef_preprocess on hand-built ECGs: units, QC flags,
 * errors, zero-phase filters, option helpers, concurrent use. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "ecg/ef_filter.h"
#include "ecg/ef_preprocess.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NL EF_CS_NLEADS
#define PI 3.14159265358979323846

static uint64_t rng_state = 12345;

static uint64_t rng(void)  /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A plausible 12-lead strip in counts: beats at 1.2 Hz, a little noise. */
static void make_ecg(ef_cs_ecg *e, size_t n)
{
    memset(e, 0, sizeof *e);
    e->sample_rate = 500;
    e->resolution = 5;
    strcpy(e->resolution_units, "uVperLsb");
    e->channel_samples = (long)n;
    e->median_rate = NAN;
    for (int k = 0; k < NL; k++) {
        double amp = 100 + 40 * k;

        e->lead[k] = ef_xmalloc(n * sizeof(int32_t));
        e->nsamples[k] = n;
        for (size_t i = 0; i < n; i++) {
            double ph = fmod((double)i / 500.0 * 1.2, 1.0);
            double v = amp * exp(-(ph - 0.3) * (ph - 0.3) / 0.0003) +
                       0.3 * amp * exp(-(ph - 0.6) * (ph - 0.6) / 0.004) +
                       (double)(rng() % 5) - 2.0;

            e->lead[k][i] = (int32_t)lround(k % 3 == 2 ? -v : v);
        }
    }
}

static void free_ecg(ef_cs_ecg *e)
{
    for (int k = 0; k < NL; k++)
        free(e->lead[k]);
}

static float *run(const ef_cs_ecg *e, int units, size_t m, unsigned *qc, int *rc, ef_error *err)
{
    ef_pp_opts o;
    float *out = ef_xmalloc(m * NL * sizeof *out);

    ef_pp_opts_default(&o);
    o.units = units;
    o.samples = m;
    *rc = ef_preprocess(e, &o, out, qc, err);
    return out;
}

static int column_equals(const float *out, size_t m, int k, const float *col)
{
    for (size_t i = 0; i < m; i++)
        if (memcmp(&out[i * NL + k], &col[i], sizeof *col) != 0)
            return 0;
    return 1;
}

static void test_helpers(void)
{
    ef_pp_opts o;
    char buf[128];
    int u = -1;

    ef_pp_opts_default(&o);
    ok(o.samples == 4096 && o.units == EF_UNITS_MV && !o.highpass && o.highpass_hz == 0.5 &&
       !o.notch && o.notch_hz == 50 && !o.strict_rate, "default options");
    ok(ef_units_parse("seed", &u) && u == EF_UNITS_SEED, "units 'seed'");
    ok(ef_units_parse("mv", &u) && u == EF_UNITS_MV, "units 'mv'");
    ok(!ef_units_parse("uV", &u) && !ef_units_parse(NULL, &u), "unknown units rejected");
    is_str(ef_units_name(EF_UNITS_SEED), "seed", "units name");
    is_str(ef_units_name(EF_UNITS_MV), "mv", "units name mv");
    is_str(ef_qc_describe(0, buf, sizeof buf), "", "no flags");
    is_str(ef_qc_describe(EF_QC_MISSING_LEAD | EF_QC_FLAT_LEAD, buf, sizeof buf),
           "missing_lead,flat_lead", "two flags");
    is_str(ef_qc_describe(0x1ff, buf, sizeof buf),
           "missing_lead,flat_lead,clipped,bad_count,bad_rate,nonfinite,no_resolution,"
           "dup_lead,bad_resolution", "every flag named");
    is_str(ef_qc_describe(EF_QC_MISSING_LEAD | EF_QC_CLIPPED, buf, 20), "missing_lead",
           "truncation keeps whole names");
}

static void test_units(void)
{
    ef_cs_ecg e;
    ef_error err;
    unsigned qc_s, qc_m;
    int rc_s, rc_m, exact_mv = 1, exact_seed = 1;
    float *seed, *mv, *col = ef_xmalloc(4096 * sizeof *col), *x = ef_xmalloc(5000 * sizeof *x);

    make_ecg(&e, 5000);
    seed = run(&e, EF_UNITS_SEED, 4096, &qc_s, &rc_s, &err);
    mv = run(&e, EF_UNITS_MV, 4096, &qc_m, &rc_m, &err);
    ok(rc_s == EF_OK && rc_m == EF_OK, "clean ECG processed");
    is_int(qc_s | qc_m, 0, "clean ECG has no QC flag");
    for (int k = 0; k < NL; k++) {
        for (size_t i = 0; i < 5000; i++)
            x[i] = (float)e.lead[k][i];
        ef_resample_linear(x, 5000, col, 4096);
        for (size_t i = 0; i < 4096; i++) {
            float s = col[i] / 1000.0f;

            if (memcmp(&seed[i * NL + k], &s, sizeof s) != 0)
                exact_seed = 0;
            s = seed[i * NL + k] * 5.0f;
            if (memcmp(&mv[i * NL + k], &s, sizeof s) != 0)
                exact_mv = 0;
        }
    }
    ok(exact_seed, "seed units == float32(interp) / 1000.0f exactly");
    ok(exact_mv, "mv units == seed * 5.0f exactly");
    ok(fabsf(mv[2048 * NL + 6]) > 0 && mv[0] != seed[0], "mv differs from seed");

    /* Resolution 4.88: flagged, still mv = seed * (float)4.88 */
    e.resolution = 4.88;
    free(mv);
    mv = run(&e, EF_UNITS_MV, 4096, &qc_m, &rc_m, &err);
    ok(rc_m == EF_OK && qc_m == EF_QC_BAD_RESOLUTION, "Resolution 4.88 flagged bad_resolution");
    exact_mv = 1;
    for (size_t i = 0; i < 4096 * NL; i++) {
        float s = seed[i] * (float)4.88;

        if (memcmp(&mv[i], &s, sizeof s) != 0)
            exact_mv = 0;
    }
    ok(exact_mv, "mv with the file's Resolution (4.88)");
    free(mv);

    e.resolution = 5;
    strcpy(e.resolution_units, "mVperLsb");
    mv = run(&e, EF_UNITS_MV, 4096, &qc_m, &rc_m, &err);
    ok(rc_m == EF_OK && qc_m == EF_QC_BAD_RESOLUTION, "units attribute other than uVperLsb flagged");
    free(mv);
    strcpy(e.resolution_units, "uVperLsb");

    /* missing or zero Resolution: an error in mv, a note in seed units */
    for (int z = 0; z < 2; z++) {
        float *s2;

        e.resolution = z ? 0.0 : NAN;
        ef_error_clear(&err);
        mv = run(&e, EF_UNITS_MV, 4096, &qc_m, &rc_m, &err);
        ok(rc_m == EF_EDATA && strstr(err.msg, "Resolution"), "Resolution %s: EF_EDATA in mv units (%s)",
           z ? "0" : "missing", err.msg);
        s2 = run(&e, EF_UNITS_SEED, 4096, &qc_s, &rc_s, &err);
        ok(rc_s == EF_OK && qc_s == EF_QC_NO_RESOLUTION, "Resolution %s: no_resolution in seed units",
           z ? "0" : "missing");
        ok(memcmp(s2, seed, 4096 * NL * sizeof *s2) == 0, "seed units ignore Resolution");
        free(mv);
        free(s2);
    }
    e.resolution = 5;

    /* overflow to inf in mv units: nonfinite */
    e.resolution = 3e38;
    e.lead[0][100] = 100000;   /* 100 * 3e38 > FLT_MAX */
    mv = run(&e, EF_UNITS_MV, 4096, &qc_m, &rc_m, &err);
    ok(rc_m == EF_OK && (qc_m & EF_QC_NONFINITE), "non-finite output flagged");
    free(mv);

    free(seed);
    free(col);
    free(x);
    free_ecg(&e);
}

static void test_leads(void)
{
    ef_cs_ecg e;
    ef_error err;
    unsigned qc;
    int rc, zeros = 1;
    float *full, *out, *col = ef_xmalloc(4096 * sizeof *col), *x = ef_xmalloc(5000 * sizeof *x);
    int32_t *keep;

    make_ecg(&e, 5000);
    full = run(&e, EF_UNITS_SEED, 4096, &qc, &rc, &err);

    keep = e.lead[4];
    e.lead[4] = NULL;
    out = run(&e, EF_UNITS_SEED, 4096, &qc, &rc, &err);
    ok(rc == EF_OK && qc == EF_QC_MISSING_LEAD, "missing lead flagged");
    for (size_t i = 0; i < 4096; i++) {
        uint32_t b;

        memcpy(&b, &out[i * NL + 4], sizeof b);
        if (b != 0)
            zeros = 0;
    }
    ok(zeros, "missing lead is a column of +0.0");
    for (size_t i = 0; i < 4096; i++)
        col[i] = full[i * NL + 5];
    ok(column_equals(out, 4096, 5, col), "other leads unchanged");
    e.lead[4] = keep;
    free(out);

    /* all leads missing, or a lead of one sample: unusable */
    {
        ef_cs_ecg none;

        memset(&none, 0, sizeof none);
        none.sample_rate = 500;
        none.resolution = 5;
        out = run(&none, EF_UNITS_MV, 4096, &qc, &rc, &err);
        ok(rc == EF_EDATA && strstr(err.msg, "no StripData lead"), "no lead: EF_EDATA");
        free(out);
    }
    e.nsamples[7] = 1;
    out = run(&e, EF_UNITS_MV, 4096, &qc, &rc, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "V2"), "one-sample lead: EF_EDATA naming V2 (%s)", err.msg);
    free(out);

    /* one lead of 4999 samples: flagged, resampled from its own length */
    e.nsamples[7] = 4999;
    out = run(&e, EF_UNITS_SEED, 4096, &qc, &rc, &err);
    ok(rc == EF_OK && qc == EF_QC_BAD_COUNT, "4999 samples: bad_count");
    for (size_t i = 0; i < 4999; i++)
        x[i] = (float)e.lead[7][i];
    ef_resample_linear(x, 4999, col, 4096);
    for (size_t i = 0; i < 4096; i++)
        col[i] /= 1000.0f;
    ok(column_equals(out, 4096, 7, col), "short lead resampled from its own length");
    for (size_t i = 0; i < 4096; i++)
        col[i] = full[i * NL + 6];
    ok(column_equals(out, 4096, 6, col), "full-length neighbour unchanged");
    e.nsamples[7] = 5000;
    free(out);

    e.notes = EF_CS_NOTE_COUNT_MISMATCH;
    out = run(&e, EF_UNITS_SEED, 4096, &qc, &rc, &err);
    ok(rc == EF_OK && qc == EF_QC_BAD_COUNT, "count mismatch note: bad_count");
    free(out);
    e.notes = EF_CS_NOTE_DUP_LEAD;
    out = run(&e, EF_UNITS_SEED, 4096, &qc, &rc, &err);
    ok(rc == EF_OK && qc == EF_QC_DUP_LEAD, "duplicate lead note: dup_lead");
    free(out);
    e.notes = 0;

    /* sample rate */
    {
        ef_pp_opts o;
        float *o2 = ef_xmalloc(4096 * NL * sizeof *o2);

        ef_pp_opts_default(&o);
        o.units = EF_UNITS_SEED;
        e.sample_rate = 250;
        rc = ef_preprocess(&e, &o, o2, &qc, &err);
        ok(rc == EF_OK && qc == EF_QC_BAD_RATE, "250 Hz: bad_rate");
        ok(memcmp(o2, full, 4096 * NL * sizeof *o2) == 0, "250 Hz resampled as the seed does (rate ignored)");
        o.strict_rate = 1;
        rc = ef_preprocess(&e, &o, o2, &qc, &err);
        ok(rc == EF_EDATA && strstr(err.msg, "250"), "250 Hz strict: EF_EDATA (%s)", err.msg);
        e.sample_rate = NAN;
        rc = ef_preprocess(&e, &o, o2, &qc, &err);
        ok(rc == EF_EDATA, "no rate strict: EF_EDATA");
        o.strict_rate = 0;
        rc = ef_preprocess(&e, &o, o2, &qc, &err);
        ok(rc == EF_OK && qc == EF_QC_BAD_RATE, "no rate: bad_rate");
        e.sample_rate = 500;
        o.strict_rate = 1;
        rc = ef_preprocess(&e, &o, o2, &qc, &err);
        ok(rc == EF_OK && qc == 0, "500 Hz strict: fine");
        o.strict_rate = 0;
        o.samples = 0;
        rc = ef_preprocess(&e, &o, o2, &qc, &err);
        ok(rc == EF_EINVAL, "0 output samples: EF_EINVAL");
        free(o2);
    }

    free(full);
    free(col);
    free(x);
    free_ecg(&e);
}

static void test_qc_rules(void)
{
    enum { N = 5000 };
    int32_t *v = ef_xmalloc(N * sizeof *v);
    ef_cs_ecg e;
    ef_error err;
    unsigned qc;
    int rc;
    float *out;

    for (size_t i = 0; i < N; i++)
        v[i] = 0;
    is_int(ef_qc_lead(v, N, 500), EF_QC_FLAT_LEAD, "all zeros: flat");
    v[100] = 1;
    is_int(ef_qc_lead(v, N, 500), EF_QC_FLAT_LEAD, "range of 1 count: flat");
    v[200] = -1;
    is_int(ef_qc_lead(v, N, 500), 0, "range of 2 counts: not flat");

    /* a sine of 1000 counts: its extremes last a sample or two */
    for (size_t i = 0; i < N; i++)
        v[i] = (int32_t)lround(1000 * sin(2 * PI * 1.3 * (double)i / 500));
    is_int(ef_qc_lead(v, N, 500), 0, "sine: not clipped");
    /* saturated at the int16 rail for 10 samples */
    for (size_t i = 1000; i < 1010; i++)
        v[i] = 32767;
    is_int(ef_qc_lead(v, N, 500), EF_QC_CLIPPED, "10 samples at +32767: clipped");
    v[1005] = 32000;
    is_int(ef_qc_lead(v, N, 500), 0, "runs of 5 at the rail: not clipped");
    for (size_t i = 3000; i < 3012; i++)
        v[i] = -32768;
    is_int(ef_qc_lead(v, N, 500), EF_QC_CLIPPED, "12 samples at -32768: clipped");
    /* a plateau below the rail */
    for (size_t i = 0; i < N; i++)
        v[i] = (int32_t)lround(1000 * sin(2 * PI * 1.3 * (double)i / 500));
    for (size_t i = 2000; i < 2049; i++)
        v[i] = 1200;
    is_int(ef_qc_lead(v, N, 500), 0, "49-sample plateau at the max: not clipped (under 100 ms)");
    v[2049] = 1200;
    is_int(ef_qc_lead(v, N, 500), EF_QC_CLIPPED, "50-sample plateau at the max: clipped");
    is_int(ef_qc_lead(v, N, 1000), 0, "same plateau at 1000 Hz (50 ms): not clipped");

    make_ecg(&e, N);
    memcpy(e.lead[9], v, N * sizeof *v);
    for (size_t i = 0; i < N; i++)
        e.lead[2][i] = 3;
    out = run(&e, EF_UNITS_MV, 4096, &qc, &rc, &err);
    ok(rc == EF_OK && qc == (EF_QC_CLIPPED | EF_QC_FLAT_LEAD), "clipped and flat leads flagged by ef_preprocess");
    free(out);
    free_ecg(&e);
    free(v);
}

/* Least-squares amplitude of a sinusoid at f Hz in column k over output
 * samples [a, b), times t_i = i / (m - 1) * 10 s (about) */
static double amplitude(const float *out, size_t m, int k, double f, double dur, size_t a, size_t b)
{
    double scc = 0, sss = 0, scs = 0, syc = 0, sys = 0, det, c1, c2;

    for (size_t i = a; i < b; i++) {
        double t = (double)i / (double)(m - 1) * dur, c = cos(2 * PI * f * t), s = sin(2 * PI * f * t);
        double y = out[i * NL + k];

        scc += c * c, sss += s * s, scs += c * s, syc += y * c, sys += y * s;
    }
    det = scc * sss - scs * scs;
    c1 = (syc * sss - sys * scs) / det;
    c2 = (sys * scc - syc * scs) / det;
    return sqrt(c1 * c1 + c2 * c2);
}

static double max_abs(const float *out, int k, size_t a, size_t b)
{
    double mx = 0;

    for (size_t i = a; i < b; i++)
        if (fabs(out[i * NL + k]) > mx)
            mx = fabs(out[i * NL + k]);
    return mx;
}

static void test_filters(void)
{
    enum { N = 5000, M = 4096 };
    const double dur = (double)(N - 1) / 500.0;
    const size_t a = M / 10, b = M - M / 10;   /* the middle 8 s */
    ef_cs_ecg e;
    ef_pp_opts o;
    ef_error err;
    unsigned qc;
    float *raw = ef_xmalloc(M * NL * sizeof *raw), *hp = ef_xmalloc(M * NL * sizeof *hp);
    float *nt = ef_xmalloc(M * NL * sizeof *nt);
    int rc;
    double g;
    ef_biquad q;

    /* 1 mV = 200 counts at 5 uV/count */
    make_ecg(&e, N);
    for (size_t i = 0; i < N; i++) {
        double t = (double)i / 500.0;

        e.lead[0][i] = (int32_t)lround(200 * sin(2 * PI * 0.2 * t + 0.4));
        e.lead[1][i] = (int32_t)lround(200 * sin(2 * PI * 10 * t + 1.1));
        e.lead[2][i] = (int32_t)lround(200 * sin(2 * PI * 50 * t + 0.3));
        e.lead[3][i] = (int32_t)lround(1000 + 200 * sin(2 * PI * 10 * t) + 200 * sin(2 * PI * 50 * t));
        /* a symmetric pulse centred on sample 2500, on a 0.3 Hz wander */
        e.lead[4][i] = (int32_t)lround(2000 * exp(-((double)i - 2500) * ((double)i - 2500) / 200.0) +
                                       100 * sin(2 * PI * 0.3 * t));
    }
    ef_pp_opts_default(&o);
    rc = ef_preprocess(&e, &o, raw, &qc, &err);
    ok(rc == EF_OK, "unfiltered");
    o.highpass = 1;
    rc = ef_preprocess(&e, &o, hp, &qc, &err);
    ok(rc == EF_OK, "high-pass 0.5 Hz");
    o.highpass = 0;
    o.notch = 1;
    rc = ef_preprocess(&e, &o, nt, &qc, &err);
    ok(rc == EF_OK, "notch 50 Hz");

    g = max_abs(hp, 0, a, b);
    ok(g < 0.05, "high-pass: 0.2 Hz sine of 1 mV down to %.4f mV (< 5 %%) in the middle 8 s", g);
    g = amplitude(hp, M, 1, 10, dur, a, b) / amplitude(raw, M, 1, 10, dur, a, b);
    ok(fabs(g - 1) < 0.02, "high-pass keeps 10 Hz: gain %.5f", g);
    g = max_abs(nt, 2, a, b);
    ok(g < 0.05, "notch: 50 Hz sine of 1 mV down to %.4f mV (< 5 %%)", g);
    g = amplitude(nt, M, 1, 10, dur, a, b) / amplitude(raw, M, 1, 10, dur, a, b);
    ok(fabs(g - 1) < 0.02, "notch keeps 10 Hz: gain %.5f", g);
    g = amplitude(nt, M, 0, 0.2, dur, a, b) / amplitude(raw, M, 0, 0.2, dur, a, b);
    ok(fabs(g - 1) < 0.02, "notch keeps 0.2 Hz: gain %.5f", g);

    /* both filters: offset and hum gone, 10 Hz kept */
    o.highpass = 1;
    rc = ef_preprocess(&e, &o, nt, &qc, &err);
    g = amplitude(nt, M, 3, 10, dur, a, b) / 1.0;
    ok(rc == EF_OK && fabs(g - 1) < 0.02, "both filters: 10 Hz of 1 mV kept (%.5f mV)", g);
    g = amplitude(nt, M, 3, 50, dur, a, b);
    ok(g < 0.05, "both filters: 50 Hz removed (%.5f mV)", g);
    {
        double mean = 0;

        for (size_t i = a; i < b; i++)
            mean += nt[i * NL + 3];
        mean /= (double)(b - a);
        ok(fabs(mean) < 0.02, "both filters: 5 mV offset removed (mean %.5f mV)", mean);
    }

    /* zero phase: the pulse peak stays where it was */
    {
        size_t pr = 0, pf = 0;

        for (size_t i = 0; i < M; i++) {
            if (raw[i * NL + 4] > raw[pr * NL + 4])
                pr = i;
            if (nt[i * NL + 4] > nt[pf * NL + 4])
                pf = i;
        }
        ok(pf + 1 >= pr && pf <= pr + 1, "pulse peak at output sample %zu, unfiltered %zu", pf, pr);
    }

    /* zero phase at the native rate: a symmetric pulse stays symmetric */
    {
        enum { L = 5001 };
        double *x = ef_xmalloc(L * sizeof *x), *w, asym = 0, peak;
        size_t pad, at = 0;

        ef_biquad_highpass(&q, 0.5, 500);
        pad = ef_biquad_padlen(&q, L);
        w = ef_xmalloc((L + 2 * pad) * sizeof *w);
        for (size_t i = 0; i < L; i++)
            x[i] = exp(-((double)i - 2500) * ((double)i - 2500) / 300.0);
        ef_filtfilt(&q, x, L, pad, w);
        ef_biquad_notch(&q, 50, 30, 500);
        ef_filtfilt(&q, x, L, ef_biquad_padlen(&q, L), w);
        for (size_t i = 0; i < L; i++)
            if (x[i] > x[at])
                at = i;
        peak = x[2500];
        for (size_t k = 1; k < 2400; k++)
            asym = fmax(asym, fabs(x[2500 - k] - x[2500 + k]));
        is_int((long long)at, 2500, "filtered pulse peak at its centre");
        ok(asym < 1e-6 * peak, "filtered pulse symmetric (max asymmetry %.3g of peak %.4f)", asym, peak);
        free(x);
        free(w);
    }

    /* design checks */
    ef_biquad_highpass(&q, 0.5, 500);
    is_abs(ef_biquad_gain(&q, 0.5, 500), sqrt(0.5), 1e-9, "high-pass -3 dB at the cut-off");
    ok(ef_biquad_gain(&q, 0.0, 500) < 1e-12, "high-pass blocks DC");
    ef_biquad_notch(&q, 50, 30, 500);
    ok(ef_biquad_gain(&q, 50, 500) < 1e-9, "notch zero at 50 Hz");
    is_abs(ef_biquad_gain(&q, 50 + 50.0 / 60, 500), sqrt(0.5), 0.01, "notch bandwidth f0/Q");
    ok(ef_biquad_highpass(&q, 300, 500) == EF_EINVAL && ef_biquad_notch(&q, 50, 0, 500) == EF_EINVAL,
       "impossible designs rejected");

    /* option errors */
    o.highpass_hz = 0;
    rc = ef_preprocess(&e, &o, nt, &qc, &err);
    ok(rc == EF_EINVAL, "high-pass at 0 Hz: EF_EINVAL");
    o.highpass_hz = 0.5;
    e.sample_rate = 80;
    rc = ef_preprocess(&e, &o, nt, &qc, &err);
    ok(rc == EF_EDATA && strstr(err.msg, "notch"), "50 Hz notch at 80 Hz sampling: EF_EDATA (%s)", err.msg);

    free(raw);
    free(hp);
    free(nt);
    free_ecg(&e);
}

/* concurrent calls give the single-threaded answer */
struct job {
    const ef_cs_ecg *e;
    float *out;
    int rc;
};

static void *worker(void *p)
{
    struct job *j = p;
    ef_pp_opts o;
    ef_error err;
    unsigned qc;

    ef_pp_opts_default(&o);
    o.highpass = o.notch = 1;
    for (int r = 0; r < 5 && j->rc == EF_OK; r++)
        j->rc = ef_preprocess(j->e, &o, j->out, &qc, &err);
    return NULL;
}

static void test_threads(void)
{
    enum { T = 4 };
    ef_cs_ecg e;
    pthread_t th[T];
    struct job jobs[T];
    float *ref = ef_xmalloc(4096 * NL * sizeof *ref);
    int same = 1;

    make_ecg(&e, 5000);
    jobs[0].e = &e;
    jobs[0].out = ref;
    jobs[0].rc = EF_OK;
    worker(&jobs[0]);
    for (int t = 0; t < T; t++) {
        jobs[t].e = &e;
        jobs[t].out = ef_xmalloc(4096 * NL * sizeof(float));
        jobs[t].rc = EF_OK;
        pthread_create(&th[t], NULL, worker, &jobs[t]);
    }
    for (int t = 0; t < T; t++) {
        pthread_join(th[t], NULL);
        if (jobs[t].rc != EF_OK || memcmp(jobs[t].out, ref, 4096 * NL * sizeof *ref) != 0)
            same = 0;
        free(jobs[t].out);
    }
    ok(same, "%d threads at once get the same bits", T);
    free(ref);
    free_ecg(&e);
}

static void test_div1000(void)
{
    size_t bad = 0;

    for (long r = 0; r < 4000000; r++) {
        uint32_t b = (uint32_t)rng();
        float x, a, want;

        if (r < 1000)   /* subnormal quotients; odd r: exact ties (r * 500 * 2^-149) */
            b = (uint32_t)(r * 500) | (r & 2 ? 0x80000000u : 0);
        memcpy(&x, &b, sizeof x);
        if (!isfinite(x))
            continue;
        a = ef_pp_div1000(x);
        want = x / 1000.0f;
        if (memcmp(&a, &want, sizeof a) != 0)
            bad++;
    }
    is_int((long long)bad, 0, "ef_pp_div1000 == x / 1000.0f bit for bit (4M patterns)");
    ok(ef_pp_div1000(500 * 0x1p-149f) == 0.0f && ef_pp_div1000(1500 * 0x1p-149f) == 0x1p-148f,
       "subnormal ties round to even");
}

/* one workspace across ECGs of other lengths and output sizes */
static void test_workspace(void)
{
    static const size_t ns[] = { 5000, 4999, 5000, 2500, 5000, 5000 };
    static const size_t ms[] = { 4096, 4096, 2500, 4096, 4096, 4096 };
    ef_pp_workspace *ws = ef_pp_workspace_new();
    int same = 1;

    for (size_t c = 0; c < sizeof ns / sizeof ns[0]; c++) {
        ef_cs_ecg e;
        ef_pp_opts o;
        ef_error err;
        unsigned q1, q2;
        float *a = ef_xmalloc(ms[c] * NL * sizeof *a), *b = ef_xmalloc(ms[c] * NL * sizeof *b);
        int r1, r2;

        make_ecg(&e, ns[c]);
        if (c == 4)
            e.nsamples[3] = 4000;   /* a lead of its own length mid-ECG */
        ef_pp_opts_default(&o);
        o.samples = ms[c];
        o.highpass = c == 5;
        o.notch = c >= 4;
        r1 = ef_preprocess_ws(&e, &o, ws, a, &q1, &err);
        r2 = ef_preprocess(&e, &o, b, &q2, &err);
        if (r1 != EF_OK || r2 != EF_OK || q1 != q2 || memcmp(a, b, ms[c] * NL * sizeof *a) != 0)
            same = 0;
        free(a);
        free(b);
        free_ecg(&e);
    }
    ok(same, "a reused workspace gives the fresh result for other n, m and options");
    ef_pp_workspace_free(ws);
    ef_pp_workspace_free(NULL);
}

int main(void)
{
    test_helpers();
    test_units();
    test_leads();
    test_qc_rules();
    test_filters();
    test_threads();
    test_div1000();
    test_workspace();
    return done_testing();
}
