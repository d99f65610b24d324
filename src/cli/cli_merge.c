/* cli_merge.c — `ecgfit [-C DIR] merge`: fold the shards' part files into
 * the project store: the ECG parts into /ecg, then each embeddings NAME's
 * parts into /embeddings/NAME. */
#include "config.h"
#include "cli.h"
#include "ecg/ef_preprocess.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_emb_parts.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const cli_command cli_cmd_merge;

/* Fold every embeddings NAME that has parts; a NAME that fails is reported
 * and the others are still folded.  Returns the first failure's status. */
static int merge_embeddings(cli_ctx *ctx, const ef_project *p, int allow)
{
    char **names = NULL;
    size_t n = 0, i, j;
    ef_error err;
    int rc, first = EF_OK;

    ef_error_clear(&err);
    rc = ef_emb_names(p->dir, &names, &n, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        return rc;
    }
    for (i = 0; i < n; i++) {
        ef_emb_fold_result res;

        ef_error_clear(&err);
        rc = ef_emb_fold(p->dir, p->store_path, names[i], NULL, allow, &res, &err);
        for (j = 0; j < res.nwarnings && rc == EF_OK; j++)
            cli_warnf("%s", res.warnings[j]);
        if (rc == EF_OK && !ctx->quiet)
            printf("Merged %zu part file%s into /embeddings/%s: %zu ECGs x %llu (encoder %s, sha256 %.16s...)\n",
                   res.parts, res.parts == 1 ? "" : "s", names[i], res.n, (unsigned long long)res.o.output_size,
                   res.encoder_path, res.o.sha256);
        if (rc != EF_OK) {
            cli_error(&err);
            if (first == EF_OK)
                first = rc;
        }
        ef_emb_fold_result_fini(&res);
    }
    ef_store_free_list(names, n);
    return first;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "allow-incomplete", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ef_ecg_fold_result res;
    ef_project p;
    ef_error err;
    int c, rc, allow = 0;
    size_t i;

    ef_error_clear(&err);
    memset(&res, 0, sizeof res);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': allow = 1; break;
        case 'h': cli_print_help(&cli_cmd_merge); return CLI_EXIT_OK;
        default: return cli_bad_option("merge", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("merge", "unexpected argument '%s'", argv[optind]);
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK)
        rc = ef_ecg_fold(p.dir, p.store_path, NULL, allow, &res, &err);
    for (i = 0; i < res.nwarnings && rc == EF_OK; i++)
        cli_warnf("%s", res.warnings[i]);
    if (rc == EF_OK && res.failed)
        cli_warnf("%zu ECG%s failed in preprocessing; all listed in %s", res.failed,
                  res.failed == 1 ? "" : "s", res.failures_path);
    if (rc == EF_OK && !ctx->quiet) {
        char o[256], name[64];
        unsigned b;
        int any = 0;

        printf("Merged %zu part file%s into %s: %zu ECGs, %zu failed (%s)\n", res.parts,
               res.parts == 1 ? "" : "s", p.store_path, res.ecgs, res.failed,
               ef_ecg_part_opts_format(&res.o, o, sizeof o));
        for (b = 0; b < 32; b++) {
            if (!res.qc_count[b])
                continue;
            printf("%s %s %zu", any ? "," : "  QC flags:", ef_qc_describe(1u << b, name, sizeof name),
                   res.qc_count[b]);
            any = 1;
        }
        if (any)
            printf("\n");
    }
    if (rc != EF_OK)
        cli_error(&err);
    else
        rc = merge_embeddings(ctx, &p, allow);
    ef_ecg_fold_result_fini(&res);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_merge = {
    .name = "merge",
    .usage = "[-C DIR] merge [--allow-incomplete]",
    .summary = "fold shard files into the project store",
    .help =
        "\nFolds the part files that `preprocess --shard K/N` runs wrote into\n"
        "DIR/ecg-data into the store's /ecg (eid sorted, signal as a virtual dataset\n"
        "over the parts, qc, measurements, failures) and writes\n"
        "DIR/preprocess-failures.txt.  Checks first that all parts were made with the\n"
        "same options, that no ECG is in two parts (overlapping shards), and that\n"
        "every shard of the split is present and complete.  Then folds the parts\n"
        "that `embed --shard K/N` runs wrote into DIR/emb-data/NAME into\n"
        "/embeddings/NAME (eid sorted, values as a virtual dataset over the parts)\n"
        "for every NAME, with the same checks.\n\n"
        "Options:\n"
        "  --allow-incomplete   fold what is there even if shards are missing or\n"
        "                       unfinished (they are reported as warnings)\n",
    .run = run,
};
