/* ef_ecg_parts.h — the ECG tensors on disk: immutable part files and the
 * fold ("merge") that indexes them from the project store.
 *
 * 70k ECGs are 14 GB of float32, too much for the store's copy-on-update, so
 * the preprocess stage writes DIR/ecg-data/part-S-NNNNN.h5 (S: shard tag
 * "all" or "K-of-N"), each with up to EF_ECG_PART_MAX ECGs in input order:
 *
 *   /eid int64[m]   /signal float32[m, samples, 12] (one ECG per chunk,
 *   optionally shuffle + deflate)   /qc uint32[m]   /measurements/<name> float64[m]
 *   /failures/{eid int64, file str, message str}[f]
 *   root attributes: units, samples, highpass, notch, strict_rate,
 *   ecg_instance, input_folder, shard, slice_files + ef_store_stamp.
 *
 * A part is written to a temporary name and renamed when complete, so every
 * part-*.h5 is whole.  The fold writes /ecg into the store: eid (sorted),
 * signal as a virtual dataset over the parts' /signal rows (source names
 * relative to the project, "ecg-data/part-all-00000.h5"), qc,
 * measurements/<name>, failures/{eid,file,message}, and
 * DIR/preprocess-failures.txt. */
#ifndef EF_ECG_PARTS_H
#define EF_ECG_PARTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "pipeline/ef_parts.h"

#define EF_ECG_PARTS_DIR "ecg-data"
#define EF_ECG_PART_MAX 512
#define EF_ECG_FAILURES_FILE "preprocess-failures.txt"

/* What must agree for parts to be combined. */
typedef struct ef_ecg_part_opts {
    char units[8];          /* "mv" or "seed" */
    uint64_t samples;
    double highpass_hz;     /* 0: off */
    double notch_hz;        /* 0: off */
    int strict_rate;
    int ecg_instance;
} ef_ecg_part_opts;

/* 0 if a and b agree; else 1 and a description of the first difference
 * ("--units seed" for b's value) in buf. */
int ef_ecg_part_opts_diff(const ef_ecg_part_opts *a, const ef_ecg_part_opts *b, char *buf,
                          size_t size);
/* "units=mv samples=4096 highpass=off notch=off strict_rate=no ecg_instance=2" */
const char *ef_ecg_part_opts_format(const ef_ecg_part_opts *o, char *buf, size_t size);

/* A complete part file, as found on disk. */
typedef struct ef_ecg_part_info {
    char *name;             /* "part-all-00000.h5" */
    char *path;             /* "<dir>/ecg-data/part-all-00000.h5" */
    ef_ecg_part_opts o;
    char *shard;            /* "all" or "K/N" */
    size_t slice_files;     /* files in the slice the part's run worked on */
    int64_t *eid;           /* done ECGs, in row order */
    size_t n;
    int64_t *failed_eid;
    size_t nfailed;
} ef_ecg_part_info;

/* Read every complete part in <project_dir>/ecg-data (none if the folder is
 * absent), sorted by name. */
int ef_ecg_parts_scan(const char *project_dir, ef_ecg_part_info **parts, size_t *n,
                      ef_error *err);
void ef_ecg_parts_free(ef_ecg_part_info *parts, size_t n);
/* Remove the temporary files of parts with shard tag tag (NULL: any) left
 * by a killed run; returns how many were removed. */
size_t ef_ecg_parts_clean_tmp(const char *project_dir, const char *tag);
/* Delete part files: those with shard tag tag (NULL: all), plus (if opts is
 * not NULL) those made with other options.  Returns how many. */
size_t ef_ecg_parts_delete(const char *project_dir, const char *tag, const ef_ecg_part_opts *opts,
                           const ef_ecg_part_info *parts, size_t n);

/* ---- writing one part ---- */

typedef struct ef_ecg_part_meta {
    const char *input_folder;
    const char *shard;      /* "all" or "K/N" */
    size_t slice_files;
    int deflate_level;      /* shuffle + deflate level of /signal, 0: none */
} ef_ecg_part_meta;

typedef struct ef_ecg_part_writer ef_ecg_part_writer;

/* Start <project_dir>/ecg-data/part-<tag>-<index>.h5 (tag: "all" or
 * "K-of-N"); creates the folder if needed. */
int ef_ecg_part_open(ef_ecg_part_writer **out, const char *project_dir, const char *tag,
                     unsigned index, const ef_ecg_part_opts *o, const ef_ecg_part_meta *meta,
                     ef_error *err);
/* Add a done ECG (signal: samples * 12 floats, meas: EF_CS_NMEAS values). */
int ef_ecg_part_add(ef_ecg_part_writer *w, int64_t eid, const float *signal, uint32_t qc,
                    const double *meas, ef_error *err);
/* Add a failure ("FILE:LINE: message"). */
void ef_ecg_part_add_failure(ef_ecg_part_writer *w, int64_t eid, const char *file,
                             const char *message);
/* ECGs in the part so far (done + failed). */
size_t ef_ecg_part_count(const ef_ecg_part_writer *w);
/* Write the index arrays, close and rename into place, adding 1 to
 * *written; an empty part is removed instead.  Frees w (on failure too, the
 * temporary file is then removed).  NULL is a no-op. */
int ef_ecg_part_close(ef_ecg_part_writer *w, size_t *written, ef_error *err);
/* Remove the temporary file; frees w.  NULL is a no-op. */
void ef_ecg_part_abort(ef_ecg_part_writer *w);

/* ---- the fold ---- */

typedef struct ef_ecg_fold_result {
    size_t parts;
    size_t ecgs;            /* done ECGs now in /ecg */
    size_t failed;          /* failures in /ecg/failures */
    size_t qc_count[32];    /* ECGs with QC bit k set */
    ef_ecg_part_opts o;
    char *failures_path;    /* DIR/preprocess-failures.txt (written, possibly empty) */
    char **warnings;        /* e.g. incomplete shards (not fatal when allow_incomplete) */
    size_t nwarnings;
} ef_ecg_fold_result;

/* Check that all parts share options (and equal want, if given), that
 * their eids are disjoint and, unless allow_incomplete, that every shard of
 * a K/N set is present and complete; then write /ecg into store_path
 * atomically and DIR/preprocess-failures.txt.  EF_ENOTFOUND if there are
 * no parts. */
int ef_ecg_fold(const char *project_dir, const char *store_path, const ef_ecg_part_opts *want,
                int allow_incomplete, ef_ecg_fold_result *res, ef_error *err);
void ef_ecg_fold_result_fini(ef_ecg_fold_result *res);

/* The same fold a bounded piece at a time, for a job's steps: the scan, one
 * part's QC and measurements per step, the store's begin, its writes, its
 * commit, the failure list.  step returns EF_CONTINUE until it is done (EF_OK)
 * or fails; res (the caller's) is filled as it goes.  Freeing an unfinished
 * fold aborts its store update. */
typedef struct ef_ecg_folder ef_ecg_folder;
int ef_ecg_folder_new(ef_ecg_folder **out, const char *project_dir, const char *store_path,
                      const ef_ecg_part_opts *want, int allow_incomplete, ef_ecg_fold_result *res);
int ef_ecg_folder_step(ef_ecg_folder *F, ef_error *err);
/* Parts whose QC and measurements have been read (for tests). */
size_t ef_ecg_folder_parts_read(const ef_ecg_folder *F);
void ef_ecg_folder_free(ef_ecg_folder *F);

#endif
