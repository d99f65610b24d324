/* screen_tables.c — 5 Tables: Table 1 (the registry's cohort variables, or
 * the seed's preset) and the fitness summary, computed by the library's
 * cohort engine (pipeline/ef_cohort, as `ecgfit table1` and `summary`) on
 * the background thread and drawn from memory, scrollable both ways with
 * the title, the header and the label columns kept in view.  Toggles are
 * applied at once (a new computation; the old table stays until it lands);
 * x exports the table shown through the table1 / summary command itself,
 * so the file is the one `ecgfit table1 ... -o FILE` writes. */
#include "config.h"
#include "tui_bg.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_keymap.h"
#include "tui_screen.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_cohort.h"
#include "stats/ef_table.h"
#include "store/ef_project.h"
#include "store/ef_store.h"
#include "ukb/ef_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KIND_TABLE1, KIND_SEED, KIND_SUMMARY, NKIND };
static const char *const kind_title[NKIND] = { "Table 1", "Seed's Table 1", "Fitness summary" };
static const char *const kind_cmd[NKIND] = { "table1", "table1 --preset seed", "summary" };

static const char *const formats[] = { "latex", "md", "csv", "html", "text" };
static const char *const format_help[] = { "LaTeX (booktabs)", "Markdown", "CSV", "HTML", "aligned text" };
static const char *const format_ext[] = { "tex", "md", "csv", "html", "txt" };
#define NFORMAT 5

#define MAXGROUP 32
#define LABEL_MIN 16

/* The options of one computation (a copy travels to the background). */
typedef struct tab_opts {
    int kind, pval, smd, missing, all_rows, decimals;
    char group[64];      /* "": none (the seed's preset: its own) */
} tab_opts;

typedef struct tables_screen {
    tab_opts o;
    /* the background computation: req is the task's, read-only while pending */
    tui_bg_task task;
    tab_opts req;
    char project[4096];
    int dirty;                   /* options changed since req was taken */
    uint64_t gen;                /* the store generation of the last request */
    ef_table *fresh;             /* written by the task */
    char fresh_err[512];
    int fresh_rc;
    char *gkey[MAXGROUP], *glabel[MAXGROUP];   /* group candidates, by the task */
    size_t ngroup_fresh;
    /* what is shown (UI thread) */
    ef_table *t;
    tab_opts shown;              /* the options t was computed with */
    char err[512];
    char *text;                  /* t rendered */
    char **line;
    size_t nline, maxw;
    int frozen_rows;             /* title and header */
    size_t frozen_cols;          /* label and level columns */
    size_t label_cols;           /* the label column alone */
    size_t nbody;                /* lines of the table; the notes follow */
    size_t top, left;
    int rows, cols;
    char *gk[MAXGROUP], *gl[MAXGROUP];
    size_t ngroup;
    /* a pick list: the grouping variable or the export format */
    int menu;                    /* 0, MENU_GROUP, MENU_FORMAT */
    size_t menu_sel;
    int export_fmt;
    char export_path[4096];
    int exporting;
    char saved_group[64];        /* the seed's table groups by its own: the user's, kept aside */
} tables_screen;

enum { MENU_GROUP = 1, MENU_FORMAT };

static const tui_binding keys[] = {
    { 't', "t", NULL, "Table 1 / the seed's Table 1 / the fitness summary" },
    { 'g', "g", NULL, "grouping variable: pick from a list (none, sex, smoking, ...)" },
    { 'p', "p", NULL, "p-values on / off (compare the groups)" },
    { 's', "s", NULL, "standardised mean differences (SMD) on / off" },
    { 'm', "m", NULL, "the Missing column on / off" },
    { '+', "+/-", NULL, "one decimal more / less" },
    { '=', NULL, NULL, NULL },
    { '-', NULL, NULL, NULL },
    { 'a', "a", NULL, "all participants / only those with an ECG" },
    { 'x', "x", NULL, "export: pick a format, name the file (as table1 -o FILE)" },
    { 'r', "r", NULL, "compute again from the store" },
    { KEY_DOWN, "j/k", NULL, "scroll down / up (Down/Up; PgDn/PgUp a page; Home/End)" },
    { 'j', NULL, NULL, NULL },
    { KEY_UP, NULL, NULL, NULL },
    { 'k', NULL, NULL, NULL },
    { KEY_NPAGE, NULL, NULL, NULL },
    { KEY_PPAGE, NULL, NULL, NULL },
    { KEY_HOME, NULL, NULL, NULL },
    { KEY_END, NULL, NULL, NULL },
    { KEY_RIGHT, "h/l", NULL, "scroll sideways (Left/Right; the labels stay)" },
    { 'l', NULL, NULL, NULL },
    { KEY_LEFT, NULL, NULL, NULL },
    { 'h', NULL, NULL, NULL },
    { 0, NULL, NULL, NULL },
};

