/* ef_registry.c — loading fields.tsv / codings.tsv and applying rules. */
#include "config.h"
#include "ef_registry.h"
#include "ef_ukbcol.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define REG_COLUMNS 11

/* $ECGFIT_DATADIR, else the installed folder, else -- for a binary run from
 * its build tree before `make install` -- the source tree's share/ecgfit. */
const char *ef_datadir(void)
{
    const char *d = getenv("ECGFIT_DATADIR");
    struct stat st;

    if (d && *d)
        return d;
    if (stat(EF_DATADIR "/fields.tsv", &st) != 0 && stat(EF_SRC_DATADIR "/fields.tsv", &st) == 0)
        return EF_SRC_DATADIR;
    return EF_DATADIR;
}

const char *ef_ftype_name(int type)
{
    switch (type) {
    case EF_FT_INTEGER: return "integer";
    case EF_FT_CATEGORICAL: return "categorical";
    default: return "continuous";
    }
}

int ef_rule_parse(const char *s, ef_rule *rule)
{
    ef_rule r = { EF_RULE_INSTANCE, 0, 0, 0 };
    const char *rest;
    char *end;

    if (strncmp(s, "priority", 8) == 0) {
        r.kind = EF_RULE_PRIORITY;
        rest = s + 8;
    } else if (s[0] == 'i' && s[1] >= '0' && s[1] <= '9') {
        long i = strtol(s + 1, &end, 10);

        if (i < 0 || i >= EF_MAX_INSTANCES)
            return 0;
        r.instance = (int)i;
        rest = end;
    } else {
        return 0;
    }
    if (strcmp(rest, ".mean") == 0) {
        r.mean_arrays = 1;
    } else if (rest[0] == '.' && rest[1] == 'a' && rest[2] >= '0' && rest[2] <= '9') {
        long a = strtol(rest + 2, &end, 10);

        if (*end || a < 0 || a >= EF_MAX_ARRAYS)
            return 0;
        r.array = (int)a;
    } else if (*rest) {
        return 0;
    }
    *rule = r;
    return 1;
}

const char *ef_rule_format(const ef_rule *r, char *buf, size_t size)
{
    char base[16];

    if (r->kind == EF_RULE_PRIORITY)
        snprintf(base, sizeof base, "priority");
    else
        snprintf(base, sizeof base, "i%d", r->instance);
    if (r->mean_arrays)
        snprintf(buf, size, "%s.mean", base);
    else if (r->array)
        snprintf(buf, size, "%s.a%d", base, r->array);
    else
        snprintf(buf, size, "%s", base);
    return buf;
}

const char *ef_rule_describe(const ef_rule *r, char *buf, size_t size)
{
    const char *arr = r->mean_arrays ? ", mean of the readings present" : "";
    char a[24] = "";

    if (!r->mean_arrays && r->array)
        snprintf(a, sizeof a, ", array %d", r->array);
    if (r->kind == EF_RULE_PRIORITY)
        snprintf(buf, size, "instance 2, else mean of 1 and 3, else 1, else 0%s%s", arr, a);
    else
        snprintf(buf, size, "instance %d%s%s", r->instance, arr, a);
    return buf;
}

static double instance_value(const ef_rule *r, const double *row, unsigned arrays)
{
    double sum = 0;
    int n = 0, a;

    if (!r->mean_arrays)
        return row[r->array];
    for (a = 0; a < EF_MAX_ARRAYS; a++) {
        if ((arrays & (1u << a)) && !isnan(row[a])) {
            sum += row[a];
            n++;
        }
    }
    return n ? sum / n : NAN;
}

double ef_rule_apply(const ef_rule *r, const double v[EF_MAX_INSTANCES][EF_MAX_ARRAYS],
                     unsigned arrays)
{
    double i0, i1, i2, i3;

    if (r->kind == EF_RULE_INSTANCE)
        return instance_value(r, v[r->instance], arrays);
    i2 = instance_value(r, v[2], arrays);
    if (!isnan(i2))
        return i2;
    i1 = instance_value(r, v[1], arrays);
    i3 = instance_value(r, v[3], arrays);
    if (!isnan(i1) && !isnan(i3))
        return (i1 + i3) / 2;
    if (!isnan(i1))
        return i1;
    i0 = instance_value(r, v[0], arrays);
    return i0;
}

/* ---- parsing ---------------------------------------------------------- */

