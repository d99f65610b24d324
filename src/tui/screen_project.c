/* screen_project.c — 1 Project: where the study stands.  The sources (main
 * CSV, ECG folder, encoder), every stage's state and the cohort funnel,
 * all from the frame's project status (ef_status.h): drawing reads nothing. */
#include "config.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_job.h"
#include "tui_screen.h"
#include "tui_stage.h"
#include "core/ef_job.h"
#include "pipeline/ef_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int top;        /* funnel scroll */
    int funnel_rows;
} project;

static const tui_binding keys[] = {
    { 'j', "j/Down", NULL, "scroll the cohort funnel" },
    { KEY_DOWN, NULL, NULL, NULL },
    { 'k', "k/Up", NULL, "scroll the cohort funnel back" },
    { KEY_UP, NULL, NULL, NULL },
    { '\n', "Enter", "select-screen pipeline", "the Pipeline screen: run the next stage" },
    { '\r', NULL, "select-screen pipeline", NULL },
    { KEY_ENTER, NULL, "select-screen pipeline", NULL },
    { 0, NULL, NULL, NULL },
};

static void *create(tui_app *app)
{
    (void)app;
    return calloc(1, sizeof(project));
}

/* A path cut from the left to fit ("~/very/long/..." -> "...long/ukb.csv"). */
static void put_path(WINDOW *w, int y, int x, const char *path, int maxw)
{
    int len = tui_width(path);

    if (len <= maxw) {
        tui_put(w, y, x, path, maxw);
        return;
    }
    while (*path && tui_width(path) > maxw - 1)
        path++;
    mvwaddch(w, y, x, '~');
    tui_put(w, y, x + 1, path, maxw - 1);
}

static void source_line(tui_app *app, WINDOW *w, int y, int width, const char *label, const ef_source_status *s,
                        int kind)
{
    char info[96] = "", num[32];
    int utf8 = tui_app_utf8(app), infow = 26, pathw;

    tui_put(w, y, 2, label, 11);
    pathw = width - 13 - infow - 4;
    if (!s->path) {
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, y, 13, kind == 2 ? "not set (embed needs it: ecgfit init --encoder FILE)" : "not set (ecgfit init)",
                width - 14);
        wattrset(w, A_NORMAL);
        return;
    }
    put_path(w, y, 13, s->path, pathw);
    if (!s->exists) {
        wattrset(w, tui_attr(TUI_C_ERROR));
        tui_put_right(w, y, width - 1, utf8 ? "missing ✗" : "missing X", infow);
        wattrset(w, A_NORMAL);
        return;
    }
    if (kind == 1)
        snprintf(info, sizeof info, "%s ECG files", tui_fmt_thousands(s->nfiles, num, sizeof num));
    else if (kind == 2 && s->sha256[0])
        snprintf(info, sizeof info, "%s  sha256 %.8s", tui_fmt_bytes(s->size, num, sizeof num), s->sha256);
    else
        snprintf(info, sizeof info, "%s", tui_fmt_bytes(s->size, num, sizeof num));
    tui_put_right(w, y, width - 4, info, infow);
    wattrset(w, tui_attr(TUI_C_OK));
    tui_put(w, y, width - 3, utf8 ? "✓" : "ok", 2);
    wattrset(w, A_NORMAL);
}

/* The stage's symbol and colour. */
static const char *state_mark(int state, int utf8, int *color)
{
    switch (state) {
    case EF_STAGE_DONE: *color = TUI_C_OK; return utf8 ? "✓" : "+";
    case EF_STAGE_FAILED: *color = TUI_C_WARN; return "!";
    case EF_STAGE_STALE: *color = TUI_C_WARN; return "~";
    case EF_STAGE_PARTIAL: *color = TUI_C_WARN; return utf8 ? "…" : ".";
    default: *color = TUI_C_DIM; return utf8 ? "○" : "-";
    }
}

