/* cmd_plot.c — `ecgfit [-C DIR] plot KIND ... -o FILE.png|svg|pdf`: one
 * publication figure through gnuplot.  The names are checked here (any
 * spelling of a target, did-you-mean for a typo); the job builds the script
 * (pipeline/ef_figures), writes it when asked and pipes it to gnuplot
 * (plot/ef_plot_run).  When gnuplot is missing or fails, the script with its
 * data is left next to the output so that the figure can be made elsewhere. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "core/ef_numfmt.h"
#include "core/ef_str.h"
#include "pipeline/ef_figures.h"
#include "pipeline/ef_resolve.h"
#include "pipeline/ef_results.h"
#include "plot/ef_plot.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const splits[] = { "test", "train", "full", NULL };

#define OPT_OUT { "output", 'o', EF_OPT_STRING, "FILE", "the figure: FILE.png, FILE.svg or FILE.pdf (the format\nfollows the extension)", 0, 0, NULL, 0 }
#define OPT_SCRIPT { "script", 0, EF_OPT_STRING, "FILE.gp", "also write the gnuplot script with its data to FILE.gp\n(restyle it and run `gnuplot FILE.gp`)", 0, 0, NULL, 0 }
#define OPT_SIZE { "size", 0, EF_OPT_STRING, "W,H", "printed size in inches (PNG at 300 dpi); the default\nsuits the kind (3.5 in: a paper's column)", 0, 0, NULL, 0 }
#define OPT_TARGET { "target", 0, EF_OPT_STRING, "T", "the target (registry key or any UKB spelling)", 0, 0, NULL, 0 }
#define OPT_FEATURES { "features", 0, EF_OPT_STRING, "F", "the feature set of the result (basic, full, ...)", 0, 0, NULL, 0 }
#define OPT_MODEL { "model", 0, EF_OPT_STRING, "M", "the model of the result (lasso, xgboost, ...)", 0, 0, NULL, 0 }

typedef struct plot_state {
    int kind;
    ef_figure_req q;
    ef_plot_opts o;
    ef_project p;
    char *target, *features, *model, *embeddings, *out, *script_path, *left_path;
    char *warnings;
} plot_state;

static void state_free(void *v)
{
    plot_state *st = v;

    ef_project_fini(&st->p);
    free(st->target);
    free(st->features);
    free(st->model);
    free(st->embeddings);
    free(st->out);
    free(st->script_path);
    free(st->left_path);
    free(st->warnings);
    free(st);
}

/* FILE.png -> FILE.gp (beside it) */
static char *script_beside(const char *out)
{
    const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
    size_t base = dot && (!slash || dot > slash) ? (size_t)(dot - out) : strlen(out);

    return ef_xasprintf("%.*s.gp", (int)base, out);
}

static int write_text(const char *path, const char *text, ef_error *err)
{
    FILE *fp = fopen(path, "w");
    int ok;

    if (!fp)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    ok = fputs(text, fp) >= 0;
    if (fclose(fp) != 0 || !ok)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return EF_OK;
}

static int run(void *v, ef_error *err)
{
    plot_state *st = v;
    char *script = NULL, msg[EF_ERROR_MSG_MAX];
    int rc = ef_figure_script(st->kind, &st->q, &st->o, &script, err);

    if (rc == EF_OK && st->script_path)
        rc = write_text(st->script_path, script, err);
    if (rc == EF_OK)
        rc = ef_plot_run(script, NULL, NULL, NULL, &st->warnings, err);
    if (rc != EF_OK && script) {
        ef_error keep = *err;

        unlink(st->out);   /* no half-drawn figure */
        if (!st->script_path) {
            st->left_path = script_beside(st->out);
            if (write_text(st->left_path, script, err) != EF_OK) {
                free(script);
                return rc;
            }
        }
        *err = keep;
        {
            const char *gp = st->script_path ? st->script_path : st->left_path;
            int room = (int)(sizeof msg / 2);

            snprintf(msg, sizeof msg, "%.*s\nThe script and its data are in %.*s: run `gnuplot %.*s` where gnuplot is "
                     "installed.", room, keep.msg, room / 4, gp, room / 4, gp);
        }
        snprintf(err->msg, sizeof err->msg, "%s", msg);
    }
    free(script);
    return rc;
}

