/* ef_store.c — the HDF5 project store (see ef_store.h).
 *
 * Built into libecgfit_h5.a, whose translation units alone see hdf5.h and
 * HDF5's compiler flags.
 *
 * Every public function opens the HDF5 objects it needs and closes them
 * before returning: no object handle outlives a call, so closing the file
 * always really closes it (which commit relies on before it renames). */
#include "config.h"
#include "store/ef_store.h"
#include "store/ef_store_lock.h"
#include "core/ef_alloc.h"
#include "core/ef_pool.h"

#include <hdf5.h>
#include "store/ef_h5.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <zlib.h>

struct ef_store {
    hid_t file;
    char *path;   /* the store as the caller named it */
    char *tmp;    /* the private copy being updated; NULL for read handles */
    int compact;  /* tmp may hold dead space (something deleted or replaced):
                   * commit rewrites it compactly */
    ef_store_lock *lock;   /* the update lock; NULL for read handles */
    struct pre_col *pre;   /* columns compressed ahead (ef_store_deflate_ahead_f64) */
    size_t npre;
    /* the commit under way (ef_store_commit_step) */
    int cphase;
    hid_t cdst;            /* the compacted copy, while it is written */
    char *cfresh;          /* its name */
    hsize_t cidx;          /* the next root link to copy */
    unsigned corder;       /* the store's link creation order flags */
    uint64_t cgen;         /* the generation the commit publishes */
};

/* One column's chunks, shuffled and deflated as HDF5's filters would. */
typedef struct pre_col {
    const void *v;          /* the caller's data: the key write_dataset looks for */
    size_t nel;
    size_t nchunks;
    unsigned char **buf;
    size_t *len;
} pre_col;

/* Datasets smaller than this are stored contiguous and uncompressed: for
 * them chunk indexes cost more than compression saves. */
#define CHUNK_MIN_BYTES (64u * 1024u)
/* Target chunk size: fits HDF5's default 1 MiB chunk cache. */
#define CHUNK_BYTES (1024u * 1024u)
/* Shuffle + deflate 4 stores typical label columns in ~38% of their size,
 * at ~60 MB/s of input; level 1 is 1.6x faster and 6% bigger. */
#define DEFLATE_LEVEL 4

/* ---------------------------------------------------------------- errors */

static void h5_quiet(void)
{
    ef_h5_quiet();
}

void ef_h5_quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

struct detail { char *buf; size_t size; };

static herr_t detail_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    struct detail *d = data;

    /* Walking upward, entry 0 is where HDF5 detected the problem: its
     * description is the specific one ("file signature not found"). */
    if (n == 0 && e->desc && e->desc[0])
        snprintf(d->buf, d->size, "%s", e->desc);
    return 0;
}

int ef_h5_failv(ef_error *err, int code, const char *file, const char *fmt, va_list ap)
{
    char msg[EF_ERROR_MSG_MAX], h5[512] = "";
    struct detail d = { h5, sizeof h5 };

    vsnprintf(msg, sizeof msg, fmt, ap);
    if (H5Eget_num(H5E_DEFAULT) > 0)
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, detail_cb, &d);
    H5Eclear2(H5E_DEFAULT);
    if (h5[0])
        return ef_error_set_at(err, code, file ? file : "", 0, 0, "%s (HDF5: %s)", msg, h5);
    return ef_error_set_at(err, code, file ? file : "", 0, 0, "%s", msg);
}

hid_t ef_store_file_id(const ef_store *s)
{
    return s->file;
}

/* ------------------------------------------------- shared HDF5 helpers */

void ef_h5_close(hid_t id)
{
    if (id < 0)
        return;
    switch (H5Iget_type(id)) {
    case H5I_DATASET: H5Dclose(id); break;
    case H5I_DATASPACE: H5Sclose(id); break;
    case H5I_DATATYPE: H5Tclose(id); break;
    case H5I_ATTR: H5Aclose(id); break;
    case H5I_GENPROP_LST: H5Pclose(id); break;
    case H5I_GROUP: H5Gclose(id); break;
    default: H5Oclose(id); break;
    }
}

hid_t ef_h5_vlen_utf8(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);

    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

hid_t ef_h5_dcpl(void)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);

    H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    return dcpl;
}

void ef_h5_deflate(hid_t dcpl, int level)
{
    if (level > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, (unsigned)level);
    }
}

/* Record an error about the store, naming the store file (see ef_h5_failv). */
static int fail(const ef_store *s, const char *file, ef_error *err, int code, const char *fmt,
                ...) EF_PRINTF(5, 6);

static int fail(const ef_store *s, const char *file, ef_error *err, int code, const char *fmt,
                ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = ef_h5_failv(err, code, file ? file : s ? s->path : "", fmt, ap);
    va_end(ap);
    return rc;
}

/* ---------------------------------------------------------------- paths */

/* "/a/b" from "a/b", "/a/b/", "//a//b": a new string, "/" for the root. */
static char *norm_path(const char *obj)
{
    size_t len = obj ? strlen(obj) : 0, i, o = 0;
    char *p = ef_xmalloc(len + 2);

    p[o++] = '/';
    for (i = 0; i < len; i++) {
        if (obj[i] == '/' && p[o - 1] == '/')
            continue;
        p[o++] = obj[i];
    }
    if (o > 1 && p[o - 1] == '/')
        o--;
    p[o] = '\0';
    return p;
}

void ef_h5_release(char *p, hid_t a, hid_t b, hid_t c)
{
    ef_h5_close(a);
    ef_h5_close(b);
    ef_h5_close(c);
    H5Eclear2(H5E_DEFAULT);
    free(p);
}

static int is_root(const char *p)
{
    return p[0] == '/' && p[1] == '\0';
}

/* 1 if the normalised path p names an object.  H5Lexists fails rather than
 * answering "no" when an intermediate group is absent, so walk the prefixes. */
static int path_exists(hid_t file, const char *p)
{
    char *buf;
    size_t i;
    int ok = 1;

    if (is_root(p))
        return 1;
    buf = ef_xstrdup(p);
    for (i = 1; ok && buf[i]; i++) {
        if (buf[i] != '/')
            continue;
        buf[i] = '\0';
        ok = H5Lexists(file, buf, H5P_DEFAULT) > 0;
        buf[i] = '/';
    }
    if (ok)
        ok = H5Lexists(file, buf, H5P_DEFAULT) > 0 && H5Oexists_by_name(file, buf, H5P_DEFAULT) > 0;
    free(buf);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

/* The kind of object at the normalised path p (H5I_GROUP, H5I_DATASET,
 * ...), or H5I_BADID when there is none.  (Opening the object is portable
 * across HDF5 1.10 and 1.12+, whose H5Oget_info signatures differ.) */
static H5I_type_t object_type(hid_t file, const char *p)
{
    H5I_type_t t = H5I_BADID;
    hid_t o;

    if (!path_exists(file, p))
        return H5I_BADID;
    o = H5Oopen(file, p, H5P_DEFAULT);
    if (o >= 0) {
        t = H5Iget_type(o);
        H5Oclose(o);
    }
    H5Eclear2(H5E_DEFAULT);
    return t;
}

/* ------------------------------------------------------ property lists */

static hid_t make_fapl(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);

    /* Closing the file id closes the file even if an object leaked. */
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    /* Oldest on-disk format that supports what we use: any h5py reads it. */
    H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST);
#if H5_VERSION_GE(1, 10, 7)
    /* Lustre and NFS mounts without flock() would make every open fail;
     * updates go to a private copy anyway, so locking is only a courtesy. */
    H5Pset_file_locking(fapl, 1, 1);
#endif
    return fapl;
}

/* Groups list their members in the order they were written. */
static hid_t make_gcpl(void)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);

    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    return gcpl;
}

static hid_t make_fcpl(void)
{
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);

    H5Pset_userblock(fcpl, 0);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    return fcpl;
}

/* ------------------------------------------------------- open / close */

static ef_store *store_new(const char *path)
{
    ef_store *s = ef_xcalloc(1, sizeof *s);

    s->file = H5I_INVALID_HID;
    s->cdst = H5I_INVALID_HID;
    s->path = ef_xstrdup(path);
    return s;
}

static void pre_free(pre_col *c)
{
    for (size_t i = 0; i < c->nchunks; i++)
        free(c->buf[i]);
    free(c->buf);
    free(c->len);
    c->v = NULL;
    c->nchunks = 0;
    c->buf = NULL;
    c->len = NULL;
}

static void store_free(ef_store *s)
{
    if (!s)
        return;
    if (s->file >= 0)
        H5Fclose(s->file);
    H5Eclear2(H5E_DEFAULT);
    /* Last: the temporary file is gone (renamed or removed) by now, so a
     * temporary file whose store is not locked is always a stale one. */
    ef_store_lock_release(s->lock);
    for (size_t i = 0; i < s->npre; i++)
        pre_free(&s->pre[i]);
    free(s->pre);
    free(s->path);
    free(s->tmp);
    free(s);
}

/* EF_ENOTFOUND / EF_EIO with a clear message unless path is a readable
 * HDF5 file. */
static int check_hdf5_file(const char *path, ef_error *err)
{
    struct stat st;
    htri_t is;
    int fd;

    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return ef_error_set_at(err, EF_ENOTFOUND, path, 0, 0, "no such store file");
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "%s", strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "not a regular file");
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    close(fd);
    is = H5Fis_hdf5(path);
    if (is <= 0)
        return fail(NULL, path, err, EF_EIO, "not an HDF5 file (is it an ecgfit store?)");
    return EF_OK;
}