void tui_stage_line(tui_app *app, WINDOW *w, int y, int x, int width, const ef_stage_status *s)
{
    char text[400], when[48], name[64];
    ef_progress p;
    int color, utf8 = tui_app_utf8(app);
    const char *mark = state_mark(s->state, utf8, &color);

    if (tui_app_job(app, name, sizeof name, &p) && strcmp(name, s->name) == 0) {
        wattrset(w, tui_attr(TUI_C_WARN));
        tui_put(w, y, x, utf8 ? "▶" : ">", 2);
        wattrset(w, A_NORMAL);
        tui_put(w, y, x + 2, s->name, 11);
        /* the job's own label when it says more than its name */
        const char *what = strcmp(p.stage, s->name) == 0 ? "" : p.stage;

        if (p.fraction >= 0)
            snprintf(text, sizeof text, "running %.0f%%  %s", p.fraction * 100, what);
        else
            snprintf(text, sizeof text, "running  %s", what);
        wattrset(w, tui_attr(TUI_C_WARN));
        tui_put(w, y, x + 14, text, width - 14);
        wattrset(w, A_NORMAL);
        return;
    }
    wattrset(w, tui_attr(color));
    tui_put(w, y, x, mark, 2);
    wattrset(w, A_NORMAL);
    tui_put(w, y, x + 2, s->name, 11);
    tui_fmt_ago(s->when, when, sizeof when);
    switch (s->state) {
    case EF_STAGE_NOT_RUN: snprintf(text, sizeof text, "not run"); break;
    case EF_STAGE_PARTIAL: snprintf(text, sizeof text, "partly done: %s", s->why); break;
    case EF_STAGE_STALE: snprintf(text, sizeof text, "stale: %s (%s)", s->why, s->detail); break;
    default: snprintf(text, sizeof text, "%s, %s", s->detail, when); break;
    }
    if (s->state != EF_STAGE_DONE)
        wattrset(w, tui_attr(s->state == EF_STAGE_NOT_RUN ? TUI_C_DIM : TUI_C_WARN));
    tui_put(w, y, x + 14, text, width - 14);
    wattrset(w, A_NORMAL);
}

static int draw_sources(tui_app *app, WINDOW *w, int y, int width, const ef_project_status *st)
{
    tui_heading(w, y++, 1, "Sources", width - 2);
    if (st->config_error) {
        wattrset(w, tui_attr(TUI_C_ERROR));
        tui_put(w, y++, 2, st->config_error, width - 3);
        wattrset(w, A_NORMAL);
        return y;
    }
    source_line(app, w, y++, width, "main CSV", &st->main_csv, 0);
    source_line(app, w, y++, width, "ECG folder", &st->ecg_dir, 1);
    source_line(app, w, y++, width, "encoder", &st->encoder, 2);
    return y;
}

static int draw_stages(tui_app *app, WINDOW *w, int y, int width, const ef_project_status *st)
{
    int i, next = -1;

    tui_heading(w, y++, 1, "Stages", width - 2);
    for (i = 0; i < EF_ST_COUNT; i++) {
        tui_stage_line(app, w, y++, 2, width - 3, &st->stage[i]);
        if (next < 0 && st->stage[i].state != EF_STAGE_DONE && st->stage[i].state != EF_STAGE_FAILED)
            next = i;
    }
    if (next >= 0 && !tui_job_running()) {
        char hint[160];

        if (next == EF_ST_EMBED && (!st->encoder.path || !st->encoder.exists))
            snprintf(hint, sizeof hint, "next: embed, which needs an encoder: set `encoder =` in ecgfit.ini, or make "
                                        "a demo one: ecgfit encoder new --arch pclr -o FILE");
        else
            snprintf(hint, sizeof hint, "next: %s  (Enter: Pipeline screen, then Enter on it)", st->stage[next].name);
        wattrset(w, tui_attr(TUI_C_DIM));
        y += tui_wrap(w, y, 4, hint, width - 5, 2);
        wattrset(w, A_NORMAL);
    }
    return y;
}

