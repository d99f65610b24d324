/* cmd_stage.c — what the part-writing stages' entries share (ef_cmds.h). */
#include "config.h"
#include "cmd/ef_cmds.h"

#include <stdlib.h>

/* "K/N" with 1 <= K <= N <= 100000. */
static int parse_shard(const char *s, int *k, int *n)
{
    char *end;
    long a, b;

    a = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return 0;
    s = end + 1;
    b = strtol(s, &end, 10);
    if (end == s || *end || b < 1 || b > 100000 || a < 1 || a > b)
        return 0;
    *k = (int)a;
    *n = (int)b;
    return 1;
}

int ef_stage_args(const ef_cmd_ctx *ctx, const ef_cmd_args *a, int *threads, int *shard_k, int *shard_n,
                  int *restart, size_t *limit, ef_error *err)
{
    const char *shard = ef_args_str(a, "shard", NULL);

    *threads = (int)ef_args_long(a, "jobs", ctx->jobs);
    if (shard && !parse_shard(shard, shard_k, shard_n))
        return ef_cmd_usage(err, "--shard must be K/N with 1 <= K <= N, not '%s'", shard);
    if (ef_args_given(a, "restart"))
        *restart = 1;
    if (ef_args_given(a, "limit"))
        *limit = (size_t)ef_args_long(a, "limit", 0);
    return EF_OK;
}

void ef_stage_warnings(const ef_cmd_ctx *ctx, char *const *warnings, size_t n, size_t tmp_removed)
{
    for (size_t i = 0; i < n; i++)
        ef_warn(ctx, "%s", warnings[i]);
    if (tmp_removed)
        ef_warn(ctx, "removed %zu unfinished part file%s of an interrupted run", tmp_removed,
                tmp_removed == 1 ? "" : "s");
}
