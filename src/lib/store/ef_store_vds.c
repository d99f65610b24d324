/* ef_store_vds.c — see ef_store_vds.h.  Built into libecgfit_h5.a.
 *
 * ef_store keeps its HDF5 file id private; this file gets it, and the HDF5
 * helpers the store shares, through ef_h5.h. */
#include "config.h"
#include "store/ef_store_vds.h"
#include "store/ef_h5.h"
#include "core/ef_alloc.h"

#include <hdf5.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The open file id of s, or a negative value (with err set). */
static hid_t file_of(ef_store *s, int writing, ef_error *err)
{
    ef_h5_quiet();
    if (writing && !ef_store_writable(s)) {
        ef_error_set_at(err, EF_EINVAL, ef_store_path(s), 0, 0,
                        "store is open read-only (use ef_store_begin to update it)");
        return H5I_INVALID_HID;
    }
    return ef_store_file_id(s);
}

static int h5fail(const char *file, ef_error *err, int code, const char *what, const char *obj)
{
    H5Eclear2(H5E_DEFAULT);
    return ef_error_set_at(err, code, file, 0, 0, "%s: %s", obj, what);
}

static char *norm(const char *obj)
{
    return obj[0] == '/' ? ef_xstrdup(obj) : ef_xasprintf("/%s", obj);
}

/* Make p's parent groups and remove whatever is at p. */
static int prepare(ef_store *s, const char *p, ef_error *err)
{
    char *parent = ef_xstrdup(p), *slash = strrchr(parent, '/');
    int rc = EF_OK;

    if (slash && slash != parent) {
        *slash = '\0';
        rc = ef_store_mkgroup(s, parent, err);
    }
    free(parent);
    if (rc == EF_OK)
        rc = ef_store_delete(s, p, err);
    return rc;
}

/* Create float32 dataset p of space with dcpl, and close it; what names a
 * failure. */
static int create_f32(ef_store *s, hid_t f, const char *p, hid_t space, hid_t dcpl, const char *what,
                      ef_error *err)
{
    hid_t d = H5Dcreate2(f, p, H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);

    if (d < 0)
        return h5fail(ef_store_path(s), err, EF_EIO, what, p);
    H5Dclose(d);
    return EF_OK;
}

/* ------------------------------------------------------ growing tensors */

int ef_store_create_f32_ext(ef_store *s, const char *path, int rank, const uint64_t *row_dims,
                            uint64_t chunk_rows, int deflate_level, ef_error *err)
{
    hid_t f = file_of(s, 1, err), space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    hsize_t dims[H5S_MAX_RANK], maxd[H5S_MAX_RANK], chunk[H5S_MAX_RANK];
    const float nan = NAN;
    char *p;
    int rc, i;

    if (f < 0)
        return err ? err->code : EF_EINVAL;
    if (rank < 1 || rank > H5S_MAX_RANK || deflate_level < 0 || deflate_level > 9)
        return ef_error_set_at(err, EF_EINVAL, ef_store_path(s), 0, 0,
                               "%s: bad rank %d or deflate level %d", path, rank, deflate_level);
    p = norm(path);
    if ((rc = prepare(s, p, err)) != EF_OK)
        goto out;
    dims[0] = 0;
    maxd[0] = H5S_UNLIMITED;
    chunk[0] = chunk_rows ? chunk_rows : 1;
    for (i = 1; i < rank; i++)
        dims[i] = maxd[i] = chunk[i] = row_dims[i - 1];
    dcpl = ef_h5_dcpl();
    H5Pset_fill_value(dcpl, H5T_NATIVE_FLOAT, &nan);
    H5Pset_chunk(dcpl, rank, chunk);
    ef_h5_deflate(dcpl, deflate_level);
    space = H5Screate_simple(rank, dims, maxd);
    rc = create_f32(s, f, p, space, dcpl, "cannot create dataset", err);
out:
    ef_h5_release(p, space, dcpl, H5I_INVALID_HID);
    return rc;
}

