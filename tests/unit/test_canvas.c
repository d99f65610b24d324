/* test_canvas.c — the Braille canvas (src/tui/tui_canvas.c): dots of known
 * lines, the cell encoding, min/max decimation keeping a one-sample spike,
 * the ASCII fallback, text and colours, nice ticks; and the ECG laid out on
 * it (src/tui/tui_ecg_plot.c): panels of the 3 x 4 grid and the rhythm
 * strip, lead names, a spike in its lead's panel at its time, one scale for
 * every lead, zoom and scroll, the single-lead view.  TEST_CANVAS_SHOW=1
 * prints the drawn ECGs as diagnostics. */
#include "config.h"
#include "tap.h"
#include "tui/tui_canvas.h"
#include "tui/tui_ecg_plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The dots of c as rows of '#'/'.' for readable failures. */
static void dump(const tui_canvas *c)
{
    char line[512];
    int x, y;

    for (y = 0; y < tui_canvas_dot_height(c); y++) {
        for (x = 0; x < tui_canvas_dot_width(c) && x < 511; x++)
            line[x] = tui_canvas_get_dot(c, x, y) ? '#' : '.';
        line[x] = '\0';
        diag("%s", line);
    }
}

static int count_dots(const tui_canvas *c)
{
    int x, y, n = 0;

    for (y = 0; y < tui_canvas_dot_height(c); y++)
        for (x = 0; x < tui_canvas_dot_width(c); x++)
            n += tui_canvas_get_dot(c, x, y);
    return n;
}

static void test_cells(void)
{
    tui_canvas *c = tui_canvas_new(3, 2, TUI_CANVAS_BRAILLE);
    char buf[64];
    size_t need;

    is_int(tui_canvas_dot_width(c), 6, "3 cells are 6 dots wide");
    is_int(tui_canvas_dot_height(c), 8, "2 cells are 8 dots high");
    tui_canvas_row(c, 0, buf, sizeof buf);
    is_str(buf, "   ", "an empty row prints as spaces");
    tui_canvas_dot(c, 0, 0);
    tui_canvas_cell(c, 0, 0, buf);
    is_str(buf, "\xe2\xa0\x81", "dot (0,0) is U+2801");
    tui_canvas_dot(c, 1, 3);
    tui_canvas_cell(c, 0, 0, buf);
    is_str(buf, "\xe2\xa2\x81", "dots (0,0) and (1,3) are U+2881");
    tui_canvas_clear(c);
    /* every dot of a cell: U+28FF */
    tui_canvas_line(c, 2, 0, 2, 3);
    tui_canvas_line(c, 3, 0, 3, 3);
    tui_canvas_cell(c, 1, 0, buf);
    is_str(buf, "\xe2\xa3\xbf", "a full cell is U+28FF");
    need = tui_canvas_row(c, 0, buf, sizeof buf);
    is_int((long long)need, 5, "row bytes: space + 3-byte Braille + space");
    is_str(buf, " \xe2\xa3\xbf ", "row text");
    need = tui_canvas_row(c, 0, buf, 3);
    is_str(buf, " ", "a short buffer is not cut mid-character");
    tui_canvas_dot(c, -1, 0);
    tui_canvas_dot(c, 6, 0);
    tui_canvas_dot(c, 0, 8);
    is_int(count_dots(c), 8, "dots outside the canvas are ignored");
    tui_canvas_free(c);
}

static void test_lines(void)
{
    tui_canvas *c = tui_canvas_new(10, 5, TUI_CANVAS_BRAILLE);
    int x, all = 1;

    tui_canvas_line(c, 0, 0, 19, 19);
    for (x = 0; x < 20; x++)
        all &= tui_canvas_get_dot(c, x, x);
    ok(all && count_dots(c) == 20, "diagonal (0,0)-(19,19): exactly the 20 dots x == y");
    tui_canvas_clear(c);
    tui_canvas_hline(c, 3, 12, 7);
    all = 1;
    for (x = 3; x <= 12; x++)
        all &= tui_canvas_get_dot(c, x, 7);
    ok(all && count_dots(c) == 10, "horizontal line: 10 dots on row 7");
    tui_canvas_clear(c);
    tui_canvas_line(c, 0, 19, 19, 9);   /* shallow, rising: one dot per column */
    all = count_dots(c) == 20 && tui_canvas_get_dot(c, 0, 19) && tui_canvas_get_dot(c, 19, 9);
    for (x = 0; x < 20; x++) {
        int y, n = 0;

        for (y = 0; y < 20; y++)
            n += tui_canvas_get_dot(c, x, y);
        all &= n == 1;
    }
    if (!ok(all, "line (0,19)-(19,9): both ends, one dot in each column"))
        dump(c);
    tui_canvas_clear(c);
    tui_canvas_line(c, -5, 2, 30, 2);
    is_int(count_dots(c), 20, "a line past both edges is clipped to the canvas");
    tui_canvas_free(c);
}

