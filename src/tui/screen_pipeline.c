/* screen_pipeline.c — 2 Pipeline: the stages with their state, the main
 * options of the selected one editable in place, Enter to run it (as a
 * job on the worker thread: the screen stays live), r to resume, s for
 * the stage as a SLURM job array, and the stage's failures with file and
 * reason.
 *
 * The options are the command table's own specs (type, choices, range,
 * help): the screen only picks which ones to show, and the command line it
 * runs is what `ecgfit` would be given in a shell. */
#include "config.h"
#include "tui_bg.h"
#include "tui_crt.h"
#include "tui_draw.h"
#include "tui_job.h"
#include "tui_keymap.h"
#include "tui_screen.h"
#include "tui_stage.h"
#include "cmd/ef_cmd.h"
#include "pipeline/ef_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXOPT 6
#define FAIL_WINDOW 200

/* The options shown per stage, in order. */
static const char *const shown[EF_ST_COUNT][MAXOPT + 1] = {
    { "jobs", "special-codes", "strict", NULL },
    { "units", "jobs", "shard", "limit", NULL },
    { "encoder", "jobs", "shard", "batch", NULL },
    { "target", "features", "model", "jobs", NULL },
};
/* Stages whose part files let a cancelled run resume, and that take --restart. */
static const int resumable[EF_ST_COUNT] = { 0, 1, 1, 0 };

typedef struct {
    const ef_opt_spec *spec;
    char value[256];   /* "" : the command's default (not given) */
} opt;

typedef struct {
    int sel;                        /* selected stage */
    int optsel;                     /* selected option of it */
    opt opts[EF_ST_COUNT][MAXOPT];
    int nopts[EF_ST_COUNT];
    /* typing a value in place */
    int editing;
    char edit[256];
    /* the failures of the selected stage, read in the background */
    tui_bg_task task;
    char dir[4096];
    int want_stage, req_stage;
    size_t want_first, req_first;
    ef_failure *fail, *fail_new;
    size_t nfail, nfail_new, fail_total, fail_total_new, fail_first;
    int fail_stage;
    uint64_t fail_gen;
    int fail_rows;
    int train_filled;     /* train's required options got a first value */
    int confirm;          /* stage + 1 whose rerun the next Enter confirms */
} pipeline;

static const tui_binding keys[] = {
    { 'j', "j/Down", NULL, "select the next stage" },
    { KEY_DOWN, NULL, NULL, NULL },
    { 'k', "k/Up", NULL, "select the previous stage" },
    { KEY_UP, NULL, NULL, NULL },
    { 'l', "l/Right", NULL, "select the next option of the stage" },
    { KEY_RIGHT, NULL, NULL, NULL },
    { 'h', "h/Left", NULL, "select the previous option" },
    { KEY_LEFT, NULL, NULL, NULL },
    { ' ', "Space/+", NULL, "the option's next value (a choice, on/off, a number up)" },
    { '+', NULL, NULL, NULL },
    { '-', "-", NULL, "the option's previous value" },
    { 'e', "e", NULL, "type the option's value (Enter keeps it, Esc drops it)" },
    { 'd', "d", NULL, "the option back to its default" },
    { '\n', "Enter", NULL, "run the selected stage with these options" },
    { '\r', NULL, NULL, NULL },
    { KEY_ENTER, NULL, NULL, NULL },
    { 'r', "r", NULL, "resume the stage where a cancel or crash stopped it" },
    { 'R', "R", NULL, "run the stage again from the start (--restart)" },
    { 's', "s", NULL, "the stage as a SLURM job array: its `slurm` command on the : line" },
    { KEY_NPAGE, "PgDn/PgUp", NULL, "scroll the failures" },
    { KEY_PPAGE, NULL, NULL, NULL },
    { 0, NULL, NULL, NULL },
};

static const char *const stage_cmd[EF_ST_COUNT] = { "labels", "preprocess", "embed", "train" };

static void *create(tui_app *app)
{
    pipeline *p = calloc(1, sizeof *p);

    snprintf(p->dir, sizeof p->dir, "%s", tui_app_project_dir(app));
    for (int s = 0; s < EF_ST_COUNT; s++) {
        const ef_cmd *c = ef_cmd_find(stage_cmd[s]);

        for (int i = 0; c && shown[s][i]; i++)
            for (size_t k = 0; k < c->nopts; k++)
                if (strcmp(c->opts[k].name, shown[s][i]) == 0)
                    p->opts[s][p->nopts[s]++].spec = &c->opts[k];
    }
    p->fail_stage = -1;
    p->want_stage = -1;
    p->req_stage = -1;
    return p;
}

