/* ef_eid.c — see ef_eid.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/ef_alloc.h"
#include "core/ef_eid.h"

static int cmp_eid_row(const void *a, const void *b)
{
    const ef_eid_row *x = a, *y = b;

    if (x->eid != y->eid)
        return x->eid < y->eid ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

void ef_eid_index_build(ef_eid_index *ix, const int64_t *eid, size_t n)
{
    ix->e = ef_xmalloc((n ? n : 1) * sizeof *ix->e);
    ix->n = n;
    for (size_t i = 0; i < n; i++) {
        ix->e[i].eid = eid[i];
        ix->e[i].row = i;
    }
    qsort(ix->e, n, sizeof *ix->e, cmp_eid_row);
}

size_t ef_eid_index_find(const ef_eid_index *ix, int64_t eid)
{
    size_t lo = 0, hi = ix->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (ix->e[mid].eid < eid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n && ix->e[lo].eid == eid ? ix->e[lo].row : SIZE_MAX;
}

void ef_eid_index_fini(ef_eid_index *ix)
{
    free(ix->e);
    ix->e = NULL;
    ix->n = 0;
}

void ef_eid_order(const int64_t *eid, size_t n, size_t *order)
{
    ef_eid_index ix;

    ef_eid_index_build(&ix, eid, n);
    for (size_t i = 0; i < n; i++)
        order[i] = ix.e[i].row;
    ef_eid_index_fini(&ix);
}

void ef_eid_set_add(ef_eid_set *set, const int64_t *v, size_t n)
{
    if (!n)
        return;
    set->v = ef_xreallocarray(set->v, set->n + n, sizeof *set->v);
    memcpy(set->v + set->n, v, n * sizeof *v);
    set->n += n;
}

void ef_eid_set_sort(ef_eid_set *set)
{
    if (set->n)
        qsort(set->v, set->n, sizeof *set->v, cmp_i64);
}

int ef_eid_set_has(const ef_eid_set *set, int64_t eid)
{
    return set->n && bsearch(&eid, set->v, set->n, sizeof *set->v, cmp_i64) != NULL;
}

void ef_eid_set_fini(ef_eid_set *set)
{
    free(set->v);
    set->v = NULL;
    set->n = 0;
}
