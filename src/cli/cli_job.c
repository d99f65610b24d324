/* cli_job.c — see cli_job.h. */
#include "config.h"
#include "cli_job.h"
#include "cli.h"


int cli_stage_option(const char *cmd, int c, const char *arg, const cli_stage_args *a)
{
    long v;

    switch (c) {
    case 'j':
        if (cli_parse_long(cmd, "--jobs", arg, 1, 64, &v))
            return CLI_EXIT_USAGE;
        *a->threads = (int)v;
        return 0;
    case 'S':
        if (!cli_parse_shard(arg, a->shard_k, a->shard_n))
            return cli_usage_error(cmd, "--shard must be K/N with 1 <= K <= N, not '%s'", arg);
        return 0;
    case 'r':
        *a->restart = 1;
        return 0;
    case 'l':
        if (cli_parse_long(cmd, "--limit", arg, 1, 2147483647L, &v))
            return CLI_EXIT_USAGE;
        *a->limit = (size_t)v;
        return 0;
    default:
        return -1;
    }
}

void cli_stage_warnings(char *const *warnings, size_t n, size_t tmp_removed)
{
    size_t i;

    for (i = 0; i < n; i++)
        cli_warnf("%s", warnings[i]);
    if (tmp_removed)
        cli_warnf("removed %zu unfinished part file%s of an interrupted run", tmp_removed,
                  tmp_removed == 1 ? "" : "s");
}