int ef_store_open_read(ef_store **out, const char *path, ef_error *err)
{
    ef_store *s;
    hid_t fapl;
    int rc;

    *out = NULL;
    h5_quiet();
    if ((rc = check_hdf5_file(path, err)) != EF_OK)
        return rc;
    s = store_new(path);
    fapl = make_fapl();
    s->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (s->file < 0) {
        rc = fail(s, NULL, err, EF_EIO, "cannot open the store");
        H5Pclose(fapl);
        store_free(s);
        return rc;
    }
    H5Pclose(fapl);
    *out = s;
    return EF_OK;
}

/* Copy src to the open descriptor dst; copy_file_range lets the kernel (or
 * an NFS server, or a reflinking file system) do it without a user copy. */
static int copy_into(const char *src, int dst, const char *dstname, ef_error *err)
{
    char *buf = NULL;
    ssize_t r;
    int in = open(src, O_RDONLY), rc = EF_OK, use_cfr = 1;

    if (in < 0)
        return ef_error_set_at(err, EF_EIO, src, 0, 0, "cannot open: %s", strerror(errno));
    for (;;) {
        if (use_cfr) {
            r = copy_file_range(in, NULL, dst, NULL, (size_t)1 << 30, 0);
            if (r < 0 && (errno == ENOSYS || errno == EXDEV || errno == EINVAL ||
                          errno == EOPNOTSUPP || errno == EPERM)) {
                use_cfr = 0;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                rc = ef_error_set_at(err, EF_EIO, dstname, 0, 0, "copying %s: %s", src,
                                     strerror(errno));
                break;
            }
            if (r == 0)
                break;
            continue;
        }
        if (!buf)
            buf = ef_xmalloc(CHUNK_BYTES);
        r = read(in, buf, CHUNK_BYTES);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = ef_error_set_at(err, EF_EIO, src, 0, 0, "read: %s", strerror(errno));
            break;
        }
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(dst, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                rc = ef_error_set_at(err, EF_EIO, dstname, 0, 0, "write: %s", strerror(errno));
                break;
            }
            off += w;
        }
        if (rc != EF_OK)
            break;
    }
    free(buf);
    close(in);
    return rc;
}

/* Reserve a fresh temporary name next to path: "<path>.tmp-<pid>", with a
 * counter suffix if this process already has an update of path going. */
static int reserve_tmp(const char *path, mode_t mode, char **tmp, int *fd, ef_error *err)
{
    for (int k = 1; k < 1000; k++) {
        char *name = k == 1 ? ef_xasprintf("%s.tmp-%ld", path, (long)getpid())
                            : ef_xasprintf("%s.tmp-%ld-%d", path, (long)getpid(), k);
        int f = open(name, O_WRONLY | O_CREAT | O_EXCL, mode);

        if (f >= 0) {
            *tmp = name;
            *fd = f;
            return EF_OK;
        }
        if (errno != EEXIST) {
            int rc = ef_error_set_at(err, EF_EIO, name, 0, 0, "cannot create: %s",
                                     strerror(errno));
            free(name);
            return rc;
        }
        free(name);
    }
    return ef_error_set_at(err, EF_EIO, path, 0, 0, "too many temporary files next to the store");
}

int ef_store_begin(ef_store **out, const char *path, ef_error *err)
{
    struct stat st;
    ef_store *s;
    ef_store_lock *lock;
    hid_t fapl, fcpl;
    int rc, fd = -1, exists;

    *out = NULL;
    /* Lock before copying: the copy must be of the latest commit.  (No
     * HDF5 call before: the thread may wait here while another uses it.) */
    if ((rc = ef_store_lock_acquire(&lock, path, EF_STORE_LOCK_UPDATE, err)) != EF_OK)
        return rc;
    h5_quiet();
    exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        rc = ef_error_set_at(err, EF_EIO, path, 0, 0, "%s", strerror(errno));
        ef_store_lock_release(lock);
        return rc;
    }
    if (exists && (rc = check_hdf5_file(path, err)) != EF_OK) {
        ef_store_lock_release(lock);
        return rc;
    }
    s = store_new(path);
    s->lock = lock;
    rc = reserve_tmp(path, exists ? (st.st_mode & 0777) : 0666, &s->tmp, &fd, err);
    if (rc != EF_OK) {
        store_free(s);
        return rc;
    }
    if (exists)
        rc = copy_into(path, fd, s->tmp, err);
    /* Rewritten at the commit only if the update deletes or replaces
     * something: an existing store was left compact by its last commit */
    s->compact = 0;
    if (close(fd) != 0 && rc == EF_OK)
        rc = ef_error_set_at(err, EF_EIO, s->tmp, 0, 0, "close: %s", strerror(errno));
    if (rc != EF_OK) {
        ef_store_abort(s);
        return rc;
    }
    fapl = make_fapl();
    if (exists) {
        s->file = H5Fopen(s->tmp, H5F_ACC_RDWR, fapl);
    } else {
        fcpl = make_fcpl();
        s->file = H5Fcreate(s->tmp, H5F_ACC_TRUNC, fcpl, fapl);
        H5Pclose(fcpl);
    }
    H5Pclose(fapl);
    if (s->file < 0) {
        rc = fail(s, s->tmp, err, EF_EIO, "cannot %s the temporary store",
                  exists ? "open" : "create");
        ef_store_abort(s);
        return rc;
    }
    *out = s;
    return EF_OK;
}

/* Start writing what the update has put in the page cache so far, without
 * waiting for it, so that the commit's fsync waits only for the tail.  A
 * part of 300 full-size ECGs is 56 MB: its fsync took 15 ms after the last
 * ECG, a tenth of a two-job preprocess; started while the workers run, the
 * writeback leaves the fsync 0.3 ms.  Linux only, and only with HDF5's
 * default (sec2) driver, whose handle is the file descriptor. */
int ef_store_writeback(ef_store *s)
{
    int started = 0;
#ifdef HAVE_SYNC_FILE_RANGE
    void *handle = NULL;
    hid_t fapl;

    if (!s || !s->tmp || s->file < 0)
        return 0;
    fapl = H5Fget_access_plist(s->file);
    if (fapl < 0)
        return 0;
    if (H5Pget_driver(fapl) == H5FD_SEC2 && H5Fget_vfd_handle(s->file, fapl, &handle) >= 0 && handle)
        started = sync_file_range(*(int *)handle, 0, 0, SYNC_FILE_RANGE_WRITE) == 0;
    H5Pclose(fapl);
#else
    (void)s;
#endif
    return started;
}

static int fsync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY), rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return ef_xstrdup(".");
    if (slash == path)
        return ef_xstrdup("/");
    return ef_xstrndup(path, (size_t)(slash - path));
}

/* ------------------------------------------------------------ compaction */

/* Why commit rewrites the store instead of renaming the updated copy:
 * HDF5 reuses little of the space of deleted objects and never returns it,
 * so every re-run that replaces its groups left dead bytes behind (10
 * re-runs of labels took a 300-person store from 398 KB to 591 KB).
 * Persistent free-space tracking (H5Pset_file_space_strategy with persist)
 * was measured too: still +41% over the same re-runs, as most of the dead
 * space never reaches the free-space manager, and only for stores created
 * with it.  Copying the live objects into a fresh file keeps re-runs at the
 * same size and works on existing stores.  It costs ~13 ms a commit on that
 * store and ~0.3 s on one with 6,600 objects (500 extra /models groups):
 * the store holds labels, models and virtual datasets whose signal lives in
 * part files, and H5Ocopy moves chunks without recompressing them.  A store
 * is rewritten only if the update deleted or replaced something: an update
 * that only adds (a first `train` of a target, a new part file of signals)
 * leaves no dead objects, and on a store of embeddings the rewrite was most
 * of such an update's time (2 x 100-200 ms of a 16 MB store for a linear
 * `train`).  A number attribute set again is rewritten in place (the
 * commit's generation), not replaced. */

/* Copy attribute name of src onto dst, unless dst has it already (an object
 * reached through two links).  Read and written in the attribute's own
 * type: H5Aget_type returns it as a memory type, so variable-length strings
 * come back as pointers, reclaimed after the write. */
static herr_t copy_attr(hid_t src, const char *name, const H5A_info_t *info, void *data)
{
    hid_t dst = *(hid_t *)data, a, t, space, acpl, b = H5I_INVALID_HID;
    hssize_t np;
    size_t size;
    void *buf;
    herr_t r = -1;

    (void)info;
    if (H5Aexists(dst, name) > 0)
        return 0;
    if ((a = H5Aopen(src, name, H5P_DEFAULT)) < 0)
        return -1;
    t = H5Aget_type(a);
    space = H5Aget_space(a);
    acpl = H5Aget_create_plist(a);
    np = H5Sget_simple_extent_npoints(space);
    size = H5Tget_size(t);
    if (np >= 0 && size > 0) {
        buf = ef_xcalloc(np ? (size_t)np : 1, size);
        if (H5Aread(a, t, buf) >= 0) {
            b = H5Acreate2(dst, name, t, space, acpl, H5P_DEFAULT);
            r = b >= 0 && H5Awrite(b, t, buf) >= 0 ? 0 : -1;
#if H5_VERSION_GE(1, 12, 0)
            H5Treclaim(t, space, H5P_DEFAULT, buf);
#else
            H5Dvlen_reclaim(t, space, H5P_DEFAULT, buf);
#endif
        }
        free(buf);
    }
    ef_h5_close(b);
    ef_h5_release(NULL, acpl, space, t);
    H5Aclose(a);
    return r;
}

