/* ef_features.c — design matrices from the store (see ef_features.h). */
#include "config.h"
#include "pipeline/ef_features.h"
#include "core/ef_alloc.h"
#include "core/ef_eid.h"
#include "core/ef_pool.h"
#include "pipeline/ef_participants.h"
#include "store/ef_store.h"
#include "ukb/ef_names.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const basic_cols[] = { "age", "sex", "bmi" };

/* ---- loading -------------------------------------------------------------- */

static int load_participants(ef_store *s, ef_fdata *d, ef_pool *pool, int threads, ef_error *err)
{
    ef_pcol *pc = NULL;
    size_t npc = 0, i, *len = NULL;
    char **paths = NULL;
    int rc;

    rc = ef_store_read_i64(s, "/participants/eid", &d->eid, &d->n, err);
    if (rc == EF_ENOTFOUND)
        return ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0,
                               "no /participants in the store: run `ecgfit labels` first");
    if (rc == EF_OK)
        rc = ef_participants_columns(s, &pc, &npc, err);
    d->names = ef_xcalloc(npc ? npc : 1, sizeof *d->names);
    d->col = ef_xcalloc(npc ? npc : 1, sizeof *d->col);
    d->field = ef_xcalloc(npc ? npc : 1, sizeof *d->field);
    d->rule = ef_xcalloc(npc ? npc : 1, sizeof *d->rule);
    d->pandas_int = ef_xcalloc(npc ? npc : 1, 1);
    if (rc == EF_OK && npc) {   /* all columns at once: their chunks inflate on the job's threads */
        paths = ef_xcalloc(npc, sizeof *paths);
        len = ef_xcalloc(npc, sizeof *len);
        for (i = 0; i < npc; i++)
            paths[i] = ef_xasprintf("/participants/%s", pc[i].name);
        rc = ef_store_read_f64_many(s, (const char *const *)paths, npc, d->col, len, pool, threads, err);
    }
    for (i = 0; rc == EF_OK && i < npc; i++) {
        size_t k = d->ncols;

        /* the strings move into d */
        d->names[k] = pc[i].name;
        d->field[k] = pc[i].field;
        d->rule[k] = pc[i].rule;
        pc[i].name = pc[i].field = pc[i].rule = NULL;
        d->pandas_int[k] = strcmp(pc[i].dtype, "int64") == 0;
        d->ncols++;
        if (len[k] != d->n) {
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0, "%s has %zu rows, /participants/eid %zu",
                                 paths[k], len[k], d->n);
            break;
        }
        if (strcmp(d->names[k], "has_ecg") == 0)
            d->has_ecg = d->col[k];
    }
    for (i = d->ncols; i < npc && rc != EF_OK && paths; i++) {   /* read but not taken */
        free(d->col[i]);
        d->col[i] = NULL;
    }
    for (i = 0; paths && i < npc; i++)
        free(paths[i]);
    free(paths);
    free(len);
    ef_pcols_free(pc, npc);
    return rc;
}

