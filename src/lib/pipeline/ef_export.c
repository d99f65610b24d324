/* ef_export.c — labels, the seed layout and model results as files (see
 * ef_export.h). */
#include "config.h"
#include "pipeline/ef_export.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_resolve.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- output files ---------------------------------------------------------- */

int ef_export_open(const char *path, FILE *std, FILE **fp, ef_error *err)
{
    *fp = std && strcmp(path, "-") == 0 ? std : fopen(path, "w");
    if (!*fp)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    return EF_OK;
}

int ef_export_close(FILE *fp, FILE *std, const char *path, int rc, ef_error *err)
{
    int bad = ferror(fp);

    if (fp == std) {
        if ((fflush(fp) != 0 || bad) && rc == EF_OK)
            rc = ef_error_set(err, EF_EIO, "cannot write standard output: %s", strerror(errno));
        return rc;
    }
    if ((fclose(fp) != 0 || bad) && rc == EF_OK)
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    if (rc != EF_OK)
        remove(path);
    return rc;
}

/* ---- labels ---------------------------------------------------------------- */

int ef_export_labels(const ef_fdata *d, const char *path, FILE *std, char sep, ef_error *err)
{
    char num[40];
    size_t i, j;
    FILE *fp;
    int rc = ef_export_open(path, std, &fp, err);

    if (rc != EF_OK)
        return rc;
    fputs("eid", fp);
    for (j = 0; j < d->ncols; j++)
        fprintf(fp, "%c%s", sep, d->names[j]);
    fputc('\n', fp);
    for (i = 0; i < d->n; i++) {
        fprintf(fp, "%lld", (long long)d->eid[i]);
        for (j = 0; j < d->ncols; j++) {
            fputc(sep, fp);
            if (!isnan(d->col[j][i]))
                fputs(ef_numfmt_short(d->col[j][i], num, sizeof num), fp);
        }
        fputc('\n', fp);
    }
    return ef_export_close(fp, std, path, EF_OK, err);
}

static long find(const ef_fdata *d, const char *name)
{
    for (size_t i = 0; i < d->ncols; i++)
        if (strcmp(d->names[i], name) == 0)
            return (long)i;
    return -1;
}

typedef struct by_eid {
    int64_t eid;
    size_t row;
} by_eid;

static int cmp_by_eid(const void *a, const void *b)
{
    const by_eid *x = a, *y = b;

    if (x->eid != y->eid)
        return x->eid < y->eid ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* One seed file: header "eid,<header>", the rows where every listed column
 * is present (and filter is 1), in participant order or (sorted) ascending
 * eid, as the seed's outer-joined files are. */
static int write_seed_file(const ef_fdata *d, const char *dir, const char *file, const char *header,
                           const long *cols, size_t ncols, const double *filter, int sorted, ef_error *err)
{
    char *path = ef_xasprintf("%s/%s", dir, file), num[40];
    FILE *fp = fopen(path, "w");
    by_eid *order;
    size_t r, i, k;
    int rc = EF_OK, bad;

    if (!fp) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
        free(path);
        return rc;
    }
    order = ef_xmalloc((d->n ? d->n : 1) * sizeof *order);
    for (r = 0; r < d->n; r++) {
        order[r].eid = d->eid[r];
        order[r].row = r;
    }
    if (sorted)
        qsort(order, d->n, sizeof *order, cmp_by_eid);
    fprintf(fp, "eid,%s\n", header);
    for (r = 0; r < d->n; r++) {
        int ok;

        i = order[r].row;
        ok = !filter || filter[i] == 1;
        for (k = 0; ok && k < ncols; k++)
            ok = !isnan(d->col[cols[k]][i]);
        if (!ok)
            continue;
        fprintf(fp, "%lld", (long long)d->eid[i]);
        for (k = 0; k < ncols; k++) {
            if (d->pandas_int[cols[k]])
                fprintf(fp, ",%.0f", d->col[cols[k]][i]);
            else
                fprintf(fp, ",%s", ef_numfmt_pyrepr(d->col[cols[k]][i], num, sizeof num));
        }
        fputc('\n', fp);
    }
    free(order);
    bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    free(path);
    return rc;
}

