/* ef_cmd.c — parsing, help and output of the command table (see ef_cmd.h). */
#include "config.h"
#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "core/ef_str.h"
#include "stats/ef_table.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------------- */

int ef_cmd_usage(ef_error *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return EF_EUSAGE;
    ef_error_clear(err);
    err->code = EF_EUSAGE;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return EF_EUSAGE;
}

/* " or " list of choices: "text, md, latex or csv". */
static void choices_text(const char *const *c, char *buf, size_t size)
{
    size_t n = 0, len = 0, i;

    while (c[n])
        n++;
    buf[0] = '\0';
    for (i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", c[i]);
}

static size_t count(const char *const *c)
{
    size_t n = 0;

    while (c && c[n])
        n++;
    return n;
}

/* ---- values ---------------------------------------------------------------- */

static int parse_value(const ef_opt_spec *o, const char *text, ef_cmd_val *v, ef_error *err)
{
    char list[400];
    const char *hint;
    size_t i, n;

    switch (o->type) {
    case EF_OPT_INT: {
        char *end;
        long x;

        errno = 0;
        x = strtol(text, &end, 10);
        if (end == text || *end || errno == ERANGE || x < (long)o->min || x > (long)o->max)
            return ef_cmd_usage(err, "--%s must be a whole number from %ld to %ld, not '%s'", o->name, (long)o->min,
                                (long)o->max, text);
        v->num = x;
        break;
    }
    case EF_OPT_DOUBLE: {
        char *end;
        double x = ef_strtod(text, &end);

        if (end == text || *end || !isfinite(x) || x < o->min || x > o->max)
            return ef_cmd_usage(err, "--%s must be a number from %g to %g, not '%s'", o->name, o->min, o->max,
                                text);
        v->real = x;
        break;
    }
    case EF_OPT_CHOICE:
        n = count(o->choices);
        for (i = 0; i < n; i++)
            if (strcmp(o->choices[i], text) == 0)
                break;
        if (i == n) {
            choices_text(o->choices, list, sizeof list);
            hint = ef_suggest(text, o->choices, n);
            return ef_cmd_usage(err, "--%s must be %s, not '%s'%s%s%s", o->name, list, text,
                                hint ? "; did you mean " : "", hint ? hint : "", hint ? "?" : "");
        }
        break;
    case EF_OPT_LIST: {
        char *copy = ef_xstrdup(text), *p, *save = NULL;

        for (i = 0; i < v->nlist; i++)
            free(v->list[i]);
        free(v->list);
        v->list = NULL;
        v->nlist = 0;
        for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
            n = count(o->choices);
            if (o->choices) {
                for (i = 0; i < n; i++)
                    if (strcmp(o->choices[i], p) == 0)
                        break;
                if (i == n) {
                    choices_text(o->choices, list, sizeof list);
                    hint = ef_suggest(p, o->choices, n);
                    ef_cmd_usage(err, "--%s must be %s, not '%s'%s%s%s", o->name, list, p,
                                 hint ? "; did you mean " : "", hint ? hint : "", hint ? "?" : "");
                    free(copy);
                    return EF_EUSAGE;
                }
            }
            v->list = ef_xreallocarray(v->list, v->nlist + 1, sizeof *v->list);
            v->list[v->nlist++] = ef_xstrdup(p);
        }
        free(copy);
        if (!v->nlist)
            return ef_cmd_usage(err, "--%s needs at least one value", o->name);
        break;
    }
    default:
        break;
    }
    v->str = text;
    return EF_OK;
}

/* Would text be accepted as the value of an optional-value option? */
static int value_ok(const ef_opt_spec *o, const char *text)
{
    ef_cmd_val v;
    int ok;

    if (text[0] == '-' && o->type != EF_OPT_INT && o->type != EF_OPT_DOUBLE)
        return 0;
    memset(&v, 0, sizeof v);
    ok = parse_value(o, text, &v, NULL) == EF_OK;
    for (size_t i = 0; i < v.nlist; i++)
        free(v.list[i]);
    free(v.list);
    return ok;
}

/* ---- parsing --------------------------------------------------------------- */

/* The long option name matches: exactly, else as the one unambiguous
 * prefix (getopt_long's rule, which scripts may rely on). */