static void destroy(void *st)
{
    pipeline *p = st;

    /* the frame stopped the background thread before: no task runs */
    ef_status_failures_free(p->fail, p->nfail);
    ef_status_failures_free(p->fail_new, p->nfail_new);
    free(p);
}

/* ---- failures, read in the background ---------------------------------------- */

static void read_failures(void *arg)
{
    pipeline *p = arg;
    ef_error err;

    ef_error_clear(&err);
    /* queued again before the UI took the last one: that one is stale */
    ef_status_failures_free(p->fail_new, p->nfail_new);
    p->fail_new = NULL;
    p->nfail_new = p->fail_total_new = 0;
    ef_status_failures(p->dir, p->req_stage, p->req_first, FAIL_WINDOW, &p->fail_new, &p->nfail_new,
                       &p->fail_total_new, &err);
}

static void request_failures(pipeline *p, tui_app *app)
{
    if (tui_bg_pending(&p->task))
        return;   /* asked again when this one is collected */
    p->req_stage = p->want_stage;
    p->req_first = p->want_first;
    p->fail_gen = tui_app_generation(app);
    p->task.run = read_failures;
    p->task.arg = p;
    tui_bg_submit(&p->task);
}

static int collect_failures(pipeline *p, tui_app *app)
{
    if (!tui_bg_done(&p->task))
        return 0;
    ef_status_failures_free(p->fail, p->nfail);
    p->fail = p->fail_new;
    p->nfail = p->nfail_new;
    p->fail_total = p->fail_total_new;
    p->fail_first = p->req_first;
    p->fail_stage = p->req_stage;
    p->fail_new = NULL;
    p->nfail_new = 0;
    if (p->want_stage != p->req_stage || p->want_first != p->req_first)
        request_failures(p, app);
    return 1;
}

/* Keep the failures of the selected stage, around the scroll position. */
static void want_failures(pipeline *p, tui_app *app)
{
    int need;

    if (p->sel != EF_ST_LABELS && p->sel != EF_ST_PREPROCESS)
        return;
    need = p->fail_stage != p->sel || p->fail_gen != tui_app_generation(app) || p->want_first < p->fail_first ||
           (p->nfail == FAIL_WINDOW && p->want_first + 50 > p->fail_first + FAIL_WINDOW);
    p->want_stage = p->sel;
    if (need)
        request_failures(p, app);
}

/* ---- options ------------------------------------------------------------------ */

static const char *value_text(const opt *o)
{
    if (o->value[0])
        return o->value;
    return o->spec->type == EF_OPT_FLAG ? "off" : "default";
}

/* Space/+ (dir 1) or - (dir -1) on a choice, a flag or a number. */
static int step_value(tui_app *app, opt *o, int dir)
{
    const ef_opt_spec *s = o->spec;

    switch (s->type) {
    case EF_OPT_FLAG:
        snprintf(o->value, sizeof o->value, "%s", o->value[0] ? "" : "on");
        return 1;
    case EF_OPT_CHOICE: {
        int n = 0, at = -1;

        while (s->choices[n]) {
            if (strcmp(s->choices[n], o->value) == 0)
                at = n;
            n++;
        }
        /* default (-1), then each choice */
        at += dir;
        if (at >= n)
            at = -1;
        if (at < -1)
            at = n - 1;
        snprintf(o->value, sizeof o->value, "%s", at < 0 ? "" : s->choices[at]);
        return 1;
    }
    case EF_OPT_INT: {
        long v = o->value[0] ? strtol(o->value, NULL, 10) : (dir > 0 ? (long)s->min - 1 : (long)s->min + 1);

        v += dir;
        if (v < (long)s->min) {
            o->value[0] = '\0';
            return 1;
        }
        if (s->max > s->min && v > (long)s->max)
            v = (long)s->max;
        snprintf(o->value, sizeof o->value, "%ld", v);
        return 1;
    }
    default:
        tui_message(app, 0, "--%s takes text: e types it", s->name);
        return 0;
    }
}

