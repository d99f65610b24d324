/* cli_export.c — `ecgfit [-C DIR] export labels --format csv -o FILE`
 * and `export labels --seed-layout DIR` (the seed's per-field files). */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_features.h"
#include "store/ef_project.h"
#include "store/ef_store.h"
#include "core/ef_numfmt.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct table {
    int64_t *eid;
    size_t n;
    char **names;            /* column names (not eid) */
    double **v;
    char **rule, **field;    /* attributes, "" when absent */
    int *as_int;             /* the seed's pandas would have read the column as int64 */
    size_t ncols;
} table;

static void table_free(table *t)
{
    size_t i;

    for (i = 0; i < t->ncols; i++) {
        free(t->names[i]);
        free(t->v[i]);
        free(t->rule[i]);
        free(t->field[i]);
    }
    free(t->as_int);
    free(t->names);
    free(t->v);
    free(t->rule);
    free(t->field);
    free(t->eid);
}

static int load_table(const char *store_path, table *t, ef_error *err)
{
    ef_store *s;
    char **names = NULL, path[512], *dtype = NULL;
    size_t n = 0, i, len;
    int rc;

    memset(t, 0, sizeof *t);
    rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    rc = ef_store_read_i64(s, "/participants/eid", &t->eid, &t->n, err);
    if (rc == EF_OK)
        rc = ef_store_list(s, "/participants", &names, &n, err);
    for (i = 0; rc == EF_OK && i < n; i++) {
        size_t k = t->ncols;

        if (strcmp(names[i], "eid") == 0)
            continue;
        t->names = ef_xreallocarray(t->names, k + 1, sizeof *t->names);
        t->v = ef_xreallocarray(t->v, k + 1, sizeof *t->v);
        t->rule = ef_xreallocarray(t->rule, k + 1, sizeof *t->rule);
        t->field = ef_xreallocarray(t->field, k + 1, sizeof *t->field);
        t->as_int = ef_xreallocarray(t->as_int, k + 1, sizeof *t->as_int);
        t->as_int[k] = 0;
        t->names[k] = ef_xstrdup(names[i]);
        t->rule[k] = t->field[k] = NULL;
        t->v[k] = NULL;
        t->ncols++;
        snprintf(path, sizeof path, "/participants/%s", names[i]);
        rc = ef_store_read_f64(s, path, &t->v[k], &len, err);
        if (rc == EF_OK && len != t->n)
            rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "%s has %zu rows, eid has %zu", path,
                                 len, t->n);
        if (rc == EF_OK && ef_store_get_attr_str(s, path, "rule", &t->rule[k], NULL) != EF_OK)
            t->rule[k] = ef_xstrdup("");
        if (rc == EF_OK && ef_store_get_attr_str(s, path, "field", &t->field[k], NULL) != EF_OK)
            t->field[k] = ef_xstrdup("");
        if (rc == EF_OK && ef_store_get_attr_str(s, path, "pandas_dtype", &dtype, NULL) == EF_OK) {
            t->as_int[k] = strcmp(dtype, "int64") == 0;
            free(dtype);
            dtype = NULL;
        }
    }
    ef_store_free_list(names, n);
    ef_store_close(s);
    if (rc != EF_OK)
        table_free(t);
    return rc;
}

static long find(const table *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (long)i;
    return -1;
}

static int write_csv(const table *t, const char *path, char sep, ef_error *err)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    char num[40];
    size_t i, j;

    if (!fp)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("eid", fp);
    for (j = 0; j < t->ncols; j++)
        fprintf(fp, "%c%s", sep, t->names[j]);
    fputc('\n', fp);
    for (i = 0; i < t->n; i++) {
        fprintf(fp, "%lld", (long long)t->eid[i]);
        for (j = 0; j < t->ncols; j++) {
            fputc(sep, fp);
            if (!isnan(t->v[j][i]))
                fputs(ef_numfmt_short(t->v[j][i], num, sizeof num), fp);
        }
        fputc('\n', fp);
    }
    if (fp != stdout ? fclose(fp) != 0 : fflush(fp) != 0)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return EF_OK;
}

static const int64_t *sort_eid;   /* for cmp_by_eid; the CLI is single-threaded */

static int cmp_by_eid(const void *a, const void *b)
{
    int64_t x = sort_eid[*(const size_t *)a], y = sort_eid[*(const size_t *)b];

    return (x > y) - (x < y);
}

/* One seed file: header "eid,<name>", the rows where every listed column is
 * present, in table order or (by_eid) ascending eid, as the seed's
 * outer-joined files are. */
