/* screen_tables.c — 5 Tables: Table 1 and the fitness summary, rendered
 * live.  Comes with the terminal application's part 2 (and the table1 and
 * summary commands); until then the screen says so. */
#include "config.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_screen.h"

static void draw(tui_app *app, void *st, WINDOW *w)
{
    (void)app;
    (void)st;
    tui_heading(w, 1, 2, "Tables", getmaxx(w) - 4);
    tui_wrap(w, 3, 2, "Table 1 (the cohort by sex) and the fitness summary come to this screen with the table1 and "
                      "summary commands, in a later version.", getmaxx(w) - 4, 3);
    wattrset(w, tui_attr(TUI_C_DIM));
    tui_wrap(w, 6, 2, "Meanwhile: ecgfit export labels writes the participants table for any statistics package.",
             getmaxx(w) - 4, 3);
    wattrset(w, A_NORMAL);
}

const tui_screen_ops tui_screen_tables = {
    .name = "tables",
    .title = "Tables",
    .draw = draw,
};
