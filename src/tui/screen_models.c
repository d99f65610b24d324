/* screen_models.c — 4 Models: what to train, and every trained model.
 *
 * Top, the training choice: the store's targets (with the rows that have
 * an ECG, age, sex and BMI), the feature sets, the model types and the
 * published equations `replicate` fits; space ticks, Enter runs what is
 * ticked as one `train` (targets x feature sets x models) and one
 * `replicate` per ticked target, one after another on the worker thread.
 *
 * Below, the results: the table `report` prints (pipeline/ef_report, read
 * on the background thread once per store generation), its cells shown as
 * they are, plus Delta R2 against the basic model of the same target and
 * type.  s / S sort, / filters, e exports through `report --format -o`,
 * Enter opens a row on the Result screen. */
#include "config.h"
#include "tui_bg.h"
#include "tui_cmdq.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_keymap.h"
#include "tui_result.h"
#include "tui_screen.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "pipeline/ef_report.h"
#include "pipeline/ef_results.h"
#include "pipeline/ef_status.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tick lines: feature sets, model types, published equations. */
static const char *const fsets[] = { "basic", "ecg", "full", "ecg-params" };
static const char *const mtypes[] = { "lasso", "elasticnet", "xgboost", "mlp" };
/* shown as stored (/models/<t>/fixed/<name>), run as replicate --model */
static const char *const repl_shown[] = { "khurshid-basic", "khurshid-deep-ecg-vo2", "friend", "wasserman", "jones" };
static const char *const repl_arg[] = { "basic", "deep-ecg-vo2", "friend", "wasserman", "jones" };
#define NF 4
#define NM 4
#define NR 5
enum { L_TARGETS, L_FEATURES, L_MODELS, L_REPLICATE, NLINES };

/* The table's columns: the report's by header, and Delta R2. */
enum { K_TARGET, K_FEATURES, K_MODEL, K_N, K_R, K_R2, K_MAE, K_RMSE, K_DR2, K_BA, K_CHOSEN, NK };
static const char *const report_head[NK] = { "target", "features", "model", "n", "r [95% CI]", "R2 [95% CI]",
                                             "MAE [95% CI]", "RMSE", NULL, "BA bias [LoA]", "chosen" };
/* sort: 1 = high first on the first press (better is higher) */
static const int high_first[NK] = { 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0 };

typedef struct models_screen {
    char *dir, *store;
    /* the background read: into *_new, taken on the UI thread */
    tui_bg_task task;
    ef_table *tab_new;
    ef_report_target *tg_new;
    size_t ntg_new;
    int rc_new;
    char err_new[512];
    uint64_t gen;            /* generation of what was asked for */
    int have;
    /* shown */
    ef_table *tab;
    int col[NK];             /* report column of each K_ (-1: none) */
    double *dr2;             /* [rows of tab] */
    size_t *view, nview;     /* rows of tab passing the filter, in sort order */
    ef_report_target *tg;
    size_t ntg;
    char err[512];
    /* ticks: targets by key (kept across re-reads), the rest by index */
    char **ticked;
    size_t nticked;
    unsigned char fs[NF], mt[NM], rp[NR];
    /* cursor: in the tick lines (line, item) or the table (row of view) */
    int in_table;
    int line, item;
    int tg_first;            /* first target shown on its line */
    size_t cur, top;
    int table_rows;
    /* sort, filter, prompts */
    int sort_col;            /* K_*, -1: the report's order */
    int sort_desc;
    char filter[64];
    int prompting;           /* 0, '/' filter, 'e' export file name */
    char input[256];
    char saved_filter[64];
    tui_cmdq q;
    char export_path[4200];
} models_screen;

static const tui_binding keys[] = {
    { KEY_UP, "Up/Down", NULL, "move (k/j too): from the tick lines down into the results" },
    { KEY_DOWN, NULL, NULL, NULL },
    { 'k', NULL, NULL, NULL },
    { 'j', NULL, NULL, NULL },
    { KEY_LEFT, "Left/Right", NULL, "move along a tick line (h/l too)" },
    { KEY_RIGHT, NULL, NULL, NULL },
    { 'h', NULL, NULL, NULL },
    { 'l', NULL, NULL, NULL },
    { ' ', "Space", NULL, "tick / untick the target, feature set or model under the cursor" },
    { 'a', "a", NULL, "tick / untick the whole line under the cursor" },
    { '\n', "Enter", NULL, "tick lines: train what is ticked; results: open the row (plots)" },
    { '\r', NULL, NULL, NULL },
    { KEY_ENTER, NULL, NULL, NULL },
    { 't', "t", NULL, "train what is ticked (from anywhere on the screen)" },
    { KEY_NPAGE, "PgDn/PgUp", NULL, "a page of results on or back" },
    { KEY_PPAGE, NULL, NULL, NULL },
    { KEY_HOME, "Home/End", NULL, "first / last result" },
    { KEY_END, NULL, NULL, NULL },
    { 's', "s", NULL, "sort by the next column (then none: the report's order)" },
    { 'S', "S", NULL, "reverse the sort" },
    { '/', "/", NULL, "filter the results by text (target, features, model); Esc clears" },
    { 'e', "e", NULL, "export the table: file name ending .csv, .md or .tex (report --format)" },
    { 0, NULL, NULL, NULL },
};

