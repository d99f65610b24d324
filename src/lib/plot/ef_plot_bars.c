/* ef_plot_bars.c — the model-level figures: top features (importance),
 * shares of importance basic vs full (contribution), and the incremental
 * R2 of the ECG across targets (delta-r2).  Names go on the axes as quoted
 * tic labels; the data blocks hold numbers only. */
#include "config.h"
#include "plot/ef_plot_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* set ytics ('name' pos, ...) */
static void name_tics(ef_gp *g, const char *axis, char *const *names, size_t n, int reversed)
{
    ef_gp_printf(g, "set %s (", axis);
    for (size_t i = 0; i < n; i++) {
        ef_gp_printf(g, "%s", i ? ", " : "");
        ef_gp_quote(g, names[i]);
        ef_gp_printf(g, " %zu", reversed ? n - 1 - i : i);
    }
    ef_gp_printf(g, ")\n");
}

static void set_title(ef_gp *g, const char *text)
{
    ef_gp_printf(g, "set title ");
    ef_gp_quote(g, text);
    ef_gp_printf(g, "\n");
}

/* ---- importance ---------------------------------------------------------------- */

int ef_plot_importance(const ef_plot_rank *d, const ef_plot_opts *o, char **script, ef_error *err)
{
    size_t n = 0, i, necg = 0;
    double top = 0;
    char buf[600];
    ef_gp g;

    *script = NULL;
    /* features the model does not use (a Lasso's zeros) are left out */
    while (n < d->n && n < EF_PLOT_TOP && d->value[n] > 0)
        n++;
    if (n == 0)
        return ef_error_set(err, EF_EDATA, "%s uses no feature (every importance is zero)", d->title);
    for (i = 0; i < n; i++) {
        top = fmax(top, d->value[i]);
        necg += d->ecg[i] != 0;
    }
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "importance", 4.5, 0.9 + 0.16 * (double)n);
    ef_gp_data_begin(&g, "data");
    ef_gp_printf(&g, "# position value ecg(1)/clinical(0), largest at the top\n");
    for (i = 0; i < n; i++) {
        ef_gp_printf(&g, "%zu ", n - 1 - i);
        ef_gp_num(&g, d->value[i]);
        ef_gp_printf(&g, " %d\n", d->ecg[i] != 0);
    }
    ef_gp_data_end(&g);
    ef_snprintf(buf, sizeof buf, "Top %zu features: %s", n, d->title);
    set_title(&g, buf);
    ef_gp_printf(&g, "set xlabel ");
    ef_gp_quote(&g, d->measure);
    ef_gp_printf(&g, "\nset border 1\nset grid noytics xtics\nset ytics scale 0\n");
    name_tics(&g, "ytics", d->names, n, 1);
    ef_gp_printf(&g, "set yrange [-0.7:%zu.7]\nset xrange [0:%.6g]\n", n - 1, top > 0 ? top * 1.05 : 1);
    ef_gp_printf(&g, "set style fill solid 1.0 noborder\n"
                     "set key bottom right reverse Left samplen 1\n");
    /* a clause without points would make gnuplot warn: only the groups present */
    ef_gp_printf(&g, "plot ");
    if (necg < n)
        ef_gp_printf(&g, "$data using ($3 == 0 ? $2 / 2 : NaN):1:($2 / 2):(0.36) with boxxyerror lc rgb '%s' "
                         "title 'clinical'%s", EF_OI_ORANGE, necg ? ", \\\n     " : "\n");
    if (necg)
        ef_gp_printf(&g, "$data using ($3 == 1 ? $2 / 2 : NaN):1:($2 / 2):(0.36) with boxxyerror lc rgb '%s' "
                         "title 'ECG'\n", EF_OI_BLUE);
    *script = ef_gp_take(&g);
    return EF_OK;
}

/* ---- contribution ----------------------------------------------------------------- */

