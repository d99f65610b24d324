/* screen_ecg.c — 3 ECG: one participant's 12-lead ECG at a time.
 *
 * Left, when the window is wide enough (or `l` asks): the participants with
 * an ECG, filtered (all / QC flagged or failed / clean / not preprocessed,
 * and a QC flag).  Middle: the ECG on the Braille canvas, 3 x 4 leads and a
 * lead II rhythm strip, or one lead large (tui_ecg_plot.h).  Right, or
 * under it on narrow windows: the device's measurements and the QC flags.
 *
 * Reads run on the background thread (tui_bg.h): the participant list once
 * per store generation (pipeline/ef_ecg_view.h: an eid, a state and the QC
 * flags each, ~1.3 MB for 80,000 participants), and one ECG when the
 * participant or raw/preprocessed changes.  Drawing only pages through
 * memory: the filtered rows are an index array made when the filter or
 * the list changes. */
#include "config.h"
#include "tui_bg.h"
#include "tui_canvas.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_ecg_plot.h"
#include "tui_keymap.h"
#include "tui_screen.h"
#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"
#include "ecg/ef_preprocess.h"
#include "pipeline/ef_ecg_view.h"
#include "store/ef_project.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_WIDTH 17        /* "1234567 ✓" and a border */
#define INFO_WIDTH 24
#define WIDE_LIST 100        /* the list shows by itself from this width */
#define WIDE_INFO 120        /* the measurements go to the right from this width */

/* QC flags the F key cycles through (0: any). */
static const uint32_t qc_masks[] = {
    0, EF_QC_MISSING_LEAD, EF_QC_FLAT_LEAD, EF_QC_CLIPPED, EF_QC_BAD_COUNT, EF_QC_BAD_RATE,
    EF_QC_NONFINITE, EF_QC_NO_RESOLUTION, EF_QC_DUP_LEAD, EF_QC_BAD_RESOLUTION
};
#define NMASKS (sizeof qc_masks / sizeof qc_masks[0])

typedef struct ecg_screen {
    char *dir, *store;
    /* the list: read in the background into list_new, swapped in on the
     * UI thread while no ECG read runs (the ECG read looks at list) */
    tui_bg_task list_task;
    ef_ecg_list list, list_new;
    int list_rc;
    char list_err[512];
    int have_list;
    uint64_t list_gen;
    size_t *idx, nidx;       /* rows of list passing the filter */
    int filter;
    size_t mask;             /* index into qc_masks */
    size_t cur;              /* position in idx */
    int64_t eid;             /* the participant shown (0: none yet) */
    int top;                 /* first row of the list pane */
    /* the ECG: requested (req_*) and read in the background into one_new */
    tui_bg_task ecg_task;
    int64_t req_eid;
    int req_raw;
    ef_ecg_one one_new;
    char err_new[512], note_new[256];
    ef_ecg_xml_finder finder;   /* background thread only */
    int finder_ready;
    ef_ecg_one one;          /* what is shown */
    char err[512], note[256];
    int shown_raw;
    int want_raw;
    int loading;
    /* drawing */
    tui_canvas *canvas;
    tui_ecg_trace trace;
    tui_ecg_view view;
    int show_list;           /* -1: by width; 0/1: asked with l */
    int list_rows;
    /* "/" prompt */
    int prompting;
    char input[24];
} ecg_screen;

