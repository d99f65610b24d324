/* ef_cohort.c — cohort tables of a project store (see ef_cohort.h). */
#include "config.h"
#include "pipeline/ef_cohort.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "core/ef_str.h"
#include "pipeline/ef_resolve.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void ef_cohort_opts_default(ef_cohort_opts *o)
{
    memset(o, 0, sizeof *o);
    ef_table1_opts_default(&o->t1);
}

/* One variable of the table, its values on the selected rows. */
typedef struct cvar {
    char *key, *label;
    double *v;
    int kind;
    long coding;
    ef_t1_level *levels;
    size_t nlevels;
    char **own;              /* level labels this variable owns */
    size_t nown;
    double *order;
    size_t norder;
    int min_max;
    int regroup;             /* seed: codes grouped as groups.tsv says */
    int presence;            /* seed's group: 1 where a value is, else 0 */
} cvar;

typedef struct cohort {
    const ef_cohort_opts *o;
    const ef_registry *reg;
    ef_store *s;
    size_t nall, n;          /* participants, selected rows */
    unsigned char *sel;      /* [nall] */
    cvar *v;
    size_t nv;
    cvar group;
    int has_group;
    char *absent;            /* "height (50), ..." */
    char *harmonised;        /* seed preset: columns kept at their registry rule */
} cohort;

static void cvar_fini(cvar *c)
{
    free(c->key);
    free(c->label);
    free(c->v);
    free(c->levels);
    for (size_t i = 0; i < c->nown; i++)
        free(c->own[i]);
    free(c->own);
    free(c->order);
    memset(c, 0, sizeof *c);
}

static void append(char **list, const char *fmt, const char *a, const char *b)
{
    char *item = ef_xasprintf(fmt, a, b), *n = ef_xasprintf("%s%s%s", *list ? *list : "", *list ? ", " : "", item);

    free(item);
    free(*list);
    *list = n;
}

static char *attr(ef_store *s, const char *key, const char *name)
{
    char path[EF_ERROR_PATH_MAX], *v = NULL;

    snprintf(path, sizeof path, "/participants/%s", key);
    if (ef_store_get_attr_str(s, path, name, &v, NULL) != EF_OK)
        return NULL;
    return v;
}

/* The store key of name; *key NULL (and EF_OK) when it is a registry
 * variable this extract lacks (noted); EF_EUSAGE when it means nothing. */
static int resolve(cohort *c, const char *name, char **key, ef_error *err)
{
    ef_error e = { 0 };
    ef_field f;
    char hint[128];
    int rc = ef_resolve_column(c->s, c->reg, name, "variable", key, &e);

    if (rc == EF_OK)
        return EF_OK;
    *key = NULL;
    if (rc != EF_ENOTFOUND) {
        *err = e;
        return rc;
    }
    memset(&f, 0, sizeof f);
    if (ef_registry_resolve(c->reg, name, &f, NULL) == EF_OK &&
        (ef_registry_find(c->reg, f.key) || ef_registry_find_field(c->reg, f.field))) {
        char id[32];

        snprintf(id, sizeof id, "%ld", f.field);
        append(&c->absent, "%s (%s)", f.key, id);
        ef_field_fini(&f);
        return EF_OK;
    }
    ef_field_fini(&f);
    if (ef_resolve_closest(c->s, name, hint, sizeof hint))
        return ef_error_set(err, EF_EUSAGE, "unknown variable '%s'; did you mean %s?", name, hint);
    return ef_error_set(err, EF_EUSAGE, "unknown variable '%s' (not a column of the store nor a registry field)", name);
}

static int apply_groups(cvar *v, size_t n, ef_error *err);

/* Read every variable's column (and the group's) at once, the chunks
 * inflated on all threads, keeping the selected rows. */
