/* cli_report.c — `ecgfit [-C DIR] report`: every stored result as one
 * comparison table (targets x feature sets x models), for the terminal or a
 * paper (md, LaTeX, CSV); top features, paired Delta R2, Bland-Altman. */
#include "config.h"
#include "cli.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_results.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_report;

enum { F_TEXT, F_MD, F_LATEX, F_CSV };

/* ---- a table of text cells and its renderers ------------------------------ */
/* tbl_row takes a calloc'ed array of new strings and owns both. */

typedef struct tbl {
    size_t ncol, nrow;    /* row 0 is the header */
    char **cell;
    unsigned left;        /* bit j: column j is text, left-aligned */
} tbl;

static void tbl_row(tbl *t, char **cells)
{
    size_t j;

    t->cell = ef_xreallocarray(t->cell, (t->nrow + 1) * t->ncol, sizeof *t->cell);
    for (j = 0; j < t->ncol; j++)
        t->cell[t->nrow * t->ncol + j] = cells[j];
    t->nrow++;
    free(cells);   /* the table owns the strings now */
}

static void tbl_free(tbl *t)
{
    size_t i;

    for (i = 0; i < t->nrow * t->ncol; i++)
        free(t->cell[i]);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

static void latex_cell(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (strchr("_%&#$", *s))
            fputc('\\', fp);
        if (*s == '\xce' && s[1] == '\x94') {   /* UTF-8 Delta */
            fputs("$\\Delta$", fp);
            s++;
            continue;
        }
        fputc(*s, fp);
    }
}

static void csv_cell(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\n")) {
        fputc('"', fp);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', fp);
            fputc(*s, fp);
        }
        fputc('"', fp);
    } else {
        fputs(s, fp);
    }
}

static size_t width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;   /* count UTF-8 characters */
    return w;
}

static void tbl_print(FILE *fp, const tbl *t, int fmt, const char *caption)
{
    size_t *w = ef_xcalloc(t->ncol, sizeof *w), i, j;

    for (i = 0; i < t->nrow; i++)
        for (j = 0; j < t->ncol; j++)
            if (width(t->cell[i * t->ncol + j]) > w[j])
                w[j] = width(t->cell[i * t->ncol + j]);
    if (fmt == F_LATEX) {
        fprintf(fp, "\\begin{table}\n\\centering\n\\caption{");
        latex_cell(fp, caption);
        fprintf(fp, "}\n\\begin{tabular}{");
        for (j = 0; j < t->ncol; j++)
            fputc(t->left >> j & 1 ? 'l' : 'r', fp);
        fprintf(fp, "}\n\\hline\n");
    } else if (fmt == F_MD || fmt == F_TEXT) {
        fprintf(fp, fmt == F_MD ? "**%s**\n\n" : "%s\n", caption);
    }
    for (i = 0; i < t->nrow; i++) {
        for (j = 0; j < t->ncol; j++) {
            const char *c = t->cell[i * t->ncol + j];
            size_t pad = w[j] - width(c);

            switch (fmt) {
            case F_CSV:
                if (j)
                    fputc(',', fp);
                csv_cell(fp, c);
                break;
            case F_MD:
                fprintf(fp, "| %s%*s ", c, (int)pad, "");
                break;
            case F_LATEX:
                if (j)
                    fputs(" & ", fp);
                latex_cell(fp, c);
                break;
            default:
                if (j)
                    fputs("  ", fp);
                if (t->left >> j & 1)
                    fprintf(fp, "%s%*s", c, j + 1 < t->ncol ? (int)pad : 0, "");
                else
                    fprintf(fp, "%*s%s", (int)pad, "", c);
            }
        }
        if (fmt == F_MD)
            fputc('|', fp);
        if (fmt == F_LATEX)
            fputs(" \\\\", fp);
        fputc('\n', fp);
        if (i == 0 && fmt == F_MD) {
            for (j = 0; j < t->ncol; j++)
                fprintf(fp, "|-%.*s%s", (int)w[j],
                        "--------------------------------------------------------------------------------",
                        t->left >> j & 1 ? "-" : ":");
            fputs("|\n", fp);
        }
        if (i == 0 && fmt == F_LATEX)
            fputs("\\hline\n", fp);
    }
    if (fmt == F_LATEX)
        fputs("\\hline\n\\end{tabular}\n\\end{table}\n", fp);
    if (fmt != F_CSV)
        fputc('\n', fp);
    free(w);
}

/* ---- numbers -------------------------------------------------------------- */

