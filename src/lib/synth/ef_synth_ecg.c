/* ef_synth_ecg.c — device-like (12SL-style) analysis of a synthetic strip, and the
 * ef_synth_ecg_synthesise entry point.
 *
 * The measurement block of a synthetic file must describe the signal in the file, so it
 * is measured here the way an electrocardiograph does it: QRS detection on the slope
 * energy of the independent leads, a median beat (1.2 s, fiducial at 480 ms), global
 * QRS onset/offset from the spatial velocity, P and T limits by the tangent method on
 * the spatial magnitude, axes from net frontal areas in I and aVF.
 */
#include "config.h"
#include "synth/ef_synth_ecg_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/ef_alloc.h"

#define FS ((double)EF_SYNTH_ECG_RATE)
#define MS_PER_SAMPLE (1000.0 / EF_SYNTH_ECG_RATE)
#define NMED EF_SYNTH_ECG_MEDIAN_N
#define FID EF_SYNTH_ECGI_MEDIAN_FID
#define QRS_VEL_FRAC 0.10      /* QRS limits: spatial velocity below this fraction of peak */

/* I, II, V1..V6: the eight leads that carry independent information. */
static const int indep[8] = { 0, 1, 6, 7, 8, 9, 10, 11 };

static double round_half_up(double x)
{
    return floor(x + 0.5);
}

int ef_synth_ecgi_detect_beats(const int32_t *const lead[EF_SYNTH_ECG_NLEADS], long n, int *beat, int max)
{
    const int half = 10, refractory = (int)(0.25 * FS), seg = 2 * EF_SYNTH_ECG_RATE;
    double *e, *s, segmax[64], th;
    int nseg = 0, nb = 0;

    if (n < 3 * half + 3)
        return 0;
    e = ef_xcalloc((size_t)n, sizeof *e);
    s = ef_xcalloc((size_t)n, sizeof *s);
    for (long i = 1; i + 1 < n; i++) {
        double acc = 0;

        for (int k = 0; k < 8; k++) {
            double d = (double)lead[indep[k]][i + 1] - lead[indep[k]][i - 1];

            acc += d * d;
        }
        e[i] = acc;
    }
    /* 42 ms moving sum: one hump per QRS. */
    {
        double acc = 0;

        for (long i = 0; i < n; i++) {
            acc += e[i];
            if (i >= 2 * half + 1)
                acc -= e[i - 2 * half - 1];
            if (i >= half)
                s[i - half] = acc;
        }
    }
    /* Threshold from the median of 2-s maxima: robust to one artefact or a missed beat. */
    for (long i0 = 0; i0 < n && nseg < 64; i0 += seg) {
        double mx = 0;

        for (long i = i0; i < n && i < i0 + seg; i++)
            if (s[i] > mx)
                mx = s[i];
        segmax[nseg++] = mx;
    }
    for (int i = 1; i < nseg; i++)
        for (int j = i; j > 0 && segmax[j - 1] > segmax[j]; j--) {
            double t = segmax[j];

            segmax[j] = segmax[j - 1];
            segmax[j - 1] = t;
        }
    th = 0.3 * segmax[nseg / 2];
    if (th <= 0) {
        free(e);
        free(s);
        return 0;
    }
    for (long i = 0; i < n;) {
        long j, arg;
        double num = 0, den = 0;

        if (s[i] <= th) {
            i++;
            continue;
        }
        for (j = i, arg = i; j < n && s[j] > th; j++)
            if (s[j] > s[arg])
                arg = j;
        i = j;
        /* Fiducial: centroid of the energy hump around its peak. */
        for (long k = arg - 15; k <= arg + 15; k++)
            if (k >= 0 && k < n) {
                num += s[k] * (double)k;
                den += s[k];
            }
        arg = (long)round_half_up(num / den);
        if (nb > 0 && arg - beat[nb - 1] < refractory) {
            if (s[arg] > s[beat[nb - 1]])
                beat[nb - 1] = (int)arg;
            continue;
        }
        if (nb < max)
            beat[nb++] = (int)arg;
    }
    free(e);
    free(s);
    return nb;
}

