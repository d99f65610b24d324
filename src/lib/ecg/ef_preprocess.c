/* ef_preprocess.c — one ECG from ADC counts to the (samples, 12) float32
 * array the network takes, with QC flags.  Order of work per lead: QC on the
 * counts, counts -> float32 -> double, optional zero-phase filters at the
 * file's rate, numpy-exact resampling to o->samples, /1000 in float32, and in
 * mv units * Resolution in float32 (ef_preprocess.h has the parity rules).
 *
 * Rate: the seed resamples linspace(0, 1, n) onto linspace(0, 1, samples),
 * i.e. whatever the rate, the strip becomes `samples` points; a rate other
 * than 500 Hz (or none) is flagged and processed the same way unless
 * strict_rate.  The filters and the plateau rule use the file's rate, or
 * n / 10 s when it has none.  Reentrant: all state is on the stack or in the
 * caller's workspace (one per thread). */
#include "config.h"

#include "ecg/ef_preprocess.h"
#include "ecg/ef_filter.h"
#include "core/ef_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UKB_RATE 500.0
#define UKB_COUNT 5000
#define UKB_RESOLUTION 5.0
#define NOTCH_Q 30.0

/* PCLR order (as ef_cs_lead_names; kept here so that messages do not need
 * the XML reader linked in) */
static const char *const lead_name[EF_CS_NLEADS] = {
    "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6",
};

void ef_pp_opts_default(ef_pp_opts *o)
{
    memset(o, 0, sizeof *o);
    o->samples = 4096;
    o->units = EF_UNITS_MV;
    o->highpass = 0;
    o->highpass_hz = 0.5;
    o->notch = 0;
    o->notch_hz = 50.0;
    o->strict_rate = 0;
}

int ef_units_parse(const char *s, int *units)
{
    if (!s)
        return 0;
    if (strcmp(s, "mv") == 0)
        *units = EF_UNITS_MV;
    else if (strcmp(s, "seed") == 0)
        *units = EF_UNITS_SEED;
    else
        return 0;
    return 1;
}

const char *ef_units_name(int units)
{
    switch (units) {
    case EF_UNITS_MV: return "mv";
    case EF_UNITS_SEED: return "seed";
    default: return "unknown";
    }
}

/* x / 1000.0f, without a float division per sample.  The exact quotient of
 * a float by 1000 is either exact in double (ties included, down to the
 * subnormal 500 * 2^-149 / 1000) or at least 2^-32 (relative) away from a
 * float rounding boundary, while x * 0.001 in double is within 2^-52 of it;
 * so rounding that product to float gives the correctly rounded quotient.
 * Checked for all 2^32 bit patterns. */
float ef_pp_div1000(float x)
{
    return (float)((double)x * 0.001);
}

/* Checks that need no per-lead work; fills *flags, returns a status. */
static int check_ecg(const ef_cs_ecg *e, const ef_pp_opts *o, unsigned *flags, size_t *nmax,
                     ef_error *err)
{
    size_t present = 0;

    *nmax = 0;
    if (o->samples == 0)
        return ef_error_set(err, EF_EINVAL, "output sample count must be at least 1");
    if (o->units != EF_UNITS_MV && o->units != EF_UNITS_SEED)
        return ef_error_set(err, EF_EINVAL, "unknown units %d", o->units);
    if (o->highpass && !(o->highpass_hz > 0 && isfinite(o->highpass_hz)))
        return ef_error_set(err, EF_EINVAL, "high-pass cut-off must be a positive frequency");
    if (o->notch && !(o->notch_hz > 0 && isfinite(o->notch_hz)))
        return ef_error_set(err, EF_EINVAL, "notch frequency must be a positive frequency");
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        if (!e->lead[k]) {
            *flags |= EF_QC_MISSING_LEAD;
            continue;
        }
        if (e->nsamples[k] < 2)
            return ef_error_set(err, EF_EDATA, "lead %s has %zu sample%s (at least 2 needed)",
                                lead_name[k], e->nsamples[k],
                                e->nsamples[k] == 1 ? "" : "s");
        if (e->nsamples[k] != UKB_COUNT)
            *flags |= EF_QC_BAD_COUNT;
        if (e->nsamples[k] > *nmax)
            *nmax = e->nsamples[k];
        present++;
    }
    if (!present)
        return ef_error_set(err, EF_EDATA, "no StripData lead");
    if (e->notes & EF_CS_NOTE_COUNT_MISMATCH)
        *flags |= EF_QC_BAD_COUNT;
    if (e->notes & EF_CS_NOTE_DUP_LEAD)
        *flags |= EF_QC_DUP_LEAD;
    if (!(e->sample_rate == UKB_RATE)) {
        if (o->strict_rate) {
            if (isnan(e->sample_rate))
                return ef_error_set(err, EF_EDATA, "no SampleRate (500 Hz required)");
            return ef_error_set(err, EF_EDATA, "sample rate %g Hz, not 500 Hz", e->sample_rate);
        }
        *flags |= EF_QC_BAD_RATE;
    }
    if (!(isfinite(e->resolution) && e->resolution > 0)) {
        if (o->units == EF_UNITS_MV)
            return ef_error_set(err, EF_EDATA,
                                "Resolution %s: counts cannot be converted to millivolts "
                                "(the seed's units, which ignore it, still work)",
                                isnan(e->resolution) ? "missing" : "not a positive number");
        *flags |= EF_QC_NO_RESOLUTION;
    } else if (e->resolution != UKB_RESOLUTION || strcmp(e->resolution_units, "uVperLsb") != 0) {
        *flags |= EF_QC_BAD_RESOLUTION;
    }
    return EF_OK;
}

