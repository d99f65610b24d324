/* tui_stage.h — a stage's one-line state, as the Project and Pipeline
 * screens show it (mark, name, state with counts or why). */
#ifndef TUI_STAGE_H
#define TUI_STAGE_H

#include "tui_screen.h"
#include "pipeline/ef_status.h"

void tui_stage_line(tui_app *app, WINDOW *w, int y, int x, int width, const ef_stage_status *s);

#endif
