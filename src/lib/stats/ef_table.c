/* ef_table.c — the table value and its renderers (see ef_table.h). */
#include "config.h"
#include "stats/ef_table.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_CELLS, ROW_GROUP, ROW_RULE };

typedef struct col {
    char *header, *unit, *group;
    int align, priority, gap;
    size_t min_width, max_width;
} col;

typedef struct cell {
    char *text;
    double v;
    int is_num;
} cell;

typedef struct row {
    int kind;
    char *label;    /* ROW_GROUP */
    cell *cells;    /* ROW_CELLS: ncol of them */
} row;

struct ef_table {
    char *title;
    char *label;     /* LaTeX \label */
    col *cols;
    size_t ncol;
    row *rows;
    size_t nrow;
    char **notes;
    size_t nnote;
    size_t indent;
};

/* ---- building ------------------------------------------------------------- */

ef_table *ef_table_new(const char *title)
{
    ef_table *t = ef_xcalloc(1, sizeof *t);

    ef_table_set_title(t, title);
    return t;
}

void ef_table_free(ef_table *t)
{
    size_t i, j;

    if (!t)
        return;
    for (i = 0; i < t->nrow; i++) {
        for (j = 0; t->rows[i].cells && j < t->ncol; j++)
            free(t->rows[i].cells[j].text);
        free(t->rows[i].cells);
        free(t->rows[i].label);
    }
    for (j = 0; j < t->ncol; j++) {
        free(t->cols[j].header);
        free(t->cols[j].unit);
        free(t->cols[j].group);
    }
    for (i = 0; i < t->nnote; i++)
        free(t->notes[i]);
    free(t->notes);
    free(t->rows);
    free(t->cols);
    free(t->title);
    free(t->label);
    free(t);
}

static char *dup_or_null(const char *s)
{
    return s ? ef_xstrdup(s) : NULL;
}

void ef_table_set_title(ef_table *t, const char *title)
{
    free(t->title);
    t->title = dup_or_null(title);
}

void ef_table_set_label(ef_table *t, const char *label)
{
    free(t->label);
    t->label = dup_or_null(label);
}

size_t ef_table_add_col(ef_table *t, const char *header, int align)
{
    size_t i;
    col *c;

    t->cols = ef_xreallocarray(t->cols, t->ncol + 1, sizeof *t->cols);
    c = &t->cols[t->ncol];
    memset(c, 0, sizeof *c);
    c->header = ef_xstrdup(header ? header : "");
    c->align = align;
    c->gap = -1;
    /* rows added before this column get an empty cell in it */
    for (i = 0; i < t->nrow; i++)
        if (t->rows[i].cells) {
            t->rows[i].cells = ef_xreallocarray(t->rows[i].cells, t->ncol + 1, sizeof *t->rows[i].cells);
            memset(&t->rows[i].cells[t->ncol], 0, sizeof *t->rows[i].cells);
        }
    return t->ncol++;
}

void ef_table_col_priority(ef_table *t, size_t j, int priority)
{
    if (j < t->ncol)
        t->cols[j].priority = priority;
}

void ef_table_col_unit(ef_table *t, size_t j, const char *unit)
{
    if (j < t->ncol) {
        free(t->cols[j].unit);
        t->cols[j].unit = unit && *unit ? ef_xstrdup(unit) : NULL;
    }
}

void ef_table_col_group(ef_table *t, size_t j, const char *group)
{
    if (j < t->ncol) {
        free(t->cols[j].group);
        t->cols[j].group = group && *group ? ef_xstrdup(group) : NULL;
    }
}

void ef_table_col_layout(ef_table *t, size_t j, size_t min_width, size_t max_width, int gap)
{
    if (j < t->ncol) {
        t->cols[j].min_width = min_width;
        t->cols[j].max_width = max_width;
        t->cols[j].gap = gap;
    }
}

void ef_table_set_indent(ef_table *t, size_t indent)
{
    t->indent = indent;
}

size_t ef_table_ncols(const ef_table *t)
{
    return t->ncol;
}

size_t ef_table_nrows(const ef_table *t)
{
    return t->nrow;
}