/* The command line of stage s with its options ("preprocess --units mv"). */
static void command_line(const pipeline *p, int s, int restart, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "%s", stage_cmd[s]);

    for (int i = 0; i < p->nopts[s] && len < n; i++) {
        const opt *o = &p->opts[s][i];

        if (!o->value[0])
            continue;
        if (o->spec->type == EF_OPT_FLAG)
            len += (size_t)snprintf(buf + len, n - len, " --%s", o->spec->name);
        else if (strchr(o->value, ' '))
            len += (size_t)snprintf(buf + len, n - len, " --%s \"%s\"", o->spec->name, o->value);
        else
            len += (size_t)snprintf(buf + len, n - len, " --%s %s", o->spec->name, o->value);
    }
    if (restart && len < n)
        snprintf(buf + len, n - len, " --restart");
}

/* s: the `slurm` command that runs the selected stage as a job array with
 * these options, put on the : line to edit (the number of shards, --submit)
 * and run.  The shard option's N, if set, is the number of tasks; --jobs
 * becomes each task's CPUs. */
static void slurm_line(tui_app *app, pipeline *p)
{
    char line[2048], stage_opts[1536] = "";
    size_t len = 0;
    long shards = 8, cpus = 0;
    const char *slash;

    if (p->sel != EF_ST_PREPROCESS && p->sel != EF_ST_EMBED) {
        tui_message(app, 0, "only preprocess and embed run in shards: select one of them for s");
        return;
    }
    for (int i = 0; i < p->nopts[p->sel]; i++) {
        const opt *o = &p->opts[p->sel][i];
        const char *name = o->spec->name;

        if (!o->value[0] || !strcmp(name, "limit"))
            continue;
        if (!strcmp(name, "shard")) {
            if ((slash = strchr(o->value, '/')) && strtol(slash + 1, NULL, 10) > 0)
                shards = strtol(slash + 1, NULL, 10);
        } else if (!strcmp(name, "jobs")) {
            cpus = strtol(o->value, NULL, 10);
        } else if (len < sizeof stage_opts) {
            if (o->spec->type == EF_OPT_FLAG)
                len += (size_t)snprintf(stage_opts + len, sizeof stage_opts - len, " --%s", name);
            else if (strpbrk(o->value, " \t\"'\\"))
                len += (size_t)snprintf(stage_opts + len, sizeof stage_opts - len, " --%s \"%s\"", name, o->value);
            else
                len += (size_t)snprintf(stage_opts + len, sizeof stage_opts - len, " --%s %s", name, o->value);
        }
    }
    len = (size_t)snprintf(line, sizeof line, "slurm %s --shards %ld", stage_cmd[p->sel], shards);
    if (cpus > 0 && len < sizeof line)
        len += (size_t)snprintf(line + len, sizeof line - len, " --cpus %ld", cpus);
    if (stage_opts[0] && len < sizeof line)
        snprintf(line + len, sizeof line - len, " --%s", stage_opts);
    tui_command_line(app, line);
    tui_message(app, 0, "Enter writes the script to slurm/%s.sbatch in the project; add --submit to submit it",
                stage_cmd[p->sel]);
}

static void run_stage(tui_app *app, pipeline *p, int restart)
{
    char line[2048];

    command_line(p, p->sel, restart, line, sizeof line);
    tui_run(app, line);
}

/* "ecg/1001102_20205_2_0.xml:1" -> "1001102_20205_2_0.xml:1": the folder is the project's. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* ---- drawing ---------------------------------------------------------------------- */

