/* ef_htest.c — hypothesis tests as scipy computes them (see ef_htest.h). */
#include "config.h"
#include "stats/ef_htest.h"
#include "core/ef_alloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *ef_htest_name(int kind)
{
    switch (kind) {
    case EF_HTEST_WELCH: return "Welch\xe2\x80\x99s T-test";   /* tableone's curly apostrophe */
    case EF_HTEST_POOLED: return "Pooled T-test";
    case EF_HTEST_ANOVA: return "One-way ANOVA";
    case EF_HTEST_KRUSKAL: return "Kruskal-Wallis";
    case EF_HTEST_CHI2: return "Chi-squared";
    case EF_HTEST_FISHER: return "Fisher's exact";
    default: return "Not tested";
    }
}

const char *ef_htest_symbol(int kind)
{
    switch (kind) {
    case EF_HTEST_WELCH:
    case EF_HTEST_POOLED: return "t";
    case EF_HTEST_ANOVA: return "F";
    case EF_HTEST_KRUSKAL: return "H";
    case EF_HTEST_CHI2: return "chi2";
    case EF_HTEST_FISHER: return "OR";
    default: return "";
    }
}

static void init(ef_htest *out, int kind)
{
    out->kind = kind;
    out->stat = out->df = out->df2 = out->p = NAN;
}

static double t_two_sided(double t, double df)
{
    if (isnan(t) || isnan(df) || df <= 0)
        return NAN;
    if (isinf(t))
        return 0;   /* no spread at all: GSL would call its error handler */
    return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

void ef_htest_ttest(double n1, double m1, double v1, double n2, double m2, double v2, int equal_var, ef_htest *out)
{
    double se, df;

    init(out, equal_var ? EF_HTEST_POOLED : EF_HTEST_WELCH);
    if (equal_var) {
        df = n1 + n2 - 2;
        se = sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df * (1.0 / n1 + 1.0 / n2));
    } else {
        double a = v1 / n1, b = v2 / n2;

        se = sqrt(a + b);
        /* scipy: (a + b)^2 / (a^2/(n1-1) + b^2/(n2-1)) */
        df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    }
    out->df = df;
    out->stat = (m1 - m2) / se;
    out->p = t_two_sided(out->stat, df);
}

void ef_htest_anova(size_t k, const double *n, const double *mean, const double *var, ef_htest *out)
{
    double N = 0, grand = 0, ssb = 0, ssw = 0;
    size_t i;

    init(out, EF_HTEST_ANOVA);
    for (i = 0; i < k; i++) {
        N += n[i];
        grand += n[i] * mean[i];
    }
    if (k < 2 || N <= (double)k)
        return;
    grand /= N;
    for (i = 0; i < k; i++) {
        ssb += n[i] * (mean[i] - grand) * (mean[i] - grand);
        ssw += (n[i] - 1) * var[i];
    }
    out->df = (double)k - 1;
    out->df2 = N - (double)k;
    out->stat = (ssb / out->df) / (ssw / out->df2);
    out->p = isnan(out->stat) ? NAN : isinf(out->stat) ? 0 : gsl_cdf_fdist_Q(out->stat, out->df, out->df2);
}

void ef_htest_kruskal_sorted(const double *x, const uint32_t *g, size_t n, size_t k, ef_htest *out)
{
    double *rsum = ef_xcalloc(k ? k : 1, sizeof *rsum), *cnt = ef_xcalloc(k ? k : 1, sizeof *cnt);
    double ties = 0, h = 0, N = (double)n;
    size_t i = 0, j, groups = 0;

    init(out, EF_HTEST_KRUSKAL);
    while (i < n) {
        double rank, t;

        for (j = i + 1; j < n && x[j] == x[i]; j++)
            ;
        t = (double)(j - i);
        rank = ((double)i + 1 + (double)j) / 2.0;   /* mean of ranks i+1 .. j */
        ties += t * t * t - t;
        for (size_t m = i; m < j; m++) {
            rsum[g[m]] += rank;
            cnt[g[m]] += 1;
        }
        i = j;
    }
    for (i = 0; i < k; i++)
        if (cnt[i] > 0) {
            h += rsum[i] * rsum[i] / cnt[i];
            groups++;
        }
    if (groups >= 2 && n > 1) {
        double corr = 1.0 - ties / (N * N * N - N);

        h = 12.0 / (N * (N + 1)) * h - 3 * (N + 1);
        out->df = (double)k - 1;
        if (corr > 0) {
            out->stat = h / corr;
            out->p = gsl_cdf_chisq_Q(fmax(out->stat, 0), out->df);
        }
    }
    free(rsum);
    free(cnt);
}

typedef struct xg {
    double x;
    uint32_t g;
} xg;

static int cmp_xg(const void *a, const void *b)
{
    double x = ((const xg *)a)->x, y = ((const xg *)b)->x;

    return (x > y) - (x < y);
}

