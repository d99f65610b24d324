/* ef_alloc.c — allocation wrappers (see ef_alloc.h). */
#include "config.h"
#include "ef_alloc.h"
#include "ef_numfmt.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ef_fatal_hook fatal_hook;

void ef_set_fatal_hook(ef_fatal_hook hook)
{
    fatal_hook = hook;
}

static void out_of_memory(size_t size)
{
    char what[64];

    snprintf(what, sizeof what, "out of memory (%zu bytes)", size);
    if (fatal_hook)
        fatal_hook(what);
    abort();
}

void *ef_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        out_of_memory(size);
    return p;
}

void *ef_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        out_of_memory(n * size);
    return p;
}

void *ef_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (!q)
        out_of_memory(size);
    return q;
}

void *ef_xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory(SIZE_MAX);
    return ef_xrealloc(p, n * size);
}

char *ef_xstrdup(const char *s)
{
    return ef_xstrndup(s, strlen(s));
}

char *ef_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = ef_xmalloc(len + 1);

    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *ef_xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = ef_vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory(0);
    s = ef_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    ef_vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
