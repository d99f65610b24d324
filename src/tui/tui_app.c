/* tui_app.c — the frame: title line, screen bar, bottom line, the loop that
 * dispatches keys through the keymaps and polls the store (see
 * tui_screen.h for the screens' side). */
#include "config.h"
#include "tui_app.h"
#include "tui_bg.h"
#include "tui_cmdq.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_gfx.h"
#include "tui_job.h"
#include "tui_keymap.h"
#include "tui_log.h"
#include "tui_prompt.h"
#include "tui_screen.h"
#include "cmd/ef_cmdline.h"
#include "core/ef_alloc.h"
#include "core/ef_job.h"
#include "pipeline/ef_status.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NBAR TUI_NBAR
#define MAXSCREENS 16
#define NSCREENS tui_nscreens
#define screens tui_screens

/* the progress samples behind the rate and the time left */
#define NRATE 32

struct tui_app {
    const tui_opts *o;
    char *store_path;
    char title_path[1024];        /* the project folder, absolute, ~ for $HOME */
    void *state[MAXSCREENS];
    size_t cur, prev;             /* indexes into screens */
    WINDOW *win;
    int rows, cols;
    int utf8;
    /* the store */
    uint64_t generation;
    double gen_polled;
    ef_project_status *status;            /* latest read, UI thread's */
    ef_project_status *fresh, *lent;      /* written by the background read */
    tui_bg_task status_task;
    int status_again;             /* the generation moved during a read */
    /* the bottom line */
    char msg[512];
    int msg_error;
    int msg_transient;            /* gone at the next key */
    double msg_at;
    double quit_armed;            /* a first q while a job runs */
    struct { double t; uint64_t done; } rate[NRATE];
    size_t nrate;
    int need_redraw;
    int quitting;                 /* a command asked to quit */
    FILE *timing;
    /* the bottom line's editor: the : command line, or a screen's question */
    tui_prompt cmdline, ask;
    tui_prompt *prompt;           /* the open one, or NULL */
    tui_answer_fn ask_fn;
    void *ask_arg;
    /* a sixel figure: being made by a job, then shown until a key */
    char figure[512];
    int figure_pending, figure_shown;
    unsigned figure_seq;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- what screens may ask ------------------------------------------------- */

const char *tui_app_project_dir(const tui_app *app)
{
    return app->o->project_dir;
}

const char *tui_app_store_path(const tui_app *app)
{
    return app->store_path;
}

long long tui_app_start_eid(const tui_app *app)
{
    return app->o->eid;
}

uint64_t tui_app_generation(const tui_app *app)
{
    return app->generation;
}

const ef_project_status *tui_app_status(const tui_app *app)
{
    return app->status;
}

int tui_app_utf8(const tui_app *app)
{
    return app->utf8;
}

const tui_screen_ops *tui_app_previous(const tui_app *app)
{
    return screens[app->prev];
}

void tui_message(tui_app *app, int error, const char *fmt, ...)
{
    va_list ap;
    char line[600], stamp[16];
    time_t t = time(NULL);
    struct tm tm;

    va_start(ap, fmt);
    vsnprintf(app->msg, sizeof app->msg, fmt, ap);
    va_end(ap);
    app->msg_error = error;
    app->msg_transient = 0;
    app->msg_at = now_s();
    app->need_redraw = 1;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
    snprintf(line, sizeof line, "%s %s", stamp, app->msg);
    tui_log_add(error ? TUI_LOG_ERROR : TUI_LOG_NOTE, line);
}

int tui_app_job(tui_app *app, char *name, size_t namesz, ef_progress *p)
{
    (void)app;
    return tui_job_snapshot(name, namesz, p, NULL);
}

int tui_app_sixel(const tui_app *app)
{
    return app->o->sixel;
}

/* A bottom-line message that is not worth a log line (Tab's candidates). */
static void hint(tui_app *app, const char *text)
{
    snprintf(app->msg, sizeof app->msg, "%s", text);
    app->msg_error = 0;
    app->msg_transient = 1;
    app->msg_at = now_s();
    app->need_redraw = 1;
}

static void prompt_open(tui_app *app, tui_prompt *p, const char *label, const char *text, int complete)
{
    tui_prompt_open(p, label, text, complete);
    app->prompt = p;
    curs_set(1);
    app->need_redraw = 1;
}

static void prompt_close(tui_app *app)
{
    app->prompt = NULL;
    curs_set(0);
    app->need_redraw = 1;
}

void tui_command_line(tui_app *app, const char *text)
{
    prompt_open(app, &app->cmdline, ":", text, 1);
}

void tui_ask(tui_app *app, const char *label, const char *text, tui_answer_fn fn, void *arg)
{
    app->ask_fn = fn;
    app->ask_arg = arg;
    prompt_open(app, &app->ask, label, text, 0);
}

/* ---- the store's status, read in the background ------------------------------ */

static void status_read(void *arg)
{
    tui_app *app = arg;
    ef_project_status *s = NULL;
    ef_error err;

    ef_error_clear(&err);
    if (ef_status_read(app->o->project_dir, app->lent, &s, &err) != EF_OK)
        s = NULL;
    /* queued again before the UI took the last one: that one is stale */
    ef_status_free(app->fresh);
    app->fresh = s;
}

static void status_request(tui_app *app)
{
    if (tui_bg_pending(&app->status_task)) {
        app->status_again = 1;
        return;
    }
    app->lent = app->status;   /* read only by the task, freed only after it ended */
    app->status_task.run = status_read;
    app->status_task.arg = app;
    tui_bg_submit(&app->status_task);
}

/* The status read finished: take it. */
static int status_collect(tui_app *app)
{
    if (!tui_bg_done(&app->status_task))
        return 0;
    if (app->fresh) {
        ef_status_free(app->status);
        app->status = app->fresh;
        app->fresh = NULL;
    }
    app->lent = NULL;
    if (app->status_again) {
        app->status_again = 0;
        status_request(app);
    }
    return 1;
}

static int poll_generation(tui_app *app, double now)
{
    uint64_t g = 0;

    if (now - app->gen_polled < 0.25)
        return 0;
    app->gen_polled = now;
    if (ef_store_generation(app->store_path, &g, NULL) != EF_OK)
        g = 0;
    if (g == app->generation)
        return 0;
    app->generation = g;
    status_request(app);
    return 1;
}

/* ---- drawing the frame ------------------------------------------------------ */

static void layout(tui_app *app)
{
    int h = LINES - 3 > 1 ? LINES - 3 : 1;

    app->rows = h;
    app->cols = COLS;
    if (!app->win)
        app->win = newwin(h, COLS, 2, 0);
    else {
        wresize(app->win, h, COLS);
        mvwin(app->win, 2, 0);
    }
    keypad(app->win, TRUE);
    for (size_t i = 0; i < NSCREENS; i++)
        if (screens[i]->resize && app->state[i])
            screens[i]->resize(app, app->state[i], h, COLS);
}

static void draw_title(tui_app *app)
{
    const ef_project_status *st = app->status;
    char left[1200];
    const char *banner = NULL;

    if (st && st->synthetic_data && st->synthetic_encoder)
        banner = "SYNTHETIC DATA + DEMO ENCODER";
    else if (st && st->synthetic_data)
        banner = "SYNTHETIC DATA";
    else if (st && st->synthetic_encoder)
        banner = "DEMO ENCODER (random weights)";
    move(0, 0);
    attrset(tui_attr(TUI_C_TITLE));
    hline(' ', COLS);
    snprintf(left, sizeof left, " ecgfit %s  project: %s", PACKAGE_VERSION, app->title_path);
    tui_put(stdscr, 0, 0, left, COLS - (banner ? (int)strlen(banner) + 3 : 0));
    if (banner && COLS > (int)strlen(banner) + 20) {
        attrset(tui_attr(TUI_C_BANNER));
        mvprintw(0, COLS - (int)strlen(banner) - 2, " %s ", banner);
    }
    attrset(A_NORMAL);
}

static void draw_bar(tui_app *app)
{
    int x = 0;
    const char *right = COLS >= 70 ? "? help  L log  q quit" : "? help";

    move(1, 0);
    attrset(tui_attr(TUI_C_BAR));
    hline(' ', COLS);
    for (size_t i = 0; i < NBAR; i++) {
        int cur = i == app->cur || (app->cur >= NBAR && i == app->prev);
        const char *t = screens[i]->title;
        int w = (int)strlen(t) + 3;

        if (COLS < 62)   /* narrow: the numbers and first letters */
            w = 4;
        if (x + w > COLS)
            break;
        attrset(cur ? tui_attr(TUI_C_BAR_CURRENT) : tui_attr(TUI_C_BAR_KEY));
        mvprintw(1, x, "%zu", i + 1);
        attrset(cur ? tui_attr(TUI_C_BAR_CURRENT) : tui_attr(TUI_C_BAR));
        if (COLS < 62)
            printw("%c ", t[0]);
        else
            printw(" %s ", t);
        x += w + 1;
    }
    attrset(tui_attr(TUI_C_DIM));
    if (x + (int)strlen(right) + 1 < COLS)
        mvprintw(1, COLS - (int)strlen(right) - 1, "%s", right);
    attrset(A_NORMAL);
}

static void fmt_count(uint64_t v, char *buf, size_t n)
{
    tui_fmt_thousands(v, buf, n);
}

static void fmt_secs(double s, char *buf, size_t n)
{
    if (s < 0 || s > 1e7)
        snprintf(buf, n, "?");
    else if (s < 60)
        snprintf(buf, n, "%.0fs", s);
    else if (s < 3600)
        snprintf(buf, n, "%dm%02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, n, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}

/* Rate over the last few seconds of samples. */
static double job_rate(tui_app *app, uint64_t done, double now)
{
    size_t i;

    if (app->nrate == 0 || app->rate[(app->nrate - 1) % NRATE].done != done ||
        now - app->rate[(app->nrate - 1) % NRATE].t > 1.0) {
        app->rate[app->nrate % NRATE].t = now;
        app->rate[app->nrate % NRATE].done = done;
        app->nrate++;
    }
    i = app->nrate > NRATE ? app->nrate - NRATE : 0;
    for (; i + 1 < app->nrate; i++)
        if (now - app->rate[i % NRATE].t < 10)
            break;
    {
        double dt = now - app->rate[i % NRATE].t;
        uint64_t dd = done - app->rate[i % NRATE].done;

        return dt > 0.5 && done >= app->rate[i % NRATE].done ? (double)dd / dt : -1;
    }
}

static void draw_bottom(tui_app *app, double now)
{
    char name[64], a[64], b[64], line[512];
    ef_progress p;
    double secs;
    int y = LINES - 1, x;

    if (app->prompt) {
        tui_prompt_draw(app->prompt, stdscr, y, COLS);
        return;
    }
    move(y, 0);
    attrset(tui_attr(TUI_C_STATUS));
    hline(' ', COLS);
    if (tui_job_snapshot(name, sizeof name, &p, &secs)) {
        int barw = COLS >= 100 ? 24 : COLS >= 80 ? 14 : 8;
        double rate = job_rate(app, p.done, now);
        int cancelling = tui_job_cancelling();

        snprintf(line, sizeof line, " %s ", name);
        tui_put(stdscr, y, 0, line, COLS);
        x = (int)strlen(line);
        if (p.fraction >= 0) {
            tui_meter(stdscr, y, x, barw, p.fraction, app->utf8);
            x += barw;
            snprintf(line, sizeof line, " %3.0f%%", p.fraction * 100);
            attrset(tui_attr(TUI_C_STATUS));
            tui_put(stdscr, y, x, line, COLS - x);
            x += (int)strlen(line);
        }
        attrset(tui_attr(TUI_C_STATUS));
        line[0] = '\0';
        if (p.total && strcmp(p.unit, "bytes") == 0) {
            tui_fmt_bytes(p.done, a, sizeof a);
            tui_fmt_bytes(p.total, b, sizeof b);
            snprintf(line, sizeof line, "  %s of %s", a, b);
        } else if (p.total) {
            fmt_count(p.done, a, sizeof a);
            fmt_count(p.total, b, sizeof b);
            snprintf(line, sizeof line, "  %s/%s %s", a, b, p.unit);
        } else if (p.stage[0]) {
            snprintf(line, sizeof line, "  %s", p.stage);
        }
        if (rate > 0 && p.unit[0] && COLS >= 70) {
            size_t len = strlen(line);

            if (strcmp(p.unit, "bytes") == 0)
                snprintf(line + len, sizeof line - len, "  %s/s", tui_fmt_bytes((uint64_t)rate, a, sizeof a));
            else
                snprintf(line + len, sizeof line - len, rate >= 10 ? "  %.0f %s/s" : "  %.1f %s/s", rate, p.unit);
            if (p.total > p.done) {
                fmt_secs((double)(p.total - p.done) / rate, a, sizeof a);
                len = strlen(line);
                snprintf(line + len, sizeof line - len, "  %s left", a);
            }
        } else {
            size_t len = strlen(line);

            fmt_secs(secs, a, sizeof a);
            snprintf(line + len, sizeof line - len, "  %s", a);
        }
        tui_put(stdscr, y, x, line, COLS - x - 13);
        attrset(tui_attr(TUI_C_STATUS) | A_BOLD);
        tui_put(stdscr, y, COLS - 12 > x ? COLS - 12 : x, cancelling ? "cancelling" : "Esc cancel", 11);
        attrset(A_NORMAL);
        return;
    }
    if (app->msg[0] && now - app->msg_at < 15) {
        if (app->msg_error)
            attrset(tui_attr(TUI_C_STATUS) | A_BOLD);
        /* a message longer than the line: its start, and where the rest is */
        if (tui_width(app->msg) > COLS - 2 && COLS > 30) {
            tui_put(stdscr, y, 1, app->msg, COLS - 11);
            tui_put(stdscr, y, COLS - 9, " L: all", 8);
        } else {
            tui_put(stdscr, y, 1, app->msg, COLS - 1);
        }
    } else {
        const ef_project_status *st = app->status;

        attrset(tui_attr(TUI_C_STATUS));
        if (!st)
            tui_put(stdscr, y, 0, " reading the project...", COLS);
        else if (!st->have_store)
            tui_put(stdscr, y, 0, " no store yet: 2 for the Pipeline, Enter on labels to start", COLS);
        else
            tui_put(stdscr, y, 0, " ready  (? lists the keys of this screen)", COLS);
    }
    attrset(A_NORMAL);
}

static void draw_all(tui_app *app)
{
    double now = now_s();
    const tui_screen_ops *s = screens[app->cur];

    draw_title(app);
    draw_bar(app);
    draw_bottom(app, now);
    wnoutrefresh(stdscr);
    werase(app->win);
    s->draw(app, app->state[app->cur], app->win);
    wnoutrefresh(app->win);
    if (app->prompt) {   /* the cursor belongs to the prompt */
        const char *above = app->msg[0] && app->msg_transient ? app->msg   /* Tab's candidates */
                            : app->prompt == &app->cmdline && !app->cmdline.len
                                ? "Tab completes  Up: history  Esc closes   an ecgfit command as in a shell: "
                                  "table1 --groupby sex --pval, report, train --help ..."
                                : NULL;

        if (above && LINES > 4) {   /* on the line above the prompt */
            attrset(tui_attr(TUI_C_STATUS));
            mvhline(LINES - 2, 0, ' ', COLS);
            tui_put(stdscr, LINES - 2, 1, above, COLS - 2);
            attrset(A_NORMAL);
        }
        tui_prompt_draw(app->prompt, stdscr, LINES - 1, COLS);
        wnoutrefresh(stdscr);
    }
    doupdate();
    app->need_redraw = 0;
}

/* Only the bottom line (progress every 100 ms costs little). */
static void draw_bottom_only(tui_app *app)
{
    draw_bottom(app, now_s());
    wnoutrefresh(stdscr);
    if (!app->prompt)
        wnoutrefresh(app->win);   /* keep the cursor state of the window */
    doupdate();
}

/* ---- commands of the frame ---------------------------------------------------- */

/* Help and log lie over a screen; the others (the bar's, result) are
 * where q from help or log goes back to. */
static int is_overlay(size_t i)
{
    return screens[i] == &tui_screen_help || screens[i] == &tui_screen_log;
}

static void select_screen(tui_app *app, size_t i)
{
    if (i == app->cur)
        return;
    if (!is_overlay(app->cur) && (app->cur < NBAR || i < NBAR || is_overlay(i)))
        app->prev = app->cur;
    app->cur = i;
    if (screens[i]->enter)
        screens[i]->enter(app, app->state[i]);
    app->need_redraw = 1;
}

static int find_screen(const char *name)
{
    for (size_t i = 0; i < NSCREENS; i++)
        if (strcmp(screens[i]->name, name) == 0)
            return (int)i;
    return -1;
}

/* q: back from help and log; quit from the bar's screens (asking once more
 * while a job runs). */
static int cmd_back(tui_app *app, int force)
{
    if (!force && app->cur >= NBAR) {
        select_screen(app, app->prev);
        return 0;
    }
    if (tui_job_running() && !force && now_s() - app->quit_armed > 3) {
        char name[64] = "a stage";

        tui_job_snapshot(name, sizeof name, NULL, NULL);
        app->quit_armed = now_s();
        tui_message(app, 1, "%s is running: press q again to cancel it and quit", name);
        return 0;
    }
    return TUI_QUIT;
}

/* Run one command line: the frame's own, or the library's table. */
static int run_line(tui_app *app, const char *line)
{
    int argc, rc = 0;
    char **argv;
    char msg[1024];
    ef_error err;

    ef_error_clear(&err);
    if (ef_cmdline_split(line, &argc, &argv, &err) != EF_OK) {
        tui_message(app, 1, "%s: %s", line, err.msg);
        return -1;
    }
    if (argc == 0) {
        ef_cmdline_free(argc, argv);
        return 0;
    }
    if (strcmp(argv[0], "select-screen") == 0 && argc == 2 && find_screen(argv[1]) >= 0) {
        select_screen(app, (size_t)find_screen(argv[1]));
    } else if (strcmp(argv[0], "next-screen") == 0 || strcmp(argv[0], "previous-screen") == 0) {
        size_t base = app->cur < NBAR ? app->cur : app->prev < NBAR ? app->prev : 0;

        select_screen(app, argv[0][0] == 'n' ? (base + 1) % NBAR : (base + NBAR - 1) % NBAR);
    } else if (strcmp(argv[0], "help") == 0) {
        select_screen(app, (size_t)find_screen("help"));
    } else if (strcmp(argv[0], "log") == 0) {
        select_screen(app, (size_t)find_screen("log"));
    } else if (strcmp(argv[0], "cancel") == 0) {
        if (tui_job_running()) {
            tui_job_cancel();
            tui_message(app, 0, "cancelling: the stage stops after its current step");
        } else if (app->cur >= NBAR) {
            select_screen(app, app->prev);
        }
    } else if (strcmp(argv[0], "command-prompt") == 0) {
        prompt_open(app, &app->cmdline, ":", NULL, 1);
    } else if (strcmp(argv[0], "redraw") == 0) {
        clearok(curscr, TRUE);
        app->need_redraw = 1;
    } else if (strcmp(argv[0], "back") == 0 || (strcmp(argv[0], "q") == 0 && argc == 1)) {   /* :q as in vi */
        rc = cmd_back(app, 0);
    } else if (strcmp(argv[0], "quit") == 0) {
        rc = cmd_back(app, 1);
    } else if (tui_job_start(app->o->project_dir, argc, argv, msg, sizeof msg) == 0) {
        app->nrate = 0;
        app->msg[0] = '\0';
        app->need_redraw = 1;
    } else {
        tui_message(app, 1, "%s", msg);
        rc = -1;
    }
    ef_cmdline_free(argc, argv);
    return rc;
}

int tui_run(tui_app *app, const char *command)
{
    int rc = run_line(app, command);

    if (rc == TUI_QUIT) {   /* the loop ends after this key */
        app->quitting = 1;
        return 0;
    }
    return rc;
}

/* ---- figures in the terminal (sixel) ------------------------------------------ */

int tui_show_figure(tui_app *app, const char *plot_args)
{
    const char *tmp = getenv("TMPDIR");
    char line[2048];
    int cw = app->o->cell_w > 0 ? app->o->cell_w : 10, ch = app->o->cell_h > 0 ? app->o->cell_h : 20;
    /* the pane in pixels, a little under it so the image never scrolls
     * the terminal; plot's --size is in inches at sixel's 96 dpi */
    double w = (app->cols * cw - cw) / 96.0, h = (app->rows * ch - ch) / 96.0;

    if (!app->o->sixel) {
        tui_message(app, 0, "this terminal cannot show images (no sixel; --graphics sixel forces it): the Braille "
                            "drawing stays, g writes the figure as a file");
        return -1;
    }
    if (w < 0.5 || h < 0.5) {
        tui_message(app, 1, "the window is too small for a figure");
        return -1;
    }
    snprintf(app->figure, sizeof app->figure, "%s/ecgfit-tui-%ld-%u.six", tmp && *tmp ? tmp : "/tmp", (long)getpid(),
             app->figure_seq++);
    snprintf(line, sizeof line, "plot %s -o \"%s\" --size %.2f,%.2f", plot_args, app->figure, w, h);
    if (run_line(app, line) != 0)
        return -1;
    app->figure_pending = 1;
    return 0;
}

/* The job made the figure: the frame as it is, the image over the pane,
 * the bottom line says how to leave. */
static void figure_show(tui_app *app)
{
    hint(app, "the figure (sixel): any key returns to the screen");
    app->msg_transient = 0;
    draw_all(app);
    fflush(stdout);
    if (tui_gfx_write_file(STDOUT_FILENO, app->figure, 2, 0) != 0)
        tui_message(app, 1, "cannot show the figure %s", app->figure);
    else
        app->figure_shown = 1;
    unlink(app->figure);
}

/* ---- the loop -------------------------------------------------------------- */

/* A key while the bottom line edits: Enter runs the command line (or
 * answers the screen's question), Esc closes it. */
static int prompt_key(tui_app *app, int key)
{
    tui_prompt *p = app->prompt;
    char msg[512];
    int r = tui_prompt_key(p, key, msg, sizeof msg);

    app->need_redraw = 1;
    if (r == TUI_PROMPT_EDITING) {
        if (msg[0])
            hint(app, msg);
        return 0;
    }
    prompt_close(app);
    if (r == TUI_PROMPT_CANCEL)
        return 0;
    if (p == &app->ask) {
        if (app->ask_fn)
            app->ask_fn(app, app->ask_arg, p->buf);
        return 0;
    }
    if (!p->buf[0])
        return 0;
    {
        char line[TUI_PROMPT_MAX + 8];

        snprintf(line, sizeof line, ":%s", p->buf);
        tui_log_add(TUI_LOG_NOTE, line);
    }
    return run_line(app, p->buf) == TUI_QUIT ? TUI_QUIT : 0;
}

static int dispatch_key(tui_app *app, int key)
{
    const tui_screen_ops *s = screens[app->cur];
    void *st = app->state[app->cur];
    const tui_binding *b;
    int r;

    if (key == KEY_RESIZE)
        return 0;
    if (app->figure_shown) {   /* any key: back to the screen, drawn anew */
        app->figure_shown = 0;
        app->msg[0] = '\0';
        clearok(curscr, TRUE);
        app->need_redraw = 1;
        return 0;
    }
    if (app->msg_transient) {
        app->msg[0] = '\0';
        app->msg_transient = 0;
        app->need_redraw = 1;
    }
    if (app->prompt)
        return prompt_key(app, key);
    if (!(s->modal && s->modal(st))) {
        b = tui_keymap_find(s->keymap, key);
        if (!b)
            b = tui_keymap_find(tui_frame_keymap, key);
        if (b && b->command) {
            r = run_line(app, b->command);
            app->need_redraw = 1;
            return r == TUI_QUIT ? TUI_QUIT : 0;
        }
    }
    r = s->key ? s->key(app, st, key) : TUI_UNHANDLED;
    if (r & TUI_REDRAW)
        app->need_redraw = 1;
    if (r & TUI_BACK)
        select_screen(app, app->prev);
    if (r & TUI_QUIT)
        return cmd_back(app, 0);
    if (r == TUI_UNHANDLED && key != ERR) {
        char buf[32];

        if (app->msg[0] == '\0' || now_s() - app->msg_at > 1 || app->msg_transient) {
            tui_message(app, 0, "%s: no action on this screen (? lists the keys)", tui_key_name(key, buf, sizeof buf));
            app->msg_transient = 1;
        }
    }
    return 0;
}

static void tick_screens(tui_app *app)
{
    const tui_screen_ops *s = screens[app->cur];

    if (s->tick && (s->tick(app, app->state[app->cur]) & TUI_REDRAW))
        app->need_redraw = 1;
}

static void drain_fd(int fd)
{
    char buf[64];

    while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
        ;
}

static int loop(tui_app *app)
{
    double last_tick = 0, last_bottom = 0;
    int quit = 0;

    while (!quit) {
        struct pollfd pfd[2] = { { STDIN_FILENO, POLLIN, 0 }, { tui_crt_signal_fd(), POLLIN, 0 } };
        double now = now_s(), key_t0 = 0;
        int key, rc, job_was;

        if (tui_crt_quit_requested()) {
            tui_job_cancel();
            break;
        }
        if (tui_crt_take_resize()) {
            layout(app);
            clearok(curscr, TRUE);
            app->need_redraw = 1;
        }
        if (poll_generation(app, now))
            app->need_redraw = 1;
        if (status_collect(app)) {
            tick_screens(app);
            app->need_redraw = 1;
        }
        job_was = tui_job_running();
        {
            char msg[1024];
            int jrc;

            if (tui_job_take_result(&jrc, msg, sizeof msg)) {
                if (app->figure_pending && jrc == EF_OK) {
                    app->figure_pending = 0;
                    figure_show(app);
                } else {
                    if (app->figure_pending)
                        unlink(app->figure);
                    app->figure_pending = 0;
                    tui_message(app, jrc != EF_OK && jrc != EF_ECANCELED, "%s", msg);
                }
                app->gen_polled = 0;   /* poll the store at once */
                status_request(app);
            }
        }
        if (now - last_tick >= 0.1) {
            char buf[4096];
            size_t got;

            last_tick = now;
            while ((got = tui_crt_stderr_read(buf, sizeof buf - 1)) > 0) {
                buf[got] = '\0';
                tui_log_add(TUI_LOG_WARN, buf);
            }
            tui_cmdq_tick_all(app);   /* the screens' queued commands, on any screen */
            tick_screens(app);
        }
        if (app->need_redraw) {
            draw_all(app);
            last_bottom = now;
        } else if (job_was && now - last_bottom >= 0.1) {
            draw_bottom_only(app);
            last_bottom = now;
        }
        rc = poll(pfd, 2, 100);
        if (rc < 0 && errno != EINTR)
            break;
        if (pfd[1].revents & POLLIN) {   /* a signal, or a background read that finished */
            drain_fd(pfd[1].fd);
            last_tick = 0;               /* the screens look at once */
        }
        while ((key = wgetch(stdscr)) != ERR) {
            key_t0 = now_s();
            if (dispatch_key(app, key) == TUI_QUIT || app->quitting) {
                quit = 1;
                break;
            }
            /* a screen that asked for data may get it within a few ms */
            if (status_collect(app))
                tick_screens(app);
            if (app->need_redraw)
                draw_all(app);
            if (app->timing)
                fprintf(app->timing, "%.3f\n", (now_s() - key_t0) * 1e3);
        }
        if (app->timing)
            fflush(app->timing);
    }
    return 0;
}

static void app_fini(tui_app *app)
{
    if (app->figure_pending)   /* quit while the figure was being made */
        unlink(app->figure);
    tui_prompt_fini(&app->cmdline);
    tui_prompt_fini(&app->ask);
    for (size_t i = 0; i < NSCREENS; i++)
        if (screens[i]->destroy && app->state[i])
            screens[i]->destroy(app->state[i]);
    ef_status_free(app->status);
    ef_status_free(app->fresh);
    free(app->store_path);
    if (app->timing)
        fclose(app->timing);
}

int tui_app_run(const tui_opts *o)
{
    tui_app app;
    int first = 0;

    memset(&app, 0, sizeof app);
    if (tui_nscreens > MAXSCREENS)
        return 1;
    app.o = o;
    app.store_path = ef_xasprintf("%s/%s", o->project_dir, EF_PROJECT_STORE);
    app.utf8 = tui_crt_utf8();
    {
        char *abs = realpath(o->project_dir, NULL);
        const char *home = getenv("HOME");
        size_t hl = home ? strlen(home) : 0;

        if (abs && hl > 1 && strncmp(abs, home, hl) == 0 && (abs[hl] == '/' || !abs[hl]))
            snprintf(app.title_path, sizeof app.title_path, "~%s", abs + hl);
        else
            snprintf(app.title_path, sizeof app.title_path, "%s", abs ? abs : o->project_dir);
        free(abs);
    }
    if (o->screen && find_screen(o->screen) >= 0)
        first = find_screen(o->screen);
    if (o->timing_path && *o->timing_path)
        app.timing = fopen(o->timing_path, "w");
    if (tui_bg_start() != 0) {
        fprintf(stderr, "ecgfit: tui: cannot start a thread\n");
        app_fini(&app);
        return 1;
    }
    /* the first status before the first frame, when it comes quickly */
    status_request(&app);
    tui_bg_wait(&app.status_task, 300);
    status_collect(&app);
    ef_store_generation(app.store_path, &app.generation, NULL);
    app.gen_polled = now_s();

    if (tui_crt_start(o->no_color) != 0) {
        tui_bg_stop();
        app_fini(&app);
        fprintf(stderr, "ecgfit: tui: cannot initialise the terminal\n");
        return 1;
    }
    for (size_t i = 0; i < NSCREENS; i++)
        app.state[i] = screens[i]->create ? screens[i]->create(&app) : NULL;
    layout(&app);
    app.cur = app.prev = (size_t)first;
    if (first >= NBAR)
        app.prev = 0;
    if (screens[app.cur]->enter)
        screens[app.cur]->enter(&app, app.state[app.cur]);
    app.need_redraw = 1;
    loop(&app);
    if (tui_job_running()) {
        attrset(tui_attr(TUI_C_STATUS));
        mvhline(LINES - 1, 0, ' ', COLS);
        mvprintw(LINES - 1, 0, " cancelling the running stage before quitting...");
        refresh();
    }
    tui_job_shutdown();
    tui_bg_stop();
    if (app.win)
        delwin(app.win);
    tui_crt_stop();
    tui_crt_stderr_done();
    app_fini(&app);
    return tui_crt_quit_requested() ? 128 + tui_crt_quit_requested() : 0;
}