static char *num(double v, int dec, int fmt)
{
    char buf[64];

    if (fmt == F_CSV)
        return ef_xstrdup(isnan(v) ? "" : ef_numfmt_short(v, buf, sizeof buf));
    if (isnan(v))
        return ef_xstrdup("-");
    return ef_xasprintf("%.*f", dec, v);
}

static char *with_ci(double v, double lo, double hi, int dec)
{
    if (isnan(v))
        return ef_xstrdup("-");
    if (isnan(lo) || isnan(hi))
        return ef_xasprintf("%.*f", dec, v);
    return ef_xasprintf("%.*f [%.*f, %.*f]", dec, v, dec, lo, dec, hi);
}

static char *model_best(ef_store *s, const ef_result_key *k)
{
    char path[700], *best = NULL;

    snprintf(path, sizeof path, "/models/%s/%s/%s", k->target, k->features, k->model);
    if (s && ef_store_get_attr_str(s, path, "best", &best, NULL) == EF_OK)
        return best;
    return ef_xstrdup(strncmp(k->features, "fixed", 5) == 0 ? "(fixed)" : "-");
}

/* ---- the comparison table ------------------------------------------------- */

static int comparison(FILE *fp, const char *store, const ef_result_key *keys, size_t nk, int split, int fmt,
                      ef_error *err)
{
    static const char *const head_text[] = { "target", "features", "model", "n", "r [95% CI]", "R2 [95% CI]",
                                             "MAE [95% CI]", "RMSE", "BA bias [LoA]", "chosen" };
    static const char *const head_csv[] = { "target", "features", "model", "split", "n", "r", "r_lo", "r_hi",
                                            "r2", "r2_lo", "r2_hi", "mae", "mae_lo", "mae_hi", "mse", "rmse",
                                            "ba_bias", "ba_lo", "ba_hi", "chosen" };
    size_t ncol = fmt == F_CSV ? 20 : 10, i, j;
    tbl t = { ncol, 0, NULL, fmt == F_CSV ? 0x8000fu : 0x207u };
    ef_store *s = NULL;
    char **cells = ef_xcalloc(ncol, sizeof *cells), cap[256];
    int rc = EF_OK;

    for (j = 0; j < ncol; j++)
        cells[j] = ef_xstrdup(fmt == F_CSV ? head_csv[j] : head_text[j]);
    tbl_row(&t, cells);
    ef_store_open_read(&s, store, NULL);
    for (i = 0; rc == EF_OK && i < nk; i++) {
        ef_result_data d;
        const ef_metrics *m;
        double *y, *yh, bias = NAN, sd, lo = NAN, hi = NAN;
        size_t n = 0, r;
        int sl = split == EF_SPLIT_TRAIN ? 0 : split == EF_SPLIT_TEST ? 1 : 2;

        rc = ef_result_load(store, &keys[i], &d, err);
        if (rc != EF_OK)
            break;
        if (!d.r.has_metrics[sl]) {
            ef_result_data_fini(&d);
            continue;
        }
        m = &d.r.metrics[sl];
        y = ef_xmalloc((d.r.n ? d.r.n : 1) * sizeof *y);
        yh = ef_xmalloc((d.r.n ? d.r.n : 1) * sizeof *yh);
        for (r = 0; r < d.r.n; r++) {
            int sp = d.split[r];

            if ((split == EF_SPLIT_FULL ? sp == EF_SPLIT_TRAIN || sp == EF_SPLIT_TEST : sp == split) &&
                !isnan(d.y[r]) && !isnan(d.yhat[r])) {
                y[n] = d.y[r];
                yh[n++] = d.yhat[r];
            }
        }
        if (n >= 2)
            ef_bland_altman(y, yh, n, &bias, &sd, &lo, &hi);
        cells = ef_xcalloc(ncol, sizeof *cells);
        cells[0] = ef_xstrdup(keys[i].target);
        cells[1] = ef_xstrdup(keys[i].features);
        cells[2] = ef_xstrdup(keys[i].model);
        if (fmt == F_CSV) {
            double v[15] = { (double)m->n, m->r, m->r_lo, m->r_hi, m->r2, m->r2_lo, m->r2_hi, m->mae,
                             m->mae_lo, m->mae_hi, m->mse, m->rmse, bias, lo, hi };

            cells[3] = ef_xstrdup(ef_split_name(split));
            for (j = 0; j < 15; j++)
                cells[4 + j] = num(v[j], 0, fmt);
            cells[19] = model_best(s, &keys[i]);
        } else {
            cells[3] = ef_xasprintf("%zu", m->n);
            cells[4] = with_ci(m->r, m->r_lo, m->r_hi, 3);
            cells[5] = with_ci(m->r2, m->r2_lo, m->r2_hi, 3);
            cells[6] = with_ci(m->mae, m->mae_lo, m->mae_hi, 2);
            cells[7] = num(m->rmse, 2, fmt);
            cells[8] = isnan(bias) ? ef_xstrdup("-") : ef_xasprintf("%.2f [%.2f, %.2f]", bias, lo, hi);
            cells[9] = model_best(s, &keys[i]);
        }
        tbl_row(&t, cells);
        free(y);
        free(yh);
        ef_result_data_fini(&d);
    }
    ef_store_close(s);
    snprintf(cap, sizeof cap, "Model comparison, %s rows (r: Pearson with Fisher-z CI; R2, MAE: bootstrap CI; "
                              "BA: Bland-Altman bias and limits of agreement)",
             ef_split_name(split));
    if (rc == EF_OK)
        tbl_print(fp, &t, fmt, cap);
    tbl_free(&t);
    return rc;
}

