/* ef_keras_write.c — write a Keras 2.x .h5 model file (keras-h5.md §1, §2):
 * root attributes keras_version/backend/model_config, /model_weights with
 * layer_names, one group per layer (weightless ones included, with an empty
 * float64 weight_names as Keras writes it) and contiguous float32 datasets
 * at /model_weights/<layer>/<weight name>.
 *
 * The file is reproducible: objects carry no modification times, and it is
 * written to "<path>.tmp-<pid>" and renamed into place. */
#include "config.h"

#include "nn/ef_keras_write.h"
#include "core/ef_alloc.h"

#include <errno.h>
#include "store/ef_h5.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct kw {
    hid_t file, gcpl, dcpl;
    unsigned flags;
    const char *path;
    ef_error *err;
    int rc;
} kw;

/* Record the first failure, with HDF5's innermost error description. */
static void EF_PRINTF(2, 3) fail(kw *w, const char *fmt, ...)
{
    va_list ap;

    if (w->rc != EF_OK)
        return;
    va_start(ap, fmt);
    w->rc = ef_h5_failv(w->err, EF_EIO, w->path, fmt, ap);
    va_end(ap);
}

/* h5py's str type: variable length, NUL-terminated; or numpy 'S<size>': NULLPAD. */
static hid_t str_type(size_t fixed, int utf8)
{
    hid_t t = H5Tcopy(H5T_C_S1);

    H5Tset_size(t, fixed ? fixed : H5T_VARIABLE);
    H5Tset_strpad(t, fixed ? H5T_STR_NULLPAD : H5T_STR_NULLTERM);
    H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
    return t;
}

static void put_attr(kw *w, hid_t loc, const char *name, hid_t type, hid_t space, const void *buf)
{
    hid_t a;

    if (w->rc != EF_OK)
        return;
    a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, type, buf) < 0)
        fail(w, "cannot write attribute %s", name);
    if (a >= 0)
        H5Aclose(a);
}

static void put_str(kw *w, hid_t loc, const char *name, const char *value, int utf8)
{
    hid_t t = str_type(0, utf8 || (w->flags & EF_KW_ALL_UTF8)), s = H5Screate(H5S_SCALAR);

    put_attr(w, loc, name, t, s, &value);
    H5Sclose(s);
    H5Tclose(t);
}

/* A names array (layer_names, weight_names); n == 0 gives Keras's empty
 * float64 array. */
static void put_names(kw *w, hid_t loc, const char *name, const char *const *v, size_t n)
{
    hsize_t dim = n;
    hid_t s = H5Screate_simple(1, &dim, NULL), t;

    if (n == 0) {
        static const double none = 0;
        put_attr(w, loc, name, H5T_IEEE_F64LE, s, &none);
    } else if (w->flags & EF_KW_FIXED_NAMES) {
        size_t len = 1;
        char *buf;
        for (size_t i = 0; i < n; i++)
            if (strlen(v[i]) > len)
                len = strlen(v[i]);
        buf = ef_xcalloc(n, len);
        for (size_t i = 0; i < n; i++)
            memcpy(buf + i * len, v[i], strlen(v[i]));    /* NULLPAD: no terminator at full length */
        t = str_type(len, 0);
        put_attr(w, loc, name, t, s, buf);
        H5Tclose(t);
        free(buf);
    } else {
        t = str_type(0, w->flags & EF_KW_ALL_UTF8);
        put_attr(w, loc, name, t, s, v);
        H5Tclose(t);
    }
    H5Sclose(s);
}

