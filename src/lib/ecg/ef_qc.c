/* ef_qc.c — QC flag names and the per-lead checks on raw ADC counts.
 *
 * Flat: max - min <= 1 count over the lead (all zeros included): at 5 uV per
 * count that is no signal at all.
 *
 * Clipped: the longest run of consecutive samples equal to the lead's maximum,
 * and the one equal to its minimum, are measured.  The lead is clipped when
 *   - that extreme sits on an int16 rail (|value| >= 32767, where the device's
 *     16-bit converter saturates) and the run is >= 10 samples (20 ms at
 *     500 Hz), or
 *   - the run is >= 100 ms (0.1 fs samples, at least 10; 50 at 500 Hz)
 *     whatever the value: a real ECG touches its extreme only briefly (an R
 *     or S peak, a T apex within a count or two for a few ms), while an
 *     amplifier or converter limit below the rail shows a long plateau.
 * A flat lead is not also called clipped. */
#include "config.h"

#include "ecg/ef_preprocess.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const qc_names[] = {
    "missing_lead", "flat_lead", "clipped", "bad_count", "bad_rate",
    "nonfinite", "no_resolution", "dup_lead", "bad_resolution",
};

const char *ef_qc_describe(unsigned flags, char *buf, size_t size)
{
    size_t used = 0;

    if (!size)
        return buf;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof qc_names / sizeof qc_names[0]; k++) {
        int w;

        if (!(flags & (1u << k)))
            continue;
        w = snprintf(buf + used, size - used, "%s%s", used ? "," : "", qc_names[k]);
        if (w < 0 || (size_t)w >= size - used) {  /* truncated: stop at a whole name */
            buf[used] = '\0';
            break;
        }
        used += (size_t)w;
    }
    return buf;
}

#define RAIL 32767
#define RAIL_RUN 10

unsigned ef_qc_lead(const int32_t *v, size_t n, double fs)
{
    int32_t lo, hi;
    size_t run_lo = 0, run_hi = 0, plateau;
    uint32_t inner;

    if (n == 0)
        return EF_QC_FLAT_LEAD;
    {  /* four independent min/max chains in registers: one is latency-bound */
        int32_t l0 = v[0], l1 = v[0], l2 = v[0], l3 = v[0];
        int32_t h0 = v[0], h1 = v[0], h2 = v[0], h3 = v[0];
        size_t i = 0;

        for (; i + 4 <= n; i += 4) {
            l0 = v[i] < l0 ? v[i] : l0, h0 = v[i] > h0 ? v[i] : h0;
            l1 = v[i + 1] < l1 ? v[i + 1] : l1, h1 = v[i + 1] > h1 ? v[i + 1] : h1;
            l2 = v[i + 2] < l2 ? v[i + 2] : l2, h2 = v[i + 2] > h2 ? v[i + 2] : h2;
            l3 = v[i + 3] < l3 ? v[i + 3] : l3, h3 = v[i + 3] > h3 ? v[i + 3] : h3;
        }
        for (; i < n; i++)
            l0 = v[i] < l0 ? v[i] : l0, h0 = v[i] > h0 ? v[i] : h0;
        l0 = l1 < l0 ? l1 : l0, l2 = l3 < l2 ? l3 : l2, lo = l2 < l0 ? l2 : l0;
        h0 = h1 > h0 ? h1 : h0, h2 = h3 > h2 ? h3 : h2, hi = h2 > h0 ? h2 : h0;
    }
    if ((int64_t)hi - lo <= 1)
        return EF_QC_FLAT_LEAD;
    /* runs at the extremes: skip quickly to the rare samples that touch them */
    inner = (uint32_t)hi - (uint32_t)lo - 1u;  /* lo < v < hi  <=>  v - lo - 1 < inner */
    for (size_t i = 0; i < n;) {
        size_t start;

        while (i < n && (uint32_t)v[i] - (uint32_t)lo - 1u < inner)
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && v[i] == v[start])
            i++;
        if (v[start] == hi && i - start > run_hi)
            run_hi = i - start;
        if (v[start] == lo && i - start > run_lo)
            run_lo = i - start;
    }
    plateau = fs > 0 && fs < 1e6 ? (size_t)ceil(0.1 * fs) : 50;
    if (plateau < RAIL_RUN)
        plateau = RAIL_RUN;
    if ((hi >= RAIL && run_hi >= RAIL_RUN) || (lo <= -RAIL && run_lo >= RAIL_RUN) ||
        run_hi >= plateau || run_lo >= plateau)
        return EF_QC_CLIPPED;
    return 0;
}
