/* cmd_cohort.h — what table1 and summary share: their options (one list,
 * so the two stay alike) and their make / finish (cmd_table1.c). */
#ifndef CMD_COHORT_H
#define CMD_COHORT_H

#include "cmd/ef_cmd.h"


#define COHORT_OPTS \
    { "vars", 0, EF_OPT_LIST, "V[,V...]", "the variables, in this order, by key or any UKB spelling\n(default: " \
      "as the intro above says)", 0, 0, NULL, 0 }, \
    { "groupby", 'g', EF_OPT_STRING, "V", "a column per level of V (its codes in numeric order),\nbeside Overall", \
      0, 0, NULL, 0 }, \
    { "pval", 'p', EF_OPT_FLAG, NULL, "P-Value column: Welch t (two groups) or one-way ANOVA,\nKruskal-Wallis for " \
      "--nonnormal, chi-squared (Yates for\n2x2) or Fisher's exact (2x2, an expected count < 5)", 0, 0, NULL, 0 }, \
    { "pval-digits", 0, EF_OPT_INT, "N", "p-value decimals (default 3; below 10^-N: \"<0.001\")", 1, 15, NULL, 0 }, \
    { "equal-var", 0, EF_OPT_FLAG, NULL, "pooled (Student) t test instead of Welch's", 0, 0, NULL, 0 }, \
    { "smd", 0, EF_OPT_FLAG, NULL, "standardised mean differences of each pair of groups\n(continuous: signed, " \
      "second minus first)", 0, 0, NULL, 0 }, \
    { "htest-name", 0, EF_OPT_FLAG, NULL, "a Test column naming each variable's test", 0, 0, NULL, 0 }, \
    { "test-stat", 0, EF_OPT_FLAG, NULL, "a Statistic column (t, F, H, chi2; Fisher: odds ratio)", 0, 0, NULL, 0 }, \
    { "ci", 0, EF_OPT_FLAG, NULL, "95% CI of each mean (t) and proportion (Wilson) in its cell", 0, 0, NULL, 0 }, \
    { "decimals", 'd', EF_OPT_INT, "N", "decimals of summaries and percentages (default 1)", 0, 10, NULL, 0 }, \
    { "all", 'a', EF_OPT_FLAG, NULL, "every participant (default: those with an ECG, has_ecg)", 0, 0, NULL, 0 }, \
    { "limit", 0, EF_OPT_INT, "N", "categorical: only the N most frequent levels", 1, 1000000, NULL, 0 }, \
    { "min-max", 0, EF_OPT_LIST, "V[,V...]", "[min,max] instead of (SD) or [Q1,Q3]; alone: for every\nvariable", \
      0, 0, NULL, EF_OPT_OPTIONAL_VALUE }, \
    { "no-include-null", 0, EF_OPT_FLAG, NULL, "percentages of the non-missing values, the missing\ncounted in " \
      "Missing (default: missing is a level, None)", 0, 0, NULL, 0 }, \
    { "no-missing", 0, EF_OPT_FLAG, NULL, "no Missing column", 0, 0, NULL, 0 }, \
    { "missing-by-group", 0, EF_OPT_FLAG, NULL, "also a Missing (g) column per group (missing values,\nalso of " \
      "categorical variables)", 0, 0, NULL, 0 }, \
    { "no-overall", 0, EF_OPT_FLAG, NULL, "no Overall column beside the groups", 0, 0, NULL, 0 }, \
    { "categorical", 0, EF_OPT_LIST, "V[,V...]", "treat these as categorical: n (%) per level", 0, 0, NULL, 0 }, \
    { "continuous", 0, EF_OPT_LIST, "V[,V...]", "treat these as continuous: mean (SD)", 0, 0, NULL, 0 }, \
    { "nonnormal", 0, EF_OPT_LIST, "V[,V...]", "median [Q1,Q3] and Kruskal-Wallis for these", 0, 0, NULL, 0 }, \
    { "order", 0, EF_OPT_LIST, "V=L/L...[,...]", "levels of V (codes or labels) first, in this order;\nalso the " \
      "group columns", 0, 0, NULL, 0 }, \
    { "format", 'f', EF_OPT_CHOICE, "FMT", "text (default), md, latex, csv or html", 0, 0, ef_cohort_formats, 0 }, \
    { "caption", 0, EF_OPT_STRING, "TEXT", "the table's title (LaTeX/HTML caption)", 0, 0, NULL, 0 }, \
    { "label", 0, EF_OPT_STRING, "KEY", "LaTeX: \\label{KEY}", 0, 0, NULL, 0 }, \
    { "output", 'o', EF_OPT_STRING, "FILE", "write to FILE instead of standard output", 0, 0, NULL, 0 }, \
    { "wide", 0, EF_OPT_FLAG, NULL, "text: every column, however wide (by default the text\nfits the terminal, " \
      "leaving out Test, Statistic, SMD, Missing)", 0, 0, NULL, 0 }, \
    { "full-digits", 0, EF_OPT_FLAG, NULL, "every number with 17 significant digits", 0, 0, NULL, EF_OPT_HIDDEN }

extern const char *const ef_cohort_formats[];

/* preset: enum ef_cohort_preset (table1's --preset seed overrides it). */
int ef_cohort_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, int preset, ef_error *err);
int ef_cohort_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err);

#define COHORT_OUTRO \
    "Variables are /participants columns named by key (age) or any UKB spelling\n" \
    "(21003-2.0, p21003_i2); labels, units and codings come from the field\n" \
    "registry.  A registry variable this extract lacks is left out with a note.\n" \
    "Categorical: registry type categorical; a column of no registry type is\n" \
    "categorical when it has fewer than 0.5% distinct values (tableone's rule).\n" \
    "Cells as tableone 0.9.5 prints them: mean (SD) with n-1, median [Q1,Q3]\n" \
    "(linear interpolation), n (%); Missing, P-Value and SMD on a variable's first\n" \
    "row; a row whose group is missing counts in Overall only.\n"

#endif