static int load_embeddings(ef_store *s, ef_fdata *d, const char *want, int load_values, ef_pool *pool,
                           int threads, ef_error *err)
{
    char **names = NULL, path[600];
    size_t nn = 0, ne = 0, rows, cols, i;
    int64_t *eid = NULL;
    float *v = NULL;
    ef_eid_index ix;
    int rc = EF_OK;

    if (ef_store_exists(s, "/embeddings"))
        rc = ef_store_list(s, "/embeddings", &names, &nn, err);
    if (rc != EF_OK)
        return rc;
    if (!want && nn > 1) {
        char list[400] = "";

        for (i = 0; i < nn; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
        ef_store_free_list(names, nn);
        return ef_error_set_at(err, EF_EINVAL, d->store_path, 0, 0,
                               "the store has several embeddings (%s): choose one with --embeddings NAME", list);
    }
    if (want) {
        for (i = 0; i < nn && strcmp(names[i], want) != 0; i++)
            ;
        if (i == nn) {
            char list[400] = "";
            size_t j;

            for (j = 0; j < nn; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "", names[j]);
            ef_store_free_list(names, nn);
            return ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0, "no embeddings named '%s' (%s%s)", want,
                                   nn ? "the store has: " : "the store has none; run `ecgfit embed`", list);
        }
    } else if (nn == 0) {
        return EF_OK;
    }
    snprintf(d->emb_name, sizeof d->emb_name, "%s", want ? want : names[0]);
    ef_store_free_list(names, nn);

    snprintf(path, sizeof path, "/embeddings/%s/eid", d->emb_name);
    rc = ef_store_read_i64(s, path, &eid, &ne, err);
    if (rc == EF_OK) {
        int rank;
        uint64_t dims[2] = { 0, 0 };

        snprintf(path, sizeof path, "/embeddings/%s/values", d->emb_name);
        rc = ef_store_shape(s, path, &rank, dims, 2, err);
        if (rc == EF_OK && (rank != 2 || dims[0] != ne))
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0, "%s is not [%zu, K]", path, ne);
        d->emb_dim = (size_t)dims[1];
    }
    if (rc == EF_OK && load_values) {
        rc = ef_store_read_f32_2d_pool(s, path, &v, &rows, &cols, pool, threads, err);
        if (rc == EF_OK && (rows != ne || cols != d->emb_dim))
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0, "%s changed shape", path);
    }
    if (rc != EF_OK) {
        free(eid);
        free(v);
        return rc;
    }
    d->has_emb = ef_xcalloc(d->n ? d->n : 1, 1);
    if (v && ne == d->n && (ne == 0 || memcmp(eid, d->eid, ne * sizeof *eid) == 0)) {
        /* the participants' rows in their order (as `import embeddings` and
         * `embed` store them): the values as read, no copy */
        for (i = 0; i < d->n; i++) {
            int any = 0;

            for (size_t k = 0; k < d->emb_dim; k++)
                any |= !isnan(v[i * d->emb_dim + k]);
            d->has_emb[i] = (unsigned char)any;
        }
        d->emb = v;
        free(eid);
        return EF_OK;
    }
    ef_eid_index_build(&ix, eid, ne);
    if (load_values) {
        d->emb = ef_xmalloc((d->n ? d->n : 1) * (d->emb_dim ? d->emb_dim : 1) * sizeof *d->emb);
        for (i = 0; i < d->n * d->emb_dim; i++)
            d->emb[i] = NAN;
    }
    for (i = 0; i < d->n; i++) {
        size_t r = ef_eid_index_find(&ix, d->eid[i]), k;
        int any = 0;

        if (r == SIZE_MAX)
            continue;
        /* rows the virtual dataset leaves unfilled read as NaN: not embedded */
        for (k = 0; v && k < d->emb_dim; k++) {
            d->emb[i * d->emb_dim + k] = v[r * d->emb_dim + k];
            any |= !isnan(v[r * d->emb_dim + k]);
        }
        d->has_emb[i] = v ? (unsigned char)any : 1;
    }
    ef_eid_index_fini(&ix);
    free(eid);
    free(v);
    return EF_OK;
}

static int load_measurements(ef_store *s, ef_fdata *d, ef_error *err)
{
    char **names = NULL, path[600];
    size_t nn = 0, ne = 0, len, i, k;
    int64_t *eid = NULL;
    ef_eid_index ix;
    int rc;

    if (!ef_store_exists(s, "/ecg/measurements") || !ef_store_exists(s, "/ecg/eid"))
        return EF_OK;
    rc = ef_store_list(s, "/ecg/measurements", &names, &nn, err);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, "/ecg/eid", &eid, &ne, err);
    if (rc != EF_OK) {
        ef_store_free_list(names, nn);
        return rc;
    }
    ef_eid_index_build(&ix, eid, ne);
    d->meas_names = ef_xcalloc(nn ? nn : 1, sizeof *d->meas_names);
    d->meas = ef_xcalloc(nn ? nn : 1, sizeof *d->meas);
    for (k = 0; rc == EF_OK && k < nn; k++) {
        double *v = NULL;

        snprintf(path, sizeof path, "/ecg/measurements/%s", names[k]);
        rc = ef_store_read_f64(s, path, &v, &len, err);
        if (rc == EF_OK && len != ne)
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0, "%s has %zu rows, /ecg/eid %zu", path, len, ne);
        if (rc != EF_OK) {
            free(v);
            break;
        }
        d->meas_names[d->nmeas] = ef_xstrdup(names[k]);
        d->meas[d->nmeas] = ef_xmalloc((d->n ? d->n : 1) * sizeof(double));
        for (i = 0; i < d->n; i++) {
            size_t r = ef_eid_index_find(&ix, d->eid[i]);

            d->meas[d->nmeas][i] = r == SIZE_MAX ? NAN : v[r];
        }
        d->nmeas++;
        free(v);
    }
    ef_eid_index_fini(&ix);
    free(eid);
    ef_store_free_list(names, nn);
    return rc;
}

