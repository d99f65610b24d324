/* screen_result.c — one trained model's errors, opened from the Models
 * screen: the predicted-vs-measured scatter with its identity line and the
 * Bland-Altman plot (bias, limits of agreement) on the Braille canvas, the
 * metrics as `report` prints them, the top features with their importance,
 * the chosen hyper-parameters and their cross-validated R2.  g writes the
 * same figures with gnuplot (plot scatter | bland-altman | importance).
 *
 * One background read per result (or store generation), through the
 * readers report and plot use: ef_result_load (predictions, metrics),
 * ef_report_split_rows and ef_bland_altman (the report's agreement
 * numbers), ef_report_rank_load (importances, hyper-parameters, CV). */
#include "config.h"
#include "tui_bg.h"
#include "tui_canvas.h"
#include "tui_cmdq.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_keymap.h"
#include "tui_result.h"
#include "tui_screen.h"
#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_results.h"
#include "stats/ef_metrics.h"
#include "stats/ef_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_MAX 30

enum { PEN_AXIS = 1, PEN_POINT, PEN_LINE, PEN_LOA };

/* What one read gives (copied out of the library's structures). */
typedef struct result_data {
    int rc;
    char err[512];
    size_t n;                /* test rows with both values */
    double *y, *yhat;
    ef_metrics m;
    int has_metrics;
    double bias, sd, lo, hi;
    char unit[40];           /* the target's, for MAE, RMSE and bias */
    int ranked;              /* a fitted model (not a published equation) */
    size_t nfeat, p;         /* top features kept, of p */
    char *feat[TOP_MAX];
    double imp[TOP_MAX];
    const char *measure;
    char *best;
    double cv_mean, cv_sd;
    size_t ngrid;
} result_data;

typedef struct result_screen {
    char *dir, *store;
    char target[200], features[200], model[200];   /* shown */
    char req_t[200], req_f[200], req_m[200];       /* being read */
    int want;                /* a new key to read */
    tui_bg_task task;
    result_data d, d_new;
    int have;
    uint64_t gen;
    tui_canvas *canvas;
    tui_cmdq q;
    char figs[3][4300];
    int nfigs;
} result_screen;

/* tui_result_open hands the key over here (UI thread only). */
static char open_t[200], open_f[200], open_m[200];
static int open_pending;

static const tui_binding keys[] = {
    { 'g', "g", NULL, "write the figures with gnuplot: plot scatter, bland-altman, importance" },
    { 'v', "v/V", NULL, "view the scatter (v) or Bland-Altman (V) figure in the terminal (sixel); any key returns" },
    { 'q', "q/Esc", NULL, "back to the Models screen (Esc cancels a running job first)" },
    { TUI_KEY_ESC, NULL, NULL, NULL },
    { 0, NULL, NULL, NULL },
};

void tui_result_open(tui_app *app, const char *target, const char *features, const char *model)
{
    snprintf(open_t, sizeof open_t, "%s", target);
    snprintf(open_f, sizeof open_f, "%s", features);
    snprintf(open_m, sizeof open_m, "%s", model);
    open_pending = 1;
    tui_run(app, "select-screen result");
}

/* ---- the read ----------------------------------------------------------------- */

static void data_fini(result_data *d)
{
    free(d->y);
    free(d->yhat);
    for (size_t i = 0; i < d->nfeat; i++)
        free(d->feat[i]);
    free(d->best);
    memset(d, 0, sizeof *d);
}

