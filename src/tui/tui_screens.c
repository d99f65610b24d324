/* tui_screens.c — the screens, in screen-bar order (the first TUI_NBAR are
 * the bar's 1..5), then the ones reached by a key (result, help, log). */
#include "config.h"
#include "tui_screen.h"

const tui_screen_ops *const tui_screens[] = {
    &tui_screen_project, &tui_screen_pipeline, &tui_screen_ecg, &tui_screen_models, &tui_screen_tables,
    &tui_screen_result, &tui_screen_help, &tui_screen_log,
};
const size_t tui_nscreens = sizeof tui_screens / sizeof tui_screens[0];