/* only_participants: /participants alone (export labels), no registry */
static int fdata_load(const char *store_path, const char *emb_name, int load_values, int only_participants,
                      ef_pool *pool, int threads, ef_fdata **out, ef_error *err)
{
    ef_fdata *d = ef_xcalloc(1, sizeof *d);
    ef_store *s = NULL;
    int rc;

    *out = NULL;
    d->store_path = ef_xstrdup(store_path);
    if (!only_participants)
        d->reg = ef_registry_installed(NULL); /* NULL: names resolve by the columns' own attributes */
    rc = ef_store_open_read(&s, store_path, err);
    if (rc == EF_ENOTFOUND)
        rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                             "no project store: run `ecgfit labels` first");
    if (rc == EF_OK)
        rc = load_participants(s, d, pool, threads, err);
    if (rc == EF_OK && !only_participants)
        rc = load_embeddings(s, d, emb_name, load_values, pool, threads, err);
    if (rc == EF_OK && !only_participants)
        rc = load_measurements(s, d, err);
    ef_store_close(s);
    if (rc != EF_OK) {
        ef_fdata_free(d);
        return rc;
    }
    *out = d;
    return EF_OK;
}

int ef_fdata_load(const char *store_path, const char *emb_name, int load_values, ef_fdata **out,
                  ef_error *err)
{
    return fdata_load(store_path, emb_name, load_values, 0, NULL, 1, out, err);
}

int ef_fdata_load_pool(const char *store_path, const char *emb_name, int load_values, ef_pool *pool, int threads,
                       ef_fdata **out, ef_error *err)
{
    return fdata_load(store_path, emb_name, load_values, 0, pool, threads, out, err);
}

int ef_fdata_load_participants(const char *store_path, ef_fdata **out, ef_error *err)
{
    return fdata_load(store_path, NULL, 0, 1, NULL, 1, out, err);
}

void ef_fdata_free(ef_fdata *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->ncols; i++) {
        free(d->names[i]);
        free(d->col[i]);
        free(d->field[i]);
        free(d->rule[i]);
    }
    for (i = 0; i < d->nmeas; i++) {
        free(d->meas_names[i]);
        free(d->meas[i]);
    }
    free(d->names);
    free(d->col);
    free(d->field);
    free(d->rule);
    free(d->pandas_int);
    free(d->meas_names);
    free(d->meas);
    free(d->emb);
    free(d->has_emb);
    free(d->eid);
    free(d->store_path);
    free(d);
}

/* ---- naming columns ------------------------------------------------------- */

static ef_name_cand *candidates(const ef_fdata *d)
{
    ef_name_cand *c = ef_xcalloc(d->ncols ? d->ncols : 1, sizeof *c);

    for (size_t i = 0; i < d->ncols; i++) {
        c[i].key = d->names[i];
        c[i].field = strtol(d->field[i], NULL, 10);
        c[i].rule = d->rule[i][0] ? d->rule[i] : NULL;
    }
    return c;
}

/* Column index of a /participants key or any spelling of it (ef_names.h),
 * or SIZE_MAX. */
static size_t find_column(const ef_fdata *d, const char *name)
{
    ef_name_cand *c = candidates(d);
    size_t i = ef_name_find(d->reg, c, d->ncols, name);

    free(c);
    return i;
}

static void list_columns(const ef_fdata *d, char *buf, size_t size)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < d->ncols && len < size; i++) {
        if (strcmp(d->names[i], "has_ecg") == 0)
            continue;
        len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", d->names[i]);
    }
    if (len >= size && size > 4)
        strcpy(buf + size - 4, "...");
}