/* The number of attributes of the object at path, or -1. */
static long num_attrs(hid_t loc, const char *path)
{
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t oi;

    if (H5Oget_info_by_name3(loc, path, &oi, H5O_INFO_NUM_ATTRS, H5P_DEFAULT) < 0)
        return -1;
#else
    H5O_info_t oi;

    if (H5Oget_info_by_name2(loc, path, &oi, H5O_INFO_NUM_ATTRS, H5P_DEFAULT) < 0)
        return -1;
#endif
    return (long)oi.num_attrs;
}

/* Copy every attribute of object so to dobj, in creation order where so
 * tracks it (by name otherwise). */
static herr_t copy_obj_attrs(hid_t so, hid_t dobj)
{
    hsize_t idx = 0;
    herr_t r = H5Aiterate2(so, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, copy_attr, &dobj);

    if (r < 0) {   /* creation order not tracked (a file from another tool) */
        H5Eclear2(H5E_DEFAULT);
        idx = 0;
        r = H5Aiterate2(so, H5_INDEX_NAME, H5_ITER_INC, &idx, copy_attr, &dobj);
    }
    return r;
}

/* Copy every attribute of the object at path in src to the same path in
 * dst. */
static herr_t copy_attrs(hid_t src, const char *path, const H5L_info_t *info, void *data)
{
    hid_t dst = *(hid_t *)data, so, dobj;
    herr_t r = -1;

    if (info && info->type != H5L_TYPE_HARD)
        return 0;
    /* Most objects (model columns) have no attributes: skip opening them. */
    if (num_attrs(src, path) == 0)
        return 0;
    so = H5Oopen(src, path, H5P_DEFAULT);
    dobj = H5Oopen(dst, path, H5P_DEFAULT);
    if (so >= 0 && dobj >= 0)
        r = copy_obj_attrs(so, dobj);
    ef_h5_close(so);
    ef_h5_close(dobj);
    return r < 0 ? -1 : 0;
}

/* Recreate the root link name of src in dst: hard links by copying the
 * object and everything below it (virtual dataset mappings keep their
 * relative source paths; links inside groups stay links; object references,
 * which ecgfit does not write, would not survive), soft and external links
 * as themselves.  Attributes are left to copy_attrs: HDF5
 * before 1.14.4 crashes copying variable-length attributes held in dense
 * storage (more than 8 on an object), which ecgfit's groups have. */
static herr_t copy_root_link(hid_t src, const char *name, const H5L_info_t *info, void *data)
{
    hid_t dst = *(hid_t *)data, lcpl = H5Pcreate(H5P_LINK_CREATE), ocpl;
    herr_t r = -1;

    H5Pset_char_encoding(lcpl, info->cset);
    if (info->type == H5L_TYPE_HARD) {
        ocpl = H5Pcreate(H5P_OBJECT_COPY);
        H5Pset_copy_object(ocpl, H5O_COPY_WITHOUT_ATTR_FLAG);
        r = H5Ocopy(src, name, dst, name, ocpl, lcpl);
        H5Pclose(ocpl);
    } else if (info->type == H5L_TYPE_SOFT || info->type == H5L_TYPE_EXTERNAL) {
        size_t n = info->u.val_size;
        char *val = ef_xmalloc(n + 1);
        const char *file, *obj;
        unsigned flags;

        if (H5Lget_val(src, name, val, n, H5P_DEFAULT) >= 0) {
            val[n] = '\0';
            if (info->type == H5L_TYPE_SOFT)
                r = H5Lcreate_soft(val, dst, name, lcpl, H5P_DEFAULT);
            else if (H5Lunpack_elink_val(val, n, &flags, &file, &obj) >= 0)
                r = H5Lcreate_external(file, obj, dst, name, lcpl, H5P_DEFAULT);
        }
        free(val);
    }
    H5Pclose(lcpl);
    return r;
}

/* The commit, a bounded piece per ef_store_commit_step: the generation
 * and a flush; then, when the update may hold dead space, the live contents
 * copied into a fresh file next to the store (created with the same file
 * creation properties) one root object per step, then every object's
 * attributes; the close and fsync; the rename.  ef_store_commit runs the
 * same steps to the end. */
enum { CS_START, CS_COPY, CS_ATTRS, CS_SYNC, CS_RENAME };

/* Copy root link number idx of s->file (in the order the whole-file
 * iteration took them) into dst: 1 when copied, 0 when there is none, -1 on
 * failure. */
static int copy_root_link_at(ef_store *s, hsize_t idx, hid_t *dst)
{
    H5_index_t by = s->corder & H5P_CRT_ORDER_INDEXED ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    H5G_info_t gi;
    H5L_info_t li;
    ssize_t len;
    char *name;
    int r = -1;

    if (H5Gget_info(s->file, &gi) < 0)
        return -1;
    if (idx >= gi.nlinks)
        return 0;
    len = H5Lget_name_by_idx(s->file, ".", by, H5_ITER_INC, idx, NULL, 0, H5P_DEFAULT);
    if (len < 0)
        return -1;
    name = ef_xmalloc((size_t)len + 1);
    if (H5Lget_name_by_idx(s->file, ".", by, H5_ITER_INC, idx, name, (size_t)len + 1, H5P_DEFAULT) >= 0 &&
        H5Lget_info(s->file, name, &li, H5P_DEFAULT) >= 0)
        r = copy_root_link(s->file, name, &li, dst) < 0 ? -1 : 1;
    free(name);
    return r;
}

/* An error in the commit: nothing of it stays behind. */
static int commit_fail(ef_store *s, int rc)
{
    ef_store_abort(s);
    return rc;
}

