/* ef_filter.h — zero-phase IIR filters for ECG preprocessing: a 2nd-order
 * Butterworth high-pass (baseline wander) and a notch (mains hum), each run
 * forward and backward over an odd-reflection padded copy of the signal. */
#ifndef EF_FILTER_H
#define EF_FILTER_H

#include <stddef.h>

/* y[k] = b0 x[k] + b1 x[k-1] + b2 x[k-2] - a1 y[k-1] - a2 y[k-2] */
typedef struct ef_biquad {
    double b0, b1, b2, a1, a2;
} ef_biquad;

/* Butterworth high-pass, cut-off fc Hz at fs Hz (bilinear transform with
 * pre-warping).  EF_EINVAL unless 0 < fc < fs / 2. */
int ef_biquad_highpass(ef_biquad *q, double fc, double fs);
/* Notch at f0 Hz with quality factor Q (bandwidth f0 / Q at -3 dB), the
 * design of scipy.signal.iirnotch.  EF_EINVAL unless 0 < f0 < fs / 2, Q > 0. */
int ef_biquad_notch(ef_biquad *q, double f0, double Q, double fs);
/* |H(f)| of one pass (the zero-phase filter's gain is its square). */
double ef_biquad_gain(const ef_biquad *q, double f, double fs);

/* Reflection padding used by ef_filtfilt for this filter: about three
 * time constants of its slowest pole, at most n - 1. */
size_t ef_biquad_padlen(const ef_biquad *q, size_t n);

/* Zero-phase filtering of x[0..n) in place: odd reflection of pad samples at
 * each end (2 x[0] - x[pad..1], ...), steady-state initial conditions, a
 * forward pass, a backward pass.  work holds n + 2 * pad doubles; pad < n. */
void ef_filtfilt(const ef_biquad *q, double *x, size_t n, size_t pad, double *work);

#endif
