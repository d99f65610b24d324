/* ef_labels.c — the labels stage (see ef_labels.h). */
#include "config.h"
#include "ef_labels.h"
#include "core/ef_alloc.h"
#include "core/ef_eid.h"
#include "core/ef_numfmt.h"
#include "core/ef_pool.h"
#include "core/ef_str.h"
#include "ecg/ef_ecg_files.h"
#include "store/ef_store.h"
#include "ukb/ef_csv.h"
#include "ukb/ef_ukbcol.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROWS_PER_STEP 2048
#define MAX_REJECTS_KEPT 10000

static const double seed_codes[] = { -3, -7, -818 };

#define MAX_SLOTS (EF_MAX_INSTANCES * EF_MAX_ARRAYS)

/* The cells of cell[][] that are present, in (instance, array) order: slot
 * i * EF_MAX_ARRAYS + a reads selected cell k. */
typedef struct cell_list {
    int n;
    unsigned char slot[MAX_SLOTS];
    int k[MAX_SLOTS];
} cell_list;

/* One output column: a field, its rule and the CSV cells it reads. */
typedef struct column {
    ef_field f;
    int cell[EF_MAX_INSTANCES][EF_MAX_ARRAYS];      /* selected-cell index or -1 */
    int fb_cell[EF_MAX_INSTANCES][EF_MAX_ARRAYS];   /* fallback field's cells */
    cell_list own, fb; /* the same, only the cells present (a row reads these) */
    double *v;
    size_t n_excluded;
    int required;       /* named with --fields: absent from the header is an error */
    int int_text;       /* every source cell so far is a present integer: pandas would read int64 */
    size_t row_excluded;/* this row's special-code cells, counted once the row is accepted */
    int row_int_text;
} column;

/* Open-addressing map eid -> first line, for duplicate detection. */
typedef struct eidmap {
    int64_t *key;
    long *line;
    size_t cap, n;
} eidmap;

enum { LP_READ, LP_BEGIN, LP_WRITE, LP_COMMIT };

typedef struct labels {
    ef_labels_opts o;
    ef_pool *pool;        /* the job's threads (NULL with --jobs 1) */
    int phase;            /* LP_*: the rows, then the store update a step at a time */
    ef_store *s;          /* the update, from LP_WRITE to the commit */
    ef_csv *csv;
    char *csv_name;
    size_t ncols;
    column *cols;
    size_t *sel;               /* CSV column indices selected */
    size_t nsel;
    int eid_cell;
    int64_t *eid;
    size_t n, cap;             /* accepted rows */
    eidmap seen;
    int64_t *ecg;              /* sorted eids with an ECG file */
    size_t necg;
    double *has_ecg;
    size_t rows, rejected;
    char **rejects;
    size_t nrejects;
    ef_labels_target *targets;
    char **absent;             /* registry fields this extract lacks, with hints */
    size_t nabsent;
    char **kept;               /* store columns this run kept (not re-extracted) */
    size_t nkept;
    size_t kept_rows_dropped;  /* stored participants not in this CSV */
    char missing_demo[32];     /* "age", "sex, bmi": demographics not in the extract */
    char *own_csv, *own_ecg, *own_store, *own_rejects, **own_cols;
    ef_labels_summary sum;
    int summarised;
} labels;

/* ---- eid map ------------------------------------------------------------ */