static int find_long(const ef_cmd *cmd, const char *name, size_t len, size_t *idx, ef_error *err)
{
    size_t i, hits = 0, hit = 0;

    for (i = 0; i < cmd->nopts; i++) {
        if (strlen(cmd->opts[i].name) == len && strncmp(cmd->opts[i].name, name, len) == 0) {
            *idx = i;
            return EF_OK;
        }
        if (strncmp(cmd->opts[i].name, name, len) == 0) {
            hits++;
            hit = i;
        }
    }
    if (hits == 1) {
        *idx = hit;
        return EF_OK;
    }
    {
        char word[128];
        const char **names = ef_xcalloc(cmd->nopts + 1, sizeof *names);
        const char *hint;

        snprintf(word, sizeof word, "%.*s", (int)len, name);
        for (i = 0; i < cmd->nopts; i++)
            names[i] = cmd->opts[i].name;
        hint = hits ? NULL : ef_suggest(word, names, cmd->nopts);
        if (hits)
            ef_cmd_usage(err, "option '--%s' is ambiguous", word);
        else
            ef_cmd_usage(err, "unknown option '--%s'%s%s%s", word, hint ? "; did you mean --" : "",
                         hint ? hint : "", hint ? "?" : "");
        free(names);
    }
    return EF_EUSAGE;
}

static int find_short(const ef_cmd *cmd, char c, size_t *idx)
{
    for (size_t i = 0; i < cmd->nopts; i++)
        if (cmd->opts[i].short_name == c) {
            *idx = i;
            return 1;
        }
    return 0;
}

/* Options every command also takes after its name (the CLI's globals). */
static int global_option(ef_cmd_args *a, int argc, char **argv, int *i)
{
    const char *w = argv[*i];

    if (!strcmp(w, "-q") || !strcmp(w, "--quiet"))
        return a->g_quiet = 1;
    if (!strcmp(w, "--wait"))
        return a->g_wait = 1;
    if (!strcmp(w, "-h") || !strcmp(w, "--help"))
        return a->g_help = 1;
    if (!strcmp(w, "-C") && *i + 1 < argc) {
        a->g_project = argv[++*i];
        return 1;
    }
    if (!strncmp(w, "-C", 2) && w[2]) {
        a->g_project = w + 2;
        return 1;
    }
    return 0;
}

static int take(const ef_opt_spec *o, ef_cmd_val *v, const char *text, ef_error *err)
{
    v->given++;
    if (o->type == EF_OPT_FLAG)
        return EF_OK;
    return parse_value(o, text, v, err);
}

int ef_cmd_parse(const ef_cmd *cmd, int argc, char **argv, ef_cmd_args *a, ef_error *err)
{
    int i, rc = EF_OK, only_pos = 0;

    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->val = ef_xcalloc(cmd->nopts ? cmd->nopts : 1, sizeof *a->val);
    a->pos = ef_xcalloc((size_t)argc + 1, sizeof *a->pos);
    for (i = 0; rc == EF_OK && i < argc; i++) {
        const char *w = argv[i];
        const ef_opt_spec *o;
        size_t k;

        if (only_pos || w[0] != '-' || !w[1]) {
            a->pos[a->npos++] = argv[i];
            continue;
        }
        if (!strcmp(w, "--")) {
            only_pos = 1;
            continue;
        }
        if (global_option(a, argc, argv, &i))
            continue;
        if (w[1] == '-') {
            const char *eq = strchr(w + 2, '=');
            size_t len = eq ? (size_t)(eq - (w + 2)) : strlen(w + 2);

            if ((rc = find_long(cmd, w + 2, len, &k, err)) != EF_OK)
                break;
            o = &cmd->opts[k];
            if (o->type == EF_OPT_FLAG) {
                if (eq)
                    rc = ef_cmd_usage(err, "--%s takes no value", o->name);
                else
                    rc = take(o, &a->val[k], NULL, err);
            } else if (eq) {
                rc = take(o, &a->val[k], eq + 1, err);
            } else if (o->flags & EF_OPT_OPTIONAL_VALUE) {
                if (i + 1 < argc && value_ok(o, argv[i + 1]))
                    rc = take(o, &a->val[k], argv[++i], err);
                else
                    a->val[k].given++;
            } else if (i + 1 < argc) {
                rc = take(o, &a->val[k], argv[++i], err);
            } else {
                rc = ef_cmd_usage(err, "--%s needs a value (%s)", o->name, o->arg ? o->arg : "a value");
            }
            continue;
        }
        /* short options, possibly bundled: -qj2, -o FILE */
        for (const char *c = w + 1; rc == EF_OK && *c; c++) {
            if (!find_short(cmd, *c, &k)) {
                if (*c == 'q') {
                    a->g_quiet = 1;
                    continue;
                }
                if (*c == 'h') {
                    a->g_help = 1;
                    continue;
                }
                rc = ef_cmd_usage(err, "unknown option '-%c'", *c);
                break;
            }
            o = &cmd->opts[k];
            if (o->type == EF_OPT_FLAG) {
                rc = take(o, &a->val[k], NULL, err);
                continue;
            }
            if (c[1])
                rc = take(o, &a->val[k], c + 1, err);
            else if (i + 1 < argc)
                rc = take(o, &a->val[k], argv[++i], err);
            else
                rc = ef_cmd_usage(err, "-%c needs a value (%s)", *c, o->arg ? o->arg : "a value");
            break;
        }
    }
    if (rc == EF_OK && !a->g_help && a->npos > cmd->npos_max)
        rc = ef_cmd_usage(err, "unexpected argument '%s'", a->pos[cmd->npos_max]);
    if (rc != EF_OK)
        ef_cmd_args_fini(a);
    return rc;
}

