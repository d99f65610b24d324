/* ef_alloc.h — allocation wrappers.  Out of memory is not recoverable here:
 * the wrappers call a fatal hook the front end installs (the TUI restores the
 * terminal first) and then abort. */
#ifndef EF_ALLOC_H
#define EF_ALLOC_H

#include <stddef.h>
#include "ef_error.h"

typedef void (*ef_fatal_hook)(const char *what);

/* Install the hook run before abort() on allocation failure. */
void ef_set_fatal_hook(ef_fatal_hook hook);

void *ef_xmalloc(size_t size);
void *ef_xcalloc(size_t n, size_t size);
void *ef_xrealloc(void *p, size_t size);
/* Grow-array helper: realloc to n * size with overflow check. */
void *ef_xreallocarray(void *p, size_t n, size_t size);
char *ef_xstrdup(const char *s);
char *ef_xstrndup(const char *s, size_t n);
char *ef_xasprintf(const char *fmt, ...) EF_PRINTF(1, 2);

#endif
