/* ef_resample.c — linear resampling bit-identical to
 *     numpy.interp(numpy.linspace(0, 1, m), numpy.linspace(0, 1, n), x)
 * (numpy 1.24; ukb-data.md §1.6).
 *
 * What numpy computes, and so what this file reproduces operation by
 * operation in double:
 *   linspace(0, 1, k):  step = 1.0 / (k - 1); v[i] = i * step + 0.0;
 *                       v[k - 1] = 1.0 exactly; linspace(0, 1, 1) = [0.0].
 *   interp:             j = the largest index with xp[j] <= x (a unique answer
 *                       for a strictly increasing xp, whatever numpy's search
 *                       guess); j == n - 1 or xp[j] == x -> fp[j]; otherwise
 *                       slope = (fp[j+1] - fp[j]) / (xp[j+1] - xp[j]),
 *                       y = slope * (x - xp[j]) + fp[j], and if that is NaN,
 *                       slope * (x - xp[j+1]) + fp[j+1], then fp[j] when
 *                       fp[j] == fp[j+1].
 *   numpy precomputes the slopes when len(xp) <= len(x) and computes them per
 *   point otherwise; the expression is the same, so the bits are too.
 * The algebraic shortcut (x * (n-1) as the position) differs in the last bit
 * for some inputs, so the grid values are recomputed exactly as numpy does.
 * No multiply-add may be fused: GCC in ISO C mode does not contract; clang is
 * told so below. */
#include "config.h"

#include "ecg/ef_preprocess.h"

#include <math.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* Walks the source grid xp = linspace(0, 1, n) along increasing x. */
typedef struct grid {
    size_t n, j;
    double step;       /* 1.0 / (n - 1) */
} grid;

static inline double grid_at(const grid *g, size_t k)
{
    return k == g->n - 1 ? 1.0 : (double)k * g->step;
}

/* Advance to the largest j with xp[j] <= x (x never decreases). */
static inline size_t grid_find(grid *g, double x)
{
    while (g->j + 1 < g->n && grid_at(g, g->j + 1) <= x)
        g->j++;
    return g->j;
}

/* numpy's interp between (xp[j], fj) and (xp[j+1], fj1); n >= 2. */
static inline double grid_interp(const grid *g, size_t j, double x, double fj, double fj1)
{
    double xj = grid_at(g, j), xj1, slope, y;

    if (j == g->n - 1 || xj == x)
        return fj;
    xj1 = grid_at(g, j + 1);
    slope = (fj1 - fj) / (xj1 - xj);
    y = slope * (x - xj) + fj;
    if (isnan(y)) {  /* numpy retries from the right end, then takes a flat segment */
        y = slope * (x - xj1) + fj1;
        if (isnan(y) && fj == fj1)
            y = fj;
    }
    return y;
}

/* x[i] of linspace(0, 1, m). */
static inline double target_at(size_t i, size_t m, double step)
{
    return m > 1 && i == m - 1 ? 1.0 : (double)i * step;
}

void ef_resample_linear(const float *x, size_t n, float *y, size_t m)
{
    ef_resample_linear_stride(x, n, y, m, 1);
}

void ef_resample_linear_stride(const float *x, size_t n, float *y, size_t m, size_t stride)
{
    grid g = { n, 0, n > 1 ? 1.0 / (double)(n - 1) : 0.0 };
    double tstep = m > 1 ? 1.0 / (double)(m - 1) : 0.0;

    if (n < 2) {  /* numpy: a single point is the value everywhere */
        for (size_t i = 0; i < m; i++)
            y[i * stride] = n ? x[0] : 0.0f;
        return;
    }
    for (size_t i = 0; i < m; i++) {
        double xi = target_at(i, m, tstep);
        size_t j = grid_find(&g, xi);
        double fj1 = j + 1 < n ? (double)x[j + 1] : 0.0;

        y[i * stride] = (float)grid_interp(&g, j, xi, (double)x[j], fj1);
    }
}

void ef_resample_linear_d(const double *x, size_t n, float *y, size_t m, size_t stride)
{
    grid g = { n, 0, n > 1 ? 1.0 / (double)(n - 1) : 0.0 };
    double tstep = m > 1 ? 1.0 / (double)(m - 1) : 0.0;

    if (n < 2) {
        for (size_t i = 0; i < m; i++)
            y[i * stride] = n ? (float)x[0] : 0.0f;
        return;
    }
    for (size_t i = 0; i < m; i++) {
        double xi = target_at(i, m, tstep);
        size_t j = grid_find(&g, xi);
        double fj1 = j + 1 < n ? (double)x[j + 1] : 0.0;

        y[i * stride] = (float)grid_interp(&g, j, xi, (double)x[j], fj1);
    }
}

/* Plan: the search and the grid differences done once for all leads of one
 * length; applying it costs a gather, a division and a multiply-add per
 * output.  dx[i] == 0 marks outputs that numpy takes as fp[j] exactly. */
size_t ef_resample_plan_bytes(size_t m)
{
    return m * (2 * sizeof(double) + sizeof(size_t));
}

void ef_resample_plan_init(ef_resample_plan *p, size_t n, size_t m, void *mem)
{
    grid g = { n, 0, n > 1 ? 1.0 / (double)(n - 1) : 0.0 };
    double tstep = m > 1 ? 1.0 / (double)(m - 1) : 0.0;

    p->n = n;
    p->m = m;
    p->t = mem;
    p->dx = p->t + m;
    p->j = (size_t *)(void *)(p->dx + m);
    for (size_t i = 0; i < m; i++) {
        double xi = target_at(i, m, tstep), xj;
        size_t j = n < 2 ? 0 : grid_find(&g, xi);

        p->j[i] = j;
        xj = n < 2 ? 0.0 : grid_at(&g, j);
        if (n < 2 || j == n - 1 || xj == xi) {
            p->t[i] = 0.0;
            p->dx[i] = 0.0;
        } else {
            p->t[i] = xi - xj;
            p->dx[i] = grid_at(&g, j + 1) - xj;
        }
    }
}

void ef_resample_plan_apply_d(const ef_resample_plan *p, const double *x, float *y, size_t stride)
{
    const size_t m = p->m;

    if (p->n == 0) {
        for (size_t i = 0; i < m; i++)
            y[i * stride] = 0.0f;
        return;
    }
    for (size_t i = 0; i < m; i++) {
        size_t j = p->j[i];
        double fj = x[j], v;

        if (p->dx[i] == 0.0) {
            v = fj;
        } else {
            double fj1 = x[j + 1], slope = (fj1 - fj) / p->dx[i];

            v = slope * p->t[i] + fj;
            if (isnan(v)) {  /* rare: redo numpy's fallbacks with the grid */
                grid g = { p->n, j, 1.0 / (double)(p->n - 1) };
                double tstep = m > 1 ? 1.0 / (double)(m - 1) : 0.0;

                v = grid_interp(&g, j, target_at(i, m, tstep), fj, fj1);
            }
        }
        y[i * stride] = (float)v;
    }
}