static void read_result(void *arg)
{
    result_screen *s = arg;
    result_data *d = &s->d_new;
    ef_result_key k = { s->req_t, s->req_f, s->req_m };
    ef_result_data rd;
    ef_report_rank rk;
    ef_error err;
    int rc;

    memset(d, 0, sizeof *d);
    d->bias = d->sd = d->lo = d->hi = d->cv_mean = d->cv_sd = NAN;
    ef_error_clear(&err);
    rc = ef_result_load(s->store, &k, &rd, &err);
    if (rc != EF_OK) {
        d->rc = rc;
        ef_error_format(&err, d->err, sizeof d->err);
        return;
    }
    d->y = ef_xmalloc((rd.r.n ? rd.r.n : 1) * sizeof *d->y);
    d->yhat = ef_xmalloc((rd.r.n ? rd.r.n : 1) * sizeof *d->yhat);
    d->n = ef_report_split_rows(&rd, EF_SPLIT_TEST, d->y, d->yhat);
    if (d->n >= 2)
        ef_bland_altman(d->y, d->yhat, d->n, &d->bias, &d->sd, &d->lo, &d->hi);
    d->has_metrics = rd.r.has_metrics[EF_SPLIT_TEST];
    d->m = rd.r.metrics[EF_SPLIT_TEST];
    ef_result_data_fini(&rd);
    {
        ef_report_target *tg = NULL;
        size_t ntg = 0;

        if (ef_report_targets(s->store, &tg, &ntg, NULL) == EF_OK)
            for (size_t i = 0; i < ntg; i++)
                if (strcmp(tg[i].key, k.target) == 0)
                    snprintf(d->unit, sizeof d->unit, "%s", tg[i].unit);
        ef_report_targets_free(tg, ntg);
    }
    rc = ef_report_rank_load(s->store, &k, &rk, &err);
    if (rc == EF_OK) {
        d->ranked = 1;
        d->p = rk.p;
        for (size_t j = 0; j < rk.p && j < TOP_MAX; j++) {
            d->feat[j] = ef_xstrdup(rk.names[j]);
            d->imp[j] = rk.value[j];
            d->nfeat++;
        }
        d->measure = rk.measure;
        d->best = ef_xstrdup(rk.best ? rk.best : "");
        d->cv_mean = rk.cv_mean;
        d->cv_sd = rk.cv_sd;
        d->ngrid = rk.ngrid;
        ef_report_rank_fini(&rk);
    } else if (rc != EF_ENOTFOUND) {   /* a published equation has no model: fine */
        ef_error_format(&err, d->err, sizeof d->err);
    }
}

static void request(result_screen *s, tui_app *app)
{
    if (tui_bg_pending(&s->task))
        return;
    snprintf(s->req_t, sizeof s->req_t, "%s", s->target);
    snprintf(s->req_f, sizeof s->req_f, "%s", s->features);
    snprintf(s->req_m, sizeof s->req_m, "%s", s->model);
    s->want = 0;
    s->gen = tui_app_generation(app);
    s->task.run = read_result;
    s->task.arg = s;
    tui_bg_submit(&s->task);
}

static int collect(result_screen *s, tui_app *app)
{
    int r = 0;

    if (tui_bg_done(&s->task)) {
        data_fini(&s->d);
        s->d = s->d_new;
        memset(&s->d_new, 0, sizeof s->d_new);
        /* shown only when it is still the key asked for */
        s->have = strcmp(s->req_t, s->target) == 0 && strcmp(s->req_f, s->features) == 0 &&
                  strcmp(s->req_m, s->model) == 0;
        if (s->d.rc != EF_OK)
            tui_message(app, 1, "%s", s->d.err);
        r = 1;
    }
    if (s->target[0] && (s->want || (s->have && s->gen != tui_app_generation(app))))
        request(s, app);
    return r ? TUI_REDRAW : 0;
}

/* ---- life cycle ----------------------------------------------------------------- */

static void *create(tui_app *app)
{
    result_screen *s = ef_xcalloc(1, sizeof *s);
    char *abs = realpath(tui_app_project_dir(app), NULL);   /* figure paths shown in full */

    s->dir = abs ? abs : ef_xstrdup(tui_app_project_dir(app));
    s->store = ef_xstrdup(tui_app_store_path(app));
    s->canvas = tui_canvas_new(80, 20, tui_app_utf8(app) ? TUI_CANVAS_BRAILLE : TUI_CANVAS_ASCII);
    tui_cmdq_register(&s->q);
    return s;
}