static int write_seed_file(const table *t, const char *dir, const char *file, const char *header,
                           const long *cols, size_t ncols, const double *filter, int by_eid, ef_error *err)
{
    char *path = ef_xasprintf("%s/%s", dir, file), num[40];
    FILE *fp = fopen(path, "w");
    size_t *order, r, i, k;
    int rc = EF_OK;

    if (!fp) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        free(path);
        return rc;
    }
    order = ef_xmalloc((t->n ? t->n : 1) * sizeof *order);
    for (r = 0; r < t->n; r++)
        order[r] = r;
    if (by_eid) {
        sort_eid = t->eid;
        qsort(order, t->n, sizeof *order, cmp_by_eid);
    }
    fprintf(fp, "eid,%s\n", header);
    for (r = 0; r < t->n; r++) {
        int ok;

        i = order[r];
        ok = !filter || filter[i] == 1;

        for (k = 0; ok && k < ncols; k++)
            ok = !isnan(t->v[cols[k]][i]);
        if (!ok)
            continue;
        fprintf(fp, "%lld", (long long)t->eid[i]);
        for (k = 0; k < ncols; k++) {
            if (t->as_int[cols[k]])
                fprintf(fp, ",%.0f", t->v[cols[k]][i]);
            else
                fprintf(fp, ",%s", ef_numfmt_pyrepr(t->v[cols[k]][i], num, sizeof num));
        }
        fputc('\n', fp);
    }
    free(order);
    if (fclose(fp) != 0)
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    free(path);
    return rc;
}

static int write_seed_layout(const table *t, const char *dir, size_t *nfiles, ef_error *err)
{
    long demo[3] = { find(t, "age"), find(t, "sex"), find(t, "bmi") };
    long ecg = find(t, "has_ecg");
    char file[128], name[96];
    size_t j;
    int rc = EF_OK;

    *nfiles = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ef_error_set_at(err, EF_EIO, dir, 0, 0, "cannot create folder: %s", strerror(errno));
    for (j = 0; rc == EF_OK && j < t->ncols; j++) {
        long col = (long)j;
        const char *r = t->rule[j];

        if (!t->field[j][0])
            continue;
        if (strcmp(t->field[j], "4080") == 0 && strcmp(r, "i2.mean") == 0)
            snprintf(name, sizeof name, "SYSTOLIC_BP_mean");
        else if (strcmp(t->field[j], "4079") == 0 && strcmp(r, "i2.mean") == 0)
            snprintf(name, sizeof name, "DIASTOLIC_BP_mean");
        else if (r[0] == 'i' && !strchr(r, '.'))   /* iK: instance K, array 0 */
            snprintf(name, sizeof name, "%s-%s.0", t->field[j], r + 1);
        else if (r[0] == 'i' && strstr(r, ".a"))   /* iK.aJ */
            snprintf(name, sizeof name, "%s-%.*s.%s", t->field[j], (int)(strstr(r, ".a") - r - 1), r + 1,
                     strstr(r, ".a") + 2);
        else
            continue;   /* priority / other means: the seed had no such file */
        snprintf(file, sizeof file, "%s.csv", name);
        rc = write_seed_file(t, dir, file, name, &col, 1, NULL, ef_seed_order_by_eid(r), err);
        *nfiles += rc == EF_OK;
    }
    if (rc == EF_OK && demo[0] >= 0 && demo[1] >= 0 && demo[2] >= 0) {
        rc = write_seed_file(t, dir, "eid_age2_sex_bmi2.csv", "age,sex,bmi", demo, 3,
                             ecg >= 0 ? t->v[ecg] : NULL, 0, err);
        *nfiles += rc == EF_OK;
    }
    return rc;
}

/* `export ecg` and `export embeddings` have options of their own: hand them
 * argv as "ecg"/"embeddings" followed by every other word, wherever the
 * options were written. */