static int fetch(cohort *c, ef_error *err)
{
    size_t m = c->nv + (c->has_group ? 1 : 0), i, j, k;
    cvar **vs = ef_xcalloc(m ? m : 1, sizeof *vs);
    char **paths = ef_xcalloc(m ? m : 1, sizeof *paths);
    double **v = ef_xcalloc(m ? m : 1, sizeof *v);
    size_t *len = ef_xcalloc(m ? m : 1, sizeof *len);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = c->o->threads > 0 ? c->o->threads : cpus > 0 ? (int)cpus : 1, rc;

    for (i = 0; i < c->nv; i++)
        vs[i] = &c->v[i];
    if (c->has_group)
        vs[c->nv] = &c->group;
    for (i = 0; i < m; i++)
        paths[i] = ef_xasprintf("/participants/%s", vs[i]->key);
    rc = ef_store_read_f64_many(c->s, (const char *const *)paths, m, v, len, NULL, threads, err);
    for (i = 0; rc == EF_OK && i < m; i++)
        if (len[i] != c->nall)
            rc = ef_error_set_at(err, EF_EDATA, ef_store_path(c->s), 0, 0, "%s has %zu rows, /participants/eid %zu",
                                 paths[i], len[i], c->nall);
    for (i = 0; i < m; i++) {
        if (rc == EF_OK && c->n != c->nall) {   /* keep the selected rows, in place */
            for (j = k = 0; j < c->nall; j++)
                if (c->sel[j])
                    v[i][k++] = v[i][j];
        }
        if (rc == EF_OK) {
            vs[i]->v = v[i];
            if (vs[i]->presence)
                for (j = 0; j < c->n; j++)
                    vs[i]->v[j] = isnan(vs[i]->v[j]) ? 0 : 1;
            if (vs[i]->regroup)
                rc = apply_groups(vs[i], c->n, err);
        } else {
            free(v[i]);
        }
        free(paths[i]);
    }
    free(vs);
    free(paths);
    free(v);
    free(len);
    return rc;
}

/* Level labels from the registry coding. */
static void coding_levels(cohort *c, cvar *v)
{
    for (size_t i = 0; i < c->reg->ncodes; i++) {
        const ef_coding_entry *e = &c->reg->codes[i];

        if (e->coding != v->coding)
            continue;
        v->levels = ef_xreallocarray(v->levels, v->nlevels + 1, sizeof *v->levels);
        v->levels[v->nlevels].value = e->value;
        v->levels[v->nlevels++].label = e->meaning;
    }
}

/* Describe v from the store column key's attributes (values: fetch). */
static int load_var(cohort *c, const char *key, cvar *v, ef_error *err)
{
    char *label = attr(c->s, key, "label"), *unit = attr(c->s, key, "unit"), *type = attr(c->s, key, "type");
    char *coding = attr(c->s, key, "coding");

    memset(v, 0, sizeof *v);
    v->key = ef_xstrdup(key);
    if (label && *label && unit && *unit && strcmp(unit, "-") != 0)
        v->label = ef_xasprintf("%s (%s)", label, unit);
    else
        v->label = ef_xstrdup(label && *label ? label : key);
    v->kind = !type ? EF_T1_AUTO : !strcmp(type, "categorical") ? EF_T1_CATEGORICAL : EF_T1_CONTINUOUS;
    v->coding = coding ? strtol(coding, NULL, 10) : 0;
    if (v->coding)
        coding_levels(c, v);
    free(label);
    free(unit);
    free(type);
    free(coding);
    (void)err;
    return EF_OK;   /* values: fetch(), all columns at once */
}

static int add_var(cohort *c, const char *name, ef_error *err)
{
    char *key = NULL;
    int rc = resolve(c, name, &key, err);

    if (rc != EF_OK || !key)
        return rc;
    for (size_t i = 0; i < c->nv; i++)
        if (!strcmp(c->v[i].key, key)) {   /* named twice */
            free(key);
            return EF_OK;
        }
    c->v = ef_xreallocarray(c->v, c->nv + 1, sizeof *c->v);
    rc = load_var(c, key, &c->v[c->nv], err);
    if (rc == EF_OK)
        c->nv++;
    free(key);
    return rc;
}

/* ---- groups.tsv: codes grouped for cohort tables --------------------------- */

/* Recode v's values by the groups of its coding in <datadir>/groups.tsv
 * ("*" stands for every other non-missing value); group names in file
 * order become codes 0, 1, ... */
