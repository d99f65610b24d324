/* cli_train.c — `ecgfit [-C DIR] train`: the seed's models.py, as a matrix of
 * targets x feature sets x models, with a summary table at the end. */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "model/ef_model.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_train_stage.h"
#include "store/ef_project.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_train;

static void free_list(char **l)
{
    if (l)
        free(l[0]);
    free(l);
}

static void print_table(const ef_train_summary *s)
{
    ef_table *t = ef_report_train_summary(s);

    printf("\n");
    cli_print_table(stdout, t, EF_TABLE_TEXT, 0, "`ecgfit report --wide` shows every column", NULL);
    ef_table_free(t);
}

static void print_rows(const ef_train_summary *s, const ef_project *p)
{
    size_t i;

    for (i = 0; i < s->nrows; i++) {
        const ef_train_row *r = &s->rows[i];

        printf("%s/%s/%s: %zu features; %zu rows in the cohort, %zu dropped (missing feature or target), "
               "%zu train + %zu test; %zu other participants predicted; %.1f s\n",
               r->target, r->features, r->model, r->p, r->n_cohort, r->n_dropped, r->n_train, r->n_test,
               r->n_other, r->seconds);
    }
    print_table(s);
    printf("\nWrote /models, /predictions and /metrics to %s", p->store_path);
    if (s->embeddings[0])
        printf(" (embeddings %s)", s->embeddings);
    printf("\n");
}

static int parse_models(const char *arg, int **models, size_t *n)
{
    size_t k, i;
    char **l = cli_split_list(arg, &k);

    *models = ef_xcalloc(k ? k : 1, sizeof **models);
    *n = k;
    for (i = 0; i < k; i++)
        if (!ef_model_kind_parse(l[i], &(*models)[i])) {
            cli_usage_error("train", "--model must be lasso, elasticnet, xgboost or mlp, not '%s'", l[i]);
            free_list(l);
            return -1;
        }
    free_list(l);
    if (!k)
        return cli_usage_error("train", "--model needs at least one model"), -1;
    return 0;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "target", required_argument, NULL, 't' },
        { "features", required_argument, NULL, 'f' },
        { "model", required_argument, NULL, 'm' },
        { "seed", required_argument, NULL, 's' },
        { "test-size", required_argument, NULL, 'T' },
        { "embeddings", required_argument, NULL, 'e' },
        { "jobs", required_argument, NULL, 'j' },
        { "seed-mode", no_argument, NULL, 'S' },
        { "bootstrap", required_argument, NULL, 'b' },
        { "rows", required_argument, NULL, 'r' },
        { "folds", required_argument, NULL, 'k' },
        { "cd-path", required_argument, NULL, 'w' },
        { NULL, 0, NULL, 0 },
    };
    ef_train_opts o;
    ef_project p;
    ef_job *job = NULL;
    ef_error err;
    char **targets = NULL, **features = NULL, *end;
    size_t nt = 0, nf = 0, nm = 0, i;
    int *models = NULL, c, rc, status = CLI_EXIT_USAGE;
    long v;

    ef_error_clear(&err);
    ef_train_opts_default(&o);
    o.threads = cli_default_jobs();
    while ((c = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
        switch (c) {
        case 't': free_list(targets); targets = cli_split_list(optarg, &nt); break;
        case 'f': free_list(features); features = cli_split_list(optarg, &nf); break;
        case 'm':
            free(models);
            if (parse_models(optarg, &models, &nm))
                goto out;
            break;
        case 's':
            if (cli_parse_long("train", "--seed", optarg, 0, 4294967295L, &v))
                goto out;
            o.seed = (uint32_t)v;
            break;
        case 'T':
            errno = 0;
            o.test_size = ef_strtod(optarg, &end);
            if (end == optarg || *end || errno || !(o.test_size > 0 && o.test_size < 1)) {
                cli_usage_error("train", "--test-size must be a fraction between 0 and 1, not '%s'", optarg);
                goto out;
            }
            break;
        case 'e': o.embeddings = optarg; break;
        case 'j':
            if (cli_parse_long("train", "--jobs", optarg, 1, 256, &v))
                goto out;
            o.threads = (int)v;
            break;
        case 'S': o.seed_mode = 1; break;
        case 'b':
            if (cli_parse_long("train", "--bootstrap", optarg, 0, 1000000, &v))
                goto out;
            o.nboot = (int)v;
            break;
        case 'r':
            if (strcmp(optarg, "seed") == 0)
                o.rows = EF_ROWS_SEED;
            else if (strcmp(optarg, "complete") == 0)
                o.rows = EF_ROWS_COMPLETE;
            else {
                cli_usage_error("train", "--rows must be seed or complete, not '%s'", optarg);
                goto out;
            }
            break;
        case 'k':
            if (cli_parse_long("train", "--folds", optarg, 2, 1000, &v))
                goto out;
            o.folds = (int)v;
            break;
        case 'w':
            if (strcmp(optarg, "cold") == 0 || strcmp(optarg, "warm") == 0)
                o.cd_warm = optarg[0] == 'w';
            else {
                cli_usage_error("train", "--cd-path must be cold or warm, not '%s'", optarg);
                goto out;
            }
            break;
        default: cli_bad_option("train", argv); goto out;
        }
    }
    if (optind != argc) {
        cli_usage_error("train", "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (!nt || !nf || !nm) {
        cli_usage_error("train", "give --target, --features and --model (e.g. --target vo2max --features basic "
                                 "--model lasso)");
        goto out;
    }
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        status = cli_exit_for(rc);
        goto out;
    }
    o.store_path = p.store_path;
    o.targets = (const char *const *)targets;
    o.ntargets = nt;
    o.features = (const char *const *)features;
    o.nfeatures = nf;
    o.models = models;
    o.nmodels = nm;
    rc = ef_train_job_new(&job, &o, &err);
    if (rc == EF_OK)
        rc = cli_run_job(ctx, job, &err);
    if (job) {
        const ef_train_summary *s = ef_train_job_summary(job);

        for (i = 0; i < s->nrows; i++) {
            const ef_train_row *r = &s->rows[i];

            /* once per design: its models share the training rows */
            if (r->n_const && (i == 0 || strcmp(r->target, r[-1].target) || strcmp(r->features, r[-1].features)))
                cli_warnf("%zu of %zu feature columns are constant in the training rows of %s/%s (scaled to 0 "
                          "as sklearn does): %s", r->n_const, r->p, r->target, r->features, r->const_names);
            if (s->rows[i].warning[0])
                cli_warnf("%s/%s/%s: %s", s->rows[i].target, s->rows[i].features, s->rows[i].model,
                          s->rows[i].warning);
        }
        if (!ctx->quiet && s->nrows)
            print_rows(s, &p);
        if (rc == EF_ECANCELED)
            cli_errorf("train interrupted; the %zu finished fit%s are in the store", s->nrows,
                       s->nrows == 1 ? "" : "s");
    }
    if (rc != EF_OK && rc != EF_ECANCELED)
        cli_error(&err);
    status = cli_exit_for(rc);
    ef_job_free(job);
    ef_project_fini(&p);
out:
    free_list(targets);
    free_list(features);
    free(models);
    return status;
}

