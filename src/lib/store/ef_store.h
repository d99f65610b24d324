/* ef_store.h — the HDF5 project store (<project>/ecgfit.h5).
 *
 * One HDF5 file per project, laid out so that h5py and pandas can read it
 * (DESIGN.md §3): /participants/eid int64 [N], /participants/<column>
 * float64 [N] with NaN for missing, later /ecg, /embeddings, /models.
 * Strings are stored as variable-length UTF-8 attributes (h5py reads them as
 * str); every object a stage writes carries provenance attributes
 * (ef_store_stamp).
 *
 * Updates are atomic: ef_store_begin works on a private copy
 * "<path>.tmp-<pid>" and ef_store_commit renames it over the store, so a
 * reader (or a crash) never sees a half-written store.  Updates are also
 * serialised: begin takes the store's update lock (a lock file
 * ".<name>.lock" beside it) and commit or abort releases it, so a second
 * writer cannot start from the old store and then rename its copy over the
 * first one's writes.  Readers take no lock.
 *
 * Object paths are HDF5 paths ("/participants/bmi"; the leading '/' is
 * optional).  Errors name the store file (ef_error.file) and the object.
 *
 * Threads: the Debian HDF5 build is not thread-safe.  Use the store (and any
 * other HDF5 code) from one thread at a time.
 *
 * This header deliberately does not include hdf5.h: only ef_store.c (built
 * into libecgfit_h5.a) sees HDF5's headers and feature-test macros. */
#ifndef EF_STORE_H
#define EF_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

typedef struct ef_store ef_store;

/* Open for reading.  EF_ENOTFOUND if path does not exist, EF_EIO if it is not
 * an HDF5 file or cannot be opened. */
int ef_store_open_read(ef_store **out, const char *path, ef_error *err);

/* Start an atomic update: takes the update lock of path (see "Writers"
 * below), then copies path (if it exists) to "<path>.tmp-<pid>" and opens
 * the copy read-write, or creates a new, empty store there.  Nothing the
 * caller does is visible at path until ef_store_commit.  EF_EBUSY "project
 * busy: train is writing (pid N)" when another update of path is going on
 * (in any process or thread) and this writer does not wait. */
int ef_store_begin(ef_store **out, const char *path, ef_error *err);
/* Start writing the update's data to disk without waiting for it, so that
 * the commit's fsync has less left to wait for: 1 when started, 0 where it
 * cannot be (a read handle, not Linux, another HDF5 driver). */
int ef_store_writeback(ef_store *s);

/* Flush, close, fsync, rename the copy over path.  An update of an existing
 * store first copies the live objects into a fresh file, which is what gets
 * renamed: re-running a stage leaves the store the same size.  The root
 * attribute "generation" counts the commits.  Frees s and releases the
 * lock, also on failure (the temporary files are then removed). */
int ef_store_commit(ef_store *s, ef_error *err);
/* The same commit a bounded piece at a time, for a job's steps (the
 * compacting copy goes one root object per step): EF_CONTINUE while there
 * is more to do; EF_OK once committed, or an error once aborted (s is freed
 * either way).  ef_store_abort between two steps leaves the store as it was. */
int ef_store_commit_step(ef_store *s, ef_error *err);
/* Close and remove the temporary file; frees s.  NULL is a no-op. */
void ef_store_abort(ef_store *s);
/* Commit s when rc is EF_OK, else abort it; returns the outcome.  Ends an
 * update whose writes were chained through rc. */
int ef_store_finish(ef_store *s, int rc, ef_error *err);
/* Close a store opened with ef_store_open_read.  NULL is a no-op.  (On a
 * store from ef_store_begin it behaves like ef_store_abort.) */
void ef_store_close(ef_store *s);

/* ---- Writers ----
 * One update of a store file at a time.  The lock is held from begin to
 * commit/abort only: a stage that writes several times (train stores one
 * result per fit) takes it once per update, so that readers and short
 * updates from elsewhere (an import while a TUI trains) interleave with it
 * instead of waiting for the whole run.  Once a writer has had one update,
 * its later ones wait for the lock even when it does not wait otherwise:
 * the stage already owns work it must not drop, and other updates are
 * short.  The lock dies with its holder (a killed process leaves no stale
 * lock), and a file system without locks leaves updates unlocked. */

/* Who writes, for the message another writer gets, and what begin does
 * when the lock is held. */