static row *new_row(ef_table *t, int kind)
{
    row *r;

    t->rows = ef_xreallocarray(t->rows, t->nrow + 1, sizeof *t->rows);
    r = &t->rows[t->nrow++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    return r;
}

size_t ef_table_add_row(ef_table *t)
{
    row *r = new_row(t, ROW_CELLS);

    r->cells = ef_xcalloc(t->ncol ? t->ncol : 1, sizeof *r->cells);
    return t->nrow - 1;
}

void ef_table_add_group(ef_table *t, const char *label)
{
    new_row(t, ROW_GROUP)->label = ef_xstrdup(label ? label : "");
}

void ef_table_add_rule(ef_table *t)
{
    new_row(t, ROW_RULE);
}

static cell *cell_at(ef_table *t, size_t r, size_t c)
{
    if (r >= t->nrow || c >= t->ncol || t->rows[r].kind != ROW_CELLS)
        return NULL;
    return &t->rows[r].cells[c];
}

static void set_text(ef_table *t, size_t r, size_t c, char *text, int is_num, double v)
{
    cell *x = cell_at(t, r, c);

    if (!x) {
        free(text);
        return;
    }
    free(x->text);
    x->text = text;
    x->is_num = is_num;
    x->v = v;
}

void ef_table_set(ef_table *t, size_t r, size_t c, const char *text)
{
    set_text(t, r, c, ef_xstrdup(text ? text : ""), 0, NAN);
}

void ef_table_setf(ef_table *t, size_t r, size_t c, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = ef_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    set_text(t, r, c, s, 0, NAN);
}

void ef_table_set_num(ef_table *t, size_t r, size_t c, double v, int dec)
{
    set_text(t, r, c, isnan(v) ? ef_xstrdup("-") : ef_xasprintf("%.*f", dec, v), 1, v);
}

const char *ef_table_fmt_ci(char *buf, size_t size, double v, double lo, double hi, int dec)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (isnan(lo) || isnan(hi))
        snprintf(buf, size, "%.*f", dec, v);
    else
        snprintf(buf, size, "%.*f [%.*f, %.*f]", dec, v, dec, lo, dec, hi);
    return buf;
}

void ef_table_set_ci(ef_table *t, size_t r, size_t c, double v, double lo, double hi, int dec)
{
    char buf[160];

    set_text(t, r, c, ef_xstrdup(ef_table_fmt_ci(buf, sizeof buf, v, lo, hi, dec)), 1, v);
}

const char *ef_table_get(const ef_table *t, size_t r, size_t c)
{
    if (r >= t->nrow || c >= t->ncol || t->rows[r].kind != ROW_CELLS || !t->rows[r].cells[c].text)
        return "";
    return t->rows[r].cells[c].text;
}

double ef_table_get_num(const ef_table *t, size_t r, size_t c)
{
    if (r >= t->nrow || c >= t->ncol || t->rows[r].kind != ROW_CELLS || !t->rows[r].cells[c].is_num)
        return NAN;
    return t->rows[r].cells[c].v;
}

const char *ef_table_col_header(const ef_table *t, size_t c)
{
    return c < t->ncol && t->cols[c].header ? t->cols[c].header : "";
}

int ef_table_row_is_cells(const ef_table *t, size_t r)
{
    return r < t->nrow && t->rows[r].kind == ROW_CELLS;
}

void ef_table_add_note(ef_table *t, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = ef_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    t->notes = ef_xreallocarray(t->notes, t->nnote + 1, sizeof *t->notes);
    t->notes[t->nnote++] = s;
}

/* ---- a growing string ------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = ef_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static void sb_putc(sbuf *b, char c)
{
    sb_putn(b, &c, 1);
}

static void sb_pad(sbuf *b, size_t n, char c)
{
    while (n--)
        sb_putc(b, c);
}

/* Drop the spaces that end the current line (aligned text has none). */
static void sb_trim_line(sbuf *b)
{
    while (b->n && b->p[b->n - 1] == ' ')
        b->p[--b->n] = '\0';
}

/* ---- widths ----------------------------------------------------------------- */