static size_t hash64(int64_t k)
{
    uint64_t x = (uint64_t)k;

    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static void eidmap_grow(eidmap *m);

/* Returns 0 if inserted, else the line of the earlier occurrence. */
static long eidmap_put(eidmap *m, int64_t k, long line)
{
    size_t i;

    if (2 * (m->n + 1) > m->cap)
        eidmap_grow(m);
    for (i = hash64(k) & (m->cap - 1); m->line[i]; i = (i + 1) & (m->cap - 1))
        if (m->key[i] == k)
            return m->line[i];
    m->key[i] = k;
    m->line[i] = line;
    m->n++;
    return 0;
}

static void eidmap_grow(eidmap *m)
{
    eidmap old = *m;
    size_t i;

    m->cap = old.cap ? 2 * old.cap : 4096;
    m->key = ef_xcalloc(m->cap, sizeof *m->key);
    m->line = ef_xcalloc(m->cap, sizeof *m->line);
    m->n = 0;
    for (i = 0; i < old.cap; i++)
        if (old.line[i])
            eidmap_put(m, old.key[i], old.line[i]);
    free(old.key);
    free(old.line);
}

/* ---- setup -------------------------------------------------------------- */

void ef_labels_opts_default(ef_labels_opts *o)
{
    memset(o, 0, sizeof *o);
    o->special_mode = EF_SPECIAL_REGISTRY;
    o->ecg_instance = 2;
    o->threads = 1;
}

/* Append the up-to-3 header names closest to want to buf. */
static void closest_names(const ef_csv *csv, const char *want, char *buf, size_t size)
{
    size_t best[3] = { (size_t)-1, (size_t)-1, (size_t)-1 }, bd[3] = { 1000, 1000, 1000 };
    size_t i, k, nc = ef_csv_ncols(csv), len = strlen(buf);

    for (i = 0; i < nc; i++) {
        size_t dist = ef_edit_distance(want, ef_csv_colname(csv, i));

        for (k = 0; k < 3; k++) {
            if (dist < bd[k]) {
                memmove(&bd[k + 1], &bd[k], (2 - k) * sizeof bd[0]);
                memmove(&best[k + 1], &best[k], (2 - k) * sizeof best[0]);
                bd[k] = dist;
                best[k] = i;
                break;
            }
        }
    }
    size_t limit = ef_suggest_limit(strlen(want));

    for (k = 0; k < 3 && best[k] != (size_t)-1 && bd[k] <= limit; k++)
        len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", k ? ", " : " (closest: ",
                                ef_csv_colname(csv, best[k]));
    if (k)
        snprintf(buf + len, len < size ? size - len : 0, ")");
}

typedef struct header_map {
    ef_ukbcol *col;            /* parsed per CSV column; field 0 = not a field column */
    size_t n;
} header_map;

/* The column for (field, instance, array), -1 if absent, -2 - i if the name
 * appears twice (i = the second column). */
static long header_find(const header_map *h, long field, int inst, int arr)
{
    size_t i;
    long found = -1;

    for (i = 0; i < h->n; i++) {
        if (h->col[i].field == field && h->col[i].instance == inst && h->col[i].array == arr) {
            if (found >= 0)
                return -2 - (long)i;
            found = (long)i;
        }
    }
    return found;
}

static int select_cell(labels *L, size_t csvcol)
{
    size_t i;

    for (i = 0; i < L->nsel; i++)
        if (L->sel[i] == csvcol)
            return (int)i;
    L->sel = ef_xreallocarray(L->sel, L->nsel + 1, sizeof *L->sel);
    L->sel[L->nsel] = csvcol;
    return (int)L->nsel++;
}

/* Which instances a rule reads. */
static unsigned rule_instances(const ef_field *f)
{
    return f->rule.kind == EF_RULE_PRIORITY ? f->instances : 1u << f->rule.instance;
}

/* Map a field's cells for one column; returns the number of cells found, or
 * -1 - i when a cell's name is duplicated in the header (i = second column). */
static int map_cells(labels *L, const header_map *h, long field, const ef_field *f,
                     int cell[EF_MAX_INSTANCES][EF_MAX_ARRAYS])
{
    unsigned insts = rule_instances(f);
    int i, a, found = 0;

    for (i = 0; i < EF_MAX_INSTANCES; i++)
        for (a = 0; a < EF_MAX_ARRAYS; a++)
            cell[i][a] = -1;
    for (i = 0; i < EF_MAX_INSTANCES; i++) {
        if (!(insts & (1u << i)))
            continue;
        for (a = 0; a < EF_MAX_ARRAYS; a++) {
            long c;

            if (f->rule.mean_arrays ? !(f->arrays & (1u << a)) : a != f->rule.array)
                continue;
            c = header_find(h, field, i, a);
            if (c <= -2)
                return (int)(-1 + (c + 2));
            if (c >= 0) {
                cell[i][a] = select_cell(L, (size_t)c);
                found++;
            }
        }
    }
    return found;
}

static void add_column(labels *L, const ef_field *f, int required)
{
    size_t i;

    for (i = 0; i < L->ncols; i++) {
        if (strcmp(L->cols[i].f.key, f->key) == 0) {
            L->cols[i].required |= required;
            return;
        }
    }
    L->cols = ef_xreallocarray(L->cols, L->ncols + 1, sizeof *L->cols);
    memset(&L->cols[L->ncols], 0, sizeof L->cols[0]);
    ef_field_copy(&L->cols[L->ncols].f, f);
    L->cols[L->ncols].required = required;
    /* only a single source column has a pandas dtype of its own */
    L->cols[L->ncols].int_text = f->rule.kind == EF_RULE_INSTANCE && !f->rule.mean_arrays;
    L->ncols++;
}

static int resolve_columns(labels *L, ef_error *err)
{
    const ef_registry *reg = L->o.registry;
    static const char *const demo[] = { "age", "sex", "bmi" };
    size_t i;
    int rc;

    for (i = 0; i < 3; i++) {
        const ef_field *f = ef_registry_find(reg, demo[i]);

        if (!f)
            return ef_error_set_at(err, EF_EDATA, reg->path, 0, 0,
                                   "the registry must define '%s' (age, sex and BMI are always extracted)",
                                   demo[i]);
        add_column(L, f, 0);   /* an extract without one still runs; train says what it lacks */
    }
    if (!L->o.columns) {
        /* every registry field the extract has: a real application never has them all */
        for (i = 0; i < reg->nfields; i++)
            add_column(L, &reg->fields[i], 0);
        return EF_OK;
    }
    for (i = 0; i < L->o.ncolumns; i++) {
        ef_field f;

        rc = ef_registry_resolve(reg, L->o.columns[i], &f, err);
        if (rc != EF_OK)
            return rc;
        add_column(L, &f, 1);
        ef_field_fini(&f);
    }
    return EF_OK;
}

/* Why a registry field may look absent, for the absent-fields line: other
 * instances or arrays of its field in the header ("has 50-0.0"), or a
 * column that is not a UKB id but is named like its key (a renamed
 * column: "vo2_max"). */
static void absent_hint(const labels *L, const header_map *h, const ef_field *f, char *buf, size_t size)
{
    size_t i, len = 0, n = 0, best = (size_t)-1, bd = (size_t)-1;
    char name[64];

    buf[0] = '\0';
    for (i = 0; i < h->n; i++) {
        if (h->col[i].field != f->field)
            continue;
        if (n++ < 3)
            len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", n == 1 ? "; has " : ", ",
                                    ef_ukbcol_format(&h->col[i], name, sizeof name));
    }
    if (n > 3 && len < size)
        len += (size_t)snprintf(buf + len, size - len, " ...");
    for (i = 0; i < h->n; i++) {
        const char *col = ef_csv_colname(L->csv, i);
        size_t d;
        const ef_field *other = ef_registry_find(L->o.registry, col);

        /* a column named exactly like another field is that field's, not a hint */
        if (h->col[i].field || ef_ukbcol_is_eid(col) || (other && other->field != f->field))
            continue;
        d = ef_edit_distance(f->key, col);
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    if (best != (size_t)-1 && bd <= ef_suggest_limit(strlen(f->key)) && len < size)
        snprintf(buf + len, size - len, "; closest: '%s'", ef_csv_colname(L->csv, best));
}

static int has_cells(const int cell[EF_MAX_INSTANCES][EF_MAX_ARRAYS])
{
    for (int i = 0; i < EF_MAX_INSTANCES; i++)
        for (int a = 0; a < EF_MAX_ARRAYS; a++)
            if (cell[i][a] >= 0)
                return 1;
    return 0;
}

/* Remove the columns map_columns found absent (field set to 0), and note
 * which demographics the extract lacks. */
static void drop_absent(labels *L)
{
    size_t i, k = 0, len = 0;

    for (i = 0; i < L->ncols; i++) {
        column *c = &L->cols[i];

        if (c->f.field) {
            L->cols[k++] = *c;
            continue;
        }
        if (!strcmp(c->f.key, "age") || !strcmp(c->f.key, "sex") || !strcmp(c->f.key, "bmi"))
            len += (size_t)snprintf(L->missing_demo + len, len < sizeof L->missing_demo ? sizeof L->missing_demo - len : 0,
                                    "%s%s", len ? ", " : "", c->f.key);
        ef_field_fini(&c->f);
    }
    L->ncols = k;
}

static void list_cells(const int cell[EF_MAX_INSTANCES][EF_MAX_ARRAYS], cell_list *l)
{
    l->n = 0;
    for (int i = 0; i < EF_MAX_INSTANCES; i++) {
        for (int a = 0; a < EF_MAX_ARRAYS; a++) {
            if (cell[i][a] >= 0) {
                l->slot[l->n] = (unsigned char)(i * EF_MAX_ARRAYS + a);
                l->k[l->n++] = cell[i][a];
            }
        }
    }
}

static int map_columns(labels *L, ef_error *err)
{
    header_map h;
    size_t i, nc = ef_csv_ncols(L->csv);
    char missing[EF_ERROR_MSG_MAX] = "";
    size_t nmissing = 0;
    long eidcol = -1;

    h.n = nc;
    h.col = ef_xcalloc(nc, sizeof *h.col);
    for (i = 0; i < nc; i++) {
        const char *name = ef_csv_colname(L->csv, i);

        if (ef_ukbcol_is_eid(name)) {
            if (eidcol >= 0) {
                free(h.col);
                return ef_error_set_at(err, EF_EDATA, L->o.main_csv, ef_csv_header_line(L->csv),
                                       (long)i + 1, "two participant id columns: %ld and %zu",
                                       eidcol + 1, i + 1);
            }
            eidcol = (long)i;
        } else if (!ef_ukbcol_parse(name, &h.col[i]))
            h.col[i].field = 0;
    }
    if (eidcol < 0 && nc == 1 && strchr(ef_csv_colname(L->csv, 0), '\t')) {
        free(h.col);
        return ef_error_set_at(err, EF_EDATA, L->o.main_csv, ef_csv_header_line(L->csv), 0,
                               "the header is tab-separated (ukbconv's r or docs output?): the main CSV must be "
                               "comma-separated, as `ukbconv ... csv` or the RAP's table exporter write it");
    }
    if (eidcol < 0) {
        free(h.col);
        return ef_error_set_at(err, EF_EDATA, L->o.main_csv, ef_csv_header_line(L->csv), 0,
                               "no participant id column (eid or participant.eid) in the header; "
                               "first column is '%s'", nc ? ef_csv_colname(L->csv, 0) : "");
    }
    L->eid_cell = select_cell(L, (size_t)eidcol);
    for (i = 0; i < L->ncols; i++) {
        column *c = &L->cols[i];
        int found = map_cells(L, &h, c->f.field, &c->f, c->cell);

        if (found < 0) {
            size_t second = (size_t)(-1 - found);

            free(h.col);
            return ef_error_set_at(err, EF_EDATA, L->o.main_csv, ef_csv_header_line(L->csv),
                                   (long)second + 1,
                                   "column '%s' (for %s) appears twice in the header, the second time as "
                                   "column %zu; which one is meant is unclear",
                                   ef_csv_colname(L->csv, second), c->f.key, second + 1);
        }
        if (c->f.fallback_field)
            map_cells(L, &h, c->f.fallback_field, &c->f, c->fb_cell);
        else
            memset(c->fb_cell, 0xff, sizeof c->fb_cell);
        if (found == 0 && !has_cells(c->fb_cell)) {
            char want[64], hint[256], *note;
            ef_ukbcol u = { c->f.field, c->f.rule.kind == EF_RULE_PRIORITY ? 2 : c->f.rule.instance,
                            c->f.rule.array };
            size_t len = strlen(missing);

            ef_ukbcol_format(&u, want, sizeof want);
            hint[0] = '\0';
            if (!c->required) {
                /* not asked for by name: list it, extract the rest */
                absent_hint(L, &h, &c->f, hint, sizeof hint);
                note = ef_xasprintf("%s (%s%s)", c->f.key, want, hint);
                L->absent = ef_xreallocarray(L->absent, L->nabsent + 1, sizeof *L->absent);
                L->absent[L->nabsent++] = note;
                c->f.field = 0;    /* dropped below */
                continue;
            }
            closest_names(L->csv, want, hint, sizeof hint);
            if (nmissing < 10 && len < sizeof missing)
                snprintf(missing + len, sizeof missing - len, "%s%s%s%s%s%s", nmissing ? "; " : "", want,
                         strcmp(want, c->f.key) ? " (for " : "", strcmp(want, c->f.key) ? c->f.key : "",
                         strcmp(want, c->f.key) ? ")" : "", hint);
            else if (nmissing == 10 && len < sizeof missing)
                snprintf(missing + len, sizeof missing - len, "; ...");
            nmissing++;
        }
    }
    drop_absent(L);
    for (i = 0; i < L->ncols; i++) {
        list_cells(L->cols[i].cell, &L->cols[i].own);
        list_cells(L->cols[i].fb_cell, &L->cols[i].fb);
    }
    free(h.col);
    if (nmissing)
            return ef_error_set_at(err, EF_ENOTFOUND, L->o.main_csv, ef_csv_header_line(L->csv), 0,
                               "%zu requested column%s not in the header: %s", nmissing,
                               nmissing == 1 ? " is" : "s are", missing);
    return ef_csv_select(L->csv, L->sel, L->nsel, err);
}

/* ---- rows ----------------------------------------------------------------- */

static void reject(labels *L, const ef_error *e)
{
    char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 32];

    L->rejected++;
    if (L->nrejects < MAX_REJECTS_KEPT) {
        L->rejects = ef_xreallocarray(L->rejects, L->nrejects + 1, sizeof *L->rejects);
        L->rejects[L->nrejects++] = ef_xstrdup(ef_error_format(e, buf, sizeof buf));
    }
}

