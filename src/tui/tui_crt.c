/* tui_crt.c — curses start and teardown, colours, signals, fatal paths. */
#include "config.h"
#include "tui_crt.h"
#include "core/ef_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <term.h>
#include <unistd.h>

static const struct {
    short fg, bg;
    attr_t attr, mono;
} roles[TUI_C_COUNT] = {
#define X(name, fg, bg, attr, mono) { fg, bg, attr, mono },
    TUI_COLORS(X)
#undef X
};

static attr_t attrs[TUI_C_COUNT];
static int colors_on;
/* Standard error while curses runs: a file the frame copies into the log
 * (a library that prints would otherwise draw over the screen). */
static int saved_stderr = -1, err_fd = -1;
static char err_path[256];
static off_t err_read;
static volatile sig_atomic_t started, quit_flag, resize_flag;
static int pipe_fd[2] = { -1, -1 };

attr_t tui_attr(int role)
{
    return role >= 0 && role < TUI_C_COUNT ? attrs[role] : A_NORMAL;
}

int tui_crt_usable(char *msg, size_t msgsz)
{
    const char *term = getenv("TERM");
    int err = 0;
    char *cup;

    if (!term || !*term) {
        snprintf(msg, msgsz, "TERM is not set, so the terminal's type is unknown");
        return -1;
    }
    if (strcmp(term, "dumb") == 0) {
        snprintf(msg, msgsz, "the terminal is 'dumb' (TERM=dumb): it cannot place text on the screen");
        return -1;
    }
    if (setupterm(term, STDOUT_FILENO, &err) != OK) {
        snprintf(msg, msgsz, err == 0 ? "unknown terminal type '%s' (no terminfo entry)"
                                      : "no terminfo database to describe terminal '%s'", term);
        return -1;
    }
    cup = tigetstr("cup");
    if (!cup || cup == (char *)-1) {
        snprintf(msg, msgsz, "terminal '%s' cannot move the cursor", term);
        del_curterm(cur_term);
        return -1;
    }
    del_curterm(cur_term);
    cur_term = NULL;
    return 0;
}

static void restore_stderr(void)
{
    if (saved_stderr >= 0) {
        dup2(saved_stderr, STDERR_FILENO);
        close(saved_stderr);
        saved_stderr = -1;
    }
}

void tui_crt_stop(void)
{
    if (!started)
        return;
    started = 0;
    endwin();
    restore_stderr();
}

/* Send standard error to a temporary file (kept if the process dies, as a
 * sanitizer's report would be). */
static void capture_stderr(void)
{
    const char *tmp = getenv("TMPDIR");
    int fd;

    snprintf(err_path, sizeof err_path, "%s/ecgfit-tui-stderr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(err_path);
    if (fd < 0)
        return;
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0) {
        close(fd);
        unlink(err_path);
        err_path[0] = '\0';
        return;
    }
    close(fd);
    err_fd = open(err_path, O_RDONLY | O_CLOEXEC);
}

size_t tui_crt_stderr_read(char *buf, size_t n)
{
    ssize_t got;

    if (err_fd < 0 || n == 0)
        return 0;
    got = pread(err_fd, buf, n, err_read);
    if (got <= 0)
        return 0;
    err_read += got;
    return (size_t)got;
}

void tui_crt_stderr_done(void)
{
    if (err_fd >= 0)
        close(err_fd);
    err_fd = -1;
    if (err_path[0])
        unlink(err_path);
    err_path[0] = '\0';
}

static void wake_fd(void)
{
    int e = errno;

    if (pipe_fd[1] >= 0)
        (void)!write(pipe_fd[1], "x", 1);
    errno = e;
}

/* On the way out from a signal: the captured standard error goes unless it
 * holds something (a sanitizer's report, say). */
static void drop_empty_stderr_file(void)
{
    struct stat st;

    if (err_path[0] && stat(err_path, &st) == 0 && st.st_size == 0)
        unlink(err_path);
}

static void on_quit(int sig)
{
    if (quit_flag) {   /* a second request while the first is served: go now */
        tui_crt_stop();
        drop_empty_stderr_file();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    quit_flag = sig;
    wake_fd();
}

static void on_winch(int sig)
{
    (void)sig;
    resize_flag = 1;
    wake_fd();
}

static void on_crash(int sig)
{
    tui_crt_stop();
    drop_empty_stderr_file();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void fatal_hook(const char *what)
{
    tui_crt_stop();
    fprintf(stderr, "ecgfit: fatal: %s\n", what);
}

static void install(int sig, void (*fn)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = fn == on_crash ? SA_RESETHAND : SA_RESTART;
    sigaction(sig, &sa, NULL);
}

static void crt_atexit(void)
{
    tui_crt_stop();
}

int tui_crt_start(int no_color)
{
    int i;

    if (pipe(pipe_fd) == 0) {
        for (i = 0; i < 2; i++) {
            fcntl(pipe_fd[i], F_SETFL, fcntl(pipe_fd[i], F_GETFL) | O_NONBLOCK);
            fcntl(pipe_fd[i], F_SETFD, FD_CLOEXEC);
        }
    }
    if (!initscr())
        return -1;
    started = 1;
    capture_stderr();
    atexit(crt_atexit);
    ef_set_fatal_hook(fatal_hook);
    install(SIGINT, on_quit);
    install(SIGTERM, on_quit);
    install(SIGHUP, on_quit);
    install(SIGWINCH, on_winch);
    install(SIGSEGV, on_crash);
    install(SIGBUS, on_crash);
    install(SIGFPE, on_crash);
    install(SIGABRT, on_crash);
    signal(SIGPIPE, SIG_IGN);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (!no_color && has_colors() && start_color() == OK) {
        use_default_colors();
        for (i = 0; i < TUI_C_COUNT; i++) {
            if (roles[i].fg < 0 && roles[i].bg < 0) {
                attrs[i] = roles[i].attr;
                continue;
            }
            init_pair((short)(i + 1), roles[i].fg, roles[i].bg);
            attrs[i] = COLOR_PAIR(i + 1) | roles[i].attr;
        }
        colors_on = 1;
    } else {
        for (i = 0; i < TUI_C_COUNT; i++)
            attrs[i] = roles[i].mono;
    }
    return 0;
}

int tui_crt_quit_requested(void)
{
    return quit_flag;
}

int tui_crt_take_resize(void)
{
    struct winsize ws;

    if (!resize_flag)
        return 0;
    resize_flag = 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    return 1;
}

int tui_crt_signal_fd(void)
{
    return pipe_fd[0];
}

void tui_crt_wake(void)
{
    wake_fd();
}

int tui_crt_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int tui_crt_colors(void)
{
    return colors_on;
}
