/* ef_synth_ecg.h — synthetic UK Biobank resting ECGs (field 20205, GE CardioSoft XML).
 *
 * A 3-D cardiac dipole (sums of Gaussians per Frank axis, synthetic-cohort §6.2-6.3) is
 * projected to I, II, V1-V6 with the Dower matrix, given a two-band RR process, baseline
 * wander, EMG and residual mains on the electrodes, band-limited like the device and
 * quantised to 5 uV counts; III, aVR, aVL, aVF are derived from the I and II counts the
 * way the device does it.  The device measurements are then taken from the synthesised
 * signal (R-peak detection, a median beat, global onsets/offsets), never copied from the
 * generator's targets.  Same parameters and seed give byte-identical output.
 */
#ifndef EF_SYNTH_ECG_H
#define EF_SYNTH_ECG_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

#define EF_SYNTH_ECG_NLEADS 12
#define EF_SYNTH_ECG_RATE 500          /* Hz */
#define EF_SYNTH_ECG_STRIP_N 5000      /* 10 s */
#define EF_SYNTH_ECG_MEDIAN_N 600      /* 1.2 s */
#define EF_SYNTH_ECG_UV_PER_LSB 5
#define EF_SYNTH_ECG_FD_SECONDS 27     /* FullDisclosure length, as in the UKB example */

/* Lead order of StripData/MedianSamples: I, II, III, aVR, aVL, aVF, V1..V6. */
extern const char *const ef_synth_ecg_lead_names[EF_SYNTH_ECG_NLEADS];

typedef struct ef_synth_ecg_params {
    double hr_bpm;        /* mean heart rate */
    double age, bmi;      /* shift amplitudes/axes/intervals per synthetic-cohort §5.4 */
    int sex;              /* 0 female, 1 male (UKB coding) */
    double zf;            /* latent fitness (optional influence per §5.4) */
    uint64_t seed;        /* same params + seed => byte-identical file */
} ef_synth_ecg_params;

/* Derived, what the device would report (12SL-like): filled from the synthesised signal.
 * Values are the rounded numbers written to the file; NAN where the device would leave
 * the element empty (e.g. no P wave found). */
typedef struct ef_synth_ecg_measurements {
    double vent_rate, pq, p_dur, qrs, qt, qtc, rr, pp, p_axis, r_axis, t_axis;
} ef_synth_ecg_measurements;

/* The physiological targets drawn for one participant (§5.4: trait effects plus seeded
 * residuals).  Exposed for cohort checks; the file never reports these directly. */
typedef struct ef_synth_ecg_targets {
    double hr_bpm, rr_ms;     /* mean rate and RR */
    double pr_ms, p_dur_ms, qrs_ms, qtc_f_ms, qt_ms;
    double rotation_deg;      /* frontal rotation of the whole dipole (+ = rightward) */
    double g_qrs, g_t, g_p;   /* voltage gains */
    double f_resp_hz;         /* breathing rate */
    double sigma_hf_ms;       /* respiratory RR modulation, SD */
    int bbb;                  /* bundle-branch-block-like QRS widening drawn */
    int early_repol;          /* early repolarisation drawn */
} ef_synth_ecg_targets;

/* Defaults: the centre of §5.4 (64-year-old man, BMI 27, zF 0, 60 bpm), seed 1. */
void ef_synth_ecg_params_default(ef_synth_ecg_params *p);

/* Draw the targets for P (deterministic in P).  EF_EINVAL for out-of-range parameters
 * (hr 25..220 bpm, age 0..120, bmi 10..80, sex 0/1, finite zf). */
int ef_synth_ecg_targets_draw(const ef_synth_ecg_params *p, ef_synth_ecg_targets *t, ef_error *err);

/* Synthesise 10 s x 12 leads at 500 Hz as int32 ADC counts (5 uV/LSB) in lead order
 * I, II, III, aVR, aVL, aVF, V1..V6; counts are int16-range.  M (NULL allowed) gets the
 * device measurements of this strip, the same ones the writer puts in the file. */
int ef_synth_ecg_synthesise(const ef_synth_ecg_params *p, int32_t counts[12][5000], ef_synth_ecg_measurements *m,
                      ef_error *err);

/* The complete CardioSoft XML document for P in a malloc'ed buffer (not NUL-terminated
 * beyond *len; free() it).  M (NULL allowed) gets the measurements written. */
int ef_synth_ecg_cardiosoft_render(const ef_synth_ecg_params *p, char **text, size_t *len,
                             ef_synth_ecg_measurements *m, ef_error *err);

/* Write a complete CardioSoft XML (StripData 10 s x 12 leads, MedianSamples 600 x 12,
 * RestingECGMeasurements, scrubbed PatientInfo, FilterSetting, Interpretation, VectorLoops
 * and a 27 s FullDisclosure block) to PATH atomically ("<path>.tmp", then rename). */
int ef_synth_ecg_write_cardiosoft(const char *path, const ef_synth_ecg_params *p, ef_error *err);

/* As ef_synth_ecg_write_cardiosoft; M (NULL allowed) gets the measurements written, e.g. for
 * the tabular copies of the device measurements (fields 12336, 22330-22338). */
int ef_synth_ecg_write_cardiosoft_m(const char *path, const ef_synth_ecg_params *p, ef_synth_ecg_measurements *m,
                              ef_error *err);

#endif
