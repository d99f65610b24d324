/* tui_log.h — the log: every message and every line a command's sink
 * emitted, for the log screen (`L`).  Thread-safe (the worker adds). */
#ifndef TUI_LOG_H
#define TUI_LOG_H

#include <stddef.h>

enum { TUI_LOG_TEXT, TUI_LOG_NOTE, TUI_LOG_WARN, TUI_LOG_ERROR };

/* Add text (split at newlines; a trailing newline adds no empty line). */
void tui_log_add(int kind, const char *text);
/* Lines kept (the oldest go past TUI_LOG_MAX). */
size_t tui_log_count(void);
/* Copy line i (0: oldest kept) into buf; its kind, or -1 if out of range. */
int tui_log_line(size_t i, char *buf, size_t bufsz);
/* Bumped by every add: the log screen redraws when it changed. */
unsigned long tui_log_serial(void);
void tui_log_clear(void);

#define TUI_LOG_MAX 5000

#endif