static void destroy(void *st)
{
    result_screen *s = st;

    data_fini(&s->d);
    data_fini(&s->d_new);
    tui_canvas_free(s->canvas);
    tui_cmdq_unregister(&s->q);
    tui_cmdq_clear(&s->q);
    free(s->dir);
    free(s->store);
    free(s);
}

static void enter(tui_app *app, void *st)
{
    result_screen *s = st;

    if (open_pending) {
        open_pending = 0;
        if (strcmp(open_t, s->target) || strcmp(open_f, s->features) || strcmp(open_m, s->model)) {
            snprintf(s->target, sizeof s->target, "%s", open_t);
            snprintf(s->features, sizeof s->features, "%s", open_f);
            snprintf(s->model, sizeof s->model, "%s", open_m);
            s->have = 0;
            s->want = 1;
        }
    }
    collect(s, app);
}

static int tick(tui_app *app, void *st)
{
    return collect(st, app);
}

/* ---- drawing -------------------------------------------------------------------- */

static int pen_role(int pen)
{
    switch (pen) {
    case PEN_POINT: return TUI_C_OK;
    case PEN_LINE: return TUI_C_WARN;
    case PEN_LOA: return TUI_C_ERROR;
    case PEN_AXIS: return TUI_C_DIM;
    default: return TUI_C_NORMAL;
    }
}

/* A range around [lo, hi] with a little room (never empty). */
static void pad_range(double *lo, double *hi)
{
    double span = *hi - *lo;

    if (!(span > 0))
        span = fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1;
    *lo -= span * 0.05;
    *hi += span * 0.05;
}

/* Both plots on the canvas: the scatter in cells [0, half), Bland-Altman
 * in [half, cols). */
static void draw_plots(result_screen *s, int cols, int rows)
{
    const result_data *d = &s->d;
    tui_canvas *c = s->canvas;
    tui_canvas_frame f;
    double lo = INFINITY, hi = -INFINITY, mlo = INFINITY, mhi = -INFINITY, dlo, dhi;
    int half = cols / 2;
    size_t i;

    tui_canvas_clear(c);
    for (i = 0; i < d->n; i++) {
        double m = (d->y[i] + d->yhat[i]) / 2;

        lo = fmin(lo, fmin(d->y[i], d->yhat[i]));
        hi = fmax(hi, fmax(d->y[i], d->yhat[i]));
        mlo = fmin(mlo, m);
        mhi = fmax(mhi, m);
    }
    if (d->n == 0)
        return;
    pad_range(&lo, &hi);
    /* scatter: measured (x) against predicted (y), the same scale both ways */
    tui_canvas_pen(c, PEN_AXIS);
    if (tui_canvas_axes(c, 0, 0, half - 2, rows, lo, hi, lo, hi, &f)) {
        tui_canvas_pen(c, PEN_LINE);
        tui_canvas_segment(c, &f, lo, lo, hi, hi);
        tui_canvas_pen(c, PEN_POINT);
        for (i = 0; i < d->n; i++)
            tui_canvas_point(c, &f, d->y[i], d->yhat[i]);
    }
    /* Bland-Altman: mean of the two (x) against predicted - measured (y) */
    dlo = isnan(d->lo) ? 0 : d->lo;
    dhi = isnan(d->hi) ? 0 : d->hi;
    for (i = 0; i < d->n; i++) {
        double e = d->yhat[i] - d->y[i];

        dlo = fmin(dlo, e);
        dhi = fmax(dhi, e);
    }
    pad_range(&dlo, &dhi);
    pad_range(&mlo, &mhi);
    tui_canvas_pen(c, PEN_AXIS);
    if (tui_canvas_axes(c, half + 1, 0, cols - half - 1, rows, mlo, mhi, dlo, dhi, &f)) {
        if (!isnan(d->bias)) {
            tui_canvas_pen(c, PEN_LOA);
            tui_canvas_segment(c, &f, mlo, d->lo, mhi, d->lo);
            tui_canvas_segment(c, &f, mlo, d->hi, mhi, d->hi);
            tui_canvas_pen(c, PEN_LINE);
            tui_canvas_segment(c, &f, mlo, d->bias, mhi, d->bias);
        }
        tui_canvas_pen(c, PEN_POINT);
        for (i = 0; i < d->n; i++)
            tui_canvas_point(c, &f, (d->y[i] + d->yhat[i]) / 2, d->yhat[i] - d->y[i]);
    }
}