static const tui_binding keys[] = {
    { 'n', "n/j/Down", NULL, "next participant" },
    { 'j', NULL, NULL, NULL },
    { KEY_DOWN, NULL, NULL, NULL },
    { 'p', "p/k/Up", NULL, "previous participant" },
    { 'k', NULL, NULL, NULL },
    { KEY_UP, NULL, NULL, NULL },
    { KEY_NPAGE, "PgDn/PgUp", NULL, "a page of participants on or back" },
    { KEY_PPAGE, NULL, NULL, NULL },
    { KEY_HOME, "Home/End", NULL, "first / last participant" },
    { KEY_END, NULL, NULL, NULL },
    { '/', "/", NULL, "go to a participant: type the eid, Enter" },
    { 'f', "f", NULL, "filter: all, QC flagged or failed, clean, not preprocessed" },
    { 'F', "F", NULL, "QC filter by flag: any, missing lead, flat lead, ..." },
    { '+', "+/-", NULL, "zoom in / out in time (10 s down to 0.625 s)" },
    { '=', NULL, NULL, NULL },
    { '-', NULL, NULL, NULL },
    { KEY_RIGHT, "Right/Left", NULL, "scroll later / earlier in time (h/l too)" },
    { 'l', NULL, NULL, NULL },
    { KEY_LEFT, NULL, NULL, NULL },
    { 'h', NULL, NULL, NULL },
    { '\n', "Enter", NULL, "one lead large / back to the 12 leads" },
    { '\r', NULL, NULL, NULL },
    { KEY_ENTER, NULL, NULL, NULL },
    { ']', "]/[", NULL, "next / previous lead (one lead large)" },
    { '[', NULL, NULL, NULL },
    { 'a', "a/A", NULL, "amplitude larger / smaller (the same for every lead)" },
    { 'A', NULL, NULL, NULL },
    { 'z', "z", NULL, "whole ECG again: 10 s, gain 1" },
    { 'r', "r", NULL, "raw (the XML file) / preprocessed (the store)" },
    { 'e', "e", NULL, "the participant list pane on / off" },
    { 'g', "g", NULL, "write this ECG as a figure (plot ecg -o ecg-EID.png)" },
    { 'v', "v", NULL, "view the gnuplot figure in the terminal (sixel); any key returns" },
    { 0, NULL, NULL, NULL },
};

/* ---- background reads ----------------------------------------------------- */

static void read_list(void *arg)
{
    ecg_screen *s = arg;
    ef_error err;

    ef_error_clear(&err);
    s->list_rc = ef_ecg_list_read(s->store, &s->list_new, &err);
    s->list_err[0] = '\0';
    if (s->list_rc != EF_OK)
        ef_error_format(&err, s->list_err, sizeof s->list_err);
}

static void read_ecg(void *arg)
{
    ecg_screen *s = arg;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    s->err_new[0] = s->note_new[0] = '\0';
    if (!s->finder_ready) {
        ef_project p;

        if (ef_project_load(&p, s->dir, NULL) == EF_OK)
            ef_ecg_xml_finder_init(&s->finder, p.ecg_dir, s->list.ecg_instance);
        else
            ef_ecg_xml_finder_init(&s->finder, NULL, s->list.ecg_instance);
        ef_project_fini(&p);
        s->finder_ready = 1;
    }
    if (s->req_raw) {
        rc = ef_ecg_read_raw(&s->finder, &s->list, s->req_eid, &s->one_new, &err);
    } else {
        rc = ef_ecg_read_preprocessed(s->store, &s->list, s->req_eid, &s->one_new, &err);
        if (rc == EF_ENOTFOUND && (s->one_new.state == EF_ECG_FAILED || s->one_new.state == EF_ECG_PENDING)) {
            /* nothing preprocessed to show: the file itself, said so */
            ef_ecg_one kept = s->one_new;
            char why[256], e[512];

            if (kept.state == EF_ECG_FAILED)
                snprintf(why, sizeof why, "preprocess failed: %s", kept.message ? kept.message : "?");
            else
                snprintf(why, sizeof why, "not preprocessed yet");
            rc = ef_ecg_read_raw(&s->finder, &s->list, s->req_eid, &s->one_new, &err);
            if (rc == EF_OK) {
                snprintf(s->note_new, sizeof s->note_new, "%.200s; showing the raw XML", why);
            } else {
                ef_error_format(&err, e, sizeof e);
                snprintf(s->err_new, sizeof s->err_new, "%.200s; the XML cannot be read either: %.270s", why, e);
            }
            ef_ecg_one_fini(&kept);
            return;
        }
    }
    if (rc != EF_OK)
        ef_error_format(&err, s->err_new, sizeof s->err_new);
}

static void refilter(ecg_screen *s)
{
    size_t i;

    free(s->idx);
    s->idx = ef_xmalloc((s->list.n ? s->list.n : 1) * sizeof *s->idx);
    s->nidx = ef_ecg_list_filter(&s->list, s->filter, qc_masks[s->mask], s->idx);
    /* keep the participant shown if the filter still has it, else the next one */
    for (i = 0; i < s->nidx && s->list.eid[s->idx[i]] < s->eid; i++)
        ;
    s->cur = i < s->nidx ? i : s->nidx ? s->nidx - 1 : 0;
}

