/* cli_replicate.c — `ecgfit [-C DIR] replicate`: Khurshid et al.'s fixed
 * Basic and Deep ECG-VO2 models and the FRIEND / Wasserman / Jones
 * reference equations, applied to the project's participants. */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "model/ef_fixed.h"
#include "pipeline/ef_replicate.h"
#include "pipeline/ef_report.h"
#include "store/ef_project.h"
#include "ukb/ef_registry.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_replicate;

/* "basic,deep-ecg-vo2" -> models (no duplicates); 0 on a bad name. */
static int parse_models(const char *arg, int *models, size_t *n)
{
    char *dup = ef_xstrdup(arg), *save = NULL, *tok;
    size_t i;
    int m, ok = 1;

    *n = 0;
    for (tok = strtok_r(dup, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
        m = ef_rep_model_parse(tok);
        if (m < 0) {
            cli_usage_error("replicate", "unknown model '%s' (basic, deep-ecg-vo2, friend, wasserman, jones)", tok);
            ok = 0;
            break;
        }
        for (i = 0; i < *n && models[i] != m; i++)
            ;
        if (i == *n)
            models[(*n)++] = m;
    }
    free(dup);
    if (ok && *n == 0) {
        cli_usage_error("replicate", "--model needs a model name");
        ok = 0;
    }
    return ok;
}

static void print_table(const ef_replicate_summary *s, const ef_replicate_opts *o)
{
    ef_table *t;

    printf("Replicated models, target %s (features \"fixed\"", s->target);
    if (s->embeddings)
        printf("; embeddings %s: %zu x %zu", s->embeddings, s->emb_rows, s->emb_cols);
    printf(")\n");
    if (s->all)
        printf("Cohort (--all): every participant, %zu\n", s->cohort);
    else
        printf("Cohort: the seed's eid_age2_sex_bmi2.csv (%sage, sex, BMI): %zu of %zu participants%s\n",
               s->ecg_known ? "an instance-2 ECG file, " : "", s->cohort, s->participants,
               s->cohort < s->participants ? " (--all: every one)" : "");
    printf("A fixed model has no training rows: every participant with the target is a test row\n"
           "(test = full); those without it get a prediction only.\n");
    t = ef_report_replicate_summary(s);
    cli_print_table(stdout, t, EF_TABLE_TEXT, 0, "`ecgfit report --wide` shows every column", NULL);
    ef_table_free(t);
    printf("Scale: %s.  Saved as /predictions/%s/fixed/<model> and /metrics/%s/fixed/<model>;\n"
           "`ecgfit export predictions --features fixed` writes them.\n",
           o->scale_mode == EF_FIXED_SCALE_SQRT ? "sqrt (divide by the square root of the scale column)"
                                                : "sd (divide by the scale column, Khurshid's SD)",
           s->target, s->target);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "model", required_argument, NULL, 'm' },
        { "scale", required_argument, NULL, 's' },
        { "target", required_argument, NULL, 't' },
        { "embeddings", required_argument, NULL, 'e' },
        { "coefficients", required_argument, NULL, 'c' },
        { "all", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int models[EF_REP_NMODELS];
    size_t nmodels = 0, i;
    ef_replicate_opts o;
    ef_replicate_summary sum;
    ef_registry *reg = NULL;
    ef_project p;
    ef_error err;
    char *options = NULL;
    int c, rc, deep = 0;

    ef_error_clear(&err);
    ef_replicate_opts_default(&o);
    memset(&sum, 0, sizeof sum);
    optind = 0;
    while ((c = getopt_long(argc, argv, "m:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!parse_models(optarg, models, &nmodels))
                return CLI_EXIT_USAGE;
            break;
        case 's':
            if (strcmp(optarg, "sd") == 0)
                o.scale_mode = EF_FIXED_SCALE_SD;
            else if (strcmp(optarg, "sqrt") == 0)
                o.scale_mode = EF_FIXED_SCALE_SQRT;
            else
                return cli_usage_error("replicate", "--scale must be sd or sqrt, not '%s'", optarg);
            break;
        case 't': o.target = optarg; break;
        case 'e': o.embeddings = optarg; break;
        case 'c': o.coef_path = optarg; break;
        case 'a': o.all = 1; break;
        case 'h': cli_print_help(&cli_cmd_replicate); return CLI_EXIT_OK;
        default: return cli_bad_option("replicate", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("replicate", "unexpected argument '%s'", argv[optind]);
    if (nmodels == 0)
        return cli_usage_error("replicate", "choose models with --model (basic, deep-ecg-vo2, friend, wasserman, "
                                            "jones; comma-separated)");
    for (i = 0; i < nmodels; i++)
        deep |= models[i] == EF_REP_DEEP;
    o.models = models;
    o.nmodels = nmodels;

    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK)
        rc = ef_registry_load(&reg, p.fields_file, &err);
    if (rc == EF_OK) {
        options = ef_xasprintf("scale=%s coefficients=%s embeddings=%s rows=%s", o.scale_mode ? "sqrt" : "sd",
                               o.coef_path ? o.coef_path : EF_FIXED_COEF_FILE, o.embeddings ? o.embeddings : "-",
                               o.all ? "all" : "seed");
        o.store_path = p.store_path;
        o.registry = reg;
        o.options = options;
        if (deep)
            cli_warnf("Khurshid's Deep ECG-VO2 coefficients were fitted on C3PO-PCLR embeddings (2,500-sample "
                      "leads); applied to PCLR embeddings (4,096 samples) feature i is not the same feature, "
                      "so this is not a like-for-like replication");
        if (o.scale_mode == EF_FIXED_SCALE_SQRT)
            cli_warnf("--scale sqrt divides by the square root of Khurshid's SDs: it reproduces the seed's "
                      "code, not Khurshid's model (his scale column is an SD; --scale sd is the model as published)");
        rc = ef_replicate_run(&o, &sum, &err);
    }
    if (rc == EF_OK && !ctx->quiet)
        print_table(&sum, &o);
    if (rc != EF_OK)
        cli_error(&err);
    ef_replicate_summary_fini(&sum);
    free(options);
    ef_registry_free(reg);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_replicate = {
    .name = "replicate",
    .usage = "[-C DIR] replicate --model basic|deep-ecg-vo2|friend|wasserman|jones[,...]\n"
             "              [--scale sd|sqrt] [--target T] [--all] [--embeddings NAME] [--coefficients FILE]",
    .summary = "apply Khurshid's published Basic / Deep ECG-VO2 models and reference equations",
    .help =
        "\nApplies fixed models to the participants of the cohort with the inputs and\n"
        "saves predictions and metrics (features \"fixed\"):\n"
        "  basic          Khurshid et al.'s Basic model: age, sex, BMI, bike test\n"
        "  deep-ecg-vo2   Khurshid's Deep ECG-VO2: Basic + the 320 embedding values\n"
        "  friend         FRIEND non-exercise equation (sex, age, height, weight)\n"
        "  wasserman      Wasserman/Hansen cycle equations\n"
        "  jones          Jones et al. cycle equations\n"
        "Sex is recoded to Khurshid's 1 = female; the UKB test is a bike.  Height\n"
        "(field 50) and weight (21002) come from /participants.\n\n"
        "Options:\n"
        "  -m, --model LIST     models, comma-separated\n"
        "  --scale sd|sqrt      sd (default): (x - center) / scale, the scale column\n"
        "                       being Khurshid's SD; sqrt: divide by its square root,\n"
        "                       as the seed's replicated_*_model.py do\n"
        "  -t, --target T       the measured value (default vo2max: 30038 instance 1);\n"
        "                       a registry key, a UKB id (30038-1.0) or any column\n"
        "  --all                every participant with the inputs; without it the\n"
        "                       seed's cohort: those with an instance-2 ECG file and\n"
        "                       age, sex and BMI (its eid_age2_sex_bmi2.csv)\n"
        "  --embeddings NAME    /embeddings/NAME (default: the only one)\n"
        "  --coefficients FILE  model,term,coefficient,center,scale (default: the\n"
        "                       shipped khurshid-deep-ecg-vo2-coefficients.csv)\n\n"
        "A fixed model has no training rows, so every participant with the target is\n"
        "a test row: the test and full metrics are the same.\n",
    .run = run,
};