static int is_excluded(const labels *L, const ef_field *f, double v)
{
    size_t i;

    if (L->o.special_mode == EF_SPECIAL_SEED) {
        for (i = 0; i < sizeof seed_codes / sizeof seed_codes[0]; i++)
            if (v == seed_codes[i])
                return 1;
        return 0;
    }
    for (i = 0; i < f->nexclude; i++)
        if (v == f->exclude[i])
            return 1;
    return 0;
}

/* "-12", "1001": what pandas reads as int64 when a whole column is like it. */
static int is_int_text(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Parse a cell: 1 ok (NaN when empty), 0 when it is not a number.  Only plain
 * decimals are numbers (no hex, inf or nan: pandas would not read them);
 * categorical fields also take the meaning texts of their coding, as RAP
 * exports made with coding_option=REPLACE carry. */
static int parse_value(const labels *L, const ef_field *f, const char *s, double *v)
{
    char buf[128];
    size_t n;

    while (*s == ' ')
        s++;
    n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0 || (n == 2 && strncmp(s, "NA", 2) == 0)) {
        *v = NAN;
        return 1;
    }
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (ef_is_decimal(buf)) {
        errno = 0;
        *v = ef_strtod(buf, NULL);
        return errno != ERANGE && isfinite(*v);
    }
    return f->coding && ef_coding_value(L->o.registry, f->coding, buf, v);
}