int ef_export_seed_layout(const ef_fdata *d, const char *dir, size_t *nfiles, ef_error *err)
{
    long demo[3] = { find(d, "age"), find(d, "sex"), find(d, "bmi") };
    long ecg = find(d, "has_ecg");
    char file[128], name[96];
    size_t j;
    int rc = EF_OK;

    *nfiles = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ef_error_set_at(err, EF_EIO, dir, 0, 0, "cannot create folder: %s", strerror(errno));
    for (j = 0; rc == EF_OK && j < d->ncols; j++) {
        long col = (long)j;
        const char *r = d->rule[j];

        if (!d->field[j][0])
            continue;
        if (strcmp(d->field[j], "4080") == 0 && strcmp(r, "i2.mean") == 0)
            snprintf(name, sizeof name, "SYSTOLIC_BP_mean");
        else if (strcmp(d->field[j], "4079") == 0 && strcmp(r, "i2.mean") == 0)
            snprintf(name, sizeof name, "DIASTOLIC_BP_mean");
        else if (r[0] == 'i' && !strchr(r, '.'))   /* iK: instance K, array 0 */
            snprintf(name, sizeof name, "%s-%s.0", d->field[j], r + 1);
        else if (r[0] == 'i' && strstr(r, ".a"))   /* iK.aJ */
            snprintf(name, sizeof name, "%s-%.*s.%s", d->field[j], (int)(strstr(r, ".a") - r - 1), r + 1,
                     strstr(r, ".a") + 2);
        else
            continue;   /* priority / other means: the seed had no such file */
        snprintf(file, sizeof file, "%s.csv", name);
        rc = write_seed_file(d, dir, file, name, &col, 1, NULL, ef_seed_order_by_eid(r), err);
        *nfiles += rc == EF_OK;
    }
    if (rc == EF_OK && demo[0] >= 0 && demo[1] >= 0 && demo[2] >= 0) {
        rc = write_seed_file(d, dir, "eid_age2_sex_bmi2.csv", "age,sex,bmi", demo, 3,
                             ecg >= 0 ? d->col[ecg] : NULL, 0, err);
        *nfiles += rc == EF_OK;
    }
    return rc;
}

/* ---- model results --------------------------------------------------------- */

static const char *cell(double v, char *buf, size_t size)
{
    return isnan(v) ? "" : ef_numfmt_pyrepr(v, buf, size);
}

int ef_export_predictions(const char *store_path, const ef_result_key *key, const char *split, const char *path,
                          FILE *std, size_t *nrows, ef_error *err)
{
    ef_result_key k = *key;
    ef_result_data d;
    char *tkey = NULL, a[40], b[40];
    FILE *fp;
    size_t i;
    int rc;

    *nrows = 0;
    rc = ef_resolve_result_target_at(store_path, k.target, &tkey, err);
    if (rc == EF_OK) {
        k.target = tkey;
        rc = ef_result_load(store_path, &k, &d, err);
    }
    if (rc == EF_OK) {
        rc = ef_export_open(path, std, &fp, err);
        if (rc == EF_OK) {
            fprintf(fp, "eid,%s,%s_predicted,split\n", k.target, k.target);
            for (i = 0; i < d.r.n; i++) {
                if (split && strcmp(split, ef_split_name(d.split[i])) != 0)
                    continue;
                fprintf(fp, "%lld,%s,%s,%s\n", (long long)d.eid[i], cell(d.y[i], a, sizeof a),
                        cell(d.yhat[i], b, sizeof b), ef_split_name(d.split[i]));
                ++*nrows;
            }
            rc = ef_export_close(fp, std, path, rc, err);
        }
        ef_result_data_fini(&d);
    }
    free(tkey);
    return rc;
}

int ef_export_metrics(const char *store_path, const char *project_dir, char *const *targets, size_t nt,
                      const char *path, FILE *std, size_t *nrows, ef_error *err)
{
    static const int splits[3] = { EF_SPLIT_TRAIN, EF_SPLIT_TEST, EF_SPLIT_FULL };
    ef_result_key *keys = NULL;
    unsigned char *keep;
    size_t nk = 0, i;
    FILE *fp = NULL;
    int rc, s;

    *nrows = 0;
    rc = ef_result_keys(store_path, &keys, &nk, err);
    keep = ef_xmalloc(nk ? nk : 1);
    if (rc == EF_OK && nk)
        rc = ef_resolve_keys_select(store_path, keys, nk, targets, nt, keep, err);
    if (rc == EF_OK && !nk)
        rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                             "no model results in the store: run `ecgfit -C %s train` first", project_dir);
    if (rc == EF_OK)
        rc = ef_export_open(path, std, &fp, err);
    if (rc == EF_OK) {
        fprintf(fp, "target,features,model,split,n,r,r_lo,r_hi,r2,r2_lo,r2_hi,mae,mae_lo,mae_hi,mse,rmse\n");
        for (i = 0; rc == EF_OK && i < nk; i++)
            for (s = 0; rc == EF_OK && keep[i] && s < 3; s++) {
                ef_metrics m;
                char buf[40];
                int j;

                rc = ef_result_read_metrics(store_path, &keys[i], splits[s], &m, err);
                if (rc == EF_ENOTFOUND) {   /* e.g. no test rows */
                    rc = EF_OK;
                    continue;
                }
                if (rc != EF_OK)
                    break;
                {
                    const double v[11] = { m.r,     m.r_lo,   m.r_hi,   m.r2,  m.r2_lo, m.r2_hi,
                                           m.mae,   m.mae_lo, m.mae_hi, m.mse, m.rmse };

                    fprintf(fp, "%s,%s,%s,%s,%zu", keys[i].target, keys[i].features, keys[i].model,
                            ef_split_name(splits[s]), m.n);
                    for (j = 0; j < 11; j++)
                        fprintf(fp, ",%s", isnan(v[j]) ? "" : ef_numfmt_short(v[j], buf, sizeof buf));
                    fputc('\n', fp);
                    ++*nrows;
                }
            }
        rc = ef_export_close(fp, std, path, rc, err);
    }
    ef_result_keys_free(keys, nk);
    free(keep);
    return rc;
}