static void test_frame(void)
{
    tui_canvas *c = tui_canvas_new(10, 5, TUI_CANVAS_BRAILLE);
    tui_canvas_frame f = { 0, 0, 20, 20, 0.0, 10.0, -1.0, 1.0 };

    is_int(tui_canvas_frame_x(&f, 0), 0, "x0 maps to the left column");
    is_int(tui_canvas_frame_x(&f, 9.99), 19, "just below x1 maps to the right column");
    is_int(tui_canvas_frame_y(&f, -1), 19, "y0 maps to the bottom row");
    is_int(tui_canvas_frame_y(&f, 1), 0, "y1 maps to the top row");
    tui_canvas_point(c, &f, 5, 0);
    ok(tui_canvas_get_dot(c, 10, 9) && count_dots(c) == 1, "point (5, 0) is dot (10, 9): mid-height rounds up");
    tui_canvas_point(c, &f, 11, 0);
    tui_canvas_point(c, &f, 5, NAN);
    is_int(count_dots(c), 1, "points outside the frame or NaN are not drawn");
    tui_canvas_clear(c);
    f.x = 4;
    f.w = 8;
    tui_canvas_segment(c, &f, -100, 0, 100, 0);
    is_int(count_dots(c), 8, "a segment is clipped to its frame, not just the canvas");
    tui_canvas_free(c);
}

/* A 5000-sample flat series with one sample at +1 (at 4321) and one at -1
 * (at 1234), drawn on 30 dot columns: both extremes must appear. */
static void test_decimation(void)
{
    enum { N = 5000 };
    float *v = calloc(N, sizeof *v);
    tui_canvas *c = tui_canvas_new(15, 4, TUI_CANVAS_BRAILLE);
    tui_canvas_frame f = { 0, 0, 30, 16, 0.0, 10.0, -1.0, 1.0 };
    int col_hi = tui_canvas_frame_x(&f, 4321 * 0.002), col_lo = tui_canvas_frame_x(&f, 1234 * 0.002);
    int x, y, n, gaps = 0;

    v[4321] = 1.0f;
    v[1234] = -1.0f;
    tui_canvas_series(c, &f, v, N, 1, 0.0, 0.002);
    ok(tui_canvas_get_dot(c, col_hi, 0), "the +1 spike (one sample in 5000) reaches the top row");
    ok(tui_canvas_get_dot(c, col_lo, 15), "the -1 spike reaches the bottom row");
    for (x = 0; x < 30; x++) {
        for (n = 0, y = 0; y < 16; y++)
            n += tui_canvas_get_dot(c, x, y);
        gaps += n == 0;
    }
    if (!is_int(gaps, 0, "every dot column of the trace has a dot (no gaps)"))
        dump(c);
    y = tui_canvas_frame_y(&f, 0);
    ok(y == 7 && tui_canvas_get_dot(c, 0, y) && tui_canvas_get_dot(c, 29, y) && !tui_canvas_get_dot(c, 0, 0),
       "the baseline (0 mV) runs from edge to edge on row 7");
    /* the same spike one column later: still seen after a shift by a sample */
    tui_canvas_clear(c);
    tui_canvas_series(c, &f, v, N, 1, 0.002, 0.002);
    ok(tui_canvas_get_dot(c, tui_canvas_frame_x(&f, 4322 * 0.002), 0), "spike survives a 1-sample shift");
    /* stride: lead 1 of a [n, 2] array */
    {
        float *w = calloc(2 * N, sizeof *w);

        w[2 * 4321 + 1] = 1.0f;
        w[2 * 4321] = -1.0f;
        tui_canvas_clear(c);
        tui_canvas_series(c, &f, w + 1, N, 2, 0.0, 0.002);
        ok(tui_canvas_get_dot(c, col_hi, 0) && !tui_canvas_get_dot(c, col_hi, 15),
           "stride 2 reads the second column only");
        free(w);
    }
    /* zoomed in: 5 samples on 30 columns become a polyline without gaps */
    tui_canvas_clear(c);
    {
        float z[5] = { -1, 1, -1, 1, -1 };
        tui_canvas_frame g = { 0, 0, 30, 16, 0.0, 4.0, -1.0, 1.0 };

        tui_canvas_series(c, &g, z, 5, 1, 0.0, 1.0);
        for (gaps = 0, x = 0; x < 30; x++) {
            for (n = 0, y = 0; y < 16; y++)
                n += tui_canvas_get_dot(c, x, y);
            gaps += n == 0;
        }
        ok(gaps <= 1 && tui_canvas_get_dot(c, 0, 15) && tui_canvas_get_dot(c, 7, 0),
           "sparse samples are joined by lines (gaps %d)", gaps);
    }
    /* values beyond the range are drawn on the edge; NaN breaks the line */
    tui_canvas_clear(c);
    {
        float z[4] = { 5, 5, NAN, -5 };
        tui_canvas_frame g = { 0, 0, 30, 16, 0.0, 4.0, -1.0, 1.0 };

        tui_canvas_series(c, &g, z, 4, 1, 0.0, 1.0);
        ok(tui_canvas_get_dot(c, 0, 0) && tui_canvas_get_dot(c, 22, 15), "out-of-range values sit on the edges");
        ok(!tui_canvas_get_dot(c, 18, 8), "no line across the NaN");
    }
    tui_canvas_free(c);
    free(v);
}

