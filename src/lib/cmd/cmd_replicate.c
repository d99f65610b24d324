/* cmd_replicate.c — `ecgfit [-C DIR] replicate`: Khurshid et al.'s fixed
 * Basic and Deep ECG-VO2 models and the FRIEND / Wasserman / Jones
 * reference equations, applied to the project's participants. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "model/ef_fixed.h"
#include "pipeline/ef_replicate.h"
#include "pipeline/ef_report.h"
#include "store/ef_project.h"
#include "ukb/ef_registry.h"

#include <stdlib.h>
#include <string.h>

static const char *const models[] = { "basic", "deep-ecg-vo2", "friend", "wasserman", "jones", NULL };
static const char *const scales[] = { "sd", "sqrt", NULL };

static const ef_opt_spec opts[] = {
    { "model", 'm', EF_OPT_LIST, "LIST", "models, comma-separated", 0, 0, models, 0 },
    { "scale", 0, EF_OPT_CHOICE, "sd|sqrt",
      "sd (default): (x - center) / scale, the scale column\nbeing Khurshid's SD; sqrt: divide by its square root,\n"
      "as the seed's replicated_*_model.py do", 0, 0, scales, 0 },
    { "target", 't', EF_OPT_STRING, "T",
      "the measured value (default vo2max: 30038 instance 1);\na registry key, a UKB id (30038-1.0) or any column", 0, 0,
      NULL, 0 },
    { "all", 0, EF_OPT_FLAG, NULL,
      "every participant with the inputs; without it the\nseed's cohort: those with an instance-2 ECG file and\n"
      "age, sex and BMI (its eid_age2_sex_bmi2.csv)", 0, 0, NULL, 0 },
    { "embeddings", 0, EF_OPT_STRING, "NAME", "/embeddings/NAME (default: the only one)", 0, 0, NULL, 0 },
    { "coefficients", 0, EF_OPT_STRING, "FILE",
      "model,term,coefficient,center,scale (default: the\nshipped khurshid-deep-ecg-vo2-coefficients.csv)", 0, 0, NULL,
      0 },
};

typedef struct replicate {
    int models[EF_REP_NMODELS];
    ef_replicate_opts o;
    ef_replicate_summary sum;
    ef_registry *reg;
    char *store_path, *options;
    ef_replicate_state *st;       /* the run, stepped */
} replicate;

static void replicate_free(void *state)
{
    replicate *r = state;

    ef_replicate_state_free(r->st);
    ef_replicate_summary_fini(&r->sum);
    ef_registry_free(r->reg);
    free(r->store_path);
    free(r->options);
    free(r);
}

/* The inputs, then per model its metrics, its store update, each slice of
 * the commit: a step each. */
static int step(void *state, ef_error *err)
{
    replicate *r = state;

    if (!r->st)
        r->st = ef_replicate_start(&r->o, &r->sum);
    return ef_replicate_step(r->st, err);
}

static void progress(const void *state, ef_progress_report *p)
{
    const replicate *r = state;
    size_t done, total;

    ef_replicate_progress(r->st, &done, &total);
    p->stage = "replicate";
    p->unit = "models";
    p->done = done;
    p->total = total ? total : r->o.nmodels;
}

