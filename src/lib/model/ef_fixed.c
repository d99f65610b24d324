/* ef_fixed.c — the coefficient file, the fixed linear models and the
 * reference equations (see ef_fixed.h for the sources). */
#include "config.h"
#include "model/ef_fixed.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "ukb/ef_registry.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 5

static const char *const header[NCOLS] = { "model", "term", "coefficient", "center", "scale" };
static const char *const known_models[] = { "basic", "deep_ecg_vo2" };

static const struct { const char *name; int kind; } named_terms[] = {
    { "age", EF_TERM_AGE }, { "sex", EF_TERM_SEX }, { "bmi", EF_TERM_BMI },
    { "test_type_bike", EF_TERM_BIKE }, { "test_type_treadmill", EF_TERM_TREADMILL },
    { "test_type_rower", EF_TERM_ROWER },
};

/* Split line in place on commas into at most max fields; strips a pair of
 * surrounding double quotes (R's write.csv quotes strings) and spaces. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line, *e;

    for (;;) {
        char *c = strchr(p, ',');

        if (c)
            *c = '\0';
        if (n < max) {
            while (*p == ' ')
                p++;
            e = p + strlen(p);
            while (e > p && e[-1] == ' ')
                *--e = '\0';
            if (e - p >= 2 && *p == '"' && e[-1] == '"') {
                e[-1] = '\0';
                p++;
            }
            f[n] = p;
        }
        n++;
        if (!c)
            break;
        p = c + 1;
    }
    return n;
}

static int parse_num(const char *s, double *v)
{
    char *end;

    errno = 0;
    *v = ef_strtod(s, &end);
    return *s && *end == '\0' && errno != ERANGE && isfinite(*v);
}

/* "pclr_output_N" or "pclr_N" -> N. */
static int parse_emb_term(const char *t, size_t *index)
{
    const char *d;
    char *end;
    unsigned long v;

    if (strncmp(t, "pclr_output_", 12) == 0)
        d = t + 12;
    else if (strncmp(t, "pclr_", 5) == 0)
        d = t + 5;
    else
        return 0;
    if (*d < '0' || *d > '9' || (d[0] == '0' && d[1]))
        return 0;
    errno = 0;
    v = strtoul(d, &end, 10);
    if (*end || errno || v > 1000000)
        return 0;
    *index = (size_t)v;
    return 1;
}

typedef struct model_build {
    ef_fixed_model m;
    int has_intercept;
    long first_line;
    size_t cap;
} model_build;

static model_build *get_model(model_build **mb, size_t *n, const char *name, long line)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp((*mb)[i].m.name, name) == 0)
            return &(*mb)[i];
    *mb = ef_xreallocarray(*mb, *n + 1, sizeof **mb);
    memset(&(*mb)[*n], 0, sizeof **mb);
    (*mb)[*n].m.name = ef_xstrdup(name);
    (*mb)[*n].first_line = line;
    return &(*mb)[(*n)++];
}

static int same_term(const ef_fixed_term *a, int kind, size_t index)
{
    return a->kind == kind && (kind != EF_TERM_EMB || a->index == index);
}

