/* cmd_labels.c — `ecgfit [-C DIR] labels`: the tabular stage and its funnel. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "core/ef_str.h"
#include "pipeline/ef_labels.h"
#include "store/ef_project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_REJECTS 20

static const char *const special[] = { "registry", "seed", NULL };

static const ef_opt_spec opts[] = {
    { "fields", 0, EF_OPT_LIST, "KEY,...",
      "extract (or refresh) only these: registry keys such as\nvo2max, sbp, or UKB column ids such as 30038-0.0,\n"
      "p30038_i0, f.30038.0.0; each must be in the CSV", 0, 0, NULL, 0 },
    { "replace", 0, EF_OPT_FLAG, NULL, "drop every stored /participants column first", 0, 0, NULL, 0 },
    { "fields-file", 0, EF_OPT_STRING, "FILE", "use this registry instead of the installed fields.tsv", 0, 0, NULL, 0 },
    { "special-codes", 0, EF_OPT_CHOICE, "MODE",
      "registry (default): drop the special codes each field's\ncoding defines (-1, -3, -7, -818, -121 ...);\n"
      "seed: drop -3, -7, -818 from every field, as the seed did", 0, 0, special, 0 },
    { "manual-bp", 0, EF_OPT_FLAG, NULL,
      "fill sbp/dbp from the manual readings (93/94) when both\nautomated readings are missing", 0, 0, NULL, 0 },
    { "ecg-instance", 0, EF_OPT_INT, "K", "look for EID_20205_K_0.xml (default 2)", 0, 3, NULL, 0 },
    { "jobs", 'j', EF_OPT_INT, "N", "CSV parser threads (default: all cores)", 1, 256, NULL, 0 },
    { "strict", 0, EF_OPT_FLAG, NULL, "fail (exit 1, store unchanged) if any row is rejected", 0, 0, NULL, 0 },
};

static void print_columns(const ef_cmd_ctx *ctx, const ef_labels_summary *s, int targets)
{
    for (size_t i = 0; i < s->ntargets; i++) {
        const ef_labels_target *t = &s->targets[i];
        char excl[48] = "";

        if ((strcmp(t->role, "target") == 0) != targets)
            continue;
        if (t->n_excluded)
            snprintf(excl, sizeof excl, "  %zu special-code cells", t->n_excluded);
        ef_out(ctx, "    %-22s %-44.44s %7zu  [%zu]%s\n", t->key, t->label, t->n, t->n_all, excl);
    }
}

/* A list on one line: "Title: a, b, c". */
static void print_list(const ef_cmd_ctx *ctx, const char *title, const char *const *v, size_t n)
{
    size_t len = strlen(title) + 2, i;
    char *line;

    for (i = 0; i < n; i++)
        len += strlen(v[i]) + 2;
    line = ef_xmalloc(len + 2);
    len = (size_t)sprintf(line, "%s:", title);
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(line + len, "%s %s", i ? "," : "", v[i]);
    ef_out(ctx, "%s\n", line);
    free(line);
}

static void print_funnel(const ef_cmd_ctx *ctx, const ef_labels_summary *s, const ef_project *p)
{
    ef_out(ctx, "Cohort funnel (%s)\n", p->main_csv);
    ef_out(ctx, "  %-68s %8zu\n", "rows in main CSV", s->rows);
    if (s->rejected)
        ef_out(ctx, "  %-68s %8zu\n", "rows rejected (bad cells, see warnings)", s->rejected);
    if (p->ecg_dir) {
        char what[64];

        snprintf(what, sizeof what, "with an instance-%d ECG file", s->ecg_instance);
        ef_out(ctx, "  %-68s %8zu   (%zu files in %s)\n", what, s->with_ecg, s->ecg_files, p->ecg_dir);
    }
    if (s->missing_demographics[0]) {
        char what[96];

        snprintf(what, sizeof what, "%s the demographics present (%s not in this extract)",
                 p->ecg_dir ? "... and" : "with", s->missing_demographics);
        ef_out(ctx, "  %-68s %8zu\n", what, s->with_demographics);
    } else {
        ef_out(ctx, "  %-68s %8zu\n", p->ecg_dir ? "... and age, sex and BMI" : "with age, sex and BMI",
               s->with_demographics);
    }
    ef_out(ctx, "  with each target (of those; all rows in brackets):\n");
    print_columns(ctx, s, 1);
    for (size_t i = 0; i < s->ntargets; i++) {
        if (strcmp(s->targets[i].role, "target") != 0) {
            ef_out(ctx, "  other columns:\n");
            print_columns(ctx, s, 0);
            break;
        }
    }
    if (s->nabsent) {
        char title[64];

        snprintf(title, sizeof title, "Not in this extract (%zu registry field%s)", s->nabsent,
                 s->nabsent == 1 ? "" : "s");
        print_list(ctx, title, s->absent, s->nabsent);
    }
    if (s->nkept)
        print_list(ctx, "Kept from the store (not in this run; --replace drops them)", s->kept, s->nkept);
    ef_out(ctx, "Special codes: %s\n",
           s->special_mode == EF_SPECIAL_SEED
               ? "seed mode, -3, -7 and -818 removed from every field (as the seed scripts)"
               : "per field as the registry says (e.g. -1, -3, -7, -818, -121 where the coding defines them)");
}

/* Every --fields name is checked before the CSV is read: a typo is a usage
 * error, with the closest registry key. */
