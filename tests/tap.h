/* tap.h — a tiny TAP producer for the unit tests (Automake's tap-driver
 * reads the output).  Every check prints one "ok N - description" line. */
#ifndef EF_TAP_H
#define EF_TAP_H

#include <stddef.h>
#include "core/ef_error.h"

int ok(int cond, const char *fmt, ...) EF_PRINTF(2, 3);
int is_int(long long got, long long want, const char *fmt, ...) EF_PRINTF(3, 4);
int is_str(const char *got, const char *want, const char *fmt, ...) EF_PRINTF(3, 4);
/* |got - want| <= tol * |want|; NaN equals NaN, infinities must match. */
int is_rel(double got, double want, double tol, const char *fmt, ...) EF_PRINTF(4, 5);
int is_abs(double got, double want, double tol, const char *fmt, ...) EF_PRINTF(4, 5);
/* got contains want as a substring */
int like(const char *got, const char *want, const char *fmt, ...) EF_PRINTF(3, 4);
void diag(const char *fmt, ...) EF_PRINTF(1, 2);
/* Print "1..0 # SKIP reason" and exit 0. */
void skip_all(const char *fmt, ...) EF_PRINTF(1, 2);
/* Print the plan; returns the exit status (0 when every check passed). */
int done_testing(void);

/* Directory of the source tree (from $srcdir or "."), and a scratch
 * directory made fresh for this test program (removed by the caller). */
const char *tap_srcdir(void);
const char *tap_tmpdir(void);
/* Run $PYTHON3 on a script of the source tree (path relative to it) with
 * printf-formatted arguments: the script's exit status, or -1 when PYTHON3
 * is unset or the script could not be run. */
int tap_python(const char *script, const char *fmt, ...) EF_PRINTF(2, 3);
/* Raw little-endian float64 to a file (exit 99 on failure). */
void tap_write_f64(const char *path, const double *a, size_t n);
/* Whitespace-separated numbers from a text file (caller frees; n = 0 and an
 * empty array when the file is missing). */
double *tap_read_values(const char *path, size_t *n);

/* Path of ../shared relative to the source tree, or NULL if absent. */
const char *tap_shared(void);

#endif
