/* tui_main.c — curses front end.  For now a single screen that says which
 * project is open and how to leave; the screens arrive with the TUI issue. */
#include "config.h"
#include "tui.h"
#include "cli/cli.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

int tui_main(int argc, char **argv)
{
    const char *dir = ".";
    int i, ch;

    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "-C") == 0 && i + 1 < argc)
            dir = argv[++i];
    /* Only the character set (wide characters for curses): numbers and
     * messages keep the "C" conventions (the library does not rely on it;
     * see core/ef_numfmt.h). */
    setlocale(LC_CTYPE, "");
    if (!initscr()) {
        fprintf(stderr, "ecgfit: cannot initialise the terminal\n");
        return 1;
    }
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    for (;;) {
        erase();
        mvprintw(0, 0, "ecgfit %s", PACKAGE_VERSION);
        mvprintw(2, 2, "Project: %s", dir);
        mvprintw(4, 2, "The interactive screens are not built yet.");
        mvprintw(5, 2, "Use the batch commands meanwhile: ecgfit --help");
        mvprintw(LINES - 1, 0, "q quit");
        refresh();
        ch = getch();
        if (ch == 'q' || ch == 'Q' || ch == 27 || ch == ERR)
            break;
    }
    endwin();
    return 0;
}