/* The cells of list l into v (NaN where absent), as the rule reads them. */
static int read_cells(labels *L, column *c, const cell_list *l, const ef_csv_row *row,
                      double v[EF_MAX_INSTANCES][EF_MAX_ARRAYS], ef_error *e)
{
    static const double nan_row[MAX_SLOTS] = {
        NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
        NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
    };
    double *vs = &v[0][0];

    _Static_assert(MAX_SLOTS == 32, "nan_row has one NaN per slot");
    memcpy(vs, nan_row, sizeof nan_row);
    for (int j = 0; j < l->n; j++) {
        int k = l->k[j], kind;
        double *x = &vs[l->slot[j]];

        /* the common cells come converted from the parsing threads (opts.numbers) */
        kind = row->kind[k];
        *x = row->num[k];
        if (kind != EF_CSV_NUM_TEXT) {
            c->row_int_text &= kind == EF_CSV_NUM_INT;
            goto got;
        }
        *x = NAN;
        if (!is_int_text(row->cell[k]))
            c->row_int_text = 0;
        if (!parse_value(L, &c->f, row->cell[k], x)) {
            const char *name = ef_csv_colname(L->csv, L->sel[k]);
            char text[128];

            return ef_error_set_at(e, EF_EPARSE, L->o.main_csv, row->line, (long)L->sel[k] + 1,
                                   "column %zu '%s' (%s): '%s' is not a number%s; row skipped",
                                   L->sel[k] + 1, name, c->f.key,
                                   ef_str_escape(row->cell[k], 40, text, sizeof text),
                                   c->f.coding ? " nor a meaning of its coding" : "");
        }
    got:
        if (!isnan(*x) && is_excluded(L, &c->f, *x)) {
            *x = NAN;
            c->row_excluded++;
        }
    }
    return EF_OK;
}

static void ensure_capacity(labels *L)
{
    size_t i;

    if (L->n < L->cap)
        return;
    L->cap = L->cap ? 2 * L->cap : 4096;
    L->eid = ef_xreallocarray(L->eid, L->cap, sizeof *L->eid);
    for (i = 0; i < L->ncols; i++)
        L->cols[i].v = ef_xreallocarray(L->cols[i].v, L->cap, sizeof(double));
}

static int parse_eid(const char *s, int64_t *eid)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || *end || errno || v <= 0)
        return 0;
    *eid = v;
    return 1;
}