static int apply_groups(cvar *v, size_t n, ef_error *err)
{
    char *path = ef_xasprintf("%s/groups.tsv", ef_datadir()), line[512];
    FILE *fp = fopen(path, "r");
    double *codes = NULL, *gidx = NULL, other = NAN;
    size_t nc = 0, lineno = 0, i, j;
    int rc = EF_OK;

    if (!fp) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot read the code groups");
        free(path);
        return rc;
    }
    while (fgets(line, sizeof line, fp)) {
        char *f[3], *save = NULL, *p = line;
        long coding;
        size_t g;

        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || !line[0] || !strncmp(line, "coding\t", 7))
            continue;
        for (i = 0; i < 3; i++, p = NULL)
            f[i] = strtok_r(p, "\t", &save);
        if (!f[2]) {
            rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 0, "expected coding, value and group");
            break;
        }
        coding = strtol(f[0], NULL, 10);
        if (coding != v->coding)
            continue;
        for (g = 0; g < v->nown; g++)
            if (!strcmp(v->own[g], f[2]))
                break;
        if (g == v->nown) {
            v->own = ef_xreallocarray(v->own, v->nown + 1, sizeof *v->own);
            v->own[v->nown++] = ef_xstrdup(f[2]);
        }
        if (!strcmp(f[1], "*")) {
            other = (double)g;
            continue;
        }
        codes = ef_xreallocarray(codes, nc + 1, sizeof *codes);
        gidx = ef_xreallocarray(gidx, nc + 1, sizeof *gidx);
        codes[nc] = ef_strtod(f[1], NULL);
        gidx[nc++] = (double)g;
    }
    fclose(fp);
    if (rc == EF_OK && v->nown) {
        for (i = 0; i < n; i++) {
            double x = v->v[i], y = other;

            if (isnan(x))
                continue;
            for (j = 0; j < nc; j++)
                if (codes[j] == x) {
                    y = gidx[j];
                    break;
                }
            v->v[i] = y;
        }
        free(v->levels);
        v->levels = ef_xcalloc(v->nown, sizeof *v->levels);
        for (i = 0; i < v->nown; i++) {
            v->levels[i].value = (double)i;
            v->levels[i].label = v->own[i];
        }
        v->nlevels = v->nown;
        v->kind = EF_T1_CATEGORICAL;
    }
    free(codes);
    free(gidx);
    free(path);
    return rc;
}

/* ---- presets ------------------------------------------------------------- */

/* The seed's cohort table, in its order: field, registry key. */
static const struct { long field; const char *key; } seed_vars[] = {
    { 21003, "age" }, { 31, "sex" }, { 21000, "ethnicity" }, { 21001, "bmi" }, { 23104, "bmi_impedance" },
    { 30038, "vo2max" }, { 4080, "sbp" }, { 4079, "dbp" }, { 23400, "total_chol_nmr" }, { 30760, "hdl" },
    { 30780, "ldl" }, { 30870, "triglycerides" }, { 30710, "crp" }, { 21021, "arterial_stiffness" },
    { 20116, "smoking" },
};

/* A store column of field harmonised by the priority rule, if any. */
static char *priority_column(cohort *c, long field)
{
    char **names = NULL, *found = NULL;
    size_t n = 0;

    if (ef_store_list(c->s, "/participants", &names, &n, NULL) != EF_OK)
        return NULL;
    for (size_t i = 0; i < n && !found; i++) {
        char *f = attr(c->s, names[i], "field"), *r = attr(c->s, names[i], "rule");

        if (f && r && strtol(f, NULL, 10) == field && !strncmp(r, "priority", 8))
            found = ef_xstrdup(names[i]);
        free(f);
        free(r);
    }
    ef_store_free_list(names, n);
    return found;
}

static int seed_preset(cohort *c, ef_error *err)
{
    int rc = EF_OK;
    size_t i;

    for (i = 0; rc == EF_OK && i < sizeof seed_vars / sizeof seed_vars[0]; i++) {
        const ef_field *f = ef_registry_find(c->reg, seed_vars[i].key);
        char *key = priority_column(c, seed_vars[i].field);

        if (!key && f && f->rule.kind != EF_RULE_PRIORITY && ef_store_exists(c->s, "/participants") &&
            strcmp(seed_vars[i].key, "vo2max") != 0 && strcmp(seed_vars[i].key, "sex") != 0 &&
            strcmp(seed_vars[i].key, "ethnicity") != 0) {
            char path[EF_ERROR_PATH_MAX];

            snprintf(path, sizeof path, "/participants/%s", seed_vars[i].key);
            if (ef_store_exists(c->s, path))
                append(&c->harmonised, "%s%s", seed_vars[i].key, "");
        }
        rc = add_var(c, key ? key : seed_vars[i].key, err);
        free(key);
        if (rc == EF_OK && c->nv && (seed_vars[i].field == 21000 || seed_vars[i].field == 20116)) {
            cvar *v = &c->v[c->nv - 1];

            if (v->coding == (seed_vars[i].field == 21000 ? 1001 : 90))
                v->regroup = 1;
        }
    }
    return rc;
}

