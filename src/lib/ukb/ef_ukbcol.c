/* ef_ukbcol.c — UK Biobank column names (see ef_ukbcol.h). */
#include "config.h"
#include "ef_ukbcol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strictly parse a non-negative decimal integer; advance *p. */
static int number(const char **p, long *v)
{
    const char *s = *p;
    long n = 0;

    if (*s < '0' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9') {
        if (n > 100000000L)
            return 0;
        n = n * 10 + (*s++ - '0');
    }
    *v = n;
    *p = s;
    return 1;
}

static int parse_ukbconv(const char *s, ef_ukbcol *c)
{
    long f, i, a;

    if (!number(&s, &f) || *s++ != '-' || !number(&s, &i) || *s++ != '.' || !number(&s, &a) || *s)
        return 0;
    c->field = f;
    c->instance = (int)i;
    c->array = (int)a;
    return 1;
}

static int parse_rap(const char *s, ef_ukbcol *c)
{
    long f, i = 0, a = 0;

    if (*s++ != 'p' || !number(&s, &f))
        return 0;
    if (strncmp(s, "_i", 2) == 0) {
        s += 2;
        if (!number(&s, &i))
            return 0;
    }
    if (strncmp(s, "_a", 2) == 0) {
        s += 2;
        if (!number(&s, &a))
            return 0;
    }
    if (*s)
        return 0;
    c->field = f;
    c->instance = (int)i;
    c->array = (int)a;
    return 1;
}

static int parse_rtab(const char *s, ef_ukbcol *c)
{
    long f, i, a;

    if (strncmp(s, "f.", 2) != 0)
        return 0;
    s += 2;
    if (!number(&s, &f) || *s++ != '.' || !number(&s, &i) || *s++ != '.' || !number(&s, &a) || *s)
        return 0;
    c->field = f;
    c->instance = (int)i;
    c->array = (int)a;
    return 1;
}

int ef_ukbcol_parse(const char *name, ef_ukbcol *out)
{
    ef_ukbcol c;

    if (strncmp(name, "participant.", 12) == 0)
        name += 12;
    if (parse_ukbconv(name, &c) || parse_rap(name, &c) || parse_rtab(name, &c)) {
        *out = c;
        return 1;
    }
    return 0;
}

int ef_ukbcol_is_eid(const char *name)
{
    return strcmp(name, "eid") == 0 || strcmp(name, "participant.eid") == 0 ||
           strcmp(name, "f.eid") == 0;
}

const char *ef_ukbcol_format(const ef_ukbcol *c, char *buf, unsigned size)
{
    snprintf(buf, size, "%ld-%d.%d", c->field, c->instance, c->array);
    return buf;
}
