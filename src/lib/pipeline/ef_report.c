/* ef_report.c — the stored results as tables (see ef_report.h). */
#include "config.h"
#include "pipeline/ef_report.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_resolve.h"
#include "stats/ef_metrics.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- joins ------------------------------------------------------------------ */

size_t ef_report_split_rows(const ef_result_data *d, int split, double *y, double *yhat)
{
    size_t n = 0, r;

    for (r = 0; r < d->r.n; r++) {
        int sp = d->split[r];

        if ((split == EF_SPLIT_FULL ? sp == EF_SPLIT_TRAIN || sp == EF_SPLIT_TEST : sp == split) &&
            !isnan(d->y[r]) && !isnan(d->yhat[r])) {
            y[n] = d->y[r];
            yhat[n++] = d->yhat[r];
        }
    }
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

size_t ef_report_pair_test(const ef_result_data *a, const ef_result_data *b, double *y, double *ya, double *yb)
{
    /* (eid, row) pairs of b's test rows, sorted for bsearch */
    int64_t *eb = ef_xmalloc((b->r.n ? b->r.n : 1) * 2 * sizeof *eb);
    size_t m = 0, n = 0, i;

    for (i = 0; i < b->r.n; i++)
        if (b->split[i] == EF_SPLIT_TEST) {
            eb[2 * m] = b->eid[i];
            eb[2 * m + 1] = (int64_t)i;
            m++;
        }
    qsort(eb, m, 2 * sizeof *eb, cmp_i64);
    for (i = 0; i < a->r.n; i++) {
        int64_t *hit;

        if (a->split[i] != EF_SPLIT_TEST)
            continue;
        hit = m ? bsearch(&a->eid[i], eb, m, 2 * sizeof *eb, cmp_i64) : NULL;
        if (!hit)
            continue;
        y[n] = a->y[i];
        ya[n] = a->yhat[i];
        yb[n++] = b->yhat[hit[1]];
    }
    free(eb);
    return n;
}

/* ---- the comparison table ----------------------------------------------------- */

static char *model_best(ef_store *s, const ef_result_key *k)
{
    char path[700], *best = NULL;

    snprintf(path, sizeof path, "/models/%s/%s/%s", k->target, k->features, k->model);
    if (s && ef_store_get_attr_str(s, path, "best", &best, NULL) == EF_OK)
        return best;
    return ef_xstrdup(strncmp(k->features, "fixed", 5) == 0 ? "(fixed)" : "-");
}

/* The unit of a target's MAE, RMSE and Bland-Altman numbers: the
 * /participants column's "unit" attribute ("" when it has none). */
static char *target_unit(ef_store *s, const char *target)
{
    char path[600], *unit = NULL;

    snprintf(path, sizeof path, "/participants/%s", target);
    if (s && ef_store_get_attr_str(s, path, "unit", &unit, NULL) == EF_OK)
        return unit;
    return ef_xstrdup("");
}

/* Text columns; CSV appends "unit" after "chosen" so that the earlier
 * columns keep their positions. */
enum { C_TARGET, C_UNIT, C_FEATURES, C_MODEL, C_N, C_R, C_R2, C_MAE, C_RMSE, C_BA, C_CHOSEN, C_NTEXT };
enum { X_CHOSEN = 19, X_UNIT = 20, X_NCSV };

static ef_table *comparison_table(int split, int expanded)
{
    static const char *const head_text[] = { "target", "unit", "features", "model", "n", "r [95% CI]",
                                             "R2 [95% CI]", "MAE [95% CI]", "RMSE", "BA bias [LoA]", "chosen" };
    /* priority when the text is too narrow: 0 stays, 1 goes first; the
     * unit goes with the last column it applies to (MAE) */
    static const int prio[] = { 0, 4, 0, 0, 6, 0, 5, 4, 3, 2, 1 };
    static const char *const head_csv[] = { "target", "features", "model", "split", "n", "r", "r_lo", "r_hi",
                                            "r2", "r2_lo", "r2_hi", "mae", "mae_lo", "mae_hi", "mse", "rmse",
                                            "ba_bias", "ba_lo", "ba_hi", "chosen", "unit" };
    ef_table *t = ef_table_new(NULL);
    size_t j;
    char cap[256];

    if (expanded) {
        for (j = 0; j < X_NCSV; j++)
            ef_table_add_col(t, head_csv[j], j < 4 || j >= X_CHOSEN ? EF_TABLE_LEFT : EF_TABLE_RIGHT);
    } else {
        for (j = 0; j < C_NTEXT; j++) {
            ef_table_add_col(t, head_text[j],
                             j <= C_MODEL || j == C_CHOSEN ? EF_TABLE_LEFT : EF_TABLE_RIGHT);
            ef_table_col_priority(t, j, prio[j]);
        }
        ef_table_col_group(t, C_UNIT, "absolute error");
        ef_table_col_group(t, C_MAE, "absolute error");
    }
    snprintf(cap, sizeof cap, "Model comparison, %s rows (r: Pearson with Fisher-z CI; R2, MAE: bootstrap CI; "
                              "BA: Bland-Altman bias and limits of agreement)",
             ef_split_name(split));
    ef_table_set_title(t, cap);
    return t;
}

/* Row order: by target, the trained models first and the published
 * (fixed) ones after them, otherwise as the keys come (sorted). */
typedef struct key_order {
    const ef_result_key *k;
    size_t i;
} key_order;

static int is_fixed(const ef_result_key *k)
{
    return strcmp(k->features, "fixed") == 0;
}

static int cmp_order(const void *a, const void *b)
{
    const key_order *x = a, *y = b;
    int c = strcmp(x->k->target, y->k->target);

    if (c)
        return c;
    if (is_fixed(x->k) != is_fixed(y->k))
        return is_fixed(x->k) - is_fixed(y->k);
    return x->i < y->i ? -1 : x->i > y->i;
}

int ef_report_comparison(const char *store_path, const ef_result_key *keys_in, size_t nk, int split,
                         int expanded, ef_table **out, ef_error *err)
{
    ef_table *t = comparison_table(split, expanded);
    ef_store *s = NULL;
    key_order *ord = ef_xmalloc((nk ? nk : 1) * sizeof *ord);
    ef_result_key *keys = ef_xmalloc((nk ? nk : 1) * sizeof *keys);
    size_t i;
    int rc = EF_OK;

    *out = NULL;
    for (i = 0; i < nk; i++) {
        ord[i].k = &keys_in[i];
        ord[i].i = i;
    }
    qsort(ord, nk, sizeof *ord, cmp_order);
    for (i = 0; i < nk; i++)
        keys[i] = *ord[i].k;
    free(ord);
    ef_store_open_read(&s, store_path, NULL);   /* only for "chosen": absent is fine */
    for (i = 0; rc == EF_OK && i < nk; i++) {
        ef_result_data d;
        const ef_metrics *m;
        double *y, *yh, bias = NAN, sd, lo = NAN, hi = NAN;
        size_t n, row;
        int sl = split == EF_SPLIT_TRAIN ? 0 : split == EF_SPLIT_TEST ? 1 : 2;

        rc = ef_result_load(store_path, &keys[i], &d, err);
        if (rc != EF_OK)
            break;
        if (!d.r.has_metrics[sl]) {
            ef_result_data_fini(&d);
            continue;
        }
        m = &d.r.metrics[sl];
        y = ef_xmalloc((d.r.n ? d.r.n : 1) * sizeof *y);
        yh = ef_xmalloc((d.r.n ? d.r.n : 1) * sizeof *yh);
        n = ef_report_split_rows(&d, split, y, yh);
        if (n >= 2)
            ef_bland_altman(y, yh, n, &bias, &sd, &lo, &hi);
        row = ef_table_add_row(t);
        ef_table_set(t, row, C_TARGET, keys[i].target);
        ef_table_set(t, row, expanded ? 1 : C_FEATURES, keys[i].features);
        ef_table_set(t, row, expanded ? 2 : C_MODEL, keys[i].model);
        if (expanded) {
            double v[15] = { (double)m->n, m->r, m->r_lo, m->r_hi, m->r2, m->r2_lo, m->r2_hi, m->mae,
                             m->mae_lo, m->mae_hi, m->mse, m->rmse, bias, lo, hi };
            size_t j;

            ef_table_set(t, row, 3, ef_split_name(split));
            for (j = 0; j < 15; j++)
                ef_table_set_num(t, row, 4 + j, v[j], 0);
        } else {
            ef_table_set_num(t, row, C_N, (double)m->n, 0);
            ef_table_set_ci(t, row, C_R, m->r, m->r_lo, m->r_hi, 3);
            ef_table_set_ci(t, row, C_R2, m->r2, m->r2_lo, m->r2_hi, 3);
            ef_table_set_ci(t, row, C_MAE, m->mae, m->mae_lo, m->mae_hi, 2);
            ef_table_set_num(t, row, C_RMSE, m->rmse, 2);
            ef_table_set_ci(t, row, C_BA, bias, lo, hi, 2);
        }
        {
            char *best = model_best(s, &keys[i]), *unit = target_unit(s, keys[i].target);

            ef_table_set(t, row, expanded ? X_CHOSEN : C_CHOSEN, best);
            ef_table_set(t, row, expanded ? X_UNIT : C_UNIT, unit);
            free(best);
            free(unit);
        }
        free(y);
        free(yh);
        ef_result_data_fini(&d);
    }
    ef_store_close(s);
    free(keys);
    if (rc != EF_OK) {
        ef_table_free(t);
        return rc;
    }
    *out = t;
    return EF_OK;
}

/* ---- the targets ------------------------------------------------------------ */

int ef_report_targets(const char *store_path, ef_report_target **out, size_t *n, ef_error *err)
{
    ef_store *s = NULL;
    char **cols = NULL;
    size_t ncols = 0, i;
    int rc;

    *out = NULL;
    *n = 0;
    rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    if (ef_store_exists(s, "/participants"))
        rc = ef_store_list(s, "/participants", &cols, &ncols, err);
    for (i = 0; rc == EF_OK && i < ncols; i++) {
        char *path = ef_xasprintf("/participants/%s", cols[i]), *role = NULL, *label = NULL;
        double v = -1;

        if (ef_store_get_attr_str(s, path, "role", &role, NULL) == EF_OK && strcmp(role, "target") == 0) {
            ef_report_target *t;

            ef_store_get_attr_f64(s, path, "n_with_ecg_demographics", &v, NULL);
            ef_store_get_attr_str(s, path, "label", &label, NULL);
            *out = ef_xreallocarray(*out, *n + 1, sizeof **out);
            t = &(*out)[(*n)++];
            t->key = ef_xstrdup(cols[i]);
            t->label = ef_xstrdup(label && *label ? label : cols[i]);
            t->unit = target_unit(s, cols[i]);
            t->n = v >= 0 ? (long long)v : -1;
        }
        free(role);
        free(label);
        free(path);
    }
    ef_store_free_list(cols, ncols);
    ef_store_close(s);
    return rc;
}

void ef_report_targets_free(ef_report_target *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].key);
        free(t[i].label);
        free(t[i].unit);
    }
    free(t);
}