/* ---- top features ----------------------------------------------------------- */

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

static int top_features(FILE *fp, const char *store, const ef_result_key *keys, size_t nk, size_t top, int fmt,
                        ef_error *err)
{
    size_t i, j;
    int rc = EF_OK;

    for (i = 0; rc == EF_OK && i < nk; i++) {
        ef_stored_model sm;
        rank_item *it;
        tbl t;
        char **cells, cap[400];
        size_t p;

        rc = ef_model_load(store, &keys[i], &sm, err);
        if (rc == EF_ENOTFOUND) {   /* a fixed (replicated) model: nothing ranked */
            rc = EF_OK;
            continue;
        }
        if (rc != EF_OK)
            break;
        if (!sm.fit->importance) {
            ef_stored_model_fini(&sm);
            continue;
        }
        p = sm.fit->p;
        it = ef_xmalloc((p ? p : 1) * sizeof *it);
        for (j = 0; j < p; j++) {
            it[j].v = sm.fit->importance[j];
            it[j].j = j;
        }
        qsort(it, p, sizeof *it, cmp_rank);
        t.ncol = sm.fit->coef ? 4 : 3;
        t.nrow = 0;
        t.cell = NULL;
        t.left = 0x3;
        cells = ef_xcalloc(t.ncol, sizeof *cells);
        cells[0] = ef_xstrdup("rank");
        cells[1] = ef_xstrdup("feature");
        cells[2] = ef_xstrdup(sm.fit->coef ? "abs(coef)" : sm.fit->kind == EF_MODEL_XGB ? "gain" : "importance");
        if (sm.fit->coef)
            cells[3] = ef_xstrdup("coef (per SD)");
        tbl_row(&t, cells);
        for (j = 0; j < p && j < top; j++) {
            cells = ef_xcalloc(t.ncol, sizeof *cells);
            cells[0] = ef_xasprintf("%zu", j + 1);
            cells[1] = ef_xstrdup(sm.names[it[j].j]);
            cells[2] = num(it[j].v, 4, fmt);
            if (sm.fit->coef)
                cells[3] = num(sm.fit->coef[it[j].j], 4, fmt);
            tbl_row(&t, cells);
        }
        snprintf(cap, sizeof cap, "Top %zu features of %s/%s/%s (%s)", top < p ? top : p, keys[i].target,
                 keys[i].features, keys[i].model, sm.fit->best);
        tbl_print(fp, &t, fmt, cap);
        tbl_free(&t);
        free(it);
        ef_stored_model_fini(&sm);
    }
    return rc;
}

