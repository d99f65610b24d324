/* ef_csv_parse.c — splitting the rows of one block into cells.
 *
 * Two parsers give the same cells for well-formed input:
 *  - fast_row, a table-driven scanner for RFC 4180 rows (quoted cells with ""
 *    escapes and newlines, unquoted cells without quotes, LF or CRLF).  It
 *    only notes where the selected cells are, and gives up (BAIL) on anything
 *    irregular: a quote inside an unquoted cell, text after a closing quote,
 *    a bare CR.  Each row is first offered to the vector scanner of
 *    ef_csv_scan.c, which accepts only rows this loop accepts, with the
 *    same cells.
 *  - slow_row, libcsv in strict mode, the parser of record: it takes every
 *    row the fast path gives up on (and every row with libcsv_only), and so
 *    decides what is an error and where.
 * Row boundaries are already known (ef_csv_split.c), so a bad row never
 * desynchronises the rows after it.
 */
#include "config.h"
#include "ukb/ef_csv.h"
#include "ukb/ef_csv_int.h"
#include "core/ef_alloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { ROW_OK, ROW_BAD, ROW_BAIL, ROW_BLANK, ROW_NUL };

/* Bytes that end the run of plain bytes inside a quoted / unquoted cell. */
static const unsigned char QSTOP[256] = { ['"'] = 1, ['\n'] = 1, [0] = 1 };
static const unsigned char USTOP[256] = { [','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [0] = 1 };

static void set_rowerr(ef_csv_rowerr *e, int code, long line, long column, const char *fmt, ...)
    EF_PRINTF(5, 6);
static int no_space(unsigned char c);
static void parser_reset(ef_csv_parser *ps);
static int fast_row(ef_csv_parser *ps, char *base, size_t start, size_t limit, size_t *next,
                    size_t *nlf, ef_csv_rowerr *e);
static int slow_row(ef_csv_parser *ps, char *base, size_t start, size_t end, size_t *nlf,
                    ef_csv_rowerr *e);
static void finish_cells(ef_csv_parser *ps, char *base);
static const char *colname(const ef_csv_layout *lay, size_t col);

static void set_rowerr(ef_csv_rowerr *e, int code, long line, long column, const char *fmt, ...)
{
    va_list ap;

    e->code = code;
    e->line = line;
    e->column = column;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

/* libcsv trims spaces around unquoted cells by default; pandas does not. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void parser_reset(ef_csv_parser *ps)
{
    if (ps->lp_live)
        csv_free(&ps->lp);
    if (csv_init(&ps->lp, CSV_STRICT | CSV_STRICT_FINI) != 0)
        ef_xmalloc((size_t)-1);   /* libcsv allocates nothing here; treat as OOM */
    csv_set_space_func(&ps->lp, no_space);
    ps->lp_live = 1;
}

void ef_csv_parser_init(ef_csv_parser *ps, const ef_csv_layout *lay)
{
    size_t n = lay->nuniq ? lay->nuniq : 1;

    memset(ps, 0, sizeof *ps);
    ps->lay = lay;
    ps->off = ef_xcalloc(n, sizeof *ps->off);
    ps->len = ef_xcalloc(n, sizeof *ps->len);
    ps->esc = ef_xcalloc(n, 1);
    ps->scan = ef_csv_scanner(lay->scan);
    parser_reset(ps);
}

void ef_csv_parser_fini(ef_csv_parser *ps)
{
    if (ps->lp_live)
        csv_free(&ps->lp);
    free(ps->off);
    free(ps->len);
    free(ps->esc);
    free(ps->arena);
    memset(ps, 0, sizeof *ps);
}

static const char *colname(const ef_csv_layout *lay, size_t col)
{
    return col < lay->ncols ? lay->names[col] : "beyond the header";
}

/* Scan the row at base[start]; on ROW_OK and ROW_BAD *next is just past its
 * '\n' and *nlf counts its newlines (including that one).  ROW_NUL stops at
 * the NUL and leaves finding the row's end to the caller.  The vector
 * scanner takes the regular rows (ef_csv_scan.c); the loop below decides
 * every other one. */
static int fast_row(ef_csv_parser *ps, char *base, size_t start, size_t limit, size_t *next,
                    size_t *nlf, ef_csv_rowerr *e)
{
    const ef_csv_layout *lay = ps->lay;
    const unsigned char *p = (const unsigned char *)base + start, *s;
    const size_t nuniq = lay->nuniq;
    size_t col = 0, u = 0, want = nuniq ? lay->uniq[0] : (size_t)-1, lf = 0, n;
    unsigned char esc, c;

    if (ps->scan && ps->scan(lay, base, start, limit, ps->off, ps->len, ps->esc, next, nlf)) {
        finish_cells(ps, base);
        return ROW_OK;
    }
    for (;;) {
        esc = 0;
        if (*p == '"') {
            s = ++p;
            for (;;) {
                while (!QSTOP[*p])
                    p++;
                if (*p == '"') {
                    if (p[1] != '"')
                        break;
                    esc = 1;
                    p += 2;
                } else if (*p == '\n') {
                    lf++;
                    p++;
                } else {
                    goto nul;
                }
            }
            n = (size_t)(p - s);
            p++;
        } else {
            s = p;
            while (!USTOP[*p])
                p++;
            if (*p == '"')
                return ROW_BAIL;
            if (*p == 0)
                goto nul;
            n = (size_t)(p - s);
        }
        if (col == want) {
            ps->off[u] = (uint32_t)(s - (const unsigned char *)base);
            ps->len[u] = (uint32_t)n;
            ps->esc[u] = esc;
            u++;
            want = u < nuniq ? lay->uniq[u] : (size_t)-1;
        }
        col++;
        c = *p;
        if (c == ',') {
            p++;
        } else if (c == '\n') {
            p++;
            break;
        } else if (c == '\r' && p[1] == '\n') {
            p += 2;
            break;
        } else {
            return ROW_BAIL;
        }
    }
    *next = (size_t)(p - (const unsigned char *)base);
    *nlf = lf + 1;
    if (col != lay->ncols) {
        set_rowerr(e, EF_EPARSE, 0, 0, "row has %zu cells, header has %zu", col, lay->ncols);
        return ROW_BAD;
    }
    finish_cells(ps, base);
    return ROW_OK;

nul:
    set_rowerr(e, EF_EPARSE, (long)lf, (long)col + 1, "NUL byte in column %zu (%s)", col + 1,
               colname(lay, col));
    return ROW_NUL;
}

/* Undo "" escapes and NUL-terminate the selected cells in place.  Done only
 * once the whole row is accepted, so a row handed to libcsv is untouched. */
static void finish_cells(ef_csv_parser *ps, char *base)
{
    size_t u, i, j;

    for (u = 0; u < ps->lay->nuniq; u++) {
        char *d = base + ps->off[u];
        size_t n = ps->len[u];

        if (ps->esc[u]) {
            for (i = j = 0; i < n; i++, j++) {
                d[j] = d[i];
                if (d[i] == '"')
                    i++;
            }
            ps->len[u] = (uint32_t)j;
            n = j;
        }
        d[n] = '\0';
    }
}

struct lcb {
    ef_csv_parser *ps;
    size_t col, u, want, rows, lf;
    long nul_col, nul_lf;
};

static void lcb_cell(void *s, size_t n, void *data);
static void lcb_row(int term, void *data);

/* Selected cells go to the parser's arena: the record itself stays intact
 * until libcsv has accepted it, so error positions can be computed on it. */
static void lcb_cell(void *s, size_t n, void *data)
{
    struct lcb *c = data;
    ef_csv_parser *ps = c->ps;
    const char *z;

    if (c->rows > 0) {   /* after a bare CR: counted as an extra row */
        c->col++;
        return;
    }
    if (n && c->nul_col == 0 && (z = memchr(s, 0, n)) != NULL) {
        c->nul_col = (long)c->col + 1;
        c->nul_lf = (long)(c->lf + ef_csv_count_lf(s, (size_t)(z - (const char *)s)));
    }
    if (n)
        c->lf += ef_csv_count_lf(s, n);
    if (c->col == c->want) {
        if (ps->arena_len + n > ps->arena_cap) {
            ps->arena_cap = 2 * (ps->arena_len + n) + 64;
            ps->arena = ef_xrealloc(ps->arena, ps->arena_cap);
        }
        if (n)
            memcpy(ps->arena + ps->arena_len, s, n);
        ps->off[c->u] = (uint32_t)ps->arena_len;
        ps->len[c->u] = (uint32_t)n;
        ps->arena_len += n;
        c->u++;
        c->want = c->u < ps->lay->nuniq ? ps->lay->uniq[c->u] : (size_t)-1;
    }
    c->col++;
}

static void lcb_row(int term, void *data)
{
    (void)term;
    ((struct lcb *)data)->rows++;
}

/* Parse the record base[start, end) (base[end] is its '\n') with libcsv. */
static int slow_row(ef_csv_parser *ps, char *base, size_t start, size_t end, size_t *nlf,
                    ef_csv_rowerr *e)
{
    const ef_csv_layout *lay = ps->lay;
    struct lcb c;
    size_t n = end - start, used, k, u;
    char *w;

    *nlf = ef_csv_count_lf(base + start, n) + 1;
    if (n && base[end - 1] == '\r')
        n--;
    memset(&c, 0, sizeof c);
    c.ps = ps;
    c.want = lay->nuniq ? lay->uniq[0] : (size_t)-1;
    ps->arena_len = 0;
    used = csv_parse(&ps->lp, base + start, n, lcb_cell, lcb_row, &c);
    if (used < n) {
        const char *what = base[start + used] == '"' ? "a quote inside an unquoted cell"
                                                     : "text after the closing quote of a cell";
        long line = (long)ef_csv_count_lf(base + start, used);
        const char *z;

        parser_reset(ps);
        /* A NUL in the cell libcsv stopped in comes first: fast_row names it
         * (and libcsv_only must give the same errors). */
        if (!c.nul_col && c.rows == 0 && (z = memchr(base + start, 0, used)) != NULL) {
            c.nul_col = (long)c.col + 1;
            c.nul_lf = (long)ef_csv_count_lf(base + start, (size_t)(z - (base + start)));
        }
        if (c.nul_col)
            goto nul;
        k = c.col;
        set_rowerr(e, EF_EPARSE, line, (long)k + 1, "malformed quoting in column %zu (%s): %s",
                   k + 1, colname(lay, k), what);
        return ROW_BAD;
    }
    if (csv_fini(&ps->lp, lcb_cell, lcb_row, &c) != 0) {
        /* The record ends outside quotes by construction, but libcsv ends a
         * row at a bare CR, so a quote after one opens a cell for it.  A NUL
         * before the CR comes first (fast_row names it). */
        parser_reset(ps);
        if (c.nul_col)
            goto nul;
        if (c.rows > 0)
            set_rowerr(e, EF_EPARSE, 0, 0, "carriage return outside quotes inside a row");
        else
            set_rowerr(e, EF_EPARSE, 0, (long)c.col + 1, "unterminated quoted cell");
        return ROW_BAD;
    }
    if (c.nul_col)
        goto nul;
    if (c.rows == 0)
        return ROW_BLANK;
    if (c.rows > 1) {
        set_rowerr(e, EF_EPARSE, 0, 0, "carriage return outside quotes inside a row");
        return ROW_BAD;
    }
    if (c.col != lay->ncols) {
        set_rowerr(e, EF_EPARSE, 0, 0, "row has %zu cells, header has %zu", c.col, lay->ncols);
        return ROW_BAD;
    }
    /* Copy the selected cells back over the record, NUL-terminated.  They fit:
     * a cell's text is never longer than its field, and each field is
     * followed by a delimiter or the final '\n' that can take the NUL. */
    w = base + start;
    for (u = 0; u < lay->nuniq; u++) {
        size_t len = ps->len[u];

        if (len)   /* the arena is NULL while every cell so far was empty */
            memcpy(w, ps->arena + ps->off[u], len);
        w[len] = '\0';
        ps->off[u] = (uint32_t)(w - base);
        w += len + 1;
    }
    return ROW_OK;

nul:
    k = (size_t)c.nul_col - 1;
    set_rowerr(e, EF_EPARSE, c.nul_lf, c.nul_col, "NUL byte in column %zu (%s)", k + 1,
               colname(lay, k));
    return ROW_BAD;
}

int ef_csv_number(const char *s, size_t n, double *v)
{
    static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15 };
    const char *e = s + n;
    uint64_t m = 0;
    int neg = 0, nd = 0, nf = 0, sign = 0, kind;

    if (n == 0) {
        *v = NAN;
        return EF_CSV_NUM_REAL;
    }
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        sign = *s++;
    }
    for (; s < e && *s >= '0' && *s <= '9'; s++, nd++)
        m = m * 10 + (uint64_t)(*s - '0');
    if (s < e && *s == '.') {
        for (s++; s < e && *s >= '0' && *s <= '9'; s++, nf++)
            m = m * 10 + (uint64_t)(*s - '0');
        kind = EF_CSV_NUM_REAL;
    } else {
        kind = nd > 0 && sign != '+' ? EF_CSV_NUM_INT : EF_CSV_NUM_REAL;
    }
    if (s != e || nd + nf == 0 || nd + nf > 15)
        return EF_CSV_NUM_TEXT;
    *v = (double)m / p10[nf];
    if (neg)
        *v = -*v;
    return kind;
}

