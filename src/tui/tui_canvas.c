/* tui_canvas.c — see tui_canvas.h. */
#include "config.h"
#include "tui_canvas.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct cell {
    uint32_t glyph;     /* text code point; 0: show the dots */
    uint8_t dots;       /* Braille bit pattern */
    uint8_t color;
} cell;

struct tui_canvas {
    int cols, rows, mode;
    uint8_t pen;
    cell *cells;
};

/* Braille bit of dot (dx, dy) in a cell: dots 1-3 and 7 down the left
 * column, 4-6 and 8 down the right one (Unicode's numbering). */
static const uint8_t dot_bit[4][2] = {
    { 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
};

int tui_canvas_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

tui_canvas *tui_canvas_new(int cols, int rows, int mode)
{
    tui_canvas *c = ef_xcalloc(1, sizeof *c);

    c->mode = mode;
    tui_canvas_resize(c, cols, rows);
    return c;
}

void tui_canvas_free(tui_canvas *c)
{
    if (!c)
        return;
    free(c->cells);
    free(c);
}

void tui_canvas_resize(tui_canvas *c, int cols, int rows)
{
    c->cols = cols < 1 ? 1 : cols;
    c->rows = rows < 1 ? 1 : rows;
    free(c->cells);
    c->cells = ef_xcalloc((size_t)c->cols * (size_t)c->rows, sizeof *c->cells);
}

void tui_canvas_clear(tui_canvas *c)
{
    memset(c->cells, 0, (size_t)c->cols * (size_t)c->rows * sizeof *c->cells);
}

void tui_canvas_set_mode(tui_canvas *c, int mode) { c->mode = mode; }
int tui_canvas_mode(const tui_canvas *c) { return c->mode; }
int tui_canvas_cols(const tui_canvas *c) { return c->cols; }
int tui_canvas_rows(const tui_canvas *c) { return c->rows; }
int tui_canvas_dot_width(const tui_canvas *c) { return 2 * c->cols; }
int tui_canvas_dot_height(const tui_canvas *c) { return 4 * c->rows; }
void tui_canvas_pen(tui_canvas *c, uint8_t color) { c->pen = color; }

/* ------------------------------------------------------------ dots */

void tui_canvas_dot(tui_canvas *c, int x, int y)
{
    cell *p;

    if (x < 0 || y < 0 || x >= 2 * c->cols || y >= 4 * c->rows)
        return;
    p = &c->cells[(size_t)(y / 4) * (size_t)c->cols + (size_t)(x / 2)];
    p->dots |= dot_bit[y % 4][x % 2];
    p->color = c->pen;
}

int tui_canvas_get_dot(const tui_canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= 2 * c->cols || y >= 4 * c->rows)
        return 0;
    return (c->cells[(size_t)(y / 4) * (size_t)c->cols + (size_t)(x / 2)].dots &
            dot_bit[y % 4][x % 2]) != 0;
}

/* Bresenham from (x0, y0) to (x1, y1), keeping the dots inside the
 * rectangle [cx, cx + cw) x [cy, cy + ch). */
static void clip_line(tui_canvas *c, int x0, int y0, int x1, int y1, int cx, int cy, int cw, int ch)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, e = dx + dy, e2;

    for (;;) {
        if (x0 >= cx && x0 < cx + cw && y0 >= cy && y0 < cy + ch)
            tui_canvas_dot(c, x0, y0);
        if (x0 == x1 && y0 == y1)
            break;
        e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            e += dx;
            y0 += sy;
        }
    }
}

void tui_canvas_line(tui_canvas *c, int x0, int y0, int x1, int y1)
{
    clip_line(c, x0, y0, x1, y1, 0, 0, 2 * c->cols, 4 * c->rows);
}

void tui_canvas_hline(tui_canvas *c, int x0, int x1, int y)
{
    tui_canvas_line(c, x0, y, x1, y);
}

void tui_canvas_vline(tui_canvas *c, int x, int y0, int y1)
{
    tui_canvas_line(c, x, y0, x, y1);
}

/* ------------------------------------------------------------ text */

/* Next code point of s (advancing *s); '?' for a malformed sequence. */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp;
    int n, i;

    if (p[0] < 0x80) {
        *s += 1;
        return p[0];
    }
    if ((p[0] & 0xe0) == 0xc0) {
        n = 1;
        cp = p[0] & 0x1f;
    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 2;
        cp = p[0] & 0x0f;
    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 3;
        cp = p[0] & 0x07;
    } else {
        *s += 1;
        return '?';
    }
    for (i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *s += i;
            return '?';
        }
        cp = cp << 6 | (p[i] & 0x3f);
    }
    *s += n + 1;
    return cp;
}

