/* tui_cmdq.c — command lines run one after another (see tui_cmdq.h). */
#include "config.h"
#include "tui_cmdq.h"
#include "core/ef_alloc.h"

#include <stdlib.h>
#include <string.h>

void tui_cmdq_push(tui_cmdq *q, const char *line)
{
    if (q->n < TUI_CMDQ_MAX)
        q->line[q->n++] = ef_xstrdup(line);
}

void tui_cmdq_clear(tui_cmdq *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->line[i]);
    q->n = 0;
}

int tui_cmdq_busy(const tui_cmdq *q, tui_app *app)
{
    return q->n > 0 || (q->started && tui_app_job(app, NULL, 0, NULL));
}

int tui_cmdq_pump(tui_cmdq *q, tui_app *app)
{
    char *line;

    if (tui_app_job(app, NULL, 0, NULL)) {
        q->idle_seen = 0;
        return 0;
    }
    /* a job that just ended: the frame takes and shows its outcome on
     * its next turn; only after that does the queue move on (or say it
     * is done), so neither message hides the other */
    if (q->started && !q->idle_seen) {
        q->idle_seen = 1;
        return 0;
    }
    q->idle_seen = 0;
    if (q->n == 0) {
        int was = q->started;

        q->started = 0;
        return was;
    }
    line = q->line[0];
    memmove(q->line, q->line + 1, (size_t)(q->n - 1) * sizeof *q->line);
    q->n--;
    if (tui_run(app, line) != 0)   /* tui_run said why; the rest would fail alike */
        tui_cmdq_clear(q);
    else
        q->started = 1;
    free(line);
    return 0;
}

#define NREG 8
static tui_cmdq *reg[NREG];   /* UI thread only */

void tui_cmdq_register(tui_cmdq *q)
{
    for (int i = 0; i < NREG; i++)
        if (!reg[i]) {
            reg[i] = q;
            return;
        }
}

void tui_cmdq_unregister(tui_cmdq *q)
{
    for (int i = 0; i < NREG; i++)
        if (reg[i] == q)
            reg[i] = NULL;
}

void tui_cmdq_tick_all(tui_app *app)
{
    for (int i = 0; i < NREG; i++)
        if (reg[i] && tui_cmdq_pump(reg[i], app) && reg[i]->done[0]) {
            tui_message(app, 0, "%s", reg[i]->done);
            reg[i]->done[0] = '\0';
        }
}

const char *tui_quote(const char *s, char *buf, size_t size)
{
    size_t k = 0;

    if (size < 3) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    buf[k++] = '"';
    for (; *s && k + 3 < size; s++) {
        if (*s == '"' || *s == '\\')
            buf[k++] = '\\';
        buf[k++] = *s;
    }
    buf[k++] = '"';
    buf[k] = '\0';
    return buf;
}
