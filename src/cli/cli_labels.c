/* cli_labels.c — `ecgfit [-C DIR] labels`: the tabular stage and its funnel. */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "core/ef_str.h"
#include "pipeline/ef_labels.h"
#include "store/ef_project.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHOW_REJECTS 20

static void print_columns(const ef_labels_summary *s, int targets)
{
    size_t i;

    for (i = 0; i < s->ntargets; i++) {
        const ef_labels_target *t = &s->targets[i];
        char excl[48] = "";

        if ((strcmp(t->role, "target") == 0) != targets)
            continue;
        if (t->n_excluded)
            snprintf(excl, sizeof excl, "  %zu special-code cells", t->n_excluded);
        printf("    %-22s %-44.44s %7zu  [%zu]%s\n", t->key, t->label, t->n, t->n_all, excl);
    }
}

static void print_funnel(const ef_labels_summary *s, const ef_project *p)
{
    printf("Cohort funnel (%s)\n", p->main_csv);
    printf("  %-68s %8zu\n", "rows in main CSV", s->rows);
    if (s->rejected)
        printf("  %-68s %8zu\n", "rows rejected (bad cells, see warnings)", s->rejected);
    if (p->ecg_dir) {
        char what[64];

        snprintf(what, sizeof what, "with an instance-%d ECG file", s->ecg_instance);
        printf("  %-68s %8zu   (%zu files in %s)\n", what, s->with_ecg, s->ecg_files, p->ecg_dir);
    }
    if (s->missing_demographics[0]) {
        char what[96];

        snprintf(what, sizeof what, "%s the demographics present (%s not in this extract)",
                 p->ecg_dir ? "... and" : "with", s->missing_demographics);
        printf("  %-68s %8zu\n", what, s->with_demographics);
    } else {
        printf("  %-68s %8zu\n", p->ecg_dir ? "... and age, sex and BMI" : "with age, sex and BMI",
               s->with_demographics);
    }
    printf("  with each target (of those; all rows in brackets):\n");
    print_columns(s, 1);
    for (size_t i = 0; i < s->ntargets; i++) {
        if (strcmp(s->targets[i].role, "target") != 0) {
            printf("  other columns:\n");
            print_columns(s, 0);
            break;
        }
    }
    if (s->nabsent) {
        printf("Not in this extract (%zu registry field%s):", s->nabsent, s->nabsent == 1 ? "" : "s");
        for (size_t i = 0; i < s->nabsent; i++)
            printf("%s %s", i ? "," : "", s->absent[i]);
        printf("\n");
    }
    if (s->nkept) {
        printf("Kept from the store (not in this run; --replace drops them):");
        for (size_t i = 0; i < s->nkept; i++)
            printf("%s %s", i ? "," : "", s->kept[i]);
        printf("\n");
    }
    printf("Special codes: %s\n",
           s->special_mode == EF_SPECIAL_SEED
               ? "seed mode, -3, -7 and -818 removed from every field (as the seed scripts)"
               : "per field as the registry says (e.g. -1, -3, -7, -818, -121 where the coding defines them)");
}

/* The registry keys closest to name (by edit distance, or containing it),
 * for a hint. */
static void suggest_keys(const ef_registry *reg, const char *name, char *buf, size_t size)
{
    size_t i, len = 0, n = 0, best = (size_t)-1, limit = strlen(name) / 3 ? strlen(name) / 3 : 1;

    buf[0] = '\0';
    for (i = 0; i < reg->nfields; i++) {
        size_t d = ef_edit_distance(name, reg->fields[i].key);

        if (d < best)
            best = d;
    }
    for (i = 0; i < reg->nfields && n < 3; i++) {
        const char *key = reg->fields[i].key;

        if ((best <= limit && ef_edit_distance(name, key) == best) || (strlen(name) >= 3 && strstr(key, name))) {
            len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", n ? ", " : "; did you mean ",
                                    key);
            n++;
        }
    }
    if (n && len < size)
        snprintf(buf + len, size - len, "?");
}

