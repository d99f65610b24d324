/* cli_report.c — `ecgfit [-C DIR] report`: every stored result as one
 * comparison table (targets x feature sets x models), for the terminal or a
 * paper (md, LaTeX, CSV); top features, paired Delta R2.  The tables are
 * built by pipeline/ef_report and drawn by stats/ef_table. */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_results.h"
#include "stats/ef_table.h"
#include "store/ef_project.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_report;

enum { F_TEXT = EF_TABLE_TEXT, F_MD = EF_TABLE_MD, F_LATEX = EF_TABLE_LATEX, F_CSV = EF_TABLE_CSV };

/* Render one table of the report; tables are separated by a blank line
 * except in CSV. */
static int emit(FILE *fp, ef_table *t, int fmt, int wide, ef_error *err)
{
    int rc = cli_print_table(fp, t, fmt, wide, "--wide shows every column", err);

    if (rc == EF_OK && fmt != F_CSV)
        fputc('\n', fp);
    ef_table_free(t);
    return rc;
}

/* Keep the results of the --target names (any spelling), in place. */
static int select_targets(const char *store, const char *list, ef_result_key *keys, size_t *nk, ef_error *err)
{
    size_t nt = 0, i, k = 0;
    char **names = cli_split_list(list, &nt);
    unsigned char *keep = ef_xmalloc(*nk ? *nk : 1);
    int rc = ef_resolve_keys_select(store, keys, *nk, names, nt, keep, err);

    for (i = 0; rc == EF_OK && i < *nk; i++) {
        if (keep[i])
            keys[k++] = keys[i];
        else
            ef_result_keys_free_one(&keys[i]);
    }
    if (rc == EF_OK)
        *nk = k;
    free(keep);
    cli_free_list(names);
    return rc;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "split", required_argument, NULL, 's' },
        { "features-top", optional_argument, NULL, 'T' },
        { "compare", required_argument, NULL, 'c' },
        { "target", required_argument, NULL, 't' },
        { "wide", no_argument, NULL, 'w' },
        { NULL, 0, NULL, 0 },
    };
    const char *out = NULL, *cmp = NULL, *targets = NULL;
    int fmt = F_TEXT, split = EF_SPLIT_TEST, wide = 0, c, rc;
    long top = 0;
    ef_result_key *keys = NULL;
    size_t nk = 0, i;
    ef_table *t = NULL;
    ef_project p;
    ef_error err;
    FILE *fp = stdout;

    ef_error_clear(&err);
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "text"))
                fmt = F_TEXT;
            else if (!strcmp(optarg, "md"))
                fmt = F_MD;
            else if (!strcmp(optarg, "latex"))
                fmt = F_LATEX;
            else if (!strcmp(optarg, "csv"))
                fmt = F_CSV;
            else
                return cli_usage_error("report", "--format must be text, md, latex or csv, not '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        case 's':
            if (!strcmp(optarg, "train"))
                split = EF_SPLIT_TRAIN;
            else if (!strcmp(optarg, "test"))
                split = EF_SPLIT_TEST;
            else if (!strcmp(optarg, "full"))
                split = EF_SPLIT_FULL;
            else
                return cli_usage_error("report", "--split must be train, test or full, not '%s'", optarg);
            break;
        case 'T':
            top = 20;
            if (optarg && cli_parse_long("report", "--features-top", optarg, 1, 100000, &top))
                return CLI_EXIT_USAGE;
            break;
        case 'c': cmp = optarg; break;
        case 't': targets = optarg; break;
        case 'w': wide = 1; break;
        default: return cli_bad_option("report", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (cmp && !strchr(cmp, ','))
        return cli_usage_error("report", "--compare takes two results, T/F/M1,T/F/M2");
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        return cli_exit_for(rc);
    }
    rc = ef_result_keys(p.store_path, &keys, &nk, &err);
    if (rc == EF_ENOTFOUND || (rc == EF_OK && nk == 0))
        rc = ef_error_set_at(&err, EF_ENOTFOUND, p.store_path, 0, 0,
                             "no model results in the store: run `ecgfit -C %s train` (or replicate) first", p.dir);
    if (rc == EF_OK && targets)
        rc = select_targets(p.store_path, targets, keys, &nk, &err);
    if (rc == EF_OK && out && strcmp(out, "-") != 0 && !(fp = fopen(out, "w"))) {
        fp = stdout;
        rc = ef_error_set_at(&err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
    }
    if (rc == EF_OK)
        rc = ef_report_comparison(p.store_path, keys, nk, split, fmt == F_CSV, &t, &err);
    if (rc == EF_OK)
        rc = emit(fp, t, fmt, wide, &err);
    for (i = 0; rc == EF_OK && top && i < nk; i++) {
        rc = ef_report_top_features(p.store_path, &keys[i], (size_t)top, &t, &err);
        if (rc == EF_OK && t)
            rc = emit(fp, t, fmt, wide, &err);
    }
    if (rc == EF_OK && cmp)
        rc = ef_report_compare(p.store_path, cmp, &t, &err);
    if (rc == EF_OK && cmp)
        rc = emit(fp, t, fmt, wide, &err);
    if (fp != stdout && fclose(fp) != 0 && rc == EF_OK)
        rc = ef_error_set_at(&err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
    if (rc != EF_OK)
        cli_error(&err);
    ef_result_keys_free(keys, nk);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_report = {
    .name = "report",
    .usage = "[-C DIR] report [--format text|md|latex|csv] [-o FILE] [--split train|test|full]\n"
             "              [--features-top[=N]] [--compare T/F/M1,T/F/M2] [--target T[,T...]] [--wide]",
    .summary = "print model metrics",
    .help =
        "\nPrints every stored result (targets x feature sets x models, from train and\n"
        "replicate) as one comparison table: n, Pearson r with its Fisher-z 95% CI (as\n"
        "the seed computes it), R2 and MAE with bootstrap 95% CIs, RMSE, Bland-Altman\n"
        "bias and limits of agreement (MAE, RMSE and bias in the target's unit, shown\n"
        "in the unit column), and the chosen hyper-parameters.\n\n"
        "Options:\n"
        "  -f, --format FMT     text (default), md, latex or csv (csv: every number in\n"
        "                       full, one column each)\n"
        "  -o, --output FILE    write to FILE instead of standard output\n"
        "  --split S            test (default), train, or full (train + test) rows\n"
        "  --features-top[=N]   also the top N (default 20) features of each fitted\n"
        "                       model, by |coef| (linear, standardised features) or gain\n"
        "                       (XGBoost)\n"
        "  --compare A,B        R2(A) - R2(B) on the test rows both share, with a paired\n"
        "                       bootstrap 95% CI; A and B are TARGET/FEATURES/MODEL\n"
        "  --target T[,T...]    only these targets' results\n"
        "  --wide               text: every column, however wide (by default the text\n"
        "                       fits $COLUMNS or the terminal, leaving out the least\n"
        "                       important columns and naming them)\n\n"
        "A target is named by its key (vo2max) or any UKB spelling of it (30038-1.0,\n"
        "p30038_i1, f.30038.1.0); the output shows the key.\n",
    .run = run,
};
