/* tui_crt.h — the terminal: start and restore curses, colours with a
 * monochrome fallback, and the signals and fatal paths that must leave the
 * terminal usable (htop's CRT). */
#ifndef TUI_CRT_H
#define TUI_CRT_H

#include "tui_curses.h"

/* Colour roles: name, foreground, background, attribute in colour, and
 * the attribute used without colour (monochrome, NO_COLOR). */
#define TUI_COLORS(X)                                                        \
    X(NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                   \
    X(TITLE, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE)                  \
    X(BANNER, COLOR_WHITE, COLOR_MAGENTA, A_BOLD, A_REVERSE | A_BOLD)       \
    X(BAR, -1, -1, A_NORMAL, A_NORMAL)                                      \
    X(BAR_KEY, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                            \
    X(BAR_CURRENT, COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE)             \
    X(HEADING, COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE)                \
    X(SELECTED, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE)               \
    X(OK, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                              \
    X(WARN, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                               \
    X(ERROR, COLOR_RED, -1, A_BOLD, A_BOLD)                                 \
    X(DIM, COLOR_BLUE, -1, A_BOLD, A_DIM)                                   \
    X(METER, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                           \
    X(METER_BG, COLOR_BLUE, -1, A_BOLD, A_DIM)                              \
    X(STATUS, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE)                \
    X(EDIT, COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE | A_UNDERLINE)

enum tui_color {
#define X(name, fg, bg, attr, mono) TUI_C_##name,
    TUI_COLORS(X)
#undef X
    TUI_C_COUNT
};

/* Check that curses can drive the terminal named by $TERM (set, known,
 * able to address the cursor).  0 when it can; else -1 with why in msg. */
int tui_crt_usable(char *msg, size_t msgsz);
/* Start curses (after tui_crt_usable).  no_color: monochrome attributes
 * (NO_COLOR set, --no-color, or a terminal without colours).  Installs the
 * signal handlers and the library's fatal hook.  0 or -1. */
int tui_crt_start(int no_color);
/* Restore the terminal (idempotent, async-signal-tolerant enough for the
 * fatal paths: endwin is what htop calls there too). */
void tui_crt_stop(void);
/* 1 when colours are on (0: monochrome attributes). */
int tui_crt_colors(void);
/* The attribute of a colour role. */
attr_t tui_attr(int role);
/* The signal once SIGTERM/SIGINT/SIGHUP asked to quit (the loop exits cleanly); else 0. */
int tui_crt_quit_requested(void);
/* 1 once after SIGWINCH: the loop resizes. */
int tui_crt_take_resize(void);
/* A descriptor readable when a signal arrived (the loop polls it). */
int tui_crt_signal_fd(void);
/* Wake the loop from another thread (a background read finished). */
void tui_crt_wake(void);
/* What was written to standard error since the last call (curses runs
 * with it sent to a temporary file); 0 when nothing new. */
size_t tui_crt_stderr_read(char *buf, size_t n);
/* After tui_crt_stop: remove that file. */
void tui_crt_stderr_done(void);
/* 1 if the locale's character set is UTF-8. */
int tui_crt_utf8(void);

#endif