static int commit_start(ef_store *s, ef_error *err)
{
    struct stat st;
    hid_t fcpl, fapl;
    uint64_t gen;
    double old;
    int rc, fd;

    /* The next generation; the lock file's count wins over the attribute
     * if the store was replaced by an older copy meanwhile. */
    gen = ef_store_lock_generation(s->lock);
    if (ef_store_get_attr_f64(s, "/", "generation", &old, NULL) == EF_OK && old > (double)gen &&
        old < 9007199254740992.0)
        gen = (uint64_t)old;
    s->cgen = ++gen;
    rc = ef_store_set_attr_f64(s, "/", "generation", (double)gen, err);
    if (rc == EF_OK && H5Fflush(s->file, H5F_SCOPE_GLOBAL) < 0)
        rc = fail(s, NULL, err, EF_EIO, "cannot flush the temporary store %s", s->tmp);
    if (rc != EF_OK || !s->compact) {
        s->cphase = CS_SYNC;
        return rc;
    }
    if (stat(s->tmp, &st) != 0)
        return ef_error_set_at(err, EF_EIO, s->tmp, 0, 0, "%s", strerror(errno));
    if ((rc = reserve_tmp(s->path, st.st_mode & 0777, &s->cfresh, &fd, err)) != EF_OK)
        return rc;
    close(fd);
    fcpl = H5Fget_create_plist(s->file);
    H5Pget_link_creation_order(fcpl, &s->corder);
    fapl = make_fapl();
    s->cdst = H5Fcreate(s->cfresh, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    if (s->cdst < 0)
        return fail(s, s->cfresh, err, EF_EIO, "cannot create the compacted store");
    s->cidx = 0;
    s->cphase = CS_COPY;
    return EF_OK;
}

int ef_store_commit_step(ef_store *s, ef_error *err)
{
    herr_t r;
    char *dir;
    int rc = EF_OK;

    if (!s)
        return ef_error_set(err, EF_EINVAL, "ef_store_commit: no store");
    h5_quiet();
    if (!s->tmp) {
        rc = ef_error_set_at(err, EF_EINVAL, s->path, 0, 0,
                             "store was opened for reading, not for an update");
        store_free(s);
        return rc;
    }
    switch (s->cphase) {
    case CS_START:
        rc = commit_start(s, err);
        break;
    case CS_COPY:   /* one root object (a group with all it holds) per step */
        /* Creation order where tracked, so the copy lists members alike. */
        r = copy_root_link_at(s, s->cidx++, &s->cdst);
        if (r < 0)
            rc = fail(s, s->cfresh, err, EF_EIO, "cannot copy the store into a compacted file");
        else if (r == 0)
            s->cphase = CS_ATTRS;
        break;
    case CS_ATTRS:
        if (copy_attrs(s->file, ".", NULL, &s->cdst) < 0 ||
            H5Lvisit(s->file, H5_INDEX_NAME, H5_ITER_INC, copy_attrs, &s->cdst) < 0)
            rc = fail(s, s->cfresh, err, EF_EIO, "cannot copy the store into a compacted file");
        if (H5Fclose(s->cdst) < 0 && rc == EF_OK)
            rc = fail(s, s->cfresh, err, EF_EIO, "cannot close the compacted store");
        s->cdst = H5I_INVALID_HID;
        s->cphase = CS_SYNC;
        break;
    case CS_SYNC:
        if (H5Fclose(s->file) < 0)
            rc = fail(s, NULL, err, EF_EIO, "cannot close the temporary store %s", s->tmp);
        s->file = H5I_INVALID_HID;
        if (s->cfresh) {
            /* The fresh copy is what gets renamed (or, on failure, removed). */
            unlink(s->tmp);
            free(s->tmp);
            s->tmp = s->cfresh;
            s->cfresh = NULL;
        }
        if (rc == EF_OK && fsync_path(s->tmp, 0) != 0)
            rc = ef_error_set_at(err, EF_EIO, s->tmp, 0, 0, "fsync: %s", strerror(errno));
        s->cphase = CS_RENAME;
        break;
    default:
        if (rename(s->tmp, s->path) != 0) {
            rc = ef_error_set_at(err, EF_EIO, s->path, 0, 0, "cannot replace the store with %s: %s",
                                 s->tmp, strerror(errno));
            break;
        }
        /* Make the rename itself durable; a failure here loses nothing. */
        dir = parent_dir(s->path);
        fsync_path(dir, 1);
        free(dir);
        /* Only now: a reader seeing the new generation finds the new store. */
        ef_store_lock_publish(s->lock, s->cgen);
        store_free(s);
        return EF_OK;
    }
    return rc == EF_OK ? EF_CONTINUE : commit_fail(s, rc);
}

int ef_store_commit(ef_store *s, ef_error *err)
{
    int rc;

    while ((rc = ef_store_commit_step(s, err)) == EF_CONTINUE)
        ;
    return rc;
}

void ef_store_abort(ef_store *s)
{
    if (!s)
        return;
    h5_quiet();
    if (s->cdst >= 0)   /* a commit stopped while it compacted */
        H5Fclose(s->cdst);
    if (s->cfresh) {
        unlink(s->cfresh);
        free(s->cfresh);
    }
    if (s->file >= 0)
        H5Fclose(s->file);
    s->file = H5I_INVALID_HID;
    if (s->tmp)
        unlink(s->tmp);
    store_free(s);
}

int ef_store_finish(ef_store *s, int rc, ef_error *err)
{
    if (rc == EF_OK)
        return ef_store_commit(s, err);
    ef_store_abort(s);
    return rc;
}

void ef_store_close(ef_store *s)
{
    if (!s)
        return;
    if (s->tmp) {
        ef_store_abort(s);
        return;
    }
    h5_quiet();
    store_free(s);
}

const char *ef_store_path(const ef_store *s)
{
    return s ? s->path : NULL;
}

int ef_store_writable(const ef_store *s)
{
    return s && s->tmp != NULL;
}

static int need_writable(const ef_store *s, ef_error *err)
{
    if (!s->tmp)
        return ef_error_set_at(err, EF_EINVAL, s->path, 0, 0,
                               "store is open read-only (use ef_store_begin to update it)");
    return EF_OK;
}

/* ---------------------------------------------------------- structure */

/* 1 if obj exists (and, with group, is a group). */
static int probe(ef_store *s, const char *obj, int group)
{
    char *p;
    int r;

    if (!s)
        return 0;
    h5_quiet();
    p = norm_path(obj);
    r = group ? object_type(s->file, p) == H5I_GROUP : path_exists(s->file, p);
    free(p);
    return r;
}

int ef_store_exists(ef_store *s, const char *obj)
{
    return probe(s, obj, 0);
}

int ef_store_is_group(ef_store *s, const char *obj)
{
    return probe(s, obj, 1);
}

/* Create the groups along p: all of them, or all but the last component
 * (the dataset about to be created) when parents_only. */
static int make_groups(ef_store *s, const char *p, int parents_only, ef_error *err)
{
    char *buf = ef_xstrdup(p);
    size_t len = strlen(buf), i;
    int rc = EF_OK;

    for (i = 1; i <= len && rc == EF_OK; i++) {
        H5I_type_t t;
        char saved = buf[i];

        if (saved != '/' && saved != '\0')
            continue;
        if (saved == '\0' && parents_only)
            break;
        buf[i] = '\0';
        if ((t = object_type(s->file, buf)) != H5I_BADID) {
            if (t != H5I_GROUP)
                rc = fail(s, NULL, err, EF_EDATA, "%s: exists and is not a group", buf);
        } else {
            hid_t gcpl = make_gcpl();
            hid_t g = H5Gcreate2(s->file, buf, H5P_DEFAULT, gcpl, H5P_DEFAULT);

            if (g < 0)
                rc = fail(s, NULL, err, EF_EIO, "%s: cannot create group", buf);
            else
                H5Gclose(g);
            H5Pclose(gcpl);
        }
        buf[i] = saved;
    }
    free(buf);
    return rc;
}

static int mkgroup_norm(ef_store *s, const char *p, ef_error *err)
{
    return is_root(p) ? EF_OK : make_groups(s, p, 0, err);
}

static int delete_norm(ef_store *s, const char *p, ef_error *err)
{
    if (is_root(p))
        return ef_error_set_at(err, EF_EINVAL, s->path, 0, 0, "cannot delete the root group");
    if (!path_exists(s->file, p))
        return EF_OK;
    if (H5Ldelete(s->file, p, H5P_DEFAULT) < 0)
        return fail(s, NULL, err, EF_EIO, "%s: cannot delete", p);
    s->compact = 1;
    return EF_OK;
}

/* Apply op to obj (normalised) of a store being updated. */
static int update(ef_store *s, const char *obj, int (*op)(ef_store *s, const char *p, ef_error *err),
                  ef_error *err)
{
    char *p;
    int rc;

    h5_quiet();
    if ((rc = need_writable(s, err)) != EF_OK)
        return rc;
    p = norm_path(obj);
    rc = op(s, p, err);
    free(p);
    return rc;
}

int ef_store_mkgroup(ef_store *s, const char *group, ef_error *err)
{
    return update(s, group, mkgroup_norm, err);
}

int ef_store_delete(ef_store *s, const char *obj, ef_error *err)
{
    return update(s, obj, delete_norm, err);
}

int ef_store_move(ef_store *s, const char *from, const char *to, ef_error *err)
{
    char *a, *b;
    int rc;

    h5_quiet();
    if ((rc = need_writable(s, err)) != EF_OK)
        return rc;
    a = norm_path(from);
    b = norm_path(to);
    if (!path_exists(s->file, a))
        rc = ef_error_set_at(err, EF_ENOTFOUND, s->path, 0, 0, "%s: no such object", a);
    else if (path_exists(s->file, b))
        rc = ef_error_set_at(err, EF_EINVAL, s->path, 0, 0, "%s: already exists", b);
    else if (H5Lmove(s->file, a, s->file, b, H5P_DEFAULT, H5P_DEFAULT) < 0)
        rc = fail(s, NULL, err, EF_EIO, "cannot move %s to %s", a, b);
    free(a);
    free(b);
    return rc;
}

/* ----------------------------------------------------------- datasets */

/* Create dataset path (replacing whatever is there) of file type ftype and
 * shape dims, chunked by chunk_rows whole rows (0: contiguous) and then
 * compressed at deflate (0: not), unwritten values reading as *fill (NULL:
 * HDF5's default).  *d is the new dataset, *p the normalised path. */
static int create_dataset(ef_store *s, const char *path, hid_t ftype, int rank, const hsize_t *dims,
                          hsize_t chunk_rows, int deflate, const float *fill, hid_t *d, char **p,
                          ef_error *err)
{
    hsize_t chunk[H5S_MAX_RANK];
    hid_t space, dcpl;
    int rc, i;

    *d = H5I_INVALID_HID;
    *p = norm_path(path);
    if (is_root(*p))
        return ef_error_set_at(err, EF_EINVAL, s->path, 0, 0, "cannot write a dataset at /");
    if ((rc = make_groups(s, *p, 1, err)) != EF_OK || (rc = delete_norm(s, *p, err)) != EF_OK)
        return rc;
    dcpl = ef_h5_dcpl();
    if (fill)
        H5Pset_fill_value(dcpl, H5T_NATIVE_FLOAT, fill);
    if (chunk_rows) {
        chunk[0] = chunk_rows;
        for (i = 1; i < rank; i++)
            chunk[i] = dims[i];
        H5Pset_chunk(dcpl, rank, chunk);
        ef_h5_deflate(dcpl, deflate);
    }
    space = H5Screate_simple(rank, dims, NULL);
    *d = H5Dcreate2(s->file, *p, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (*d < 0)   /* before any other HDF5 call clears its error stack */
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot create dataset", *p);
    H5Sclose(space);
    H5Pclose(dcpl);
    return rc;
}

/* ---- compressing ahead ------------------------------------------------
 *
 * HDF5 runs its filters on the thread that calls H5Dwrite, one chunk after
 * the other, and is not thread-safe; deflate is most of the time `labels`
 * spends writing.  So columns known in advance are shuffled and deflated
 * here, on worker threads, exactly as the dataset's filters would do it,
 * and write_dataset hands the finished chunks to H5Dwrite_chunk. */

/* Rows per chunk of a 1-D dataset of n 8-byte values (0: contiguous), as
 * write_dataset chooses them. */
static size_t chunk_rows_1d(size_t n)
{
    size_t rows;

    if (n * 8 < CHUNK_MIN_BYTES)
        return 0;
    rows = CHUNK_BYTES / 8;
    return rows > n ? n : rows;
}

/* A zlib stream like compress2's, with deflate's run-length strategy: on
 * shuffled float64 columns (byte planes: long runs in the sign and exponent
 * planes, near-noise in the low mantissa) it is ~2.5x faster than level 4
 * and smaller (labels' /participants: 12% against 14% of the raw bytes),
 * since LZ matches at other distances rarely pay there.  Any inflate reads
 * it; the dataset's filter keeps DEFLATE_LEVEL for what HDF5 itself writes. */
static int deflate_rle(unsigned char *dst, uLongf *dlen, const unsigned char *src, size_t n)
{
    z_stream z;
    int rc;

    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, DEFLATE_LEVEL, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK)
        return Z_MEM_ERROR;
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)*dlen;
    rc = deflate(&z, Z_FINISH);
    *dlen = z.total_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? Z_OK : Z_BUF_ERROR;
}