static void test_ascii(void)
{
    tui_canvas *c = tui_canvas_new(6, 2, TUI_CANVAS_ASCII);
    char buf[64];
    int i, ascii = 1;

    tui_canvas_hline(c, 0, 3, 1);          /* cells 0-1, row 1: '-' */
    tui_canvas_vline(c, 4, 0, 7);          /* cell 2, rows 0-1: '|' */
    tui_canvas_line(c, 6, 3, 7, 0);        /* cell 3 rising: '/' */
    tui_canvas_dot(c, 8, 3);               /* cell 4 bottom row: '.' */
    tui_canvas_text(c, 5, 0, "\xe2\x94\x80");   /* U+2500 */
    tui_canvas_text(c, 0, 1, "\xe2\x94\x8c\xe2\x96\xb8\xc2\xb5V");   /* corner, triangle, µV */
    tui_canvas_row(c, 0, buf, sizeof buf);
    is_str(buf, "--|/.-", "ASCII row: flat '-', tall '|', rising '/', low '.', box line '-'");
    tui_canvas_row(c, 1, buf, sizeof buf);
    like(buf, "+>uV", "ASCII text: corner '+', triangle '>', micro 'u'");
    tui_canvas_set_mode(c, TUI_CANVAS_BRAILLE);
    tui_canvas_row(c, 0, buf, sizeof buf);
    for (i = 0; buf[i]; i++)
        ascii &= (unsigned char)buf[i] < 0x80;
    ok(!ascii, "the same canvas in Braille mode is not ASCII");
    tui_canvas_set_mode(c, TUI_CANVAS_ASCII);
    tui_canvas_clear(c);
    ascii = 1;
    tui_canvas_line(c, 0, 0, 11, 7);
    tui_canvas_text(c, 0, 1, "\xcf\x80 \xff!");
    for (i = 0; i < 2; i++) {
        int k;

        tui_canvas_row(c, i, buf, sizeof buf);
        for (k = 0; buf[k]; k++)
            ascii &= (unsigned char)buf[k] < 0x80 && buf[k] >= ' ';
    }
    ok(ascii, "ASCII mode prints only printable ASCII (also for pi and a stray byte)");
    tui_canvas_clear(c);
    tui_canvas_line(c, 0, 0, 1, 3);
    tui_canvas_cell(c, 0, 0, buf);
    is_str(buf, "\\", "falling in a cell: '\\'");
    tui_canvas_free(c);
}

