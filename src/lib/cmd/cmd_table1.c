/* cmd_table1.c — `ecgfit [-C DIR] table1`: a cohort's Table 1 as tableone
 * 0.9.5 draws it (same defaults and cell formats), with p-values, SMDs, 95%
 * CIs and the test statistic on request, for the terminal or a paper.  The
 * table is built by pipeline/ef_cohort (stats/ef_table1 does the numbers);
 * `summary` (cmd_summary.c) is the same command with the fitness metrics as
 * its variables; cmd_cohort.h holds their options. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "cmd/cmd_cohort.h"
#include "pipeline/ef_cohort.h"
#include "stats/ef_table.h"
#include "store/ef_project.h"
#include "ukb/ef_registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ef_cohort_formats[] = { "text", "md", "latex", "csv", "html", NULL };
static const char *const presets[] = { "seed", NULL };

static const ef_opt_spec table1_opts[] = {
    { "preset", 0, EF_OPT_CHOICE, "NAME", "seed: the seed's cohort table (ukbb_ecg_cohort_table1.py)", 0, 0,
      presets, 0 },
    COHORT_OPTS
};

/* The options point into the parsed arguments, which outlive the job. */
typedef struct t1state {
    ef_cohort_opts o;
    ef_registry *reg;
    char *store_path, *label;
    ef_table *t;
    char *out;
    int fmt, wide;
} t1state;

static void t1state_free(void *p)
{
    t1state *st = p;

    ef_table_free(st->t);
    ef_registry_free(st->reg);
    free(st->store_path);
    free(st->label);
    free(st->out);
    free(st);
}

/* The job: read the columns and build the table (0.5 s for a whole cohort:
 * off the TUI's thread). */
static int build(void *p, ef_error *err)
{
    t1state *st = p;
    int rc = ef_cohort_table(&st->o, &st->t, err);

    if (rc == EF_OK && st->label)
        ef_table_set_label(st->t, st->label);
    return rc;
}

static int format_of(const ef_cmd_args *a)
{
    const char *f = ef_args_str(a, "format", "text");

    return !strcmp(f, "md") ? EF_TABLE_MD : !strcmp(f, "latex") ? EF_TABLE_LATEX : !strcmp(f, "csv") ? EF_TABLE_CSV
           : !strcmp(f, "html")                                                                          ? EF_TABLE_HTML
                                                                                                          : EF_TABLE_TEXT;
}

static int label_ok(const char *s)
{
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:._/-", *s))
            return 0;
    return 1;
}

/* Shared by table1 and summary (preset EF_COHORT_SUMMARY). */
int ef_cohort_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, int preset, ef_error *err)
{
    ef_cohort_opts o;
    ef_project p;
    ef_registry *reg = NULL;
    const char *label = ef_args_str(a, "label", NULL);
    t1state *st;
    int rc;

    ef_cohort_opts_default(&o);
    if (label && !label_ok(label))
        return ef_cmd_usage(err, "--label %s: letters, digits and :._/- only", label);
    if (ef_args_given(a, "preset"))
        preset = EF_COHORT_SEED;
    o.preset = preset;
    o.vars = ef_args_list(a, "vars", &o.nvars);
    o.groupby = ef_args_str(a, "groupby", NULL);
    o.categorical = ef_args_list(a, "categorical", &o.ncategorical);
    o.continuous = ef_args_list(a, "continuous", &o.ncontinuous);
    o.nonnormal = ef_args_list(a, "nonnormal", &o.nnonnormal);
    o.min_max = ef_args_list(a, "min-max", &o.nmin_max);
    o.min_max_all = ef_args_given(a, "min-max") && !o.nmin_max;
    o.order = ef_args_list(a, "order", &o.norder);
    o.all_rows = ef_args_given(a, "all") > 0;
    o.t1.pval = ef_args_given(a, "pval") > 0;
    o.t1.pval_digits = (int)ef_args_long(a, "pval-digits", 3);
    o.t1.equal_var = ef_args_given(a, "equal-var") > 0;
    o.t1.smd = ef_args_given(a, "smd") > 0;
    o.t1.htest_name = ef_args_given(a, "htest-name") > 0;
    o.t1.test_stat = ef_args_given(a, "test-stat") > 0;
    o.t1.ci = ef_args_given(a, "ci") > 0;
    o.t1.decimals = (int)ef_args_long(a, "decimals", 1);
    o.t1.limit = (size_t)ef_args_long(a, "limit", 0);
    o.t1.include_null = !ef_args_given(a, "no-include-null");
    o.t1.missing = !ef_args_given(a, "no-missing");
    o.t1.group_missing = ef_args_given(a, "missing-by-group") > 0;
    o.t1.overall = !ef_args_given(a, "no-overall");
    o.t1.csv = format_of(a) == EF_TABLE_CSV;
    o.t1.full_digits = ef_args_given(a, "full-digits") > 0;
    o.t1.title = ef_args_str(a, "caption", NULL);
    if ((o.t1.pval || o.t1.smd || o.t1.htest_name || o.t1.test_stat || o.t1.group_missing) && !o.groupby &&
        preset != EF_COHORT_SEED)
        return ef_cmd_usage(err, "--%s compares groups: give --groupby V",
                            o.t1.pval ? "pval" : o.t1.smd ? "smd" : o.t1.htest_name ? "htest-name"
                                           : o.t1.test_stat ? "test-stat" : "missing-by-group");
    if (o.t1.group_missing && !o.t1.missing)
        return ef_cmd_usage(err, "--missing-by-group and --no-missing contradict each other");
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK)
        return rc;
    rc = ef_registry_load(&reg, p.fields_file, err);
    if (rc != EF_OK) {
        ef_project_fini(&p);
        return rc;
    }
    st = ef_xcalloc(1, sizeof *st);
    st->reg = reg;
    st->store_path = ef_xstrdup(p.store_path);
    st->label = label ? ef_xstrdup(label) : NULL;
    ef_project_fini(&p);
    o.reg = st->reg;
    o.store_path = st->store_path;
    st->o = o;
    st->out = ef_args_str(a, "output", NULL) ? ef_xstrdup(ef_args_str(a, "output", NULL)) : NULL;
    st->fmt = format_of(a);
    st->wide = ef_args_given(a, "wide") > 0;
    *job = ef_job_once(preset == EF_COHORT_SUMMARY ? "summary" : "table1", build, st, t1state_free);
    return EF_OK;
}