/* ---- name checks ------------------------------------------------------------------ */

/* word is among the stored results' features (or models) for target, else
 * a usage error with the closest one. */
static int check_word(const ef_result_key *keys, size_t nk, const char *target, int model, const char *word,
                      ef_error *err)
{
    const char **cands = ef_xcalloc(nk ? nk : 1, sizeof *cands), *hint;
    char list[400] = "";
    size_t n = 0, i, j, len = 0;

    for (i = 0; i < nk; i++) {
        const char *w = model ? keys[i].model : keys[i].features;

        if (target && strcmp(keys[i].target, target) != 0)
            continue;
        if (!strcmp(w, word)) {
            free(cands);
            return EF_OK;
        }
        for (j = 0; j < n && strcmp(cands[j], w); j++)
            ;
        if (j == n) {
            cands[n++] = w;
            if (len < sizeof list)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", w);
        }
    }
    hint = ef_suggest(word, cands, n);
    if (hint)
        ef_cmd_usage(err, "--%s: no result with %s '%s'%s%s; did you mean %s?", model ? "model" : "features",
                     model ? "model" : "features", word, target ? " for " : "", target ? target : "", hint);
    else
        ef_cmd_usage(err, "--%s: no result with %s '%s'%s%s (the store has: %s)", model ? "model" : "features",
                     model ? "model" : "features", word, target ? " for " : "", target ? target : "",
                     n ? list : "none");
    free(cands);
    return EF_EUSAGE;
}

/* A --target that names no column: a usage error with a did-you-mean when
 * one is close, else the resolver's message (how to extract it). */
static int target_typo(const char *store_path, const char *name, int rc, ef_error *err)
{
    ef_store *s;
    char hint[128];

    if (rc != EF_ENOTFOUND || ef_store_open_read(&s, store_path, NULL) != EF_OK)
        return rc;
    if (ef_resolve_closest(s, name, hint, sizeof hint) && strcmp(hint, name) != 0)
        rc = ef_cmd_usage(err, "--target: '%s' is not a /participants column; did you mean %s?", name, hint);
    ef_store_close(s);
    return rc;
}

static int parse_size(const char *s, double *w, double *h, ef_error *err)
{
    char *end;

    *w = ef_strtod(s, &end);
    if (end == s || *end != ',')
        return ef_cmd_usage(err, "--size takes W,H in inches (e.g. 3.5,3), not '%s'", s);
    s = end + 1;
    *h = ef_strtod(s, &end);
    if (end == s || *end || !(*w > 0.5 && *w <= 100 && *h > 0.5 && *h <= 100))
        return ef_cmd_usage(err, "--size takes W,H in inches between 0.5 and 100 (e.g. 3.5,3), not '%s'", s);
    return EF_OK;
}

/* ---- the entries --------------------------------------------------------------------- */

enum { NEED_TARGET = 1, NEED_FEATURES = 2, NEED_MODEL = 4, NEED_EID = 8 };