size_t ef_table_text_width(const char *s)
{
    size_t w = 0;

    for (; s && *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;   /* UTF-8: count lead bytes only */
    return w;
}

/* Bytes of the first k code points of s. */
static size_t utf8_prefix(const char *s, size_t k)
{
    size_t i = 0;

    while (s[i] && k) {
        i++;
        while (((unsigned char)s[i] & 0xc0) == 0x80)
            i++;
        k--;
    }
    return i;
}

static char *header_text(const col *c)
{
    return c->unit ? ef_xasprintf("%s (%s)", c->header, c->unit) : ef_xstrdup(c->header);
}

static const char *cell_text(const row *r, size_t j)
{
    return r->cells[j].text ? r->cells[j].text : "";
}

/* ---- aligned text ------------------------------------------------------------ */

/* Word-wrap s to width (0: no wrapping) after prefix. */
static void text_para(sbuf *b, const char *s, size_t width)
{
    const char *p = s;

    while (width && ef_table_text_width(p) > width) {
        size_t cut = utf8_prefix(p, width), brk = cut;

        while (brk > 0 && p[brk] != ' ')
            brk--;
        if (brk == 0) {   /* one long word: break at the next space */
            brk = cut;
            while (p[brk] && p[brk] != ' ')
                brk++;
            if (!p[brk])
                break;
        }
        sb_putn(b, p, brk);
        sb_putc(b, '\n');
        p += brk;
        while (*p == ' ')
            p++;
    }
    sb_puts(b, p);
    sb_putc(b, '\n');
}

static void render_text(const ef_table *t, const ef_table_render_opts *o, sbuf *b)
{
    size_t ncol = t->ncol, *w = ef_xcalloc(ncol ? ncol : 1, sizeof *w), i, j, total = 0, first;
    unsigned char *shown = ef_xmalloc(ncol ? ncol : 1);
    char **head = ef_xcalloc(ncol ? ncol : 1, sizeof *head);
    size_t fit = o->wide ? 0 : o->width;
    sbuf dropped = { 0 };
    size_t ndropped = 0;

    for (j = 0; j < ncol; j++) {
        const col *c = &t->cols[j];

        head[j] = header_text(c);
        w[j] = ef_table_text_width(head[j]);
        for (i = 0; i < t->nrow; i++)
            if (t->rows[i].kind == ROW_CELLS && ef_table_text_width(cell_text(&t->rows[i], j)) > w[j])
                w[j] = ef_table_text_width(cell_text(&t->rows[i], j));
        if (w[j] < c->min_width)
            w[j] = c->min_width;
        if (c->max_width && w[j] > c->max_width)
            w[j] = c->max_width;
        shown[j] = 1;
    }
    /* Fit: drop the least important column (with its group) until it fits. */
    for (;;) {
        size_t victim = ncol;

        total = t->indent;
        first = 1;
        for (j = 0; j < ncol; j++)
            if (shown[j]) {
                total += (first ? 0 : t->cols[j].gap < 0 ? 2 : (size_t)t->cols[j].gap) + w[j];
                first = 0;
            }
        if (!fit || total <= fit)
            break;
        for (j = 0; j < ncol; j++)
            if (shown[j] && t->cols[j].priority > 0 &&
                (victim == ncol || t->cols[j].priority <= t->cols[victim].priority))
                victim = j;
        if (victim == ncol)
            break;   /* nothing more may go: print it wide */
        for (j = 0; j < ncol; j++)
            if (shown[j] && (j == victim || (t->cols[victim].group && t->cols[j].group &&
                                             strcmp(t->cols[j].group, t->cols[victim].group) == 0))) {
                shown[j] = 0;
                sb_puts(&dropped, ndropped++ ? ", " : "");
                sb_puts(&dropped, head[j]);
            }
    }
    if (t->title)
        text_para(b, t->title, fit);
    for (i = 0; i <= t->nrow; i++) {   /* i == 0 is the header, then row i - 1 */
        const row *r = i ? &t->rows[i - 1] : NULL;
        size_t last = ncol;

        sb_pad(b, t->indent, ' ');
        if (r && r->kind == ROW_GROUP) {
            sb_puts(b, r->label);
            sb_putc(b, '\n');
            continue;
        }
        if (r && r->kind == ROW_RULE) {
            sb_pad(b, total > t->indent ? total - t->indent : 0, '-');
            sb_putc(b, '\n');
            continue;
        }
        for (j = 0; j < ncol; j++)
            if (shown[j])
                last = j;
        first = 1;
        for (j = 0; j < ncol; j++) {
            const char *s = r ? cell_text(r, j) : head[j];
            size_t sw = ef_table_text_width(s), n = strlen(s);

            if (!shown[j])
                continue;
            if (!first)
                sb_pad(b, t->cols[j].gap < 0 ? 2 : (size_t)t->cols[j].gap, ' ');
            first = 0;
            if (sw > w[j]) {   /* only with max_width: cut, marked with an ellipsis */
                n = utf8_prefix(s, w[j] ? w[j] - 1 : 0);
                sw = w[j];
            }
            if (t->cols[j].align == EF_TABLE_RIGHT)
                sb_pad(b, w[j] - sw, ' ');
            sb_putn(b, s, n);
            if (n < strlen(s) && w[j])
                sb_puts(b, "\xe2\x80\xa6");
            if (t->cols[j].align != EF_TABLE_RIGHT && j != last)
                sb_pad(b, w[j] - sw, ' ');
        }
        sb_trim_line(b);
        sb_putc(b, '\n');
    }
    for (i = 0; i < t->nnote; i++)
        text_para(b, t->notes[i], fit);
    if (ndropped) {
        char *line = ef_xasprintf("(not shown, to fit %zu columns: %s%s%s)", fit, dropped.p,
                                  o->drop_hint ? "; " : "", o->drop_hint ? o->drop_hint : "");

        text_para(b, line, fit);
        free(line);
    }
    for (j = 0; j < ncol; j++)
        free(head[j]);
    free(head);
    free(dropped.p);
    free(shown);
    free(w);
}

/* ---- GitHub Markdown ---------------------------------------------------------- */

static char *md_escape(const char *s)
{
    sbuf b = { 0 };

    sb_puts(&b, "");
    for (; *s; s++) {
        if (*s == '|' || *s == '\\')
            sb_putc(&b, '\\');
        sb_putc(&b, *s == '\n' ? ' ' : *s);
    }
    return b.p;
}

static void render_md(const ef_table *t, sbuf *b)
{
    size_t ncol = t->ncol, nr = t->nrow + 1, i, j;
    char **txt = ef_xcalloc(nr * (ncol ? ncol : 1), sizeof *txt);
    size_t *w = ef_xcalloc(ncol ? ncol : 1, sizeof *w);

    for (i = 0; i < nr; i++) {
        const row *r = i ? &t->rows[i - 1] : NULL;

        if (r && r->kind == ROW_RULE)
            continue;
        for (j = 0; j < ncol; j++) {
            char *s;

            if (!r) {
                char *h = header_text(&t->cols[j]);

                s = md_escape(h);
                free(h);
            } else if (r->kind == ROW_GROUP) {
                char *e = md_escape(r->label);

                s = j == 0 ? ef_xasprintf("**%s**", e) : ef_xstrdup("");
                free(e);
            } else {
                s = md_escape(cell_text(r, j));
            }
            txt[i * ncol + j] = s;
            if ((!r || r->kind == ROW_CELLS) && ef_table_text_width(s) > w[j])
                w[j] = ef_table_text_width(s);
        }
    }
    if (t->title) {
        char *e = md_escape(t->title);

        sb_puts(b, "**");
        sb_puts(b, e);
        sb_puts(b, "**\n\n");
        free(e);
    }
    for (i = 0; i < nr; i++) {
        if (!txt[i * ncol] && ncol)
            continue;   /* a rule */
        for (j = 0; j < ncol; j++) {
            const char *s = txt[i * ncol + j];

            sb_puts(b, "| ");
            sb_puts(b, s);
            sb_pad(b, w[j] > ef_table_text_width(s) ? w[j] - ef_table_text_width(s) + 1 : 1, ' ');
        }
        sb_puts(b, "|\n");
        if (i == 0) {
            for (j = 0; j < ncol; j++) {
                sb_puts(b, "|-");
                sb_pad(b, w[j], '-');
                sb_putc(b, t->cols[j].align == EF_TABLE_RIGHT ? ':' : '-');
            }
            sb_puts(b, "|\n");
        }
    }
    if (t->nnote)
        sb_putc(b, '\n');
    for (i = 0; i < t->nnote; i++) {
        sb_puts(b, t->notes[i]);
        sb_puts(b, i + 1 < t->nnote ? "  \n" : "\n");   /* two spaces: a line break */
    }
    for (i = 0; i < nr * ncol; i++)
        free(txt[i]);
    free(txt);
    free(w);
}

/* ---- LaTeX (booktabs) ---------------------------------------------------------- */

static void latex_escape(sbuf *b, const char *s)
{
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;

        if (c && strchr("&%$#_{}", c)) {
            sb_putc(b, '\\');
            sb_putc(b, (char)c);
        } else if (c == '~') {
            sb_puts(b, "\\textasciitilde{}");
        } else if (c == '^') {
            sb_puts(b, "\\textasciicircum{}");
        } else if (c == '\\') {
            sb_puts(b, "\\textbackslash{}");
        } else if (c == '|' || c == '<' || c == '>') {   /* OT1 fonts have no such glyphs */
            sb_puts(b, c == '|' ? "\\textbar{}" : c == '<' ? "\\textless{}" : "\\textgreater{}");
        } else if (c == 0xce && (unsigned char)s[1] == 0x94) {   /* U+0394 Delta */
            sb_puts(b, "$\\Delta$");
            s++;
        } else if (c == 0xc2 && (unsigned char)s[1] == 0xb2) {   /* U+00B2 superscript two */
            sb_puts(b, "\\textsuperscript{2}");
            s++;
        } else if (c == 0xc2 && (unsigned char)s[1] == 0xb1) {   /* U+00B1 plus-minus */
            sb_puts(b, "$\\pm$");
            s++;
        } else {
            sb_putc(b, (char)c);
        }
    }
}