static int draw_options(tui_app *app, pipeline *p, WINDOW *w, int y, int cols)
{
    int x = 2, s = p->sel;
    char head[128], buf[300];
    const ef_opt_spec *cur = NULL;

    (void)app;
    snprintf(head, sizeof head, "%s options", stage_cmd[s]);
    tui_heading(w, y, 1, head, cols - 2);
    wattrset(w, tui_attr(TUI_C_DIM));
    tui_put(w, y, 2 + tui_width(head), "  h/l choose, Space/+/- change, e type, d default", cols - 4 - tui_width(head));
    wattrset(w, A_NORMAL);
    y++;
    for (int i = 0; i < p->nopts[s]; i++) {
        const opt *o = &p->opts[s][i];
        int selected = i == p->optsel;
        int wd;

        if (p->editing && selected)
            snprintf(buf, sizeof buf, "%s [%s_]", o->spec->name, p->edit);
        else
            snprintf(buf, sizeof buf, "%s [%s]", o->spec->name, value_text(o));
        wd = tui_width(buf);
        if (x + wd > cols - 1 && x > 2) {
            y++;
            x = 2;
        }
        tui_put(w, y, x, o->spec->name, cols - x);
        x += tui_width(o->spec->name) + 1;
        wattrset(w, selected ? (p->editing ? tui_attr(TUI_C_EDIT) : tui_attr(TUI_C_SELECTED))
                             : o->value[0] ? tui_attr(TUI_C_OK) : A_NORMAL);
        if (p->editing && selected)
            snprintf(buf, sizeof buf, "[%s_]", p->edit);
        else
            snprintf(buf, sizeof buf, "[%s]", value_text(o));
        x += tui_put(w, y, x, buf, cols - x);
        wattrset(w, A_NORMAL);
        x += 3;
        if (selected)
            cur = o->spec;
    }
    y++;
    if (cur) {   /* the option's help, from the command table */
        char help[512], *nl;

        snprintf(help, sizeof help, "--%s %s: %s", cur->name, cur->arg ? cur->arg : "", cur->help);
        while ((nl = strchr(help, '\n')))
            *nl = ' ';
        wattrset(w, tui_attr(TUI_C_DIM));
        y += tui_wrap(w, y, 2, help, cols - 3, 2);
        wattrset(w, A_NORMAL);
    }
    return y;
}

static void draw_failures(tui_app *app, pipeline *p, WINDOW *w, int y, int rows, int cols)
{
    const ef_project_status *st = tui_app_status(app);
    char head[160], num[32];
    uint64_t failed = st ? st->stage[p->sel].failed : 0;
    int filew;

    p->fail_rows = 0;
    if (y >= rows)
        return;
    if (p->sel != EF_ST_LABELS && p->sel != EF_ST_PREPROCESS) {
        if (failed == 0)
            return;
    }
    if (p->fail_stage != p->sel || (p->fail_total == 0 && failed == 0)) {
        if (failed == 0 && st && st->stage[p->sel].state != EF_STAGE_NOT_RUN) {
            wattrset(w, tui_attr(TUI_C_DIM));
            tui_put(w, y, 1, "No failures.", cols - 2);
            wattrset(w, A_NORMAL);
        }
        return;
    }
    snprintf(head, sizeof head, "Failures (%s): file and reason", tui_fmt_thousands(p->fail_total, num, sizeof num));
    tui_heading(w, y, 1, head, cols - 2);
    if (p->fail_total > (size_t)(rows - y - 1)) {
        wattrset(w, tui_attr(TUI_C_DIM));
        tui_put_right(w, y, cols - 1, "PgDn/PgUp", 10);
        wattrset(w, A_NORMAL);
    }
    y++;
    /* the file column as wide as the widest name shown, at most a third */
    filew = 4;
    for (size_t i = 0; i < p->nfail; i++) {
        int fw = tui_width(base_name(p->fail[i].file));

        if (fw > filew)
            filew = fw;
    }
    if (filew > cols / 3)
        filew = cols / 3;
    p->fail_rows = rows - y;
    for (size_t i = p->want_first; y < rows && i < p->fail_total; i++, y++) {
        const ef_failure *f;
        int rw = cols - filew - 5;

        if (i < p->fail_first || i >= p->fail_first + p->nfail)
            break;
        f = &p->fail[i - p->fail_first];
        tui_put(w, y, 2, base_name(f->file), filew);
        wattrset(w, tui_attr(TUI_C_WARN));
        y += tui_wrap(w, y, 4 + filew, f->reason, rw, rows - y < 2 ? 1 : 2) - 1;
        wattrset(w, A_NORMAL);
    }
}