static void draw_features(result_screen *s, tui_app *app, WINDOW *w, int y, int x, int width, int rows)
{
    const result_data *d = &s->d;
    int namew = 0, i, n, utf8 = tui_app_utf8(app);
    char line[200];

    if (rows < 2 || width < 20)
        return;
    if (!d->ranked || d->nfeat == 0) {
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_wrap(w, y, x,
                 d->ranked ? "This model keeps no feature importances."
                           : "A published equation: fixed coefficients, no importances to rank.",
                 width, rows);
        wattrset(w, A_NORMAL);
        return;
    }
    n = (int)d->nfeat < rows - 1 ? (int)d->nfeat : rows - 1;
    snprintf(line, sizeof line, "Top %d of %zu features, by %s", n, d->p, d->measure ? d->measure : "importance");
    tui_heading(w, y, x, line, width);
    for (i = 0; i < n; i++)
        namew = tui_width(d->feat[i]) > namew ? tui_width(d->feat[i]) : namew;
    if (namew > width / 2)
        namew = width / 2;
    for (i = 0; i < n; i++) {
        double frac = d->imp[0] > 0 ? d->imp[i] / d->imp[0] : 0;
        char v[32];
        int bw = width - namew - 10 > 50 ? 50 : width - namew - 10;

        tui_put(w, y + 1 + i, x, d->feat[i], namew);
        ef_snprintf(v, sizeof v, "%.3g", d->imp[i]);
        tui_put_right(w, y + 1 + i, x + namew + 9, v, 8);
        if (bw > 0) {
            wattrset(w, tui_attr(TUI_C_METER));
            tui_hbar(w, y + 1 + i, x + namew + 10, bw, frac, utf8);
            wattrset(w, A_NORMAL);
        }
    }
}

static void draw_model(result_screen *s, WINDOW *w, int y, int x, int width, int rows)
{
    const result_data *d = &s->d;
    char line[600], a[80], b[80];

    if (rows < 1 || width < 10)
        return;
    tui_heading(w, y, x, "Model", width);
    if (!d->ranked) {
        tui_wrap(w, y + 1, x, "Published equation (replicate): fixed coefficients, no hyper-parameters, no CV.",
                 width, rows - 1);
        return;
    }
    snprintf(line, sizeof line, "chosen: %s", d->best && *d->best ? d->best : "-");
    y += tui_wrap(w, y + 1, x, line, width, 2) + 1;
    if (!isnan(d->cv_mean)) {
        ef_snprintf(a, sizeof a, "%.3f", d->cv_mean);
        ef_snprintf(b, sizeof b, "%.3f", d->cv_sd);
        snprintf(line, sizeof line, "CV R2: %s (SD %s over the folds; best of %zu grid point%s)", a, b, d->ngrid,
                 d->ngrid == 1 ? "" : "s");
    } else {
        snprintf(line, sizeof line, "CV R2: - (no grid search kept)");
    }
    tui_wrap(w, y, x, line, width, 2);
}