/* ---- the background read ----------------------------------------------------- */

static void read_all(void *arg)
{
    models_screen *s = arg;
    ef_result_key *k = NULL;
    size_t nk = 0;
    ef_error err;
    int rc;

    ef_error_clear(&err);
    s->err_new[0] = '\0';
    rc = ef_report_targets(s->store, &s->tg_new, &s->ntg_new, &err);
    if (rc == EF_OK) {
        rc = ef_result_keys(s->store, &k, &nk, &err);
        if (rc == EF_ENOTFOUND)
            rc = EF_OK, nk = 0;
    }
    if (rc == EF_OK && nk)
        rc = ef_report_comparison(s->store, k, nk, EF_SPLIT_TEST, 0, &s->tab_new, &err);
    ef_result_keys_free(k, nk);
    s->rc_new = rc;
    if (rc != EF_OK)
        ef_error_format(&err, s->err_new, sizeof s->err_new);
}

/* ---- the table: Delta R2, filter, sort ------------------------------------------ */

static const char *cell(const models_screen *s, size_t row, int k)
{
    return s->col[k] >= 0 ? ef_table_get(s->tab, row, (size_t)s->col[k]) : "";
}

static double num(const models_screen *s, size_t row, int k)
{
    if (k == K_DR2)
        return s->dr2[row];
    return s->col[k] >= 0 ? ef_table_get_num(s->tab, row, (size_t)s->col[k]) : NAN;
}

static void compute_dr2(models_screen *s)
{
    size_t n = ef_table_nrows(s->tab), i, j;

    s->dr2 = ef_xreallocarray(s->dr2, n ? n : 1, sizeof *s->dr2);
    for (i = 0; i < n; i++) {
        s->dr2[i] = NAN;
        if (!ef_table_row_is_cells(s->tab, i))
            continue;
        for (j = 0; j < n; j++)
            if (ef_table_row_is_cells(s->tab, j) && strcmp(cell(s, j, K_FEATURES), "basic") == 0 &&
                strcmp(cell(s, j, K_TARGET), cell(s, i, K_TARGET)) == 0 &&
                strcmp(cell(s, j, K_MODEL), cell(s, i, K_MODEL)) == 0) {
                s->dr2[i] = num(s, i, K_R2) - num(s, j, K_R2);
                break;
            }
    }
}

