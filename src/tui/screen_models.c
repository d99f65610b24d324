/* screen_models.c — 4 Models: fitted models and their metrics.  The table,
 * scatter and Bland-Altman views come with the terminal application's
 * part 2; until then the screen says what is stored and which batch
 * command shows it. */
#include "config.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "pipeline/ef_status.h"

#include <stdio.h>

static void draw(tui_app *app, void *st, WINDOW *w)
{
    const ef_project_status *s = tui_app_status(app);
    char line[300];

    (void)st;
    tui_heading(w, 1, 2, "Models", getmaxx(w) - 4);
    if (s && s->stage[EF_ST_TRAIN].count)
        snprintf(line, sizeof line, "The store holds %s.  Their metrics: ecgfit report (in a shell).",
                 s->stage[EF_ST_TRAIN].detail);
    else
        snprintf(line, sizeof line, "No fitted models yet: train them from the Pipeline screen (2).");
    tui_wrap(w, 3, 2, line, getmaxx(w) - 4, 3);
    wattrset(w, tui_attr(TUI_C_DIM));
    tui_wrap(w, 6, 2, "The comparison table, scatter and Bland-Altman plots come to this screen in a later version.",
             getmaxx(w) - 4, 3);
    wattrset(w, A_NORMAL);
}

const tui_screen_ops tui_screen_models = {
    .name = "models",
    .title = "Models",
    .draw = draw,
};