typedef struct ef_store_writer {
    const char *name;   /* the command ("train"); NULL: "ecgfit" */
    int wait;           /* 1: begin waits for the lock; 0: EF_EBUSY */
    /* Called when begin starts waiting (and again after a signal
     * interrupted the wait) with the busy message; a nonzero return gives
     * up with EF_ECANCELED.  May be NULL. */
    int (*waiting)(void *arg, const char *msg);
    void *arg;
} ef_store_writer;
/* The process-wide writer (a front end sets it once; NULL: defaults).
 * Starts a new writer for the calling thread's update count. */
void ef_store_set_writer(const ef_store_writer *w);
/* A writer for the calling thread only (a TUI worker running a stage),
 * taking precedence over the process-wide one; NULL goes back to it.  Also
 * starts a new writer for the update count. */
void ef_store_set_thread_writer(const ef_store_writer *w);

/* The generation of the store file at path: how many commits it has had
 * (the root attribute "generation", mirrored in the lock file), 0 before
 * the first.  Reads a few bytes of the lock file, never HDF5: cheap enough
 * to poll many times a second, and safe from any thread while another uses
 * HDF5.  A changed value means: re-read the store. */
int ef_store_generation(const char *path, uint64_t *gen, ef_error *err);
/* Root attributes, 1 when the store's cohort (its participants and ECGs)
 * or the encoder of its embeddings are synthetic (`ecgfit demo` sets both,
 * and "synthetic_note" in words); front ends then say SYNTHETIC. */
#define EF_STORE_ATTR_SYNTHETIC_DATA "synthetic_data"
#define EF_STORE_ATTR_SYNTHETIC_ENCODER "synthetic_encoder"

/* 1 if an update of the store file at path is going on right now. */
int ef_store_busy(const char *path);
/* Delete the store file at path and its lock file, unless an update of it
 * is going on (EF_EBUSY).  EF_ENOTFOUND if path does not exist. */
int ef_store_remove(const char *path, ef_error *err);

/* The path given to open/begin (the final store, never the temporary). */
const char *ef_store_path(const ef_store *s);
/* 1 if s was opened with ef_store_begin. */
int ef_store_writable(const ef_store *s);

/* 1 if obj (a group or dataset) exists, else 0. */
int ef_store_exists(ef_store *s, const char *obj);
/* 1 if obj is a group, 0 if it is a dataset or absent. */
int ef_store_is_group(ef_store *s, const char *obj);
/* Unlink obj and everything below it; EF_OK if it is absent. */
int ef_store_delete(ef_store *s, const char *obj, ef_error *err);
/* Rename (move) an object; EF_EINVAL if `to` exists.  The parent of `to`
 * must exist. */
int ef_store_move(ef_store *s, const char *from, const char *to, ef_error *err);
/* Create a group (and its parents) if absent; groups track creation order. */
int ef_store_mkgroup(ef_store *s, const char *group, ef_error *err);

/* 1-D datasets.  Parent groups are created as needed and an existing object
 * at path is replaced.  Large datasets are chunked and compressed
 * (shuffle + deflate 4). */
int ef_store_write_i64(ef_store *s, const char *path, const int64_t *v, size_t n, ef_error *err);
int ef_store_write_f64(ef_store *s, const char *path, const double *v, size_t n, ef_error *err);
/* Optional, before writing several float64 columns of `rows` values each:
 * compress v[0..n-1] now on up to THREADS threads of pool (NULL: threads of
 * its own for the call; core/ef_pool.h) (HDF5 filters each chunk
 * on the writing thread, one at a time), so that the ef_store_write_f64
 * calls that follow with the same pointers and length only store the
 * chunks.  The stored data is the same; columns never written are freed
 * with the handle.  Small columns (stored uncompressed) are left alone. */
struct ef_pool;
void ef_store_deflate_ahead_f64(ef_store *s, const double *const *v, size_t n, size_t rows, struct ef_pool *pool,
                                int threads);
/* Read a whole 1-D dataset into a new array (caller frees; never NULL on
 * success, even when *n is 0).  read_i64 requires an integer dataset;
 * read_f64 converts integer datasets.  EF_ENOTFOUND if path is absent,
 * EF_EDATA if it has the wrong rank or type class. */
int ef_store_read_i64(ef_store *s, const char *path, int64_t **v, size_t *n, ef_error *err);
int ef_store_read_f64(ef_store *s, const char *path, double **v, size_t *n, ef_error *err);
/* Read n whole 1-D columns into v[i] (len[i] values each; NULL and 0 on
 * error): as ef_store_read_f64, with the chunks of compressed float64
 * columns inflated on up to THREADS threads of pool (NULL: a pool for the
 * call; HDF5 would inflate them one after the other on this one). */