/* The selected cells of row R of B as numbers, while they are in cache. */
static void convert_row(ef_csv_block *b, size_t r, size_t nuniq)
{
    const uint32_t *off = b->cell_off + r * nuniq, *len = b->cell_len + r * nuniq;
    double *num = b->cell_num + r * nuniq;
    unsigned char *kind = b->cell_kind + r * nuniq;

    for (size_t u = 0; u < nuniq; u++)
        kind[u] = (unsigned char)ef_csv_number(b->buf + off[u], len[u], &num[u]);
}

static void grow_rows(ef_csv_block *b, size_t nuniq, int numbers)
{
    size_t cap = b->rows_cap ? 2 * b->rows_cap : 256;

    b->row_line = ef_xreallocarray(b->row_line, cap, sizeof *b->row_line);
    b->row_end = ef_xreallocarray(b->row_end, cap, sizeof *b->row_end);
    b->row_err = ef_xreallocarray(b->row_err, cap, sizeof *b->row_err);
    b->rows_cap = cap;
    if (nuniq && cap * nuniq > b->cells_cap) {
        b->cells_cap = cap * nuniq;
        b->cell_off = ef_xreallocarray(b->cell_off, b->cells_cap, sizeof *b->cell_off);
        b->cell_len = ef_xreallocarray(b->cell_len, b->cells_cap, sizeof *b->cell_len);
        if (numbers) {
            b->cell_num = ef_xreallocarray(b->cell_num, b->cells_cap, sizeof *b->cell_num);
            b->cell_kind = ef_xreallocarray(b->cell_kind, b->cells_cap, sizeof *b->cell_kind);
        }
    }
}