static void test_text_color(void)
{
    tui_canvas *c = tui_canvas_new(8, 1, TUI_CANVAS_BRAILLE);
    char buf[64];

    tui_canvas_pen(c, 3);
    tui_canvas_dot(c, 0, 0);
    tui_canvas_pen(c, 5);
    is_int(tui_canvas_text(c, 4, 0, "aVR\xe2\x94\x80xyz"), 4, "text is clipped at the edge");
    tui_canvas_row(c, 0, buf, sizeof buf);
    is_str(buf, "\xe2\xa0\x81   aVR\xe2\x94\x80", "text replaces dots, UTF-8 kept");
    is_int(tui_canvas_cell_color(c, 0, 0), 3, "a dot's cell has the pen it was drawn with");
    is_int(tui_canvas_cell_color(c, 5, 0), 5, "a text cell too");
    is_int(tui_canvas_cell_color(c, 2, 0), 0, "an untouched cell has colour 0");
    tui_canvas_resize(c, 2, 2);
    is_int(tui_canvas_cols(c) * 10 + tui_canvas_rows(c), 22, "resize");
    is_int(count_dots(c), 0, "resize clears");
    tui_canvas_free(c);
}

static void test_ticks(void)
{
    double t[16], step;
    int n;

    n = tui_canvas_ticks(0, 10, 6, t, &step);
    ok(n == 6 && step == 2 && t[0] == 0 && t[5] == 10, "ticks 0..10 by 2 (%d, step %g)", n, step);
    n = tui_canvas_ticks(-1.3, 2.2, 8, t, &step);
    ok(n == 7 && step == 0.5 && t[0] == -1 && t[2] == 0, "ticks -1..2 by 0.5 (%d, step %g)", n, step);
    n = tui_canvas_ticks(20, 70, 3, t, &step);
    ok(n <= 3 && n >= 2 && step == 20, "at most 3 ticks in 20..70 (%d, step %g)", n, step);
    is_int(tui_canvas_ticks(1, 1, 5, t, NULL), 0, "empty range: no ticks");
    is_int(tui_canvas_ticks(0, NAN, 5, t, NULL), 0, "NaN range: no ticks");
}

/* 10 s of 12 leads at 500 Hz: lead k at 0 mV with a pulse of k/10 mV for
 * the first 0.2 s of each second, lead V1 with one spike of +2 mV at 5.5 s. */
static float *make_ecg(void)
{
    float *v = calloc(5000 * 12, sizeof *v);

    for (size_t i = 0; i < 5000; i++)
        for (size_t k = 0; k < 12; k++)
            v[i * 12 + k] = i % 500 < 100 ? (float)k / 10.0f : 0.0f;
    v[2750 * 12 + 6] = 2.0f;
    return v;
}

static void show(const tui_canvas *c, const char *what)
{
    char row[4096];

    if (!getenv("TEST_CANVAS_SHOW"))
        return;
    diag("%s", what);
    for (int y = 0; y < tui_canvas_rows(c); y++) {
        tui_canvas_row(c, y, row, sizeof row);
        diag("%s", row);
    }
}

/* 1 if some dot is set in the cell rectangle (x, y, w, h). */
static int any_dot(const tui_canvas *c, int x, int y, int w, int h)
{
    for (int dy = 4 * y; dy < 4 * (y + h); dy++)
        for (int dx = 2 * x; dx < 2 * (x + w); dx++)
            if (tui_canvas_get_dot(c, dx, dy))
                return 1;
    return 0;
}

