/* ef_emb_parts.h — embeddings on disk: immutable part files per encoder
 * name and the fold that indexes them from the project store.
 *
 * The embed stage writes DIR/emb-data/NAME/part-S-NNNNN.h5 (S: shard tag
 * "all" or "K-of-N"), each with up to EF_EMB_PART_MAX embeddings in /ecg
 * row order:
 *
 *   /eid int64[m]   /values float32[m, output_size]
 *   root attributes: encoder_sha256, encoder_path, input_length, units,
 *   output_size, ecg_options (the /ecg preprocess options), name, shard,
 *   slice_ecgs + ef_store_stamp (ecgfit_version, created).
 *
 * Written to a temporary name and renamed when complete (same helpers as
 * the ECG parts, ef_parts.h).  The fold writes /embeddings/NAME/eid
 * (sorted) and /embeddings/NAME/values, a virtual dataset over the parts'
 * /values rows (sources relative to the store: "emb-data/NAME/part-...h5"),
 * with the same attributes.  Why a virtual dataset and not a copy: every
 * store update copies the whole store (ef_store_begin), so 90 MB of PCLR
 * embeddings for 70k ECGs inside it would be copied by every later stage;
 * the fold stays O(parts) and the parts are the same immutable files
 * resume and shards need anyway.  `export embeddings` makes a standalone
 * copy. */
#ifndef EF_EMB_PARTS_H
#define EF_EMB_PARTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "pipeline/ef_parts.h"

#define EF_EMB_PARTS_DIR "emb-data"
#define EF_EMB_PART_MAX 512
#define EF_EMB_NAME_MAX 64

/* What must agree for embeddings to be combined. */
typedef struct ef_emb_opts {
    char sha256[65];        /* encoder file, hex */
    char units[8];          /* of the ECGs: "mv" or "seed" */
    uint64_t input_length;  /* samples per lead */
    uint64_t output_size;
    char ecg_options[256];  /* /ecg's "options" attribute ("units=mv samples=4096 ...") */
} ef_emb_opts;

/* 0 if a and b agree; else 1 and what b differs in ("units seed",
 * "encoder sha256 1234abcd...") in buf. */
int ef_emb_opts_diff(const ef_emb_opts *a, const ef_emb_opts *b, char *buf, size_t size);

/* NAME from an encoder path: base name without extension, characters
 * outside [A-Za-z0-9_.-] replaced by '_', at most EF_EMB_NAME_MAX - 1. */
void ef_emb_name_from_path(const char *path, char *name, size_t size);
/* 1 if name is a usable NAME (non-empty, [A-Za-z0-9_.-], not "." or ".."). */
int ef_emb_name_ok(const char *name);

/* A complete part file, as found on disk. */
typedef struct ef_emb_part_info {
    char *name;             /* "part-all-00000.h5" */
    char *path;             /* "<dir>/emb-data/NAME/part-all-00000.h5" */
    ef_emb_opts o;
    char *encoder_path;
    char *shard;            /* "all" or "K/N" */
    size_t slice_ecgs;      /* ECGs in the slice of the part's run */
    int64_t *eid;
    size_t n;
} ef_emb_part_info;

/* "<project_dir>/emb-data/NAME" (new string). */
char *ef_emb_parts_dir(const char *project_dir, const char *name);
/* The NAMEs (sorted) that have at least one part file. */
int ef_emb_names(const char *project_dir, char ***names, size_t *n, ef_error *err);
/* Read every complete part of NAME (none if absent), sorted by file name. */
int ef_emb_parts_scan(const char *project_dir, const char *name, ef_emb_part_info **parts, size_t *n,
                      ef_error *err);
void ef_emb_parts_free(ef_emb_part_info *parts, size_t n);
/* Delete the parts with shard tag tag ("all", "K-of-N"; NULL: all) and,
 * if opts is not NULL, those made with other options; returns how many. */
size_t ef_emb_parts_delete(const char *tag, const ef_emb_opts *opts, const ef_emb_part_info *parts,
                           size_t n);

/* ---- writing one part ---- */

typedef struct ef_emb_part_meta {
    const char *encoder_path;
    const char *shard;      /* "all" or "K/N" */
    size_t slice_ecgs;
} ef_emb_part_meta;

typedef struct ef_emb_part_writer ef_emb_part_writer;

/* Start <project_dir>/emb-data/NAME/part-<tag>-<index>.h5; creates the
 * folders if needed. */
int ef_emb_part_open(ef_emb_part_writer **out, const char *project_dir, const char *name,
                     const char *tag, unsigned index, const ef_emb_opts *o,
                     const ef_emb_part_meta *meta, ef_error *err);
/* Add n embeddings (values: n * output_size floats). */
void ef_emb_part_add(ef_emb_part_writer *w, const int64_t *eid, const float *values, size_t n);
size_t ef_emb_part_count(const ef_emb_part_writer *w);
/* Write, close and rename into place, adding 1 to *written; an empty part
 * is removed instead.  Frees w (on failure too).  NULL is a no-op. */
int ef_emb_part_close(ef_emb_part_writer *w, size_t *written, ef_error *err);
/* Remove the temporary file; frees w.  NULL is a no-op. */
void ef_emb_part_abort(ef_emb_part_writer *w);

/* ---- the fold ---- */

typedef struct ef_emb_fold_result {
    size_t parts;
    size_t n;               /* embeddings now in /embeddings/NAME */
    ef_emb_opts o;
    char *encoder_path;
    char **warnings;        /* incomplete shards (not fatal when allow_incomplete) */
    size_t nwarnings;
} ef_emb_fold_result;

/* Check that NAME's parts share options (and equal want, if given), that
 * their eids are disjoint and, unless allow_incomplete, that every shard is
 * present and complete; then write /embeddings/NAME into store_path
 * atomically.  EF_ENOTFOUND if NAME has no parts. */
int ef_emb_fold(const char *project_dir, const char *store_path, const char *name,
                const ef_emb_opts *want, int allow_incomplete, ef_emb_fold_result *res, ef_error *err);
void ef_emb_fold_result_fini(ef_emb_fold_result *res);

#endif
