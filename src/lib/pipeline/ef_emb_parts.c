/* ef_emb_parts.c — see ef_emb_parts.h.  Uses only the store API and the
 * part-file helpers of ef_parts.c. */
#include "config.h"
#include "ef_emb_parts.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_parts.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A NAME folder under emb-data (arg) holding at least one part. */
static int has_parts(const char *name, const char *top)
{
    char *dir, **parts;
    size_t np;

    if (!ef_emb_name_ok(name))
        return 0;
    dir = ef_xasprintf("%s/%s", top, name);
    parts = ef_part_list(dir, NULL, 0, &np);
    ef_store_free_list(parts, np);
    free(dir);
    return np != 0;
}

int ef_emb_names(const char *project_dir, char ***names, size_t *n, ef_error *err)
{
    char *top = ef_xasprintf("%s/%s", project_dir, EF_EMB_PARTS_DIR);

    (void)err;
    *names = ef_part_list_names(top, has_parts, top, n);
    free(top);
    return EF_OK;
}

static int read_part(void *part, char *name, char *path, ef_store *s, ef_error *err)
{
    ef_emb_part_info *p = part;
    uint64_t slice = 0, dims[2];
    int rank, rc = EF_OK;

    p->name = name;
    p->path = path;
    ef_part_get_str(s, "encoder_sha256", p->o.sha256, sizeof p->o.sha256, &rc, err);
    ef_part_get_str(s, "units", p->o.units, sizeof p->o.units, &rc, err);
    ef_part_get_str(s, "ecg_options", p->o.ecg_options, sizeof p->o.ecg_options, &rc, err);
    ef_part_get_u64(s, "input_length", &p->o.input_length, &rc, err);
    ef_part_get_u64(s, "output_size", &p->o.output_size, &rc, err);
    ef_part_get_u64(s, "slice_ecgs", &slice, &rc, err);
    p->slice_ecgs = (size_t)slice;
    ef_part_get_strdup(s, "encoder_path", &p->encoder_path, &rc, err);
    ef_part_get_strdup(s, "shard", &p->shard, &rc, err);
    if (rc == EF_OK)
        rc = ef_store_read_i64(s, "/eid", &p->eid, &p->n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(s, "/values", &rank, dims, 2, err);
    if (rc == EF_OK && (rank != 2 || dims[0] != p->n || dims[1] != p->o.output_size))
        rc = ef_error_set_at(err, EF_EDATA, p->path, 0, 0, "/values does not match /eid and output_size");
    return rc;
}

static void free_parts(void *parts, size_t n)
{
    ef_emb_parts_free(parts, n);
}

int ef_emb_parts_scan(const char *project_dir, const char *name, ef_emb_part_info **parts, size_t *n,
                      ef_error *err)
{
    char *dir = ef_emb_parts_dir(project_dir, name);
    void *all;
    int rc = ef_part_scan(dir, sizeof **parts, read_part, free_parts, &all, n, err);

    free(dir);
    *parts = all;
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

    for (i = 0; i < n; i++)
        if (!tag || ef_part_has_tag(parts[i].name, tag) ||
            (opts && ef_emb_opts_diff(opts, &parts[i].o, buf, sizeof buf)))
            removed += ef_store_remove(parts[i].path, NULL) == EF_OK;   /* and its lock file */
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

/* The attributes parts and /embeddings/NAME share. */
static void set_opts(ef_store *s, const char *obj, const ef_emb_opts *o, const char *encoder_path,
                     const char *name, int *rc, ef_error *err)
{
    const ef_store_attr attrs[] = {
        EF_STORE_ATTR_STR("name", name),
        EF_STORE_ATTR_STR("encoder_sha256", o->sha256),
        EF_STORE_ATTR_STR("encoder_path", encoder_path),
        EF_STORE_ATTR_NUM("input_length", o->input_length),
        EF_STORE_ATTR_STR("units", o->units),
        EF_STORE_ATTR_NUM("output_size", o->output_size),
        EF_STORE_ATTR_STR("ecg_options", o->ecg_options),
    };
    char opts[512];

    snprintf(opts, sizeof opts, "encoder=%s sha256=%s input_length=%llu units=%s", encoder_path, o->sha256,
             (unsigned long long)o->input_length, o->units);
    if (*rc == EF_OK)
        *rc = ef_store_stamp(s, obj, "embed", opts, err);
    if (*rc == EF_OK)
        *rc = ef_store_set_attrs(s, obj, attrs, sizeof attrs / sizeof attrs[0], err);
}

int ef_emb_part_open(ef_emb_part_writer **out, const char *project_dir, const char *name,
                     const char *tag, unsigned index, const ef_emb_opts *o,
                     const ef_emb_part_meta *meta, ef_error *err)
{
    char *top = ef_xasprintf("%s/%s", project_dir, EF_EMB_PARTS_DIR);
    char *dir = ef_emb_parts_dir(project_dir, name);
    const ef_store_attr attrs[] = {
        EF_STORE_ATTR_STR("shard", meta->shard ? meta->shard : "all"),
        EF_STORE_ATTR_NUM("slice_ecgs", meta->slice_ecgs),
    };
    ef_emb_part_writer *w = NULL;
    ef_store *s = NULL;
    int rc = ef_part_mkdir(top, err);

    *out = NULL;
    if (rc == EF_OK)
        rc = ef_part_begin(&s, dir, tag, index, err);
    free(top);
    free(dir);
    if (rc != EF_OK)
        return rc;
    set_opts(s, "/", o, meta->encoder_path, name, &rc, err);
    if (rc == EF_OK)
        rc = ef_store_set_attrs(s, "/", attrs, sizeof attrs / sizeof attrs[0], err);
    if (rc != EF_OK) {
        ef_store_abort(s);
        return rc;
    }
    w = ef_xcalloc(1, sizeof *w);
    w->s = s;
    w->out = (size_t)o->output_size;
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

int ef_emb_part_close(ef_emb_part_writer *w, size_t *written, ef_error *err)
{
    int rc;

    if (!w || w->n == 0) {   /* nothing worth a file */
        ef_emb_part_abort(w);
        return EF_OK;
    }
    rc = ef_store_write_i64(w->s, "/eid", w->eid, w->n, err);
    if (rc == EF_OK)
        rc = ef_store_write_f32_2d(w->s, "/values", w->values, w->n, w->out, err);
    rc = ef_store_finish(w->s, rc, err);
    *written += rc == EF_OK;
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

static int write_group(const char *store_path, const char *name, const ef_emb_part_info *p, size_t np,
                       const ef_part_entry *e, size_t ne, ef_error *err)
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
        ef_part_map_row(map, &nmap, src[e[i].part], "/values", p[e[i].part].n, (uint64_t)e[i].row, i);
    }
    rc = ef_store_begin(&s, store_path, err);
    if (rc == EF_OK) {
        rc = ef_store_delete(s, grp, err);
        if (rc == EF_OK)
            rc = ef_store_write_i64(s, peid, eid, ne, err);
        if (rc == EF_OK)
            rc = ef_store_write_vds_f32(s, pval, 2, dims, map, nmap, err);
        set_opts(s, grp, &p[0].o, p[0].encoder_path, name, &rc, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_f64(s, grp, "n_parts", (double)np, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_str(s, pval, "layout",
                                       "[ECG, output]; rows are a virtual dataset over emb-data/NAME/part-*.h5, in "
                                       "/ecg/eid order", err);
        rc = ef_store_finish(s, rc, err);
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
    ef_part_entry *e = NULL;
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
            char msg[EF_ERROR_MSG_MAX];

            ef_part_join(res->warnings, res->nwarnings, msg, sizeof msg);
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
            e[ne++] = (ef_part_entry){ p[i].eid[j], i, (long)j, 0 };
    if ((i = ef_part_entries_sort(e, ne)) != 0)
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
    ef_store_free_list(res->warnings, res->nwarnings);
    free(res->encoder_path);
    memset(res, 0, sizeof *res);
}
