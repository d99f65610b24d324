/* ef_names.c — resolving field and target names (see ef_names.h). */
#include "config.h"
#include "ef_names.h"
#include "ukb/ef_ukbcol.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* What a name means: a UKB field read under a rule. */
typedef struct ident {
    long field;
    ef_rule rule;
} ident;

/* A registry key, else a UKB id in any dialect (one cell: instance, array). */
static int name_ident(const ef_registry *reg, const char *name, ident *id)
{
    const ef_field *f = reg ? ef_registry_find(reg, name) : NULL;
    ef_ukbcol c;

    if (f) {
        id->field = f->field;
        id->rule = f->rule;
        return 1;
    }
    if (!ef_ukbcol_parse(name, &c) || c.instance >= EF_MAX_INSTANCES || c.array >= EF_MAX_ARRAYS)
        return 0;
    id->field = c.field;
    memset(&id->rule, 0, sizeof id->rule);
    id->rule.kind = EF_RULE_INSTANCE;
    id->rule.instance = c.instance;
    id->rule.array = c.array;
    return 1;
}

static int cand_ident(const ef_registry *reg, const ef_name_cand *c, ident *id)
{
    if (c->field > 0 && c->rule && ef_rule_parse(c->rule, &id->rule)) {
        id->field = c->field;
        return 1;
    }
    return name_ident(reg, c->key, id);
}

static int same_rule(const ef_rule *a, const ef_rule *b)
{
    if (a->kind != b->kind || a->mean_arrays != b->mean_arrays)
        return 0;
    if (a->kind == EF_RULE_PRIORITY)
        return 1;
    return a->instance == b->instance && (a->mean_arrays || a->array == b->array);
}

size_t ef_name_find(const ef_registry *reg, const ef_name_cand *cand, size_t n, const char *name)
{
    ident want, have;
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(cand[i].key, name) == 0)
            return i;
    if (!name_ident(reg, name, &want))
        return SIZE_MAX;
    for (i = 0; i < n; i++)
        if (cand_ident(reg, &cand[i], &have) && have.field == want.field && same_rule(&have.rule, &want.rule))
            return i;
    return SIZE_MAX;
}

const char *ef_name_canonical(const ef_registry *reg, const char *name, char *buf, size_t size)
{
    ident want, have;
    ef_ukbcol c;
    size_t i;

    if (reg && ef_registry_find(reg, name)) {
        snprintf(buf, size, "%s", name);
        return buf;
    }
    if (!name_ident(reg, name, &want)) {
        snprintf(buf, size, "%s", name);
        return buf;
    }
    for (i = 0; reg && i < reg->nfields; i++) {
        have.field = reg->fields[i].field;
        have.rule = reg->fields[i].rule;
        if (have.field == want.field && same_rule(&have.rule, &want.rule)) {
            snprintf(buf, size, "%s", reg->fields[i].key);
            return buf;
        }
    }
    c.field = want.field;
    c.instance = want.rule.instance;
    c.array = want.rule.array;
    return ef_ukbcol_format(&c, buf, (unsigned)size);
}

const char *ef_name_hint(const ef_registry *reg, const ef_name_cand *cand, size_t n, const char *name,
                         char *buf, size_t size)
{
    ident want, have;
    ef_ukbcol c;
    size_t i;

    buf[0] = '\0';
    if ((reg && ef_registry_find(reg, name)) || !ef_ukbcol_parse(name, &c) || !name_ident(reg, name, &want))
        return buf;
    for (i = 0; i < n; i++) {
        if (!cand_ident(reg, &cand[i], &have) || have.field != want.field)
            continue;
        if (have.rule.kind == EF_RULE_INSTANCE && have.rule.mean_arrays && have.rule.instance == c.instance) {
            snprintf(buf, size, "%s is the mean of the field %ld instance %d readings, %s one of them", cand[i].key,
                     c.field, c.instance, name);
            return buf;
        }
        if (have.rule.kind == EF_RULE_PRIORITY) {
            snprintf(buf, size, "%s combines the instances of field %ld (instance 2 first), %s is one of them",
                     cand[i].key, c.field, name);
            return buf;
        }
        snprintf(buf, size, "%s reads field %ld under rule %s", cand[i].key, c.field,
                 ef_rule_format(&have.rule, (char[32]){ 0 }, 32));
        return buf;
    }
    return buf;
}
