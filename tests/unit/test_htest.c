/* test_htest.c — the Table 1 tests against scipy 1.10 (values printed by
 * scipy.stats on the same data: ttest_ind, f_oneway, kruskal,
 * chi2_contingency, fisher_exact), and the SMD / CI helpers' edge cases. */
#include "config.h"
#include "tap.h"
#include "stats/ef_htest.h"
#include "stats/ef_table1.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void summary(const double *x, size_t n, double *nn, double *m, double *v)
{
    double s = 0, ss = 0;

    for (size_t i = 0; i < n; i++)
        s += x[i];
    *m = s / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - *m) * (x[i] - *m);
    *v = ss / (double)(n - 1);
    *nn = (double)n;
}

int main(void)
{
    static const double a[] = { 5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3 }, b[] = { 6.5, 6.0, 7.1, 6.8, 5.9, 7.3 },
                        c[] = { 4.0, 4.5, 5.0, 4.2, 4.8 };
    static const double x[] = { 1, 2, 2, 3, 3, 3, 4 }, y[] = { 2, 3, 4, 4, 5, 5 }, z[] = { 1, 1, 2, 2 };
    double n[3], m[3], v[3];
    ef_htest h;

    summary(a, 7, &n[0], &m[0], &v[0]);
    summary(b, 6, &n[1], &m[1], &v[1]);
    summary(c, 5, &n[2], &m[2], &v[2]);
    ef_htest_ttest(n[0], m[0], v[0], n[1], m[1], v[1], 0, &h);
    is_abs(h.stat, -3.574698476411961, 1e-12, "Welch t");
    is_abs(h.p, 0.005182048277985759, 1e-12, "Welch p");
    is_str(ef_htest_name(h.kind), "Welch\xe2\x80\x99s T-test", "tableone's name of Welch's test");
    ef_htest_ttest(n[0], m[0], v[0], n[1], m[1], v[1], 1, &h);
    is_abs(h.stat, -3.6281485000564073, 1e-12, "pooled t");
    is_abs(h.p, 0.0039694796980092135, 1e-12, "pooled p");
    ef_htest_anova(3, n, m, v, &h);
    is_abs(h.stat, 24.489792632663573, 1e-10, "ANOVA F");
    is_abs(h.p, 1.8852710080153238e-05, 1e-12, "ANOVA p");
    {
        const double *g[] = { x, y, z };
        const size_t gn[] = { 7, 6, 4 };

        ef_htest_kruskal(3, g, gn, &h);
        is_abs(h.stat, 7.981123981123971, 1e-10, "Kruskal-Wallis H with ties");
        is_abs(h.p, 0.018489320375951017, 1e-12, "Kruskal-Wallis p");
    }
    {
        const double *g[] = { a, a };
        const double same[] = { 1, 1, 1 };
        const double *s[] = { same, same };
        const size_t gn[] = { 7, 7 }, sn[] = { 3, 3 };

        ef_htest_kruskal(2, g, gn, &h);
        is_abs(h.p, 1.0, 1e-12, "Kruskal-Wallis of identical groups: p 1");
        ef_htest_kruskal(2, s, sn, &h);
        ok(isnan(h.p), "Kruskal-Wallis of all-equal values: no p (scipy refuses)");
    }
    {
        const double t22[] = { 12, 5, 7, 15 }, t32[] = { 12, 5, 7, 15, 9, 9 }, t12[] = { 4, 6 };
        double emin;

        ef_htest_chi2(t22, 2, 2, &h, &emin);
        is_abs(h.stat, 4.322120391218687, 1e-12, "chi2 2x2 with Yates");
        is_abs(h.p, 0.03762001663483994, 1e-12, "chi2 2x2 p");
        ef_htest_chi2(t32, 3, 2, &h, &emin);
        is_abs(h.stat, 5.7756776691867975, 1e-12, "chi2 3x2 (no correction)");
        is_abs(h.p, 0.05569645188128463, 1e-12, "chi2 3x2 p");
        is_int((long long)h.df, 2, "chi2 3x2 df");
        ef_htest_chi2(t12, 1, 2, &h, &emin);
        is_abs(h.p, 1.0, 0, "chi2 of one row: p 1 as scipy");
    }
    ef_htest_fisher(3, 1, 1, 3, &h);
    is_abs(h.p, 0.48571428571428565, 1e-12, "Fisher [[3,1],[1,3]]");
    is_abs(h.stat, 9.0, 1e-12, "Fisher odds ratio");
    ef_htest_fisher(8, 2, 1, 5, &h);
    is_abs(h.p, 0.034965034965034975, 1e-12, "Fisher [[8,2],[1,5]]");
    ef_htest_fisher(0, 5, 5, 0, &h);
    is_abs(h.p, 0.007936507936507938, 1e-12, "Fisher [[0,5],[5,0]]");
    ef_htest_fisher(20, 380, 2, 98, &h);
    is_abs(h.p, 0.2765241014842048, 1e-10, "Fisher [[20,380],[2,98]]");
    ef_htest_fisher(0, 0, 3, 4, &h);
    is_abs(h.p, 1.0, 0, "Fisher with an empty row: p 1");
    {
        double lo, hi;

        ef_ci_mean(6, m[1], sqrt(v[1]), &lo, &hi);
        is_abs((lo + hi) / 2, m[1], 1e-12, "CI of a mean is centred");
        /* t(0.975, 5) = 2.570581835636314 */
        is_abs(hi - m[1], 2.570581835636314 * sqrt(v[1]) / sqrt(6), 1e-9, "CI of a mean uses t with n-1 df");
        ef_ci_prop(0, 20, &lo, &hi);
        ok(lo == 0 && hi > 0.15 && hi < 0.17, "Wilson CI of 0/20 is [0, 0.161]");
        ef_ci_mean(1, 3, 0, &lo, &hi);
        ok(isnan(lo) && isnan(hi), "no CI of one value");
    }
    {
        static const double cat[] = { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 };
        double many[1000];

        for (int i = 0; i < 1000; i++)
            many[i] = (double)(i % 3);
        is_int(ef_table1_detect(cat, 10), EF_T1_CONTINUOUS, "2 distinct of 10 is not below 0.5%%");
        is_int(ef_table1_detect(many, 1000), EF_T1_CATEGORICAL, "3 distinct of 1000 is categorical");
    }
    return done_testing();
}
