/* ef_synth_csv.c — writing the synthetic main CSV in the ukbconv or RAP
 * dialect (ukb-data.md §2.1–§2.2).
 *
 * ukbconv: every cell double-quoted, empty cells as "", LF line ends, no BOM.
 * RAP: "participant." prefixed p-style names, quoting only where needed,
 * empty = missing.  Numbers go through a small formatter equivalent to
 * printf("%.6g") for the values the model produces; 500k rows are bound by
 * the model's random draws, not by formatting.
 */
#include "config.h"
#include "synth/ef_synth_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_PER_SLICE 2000
#define STDIO_BUFFER (1u << 20)

static const double p10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
};

static size_t fmt_uint(unsigned long long v, char *out)
{
    char tmp[24];
    size_t n = 0, i;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static size_t fmt_int(long long v, char *out)
{
    if (v < 0) {
        out[0] = '-';
        return 1 + fmt_uint(0ull - (unsigned long long)v, out + 1);
    }
    return fmt_uint((unsigned long long)v, out);
}

size_t ef_synth_fmt_g6(double x, char *out)
{
    double ax = fabs(x), scaled;
    long long m;
    int e = 0, nd;
    char dig[8], *o = out;

    if (x == 0.0) {   /* -0 too: a CSV cell has no use for the sign */
        out[0] = '0';
        return 1;
    }
    if (!(ax >= 1e-4 && ax < 1e15)) {
        int n = ef_snprintf(out, 32, "%.6g", x);

        return n > 0 ? (size_t)n : 0;
    }
    /* 10^e <= ax < 10^(e+1) */
    if (ax >= 1.0)
        while (e < 15 && ax >= p10[e + 1])
            e++;
    else
        while (ax * p10[-e] < 1.0)
            e--;
    scaled = e <= 5 ? ax * p10[5 - e] : ax / p10[e - 5];
    /* Near a rounding tie the scaling error could round the wrong way:
     * let printf decide from the exact binary value. */
    if (fabs(scaled - floor(scaled) - 0.5) < 1e-6) {
        int n = ef_snprintf(out, 32, "%.6g", x);

        return n > 0 ? (size_t)n : 0;
    }
    m = llround(scaled);
    if (m >= 1000000) {
        m /= 10;
        e++;
    }
    if (e >= 6 || e < -4) {
        int n = ef_snprintf(out, 32, "%.6g", x);

        return n > 0 ? (size_t)n : 0;
    }
    for (int i = 5; i >= 0; i--) {
        dig[i] = (char)('0' + m % 10);
        m /= 10;
    }
    for (nd = 6; nd > 0 && dig[nd - 1] == '0'; nd--)
        ;
    if (x < 0)
        *o++ = '-';
    if (e >= 0) {
        for (int i = 0; i <= e; i++)
            *o++ = dig[i];
        if (nd > e + 1) {
            *o++ = '.';
            for (int i = e + 1; i < nd; i++)
                *o++ = dig[i];
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > e; i--)
            *o++ = '0';
        for (int i = 0; i < nd; i++)
            *o++ = dig[i];
    }
    return (size_t)(o - out);
}

typedef struct writer {
    const ef_synth *s;
    char *path;
    FILE *fp;
    char *iobuf;
    size_t next;                   /* next row index */
    double *vals;
    unsigned char *types;          /* per value column */
    char *line;                    /* row under construction */
    size_t cap, len;
} writer;

static void grow(writer *w, size_t more)
{
    if (w->len + more > w->cap) {
        while (w->len + more > w->cap)
            w->cap *= 2;
        w->line = ef_xrealloc(w->line, w->cap);
    }
}

/* Append one cell: quoted always (ukbconv) or when needed (RAP). */
static void cell(writer *w, const char *text, size_t n, int first)
{
    int quote = w->s->opts.naming != EF_NAMING_RAP;

    if (!quote)
        for (size_t i = 0; i < n && !quote; i++)
            quote = text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r';
    grow(w, 2 * n + 4);
    if (!first)
        w->line[w->len++] = ',';
    if (quote)
        w->line[w->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '"' && quote)
            w->line[w->len++] = '"';
        w->line[w->len++] = text[i];
    }
    if (quote)
        w->line[w->len++] = '"';
}

static int put_line(writer *w, ef_error *err)
{
    grow(w, 1);
    w->line[w->len++] = '\n';
    if (fwrite(w->line, 1, w->len, w->fp) != w->len)
        return ef_error_set_at(err, EF_EIO, w->path, 0, 0, "cannot write: %s", strerror(errno));
    w->len = 0;
    return EF_OK;
}

static int write_header(writer *w, ef_error *err)
{
    size_t ncol = w->s->ncols + 1;
    char name[64];

    for (size_t j = 0; j < ncol; j++) {
        ef_synth_column_name(j, w->s->opts.naming, name, sizeof name);
        cell(w, name, strlen(name), j == 0);
    }
    return put_line(w, err);
}