static void process_row(labels *L, const ef_csv_row *row)
{
    double v[EF_MAX_INSTANCES][EF_MAX_ARRAYS], out;
    ef_error e;
    int64_t eid;
    long first;
    size_t i;

    ef_error_clear(&e);
    L->rows++;
    if (row->kind[L->eid_cell] == EF_CSV_NUM_INT && row->num[L->eid_cell] > 0) {
        eid = (int64_t)row->num[L->eid_cell];   /* digits only, at most 15: exact */
    } else if (!parse_eid(row->cell[L->eid_cell], &eid)) {
        char text[128];

        ef_error_set_at(&e, EF_EPARSE, L->o.main_csv, row->line, (long)L->sel[L->eid_cell] + 1,
                        "eid '%s' is not a positive integer; row skipped",
                        ef_str_escape(row->cell[L->eid_cell], 40, text, sizeof text));
        reject(L, &e);
        return;
    }
    ensure_capacity(L);
    for (i = 0; i < L->ncols; i++) {
        column *c = &L->cols[i];

        c->row_excluded = 0;
        c->row_int_text = 1;
        if (read_cells(L, c, &c->own, row, v, &e) != EF_OK) {
            reject(L, &e);
            return;
        }
        out = ef_rule_apply(&c->f.rule, v, c->f.arrays);
        if (isnan(out) && c->f.fallback_field) {
            if (read_cells(L, c, &c->fb, row, v, &e) != EF_OK) {
                reject(L, &e);
                return;
            }
            out = ef_rule_apply(&c->f.rule, v, c->f.arrays);
        }
        c->v[L->n] = out;
    }
    first = eidmap_put(&L->seen, eid, row->line);
    if (first) {
        ef_error_set_at(&e, EF_EDATA, L->o.main_csv, row->line, (long)L->sel[L->eid_cell] + 1,
                        "duplicate eid %lld (first on line %ld); row skipped", (long long)eid, first);
        reject(L, &e);
        return;
    }
    for (i = 0; i < L->ncols; i++) {
        L->cols[i].n_excluded += L->cols[i].row_excluded;
        L->cols[i].int_text &= L->cols[i].row_int_text;
    }
    L->eid[L->n++] = eid;
}

/* ---- finishing ------------------------------------------------------------ */

static int has_ecg(const labels *L, int64_t eid)
{
    size_t lo = 0, hi = L->necg;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (L->ecg[mid] < eid)
            lo = mid + 1;
        else if (L->ecg[mid] > eid)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

static const column *find_col(const labels *L, const char *key)
{
    size_t i;

    for (i = 0; i < L->ncols; i++)
        if (strcmp(L->cols[i].f.key, key) == 0)
            return &L->cols[i];
    return NULL;
}

static void summarise(labels *L)
{
    const column *age = find_col(L, "age"), *sex = find_col(L, "sex"), *bmi = find_col(L, "bmi");
    unsigned char *base = ef_xcalloc(L->n ? L->n : 1, 1);
    size_t i, j, k = 0;

    L->has_ecg = ef_xmalloc((L->n ? L->n : 1) * sizeof *L->has_ecg);
    L->sum.rows = L->rows;
    L->sum.rejected = L->rejected;
    L->sum.ecg_files = L->necg;
    for (i = 0; i < L->n; i++) {
        int e = L->o.ecg_dir ? has_ecg(L, L->eid[i]) : 1;

        L->has_ecg[i] = e;
        L->sum.with_ecg += (size_t)e;
        /* demographics absent from the extract do not gate the funnel; the
         * summary says which are absent */
        if (e && !(age && isnan(age->v[i])) && !(sex && isnan(sex->v[i])) && !(bmi && isnan(bmi->v[i]))) {
            base[i] = 1;
            L->sum.with_demographics++;
        }
    }
    L->targets = ef_xcalloc(L->ncols, sizeof *L->targets);
    for (j = 0; j < L->ncols; j++) {
        const column *c = &L->cols[j];
        ef_labels_target *t;

        if (c == age || c == sex || c == bmi)
            continue;
        t = &L->targets[k++];
        t->key = c->f.key;
        t->label = c->f.label;
        t->role = c->f.role;
        t->n_excluded = c->n_excluded;
        for (i = 0; i < L->n; i++) {
            if (isnan(c->v[i]))
                continue;
            t->n_all++;
            t->n += base[i];
        }
    }
    free(base);
    L->sum.ntargets = k;
    L->sum.targets = L->targets;
    L->sum.nrejects_kept = L->nrejects;
    L->sum.rejects = (const char *const *)L->rejects;
    L->sum.special_mode = L->o.special_mode;
    L->sum.ecg_instance = L->o.ecg_instance;
    L->sum.nabsent = L->nabsent;
    L->sum.absent = (const char *const *)L->absent;
    L->sum.missing_demographics = L->missing_demo;
    L->summarised = 1;
}

static int write_column_attrs(ef_store *s, const char *path, const labels *L, const column *c,
                              ef_error *err)
{
    char buf[256], codes[128] = "";
    size_t i, len = 0;
    int rc;

    if (L->o.special_mode == EF_SPECIAL_SEED)
        snprintf(codes, sizeof codes, "-3,-7,-818 (seed mode)");
    for (i = 0; L->o.special_mode == EF_SPECIAL_REGISTRY && i < c->f.nexclude; i++)
        len += (size_t)ef_snprintf(codes + len, sizeof codes - len, "%s%g", i ? "," : "", c->f.exclude[i]);
    snprintf(buf, sizeof buf, "%ld", c->f.field);
    rc = ef_store_set_attr_str(s, path, "field", buf, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "rule", ef_rule_format(&c->f.rule, buf, sizeof buf), err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "rule_text", ef_rule_describe(&c->f.rule, buf, sizeof buf), err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "unit", c->f.unit, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "label", c->f.label, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "type", ef_ftype_name(c->f.type), err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "role", c->f.role, err);
    if (rc == EF_OK) {
        snprintf(buf, sizeof buf, "%ld", c->f.coding);
        rc = ef_store_set_attr_str(s, path, "coding", c->f.coding ? buf : "", err);
    }
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, path, "special_codes_excluded", codes, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, path, "n_special_excluded", (double)c->n_excluded, err);
    if (rc == EF_OK && c->f.rule.kind == EF_RULE_INSTANCE && !c->f.rule.mean_arrays)
        rc = ef_store_set_attr_str(s, path, "pandas_dtype", c->int_text ? "int64" : "float64", err);
    if (rc == EF_OK && c->f.fallback_field) {
        snprintf(buf, sizeof buf, "%ld", c->f.fallback_field);
        rc = ef_store_set_attr_str(s, path, "fallback_field", buf, err);
    }
    return rc;
}