static int check_fields(const ef_registry *reg, char *const *cols, size_t ncols, ef_error *err)
{
    const char **keys = ef_xcalloc(reg->nfields + 1, sizeof *keys);
    ef_field f;
    ef_error e;
    int rc = EF_OK;

    for (size_t i = 0; i < reg->nfields; i++)
        keys[i] = reg->fields[i].key;
    for (size_t i = 0; rc == EF_OK && i < ncols; i++) {
        ef_error_clear(&e);
        if (ef_registry_resolve(reg, cols[i], &f, &e) == EF_OK) {
            ef_field_fini(&f);
            continue;
        }
        {
            const char *hint = ef_suggest(cols[i], keys, reg->nfields);

            rc = ef_cmd_usage(err, "--fields: %s%s%s%s", e.msg, hint ? "; did you mean " : "", hint ? hint : "",
                              hint ? "?" : "");
        }
    }
    free(keys);
    return rc;
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    size_t ncols = 0;
    char *const *cols = ef_args_list(a, "fields", &ncols);
    const char *mode = ef_args_str(a, "special-codes", "registry");
    ef_registry *reg = NULL;
    ef_labels_opts o;
    ef_project p;
    char *rejects;
    int rc;

    ef_labels_opts_default(&o);
    o.threads = (int)ef_args_long(a, "jobs", ctx->jobs);
    o.special_mode = strcmp(mode, "seed") == 0 ? EF_SPECIAL_SEED : EF_SPECIAL_REGISTRY;
    o.manual_bp = ef_args_given(a, "manual-bp") > 0;
    o.ecg_instance = (int)ef_args_long(a, "ecg-instance", o.ecg_instance);
    o.strict = ef_args_given(a, "strict") > 0;
    o.replace = ef_args_given(a, "replace") > 0;
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK)
        return rc;
    if (!p.main_csv)
        rc = ef_error_set_at(err, EF_EDATA, p.config_path, 0, 0, "main_csv is not set");
    if (rc == EF_OK)
        rc = ef_registry_load(&reg, ef_args_str(a, "fields-file", p.fields_file), err);
    if (rc == EF_OK)
        rc = check_fields(reg, cols, ncols, err);
    if (rc != EF_OK) {
        ef_registry_free(reg);
        ef_project_fini(&p);
        return rc;
    }
    rejects = ef_xasprintf("%s/labels-rejects.txt", p.dir);
    o.main_csv = p.main_csv;
    o.ecg_dir = p.ecg_dir;
    o.store_path = p.store_path;
    o.rejects_path = rejects;
    o.registry = reg;
    o.registry_owned = 1;
    o.columns = (const char *const *)cols;
    o.ncolumns = ncols;
    rc = ef_labels_job_new(job, &o, err);   /* copies the strings, takes the registry */
    free(rejects);
    ef_project_fini(&p);
    return rc;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_labels_summary *s = ef_labels_job_summary(job);
    ef_project p;

    (void)a;
    (void)err;
    if (!s || (rc != EF_OK && rc != EF_EDATA))
        return rc;
    for (size_t i = 0; i < s->nrejects_kept && i < SHOW_REJECTS; i++)
        ef_warn(ctx, "%s", s->rejects[i]);
    if (s->rejected && s->rejects_path)
        ef_warn(ctx, "%zu row%s rejected; all listed in %s", s->rejected, s->rejected == 1 ? "" : "s",
                s->rejects_path);
    else if (s->rejected)
        ef_warn(ctx, "%zu rows rejected", s->rejected);
    if (s->missing_demographics[0])
        ef_warn(ctx, "%s not in this extract: feature sets basic and full need age, sex and BMI",
                s->missing_demographics);
    if (s->kept_rows_dropped)
        ef_warn(ctx, "%zu participant%s in the store %s not in this CSV: kept columns lost their values",
                s->kept_rows_dropped, s->kept_rows_dropped == 1 ? "" : "s", s->kept_rows_dropped == 1 ? "is" : "are");
    if (ef_project_load(&p, ctx->project_dir, NULL) != EF_OK)
        return rc;
    if (!ctx->quiet)
        print_funnel(ctx, s, &p);
    if (rc == EF_OK && !ctx->quiet)
        ef_out(ctx, "Wrote /participants to %s\n", p.store_path);
    ef_project_fini(&p);
    return rc;
}

const ef_cmd ef_cmd_labels = {
    .name = "labels",
    .summary = "extract targets, demographics and covariates from the main CSV",
    .synopsis = "[-C DIR] labels [--fields KEY,...] [--replace] [--fields-file FILE] [--special-codes registry|seed]\n"
                "              [--manual-bp] [--ecg-instance K] [--jobs N] [--strict]",
    .intro = "Reads the project's main CSV once, streaming, and writes /participants to the\n"
             "project store (DIR/ecgfit.h5): eid, one column per registry field the CSV has\n"
             "(age, sex and BMI when present), and has_ecg.  Prints the cohort funnel and the\n"
             "registry fields this extract lacks.  Columns already in the store that this run\n"
             "does not extract are kept (aligned by eid), so `labels --fields X` adds X.\n",
    .outro = "Rows with a bad cell (non-numeric value, ragged row, duplicate eid ...) are\n"
             "reported as FILE:LINE: message, skipped, and listed in DIR/labels-rejects.txt;\n"
             "the rest of the cohort is processed and the exit status stays 0 unless --strict.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
