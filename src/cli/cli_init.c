/* cli_init.c — `ecgfit init`. */
#include "config.h"
#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx; (void)argc; (void)argv;
    cli_errorf("init: not written yet");
    return CLI_EXIT_DATA;
}

const cli_command cli_cmd_init = {
    .name = "init", .usage = "init", .summary = "init", .help = "", .run = run,
};