struct ef_pp_workspace {
    double *sig;              /* one lead at the native rate, then filtered */
    size_t sig_cap;
    double *work;             /* filter padding buffer */
    size_t work_cap;
    float *cols;              /* resampled leads, lead-major */
    size_t cols_cap;
    void *plan_mem;           /* the last plan, kept across calls */
    size_t plan_cap;
    ef_resample_plan plan;
};

ef_pp_workspace *ef_pp_workspace_new(void)
{
    return ef_xcalloc(1, sizeof(ef_pp_workspace));
}

void ef_pp_workspace_free(ef_pp_workspace *ws)
{
    if (!ws)
        return;
    free(ws->sig);
    free(ws->work);
    free(ws->cols);
    free(ws->plan_mem);
    free(ws);
}

static void *reserve(void *p, size_t *cap, size_t bytes)
{
    if (bytes <= *cap)
        return p;
    free(p);
    *cap = bytes;
    return ef_xmalloc(bytes);
}

int ef_preprocess(const ef_cs_ecg *ecg, const ef_pp_opts *o, float *out, unsigned *qc, ef_error *err)
{
    ef_pp_workspace *ws = ef_pp_workspace_new();
    int rc = ef_preprocess_ws(ecg, o, ws, out, qc, err);

    ef_pp_workspace_free(ws);
    return rc;
}

int ef_preprocess_ws(const ef_cs_ecg *ecg, const ef_pp_opts *o, ef_pp_workspace *ws, float *out,
                     unsigned *qc, ef_error *err)
{
    ef_pp_opts defaults;
    unsigned flags = 0;
    size_t nmax, m, pad = 0;
    double fs;
    ef_biquad hp, notch;
    double *sig, *work;
    float *cols;
    int finite = 1, mv;
    float res;
    int rc;

    if (!o) {
        ef_pp_opts_default(&defaults);
        o = &defaults;
    }
    if (qc)
        *qc = 0;
    rc = check_ecg(ecg, o, &flags, &nmax, err);
    if (rc != EF_OK) {
        if (qc)
            *qc = flags;
        return rc;
    }
    m = o->samples;
    mv = o->units == EF_UNITS_MV;
    fs = isfinite(ecg->sample_rate) && ecg->sample_rate > 0 ? ecg->sample_rate : (double)nmax / 10.0;
    if (o->highpass) {
        if (ef_biquad_highpass(&hp, o->highpass_hz, fs) != EF_OK)
            rc = ef_error_set(err, EF_EDATA, "high-pass at %g Hz impossible at %g Hz sampling",
                              o->highpass_hz, fs);
        else
            pad = ef_biquad_padlen(&hp, nmax);
    }
    if (o->notch && rc == EF_OK) {
        if (ef_biquad_notch(&notch, o->notch_hz, NOTCH_Q, fs) != EF_OK)
            rc = ef_error_set(err, EF_EDATA, "notch at %g Hz impossible at %g Hz sampling",
                              o->notch_hz, fs);
        else if (ef_biquad_padlen(&notch, nmax) > pad)
            pad = ef_biquad_padlen(&notch, nmax);
    }
    if (qc)
        *qc = flags;
    if (rc != EF_OK)
        return rc;
    sig = ws->sig = reserve(ws->sig, &ws->sig_cap, nmax * sizeof *sig);
    cols = ws->cols = reserve(ws->cols, &ws->cols_cap, m * EF_CS_NLEADS * sizeof *cols);
    work = ws->work;
    if (o->highpass || o->notch)
        work = ws->work = reserve(ws->work, &ws->work_cap, (nmax + 2 * pad) * sizeof *work);
    res = (float)ecg->resolution;

    for (int k = 0; k < EF_CS_NLEADS; k++) {
        const int32_t *v = ecg->lead[k];
        size_t n = ecg->nsamples[k];

        if (!v) {  /* the seed's zero column (0 * Resolution is +0 too) */
            memset(cols + (size_t)k * m, 0, m * sizeof *cols);
            continue;
        }
        flags |= ef_qc_lead(v, n, fs);
        for (size_t i = 0; i < n; i++)
            sig[i] = (double)(float)v[i];  /* np.fromstring(..., dtype=float32) */
        if (o->highpass)
            ef_filtfilt(&hp, sig, n, ef_biquad_padlen(&hp, n), work);
        if (o->notch)
            ef_filtfilt(&notch, sig, n, ef_biquad_padlen(&notch, n), work);
        if (!ws->plan.t || ws->plan.n != n || ws->plan.m != m) {  /* leads share a length */
            if (ef_resample_plan_bytes(m) > ws->plan_cap) {
                free(ws->plan_mem);
                ws->plan_cap = ef_resample_plan_bytes(m);
                ws->plan_mem = ef_xmalloc(ws->plan_cap);
            }
            ef_resample_plan_init(&ws->plan, n, m, ws->plan_mem);
        }
        ef_resample_plan_apply_d(&ws->plan, sig, cols + (size_t)k * m, 1);
    }
    /* lead-major columns -> the row-major output, in one sequential pass */
    for (size_t i = 0; i < m; i++) {
        float *row = out + i * EF_CS_NLEADS;

        for (int k = 0; k < EF_CS_NLEADS; k++) {
            float s = ef_pp_div1000(cols[(size_t)k * m + i]);

            row[k] = mv ? s * res : s;
        }
    }
    for (size_t i = 0; i < m * EF_CS_NLEADS; i++)
        finite &= isfinite(out[i]) != 0;
    if (!finite)
        flags |= EF_QC_NONFINITE;
    if (qc)
        *qc = flags;
    return EF_OK;
}