int ef_store_read_f64_many(ef_store *s, const char *const *paths, size_t n, double **v, size_t *len,
                           struct ef_pool *pool, int threads, ef_error *err);

/* 2-D float32 datasets, row-major, chunked by rows and compressed. */
int ef_store_write_f32_2d(ef_store *s, const char *path, const float *v, size_t rows,
                          size_t cols, ef_error *err);
int ef_store_read_f32_2d(ef_store *s, const char *path, float **v, size_t *rows,
                         size_t *cols, ef_error *err);
/* The same, with the chunks of a dataset written by ef_store_write_f32_2d
 * (shuffle + deflate, whole rows) inflated on up to THREADS threads of pool
 * (NULL: a pool for the call), as ef_store_read_f64_many. */
int ef_store_read_f32_2d_pool(ef_store *s, const char *path, float **v, size_t *rows, size_t *cols,
                              struct ef_pool *pool, int threads, ef_error *err);

/* N-d float32 datasets written a block of rows (along dimension 0) at a time,
 * for tensors too big to hold in memory (/ecg/signal [M, 4096, 12]).
 * create makes (replacing) a dataset of shape dims[0..rank-1] whose unwritten
 * rows read as NaN, chunked by chunk_rows rows (0: about 1 MiB per chunk) and
 * compressed with shuffle + deflate at deflate_level (0: none; 1-9). */
int ef_store_create_f32(ef_store *s, const char *path, int rank, const uint64_t *dims,
                        uint64_t chunk_rows, int deflate_level, ef_error *err);
/* Write / read rows [row0, row0 + nrows): v holds nrows * (product of the
 * other dimensions) values.  EF_EINVAL if the rows are out of range. */
int ef_store_write_f32_rows(ef_store *s, const char *path, uint64_t row0, uint64_t nrows,
                            const float *v, ef_error *err);
int ef_store_read_f32_rows(ef_store *s, const char *path, uint64_t row0, uint64_t nrows,
                           float *v, ef_error *err);

/* Dimensions of a dataset: *rank (up to maxrank entries of dims filled). */
int ef_store_shape(ef_store *s, const char *path, int *rank, uint64_t *dims, int maxrank,
                   ef_error *err);

/* Attributes on a group or dataset.  Strings are variable-length UTF-8;
 * setting replaces.  get_* returns EF_ENOTFOUND if the object or the
 * attribute is absent; get_attr_str also reads fixed-length strings and
 * returns a new string the caller frees. */
int ef_store_set_attr_str(ef_store *s, const char *obj, const char *name, const char *value,
                          ef_error *err);
int ef_store_get_attr_str(ef_store *s, const char *obj, const char *name, char **value,
                          ef_error *err);
int ef_store_set_attr_f64(ef_store *s, const char *obj, const char *name, double value,
                          ef_error *err);
int ef_store_get_attr_f64(ef_store *s, const char *obj, const char *name, double *value,
                          ef_error *err);

/* One attribute of a list set at once: a number when is_num, else a string
 * (NULL: ""). */
typedef struct ef_store_attr {
    const char *name;
    int is_num;
    const char *str;
    double num;
} ef_store_attr;
#define EF_STORE_ATTR_STR(name, value) { (name), 0, (value), 0 }
#define EF_STORE_ATTR_NUM(name, value) { (name), 1, NULL, (double)(value) }
/* Set n attributes on obj in order (the store keeps attribute creation
 * order, which h5py shows); stops at the first error. */
int ef_store_set_attrs(ef_store *s, const char *obj, const ef_store_attr *a, size_t n, ef_error *err);

/* Names of the direct children of group: in creation order when the group
 * tracks it (groups made by this module do), else by name.  *names is a new
 * array of new strings (free with ef_store_free_list); NULL when *n is 0. */
int ef_store_list(ef_store *s, const char *group, char ***names, size_t *n, ef_error *err);
void ef_store_free_list(char **names, size_t n);

/* Copy every attribute of object from onto object to (one it lacks), in
 * creation order: what compaction does for the whole store. */
int ef_store_copy_attrs(ef_store *s, const char *from, const char *to, ef_error *err);

/* Provenance: sets ecgfit_version, stage, options ("" if NULL) and created
 * (ISO-8601 UTC; $SOURCE_DATE_EPOCH when set, for reproducible files). */
int ef_store_stamp(ef_store *s, const char *obj, const char *stage, const char *options,
                   ef_error *err);

#endif
