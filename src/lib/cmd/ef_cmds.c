/* ef_cmds.c — what the entries' files share (see ef_cmds.h). */
#include "config.h"
#include "cmd/ef_cmds.h"

#include <string.h>

int ef_cmd_data_out(ef_cmd_ctx *ctx, const char *out, FILE **std, ef_error *err)
{
    *std = NULL;
    if (strcmp(out, "-") != 0)
        return EF_OK;
    if (!ctx->data_out)
        return ef_cmd_usage(err, "-o - (standard output) is not available here: give a file name");
    *std = ctx->data_out;
    ctx->data_out_used = 1;
    return EF_OK;
}
