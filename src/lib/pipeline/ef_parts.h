/* ef_parts.h — part files in general: what the ECG parts (ef_ecg_parts.h)
 * and the embedding parts (ef_emb_parts.h) share.
 *
 * A stage writes its results into immutable files DIR/part-<tag>-NNNNN.h5
 * (tag "all", or "K-of-N" for shard K of N), each written to a temporary
 * "part-...h5.tmp-*" and renamed when whole; a fold then indexes the parts
 * from the store through a virtual dataset.  Naming, scanning, shard
 * checks, resume and the fold's row bookkeeping do not depend on what a
 * part holds, so they live here once. */
#ifndef EF_PARTS_H
#define EF_PARTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_eid.h"
#include "store/ef_store.h"
#include "store/ef_store_vds.h"

/* ---- names and folders ---- */

/* "part-<tag>-NNNNN.h5" -> tag (new string) and index (may be NULL); NULL
 * if name is not a part file name. */
char *ef_part_tag(const char *name, unsigned *index);
/* 1 if name is a part file name with shard tag tag (NULL: any tag). */
int ef_part_has_tag(const char *name, const char *tag);
/* next, raised past name's index when name is a part of shard tag: fold
 * over the parts to find the next free part number. */
unsigned ef_part_next_index(unsigned next, const char *name, const char *tag);
/* Sorted names in dir for which pred(name, arg) holds (NULL and *n 0 if
 * none or dir is absent).  Free with ef_store_free_list. */
char **ef_part_list_names(const char *dir, int (*pred)(const char *name, const char *arg),
                          const char *arg, size_t *n);
/* Sorted names of the part files in dir with shard tag tag (NULL: any), or
 * with temporaries, of their temporaries "part-...h5.tmp-*".  Free with
 * ef_store_free_list; NULL when *n is 0 (or dir is absent). */
char **ef_part_list(const char *dir, const char *tag, int temporaries, size_t *n);
/* Remove the temporaries in dir of shard tag (NULL: any); returns how many. */
size_t ef_part_clean_tmp(const char *dir, const char *tag);
/* mkdir dir unless it exists. */
int ef_part_mkdir(const char *dir, ef_error *err);
/* Create dir if needed and start the update of dir/part-<tag>-<index>.h5
 * (ef_store_begin: the file appears only on commit). */
int ef_part_begin(ef_store **s, const char *dir, const char *tag, unsigned index, ef_error *err);

/* ---- scanning ---- */

/* Reads one part: part is a zeroed element, name and path are new strings
 * it takes over (its free function frees them), s the part opened for
 * reading (closed by the caller). */
typedef int (*ef_part_read_fn)(void *part, char *name, char *path, ef_store *s, ef_error *err);
/* Frees n elements read by an ef_part_read_fn, and the array. */
typedef void (*ef_part_free_fn)(void *parts, size_t n);
/* Every complete part in dir (none if dir is absent), sorted by name, read
 * into a new array of *n elements of size bytes.  On failure nothing is
 * returned and the error names the part file. */
int ef_part_scan(const char *dir, size_t size, ef_part_read_fn read, ef_part_free_fn free_parts,
                 void **parts, size_t *n, ef_error *err);

/* Root attributes of a part, for read functions: each is a no-op once *rc
 * is an error, so a run of them needs one check at the end. */
void ef_part_get_str(ef_store *s, const char *name, char *dst, size_t size, int *rc, ef_error *err);
void ef_part_get_strdup(ef_store *s, const char *name, char **dst, int *rc, ef_error *err);
void ef_part_get_f64(ef_store *s, const char *name, double *dst, int *rc, ef_error *err);
/* Negative values read as 0. */
void ef_part_get_u64(ef_store *s, const char *name, uint64_t *dst, int *rc, ef_error *err);

/* ---- shards ---- */

/* Shard K of N (n 0: no sharding) as a file tag ("all", "K-of-N") and as
 * shown ("all", "K/N"). */
void ef_part_shard_names(int k, int n, char *tag, size_t tag_size, char *shard, size_t shard_size);
/* Items [lo, hi) of count that shard K of N works on: contiguous slices. */
void ef_part_slice(int k, int n, size_t count, size_t *lo, size_t *hi);

/* Work a part file records for the completeness check. */
typedef struct ef_part_shard {
    const char *shard;      /* "all" or "K/N" */
    size_t count;           /* items the part holds */
    size_t slice;           /* items in its run's slice */
} ef_part_shard;
/* Every K of each N present, every shard's count equal to its slice size.
 * Problems are appended to *warnings (new strings naming `ecgfit RERUN`
 * and unit, e.g. "embed --name x", "ECGs"); returns how many. */
size_t ef_part_check_shards(const ef_part_shard *p, size_t n, const char *rerun, const char *unit,
                            char ***warnings, size_t *nwarnings);
/* The warnings joined with "; " into buf (truncated to size). */
void ef_part_join(char *const *warnings, size_t n, char *buf, size_t size);

/* ---- resume ---- */

/* The eids complete parts already hold: an ef_eid_set (core/ef_eid.h),
 * sorted once filled. */

/* The work of a run: the indices i in [lo, hi) whose eid[i] is not in
 * done, at most limit of them (0: no limit), into todo (room for hi - lo);
 * returns how many, and counts the skipped ones that were done in
 * *resumed. */
size_t ef_part_todo(const int64_t *eid, size_t lo, size_t hi, const ef_eid_set *done, size_t limit,
                    size_t *todo, size_t *resumed);

/* ---- the fold ---- */

/* One item of a part: row row (or, for a failure, -1 and its index fidx
 * in the part's failures). */
typedef struct ef_part_entry {
    int64_t eid;
    size_t part;
    long row;
    size_t fidx;
} ef_part_entry;

/* Sort by eid (ties by part); returns the index i > 0 of the first entry
 * whose eid equals that of entry i - 1 (overlapping shards), or 0. */
size_t ef_part_entries_sort(ef_part_entry *e, size_t n);
/* Map row dst_row of a virtual dataset to row src_row of dataset dset
 * (src_rows rows) in file, extending the last mapping when the row
 * continues it (file is compared by pointer).  map has room for a row each. */
void ef_part_map_row(ef_store_vds_src *map, size_t *nmap, const char *file, const char *dset,
                     uint64_t src_rows, uint64_t src_row, uint64_t dst_row);

#endif
