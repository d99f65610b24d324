/* tui_screen.h — the one interface of the terminal application's screens,
 * and what a screen may ask of the frame.
 *
 * THE FRAME (tui_app.c) owns the terminal.  It draws
 *   row 0          the title line: version, project path, SYNTHETIC banner
 *   row 1          the screen bar: 1 Project  2 Pipeline  3 ECG  4 Models  5 Tables
 *   rows 2..L-2    the screen's window (a curses WINDOW the frame sizes)
 *   row L-1        the bottom line: the running job (bar, count, rate, time
 *                  left, Esc cancel) or the latest message; while open, the
 *                  : command line or a screen's question (tui_ask), which
 *                  then take every key (tui_prompt.h)
 * and runs the loop: it waits for a key, a finished background read or
 * 100 ms, dispatches, and redraws when something asked for it.
 *
 * A SCREEN is a module screen_<name>.c exporting one `const tui_screen_ops`
 * (listed in tui_screens.c, in screen-bar order).  All calls are on the UI
 * thread, which never touches HDF5 and never waits on the store:
 *   create(app)          the screen's state, once, before the first enter
 *   destroy(st)          at exit (after endwin is fine: no curses calls)
 *   enter(app, st)       it becomes the current screen (also the first time)
 *   draw(app, st, win)   draw the whole window (werase first).  Only from
 *                        memory: a draw reads no file and no store.  The
 *                        frame refreshes; the screen does not.
 *   key(app, st, key)    a key the keymaps below did not take (curses key
 *                        code or character); returns enum tui_reaction bits
 *   resize(app, st, rows, cols)  the window's new size (a draw follows)
 *   tick(app, st)        every ~100 ms, and at once when the store's
 *                        generation changed (tui_app_generation) or a
 *                        background read finished: look at what arrived;
 *                        return TUI_REDRAW to be drawn again
 *   modal(st)            1 while the screen takes every key itself (a
 *                        prompt, an option being edited): the keymaps and
 *                        the frame's keys are then skipped.  May be NULL.
 * Any of create..modal may be NULL except draw.
 *
 * KEYS.  A key is looked up in the current screen's keymap, then in the
 * frame's (tui_keymap.c), then given to key().  A binding names a command
 * (as tmux's key bindings do): a frame command ("select-screen ecg",
 * "quit", "help", "log", "cancel") or an entry of the library's command
 * table ("preprocess", "labels --jobs 2"), which runs as a job on the
 * worker thread.  A binding without a command is handled by key(); its help
 * text still appears on the help screen, which is generated from the
 * keymaps.  A binding with keyname NULL is an alias kept off the help.
 *
 * DATA.  Store and HDF5 reads run on the background thread (tui_bg.h:
 * tui_bg_submit a task, pick it up in tick when tui_bg_done says so),
 * which takes turns with a running stage between its ~30 ms steps; the UI
 * thread never calls HDF5 and only copies finished results.  The project's
 * status (sources, funnel, stages: pipeline/ef_status.h) is read by the
 * frame whenever the store's generation changes; screens borrow it with
 * tui_app_status().  Commands run through tui_run(), never directly.
 *
 * DRAWING.  tui_draw.h (clipped UTF-8 text, wrapped text, meters, bars,
 * headings, numbers) and the colour roles of tui_crt.h (tui_attr(TUI_C_*),
 * which fall back to bold/reverse without colours or with NO_COLOR).  Check
 * tui_app_utf8() before drawing anything but ASCII.  Every size from a few
 * columns up must draw without overflowing the window.
 */
#ifndef TUI_SCREEN_H
#define TUI_SCREEN_H

#include "tui_curses.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

typedef struct tui_app tui_app;
struct ef_project_status;
struct ef_progress;

/* What a key or tick asks the frame to do (bits). */
enum tui_reaction {
    TUI_UNHANDLED = 0,   /* not this screen's key: the frame may use it */
    TUI_HANDLED = 1 << 0,
    TUI_REDRAW = 1 << 1,
    TUI_BACK = 1 << 2,   /* leave for the previous screen */
    TUI_QUIT = 1 << 3
};

