/* tui.h — the curses front end (the only code that includes curses). */
#ifndef EF_TUI_H
#define EF_TUI_H

int tui_main(int argc, char **argv);

#endif
