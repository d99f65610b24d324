/* ef_registry.h — the field registry (share/ecgfit/fields.tsv) and the
 * codings table (codings.tsv): which UKB fields exist for ecgfit, their
 * types, special codes, and the rule that turns a participant's instances
 * and arrays into one value. */
#ifndef EF_REGISTRY_H
#define EF_REGISTRY_H

#include <stddef.h>
#include "core/ef_error.h"

#define EF_MAX_INSTANCES 4
#define EF_MAX_ARRAYS 8
#define EF_MAX_EXCLUDE 8

enum ef_ftype { EF_FT_CONTINUOUS, EF_FT_INTEGER, EF_FT_CATEGORICAL };

enum ef_rule_kind {
    EF_RULE_INSTANCE,   /* one instance: one array, or the mean of its arrays */
    EF_RULE_PRIORITY    /* instance 2, else mean(1, 3) if both, else 1, else 0 */
};

typedef struct ef_rule {
    int kind;           /* enum ef_rule_kind */
    int instance;       /* EF_RULE_INSTANCE */
    int array;          /* array used when !mean_arrays */
    int mean_arrays;    /* average the arrays present within an instance */
} ef_rule;

typedef struct ef_field {
    char *key;          /* store column name */
    long field;         /* UKB field id */
    int type;           /* enum ef_ftype */
    char *unit;         /* "" when none */
    long coding;        /* 0 when none */
    double exclude[EF_MAX_EXCLUDE];
    size_t nexclude;
    unsigned instances; /* bit i set: instance i exists */
    unsigned arrays;    /* bit a set: array a exists */
    ef_rule rule;
    char *role;
    char *label;
    long fallback_field;/* 0, or a field read when this one is missing (manual BP) */
    long line;          /* line in the registry file, 0 for synthesised entries */
} ef_field;

typedef struct ef_coding_entry {
    long coding;
    double value;
    char *meaning;
} ef_coding_entry;

typedef struct ef_registry {
    ef_field *fields;
    size_t nfields;
    ef_coding_entry *codes;
    size_t ncodes;
    char *path;
} ef_registry;

/* Directory of the shared data files: $ECGFIT_DATADIR, else the install dir,
 * else (uninstalled binary) the source tree's share/ecgfit. */
const char *ef_datadir(void);

/* Load a registry file (NULL: <datadir>/fields.tsv) and codings.tsv: the one
 * beside a user's registry file if there is one, else <datadir>/codings.tsv.
 * Errors name FILE:LINE. */
int ef_registry_load(ef_registry **out, const char *path, ef_error *err);
void ef_registry_free(ef_registry *reg);
/* The installed registry (<datadir>/fields.tsv), read once per process and
 * shared read-only by every caller and thread; NULL (with err set on each
 * call) when it cannot be read.  Never free it. */
const ef_registry *ef_registry_installed(ef_error *err);

const ef_field *ef_registry_find(const ef_registry *reg, const char *key);
const ef_field *ef_registry_find_field(const ef_registry *reg, long field);

/* Resolve a name given by a user: a registry key, or a UKB column id in any
 * dialect ("30038-1.0", "p30038_i1").  Fills *out with a copy owned by the
 * caller (release with ef_field_fini).  The id of exactly the cell a
 * registry entry reads is that entry ("30038-1.0" is vo2max).  Any other
 * column id inherits type, unit, coding and special codes from the registry
 * entry of its field, and gets the rule "instance I, array A" and the key
 * "F-I.A". */
int ef_registry_resolve(const ef_registry *reg, const char *name, ef_field *out, ef_error *err);
void ef_field_copy(ef_field *dst, const ef_field *src);
void ef_field_fini(ef_field *f);

/* Look a categorical meaning text up ("Female" -> 0, case-insensitive); 1 if found. */
int ef_coding_value(const ef_registry *reg, long coding, const char *text, double *value);
const char *ef_coding_meaning(const ef_registry *reg, long coding, double value);

/* Parse "i2", "i2.mean", "i2.a1", "priority", "priority.mean". */
int ef_rule_parse(const char *s, ef_rule *rule);
/* "instance 2, mean of arrays" etc. */
const char *ef_rule_describe(const ef_rule *rule, char *buf, size_t size);
/* The rule as written in fields.tsv ("i2.mean"). */
const char *ef_rule_format(const ef_rule *rule, char *buf, size_t size);
const char *ef_ftype_name(int type);

/* Apply a rule to one participant's values v[instance][array] (NaN =
 * missing, special codes already removed).  Returns NaN when nothing is
 * available. */
double ef_rule_apply(const ef_rule *rule, const double v[EF_MAX_INSTANCES][EF_MAX_ARRAYS],
                     unsigned arrays);

#endif