static void render_latex(const ef_table *t, sbuf *b)
{
    const char *top = "\\toprule\n", *mid = "\\midrule\n", *bot = "\\bottomrule\n";
    size_t i, j;

    sb_puts(b, "\\begin{table}\n\\centering\n");
    if (t->title) {
        sb_puts(b, "\\caption{");
        latex_escape(b, t->title);
        sb_puts(b, "}\n");
    }
    if (t->label) {
        sb_puts(b, "\\label{");
        sb_puts(b, t->label);
        sb_puts(b, "}\n");
    }
    sb_puts(b, "\\begin{tabular}{");
    for (j = 0; j < t->ncol; j++)
        sb_putc(b, t->cols[j].align == EF_TABLE_RIGHT ? 'r' : 'l');
    sb_puts(b, "}\n");
    sb_puts(b, top);
    for (j = 0; j < t->ncol; j++) {
        char *h = header_text(&t->cols[j]);

        sb_puts(b, j ? " & " : "");
        latex_escape(b, h);
        free(h);
    }
    sb_puts(b, " \\\\\n");
    sb_puts(b, mid);
    for (i = 0; i < t->nrow; i++) {
        const row *r = &t->rows[i];

        if (r->kind == ROW_RULE) {
            sb_puts(b, mid);
        } else if (r->kind == ROW_GROUP) {
            char n[32];

            snprintf(n, sizeof n, "%zu", t->ncol);
            sb_puts(b, "\\multicolumn{");
            sb_puts(b, n);
            sb_puts(b, "}{l}{");
            latex_escape(b, r->label);
            sb_puts(b, "} \\\\\n");
        } else {
            for (j = 0; j < t->ncol; j++) {
                sb_puts(b, j ? " & " : "");
                latex_escape(b, cell_text(r, j));
            }
            sb_puts(b, " \\\\\n");
        }
    }
    sb_puts(b, bot);
    sb_puts(b, "\\end{tabular}\n");
    for (i = 0; i < t->nnote; i++) {
        sb_puts(b, "\\par{\\footnotesize ");
        latex_escape(b, t->notes[i]);
        sb_puts(b, "}\n");
    }
    sb_puts(b, "\\end{table}\n");
}

