/* screen_log.c — L: the full log (messages, and what each command said),
 * newest at the bottom; follows new lines unless scrolled up. */
#include "config.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_log.h"
#include "tui_screen.h"

#include <stdlib.h>

typedef struct {
    long top;          /* first line shown; -1: follow the end */
    int left;          /* first column shown (h/l scroll wide lines) */
    int rows;
    unsigned long serial;
} logscr;

static const tui_binding keys[] = {
    { 'j', "j/Down", NULL, "scroll down" },
    { KEY_DOWN, NULL, NULL, NULL },
    { 'k', "k/Up", NULL, "scroll up" },
    { KEY_UP, NULL, NULL, NULL },
    { KEY_NPAGE, "PgDn/PgUp", NULL, "page down / up" },
    { KEY_PPAGE, NULL, NULL, NULL },
    { 'h', "h/l", NULL, "scroll left / right (wide tables)" },
    { 'l', NULL, NULL, NULL },
    { KEY_LEFT, NULL, NULL, NULL },
    { KEY_RIGHT, NULL, NULL, NULL },
    { 'g', "g/G", NULL, "oldest line / newest line (and follow)" },
    { 'G', NULL, NULL, NULL },
    { 0, NULL, NULL, NULL },
};

static void *create(tui_app *app)
{
    logscr *l = calloc(1, sizeof *l);

    (void)app;
    l->top = -1;
    return l;
}

static void draw(tui_app *app, void *st, WINDOW *w)
{
    logscr *l = st;
    int rows = getmaxy(w), cols = getmaxx(w), y;
    long n = (long)tui_log_count(), top;
    char buf[1024];

    (void)app;
    l->rows = rows;
    l->serial = tui_log_serial();
    top = l->top < 0 ? n - rows : l->top;
    if (top > n - rows)
        top = n - rows;
    if (top < 0)
        top = 0;
    if (n == 0)
        tui_put(w, 0, 1, "(nothing logged yet: messages and the output of the stages you run appear here)", cols - 2);
    for (y = 0; y < rows && top + y < n; y++) {
        int kind = tui_log_line((size_t)(top + y), buf, sizeof buf);

        wattrset(w, kind == TUI_LOG_ERROR ? tui_attr(TUI_C_ERROR)
                    : kind == TUI_LOG_WARN ? tui_attr(TUI_C_WARN)
                    : kind == TUI_LOG_NOTE ? tui_attr(TUI_C_DIM) : A_NORMAL);
        {
            const char *p = buf;
            int skip = l->left;

            while (*p && skip > 0) {   /* whole characters */
                p++;
                while ((*p & 0xc0) == 0x80)
                    p++;
                skip--;
            }
            tui_put(w, y, 1, p, cols - 2);
        }
    }
    wattrset(w, A_NORMAL);
}

static int key(tui_app *app, void *st, int k)
{
    logscr *l = st;
    long n = (long)tui_log_count(), max = n - l->rows > 0 ? n - l->rows : 0;
    long top = l->top < 0 ? max : l->top;

    (void)app;
    switch (k) {
    case 'j': case KEY_DOWN: top++; break;
    case 'k': case KEY_UP: top--; break;
    case ' ': case KEY_NPAGE: top += l->rows - 1; break;
    case KEY_PPAGE: top -= l->rows - 1; break;
    case 'h': case KEY_LEFT: l->left = l->left > 20 ? l->left - 20 : 0; return TUI_HANDLED | TUI_REDRAW;
    case 'l': case KEY_RIGHT: if (l->left < 1000) l->left += 20; return TUI_HANDLED | TUI_REDRAW;
    case 'g': case KEY_HOME: top = 0; break;
    case 'G': case KEY_END: top = max; break;
    default: return TUI_UNHANDLED;
    }
    if (top < 0)
        top = 0;
    l->top = top >= max ? -1 : top;
    return TUI_HANDLED | TUI_REDRAW;
}

static int tick(tui_app *app, void *st)
{
    logscr *l = st;

    (void)app;
    return tui_log_serial() != l->serial ? TUI_REDRAW : 0;
}

const tui_screen_ops tui_screen_log = {
    .name = "log",
    .title = "Log",
    .keymap = keys,
    .create = create,
    .destroy = free,
    .draw = draw,
    .key = key,
    .tick = tick,
};
