/* ef_project.c — the project config, <dir>/ecgfit.ini (see ef_project.h). */
#include "config.h"
#include "store/ef_project.h"
#include "core/ef_alloc.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The keys of [project]; all of them are paths. */
static const struct key {
    const char *name;
    size_t off;   /* of the char * in ef_project */
} keys[] = {
    { "main_csv", offsetof(ef_project, main_csv) },
    { "ecg_dir", offsetof(ef_project, ecg_dir) },
    { "encoder", offsetof(ef_project, encoder) },
    { "fields_file", offsetof(ef_project, fields_file) },
};
#define NKEYS (sizeof keys / sizeof keys[0])
#define SECTION "project"

static const struct key *find_key(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/* ------------------------------------------------------------------ paths */

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a);

    if (b[0] == '/' || la == 0)
        return ef_xstrdup(b);
    return ef_xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

/* Split path into its non-empty, non-"." components (in place in a copy
 * that *buf owns). */
static size_t split(const char *path, char **buf, char ***comps)
{
    size_t n = 0, cap = 8;
    char *save = NULL, *tok;

    *buf = ef_xstrdup(path);
    *comps = ef_xreallocarray(NULL, cap, sizeof **comps);
    for (tok = strtok_r(*buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (n == cap) {
            cap *= 2;
            *comps = ef_xreallocarray(*comps, cap, sizeof **comps);
        }
        (*comps)[n++] = tok;
    }
    return n;
}

static char *unsplit(int absolute, char **comps, size_t n)
{
    size_t len = 2, i, o = 0;
    char *s;

    for (i = 0; i < n; i++)
        len += strlen(comps[i]) + 1;
    s = ef_xmalloc(len);
    if (absolute)
        s[o++] = '/';
    for (i = 0; i < n; i++) {
        size_t l = strlen(comps[i]);

        if (i > 0)
            s[o++] = '/';
        memcpy(s + o, comps[i], l);
        o += l;
    }
    if (o == 0)
        s[o++] = '.';
    s[o] = '\0';
    return s;
}

/* Drop "." and empty components and fold "x/.." where x is not a symbolic
 * link (folding across a link would change which file the path names). */
static char *clean(const char *path)
{
    char *buf, **comps, *out;
    size_t n = split(path, &buf, &comps), k = 0, i;
    int absolute = path[0] == '/';

    for (i = 0; i < n; i++) {
        if (strcmp(comps[i], "..") == 0) {
            if (k > 0 && strcmp(comps[k - 1], "..") != 0) {
                char *prefix = unsplit(absolute, comps, k);
                struct stat st;
                int link = lstat(prefix, &st) == 0 && S_ISLNK(st.st_mode);

                free(prefix);
                if (!link) {
                    k--;
                    continue;
                }
            } else if (k == 0 && absolute) {
                continue;   /* "/.." is "/" */
            }
        }
        comps[k++] = comps[i];
    }
    out = unsplit(absolute, comps, k);
    free(comps);
    free(buf);
    return out;
}

/* The physical absolute path of abs (which need not exist): realpath of its
 * longest existing prefix, then the rest lexically. */
static char *physical(const char *abs)
{
    char *r = realpath(abs, NULL), *parent, *out, *slash, *base;

    if (r)
        return r;
    parent = ef_xstrdup(abs);
    while ((slash = strrchr(parent, '/')) && slash[1] == '\0' && slash != parent)
        *slash = '\0';   /* trailing slashes */
    slash = strrchr(parent, '/');
    if (!slash || slash == parent) {
        if (!slash) {
            free(parent);
            return ef_xstrdup(abs);
        }
        base = ef_xstrdup(slash + 1);
        parent[1] = '\0';
    } else {
        base = ef_xstrdup(slash + 1);
        *slash = '\0';
    }
    r = physical(parent);
    if (strcmp(base, "..") == 0) {
        char *s = strrchr(r, '/');

        if (s && s != r)
            *s = '\0';
        else
            r[1] = '\0';
        out = ef_xstrdup(r);
    } else if (base[0] == '\0' || strcmp(base, ".") == 0) {
        out = ef_xstrdup(r);
    } else {
        out = join(r, base);
    }
    free(r);
    free(parent);
    free(base);
    return out;
}

char *ef_project_relpath(const char *dir, const char *target)
{
    char cwd[PATH_MAX];
    char *a, *d, *tmp, *abuf, *dbuf, **ac, **dc, **out, *res;
    size_t na, nd, common = 0, k = 0, i;
    int trel = target[0] != '/', drel = dir[0] != '/';

    if (!target[0])
        return ef_xstrdup("");
    if ((trel || drel) && !getcwd(cwd, sizeof cwd))
        return trel ? ef_xstrdup(target) : clean(target);
    tmp = trel ? join(cwd, target) : ef_xstrdup(target);
    a = physical(tmp);
    free(tmp);
    tmp = drel ? join(cwd, dir) : ef_xstrdup(dir);
    d = physical(tmp);
    free(tmp);
    na = split(a, &abuf, &ac);
    nd = split(d, &dbuf, &dc);
    while (common < na && common < nd && strcmp(ac[common], dc[common]) == 0)
        common++;
    if (common == 0 && !(trel && drel)) {
        /* Nothing in common but the root: keep the path absolute, as the
         * user wrote it when they wrote an absolute one. */
        res = trel ? ef_xstrdup(a) : clean(target);
    } else {
        out = ef_xreallocarray(NULL, (nd - common) + (na - common) + 1, sizeof *out);
        for (i = common; i < nd; i++)
            out[k++] = (char *)"..";
        for (i = common; i < na; i++)
            out[k++] = ac[i];
        res = unsplit(0, out, k);
        free(out);
    }
    free(ac);
    free(dc);
    free(abuf);
    free(dbuf);
    free(a);
    free(d);
    return res;
}

/* Where a stored value points, seen from the current directory. */
static char *resolve(const char *dir, const char *stored)
{
    char *j, *r;

    if (stored[0] == '/')
        return clean(stored);
    j = join(dir, stored);
    r = clean(j);
    free(j);
    return r;
}

static int mkdir_p(const char *dir, ef_error *err)
{
    char *buf = ef_xstrdup(dir);
    size_t len = strlen(buf), i;
    struct stat st;
    int rc = EF_OK;

    for (i = 1; i <= len && rc == EF_OK; i++) {
        char saved = buf[i];

        if (saved != '/' && saved != '\0')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            rc = ef_error_set_at(err, EF_EIO, buf, 0, 0, "cannot create directory: %s",
                                 strerror(errno));
        else if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
            rc = ef_error_set_at(err, EF_EIO, buf, 0, 0, "exists and is not a directory");
        buf[i] = saved;
    }
    free(buf);
    return rc;
}

/* ------------------------------------------------------------ file text */

static int write_atomic(const char *path, const char *text, ef_error *err)
{
    char *tmp = ef_xasprintf("%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int rc = EF_OK;

    if (!f) {
        rc = ef_error_set_at(err, EF_EIO, tmp, 0, 0, "cannot create: %s", strerror(errno));
        free(tmp);
        return rc;
    }
    if (fputs(text, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = ef_error_set_at(err, EF_EIO, tmp, 0, 0, "write: %s", strerror(errno));
    if (fclose(f) != 0 && rc == EF_OK)
        rc = ef_error_set_at(err, EF_EIO, tmp, 0, 0, "close: %s", strerror(errno));
    if (rc == EF_OK && rename(tmp, path) != 0)
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot replace: %s", strerror(errno));
    if (rc != EF_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* A value as it goes into the file: quoted when it holds characters the
 * parser would otherwise read as a comment, an escape or trimmed space. */
static char *format_value(const char *v)
{
    size_t len = strlen(v), i, o = 0;
    char *q;

    if (len == 0 || (!strpbrk(v, "#;\"\\") && !strchr(" \t", v[0]) && !strchr(" \t", v[len - 1])))
        return ef_xstrdup(v);
    q = ef_xmalloc(2 * len + 3);
    q[o++] = '"';
    for (i = 0; i < len; i++) {
        if (v[i] == '"' || v[i] == '\\')
            q[o++] = '\\';
        q[o++] = v[i];
    }
    q[o++] = '"';
    q[o] = '\0';
    return q;
}

enum { L_BLANK, L_SECTION, L_KEY };

struct line {
    int kind;
    char *name;       /* section or key */
    char *value;      /* key value, "" when empty */
    long comment;     /* byte offset of a trailing comment, or -1 */
};

static void line_fini(struct line *ln)
{
    free(ln->name);
    free(ln->value);
    ln->name = ln->value = NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static char *trimmed(const char *s, size_t len)
{
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    return ef_xstrndup(s, len);
}

static int is_comment_at(const char *s, size_t i, size_t start)
{
    return (s[i] == '#' || s[i] == ';') && (i == start || is_space(s[i - 1]));
}

/* Parse one line (no newline).  Errors name file:lineno and the column. */
static int parse_line(const char *s, struct line *ln, const char *file, long lineno, ef_error *err)
{
    size_t i = 0, len = strlen(s);
    const char *eq;

    ln->kind = L_BLANK;
    ln->name = ln->value = NULL;
    ln->comment = -1;
    while (is_space(s[i]))
        i++;
    if (s[i] == '\0' || s[i] == '#' || s[i] == ';')
        return EF_OK;
    if (s[i] == '[') {
        const char *close = strchr(s + i, ']');
        size_t j;

        if (!close)
            return ef_error_set_at(err, EF_EPARSE, file, lineno, (long)i + 1,
                                   "unterminated section header (missing ']')");
        for (j = (size_t)(close - s) + 1; is_space(s[j]); j++)
            ;
        if (s[j] != '\0' && !is_comment_at(s, j, j))
            return ef_error_set_at(err, EF_EPARSE, file, lineno, (long)j + 1,
                                   "unexpected text after the section header");
        ln->kind = L_SECTION;
        ln->name = trimmed(s + i + 1, (size_t)(close - s) - i - 1);
        return EF_OK;
    }
    eq = strchr(s + i, '=');
    if (!eq)
        return ef_error_set_at(err, EF_EPARSE, file, lineno, (long)i + 1,
                               "expected 'key = value' or '[section]'");
    ln->name = trimmed(s + i, (size_t)(eq - s) - i);
    if (!ln->name[0]) {
        line_fini(ln);
        return ef_error_set_at(err, EF_EPARSE, file, lineno, (long)i + 1, "missing key before '='");
    }
    ln->kind = L_KEY;
    for (i = (size_t)(eq - s) + 1; is_space(s[i]); i++)
        ;
    if (s[i] == '"') {
        char *v = ef_xmalloc(len + 1);
        size_t o = 0, open = i++;

        for (; s[i] && s[i] != '"'; i++) {
            if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
                i++;
            v[o++] = s[i];
        }
        v[o] = '\0';
        ln->value = v;
        if (s[i] != '"') {
            line_fini(ln);
            return ef_error_set_at(err, EF_EPARSE, file, lineno, (long)open + 1,
                                   "unterminated value (missing closing '\"')");
        }
        for (i++; is_space(s[i]); i++)
            ;
        if (s[i] != '\0' && !is_comment_at(s, i, i)) {
            line_fini(ln);
            return ef_error_set_at(err, EF_EPARSE, file, lineno, (long)i + 1,
                                   "unexpected text after the quoted value");
        }
        if (s[i])
            ln->comment = (long)i;
        return EF_OK;
    }
    {
        size_t start = i;

        while (s[i] && !is_comment_at(s, i, start))
            i++;
        if (s[i])
            ln->comment = (long)i;
        ln->value = trimmed(s + start, i - start);
    }
    return EF_OK;
}

/* Read every line of path (newlines and a CR before them removed).
 * EF_ENOTFOUND with the "not a project" message when it is absent. */
static int read_lines(const char *dir, const char *path, char ***lines, size_t *n, ef_error *err)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t cap = 0, lcap = 0;
    ssize_t len;
    struct stat st;

    *lines = NULL;
    *n = 0;
    if (!f) {
        if (errno != ENOENT)
            return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        if (stat(dir, &st) != 0)
            return ef_error_set_at(err, EF_ENOTFOUND, dir, 0, 0,
                                   "no such project directory; run `ecgfit init` first");
        return ef_error_set_at(err, EF_ENOTFOUND, dir, 0, 0,
                               "not an ecgfit project (no " EF_PROJECT_CONFIG
                               "); run `ecgfit init` first");
    }
    while ((len = getline(&buf, &cap, f)) >= 0) {
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            buf[--len] = '\0';
        if (*n == lcap) {
            lcap = lcap ? 2 * lcap : 16;
            *lines = ef_xreallocarray(*lines, lcap, sizeof **lines);
        }
        (*lines)[(*n)++] = ef_xstrndup(buf, (size_t)len);
    }
    free(buf);
    if (ferror(f)) {
        int e = errno;

        fclose(f);
        for (size_t i = 0; i < *n; i++)
            free((*lines)[i]);
        free(*lines);
        *lines = NULL;
        *n = 0;
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "read: %s", strerror(e));
    }
    fclose(f);
    return EF_OK;
}

static void free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* Check every line and collect the stored (unresolved) values of the keys;
 * also report which line holds each key and where [project] ends, for
 * ef_project_set.  vals[k] and at[k] are indexed like keys[]. */
static int parse_lines(char **lines, size_t n, const char *file, char **vals, long *at,
                       long *section_end, ef_error *err)
{
    int in_section = 0, rc = EF_OK;
    size_t i, k;

    for (k = 0; k < NKEYS; k++)
        at[k] = -1;
    *section_end = -1;
    for (i = 0; i < n && rc == EF_OK; i++) {
        struct line ln;
        const struct key *key;
        long lineno = (long)i + 1;

        if ((rc = parse_line(lines[i], &ln, file, lineno, err)) != EF_OK)
            break;
        if (ln.kind == L_SECTION) {
            if (strcmp(ln.name, SECTION) != 0)
                rc = ef_error_set_at(err, EF_EPARSE, file, lineno, 1,
                                     "unknown section [%s] (expected [" SECTION "])", ln.name);
            in_section = 1;
            *section_end = (long)i;
        } else if (ln.kind == L_KEY) {
            if (!in_section)
                rc = ef_error_set_at(err, EF_EPARSE, file, lineno, 1,
                                     "'%s' before any section (expected [" SECTION "] first)",
                                     ln.name);
            else if (!(key = find_key(ln.name)))
                rc = ef_error_set_at(err, EF_EPARSE, file, lineno, 1,
                                     "unknown key '%s' in [" SECTION "] (known: main_csv, "
                                     "ecg_dir, encoder, fields_file)", ln.name);
            else if (at[k = (size_t)(key - keys)] >= 0)
                rc = ef_error_set_at(err, EF_EPARSE, file, lineno, 1,
                                     "duplicate key '%s' (first set on line %ld)", ln.name,
                                     at[k] + 1);
            else {
                at[k] = (long)i;
                if (vals) {
                    vals[k] = ln.value;
                    ln.value = NULL;
                }
                *section_end = (long)i;
            }
        }
        line_fini(&ln);
    }
    return rc;
}

/* ----------------------------------------------------------------- API */

static char *config_path(const char *dir)
{
    return join(dir, EF_PROJECT_CONFIG);
}

int ef_project_init(const char *dir, const char *main_csv, const char *ecg_dir,
                    const char *encoder, int force, ef_error *err)
{
    const char *given[NKEYS] = { main_csv, ecg_dir, encoder, NULL };
    char *cfg, *text, *part;
    struct stat st;
    size_t k;
    int rc;

    if (!dir || !dir[0])
        return ef_error_set(err, EF_EINVAL, "project directory: empty name");
    for (k = 0; k < NKEYS; k++)
        if (given[k] && strpbrk(given[k], "\n\r"))
            return ef_error_set(err, EF_EINVAL, "%s: path contains a line break", keys[k].name);
    if ((rc = mkdir_p(dir, err)) != EF_OK)
        return rc;
    cfg = config_path(dir);
    if (!force && lstat(cfg, &st) == 0) {
        rc = ef_error_set_at(err, EF_EINVAL, cfg, 0, 0,
                             "already exists: refusing to overwrite an existing project");
        free(cfg);
        return rc;
    }
    text = ef_xstrdup("# ecgfit project (written by `ecgfit init`; edit freely)\n"
                      "# Relative paths are relative to this directory.\n"
                      "[" SECTION "]\n");
    for (k = 0; k < NKEYS; k++) {
        char *stored = given[k] && given[k][0] ? ef_project_relpath(dir, given[k]) : ef_xstrdup("");
        char *v = format_value(stored);

        part = ef_xasprintf("%s%s =%s%s\n", text, keys[k].name, v[0] ? " " : "", v);
        free(text);
        text = part;
        free(v);
        free(stored);
    }
    rc = write_atomic(cfg, text, err);
    free(text);
    free(cfg);
    return rc;
}

int ef_project_load(ef_project *p, const char *dir, ef_error *err)
{
    char **lines, *vals[NKEYS] = { NULL };
    long at[NKEYS], end;
    size_t n, k;
    int rc;

    memset(p, 0, sizeof *p);
    if (!dir || !dir[0])
        return ef_error_set(err, EF_EINVAL, "project directory: empty name");
    p->config_path = config_path(dir);
    if ((rc = read_lines(dir, p->config_path, &lines, &n, err)) != EF_OK) {
        ef_project_fini(p);
        return rc;
    }
    rc = parse_lines(lines, n, p->config_path, vals, at, &end, err);
    free_lines(lines, n);
    for (k = 0; k < NKEYS; k++) {
        if (rc == EF_OK && vals[k] && vals[k][0])
            *(char **)((char *)p + keys[k].off) = resolve(dir, vals[k]);
        free(vals[k]);
    }
    if (rc != EF_OK) {
        ef_project_fini(p);
        return rc;
    }
    p->dir = ef_xstrdup(dir);
    p->store_path = join(dir, EF_PROJECT_STORE);
    return EF_OK;
}

void ef_project_fini(ef_project *p)
{
    if (!p)
        return;
    free(p->dir);
    free(p->main_csv);
    free(p->ecg_dir);
    free(p->encoder);
    free(p->fields_file);
    free(p->store_path);
    free(p->config_path);
    memset(p, 0, sizeof *p);
}

int ef_project_set(const char *dir, const char *key, const char *value, ef_error *err)
{
    const struct key *kd;
    char **lines, *cfg, *stored, *v, *newline, *text;
    long at[NKEYS], end;
    size_t n, i, len = 0, k, o = 0;
    int rc;

    if (!dir || !dir[0])
        return ef_error_set(err, EF_EINVAL, "project directory: empty name");
    if (!key || !(kd = find_key(key)))
        return ef_error_set(err, EF_EINVAL, "unknown project setting '%s' (known: main_csv, "
                            "ecg_dir, encoder, fields_file)", key ? key : "");
    if (value && strpbrk(value, "\n\r"))
        return ef_error_set(err, EF_EINVAL, "%s: path contains a line break", key);
    k = (size_t)(kd - keys);
    cfg = config_path(dir);
    if ((rc = read_lines(dir, cfg, &lines, &n, err)) != EF_OK) {
        free(cfg);
        return rc;
    }
    if ((rc = parse_lines(lines, n, cfg, NULL, at, &end, err)) != EF_OK)
        goto out;
    stored = value && value[0] ? ef_project_relpath(dir, value) : ef_xstrdup("");
    v = format_value(stored);
    newline = ef_xasprintf("%s =%s%s", key, v[0] ? " " : "", v);
    free(v);
    free(stored);
    if (at[k] >= 0) {
        struct line ln;

        /* Keep the comment that followed the old value. */
        parse_line(lines[at[k]], &ln, cfg, at[k] + 1, NULL);
        if (ln.comment >= 0) {
            char *withc = ef_xasprintf("%s  %s", newline, lines[at[k]] + ln.comment);

            free(newline);
            newline = withc;
        }
        line_fini(&ln);
        free(lines[at[k]]);
        lines[at[k]] = newline;
    } else {
        /* Insert after the last line of [project], or add the section. */
        size_t pos = end >= 0 ? (size_t)end + 1 : n;

        lines = ef_xreallocarray(lines, n + 2, sizeof *lines);
        if (end < 0) {
            lines[n++] = ef_xstrdup("[" SECTION "]");
            pos = n;
        }
        memmove(lines + pos + 1, lines + pos, (n - pos) * sizeof *lines);
        lines[pos] = newline;
        n++;
    }
    for (i = 0; i < n; i++)
        len += strlen(lines[i]) + 1;
    text = ef_xmalloc(len + 1);
    for (i = 0; i < n; i++) {
        size_t l = strlen(lines[i]);

        memcpy(text + o, lines[i], l);
        o += l;
        text[o++] = '\n';
    }
    text[o] = '\0';
    rc = write_atomic(cfg, text, err);
    free(text);
out:
    free_lines(lines, n);
    free(cfg);
    return rc;
}