static int utf8_put(uint32_t cp, char *buf)
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xc0 | cp >> 6);
        buf[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xe0 | cp >> 12);
        buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        buf[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    buf[0] = (char)(0xf0 | cp >> 18);
    buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    buf[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    buf[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

void tui_canvas_glyph(tui_canvas *c, int col, int row, uint32_t cp)
{
    cell *p;

    if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
        return;
    p = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
    p->glyph = cp;
    p->color = c->pen;
}

int tui_canvas_text(tui_canvas *c, int col, int row, const char *utf8)
{
    int n = 0;

    while (*utf8 && col + n < c->cols) {
        uint32_t cp = utf8_next(&utf8);

        tui_canvas_glyph(c, col + n, row, cp);
        n++;
    }
    return n;
}

/* ------------------------------------------------------------ output */

char tui_canvas_ascii_of(uint32_t cp)
{
    if (cp < 0x80)
        return (char)cp;
    switch (cp) {
    case 0x2500: case 0x2501: case 0x254c: case 0x254d: case 0x2504: case 0x2505:
    case 0x2574: case 0x2576: case 0x2014: case 0x2013: case 0x2212:
        return '-';
    case 0x2502: case 0x2503: case 0x254e: case 0x254f: case 0x2506: case 0x2507:
    case 0x2575: case 0x2577:
        return '|';
    case 0x25b8: case 0x25b6: case 0x2192: case 0x203a:
        return '>';
    case 0x25c2: case 0x25c0: case 0x2190: case 0x2039:
        return '<';
    case 0x2191: case 0x25b4:
        return '^';
    case 0x2193: case 0x25be:
        return 'v';
    case 0x00b7: case 0x2022: case 0x2026:
        return '.';
    case 0x00d7:
        return 'x';
    case 0x00b5:
        return 'u';
    case 0x00b0:
        return 'o';
    case 0x2713: case 0x2714:
        return '+';
    case 0x2717: case 0x2718:
        return 'x';
    default:
        break;
    }
    if (cp >= 0x2500 && cp <= 0x257f)   /* the other box pieces: corners, tees, crosses */
        return '+';
    if (cp >= 0x2580 && cp <= 0x259f)   /* blocks */
        return '#';
    return '?';
}

/* The ASCII character for a dot pattern: by the rows it covers, and for a
 * tall pattern by which way it leans. */
static char ascii_dots(uint8_t d)
{
    int rows = 0, lo = 4, hi = -1, r, k, sum[2] = { 0, 0 }, cnt[2] = { 0, 0 };

    if (!d)
        return ' ';
    for (r = 0; r < 4; r++)
        for (k = 0; k < 2; k++)
            if (d & dot_bit[r][k]) {
                rows |= 1 << r;
                lo = r < lo ? r : lo;
                hi = r > hi ? r : hi;
                sum[k] += r;
                cnt[k]++;
            }
    if (hi - lo >= 2) {
        if (cnt[0] && cnt[1]) {
            /* mean row of each column, compared without division */
            int l = sum[0] * cnt[1], rr = sum[1] * cnt[0], gap = cnt[0] * cnt[1];

            if (l - rr >= gap)
                return '/';
            if (rr - l >= gap)
                return '\\';
        }
        return '|';
    }
    if (rows == 0x1)
        return '\'';
    if (rows == 0x8 || rows == 0xc)
        return '.';
    if (rows == 0x3)
        return '"';
    return '-';   /* rows 1, 2 or both */
}

int tui_canvas_cell(const tui_canvas *c, int col, int row, char *buf)
{
    const cell *p;
    int n;

    if (col < 0 || row < 0 || col >= c->cols || row >= c->rows) {
        buf[0] = ' ';
        buf[1] = '\0';
        return 1;
    }
    p = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
    if (c->mode == TUI_CANVAS_ASCII) {
        buf[0] = p->glyph ? tui_canvas_ascii_of(p->glyph) : ascii_dots(p->dots);
        n = 1;
    } else if (p->glyph) {
        n = utf8_put(p->glyph, buf);
    } else if (p->dots) {
        n = utf8_put(0x2800u + p->dots, buf);
    } else {
        buf[0] = ' ';
        n = 1;
    }
    buf[n] = '\0';
    return n;
}

uint8_t tui_canvas_cell_color(const tui_canvas *c, int col, int row)
{
    if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
        return 0;
    return c->cells[(size_t)row * (size_t)c->cols + (size_t)col].color;
}

size_t tui_canvas_row(const tui_canvas *c, int row, char *buf, size_t size)
{
    size_t len = 0, need = 0;
    char one[5];
    int col, n, full = size == 0;

    for (col = 0; col < c->cols; col++) {
        n = tui_canvas_cell(c, col, row, one);
        need += (size_t)n;
        if (!full && len + (size_t)n < size) {
            memcpy(buf + len, one, (size_t)n);
            len += (size_t)n;
        } else {
            full = 1;   /* nothing after a cell that did not fit */
        }
    }
    if (size)
        buf[len] = '\0';
    return need;
}

/* ------------------------------------------------------------ world coordinates */

int tui_canvas_frame_x(const tui_canvas_frame *f, double wx)
{
    double t = (wx - f->x0) / (f->x1 - f->x0) * f->w;

    if (!(t > -1e6))
        t = -1e6;
    if (t > 1e6)
        t = 1e6;
    return f->x + (int)floor(t);
}

int tui_canvas_frame_y(const tui_canvas_frame *f, double wy)
{
    /* y0 on the bottom dot row, y1 on the top one */
    double t = f->y1 > f->y0 ? (wy - f->y0) / (f->y1 - f->y0) * (f->h - 1) : 0;

    if (!(t > -1e6))
        t = -1e6;
    if (t > 1e6)
        t = 1e6;
    return f->y + f->h - 1 - (int)lround(t);
}

static int inside(const tui_canvas_frame *f, int x, int y)
{
    return x >= f->x && x < f->x + f->w && y >= f->y && y < f->y + f->h;
}

void tui_canvas_point(tui_canvas *c, const tui_canvas_frame *f, double wx, double wy)
{
    int x = tui_canvas_frame_x(f, wx), y = tui_canvas_frame_y(f, wy);

    if (isfinite(wx) && isfinite(wy) && inside(f, x, y))
        tui_canvas_dot(c, x, y);
}

/* A line from (x0, y0) to (x1, y1) keeping only the dots inside f. */
static void frame_line(tui_canvas *c, const tui_canvas_frame *f, int x0, int y0, int x1, int y1)
{
    clip_line(c, x0, y0, x1, y1, f->x, f->y, f->w, f->h);
}

void tui_canvas_segment(tui_canvas *c, const tui_canvas_frame *f, double wx0, double wy0,
                        double wx1, double wy1)
{
    if (!isfinite(wx0) || !isfinite(wy0) || !isfinite(wx1) || !isfinite(wy1))
        return;
    frame_line(c, f, tui_canvas_frame_x(f, wx0), tui_canvas_frame_y(f, wy0),
               tui_canvas_frame_x(f, wx1), tui_canvas_frame_y(f, wy1));
}

static int clamp_y(const tui_canvas_frame *f, int y)
{
    return y < f->y ? f->y : y >= f->y + f->h ? f->y + f->h - 1 : y;
}

void tui_canvas_series(tui_canvas *c, const tui_canvas_frame *f, const float *v, size_t n,
                       size_t stride, double t0, double dt)
{
    long first, last, i;
    int have = 0, col = 0, lo = 0, hi = 0, y_first = 0, y_last = 0;
    int prev = 0, prev_col = 0, prev_y = 0;

    if (n == 0 || !(dt > 0) || f->w <= 0 || f->h <= 0 || !(f->x1 > f->x0))
        return;
    /* the samples inside [x0, x1), and one either side so the trace runs
     * to the frame's edges */
    first = (long)floor((f->x0 - t0) / dt) - 1;
    last = (long)ceil((f->x1 - t0) / dt) + 1;
    if (first < 0)
        first = 0;
    if (last > (long)n - 1)
        last = (long)n - 1;
    for (i = first; i <= last + 1; i++) {
        int x = 0, y = 0, end = i > last;
        double s = 0;

        if (!end) {
            s = v[(size_t)i * stride];
            x = tui_canvas_frame_x(f, t0 + (double)i * dt);
            y = clamp_y(f, tui_canvas_frame_y(f, s));
        }
        if (have && (end || isnan(s) || x != col)) {
            /* close column col: its span, joined to the column before */
            if (prev)
                frame_line(c, f, prev_col, prev_y, col, y_first);
            frame_line(c, f, col, lo, col, hi);
            prev = 1;
            prev_col = col;
            prev_y = y_last;
            have = 0;
        }
        if (end)
            break;
        if (isnan(s)) {
            prev = 0;
            continue;
        }
        if (!have) {
            have = 1;
            col = x;
            lo = hi = y_first = y;
        }
        lo = y < lo ? y : lo;
        hi = y > hi ? y : hi;
        y_last = y;
    }
}

int tui_canvas_ticks(double lo, double hi, int max, double *ticks, double *step)
{
    static const double nice[] = { 1, 2, 5, 10 };
    double span = hi - lo, raw, mag, st = 0, t;
    int k, n = 0;

    if (step)
        *step = 0;
    if (!isfinite(lo) || !isfinite(hi) || !(span > 0) || max < 1)
        return 0;
    raw = span / max;
    mag = pow(10, floor(log10(raw)));
    for (k = 0; k < 4; k++) {
        st = nice[k] * mag;
        if (st >= raw && floor(hi / st) - ceil(lo / st) + 1 <= max)
            break;
    }
    for (t = ceil(lo / st); t <= floor(hi / st) && n < max; t++) {
        double v = t * st;

        ticks[n++] = fabs(v) < st * 1e-9 ? 0 : v;   /* no "-0" */
    }
    if (step)
        *step = st;
    return n;
}

/* A tick label: %g, locale-proof, without "-0". */
static int tick_label(char *buf, size_t size, double v, double step)
{
    ef_snprintf(buf, size, "%g", fabs(v) < step * 1e-9 ? 0.0 : v);
    return (int)strlen(buf);
}

int tui_canvas_axes(tui_canvas *c, int col, int row, int cols, int rows, double x0, double x1,
                    double y0, double y1, tui_canvas_frame *f)
{
    double yt[16], xt[16], ystep, xstep;
    char buf[32];
    int ny, nx, i, lw = 1, ax, ay, last = -1;

    if (cols < 12 || rows < 5 || !(x1 > x0) || !(y1 > y0))
        return 0;
    ny = tui_canvas_ticks(y0, y1, rows / 2 < 16 ? (rows / 2 > 2 ? rows / 2 : 2) : 16, yt, &ystep);
    for (i = 0; i < ny; i++) {
        int n = tick_label(buf, sizeof buf, yt[i], ystep);

        lw = n > lw ? n : lw;
    }
    ax = col + lw;            /* the y axis column */
    ay = row + rows - 2;      /* the x axis row */
    f->x = 2 * (ax + 1);
    f->w = 2 * (col + cols - ax - 1);
    f->y = 4 * row;
    f->h = 4 * (ay - row);
    f->x0 = x0;
    f->x1 = x1;
    f->y0 = y0;
    f->y1 = y1;
    for (i = row; i < ay; i++)
        tui_canvas_glyph(c, ax, i, 0x2502);
    for (i = ax + 1; i < col + cols; i++)
        tui_canvas_glyph(c, i, ay, 0x2500);
    tui_canvas_glyph(c, ax, ay, 0x2514);
    for (i = 0; i < ny; i++) {
        int y = tui_canvas_frame_y(f, yt[i]) / 4, n = tick_label(buf, sizeof buf, yt[i], ystep);

        tui_canvas_glyph(c, ax, y, 0x2524);
        tui_canvas_text(c, ax - n, y, buf);
    }
    nx = tui_canvas_ticks(x0, x1, cols / 8 < 16 ? (cols / 8 > 2 ? cols / 8 : 2) : 16, xt, &xstep);
    for (i = 0; i < nx; i++) {
        int x = tui_canvas_frame_x(f, xt[i]) / 2, n = tick_label(buf, sizeof buf, xt[i], xstep), lx;

        if (x > col + cols - 1)
            x = col + cols - 1;
        tui_canvas_glyph(c, x, ay, x == ax ? 0x253c : 0x252c);
        lx = x - n / 2;
        if (lx + n > col + cols)
            lx = col + cols - n;
        if (lx <= last)
            continue;   /* would run into the label before */
        tui_canvas_text(c, lx, ay + 1, buf);
        last = lx + n;
    }
    return 1;
}
