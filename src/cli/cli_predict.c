/* cli_predict.c — `ecgfit [-C DIR] predict --model T/F/M`: a stored model
 * applied to every participant with its features. */
#include "config.h"
#include "cli.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_train_stage.h"
#include "store/ef_project.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_predict;

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "model", required_argument, NULL, 'm' },
        { "target", required_argument, NULL, 't' },
        { "features", required_argument, NULL, 'f' },
        { "bootstrap", required_argument, NULL, 'b' },
        { NULL, 0, NULL, 0 },
    };
    const char *model = NULL, *target = NULL, *features = NULL;
    char buf[512], name[512], *tkey = NULL;
    ef_result_key k;
    ef_project p;
    ef_error err;
    size_t n = 0;
    long nboot = EF_NBOOT;
    int c, rc;

    ef_error_clear(&err);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'm': model = optarg; break;
        case 't': target = optarg; break;
        case 'f': features = optarg; break;
        case 'b':
            if (cli_parse_long("predict", "--bootstrap", optarg, 0, 1000000, &nboot))
                return CLI_EXIT_USAGE;
            break;
        default: return cli_bad_option("predict", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("predict", "unexpected argument '%s'", argv[optind]);
    if (!model)
        return cli_usage_error("predict", "give --model TARGET/FEATURES/MODEL (or --target, --features, --model)");
    if (target || features) {
        if (!target || !features || strchr(model, '/'))
            return cli_usage_error("predict", "--target and --features go together with a --model kind "
                                              "(or give --model TARGET/FEATURES/MODEL alone)");
        snprintf(name, sizeof name, "%s/%s/%s", target, features, model);
        model = name;
    }
    if (ef_result_key_parse(model, &k, buf, sizeof buf, &err) != EF_OK)
        return cli_usage_error("predict", "--model: %s", err.msg);
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK) {
        /* any spelling of the target reaches the stored key, which is printed */
        rc = ef_resolve_result_target_at(p.store_path, k.target, &tkey, &err);
        if (rc == EF_OK) {
            k.target = tkey;
            rc = ef_predict_stored(p.store_path, &k, (int)nboot, &n, &err);
        }
        if (rc == EF_OK && !ctx->quiet)
            printf("Predicted %zu participants with %s/%s/%s; wrote /predictions/%s/%s/%s to %s\n", n, k.target,
                   k.features, k.model, k.target, k.features, k.model, p.store_path);
        ef_project_fini(&p);
    }
    if (rc != EF_OK)
        cli_error(&err);
    free(tkey);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_predict = {
    .name = "predict",
    .usage = "[-C DIR] predict --model TARGET/FEATURES/MODEL [--bootstrap N]\n"
             "       ecgfit [-C DIR] predict --target T --features F --model M",
    .summary = "predict with a fitted model",
    .help =
        "\nApplies the model `train` stored under /models/TARGET/FEATURES/MODEL to every\n"
        "participant that has its features now (after new labels or embeddings, say),\n"
        "and rewrites /predictions and /metrics of that model: rows of the stored\n"
        "training and test eids keep their split, the rest are `other`.  The data must\n"
        "give the same feature columns the model was fitted on (same embeddings, same\n"
        "size); otherwise the command stops and says which column differs.\n",
    .run = run,
};