static void draw(tui_app *app, void *st, WINDOW *w)
{
    result_screen *s = st;
    const result_data *d = &s->d;
    int rows = getmaxy(w), cols = getmaxx(w), utf8 = tui_app_utf8(app), y = 0, ph, half, low;
    char line[1000], r[80], r2[80], mae[80], ba[80], rmse[40];

    werase(w);
    if (!s->target[0]) {
        tui_wrap(w, 1, 2, "No result chosen: Enter on a row of the Models screen (4) opens it here.", cols - 4, 3);
        return;
    }
    snprintf(line, sizeof line, "%s / %s / %s", s->target, s->features, s->model);
    tui_heading(w, y, 1, line, cols - 2);
    if (!s->have || d->rc != EF_OK) {
        wattrset(w, tui_attr(d->rc != EF_OK && s->have ? TUI_C_ERROR : TUI_C_DIM));
        tui_wrap(w, 2, 2, s->have ? d->err : "Reading the predictions...", cols - 4, 3);
        wattrset(w, A_NORMAL);
        return;
    }
    /* the metrics line, formatted as report formats them */
    ef_table_fmt_ci(r, sizeof r, d->m.r, d->m.r_lo, d->m.r_hi, 3);
    ef_table_fmt_ci(r2, sizeof r2, d->m.r2, d->m.r2_lo, d->m.r2_hi, 3);
    ef_table_fmt_ci(mae, sizeof mae, d->m.mae, d->m.mae_lo, d->m.mae_hi, 2);
    ef_table_fmt_ci(ba, sizeof ba, d->bias, d->lo, d->hi, 2);
    ef_snprintf(rmse, sizeof rmse, "%.2f", d->m.rmse);
    {
        char a[400], b[400];

        snprintf(a, sizeof a, "test n %zu   r %s   R2 %s", d->has_metrics ? d->m.n : d->n, r, r2);
        snprintf(b, sizeof b, "MAE %s   RMSE %s   bias %s%s%s%s", mae, rmse, ba, d->unit[0] ? " (" : "", d->unit,
                 d->unit[0] ? ")" : "");
        if (tui_width(a) + 3 + tui_width(b) <= cols - 2) {
            snprintf(line, sizeof line, "%s   %s", a, b);
            tui_put(w, ++y, 1, line, cols - 2);
        } else {   /* two lines rather than a cut */
            tui_put(w, ++y, 1, a, cols - 2);
            tui_put(w, ++y, 1, b, cols - 2);
        }
    }
    y++;
    /* plots: most of the height; features and model below */
    low = (int)d->nfeat + 1 < 4 ? 4 : (int)d->nfeat + 1;   /* the top features, 6 to 15 of them */
    if (low > (rows >= 40 ? 16 : 7))
        low = rows >= 40 ? 16 : 7;
    if (rows < 18)
        low = 0;
    ph = rows - y - 1 - low;
    half = cols / 2;
    if (ph >= 6 && cols >= 30) {
        snprintf(line, sizeof line, "%s", half >= 60 ? "Predicted (y) vs measured (x), test rows" : "Predicted vs measured");
        tui_put(w, y, 1, line, half - 2);
        wattrset(w, tui_attr(TUI_C_WARN));
        tui_put(w, y, 1 + tui_width(line) + 2, utf8 ? "── identity" : "-- identity", half - 4 - tui_width(line));
        wattrset(w, A_NORMAL);
        snprintf(line, sizeof line, "%s", half >= 60 ? "Bland-Altman: predicted - measured (y) vs mean (x)"
                                                     : "Bland-Altman: pred - meas vs mean");
        tui_put(w, y, half + 1, line, cols - half - 2);
        if (cols - half - 2 - tui_width(line) >= 36) {   /* the lines' legend, where it fits */
            int x = half + 1 + tui_width(line) + 2;

            wattrset(w, tui_attr(TUI_C_WARN));
            x += tui_put(w, y, x, utf8 ? "── bias" : "-- bias", 8) + 2;
            wattrset(w, tui_attr(TUI_C_ERROR));
            tui_put(w, y, x, utf8 ? "── limits of agreement" : "-- limits of agreement", cols - x - 1);
            wattrset(w, A_NORMAL);
        }
        y++;
        if (tui_canvas_cols(s->canvas) != cols - 1 || tui_canvas_rows(s->canvas) != ph)
            tui_canvas_resize(s->canvas, cols - 1, ph);
        tui_canvas_set_mode(s->canvas, utf8 ? TUI_CANVAS_BRAILLE : TUI_CANVAS_ASCII);
        draw_plots(s, cols - 1, ph);
        tui_draw_canvas(w, y, 0, s->canvas, pen_role);
        y += ph;
    }
    if (low > 0) {
        int left = cols >= 100 ? cols * 3 / 5 : cols / 2 + 6;

        draw_features(s, app, w, y, 1, left - 3, rows - y);
        draw_model(s, w, y, left, cols - left - 1, rows - y);
    }
}

