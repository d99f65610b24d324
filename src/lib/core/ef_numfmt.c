/* ef_numfmt.c — see ef_numfmt.h. */
#include "config.h"
#include "ef_numfmt.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ C locale */

/* One "C" locale object for the process, made on first use.  uselocale()
 * switches only the calling thread, so a TUI thread formatting a file does
 * not disturb another thread (or the UI) using the user's locale. */
static locale_t c_loc;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Switch this thread to the "C" locale; returns what to restore, or
 * (locale_t)0 if newlocale failed (then the process locale is used: only
 * wrong if that also is not "C", and only under memory exhaustion). */
static locale_t enter_c(void)
{
    pthread_once(&c_once, make_c_locale);
    return c_loc ? uselocale(c_loc) : (locale_t)0;
}

static void leave_c(locale_t old)
{
    if (old)
        uselocale(old);
}

double ef_strtod(const char *s, char **end)
{
    locale_t old = enter_c();
    double v = strtod(s, end);

    leave_c(old);
    return v;
}

int ef_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    locale_t old = enter_c();
    int n = vsnprintf(buf, size, fmt, ap);

    leave_c(old);
    return n;
}

int ef_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = ef_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------ shortest text */

/* Shortest fixed-notation digits that read back as v (in the C locale). */
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

/* Shortest exponent-notation digits that read back as v (in the C locale). */
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
    locale_t old;

    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return buf;
    }
    old = enter_c();
    /* fixed notation where people expect it: 60, 27.9871, 0.0012 */
    if (v == 0 || (a >= 1e-4 && a < 1e16))
        shortest_fixed(v, buf, size);
    else
        shortest_exp(v, buf, size);
    leave_c(old);
    return buf;
}

/* Python writes exponents with at least two digits, like C. */
const char *ef_numfmt_pyrepr(double v, char *buf, size_t size)
{
    double a = fabs(v);

    if (!isfinite(v))
        return ef_numfmt_short(v, buf, size);
    ef_numfmt_short(v, buf, size);
    if ((v == 0 || (a >= 1e-4 && a < 1e16)) && !strchr(buf, '.') && strlen(buf) + 2 < size)
        strcat(buf, ".0");
    return buf;
}