/* Take a finished list read.  Only while no ECG read runs (that one looks
 * at list): the requests below never let the two overlap. */
static int take_list(ecg_screen *s, tui_app *app)
{
    if (!tui_bg_done(&s->list_task))
        return 0;
    ef_ecg_list_fini(&s->list);
    if (s->list_rc == EF_OK)
        s->list = s->list_new;
    else if (s->list_rc != EF_ENOTFOUND)
        tui_message(app, 1, "%s", s->list_err);
    memset(&s->list_new, 0, sizeof s->list_new);
    s->have_list = 1;
    if (!s->eid && s->list.n) {
        long long want = tui_app_start_eid(app);

        s->eid = want && ef_ecg_list_find(&s->list, want) != (size_t)-1 ? want : s->list.eid[0];
        if (want && s->eid != want)
            tui_message(app, 1, "participant %lld has no ECG; showing %lld", want, (long long)s->eid);
    }
    refilter(s);
    s->one.eid = 0;   /* QC flags may have changed: read the ECG again */
    return 1;
}

static int take_ecg(ecg_screen *s)
{
    if (!tui_bg_done(&s->ecg_task))
        return 0;
    ef_ecg_one_fini(&s->one);
    s->one = s->one_new;
    memset(&s->one_new, 0, sizeof s->one_new);
    s->one.eid = s->req_eid;
    s->shown_raw = s->req_raw;
    snprintf(s->err, sizeof s->err, "%s", s->err_new);
    snprintf(s->note, sizeof s->note, "%s", s->note_new);
    tui_ecg_trace_set(&s->trace, s->one.v, s->one.samples, s->one.rate_hz, s->one.leads);
    if (s->view.start + s->view.span > tui_ecg_duration(&s->trace))
        tui_ecg_scroll(&s->view, -1, tui_ecg_duration(&s->trace));   /* clamps */
    s->loading = 0;
    return 1;
}

/* Read the ECG of s->eid unless it is shown or a read is under way (its
 * end asks again).  Finished reads are taken first: a task is reused only
 * once its result is out. */
static void request_ecg(ecg_screen *s, tui_app *app)
{
    take_list(s, app);
    take_ecg(s);
    if (!s->have_list || tui_bg_pending(&s->ecg_task) || tui_bg_pending(&s->list_task) || !s->eid)
        return;
    if (s->one.eid == s->eid && s->shown_raw == s->want_raw && !s->loading && (s->one.v || s->err[0]))
        return;   /* already shown */
    s->req_eid = s->eid;
    s->req_raw = s->want_raw;
    s->loading = 1;
    s->ecg_task.run = read_ecg;
    s->ecg_task.arg = s;
    tui_bg_submit(&s->ecg_task);
}

static void request_list(ecg_screen *s, tui_app *app)
{
    take_list(s, app);
    take_ecg(s);
    if (tui_bg_pending(&s->list_task) || tui_bg_pending(&s->ecg_task))
        return;
    s->list_gen = tui_app_generation(app);
    s->list_task.run = read_list;
    s->list_task.arg = s;
    tui_bg_submit(&s->list_task);
}

/* Pick up finished reads and ask for what is missing; TUI_REDRAW when
 * something arrived. */
static int collect(ecg_screen *s, tui_app *app)
{
    int r = 0;

    r |= take_list(s, app);
    r |= take_ecg(s);
    if (s->have_list && s->list_gen != tui_app_generation(app))
        request_list(s, app);
    request_ecg(s, app);
    return r ? TUI_REDRAW : 0;
}

/* ---- life cycle ------------------------------------------------------------ */

static void *create(tui_app *app)
{
    ecg_screen *s = ef_xcalloc(1, sizeof *s);

    s->dir = ef_xstrdup(tui_app_project_dir(app));
    s->store = ef_xstrdup(tui_app_store_path(app));
    s->canvas = tui_canvas_new(80, 20, tui_app_utf8(app) ? TUI_CANVAS_BRAILLE : TUI_CANVAS_ASCII);
    tui_ecg_view_init(&s->view);
    tui_ecg_trace_set(&s->trace, NULL, 0, 500, 0);
    ef_ecg_one_init(&s->one);
    ef_ecg_one_init(&s->one_new);
    s->show_list = -1;
    s->list_gen = (uint64_t)-1;
    return s;
}