static int make_kind(int kind, unsigned need, ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *out = ef_args_str(a, "output", NULL), *size = ef_args_str(a, "size", NULL);
    const char *target = ef_args_str(a, "target", NULL), *features = ef_args_str(a, "features", NULL);
    const char *model = ef_args_str(a, "model", NULL), *eid = ef_args_str(a, "eid", NULL);
    const char *split = ef_args_str(a, "split", "test");
    ef_result_key *keys = NULL;
    size_t nk = 0;
    plot_state *st;
    int rc = EF_OK, term;

    *job = NULL;
    if (!out)
        return ef_cmd_usage(err, "give -o FILE.png, FILE.svg or FILE.pdf");
    if ((term = ef_plot_term_of_path(out)) < 0)
        return ef_cmd_usage(err, "-o %s: the figure's name must end in .png, .svg or .pdf", out);
    if (((need & NEED_TARGET) && !target) || ((need & NEED_FEATURES) && !features) || ((need & NEED_MODEL) && !model)
        || ((need & NEED_EID) && !eid))
        return ef_cmd_usage(err, "%s%s%s%s", (need & NEED_EID) ? "give --eid EID" : "give",
                            (need & NEED_TARGET) ? " --target T" : "", (need & NEED_FEATURES) ? " --features F" : "",
                            (need & NEED_MODEL) ? " --model M" : "");
    st = ef_xcalloc(1, sizeof *st);
    st->kind = kind;
    st->o.term = term;
    st->out = ef_xstrdup(out);
    st->o.output = st->out;
    if (size)
        rc = parse_size(size, &st->o.width, &st->o.height, err);
    if (rc == EF_OK && eid) {
        char *end;

        errno = 0;
        st->q.eid = strtoll(eid, &end, 10);
        if (end == eid || *end || errno || st->q.eid <= 0)
            rc = ef_cmd_usage(err, "--eid takes a participant id (a positive whole number), not '%s'", eid);
    }
    if (rc == EF_OK)
        rc = ef_project_load(&st->p, ctx->project_dir, err);
    if (rc == EF_OK && kind != EF_FIG_ECG && kind != EF_FIG_EMBEDDING) {
        rc = ef_result_keys(st->p.store_path, &keys, &nk, err);
        if (rc == EF_ENOTFOUND || (rc == EF_OK && nk == 0))
            rc = ef_error_set_at(err, EF_ENOTFOUND, st->p.store_path, 0, 0,
                                 "no model results in the store: run `ecgfit -C %s train` first", st->p.dir);
    }
    if (rc == EF_OK && target && kind != EF_FIG_EMBEDDING) {
        rc = ef_resolve_result_target_at(st->p.store_path, target, &st->target, err);
        rc = target_typo(st->p.store_path, target, rc, err);
    } else if (rc == EF_OK && target) {
        ef_store *s;

        rc = ef_store_open_read(&s, st->p.store_path, err);
        if (rc == EF_OK) {
            rc = ef_resolve_column(s, NULL, target, "target", &st->target, err);
            ef_store_close(s);
        }
        rc = target_typo(st->p.store_path, target, rc, err);
    }
    if (rc == EF_OK && features)
        rc = check_word(keys, nk, st->target, 0, features, err);
    if (rc == EF_OK && model)
        rc = check_word(keys, nk, (need & NEED_FEATURES) ? st->target : NULL, 1, model, err);
    ef_result_keys_free(keys, nk);
    if (rc != EF_OK) {
        state_free(st);
        return rc;
    }
    st->features = features ? ef_xstrdup(features) : NULL;
    st->model = model ? ef_xstrdup(model) : NULL;
    st->embeddings = ef_args_str(a, "embeddings", NULL) ? ef_xstrdup(ef_args_str(a, "embeddings", NULL)) : NULL;
    st->script_path = ef_args_str(a, "script", NULL) ? ef_xstrdup(ef_args_str(a, "script", NULL)) : NULL;
    st->q = (ef_figure_req){ st->p.store_path, st->p.dir, st->p.ecg_dir, st->target, st->features, st->model,
                             !strcmp(split, "train") ? EF_SPLIT_TRAIN : !strcmp(split, "full") ? EF_SPLIT_FULL
                                                                                              : EF_SPLIT_TEST,
                             st->q.eid, ef_args_given(a, "raw") > 0, st->embeddings };
    *job = ef_job_once("plot", run, st, state_free);
    return EF_OK;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    plot_state *st = ef_job_state(job);

    (void)a;
    (void)err;
    if (rc == EF_OK && st->warnings)
        ef_warn(ctx, "gnuplot: %s", st->warnings);
    if (rc == EF_OK && !ctx->quiet) {
        ef_note(ctx, "wrote %s", st->out);
        if (st->script_path)
            ef_note(ctx, "wrote %s", st->script_path);
    }
    return rc;
}

