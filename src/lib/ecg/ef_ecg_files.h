/* ef_ecg_files.h — finding UKB resting-ECG files (field 20205) by name. */
#ifndef EF_ECG_FILES_H
#define EF_ECG_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

/* Parse "{eid}_20205_{instance}_{array}.xml"; 1 on success. */
int ef_ecg_parse_name(const char *name, int64_t *eid, int *instance, int *array);

/* Find dir's (and its sub-folders', two levels, as the RAP's Bulk/.../NN/
 * layout) files {eid}_20205_{instance}_0.xml: eids sorted and unique (the
 * first path wins when an eid appears in two sub-folders), paths beside them;
 * the caller frees each path and both arrays.  A missing folder is
 * EF_ENOTFOUND; none found is EF_OK with n = 0. */
int ef_ecg_find_files(const char *dir, int instance, int64_t **eids, char ***paths, size_t *n,
                      ef_error *err);

/* Scan dir and its sub-folders (two levels, as the RAP's Bulk/.../NN/ layout)
 * for {eid}_20205_{instance}_0.xml.  Returns the sorted unique eids (caller
 * frees).  A missing folder is EF_ENOTFOUND; an empty result is EF_OK with
 * n = 0 (the caller decides whether that is an error). */
int ef_ecg_scan_dir(const char *dir, int instance, int64_t **eids, size_t *n, ef_error *err);

#endif