static void test_ecg_plot(void)
{
    float *v = make_ecg();
    tui_canvas *c = tui_canvas_new(80, 17, TUI_CANVAS_BRAILLE);
    tui_ecg_trace t;
    tui_ecg_view view;
    int x, y, w, h, x2, y2, w2, h2, i, spike_col, found;
    char row[4096];

    /* geometry */
    ok(tui_ecg_panel(80, 17, 0, &x, &y, &w, &h) && x == 1 && y == 1 && w == 19 && h == 3,
       "panel I at (1,1) 19x3 (%d,%d %dx%d)", x, y, w, h);
    ok(tui_ecg_panel(80, 17, 11, &x, &y, &w, &h) && x == 61 && y == 9 && w == 18 && h == 3,
       "panel V6 at (61,9) 18x3 (%d,%d %dx%d)", x, y, w, h);
    ok(tui_ecg_panel(80, 17, 12, &x, &y, &w, &h) && x == 1 && y == 13 && w == 78 && h == 3,
       "the rhythm strip spans the width (%d,%d %dx%d)", x, y, w, h);
    tui_ecg_panel(80, 17, 1, &x2, &y2, &w2, &h2);
    ok(x2 == 1 && y2 == 5, "panel II under I, one box line between (%d,%d)", x2, y2);
    ok(!tui_ecg_panel(23, 17, 0, &x, &y, &w, &h) && !tui_ecg_panel(80, 8, 0, &x, &y, &w, &h),
       "too small: no panels");

    /* the grid view */
    tui_ecg_trace_set(&t, v, 5000, 500, 0xfff & ~(1u << 4));   /* aVL absent */
    ok(t.range > 1.1 && t.range < 1.2, "range from the second largest lead (V6 1.1 mV, not V1's spike): %g", t.range);
    tui_ecg_view_init(&view);
    tui_ecg_draw(c, &t, &view, "mV");
    show(c, "grid, 10 s");
    tui_canvas_row(c, 0, row, sizeof row);
    like(row, "\xe2\x94\x8c I \xe2\x94\x80", "top line: corner, ' I ', box line");
    like(row, " aVR ", "aVR names the second column");
    tui_canvas_row(c, 4, row, sizeof row);
    like(row, "\xe2\x94\x9c II \xe2\x94\x80", "II under I, after a tee");
    like(row, "\xe2\x94\xbc aVL ", "aVL after a cross");
    tui_canvas_row(c, 12, row, sizeof row);
    like(row, " II rhythm ", "the rhythm strip's name");
    like(row, "0-10 s  \xc2\xb1" "1.16 mV", "the time shown and the range");
    tui_canvas_row(c, 16, row, sizeof row);
    like(row, "0s", "time ticks on the bottom line");
    tui_canvas_row(c, 6, row, sizeof row);
    like(row, "(no lead)", "an absent lead says so");
    /* V1 (panel 6) shows 5-7.5 s: the spike at 5.5 s is at its top row */
    tui_ecg_panel(80, 17, 6, &x, &y, &w, &h);
    spike_col = 2 * x + (int)floor((5.5 - 5.0) / 2.5 * 2 * w);
    for (found = 0, i = -1; i <= 1; i++)
        found |= tui_canvas_get_dot(c, spike_col + i, 4 * y);
    ok(found, "V1's one-sample spike reaches the top of its panel at 5.5 s");
    ok(any_dot(c, 1, 1, 19, 3), "lead I (flat) drawn");
    tui_ecg_panel(80, 17, 11, &x, &y, &w, &h);
    /* V6's 1.1 mV pulses nearly reach the top (the range is V6's) */
    for (found = 0, i = 2 * x; i < 2 * (x + w); i++)
        found |= tui_canvas_get_dot(c, i, 4 * y) | tui_canvas_get_dot(c, i, 4 * y + 1);
    ok(found, "V6's pulses reach the top of its panel");
    tui_ecg_panel(80, 17, 2, &x, &y, &w, &h);   /* III: 0.2 mV, a fifth as tall */
    {
        int top = 4 * (y + h), bottom = -1;

        for (int dy = 4 * y; dy < 4 * (y + h); dy++)
            for (int dx = 2 * x; dx < 2 * (x + w); dx++)
                if (tui_canvas_get_dot(c, dx, dy)) {
                    top = dy < top ? dy : top;
                    bottom = dy > bottom ? dy : bottom;
                }
        ok(bottom >= top && bottom - top <= 2, "III (0.2 mV) is drawn to the same scale: %d dots tall",
           bottom - top + 1);
    }
    /* zoom and scroll */
    ok(tui_ecg_zoom(&view, 1, 10) && view.span == 5 && view.start == 2.5, "zoom in keeps the middle (5 s from 2.5)");
    ok(tui_ecg_scroll(&view, 1, 10) && view.start == 3.75, "scroll a quarter span");
    for (i = 0; i < 8; i++)
        tui_ecg_scroll(&view, 1, 10);
    ok(view.start == 5 && !tui_ecg_scroll(&view, 1, 10), "scroll stops at the end");
    ok(tui_ecg_zoom(&view, 1, 10) && tui_ecg_zoom(&view, 1, 10) && tui_ecg_zoom(&view, 1, 10) &&
       !tui_ecg_zoom(&view, 1, 10) && view.span == 0.625, "zoom stops at 0.625 s");
    while (tui_ecg_zoom(&view, -1, 10))
        ;
    ok(view.span == 10 && view.start == 0, "zoom out to the whole 10 s");
    ok(tui_ecg_gain(&view, 1) && view.gain == 2, "gain up");
    tui_ecg_zoom(&view, 1, 10);
    tui_ecg_draw(c, &t, &view, "mV");
    show(c, "grid, 5 s, gain 2");
    tui_canvas_row(c, 12, row, sizeof row);
    like(row, "2.5-7.5 s", "the zoomed time");
    like(row, "\xc2\xb1" "0.58 mV", "the halved range");

    /* one lead large */
    tui_ecg_view_init(&view);
    view.layout = TUI_ECG_SINGLE;
    view.lead = 6;
    tui_canvas_resize(c, 80, 20);
    tui_ecg_draw(c, &t, &view, "mV");
    show(c, "V1 alone");
    tui_canvas_row(c, 0, row, sizeof row);
    like(row, " V1 ", "single view names its lead");
    for (found = 0, y = 0; y < 20; y++) {
        tui_canvas_row(c, y, row, sizeof row);
        found += strstr(row, "0.5") != NULL || strstr(row, "-1 ") != NULL;
    }
    ok(found >= 2, "millivolt labels on the left");
    tui_canvas_set_mode(c, TUI_CANVAS_ASCII);
    tui_ecg_draw(c, &t, &view, "mV");
    show(c, "V1 alone, ASCII");
    for (found = 1, y = 0; y < 20; y++) {
        tui_canvas_row(c, y, row, sizeof row);
        for (i = 0; row[i]; i++)
            found &= (unsigned char)row[i] < 0x80;
    }
    ok(found, "ASCII canvas: the whole ECG view is ASCII");
    tui_canvas_row(c, 0, row, sizeof row);
    like(row, "+/-", "and says +/- for the range");
    tui_canvas_resize(c, 20, 6);
    tui_ecg_draw(c, &t, &view, "mV");
    tui_canvas_row(c, 0, row, sizeof row);
    like(row, "too small", "a tiny canvas says it is too small");
    /* no ECG yet: boxes only */
    tui_ecg_trace_set(&t, NULL, 0, 500, 0);
    tui_canvas_resize(c, 80, 17);
    tui_canvas_set_mode(c, TUI_CANVAS_BRAILLE);
    tui_ecg_view_init(&view);
    tui_ecg_draw(c, &t, &view, "mV");
    ok(!any_dot(c, 0, 0, 80, 17), "no ECG: no dots, just the boxes");
    tui_canvas_free(c);
    free(v);
}