int ef_fdata_target(const ef_fdata *d, const char *name, size_t *col, ef_error *err)
{
    char list[600];

    *col = find_column(d, name);
    if (*col != SIZE_MAX && strcmp(name, "has_ecg") != 0)
        return EF_OK;
    char key[64], hint[200];
    ef_name_cand *c = candidates(d);

    ef_name_hint(d->reg, c, d->ncols, name, hint, sizeof hint);
    free(c);
    list_columns(d, list, sizeof list);
    if (hint[0])
        return ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0,
                               "target '%s' is not in /participants: %s", name, hint);
    return ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0,
                           "target '%s' is not in /participants (it has: %s); extract it with "
                           "`ecgfit labels --fields %s` (the other columns stay)",
                           name, list, ef_name_canonical(d->reg, name, key, sizeof key));
}

/* ---- feature sets --------------------------------------------------------- */

enum { SRC_PART, SRC_EMB, SRC_MEAS };

/* Where a feature name's values are: kind and index, or EF_ENOTFOUND. */
static int resolve(const ef_fdata *d, const char *name, int *kind, size_t *idx, ef_error *err)
{
    size_t i;

    if (strncmp(name, "emb:", 4) == 0) {
        char *end;
        unsigned long k;

        errno = 0;
        k = strtoul(name + 4, &end, 10);
        if (!isdigit((unsigned char)name[4]) || *end || errno)
            return ef_error_set(err, EF_EINVAL, "'%s': an embedding column is emb:K, K from 0", name);
        if (!d->emb_name[0])
            return ef_error_set(err, EF_ENOTFOUND,
                                "feature %s: the store has no embeddings (run `ecgfit embed` or `ecgfit import "
                                "embeddings`)", name);
        if (k >= d->emb_dim)
            return ef_error_set(err, EF_ENOTFOUND, "feature %s: embeddings %s have %zu values (emb:0 to emb:%zu)",
                                name, d->emb_name, d->emb_dim, d->emb_dim ? d->emb_dim - 1 : 0);
        *kind = SRC_EMB;
        *idx = k;
        return EF_OK;
    }
    if (strncmp(name, "ecg:", 4) == 0) {
        for (i = 0; i < d->nmeas; i++)
            if (strcmp(d->meas_names[i], name + 4) == 0) {
                *kind = SRC_MEAS;
                *idx = i;
                return EF_OK;
            }
        if (!d->nmeas)
            return ef_error_set(err, EF_ENOTFOUND,
                                "feature %s: the store has no ECG device measurements (run `ecgfit preprocess`)",
                                name);
        return ef_error_set(err, EF_ENOTFOUND, "feature %s: no such ECG measurement (/ecg/measurements has %s%s)",
                            name, d->meas_names[0], d->nmeas > 1 ? ", ..." : "");
    }
    i = find_column(d, name);
    if (i == SIZE_MAX || strcmp(name, "has_ecg") == 0) {
        char list[400];

        list_columns(d, list, sizeof list);
        return ef_error_set(err, EF_ENOTFOUND,
                            "feature '%s' is not a /participants column (it has: %s), nor emb:K or ecg:NAME", name,
                            list);
    }
    *kind = SRC_PART;
    *idx = i;
    return EF_OK;
}

int ef_features_is_named(const char *spec)
{
    return !strcmp(spec, "basic") || !strcmp(spec, "ecg") || !strcmp(spec, "full") ||
           !strcmp(spec, "ecg-params") || !strcmp(spec, "basic+ecg-params");
}

static void push(char ***names, size_t *p, char *s)
{
    *names = ef_xreallocarray(*names, *p + 1, sizeof **names);
    (*names)[(*p)++] = s;
}

static int read_file(const char *path, char ***names, size_t *p, long **lines, ef_error *err)
{
    FILE *fp = fopen(path, "r");
    char buf[1024];
    long line = 0;

    if (!fp)
        return ef_error_set_at(err, EF_ENOTFOUND, path, 0, 0, "cannot read the feature list: %s", strerror(errno));
    while (fgets(buf, sizeof buf, fp)) {
        char *s = buf, *e;

        line++;
        if ((e = strchr(s, '#')))
            *e = '\0';
        while (isspace((unsigned char)*s))
            s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (!*s)
            continue;
        *lines = ef_xreallocarray(*lines, *p + 1, sizeof **lines);
        (*lines)[*p] = line;
        push(names, p, ef_xstrdup(s));
    }
    fclose(fp);
    if (!*p)
        return ef_error_set_at(err, EF_EDATA, path, 0, 0, "the feature list names no column");
    return EF_OK;
}

