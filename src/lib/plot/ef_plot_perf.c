/* ef_plot_perf.c — predicted vs measured: the scatter with the identity
 * line, and the Bland-Altman plot (difference against mean, bias and 95%
 * limits of agreement).  The data block holds measured and predicted; the
 * Bland-Altman coordinates are computed by gnuplot from them. */
#include "config.h"
#include "plot/ef_plot_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "stats/ef_metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Finite pairs into y, yh; returns how many. */
static size_t pairs(const ef_plot_xy *d, double *y, double *yh)
{
    size_t k = 0;

    for (size_t i = 0; i < d->n; i++)
        if (isfinite(d->y[i]) && isfinite(d->yhat[i])) {
            y[k] = d->y[i];
            yh[k++] = d->yhat[i];
        }
    return k;
}

static void data_block(ef_gp *g, const double *y, const double *yh, size_t n)
{
    ef_gp_data_begin(g, "data");
    ef_gp_printf(g, "# measured predicted\n");
    for (size_t i = 0; i < n; i++) {
        ef_gp_num(g, y[i]);
        ef_gp_printf(g, " ");
        ef_gp_num(g, yh[i]);
        ef_gp_printf(g, "\n");
    }
    ef_gp_data_end(g);
}

/* Three short title lines (a column is narrow): what, which result, r
 * [CI] and MAE (the unit is on the axes). */
static void title(ef_gp *g, const ef_plot_xy *d, size_t n)
{
    const char *name = d->label && *d->label ? d->label : d->target;
    char l2[600], l3[300];

    ef_snprintf(l2, sizeof l2, "%s/%s, %s set, n = %zu", d->features, d->model, d->split, n);
    if (d->m)
        ef_snprintf(l3, sizeof l3, "r = %.2f [95%% CI %.2f, %.2f], MAE %.2f", d->m->r, d->m->r_lo, d->m->r_hi,
                    d->m->mae);
    else
        l3[0] = '\0';
    ef_gp_printf(g, "set title ");
    ef_gp_quote(g, name);
    ef_gp_printf(g, " . \"\\n\" . ");
    ef_gp_quote(g, l2);
    ef_gp_printf(g, " . \"\\n\" . ");
    ef_gp_quote(g, l3);
    ef_gp_printf(g, "\n");
}

static int check(const ef_plot_xy *d, size_t n, ef_error *err)
{
    if (n < 2)
        return ef_error_set(err, EF_EDATA, "%s/%s/%s has %zu %s row%s with both values: nothing to plot",
                            d->target, d->features, d->model, n, d->split, n == 1 ? "" : "s");
    return EF_OK;
}

int ef_plot_scatter(const ef_plot_xy *d, const ef_plot_opts *o, char **script, ef_error *err)
{
    double *y = ef_xmalloc((d->n ? d->n : 1) * sizeof *y), *yh = ef_xmalloc((d->n ? d->n : 1) * sizeof *yh);
    double lo = INFINITY, hi = -INFINITY, pad;
    size_t n = pairs(d, y, yh), i;
    char ax[400], lab[500];
    ef_gp g;
    int rc = check(d, n, err);

    *script = NULL;
    if (rc != EF_OK) {
        free(y);
        free(yh);
        return rc;
    }
    for (i = 0; i < n; i++) {
        lo = fmin(lo, fmin(y[i], yh[i]));
        hi = fmax(hi, fmax(y[i], yh[i]));
    }
    pad = (hi - lo) * 0.04 + (hi == lo);
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "scatter", 3.5, 3.8);
    data_block(&g, y, yh, n);
    title(&g, d, n);
    ef_plot_axis_name("Measured", NULL, d->unit, ax, sizeof ax);
    ef_gp_printf(&g, "set xlabel ");
    ef_gp_quote(&g, ax);
    ef_plot_axis_name("Predicted", NULL, d->unit, lab, sizeof lab);
    ef_gp_printf(&g, "\nset ylabel ");
    ef_gp_quote(&g, lab);
    ef_gp_printf(&g, "\nset size square\nset title offset -1,0\n");
    ef_gp_printf(&g, "set xrange [%.6g:%.6g]\nset yrange [%.6g:%.6g]\n", lo - pad, hi + pad, lo - pad, hi + pad);
    ef_gp_printf(&g, "set key bottom right samplen 2\n");
    ef_gp_printf(&g, "plot $data using 1:2 with points pt 7 ps 0.35 lc rgb '#4D0072B2', \\\n"
                     "     x with lines dt 2 lw 1 lc rgb '#000000' title 'identity'\n");
    free(y);
    free(yh);
    *script = ef_gp_take(&g);
    return EF_OK;
}

