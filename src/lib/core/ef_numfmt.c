/* ef_numfmt.c — see ef_numfmt.h. */
#include "config.h"
#include "ef_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest fixed-notation digits that read back as v. */
static const char *shortest_fixed(double v, char *buf, size_t size)
{
    int p;

    for (p = 0; p <= 17; p++) {
        snprintf(buf, size, "%.*f", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

/* Shortest exponent-notation digits that read back as v. */
static const char *shortest_exp(double v, char *buf, size_t size)
{
    int p;

    for (p = 0; p <= 16; p++) {
        snprintf(buf, size, "%.*e", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

const char *ef_numfmt_short(double v, char *buf, size_t size)
{
    double a = fabs(v);

    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return buf;
    }
    /* fixed notation where people expect it: 60, 27.9871, 0.0012 */
    if (v == 0 || (a >= 1e-4 && a < 1e16))
        return shortest_fixed(v, buf, size);
    return shortest_exp(v, buf, size);
}

/* Python writes exponents with at least two digits, like C. */
const char *ef_numfmt_pyrepr(double v, char *buf, size_t size)
{
    double a = fabs(v);

    if (!isfinite(v))
        return ef_numfmt_short(v, buf, size);
    if (v == 0 || (a >= 1e-4 && a < 1e16)) {
        shortest_fixed(v, buf, size);
        if (!strchr(buf, '.') && strlen(buf) + 2 < size)
            strcat(buf, ".0");
        return buf;
    }
    return shortest_exp(v, buf, size);
}
