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
 * optional filters run in double on the 500 Hz signal before resampling. */
int ef_preprocess(const ef_cs_ecg *ecg, const ef_pp_opts *o, float *out, unsigned *qc, ef_error *err);

/* numpy.interp(linspace(0,1,m), linspace(0,1,n), x) for float32 x, computed in
 * double exactly as numpy does, written as float32 (the seed's astype). */
void ef_resample_linear(const float *x, size_t n, float *y, size_t m);

#endif