int ef_features_expand(const ef_fdata *d, const char *spec, char ***names, size_t *p, char *set_name,
                       ef_error *err)
{
    long *lines = NULL;
    size_t i, j;
    int rc = EF_OK, kind;
    int basic = !strcmp(spec, "basic") || !strcmp(spec, "full") || !strcmp(spec, "basic+ecg-params");
    int emb = !strcmp(spec, "ecg") || !strcmp(spec, "full");
    int meas = !strcmp(spec, "ecg-params") || !strcmp(spec, "basic+ecg-params");

    *names = NULL;
    *p = 0;
    if (ef_features_is_named(spec)) {
        snprintf(set_name, EF_FSET_NAME_MAX, "%s", spec);
        for (i = 0; basic && i < 3; i++)
            push(names, p, ef_xstrdup(basic_cols[i]));
        if (emb && !d->emb_name[0])
            rc = ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0,
                                 "features %s need ECG embeddings and the store has none: run `ecgfit embed` "
                                 "(or `ecgfit import embeddings FILE`)", spec);
        for (i = 0; rc == EF_OK && emb && i < d->emb_dim; i++)
            push(names, p, ef_xasprintf("emb:%zu", i));
        if (meas && !d->nmeas)
            rc = ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0,
                                 "features %s need the ECG device measurements and the store has none: run "
                                 "`ecgfit preprocess`", spec);
        for (i = 0; rc == EF_OK && meas && i < d->nmeas; i++)
            push(names, p, ef_xasprintf("ecg:%s", d->meas_names[i]));
        for (i = 0; rc == EF_OK && basic && i < 3; i++)
            if (find_column(d, basic_cols[i]) == SIZE_MAX)
                rc = ef_error_set_at(err, EF_ENOTFOUND, d->store_path, 0, 0,
                                     "features %s need age, sex and BMI, and /participants has no %s (the main "
                                     "CSV lacked it: `ecgfit labels` lists what an extract lacks)",
                                     spec, basic_cols[i]);
        for (i = 0; rc == EF_OK && i < *p; i++)
            rc = resolve(d, (*names)[i], &kind, &j, err);
        if (rc != EF_OK && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", d->store_path);
    } else {
        const char *base = strrchr(spec, '/');
        size_t len;

        base = base ? base + 1 : spec;
        len = strcspn(base, ".");
        if (!len || len >= EF_FSET_NAME_MAX)
            len = strlen(base) < EF_FSET_NAME_MAX ? strlen(base) : EF_FSET_NAME_MAX - 1;
        snprintf(set_name, EF_FSET_NAME_MAX, "%.*s", (int)len, base);
        for (i = 0; set_name[i]; i++)
            if (set_name[i] == '/')
                set_name[i] = '_';
        rc = read_file(spec, names, p, &lines, err);
        for (i = 0; rc == EF_OK && i < *p; i++) {
            rc = resolve(d, (*names)[i], &kind, &j, err);
            if (rc != EF_OK) {
                char msg[EF_ERROR_MSG_MAX];

                snprintf(msg, sizeof msg, "%s", err->msg);
                rc = ef_error_set_at(err, rc, spec, lines[i], 0, "%s", msg);
            } else if (kind == SRC_PART && strcmp((*names)[i], d->names[j]) != 0) {
                /* any spelling of a column is that column: the model names it by its key */
                free((*names)[i]);
                (*names)[i] = ef_xstrdup(d->names[j]);
            }
        }
        for (i = 0; rc == EF_OK && i < *p; i++)
            for (j = 0; rc == EF_OK && j < i; j++)
                if (strcmp((*names)[i], (*names)[j]) == 0)
                    rc = ef_error_set_at(err, EF_EINVAL, spec, lines[i], 0,
                                         "'%s' is listed twice (line %ld; the same column under any name)",
                                         (*names)[i], lines[j]);
    }
    free(lines);
    if (rc != EF_OK) {
        ef_features_free_names(*names, *p);
        *names = NULL;
        *p = 0;
    }
    return rc;
}