/* ---- paired Delta R2 -------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

static int compare(FILE *fp, const char *store, const char *spec, int fmt, ef_error *err)
{
    char b1[512], b2[512], *comma = strchr(spec, ','), first[512];
    ef_result_key k1, k2;
    ef_result_data a, b;
    char *t1 = NULL, *t2 = NULL;
    int64_t *eb;
    double *y, *ya, *yb, d, lo, hi;
    size_t n = 0, i;
    tbl t = { 6, 0, NULL, 0x3 };
    char **cells;
    int rc;

    if (!comma || strchr(comma + 1, ','))
        return ef_error_set(err, EF_EINVAL, "--compare takes two results, T/F/M1,T/F/M2");
    snprintf(first, sizeof first, "%.*s", (int)(comma - spec), spec);
    rc = ef_result_key_parse(first, &k1, b1, sizeof b1, err);
    if (rc == EF_OK)
        rc = ef_result_key_parse(comma + 1, &k2, b2, sizeof b2, err);
    if (rc == EF_OK)
        rc = ef_resolve_result_target_at(store, k1.target, &t1, err);
    if (rc == EF_OK)
        rc = ef_resolve_result_target_at(store, k2.target, &t2, err);
    k1.target = t1;
    k2.target = t2;
    if (rc == EF_OK)
        rc = ef_result_load(store, &k1, &a, err);
    if (rc != EF_OK) {
        free(t1);
        free(t2);
        return rc;
    }
    rc = ef_result_load(store, &k2, &b, err);
    free(t1);
    free(t2);
    if (rc != EF_OK) {
        ef_result_data_fini(&a);
        return rc;
    }
    /* test rows of both, matched by eid, measured value taken from the first */
    eb = ef_xmalloc((b.r.n ? b.r.n : 1) * 2 * sizeof *eb);
    {
        size_t m = 0;

        for (i = 0; i < b.r.n; i++)
            if (b.split[i] == EF_SPLIT_TEST) {
                eb[2 * m] = b.eid[i];
                eb[2 * m + 1] = (int64_t)i;
                m++;
            }
        qsort(eb, m, 2 * sizeof *eb, cmp_i64);
        y = ef_xmalloc((a.r.n ? a.r.n : 1) * sizeof *y);
        ya = ef_xmalloc((a.r.n ? a.r.n : 1) * sizeof *ya);
        yb = ef_xmalloc((a.r.n ? a.r.n : 1) * sizeof *yb);
        for (i = 0; i < a.r.n; i++) {
            int64_t *hit;

            if (a.split[i] != EF_SPLIT_TEST)
                continue;
            hit = m ? bsearch(&a.eid[i], eb, m, 2 * sizeof *eb, cmp_i64) : NULL;
            if (!hit)
                continue;
            y[n] = a.y[i];
            ya[n] = a.yhat[i];
            yb[n++] = b.yhat[hit[1]];
        }
    }
    if (n < 2)
        rc = ef_error_set_at(err, EF_EDATA, store, 0, 0,
                             "%s and %s share %zu test row%s: nothing to compare (train both on the same target "
                             "with the same --seed, --test-size and --rows)",
                             first, comma + 1, n, n == 1 ? "" : "s");
    if (rc == EF_OK)
        rc = ef_delta_r2(y, ya, yb, n, 42, EF_NBOOT, &d, &lo, &hi, err);
    if (rc == EF_OK) {
        cells = ef_xcalloc(6, sizeof *cells);
        cells[0] = ef_xstrdup("model A");
        cells[1] = ef_xstrdup("model B");
        cells[2] = ef_xstrdup("shared test rows");
        cells[3] = ef_xstrdup("\xce\x94R2 (A - B)");
        cells[4] = ef_xstrdup("95% CI lo");
        cells[5] = ef_xstrdup("95% CI hi");
        tbl_row(&t, cells);
        cells = ef_xcalloc(6, sizeof *cells);
        cells[0] = ef_xstrdup(first);
        cells[1] = ef_xstrdup(comma + 1);
        cells[2] = ef_xasprintf("%zu", n);
        cells[3] = num(d, 4, fmt);
        cells[4] = num(lo, 4, fmt);
        cells[5] = num(hi, 4, fmt);
        tbl_row(&t, cells);
        tbl_print(fp, &t, fmt, "Paired difference in test R2 (1,000 bootstrap resamples of the shared test rows, seed 42)");
    }
    tbl_free(&t);
    free(eb);
    free(y);
    free(ya);
    free(yb);
    ef_result_data_fini(&a);
    ef_result_data_fini(&b);
    return rc;
}

