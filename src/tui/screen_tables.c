/* screen_tables.c — 5 Tables: Table 1 and the fitness summary.  Comes with the
 * terminal application's part 2; until then the screen says so. */
#include "config.h"
#include "tui_draw.h"
#include "tui_screen.h"

static void draw(tui_app *app, void *st, WINDOW *w)
{
    (void)app;
    (void)st;
    tui_heading(w, 1, 2, "Tables", getmaxx(w) - 4);
    tui_put(w, 3, 2, "Table 1 and the fitness summary come to this screen in a later version.", getmaxx(w) - 4);
}

const tui_screen_ops tui_screen_tables = {
    .name = "tables",
    .title = "Tables",
    .draw = draw,
};
