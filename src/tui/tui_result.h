/* tui_result.h — open the Result screen (screen_result.c) on one stored
 * result: the Models screen's Enter. */
#ifndef TUI_RESULT_H
#define TUI_RESULT_H

#include "tui_screen.h"

/* Show target/features/model (copied) on the Result screen. */
void tui_result_open(tui_app *app, const char *target, const char *features, const char *model);

#endif