static void draw(tui_app *app, void *state, WINDOW *w)
{
    pipeline *p = state;
    const ef_project_status *st = tui_app_status(app);
    int rows = getmaxy(w), cols = getmaxx(w), y = 0;
    char line[2048], cmd[2100];

    if (!st) {
        tui_put(w, 1, 2, "reading the project...", cols - 4);
        return;
    }
    tui_heading(w, y++, 1, "Stages", cols - 2);
    for (int s = 0; s < EF_ST_COUNT; s++, y++) {
        if (s == p->sel)
            tui_put(w, y, 0, tui_app_utf8(app) ? "▸" : ">", 1);
        tui_stage_line(app, w, y, 2, cols - 3, &st->stage[s]);
        if (s == p->sel && tui_crt_colors())
            mvwchgat(w, y, 0, -1, A_NORMAL, (short)PAIR_NUMBER(tui_attr(TUI_C_SELECTED)), NULL);
        else if (s == p->sel)
            mvwchgat(w, y, 0, -1, A_REVERSE, 0, NULL);
    }
    y++;
    y = draw_options(app, p, w, y, cols);
    command_line(p, p->sel, 0, line, sizeof line);
    snprintf(cmd, sizeof cmd, "Enter runs: ecgfit %s", line);
    y++;
    tui_put(w, y++, 1, cmd, cols - 2);
    {
        const ef_stage_status *s = &st->stage[p->sel];
        const char *hint = NULL;

        if (tui_job_running())
            hint = "Esc cancels the running stage; what it finished is kept";
        else if (s->state == EF_STAGE_PARTIAL)
            hint = "r resumes where it stopped; R starts over";
        else if (resumable[p->sel])
            hint = "a cancelled run resumes (r); R starts over";
        if (hint) {
            wattrset(w, tui_attr(TUI_C_DIM));
            tui_put(w, y++, 1, hint, cols - 2);
            wattrset(w, A_NORMAL);
        }
    }
    y++;
    draw_failures(app, p, w, y, rows, cols);
}

/* ---- keys ------------------------------------------------------------------------- */

static int edit_key(tui_app *app, pipeline *p, int k)
{
    opt *o = &p->opts[p->sel][p->optsel];
    size_t len = strlen(p->edit);

    (void)app;
    if (k == TUI_KEY_ESC) {
        p->editing = 0;
    } else if (k == '\n' || k == '\r' || k == KEY_ENTER) {
        /* check it as the command would, with the table's parser */
        const ef_cmd *c = ef_cmd_find(stage_cmd[p->sel]);
        char word[300], *argv[2] = { word, NULL };
        ef_cmd_args a;
        ef_error err;

        ef_error_clear(&err);
        snprintf(word, sizeof word, "--%s=%s", o->spec->name, p->edit);
        if (p->edit[0] && ef_cmd_parse(c, 1, argv, &a, &err) != EF_OK) {
            tui_message(app, 1, "%s", err.msg);
            return TUI_HANDLED | TUI_REDRAW;
        }
        if (p->edit[0])
            ef_cmd_args_fini(&a);
        snprintf(o->value, sizeof o->value, "%s", p->edit);
        p->editing = 0;
    } else if (k == KEY_BACKSPACE || k == 127 || k == 8) {
        if (len)
            p->edit[len - 1] = '\0';
    } else if (k == TUI_KEY_CTRL('u')) {
        p->edit[0] = '\0';
    } else if (k >= 0x20 && k < 0x7f && len + 1 < sizeof p->edit) {
        p->edit[len] = (char)k;
        p->edit[len + 1] = '\0';
    }
    return TUI_HANDLED | TUI_REDRAW;
}