int ef_store_append_f32_rows(ef_store *s, const char *path, uint64_t nrows, const float *v,
                             ef_error *err)
{
    hid_t f = file_of(s, 1, err), d, fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK], count[H5S_MAX_RANK];
    char *p;
    int rank, i, rc = EF_OK;

    if (f < 0)
        return err ? err->code : EF_EINVAL;
    if (nrows == 0)
        return EF_OK;
    p = norm(path);
    d = H5Dopen2(f, p, H5P_DEFAULT);
    if (d < 0) {
        rc = h5fail(ef_store_path(s), err, EF_ENOTFOUND, "no such dataset", p);
        free(p);
        return rc;
    }
    fs = H5Dget_space(d);
    rank = H5Sget_simple_extent_ndims(fs);
    H5Sget_simple_extent_dims(fs, dims, NULL);
    H5Sclose(fs);
    fs = H5I_INVALID_HID;
    for (i = 0; i < rank; i++) {
        start[i] = i == 0 ? dims[0] : 0;
        count[i] = i == 0 ? nrows : dims[i];
    }
    dims[0] += nrows;
    if (H5Dset_extent(d, dims) < 0) {
        rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot extend dataset", p);
        goto out;
    }
    fs = H5Dget_space(d);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    ms = H5Screate_simple(rank, count, NULL);
    if (H5Dwrite(d, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, v) < 0)
        rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot write rows", p);
out:
    ef_h5_release(p, ms, fs, d);
    return rc;
}

/* ------------------------------------------------------ 1-D columns */