void ef_features_free_names(char **names, size_t p)
{
    size_t i;

    for (i = 0; i < p; i++)
        free(names[i]);
    free(names);
}

/* ---- designs -------------------------------------------------------------- */

static double value(const ef_fdata *d, int kind, size_t idx, size_t row)
{
    if (kind == SRC_EMB)
        return d->emb ? (double)d->emb[row * d->emb_dim + idx] : NAN;
    if (kind == SRC_MEAS)
        return d->meas[idx][row];
    return d->col[idx][row];
}

/* basic[]: the columns of age, sex and BMI (find_column's, SIZE_MAX when
 * absent), looked up once per design, not per row. */
static int in_cohort(const ef_fdata *d, const size_t *basic, size_t row)
{
    size_t i, k;

    if (d->has_ecg && d->has_ecg[row] != 1)
        return 0;
    for (i = 0; i < 3; i++) {
        k = basic[i];
        if (k != SIZE_MAX && isnan(d->col[k][row]))
            return 0;
    }
    return !d->has_emb || d->has_emb[row];
}

int ef_design_build(const ef_fdata *d, size_t tcol, char *const *names, size_t p, int rows, ef_design *x,
                    ef_error *err)
{
    int *kind = ef_xmalloc((p ? p : 1) * sizeof *kind);
    size_t *idx = ef_xmalloc((p ? p : 1) * sizeof *idx), i, j;
    double *xr = ef_xmalloc((p ? p : 1) * sizeof *xr);
    int rc = EF_OK;

    memset(x, 0, sizeof *x);
    x->p = p;
    for (j = 0; rc == EF_OK && j < p; j++) {
        rc = resolve(d, names[j], &kind[j], &idx[j], err);
        if (rc == EF_OK && tcol != SIZE_MAX && kind[j] == SRC_PART && idx[j] == tcol)
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0,
                                 "the target %s is also a feature: choose another feature set", d->names[tcol]);
        if (rc == EF_OK && kind[j] == SRC_EMB && !d->emb)
            rc = ef_error_set(err, EF_EINVAL, "embedding values were not loaded");
    }
    size_t basic[3];
    for (j = 0; j < 3; j++)
        basic[j] = find_column(d, basic_cols[j]);
    x->row = ef_xmalloc((d->n ? d->n : 1) * sizeof *x->row);
    x->other_row = ef_xmalloc((d->n ? d->n : 1) * sizeof *x->other_row);
    x->X = ef_xmalloc((d->n ? d->n : 1) * (p ? p : 1) * sizeof *x->X);
    x->y = ef_xmalloc((d->n ? d->n : 1) * sizeof *x->y);
    x->X_other = ef_xmalloc((d->n ? d->n : 1) * (p ? p : 1) * sizeof *x->X_other);
    x->y_other = ef_xmalloc((d->n ? d->n : 1) * sizeof *x->y_other);
    for (i = 0; rc == EF_OK && i < d->n; i++) {
        double y = tcol == SIZE_MAX ? NAN : d->col[tcol][i];
        int complete = 1, cohort = tcol == SIZE_MAX || rows == EF_ROWS_COMPLETE || in_cohort(d, basic, i);

        if (isinf(y)) {
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0,
                                 "/participants/%s is infinite for eid %lld: the store holds a bad value",
                                 d->names[tcol], (long long)d->eid[i]);
            break;
        }
        for (j = 0; j < p; j++) {
            xr[j] = value(d, kind[j], idx[j], i);
            if (isinf(xr[j])) {
                rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0,
                                     "feature %s is infinite for eid %lld: the store holds a bad value", names[j],
                                     (long long)d->eid[i]);
                break;
            }
            complete &= !isnan(xr[j]);
        }
        if (rc != EF_OK)
            break;
        x->n_cohort += (size_t)cohort;
        if (cohort && complete && (tcol == SIZE_MAX || !isnan(y))) {
            memcpy(x->X + x->n * p, xr, p * sizeof *xr);
            x->y[x->n] = y;
            x->row[x->n++] = i;
        } else {
            x->n_dropped += (size_t)cohort;
            if (complete) {
                memcpy(x->X_other + x->n_other * p, xr, p * sizeof *xr);
                x->y_other[x->n_other] = y;
                x->other_row[x->n_other++] = i;
            }
        }
    }
    if (rc == EF_OK && tcol != SIZE_MAX && x->n > 0) {
        for (i = 1; i < x->n && x->y[i] == x->y[0]; i++)
            ;
        if (i == x->n)
            rc = ef_error_set_at(err, EF_EDATA, d->store_path, 0, 0,
                                 "the target %s is constant (%g) in all %zu usable rows: there is nothing to "
                                 "predict (R2 and r are undefined)", d->names[tcol], x->y[0], x->n);
        /* constant features are kept: the seed's StandardScaler scales them to 0 */
    }
    free(kind);
    free(idx);
    free(xr);
    if (rc != EF_OK)
        ef_design_fini(x);
    return rc;
}

