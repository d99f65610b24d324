/* ef_names.h — the one resolver for the names users give fields and targets.
 *
 * A column of /participants (and the results trained on it) can be named by
 * its store key ("vo2max"), by the registry key of the same field and rule,
 * or by any UKB spelling of the one cell it reads: ukbconv "30038-1.0", RAP
 * "p30038_i1" / "participant.p30038_i1", R "f.30038.1.0".  Every command that
 * takes a field or a target resolves it here, so all spellings reach the same
 * canonical key (the store's column name), which the command then prints. */
#ifndef EF_NAMES_H
#define EF_NAMES_H

#include <stddef.h>
#include "ukb/ef_registry.h"

/* A column a name may denote: its key, and when known the UKB field and the
 * rule it was made with (the /participants attributes "field" and "rule").
 * field 0 / rule NULL: unknown; the registry entry of that key, or the key
 * read as a UKB id, stands in. */
typedef struct ef_name_cand {
    const char *key;
    long field;
    const char *rule;
} ef_name_cand;

/* Index of the candidate that name denotes, SIZE_MAX if none.  An exact key
 * wins; otherwise name and candidate must mean the same field under the same
 * rule.  reg may be NULL (then registry keys match only exactly). */
size_t ef_name_find(const ef_registry *reg, const ef_name_cand *cand, size_t n, const char *name);

/* The key name would be stored under: its registry key when the registry has
 * an entry with that field and rule, else the ukbconv spelling "F-I.A" of a
 * UKB id, else name itself.  Writes into buf. */
const char *ef_name_canonical(const ef_registry *reg, const char *name, char *buf, size_t size);

/* When name is one UKB cell that a column of cand summarises without being
 * it (4080-2.0 and sbp, the mean of 4080-2.0 and 4080-2.1), a hint such as
 * "sbp is the mean of the 4080 instance 2 readings" into buf; else "". */
const char *ef_name_hint(const ef_registry *reg, const ef_name_cand *cand, size_t n, const char *name,
                         char *buf, size_t size);

#endif
