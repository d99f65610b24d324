/* cli_table.c — tables on the terminal: how wide the text may be, and one
 * place that renders an ef_table for every command. */
#include "config.h"
#include "cli.h"

#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

size_t cli_table_width(FILE *fp)
{
    const char *cols = getenv("COLUMNS");
    struct winsize ws;
    char *end;
    long n;

    if (fp != stdout)
        return 0;   /* a file is not a terminal: every column */
    if (cols && *cols) {
        n = strtol(cols, &end, 10);
        if (*end == '\0' && n > 0 && n < 100000)
            return (size_t)n;
    }
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

int cli_print_table(FILE *fp, const ef_table *t, int format, int wide, const char *hint, ef_error *err)
{
    ef_table_render_opts o = { format, format == EF_TABLE_TEXT ? cli_table_width(fp) : 0, wide, hint };

    return ef_table_render(t, &o, fp, err);
}
