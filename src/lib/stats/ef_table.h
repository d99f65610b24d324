/* ef_table.h — a table as a value: the report, the train and replicate
 * summaries and the cohort funnel are built as ef_table and drawn by one set
 * of renderers (aligned text fitted to a width, GitHub Markdown, LaTeX
 * booktabs, CSV, HTML), so the batch CLI and the TUI show the same thing.
 *
 * Cells are UTF-8 text; a numeric cell keeps its double as well, so CSV can
 * write it in full while the other formats show the rounded text.  The
 * renderers write only to the FILE* or string the caller gives. */
#ifndef EF_TABLE_H
#define EF_TABLE_H

#include <stddef.h>
#include <stdio.h>
#include "core/ef_error.h"

enum ef_table_align { EF_TABLE_LEFT = 0, EF_TABLE_RIGHT = 1 };
enum ef_table_format { EF_TABLE_TEXT, EF_TABLE_MD, EF_TABLE_LATEX, EF_TABLE_CSV, EF_TABLE_HTML };

typedef struct ef_table ef_table;

ef_table *ef_table_new(const char *title);   /* title NULL: none */
void ef_table_free(ef_table *t);
void ef_table_set_title(ef_table *t, const char *title);
/* LaTeX: \label{label} after the caption (NULL: none). */
void ef_table_set_label(ef_table *t, const char *label);

/* Columns, added left to right; each returns the new column's index.
 * priority: 0 = always shown; when the text is too wide, columns of
 * priority 1 go first, then 2, and so on (rightmost first among equals).
 * A group name ties columns together: they are dropped as one.  unit is
 * shown after the header, "MAE (ml/kg/min)", except in CSV. */
size_t ef_table_add_col(ef_table *t, const char *header, int align);
void ef_table_col_priority(ef_table *t, size_t col, int priority);
void ef_table_col_unit(ef_table *t, size_t col, const char *unit);
void ef_table_col_group(ef_table *t, size_t col, const char *group);
/* Aligned text only: at least min_width code points, at most max_width
 * (longer text is cut, ending in an ellipsis; 0 = no limit), and gap spaces before the column
 * (negative: the default 2). */
void ef_table_col_layout(ef_table *t, size_t col, size_t min_width, size_t max_width, int gap);
/* Aligned text only: a prefix for every line of the table (not the title). */
void ef_table_set_indent(ef_table *t, size_t indent);

size_t ef_table_ncols(const ef_table *t);
size_t ef_table_nrows(const ef_table *t);   /* every row, groups and rules too */

/* Rows.  add_row returns the new row's index; its cells start empty. */
size_t ef_table_add_row(ef_table *t);
/* A heading row spanning the table ("with each target:"), and a rule. */
void ef_table_add_group(ef_table *t, const char *label);
void ef_table_add_rule(ef_table *t);
void ef_table_set(ef_table *t, size_t row, size_t col, const char *text);
void ef_table_setf(ef_table *t, size_t row, size_t col, const char *fmt, ...) EF_PRINTF(4, 5);
/* A number shown with dec decimals ("-" for NaN; empty in CSV). */
void ef_table_set_num(ef_table *t, size_t row, size_t col, double v, int dec);
/* An estimate with its 95% CI, the one format every command prints:
 * "0.472 [0.366, 0.717]"; only "0.472" without bounds, "-" for NaN.
 * CSV writes the estimate in full. */
void ef_table_set_ci(ef_table *t, size_t row, size_t col, double v, double lo, double hi, int dec);
const char *ef_table_get(const ef_table *t, size_t row, size_t col);   /* "" for a group or rule row */
/* The number behind a numeric cell (the estimate of a CI cell); NaN for
 * text, empty cells, groups and rules. */
double ef_table_get_num(const ef_table *t, size_t row, size_t col);
/* A column's header ("" past the last column); a row's kind: 1 for a row
 * of cells, 0 for a group heading or a rule. */
const char *ef_table_col_header(const ef_table *t, size_t col);
int ef_table_row_is_cells(const ef_table *t, size_t row);

/* "0.472 [0.366, 0.717]" into buf (the format of ef_table_set_ci). */
const char *ef_table_fmt_ci(char *buf, size_t size, double v, double lo, double hi, int dec);

/* Footer lines, printed under the table (all formats but CSV). */
void ef_table_add_note(ef_table *t, const char *fmt, ...) EF_PRINTF(2, 3);

typedef struct ef_table_render_opts {
    int format;              /* enum ef_table_format */
    size_t width;            /* text: fit to this many columns (0: unlimited) */
    int wide;                /* text: keep every column whatever the width */
    const char *drop_hint;   /* text: ends the line naming dropped columns */
} ef_table_render_opts;

/* Render t (NULL opts: unlimited aligned text).  A new string the caller
 * frees; ef_table_render writes it to fp (EF_EIO on a write error). */
char *ef_table_render_str(const ef_table *t, const ef_table_render_opts *o);
int ef_table_render(const ef_table *t, const ef_table_render_opts *o, FILE *fp, ef_error *err);

/* Display width of UTF-8 text: code points (not bytes). */
size_t ef_table_text_width(const char *s);

#endif
