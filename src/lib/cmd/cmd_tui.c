/* cmd_tui.c — `ecgfit [-C DIR] tui`: the entry of the interactive
 * interface.  The curses front end (src/tui) parses its options with this
 * spec and draws; the entry itself only answers when there is no terminal
 * to draw on, so that `ecgfit tui --help` works anywhere. */
#include "config.h"
#include "cmd/ef_cmds.h"

static const char *const screens[] = { "project", "pipeline", "ecg", "models", "tables", "help", NULL };

static const char *const graphics[] = { "auto", "sixel", "braille", NULL };

static const ef_opt_spec opts[] = {
    { "screen", 0, EF_OPT_CHOICE, "NAME", "open on this screen: project (default), pipeline, ecg,\nmodels, tables or help",
      0, 0, screens, 0 },
    { "eid", 0, EF_OPT_INT, "EID", "the participant the ECG screen shows first", 1, 1e15, NULL, 0 },
    { "no-color", 0, EF_OPT_FLAG, NULL, "no colours (as when NO_COLOR is set): bold and reverse only", 0, 0, NULL, 0 },
    { "graphics", 0, EF_OPT_CHOICE, "KIND", "figures (v): sixel images, braille drawings only, or\nauto (default: "
      "sixel when the terminal's DA1 answer has it)", 0, 0, graphics, 0 },
    { "list-keys", 0, EF_OPT_FLAG, NULL, "print every key of every screen and exit (no terminal needed)", 0, 0, NULL,
      0 },
};

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    (void)ctx;
    (void)a;
    *job = NULL;
    return ef_cmd_usage(err, "the interactive interface needs a terminal: run it with standard input and output on "
                             "one, or use the batch commands (ecgfit --help)");
}

const ef_cmd ef_cmd_tui = {
    .name = "tui",
    .summary = "the interactive interface",
    .synopsis = "[-C DIR] tui [--screen project|pipeline|ecg|models|tables|help] [--eid EID]\n"
                "              [--graphics auto|sixel|braille] [--no-color] [--list-keys]",
    .intro = "Opens the terminal application on the project: where the study stands\n"
             "(sources, cohort funnel, stages), the pipeline with its stages run, cancelled\n"
             "and resumed from the keyboard, and the participants' ECGs.  `ecgfit` with no\n"
             "command opens it too, in a project folder on a terminal.  ? shows the keys of\n"
             "each screen; : runs any command; q goes back and quits.\n",
    .outro = "It needs a terminal curses can drive (TERM set to a known type, not 'dumb');\n"
             "otherwise it says so and the batch commands do the same work.  NO_COLOR (any\n"
             "value) turns colours off.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT,
    .make = make,
};
