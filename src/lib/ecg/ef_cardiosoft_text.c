/* ef_cardiosoft_text.c — number parsing for the CardioSoft reader: the
 * streaming waveform tokenizer (60,000 strip values per file, so no strtol,
 * no per-token allocation) and the scalar parsers (locale-independent, since
 * a front end may have called setlocale). */
#include "config.h"
#include "ecg/ef_cardiosoft_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/ef_alloc.h"

#define MAG_LIMIT 2147483648u  /* |INT32_MIN| */

void ef_cs_tok_begin(ef_cs_tok *t, size_t cap, long line)
{
    if (cap < 16)
        cap = 16;
    if (!t->v || t->cap < cap) {
        free(t->v);
        t->v = ef_xmalloc(cap * sizeof *t->v);
        t->cap = cap;
    }
    t->n = 0;
    t->acc = 0;
    t->neg = t->in_tok = t->ndig = t->bad = 0;
    t->line = line;
    t->tok_line = line;
    t->tlen = 0;
}

static void push(ef_cs_tok *t, int32_t v)
{
    if (t->n == t->cap) {
        t->cap *= 2;
        t->v = ef_xreallocarray(t->v, t->cap, sizeof *t->v);
    }
    t->v[t->n++] = v;
}

/* Complete the current token (if any). */
static int close_tok(ef_cs_tok *t)
{
    int rc = EF_CS_TOK_OK;

    if (!t->in_tok)
        return rc;
    t->text[t->tlen] = '\0';
    if (t->bad || t->ndig == 0)
        rc = EF_CS_TOK_NOTINT;
    else if (t->acc > (t->neg ? MAG_LIMIT : MAG_LIMIT - 1))
        rc = EF_CS_TOK_RANGE;
    else
        push(t, t->neg ? (int32_t)(0 - t->acc) : (int32_t)t->acc);
    if (rc == EF_CS_TOK_OK) {
        t->in_tok = 0;
        t->tlen = 0;
    }
    return rc;
}

/* A non-blank character: start a token if none is open, keep its text. */
static inline void tok_char(ef_cs_tok *t, char c)
{
    if (!t->in_tok) {
        t->in_tok = 1;
        t->tok_line = t->line;
        t->acc = 0;
        t->neg = t->ndig = t->bad = 0;
        t->tlen = 0;
    }
    if (t->tlen < sizeof t->text - 1)
        t->text[t->tlen++] = c;
}

/* One character through the general state machine. */
static int slow_char(ef_cs_tok *t, unsigned char c)
{
    unsigned d = (unsigned)c - '0';

    if (d < 10) {
        tok_char(t, (char)c);
        t->acc = t->acc * 10 + d;
        if (t->acc > MAG_LIMIT)
            t->acc = MAG_LIMIT + 1;   /* saturate: out of range whatever follows */
        t->ndig++;
        return EF_CS_TOK_OK;
    }
    switch (c) {
    case ',':
        return close_tok(t);
    case '\n':
        t->line++;
        break;
    case ' ': case '\t': case '\r':
        break;
    case '-': case '+': {
        int first = !t->in_tok;

        tok_char(t, (char)c);
        if (first)
            t->neg = c == '-';
        else
            t->bad = 1;
        break;
    }
    default:
        tok_char(t, (char)c);
        t->bad = 1;
        break;
    }
    return EF_CS_TOK_OK;
}

int ef_cs_tok_feed(ef_cs_tok *t, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;

    while (p < end) {
        /* Fast path, nearly every token: "[-]d{1,9}," whole in this piece
         * (9 digits cannot overflow int32). */
        if (!t->in_tok) {
            const unsigned char *q = p, *d0;
            uint32_t acc = 0;
            int neg = *q == '-';

            q += neg;
            d0 = q;
            while (q < end && (unsigned)(*q - '0') < 10 && q - d0 < 9)
                acc = acc * 10 + (uint32_t)(*q++ - '0');
            if (q < end && *q == ',' && q > d0) {
                push(t, neg ? (int32_t)(0 - acc) : (int32_t)acc);
                p = q + 1;
                continue;
            }
        }
        {
            int rc = slow_char(t, *p++);

            if (rc != EF_CS_TOK_OK)
                return rc;
        }
    }
    return EF_CS_TOK_OK;
}

int ef_cs_tok_end(ef_cs_tok *t)
{
    return close_tok(t);
}

int32_t *ef_cs_tok_take(ef_cs_tok *t, size_t *n)
{
    int32_t *v = t->v;

    *n = t->n;
    t->v = NULL;
    t->n = t->cap = 0;
    return v;
}

void ef_cs_tok_free(ef_cs_tok *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_blank((*s)[*n - 1]))
        (*n)--;
}

int ef_cs_parse_real(const char *s, size_t n, double *out)
{
    static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                  1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18 };
    uint64_t m = 0;
    int neg = 0, digits = 0, frac = 0, dot = 0;
    size_t i = 0;

    trim(&s, &n);
    *out = NAN;
    if (n == 0)
        return 0;
    if (s[0] == '-' || s[0] == '+')
        neg = s[i++] == '-';
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (++digits > 18)
                return -1;   /* more precision than any device field has */
            m = m * 10 + (uint64_t)(s[i] - '0');
            frac += dot;
        } else if (s[i] == '.' && !dot) {
            dot = 1;
        } else {
            return -1;
        }
    }
    if (digits == 0)
        return -1;
    /* m < 2^63 and 10^frac exact: one correctly rounded division. */
    *out = (neg ? -(double)m : (double)m) / p10[frac];
    return 0;
}

int ef_cs_parse_long(const char *s, size_t n, long *out)
{
    uint64_t m = 0;
    int neg = 0;
    size_t i = 0;

    trim(&s, &n);
    *out = -1;
    if (n == 0)
        return 1;
    if (s[0] == '-' || s[0] == '+')
        neg = s[i++] == '-';
    if (i == n)
        return -1;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        m = m * 10 + (uint64_t)(s[i] - '0');
        if (m > (uint64_t)2147483647)
            return -1;   /* counts and sample indices are far smaller */
    }
    *out = neg ? -(long)m : (long)m;
    return 0;
}