int ef_plot_bland_altman(const ef_plot_xy *d, const ef_plot_opts *o, char **script, ef_error *err)
{
    double *y = ef_xmalloc((d->n ? d->n : 1) * sizeof *y), *yh = ef_xmalloc((d->n ? d->n : 1) * sizeof *yh);
    double bias, sd, lo, hi;
    size_t n = pairs(d, y, yh);
    const char *unit = d->unit && *d->unit ? d->unit : "";
    char lab[500];
    ef_gp g;
    int rc = check(d, n, err);

    *script = NULL;
    if (rc != EF_OK) {
        free(y);
        free(yh);
        return rc;
    }
    ef_bland_altman(y, yh, n, &bias, &sd, &lo, &hi);
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "bland-altman", 4.5, 3.4);
    data_block(&g, y, yh, n);
    title(&g, d, n);
    ef_snprintf(lab, sizeof lab, "Mean of measured and predicted%s%s%s", *unit ? " (" : "", unit, *unit ? ")" : "");
    ef_gp_printf(&g, "set xlabel ");
    ef_gp_quote(&g, lab);
    ef_snprintf(lab, sizeof lab, "Predicted \xe2\x88\x92 measured%s%s%s", *unit ? " (" : "", unit, *unit ? ")" : "");
    ef_gp_printf(&g, "\nset ylabel ");
    ef_gp_quote(&g, lab);
    ef_gp_printf(&g, "\n");
    ef_gp_printf(&g, "bias = %.6g\nloa_lo = %.6g\nloa_hi = %.6g\n", bias, lo, hi);
    {
        /* an explicit x range: the bias and limit lines span all of it */
        double a = INFINITY, b = -INFINITY, pad;

        for (size_t i = 0; i < n; i++) {
            a = fmin(a, (y[i] + yh[i]) / 2);
            b = fmax(b, (y[i] + yh[i]) / 2);
        }
        pad = (b - a) * 0.04 + (b == a);
        ef_gp_printf(&g, "set xrange [%.6g:%.6g]\n", a - pad, b + pad);
    }
    /* leave room above and below the limits for their labels */
    ef_gp_printf(&g, "stats $data using ($2 - $1) nooutput\n"
                     "span = (STATS_max > loa_hi ? STATS_max : loa_hi) - (STATS_min < loa_lo ? STATS_min : loa_lo)\n"
                     "set yrange [(STATS_min < loa_lo ? STATS_min : loa_lo) - 0.08 * span:"
                     "(STATS_max > loa_hi ? STATS_max : loa_hi) + 0.12 * span]\n");
    {
        static const char *const what[3] = { "bias", "\xe2\x88\x92" "1.96 SD", "+1.96 SD" };
        static const char *const at[3] = { "bias", "loa_lo", "loa_hi" };
        double v[3] = { bias, lo, hi };

        for (int k = 0; k < 3; k++) {
            char num[32], text[64];

            ef_snprintf(num, sizeof num, "%.2f", v[k]);
            ef_snprintf(text, sizeof text, "%s %s", what[k], strcmp(num, "-0.00") ? num : "0.00");
            ef_gp_printf(&g, "set label %d ", k + 1);
            ef_gp_quote(&g, text);
            ef_gp_printf(&g, " at graph 0.99, first %s right offset 0,0.55 front tc rgb '%s'\n", at[k],
                         EF_OI_VERMILLION);
        }
    }
    /* the three lines as functions, not arrows: the svg terminal draws an
     * arrow without its dash type */
    ef_gp_printf(&g, "plot $data using (($1 + $2) / 2):($2 - $1) with points pt 7 ps 0.35 lc rgb '#4D0072B2', \\\n"
                     "     bias with lines lw 1.2 lc rgb '%s', \\\n"
                     "     loa_lo with lines lw 1.2 dt 2 lc rgb '%s', \\\n"
                     "     loa_hi with lines lw 1.2 dt 2 lc rgb '%s'\n",
                 EF_OI_VERMILLION, EF_OI_VERMILLION, EF_OI_VERMILLION);
    (void)sd;
    free(y);
    free(yh);
    *script = ef_gp_take(&g);
    return EF_OK;
}