/* ---- top features ------------------------------------------------------------ */

typedef struct rank_item {
    double v;
    size_t j;
} rank_item;

static int cmp_rank(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;

    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

int ef_report_rank_load(const char *store_path, const ef_result_key *k, ef_report_rank *r, ef_error *err)
{
    ef_stored_model sm;
    rank_item *it;
    size_t p, j;
    int rc;

    memset(r, 0, sizeof *r);
    r->measure = "importance";
    r->cv_mean = r->cv_sd = NAN;
    rc = ef_model_load(store_path, k, &sm, err);
    if (rc != EF_OK)
        return rc;
    r->best = ef_xstrdup(sm.fit->best);
    r->ngrid = sm.fit->ngrid;
    for (j = 0; j < sm.fit->ngrid; j++)   /* the grid point chosen: the best mean score */
        if (isnan(r->cv_mean) || sm.fit->grid[j].mean_score > r->cv_mean) {
            r->cv_mean = sm.fit->grid[j].mean_score;
            r->cv_sd = sm.fit->grid[j].std_score;
        }
    if (!sm.fit->importance) {
        ef_stored_model_fini(&sm);
        return EF_OK;
    }
    p = sm.fit->p;
    it = ef_xmalloc((p ? p : 1) * sizeof *it);
    for (j = 0; j < p; j++) {
        it[j].v = sm.fit->importance[j];
        it[j].j = j;
    }
    qsort(it, p, sizeof *it, cmp_rank);
    r->measure = sm.fit->coef ? "abs(coef)" : sm.fit->kind == EF_MODEL_XGB ? "gain" : "importance";
    r->p = p;
    r->names = ef_xcalloc(p ? p : 1, sizeof *r->names);
    r->value = ef_xmalloc((p ? p : 1) * sizeof *r->value);
    r->coef = sm.fit->coef ? ef_xmalloc((p ? p : 1) * sizeof *r->coef) : NULL;
    for (j = 0; j < p; j++) {
        r->names[j] = ef_xstrdup(sm.names[it[j].j]);
        r->value[j] = it[j].v;
        if (r->coef)
            r->coef[j] = sm.fit->coef[it[j].j];
    }
    free(it);
    ef_stored_model_fini(&sm);
    return EF_OK;
}

void ef_report_rank_fini(ef_report_rank *r)
{
    for (size_t j = 0; j < r->p; j++)
        free(r->names[j]);
    free(r->names);
    free(r->value);
    free(r->coef);
    free(r->best);
    memset(r, 0, sizeof *r);
}

int ef_report_top_features(const char *store_path, const ef_result_key *k, size_t top, ef_table **out,
                           ef_error *err)
{
    ef_report_rank rk;
    ef_table *t;
    size_t p, j;
    char cap[400];
    int rc;

    *out = NULL;
    rc = ef_report_rank_load(store_path, k, &rk, err);
    if (rc == EF_ENOTFOUND)   /* a fixed (replicated) model: nothing ranked */
        return EF_OK;
    if (rc != EF_OK)
        return rc;
    if (!rk.p) {
        ef_report_rank_fini(&rk);
        return EF_OK;
    }
    p = rk.p;
    snprintf(cap, sizeof cap, "Top %zu features of %s/%s/%s (%s)", top < p ? top : p, k->target, k->features,
             k->model, rk.best);
    t = ef_table_new(cap);
    ef_table_add_col(t, "rank", EF_TABLE_LEFT);
    ef_table_add_col(t, "feature", EF_TABLE_LEFT);
    ef_table_add_col(t, rk.measure, EF_TABLE_RIGHT);
    if (rk.coef)
        ef_table_add_col(t, "coef (per SD)", EF_TABLE_RIGHT);
    for (j = 0; j < p && j < top; j++) {
        size_t row = ef_table_add_row(t);

        ef_table_setf(t, row, 0, "%zu", j + 1);
        ef_table_set(t, row, 1, rk.names[j]);
        ef_table_set_num(t, row, 2, rk.value[j], 4);
        if (rk.coef)
            ef_table_set_num(t, row, 3, rk.coef[j], 4);
    }
    ef_report_rank_fini(&rk);
    *out = t;
    return EF_OK;
}

/* ---- paired Delta R2 ------------------------------------------------------------ */

int ef_report_compare(const char *store_path, const char *spec, ef_table **out, ef_error *err)
{
    char b1[512], b2[512], first[512];
    const char *comma = strchr(spec, ',');
    ef_result_key k1, k2;
    ef_result_data a, b;
    char *t1 = NULL, *t2 = NULL;
    double *y, *ya, *yb, d, lo, hi;
    size_t n, row;
    ef_table *t;
    int rc;

    *out = NULL;
    if (!comma || strchr(comma + 1, ','))
        return ef_error_set(err, EF_EINVAL, "--compare takes two results, T/F/M1,T/F/M2");
    snprintf(first, sizeof first, "%.*s", (int)(comma - spec), spec);
    rc = ef_result_key_parse(first, &k1, b1, sizeof b1, err);
    if (rc == EF_OK)
        rc = ef_result_key_parse(comma + 1, &k2, b2, sizeof b2, err);
    if (rc == EF_OK)
        rc = ef_resolve_result_target_at(store_path, k1.target, &t1, err);
    if (rc == EF_OK)
        rc = ef_resolve_result_target_at(store_path, k2.target, &t2, err);
    k1.target = t1;
    k2.target = t2;
    if (rc == EF_OK)
        rc = ef_result_load(store_path, &k1, &a, err);
    if (rc != EF_OK) {
        free(t1);
        free(t2);
        return rc;
    }
    rc = ef_result_load(store_path, &k2, &b, err);
    free(t1);
    free(t2);
    if (rc != EF_OK) {
        ef_result_data_fini(&a);
        return rc;
    }
    y = ef_xmalloc((a.r.n ? a.r.n : 1) * sizeof *y);
    ya = ef_xmalloc((a.r.n ? a.r.n : 1) * sizeof *ya);
    yb = ef_xmalloc((a.r.n ? a.r.n : 1) * sizeof *yb);
    n = ef_report_pair_test(&a, &b, y, ya, yb);
    if (n < 2)
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0,
                             "%s and %s share %zu test row%s: nothing to compare (train both on the same target "
                             "with the same --seed, --test-size and --rows)",
                             first, comma + 1, n, n == 1 ? "" : "s");
    if (rc == EF_OK)
        rc = ef_delta_r2(y, ya, yb, n, 42, EF_NBOOT, &d, &lo, &hi, err);
    if (rc == EF_OK) {
        t = ef_table_new("Paired difference in test R2 (1,000 bootstrap resamples of the shared test rows, "
                         "seed 42)");
        ef_table_add_col(t, "model A", EF_TABLE_LEFT);
        ef_table_add_col(t, "model B", EF_TABLE_LEFT);
        ef_table_add_col(t, "shared test rows", EF_TABLE_RIGHT);
        ef_table_add_col(t, "\xce\x94R2 (A - B)", EF_TABLE_RIGHT);
        ef_table_add_col(t, "95% CI lo", EF_TABLE_RIGHT);
        ef_table_add_col(t, "95% CI hi", EF_TABLE_RIGHT);
        row = ef_table_add_row(t);
        ef_table_set(t, row, 0, first);
        ef_table_set(t, row, 1, comma + 1);
        ef_table_setf(t, row, 2, "%zu", n);
        ef_table_set_num(t, row, 3, d, 4);
        ef_table_set_num(t, row, 4, lo, 4);
        ef_table_set_num(t, row, 5, hi, 4);
        *out = t;
    }
    free(y);
    free(ya);
    free(yb);
    ef_result_data_fini(&a);
    ef_result_data_fini(&b);
    return rc;
}

