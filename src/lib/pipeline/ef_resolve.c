/* ef_resolve.c — names against the store (see ef_resolve.h). */
#include "config.h"
#include "pipeline/ef_resolve.h"
#include "core/ef_alloc.h"
#include "core/ef_str.h"
#include "pipeline/ef_participants.h"
#include "pipeline/ef_results.h"
#include "ukb/ef_names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Candidates from /participants: every column but eid and has_ecg, with
 * its field and rule attributes.  Strings owned by *own (n of them x 2). */
typedef struct cands {
    ef_name_cand *c;
    char **own;
    size_t n, nown;
} cands;

static void cands_add(cands *cs, char *key, long field, char *rule)
{
    cs->c = ef_xreallocarray(cs->c, cs->n + 1, sizeof *cs->c);
    cs->own = ef_xreallocarray(cs->own, cs->nown + 2, sizeof *cs->own);
    cs->c[cs->n].key = key;
    cs->c[cs->n].field = field;
    cs->c[cs->n].rule = rule;
    cs->n++;
    cs->own[cs->nown++] = key;
    cs->own[cs->nown++] = rule;
}

static void cands_fini(cands *cs)
{
    for (size_t i = 0; i < cs->nown; i++)
        free(cs->own[i]);
    free(cs->own);
    free(cs->c);
    memset(cs, 0, sizeof *cs);
}

static int has_key(const cands *cs, const char *key)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->c[i].key, key) == 0)
            return 1;
    return 0;
}

static void participant_cands(ef_store *s, cands *cs)
{
    ef_pcol *pc = NULL;
    size_t n = 0;

    if (ef_participants_columns(s, &pc, &n, NULL) != EF_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(pc[i].name, "has_ecg"))
            continue;
        /* the name and rule move into cs */
        cands_add(cs, pc[i].name, strtol(pc[i].field, NULL, 10), pc[i].rule[0] ? pc[i].rule : NULL);
        if (!pc[i].rule[0])
            free(pc[i].rule);
        pc[i].name = pc[i].rule = NULL;
    }
    ef_pcols_free(pc, n);
}

static void result_cands(ef_store *s, cands *cs)
{
    static const char *const groups[] = { "/models", "/predictions" };
    char **names = NULL;
    size_t n = 0;

    for (size_t g = 0; g < 2; g++) {
        if (!ef_store_is_group(s, groups[g]) || ef_store_list(s, groups[g], &names, &n, NULL) != EF_OK)
            continue;
        for (size_t i = 0; i < n; i++)
            if (!has_key(cs, names[i]))
                cands_add(cs, ef_xstrdup(names[i]), 0, NULL);
        ef_store_free_list(names, n);
    }
}

static void list_keys(const cands *cs, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < cs->n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", cs->c[i].key);
    if (!cs->n)
        snprintf(buf, size, "nothing");
    else if (len >= size && size > 4)
        strcpy(buf + size - 4, "...");
}

/* Find name among cs; the registry stands in for attributes results lack. */
static int find(const cands *cs, const ef_registry *reg, const char *name, char **key)
{
    size_t i;

    if (!reg)
        reg = ef_registry_installed(NULL);
    i = ef_name_find(reg, cs->c, cs->n, name);
    *key = i == SIZE_MAX ? NULL : ef_xstrdup(cs->c[i].key);
    return *key != NULL;
}

int ef_resolve_column(ef_store *s, const ef_registry *reg, const char *name, const char *what, char **key,
                      ef_error *err)
{
    cands cs = { 0 };
    char list[400], hint[200], canon[64];
    int rc = EF_OK;

    participant_cands(s, &cs);
    if (!find(&cs, reg, name, key)) {
        if (!reg)
            reg = ef_registry_installed(NULL);
        ef_name_hint(reg, cs.c, cs.n, name, hint, sizeof hint);
        list_keys(&cs, list, sizeof list);
        if (hint[0])
            rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0, "%s '%s' is not in /participants: %s",
                                 what, name, hint);
        else
            rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                                 "%s '%s' is not in /participants (it has: %s); extract it with `ecgfit labels "
                                 "--fields %s` (the other columns stay)",
                                 what, name, list, ef_name_canonical(reg, name, canon, sizeof canon));
    }
    cands_fini(&cs);
    return rc;
}

int ef_resolve_result_target(ef_store *s, const ef_registry *reg, const char *name, char **key, ef_error *err)
{
    cands res = { 0 }, cs = { 0 };
    char list[400];
    int rc = EF_OK;

    result_cands(s, &res);
    if (!find(&res, reg, name, key)) {
        /* a column with no results yet: its canonical key, for the caller's message */
        participant_cands(s, &cs);
        if (!find(&cs, reg, name, key)) {
            list_keys(&res, list, sizeof list);
            rc = ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(s), 0, 0,
                                 "no results for target '%s' (the store has results for %s)", name, list);
        }
    }
    cands_fini(&res);
    cands_fini(&cs);
    return rc;
}

int ef_resolve_result_target_at(const char *store_path, const char *name, char **key, ef_error *err)
{
    ef_store *s = NULL;
    int rc = ef_store_open_read(&s, store_path, err);

    *key = NULL;
    if (rc == EF_ENOTFOUND)
        return ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0, "no project store: run `ecgfit labels` first");
    if (rc == EF_OK)
        rc = ef_resolve_result_target(s, NULL, name, key, err);
    ef_store_close(s);
    return rc;
}

int ef_resolve_keys_select(const char *store_path, const ef_result_key *keys, size_t nk, char *const *names,
                           size_t nnames, unsigned char *keep, ef_error *err)
{
    ef_store *s = NULL;
    char *key = NULL;
    int rc = ef_store_open_read(&s, store_path, err);

    memset(keep, !nnames, nk);
    for (size_t j = 0; rc == EF_OK && j < nnames; j++) {
        size_t hits = 0;

        rc = ef_resolve_result_target(s, NULL, names[j], &key, err);
        for (size_t i = 0; rc == EF_OK && i < nk; i++)
            if (strcmp(keys[i].target, key) == 0) {
                keep[i] = 1;
                hits++;
            }
        if (rc == EF_OK && !hits)   /* a /participants column that has no results yet */
            rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                                 "no results for target %s yet: run `ecgfit train --target %s` first", key, key);
        free(key);
        key = NULL;
    }
    ef_store_close(s);
    return rc;
}

const char *ef_resolve_closest(ef_store *s, const char *name, char *buf, size_t size)
{
    cands cs = { 0 };
    const char **keys, *hint;

    participant_cands(s, &cs);
    keys = ef_xcalloc(cs.n ? cs.n : 1, sizeof *keys);
    for (size_t i = 0; i < cs.n; i++)
        keys[i] = cs.c[i].key;
    hint = ef_suggest(name, keys, cs.n);
    if (hint)
        snprintf(buf, size, "%s", hint);
    free(keys);
    cands_fini(&cs);
    return hint ? buf : NULL;
}