static void pre_compress(pre_col *c)
{
    size_t rows = chunk_rows_1d(c->nel), bytes = rows * 8, k;
    unsigned char *shuf = ef_xmalloc(bytes), *src = ef_xcalloc(bytes, 1);

    c->nchunks = (c->nel + rows - 1) / rows;
    c->buf = ef_xcalloc(c->nchunks, sizeof *c->buf);
    c->len = ef_xcalloc(c->nchunks, sizeof *c->len);
    for (k = 0; k < c->nchunks; k++) {
        size_t first = k * rows, m = c->nel - first < rows ? c->nel - first : rows, i, j;
        uLongf out = compressBound((uLong)bytes);

        /* the edge chunk is stored whole; its tail is never read */
        memcpy(src, (const unsigned char *)c->v + first * 8, m * 8);
        if (m < rows)
            memset(src + m * 8, 0, (rows - m) * 8);
        for (i = 0; i < rows; i++)             /* H5Z shuffle: byte j of value i -> j*rows+i */
            for (j = 0; j < 8; j++)
                shuf[j * rows + i] = src[i * 8 + j];
        c->buf[k] = ef_xmalloc(out);
        if (deflate_rle(c->buf[k], &out, shuf, bytes) != Z_OK) {
            pre_free(c);      /* write_dataset then filters as usual */
            break;
        }
        c->len[k] = out;
    }
    free(shuf);
    free(src);
}

typedef struct pre_job {
    pre_col *cols;
    size_t n;
    atomic_size_t next;    /* the next column a thread takes */
} pre_job;

static void pre_worker(void *arg)
{
    pre_job *j = arg;
    size_t i;

    while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
        pre_compress(&j->cols[i]);
}

void ef_store_deflate_ahead_f64(ef_store *s, const double *const *v, size_t n, size_t rows, ef_pool *pool,
                                int threads)
{
    pre_job job;
    size_t base = s->npre, i;

    if (!n || !chunk_rows_1d(rows) || H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 ||
        H5Zfilter_avail(H5Z_FILTER_SHUFFLE) <= 0)
        return;
    s->pre = ef_xreallocarray(s->pre, s->npre + n, sizeof *s->pre);
    memset(s->pre + base, 0, n * sizeof *s->pre);
    for (i = 0; i < n; i++) {
        s->pre[base + i].v = v[i];
        s->pre[base + i].nel = rows;
    }
    s->npre += n;
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    if ((size_t)threads > n)
        threads = (int)n;
    job.cols = s->pre + base;
    job.n = n;
    atomic_init(&job.next, 0);
    ef_pool_run(pool, threads, pre_worker, &job);
}

static pre_col *find_pre(ef_store *s, const void *v, size_t nel)
{
    for (size_t i = 0; i < s->npre; i++)
        if (s->pre[i].v == v && s->pre[i].nel == nel && s->pre[i].nchunks)
            return &s->pre[i];
    return NULL;
}

static herr_t write_pre(hid_t d, const pre_col *c)
{
    size_t rows = chunk_rows_1d(c->nel);

    for (size_t k = 0; k < c->nchunks; k++) {
        hsize_t off[1] = { (hsize_t)(k * rows) };

        if (H5Dwrite_chunk(d, H5P_DEFAULT, 0, off, c->len[k], c->buf[k]) < 0)
            return -1;
    }
    return 0;
}

/* Create dataset path as create_dataset does and write v (memory type
 * mtype) into it.  Small datasets stay contiguous; larger ones are chunked
 * by blocks of whole rows of about CHUNK_BYTES. */
static int write_dataset(ef_store *s, const char *path, hid_t ftype, hid_t mtype, const void *v,
                         int rank, const hsize_t *dims, size_t elsize, ef_error *err)
{
    hsize_t nel = 1, rowel = 1, rows = 0;
    pre_col *pre;
    hid_t d;
    char *p;
    int rc, i;

    h5_quiet();
    if ((rc = need_writable(s, err)) != EF_OK)
        return rc;
    for (i = 0; i < rank; i++) {
        nel *= dims[i];
        if (i > 0)
            rowel *= dims[i];
    }
    if (nel > 0 && !v)
        return ef_error_set_at(err, EF_EINVAL, s->path, 0, 0, "%s: no data to write", path);
    if (nel * elsize >= CHUNK_MIN_BYTES) {
        rows = CHUNK_BYTES / (rowel * elsize);
        rows = rows < 1 ? 1 : rows > dims[0] ? dims[0] : rows;
    }
    rc = create_dataset(s, path, ftype, rank, dims, rows, DEFLATE_LEVEL, NULL, &d, &p, err);
    pre = rows && rank == 1 && elsize == 8 ? find_pre(s, v, nel) : NULL;
    if (rc == EF_OK && pre && write_pre(d, pre) < 0)
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot write dataset", p);
    else if (rc == EF_OK && !pre && nel > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot write dataset", p);
    if (pre)
        pre_free(pre);
    ef_h5_close(d);
    if (rc != EF_OK && d >= 0)
        H5Ldelete(s->file, p, H5P_DEFAULT);   /* no half-written dataset */
    H5Eclear2(H5E_DEFAULT);
    free(p);
    return rc;
}

int ef_store_write_i64(ef_store *s, const char *path, const int64_t *v, size_t n, ef_error *err)
{
    hsize_t dims[1] = { n };

    return write_dataset(s, path, H5T_STD_I64LE, H5T_NATIVE_INT64, v, 1, dims, sizeof *v, err);
}

int ef_store_write_f64(ef_store *s, const char *path, const double *v, size_t n, ef_error *err)
{
    hsize_t dims[1] = { n };

    return write_dataset(s, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, 1, dims, sizeof *v, err);
}

int ef_store_write_f32_2d(ef_store *s, const char *path, const float *v, size_t rows,
                          size_t cols, ef_error *err)
{
    hsize_t dims[2] = { rows, cols };

    return write_dataset(s, path, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, v, 2, dims, sizeof *v, err);
}

/* Open dataset p: EF_ENOTFOUND naming it if absent, EF_EDATA if a group. */
static int open_dataset(ef_store *s, const char *p, hid_t *d, ef_error *err)
{
    H5I_type_t t = object_type(s->file, p);

    if (t == H5I_BADID)
        return ef_error_set_at(err, EF_ENOTFOUND, s->path, 0, 0, "%s: no such dataset", p);
    if (t != H5I_DATASET)
        return ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: is a group, not a dataset", p);
    *d = H5Dopen2(s->file, p, H5P_DEFAULT);
    if (*d < 0)
        return fail(s, NULL, err, EF_EIO, "%s: cannot open dataset", p);
    return EF_OK;
}

static const char *class_name(H5T_class_t c)
{
    switch (c) {
    case H5T_INTEGER: return "integer";
    case H5T_FLOAT: return "float";
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    case H5T_ENUM: return "enum";
    default: return "other";
    }
}

/* Read the whole dataset at path (of the given rank) converted to mtype into
 * a new array; int_only refuses float datasets (no silent truncation). */
static int read_dataset(ef_store *s, const char *path, hid_t mtype, int int_only, int rank,
                        void **v, hsize_t *dims, size_t elsize, ef_error *err)
{
    hid_t d = H5I_INVALID_HID, ft = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hsize_t nel = 1;
    H5T_class_t cls;
    char *p = norm_path(path);
    int rc, r, i;

    h5_quiet();
    *v = NULL;
    if ((rc = open_dataset(s, p, &d, err)) != EF_OK)
        goto out;
    ft = H5Dget_type(d);
    cls = H5Tget_class(ft);
    if (!(cls == H5T_INTEGER || (cls == H5T_FLOAT && !int_only))) {
        rc = ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: holds %s values, expected %s", p,
                             class_name(cls), int_only ? "integers" : "numbers");
        goto out;
    }
    space = H5Dget_space(d);
    r = H5Sget_simple_extent_ndims(space);
    if (r != rank) {
        rc = ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: has %d dimension%s, expected %d",
                             p, r, r == 1 ? "" : "s", rank);
        goto out;
    }
    H5Sget_simple_extent_dims(space, dims, NULL);
    for (i = 0; i < rank; i++)
        nel *= dims[i];
    *v = ef_xreallocarray(NULL, nel ? nel : 1, elsize);
    if (nel > 0 && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, *v) < 0) {
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot read dataset", p);
        free(*v);
        *v = NULL;
    }
out:
    ef_h5_release(p, space, ft, d);
    return rc;
}

int ef_store_read_i64(ef_store *s, const char *path, int64_t **v, size_t *n, ef_error *err)
{
    hsize_t dims[1] = { 0 };
    void *buf;
    int rc = read_dataset(s, path, H5T_NATIVE_INT64, 1, 1, &buf, dims, sizeof **v, err);

    *v = buf;
    *n = rc == EF_OK ? (size_t)dims[0] : 0;
    return rc;
}

int ef_store_read_f64(ef_store *s, const char *path, double **v, size_t *n, ef_error *err)
{
    hsize_t dims[1] = { 0 };
    void *buf;
    int rc = read_dataset(s, path, H5T_NATIVE_DOUBLE, 0, 1, &buf, dims, sizeof **v, err);

    *v = buf;
    *n = rc == EF_OK ? (size_t)dims[0] : 0;
    return rc;
}