void ef_csv_parse_block(ef_csv_parser *ps, ef_csv_block *b)
{
    const size_t nuniq = ps->lay->nuniq;
    char *base = b->buf;
    size_t pos = 0, line = 0, next, nlf, end;
    ef_csv_rowerr e;
    int rc;

    b->nrows = 0;
    b->nerrs = 0;
    b->resync = 0;
    while (pos < b->len) {
        if (base[pos] == '\n') {
            line++;
            pos++;
            continue;
        }
        if (base[pos] == '\r' && base[pos + 1] == '\n') {
            line++;
            pos += 2;
            continue;
        }
        rc = ps->lay->libcsv_only ? ROW_BAIL : fast_row(ps, base, pos, b->len, &next, &nlf, &e);
        if (rc == ROW_BAIL || rc == ROW_NUL) {
            end = pos + ef_csv_record_end(base + pos, b->len - pos, NULL);
            /* A stray quote makes the parity cuts wrong from here on. */
            if (!b->exact && (end == b->len || ef_csv_quote_parity(base + pos, end - pos))) {
                b->resync = 1;
                b->resync_off = pos;
                b->resync_lf = line;
                break;
            }
            next = end + 1;
            if (rc == ROW_NUL)
                nlf = ef_csv_count_lf(base + pos, end - pos) + 1;
            else
                rc = slow_row(ps, base, pos, end, &nlf, &e);
            if (rc == ROW_BLANK) {
                line += nlf;
                pos = next;
                continue;
            }
        }
        if (b->nrows == b->rows_cap)
            grow_rows(b, nuniq, ps->lay->numbers);
        b->row_line[b->nrows] = (uint32_t)line;
        b->row_end[b->nrows] = (uint32_t)next;
        b->row_err[b->nrows] = -1;
        if (rc == ROW_OK && nuniq) {
            memcpy(b->cell_off + b->nrows * nuniq, ps->off, nuniq * sizeof *ps->off);
            memcpy(b->cell_len + b->nrows * nuniq, ps->len, nuniq * sizeof *ps->len);
            if (ps->lay->numbers)
                convert_row(b, b->nrows, nuniq);
        } else if (rc != ROW_OK) {
            if (b->nerrs == b->errs_cap) {
                b->errs_cap = b->errs_cap ? 2 * b->errs_cap : 8;
                b->errs = ef_xreallocarray(b->errs, b->errs_cap, sizeof *b->errs);
            }
            e.line += (long)line;
            b->errs[b->nerrs] = e;
            b->row_err[b->nrows] = (int32_t)b->nerrs++;
        }
        b->nrows++;
        line += nlf;
        pos = next;
    }
    b->nlf = line;
}

