/* tui_main.c — `ecgfit [-C DIR] [tui] [options]` on a terminal: options
 * through the command table's `tui` entry (the one spec for parsing,
 * --help and the man page), the checks that need no terminal, then the
 * frame (tui_app.c). */
#include "config.h"
#include "tui.h"
#include "tui_app.h"
#include "tui_crt.h"
#include "tui_gfx.h"
#include "tui_keymap.h"
#include "cmd/ef_cmd.h"
#include "cmd/ef_cmds.h"
#include "store/ef_project.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void list_map(const char *title, const tui_binding *map)
{
    int any = 0;

    for (; map && (map->key || map->help); map++) {
        if (!map->keyname || !map->help)
            continue;
        if (!any++)
            printf("%s:\n", title);
        printf("  %-12s %s%s%s%s\n", map->keyname, map->help, map->command ? "  (" : "",
               map->command ? map->command : "", map->command ? ")" : "");
    }
    if (any)
        printf("\n");
}

/* --list-keys: every key of every screen, from the keymaps. */
static void list_keys(void)
{
    list_map("Every screen", tui_frame_keymap);
    for (size_t i = 0; i < tui_nscreens; i++) {
        char title[64];

        snprintf(title, sizeof title, "%s screen", tui_screens[i]->title);
        list_map(title, tui_screens[i]->keymap);
    }
}

static int usage(const char *msg)
{
    fprintf(stderr, "ecgfit: tui: %s\nTry 'ecgfit tui --help' for more information.\n", msg);
    return 2;
}

int tui_main(int argc, char **argv)
{
    tui_opts o;
    ef_cmd_args a;
    ef_error err;
    char msg[256], *ini;
    struct stat st;
    int i = 1, rc;

    memset(&o, 0, sizeof o);
    o.project_dir = ".";
    /* global options before the command, as cli_main takes them */
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-C") == 0 && i + 1 < argc)
            o.project_dir = argv[++i];
        else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "--wait") == 0)
            continue;
        else
            break;
    }
    if (i < argc && strcmp(argv[i], "tui") == 0)
        i++;
    ef_error_clear(&err);
    if (ef_cmd_parse(&ef_cmd_tui, argc - i, argv + i, &a, &err) != EF_OK)
        return usage(err.msg);
    if (a.g_project)
        o.project_dir = a.g_project;
    o.screen = ef_args_str(&a, "screen", NULL);
    o.eid = ef_args_long(&a, "eid", 0);
    o.no_color = ef_args_given(&a, "no-color") > 0 || (getenv("NO_COLOR") && *getenv("NO_COLOR"));
    o.timing_path = getenv("ECGFIT_TUI_TIMING");
    if (ef_args_given(&a, "list-keys")) {
        list_keys();
        ef_cmd_args_fini(&a);
        return 0;
    }
    /* Only the character set (wide characters for curses): numbers and
     * messages keep the "C" conventions (see core/ef_numfmt.h). */
    setlocale(LC_CTYPE, "");
    ini = malloc(strlen(o.project_dir) + sizeof "/" EF_PROJECT_CONFIG);
    sprintf(ini, "%s/%s", o.project_dir, EF_PROJECT_CONFIG);
    rc = stat(ini, &st);
    free(ini);
    if (rc != 0) {
        fprintf(stderr,
                "ecgfit: %s is not an ecgfit project (no %s).\n"
                "Start one with `ecgfit init DIR --main-csv FILE --ecg-dir ECG_FOLDER`, or try a\n"
                "synthetic cohort: `ecgfit synth demo --n 500 && ecgfit -C demo`.\n"
                "`ecgfit --help` lists the commands.\n",
                strcmp(o.project_dir, ".") == 0 ? "this folder" : o.project_dir, EF_PROJECT_CONFIG);
        ef_cmd_args_fini(&a);
        return 2;
    }
    if (tui_crt_usable(msg, sizeof msg) != 0) {
        fprintf(stderr,
                "ecgfit: the interactive interface cannot run here: %s.\n"
                "Set TERM to your terminal's type (e.g. TERM=xterm-256color), or use the batch\n"
                "commands, which do the same work: ecgfit labels, preprocess, embed, train, report\n"
                "(`ecgfit --help` lists them all).\n",
                msg);
        ef_cmd_args_fini(&a);
        return 1;
    }
    {
        const char *g = ef_args_str(&a, "graphics", "auto");
        tui_gfx_info gi;

        tui_gfx_detect(!strcmp(g, "sixel") ? TUI_GFX_SIXEL : !strcmp(g, "braille") ? TUI_GFX_BRAILLE : TUI_GFX_AUTO,
                       STDIN_FILENO, STDOUT_FILENO, 250, &gi);
        o.sixel = gi.sixel;
        o.cell_w = gi.cell_w;
        o.cell_h = gi.cell_h;
    }
    rc = tui_app_run(&o);
    ef_cmd_args_fini(&a);
    return rc;
}
