/* ef_npy.h — NumPy .npy files (format 1.0), as numpy.load reads them: the
 * seed's per-ECG layout of `export ecg --format npy`. */
#ifndef EF_NPY_H
#define EF_NPY_H

#include <stddef.h>
#include "core/ef_error.h"

/* Write v[rows * cols] (C order) as little-endian float32 [rows, cols]. */
int ef_npy_write_f32(const char *path, const float *v, size_t rows, size_t cols, ef_error *err);

#endif