/* ---- the stages' summaries ------------------------------------------------------- */

ef_table *ef_report_train_summary(const ef_train_summary *s)
{
    /* The widths the table had as printf columns, so short runs line up. */
    static const struct {
        const char *head;
        int align, prio;
        size_t min;
        int gap;
    } c[] = {
        { "target", EF_TABLE_LEFT, 0, 14, 0 },  { "features", EF_TABLE_LEFT, 0, 16, 1 },
        { "model", EF_TABLE_LEFT, 0, 10, 1 },   { "train", EF_TABLE_RIGHT, 2, 6, 1 },
        { "test", EF_TABLE_RIGHT, 0, 6, 1 },    { "test r [95% CI]", EF_TABLE_LEFT, 0, 22, 2 },
        { "R2", EF_TABLE_RIGHT, 0, 7, 1 },      { "MAE", EF_TABLE_RIGHT, 4, 7, 1 },
        { "RMSE", EF_TABLE_RIGHT, 3, 7, 1 },    { "chosen", EF_TABLE_LEFT, 1, 0, 2 },
    };
    ef_table *t = ef_table_new(NULL);
    size_t i, j;

    for (j = 0; j < sizeof c / sizeof c[0]; j++) {
        ef_table_add_col(t, c[j].head, c[j].align);
        ef_table_col_priority(t, j, c[j].prio);
        ef_table_col_layout(t, j, c[j].min, 0, c[j].gap);
    }
    for (i = 0; i < s->nrows; i++) {
        const ef_train_row *r = &s->rows[i];
        const ef_metrics *m = &r->m[1];
        size_t row = ef_table_add_row(t);

        ef_table_set(t, row, 0, r->target);
        ef_table_set(t, row, 1, r->features);
        ef_table_set(t, row, 2, r->model);
        ef_table_set_num(t, row, 3, (double)r->n_train, 0);
        ef_table_set_num(t, row, 4, (double)r->n_test, 0);
        ef_table_set_ci(t, row, 5, m->r, m->r_lo, m->r_hi, 3);
        ef_table_set_num(t, row, 6, m->r2, 3);
        ef_table_set_num(t, row, 7, m->mae, 3);
        ef_table_set_num(t, row, 8, m->rmse, 3);
        ef_table_set(t, row, 9, r->best);
    }
    return t;
}

