/* screen_project.c — placeholder. */
#include "config.h"
#include "tui_draw.h"
#include "tui_screen.h"

static void draw(tui_app *app, void *st, WINDOW *w)
{
    (void)app;
    (void)st;
    tui_heading(w, 1, 2, "Project", getmaxx(w) - 4);
}

const tui_screen_ops tui_screen_project = {
    .name = "project",
    .title = "Project",
    .draw = draw,
};
