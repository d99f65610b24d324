/* cli_import.c — `ecgfit [-C DIR] import embeddings|labels FILE`: tables
 * made elsewhere (the seed's CSVs, ml4h's TSV) into the project store. */
#include "config.h"
#include "cli.h"
#include "pipeline/ef_emb_parts.h"
#include "pipeline/ef_import.h"
#include "store/ef_project.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const cli_command cli_cmd_import;

static int import_embeddings(cli_ctx *ctx, const ef_project *p, const char *file, const char *name, ef_error *err)
{
    ef_import_emb_summary s;
    int rc = ef_import_embeddings(p->store_path, file, name, &s, err);

    if (rc == EF_OK && !ctx->quiet) {
        printf("Imported %zu embeddings (%zu values each, %s) from %s as /embeddings/%s%s\n", s.n, s.k, s.format,
               file, s.name, s.replaced ? " (replacing the earlier ones)" : "");
        printf("  %zu of them belong to participants in /participants\n", s.in_participants);
    }
    return rc;
}

static int import_labels(cli_ctx *ctx, const ef_project *p, const char *file, ef_error *err)
{
    ef_import_labels_summary s;
    size_t i;
    int rc = ef_import_labels(p->store_path, file, &s, err);

    if (rc == EF_OK && !ctx->quiet) {
        printf("Imported %zu column%s from %s into /participants:", s.ncols, s.ncols == 1 ? "" : "s", file);
        for (i = 0; i < s.ncols; i++)
            printf(" %s", s.cols[i]);
        printf("\n  %zu rows: %zu matched a participant, %zu unmatched (not in /participants, skipped)\n", s.rows,
               s.matched, s.unmatched);
        if (s.replaced)
            printf("  %zu column%s replaced\n", s.replaced, s.replaced == 1 ? "" : "s");
    }
    if (rc == EF_OK && s.unmatched)
        cli_warnf("%zu eid%s of %s are not in /participants and were skipped", s.unmatched,
                  s.unmatched == 1 ? "" : "s", file);
    ef_import_labels_summary_fini(&s);
    return rc;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "name", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *name = NULL, *what, *file;
    ef_project p;
    ef_error err;
    int c, rc;

    ef_error_clear(&err);
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (!ef_emb_name_ok(optarg) || strlen(optarg) >= EF_EMB_NAME_MAX)
                return cli_usage_error("import", "--name must be 1-%d characters of A-Z a-z 0-9 _ . -, not '%s'",
                                       EF_EMB_NAME_MAX - 1, optarg);
            name = optarg;
            break;
        case 'h': cli_print_help(&cli_cmd_import); return CLI_EXIT_OK;
        default: return cli_bad_option("import", argv);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("import", "give what to import (embeddings or labels) and a FILE");
    what = argv[optind];
    file = argv[optind + 1];
    if (strcmp(what, "embeddings") != 0 && strcmp(what, "labels") != 0)
        return cli_usage_error("import", "can import embeddings or labels, not '%s'", what);
    if (name && strcmp(what, "labels") == 0)
        return cli_usage_error("import", "--name is for embeddings");
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK)
        rc = what[0] == 'e' ? import_embeddings(ctx, &p, file, name, &err) : import_labels(ctx, &p, file, &err);
    if (rc != EF_OK)
        cli_error(&err);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_import = {
    .name = "import",
    .usage = "[-C DIR] import embeddings FILE [--name NAME]\n"
             "       ecgfit [-C DIR] import labels FILE",
    .summary = "import embeddings or labels from CSV",
    .help =
        "\nimport embeddings reads the seed's CSV (eid,pclr_output_0,...) or ml4h's TSV\n"
        "(sample_id<TAB>latent_0...) into /embeddings/NAME (eid sorted, values float32),\n"
        "where `train`, `replicate` and `export embeddings` read them like the output\n"
        "of `embed`.  --name NAME defaults to the file name without its extension.\n\n"
        "import labels reads a CSV with eid first and value columns (the seed's label\n"
        "files, e.g. eid,30038-1.0) into /participants/<column>, for the participants\n"
        "already there (run `labels` first); other eids are counted and skipped.\n"
        "Empty, NA and nan cells are missing values.\n\n"
        "Errors name FILE:LINE: bad numbers, rows with the wrong number of fields,\n"
        "duplicate eids.\n",
    .run = run,
};
