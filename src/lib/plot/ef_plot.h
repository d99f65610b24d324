/* ef_plot.h — publication figures as gnuplot scripts.
 *
 * A builder per kind turns numbers (no store, no I/O) into one gnuplot
 * script with its data inline (`$data << EOD` blocks), as a new string: the
 * CLI writes or pipes it, the TUI renders it to sixel, tests compare it with
 * golden files.  ef_plot_run is the one place that starts gnuplot.
 *
 * One style for every kind: the Okabe-Ito colour-blind-safe palette, a sans
 * font sized for a printed figure (9 pt at the default sizes, which are a
 * paper's column or page width), no enhanced-text markup (labels are taken
 * literally), axes on the left and bottom only.  Sizes are printed inches;
 * PNG and sixel are rendered at o->dpi.
 *
 * Every text that comes from data (labels, feature names, file names) goes
 * into the script as a single-quoted gnuplot string (ef_plot_quote): no
 * backslash escapes, backquote or macro expansion happen inside those, and
 * the inline data hold numbers only. */
#ifndef EF_PLOT_H
#define EF_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "stats/ef_metrics.h"

enum ef_plot_term { EF_PLOT_PNG = 0, EF_PLOT_SVG, EF_PLOT_PDF, EF_PLOT_SIXEL };

#define EF_PLOT_DPI 300

/* The terminal an output file asks for by its extension (.png, .svg, .pdf,
 * .six or .sixel for sixel, any case); -1 for anything else. */
int ef_plot_term_of_path(const char *path);
/* gnuplot's name of the terminal: "pngcairo", "svg", "pdfcairo", "sixelgd". */
const char *ef_plot_term_name(int term);

typedef struct ef_plot_opts {
    int term;              /* enum ef_plot_term */
    const char *output;    /* the file gnuplot writes; NULL: its standard output */
    double width, height;  /* inches; 0: the kind's default */
    int dpi;               /* PNG and sixel; 0: EF_PLOT_DPI (sixel: 96) */
} ef_plot_opts;

/* text as a single-quoted gnuplot string appended to buf ('' for ', control
 * characters as spaces); returns buf.  size must hold 2 * len + 3. */
char *ef_plot_quote(const char *text, char *buf, size_t size);

/* ---- scatter and Bland-Altman: predicted vs measured --------------------- */

typedef struct ef_plot_xy {
    const double *y, *yhat;    /* measured and predicted, n pairs (a NaN drops the pair) */
    size_t n;
    const char *target;        /* column key: "vo2max" */
    const char *label, *unit;  /* the registry's label and unit ("" or NULL: none) */
    const char *features, *model, *split;
    const ef_metrics *m;       /* the stored metrics of the split (r with its CI, MAE) */
} ef_plot_xy;

int ef_plot_scatter(const ef_plot_xy *d, const ef_plot_opts *o, char **script, ef_error *err);
int ef_plot_bland_altman(const ef_plot_xy *d, const ef_plot_opts *o, char **script, ef_error *err);

/* ---- importance: the top features of one model --------------------------- */

typedef struct ef_plot_rank {
    char *const *names;        /* largest first */
    const double *value;
    const unsigned char *ecg;  /* 1: an ECG feature (embedding, device measurement) */
    size_t n;                  /* the first min(n, 25) are drawn */
    const char *measure;       /* the value's name: "|coefficient| per SD", "gain" */
    const char *title;         /* "vo2max / full / xgboost" */
} ef_plot_rank;

#define EF_PLOT_TOP 25
int ef_plot_importance(const ef_plot_rank *d, const ef_plot_opts *o, char **script, ef_error *err);

/* ---- contribution: shares of importance, basic vs full ------------------- */

enum { EF_PLOT_SHARE_AGE, EF_PLOT_SHARE_SEX, EF_PLOT_SHARE_BMI, EF_PLOT_SHARE_ECG, EF_PLOT_SHARE_OTHER,
       EF_PLOT_NSHARE };

typedef struct ef_plot_share {
    const char *name;                  /* "basic", "full" */
    double share[EF_PLOT_NSHARE];      /* fractions of the model's total importance */
    double r2;                         /* test R2, NaN if unknown */
} ef_plot_share;

int ef_plot_contribution(const ef_plot_share *bars, size_t nbars, const char *title, const char *measure,
                         const ef_plot_opts *o, char **script, ef_error *err);

/* ---- delta-r2: R2 basic -> full across targets ---------------------------- */

typedef struct ef_plot_delta {
    const char *target;        /* label shown on the axis */
    double r2_basic, r2_full;
    double d, d_lo, d_hi;      /* paired difference and its 95% CI (NaN: none) */
    size_t n;                  /* shared test rows */
} ef_plot_delta;

int ef_plot_delta_r2(const ef_plot_delta *rows, size_t n, const char *model, const ef_plot_opts *o,
                     char **script, ef_error *err);

/* ---- ecg: 12 leads on ECG paper -------------------------------------------- */

typedef struct ef_plot_ecg {
    const float *signal;       /* samples x 12, lead k of sample i at [i * 12 + k], PCLR lead order */
    size_t samples;
    double rate;               /* samples per second */
    double scale;              /* multiplies the values into millivolts */
    int64_t eid;
    const char *what;          /* "preprocessed, 4096 samples, mV" */
} ef_plot_ecg;

/* The 3 x 4 layout (I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6, 2.5 s each)
 * and a lead II rhythm strip, 25 mm/s and 10 mm/mV on a 1 mm / 5 mm grid
 * with a 1 mV calibration pulse; the axes are millimetres at one scale. */
int ef_plot_ecg_paper(const ef_plot_ecg *d, const ef_plot_opts *o, char **script, ef_error *err);

/* ---- embedding: 2-D PCA map ------------------------------------------------- */

typedef struct ef_plot_embedding {
    const float *values;       /* n x k */
    size_t n, k;
    const double *colour;      /* n values of the target (NaN: unknown, drawn grey) */
    const char *name;          /* the embeddings' name */
    const char *target, *label, *unit;
} ef_plot_embedding;

int ef_plot_embedding_map(const ef_plot_embedding *d, const ef_plot_opts *o, char **script, ef_error *err);

/* The first two principal components of the n x k rows (centred, no
 * scaling) into pc[n * 2], the share of the variance each explains into
 * frac[2].  Deterministic (power iteration; each axis's sign makes its
 * largest loading positive).  EF_EDATA for n < 3 or k < 2. */
int ef_pca2(const float *values, size_t n, size_t k, double *pc, double frac[2], ef_error *err);

/* ---- running gnuplot --------------------------------------------------------- */

/* Pipe script to `gnuplot` (found on PATH; gnuplot NULL) or to the program
 * gnuplot, with no shell and LC_ALL=C.UTF-8 (the scripts are UTF-8).  Its standard output goes to /dev/null, or to out
 * (a new string, *out_len bytes) when out is not NULL (sixel).  EF_ENOTFOUND
 * when gnuplot cannot be started; EF_EIO when it fails, with the start of
 * its standard error in the message.  Anything gnuplot says on success
 * (warnings) is returned in *warnings (a new string, NULL if none). */
int ef_plot_run(const char *script, const char *gnuplot, char **out, size_t *out_len, char **warnings,
                ef_error *err);

#endif
