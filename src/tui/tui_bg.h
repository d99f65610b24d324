/* tui_bg.h — the background reader thread, and the turn it takes with a
 * running stage for HDF5.
 *
 * The Debian HDF5 build is not thread-safe: one thread at a time may call
 * it.  The worker thread holds the HDF5 turn while it steps a job (one
 * slice of ~30 ms) and the background thread while it reads; turns are
 * handed out in order, so a read waits at most one slice.  The UI thread
 * never takes the turn: it submits a task and picks up its result when
 * tui_bg_done says so (a finished task wakes the loop, which ticks the
 * screens). */
#ifndef TUI_BG_H
#define TUI_BG_H

/* Take / give back the HDF5 turn (worker and background threads only). */
void tui_h5_enter(void);
void tui_h5_leave(void);

enum { TUI_BG_IDLE, TUI_BG_QUEUED, TUI_BG_DONE };

/* A read: run(arg) on the background thread, holding the HDF5 turn.  The
 * caller owns the task and keeps it alive while it is queued or running
 * (tui_bg_stop waits for the one running and drops the rest). */
typedef struct tui_bg_task {
    void (*run)(void *arg);
    void *arg;
    int state;                 /* TUI_BG_*; read with tui_bg_done */
    struct tui_bg_task *next;
} tui_bg_task;

int tui_bg_start(void);
void tui_bg_stop(void);
/* Queue t unless it is already queued (returns 0 then, 1 when queued). */
int tui_bg_submit(tui_bg_task *t);
/* 1 once t's run returned (t goes back to idle: the next call says 0). */
int tui_bg_done(tui_bg_task *t);
/* 1 while t is queued or running. */
int tui_bg_pending(const tui_bg_task *t);
/* Wait up to ms for t to finish; 1 if it did (t stays done for tui_bg_done). */
int tui_bg_wait(tui_bg_task *t, int ms);

#endif