/* ---- the background computation --------------------------------------------- */

static void free_groups(char **k, char **l, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        free(k[i]);
        free(l[i]);
    }
    *n = 0;
}

/* The registry's categorical columns that the store holds: the groups. */
static void find_groups(tables_screen *s, const ef_project *p, const ef_registry *reg)
{
    ef_store *st;
    char **names = NULL;
    size_t n = 0;

    free_groups(s->gkey, s->glabel, &s->ngroup_fresh);
    if (ef_store_open_read(&st, p->store_path, NULL) != EF_OK)
        return;
    if (ef_store_list(st, "/participants", &names, &n, NULL) == EF_OK) {
        for (size_t i = 0; i < reg->nfields && s->ngroup_fresh < MAXGROUP; i++) {
            const ef_field *f = &reg->fields[i];

            if (f->type != EF_FT_CATEGORICAL)
                continue;
            for (size_t j = 0; j < n; j++)
                if (strcmp(names[j], f->key) == 0) {
                    s->gkey[s->ngroup_fresh] = ef_xstrdup(f->key);
                    s->glabel[s->ngroup_fresh++] = ef_xstrdup(f->label && *f->label ? f->label : f->key);
                    break;
                }
        }
        ef_store_free_list(names, n);
    }
    ef_store_close(st);
}

static void compute(void *arg)
{
    tables_screen *s = arg;
    const tab_opts *r = &s->req;
    ef_project p;
    ef_registry *reg = NULL;
    ef_cohort_opts o;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    s->fresh = NULL;
    s->fresh_err[0] = '\0';
    rc = ef_project_load(&p, s->project, &err);
    if (rc == EF_OK && (rc = ef_registry_load(&reg, p.fields_file, &err)) == EF_OK) {
        find_groups(s, &p, reg);
        ef_cohort_opts_default(&o);
        o.store_path = p.store_path;
        o.reg = reg;
        o.preset = r->kind == KIND_SEED ? EF_COHORT_SEED : r->kind == KIND_SUMMARY ? EF_COHORT_SUMMARY
                                                                                    : EF_COHORT_DEFAULT;
        o.groupby = r->group[0] ? r->group : NULL;
        o.all_rows = r->all_rows;
        o.t1.decimals = r->decimals;
        o.t1.missing = r->missing;
        /* the comparisons need groups; the screen says so instead of failing */
        o.t1.pval = r->pval && (o.groupby || r->kind == KIND_SEED);
        o.t1.smd = r->smd && (o.groupby || r->kind == KIND_SEED);
        rc = ef_cohort_table(&o, &s->fresh, &err);
    }
    if (rc != EF_OK)
        ef_error_format(&err, s->fresh_err, sizeof s->fresh_err);
    s->fresh_rc = rc;
    ef_registry_free(reg);
    ef_project_fini(&p);
}

static void collect(tables_screen *s);

static void request(tables_screen *s, tui_app *app)
{
    if (tui_bg_pending(&s->task)) {
        s->dirty = 1;
        return;
    }
    if (tui_bg_done(&s->task))   /* finished while another screen was shown */
        collect(s);
    s->req = s->o;
    s->dirty = 0;
    s->gen = tui_app_generation(app);
    snprintf(s->project, sizeof s->project, "%s", tui_app_project_dir(app));
    s->task.run = compute;
    s->task.arg = s;
    tui_bg_submit(&s->task);
}

/* ---- the text shown ------------------------------------------------------------ */

static size_t cps(const char *s)   /* code points: one column each in these tables */
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Byte offset of code point i of s (its end when shorter). */
static const char *at_cp(const char *s, size_t i)
{
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80 && i-- == 0)
            return s;
    return s;
}

/* The label column ends where the first run of two blanks starts; the
 * level column (categorical rows) starts two after the widest label. */