ef_table *ef_report_replicate_summary(const ef_replicate_summary *s)
{
    ef_table *t = ef_table_new(NULL);
    size_t i;

    ef_table_set_indent(t, 2);
    ef_table_add_col(t, "model", EF_TABLE_LEFT);
    ef_table_add_col(t, "predicted", EF_TABLE_RIGHT);
    ef_table_add_col(t, "n", EF_TABLE_RIGHT);
    ef_table_add_col(t, "r [95% CI]", EF_TABLE_RIGHT);
    ef_table_add_col(t, "R2", EF_TABLE_RIGHT);
    ef_table_add_col(t, "MAE [95% CI]", EF_TABLE_RIGHT);
    ef_table_add_col(t, "RMSE", EF_TABLE_RIGHT);
    ef_table_col_priority(t, 1, 2);
    ef_table_col_priority(t, 6, 1);
    for (i = 0; i < s->nrows; i++) {
        const ef_replicate_row *r = &s->rows[i];
        int has = r->has_metrics && r->m.n >= 2;
        size_t row = ef_table_add_row(t);

        ef_table_set(t, row, 0, ef_rep_model_result_name(r->model));
        ef_table_set_num(t, row, 1, (double)r->predicted, 0);
        ef_table_set_num(t, row, 2, (double)r->with_target, 0);
        ef_table_set_ci(t, row, 3, has ? r->m.r : NAN, r->m.r_lo, r->m.r_hi, 3);
        ef_table_set_num(t, row, 4, has ? r->m.r2 : NAN, 3);
        ef_table_set_ci(t, row, 5, has ? r->m.mae : NAN, r->m.mae_lo, r->m.mae_hi, 3);
        ef_table_set_num(t, row, 6, has ? r->m.rmse : NAN, 3);
        if (!has)
            ef_table_add_note(t, "%s: no metrics (fewer than 2 participants with the target)",
                              ef_rep_model_result_name(r->model));
        if (r->missing_inputs)
            ef_table_add_note(t, "%s: %zu participants of the cohort lack an input",
                              ef_rep_model_result_name(r->model), r->missing_inputs);
    }
    return t;
}