/* ---- CSV (RFC 4180 quoting; LF line ends like the other exports) ---------------- */

static void csv_cell(sbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sb_puts(b, s);
        return;
    }
    sb_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_putc(b, '"');
        sb_putc(b, *s);
    }
    sb_putc(b, '"');
}

static void render_csv(const ef_table *t, sbuf *b)
{
    size_t i, j;
    char num[64];

    for (j = 0; j < t->ncol; j++) {
        sb_puts(b, j ? "," : "");
        csv_cell(b, t->cols[j].header);
    }
    sb_putc(b, '\n');
    for (i = 0; i < t->nrow; i++) {
        const row *r = &t->rows[i];

        if (r->kind != ROW_CELLS)
            continue;   /* headings and rules are layout, not data */
        for (j = 0; j < t->ncol; j++) {
            const cell *c = &r->cells[j];

            sb_puts(b, j ? "," : "");
            if (c->is_num)
                sb_puts(b, isnan(c->v) ? "" : ef_numfmt_short(c->v, num, sizeof num));
            else
                csv_cell(b, cell_text(r, j));
        }
        sb_putc(b, '\n');
    }
}

/* ---- HTML ------------------------------------------------------------------------ */

static void html_escape(sbuf *b, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&#39;"); break;
        default: sb_putc(b, *s);
        }
}