static int parse_bits(const char *s, unsigned *bits, int max)
{
    unsigned b = 0;
    char *end;

    while (*s) {
        long lo = strtol(s, &end, 10), hi;

        if (end == s)
            return 0;
        hi = lo;
        s = end;
        if (*s == '-') {
            hi = strtol(s + 1, &end, 10);
            if (end == s + 1)
                return 0;
            s = end;
        }
        if (lo < 0 || hi >= max || lo > hi)
            return 0;
        for (; lo <= hi; lo++)
            b |= 1u << lo;
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    *bits = b;
    return b != 0;
}

static int parse_exclude(const char *s, ef_field *f)
{
    char *end;

    f->nexclude = 0;
    if (strcmp(s, "-") == 0)
        return 1;
    while (*s) {
        double v = ef_strtod(s, &end);

        if (end == s || f->nexclude == EF_MAX_EXCLUDE)
            return 0;
        f->exclude[f->nexclude++] = v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return 1;
}

static char *dash_empty(const char *s)
{
    return ef_xstrdup(strcmp(s, "-") == 0 ? "" : s);
}

/* Split line in place on TABs; returns the number of cells. */
static size_t split_tabs(char *line, char **cells, size_t max)
{
    size_t n = 0;
    char *p = line;

    while (n < max) {
        cells[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    return p ? max + 1 : n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);

    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static int parse_field_line(char **c, const char *path, long lineno, ef_field *f, ef_error *err)
{
    char *end;

    memset(f, 0, sizeof *f);
    if (!*c[0])
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 1, "empty key");
    f->field = strtol(c[1], &end, 10);
    if (*end || f->field <= 0)
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 2, "field id '%s' is not a positive integer", c[1]);
    if (strcmp(c[2], "continuous") == 0)
        f->type = EF_FT_CONTINUOUS;
    else if (strcmp(c[2], "integer") == 0)
        f->type = EF_FT_INTEGER;
    else if (strcmp(c[2], "categorical") == 0)
        f->type = EF_FT_CATEGORICAL;
    else
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 3,
                               "type '%s' is not continuous, integer or categorical", c[2]);
    f->coding = strcmp(c[4], "-") == 0 ? 0 : strtol(c[4], &end, 10);
    if (strcmp(c[4], "-") != 0 && *end)
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 5, "coding '%s' is not a number", c[4]);
    if (!parse_exclude(c[5], f))
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 6,
                               "exclude '%s' is not a comma-separated list of at most %d numbers",
                               c[5], EF_MAX_EXCLUDE);
    if (!parse_bits(c[6], &f->instances, EF_MAX_INSTANCES))
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 7, "instances '%s' is not like 0-3 or 0,1", c[6]);
    if (!parse_bits(c[7], &f->arrays, EF_MAX_ARRAYS))
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 8, "arrays '%s' is not like 0 or 0-1", c[7]);
    if (!ef_rule_parse(c[8], &f->rule))
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 9,
                               "rule '%s' is not iK, iK.mean, iK.aJ, priority or priority.mean", c[8]);
    if (f->rule.kind == EF_RULE_INSTANCE && !(f->instances & (1u << f->rule.instance)))
        return ef_error_set_at(err, EF_EPARSE, path, lineno, 9,
                               "rule '%s' uses instance %d, which field %ld does not have", c[8],
                               f->rule.instance, f->field);
    f->key = ef_xstrdup(c[0]);
    f->unit = dash_empty(c[3]);
    f->role = dash_empty(c[9]);
    f->label = ef_xstrdup(c[10]);
    f->line = lineno;
    return EF_OK;
}

static int load_codings(ef_registry *reg, const char *path, ef_error *err)
{
    FILE *fp = fopen(path, "r");
    char line[1024], *c[4], *end1, *end2;
    long lineno = 0;
    int rc = EF_OK;

    if (!fp)
        return EF_OK;   /* codings are optional: meaning texts just stay unknown */
    while (rc == EF_OK && fgets(line, sizeof line, fp)) {
        ef_coding_entry *e;
        long coding;
        double value;

        lineno++;
        if (!strchr(line, '\n') && !feof(fp)) {
            rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 0, "line longer than %zu bytes", sizeof line);
            break;
        }
        chomp(line);
        if (line[0] == '#' || !line[0] || strncmp(line, "coding\t", 7) == 0)
            continue;
        if (split_tabs(line, c, 3) != 3) {
            rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 0,
                                 "expected 3 TAB-separated columns: coding, value, meaning");
            break;
        }
        coding = strtol(c[0], &end1, 10);
        value = ef_strtod(c[1], &end2);
        if (*end1 || end1 == c[0] || *end2 || end2 == c[1] || !*c[2]) {
            rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 0, "coding and value must be numbers, "
                                 "meaning not empty");
            break;
        }
        reg->codes = ef_xreallocarray(reg->codes, reg->ncodes + 1, sizeof *reg->codes);
        e = &reg->codes[reg->ncodes++];
        e->coding = coding;
        e->value = value;
        e->meaning = ef_xstrdup(c[2]);
    }
    fclose(fp);
    return rc;
}