int ef_plot_contribution(const ef_plot_share *bars, size_t nbars, const char *title, const char *measure,
                         const ef_plot_opts *o, char **script, ef_error *err)
{
    static const char *const seg_name[EF_PLOT_NSHARE] = { "age", "sex", "BMI", "ECG embedding", "other" };
    static const char *const seg_col[EF_PLOT_NSHARE] = { EF_OI_ORANGE, EF_OI_PURPLE, EF_OI_GREEN, EF_OI_BLUE,
                                                         EF_OI_GREY };
    char **names, buf[600];
    size_t i, s;
    int any[EF_PLOT_NSHARE] = { 0 }, first = 1;
    ef_gp g;

    *script = NULL;
    if (nbars == 0)
        return ef_error_set(err, EF_EDATA, "%s: no models to compare", title);
    for (i = 0; i < nbars; i++)
        for (s = 0; s < EF_PLOT_NSHARE; s++)
            any[s] |= bars[i].share[s] > 0;
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "contribution", 4.2, 3.4);
    ef_gp_data_begin(&g, "data");
    ef_gp_printf(&g, "# bar segment from(%%) to(%%)\n");
    for (i = 0; i < nbars; i++) {
        double cum = 0;

        for (s = 0; s < EF_PLOT_NSHARE; s++) {
            double v = bars[i].share[s] * 100;

            if (!(v > 0))
                continue;
            ef_gp_printf(&g, "%zu %zu ", i, s);
            ef_gp_num(&g, cum);
            ef_gp_printf(&g, " ");
            ef_gp_num(&g, cum + v);
            ef_gp_printf(&g, "\n");
            cum += v;
        }
    }
    ef_gp_data_end(&g);
    set_title(&g, title);
    ef_snprintf(buf, sizeof buf, "Share of total %s (%%)", measure);
    ef_gp_printf(&g, "set ylabel ");
    ef_gp_quote(&g, buf);
    ef_gp_printf(&g, "\nset yrange [0:109]\nset ytics 0,20,100\nset xrange [-0.6:%zu.6]\n", nbars - 1);
    ef_gp_printf(&g, "set border 2\nset grid noxtics ytics\nset xtics scale 0\n"
                     "set style fill solid 1.0 border lc rgb '#ffffff'\n"
                     "set key outside right center reverse Left samplen 1 invert\n");
    names = ef_xcalloc(nbars, sizeof *names);
    for (i = 0; i < nbars; i++)
        names[i] = (char *)bars[i].name;
    name_tics(&g, "xtics", names, nbars, 0);
    free(names);
    for (i = 0; i < nbars; i++)
        if (isfinite(bars[i].r2))
            ef_gp_printf(&g, "set label %zu 'R\xc2\xb2 %.2f' at first %zu, first 100 center offset 0,0.6\n", i + 1,
                         bars[i].r2, i);
    ef_gp_printf(&g, "plot ");
    for (s = 0; s < EF_PLOT_NSHARE; s++) {
        if (!any[s])
            continue;
        ef_gp_printf(&g, "%s$data using 1:($2 == %zu ? ($3 + $4) / 2 : NaN):(0.32):(($4 - $3) / 2) "
                         "with boxxyerror lc rgb '%s' title '%s'", first ? "" : ", \\\n     ", s, seg_col[s],
                     seg_name[s]);
        first = 0;
    }
    ef_gp_printf(&g, "\n");
    *script = ef_gp_take(&g);
    return EF_OK;
}

/* ---- delta-r2 ------------------------------------------------------------------ */

/* The 1, 2, 2.5 or 5 x 10^k at or above x: a tic step. */
static double nice_step(double x)
{
    double p = pow(10, floor(log10(x > 0 ? x : 1))), m = x / p;

    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

int ef_plot_delta_r2(const ef_plot_delta *rows, size_t n, const char *model, const ef_plot_opts *o,
                     char **script, ef_error *err)
{
    double lo = 0, hi = 0, pad;
    char **names, buf[300];
    size_t i;
    ef_gp g;

    *script = NULL;
    if (n == 0)
        return ef_error_set(err, EF_EDATA, "no target has both a basic and a full %s result", model);
    for (i = 0; i < n; i++) {
        lo = fmin(lo, fmin(rows[i].r2_basic, rows[i].r2_full));
        hi = fmax(hi, fmax(rows[i].r2_basic, rows[i].r2_full));
    }
    pad = (hi - lo) * 0.06 + (hi == lo) * 0.1;
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "delta-r2", 5.5, 1.5 + 0.3 * (double)n);
    ef_gp_data_begin(&g, "data");
    ef_gp_printf(&g, "# position r2_basic r2_full, first target at the top\n");
    for (i = 0; i < n; i++) {
        ef_gp_printf(&g, "%zu ", n - 1 - i);
        ef_gp_num(&g, rows[i].r2_basic);
        ef_gp_printf(&g, " ");
        ef_gp_num(&g, rows[i].r2_full);
        ef_gp_printf(&g, "\n");
    }
    ef_gp_data_end(&g);
    ef_snprintf(buf, sizeof buf, "Test R\xc2\xb2, basic (age, sex, BMI) \xe2\x86\x92 full (+ ECG): %s", model);
    set_title(&g, buf);
    ef_gp_printf(&g, "set border 1\nset grid noytics xtics\nset ytics scale 0\n");
    names = ef_xcalloc(n, sizeof *names);
    for (i = 0; i < n; i++)
        names[i] = (char *)rows[i].target;
    name_tics(&g, "ytics", names, n, 1);
    free(names);
    ef_gp_printf(&g, "set yrange [-0.6:%zu.6]\nset xrange [%.6g:%.6g]\nset xtics %g\n", n - 1, lo - pad, hi + pad,
                 nice_step((hi - lo + 2 * pad) / 5));
    ef_gp_printf(&g, "set rmargin 26\n");
    for (i = 0; i < n; i++) {
        const ef_plot_delta *r = &rows[i];

        if (isfinite(r->d_lo) && isfinite(r->d_hi))
            ef_snprintf(buf, sizeof buf, "\xce\x94R\xc2\xb2 %+.3f [%.3f, %.3f]", r->d, r->d_lo, r->d_hi);
        else
            ef_snprintf(buf, sizeof buf, "\xce\x94R\xc2\xb2 %+.3f", r->d);
        ef_gp_printf(&g, "set label %zu ", i + 1);
        ef_gp_quote(&g, buf);
        ef_gp_printf(&g, " at graph 1.02, first %zu left\n", n - 1 - i);
    }
    ef_gp_printf(&g, "set key below horizontal maxrows 1 samplen 1 width 1\n");
    ef_gp_printf(&g, "plot $data using 2:1:($3 - $2):(0) with vectors head filled size screen 0.012,25 lw 1.2 "
                     "lc rgb '#808080', \\\n"
                     "     $data using 2:1 with points pt 7 ps 0.8 lc rgb '%s' title 'basic', \\\n"
                     "     $data using 3:1 with points pt 7 ps 0.8 lc rgb '%s' title 'full'\n",
                EF_OI_BLUE, EF_OI_VERMILLION);
    *script = ef_gp_take(&g);
    return EF_OK;
}