/* One data line into the models. */
static int parse_line(char *line, long ln, const char *path, model_build **mb, size_t *nmb, ef_error *err)
{
    char *f[NCOLS];
    size_t n = split(line, f, NCOLS), i, index = 0;
    model_build *b;
    ef_fixed_term t;
    double coef;
    int kind = -1;

    if (n != NCOLS)
        return ef_error_set_at(err, EF_EPARSE, path, ln, 0, "%zu fields, want %d (model,term,coefficient,center,scale)",
                               n, NCOLS);
    for (i = 0; i < sizeof known_models / sizeof known_models[0]; i++)
        if (strcmp(f[0], known_models[i]) == 0)
            break;
    if (i == sizeof known_models / sizeof known_models[0])
        return ef_error_set_at(err, EF_EPARSE, path, ln, 1, "unknown model '%s' (known: basic, deep_ecg_vo2)", f[0]);
    if (!parse_num(f[2], &coef))
        return ef_error_set_at(err, EF_EPARSE, path, ln, 3, "coefficient '%s' is not a finite number", f[2]);
    b = get_model(mb, nmb, f[0], ln);
    if (strcmp(f[1], "(Intercept)") == 0) {
        if (b->has_intercept)
            return ef_error_set_at(err, EF_EPARSE, path, ln, 2, "model %s: (Intercept) given twice", f[0]);
        if (*f[3] || *f[4])
            return ef_error_set_at(err, EF_EPARSE, path, ln, 4, "(Intercept) takes no center or scale");
        b->has_intercept = 1;
        b->m.intercept = coef;
        return EF_OK;
    }
    for (i = 0; i < sizeof named_terms / sizeof named_terms[0]; i++)
        if (strcmp(f[1], named_terms[i].name) == 0)
            kind = named_terms[i].kind;
    if (kind < 0 && parse_emb_term(f[1], &index))
        kind = EF_TERM_EMB;
    if (kind < 0)
        return ef_error_set_at(err, EF_EPARSE, path, ln, 2,
                               "unknown term '%s' (known: (Intercept), age, sex, bmi, test_type_bike, "
                               "test_type_treadmill, test_type_rower, pclr_output_N)", f[1]);
    for (i = 0; i < b->m.nterms; i++)
        if (same_term(&b->m.terms[i], kind, index))
            return ef_error_set_at(err, EF_EPARSE, path, ln, 2, "model %s: term %s given twice (first on line %ld)",
                                   f[0], f[1], b->m.terms[i].line);
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.index = index;
    t.coef = coef;
    t.line = ln;
    if (*f[3] || *f[4]) {
        if (!*f[3] || !*f[4])
            return ef_error_set_at(err, EF_EPARSE, path, ln, *f[3] ? 5 : 4,
                                   "term %s: give both center and scale, or neither", f[1]);
        if (!parse_num(f[3], &t.center))
            return ef_error_set_at(err, EF_EPARSE, path, ln, 4, "center '%s' is not a finite number", f[3]);
        if (!parse_num(f[4], &t.scale))
            return ef_error_set_at(err, EF_EPARSE, path, ln, 5, "scale '%s' is not a finite number", f[4]);
        if (t.scale <= 0)
            return ef_error_set_at(err, EF_EPARSE, path, ln, 5, "scale %s must be > 0", f[4]);
        t.scaled = 1;
    }
    if (b->m.nterms == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 16;
        b->m.terms = ef_xreallocarray(b->m.terms, b->cap, sizeof *b->m.terms);
    }
    b->m.terms[b->m.nterms++] = t;
    if (kind == EF_TERM_EMB && index + 1 > b->m.nemb)
        b->m.nemb = index + 1;
    return EF_OK;
}

static void free_models(model_build *mb, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(mb[i].m.name);
        free(mb[i].m.terms);
    }
    free(mb);
}

int ef_fixed_load(ef_fixed_set **out, const char *path, ef_error *err)
{
    char *def = NULL, *line = NULL, *f[NCOLS];
    size_t cap = 0, nmb = 0, i, n;
    model_build *mb = NULL;
    ef_fixed_set *set;
    ssize_t len;
    long ln = 0;
    int rc = EF_OK, have_header = 0;
    FILE *fp;

    *out = NULL;
    if (!path)
        path = def = ef_xasprintf("%s/%s", ef_datadir(), EF_FIXED_COEF_FILE);
    fp = fopen(path, "r");
    if (!fp) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        free(def);
        return rc;
    }
    while (rc == EF_OK && (len = getline(&line, &cap, fp)) >= 0) {
        ln++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (ln == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
            (unsigned char)line[2] == 0xBF)
            memmove(line, line + 3, (size_t)len - 2);   /* UTF-8 BOM */
        if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
            continue;
        if (!have_header) {
            n = split(line, f, NCOLS);
            for (i = 0; n == NCOLS && i < NCOLS && strcmp(f[i], header[i]) == 0; i++)
                ;
            if (n != NCOLS || i != NCOLS)
                rc = ef_error_set_at(err, EF_EPARSE, path, ln, 0,
                                     "header must be model,term,coefficient,center,scale");
            have_header = 1;
            continue;
        }
        rc = parse_line(line, ln, path, &mb, &nmb, err);
    }
    if (rc == EF_OK && ferror(fp))
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "read error");
    fclose(fp);
    free(line);
    if (rc == EF_OK && nmb == 0)
        rc = ef_error_set_at(err, EF_EPARSE, path, ln, 0, "no coefficients");
    for (i = 0; rc == EF_OK && i < nmb; i++)
        if (!mb[i].has_intercept)
            rc = ef_error_set_at(err, EF_EPARSE, path, mb[i].first_line, 0, "model %s has no (Intercept)",
                                 mb[i].m.name);
    if (rc != EF_OK) {
        free_models(mb, nmb);
        free(def);
        return rc;
    }
    set = ef_xcalloc(1, sizeof *set);
    set->models = ef_xcalloc(nmb, sizeof *set->models);
    for (i = 0; i < nmb; i++)
        set->models[i] = mb[i].m;
    set->nmodels = nmb;
    set->path = ef_xstrdup(path);
    free(mb);
    free(def);
    *out = set;
    return EF_OK;
}