/* Open or create the group at the relative path rel (components split at '/'). */
static hid_t group_path(kw *w, hid_t base, const char *rel)
{
    char *p = ef_xstrdup(rel), *tok, *save = NULL;
    hid_t g = H5Gopen2(base, ".", H5P_DEFAULT);

    for (tok = strtok_r(p, "/", &save); tok && g >= 0; tok = strtok_r(NULL, "/", &save)) {
        hid_t next;
        htri_t ex = H5Lexists(g, tok, H5P_DEFAULT);
        next = ex > 0 ? H5Gopen2(g, tok, H5P_DEFAULT)
                      : H5Gcreate2(g, tok, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
        if (next < 0)
            fail(w, "cannot create group %s", rel);
        H5Gclose(g);
        g = next;
    }
    free(p);
    return g;
}

static void put_var(kw *w, hid_t lg, const ef_kw_var *v)
{
    const char *slash = strrchr(v->name, '/');
    hsize_t dims[3];
    hid_t g, s, d;

    if (w->rc != EF_OK)
        return;
    if (v->rank < 1 || v->rank > 3) {
        fail(w, "weight %s: rank %d", v->name, v->rank);
        return;
    }
    for (int i = 0; i < v->rank; i++)
        dims[i] = v->dims[i];
    if (slash) {
        char *dir = ef_xstrndup(v->name, (size_t)(slash - v->name));
        g = group_path(w, lg, dir);
        free(dir);
    } else {
        g = H5Gopen2(lg, ".", H5P_DEFAULT);
    }
    if (g < 0)
        return;
    s = H5Screate_simple(v->rank, dims, NULL);
    d = H5Dcreate2(g, slash ? slash + 1 : v->name, H5T_IEEE_F32LE, s, H5P_DEFAULT, w->dcpl,
                   H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->data) < 0)
        fail(w, "cannot write weight %s", v->name);
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(s);
    H5Gclose(g);
}

static void write_model(kw *w, const ef_kw_model *m)
{
    const char **names = ef_xcalloc(m->nlayers + 1, sizeof *names);
    hid_t mw;

    put_str(w, w->file, "keras_version", m->keras_version, 1);
    put_str(w, w->file, "backend", m->backend, 1);
    put_str(w, w->file, "model_config", m->model_config, 0);
    if (m->synthetic)
        put_str(w, w->file, "ecgfit_synthetic", m->synthetic, 1);
    mw = H5Gcreate2(w->file, "model_weights", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (mw < 0) {
        fail(w, "cannot create /model_weights");
        free(names);
        return;
    }
    for (size_t i = 0; i < m->nlayers; i++)
        names[i] = m->layers[i].name;
    put_names(w, mw, "layer_names", names, m->nlayers);
    put_str(w, mw, "backend", m->backend, 0);
    put_str(w, mw, "keras_version", m->keras_version, 0);
    for (size_t i = 0; i < m->nlayers && w->rc == EF_OK; i++) {
        const ef_kw_layer *l = &m->layers[i];
        const char **wn = ef_xcalloc((size_t)l->nvars + 1, sizeof *wn);
        hid_t lg = H5Gcreate2(mw, l->name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);

        if (lg < 0)
            fail(w, "cannot create group for layer %s", l->name);
        for (int j = 0; j < l->nvars; j++)
            wn[j] = l->vars[j].name;
        if (lg >= 0) {
            put_names(w, lg, "weight_names", wn, (size_t)l->nvars);
            for (int j = 0; j < l->nvars; j++)
                put_var(w, lg, &l->vars[j]);
            H5Gclose(lg);
        }
        free(wn);
    }
    H5Gclose(mw);
    free(names);
}

int ef_keras_write(const char *path, const ef_kw_model *m, unsigned flags, ef_error *err)
{
    kw w = { .flags = flags, .path = path, .err = err, .rc = EF_OK };
    char *tmp = ef_xasprintf("%s.tmp-%ld", path, (long)getpid());
    hid_t fapl;

    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);     /* the library never prints */
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* h5py's default: superblock 0, readable by any HDF5 1.8+ and h5wasm. */
    H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    w.gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(w.gcpl, 0);
    w.dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(w.dcpl, 0);
    H5Pset_layout(w.dcpl, H5D_CONTIGUOUS);
    w.file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (w.file < 0) {
        fail(&w, "cannot create %s", tmp);
    } else {
        write_model(&w, m);
        if (H5Fclose(w.file) < 0)
            fail(&w, "cannot close %s", tmp);
    }
    H5Pclose(w.dcpl);
    H5Pclose(w.gcpl);
    H5Pclose(fapl);
    if (w.rc == EF_OK && rename(tmp, path) != 0)
        w.rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot rename %s into place: %s", tmp,
                               strerror(errno));
    if (w.rc != EF_OK)
        remove(tmp);
    free(tmp);
    return w.rc;
}