/* codings.tsv beside a user's registry file, else the installed one. */
static void codings_path(const char *fields_path, int is_default, char *buf, size_t size)
{
    const char *slash = strrchr(fields_path, '/');
    FILE *fp;

    if (!is_default) {
        if (slash)
            snprintf(buf, size, "%.*s/codings.tsv", (int)(slash - fields_path), fields_path);
        else
            snprintf(buf, size, "codings.tsv");
        fp = fopen(buf, "r");
        if (fp) {
            fclose(fp);
            return;
        }
    }
    snprintf(buf, size, "%s/codings.tsv", ef_datadir());
}

int ef_registry_load(ef_registry **out, const char *path, ef_error *err)
{
    char defpath[1024], codpath[1024], line[4096], *c[REG_COLUMNS + 1];
    ef_registry *reg;
    FILE *fp;
    long lineno = 0;
    int rc = EF_OK, header_seen = 0;
    size_t i, n;

    *out = NULL;
    snprintf(defpath, sizeof defpath, "%s/fields.tsv", ef_datadir());
    if (!path)
        path = defpath;
    codings_path(path, path == defpath, codpath, sizeof codpath);
    fp = fopen(path, "r");
    if (!fp)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open field registry: %s%s",
                               strerror(errno),
                               path == defpath ? " (set ECGFIT_DATADIR to the share/ecgfit folder)" : "");
    reg = ef_xcalloc(1, sizeof *reg);
    reg->path = ef_xstrdup(path);
    while (fgets(line, sizeof line, fp)) {
        ef_field f;

        lineno++;
        if (!strchr(line, '\n') && !feof(fp)) {
            rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 0, "line longer than %zu bytes", sizeof line);
            break;
        }
        chomp(line);
        if (line[0] == '#' || !line[0])
            continue;
        n = split_tabs(line, c, REG_COLUMNS);
        if (n != REG_COLUMNS) {
            rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 0,
                                 "expected %d TAB-separated columns, found %zu", REG_COLUMNS, n);
            break;
        }
        if (!header_seen && strcmp(c[0], "key") == 0) {
            header_seen = 1;
            continue;
        }
        rc = parse_field_line(c, path, lineno, &f, err);
        if (rc != EF_OK)
            break;
        for (i = 0; i < reg->nfields; i++) {
            if (strcmp(reg->fields[i].key, f.key) == 0) {
                rc = ef_error_set_at(err, EF_EPARSE, path, lineno, 1,
                                     "key '%s' already defined on line %ld", f.key, reg->fields[i].line);
                break;
            }
        }
        if (rc != EF_OK) {
            ef_field_fini(&f);
            break;
        }
        reg->fields = ef_xreallocarray(reg->fields, reg->nfields + 1, sizeof *reg->fields);
        reg->fields[reg->nfields++] = f;
    }
    fclose(fp);
    if (rc == EF_OK && reg->nfields == 0)
        rc = ef_error_set_at(err, EF_EDATA, path, 0, 0, "the field registry defines no fields");
    if (rc == EF_OK)
        rc = load_codings(reg, codpath, err);
    if (rc != EF_OK) {
        ef_registry_free(reg);
        return rc;
    }
    *out = reg;
    return EF_OK;
}

void ef_field_fini(ef_field *f)
{
    if (!f)
        return;
    free(f->key);
    free(f->unit);
    free(f->role);
    free(f->label);
    memset(f, 0, sizeof *f);
}

void ef_field_copy(ef_field *dst, const ef_field *src)
{
    *dst = *src;
    dst->key = ef_xstrdup(src->key);
    dst->unit = ef_xstrdup(src->unit);
    dst->role = ef_xstrdup(src->role);
    dst->label = ef_xstrdup(src->label);
}