/* ---- inflating on threads ------------------------------------------------
 *
 * The mirror of compressing ahead: HDF5 inflates the chunks of a read on
 * the calling thread, one after the other, and a Table 1 of the whole
 * cohort spends most of its time there.  So the stored chunks of float64
 * columns written with shuffle + deflate are fetched raw (H5Dread_chunk, no
 * filter) and inflated and unshuffled on worker threads.  Any other layout
 * is read the ordinary way. */

typedef struct raw_chunk {
    unsigned char *buf;
    size_t len;
    void *dst;              /* where its values go */
    size_t nval, rows;      /* values to keep; values per (whole) chunk */
    size_t esize;           /* bytes per value */
    int bad;
} raw_chunk;

typedef struct raw_job {
    raw_chunk *c;
    size_t n, first, step;
} raw_job;

typedef struct raw_run {
    raw_job *job;
    atomic_int next;
} raw_run;

static void *raw_worker(void *arg);

static void raw_run_fn(void *arg)
{
    raw_run *r = arg;

    raw_worker(&r->job[atomic_fetch_add(&r->next, 1)]);
}

static void *raw_worker(void *arg)
{
    raw_job *j = arg;
    unsigned char *tmp = NULL;
    size_t cap = 0;

    for (size_t i = j->first; i < j->n; i += j->step) {
        raw_chunk *c = &j->c[i];
        size_t es = c->esize;
        uLongf out = (uLongf)(c->rows * es);
        unsigned char *dst = (unsigned char *)c->dst;

        if (cap < c->rows * es) {
            free(tmp);
            cap = c->rows * es;
            tmp = ef_xmalloc(cap);
        }
        if (uncompress(tmp, &out, c->buf, (uLong)c->len) != Z_OK || out != c->rows * es) {
            c->bad = 1;
            continue;
        }
        for (size_t v = 0; v < c->nval; v++)   /* H5Z shuffle undone: byte b of value v at b*rows+v */
            for (size_t b = 0; b < es; b++)
                dst[v * es + b] = tmp[b * c->rows + v];
    }
    free(tmp);
    return NULL;
}

/* The rows per chunk when d is a 1-D little-endian float64 dataset stored
 * as shuffle then deflate chunks, else 0. */
static size_t raw_layout(hid_t d, hsize_t *n)
{
    hid_t ft = H5Dget_type(d), space = H5Dget_space(d), dcpl = H5Dget_create_plist(d);
    hsize_t chunk[1] = { 0 };
    size_t rows = 0;
    unsigned flags, cd[8];
    size_t ncd;

    if (ft >= 0 && space >= 0 && dcpl >= 0 && H5Tequal(ft, H5T_IEEE_F64LE) > 0 &&
        H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) > 0 && H5Sget_simple_extent_ndims(space) == 1 &&
        H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, 1, chunk) == 1 && H5Pget_nfilters(dcpl) == 2) {
        ncd = 8;
        if (H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, 0, NULL, NULL) == H5Z_FILTER_SHUFFLE) {
            ncd = 8;
            if (H5Pget_filter2(dcpl, 1, &flags, &ncd, cd, 0, NULL, NULL) == H5Z_FILTER_DEFLATE) {
                H5Sget_simple_extent_dims(space, n, NULL);
                rows = (size_t)chunk[0];
            }
        }
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    ef_h5_release(NULL, ft, space, H5I_INVALID_HID);
    return rows;
}

/* Inflate and unshuffle the chunks on up to threads threads of pool. */
static int raw_inflate(ef_store *s, raw_chunk *ch, size_t nch, ef_pool *pool, int threads, ef_error *err)
{
    raw_job job[64];
    raw_run run = { job, 0 };
    int t, rc = EF_OK;

    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    if ((size_t)threads > nch)
        threads = (int)nch;
    for (t = 0; t < threads; t++)
        job[t] = (raw_job){ ch, nch, (size_t)t, (size_t)threads };
    /* one stripe of the chunks per thread of the pool's run */
    ef_pool_run(pool, threads, raw_run_fn, &run);
    for (size_t k = 0; k < nch; k++)
        if (ch[k].bad && rc == EF_OK)
            rc = ef_error_set_at(err, EF_EIO, s->path, 0, 0, "a compressed chunk does not inflate");
    return rc;
}

int ef_store_read_f64_many(ef_store *s, const char *const *paths, size_t n, double **v, size_t *len,
                           struct ef_pool *pool, int threads, ef_error *err)
{
    raw_chunk *ch = NULL;
    size_t nch = 0, i, k;
    int rc = EF_OK;

    h5_quiet();
    for (i = 0; i < n; i++) {
        v[i] = NULL;
        len[i] = 0;
    }
    for (i = 0; rc == EF_OK && i < n; i++) {
        char *p = norm_path(paths[i]);
        hid_t d = H5I_INVALID_HID;
        hsize_t dims[1] = { 0 };
        size_t rows, first = nch;
        int raw = 0;

        if ((rc = open_dataset(s, p, &d, err)) != EF_OK) {
            free(p);
            break;
        }
        rows = raw_layout(d, dims);
        if (rows) {
            raw = 1;
            v[i] = ef_xmalloc((dims[0] ? dims[0] : 1) * sizeof **v);
            len[i] = (size_t)dims[0];
            for (k = 0; raw && k * rows < dims[0]; k++) {
                hsize_t off[1] = { (hsize_t)(k * rows) }, sz = 0;
                uint32_t mask = 0;
                raw_chunk *c;

                ch = ef_xreallocarray(ch, nch + 1, sizeof *ch);
                c = &ch[nch++];
                memset(c, 0, sizeof *c);
                if (H5Dget_chunk_storage_size(d, off, &sz) < 0 || sz == 0) {
                    raw = 0;   /* unallocated chunk (fill values): the ordinary way */
                    break;
                }
                c->buf = ef_xmalloc((size_t)sz);
                c->len = (size_t)sz;
                c->dst = v[i] + k * rows;
                c->rows = rows;
                c->esize = 8;
                c->nval = dims[0] - k * rows < rows ? (size_t)dims[0] - k * rows : rows;
                if (H5Dread_chunk(d, H5P_DEFAULT, off, &mask, c->buf) < 0 || mask != 0)
                    raw = 0;
            }
        }
        H5Dclose(d);
        if (!raw) {   /* drop this column's chunks, read it as usual */
            for (k = first; k < nch; k++)
                free(ch[k].buf);
            nch = first;
            free(v[i]);
            v[i] = NULL;
            rc = ef_store_read_f64(s, p, &v[i], &len[i], err);
        }
        free(p);
    }
    if (rc == EF_OK && nch)
        rc = raw_inflate(s, ch, nch, pool, threads, err);
    for (k = 0; k < nch; k++)
        free(ch[k].buf);
    free(ch);
    if (rc != EF_OK)
        for (i = 0; i < n; i++) {
            free(v[i]);
            v[i] = NULL;
            len[i] = 0;
        }
    return rc;
}

int ef_store_read_f32_2d(ef_store *s, const char *path, float **v, size_t *rows, size_t *cols,
                         ef_error *err)
{
    hsize_t dims[2] = { 0, 0 };
    void *buf;
    int rc = read_dataset(s, path, H5T_NATIVE_FLOAT, 0, 2, &buf, dims, sizeof **v, err);

    *v = buf;
    *rows = rc == EF_OK ? (size_t)dims[0] : 0;
    *cols = rc == EF_OK ? (size_t)dims[1] : 0;
    return rc;
}

/* The rows per chunk when d is a 2-D little-endian float32 dataset stored
 * as shuffle then deflate chunks of whole rows, else 0; dims its shape. */
static size_t raw_layout_f32_2d(hid_t d, hsize_t *dims)
{
    hid_t ft = H5Dget_type(d), space = H5Dget_space(d), dcpl = H5Dget_create_plist(d);
    hsize_t chunk[2] = { 0, 0 };
    size_t rows = 0;
    unsigned flags, cd[8];
    size_t ncd;

    if (ft >= 0 && space >= 0 && dcpl >= 0 && H5Tequal(ft, H5T_IEEE_F32LE) > 0 &&
        H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32LE) > 0 && H5Sget_simple_extent_ndims(space) == 2 &&
        H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, 2, chunk) == 2 && H5Pget_nfilters(dcpl) == 2) {
        H5Sget_simple_extent_dims(space, dims, NULL);
        ncd = 8;
        if (chunk[1] == dims[1] && chunk[0] > 0 &&
            H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, 0, NULL, NULL) == H5Z_FILTER_SHUFFLE) {
            ncd = 8;
            if (H5Pget_filter2(dcpl, 1, &flags, &ncd, cd, 0, NULL, NULL) == H5Z_FILTER_DEFLATE)
                rows = (size_t)chunk[0];
        }
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    ef_h5_release(NULL, ft, space, H5I_INVALID_HID);
    return rows;
}

int ef_store_read_f32_2d_pool(ef_store *s, const char *path, float **v, size_t *rows, size_t *cols,
                              struct ef_pool *pool, int threads, ef_error *err)
{
    char *p = norm_path(path);
    hid_t d = H5I_INVALID_HID;
    hsize_t dims[2] = { 0, 0 };
    raw_chunk *ch = NULL;
    size_t crows, nch = 0, k;
    float *out = NULL;
    int rc, raw = 0;