static int table1_make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    return ef_cohort_make(ctx, a, job, EF_COHORT_DEFAULT, err);
}

int ef_cohort_finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    t1state *st = ef_job_state(job);
    static const char *const names[] = { "text", "Markdown", "LaTeX", "CSV", "HTML" };
    const char *hint = "--wide shows every column";
    FILE *std = NULL, *fp;

    (void)a;
    if (rc != EF_OK)
        return rc;
    if (st->out && (rc = ef_cmd_data_out(ctx, st->out, &std, err)) != EF_OK)
        return rc;
    if (!st->out || std) {
        if (std) {
            ef_table_render_opts o = { st->fmt, 0, 1, hint };

            return ef_table_render(st->t, &o, std, err);
        }
        ef_out_table(ctx, st->t, st->fmt, st->wide, hint);
        return EF_OK;
    }
    {
        ef_table_render_opts o = { st->fmt, 0, 1, hint };   /* a file is not a terminal: every column */

        if (!(fp = fopen(st->out, "w")))
            return ef_error_set_at(err, EF_EIO, st->out, 0, 0, "cannot write: %s", strerror(errno));
        rc = ef_table_render(st->t, &o, fp, err);
        if (fclose(fp) != 0 && rc == EF_OK)
            rc = ef_error_set_at(err, EF_EIO, st->out, 0, 0, "cannot write: %s", strerror(errno));
    }
    if (rc == EF_OK && !ctx->quiet)
        ef_note(ctx, "wrote the %s table (%zu rows) to %s", names[st->fmt], ef_table_nrows(st->t), st->out);
    return rc;
}

const ef_cmd ef_cmd_table1 = {
    .name = "table1",
    .summary = "cohort summary table (Table 1)",
    .synopsis = "[-C DIR] table1 [--preset seed] [--vars V,...] [--groupby V] [--pval] [--smd]\n"
                "              [--categorical V,...] [--nonnormal V,...] [--decimals N] [--ci] [--all]\n"
                "              [--format text|md|latex|csv|html] [-o FILE] [...]",
    .intro = "Prints a cohort's Table 1 as Python's tableone 0.9.5 would (its defaults\n"
             "and formats), for the participants with an ECG, optionally grouped with\n"
             "p-values and standardised mean differences.  Without --vars: the registry's\n"
             "demographic and covariate columns in the store.  --preset seed is the seed's\n"
             "cohort table (age, sex, ethnic background as the seed groups it, BMI measured\n"
             "and impedance, VO2max, BP, lipids, hs-CRP, arterial stiffness, smoking),\n"
             "grouped by VO2max at instance 1 or not.\n",
    .outro = COHORT_OUTRO,
    .opts = table1_opts,
    .nopts = sizeof table1_opts / sizeof table1_opts[0],
    .flags = EF_CMD_PROJECT,
    .make = table1_make,
    .finish = ef_cohort_finish,
};