static void destroy(void *st)
{
    ecg_screen *s = st;

    /* the frame stopped the background thread: no read runs */
    ef_ecg_list_fini(&s->list);
    ef_ecg_list_fini(&s->list_new);
    ef_ecg_one_fini(&s->one);
    ef_ecg_one_fini(&s->one_new);
    if (s->finder_ready)
        ef_ecg_xml_finder_fini(&s->finder);
    tui_canvas_free(s->canvas);
    free(s->idx);
    free(s->dir);
    free(s->store);
    free(s);
}

static void enter(tui_app *app, void *st)
{
    ecg_screen *s = st;

    collect(s, app);   /* reads that finished while another screen was shown */
    if (!s->have_list)
        request_list(s, app);
}

static int tick(tui_app *app, void *st)
{
    return collect(st, app);
}

static int modal(void *st)
{
    return ((ecg_screen *)st)->prompting;
}

/* ---- drawing --------------------------------------------------------------- */

static const char *state_mark(int state, int utf8)
{
    switch (state) {
    case EF_ECG_OK: return utf8 ? "✓" : "ok";
    case EF_ECG_FLAGGED: return utf8 ? "⚑" : "QC";
    case EF_ECG_FAILED: return utf8 ? "✗" : "X";
    default: return utf8 ? "·" : ".";
    }
}

static int state_role(int state)
{
    switch (state) {
    case EF_ECG_OK: return TUI_C_OK;
    case EF_ECG_FLAGGED: return TUI_C_WARN;
    case EF_ECG_FAILED: return TUI_C_ERROR;
    default: return TUI_C_DIM;
    }
}

static int pen_role(int pen)
{
    switch (pen) {
    case TUI_ECG_PEN_TRACE: return TUI_C_OK;
    case TUI_ECG_PEN_LABEL: return TUI_C_HEADING;
    case TUI_ECG_PEN_WARN: return TUI_C_WARN;
    case TUI_ECG_PEN_FRAME: case TUI_ECG_PEN_AXIS: return TUI_C_DIM;
    default: return TUI_C_NORMAL;
    }
}

static void draw_list(ecg_screen *s, tui_app *app, WINDOW *w, int y0, int rows)
{
    int utf8 = tui_app_utf8(app), r, all = rows;
    char line[64];

    if (rows >= 8) {   /* a legend of the marks under the list */
        rows -= 3;
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, y0 + rows + 1, 1, utf8 ? "✓ ok  ⚑ QC flag" : "ok  QC flagged", LIST_WIDTH - 2);
        tui_put(w, y0 + rows + 2, 1, utf8 ? "✗ failed  · raw" : "X failed . raw", LIST_WIDTH - 2);
        wattrset(w, A_NORMAL);
    }
    s->list_rows = rows;
    if (s->cur < (size_t)s->top)
        s->top = (int)s->cur;
    if (rows > 0 && s->cur >= (size_t)s->top + (size_t)rows)
        s->top = (int)(s->cur - (size_t)rows + 1);
    for (r = 0; r < rows; r++) {
        size_t p = (size_t)s->top + (size_t)r, i;

        if (p >= s->nidx)
            break;
        i = s->idx[p];
        snprintf(line, sizeof line, "%-10lld", (long long)s->list.eid[i]);
        wattrset(w, p == s->cur ? tui_attr(TUI_C_SELECTED) : A_NORMAL);
        mvwprintw(w, y0 + r, 0, " %s", line);
        wattrset(w, p == s->cur ? tui_attr(TUI_C_SELECTED) : tui_attr(state_role(s->list.state[i])));
        tui_put(w, y0 + r, 12, state_mark(s->list.state[i], utf8), 3);
        wattrset(w, A_NORMAL);
    }
    if (s->nidx == 0 && s->have_list)
        tui_put(w, y0, 1, "(none)", LIST_WIDTH - 2);
    wattrset(w, tui_attr(TUI_C_DIM));
    for (r = 0; r < all; r++)
        mvwaddstr(w, y0 + r, LIST_WIDTH - 1, utf8 ? "│" : "|");
    wattrset(w, A_NORMAL);
}

