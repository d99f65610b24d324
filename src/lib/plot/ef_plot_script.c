/* ef_plot_script.c — the script text every kind builds on: buffer, quoting,
 * terminals and the one style (see ef_plot.h). */
#include "config.h"
#include "plot/ef_plot_int.h"
#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ef_gp_init(ef_gp *g)
{
    g->cap = 4096;
    g->s = ef_xmalloc(g->cap);
    g->s[0] = '\0';
    g->len = 0;
}

static void reserve(ef_gp *g, size_t more)
{
    if (g->len + more + 1 <= g->cap)
        return;
    while (g->len + more + 1 > g->cap)
        g->cap *= 2;
    g->s = ef_xrealloc(g->s, g->cap);
}

void ef_gp_printf(ef_gp *g, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ef_vsnprintf(g->s + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= g->cap - g->len) {
        reserve(g, (size_t)n);
        va_start(ap, fmt);
        ef_vsnprintf(g->s + g->len, g->cap - g->len, fmt, ap);
        va_end(ap);
    }
    g->len += (size_t)n;
}

/* Single quotes: gnuplot expands neither backslashes, `backquotes` nor
 * @macros inside them; the quote itself is doubled.  Control characters
 * (a newline would end the command) become spaces. */
char *ef_plot_quote(const char *text, char *buf, size_t size)
{
    size_t k = 0;

    if (size < 3)
        return size ? (buf[0] = '\0', buf) : buf;
    buf[k++] = '\'';
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && k + 3 < size; p++) {
        if (*p == '\'') {
            buf[k++] = '\'';
            buf[k++] = '\'';
        } else {
            buf[k++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
        }
    }
    buf[k++] = '\'';
    buf[k] = '\0';
    return buf;
}

void ef_gp_quote(ef_gp *g, const char *text)
{
    size_t need = 2 * strlen(text ? text : "") + 3;

    reserve(g, need);
    ef_plot_quote(text, g->s + g->len, need);
    g->len += strlen(g->s + g->len);
}

void ef_gp_num(ef_gp *g, double v)
{
    if (isfinite(v))
        ef_gp_printf(g, "%.6g", v);
    else
        ef_gp_printf(g, "NaN");
}

char *ef_gp_take(ef_gp *g)
{
    char *s = g->s;

    g->s = NULL;
    g->len = g->cap = 0;
    return s;
}

void ef_gp_fini(ef_gp *g)
{
    free(g->s);
    g->s = NULL;
}

int ef_plot_term_of_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;

    if (!dot || strchr(dot, '/'))
        return -1;
    if (!strcasecmp(dot, ".png"))
        return EF_PLOT_PNG;
    if (!strcasecmp(dot, ".svg"))
        return EF_PLOT_SVG;
    if (!strcasecmp(dot, ".pdf"))
        return EF_PLOT_PDF;
    if (!strcasecmp(dot, ".six") || !strcasecmp(dot, ".sixel"))   /* the TUI's figures; `cat` shows them */
        return EF_PLOT_SIXEL;
    return -1;
}

const char *ef_plot_term_name(int term)
{
    static const char *const names[] = { "pngcairo", "svg", "pdfcairo", "sixelgd" };

    return term >= 0 && term <= EF_PLOT_SIXEL ? names[term] : "?";
}

#define FONT "Sans,8"

/* The terminal line.  Cairo's PNG and SVG count a point as a pixel at 72
 * dpi, so a raster at dpi scales fonts and lines by dpi / 72 to keep the
 * printed proportions of the PDF. */
static void terminal(ef_gp *g, const ef_plot_opts *o, double w, double h)
{
    int dpi = o->dpi > 0 ? o->dpi : o->term == EF_PLOT_SIXEL ? 96 : EF_PLOT_DPI;
    double s = dpi / 72.0;

    switch (o->term) {
    case EF_PLOT_SVG:
        ef_gp_printf(g, "set terminal svg size %.0f,%.0f noenhanced font '" FONT "' linewidth 1 rounded "
                        "background '#ffffff'\n", w * 72, h * 72);
        break;
    case EF_PLOT_PDF:
        /* pdfcairo's defaults halve fonts (fontscale 0.5) and lines (0.5 pt) */
        ef_gp_printf(g, "set terminal pdfcairo size %gin,%gin noenhanced font '" FONT "' fontscale 1 linewidth 2 "
                        "rounded\n", w, h);
        break;
    case EF_PLOT_SIXEL:
        ef_gp_printf(g, "set terminal sixelgd size %.0f,%.0f truecolor noenhanced font '" FONT "' fontscale %.4g "
                        "linewidth %.4g\n", w * dpi, h * dpi, s * 72.0 / 96.0, s);
        break;
    default:
        ef_gp_printf(g, "set terminal pngcairo size %.0f,%.0f noenhanced font '" FONT "' fontscale %.4g "
                        "linewidth %.4g pointscale %.4g rounded\n", w * dpi, h * dpi, s, s, s);
        break;
    }
}

void ef_gp_preamble(ef_gp *g, const ef_plot_opts *o, const char *kind, double w, double h)
{
    static const char *const colours[] = { EF_OI_BLUE, EF_OI_VERMILLION, EF_OI_GREEN, EF_OI_ORANGE,
                                           EF_OI_SKY, EF_OI_PURPLE, EF_OI_YELLOW, "#000000" };

    if (o->width > 0)
        w = o->width;
    if (o->height > 0)
        h = o->height;
    ef_gp_printf(g, "# ecgfit plot %s (%s, %g x %g in)\n", kind, ef_plot_term_name(o->term), w, h);
    ef_gp_printf(g, "# Render again with `gnuplot FILE.gp` from the folder ecgfit ran in; the data are inline.\n");
    ef_gp_printf(g, "reset\nset encoding utf8\n");
    terminal(g, o, w, h);
    if (o->output) {
        ef_gp_printf(g, "set output ");
        ef_gp_quote(g, o->output);
        ef_gp_printf(g, "\n");
    }
    ef_gp_printf(g, "# Okabe-Ito palette (colour-blind safe)\n");
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
        ef_gp_printf(g, "set linetype %zu lc rgb '%s' lw 1 pt 7 ps 0.5 dt solid\n", i + 1, colours[i]);
    ef_gp_printf(g, "set border 3 lw 0.8\n"
                    "set tics nomirror out scale 0.5\n"
                    "set grid lw 0.5 lc rgb '#E6E6E6'\n"
                    "set key noautotitle nobox\n");
}

void ef_gp_data_begin(ef_gp *g, const char *name)
{
    ef_gp_printf(g, "$%s << EOD\n", name);
}

void ef_gp_data_end(ef_gp *g)
{
    ef_gp_printf(g, "EOD\n");
}

const char *ef_plot_axis_name(const char *label, const char *key, const char *unit, char *buf, size_t size)
{
    const char *name = label && *label ? label : key ? key : "";

    if (unit && *unit)
        snprintf(buf, size, "%s (%s)", name, unit);
    else
        snprintf(buf, size, "%s", name);
    return buf;
}
