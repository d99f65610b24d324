/* ef_participants.c — see ef_participants.h. */
#include "config.h"
#include "pipeline/ef_participants.h"
#include "core/ef_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *attr_or_empty(ef_store *s, const char *path, const char *name)
{
    char *v = NULL;

    if (ef_store_get_attr_str(s, path, name, &v, NULL) != EF_OK)
        v = ef_xstrdup("");
    return v;
}

int ef_participants_columns(ef_store *s, ef_pcol **out, size_t *n, ef_error *err)
{
    char **names = NULL, path[EF_ERROR_PATH_MAX];
    size_t nn = 0, k = 0;
    ef_pcol *c;
    int rc;

    *out = NULL;
    *n = 0;
    if (!ef_store_is_group(s, "/participants"))
        return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                               "no /participants in the store: run `ecgfit labels` first");
    rc = ef_store_list(s, "/participants", &names, &nn, err);
    if (rc != EF_OK)
        return rc;
    c = ef_xcalloc(nn ? nn : 1, sizeof *c);
    for (size_t i = 0; i < nn; i++) {
        snprintf(path, sizeof path, "/participants/%s", names[i]);
        if (strcmp(names[i], "eid") == 0 || ef_store_is_group(s, path))
            continue;
        c[k].name = ef_xstrdup(names[i]);
        c[k].field = attr_or_empty(s, path, "field");
        c[k].rule = attr_or_empty(s, path, "rule");
        c[k].dtype = attr_or_empty(s, path, "pandas_dtype");
        k++;
    }
    ef_store_free_list(names, nn);
    *out = c;
    *n = k;
    return EF_OK;
}

void ef_pcols_free(ef_pcol *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        free(c[i].name);
        free(c[i].field);
        free(c[i].rule);
        free(c[i].dtype);
    }
    free(c);
}
