/* screen_help.c — ?: the keys of the screen it was opened from, then the
 * keys of every screen, made from the keymaps (tui_keymap.h). */
#include "config.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_keymap.h"
#include "tui_screen.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    int top;     /* first line shown */
    int lines;   /* lines of the last draw */
    int rows;
} help;

static const tui_binding keys[] = {
    { 'j', "j/Down", NULL, "scroll down" },
    { KEY_DOWN, NULL, NULL, NULL },
    { 'k', "k/Up", NULL, "scroll up" },
    { KEY_UP, NULL, NULL, NULL },
    { ' ', "Space/PgDn", NULL, "page down" },
    { KEY_NPAGE, NULL, NULL, NULL },
    { KEY_PPAGE, "PgUp", NULL, "page up" },
    { 0, NULL, NULL, NULL },
};

static void *create(tui_app *app)
{
    (void)app;
    return calloc(1, sizeof(help));
}

static void enter(tui_app *app, void *st)
{
    (void)app;
    ((help *)st)->top = 0;
}

/* One table's lines from line y (minus top); returns the next line. */
static int put_map(WINDOW *w, int y, int top, const tui_binding *map, int rows)
{
    int cols = getmaxx(w);

    for (; map && (map->key || map->help); map++) {
        int row = y - top;

        if (!map->keyname || !map->help)
            continue;
        if (row >= 0 && row < rows) {
            wattrset(w, tui_attr(TUI_C_BAR_KEY));
            tui_put(w, row, 4, map->keyname, 12);
            wattrset(w, A_NORMAL);
            tui_put(w, row, 17, map->help, cols - 19);
            if (map->command && cols >= 100) {
                char buf[128];
                int used = tui_width(map->help);

                snprintf(buf, sizeof buf, "(%s)", map->command);
                wattrset(w, tui_attr(TUI_C_DIM));
                if (17 + used + 2 + tui_width(buf) < cols)
                    tui_put(w, row, cols - tui_width(buf) - 2, buf, cols);
                wattrset(w, A_NORMAL);
            }
        }
        y++;
    }
    return y;
}

static void draw(tui_app *app, void *st, WINDOW *w)
{
    help *h = st;
    const tui_screen_ops *s = tui_app_previous(app);
    int y = 0, rows = getmaxy(w), cols = getmaxx(w);
    char title[128];

    snprintf(title, sizeof title, "Keys of the %s screen", s->title);
    if (y - h->top >= 0)
        tui_heading(w, y - h->top, 1, title, cols - 2);
    y++;
    if (s->keymap)
        y = put_map(w, y, h->top, s->keymap, rows);
    else {
        if (y - h->top >= 0 && y - h->top < rows)
            tui_put(w, y - h->top, 4, "(no keys of its own)", cols - 6);
        y++;
    }
    y++;
    if (y - h->top >= 0 && y - h->top < rows)
        tui_heading(w, y - h->top, 1, "Keys on every screen", cols - 2);
    y++;
    y = put_map(w, y, h->top, tui_frame_keymap, rows);
    y++;
    if (y - h->top >= 0 && y - h->top < rows) {
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, y - h->top, 1, "Every stage is also a batch command: ecgfit --help lists them.  q: back", cols - 2);
        wattrset(w, A_NORMAL);
    }
    y++;
    h->lines = y;
    h->rows = rows;
}

static int key(tui_app *app, void *st, int k)
{
    help *h = st;
    int max = h->lines - h->rows > 0 ? h->lines - h->rows : 0;

    (void)app;
    switch (k) {
    case 'j': case KEY_DOWN: h->top++; break;
    case 'k': case KEY_UP: h->top--; break;
    case ' ': case KEY_NPAGE: h->top += h->rows - 1; break;
    case KEY_PPAGE: h->top -= h->rows - 1; break;
    case 'g': case KEY_HOME: h->top = 0; break;
    case 'G': case KEY_END: h->top = max; break;
    default: return TUI_UNHANDLED;
    }
    if (h->top > max)
        h->top = max;
    if (h->top < 0)
        h->top = 0;
    return TUI_HANDLED | TUI_REDRAW;
}

const tui_screen_ops tui_screen_help = {
    .name = "help",
    .title = "Help",
    .keymap = keys,
    .create = create,
    .destroy = free,
    .enter = enter,
    .draw = draw,
    .key = key,
};