static int write_1d(ef_store *s, const char *path, hid_t ftype, hid_t mtype, const void *v,
                    size_t n, ef_error *err)
{
    hid_t f = file_of(s, 1, err), space, dcpl, d;
    hsize_t dims[1] = { n };
    char *p;
    int rc;

    if (f < 0)
        return err ? err->code : EF_EINVAL;
    p = norm(path);
    if ((rc = prepare(s, p, err)) != EF_OK) {
        free(p);
        return rc;
    }
    space = H5Screate_simple(1, dims, NULL);
    dcpl = ef_h5_dcpl();
    d = H5Dcreate2(f, p, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0)
        rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot create dataset", p);
    else if (n > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot write dataset", p);
    if (d >= 0)
        H5Dclose(d);
    if (rc != EF_OK && d >= 0)
        H5Ldelete(f, p, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Eclear2(H5E_DEFAULT);
    free(p);
    return rc;
}

/* Open 1-D dataset path of type class cls; *n its length. */
static int open_1d(ef_store *s, const char *path, H5T_class_t cls, hid_t *d, size_t *n,
                   ef_error *err)
{
    hid_t f = file_of(s, 0, err), ft, space;
    hsize_t dims[1];
    char *p;
    int rc = EF_OK;

    if (f < 0)
        return err ? err->code : EF_EINVAL;
    if (!ef_store_exists(s, path))
        return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0, "%s: no such dataset", path);
    p = norm(path);
    *d = H5Dopen2(f, p, H5P_DEFAULT);
    if (*d < 0) {
        rc = h5fail(ef_store_path(s), err, EF_EDATA, "not a dataset", p);
        free(p);
        return rc;
    }
    ft = H5Dget_type(*d);
    space = H5Dget_space(*d);
    if (H5Tget_class(ft) != cls || H5Sget_simple_extent_ndims(space) != 1)
        rc = ef_error_set_at(err, EF_EDATA, ef_store_path(s), 0, 0, "%s: not a 1-D %s dataset", p,
                             cls == H5T_STRING ? "string" : "integer");
    else {
        H5Sget_simple_extent_dims(space, dims, NULL);
        *n = (size_t)dims[0];
    }
    H5Tclose(ft);
    H5Sclose(space);
    if (rc != EF_OK)
        H5Dclose(*d);
    H5Eclear2(H5E_DEFAULT);
    free(p);
    return rc;
}

int ef_store_write_u32(ef_store *s, const char *path, const uint32_t *v, size_t n, ef_error *err)
{
    return write_1d(s, path, H5T_STD_U32LE, H5T_NATIVE_UINT32, v, n, err);
}

int ef_store_read_u32(ef_store *s, const char *path, uint32_t **v, size_t *n, ef_error *err)
{
    hid_t d;
    int rc;

    *v = NULL;
    *n = 0;
    if ((rc = open_1d(s, path, H5T_INTEGER, &d, n, err)) != EF_OK)
        return rc;
    *v = ef_xcalloc(*n ? *n : 1, sizeof **v);
    if (*n && H5Dread(d, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, *v) < 0) {
        rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot read", path);
        free(*v);
        *v = NULL;
        *n = 0;
    }
    H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

int ef_store_write_strs(ef_store *s, const char *path, const char *const *v, size_t n,
                        ef_error *err)
{
    hid_t t = ef_h5_vlen_utf8();
    const char **copy = ef_xcalloc(n ? n : 1, sizeof *copy);
    size_t i;
    int rc;

    for (i = 0; i < n; i++)
        copy[i] = v[i] ? v[i] : "";
    rc = write_1d(s, path, t, t, copy, n, err);
    free(copy);
    H5Tclose(t);
    return rc;
}

int ef_store_read_strs(ef_store *s, const char *path, char ***v, size_t *n, ef_error *err)
{
    hid_t d, t;
    char **raw;
    size_t i;
    int rc;

    *v = NULL;
    *n = 0;
    if ((rc = open_1d(s, path, H5T_STRING, &d, n, err)) != EF_OK)
        return rc;
    if (*n == 0) {
        H5Dclose(d);
        return EF_OK;
    }
    t = ef_h5_vlen_utf8();
    raw = ef_xcalloc(*n, sizeof *raw);
    if (H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
        rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot read (not variable-length strings?)", path);
        *n = 0;
    } else {
        hid_t space = H5Dget_space(d);

        *v = ef_xcalloc(*n, sizeof **v);
        for (i = 0; i < *n; i++)
            (*v)[i] = ef_xstrdup(raw[i] ? raw[i] : "");
        H5Dvlen_reclaim(t, space, H5P_DEFAULT, raw);
        H5Sclose(space);
    }
    free(raw);
    H5Tclose(t);
    H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

/* ------------------------------------------------------ virtual datasets */

int ef_store_write_vds_f32(ef_store *s, const char *path, int rank, const uint64_t *dims,
                           const ef_store_vds_src *src, size_t nsrc, ef_error *err)
{
    hid_t f = file_of(s, 1, err), vspace = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    hsize_t vd[H5S_MAX_RANK], sd[H5S_MAX_RANK], start[H5S_MAX_RANK], count[H5S_MAX_RANK];
    const float nan = NAN;
    size_t k;
    char *p;
    int rc, i;

    if (f < 0)
        return err ? err->code : EF_EINVAL;
    if (rank < 1 || rank > H5S_MAX_RANK)
        return ef_error_set_at(err, EF_EINVAL, ef_store_path(s), 0, 0, "%s: bad rank %d", path, rank);
    p = norm(path);
    if ((rc = prepare(s, p, err)) != EF_OK)
        goto out;
    for (i = 0; i < rank; i++)
        vd[i] = dims[i];
    vspace = H5Screate_simple(rank, vd, NULL);
    dcpl = ef_h5_dcpl();
    H5Pset_fill_value(dcpl, H5T_NATIVE_FLOAT, &nan);
    for (k = 0; k < nsrc && rc == EF_OK; k++) {
        const ef_store_vds_src *m = &src[k];
        hid_t sspace;

        if (m->dst_row + m->nrows > dims[0] || m->src_row + m->nrows > m->src_rows || m->nrows == 0) {
            rc = ef_error_set_at(err, EF_EINVAL, ef_store_path(s), 0, 0,
                                 "%s: mapping %zu (%s) out of range", p, k, m->file);
            break;
        }
        for (i = 0; i < rank; i++) {
            sd[i] = i == 0 ? m->src_rows : vd[i];
            start[i] = 0;
            count[i] = i == 0 ? m->nrows : vd[i];
        }
        sspace = H5Screate_simple(rank, sd, NULL);
        start[0] = m->src_row;
        H5Sselect_hyperslab(sspace, H5S_SELECT_SET, start, NULL, count, NULL);
        start[0] = m->dst_row;
        H5Sselect_hyperslab(vspace, H5S_SELECT_SET, start, NULL, count, NULL);
        if (H5Pset_virtual(dcpl, vspace, m->file, m->dset, sspace) < 0)
            rc = h5fail(ef_store_path(s), err, EF_EIO, "cannot map a virtual dataset source", p);
        H5Sclose(sspace);
    }
    if (rc != EF_OK)
        goto out;
    H5Sselect_all(vspace);
    rc = create_f32(s, f, p, vspace, dcpl, "cannot create virtual dataset", err);
out:
    ef_h5_release(p, vspace, dcpl, H5I_INVALID_HID);
    return rc;
}
