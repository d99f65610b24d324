/* cli_labels.c — `ecgfit labels`. */
#include "config.h"
#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx; (void)argc; (void)argv;
    cli_errorf("labels: not written yet");
    return CLI_EXIT_DATA;
}

const cli_command cli_cmd_labels = {
    .name = "labels", .usage = "labels", .summary = "labels", .help = "", .run = run,
};
