/* ef_cmdline.c — see ef_cmdline.h. */
#include "config.h"
#include "cmd/ef_cmdline.h"
#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- splitting ------------------------------------------------------------ */

typedef struct words {
    char **w;
    int n;
} words;

static void words_push(words *ws, const char *s, size_t len)
{
    ws->w = ef_xreallocarray(ws->w, (size_t)ws->n + 2, sizeof *ws->w);
    ws->w[ws->n++] = ef_xstrndup(s, len);
    ws->w[ws->n] = NULL;
}

/* Scan line[0..end) into words.  *open_quote gets the quote character
 * left open at the end (0: none); *last_start the byte offset where the
 * last word began (end when the line ends in a blank or is empty). */
static void scan(const char *line, size_t end, words *ws, char *open_quote, size_t *last_start)
{
    char *buf = ef_xmalloc(end + 1);
    size_t i = 0, len = 0;
    int in_word = 0;
    char q = 0;

    *last_start = end;
    while (i < end) {
        char c = line[i];

        if (q == '\'') {
            if (c == '\'')
                q = 0;
            else
                buf[len++] = c;
            i++;
        } else if (q == '"') {
            if (c == '"') {
                q = 0;
            } else if (c == '\\' && i + 1 < end && strchr("\"\\$`", line[i + 1])) {
                buf[len++] = line[++i];
            } else {
                buf[len++] = c;
            }
            i++;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) {
                words_push(ws, buf, len);
                len = 0;
                in_word = 0;
            }
            i++;
        } else {
            if (!in_word) {
                in_word = 1;
                *last_start = i;
            }
            if (c == '\'' || c == '"')
                q = c;
            else if (c == '\\' && i + 1 < end)
                buf[len++] = line[++i];
            else
                buf[len++] = c;
            i++;
        }
    }
    if (in_word) {
        words_push(ws, buf, len);
    } else {
        *last_start = end;
    }
    *open_quote = q;
    free(buf);
}

int ef_cmdline_split(const char *line, int *argc, char ***argv, ef_error *err)
{
    words ws = { NULL, 0 };
    char q;
    size_t last;

    *argc = 0;
    *argv = NULL;
    scan(line, strlen(line), &ws, &q, &last);
    if (q) {
        ef_cmdline_free(ws.n, ws.w);
        return ef_cmd_usage(err, "unterminated %s quote", q == '"' ? "double" : "single");
    }
    if (ws.n && strcmp(ws.w[0], "ecgfit") == 0) {
        free(ws.w[0]);
        memmove(ws.w, ws.w + 1, (size_t)ws.n * sizeof *ws.w);   /* with the NULL */
        ws.n--;
    }
    if (!ws.w) {
        ws.w = ef_xcalloc(1, sizeof *ws.w);
    }
    *argc = ws.n;
    *argv = ws.w;
    return EF_OK;
}

void ef_cmdline_free(int argc, char **argv)
{
    for (int i = 0; argv && i < argc; i++)
        free(argv[i]);
    free(argv);
}

/* ---- completion ----------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add prefix + s when s starts with want. */
static void offer(ef_completion *c, const char *prefix, const char *s, const char *want)
{
    char *full = ef_xasprintf("%s%s", prefix, s);

    if (strncmp(full, want, strlen(want)) != 0) {
        free(full);
        return;
    }
    c->cand = ef_xreallocarray(c->cand, c->n + 1, sizeof *c->cand);
    c->cand[c->n++] = full;
}

static void finish(ef_completion *c)
{
    size_t i, k = 0;

    if (!c->n)
        return;
    qsort(c->cand, c->n, sizeof *c->cand, cmp_str);
    for (i = 0; i < c->n; i++) {
        if (k && strcmp(c->cand[k - 1], c->cand[i]) == 0)
            free(c->cand[i]);
        else
            c->cand[k++] = c->cand[i];
    }
    c->n = k;
}

static const ef_opt_spec *find_opt(const ef_cmd *cmd, const char *word)
{
    if (!cmd || word[0] != '-')
        return NULL;
    for (size_t k = 0; k < cmd->nopts; k++) {
        const ef_opt_spec *o = &cmd->opts[k];

        if (word[1] == '-' && strcmp(word + 2, o->name) == 0)
            return o;
        if (word[1] && word[1] == o->short_name && !word[2])
            return o;
    }
    return NULL;
}

/* Value candidates of o for the text v typed so far (after "--x=" when
 * prefix is that). */
static void offer_values(ef_completion *c, const ef_opt_spec *o, const char *prefix, const char *v)
{
    char want[512];

    if (!o->choices || (o->type != EF_OPT_CHOICE && o->type != EF_OPT_LIST))
        return;
    if (o->type == EF_OPT_LIST) {
        const char *comma = strrchr(v, ',');
        char head[512];

        /* complete the last word of the list; the words before it stay */
        snprintf(head, sizeof head, "%s%.*s", prefix, comma ? (int)(comma - v + 1) : 0, v);
        snprintf(want, sizeof want, "%s%s", prefix, v);
        for (size_t i = 0; o->choices[i]; i++)
            offer(c, head, o->choices[i], want);
        return;
    }
    snprintf(want, sizeof want, "%s%s", prefix, v);
    for (size_t i = 0; o->choices[i]; i++)
        offer(c, prefix, o->choices[i], want);
}

