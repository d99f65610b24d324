/* test_tui_prompt.c — the bottom line's editor (src/tui/tui_prompt.c)
 * without a terminal: typing and moving in UTF-8, the kill keys, history
 * browsing that keeps the line being edited, Tab completion from the
 * command table (common prefix, a second Tab lists, a finished word gets
 * its blank); and the sixel helpers (src/tui/tui_gfx.c): the DA1 answer's
 * attribute 4, a DCS image recognised. */
#include "config.h"
#include "tap.h"
#include "tui/tui_gfx.h"
#include "tui/tui_keymap.h"
#include "tui/tui_prompt.h"

#include <string.h>

static void type(tui_prompt *p, const char *s)
{
    for (; *s; s++)
        tui_prompt_key(p, (unsigned char)*s, NULL, 0);
}

int main(void)
{
    tui_prompt p;
    char msg[512];
    int r;

    memset(&p, 0, sizeof p);
    tui_prompt_open(&p, ":", NULL, 1);
    type(&p, "tabel1");
    tui_prompt_key(&p, KEY_LEFT, NULL, 0);
    tui_prompt_key(&p, KEY_LEFT, NULL, 0);
    tui_prompt_key(&p, KEY_BACKSPACE, NULL, 0);
    tui_prompt_key(&p, KEY_RIGHT, NULL, 0);
    type(&p, "e");
    is_str(p.buf, "table1", "Left, Backspace, Right and typing in the middle");
    tui_prompt_key(&p, KEY_END, NULL, 0);
    type(&p, " --caption \xc3\xa9t\xc3\xa9");
    tui_prompt_key(&p, KEY_BACKSPACE, NULL, 0);
    is_str(p.buf, "table1 --caption \xc3\xa9t", "Backspace removes a whole UTF-8 character");
    tui_prompt_key(&p, TUI_KEY_CTRL('w'), NULL, 0);
    is_str(p.buf, "table1 --caption ", "C-w removes the word before the cursor");
    r = tui_prompt_key(&p, '\n', NULL, 0);
    ok(r == TUI_PROMPT_ENTER && !p.active, "Enter gives the line and closes");

    tui_prompt_open(&p, ":", NULL, 1);
    type(&p, "report");
    tui_prompt_key(&p, '\r', NULL, 0);
    tui_prompt_open(&p, ":", NULL, 1);
    type(&p, "half");
    tui_prompt_key(&p, KEY_UP, NULL, 0);
    is_str(p.buf, "report", "Up: the last line");
    tui_prompt_key(&p, KEY_UP, NULL, 0);
    is_str(p.buf, "table1 --caption ", "Up again: the one before");
    tui_prompt_key(&p, KEY_UP, NULL, 0);
    is_str(p.buf, "table1 --caption ", "Up at the oldest stays");
    tui_prompt_key(&p, KEY_DOWN, NULL, 0);
    tui_prompt_key(&p, KEY_DOWN, NULL, 0);
    is_str(p.buf, "half", "Down past the newest: the line being edited is back");
    r = tui_prompt_key(&p, TUI_KEY_ESC, NULL, 0);
    ok(r == TUI_PROMPT_CANCEL && !p.active, "Esc cancels");
    is_int((long long)p.nhist, 2, "a cancelled line is not remembered");

    tui_prompt_open(&p, ":", "ta", 1);
    tui_prompt_key(&p, '\t', msg, sizeof msg);
    is_str(p.buf, "table1 ", "Tab completes a command and adds the blank");
    type(&p, "--gr");
    tui_prompt_key(&p, '\t', msg, sizeof msg);
    is_str(p.buf, "table1 --groupby ", "Tab completes an option");
    tui_prompt_key(&p, TUI_KEY_CTRL('u'), NULL, 0);
    type(&p, "table1 --format ");
    tui_prompt_key(&p, '\t', msg, sizeof msg);
    ok(strstr(msg, "Tab again") != NULL, "a first Tab with several candidates says so (%s)", msg);
    tui_prompt_key(&p, '\t', msg, sizeof msg);
    is_str(msg, "csv  html  latex  md  text", "a second Tab lists them");
    type(&p, "la");
    tui_prompt_key(&p, '\t', msg, sizeof msg);
    is_str(p.buf, "table1 --format latex ", "a choice's value completes");
    tui_prompt_open(&p, "file: ", "x.tex", 0);
    tui_prompt_key(&p, '\t', msg, sizeof msg);
    is_str(p.buf, "x.tex", "a prompt without completion ignores Tab");
    tui_prompt_key(&p, KEY_BACKSPACE, NULL, 0);
    tui_prompt_key(&p, KEY_HOME, NULL, 0);
    r = tui_prompt_key(&p, KEY_BACKSPACE, NULL, 0);
    ok(r == TUI_PROMPT_EDITING && p.active, "Backspace at the start of a line with text keeps it open");
    tui_prompt_fini(&p);

    ok(tui_gfx_da1_sixel("\033[?62;4;6;22c", 13), "DA1 with attribute 4: sixel");
    ok(tui_gfx_da1_sixel("\033[4;480;640t\033[?64;1;4c", 22), "after a 14t answer too");
    ok(!tui_gfx_da1_sixel("\033[?62;1;6;22c", 13), "DA1 without 4: no sixel");
    ok(!tui_gfx_da1_sixel("\033[?4;1c", 7), "4 as the class is not the attribute");
    ok(!tui_gfx_da1_sixel("", 0), "no answer: no sixel");
    {
        const char *img = "x\033P0;1q\"1;1;10;10#0~-\033\\";

        ok(tui_gfx_is_sixel(img, strlen(img)), "a DCS sixel image is recognised");
    }
    ok(!tui_gfx_is_sixel("\033P0;1q#0~-", 10), "an unterminated one is not");
    return done_testing();
}