static int no_kind(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    (void)ctx;
    (void)a;
    *job = NULL;
    return ef_cmd_usage(err, "expected what to plot: scatter, bland-altman, importance, contribution, delta-r2, ecg "
                             "or embedding");
}

const ef_cmd ef_cmd_plot = {
    .name = "plot",
    .summary = "draw a figure through gnuplot (PNG, SVG, PDF)",
    .intro = "plot KIND draws one figure of a paper with gnuplot: the format follows the\n"
             "name given to -o (.png, .svg, .pdf).  When gnuplot is missing or fails, the\n"
             "script with its data is left in FILE.gp beside the figure.\n",
    .outro = "`ecgfit plot scatter --help` (bland-altman, importance ...) shows one kind alone.\n",
    .flags = EF_CMD_GROUP | EF_CMD_PROJECT,
    .make = no_kind,
};

#define ENTRY(var, kname, summ, syn, intr, optv, maker)                                                              \
    const ef_cmd var = { .name = "plot " kname, .summary = summ, .synopsis = syn, .intro = intr, .opts = optv,     \
                         .nopts = sizeof optv / sizeof optv[0], .flags = EF_CMD_PROJECT, .make = maker,             \
                         .finish = finish }

static const ef_opt_spec xy_opts[] = {
    OPT_TARGET, OPT_FEATURES, OPT_MODEL,
    { "split", 0, EF_OPT_CHOICE, "S", "test (default), train, or full (train + test) rows", 0, 0, splits, 0 },
    OPT_OUT, OPT_SCRIPT, OPT_SIZE,
};

static int scatter_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_SCATTER, NEED_TARGET | NEED_FEATURES | NEED_MODEL, c, a, j, e);
}

ENTRY(ef_cmd_plot_scatter, "scatter", "predicted vs measured, with the identity line",
      "[-C DIR] plot scatter --target T --features F --model M [--split S]\n"
      "                 -o FILE.png|svg|pdf [--script FILE.gp] [--size W,H]",
      "plot scatter draws the predicted against the measured values of one stored\n"
      "result with the identity line; the title gives Pearson r with its 95% CI and\n"
      "the MAE of the split (as `report` prints them).\n",
      xy_opts, scatter_make);

static int ba_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_BLAND_ALTMAN, NEED_TARGET | NEED_FEATURES | NEED_MODEL, c, a, j, e);
}

ENTRY(ef_cmd_plot_bland_altman, "bland-altman", "Bland-Altman agreement of one result",
      "[-C DIR] plot bland-altman --target T --features F --model M [--split S]\n"
      "                 -o FILE.png|svg|pdf [--script FILE.gp] [--size W,H]",
      "plot bland-altman draws predicted - measured against their mean, with the\n"
      "bias and the 95% limits of agreement (bias -+ 1.96 SD); r [95% CI] and MAE\n"
      "in the title.\n",
      xy_opts, ba_make);

static const ef_opt_spec imp_opts[] = { OPT_TARGET, OPT_FEATURES, OPT_MODEL, OPT_OUT, OPT_SCRIPT, OPT_SIZE };

static int imp_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_IMPORTANCE, NEED_TARGET | NEED_FEATURES | NEED_MODEL, c, a, j, e);
}

ENTRY(ef_cmd_plot_importance, "importance", "the top 25 features of a fitted model",
      "[-C DIR] plot importance --target T --features F --model M\n"
      "                 -o FILE.png|svg|pdf [--script FILE.gp] [--size W,H]",
      "plot importance ranks the features of a fitted model (|coefficient| per SD for\n"
      "Lasso and ElasticNet, gain for XGBoost) and draws the top 25, clinical and ECG\n"
      "features in two colours.\n",
      imp_opts, imp_make);

