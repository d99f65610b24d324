/* tui_gfx.c — sixel detection and output (see tui_gfx.h). */
#include "config.h"
#include "tui_gfx.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int tui_gfx_da1_sixel(const char *reply, size_t n)
{
    /* ESC [ ? a ; b ; ... c : the attributes after the first (the class) */
    for (size_t i = 0; i + 2 < n; i++) {
        if (reply[i] != '\033' || reply[i + 1] != '[' || reply[i + 2] != '?')
            continue;
        {
            size_t j = i + 3;
            int field = 0;

            while (j < n && reply[j] != 'c') {
                long v = 0;
                int digits = 0;

                while (j < n && reply[j] >= '0' && reply[j] <= '9') {
                    v = v * 10 + (reply[j++] - '0');
                    digits++;
                }
                if (digits && field > 0 && v == 4)
                    return 1;
                field++;
                if (j < n && reply[j] == ';')
                    j++;
                else
                    break;
            }
        }
    }
    return 0;
}

/* ESC [ 4 ; height ; width t */
static int parse_px(const char *s, size_t n, int *h, int *w)
{
    for (size_t i = 0; i + 3 < n; i++) {
        int a, b, len = 0;
        char tmp[64];
        size_t m = n - i < sizeof tmp - 1 ? n - i : sizeof tmp - 1;

        if (s[i] != '\033' || s[i + 1] != '[' || s[i + 2] != '4' || s[i + 3] != ';')
            continue;
        memcpy(tmp, s + i, m);
        tmp[m] = '\0';
        if (sscanf(tmp, "\033[4;%d;%dt%n", &a, &b, &len) == 2 && len > 0 && a > 0 && b > 0) {
            *h = a;
            *w = b;
            return 1;
        }
    }
    return 0;
}

void tui_gfx_detect(int mode, int fd_in, int fd_out, int timeout_ms, tui_gfx_info *out)
{
    struct termios saved, raw;
    struct winsize ws;
    char reply[256];
    size_t n = 0;
    int px_h = 0, px_w = 0, rows = 0, cols = 0;
    double t0;

    memset(out, 0, sizeof *out);
    out->cell_w = 10;
    out->cell_h = 20;
    out->sixel = mode == TUI_GFX_SIXEL;
    if (mode == TUI_GFX_BRAILLE)
        return;
    if (ioctl(fd_out, TIOCGWINSZ, &ws) == 0) {
        rows = ws.ws_row;
        cols = ws.ws_col;
        px_h = ws.ws_ypixel;
        px_w = ws.ws_xpixel;
    }
    if (tcgetattr(fd_in, &saved) != 0)
        return;
    raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(fd_in, TCSANOW, &raw) != 0)
        return;
    /* DA1 last: every terminal answers it, so its answer ends the wait */
    if (write(fd_out, "\033[14t\033[c", 9) == 9) {
        t0 = now_ms();
        while (n < sizeof reply - 1) {
            struct pollfd p = { fd_in, POLLIN, 0 };
            int left = timeout_ms - (int)(now_ms() - t0);
            ssize_t got;

            if (left <= 0 || poll(&p, 1, left) <= 0)
                break;
            got = read(fd_in, reply + n, sizeof reply - 1 - n);
            if (got <= 0)
                break;
            n += (size_t)got;
            reply[n] = '\0';
            {
                char *q = strstr(reply, "\033[?");

                if (q && strchr(q, 'c')) {
                    out->answered = 1;
                    break;
                }
            }
        }
    }
    tcsetattr(fd_in, TCSANOW, &saved);
    if (mode == TUI_GFX_AUTO)
        out->sixel = out->answered && tui_gfx_da1_sixel(reply, n);
    if (!(px_h > 0 && px_w > 0))
        parse_px(reply, n, &px_h, &px_w);
    if (px_h > 0 && px_w > 0 && rows > 0 && cols > 0 && px_h / rows >= 4 && px_w / cols >= 2) {
        out->cell_h = px_h / rows;
        out->cell_w = px_w / cols;
    }
}

int tui_gfx_is_sixel(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '\033' && s[i + 1] == 'P') {
            size_t j = i + 2;

            while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'))
                j++;
            if (j < n && s[j] == 'q') {
                for (; j + 1 < n; j++)
                    if (s[j] == '\033' && s[j + 1] == '\\')
                        return 1;
            }
        }
    }
    return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int tui_gfx_write_file(int fd, const char *path, int y, int x)
{
    char buf[65536], pos[32];
    int in = open(path, O_RDONLY), rc = 0;
    ssize_t got;

    if (in < 0)
        return -1;
    snprintf(pos, sizeof pos, "\033[%d;%dH", y + 1, x + 1);
    rc = write_all(fd, pos, strlen(pos));
    while (rc == 0 && (got = read(in, buf, sizeof buf)) > 0)
        rc = write_all(fd, buf, (size_t)got);
    close(in);
    return rc;
}
