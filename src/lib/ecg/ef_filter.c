/* ef_filter.c — biquad design and zero-phase (forward-backward) filtering.
 *
 * Design choices:
 * - High-pass: 2nd-order Butterworth, analog prototype s^2 / (s^2 + sqrt2 w s
 *   + w^2) mapped by the bilinear transform with pre-warping K = tan(pi fc/fs),
 *   so the -3 dB point of one pass is exactly fc; run twice (forward and
 *   backward) the response is |H|^2: -6 dB at fc, 80 dB/decade below it, and
 *   no phase shift (QRS and T timing are untouched).
 * - Notch: scipy.signal.iirnotch's design: b = g [1, -2 cos w0, 1],
 *   a = [1, -2 g cos w0, 2 g - 1], g = 1 / (1 + tan(w0 / (2 Q))), an exact
 *   zero at f0 and a -3 dB bandwidth of f0 / Q per pass.
 * - Edges: the signal is extended by odd reflection about its end samples
 *   (2 x[0] - x[k]), which continues both level and slope, and each pass
 *   starts from the filter's steady state for a constant input equal to the
 *   first sample, as scipy's filtfilt does; the padding is about three time
 *   constants of the slowest pole, so the start-up transient has died out
 *   before the real samples. */
#include "config.h"

#include "ecg/ef_filter.h"
#include "core/ef_error.h"

#include <math.h>

#define PI 3.14159265358979323846
#define SQRT2 1.41421356237309504880

int ef_biquad_highpass(ef_biquad *q, double fc, double fs)
{
    double k, k2, norm;

    if (!(fs > 0) || !(fc > 0) || !(fc < fs / 2))
        return EF_EINVAL;
    k = tan(PI * fc / fs);
    k2 = k * k;
    norm = 1.0 / (1.0 + SQRT2 * k + k2);
    q->b0 = norm;
    q->b1 = -2.0 * norm;
    q->b2 = norm;
    q->a1 = 2.0 * (k2 - 1.0) * norm;
    q->a2 = (1.0 - SQRT2 * k + k2) * norm;
    return EF_OK;
}

int ef_biquad_notch(ef_biquad *q, double f0, double Q, double fs)
{
    double w0, g, c;

    if (!(fs > 0) || !(f0 > 0) || !(f0 < fs / 2) || !(Q > 0))
        return EF_EINVAL;
    w0 = 2.0 * PI * f0 / fs;
    g = 1.0 / (1.0 + tan(w0 / (2.0 * Q)));
    c = cos(w0);
    q->b0 = g;
    q->b1 = -2.0 * g * c;
    q->b2 = g;
    q->a1 = -2.0 * g * c;
    q->a2 = 2.0 * g - 1.0;
    return EF_OK;
}

double ef_biquad_gain(const ef_biquad *q, double f, double fs)
{
    double w = 2.0 * PI * f / fs;
    double c1 = cos(w), s1 = sin(w), c2 = cos(2 * w), s2 = sin(2 * w);
    /* numerator and denominator at z^-1 = e^{-jw} */
    double nr = q->b0 + q->b1 * c1 + q->b2 * c2, ni = -(q->b1 * s1 + q->b2 * s2);
    double dr = 1.0 + q->a1 * c1 + q->a2 * c2, di = -(q->a1 * s1 + q->a2 * s2);

    return sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

size_t ef_biquad_padlen(const ef_biquad *q, size_t n)
{
    /* poles: roots of z^2 + a1 z + a2 */
    double disc = q->a1 * q->a1 - 4.0 * q->a2, r, pad;

    if (disc < 0)
        r = sqrt(q->a2);
    else
        r = fmax(fabs(-q->a1 + sqrt(disc)), fabs(-q->a1 - sqrt(disc))) / 2.0;
    pad = r > 0 && r < 1 ? ceil(-3.0 / log(r)) : 3.0;
    if (pad < 3)
        pad = 3;
    if (n == 0)
        return 0;
    return pad > (double)(n - 1) ? n - 1 : (size_t)pad;
}

/* One pass in transposed direct form II, starting in the steady state for a
 * constant input x[0] (or x[len-1] backwards). */
static void pass(const ef_biquad *q, double *x, size_t len, int backward)
{
    double x0 = backward ? x[len - 1] : x[0];
    double dc = (q->b0 + q->b1 + q->b2) / (1.0 + q->a1 + q->a2);
    double z1 = (q->b1 + q->b2 - (q->a1 + q->a2) * dc) * x0;
    double z2 = (q->b2 - q->a2 * dc) * x0;

    for (size_t k = 0; k < len; k++) {
        size_t i = backward ? len - 1 - k : k;
        double in = x[i], out = q->b0 * in + z1;

        z1 = q->b1 * in - q->a1 * out + z2;
        z2 = q->b2 * in - q->a2 * out;
        x[i] = out;
    }
}

void ef_filtfilt(const ef_biquad *q, double *x, size_t n, size_t pad, double *work)
{
    size_t len = n + 2 * pad;

    if (n == 0)
        return;
    if (pad >= n)
        pad = n - 1, len = n + 2 * pad;
    for (size_t k = 0; k < pad; k++) {
        work[pad - 1 - k] = 2.0 * x[0] - x[k + 1];
        work[pad + n + k] = 2.0 * x[n - 1] - x[n - 2 - k];
    }
    for (size_t k = 0; k < n; k++)
        work[pad + k] = x[k];
    pass(q, work, len, 0);
    pass(q, work, len, 1);
    for (size_t k = 0; k < n; k++)
        x[k] = work[pad + k];
}