/* Check every --fields name before reading the CSV: a typo is a usage error. */
static int check_fields(const ef_registry *reg, char **cols, size_t ncols)
{
    char hint[256];
    ef_error err;
    ef_field f;
    size_t i;

    for (i = 0; i < ncols; i++) {
        ef_error_clear(&err);
        if (ef_registry_resolve(reg, cols[i], &f, &err) != EF_OK) {
            suggest_keys(reg, cols[i], hint, sizeof hint);
            return cli_usage_error("labels", "--fields: %s%s", err.msg, hint);
        }
        ef_field_fini(&f);
    }
    return 0;
}

static int write_rejects(const char *dir, const ef_labels_summary *s, char **path)
{
    FILE *fp;
    size_t i;

    *path = ef_xasprintf("%s/labels-rejects.txt", dir);
    fp = fopen(*path, "w");
    if (!fp)
        return -1;
    for (i = 0; i < s->nrejects_kept; i++)
        fprintf(fp, "%s\n", s->rejects[i]);
    if (s->rejected > s->nrejects_kept)
        fprintf(fp, "... and %zu more\n", s->rejected - s->nrejects_kept);
    return fclose(fp);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "fields", required_argument, NULL, 'f' },
        { "fields-file", required_argument, NULL, 'F' },
        { "special-codes", required_argument, NULL, 's' },
        { "manual-bp", no_argument, NULL, 'b' },
        { "ecg-instance", required_argument, NULL, 'i' },
        { "jobs", required_argument, NULL, 'j' },
        { "strict", no_argument, NULL, 'S' },
        { "replace", no_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 },
    };
    ef_labels_opts o;
    ef_project p;
    ef_registry *reg = NULL;
    ef_job *job = NULL;
    ef_error err;
    const char *fields_file = NULL;
    char **cols = NULL;
    size_t ncols = 0, i;
    long num;
    int c, rc;

    ef_error_clear(&err);
    ef_labels_opts_default(&o);
    o.threads = cli_default_jobs();
    while ((c = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            free(cols ? cols[0] : NULL);
            free(cols);
            cols = cli_split_list(optarg, &ncols);
            if (!ncols)
                return cli_usage_error("labels", "--fields needs at least one key");
            break;
        case 'F': fields_file = optarg; break;
        case 's':
            if (strcmp(optarg, "registry") == 0)
                o.special_mode = EF_SPECIAL_REGISTRY;
            else if (strcmp(optarg, "seed") == 0)
                o.special_mode = EF_SPECIAL_SEED;
            else
                return cli_usage_error("labels", "--special-codes must be registry or seed, not '%s'", optarg);
            break;
        case 'b': o.manual_bp = 1; break;
        case 'i':
            if (cli_parse_long("labels", "--ecg-instance", optarg, 0, 3, &num))
                return CLI_EXIT_USAGE;
            o.ecg_instance = (int)num;
            break;
        case 'j':
            if (cli_parse_long("labels", "--jobs", optarg, 1, 256, &num))
                return CLI_EXIT_USAGE;
            o.threads = (int)num;
            break;
        case 'S': o.strict = 1; break;
        case 'R': o.replace = 1; break;
        default: return cli_bad_option("labels", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("labels", "unexpected argument '%s'", argv[optind]);

    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        free(cols ? cols[0] : NULL);
        free(cols);
        return cli_exit_for(rc);
    }
    if (!p.main_csv) {
        ef_error_set_at(&err, EF_EDATA, p.config_path, 0, 0, "main_csv is not set");
        rc = EF_EDATA;
    }
    if (rc == EF_OK)
        rc = ef_registry_load(&reg, fields_file ? fields_file : p.fields_file, &err);
    if (rc == EF_OK && check_fields(reg, cols, ncols)) {
        ef_registry_free(reg);
        ef_project_fini(&p);
        free(cols ? cols[0] : NULL);
        free(cols);
        return CLI_EXIT_USAGE;
    }
    if (rc == EF_OK) {
        o.main_csv = p.main_csv;
        o.ecg_dir = p.ecg_dir;
        o.store_path = p.store_path;
        o.registry = reg;
        o.columns = (const char *const *)cols;
        o.ncolumns = ncols;
        rc = ef_labels_job_new(&job, &o, &err);
    }
    if (rc == EF_OK)
        rc = cli_run_job(ctx, job, &err);
    if (job && (rc == EF_OK || rc == EF_EDATA)) {
        const ef_labels_summary *s = ef_labels_job_summary(job);
        if (s) {
            char *rpath = NULL;

            for (i = 0; i < s->nrejects_kept && i < SHOW_REJECTS; i++)
                cli_warnf("%s", s->rejects[i]);
            if (!s->rejected) {
                rpath = ef_xasprintf("%s/labels-rejects.txt", p.dir);
                remove(rpath);   /* a stale list would describe an older run */
            } else {
                if (write_rejects(p.dir, s, &rpath) == 0)
                    cli_warnf("%zu row%s rejected; all listed in %s", s->rejected,
                              s->rejected == 1 ? "" : "s", rpath);
                else
                    cli_warnf("%zu rows rejected", s->rejected);
            }
            free(rpath);
            if (s->missing_demographics[0])
                cli_warnf("%s not in this extract: feature sets basic and full need age, sex and BMI",
                          s->missing_demographics);
            if (s->kept_rows_dropped)
                cli_warnf("%zu participant%s in the store %s not in this CSV: kept columns lost their values",
                          s->kept_rows_dropped, s->kept_rows_dropped == 1 ? "" : "s",
                          s->kept_rows_dropped == 1 ? "is" : "are");
            if (!ctx->quiet)
                print_funnel(s, &p);
        }
    }
    if (rc != EF_OK)
        cli_error(&err);
    else if (!ctx->quiet)
        printf("Wrote /participants to %s\n", p.store_path);
    ef_job_free(job);
    ef_registry_free(reg);
    ef_project_fini(&p);
    free(cols ? cols[0] : NULL);
    free(cols);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_labels = {
    .name = "labels",
    .usage = "[-C DIR] labels [--fields KEY,...] [--fields-file FILE] [--special-codes registry|seed]\n"
             "              [--manual-bp] [--ecg-instance K] [--jobs N] [--strict] [--replace]",
    .summary = "extract targets, demographics and covariates from the main CSV",
    .help =
        "\nReads the project's main CSV once, streaming, and writes /participants to the\n"
        "project store (DIR/ecgfit.h5): eid, one column per registry field the CSV has\n"
        "(age, sex and BMI when present), and has_ecg.  Prints the cohort funnel and the\n"
        "registry fields this extract lacks.  Columns already in the store that this run\n"
        "does not extract are kept (aligned by eid), so `labels --fields X` adds X.\n\n"
        "Options:\n"
        "  --fields KEY,...     extract (or refresh) only these: registry keys such as\n"
        "                       vo2max, sbp, or UKB column ids such as 30038-0.0,\n"
        "                       p30038_i0, f.30038.0.0; each must be in the CSV\n"
        "  --replace            drop every stored /participants column first\n"
        "  --fields-file FILE   use this registry instead of the installed fields.tsv\n"
        "  --special-codes MODE registry (default): drop the special codes each field's\n"
        "                       coding defines (-1, -3, -7, -818, -121 ...);\n"
        "                       seed: drop -3, -7, -818 from every field, as the seed did\n"
        "  --manual-bp          fill sbp/dbp from the manual readings (93/94) when both\n"
        "                       automated readings are missing\n"
        "  --ecg-instance K     look for EID_20205_K_0.xml (default 2)\n"
        "  -j, --jobs N         CSV parser threads (default: all cores)\n"
        "  --strict             fail (exit 1, store unchanged) if any row is rejected\n\n"
        "Rows with a bad cell (non-numeric value, ragged row, duplicate eid ...) are\n"
        "reported as FILE:LINE: message, skipped, and listed in DIR/labels-rejects.txt;\n"
        "the rest of the cohort is processed and the exit status stays 0 unless --strict.\n",
    .run = run,
};
