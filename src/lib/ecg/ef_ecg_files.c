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

typedef struct scan {
    int instance;
    int64_t *eids;
    size_t n, cap;
} scan;

static void scan_dir(scan *s, const char *dir, int depth)
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
            if (inst == s->instance && arr == 0) {
                if (s->n == s->cap) {
                    s->cap = s->cap ? 2 * s->cap : 1024;
                    s->eids = ef_xreallocarray(s->eids, s->cap, sizeof *s->eids);
                }
                s->eids[s->n++] = eid;
            }
        } else if (depth < 2) {
            char *sub = ef_xasprintf("%s/%s", dir, de->d_name);
            struct stat st;

            if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                scan_dir(s, sub, depth + 1);
            free(sub);
        }
    }
    closedir(d);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

int ef_ecg_scan_dir(const char *dir, int instance, int64_t **eids, size_t *n, ef_error *err)
{
    struct stat st;
    scan s = { instance, NULL, 0, 0 };
    size_t i, m = 0;

    *eids = NULL;
    *n = 0;
    if (stat(dir, &st) != 0)
        return ef_error_set_at(err, EF_ENOTFOUND, dir, 0, 0, "ECG folder does not exist (%s)",
                               strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return ef_error_set_at(err, EF_EINVAL, dir, 0, 0, "ECG folder is not a directory");
    scan_dir(&s, dir, 0);
    if (s.n)
        qsort(s.eids, s.n, sizeof *s.eids, cmp_i64);
    for (i = 0; i < s.n; i++)
        if (m == 0 || s.eids[i] != s.eids[m - 1])
            s.eids[m++] = s.eids[i];
    *eids = s.eids;
    *n = m;
    return EF_OK;
}