void ef_htest_kruskal(size_t k, const double *const *x, const size_t *n, ef_htest *out)
{
    size_t tot = 0, m = 0, i, j;
    xg *v;
    double *xs;
    uint32_t *gs;

    for (i = 0; i < k; i++)
        tot += n[i];
    v = ef_xmalloc((tot ? tot : 1) * sizeof *v);
    for (i = 0; i < k; i++)
        for (j = 0; j < n[i]; j++)
            if (!isnan(x[i][j])) {
                v[m].x = x[i][j];
                v[m++].g = (uint32_t)i;
            }
    qsort(v, m, sizeof *v, cmp_xg);
    xs = ef_xmalloc((m ? m : 1) * sizeof *xs);
    gs = ef_xmalloc((m ? m : 1) * sizeof *gs);
    for (i = 0; i < m; i++) {
        xs[i] = v[i].x;
        gs[i] = v[i].g;
    }
    ef_htest_kruskal_sorted(xs, gs, m, k, out);
    free(v);
    free(xs);
    free(gs);
}

void ef_htest_chi2(const double *obs, size_t r, size_t c, ef_htest *out, double *min_expected)
{
    double *rs = ef_xcalloc(r ? r : 1, sizeof *rs), *cs = ef_xcalloc(c ? c : 1, sizeof *cs);
    double N = 0, chi2 = 0, emin = INFINITY;
    size_t i, j;
    int yates, zero = 0;

    init(out, EF_HTEST_CHI2);
    for (i = 0; i < r; i++)
        for (j = 0; j < c; j++) {
            rs[i] += obs[i * c + j];
            cs[j] += obs[i * c + j];
            N += obs[i * c + j];
        }
    out->df = (double)((r ? r - 1 : 0) * (c ? c - 1 : 0));
    yates = out->df == 1;
    for (i = 0; i < r; i++)
        for (j = 0; j < c; j++) {
            double e = rs[i] * cs[j] / N, o = obs[i * c + j], d = e - o;

            if (e < emin)
                emin = e;
            if (e == 0) {
                zero = 1;
                continue;
            }
            if (yates)   /* move o towards e by at most 0.5 */
                o += (d > 0 ? 1 : d < 0 ? -1 : 0) * fmin(0.5, fabs(d));
            chi2 += (o - e) * (o - e) / e;
        }
    if (min_expected)
        *min_expected = emin;
    if (zero || N <= 0) {
        /* scipy raises: no statistic */
    } else if (out->df == 0) {
        out->stat = 0;   /* scipy: a table with one row or column */
        out->p = 1;
    } else {
        out->stat = chi2;
        out->p = gsl_cdf_chisq_Q(chi2, out->df);
    }
    free(rs);
    free(cs);
}

/* log of the hypergeometric pmf: x of the n drawn from a population of M
 * holding K successes. */
static double lhyper(double x, double M, double K, double n)
{
    return gsl_sf_lnchoose((unsigned)K, (unsigned)x) + gsl_sf_lnchoose((unsigned)(M - K), (unsigned)(n - x)) -
           gsl_sf_lnchoose((unsigned)M, (unsigned)n);
}

void ef_htest_fisher(double a, double b, double c, double d, ef_htest *out)
{
    double n1 = a + b, n2 = c + d, n = a + c, M = n1 + n2;
    double lo, hi, x, lpx, p = 0;

    init(out, EF_HTEST_FISHER);
    out->stat = (b > 0 && c > 0) ? (a * d) / (b * c) : (a * d > 0 ? INFINITY : NAN);
    if (n1 == 0 || n2 == 0 || n == 0 || n == M) {
        out->p = 1;   /* scipy: a row or column of zeros */
        return;
    }
    lo = fmax(0, n - n2);
    hi = fmin(n, n1);
    lpx = lhyper(a, M, n1, n);
    /* the tables no more probable than the observed one; tables as probable
     * as it (up to rounding: R's relative 1e-7) count too, as in scipy */
    for (x = lo; x <= hi; x++) {
        double l = lhyper(x, M, n1, n);

        if (l <= lpx + 1e-7)
            p += exp(l);
    }
    out->p = fmin(p, 1.0);
}

void ef_ci_mean(double n, double mean, double sd, double *lo, double *hi)
{
    double h;

    if (n < 2 || isnan(sd)) {
        *lo = *hi = NAN;
        return;
    }
    h = gsl_cdf_tdist_Qinv(0.025, n - 1) * sd / sqrt(n);
    *lo = mean - h;
    *hi = mean + h;
}

void ef_ci_prop(double k, double n, double *lo, double *hi)
{
    const double z = 1.959963984540054;
    double p, den, mid, half;

    if (n <= 0) {
        *lo = *hi = NAN;
        return;
    }
    p = k / n;
    den = 1 + z * z / n;
    mid = (p + z * z / (2 * n)) / den;
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den;
    *lo = fmax(0, mid - half);
    *hi = fmin(1, mid + half);
}
