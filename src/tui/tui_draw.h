/* tui_draw.h — small drawing helpers every screen uses: clipped text
 * (UTF-8 aware), meters and bars with an ASCII fallback, headings, numbers. */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include "tui_curses.h"
#include <stddef.h>
#include <stdint.h>

/* Text at (y, x), at most maxw columns (ellipsis when cut); returns the
 * columns used.  Multibyte UTF-8 is counted by display width. */
int tui_put(WINDOW *w, int y, int x, const char *text, int maxw);
/* Same, right-aligned so that it ends at column x_end (exclusive). */
int tui_put_right(WINDOW *w, int y, int x_end, const char *text, int maxw);
/* Display width of a UTF-8 string. */
int tui_width(const char *text);
/* text word-wrapped into width columns from (y, x), at most maxlines
 * lines (the last one cut with an ellipsis); returns the lines used. */
int tui_wrap(WINDOW *w, int y, int x, const char *text, int width, int maxlines);
/* A progress meter of width cols for frac in [0,1]. */
void tui_meter(WINDOW *w, int y, int x, int cols, double frac, int utf8);
/* A bar of frac * cols cells (eighths in UTF-8), no background. */
void tui_hbar(WINDOW *w, int y, int x, int cols, double frac, int utf8);
/* A heading line: text in the heading colour. */
void tui_heading(WINDOW *w, int y, int x, const char *text, int maxw);
/* A curses-free canvas at (y, x): runs of cells of one pen per waddstr, the
 * pen's colour role from role (the screen's own pens). */
struct tui_canvas;
void tui_draw_canvas(WINDOW *w, int y, int x, const struct tui_canvas *c, int (*role)(int pen));
/* 1234567 -> "1,234,567". */
char *tui_fmt_thousands(uint64_t v, char *buf, size_t n);
/* "2 min ago", "3 h ago", "2026-12-07" for a past time. */
char *tui_fmt_ago(long long when, char *buf, size_t n);
/* "23.4 GB". */
char *tui_fmt_bytes(uint64_t v, char *buf, size_t n);

#endif
