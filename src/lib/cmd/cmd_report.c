/* cmd_report.c — `ecgfit [-C DIR] report`: every stored result as one
 * comparison table (targets x feature sets x models), for the terminal or a
 * paper (md, LaTeX, CSV); top features, paired Delta R2.  The tables are
 * built by pipeline/ef_report and drawn by stats/ef_table. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_results.h"
#include "stats/ef_table.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const formats[] = { "text", "md", "latex", "csv", NULL };
static const char *const splits[] = { "test", "train", "full", NULL };

static const ef_opt_spec opts[] = {
    { "format", 'f', EF_OPT_CHOICE, "FMT", "text (default), md, latex or csv (csv: every number in\nfull, one column each)",
      0, 0, formats, 0 },
    { "output", 'o', EF_OPT_STRING, "FILE", "write to FILE instead of standard output", 0, 0, NULL, 0 },
    { "split", 0, EF_OPT_CHOICE, "S", "test (default), train, or full (train + test) rows", 0, 0, splits, 0 },
    { "features-top", 0, EF_OPT_INT, "N",
      "also the top N (default 20) features of each fitted\nmodel, by |coef| (linear, standardised features) or gain\n"
      "(XGBoost)", 1, 100000, NULL, EF_OPT_OPTIONAL_VALUE },
    { "compare", 0, EF_OPT_STRING, "A,B",
      "R2(A) - R2(B) on the test rows both share, with a paired\nbootstrap 95% CI; A and B are TARGET/FEATURES/MODEL", 0,
      0, NULL, 0 },
    { "target", 0, EF_OPT_LIST, "T[,T...]", "only these targets' results", 0, 0, NULL, 0 },
    { "wide", 0, EF_OPT_FLAG, NULL,
      "text: every column, however wide (by default the text\nfits $COLUMNS or the terminal, leaving out the least\n"
      "important columns and naming them)", 0, 0, NULL, 0 },
};

typedef struct report {
    char *store_path, *dir;
    ef_result_key *keys;
    size_t nk;
    ef_table **tables;     /* in output order */
    size_t nt;
} report;

static void report_free(void *state)
{
    report *r = state;

    for (size_t i = 0; i < r->nt; i++)
        ef_table_free(r->tables[i]);
    free(r->tables);
    ef_result_keys_free(r->keys, r->nk);
    free(r->store_path);
    free(r->dir);
    free(r);
}

static void add(report *r, ef_table *t)
{
    if (!t)
        return;
    r->tables = ef_xreallocarray(r->tables, r->nt + 1, sizeof *r->tables);
    r->tables[r->nt++] = t;
}

/* Keep the results of the --target names (any spelling), in place. */
static int select_targets(report *r, char *const *names, size_t nt, ef_error *err)
{
    unsigned char *keep = ef_xmalloc(r->nk ? r->nk : 1);
    size_t i, k = 0;
    int rc = ef_resolve_keys_select(r->store_path, r->keys, r->nk, names, nt, keep, err);

    for (i = 0; rc == EF_OK && i < r->nk; i++) {
        if (keep[i])
            r->keys[k++] = r->keys[i];
        else
            ef_result_keys_free_one(&r->keys[i]);
    }
    if (rc == EF_OK)
        r->nk = k;
    free(keep);
    return rc;
}

static int split_of(const ef_cmd_args *a)
{
    const char *s = ef_args_str(a, "split", "test");

    return !strcmp(s, "train") ? EF_SPLIT_TRAIN : !strcmp(s, "full") ? EF_SPLIT_FULL : EF_SPLIT_TEST;
}

static int format_of(const ef_cmd_args *a)
{
    const char *f = ef_args_str(a, "format", "text");

    return !strcmp(f, "md") ? EF_TABLE_MD : !strcmp(f, "latex") ? EF_TABLE_LATEX : !strcmp(f, "csv") ? EF_TABLE_CSV
                                                                                                        : EF_TABLE_TEXT;
}

/* The note under the comparison of a store that says its cohort or its
 * encoder is synthetic (`ecgfit demo`); NULL: none. */
static const char *synthetic_note(const char *store_path)
{
    ef_store *s;
    double data = 0, encoder = 0;

    if (ef_store_open_read(&s, store_path, NULL) != EF_OK)
        return NULL;
    ef_store_get_attr_f64(s, "/", EF_STORE_ATTR_SYNTHETIC_DATA, &data, NULL);
    ef_store_get_attr_f64(s, "/", EF_STORE_ATTR_SYNTHETIC_ENCODER, &encoder, NULL);
    ef_store_close(s);
    if (data > 0 && encoder > 0)
        return "SYNTHETIC: the cohort and the encoder weights of this project are made up; these numbers are not "
               "findings.";
    if (data > 0)
        return "SYNTHETIC: the cohort of this project is made up; these numbers are not findings.";
    if (encoder > 0)
        return "SYNTHETIC: the encoder of this project has seeded random weights, not learned ones.";
    return NULL;
}

