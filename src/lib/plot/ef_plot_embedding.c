/* ef_plot_embedding.c — the embeddings on their first two principal
 * components, each participant coloured by a target (viridis, which stays
 * readable to colour-blind readers and in greyscale); participants whose
 * target is unknown are drawn grey underneath. */
#include "config.h"
#include "plot/ef_plot_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Leading eigenvector of the symmetric k x k matrix a by power iteration
 * (fixed start, so the result is the same on every run); its eigenvalue. */
static double power_iter(const double *a, size_t k, double *v)
{
    double *w = ef_xmalloc(k * sizeof *w), lambda = 0, prev = -1, norm;
    size_t i, j, it, big = 0;

    for (i = 0; i < k; i++)
        v[i] = 1.0 + 0.01 * (double)(i % 7);
    for (it = 0; it < 20000; it++) {
        for (i = 0; i < k; i++) {
            double s = 0;

            for (j = 0; j < k; j++)
                s += a[i * k + j] * v[j];
            w[i] = s;
        }
        norm = 0;
        for (i = 0; i < k; i++)
            norm += w[i] * w[i];
        norm = sqrt(norm);
        if (norm == 0)
            break;
        lambda = 0;
        for (i = 0; i < k; i++) {
            lambda += v[i] * w[i];
            v[i] = w[i] / norm;
        }
        if (it > 10 && fabs(lambda - prev) <= 1e-13 * fabs(lambda))
            break;
        prev = lambda;
    }
    /* sign: the largest loading positive */
    for (i = 1; i < k; i++)
        if (fabs(v[i]) > fabs(v[big]))
            big = i;
    if (v[big] < 0)
        for (i = 0; i < k; i++)
            v[i] = -v[i];
    free(w);
    return lambda;
}

int ef_pca2(const float *x, size_t n, size_t k, double *pc, double frac[2], ef_error *err)
{
    double *mean, *cov, *v1, *v2, l1, l2, total = 0;
    size_t i, a, b;

    if (n < 3 || k < 2)
        return ef_error_set(err, EF_EDATA, "a 2-D map needs at least 3 embeddings of 2 or more values (have %zu of "
                                           "%zu)", n, k);
    mean = ef_xcalloc(k, sizeof *mean);
    cov = ef_xcalloc(k * k, sizeof *cov);
    v1 = ef_xmalloc(k * sizeof *v1);
    v2 = ef_xmalloc(k * sizeof *v2);
    for (i = 0; i < n; i++)
        for (a = 0; a < k; a++)
            mean[a] += x[i * k + a];
    for (a = 0; a < k; a++)
        mean[a] /= (double)n;
    {
        double *row = ef_xmalloc(k * sizeof *row);

        for (i = 0; i < n; i++) {
            for (a = 0; a < k; a++)
                row[a] = x[i * k + a] - mean[a];
            for (a = 0; a < k; a++)
                for (b = a; b < k; b++)
                    cov[a * k + b] += row[a] * row[b];
        }
        free(row);
    }
    for (a = 0; a < k; a++)
        for (b = a; b < k; b++) {
            cov[a * k + b] /= (double)(n - 1);
            cov[b * k + a] = cov[a * k + b];
        }
    for (a = 0; a < k; a++)
        total += cov[a * k + a];
    l1 = power_iter(cov, k, v1);
    for (a = 0; a < k; a++)
        for (b = 0; b < k; b++)
            cov[a * k + b] -= l1 * v1[a] * v1[b];
    l2 = power_iter(cov, k, v2);
    for (i = 0; i < n; i++) {
        double s1 = 0, s2 = 0;

        for (a = 0; a < k; a++) {
            double c = x[i * k + a] - mean[a];

            s1 += c * v1[a];
            s2 += c * v2[a];
        }
        pc[i * 2] = s1;
        pc[i * 2 + 1] = s2;
    }
    frac[0] = total > 0 ? l1 / total : NAN;
    frac[1] = total > 0 ? l2 / total : NAN;
    free(mean);
    free(cov);
    free(v1);
    free(v2);
    return EF_OK;
}

int ef_plot_embedding_map(const ef_plot_embedding *d, const ef_plot_opts *o, char **script, ef_error *err)
{
    double *pc = ef_xmalloc((d->n ? d->n : 1) * 2 * sizeof *pc), frac[2];
    size_t i, known = 0;
    char buf[600], ax[400];
    ef_gp g;
    int rc = ef_pca2(d->values, d->n, d->k, pc, frac, err);

    *script = NULL;
    if (rc != EF_OK) {
        free(pc);
        return rc;
    }
    for (i = 0; i < d->n; i++)
        known += isfinite(d->colour[i]) != 0;
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "embedding", 4.6, 3.8);
    ef_gp_data_begin(&g, "data");
    ef_gp_printf(&g, "# pc1 pc2 target known(1/0)\n");
    for (i = 0; i < d->n; i++) {
        ef_gp_printf(&g, "%.5g %.5g ", pc[i * 2], pc[i * 2 + 1]);
        if (isfinite(d->colour[i])) {
            ef_gp_num(&g, d->colour[i]);
            ef_gp_printf(&g, " 1\n");
        } else {
            ef_gp_printf(&g, "0 0\n");
        }
    }
    ef_gp_data_end(&g);
    ef_plot_axis_name(d->label, d->target, d->unit, ax, sizeof ax);
    ef_snprintf(buf, sizeof buf, "Embeddings %s, n = %zu", d->name, d->n);
    ef_gp_printf(&g, "set title ");
    ef_gp_quote(&g, buf);
    ef_gp_printf(&g, "\nset xlabel 'PC1 (%.1f%% of variance)'\nset ylabel 'PC2 (%.1f%% of variance)'\n",
                 100 * frac[0], 100 * frac[1]);
    ef_gp_printf(&g, "set cblabel ");
    ef_gp_quote(&g, ax);
    ef_gp_printf(&g, "\n# viridis\n"
                     "set palette defined (0 '#440154', 1 '#482878', 2 '#3E4A89', 3 '#31688E', 4 '#26828E', "
                     "5 '#1F9E89', 6 '#35B779', 7 '#6DCD59', 8 '#B4DE2C', 9 '#FDE725')\n"
                     "set colorbox vertical user origin graph 1.04, graph 0 size graph 0.04, graph 1\n"
                     "set cbtics out scale 0.5 nomirror\nset rmargin 12\nset grid\n");
    if (known < d->n)
        ef_gp_printf(&g, "set key top left reverse Left samplen 1\n");
    if (!known)
        ef_gp_printf(&g, "unset colorbox\n");
    ef_gp_printf(&g, "plot ");
    if (known < d->n)
        ef_gp_printf(&g, "$data using 1:($4 == 0 ? $2 : NaN) with points pt 7 ps 0.35 lc rgb '#B0B0B0' "
                         "title 'target unknown'%s", known ? ", \\\n     " : "\n");
    if (known)
        ef_gp_printf(&g, "$data using 1:($4 == 1 ? $2 : NaN):($4 == 1 ? $3 : NaN) with points pt 7 ps 0.35 "
                         "lc palette\n");
    free(pc);
    *script = ef_gp_take(&g);
    return EF_OK;
}
