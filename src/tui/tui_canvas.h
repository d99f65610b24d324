/* tui_canvas.h — a dot canvas for terminal plots, free of curses.
 *
 * A canvas is cols x rows character cells; each cell holds 2 x 4 dots, so
 * the drawing surface is (2 * cols) x (4 * rows) dots, origin top left.  A
 * cell prints as the Braille character U+2800 + its dot pattern (an empty
 * cell as a space), or, when the terminal's locale is not UTF-8, as an ASCII
 * character chosen from where its dots lie ('-', '.', '\'', '|', '/', '\\').
 * The dot resolution is the same in both modes, so drawing code does not
 * care which one prints.
 *
 * A cell may instead hold a text character (lead names, axis labels, box
 * lines), which replaces its dots when printed; in ASCII mode box-drawing
 * and other non-ASCII characters print as their nearest ASCII look-alike.
 * Each cell also has a colour index (0: default), the pen that last drew in
 * it; what an index means is the front end's business.
 *
 * Plots map world coordinates to a dot rectangle through a frame.  Series
 * are drawn with min/max decimation per dot column (every sample of a
 * column widens its vertical span), so a one-sample QRS spike in 5000
 * samples drawn on 60 dot columns stays visible. */
#ifndef TUI_CANVAS_H
#define TUI_CANVAS_H

#include <stddef.h>
#include <stdint.h>

enum tui_canvas_mode { TUI_CANVAS_BRAILLE, TUI_CANVAS_ASCII };

typedef struct tui_canvas tui_canvas;

/* 1 when the current LC_CTYPE encodes UTF-8 (after setlocale(LC_CTYPE, "")). */
int tui_canvas_locale_utf8(void);

/* A cleared canvas of cols x rows cells (each at least 1). */
tui_canvas *tui_canvas_new(int cols, int rows, int mode);
void tui_canvas_free(tui_canvas *c);
/* Resize (contents are cleared). */
void tui_canvas_resize(tui_canvas *c, int cols, int rows);
void tui_canvas_clear(tui_canvas *c);
void tui_canvas_set_mode(tui_canvas *c, int mode);
int tui_canvas_mode(const tui_canvas *c);
int tui_canvas_cols(const tui_canvas *c);
int tui_canvas_rows(const tui_canvas *c);
/* Dot size: 2 * cols, 4 * rows. */
int tui_canvas_dot_width(const tui_canvas *c);
int tui_canvas_dot_height(const tui_canvas *c);

/* Colour index for what is drawn next (0: default). */
void tui_canvas_pen(tui_canvas *c, uint8_t color);

/* ---- dots (integer dot coordinates; outside the canvas: ignored) ---- */

void tui_canvas_dot(tui_canvas *c, int x, int y);
int tui_canvas_get_dot(const tui_canvas *c, int x, int y);
/* Every dot of the straight line from (x0, y0) to (x1, y1), both included. */
void tui_canvas_line(tui_canvas *c, int x0, int y0, int x1, int y1);
void tui_canvas_hline(tui_canvas *c, int x0, int x1, int y);
void tui_canvas_vline(tui_canvas *c, int x, int y0, int y1);

/* ---- text (cell coordinates) ---- */

/* Put UTF-8 text into cells from (col, row) rightwards, one cell per code
 * point, clipped at the canvas edge; returns the cells written.  Invalid
 * UTF-8 bytes become '?'. */
int tui_canvas_text(tui_canvas *c, int col, int row, const char *utf8);
/* Put one code point into a cell. */
void tui_canvas_glyph(tui_canvas *c, int col, int row, uint32_t cp);

/* ---- output ---- */

/* UTF-8 bytes of cell (col, row) into buf (room for 4 + NUL); returns the
 * length.  ASCII mode gives one byte. */
int tui_canvas_cell(const tui_canvas *c, int col, int row, char *buf);
uint8_t tui_canvas_cell_color(const tui_canvas *c, int col, int row);
/* A whole row as NUL-terminated UTF-8 into buf (truncated to size, never
 * mid-character); returns the bytes a full row needs (without NUL):
 * 3 * cols + 1 is always enough. */
size_t tui_canvas_row(const tui_canvas *c, int row, char *buf, size_t size);
/* The ASCII character printed for a non-ASCII text code point. */
char tui_canvas_ascii_of(uint32_t cp);

/* ---- world coordinates ---- */

/* A dot rectangle (x, y, w, h) showing world x in [x0, x1) left to right
 * and world y in [y0, y1] bottom to top. */
typedef struct tui_canvas_frame {
    int x, y, w, h;
    double x0, x1, y0, y1;
} tui_canvas_frame;

/* Dot column / row of a world coordinate (may lie outside the frame). */
int tui_canvas_frame_x(const tui_canvas_frame *f, double wx);
int tui_canvas_frame_y(const tui_canvas_frame *f, double wy);
/* A point (scatter plots) and a segment, clipped to the frame. */
void tui_canvas_point(tui_canvas *c, const tui_canvas_frame *f, double wx, double wy);
void tui_canvas_segment(tui_canvas *c, const tui_canvas_frame *f, double wx0, double wy0,
                        double wx1, double wy1);
/* A sampled series: v[i * stride] at world x = t0 + i * dt, i < n, drawn
 * where it falls inside the frame's x range.  Samples that share a dot
 * column are drawn as one vertical span from their minimum to their
 * maximum, joined to the previous column by a line; so sparse samples
 * (zoomed in) become a polyline and dense ones keep every extreme.  Values
 * outside [y0, y1] are drawn at the frame's edge; NaN breaks the line. */
void tui_canvas_series(tui_canvas *c, const tui_canvas_frame *f, const float *v, size_t n,
                       size_t stride, double t0, double dt);

/* Up to max "nice" tick values (1, 2 or 5 times a power of ten apart)
 * within [lo, hi] into ticks; returns how many (0 if the range is empty
 * or not finite) and the spacing in *step (may be NULL). */
int tui_canvas_ticks(double lo, double hi, int max, double *ticks, double *step);

/* Axes for a plot in the cell rectangle (col, row, cols, rows): a left
 * axis with labelled ticks of [y0, y1] and a bottom one with labelled
 * ticks of [x0, x1], as box lines and text in the pen's colour.  *f gets
 * the dot frame of the plot area they enclose (for points, segments and
 * series).  Returns 0 (drawing nothing) when the rectangle is too small
 * (fewer than 12 x 5 cells) or a range is empty. */
int tui_canvas_axes(tui_canvas *c, int col, int row, int cols, int rows, double x0, double x1,
                    double y0, double y1, tui_canvas_frame *f);

#endif