static const char *const global_long[] = { "--help", "--quiet", "--wait", NULL };

void ef_cmdline_complete(const char *line, size_t cursor, ef_completion *out)
{
    words ws = { NULL, 0 };
    char q, cmdname[128] = "";
    size_t last, i;
    int k = 0, cur;
    const char *word;
    const ef_cmd *cmd = NULL;

    memset(out, 0, sizeof *out);
    if (cursor > strlen(line))
        cursor = strlen(line);
    scan(line, cursor, &ws, &q, &last);
    out->start = last;
    /* the word being completed: the last one unless the line ends in a blank */
    cur = last == cursor ? ws.n : ws.n - 1;
    word = cur < ws.n ? ws.w[cur] : "";
    if (q || (cur < ws.n && strpbrk(line + last, "'\"\\"))) {
        ef_cmdline_free(ws.n, ws.w);
        return;   /* quoted words are left alone: the text is not the word */
    }
    if (ws.n && strcmp(ws.w[0], "ecgfit") == 0)
        k = 1;
    /* global options before the command */
    while (k < cur && ws.w[k][0] == '-') {
        if (strcmp(ws.w[k], "-C") == 0)
            k++;
        k++;
    }
    if (k >= cur) {
        if (word[0] == '-') {
            offer(out, "", "-C", word);
            for (i = 0; global_long[i]; i++)
                offer(out, "", global_long[i], word);
        } else if (k == cur) {
            for (i = 0; i < ef_cmd_count(); i++) {
                const char *n = ef_cmd_at(i)->name, *sp = strchr(n, ' ');
                char first[64];

                snprintf(first, sizeof first, "%.*s", sp ? (int)(sp - n) : (int)strlen(n), n);
                offer(out, "", first, word);
            }
        }
        goto done;
    }
    snprintf(cmdname, sizeof cmdname, "%s", ws.w[k]);
    cmd = ef_cmd_find(cmdname);
    if (cmd && (cmd->flags & EF_CMD_GROUP)) {
        /* the subject: the first later word that is not an option */
        int subj = 0;

        for (int j = k + 1; j < cur; j++)
            if (ws.w[j][0] != '-') {
                char full[256];

                snprintf(full, sizeof full, "%s %s", cmdname, ws.w[j]);
                if (ef_cmd_find(full)) {
                    cmd = ef_cmd_find(full);
                    subj = 1;
                }
                break;
            }
        if (!subj && word[0] != '-') {
            size_t gl = strlen(cmdname);

            for (i = 0; i < ef_cmd_count(); i++) {
                const char *n = ef_cmd_at(i)->name;

                if (strncmp(n, cmdname, gl) == 0 && n[gl] == ' ')
                    offer(out, "", n + gl + 1, word);
            }
            goto done;
        }
    }
    if (!cmd)
        goto done;
    /* the value of the option before the cursor's word */
    if (cur - 1 > k && word[0] != '-') {
        const ef_opt_spec *o = find_opt(cmd, ws.w[cur - 1]);

        if (o && o->type != EF_OPT_FLAG && !(o->flags & EF_OPT_OPTIONAL_VALUE)) {
            offer_values(out, o, "", word);
            goto done;
        }
    }
    if (word[0] == '-') {
        const char *eq = strchr(word, '=');

        if (eq && word[1] == '-') {
            char name[128];
            const ef_opt_spec *o;

            snprintf(name, sizeof name, "%.*s", (int)(eq - word), word);
            o = find_opt(cmd, name);
            if (o) {
                char prefix[160];

                snprintf(prefix, sizeof prefix, "%s=", name);
                offer_values(out, o, prefix, eq + 1);
            }
            goto done;
        }
        for (i = 0; i < cmd->nopts; i++) {
            char full[128];

            if (cmd->opts[i].flags & EF_OPT_HIDDEN)
                continue;
            snprintf(full, sizeof full, "--%s", cmd->opts[i].name);
            offer(out, "", full, word);
        }
        for (i = 0; global_long[i]; i++)
            offer(out, "", global_long[i], word);
    }
done:
    finish(out);
    ef_cmdline_free(ws.n, ws.w);
}

size_t ef_completion_common(const ef_completion *c)
{
    size_t len;

    if (!c->n)
        return 0;
    len = strlen(c->cand[0]);
    for (size_t i = 1; i < c->n; i++) {
        size_t j = 0;

        while (j < len && c->cand[i][j] == c->cand[0][j])
            j++;
        len = j;
    }
    return len;
}

void ef_completion_fini(ef_completion *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->cand[i]);
    free(c->cand);
    memset(c, 0, sizeof *c);
}
