/* ef_cmds.h — the entries of the command table, and what their files
 * share.  Each cmd_*.c defines one or more entries; ef_cmd_table.c lists
 * them (EF_CMD_LIST, in `ecgfit --help` order). */
#ifndef EF_CMDS_H
#define EF_CMDS_H

#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"

#include <stdio.h>

extern const ef_cmd ef_cmd_init, ef_cmd_labels, ef_cmd_preprocess, ef_cmd_embed, ef_cmd_merge, ef_cmd_train, ef_cmd_predict,
    ef_cmd_replicate, ef_cmd_report, ef_cmd_table1, ef_cmd_summary, ef_cmd_synth, ef_cmd_tui;
extern const ef_cmd ef_cmd_export, ef_cmd_export_labels, ef_cmd_export_ecg, ef_cmd_export_embeddings,
    ef_cmd_export_predictions, ef_cmd_export_metrics;
extern const ef_cmd ef_cmd_import, ef_cmd_import_embeddings, ef_cmd_import_labels;
extern const ef_cmd ef_cmd_encoder, ef_cmd_encoder_info, ef_cmd_encoder_new;
extern const ef_cmd ef_cmd_plot, ef_cmd_plot_scatter, ef_cmd_plot_bland_altman, ef_cmd_plot_importance,
    ef_cmd_plot_contribution, ef_cmd_plot_delta_r2, ef_cmd_plot_ecg, ef_cmd_plot_embedding;
extern const ef_cmd ef_cmd_demo, ef_cmd_slurm;

/* Options of the stages that write part files (preprocess, embed). */
#define EF_OPT_STAGE_JOBS(what) { "jobs", 'j', EF_OPT_INT, "N", what " (default: all cores)", 1, 64, NULL, 0 }
#define EF_OPT_STAGE_SHARD(what) { "shard", 0, EF_OPT_STRING, "K/N", what, 0, 0, NULL, 0 }
#define EF_OPT_STAGE_RESTART(what) { "restart", 0, EF_OPT_FLAG, NULL, what, 0, 0, NULL, 0 }
#define EF_OPT_STAGE_LIMIT(what) { "limit", 0, EF_OPT_INT, "N", what, 1, 2147483647.0, NULL, 0 }
/* Read them into the stage's fields; EF_EUSAGE for a bad --shard. */
int ef_stage_args(const ef_cmd_ctx *ctx, const ef_cmd_args *a, int *threads, int *shard_k, int *shard_n,
                  int *restart, size_t *limit, ef_error *err);
/* After a stage: the fold's warnings, then the temporaries of an
 * interrupted run it removed. */
void ef_stage_warnings(const ef_cmd_ctx *ctx, char *const *warnings, size_t n, size_t tmp_removed);

/* The stream for the -o value out of an export: "-" is ctx->data_out
 * (marked used; a usage error where the front end has none), a file name
 * gives NULL (the writer creates the file). */
int ef_cmd_data_out(ef_cmd_ctx *ctx, const char *out, FILE **std, ef_error *err);

#define EF_CMD_LIST \
    &ef_cmd_init, &ef_cmd_labels, &ef_cmd_preprocess, &ef_cmd_embed, &ef_cmd_merge, &ef_cmd_slurm, &ef_cmd_train, \
    &ef_cmd_predict, \
    &ef_cmd_replicate, &ef_cmd_report, &ef_cmd_table1, &ef_cmd_summary, \
    &ef_cmd_plot, &ef_cmd_plot_scatter, &ef_cmd_plot_bland_altman, &ef_cmd_plot_importance, \
    &ef_cmd_plot_contribution, &ef_cmd_plot_delta_r2, &ef_cmd_plot_ecg, &ef_cmd_plot_embedding, \
    &ef_cmd_export, &ef_cmd_export_labels, &ef_cmd_export_ecg, &ef_cmd_export_embeddings, \
    &ef_cmd_export_predictions, &ef_cmd_export_metrics, \
    &ef_cmd_import, &ef_cmd_import_embeddings, &ef_cmd_import_labels, \
    &ef_cmd_encoder, &ef_cmd_encoder_info, &ef_cmd_encoder_new, &ef_cmd_synth, &ef_cmd_demo, &ef_cmd_tui

#endif
