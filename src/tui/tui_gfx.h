/* tui_gfx.h — images in the terminal: whether it draws sixel graphics
 * (asked with the DA1 query at start-up, before curses, or forced with
 * --graphics) and the size of a character cell in pixels, so that a
 * gnuplot figure (sixelgd) fills the screen's pane. */
#ifndef TUI_GFX_H
#define TUI_GFX_H

#include <stddef.h>

enum tui_graphics { TUI_GFX_AUTO, TUI_GFX_BRAILLE, TUI_GFX_SIXEL };

typedef struct tui_gfx_info {
    int sixel;              /* 1: the terminal draws sixel images */
    int cell_w, cell_h;     /* pixels of a character cell (10 x 20 when unknown) */
    int answered;           /* 1: the terminal answered the DA1 query */
} tui_gfx_info;

/* Ask the terminal on fd_in/fd_out (raw mode for the time of the query, at
 * most timeout_ms): DA1 (ESC [ c; attribute 4 is sixel) and the text
 * area's size in pixels (ESC [ 14 t, or the window size's pixels).  mode
 * TUI_GFX_BRAILLE asks nothing; TUI_GFX_SIXEL only asks the cell size. */
void tui_gfx_detect(int mode, int fd_in, int fd_out, int timeout_ms, tui_gfx_info *out);
/* The DA1 answer's attributes say sixel ("\033[?62;4;22c" -> 1). */
int tui_gfx_da1_sixel(const char *reply, size_t n);
/* Write the file's bytes (a DCS sixel image) to fd at row y, column x
 * (0-based, the cursor moved first).  0 or -1. */
int tui_gfx_write_file(int fd, const char *path, int y, int x);
/* 1 when the bytes hold a sixel image: DCS (ESC P) ... q ... ST (ESC \). */
int tui_gfx_is_sixel(const char *s, size_t n);

#endif