int ef_seed_order_by_eid(const char *rule)
{
    const char *r = rule;

    if (!r || *r++ != 'i' || !isdigit((unsigned char)*r))
        return 0;
    while (isdigit((unsigned char)*r))
        r++;
    return strcmp(r, ".mean") == 0;
}

void ef_design_seed_order(const ef_fdata *d, size_t tcol, const ef_design *x, size_t *order)
{
    int64_t *eid;
    size_t i;

    for (i = 0; i < x->n; i++)
        order[i] = i;
    if (tcol == SIZE_MAX || tcol >= d->ncols || !ef_seed_order_by_eid(d->rule[tcol]) || x->n < 2)
        return;
    /* eids are unique in /participants (labels skips repeats); ties would
     * keep design order */
    eid = ef_xmalloc(x->n * sizeof *eid);
    for (i = 0; i < x->n; i++)
        eid[i] = d->eid[x->row[i]];
    ef_eid_order(eid, x->n, order);
    free(eid);
}

void ef_design_fini(ef_design *x)
{
    free(x->row);
    free(x->X);
    free(x->y);
    free(x->other_row);
    free(x->X_other);
    free(x->y_other);
    memset(x, 0, sizeof *x);
}

typedef struct col_hash {
    uint64_t h;
    size_t j;
} col_hash;

static int cmp_hash(const void *a, const void *b)
{
    const col_hash *x = a, *y = b;

    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

size_t ef_design_duplicates(const ef_design *x, size_t *pairs, size_t max)
{
    col_hash *hs = ef_xmalloc((x->p ? x->p : 1) * sizeof *hs);
    uint64_t *h = ef_xmalloc((x->p ? x->p : 1) * sizeof *h);
    unsigned char *varies = ef_xcalloc(x->p ? x->p : 1, 1);
    size_t i, j, a, k = 0, nh = 0;

    /* every column's FNV-1a hash at once, row by row (a column at a time
     * strides through the whole matrix) */
    for (j = 0; j < x->p; j++)
        h[j] = 1469598103934665603ULL;
    for (i = 0; i < x->n; i++) {
        const double *row = x->X + i * x->p;

        for (j = 0; j < x->p; j++) {
            double v = row[j] + 0.0;   /* -0 == 0 */
            uint64_t b;

            memcpy(&b, &v, sizeof b);
            h[j] = (h[j] ^ b) * 1099511628211ULL;
            varies[j] |= row[j] != x->X[j];
        }
    }
    for (j = 0; j < x->p; j++) {
        /* constant columns are reported as such (they scale to 0), not as pairs */
        if (!varies[j])
            continue;
        hs[nh].h = h[j];
        hs[nh++].j = j;
    }
    free(h);
    free(varies);
    qsort(hs, nh, sizeof *hs, cmp_hash);
    for (a = 0; a + 1 < nh && k < max; a++) {
        size_t b = a + 1;

        if (hs[a].h != hs[b].h)
            continue;
        for (i = 0; i < x->n && x->X[i * x->p + hs[a].j] == x->X[i * x->p + hs[b].j]; i++)
            ;
        if (i == x->n) {
            pairs[2 * k] = hs[a].j;
            pairs[2 * k + 1] = hs[b].j;
            k++;
        }
    }
    free(hs);
    return k;
}