static void meas_text(const ef_ecg_one *e, int k, char *buf, size_t size)
{
    if (isnan(e->meas[k]))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.0f", e->meas[k]);
}

/* Measurements and QC: a column of lines at (y, x) width w, or (w 0) one line. */
static void draw_info(ecg_screen *s, tui_app *app, WINDOW *win, int y, int x, int w, int rows)
{
    static const struct { const char *name, *unit; int k; } m[] = {
        { "HR", "/min", EF_CS_VENT_RATE }, { "PR", "ms", EF_CS_PQ }, { "QRS", "ms", EF_CS_QRS },
        { "QT", "ms", EF_CS_QT }, { "QTc", "ms", EF_CS_QTC }, { "P axis", "\xc2\xb0", EF_CS_P_AXIS },
        { "R axis", "\xc2\xb0", EF_CS_R_AXIS }, { "T axis", "\xc2\xb0", EF_CS_T_AXIS },
    };
    const ef_ecg_one *e = &s->one;
    char v[32], qc[256], line[512];
    int utf8 = tui_app_utf8(app), i, r = 0;

    if (e->have_qc && e->qc)
        ef_qc_describe(e->qc, qc, sizeof qc);
    else
        snprintf(qc, sizeof qc, "%s", !e->have_qc ? "unknown" : e->state == EF_ECG_FAILED ? "failed" : "none");
    if (w == 0) {   /* one line under the ECG */
        char a[8][24];

        for (i = 0; i < 8; i++)
            meas_text(e, m[i].k, a[i], sizeof a[i]);
        snprintf(line, sizeof line, "HR %s  PR %s  QRS %s  QT %s  QTc %s  axes P %s R %s T %s   QC %s",
                 a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                 e->have_qc && !e->qc && e->state == EF_ECG_OK ? (utf8 ? "✓" : "ok") : qc);
        tui_put(win, y, x, line, getmaxx(win) - x - 1);
        return;
    }
    wattrset(win, tui_attr(TUI_C_HEADING));
    tui_put(win, y + r++, x, "Device measurements", w);
    wattrset(win, A_NORMAL);
    for (i = 0; i < 8 && r < rows; i++) {
        meas_text(e, m[i].k, v, sizeof v);
        snprintf(line, sizeof line, "%-7s %5s %s", m[i].name, v, strcmp(v, "-") ? (utf8 || m[i].unit[0] != '\xc2' ? m[i].unit : "deg") : "");
        tui_put(win, y + r++, x, line, w);
    }
    r++;
    if (r < rows) {
        wattrset(win, tui_attr(TUI_C_HEADING));
        tui_put(win, y + r++, x, "QC", w);
        wattrset(win, e->have_qc && e->qc ? tui_attr(TUI_C_WARN) : e->state == EF_ECG_FAILED ? tui_attr(TUI_C_ERROR)
                                                                                              : A_NORMAL);
        r += tui_wrap(win, y + r, x, qc, w, rows - r > 3 ? 3 : rows - r);
        wattrset(win, A_NORMAL);
    }
    r++;
    if (r + 1 < rows && e->source) {
        const char *base = strrchr(e->source, '/');

        wattrset(win, tui_attr(TUI_C_HEADING));
        tui_put(win, y + r++, x, "Source", w);
        wattrset(win, A_NORMAL);
        snprintf(line, sizeof line, "%s, %zu samples at %g Hz, %s", base ? base + 1 : e->source, e->samples,
                 e->rate_hz, e->units);
        tui_wrap(win, y + r, x, line, w, rows - r);
    }
}