void ef_fixed_free(ef_fixed_set *set)
{
    size_t i;

    if (!set)
        return;
    for (i = 0; i < set->nmodels; i++) {
        free(set->models[i].name);
        free(set->models[i].terms);
    }
    free(set->models);
    free(set->path);
    free(set);
}

const ef_fixed_model *ef_fixed_find(const ef_fixed_set *set, const char *name)
{
    size_t i;

    for (i = 0; set && i < set->nmodels; i++)
        if (strcmp(set->models[i].name, name) == 0)
            return &set->models[i];
    return NULL;
}

static double term_value(const ef_fixed_term *t, const ef_fixed_input *x)
{
    switch (t->kind) {
    case EF_TERM_AGE: return x->age;
    case EF_TERM_SEX: return 1.0 - x->sex;   /* UKB 0 = female -> Khurshid 1 = female */
    case EF_TERM_BMI: return x->bmi;
    case EF_TERM_BIKE: return x->test == EF_TEST_BIKE;
    case EF_TERM_TREADMILL: return x->test == EF_TEST_TREADMILL;
    case EF_TERM_ROWER: return x->test == EF_TEST_ROWER;
    default: return x->emb ? (double)x->emb[t->index] : NAN;
    }
}

double ef_fixed_predict(const ef_fixed_model *m, const ef_fixed_input *x, int scale_mode)
{
    double p = m->intercept, v, s;
    size_t i;

    for (i = 0; i < m->nterms; i++) {
        const ef_fixed_term *t = &m->terms[i];

        if (t->coef == 0.0)
            continue;       /* as the seed: a zero term needs no input */
        v = term_value(t, x);
        if (t->scaled) {
            if (scale_mode == EF_FIXED_SCALE_SQRT)
                s = t->scale <= 1e-9 ? 1.0 : sqrt(t->scale);
            else
                s = t->scale;
            v = (v - t->center) / s;
        }
        p += t->coef * v;
    }
    return isnan(p) ? NAN : p;
}

static int bad_inputs(double age, int female, double wt, double ht)
{
    return isnan(age) || isnan(wt) || isnan(ht) || wt <= 0 || (female != 0 && female != 1);
}

double ef_ref_friend(double age, int female, double weight_kg, double height_cm, int mode)
{
    if (bad_inputs(age, female, weight_kg, height_cm))
        return NAN;
    return 45.2 - 0.35 * age - 10.9 * (female ? 2 : 1) - 0.15 * (weight_kg * 2.2) +
           0.68 * (height_cm * 0.393701) - 0.46 * (mode == EF_TEST_BIKE ? 2 : 1);
}

double ef_ref_wasserman(double age, int female, double weight_kg, double height_cm, int mode)
{
    double ht = height_cm, wt = weight_kg, a = age < 30 ? 30 : age, pw, l;

    if (bad_inputs(age, female, weight_kg, height_cm))
        return NAN;
    if (!female) {
        pw = 0.79 * ht - 60.7;
        l = 0.0337 * ht - 0.000165 * a * ht - 1.963 + (wt >= pw ? 0.006 : 0.014) * (wt - pw);
    } else {
        pw = 0.65 * ht - 42.8;
        l = 0.001 * ht * (14.783 - 0.11 * a) + 0.006 * (wt - pw);
    }
    l = l / wt * 1000;
    return mode == EF_TEST_BIKE ? l : l * 1.11;
}

double ef_ref_jones(double age, int female, double weight_kg, double height_cm, int mode)
{
    double ht = height_cm, wt = weight_kg;

    if (bad_inputs(age, female, weight_kg, height_cm))
        return NAN;
    if (mode == EF_TEST_BIKE)
        return female ? (-2.26 + 0.025 * ht - 0.018 * age + 0.010 * wt) * 1000 / wt
                      : (-3.76 + 0.034 * ht - 0.028 * age + 0.022 * wt) * 1000 / wt;
    return female ? (2.6 - 0.014 * age) * 1000 / wt : (4.2 - 0.032 * age) * 1000 / wt;
}
