/* ef_figures.h — the figures of `ecgfit plot`: their data read from the
 * project store with the readers report and export use (results, fitted
 * models, /ecg, embeddings), handed to the script builders of plot/ef_plot.
 * Each returns the gnuplot script as a new string; nothing is drawn here. */
#ifndef EF_FIGURES_H
#define EF_FIGURES_H

#include <stddef.h>
#include "core/ef_error.h"
#include "plot/ef_plot.h"

typedef struct ef_figure_req {
    const char *store_path, *project_dir;
    const char *ecg_dir;          /* the project's ECG folder (ecg --raw) */
    const char *target;           /* column key, as resolved (ef_resolve) */
    const char *features, *model;
    int split;                    /* EF_SPLIT_TRAIN, TEST or FULL */
    long long eid;
    int raw;                      /* ecg: the XML file instead of /ecg */
    const char *embeddings;       /* NULL: the store's only embeddings */
} ef_figure_req;

enum ef_figure_kind {
    EF_FIG_SCATTER, EF_FIG_BLAND_ALTMAN, EF_FIG_IMPORTANCE, EF_FIG_CONTRIBUTION, EF_FIG_DELTA_R2, EF_FIG_ECG,
    EF_FIG_EMBEDDING
};

int ef_figure_script(int kind, const ef_figure_req *q, const ef_plot_opts *o, char **script, ef_error *err);

#endif