void ef_csv_block_free(ef_csv_block *b)
{
    free(b->buf);
    free(b->row_line);
    free(b->row_end);
    free(b->row_err);
    free(b->cell_off);
    free(b->cell_len);
    free(b->cell_num);
    free(b->cell_kind);
    free(b->errs);
    memset(b, 0, sizeof *b);
}

struct hcb {
    char **names;
    size_t n, cap, lf, rows;
    long nul_col, nul_lf;
};

static void hcb_cell(void *s, size_t n, void *data);
static void hcb_row(int term, void *data);

static void hcb_cell(void *s, size_t n, void *data)
{
    struct hcb *h = data;
    const char *z;

    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->names = ef_xreallocarray(h->names, h->cap, sizeof *h->names);
    }
    if (n && h->nul_col == 0 && (z = memchr(s, 0, n)) != NULL) {
        h->nul_col = (long)h->n + 1;
        h->nul_lf = (long)(h->lf + ef_csv_count_lf(s, (size_t)(z - (const char *)s)));
    }
    if (n)
        h->lf += ef_csv_count_lf(s, n);
    h->names[h->n++] = ef_xstrndup(n ? s : "", n);
}

static void hcb_row(int term, void *data)
{
    (void)term;
    ((struct hcb *)data)->rows++;
}