void ef_cmd_args_fini(ef_cmd_args *a)
{
    if (!a || !a->cmd)
        return;
    for (size_t i = 0; a->val && i < a->cmd->nopts; i++) {
        for (size_t j = 0; j < a->val[i].nlist; j++)
            free(a->val[i].list[j]);
        free(a->val[i].list);
    }
    free(a->val);
    free(a->pos);
    memset(a, 0, sizeof *a);
}

const ef_cmd_val *ef_args_get(const ef_cmd_args *a, const char *name)
{
    for (size_t i = 0; i < a->cmd->nopts; i++)
        if (strcmp(a->cmd->opts[i].name, name) == 0)
            return &a->val[i];
    return NULL;   /* a spelling mistake in the command's own code */
}

int ef_args_given(const ef_cmd_args *a, const char *name)
{
    const ef_cmd_val *v = ef_args_get(a, name);

    return v ? v->given : 0;
}

const char *ef_args_str(const ef_cmd_args *a, const char *name, const char *def)
{
    const ef_cmd_val *v = ef_args_get(a, name);

    return v && v->str ? v->str : def;
}

long ef_args_long(const ef_cmd_args *a, const char *name, long def)
{
    const ef_cmd_val *v = ef_args_get(a, name);

    return v && v->str ? v->num : def;
}

double ef_args_double(const ef_cmd_args *a, const char *name, double def)
{
    const ef_cmd_val *v = ef_args_get(a, name);

    return v && v->str ? v->real : def;
}

char *const *ef_args_list(const ef_cmd_args *a, const char *name, size_t *n)
{
    const ef_cmd_val *v = ef_args_get(a, name);

    *n = v ? v->nlist : 0;
    return v ? v->list : NULL;
}

/* ---- help ------------------------------------------------------------------ */

#define HELP_COL 23

/* The option lines of cmd's --help. */
static void help_options(ef_strbuf *b, const ef_cmd *cmd)
{
    for (size_t i = 0; i < cmd->nopts; i++) {
        const ef_opt_spec *o = &cmd->opts[i];
        char left[96];
        const char *h = o->help, *nl;
        int n;

        if (o->flags & EF_OPT_HIDDEN)
            continue;
        {
            char flag[8] = "";
            int value = o->type != EF_OPT_FLAG, optional = value && (o->flags & EF_OPT_OPTIONAL_VALUE);

            if (o->short_name)
                snprintf(flag, sizeof flag, "-%c, ", o->short_name);
            n = snprintf(left, sizeof left, "  %s--%s%s%s%s", flag, o->name, !value ? "" : optional ? "[=" : " ",
                         value ? (o->arg ? o->arg : "X") : "", optional ? "]" : "");
        }
        if (n > HELP_COL - 1)   /* at least one space before the text */
            ef_strbuf_printf(b, "%s\n%*s", left, HELP_COL, "");
        else
            ef_strbuf_printf(b, "%-*s", HELP_COL, left);
        while ((nl = strchr(h, '\n'))) {
            ef_strbuf_printf(b, "%.*s\n%*s", (int)(nl - h), h, HELP_COL, "");
            h = nl + 1;
        }
        ef_strbuf_printf(b, "%s\n", h);
    }
}

/* The entries "GROUP SUBJECT" of a group, in table order. */
static const ef_cmd *group_member(const ef_cmd *group, size_t *i)
{
    size_t glen = strlen(group->name);

    for (; *i < ef_cmd_count(); ++*i) {
        const ef_cmd *c = ef_cmd_at(*i);

        if (strncmp(c->name, group->name, glen) == 0 && c->name[glen] == ' ') {
            ++*i;
            return c;
        }
    }
    return NULL;
}

/* A group's help: the usage of each sub-command, then a section for each,
 * its intro and options, so that `export --help` tells the whole command. */
