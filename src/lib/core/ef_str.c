/* ef_str.c — see ef_str.h. */
#include "config.h"
#include "ef_str.h"

#include "core/ef_alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ef_strbuf_printf(ef_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = 2 * (b->len + (size_t)n + 1);
        b->s = ef_xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of two adjacent characters ("trian" is one step from "train",
 * the typo people make most). */
size_t ef_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, d[3][65];
    size_t *prev2 = d[0], *prev = d[1], *cur = d[2], *t;

    if (la > 64 || lb > 64)
        return 1000;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

size_t ef_suggest_limit(size_t len)
{
    if (len <= 2)
        return 1;
    return len / 3 > 2 ? len / 3 : 2;
}

const char *ef_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word), limit = ef_suggest_limit(len), best = (size_t)-1, i;
    const char *pick = NULL;

    if (!len)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t d = ef_edit_distance(word, cands[i]);

        if (d < best) {
            best = d;
            pick = cands[i];
        }
    }
    if (pick && best <= limit)
        return pick;
    for (i = 0; i < n; i++)
        if (strncmp(cands[i], word, len) == 0 || (len >= 3 && strstr(cands[i], word)))
            return cands[i];
    return NULL;
}

const char *ef_str_escape(const char *s, size_t max, char *buf, size_t size)
{
    size_t o = 0, i;

    if (!size)
        return buf;
    for (i = 0; s[i] && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];

        if (i >= max) {
            if (o + 4 <= size) {
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (c == '\n' || c == '\r' || c == '\t') {
            buf[o++] = '\\';
            buf[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
    return buf;
}

static const char *digits(const char *s, int *n)
{
    *n = 0;
    while (*s >= '0' && *s <= '9') {
        s++;
        (*n)++;
    }
    return s;
}

int ef_is_decimal(const char *s)
{
    int n1, n2 = 0, ne;

    if (*s == '+' || *s == '-')
        s++;
    s = digits(s, &n1);
    if (*s == '.')
        s = digits(s + 1, &n2);
    if (n1 + n2 == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        s = digits(s, &ne);
        if (!ne)
            return 0;
    }
    return *s == '\0';
}