/* Axes for part 2's scatter plots: labels, the frame inside them. */
static void test_axes(void)
{
    tui_canvas *c = tui_canvas_new(40, 12, TUI_CANVAS_BRAILLE);
    tui_canvas_frame f;
    char row[512];
    int y, found100 = 0, found0 = 0;

    ok(!tui_canvas_axes(c, 0, 0, 11, 12, 0, 10, 0, 100, &f), "axes: too narrow");
    ok(!tui_canvas_axes(c, 0, 0, 40, 12, 0, 10, 5, 5, &f), "axes: empty range");
    if (!ok(tui_canvas_axes(c, 0, 0, 40, 12, 0, 10, 0, 100, &f), "axes on 40x12"))
        return;
    ok(f.x == 2 * 4 && f.w == 2 * 36 && f.y == 0 && f.h == 4 * 10,
       "plot frame right of the 3-wide labels, above the axis (%d,%d %dx%d)", f.x, f.y, f.w, f.h);
    for (y = 0; y < 10; y++) {
        tui_canvas_row(c, y, row, sizeof row);
        found100 |= strncmp(row, "100\xe2\x94\xa4", 6) == 0;
        found0 |= strncmp(row, "  0\xe2\x94\xa4", 6) == 0;
    }
    ok(found100 && found0, "y labels 100 and 0 with their ticks");
    tui_canvas_row(c, 10, row, sizeof row);
    like(row, "\xe2\x94\x94", "the corner on the axis row");
    tui_canvas_row(c, 11, row, sizeof row);
    ok(strstr(row, "0") && strstr(row, "10"), "x labels 0 .. 10: '%s'", row);
    tui_canvas_point(c, &f, 10 - 1e-9, 100);
    ok(tui_canvas_get_dot(c, f.x + f.w - 1, f.y), "a point at (10, 100) sits in the frame's top right");
    show(c, "axes");
    tui_canvas_free(c);
}

int main(void)
{
    test_cells();
    test_lines();
    test_frame();
    test_decimation();
    test_ascii();
    test_text_color();
    test_ticks();
    test_ecg_plot();
    test_axes();
    return done_testing();
}