static int key(tui_app *app, void *state, int k)
{
    pipeline *p = state;
    int n = p->nopts[p->sel];
    const ef_project_status *st = tui_app_status(app);

    if (p->editing)
        return edit_key(app, p, k);
    if (k != '\n' && k != '\r' && k != KEY_ENTER)
        p->confirm = 0;
    switch (k) {
    case 'j': case KEY_DOWN:
        if (p->sel + 1 < EF_ST_COUNT)
            p->sel++;
        p->optsel = 0;
        p->want_first = 0;
        break;
    case 'k': case KEY_UP:
        if (p->sel > 0)
            p->sel--;
        p->optsel = 0;
        p->want_first = 0;
        break;
    case 'l': case KEY_RIGHT:
        if (n)
            p->optsel = (p->optsel + 1) % n;
        break;
    case 'h': case KEY_LEFT:
        if (n)
            p->optsel = (p->optsel + n - 1) % n;
        break;
    case ' ': case '+':
        if (n)
            step_value(app, &p->opts[p->sel][p->optsel], 1);
        break;
    case '-':
        if (n)
            step_value(app, &p->opts[p->sel][p->optsel], -1);
        break;
    case 'd':
        if (n)
            p->opts[p->sel][p->optsel].value[0] = '\0';
        break;
    case 'e':
        if (n) {
            p->editing = 1;
            snprintf(p->edit, sizeof p->edit, "%s", p->opts[p->sel][p->optsel].value);
        }
        break;
    case '\n': case '\r': case KEY_ENTER:
        /* a done stage without parts to resume runs again from scratch: ask once */
        if (st && !resumable[p->sel] && !tui_job_running() && p->confirm != p->sel + 1 &&
            (st->stage[p->sel].state == EF_STAGE_DONE || st->stage[p->sel].state == EF_STAGE_FAILED)) {
            tui_message(app, 0, "%s is done (%s): Enter again runs it again", stage_cmd[p->sel],
                        st->stage[p->sel].detail);
            p->confirm = p->sel + 1;
            return TUI_HANDLED | TUI_REDRAW;
        }
        p->confirm = 0;
        run_stage(app, p, 0);
        break;
    case 'r':
        if (!resumable[p->sel])
            tui_message(app, 0, "%s has no partial work to resume: Enter runs it again", stage_cmd[p->sel]);
        else if (st && st->stage[p->sel].state != EF_STAGE_PARTIAL)
            tui_message(app, 0, "%s has nothing left to resume (%s): Enter runs it again", stage_cmd[p->sel],
                        ef_stage_state_name(st->stage[p->sel].state));
        else
            run_stage(app, p, 0);
        break;
    case 'R':
        if (!resumable[p->sel])
            run_stage(app, p, 0);
        else
            run_stage(app, p, 1);
        break;
    case 's':
        slurm_line(app, p);
        break;
    case KEY_NPAGE:
        if (p->want_first + (size_t)(p->fail_rows > 1 ? p->fail_rows - 1 : 1) < p->fail_total)
            p->want_first += (size_t)(p->fail_rows > 1 ? p->fail_rows - 1 : 1);
        break;
    case KEY_PPAGE:
        p->want_first = p->want_first > (size_t)(p->fail_rows - 1) ? p->want_first - (size_t)(p->fail_rows - 1) : 0;
        break;
    default:
        return TUI_UNHANDLED;
    }
    want_failures(p, app);
    return TUI_HANDLED | TUI_REDRAW;
}

/* train needs --target, --features and --model: start from the study's own
 * question (VO2max; basic, and full once there are embeddings; lasso). */
static void fill_train(pipeline *p, tui_app *app)
{
    const ef_project_status *st = tui_app_status(app);
    int embedded = st && st->stage[EF_ST_EMBED].state != EF_STAGE_NOT_RUN;

    if (p->train_filled || !st)
        return;
    for (int i = 0; i < p->nopts[EF_ST_TRAIN]; i++) {
        opt *o = &p->opts[EF_ST_TRAIN][i];

        if (strcmp(o->spec->name, "target") == 0)
            snprintf(o->value, sizeof o->value, "vo2max");
        else if (strcmp(o->spec->name, "features") == 0)
            snprintf(o->value, sizeof o->value, "%s", embedded ? "basic,full" : "basic");
        else if (strcmp(o->spec->name, "model") == 0)
            snprintf(o->value, sizeof o->value, "lasso");
    }
    p->train_filled = 1;
}

static void enter(tui_app *app, void *state)
{
    fill_train(state, app);
    want_failures(state, app);
}

static int tick(tui_app *app, void *state)
{
    pipeline *p = state;
    int r = 0;

    if (collect_failures(p, app))
        r = TUI_REDRAW;
    fill_train(p, app);
    want_failures(p, app);
    if (tui_app_job(app, NULL, 0, NULL))
        r = TUI_REDRAW;
    return r;
}

static int modal(void *state)
{
    return ((pipeline *)state)->editing;
}

const tui_screen_ops tui_screen_pipeline = {
    .name = "pipeline",
    .title = "Pipeline",
    .keymap = keys,
    .create = create,
    .destroy = destroy,
    .enter = enter,
    .draw = draw,
    .key = key,
    .tick = tick,
    .modal = modal,
};
