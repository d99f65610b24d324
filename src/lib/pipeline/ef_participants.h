/* ef_participants.h — the columns of the store's /participants as labels
 * writes them: one float64 dataset per column beside the int64 eid, each
 * with the attributes that say where it came from (field, rule) and how
 * pandas would read it (pandas_dtype).  The one reader of that list, for the
 * feature loader and the name resolver alike. */
#ifndef EF_PARTICIPANTS_H
#define EF_PARTICIPANTS_H

#include <stddef.h>
#include "core/ef_error.h"
#include "store/ef_store.h"

typedef struct ef_pcol {
    char *name;   /* the stored key: "age", "vo2max", "has_ecg" ... */
    char *field;  /* the UKB field id, "" when the column has none */
    char *rule;   /* labels' rule ("mean", "priority" ...), "" when absent */
    char *dtype;  /* pandas_dtype ("int64", "float64"), "" when absent */
} ef_pcol;

/* The columns of /participants in stored order, without eid and without
 * sub-groups.  EF_ENOTFOUND when the store has no /participants. */
int ef_participants_columns(ef_store *s, ef_pcol **out, size_t *n, ef_error *err);
void ef_pcols_free(ef_pcol *c, size_t n);

#endif
