/* tui_keymap.h — key bindings: the frame's own, and lookup in a screen's
 * (tmux key-bindings.c: a key names a command; the help screen is made
 * from these tables). */
#ifndef TUI_KEYMAP_H
#define TUI_KEYMAP_H

#include "tui_screen.h"

/* The keys that work on every screen. */
extern const tui_binding tui_frame_keymap[];

/* The binding of key in map (NULL-safe), or NULL. */
const tui_binding *tui_keymap_find(const tui_binding *map, int key);
/* A key's printable name for messages ("Esc", "Tab", "x"). */
const char *tui_key_name(int key, char *buf, size_t bufsz);

#define TUI_KEY_ESC 27
#define TUI_KEY_CTRL(c) ((c) & 0x1f)

#endif