static void draw(tui_app *app, void *st, WINDOW *w)
{
    ecg_screen *s = st;
    int rows = getmaxy(w), cols = getmaxx(w), utf8 = tui_app_utf8(app);
    int list = s->show_list < 0 ? cols >= WIDE_LIST : s->show_list;
    int info = cols >= WIDE_INFO;
    int x0 = list ? LIST_WIDTH : 0, cw = cols - x0 - (info ? INFO_WIDTH + 1 : 0), ch = rows - 1 - (info ? 1 : 2);
    char head[256], pos[64], flt[96];

    werase(w);
    /* the head line: who, where in the list, filter, raw/preprocessed */
    if (s->eid)
        snprintf(pos, sizeof pos, "%zu of %zu", s->nidx ? s->cur + 1 : 0, s->nidx);
    else
        pos[0] = '\0';
    if (s->filter == EF_ECG_SHOW_QC && qc_masks[s->mask]) {
        char fl[64];

        snprintf(flt, sizeof flt, "QC: %s", ef_qc_describe(qc_masks[s->mask], fl, sizeof fl));
    } else {
        snprintf(flt, sizeof flt, "%s", ef_ecg_filter_name(s->filter));
    }
    if (s->prompting)
        snprintf(head, sizeof head, " go to eid: %s_   (Enter goes, Esc cancels)", s->input);
    else if (s->eid && s->nidx == 0)
        snprintf(head, sizeof head, " no participant passes the filter \"%s\" (f or F changes it)", flt);
    else if (s->eid) {
        snprintf(head, sizeof head, " eid %s %lld   %s, filter: %s", utf8 ? "▸" : ">", (long long)s->eid, pos, flt);
        if (tui_width(head) + 34 < cols - 25)
            snprintf(head + strlen(head), sizeof head - strlen(head), "   (/ eid  n/p next/prev  f filter)");
    }
    else
        snprintf(head, sizeof head, " %s", s->have_list ? "no participant with an ECG yet" : "reading the participant list...");
    wattrset(w, s->prompting ? tui_attr(TUI_C_EDIT) : tui_attr(TUI_C_HEADING));
    tui_put(w, 0, 0, head, cols - 25);
    wattrset(w, A_NORMAL);
    {   /* which signal: "r: [raw] preprocessed", the one shown bracketed and lit */
        int xr = cols - 24;

        if (xr > 40) {
            wattrset(w, tui_attr(TUI_C_BAR_KEY));
            mvwaddstr(w, 0, xr, "r:");
            int raw = s->one.v ? s->one.raw : s->want_raw;   /* a fallback to the XML shows as raw */

            wattrset(w, raw ? tui_attr(TUI_C_BAR_CURRENT) : tui_attr(TUI_C_DIM));
            mvwaddstr(w, 0, xr + 3, raw ? "[raw]" : " raw ");
            wattrset(w, !raw ? tui_attr(TUI_C_BAR_CURRENT) : tui_attr(TUI_C_DIM));
            mvwaddstr(w, 0, xr + 9, !raw ? "[preprocessed]" : " preprocessed ");
            wattrset(w, A_NORMAL);
        }
    }
    if (list)
        draw_list(s, app, w, 1, rows - 1);
    /* the ECG, or why there is none */
    if (!s->eid) {
        /* nothing to draw yet: just say why, below */
    } else if (ch >= TUI_ECG_MIN_ROWS && cw >= TUI_ECG_MIN_COLS) {
        if (tui_canvas_cols(s->canvas) != cw || tui_canvas_rows(s->canvas) != ch)
            tui_canvas_resize(s->canvas, cw, ch);
        tui_canvas_set_mode(s->canvas, utf8 ? TUI_CANVAS_BRAILLE : TUI_CANVAS_ASCII);
        tui_ecg_draw(s->canvas, &s->trace, &s->view, s->one.units[0] ? s->one.units : "mV");
        tui_draw_canvas(w, 1, x0, s->canvas, pen_role);
    } else {
        tui_put(w, 2, x0 + 1, "(the window is too small for the ECG)", cols - x0 - 2);
    }
    {   /* a message over the middle of the ECG: loading, an error, a note */
        const char *msg = s->loading && !s->one.v ? "reading..." : s->err[0] ? s->err : NULL;
        int my = 1 + ch / 2;

        if (!s->eid && s->have_list) {
            msg = s->list.n ? NULL
                            : "No participant has an ECG here yet. On screen 2, run labels (it lists who has an "
                              "ECG file: they can be seen raw) and preprocess (the preprocessed ECGs and their QC).";
            my = 3;
        }
        if (msg) {
            wattrset(w, tui_attr(s->err[0] ? TUI_C_ERROR : TUI_C_WARN));
            tui_wrap(w, my, x0 + 3, msg, cw - 6, 3);
            wattrset(w, A_NORMAL);
        }
    }
    if (s->note[0] && s->one.v) {
        wattrset(w, tui_attr(TUI_C_WARN));
        tui_put(w, rows - 1 - (info ? 0 : 1), x0 + 1, s->note, cw - 2);
        wattrset(w, A_NORMAL);
    }
    if (info) {
        draw_info(s, app, w, 1, cols - INFO_WIDTH, INFO_WIDTH - 1, rows - 1);
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, rows - 1, x0 + 1,
                utf8 ? "+/- zoom  ←/→ scroll  Enter one lead  ]/[ lead  a/A amplitude  r raw  "
                       "g figure  v view  e list  ? all keys"
                     : "+/- zoom  Left/Right scroll  Enter one lead  ]/[ lead  a/A amplitude  r raw  "
                       "g figure  v view  e list  ? all keys",
                cw - 2);
        wattrset(w, A_NORMAL);
    } else {
        if (!s->note[0] || !s->one.v)
            draw_info(s, app, w, rows - 2, x0 + 1, 0, 1);
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, rows - 1, x0 + 1,
                utf8 ? "n/p next  / eid  f filter  +/- zoom  ←/→ scroll  Enter one lead  r raw  ? keys"
                     : "n/p next  / eid  f filter  +/- zoom  Left/Right scroll  Enter lead  r raw  ?",
                cols - x0 - 2);
        wattrset(w, A_NORMAL);
    }
}

