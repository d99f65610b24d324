/* tui_curses.h — the one place that includes curses (wide-character
 * ncursesw: NCURSES_CFLAGS define _XOPEN_SOURCE, which turns it on). */
#ifndef TUI_CURSES_H
#define TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
