/* screen_models.c — 4 Models: fitted models and their metrics.  Comes with the
 * terminal application's part 2; until then the screen says so. */
#include "config.h"
#include "tui_draw.h"
#include "tui_screen.h"

static void draw(tui_app *app, void *st, WINDOW *w)
{
    (void)app;
    (void)st;
    tui_heading(w, 1, 2, "Models", getmaxx(w) - 4);
    tui_put(w, 3, 2, "Fitted models and their metrics come to this screen in a later version; meanwhile: ecgfit report", getmaxx(w) - 4);
}

const tui_screen_ops tui_screen_models = {
    .name = "models",
    .title = "Models",
    .draw = draw,
};