/* The registry's columns of a role (two roles: either) in the store, in registry order. */
static int role_vars(cohort *c, const char *role1, const char *role2, ef_error *err)
{
    int rc = EF_OK;

    for (size_t i = 0; rc == EF_OK && i < c->reg->nfields; i++) {
        const ef_field *f = &c->reg->fields[i];
        char path[EF_ERROR_PATH_MAX];

        if (strcmp(f->role, role1) != 0 && (!role2 || strcmp(f->role, role2) != 0))
            continue;
        snprintf(path, sizeof path, "/participants/%s", f->key);
        if (ef_store_exists(c->s, path))
            rc = add_var(c, f->key, err);
    }
    return rc;
}

/* ---- options naming variables ----------------------------------------------- */

/* The variable (or the group) that name denotes; NULL with *rc set when
 * the name is unknown, NULL with EF_OK when it is not in the table. */
static cvar *find_var(cohort *c, const char *name, const char *opt, int *rc, ef_error *err)
{
    char *key = NULL;
    cvar *hit = NULL;

    *rc = resolve(c, name, &key, err);
    if (*rc != EF_OK || !key)
        return NULL;
    for (size_t i = 0; i < c->nv && !hit; i++)
        if (!strcmp(c->v[i].key, key))
            hit = &c->v[i];
    if (!hit && c->has_group && !strcmp(c->group.key, key))
        hit = &c->group;
    if (!hit)
        *rc = ef_error_set(err, EF_EUSAGE, "--%s %s: not a variable of this table (add it with --vars)", opt, name);
    free(key);
    return hit;
}

static int set_kinds(cohort *c, char *const *names, size_t n, int kind, const char *opt, ef_error *err)
{
    int rc = EF_OK;

    for (size_t i = 0; rc == EF_OK && i < n; i++) {
        cvar *v = find_var(c, names[i], opt, &rc, err);

        if (v && kind < 0)
            v->min_max = 1;
        else if (v)
            v->kind = kind;
    }
    return rc;
}

static int level_value(const cvar *v, const char *text, double *out)
{
    char *end;

    for (size_t i = 0; i < v->nlevels; i++)
        if (v->levels[i].label && !strcasecmp(v->levels[i].label, text)) {
            *out = v->levels[i].value;
            return 1;
        }
    *out = ef_strtod(text, &end);
    return end != text && !*end;
}

static int set_orders(cohort *c, ef_error *err)
{
    int rc = EF_OK;

    for (size_t i = 0; rc == EF_OK && i < c->o->norder; i++) {
        char *spec = ef_xstrdup(c->o->order[i]), *eq = strchr(spec, '='), *p, *save = NULL;
        cvar *v;

        if (!eq || !eq[1]) {
            rc = ef_error_set(err, EF_EUSAGE, "--order %s: expected VAR=LEVEL/LEVEL/...", spec);
            free(spec);
            break;
        }
        *eq = '\0';
        v = find_var(c, spec, "order", &rc, err);
        for (p = strtok_r(eq + 1, "/", &save); v && rc == EF_OK && p; p = strtok_r(NULL, "/", &save)) {
            double x;

            if (!level_value(v, p, &x)) {
                rc = ef_error_set(err, EF_EUSAGE, "--order %s: '%s' is no level of it (a code or its label)", spec, p);
                break;
            }
            v->order = ef_xreallocarray(v->order, v->norder + 1, sizeof *v->order);
            v->order[v->norder++] = x;
        }
        free(spec);
    }
    return rc;
}

/* ---- rows -------------------------------------------------------------------- */

