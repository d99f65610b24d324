/* cli_export.c — `ecgfit export`. */
#include "config.h"
#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx; (void)argc; (void)argv;
    cli_errorf("export: not written yet");
    return CLI_EXIT_DATA;
}

const cli_command cli_cmd_export = {
    .name = "export", .usage = "export", .summary = "export", .help = "", .run = run,
};
