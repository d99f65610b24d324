/* ef_synth_ecg_int.h — internals shared by the synthetic-ECG files (model, analysis,
 * CardioSoft writer) and their unit test.  Not part of the library's public surface. */
#ifndef EF_SYNTH_ECG_INT_H
#define EF_SYNTH_ECG_INT_H

#include "synth/ef_synth_ecg.h"

#define EF_SYNTH_ECGI_MAX_GAUSS 48
#define EF_SYNTH_ECGI_MAX_BEATS 256
#define EF_SYNTH_ECGI_MEDIAN_FID 240   /* median-beat sample of the QRS fiducial (480 ms) */
#define EF_SYNTH_ECGI_LAST_VALID 593   /* as in the UKB example; later median samples are 0 */

/* Forward Dower matrix rows for I, II, V1..V6 (columns X, Y, Z) and the inverse Dower
 * matrix (rows X, Y, Z; columns V1..V6, I, II), synthetic-cohort §6.4. */
extern const double ef_synth_ecgi_dower[8][3];
extern const double ef_synth_ecgi_inv_dower[3][8];

/* One Gaussian of the dipole, already rotated: amplitude vector (X, Y, Z) in mV, centre
 * relative to the R peak and SD in seconds. */
enum ef_synth_ecgi_wave { EF_SYNTH_ECGI_P, EF_SYNTH_ECGI_QRS, EF_SYNTH_ECGI_T };
typedef struct ef_synth_ecgi_gauss {
    double a[3];
    double tau, sigma;
    int wave;
} ef_synth_ecgi_gauss;

typedef struct ef_synth_ecgi_model {
    ef_synth_ecg_params p;
    ef_synth_ecg_targets t;
    int ngauss;
    ef_synth_ecgi_gauss g[EF_SYNTH_ECGI_MAX_GAUSS];
} ef_synth_ecgi_model;

/* Build the per-participant model: targets (§5.4) and the transformed Gaussian set. */
int ef_synth_ecgi_model_build(const ef_synth_ecg_params *p, ef_synth_ecgi_model *mo, ef_error *err);

/* Render N_OUT samples of all 12 leads (counts) into OUT[k][0..n_out).  Sample 0 is the
 * start of the 10 s strip; samples EF_SYNTH_ECG_STRIP_N.. continue the same recording (the
 * writer's full disclosure).  Every random process is causal and drawn in time order, so
 * a longer rendering starts with exactly the samples of a shorter one. */
void ef_synth_ecgi_render(const ef_synth_ecgi_model *mo, long n_out, int32_t *const out[EF_SYNTH_ECG_NLEADS]);

/* Derived limb leads from I and II counts, rounded as the CardioSoft device does
 * (verified on the UKB example: III = II - I, aVR = ceil(-(I+II)/2), aVL = ceil(I - II/2),
 * aVF = ceil(II - I/2)). */
void ef_synth_ecgi_derive_limb(int32_t i, int32_t ii, int32_t *iii, int32_t *avr, int32_t *avl,
                         int32_t *avf);

/* Per-lead wave measurements on the median beat (uV, ms; has_* = 0 means empty cell). */
typedef struct ef_synth_ecgi_lead_meas {
    int has_q, has_r, has_s, has_p, has_t;
    double q_amp, r_amp, s_amp, q_dur, r_dur, s_dur;
    double p_amp, t_amp, j_amp;
} ef_synth_ecgi_lead_meas;

typedef struct ef_synth_ecgi_analysis {
    int nbeats;                       /* QRS complexes detected in the analysed signal */
    int beat[EF_SYNTH_ECGI_MAX_BEATS];      /* their fiducial sample indices */
    int nmedian;                      /* beats that went into the median */
    double rr_ms;                     /* mean RR */
    int32_t median[EF_SYNTH_ECG_NLEADS][EF_SYNTH_ECG_MEDIAN_N];
    int has_p;
    double p_on, p_off, q_on, q_off, t_off;   /* ms from the median window start */
    ef_synth_ecgi_lead_meas lead[EF_SYNTH_ECG_NLEADS];
    double sokolow_mv;
    ef_synth_ecg_measurements m;            /* rounded, as written */
} ef_synth_ecgi_analysis;

/* QRS detection on the independent leads (I, II, V1..V6) of LEAD[k][0..n): fiducials
 * (peak of the smoothed multi-lead slope energy) into BEAT, at most MAX; returns count. */
int ef_synth_ecgi_detect_beats(const int32_t *const lead[EF_SYNTH_ECG_NLEADS], long n, int *beat, int max);

/* Device-like analysis of a 10 s strip: beats, median beat, global fiducials, axes,
 * per-lead amplitudes, the measurement block.  EF_EDATA when fewer than 2 beats. */
int ef_synth_ecgi_analyse(const int32_t *const lead[EF_SYNTH_ECG_NLEADS], long n, ef_synth_ecgi_analysis *a,
                    ef_error *err);

#endif