/* ---- keys ------------------------------------------------------------------ */

static void go_to(ecg_screen *s, tui_app *app, size_t pos)
{
    if (s->nidx == 0)
        return;
    s->cur = pos < s->nidx ? pos : s->nidx - 1;
    s->eid = s->list.eid[s->idx[s->cur]];
    request_ecg(s, app);
}

static void jump_to_eid(ecg_screen *s, tui_app *app)
{
    long long want = atoll(s->input);
    size_t i = want > 0 ? ef_ecg_list_find(&s->list, want) : (size_t)-1, p;

    if (i == (size_t)-1) {
        tui_message(app, 1, "participant %s has no ECG in this project", s->input);
        return;
    }
    for (p = 0; p < s->nidx && s->idx[p] != i; p++)
        ;
    if (p == s->nidx) {   /* hidden by the filter: show everyone */
        s->filter = EF_ECG_SHOW_ALL;
        s->eid = want;
        refilter(s);
        tui_message(app, 0, "filter off: %lld is %s", want, ef_ecg_state_name(s->list.state[i]));
        p = s->cur;
    }
    go_to(s, app, p);
}

static int prompt_key(ecg_screen *s, tui_app *app, int key)
{
    size_t n = strlen(s->input);

    if (key == TUI_KEY_ESC) {
        s->prompting = 0;
    } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        s->prompting = 0;
        if (n)
            jump_to_eid(s, app);
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (n)
            s->input[n - 1] = '\0';
    } else if (key >= '0' && key <= '9' && n + 1 < sizeof s->input) {
        s->input[n] = (char)key;
        s->input[n + 1] = '\0';
    }
    return TUI_HANDLED | TUI_REDRAW;
}

static void figure(ecg_screen *s, tui_app *app)
{
    char cmd[8400], path[4200], *q = path;
    const char *p;

    if (!s->eid)
        return;
    if (!ef_cmd_find("plot ecg")) {
        tui_message(app, 0, "the ECG figure (plot ecg) is not available yet in this build");
        return;
    }
    /* the figure beside the project's store, its name in double quotes
     * (the command line's quoting: \" and \\ inside) */
    snprintf(cmd, sizeof cmd, "%s/ecg-%lld%s.png", s->dir, (long long)s->eid, s->one.raw ? "-raw" : "");
    for (p = cmd; *p && q < path + sizeof path - 3; p++) {
        if (*p == '"' || *p == '\\')
            *q++ = '\\';
        *q++ = *p;
    }
    *q = '\0';
    snprintf(cmd, sizeof cmd, "plot ecg --eid %lld%s -o \"%s\"", (long long)s->eid, s->one.raw ? " --raw" : "",
             path);
    if (tui_run(app, cmd) == 0 && tui_app_job(app, NULL, 0, NULL))
        tui_message(app, 0, "plot ecg: writing %s/ecg-%lld%s.png", s->dir, (long long)s->eid, s->one.raw ? "-raw" : "");
}

/* v: the same figure as g, shown in the pane (sixel) */
static void view(ecg_screen *s, tui_app *app)
{
    char args[64];

    if (!s->eid)
        return;
    snprintf(args, sizeof args, "ecg --eid %lld%s", (long long)s->eid, s->one.raw ? " --raw" : "");
    tui_show_figure(app, args);
}