/* ---- keeping the store's other columns ------------------------------------- */

/* For each of this run's rows, the stored row with its eid (SIZE_MAX: new);
 * returns how many stored rows no longer appear. */
static size_t map_rows(const labels *L, const int64_t *old, size_t nold, size_t *map)
{
    ef_eid_index idx;
    size_t i, matched = 0;

    ef_eid_index_build(&idx, old, nold);
    for (i = 0; i < L->n; i++) {
        map[i] = ef_eid_index_find(&idx, L->eid[i]);
        matched += map[i] != SIZE_MAX;
    }
    ef_eid_index_fini(&idx);
    return nold - matched;
}

/* Copy a kept column from src to dst in this run's row order (map NULL:
 * the same rows), with its attributes. */
static int copy_column(ef_store *s, const char *src, const char *dst, const size_t *map, size_t n, ef_error *err)
{
    double *old = NULL, *v = NULL;
    size_t nold = 0, i;
    int rc = ef_store_read_f64(s, src, &old, &nold, err);

    if (rc == EF_OK) {
        v = ef_xmalloc((n ? n : 1) * sizeof *v);
        for (i = 0; i < n; i++) {
            size_t j = map ? map[i] : i;

            v[i] = j < nold ? old[j] : NAN;
        }
        rc = ef_store_write_f64(s, dst, v, n, err);
    }
    if (rc == EF_OK)
        rc = ef_store_copy_attrs(s, src, dst, err);
    free(old);
    free(v);
    return rc;
}

static int write_column(labels *L, ef_store *s, const char *group, const column *c, ef_error *err)
{
    char path[EF_ERROR_PATH_MAX];
    int rc;

    snprintf(path, sizeof path, "%s/%s", group, c->f.key);
    rc = ef_store_write_f64(s, path, c->v, L->n, err);
    return rc == EF_OK ? write_column_attrs(s, path, L, c, err) : rc;
}

static int write_has_ecg(labels *L, ef_store *s, const char *group, ef_error *err)
{
    char path[EF_ERROR_PATH_MAX], label[EF_ERROR_PATH_MAX + 64];
    int rc;

    snprintf(path, sizeof path, "%s/has_ecg", group);
    rc = ef_store_write_f64(s, path, L->has_ecg, L->n, err);
    snprintf(label, sizeof label, "1 if %s holds EID_20205_%d_0.xml, else 0", L->o.ecg_dir, L->o.ecg_instance);
    return rc == EF_OK ? ef_store_set_attr_str(s, path, "label", label, err) : rc;
}

#define NEW_GROUP "/participants.new"

/* Write /participants.  Without --replace the store's columns that this run
 * does not extract are kept (a `labels --fields X` adds X; it never loses
 * the others), realigned by eid to this run's rows, and the stored column
 * order stays: the new group is built beside the old one and renamed. */
static int write_columns(labels *L, ef_store *s, ef_error *err)
{
    int keep = !L->o.replace && ef_store_exists(s, "/participants/eid");
    const char *g = keep ? NEW_GROUP : "/participants";
    unsigned char *done = ef_xcalloc(L->ncols + 1, 1);   /* [ncols]: has_ecg */
    char **names = NULL, src[EF_ERROR_PATH_MAX], dst[EF_ERROR_PATH_MAX];
    int64_t *old = NULL;
    size_t nold = 0, nn = 0, i, *map = NULL, gone = 0;
    int rc = ef_store_delete(s, g, err);

    if (rc == EF_OK && keep)
        rc = ef_store_read_i64(s, "/participants/eid", &old, &nold, err);
    if (rc == EF_OK && keep)
        rc = ef_store_list(s, "/participants", &names, &nn, err);
    if (rc == EF_OK && keep && !(nold == L->n && (!nold || !memcmp(old, L->eid, nold * sizeof *old)))) {
        map = ef_xmalloc((L->n ? L->n : 1) * sizeof *map);
        gone = map_rows(L, old, nold, map);
    }
    if (rc == EF_OK) {   /* deflate every column now, on all threads */
        const double **v = ef_xmalloc((L->ncols + 1) * sizeof *v);

        for (i = 0; i < L->ncols; i++)
            v[i] = L->cols[i].v;
        if (L->o.ecg_dir)
            v[i++] = L->has_ecg;
        ef_store_deflate_ahead_f64(s, v, i, L->n, L->pool, L->o.threads);
        free(v);
    }
    snprintf(dst, sizeof dst, "%s/eid", g);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, dst, L->eid, L->n, err);
    for (i = 0; rc == EF_OK && i < nn; i++) {
        const column *c = find_col(L, names[i]);

        snprintf(src, sizeof src, "/participants/%s", names[i]);
        snprintf(dst, sizeof dst, "%s/%s", g, names[i]);
        if (!strcmp(names[i], "eid") || ef_store_is_group(s, src))
            continue;
        if (c) {
            rc = write_column(L, s, g, c, err);
            done[c - L->cols] = 1;
        } else if (!strcmp(names[i], "has_ecg") && L->o.ecg_dir) {
            rc = write_has_ecg(L, s, g, err);
            done[L->ncols] = 1;
        } else {
            L->kept = ef_xreallocarray(L->kept, L->nkept + 1, sizeof *L->kept);
            L->kept[L->nkept++] = ef_xstrdup(names[i]);
            rc = copy_column(s, src, dst, map, L->n, err);
        }
    }
    for (i = 0; rc == EF_OK && i < L->ncols; i++)
        if (!done[i])
            rc = write_column(L, s, g, &L->cols[i], err);
    if (rc == EF_OK && L->o.ecg_dir && !done[L->ncols])
        rc = write_has_ecg(L, s, g, err);
    if (rc == EF_OK && keep)
        rc = ef_store_delete(s, "/participants", err);
    if (rc == EF_OK && keep)
        rc = ef_store_move(s, NEW_GROUP, "/participants", err);
    if (L->nkept)
        L->kept_rows_dropped = gone;
    free(done);
    free(map);
    free(old);
    ef_store_free_list(names, nn);
    return rc;
}

