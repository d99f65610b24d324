/* ef_import.c — import embeddings and labels tables (see ef_import.h). */
#include "config.h"
#include "pipeline/ef_import.h"
#include "core/ef_alloc.h"
#include "core/ef_eid.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_emb_parts.h"
#include "store/ef_store.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct table {
    char **head;
    size_t ncol;          /* header columns, eid included */
    char delim;
    int as_float;         /* values into vf (embeddings), else vd */
    int64_t *eid;
    long *line;
    float *vf;
    double *vd;
    size_t n, cap;
} table;

static void table_free(table *t)
{
    size_t i;

    for (i = 0; i < t->ncol; i++)
        free(t->head[i]);
    free(t->head);
    free(t->eid);
    free(t->line);
    free(t->vf);
    free(t->vd);
}

/* Split in place on delim; strips \r, spaces around and a pair of double
 * quotes.  Returns the field count (fields beyond max are counted only). */
static size_t split(char *s, char delim, char **f, size_t max)
{
    size_t n = 0;
    char *p = s, *e, *c;

    for (;;) {
        c = strchr(p, delim);
        if (c)
            *c = '\0';
        if (n < max) {
            while (*p == ' ')
                p++;
            e = p + strlen(p);
            while (e > p && (e[-1] == ' ' || e[-1] == '\r'))
                *--e = '\0';
            if (e - p >= 2 && *p == '"' && e[-1] == '"') {
                e[-1] = '\0';
                p++;
            }
            f[n] = p;
        }
        n++;
        if (!c)
            return n;
        p = c + 1;
    }
}

static int parse_eid(const char *s, int64_t *v)
{
    char *end;
    long long x;

    errno = 0;
    x = strtoll(s, &end, 10);
    if (end == s || errno)
        return 0;
    if (*end == '.') {   /* pandas writes float eids as 1000015.0 */
        end++;
        while (*end == '0')
            end++;
    }
    *v = (int64_t)x;
    return *end == '\0';
}

static int is_missing(const char *s)
{
    return !*s || strcmp(s, "NA") == 0 || strcasecmp(s, "nan") == 0;
}

static int parse_num(const char *s, double *v)
{
    char *end;

    errno = 0;
    *v = ef_strtod(s, &end);
    return end != s && *end == '\0' && errno != ERANGE && isfinite(*v);
}

static const table *sort_tab;

