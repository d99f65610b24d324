/* ef_resolve.h — user names of columns and targets against a project store:
 * the store side of ef_names.h, shared by every command that takes a field
 * or a target (train, predict, report, export, replicate, table1, plot). */
#ifndef EF_RESOLVE_H
#define EF_RESOLVE_H

#include <stddef.h>
#include "core/ef_error.h"
#include "store/ef_store.h"
#include "ukb/ef_registry.h"

/* The /participants column that name denotes: its key, a registry key or any
 * UKB spelling of the same field and rule.  A new string in *key.  reg NULL:
 * the installed registry.  EF_ENOTFOUND names what the store has and how to
 * extract name; what ("target", "field") starts the message. */
int ef_resolve_column(ef_store *s, const ef_registry *reg, const char *name, const char *what, char **key,
                      ef_error *err);

/* The target of stored results (/models, /predictions) that name denotes,
 * else the /participants column; a new string in *key.  EF_ENOTFOUND lists
 * the targets with results. */
int ef_resolve_result_target(ef_store *s, const ef_registry *reg, const char *name, char **key,
                             ef_error *err);

/* The /participants key closest to name (a did-you-mean) into buf; NULL
 * when none is close. */
const char *ef_resolve_closest(ef_store *s, const char *name, char *buf, size_t size);

/* The same, opening the store at store_path for reading. */
int ef_resolve_result_target_at(const char *store_path, const char *name, char **key, ef_error *err);

/* Mark in keep[0..nk-1] the result keys whose target is one of names[]
 * (any spelling); EF_ENOTFOUND for a name with no results. */
struct ef_result_key;
int ef_resolve_keys_select(const char *store_path, const struct ef_result_key *keys, size_t nk,
                           char *const *names, size_t nnames, unsigned char *keep, ef_error *err);

#endif
