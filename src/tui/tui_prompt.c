/* tui_prompt.c — the bottom line's editor (see tui_prompt.h). */
#include "config.h"
#include "tui_prompt.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_keymap.h"
#include "cmd/ef_cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

void tui_prompt_open(tui_prompt *p, const char *label, const char *text, int complete)
{
    p->active = 1;
    p->complete = complete;
    snprintf(p->label, sizeof p->label, "%s", label);
    snprintf(p->buf, sizeof p->buf, "%s", text ? text : "");
    p->len = p->cur = strlen(p->buf);
    p->last_tab = 0;
    p->hpos = p->nhist;
}

static void set_text(tui_prompt *p, const char *s)
{
    snprintf(p->buf, sizeof p->buf, "%s", s);
    p->len = p->cur = strlen(p->buf);
}

static void insert(tui_prompt *p, const char *s, size_t n)
{
    if (p->len + n >= sizeof p->buf)
        return;
    memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
    memcpy(p->buf + p->cur, s, n);
    p->cur += n;
    p->len += n;
}

static void cut_range(tui_prompt *p, size_t from, size_t to)
{
    memmove(p->buf + from, p->buf + to, p->len - to + 1);
    p->len -= to - from;
    p->cur = from;
}

static void remember(tui_prompt *p)
{
    if (!p->len || (p->nhist && strcmp(p->history[p->nhist - 1], p->buf) == 0))
        return;
    if (p->nhist == TUI_PROMPT_HISTORY) {
        free(p->history[0]);
        memmove(p->history, p->history + 1, (TUI_PROMPT_HISTORY - 1) * sizeof p->history[0]);
        p->nhist--;
    }
    p->history[p->nhist++] = strdup(p->buf);
}

static void browse(tui_prompt *p, int dir)
{
    if (dir < 0 && p->hpos == 0)
        return;
    if (dir > 0 && p->hpos >= p->nhist)
        return;
    if (p->hpos == p->nhist)
        snprintf(p->saved, sizeof p->saved, "%s", p->buf);
    p->hpos = dir < 0 ? p->hpos - 1 : p->hpos + 1;
    set_text(p, p->hpos == p->nhist ? p->saved : p->history[p->hpos]);
}

/* Tab: the candidates' common prefix; again without progress, the list. */
static void complete(tui_prompt *p, char *msg, size_t msgsz)
{
    ef_completion c;
    size_t common, typed, len = 0;

    ef_cmdline_complete(p->buf, p->cur, &c);
    typed = p->cur - c.start;
    common = ef_completion_common(&c);
    if (c.n == 0) {
        snprintf(msg, msgsz, "no completion here (commands, --options and their choices complete)");
    } else if (c.n == 1 || common > typed) {
        size_t n = c.n == 1 ? strlen(c.cand[0]) : common;
        const char *s = c.cand[0];

        cut_range(p, c.start, p->cur);
        insert(p, s, n);
        /* a finished word (not an --opt= value) gets its blank */
        if (c.n == 1 && n && s[n - 1] != '=' && (p->cur == p->len || p->buf[p->cur] != ' '))
            insert(p, " ", 1);
        p->last_tab = 0;
    } else if (p->last_tab) {
        for (size_t i = 0; i < c.n && len + 2 < msgsz; i++)
            len += (size_t)snprintf(msg + len, msgsz - len, "%s%s", i ? "  " : "", c.cand[i]);
    } else {
        p->last_tab = 1;
        snprintf(msg, msgsz, "%zu candidates: Tab again lists them", c.n);
    }
    ef_completion_fini(&c);
}