/* The cohort funnel as attributes, so that a front end can show it without
 * reading a column: rows in the CSV, with an ECG file, and with age, sex,
 * BMI on /participants; each target column's n among the latter.  A main
 * CSV from `ecgfit synth` (its .ecgfit-synth stamp beside it) marks the
 * data synthetic ("synthetic" = 1), which every screen then says. */
static int write_funnel(const labels *L, ef_store *s, ef_error *err)
{
    const char *slash = strrchr(L->o.main_csv, '/');
    char *stamp = slash ? ef_xasprintf("%.*s/.ecgfit-synth", (int)(slash - L->o.main_csv), L->o.main_csv)
                        : ef_xstrdup(".ecgfit-synth");
    const ef_store_attr a[] = {
        EF_STORE_ATTR_NUM("n_rows_csv", L->sum.rows),
        EF_STORE_ATTR_NUM("n_with_ecg", L->sum.with_ecg),
        EF_STORE_ATTR_NUM("n_with_demographics", L->sum.with_demographics),
        EF_STORE_ATTR_NUM("ecg_instance", L->o.ecg_instance),
        EF_STORE_ATTR_NUM("synthetic", access(stamp, F_OK) == 0),
    };
    int rc = ef_store_set_attrs(s, "/participants", a, L->o.ecg_dir ? 5 : 1, err);

    if (rc == EF_OK && !L->o.ecg_dir)
        rc = ef_store_set_attrs(s, "/participants", a + 4, 1, err);
    for (size_t k = 0; rc == EF_OK && k < L->sum.ntargets; k++) {
        char path[EF_ERROR_PATH_MAX];

        snprintf(path, sizeof path, "/participants/%s", L->sum.targets[k].key);
        if (ef_store_exists(s, path))
            rc = ef_store_set_attr_f64(s, path, "n_with_ecg_demographics", (double)L->sum.targets[k].n, err);
    }
    free(stamp);
    return rc;
}