/* The tables are built in make (reads of the store: quick); finish draws them. */
static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *cmp = ef_args_str(a, "compare", NULL);
    int csv = format_of(a) == EF_TABLE_CSV, rc;
    size_t nt = 0, i;
    char *const *targets = ef_args_list(a, "target", &nt);
    long top = ef_args_given(a, "features-top") ? ef_args_long(a, "features-top", 20) : 0;
    const char *note;
    ef_project p;
    ef_table *t = NULL;
    report *r;

    if (cmp && !strchr(cmp, ','))
        return ef_cmd_usage(err, "--compare takes two results, T/F/M1,T/F/M2");
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK)
        return rc;
    r = ef_xcalloc(1, sizeof *r);
    r->store_path = ef_xstrdup(p.store_path);
    r->dir = ef_xstrdup(p.dir);
    ef_project_fini(&p);
    rc = ef_result_keys(r->store_path, &r->keys, &r->nk, err);
    if (rc == EF_ENOTFOUND || (rc == EF_OK && r->nk == 0))
        rc = ef_error_set_at(err, EF_ENOTFOUND, r->store_path, 0, 0,
                             "no model results in the store: run `ecgfit -C %s train` (or replicate) first", r->dir);
    if (rc == EF_OK && nt)
        rc = select_targets(r, targets, nt, err);
    if (rc == EF_OK)
        rc = ef_report_comparison(r->store_path, r->keys, r->nk, split_of(a), csv, &t, err);
    if (rc == EF_OK && (note = synthetic_note(r->store_path)) != NULL)
        ef_table_add_note(t, "%s", note);
    if (rc == EF_OK)
        add(r, t);
    for (i = 0; rc == EF_OK && top && i < r->nk; i++) {
        t = NULL;
        rc = ef_report_top_features(r->store_path, &r->keys[i], (size_t)top, &t, err);
        if (rc == EF_OK)
            add(r, t);
    }
    if (rc == EF_OK && cmp) {
        rc = ef_report_compare(r->store_path, cmp, &t, err);
        if (rc == EF_OK)
            add(r, t);
    }
    if (rc != EF_OK) {
        report_free(r);
        return rc;
    }
    *job = ef_job_once("report", NULL, r, report_free);
    return EF_OK;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    report *r = ef_job_state(job);
    const char *out = ef_args_str(a, "output", NULL);
    int fmt = format_of(a), wide = ef_args_given(a, "wide") > 0;
    const char *hint = "--wide shows every column";
    FILE *fp = NULL;
    size_t i;

    if (rc != EF_OK)
        return rc;
    if (out && strcmp(out, "-") != 0) {
        /* a file is not a terminal: every column */
        ef_table_render_opts o = { fmt, 0, wide, hint };

        if (!(fp = fopen(out, "w")))
            return ef_error_set_at(err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
        for (i = 0; rc == EF_OK && i < r->nt; i++) {
            rc = ef_table_render(r->tables[i], &o, fp, err);
            if (rc == EF_OK && fmt != EF_TABLE_CSV)
                fputc('\n', fp);
        }
        if (fclose(fp) != 0 && rc == EF_OK)
            rc = ef_error_set_at(err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
        return rc;
    }
    for (i = 0; i < r->nt; i++) {
        ef_out_table(ctx, r->tables[i], fmt, wide, hint);
        if (fmt != EF_TABLE_CSV)   /* tables apart, but CSV stays one file */
            ef_out(ctx, "\n");
    }
    return rc;
}

const ef_cmd ef_cmd_report = {
    .name = "report",
    .summary = "print model metrics",
    .synopsis = "[-C DIR] report [--format text|md|latex|csv] [-o FILE] [--split train|test|full]\n"
                "              [--features-top[=N]] [--compare T/F/M1,T/F/M2] [--target T[,T...]] [--wide]",
    .intro = "Prints every stored result (targets x feature sets x models, from train and\n"
             "replicate) as one comparison table: n, Pearson r with its Fisher-z 95% CI (as\n"
             "the seed computes it), R2 and MAE with bootstrap 95% CIs, RMSE, Bland-Altman\n"
             "bias and limits of agreement (MAE, RMSE and bias in the target's unit, shown\n"
             "in the unit column), and the chosen hyper-parameters.\n",
    .outro = "A target is named by its key (vo2max) or any UKB spelling of it (30038-1.0,\n"
             "p30038_i1, f.30038.1.0); the output shows the key.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT,
    .make = make,
    .finish = finish,
};
