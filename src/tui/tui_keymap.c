/* tui_keymap.c — the frame's key bindings and keymap lookup. */
#include "config.h"
#include "tui_keymap.h"

#include <stdio.h>

const tui_binding tui_frame_keymap[] = {
    { '1', "1", "select-screen project", "Project: sources, cohort funnel, stages" },
    { '2', "2", "select-screen pipeline", "Pipeline: run, cancel and resume stages" },
    { '3', "3", "select-screen ecg", "ECG: one participant's 12-lead ECG" },
    { '4', "4", "select-screen models", "Models: fitted models and their metrics" },
    { '5', "5", "select-screen tables", "Tables: Table 1 and the fitness summary" },
    { '\t', "Tab", "next-screen", "next screen" },
    { KEY_BTAB, "S-Tab", "previous-screen", "previous screen" },
    { ':', ":", "command-prompt", "command line: any ecgfit command (Tab completes, Up/Down: history)" },
    { '?', "?", "help", "the keys of this screen" },
    { KEY_F(1), NULL, "help", NULL },
    { 'L', "L", "log", "the full log of messages and command output" },
    { TUI_KEY_ESC, "Esc", "cancel", "cancel the running stage" },
    { TUI_KEY_CTRL('l'), "C-l", "redraw", "redraw the screen" },
    { 'q', "q", "back", "back; quits from the five main screens" },
    { 'Q', "Q", "quit", "quit at once (cancels a running stage)" },
    { 0, NULL, NULL, NULL },
};

const tui_binding *tui_keymap_find(const tui_binding *map, int key)
{
    for (; map && (map->key || map->command || map->help); map++)
        if (map->key == key)
            return map;
    return NULL;
}

const char *tui_key_name(int key, char *buf, size_t bufsz)
{
    switch (key) {
    case TUI_KEY_ESC: return "Esc";
    case '\t': return "Tab";
    case '\n': case '\r': case KEY_ENTER: return "Enter";
    case KEY_UP: return "Up";
    case KEY_DOWN: return "Down";
    case KEY_LEFT: return "Left";
    case KEY_RIGHT: return "Right";
    default: break;
    }
    if (key >= 0x20 && key < 0x7f)
        snprintf(buf, bufsz, "%c", key);
    else if (key > 0 && key < 0x20)
        snprintf(buf, bufsz, "C-%c", key + 'a' - 1);
    else
        snprintf(buf, bufsz, "%s", keyname(key) ? keyname(key) : "?");
    return buf;
}
