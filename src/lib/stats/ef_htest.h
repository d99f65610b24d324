/* ef_htest.h — the hypothesis tests of a Table 1, computed as scipy 1.10
 * computes them (tableone calls scipy), with GSL's distribution tails:
 * Student / Welch t (ttest_ind), one-way ANOVA (f_oneway), Kruskal-Wallis
 * with the tie correction (kruskal), chi-squared on a contingency table with
 * Yates' correction when it has one degree of freedom (chi2_contingency),
 * and Fisher's exact test of a 2x2 table, two-sided (fisher_exact).
 *
 * The t and F tests take group summaries (n, mean, variance with n - 1), so
 * a caller that has them already does not pass the data twice. */
#ifndef EF_HTEST_H
#define EF_HTEST_H

#include <stddef.h>
#include <stdint.h>

enum ef_htest_kind {
    EF_HTEST_NONE,      /* not tested */
    EF_HTEST_WELCH,
    EF_HTEST_POOLED,
    EF_HTEST_ANOVA,
    EF_HTEST_KRUSKAL,
    EF_HTEST_CHI2,
    EF_HTEST_FISHER
};

typedef struct ef_htest {
    int kind;           /* enum ef_htest_kind */
    double stat;        /* t (group 1 minus group 2), F, H, chi-squared; Fisher: the odds ratio */
    double df, df2;     /* t, chi-squared, H: df; F: df (between) and df2 (within) */
    double p;           /* two-sided; NaN when the statistic is undefined */
} ef_htest;

/* tableone's names of the tests ("Welch’s T-test", "Chi-squared", ...). */
const char *ef_htest_name(int kind);
/* The statistic's symbol: "t", "F", "H", "chi2", "OR" ("" for none). */
const char *ef_htest_symbol(int kind);

/* Two-sample t test from summaries; equal_var: pooled (Student), else Welch. */
void ef_htest_ttest(double n1, double m1, double v1, double n2, double m2, double v2, int equal_var,
                    ef_htest *out);
/* One-way ANOVA of k groups from summaries. */
void ef_htest_anova(size_t k, const double *n, const double *mean, const double *var, ef_htest *out);

/* Kruskal-Wallis H of values already sorted ascending (x[0..n-1]) with
 * their group index (g[i] < k): average ranks of ties, tie correction.  All
 * values equal: p NaN (scipy refuses). */
void ef_htest_kruskal_sorted(const double *x, const uint32_t *g, size_t n, size_t k, ef_htest *out);
/* The same on raw groups (any order; copies and sorts). */
void ef_htest_kruskal(size_t k, const double *const *x, const size_t *n, ef_htest *out);

/* Chi-squared test of independence of an r x c table of counts (row-major),
 * Yates-corrected when (r-1)(c-1) = 1.  *min_expected gets the smallest
 * expected count (may be NULL).  A zero expected count: p NaN. */
void ef_htest_chi2(const double *obs, size_t r, size_t c, ef_htest *out, double *min_expected);
/* Fisher's exact test of [[a, b], [c, d]], two-sided as scipy sums it. */
void ef_htest_fisher(double a, double b, double c, double d, ef_htest *out);

/* Two-sided 95% interval of a mean (t with n - 1 df), and Wilson's interval
 * of a proportion k/n (both NaN when n is too small). */
void ef_ci_mean(double n, double mean, double sd, double *lo, double *hi);
void ef_ci_prop(double k, double n, double *lo, double *hi);

#endif