typedef struct tui_binding {
    int key;               /* character or curses KEY_* code */
    const char *keyname;   /* how help shows it ("Enter", "j/Down"); NULL: alias, not listed */
    const char *command;   /* command run by the frame; NULL: key() handles it */
    const char *help;      /* one line for the help screen */
} tui_binding;

typedef struct tui_screen_ops {
    const char *name;          /* "project": --screen and select-screen use it */
    const char *title;         /* "Project": the screen bar */
    const tui_binding *keymap; /* ends with a { 0 } entry; NULL: none */
    void *(*create)(tui_app *app);
    void (*destroy)(void *st);
    void (*enter)(tui_app *app, void *st);
    void (*draw)(tui_app *app, void *st, WINDOW *win);
    int (*key)(tui_app *app, void *st, int key);
    void (*resize)(tui_app *app, void *st, int rows, int cols);
    int (*tick)(tui_app *app, void *st);
    int (*modal)(void *st);
} tui_screen_ops;

/* The screens (tui_screens.c): the bar's five in order, then result (the
 * Models screen's Enter), help and log. */
extern const tui_screen_ops tui_screen_project, tui_screen_pipeline, tui_screen_ecg, tui_screen_models,
    tui_screen_tables, tui_screen_result, tui_screen_help, tui_screen_log;
#define TUI_NBAR 5
extern const tui_screen_ops *const tui_screens[];
extern const size_t tui_nscreens;

/* ---- what a screen may ask of the frame (tui_app.c) ------------------------ */

const char *tui_app_project_dir(const tui_app *app);
const char *tui_app_store_path(const tui_app *app);
/* The --eid the TUI was started with (0: none). */
long long tui_app_start_eid(const tui_app *app);
/* The store's generation as last polled (changes when a commit landed). */
uint64_t tui_app_generation(const tui_app *app);
/* The latest project status (never NULL once the first read finished;
 * NULL before).  Borrowed until the next tick. */
const struct ef_project_status *tui_app_status(const tui_app *app);
/* 1 when the terminal draws UTF-8 (Braille, box lines); else ASCII. */
int tui_app_utf8(const tui_app *app);
/* A message on the bottom line (and in the log); error: shown in the
 * error colour. */
void tui_message(tui_app *app, int error, const char *fmt, ...) EF_PRINTF(3, 4);
/* Run a command line ("preprocess --jobs 2", "select-screen ecg") as a key
 * binding or the : prompt would: split as a shell quotes (cmd/ef_cmdline.h;
 * "..." with \" inside), never by a shell.  Returns 0 when it started or
 * ran, -1 with a message (a usage error: the CLI's, with its did-you-mean). */
int tui_run(tui_app *app, const char *command);
/* 1 while a job runs; its name and a progress snapshot when p is not NULL. */
int tui_app_job(tui_app *app, char *name, size_t namesz, struct ef_progress *p);
/* The screen the help screen describes (the one before it). */
const tui_screen_ops *tui_app_previous(const tui_app *app);

/* Open the `:` command line with text to edit (Tab completes, Enter runs
 * it as tui_run would). */
void tui_command_line(tui_app *app, const char *text);
/* Ask for a line on the bottom line (label "export to: ", text the
 * starting answer).  Enter calls fn with the text (on the UI thread); Esc
 * drops it.  While it is open it takes every key. */
typedef void (*tui_answer_fn)(tui_app *app, void *arg, const char *text);
void tui_ask(tui_app *app, const char *label, const char *text, tui_answer_fn fn, void *arg);
/* 1 when the terminal shows sixel images (--graphics, or its DA1 answer). */
int tui_app_sixel(const tui_app *app);
/* Show a gnuplot figure in the pane: plot_args are the `plot` command's
 * words without -o ("ecg --eid 1003421", "scatter --target vo2max
 * --features full --model lasso").  It runs as a job (sixelgd, sized to the
 * pane in pixels); when it is done the image is written over the pane until
 * the next key, then everything is drawn again.  Without sixel it says the
 * terminal cannot show images and returns -1 (the Braille drawing stays). */
int tui_show_figure(tui_app *app, const char *plot_args);

#endif