static const ef_job_ops replicate_ops = {
    .name = "replicate",
    .step = step,
    .progress = progress,
    .free = replicate_free,
};

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    size_t nm = 0, i, k;
    char *const *names = ef_args_list(a, "model", &nm);
    replicate *r;
    ef_project p;
    int rc, deep = 0;

    if (!nm)
        return ef_cmd_usage(err, "choose models with --model (basic, deep-ecg-vo2, friend, wasserman, jones; "
                                 "comma-separated)");
    r = ef_xcalloc(1, sizeof *r);
    ef_replicate_opts_default(&r->o);
    for (i = 0; i < nm; i++) {
        int m = ef_rep_model_parse(names[i]);

        for (k = 0; k < r->o.nmodels && r->models[k] != m; k++)
            ;
        if (k == r->o.nmodels)   /* no duplicates */
            r->models[r->o.nmodels++] = m;
        deep |= m == EF_REP_DEEP;
    }
    r->o.models = r->models;
    if (!strcmp(ef_args_str(a, "scale", "sd"), "sqrt"))
        r->o.scale_mode = EF_FIXED_SCALE_SQRT;
    r->o.target = ef_args_str(a, "target", NULL);
    r->o.embeddings = ef_args_str(a, "embeddings", NULL);
    r->o.coef_path = ef_args_str(a, "coefficients", NULL);
    r->o.all = ef_args_given(a, "all") > 0;
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK) {
        replicate_free(r);
        return rc;
    }
    rc = ef_registry_load(&r->reg, p.fields_file, err);
    r->store_path = ef_xstrdup(p.store_path);
    ef_project_fini(&p);
    if (rc != EF_OK) {
        replicate_free(r);
        return rc;
    }
    r->options = ef_xasprintf("scale=%s coefficients=%s embeddings=%s rows=%s", r->o.scale_mode ? "sqrt" : "sd",
                              r->o.coef_path ? r->o.coef_path : EF_FIXED_COEF_FILE,
                              r->o.embeddings ? r->o.embeddings : "-", r->o.all ? "all" : "seed");
    r->o.store_path = r->store_path;
    r->o.registry = r->reg;
    r->o.options = r->options;
    if (deep)
        ef_warn(ctx, "Khurshid's Deep ECG-VO2 coefficients were fitted on C3PO-PCLR embeddings (2,500-sample "
                     "leads); applied to PCLR embeddings (4,096 samples) feature i is not the same feature, "
                     "so this is not a like-for-like replication");
    if (r->o.scale_mode == EF_FIXED_SCALE_SQRT)
        ef_warn(ctx, "--scale sqrt divides by the square root of Khurshid's SDs: it reproduces the seed's "
                     "code, not Khurshid's model (his scale column is an SD; --scale sd is the model as published)");
    *job = ef_job_new(&replicate_ops, r);
    return EF_OK;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    replicate *r = ef_job_state(job);
    const ef_replicate_summary *s = &r->sum;
    ef_table *t;

    (void)a;
    (void)err;
    if (rc != EF_OK || ctx->quiet)
        return rc;
    ef_out(ctx, "Replicated models, target %s (features \"fixed\"", s->target);
    if (s->embeddings)
        ef_out(ctx, "; embeddings %s: %zu x %zu", s->embeddings, s->emb_rows, s->emb_cols);
    ef_out(ctx, ")\n");
    if (s->all)
        ef_out(ctx, "Cohort (--all): every participant, %zu\n", s->cohort);
    else
        ef_out(ctx, "Cohort: the seed's eid_age2_sex_bmi2.csv (%sage, sex, BMI): %zu of %zu participants%s\n",
               s->ecg_known ? "an instance-2 ECG file, " : "", s->cohort, s->participants,
               s->cohort < s->participants ? " (--all: every one)" : "");
    ef_out(ctx, "A fixed model has no training rows: every participant with the target is a test row\n"
                "(test = full); those without it get a prediction only.\n");
    t = ef_report_replicate_summary(s);
    ef_out_table(ctx, t, EF_TABLE_TEXT, 0, "`ecgfit report --wide` shows every column");
    ef_table_free(t);
    ef_out(ctx, "Scale: %s.  Saved as /predictions/%s/fixed/<model> and /metrics/%s/fixed/<model>;\n"
                "`ecgfit export predictions --features fixed` writes them.\n",
           r->o.scale_mode == EF_FIXED_SCALE_SQRT ? "sqrt (divide by the square root of the scale column)"
                                                  : "sd (divide by the scale column, Khurshid's SD)",
           s->target, s->target);
    return rc;
}

const ef_cmd ef_cmd_replicate = {
    .name = "replicate",
    .summary = "apply Khurshid's published Basic / Deep ECG-VO2 models and reference equations",
    .synopsis = "[-C DIR] replicate --model basic|deep-ecg-vo2|friend|wasserman|jones[,...]\n"
                "              [--scale sd|sqrt] [--target T] [--all] [--embeddings NAME] [--coefficients FILE]",
    .intro = "Applies fixed models to the participants of the cohort with the inputs and\n"
             "saves predictions and metrics (features \"fixed\"):\n"
             "  basic          Khurshid et al.'s Basic model: age, sex, BMI, bike test\n"
             "  deep-ecg-vo2   Khurshid's Deep ECG-VO2: Basic + the 320 embedding values\n"
             "  friend         FRIEND non-exercise equation (sex, age, height, weight)\n"
             "  wasserman      Wasserman/Hansen cycle equations\n"
             "  jones          Jones et al. cycle equations\n"
             "Sex is recoded to Khurshid's 1 = female; the UKB test is a bike.  Height\n"
             "(field 50) and weight (21002) come from /participants.\n",
    .outro = "A fixed model has no training rows, so every participant with the target is\n"
             "a test row: the test and full metrics are the same.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
