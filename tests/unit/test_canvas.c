/* test_canvas.c — the Braille canvas (src/tui/tui_canvas.c): dots of known
 * lines, the cell encoding, min/max decimation keeping a one-sample spike,
 * the ASCII fallback, text and colours, nice ticks. */
#include "config.h"
#include "tap.h"
#include "tui/tui_canvas.h"

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

int main(void)
{
    test_cells();
    test_lines();
    test_frame();
    test_decimation();
    test_ascii();
    test_text_color();
    test_ticks();
    return done_testing();
}
