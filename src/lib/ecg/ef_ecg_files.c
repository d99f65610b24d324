/* ef_ecg_files.c — see ef_ecg_files.h. */
#include "config.h"
#include "ef_ecg_files.h"
#include "core/ef_alloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ef_ecg_parse_name(const char *name, int64_t *eid, int *instance, int *array)
{
    long long e;
    int i, a, used = 0;

    if (sscanf(name, "%lld_20205_%d_%d.xml%n", &e, &i, &a, &used) != 3 || used == 0 ||
        name[used] != '\0' || e <= 0 || i < 0 || a < 0)
        return 0;
    if (name[0] < '0' || name[0] > '9')
        return 0;
    *eid = e;
    *instance = i;
    *array = a;
    return 1;
}


typedef struct found {
    int64_t eid;
    char *path;
} found;

typedef struct finder {
    int instance;
    found *f;
    size_t n, cap;
} finder;

static void find_in(finder *F, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    if (!d)
        return;
    while ((de = readdir(d))) {
        int64_t eid;
        int inst, arr;

        if (de->d_name[0] == '.')
            continue;
        if (ef_ecg_parse_name(de->d_name, &eid, &inst, &arr)) {
            if (inst == F->instance && arr == 0) {
                if (F->n == F->cap) {
                    F->cap = F->cap ? 2 * F->cap : 1024;
                    F->f = ef_xreallocarray(F->f, F->cap, sizeof *F->f);
                }
                F->f[F->n].eid = eid;
                F->f[F->n++].path = ef_xasprintf("%s/%s", dir, de->d_name);
            }
        } else if (depth < 2) {
            char *sub = ef_xasprintf("%s/%s", dir, de->d_name);
            struct stat st;

            if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                find_in(F, sub, depth + 1);
            free(sub);
        }
    }
    closedir(d);
}

static int cmp_found(const void *a, const void *b)
{
    const found *x = a, *y = b;

    if (x->eid != y->eid)
        return (x->eid > y->eid) - (x->eid < y->eid);
    return strcmp(x->path, y->path);
}

int ef_ecg_find_files(const char *dir, int instance, int64_t **eids, char ***paths, size_t *n,
                             ef_error *err)
{
    finder F = { instance, NULL, 0, 0 };
    struct stat st;
    size_t i, m = 0;

    *eids = NULL;
    *paths = NULL;
    *n = 0;
    if (stat(dir, &st) != 0)
        return ef_error_set_at(err, EF_ENOTFOUND, dir, 0, 0, "ECG folder does not exist (%s)",
                               strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return ef_error_set_at(err, EF_EINVAL, dir, 0, 0, "ECG folder is not a directory");
    find_in(&F, dir, 0);
    if (F.n)
        qsort(F.f, F.n, sizeof *F.f, cmp_found);
    *eids = ef_xcalloc(F.n ? F.n : 1, sizeof **eids);
    *paths = ef_xcalloc(F.n ? F.n : 1, sizeof **paths);
    for (i = 0; i < F.n; i++) {
        if (m && F.f[i].eid == (*eids)[m - 1]) {   /* same eid in two sub-folders: first path wins */
            free(F.f[i].path);
            continue;
        }
        (*eids)[m] = F.f[i].eid;
        (*paths)[m++] = F.f[i].path;
    }
    free(F.f);
    *n = m;
    return EF_OK;
}

int ef_ecg_scan_dir(const char *dir, int instance, int64_t **eids, size_t *n, ef_error *err)
{
    char **paths = NULL;
    size_t i;
    int rc = ef_ecg_find_files(dir, instance, eids, &paths, n, err);

    for (i = 0; rc == EF_OK && i < *n; i++)
        free(paths[i]);
    free(paths);
    return rc;
}