const cli_command cli_cmd_train = {
    .name = "train",
    .usage = "[-C DIR] train --target T[,T...] --features F[,F...] --model M[,M...] [--seed 42]\n"
             "              [--test-size 0.2] [--embeddings NAME] [--jobs N] [--seed-mode] [--bootstrap 1000]\n"
             "              [--rows seed|complete] [--folds 10] [--cd-path cold|warm]",
    .summary = "fit Lasso / ElasticNet / XGBoost / MLP models",
    .help =
        "\nFits every target x feature set x model, the way the seed's models.py did:\n"
        "the rows in main-CSV order, the split train_test_split(test_size, random_state)\n"
        "bit for bit, a StandardScaler on the training rows, the seed's grid with\n"
        "unshuffled 10-fold CV scored by R2, a refit on all training rows.  Predicts\n"
        "the training and test rows and every other participant with the features,\n"
        "and writes /models/T/F/M, /predictions/T/F/M and /metrics/T/F/M (train, test,\n"
        "full) to the store.  Prints a summary table.\n\n"
        "Options:\n"
        "  --target T,...       /participants columns by registry key (vo2max) or UKB id as\n"
        "                       extracted (30038-1.0); `ecgfit labels --fields` extracts more\n"
        "  --features F,...     basic (age, sex, bmi), ecg (the embedding values),\n"
        "                       full (both), ecg-params (the ECG device measurements),\n"
        "                       basic+ecg-params, or FILE: one column a line (a\n"
        "                       /participants column, emb:K, ecg:NAME)\n"
        "  --model M,...        lasso, elasticnet, xgboost, mlp\n"
        "  --seed S             split and model random state (default 42)\n"
        "  --test-size F        test fraction (default 0.2)\n"
        "  --embeddings NAME    which /embeddings (default: the only one)\n"
        "  -j, --jobs N         threads (default: all cores)\n"
        "  --seed-mode          MLP early stopping monitors the test set, as the seed did\n"
        "                       (optimistic test metrics); default: a validation split\n"
        "  --bootstrap N        resamples for the R2 and MAE CIs (default 1000; 0: none)\n"
        "  --rows seed|complete seed (default): the seed's rows, participants with an ECG,\n"
        "                       age, sex and BMI (and an embedding when the store has\n"
        "                       them), so that every feature set shares the split;\n"
        "                       complete: every participant with the features and target\n"
        "  --folds K            CV folds (default 10)\n"
        "  --cd-path cold|warm  Lasso/ElasticNet CV fits: cold (default) starts each\n"
        "                       from zero, as GridSearchCV; warm walks each fold's alphas\n"
        "                       largest first from the previous fit (faster; the choice\n"
        "                       then matches sklearn's only within its tolerance)\n\n"
        "Rows with a missing feature or target are dropped and counted; an infinite\n"
        "value in the store is an error.  Identical feature columns (a singular design)\n"
        "are reported: the linear models still give one fit.  Columns constant over the\n"
        "training rows (e.g. dead encoder units) are kept and reported in one warning:\n"
        "as the seed's StandardScaler, the scaling turns them into zeros, which change\n"
        "no Lasso, ElasticNet or XGBoost result.  A constant target is an error.\n",
    .run = run,
};
