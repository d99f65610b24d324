/* ef_emb_parts.c — see ef_emb_parts.h.  Uses only the store API and the
 * generic part-folder helpers of ef_ecg_parts.c. */
#include "config.h"
#include "ef_emb_parts.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_ecg_parts.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ options, names */

int ef_emb_opts_diff(const ef_emb_opts *a, const ef_emb_opts *b, char *buf, size_t size)
{
    if (strcmp(a->sha256, b->sha256) != 0)
        snprintf(buf, size, "another encoder (sha256 %.12s...)", b->sha256);
    else if (strcmp(a->units, b->units) != 0)
        snprintf(buf, size, "ECGs in units %s", b->units);
    else if (a->input_length != b->input_length)
        snprintf(buf, size, "%llu samples per lead", (unsigned long long)b->input_length);
    else if (a->output_size != b->output_size)
        snprintf(buf, size, "output size %llu", (unsigned long long)b->output_size);
    else if (strcmp(a->ecg_options, b->ecg_options) != 0)
        snprintf(buf, size, "ECGs preprocessed with %s", b->ecg_options);
    else
        return 0;
    return 1;
}

static int name_char(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

void ef_emb_name_from_path(const char *path, char *name, size_t size)
{
    const char *base = strrchr(path, '/'), *dot;
    size_t len, i;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (size > EF_EMB_NAME_MAX)
        size = EF_EMB_NAME_MAX;
    if (len >= size)
        len = size - 1;
    for (i = 0; i < len; i++)
        name[i] = name_char((unsigned char)base[i]) ? base[i] : '_';
    name[len] = '\0';
    if (!ef_emb_name_ok(name))
        snprintf(name, size, "encoder");
}

int ef_emb_name_ok(const char *name)
{
    size_t i;

    if (!name[0] || strlen(name) >= EF_EMB_NAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
        return 0;
    for (i = 0; name[i]; i++)
        if (!name_char((unsigned char)name[i]))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ scanning */

char *ef_emb_parts_dir(const char *project_dir, const char *name)
{
    return ef_xasprintf("%s/%s/%s", project_dir, EF_EMB_PARTS_DIR, name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ef_emb_names(const char *project_dir, char ***names, size_t *n, ef_error *err)
{
    char *top = ef_xasprintf("%s/%s", project_dir, EF_EMB_PARTS_DIR);
    DIR *d = opendir(top);
    struct dirent *de;

    (void)err;
    *names = NULL;
    *n = 0;
    while (d && (de = readdir(d))) {
        char *dir, **parts;
        size_t np;

        if (!ef_emb_name_ok(de->d_name))
            continue;
        dir = ef_xasprintf("%s/%s", top, de->d_name);
        parts = ef_part_list(dir, NULL, 0, &np);
        ef_store_free_list(parts, np);
        free(dir);
        if (!np)
            continue;
        *names = ef_xreallocarray(*names, *n + 1, sizeof **names);
        (*names)[(*n)++] = ef_xstrdup(de->d_name);
    }
    if (d)
        closedir(d);
    free(top);
    if (*n)
        qsort(*names, *n, sizeof **names, cmp_str);
    return EF_OK;
}

static void copy_attr(ef_store *s, const char *name, char *dst, size_t size, int *rc, ef_error *err)
{
    char *v = NULL;

    if (*rc != EF_OK)
        return;
    *rc = ef_store_get_attr_str(s, "/", name, &v, err);
    if (*rc == EF_OK)
        snprintf(dst, size, "%s", v);
    free(v);
}

static void get_u64(ef_store *s, const char *name, uint64_t *dst, int *rc, ef_error *err)
{
    double v = 0;

    if (*rc != EF_OK)
        return;
    *rc = ef_store_get_attr_f64(s, "/", name, &v, err);
    *dst = v > 0 ? (uint64_t)v : 0;
}

static int read_part(ef_emb_part_info *p, ef_error *err)
{
    ef_store *s;
    uint64_t slice = 0, dims[2];
    int rank, rc = ef_store_open_read(&s, p->path, err);

    if (rc != EF_OK)
        return rc;
    copy_attr(s, "encoder_sha256", p->o.sha256, sizeof p->o.sha256, &rc, err);
    copy_attr(s, "units", p->o.units, sizeof p->o.units, &rc, err);
    copy_attr(s, "ecg_options", p->o.ecg_options, sizeof p->o.ecg_options, &rc, err);
    get_u64(s, "input_length", &p->o.input_length, &rc, err);
    get_u64(s, "output_size", &p->o.output_size, &rc, err);
    get_u64(s, "slice_ecgs", &slice, &rc, err);
    p->slice_ecgs = (size_t)slice;
    if (rc == EF_OK)
        rc = ef_store_get_attr_str(s, "/", "encoder_path", &p->encoder_path, err);
    if (rc == EF_OK)
        rc = ef_store_get_attr_str(s, "/", "shard", &p->shard, err);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, "/eid", &p->eid, &p->n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(s, "/values", &rank, dims, 2, err);
    if (rc == EF_OK && (rank != 2 || dims[0] != p->n || dims[1] != p->o.output_size))
        rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0, "/values does not match /eid and output_size");
    if (rc != EF_OK && err)
        snprintf(err->file, sizeof err->file, "%s", p->path);
    ef_store_close(s);
    return rc;
}

int ef_emb_parts_scan(const char *project_dir, const char *name, ef_emb_part_info **parts, size_t *n,
                      ef_error *err)
{
    char *dir = ef_emb_parts_dir(project_dir, name), **names;
    size_t i, nn;
    int rc = EF_OK;

    *parts = NULL;
    *n = 0;
    names = ef_part_list(dir, NULL, 0, &nn);
    if (nn)
        *parts = ef_xcalloc(nn, sizeof **parts);
    for (i = 0; i < nn && rc == EF_OK; i++) {
        ef_emb_part_info *p = &(*parts)[i];

        p->name = ef_xstrdup(names[i]);
        p->path = ef_xasprintf("%s/%s", dir, names[i]);
        *n = i + 1;
        rc = read_part(p, err);
    }
    ef_store_free_list(names, nn);
    free(dir);
    if (rc != EF_OK) {
        ef_emb_parts_free(*parts, *n);
        *parts = NULL;
        *n = 0;
    }
    return rc;
}

void ef_emb_parts_free(ef_emb_part_info *parts, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(parts[i].name);
        free(parts[i].path);
        free(parts[i].encoder_path);
        free(parts[i].shard);
        free(parts[i].eid);
    }
    free(parts);
}

size_t ef_emb_parts_delete(const char *tag, const ef_emb_opts *opts, const ef_emb_part_info *parts,
                           size_t n)
{
    size_t i, removed = 0;
    char buf[160];

    for (i = 0; i < n; i++) {
        char *t = ef_part_tag(parts[i].name, NULL);

        if (!tag || (t && strcmp(t, tag) == 0) || (opts && ef_emb_opts_diff(opts, &parts[i].o, buf, sizeof buf)))
            removed += unlink(parts[i].path) == 0;
        free(t);
    }
    return removed;
}

/* ------------------------------------------------------------ writing */

struct ef_emb_part_writer {
    ef_store *s;
    size_t out;
    int64_t *eid;
    float *values;
    size_t n, cap;
};

static int mkdir_1(const char *dir, ef_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ef_error_set_at(err, EF_EIO, dir, 0, 0, "cannot create folder: %s", strerror(errno));
    return EF_OK;
}

static void set_str(ef_store *s, const char *obj, const char *name, const char *v, int *rc, ef_error *err)
{
    if (*rc == EF_OK)
        *rc = ef_store_set_attr_str(s, obj, name, v ? v : "", err);
}

static void set_num(ef_store *s, const char *obj, const char *name, double v, int *rc, ef_error *err)
{
    if (*rc == EF_OK)
        *rc = ef_store_set_attr_f64(s, obj, name, v, err);
}

/* The attributes parts and /embeddings/NAME share. */
static void set_opts(ef_store *s, const char *obj, const ef_emb_opts *o, const char *encoder_path,
                     const char *name, int *rc, ef_error *err)
{
    char opts[512];

    snprintf(opts, sizeof opts, "encoder=%s sha256=%s input_length=%llu units=%s", encoder_path, o->sha256,
             (unsigned long long)o->input_length, o->units);
    if (*rc == EF_OK)
        *rc = ef_store_stamp(s, obj, "embed", opts, err);
    set_str(s, obj, "name", name, rc, err);
    set_str(s, obj, "encoder_sha256", o->sha256, rc, err);
    set_str(s, obj, "encoder_path", encoder_path, rc, err);
    set_num(s, obj, "input_length", (double)o->input_length, rc, err);
    set_str(s, obj, "units", o->units, rc, err);
    set_num(s, obj, "output_size", (double)o->output_size, rc, err);
    set_str(s, obj, "ecg_options", o->ecg_options, rc, err);
}

int ef_emb_part_open(ef_emb_part_writer **out, const char *project_dir, const char *name,
                     const char *tag, unsigned index, const ef_emb_opts *o,
                     const ef_emb_part_meta *meta, ef_error *err)
{
    char *top = ef_xasprintf("%s/%s", project_dir, EF_EMB_PARTS_DIR);
    char *dir = ef_emb_parts_dir(project_dir, name), *path;
    ef_emb_part_writer *w;
    int rc;

    *out = NULL;
    rc = mkdir_1(top, err);
    if (rc == EF_OK)
        rc = mkdir_1(dir, err);
    path = ef_xasprintf("%s/part-%s-%05u.h5", dir, tag, index);
    free(top);
    free(dir);
    if (rc != EF_OK) {
        free(path);
        return rc;
    }
    w = ef_xcalloc(1, sizeof *w);
    w->out = (size_t)o->output_size;
    rc = ef_store_begin(&w->s, path, err);
    free(path);
    set_opts(w->s, "/", o, meta->encoder_path, name, &rc, err);
    set_str(w->s, "/", "shard", meta->shard ? meta->shard : "all", &rc, err);
    set_num(w->s, "/", "slice_ecgs", (double)meta->slice_ecgs, &rc, err);
    if (rc != EF_OK) {
        ef_emb_part_abort(w);
        return rc;
    }
    *out = w;
    return EF_OK;
}

void ef_emb_part_add(ef_emb_part_writer *w, const int64_t *eid, const float *values, size_t n)
{
    if (w->n + n > w->cap) {
        while (w->n + n > w->cap)
            w->cap = w->cap ? 2 * w->cap : 64;
        w->eid = ef_xreallocarray(w->eid, w->cap, sizeof *w->eid);
        w->values = ef_xreallocarray(w->values, w->cap * (w->out ? w->out : 1), sizeof *w->values);
    }
    memcpy(w->eid + w->n, eid, n * sizeof *eid);
    memcpy(w->values + w->n * w->out, values, n * w->out * sizeof *values);
    w->n += n;
}

size_t ef_emb_part_count(const ef_emb_part_writer *w)
{
    return w->n;
}

static void writer_free(ef_emb_part_writer *w)
{
    free(w->eid);
    free(w->values);
    free(w);
}

int ef_emb_part_close(ef_emb_part_writer *w, ef_error *err)
{
    int rc = ef_store_write_i64(w->s, "/eid", w->eid, w->n, err);

    if (rc == EF_OK)
        rc = ef_store_write_f32_2d(w->s, "/values", w->values, w->n, w->out, err);
    if (rc == EF_OK)
        rc = ef_store_commit(w->s, err);
    else
        ef_store_abort(w->s);
    writer_free(w);
    return rc;
}

void ef_emb_part_abort(ef_emb_part_writer *w)
{
    if (!w)
        return;
    ef_store_abort(w->s);
    writer_free(w);
}

/* ------------------------------------------------------------ the fold */

typedef struct entry {
    int64_t eid;
    size_t part, row;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;

    if (x->eid != y->eid)
        return (x->eid > y->eid) - (x->eid < y->eid);
    return (x->part > y->part) - (x->part < y->part);
}

static int write_group(const char *store_path, const char *name, const ef_emb_part_info *p, size_t np,
                       const entry *e, size_t ne, ef_error *err)
{
    char *grp = ef_xasprintf("/embeddings/%s", name), *peid = ef_xasprintf("%s/eid", grp),
         *pval = ef_xasprintf("%s/values", grp);
    int64_t *eid = ef_xcalloc(ne ? ne : 1, sizeof *eid);
    ef_store_vds_src *map = ef_xcalloc(ne ? ne : 1, sizeof *map);
    char **src = ef_xcalloc(np, sizeof *src);
    uint64_t dims[2] = { ne, p[0].o.output_size };
    size_t i, nmap = 0;
    ef_store *s;
    int rc;

    for (i = 0; i < np; i++)
        src[i] = ef_xasprintf("%s/%s/%s", EF_EMB_PARTS_DIR, name, p[i].name);
    for (i = 0; i < ne; i++) {
        eid[i] = e[i].eid;
        /* extend the previous mapping when this row continues it */
        if (nmap && map[nmap - 1].file == src[e[i].part] &&
            map[nmap - 1].src_row + map[nmap - 1].nrows == e[i].row &&
            map[nmap - 1].dst_row + map[nmap - 1].nrows == i) {
            map[nmap - 1].nrows++;
            continue;
        }
        map[nmap].file = src[e[i].part];
        map[nmap].dset = "/values";
        map[nmap].src_rows = p[e[i].part].n;
        map[nmap].src_row = e[i].row;
        map[nmap].dst_row = i;
        map[nmap].nrows = 1;
        nmap++;
    }
    rc = ef_store_begin(&s, store_path, err);
    if (rc == EF_OK) {
        rc = ef_store_delete(s, grp, err);
        if (rc == EF_OK)
            rc = ef_store_write_i64(s, peid, eid, ne, err);
        if (rc == EF_OK)
            rc = ef_store_write_vds_f32(s, pval, 2, dims, map, nmap, err);
        set_opts(s, grp, &p[0].o, p[0].encoder_path, name, &rc, err);
        set_num(s, grp, "n_parts", (double)np, &rc, err);
        set_str(s, pval, "layout",
                "[ECG, output]; rows are a virtual dataset over emb-data/NAME/part-*.h5, in /ecg/eid order", &rc,
                err);
        if (rc == EF_OK)
            rc = ef_store_commit(s, err);
        else
            ef_store_abort(s);
    }
    for (i = 0; i < np; i++)
        free(src[i]);
    free(src);
    free(map);
    free(eid);
    free(grp);
    free(peid);
    free(pval);
    return rc;
}

/* Parts made from other ECGs than the store's /ecg are stale. */
static int check_ecg(const char *project_dir, const char *store_path, const char *name,
                     const ef_emb_part_info *p, ef_error *err)
{
    ef_store *s;
    char *opts = NULL;
    int rc;

    if (ef_store_open_read(&s, store_path, NULL) != EF_OK)
        return EF_OK;
    rc = ef_store_get_attr_str(s, "/ecg", "options", &opts, NULL);
    ef_store_close(s);
    if (rc == EF_OK && strcmp(opts, p->o.ecg_options) != 0)
        rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0,
                             "embeddings '%s' were made from ECGs preprocessed with %s, but /ecg now has %s; "
                             "run `ecgfit -C %s embed --name %s --restart`",
                             name, p->o.ecg_options, opts, project_dir, name);
    else
        rc = EF_OK;
    free(opts);
    return rc;
}

int ef_emb_fold(const char *project_dir, const char *store_path, const char *name,
                const ef_emb_opts *want, int allow_incomplete, ef_emb_fold_result *res, ef_error *err)
{
    ef_emb_part_info *p = NULL;
    ef_part_shard *sh = NULL;
    entry *e = NULL;
    size_t np = 0, ne = 0, i, j;
    char diff[160], rerun[128];
    int rc;

    memset(res, 0, sizeof *res);
    rc = ef_emb_parts_scan(project_dir, name, &p, &np, err);
    if (rc != EF_OK)
        return rc;
    if (np == 0)
        return ef_error_set_at(err, EF_ENOTFOUND, project_dir, 0, 0,
                               "no embedding part files in %s/%s/%s; run `ecgfit embed` first", project_dir,
                               EF_EMB_PARTS_DIR, name);
    for (i = 0; i < np && rc == EF_OK; i++) {
        const ef_emb_opts *ref = want ? want : &p[0].o;

        if (ef_emb_opts_diff(ref, &p[i].o, diff, sizeof diff))
            rc = ef_error_set_at(err, EF_EDATA, p[i].path, 0, 0,
                                 "made with %s, unlike %s; rerun the shards with the same encoder and ECGs, "
                                 "or `ecgfit embed --name %s --restart`",
                                 diff, want ? "this run" : p[0].name, name);
    }
    if (rc == EF_OK)
        rc = check_ecg(project_dir, store_path, name, &p[0], err);
    if (rc == EF_OK) {
        sh = ef_xcalloc(np, sizeof *sh);
        for (i = 0; i < np; i++) {
            sh[i].shard = p[i].shard;
            sh[i].count = p[i].n;
            sh[i].slice = p[i].slice_ecgs;
        }
        snprintf(rerun, sizeof rerun, "embed --name %s", name);
        if (ef_part_check_shards(sh, np, rerun, "ECGs", &res->warnings, &res->nwarnings) && !allow_incomplete) {
            char msg[EF_ERROR_MSG_MAX] = "";
            size_t len = 0;

            for (i = 0; i < res->nwarnings && len < sizeof msg; i++)
                len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s", i ? "; " : "", res->warnings[i]);
            rc = ef_error_set_at(err, EF_EDATA, project_dir, 0, 0, "embeddings '%s': %s", name, msg);
        }
    }
    if (rc != EF_OK)
        goto out;
    for (i = 0; i < np; i++)
        ne += p[i].n;
    e = ef_xcalloc(ne ? ne : 1, sizeof *e);
    ne = 0;
    for (i = 0; i < np; i++)
        for (j = 0; j < p[i].n; j++)
            e[ne++] = (entry){ p[i].eid[j], i, j };
    qsort(e, ne, sizeof *e, cmp_entry);
    for (i = 1; i < ne && rc == EF_OK; i++)
        if (e[i].eid == e[i - 1].eid)
            rc = ef_error_set_at(err, EF_EDATA, project_dir, 0, 0,
                                 "ECG %lld is embedded in both %s (shard %s) and %s (shard %s) of '%s': "
                                 "overlapping shards; remove one run's part files or `ecgfit embed --name %s "
                                 "--restart`",
                                 (long long)e[i].eid, p[e[i - 1].part].name, p[e[i - 1].part].shard,
                                 p[e[i].part].name, p[e[i].part].shard, name, name);
    if (rc == EF_OK)
        rc = write_group(store_path, name, p, np, e, ne, err);
    if (rc == EF_OK) {
        res->parts = np;
        res->n = ne;
        res->o = p[0].o;
        res->encoder_path = ef_xstrdup(p[0].encoder_path);
    }
out:
    free(sh);
    free(e);
    ef_emb_parts_free(p, np);
    return rc;
}

void ef_emb_fold_result_fini(ef_emb_fold_result *res)
{
    size_t i;

    for (i = 0; i < res->nwarnings; i++)
        free(res->warnings[i]);
    free(res->warnings);
    free(res->encoder_path);
    memset(res, 0, sizeof *res);
}
