/* ef_preprocess.h — one ECG from ADC counts to the network's input:
 * leads in PCLR order, optional filters, linear resampling to N samples
 * bit-identical to numpy's interp over linspace(0, 1, ...), units, QC. */
#ifndef EF_PREPROCESS_H
#define EF_PREPROCESS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "ecg/ef_cardiosoft.h"

enum ef_units {
    EF_UNITS_MV = 0,   /* counts x Resolution / 1000 = millivolts (correct; default) */
    EF_UNITS_SEED = 1  /* counts / 1000, as the seed and the PCLR README example did */
};

typedef struct ef_pp_opts {
    size_t samples;        /* output samples per lead, default 4096 */
    int units;             /* enum ef_units */
    int highpass;          /* baseline-wander removal: zero-phase high-pass (off by default) */
    double highpass_hz;    /* default 0.5 */
    int notch;             /* 50 Hz notch, zero-phase (off by default) */
    double notch_hz;       /* default 50 */
    int strict_rate;       /* reject a sample rate other than 500 Hz instead of resampling it */
} ef_pp_opts;

void ef_pp_opts_default(ef_pp_opts *o);
/* "mv" / "seed" <-> enum; 1 on success */
int ef_units_parse(const char *s, int *units);
const char *ef_units_name(int units);

/* QC flags stored per ECG. */
enum ef_qc_flag {
    EF_QC_MISSING_LEAD = 1u << 0,   /* a lead absent: its column is zeros (as the seed) */
    EF_QC_FLAT_LEAD = 1u << 1,      /* a lead with (nearly) no variation */
    EF_QC_CLIPPED = 1u << 2,        /* samples stuck at the extremes / saturated runs */
    EF_QC_BAD_COUNT = 1u << 3,      /* sample count other than 5000 */
    EF_QC_BAD_RATE = 1u << 4,       /* sample rate other than 500 Hz (resampled) */
    EF_QC_NONFINITE = 1u << 5,      /* non-finite values after processing */
    EF_QC_NO_RESOLUTION = 1u << 6,  /* Resolution missing or zero (an error in mv units; noted in seed units) */
    EF_QC_DUP_LEAD = 1u << 7,       /* a lead appeared twice in the file */
    EF_QC_BAD_RESOLUTION = 1u << 8  /* Resolution not 5 uVperLsb */
};
/* Comma-separated names of the flags set ("missing_lead,flat_lead"), "" if none. */
const char *ef_qc_describe(unsigned flags, char *buf, size_t size);

/* Process one ECG into out[samples * 12] (row-major: sample i, lead k at
 * out[i * 12 + k], as the seed's (4096, 12) array), and its QC flags.
 * EF_EDATA (with err) when the ECG cannot be used at all: no lead, a lead
 * shorter than 2 samples, strict rate mismatch, Resolution missing or zero in
 * mv units.
 *
 * Arithmetic, for bit-exact parity with the seed (ukb-data.md §1.6): counts
 * are taken as float32 (np.fromstring(..., dtype=float32)), resampled in
 * double and rounded to float32, then divided by 1000.0f in float32; in mv
 * units that float32 is then multiplied by (float)Resolution in float32 (so
 * mv == seed * Resolution exactly, as numpy computes seed_array * 5).  The
 * optional filters run in double on the 500 Hz signal before resampling.
 *
 * Details: a Resolution that is not a finite positive number counts as
 * missing; an absent SampleRate is "not 500 Hz"; EF_QC_BAD_COUNT is also set
 * when the reader noted EF_CS_NOTE_COUNT_MISMATCH; filters use the file's rate
 * (n / 10 s without one).  Thread-safe; ef_preprocess_ws avoids the
 * per-call allocation. */
int ef_preprocess(const ef_cs_ecg *ecg, const ef_pp_opts *o, float *out, unsigned *qc, ef_error *err);

/* Scratch buffers (and the last resampling plan) reused across calls: one per
 * thread; ef_preprocess makes a temporary one. */
typedef struct ef_pp_workspace ef_pp_workspace;
ef_pp_workspace *ef_pp_workspace_new(void);
void ef_pp_workspace_free(ef_pp_workspace *ws);
/* ef_preprocess with a workspace: no allocation once the buffers have grown. */
int ef_preprocess_ws(const ef_cs_ecg *ecg, const ef_pp_opts *o, ef_pp_workspace *ws, float *out,
                     unsigned *qc, ef_error *err);

/* numpy.interp(linspace(0,1,m), linspace(0,1,n), x) for float32 x, computed in
 * double exactly as numpy does, written as float32 (the seed's astype). */
void ef_resample_linear(const float *x, size_t n, float *y, size_t m);
/* The same writing y[i * stride] (a column of a row-major array). */
void ef_resample_linear_stride(const float *x, size_t n, float *y, size_t m, size_t stride);
/* The same from double values (the filtered signal), numpy's interp of a
 * float64 array; n == 1 gives x[0] everywhere, n == 0 zeros. */
void ef_resample_linear_d(const double *x, size_t n, float *y, size_t m, size_t stride);

/* The same through a plan made once per (n, m) and applied to every lead of
 * that length (bit-identical, about twice as fast).  mem holds
 * ef_resample_plan_bytes(m) bytes, suitably aligned (malloc'd), and must
 * outlive the plan. */
typedef struct ef_resample_plan {
    size_t n, m;
    double *t;   /* x[i] - xp[j] */
    double *dx;  /* xp[j+1] - xp[j]; 0 where numpy returns fp[j] itself */
    size_t *j;   /* segment of output i */
} ef_resample_plan;
size_t ef_resample_plan_bytes(size_t m);
void ef_resample_plan_init(ef_resample_plan *p, size_t n, size_t m, void *mem);
void ef_resample_plan_apply_d(const ef_resample_plan *p, const double *x, float *y, size_t stride);

/* x / 1000.0f bit for bit (float division), computed with a multiply. */
float ef_pp_div1000(float x);

/* Per-lead QC on ADC counts at fs Hz: EF_QC_FLAT_LEAD and/or EF_QC_CLIPPED
 * (rules in ef_qc.c). */
unsigned ef_qc_lead(const int32_t *v, size_t n, double fs);

#endif