static const char *dr2_text(const models_screen *s, size_t row, int utf8, char *buf, size_t size)
{
    if (strcmp(cell(s, row, K_FEATURES), "basic") == 0 && !isnan(s->dr2[row]))
        return utf8 ? "—" : "-";   /* the reference itself */
    if (isnan(s->dr2[row]))
        return "";
    ef_snprintf(buf, size, "%+.3f", s->dr2[row]);
    if (strcmp(buf, "-0.000") == 0)
        snprintf(buf, size, "+0.000");
    return buf;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

static const models_screen *sort_s;   /* qsort has no context argument */

static int cmp_rows(const void *a, const void *b)
{
    const models_screen *s = sort_s;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = 0, k = s->sort_col;

    if (k == K_TARGET || k == K_FEATURES || k == K_MODEL || k == K_CHOSEN) {
        c = strcmp(cell(s, x, k), cell(s, y, k));
    } else {
        double u = num(s, x, k), v = num(s, y, k);

        if (isnan(u) || isnan(v))   /* no number: last either way */
            return isnan(u) && isnan(v) ? (x > y) - (x < y) : isnan(u) ? 1 : -1;
        c = u < v ? -1 : u > v;
    }
    if (s->sort_desc)
        c = -c;
    return c ? c : (x > y) - (x < y);
}

static void reorder(models_screen *s)
{
    size_t n = s->tab ? ef_table_nrows(s->tab) : 0, i;

    s->view = ef_xreallocarray(s->view, n ? n : 1, sizeof *s->view);
    s->nview = 0;
    for (i = 0; i < n; i++) {
        char text[600];

        if (!ef_table_row_is_cells(s->tab, i))
            continue;
        snprintf(text, sizeof text, "%s %s %s", cell(s, i, K_TARGET), cell(s, i, K_FEATURES), cell(s, i, K_MODEL));
        if (contains_ci(text, s->filter))
            s->view[s->nview++] = i;
    }
    if (s->sort_col >= 0) {
        sort_s = s;
        qsort(s->view, s->nview, sizeof *s->view, cmp_rows);
    }
    if (s->cur >= s->nview)
        s->cur = s->nview ? s->nview - 1 : 0;
}

static int is_ticked(const models_screen *s, const char *key)
{
    for (size_t i = 0; i < s->nticked; i++)
        if (strcmp(s->ticked[i], key) == 0)
            return 1;
    return 0;
}

static void toggle_target(models_screen *s, const char *key)
{
    for (size_t i = 0; i < s->nticked; i++)
        if (strcmp(s->ticked[i], key) == 0) {
            free(s->ticked[i]);
            s->ticked[i] = s->ticked[--s->nticked];
            return;
        }
    s->ticked = ef_xreallocarray(s->ticked, s->nticked + 1, sizeof *s->ticked);
    s->ticked[s->nticked++] = ef_xstrdup(key);
}

static int take(models_screen *s, tui_app *app)
{
    size_t k;

    if (!tui_bg_done(&s->task))
        return 0;
    ef_table_free(s->tab);
    ef_report_targets_free(s->tg, s->ntg);
    s->tab = s->tab_new;
    s->tg = s->tg_new;
    s->ntg = s->ntg_new;
    s->tab_new = NULL;
    s->tg_new = NULL;
    s->ntg_new = 0;
    snprintf(s->err, sizeof s->err, "%s", s->rc_new == EF_OK ? "" : s->err_new);
    if (s->rc_new != EF_OK && s->rc_new != EF_ENOTFOUND && s->rc_new != EF_EIO)
        tui_message(app, 1, "%s", s->err);
    for (k = 0; k < NK; k++) {
        s->col[k] = -1;
        for (size_t c = 0; s->tab && report_head[k] && c < ef_table_ncols(s->tab); c++)
            if (strcmp(ef_table_col_header(s->tab, c), report_head[k]) == 0)
                s->col[k] = (int)c;
    }
    if (s->tab)
        compute_dr2(s);
    if (!s->have && s->nticked == 0 && s->ntg)   /* start with the first target ticked */
        toggle_target(s, s->tg[0].key);
    s->have = 1;
    reorder(s);
    return 1;
}

static void request(models_screen *s, tui_app *app)
{
    if (tui_bg_pending(&s->task))
        return;
    s->gen = tui_app_generation(app);
    s->task.run = read_all;
    s->task.arg = s;
    tui_bg_submit(&s->task);
}

static int collect(models_screen *s, tui_app *app)
{
    int r = take(s, app);

    if (s->gen != tui_app_generation(app))
        request(s, app);
    return r ? TUI_REDRAW : 0;
}

/* ---- life cycle ----------------------------------------------------------------- */

static void *create(tui_app *app)
{
    models_screen *s = ef_xcalloc(1, sizeof *s);
    char *abs = realpath(tui_app_project_dir(app), NULL);   /* export paths shown in full */

    s->dir = abs ? abs : ef_xstrdup(tui_app_project_dir(app));
    s->store = ef_xstrdup(tui_app_store_path(app));
    s->gen = (uint64_t)-1;
    s->sort_col = -1;
    tui_cmdq_register(&s->q);
    s->fs[0] = 1;   /* basic x lasso: the quickest useful first run */
    s->mt[0] = 1;
    for (int k = 0; k < NK; k++)
        s->col[k] = -1;
    return s;
}

static void destroy(void *st)
{
    models_screen *s = st;

    ef_table_free(s->tab);
    ef_table_free(s->tab_new);
    ef_report_targets_free(s->tg, s->ntg);
    ef_report_targets_free(s->tg_new, s->ntg_new);
    for (size_t i = 0; i < s->nticked; i++)
        free(s->ticked[i]);
    free(s->ticked);
    free(s->dr2);
    free(s->view);
    tui_cmdq_unregister(&s->q);
    tui_cmdq_clear(&s->q);
    free(s->dir);
    free(s->store);
    free(s);
}

static void enter(tui_app *app, void *st)
{
    collect(st, app);
}

static int tick(tui_app *app, void *st)
{
    return collect(st, app);
}

static int modal(void *st)
{
    return ((models_screen *)st)->prompting != 0;
}

/* ---- the tick lines ------------------------------------------------------------- */

static int line_items(const models_screen *s, int line)
{
    switch (line) {
    case L_TARGETS: return (int)s->ntg;
    case L_FEATURES: return NF;
    case L_MODELS: return NM;
    default: return NR;
    }
}

static int item_ticked(const models_screen *s, int line, int i)
{
    switch (line) {
    case L_TARGETS: return is_ticked(s, s->tg[i].key);
    case L_FEATURES: return s->fs[i];
    case L_MODELS: return s->mt[i];
    default: return s->rp[i];
    }
}

static void item_label(const models_screen *s, int line, int i, char *buf, size_t size)
{
    char n[32];

    switch (line) {
    case L_TARGETS:
        if (s->tg[i].n >= 0)
            snprintf(buf, size, "%s (n %s)", s->tg[i].key, tui_fmt_thousands((uint64_t)s->tg[i].n, n, sizeof n));
        else
            snprintf(buf, size, "%s", s->tg[i].key);
        break;
    case L_FEATURES: snprintf(buf, size, "%s", fsets[i]); break;
    case L_MODELS: snprintf(buf, size, "%s", mtypes[i]); break;
    default: snprintf(buf, size, "%s", repl_shown[i]); break;
    }
}

static void toggle_item(models_screen *s, int line, int i)
{
    switch (line) {
    case L_TARGETS: toggle_target(s, s->tg[i].key); break;
    case L_FEATURES: s->fs[i] = !s->fs[i]; break;
    case L_MODELS: s->mt[i] = !s->mt[i]; break;
    default: s->rp[i] = !s->rp[i]; break;
    }
}

/* The ticked choice as command lines: one train (targets x feature sets x
 * models), one replicate per target.  Returns how many were queued. */
static int queue_training(models_screen *s, tui_app *app)
{
    char t[2048] = "", f[128] = "", m[128] = "", r[256] = "", line[2600];
    size_t i;
    int n = 0;

    for (i = 0; i < s->ntg; i++)
        if (is_ticked(s, s->tg[i].key))
            snprintf(t + strlen(t), sizeof t - strlen(t), "%s%s", *t ? "," : "", s->tg[i].key);
    for (i = 0; i < NF; i++)
        if (s->fs[i])
            snprintf(f + strlen(f), sizeof f - strlen(f), "%s%s", *f ? "," : "", fsets[i]);
    for (i = 0; i < NM; i++)
        if (s->mt[i])
            snprintf(m + strlen(m), sizeof m - strlen(m), "%s%s", *m ? "," : "", mtypes[i]);
    for (i = 0; i < NR; i++)
        if (s->rp[i])
            snprintf(r + strlen(r), sizeof r - strlen(r), "%s%s", *r ? "," : "", repl_arg[i]);
    if (!s->ntg) {
        tui_message(app, 1, "no targets to train yet: run labels on the Pipeline screen (2) first");
        return 0;
    }
    if (!*t) {
        tui_message(app, 1, "tick a target first (Space on the targets line)");
        return 0;
    }
    if (*m && !*f) {
        tui_message(app, 1, "tick a feature set for %s (Space on the features line)", m);
        return 0;
    }
    if (!*m && !*r) {
        tui_message(app, 1, "tick a model or a published equation (Space on the models lines)");
        return 0;
    }
    if (*m) {
        snprintf(line, sizeof line, "train --target %s --features %s --model %s", t, f, m);
        tui_cmdq_push(&s->q, line);
        n++;
    }
    for (i = 0; *r && i < s->ntg; i++)
        if (is_ticked(s, s->tg[i].key)) {
            snprintf(line, sizeof line, "replicate --target %s --model %s", s->tg[i].key, r);
            tui_cmdq_push(&s->q, line);
            n++;
        }
    if (n > 1)
        snprintf(s->q.done, sizeof s->q.done, "%s have run (L: their output)",
                 *m ? "train and replicate" : "the replicate runs");
    return n;
}

static void train(models_screen *s, tui_app *app)
{
    int n;

    if (tui_cmdq_busy(&s->q, app) || tui_app_job(app, NULL, 0, NULL)) {
        tui_message(app, 1, "a job is running: wait for it or cancel it (Esc)");
        return;
    }
    s->q.done[0] = '\0';
    n = queue_training(s, app);
    tui_cmdq_pump(&s->q, app);
    if (n > 1)
        tui_message(app, 0, "%d commands queued; they run one after another (L: their output)", n);
}

/* ---- drawing -------------------------------------------------------------------- */

/* How many items of line fit in nlines lines of width cols from x0,
 * starting at item first (room kept for the "+N more" mark). */
static int items_fitting(const models_screen *s, int line, int first, int x0, int cols, int nlines)
{
    int x = x0 + 2, used = 1, i, n = line_items(s, line);

    for (i = first; i < n; i++) {
        char label[160];
        int wd;

        item_label(s, line, i, label, sizeof label);
        wd = tui_width(label) + 4;
        if (x > x0 + 2 && x + wd + (line == L_TARGETS && i + 1 < n ? 10 : 0) >= cols) {
            if (used == nlines)
                break;
            used++;
            x = x0 + 2;
        }
        x += wd + 2;
    }
    return i - first;
}

/* The tick lines from row y; returns the rows used.  The targets may be
 * many: they get target_lines lines and scroll with the cursor. */
static int draw_ticks(models_screen *s, tui_app *app, WINDOW *w, int y, int target_lines)
{
    static const char *const names[NLINES] = { "targets", "features", "models", "published" };
    int cols = getmaxx(w), line, used = 0, x0 = 11, utf8 = tui_app_utf8(app);

    for (line = 0; line < NLINES; line++) {
        int n = line_items(s, line), first = 0, fit = n, x = x0 + 2, i, lines = 1;

        wattrset(w, tui_attr(TUI_C_HEADING));
        tui_put(w, y + used, 1, names[line], x0 - 2);
        wattrset(w, A_NORMAL);
        if (n == 0) {
            wattrset(w, tui_attr(TUI_C_DIM));
            tui_put(w, y + used, x, s->have ? "none in the store: run labels first (Pipeline, 2)" : "reading...",
                    cols - x - 1);
            wattrset(w, A_NORMAL);
            used++;
            continue;
        }
        if (line == L_TARGETS) {
            if (s->tg_first >= n)
                s->tg_first = 0;
            if (!s->in_table && s->line == L_TARGETS && s->item < s->tg_first)
                s->tg_first = s->item;
            for (;;) {   /* scroll until the cursor's target is shown */
                fit = items_fitting(s, line, s->tg_first, x0, cols, target_lines);
                if (s->in_table || s->line != L_TARGETS || s->item < s->tg_first + fit || s->tg_first >= n - 1)
                    break;
                s->tg_first++;
            }
            first = s->tg_first;
            if (first > 0)
                tui_put(w, y + used, x0, utf8 ? "◀" : "<", 1);
        }
        for (i = first; i < n && i < first + fit; i++) {
            char label[160], item[200];
            int wd, sel = !s->in_table && s->line == line && s->item == i;

            item_label(s, line, i, label, sizeof label);
            snprintf(item, sizeof item, "[%c] %s", item_ticked(s, line, i) ? 'x' : ' ', label);
            wd = tui_width(item);
            if (x > x0 + 2 && x + wd + (line == L_TARGETS && i + 1 < n ? 10 : 0) >= cols) {   /* wrap */
                used++;
                lines++;
                x = x0 + 2;
            }
            wattrset(w, sel ? tui_attr(TUI_C_SELECTED) : item_ticked(s, line, i) ? tui_attr(TUI_C_OK) : A_NORMAL);
            tui_put(w, y + used, x, item, cols - x - 1);
            wattrset(w, A_NORMAL);
            x += wd + 2;
        }
        if (i < n) {
            char more[40];

            snprintf(more, sizeof more, "%s %d more", utf8 ? "▶" : ">", n - i);
            wattrset(w, tui_attr(TUI_C_DIM));
            tui_put(w, y + used, x, more, cols - x - 1);
            wattrset(w, A_NORMAL);
        }
        used++;
    }
    return used;
}

typedef struct colshow {
    int k;
    int width;
    int est_only;   /* a CI cell shown as its estimate */
} colshow;

static void shown_text(const models_screen *s, size_t row, const colshow *c, int utf8, char *buf, size_t size)
{
    const char *t;
    char *b;

    if (c->k == K_DR2) {
        char tmp[32];

        snprintf(buf, size, "%s", dr2_text(s, row, utf8, tmp, sizeof tmp));
        return;
    }
    t = cell(s, row, c->k);
    snprintf(buf, size, "%s", t);
    if (c->est_only && (b = strstr(buf, " [")))
        *b = '\0';
}

static void header_text(const colshow *c, int utf8, char *buf, size_t size)
{
    static const char *const short_head[NK] = { "target", "features", "model", "n", "r", "R2", "MAE", "RMSE",
                                                NULL, "BA bias", "chosen" };

    if (c->k == K_DR2)
        snprintf(buf, size, "%s", utf8 ? "ΔR2" : "dR2");
    else
        snprintf(buf, size, "%s", c->est_only ? short_head[c->k] : report_head[c->k]);
}

/* Which columns fit in cols, and how wide: CI columns lose their bounds,
 * then the least needed columns go, as `report` does on a narrow terminal. */
static int layout(const models_screen *s, int utf8, int cols, colshow *out)
{
    static const int order[] = { K_TARGET, K_FEATURES, K_MODEL, K_N, K_R, K_R2, K_MAE, K_RMSE, K_DR2, K_BA,
                                 K_CHOSEN };
    /* what goes first when too wide: -k drops column k, +k shortens it */
    static const int shrink[] = { -K_CHOSEN, -K_BA, +K_MAE, +K_R2, +K_R, -K_N, -K_RMSE };
    int drop[NK] = { 0 }, est[NK] = { 0 }, step = 0, n, total, i;

    for (;;) {
        n = 0;
        total = 0;
        for (i = 0; i < NK; i++) {
            int k = order[i];
            char buf[300];
            size_t r;

            if (drop[k] || (k != K_DR2 && s->col[k] < 0))
                continue;
            out[n].k = k;
            out[n].est_only = est[k];
            header_text(&out[n], utf8, buf, sizeof buf);
            out[n].width = tui_width(buf) + (utf8 ? 1 : 2);   /* room for the sort mark */
            for (r = 0; r < s->nview; r++) {
                int wd;

                shown_text(s, s->view[r], &out[n], utf8, buf, sizeof buf);
                wd = tui_width(buf);
                if (wd > out[n].width)
                    out[n].width = wd;
            }
            total += out[n].width + 2;
            n++;
        }
        if (total <= cols || step >= (int)(sizeof shrink / sizeof shrink[0]))
            return n;
        if (n && out[n - 1].k == K_CHOSEN && total - out[n - 1].width + 24 <= cols) {
            out[n - 1].width -= total - cols;   /* the hyper-parameters cut, not dropped */
            return n;
        }
        if (shrink[step] < 0)
            drop[-shrink[step]] = 1;
        else
            est[shrink[step]] = 1;
        step++;
    }
}

static void draw_table(models_screen *s, tui_app *app, WINDOW *w, int y, int rows)
{
    int cols = getmaxx(w), utf8 = tui_app_utf8(app), n, i, x, r;
    colshow cs[NK];
    char buf[300];

    if (rows < 2)
        return;
    if (!s->tab || s->nview == 0) {
        const ef_project_status *ps = tui_app_status(app);

        wattrset(w, tui_attr(TUI_C_DIM));
        if (ps && !ps->have_store)
            tui_wrap(w, y, 2, "No project store yet: run labels on the Pipeline screen (2); its targets then show "
                              "here to train.", cols - 4, rows);
        else if (s->err[0] && !s->tab)
            tui_wrap(w, y, 2, s->err, cols - 4, rows);
        else if (s->tab && s->filter[0])
            tui_wrap(w, y, 2, "No result matches the filter (/ and Esc clears it).", cols - 4, rows);
        else
            tui_wrap(w, y, 2, s->have ? "No trained models yet: tick a target, feature sets and models above and "
                                        "press Enter (or t) to train them."
                                      : "Reading the results...",
                     cols - 4, rows);
        wattrset(w, A_NORMAL);
        return;
    }
    n = layout(s, utf8, cols - 2, cs);
    /* header */
    wattrset(w, tui_attr(TUI_C_HEADING));
    for (i = 0, x = 1; i < n && x < cols; i++) {
        char h[80];

        header_text(&cs[i], utf8, h, sizeof h);
        if (cs[i].k == s->sort_col)
            snprintf(buf, sizeof buf, "%s%s", h, s->sort_desc ? (utf8 ? "▼" : " v") : (utf8 ? "▲" : " ^"));
        else
            snprintf(buf, sizeof buf, "%s", h);
        if (cs[i].k <= K_MODEL || cs[i].k == K_CHOSEN)
            tui_put(w, y, x, buf, cols - x - 1);
        else
            tui_put_right(w, y, x + cs[i].width, buf, cs[i].width);
        x += cs[i].width + 2;
    }
    wattrset(w, A_NORMAL);
    s->table_rows = rows - 1;
    if (s->cur < s->top)
        s->top = s->cur;
    if (s->cur >= s->top + (size_t)s->table_rows)
        s->top = s->cur - (size_t)s->table_rows + 1;
    for (r = 0; r < s->table_rows && s->top + (size_t)r < s->nview; r++) {
        size_t row = s->view[s->top + (size_t)r];
        int sel = s->in_table && s->top + (size_t)r == s->cur;

        if (sel) {
            wattrset(w, tui_attr(TUI_C_SELECTED));
            mvwhline(w, y + 1 + r, 0, ' ', cols);
        }
        for (i = 0, x = 1; i < n && x < cols; i++) {
            shown_text(s, row, &cs[i], utf8, buf, sizeof buf);
            if (!sel && cs[i].k == K_DR2 && !isnan(s->dr2[row]) && strcmp(cell(s, row, K_FEATURES), "basic"))
                wattrset(w, tui_attr(s->dr2[row] > 0 ? TUI_C_OK : TUI_C_WARN));
            if (cs[i].k <= K_MODEL || cs[i].k == K_CHOSEN)
                tui_put(w, y + 1 + r, x, buf, cols - x - 1 < cs[i].width ? cols - x - 1 : cs[i].width);
            else
                tui_put_right(w, y + 1 + r, x + cs[i].width, buf, cs[i].width);
            if (!sel)
                wattrset(w, A_NORMAL);
            x += cs[i].width + 2;
        }
        wattrset(w, A_NORMAL);
    }
}

static const char *sort_name(int k, int utf8)
{
    static const char *const names[NK] = { "target", "features", "model", "n", "r", "R2", "MAE", "RMSE", NULL,
                                           "Bland-Altman bias", "chosen" };

    return k == K_DR2 ? (utf8 ? "ΔR2" : "dR2") : names[k];
}

static void draw(tui_app *app, void *st, WINDOW *w)
{
    models_screen *s = st;
    int rows = getmaxy(w), cols = getmaxx(w), y = 0, utf8 = tui_app_utf8(app), foot;
    char line[400];

    werase(w);
    if (rows < 4 || cols < 10) {
        tui_put(w, 0, 0, "Models: the window is too small", cols);
        return;
    }
    tui_heading(w, y++, 1, "Train (Space ticks, Enter or t runs the ticked: targets x features x models)",
                cols - 2);
    y += draw_ticks(s, app, w, y, rows >= 40 ? 3 : rows >= 30 ? 2 : 1);
    wattrset(w, tui_attr(TUI_C_DIM));
    mvwhline(w, y++, 0, utf8 ? 0 : '-', cols);
    wattrset(w, A_NORMAL);
    foot = rows - 1;
    draw_table(s, app, w, y, foot - y);
    /* footer: the count, sort, filter, or the prompt */
    if (s->prompting) {
        size_t all = 0;

        for (size_t i = 0; s->tab && i < ef_table_nrows(s->tab); i++)
            all += ef_table_row_is_cells(s->tab, i) != 0;
        if (s->prompting == '/')
            snprintf(line, sizeof line, "filter: %s_   (%zu of %zu results; Enter keeps it, Esc clears it)", s->input,
                     s->nview, all);
        else
            snprintf(line, sizeof line, "export to (.csv, .md or .tex; Esc: no): %s_", s->input);
        wattrset(w, tui_attr(TUI_C_EDIT));
        mvwhline(w, foot, 0, ' ', cols);
        tui_put(w, foot, 1, line, cols - 2);
    } else {
        const char *hint = "  Enter: plots  s/S sort  / filter  e export";
        int n;

        n = snprintf(line, sizeof line, "%zu result%s on the test rows", s->nview, s->nview == 1 ? "" : "s");
        if (s->filter[0])
            n += snprintf(line + n, sizeof line - (size_t)n, " matching \"%s\"", s->filter);
        if (s->sort_col >= 0)
            n += snprintf(line + n, sizeof line - (size_t)n, ", by %s (%s first)", sort_name(s->sort_col, utf8),
                          s->sort_desc ? "high" : "low");
        snprintf(line + n, sizeof line - (size_t)n, "%s",
                 n + tui_width(hint) + 1 <= cols - 2 ? hint : n + 9 <= cols - 2 ? "  ? keys" : "");
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put(w, foot, 1, line, cols - 2);
    }
    wattrset(w, A_NORMAL);
}

/* ---- keys ----------------------------------------------------------------------- */

static void export_table(models_screen *s, tui_app *app)
{
    const char *name = s->input, *dot = strrchr(name, '.');
    const char *fmt = !dot ? NULL : !strcmp(dot, ".csv") ? "csv" : !strcmp(dot, ".md") ? "md"
                                  : !strcmp(dot, ".tex") ? "latex" : NULL;
    char q[8500], line[8600];

    if (!*name)
        return;
    if (!fmt) {
        tui_message(app, 1, "%s: the name ends in .csv, .md or .tex (the format follows it)", name);
        return;
    }
    if (tui_cmdq_busy(&s->q, app) || tui_app_job(app, NULL, 0, NULL)) {
        tui_message(app, 1, "a job is running: export when it is done");
        return;
    }
    if (name[0] == '/')
        snprintf(s->export_path, sizeof s->export_path, "%s", name);
    else
        snprintf(s->export_path, sizeof s->export_path, "%s/%s", s->dir, name);
    snprintf(line, sizeof line, "report --format %s -o %s", fmt, tui_quote(s->export_path, q, sizeof q));
    tui_cmdq_push(&s->q, line);
    snprintf(s->q.done, sizeof s->q.done, "exported the results table to %s", s->export_path);
    tui_cmdq_pump(&s->q, app);
}

static int prompt_key(models_screen *s, tui_app *app, int key)
{
    size_t n = strlen(s->input);

    if (key == TUI_KEY_ESC) {
        if (s->prompting == '/') {   /* Esc clears the filter */
            s->filter[0] = '\0';
            reorder(s);
        }
        s->prompting = 0;
    } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        int p = s->prompting;

        s->prompting = 0;
        if (p == 'e')
            export_table(s, app);
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (n)
            s->input[n - 1] = '\0';
    } else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof s->input) {
        s->input[n] = (char)key;
        s->input[n + 1] = '\0';
    }
    if (s->prompting == '/') {   /* filter as typed */
        snprintf(s->filter, sizeof s->filter, "%s", s->input);
        s->cur = 0;
        reorder(s);
    }
    return TUI_HANDLED | TUI_REDRAW;
}