static int export_other(cli_ctx *ctx, int argc, char **argv, int at)
{
    char **args = ef_xcalloc((size_t)argc + 1, sizeof *args);
    int i, n = 0, rc;

    args[n++] = argv[at];
    for (i = 1; i < argc; i++)
        if (i != at)
            args[n++] = argv[i];
    rc = strcmp(argv[at], "ecg") == 0          ? cli_export_ecg(ctx, n, args)
         : strcmp(argv[at], "embeddings") == 0 ? cli_export_embeddings(ctx, n, args)
         : strcmp(argv[at], "predictions") == 0 ? cli_export_predictions(ctx, n, args)
                                                : cli_export_metrics(ctx, n, args);
    free(args);
    return rc;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "seed-layout", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = "csv", *out = NULL, *seed_dir = NULL, *what;
    ef_project p;
    ef_error err;
    table t;
    int c, rc;

    ef_error_clear(&err);
    for (c = 1; c < argc; c++) {
        const char *prev = argv[c - 1];
        int is_value = c > 1 && prev[0] == '-' && !strchr(prev, '=') &&
                       (!strcmp(prev, "-f") || !strcmp(prev, "-o") || !strcmp(prev, "--format") ||
                        !strcmp(prev, "--output") || !strcmp(prev, "--seed-layout") || !strcmp(prev, "--eid") ||
                        !strcmp(prev, "--name") || !strcmp(prev, "--target") || !strcmp(prev, "--features") ||
                        !strcmp(prev, "--model") || !strcmp(prev, "--split"));

        if (is_value || argv[c][0] == '-')
            continue;
        if (strcmp(argv[c], "ecg") == 0 || strcmp(argv[c], "embeddings") == 0 ||
            strcmp(argv[c], "predictions") == 0 || strcmp(argv[c], "metrics") == 0)
            return export_other(ctx, argc, argv, c);
        break;   /* the first word names what to export */
    }
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': out = optarg; break;
        case 'S': seed_dir = optarg; break;
        default: return cli_bad_option("export", argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("export", "expected what to export (labels)");
    if (optind < argc - 1)
        return cli_usage_error("export", "unexpected argument '%s'", argv[optind + 1]);
    what = argv[optind];
    if (strcmp(what, "labels") != 0) {
        return cli_usage_error("export", "cannot export '%s'; try labels, ecg, embeddings, predictions "
                               "or metrics", what);
    }
    if (strcmp(format, "csv") != 0 && strcmp(format, "tsv") != 0)
        return cli_usage_error("export", "--format must be csv or tsv, not '%s'", format);
    if (!out && !seed_dir)
        return cli_usage_error("export", "give -o FILE (or - for standard output) or --seed-layout DIR");
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK) {
        rc = load_table(p.store_path, &t, &err);
        if (rc == EF_ENOTFOUND)
            snprintf(err.msg + strlen(err.msg), sizeof err.msg - strlen(err.msg),
                     " (run `ecgfit -C %s labels` first)", ctx->project_dir);
        if (rc == EF_OK && out)
            rc = write_csv(&t, out, format[0] == 't' ? '\t' : ',', &err);
        if (rc == EF_OK && seed_dir) {
            size_t nfiles;

            rc = write_seed_layout(&t, seed_dir, &nfiles, &err);
            if (rc == EF_OK && !ctx->quiet && !(out && strcmp(out, "-") == 0))
                printf("Wrote %zu seed-layout files to %s\n", nfiles, seed_dir);
        }
        table_free(&t);   /* load_table leaves it empty on failure */
        ef_project_fini(&p);
    }
    if (rc != EF_OK)
        cli_error(&err);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_export = {
    .name = "export",
    .usage = "[-C DIR] export labels [--format csv|tsv] [-o FILE|-] [--seed-layout DIR]\n"
             "       ecgfit [-C DIR] export ecg --format npy -o DIR\n"
             "       ecgfit [-C DIR] export ecg --format csv --eid EID -o FILE|-\n"
             "       ecgfit [-C DIR] export embeddings [--name NAME] --format csv|tsv -o FILE|-\n"
             "       ecgfit [-C DIR] export predictions --target T --features F --model M\n"
             "                                          [--split S] --format csv -o FILE|-\n"
             "       ecgfit [-C DIR] export metrics --format csv -o FILE|-",
    .summary = "write store contents as files other tools read",
    .help =
        "\nexport labels writes eid and every /participants column, one row per\n"
        "participant in main-CSV order, empty cells for missing values.\n\n"
        "  -f, --format FMT     csv (default) or tsv\n"
        "  -o, --output FILE    output file, - for standard output\n"
        "  --seed-layout DIR    also write the seed pipeline's files into DIR:\n"
        "                       FIELD-I.A.csv (eid,FIELD-I.A) per single-instance column,\n"
        "                       SYSTOLIC_BP_mean.csv, DIASTOLIC_BP_mean.csv, and\n"
        "                       eid_age2_sex_bmi2.csv (eid,age,sex,bmi; participants with\n"
        "                       an ECG file and all three values), numbers as pandas\n"
        "                       writes them (3.0, 27.9871).  They match the seed's own\n"
        "                       files when labels ran with --special-codes seed (and\n"
        "                       without --manual-bp, which the seed did not have).\n"
        "At least one of -o and --seed-layout is needed.\n\n"
        "export ecg writes the preprocessed ECGs of /ecg:\n"
        "  --format npy -o DIR  the seed's layout: DIR/EID.npy, float32 [samples, 12],\n"
        "                       leads I, II, III, aVR, aVL, aVF, V1-V6 (numpy.load reads it)\n"
        "  --format csv --eid EID -o FILE\n"
        "                       one ECG as CSV with a header row of lead names\n\n"
        "export embeddings writes /embeddings/NAME (NAME may be left out when there is\n"
        "only one):\n"
        "  --format csv         eid,pclr_output_0,...: the seed's header\n"
        "  --format tsv         sample_id, latent_0, ...: ml4h's layout\n\n"
        "export predictions writes eid,<target>,<target>_predicted,split for one stored\n"
        "result (the seed's columns plus train/test/other); --split keeps one split.\n"
        "export metrics writes one row per target x features x model x split.\n",
    .run = run,
};