void ef_registry_free(ef_registry *reg)
{
    size_t i;

    if (!reg)
        return;
    for (i = 0; i < reg->nfields; i++)
        ef_field_fini(&reg->fields[i]);
    for (i = 0; i < reg->ncodes; i++)
        free(reg->codes[i].meaning);
    free(reg->fields);
    free(reg->codes);
    free(reg->path);
    free(reg);
}

const ef_field *ef_registry_find(const ef_registry *reg, const char *key)
{
    size_t i;

    for (i = 0; i < reg->nfields; i++)
        if (strcmp(reg->fields[i].key, key) == 0)
            return &reg->fields[i];
    return NULL;
}

const ef_field *ef_registry_find_field(const ef_registry *reg, long field)
{
    size_t i;

    for (i = 0; i < reg->nfields; i++)
        if (reg->fields[i].field == field)
            return &reg->fields[i];
    return NULL;
}

int ef_registry_resolve(const ef_registry *reg, const char *name, ef_field *out, ef_error *err)
{
    const ef_field *f = ef_registry_find(reg, name);
    ef_ukbcol col;
    char key[64];

    if (f) {
        ef_field_copy(out, f);
        return EF_OK;
    }
    if (!ef_ukbcol_parse(name, &col))
        return ef_error_set(err, EF_ENOTFOUND,
                            "'%s' is neither a key of %s nor a UKB column id like 30038-1.0", name,
                            reg->path);
    if (col.instance >= EF_MAX_INSTANCES || col.array >= EF_MAX_ARRAYS)
        return ef_error_set(err, EF_EINVAL, "'%s': instance or array out of range", name);
    /* The id of exactly the cell a registry entry reads is that entry:
     * "30038-1.0" is vo2max, stored and reported under one key. */
    for (size_t i = 0; i < reg->nfields; i++) {
        const ef_field *g = &reg->fields[i];

        if (g->field == col.field && g->rule.kind == EF_RULE_INSTANCE && !g->rule.mean_arrays &&
            g->rule.instance == col.instance && g->rule.array == col.array) {
            ef_field_copy(out, g);
            return EF_OK;
        }
    }
    f = NULL;
    for (size_t i = 0; i < reg->nfields; i++) {
        const ef_field *g = &reg->fields[i];

        if (g->field == col.field && (!f || (g->rule.kind == EF_RULE_INSTANCE && g->rule.instance == col.instance)))
            f = g;
    }
    memset(out, 0, sizeof *out);
    if (f) {
        ef_field_copy(out, f);
        free(out->key);
    } else {
        out->type = EF_FT_CONTINUOUS;
        out->unit = ef_xstrdup("");
        out->role = ef_xstrdup("other");
        out->label = ef_xasprintf("UKB field %ld", col.field);
        out->field = col.field;
    }
    out->key = ef_xstrdup(ef_ukbcol_format(&col, key, sizeof key));
    out->instances = 1u << col.instance;
    out->arrays = 1u << col.array;
    out->rule.kind = EF_RULE_INSTANCE;
    out->rule.instance = col.instance;
    out->rule.array = col.array;
    out->rule.mean_arrays = 0;
    out->fallback_field = 0;
    out->line = 0;
    return EF_OK;
}

int ef_coding_value(const ef_registry *reg, long coding, const char *text, double *value)
{
    size_t i;

    for (i = 0; i < reg->ncodes; i++) {
        if (reg->codes[i].coding == coding && strcasecmp(reg->codes[i].meaning, text) == 0) {
            *value = reg->codes[i].value;
            return 1;
        }
    }
    return 0;
}

const char *ef_coding_meaning(const ef_registry *reg, long coding, double value)
{
    size_t i;

    for (i = 0; i < reg->ncodes; i++)
        if (reg->codes[i].coding == coding && reg->codes[i].value == value)
            return reg->codes[i].meaning;
    return NULL;
}

/* ---- the installed registry, loaded once ---- */

static pthread_once_t installed_once = PTHREAD_ONCE_INIT;
static ef_registry *installed;
static ef_error installed_err;

static void load_installed(void)
{
    if (ef_registry_load(&installed, NULL, &installed_err) != EF_OK)
        installed = NULL;
}

const ef_registry *ef_registry_installed(ef_error *err)
{
    pthread_once(&installed_once, load_installed);
    if (!installed && err)
        *err = installed_err;
    return installed;
}
