/* ef_cmd_table.c — the one table of commands (see ef_cmd.h). */
#include "config.h"
#include "cmd/ef_cmd.h"
#include "cmd/ef_cmds.h"
#include "core/ef_alloc.h"
#include "core/ef_str.h"

#include <stdio.h>
#include <string.h>

/* In the order `ecgfit --help` lists them. */
static const ef_cmd *const table[] = {
    EF_CMD_LIST
};

size_t ef_cmd_count(void)
{
    return sizeof table / sizeof table[0];
}

const ef_cmd *ef_cmd_at(size_t i)
{
    return i < ef_cmd_count() ? table[i] : NULL;
}

const ef_cmd *ef_cmd_find(const char *name)
{
    for (size_t i = 0; i < ef_cmd_count(); i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

/* Does some sub-command of group take a value after option word w? */
static int takes_value(const char *group, const char *w)
{
    size_t glen = strlen(group);

    if (w[0] != '-' || strchr(w, '='))
        return 0;
    for (size_t i = 0; i < ef_cmd_count(); i++) {
        const ef_cmd *c = table[i];

        if (strncmp(c->name, group, glen) != 0 || c->name[glen] != ' ')
            continue;
        for (size_t k = 0; k < c->nopts; k++) {
            const ef_opt_spec *o = &c->opts[k];

            if (o->type == EF_OPT_FLAG || (o->flags & EF_OPT_OPTIONAL_VALUE))
                continue;
            if ((w[1] == '-' && strcmp(w + 2, o->name) == 0) || (w[1] == o->short_name && !w[2]))
                return 1;
        }
    }
    return !strcmp(w, "-C");
}

int ef_cmd_lookup(int argc, char **argv, const ef_cmd **cmd, int *subject_at, ef_error *err)
{
    const char *names[64];
    size_t n = 0, i;
    const char *hint;
    char full[128];

    *cmd = NULL;
    *subject_at = 0;
    if (argc < 1)
        return ef_cmd_usage(err, "no command given");
    *cmd = ef_cmd_find(argv[0]);
    if (*cmd && ((*cmd)->flags & EF_CMD_GROUP)) {
        /* the subject is the first word that is neither an option nor its value */
        for (int k = 1; k < argc; k++) {
            if (argv[k][0] == '-') {
                k += takes_value(argv[0], argv[k]);
                continue;
            }
            snprintf(full, sizeof full, "%s %s", argv[0], argv[k]);
            if (ef_cmd_find(full)) {
                *cmd = ef_cmd_find(full);
                *subject_at = k;
                return EF_OK;
            }
            for (i = 0; i < ef_cmd_count() && n < 64; i++)
                if (!strncmp(table[i]->name, argv[0], strlen(argv[0])) && table[i]->name[strlen(argv[0])] == ' ')
                    names[n++] = table[i]->name + strlen(argv[0]) + 1;
            hint = ef_suggest(argv[k], names, n);
            if (hint)
                return ef_cmd_usage(err, "%s: unknown subcommand '%s'; did you mean %s?", argv[0], argv[k], hint);
            {
                char list[256] = "";
                size_t len = 0;

                for (i = 0; i < n && len < sizeof list; i++)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
                return ef_cmd_usage(err, "%s: unknown subcommand '%s' (%s)", argv[0], argv[k], list);
            }
        }
        return EF_OK;   /* the group itself: its help, or a usage error */
    }
    if (*cmd)
        return EF_OK;
    for (i = 0; i < ef_cmd_count() && n < 64; i++)
        if (!strchr(table[i]->name, ' '))
            names[n++] = table[i]->name;
    hint = ef_suggest(argv[0], names, n);
    return ef_cmd_usage(err, "unknown command '%s'%s%s%s", argv[0], hint ? "; did you mean " : "",
                        hint ? hint : "", hint ? "?" : "");
}
