/* tui_draw.c — drawing helpers (see tui_draw.h). */
#include "config.h"
#include "tui_draw.h"
#include "tui_canvas.h"
#include "tui_crt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

int tui_width(const char *text)
{
    mbstate_t ps;
    const char *p = text;
    int w = 0;

    memset(&ps, 0, sizeof ps);
    while (*p) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, strlen(p), &ps);
        int cw;

        if (n == (size_t)-1 || n == (size_t)-2) {   /* not valid here: one column per byte */
            memset(&ps, 0, sizeof ps);
            p++;
            w++;
            continue;
        }
        cw = wcwidth(wc);
        w += cw > 0 ? cw : 0;
        p += n ? n : 1;
    }
    return w;
}

int tui_put(WINDOW *w, int y, int x, const char *text, int maxw)
{
    mbstate_t ps;
    const char *p = text;
    int used = 0, wmax = getmaxx(w) - x;

    if (maxw > wmax)
        maxw = wmax;
    if (maxw <= 0 || y < 0 || y >= getmaxy(w))
        return 0;
    wmove(w, y, x);
    memset(&ps, 0, sizeof ps);
    while (*p) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, strlen(p), &ps);
        int cw;

        if (n == (size_t)-1 || n == (size_t)-2) {
            memset(&ps, 0, sizeof ps);
            wc = '?';
            n = 1;
        }
        if (n == 0)
            break;
        cw = wcwidth(wc);
        if (cw < 0)
            cw = 0;
        /* leave room for the ellipsis when more follows */
        if (used + cw > maxw || (used + cw == maxw && p[n] && tui_width(p + n) > 0)) {
            if (used < maxw) {
                if (MB_CUR_MAX > 1)
                    waddwstr(w, L"\u2026");
                else
                    waddch(w, '~');
                used++;
            }
            break;
        }
        if (wc < 0x80) {
            waddch(w, (chtype)(wc < 0x20 ? ' ' : wc));
        } else {
            wchar_t s[2] = { wc, 0 };

            waddnwstr(w, s, 1);
        }
        used += cw;
        p += n;
    }
    return used;
}

int tui_put_right(WINDOW *w, int y, int x_end, const char *text, int maxw)
{
    int tw = tui_width(text);

    if (tw > maxw)
        tw = maxw;
    return tui_put(w, y, x_end - tw, text, maxw);
}

static const char *const eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

void tui_hbar(WINDOW *w, int y, int x, int cols, double frac, int utf8)
{
    int cells, i;

    if (cols <= 0)
        return;
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    wmove(w, y, x);
    if (!utf8) {
        cells = (int)(frac * cols + 0.5);
        for (i = 0; i < cells; i++)
            waddch(w, '#');
        return;
    }
    cells = (int)(frac * cols * 8 + 0.5);
    for (i = 0; i < cells / 8; i++)
        waddstr(w, "█");
    if (cells % 8)
        waddstr(w, eighths[cells % 8]);
}

void tui_meter(WINDOW *w, int y, int x, int cols, double frac, int utf8)
{
    int full, i;
    attr_t keep;
    short pair;

    if (cols <= 0)
        return;
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    wattr_get(w, &keep, &pair, NULL);
    full = (int)(frac * cols + 0.5);
    wmove(w, y, x);
    wattrset(w, tui_attr(TUI_C_METER));
    for (i = 0; i < full; i++)
        waddstr(w, utf8 ? "█" : "#");
    wattrset(w, tui_attr(TUI_C_METER_BG));
    for (; i < cols; i++)
        waddstr(w, utf8 ? "░" : ".");
    wattr_set(w, keep, pair, NULL);
}

void tui_heading(WINDOW *w, int y, int x, const char *text, int maxw)
{
    wattrset(w, tui_attr(TUI_C_HEADING));
    tui_put(w, y, x, text, maxw);
    wattrset(w, A_NORMAL);
}

char *tui_fmt_thousands(uint64_t v, char *buf, size_t n)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;

    for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

char *tui_fmt_ago(long long when, char *buf, size_t n)
{
    time_t now = time(NULL);
    long long d = (long long)now - when;

    if (when <= 0) {
        snprintf(buf, n, "?");
    } else if (d < 60) {
        snprintf(buf, n, "just now");
    } else if (d < 3600) {
        snprintf(buf, n, "%lld min ago", d / 60);
    } else if (d < 48 * 3600) {
        snprintf(buf, n, "%lld h ago", d / 3600);
    } else {
        time_t t = (time_t)when;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(buf, n, "%Y-%m-%d", &tm);
    }
    return buf;
}

char *tui_fmt_bytes(uint64_t v, char *buf, size_t n)
{
    static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
    double x = (double)v;
    int u = 0;

    while (x >= 1000 && u < 4) {
        x /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(buf, n, "%llu B", (unsigned long long)v);
    else
        snprintf(buf, n, x < 10 ? "%.1f %s" : "%.0f %s", x, unit[u]);
    return buf;
}

int tui_wrap(WINDOW *w, int y, int x, const char *text, int width, int maxlines)
{
    char line[1024];
    const char *p = text;
    int lines = 0;

    while (*p && lines < maxlines && width > 0) {
        size_t best = 0, i = 0;

        /* the longest prefix up to a space that fits */
        while (p[i]) {
            size_t j = i;

            while (p[j] == ' ')
                j++;
            while (p[j] && p[j] != ' ')
                j++;
            if (j >= sizeof line)
                break;
            memcpy(line, p, j);
            line[j] = '\0';
            if (tui_width(line) > width)
                break;
            best = j;
            i = j;
        }
        if (best == 0 || lines == maxlines - 1) {   /* one long word, or the last line: cut */
            tui_put(w, y + lines, x, p, width);
            lines++;
            break;
        }
        memcpy(line, p, best);
        line[best] = '\0';
        tui_put(w, y + lines, x, line, width);
        lines++;
        p += best;
        while (*p == ' ')
            p++;
    }
    return lines;
}

void tui_draw_canvas(WINDOW *w, int y, int x, const tui_canvas *c, int (*role)(int pen))
{
    char run[4096], cell[8];
    int rows = tui_canvas_rows(c), cols = tui_canvas_cols(c), r, k, len, pen, n;

    for (r = 0; r < rows; r++) {
        wmove(w, y + r, x);
        for (k = 0; k < cols;) {
            pen = tui_canvas_cell_color(c, k, r);
            for (len = 0; k < cols && tui_canvas_cell_color(c, k, r) == pen; k++) {
                n = tui_canvas_cell(c, k, r, cell);
                if (len + n >= (int)sizeof run)
                    break;
                memcpy(run + len, cell, (size_t)n);
                len += n;
            }
            run[len] = '\0';
            wattrset(w, tui_attr(role(pen)));
            waddstr(w, run);
        }
    }
    wattrset(w, A_NORMAL);
}
