/* ef_keras_h5.c — the HDF5 side of the Keras loader (keras-h5.md §1–3, §9):
 * root attributes, layer_names / weight_names in all their storage kinds,
 * and the weight datasets, each checked against the shape the config
 * implies before anything is allocated.  The only loader file that sees
 * hdf5.h; ef_nn_load_keras (ef_keras_config.c) drives it. */
#include "config.h"
#include "nn/ef_keras_int.h"
#include "core/ef_alloc.h"

#include "store/ef_h5.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_NAMES 100000           /* entries of a layer_names / weight_names array */
#define MAX_FIXED_STR 65536        /* bytes of one fixed-length name */
#define MAX_CHUNKS 10000           /* layer_names0 .. layer_namesK */

typedef struct h5ctx {
    const char *path;
    ef_error *err;
    long long file_size;
} h5ctx;

static int fail(h5ctx *c, int code, const char *fmt, ...) EF_PRINTF(3, 4);

/* Record an error naming the file, with HDF5's innermost description when
 * its error stack has one (call right after the failing HDF5 call). */
static int fail(h5ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = ef_h5_failv(c->err, code, c->path, fmt, ap);
    va_end(ap);
    return rc;
}

static void free_strings(char **s, size_t n)
{
    size_t i;

    for (i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

/* Read string attribute `name` of obj (scalar or 1-D; fixed- or variable-
 * length) into a new array.  An empty attribute of any type (Keras writes
 * weightless layers' weight_names as float64 of shape (0,)) gives n = 0.
 * EF_ENOTFOUND when absent. */
static int read_str_attr(h5ctx *c, hid_t obj, const char *where, const char *name, char ***out,
                         size_t *n)
{
    hid_t a = H5I_INVALID_HID, ft = H5I_INVALID_HID, mt = H5I_INVALID_HID, sp = H5I_INVALID_HID;
    hssize_t np;
    size_t i, size;
    char **v = NULL;
    int rc = EF_OK;
    htri_t ex;

    *out = NULL;
    *n = 0;
    ex = H5Aexists(obj, name);
    if (ex <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return EF_ENOTFOUND;
    }
    if ((a = H5Aopen(obj, name, H5P_DEFAULT)) < 0 || (sp = H5Aget_space(a)) < 0 ||
        (ft = H5Aget_type(a)) < 0) {
        rc = fail(c, EF_EIO, "cannot read attribute %s of %s", name, where);
        goto out;
    }
    np = H5Sget_simple_extent_npoints(sp);
    if (np < 0 || H5Sget_simple_extent_ndims(sp) > 1) {
        rc = fail(c, EF_EDATA, "attribute %s of %s is not a list", name, where);
        goto out;
    }
    if (np == 0)
        goto out;
    if (np > MAX_NAMES) {
        rc = fail(c, EF_EUNSUP, "attribute %s of %s has %lld entries (at most %d)", name, where,
                  (long long)np, MAX_NAMES);
        goto out;
    }
    if (H5Tget_class(ft) != H5T_STRING) {
        rc = fail(c, EF_EDATA, "attribute %s of %s is not a string", name, where);
        goto out;
    }
    v = ef_xcalloc((size_t)np, sizeof *v);
    mt = H5Tcopy(H5T_C_S1);
    H5Tset_cset(mt, H5Tget_cset(ft));   /* UTF-8 strings (h5py 3, h5wasm) do not convert to ASCII */
    if (H5Tis_variable_str(ft) > 0) {
        char **buf = ef_xcalloc((size_t)np, sizeof *buf);

        H5Tset_size(mt, H5T_VARIABLE);
        if (H5Aread(a, mt, buf) < 0) {
            free(buf);
            rc = fail(c, EF_EIO, "cannot read attribute %s of %s", name, where);
            goto out;
        }
        for (i = 0; i < (size_t)np; i++)
            v[i] = ef_xstrdup(buf[i] ? buf[i] : "");
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
        free(buf);
    } else {
        char *buf;

        size = H5Tget_size(ft);
        if (size == 0 || size > MAX_FIXED_STR) {
            rc = fail(c, EF_EUNSUP, "attribute %s of %s: string size %zu out of range", name, where,
                      size);
            goto out;
        }
        H5Tset_size(mt, size);
        H5Tset_strpad(mt, H5Tget_strpad(ft));
        buf = ef_xmalloc((size_t)np * size);   /* np <= MAX_NAMES: no overflow */
        if (H5Aread(a, mt, buf) < 0) {
            free(buf);
            rc = fail(c, EF_EIO, "cannot read attribute %s of %s", name, where);
            goto out;
        }
        /* NULLPAD: a name exactly as long as the field has no NUL */
        for (i = 0; i < (size_t)np; i++)
            v[i] = ef_xstrndup(buf + i * size, size);
        free(buf);
    }
    *out = v;
    *n = (size_t)np;
    v = NULL;
out:
    free_strings(v, np > 0 ? (size_t)np : 0);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

/* A names attribute, or its split form name0, name1, ... (writers split
 * arrays larger than HDF5's 64 KiB object-header limit). */
static int read_names(h5ctx *c, hid_t obj, const char *where, const char *name, char ***out,
                      size_t *n)
{
    char key[64], **part;
    size_t np, k;
    int rc = read_str_attr(c, obj, where, name, out, n);

    if (rc != EF_ENOTFOUND)
        return rc;
    for (k = 0; k < MAX_CHUNKS; k++) {
        snprintf(key, sizeof key, "%s%zu", name, k);
        rc = read_str_attr(c, obj, where, key, &part, &np);
        if (rc == EF_ENOTFOUND)
            break;
        if (rc != EF_OK || *n + np > MAX_NAMES) {
            free_strings(*out, *n);
            *out = NULL;
            *n = 0;
            return rc != EF_OK ? rc : fail(c, EF_EUNSUP, "%s of %s: too many entries", name, where);
        }
        *out = ef_xreallocarray(*out, *n + np + 1, sizeof **out);
        memcpy(*out + *n, part, np * sizeof *part);
        *n += np;
        free(part);
    }
    if (k == 0)
        return EF_ENOTFOUND;
    return EF_OK;
}

/* A scalar string attribute (first entry), or NULL. */
static char *read_str1(h5ctx *c, hid_t obj, const char *where, const char *name, int *rc)
{
    char **v, *s = NULL;
    size_t n;

    *rc = read_str_attr(c, obj, where, name, &v, &n);
    if (*rc == EF_OK && n >= 1) {
        s = v[0];
        v[0] = NULL;
    }
    free_strings(v, n);
    return s;
}

static void dims_str(const hsize_t *d, int rank, char *buf, size_t size)
{
    size_t o = 0;
    int i;

    o += (size_t)snprintf(buf, size, "(");
    for (i = 0; i < rank && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%llu", i ? ", " : "", (unsigned long long)d[i]);
    if (o < size)
        snprintf(buf + o, size - o, "%s)", rank == 1 ? "," : "");
}

/* Check one weight dataset against spec and read it into L->w[j]. */
static int read_weight(h5ctx *c, hid_t grp, const char *gname, const char *wname, ef_nn_layer *L,
                       int j, const ef_nn_wspec *spec)
{
    hid_t ds = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
    hsize_t dims[H5S_MAX_RANK], want[3];
    char got[128], exp[128];
    int rank, d, rc = EF_OK;
    htri_t ex;

    H5Eclear2(H5E_DEFAULT);
    ex = H5Lexists(grp, wname, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    if (ex <= 0 || (ds = H5Dopen2(grp, wname, H5P_DEFAULT)) < 0) {
        rc = fail(c, EF_EDATA, "layer '%s' (%s): weight %s: no dataset model_weights/%s/%s",
                  L->name, L->class_name, spec->name, gname, wname);
        goto out;
    }
    t = H5Dget_type(ds);
    if (H5Tget_class(t) != H5T_FLOAT || H5Tget_size(t) != 4) {
        rc = fail(c, EF_EUNSUP, "layer '%s' (%s): dataset model_weights/%s/%s is %s%zu-byte, not "
                  "float32 (only float32 weights are supported)", L->name, L->class_name, gname,
                  wname, H5Tget_class(t) == H5T_FLOAT ? "float " : "a non-float ", H5Tget_size(t));
        goto out;
    }
    sp = H5Dget_space(ds);
    rank = H5Sget_simple_extent_ndims(sp);
    if (rank < 0 || rank > H5S_MAX_RANK || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        rc = fail(c, EF_EDATA, "layer '%s' (%s): dataset model_weights/%s/%s has no simple shape",
                  L->name, L->class_name, gname, wname);
        goto out;
    }
    for (d = 0; d < spec->rank; d++)
        want[d] = spec->dim[d];
    dims_str(want, spec->rank, exp, sizeof exp);
    dims_str(dims, rank, got, sizeof got);
    if (rank != spec->rank || memcmp(dims, want, (size_t)rank * sizeof *dims) != 0) {
        rc = fail(c, EF_EDATA, "layer '%s' (%s): weight %s (dataset model_weights/%s/%s) has shape "
                  "%s, the config implies %s", L->name, L->class_name, spec->name, gname, wname,
                  got, exp);
        goto out;
    }
    L->w[j] = ef_xmalloc(spec->len ? spec->len * sizeof(float) : 1);
    L->wlen[j] = spec->len;
    L->nw = j + 1;
    if (spec->len && H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, L->w[j]) < 0)
        rc = fail(c, EF_EIO, "layer '%s' (%s): cannot read dataset model_weights/%s/%s", L->name,
                  L->class_name, gname, wname);
out:
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (ds >= 0)
        H5Dclose(ds);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

typedef struct wgroup {
    char *name;       /* layer_names entry */
    char **wnames;
    size_t nw;
} wgroup;

/* The layer_names entries that carry weights, with their weight_names. */
static int read_groups(h5ctx *c, hid_t mw, wgroup **out, size_t *nout)
{
    char **names = NULL, where[320];
    size_t n = 0, i, ng = 0;
    wgroup *g = NULL;
    int rc = read_names(c, mw, "/model_weights", "layer_names", &names, &n);

    if (rc == EF_ENOTFOUND)
        return fail(c, EF_EDATA, "/model_weights has no layer_names attribute");
    if (rc != EF_OK)
        return rc;
    g = ef_xcalloc(n ? n : 1, sizeof *g);
    for (i = 0; i < n && rc == EF_OK; i++) {
        hid_t grp;
        htri_t ex;
        char **wn;
        size_t nw;

        snprintf(where, sizeof where, "model_weights/%.280s", names[i]);
        ex = names[i][0] ? H5Lexists(mw, names[i], H5P_DEFAULT) : 0;
        H5Eclear2(H5E_DEFAULT);
        if (ex <= 0 || (grp = H5Gopen2(mw, names[i], H5P_DEFAULT)) < 0) {
            rc = fail(c, EF_EDATA, "layer_names lists '%s' but the file has no group %s", names[i],
                      where);
            break;
        }
        rc = read_names(c, grp, where, "weight_names", &wn, &nw);
        H5Gclose(grp);
        if (rc == EF_ENOTFOUND)
            rc = fail(c, EF_EDATA, "group %s has no weight_names attribute", where);
        if (rc != EF_OK)
            break;
        if (nw == 0) {
            free_strings(wn, nw);
            continue;
        }
        g[ng].name = names[i];
        names[i] = NULL;
        g[ng].wnames = wn;
        g[ng].nw = nw;
        ng++;
    }
    free_strings(names, n);
    if (rc != EF_OK) {
        for (i = 0; i < ng; i++) {
            free(g[i].name);
            free_strings(g[i].wnames, g[i].nw);
        }
        free(g);
        return rc;
    }
    *out = g;
    *nout = ng;
    return EF_OK;
}

static size_t expected_bytes(const ef_nn_model *m)
{
    ef_nn_wspec spec[EF_NN_MAX_WEIGHTS];
    size_t i, total = 0;
    int j, n;

    for (i = 0; i < m->nlayers; i++)
        for (n = ef_nn_layer_weights(m, i, spec), j = 0; j < n; j++)
            total += spec[j].len * sizeof(float);   /* < 2^33 (ef_nn_model_shapes) */
    return total;
}

/* Keras pairs the model's layers that have weights with the file's groups
 * that have weights, by position (not by name). */
static int load_weights(h5ctx *c, hid_t file, ef_nn_model *m)
{
    wgroup *g = NULL;
    size_t ng = 0, i, k = 0, nweighted = 0;
    hid_t mw;
    int rc;

    H5Eclear2(H5E_DEFAULT);
    if (H5Lexists(file, "model_weights", H5P_DEFAULT) <= 0 ||
        (mw = H5Gopen2(file, "model_weights", H5P_DEFAULT)) < 0)
        return fail(c, EF_EDATA, "no /model_weights group (not a model saved by model.save())");
    rc = read_groups(c, mw, &g, &ng);
    if (rc != EF_OK) {
        H5Gclose(mw);
        return rc;
    }
    for (i = 0; i < m->nlayers; i++) {
        ef_nn_wspec spec[EF_NN_MAX_WEIGHTS];

        if (ef_nn_layer_weights(m, i, spec) > 0)
            nweighted++;
    }
    /* An HDF5 dataset may declare a shape it has no storage for: bound what
     * the config makes us allocate by the file size (Keras never compresses
     * weights; 64x leaves room for any filter on real, incompressible ones). */
    if (m->in_ch && (double)expected_bytes(m) > 64.0 * (double)c->file_size + (1 << 20))
        rc = fail(c, EF_EDATA, "the model_config implies %.0f bytes of weights, far more than the "
                  "file holds (%lld bytes)", (double)expected_bytes(m), (long long)c->file_size);
    else if (nweighted != ng)
        rc = fail(c, EF_EDATA, "the file has weights for %zu layers, the model_config has %zu layers "
                  "with weights", ng, nweighted);
    for (i = 0; rc == EF_OK && i < m->nlayers; i++) {
        ef_nn_layer *L = &m->layers[i];
        ef_nn_wspec spec[EF_NN_MAX_WEIGHTS];
        int n = ef_nn_layer_weights(m, i, spec), j;
        char list[128] = "";
        hid_t grp;

        if (n == 0)
            continue;
        if ((size_t)n != g[k].nw) {
            for (j = 0; j < n; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "",
                         spec[j].name);
            rc = fail(c, EF_EDATA, "layer '%s' (%s): group model_weights/%s has %zu weights, "
                      "expected %d (%s)", L->name, L->class_name, g[k].name, g[k].nw, n, list);
            break;
        }
        grp = H5Gopen2(mw, g[k].name, H5P_DEFAULT);
        if (grp < 0) {
            rc = fail(c, EF_EIO, "cannot open group model_weights/%s", g[k].name);
            break;
        }
        for (j = 0; rc == EF_OK && j < n; j++)
            rc = read_weight(c, grp, g[k].name, g[k].wnames[j], L, j, &spec[j]);
        H5Gclose(grp);
        k++;
    }
    for (i = 0; i < ng; i++) {
        free(g[i].name);
        free_strings(g[i].wnames, g[i].nw);
    }
    free(g);
    H5Gclose(mw);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

static int check_file(h5ctx *c)
{
    struct stat st;
    htri_t is;

    if (stat(c->path, &st) != 0)
        return ef_error_set_at(c->err, errno == ENOENT ? EF_ENOTFOUND : EF_EIO, c->path, 0, 0,
                               "%s", errno == ENOENT ? "no such file" : strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ef_error_set_at(c->err, EF_EIO, c->path, 0, 0, "not a regular file");
    c->file_size = (long long)st.st_size;
    is = H5Fis_hdf5(c->path);
    if (is <= 0)
        return fail(c, EF_EPARSE, "not an HDF5 file (a Keras .h5 model was expected)");
    return EF_OK;
}

struct ef_keras_h5 {
    hid_t file;
    h5ctx c;
};

int ef_keras_h5_open(const char *path, ef_keras_h5 **out, char **config, char **keras_version,
                     ef_error *err)
{
    ef_keras_h5 *h;
    hid_t fapl;
    int rc;

    *out = NULL;
    *config = *keras_version = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    h = ef_xcalloc(1, sizeof *h);
    h->c.path = path;
    h->c.err = err;
    h->file = H5I_INVALID_HID;
    if ((rc = check_file(&h->c)) != EF_OK) {
        free(h);
        return rc;
    }
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    h->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    H5Pclose(fapl);
    if (h->file < 0) {
        rc = fail(&h->c, EF_EIO, "cannot open the HDF5 file");
        free(h);
        return rc;
    }
    *config = read_str1(&h->c, h->file, "/", "model_config", &rc);
    if (rc == EF_ENOTFOUND || (rc == EF_OK && !*config))
        rc = fail(&h->c, EF_EDATA, "no model_config attribute: not a whole Keras model (a "
                  "weights-only file from save_weights() cannot be used)");
    if (rc == EF_OK) {
        *keras_version = read_str1(&h->c, h->file, "/", "keras_version", &rc);
        if (rc == EF_ENOTFOUND)
            rc = EF_OK;
    }
    if (rc != EF_OK) {
        free(*config);
        free(*keras_version);
        *config = *keras_version = NULL;
        ef_keras_h5_close(h);
        return rc;
    }
    *out = h;
    return EF_OK;
}

int ef_keras_h5_read_weights(ef_keras_h5 *h, ef_nn_model *m, ef_error *err)
{
    h->c.err = err;
    return load_weights(&h->c, h->file, m);
}

void ef_keras_h5_close(ef_keras_h5 *h)
{
    if (!h)
        return;
    if (h->file >= 0)
        H5Fclose(h->file);
    H5Eclear2(H5E_DEFAULT);
    free(h);
}
