/* tui_prompt.h — a one-line editor for the bottom line: the `:` command
 * line and the screens' questions (a file name).  Emacs-ish keys (Left,
 * Right, Home/C-a, End/C-e, Backspace, Delete, C-u, C-w), its own history
 * (Up/Down, kept for the session) and, when asked, Tab completion from the
 * command table (cmd/ef_cmdline.h): the first Tab inserts what every
 * candidate shares, a second one lists them. */
#ifndef TUI_PROMPT_H
#define TUI_PROMPT_H

#include "tui_curses.h"
#include <stddef.h>

#define TUI_PROMPT_MAX 1024
#define TUI_PROMPT_HISTORY 64

typedef struct tui_prompt {
    int active;
    int complete;                 /* Tab completes command lines */
    char label[64];               /* ":" or "file name: " */
    char buf[TUI_PROMPT_MAX];
    size_t len, cur;              /* bytes */
    int last_tab;                 /* the previous key was a Tab without progress */
    char *history[TUI_PROMPT_HISTORY];
    size_t nhist;                 /* entries kept, oldest first */
    size_t hpos;                  /* browsing: nhist = the line being edited */
    char saved[TUI_PROMPT_MAX];   /* the edited line while browsing */
} tui_prompt;

enum tui_prompt_result {
    TUI_PROMPT_EDITING,           /* key taken, still open */
    TUI_PROMPT_ENTER,             /* Enter: the line is in buf (added to history) */
    TUI_PROMPT_CANCEL             /* Esc or C-g: closed */
};

/* Open with a label and a starting text (NULL: empty). */
void tui_prompt_open(tui_prompt *p, const char *label, const char *text, int complete);
/* One key.  msg (may be NULL) receives a message for the bottom line, such
 * as the candidates of a second Tab; empty otherwise. */
int tui_prompt_key(tui_prompt *p, int key, char *msg, size_t msgsz);
/* Draw on row y of w across width columns; leaves the cursor in place. */
void tui_prompt_draw(const tui_prompt *p, WINDOW *w, int y, int width);
void tui_prompt_fini(tui_prompt *p);

#endif
