/* ef_plot_ecg.c — one 12-lead ECG as printed on ECG paper: the standard
 * 3 x 4 layout (2.5 s of each lead, the four columns consecutive in time)
 * and a 10 s lead II rhythm strip.  Coordinates are millimetres of paper:
 * x = 25 mm per second, y = 10 mm per millivolt, on a 1 mm grid with a
 * heavier line every 5 mm (0.2 s, 0.5 mV).  At the default size the paper
 * prints at true scale; any size keeps one scale on both axes. */
#include "config.h"
#include "plot/ef_plot_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "ecg/ef_cardiosoft.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM_PER_S 25.0
#define MM_PER_MV 10.0
#define PAPER_X0 (-10.0)            /* calibration pulses left of time 0 */
#define PAPER_X1 250.0              /* 10 s */
#define ROW_MM 30.0
#define PAPER_Y1 (4 * ROW_MM + 10.0)
#define COL_S 2.5

/* Leads by PCLR index (I II III aVR aVL aVF V1..V6): row r, column c. */
static const int layout[3][4] = { { 0, 3, 6, 9 }, { 1, 4, 7, 10 }, { 2, 5, 8, 11 } };

static double baseline(int row)
{
    return PAPER_Y1 - 22.0 - ROW_MM * row;
}

/* Samples [i0, i1) of lead k, shifted to start at x0 mm on row's baseline. */
static void trace(ef_gp *g, const ef_plot_ecg *d, int k, size_t i0, size_t i1, double x0, int row)
{
    double b = baseline(row);

    for (size_t i = i0; i < i1 && i < d->samples; i++) {
        double v = (double)d->signal[i * EF_CS_NLEADS + (size_t)k] * d->scale;

        ef_gp_printf(g, "%.5g ", x0 + MM_PER_S * (double)(i - i0) / d->rate);
        if (isfinite(v))
            ef_gp_printf(g, "%.4g\n", b + MM_PER_MV * v);
        else
            ef_gp_printf(g, "NaN\n");
    }
    ef_gp_printf(g, "\n");   /* a blank line breaks the line between segments */
}

int ef_plot_ecg_paper(const ef_plot_ecg *d, const ef_plot_opts *o, char **script, ef_error *err)
{
    double w = o->width > 0 ? o->width : 11.0, h = o->height > 0 ? o->height : 6.0;
    double pw = (PAPER_X1 - PAPER_X0) / 25.4, ph = PAPER_Y1 / 25.4, fit, l, b;
    size_t per_col, r, c;
    char buf[400];
    ef_gp g;

    *script = NULL;
    if (!(d->rate > 0) || d->samples < 2)
        return ef_error_set(err, EF_EDATA, "ECG %lld: no samples to draw", (long long)d->eid);
    per_col = (size_t)floor(COL_S * d->rate + 0.5);
    /* the largest true-aspect paper that fits inside 0.2 in side and
     * 0.35 / 0.6 in bottom / top margins (title and scale note) */
    fit = fmin(1.0, fmin((w - 0.4) / pw, (h - 0.95) / ph));
    if (fit <= 0)
        return ef_error_set(err, EF_EINVAL, "--size %g,%g is too small for an ECG", w, h);
    l = (w - pw * fit) / 2 / w;
    b = 0.35 / h;
    ef_gp_init(&g);
    ef_gp_preamble(&g, o, "ecg", w, h);
    ef_gp_data_begin(&g, "ecg");
    ef_gp_printf(&g, "# x (mm, 25 mm/s) y (mm, 10 mm/mV around each row's baseline); segments apart by blank lines\n");
    for (r = 0; r < 3; r++)
        for (c = 0; c < 4; c++)
            trace(&g, d, layout[r][c], c * per_col, (c + 1) * per_col + 1, MM_PER_S * COL_S * (double)c, (int)r);
    trace(&g, d, 1, 0, d->samples, 0, 3);
    ef_gp_data_end(&g);
    /* calibration pulses (1 mV, 0.2 s) and the column boundaries */
    ef_gp_data_begin(&g, "marks");
    for (r = 0; r < 4; r++) {
        double y = baseline((int)r);

        ef_gp_printf(&g, "-9 %g\n-7 %g\n-7 %g\n-2 %g\n-2 %g\n0 %g\n\n", y, y, y + MM_PER_MV, y + MM_PER_MV, y, y);
        for (c = 1; r < 3 && c < 4; c++)
            ef_gp_printf(&g, "%g %g\n%g %g\n\n", MM_PER_S * COL_S * (double)c, y - 4, MM_PER_S * COL_S * (double)c,
                         y + 4);
    }
    ef_gp_data_end(&g);
    ef_snprintf(buf, sizeof buf, "ECG of participant %lld (%s)", (long long)d->eid, d->what ? d->what : "");
    ef_gp_printf(&g, "set label 100 ");
    ef_gp_quote(&g, buf);
    ef_gp_printf(&g, " at screen %.4f, screen %.4f left front\n", l, 1 - 0.3 / h);
    ef_gp_printf(&g, "set label 101 '25 mm/s    10 mm/mV    small squares 1 mm = 0.04 s, 0.1 mV' at screen %.4f, "
                     "screen %.4f left front\n", l, 0.14 / h);
    ef_gp_printf(&g, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
                     "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
                 l, l + pw * fit / w, b, b + ph * fit / h);
    ef_gp_printf(&g, "set size ratio -1\nset xrange [%g:%g]\nset yrange [0:%g]\n", PAPER_X0, PAPER_X1, PAPER_Y1);
    ef_gp_printf(&g, "set border 0 lw 0.6 lc rgb '#F0A39C'\nset format x ''\nset format y ''\n"
                     "set tics scale 0.001,0.001\n"
                     "set xtics %g,5,%g\nset ytics 0,5,%g\nset mxtics 5\nset mytics 5\n"
                     "set grid xtics ytics mxtics mytics back lt 1 dt solid lw 0.6 lc rgb '#F0A39C', "
                     "lt 1 dt solid lw 0.3 lc rgb '#F9D3CF'\n",
                 PAPER_X0, PAPER_X1, PAPER_Y1);
    for (r = 0; r < 3; r++)
        for (c = 0; c < 4; c++) {
            ef_gp_printf(&g, "set label %zu '%s' at %g, %g left front\n", r * 4 + c + 1,
                         ef_cs_lead_names[layout[r][c]], MM_PER_S * COL_S * (double)c + (c ? 3.0 : 1.5),
                         baseline((int)r) + 9);   /* clear of the lead-change mark */
        }
    ef_gp_printf(&g, "set label 13 'II' at 1.5, %g left front\n", baseline(3) + 9);
    ef_gp_printf(&g, "set object 1 rectangle from %g,0 to %g,%g behind fillstyle empty border lc rgb '#F0A39C' "
                     "lw 0.6\n", PAPER_X0, PAPER_X1, PAPER_Y1);
    ef_gp_printf(&g, "plot $marks using 1:2 with lines lw 1 lc rgb '#000000', \\\n"
                     "     $ecg using 1:2 with lines lw 0.8 lc rgb '#000000'\n");
    *script = ef_gp_take(&g);
    return EF_OK;
}
