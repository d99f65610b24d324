/* ef_store_vds.h — more of the project store API (ef_store.h) for the ECG
 * stage: growing tensors, uint32 and string columns, and virtual datasets
 * that stitch row ranges of other HDF5 files into one dataset.
 *
 * Same rules as ef_store.h: write calls need a store from ef_store_begin,
 * parent groups are created as needed, an existing object at path is
 * replaced, one thread at a time.  Only ef_store_vds.c sees hdf5.h. */
#ifndef EF_STORE_VDS_H
#define EF_STORE_VDS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "store/ef_store.h"

/* A float32 dataset of rank dimensions whose first dimension starts at 0
 * and grows with ef_store_append_f32_rows.  row_dims holds dimensions
 * 1..rank-1.  Chunked by chunk_rows rows (>= 1), shuffle + deflate at
 * deflate_level (0: no compression). */
int ef_store_create_f32_ext(ef_store *s, const char *path, int rank, const uint64_t *row_dims,
                            uint64_t chunk_rows, int deflate_level, ef_error *err);
/* Append nrows rows (nrows * product(row_dims) values) at the end. */
int ef_store_append_f32_rows(ef_store *s, const char *path, uint64_t nrows, const float *v,
                             ef_error *err);

/* 1-D uint32 datasets (QC flags).  read_u32 requires an integer dataset;
 * the result is never NULL on success. */
int ef_store_write_u32(ef_store *s, const char *path, const uint32_t *v, size_t n, ef_error *err);
int ef_store_read_u32(ef_store *s, const char *path, uint32_t **v, size_t *n, ef_error *err);

/* 1-D variable-length UTF-8 string datasets (h5py reads them as bytes or
 * str).  read_strs returns new strings (free with ef_store_free_list);
 * NULL when *n is 0. */
int ef_store_write_strs(ef_store *s, const char *path, const char *const *v, size_t n,
                        ef_error *err);
int ef_store_read_strs(ef_store *s, const char *path, char ***v, size_t *n, ef_error *err);

/* One mapping of a virtual dataset: rows [dst_row, dst_row + nrows) of the
 * virtual dataset are rows [src_row, src_row + nrows) of dataset dset
 * (which has src_rows rows, and the virtual dataset's other dimensions) in
 * the HDF5 file file.  A relative file name is resolved by HDF5 against the
 * directory of the file holding the virtual dataset. */
typedef struct ef_store_vds_src {
    const char *file;
    const char *dset;
    uint64_t src_rows;
    uint64_t src_row, dst_row, nrows;
} ef_store_vds_src;

/* Create a float32 virtual dataset of shape dims[0..rank-1] from the
 * mappings; unmapped rows read as NaN.  Sources are not opened here (HDF5
 * opens them when the dataset is read). */
int ef_store_write_vds_f32(ef_store *s, const char *path, int rank, const uint64_t *dims,
                           const ef_store_vds_src *src, size_t nsrc, ef_error *err);

#endif