static void draw_funnel(tui_app *app, project *pr, WINDOW *w, int y, int x, int width, int rows,
                        const ef_project_status *st)
{
    uint64_t max = 0;
    int labw, barw, i, shown;
    char num[32], head[64];

    for (i = 0; i < (int)st->nfunnel; i++)
        if (st->funnel[i].n > max)
            max = st->funnel[i].n;
    snprintf(head, sizeof head, "Cohort funnel");
    tui_heading(w, y++, x, head, width);
    rows--;
    if (!st->nfunnel) {
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, y, x + 1, "(the labels stage counts the cohort)", width - 1);
        wattrset(w, A_NORMAL);
        pr->funnel_rows = 0;
        return;
    }
    labw = width - 10 - 12;
    if (labw > 44)
        labw = 44;
    barw = width - labw - 10 - 2;
    if (barw > 30)
        barw = 30;
    if (pr->top > (int)st->nfunnel - rows)
        pr->top = (int)st->nfunnel - rows > 0 ? (int)st->nfunnel - rows : 0;
    shown = 0;
    for (i = pr->top; i < (int)st->nfunnel && shown < rows; i++, shown++) {
        const ef_funnel_step *f = &st->funnel[i];
        int indent = f->target ? 2 : 0;

        if (shown == rows - 1 && i + 1 < (int)st->nfunnel) {
            char more[64];

            snprintf(more, sizeof more, "... %zu more (j/k scroll)", st->nfunnel - (size_t)i);
            wattrset(w, tui_attr(TUI_C_DIM));
            tui_put(w, y + shown, x + 1, more, width - 1);
            wattrset(w, A_NORMAL);
            break;
        }
        tui_put(w, y + shown, x + 1 + indent, f->label, labw - indent);
        tui_put_right(w, y + shown, x + 1 + labw + 9, tui_fmt_thousands(f->n, num, sizeof num), 9);
        wattrset(w, tui_attr(f->target ? TUI_C_OK : TUI_C_METER));
        tui_hbar(w, y + shown, x + labw + 11, barw, max ? (double)f->n / (double)max : 0, tui_app_utf8(app));
        wattrset(w, A_NORMAL);
    }
    pr->funnel_rows = rows;
}

static void draw(tui_app *app, void *state, WINDOW *w)
{
    project *pr = state;
    const ef_project_status *st = tui_app_status(app);
    int rows = getmaxy(w), cols = getmaxx(w), y = 0;

    if (!st) {
        tui_put(w, 1, 2, "reading the project...", cols - 4);
        return;
    }
    if (cols >= 130) {   /* two columns: sources and stages | funnel */
        int left = cols * 55 / 100;

        y = draw_sources(app, w, 0, left, st);
        y = draw_stages(app, w, y + 1, left, st);
        draw_funnel(app, pr, w, 0, left + 1, cols - left - 2, rows, st);
        (void)y;
        return;
    }
    y = draw_sources(app, w, y, cols, st);
    y = draw_stages(app, w, y + 1, cols, st);
    if (y + 2 < rows)
        draw_funnel(app, pr, w, y + 1, 1, cols - 2, rows - y - 1, st);
}

static int key(tui_app *app, void *state, int k)
{
    project *pr = state;

    (void)app;
    switch (k) {
    case 'j': case KEY_DOWN: pr->top++; break;
    case 'k': case KEY_UP: if (pr->top > 0) pr->top--; break;
    default: return TUI_UNHANDLED;
    }
    return TUI_HANDLED | TUI_REDRAW;
}

static int tick(tui_app *app, void *state)
{
    (void)state;
    /* a running stage's line moves with it */
    return tui_app_job(app, NULL, 0, NULL) ? TUI_REDRAW : 0;
}

const tui_screen_ops tui_screen_project = {
    .name = "project",
    .title = "Project",
    .keymap = keys,
    .create = create,
    .destroy = free,
    .draw = draw,
    .key = key,
    .tick = tick,
};
