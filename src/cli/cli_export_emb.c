/* cli_export_emb.c — `ecgfit [-C DIR] export embeddings [--name NAME]
 * --format csv|tsv -o FILE|-`: csv is the seed's layout
 * (eid,pclr_output_0,...), tsv ml4h's (sample_id\tlatent_0...).  Numbers
 * are written with 9 significant digits, enough to read back the same
 * float32.  Reads /embeddings/NAME/values, a virtual dataset over
 * DIR/emb-data/NAME/part-*.h5. */
#include "config.h"
#include "cli.h"
#include "cli_job.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_emb_parts.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_PER_READ 256

int cli_export_embeddings(cli_ctx *ctx, int argc, char **argv);

/* NAME: the one asked for, or the only group; a new string. */
static int pick_name(ef_store *s, const char *dir, const char *want, char **name, ef_error *err)
{
    char **names = NULL, list[512] = "";
    size_t n = 0, i, len = 0;
    int rc = EF_OK;

    *name = NULL;
    if (ef_store_is_group(s, "/embeddings"))
        rc = ef_store_list(s, "/embeddings", &names, &n, err);
    if (rc != EF_OK)
        return rc;
    for (i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    if (n == 0)
        rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                             "no embeddings in the store: run `ecgfit -C %s embed` first", dir);
    else if (want) {
        for (i = 0; i < n && strcmp(names[i], want) != 0; i++)
            ;
        if (i == n)
            rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                                 "no embeddings named '%s' (the store has: %s)", want, list);
        else
            *name = ef_xstrdup(want);
    } else if (n > 1)
        rc = ef_error_set_at(err, EF_EINVAL, ef_store_path(s), 0, 0,
                             "the store has several embeddings (%s): choose one with --name", list);
    else
        *name = ef_xstrdup(names[0]);
    ef_store_free_list(names, n);
    return rc;
}

static int write_table(ef_store *s, const char *dir, const char *name, int tsv, const char *out, size_t *nrows,
                       size_t *ncols, ef_error *err)
{
    char *peid = ef_xasprintf("/embeddings/%s/eid", name), *pval = ef_xasprintf("/embeddings/%s/values", name);
    int64_t *eid = NULL;
    float *buf = NULL;
    uint64_t dims[2];
    size_t n = 0, row, i, k, m, cols = 0;
    int rank, rc;
    FILE *fp = NULL;
    char sep = tsv ? '\t' : ',';

    rc = ef_store_read_i64(s, peid, &eid, &n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(s, pval, &rank, dims, 2, err);
    if (rc == EF_OK && (rank != 2 || dims[0] != n))
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0, "%s does not match %s", pval, peid);
    if (rc == EF_OK) {
        cols = (size_t)dims[1];
        rc = cli_out_open(out, &fp, err);
    }
    if (rc == EF_OK) {
        fputs(tsv ? "sample_id" : "eid", fp);
        for (k = 0; k < cols; k++)
            fprintf(fp, "%c%s%zu", sep, tsv ? "latent_" : "pclr_output_", k);
        fputc('\n', fp);
        buf = ef_xmalloc(ROWS_PER_READ * (cols ? cols : 1) * sizeof *buf);
    }
    for (row = 0; rc == EF_OK && row < n; row += m) {
        m = n - row < ROWS_PER_READ ? n - row : ROWS_PER_READ;
        rc = ef_store_read_f32_rows(s, pval, row, m, buf, err);
        for (i = 0; rc == EF_OK && i < m; i++) {
            const float *r = buf + i * cols;

            for (k = 0; k < cols && isnan(r[k]); k++)
                ;
            if (cols && k == cols) {
                rc = ef_error_set_at(err, EF_EIO, ef_store_path(s), 0, 0,
                                     "the embedding of ECG %lld reads as missing: its part file in %s/%s/%s is "
                                     "absent or unreadable (keep %s/ next to ecgfit.h5, or rerun embed)",
                                     (long long)eid[row + i], dir, EF_EMB_PARTS_DIR, name, EF_EMB_PARTS_DIR);
                break;
            }
            fprintf(fp, "%lld", (long long)eid[row + i]);
            for (k = 0; k < cols; k++)
                fprintf(fp, "%c%.9g", sep, (double)r[k]);
            fputc('\n', fp);
        }
    }
    if (fp)
        rc = cli_out_close(fp, out, rc, err);
    *nrows = n;
    *ncols = cols;
    free(buf);
    free(eid);
    free(peid);
    free(pval);
    return rc;
}

int cli_export_embeddings(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "name", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = "csv", *out = NULL, *want = NULL;
    char *name = NULL;
    ef_project p;
    ef_store *s = NULL;
    ef_error err;
    size_t nrows = 0, ncols = 0;
    int c, rc;

    ef_error_clear(&err);
    optind = 0;   /* GNU getopt: start over on this argv */
    while ((c = cli_export_getopt(argc, argv, opts, &format, &out)) != -1) {
        switch (c) {
        case 'n': want = optarg; break;
        default: return cli_bad_option("export embeddings", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("export embeddings", "unexpected argument '%s'", argv[optind]);
    if (strcmp(format, "csv") != 0 && strcmp(format, "tsv") != 0)
        return cli_usage_error("export embeddings",
                               "--format must be csv (eid,pclr_output_0,...) or tsv (sample_id, latent_0, ...)");
    if (!out)
        return cli_usage_error("export embeddings", "give -o FILE (or - for standard output)");
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc == EF_OK) {
        rc = ef_store_open_read(&s, p.store_path, &err);
        if (rc == EF_ENOTFOUND)
            snprintf(err.msg, sizeof err.msg, "no store yet: run `ecgfit -C %s preprocess` and `embed` first",
                     p.dir);
    }
    if (rc == EF_OK)
        rc = pick_name(s, p.dir, want, &name, &err);
    if (rc == EF_OK)
        rc = write_table(s, p.dir, name, format[0] == 't', out, &nrows, &ncols, &err);
    if (rc == EF_OK && !ctx->quiet && strcmp(out, "-") != 0)
        fprintf(stderr, "ecgfit: wrote %zu embeddings (%s, %zu values each) as %s to %s\n", nrows, name, ncols,
                format, out);
    ef_store_close(s);
    free(name);
    ef_project_fini(&p);
    if (rc != EF_OK)
        cli_error(&err);
    return cli_exit_for(rc);
}
