/* ef_cmds.h — the entries of the command table, and what their files
 * share.  Each cmd_*.c defines one or more entries; ef_cmd_table.c lists
 * them (EF_CMD_LIST, in `ecgfit --help` order). */
#ifndef EF_CMDS_H
#define EF_CMDS_H

#include "cmd/ef_cmd.h"
#include "core/ef_alloc.h"

#include <stdio.h>

extern const ef_cmd ef_cmd_init;
extern const ef_cmd ef_cmd_export, ef_cmd_export_labels, ef_cmd_export_ecg, ef_cmd_export_embeddings,
    ef_cmd_export_predictions, ef_cmd_export_metrics;
extern const ef_cmd ef_cmd_import, ef_cmd_import_embeddings, ef_cmd_import_labels;
extern const ef_cmd ef_cmd_encoder, ef_cmd_encoder_info, ef_cmd_encoder_new;

#define EF_CMD_LIST &ef_cmd_init, \
    &ef_cmd_export, &ef_cmd_export_labels, &ef_cmd_export_ecg, &ef_cmd_export_embeddings, \
    &ef_cmd_export_predictions, &ef_cmd_export_metrics, \
    &ef_cmd_import, &ef_cmd_import_embeddings, &ef_cmd_import_labels, \
    &ef_cmd_encoder, &ef_cmd_encoder_info, &ef_cmd_encoder_new

/* The stream for the -o value out of an export: "-" is ctx->data_out
 * (marked used; a usage error where the front end has none), a file name
 * gives NULL (the writer creates the file). */
int ef_cmd_data_out(ef_cmd_ctx *ctx, const char *out, FILE **std, ef_error *err);

#endif