static int write_row(writer *w, size_t i, ef_error *err)
{
    ef_synth_person_int p;
    char buf[64];
    size_t n;

    ef_synth_draw_person(&w->s->opts, i, &p);
    ef_synth_gen_row(w->s, &p, i, w->vals);
    n = fmt_int(p.pub.eid, buf);
    cell(w, buf, n, 1);
    for (size_t j = 0; j < w->s->ncols; j++) {
        double v = w->vals[j];
        const char *text = buf;

        if (isnan(v)) {
            n = 0;
        } else {
            switch (w->types[j]) {
            case EF_SYNTH_CONT:
                n = ef_synth_fmt_g6(v, buf);
                break;
            case EF_SYNTH_DATE: {
                int y, m, d;

                ef_synth_civil_from_days((long)v, &y, &m, &d);
                n = (size_t)snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                break;
            }
            case EF_SYNTH_TEXT:
                text = ef_synth_text[(size_t)v];
                n = strlen(text);
                break;
            default:
                n = fmt_int((long long)v, buf);
                break;
            }
        }
        cell(w, text, n, 0);
    }
    return put_line(w, err);
}

static void writer_free(void *state)
{
    writer *w = state;

    if (!w)
        return;
    if (w->fp) {
        /* Still open: the job did not finish; do not leave half a file. */
        fclose(w->fp);
        remove(w->path);
    }
    free(w->iobuf);
    free(w->path);
    free(w->vals);
    free(w->types);
    free(w->line);
    free(w);
}

static int writer_open(const ef_synth *s, const char *path, writer **out, ef_error *err)
{
    writer *w = ef_xcalloc(1, sizeof *w);
    size_t j = 0;
    int rc;

    *out = NULL;
    w->s = s;
    w->path = ef_xstrdup(path);
    w->vals = ef_xcalloc(s->ncols, sizeof *w->vals);
    w->types = ef_xcalloc(s->ncols, 1);
    for (size_t f = 0; f < ef_synth_field_count(); f++) {
        const ef_synth_field *fd = ef_synth_field_at(f);
        size_t k = (size_t)(fd->inst_hi - fd->inst_lo + 1) * (size_t)fd->n_arrays;

        while (k--)
            w->types[j++] = (unsigned char)fd->type;
    }
    w->cap = 4096;
    w->line = ef_xmalloc(w->cap);
    w->fp = fopen(path, "wb");
    if (!w->fp) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
        writer_free(w);
        return rc;
    }
    w->iobuf = ef_xmalloc(STDIO_BUFFER);
    setvbuf(w->fp, w->iobuf, _IOFBF, STDIO_BUFFER);
    if ((rc = write_header(w, err)) != EF_OK) {
        writer_free(w);
        return rc;
    }
    *out = w;
    return EF_OK;
}

static int writer_close(writer *w, ef_error *err)
{
    int bad = ferror(w->fp);

    bad |= fclose(w->fp) != 0;
    w->fp = NULL;
    if (bad) {
        remove(w->path);
        return ef_error_set_at(err, EF_EIO, w->path, 0, 0, "cannot write: %s", strerror(errno));
    }
    return EF_OK;
}

static int writer_step(void *state, ef_error *err)
{
    writer *w = state;
    size_t end = w->next + ROWS_PER_SLICE, n = ef_synth_count(w->s);
    int rc;

    if (end > n)
        end = n;
    for (; w->next < end; w->next++)
        if ((rc = write_row(w, w->next, err)) != EF_OK)
            return rc;
    if (w->next < n)
        return EF_CONTINUE;
    return writer_close(w, err);
}

static void writer_progress(const void *state, ef_progress_report *p)
{
    const writer *w = state;

    p->stage = "writing main CSV";
    p->done = w->next;
    p->total = ef_synth_count(w->s);
    p->unit = "rows";
}

static const ef_job_ops writer_ops = {
    .name = "synth-csv", .step = writer_step, .progress = writer_progress,
    .cancel = NULL, .free = writer_free,
};

int ef_synth_csv_job(const ef_synth *s, const char *path, ef_job **out, ef_error *err)
{
    writer *w;
    int rc;

    *out = NULL;
    if ((rc = writer_open(s, path, &w, err)) != EF_OK)
        return rc;
    *out = ef_job_new(&writer_ops, w);
    return EF_OK;
}

int ef_synth_write_csv(const ef_synth *s, const char *path, ef_error *err)
{
    writer *w;
    int rc;

    if ((rc = writer_open(s, path, &w, err)) != EF_OK)
        return rc;
    while ((rc = writer_step(w, err)) == EF_CONTINUE)
        ;
    writer_free(w);
    return rc;
}
