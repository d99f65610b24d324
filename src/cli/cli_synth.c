/* cli_synth.c — `ecgfit synth`. */
#include "config.h"
#include "cli.h"

static int run(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx; (void)argc; (void)argv;
    cli_errorf("synth: not written yet");
    return CLI_EXIT_DATA;
}

const cli_command cli_cmd_synth = {
    .name = "synth", .usage = "synth", .summary = "synth", .help = "", .run = run,
};
