/* tui_ecg_plot.c — see tui_ecg_plot.h. */
#include "config.h"
#include "tui_ecg_plot.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLEADS 12
#define RHYTHM_LEAD 1   /* II */

static const char *const lead_name[NLEADS] = {
    "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"
};

/* ------------------------------------------------------------ values */

static void swapf(float *a, float *b)
{
    float t = *a;

    *a = *b;
    *b = t;
}

/* The k-th smallest of a[0..n-1] (reorders a); quickselect. */
static float select_k(float *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {
        float pivot = a[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;

        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                swapf(&a[i], &a[j]);
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return a[k];
}

/* Median of the finite values of lead k in samples [i0, i1); 0 if none.
 * buf has room for i1 - i0 floats. */
static double lead_median(const float *v, size_t i0, size_t i1, int k, float *buf)
{
    size_t n = 0;

    for (size_t i = i0; i < i1; i++)
        if (isfinite(v[i * NLEADS + (size_t)k]))
            buf[n++] = v[i * NLEADS + (size_t)k];
    return n ? select_k(buf, n, n / 2) : 0.0;
}

void tui_ecg_trace_set(tui_ecg_trace *t, const float *v, size_t samples, double rate_hz, unsigned leads)
{
    double peak[NLEADS], first = 0, second = 0;
    float *buf;

    memset(t, 0, sizeof *t);
    t->v = v;
    t->samples = samples;
    t->rate_hz = rate_hz > 0 ? rate_hz : 500;
    t->leads = leads;
    t->range = 1.0;
    if (!v || samples == 0)
        return;
    buf = ef_xmalloc(samples * sizeof *buf);
    for (int k = 0; k < NLEADS; k++) {
        double base = lead_median(v, 0, samples, k, buf), m = 0;

        for (size_t i = 0; i < samples; i++) {
            double d = fabs(v[i * NLEADS + (size_t)k] - base);

            if (d > m)   /* NaN compares false */
                m = d;
        }
        peak[k] = (leads >> k) & 1u ? m : 0;
        if (peak[k] > first) {
            second = first;
            first = peak[k];
        } else if (peak[k] > second) {
            second = peak[k];
        }
    }
    free(buf);
    /* the second largest lead's deflection, a little headroom, never tiny */
    t->range = second > 0 ? second * 1.05 : first > 0 ? first * 1.05 : 1.0;
    if (t->range < 0.1)
        t->range = 0.1;
}

double tui_ecg_duration(const tui_ecg_trace *t)
{
    return t->samples && t->rate_hz > 0 ? (double)t->samples / t->rate_hz : 0.0;
}

/* ------------------------------------------------------------ the view */

void tui_ecg_view_init(tui_ecg_view *v)
{
    v->layout = TUI_ECG_GRID;
    v->lead = RHYTHM_LEAD;
    v->span = TUI_ECG_SPAN_MAX;
    v->start = 0;
    v->gain = 1;
}

static void clamp_start(tui_ecg_view *v, double duration)
{
    double last = duration - v->span;

    if (v->start > last)
        v->start = last;
    if (v->start < 0 || !isfinite(v->start))
        v->start = 0;
}

int tui_ecg_zoom(tui_ecg_view *v, int dir, double duration)
{
    double span = dir > 0 ? v->span / 2 : v->span * 2, mid = v->start + v->span / 2;

    if (span < TUI_ECG_SPAN_MIN - 1e-9 || span > TUI_ECG_SPAN_MAX + 1e-9)
        return 0;
    v->span = span;
    v->start = mid - span / 2;
    clamp_start(v, duration);
    return 1;
}

int tui_ecg_scroll(tui_ecg_view *v, int dir, double duration)
{
    double before = v->start;

    v->start += (dir > 0 ? 1 : -1) * v->span / 4;
    clamp_start(v, duration);
    return fabs(v->start - before) > 1e-9;
}

int tui_ecg_gain(tui_ecg_view *v, int dir)
{
    double g = dir > 0 ? v->gain * 2 : v->gain / 2;

    if (g > 8 + 1e-9 || g < 0.125 - 1e-9)
        return 0;
    v->gain = g;
    return 1;
}

/* ------------------------------------------------------------ geometry */

/* Band heights (3 lead rows + rhythm strip) and column widths of the grid. */
static int grid_sizes(int cols, int rows, int band[4], int width[4])
{
    int i, ah = rows - 5, aw = cols - 5;

    if (cols < TUI_ECG_MIN_COLS || rows < TUI_ECG_MIN_ROWS)
        return 0;
    for (i = 0; i < 4; i++) {
        band[i] = ah / 4 + (i < ah % 4);
        width[i] = aw / 4 + (i < aw % 4);
    }
    return 1;
}

int tui_ecg_panel(int cols, int rows, int p, int *x, int *y, int *w, int *h)
{
    int band[4], width[4], i, col, row;

    if (p < 0 || p > NLEADS || !grid_sizes(cols, rows, band, width))
        return 0;
    if (p == NLEADS) {
        *x = 1;
        *w = cols - 2;
        *y = 1 + band[0] + band[1] + band[2] + 3;
        *h = band[3];
        return 1;
    }
    col = p / 3;
    row = p % 3;
    *x = 1 + col;
    for (i = 0; i < col; i++)
        *x += width[i];
    *y = 1 + row;
    for (i = 0; i < row; i++)
        *y += band[i];
    *w = width[col];
    *h = band[row];
    return 1;
}

/* ------------------------------------------------------------ box lines */

enum { UP = 1, DOWN = 2, LEFT = 4, RIGHT = 8 };

/* Box-drawing character joining the given directions. */
static uint32_t box_glyph(int m)
{
    switch (m) {
    case LEFT | RIGHT: case LEFT: case RIGHT: return 0x2500;
    case UP | DOWN: case UP: case DOWN: return 0x2502;
    case DOWN | RIGHT: return 0x250c;
    case DOWN | LEFT: return 0x2510;
    case UP | RIGHT: return 0x2514;
    case UP | LEFT: return 0x2518;
    case UP | DOWN | RIGHT: return 0x251c;
    case UP | DOWN | LEFT: return 0x2524;
    case DOWN | LEFT | RIGHT: return 0x252c;
    case UP | LEFT | RIGHT: return 0x2534;
    default: return 0x253c;
    }
}

/* Boxes around the given cell rectangles (they share their edges): mark
 * the edge cells, then give each the glyph that joins its marked
 * neighbours. */
static void draw_boxes(tui_canvas *c, const int (*r)[4], int n)
{
    int cols = tui_canvas_cols(c), rows = tui_canvas_rows(c), i, x, y;
    unsigned char *hv = ef_xcalloc((size_t)cols * (size_t)rows, 1);   /* 1: horizontal, 2: vertical edge */

    for (i = 0; i < n; i++) {
        int x0 = r[i][0] - 1, y0 = r[i][1] - 1, x1 = r[i][0] + r[i][2], y1 = r[i][1] + r[i][3];

        for (x = x0; x <= x1; x++)
            for (y = y0; y <= y1; y += y1 - y0)
                if (x >= 0 && y >= 0 && x < cols && y < rows)
                    hv[y * cols + x] |= 1;
        for (y = y0; y <= y1; y++)
            for (x = x0; x <= x1; x += x1 - x0)
                if (x >= 0 && y >= 0 && x < cols && y < rows)
                    hv[y * cols + x] |= 2;
    }
    tui_canvas_pen(c, TUI_ECG_PEN_FRAME);
    for (y = 0; y < rows; y++)
        for (x = 0; x < cols; x++) {
            int m = 0;

            if (!hv[y * cols + x])
                continue;
            if (y > 0 && (hv[(y - 1) * cols + x] & 2) && (hv[y * cols + x] & 2))
                m |= UP;
            if (y + 1 < rows && (hv[(y + 1) * cols + x] & 2) && (hv[y * cols + x] & 2))
                m |= DOWN;
            if (x > 0 && (hv[y * cols + x - 1] & 1) && (hv[y * cols + x] & 1))
                m |= LEFT;
            if (x + 1 < cols && (hv[y * cols + x + 1] & 1) && (hv[y * cols + x] & 1))
                m |= RIGHT;
            tui_canvas_glyph(c, x, y, box_glyph(m));
        }
    free(hv);
}

/* ------------------------------------------------------------ drawing */

/* " 1.5" style number: up to 2 decimals, no trailing zeros. */
static void fmt_num(char *buf, size_t size, double v)
{
    char *e;

    ef_snprintf(buf, size, "%.2f", fabs(v) < 5e-3 ? 0.0 : v);
    e = buf + strlen(buf);
    while (e > buf && e[-1] == '0')
        *--e = '\0';
    if (e > buf && e[-1] == '.')
        e[-1] = '\0';
}

/* The frame of lead k over [t0, t1) in the cell rectangle (x, y, w, h):
 * centred on the lead's median there.  buf: scratch for t->samples floats. */
static void lead_frame(const tui_ecg_trace *t, const tui_ecg_view *v, int k, double t0, double t1, int x, int y,
                       int w, int h, float *buf, tui_canvas_frame *fr)
{
    double range = t->range / v->gain, base = 0;
    size_t i0, i1;

    i0 = (size_t)fmax(0, floor(t0 * t->rate_hz));
    i1 = (size_t)fmin((double)t->samples, ceil(t1 * t->rate_hz) + 1);
    if (t->v && i1 > i0)
        base = lead_median(t->v, i0, i1, k, buf);
    fr->x = 2 * x;
    fr->y = 4 * y;
    fr->w = 2 * w;
    fr->h = 4 * h;
    fr->x0 = t0;
    fr->x1 = t1;
    fr->y0 = base - range;
    fr->y1 = base + range;
}

static void draw_trace(tui_canvas *c, const tui_ecg_trace *t, int k, const tui_canvas_frame *fr)
{
    int x = fr->x / 2, y = fr->y / 4, w = fr->w / 2, h = fr->h / 4;

    if (!t->v)
        return;
    if (!((t->leads >> k) & 1u)) {
        tui_canvas_pen(c, TUI_ECG_PEN_WARN);
        tui_canvas_text(c, x + (w > 10 ? (w - 10) / 2 : 0), y + h / 2, "(no lead)");
        return;
    }
    tui_canvas_pen(c, TUI_ECG_PEN_TRACE);
    tui_canvas_series(c, fr, t->v + k, t->samples, NLEADS, 0.0, 1.0 / t->rate_hz);
}

/* A label in a box line: " text " from column x, at most maxw cells. */
static void label(tui_canvas *c, int x, int y, const char *text, int maxw, int pen)
{
    char buf[128];
    int cells = 0;
    char *q;

    snprintf(buf, sizeof buf, " %s ", text);
    for (q = buf; *q; q++)   /* cut at maxw cells (a cell starts at a non-continuation byte) */
        if ((*q & 0xc0) != 0x80 && ++cells > maxw) {
            *q = '\0';
            break;
        }
    if (maxw < 3)
        return;
    tui_canvas_pen(c, (uint8_t)pen);
    tui_canvas_text(c, x, y, buf);
}

/* Tick labels of [t0, t1) seconds under a panel (cells x..x+w) on row y. */
static void time_ticks(tui_canvas *c, double t0, double t1, int x, int w, int y)
{
    double ticks[16], step;
    int n = tui_canvas_ticks(t0, t1, w / 8 < 16 ? (w / 8 > 1 ? w / 8 : 2) : 16, ticks, &step), i, last = -1;

    tui_canvas_pen(c, TUI_ECG_PEN_AXIS);
    for (i = 0; i < n; i++) {
        char num[32], txt[40];
        int col = x + (int)floor((ticks[i] - t0) / (t1 - t0) * w);

        fmt_num(num, sizeof num, ticks[i]);
        snprintf(txt, sizeof txt, "%ss", num);
        if (col <= last || col + (int)strlen(txt) > x + w)
            continue;
        tui_canvas_text(c, col, y, txt);
        last = col + (int)strlen(txt);
    }
}

/* "2.5-5 s  ±1.2 mV" ("+/-" on an ASCII canvas); returns its width in cells. */
static int scale_text(const tui_canvas *c, char *buf, size_t size, const tui_ecg_trace *t, const tui_ecg_view *v,
                      const char *units, double t0, double t1)
{
    int ascii = tui_canvas_mode(c) == TUI_CANVAS_ASCII;

    char a[24], b[24], r[24];

    fmt_num(a, sizeof a, t0);
    fmt_num(b, sizeof b, t1);
    fmt_num(r, sizeof r, t->range / v->gain);
    snprintf(buf, size, "%s-%s s  %s%s %s", a, b, ascii ? "+/-" : "\xc2\xb1", r, units ? units : "mV");
    return (int)strlen(buf) - !ascii;   /* "±" is two bytes, one cell */
}

static void draw_grid(tui_canvas *c, const tui_ecg_trace *t, const tui_ecg_view *v, const char *units, float *buf)
{
    int cols = tui_canvas_cols(c), rows = tui_canvas_rows(c), r[NLEADS + 1][4], p;
    double colspan = v->span / 4;
    tui_canvas_frame fr;
    char txt[160];

    for (p = 0; p <= NLEADS; p++)
        tui_ecg_panel(cols, rows, p, &r[p][0], &r[p][1], &r[p][2], &r[p][3]);
    draw_boxes(c, (const int (*)[4])r, NLEADS + 1);
    for (p = 0; p < NLEADS; p++) {
        double t0 = v->start + (p / 3) * colspan;

        lead_frame(t, v, p, t0, t0 + colspan, r[p][0], r[p][1], r[p][2], r[p][3], buf, &fr);
        draw_trace(c, t, p, &fr);
        label(c, r[p][0], r[p][1] - 1, lead_name[p], r[p][2] - 1, TUI_ECG_PEN_LABEL);
    }
    p = NLEADS;
    lead_frame(t, v, RHYTHM_LEAD, v->start, v->start + v->span, r[p][0], r[p][1], r[p][2], r[p][3], buf, &fr);
    draw_trace(c, t, RHYTHM_LEAD, &fr);
    label(c, r[p][0], r[p][1] - 1, "II rhythm", r[p][2] - 1, TUI_ECG_PEN_LABEL);
    time_ticks(c, v->start, v->start + v->span, r[p][0], r[p][2], rows - 1);
    /* the scale at the right of the rhythm strip's line */
    {
        int len = scale_text(c, txt, sizeof txt, t, v, units, v->start, v->start + v->span);

        if (len + 16 < cols)
            label(c, cols - len - 4, r[p][1] - 1, txt, len + 2, TUI_ECG_PEN_AXIS);
    }
}

static void draw_single(tui_canvas *c, const tui_ecg_trace *t, const tui_ecg_view *v, const char *units, float *buf)
{
    int cols = tui_canvas_cols(c), rows = tui_canvas_rows(c), margin = 6, k = v->lead;
    int r[1][4] = { { margin + 1, 1, cols - margin - 2, rows - 2 } };
    double ticks[16], step, base;
    tui_canvas_frame fr;
    char txt[160];
    int n, i;

    if (k < 0 || k >= NLEADS)
        k = RHYTHM_LEAD;
    draw_boxes(c, (const int (*)[4])r, 1);
    lead_frame(t, v, k, v->start, v->start + v->span, r[0][0], r[0][1], r[0][2], r[0][3], buf, &fr);
    label(c, r[0][0], 0, lead_name[k], r[0][2] - 1, TUI_ECG_PEN_LABEL);
    {
        int len = scale_text(c, txt, sizeof txt, t, v, units, v->start, v->start + v->span);

        if (len + 4 < r[0][2] - 8)
            label(c, r[0][0] + r[0][2] - len - 3, 0, txt, len + 2, TUI_ECG_PEN_AXIS);
    }
    time_ticks(c, v->start, v->start + v->span, r[0][0], r[0][2], rows - 1);
    /* millivolt ticks relative to the baseline: labels left, dotted lines across */
    base = (fr.y0 + fr.y1) / 2;
    n = tui_canvas_ticks(fr.y0 - base, fr.y1 - base, rows / 3 > 2 ? rows / 3 : 2, ticks, &step);
    for (i = 0; i < n; i++) {
        int y = tui_canvas_frame_y(&fr, base + ticks[i]), x;
        char num[32];

        fmt_num(num, sizeof num, ticks[i]);
        tui_canvas_pen(c, TUI_ECG_PEN_AXIS);
        tui_canvas_text(c, margin - (int)strlen(num) < 0 ? 0 : margin - (int)strlen(num), y / 4, num);
        for (x = fr.x; x < fr.x + fr.w; x += 6)
            tui_canvas_dot(c, x, y);
    }
    draw_trace(c, t, k, &fr);   /* after the grid dots: the trace's colour wins */
    tui_canvas_pen(c, TUI_ECG_PEN_AXIS);
    tui_canvas_text(c, 0, 0, units ? units : "mV");
}

void tui_ecg_draw(tui_canvas *c, const tui_ecg_trace *t, const tui_ecg_view *v, const char *units)
{
    int cols = tui_canvas_cols(c), rows = tui_canvas_rows(c);
    float *buf = ef_xmalloc((t->samples ? t->samples : 1) * sizeof *buf);

    tui_canvas_clear(c);
    if (cols < TUI_ECG_MIN_COLS || rows < TUI_ECG_MIN_ROWS) {
        tui_canvas_pen(c, TUI_ECG_PEN_WARN);
        tui_canvas_text(c, 0, 0, "(too small for the ECG)");
    } else if (v->layout == TUI_ECG_SINGLE) {
        draw_single(c, t, v, units, buf);
    } else {
        draw_grid(c, t, v, units, buf);
    }
    free(buf);
}