static int select_rows(cohort *c, ef_error *err)
{
    int64_t *eid = NULL;
    double *has = NULL;
    size_t n = 0, m = 0, i;
    int rc = ef_store_read_i64(c->s, "/participants/eid", &eid, &c->nall, err);

    if (rc != EF_OK)
        return rc;
    free(eid);
    c->sel = ef_xmalloc(c->nall ? c->nall : 1);
    memset(c->sel, 1, c->nall ? c->nall : 1);
    c->n = c->nall;
    if (c->o->all_rows || !ef_store_exists(c->s, "/participants/has_ecg"))
        return EF_OK;
    rc = ef_store_read_f64(c->s, "/participants/has_ecg", &has, &n, err);
    if (rc == EF_OK && n != c->nall)
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(c->s), 0, 0, "has_ecg has %zu rows, eid %zu", n, c->nall);
    for (i = 0; rc == EF_OK && i < n; i++) {
        c->sel[i] = has[i] == 1;
        m += c->sel[i];
    }
    free(has);
    if (rc == EF_OK && m == 0 && c->nall)
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(c->s), 0, 0,
                             "no participant has an ECG (has_ecg); --all tabulates all %zu participants", c->nall);
    c->n = m;
    return rc;
}

/* ---- the table ----------------------------------------------------------------- */

/* Is key among the names (any spelling)? */
static int named(cohort *c, char *const *names, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        char *k = NULL;
        int hit = ef_resolve_column(c->s, c->reg, names[i], "variable", &k, NULL) == EF_OK && !strcmp(k, key);

        free(k);
        if (hit)
            return 1;
    }
    return 0;
}

static int make_group(cohort *c, ef_error *err)
{
    const char *g = c->o->groupby;
    char *key = NULL;
    int rc;

    if (c->o->preset == EF_COHORT_SEED && !g) {
        /* the seed: has a VO2max at instance 1, or not */
        char *vk = NULL;

        rc = resolve(c, "30038-1.0", &vk, err);
        if (rc != EF_OK)
            return rc;
        if (!vk)
            return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(c->s), 0, 0,
                                   "--preset seed groups by VO2max at instance 1 (30038-1.0), which this store lacks");
        rc = load_var(c, vk, &c->group, err);
        free(vk);
        if (rc != EF_OK)
            return rc;
        c->group.presence = 1;
        free(c->group.label);
        c->group.label = ef_xstrdup("VO2max at instance 1");
        free(c->group.levels);
        c->group.levels = ef_xcalloc(2, sizeof *c->group.levels);
        c->group.levels[0] = (ef_t1_level){ 0, "No VO2max" };
        c->group.levels[1] = (ef_t1_level){ 1, "VO2max" };
        c->group.nlevels = 2;
        c->has_group = 1;
        return EF_OK;
    }
    if (!g)
        return EF_OK;
    rc = resolve(c, g, &key, err);
    if (rc == EF_OK && !key)
        return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(c->s), 0, 0,
                               "--groupby %s: this extract has no such column (extract it with `ecgfit labels --fields %s`)",
                               g, g);
    if (rc != EF_OK)
        return rc;
    rc = load_var(c, key, &c->group, err);
    if (rc == EF_OK && c->group.kind == EF_T1_CONTINUOUS && !named(c, c->o->categorical, c->o->ncategorical, key))
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(c->s), 0, 0,
                             "--groupby %s: %s is continuous: group by a categorical column, or name it in "
                             "--categorical to have a column per value",
                             g, key);
    free(key);
    if (rc == EF_OK)
        c->has_group = 1;
    return rc;
}

static void cohort_fini(cohort *c)
{
    for (size_t i = 0; i < c->nv; i++)
        cvar_fini(&c->v[i]);
    free(c->v);
    cvar_fini(&c->group);
    free(c->sel);
    free(c->absent);
    free(c->harmonised);
    ef_store_close(c->s);
}

static void to_t1(const cvar *v, ef_t1_var *t)
{
    memset(t, 0, sizeof *t);
    t->name = v->key;
    t->label = v->label;
    t->v = v->v;
    t->kind = v->kind;
    t->levels = v->levels;
    t->nlevels = v->nlevels;
    t->order = v->order;
    t->norder = v->norder;
    t->min_max = v->min_max;
}