int ef_csv_parse_header(const char *rec, size_t n, char ***names, size_t *ncols,
                        ef_csv_rowerr *e)
{
    struct csv_parser lp;
    struct hcb h;
    size_t used, i;
    int rc = EF_OK;

    memset(&h, 0, sizeof h);
    if (n && rec[n - 1] == '\r')
        n--;
    if (csv_init(&lp, CSV_STRICT | CSV_STRICT_FINI) != 0)
        ef_xmalloc((size_t)-1);
    csv_set_space_func(&lp, no_space);
    used = csv_parse(&lp, rec, n, hcb_cell, hcb_row, &h);
    if (used < n) {
        set_rowerr(e, EF_EPARSE, (long)ef_csv_count_lf(rec, used), (long)h.n + 1,
                   "malformed quoting in header column %zu: %s", h.n + 1,
                   rec[used] == '"' ? "a quote inside an unquoted name"
                                    : "text after the closing quote of a name");
        rc = EF_EPARSE;
    } else if (csv_fini(&lp, hcb_cell, hcb_row, &h) != 0) {
        set_rowerr(e, EF_EPARSE, 0, (long)h.n + 1, "unterminated quoted name in the header");
        rc = EF_EPARSE;
    } else if (h.nul_col) {
        set_rowerr(e, EF_EPARSE, h.nul_lf, h.nul_col, "NUL byte in header column %ld",
                   h.nul_col);
        rc = EF_EPARSE;
    } else if (h.rows != 1) {
        set_rowerr(e, EF_EPARSE, 0, 0, "carriage return outside quotes inside the header");
        rc = EF_EPARSE;
    }
    csv_free(&lp);
    if (rc != EF_OK) {
        for (i = 0; i < h.n; i++)
            free(h.names[i]);
        free(h.names);
        return rc;
    }
    *names = h.names;
    *ncols = h.n;
    return EF_OK;
}