static void group_help(ef_strbuf *b, const ef_cmd *cmd)
{
    const ef_cmd *c;
    size_t i = 0;
    int first = 1;

    if (cmd->synopsis) {
        ef_strbuf_printf(b, "Usage: ecgfit %s\n", cmd->synopsis);
    } else {
        while ((c = group_member(cmd, &i))) {
            ef_strbuf_printf(b, "%s ecgfit %s\n", first ? "Usage:" : "      ", c->synopsis);
            first = 0;
        }
    }
    ef_strbuf_printf(b, "\n%s\n", cmd->summary);
    if (cmd->intro && cmd->intro[0])
        ef_strbuf_printf(b, "\n%s", cmd->intro);
    for (i = 0; (c = group_member(cmd, &i));) {
        if (c->intro && c->intro[0])
            ef_strbuf_printf(b, "\n%s", c->intro);
        else
            ef_strbuf_printf(b, "\n%s: %s\n", c->name, c->summary);
        help_options(b, c);
        if (c->outro && c->outro[0])
            ef_strbuf_printf(b, "%s", c->outro);
    }
    if (cmd->outro && cmd->outro[0])
        ef_strbuf_printf(b, "\n%s", cmd->outro);
}

char *ef_cmd_help(const ef_cmd *cmd)
{
    ef_strbuf b = { 0 };
    size_t i, shown = 0;

    if (cmd->flags & EF_CMD_GROUP) {
        group_help(&b, cmd);
        return b.s ? b.s : ef_xstrdup("");
    }
    ef_strbuf_printf(&b, "Usage: ecgfit %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->intro && cmd->intro[0])
        ef_strbuf_printf(&b, "\n%s", cmd->intro);
    for (i = 0; i < cmd->nopts; i++)
        shown += !(cmd->opts[i].flags & EF_OPT_HIDDEN);
    if (shown)
        ef_strbuf_printf(&b, "\nOptions:\n");
    help_options(&b, cmd);
    if (cmd->outro && cmd->outro[0])
        ef_strbuf_printf(&b, "\n%s", cmd->outro);
    if (!b.s)
        b.s = ef_xstrdup("");
    return b.s;
}

/* ---- output ---------------------------------------------------------------- */

static void vemit(const ef_cmd_ctx *ctx, int kind, const char *fmt, va_list ap)
{
    char small[1024], *text = small;
    va_list ap2;
    int n;

    if (!ctx || !ctx->sink || !ctx->sink->emit)
        return;
    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small) {
        text = ef_xmalloc((size_t)n + 1);
        vsnprintf(text, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    ctx->sink->emit(ctx->sink->user, kind, text);
    if (text != small)
        free(text);
}

void ef_out(const ef_cmd_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vemit(ctx, EF_OUT_TEXT, fmt, ap);
    va_end(ap);
}

void ef_out_table(const ef_cmd_ctx *ctx, const ef_table *t, int format, int wide, const char *hint)
{
    ef_table_render_opts o = { format, 0, wide, hint };
    char *text;

    if (!ctx || !ctx->sink || !t)
        return;
    if (ctx->sink->table) {
        ctx->sink->table(ctx->sink->user, t, format, wide, hint);
        return;
    }
    text = ef_table_render_str(t, &o);
    if (text && ctx->sink->emit)
        ctx->sink->emit(ctx->sink->user, EF_OUT_TEXT, text);
    free(text);
}

void ef_note(const ef_cmd_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vemit(ctx, EF_OUT_NOTE, fmt, ap);
    va_end(ap);
}

void ef_warn(const ef_cmd_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vemit(ctx, EF_OUT_WARN, fmt, ap);
    va_end(ap);
}

/* ---- output made on a worker thread -------------------------------------------- */

void ef_outlog_add(ef_outlog *log, int kind, const char *fmt, ...)
{
    va_list ap;
    char *text;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    text = ef_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    log->e = ef_xreallocarray(log->e, log->n + 1, sizeof *log->e);
    log->e[log->n].kind = kind;
    log->e[log->n++].text = text;
}

void ef_outlog_flush(const ef_cmd_ctx *ctx, ef_outlog *log)
{
    for (size_t i = 0; i < log->n; i++)
        if (ctx && ctx->sink && ctx->sink->emit)
            ctx->sink->emit(ctx->sink->user, log->e[i].kind, log->e[i].text);
    ef_outlog_fini(log);
}

void ef_outlog_fini(ef_outlog *log)
{
    for (size_t i = 0; i < log->n; i++)
        free(log->e[i].text);
    free(log->e);
    log->e = NULL;
    log->n = 0;
}