static void move_line(models_screen *s, int d)
{
    if (s->in_table) {
        if (d < 0 && s->cur == 0) {
            s->in_table = 0;
            s->line = L_REPLICATE;
        } else if (d < 0) {
            s->cur--;
        } else if (s->cur + 1 < s->nview) {
            s->cur++;
        }
        return;
    }
    if (d > 0 && s->line == NLINES - 1) {
        if (s->nview)
            s->in_table = 1, s->cur = 0;
        return;
    }
    s->line += d;
    if (s->line < 0)
        s->line = 0;
    if (s->item >= line_items(s, s->line))
        s->item = line_items(s, s->line) ? line_items(s, s->line) - 1 : 0;
}

static void open_row(models_screen *s, tui_app *app)
{
    size_t row;

    if (!s->nview)
        return;
    row = s->view[s->cur];
    tui_result_open(app, cell(s, row, K_TARGET), cell(s, row, K_FEATURES), cell(s, row, K_MODEL));
}

static int key(tui_app *app, void *st, int key)
{
    models_screen *s = st;
    size_t page = (size_t)(s->table_rows > 1 ? s->table_rows - 1 : 10);

    if (s->prompting)
        return prompt_key(s, app, key);
    switch (key) {
    case KEY_UP: case 'k':
        move_line(s, -1);
        break;
    case KEY_DOWN: case 'j':
        move_line(s, 1);
        break;
    case KEY_LEFT: case 'h':
        if (!s->in_table && s->item > 0)
            s->item--;
        break;
    case KEY_RIGHT: case 'l':
        if (!s->in_table && s->item + 1 < line_items(s, s->line))
            s->item++;
        break;
    case ' ':
        if (s->in_table)
            tui_message(app, 0, "Space ticks on the lines above; Enter opens this result");
        else if (s->item < line_items(s, s->line))
            toggle_item(s, s->line, s->item);
        break;
    case 'a':
        if (!s->in_table) {
            int i, n = line_items(s, s->line), all = 1;

            for (i = 0; i < n; i++)
                all &= item_ticked(s, s->line, i) != 0;
            for (i = 0; i < n; i++)
                if (item_ticked(s, s->line, i) == all)
                    toggle_item(s, s->line, i);
        }
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (s->in_table)
            open_row(s, app);
        else
            train(s, app);
        break;
    case 't':
        train(s, app);
        break;
    case KEY_NPAGE:
        if (s->nview)
            s->in_table = 1, s->cur = s->cur + page < s->nview ? s->cur + page : s->nview - 1;
        break;
    case KEY_PPAGE:
        s->cur = s->cur > page ? s->cur - page : 0;
        break;
    case KEY_HOME:
        s->cur = 0;
        break;
    case KEY_END:
        if (s->nview)
            s->in_table = 1, s->cur = s->nview - 1;
        break;
    case 's':
        s->sort_col = s->sort_col + 1 >= NK ? -1 : s->sort_col + 1;
        if (s->sort_col >= 0 && s->col[s->sort_col] < 0 && s->sort_col != K_DR2)
            s->sort_col = s->sort_col + 1 >= NK ? -1 : s->sort_col + 1;
        s->sort_desc = s->sort_col >= 0 && high_first[s->sort_col];
        reorder(s);
        if (s->sort_col >= 0)
            tui_message(app, 0, "sorted by %s, %s first (S reverses)", sort_name(s->sort_col, tui_app_utf8(app)),
                        s->sort_desc ? "high" : "low");
        else
            tui_message(app, 0, "the report's order (by target, trained models before published ones)");
        break;
    case 'S':
        if (s->sort_col < 0) {
            tui_message(app, 0, "no sort yet: s picks the column");
            break;
        }
        s->sort_desc = !s->sort_desc;
        reorder(s);
        break;
    case '/':
        s->prompting = '/';
        snprintf(s->input, sizeof s->input, "%s", s->filter);
        break;
    case 'e':
        if (!s->tab) {
            tui_message(app, 1, "nothing to export yet: no trained models");
            break;
        }
        s->prompting = 'e';
        snprintf(s->input, sizeof s->input, "models.csv");
        break;
    default:
        return TUI_UNHANDLED;
    }
    return TUI_HANDLED | TUI_REDRAW;
}

const tui_screen_ops tui_screen_models = {
    .name = "models",
    .title = "Models",
    .keymap = keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .key = key,
    .tick = tick,
    .modal = modal,
};