    h5_quiet();
    if ((rc = open_dataset(s, p, &d, err)) != EF_OK) {
        free(p);
        *v = NULL;
        *rows = *cols = 0;
        return rc;
    }
    crows = raw_layout_f32_2d(d, dims);
    if (crows && dims[0] > 0 && dims[1] > 0) {
        raw = 1;
        out = ef_xmalloc((size_t)dims[0] * (size_t)dims[1] * sizeof *out);
        nch = ((size_t)dims[0] + crows - 1) / crows;
        ch = ef_xcalloc(nch, sizeof *ch);
        for (k = 0; raw && k < nch; k++) {
            hsize_t off[2] = { (hsize_t)(k * crows), 0 }, sz = 0;
            uint32_t mask = 0;
            raw_chunk *c = &ch[k];

            if (H5Dget_chunk_storage_size(d, off, &sz) < 0 || sz == 0) {
                raw = 0;   /* unallocated chunk (fill values): the ordinary way */
                break;
            }
            c->buf = ef_xmalloc((size_t)sz);
            c->len = (size_t)sz;
            c->dst = out + k * crows * (size_t)dims[1];
            c->rows = crows * (size_t)dims[1];
            c->nval = ((size_t)dims[0] - k * crows < crows ? (size_t)dims[0] - k * crows : crows) * (size_t)dims[1];
            c->esize = 4;
            if (H5Dread_chunk(d, H5P_DEFAULT, off, &mask, c->buf) < 0 || mask != 0)
                raw = 0;
        }
    }
    H5Dclose(d);
    if (raw)
        rc = raw_inflate(s, ch, nch, pool, threads, err);
    for (k = 0; k < nch; k++)
        free(ch[k].buf);
    free(ch);
    free(p);
    if (!raw) {
        free(out);
        return ef_store_read_f32_2d(s, path, v, rows, cols, err);
    }
    if (rc != EF_OK) {
        free(out);
        out = NULL;
    }
    *v = out;
    *rows = rc == EF_OK ? (size_t)dims[0] : 0;
    *cols = rc == EF_OK ? (size_t)dims[1] : 0;
    return rc;
}

int ef_store_shape(ef_store *s, const char *path, int *rank, uint64_t *dims, int maxrank,
                   ef_error *err)
{
    hid_t d = H5I_INVALID_HID, space;
    hsize_t hd[H5S_MAX_RANK];
    char *p = norm_path(path);
    int rc, r, i;

    h5_quiet();
    *rank = 0;
    if ((rc = open_dataset(s, p, &d, err)) != EF_OK) {
        free(p);
        return rc;
    }
    space = H5Dget_space(d);
    r = H5Sget_simple_extent_ndims(space);
    if (r < 0) {
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot read the shape", p);
    } else {
        H5Sget_simple_extent_dims(space, hd, NULL);
        for (i = 0; i < r && i < maxrank; i++)
            dims[i] = hd[i];
        *rank = r;
    }
    H5Sclose(space);
    H5Dclose(d);
    free(p);
    return rc;
}

/* ------------------------------------------------ row-blocked tensors */

int ef_store_create_f32(ef_store *s, const char *path, int rank, const uint64_t *dims,
                        uint64_t chunk_rows, int deflate_level, ef_error *err)
{
    hsize_t hd[H5S_MAX_RANK], rowel = 1, rows = 0;
    const float nan = NAN;
    hid_t d;
    char *p;
    int rc, i;

    h5_quiet();
    if ((rc = need_writable(s, err)) != EF_OK)
        return rc;
    if (rank < 1 || rank > H5S_MAX_RANK || deflate_level < 0 || deflate_level > 9)
        return ef_error_set_at(err, EF_EINVAL, s->path, 0, 0,
                               "%s: bad rank %d or deflate level %d", path, rank, deflate_level);
    for (i = 0; i < rank; i++) {
        hd[i] = dims[i];
        if (i > 0)
            rowel *= dims[i];
    }
    if (hd[0] > 0 && rowel > 0) {
        if (chunk_rows == 0)
            chunk_rows = CHUNK_BYTES / (rowel * sizeof(float));
        rows = chunk_rows < 1 ? 1 : chunk_rows > hd[0] ? hd[0] : chunk_rows;
    }
    rc = create_dataset(s, path, H5T_IEEE_F32LE, rank, hd, rows, deflate_level, &nan, &d, &p, err);
    ef_h5_release(p, d, H5I_INVALID_HID, H5I_INVALID_HID);
    return rc;
}

/* Read or write rows [row0, row0 + nrows) of the float dataset at path. */
static int rows_io(ef_store *s, const char *path, uint64_t row0, uint64_t nrows, float *rv,
                   const float *wv, ef_error *err)
{
    hid_t d = H5I_INVALID_HID, fs = H5I_INVALID_HID, ms = H5I_INVALID_HID, ft;
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK], count[H5S_MAX_RANK];
    char *p = norm_path(path);
    int rc, rank, i;

    h5_quiet();
    if (wv && (rc = need_writable(s, err)) != EF_OK)
        goto out;
    if ((rc = open_dataset(s, p, &d, err)) != EF_OK)
        goto out;
    ft = H5Dget_type(d);
    if (H5Tget_class(ft) != H5T_FLOAT)
        rc = ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: not a float dataset", p);
    H5Tclose(ft);
    if (rc != EF_OK)
        goto out;
    fs = H5Dget_space(d);
    rank = H5Sget_simple_extent_ndims(fs);
    H5Sget_simple_extent_dims(fs, dims, NULL);
    if (rank < 1 || row0 > dims[0] || nrows > dims[0] - row0) {
        rc = ef_error_set_at(err, EF_EINVAL, s->path, 0, 0,
                             "%s: rows %llu..%llu out of range (%llu rows)", p,
                             (unsigned long long)row0, (unsigned long long)(row0 + nrows),
                             rank < 1 ? 0ULL : (unsigned long long)dims[0]);
        goto out;
    }
    if (nrows == 0)
        goto out;
    for (i = 0; i < rank; i++) {
        start[i] = i == 0 ? row0 : 0;
        count[i] = i == 0 ? nrows : dims[i];
    }
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    ms = H5Screate_simple(rank, count, NULL);
    if (wv ? H5Dwrite(d, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, wv) < 0
           : H5Dread(d, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, rv) < 0)
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot %s rows %llu..%llu", p,
                  wv ? "write" : "read", (unsigned long long)row0,
                  (unsigned long long)(row0 + nrows));
out:
    ef_h5_release(p, ms, fs, d);
    return rc;
}

int ef_store_write_f32_rows(ef_store *s, const char *path, uint64_t row0, uint64_t nrows,
                            const float *v, ef_error *err)
{
    static const float none[1] = { 0 };

    return rows_io(s, path, row0, nrows, NULL, v ? v : none, err);
}

int ef_store_read_f32_rows(ef_store *s, const char *path, uint64_t row0, uint64_t nrows,
                           float *v, ef_error *err)
{
    return rows_io(s, path, row0, nrows, v, NULL, err);
}

/* --------------------------------------------------------- attributes */

/* Open the object p for attribute access: EF_ENOTFOUND naming it if absent. */
static int open_object(ef_store *s, const char *p, hid_t *o, ef_error *err)
{
    if (!path_exists(s->file, p))
        return ef_error_set_at(err, EF_ENOTFOUND, s->path, 0, 0, "%s: no such object", p);
    *o = H5Oopen(s->file, p, H5P_DEFAULT);
    if (*o < 0)
        return fail(s, NULL, err, EF_EIO, "%s: cannot open", p);
    return EF_OK;
}

/* Create (replacing) scalar attribute name of file type ftype on obj and
 * write buf (memory type mtype). */
static int write_attr(ef_store *s, const char *obj, const char *name, hid_t ftype, hid_t mtype,
                      const void *buf, ef_error *err)
{
    hid_t o = H5I_INVALID_HID, space = H5I_INVALID_HID, a = H5I_INVALID_HID;
    char *p = norm_path(obj);
    int rc;

    h5_quiet();
    if ((rc = need_writable(s, err)) != EF_OK || (rc = open_object(s, p, &o, err)) != EF_OK)
        goto out;
    if (!name || !name[0]) {
        rc = ef_error_set_at(err, EF_EINVAL, s->path, 0, 0, "%s: empty attribute name", p);
        goto out;
    }
    if (H5Aexists(o, name) > 0) {
        /* A number over a number: rewritten where it is, which leaves no
         * dead space (the commit's generation would otherwise make every
         * update rewrite the whole store) */
        if (H5Tget_class(ftype) != H5T_STRING && (a = H5Aopen(o, name, H5P_DEFAULT)) >= 0) {
            hid_t at = H5Aget_type(a), as = H5Aget_space(a);
            int same = at >= 0 && as >= 0 && H5Tequal(at, ftype) > 0 && H5Sget_simple_extent_type(as) == H5S_SCALAR;

            ef_h5_release(NULL, at, as, H5I_INVALID_HID);
            if (same) {
                if (H5Awrite(a, mtype, buf) < 0)
                    rc = fail(s, NULL, err, EF_EIO, "%s: cannot write attribute '%s'", p, name);
                goto out;
            }
            H5Aclose(a);
            a = H5I_INVALID_HID;
        }
        if (H5Adelete(o, name) < 0) {
            rc = fail(s, NULL, err, EF_EIO, "%s: cannot replace attribute '%s'", p, name);
            goto out;
        }
        s->compact = 1;
    }
    space = H5Screate(H5S_SCALAR);
    a = H5Acreate2(o, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, mtype, buf) < 0)
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot write attribute '%s'", p, name);
out:
    ef_h5_release(p, a, space, o);
    return rc;
}

int ef_store_set_attr_str(ef_store *s, const char *obj, const char *name, const char *value,
                          ef_error *err)
{
    const char *vals[1] = { value ? value : "" };
    hid_t t = ef_h5_vlen_utf8();
    int rc = write_attr(s, obj, name, t, t, vals, err);

    H5Tclose(t);
    return rc;
}