static int cmp_row(const void *a, const void *b)
{
    int64_t x = sort_tab->eid[*(const size_t *)a], y = sort_tab->eid[*(const size_t *)b];

    if (x != y)
        return (x > y) - (x < y);
    return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* Rows sorted by eid (a new array); EF_EPARSE on a duplicate eid. */
static int sorted_rows(const table *t, const char *file, size_t **order, ef_error *err)
{
    size_t i, *o = ef_xcalloc(t->n ? t->n : 1, sizeof *o);

    for (i = 0; i < t->n; i++)
        o[i] = i;
    sort_tab = t;
    qsort(o, t->n, sizeof *o, cmp_row);
    for (i = 1; i < t->n; i++)
        if (t->eid[o[i]] == t->eid[o[i - 1]]) {
            int rc = ef_error_set_at(err, EF_EPARSE, file, t->line[o[i]], 1, "duplicate eid %lld (first on line %ld)",
                                     (long long)t->eid[o[i]], t->line[o[i - 1]]);

            free(o);
            return rc;
        }
    *order = o;
    return EF_OK;
}

static int read_table(const char *file, int embeddings, table *t, ef_error *err)
{
    char *line = NULL, **f = NULL;
    size_t cap = 0, n, i, k;
    ssize_t len;
    long ln = 0;
    int rc = EF_OK;
    FILE *fp = fopen(file, "r");

    memset(t, 0, sizeof *t);
    t->as_float = embeddings;
    if (!fp)
        return ef_error_set_at(err, EF_EIO, file, 0, 0, "cannot open: %s", strerror(errno));
    while (rc == EF_OK && (len = getline(&line, &cap, fp)) >= 0) {
        ln++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (ln == 1) {
            char *h = line;

            if ((unsigned char)h[0] == 0xEF && (unsigned char)h[1] == 0xBB && (unsigned char)h[2] == 0xBF)
                h += 3;
            t->delim = strchr(h, '\t') ? '\t' : ',';
            {
                char *dup = ef_xstrdup(h);

                n = split(dup, t->delim, NULL, 0);   /* count first: split writes into its string */
                free(dup);
            }
            f = ef_xcalloc(n, sizeof *f);
            split(h, t->delim, f, n);
            t->ncol = n;
            t->head = ef_xcalloc(n, sizeof *t->head);
            for (i = 0; i < n; i++)
                t->head[i] = ef_xstrdup(f[i]);
            if (strcasecmp(f[0], "eid") != 0 && strcasecmp(f[0], "sample_id") != 0)
                rc = ef_error_set_at(err, EF_EPARSE, file, 1, 1,
                                     "the first column must be eid (or ml4h's sample_id), not '%s'", f[0]);
            else if (n < 2)
                rc = ef_error_set_at(err, EF_EPARSE, file, 1, 0, "no value columns after %s", f[0]);
            for (i = 1; rc == EF_OK && i < n; i++) {
                if (!*f[i])
                    rc = ef_error_set_at(err, EF_EPARSE, file, 1, (long)i + 1, "column %zu has no name", i + 1);
                for (k = 0; rc == EF_OK && k < i; k++)
                    if (strcmp(f[k], f[i]) == 0)
                        rc = ef_error_set_at(err, EF_EPARSE, file, 1, (long)i + 1, "column '%s' appears twice",
                                             f[i]);
            }
            continue;
        }
        if (len == 0)
            continue;
        n = split(line, t->delim, f, t->ncol);
        if (n != t->ncol) {
            rc = ef_error_set_at(err, EF_EPARSE, file, ln, 0, "%zu fields, the header has %zu", n, t->ncol);
            break;
        }
        if (t->n == t->cap) {
            size_t w = t->ncol - 1;

            t->cap = t->cap ? 2 * t->cap : 256;
            t->eid = ef_xreallocarray(t->eid, t->cap, sizeof *t->eid);
            t->line = ef_xreallocarray(t->line, t->cap, sizeof *t->line);
            if (embeddings)
                t->vf = ef_xreallocarray(t->vf, t->cap * w, sizeof *t->vf);
            else
                t->vd = ef_xreallocarray(t->vd, t->cap * w, sizeof *t->vd);
        }
        if (!parse_eid(f[0], &t->eid[t->n])) {
            rc = ef_error_set_at(err, EF_EPARSE, file, ln, 1, "eid '%s' is not a whole number", f[0]);
            break;
        }
        t->line[t->n] = ln;
        for (i = 1; i < n; i++) {
            double v;

            if (!embeddings && is_missing(f[i]))
                v = NAN;
            else if (!parse_num(f[i], &v)) {
                rc = ef_error_set_at(err, EF_EPARSE, file, ln, (long)i + 1, "%s '%s' is not a %snumber",
                                     t->head[i], f[i], embeddings ? "finite " : "");
                break;
            }
            if (embeddings)
                t->vf[t->n * (t->ncol - 1) + i - 1] = (float)v;
            else
                t->vd[t->n * (t->ncol - 1) + i - 1] = v;
        }
        t->n++;
    }
    if (rc == EF_OK && ferror(fp))
        rc = ef_error_set_at(err, EF_EIO, file, 0, 0, "read error");
    if (rc == EF_OK && ln == 0)
        rc = ef_error_set_at(err, EF_EPARSE, file, 0, 0, "empty file (no header)");
    if (rc == EF_OK && t->n == 0)
        rc = ef_error_set_at(err, EF_EDATA, file, ln, 0, "no data rows");
    fclose(fp);
    free(line);
    free(f);
    if (rc != EF_OK)
        table_free(t);
    return rc;
}

static void set_common_attrs(ef_store *s, const char *obj, const char *file, int *rc, ef_error *err)
{
    char *opts = ef_xasprintf("file=%s", file);

    if (*rc == EF_OK)
        *rc = ef_store_stamp(s, obj, "import", opts, err);
    if (*rc == EF_OK)
        *rc = ef_store_set_attr_str(s, obj, "source_file", file, err);
    if (*rc == EF_OK)
        *rc = ef_store_set_attr_f64(s, obj, "imported", 1, err);
    free(opts);
}

/* Count eids (sorted) present in the store's /participants. */
static size_t count_in_participants(ef_store *s, const int64_t *eid, size_t n)
{
    ef_eid_set pe = { NULL, 0 };
    size_t i, c = 0;

    if (!ef_store_exists(s, "/participants/eid") || ef_store_read_i64(s, "/participants/eid", &pe.v, &pe.n, NULL) != EF_OK)
        return 0;
    ef_eid_set_sort(&pe);
    for (i = 0; i < n; i++)
        c += ef_eid_set_has(&pe, eid[i]);
    ef_eid_set_fini(&pe);
    return c;
}

int ef_import_embeddings(const char *store_path, const char *file, const char *name,
                         ef_import_emb_summary *sum, ef_error *err)
{
    table t;
    size_t *order = NULL, i, k = 0;
    int64_t *eid = NULL;
    float *val = NULL;
    char *grp = NULL, *p = NULL;
    ef_store *s = NULL;
    int rc;

    memset(sum, 0, sizeof *sum);
    if (name) {
        if (!ef_emb_name_ok(name) || strlen(name) >= sizeof sum->name)
            return ef_error_set(err, EF_EINVAL, "embeddings name '%s': use letters, digits, '_', '.', '-'", name);
        snprintf(sum->name, sizeof sum->name, "%s", name);
    } else
        ef_emb_name_from_path(file, sum->name, sizeof sum->name);
    rc = read_table(file, 1, &t, err);
    if (rc != EF_OK)
        return rc;
    rc = sorted_rows(&t, file, &order, err);
    if (rc == EF_OK) {
        k = t.ncol - 1;
        eid = ef_xcalloc(t.n, sizeof *eid);
        val = ef_xcalloc(t.n * k, sizeof *val);
        for (i = 0; i < t.n; i++) {
            eid[i] = t.eid[order[i]];
            memcpy(val + i * k, t.vf + order[i] * k, k * sizeof *val);
        }
        sum->n = t.n;
        sum->k = k;
        sum->format = t.delim == '\t' ? "tsv" : "csv";
        grp = ef_xasprintf("/embeddings/%s", sum->name);
        rc = ef_store_begin(&s, store_path, err);
    }
    if (rc == EF_OK) {
        sum->replaced = ef_store_exists(s, grp);
        rc = ef_store_delete(s, grp, err);
    }
    if (rc == EF_OK) {
        p = ef_xasprintf("%s/eid", grp);
        rc = ef_store_write_i64(s, p, eid, t.n, err);
        free(p);
    }
    if (rc == EF_OK) {
        p = ef_xasprintf("%s/values", grp);
        rc = ef_store_write_f32_2d(s, p, val, t.n, k, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_str(s, p, "layout", "[ECG, output]; imported, in /embeddings/NAME/eid order", err);
        free(p);
    }
    set_common_attrs(s, grp, file, &rc, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, grp, "name", sum->name, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, grp, "output_size", (double)k, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, grp, "format", t.delim == '\t' ? "ml4h tsv (sample_id, latent_N)"
                                                                    : "seed csv (eid, pclr_output_N)", err);
    if (rc == EF_OK)
        sum->in_participants = count_in_participants(s, eid, t.n);
    if (rc == EF_OK)
        rc = ef_store_commit(s, err);
    else
        ef_store_abort(s);
    free(grp);
    free(eid);
    free(val);
    free(order);
    table_free(&t);
    return rc;
}

void ef_import_labels_summary_fini(ef_import_labels_summary *sum)
{
    size_t i;

    for (i = 0; i < sum->ncols; i++)
        free(sum->cols[i]);
    free(sum->cols);
    memset(sum, 0, sizeof *sum);
}

int ef_import_labels(const char *store_path, const char *file, ef_import_labels_summary *sum, ef_error *err)
{
    table t;
    size_t *order = NULL, np = 0, i, j, k = 0, w;
    int64_t *pe = NULL;
    double *col = NULL;
    ef_store *s = NULL;
    int rc;

    memset(sum, 0, sizeof *sum);
    rc = read_table(file, 0, &t, err);
    if (rc != EF_OK)
        return rc;
    w = t.ncol - 1;
    for (i = 1; rc == EF_OK && i < t.ncol; i++)
        if (strchr(t.head[i], '/') || strcmp(t.head[i], ".") == 0 || strcmp(t.head[i], "..") == 0 ||
            strcasecmp(t.head[i], "eid") == 0 || strcmp(t.head[i], "has_ecg") == 0)
            rc = ef_error_set_at(err, EF_EPARSE, file, 1, (long)i + 1, "'%s' cannot be a column name", t.head[i]);
    if (rc == EF_OK)
        rc = sorted_rows(&t, file, &order, err);
    if (rc == EF_OK)
        rc = ef_store_begin(&s, store_path, err);
    if (rc == EF_OK) {
        rc = ef_store_read_i64(s, "/participants/eid", &pe, &np, err);
        if (rc == EF_ENOTFOUND)
            rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                                 "no /participants in the store: run `ecgfit labels` first (import labels adds "
                                 "columns for the participants already there)");
    }
    if (rc == EF_OK) {
        int64_t *pos = ef_xcalloc(np ? np : 1, sizeof *pos);   /* participant -> table row, or -1 */
        size_t *pidx = ef_xcalloc(np ? np : 1, sizeof *pidx);

        sum->rows = t.n;
        for (i = 0; i < np; i++) {
            pos[i] = -1;
            pidx[i] = i;
        }
        /* merge: both sides sorted by eid */
        {
            table pt;

            memset(&pt, 0, sizeof pt);
            pt.eid = pe;
            pt.n = np;
            sort_tab = &pt;
            qsort(pidx, np, sizeof *pidx, cmp_row);
        }
        for (i = 0, j = 0; i < t.n; i++) {
            int64_t e = t.eid[order[i]];

            while (j < np && pe[pidx[j]] < e)
                j++;
            if (j < np && pe[pidx[j]] == e) {
                pos[pidx[j]] = (int64_t)order[i];
                sum->matched++;
            } else
                sum->unmatched++;
        }
        col = ef_xcalloc(np ? np : 1, sizeof *col);
        sum->cols = ef_xcalloc(w, sizeof *sum->cols);
        for (k = 0; rc == EF_OK && k < w; k++) {
            char *path = ef_xasprintf("/participants/%s", t.head[k + 1]);

            for (i = 0; i < np; i++)
                col[i] = pos[i] < 0 ? NAN : t.vd[(size_t)pos[i] * w + k];
            sum->replaced += ef_store_exists(s, path);
            rc = ef_store_write_f64(s, path, col, np, err);
            if (rc == EF_OK)
                rc = ef_store_set_attr_str(s, path, "label", t.head[k + 1], err);
            set_common_attrs(s, path, file, &rc, err);
            sum->cols[sum->ncols++] = ef_xstrdup(t.head[k + 1]);
            free(path);
        }
        free(pos);
        free(pidx);
    }
    if (rc == EF_OK)
        rc = ef_store_commit(s, err);
    else
        ef_store_abort(s);
    free(col);
    free(pe);
    free(order);
    table_free(&t);
    return rc;
}