/* Keep the results of the --target names (any spelling), in place. */
static int select_targets(const char *store, const char *list, ef_result_key *keys, size_t *nk, ef_error *err)
{
    size_t nt = 0, i, k = 0;
    char **names = cli_split_list(list, &nt);
    unsigned char *keep = ef_xmalloc(*nk ? *nk : 1);
    int rc = ef_resolve_keys_select(store, keys, *nk, names, nt, keep, err);

    for (i = 0; rc == EF_OK && i < *nk; i++) {
        if (keep[i])
            keys[k++] = keys[i];
        else
            ef_result_keys_free_one(&keys[i]);
    }
    if (rc == EF_OK)
        *nk = k;
    free(keep);
    cli_free_list(names);
    return rc;
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "split", required_argument, NULL, 's' },
        { "features-top", optional_argument, NULL, 'T' },
        { "compare", required_argument, NULL, 'c' },
        { "target", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    const char *out = NULL, *cmp = NULL, *targets = NULL;
    int fmt = F_TEXT, split = EF_SPLIT_TEST, c, rc;
    long top = 0;
    ef_result_key *keys = NULL;
    size_t nk = 0;
    ef_project p;
    ef_error err;
    FILE *fp = stdout;

    ef_error_clear(&err);
    while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "text"))
                fmt = F_TEXT;
            else if (!strcmp(optarg, "md"))
                fmt = F_MD;
            else if (!strcmp(optarg, "latex"))
                fmt = F_LATEX;
            else if (!strcmp(optarg, "csv"))
                fmt = F_CSV;
            else
                return cli_usage_error("report", "--format must be text, md, latex or csv, not '%s'", optarg);
            break;
        case 'o': out = optarg; break;
        case 's':
            if (!strcmp(optarg, "train"))
                split = EF_SPLIT_TRAIN;
            else if (!strcmp(optarg, "test"))
                split = EF_SPLIT_TEST;
            else if (!strcmp(optarg, "full"))
                split = EF_SPLIT_FULL;
            else
                return cli_usage_error("report", "--split must be train, test or full, not '%s'", optarg);
            break;
        case 'T':
            top = 20;
            if (optarg && cli_parse_long("report", "--features-top", optarg, 1, 100000, &top))
                return CLI_EXIT_USAGE;
            break;
        case 'c': cmp = optarg; break;
        case 't': targets = optarg; break;
        default: return cli_bad_option("report", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (cmp && !strchr(cmp, ','))
        return cli_usage_error("report", "--compare takes two results, T/F/M1,T/F/M2");
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        return cli_exit_for(rc);
    }
    rc = ef_result_keys(p.store_path, &keys, &nk, &err);
    if (rc == EF_ENOTFOUND || (rc == EF_OK && nk == 0))
        rc = ef_error_set_at(&err, EF_ENOTFOUND, p.store_path, 0, 0,
                             "no model results in the store: run `ecgfit -C %s train` (or replicate) first", p.dir);
    if (rc == EF_OK && targets)
        rc = select_targets(p.store_path, targets, keys, &nk, &err);
    if (rc == EF_OK && out && strcmp(out, "-") != 0 && !(fp = fopen(out, "w"))) {
        fp = stdout;
        rc = ef_error_set_at(&err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
    }
    if (rc == EF_OK)
        rc = comparison(fp, p.store_path, keys, nk, split, fmt, &err);
    if (rc == EF_OK && top)
        rc = top_features(fp, p.store_path, keys, nk, (size_t)top, fmt, &err);
    if (rc == EF_OK && cmp)
        rc = compare(fp, p.store_path, cmp, fmt, &err);
    if (fp != stdout && fclose(fp) != 0 && rc == EF_OK)
        rc = ef_error_set_at(&err, EF_EIO, out, 0, 0, "cannot write: %s", strerror(errno));
    if (rc != EF_OK)
        cli_error(&err);
    ef_result_keys_free(keys, nk);
    ef_project_fini(&p);
    return cli_exit_for(rc);
}

const cli_command cli_cmd_report = {
    .name = "report",
    .usage = "[-C DIR] report [--format text|md|latex|csv] [-o FILE] [--split train|test|full]\n"
             "              [--features-top[=N]] [--compare T/F/M1,T/F/M2] [--target T[,T...]]",
    .summary = "print model metrics",
    .help =
        "\nPrints every stored result (targets x feature sets x models, from train and\n"
        "replicate) as one comparison table: n, Pearson r with its Fisher-z 95% CI (as\n"
        "the seed computes it), R2 and MAE with bootstrap 95% CIs, RMSE, Bland-Altman\n"
        "bias and limits of agreement, and the chosen hyper-parameters.\n\n"
        "Options:\n"
        "  -f, --format FMT     text (default), md, latex or csv (csv: every number in\n"
        "                       full, one column each)\n"
        "  -o, --output FILE    write to FILE instead of standard output\n"
        "  --split S            test (default), train, or full (train + test) rows\n"
        "  --features-top[=N]   also the top N (default 20) features of each fitted\n"
        "                       model, by |coef| (linear, standardised features) or gain\n"
        "                       (XGBoost)\n"
        "  --compare A,B        R2(A) - R2(B) on the test rows both share, with a paired\n"
        "                       bootstrap 95% CI; A and B are TARGET/FEATURES/MODEL\n"
        "  --target T[,T...]    only these targets' results\n\n"
        "A target is named by its key (vo2max) or any UKB spelling of it (30038-1.0,\n"
        "p30038_i1, f.30038.1.0); the output shows the key.\n",
    .run = run,
};