static int key(tui_app *app, void *st, int key)
{
    ecg_screen *s = st;
    double dur = tui_ecg_duration(&s->trace);

    if (s->prompting)
        return prompt_key(s, app, key);
    if (dur <= 0)
        dur = TUI_ECG_SPAN_MAX;
    switch (key) {
    case 'n': case 'j': case KEY_DOWN:
        go_to(s, app, s->cur + 1);
        break;
    case 'p': case 'k': case KEY_UP:
        go_to(s, app, s->cur ? s->cur - 1 : 0);
        break;
    case KEY_NPAGE:
        go_to(s, app, s->cur + (size_t)(s->list_rows > 1 ? s->list_rows - 1 : 10));
        break;
    case KEY_PPAGE: {
        size_t step = (size_t)(s->list_rows > 1 ? s->list_rows - 1 : 10);

        go_to(s, app, s->cur > step ? s->cur - step : 0);
        break;
    }
    case KEY_HOME:
        go_to(s, app, 0);
        break;
    case KEY_END:
        go_to(s, app, s->nidx ? s->nidx - 1 : 0);
        break;
    case '/':
        s->prompting = 1;
        s->input[0] = '\0';
        break;
    case 'f':
        s->filter = (s->filter + 1) % EF_ECG_NFILTERS;
        refilter(s);
        if (s->nidx)
            go_to(s, app, s->cur);
        tui_message(app, 0, "filter: %s (%zu participants)", ef_ecg_filter_name(s->filter), s->nidx);
        break;
    case 'F': {
        char fl[64];

        s->mask = (s->mask + 1) % NMASKS;
        s->filter = EF_ECG_SHOW_QC;
        refilter(s);
        if (s->nidx)
            go_to(s, app, s->cur);
        tui_message(app, 0, "filter: QC %s (%zu participants)",
                    qc_masks[s->mask] ? ef_qc_describe(qc_masks[s->mask], fl, sizeof fl) : "any flag or failed", s->nidx);
        break;
    }
    case '+': case '=':
        if (!tui_ecg_zoom(&s->view, 1, dur))
            tui_message(app, 0, "zoomed in as far as it goes (%.3g s)", s->view.span);
        break;
    case '-':
        if (!tui_ecg_zoom(&s->view, -1, dur))
            tui_message(app, 0, "the whole ECG is shown");
        break;
    case KEY_RIGHT: case 'l':
        tui_ecg_scroll(&s->view, 1, dur);
        break;
    case KEY_LEFT: case 'h':
        tui_ecg_scroll(&s->view, -1, dur);
        break;
    case '\n': case '\r': case KEY_ENTER:
        s->view.layout = s->view.layout == TUI_ECG_GRID ? TUI_ECG_SINGLE : TUI_ECG_GRID;
        break;
    case ']': case '[':
        s->view.layout = TUI_ECG_SINGLE;
        s->view.lead = (s->view.lead + (key == ']' ? 1 : EF_CS_NLEADS - 1)) % EF_CS_NLEADS;
        break;
    case 'a': case 'A':
        if (!tui_ecg_gain(&s->view, key == 'a' ? 1 : -1))
            tui_message(app, 0, "amplitude at its %s", key == 'a' ? "largest" : "smallest");
        break;
    case 'z': {
        int layout = s->view.layout, lead = s->view.lead;

        tui_ecg_view_init(&s->view);
        s->view.layout = layout;
        s->view.lead = lead;
        break;
    }
    case 'r':
        s->want_raw = !s->want_raw;
        request_ecg(s, app);
        break;
    case 'e': {
        int cols = getmaxx(stdscr);

        s->show_list = !(s->show_list < 0 ? cols >= WIDE_LIST : s->show_list);
        break;
    }
    case 'g':
        figure(s, app);
        break;
    case 'v':
        view(s, app);
        break;
    default:
        return TUI_UNHANDLED;
    }
    return TUI_HANDLED | TUI_REDRAW;
}

const tui_screen_ops tui_screen_ecg = {
    .name = "ecg",
    .title = "ECG",
    .keymap = keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .key = key,
    .tick = tick,
    .modal = modal,
};
