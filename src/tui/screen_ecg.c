/* screen_ecg.c — 3 ECG: one participant's 12-lead ECG.  A placeholder
 * until the Braille canvas and the ECG screen land (branch ecgview). */
#include "config.h"
#include "tui_draw.h"
#include "tui_screen.h"

static void draw(tui_app *app, void *st, WINDOW *w)
{
    long long eid = tui_app_start_eid(app);

    (void)st;
    tui_heading(w, 1, 2, "ECG", getmaxx(w) - 4);
    tui_put(w, 3, 2, "The ECG viewer (12 leads on a Braille canvas) is not in this build yet.", getmaxx(w) - 4);
    if (eid)
        mvwprintw(w, 4, 2, "Asked for participant %lld.", eid);
    tui_put(w, 6, 2, "Meanwhile: ecgfit export ecg --eid EID -o FILE", getmaxx(w) - 4);
}

const tui_screen_ops tui_screen_ecg = {
    .name = "ecg",
    .title = "ECG",
    .draw = draw,
};
