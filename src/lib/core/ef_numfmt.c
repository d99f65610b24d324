/* ef_numfmt.c — see ef_numfmt.h. */
#include "config.h"
#include "ef_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ef_numfmt_short(double v, char *buf, size_t size)
{
    int p;

    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return buf;
    }
    for (p = 1; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

/* Python writes exponents with at least two digits, like C. */
const char *ef_numfmt_pyrepr(double v, char *buf, size_t size)
{
    double a = fabs(v);
    int p;

    if (!isfinite(v))
        return ef_numfmt_short(v, buf, size);
    if (v == 0 || (a >= 1e-4 && a < 1e16)) {
        /* fixed notation with the shortest round-trip digits */
        for (p = 0; p <= 17; p++) {
            snprintf(buf, size, "%.*f", p, v);
            if (strtod(buf, NULL) == v)
                break;
        }
        if (!strchr(buf, '.') && strlen(buf) + 2 < size)
            strcat(buf, ".0");
        return buf;
    }
    for (p = 0; p <= 16; p++) {
        snprintf(buf, size, "%.*e", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}
