/* cli_export_results.c — `export predictions` and `export metrics`: model
 * results as CSV files (the seed's prediction files plus a split column). */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_results.h"
#include "store/ef_project.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_export_predictions(cli_ctx *ctx, int argc, char **argv);
int cli_export_metrics(cli_ctx *ctx, int argc, char **argv);

static FILE *open_out(const char *out, ef_error *err)
{
    FILE *fp = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");

    if (!fp)
        ef_error_set_at(err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
    return fp;
}

static int close_out(FILE *fp, const char *out, int rc, ef_error *err)
{
    if (fp == stdout)
        return fflush(fp) == 0 || rc != EF_OK ? rc : ef_error_set(err, EF_EIO, "cannot write standard output");
    if (fclose(fp) != 0 && rc == EF_OK)
        rc = ef_error_set_at(err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
    if (rc != EF_OK)
        remove(out);
    return rc;
}

static const char *cell(double v, char *buf, size_t size)
{
    return isnan(v) ? "" : ef_numfmt_pyrepr(v, buf, size);
}

int cli_export_predictions(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "target", required_argument, NULL, 't' },
        { "features", required_argument, NULL, 'F' },
        { "model", required_argument, NULL, 'm' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "split", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    const char *target = NULL, *features = NULL, *model = NULL, *out = NULL, *only = NULL;
    char name[600], buf[600], a[40], b[40], *tkey = NULL;
    ef_result_key k;
    ef_result_data d;
    ef_project p;
    ef_error err;
    FILE *fp;
    size_t i;
    int c, rc;

    ef_error_clear(&err);
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 't': target = optarg; break;
        case 'F': features = optarg; break;
        case 'm': model = optarg; break;
        case 'f':
            if (strcmp(optarg, "csv") != 0)
                return cli_usage_error("export", "export predictions: --format must be csv, not '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        case 's':
            if (strcmp(optarg, "train") && strcmp(optarg, "test") && strcmp(optarg, "other"))
                return cli_usage_error("export", "export predictions: --split must be train, test or other");
            only = optarg;
            break;
        default: return cli_bad_option("export", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("export", "export predictions: unexpected argument '%s'", argv[optind]);
    if (!out)
        return cli_usage_error("export", "export predictions: give -o FILE (or - for standard output)");
    if (model && strchr(model, '/') && !target && !features)
        snprintf(name, sizeof name, "%s", model);
    else if (target && features && model)
        snprintf(name, sizeof name, "%s/%s/%s", target, features, model);
    else
        return cli_usage_error("export", "export predictions: give --target T --features F --model M (or --model "
                                         "T/F/M)");
    if (ef_result_key_parse(name, &k, buf, sizeof buf, &err) != EF_OK)
        return cli_usage_error("export", "export predictions: %s", err.msg);
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        return cli_exit_for(rc);
    }
    rc = ef_resolve_result_target_at(p.store_path, k.target, &tkey, &err);
    if (rc == EF_OK) {
        k.target = tkey;
        rc = ef_result_load(p.store_path, &k, &d, &err);
    }
    if (rc == EF_OK) {
        if ((fp = open_out(out, &err))) {
            fprintf(fp, "eid,%s,%s_predicted,split\n", k.target, k.target);
            for (i = 0; i < d.r.n; i++) {
                if (only && strcmp(only, ef_split_name(d.split[i])) != 0)
                    continue;
                fprintf(fp, "%lld,%s,%s,%s\n", (long long)d.eid[i], cell(d.y[i], a, sizeof a),
                        cell(d.yhat[i], b, sizeof b), ef_split_name(d.split[i]));
            }
            rc = close_out(fp, out, rc, &err);
        } else {
            rc = EF_EIO;
        }
        ef_result_data_fini(&d);
    }
    if (rc != EF_OK)
        cli_error(&err);
    free(tkey);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

int cli_export_metrics(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "target", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    static const int splits[3] = { EF_SPLIT_TRAIN, EF_SPLIT_TEST, EF_SPLIT_FULL };
    const char *out = NULL;
    ef_result_key *keys = NULL;
    char **targets = NULL;
    unsigned char *keep = NULL;
    size_t nk = 0, i, nt = 0;
    ef_project p;
    ef_error err;
    FILE *fp = NULL;
    int c, rc, s;

    ef_error_clear(&err);
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "csv") != 0)
                return cli_usage_error("export", "export metrics: --format must be csv, not '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        case 't':
            cli_free_list(targets);
            targets = cli_split_list(optarg, &nt);
            break;
        default: cli_free_list(targets); return cli_bad_option("export", argv);
        }
    }
    if (optind != argc) {
        cli_free_list(targets);
        return cli_usage_error("export", "export metrics: unexpected argument '%s'", argv[optind]);
    }
    if (!out) {
        cli_free_list(targets);
        return cli_usage_error("export", "export metrics: give -o FILE (or - for standard output)");
    }
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        cli_free_list(targets);
        return cli_exit_for(rc);
    }
    rc = ef_result_keys(p.store_path, &keys, &nk, &err);
    keep = ef_xmalloc(nk ? nk : 1);
    if (rc == EF_OK && nk)
        rc = ef_resolve_keys_select(p.store_path, keys, nk, targets, nt, keep, &err);
    if (rc == EF_OK && !nk)
        rc = ef_error_set_at(&err, EF_ENOTFOUND, p.store_path, 0, 0,
                             "no model results in the store: run `ecgfit -C %s train` first", p.dir);
    if (rc == EF_OK && !(fp = open_out(out, &err)))
        rc = EF_EIO;
    if (rc == EF_OK) {
        fprintf(fp, "target,features,model,split,n,r,r_lo,r_hi,r2,r2_lo,r2_hi,mae,mae_lo,mae_hi,mse,rmse\n");
        for (i = 0; rc == EF_OK && i < nk; i++)
            for (s = 0; rc == EF_OK && keep[i] && s < 3; s++) {
                ef_metrics m;
                double v[11];
                char buf[40];
                int j;

                rc = ef_result_read_metrics(p.store_path, &keys[i], splits[s], &m, &err);
                if (rc == EF_ENOTFOUND) {   /* e.g. no test rows */
                    rc = EF_OK;
                    continue;
                }
                v[0] = m.r;
                v[1] = m.r_lo;
                v[2] = m.r_hi;
                v[3] = m.r2;
                v[4] = m.r2_lo;
                v[5] = m.r2_hi;
                v[6] = m.mae;
                v[7] = m.mae_lo;
                v[8] = m.mae_hi;
                v[9] = m.mse;
                v[10] = m.rmse;
                fprintf(fp, "%s,%s,%s,%s,%zu", keys[i].target, keys[i].features, keys[i].model,
                        ef_split_name(splits[s]), m.n);
                for (j = 0; j < 11; j++)
                    fprintf(fp, ",%s", isnan(v[j]) ? "" : ef_numfmt_short(v[j], buf, sizeof buf));
                fputc('\n', fp);
            }
        rc = close_out(fp, out, rc, &err);
    }
    if (rc != EF_OK)
        cli_error(&err);
    ef_result_keys_free(keys, nk);
    free(keep);
    cli_free_list(targets);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}