int ef_store_set_attr_f64(ef_store *s, const char *obj, const char *name, double value,
                          ef_error *err)
{
    return write_attr(s, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, err);
}

int ef_store_set_attrs(ef_store *s, const char *obj, const ef_store_attr *a, size_t n, ef_error *err)
{
    int rc = EF_OK;

    for (size_t i = 0; i < n && rc == EF_OK; i++)
        rc = a[i].is_num ? ef_store_set_attr_f64(s, obj, a[i].name, a[i].num, err)
                         : ef_store_set_attr_str(s, obj, a[i].name, a[i].str, err);
    return rc;
}

/* An attribute being read: its object, itself and its file type, and the
 * normalised object path for messages. */
typedef struct attr_read {
    hid_t o, a, ft;
    char *p;
} attr_read;

/* Open attribute name of obj, holding exactly one value: EF_ENOTFOUND if
 * the object or the attribute is absent.  Close r with attr_close, also on
 * failure. */
static int attr_open(ef_store *s, const char *obj, const char *name, attr_read *r, ef_error *err)
{
    hid_t space;
    htri_t ex;
    hssize_t np;
    int rc;

    h5_quiet();
    r->o = r->a = r->ft = H5I_INVALID_HID;
    r->p = norm_path(obj);
    if ((rc = open_object(s, r->p, &r->o, err)) != EF_OK)
        return rc;
    ex = name && name[0] ? H5Aexists(r->o, name) : 0;
    if (ex <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return ef_error_set_at(err, EF_ENOTFOUND, s->path, 0, 0, "%s: no attribute '%s'", r->p,
                               name ? name : "");
    }
    r->a = H5Aopen(r->o, name, H5P_DEFAULT);
    if (r->a < 0)
        return fail(s, NULL, err, EF_EIO, "%s: cannot open attribute '%s'", r->p, name);
    space = H5Aget_space(r->a);
    np = H5Sget_simple_extent_npoints(space);
    H5Sclose(space);
    if (np != 1)
        return ef_error_set_at(err, EF_EDATA, s->path, 0, 0,
                               "%s: attribute '%s' holds %lld values, expected one", r->p, name,
                               (long long)np);
    r->ft = H5Aget_type(r->a);
    return EF_OK;
}

static void attr_close(attr_read *r)
{
    ef_h5_release(r->p, r->ft, r->a, r->o);
}

/* Read a variable-length string attribute in character set mt into a new
 * string. */
static int read_vlen_str(ef_store *s, const attr_read *r, const char *name, hid_t mt, char **value,
                         ef_error *err)
{
    char *vals[1] = { NULL };
    hid_t space = H5Screate(H5S_SCALAR);
    int rc = EF_OK;

    H5Tset_size(mt, H5T_VARIABLE);
    if (H5Aread(r->a, mt, vals) < 0) {
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot read attribute '%s'", r->p, name);
    } else {
        *value = ef_xstrdup(vals[0] ? vals[0] : "");
#if H5_VERSION_GE(1, 12, 0)
        H5Treclaim(mt, space, H5P_DEFAULT, vals);
#else
        H5Dvlen_reclaim(mt, space, H5P_DEFAULT, vals);
#endif
    }
    H5Sclose(space);
    return rc;
}

/* Read a fixed-length string attribute (padding dropped) into a new
 * string. */
static int read_fixed_str(ef_store *s, const attr_read *r, const char *name, hid_t mt, char **value,
                          ef_error *err)
{
    size_t size = H5Tget_size(r->ft);
    char *buf = ef_xmalloc(size + 1);

    H5Tset_size(mt, size + 1);
    H5Tset_strpad(mt, H5T_STR_NULLTERM);
    if (H5Aread(r->a, mt, buf) < 0) {
        free(buf);
        return fail(s, NULL, err, EF_EIO, "%s: cannot read attribute '%s'", r->p, name);
    }
    buf[size] = '\0';
    *value = buf;
    return EF_OK;
}

int ef_store_get_attr_str(ef_store *s, const char *obj, const char *name, char **value,
                          ef_error *err)
{
    attr_read r;
    hid_t mt;
    int rc;

    *value = NULL;
    if ((rc = attr_open(s, obj, name, &r, err)) == EF_OK && H5Tget_class(r.ft) != H5T_STRING)
        rc = ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: attribute '%s' is not a string",
                             r.p, name);
    if (rc == EF_OK) {
        mt = H5Tcopy(H5T_C_S1);
        H5Tset_cset(mt, H5Tget_cset(r.ft));
        rc = H5Tis_variable_str(r.ft) > 0 ? read_vlen_str(s, &r, name, mt, value, err)
                                          : read_fixed_str(s, &r, name, mt, value, err);
        H5Tclose(mt);
    }
    attr_close(&r);
    return rc;
}

int ef_store_get_attr_f64(ef_store *s, const char *obj, const char *name, double *value,
                          ef_error *err)
{
    attr_read r;
    H5T_class_t cls;
    int rc = attr_open(s, obj, name, &r, err);

    if (rc == EF_OK) {
        cls = H5Tget_class(r.ft);
        if (cls != H5T_FLOAT && cls != H5T_INTEGER)
            rc = ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: attribute '%s' is not a number",
                                 r.p, name);
        else if (H5Aread(r.a, H5T_NATIVE_DOUBLE, value) < 0)
            rc = fail(s, NULL, err, EF_EIO, "%s: cannot read attribute '%s'", r.p, name);
    }
    attr_close(&r);
    return rc;
}

/* ------------------------------------------------------------ listing */

struct names { char **v; size_t n, cap; };

static herr_t list_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    struct names *nm = data;

    (void)g;
    (void)info;
    if (nm->n == nm->cap) {
        nm->cap = nm->cap ? 2 * nm->cap : 16;
        nm->v = ef_xreallocarray(nm->v, nm->cap, sizeof *nm->v);
    }
    nm->v[nm->n++] = ef_xstrdup(name);
    return 0;
}

int ef_store_list(ef_store *s, const char *group, char ***names, size_t *n, ef_error *err)
{
    struct names nm = { NULL, 0, 0 };
    hid_t g = H5I_INVALID_HID, gcpl;
    H5I_type_t t;
    unsigned order = 0;
    hsize_t idx = 0;
    char *p = norm_path(group);
    int rc = EF_OK;

    h5_quiet();
    *names = NULL;
    *n = 0;
    if ((t = object_type(s->file, p)) == H5I_BADID) {
        rc = ef_error_set_at(err, EF_ENOTFOUND, s->path, 0, 0, "%s: no such group", p);
        goto out;
    }
    if (t != H5I_GROUP) {
        rc = ef_error_set_at(err, EF_EDATA, s->path, 0, 0, "%s: is a dataset, not a group", p);
        goto out;
    }
    g = H5Gopen2(s->file, p, H5P_DEFAULT);
    if (g < 0) {
        rc = fail(s, NULL, err, EF_EIO, "%s: cannot open group", p);
        goto out;
    }
    gcpl = H5Gget_create_plist(g);
    if (gcpl >= 0) {
        H5Pget_link_creation_order(gcpl, &order);
        H5Pclose(gcpl);
    }
    if (!(order & H5P_CRT_ORDER_INDEXED) ||
        H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, list_cb, &nm) < 0) {
        /* Untracked groups (files from other tools) list by name. */
        ef_store_free_list(nm.v, nm.n);
        nm.v = NULL;
        nm.n = nm.cap = 0;
        idx = 0;
        if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, list_cb, &nm) < 0) {
            rc = fail(s, NULL, err, EF_EIO, "%s: cannot list group", p);
            ef_store_free_list(nm.v, nm.n);
            goto out;
        }
    }
    *names = nm.v;
    *n = nm.n;
out:
    ef_h5_release(p, g, H5I_INVALID_HID, H5I_INVALID_HID);
    return rc;
}

void ef_store_free_list(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int ef_store_copy_attrs(ef_store *s, const char *from, const char *to, ef_error *err)
{
    hid_t so = H5I_INVALID_HID, dobj = H5I_INVALID_HID;
    char *a = norm_path(from), *b = norm_path(to);
    int rc;

    h5_quiet();
    if ((rc = need_writable(s, err)) == EF_OK && (rc = open_object(s, a, &so, err)) == EF_OK &&
        (rc = open_object(s, b, &dobj, err)) == EF_OK && copy_obj_attrs(so, dobj) < 0)
        rc = fail(s, NULL, err, EF_EIO, "cannot copy the attributes of %s to %s", a, b);
    ef_h5_release(a, so, dobj, H5I_INVALID_HID);
    free(b);
    return rc;
}

/* --------------------------------------------------------- provenance */

int ef_store_stamp(ef_store *s, const char *obj, const char *stage, const char *options,
                   ef_error *err)
{
    char when[32];
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t now = time(NULL);
    struct tm tm;
    int rc;

    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);

        if (*end == '\0' && t >= 0)
            now = (time_t)t;
    }
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc = ef_store_set_attr_str(s, obj, "ecgfit_version", PACKAGE_VERSION, err)) != EF_OK ||
        (rc = ef_store_set_attr_str(s, obj, "stage", stage ? stage : "", err)) != EF_OK ||
        (rc = ef_store_set_attr_str(s, obj, "options", options ? options : "", err)) != EF_OK ||
        (rc = ef_store_set_attr_str(s, obj, "created", when, err)) != EF_OK)
        return rc;
    return EF_OK;
}