static const ef_opt_spec contrib_opts[] = { OPT_TARGET, OPT_MODEL, OPT_OUT, OPT_SCRIPT, OPT_SIZE };

static int contrib_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_CONTRIBUTION, NEED_TARGET | NEED_MODEL, c, a, j, e);
}

ENTRY(ef_cmd_plot_contribution, "contribution", "shares of age, sex, BMI and the ECG, basic vs full",
      "[-C DIR] plot contribution --target T --model M\n"
      "                 -o FILE.png|svg|pdf [--script FILE.gp] [--size W,H]",
      "plot contribution stacks the shares of a model's total importance that age,\n"
      "sex, BMI and the ECG embedding take, for the basic and the full feature set of\n"
      "one target (both must be trained), with each model's test R2.\n",
      contrib_opts, contrib_make);

static const ef_opt_spec delta_opts[] = { OPT_MODEL, OPT_OUT, OPT_SCRIPT, OPT_SIZE };

static int delta_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_DELTA_R2, NEED_MODEL, c, a, j, e);
}

ENTRY(ef_cmd_plot_delta_r2, "delta-r2", "incremental R2 basic -> full across targets",
      "[-C DIR] plot delta-r2 --model M -o FILE.png|svg|pdf [--script FILE.gp]\n"
      "                 [--size W,H]",
      "plot delta-r2 draws, for every target trained with both the basic and the full\n"
      "feature set, the test R2 of each and the paired difference full - basic with\n"
      "its bootstrap 95% CI (as `report --compare`).\n",
      delta_opts, delta_make);

static const ef_opt_spec ecg_opts[] = {
    { "eid", 0, EF_OPT_STRING, "EID", "the participant", 0, 0, NULL, 0 },
    { "raw", 0, EF_OPT_FLAG, NULL, "the ECG as its XML file holds it (500 Hz), not the\npreprocessed /ecg", 0, 0, NULL,
      0 },
    OPT_OUT, OPT_SCRIPT, OPT_SIZE,
};

static int ecg_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_ECG, NEED_EID, c, a, j, e);
}

ENTRY(ef_cmd_plot_ecg, "ecg", "one 12-lead ECG on ECG paper",
      "[-C DIR] plot ecg --eid EID [--raw] -o FILE.png|svg|pdf [--script FILE.gp]\n"
      "                 [--size W,H]",
      "plot ecg draws a participant's ECG as printed: the 3 x 4 layout (I, aVR, V1, V4\n"
      "/ II, aVL, V2, V5 / III, aVF, V3, V6; 2.5 s each) and a 10 s lead II rhythm\n"
      "strip, at 25 mm/s and 10 mm/mV on a 1 mm grid.  The default size prints the\n"
      "paper at true scale.  By default the preprocessed ECG of the store; --raw reads\n"
      "the XML file in the project's ECG folder.\n",
      ecg_opts, ecg_make);

static const ef_opt_spec emb_opts[] = {
    OPT_TARGET,
    { "embeddings", 0, EF_OPT_STRING, "NAME", "which embeddings (default: the store's only ones)", 0, 0, NULL, 0 },
    OPT_OUT, OPT_SCRIPT, OPT_SIZE,
};

static int emb_make(ef_cmd_ctx *c, const ef_cmd_args *a, ef_job **j, ef_error *e)
{
    return make_kind(EF_FIG_EMBEDDING, NEED_TARGET, c, a, j, e);
}

ENTRY(ef_cmd_plot_embedding, "embedding", "2-D PCA map of the embeddings, coloured by a target",
      "[-C DIR] plot embedding --target T [--embeddings NAME]\n"
      "                 -o FILE.png|svg|pdf [--script FILE.gp] [--size W,H]",
      "plot embedding projects every participant's embedding on its first two\n"
      "principal components and colours it by the target (grey: unknown).\n",
      emb_opts, emb_make);
