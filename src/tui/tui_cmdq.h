/* tui_cmdq.h — a few command lines run one after another: the worker
 * thread runs one job at a time, so a screen that asks for several (train,
 * then replicate per target; three figures) queues them.  A registered
 * queue is pumped by the frame every tick, whichever screen is shown, and
 * says its done message when its last command has ended. */
#ifndef TUI_CMDQ_H
#define TUI_CMDQ_H

#include "tui_screen.h"

#define TUI_CMDQ_MAX 16

typedef struct tui_cmdq {
    char *line[TUI_CMDQ_MAX];
    int n;
    int started;          /* a command of this queue was started and may still run */
    int idle_seen;        /* no job ran at the last pump (the frame has its outcome) */
    char done[16384];     /* said on the bottom line when the last one ended ("": nothing) */
} tui_cmdq;

/* Pumped by the frame from now on (until unregistered). */
void tui_cmdq_register(tui_cmdq *q);
void tui_cmdq_unregister(tui_cmdq *q);
/* The frame's tick: pump every registered queue. */
void tui_cmdq_tick_all(tui_app *app);

/* Append a command line (dropped with a message when the queue is full). */
void tui_cmdq_push(tui_cmdq *q, const char *line);
/* Start the next command when no job runs (one pump after the last one
 * ended); returns 1 once when the last one has finished. */
int tui_cmdq_pump(tui_cmdq *q, tui_app *app);
/* 1 while commands wait or one of them runs. */
int tui_cmdq_busy(const tui_cmdq *q, tui_app *app);
void tui_cmdq_clear(tui_cmdq *q);

/* s in double quotes with \" and \\ escaped (the command line's quoting),
 * into buf. */
const char *tui_quote(const char *s, char *buf, size_t size);

#endif
