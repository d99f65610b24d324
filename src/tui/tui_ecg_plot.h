/* tui_ecg_plot.h — a 12-lead ECG laid out on a canvas (tui_canvas.h), free
 * of curses.
 *
 * Grid view, as an ECG is printed: four columns of three leads, each
 * column a quarter of the time shown and following the one before
 * (I, II, III | aVR, aVL, aVF | V1-V3 | V4-V6, 2.5 s each of 10 s), and
 * under them a rhythm strip of lead II over the whole time.  Single view:
 * one lead over the whole area with a millivolt axis.  Panels are boxed,
 * lead names sit in the box lines, the bottom line says the time shown and
 * the amplitude scale.
 *
 * Amplitude is the same for every lead (a millivolt is as tall in V1 as in
 * aVL): each panel shows its lead's median over the panel's time plus and
 * minus one range, the range made from the ECG's largest deflections (the
 * second largest lead's, so one noisy lead cannot flatten the others) and
 * divided by a gain.  Time: zoom halves or doubles the span (10 s down to
 * 0.625 s), scroll moves by a quarter of it. */
#ifndef TUI_ECG_PLOT_H
#define TUI_ECG_PLOT_H

#include <stddef.h>
#include "tui_canvas.h"

/* Pens (colour indices) the plot draws with; the front end gives them
 * colours. */
enum tui_ecg_pen { TUI_ECG_PEN_TRACE = 1, TUI_ECG_PEN_FRAME, TUI_ECG_PEN_LABEL, TUI_ECG_PEN_WARN,
                   TUI_ECG_PEN_AXIS };

/* An ECG to draw: v[i * 12 + k] (PCLR lead order), NaN for no value. */
typedef struct tui_ecg_trace {
    const float *v;
    size_t samples;
    double rate_hz;
    unsigned leads;         /* bit k: lead k present */
    double range;           /* mV above and below the baseline at gain 1 */
} tui_ecg_trace;

/* Point t at an ECG and work out its common range (the memory stays the
 * caller's). */
void tui_ecg_trace_set(tui_ecg_trace *t, const float *v, size_t samples, double rate_hz, unsigned leads);
/* Seconds the ECG lasts. */
double tui_ecg_duration(const tui_ecg_trace *t);

enum tui_ecg_layout { TUI_ECG_GRID, TUI_ECG_SINGLE };

typedef struct tui_ecg_view {
    int layout;             /* enum tui_ecg_layout */
    int lead;               /* the lead of the single view, and the rhythm strip's (II) */
    double span;            /* seconds across the view (grid: all four columns) */
    double start;           /* seconds at the left edge */
    double gain;            /* amplitude: 1 fits the largest deflections */
} tui_ecg_view;

#define TUI_ECG_SPAN_MAX 10.0
#define TUI_ECG_SPAN_MIN 0.625

void tui_ecg_view_init(tui_ecg_view *v);
/* Zoom in (dir > 0) or out, keeping the middle in view; 1 if it changed. */
int tui_ecg_zoom(tui_ecg_view *v, int dir, double duration);
/* Scroll a quarter span later (dir > 0) or earlier, within the ECG; 1 if
 * it moved. */
int tui_ecg_scroll(tui_ecg_view *v, int dir, double duration);
/* Amplitude gain up (dir > 0: x2) or down; 1 if it changed (1/8 .. 8). */
int tui_ecg_gain(tui_ecg_view *v, int dir);

/* The smallest canvas the grid view needs (cells). */
#define TUI_ECG_MIN_COLS 24
#define TUI_ECG_MIN_ROWS 9

/* Draw the view of t over the whole canvas (cleared first; a canvas in
 * ASCII mode prints the box lines as - | +).  units names the values
 * ("mV").  t->v NULL draws the frame with its panels empty. */
void tui_ecg_draw(tui_canvas *c, const tui_ecg_trace *t, const tui_ecg_view *v, const char *units);

/* The cell rectangle of panel p of the grid for a canvas of cols x rows:
 * p 0..11 the leads in PCLR order, 12 the rhythm strip.  0 if the canvas
 * is too small.  (For tests and for pointing at a panel.) */
int tui_ecg_panel(int cols, int rows, int p, int *x, int *y, int *w, int *h);

#endif
