/* test_synth.c — the synthetic UK Biobank cohort: determinism, header and
 * quoting in both dialects, and the statistics of synthetic-cohort.md §8
 * checked on a parsed-back file of 20,000 rows. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "synth/ef_synth.h"
#include "synth/ef_synth_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small RFC 4180 reader that remembers which cells were quoted ---- */

typedef struct table {
    char *buf;
    size_t nrec, ncol;       /* records including the header */
    size_t *off;             /* nrec * ncol cell offsets into buf */
    unsigned char *quoted;
    int ragged;
} table;

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *b;
    long n;

    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    b = ef_xmalloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, fp) != (size_t)n)
        n = 0;
    b[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static int table_read(table *t, const char *path)
{
    size_t len, i = 0, cap = 1024, n = 0, col = 0;
    char *b;

    memset(t, 0, sizeof *t);
    if (!(b = slurp(path, &len)))
        return 0;
    t->buf = b;
    t->off = ef_xmalloc(cap * sizeof *t->off);
    t->quoted = ef_xmalloc(cap);
    while (i < len) {
        size_t start = i, dst = i;
        int q = 0;
        char sep;

        if (b[i] == '"') {
            q = 1;
            i++;
            for (;;) {
                if (i >= len)
                    return 0;
                if (b[i] == '"') {
                    if (i + 1 < len && b[i + 1] == '"') {
                        b[dst++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                b[dst++] = b[i++];
            }
        } else {
            while (i < len && b[i] != ',' && b[i] != '\n')
                i++;
            dst = i;
        }
        sep = i < len ? b[i] : '\n';
        if (sep != ',' && sep != '\n')
            return 0;
        b[dst] = '\0';
        if (n == cap) {
            cap *= 2;
            t->off = ef_xreallocarray(t->off, cap, sizeof *t->off);
            t->quoted = ef_xrealloc(t->quoted, cap);
        }
        t->off[n] = start;
        t->quoted[n++] = (unsigned char)q;
        col++;
        i++;
        if (sep == '\n') {
            if (t->nrec == 0)
                t->ncol = col;
            else if (col != t->ncol)
                t->ragged = 1;
            t->nrec++;
            col = 0;
        }
    }
    return !t->ragged && t->nrec > 0;
}

static void table_free(table *t)
{
    free(t->buf);
    free(t->off);
    free(t->quoted);
}

static const char *cellp(const table *t, size_t rec, size_t col)
{
    return t->buf + t->off[rec * t->ncol + col];
}

static long colx(const table *t, const char *name)
{
    for (size_t j = 0; j < t->ncol; j++)
        if (strcmp(cellp(t, 0, j), name) == 0)
            return (long)j;
    return -1;
}

/* Value of data row r (0-based) in the named column, NaN when empty. */
static double val(const table *t, size_t r, long col)
{
    const char *s;

    if (col < 0)
        return NAN;
    s = cellp(t, r + 1, (size_t)col);
    return *s ? strtod(s, NULL) : NAN;
}

/* ---- statistics ---- */

typedef struct acc { double n, sx, sy, sxx, syy, sxy; } acc;

static void add(acc *a, double x, double y)
{
    if (isnan(x) || isnan(y))
        return;
    a->n++;
    a->sx += x;
    a->sy += y;
    a->sxx += x * x;
    a->syy += y * y;
    a->sxy += x * y;
}

static double mean(const acc *a) { return a->sx / a->n; }
static double sd(const acc *a) { return sqrt((a->sxx - a->sx * a->sx / a->n) / (a->n - 1)); }
static double corr(const acc *a)
{
    double cxy = a->sxy - a->sx * a->sy / a->n;
    double cxx = a->sxx - a->sx * a->sx / a->n, cyy = a->syy - a->sy * a->sy / a->n;

    return cxy / sqrt(cxx * cyy);
}

static int in(double x, double lo, double hi, const char *what)
{
    return ok(x >= lo && x <= hi, "%s = %.4g in [%g, %g]", what, x, lo, hi);
}

/* Column means/SDs by sex: one acc per sex (index 0 women, 1 men). */
static void by_sex(const table *t, long sexcol, long col, acc a[2])
{
    memset(a, 0, 2 * sizeof *a);
    for (size_t r = 0; r + 1 < t->nrec; r++) {
        double s = val(t, r, sexcol), x = val(t, r, col);

        if (!isnan(s))
            add(&a[(int)s], x, x);
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static int files_equal(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    int eq = x && y && la == lb && memcmp(x, y, la) == 0;

    free(x);
    free(y);
    return eq;
}

static char *write_cohort(const char *name, size_t n, uint64_t seed, int naming, double rate,
                          ef_synth **keep)
{
    ef_synth_opts o;
    ef_synth *s = NULL;
    ef_error err;
    char *path = ef_xasprintf("%s/%s", tap_tmpdir(), name);

    ef_synth_opts_default(&o);
    o.n = n;
    o.seed = seed;
    o.naming = naming;
    o.vo2_i1_rate = rate;
    if (ef_synth_new(&s, &o, &err) != EF_OK || ef_synth_write_csv(s, path, &err) != EF_OK) {
        diag("%s", err.msg);
        ef_synth_free(s);
        free(path);
        return NULL;
    }
    if (keep)
        *keep = s;
    else
        ef_synth_free(s);
    return path;
}

/* ---- parts ---- */

static void test_rng(void)
{
    ef_rng a, b;
    double w[3] = { 1, 2, 1 }, sum = 0, sum2 = 0;
    size_t cnt[3] = { 0, 0, 0 };
    int same = 1;

    ef_rng_seed(&a, 42);
    ef_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        same &= ef_rng_next(&a) == ef_rng_next(&b);
    ok(same, "rng: same seed, same stream");
    ef_rng_seed2(&a, 42, 1);
    ef_rng_seed2(&b, 42, 2);
    ok(ef_rng_next(&a) != ef_rng_next(&b), "rng: streams differ");
    ef_rng_seed(&a, 7);
    for (int i = 0; i < 200000; i++) {
        double z = ef_rng_normal(&a);

        sum += z;
        sum2 += z * z;
        cnt[ef_rng_categorical(&a, w, 3)]++;
    }
    is_abs(sum / 200000, 0.0, 0.01, "rng: normal mean 0");
    is_abs(sum2 / 200000, 1.0, 0.015, "rng: normal variance 1");
    is_abs(cnt[1] / 200000.0, 0.5, 0.01, "rng: categorical weights");
    ok(ef_rng_below(&a, 1) == 0, "rng: below(1) is 0");
}

static void test_fmt(void)
{
    ef_rng r;
    char mine[40], ref[40];
    int bad = 0;

    ef_rng_seed(&r, 3);
    for (int i = 0; i < 20000 && bad < 3; i++) {
        double x = exp(ef_rng_uniform_range(&r, -9.0, 16.0)) * (i % 2 ? 1 : -1);

        if (i % 3 == 0)
            x = round(x * 1000) / 1000;
        if (x == 0.0)
            continue;
        mine[ef_synth_fmt_g6(x, mine)] = '\0';
        snprintf(ref, sizeof ref, "%.6g", x);
        if (strcmp(mine, ref) != 0) {
            diag("fmt_g6(%.17g) = %s, printf gives %s", x, mine, ref);
            bad++;
        }
    }
    ok(bad == 0, "number formatter agrees with %%.6g");
    mine[ef_synth_fmt_g6(27.9871, mine)] = '\0';
    is_str(mine, "27.9871", "27.9871 keeps 6 significant digits");
    mine[ef_synth_fmt_g6(0.00012, mine)] = '\0';
    is_str(mine, "0.00012", "small value");
}

static void test_dates(void)
{
    int y, m, d;

    is_int(ef_synth_days_from_civil(1970, 1, 1), 0, "day 0 is 1970-01-01");
    is_int(ef_synth_days_from_civil(2000, 3, 1), 11017, "2000-03-01");
    ef_synth_civil_from_days(ef_synth_days_from_civil(2012, 2, 29), &y, &m, &d);
    ok(y == 2012 && m == 2 && d == 29, "leap day round-trips");
}

static void test_table_and_header(const char *ukb, const char *rap)
{
    table t;
    char name[64], want[64];
    int good, prev = 0, sorted = 1;
    static const struct { int field, lo, hi, na; } need[] = {
        { 31, 0, 0, 1 }, { 46, 0, 3, 1 }, { 47, 0, 3, 1 }, { 93, 0, 3, 2 }, { 94, 0, 3, 2 },
        { 924, 0, 3, 1 }, { 2080, 0, 3, 1 }, { 3062, 0, 3, 3 }, { 3063, 0, 3, 3 },
        { 3064, 0, 3, 3 }, { 4079, 0, 3, 2 }, { 4080, 0, 3, 2 }, { 4106, 0, 3, 1 },
        { 6017, 0, 1, 1 }, { 20023, 0, 3, 1 }, { 20116, 0, 3, 1 }, { 20150, 0, 0, 1 },
        { 20153, 0, 0, 1 }, { 20154, 0, 0, 1 }, { 20256, 0, 0, 1 }, { 20258, 0, 0, 1 },
        { 21000, 0, 2, 1 }, { 21001, 0, 3, 1 }, { 21003, 0, 3, 1 }, { 21021, 0, 3, 1 },
        { 23099, 0, 3, 1 }, { 23100, 0, 3, 1 }, { 23104, 0, 3, 1 }, { 23127, 0, 3, 1 },
        { 23128, 0, 3, 1 }, { 23400, 0, 1, 1 }, { 26413, 0, 0, 1 }, { 26420, 0, 0, 1 },
        { 26430, 0, 0, 1 }, { 29155, 0, 0, 1 }, { 30038, 0, 1, 1 }, { 30710, 0, 1, 1 },
        { 30760, 0, 1, 1 }, { 30780, 0, 1, 1 }, { 30870, 0, 1, 1 }, { 31060, 2, 2, 1 },
        { 78, 0, 0, 1 }, { 90012, 0, 0, 1 }, { 120103, 0, 0, 1 },
    };

    for (size_t f = 0; f < ef_synth_field_count(); f++) {
        sorted &= ef_synth_field_at(f)->field > prev;
        prev = ef_synth_field_at(f)->field;
    }
    ok(sorted, "field table ascending by field id");
    good = 1;
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
        int found = 0;

        for (size_t f = 0; f < ef_synth_field_count(); f++) {
            const ef_synth_field *fd = ef_synth_field_at(f);

            if (fd->field == need[k].field)
                found = fd->inst_lo == need[k].lo && fd->inst_hi == need[k].hi
                        && fd->n_arrays == need[k].na;
        }
        if (!found) {
            diag("field %d missing or with other instances/arrays", need[k].field);
            good = 0;
        }
    }
    ok(good, "every seed field with its instances and arrays (ukb-data §3.1)");
    ok(ef_synth_field_at(ef_synth_field_count()) == NULL, "field_at past the end is NULL");

    /* Header in the ukbconv dialect: "eid","31-0.0",... every name quoted. */
    if (!ok(ukb && table_read(&t, ukb), "ukbconv file parses, no ragged rows"))
        return;
    is_int((long long)t.ncol, (long long)ef_synth_column_count(), "column count");
    good = strcmp(cellp(&t, 0, 0), "eid") == 0;
    for (size_t f = 0, j = 1; f < ef_synth_field_count(); f++) {
        const ef_synth_field *fd = ef_synth_field_at(f);

        for (int i = fd->inst_lo; i <= fd->inst_hi; i++)
            for (int a = 0; a < fd->n_arrays; a++, j++) {
                snprintf(want, sizeof want, "%d-%d.%d", fd->field, i, a);
                if (j >= t.ncol || strcmp(cellp(&t, 0, j), want) != 0) {
                    diag("column %zu: want %s", j, want);
                    good = 0;
                }
                ef_synth_column_name(j, EF_NAMING_UKBCONV, name, sizeof name);
                good &= strcmp(name, want) == 0;
            }
    }
    ok(good, "ukbconv header follows the table: field, instance, array");

    /* Cell syntax by type: integers for codes, <= 6 significant digits. */
    {
        size_t bad = 0, j = 1;

        for (size_t f = 0; f < ef_synth_field_count(); f++) {
            const ef_synth_field *fd = ef_synth_field_at(f);
            size_t k = (size_t)(fd->inst_hi - fd->inst_lo + 1) * (size_t)fd->n_arrays;

            for (; k > 0; k--, j++)
                for (size_t r = 1; r < t.nrec; r++) {
                    const char *c = cellp(&t, r, j), *e;
                    char *end;
                    int y, m, d, digits = 0, lead = 1;

                    if (!*c)
                        continue;
                    switch (fd->type) {
                    case EF_SYNTH_INT:
                    case EF_SYNTH_CAT:
                        strtol(c, &end, 10);
                        bad += *end != '\0';
                        break;
                    case EF_SYNTH_CONT:
                        strtod(c, &end);
                        bad += *end != '\0' || strchr(c, 'e') != NULL;
                        for (e = c; *e; e++) {
                            lead &= *e == '0' || *e == '-' || *e == '.';
                            digits += !lead && *e >= '0' && *e <= '9';
                        }
                        bad += digits > 6;
                        break;
                    case EF_SYNTH_DATE:
                        bad += sscanf(c, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(c) != 10
                               || y < 2006 || y > 2025 || m < 1 || m > 12;
                        break;
                    default:
                        break;
                    }
                }
        }
        is_int((long long)bad, 0, "cells: integer codes, <= 6 significant digits, ISO dates");
    }
    good = 1;
    for (size_t k = 0; k < t.nrec * t.ncol; k++)
        good &= t.quoted[k];
    ok(good, "ukbconv: every cell is quoted, empty cells too");
    {
        size_t len;
        char *raw = slurp(ukb, &len);

        ok(raw && strncmp(raw, "\"eid\",\"31-0.0\",\"34-0.0\",", 23) == 0, "ukbconv header begins \"eid\",\"31-0.0\"");
        ok(raw && !strchr(raw, '\r'), "LF line ends, no CR");
        ok(raw && (unsigned char)raw[0] == '"', "no BOM");
        ok(raw && strstr(raw, ",\"\",") != NULL, "empty cells written as \"\"");
        free(raw);
    }
    table_free(&t);

    /* RAP dialect. */
    if (!ok(rap && table_read(&t, rap), "RAP file parses"))
        return;
    good = strcmp(cellp(&t, 0, 0), "participant.eid") == 0;
    for (size_t f = 0, j = 1; f < ef_synth_field_count(); f++) {
        const ef_synth_field *fd = ef_synth_field_at(f);

        for (int i = fd->inst_lo; i <= fd->inst_hi; i++)
            for (int a = 0; a < fd->n_arrays; a++, j++) {
                int len = snprintf(want, sizeof want, "participant.p%d", fd->field);

                if (fd->instanced)
                    len += snprintf(want + len, sizeof want - (size_t)len, "_i%d", i);
                if (fd->n_arrays > 1)
                    snprintf(want + len, sizeof want - (size_t)len, "_a%d", a);
                good &= j < t.ncol && strcmp(cellp(&t, 0, j), want) == 0;
            }
    }
    ok(good, "RAP header: participant.p<F>[_i<I>][_a<A>]");
    ok(colx(&t, "participant.p31") > 0 && colx(&t, "participant.p21003_i2") > 0
       && colx(&t, "participant.p4080_i2_a0") > 0 && colx(&t, "participant.p120103") > 0,
       "RAP names p31, p21003_i2, p4080_i2_a0, p120103");
    {
        size_t nq = 0, bad = 0;

        for (size_t k = 0; k < t.nrec * t.ncol; k++) {
            const char *c = t.buf + t.off[k];
            int need_q = strchr(c, ',') || strchr(c, '"');

            nq += t.quoted[k];
            bad += t.quoted[k] != need_q;
        }
        ok(bad == 0, "RAP: cells quoted exactly when they hold a comma or a quote");
        ok(nq > 0, "RAP: some text cells need quoting (%zu)", nq);
    }
    table_free(&t);
}

static void test_same_values(const char *ukb, const char *rap)
{
    table a, b;
    int same = 1;

    if (!table_read(&a, ukb) || !table_read(&b, rap)) {
        ok(0, "dialects hold the same values");
        return;
    }
    same = a.nrec == b.nrec && a.ncol == b.ncol;
    for (size_t k = a.ncol; same && k < a.nrec * a.ncol; k++)
        same = strcmp(a.buf + a.off[k], b.buf + b.off[k]) == 0;
    ok(same, "ukbconv and RAP files hold the same values");
    table_free(&a);
    table_free(&b);
}

static void test_determinism(void)
{
    char *a = write_cohort("d1.csv", 300, 11, EF_NAMING_UKBCONV, -1, NULL);
    char *b = write_cohort("d2.csv", 300, 11, EF_NAMING_UKBCONV, -1, NULL);
    char *c = write_cohort("d3.csv", 300, 12, EF_NAMING_UKBCONV, -1, NULL);
    char *r = write_cohort("d4.csv", 300, 11, EF_NAMING_RAP, -1, NULL);
    char *p = write_cohort("d5.csv", 100, 11, EF_NAMING_UKBCONV, -1, NULL);
    size_t la, lp;
    char *xa, *xp;

    ok(a && b && files_equal(a, b), "same seed: byte-identical files");
    ok(a && c && !files_equal(a, c), "different seed: different file");
    test_table_and_header(a, r);
    test_same_values(a, r);

    /* Each row has its own stream: a smaller cohort is a prefix. */
    xa = a ? slurp(a, &la) : NULL;
    xp = p ? slurp(p, &lp) : NULL;
    ok(xa && xp && lp < la && memcmp(xa, xp, lp) == 0, "n = 100 is a prefix of n = 300");
    free(xa);
    free(xp);

    /* The steppable job writes the same bytes. */
    {
        ef_synth_opts o;
        ef_synth *s;
        ef_job *job = NULL;
        ef_error err;
        char *path = ef_xasprintf("%s/job.csv", tap_tmpdir());
        int rc, steps = 0;

        ef_synth_opts_default(&o);
        o.n = 5000;
        o.seed = 11;
        ef_synth_new(&s, &o, &err);
        rc = ef_synth_csv_job(s, path, &job, &err);
        if (rc == EF_OK)
            while ((rc = ef_job_step(job, 0, &err)) == EF_CONTINUE)
                steps++;
        is_int(rc, EF_OK, "csv job finishes");
        ok(steps >= 2, "csv job takes several slices (%d)", steps);
        ef_job_free(job);
        ef_synth_free(s);
        o.n = 300;
        ef_synth_new(&s, &o, &err);
        ef_synth_csv_job(s, path, &job, &err);
        while (ef_job_step(job, 0, &err) == EF_CONTINUE)
            ;
        ef_job_free(job);
        ok(a && files_equal(a, path), "csv job output equals ef_synth_write_csv");
        ef_synth_free(s);
        free(path);
    }
    free(a);
    free(b);
    free(c);
    free(r);
    free(p);
}

static void test_errors(void)
{
    ef_synth_opts o;
    ef_synth *s = NULL;
    ef_error err;
    char *path;

    ef_synth_opts_default(&o);
    is_int((long long)o.n, 1000, "default n");
    ok(o.seed == 1 && o.naming == EF_NAMING_UKBCONV && o.vo2_i1_rate < 0, "defaults");
    o.vo2_i1_rate = 1.5;
    is_int(ef_synth_new(&s, &o, &err), EF_EINVAL, "rate above 1 rejected");
    o.vo2_i1_rate = -1;
    o.naming = 7;
    is_int(ef_synth_new(&s, &o, &err), EF_EINVAL, "unknown naming rejected");
    o.naming = EF_NAMING_UKBCONV;
    o.n = (size_t)EF_SYNTH_MAX_N + 1;
    is_int(ef_synth_new(&s, &o, &err), EF_EINVAL, "n above 9e6 rejected");
    o.n = 10;
    is_int(ef_synth_new(&s, &o, &err), EF_OK, "small cohort");
    ok(ef_synth_options(s)->vo2_i1_rate == EF_SYNTH_VO2_I1_RATE, "negative rate means the default");
    path = ef_xasprintf("%s/no/such/dir/x.csv", tap_tmpdir());
    is_int(ef_synth_write_csv(s, path, &err), EF_EIO, "unwritable path: EF_EIO");
    like(err.file, "x.csv", "error names the file");
    ok(ef_synth_person_at(s, 10) == NULL, "person_at past the end is NULL");
    free(path);
    ef_synth_free(s);
}

static void test_rate_option(void)
{
    ef_synth *s;
    char *p = write_cohort("rate1.csv", 1000, 5, EF_NAMING_UKBCONV, 1.0, &s);
    char *q = write_cohort("rate0.csv", 1000, 5, EF_NAMING_UKBCONV, 0.0, NULL);
    table t;
    size_t i2 = 0, v1 = 0, v1_only_edge = 0;

    if (p && table_read(&t, p)) {
        long a2 = colx(&t, "21003-2.0"), v = colx(&t, "30038-1.0"), a1 = colx(&t, "21003-1.0");
        int has_i1 = 1;

        for (size_t r = 0; r + 1 < t.nrec; r++) {
            i2 += !isnan(val(&t, r, a2));
            v1 += !isnan(val(&t, r, a2)) && !isnan(val(&t, r, v));
            has_i1 &= isnan(val(&t, r, v)) || !isnan(val(&t, r, a1));
        }
        is_int((long long)v1, (long long)i2, "rate 1: every instance-2 attendee has 30038-1.0");
        ok(has_i1, "30038-1.0 only with an instance-1 visit");
        table_free(&t);
    } else {
        ok(0, "rate 1 cohort");
        ok(0, "rate 1 cohort");
    }
    if (q && table_read(&t, q)) {
        long v = colx(&t, "30038-1.0");

        for (size_t r = 0; r + 1 < t.nrec; r++)
            v1_only_edge += !isnan(val(&t, r, v));
        is_int((long long)v1_only_edge, 2, "rate 0: only the two forced edge rows have 30038-1.0");
        table_free(&t);
    } else {
        ok(0, "rate 0 cohort");
    }
    ef_synth_free(s);
    free(p);
    free(q);
}

/* The big one: n = 20,000 parsed back and checked against §2–§4.5. */
static void test_statistics(void)
{
    const size_t N = 20000;
    ef_synth *s = NULL;
    char *path = write_cohort("big.csv", N, 2024, EF_NAMING_UKBCONV, -1, &s);
    table t;
    acc a[2];
    long sex, age0, age2, bmi0, sbp0, sbp01, vo0, vo1, eidc;
    size_t nrow;

    if (!path || !table_read(&t, path)) {
        ok(0, "big cohort written and parsed");
        free(path);
        ef_synth_free(s);
        return;
    }
    nrow = t.nrec - 1;
    is_int((long long)nrow, (long long)N, "20000 rows");
    sex = colx(&t, "31-0.0");
    age0 = colx(&t, "21003-0.0");
    age2 = colx(&t, "21003-2.0");
    bmi0 = colx(&t, "21001-0.0");
    sbp0 = colx(&t, "4080-0.0");
    sbp01 = colx(&t, "4080-0.1");
    vo0 = colx(&t, "30038-0.0");
    vo1 = colx(&t, "30038-1.0");
    eidc = colx(&t, "eid");

    /* eids */
    {
        int64_t *e = ef_xcalloc(nrow, sizeof *e);
        int seven = 1, uniq = 1, desc = 0;

        for (size_t r = 0; r < nrow; r++) {
            e[r] = (int64_t)val(&t, r, eidc);
            seven &= e[r] >= 1000000 && e[r] <= 9999999 && strlen(cellp(&t, r + 1, 0)) == 7;
            desc += r > 0 && e[r] < e[r - 1];
        }
        qsort(e, nrow, sizeof *e, cmp_i64);
        for (size_t r = 1; r < nrow; r++)
            uniq &= e[r] != e[r - 1];
        ok(seven, "eids are 7-digit");
        ok(uniq, "eids are unique");
        ok(desc > (int)(nrow / 3), "eids are in shuffled order (%d descents)", desc);
        free(e);
    }

    /* Marginals (§2.1, §8.1). */
    {
        acc w = { 0 }, ag = { 0 }, ag2 = { 0 }, b = { 0 }, sb = { 0 }, sb2 = { 0 }, db = { 0 };
        acc d = { 0 }, tg = { 0 }, crp = { 0 };
        long dbp0 = colx(&t, "4079-0.0"), sbp2 = colx(&t, "4080-2.0");
        long tgc = colx(&t, "30870-0.0"), crpc = colx(&t, "30710-0.0");

        for (size_t r = 0; r < nrow; r++) {
            double x = val(&t, r, sex);

            add(&w, x == 0, 0);
            add(&ag, val(&t, r, age0), 0);
            add(&ag2, val(&t, r, age2), 0);
            add(&b, val(&t, r, bmi0), 0);
            add(&sb, val(&t, r, sbp0), 0);
            add(&sb2, val(&t, r, sbp2), 0);
            add(&db, val(&t, r, dbp0), 0);
            add(&d, val(&t, r, sbp01) - val(&t, r, sbp0), 0);
            add(&tg, val(&t, r, tgc), 0);
            add(&crp, val(&t, r, crpc), 0);
        }
        in(mean(&w), 0.52, 0.57, "share of women");
        is_rel(mean(&ag), 56.29, 0.05, "age at instance 0: mean %.2f", mean(&ag));
        is_rel(sd(&ag), 8.08, 0.15, "age at instance 0: SD %.2f", sd(&ag));
        in(mean(&ag2), 63.0, 64.5, "age at instance 2: mean");
        is_rel(mean(&b), 27.52, 0.05, "BMI 21001-0.0 mean %.2f", mean(&b));
        is_rel(sd(&b), 4.81, 0.15, "BMI 21001-0.0 SD %.2f", sd(&b));
        is_rel(mean(&sb), 139.44, 0.05, "SBP 4080-0.0 mean %.1f", mean(&sb));
        is_rel(sd(&sb), 19.12, 0.15, "SBP 4080-0.0 SD %.1f", sd(&sb));
        in(mean(&sb2), 134.0, 142.5, "SBP 4080-2.0 mean (imaging ~138)");
        is_rel(mean(&db), 82.24, 0.05, "DBP 4079-0.0 mean %.1f", mean(&db));
        in(mean(&d), -5.0, -3.0, "2nd SBP reading minus 1st");
        is_rel(mean(&tg), 1.76, 0.10, "triglycerides mean %.2f", mean(&tg));
        is_rel(mean(&crp), 2.67, 0.15, "CRP mean %.2f", mean(&crp));
    }

    /* By sex (§2.1 table). */
    {
        static const struct { const char *col; double w, m, tol; } bs[] = {
            { "47-0.0", 24.6, 40.5, 0.05 }, { "23099-0.0", 36.2, 25.7, 0.05 },
            { "3063-0.0", 2.42, 3.29, 0.05 }, { "30760-0.0", 1.59, 1.28, 0.05 },
            { "4080-0.0", 136.5, 143.0, 0.04 }, { "4079-0.0", 80.6, 84.2, 0.04 },
            { "102-0.0", 70.9, 68.1, 0.05 },
        };

        for (size_t k = 0; k < sizeof bs / sizeof bs[0]; k++) {
            by_sex(&t, sex, colx(&t, bs[k].col), a);
            is_rel(mean(&a[0]), bs[k].w, bs[k].tol, "%s women mean %.3g", bs[k].col, mean(&a[0]));
            is_rel(mean(&a[1]), bs[k].m, bs[k].tol, "%s men mean %.3g", bs[k].col, mean(&a[1]));
        }
    }

    /* VO2max (§4.5, §8.2). */
    {
        acc va[2], vb[2], vh[2];
        size_t n0 = 0, n1 = 0, n2 = 0, n3 = 0, necg = 0;
        long a3 = colx(&t, "21003-3.0");

        memset(a, 0, 2 * sizeof *a);
        memset(va, 0, sizeof va);
        memset(vb, 0, sizeof vb);
        memset(vh, 0, sizeof vh);
        for (size_t r = 0; r < nrow; r++) {
            int k = (int)val(&t, r, sex);
            double v1 = val(&t, r, vo1), v0 = val(&t, r, vo0);
            const ef_synth_person *p = ef_synth_person_at(s, r);

            if (v1 == -3)
                v1 = NAN;
            add(&a[k], v1, v1);
            add(&va[k], v0, val(&t, r, age0));
            add(&vb[k], v0, val(&t, r, bmi0));
            add(&vh[k], v1, p->rest_hr);
            n0 += !isnan(v0);
            n1 += !isnan(val(&t, r, vo1));
            n2 += !isnan(val(&t, r, age2));
            n3 += !isnan(val(&t, r, a3));
            necg += p->has_ecg2;
        }
        in(mean(&a[0]), 25.0, 29.5, "VO2max 30038-1.0 women mean (~27)");
        in(mean(&a[1]), 30.5, 35.0, "VO2max 30038-1.0 men mean (~32.5)");
        in(sd(&a[0]), 5.0, 7.5, "VO2max women SD (~6)");
        in(sd(&a[1]), 5.0, 7.5, "VO2max men SD (~6)");
        in(corr(&va[0]), -0.50, -0.22, "r(VO2max, age) women");
        in(corr(&va[1]), -0.50, -0.22, "r(VO2max, age) men");
        in(corr(&vb[0]), -0.65, -0.30, "r(VO2max, BMI) women");
        in(corr(&vb[1]), -0.65, -0.30, "r(VO2max, BMI) men");
        in(corr(&vh[0]), -0.60, -0.15, "r(VO2max i1, resting HR i2) women");
        in(corr(&vh[1]), -0.60, -0.15, "r(VO2max i1, resting HR i2) men");

        /* Participation (§1.3). */
        in((double)n2 / (double)nrow, 0.685, 0.715, "instance-2 share (~0.70)");
        in((double)necg / (double)n2, 0.92, 0.94, "resting ECG among instance-2 attendees (~0.93)");
        in((double)n1 / (double)n2, 0.095, 0.125, "30038-1.0 among instance-2 attendees (~0.11)");
        in((double)n0 / (double)nrow, 0.15, 0.17, "30038-0.0 share (~0.16)");
        in((double)n3 / (double)n2, 0.125, 0.155, "instance 3 among instance-2 attendees (~0.14)");
    }

    /* Resting heart rate at the ECG (§4.5, §5.1). */
    {
        acc h[2];

        memset(h, 0, sizeof h);
        for (size_t r = 0; r < nrow; r++) {
            const ef_synth_person *p = ef_synth_person_at(s, r);

            add(&h[p->sex], p->rest_hr, p->rest_hr);
        }
        in(mean(&h[0]), 60.0, 63.5, "resting HR women");
        in(mean(&h[1]), 57.0, 60.5, "resting HR men");
        in(sd(&h[0]), 8.0, 11.0, "resting HR SD");
    }

    /* Correlations (§3, §8). */
    {
        acc sa = { 0 }, sbm = { 0 }, sd_ = { 0 }, gs = { 0 }, bf[2];
        long grip = colx(&t, "47-0.0"), bfc = colx(&t, "23099-0.0"), dbp0 = colx(&t, "4079-0.0");

        memset(bf, 0, sizeof bf);
        for (size_t r = 0; r < nrow; r++) {
            int k = (int)val(&t, r, sex);

            add(&sa, val(&t, r, sbp0), val(&t, r, age0));
            add(&sbm, val(&t, r, sbp0), val(&t, r, bmi0));
            add(&sd_, val(&t, r, sbp0), val(&t, r, dbp0));
            add(&gs, val(&t, r, grip), k);
            add(&bf[k], val(&t, r, bfc), val(&t, r, bmi0));
        }
        in(corr(&sa), 0.15, 0.40, "r(SBP, age)");
        in(corr(&sbm), 0.10, 0.32, "r(SBP, BMI)");
        in(corr(&sd_), 0.55, 0.80, "r(SBP, DBP)");
        in(corr(&gs), 0.60, 0.80, "r(grip, male sex)");
        in(corr(&bf[0]), 0.70, 0.95, "r(BF%, BMI) women");
        in(corr(&bf[1]), 0.70, 0.95, "r(BF%, BMI) men");
    }

    /* Categorical shares (§2.2). */
    {
        size_t sm[3] = { 0, 0, 0 }, nsm = 0, white = 0, neth = 0, pace[4] = { 0 }, npace = 0;
        long smc = colx(&t, "20116-0.0"), ethc = colx(&t, "21000-0.0"), pc = colx(&t, "924-0.0");

        for (size_t r = 0; r < nrow; r++) {
            double x = val(&t, r, smc), e = val(&t, r, ethc), q = val(&t, r, pc);

            if (x >= 0) {
                sm[(int)x]++;
                nsm++;
            }
            if (!isnan(e)) {
                white += e == 1 || (e >= 1001 && e <= 1003);
                neth++;
            }
            if (q >= 1) {
                pace[(int)q]++;
                npace++;
            }
        }
        is_abs((double)sm[0] / (double)nsm, 0.55, 0.02, "never smokers");
        is_abs((double)sm[1] / (double)nsm, 0.35, 0.025, "previous smokers");
        is_abs((double)sm[2] / (double)nsm, 0.10, 0.02, "current smokers");
        is_abs((double)white / (double)neth, 0.944, 0.015, "White ethnicity");
        is_abs((double)pace[1] / (double)npace, 0.08, 0.02, "slow walking pace");
        is_abs((double)pace[3] / (double)npace, 0.40, 0.03, "brisk walking pace");
    }

    /* Special codes (ukb-data §3.2). */
    {
        static const struct { const char *prefix; int code; } sc[] = {
            { "924-", -7 }, { "924-", -3 }, { "2080-", -1 }, { "2080-", -3 }, { "20116-", -3 },
            { "21000-", -1 }, { "21000-", -3 }, { "120103-", -818 }, { "29155-", -121 },
        };

        for (size_t k = 0; k < sizeof sc / sizeof sc[0]; k++) {
            size_t hits = 0, present = 0;

            for (size_t j = 1; j < t.ncol; j++) {
                if (strncmp(cellp(&t, 0, j), sc[k].prefix, strlen(sc[k].prefix)) != 0)
                    continue;
                for (size_t r = 0; r < nrow; r++) {
                    double x = val(&t, r, (long)j);

                    present += !isnan(x);
                    hits += x == sc[k].code;
                }
            }
            ok(hits > 0 && hits < present / 50 + 1, "%s*: code %d present, rare (%zu of %zu)",
               sc[k].prefix, sc[k].code, hits, present);
        }
    }

    /* Structure: absent visits are empty; one health score; manual BP. */
    {
        size_t bad_visit = 0, bad_hs = 0, man_miss = 0, n_miss = 0, man_have = 0, n_have = 0;
        size_t vo2_no_i1 = 0;
        long att[4], hs[3] = { colx(&t, "26413-0.0"), colx(&t, "26420-0.0"), colx(&t, "26430-0.0") };
        long man = colx(&t, "93-0.0");

        for (int k = 0; k < 4; k++) {
            char nm[16];

            snprintf(nm, sizeof nm, "21003-%d.0", k);
            att[k] = colx(&t, nm);
        }
        for (size_t r = 0; r < nrow; r++) {
            int nh = 0;

            for (size_t j = 1; j < t.ncol; j++) {
                int f, i, arr;

                if (sscanf(cellp(&t, 0, j), "%d-%d.%d", &f, &i, &arr) == 3 && i > 0
                    && isnan(val(&t, r, att[i])) && *cellp(&t, r + 1, j))
                    bad_visit++;
            }
            for (int k = 0; k < 3; k++)
                nh += !isnan(val(&t, r, hs[k]));
            bad_hs += nh > 1;
            if (isnan(val(&t, r, sbp0)) && isnan(val(&t, r, sbp01))) {
                n_miss++;
                man_miss += !isnan(val(&t, r, man));
            } else {
                n_have++;
                man_have += !isnan(val(&t, r, man));
            }
            vo2_no_i1 += !isnan(val(&t, r, vo1)) && isnan(val(&t, r, att[1]));
        }
        is_int((long long)bad_visit, 0, "no values at instances a person did not attend");
        is_int((long long)bad_hs, 0, "at most one of the three health scores per person");
        ok(n_miss > 0 && (double)man_miss / (double)n_miss > 0.5, "manual BP when the automated reading is missing");
        ok((double)man_have / (double)n_have < 0.05, "manual BP rare otherwise");
        is_int((long long)vo2_no_i1, 0, "30038-1.0 only with an instance-1 visit");
    }

    /* Forced edge rows. */
    {
        ok(!isnan(val(&t, 1, colx(&t, "4080-2.0"))) && isnan(val(&t, 1, colx(&t, "4080-2.1"))),
           "row 1: one BP reading at instance 2");
        ok(!isnan(val(&t, 2, age2)) && isnan(val(&t, 2, colx(&t, "21001-2.0"))),
           "row 2: instance-2 BMI missing");
        ok(!isnan(val(&t, 3, vo1)) && val(&t, 3, vo1) > 0 && isnan(val(&t, 3, vo0)),
           "row 3: VO2max at instance 1 only");
        is_rel(val(&t, 4, vo1), -3, 0, "row 4: 30038-1.0 = -3");
        ok(strcmp(cellp(&t, 4 + 1, (size_t)vo1), "-3") == 0, "special code written as an integer");
    }

    /* The person records agree with the CSV. */
    {
        size_t bad = 0;
        long bmi2 = colx(&t, "21001-2.0"), sm2 = colx(&t, "20116-2.0"), a3 = colx(&t, "21003-3.0");

        for (size_t r = 0; r < nrow; r++) {
            const ef_synth_person *p = ef_synth_person_at(s, r);
            double ag = val(&t, r, age2), bm = val(&t, r, bmi2), x = val(&t, r, sm2);

            bad += p->eid != (int64_t)val(&t, r, eidc);
            bad += p->sex != (int)val(&t, r, sex);
            bad += isnan(ag) != isnan(p->age2) || (!isnan(ag) && ag != floor(p->age2));
            bad += !isnan(bm) && fabs(bm - p->bmi2) > 0.05;
            bad += p->has_ecg2 && isnan(ag);
            bad += p->has_ecg3 && isnan(val(&t, r, a3));
            bad += !isnan(x) && x != p->smoker;
            bad += !isnan(ag) && !(p->rest_hr > 30 && p->rest_hr < 140);
        }
        is_int((long long)bad, 0, "ef_synth_person matches the CSV row");
    }
    table_free(&t);
    ef_synth_free(s);
    free(path);
}

/* The scratch directory is ours to clean up. */
static void cleanup(void)
{
    static const char *const names[] = {
        "d1.csv", "d2.csv", "d3.csv", "d4.csv", "d5.csv", "job.csv", "rate1.csv", "rate0.csv",
        "big.csv",
    };

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char *p = ef_xasprintf("%s/%s", tap_tmpdir(), names[k]);

        remove(p);
        free(p);
    }
    remove(tap_tmpdir());
}

int main(void)
{
    test_rng();
    test_fmt();
    test_dates();
    test_errors();
    test_determinism();
    test_rate_option();
    test_statistics();
    cleanup();
    return done_testing();
}