/* The columns and their provenance into the update L->s. */
static int write_store(labels *L, ef_error *err)
{
    ef_store *s = L->s;
    char opts[512];
    int rc;

    rc = write_columns(L, s, err);
    snprintf(opts, sizeof opts, "special_codes=%s manual_bp=%s ecg_instance=%d",
             L->o.special_mode == EF_SPECIAL_SEED ? "seed" : "registry", L->o.manual_bp ? "yes" : "no",
             L->o.ecg_instance);
    if (rc == EF_OK)
        rc = ef_store_stamp(s, "/participants", "labels", opts, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/participants", "main_csv", L->o.main_csv, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/participants", "ecg_dir", L->o.ecg_dir ? L->o.ecg_dir : "", err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_str(s, "/participants", "registry", L->o.registry->path, err);
    if (rc == EF_OK)
        rc = ef_store_set_attr_f64(s, "/participants", "rows_rejected", (double)L->rejected, err);
    if (rc == EF_OK)
        rc = write_funnel(L, s, err);
    if (rc != EF_OK)
        return rc;
    L->sum.nkept = L->nkept;
    L->sum.kept = (const char *const *)L->kept;
    L->sum.kept_rows_dropped = L->kept_rows_dropped;
    return EF_OK;
}

/* After the rows: the store's begin, the writes, each slice of the commit,
 * a step each. */
static int store_step(labels *L, ef_error *err)
{
    int rc;

    switch (L->phase) {
    case LP_BEGIN:
        rc = ef_store_begin(&L->s, L->o.store_path, err);
        break;
    case LP_WRITE:
        rc = write_store(L, err);
        break;
    default:   /* LP_COMMIT */
        rc = ef_store_commit_step(L->s, err);
        if (rc != EF_CONTINUE)
            L->s = NULL;   /* committed, or aborted and freed */
        return rc;
    }
    if (rc != EF_OK)
        return rc;
    L->phase++;
    return EF_CONTINUE;
}

/* The rejected rows, for the user to fix: FILE:LINE: message a line.  A
 * run without rejects removes an older list (it would describe another run). */
static void write_rejects(labels *L)
{
    FILE *fp;
    size_t i;

    if (!L->o.rejects_path)
        return;
    if (!L->rejected) {
        remove(L->o.rejects_path);
        return;
    }
    fp = fopen(L->o.rejects_path, "w");
    if (!fp)
        return;
    for (i = 0; i < L->nrejects; i++)
        fprintf(fp, "%s\n", L->rejects[i]);
    if (L->rejected > L->nrejects)
        fprintf(fp, "... and %zu more\n", L->rejected - L->nrejects);
    L->sum.rejects_path = fclose(fp) == 0 ? L->o.rejects_path : NULL;
}

/* ---- job ------------------------------------------------------------------ */

/* The job keeps its own copies: a front end's strings need not outlive it. */
static void own_strings(labels *L)
{
    L->o.main_csv = L->own_csv = L->o.main_csv ? ef_xstrdup(L->o.main_csv) : NULL;
    L->o.ecg_dir = L->own_ecg = L->o.ecg_dir ? ef_xstrdup(L->o.ecg_dir) : NULL;
    L->o.store_path = L->own_store = L->o.store_path ? ef_xstrdup(L->o.store_path) : NULL;
    L->o.rejects_path = L->own_rejects = L->o.rejects_path ? ef_xstrdup(L->o.rejects_path) : NULL;
    if (L->o.columns) {
        L->own_cols = ef_xcalloc(L->o.ncolumns ? L->o.ncolumns : 1, sizeof *L->own_cols);
        for (size_t i = 0; i < L->o.ncolumns; i++)
            L->own_cols[i] = ef_xstrdup(L->o.columns[i]);
        L->o.columns = (const char *const *)L->own_cols;
    }
}

static int labels_step(void *state, ef_error *err)
{
    labels *L = state;
    ef_csv_row row;
    ef_error e;
    int i, rc;

    if (L->phase != LP_READ)
        return store_step(L, err);
    for (i = 0; i < ROWS_PER_STEP; i++) {
        ef_error_clear(&e);
        rc = ef_csv_next(L->csv, &row, &e);
        if (rc == EF_OK) {
            process_row(L, &row);
            continue;
        }
        if (rc == EF_DONE)
            break;
        if (ef_csv_failed(L->csv)) {
            *err = e;
            return rc;
        }
        L->rows++;
        reject(L, &e);
    }
    if (i == ROWS_PER_STEP)
        return EF_CONTINUE;
    summarise(L);
    write_rejects(L);
    if (L->o.strict && L->rejected)
        return ef_error_set_at(err, EF_EDATA, L->o.main_csv, 0, 0,
                               "%zu row%s rejected and --strict given; the store was not changed",
                               L->rejected, L->rejected == 1 ? "" : "s");
    if (L->n == 0)
        return ef_error_set_at(err, EF_EDATA, L->o.main_csv, 0, 0,
                               "no usable participant rows; the store was not changed");
    L->phase = LP_BEGIN;
    return EF_CONTINUE;
}

static void labels_progress(const void *state, ef_progress_report *p)
{
    const labels *L = state;

    p->stage = L->phase == LP_READ ? "labels: reading main CSV" : "labels: writing the store";
    p->unit = "bytes";
    p->done = L->csv ? ef_csv_bytes_read(L->csv) : 0;
    p->total = L->csv ? ef_csv_bytes_total(L->csv) : 0;
}

static void labels_free(void *state)
{
    labels *L = state;
    size_t i;

    if (!L)
        return;
    ef_store_abort(L->s);   /* stopped between begin and commit */
    ef_csv_close(L->csv);   /* its parses run on the pool */
    L->csv = NULL;
    ef_pool_free(L->pool);
    L->pool = NULL;
    free(L->own_csv);
    free(L->own_ecg);
    free(L->own_store);
    free(L->own_rejects);
    for (i = 0; L->own_cols && i < L->o.ncolumns; i++)
        free(L->own_cols[i]);
    free(L->own_cols);
    if (L->o.registry_owned)
        ef_registry_free((ef_registry *)L->o.registry);
    ef_csv_close(L->csv);
    for (i = 0; i < L->ncols; i++) {
        ef_field_fini(&L->cols[i].f);
        free(L->cols[i].v);
    }
    for (i = 0; i < L->nrejects; i++)
        free(L->rejects[i]);
    for (i = 0; i < L->nabsent; i++)
        free(L->absent[i]);
    free(L->absent);
    for (i = 0; i < L->nkept; i++)
        free(L->kept[i]);
    free(L->kept);
    free(L->rejects);
    free(L->cols);
    free(L->sel);
    free(L->eid);
    free(L->seen.key);
    free(L->seen.line);
    free(L->ecg);
    free(L->has_ecg);
    free(L->targets);
    free(L);
}

static const ef_job_ops labels_ops = {
    .name = "labels",
    .step = labels_step,
    .progress = labels_progress,
    .cancel = NULL,   /* nothing written before the final commit */
    .free = labels_free,
};

const ef_labels_summary *ef_labels_job_summary(ef_job *job)
{
    labels *L = ef_job_state(job);

    return L->summarised ? &L->sum : NULL;
}

int ef_labels_job_new(ef_job **out, const ef_labels_opts *opts, ef_error *err)
{
    labels *L = ef_xcalloc(1, sizeof *L);
    ef_csv_opts copts;
    size_t i;
    int rc;

    *out = NULL;
    memset(&copts, 0, sizeof copts);
    copts.threads = opts->threads;
    copts.numbers = 1;   /* cells converted on the parsing threads, while in their cache */
    L->o = *opts;
    if (opts->threads > 1)
        L->pool = ef_pool_new(opts->threads);
    copts.pool = L->pool;
    own_strings(L);
    rc = resolve_columns(L, err);
    for (i = 0; rc == EF_OK && i < L->ncols; i++) {
        ef_field *f = &L->cols[i].f;

        if (opts->manual_bp && (f->field == 4080 || f->field == 4079))
            f->fallback_field = f->field == 4080 ? 93 : 94;
    }
    if (rc == EF_OK && opts->ecg_dir) {
        rc = ef_ecg_scan_dir(opts->ecg_dir, opts->ecg_instance, &L->ecg, &L->necg, err);
        if (rc == EF_OK && L->necg == 0)
            rc = ef_error_set_at(err, EF_EDATA, opts->ecg_dir, 0, 0,
                                 "no ECG files named EID_20205_%d_0.xml in this folder or its sub-folders",
                                 opts->ecg_instance);
    }
    if (rc == EF_OK)
        rc = ef_csv_open(&L->csv, opts->main_csv, &copts, err);
    if (rc == EF_OK)
        rc = map_columns(L, err);
    if (rc != EF_OK) {
        labels_free(L);
        return rc;
    }
    *out = ef_job_new(&labels_ops, L);
    return EF_OK;
}
