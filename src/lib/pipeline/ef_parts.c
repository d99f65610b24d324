/* ef_parts.c — see ef_parts.h.  Uses only the store API. */
#include "config.h"
#include "ef_parts.h"
#include "core/ef_alloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ names and folders */

char *ef_part_tag(const char *name, unsigned *index)
{
    size_t len = strlen(name), i;
    const char *dash;

    if (strncmp(name, "part-", 5) != 0 || len < 5 + 1 + 6 + 3 || strcmp(name + len - 3, ".h5") != 0)
        return NULL;
    dash = name + len - 3 - 6;
    if (*dash != '-')
        return NULL;
    for (i = 1; i <= 5; i++)
        if (dash[i] < '0' || dash[i] > '9')
            return NULL;
    if (index)
        *index = (unsigned)strtoul(dash + 1, NULL, 10);
    return ef_xstrndup(name + 5, (size_t)(dash - (name + 5)));
}

int ef_part_has_tag(const char *name, const char *tag)
{
    char *t = ef_part_tag(name, NULL);
    int ok = t && (!tag || strcmp(t, tag) == 0);

    free(t);
    return ok;
}

unsigned ef_part_next_index(unsigned next, const char *name, const char *tag)
{
    unsigned idx;
    char *t = ef_part_tag(name, &idx);

    if (t && strcmp(t, tag) == 0 && idx + 1 > next)
        next = idx + 1;
    free(t);
    return next;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ef_part_list_names(const char *dir, int (*pred)(const char *name, const char *arg),
                          const char *arg, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;

    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        if (!pred(de->d_name, arg))
            continue;
        names = ef_xreallocarray(names, *n + 1, sizeof *names);
        names[(*n)++] = ef_xstrdup(de->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

/* "part-<tag>-NNNNN.h5.tmp-*" */
static int is_tmp(const char *name, const char *tag)
{
    const char *t = strstr(name, ".h5.tmp-");
    char *base;
    int ok;

    if (!t)
        return 0;
    base = ef_xstrndup(name, (size_t)(t - name) + 3);
    ok = ef_part_has_tag(base, tag);
    free(base);
    return ok;
}

char **ef_part_list(const char *dir, const char *tag, int temporaries, size_t *n)
{
    return ef_part_list_names(dir, temporaries ? is_tmp : ef_part_has_tag, tag, n);
}

size_t ef_part_clean_tmp(const char *dir, const char *tag)
{
    char **names;
    size_t i, n, removed = 0;

    names = ef_part_list(dir, tag, 1, &n);
    for (i = 0; i < n; i++) {
        char *path = ef_xasprintf("%s/%s", dir, names[i]);
        char *part = ef_xstrndup(path, (size_t)(strstr(path, ".h5.tmp-") - path) + 3);

        /* A locked part is being written by another run: its temporary
         * file is live (the lock outlives the temporary file). */
        if (!ef_store_busy(part))
            removed += unlink(path) == 0;
        free(part);
        free(path);
    }
    ef_store_free_list(names, n);
    return removed;
}

int ef_part_mkdir(const char *dir, ef_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ef_error_set_at(err, EF_EIO, dir, 0, 0, "cannot create folder: %s", strerror(errno));
    return EF_OK;
}

int ef_part_begin(ef_store **s, const char *dir, const char *tag, unsigned index, ef_error *err)
{
    char *path;
    int rc = ef_part_mkdir(dir, err);

    *s = NULL;
    if (rc != EF_OK)
        return rc;
    path = ef_xasprintf("%s/part-%s-%05u.h5", dir, tag, index);
    rc = ef_store_begin(s, path, err);
    free(path);
    return rc;
}

/* ------------------------------------------------------------ scanning */

int ef_part_scan(const char *dir, size_t size, ef_part_read_fn read, ef_part_free_fn free_parts,
                 void **parts, size_t *n, ef_error *err)
{
    char **names;
    unsigned char *all = NULL;
    size_t i, nn;
    int rc = EF_OK;

    *parts = NULL;
    *n = 0;
    names = ef_part_list(dir, NULL, 0, &nn);
    if (nn)
        all = ef_xcalloc(nn, size);
    for (i = 0; i < nn && rc == EF_OK; i++) {
        char *path = ef_xasprintf("%s/%s", dir, names[i]);
        ef_store *s;

        rc = ef_store_open_read(&s, path, err);
        if (rc != EF_OK) {
            free(path);
            break;
        }
        *n = i + 1;
        rc = read(all + i * size, ef_xstrdup(names[i]), path, s, err);
        if (rc != EF_OK && err)   /* name the part, not the object in it */
            snprintf(err->file, sizeof err->file, "%s", path);
        ef_store_close(s);
    }
    ef_store_free_list(names, nn);
    if (rc != EF_OK) {
        if (all)
            free_parts(all, *n);
        *n = 0;
        return rc;
    }
    *parts = all;
    return EF_OK;
}

void ef_part_get_str(ef_store *s, const char *name, char *dst, size_t size, int *rc, ef_error *err)
{
    char *v = NULL;

    ef_part_get_strdup(s, name, &v, rc, err);
    if (*rc == EF_OK)
        snprintf(dst, size, "%s", v);
    free(v);
}

void ef_part_get_strdup(ef_store *s, const char *name, char **dst, int *rc, ef_error *err)
{
    if (*rc == EF_OK)
        *rc = ef_store_get_attr_str(s, "/", name, dst, err);
}

void ef_part_get_f64(ef_store *s, const char *name, double *dst, int *rc, ef_error *err)
{
    if (*rc == EF_OK)
        *rc = ef_store_get_attr_f64(s, "/", name, dst, err);
}

void ef_part_get_u64(ef_store *s, const char *name, uint64_t *dst, int *rc, ef_error *err)
{
    double v = 0;

    ef_part_get_f64(s, name, &v, rc, err);
    *dst = v > 0 ? (uint64_t)v : 0;
}

/* ------------------------------------------------------------ shards */

void ef_part_shard_names(int k, int n, char *tag, size_t tag_size, char *shard, size_t shard_size)
{
    if (n) {
        snprintf(tag, tag_size, "%d-of-%d", k, n);
        snprintf(shard, shard_size, "%d/%d", k, n);
    } else {
        snprintf(tag, tag_size, "all");
        snprintf(shard, shard_size, "all");
    }
}

void ef_part_slice(int k, int n, size_t count, size_t *lo, size_t *hi)
{
    *lo = n ? (size_t)((uint64_t)(k - 1) * count / (uint64_t)n) : 0;
    *hi = n ? (size_t)((uint64_t)k * count / (uint64_t)n) : count;
}

static void warn(char ***warnings, size_t *nwarnings, char *msg)
{
    *warnings = ef_xreallocarray(*warnings, *nwarnings + 1, sizeof **warnings);
    (*warnings)[(*nwarnings)++] = msg;
}

/* Warn about each K of N with no part at all; returns 1 if any. */
static size_t check_missing(const ef_part_shard *p, size_t n, unsigned long N, char ***warnings,
                            size_t *nwarnings)
{
    char missing[256] = "";
    size_t j, len = 0, nmiss = 0;
    unsigned long kk;

    for (kk = 1; kk <= N; kk++) {
        char tag[48];
        int found = 0;

        snprintf(tag, sizeof tag, "%lu/%lu", kk, N);
        for (j = 0; j < n && !found; j++)
            found = strcmp(p[j].shard, tag) == 0;
        if (!found && len < sizeof missing) {
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", nmiss ? ", " : "", tag);
            nmiss++;
        }
    }
    if (!nmiss)
        return 0;
    warn(warnings, nwarnings,
         ef_xasprintf("shard%s %s of %lu missing: no part files from %s", nmiss > 1 ? "s" : "", missing, N,
                      nmiss > 1 ? "those runs" : "that run"));
    return 1;
}

size_t ef_part_check_shards(const ef_part_shard *p, size_t n, const char *rerun, const char *unit,
                            char ***warnings, size_t *nwarnings)
{
    size_t i, j, problems = 0, nseen = 0;
    unsigned long k, N, *seen = ef_xcalloc(n ? n : 1, sizeof *seen);   /* the splits N checked */

    for (i = 0; i < n; i++) {
        size_t count = 0, slice = 0;
        int first = 1;

        for (j = 0; j < i; j++)
            if (strcmp(p[j].shard, p[i].shard) == 0)
                first = 0;
        if (!first)
            continue;
        for (j = i; j < n; j++) {
            if (strcmp(p[j].shard, p[i].shard) != 0)
                continue;
            count += p[j].count;
            if (p[j].slice > slice)
                slice = p[j].slice;
        }
        if (count < slice) {
            warn(warnings, nwarnings,
                 ef_xasprintf("shard %s is incomplete: %zu of its %zu %s done; rerun "
                              "`ecgfit %s%s%s` to finish it",
                              p[i].shard, count, slice, unit, rerun, strcmp(p[i].shard, "all") ? " --shard " : "",
                              strcmp(p[i].shard, "all") ? p[i].shard : ""));
            problems++;
        }
        if (sscanf(p[i].shard, "%lu/%lu", &k, &N) == 2) {
            for (j = 0; j < nseen && seen[j] != N; j++)
                ;
            if (j == nseen) {   /* each split once, however many shards it has */
                seen[nseen++] = N;
                problems += check_missing(p, n, N, warnings, nwarnings);
            }
        }
    }
    free(seen);
    return problems;
}

void ef_part_join(char *const *warnings, size_t n, char *buf, size_t size)
{
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "; " : "", warnings[i]);
}

/* ------------------------------------------------------------ resume */

size_t ef_part_todo(const int64_t *eid, size_t lo, size_t hi, const ef_eid_set *done, size_t limit,
                    size_t *todo, size_t *resumed)
{
    size_t i, n = 0;

    for (i = lo; i < hi; i++) {
        if (ef_eid_set_has(done, eid[i])) {
            (*resumed)++;
            continue;
        }
        if (limit && n >= limit)
            continue;
        todo[n++] = i;
    }
    return n;
}

/* ------------------------------------------------------------ the fold */

static int cmp_entry(const void *a, const void *b)
{
    const ef_part_entry *x = a, *y = b;

    if (x->eid != y->eid)
        return (x->eid > y->eid) - (x->eid < y->eid);
    return (x->part > y->part) - (x->part < y->part);
}

size_t ef_part_entries_sort(ef_part_entry *e, size_t n)
{
    size_t i;

    if (n)
        qsort(e, n, sizeof *e, cmp_entry);
    for (i = 1; i < n; i++)
        if (e[i].eid == e[i - 1].eid)
            return i;
    return 0;
}

void ef_part_map_row(ef_store_vds_src *map, size_t *nmap, const char *file, const char *dset,
                     uint64_t src_rows, uint64_t src_row, uint64_t dst_row)
{
    ef_store_vds_src *last = *nmap ? &map[*nmap - 1] : NULL;

    if (last && last->file == file && last->src_row + last->nrows == src_row &&
        last->dst_row + last->nrows == dst_row) {
        last->nrows++;
        return;
    }
    map[*nmap] = (ef_store_vds_src){ file, dset, src_rows, src_row, dst_row, 1 };
    (*nmap)++;
}
