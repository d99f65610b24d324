/* main.c — pick the front end: the TUI for `ecgfit` / `ecgfit tui` on a
 * terminal, the batch CLI for everything else. */
#include "config.h"
#include "cli/cli.h"
#include "tui/tui.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (cli_wants_tui(argc, argv))
        return tui_main(argc, argv);
    return cli_main(argc, argv);
}
