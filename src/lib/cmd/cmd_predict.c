/* cmd_predict.c — `ecgfit [-C DIR] predict --model T/F/M`: a stored model
 * applied to every participant with its features. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "core/ef_str.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_train_stage.h"
#include "store/ef_project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ef_opt_spec opts[] = {
    { "model", 0, EF_OPT_STRING, "T/F/M", "the stored model: TARGET/FEATURES/MODEL, or the model kind\nwith --target and --features", 0, 0, NULL, 0 },
    { "target", 0, EF_OPT_STRING, "T", "the target (key or any UKB spelling, e.g. 30038-1.0)", 0, 0, NULL, 0 },
    { "features", 0, EF_OPT_STRING, "F", "the feature set the model was trained on", 0, 0, NULL, 0 },
    { "bootstrap", 0, EF_OPT_INT, "N", "bootstrap resamples for the CIs (default 1000)", 0, 1000000, NULL, 0 },
};

typedef struct predict {
    char *store_path;
    char name[512], buf[512];
    ef_result_key k;
    char *target;          /* the stored key the name resolved to */
    int nboot;
    size_t n;
} predict;

static void predict_free(void *state)
{
    predict *pr = state;

    free(pr->store_path);
    free(pr->target);
    free(pr);
}

static int run(void *state, ef_error *err)
{
    predict *pr = state;

    return ef_predict_stored(pr->store_path, &pr->k, pr->nboot, &pr->n, err);
}

/* The stored result T/F/M closest to name, for a did-you-mean; NULL when
 * none is close or name itself is stored (then another thing is missing). */
static const char *closest_key(const char *store, const char *name, char *buf, size_t size)
{
    ef_result_key *keys = NULL;
    const char **names;
    const char *hint = NULL;
    size_t n = 0, i;

    if (ef_result_keys(store, &keys, &n, NULL) != EF_OK || !n)
        return NULL;
    names = ef_xcalloc(n, sizeof *names);
    for (i = 0; i < n; i++)
        names[i] = ef_xasprintf("%s/%s/%s", keys[i].target, keys[i].features, keys[i].model);
    hint = ef_suggest(name, names, n);
    if (hint && strcmp(hint, name) == 0)
        hint = NULL;
    if (hint)
        snprintf(buf, size, "%s", hint);
    for (i = 0; i < n; i++)
        free((char *)names[i]);
    free(names);
    ef_result_keys_free(keys, n);
    return hint ? buf : NULL;
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *model = ef_args_str(a, "model", NULL), *target = ef_args_str(a, "target", NULL);
    const char *features = ef_args_str(a, "features", NULL);
    predict *pr;
    ef_project p;
    int rc;

    if (!model)
        return ef_cmd_usage(err, "give --model TARGET/FEATURES/MODEL (or --target, --features, --model)");
    pr = ef_xcalloc(1, sizeof *pr);
    pr->nboot = (int)ef_args_long(a, "bootstrap", EF_NBOOT);
    if (target || features) {
        if (!target || !features || strchr(model, '/')) {
            predict_free(pr);
            return ef_cmd_usage(err, "--target and --features go together with a --model kind "
                                     "(or give --model TARGET/FEATURES/MODEL alone)");
        }
        snprintf(pr->name, sizeof pr->name, "%s/%s/%s", target, features, model);
    } else {
        snprintf(pr->name, sizeof pr->name, "%s", model);
    }
    if (ef_result_key_parse(pr->name, &pr->k, pr->buf, sizeof pr->buf, err) != EF_OK) {
        char msg[EF_ERROR_MSG_MAX];

        snprintf(msg, sizeof msg, "%s", err->msg);
        predict_free(pr);
        return ef_cmd_usage(err, "--model: %s", msg);
    }
    rc = ef_project_load(&p, ctx->project_dir, err);
    if (rc != EF_OK) {
        predict_free(pr);
        return rc;
    }
    pr->store_path = ef_xstrdup(p.store_path);
    ef_project_fini(&p);
    /* any spelling of the target reaches the stored key, which is printed */
    rc = ef_resolve_result_target_at(pr->store_path, pr->k.target, &pr->target, err);
    pr->k.target = pr->target;
    if (rc != EF_OK) {
        predict_free(pr);
        return rc;
    }
    *job = ef_job_once("predict", run, pr, predict_free);
    return EF_OK;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    predict *pr = ef_job_state(job);
    char want[600], hint[600];

    (void)a;
    snprintf(want, sizeof want, "%s/%s/%s", pr->k.target, pr->k.features, pr->k.model);
    if (rc == EF_ENOTFOUND && closest_key(pr->store_path, want, hint, sizeof hint))   /* a typo, not a model to fit */
        snprintf(err->msg, sizeof err->msg, "no model %.400s in the store; did you mean %.400s?", want, hint);
    if (rc == EF_OK && !ctx->quiet)
        ef_out(ctx, "Predicted %zu participants with %s/%s/%s; wrote /predictions/%s/%s/%s to %s\n", pr->n, pr->k.target,
               pr->k.features, pr->k.model, pr->k.target, pr->k.features, pr->k.model, pr->store_path);
    return rc;
}

const ef_cmd ef_cmd_predict = {
    .name = "predict",
    .summary = "predict with a fitted model",
    .synopsis = "[-C DIR] predict --model TARGET/FEATURES/MODEL [--bootstrap N]\n"
                "       ecgfit [-C DIR] predict --target T --features F --model M",
    .intro = "Applies the model `train` stored under /models/TARGET/FEATURES/MODEL to every\n"
             "participant that has its features now (after new labels or embeddings, say),\n"
             "and rewrites /predictions and /metrics of that model: rows of the stored\n"
             "training and test eids keep their split, the rest are `other`.  The data must\n"
             "give the same feature columns the model was fitted on (same embeddings, same\n"
             "size); otherwise the command stops and says which column differs.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT | EF_CMD_WRITES,
    .make = make,
    .finish = finish,
};
