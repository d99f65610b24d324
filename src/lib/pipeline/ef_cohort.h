/* ef_cohort.h — cohort tables of a project store: `table1` and `summary`,
 * and the TUI's Tables screen.  Options in, an ef_table out.
 *
 * Variables are /participants columns named by store key, registry key or
 * any UKB spelling; their labels, units, types and codings come from the
 * column attributes that `labels` copied from the field registry.  A
 * registry variable that this extract lacks is left out with a note under
 * the table; a name that means nothing is a usage error with a did-you-mean.
 * Rows are the participants with an ECG (has_ecg) unless all_rows.
 *
 * Presets: the seed's cohort table (ukbb_ecg_cohort_table1.py: grouped by
 * "has VO2max at instance 1", ethnicity and smoking grouped as groups.tsv
 * says) and the fitness summary (generate_fitness_summary.py: every target
 * of the registry in the store). */
#ifndef EF_COHORT_H
#define EF_COHORT_H

#include <stddef.h>
#include "core/ef_error.h"
#include "stats/ef_table1.h"
#include "ukb/ef_registry.h"

enum ef_cohort_preset {
    EF_COHORT_DEFAULT,   /* the registry's demographic and covariate columns */
    EF_COHORT_SEED,      /* the seed's cohort table */
    EF_COHORT_SUMMARY    /* every registry target in the store */
};

typedef struct ef_cohort_opts {
    const char *store_path;
    const ef_registry *reg;        /* NULL: the installed registry */
    int preset;                    /* enum ef_cohort_preset */
    char *const *vars;             /* NULL: the preset's variables */
    size_t nvars;
    const char *groupby;           /* NULL: none (seed: has VO2max at instance 1) */
    char *const *categorical, *const *continuous, *const *nonnormal, *const *min_max;
    size_t ncategorical, ncontinuous, nnonnormal, nmin_max;
    int min_max_all;               /* every continuous variable */
    char *const *order;            /* "VAR=LEVEL/LEVEL/...": levels by code or label */
    size_t norder;
    int all_rows;                  /* every participant, not only those with an ECG */
    int threads;                   /* inflating the columns (0: every core) */
    ef_table1_opts t1;             /* pval, smd, decimals, missing, ... */
} ef_cohort_opts;

void ef_cohort_opts_default(ef_cohort_opts *o);

/* The table; EF_EUSAGE for an unknown name (with a did-you-mean),
 * EF_ENOTFOUND for a store without /participants, EF_EDATA for no rows. */
int ef_cohort_table(const ef_cohort_opts *o, ef_table **out, ef_error *err);

#endif