static void find_frozen(tables_screen *s)
{
    size_t w0 = 0, w1 = 0, first = (size_t)s->frozen_rows;

    s->nbody = s->nline;
    for (size_t i = first; i < s->nline; i++) {
        const char *l = s->line[i], *gap = strstr(l, "  ");

        if (!*l || l[0] == ' ')
            continue;
        if (!gap) {   /* the notes under the table */
            s->nbody = i;
            break;
        }
        if (cps(l) - cps(gap) > w0)
            w0 = cps(l) - cps(gap);
    }
    for (size_t i = first; i < s->nbody; i++) {
        const char *l = s->line[i], *p, *gap;

        if (cps(l) <= w0 + 2)
            continue;
        p = at_cp(l, w0 + 2);
        if (*p == ' ' || p[-1] != ' ')
            continue;
        gap = strstr(p, "  ");
        /* a level is followed by more columns; a lone field is a value */
        if (gap && cps(p) - cps(gap) > w1)
            w1 = cps(p) - cps(gap);
    }
    s->frozen_cols = w1 ? w0 + 2 + w1 : w0;
    s->label_cols = w0;
}

static void render(tables_screen *s)
{
    ef_table_render_opts ro = { EF_TABLE_TEXT, 0, 1, NULL };
    char *p;

    free(s->text);
    free(s->line);
    s->text = NULL;
    s->line = NULL;
    s->nline = s->maxw = 0;
    s->frozen_cols = 0;
    if (!s->t)
        return;
    /* long labels cut so that values stay in view on a narrow screen */
    ef_table_col_layout(s->t, 0, 0, (size_t)(s->cols / 3 > LABEL_MIN ? s->cols / 3 : LABEL_MIN), -1);
    /* the level too (a coding's longest text would push the groups out of
     * an 80-column pane) */
    if (ef_table_ncols(s->t) > 1)
        ef_table_col_layout(s->t, 1, 0, (size_t)(s->cols / 6 < 10 ? 10 : s->cols / 6 > 28 ? 28 : s->cols / 6), -1);
    s->text = ef_table_render_str(s->t, &ro);
    if (!s->text)
        return;
    for (p = s->text; *p; p++)
        s->nline += *p == '\n';
    s->line = ef_xcalloc(s->nline + 2, sizeof *s->line);
    s->nline = 0;
    for (p = s->text; *p;) {
        char *nl = strchr(p, '\n');

        s->line[s->nline++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    s->frozen_rows = s->nline > 3 ? 2 : 0;
    find_frozen(s);
    for (size_t i = 0; i < s->nbody; i++)   /* the notes are not scrolled sideways */
        if (i && cps(s->line[i]) > s->maxw)
            s->maxw = cps(s->line[i]);
}

/* ---- the screen ------------------------------------------------------------------ */

static void *create(tui_app *app)
{
    tables_screen *s = ef_xcalloc(1, sizeof *s);

    (void)app;
    s->o.missing = 1;
    s->o.decimals = 1;
    snprintf(s->o.group, sizeof s->o.group, "sex");
    return s;
}

static void destroy(void *st)
{
    tables_screen *s = st;

    /* the frame stopped the background thread: no task runs */
    ef_table_free(s->t);
    ef_table_free(s->fresh);
    free(s->text);
    free(s->line);
    free_groups(s->gkey, s->glabel, &s->ngroup_fresh);
    free_groups(s->gk, s->gl, &s->ngroup);
    free(s);
}

static void enter(tui_app *app, void *st)
{
    tables_screen *s = st;

    if (!s->t && !s->err[0])
        request(s, app);
    else if (s->gen != tui_app_generation(app))
        request(s, app);
}

static void resize(tui_app *app, void *st, int rows, int cols)
{
    tables_screen *s = st;

    (void)app;
    s->rows = rows;
    s->cols = cols;
    render(s);
}

/* The finished computation becomes what is shown. */
static void collect(tables_screen *s)
{
    ef_table_free(s->t);
    s->t = s->fresh;
    s->fresh = NULL;
    s->shown = s->req;
    snprintf(s->err, sizeof s->err, "%s", s->fresh_rc == EF_OK ? "" : s->fresh_err);
    free_groups(s->gk, s->gl, &s->ngroup);
    for (size_t i = 0; i < s->ngroup_fresh; i++) {
        s->gk[i] = s->gkey[i];
        s->gl[i] = s->glabel[i];
    }
    s->ngroup = s->ngroup_fresh;
    s->ngroup_fresh = 0;
    render(s);
    if (s->top + 1 > s->nline)
        s->top = 0;
}

static int tick(tui_app *app, void *st)
{
    tables_screen *s = st;
    int r = 0;

    if (tui_bg_done(&s->task)) {
        collect(s);
        if (s->dirty)
            request(s, app);
        r = TUI_REDRAW;
    }
    if (s->exporting && !tui_app_job(app, NULL, 0, NULL)) {
        FILE *fp = fopen(s->export_path, "r");

        s->exporting = 0;
        if (fp) {
            fclose(fp);
            tui_message(app, 0, "wrote %s as %s to %s", kind_title[s->shown.kind], format_help[s->export_fmt],
                        s->export_path);
        }
        r = TUI_REDRAW;
    }
    if (!tui_bg_pending(&s->task) && s->gen != tui_app_generation(app) && tui_app_status(app))
        request(s, app);   /* a stage changed the store: the table follows */
    return r;
}

static int modal(void *st)
{
    return ((tables_screen *)st)->menu != 0;
}

static const char *group_label(const tables_screen *s, const char *key)
{
    for (size_t i = 0; i < s->ngroup; i++)
        if (strcmp(s->gk[i], key) == 0)
            return s->gl[i];
    return key;
}

/* One item of the options line, its key letter marked: "p-values ✓". */
static int item(WINDOW *w, int y, int x, int maxx, const char *text, int key_at, int mark, int usable, int utf8)
{
    char buf[160];

    if (x >= maxx - 1)
        return x;
    snprintf(buf, sizeof buf, "%s%s", text, mark < 0 ? "" : mark ? (utf8 ? " ✓" : " [x]") : (utf8 ? " ·" : " [ ]"));
    wattrset(w, !usable ? tui_attr(TUI_C_DIM) : mark > 0 ? tui_attr(TUI_C_OK) | A_BOLD : A_NORMAL);
    tui_put(w, y, x, buf, maxx - x);
    if (usable && key_at >= 0 && x + key_at < maxx) {
        wattrset(w, tui_attr(TUI_C_BAR_KEY) | A_UNDERLINE);
        mvwaddch(w, y, x + key_at, (chtype)(unsigned char)text[key_at]);
    }
    wattrset(w, A_NORMAL);
    return x + tui_width(buf) + 2;
}

static void draw_menu(tables_screen *s, WINDOW *w, int rows, int cols)
{
    size_t n = s->menu == MENU_GROUP ? s->ngroup + 1 : NFORMAT;
    int mw = cols - 4 < 50 ? cols - 4 : 50, mh = (int)n + 2, y0 = 2, x0 = 4;

    if (mh > rows - 2)
        mh = rows - 2;
    if (mw < 10 || mh < 3)
        return;
    for (int y = 0; y < mh; y++) {
        wattrset(w, tui_attr(TUI_C_STATUS));
        mvwhline(w, y0 + y, x0, ' ', mw);
    }
    tui_put(w, y0, x0 + 1, s->menu == MENU_GROUP ? "Group by (Enter picks, Esc keeps)" : "Export as (Enter, Esc)",
            mw - 2);
    for (size_t i = 0; i < n && (int)i < mh - 2; i++) {
        size_t first = s->menu_sel >= (size_t)(mh - 2) ? s->menu_sel - (size_t)(mh - 3) : 0;
        size_t k = first + i;
        char buf[256];

        if (k >= n)
            break;
        if (s->menu == MENU_GROUP)
            snprintf(buf, sizeof buf, "%s", k == 0 ? "none (one Overall column)" : s->gl[k - 1]);
        else
            snprintf(buf, sizeof buf, "%-6s %s", formats[k], format_help[k]);
        wattrset(w, k == s->menu_sel ? tui_attr(TUI_C_SELECTED) | A_BOLD : tui_attr(TUI_C_STATUS));
        mvwhline(w, y0 + 1 + (int)i, x0 + 1, ' ', mw - 2);
        tui_put(w, y0 + 1 + (int)i, x0 + 2, buf, mw - 4);
    }
    wattrset(w, A_NORMAL);
}

/* A line's columns [from, from + n) at (y, x); without UTF-8 the
 * renderer's ellipsis is ~ and other non-ASCII ?. */
static void put_cols(WINDOW *w, int y, int x, const char *line, size_t from, size_t n, int utf8)
{
    const char *a = at_cp(line, from), *b = at_cp(a, n);

    if (b <= a)
        return;
    if (utf8) {
        mvwaddnstr(w, y, x, a, (int)(b - a));
        return;
    }
    wmove(w, y, x);
    for (; a < b; a++) {
        unsigned char c = (unsigned char)*a;

        if (c < 0x80)
            waddch(w, c);
        else if ((c & 0xc0) != 0x80)
            waddch(w, strncmp(a, "\xe2\x80\xa6", 3) == 0 ? '~' : '?');
    }
}

static void draw(tui_app *app, void *st, WINDOW *w)
{
    tables_screen *s = st;
    int rows = getmaxy(w), cols = getmaxx(w), utf8 = tui_app_utf8(app), x = 1, y;
    int grouped = s->o.group[0] || s->o.kind == KIND_SEED;
    char buf[256];
    size_t fc, body_rows, avail;
    int sep = 0;

    if (rows < 3 || cols < 10) {
        tui_put(w, 0, 0, "Tables: a larger window", cols);
        return;
    }
    /* row 0: what is shown and the options, each with its key marked */
    wattrset(w, tui_attr(TUI_C_HEADING));
    x += tui_put(w, 0, x, kind_title[s->o.kind], cols - x);
    wattrset(w, tui_attr(TUI_C_DIM));
    x += tui_put(w, 0, x, " (t)", cols - x) + 2;
    snprintf(buf, sizeof buf, "group %s", s->o.group[0] ? group_label(s, s->o.group)
                                          : s->o.kind == KIND_SEED ? "VO2max i1" : "none");
    x = item(w, 0, x, cols, buf, 0, -1, 1, utf8);
    x = item(w, 0, x, cols, "p-values", 0, s->o.pval, grouped, utf8);
    x = item(w, 0, x, cols, "SMD", 0, s->o.smd, grouped, utf8);
    x = item(w, 0, x, cols, "Missing", 0, s->o.missing, 1, utf8);
    x = item(w, 0, x, cols, "all rows", 0, s->o.all_rows, 1, utf8);
    snprintf(buf, sizeof buf, "decimals %d", s->o.decimals);
    item(w, 0, x, cols, buf, -1, -1, 1, utf8);
    /* row 1: state */
    wattrset(w, tui_attr(TUI_C_DIM));
    if (tui_bg_pending(&s->task))
        tui_put(w, 1, 1, "computing...", cols - 2);
    else if (!s->err[0] && s->t && (s->o.pval || s->o.smd) && !grouped)
        tui_put(w, 1, 1, "p-values and SMDs compare groups: g picks a grouping variable", cols - 2);
    else if (s->nline)
        tui_put(w, 1, 1, "+/- decimals  x export  arrows scroll  ? all keys", cols - 2 - (cols < 120 ? 34 : 0));
    wattrset(w, A_NORMAL);
    if (s->err[0]) {
        wattrset(w, tui_attr(TUI_C_ERROR));
        tui_wrap(w, 3, 2, s->err, cols - 4, rows - 4);
        wattrset(w, A_NORMAL);
        if (s->menu)
            draw_menu(s, w, rows, cols);
        return;
    }
    if (!s->nline) {
        if (s->menu)
            draw_menu(s, w, rows, cols);
        return;
    }
    /* the table: frozen rows and label columns, the rest scrolled */
    /* labels and levels stay in view; on a narrow screen the labels only */
    fc = s->frozen_cols + 2 < (size_t)cols * 3 / 5 ? s->frozen_cols
         : s->label_cols + 2 < (size_t)cols / 2   ? s->label_cols
                                                  : 0;
    avail = (size_t)cols - 1 - fc;
    if (s->maxw > fc + avail && fc) {   /* scrolled: a rule after the labels */
        sep = (int)fc + 1;
        avail--;
    }
    body_rows = rows - 2 > s->frozen_rows ? (size_t)(rows - 2 - s->frozen_rows) : 0;
    if (s->top + body_rows > s->nline - (size_t)s->frozen_rows && s->nline > (size_t)s->frozen_rows + body_rows)
        s->top = s->nline - (size_t)s->frozen_rows - body_rows;
    if (s->left + avail > s->maxw - fc && s->maxw > fc + avail)
        s->left = s->maxw - fc - avail;
    else if (s->maxw <= fc + avail)
        s->left = 0;
    y = 2;
    for (int i = 0; i < s->frozen_rows && y < rows; i++, y++) {
        wattrset(w, i == 0 ? A_BOLD : tui_attr(TUI_C_HEADING));
        if (i == 0) {   /* the title, whole */
            put_cols(w, y, 1, s->line[i], 0, (size_t)cols - 2, utf8);
        } else {
            put_cols(w, y, 1, s->line[i], 0, fc, utf8);
            put_cols(w, y, 1 + (int)fc + (sep > 0), s->line[i], fc + s->left, avail, utf8);
        }
        wattrset(w, A_NORMAL);
    }
    for (size_t i = (size_t)s->frozen_rows + s->top; i < s->nline && y < rows; i++, y++) {
        if (i >= s->nbody) {   /* a note: from its start */
            wattrset(w, tui_attr(TUI_C_DIM));
            put_cols(w, y, 1, s->line[i], 0, (size_t)cols - 2, utf8);
            wattrset(w, A_NORMAL);
            continue;
        }
        put_cols(w, y, 1, s->line[i], 0, fc, utf8);
        put_cols(w, y, 1 + (int)fc + (sep > 0), s->line[i], fc + s->left, avail, utf8);
    }
    if (sep) {
        wattrset(w, tui_attr(TUI_C_DIM));
        mvwvline(w, 2 + 1, sep, utf8 ? ACS_VLINE : '|', y - 3 > 0 ? y - 3 : 0);
        wattrset(w, A_NORMAL);
    }
    /* where the view is, when it does not show everything */
    if (s->left || s->maxw > fc + avail || s->top || s->nline > (size_t)s->frozen_rows + body_rows) {
        snprintf(buf, sizeof buf, " lines %zu-%zu of %zu  col %zu of %zu ", s->top + 1,
                 s->top + body_rows < s->nline - (size_t)s->frozen_rows ? s->top + body_rows
                                                                          : s->nline - (size_t)s->frozen_rows,
                 s->nline - (size_t)s->frozen_rows, s->left + 1, s->maxw > fc ? s->maxw - fc : 1);
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put_right(w, 1, cols - 1, buf, cols / 2);
        wattrset(w, A_NORMAL);
    }
    if (s->menu)
        draw_menu(s, w, rows, cols);
}

/* The command that writes what is shown, as the CLI would run it. */
static void export_line(const tables_screen *s, const char *path, char *out, size_t n)
{
    const tab_opts *o = &s->o;
    int grouped = o->group[0] || o->kind == KIND_SEED;
    char q[4200], *d = q;

    for (const char *p = path; *p && d < q + sizeof q - 3; p++) {
        if (*p == '"' || *p == '\\' || *p == '$' || *p == '`')
            *d++ = '\\';
        *d++ = *p;
    }
    *d = '\0';
    snprintf(out, n, "%s%s%s%s%s%s --decimals %d%s --format %s -o \"%s\"", kind_cmd[o->kind],
             o->group[0] ? " --groupby " : "", o->group, o->pval && grouped ? " --pval" : "",
             o->smd && grouped ? " --smd" : "", o->missing ? "" : " --no-missing", o->decimals,
             o->all_rows ? " --all" : "", formats[s->export_fmt], q);
}

static void export_to(tui_app *app, void *arg, const char *text)
{
    tables_screen *s = arg;
    char line[8400];

    while (*text == ' ')
        text++;
    if (!*text) {
        tui_message(app, 0, "export: no file name, nothing written");
        return;
    }
    if (text[0] == '/') {
        snprintf(s->export_path, sizeof s->export_path, "%s", text);
    } else {   /* in the project folder, said in full afterwards */
        char *dir = realpath(tui_app_project_dir(app), NULL);

        snprintf(s->export_path, sizeof s->export_path, "%s/%s", dir ? dir : tui_app_project_dir(app), text);
        free(dir);
    }
    export_line(s, s->export_path, line, sizeof line);
    remove(s->export_path);   /* so that its presence afterwards means written */
    if (tui_run(app, line) == 0)
        s->exporting = 1;
}

static int menu_key(tables_screen *s, tui_app *app, int key)
{
    size_t n = s->menu == MENU_GROUP ? s->ngroup + 1 : NFORMAT;

    switch (key) {
    case KEY_DOWN: case 'j':
        if (s->menu_sel + 1 < n)
            s->menu_sel++;
        break;
    case KEY_UP: case 'k':
        if (s->menu_sel)
            s->menu_sel--;
        break;
    case TUI_KEY_ESC: case 'q':
        s->menu = 0;
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (s->menu == MENU_GROUP) {
            snprintf(s->o.group, sizeof s->o.group, "%s", s->menu_sel ? s->gk[s->menu_sel - 1] : "");
            s->menu = 0;
            request(s, app);
        } else {
            char name[64];

            s->export_fmt = (int)s->menu_sel;
            s->menu = 0;
            snprintf(name, sizeof name, "%s.%s", s->o.kind == KIND_SUMMARY ? "summary" : "table1",
                     format_ext[s->export_fmt]);
            tui_ask(app, "export to (in the project folder unless /...): ", name, export_to, s);
        }
        break;
    default:
        break;
    }
    return TUI_HANDLED | TUI_REDRAW;
}

static int key(tui_app *app, void *st, int key)
{
    tables_screen *s = st;
    size_t page = s->rows > 6 ? (size_t)s->rows - 5 : 1;

    if (s->menu)
        return menu_key(s, app, key);
    switch (key) {
    case 't':
        s->o.kind = (s->o.kind + 1) % NKIND;
        if (s->o.kind == KIND_SEED) {   /* grouped by VO2max at instance 1 unless g says otherwise */
            snprintf(s->saved_group, sizeof s->saved_group, "%s", s->o.group);
            s->o.group[0] = '\0';
        } else if (s->o.kind == KIND_SUMMARY && !s->o.group[0]) {
            snprintf(s->o.group, sizeof s->o.group, "%s", s->saved_group);
        }
        s->top = s->left = 0;
        request(s, app);
        break;
    case 'g':
        if (!s->ngroup) {
            tui_message(app, 0, "no categorical column to group by in the store (run labels first)");
            return TUI_HANDLED;
        }
        s->menu = MENU_GROUP;
        s->menu_sel = 0;
        for (size_t i = 0; i < s->ngroup; i++)
            if (strcmp(s->gk[i], s->o.group) == 0)
                s->menu_sel = i + 1;
        break;
    case 'p':
    case 's': {
        int *v = key == 'p' ? &s->o.pval : &s->o.smd;

        *v = !*v;
        if (*v && !s->o.group[0] && s->o.kind != KIND_SEED)
            tui_message(app, 0, "%s compare groups: g picks a grouping variable", key == 'p' ? "p-values" : "SMDs");
        request(s, app);
        break;
    }
    case 'm':
        s->o.missing = !s->o.missing;
        request(s, app);
        break;
    case '+': case '=':
        if (s->o.decimals < 6) {
            s->o.decimals++;
            request(s, app);
        }
        break;
    case '-':
        if (s->o.decimals > 0) {
            s->o.decimals--;
            request(s, app);
        }
        break;
    case 'a':
        s->o.all_rows = !s->o.all_rows;
        request(s, app);
        break;
    case 'r':
        request(s, app);
        break;
    case 'x':
        if (!s->t) {
            tui_message(app, 0, "no table to export yet");
            return TUI_HANDLED;
        }
        s->menu = MENU_FORMAT;
        s->menu_sel = (size_t)s->export_fmt;
        break;
    case KEY_DOWN: case 'j':
        s->top++;
        break;
    case KEY_UP: case 'k':
        if (s->top)
            s->top--;
        break;
    case KEY_NPAGE: case ' ':
        s->top += page;
        break;
    case KEY_PPAGE:
        s->top = s->top > page ? s->top - page : 0;
        break;
    case KEY_HOME:
        s->top = s->left = 0;
        break;
    case KEY_END:
        s->top = s->nline;
        break;
    case KEY_RIGHT: case 'l':
        s->left += 8;
        break;
    case KEY_LEFT: case 'h':
        s->left = s->left > 8 ? s->left - 8 : 0;
        break;
    default:
        return TUI_UNHANDLED;
    }
    return TUI_HANDLED | TUI_REDRAW;
}

const tui_screen_ops tui_screen_tables = {
    .name = "tables",
    .title = "Tables",
    .keymap = keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .key = key,
    .resize = resize,
    .tick = tick,
    .modal = modal,
};