int ef_cohort_table(const ef_cohort_opts *o, ef_table **out, ef_error *err)
{
    cohort c = { 0 };
    ef_registry *own = NULL;
    ef_table1_input in = { 0 };
    ef_t1_var *tv = NULL, tg;
    ef_table1_opts t1 = o->t1;
    char title[256];
    size_t i, k;
    int rc;

    *out = NULL;
    c.o = o;
    c.reg = o->reg;
    if (!c.reg) {
        rc = ef_registry_load(&own, NULL, err);
        if (rc != EF_OK)
            return rc;
        c.reg = own;
    }
    rc = ef_store_open_read(&c.s, o->store_path, err);
    if (rc == EF_ENOTFOUND)
        rc = ef_error_set_at(err, EF_ENOTFOUND, o->store_path, 0, 0, "no project store: run `ecgfit labels` first");
    if (rc == EF_OK && !ef_store_exists(c.s, "/participants/eid"))
        rc = ef_error_set_at(err, EF_ENOTFOUND, o->store_path, 0, 0, "no /participants: run `ecgfit labels` first");
    if (rc == EF_OK)
        rc = select_rows(&c, err);
    if (rc == EF_OK)
        rc = make_group(&c, err);
    if (rc == EF_OK && o->vars) {
        for (i = 0; rc == EF_OK && i < o->nvars; i++)
            rc = add_var(&c, o->vars[i], err);
    } else if (rc == EF_OK && o->preset == EF_COHORT_SEED) {
        rc = seed_preset(&c, err);
    } else if (rc == EF_OK && o->preset == EF_COHORT_SUMMARY) {
        rc = role_vars(&c, "target", NULL, err);
    } else if (rc == EF_OK) {
        rc = role_vars(&c, "demographic", "covariate", err);
    }
    /* the group is not also a row (tableone) */
    for (i = k = 0; rc == EF_OK && i < c.nv; i++) {
        if (c.has_group && !strcmp(c.v[i].key, c.group.key))
            cvar_fini(&c.v[i]);
        else
            c.v[k++] = c.v[i];
    }
    if (rc == EF_OK)
        c.nv = k;
    if (rc == EF_OK)
        rc = set_kinds(&c, o->categorical, o->ncategorical, EF_T1_CATEGORICAL, "categorical", err);
    if (rc == EF_OK)
        rc = set_kinds(&c, o->continuous, o->ncontinuous, EF_T1_CONTINUOUS, "continuous", err);
    if (rc == EF_OK)
        rc = set_kinds(&c, o->nonnormal, o->nnonnormal, EF_T1_NONNORMAL, "nonnormal", err);
    if (rc == EF_OK)
        rc = set_kinds(&c, o->min_max, o->nmin_max, -1, "min-max", err);
    if (rc == EF_OK)
        rc = fetch(&c, err);
    if (rc == EF_OK)
        rc = set_orders(&c, err);
    if (rc == EF_OK && c.nv == 0)
        rc = ef_error_set_at(err, EF_EDATA, o->store_path, 0, 0, "no variable of this table is in the store%s%s",
                             c.absent ? " (absent: " : "", c.absent ? c.absent : "");
    if (rc != EF_OK) {
        cohort_fini(&c);
        ef_registry_free(own);
        return rc;
    }
    tv = ef_xcalloc(c.nv, sizeof *tv);
    for (i = 0; i < c.nv; i++) {
        to_t1(&c.v[i], &tv[i]);
        if (o->min_max_all && tv[i].kind != EF_T1_CATEGORICAL)
            tv[i].min_max = 1;
    }
    in.n = c.n;
    in.vars = tv;
    in.nvars = c.nv;
    if (c.has_group) {
        to_t1(&c.group, &tg);
        tg.kind = EF_T1_CATEGORICAL;
        in.group = &tg;
    }
    if (!t1.title) {
        const char *what = o->preset == EF_COHORT_SUMMARY ? "Fitness metrics" : "Table 1";

        if (c.has_group)
            snprintf(title, sizeof title, "%s, grouped by %s", what, c.group.label);
        else
            snprintf(title, sizeof title, "%s", what);
        t1.title = title;
    }
    if (t1.threads < 1) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);

        t1.threads = o->threads > 0 ? o->threads : cpus > 0 ? (int)cpus : 1;
    }
    rc = ef_table1_build(&in, &t1, out, err);
    if (rc == EF_OK) {
        if (o->all_rows)
            ef_table_add_note(*out, "Rows: all %zu participants.", c.n);
        else
            ef_table_add_note(*out, "Rows: the %zu participants with an ECG (of %zu; --all for every one).", c.n,
                              c.nall);
        if (c.absent)
            ef_table_add_note(*out, "Not in this extract, left out: %s.", c.absent);
        if (c.harmonised)
            ef_table_add_note(*out,
                              "At their registry rule (instance 2), not the seed's priority rule (the store has no "
                              "priority column of them): %s.",
                              c.harmonised);
    }
    free(tv);
    cohort_fini(&c);
    ef_registry_free(own);
    return rc;
}