/* ---- keys ----------------------------------------------------------------------- */

static void figures(result_screen *s, tui_app *app)
{
    static const char *const kinds[] = { "scatter", "bland-altman", "importance" };
    char q[8800], tq[420], fq[420], mq[420], line[9000];
    int k, nk = s->d.ranked && s->d.nfeat ? 3 : 2;

    if (!s->have || s->d.rc != EF_OK)
        return;
    if (!ef_cmd_find("plot scatter")) {
        tui_message(app, 0, "the figures (plot) are not available in this build");
        return;
    }
    if (tui_cmdq_busy(&s->q, app) || tui_app_job(app, NULL, 0, NULL)) {
        tui_message(app, 1, "a job is running: write the figures when it is done");
        return;
    }
    s->nfigs = 0;
    for (k = 0; k < nk; k++) {
        snprintf(s->figs[k], sizeof s->figs[k], "%s/%s-%s-%s-%s.png", s->dir, kinds[k], s->target, s->features,
                 s->model);
        snprintf(line, sizeof line, "plot %s --target %s --features %s --model %s -o %s", kinds[k],
                 tui_quote(s->target, tq, sizeof tq), tui_quote(s->features, fq, sizeof fq),
                 tui_quote(s->model, mq, sizeof mq), tui_quote(s->figs[k], q, sizeof q));
        tui_cmdq_push(&s->q, line);
        s->nfigs++;
    }
    {   /* the folder once, then the file names */
        size_t len = (size_t)snprintf(s->q.done, sizeof s->q.done, "figures written in %s/:", s->dir);

        for (k = 0; k < s->nfigs && len < sizeof s->q.done; k++)
            len += (size_t)snprintf(s->q.done + len, sizeof s->q.done - len, "%s %s", k ? "," : "",
                                    strrchr(s->figs[k], '/') + 1);
    }
    tui_cmdq_pump(&s->q, app);
    tui_message(app, 0, "writing %d figures to %s/ (%s-%s-%s ...)", nk, s->dir, kinds[0], s->target, s->features);
}

/* v / V: the scatter / Bland-Altman figure shown in the pane (sixel) */
static void view(result_screen *s, tui_app *app, const char *kind)
{
    char args[1400], tq[420], fq[420], mq[420];

    if (!s->have || s->d.rc != EF_OK)
        return;
    snprintf(args, sizeof args, "%s --target %s --features %s --model %s", kind, tui_quote(s->target, tq, sizeof tq),
             tui_quote(s->features, fq, sizeof fq), tui_quote(s->model, mq, sizeof mq));
    tui_show_figure(app, args);
}

static int key(tui_app *app, void *st, int key)
{
    result_screen *s = st;

    switch (key) {
    case 'g':
        figures(s, app);
        break;
    case 'v':
        view(s, app, "scatter");
        break;
    case 'V':
        view(s, app, "bland-altman");
        break;
    case TUI_KEY_ESC:
        if (tui_app_job(app, NULL, 0, NULL)) {
            tui_run(app, "cancel");
            break;
        }
        /* fall through */
    case 'q':
        tui_run(app, "select-screen models");
        break;
    default:
        return TUI_UNHANDLED;
    }
    return TUI_HANDLED | TUI_REDRAW;
}

const tui_screen_ops tui_screen_result = {
    .name = "result",
    .title = "Result",
    .keymap = keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .key = key,
    .tick = tick,
};