static void html_cell(sbuf *b, const char *tag, int align, const char *s)
{
    sb_putc(b, '<');
    sb_puts(b, tag);
    if (align == EF_TABLE_RIGHT)
        sb_puts(b, " style=\"text-align:right\"");
    sb_putc(b, '>');
    html_escape(b, s);
    sb_puts(b, "</");
    sb_puts(b, tag);
    sb_putc(b, '>');
}

static void render_html(const ef_table *t, sbuf *b)
{
    size_t i, j;
    char span[64];

    snprintf(span, sizeof span, " colspan=\"%zu\"", t->ncol ? t->ncol : 1);
    sb_puts(b, "<table>\n");
    if (t->title) {
        sb_puts(b, "<caption>");
        html_escape(b, t->title);
        sb_puts(b, "</caption>\n");
    }
    sb_puts(b, "<thead>\n<tr>");
    for (j = 0; j < t->ncol; j++) {
        char *h = header_text(&t->cols[j]);

        html_cell(b, "th", t->cols[j].align, h);
        free(h);
    }
    sb_puts(b, "</tr>\n</thead>\n<tbody>\n");
    for (i = 0; i < t->nrow; i++) {
        const row *r = &t->rows[i];

        if (r->kind == ROW_RULE) {
            sb_puts(b, "</tbody>\n<tbody>\n");
        } else if (r->kind == ROW_GROUP) {
            sb_puts(b, "<tr><th");
            sb_puts(b, span);
            sb_puts(b, " style=\"text-align:left\">");
            html_escape(b, r->label);
            sb_puts(b, "</th></tr>\n");
        } else {
            sb_puts(b, "<tr>");
            for (j = 0; j < t->ncol; j++)
                html_cell(b, "td", t->cols[j].align, cell_text(r, j));
            sb_puts(b, "</tr>\n");
        }
    }
    sb_puts(b, "</tbody>\n");
    if (t->nnote) {
        sb_puts(b, "<tfoot>\n");
        for (i = 0; i < t->nnote; i++) {
            sb_puts(b, "<tr><td");
            sb_puts(b, span);
            sb_putc(b, '>');
            html_escape(b, t->notes[i]);
            sb_puts(b, "</td></tr>\n");
        }
        sb_puts(b, "</tfoot>\n");
    }
    sb_puts(b, "</table>\n");
}

/* ---- entry points ------------------------------------------------------------------ */

char *ef_table_render_str(const ef_table *t, const ef_table_render_opts *o)
{
    static const ef_table_render_opts text = { EF_TABLE_TEXT, 0, 0, NULL };
    sbuf b = { 0 };

    if (!o)
        o = &text;
    sb_puts(&b, "");
    switch (o->format) {
    case EF_TABLE_MD: render_md(t, &b); break;
    case EF_TABLE_LATEX: render_latex(t, &b); break;
    case EF_TABLE_CSV: render_csv(t, &b); break;
    case EF_TABLE_HTML: render_html(t, &b); break;
    default: render_text(t, o, &b);
    }
    return b.p;
}

int ef_table_render(const ef_table *t, const ef_table_render_opts *o, FILE *fp, ef_error *err)
{
    char *s = ef_table_render_str(t, o);
    size_t n = strlen(s);
    int ok = fwrite(s, 1, n, fp) == n;

    free(s);
    if (!ok)
        return ef_error_set(err, EF_EIO, "cannot write the table: %s", strerror(errno));
    return EF_OK;
}
