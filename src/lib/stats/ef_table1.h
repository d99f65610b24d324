/* ef_table1.h — the Table 1 engine: columns of numbers in, an ef_table out.
 *
 * It computes what Python's tableone 0.9.5 computes, with its defaults and
 * its cell formats ("63.1 (7.5)", "61.0 [56.0,68.0]", "640 (52.1)"), its
 * tests (Welch or pooled t, one-way ANOVA, Kruskal-Wallis, chi-squared with
 * Yates for 2x2, Fisher's exact for a 2x2 with an expected count < 5), its
 * standardised mean differences, and adds what its users ask for: 95% CIs,
 * the test statistic, per-test notes.  Where this engine departs from
 * tableone: levels of a numeric code are ordered numerically (tableone sorts
 * their text), the missing level of include_null is last, and a summary of
 * no values shows "-" (tableone: "nan (nan)").
 *
 * The store side (names, labels, codings, rows with an ECG, presets) is
 * pipeline/ef_cohort; this file only sees arrays, so a benchmark or a test
 * can feed it directly. */
#ifndef EF_TABLE1_H
#define EF_TABLE1_H

#include <stddef.h>
#include "core/ef_error.h"
#include "stats/ef_table.h"

enum ef_t1_kind {
    EF_T1_AUTO,          /* tableone's rule: distinct / count < 0.005 is categorical */
    EF_T1_CONTINUOUS,    /* mean (SD); t test or ANOVA */
    EF_T1_NONNORMAL,     /* median [Q1,Q3]; Kruskal-Wallis */
    EF_T1_CATEGORICAL    /* n (%) per level; chi-squared or Fisher */
};

/* The text of one code of a categorical ("Female" for 0). */
typedef struct ef_t1_level {
    double value;
    const char *label;
} ef_t1_level;

typedef struct ef_t1_var {
    const char *name;             /* key, used in notes */
    const char *label;            /* row label without the suffix (NULL: name) */
    const double *v;              /* the n values; NaN = missing */
    int kind;                     /* enum ef_t1_kind */
    const ef_t1_level *levels;    /* labels of codes (NULL: the number, "%g") */
    size_t nlevels;
    const double *order;          /* categorical: these codes first, in this order */
    size_t norder;
    int min_max;                  /* [min,max] instead of (SD) / [Q1,Q3] */
} ef_t1_var;

typedef struct ef_table1_opts {
    int pval;                     /* P-Value column */
    int pval_digits;              /* 3: "0.042", "<0.001" */
    int equal_var;                /* pooled t instead of Welch */
    int smd;                      /* SMD (g1,g2) columns */
    int htest_name;               /* Test column */
    int test_stat;                /* Statistic column ("t = 2.31") */
    int ci;                       /* 95% CI of each mean / proportion in the cell */
    int include_null;             /* a categorical's missing values are a level (default 1) */
    int missing;                  /* Missing column (default 1) */
    int group_missing;            /* and a Missing (g) column per group */
    int overall;                  /* Overall column beside the groups (default 1) */
    int label_suffix;             /* ", mean (SD)" after labels (default 1) */
    int decimals;                 /* default 1 */
    size_t limit;                 /* categorical: the N most frequent levels (0: all) */
    int csv;                      /* the label on every row, headers variable / level */
    int full_digits;              /* every number with 17 significant digits (tests) */
    const char *title;            /* NULL: "Table 1" (+ "grouped by ...") */
    int threads;                  /* variables computed on this many threads (0: one) */
} ef_table1_opts;

void ef_table1_opts_default(ef_table1_opts *o);

typedef struct ef_table1_input {
    size_t n;                     /* rows */
    const ef_t1_var *vars;
    size_t nvars;
    const ef_t1_var *group;       /* NULL: one Overall column; else its codes are the columns */
} ef_table1_input;

/* Build the table.  EF_EINVAL (a data error) for a group with fewer than two
 * levels or more than EF_T1_MAX_GROUPS; messages name the variable. */
#define EF_T1_MAX_GROUPS 50
int ef_table1_build(const ef_table1_input *in, const ef_table1_opts *o, ef_table **out, ef_error *err);

/* The kind EF_T1_AUTO resolves to for these values. */
int ef_table1_detect(const double *v, size_t n);

#endif
