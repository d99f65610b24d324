/* ef_numfmt.h — number formatting for files people and other tools read. */
#ifndef EF_NUMFMT_H
#define EF_NUMFMT_H

#include <stddef.h>

/* Shortest decimal text that reads back as exactly v ("3", "27.9871",
 * "0.0012"; exponent form only outside 1e-4 <= |v| < 1e16). */
const char *ef_numfmt_short(double v, char *buf, size_t size);
/* As Python's repr(float) / pandas to_csv: integers get ".0" ("3.0"),
 * exponent form outside 1e-4 <= |v| < 1e16 ("1e-05", "1e+16"). */
const char *ef_numfmt_pyrepr(double v, char *buf, size_t size);

#endif
