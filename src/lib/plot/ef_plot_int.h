/* ef_plot_int.h — what the plot builders share: a growing script text, the
 * one style preamble, quoting and number formatting (locale-proof). */
#ifndef EF_PLOT_INT_H
#define EF_PLOT_INT_H

#include <stddef.h>
#include "core/ef_error.h"
#include "plot/ef_plot.h"

typedef struct ef_gp {
    char *s;
    size_t len, cap;
} ef_gp;

/* Okabe & Ito (2008), in the order the kinds use them. */
#define EF_OI_BLUE "#0072B2"
#define EF_OI_VERMILLION "#D55E00"
#define EF_OI_GREEN "#009E73"
#define EF_OI_ORANGE "#E69F00"
#define EF_OI_SKY "#56B4E9"
#define EF_OI_PURPLE "#CC79A7"
#define EF_OI_YELLOW "#F0E442"
#define EF_OI_GREY "#999999"

void ef_gp_init(ef_gp *g);
/* Append, formatted in the "C" locale. */
void ef_gp_printf(ef_gp *g, const char *fmt, ...) EF_PRINTF(2, 3);
/* Append text as a single-quoted gnuplot string. */
void ef_gp_quote(ef_gp *g, const char *text);
/* Append v with 6 significant digits, or NaN. */
void ef_gp_num(ef_gp *g, double v);
/* Hand over the text (g is empty afterwards). */
char *ef_gp_take(ef_gp *g);
void ef_gp_fini(ef_gp *g);

/* The header comment, terminal, output and the shared style.  w, h: the
 * kind's default size in inches (o->width/height win when set). */
void ef_gp_preamble(ef_gp *g, const ef_plot_opts *o, const char *kind, double w, double h);
/* Start and end an inline data block named $name. */
void ef_gp_data_begin(ef_gp *g, const char *name);
void ef_gp_data_end(ef_gp *g);

/* "label (unit)", "label", or the key when the label is empty, into buf. */
const char *ef_plot_axis_name(const char *label, const char *key, const char *unit, char *buf, size_t size);

#endif
