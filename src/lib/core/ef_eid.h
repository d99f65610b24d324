/* ef_eid.h — participant ids (eids): the one lookup from an eid to its row,
 * and sets of eids.  Every module that joins two eid columns (labels keeping
 * stored columns, features joining embeddings and measurements, resume
 * skipping finished ECGs, import counting matches) uses these, so a join
 * behaves the same everywhere: a repeated eid resolves to its first row. */
#ifndef EF_EID_H
#define EF_EID_H

#include <stddef.h>
#include <stdint.h>

typedef struct ef_eid_row {
    int64_t eid;
    size_t row;
} ef_eid_row;

/* Sorted (eid, row) pairs of an eid column. */
typedef struct ef_eid_index {
    ef_eid_row *e;
    size_t n;
} ef_eid_index;

void ef_eid_index_build(ef_eid_index *ix, const int64_t *eid, size_t n);
/* The row of eid (the first, if repeated), or SIZE_MAX. */
size_t ef_eid_index_find(const ef_eid_index *ix, int64_t eid);
void ef_eid_index_fini(ef_eid_index *ix);

/* order[0..n-1]: the positions of eid[] in ascending eid order (ties in
 * position order). */
void ef_eid_order(const int64_t *eid, size_t n, size_t *order);

/* A growable set of eids: add, sort once, then query. */
typedef struct ef_eid_set {
    int64_t *v;
    size_t n;
} ef_eid_set;

void ef_eid_set_add(ef_eid_set *set, const int64_t *v, size_t n);
void ef_eid_set_sort(ef_eid_set *set);
int ef_eid_set_has(const ef_eid_set *set, int64_t eid);
void ef_eid_set_fini(ef_eid_set *set);

#endif
