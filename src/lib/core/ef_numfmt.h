/* ef_numfmt.h — number formatting and parsing for files people and other
 * tools read, independent of the locale.
 *
 * A front end may call setlocale() (the TUI sets LC_CTYPE; a program
 * embedding the library might set LC_ALL), and under de_DE.UTF-8 strtod
 * reads "23.5" as 23 and printf writes "23,5".  Everything here uses the
 * "C" conventions whatever the process or thread locale is. */
#ifndef EF_NUMFMT_H
#define EF_NUMFMT_H

#include <stdarg.h>
#include <stddef.h>
#include "core/ef_error.h"

/* strtod in the "C" locale ('.' is the decimal point); same contract
 * otherwise (end, errno = ERANGE). */
double ef_strtod(const char *s, char **end);
/* snprintf / vsnprintf in the "C" locale. */
int ef_snprintf(char *buf, size_t size, const char *fmt, ...) EF_PRINTF(3, 4);
int ef_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Shortest decimal text that reads back as exactly v ("3", "27.9871",
 * "0.0012"; exponent form only outside 1e-4 <= |v| < 1e16). */
const char *ef_numfmt_short(double v, char *buf, size_t size);
/* As Python's repr(float) / pandas to_csv: integers get ".0" ("3.0"),
 * exponent form outside 1e-4 <= |v| < 1e16 ("1e-05", "1e+16"). */
const char *ef_numfmt_pyrepr(double v, char *buf, size_t size);

#endif