static void sort_small(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

static double axis_deg(double area_i, double area_avf)
{
    /* Hexaxial: aVF = (sqrt(3)/2)|H| sin(theta), I = |H| cos(theta). */
    double a = atan2(2 * area_avf / sqrt(3.0), area_i) * 180 / 3.14159265358979323846;

    if (a < -90)
        a += 360;
    return a;
}

/* Tangent method: the line through the steepest point of MAG between J0 and J1 (rising
 * if DIR > 0, falling if DIR < 0) meets LEVEL at the returned sample position. */
static double tangent_level(const double *mag, int j0, int j1, int dir, double level)
{
    int best = -1;
    double bd = 0;

    for (int j = j0; j <= j1; j++) {
        double d = (mag[j + 1] - mag[j - 1]) / 2 * dir;

        if (d > bd) {
            bd = d;
            best = j;
        }
    }
    if (best < 0)
        return dir > 0 ? j0 : j1;
    return best - dir * (mag[best] - level) / bd;
}

static double tangent_zero(const double *mag, int j0, int j1, int dir)
{
    return tangent_level(mag, j0, j1, dir, 0);
}

static double min_between(const double *x, int j0, int j1)
{
    double mn = x[j0];

    for (int j = j0 + 1; j <= j1; j++)
        if (x[j] < mn)
            mn = x[j];
    return mn;
}

static void lead_waves(const double *x, int qa, int qb, ef_synth_ecgi_lead_meas *lm)
{
    const double min_uv = 10;
    int ir = qa, is = -1, iq = -1;

    for (int j = qa; j <= qb; j++)
        if (x[j] > x[ir])
            ir = j;
    lm->has_r = x[ir] >= min_uv;
    if (lm->has_r) {
        int a = ir, b = ir;

        lm->r_amp = x[ir];
        while (a > qa && x[a - 1] > 0)
            a--;
        while (b < qb && x[b + 1] > 0)
            b++;
        lm->r_dur = (b - a + 1) * MS_PER_SAMPLE;
        /* Q: an initial negative deflection before R. */
        for (int j = qa; j < a; j++)
            if (iq < 0 || x[j] < x[iq])
                iq = j;
        lm->has_q = iq >= 0 && -x[iq] >= min_uv;
        if (lm->has_q) {
            lm->q_amp = -x[iq];
            lm->q_dur = (a - qa) * MS_PER_SAMPLE;
        }
        for (int j = b + 1; j <= qb; j++)
            if (is < 0 || x[j] < x[is])
                is = j;
        lm->has_s = is >= 0 && -x[is] >= min_uv;
        if (lm->has_s) {
            int c = is, d = is;

            while (c > b + 1 && x[c - 1] < 0)
                c--;
            while (d < qb && x[d + 1] < 0)
                d++;
            lm->s_amp = -x[is];
            lm->s_dur = (d - c + 1) * MS_PER_SAMPLE;
        }
    } else {
        /* QS complex: report the negative deflection as S. */
        for (int j = qa; j <= qb; j++)
            if (is < 0 || x[j] < x[is])
                is = j;
        lm->has_s = -x[is] >= min_uv;
        if (lm->has_s) {
            lm->s_amp = -x[is];
            lm->s_dur = (qb - qa + 1) * MS_PER_SAMPLE;
        }
    }
    lm->j_amp = x[qb];
}

/* T wave: the largest magnitude between QRS end + 80 ms and LIM; its end by the
 * tangent on the descending limb only (down to the first trough below half the peak,
 * so that a following P wave cannot lend its steeper slope). */
static double find_t(const double *mag, int q_off, int lim, int *tpk_out)
{
    int tpk = q_off + 40 < lim ? q_off + 40 : lim, j1;
    double t_off;

    for (int j = tpk; j <= lim; j++)
        if (mag[j] > mag[tpk])
            tpk = j;
    for (j1 = tpk; j1 < lim && (mag[j1 + 1] < mag[j1] || mag[j1] > 0.5 * mag[tpk]); j1++)
        ;
    t_off = tangent_zero(mag, tpk, j1 > tpk ? j1 : tpk, -1);
    if (t_off > lim + 40)
        t_off = lim + 40;
    *tpk_out = tpk;
    return t_off;
}

/* P wave: the largest hump (a local maximum over +-8 ms, so that the decaying tail of
 * the previous T wave does not count) between LO and 16 ms before the QRS; limits in
 * samples. */
static int find_p(const double *mag, int q_on, int lo, int *ppk_out, double *p_on,
                  double *p_off)
{
    int ppk = -1, j0, j1;

    for (int j = lo + 4; j <= q_on - 12; j++) {
        int peak = 1;

        for (int d = 1; d <= 4 && peak; d++)
            peak = mag[j] >= mag[j - d] && mag[j] >= mag[j + d];
        if (peak && (ppk < 0 || mag[j] > mag[ppk]))
            ppk = j;
    }
    *ppk_out = ppk < 0 ? lo : ppk;
    if (ppk < 0 || mag[ppk] < 20)
        return 0;
    j0 = ppk - 40 > lo ? ppk - 40 : lo + 1;
    j1 = ppk + 40 < q_on - 2 ? ppk + 40 : q_on - 2;
    /* At fast rates the previous T (and U) wave has not ended: measure the P onset from
     * the floor of the T-P segment rather than from zero. */
    *p_on = tangent_level(mag, j0, ppk, 1, min_between(mag, lo, ppk));
    *p_off = tangent_zero(mag, ppk, j1, -1);
    if (*p_off > q_on)
        *p_off = q_on;
    if (*p_on < 0)
        *p_on = 0;
    return 1;
}

int ef_synth_ecgi_analyse(const int32_t *const lead[EF_SYNTH_ECG_NLEADS], long n, ef_synth_ecgi_analysis *a,
                    ef_error *err)
{
    double (*md)[NMED] = ef_xmalloc(sizeof(double[EF_SYNTH_ECG_NLEADS][NMED]));
    double (*sm)[NMED] = ef_xmalloc(sizeof(double[8][NMED]));
    double vel[NMED], mag[NMED], *vals = ef_xmalloc(EF_SYNTH_ECGI_MAX_BEATS * sizeof *vals);
    double base[EF_SYNTH_ECGI_MAX_BEATS], vmax = 0, th, q_on, q_off, t_off, rr_s, ai, af;
    double rr_n;
    int use[EF_SYNTH_ECGI_MAX_BEATS], nu = 0, j, lim, tpk = 0, ppk = -1, lo;
    ef_synth_ecg_measurements *m = &a->m;

    memset(a, 0, sizeof *a);
    a->nbeats = ef_synth_ecgi_detect_beats(lead, n, a->beat, EF_SYNTH_ECGI_MAX_BEATS);
    if (a->nbeats < 2) {
        free(md);
        free(sm);
        free(vals);
        return ef_error_set(err, EF_EDATA, "ECG analysis: fewer than 2 QRS complexes found");
    }
    a->rr_ms = (a->beat[a->nbeats - 1] - a->beat[0]) * MS_PER_SAMPLE / (a->nbeats - 1);
    for (int b = 0; b < a->nbeats; b++)
        if (a->beat[b] - FID >= 0 && a->beat[b] - FID + NMED <= n)
            use[nu++] = a->beat[b];
    if (nu == 0) {
        free(md);
        free(sm);
        free(vals);
        return ef_error_set(err, EF_EDATA, "ECG analysis: no complete beat for the median");
    }
    a->nmedian = nu;

    /* Median beat.  Each beat is first shifted by its level 100-60 ms before the
     * fiducial, so that baseline wander does not scatter the beats; the common level is
     * removed afterwards at the QRS onset. */
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        for (int b = 0; b < nu; b++) {
            double acc = 0;

            for (int i = use[b] - 50; i < use[b] - 30; i++)
                acc += lead[k][i];
            base[b] = acc / 20;
        }
        for (j = 0; j < NMED; j++) {
            for (int b = 0; b < nu; b++)
                vals[b] = lead[k][use[b] - FID + j] - base[b];
            sort_small(vals, nu);
            md[k][j] = nu % 2 ? vals[nu / 2] : (vals[nu / 2 - 1] + vals[nu / 2]) / 2;
        }
    }
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++)
        for (j = 0; j < NMED; j++)
            md[k][j] *= EF_SYNTH_ECG_UV_PER_LSB;

    /* QRS limits from the spatial velocity of the 3-point smoothed independent leads. */
    for (int k = 0; k < 8; k++)
        for (j = 0; j < NMED; j++) {
            const double *x = md[indep[k]];

            sm[k][j] = j == 0 || j == NMED - 1 ? x[j] : (x[j - 1] + 2 * x[j] + x[j + 1]) / 4;
        }
    vel[0] = vel[NMED - 1] = 0;
    for (j = 1; j < NMED - 1; j++) {
        double acc = 0;

        for (int k = 0; k < 8; k++)
            acc += (sm[k][j + 1] - sm[k][j - 1]) * (sm[k][j + 1] - sm[k][j - 1]);
        vel[j] = sqrt(acc) / 2;
    }
    for (j = FID - 30; j <= FID + 30; j++)
        if (vel[j] > vmax)
            vmax = vel[j];
    /* The velocity dips inside the QRS where the dipole turns, so a limit needs 8 ms of
     * quiet; the onset/offset is the quiet sample next to the QRS. */
    th = QRS_VEL_FRAC * vmax;
    for (j = FID; j > 10; j--)
        if (vel[j] < th && vel[j - 1] < th && vel[j - 2] < th && vel[j - 3] < th)
            break;
    q_on = j;
    for (j = FID; j < NMED - 10; j++)
        if (vel[j] < th && vel[j + 1] < th && vel[j + 2] < th && vel[j + 3] < th)
            break;
    q_off = j;

    /* Isoelectric level: 10 ms just before the QRS onset, per lead. */
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        double lvl = 0;

        for (j = (int)q_on - 5; j < (int)q_on; j++)
            lvl += md[k][j];
        lvl /= 5;
        for (j = 0; j < NMED; j++)
            md[k][j] -= lvl;
    }

    /* Spatial magnitude of the 5-point smoothed leads (the smoothing removes EMG, which
     * would otherwise lift the magnitude's floor). */
    for (j = 0; j < NMED; j++) {
        double acc = 0;

        for (int k = 0; k < 8; k++) {
            const double *x = md[indep[k]];
            double v = 0;
            int c = 0;

            for (int d = -2; d <= 2; d++)
                if (j + d >= 0 && j + d < NMED) {
                    v += x[j + d];
                    c++;
                }
            v /= c;
            acc += v * v;
        }
        mag[j] = sqrt(acc);
    }

    /* T then P; if the P wave found predicts the next beat's P inside the T search
     * window, search T again up to it (and P again after the new T end). */
    rr_n = a->rr_ms / MS_PER_SAMPLE;
    lim = (int)(FID + rr_n - 80);
    if (lim > EF_SYNTH_ECGI_LAST_VALID - 5)
        lim = EF_SYNTH_ECGI_LAST_VALID - 5;
    for (int pass = 0; pass < 2; pass++) {
        t_off = find_t(mag, (int)q_off, lim, &tpk);
        lo = (int)q_on - 175;
        if (lo < (int)(t_off - rr_n) + 5)
            lo = (int)(t_off - rr_n) + 5;
        if (lo < 5)
            lo = 5;
        a->has_p = find_p(mag, (int)q_on, lo, &ppk, &a->p_on, &a->p_off);
        if (!a->has_p || a->p_on + rr_n - 5 >= lim)
            break;
        lim = (int)(a->p_on + rr_n - 5);
    }
    if (a->has_p) {
        a->p_on *= MS_PER_SAMPLE;
        a->p_off *= MS_PER_SAMPLE;
    }
    a->q_on = q_on * MS_PER_SAMPLE;
    a->q_off = q_off * MS_PER_SAMPLE;
    a->t_off = t_off * MS_PER_SAMPLE;

    /* Per-lead waves. */
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++) {
        ef_synth_ecgi_lead_meas *lm = &a->lead[k];

        lead_waves(md[k], (int)q_on, (int)q_off, lm);
        lm->has_t = 1;
        lm->t_amp = md[k][tpk];
        lm->has_p = a->has_p;
        lm->p_amp = a->has_p ? md[k][ppk] : 0;
    }
    a->sokolow_mv = ((a->lead[6].has_s ? a->lead[6].s_amp : 0)
                     + fmax(a->lead[10].has_r ? a->lead[10].r_amp : 0,
                            a->lead[11].has_r ? a->lead[11].r_amp : 0)) / 1000;

    /* The median as written: integer counts, zero after LastValid. */
    for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++)
        for (j = 0; j < NMED; j++)
            a->median[k][j] = j <= EF_SYNTH_ECGI_LAST_VALID
                              ? (int32_t)round_half_up(md[k][j] / EF_SYNTH_ECG_UV_PER_LSB) : 0;

    /* Axes from net areas in I and aVF. */
    ai = af = 0;
    for (j = (int)q_on; j <= (int)q_off; j++) {
        ai += md[0][j];
        af += md[5][j];
    }
    m->r_axis = round_half_up(axis_deg(ai, af));
    ai = af = 0;
    for (j = (int)q_off; j <= (int)t_off && j < NMED; j++) {
        ai += md[0][j];
        af += md[5][j];
    }
    m->t_axis = round_half_up(axis_deg(ai, af));
    if (a->has_p) {
        ai = af = 0;
        for (j = (int)(a->p_on / MS_PER_SAMPLE); j <= (int)(a->p_off / MS_PER_SAMPLE); j++) {
            ai += md[0][j];
            af += md[5][j];
        }
        m->p_axis = round_half_up(axis_deg(ai, af));
        m->pq = round_half_up(a->q_on - a->p_on);
        m->p_dur = round_half_up(a->p_off - a->p_on);
    } else {
        m->p_axis = m->pq = m->p_dur = NAN;
    }
    rr_s = a->rr_ms / 1000;
    m->vent_rate = round_half_up(60 / rr_s);
    m->rr = round_half_up(a->rr_ms);
    m->pp = m->rr;  /* sinus rhythm: every P conducts */
    m->qrs = round_half_up(a->q_off - a->q_on);
    m->qt = round_half_up(a->t_off - a->q_on);
    m->qtc = round_half_up((a->t_off - a->q_on) / sqrt(rr_s));

    free(md);
    free(sm);
    free(vals);
    return EF_OK;
}

int ef_synth_ecg_synthesise(const ef_synth_ecg_params *p, int32_t counts[12][5000], ef_synth_ecg_measurements *m,
                      ef_error *err)
{
    ef_synth_ecgi_model *mo = ef_xmalloc(sizeof *mo);
    int32_t *out[EF_SYNTH_ECG_NLEADS];
    int rc;

    if (!counts) {
        free(mo);
        return ef_error_set(err, EF_EINVAL, "synthetic ECG: no output buffer");
    }
    rc = ef_synth_ecgi_model_build(p, mo, err);
    if (rc == EF_OK) {
        for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++)
            out[k] = counts[k];
        ef_synth_ecgi_render(mo, EF_SYNTH_ECG_STRIP_N, out);
        if (m) {
            ef_synth_ecgi_analysis *a = ef_xmalloc(sizeof *a);
            const int32_t *in[EF_SYNTH_ECG_NLEADS];

            for (int k = 0; k < EF_SYNTH_ECG_NLEADS; k++)
                in[k] = counts[k];
            rc = ef_synth_ecgi_analyse(in, EF_SYNTH_ECG_STRIP_N, a, err);
            if (rc == EF_OK)
                *m = a->m;
            free(a);
        }
    }
    free(mo);
    return rc;
}
