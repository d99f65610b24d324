/* tui_app.h — the frame's start: options from `ecgfit tui`, the loop. */
#ifndef TUI_APP_H
#define TUI_APP_H

typedef struct tui_opts {
    const char *project_dir;   /* -C DIR */
    const char *screen;        /* --screen NAME (NULL: project) */
    long long eid;             /* --eid (0: none) */
    int no_color;              /* --no-color or NO_COLOR */
    const char *timing_path;   /* $ECGFIT_TUI_TIMING: key-to-redraw times, one per line */
    int sixel;                 /* --graphics sixel, or the terminal's DA1 answer */
    int cell_w, cell_h;        /* a character cell in pixels (10 x 20 when unknown) */
} tui_opts;

/* Run the application on the terminal; returns the exit status. */
int tui_app_run(const tui_opts *o);

#endif