int tui_prompt_key(tui_prompt *p, int key, char *msg, size_t msgsz)
{
    char dummy[8];
    int tab = 0;

    if (!msg) {
        msg = dummy;
        msgsz = sizeof dummy;
    }
    msg[0] = '\0';
    switch (key) {
    case TUI_KEY_ESC:
    case TUI_KEY_CTRL('g'):
        p->active = 0;
        return TUI_PROMPT_CANCEL;
    case '\n':
    case '\r':
    case KEY_ENTER:
        p->active = 0;
        remember(p);
        return TUI_PROMPT_ENTER;
    case KEY_LEFT:
    case TUI_KEY_CTRL('b'):
        while (p->cur > 0 && cont((unsigned char)p->buf[--p->cur]))
            ;
        break;
    case KEY_RIGHT:
    case TUI_KEY_CTRL('f'):
        if (p->cur < p->len)
            while (++p->cur < p->len && cont((unsigned char)p->buf[p->cur]))
                ;
        break;
    case KEY_HOME:
    case TUI_KEY_CTRL('a'):
        p->cur = 0;
        break;
    case KEY_END:
    case TUI_KEY_CTRL('e'):
        p->cur = p->len;
        break;
    case KEY_BACKSPACE:
    case 127:
    case 8: {
        size_t to = p->cur;

        if (p->cur == 0) {
            if (p->len == 0) {   /* Backspace on an empty line closes it, as in vim */
                p->active = 0;
                return TUI_PROMPT_CANCEL;
            }
            break;
        }
        while (p->cur > 0 && cont((unsigned char)p->buf[--p->cur]))
            ;
        cut_range(p, p->cur, to);
        break;
    }
    case KEY_DC:
    case TUI_KEY_CTRL('d'):
        if (p->cur < p->len) {
            size_t to = p->cur + 1;

            while (to < p->len && cont((unsigned char)p->buf[to]))
                to++;
            cut_range(p, p->cur, to);
        }
        break;
    case TUI_KEY_CTRL('u'):
        cut_range(p, 0, p->cur);
        break;
    case TUI_KEY_CTRL('k'):
        p->buf[p->cur] = '\0';
        p->len = p->cur;
        break;
    case TUI_KEY_CTRL('w'): {
        size_t from = p->cur;

        while (from > 0 && p->buf[from - 1] == ' ')
            from--;
        while (from > 0 && p->buf[from - 1] != ' ')
            from--;
        cut_range(p, from, p->cur);
        break;
    }
    case KEY_UP:
    case TUI_KEY_CTRL('p'):
        browse(p, -1);
        break;
    case KEY_DOWN:
    case TUI_KEY_CTRL('n'):
        browse(p, 1);
        break;
    case '\t':
        if (p->complete) {
            tab = 1;
            complete(p, msg, msgsz);
        }
        break;
    default:
        if (key >= 0x20 && key <= 0xff && key != 0x7f) {
            char c = (char)key;

            insert(p, &c, 1);
        }
        break;
    }
    if (!tab)
        p->last_tab = 0;
    return TUI_PROMPT_EDITING;
}

void tui_prompt_draw(const tui_prompt *p, WINDOW *w, int y, int width)
{
    int lw = tui_width(p->label), room = width - lw - 1;
    size_t start = 0;
    char before[TUI_PROMPT_MAX];

    /* scroll so that the cursor stays on the line */
    for (;;) {
        snprintf(before, sizeof before, "%.*s", (int)(p->cur - start), p->buf + start);
        if (room <= 1 || tui_width(before) < room || start >= p->cur)
            break;
        while (++start < p->cur && cont((unsigned char)p->buf[start]))
            ;
    }
    wmove(w, y, 0);
    wattrset(w, A_NORMAL);
    for (int i = 0; i < width; i++)
        waddch(w, ' ');
    wattrset(w, A_BOLD);
    tui_put(w, y, 0, p->label, width);
    wattrset(w, A_NORMAL);
    if (room > 0) {
        /* no ellipsis: clip the tail by hand */
        const char *s = p->buf + start;
        size_t n = strlen(s);

        while (n && tui_width((snprintf(before, sizeof before, "%.*s", (int)n, s), before)) > room)
            n--;
        mvwaddnstr(w, y, lw, s, (int)n);
    }
    snprintf(before, sizeof before, "%.*s", (int)(p->cur - start), p->buf + start);
    wmove(w, y, lw + tui_width(before) < width ? lw + tui_width(before) : width - 1);
}

void tui_prompt_fini(tui_prompt *p)
{
    for (size_t i = 0; i < p->nhist; i++)
        free(p->history[i]);
    p->nhist = 0;
}
